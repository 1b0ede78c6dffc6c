//! The company profile: the public company page and the employer's form.
use crate::error::{Failure, WebResult};
use crate::forms::Builder;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::Lines;
use crate::forms::entries;
use crate::forms::errors_map;
use crate::forms::prefectures;
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::jobs::page::company_lines;
use crate::jobs::words::CardView;
use crate::jobs::words::card_view;
use crate::jobs::words::entry_label;
use crate::jobs::words::labels;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::jobs::{CompanyProfile, INDUSTRIES, SIZES};
use domain::taxonomy::ACCOMMODATIONS;
use std::collections::HashMap;
use store::jobs::Company;

// ------------------------------------------------------------------ company

#[derive(Template)]
#[template(path = "company.html")]
struct CompanyPage {
    c: Chrome,
    name: String,
    verified: bool,
    description: String,
    lines: Lines,
    record: Lines,
    jobs: Vec<CardView>,
}

pub async fn company_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let company = app
        .store
        .company(id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let Some(p) = company.profile.clone() else {
        return Err(Failure::NotFound);
    };
    let tr = req.tr();
    let lang = tr.lang;
    let mut lines = company_lines(&tr, &company);
    lines.push((
        tr.t("cf-industry"),
        entry_label(lang, INDUSTRIES, &p.industry),
    ));
    if !p.size.is_empty() {
        lines.push((tr.t("cf-size"), entry_label(lang, SIZES, &p.size)));
    }
    if !p.locations.is_empty() {
        lines.push((tr.t("cf-locations"), p.locations.clone()));
    }
    lines.push((
        tr.t("cf-accommodations"),
        labels(lang, ACCOMMODATIONS, &p.accommodations),
    ));
    if !p.accommodation_note.is_empty() {
        lines.push((tr.t("cf-accommodation_note"), p.accommodation_note.clone()));
    }
    let mut record = Vec::new();
    if let Some(n) = p.employed_count {
        record.push((
            tr.t("cf-employed_count"),
            tr.t1("people", "n", &n.to_string()),
        ));
    }
    // Computed from the employment records (never typed in), shown once enough people
    // are counted that no one's leaving can be told from it.
    if let Some(f) = app
        .store
        .public_retention(id.clone(), crate::jst::today())
        .await?
        && let Some(pc) = f.percent()
    {
        record.push((
            tr.t("cf-retention_rate"),
            tr.tn(
                "cf-retention-computed",
                &[
                    ("percent", &pc.to_string()),
                    ("counted", &f.counted.to_string()),
                    ("retained", &f.retained.to_string()),
                ],
            ),
        ));
    }
    if !p.record_note.is_empty() {
        record.push((tr.t("cf-record_note"), p.record_note.clone()));
    }
    let rows = app.store.postings_of(id).await?;
    let index = app.index().await;
    let jobs = rows
        .iter()
        .filter(|r| r.is_public(now(), app.cfg.stale_after_days))
        .filter_map(|r| index.card(&r.id))
        .map(|c| card_view(&tr, &c))
        .collect();
    Ok(html(&CompanyPage {
        c: Chrome::new(&req),
        name: company.name,
        verified: company.verified_at.is_some(),
        description: p.description,
        lines,
        record,
        jobs,
    }))
}

#[derive(Template)]
#[template(path = "company_edit.html")]
struct CompanyEdit {
    c: Chrome,
    groups: Vec<(String, Vec<Field>)>,
    errors: Vec<(String, String)>,
    verified: bool,
    company_id: String,
}

fn company_groups(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> Vec<(String, Vec<Field>)> {
    let lang = tr.lang;
    let b = Builder {
        tr,
        prefix: "cf",
        typed,
        errors,
    };
    vec![
        (
            tr.t("cf-group-about"),
            vec![
                b.area("description"),
                b.select("industry", entries(lang, INDUSTRIES)),
                b.select("size", entries(lang, SIZES)),
                b.number("corporate_number"),
            ],
        ),
        (
            tr.t("cf-group-place"),
            vec![
                b.select("prefecture", prefectures(lang)),
                b.auto("address", "address-line1"),
                b.area("locations"),
            ],
        ),
        (
            tr.t("cf-group-contact"),
            vec![
                b.auto("contact_department", "organization-title"),
                Field {
                    inputmode: "tel",
                    ..b.auto("contact_phone", "tel")
                },
                b.auto("contact_email", "email"),
            ],
        ),
        (
            tr.t("cf-group-support"),
            vec![
                b.checks("accommodations", entries(lang, ACCOMMODATIONS)),
                b.area("accommodation_note"),
                b.number("employed_count"),
                b.area("record_note"),
            ],
        ),
    ]
}

fn company_fields(p: &CompanyProfile) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = vec![
        ("description".into(), p.description.clone()),
        ("industry".into(), p.industry.clone()),
        ("size".into(), p.size.clone()),
        ("corporate_number".into(), p.corporate_number.clone()),
        ("prefecture".into(), p.prefecture.to_string()),
        ("address".into(), p.address.clone()),
        ("locations".into(), p.locations.clone()),
        ("contact_department".into(), p.contact_department.clone()),
        ("contact_phone".into(), p.contact_phone.clone()),
        ("contact_email".into(), p.contact_email.clone()),
        ("accommodation_note".into(), p.accommodation_note.clone()),
        (
            "employed_count".into(),
            p.employed_count.map(|n| n.to_string()).unwrap_or_default(),
        ),
        ("record_note".into(), p.record_note.clone()),
    ];
    v.extend(
        p.accommodations
            .iter()
            .map(|a| ("accommodations".into(), a.clone())),
    );
    v
}

/// The company the signed-in employer manages postings for (admins and recruiters).
pub(crate) async fn my_company(app: &AppState, req: &Req) -> WebResult<Company> {
    let v = viewer(req)?;
    let org = app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .ok_or(Failure::Forbidden)?;
    app.store.company(org).await?.ok_or(Failure::NotFound)
}

pub async fn company_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let typed = company
        .profile
        .as_ref()
        .map(company_fields)
        .unwrap_or_default();
    let tr = req.tr();
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "company-saved")
        .map(String::as_str);
    Ok(html(&CompanyEdit {
        c: Chrome::new(&req).flash(flash),
        groups: company_groups(&tr, &typed, HashMap::new()),
        errors: vec![],
        verified: company.verified_at.is_some(),
        company_id: company.id,
    }))
}

pub async fn company_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let company = my_company(&app, &req).await?;
    let v = viewer(&req)?;
    match CompanyProfile::parse(&f) {
        Ok(p) => {
            app.store
                .save_company(v.user_id.clone(), p, req.ctx.clone(), now())
                .await?;
            Ok(see_other("/company?m=company-saved"))
        }
        Err(e) => {
            let tr = req.tr();
            let (map, errors) = errors_map(&tr, &e);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&CompanyEdit {
                    c: Chrome::new(&req),
                    groups: company_groups(&tr, &f, map),
                    errors,
                    verified: company.verified_at.is_some(),
                    company_id: company.id,
                }),
            )
                .into_response())
        }
    }
}
