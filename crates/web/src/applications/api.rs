//! The applications and scouts API (seekers apply and answer; verified companies search and scout).
use crate::api::body;
use crate::api::no_content_or_404;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::disclosure::Openness;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyBody {
    /// The company applied to.
    #[serde(default)]
    #[schema(required = true)]
    organization_id: String,
    /// `open` (障害者雇用枠: disability details disclosed) or `closed` (一般枠: none).
    openness: Openness,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationCreated {
    pub application_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateList {
    /// Each as the caller may see them (only what the disclosure policy allows).
    #[schema(value_type = Vec<crate::openapi::SeekerViewSchema>)]
    pub candidates: Vec<store::disclosure::SeekerView>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoutCreated {
    pub scout_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScoutList {
    pub scouts: Vec<store::profiles::ScoutRow>,
}

pub async fn apply(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ApplyBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let openness = b.openness;
    let id = app
        .store
        .apply(
            v.user_id.clone(),
            b.organization_id,
            openness,
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or_else(|| Failure::field("organization_id", "organization-unknown"))?;
    Ok((
        StatusCode::CREATED,
        Json(ApplicationCreated { application_id: id }),
    )
        .into_response())
}

pub async fn application_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .withdraw_application(v.user_id.clone(), id, now())
            .await?,
    )
}

pub async fn scout_search(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<CandidateList>> {
    let v = viewer(&req)?;
    crate::employer::candidates::require_verified(&app, &v.user_id).await?;
    let list: Vec<_> = app
        .store
        .scout_search(
            v.user_id.clone(),
            req.ctx.clone(),
            crate::jst::today(),
            now(),
            50,
        )
        .await?
        .into_iter()
        .map(|d| d.into_view())
        .collect();
    Ok(Json(CandidateList { candidates: list }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoutBody {
    #[serde(default)]
    #[schema(required = true)]
    seeker_id: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 2000, pattern = r"\S")]
    message: String,
}

pub async fn scout_send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ScoutBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    crate::employer::candidates::require_verified(&app, &v.user_id).await?;
    let b = body(b)?;
    let msg = b.message.trim();
    if msg.is_empty() || msg.chars().count() > 2000 {
        return Err(Failure::field(
            "message",
            if msg.is_empty() {
                "text-required"
            } else {
                "text-too-long"
            },
        ));
    }
    let id = app
        .store
        .send_scout(v.user_id.clone(), b.seeker_id, msg.to_owned(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((StatusCode::CREATED, Json(ScoutCreated { scout_id: id })).into_response())
}

pub async fn my_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<ScoutList>> {
    let v = viewer(&req)?;
    Ok(Json(ScoutList {
        scouts: app.store.scouts_of(v.user_id.clone()).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptScoutBody {
    /// How disability is disclosed to this company.
    openness: Openness,
}

pub async fn scout_accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<AcceptScoutBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let openness = body(b)?.openness;
    no_content_or_404(
        app.store
            .answer_scout(
                v.user_id.clone(),
                id,
                Some(openness),
                req.ctx.clone(),
                now(),
            )
            .await?,
    )
}

pub async fn scout_decline(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .answer_scout(v.user_id.clone(), id, None, req.ctx.clone(), now())
            .await?,
    )
}
