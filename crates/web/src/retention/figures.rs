//! Retention figures (定着率): the company records when someone leaves (the last day
//! worked and why); the company and the facility read their figures at 6 months, 1 year
//! and 3.5 years with the number of people counted, on a page and as CSV for Excel. The
//! rule is `domain::retention::figures`; the figures are counts, no one's data.
use crate::api::{ApiJson, ApiQuery, body};
use crate::csv::Csv;
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, field_errors, see_other};
use crate::i18n::Tr;
use crate::jst::today;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form, Json};
use domain::jobs::Source;
use domain::profile::Date;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::retention::{Cohort, EndRefused, Retention};
use utoipa::{IntoParams, ToSchema};

/// Why someone left.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    OwnReasons,
    Health,
    Company,
    ContractEnd,
    Transfer,
    Other,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndBody {
    /// The last day worked (today or earlier, not before the first day).
    pub end_date: Date,
    pub reason: EndReason,
}

pub(crate) fn refused(r: EndRefused) -> Failure {
    match r {
        EndRefused::NotFound => Failure::NotFound,
        EndRefused::Ended => Failure::Conflict("employment-ended"),
        EndRefused::Invalid(f) => Failure::Fields(f),
    }
}

async fn end(app: &AppState, req: &Req, id: String, day: String, reason: String) -> WebResult<()> {
    let v = viewer(req)?;
    app.store
        .end_employment(
            v.user_id.clone(),
            id,
            day,
            reason,
            today(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .map_err(refused)
}

/// The company records that someone left.
pub async fn end_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: ApiJson<EndBody>,
) -> WebResult<StatusCode> {
    let b = body(b)?;
    let reason = serde_json::to_value(b.reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    end(&app, &req, id, b.end_date.to_string(), reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The same from the three-party page; a problem comes back there, tied to its field.
pub async fn end_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let day = Source::one(&f, "end_date").to_owned();
    let reason = Source::one(&f, "reason").to_owned();
    match end(&app, &req, id.clone(), day, reason).await {
        Ok(()) => Ok(see_other("/employer/retention?m=employment-ended")),
        Err(Failure::Fields(fs)) => {
            let errors = field_errors(&req.tr(), &fs);
            super::team::render_with_errors(&app, &req, id, errors).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// `csv` for a file Excel opens (UTF-8 with BOM, CRLF).
    #[param(inline)]
    pub format: Option<crate::privacy::api::RecordsFormat>,
}

#[derive(Serialize, ToSchema)]
pub struct Figures {
    /// One per organisation the viewer belongs to.
    pub organizations: Vec<Retention>,
    /// The day the figures are counted at (Japan).
    pub as_of: String,
}

/// The figures as CSV: one row per organisation and horizon.
fn csv(tr: &Tr, list: &[Retention], as_of: Date) -> Csv {
    let mut out = Csv::new();
    out.row([
        tr.t("ret-csv-org"),
        tr.t("ret-csv-horizon"),
        tr.t("ret-csv-counted"),
        tr.t("ret-csv-retained"),
        tr.t("ret-csv-percent"),
        tr.t("ret-csv-as-of"),
    ]);
    for r in list {
        for f in &r.figures {
            out.row([
                r.organization_name.clone(),
                tr.t(&format!("ret-horizon-{}", f.months)),
                f.counted.to_string(),
                f.retained.to_string(),
                f.percent().map(|p| p.to_string()).unwrap_or_default(),
                as_of.to_string(),
            ]);
        }
    }
    out
}

async fn answer(app: &AppState, req: &Req, kind: Cohort, csv_wanted: bool) -> WebResult<Response> {
    let v = viewer(req)?;
    let day = today();
    let list = app
        .store
        .retention_figures(v.user_id.clone(), kind, day)
        .await?;
    if csv_wanted {
        return Ok(csv(&req.tr(), &list, day).download("retention.csv"));
    }
    Ok(Json(Figures {
        organizations: list,
        as_of: day.to_string(),
    })
    .into_response())
}

pub async fn company_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: ApiQuery<FiguresQuery>,
) -> WebResult<Response> {
    let q = q.0?;
    let c = q.format == Some(crate::privacy::api::RecordsFormat::Csv);
    answer(&app, &req, Cohort::Company, c).await
}

pub async fn facility_api(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: ApiQuery<FiguresQuery>,
) -> WebResult<Response> {
    let q = q.0?;
    let c = q.format == Some(crate::privacy::api::RecordsFormat::Csv);
    answer(&app, &req, Cohort::Facility, c).await
}

/// One row of the page's table.
struct Line {
    horizon: String,
    counted: u32,
    retained: u32,
    percent: String,
}

#[derive(Template)]
#[template(path = "retention_figures.html")]
struct FiguresPage {
    c: Chrome,
    facility: bool,
    as_of: String,
    orgs: Vec<(Retention, Vec<Line>)>,
    csv_href: &'static str,
}

async fn page(
    app: &AppState,
    req: &Req,
    kind: Cohort,
    q: &HashMap<String, String>,
) -> WebResult<Response> {
    if q.get("format").is_some_and(|f| f == "csv") {
        return answer(app, req, kind, true).await;
    }
    let v = viewer(req)?;
    let tr = req.tr();
    let day = today();
    let list = app
        .store
        .retention_figures(v.user_id.clone(), kind, day)
        .await?;
    let facility = kind == Cohort::Facility;
    Ok(html(&FiguresPage {
        c: Chrome::new(req).flash(
            q.get("m")
                .filter(|m| m.as_str() == "employment-ended")
                .map(String::as_str),
        ),
        facility,
        as_of: crate::jst::day_text(day, tr.lang),
        csv_href: if facility {
            "/facility/retention?format=csv"
        } else {
            "/employer/retention?format=csv"
        },
        orgs: list
            .into_iter()
            .map(|r| {
                let lines = r
                    .figures
                    .iter()
                    .map(|f| Line {
                        horizon: tr.t(&format!("ret-horizon-{}", f.months)),
                        counted: f.counted,
                        retained: f.retained,
                        percent: f
                            .percent()
                            .map(|p| format!("{p}%"))
                            .unwrap_or_else(|| tr.t("ret-none-yet")),
                    })
                    .collect();
                (r, lines)
            })
            .collect(),
    })
    .into_response())
}

pub async fn company_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    page(&app, &req, Cohort::Company, &q).await
}

pub async fn facility_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    page(&app, &req, Cohort::Facility, &q).await
}
