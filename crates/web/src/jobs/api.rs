//! The jobs API for everyone (search, job, report) and for seekers (recommendations,
//! saved searches, notifications).
use crate::error::{Failure, WebResult};
use crate::jobs::page::json_ld;
use crate::jobs::recommendations::recommended;
use crate::jobs::reports::report_fields;
use crate::listings::{PAGE_SIZE, Typed};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::UserKind;
use domain::jobs::{self, JobCard};
use serde_json::{Value, json};
use store::jobs::Company;

use crate::api::body;

/// Fields whose list is typed as one text on the pages.
const JOINED: &[&str] = &["required_skills", "welcome_skills"];

/// A JSON object as form fields, so the API and the pages share one parser. Strict:
/// a key that `parse` never reads is refused (422 naming it), as is a value that is an
/// object or a list where one value belongs; `null` and `false` are an empty value.
pub(crate) fn as_fields(
    v: &Value,
    parse: impl Fn(&jobs::Reads<'_>),
) -> WebResult<Vec<(String, String)>> {
    let obj = v.as_object().ok_or(Failure::BadRequest)?;
    let invalid = |k: &str| Failure::Input {
        field: k.to_owned(),
        code: "field-invalid",
    };
    let scalar = |k: &str, x: &Value| match x {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(true) => Ok("1".into()),
        Value::Bool(false) | Value::Null => Ok(String::new()),
        _ => Err(invalid(k)),
    };
    let mut out = Vec::new();
    for (k, val) in obj {
        match val {
            Value::Array(items) => {
                let parts = items
                    .iter()
                    .map(|x| {
                        scalar(k, x)
                            .and_then(|s| if s.is_empty() { Err(invalid(k)) } else { Ok(s) })
                    })
                    .collect::<WebResult<Vec<String>>>()?;
                if JOINED.contains(&k.as_str()) {
                    out.push((k.clone(), parts.join("\n")));
                } else {
                    out.extend(parts.into_iter().map(|s| (k.clone(), s)));
                }
            }
            other => out.push((k.clone(), scalar(k, other)?)),
        }
    }
    if let Some(k) = jobs::unread_keys(&out, parse).into_iter().next() {
        return Err(crate::api::unknown_field(".", &k));
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

pub(crate) fn company_json(c: &Company) -> Value {
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
    app.index().await;
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

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    reason: String,
    #[serde(default)]
    detail: String,
}

pub async fn report(
    State(app): State<AppState>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<ReportBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    app.index().await.card(&id).ok_or(Failure::NotFound)?;
    let (reason, detail) = report_fields(&b.reason, &b.detail)?;
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
            "explained": m.reasons.iter().map(|r| crate::jobs::words::reason_text(&tr, r, crate::jobs::words::Voice::Seeker).1).collect::<Vec<_>>(),
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

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedBody {
    /// The search as a query string (`q=事務&pref=13`), as the search page's address has it.
    query: String,
}

pub async fn saved_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<SavedBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let v = viewer(&req)?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&b.query)
        .map_err(|_| Failure::field("query", "field-invalid"))?;
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| !Typed::KEYS.contains(&k.as_str()))
    {
        return Err(crate::api::unknown_field("query", k));
    }
    let typed = Typed::from_pairs(&pairs);
    typed.parse()?;
    // A saved search with nothing in it would match every posting and mail each one.
    if !typed.has_conditions() {
        return Err(Failure::field("query", "saved-search-empty"));
    }
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
    let index = app.index().await;
    Ok(Json(json!({
        "items": list.iter().map(|n| json!({
            "id": n.id, "kind": n.kind, "posting_id": n.ref_id,
            "title": index.card(&n.ref_id).map(|c| c.title.clone()),
            "created_at": n.created_at, "read_at": n.read_at,
        })).collect::<Vec<_>>()
    })))
}
