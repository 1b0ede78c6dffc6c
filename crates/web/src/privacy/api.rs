//! The privacy API: settings, provision records, company look-up for blocks.
use crate::api::body;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{Value, json};
use store::profiles::{Setting, SettingRefused};

/// The provision records, as JSON or as CSV for Excel (UTF-8 with BOM, CRLF).
pub async fn provision_records(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    if q.get("format").map(String::as_str) == Some("csv") {
        let body = crate::privacy::pages::records_csv(&req.tr(), &records);
        return Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"provision-records.csv\"",
                ),
            ],
            body,
        )
            .into_response());
    }
    Ok(Json(json!({ "provision_records": records })).into_response())
}

pub async fn privacy_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    let v = viewer(&req)?;
    let p = app.store.privacy(v.user_id.clone()).await?;
    Ok(Json(
        serde_json::to_value(p).map_err(|_| Failure::Internal)?,
    ))
}

async fn set(app: &AppState, req: &Req, s: Setting) -> WebResult<Json<Value>> {
    let v = viewer(req)?;
    match app
        .store
        .privacy_set(v.user_id.clone(), s, "api", req.ctx.clone(), now())
        .await?
    {
        Ok(()) => {}
        Err(SettingRefused::UnknownCode) => return Err(Failure::field("code", "code-unknown")),
        Err(SettingRefused::UnknownOrganization) => {
            return Err(Failure::field("organization_id", "organization-unknown"));
        }
        Err(SettingRefused::UnknownFamily) => {
            return Err(Failure::field("categories", "family-unknown"));
        }
        Err(SettingRefused::UnknownSection) => {
            return Err(Failure::field("sections", "section-unknown"));
        }
    }
    let p = app.store.privacy(v.user_id.clone()).await?;
    Ok(Json(
        serde_json::to_value(p).map_err(|_| Failure::Internal)?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoutsBody {
    enabled: bool,
    #[serde(default)]
    sections: Vec<String>,
}

pub async fn privacy_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ScoutsBody>,
) -> WebResult<Json<Value>> {
    let b = body(b)?;
    set(
        &app,
        &req,
        Setting::Scouts {
            enabled: b.enabled,
            sections: b.sections,
        },
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgBody {
    #[serde(default)]
    organization_id: String,
}

pub async fn block_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<OrgBody>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::Block(body(b)?.organization_id)).await
}

pub async fn block_remove(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(org): Path<String>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::Unblock(org)).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    #[serde(default)]
    code: String,
}

pub async fn supporter_link(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<CodeBody>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::LinkFacility(body(b)?.code)).await
}

pub async fn supporter_unlink(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::UnlinkFacility).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharesBody {
    #[serde(default)]
    categories: Vec<String>,
}

pub async fn family_shares(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(family_id): Path<String>,
    b: crate::api::ApiJson<SharesBody>,
) -> WebResult<Json<Value>> {
    set(
        &app,
        &req,
        Setting::FamilyShares {
            family_id,
            categories: body(b)?.categories,
        },
    )
    .await
}

pub async fn partner_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(org): Path<String>,
) -> WebResult<Json<Value>> {
    set(&app, &req, Setting::WithdrawPartner(org)).await
}

pub async fn companies(
    State(app): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> WebResult<Json<Value>> {
    let name = q.get("q").cloned().unwrap_or_default();
    let list = if name.trim().is_empty() {
        Vec::new()
    } else {
        app.store.companies_named(name).await?
    };
    Ok(Json(json!({ "companies": list })))
}
