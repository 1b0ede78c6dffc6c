//! The accounts API: register, login, logout, reset, me, consents, sessions, family, invitations.
use crate::accounts::flows::InvitationForm;
use crate::accounts::flows::Registration;
use crate::api::body;
use crate::api::no_content_or_404;
use crate::error::{Failure, WebResult};
use crate::request::viewer;
use crate::request::{Req, Viewer};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::{ConsentKind, UserKind};
use serde::Deserialize;
use serde_json::{Value, json};
use store::consents::Withdrawal;
use store::sessions::Channel;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    organization_name: String,
    #[serde(default)]
    consents: Vec<String>,
    #[serde(default)]
    partner_companies: Vec<String>,
}

pub async fn register(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<RegisterBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let kind = UserKind::parse(&b.kind)
        .filter(|k| k.may_self_register())
        .ok_or_else(|| Failure::field("kind", "kind-invalid"))?;
    let r = Registration {
        email: b.email,
        password: b.password,
        password_hash: None,
        name: b.name,
        organization_name: b.organization_name,
        consents: b.consents,
        partner_companies: b.partner_companies,
    };
    let id = crate::accounts::flows::register(&app, &req, kind, r, "api").await?;
    Ok((StatusCode::CREATED, Json(json!({"user_id": id}))).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<LoginBody>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    let (session_id, token) =
        crate::accounts::flows::login(&app, &req, &b.email, &b.password, Channel::Api).await?;
    Ok(Json(json!({
        "token": token,
        "token_type": "Bearer",
        "session_id": session_id,
        "expires_in": app.cfg.api_session.absolute,
    })))
}

pub async fn logout(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    app.store
        .session_revoke(v.user_id.clone(), v.session_id.clone(), now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    #[serde(default)]
    email: String,
}

pub async fn reset_request(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ResetBody>,
) -> WebResult<StatusCode> {
    crate::accounts::flows::reset_request(&app, &req, &body(b)?.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn reset_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ResetConfirmBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    if crate::accounts::flows::reset_confirm(&app, &req, &b.token, &b.password).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::field("token", "reset-token-invalid"))
    }
}

pub async fn me(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let orgs = app.store.memberships_of(v.user_id.clone()).await?;
    Ok(Json(json!({
        "id": me.id,
        "kind": me.kind,
        "email": me.email,
        "name": me.name,
        "lang": me.lang,
        "created_at": me.created_at,
        "organizations": orgs,
    })))
}

pub async fn consents(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let list = app.store.consents_of(v.user_id.clone()).await?;
    Ok(Json(json!({ "consents": list })))
}

fn consent_kind(kind: &str, v: &Viewer) -> WebResult<ConsentKind> {
    ConsentKind::parse(kind)
        .filter(|k| k.applies_to(v.kind))
        .ok_or(Failure::NotFound)
}

pub async fn consent_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let kind = consent_kind(&kind, v)?;
    match app
        .store
        .consent_withdraw(v.user_id.clone(), kind, req.ctx.clone(), now())
        .await?
    {
        Withdrawal::Withdrawn => {
            let list = app.store.consents_of(v.user_id.clone()).await?;
            Ok(Json(json!({ "consents": list })))
        }
        Withdrawal::NotActive => Err(Failure::Conflict("err-not-active")),
        Withdrawal::NotWithdrawable => Err(Failure::Conflict("err-not-withdrawable")),
    }
}

pub async fn consent_give(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let kind = consent_kind(&kind, v)?;
    app.store
        .consent_give(v.user_id.clone(), kind, "api", req.ctx.clone(), now())
        .await?;
    let list = app.store.consents_of(v.user_id.clone()).await?;
    Ok(Json(json!({ "consents": list })))
}

pub async fn sessions(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let list = app.store.sessions_of(v.user_id.clone(), now()).await?;
    Ok(Json(json!({ "sessions": list, "current": v.session_id })))
}

pub async fn session_revoke(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .session_revoke(v.user_id.clone(), id, now())
            .await?,
    )
}

pub async fn organizations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let mut out = Vec::new();
    for m in app.store.memberships_of(v.user_id.clone()).await? {
        let members = app
            .store
            .org_members(v.user_id.clone(), m.org_id.clone(), req.ctx.clone(), now())
            .await?;
        out.push(json!({ "organization": m, "members": members }));
    }
    Ok(Json(json!({ "organizations": out })))
}

pub async fn family(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let links = app
        .store
        .family_links(v.user_id.clone(), req.ctx.clone(), now())
        .await?;
    Ok(Json(json!({ "family": links })))
}

pub async fn family_end(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .end_family_link(v.user_id.clone(), id, req.ctx.clone(), now())
            .await?,
    )
}

pub async fn invitations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let sent = app.store.invitations_sent(v.user_id.clone(), now()).await?;
    Ok(Json(json!({ "invitations": sent })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    relation: String,
}

pub async fn invitation_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<InviteBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let form = InvitationForm {
        email: b.email,
        kind: b.kind,
        organization_id: b.organization_id,
        role: b.role,
        relation: b.relation,
    };
    let id = crate::accounts::flows::invite(&app, &req, v, form).await?;
    Ok((StatusCode::CREATED, Json(json!({ "invitation_id": id }))).into_response())
}

pub async fn invitation_revoke(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .invitation_revoke(v.user_id.clone(), id, now())
            .await?,
    )
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    consents: Vec<String>,
}

pub async fn invitation_accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<AcceptBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let consent = b
        .consents
        .iter()
        .any(|c| c == ConsentKind::PrivacyPolicy.as_str());
    match crate::accounts::flows::accept(&app, &req, &b.token, &b.name, &b.password, consent)
        .await?
    {
        Some(id) => Ok((StatusCode::CREATED, Json(json!({ "user_id": id }))).into_response()),
        None => Err(Failure::field("token", "invitation-invalid")),
    }
}
