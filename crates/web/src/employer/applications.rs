//! The company's side of applications, as a page per posting: the applicants grouped by
//! the stage the seeker sees (a board), each as the disclosure policy lets the company
//! see them, with a form to move them on (and keep the company's own sub-stage and note,
//! which the seeker never sees) and, at 内定, to record the hire.
use crate::applications::api::refused;
use crate::employer::postings::my_posting;
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, Lines, see_other};
use crate::jst::{date_text, today};
use crate::profiles::pages::lines;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use domain::hiring::{Mover, Stage};
use domain::jobs::Source;
use std::collections::HashMap;
use store::hiring::{Hire, Move};

struct Applicant {
    id: String,
    name: String,
    openness: String,
    applied_on: String,
    lines: Lines,
    internal_stage: String,
    note: String,
    /// (stage code, label) the company may move it to.
    next: Vec<(String, String)>,
    /// At 内定: the hire can be recorded.
    may_hire: bool,
}

#[derive(Template)]
#[template(path = "applicants.html")]
struct BoardPage {
    c: Chrome,
    id: String,
    title: String,
    /// (stage label, applicants at that stage)
    columns: Vec<(String, Vec<Applicant>)>,
    /// (user id, name) of the company's members, for the follow-up person.
    members: Vec<(String, String)>,
    today: String,
}

pub async fn board(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let row = my_posting(&app, &req, &id).await?;
    let tr = req.tr();
    let list = app
        .store
        .company_applications(v.user_id.clone(), Some(id.clone()))
        .await?
        .ok_or(Failure::NotFound)?;
    let mut columns: Vec<(String, Vec<Applicant>)> = Stage::ALL
        .iter()
        .filter(|s| **s != Stage::Withdrawn)
        .map(|s| (tr.t(&format!("stage-{}", s.as_str())), Vec::new()))
        .collect();
    for (n, a) in list.into_iter().enumerate() {
        let view = app
            .store
            .view_seeker(
                v.user_id.clone(),
                a.seeker_id.clone(),
                None,
                store::disclosure::Want::All,
                "application",
                req.ctx.clone(),
                today(),
                now(),
            )
            .await?
            .map(|d| d.into_view());
        let name = view
            .as_ref()
            .and_then(|v| v.fields.get("name"))
            .and_then(|n| n.as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| tr.t1("candidate-n", "n", &(n + 1).to_string()));
        let next = Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Hired && a.stage.may_move(**s, Mover::Company))
            .map(|s| {
                (
                    s.as_str().to_owned(),
                    tr.t(&format!("stage-{}", s.as_str())),
                )
            })
            .collect();
        let col = Stage::ALL
            .iter()
            .filter(|s| **s != Stage::Withdrawn)
            .position(|s| *s == a.stage)
            .unwrap_or(0);
        columns[col].1.push(Applicant {
            name,
            openness: tr.t(&format!("apply-openness-{}", a.openness.as_str())),
            applied_on: date_text(a.created_at, tr.lang),
            lines: view
                .as_ref()
                .map(|v| lines(&tr, &v.items, &v.fields))
                .unwrap_or_default(),
            internal_stage: a.internal_stage,
            note: a.note,
            next,
            may_hire: a.stage.may_move(Stage::Hired, Mover::Company),
            id: a.id,
        });
    }
    let org = app
        .store
        .managed_company(v.user_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let members = app
        .store
        .org_members(v.user_id.clone(), org, req.ctx.clone(), now())
        .await?
        .into_iter()
        .map(|m| {
            let name = m.view.name.clone().unwrap_or_else(|| m.user_id.clone());
            (m.user_id, name)
        })
        .collect();
    let flash = q
        .get("m")
        .filter(|m| ["stage-saved", "hire-saved"].contains(&m.as_str()))
        .map(String::as_str);
    Ok(html(&BoardPage {
        c: Chrome::new(&req).flash(flash),
        id,
        title: row.title,
        columns,
        members,
        today: today().to_string(),
    }))
}

/// Where to go back to: the board of the posting the form came from.
fn back(f: &Vec<(String, String)>, m: &str) -> Response {
    let posting = Source::one(f, "posting_id");
    if !posting.is_empty()
        && posting
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        see_other(&format!("/employer/postings/{posting}/applications?m={m}"))
    } else {
        see_other("/employer/postings")
    }
}

pub async fn stage_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let to = match Source::one(&f, "stage") {
        "" => None,
        s => Some(Stage::parse(s).ok_or_else(|| Failure::field("stage", "choice-invalid"))?),
    };
    let internal = Source::one(&f, "internal_stage").trim().to_owned();
    let note = Source::one(&f, "note").trim().to_owned();
    if internal.chars().count() > 100 {
        return Err(Failure::field("internal_stage", "text-too-long"));
    }
    if note.chars().count() > 2000 {
        return Err(Failure::field("note", "text-too-long"));
    }
    app.store
        .move_application(
            v.user_id.clone(),
            id,
            Move {
                to,
                internal_stage: internal,
                note,
            },
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&f, "stage-saved"))
}

pub async fn hire_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let mut fs = domain::Fields::new();
    let start = domain::profile::Date::parse(Source::one(&f, "start_date"));
    if start.is_none() {
        fs.add("start_date", "date-invalid");
    }
    let position = Source::one(&f, "position").trim().to_owned();
    if position.is_empty() || position.chars().count() > 100 {
        fs.add(
            "position",
            if position.is_empty() {
                "text-required"
            } else {
                "text-too-long"
            },
        );
    }
    let hours = domain::validate::number::<u8>(
        &mut fs,
        "hours_per_week",
        Source::one(&f, "hours_per_week"),
    );
    if hours.is_none_or(|h| !(1..=60).contains(&h)) {
        fs.add("hours_per_week", "hours-invalid");
    }
    let (Some(start_date), Some(hours_per_week)) = (start, hours) else {
        return Err(Failure::Fields(fs));
    };
    fs.clone().into_result().map_err(Failure::Fields)?;
    let h = Hire {
        start_date,
        position,
        hours_per_week,
        follow_up_user_id: Source::one(&f, "follow_up_user_id").to_owned(),
    };
    app.store
        .hire(
            v.user_id.clone(),
            id,
            h,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(back(&f, "hire-saved"))
}
