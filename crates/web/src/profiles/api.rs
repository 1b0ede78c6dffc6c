//! The profile API: the seeker's own profile, a seeker as the caller may see them, proposals.
use crate::api::body;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::ConsentKind;
use domain::disclosure::Purpose;
use domain::profile::{Profile, Section};
use serde::Deserialize;
use serde_json::{Value, json};
use store::disclosure::Want;

pub async fn profile_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = app.store.own_profile(v.user_id.clone()).await?;
    let sensitive = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    Ok(Json(
        json!({ "profile": p, "sensitive_consent": sensitive }),
    ))
}

pub async fn profile_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<Profile>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = body(b)?;
    let warnings = crate::profiles::save(&app, &req, v, &p).await?;
    let tr = req.tr();
    let warnings: Vec<Value> = warnings
        .into_iter()
        .map(|w| json!({"field": w.field, "topic": w.topic, "message": tr.t(&format!("warn-{}", w.topic))}))
        .collect();
    let p = app.store.own_profile(v.user_id.clone()).await?;
    Ok(Json(json!({ "profile": p, "warnings": warnings })))
}

fn operator_purpose(q: &std::collections::HashMap<String, String>) -> Option<Purpose> {
    match q.get("purpose").map(String::as_str) {
        Some("account_support") => Some(Purpose::AccountSupport),
        Some("privacy_request") => Some(Purpose::PrivacyRequest),
        _ => None,
    }
}

/// Exactly the caller's view of a seeker; 404 where the caller may see nothing.
pub async fn seeker_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let view = app
        .store
        .view_seeker(
            v.user_id.clone(),
            id,
            operator_purpose(&q),
            Want::All,
            "profile",
            req.ctx.clone(),
            crate::jst::today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    Ok(Json(
        serde_json::to_value(view).map_err(|_| Failure::Internal)?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    #[serde(default)]
    section: String,
    profile: Profile,
}

pub async fn draft_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(seeker): Path<String>,
    b: crate::api::ApiJson<DraftBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let s =
        Section::parse(&b.section).ok_or_else(|| Failure::field("section", "section-unknown"))?;
    let (part, _) = domain::profile::validate(&b.profile, s).map_err(Failure::Fields)?;
    let id = app
        .store
        .draft_section(v.user_id.clone(), seeker, part, s, now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((StatusCode::CREATED, Json(json!({ "draft_id": id }))).into_response())
}

pub async fn drafts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    Ok(Json(
        json!({ "drafts": app.store.drafts_for(v.user_id.clone()).await? }),
    ))
}

async fn decide(app: &AppState, req: &Req, id: String, approve: bool) -> WebResult<StatusCode> {
    let v = viewer(req)?;
    match app
        .store
        .decide_draft(v.user_id.clone(), id, approve, req.ctx.clone(), now())
        .await?
    {
        Some(Ok(())) => Ok(StatusCode::NO_CONTENT),
        Some(Err(_)) => Err(Failure::field("section", "sensitive-consent-required")),
        None => Err(Failure::NotFound),
    }
}

pub async fn draft_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    decide(&app, &req, id, true).await
}

pub async fn draft_reject(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    decide(&app, &req, id, false).await
}
