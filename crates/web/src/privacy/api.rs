//! The privacy API: settings, provision records, company look-up for blocks.
use crate::api::body;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::profiles::{Privacy, ProvisionRecord};
use store::profiles::{Setting, SettingRefused};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ProvisionRecords {
    pub provision_records: Vec<ProvisionRecord>,
}

/// How to answer: JSON (the default) or CSV for Excel.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RecordsFormat {
    Json,
    Csv,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RecordsQuery {
    /// `csv` for a file Excel opens (UTF-8 with BOM, CRLF).
    #[param(inline)]
    format: Option<RecordsFormat>,
}

/// The provision records, as JSON or as CSV for Excel (UTF-8 with BOM, CRLF).
pub async fn provision_records(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: crate::api::ApiQuery<RecordsQuery>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let q = q.0?;
    let records = app.store.provision_records(v.user_id.clone()).await?;
    if q.format == Some(RecordsFormat::Csv) {
        return Ok(crate::privacy::pages::records_csv(&req.tr(), &records)
            .download("provision-records.csv"));
    }
    Ok(Json(ProvisionRecords {
        provision_records: records,
    })
    .into_response())
}

pub async fn privacy_get(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Privacy>> {
    let v = viewer(&req)?;
    Ok(Json(app.store.privacy(v.user_id.clone()).await?))
}

async fn set(app: &AppState, req: &Req, s: Setting) -> WebResult<Json<Privacy>> {
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
    Ok(Json(app.store.privacy(v.user_id.clone()).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoutsBody {
    /// Whether verified companies may find the seeker and send scouts.
    enabled: bool,
    /// The sections a scouting company sees.
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::ScoutSection>)]
    sections: Vec<String>,
}

pub async fn privacy_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ScoutsBody>,
) -> WebResult<Json<Privacy>> {
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgBody {
    /// The company to block.
    #[serde(default)]
    #[schema(required = true)]
    organization_id: String,
}

pub async fn block_add(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<OrgBody>,
) -> WebResult<Json<Privacy>> {
    set(&app, &req, Setting::Block(body(b)?.organization_id)).await
}

pub async fn block_remove(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(org): Path<String>,
) -> WebResult<Json<Privacy>> {
    set(&app, &req, Setting::Unblock(org)).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// The facility's invitation code.
    #[serde(default)]
    #[schema(required = true, max_length = 64)]
    code: String,
}

pub async fn supporter_link(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<CodeBody>,
) -> WebResult<Json<Privacy>> {
    set(&app, &req, Setting::LinkFacility(body(b)?.code)).await
}

pub async fn supporter_unlink(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Privacy>> {
    set(&app, &req, Setting::UnlinkFacility).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharesBody {
    /// What the family member may see (none: nothing).
    #[serde(default)]
    #[schema(value_type = Vec<crate::openapi::FamilyCategory>)]
    categories: Vec<String>,
}

pub async fn family_shares(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(family_id): Path<String>,
    b: crate::api::ApiJson<SharesBody>,
) -> WebResult<Json<Privacy>> {
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
) -> WebResult<Json<Privacy>> {
    set(&app, &req, Setting::WithdrawPartner(org)).await
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CompaniesQuery {
    /// Part of the company's name.
    #[param(max_length = 100)]
    q: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CompanyList {
    pub companies: Vec<store::profiles::OrgRef>,
}

pub async fn companies(
    State(app): State<AppState>,
    q: crate::api::ApiQuery<CompaniesQuery>,
) -> WebResult<Json<CompanyList>> {
    let name = q.0?.q.unwrap_or_default();
    let list = if name.trim().is_empty() {
        Vec::new()
    } else {
        app.store.companies_named(name).await?
    };
    Ok(Json(CompanyList { companies: list }))
}
