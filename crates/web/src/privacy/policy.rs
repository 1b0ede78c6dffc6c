//! A new version of a policy text, as the person meets it: the page that holds them at
//! their next visit until they decide (what changed, the whole text, agree or not), the
//! same through the API, and the public page of each published version. The rule of who
//! must decide and what a decision does is `store::policies`.
use crate::accounts::{FormData, field};
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Lang;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Json};
use domain::ConsentKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::policies::{Decided, Due, Version};
use utoipa::ToSchema;

/// The page sessions are sent to while a decision waits.
pub const DECIDE: &str = "/policy-update";

/// A version's summary and text in the reader's language: easy Japanese for easy
/// Japanese, Japanese otherwise (the texts are published in those two).
pub(crate) fn texts(v: &Version, lang: Lang) -> (String, String) {
    let pick = |easy: &Option<String>, ja: &Option<String>| {
        let chosen = if lang == Lang::Easy { easy } else { ja };
        chosen.clone().or_else(|| ja.clone()).unwrap_or_default()
    };
    (
        pick(&v.summary_easy, &v.summary_ja),
        pick(&v.text_easy, &v.text_ja),
    )
}

/// Records a decision on the version waiting.
async fn decide(
    app: &AppState,
    req: &Req,
    kind: &str,
    version: &str,
    agree: bool,
    method: &'static str,
) -> WebResult<Decided> {
    let v = viewer(req)?;
    let kind =
        ConsentKind::parse(kind).ok_or_else(|| Failure::field("kind", "policy-kind-invalid"))?;
    Ok(app
        .store
        .policy_decide(
            v.user_id.clone(),
            store::policies::Decision {
                kind,
                version: version.to_owned(),
                agree,
            },
            method,
            req.ctx.clone(),
            now(),
        )
        .await?)
}

/// One version waiting, as the page shows it.
struct Waiting {
    due: Due,
    summary: String,
    text: String,
}

#[derive(Template)]
#[template(path = "policy_update.html")]
struct DecidePage {
    c: Chrome,
    waiting: Vec<Waiting>,
    /// The texts are in Japanese only (the page is in English).
    ja_only: bool,
}

impl DecidePage {
    fn kind_label(&self, k: &ConsentKind) -> String {
        self.c.a(&format!("policy-kind-{}", k.as_str()))
    }
}

pub async fn decide_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let due = app.store.policy_due(v.user_id.clone()).await?;
    if due.is_empty() {
        return Ok(see_other("/dashboard"));
    }
    let flash = crate::accounts::flash_in(&q, &["policy-declined", "policy-stale"]);
    Ok(html(&DecidePage {
        c: Chrome::new(&req).flash(flash),
        ja_only: req.lang == Lang::En,
        waiting: due
            .into_iter()
            .map(|due| {
                let (summary, text) = texts(&due.version, req.lang);
                Waiting { due, summary, text }
            })
            .collect(),
    }))
}

pub async fn decide_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let agree = field(&f, "decision") == "agree";
    let done = decide(
        &app,
        &req,
        field(&f, "kind"),
        field(&f, "version"),
        agree,
        "web",
    )
    .await?;
    let v = viewer(&req)?;
    let left = app.store.policy_due(v.user_id.clone()).await?;
    Ok(match done {
        Decided::NotDue => see_other(&format!("{DECIDE}?m=policy-stale")),
        Decided::Declined if !left.is_empty() => see_other(&format!("{DECIDE}?m=policy-declined")),
        _ if !left.is_empty() => see_other(DECIDE),
        _ => see_other("/dashboard?m=policy-decided"),
    })
}

#[derive(Template)]
#[template(path = "policy_version.html")]
struct VersionPage {
    c: Chrome,
    kind: ConsentKind,
    version: Version,
    summary: String,
    text: String,
    ja_only: bool,
}

impl VersionPage {
    fn kind_label(&self) -> String {
        self.c.a(&format!("policy-kind-{}", self.kind.as_str()))
    }
}

/// `GET /privacy/versions/{kind}/{version}`: a published version's text (anyone).
pub async fn version_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((kind, version)): Path<(String, String)>,
) -> WebResult<Response> {
    let kind = ConsentKind::parse(&kind)
        .filter(|k| domain::consent::PUBLISHED_KINDS.contains(k))
        .ok_or(Failure::NotFound)?;
    let version = app
        .store
        .policy_version_of(kind, version)
        .await?
        .filter(|v| v.text_ja.is_some())
        .ok_or(Failure::NotFound)?;
    let (summary, text) = texts(&version, req.lang);
    Ok(html(&VersionPage {
        c: Chrome::new(&req),
        kind,
        version,
        summary,
        text,
        ja_only: req.lang == Lang::En,
    }))
}

// ------------------------------------------------------------------ API

/// The versions waiting for the person's decision.
#[derive(Serialize, ToSchema)]
pub struct DueList {
    pub due: Vec<Due>,
}

/// `GET /api/v1/me/policy-decisions`.
pub async fn due_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<DueList>> {
    let v = viewer(&req)?;
    Ok(Json(DueList {
        due: app.store.policy_due(v.user_id.clone()).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    /// `privacy_policy` or `sensitive_data`.
    #[serde(default)]
    #[schema(required = true, pattern = "^(privacy_policy|sensitive_data)$")]
    kind: String,
    /// The version decided on (the one waiting).
    #[serde(default)]
    #[schema(required = true, pattern = "^[0-9A-Za-z._-]{1,32}$")]
    version: String,
    /// True: consent to it; false: do not.
    #[serde(default)]
    #[schema(required = true)]
    agree: bool,
}

/// What a decision did.
#[derive(Serialize, ToSchema)]
pub struct DecisionAnswer {
    /// `agreed` or `declined`.
    pub result: &'static str,
    /// The versions still waiting.
    pub due: Vec<Due>,
}

/// `POST /api/v1/me/policy-decisions`: 200; 409 if that version is not the one waiting.
pub async fn decide_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<DecisionBody>,
) -> WebResult<Json<DecisionAnswer>> {
    let b = crate::api::body(b)?;
    let result = match decide(&app, &req, &b.kind, &b.version, b.agree, "api").await? {
        Decided::Agreed => "agreed",
        Decided::Declined => "declined",
        Decided::NotDue => return Err(Failure::Conflict("err-policy-not-due")),
    };
    let v = viewer(&req)?;
    Ok(Json(DecisionAnswer {
        result,
        due: app.store.policy_due(v.user_id.clone()).await?,
    }))
}
