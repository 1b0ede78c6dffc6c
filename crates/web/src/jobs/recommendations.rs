//! For seekers: recommended postings with reasons, saved searches and their notices.
use crate::error::{Failure, WebResult};
use crate::forms::FormData;
use crate::forms::prefecture_name;
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::jobs::words::CardView;
use crate::jobs::words::MatchView;
use crate::jobs::words::Voice;
use crate::jobs::words::card_view;
use crate::jobs::words::entry_label;
use crate::jobs::words::labels;
use crate::jobs::words::match_view;
use crate::jst::date_text;
use crate::listings::Typed;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::jobs::{self, JobCard};
use domain::matching::{Match, Needs};
use domain::taxonomy::{ACCOMMODATIONS, JOB_CATEGORIES};
use std::collections::HashMap;
use std::sync::Arc;

// ------------------------------------------------------------------ seekers

/// A seeker's recommended postings with their reasons.
pub async fn recommended(
    app: &AppState,
    user: &str,
    k: usize,
) -> WebResult<Vec<(Arc<JobCard>, Match)>> {
    let profile = app.store.own_profile(user.to_owned()).await?;
    let needs = Needs::from_profile(&profile);
    app.index().await;
    let listings = app.listings.clone();
    tokio::task::spawn_blocking(move || listings.index.recommend(&needs, now(), k))
        .await
        .map_err(|_| Failure::Internal)
}

#[derive(Template)]
#[template(path = "recommendations.html")]
struct RecommendationsPage {
    c: Chrome,
    list: Vec<(CardView, MatchView)>,
    has_desired: bool,
}

pub async fn recommendations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let profile = app.store.own_profile(v.user_id.clone()).await?;
    let list = recommended(&app, &v.user_id, 20)
        .await?
        .iter()
        .map(|(c, m)| (card_view(&tr, c), match_view(&tr, m, Voice::Seeker)))
        .collect();
    Ok(html(&RecommendationsPage {
        c: Chrome::new(&req),
        list,
        has_desired: profile.desired.is_some(),
    }))
}

#[derive(Template)]
#[template(path = "saved_searches.html")]
struct SavedPage {
    c: Chrome,
    /// (id, query string, readable summary, saved on)
    list: Vec<(String, String, String, String)>,
    notes: Vec<(String, String, String, bool)>,
}

/// A saved search in words.
fn summary(tr: &Tr, query: &str) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let t = Typed::from_pairs(&pairs);
    let lang = tr.lang;
    let mut parts = Vec::new();
    if !t.q.is_empty() {
        parts.push(format!("「{}」", t.q));
    }
    if let Ok(p) = t.pref.parse::<u8>() {
        parts.push(prefecture_name(lang, p));
    }
    if !t.cat.is_empty() {
        parts.push(entry_label(lang, JOB_CATEGORIES, &t.cat));
    }
    if !t.emp.is_empty() {
        parts.push(tr.t(&format!("employment-{}", t.emp)));
    }
    if !t.hours_max.is_empty() {
        parts.push(tr.t1("summary-hours-max", "n", &t.hours_max));
    }
    if !t.wage_min.is_empty() {
        parts.push(tr.t1("summary-wage-min", "n", &t.wage_min));
    }
    if t.remote {
        parts.push(tr.t("sf-remote"));
    }
    if !t.acc.is_empty() {
        parts.push(labels(lang, ACCOMMODATIONS, &t.acc));
    }
    if parts.is_empty() {
        tr.t("summary-all")
    } else {
        parts.join(" / ")
    }
}

pub async fn saved_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = app
        .store
        .saved_searches(Some(v.user_id.clone()))
        .await?
        .into_iter()
        .map(|s| {
            (
                s.id,
                s.query.clone(),
                summary(&tr, &s.query),
                date_text(s.created_at, tr.lang),
            )
        })
        .collect();
    let index = app.index().await;
    let notes = app
        .store
        .notifications(v.user_id.clone())
        .await?
        .into_iter()
        .filter_map(|n| {
            let card = index.card(&n.ref_id)?;
            Some((
                n.ref_id,
                card.title.clone(),
                date_text(n.created_at, tr.lang),
                n.read_at.is_none(),
            ))
        })
        .collect();
    app.store
        .notifications_read(v.user_id.clone(), Some("saved_search_match"), now())
        .await?;
    let flash = q
        .get("m")
        .filter(|m| ["search-saved", "search-deleted", "search-limit"].contains(&m.as_str()))
        .map(String::as_str);
    Ok(html(&SavedPage {
        c: Chrome::new(&req).flash(flash),
        list,
        notes,
    }))
}

pub async fn saved_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let raw = jobs::Source::one(&f, "query");
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|_| Failure::BadRequest)?;
    let typed = Typed::from_pairs(&pairs);
    typed.parse()?;
    if !typed.has_conditions() {
        return Err(Failure::field("query", "saved-search-empty"));
    }
    let ok = app
        .store
        .save_search(v.user_id.clone(), typed.query_string(), now())
        .await?;
    Ok(see_other(if ok {
        "/saved-searches?m=search-saved"
    } else {
        "/saved-searches?m=search-limit"
    }))
}

pub async fn saved_delete(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app.store.delete_saved_search(v.user_id.clone(), id).await? {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/saved-searches?m=search-deleted"))
}
