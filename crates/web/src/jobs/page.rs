//! A job page with its schema.org JobPosting data and the seeker's match reasons.
use crate::error::{Failure, WebResult};
use crate::forms::Lines;
use crate::forms::keyed;
use crate::forms::prefecture_name;
use crate::i18n::Tr;
use crate::jobs::words::MatchView;
use crate::jobs::words::Voice;
use crate::jobs::words::entry_label;
use crate::jobs::words::labels;
use crate::jobs::words::match_view;
use crate::jobs::words::wage_text;
use crate::jst::date_text;
use crate::request::Req;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::UserKind;
use domain::jobs::{
    self, ContractType, INSURANCE, Posting, RETURN_REASONS, Remote, Status, WageUnit,
};
use domain::matching::{self, Needs};
use domain::taxonomy::{ACCOMMODATIONS, JOB_CATEGORIES};
use store::jobs::{Company, PostingRow};

// ------------------------------------------------------------------ job page

#[derive(Template)]
#[template(path = "job.html")]
struct JobPage {
    c: Chrome,
    id: String,
    title: String,
    company_id: String,
    company_name: String,
    as_of: String,
    status: Option<String>,
    review: Option<(Vec<String>, String)>,
    sections: Vec<(String, Lines)>,
    employer: Lines,
    json_ld: String,
    fit: Option<MatchView>,
    operator: bool,
    /// The operator sees a published posting: it can be taken down (the company is
    /// told why).
    takedown: bool,
    return_reasons: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    unverified: bool,
    /// For a signed-in seeker on a public job: whether they have applied already.
    applied: Option<bool>,
}

/// The posting as labelled lines, grouped as job seekers read them.
fn posting_sections(tr: &Tr, p: &Posting) -> Vec<(String, Lines)> {
    let lang = tr.lang;
    let l = |k: &str, v: String| (tr.t(&format!("pf-{k}")), v);
    let mut contract = vec![
        l(
            "employment_type",
            tr.t(&format!(
                "employment-{}",
                jobs::employment_code(p.employment_type)
            )),
        ),
        l(
            "contract_type",
            tr.t(&format!("contract-{}", p.contract_type.as_str())),
        ),
    ];
    if p.contract_type == ContractType::FixedTerm {
        contract.push(l("contract_period", p.contract_period.clone()));
        contract.push(l("renewal_rule", p.renewal_rule.clone()));
        contract.push(l("renewal_cap", p.renewal_cap.clone()));
    }
    contract.push(l("probation", p.probation.clone()));
    let none = tr.t("none-stated");
    vec![
        (
            tr.t("job-section-work"),
            vec![
                l("category", entry_label(lang, JOB_CATEGORIES, &p.category)),
                l("duties", p.duties.clone()),
                l("duties_change_scope", p.duties_change_scope.clone()),
                l("openings", p.openings.to_string()),
            ],
        ),
        (tr.t("job-section-contract"), contract),
        (
            tr.t("job-section-place"),
            vec![
                l(
                    "address",
                    format!("{} {}", prefecture_name(lang, p.prefecture), p.address),
                ),
                l("workplace_change_scope", p.workplace_change_scope.clone()),
                l("remote", tr.t(&format!("remote-{}", p.remote.as_str()))),
                l(
                    "smoking",
                    format!(
                        "{} {}",
                        tr.t(&format!("smoking-{}", p.smoking.as_str())),
                        p.smoking_note
                    )
                    .trim()
                    .to_owned(),
                ),
            ],
        ),
        (
            tr.t("job-section-hours"),
            vec![
                l("working_hours", p.working_hours.clone()),
                l("breaks", p.breaks.clone()),
                l(
                    "hours_per_week",
                    tr.tn(
                        "job-hours",
                        &[
                            ("hours", &p.hours_per_week.to_string()),
                            ("days", &p.days_per_week.to_string()),
                        ],
                    ),
                ),
                l("holidays", p.holidays.clone()),
                l("overtime", p.overtime.clone()),
            ],
        ),
        (
            tr.t("job-section-pay"),
            vec![
                l(
                    "wage_min",
                    wage_text(tr, p.wage_unit, p.wage_min, p.wage_max),
                ),
                l(
                    "wage_notes",
                    if p.wage_notes.is_empty() {
                        none.clone()
                    } else {
                        p.wage_notes.clone()
                    },
                ),
                l(
                    "insurance",
                    if p.insurance.is_empty() {
                        none.clone()
                    } else {
                        labels(lang, INSURANCE, &p.insurance)
                    },
                ),
            ],
        ),
        (
            tr.t("job-section-support"),
            vec![
                l(
                    "accommodations",
                    if p.accommodations.is_empty() {
                        none.clone()
                    } else {
                        labels(lang, ACCOMMODATIONS, &p.accommodations)
                    },
                ),
                l(
                    "accommodation_note",
                    if p.accommodation_note.is_empty() {
                        none.clone()
                    } else {
                        p.accommodation_note.clone()
                    },
                ),
                l(
                    "required_skills",
                    if p.required_skills.is_empty() {
                        none.clone()
                    } else {
                        p.required_skills.join("、")
                    },
                ),
                l(
                    "welcome_skills",
                    if p.welcome_skills.is_empty() {
                        none
                    } else {
                        p.welcome_skills.join("、")
                    },
                ),
            ],
        ),
    ]
}

/// schema.org JobPosting, safe to place inside a `<script>` element.
pub fn json_ld(
    row: &PostingRow,
    p: &Posting,
    company: &Company,
    base: &str,
    stale_days: i64,
) -> String {
    let unit = match p.wage_unit {
        WageUnit::Hourly => "HOUR",
        WageUnit::Daily => "DAY",
        WageUnit::Monthly => "MONTH",
        WageUnit::Annual => "YEAR",
    };
    let employment = match p.employment_type {
        domain::profile::EmploymentType::FullTime => "FULL_TIME",
        domain::profile::EmploymentType::PartTime => "PART_TIME",
        _ => "TEMPORARY",
    };
    let iso = crate::jst::rfc3339;
    let (pref_ja, _) = domain::taxonomy::prefecture(p.prefecture).unwrap_or(("", ""));
    let mut v = serde_json::json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": p.title,
        "description": format!("{}\n\n{}", p.duties, p.accommodation_note).trim().to_owned(),
        "datePosted": iso(row.published_at.unwrap_or(row.updated_at)),
        "validThrough": iso(row.confirmed_at.unwrap_or(row.updated_at) + stale_days * 86_400),
        "employmentType": employment,
        "hiringOrganization": {
            "@type": "Organization",
            "name": company.name,
            "sameAs": format!("{base}/companies/{}", company.id),
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressCountry": "JP",
                "addressRegion": pref_ja,
                "addressLocality": p.city,
                "streetAddress": p.address,
            }
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "JPY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": p.wage_min,
                "maxValue": p.wage_max.unwrap_or(p.wage_min),
                "unitText": unit,
            }
        },
        "totalJobOpenings": p.openings,
        "url": format!("{base}/jobs/{}", row.id),
    });
    if p.remote == Remote::Full
        && let Some(o) = v.as_object_mut()
    {
        o.insert("jobLocationType".into(), "TELECOMMUTE".into());
    }
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Whether the viewer works for the posting's company.
async fn own_company(app: &AppState, req: &Req, org: &str) -> WebResult<bool> {
    let Some(v) = req.viewer.as_ref().filter(|v| v.kind == UserKind::Employer) else {
        return Ok(false);
    };
    Ok(app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .as_deref()
        == Some(org))
}

pub(crate) fn company_lines(tr: &Tr, company: &Company) -> Lines {
    let Some(p) = &company.profile else {
        return vec![(tr.t("cf-name"), company.name.clone())];
    };
    vec![
        (tr.t("cf-name"), company.name.clone()),
        (
            tr.t("cf-address"),
            format!("{} {}", prefecture_name(tr.lang, p.prefecture), p.address),
        ),
        (tr.t("cf-contact_department"), p.contact_department.clone()),
        (tr.t("cf-contact_phone"), p.contact_phone.clone()),
        (tr.t("cf-contact_email"), p.contact_email.clone()),
    ]
}

pub(crate) async fn job_page_for(
    app: &AppState,
    req: &Req,
    id: String,
    errors: Vec<(String, String)>,
) -> WebResult<Response> {
    let row = app
        .store
        .posting(id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let operator = req
        .viewer
        .as_ref()
        .is_some_and(|v| v.kind == UserKind::Operator);
    let own = own_company(app, req, &row.org_id).await?;
    let public = row.is_public(now(), app.cfg.stale_after_days);
    if !(public || own || operator) {
        return Err(Failure::NotFound);
    }
    let company = app
        .store
        .company(row.org_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let tr = req.tr();
    let posting = row.posting();
    let sections = posting
        .as_ref()
        .map(|p| posting_sections(&tr, p))
        .unwrap_or_default();
    let json_ld = match (&posting, public) {
        (Some(p), true) => json_ld(
            &row,
            p,
            &company,
            &app.cfg.public_url,
            app.cfg.stale_after_days,
        ),
        _ => String::new(),
    };
    let fit = match (&req.viewer, &posting) {
        (Some(v), Some(_)) if v.kind == UserKind::Seeker && public => {
            let profile = app.store.own_profile(v.user_id.clone()).await?;
            let needs = Needs::from_profile(&profile);
            app.listings
                .index
                .card(&row.id)
                .map(|card| match_view(&tr, &matching::score(&needs, &card), Voice::Seeker))
        }
        _ => None,
    };
    let applied = match &req.viewer {
        Some(v) if v.kind == UserKind::Seeker && public => Some(
            app.store
                .my_applications(v.user_id.clone())
                .await?
                .iter()
                .any(|a| a.posting_id.as_deref() == Some(row.id.as_str()) && !a.stage.is_final()),
        ),
        _ => None,
    };
    let status =
        (!public || own || operator).then(|| tr.t(&format!("status-{}", row.status.as_str())));
    let review = (!row.review_reasons.is_empty()).then(|| {
        (
            row.review_reasons
                .iter()
                .map(|r| tr.t(&format!("return-reason-{r}")))
                .collect(),
            row.review_note.clone(),
        )
    });
    let page = JobPage {
        c: Chrome::new(req),
        id: row.id.clone(),
        title: row.title.clone(),
        company_id: company.id.clone(),
        company_name: company.name.clone(),
        as_of: date_text(row.confirmed_at.unwrap_or(row.updated_at), tr.lang),
        status,
        review,
        sections,
        employer: company_lines(&tr, &company),
        json_ld,
        fit,
        operator: operator && row.status == Status::Submitted,
        takedown: operator && row.status == Status::Published,
        return_reasons: keyed(&tr, "return-reason", RETURN_REASONS),
        unverified: company.verified_at.is_none(),
        errors,
        applied,
    };
    Ok(html(&page))
}

pub async fn job_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    job_page_for(&app, &req, id, vec![]).await
}
