//! Scouts as pages. For members of a verified company: a scout search with filters,
//! masked results from the door, and "send a scout for posting X" with a message. For the
//! seeker: the scouts received (company, posting, message), accepted as open or closed
//! (an application opens) or declined (nothing is disclosed).
use crate::applications::api::{
    SCOUT_POOL, SCOUT_SHOWN, ScoutSearchQuery, scout_message, scout_refused,
};
use crate::employer::candidates::require_verified;
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, Lines, see_other};
use crate::jst::{date_text, today};
use crate::profiles::pages::lines;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::disclosure::Openness;
use domain::jobs::{Source, Status};
use std::collections::HashMap;
use store::disclosure::Scouting;

struct Found {
    id: String,
    lines: Lines,
}

#[derive(Template)]
#[template(path = "scout_search.html")]
struct SearchPage {
    c: Chrome,
    // The filters as sent (to keep the form filled).
    f_category: String,
    f_prefecture: String,
    f_remote: bool,
    f_hours: String,
    f_wage: String,
    f_skill: String,
    f_disability: String,
    accommodations_chosen: Vec<String>,
    /// The page's path: the search and send forms go there.
    action: String,
    /// The company's name when the agency scouts in its name.
    agency_company: Option<String>,
    searched: bool,
    found: Vec<Found>,
    /// (id, title) of the company's published postings.
    postings: Vec<(String, String)>,
    categories: Vec<(String, String)>,
    prefectures: Vec<(String, String)>,
    accommodations: Vec<(String, String)>,
    disabilities: Vec<(String, String)>,
}

/// The page's form as the API's query: numbers read by the forms' one number parser
/// (full-width digits, commas), each problem tied to its field.
fn pairs_query(pairs: &Vec<(String, String)>) -> WebResult<ScoutSearchQuery> {
    let one = |k: &str| Some(Source::one(pairs, k).trim().to_owned()).filter(|s| !s.is_empty());
    let mut f = domain::Fields::new();
    let q = ScoutSearchQuery {
        category: one("category"),
        prefecture: domain::validate::number(
            &mut f,
            "prefecture",
            Source::one(pairs, "prefecture"),
        ),
        remote: Some(!Source::one(pairs, "remote").is_empty()),
        hours: domain::validate::number(&mut f, "hours", Source::one(pairs, "hours")),
        wage: domain::validate::number(&mut f, "wage", Source::one(pairs, "wage")),
        skill: one("skill"),
        accommodations: Some(Source::many(pairs, "accommodations").join(",")),
        disability: one("disability"),
    };
    f.into_result()?;
    Ok(q)
}

/// Where a scout search page works: the employer's own, or the agency's in the name of
/// one delegating company.
pub(crate) struct Desk {
    /// The page's path (the search form and the send form both go there).
    pub action: String,
    pub scouting: Scouting,
    /// The company's name when the agency scouts for it.
    pub agency_company: Option<String>,
    /// (id, title) of the company's published postings.
    pub postings: Vec<(String, String)>,
}

/// The employer's search page: the form, and — once searched — the masked results.
pub async fn search(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    require_verified(&app, &v.user_id).await?;
    let org = app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let postings = app
        .store
        .postings_of(org)
        .await?
        .into_iter()
        .filter(|p| p.status == Status::Published)
        .map(|p| (p.id, p.title))
        .collect();
    let desk = Desk {
        action: "/employer/scouts".into(),
        scouting: Scouting::Member,
        agency_company: None,
        postings,
    };
    search_page(&app, &req, desk, &pairs).await
}

/// A scout search page (the employer's or the agency's).
pub(crate) async fn search_page(
    app: &AppState,
    req: &Req,
    desk: Desk,
    pairs: &Vec<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(req)?;
    app.store
        .notifications_read(v.user_id.clone(), Some("scout_answered"), now())
        .await?;
    let tr = req.tr();
    let searched = pairs.iter().any(|(k, _)| k == "search");
    let mut found = Vec::new();
    if searched {
        let filter = pairs_query(pairs)?.filter()?;
        found = app
            .store
            .scout_search(
                v.user_id.clone(),
                desk.scouting,
                filter,
                req.ctx.clone(),
                today(),
                now(),
                SCOUT_POOL,
                SCOUT_SHOWN,
            )
            .await?
            .into_iter()
            .map(|d| {
                let view = d.into_view();
                Found {
                    lines: lines(&tr, &view.items, &view.fields),
                    id: view.seeker_id,
                }
            })
            .collect();
    }
    let label = |e: &(&str, &str, &str)| (e.0.to_owned(), crate::forms::label(tr.lang, e));
    let q: HashMap<String, String> = pairs.iter().cloned().collect();
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "scout-sent")
        .map(String::as_str);
    Ok(html(&SearchPage {
        c: Chrome::new(req).flash(flash),
        action: desk.action,
        agency_company: desk.agency_company,
        accommodations_chosen: Source::many(pairs, "accommodations"),
        f_category: Source::one(pairs, "category").to_owned(),
        f_prefecture: Source::one(pairs, "prefecture").to_owned(),
        f_remote: !Source::one(pairs, "remote").is_empty(),
        f_hours: Source::one(pairs, "hours").to_owned(),
        f_wage: Source::one(pairs, "wage").to_owned(),
        f_skill: Source::one(pairs, "skill").to_owned(),
        f_disability: Source::one(pairs, "disability").to_owned(),
        searched,
        found,
        postings: desk.postings,
        categories: domain::taxonomy::JOB_CATEGORIES.iter().map(label).collect(),
        prefectures: (1..=47u8)
            .map(|p| (p.to_string(), crate::forms::prefecture_name(tr.lang, p)))
            .collect(),
        accommodations: domain::taxonomy::ACCOMMODATIONS.iter().map(label).collect(),
        disabilities: domain::profile::DisabilityCategory::ALL
            .iter()
            .map(|d| (d.as_str().to_owned(), tr.t(&format!("cat-{}", d.as_str()))))
            .collect(),
    }))
}

/// Sends a scout from an employer's search result.
pub async fn send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    require_verified(&app, &v.user_id).await?;
    send_form(&app, &req, Scouting::Member, &f).await?;
    Ok(see_other("/employer/scouts?m=scout-sent"))
}

/// Sends a scout from a search page's form (the employer's or the agency's).
pub(crate) async fn send_form(
    app: &AppState,
    req: &Req,
    scouting: Scouting,
    f: &Vec<(String, String)>,
) -> WebResult<()> {
    let v = viewer(req)?;
    let posting = Source::one(f, "posting_id").to_owned();
    if posting.is_empty() {
        return Err(Failure::field("posting_id", "choice-required"));
    }
    let msg = scout_message(Source::one(f, "message"))?;
    app.store
        .send_scout(
            v.user_id.clone(),
            scouting,
            Source::one(f, "seeker_id").to_owned(),
            Some(posting),
            msg,
            app.notice(),
            now(),
        )
        .await?
        .map_err(scout_refused)?;
    Ok(())
}

struct Received {
    id: String,
    company: String,
    posting: Option<(String, String)>,
    message: String,
    when: String,
    status: String,
    waiting: bool,
    application: Option<String>,
    /// Sent by the operator's agency staff in the company's name.
    by_agency: bool,
}

#[derive(Template)]
#[template(path = "scouts.html")]
struct ReceivedPage {
    c: Chrome,
    list: Vec<Received>,
    /// The seeker links to a support facility (which may take part).
    has_supporter: bool,
}

/// The seeker's scouts received.
pub async fn received(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    // The seeker sees the scouts: their notices are read.
    app.store
        .notifications_read(v.user_id.clone(), Some("scout_new"), now())
        .await?;
    let list = app
        .store
        .scouts_of(v.user_id.clone())
        .await?
        .into_iter()
        .map(|s| Received {
            posting: s.posting_id.clone().zip(s.posting_title.clone()),
            waiting: s.status == "sent",
            status: tr.t(&format!("scout-status-{}", s.status)),
            when: date_text(s.created_at, tr.lang),
            application: s.application_id,
            by_agency: s.by_agency,
            company: s.organization,
            message: s.message,
            id: s.id,
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "scout-declined")
        .map(String::as_str);
    Ok(html(&ReceivedPage {
        c: Chrome::new(&req).flash(flash),
        list,
        has_supporter: crate::applications::pages::supporter_name(&app, &req)
            .await?
            .is_some(),
    }))
}

pub async fn accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let openness = Openness::parse(Source::one(&f, "openness"))
        .ok_or_else(|| Failure::field("openness", "openness-required"))?;
    let app_id = app
        .store
        .answer_scout(
            v.user_id.clone(),
            id,
            Some(openness),
            !Source::one(&f, "supporter_joins").is_empty(),
            app.notice(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .flatten()
        .ok_or(Failure::NotFound)?;
    Ok(see_other(&format!(
        "/applications/{app_id}?m=scout-accepted"
    )))
}

pub async fn decline(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .answer_scout(
            v.user_id.clone(),
            id,
            None,
            false,
            app.notice(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(see_other("/scouts?m=scout-declined"))
}
