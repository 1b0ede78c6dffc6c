//! The agency's scouts (採用代行): operator staff with the agency role search and send
//! scouts in the name of a company whose delegation to the operator stands today. The
//! store's door decides each seeker as that company's scout search would
//! (`ProfileRel::AgencyScout`), and records each view as a provision to the company.
//! The company's delegation, the seeker's consent for messages and the agency's threads
//! are in `crate::messages::agency`.
use crate::api::{ApiJson, ApiQuery, body};
use crate::applications::api::{
    CandidateList, ScoutBody, ScoutSearchQuery, search_as, send_scout_as,
};
use crate::applications::scouts::{Desk, search_page, send_form};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::request::{Req, viewer};
use crate::{AppState, now};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form, Json};
use serde::Serialize;
use store::agency::AgencyClient;
use store::disclosure::Scouting;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct AgencyClients {
    /// The companies whose delegation stands today (empty without the agency role).
    pub companies: Vec<AgencyClient>,
}

/// The company the agency acts for, if its delegation stands today and the viewer holds
/// the agency role (else 404); scouts are for verified companies only (else 403).
async fn client(app: &AppState, req: &Req, company: &str) -> WebResult<AgencyClient> {
    let v = viewer(req)?;
    let c = app
        .store
        .agency_client(v.user_id.clone(), company.to_owned(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    if !c.verified {
        return Err(Failure::CompanyUnverified);
    }
    Ok(c)
}

pub async fn clients(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<AgencyClients>> {
    let v = viewer(&req)?;
    Ok(Json(AgencyClients {
        companies: app.store.agency_clients(v.user_id.clone(), now()).await?,
    }))
}

pub async fn scout_search(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    q: ApiQuery<ScoutSearchQuery>,
) -> WebResult<Json<CandidateList>> {
    let c = client(&app, &req, &id).await?;
    search_as(&app, &req, Scouting::Agency(c.company_id), q.0?).await
}

pub async fn scout_send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<ScoutBody>,
) -> WebResult<Response> {
    let c = client(&app, &req, &id).await?;
    let v = viewer(&req)?;
    send_scout_as(&app, &v.user_id, Scouting::Agency(c.company_id), body(b)?).await
}

fn desk(c: AgencyClient) -> Desk {
    Desk {
        action: format!("/operator/agency/companies/{}/scouts", c.company_id),
        scouting: Scouting::Agency(c.company_id),
        agency_company: Some(c.company_name),
        postings: c.postings.into_iter().map(|p| (p.id, p.title)).collect(),
    }
}

/// The agency's search page for one company.
pub async fn search(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> WebResult<Response> {
    let c = client(&app, &req, &id).await?;
    search_page(&app, &req, desk(c), &pairs).await
}

/// Sends a scout from the agency's search page, in the company's name.
pub async fn send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let c = client(&app, &req, &id).await?;
    let d = desk(c);
    send_form(&app, &req, d.scouting, &f).await?;
    Ok(see_other(&format!("{}?m=scout-sent", d.action)))
}
