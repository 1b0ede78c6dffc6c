//! The JSON API for jobs: the same rules as the pages (`jobs_pages`), the same parsers
//! (`domain::jobs`, `listings::Typed`), answers in JSON.
use crate::error::{Failure, WebResult};
use crate::guard::{Req, Viewer, fields_json};
use crate::jobs_pages::{self as jp, candidates_for, json_ld, recommended, report_fields};
use crate::listings::{PAGE_SIZE, Typed};
use crate::{AppState, now};
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::UserKind;
use domain::jobs::{self, CompanyProfile, JobCard, Posting, Status, Step};
use serde_json::{Value, json};
use store::jobs::{Company, PostingRow, Review};

fn viewer(req: &Req) -> WebResult<&Viewer> {
    req.viewer.as_ref().ok_or(Failure::Unauthorized)
}

fn body(b: Result<Json<Value>, JsonRejection>) -> WebResult<Value> {
    b.map(|Json(v)| v).map_err(|e| {
        tracing::info!(status = %e.status(), "unreadable json body");
        Failure::BadRequest
    })
}

/// Fields whose list is typed as one text on the pages.
const JOINED: &[&str] = &["required_skills", "welcome_skills"];

/// A JSON object as form fields, so the API and the pages share one parser.
fn as_fields(v: &Value) -> WebResult<Vec<(String, String)>> {
    let obj = v.as_object().ok_or(Failure::BadRequest)?;
    let scalar = |x: &Value| match x {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("1".into()),
        _ => None,
    };
    let mut out = Vec::new();
    for (k, val) in obj {
        match val {
            Value::Array(items) if JOINED.contains(&k.as_str()) => {
                let parts: Vec<String> = items.iter().filter_map(scalar).collect();
                out.push((k.clone(), parts.join("\n")));
            }
            Value::Array(items) => {
                out.extend(items.iter().filter_map(scalar).map(|s| (k.clone(), s)))
            }
            other => {
                if let Some(s) = scalar(other) {
                    out.push((k.clone(), s));
                }
            }
        }
    }
    Ok(out)
}

fn card_json(c: &JobCard, base: &str) -> Value {
    json!({
        "id": c.id,
        "title": c.title,
        "company_id": c.company_id,
        "company_name": c.company_name,
        "category": c.category,
        "employment_type": jobs::employment_code(c.employment_type),
        "prefecture": c.prefecture,
        "city": c.city,
        "remote": c.remote.as_str(),
        "hours_per_week": c.hours_per_week,
        "days_per_week": c.days_per_week,
        "wage": {"unit": c.wage_unit.as_str(), "min": c.wage_min, "max": c.wage_max, "hourly_equivalent": c.hourly_wage},
        "accommodations": c.accommodations,
        "published_at": c.published_at,
        "confirmed_at": c.confirmed_at,
        "url": format!("{base}/jobs/{}", c.id),
    })
}

fn company_json(c: &Company) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "verified": c.verified_at.is_some(),
        "profile": c.profile,
    })
}

// ------------------------------------------------------------------ public

pub async fn search(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> WebResult<Json<Value>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|_| Failure::BadRequest)?;
    let typed = Typed::from_pairs(&pairs);
    let q = typed.parse()?;
    let listings = app.listings.clone();
    let hits = tokio::task::spawn_blocking(move || listings.index.search(&q, now()))
        .await
        .map_err(|_| Failure::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "search failed");
            Failure::Internal
        })?;
    let base = &app.cfg.public_url;
    Ok(Json(json!({
        "total": hits.total,
        "page": typed.page,
        "page_size": PAGE_SIZE,
        "items": hits.cards.iter().map(|c| card_json(c, base)).collect::<Vec<_>>(),
    })))
}

pub async fn job(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    let row = app.store.posting(id).await?.ok_or(Failure::NotFound)?;
    let public = row.is_public(now(), app.cfg.stale_after_days);
    let operator = req
        .viewer
        .as_ref()
        .is_some_and(|v| v.kind == UserKind::Operator);
    let own = match req.viewer.as_ref().filter(|v| v.kind == UserKind::Employer) {
        Some(v) => {
            app.store
                .managed_company(v.user_id.clone())
                .await?
                .as_deref()
                == Some(row.org_id.as_str())
        }
        None => false,
    };
    if !(public || own || operator) {
        return Err(Failure::NotFound);
    }
    let company = app
        .store
        .company(row.org_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let posting = row.posting();
    let ld = match (&posting, public) {
        (Some(p), true) => serde_json::from_str::<Value>(&json_ld(
            &row,
            p,
            &company,
            &app.cfg.public_url,
            app.cfg.stale_after_days,
        ))
        .ok(),
        _ => None,
    };
    Ok(Json(json!({
        "id": row.id,
        "status": row.status.as_str(),
        "public": public,
        "as_of": row.confirmed_at.unwrap_or(row.updated_at),
        "published_at": row.published_at,
        "posting": posting,
        "employer": company_json(&company),
        "json_ld": ld,
    })))
}

pub async fn report(
    State(app): State<AppState>,
    Path(id): Path<String>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    app.listings.index.card(&id).ok_or(Failure::NotFound)?;
    let s = |k: &str| b.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    let (reason, detail) = report_fields(&s("reason"), &s("detail"))?;
    app.store.report_posting(id, reason, detail, now()).await?;
    Ok(StatusCode::ACCEPTED)
}

pub async fn company(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    let c = app
        .store
        .company(id)
        .await?
        .filter(|c| c.profile.is_some())
        .ok_or(Failure::NotFound)?;
    Ok(Json(company_json(&c)))
}

// ------------------------------------------------------------------ employers

pub async fn my_company(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    Ok(Json(company_json(&jp::my_company(&app, &req).await?)))
}

pub async fn company_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    jp::my_company(&app, &req).await?;
    let v = viewer(&req)?;
    let p = CompanyProfile::parse(&as_fields(&b)?)?;
    app.store
        .save_company(v.user_id.clone(), p, req.ctx.clone(), now())
        .await?;
    app.refresh_listings().await;
    Ok(Json(company_json(&jp::my_company(&app, &req).await?)))
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
    let c = jp::my_company(&app, &req).await?;
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
        &jp::my_posting(&app, &req, &id).await?,
    )))
}

async fn save(
    app: &AppState,
    req: &Req,
    id: Option<String>,
    b: Value,
) -> WebResult<(String, Status)> {
    let v = viewer(req)?;
    let fields = as_fields(&b)?;
    let r = app
        .store
        .save_posting(v.user_id.clone(), id, fields, req.ctx.clone(), now())
        .await?
        .map_err(jp::refused)?;
    app.refresh_listings().await;
    Ok(r)
}

/// Creates a draft; it is saved even when incomplete, and `problems` says what stops
/// submission.
pub async fn posting_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<Response> {
    let b = body(b)?;
    jp::my_company(&app, &req).await?;
    let (id, _) = save(&app, &req, None, b).await?;
    let row = jp::my_posting(&app, &req, &id).await?;
    Ok((StatusCode::CREATED, Json(posting_json(&req, &row))).into_response())
}

pub async fn posting_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    jp::my_posting(&app, &req, &id).await?;
    save(&app, &req, Some(id.clone()), b).await?;
    Ok(Json(posting_json(
        &req,
        &jp::my_posting(&app, &req, &id).await?,
    )))
}

async fn step(app: AppState, req: Req, id: String, s: Step) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .posting_step(v.user_id.clone(), id, s, req.ctx.clone(), now())
        .await?
        .map_err(jp::refused)?;
    app.refresh_listings().await;
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
    let row = jp::my_posting(&app, &req, &id).await?;
    let list = candidates_for(&app, &req, &row, 20).await?;
    Ok(Json(json!({
        "candidates": list.iter().map(|(id, m, view)| json!({
            "seeker_id": id,
            "score": m.score,
            "reasons": m.reasons,
            "view": view,
        })).collect::<Vec<_>>()
    })))
}

// ------------------------------------------------------------------ operator

pub async fn operator_queue(State(app): State<AppState>) -> WebResult<Json<Value>> {
    let companies = app.store.companies_to_verify().await?;
    let postings = app.store.postings_to_review().await?;
    let reports = app.store.open_reports().await?;
    Ok(Json(json!({
        "companies": companies.iter().map(company_json).collect::<Vec<_>>(),
        "postings": postings.iter().map(|r| json!({"id": r.id, "title": r.title, "company_id": r.org_id, "company_name": r.org_name, "submitted_at": r.submitted_at})).collect::<Vec<_>>(),
        "reports": reports.iter().map(|r| json!({"id": r.id, "posting_id": r.posting_id, "posting_title": r.posting_title, "reason": r.reason, "detail": r.detail, "created_at": r.created_at})).collect::<Vec<_>>(),
    })))
}

async fn review(app: AppState, req: Req, id: String, r: Review) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .review_posting(v.user_id.clone(), id, r, req.ctx.clone(), now())
        .await?
        .map_err(jp::refused)?;
    app.refresh_listings().await;
    Ok(Json(json!({"status": status.as_str()})))
}

pub async fn operator_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Value>> {
    review(app, req, id, Review::Approve).await
}

pub async fn operator_return(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    let reasons = b
        .get("reasons")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let note = b
        .get("note")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    review(app, req, id, Review::Return { reasons, note }).await
}

pub async fn operator_verify(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if !app
        .store
        .verify_company(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    app.refresh_listings().await;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn operator_resolve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if !app
        .store
        .resolve_report(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

// ------------------------------------------------------------------ seekers

pub async fn recommendations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = recommended(&app, &v.user_id, 20).await?;
    let base = &app.cfg.public_url;
    Ok(Json(json!({
        "items": list.iter().map(|(c, m)| json!({
            "job": card_json(c, base),
            "score": m.score,
            "reasons": m.reasons,
            "explained": m.reasons.iter().map(|r| jp::reason_text(&tr, r).1).collect::<Vec<_>>(),
        })).collect::<Vec<_>>()
    })))
}

pub async fn saved(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let list = app.store.saved_searches(Some(v.user_id.clone())).await?;
    Ok(Json(json!({
        "items": list.iter().map(|s| json!({"id": s.id, "query": s.query, "created_at": s.created_at})).collect::<Vec<_>>()
    })))
}

pub async fn saved_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: Result<Json<Value>, JsonRejection>,
) -> WebResult<Response> {
    let b = body(b)?;
    let v = viewer(&req)?;
    let raw = b.get("query").and_then(Value::as_str).unwrap_or("");
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw).map_err(|_| Failure::BadRequest)?;
    let typed = Typed::from_pairs(&pairs);
    typed.parse()?;
    if !app
        .store
        .save_search(v.user_id.clone(), typed.query_string(), now())
        .await?
    {
        return Err(Failure::Conflict("err-saved-search-limit"));
    }
    Ok((
        StatusCode::CREATED,
        Json(json!({"query": typed.query_string()})),
    )
        .into_response())
}

pub async fn saved_delete(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    if !app.store.delete_saved_search(v.user_id.clone(), id).await? {
        return Err(Failure::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn notifications(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let list = app.store.notifications(v.user_id.clone()).await?;
    Ok(Json(json!({
        "items": list.iter().map(|n| json!({
            "id": n.id, "kind": n.kind, "posting_id": n.ref_id,
            "title": app.listings.index.card(&n.ref_id).map(|c| c.title.clone()),
            "created_at": n.created_at, "read_at": n.read_at,
        })).collect::<Vec<_>>()
    })))
}
