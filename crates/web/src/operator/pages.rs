//! The operator's pages (運営の確認): verify companies, review postings, resolve reports.
use crate::employer::postings::refused;
use crate::error::{Failure, WebResult};
use crate::forms::FormData;
use crate::forms::Lines;
use crate::forms::field_errors;
use crate::forms::see_other;
use crate::jobs::page::company_lines;
use crate::jobs::page::job_page_for;
use crate::jobs::words::entry_label;
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
use domain::jobs::{self, INDUSTRIES};
use std::collections::HashMap;
use store::jobs::{Refused, Review};

// ------------------------------------------------------------------ operator

#[derive(Template)]
#[template(path = "operator.html")]
struct OperatorPage {
    c: Chrome,
    /// (id, name, lines)
    companies: Vec<(String, String, Lines)>,
    /// (id, name, registered)
    facilities: Vec<(String, String, String)>,
    /// (id, title, company, submitted)
    postings: Vec<(String, String, String, String)>,
    /// (id, posting id, title, company, reason, detail, when)
    reports: Vec<(String, String, String, String, String, String, String)>,
    barriers: Vec<store::accessibility::BarrierReport>,
    /// The viewer holds the support role: the queue below is theirs.
    support: bool,
    /// (href, label) of the other screens the viewer's roles open.
    screens: Vec<(&'static str, String)>,
}

pub async fn operator_home(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let tr = req.tr();
    let v = viewer(&req)?;
    let roles = app.store.staff_roles(v.user_id.clone()).await?;
    let mut screens = Vec::new();
    use domain::StaffRole as R;
    if roles.contains(&R::Support) {
        screens.push(("/operator/message-reports", tr.t("reports-title")));
    }
    if roles
        .iter()
        .any(|r| crate::operator::accounts::ROLES.contains(r))
    {
        screens.push(("/operator/accounts", tr.t("console-title")));
    }
    if roles.contains(&R::PrivacyOfficer) {
        screens.push(("/operator/requests", tr.t("rights-queue-title")));
        screens.push(("/operator/incidents", tr.t("incident-title")));
        screens.push(("/operator/policy", tr.t("policy-admin-title")));
    }
    if roles.contains(&R::PrivacyOfficer) || roles.contains(&R::Admin) {
        screens.push(("/operator/audit", tr.t("audit-title")));
    }
    if roles.contains(&R::PrivacyOfficer) || roles.contains(&R::Admin) {
        screens.push(("/operator/statistics", tr.t("stats-operator-title")));
    }
    if roles.contains(&R::Billing) {
        screens.push(("/operator/billing", tr.t("billing-title")));
        screens.push(("/operator/billing/plans", tr.t("billing-plans-title")));
    }
    if roles.contains(&R::Agency) {
        screens.push(("/operator/agency", tr.t("agency-threads-title")));
    }
    if !roles.contains(&R::Support) {
        return Ok(html(&OperatorPage {
            c: Chrome::new(&req),
            companies: Vec::new(),
            facilities: Vec::new(),
            postings: Vec::new(),
            reports: Vec::new(),
            barriers: Vec::new(),
            support: false,
            screens,
        }));
    }
    let lang = tr.lang;
    let companies = app
        .store
        .companies_to_verify()
        .await?
        .into_iter()
        .map(|c| {
            let mut l = company_lines(&tr, &c);
            if let Some(p) = &c.profile {
                l.push((tr.t("cf-corporate_number"), p.corporate_number.clone()));
                l.push((
                    tr.t("cf-industry"),
                    entry_label(lang, INDUSTRIES, &p.industry),
                ));
            }
            (c.id, c.name, l)
        })
        .collect();
    let facilities = app
        .store
        .facilities_to_verify()
        .await?
        .into_iter()
        .map(|f| (f.id, f.name, date_text(f.registered_at, lang)))
        .collect();
    let postings = app
        .store
        .postings_to_review()
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.title,
                r.org_name,
                r.submitted_at
                    .map(|t| date_text(t, lang))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let reports = app
        .store
        .open_reports()
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                r.posting_id,
                r.posting_title,
                r.org_name,
                tr.t(&format!("report-reason-{}", r.reason)),
                r.detail,
                date_text(r.created_at, lang),
            )
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "company-verified",
                "facility-verified",
                "posting-approved",
                "posting-returned",
                "report-resolved",
                "barrier-resolved",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    let barriers = app
        .store
        .open_barrier_reports(v.user_id.clone(), req.ctx.clone(), now())
        .await?;
    Ok(html(&OperatorPage {
        c: Chrome::new(&req).flash(flash),
        companies,
        facilities,
        postings,
        reports,
        barriers,
        support: true,
        screens,
    }))
}

pub async fn operator_posting(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    job_page_for(&app, &req, id, vec![]).await
}

pub async fn operator_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .review_posting(
            v.user_id.clone(),
            id,
            Review::Approve,
            req.ctx.clone(),
            now(),
            crate::mail::returned_writer(app.cfg.public_url.clone()),
        )
        .await?
        .map_err(refused)?;
    Ok(see_other("/operator?m=posting-approved"))
}

pub async fn operator_return(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let reasons = jobs::Source::many(&f, "reasons");
    let note = jobs::Source::one(&f, "note").to_owned();
    match app
        .store
        .review_posting(
            v.user_id.clone(),
            id.clone(),
            Review::Return { reasons, note },
            req.ctx.clone(),
            now(),
            crate::mail::returned_writer(app.cfg.public_url.clone()),
        )
        .await?
    {
        Ok(_) => Ok(see_other("/operator?m=posting-returned")),
        Err(Refused::Invalid(e)) => {
            let tr = req.tr();
            let resp = job_page_for(&app, &req, id, field_errors(&tr, &e)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, resp).into_response())
        }
        Err(other) => Err(refused(other)),
    }
}

pub async fn operator_verify(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .verify_company(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/operator?m=company-verified"))
}

pub async fn operator_verify_facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .verify_facility(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/operator?m=facility-verified"))
}

pub async fn operator_resolve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .resolve_report(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/operator?m=report-resolved"))
}
