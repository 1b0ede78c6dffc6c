//! The check-in API: `POST`/`GET /api/v1/me/daily-reports`, the worker's own items,
//! `GET /api/v1/employments/{id}/daily-reports` (each viewer their view, through the
//! door), and the worker's choice of what the follow-up person sees.
use super::{range, refused};
use crate::api::{ApiJson, ApiQuery, body};
use crate::error::{Failure, WebResult};
use crate::jst::today;
use crate::request::{Req, viewer};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::profile::Date;
use domain::retention::{Draft, ItemKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use store::disclosure::report::ReportViews;
use store::retention::{MyReport, OwnItem, Saved, WorkPlace};
use utoipa::{IntoParams, ToSchema};

/// The longest label of an own item.
const MAX_LABEL: usize = 60;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DailyReportBody {
    /// One of the worker's standing employments.
    #[serde(default)]
    #[schema(required = true)]
    pub employment_id: String,
    /// The day, YYYY-MM-DD (Japan): today, or yesterday until 06:00.
    pub date: Date,
    #[serde(default)]
    #[schema(required = true, value_type = domain::retention::Attendance)]
    pub attendance: String,
    /// `HH:MM`, on a day worked (empty or absent otherwise).
    #[serde(default)]
    #[schema(pattern = r"^(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9])?$")]
    pub clock_in: String,
    /// `HH:MM`, after `clock_in`.
    #[serde(default)]
    #[schema(pattern = r"^(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9])?$")]
    pub clock_out: String,
    /// 1 (very bad) – 5 (very good).
    #[schema(minimum = 1, maximum = 5)]
    pub health: Option<i64>,
    /// Hours slept, in half hours.
    #[schema(minimum = 0, maximum = 24, multiple_of = 0.5)]
    pub sleep_hours: Option<f64>,
    /// 1 (very low) – 5 (very good).
    #[schema(minimum = 1, maximum = 5)]
    pub mood: Option<i64>,
    #[serde(default)]
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub note: String,
    /// Common troubles at work.
    #[serde(default)]
    #[schema(value_type = Vec<TroubleCode>)]
    pub troubles: Vec<String>,
    /// Troubles in the worker's own words.
    #[serde(default)]
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub trouble_note: String,
    /// "I want to talk to someone."
    #[serde(default)]
    pub want_to_talk: bool,
    /// The worker's own items: item id → answer (true/false, 1–5, or a number).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub items: BTreeMap<String, serde_json::Value>,
}

/// A common trouble at work (the `web` test `trouble_codes_are_the_list` keeps this
/// the same as `domain::retention::TROUBLES`).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TroubleCode {
    TaskHard,
    TooMuchWork,
    InstructionsUnclear,
    People,
    NoiseLight,
    Tired,
    Commute,
    ScheduleChange,
    Body,
}

#[cfg(test)]
mod tests {
    #[test]
    fn trouble_codes_are_the_list() {
        use super::TroubleCode as T;
        let all = [
            T::TaskHard,
            T::TooMuchWork,
            T::InstructionsUnclear,
            T::People,
            T::NoiseLight,
            T::Tired,
            T::Commute,
            T::ScheduleChange,
            T::Body,
        ];
        let codes: Vec<String> = all
            .iter()
            .map(|t| {
                serde_json::to_value(t)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        assert_eq!(codes, domain::retention::TROUBLES);
    }
}

impl DailyReportBody {
    pub(crate) fn draft(&self) -> Draft {
        Draft {
            attendance: self.attendance.clone(),
            clock_in: self.clock_in.clone(),
            clock_out: self.clock_out.clone(),
            health: self.health,
            sleep_hours: self.sleep_hours,
            mood: self.mood,
            note: self.note.clone(),
            troubles: self.troubles.clone(),
            trouble_note: self.trouble_note.clone(),
            want_to_talk: self.want_to_talk,
            items: self.items.clone(),
        }
    }
}

/// The `Idempotency-Key` header (a client's own id of one write, at most 100 characters).
pub(crate) fn idempotency_key(h: &HeaderMap) -> WebResult<Option<String>> {
    match h.get("idempotency-key") {
        None => Ok(None),
        Some(v) => {
            let s = v.to_str().map_err(|_| Failure::BadRequest)?.trim();
            if s.is_empty() || s.len() > 100 {
                return Err(Failure::BadRequest);
            }
            Ok(Some(s.to_owned()))
        }
    }
}

/// Saves a check-in (the API and the page's form alike).
pub(crate) async fn save(
    app: &AppState,
    req: &Req,
    employment: String,
    day: Date,
    draft: Draft,
    key: Option<String>,
) -> WebResult<Saved> {
    let v = viewer(req)?;
    app.store
        .save_report(
            v.user_id.clone(),
            employment,
            day,
            draft,
            key,
            app.notice(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)
}

pub async fn submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    b: ApiJson<DailyReportBody>,
) -> WebResult<Response> {
    let key = idempotency_key(&headers)?;
    let b = body(b)?;
    let draft = b.draft();
    let saved = save(&app, &req, b.employment_id, b.date, draft, key).await?;
    let status = if saved.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(saved)).into_response())
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// First day, YYYY-MM-DD (default: 30 days before `to`).
    #[param(value_type = Option<domain::profile::Date>)]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD (default: today); at most 366 days after `from`.
    #[param(value_type = Option<domain::profile::Date>)]
    pub to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MyReports {
    /// Oldest first.
    pub reports: Vec<MyReport>,
    /// The worker's own items (not retired).
    pub items: Vec<OwnItem>,
    /// The standing employments a check-in is for.
    pub work_places: Vec<WorkPlace>,
}

pub async fn mine(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: ApiQuery<RangeQuery>,
) -> WebResult<Json<MyReports>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let (from, to) = range(q.from.as_deref(), q.to.as_deref(), today())?;
    Ok(Json(MyReports {
        reports: app.store.my_reports(v.user_id.clone(), from, to).await?,
        items: app.store.own_items(v.user_id.clone()).await?,
        work_places: app.store.work_places(v.user_id.clone()).await?,
    }))
}

/// An employment's check-ins as the viewer may see them: 404 for anyone the worker did
/// not let see them.
pub async fn of_employment(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    q: ApiQuery<RangeQuery>,
) -> WebResult<Json<ReportViews>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let (from, to) = range(q.from.as_deref(), q.to.as_deref(), today())?;
    let d = app
        .store
        .employment_reports(v.user_id.clone(), id, from, to, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(d.into_view()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemBody {
    /// What to answer each day, e.g. "薬を飲んだ".
    #[serde(default)]
    #[schema(
        required = true,
        min_length = 1,
        max_length = 60,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\x00-\x1F\x7F-\x9F\s][^\x00-\x1F\x7F-\x9F]*$"
    )]
    pub label: String,
    #[schema(value_type = domain::retention::ItemKind)]
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct ItemCreated {
    pub item_id: String,
}

/// Checks an item's label and kind.
pub(crate) fn item(label: &str, kind: &str) -> WebResult<(String, ItemKind)> {
    let label = label.trim();
    let mut f = domain::Fields::new();
    if label.is_empty() {
        f.add("label", "text-required");
    } else if label.chars().count() > MAX_LABEL {
        f.add("label", "text-too-long");
    } else if label.chars().any(char::is_control) {
        f.add("label", "text-invalid");
    }
    let kind = ItemKind::parse(kind);
    if kind.is_none() {
        f.add("kind", "choice-invalid");
    }
    f.into_result()?;
    Ok((label.to_owned(), kind.ok_or(Failure::BadRequest)?))
}

async fn add_item(app: &AppState, req: &Req, worker: String, b: ItemBody) -> WebResult<Response> {
    let v = viewer(req)?;
    let (label, kind) = item(&b.label, &b.kind)?;
    let id = app
        .store
        .add_own_item(
            v.user_id.clone(),
            worker,
            label,
            kind,
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?;
    Ok((StatusCode::CREATED, Json(ItemCreated { item_id: id })).into_response())
}

/// The worker adds an item of their own.
pub async fn item_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<ItemBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    add_item(&app, &req, v.user_id.clone(), body(b)?).await
}

/// The linked supporter adds an item to a worker's check-in (by the employment).
pub async fn item_add_for(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<ItemBody>,
) -> WebResult<Response> {
    let worker = app
        .store
        .employment_worker(id)
        .await?
        .ok_or(Failure::NotFound)?;
    add_item(&app, &req, worker, body(b)?).await
}

pub async fn item_retire(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if app
        .store
        .retire_own_item(v.user_id.clone(), id, now())
        .await?
    {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound)
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpBody {
    /// The company of one of the worker's standing employments.
    #[serde(default)]
    #[schema(required = true)]
    pub company_id: String,
    /// True: its follow-up person sees whole check-ins; false: attendance and the day
    /// in one word (good / watch / concern) only.
    pub full: bool,
    /// True: its follow-up person also reads the support records; false: not; absent:
    /// as before.
    pub support_records: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct FollowUpAnswer {
    pub work_places: Vec<WorkPlace>,
}

pub async fn follow_up(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<FollowUpBody>,
) -> WebResult<Json<FollowUpAnswer>> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let mut choices = vec![("daily_reports", b.full)];
    if let Some(r) = b.support_records {
        choices.push(("support_records", r));
    }
    for (scope, on) in choices {
        app.store
            .set_follow_up_share(
                v.user_id.clone(),
                b.company_id.clone(),
                scope,
                on,
                req.ctx.clone(),
                now(),
            )
            .await?
            .ok_or_else(|| Failure::field("company_id", "organization-unknown"))?;
    }
    Ok(Json(FollowUpAnswer {
        work_places: app.store.work_places(v.user_id.clone()).await?,
    }))
}
