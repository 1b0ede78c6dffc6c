//! The incident register, the privacy officer's pages: the list by deadline and the
//! form of a new incident; each incident with what the rules say (reportable or not and
//! why, the deadlines, overdue marks), the people it touched (listed from the access log
//! or everyone, counted, never shown), the items of the report to the PPC, the draft of
//! the notice to each person and the steps marked done. The rules are
//! `domain::incidents`; the register is `store::incidents`.
use crate::accounts::{FormData, field};
use crate::error::{Failure, WebResult};
use crate::forms::{field_errors, see_other};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, mail, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, RawForm, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::incidents::{Cause, DataKind, IncidentForm, ReportItems, parse_local};
use std::collections::HashMap;
use store::incidents::{Incident, Scope, Step};

/// Status messages of the incident pages.
const FLASH: &[&str] = &[
    "incident-created",
    "incident-scoped",
    "incident-report-saved",
    "incident-marked",
    "incident-notified",
];

fn flash(q: &HashMap<String, String>) -> Option<&'static str> {
    crate::accounts::flash_in(q, FLASH)
}

#[derive(Template)]
#[template(path = "operator_incidents.html")]
struct ListPage {
    c: Chrome,
    incidents: Vec<Incident>,
    errors: Vec<(String, String)>,
    form: HashMap<String, String>,
    kinds: Vec<String>,
    now: i64,
}

impl ListPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    fn v(&self, k: &str) -> &str {
        self.form.get(k).map(String::as_str).unwrap_or("")
    }
    fn is_cause(&self, k: &str) -> bool {
        self.v("cause") == k
    }
    fn checked(&self, k: &str) -> bool {
        self.kinds.iter().any(|x| x == k)
    }
    fn all_kinds(&self) -> Vec<&'static str> {
        DataKind::ALL.iter().map(|k| k.as_str()).collect()
    }
    fn all_causes(&self) -> Vec<&'static str> {
        Cause::ALL.iter().map(|k| k.as_str()).collect()
    }
}

async fn list(
    app: &AppState,
    req: &Req,
    errors: Vec<(String, String)>,
    form: Vec<(String, String)>,
    flash: Option<&'static str>,
) -> WebResult<ListPage> {
    let kinds = form
        .iter()
        .filter(|(k, _)| k == "kinds")
        .map(|(_, v)| v.clone())
        .collect();
    Ok(ListPage {
        c: Chrome::new(req).flash(flash),
        incidents: app.store.incident_list().await?,
        errors,
        form: form.into_iter().collect(),
        kinds,
        now: now(),
    })
}

pub async fn list_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    Ok(html(
        &list(&app, &req, Vec::new(), Vec::new(), flash(&q)).await?,
    ))
}

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(raw).unwrap_or_default()
}

pub async fn create_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    RawForm(raw): RawForm,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let form = pairs(&raw);
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let raw_form = IncidentForm {
        summary: get("summary"),
        kinds: form
            .iter()
            .filter(|(k, _)| k == "kinds")
            .map(|(_, v)| v.as_str())
            .collect(),
        cause: get("cause"),
        cause_detail: get("cause_detail"),
        found_at: get("found_at"),
        people_estimate: get("people_estimate"),
        financial_risk: get("financial_risk") == "on",
        encrypted: get("encrypted") == "on",
    };
    match domain::incidents::check_incident(&raw_form, now()) {
        Ok(d) => {
            let id = app
                .store
                .incident_create(v.user_id.clone(), d, now())
                .await?;
            Ok(see_other(&format!(
                "/operator/incidents/{id}?m=incident-created"
            )))
        }
        Err(fields) => {
            let errors = field_errors(&req.tr(), &fields);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                html(&list(&app, &req, errors, form, None).await?),
            )
                .into_response())
        }
    }
}

#[derive(Template)]
#[template(path = "operator_incident.html")]
struct IncidentPage {
    c: Chrome,
    i: Incident,
    errors: Vec<(String, String)>,
    form: HashMap<String, String>,
    /// The notice each person gets, as written now (subject, body).
    notice: (String, String),
    now: i64,
}

impl IncidentPage {
    fn error(&self, f: &str) -> Option<&str> {
        crate::forms::error_in(&self.errors, f)
    }
    /// A form value: as sent (after a refusal), else the report's.
    fn v<'a>(&'a self, k: &str) -> &'a str {
        if let Some(v) = self.form.get(k) {
            return v;
        }
        let r = &self.i.report;
        match k {
            "secondary_damage" => &r.secondary_damage,
            "response_to_people" => &r.response_to_people,
            "publication" => &r.publication,
            "prevention" => &r.prevention,
            "other" => &r.other,
            _ => "",
        }
    }
    fn scope_fields(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("from", "datetime-local"),
            ("until", "datetime-local"),
            ("actor", "text"),
        ]
    }
    /// The steps of the response and whether each is done.
    fn steps(&self) -> Vec<(&'static str, bool)> {
        vec![
            ("preliminary", self.i.preliminary_reported_at.is_some()),
            ("final", self.i.final_reported_at.is_some()),
            ("closed", self.i.closed_at.is_some()),
        ]
    }
    fn report_fields(&self) -> Vec<&'static str> {
        vec![
            "secondary_damage",
            "response_to_people",
            "publication",
            "prevention",
            "other",
        ]
    }
}

async fn incident(app: &AppState, id: String) -> WebResult<Incident> {
    app.store.incident_get(id).await?.ok_or(Failure::NotFound)
}

async fn detail(
    app: &AppState,
    req: &Req,
    id: String,
    errors: Vec<(String, String)>,
    form: Vec<(String, String)>,
    flash: Option<&'static str>,
) -> WebResult<IncidentPage> {
    let i = incident(app, id).await?;
    let desk = app.cfg.operator.desk.clone().unwrap_or_default();
    let m = mail::incident_notice(&app.cfg.public_url, &desk, req.lang.as_str(), &i);
    Ok(IncidentPage {
        c: Chrome::new(req).flash(flash),
        notice: (m.subject, m.text),
        i,
        errors,
        form: form.into_iter().collect(),
        now: now(),
    })
}

pub async fn incident_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    Ok(html(
        &detail(&app, &req, id, Vec::new(), Vec::new(), flash(&q)).await?,
    ))
}

async fn refused(
    app: &AppState,
    req: &Req,
    id: String,
    fields: domain::Fields,
    form: Vec<(String, String)>,
) -> WebResult<Response> {
    let errors = field_errors(&req.tr(), &fields);
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        html(&detail(app, req, id, errors, form, None).await?),
    )
        .into_response())
}

/// Lists the people touched: from the access log within a time window (by one account
/// only, when given), or everyone with an account at the window's end.
pub async fn scope_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let mut fields = domain::Fields::new();
    let by = field(&f, "by");
    let from = parse_local(field(&f, "from"));
    let until = parse_local(field(&f, "until"));
    if until.is_none() {
        fields.add("until", "incident-found-invalid");
    }
    let scope = match by {
        "access" => {
            if from.is_none() {
                fields.add("from", "incident-found-invalid");
            }
            if let (Some(a), Some(b)) = (from, until)
                && b < a
            {
                fields.add("until", "until-before-from");
            }
            let actor = field(&f, "actor").trim();
            Scope::Access {
                from: from.unwrap_or(0),
                until: until.unwrap_or(0),
                actor: (!actor.is_empty()).then(|| actor.to_owned()),
            }
        }
        "everyone" => Scope::Everyone {
            until: until.unwrap_or(0),
        },
        _ => {
            fields.add("by", "choice-invalid");
            Scope::Everyone { until: 0 }
        }
    };
    if !fields.is_empty() {
        return refused(&app, &req, id, fields, f.into_iter().collect()).await;
    }
    match app
        .store
        .incident_scope(v.user_id.clone(), id.clone(), scope, now())
        .await?
    {
        Some(_) => Ok(see_other(&format!(
            "/operator/incidents/{id}?m=incident-scoped"
        ))),
        None => Err(Failure::NotFound),
    }
}

pub async fn report_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let items = ReportItems {
        secondary_damage: field(&f, "secondary_damage").to_owned(),
        response_to_people: field(&f, "response_to_people").to_owned(),
        publication: field(&f, "publication").to_owned(),
        prevention: field(&f, "prevention").to_owned(),
        other: field(&f, "other").to_owned(),
    };
    match domain::incidents::check_report(items) {
        Ok(items) => {
            if !app
                .store
                .incident_report(v.user_id.clone(), id.clone(), items, now())
                .await?
            {
                return Err(Failure::NotFound);
            }
            Ok(see_other(&format!(
                "/operator/incidents/{id}?m=incident-report-saved"
            )))
        }
        Err(fields) => refused(&app, &req, id, fields, f.into_iter().collect()).await,
    }
}

pub async fn mark_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    axum::Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let step = match field(&f, "step") {
        "preliminary" => Step::Preliminary,
        "final" => Step::Final,
        "closed" => Step::Closed,
        _ => return Err(Failure::BadRequest),
    };
    incident(&app, id.clone()).await?;
    app.store
        .incident_mark(v.user_id.clone(), id.clone(), step, now())
        .await?;
    Ok(see_other(&format!(
        "/operator/incidents/{id}?m=incident-marked"
    )))
}

/// Tells every listed person by mail, each in their language.
pub async fn notify_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let base = app.cfg.public_url.clone();
    let desk = app.cfg.operator.desk.clone().unwrap_or_default();
    match app
        .store
        .incident_notify(v.user_id.clone(), id.clone(), now(), move |lang, i| {
            mail::incident_notice(&base, &desk, lang, i)
        })
        .await?
    {
        Some(_) => Ok(see_other(&format!(
            "/operator/incidents/{id}?m=incident-notified"
        ))),
        None => Err(Failure::NotFound),
    }
}
