//! The facility API: invitation code and linked seekers.
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;

/// A seeker linked to the facility (their name, recorded as a provision).
#[derive(Serialize, ToSchema)]
pub struct LinkedSeeker {
    pub seeker_id: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct FacilityAnswer {
    pub organization_id: String,
    /// The code a seeker types to link to the facility.
    pub invite_code: String,
    pub seekers: Vec<LinkedSeeker>,
}

pub async fn facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<FacilityAnswer>> {
    let v = viewer(&req)?;
    let (org, code) = app
        .store
        .facility_code(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let seekers: Vec<LinkedSeeker> = app
        .store
        .facility_seekers(
            v.user_id.clone(),
            req.ctx.clone(),
            crate::jst::today(),
            now(),
        )
        .await?
        .into_iter()
        .map(|(seeker_id, name)| LinkedSeeker { seeker_id, name })
        .collect();
    Ok(Json(FacilityAnswer {
        organization_id: org,
        invite_code: code,
        seekers,
    }))
}
