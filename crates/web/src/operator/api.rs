//! The operator API: the queue, verification, review, report resolution.
use crate::api::body;
use crate::error::{Failure, WebResult};
use crate::jobs::api::company_json;
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde_json::{Value, json};
use store::jobs::Review;

// ------------------------------------------------------------------ operator

pub async fn operator_queue(State(app): State<AppState>) -> WebResult<Json<Value>> {
    let companies = app.store.companies_to_verify().await?;
    let postings = app.store.postings_to_review().await?;
    let reports = app.store.open_reports().await?;
    Ok(Json(json!({
        "companies": companies.iter().map(company_json).collect::<Vec<_>>(),
        "postings": postings.iter().map(|r| json!({"id": r.id, "title": r.title, "company_id": r.org_id, "company_name": r.org_name, "submitted_at": r.submitted_at})).collect::<Vec<_>>(),
        "reports": reports.iter().map(|r| json!({"id": r.id, "posting_id": r.posting_id, "posting_title": r.posting_title, "reason": r.reason, "detail": r.detail, "created_at": r.created_at})).collect::<Vec<_>>(),
    })))
}

async fn review(app: AppState, req: Req, id: String, r: Review) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .review_posting(v.user_id.clone(), id, r, req.ctx.clone(), now())
        .await?
        .map_err(crate::employer::postings::refused)?;
    Ok(Json(json!({"status": status.as_str()})))
}

pub async fn operator_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    review(app, req, id, Review::Approve).await
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    #[serde(default)]
    reasons: Vec<String>,
    #[serde(default)]
    note: String,
}

pub async fn operator_return(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<ReturnBody>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    let mut reasons = b.reasons;
    reasons.sort();
    reasons.dedup();
    review(
        app,
        req,
        id,
        Review::Return {
            reasons,
            note: b.note,
        },
    )
    .await
}

pub async fn operator_verify(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if !app
        .store
        .verify_company(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Facilities waiting for the operator's check.
pub async fn operator_facilities(State(app): State<AppState>) -> WebResult<Json<Value>> {
    Ok(Json(
        serde_json::json!({ "items": app.store.facilities_to_verify().await? }),
    ))
}

pub async fn operator_verify_facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    crate::api::no_content_or_404(
        app.store
            .verify_facility(v.user_id.clone(), id, req.ctx.clone(), now())
            .await?,
    )
}

pub async fn operator_resolve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if !app
        .store
        .resolve_report(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
