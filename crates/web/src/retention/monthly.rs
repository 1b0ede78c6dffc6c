//! The monthly 支援レポート: drafted from the month's check-ins, records and actions,
//! edited by the linked facility, confirmed by the worker before anyone else reads it,
//! then read by the follow-up person and family as the worker chose; a printable page,
//! a PDF (Japanese text in the embedded IPA font) and the month's records as CSV. Every
//! read goes through the store's door (`disclosure::support::view_monthly_tx`, and for
//! the CSV the check-ins' and the records' doors).
use super::support::refused;
use crate::api::{ApiJson, ApiQuery, body};
use crate::csv::Csv;
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, field_errors, see_other};
use crate::i18n::Tr;
use crate::jst::today;
use crate::pdf::{Block, render};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use domain::jobs::Source;
use domain::profile::Date;
use serde::Deserialize;
use std::collections::HashMap;
use store::disclosure::support::MonthlyView;
use utoipa::{IntoParams, ToSchema};

/// The first day of `YYYY-MM`; by default last month.
fn month_of(s: Option<&str>) -> WebResult<Date> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            let t = today();
            let this = Date { d: 1, ..t };
            Ok(Date {
                d: 1,
                ..this.plus_days(-1)
            })
        }
        Some(m) => {
            Date::parse(&format!("{m}-01")).ok_or_else(|| Failure::field("month", "month-invalid"))
        }
    }
}

async fn load(app: &AppState, req: &Req, id: &str, first: Date) -> WebResult<MonthlyView> {
    let v = viewer(req)?;
    let mut r = app
        .store
        .monthly_report(
            v.user_id.clone(),
            id.to_owned(),
            first,
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    // A fresh draft's words, in the reader's language, for the facility to edit.
    if r.fresh {
        let tr = req.tr();
        r.body.done = r
            .draft_records
            .iter()
            .map(|(day, kind, done)| {
                format!("{day} {}: {done}", tr.t(&format!("record-kind-{kind}")))
            })
            .collect::<Vec<_>>()
            .join("\n");
        r.body.next = r
            .draft_actions
            .iter()
            .map(|a| {
                format!(
                    "{}({}、{} {})",
                    a.what,
                    tr.t(&format!("record-owner-{}", a.owner)),
                    tr.t("record-due"),
                    a.due
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    Ok(r)
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default: last month).
    #[param(pattern = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

pub async fn get_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    q: ApiQuery<MonthQuery>,
) -> WebResult<Json<MonthlyView>> {
    let q = q.0?;
    let first = month_of(q.month.as_deref())?;
    Ok(Json(load(&app, &req, &id, first).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MonthlyBodyIn {
    /// `YYYY-MM`.
    #[schema(pattern = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")]
    pub month: String,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub done: String,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub next: String,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmBody {
    /// `YYYY-MM`.
    #[schema(pattern = r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])$")]
    pub month: String,
    /// The company's follow-up person may read it.
    pub to_follow_up: bool,
    /// Family members the worker shares with may read it.
    pub to_family: bool,
}

async fn save(
    app: &AppState,
    req: &Req,
    id: String,
    month: &str,
    done: String,
    next: String,
    note: String,
) -> WebResult<()> {
    let v = viewer(req)?;
    let first = month_of(Some(month))?;
    app.store
        .save_monthly(
            v.user_id.clone(),
            id,
            first,
            done,
            next,
            note,
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)
}

async fn confirm(
    app: &AppState,
    req: &Req,
    id: String,
    month: &str,
    fu: bool,
    fam: bool,
) -> WebResult<()> {
    let v = viewer(req)?;
    let first = month_of(Some(month))?;
    app.store
        .confirm_monthly(
            v.user_id.clone(),
            id,
            first,
            fu,
            fam,
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)
}

/// The facility saves its edit (the worker then confirms it again).
pub async fn put_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<MonthlyBodyIn>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    save(&app, &req, id, &b.month, b.done, b.next, b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The worker confirms the month's report and chooses who reads it.
pub async fn confirm_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<ConfirmBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    confirm(&app, &req, id, &b.month, b.to_follow_up, b.to_family).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The report's lines as the page, the PDF and the CSV say them.
struct Said {
    title: String,
    status: String,
    facts: Vec<(String, String)>,
}

fn said(tr: &Tr, r: &MonthlyView) -> Said {
    let f = &r.body.facts;
    let (y, m) = r.month.split_once('-').unwrap_or(("", ""));
    let title = tr.tn(
        "mon-title",
        &[("year", y), ("month", m.trim_start_matches('0'))],
    );
    let status = match r.confirmed_at {
        Some(at) => tr.t1("mon-confirmed", "day", &crate::jst::date_text(at, tr.lang)),
        None if r.fresh => tr.t("mon-fresh"),
        None => tr.t("mon-unconfirmed"),
    };
    let n = |x: u32| tr.t1("mon-days", "n", &x.to_string());
    let mut facts = vec![
        (tr.t("mon-reported"), n(f.reported)),
        (
            tr.t("mon-attendance-rate"),
            f.attendance_rate
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "—".into()),
        ),
        (tr.t("mon-worked"), n(f.worked)),
        (tr.t("checkin-attendance-absent"), n(f.absent)),
        (tr.t("checkin-attendance-late"), n(f.late)),
        (tr.t("checkin-attendance-early_leave"), n(f.early_leave)),
        (tr.t("checkin-attendance-day_off"), n(f.day_off)),
    ];
    if let Some(h) = f.health_avg {
        facts.push((tr.t("mon-health-avg"), format!("{h:.1}")));
    }
    if !f.health_trend.is_empty() {
        facts.push((
            tr.t("mon-health-trend"),
            tr.t(&format!("mon-trend-{}", f.health_trend)),
        ));
    }
    Said {
        title,
        status,
        facts,
    }
}

#[derive(Template)]
#[template(path = "monthly_report.html")]
struct MonthlyPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    id: String,
    r: MonthlyView,
    s: Said,
    prev: String,
    next: String,
}

async fn render_page(
    app: &AppState,
    req: &Req,
    id: String,
    first: Date,
    errors: Vec<(String, String)>,
    flash: Option<&str>,
) -> WebResult<Response> {
    let tr = req.tr();
    let r = load(app, req, &id, first).await?;
    let s = said(&tr, &r);
    let month = |d: Date| format!("{:04}-{:02}", d.y, d.m);
    let page = MonthlyPage {
        c: Chrome::new(req).flash(flash),
        prev: month(first.plus_days(-1)),
        next: month(domain::retention::plus_months(first, 1)),
        errors,
        id,
        r,
        s,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html(&page)).into_response())
}

pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let first = month_of(q.get("month").map(String::as_str))?;
    let flash = q
        .get("m")
        .filter(|m| ["mon-saved", "mon-confirmed-now"].contains(&m.as_str()))
        .map(String::as_str);
    render_page(&app, &req, id, first, vec![], flash).await
}

pub async fn save_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let month = Source::one(&f, "month").to_owned();
    let one = |k: &str| Source::one(&f, k).to_owned();
    match save(
        &app,
        &req,
        id.clone(),
        &month,
        one("done"),
        one("next"),
        one("note"),
    )
    .await
    {
        Ok(()) => Ok(see_other(&format!(
            "/employments/{id}/monthly?month={month}&m=mon-saved"
        ))),
        Err(Failure::Fields(fs)) => {
            let errors = field_errors(&req.tr(), &fs);
            render_page(&app, &req, id, month_of(Some(&month))?, errors, None).await
        }
        Err(e) => Err(e),
    }
}

pub async fn confirm_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let month = Source::one(&f, "month").to_owned();
    let on = |k: &str| Source::one(&f, k) == "on";
    confirm(
        &app,
        &req,
        id.clone(),
        &month,
        on("to_follow_up"),
        on("to_family"),
    )
    .await?;
    Ok(see_other(&format!(
        "/employments/{id}/monthly?month={month}&m=mon-confirmed-now"
    )))
}

/// The report as a PDF: Japanese text in the embedded font; the month, the worker's
/// confirmation and the headings as on the page.
pub async fn pdf(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let first = month_of(q.get("month").map(String::as_str))?;
    let tr = req.tr();
    let r = load(&app, &req, &id, first).await?;
    let s = said(&tr, &r);
    let mut blocks = vec![Block::Title(s.title.clone()), Block::Line(s.status.clone())];
    blocks.push(Block::Heading(tr.t("mon-facts")));
    blocks.extend(
        s.facts
            .iter()
            .map(|(k, v)| Block::Line(format!("{k}: {v}"))),
    );
    for (h, text) in [
        ("mon-done", &r.body.done),
        ("mon-next", &r.body.next),
        ("mon-note", &r.body.note),
    ] {
        blocks.push(Block::Heading(tr.t(h)));
        blocks.push(Block::Line(if text.is_empty() {
            "—".into()
        } else {
            text.clone()
        }));
    }
    let font = app.cfg.pdf_font.clone();
    let title = s.title.clone();
    let bytes = tokio::task::spawn_blocking(move || render(&title, &blocks, &font))
        .await
        .map_err(|_| Failure::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "monthly report PDF");
            Failure::Internal
        })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"monthly-report.pdf\"",
            ),
        ],
        bytes,
    )
        .into_response())
}

/// The month's check-ins (as the viewer may see them) and support records, as CSV for
/// Excel.
pub async fn csv(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let first = month_of(q.get("month").map(String::as_str))?;
    let tr = req.tr();
    // Only a reader of the month's report gets its records.
    load(&app, &req, &id, first).await?;
    let v = viewer(&req)?;
    let last = domain::retention::plus_months(first, 1).plus_days(-1);
    let (uid, ctx, t) = (v.user_id.clone(), req.ctx.clone(), now());
    let mut out = Csv::new();
    out.row([
        tr.t("checkin-col-date"),
        tr.t("checkins-col-attendance"),
        tr.t("checkin-clock-in"),
        tr.t("checkin-clock-out"),
        tr.t("checkins-summary"),
        tr.t("checkin-health"),
        tr.t("checkin-mood"),
        tr.t("checkins-col-sleep"),
        tr.t("checkin-troubles"),
        tr.t("checkins-col-note"),
    ]);
    if let Some(d) = app
        .store
        .employment_reports(uid.clone(), id.clone(), first, last, ctx.clone(), t)
        .await?
    {
        for m in &d.view().days {
            let s = |k: &str| match m.get(k) {
                Some(serde_json::Value::String(x)) => x.clone(),
                Some(serde_json::Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let att = s("attendance");
            let sum = s("summary");
            out.row([
                s("date"),
                if att.is_empty() {
                    att
                } else {
                    tr.t(&format!("checkin-attendance-{att}"))
                },
                s("clock_in"),
                s("clock_out"),
                if sum.is_empty() {
                    sum
                } else {
                    tr.t(&format!("checkin-summary-{sum}"))
                },
                s("health"),
                s("mood"),
                s("sleep_hours"),
                s("trouble_note"),
                s("note"),
            ]);
        }
    }
    if let Some(d) = app.store.support_records(uid, id, ctx, t).await? {
        out.row([tr.t("team-records")]);
        out.row([
            tr.t("checkin-col-date"),
            tr.t("staff-record-kind"),
            tr.t("staff-record-done"),
            tr.t("record-own-words"),
        ]);
        let month = format!("{:04}-{:02}", first.y, first.m);
        for r in d
            .view()
            .iter()
            .filter(|r| r.current.date.starts_with(&month))
        {
            out.row([
                r.current.date.clone(),
                tr.t(&format!("record-kind-{}", r.current.kind)),
                r.current.done.clone(),
                r.current.own_words.clone(),
            ]);
        }
    }
    Ok(out.download("monthly-records.csv"))
}
