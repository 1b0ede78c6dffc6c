//! The employer API: company profile, postings through review, candidates.
use crate::api::body;
use crate::employer::candidates::candidates_for;
use crate::error::WebResult;
use crate::jobs::api::as_fields;
use crate::jobs::api::company_json;
use crate::request::viewer;
use crate::request::{Req, fields_json};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::jobs::{CompanyProfile, Posting, Status, Step};
use serde_json::{Value, json};
use store::jobs::PostingRow;

// ------------------------------------------------------------------ employers

pub async fn my_company(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    Ok(Json(company_json(
        &crate::employer::company::my_company(&app, &req).await?,
    )))
}

pub async fn company_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<Value>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    crate::employer::company::my_company(&app, &req).await?;
    let v = viewer(&req)?;
    let p = CompanyProfile::parse(&as_fields(&b, |s| {
        let _ = CompanyProfile::parse(s);
    })?)?;
    app.store
        .save_company(v.user_id.clone(), p, req.ctx.clone(), now())
        .await?;
    Ok(Json(company_json(
        &crate::employer::company::my_company(&app, &req).await?,
    )))
}

fn posting_json(req: &Req, r: &PostingRow) -> Value {
    let tr = req.tr();
    let problems = match Posting::parse(&r.fields) {
        Ok(_) => serde_json::Map::new(),
        Err(f) => fields_json(&tr, &f),
    };
    let mut fields = serde_json::Map::new();
    for (k, v) in &r.fields {
        match fields.get_mut(k) {
            Some(Value::Array(a)) => a.push(json!(v)),
            Some(other) => *other = json!([other.clone(), v]),
            None => {
                let multi = ["insurance", "accommodations"].contains(&k.as_str());
                fields.insert(k.clone(), if multi { json!([v]) } else { json!(v) });
            }
        }
    }
    json!({
        "id": r.id,
        "status": r.status.as_str(),
        "title": r.title,
        "fields": fields,
        "problems": problems,
        "review": {"reasons": r.review_reasons, "note": r.review_note},
        "created_at": r.created_at,
        "updated_at": r.updated_at,
        "published_at": r.published_at,
        "confirmed_at": r.confirmed_at,
    })
}

pub async fn postings(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let c = crate::employer::company::my_company(&app, &req).await?;
    let rows = app.store.postings_of(c.id).await?;
    Ok(Json(
        json!({"items": rows.iter().map(|r| posting_json(&req, r)).collect::<Vec<_>>()}),
    ))
}

pub async fn posting_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    Ok(Json(posting_json(
        &req,
        &crate::employer::postings::my_posting(&app, &req, &id).await?,
    )))
}

async fn save(
    app: &AppState,
    req: &Req,
    id: Option<String>,
    b: Value,
) -> WebResult<(String, Status)> {
    let v = viewer(req)?;
    let fields = as_fields(&b, |s| {
        let _ = Posting::parse(s);
    })?;
    let r = app
        .store
        .save_posting(v.user_id.clone(), id, fields, req.ctx.clone(), now())
        .await?
        .map_err(crate::employer::postings::refused)?;
    Ok(r)
}

/// Creates a draft; it is saved even when incomplete, and `problems` says what stops
/// submission.
pub async fn posting_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<Value>,
) -> WebResult<Response> {
    let b = body(b)?;
    crate::employer::company::my_company(&app, &req).await?;
    let (id, _) = save(&app, &req, None, b).await?;
    let row = crate::employer::postings::my_posting(&app, &req, &id).await?;
    Ok((StatusCode::CREATED, Json(posting_json(&req, &row))).into_response())
}

pub async fn posting_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<Value>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    crate::employer::postings::my_posting(&app, &req, &id).await?;
    save(&app, &req, Some(id.clone()), b).await?;
    Ok(Json(posting_json(
        &req,
        &crate::employer::postings::my_posting(&app, &req, &id).await?,
    )))
}

async fn step(app: AppState, req: Req, id: String, s: Step) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .posting_step(v.user_id.clone(), id, s, req.ctx.clone(), now())
        .await?
        .map_err(crate::employer::postings::refused)?;
    Ok(Json(json!({"status": status.as_str()})))
}

pub async fn posting_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    step(app, req, id, Step::Submit).await
}

pub async fn posting_close(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    step(app, req, id, Step::Close).await
}

pub async fn posting_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    step(app, req, id, Step::Confirm).await
}

pub async fn candidates(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    let row = crate::employer::postings::my_posting(&app, &req, &id).await?;
    let list = candidates_for(&app, &req, &row, 20).await?;
    let tr = req.tr();
    Ok(Json(json!({
        "candidates": list.iter().map(|(id, m, view)| json!({
            "seeker_id": id,
            "score": m.score,
            "reasons": m.reasons,
            "explained": m.reasons.iter().map(|r| crate::jobs::words::reason_text(&tr, r, crate::jobs::words::Voice::Employer).1).collect::<Vec<_>>(),
            "view": view,
        })).collect::<Vec<_>>()
    })))
}
