//! The JSON API under `/api/v1`, described by the OpenAPI document `crate::openapi` builds. Bearer tokens, no cookies,
//! so no CSRF. Errors are `{"error": {"code", "message", "fields": {name: {code, message}}}}`.
use crate::error::{Failure, WebResult};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use std::convert::Infallible;

/// The OpenAPI document, built once from the route table (`crate::openapi`).
pub async fn openapi(axum::extract::State(app): axum::extract::State<crate::AppState>) -> Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let doc = DOC.get_or_init(|| {
        let d = crate::openapi::document(crate::routes::rules(), &app.cfg.public_url);
        serde_json::to_string_pretty(&d).unwrap_or_default()
    });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        doc.clone(),
    )
        .into_response()
}

/// A query string, read strictly like [`ApiJson`]: an unknown parameter or a value of
/// the wrong kind is a 422 naming it.
pub struct ApiQuery<T>(pub WebResult<T>);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Infallible> {
        let q = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes()));
        Ok(Self(serde_path_to_error::deserialize(de).map_err(|e| {
            let message = e.inner().to_string();
            named_error(&e.path().to_string(), &message).unwrap_or(Failure::BadRequest)
        })))
    }
}

/// A JSON request body, read strictly: an unknown field, a missing required one or a
/// value of the wrong type is a 422 naming the field by its path (`basic.name`); a body
/// that is not JSON (or not sent as `application/json`) is a 400. Handlers take it with
/// [`body`], so that they decide when to refuse.
pub struct ApiJson<T>(pub WebResult<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Infallible> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                let m = m.trim();
                m.eq_ignore_ascii_case("application/json")
                    || m.to_ascii_lowercase().ends_with("+json")
            });
        if !is_json {
            return Ok(Self(Err(Failure::BadRequest)));
        }
        let Ok(bytes) = Bytes::from_request(req, state).await else {
            return Ok(Self(Err(Failure::BadRequest)));
        };
        Ok(Self(read_json(&bytes)))
    }
}

fn read_json<T: DeserializeOwned>(bytes: &[u8]) -> WebResult<T> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let mut value: serde_json::Value =
        serde::Deserialize::deserialize(&mut de).map_err(|_| Failure::BadRequest)?;
    de.end().map_err(|_| Failure::BadRequest)?;
    whole_numbers(&mut value);
    serde_path_to_error::deserialize(value).map_err(input_error)
}

/// JSON has one kind of number: `5.0` is the integer 5 (as JSON Schema says), so a whole
/// number written with a fraction is read as an integer.
fn whole_numbers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// What a serde error says about the input, without ever quoting a submitted value.
fn input_error(e: serde_path_to_error::Error<serde_json::Error>) -> Failure {
    use serde_json::error::Category;
    if !matches!(e.inner().classify(), Category::Data) {
        tracing::info!("unreadable json body");
        return Failure::BadRequest;
    }
    let path = e.path().to_string();
    let message = e.inner().to_string();
    named_error(&path, &message).unwrap_or_else(|| {
        tracing::info!("json body of the wrong shape");
        Failure::BadRequest
    })
}

/// The field a serde error names, by its path, without ever quoting a submitted value.
fn named_error(path: &str, message: &str) -> Option<Failure> {
    // serde names unknown and missing fields in backticks: `name`. The path already ends
    // in an unknown key; a missing one is named inside the path's object.
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .filter(|n| {
                !n.is_empty()
                    && n.len() <= 64
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .map(|n| join_path(path, n))
    };
    let (field, code) = if let Some(f) = named("unknown field `") {
        (
            if path == "." { f } else { path.to_owned() },
            "field-unknown",
        )
    } else if let Some(f) = named("missing field `") {
        (f, "field-required")
    } else if path != "." {
        (path.to_owned(), "field-invalid")
    } else {
        return None;
    };
    Some(Failure::Input { field, code })
}

fn join_path(path: &str, name: &str) -> String {
    if path == "." || path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// An unknown field named by the client: 422 naming it when the name is a plain
/// identifier (it is echoed in the answer), otherwise a plain 400.
pub(crate) fn unknown_field(path: &str, name: &str) -> Failure {
    let plain = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        Failure::Input {
            field: join_path(path, name),
            code: "field-unknown",
        }
    } else {
        Failure::BadRequest
    }
}

/// The body, or the failure that reading it ended in.
pub(crate) fn body<T>(b: ApiJson<T>) -> WebResult<T> {
    b.0
}

/// 204 when the thing acted on was found, 404 when it was not (or is not the caller's).
pub(crate) fn no_content_or_404(found: bool) -> WebResult<StatusCode> {
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        #[allow(dead_code)]
        name: String,
    }
    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        #[allow(dead_code)]
        basic: Option<Inner>,
        #[allow(dead_code)]
        #[serde(default)]
        tags: Vec<String>,
    }

    fn field_of(body: &str) -> (String, &'static str) {
        match read_json::<Outer>(body.as_bytes()) {
            Err(Failure::Input { field, code }) => (field, code),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn strict_bodies_name_the_field_by_its_path() {
        assert_eq!(
            field_of(r#"{"zz_unknown": "x"}"#),
            ("zz_unknown".into(), "field-unknown")
        );
        assert_eq!(
            field_of(r#"{"basic": {"nmae": "x"}}"#),
            ("basic.nmae".into(), "field-unknown")
        );
        assert_eq!(
            field_of(r#"{"basic": {}}"#),
            ("basic.name".into(), "field-required")
        );
        assert_eq!(
            field_of(r#"{"tags": [1]}"#),
            ("tags[0]".into(), "field-invalid")
        );
        assert!(matches!(
            read_json::<Outer>(b"null"),
            Err(Failure::BadRequest)
        ));
        assert!(matches!(
            read_json::<Outer>(b"{\"basic\": "),
            Err(Failure::BadRequest)
        ));
        assert!(matches!(
            read_json::<Outer>(b"{} {}"),
            Err(Failure::BadRequest)
        ));
        assert!(read_json::<Outer>(br#"{"basic": {"name": "x"}}"#).is_ok());
        #[derive(Debug, serde::Deserialize)]
        struct Hours {
            h: u8,
        }
        assert_eq!(read_json::<Hours>(br#"{"h": 5.0}"#).unwrap().h, 5);
        assert!(matches!(
            read_json::<Hours>(br#"{"h": 5.5}"#),
            Err(Failure::Input { .. })
        ));
    }
}
