//! The JSON API under `/api/v1`, described by `openapi.json`. Bearer tokens, no cookies,
//! so no CSRF. Errors are `{"error": {"code", "message", "fields": {name: {code, message}}}}`.
use crate::error::{Failure, WebResult};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

const OPENAPI: &str = include_str!("../openapi.json");

pub async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

/// A JSON body, with unreadable bodies answered as `bad_request` in our error format.
pub(crate) fn body<T>(b: Result<Json<T>, JsonRejection>) -> WebResult<T> {
    b.map(|Json(v)| v).map_err(|e| {
        // serde's message can quote the submitted value: log the status only.
        tracing::info!(status = %e.status(), "unreadable json body");
        Failure::BadRequest
    })
}

/// 204 when the thing acted on was found, 404 when it was not (or is not the caller's).
pub(crate) fn no_content_or_404(found: bool) -> WebResult<StatusCode> {
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound)
    }
}
