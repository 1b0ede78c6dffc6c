//! Reports of inaccurate postings (求人情報の的確表示), open to anyone.
use crate::error::{Failure, WebResult};
use crate::forms::Builder;
use crate::forms::Field;
use crate::forms::FormData;
use crate::forms::errors_map;
use crate::forms::keyed;
use crate::forms::see_other;
use crate::request::Req;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::Fields;
use domain::jobs::{self, REPORT_REASONS};

// ------------------------------------------------------------------ reports

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    id: String,
    title: String,
    fields: Vec<Field>,
    errors: Vec<(String, String)>,
}

fn report_page(
    req: &Req,
    id: String,
    title: String,
    typed: &[(String, String)],
    f: &Fields,
) -> ReportPage {
    let tr = req.tr();
    let (map, errors) = errors_map(&tr, f);
    let b = Builder {
        tr: &tr,
        prefix: "rf",
        typed,
        errors: map,
    };
    ReportPage {
        c: Chrome::new(req),
        id,
        title,
        fields: vec![
            b.radios("reason", keyed(&tr, "report-reason", REPORT_REASONS)),
            b.area("detail"),
        ],
        errors,
    }
}

pub async fn report_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let card = app.index().await.card(&id).ok_or(Failure::NotFound)?;
    Ok(html(&report_page(
        &req,
        id,
        card.title.clone(),
        &[],
        &Fields::new(),
    )))
}

/// Checks a report; the reason must be one of the list.
pub fn report_fields(reason: &str, detail: &str) -> Result<(String, String), Fields> {
    let mut f = Fields::new();
    if !REPORT_REASONS.contains(&reason) {
        f.add("reason", "report-reason-required");
    }
    if detail.trim().chars().count() > 2000 {
        f.add("detail", "text-too-long");
    }
    f.into_result()
        .map(|()| (reason.to_owned(), detail.trim().to_owned()))
}

pub async fn report_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let card = app.index().await.card(&id).ok_or(Failure::NotFound)?;
    let one = |k: &str| jobs::Source::one(&f, k).to_owned();
    match report_fields(&one("reason"), &one("detail")) {
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&report_page(&req, id, card.title.clone(), &f, &e)),
        )
            .into_response()),
        Ok((reason, detail)) => {
            app.store
                .report_posting(id.clone(), reason, detail, now())
                .await?;
            Ok(see_other(&format!("/jobs/{id}/reported")))
        }
    }
}

pub async fn reported(
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let c = Chrome::new(&req);
    Ok(html(&crate::view::MessagePage {
        title: c.a("report-thanks-title"),
        message: c.a("report-thanks"),
        alert: false,
        links: vec![
            (format!("/jobs/{id}"), c.a("back-to-job")),
            ("/jobs".into(), c.a("nav-jobs")),
        ],
        c,
    }))
}
