//! The jobs API for everyone (search, job, report) and for seekers (recommendations,
//! saved searches, notifications).
use crate::error::{Failure, WebResult};
use crate::jobs::page::json_ld;
use crate::jobs::recommendations::recommended;
use crate::jobs::reports::report_fields;
use crate::jobs::words::Voice;
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
use serde::Serialize;
use serde_json::Value;
use store::jobs::Company;
use utoipa::ToSchema;

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
    // A key is echoed back only when it is a plain identifier (as `unknown_field` does).
    let invalid = |k: &str| match crate::api::unknown_field(".", k) {
        Failure::Input { field, .. } => Failure::Input {
            field,
            code: "field-invalid",
        },
        other => other,
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

/// Wages of a job, in yen per `unit`.
#[derive(Serialize, ToSchema)]
pub struct Wage {
    pub unit: jobs::WageUnit,
    pub min: u32,
    pub max: Option<u32>,
    /// The wage as yen per hour, for comparing jobs paid by different units.
    pub hourly_equivalent: u32,
}

/// A public job, as search and recommendations list it.
#[derive(Serialize, ToSchema)]
pub struct JobSummary {
    pub id: String,
    pub title: String,
    pub company_id: String,
    pub company_name: String,
    #[schema(value_type = domain::taxonomy::schema::JobCategoryCode)]
    pub category: String,
    pub employment_type: domain::profile::EmploymentType,
    #[schema(value_type = domain::taxonomy::schema::PrefectureCode)]
    pub prefecture: u8,
    pub city: String,
    pub remote: jobs::Remote,
    pub hours_per_week: u8,
    pub days_per_week: u8,
    pub wage: Wage,
    /// The job's accommodations and the company's, together.
    #[schema(value_type = Vec<domain::taxonomy::schema::AccommodationCode>)]
    pub accommodations: Vec<String>,
    pub published_at: i64,
    pub confirmed_at: i64,
    /// The job's page.
    pub url: String,
}

fn card_json(c: &JobCard, base: &str) -> JobSummary {
    JobSummary {
        id: c.id.clone(),
        title: c.title.clone(),
        company_id: c.company_id.clone(),
        company_name: c.company_name.clone(),
        category: c.category.clone(),
        employment_type: c.employment_type,
        prefecture: c.prefecture,
        city: c.city.clone(),
        remote: c.remote,
        hours_per_week: c.hours_per_week,
        days_per_week: c.days_per_week,
        wage: Wage {
            unit: c.wage_unit,
            min: c.wage_min,
            max: c.wage_max,
            hourly_equivalent: c.hourly_wage,
        },
        accommodations: c.accommodations.clone(),
        published_at: c.published_at,
        confirmed_at: c.confirmed_at,
        url: format!("{base}/jobs/{}", c.id),
    }
}

/// A company as anyone may see it.
#[derive(Serialize, ToSchema)]
pub struct CompanyAnswer {
    pub id: String,
    pub name: String,
    /// The operator has checked the company (法人番号 and contact).
    pub verified: bool,
    /// Absent until the company has filled in its profile.
    pub profile: Option<jobs::CompanyProfile>,
}

pub(crate) fn company_json(c: &Company) -> CompanyAnswer {
    CompanyAnswer {
        id: c.id.clone(),
        name: c.name.clone(),
        verified: c.verified_at.is_some(),
        profile: c.profile.clone(),
    }
}

/// One page of search results.
#[derive(Serialize, ToSchema)]
pub struct SearchAnswer {
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub items: Vec<JobSummary>,
}

/// A job, as the caller may see it (drafts and closed jobs only to their company and
/// the operator).
#[derive(Serialize, ToSchema)]
pub struct JobAnswer {
    pub id: String,
    pub status: jobs::Status,
    /// Shown to everyone (published, confirmed within the last days).
    pub public: bool,
    /// When the company last confirmed the content.
    pub as_of: i64,
    pub published_at: Option<i64>,
    /// Absent while a draft is incomplete.
    pub posting: Option<jobs::Posting>,
    pub employer: CompanyAnswer,
    /// schema.org JobPosting (public jobs only).
    #[schema(value_type = Option<Object>)]
    pub json_ld: Option<Value>,
}

/// A recommended job with the reasons, each also worded for people.
#[derive(Serialize, ToSchema)]
pub struct Recommendation {
    pub job: JobSummary,
    /// 0–100.
    #[schema(maximum = 100)]
    pub score: u8,
    pub reasons: Vec<domain::matching::Reason>,
    pub explained: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RecommendationList {
    pub items: Vec<Recommendation>,
}

#[derive(Serialize, ToSchema)]
pub struct SavedSearchAnswer {
    pub id: String,
    /// The search as a query string.
    pub query: String,
    pub created_at: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SavedSearchList {
    pub items: Vec<SavedSearchAnswer>,
}

#[derive(Serialize, ToSchema)]
pub struct SavedSearchCreated {
    /// The search as saved (keys in a fixed order).
    pub query: String,
}

// ------------------------------------------------------------------ public

pub async fn search(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> WebResult<Json<SearchAnswer>> {
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
    Ok(Json(SearchAnswer {
        total: hits.total,
        page: typed.page,
        page_size: PAGE_SIZE,
        items: hits.cards.iter().map(|c| card_json(c, base)).collect(),
    }))
}

pub async fn job(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<JobAnswer>> {
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
    Ok(Json(JobAnswer {
        id: row.id.clone(),
        status: row.status,
        public,
        as_of: row.confirmed_at.unwrap_or(row.updated_at),
        published_at: row.published_at,
        posting,
        employer: company_json(&company),
        json_ld: ld,
    }))
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportBody {
    /// What is wrong with the job.
    #[schema(value_type = crate::openapi::ReportReason)]
    reason: String,
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
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
) -> WebResult<Json<CompanyAnswer>> {
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
) -> WebResult<Json<RecommendationList>> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = recommended(&app, &v.user_id, 20).await?;
    let base = &app.cfg.public_url;
    let items = list
        .iter()
        .map(|(c, m)| Recommendation {
            job: card_json(c, base),
            score: m.score,
            reasons: m.reasons.clone(),
            explained: crate::jobs::words::explained(&tr, &m.reasons, Voice::Seeker),
        })
        .collect();
    Ok(Json(RecommendationList { items }))
}

pub async fn saved(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<SavedSearchList>> {
    let v = viewer(&req)?;
    let list = app.store.saved_searches(Some(v.user_id.clone())).await?;
    let items = list
        .into_iter()
        .map(|s| SavedSearchAnswer {
            id: s.id,
            query: s.query,
            created_at: s.created_at,
        })
        .collect();
    Ok(Json(SavedSearchList { items }))
}

#[derive(serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SavedBody {
    /// The search as a query string (`q=事務&pref=13`), as the search page's address has
    /// it, with at least one condition; keys as in `GET /api/v1/jobs`.
    /// (The pattern is a subset of what is accepted: enough to describe valid searches.)
    #[schema(
        min_length = 1,
        max_length = 2000,
        pattern = r"^(pref=(0?[1-9]|[1-3][0-9]|4[0-7])|remote=1|q=[A-Za-z0-9]{1,50})(&(pref=(0?[1-9]|[1-3][0-9]|4[0-7])|remote=1|q=[A-Za-z0-9]{1,50}))*$"
    )]
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
        Json(SavedSearchCreated {
            query: typed.query_string(),
        }),
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
