//! Registration choice, login and logout, password reset.
use crate::accounts::FormData;
use crate::accounts::field;
use crate::accounts::flash;
use crate::accounts::flows;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::request::viewer;
use crate::request::{CSRF_COOKIE, Req, SESSION_COOKIE, append_cookie, cookie, set_cookie};
use crate::view::{Chrome, FormPage, Input, MessagePage, html, with_errors};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
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
        None,
        Channel::Web,
    )
    .await
    {
        Ok(flows::SignIn::Session(_sid, token)) => {
            Ok(signed_in(after_login(&q).unwrap_or("/dashboard"), &token))
        }
        Ok(flows::SignIn::SetUpFirst(_sid, token)) => {
            Ok(signed_in(crate::routes::SET_UP_SECOND_FACTOR, &token))
        }
        Ok(flows::SignIn::NeedsCode(challenge)) => {
            let mut r = see_other(&code_action(after_login(&q)));
            append_cookie(
                &mut r,
                &set_cookie(
                    CHALLENGE_COOKIE,
                    &challenge,
                    true,
                    Some(store::factors::CHALLENGE_TTL),
                ),
            );
            Ok(r)
        }
        Err(fail) => form_failure(
            login_page(&req, field(&f, "email"), after_login(&q)),
            fail,
            &req.tr(),
        ),
    }
}

/// The answer that signs a browser in: the session cookie, a new CSRF token with it, and
/// the sign-in challenge (if any) gone.
fn signed_in(to: &str, token: &str) -> Response {
    let mut r = see_other(to);
    append_cookie(&mut r, &set_cookie(SESSION_COOKIE, token, true, None));
    let (csrf, _) = store::new_token();
    append_cookie(&mut r, &set_cookie(CSRF_COOKIE, &csrf, true, None));
    append_cookie(&mut r, &set_cookie(CHALLENGE_COOKIE, "", true, Some(0)));
    r
}

// ---------------------------------------------------------------- the second step

/// The sign-in waiting for a code from the second factor (its token; HttpOnly).
pub const CHALLENGE_COOKIE: &str = "__Host-tsunagu_signin";

fn code_action(next: Option<&str>) -> String {
    match next {
        Some(n) => format!(
            "/login/code?{}",
            serde_urlencoded::to_string([("next", n)]).unwrap_or_default()
        ),
        None => "/login/code".into(),
    }
}

fn code_page(req: &Req, next: Option<&str>) -> FormPage {
    let tr = req.tr();
    FormPage {
        title: tr.t("login-code-title"),
        lead: tr.t("login-code-lead"),
        action: code_action(next),
        inputs: vec![Input::text(
            "code",
            tr.t("field-code"),
            "text",
            "one-time-code",
            tr.t("login-code-hint"),
            "",
        )],
        submit: tr.t("login-code-submit"),
        form_error: None,
        links: vec![
            ("/login".into(), tr.t("login-code-restart")),
            ("/password-reset".into(), tr.t("login-forgot")),
        ],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

/// Back to the first step, saying the sign-in must start again.
fn restart() -> Response {
    let mut r = see_other("/login?m=code-expired");
    append_cookie(&mut r, &set_cookie(CHALLENGE_COOKIE, "", true, Some(0)));
    r
}

pub async fn code_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let open = match cookie(&headers, CHALLENGE_COOKIE) {
        Some(t) => app.store.challenge_open(t, now()).await?,
        None => false,
    };
    if !open {
        // Opened without a sign-in waiting (or after it ended): say so, with the way on.
        let tr = req.tr();
        return Ok(message(
            &req,
            "login-code-title",
            "code-expired",
            true,
            vec![("/login".into(), tr.t("login-code-restart"))],
        ));
    }
    Ok(html(&code_page(&req, after_login(&q))))
}

pub async fn code_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    Form(f): FormData,
) -> WebResult<Response> {
    let Some(challenge) = cookie(&headers, CHALLENGE_COOKIE) else {
        return Ok(restart());
    };
    match flows::login_code(&app, &req, challenge, field(&f, "code")).await {
        Ok(None) => Ok(restart()),
        Ok(Some(((_sid, token), recovery_left))) => {
            let to = match recovery_left {
                // A recovery code was used: the security page says how many are left.
                Some(_) => "/account/security?m=recovery-used",
                None => after_login(&q).unwrap_or("/dashboard"),
            };
            Ok(signed_in(to, &token))
        }
        Err(fail) => form_failure(code_page(&req, after_login(&q)), fail, &req.tr()),
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
