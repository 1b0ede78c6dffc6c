//! The accessibility statement (アクセシビリティ方針) and the form to report a barrier,
//! which reaches the operator.
use crate::error::{Failure, WebResult};
use crate::forms::Builder;
use crate::forms::Field;
use crate::forms::errors_map;
use crate::forms::see_other;
use crate::request::Req;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::Fields;
use domain::jobs::Source;
use std::collections::HashMap;
use store::accessibility::BarrierReport;

#[derive(Template)]
#[template(path = "accessibility.html")]
struct StatementPage {
    c: Chrome,
    fields: Vec<Field>,
    errors: Vec<(String, String)>,
}

fn page(req: &Req, typed: &[(String, String)], f: &Fields, flash: Option<&str>) -> StatementPage {
    let tr = req.tr();
    let (map, errors) = errors_map(&tr, f);
    let b = Builder {
        tr: &tr,
        prefix: "af",
        typed,
        errors: map,
    };
    StatementPage {
        c: Chrome::new(req).flash(flash),
        fields: vec![
            b.text("page"),
            b.area("description"),
            b.auto("contact", "email"),
        ],
        errors,
    }
}

/// Checks a report: what happened is required; a reply address, if given, must be one.
pub fn parse(f: &Vec<(String, String)>) -> Result<BarrierReport, Fields> {
    let mut e = Fields::new();
    let page = f.one("page").trim().to_owned();
    let description = f.one("description").trim().to_owned();
    let contact = f.one("contact").trim().to_owned();
    if page.chars().count() > 300 {
        e.add("page", "text-too-long");
    }
    if description.is_empty() {
        e.add("description", "barrier-description-required");
    } else if description.chars().count() > 4000 {
        e.add("description", "text-too-long");
    }
    if !contact.is_empty() && domain::validate::Email::parse(&contact).is_err() {
        e.add("contact", "email-invalid");
    }
    e.into_result().map(|()| BarrierReport {
        id: String::new(),
        page,
        description,
        contact,
        created_at: 0,
    })
}

pub async fn statement(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "barrier-sent")
        .map(String::as_str);
    Ok(html(&page(&req, &[], &Fields::new(), flash)))
}

pub async fn report(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    match parse(&f) {
        Ok(r) => {
            app.store.report_barrier(r, now()).await?;
            Ok(see_other("/accessibility?m=barrier-sent#report"))
        }
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            html(&page(&req, &f, &e, None)),
        )
            .into_response()),
    }
}

pub async fn resolve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = req.viewer.as_ref().ok_or(Failure::Unauthorized)?;
    if !app
        .store
        .resolve_barrier(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/operator?m=barrier-resolved"))
}
