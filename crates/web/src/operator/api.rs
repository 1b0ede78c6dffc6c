//! The operator API: the queue, verification, review, report resolution.
use crate::api::body;
use crate::error::{Failure, WebResult};
use crate::jobs::api::CompanyAnswer;
use crate::jobs::api::company_json;
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use serde::Serialize;
use store::jobs::Review;
use utoipa::ToSchema;

/// A posting waiting for review.
#[derive(Serialize, ToSchema)]
pub struct QueuedPosting {
    pub id: String,
    pub title: String,
    pub company_id: String,
    pub company_name: String,
    pub submitted_at: Option<i64>,
}

/// A report about a job, not yet resolved.
#[derive(Serialize, ToSchema)]
pub struct QueuedReport {
    pub id: String,
    pub posting_id: String,
    pub posting_title: String,
    #[schema(value_type = crate::openapi::ReportReason)]
    pub reason: String,
    pub detail: String,
    pub created_at: i64,
}

/// What waits for the operator.
#[derive(Serialize, ToSchema)]
pub struct Queue {
    /// Companies to verify.
    pub companies: Vec<CompanyAnswer>,
    pub postings: Vec<QueuedPosting>,
    pub reports: Vec<QueuedReport>,
}

/// A posting's status after a step.
#[derive(Serialize, ToSchema)]
pub struct StatusAnswer {
    pub status: domain::jobs::Status,
}

#[derive(Serialize, ToSchema)]
pub struct FacilityQueue {
    pub items: Vec<store::orgs::FacilityToVerify>,
}

// ------------------------------------------------------------------ operator

pub async fn operator_queue(State(app): State<AppState>) -> WebResult<Json<Queue>> {
    let companies = app.store.companies_to_verify().await?;
    let postings = app.store.postings_to_review().await?;
    let reports = app.store.open_reports().await?;
    Ok(Json(Queue {
        companies: companies.iter().map(company_json).collect(),
        postings: postings
            .into_iter()
            .map(|r| QueuedPosting {
                id: r.id,
                title: r.title,
                company_id: r.org_id,
                company_name: r.org_name,
                submitted_at: r.submitted_at,
            })
            .collect(),
        reports: reports
            .into_iter()
            .map(|r| QueuedReport {
                id: r.id,
                posting_id: r.posting_id,
                posting_title: r.posting_title,
                reason: r.reason,
                detail: r.detail,
                created_at: r.created_at,
            })
            .collect(),
    }))
}

async fn review(app: AppState, req: Req, id: String, r: Review) -> WebResult<Json<StatusAnswer>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .review_posting(
            v.user_id.clone(),
            id,
            r,
            req.ctx.clone(),
            now(),
            crate::mail::returned_writer(app.cfg.public_url.clone()),
        )
        .await?
        .map_err(crate::employer::postings::refused)?;
    Ok(Json(StatusAnswer { status }))
}

pub async fn operator_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<StatusAnswer>> {
    review(app, req, id, Review::Approve).await
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// Why the posting goes back (at least one reason or a note).
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::ReturnReason>, min_items = 1)]
    reasons: Vec<String>,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    note: String,
}

pub async fn operator_return(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<ReturnBody>,
) -> WebResult<Json<StatusAnswer>> {
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
pub async fn operator_facilities(State(app): State<AppState>) -> WebResult<Json<FacilityQueue>> {
    Ok(Json(FacilityQueue {
        items: app.store.facilities_to_verify().await?,
    }))
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
