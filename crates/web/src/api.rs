//! The JSON API under `/api/v1`, described by `openapi.json`. Bearer tokens, no cookies,
//! so no CSRF. Errors are `{"error": {"code", "message", "fields": {name: {code, message}}}}`.
use crate::error::{Failure, WebResult};
use crate::flows::{self, InvitationForm, Registration};
use crate::guard::{Req, Viewer};
use crate::{AppState, now};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::{ConsentKind, UserKind};
use serde::Deserialize;
use serde_json::{Value, json};
use store::consents::Withdrawal;
use store::sessions::Channel;

const OPENAPI: &str = include_str!("../openapi.json");

pub async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

/// A JSON body, with unreadable bodies answered as `bad_request` in our error format.
fn body<T>(b: Result<Json<T>, JsonRejection>) -> WebResult<T> {
    b.map(|Json(v)| v).map_err(|e| {
        // serde's message can quote the submitted value: log the status only.
        tracing::info!(status = %e.status(), "unreadable json body");
        Failure::BadRequest
    })
}

/// 204 when the thing acted on was found, 404 when it was not (or is not the caller's).
fn no_content_or_404(found: bool) -> WebResult<StatusCode> {
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound)
    }
}

fn viewer(req: &Req) -> WebResult<&Viewer> {
    req.viewer.as_ref().ok_or(Failure::Unauthorized)
}

#[derive(Deserialize)]
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
    b: Result<Json<RegisterBody>, JsonRejection>,
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
    let id = flows::register(&app, &req, kind, r, "api").await?;
    Ok((StatusCode::CREATED, Json(json!({"user_id": id}))).into_response())
}

#[derive(Deserialize)]
pub struct LoginBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<LoginBody>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    let (session_id, token) = flows::login(&app, &req, &b.email, &b.password, Channel::Api).await?;
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
pub struct ResetBody {
    #[serde(default)]
    email: String,
}

pub async fn reset_request(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<ResetBody>, JsonRejection>,
) -> WebResult<StatusCode> {
    flows::reset_request(&app, &req, &body(b)?.email).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize)]
pub struct ResetConfirmBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

pub async fn reset_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<ResetConfirmBody>, JsonRejection>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    if flows::reset_confirm(&app, &req, &b.token, &b.password).await? {
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
    b: Result<Json<InviteBody>, JsonRejection>,
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
    let id = flows::invite(&app, &req, v, form).await?;
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
    b: Result<Json<AcceptBody>, JsonRejection>,
) -> WebResult<Response> {
    let b = body(b)?;
    let consent = b
        .consents
        .iter()
        .any(|c| c == ConsentKind::PrivacyPolicy.as_str());
    match flows::accept(&app, &req, &b.token, &b.name, &b.password, consent).await? {
        Some(id) => Ok((StatusCode::CREATED, Json(json!({ "user_id": id }))).into_response()),
        None => Err(Failure::field("token", "invitation-invalid")),
    }
}

// ------------------------------------------------------------------ profiles and privacy

use crate::seekers;
use domain::disclosure::{Openness, Purpose};
use domain::profile::{Profile, Section};
use store::disclosure::Want;
use store::profiles::{Setting, SettingRefused};

pub async fn profile_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = app
        .store
        .own_profile(v.user_id.clone(), seekers::today())
        .await?;
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
    b: Result<Json<Profile>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = body(b)?;
    let warnings = seekers::save(&app, &req, v, &p).await?;
    let tr = req.tr();
    let warnings: Vec<Value> = warnings
        .into_iter()
        .map(|w| json!({"field": w.field, "topic": w.topic, "message": tr.t(&format!("warn-{}", w.topic))}))
        .collect();
    let p = app
        .store
        .own_profile(v.user_id.clone(), seekers::today())
        .await?;
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
            seekers::today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    Ok(Json(
        serde_json::to_value(view).map_err(|_| Failure::Internal)?,
    ))
}

/// The provision records, as JSON or as CSV for Excel (UTF-8 with BOM, CRLF).
pub async fn provision_records(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    if q.get("format").map(String::as_str) == Some("csv") {
        let body = crate::profile_pages::records_csv(&req.tr(), &records);
        return Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"provision-records.csv\"",
                ),
            ],
            body,
        )
            .into_response());
    }
    Ok(Json(json!({ "provision_records": records })).into_response())
}

pub async fn privacy_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = app.store.privacy(v.user_id.clone()).await?;
    Ok(Json(
        serde_json::to_value(p).map_err(|_| Failure::Internal)?,
    ))
}

async fn set(app: &AppState, req: &Req, s: Setting) -> WebResult<Json<Value>> {
    let v = viewer(req)?;
    match app
        .store
        .privacy_set(v.user_id.clone(), s, "api", req.ctx.clone(), now())
        .await?
    {
        Ok(()) => {}
        Err(SettingRefused::UnknownCode) => return Err(Failure::field("code", "code-unknown")),
        Err(SettingRefused::UnknownOrganization) => {
            return Err(Failure::field("organization_id", "organization-unknown"));
        }
        Err(SettingRefused::UnknownFamily) => {
            return Err(Failure::field("categories", "family-unknown"));
        }
        Err(SettingRefused::UnknownSection) => {
            return Err(Failure::field("sections", "section-unknown"));
        }
    }
    let p = app.store.privacy(v.user_id.clone()).await?;
    Ok(Json(
        serde_json::to_value(p).map_err(|_| Failure::Internal)?,
    ))
}

#[derive(Deserialize)]
pub struct ScoutsBody {
    enabled: bool,
    #[serde(default)]
    sections: Vec<String>,
}

pub async fn privacy_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<ScoutsBody>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    set(
        &app,
        &req,
        Setting::Scouts {
            enabled: b.enabled,
            sections: b.sections,
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct OrgBody {
    #[serde(default)]
    organization_id: String,
}

pub async fn block_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<OrgBody>, JsonRejection>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::Block(body(b)?.organization_id)).await
}

pub async fn block_remove(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(org): Path<String>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::Unblock(org)).await
}

#[derive(Deserialize)]
pub struct CodeBody {
    #[serde(default)]
    code: String,
}

pub async fn supporter_link(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<CodeBody>, JsonRejection>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::LinkFacility(body(b)?.code)).await
}

pub async fn supporter_unlink(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::UnlinkFacility).await
}

#[derive(Deserialize)]
pub struct SharesBody {
    #[serde(default)]
    categories: Vec<String>,
}

pub async fn family_shares(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(family_id): Path<String>,
    b: Result<Json<SharesBody>, JsonRejection>,
) -> WebResult<Json<Value>> {
    set(
        &app,
        &req,
        Setting::FamilyShares {
            family_id,
            categories: body(b)?.categories,
        },
    )
    .await
}

pub async fn partner_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(org): Path<String>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::WithdrawPartner(org)).await
}

pub async fn companies(
    State(app): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Json<Value>> {
    let name = q.get("q").cloned().unwrap_or_default();
    let list = if name.trim().is_empty() {
        Vec::new()
    } else {
        app.store.companies_named(name).await?
    };
    Ok(Json(json!({ "companies": list })))
}

#[derive(Deserialize)]
pub struct ApplyBody {
    #[serde(default)]
    organization_id: String,
    #[serde(default)]
    openness: String,
}

pub async fn apply(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<ApplyBody>, JsonRejection>,
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
    crate::jobs_pages::require_verified(&app, &v.user_id).await?;
    let list: Vec<_> = app
        .store
        .scout_search(
            v.user_id.clone(),
            req.ctx.clone(),
            seekers::today(),
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
pub struct ScoutBody {
    #[serde(default)]
    seeker_id: String,
    #[serde(default)]
    message: String,
}

pub async fn scout_send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<ScoutBody>, JsonRejection>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    crate::jobs_pages::require_verified(&app, &v.user_id).await?;
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
pub struct AcceptScoutBody {
    #[serde(default)]
    openness: String,
}

pub async fn scout_accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: Result<Json<AcceptScoutBody>, JsonRejection>,
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

pub async fn facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let (org, code) = app
        .store
        .facility_code(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let seekers: Vec<Value> = app
        .store
        .facility_seekers(v.user_id.clone(), req.ctx.clone(), seekers::today(), now())
        .await?
        .into_iter()
        .map(|(id, name)| json!({"seeker_id": id, "name": name}))
        .collect();
    Ok(Json(
        json!({ "organization_id": org, "invite_code": code, "seekers": seekers }),
    ))
}

#[derive(Deserialize)]
pub struct DraftBody {
    #[serde(default)]
    section: String,
    profile: Profile,
}

pub async fn draft_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(seeker): Path<String>,
    b: Result<Json<DraftBody>, JsonRejection>,
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
