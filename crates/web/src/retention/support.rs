//! The support around a worker, over the API: support records (append-only, each
//! correction a new version), comments on the check-ins, the early-warning rules and
//! the alerts with their acknowledgement. Every read goes through the store's door
//! (`store::disclosure::support`); anyone the worker did not let in gets 404.
use crate::api::{ApiJson, ApiQuery, body};
use crate::error::{Failure, WebResult};
use crate::jst::today;
use crate::request::{Req, viewer};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::profile::Date;
use domain::support::{ActionDraft, RecordDraft, Rules, RulesDraft};
use serde::{Deserialize, Serialize};
use store::disclosure::support::{AlertView, CommentView, RecordView};
use store::support::SupportRefused;
use utoipa::{IntoParams, ToSchema};

/// What a refused support write answers.
pub(crate) fn refused(r: SupportRefused) -> Failure {
    match r {
        SupportRefused::NotFound => Failure::NotFound,
        SupportRefused::Acknowledged => Failure::Conflict("alert-acknowledged"),
        SupportRefused::Invalid(f) => Failure::Fields(f),
    }
}

/// The kinds of support record.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Interview,
    Visit,
    Phone,
    Email,
    Assessment,
    CaseMeeting,
    Other,
}

/// Who an action belongs to.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    Worker,
    Supporter,
    FollowUp,
    Family,
}

fn code<T: Serialize>(t: &T) -> String {
    serde_json::to_value(t)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    #[schema(
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x1F\x7F-\x9F\s][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub what: String,
    pub owner: Owner,
    pub due: Date,
    #[serde(default)]
    pub done: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordBody {
    pub kind: RecordKind,
    /// The day of the support (today or earlier).
    pub date: Date,
    /// What was done.
    #[schema(
        min_length = 1,
        max_length = 1000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x1F\x7F-\x9F\s][^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub done: String,
    /// The worker's own words.
    #[serde(default)]
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub own_words: String,
    /// Agreed next actions, with owners and due dates.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub actions: Vec<ActionBody>,
}

impl RecordBody {
    fn draft(self) -> RecordDraft {
        RecordDraft {
            kind: code(&self.kind),
            date: self.date.to_string(),
            done: self.done,
            own_words: self.own_words,
            actions: self
                .actions
                .into_iter()
                .map(|a| ActionDraft {
                    what: a.what,
                    owner: code(&a.owner),
                    due: a.due.to_string(),
                    done: a.done,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RecordCreated {
    pub record_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Records {
    /// Newest first; each with every earlier version.
    pub records: Vec<RecordView>,
}

pub async fn record_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<RecordBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let draft = body(b)?.draft();
    let record = app
        .store
        .add_record(
            v.user_id.clone(),
            id,
            draft,
            today(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(RecordCreated { record_id: record }),
    )
        .into_response())
}

pub async fn record_correct(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((id, record)): Path<(String, String)>,
    b: ApiJson<RecordBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let draft = body(b)?.draft();
    let record = app
        .store
        .correct_record(
            v.user_id.clone(),
            id,
            record,
            draft,
            today(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(RecordCreated { record_id: record }),
    )
        .into_response())
}

pub async fn records(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Records>> {
    let v = viewer(&req)?;
    let d = app
        .store
        .support_records(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(Records {
        records: d.into_view(),
    }))
}

/// A comment on a day or a week.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    #[default]
    Day,
    Week,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\x00-\x1F\x7F-\x9F\s][^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub body: String,
    #[serde(default)]
    pub period: Period,
    /// The day (or a day of the week) commented on; today by default.
    pub date: Option<Date>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentCreated {
    pub comment_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Comments {
    /// Oldest first.
    pub comments: Vec<CommentView>,
}

/// Adds a comment (the API and the page's form alike).
pub(crate) async fn comment(
    app: &AppState,
    req: &Req,
    employment: String,
    text: String,
    period: String,
    date: String,
) -> WebResult<String> {
    let v = viewer(req)?;
    app.store
        .add_comment(
            v.user_id.clone(),
            employment,
            text,
            period,
            date,
            today(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)
}

pub async fn comment_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<CommentBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let date = b.date.map(|d| d.to_string()).unwrap_or_default();
    let cid = comment(&app, &req, id, b.body, code(&b.period), date).await?;
    Ok((
        StatusCode::CREATED,
        Json(CommentCreated { comment_id: cid }),
    )
        .into_response())
}

pub async fn comments(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Comments>> {
    let v = viewer(&req)?;
    let d = app
        .store
        .comments(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(Comments {
        comments: d.into_view(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RulesAnswer {
    pub rules: Rules,
    /// The viewer (the linked supporter) may change them.
    pub can_change: bool,
}

pub async fn rules(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<RulesAnswer>> {
    let v = viewer(&req)?;
    let (rules, can_change) = app
        .store
        .alert_rules(v.user_id.clone(), id)
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(RulesAnswer { rules, can_change }))
}

/// Who hears first.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum First {
    Supporter,
    FollowUp,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
    /// Health at or below this (1–4) …
    #[schema(minimum = 1, maximum = 4)]
    pub health_level: i64,
    /// … on this many check-ins in a row (0: off).
    #[schema(minimum = 0, maximum = 14)]
    pub health_days: i64,
    pub health_trend: bool,
    /// Absences or lateness this many times (0: off) …
    #[schema(minimum = 0, maximum = 10)]
    pub absence_count: i64,
    /// … within this many days.
    #[schema(minimum = 1, maximum = 31)]
    pub absence_window: i64,
    /// No check-in for this many working days (0: off).
    #[schema(minimum = 0, maximum = 10)]
    pub silent_days: i64,
    pub talk: bool,
    pub trouble: bool,
    pub first: First,
    /// Hours until an unacknowledged alert goes on to the other person.
    #[schema(minimum = 1, maximum = 168)]
    pub escalate_hours: i64,
}

/// Saves the rules (the API and the page's form alike).
pub(crate) async fn set_rules(
    app: &AppState,
    req: &Req,
    employment: String,
    d: RulesDraft,
) -> WebResult<Rules> {
    let v = viewer(req)?;
    app.store
        .set_alert_rules(v.user_id.clone(), employment, d, req.ctx.clone(), now())
        .await?
        .map_err(refused)
}

pub async fn rules_set(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<RulesBody>,
) -> WebResult<Json<RulesAnswer>> {
    let b = body(b)?;
    let d = RulesDraft {
        health_level: Some(b.health_level),
        health_days: Some(b.health_days),
        health_trend: b.health_trend,
        absence_count: Some(b.absence_count),
        absence_window: Some(b.absence_window),
        silent_days: Some(b.silent_days),
        talk: b.talk,
        trouble: b.trouble,
        first: code(&b.first),
        escalate_hours: Some(b.escalate_hours),
    };
    let rules = set_rules(&app, &req, id, d).await?;
    Ok(Json(RulesAnswer {
        rules,
        can_change: true,
    }))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertsQuery {
    /// Also the acknowledged ones (default: open alerts only).
    pub all: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct Alerts {
    /// Newest first.
    pub alerts: Vec<AlertView>,
}

/// The alerts that reached the signed-in person (as supporter or follow-up person).
pub async fn my_alerts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: ApiQuery<AlertsQuery>,
) -> WebResult<Json<Alerts>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let alerts = app
        .store
        .my_alerts(
            v.user_id.clone(),
            !q.all.unwrap_or(false),
            req.ctx.clone(),
            now(),
        )
        .await?;
    Ok(Json(Alerts { alerts }))
}

/// An employment's alerts as the viewer reads them.
pub async fn employment_alerts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    q: ApiQuery<AlertsQuery>,
) -> WebResult<Json<Alerts>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let d = app
        .store
        .employment_alerts(
            v.user_id.clone(),
            id,
            !q.all.unwrap_or(false),
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(Alerts {
        alerts: d.into_view(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckBody {
    /// What was done about it.
    #[serde(default)]
    #[schema(
        max_length = 500,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub note: String,
}

/// Acknowledges an alert (the API and the page's form alike).
pub(crate) async fn ack(app: &AppState, req: &Req, alert: String, note: String) -> WebResult<()> {
    let v = viewer(req)?;
    app.store
        .ack_alert(v.user_id.clone(), alert, note, req.ctx.clone(), now())
        .await?
        .map_err(refused)
}

pub async fn ack_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<AckBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    ack(&app, &req, id, b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
