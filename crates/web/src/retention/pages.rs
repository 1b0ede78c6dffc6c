//! The check-in as pages: today's check-in (big choices with pictures and words, done
//! in under two minutes on a phone; the answers kept in the browser and sent once when
//! the connection returns, by `static/app.js`), the worker's history by week or month,
//! and an employment's check-ins as another viewer may see them (through the door).
use super::api::save;
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, field_errors, see_other};
use crate::jst::{day_text, today};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::jobs::Source;
use domain::profile::Date;
use domain::retention::{Attendance, Draft, TROUBLES};
use std::collections::{BTreeMap, HashMap};
use store::retention::{MyReport, OwnItem, WorkPlace};

/// One choice among pictures with words.
struct Choice {
    value: String,
    label: String,
    /// Which picture (a name in `_pictures.html`).
    picture: String,
    checked: bool,
}

/// One of the worker's own items, as a form control.
struct ItemField {
    id: String,
    label: String,
    kind: &'static str,
    value: String,
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    c: Chrome,
    errors: Vec<(String, String)>,
    /// No standing employment: nothing to check in for.
    places: Vec<(String, String)>,
    employment: String,
    date: String,
    date_text: String,
    /// A check-in for today exists (the page edits it).
    editing: bool,
    idempotency_key: String,
    attendance: Vec<Choice>,
    clock_in: String,
    clock_out: String,
    health: Vec<Choice>,
    mood: Vec<Choice>,
    sleep_hours: String,
    troubles: Vec<(String, String, bool)>,
    trouble_note: String,
    want_to_talk: bool,
    note: String,
    items: Vec<ItemField>,
}

fn scale(tr: &crate::i18n::Tr, what: &str, chosen: &str) -> Vec<Choice> {
    (1..=5)
        .rev()
        .map(|n| Choice {
            value: n.to_string(),
            label: tr.t(&format!("checkin-{what}-{n}")),
            picture: format!("face-{n}"),
            checked: chosen == n.to_string(),
        })
        .collect()
}

/// The typed values of the form (what was sent, or the saved check-in).
#[derive(Default)]
struct Typed {
    attendance: String,
    clock_in: String,
    clock_out: String,
    health: String,
    mood: String,
    sleep_hours: String,
    troubles: Vec<String>,
    trouble_note: String,
    want_to_talk: bool,
    note: String,
    items: BTreeMap<String, String>,
}

impl Typed {
    fn of_report(r: &MyReport) -> Self {
        let n = |v: Option<u8>| v.map(|n| n.to_string()).unwrap_or_default();
        Self {
            attendance: r.attendance.unwrap_or_default().to_owned(),
            clock_in: r.clock_in.clone().unwrap_or_default(),
            clock_out: r.clock_out.clone().unwrap_or_default(),
            health: n(r.health),
            mood: n(r.mood),
            sleep_hours: r.sleep_hours.map(|h| h.to_string()).unwrap_or_default(),
            troubles: r.troubles.clone(),
            trouble_note: r.trouble_note.clone(),
            want_to_talk: r.want_to_talk,
            note: r.note.clone(),
            items: r
                .items
                .iter()
                .map(|(k, v)| {
                    let s = match v {
                        serde_json::Value::Bool(true) => "yes".to_owned(),
                        serde_json::Value::Bool(false) => "no".to_owned(),
                        other => other.to_string(),
                    };
                    (k.clone(), s)
                })
                .collect(),
        }
    }
    fn of_form(f: &Vec<(String, String)>, own: &[OwnItem]) -> Self {
        let one = |k: &str| Source::one(f, k).to_owned();
        Self {
            attendance: one("attendance"),
            clock_in: one("clock_in"),
            clock_out: one("clock_out"),
            health: one("health"),
            mood: one("mood"),
            sleep_hours: one("sleep_hours"),
            troubles: Source::many(f, "troubles"),
            trouble_note: one("trouble_note"),
            want_to_talk: !Source::one(f, "want_to_talk").is_empty(),
            note: one("note"),
            items: own
                .iter()
                .map(|i| (i.id.clone(), one(&format!("item-{}", i.id))))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect(),
        }
    }
}

/// The form as a check-in draft: numbers read by the forms' number rules (full-width
/// digits too), each problem tied to its field.
fn draft(t: &Typed, own: &[OwnItem]) -> WebResult<Draft> {
    let mut f = domain::Fields::new();
    let int = |f: &mut domain::Fields, field: &'static str, s: &str| -> Option<i64> {
        let s = domain::validate::half_width_digits(s.trim());
        if s.is_empty() {
            return None;
        }
        let n = s.parse().ok();
        if n.is_none() {
            f.add(field, "scale-invalid");
        }
        n
    };
    let health = int(&mut f, "health", &t.health);
    let mood = int(&mut f, "mood", &t.mood);
    let sleep = domain::validate::half_width_digits(t.sleep_hours.trim());
    let sleep_hours = if sleep.is_empty() {
        None
    } else {
        let h = sleep.parse::<f64>().ok();
        if h.is_none() {
            f.add("sleep_hours", "sleep-invalid");
        }
        h
    };
    let mut items = BTreeMap::new();
    for i in own {
        let Some(v) = t.items.get(&i.id) else {
            continue;
        };
        let v = domain::validate::half_width_digits(v.trim());
        let value = match (i.kind, v.as_str()) {
            ("yes_no", "yes") => serde_json::json!(true),
            ("yes_no", "no") => serde_json::json!(false),
            (_, s) => match s.parse::<f64>() {
                Ok(n) if n.fract() == 0.0 => serde_json::json!(n as i64),
                Ok(n) => serde_json::json!(n),
                Err(_) => {
                    f.add("items", "item-value-invalid");
                    continue;
                }
            },
        };
        items.insert(i.id.clone(), value);
    }
    f.into_result()?;
    // Times as typed on a Japanese keyboard: full-width digits and colon.
    let time = |s: &str| domain::validate::half_width_digits(s.trim()).replace('：', ":");
    Ok(Draft {
        attendance: t.attendance.clone(),
        clock_in: time(&t.clock_in),
        clock_out: time(&t.clock_out),
        health,
        sleep_hours,
        mood,
        note: t.note.clone(),
        troubles: t.troubles.clone(),
        trouble_note: t.trouble_note.clone(),
        want_to_talk: t.want_to_talk,
        items,
    })
}

#[allow(clippy::too_many_arguments)]
async fn render(
    app: &AppState,
    req: &Req,
    places: Vec<WorkPlace>,
    employment: String,
    typed: Option<Typed>,
    editing: bool,
    errors: Vec<(String, String)>,
    flash: Option<&str>,
    key: String,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let tr = req.tr();
    let own = app.store.own_items(v.user_id.clone()).await?;
    let t = typed.unwrap_or_default();
    let day = today();
    let page = CheckInPage {
        c: Chrome::new(req).flash(flash),
        places: places
            .iter()
            .map(|p| (p.employment_id.clone(), p.company_name.clone()))
            .collect(),
        employment,
        date: day.to_string(),
        date_text: day_text(day, tr.lang),
        editing,
        idempotency_key: key,
        attendance: Attendance::ALL
            .iter()
            .map(|a| Choice {
                value: a.as_str().to_owned(),
                label: tr.t(&format!("checkin-attendance-{}", a.as_str())),
                picture: format!("att-{}", a.as_str()),
                checked: t.attendance == a.as_str(),
            })
            .collect(),
        clock_in: t.clock_in.clone(),
        clock_out: t.clock_out.clone(),
        health: scale(&tr, "health", &t.health),
        mood: scale(&tr, "mood", &t.mood),
        sleep_hours: t.sleep_hours.clone(),
        troubles: TROUBLES
            .iter()
            .map(|c| {
                (
                    (*c).to_owned(),
                    tr.t(&format!("checkin-trouble-{c}")),
                    t.troubles.iter().any(|x| x == c),
                )
            })
            .collect(),
        trouble_note: t.trouble_note.clone(),
        want_to_talk: t.want_to_talk,
        note: t.note.clone(),
        items: own
            .into_iter()
            .map(|i| ItemField {
                value: t.items.get(&i.id).cloned().unwrap_or_default(),
                id: i.id,
                label: i.label,
                kind: i.kind,
            })
            .collect(),
        errors,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html(&page)).into_response())
}

/// Today's check-in: a new one, or today's to edit.
pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let places = app.store.work_places(v.user_id.clone()).await?;
    let employment = q
        .get("employment")
        .filter(|e| places.iter().any(|p| &p.employment_id == *e))
        .cloned()
        .or_else(|| places.first().map(|p| p.employment_id.clone()))
        .unwrap_or_default();
    let day = today();
    let saved = app
        .store
        .my_reports(v.user_id.clone(), day, day)
        .await?
        .into_iter()
        .find(|r| r.employment_id == employment);
    let flash = q
        .get("m")
        .filter(|m| ["check-in-saved", "check-in-item-added"].contains(&m.as_str()))
        .map(String::as_str);
    render(
        &app,
        &req,
        places,
        employment,
        saved.as_ref().map(Typed::of_report),
        saved.is_some(),
        vec![],
        flash,
        store::new_id(),
    )
    .await
}

/// The form sent: saved (a second send of the same form changes nothing), or shown
/// again with every problem tied to its field and nothing typed lost.
pub async fn submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let own = app.store.own_items(v.user_id.clone()).await?;
    let typed = Typed::of_form(&f, &own);
    let employment = Source::one(&f, "employment_id").to_owned();
    let key = Some(Source::one(&f, "idempotency_key").trim().to_owned())
        .filter(|k| !k.is_empty() && k.len() <= 100);
    let day = Date::parse(Source::one(&f, "date")).unwrap_or_else(today);
    let result = match draft(&typed, &own) {
        Ok(d) => save(&app, &req, employment.clone(), day, d, key.clone()).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/check-in?m=check-in-saved")),
        Err(Failure::Fields(fs)) => {
            let places = app.store.work_places(v.user_id.clone()).await?;
            let errors = field_errors(&req.tr(), &fs);
            render(
                &app,
                &req,
                places,
                employment,
                Some(typed),
                false,
                errors,
                None,
                key.unwrap_or_else(store::new_id),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// One row of a history or an employment's check-ins: the texts of what the viewer sees.
pub(crate) struct Row {
    pub date: String,
    pub attendance: String,
    pub times: String,
    pub health: String,
    pub mood: String,
    pub sleep: String,
    pub troubles: String,
    pub talk: bool,
    pub note: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "check_in_history.html")]
struct HistoryPage {
    c: Chrome,
    month: bool,
    title: String,
    prev: String,
    next: Option<String>,
    rows: Vec<Row>,
}

pub(crate) fn text_of(tr: &crate::i18n::Tr, m: &serde_json::Map<String, serde_json::Value>) -> Row {
    let s = |k: &str| {
        m.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let n = |k: &str| {
        m.get(k)
            .and_then(|v| v.as_f64())
            .map(|x| x.to_string())
            .unwrap_or_default()
    };
    let att = s("attendance");
    let times = match (s("clock_in"), s("clock_out")) {
        (i, o) if i.is_empty() && o.is_empty() => String::new(),
        (i, o) => format!("{i}–{o}"),
    };
    let troubles = m
        .get("troubles")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .map(|c| tr.t(&format!("checkin-trouble-{c}")))
                .chain(Some(s("trouble_note")).filter(|x| !x.is_empty()))
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default();
    let sum = s("summary");
    Row {
        date: s("date"),
        attendance: if att.is_empty() {
            String::new()
        } else {
            tr.t(&format!("checkin-attendance-{att}"))
        },
        times,
        health: n("health"),
        mood: n("mood"),
        sleep: n("sleep_hours"),
        troubles,
        talk: m
            .get("want_to_talk")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        note: s("note"),
        summary: if sum.is_empty() {
            String::new()
        } else {
            tr.t(&format!("checkin-summary-{sum}"))
        },
    }
}

/// The worker's check-ins by week (the default) or month.
pub async fn history(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let month = q.get("view").is_some_and(|x| x == "month");
    let at = q
        .get("at")
        .and_then(|d| Date::parse(d))
        .unwrap_or_else(today);
    let (from, to) = if month {
        let first = Date { d: 1, ..at };
        let next = Date {
            d: 1,
            ..first.plus_days(31)
        };
        (first, next.plus_days(-1))
    } else {
        (at.plus_days(-6), at)
    };
    let view = if month { "month" } else { "week" };
    let prev_at = from.plus_days(-1);
    let next_at = if month {
        to.plus_days(1)
    } else {
        to.plus_days(7)
    };
    let rows = app
        .store
        .my_reports(v.user_id.clone(), from, to)
        .await?
        .into_iter()
        .map(|r| {
            let m = match serde_json::to_value(&r) {
                Ok(serde_json::Value::Object(m)) => m,
                _ => serde_json::Map::new(),
            };
            text_of(&tr, &m)
        })
        .collect();
    Ok(html(&HistoryPage {
        c: Chrome::new(&req),
        month,
        title: tr.tn(
            "checkin-history-range",
            &[
                ("from", &day_text(from, tr.lang)),
                ("to", &day_text(to, tr.lang)),
            ],
        ),
        prev: format!("/check-in/history?view={view}&at={prev_at}"),
        next: (to < today()).then(|| format!("/check-in/history?view={view}&at={next_at}")),
        rows,
    })
    .into_response())
}

/// The worker chooses on the privacy page what one company's follow-up person sees.
pub async fn follow_up_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let full = match Source::one(&f, "view") {
        "full" => true,
        "summary" => false,
        _ => return Err(Failure::field("view", "choice-required")),
    };
    let records = Source::one(&f, "support_records") == "on";
    for (scope, on) in [("daily_reports", full), ("support_records", records)] {
        app.store
            .set_follow_up_share(
                v.user_id.clone(),
                Source::one(&f, "company_id").to_owned(),
                scope,
                on,
                req.ctx.clone(),
                now(),
            )
            .await?
            .ok_or(Failure::NotFound)?;
    }
    Ok(see_other("/privacy-settings?m=privacy-saved#follow-up"))
}

/// The worker adds an item of their own to the check-in (a yes/no, a 1–5 scale or a
/// number); a problem comes back on the check-in page, tied to its field.
pub async fn item_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let (label, kind) = super::api::item(Source::one(&f, "label"), Source::one(&f, "kind"))?;
    app.store
        .add_own_item(
            v.user_id.clone(),
            v.user_id.clone(),
            label,
            kind,
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(see_other("/check-in?m=check-in-item-added#f-items"))
}
