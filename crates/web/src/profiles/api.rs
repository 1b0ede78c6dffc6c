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
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The seeker's own profile.
#[derive(Serialize, ToSchema)]
pub struct OwnProfile {
    pub profile: Profile,
    /// Whether the consent for 要配慮個人情報 stands (the sensitive sections need it).
    pub sensitive_consent: bool,
}

/// A topic a free text touches that employers may not ask about; saving goes ahead.
#[derive(Serialize, ToSchema)]
pub struct ProfileWarning {
    pub field: String,
    pub topic: &'static str,
    pub message: String,
}

/// The profile as saved, with warnings about what was written.
#[derive(Serialize, ToSchema)]
pub struct SavedProfile {
    pub profile: Profile,
    pub warnings: Vec<ProfileWarning>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SeekerQuery {
    /// Operators only: why they look (every operator view is logged with it).
    #[param(inline)]
    purpose: Option<Purpose>,
}

#[derive(Serialize, ToSchema)]
pub struct DraftCreated {
    pub draft_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct DraftList {
    pub drafts: Vec<store::profiles::Draft>,
}
use store::disclosure::Want;

pub async fn profile_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<OwnProfile>> {
    let v = viewer(&req)?;
    let p = app.store.own_profile(v.user_id.clone()).await?;
    let sensitive = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    Ok(Json(OwnProfile {
        profile: p,
        sensitive_consent: sensitive,
    }))
}

pub async fn profile_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<Profile>,
) -> WebResult<Json<SavedProfile>> {
    let v = viewer(&req)?;
    let p = body(b)?;
    let warnings = crate::profiles::save(&app, &req, v, &p).await?;
    let tr = req.tr();
    let warnings = warnings
        .into_iter()
        .map(|w| ProfileWarning {
            message: tr.t(&format!("warn-{}", w.topic)),
            field: w.field,
            topic: w.topic,
        })
        .collect();
    let p = app.store.own_profile(v.user_id.clone()).await?;
    Ok(Json(SavedProfile {
        profile: p,
        warnings,
    }))
}

/// Exactly the caller's view of a seeker; 404 where the caller may see nothing.
pub async fn seeker_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    q: crate::api::ApiQuery<SeekerQuery>,
) -> WebResult<Json<store::disclosure::SeekerView>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let view = app
        .store
        .view_seeker(
            v.user_id.clone(),
            id,
            q.purpose,
            Want::All,
            "profile",
            req.ctx.clone(),
            crate::jst::today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    Ok(Json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// The section proposed (only sections the supporter sees whole).
    section: Section,
    /// The proposal: the named section filled in.
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
    let s = b.section;
    let (part, _) = domain::profile::validate(&b.profile, s).map_err(Failure::Fields)?;
    let id = app
        .store
        .draft_section(v.user_id.clone(), seeker, part, s, now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((StatusCode::CREATED, Json(DraftCreated { draft_id: id })).into_response())
}

pub async fn drafts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<DraftList>> {
    let v = viewer(&req)?;
    Ok(Json(DraftList {
        drafts: app.store.drafts_for(v.user_id.clone()).await?,
    }))
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
