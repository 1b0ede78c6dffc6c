//! The console's records of people (利用者の確認), for support and the privacy officer:
//! find an account by its address or id, state why (a purpose of one's own role and a
//! note; logged, and standing for `domain::console::PURPOSE_MINUTES`), then read its
//! record through the door (`store::disclosure::console`). Support suspends an account
//! (利用停止: no sign-in, every session ended, the person mailed the reason) and lifts a
//! suspension, including one from a message report.
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
use domain::StaffRole;
use domain::console::{SuspendReason, check_lift, check_statement, check_suspension};
use domain::disclosure::Purpose;
use serde::Deserialize;
use std::collections::HashMap;
use store::console::Acted;
use store::disclosure::console::PersonRecord;
use utoipa::ToSchema;

const FLASH: &[&str] = &[
    "console-purpose-first",
    "console-suspended",
    "console-restored",
];

/// Finds the account and states the purpose; the account's id.
async fn open(
    app: &AppState,
    req: &Req,
    query: &str,
    purpose: &str,
    note: &str,
) -> WebResult<String> {
    let v = viewer(req)?;
    let roles = app.store.staff_roles(v.user_id.clone()).await?;
    let statement = check_statement(purpose, note, &roles).map_err(Failure::Fields)?;
    let missing = || Failure::field("query", "console-not-found");
    if query.trim().is_empty() {
        return Err(Failure::field("query", "console-query-required"));
    }
    let id = app
        .store
        .console_find(query.to_owned())
        .await?
        .ok_or_else(missing)?;
    if !app
        .store
        .state_purpose(
            v.user_id.clone(),
            id.clone(),
            statement,
            req.ctx.clone(),
            now(),
        )
        .await?
    {
        return Err(missing());
    }
    Ok(id)
}

async fn record(app: &AppState, req: &Req, id: String) -> WebResult<Option<PersonRecord>> {
    let v = viewer(req)?;
    Ok(app
        .store
        .console_record(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?)
}

fn acted(a: Acted) -> WebResult<()> {
    match a {
        Acted::Done => Ok(()),
        Acted::NotFound => Err(Failure::NotFound),
        Acted::PurposeFirst => Err(Failure::Conflict("err-purpose-first")),
        Acted::OperatorAccount => Err(Failure::Conflict("err-console-operator")),
        Acted::Unchanged => Err(Failure::Conflict("err-console-unchanged")),
    }
}

async fn suspend(app: &AppState, req: &Req, id: String, reason: &str, note: &str) -> WebResult<()> {
    let v = viewer(req)?;
    let (reason, note) = check_suspension(reason, note).map_err(Failure::Fields)?;
    let (base, desk) = (
        app.cfg.public_url.clone(),
        app.cfg.operator.desk.clone().unwrap_or_default(),
    );
    acted(
        app.store
            .suspend_account(
                v.user_id.clone(),
                id,
                reason,
                note,
                req.ctx.clone(),
                now(),
                move |lang| mail::account_suspended(&base, &desk, lang, reason),
            )
            .await?,
    )
}

async fn lift(app: &AppState, req: &Req, id: String, note: &str) -> WebResult<()> {
    let v = viewer(req)?;
    let note = check_lift(note).map_err(Failure::Fields)?;
    let base = app.cfg.public_url.clone();
    acted(
        app.store
            .lift_suspension(
                v.user_id.clone(),
                id,
                note,
                req.ctx.clone(),
                now(),
                move |lang| mail::account_restored(&base, lang),
            )
            .await?,
    )
}

// ------------------------------------------------------------------ pages

#[derive(Template)]
#[template(path = "operator_accounts.html")]
struct FindPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    query: String,
    purpose: String,
    note: String,
    /// The purposes the viewer's roles may state.
    purposes: Vec<&'static str>,
}

impl FindPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
}

async fn purposes(app: &AppState, req: &Req) -> WebResult<Vec<&'static str>> {
    let v = viewer(req)?;
    let roles = app.store.staff_roles(v.user_id.clone()).await?;
    Ok(Purpose::ALL
        .into_iter()
        .filter(|p| roles.contains(&p.role()))
        .map(Purpose::as_str)
        .collect())
}

pub async fn find_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let purposes = purposes(&app, &req).await?;
    Ok(html(&FindPage {
        c: Chrome::new(&req).flash(crate::accounts::flash_in(&q, FLASH)),
        errors: Vec::new(),
        query: q.get("id").cloned().unwrap_or_default(),
        purpose: purposes.first().map(|p| p.to_string()).unwrap_or_default(),
        note: String::new(),
        purposes,
    }))
}

pub async fn find_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let (query, purpose, note) = (field(&f, "query"), field(&f, "purpose"), field(&f, "note"));
    match open(&app, &req, query, purpose, note).await {
        Ok(id) => Ok(see_other(&format!("/operator/accounts/{id}"))),
        Err(Failure::Fields(fields)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&FindPage {
                c: Chrome::new(&req),
                errors: field_errors(&req.tr(), &fields),
                query: query.to_owned(),
                purpose: purpose.to_owned(),
                note: note.to_owned(),
                purposes: purposes(&app, &req).await?,
            }),
        )
            .into_response()),
        Err(other) => Err(other),
    }
}

#[derive(Template)]
#[template(path = "operator_account.html")]
struct RecordPage {
    c: Chrome,
    r: PersonRecord,
    errors: Vec<(String, String)>,
    /// The form the errors belong to: `suspend` or `lift`.
    form: &'static str,
    reason: String,
    note: String,
}

impl RecordPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    fn reasons(&self) -> Vec<&'static str> {
        SuspendReason::ALL.iter().map(|r| r.as_str()).collect()
    }
    /// The viewer may suspend or lift (the purpose is support's own).
    fn acts(&self) -> bool {
        self.r.purpose == Purpose::AccountSupport && self.r.kind != domain::UserKind::Operator
    }
    fn is_seeker(&self) -> bool {
        self.r.kind == domain::UserKind::Seeker
    }
}

fn purpose_first(id: &str) -> Response {
    see_other(&format!(
        "/operator/accounts?m=console-purpose-first&id={id}"
    ))
}

pub async fn record_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let Some(r) = record(&app, &req, id.clone()).await? else {
        return Ok(purpose_first(&id));
    };
    Ok(html(&RecordPage {
        c: Chrome::new(&req).flash(crate::accounts::flash_in(&q, FLASH)),
        r,
        errors: Vec::new(),
        form: "",
        reason: String::new(),
        note: String::new(),
    }))
}

async fn after(
    app: &AppState,
    req: &Req,
    id: String,
    form: &'static str,
    f: &HashMap<String, String>,
    done: WebResult<()>,
    flash: &str,
) -> WebResult<Response> {
    match done {
        Ok(()) => Ok(see_other(&format!("/operator/accounts/{id}?m={flash}"))),
        Err(Failure::Fields(fields)) => {
            let Some(r) = record(app, req, id.clone()).await? else {
                return Ok(purpose_first(&id));
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&RecordPage {
                    c: Chrome::new(req),
                    r,
                    errors: field_errors(&req.tr(), &fields),
                    form,
                    reason: field(f, "reason").to_owned(),
                    note: field(f, "note").to_owned(),
                }),
            )
                .into_response())
        }
        Err(Failure::Conflict("err-purpose-first")) => Ok(purpose_first(&id)),
        Err(other) => Err(other),
    }
}

pub async fn suspend_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let done = suspend(
        &app,
        &req,
        id.clone(),
        field(&f, "reason"),
        field(&f, "note"),
    )
    .await;
    after(&app, &req, id, "suspend", &f, done, "console-suspended").await
}

pub async fn lift_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let done = lift(&app, &req, id.clone(), field(&f, "note")).await;
    after(&app, &req, id, "lift", &f, done, "console-restored").await
}

// ------------------------------------------------------------------ API

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenBody {
    /// The account's address (exactly) or its id.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 320)]
    query: String,
    /// `account_support` (support) or `privacy_request` (the privacy officer).
    #[serde(default)]
    #[schema(required = true, pattern = "^(account_support|privacy_request)$")]
    purpose: String,
    /// Why, in the staff member's words (e.g. an inquiry's number); no personal data.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200)]
    note: String,
}

/// Finds the account, states the purpose (logged) and answers its record.
pub async fn open_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<OpenBody>,
) -> WebResult<Json<PersonRecord>> {
    let b = body(b)?;
    let id = open(&app, &req, &b.query, &b.purpose, &b.note).await?;
    record(&app, &req, id)
        .await?
        .map(Json)
        .ok_or(Failure::NotFound)
}

/// The record, while the caller's stated purpose stands (409 `purpose_first` otherwise).
pub async fn record_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<PersonRecord>> {
    record(&app, &req, id)
        .await?
        .map(Json)
        .ok_or(Failure::Conflict("err-purpose-first"))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendBody {
    /// `terms_violation`, `misuse`, `impersonation` or `own_request` (the person is told it).
    #[serde(default)]
    #[schema(
        required = true,
        pattern = "^(terms_violation|misuse|impersonation|own_request)$"
    )]
    reason: String,
    /// Kept with the action (never mailed).
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200)]
    note: String,
}

pub async fn suspend_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<SuspendBody>,
) -> WebResult<Json<PersonRecord>> {
    let b = body(b)?;
    suspend(&app, &req, id.clone(), &b.reason, &b.note).await?;
    record_api(State(app), Extension(req), Path(id)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftBody {
    /// Why the suspension ends.
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 200)]
    note: String,
}

pub async fn lift_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<LiftBody>,
) -> WebResult<Json<PersonRecord>> {
    let b = body(b)?;
    lift(&app, &req, id.clone(), &b.note).await?;
    record_api(State(app), Extension(req), Path(id)).await
}

/// The staff roles that open these screens.
pub const ROLES: &[StaffRole] = &[StaffRole::Support, StaffRole::PrivacyOfficer];
