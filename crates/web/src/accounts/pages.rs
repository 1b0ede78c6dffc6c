//! Registration choice, login and logout, password reset.
use crate::accounts::FormData;
use crate::accounts::field;
use crate::accounts::flash;
use crate::accounts::flows;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::request::viewer;
use crate::request::{CSRF_COOKIE, Req, SESSION_COOKIE, append_cookie, set_cookie};
use crate::view::{Chrome, FormPage, Input, MessagePage, html, with_errors};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use std::collections::HashMap;
use store::sessions::Channel;

// ---------------------------------------------------------------- registration

#[derive(Template)]
#[template(path = "register_choose.html")]
struct RegisterChoose {
    c: Chrome,
}

pub async fn register_choose(Extension(req): Extension<Req>) -> Response {
    html(&RegisterChoose {
        c: Chrome::new(&req),
    })
}

/// Re-renders a form with the failure shown on it; other failures go to the error page.
pub(crate) fn form_failure(mut page: FormPage, fail: Failure, tr: &Tr) -> WebResult<Response> {
    let status = fail.status();
    match fail {
        Failure::Fields(fields) => {
            page.inputs = with_errors(std::mem::take(&mut page.inputs), &fields, tr);
        }
        Failure::RateLimited(_) | Failure::LoginFailed => {
            page.form_error = Some(tr.t(fail.message_key()))
        }
        other => return Err(other),
    }
    Ok((status, html(&page)).into_response())
}

// ---------------------------------------------------------------- login, logout

fn login_page(req: &Req, email: &str, next: Option<&str>) -> FormPage {
    let tr = req.tr();
    let action = match next {
        Some(n) => format!(
            "/login?{}",
            serde_urlencoded::to_string([("next", n)]).unwrap_or_default()
        ),
        None => "/login".into(),
    };
    FormPage {
        title: tr.t("login-title"),
        lead: String::new(),
        action,
        inputs: vec![
            Input::text(
                "email",
                tr.t("field-email"),
                "email",
                "username",
                String::new(),
                email,
            ),
            Input::text(
                "password",
                tr.t("field-password"),
                "password",
                "current-password",
                String::new(),
                "",
            ),
        ],
        submit: tr.t("login-submit"),
        form_error: None,
        links: vec![
            ("/password-reset".into(), tr.t("login-forgot")),
            ("/register".into(), tr.t("login-no-account")),
        ],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

pub async fn login_form(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut page = login_page(&req, "", after_login(&q));
    let key = if q.contains_key("kept") {
        Some("session-expired-kept")
    } else if q.contains_key("expired") {
        Some("session-expired")
    } else {
        flash(&q)
    };
    page.c = page.c.flash(key);
    html(&page)
}

/// Where to go after signing in: back to the page whose form was kept at a time-out.
fn after_login(q: &HashMap<String, String>) -> Option<&str> {
    q.get("next")
        .map(|n| crate::accessibility::settings::local_path(n))
        .filter(|n| *n != "/")
}

pub async fn login_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::login(
        &app,
        &req,
        field(&f, "email"),
        field(&f, "password"),
        Channel::Web,
    )
    .await
    {
        Ok((_sid, token)) => {
            let mut r = see_other(after_login(&q).unwrap_or("/dashboard"));
            append_cookie(&mut r, &set_cookie(SESSION_COOKIE, &token, true, None));
            // A new CSRF token with the new session.
            let (csrf, _) = store::new_token();
            append_cookie(&mut r, &set_cookie(CSRF_COOKIE, &csrf, true, None));
            Ok(r)
        }
        Err(fail) => form_failure(
            login_page(&req, field(&f, "email"), after_login(&q)),
            fail,
            &req.tr(),
        ),
    }
}

pub async fn logout(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .session_revoke(v.user_id.clone(), v.session_id.clone(), now())
        .await?;
    let mut r = see_other("/");
    append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
    Ok(r)
}

pub async fn session_extend(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store.session_touch(v.session_id.clone(), now()).await?;
    let body = serde_json::json!({"idle_left": app.cfg.web_session.idle});
    Ok(axum::Json(body).into_response())
}

// ---------------------------------------------------------------- password reset

fn reset_page(req: &Req, email: &str) -> FormPage {
    let tr = req.tr();
    FormPage {
        title: tr.t("reset-title"),
        lead: tr.t("reset-lead"),
        action: "/password-reset".into(),
        inputs: vec![Input::text(
            "email",
            tr.t("field-email"),
            "email",
            "email",
            String::new(),
            email,
        )],
        submit: tr.t("reset-submit"),
        form_error: None,
        links: vec![("/login".into(), tr.t("nav-login"))],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

pub async fn reset_form(Extension(req): Extension<Req>) -> Response {
    html(&reset_page(&req, ""))
}

pub async fn reset_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::reset_request(&app, &req, field(&f, "email")).await {
        Ok(()) => Ok(see_other("/login?m=reset-sent")),
        Err(fail) => form_failure(reset_page(&req, field(&f, "email")), fail, &req.tr()),
    }
}

fn reset_new_page(req: &Req, token: &str) -> FormPage {
    let tr = req.tr();
    FormPage {
        title: tr.t("reset-new-title"),
        lead: String::new(),
        action: format!("/password-reset/{token}"),
        inputs: vec![Input::text(
            "password",
            tr.t("field-new-password"),
            "password",
            "new-password",
            tr.t("field-password-hint"),
            "",
        )],
        submit: tr.t("reset-new-submit"),
        form_error: None,
        links: vec![],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

pub(crate) fn message(
    req: &Req,
    title_key: &str,
    message_key: &str,
    alert: bool,
    links: Vec<(String, String)>,
) -> Response {
    let c = Chrome::new(req);
    html(&MessagePage {
        title: c.a(title_key),
        message: c.a(message_key),
        alert,
        links,
        c,
    })
}

pub async fn reset_new_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    if !app.store.reset_valid(&token, now()).await? {
        let links = vec![("/password-reset".into(), req.tr().t("reset-title"))];
        return Ok((
            StatusCode::NOT_FOUND,
            message(&req, "reset-new-title", "reset-invalid", true, links),
        )
            .into_response());
    }
    Ok(html(&reset_new_page(&req, &token)))
}

pub async fn reset_new_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::reset_confirm(&app, &req, &token, field(&f, "password")).await {
        Ok(true) => {
            let mut r = see_other("/login?m=reset-done");
            append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
            Ok(r)
        }
        Ok(false) => {
            let links = vec![("/password-reset".into(), req.tr().t("reset-title"))];
            Ok((
                StatusCode::NOT_FOUND,
                message(&req, "reset-new-title", "reset-invalid", true, links),
            )
                .into_response())
        }
        Err(fail) => form_failure(reset_new_page(&req, &token), fail, &req.tr()),
    }
}
