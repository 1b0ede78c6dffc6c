//! Anonymised statistics: the operator's page (the tables as they would be published
//! now, and publishing them), the public pages of every release with what APPI asks to
//! publish of anonymised information (the items, the date, how it is provided, that it
//! is anonymised), its CSV, and the API. The tables come protected from the store's
//! door (`store::disclosure::statistics`); the rules are `domain::statistics`.
use crate::csv::Csv;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Tr;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, jst, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::statistics::{Cell, Kind, LEFT, MULTIPLE, RETAINED, Table, UNKNOWN};
use std::collections::HashMap;
use store::statistics::{Preview, Release};

/// A table as the page shows it: its title, the column heads, rows of (head, cells,
/// total) and the totals row, each count as text ("—" when hidden).
pub struct Shown {
    pub kind: &'static str,
    pub title: String,
    pub cols: Vec<String>,
    pub rows: Vec<(String, Vec<String>, String)>,
    pub totals: Option<(Vec<String>, String)>,
}

fn count(tr: &Tr, c: &Cell) -> String {
    c.count
        .map(|n| n.to_string())
        .unwrap_or_else(|| tr.t("stats-hidden"))
}

fn row_label(tr: &Tr, kind: Kind, key: &str) -> String {
    match kind {
        Kind::HiresByDisability if key == UNKNOWN => tr.t("stats-unknown-prefecture"),
        Kind::HiresByDisability => key
            .parse()
            .map(|code| crate::forms::prefecture_name(tr.lang, code))
            .unwrap_or_default(),
        Kind::RetentionByAccommodation => domain::taxonomy::ACCOMMODATIONS
            .iter()
            .find(|e| e.0 == key)
            .map(|e| crate::forms::label(tr.lang, e))
            .unwrap_or_else(|| key.to_owned()),
    }
}

fn col_label(tr: &Tr, key: &str) -> String {
    match key {
        MULTIPLE => tr.t("stats-multiple"),
        RETAINED => tr.t("stats-retained"),
        LEFT => tr.t("stats-left"),
        other => tr.t(&format!("cat-{other}")),
    }
}

pub fn shown(tr: &Tr, t: &Table) -> Shown {
    Shown {
        kind: t.kind.as_str(),
        title: tr.t(&format!("stats-table-{}", t.kind.as_str())),
        cols: t.cols.iter().map(|c| col_label(tr, c)).collect(),
        rows: t
            .rows
            .iter()
            .zip(&t.cells)
            .zip(&t.row_totals)
            .map(|((r, cells), total)| {
                (
                    row_label(tr, t.kind, r),
                    cells.iter().map(|c| count(tr, c)).collect(),
                    count(tr, total),
                )
            })
            .collect(),
        totals: t.total.map(|total| {
            (
                t.col_totals.iter().map(|c| count(tr, c)).collect(),
                count(tr, &total),
            )
        }),
    }
}

/// The items a release holds, in words.
fn items(tr: &Tr, tables: &[Table]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tables {
        for i in domain::statistics::items(t.kind) {
            let s = tr.t(&format!("stats-item-{i}"));
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

// ------------------------------------------------------------------ the operator

#[derive(Template)]
#[template(path = "operator_statistics.html")]
struct OperatorPage {
    c: Chrome,
    k: u32,
    people: u32,
    tables: Vec<Shown>,
    releases: Vec<(String, String)>,
}

async fn preview(app: &AppState, req: &Req) -> WebResult<Preview> {
    let v = viewer(req)?;
    Ok(app
        .store
        .statistics_preview(
            v.user_id.clone(),
            app.cfg.statistics_k,
            jst::today(),
            req.ctx.clone(),
            now(),
        )
        .await?)
}

pub async fn operator_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let tr = req.tr();
    let p = preview(&app, &req).await?;
    let releases = app.store.statistics_releases().await?;
    Ok(html(&OperatorPage {
        c: Chrome::new(&req).flash(crate::accounts::flash_in(&q, &["stats-published"])),
        k: p.k,
        people: p.people,
        tables: p.tables.iter().map(|t| shown(&tr, t)).collect(),
        releases: releases
            .iter()
            .map(|r| (r.id.clone(), jst::date_text(r.published_at, tr.lang)))
            .collect(),
    }))
}

async fn publish(app: &AppState, req: &Req) -> WebResult<String> {
    let v = viewer(req)?;
    Ok(app
        .store
        .statistics_publish(
            v.user_id.clone(),
            app.cfg.statistics_k,
            jst::today(),
            req.ctx.clone(),
            now(),
        )
        .await?)
}

pub async fn publish_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let id = publish(&app, &req).await?;
    Ok(see_other(&format!("/statistics/{id}?m=stats-published")))
}

// ------------------------------------------------------------------ public

#[derive(Template)]
#[template(path = "statistics.html")]
struct ListPage {
    c: Chrome,
    releases: Vec<(String, String)>,
}

pub async fn list_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let tr = req.tr();
    let releases = app.store.statistics_releases().await?;
    Ok(html(&ListPage {
        c: Chrome::new(&req),
        releases: releases
            .iter()
            .map(|r| (r.id.clone(), jst::date_text(r.published_at, tr.lang)))
            .collect(),
    }))
}

#[derive(Template)]
#[template(path = "statistics_release.html")]
struct ReleasePage {
    c: Chrome,
    id: String,
    date: String,
    k: u32,
    people: u32,
    items: Vec<String>,
    tables: Vec<Shown>,
}

async fn release(app: &AppState, id: String) -> WebResult<Release> {
    app.store
        .statistics_release(id)
        .await?
        .ok_or(Failure::NotFound)
}

pub async fn release_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let tr = req.tr();
    let r = release(&app, id).await?;
    Ok(html(&ReleasePage {
        c: Chrome::new(&req).flash(crate::accounts::flash_in(&q, &["stats-published"])),
        date: jst::date_text(r.published_at, tr.lang),
        k: r.k,
        people: r.people,
        items: items(&tr, &r.tables),
        tables: r.tables.iter().map(|t| shown(&tr, t)).collect(),
        id: r.id,
    }))
}

/// The release as CSV: a manifest line saying it is anonymised information, then each
/// table's rows (hidden counts as "*").
pub async fn release_csv(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let tr = req.tr();
    let r = release(&app, id).await?;
    let mut out = Csv::new();
    out.row([
        tr.t("stats-manifest"),
        jst::date_text(r.published_at, tr.lang),
        format!("k={}", r.k),
    ]);
    let plain = |c: &Cell| c.count.map(|n| n.to_string()).unwrap_or_else(|| "*".into());
    for t in &r.tables {
        let mut head = vec![t.kind.as_str().to_owned(), String::new()];
        head.extend(t.cols.iter().cloned());
        head.push("total".into());
        out.row(head);
        for ((row, cells), total) in t.rows.iter().zip(&t.cells).zip(&t.row_totals) {
            let mut line = vec![row.clone(), row_label(&tr, t.kind, row)];
            line.extend(cells.iter().map(plain));
            line.push(plain(total));
            out.row(line);
        }
        if let Some(total) = t.total {
            let mut line = vec!["total".to_owned(), String::new()];
            line.extend(t.col_totals.iter().map(plain));
            line.push(plain(&total));
            out.row(line);
        }
    }
    Ok(out.download("statistics.csv"))
}

// ------------------------------------------------------------------ API

/// Every release, newest first.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ReleaseList {
    pub releases: Vec<Release>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct StatisticsPublished {
    pub id: String,
}

pub async fn preview_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Preview>> {
    Ok(Json(preview(&app, &req).await?))
}

pub async fn publish_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let id = publish(&app, &req).await?;
    Ok((StatusCode::CREATED, Json(StatisticsPublished { id })).into_response())
}

pub async fn list_api(State(app): State<AppState>) -> WebResult<Json<ReleaseList>> {
    Ok(Json(ReleaseList {
        releases: app.store.statistics_releases().await?,
    }))
}

pub async fn release_api(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Release>> {
    Ok(Json(release(&app, id).await?))
}
