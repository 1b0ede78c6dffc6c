//! Reports of abusive messages: a participant reports a message they read; the operator
//! sees the open reports without content, opens one with the stated purpose
//! `abuse_report` to read the reported message only (logged), and warns or suspends the
//! sender, or takes no action.
use crate::api::{ApiJson, ApiQuery, body};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::jst::format_time;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use domain::jobs::Source;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::reports::{DECISIONS, REASONS, ReportLine, ReportRefused, ReportView};
use utoipa::ToSchema;

fn reason(s: &str) -> WebResult<&'static str> {
    REASONS
        .into_iter()
        .find(|r| *r == s)
        .ok_or_else(|| Failure::field("reason", "choice-invalid"))
}

fn decision(s: &str) -> WebResult<&'static str> {
    DECISIONS
        .into_iter()
        .find(|d| *d == s)
        .ok_or_else(|| Failure::field("decision", "choice-invalid"))
}

fn refused(r: ReportRefused) -> Failure {
    match r {
        ReportRefused::NotFound => Failure::NotFound,
        ReportRefused::Own => Failure::Conflict("err-report-own"),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageReportBody {
    /// `harassment`, `discrimination`, `spam_or_fraud` or `other`.
    #[schema(pattern = "^(harassment|discrimination|spam_or_fraud|other)$")]
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct MessageReportCreated {
    pub report_id: String,
}

pub async fn report(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<MessageReportBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let r = reason(&b.reason)?;
    let rid = app
        .store
        .report_message(v.user_id.clone(), id, r, req.ctx.clone(), now())
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(MessageReportCreated { report_id: rid }),
    )
        .into_response())
}

/// The thread page's report form: `message_id`, `reason`.
pub async fn report_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(thread): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let r = reason(Source::one(&f, "reason"))?;
    app.store
        .report_message(
            v.user_id.clone(),
            Source::one(&f, "message_id").to_owned(),
            r,
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(see_other(&format!("/messages/{thread}?m=message-reported")))
}

// ------------------------------------------------------------------ the operator

#[derive(Serialize, ToSchema)]
pub struct MessageReportList {
    /// Open reports first; no content.
    pub reports: Vec<ReportLine>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PurposeQuery {
    /// Must be `abuse_report`: reading a reported message is logged with it.
    #[param(pattern = "^abuse_report$")]
    pub purpose: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDecisionBody {
    /// `warn`, `suspend` (no sign-in, sessions ended) or `no_action`.
    #[schema(pattern = "^(warn|suspend|no_action)$")]
    pub decision: String,
}

pub async fn list(State(app): State<AppState>) -> WebResult<Json<MessageReportList>> {
    Ok(Json(MessageReportList {
        reports: app.store.message_reports().await?,
    }))
}

pub async fn open(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<PurposeQuery>,
) -> WebResult<Json<ReportView>> {
    let v = viewer(&req)?;
    if q?.purpose != "abuse_report" {
        return Err(Failure::field("purpose", "choice-invalid"));
    }
    let r = app
        .store
        .open_report(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(r))
}

pub async fn decide(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<ReportDecisionBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let d = decision(&body(b)?.decision)?;
    if !app
        .store
        .decide_report(v.user_id.clone(), id, d, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Template)]
#[template(path = "message_reports.html")]
struct ListPage {
    c: Chrome,
    /// (id, reason, when, decision)
    lines: Vec<(String, String, String, String)>,
}

pub async fn list_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let tr = req.tr();
    let lines = app
        .store
        .message_reports()
        .await?
        .into_iter()
        .map(|r| {
            (
                r.id,
                tr.t(&format!("report-reason-{}", r.reason)),
                format_time(r.created_at, tr.lang),
                r.decision
                    .map(|d| tr.t(&format!("report-decision-{d}")))
                    .unwrap_or_else(|| tr.t("report-open")),
            )
        })
        .collect();
    Ok(html(&ListPage {
        c: Chrome::new(&req),
        lines,
    }))
}

#[derive(Template)]
#[template(path = "message_report.html")]
struct ReportPage {
    c: Chrome,
    id: String,
    /// The report with the message, once the purpose is stated.
    view: Option<ReportView>,
    reason: String,
    sent: String,
    side: String,
    decisions: Vec<(String, String)>,
}

pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let view = if q.get("purpose").map(String::as_str) == Some("abuse_report") {
        Some(
            app.store
                .open_report(v.user_id.clone(), id.clone(), req.ctx.clone(), now())
                .await?
                .ok_or(Failure::NotFound)?,
        )
    } else {
        None
    };
    let flash = q
        .get("m")
        .filter(|m| *m == "report-decided")
        .map(String::as_str);
    Ok(html(&ReportPage {
        c: Chrome::new(&req).flash(flash),
        reason: view
            .as_ref()
            .map(|r| tr.t(&format!("report-reason-{}", r.report.reason)))
            .unwrap_or_default(),
        sent: view
            .as_ref()
            .map(|r| format_time(r.sent_at, tr.lang))
            .unwrap_or_default(),
        side: view
            .as_ref()
            .map(|r| tr.t(&format!("report-side-{}", r.sender_side)))
            .unwrap_or_default(),
        decisions: DECISIONS
            .iter()
            .map(|d| (d.to_string(), tr.t(&format!("report-decision-{d}"))))
            .collect(),
        id,
        view,
    }))
}

pub async fn decide_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let d = decision(Source::one(&f, "decision"))?;
    if !app
        .store
        .decide_report(v.user_id.clone(), id.clone(), d, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other(&format!(
        "/operator/message-reports/{id}?m=report-decided"
    )))
}
