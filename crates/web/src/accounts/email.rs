//! The account's address: whether it is confirmed, a new confirmation link, a change to
//! a new address (the password checked again; the new address confirmed by its own
//! link, the old one told), and the page a mailed link opens. Pages and API call the
//! same steps; the rule lives in `store::email_checks`.
use crate::accounts::{FormData, field, flows};
use crate::error::{Failure, WebResult};
use crate::forms::{Recheck, refusal, see_other};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, mail, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::validate::Email;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::email_checks::{Checked, EmailState};
use utoipa::ToSchema;

/// Status messages of the address page.
const FLASH: &[&str] = &[
    "verify-first",
    "email-sent",
    "email-change-sent",
    "email-verified",
    "email-changed",
];

// ------------------------------------------------------------------ the steps

/// Mails a new link (to a change waiting, else to an unconfirmed own address).
async fn resend(app: &AppState, req: &Req) -> WebResult<()> {
    let v = viewer(req)?;
    flows::rate(
        app,
        crate::limit::Bucket::Reset,
        &store::token_hash(&format!("email:{}", v.user_id)),
    )?;
    let base = app.cfg.public_url.clone();
    let sent = app
        .store
        .email_check_send(v.user_id.clone(), now(), move |token, lang| {
            mail::email_check(&base, token, lang)
        })
        .await?;
    if sent {
        Ok(())
    } else {
        Err(Failure::field("resend", "email-nothing-to-confirm"))
    }
}

/// Asks to change the address, after the password (or a code) is checked again.
async fn change(
    app: &AppState,
    req: &Req,
    email: &str,
    password: &str,
    code: &str,
) -> WebResult<()> {
    let v = viewer(req)?;
    let email = Email::parse(email).map_err(|code| Failure::field("email", code))?;
    flows::check_fresh(app, v, password, code).await?;
    flows::rate(
        app,
        crate::limit::Bucket::Reset,
        &store::token_hash(&format!("email:{}", v.user_id)),
    )?;
    let base = app.cfg.public_url.clone();
    let taken_base = base.clone();
    let result = app
        .store
        .email_change_request(
            v.user_id.clone(),
            email,
            req.ctx.clone(),
            now(),
            move |token, lang| mail::email_check(&base, token, lang),
            move |lang| mail::email_taken(&taken_base, lang),
        )
        .await;
    match result {
        Err(store::StoreError::Conflict("email-same")) => {
            Err(Failure::field("email", "email-same"))
        }
        other => Ok(other?),
    }
}

/// Opens a mailed link.
async fn verify(app: &AppState, req: &Req, token: &str) -> WebResult<Option<Checked>> {
    let base = app.cfg.public_url.clone();
    let desk = app.cfg.operator.desk.clone().unwrap_or_default();
    Ok(app
        .store
        .email_check_confirm(token, req.ctx.clone(), now(), move |lang| {
            mail::email_changed(&base, &desk, lang)
        })
        .await?)
}

// ------------------------------------------------------------------ pages

#[derive(Template)]
#[template(path = "account_email.html")]
struct EmailPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    state: EmailState,
    recheck: Recheck,
    /// The new address as typed, kept when the form is refused.
    typed: String,
}

impl EmailPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
}

async fn page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    typed: String,
    flash: Option<&'static str>,
) -> WebResult<EmailPage> {
    let v = viewer(req)?;
    Ok(EmailPage {
        c: Chrome::new(req).flash(flash),
        state: app.store.email_state(v.user_id.clone(), now()).await?,
        recheck: Recheck::of(app, req, &errors).await?,
        errors,
        typed,
    })
}

pub async fn email_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = crate::accounts::flash_in(&q, FLASH);
    Ok(html(
        &page(&app, &req, Vec::new(), String::new(), flash).await?,
    ))
}

pub async fn resend_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    match resend(&app, &req).await {
        Ok(()) => Ok(see_other("/account/email?m=email-sent")),
        Err(fail) => {
            let (status, errors) = refusal(&req.tr(), fail, "resend")?;
            let p = page(&app, &req, errors, String::new(), None).await?;
            Ok((status, html(&p)).into_response())
        }
    }
}

pub async fn change_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let email = field(&f, "email");
    match change(&app, &req, email, field(&f, "password"), field(&f, "code")).await {
        Ok(()) => Ok(see_other("/account/email?m=email-change-sent")),
        Err(fail) => {
            let (status, errors) = refusal(&req.tr(), fail, "email")?;
            let p = page(&app, &req, errors, email.to_owned(), None).await?;
            Ok((status, html(&p)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "verify_email.html")]
struct VerifyPage {
    c: Chrome,
    token: String,
}

/// The page a mailed link opens: one button confirms (a mail program that opens links
/// to scan them confirms nothing).
pub async fn verify_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    if !app.store.email_check_valid(&token, now()).await? {
        return Ok(invalid(&req));
    }
    Ok(html(&VerifyPage {
        c: Chrome::new(&req),
        token,
    }))
}

pub async fn verify_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    let flash = match verify(&app, &req, &token).await? {
        Some(Checked::Verified) => "email-verified",
        Some(Checked::Changed) => "email-changed",
        None => return Ok(invalid(&req)),
    };
    Ok(match req.viewer {
        Some(_) => see_other(&format!("/account/email?m={flash}")),
        None => see_other(&format!("/login?m={flash}")),
    })
}

/// A link that is unknown, used, expired, or whose address another account took since.
fn invalid(req: &Req) -> Response {
    let links = vec![("/account/email".into(), req.tr().t("email-title"))];
    (
        StatusCode::NOT_FOUND,
        crate::accounts::pages::message(req, "verify-title", "verify-invalid", true, links),
    )
        .into_response()
}

// ------------------------------------------------------------------ API

/// `GET /api/v1/me/email`.
pub async fn state_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<EmailState>> {
    let v = viewer(&req)?;
    Ok(Json(app.store.email_state(v.user_id.clone(), now()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeBody {
    /// The new address.
    #[serde(default)]
    #[schema(
        required = true,
        max_length = 254,
        pattern = r"^\s*[^\s@\x00-\x1F\x7F-\x9F]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+\s*$"
    )]
    email: String,
    /// The account's password, checked again.
    #[serde(default)]
    #[schema(max_length = 256)]
    password: String,
    /// Instead of the password: a code from the account's authenticator app, or one of
    /// its recovery codes.
    #[serde(default)]
    #[schema(max_length = 32)]
    code: String,
}

/// `POST /api/v1/me/email`: 202; the new address is mailed a link (if another account
/// holds it, its owner is told instead, and the answer is the same).
pub async fn change_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ChangeBody>,
) -> WebResult<StatusCode> {
    let b = crate::api::body(b)?;
    change(&app, &req, &b.email, &b.password, &b.code).await?;
    Ok(StatusCode::ACCEPTED)
}

/// `POST /api/v1/me/email/verification`: 202, a new link mailed.
pub async fn resend_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<StatusCode> {
    resend(&app, &req).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyBody {
    /// The token of the mailed link (the last part of its address).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 128)]
    token: String,
}

/// What a link did.
#[derive(Serialize, ToSchema)]
pub struct Verified {
    /// `verified`: the account's own address is confirmed; `changed`: the account now
    /// has the new address.
    pub result: &'static str,
}

/// `POST /api/v1/auth/verify-email`: 200; 404 if the link is unknown, used or expired.
pub async fn verify_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<VerifyBody>,
) -> WebResult<Json<Verified>> {
    let b = crate::api::body(b)?;
    let result = match verify(&app, &req, &b.token).await? {
        Some(Checked::Verified) => "verified",
        Some(Checked::Changed) => "changed",
        None => return Err(Failure::NotFound),
    };
    Ok(Json(Verified { result }))
}
