//! Supporters propose a section change (forms prefilled from the door's view); the seeker decides.
use crate::error::{Failure, WebResult};
use crate::forms::FormData;
use crate::forms::field_errors;
use crate::forms::see_other;
use crate::jst::today;
use crate::profiles::pages::EditPage;
use crate::profiles::pages::all_errors;
use crate::profiles::pages::options;
use crate::profiles::pages::parse_form;
use crate::profiles::pages::section_of;
use crate::profiles::pages::typed;
use crate::profiles::pages::values_of;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::profile::Section;
use std::collections::HashMap;

// ------------------------------------------------------------------ supporter drafts

fn draft_page(
    req: &Req,
    seeker: &str,
    s: Section,
    values: HashMap<String, String>,
    multi: HashMap<String, Vec<String>>,
    errors: Vec<(String, String)>,
) -> EditPage {
    let tr = req.tr();
    EditPage {
        c: Chrome::new(req),
        action: format!("/seekers/{seeker}/draft/{}", s.as_str()),
        back: (format!("/seekers/{seeker}"), tr.t("back-to-seeker")),
        lead: tr.t("draft-lead"),
        section: s,
        locked: false,
        values,
        multi,
        errors,
        warnings: vec![],
        options: options(req.lang),
    }
}

pub async fn draft_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((seeker, section)): Path<(String, String)>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let base = app
        .store
        .draft_base(
            v.user_id.clone(),
            seeker.clone(),
            s,
            req.ctx.clone(),
            today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?;
    let (values, multi) = values_of(&base.view().profile, s, "");
    Ok(html(&draft_page(&req, &seeker, s, values, multi, vec![])))
}

pub async fn draft_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path((seeker, section)): Path<(String, String)>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let s = section_of(&section)?;
    let (p, parse_errors) = parse_form(s, &f);
    let checked = if parse_errors.is_empty() {
        domain::profile::validate(&p, s)
            .map(|(part, _)| part)
            .map_err(Failure::Fields)
    } else {
        Err(all_errors(parse_errors, &p, s))
    };
    match checked {
        Ok(part) => {
            app.store
                .draft_section(v.user_id.clone(), seeker.clone(), part, s, now())
                .await?
                .ok_or(Failure::NotFound)?;
            Ok(see_other(&format!("/seekers/{seeker}?m=draft-sent")))
        }
        Err(Failure::Fields(fields)) => {
            let (values, multi) = typed(&f);
            let page = draft_page(
                &req,
                &seeker,
                s,
                values,
                multi,
                field_errors(&req.tr(), &fields),
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(other) => Err(other),
    }
}

pub async fn draft_approve(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    decide(app, req, id, true).await
}

pub async fn draft_reject(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    decide(app, req, id, false).await
}

async fn decide(app: AppState, req: Req, id: String, approve: bool) -> WebResult<Response> {
    let v = viewer(&req)?;
    match app
        .store
        .decide_draft(v.user_id.clone(), id, approve, req.ctx.clone(), now())
        .await?
    {
        Some(Ok(())) => Ok(see_other(if approve {
            "/profile?m=draft-approved"
        } else {
            "/profile?m=draft-rejected"
        })),
        Some(Err(_)) => Err(Failure::Conflict("err-sensitive-consent-required")),
        None => Err(Failure::NotFound),
    }
}
