//! The person's data-subject requests (訂正・利用停止・消去・第三者提供の停止): filed with
//! the password checked again, each shown with its deadline, state and answer. The
//! privacy officer decides them on `/operator/requests` (`crate::operator::requests`).
use crate::accounts::{FormData, field, flows};
use crate::api::{ApiJson, body};
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
use domain::rights::RequestKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::rights::MyRequest;
use utoipa::ToSchema;

/// Checks the password, then the request, then files it; each refusal on its field.
async fn file(
    app: &AppState,
    req: &Req,
    kind: &str,
    detail: &str,
    password: &str,
    code: &str,
) -> WebResult<String> {
    let v = viewer(req)?;
    // Every problem at once: the request's fields and the password.
    let draft = domain::rights::check_request(kind, detail);
    let draft = match (draft, flows::check_fresh(app, v, password, code).await) {
        (Ok(d), Ok(())) => d,
        (Err(mut f), Err(Failure::Fields(p))) => {
            for e in p.0 {
                f.add(e.field, e.code);
            }
            return Err(Failure::Fields(f));
        }
        (Err(f), Ok(())) => return Err(Failure::Fields(f)),
        (_, Err(other)) => return Err(other),
    };
    Ok(app
        .store
        .file_request(v.user_id.clone(), draft, now(), req.ctx.clone())
        .await?)
}

#[derive(Template)]
#[template(path = "my_requests.html")]
struct RequestsPage {
    c: Chrome,
    requests: Vec<MyRequest>,
    errors: Vec<(String, String)>,
    recheck: crate::forms::Recheck,
    kind: String,
    detail: String,
}

impl RequestsPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    fn kinds(&self) -> Vec<&'static str> {
        RequestKind::ALL.iter().map(|k| k.as_str()).collect()
    }
}

async fn page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    kind: &str,
    detail: &str,
    flash: Option<&'static str>,
) -> WebResult<RequestsPage> {
    let v = viewer(req)?;
    Ok(RequestsPage {
        c: Chrome::new(req).flash(flash),
        requests: app.store.my_requests(v.user_id.clone()).await?,
        recheck: crate::forms::Recheck::of(app, req, &errors).await?,
        errors,
        kind: kind.to_owned(),
        detail: detail.to_owned(),
    })
}

pub async fn requests_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = crate::accounts::flash(&q);
    Ok(html(&page(&app, &req, Vec::new(), "", "", flash).await?))
}

pub async fn requests_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let (kind, detail) = (field(&f, "kind"), field(&f, "detail"));
    match file(
        &app,
        &req,
        kind,
        detail,
        field(&f, "password"),
        field(&f, "code"),
    )
    .await
    {
        Ok(_) => Ok(see_other("/account/requests?m=rights-filed#requests")),
        Err(fail) => {
            let (status, errors) = refusal(&req.tr(), fail, "password")?;
            Ok((
                status,
                html(&page(&app, &req, errors, kind, detail, None).await?),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestBody {
    /// `correction`, `suspension`, `erasure` or `stop_provision`.
    #[serde(default)]
    #[schema(required = true, value_type = RequestKind)]
    kind: String,
    /// What to correct, or anything the privacy officer should know (required for a
    /// correction; at most 2,000 characters).
    #[serde(default)]
    #[schema(max_length = 2000)]
    detail: String,
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

#[derive(Serialize, ToSchema)]
pub struct Filed {
    pub request_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct MyRequests {
    /// Newest first.
    pub requests: Vec<MyRequest>,
}

pub async fn file_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<RequestBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let id = file(&app, &req, &b.kind, &b.detail, &b.password, &b.code).await?;
    Ok((StatusCode::CREATED, Json(Filed { request_id: id })).into_response())
}

pub async fn list_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<MyRequests>> {
    let v = viewer(&req)?;
    Ok(Json(MyRequests {
        requests: app.store.my_requests(v.user_id.clone()).await?,
    }))
}
