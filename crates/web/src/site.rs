//! The site itself: home page, privacy policy, static files, health and readiness.
use crate::AppState;
use crate::accounts::flash;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::view::{Chrome, html};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ConsentKind;
use std::collections::HashMap;

// ---------------------------------------------------------------- home, privacy

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
}

pub async fn home(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    html(&HomePage {
        c: Chrome::new(&req).flash(flash(&q)),
    })
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    c: Chrome,
    version: String,
    /// The current version's own text, when the privacy officer published it (else
    /// the page's built-in text is the policy).
    published: Option<String>,
    /// Earlier published versions: (version, published at).
    earlier: Vec<(String, i64)>,
    /// (label key, value) of the operator's particulars; `None` values are unset.
    operator: Vec<(&'static str, Option<String>)>,
}

pub async fn privacy(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let versions = app
        .store
        .policy_versions(ConsentKind::PrivacyPolicy)
        .await?;
    let version = app.store.policy_version(ConsentKind::PrivacyPolicy).await?;
    // A version the privacy officer published has its own text; the first versions'
    // text is this page's own.
    let published = versions
        .iter()
        .find(|v| v.version == version)
        .filter(|v| v.text_ja.is_some())
        .map(|v| crate::privacy::policy::texts(v, req.lang).1);
    let earlier = versions
        .into_iter()
        .filter(|v| v.version != version && v.text_ja.is_some())
        .map(|v| (v.version, v.published_at))
        .collect();
    let o = &app.cfg.operator;
    Ok(html(&PrivacyPage {
        c: Chrome::new(&req),
        version,
        published,
        earlier,
        operator: vec![
            ("privacy-op-name", o.name.clone()),
            ("privacy-op-address", o.address.clone()),
            ("privacy-op-representative", o.representative.clone()),
            ("privacy-op-desk", o.desk.clone()),
            ("privacy-op-telecom", o.telecom_number.clone()),
            ("privacy-op-recruiting", o.recruiting_number.clone()),
        ],
    }))
}

pub async fn not_found() -> Failure {
    Failure::NotFound
}

// ---------------------------------------------------------------- static files, health

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

pub async fn static_file(Path(file): Path<String>) -> WebResult<Response> {
    let (body, ctype) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(Failure::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
