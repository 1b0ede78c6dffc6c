//! The employer API: company profile, postings through review, candidates.
use crate::api::body;
use crate::employer::candidates::candidates_for;
use crate::error::WebResult;
use crate::jobs::api::CompanyAnswer;
use crate::jobs::api::as_fields;
use crate::jobs::api::company_json;
use crate::openapi::FieldProblem;
use crate::operator::api::StatusAnswer;
use crate::request::viewer;
use crate::request::{Req, fields_json};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::jobs::{CompanyProfile, Posting, Status, Step};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use store::jobs::PostingRow;
use utoipa::ToSchema;

/// A form field as saved: one value, or several for lists.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum FieldValue {
    One(String),
    Many(Vec<String>),
}

/// The operator's last review.
#[derive(Serialize, ToSchema)]
pub struct ReviewAnswer {
    pub reasons: Vec<String>,
    pub note: String,
}

/// A posting as its company sees it: the form as saved, and what stops submission.
#[derive(Serialize, ToSchema)]
pub struct PostingAnswer {
    pub id: String,
    pub status: Status,
    pub title: String,
    pub fields: BTreeMap<String, FieldValue>,
    /// By field: what must change before the posting can be submitted.
    pub problems: BTreeMap<String, FieldProblem>,
    pub review: ReviewAnswer,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    pub confirmed_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PostingList {
    pub items: Vec<PostingAnswer>,
}

/// A recommended candidate: the score, the reasons (worded for the employer) and the
/// seeker as the company may see them.
#[derive(Serialize, ToSchema)]
pub struct Candidate {
    pub seeker_id: String,
    #[schema(maximum = 100)]
    pub score: u8,
    pub reasons: Vec<domain::matching::Reason>,
    pub explained: Vec<String>,
    #[schema(value_type = crate::openapi::SeekerViewSchema)]
    pub view: store::disclosure::SeekerView,
}

#[derive(Serialize, ToSchema)]
pub struct Candidates {
    pub candidates: Vec<Candidate>,
}

// ------------------------------------------------------------------ employers

pub async fn my_company(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<CompanyAnswer>> {
    Ok(Json(company_json(
        &crate::employer::company::my_company(&app, &req).await?,
    )))
}

pub async fn company_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<Value>,
) -> WebResult<Json<CompanyAnswer>> {
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

fn posting_json(req: &Req, r: &PostingRow) -> PostingAnswer {
    let tr = req.tr();
    let problems = match Posting::parse(&r.fields) {
        Ok(_) => BTreeMap::new(),
        Err(f) => fields_json(&tr, &f),
    };
    let mut fields: BTreeMap<String, FieldValue> = BTreeMap::new();
    for (k, v) in &r.fields {
        let multi = ["insurance", "accommodations"].contains(&k.as_str());
        let next = match fields.remove(k) {
            Some(FieldValue::Many(mut a)) => {
                a.push(v.clone());
                FieldValue::Many(a)
            }
            Some(FieldValue::One(first)) => FieldValue::Many(vec![first, v.clone()]),
            None if multi => FieldValue::Many(vec![v.clone()]),
            None => FieldValue::One(v.clone()),
        };
        fields.insert(k.clone(), next);
    }
    PostingAnswer {
        id: r.id.clone(),
        status: r.status,
        title: r.title.clone(),
        fields,
        problems,
        review: ReviewAnswer {
            reasons: r.review_reasons.clone(),
            note: r.review_note.clone(),
        },
        created_at: r.created_at,
        updated_at: r.updated_at,
        published_at: r.published_at,
        confirmed_at: r.confirmed_at,
    }
}

pub async fn postings(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<PostingList>> {
    let c = crate::employer::company::my_company(&app, &req).await?;
    let rows = app.store.postings_of(c.id).await?;
    Ok(Json(PostingList {
        items: rows.iter().map(|r| posting_json(&req, r)).collect(),
    }))
}

pub async fn posting_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<PostingAnswer>> {
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
) -> WebResult<Json<PostingAnswer>> {
    let b = body(b)?;
    crate::employer::postings::my_posting(&app, &req, &id).await?;
    save(&app, &req, Some(id.clone()), b).await?;
    Ok(Json(posting_json(
        &req,
        &crate::employer::postings::my_posting(&app, &req, &id).await?,
    )))
}

async fn step(app: AppState, req: Req, id: String, s: Step) -> WebResult<Json<StatusAnswer>> {
    let v = viewer(&req)?;
    let status = app
        .store
        .posting_step(v.user_id.clone(), id, s, req.ctx.clone(), now())
        .await?
        .map_err(crate::employer::postings::refused)?;
    Ok(Json(StatusAnswer { status }))
}

pub async fn posting_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<StatusAnswer>> {
    step(app, req, id, Step::Submit).await
}

pub async fn posting_close(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<StatusAnswer>> {
    step(app, req, id, Step::Close).await
}

pub async fn posting_confirm(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<StatusAnswer>> {
    step(app, req, id, Step::Confirm).await
}

pub async fn candidates(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Candidates>> {
    let row = crate::employer::postings::my_posting(&app, &req, &id).await?;
    let list = candidates_for(&app, &req, &row, 20).await?;
    let tr = req.tr();
    let candidates = list
        .into_iter()
        .map(|(seeker_id, m, view)| Candidate {
            seeker_id,
            score: m.score,
            explained: crate::jobs::words::explained(
                &tr,
                &m.reasons,
                crate::jobs::words::Voice::Employer,
            ),
            reasons: m.reasons,
            view,
        })
        .collect();
    Ok(Json(Candidates { candidates }))
}
