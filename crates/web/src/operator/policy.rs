//! The privacy officer's policy versions: every version of the privacy policy and of
//! the sensitive-data consent text, and the form that publishes a new one (what changed
//! and the whole text, in Japanese and easy Japanese, and whether it needs fresh
//! consent). The checks are `domain::PolicyDraft`; publishing and its effects are
//! `store::policies`.
use crate::accounts::{FormData, field};
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
use domain::consent::PUBLISHED_KINDS;
use domain::{ConsentKind, PolicyDraft};
use serde::Deserialize;
use std::collections::HashMap;
use store::policies::{Published, Version};
use utoipa::ToSchema;

/// Checks and publishes a draft; the answer says how many people it reached.
async fn publish(app: &AppState, req: &Req, d: &PublishBody) -> WebResult<Published> {
    let v = viewer(req)?;
    let draft = PolicyDraft::parse(
        &d.kind,
        &d.version,
        &d.summary_ja,
        &d.summary_easy,
        &d.text_ja,
        &d.text_easy,
        d.requires_consent,
    )
    .map_err(Failure::Fields)?;
    match app
        .store
        .policy_publish(v.user_id.clone(), draft, req.ctx.clone(), now())
        .await
    {
        Err(store::StoreError::Conflict("version")) => {
            Err(Failure::field("version", "policy-version-taken"))
        }
        other => Ok(other?),
    }
}

/// One kind's versions, as the page lists them.
struct KindVersions {
    kind: ConsentKind,
    versions: Vec<Version>,
}

#[derive(Template)]
#[template(path = "operator_policy.html")]
struct PolicyPage {
    c: Chrome,
    kinds: Vec<KindVersions>,
    errors: Vec<(String, String)>,
    form: HashMap<String, String>,
    /// Whom the version just published reached (people asked, people told).
    reached: Option<String>,
}

impl PolicyPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    fn v(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn kind_label(&self, k: &ConsentKind) -> String {
        self.c.a(&format!("policy-kind-{}", k.as_str()))
    }
    fn all_kinds(&self) -> Vec<&'static str> {
        PUBLISHED_KINDS.iter().map(|k| k.as_str()).collect()
    }
}

async fn page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    form: HashMap<String, String>,
    published: Option<(i64, i64)>,
) -> WebResult<PolicyPage> {
    let mut kinds = Vec::new();
    for kind in PUBLISHED_KINDS {
        kinds.push(KindVersions {
            kind,
            versions: app.store.policy_versions(kind).await?,
        });
    }
    Ok(PolicyPage {
        c: Chrome::new(req).flash(published.map(|_| "policy-published")),
        reached: published.map(|(asked, notified)| {
            req.tr().tn(
                "policy-reached",
                &[
                    ("asked", &asked.to_string()),
                    ("notified", &notified.to_string()),
                ],
            )
        }),
        kinds,
        errors,
        form,
    })
}

pub async fn policy_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let published = match (q.get("asked"), q.get("notified")) {
        (Some(a), Some(n)) => Some((a.parse().unwrap_or(0), n.parse().unwrap_or(0))),
        _ => None,
    };
    Ok(html(
        &page(&app, &req, Vec::new(), HashMap::new(), published).await?,
    ))
}

pub async fn publish_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let body = PublishBody {
        kind: field(&f, "kind").to_owned(),
        version: field(&f, "version").to_owned(),
        summary_ja: field(&f, "summary_ja").to_owned(),
        summary_easy: field(&f, "summary_easy").to_owned(),
        text_ja: field(&f, "text_ja").to_owned(),
        text_easy: field(&f, "text_easy").to_owned(),
        requires_consent: !field(&f, "requires_consent").is_empty(),
    };
    match publish(&app, &req, &body).await {
        Ok(p) => Ok(see_other(&format!(
            "/operator/policy?asked={}&notified={}",
            p.asked, p.notified
        ))),
        Err(fail) => {
            let (status, errors) = refusal(&req.tr(), fail, "version")?;
            let p = page(&app, &req, errors, f, None).await?;
            Ok((status, html(&p)).into_response())
        }
    }
}

// ------------------------------------------------------------------ API

/// Every version of each kind of text, newest first.
#[derive(serde::Serialize, ToSchema)]
pub struct VersionList {
    pub versions: Vec<Version>,
}

/// `GET /api/v1/operator/policy-versions`.
pub async fn list_api(State(app): State<AppState>) -> WebResult<Json<VersionList>> {
    let mut versions = Vec::new();
    for kind in PUBLISHED_KINDS {
        versions.extend(app.store.policy_versions(kind).await?);
    }
    Ok(Json(VersionList { versions }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    /// `privacy_policy` or `sensitive_data`.
    #[serde(default)]
    #[schema(required = true, pattern = "^(privacy_policy|sensitive_data)$")]
    kind: String,
    /// A short label, such as the date it takes effect (letters, digits, `-`, `.`, `_`).
    #[serde(default)]
    #[schema(required = true, pattern = "^[0-9A-Za-z._-]{1,32}$")]
    version: String,
    /// What changed, in Japanese.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 2000)]
    summary_ja: String,
    /// What changed, in easy Japanese.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 2000)]
    summary_easy: String,
    /// The whole text, in Japanese.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 50000)]
    text_ja: String,
    /// The whole text, in easy Japanese.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 50000)]
    text_easy: String,
    /// Whether the people who consented to an earlier version must decide again
    /// before they go on (otherwise they are told by a notification).
    #[serde(default)]
    requires_consent: bool,
}

/// `POST /api/v1/operator/policy-versions`: 201, in force at once.
pub async fn publish_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<PublishBody>,
) -> WebResult<Response> {
    let b = crate::api::body(b)?;
    let p = publish(&app, &req, &b).await?;
    Ok((StatusCode::CREATED, Json(p)).into_response())
}
