//! 退会 (closing one's own account): the page that says what happens and what is kept,
//! the form that checks the password again, and the API (`POST /api/v1/me/close`).
//! The rule itself lives in `store::erasure`.
use crate::accounts::{FormData, field, flows};
use crate::error::WebResult;
use crate::forms::{Recheck, refusal, see_other};
use crate::request::{Req, SESSION_COOKIE, append_cookie, set_cookie, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Template)]
#[template(path = "account_close.html")]
struct ClosePage {
    c: Chrome,
    errors: Vec<(String, String)>,
    recheck: Recheck,
    /// When the data will be erased if the account is closed today.
    erase_line: String,
}

async fn page(app: &AppState, req: &Req, errors: Vec<(String, String)>) -> WebResult<ClosePage> {
    let tr = req.tr();
    let date = crate::jst::date_text(now() + app.cfg.keeping.closed_days * 86_400, req.lang);
    Ok(ClosePage {
        c: Chrome::new(req),
        recheck: Recheck::of(app, req, &errors).await?,
        errors,
        erase_line: tr.t1("close-kept-until", "date", &date),
    })
}

pub async fn close_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    viewer(&req)?;
    Ok(html(&page(&app, &req, Vec::new()).await?))
}

pub async fn close_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    match flows::close_account(&app, &req, v, field(&f, "password"), field(&f, "code")).await {
        Ok(()) => {
            let mut r = see_other("/closed");
            append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
            Ok(r)
        }
        Err(fail) => {
            let (status, errors) = refusal(&req.tr(), fail, "password")?;
            Ok((status, html(&page(&app, &req, errors).await?)).into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "closed.html")]
struct ClosedPage {
    c: Chrome,
}

/// After 退会: the session has ended; says so, and where to ask about the data.
pub async fn closed(Extension(req): Extension<Req>) -> Response {
    html(&ClosedPage {
        c: Chrome::new(&req),
    })
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {
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

/// `POST /api/v1/me/close`: 204, and every session of the account (this token too)
/// has ended.
pub async fn close_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<CloseBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let b = crate::api::body(b)?;
    flows::close_account(&app, &req, v, &b.password, &b.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
