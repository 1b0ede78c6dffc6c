//! Second factors, as their owner manages them: setting up an authenticator app (a QR
//! code and the secret to type by hand, confirmed by a first code), the recovery codes
//! (shown once, renewed on demand), and removing the app. The page and the API call the
//! same steps; the rule of the codes lives in `store::factors`.
use crate::accounts::{FormData, field, flows};
use crate::error::{Failure, WebResult};
use crate::forms::{refusal, see_other};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::factors::{Enrolment, FactorState};
use utoipa::ToSchema;

/// Status messages of the security page.
const FLASH: &[&str] = &["totp-removed", "recovery-used", "totp-required"];

/// How the authenticator app names the account: the site and the person's address.
async fn label(app: &AppState, req: &Req) -> WebResult<String> {
    let v = viewer(req)?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    Ok(me.email)
}

/// The QR code of an enrolment as inline SVG (the secret is also shown as text, for a
/// person who cannot scan it).
fn qr_svg(url: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

/// The secret in groups of four, as it is easiest to type.
fn grouped(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    state: FactorState,
    /// The authenticator being set up: QR (SVG) and the secret, grouped.
    pending: Option<(String, String)>,
    /// Recovery codes just made: shown this once.
    codes: Vec<String>,
    since: String,
}

impl SecurityPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
}

async fn page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    codes: Vec<String>,
    flash: Option<&'static str>,
) -> WebResult<SecurityPage> {
    let v = viewer(req)?;
    let state = app.store.factor_state(v.user_id.clone()).await?;
    let pending = match state.totp_pending {
        true => app
            .store
            .totp_pending(v.user_id.clone(), label(app, req).await?)
            .await?
            .map(|e| (qr_svg(&e.url), grouped(&e.secret))),
        false => None,
    };
    Ok(SecurityPage {
        c: Chrome::new(req).flash(flash),
        errors,
        since: state
            .totp_confirmed_at
            .map(|t| crate::jst::date_text(t, req.lang))
            .unwrap_or_default(),
        state,
        pending,
        codes,
    })
}

pub async fn security(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = crate::accounts::flash_in(&q, FLASH);
    Ok(html(
        &page(&app, &req, Vec::new(), Vec::new(), flash).await?,
    ))
}

/// A refused step, shown on the security page with its errors.
async fn refused(app: &AppState, req: &Req, fail: Failure, field: &str) -> WebResult<Response> {
    let (status, errors) = refusal(&req.tr(), fail, field)?;
    Ok((
        status,
        html(&page(app, req, errors, Vec::new(), None).await?),
    )
        .into_response())
}

// ------------------------------------------------------------------ the steps

/// Starts setting up an authenticator, after the password is checked again.
async fn begin(app: &AppState, req: &Req, password: &str) -> WebResult<Enrolment> {
    let v = viewer(req)?;
    if password.is_empty() {
        return Err(Failure::field("password", "password-required"));
    }
    flows::check_fresh(app, v, password, "").await?;
    app.store
        .totp_begin(v.user_id.clone(), label(app, req).await?, now())
        .await?
        .ok_or_else(|| Failure::field("password", "totp-already-on"))
}

/// Confirms the app with its first code: it is in force, this session counts as
/// signed in with it, and the recovery codes are made.
async fn confirm(app: &AppState, req: &Req, code: &str) -> WebResult<Vec<String>> {
    let v = viewer(req)?;
    if code.trim().is_empty() {
        return Err(Failure::field("code", "code-required"));
    }
    app.store
        .totp_confirm(
            v.user_id.clone(),
            v.session_id.clone(),
            code.to_owned(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or_else(|| Failure::field("code", "code-wrong"))
}

/// Removes the app: the password and a code (or a recovery code) both checked.
async fn remove(app: &AppState, req: &Req, password: &str, code: &str) -> WebResult<()> {
    let v = viewer(req)?;
    let mut f = domain::Fields::new();
    if password.is_empty() {
        f.add("password", "password-required");
    }
    if code.trim().is_empty() {
        f.add("code", "code-required");
    }
    f.into_result()?;
    flows::check_fresh(app, v, password, "").await?;
    flows::check_fresh(app, v, "", code).await?;
    app.store
        .totp_remove(
            v.user_id.clone(),
            v.session_id.clone(),
            req.ctx.clone(),
            now(),
        )
        .await?;
    Ok(())
}

/// New recovery codes in place of the old, after the password is checked again.
async fn renew(app: &AppState, req: &Req, password: &str) -> WebResult<Vec<String>> {
    let v = viewer(req)?;
    if password.is_empty() {
        return Err(Failure::field("password", "password-required"));
    }
    flows::check_fresh(app, v, password, "").await?;
    app.store
        .recovery_renew(v.user_id.clone(), req.ctx.clone(), now())
        .await?
        .ok_or_else(|| Failure::field("password", "totp-not-on"))
}

// ------------------------------------------------------------------ pages

pub async fn totp_begin_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    match begin(&app, &req, field(&f, "password")).await {
        Ok(_) => Ok(see_other("/account/security#setup")),
        Err(fail) => refused(&app, &req, fail, "password").await,
    }
}

pub async fn totp_confirm_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    match confirm(&app, &req, field(&f, "code")).await {
        // Shown on this answer only: the codes are never put in an address.
        Ok(codes) => Ok(html(
            &page(&app, &req, Vec::new(), codes, Some("totp-on")).await?,
        )),
        Err(fail) => refused(&app, &req, fail, "code").await,
    }
}

pub async fn totp_remove_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    match remove(&app, &req, field(&f, "password"), field(&f, "code")).await {
        Ok(()) => Ok(see_other("/account/security?m=totp-removed")),
        Err(fail) => {
            // This form's fields have their own ids on the page (the renewal's form
            // has a password field too).
            let (status, errors) = refusal(&req.tr(), fail, "password")?;
            let errors = errors
                .into_iter()
                .map(|(f, m)| (format!("remove-{f}"), m))
                .collect();
            Ok((
                status,
                html(&page(&app, &req, errors, Vec::new(), None).await?),
            )
                .into_response())
        }
    }
}

pub async fn recovery_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    match renew(&app, &req, field(&f, "password")).await {
        Ok(codes) => Ok(html(
            &page(&app, &req, Vec::new(), codes, Some("recovery-renewed")).await?,
        )),
        Err(fail) => refused(&app, &req, fail, "password").await,
    }
}

// ------------------------------------------------------------------ API

/// `GET /api/v1/me/second-factor`.
pub async fn state_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<FactorState>> {
    let v = viewer(&req)?;
    Ok(Json(app.store.factor_state(v.user_id.clone()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordBody {
    /// The account's password, checked again.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 256)]
    password: String,
}

/// An authenticator to set up: what the app needs.
#[derive(Serialize, ToSchema)]
pub struct TotpEnrolment {
    /// The secret in Base32 (RFC 4648), for typing into the app.
    pub secret: String,
    /// The `otpauth://totp/…` address (what the QR code on the page holds).
    pub otpauth_url: String,
}

/// `POST /api/v1/me/second-factor/totp`: 201 with the secret; not in force until
/// confirmed with a code.
pub async fn totp_begin_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<PasswordBody>,
) -> WebResult<Response> {
    let b = crate::api::body(b)?;
    let e = begin(&app, &req, &b.password).await?;
    Ok((
        StatusCode::CREATED,
        Json(TotpEnrolment {
            secret: e.secret,
            otpauth_url: e.url,
        }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TotpCodeBody {
    /// The code the authenticator app shows now.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 32)]
    code: String,
}

/// Recovery codes, shown this once (only their hashes are kept).
#[derive(Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// `POST /api/v1/me/second-factor/totp/confirm`: the app is in force; the recovery codes.
pub async fn totp_confirm_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<TotpCodeBody>,
) -> WebResult<Json<RecoveryCodes>> {
    let b = crate::api::body(b)?;
    Ok(Json(RecoveryCodes {
        recovery_codes: confirm(&app, &req, &b.code).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemoveBody {
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 256)]
    password: String,
    /// A code from the app, or a recovery code.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 32)]
    code: String,
}

/// `POST /api/v1/me/second-factor/totp/remove`: 204.
pub async fn totp_remove_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<RemoveBody>,
) -> WebResult<StatusCode> {
    let b = crate::api::body(b)?;
    remove(&app, &req, &b.password, &b.code).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/me/second-factor/recovery-codes`: new codes in place of the old.
pub async fn recovery_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<PasswordBody>,
) -> WebResult<Json<RecoveryCodes>> {
    let b = crate::api::body(b)?;
    Ok(Json(RecoveryCodes {
        recovery_codes: renew(&app, &req, &b.password).await?,
    }))
}
