//! The three-party page (本人・支援者・会社): one employment's check-ins with a trend
//! chart that has its data table and a text summary, open alerts (acknowledged here),
//! the support records with their versions and open actions, the early-warning rules,
//! the comment thread and a link to the 合理的配慮 ledger of the hire. Each part comes
//! through the store's door and shows only what the viewer may read; the forms appear
//! only where the support table lets the viewer write. The worker reads all of it about
//! themselves on `/check-in/support`.
use super::pages::{Row, text_of};
use super::range;
use super::support::{ack, comment, refused, set_rules};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, field_errors, see_other};
use crate::i18n::Msg;
use crate::jst::today;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::jobs::Source;
use domain::support::{ActionDraft, OWNERS, RECORD_KINDS, RecordDraft, Rules, RulesDraft};
use std::collections::HashMap;
use store::disclosure::support::{AlertView, CommentView, RecordView};

/// One point of the health chart.
pub(crate) struct Point {
    pub x: u32,
    pub y: u32,
    pub date: String,
    pub health: u8,
}

/// What the forms of the page hold after a refused submit (nothing typed lost).
#[derive(Default)]
pub(crate) struct Typed {
    pub record_id: String,
    pub kind: String,
    pub date: String,
    pub done: String,
    pub own_words: String,
    pub actions: Vec<(String, String, String)>,
    pub comment: String,
    pub period: String,
}

#[derive(Template)]
#[template(path = "employment_check_ins.html")]
struct TeamPage {
    c: Chrome,
    id: String,
    errors: Vec<(String, String)>,
    typed: Typed,
    worker_name: Option<String>,
    application_id: String,
    oneself: bool,
    /// The company's follow-up person may record the end of the employment here.
    can_end: bool,
    end_reasons: Vec<(&'static str, String)>,
    /// What the viewer sees of the check-ins, in words.
    lead: String,
    parts: Vec<String>,
    rows: Vec<Row>,
    points: Vec<Point>,
    polyline: String,
    health_summary: String,
    alerts: Vec<AlertView>,
    /// `None`: the worker does not share the records with this viewer.
    records: Option<Vec<RecordView>>,
    open_actions: Vec<(String, String, String)>,
    write_records: bool,
    comments: Option<Vec<CommentView>>,
    can_comment: bool,
    rules: Option<(Rules, bool)>,
    kinds: Vec<(&'static str, String)>,
    owners: Vec<(&'static str, String)>,
    today: String,
}

impl TeamPage {
    fn has(&self, part: &str) -> bool {
        self.parts.iter().any(|p| p == part)
    }
    fn kind_label(&self, k: &str) -> Msg {
        self.c.t(&format!("record-kind-{k}"))
    }
    fn owner_label(&self, o: &str) -> Msg {
        self.c.t(&format!("record-owner-{o}"))
    }
    fn role_label(&self, r: &str) -> Msg {
        self.c.t(&format!("comment-role-{r}"))
    }
    fn alert_label(&self, a: &AlertView) -> Msg {
        match &a.rule {
            Some(r) => self.c.t(&format!("alert-rule-{r}")),
            None => self.c.t(&format!("alert-topic-{}", a.topic)),
        }
    }
    /// The rules in sentences (those switched on), for those who read them.
    fn rule_lines(&self, r: &Rules) -> Vec<String> {
        let tr = &self.c.tr;
        let mut out = Vec::new();
        if r.health_days > 0 {
            out.push(tr.tn(
                "rules-say-health",
                &[
                    ("level", &r.health_level.to_string()),
                    ("days", &r.health_days.to_string()),
                ],
            ));
        }
        if r.health_trend {
            out.push(tr.t("rules-health-trend"));
        }
        if r.absence_count > 0 {
            out.push(tr.tn(
                "rules-say-absences",
                &[
                    ("count", &r.absence_count.to_string()),
                    ("window", &r.absence_window.to_string()),
                ],
            ));
        }
        if r.silent_days > 0 {
            out.push(tr.tn("rules-say-silent", &[("days", &r.silent_days.to_string())]));
        }
        if r.talk {
            out.push(tr.t("rules-talk"));
        }
        if r.trouble {
            out.push(tr.t("rules-trouble"));
        }
        out
    }
    fn first_line(&self, r: &Rules) -> String {
        let tr = &self.c.tr;
        let who = |x: domain::support::Recipient| tr.t(&format!("comment-role-{}", x.as_str()));
        tr.tn(
            "rules-say-first",
            &[
                ("first", &who(r.first)),
                ("hours", &r.escalate_hours.to_string()),
                ("other", &who(r.first.other())),
            ],
        )
    }
    fn action_at(&self, i: &usize) -> (String, String, String) {
        self.typed.actions.get(*i).cloned().unwrap_or_default()
    }
}

/// The chart's points over the days `from`–`to` (x: the day, y: health 1–5, in a
/// 600 × 200 view box), oldest first.
pub(crate) fn chart(
    days: &[serde_json::Map<String, serde_json::Value>],
    from: domain::profile::Date,
    to: domain::profile::Date,
) -> Vec<Point> {
    // The axis runs from the first day with health (a week at least) to `to`.
    let first = days
        .iter()
        .filter(|m| m.get("health").is_some_and(|h| h.is_u64()))
        .filter_map(|m| domain::profile::Date::parse(m.get("date")?.as_str()?))
        .min()
        .unwrap_or(from);
    let from = first.max(from).min(to.plus_days(-6));
    let span = from.days_until(to).max(1) as f64;
    days.iter()
        .filter_map(|m| {
            let date = m.get("date")?.as_str()?;
            let h = m.get("health")?.as_u64()? as u8;
            let d = domain::profile::Date::parse(date)?;
            let x = 40.0 + 540.0 * (from.days_until(d) as f64 / span);
            let y = 180.0 - 40.0 * f64::from(h.saturating_sub(1));
            Some(Point {
                x: x.round() as u32,
                y: y.round() as u32,
                date: date.to_owned(),
                health: h,
            })
        })
        .collect()
}

fn records_typed(f: &Vec<(String, String)>) -> (Typed, RecordDraft) {
    let one = |k: &str| Source::one(f, k).to_owned();
    let whats = Source::many(f, "action_what");
    let owners = Source::many(f, "action_owner");
    let dues = Source::many(f, "action_due");
    let actions: Vec<(String, String, String)> = (0..whats.len().max(owners.len()).max(dues.len()))
        .map(|i| {
            (
                whats.get(i).cloned().unwrap_or_default(),
                owners.get(i).cloned().unwrap_or_default(),
                dues.get(i).cloned().unwrap_or_default(),
            )
        })
        .collect();
    let done_idx = Source::many(f, "action_done");
    let draft = RecordDraft {
        kind: one("kind"),
        date: one("date"),
        done: one("done"),
        own_words: one("own_words"),
        actions: actions
            .iter()
            .enumerate()
            .map(|(i, (w, o, d))| ActionDraft {
                what: w.clone(),
                owner: o.clone(),
                due: d.clone(),
                done: done_idx.iter().any(|x| x == &i.to_string()),
            })
            .collect(),
    };
    (
        Typed {
            record_id: one("record_id"),
            kind: one("kind"),
            date: one("date"),
            done: one("done"),
            own_words: one("own_words"),
            actions,
            ..Typed::default()
        },
        draft,
    )
}

/// The whole page (also after a refused submit, with its errors and what was typed).
async fn render(
    app: &AppState,
    req: &Req,
    id: String,
    q: &HashMap<String, String>,
    errors: Vec<(String, String)>,
    typed: Typed,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let tr = req.tr();
    let day = today();
    let (from, to) = range(
        q.get("from").map(String::as_str),
        q.get("to").map(String::as_str),
        day,
    )?;
    let (uid, ctx, t) = (v.user_id.clone(), req.ctx.clone(), now());
    let page = app
        .store
        .support_page(uid.clone(), id.clone(), day, ctx.clone(), t)
        .await?
        .ok_or(Failure::NotFound)?;
    let reports = app
        .store
        .employment_reports(uid.clone(), id.clone(), from, to, ctx.clone(), t)
        .await?
        .map(|d| d.into_view());
    let alerts = app
        .store
        .employment_alerts(uid.clone(), id.clone(), true, ctx.clone(), t)
        .await?
        .map(|d| d.into_view())
        .unwrap_or_default();
    let records = if page.rights.records {
        app.store
            .support_records(uid.clone(), id.clone(), ctx.clone(), t)
            .await?
            .map(|d| d.into_view())
    } else {
        None
    };
    let comments = app
        .store
        .comments(uid.clone(), id.clone(), ctx.clone(), t)
        .await?
        .map(|d| d.into_view());
    let rules = app.store.alert_rules(uid.clone(), id.clone()).await?;
    let (lead, parts, days) = match reports {
        Some(r) => (tr.t(&format!("checkins-view-{}", r.view)), r.parts, r.days),
        None => (tr.t("checkins-view-none"), vec![], vec![]),
    };
    let points = chart(&days, from, to);
    let level = rules.map(|(r, _)| r.health_level).unwrap_or(2);
    let health_summary = if points.is_empty() {
        String::new()
    } else {
        let n = points.len().min(5);
        let low = points[points.len() - n..]
            .iter()
            .filter(|p| p.health <= level)
            .count();
        tr.tn(
            "team-health-summary",
            &[
                ("level", &level.to_string()),
                ("low", &low.to_string()),
                ("n", &n.to_string()),
            ],
        )
    };
    let open_actions = records
        .iter()
        .flatten()
        .flat_map(|r| r.current.actions.iter())
        .filter(|a| !a.done)
        .map(|a| {
            (
                a.what.clone(),
                tr.t(&format!("record-owner-{}", a.owner)),
                a.due.to_string(),
            )
        })
        .collect();
    let page = TeamPage {
        c: Chrome::new(req).flash(
            q.get("m")
                .filter(|m| {
                    [
                        "staff-record-saved",
                        "staff-comment-saved",
                        "staff-rules-saved",
                        "staff-alert-acked",
                    ]
                    .contains(&m.as_str())
                })
                .map(String::as_str),
        ),
        polyline: points
            .iter()
            .map(|p| format!("{},{}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" "),
        points,
        health_summary,
        rows: days.iter().rev().map(|m| text_of(&tr, m)).collect(),
        lead,
        parts,
        alerts,
        records,
        open_actions,
        write_records: page.rights.write_records,
        comments,
        can_comment: page.rights.comment_as.is_some(),
        rules,
        kinds: RECORD_KINDS
            .iter()
            .map(|k| (*k, tr.t(&format!("record-kind-{k}"))))
            .collect(),
        owners: OWNERS
            .iter()
            .map(|o| (*o, tr.t(&format!("record-owner-{o}"))))
            .collect(),
        today: day.to_string(),
        worker_name: page.worker_name,
        oneself: page.oneself,
        can_end: page.can_end,
        end_reasons: domain::retention::END_REASONS
            .iter()
            .map(|r| (*r, tr.t(&format!("end-reason-{r}"))))
            .collect(),
        application_id: page.application_id,
        id,
        errors,
        typed,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html(&page)).into_response())
}

/// The page again after a refused form elsewhere (the end of the employment).
pub(crate) async fn render_with_errors(
    app: &AppState,
    req: &Req,
    id: String,
    errors: Vec<(String, String)>,
) -> WebResult<Response> {
    render(app, req, id, &HashMap::new(), errors, Typed::default()).await
}

/// The three-party page of one employment (404 for anyone the worker did not let in).
pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    render(&app, &req, id, &q, vec![], Typed::default()).await
}

/// A refused form: the page again, its errors tied to the fields, nothing typed lost.
async fn again(
    app: &AppState,
    req: &Req,
    id: String,
    e: Failure,
    typed: Typed,
) -> WebResult<Response> {
    match e {
        Failure::Fields(fs) => {
            let errors = field_errors(&req.tr(), &fs);
            render(app, req, id, &HashMap::new(), errors, typed).await
        }
        other => Err(other),
    }
}

/// A support record, or a correction of one (a new version), from the page.
pub async fn record_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let (typed, draft) = records_typed(&f);
    let (uid, ctx, t) = (v.user_id.clone(), req.ctx.clone(), now());
    let r = if typed.record_id.is_empty() {
        app.store
            .add_record(uid, id.clone(), draft, today(), ctx, t)
            .await?
    } else {
        app.store
            .correct_record(
                uid,
                id.clone(),
                typed.record_id.clone(),
                draft,
                today(),
                ctx,
                t,
            )
            .await?
    };
    match r.map_err(refused) {
        Ok(_) => Ok(see_other(&format!(
            "/employments/{id}/check-ins?m=staff-record-saved#records"
        ))),
        Err(e) => again(&app, &req, id, e, typed).await,
    }
}

pub async fn comment_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let body = Source::one(&f, "body").to_owned();
    let period = Source::one(&f, "period").to_owned();
    let date = Source::one(&f, "date").to_owned();
    match comment(&app, &req, id.clone(), body.clone(), period.clone(), date).await {
        Ok(_) => Ok(see_other(&format!(
            "/employments/{id}/check-ins?m=staff-comment-saved#comments"
        ))),
        Err(e) => {
            let typed = Typed {
                comment: body,
                period,
                ..Typed::default()
            };
            again(&app, &req, id, e, typed).await
        }
    }
}

pub async fn rules_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let num = |k: &str| {
        domain::validate::half_width_digits(Source::one(&f, k).trim())
            .parse::<i64>()
            .ok()
    };
    let on = |k: &str| !Source::one(&f, k).is_empty();
    let d = RulesDraft {
        health_level: num("health_level"),
        health_days: num("health_days"),
        health_trend: on("health_trend"),
        absence_count: num("absence_count"),
        absence_window: num("absence_window"),
        silent_days: num("silent_days"),
        talk: on("talk"),
        trouble: on("trouble"),
        first: Source::one(&f, "first").to_owned(),
        escalate_hours: num("escalate_hours"),
    };
    match set_rules(&app, &req, id.clone(), d).await {
        Ok(_) => Ok(see_other(&format!(
            "/employments/{id}/check-ins?m=staff-rules-saved#rules"
        ))),
        Err(e) => again(&app, &req, id, e, Typed::default()).await,
    }
}

pub async fn ack_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(alert): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let employment = Source::one(&f, "employment_id").to_owned();
    let note = Source::one(&f, "note").to_owned();
    match ack(&app, &req, alert, note).await {
        Ok(()) => Ok(see_other(&format!(
            "/employments/{employment}/check-ins?m=staff-alert-acked#alerts"
        ))),
        Err(e) => again(&app, &req, employment, e, Typed::default()).await,
    }
}

/// The worker's own support page: for each standing employment, the same page as the
/// supporter's, read-only (records, comments with who said them, alerts, rules).
pub async fn my_support(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let places = app.store.work_places(v.user_id.clone()).await?;
    let id = q
        .get("employment")
        .filter(|e| places.iter().any(|p| &p.employment_id == *e))
        .cloned()
        .or_else(|| places.first().map(|p| p.employment_id.clone()))
        .ok_or(Failure::NotFound)?;
    render(&app, &req, id, &q, vec![], Typed::default()).await
}
