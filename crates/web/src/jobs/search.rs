//! The job search page: keywords and filters, sorting, paging.
use crate::error::{Failure, WebResult};
use crate::forms::Builder;
use crate::forms::Field;
use crate::forms::entries;
use crate::forms::errors_map;
use crate::forms::keyed;
use crate::forms::prefectures;
use crate::i18n::Tr;
use crate::jobs::words::CardView;
use crate::jobs::words::card_view;
use crate::listings::{PAGE_SIZE, Typed};
use crate::request::Req;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::UserKind;
use domain::jobs::{self};
use domain::taxonomy::{ACCOMMODATIONS, JOB_CATEGORIES};
use std::collections::HashMap;

// ------------------------------------------------------------------ search

#[derive(Template)]
#[template(path = "jobs.html")]
struct SearchPage {
    c: Chrome,
    fields: Vec<Field>,
    acc: Field,
    errors: Vec<(String, String)>,
    total: usize,
    from: usize,
    to: usize,
    cards: Vec<CardView>,
    query: String,
    prev: Option<String>,
    next: Option<String>,
    page: usize,
    pages: usize,
    may_save: bool,
    /// Some filter beyond the keyword is set (the filters stay open on phones).
    narrowed: bool,
}

fn search_fields(
    tr: &Tr,
    typed: &[(String, String)],
    errors: HashMap<String, String>,
) -> (Vec<Field>, Field) {
    let b = Builder {
        tr,
        prefix: "sf",
        typed,
        errors,
    };
    let lang = tr.lang;
    let fields = vec![
        b.text("q"),
        b.select("pref", prefectures(lang)),
        b.select("cat", entries(lang, JOB_CATEGORIES)),
        b.select("emp", keyed(tr, "employment", jobs::POSTING_EMPLOYMENT)),
        b.number("hours_min"),
        b.number("hours_max"),
        b.number("wage_min"),
        b.check("remote"),
        b.select("sort", keyed(tr, "sort", &["relevance", "new", "wage"])),
    ];
    let acc = b.checks("acc", entries(lang, ACCOMMODATIONS));
    (fields, acc)
}

pub async fn search_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    RawQuery(raw): RawQuery,
) -> WebResult<Response> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    let typed = Typed::from_pairs(&pairs);
    let tr = req.tr();
    let may_save = req
        .viewer
        .as_ref()
        .is_some_and(|v| v.kind == UserKind::Seeker)
        && typed.has_conditions();
    let mut page = SearchPage {
        c: Chrome::new(&req),
        fields: vec![],
        acc: search_fields(&tr, &[], HashMap::new()).1,
        errors: vec![],
        total: 0,
        from: 0,
        to: 0,
        cards: vec![],
        query: typed.query_string(),
        prev: None,
        next: None,
        page: typed.page,
        pages: 0,
        may_save,
        narrowed: typed.has_conditions() && !(typed.q_only()),
    };
    match typed.parse() {
        Err(f) => {
            let (map, list) = errors_map(&tr, &f);
            (page.fields, page.acc) = search_fields(&tr, &pairs, map);
            page.errors = list;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Ok(q) => {
            app.index().await;
            let listings = app.listings.clone();
            let hits = tokio::task::spawn_blocking(move || listings.index.search(&q, now()))
                .await
                .map_err(|_| Failure::Internal)?
                .map_err(|e| {
                    tracing::error!(error = %e, "search failed");
                    Failure::Internal
                })?;
            (page.fields, page.acc) = search_fields(&tr, &pairs, HashMap::new());
            page.total = hits.total;
            page.pages = hits.total.div_ceil(PAGE_SIZE);
            page.from = if hits.cards.is_empty() {
                0
            } else {
                (typed.page - 1) * PAGE_SIZE + 1
            };
            page.to = page.from + hits.cards.len().saturating_sub(1);
            page.cards = hits.cards.iter().map(|c| card_view(&tr, c)).collect();
            let link = |p: usize| {
                let sep = if page.query.is_empty() { "" } else { "&" };
                format!("/jobs?{}{sep}page={p}", page.query)
            };
            if typed.page > 1 && typed.page <= page.pages + 1 {
                page.prev = Some(link(typed.page - 1));
            }
            if typed.page < page.pages {
                page.next = Some(link(typed.page + 1));
            }
            Ok(html(&page))
        }
    }
}
