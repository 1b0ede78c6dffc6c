//! The privacy officer's desk: the queue of data-subject requests by deadline, each
//! request (who asked, through the door with the purpose `PrivacyRequest`, logged), and
//! the decision (a refusal says why). The effect of a granted request is the store's
//! (`Store::decide_request`).
use crate::accounts::{FormData, field};
use crate::api::{ApiJson, body};
use crate::error::{Failure, WebResult};
use crate::forms::{field_errors, see_other};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, mail, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::disclosure::rights::OfficerView;
use store::rights::{Decided, Queued};
use utoipa::ToSchema;

async fn decide(
    app: &AppState,
    req: &Req,
    id: String,
    decision: &str,
    reply: &str,
) -> WebResult<()> {
    let v = viewer(req)?;
    let (grant, reply) =
        domain::rights::check_decision(decision, reply).map_err(Failure::Fields)?;
    let base = app.cfg.public_url.clone();
    match app
        .store
        .decide_request(
            v.user_id.clone(),
            id,
            grant,
            reply,
            app.cfg.keeping,
            now(),
            req.ctx.clone(),
            move |lang, kind, granted| mail::rights_decided(&base, lang, kind, granted),
        )
        .await?
    {
        Decided::Done => Ok(()),
        Decided::NotFound => Err(Failure::NotFound),
        Decided::AlreadyDecided => Err(Failure::Conflict("err-rights-decided")),
    }
}

#[derive(Template)]
#[template(path = "operator_requests.html")]
struct QueuePage {
    c: Chrome,
    requests: Vec<Queued>,
    now: i64,
}

pub async fn queue_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    Ok(html(&QueuePage {
        c: Chrome::new(&req).flash(crate::accounts::flash(&q)),
        requests: app.store.request_queue().await?,
        now: now(),
    }))
}

#[derive(Template)]
#[template(path = "operator_request.html")]
struct RequestPage {
    c: Chrome,
    r: OfficerView,
    errors: Vec<(String, String)>,
    decision: String,
    reply: String,
    now: i64,
}

impl RequestPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
}

async fn load(app: &AppState, req: &Req, id: String) -> WebResult<OfficerView> {
    let v = viewer(req)?;
    app.store
        .officer_request(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)
}

pub async fn request_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let r = load(&app, &req, id).await?;
    Ok(html(&RequestPage {
        c: Chrome::new(&req),
        r,
        errors: Vec::new(),
        decision: String::new(),
        reply: String::new(),
        now: now(),
    }))
}

pub async fn decide_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let (decision, reply) = (
        field(&f, "decision").to_owned(),
        field(&f, "reply").to_owned(),
    );
    match decide(&app, &req, id.clone(), &decision, &reply).await {
        Ok(()) => Ok(see_other("/operator/requests?m=rights-decided")),
        Err(Failure::Fields(fields)) => {
            let r = load(&app, &req, id).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&RequestPage {
                    c: Chrome::new(&req),
                    r,
                    errors: field_errors(&req.tr(), &fields),
                    decision,
                    reply,
                    now: now(),
                }),
            )
                .into_response())
        }
        Err(other) => Err(other),
    }
}

#[derive(Serialize, ToSchema)]
pub struct QueueAnswer {
    /// Open requests by deadline, then decided ones.
    pub requests: Vec<Queued>,
}

pub async fn queue_api(
    State(app): State<AppState>,
    Extension(_req): Extension<Req>,
) -> WebResult<Json<QueueAnswer>> {
    Ok(Json(QueueAnswer {
        requests: app.store.request_queue().await?,
    }))
}

pub async fn request_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<OfficerView>> {
    Ok(Json(load(&app, &req, id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecideBody {
    /// `grant` or `refuse`.
    #[serde(default)]
    #[schema(required = true, pattern = "^(grant|refuse)$")]
    decision: String,
    /// The answer to the person (required when refusing: why).
    #[serde(default)]
    #[schema(max_length = 2000)]
    reply: String,
}

pub async fn decide_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<DecideBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    decide(&app, &req, id, &b.decision, &b.reply).await?;
    Ok(StatusCode::NO_CONTENT)
}
