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
use serde::{Deserialize, Serialize};
use store::consents::Withdrawal;
use store::sessions::Channel;
use utoipa::ToSchema;

/// Who may register themselves (family members and staff join by invitation).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfKind {
    Seeker,
    Employer,
    Supporter,
}

impl From<SelfKind> for UserKind {
    fn from(k: SelfKind) -> Self {
        match k {
            SelfKind::Seeker => UserKind::Seeker,
            SelfKind::Employer => UserKind::Employer,
            SelfKind::Supporter => UserKind::Supporter,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterBody {
    kind: SelfKind,
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
    email: String,
    #[serde(default)]
    #[schema(required = true, min_length = 10, max_length = 256)]
    password: String,
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    name: String,
    /// The company's or facility's name (employers and supporters).
    #[serde(default)]
    #[schema(
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    organization_name: String,
    /// Consents given now: `privacy_policy` is required; a seeker may add
    /// `sensitive_data` (要配慮個人情報) and `partner_share`.
    #[serde(default)]
    consents: Vec<ConsentKind>,
    /// Partner companies the seeker agrees to share with (with `partner_share`).
    #[serde(default)]
    partner_companies: Vec<String>,
}

/// A new account.
#[derive(Serialize, ToSchema)]
pub struct UserCreated {
    pub user_id: String,
}

pub async fn register(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<RegisterBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let kind = UserKind::from(b.kind);
    let r = Registration {
        email: b.email,
        password: b.password,
        password_hash: None,
        name: b.name,
        organization_name: b.organization_name,
        consents: b.consents.iter().map(|c| c.as_str().to_owned()).collect(),
        partner_companies: b.partner_companies,
    };
    let id = crate::accounts::flows::register(&app, &req, kind, r, "api").await?;
    Ok((StatusCode::CREATED, Json(UserCreated { user_id: id })).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
    email: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 256)]
    password: String,
    /// For an account with a second factor: a code from its authenticator app, or one of
    /// its recovery codes (without it the answer is 422 with `code-required` on `code`).
    #[serde(default)]
    #[schema(max_length = 32)]
    code: String,
}

/// A bearer token for the API.
#[derive(Serialize, ToSchema)]
pub struct LoginAnswer {
    pub token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    pub session_id: String,
    /// Seconds until the session ends at the latest.
    pub expires_in: i64,
    /// The account must sign in with a second factor and has none yet (an operator, a
    /// company's or a facility's admin): until one is set up (`POST
    /// /api/v1/me/second-factor/totp`, then `…/totp/confirm`), every other call that needs
    /// a session answers 403 `second_factor_required`.
    pub second_factor_setup_required: bool,
}

pub async fn login(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<LoginBody>,
) -> WebResult<Json<LoginAnswer>> {
    let b = body(b)?;
    use crate::accounts::flows::SignIn;
    let (session_id, token, set_up) = match crate::accounts::flows::login(
        &app,
        &req,
        &b.email,
        &b.password,
        Some(&b.code),
        Channel::Api,
    )
    .await?
    {
        SignIn::Session(id, token) => (id, token, false),
        SignIn::SetUpFirst(id, token) => (id, token, true),
        // The API never leaves a sign-in half done.
        SignIn::NeedsCode(_) => {
            return Err(crate::error::Failure::field("code", "code-required"));
        }
    };
    Ok(Json(LoginAnswer {
        token,
        token_type: "Bearer",
        session_id,
        expires_in: app.cfg.api_session.absolute,
        second_factor_setup_required: set_up,
    }))
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetBody {
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmBody {
    /// The token from the reset mail.
    #[serde(default)]
    #[schema(required = true, max_length = 200)]
    token: String,
    #[serde(default)]
    #[schema(required = true, min_length = 10, max_length = 256)]
    password: String,
}

/// The signed-in user's own account and organisations.
#[derive(Serialize, ToSchema)]
pub struct MeAnswer {
    pub id: String,
    pub kind: UserKind,
    pub email: String,
    pub name: String,
    pub lang: String,
    pub created_at: i64,
    /// Whether the address is confirmed (until it is, only confirming it is open).
    pub email_verified: bool,
    pub organizations: Vec<store::accounts::Membership>,
}

#[derive(Serialize, ToSchema)]
pub struct ConsentList {
    pub consents: Vec<store::consents::Record>,
}

#[derive(Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<store::sessions::Listed>,
    /// The id of the session this request came with.
    pub current: String,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationMembers {
    pub organization: store::accounts::Membership,
    pub members: Vec<store::accounts::Member>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationList {
    pub organizations: Vec<OrganizationMembers>,
}

#[derive(Serialize, ToSchema)]
pub struct FamilyList {
    pub family: Vec<store::accounts::FamilyLink>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    pub invitations: Vec<store::invitations::Sent>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationCreated {
    pub invitation_id: String,
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
) -> WebResult<Json<MeAnswer>> {
    let v = viewer(&req)?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let orgs = app.store.memberships_of(v.user_id.clone()).await?;
    Ok(Json(MeAnswer {
        id: me.id,
        kind: me.kind,
        email: me.email,
        name: me.name,
        lang: me.lang,
        created_at: me.created_at,
        email_verified: me.email_verified,
        organizations: orgs,
    }))
}

pub async fn consents(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<ConsentList>> {
    let v = viewer(&req)?;
    let list = app.store.consents_of(v.user_id.clone()).await?;
    Ok(Json(ConsentList { consents: list }))
}

fn consent_kind(kind: &str, v: &Viewer) -> WebResult<ConsentKind> {
    ConsentKind::parse(kind)
        .filter(|k| k.applies_to(v.kind) && !k.own_screen())
        .ok_or(Failure::NotFound)
}

pub async fn consent_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Json<ConsentList>> {
    let v = viewer(&req)?;
    let kind = consent_kind(&kind, v)?;
    match app
        .store
        .consent_withdraw(v.user_id.clone(), kind, req.ctx.clone(), now())
        .await?
    {
        Withdrawal::Withdrawn => {
            let list = app.store.consents_of(v.user_id.clone()).await?;
            Ok(Json(ConsentList { consents: list }))
        }
        Withdrawal::NotActive => Err(Failure::Conflict("err-not-active")),
        Withdrawal::NotWithdrawable => Err(Failure::Conflict("err-not-withdrawable")),
    }
}

pub async fn consent_give(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Json<ConsentList>> {
    let v = viewer(&req)?;
    let kind = consent_kind(&kind, v)?;
    app.store
        .consent_give(v.user_id.clone(), kind, "api", req.ctx.clone(), now())
        .await?;
    let list = app.store.consents_of(v.user_id.clone()).await?;
    Ok(Json(ConsentList { consents: list }))
}

pub async fn sessions(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<SessionList>> {
    let v = viewer(&req)?;
    let list = app.store.sessions_of(v.user_id.clone(), now()).await?;
    Ok(Json(SessionList {
        sessions: list,
        current: v.session_id.clone(),
    }))
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
) -> WebResult<Json<OrganizationList>> {
    let v = viewer(&req)?;
    let mut out = Vec::new();
    for m in app.store.memberships_of(v.user_id.clone()).await? {
        let members = app
            .store
            .org_members(v.user_id.clone(), m.org_id.clone(), req.ctx.clone(), now())
            .await?;
        out.push(OrganizationMembers {
            organization: m,
            members,
        });
    }
    Ok(Json(OrganizationList { organizations: out }))
}

pub async fn family(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<FamilyList>> {
    let v = viewer(&req)?;
    let links = app
        .store
        .family_links(v.user_id.clone(), req.ctx.clone(), now())
        .await?;
    Ok(Json(FamilyList { family: links }))
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
) -> WebResult<Json<InvitationList>> {
    let v = viewer(&req)?;
    let sent = app.store.invitations_sent(v.user_id.clone(), now()).await?;
    Ok(Json(InvitationList { invitations: sent }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// `family` (a seeker invites a family member) or `member` (into the caller's organisation).
    #[serde(default)]
    #[schema(required = true, value_type = crate::openapi::InviteKind)]
    kind: String,
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
    email: String,
    /// For `member`: the organisation (one the caller administers).
    #[serde(default)]
    organization_id: String,
    /// For `member`: the role in the organisation.
    #[serde(default)]
    #[schema(value_type = domain::Role)]
    role: String,
    /// For `family`: who the family member is to the seeker.
    #[serde(default)]
    #[schema(value_type = domain::Relation)]
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
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated { invitation_id: id }),
    )
        .into_response())
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The token from the invitation mail.
    #[serde(default)]
    #[schema(required = true, max_length = 200)]
    token: String,
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    name: String,
    #[serde(default)]
    #[schema(required = true, min_length = 10, max_length = 256)]
    password: String,
    /// Must hold `privacy_policy`.
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
        Some(id) => Ok((StatusCode::CREATED, Json(UserCreated { user_id: id })).into_response()),
        None => Err(Failure::field("token", "invitation-invalid")),
    }
}
