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
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyBody {
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    openness: String,
}

pub async fn apply(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ApplyBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let openness = Openness::parse(&b.openness)
        .ok_or_else(|| Failure::field("openness", "openness-invalid"))?;
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
    Ok((StatusCode::CREATED, Json(json!({ "application_id": id }))).into_response())
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
) -> WebResult<Json<Value>> {
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
    Ok(Json(json!({ "candidates": list })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoutBody {
    #[serde(default)]
    seeker_id: String,
    #[serde(default)]
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
    Ok((StatusCode::CREATED, Json(json!({ "scout_id": id }))).into_response())
}

pub async fn my_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    Ok(Json(
        json!({ "scouts": app.store.scouts_of(v.user_id.clone()).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptScoutBody {
    #[serde(default)]
    openness: String,
}

pub async fn scout_accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<AcceptScoutBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let openness = Openness::parse(&body(b)?.openness)
        .ok_or_else(|| Failure::field("openness", "openness-invalid"))?;
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
