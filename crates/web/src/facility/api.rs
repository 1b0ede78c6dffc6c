//! The facility API: invitation code and linked seekers.
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::State;
use axum::{Extension, Json};
use serde_json::{Value, json};

pub async fn facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let (org, code) = app
        .store
        .facility_code(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let seekers: Vec<Value> = app
        .store
        .facility_seekers(
            v.user_id.clone(),
            req.ctx.clone(),
            crate::jst::today(),
            now(),
        )
        .await?
        .into_iter()
        .map(|(id, name)| json!({"seeker_id": id, "name": name}))
        .collect();
    Ok(Json(
        json!({ "organization_id": org, "invite_code": code, "seekers": seekers }),
    ))
}
