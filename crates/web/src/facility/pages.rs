//! The facility page: invitation code and linked seekers.
use crate::error::{Failure, WebResult};
use crate::jst::today;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

// ------------------------------------------------------------------ facility

#[derive(Template)]
#[template(path = "facility.html")]
struct FacilityPage {
    c: Chrome,
    code: String,
    seekers: Vec<(String, String)>,
}

pub async fn facility(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let (_, code) = app
        .store
        .facility_code(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let seekers = app
        .store
        .facility_seekers(v.user_id.clone(), req.ctx.clone(), today(), now())
        .await?;
    Ok(html(&FacilityPage {
        c: Chrome::new(&req),
        code,
        seekers,
    }))
}
