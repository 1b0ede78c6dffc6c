//! One application as each party sees it (the seeker, the company's members, the
//! supporter taking part, family sharing application status), with its interviews and
//! its 合理的配慮 ledger: the API and the page. Every read goes through the store's door
//! (`open_application`); every write is authorised there by the caller's standing.
use crate::api::{ApiJson, body, no_content_or_404};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::jobs::words::entry_label;
use crate::jst::{date_text, format_time, today};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use domain::disclosure::AItem;
use domain::hiring::{Counted, RatePosition, Stage, private_rate};
use domain::interview::{self, LocalTime, Slot};
use domain::jobs::Source;
use domain::ledger::{Decision, Side, check_decision};
use domain::profile::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::disclosure::application::{ApplicationView, LedgerItem};
use store::selection::{Answer, LedgerWrite, NewSlot, SelectionRefused};
use utoipa::ToSchema;

/// Everything an application page or answer may hold (the door cuts it per viewer).
const ALL: &[AItem] = &[
    AItem::Stage,
    AItem::Message,
    AItem::Interviews,
    AItem::Ledger,
    AItem::Employment,
    AItem::Internal,
];

fn refused(r: SelectionRefused) -> Failure {
    match r {
        SelectionRefused::NotFound => Failure::NotFound,
        SelectionRefused::NotNow => Failure::Conflict("err-not-now"),
        SelectionRefused::SlotUnknown => Failure::field("slot_id", "choice-invalid"),
    }
}

async fn open(
    app: &AppState,
    req: &Req,
    id: String,
    want: &'static [AItem],
) -> WebResult<ApplicationView> {
    let v = viewer(req)?;
    Ok(app
        .store
        .open_application(
            v.user_id.clone(),
            id,
            want,
            "application",
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view())
}

fn text(field: &'static str, s: &str, max: usize, required: bool) -> WebResult<String> {
    let t = s.trim();
    if required && t.is_empty() {
        return Err(Failure::field(field, "text-required"));
    }
    if t.chars().count() > max {
        return Err(Failure::field(field, "text-too-long"));
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Failure::field(field, "text-invalid"));
    }
    Ok(t.to_owned())
}

fn japan_now() -> LocalTime {
    LocalTime::of_unix(now())
}

fn check_slots(slots: &[Slot]) -> WebResult<Vec<NewSlot>> {
    if slots.is_empty() {
        return Err(Failure::field("slots", "slots-required"));
    }
    if slots.len() > 5 {
        return Err(Failure::field("slots", "slots-too-many"));
    }
    let mut out = Vec::new();
    for (i, s) in slots.iter().enumerate() {
        let start = s.check(japan_now()).map_err(|code| {
            Failure::field(
                ["slots.0", "slots.1", "slots.2", "slots.3", "slots.4"][i],
                code,
            )
        })?;
        out.push(NewSlot {
            start,
            minutes: s.minutes,
            place: s.place.trim().to_owned(),
            online_url: s.online_url.trim().to_owned(),
        });
    }
    Ok(out)
}

fn check_accommodations(codes: &[String]) -> WebResult<Vec<String>> {
    if codes
        .iter()
        .any(|c| !interview::ACCOMMODATIONS.contains(&c.as_str()))
    {
        return Err(Failure::field("accommodations", "choice-invalid"));
    }
    let mut v: Vec<String> = codes.to_vec();
    v.sort();
    v.dedup();
    Ok(v)
}

fn check_codes(codes: &[String]) -> WebResult<Vec<String>> {
    if codes.iter().any(|c| !domain::taxonomy::is_accommodation(c)) {
        return Err(Failure::field("codes", "choice-invalid"));
    }
    Ok(codes.to_vec())
}

// ------------------------------------------------------------------ API

/// `GET /api/v1/applications/{id}`: the application as the caller may see it.
pub async fn application(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<ApplicationView>> {
    Ok(Json(open(&app, &req, id, ALL).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeBody {
    /// One to five times to choose from.
    #[schema(min_items = 1, max_items = 5)]
    slots: Vec<Slot>,
    /// What the company will provide at the interview.
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::InterviewAccommodation>)]
    accommodations: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct InterviewCreated {
    pub interview_id: String,
}

/// The company proposes an interview.
pub async fn propose(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<ProposeBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let slots = check_slots(&b.slots)?;
    let acc = check_accommodations(&b.accommodations)?;
    let iid = app
        .store
        .propose_interview(
            v.user_id.clone(),
            id,
            slots,
            acc,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(InterviewCreated { interview_id: iid }),
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The slot chosen (or give `others`).
    #[serde(default)]
    slot_id: Option<String>,
    /// None of the times suit: what would (or give `slot_id`).
    #[serde(default)]
    #[schema(
        max_length = 1000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    others: Option<String>,
}

fn answer_of(slot: Option<String>, others: Option<String>) -> WebResult<Answer> {
    match (slot.filter(|s| !s.is_empty()), others) {
        (Some(s), None) => Ok(Answer::Pick(s)),
        (None, Some(o)) => Ok(Answer::Others(text("others", &o, 1000, true)?)),
        _ => Err(Failure::field("slot_id", "interview-answer-one")),
    }
}

/// The seeker, or the supporter taking part for them, picks a time or asks for others.
pub async fn answer(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<AnswerBody>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let a = answer_of(b.slot_id, b.others)?;
    app.store
        .answer_interview(
            v.user_id.clone(),
            id,
            a,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The company cancels an interview.
pub async fn cancel(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    app.store
        .cancel_interview(v.user_id.clone(), id, req.ctx.clone(), app.notice(), now())
        .await?
        .map_err(refused)?;
    Ok(StatusCode::NO_CONTENT)
}

/// The interview's calendar file (RFC 5545), once a time is chosen; `METHOD:CANCEL`
/// once cancelled. Served to API and page callers alike.
pub async fn ics(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let d = app
        .store
        .interview_ics(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    let tr = req.tr();
    let host = app
        .cfg
        .public_url
        .split("://")
        .nth(1)
        .unwrap_or("tsunagu")
        .split(['/', ':'])
        .next()
        .unwrap_or("tsunagu")
        .to_owned();
    let summary = tr.t1("ics-summary", "company", &d.company_name);
    let acc: Vec<String> = d
        .accommodations
        .iter()
        .map(|a| tr.t(&format!("interview-acc-{a}")))
        .collect();
    let mut description = d.posting_title.clone();
    if !acc.is_empty() {
        description.push_str(&format!(
            "\n{}: {}",
            tr.t("interview-acc-legend"),
            acc.join("、")
        ));
    }
    let body = interview::ics(&interview::IcsEvent {
        uid: format!("interview-{}@{host}", d.interview_id),
        sequence: u32::try_from(d.sequence).unwrap_or(0),
        start: d.start,
        minutes: d.minutes,
        summary: &summary,
        location: if d.place.is_empty() {
            &d.online_url
        } else {
            &d.place
        },
        description: &description,
        url: &d.online_url,
        cancelled: d.cancelled,
        stamp: now(),
    });
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"interview.ics\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Ledger {
    pub items: Vec<LedgerItem>,
}

/// `GET /api/v1/applications/{id}/accommodations`: the ledger, every version.
pub async fn ledger(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Ledger>> {
    let v = open(&app, &req, id, &[AItem::Stage, AItem::Ledger]).await?;
    Ok(Json(Ledger {
        items: v.ledger.ok_or(Failure::NotFound)?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerBody {
    /// The item a new version belongs to; absent for a new item.
    #[serde(default)]
    item_id: Option<String>,
    /// The seeker's side: codes of the accommodation taxonomy.
    #[serde(default)]
    #[schema(value_type = Vec<domain::taxonomy::schema::AccommodationCode>)]
    codes: Vec<String>,
    /// The seeker's side: the difficulty or request, in plain words.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    request: Option<String>,
    /// The company: its decision.
    #[serde(default)]
    decision: Option<Decision>,
    /// The company: what was discussed.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    discussion: Option<String>,
    /// The company: why not possible, or what the alternative is.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    reason: Option<String>,
    /// The company: the date of the decision (today when absent).
    #[serde(default)]
    decided_on: Option<Date>,
}

#[derive(Serialize, ToSchema)]
pub struct LedgerCreated {
    pub entry_id: String,
}

fn ledger_write(
    request: Option<String>,
    codes: Vec<String>,
    decision: Option<Decision>,
    discussion: Option<String>,
    reason: Option<String>,
    decided_on: Option<Date>,
) -> WebResult<LedgerWrite> {
    match (request, decision) {
        (Some(r), None) => Ok(LedgerWrite::Request {
            codes: check_codes(&codes)?,
            request: text("request", &r, 2000, true)?,
        }),
        (None, Some(d)) => {
            let discussion = text(
                "discussion",
                discussion.as_deref().unwrap_or(""),
                2000,
                false,
            )?;
            let reason = text("reason", reason.as_deref().unwrap_or(""), 2000, false)?;
            check_decision(d, &discussion, &reason).map_err(|(f, c)| Failure::field(f, c))?;
            Ok(LedgerWrite::Decide {
                decision: d,
                discussion,
                reason,
                decided_on: decided_on.unwrap_or_else(today),
            })
        }
        _ => Err(Failure::field("request", "ledger-request-or-decision")),
    }
}

/// A new ledger item or version: the seeker's side gives `request` (and `codes`), the
/// company gives `item_id`, `decision`, `discussion` and `reason`.
pub async fn ledger_post(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<LedgerBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let w = ledger_write(
        b.request,
        b.codes,
        b.decision,
        b.discussion,
        b.reason,
        b.decided_on,
    )?;
    let eid = app
        .store
        .ledger_write(
            v.user_id.clone(),
            id,
            b.item_id,
            w,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((StatusCode::CREATED, Json(LedgerCreated { entry_id: eid })).into_response())
}

/// One side acknowledges a ledger version.
pub async fn ledger_ack(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((id, entry)): Path<(String, String)>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    let r = app
        .store
        .ledger_ack(v.user_id.clone(), id, entry, req.ctx.clone(), now())
        .await?;
    match r {
        Ok(()) => no_content_or_404(true),
        Err(e) => Err(refused(e)),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkforceBody {
    /// 常用労働者数 (a short-time worker of 20–30 hours counts 0.5), e.g. 120 or 120.5.
    #[schema(minimum = 0, maximum = 1000000, multiple_of = 0.5)]
    workforce: f64,
    /// Persons with disabilities counted now, with their weights, e.g. 2.5.
    #[schema(minimum = 0, maximum = 1000000, multiple_of = 0.5)]
    counted: f64,
}

#[derive(Serialize, ToSchema)]
pub struct WorkforceAnswer {
    pub workforce: f64,
    pub counted: f64,
    pub position: RatePosition,
}

fn halves(field: &'static str, x: f64) -> WebResult<u32> {
    let h = x * 2.0;
    if !(0.0..=2_000_000.0).contains(&h) || h.fract() != 0.0 {
        return Err(Failure::field(field, "halves-invalid"));
    }
    Ok(h as u32)
}

fn answer_for(w: &store::selection::Workforce) -> WorkforceAnswer {
    WorkforceAnswer {
        workforce: f64::from(w.workforce_halves) / 2.0,
        counted: f64::from(w.counted_halves) / 2.0,
        position: RatePosition::new(w.workforce_halves, w.counted_halves, private_rate(today())),
    }
}

/// The company's stated workforce and its position against 法定雇用率.
pub async fn workforce_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<WorkforceAnswer>> {
    let v = viewer(&req)?;
    let w = app
        .store
        .workforce(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(answer_for(&w)))
}

pub async fn workforce_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<WorkforceBody>,
) -> WebResult<Json<WorkforceAnswer>> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let (w, n) = (
        halves("workforce", b.workforce)?,
        halves("counted", b.counted)?,
    );
    if !app
        .store
        .set_workforce(v.user_id.clone(), w, n, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    let w = app
        .store
        .workforce(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(answer_for(&w)))
}

// ------------------------------------------------------------------ the page

struct SlotLine {
    id: String,
    when: String,
    place: String,
    url: String,
    chosen: bool,
}

struct InterviewLine {
    id: String,
    status: String,
    accommodations: Vec<String>,
    slots: Vec<SlotLine>,
    request: String,
    /// A calendar file exists (a time is chosen).
    ics: bool,
    /// The seeker's side may answer now.
    may_answer: bool,
    may_cancel: bool,
}

struct VersionLine {
    id: String,
    version: i32,
    by: String,
    codes: Vec<String>,
    request: String,
    discussion: String,
    decision: String,
    reason: String,
    decided_on: String,
    seeker_ack: bool,
    company_ack: bool,
}

struct ItemLine {
    id: String,
    current: VersionLine,
    older: Vec<VersionLine>,
    /// The viewer's side has not acknowledged the current version.
    to_ack: bool,
    current_codes: Vec<String>,
    current_request: String,
}

/// One row of the employment-rate table.
struct RateRow {
    label: String,
    workforce: String,
    counted: String,
    required: String,
    actual: String,
    met: String,
}

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    c: Chrome,
    id: String,
    title: String,
    company: String,
    stage: String,
    openness: String,
    relationship: String,
    history: Vec<(String, String)>,
    message: Option<String>,
    interviews: Option<Vec<InterviewLine>>,
    ledger: Option<Vec<ItemLine>>,
    employment: Option<Vec<(String, String)>>,
    /// The employment's check-ins, for the follow-up person and the linked supporter
    /// (the door decides what each sees).
    check_ins: Option<String>,
    internal: Option<(String, String)>,
    seeker_side: bool,
    company_side: bool,
    may_propose: bool,
    /// (code, label) of the interview accommodations.
    interview_acc: Vec<(String, String)>,
    /// (code, label) of the accommodation taxonomy.
    codes: Vec<(String, String)>,
    /// (code, label) of the decisions a company may record.
    decisions: Vec<(String, String)>,
    today: String,
    /// The employment-rate table (company, open applications with a counted certificate).
    rate: Option<(Vec<RateRow>, String)>,
    rate_missing: bool,
    posting_id: String,
    /// The applicant as the company may see them (through the profile door).
    applicant: Option<crate::forms::Lines>,
    /// The application's message thread, where the viewer takes part in it.
    thread: Option<String>,
}

fn num(h: u32) -> String {
    if h.is_multiple_of(2) {
        (h / 2).to_string()
    } else {
        format!("{}.5", h / 2)
    }
}

fn rate_rows(
    tr: &crate::i18n::Tr,
    now: &RatePosition,
    after: &RatePosition,
) -> (Vec<RateRow>, String) {
    let row = |label: String, p: &RatePosition| RateRow {
        label,
        workforce: num(p.workforce),
        counted: num(p.counted),
        required: p.required.to_string(),
        actual: format!(
            "{}.{:02} %",
            p.actual_basis_points / 100,
            p.actual_basis_points % 100
        ),
        met: tr.t(if p.met() { "rate-met" } else { "rate-not-met" }),
    };
    let legal = format!("{}.{} %", now.rate_per_mille / 10, now.rate_per_mille % 10);
    let summary = tr.tn(
        "rate-summary",
        &[
            ("legal", legal.as_str()),
            ("before", &num(now.counted)),
            ("after", &num(after.counted)),
            ("short", &num(after.shortfall())),
        ],
    );
    (
        vec![row(tr.t("rate-now"), now), row(tr.t("rate-after"), after)],
        summary,
    )
}

pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = open(&app, &req, id.clone(), ALL).await?;
    app.store
        .notifications_read_for(viewer(&req)?.user_id.clone(), id.clone(), now())
        .await?;
    let thread = app
        .store
        .thread_of_application(viewer(&req)?.user_id.clone(), id.clone(), now())
        .await?;
    let tr = req.tr();
    let seeker_side = v.side == Some(Side::Seeker);
    let company_side = v.side == Some(Side::Company);
    let interviews = v.interviews.as_ref().map(|list| {
        list.iter()
            .rev()
            .map(|i| InterviewLine {
                id: i.id.clone(),
                status: tr.t(&format!("interview-status-{}", i.status)),
                accommodations: i
                    .accommodations
                    .iter()
                    .map(|a| tr.t(&format!("interview-acc-{a}")))
                    .collect(),
                slots: i
                    .slots
                    .iter()
                    .map(|s| SlotLine {
                        id: s.id.clone(),
                        when: LocalTime::parse(&s.starts_at)
                            .map(|t| {
                                tr.tn(
                                    "slot-when",
                                    &[
                                        ("start", &format_time(t.unix(), tr.lang)),
                                        ("minutes", &s.minutes.to_string()),
                                    ],
                                )
                            })
                            .unwrap_or_else(|| s.starts_at.clone()),
                        place: s.place.clone(),
                        url: s.online_url.clone(),
                        chosen: i.chosen_slot_id.as_deref() == Some(s.id.as_str()),
                    })
                    .collect(),
                request: i.request.clone(),
                ics: i.chosen_slot_id.is_some(),
                may_answer: seeker_side && i.status != "cancelled" && !v.stage.is_final(),
                may_cancel: company_side && i.status != "cancelled",
            })
            .collect()
    });
    let my_side = v.side;
    let version = |x: &store::disclosure::application::LedgerVersion| VersionLine {
        id: x.id.clone(),
        version: x.version,
        by: tr.t(&format!("ledger-by-{}", x.side.as_str())),
        codes: x
            .codes
            .iter()
            .map(|c| entry_label(tr.lang, domain::taxonomy::ACCOMMODATIONS, c))
            .collect(),
        request: x.request.clone(),
        discussion: x.discussion.clone(),
        decision: tr.t(&format!("decision-{}", x.decision.as_str())),
        reason: x.reason.clone(),
        decided_on: x.decided_on.clone().unwrap_or_default(),
        seeker_ack: x.seeker_acknowledged,
        company_ack: x.company_acknowledged,
    };
    let ledger = v.ledger.as_ref().map(|items| {
        items
            .iter()
            .filter_map(|it| {
                let cur = it.current()?;
                Some(ItemLine {
                    id: it.item_id.clone(),
                    to_ack: match my_side {
                        Some(Side::Seeker) => !cur.seeker_acknowledged,
                        Some(Side::Company) => !cur.company_acknowledged,
                        None => false,
                    },
                    current_codes: cur.codes.clone(),
                    current_request: cur.request.clone(),
                    current: version(cur),
                    older: it.versions.iter().rev().skip(1).map(version).collect(),
                })
            })
            .collect()
    });
    let me = viewer(&req)?.user_id.clone();
    let check_ins = v
        .employment
        .as_ref()
        .filter(|e| e.follow_up_user_id == me || v.relationship == "supporter")
        .map(|e| format!("/employments/{}/check-ins", e.id));
    let employment = v.employment.as_ref().map(|e| {
        vec![
            (tr.t("employment-start"), e.start_date.clone()),
            (tr.t("employment-position"), e.position.clone()),
            (tr.t("employment-hours"), e.hours_per_week.to_string()),
        ]
    });
    // The employment rate: for the company, when the application discloses a counted
    // certificate (an open application, through the profile door).
    // The applicant as the company may see them: one read through the profile door,
    // which also gives the certificate the employment rate counts (an open application
    // discloses it; a closed one does not, so it shows no rate).
    let shown = if company_side {
        app.store
            .view_seeker(
                viewer(&req)?.user_id.clone(),
                v.seeker_id.clone(),
                None,
                store::disclosure::Want::All,
                "application",
                req.ctx.clone(),
                today(),
                now(),
            )
            .await?
            .map(|d| d.into_view())
    } else {
        None
    };
    let counted = shown
        .as_ref()
        .filter(|_| !v.stage.is_final())
        .and_then(|view| view.profile.disability.as_ref())
        .and_then(|x| Counted::of(&x.certificate));
    let (mut rate, mut rate_missing) = (None, false);
    if let Some(counted) = counted {
        let hours = match &v.posting_id {
            Some(p) => app
                .store
                .posting(p.clone())
                .await?
                .and_then(|r| r.posting())
                .map_or(20, |p| p.hours_per_week),
            None => 20,
        };
        match app.store.workforce(viewer(&req)?.user_id.clone()).await? {
            Some(w) => {
                let now_p =
                    RatePosition::new(w.workforce_halves, w.counted_halves, private_rate(today()));
                rate = Some(rate_rows(
                    &tr,
                    &now_p,
                    &now_p.after_hiring(Some(counted), hours),
                ));
            }
            None => rate_missing = true,
        }
    }
    let applicant = company_side.then(|| {
        shown
            .as_ref()
            .map(|view| crate::profiles::pages::lines(&tr, &view.items, &view.fields))
            .unwrap_or_default()
    });
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "interview-proposed",
                "interview-answered",
                "interview-cancelled",
                "ledger-saved",
                "ledger-acked",
                "workforce-saved",
                "scout-accepted",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    let page = ApplicationPage {
        c: Chrome::new(&req).flash(flash),
        title: v
            .posting_title
            .clone()
            .unwrap_or_else(|| v.company_name.clone()),
        company: v.company_name.clone(),
        stage: tr.t(&format!("stage-{}", v.stage.as_str())),
        openness: tr.t(&format!("apply-openness-{}", v.openness.as_str())),
        relationship: v.relationship.clone(),
        history: v
            .history
            .iter()
            .map(|e| {
                (
                    tr.t(&format!("stage-{}", e.stage.as_str())),
                    date_text(e.at, tr.lang),
                )
            })
            .collect(),
        message: v.message.clone().filter(|m| !m.is_empty()),
        interviews,
        ledger,
        employment,
        check_ins,
        internal: match (&v.internal_stage, &v.note) {
            (Some(s), Some(n)) => Some((s.clone(), n.clone())),
            _ => None,
        },
        seeker_side,
        company_side,
        may_propose: company_side
            && matches!(
                v.stage,
                Stage::Applied | Stage::Screening | Stage::Interview
            ),
        interview_acc: interview::ACCOMMODATIONS
            .iter()
            .map(|a| (a.to_string(), tr.t(&format!("interview-acc-{a}"))))
            .collect(),
        codes: domain::taxonomy::ACCOMMODATIONS
            .iter()
            .map(|a| (a.0.to_string(), crate::forms::label(tr.lang, a)))
            .collect(),
        decisions: [
            Decision::Provided,
            Decision::Alternative,
            Decision::NotPossible,
        ]
        .iter()
        .map(|d| {
            (
                d.as_str().to_owned(),
                tr.t(&format!("decision-{}", d.as_str())),
            )
        })
        .collect(),
        today: today().to_string(),
        rate,
        rate_missing,
        posting_id: v.posting_id.clone().unwrap_or_default(),
        applicant,
        thread,
        id,
    };
    Ok(html(&page))
}

fn back(id: &str, m: &str) -> Response {
    see_other(&format!("/applications/{id}?m={m}"))
}

/// The propose form: up to three times, and the accommodations.
pub async fn propose_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let mut slots = Vec::new();
    for i in 1..=3 {
        let at = Source::one(&f, &format!("slot{i}_starts_at")).to_owned();
        if at.trim().is_empty() {
            continue;
        }
        let minutes = Source::one(&f, &format!("slot{i}_minutes"));
        slots.push(Slot {
            starts_at: at,
            minutes: minutes.trim().parse().unwrap_or(0),
            place: Source::one(&f, &format!("slot{i}_place")).to_owned(),
            online_url: Source::one(&f, &format!("slot{i}_online_url")).to_owned(),
        });
    }
    let slots = check_slots(&slots)?;
    let acc = check_accommodations(&Source::many(&f, "accommodations"))?;
    app.store
        .propose_interview(
            v.user_id.clone(),
            id.clone(),
            slots,
            acc,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&id, "interview-proposed"))
}

pub async fn answer_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((id, interview)): Path<(String, String)>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let slot = Source::one(&f, "slot_id").to_owned();
    let a = if slot == "others" {
        answer_of(None, Some(Source::one(&f, "others").to_owned()))?
    } else {
        answer_of(Some(slot), None)?
    };
    app.store
        .answer_interview(
            v.user_id.clone(),
            interview,
            a,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&id, "interview-answered"))
}

pub async fn cancel_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((id, interview)): Path<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .cancel_interview(
            v.user_id.clone(),
            interview,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&id, "interview-cancelled"))
}

pub async fn ledger_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let item = Some(Source::one(&f, "item_id").to_owned()).filter(|s| !s.is_empty());
    let decision = match Source::one(&f, "decision") {
        "" => None,
        d => Some(Decision::parse(d).ok_or_else(|| Failure::field("decision", "choice-invalid"))?),
    };
    let decided_on = match Source::one(&f, "decided_on").trim() {
        "" => None,
        d => Some(Date::parse(d).ok_or_else(|| Failure::field("decided_on", "date-invalid"))?),
    };
    let w = if decision.is_some() || Source::one(&f, "side") == "company" {
        ledger_write(
            None,
            vec![],
            Some(decision.unwrap_or(Decision::Pending)),
            Some(Source::one(&f, "discussion").to_owned()),
            Some(Source::one(&f, "reason").to_owned()),
            decided_on,
        )?
    } else {
        ledger_write(
            Some(Source::one(&f, "request").to_owned()),
            Source::many(&f, "codes"),
            None,
            None,
            None,
            None,
        )?
    };
    app.store
        .ledger_write(
            v.user_id.clone(),
            id.clone(),
            item,
            w,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&id, "ledger-saved"))
}

pub async fn ack_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((id, entry)): Path<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .ledger_ack(v.user_id.clone(), id.clone(), entry, req.ctx.clone(), now())
        .await?
        .map_err(refused)?;
    Ok(back(&id, "ledger-acked"))
}

/// The company states its workforce (from an application page, back to it).
pub async fn workforce_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    // The forms' one number parser (full-width digits, commas); empty is a problem too.
    let mut problems = domain::Fields::new();
    let w: Option<f64> =
        domain::validate::number(&mut problems, "workforce", Source::one(&f, "workforce"));
    let n: Option<f64> =
        domain::validate::number(&mut problems, "counted", Source::one(&f, "counted"));
    problems.into_result()?;
    let (w, n) = (
        halves("workforce", w.unwrap_or(-1.0))?,
        halves("counted", n.unwrap_or(-1.0))?,
    );
    if !app
        .store
        .set_workforce(v.user_id.clone(), w, n, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    let back_to = Source::one(&f, "application_id");
    if !back_to.is_empty()
        && back_to
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        Ok(back(back_to, "workforce-saved"))
    } else {
        Ok(see_other("/employer/postings"))
    }
}
