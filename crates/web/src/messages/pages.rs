//! The pages: `/messages` (the person's threads, unread first in words) and
//! `/messages/{id}` (one thread: its messages, read receipts, files, the form to write,
//! and for the seeker the switch that lets the supporter into a job thread).
use super::{Piece, check_body, check_files, linkify, refused};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, field_errors, see_other};
use crate::jst::{format_time, today};
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::disclosure::{ThreadKind, Visibility};
use domain::jobs::Source;
use std::collections::HashMap;
use store::disclosure::thread::{Party, ThreadView, Via};

/// What a thread is called for the viewer: who is on the other side, and about what.
fn title(tr: &crate::i18n::Tr, t: &ThreadView) -> (String, String) {
    let other = match (&t.seeker_name, t.kind) {
        (Some(n), _) => n.clone(),
        (None, ThreadKind::Support) => t.facility_name.clone().unwrap_or_default(),
        (None, _) => t.company_name.clone().unwrap_or_default(),
    };
    let about = match t.kind {
        ThreadKind::Support => tr.t("thread-kind-support"),
        ThreadKind::Application => t
            .posting_title
            .clone()
            .unwrap_or_else(|| tr.t("thread-kind-application")),
        ThreadKind::Employment => tr.t1(
            "thread-kind-employment-of",
            "title",
            t.posting_title.as_deref().unwrap_or(""),
        ),
    };
    (other, about)
}

struct ThreadLine {
    id: String,
    other: String,
    about: String,
    kind: String,
    when: String,
    unread: i64,
}

#[derive(Template)]
#[template(path = "threads.html")]
struct ThreadsPage {
    c: Chrome,
    threads: Vec<ThreadLine>,
}

pub async fn list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let list = app
        .store
        .threads(v.user_id.clone(), req.ctx.clone(), today(), now())
        .await?;
    let threads = list
        .iter()
        .map(|t| {
            let (other, about) = title(&tr, t);
            ThreadLine {
                id: t.id.clone(),
                other,
                about,
                kind: tr.t(&format!("thread-kind-{}", t.kind.as_str())),
                when: format_time(t.last_at, tr.lang),
                unread: t.unread,
            }
        })
        .collect();
    Ok(html(&ThreadsPage {
        c: Chrome::new(&req),
        threads,
    }))
}

struct FileLine {
    id: String,
    name: String,
    size: String,
}

struct MessageLine {
    id: String,
    from: String,
    mine: bool,
    supporter_only: bool,
    pieces: Vec<Piece>,
    files: Vec<FileLine>,
    when: String,
    read_by: String,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    c: Chrome,
    /// Where the form posts (the participant's or the agency's door).
    action: String,
    back: &'static str,
    /// For the seeker, when the company delegated to the operator: (company id,
    /// company name, the seeker's consent stands).
    agency: Option<(String, String, bool)>,
    /// Participants report messages (the agency does not, through its door).
    may_report: bool,
    /// (code, label) of the reasons for a report.
    reasons: Vec<(String, String)>,
    id: String,
    other: String,
    about: String,
    application_id: String,
    messages: Vec<MessageLine>,
    can_write: bool,
    can_write_supporter_only: bool,
    can_switch_supporter: bool,
    supporter_joins: bool,
    errors: Vec<(String, String)>,
    kept_body: String,
    kept_supporter_only: bool,
}

fn size_text(n: i64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (n + 1023) / 1024)
    }
}

fn party(tr: &crate::i18n::Tr, t: &ThreadView, p: Party) -> String {
    match p {
        Party::Seeker => t
            .seeker_name
            .clone()
            .unwrap_or_else(|| tr.t("thread-party-seeker")),
        Party::Company => t
            .company_name
            .clone()
            .unwrap_or_else(|| tr.t("thread-party-company")),
        Party::Supporter => t
            .facility_name
            .clone()
            .unwrap_or_else(|| tr.t("thread-party-supporter")),
        Party::Agency => tr.t1(
            "thread-party-agency",
            "company",
            t.company_name.as_deref().unwrap_or(""),
        ),
    }
}

/// Where a thread's page lives for each door.
fn base(via: Via, id: &str) -> String {
    match via {
        Via::Party => format!("/messages/{id}"),
        Via::Agency => format!("/operator/agency/threads/{id}"),
    }
}

/// The thread page; `errors` and what was typed, when a message was refused.
pub(crate) async fn render(
    app: &AppState,
    req: &Req,
    id: String,
    via: Via,
    errors: Vec<(String, String)>,
    kept: (String, bool),
    flash: Option<&str>,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let tr = req.tr();
    let t = app
        .store
        .open_thread(
            v.user_id.clone(),
            id.clone(),
            via,
            req.ctx.clone(),
            today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    let (other, about) = title(&tr, &t);
    let messages = t
        .messages
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|m| MessageLine {
            from: if m.mine {
                tr.t("thread-party-you")
            } else {
                party(&tr, &t, m.from)
            },
            mine: m.mine,
            supporter_only: m.visibility == Visibility::SupporterOnly,
            pieces: linkify(&m.body),
            files: m
                .attachments
                .iter()
                .map(|a| FileLine {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    size: size_text(a.size),
                })
                .collect(),
            when: format_time(m.created_at, tr.lang),
            read_by: if m.read_by.is_empty() {
                String::new()
            } else {
                tr.t1(
                    "thread-read-by",
                    "who",
                    &m.read_by
                        .iter()
                        .map(|p| party(&tr, &t, *p))
                        .collect::<Vec<_>>()
                        .join("、"),
                )
            },
            id: m.id,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    // The seeker hears that the company delegated to the operator, and decides.
    let agency = match (&t.company_id, v.kind, via) {
        (Some(company), domain::UserKind::Seeker, Via::Party) if t.agency_delegated => Some((
            company.clone(),
            t.company_name.clone().unwrap_or_default(),
            t.agency_consent,
        )),
        _ => None,
    };
    let page = ThreadPage {
        c: Chrome::new(req).flash(flash),
        action: base(via, &id),
        back: match via {
            Via::Party => "/messages",
            Via::Agency => "/operator/agency",
        },
        agency,
        may_report: via == Via::Party,
        reasons: store::reports::REASONS
            .iter()
            .map(|r| (r.to_string(), tr.t(&format!("report-reason-{r}"))))
            .collect(),
        id,
        other,
        about,
        application_id: t.application_id.clone().unwrap_or_default(),
        messages,
        can_write: t.can_write,
        can_write_supporter_only: t.can_write_supporter_only,
        can_switch_supporter: t.can_switch_supporter,
        supporter_joins: t.supporter_joins,
        errors,
        kept_body: kept.0,
        kept_supporter_only: kept.1,
    };
    Ok((status, html(&page)).into_response())
}

pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let flash = q
        .get("m")
        .filter(|m| {
            [
                "message-sent",
                "message-reported",
                "supporter-joined",
                "supporter-left",
            ]
            .contains(&m.as_str())
        })
        .map(String::as_str);
    render(
        &app,
        &req,
        id,
        Via::Party,
        vec![],
        (String::new(), false),
        flash,
    )
    .await
}

/// The form: `body`, `visibility`, up to three `attachments` (multipart).
pub async fn send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    form: Multipart,
) -> WebResult<Response> {
    send_via(&app, &req, id, form, Via::Party).await
}

/// Sends a message from a thread page's form through one door; on a refusal the page
/// comes back with the errors and what was typed.
pub(crate) async fn send_via(
    app: &AppState,
    req: &Req,
    id: String,
    mut form: Multipart,
    via: Via,
) -> WebResult<Response> {
    let v = viewer(req)?;
    let (mut text, mut supporter_only, mut files) = (String::new(), false, Vec::new());
    while let Some(field) = form.next_field().await.map_err(|_| Failure::BadRequest)? {
        match field.name().unwrap_or("") {
            "body" => text = field.text().await.map_err(|_| Failure::BadRequest)?,
            "visibility" => {
                supporter_only = field.text().await.map_err(|_| Failure::BadRequest)?
                    == Visibility::SupporterOnly.as_str()
            }
            "attachments" => {
                let name = field.file_name().unwrap_or("").to_owned();
                let bytes = field.bytes().await.map_err(|_| Failure::BadRequest)?;
                // An empty file input sends one part with no name and no content.
                if !(name.is_empty() && bytes.is_empty()) {
                    files.push((name, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let checked = check_files(files).and_then(|f| Ok((check_body(&text, !f.is_empty())?, f)));
    let outcome = match checked {
        Ok((body, files)) => app
            .store
            .send_message(
                v.user_id.clone(),
                id.clone(),
                body,
                if supporter_only {
                    Visibility::SupporterOnly
                } else {
                    Visibility::All
                },
                files,
                via,
                app.notice(),
                req.ctx.clone(),
                now(),
            )
            .await?
            .map_err(refused),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!(
            "{}?m=message-sent#messages-end",
            base(via, &id)
        ))),
        Err(Failure::Fields(f)) => {
            let errors = field_errors(&req.tr(), &f);
            render(app, req, id, via, errors, (text, supporter_only), None).await
        }
        Err(e) => Err(e),
    }
}

/// The seeker's switch: the linked supporter joins this job thread, or leaves it.
pub async fn supporter_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let joins = Source::one(&f, "joins") == "1";
    if !app
        .store
        .set_thread_supporter(v.user_id.clone(), id.clone(), joins, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other(&format!(
        "/messages/{id}?m={}",
        if joins {
            "supporter-joined"
        } else {
            "supporter-left"
        }
    )))
}
