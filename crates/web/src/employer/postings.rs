//! Job postings for employers: the form with every required condition, review, confirmation.
use crate::employer::company::my_company;
use crate::error::{Failure, WebResult};
use crate::forms::Builder;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::entries;
use crate::forms::errors_map;
use crate::forms::keyed;
use crate::forms::prefectures;
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::jst::date_text;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::Fields;
use domain::jobs::{
    self, CompanyProfile, INSURANCE, Posting, Remote, Smoking, Status, Step, WageUnit,
};
use domain::taxonomy::{ACCOMMODATIONS, JOB_CATEGORIES};
use std::collections::HashMap;
use store::jobs::{PostingRow, Refused};

// ------------------------------------------------------------------ employer postings

#[derive(Template)]
#[template(path = "postings.html")]
struct PostingsPage {
    c: Chrome,
    /// (id, title, status label, status code, as-of)
    rows: Vec<(String, String, String, String, String)>,
    stale: Vec<String>,
    company_ready: bool,
    verified: bool,
}

pub async fn postings_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let tr = req.tr();
    let rows = app.store.postings_of(company.id.clone()).await?;
    let t = now();
    let stale = rows
        .iter()
        .filter(|r| r.status == Status::Published && !r.is_public(t, app.cfg.stale_after_days))
        .map(|r| r.id.clone())
        .collect();
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "posting-saved",
                "posting-submitted",
                "posting-closed",
                "posting-confirmed",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    Ok(html(&PostingsPage {
        c: Chrome::new(&req).flash(flash),
        rows: rows
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    if r.title.is_empty() {
                        tr.t("untitled")
                    } else {
                        r.title.clone()
                    },
                    tr.t(&format!("status-{}", r.status.as_str())),
                    r.status.as_str().to_owned(),
                    date_text(r.confirmed_at.unwrap_or(r.updated_at), tr.lang),
                )
            })
            .collect(),
        stale,
        company_ready: company
            .profile
            .as_ref()
            .is_some_and(CompanyProfile::is_complete),
        verified: company.verified_at.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "posting_edit.html")]
struct PostingEdit {
    c: Chrome,
    action: String,
    groups: Vec<(String, Vec<Field>)>,
    errors: Vec<(String, String)>,
    published: bool,
    id: Option<String>,
    status: String,
}

fn posting_groups(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> Vec<(String, Vec<Field>)> {
    let lang = tr.lang;
    let b = Builder {
        tr,
        prefix: "pf",
        typed,
        errors,
    };
    let codes = |all: &[&'static str]| all.to_vec();
    vec![
        (
            tr.t("job-section-work"),
            vec![
                b.text("title"),
                b.select("category", entries(lang, JOB_CATEGORIES)),
                b.area("duties"),
                b.area("duties_change_scope"),
                b.number("openings"),
            ],
        ),
        (
            tr.t("job-section-contract"),
            vec![
                b.radios(
                    "employment_type",
                    keyed(tr, "employment", jobs::POSTING_EMPLOYMENT),
                ),
                b.radios(
                    "contract_type",
                    keyed(tr, "contract", &codes(&["indefinite", "fixed_term"])),
                ),
                b.text("contract_period"),
                b.area("renewal_rule"),
                b.text("renewal_cap"),
                b.text("probation"),
            ],
        ),
        (
            tr.t("job-section-place"),
            vec![
                b.select("prefecture", prefectures(lang)),
                b.text("city"),
                b.text("address"),
                b.area("workplace_change_scope"),
                b.radios(
                    "remote",
                    keyed(
                        tr,
                        "remote",
                        &Remote::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.radios(
                    "smoking",
                    keyed(
                        tr,
                        "smoking",
                        &Smoking::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.text("smoking_note"),
            ],
        ),
        (
            tr.t("job-section-hours"),
            vec![
                b.text("working_hours"),
                b.text("breaks"),
                b.number("hours_per_week"),
                b.number("days_per_week"),
                b.text("holidays"),
                b.text("overtime"),
            ],
        ),
        (
            tr.t("job-section-pay"),
            vec![
                b.radios(
                    "wage_unit",
                    keyed(
                        tr,
                        "wage-unit",
                        &WageUnit::ALL.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
                    ),
                ),
                b.number("wage_min"),
                b.number("wage_max"),
                b.area("wage_notes"),
                b.checks("insurance", entries(lang, INSURANCE)),
            ],
        ),
        (
            tr.t("job-section-support"),
            vec![
                b.checks("accommodations", entries(lang, ACCOMMODATIONS)),
                b.area("accommodation_note"),
                b.text("required_skills"),
                b.text("welcome_skills"),
            ],
        ),
    ]
}

pub async fn posting_new(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    my_company(&app, &req).await?;
    let tr = req.tr();
    Ok(html(&PostingEdit {
        c: Chrome::new(&req),
        action: "/employer/postings".into(),
        groups: posting_groups(&tr, &[], HashMap::new()),
        errors: vec![],
        published: false,
        id: None,
        status: tr.t("status-draft"),
    }))
}

/// One of that company's postings; another company's answers 404.
pub(crate) async fn my_posting(app: &AppState, req: &Req, id: &str) -> WebResult<PostingRow> {
    let company = my_company(app, req).await?;
    app.store
        .posting(id.to_owned())
        .await?
        .filter(|r| r.org_id == company.id)
        .ok_or(Failure::NotFound)
}

pub async fn posting_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let row = my_posting(&app, &req, &id).await?;
    let tr = req.tr();
    // Show the saved form's problems at once, so the employer knows what is missing.
    let (map, errors) = match Posting::parse(&row.fields) {
        Err(f) if row.status != Status::Closed && row.fields.iter().any(|(_, v)| !v.is_empty()) => {
            errors_map(&tr, &f)
        }
        _ => (HashMap::new(), vec![]),
    };
    Ok(html(&PostingEdit {
        c: Chrome::new(&req),
        action: format!("/employer/postings/{id}"),
        groups: posting_groups(&tr, &row.fields, map),
        errors,
        published: row.status == Status::Published,
        id: Some(id),
        status: tr.t(&format!("status-{}", row.status.as_str())),
    }))
}

/// Why a posting step was refused, as the one web-layer error.
pub(crate) fn refused(f: Refused) -> Failure {
    match f {
        Refused::NotFound => Failure::NotFound,
        Refused::NotAllowed => Failure::Conflict("err-posting-not-allowed"),
        Refused::Invalid(f) => Failure::Fields(f),
        Refused::CompanyIncomplete => Failure::Conflict("err-company-incomplete"),
        Refused::CompanyUnverified => Failure::Conflict("err-company-unverified"),
    }
}

async fn save_and_show(
    app: &AppState,
    req: &Req,
    id: Option<String>,
    f: Vec<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let submit = jobs::Source::one(&f, "_then") == "submit";
    let fields: Vec<(String, String)> = f
        .iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .cloned()
        .collect();
    let saved = app
        .store
        .save_posting(
            v.user_id.clone(),
            id.clone(),
            fields.clone(),
            req.ctx.clone(),
            now(),
        )
        .await?;
    let tr = req.tr();
    let show = |errors: Fields, id: Option<String>, status: String| {
        let (map, list) = errors_map(&tr, &errors);
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&PostingEdit {
                c: Chrome::new(req).flash(id.as_ref().map(|_| "posting-saved-with-problems")),
                action: id.as_ref().map_or("/employer/postings".into(), |i| {
                    format!("/employer/postings/{i}")
                }),
                groups: posting_groups(&tr, &f, map),
                errors: list,
                published: false,
                id,
                status,
            }),
        )
            .into_response()
    };
    let (id, status) = match saved {
        Ok(x) => x,
        Err(Refused::Invalid(e)) => return Ok(show(e, id, tr.t("status-published"))),
        Err(other) => return Err(refused(other)),
    };
    if !submit {
        // A draft is saved as typed; tell what still stops submission.
        if let Err(e) = Posting::parse(&fields) {
            return Ok(show(
                e,
                Some(id),
                tr.t(&format!("status-{}", status.as_str())),
            ));
        }
        return Ok(see_other("/employer/postings?m=posting-saved"));
    }
    if status == Status::Submitted {
        return Ok(see_other("/employer/postings?m=posting-submitted"));
    }
    match app
        .store
        .posting_step(
            v.user_id.clone(),
            id.clone(),
            Step::Submit,
            req.ctx.clone(),
            now(),
        )
        .await?
    {
        Ok(_) => Ok(see_other("/employer/postings?m=posting-submitted")),
        Err(Refused::Invalid(e)) => Ok(show(
            e,
            Some(id),
            tr.t(&format!("status-{}", status.as_str())),
        )),
        Err(other) => Err(refused(other)),
    }
}

pub async fn posting_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    my_company(&app, &req).await?;
    save_and_show(&app, &req, None, f).await
}

pub async fn posting_save(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    my_posting(&app, &req, &id).await?;
    save_and_show(&app, &req, Some(id), f).await
}

async fn step(app: AppState, req: Req, id: String, s: Step, done: &str) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .posting_step(v.user_id.clone(), id, s, req.ctx.clone(), now())
        .await?
        .map_err(refused)?;
    Ok(see_other(&format!("/employer/postings?m={done}")))
}

pub async fn posting_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Submit, "posting-submitted").await
}

pub async fn posting_close(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Close, "posting-closed").await
}

pub async fn posting_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    step(app, req, id, Step::Confirm, "posting-confirmed").await
}
