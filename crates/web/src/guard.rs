//! The guard in front of every route: deny by default (a route without a rule in the
//! table answers 404), who the viewer is (session cookie for pages, bearer token for the
//! API), CSRF on every unsafe page request, the language, security headers, and the
//! rendering of failures.
use crate::error::Failure;
use crate::i18n::{Lang, Tr};
use crate::prefs::{DISPLAY_COOKIE, Prefs};
use crate::request::*;
use crate::routes::{Rule, Surface, rule_for};
use crate::{AppState, now};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;
use store::accounts::Ctx;
use store::sessions::Channel;

const MAX_FORM_BYTES: usize = 64 * 1024;

fn client_ctx(req: &Request, trust_forwarded: bool) -> Ctx {
    let forwarded = trust_forwarded
        .then(|| req.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned());
    let ip = forwarded.unwrap_or_else(|| {
        req.extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_default()
    });
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    Ctx { ip, user_agent }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// The CSRF field of a multipart form (a form that sends files).
async fn multipart_field(headers: &HeaderMap, body: &Bytes, name: &str) -> Option<String> {
    use axum::extract::FromRequest;
    let mut req = Request::new(Body::from(body.clone()));
    *req.headers_mut() = headers.clone();
    let mut form = axum::extract::Multipart::from_request(req, &())
        .await
        .ok()?;
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

fn surface_of(path: &str) -> Surface {
    if path.starts_with("/api/v1/") {
        Surface::Api
    } else {
        Surface::Page
    }
}

/// The middleware. See the module documentation.
pub async fn guard(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    // Where a switch in the header comes back to: the path and its query.
    let here = req
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_owned());
    let surface = surface_of(&path);
    let lang_hint = cookie(req.headers(), LANG_COOKIE)
        .and_then(Lang::parse)
        .unwrap_or_else(|| {
            Lang::from_accept_language(
                req.headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });
    let cookie_prefs = cookie(req.headers(), DISPLAY_COOKIE)
        .map(Prefs::parse)
        .unwrap_or_default();
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let method = if req.method() == Method::HEAD {
        Method::GET
    } else {
        req.method().clone()
    };
    // Deny by default: no rule, no entry.
    let Some(rule) = matched.as_deref().and_then(|m| rule_for(&method, m)) else {
        return render(
            &app,
            surface,
            lang_hint,
            None,
            Failure::NotFound,
            &Tokens::none(&here, cookie_prefs),
        );
    };
    let ctx = client_ctx(&req, app.cfg.trust_forwarded_for);
    let t = now();
    // CSRF (checked below): a token in a cookie that must come back in the form or a header.
    let existing_csrf = cookie(req.headers(), CSRF_COOKIE).map(str::to_owned);
    let mut new_csrf = None;
    let csrf = match existing_csrf.clone() {
        Some(c) if c.len() >= 32 => c,
        _ => {
            let (tok, _) = store::new_token();
            new_csrf = Some(tok.clone());
            tok
        }
    };

    // Who is asking.
    let (token, channel, timeouts) = match surface {
        Surface::Api => (bearer(req.headers()), Channel::Api, app.cfg.api_session),
        Surface::Page => (
            cookie(req.headers(), SESSION_COOKIE),
            Channel::Web,
            app.cfg.web_session,
        ),
    };
    let live = match token {
        Some(tok) if !tok.is_empty() => {
            match app.store.session_resolve(tok, channel, timeouts, t).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::error!(error = %e, "session lookup failed");
                    return render(
                        &app,
                        surface,
                        lang_hint,
                        None,
                        Failure::Internal,
                        &Tokens::none(&here, cookie_prefs),
                    );
                }
            }
        }
        _ => None,
    };
    let had_session_cookie = surface == Surface::Page && token.is_some_and(|t| !t.is_empty());
    // Pages: the language chosen on the site, then the account's, then the browser's.
    // API: the request's own Accept-Language wins, then the account's.
    let asked = req.headers().contains_key(header::ACCEPT_LANGUAGE);
    let lang = match (
        cookie(req.headers(), LANG_COOKIE).and_then(Lang::parse),
        &live,
    ) {
        _ if surface == Surface::Api && asked => lang_hint,
        (Some(l), _) if surface == Surface::Page => l,
        (_, Some(l)) => Lang::parse(&l.lang).unwrap_or(lang_hint),
        _ => lang_hint,
    };
    let prefs = match &live {
        Some(l) if !l.display.is_empty() => Prefs::parse(&l.display),
        _ => cookie_prefs,
    };
    // A session signed in with the password alone (the guard asks whether its account
    // must have more only then).
    let password_only = live
        .as_ref()
        .is_some_and(|l| !l.auth_method.second_factor());
    let email_unverified = live.as_ref().is_some_and(|l| !l.email_verified);
    let policy_due = live.as_ref().is_some_and(|l| l.policy_due);
    let viewer = live.map(|l| Viewer {
        user_id: l.user_id,
        kind: l.kind,
        session_id: l.session_id,
        idle_deadline: l.idle_deadline,
    });

    // The rule of the route.
    let allowed = match rule {
        Rule::Public => Ok(()),
        Rule::SignedIn => viewer.as_ref().map(|_| ()).ok_or(Failure::Unauthorized),
        Rule::Kinds(kinds) => match &viewer {
            None => Err(Failure::Unauthorized),
            Some(v) if kinds.contains(&v.kind) => Ok(()),
            Some(_) => Err(Failure::Forbidden),
        },
        Rule::Staff(roles) => match &viewer {
            None => Err(Failure::Unauthorized),
            Some(v) if v.kind == domain::UserKind::Operator => {
                match app.store.staff_roles(v.user_id.clone()).await {
                    Ok(held) if held.iter().any(|r| roles.contains(r)) => Ok(()),
                    Ok(_) => Err(Failure::Forbidden),
                    Err(e) => {
                        tracing::error!(error = %e, "staff role lookup failed");
                        Err(Failure::Internal)
                    }
                }
            }
            Some(_) => Err(Failure::Forbidden),
        },
    };
    // An account that must sign in with a second factor and did not may only set one up.
    let allowed = match (&allowed, &viewer) {
        (Ok(()), Some(v))
            if password_only
                && rule != Rule::Public
                && !crate::routes::BEFORE_SECOND_FACTOR
                    .contains(&matched.as_deref().unwrap_or("")) =>
        {
            match app
                .store
                .second_factor_required(v.user_id.clone(), v.kind)
                .await
            {
                Ok(false) => allowed,
                Ok(true) if surface == Surface::Page => {
                    let r = Redirect::to(crate::routes::SET_UP_SECOND_FACTOR).into_response();
                    return finish(&app, r, surface, true);
                }
                Ok(true) => Err(Failure::SecondFactorRequired),
                Err(e) => {
                    tracing::error!(error = %e, "second factor rule lookup failed");
                    Err(Failure::Internal)
                }
            }
        }
        _ => allowed,
    };
    // Until the account's address is confirmed, only the steps to confirm it (and
    // public pages): nothing of anyone else (`store::email_checks`).
    let route = matched.as_deref().unwrap_or("");
    let allowed = match allowed {
        Ok(())
            if email_unverified
                && rule != Rule::Public
                && !crate::routes::BEFORE_SECOND_FACTOR.contains(&route)
                && !crate::routes::BEFORE_EMAIL_CHECK.contains(&route) =>
        {
            if surface == Surface::Page {
                let r = Redirect::to(crate::routes::VERIFY_EMAIL_FIRST).into_response();
                return finish(&app, r, surface, true);
            }
            Err(Failure::EmailUnverified)
        }
        other => other,
    };
    // A new policy text that needs consent: only deciding on it (`store::policies`).
    let allowed = match allowed {
        Ok(())
            if policy_due
                && rule != Rule::Public
                && !crate::routes::BEFORE_SECOND_FACTOR.contains(&route)
                && !crate::routes::BEFORE_POLICY_DECISION.contains(&route) =>
        {
            if surface == Surface::Page {
                let r = Redirect::to(crate::privacy::policy::DECIDE).into_response();
                return finish(&app, r, surface, true);
            }
            Err(Failure::PolicyDecisionRequired)
        }
        other => other,
    };
    if let Err(f) = allowed {
        if surface == Surface::Page && matches!(f, Failure::Unauthorized) {
            let mut target = if had_session_cookie {
                "/login?expired=1".to_owned()
            } else {
                "/login".to_owned()
            };
            // A form sent after its session timed out is kept, to be offered again
            // once its user is back: nothing typed is lost to a time-out.
            if had_session_cookie && method == Method::POST {
                let token = token.unwrap_or_default().to_owned();
                let kept = crate::drafts::keep_timed_out(
                    &app,
                    req,
                    &token,
                    existing_csrf.as_deref(),
                    rule_for(&Method::GET, matched.as_deref().unwrap_or("")).is_some(),
                    &path,
                )
                .await;
                if kept {
                    target = format!(
                        "/login?expired=1&kept=1&{}",
                        serde_urlencoded::to_string([("next", &path)]).unwrap_or_default()
                    );
                }
            }
            let mut r = Redirect::to(&target).into_response();
            if had_session_cookie {
                append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
            }
            return finish(&app, r, surface, true);
        }
        return render(
            &app,
            surface,
            lang,
            viewer.as_ref(),
            f,
            &Tokens::new(&csrf, new_csrf.as_deref(), &here, prefs),
        );
    }

    let unsafe_method = !matches!(method, Method::GET | Method::OPTIONS);
    let req = if surface == Surface::Page && unsafe_method {
        let no_cookies = req.headers().get(axum::http::header::COOKIE).is_none();
        let header_token = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let (parts, body) = req.into_parts();
        // A form with files may be larger (its route sets its own limit too).
        let multipart = is_multipart(&parts.headers);
        let limit = if multipart {
            crate::messages::MAX_REQUEST_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let Ok(bytes) = to_bytes(body, limit).await else {
            return render(
                &app,
                surface,
                lang,
                viewer.as_ref(),
                Failure::BadRequest,
                &Tokens::new(&csrf, new_csrf.as_deref(), &here, prefs),
            );
        };
        let given = match (header_token, multipart) {
            (Some(t), _) => Some(t),
            (None, true) => multipart_field(&parts.headers, &bytes, CSRF_FIELD).await,
            (None, false) => form_field(&bytes, CSRF_FIELD),
        };
        if !csrf_matches(existing_csrf.as_deref(), given.as_deref()) {
            tracing::info!(path = %matched.as_deref().unwrap_or(""), no_cookies, "csrf token missing or wrong");
            return render(
                &app,
                surface,
                lang,
                viewer.as_ref(),
                if no_cookies {
                    Failure::NoCookies
                } else {
                    Failure::Csrf
                },
                &Tokens::new(&csrf, new_csrf.as_deref(), &here, prefs),
            );
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        req
    };

    let signed_in = viewer.is_some();
    // The header's counts, on pages a signed-in person opens.
    let unread = match (&viewer, surface, method == Method::GET) {
        (Some(v), Surface::Page, true) => {
            let m = app.store.unread_messages(v.user_id.clone(), t).await;
            let n = app.store.unread_notifications(v.user_id.clone()).await;
            match (m, n) {
                (Ok(m), Ok(n)) => (m, n),
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!(error = %e, "unread counts failed");
                    (0, 0)
                }
            }
        }
        _ => (0, 0),
    };
    let info_csrf = csrf.clone();
    let info = Req {
        lang,
        prefs,
        csrf,
        path: here.clone(),
        viewer: viewer.clone(),
        ctx,
        unread,
    };
    let mut req = req;
    req.extensions_mut().insert(info);
    let mut resp = next.run(req).await;
    if let Some(f) = resp.extensions_mut().remove::<Failure>() {
        return render(
            &app,
            surface,
            lang,
            viewer.as_ref(),
            f,
            &Tokens::new(&info_csrf, new_csrf.as_deref(), &here, prefs),
        );
    }
    if let Some(tok) = &new_csrf {
        append_cookie(&mut resp, &set_cookie(CSRF_COOKIE, tok, true, None));
    }
    finish(&app, resp, surface, signed_in)
}

/// Security headers on every response.
fn finish(app: &AppState, mut resp: Response, surface: Surface, signed_in: bool) -> Response {
    let h = resp.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if app.cfg.hsts() {
        set(
            h,
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        );
    }
    if signed_in || surface == Surface::Api {
        set(h, "cache-control", "no-store");
    }
    resp
}

/// The CSRF token a rendered page carries, and whether it is new (to be set as cookie).
struct Tokens<'a> {
    csrf: &'a str,
    new: Option<&'a str>,
    path: &'a str,
    prefs: Prefs,
}

impl<'a> Tokens<'a> {
    fn new(csrf: &'a str, new: Option<&'a str>, path: &'a str, prefs: Prefs) -> Self {
        Self {
            csrf,
            new,
            path,
            prefs,
        }
    }
    fn none(path: &'a str, prefs: Prefs) -> Self {
        Self {
            csrf: "",
            new: None,
            path,
            prefs,
        }
    }
}

/// Renders a failure as a page or as JSON, in the request's language.
fn render(
    app: &AppState,
    surface: Surface,
    lang: Lang,
    viewer: Option<&Viewer>,
    f: Failure,
    tokens: &Tokens<'_>,
) -> Response {
    let tr = Tr::with_ruby(lang, tokens.prefs.furigana);
    let status = f.status();
    let retry_after = match f {
        Failure::RateLimited(wait) => Some(wait),
        _ => None,
    };
    let mut resp = match surface {
        Surface::Api => {
            let fields = match &f {
                Failure::Fields(fs) => fields_json(&tr, fs),
                Failure::Input { field, code } => {
                    std::iter::once((field.clone(), crate::request::field_problem(&tr, code)))
                        .collect()
                }
                _ => Default::default(),
            };
            let body = crate::openapi::ErrorBody {
                error: crate::openapi::ErrorDetail {
                    code: f.code(),
                    message: tr.t(f.message_key()),
                    fields,
                },
            };
            (status, axum::Json(body)).into_response()
        }
        Surface::Page => crate::view::error_page(
            tr,
            tokens.prefs,
            viewer,
            tokens.csrf,
            tokens.path,
            status,
            &f,
        ),
    };
    if let Some(tok) = tokens.new {
        append_cookie(&mut resp, &set_cookie(CSRF_COOKIE, tok, true, None));
    }
    if let Some(wait) = retry_after
        && let Ok(v) = HeaderValue::from_str(&wait.to_string())
    {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    finish(app, resp, surface, viewer.is_some())
}
