//! The billing API: the billing staff's plans, organisations, runs, invoices and
//! payments; an organisation admin's invoices.
use crate::AppState;
use crate::api::{ApiJson, body};
use crate::error::{Failure, WebResult};
use crate::request::{Req, viewer};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};
use store::billing::{Billed, Invoice, InvoiceSummary, Plan, RunReport};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct PlanList {
    pub plans: Vec<Plan>,
}

#[derive(Serialize, ToSchema)]
pub struct BilledList {
    pub organizations: Vec<Billed>,
}

#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    pub invoices: Vec<InvoiceSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanCreated {
    pub id: String,
}

#[derive(Serialize, ToSchema)]
pub struct RunAnswer {
    /// `YYYY-MM`.
    pub month: String,
    pub report: RunReport,
}

/// A new plan (amounts in whole yen before tax).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanBody {
    /// Who pays it: `company` or `facility`.
    #[serde(default)]
    #[schema(required = true, pattern = "^(company|facility)$")]
    pub org_kind: String,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 60, pattern = r"\S")]
    pub name: String,
    /// Yen per month before tax.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub monthly_fee: i64,
    /// Yen per hire before tax (companies only).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 10_000_000)]
    pub success_fee: i64,
}

/// The plan an organisation is put on, from a month on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPlanBody {
    #[serde(default)]
    #[schema(required = true, min_length = 1)]
    pub plan_id: String,
    /// `YYYY-MM`: the first month billed on it.
    #[serde(default)]
    #[schema(required = true, pattern = "^20[0-9]{2}-(0[1-9]|1[0-2])$")]
    pub since_month: String,
}

/// The month to issue invoices for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RunBody {
    /// `YYYY-MM`, a month that has ended.
    #[serde(default)]
    #[schema(required = true, pattern = "^20[0-9]{2}-(0[1-9]|1[0-2])$")]
    pub month: String,
}

/// The day a payment arrived.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentBody {
    /// `YYYY-MM-DD`, not in the future and not before the invoice.
    #[serde(default)]
    #[schema(required = true, value_type = domain::profile::Date)]
    pub paid_on: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM` (default: the last month that has ended).
    #[param(pattern = "^20[0-9]{2}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

pub async fn plans(State(app): State<AppState>) -> WebResult<Json<PlanList>> {
    Ok(Json(PlanList {
        plans: app.store.billing_plans().await?,
    }))
}

pub async fn plan_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<PlanBody>,
) -> WebResult<Response> {
    let b = body(b)?;
    let id = super::operator::create_plan(
        &app,
        &req,
        &b.org_kind,
        &b.name,
        &b.monthly_fee.to_string(),
        &b.success_fee.to_string(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(PlanCreated { id })).into_response())
}

pub async fn organizations(State(app): State<AppState>) -> WebResult<Json<BilledList>> {
    Ok(Json(BilledList {
        organizations: app.store.billing_organizations().await?,
    }))
}

pub async fn set_plan(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<SetPlanBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    super::operator::set_plan(&app, &req, id, &b.plan_id, &b.since_month).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn run(State(app): State<AppState>, b: ApiJson<RunBody>) -> WebResult<Json<RunAnswer>> {
    let b = body(b)?;
    let (month, report) = super::operator::run(&app, &b.month).await?;
    Ok(Json(RunAnswer {
        month: month.to_string(),
        report,
    }))
}

pub async fn invoices(
    State(app): State<AppState>,
    Query(q): Query<MonthQuery>,
) -> WebResult<Json<InvoiceList>> {
    let month = match q.month.as_deref() {
        None => domain::billing::Month::last_ended(crate::jst::today()),
        Some(m) => domain::billing::Month::parse(m)
            .ok_or_else(|| Failure::field("month", "billing-month-invalid"))?,
    };
    Ok(Json(InvoiceList {
        invoices: app.store.invoices_of_month(month).await?,
    }))
}

pub async fn invoice(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> WebResult<Json<Invoice>> {
    Ok(Json(
        app.store
            .invoice(id, None)
            .await?
            .ok_or(Failure::NotFound)?,
    ))
}

pub async fn payment(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<PaymentBody>,
) -> WebResult<Json<Invoice>> {
    let b = body(b)?;
    super::operator::record_paid(&app, &req, id.clone(), &b.paid_on).await?;
    Ok(Json(
        app.store
            .invoice(id, None)
            .await?
            .ok_or(Failure::NotFound)?,
    ))
}

// ------------------------------------------------------------------ an organisation's admin

pub async fn my_invoices(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<InvoiceList>> {
    let v = viewer(&req)?;
    Ok(Json(InvoiceList {
        invoices: app.store.invoices_of_admin(v.user_id.clone()).await?,
    }))
}

pub async fn my_invoice(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Json<Invoice>> {
    let v = viewer(&req)?;
    Ok(Json(
        app.store
            .invoice(id, Some(v.user_id.clone()))
            .await?
            .ok_or(Failure::NotFound)?,
    ))
}
