//! The recruiting agency (採用代行): the company's delegation, the seeker's own consent
//! screen (one consent, one company, nothing bundled with it), and the agency staff's
//! door to the threads (`Via::Agency`: the store admits them only while the delegation,
//! the role and the seeker's consent all stand, and logs every read for the seeker).
use super::api::{MessageBody, MessageList, ThreadList, messages_via, send_via as send_json};
use super::pages::{render, send_via};
use crate::api::{ApiJson, body};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::jst::{format_time, today};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use domain::jobs::Source;
use domain::profile::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::agency::{AgencyCompany, AgencyRead, Delegation};
use store::disclosure::thread::Via;
use utoipa::ToSchema;

/// At most a year ahead, at most a year long.
const MAX_DAYS: i64 = 366;

// ------------------------------------------------------------------ the company

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DelegationBody {
    /// First day, YYYY-MM-DD (Japan).
    pub from: Date,
    /// Last day, YYYY-MM-DD (Japan); at most a year after `from`.
    pub until: Date,
}

#[derive(Serialize, ToSchema)]
pub struct DelegationAnswer {
    /// The company's delegation, if it made one (ended ones are not shown).
    pub delegation: Option<Delegation>,
}

fn days(d: Date) -> i64 {
    domain::interview::LocalTime {
        date: d,
        hour: 0,
        minute: 0,
    }
    .unix()
        / 86_400
}

/// Checks a period: in order, not over, at most a year (and starting within a year).
fn period(f: Date, u: Date) -> WebResult<(Date, Date)> {
    if days(u) < days(f) {
        return Err(Failure::field("until", "until-before-from"));
    }
    if days(u) < days(today()) {
        return Err(Failure::field("until", "until-past"));
    }
    if days(u) - days(f) > MAX_DAYS || days(f) - days(today()) > MAX_DAYS {
        return Err(Failure::field("until", "period-too-long"));
    }
    Ok((f, u))
}

pub async fn delegate(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<DelegationBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let (from, until) = period(b.from, b.until)?;
    let d = app
        .store
        .delegate(v.user_id.clone(), from, until, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::Forbidden)?;
    Ok((
        StatusCode::CREATED,
        Json(DelegationAnswer {
            delegation: Some(d),
        }),
    )
        .into_response())
}

pub async fn delegation(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<DelegationAnswer>> {
    let v = viewer(&req)?;
    let delegation = app
        .store
        .delegation(v.user_id.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(Json(DelegationAnswer { delegation }))
}

pub async fn end(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    match app
        .store
        .end_delegation(v.user_id.clone(), req.ctx.clone(), now())
        .await?
    {
        None => Err(Failure::Forbidden),
        Some(true) => Ok(StatusCode::NO_CONTENT),
        Some(false) => Err(Failure::Conflict("err-not-active")),
    }
}

/// A delegation's day (YYYY-MM-DD) as the page shows dates.
fn day_text(s: &str, lang: crate::i18n::Lang) -> String {
    Date::parse(s)
        .map(|d| crate::jst::day_text(d, lang))
        .unwrap_or_else(|| s.to_owned())
}

#[derive(Template)]
#[template(path = "agency_company.html")]
struct CompanyPage {
    c: Chrome,
    delegation: Option<(String, String, bool)>,
    errors: Vec<(String, String)>,
    from: String,
    until: String,
}

async fn company_page(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    kept: (String, String),
    flash: Option<&str>,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let tr = req.tr();
    let d = app
        .store
        .delegation(v.user_id.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CompanyPage {
        c: Chrome::new(req).flash(flash),
        delegation: d.map(|d| {
            (
                day_text(&d.from, tr.lang),
                day_text(&d.until, tr.lang),
                d.standing,
            )
        }),
        errors,
        from: kept.0,
        until: kept.1,
    };
    Ok((status, html(&page)).into_response())
}

pub async fn company_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = q
        .get("m")
        .filter(|m| ["agency-delegated", "agency-ended"].contains(&m.as_str()))
        .map(String::as_str);
    company_page(&app, &req, vec![], (String::new(), String::new()), flash).await
}

pub async fn company_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let (from, until) = (
        Source::one(&f, "from").to_owned(),
        Source::one(&f, "until").to_owned(),
    );
    let dates = match (Date::parse(from.trim()), Date::parse(until.trim())) {
        (Some(f), Some(u)) => period(f, u),
        (None, _) => Err(Failure::field("from", "date-invalid")),
        (_, None) => Err(Failure::field("until", "date-invalid")),
    };
    let (a, b) = match dates {
        Ok(p) => p,
        Err(Failure::Fields(fs)) => {
            let errors = crate::forms::field_errors(&req.tr(), &fs);
            return company_page(&app, &req, errors, (from, until), None).await;
        }
        Err(e) => return Err(e),
    };
    app.store
        .delegate(v.user_id.clone(), a, b, req.ctx.clone(), now())
        .await?
        .ok_or(Failure::Forbidden)?;
    Ok(see_other("/company/agency?m=agency-delegated"))
}

pub async fn company_end(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .end_delegation(v.user_id.clone(), req.ctx.clone(), now())
        .await?
        .ok_or(Failure::Forbidden)?;
    Ok(see_other("/company/agency?m=agency-ended"))
}

// ------------------------------------------------------------------ the seeker's consent

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientBody {
    /// The company's id.
    pub recipient: String,
}

#[derive(Serialize, ToSchema)]
pub struct AgencyAnswer {
    /// The companies the seeker has threads with, whether each delegated to the operator
    /// and whether the seeker's consent stands.
    pub companies: Vec<AgencyCompany>,
    /// Every read by the operator's agency staff, newest first.
    pub reads: Vec<AgencyRead>,
}

async fn agency_answer(app: &AppState, seeker: &str) -> WebResult<AgencyAnswer> {
    Ok(AgencyAnswer {
        companies: app.store.agency_companies(seeker.to_owned(), now()).await?,
        reads: app.store.agency_reads(seeker.to_owned()).await?,
    })
}

pub async fn me_agency(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<AgencyAnswer>> {
    let v = viewer(&req)?;
    Ok(Json(agency_answer(&app, &v.user_id).await?))
}

async fn consent(app: &AppState, req: &Req, company: String, give: bool) -> WebResult<()> {
    let v = viewer(req)?;
    app.store
        .agency_consent(v.user_id.clone(), company, give, req.ctx.clone(), now())
        .await?
        .ok_or_else(|| Failure::field("recipient", "organization-unknown"))?;
    Ok(())
}

pub async fn consent_give(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<RecipientBody>,
) -> WebResult<Json<AgencyAnswer>> {
    let b = body(b)?;
    consent(&app, &req, b.recipient, true).await?;
    Ok(Json(agency_answer(&app, &viewer(&req)?.user_id).await?))
}

pub async fn consent_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<RecipientBody>,
) -> WebResult<Json<AgencyAnswer>> {
    let b = body(b)?;
    consent(&app, &req, b.recipient, false).await?;
    Ok(Json(agency_answer(&app, &viewer(&req)?.user_id).await?))
}

#[derive(Template)]
#[template(path = "agency_consent.html")]
struct ConsentPage {
    c: Chrome,
    company_id: String,
    company: String,
    delegated: bool,
    consent: bool,
    /// When the agency read the messages with this company (newest first).
    reads: Vec<String>,
}

/// The consent screen: what the operator's staff would do, in plain words, and one
/// button; nothing else is agreed to here.
pub async fn consent_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(company): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let a = agency_answer(&app, &v.user_id).await?;
    let c = a
        .companies
        .into_iter()
        .find(|c| c.company_id == company)
        .ok_or(Failure::NotFound)?;
    Ok(html(&ConsentPage {
        c: Chrome::new(&req),
        reads: a
            .reads
            .iter()
            .filter(|r| r.company_id == company)
            .map(|r| format_time(r.at, tr.lang))
            .collect(),
        company_id: c.company_id,
        company: c.company_name,
        delegated: c.delegated,
        consent: c.consent,
    }))
}

pub async fn consent_give_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(company): Path<String>,
) -> WebResult<Response> {
    consent(&app, &req, company, true).await?;
    Ok(see_other("/privacy-settings?m=privacy-agency-given#agency"))
}

pub async fn consent_withdraw_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(company): Path<String>,
) -> WebResult<Response> {
    consent(&app, &req, company, false).await?;
    Ok(see_other(
        "/privacy-settings?m=privacy-agency-withdrawn#agency",
    ))
}

// ------------------------------------------------------------------ the agency staff

pub async fn threads(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<ThreadList>> {
    let v = viewer(&req)?;
    let threads = app
        .store
        .agency_threads(v.user_id.clone(), req.ctx.clone(), today(), now())
        .await?;
    Ok(Json(ThreadList { threads }))
}

pub async fn messages(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<MessageList>> {
    messages_via(&app, &req, id, Via::Agency).await
}

/// The agency writes in the company's name (files too); "supporter only" is never
/// theirs to choose.
pub async fn send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<MessageBody>,
) -> WebResult<Response> {
    send_json(&app, &req, id, body(b)?, Via::Agency).await
}

struct Line {
    id: String,
    company: String,
    about: String,
    when: String,
    unread: i64,
}

/// A company the agency works for today, on the agency's page.
struct ClientLine {
    id: String,
    name: String,
    until: String,
    verified: bool,
}

#[derive(Template)]
#[template(path = "agency_threads.html")]
struct ThreadsPage {
    c: Chrome,
    staff: bool,
    clients: Vec<ClientLine>,
    threads: Vec<Line>,
}

pub async fn threads_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let staff = app.store.is_agency_staff(v.user_id.clone()).await?;
    let list = app
        .store
        .agency_threads(v.user_id.clone(), req.ctx.clone(), today(), now())
        .await?;
    let clients = app
        .store
        .agency_clients(v.user_id.clone(), now())
        .await?
        .into_iter()
        .map(|c| ClientLine {
            until: day_text(&c.until, tr.lang),
            id: c.company_id,
            name: c.company_name,
            verified: c.verified,
        })
        .collect();
    Ok(html(&ThreadsPage {
        c: Chrome::new(&req),
        staff,
        clients,
        threads: list
            .into_iter()
            .map(|t| Line {
                company: t.company_name.clone().unwrap_or_default(),
                about: t.posting_title.clone().unwrap_or_default(),
                when: format_time(t.last_at, tr.lang),
                unread: t.unread,
                id: t.id,
            })
            .collect(),
    }))
}

pub async fn thread_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = q
        .get("m")
        .filter(|m| *m == "message-sent")
        .map(String::as_str);
    render(
        &app,
        &req,
        id,
        Via::Agency,
        vec![],
        (String::new(), false),
        flash,
    )
    .await
}

pub async fn thread_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    form: Multipart,
) -> WebResult<Response> {
    send_via(&app, &req, id, form, Via::Agency).await
}
