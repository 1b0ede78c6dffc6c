//! The seeker's side of applying, as pages: one question per page (how disability is
//! disclosed, with exactly what the company will see; then an optional message and
//! whether the linked supporter takes part), a check page, and the list of applications
//! with the stage the seeker sees and a way to withdraw.
//!
//! The steps carry their answers forward in the forms themselves (nothing is stored
//! until the seeker sends the check page), so going back loses nothing.
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::jst::{date_text, today};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::ConsentKind;
use domain::disclosure::{Openness, ProfileRel, profile_items, profile_view};
use domain::hiring::{Mover, Stage};
use domain::jobs::Source;
use std::collections::HashMap;
use store::hiring::ApplyRefused;

/// What the company will see under one choice: (label, value) lines.
type Preview = Vec<(String, String)>;

#[derive(Template)]
#[template(path = "apply_openness.html")]
struct OpennessPage {
    c: Chrome,
    id: String,
    title: String,
    company: String,
    chosen: String,
    /// (value, label, hint, preview)
    choices: Vec<(String, String, String, Preview)>,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "apply_message.html")]
struct MessagePage {
    c: Chrome,
    id: String,
    title: String,
    openness: String,
    message: String,
    supporter: Option<String>,
    supporter_joins: bool,
    errors: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "apply_check.html")]
struct CheckPage {
    c: Chrome,
    id: String,
    title: String,
    company: String,
    openness: String,
    openness_label: String,
    preview: Preview,
    message: String,
    supporter: Option<String>,
    supporter_joins: bool,
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListPage {
    c: Chrome,
    list: Vec<Row>,
}

/// One application as the list shows it.
struct Row {
    id: String,
    posting: Option<String>,
    title: String,
    company: String,
    openness: String,
    stage: String,
    when: String,
    may_withdraw: bool,
}

/// The posting, if it takes applications: (title, company name).
async fn open_posting(app: &AppState, id: &str) -> WebResult<(String, String)> {
    let row = app
        .store
        .posting(id.to_owned())
        .await?
        .filter(|r| r.is_public(now(), app.cfg.stale_after_days))
        .ok_or(Failure::NotFound)?;
    Ok((row.title, row.org_name))
}

/// Exactly what a company would see of the seeker under `o` (the disclosure policy's
/// items for an applicant, rendered from the seeker's own profile).
async fn preview(app: &AppState, req: &Req, o: Openness) -> WebResult<Preview> {
    let v = viewer(req)?;
    let profile = app.store.own_profile(v.user_id.clone()).await?;
    let sensitive = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    let name = app
        .store
        .me(v.user_id.clone())
        .await?
        .map(|m| m.name)
        .unwrap_or_default();
    let items = profile_items(&ProfileRel::Applicant(o), sensitive);
    let fields = profile_view(&items, &profile, &name, today());
    Ok(crate::profiles::pages::lines(&req.tr(), &items, &fields))
}

pub(crate) async fn supporter_name(app: &AppState, req: &Req) -> WebResult<Option<String>> {
    let v = viewer(req)?;
    Ok(app
        .store
        .privacy(v.user_id.clone())
        .await?
        .supporter
        .map(|s| s.name))
}

fn openness_of(f: &Vec<(String, String)>) -> Option<Openness> {
    Openness::parse(Source::one(f, "openness"))
}

async fn openness_page(
    app: &AppState,
    req: &Req,
    id: String,
    chosen: String,
    errors: Vec<(String, String)>,
) -> WebResult<Response> {
    let (title, company) = open_posting(app, &id).await?;
    let tr = req.tr();
    let mut choices = Vec::new();
    for o in [Openness::Open, Openness::Closed] {
        let k = o.as_str();
        choices.push((
            k.to_owned(),
            tr.t(&format!("apply-openness-{k}")),
            tr.t(&format!("apply-openness-{k}-hint")),
            preview(app, req, o).await?,
        ));
    }
    Ok(html(&OpennessPage {
        c: Chrome::new(req),
        id,
        title,
        company,
        chosen,
        choices,
        errors,
    }))
}

/// Step 1: open or closed, each with what the company will see.
pub async fn apply_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let chosen = q
        .get("openness")
        .and_then(|o| Openness::parse(o))
        .map(|o| o.as_str().to_owned())
        .unwrap_or_default();
    openness_page(&app, &req, id, chosen, vec![]).await
}

/// Step 2: the optional message, and whether the linked supporter takes part.
pub async fn apply_message(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let Some(o) = openness_of(&f) else {
        let tr = req.tr();
        let errors = vec![("openness".to_owned(), tr.t("err-openness-required"))];
        return openness_page(&app, &req, id, String::new(), errors).await;
    };
    let (title, _) = open_posting(&app, &id).await?;
    Ok(html(&MessagePage {
        c: Chrome::new(&req),
        id,
        title,
        openness: o.as_str().to_owned(),
        message: Source::one(&f, "message").to_owned(),
        supporter: supporter_name(&app, &req).await?,
        supporter_joins: !Source::one(&f, "supporter_joins").is_empty(),
        errors: vec![],
    }))
}

fn message_errors(req: &Req, message: &str) -> Vec<(String, String)> {
    if message.trim().chars().count() > 2000 {
        vec![("message".to_owned(), req.tr().t("err-text-too-long"))]
    } else {
        vec![]
    }
}

/// The check page: every answer, with the view the company will get.
pub async fn apply_check(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let o = openness_of(&f).ok_or(Failure::BadRequest)?;
    let (title, company) = open_posting(&app, &id).await?;
    let message = Source::one(&f, "message").trim().to_owned();
    let supporter = supporter_name(&app, &req).await?;
    let supporter_joins = supporter.is_some() && !Source::one(&f, "supporter_joins").is_empty();
    let errors = message_errors(&req, &message);
    if !errors.is_empty() {
        return Ok(html(&MessagePage {
            c: Chrome::new(&req),
            id,
            title,
            openness: o.as_str().to_owned(),
            message,
            supporter,
            supporter_joins,
            errors,
        }));
    }
    Ok(html(&CheckPage {
        c: Chrome::new(&req),
        openness_label: req.tr().t(&format!("apply-openness-{}", o.as_str())),
        preview: preview(&app, &req, o).await?,
        id,
        title,
        company,
        openness: o.as_str().to_owned(),
        message,
        supporter,
        supporter_joins,
    }))
}

/// Sends the application.
pub async fn apply_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let o = openness_of(&f).ok_or(Failure::BadRequest)?;
    let message = Source::one(&f, "message").trim().to_owned();
    if !message_errors(&req, &message).is_empty() {
        return Err(Failure::field("message", "text-too-long"));
    }
    let joins = !Source::one(&f, "supporter_joins").is_empty()
        && supporter_name(&app, &req).await?.is_some();
    match app
        .store
        .apply_to_posting(
            v.user_id.clone(),
            id,
            o,
            message,
            joins,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
    {
        Ok(_) => Ok(see_other("/applications?m=application-sent")),
        Err(ApplyRefused::AlreadyApplied) => Ok(see_other("/applications?m=already-applied")),
        Err(ApplyRefused::NoPosting) => Err(Failure::NotFound),
    }
}

/// The seeker's applications.
pub async fn my_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = app
        .store
        .my_applications(v.user_id.clone())
        .await?
        .into_iter()
        .map(|a| Row {
            may_withdraw: a.stage.may_move(Stage::Withdrawn, Mover::Seeker),
            id: a.id,
            posting: a.posting_id,
            title: a.posting_title.unwrap_or_else(|| tr.t("apply-no-posting")),
            company: a.company_name,
            openness: tr.t(&format!("apply-openness-{}", a.openness.as_str())),
            stage: tr.t(&format!("stage-{}", a.stage.as_str())),
            when: date_text(a.created_at, tr.lang),
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "application-sent",
                "already-applied",
                "application-withdrawn",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    Ok(html(&ListPage {
        c: Chrome::new(&req).flash(flash),
        list,
    }))
}

/// The seeker withdraws (辞退).
pub async fn withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .withdraw_own_application(v.user_id.clone(), id, app.notice(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/applications?m=application-withdrawn"))
}
