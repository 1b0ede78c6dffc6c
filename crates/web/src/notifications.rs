//! The notification centre: every notice of the person (new messages, applications,
//! scouts, interviews, the ledger, saved-search matches) with its read state; the mail
//! switch per kind; and the one-click unsubscribe of notification mail (RFC 8058).
//! A person's own notices only: no one else's data is shown here.
use crate::api::{ApiJson, body};
use crate::error::{Failure, WebResult};
use crate::forms::{FormData, see_other};
use crate::jst::format_time;
use crate::request::{Req, viewer};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form, Json};
use domain::UserKind;
use domain::jobs::Source;
use domain::notice::NoticeGroup;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use store::notices::MailSetting;
use utoipa::ToSchema;

/// Where a notice leads.
pub fn link(kind: &str, ref_id: &str, who: UserKind) -> String {
    match kind {
        "message_new" => format!("/messages/{ref_id}"),
        "saved_search_match" => format!("/jobs/{ref_id}"),
        "scout_new" => "/scouts".to_owned(),
        // The agency's staff sent it in a company's name.
        "scout_answered" if who == UserKind::Operator => "/operator/agency".to_owned(),
        "scout_answered" => "/employer/scouts".to_owned(),
        // An alert: the dashboard lists those waiting, each linking to its worker's page.
        "support_alert" => "/dashboard#alerts".to_owned(),
        // A new version of a policy text (`kind/version`).
        "policy_changed" => format!("/privacy/versions/{ref_id}"),
        _ => format!("/applications/{ref_id}"),
    }
}

/// What a notice says, to the kind of person it is for.
pub fn text(tr: &crate::i18n::Tr, kind: &str, who: UserKind) -> String {
    let side = match who {
        UserKind::Employer => "company",
        UserKind::Supporter => "supporter",
        UserKind::Family => "family",
        _ => "seeker",
    };
    let key = format!("next-{kind}-{side}");
    if tr.has(&key) {
        tr.t(&key)
    } else {
        tr.t(&format!("next-{kind}"))
    }
}

/// One notification.
#[derive(Serialize, ToSchema)]
pub struct NotificationAnswer {
    pub id: String,
    /// e.g. `message_new`, `application_stage`, `scout_new`, `interview_proposed`,
    /// `ledger_version`, `saved_search_match`.
    pub kind: String,
    /// The mail switch it falls under.
    pub group: Option<NoticeGroup>,
    /// What it is about: a thread, an application, a posting.
    pub ref_id: String,
    /// The job, for `saved_search_match` (kept for older clients).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_id: Option<String>,
    /// The job's title while it is public (`saved_search_match`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The page it leads to.
    pub link: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    /// Newest first (at most 100).
    pub items: Vec<NotificationAnswer>,
    pub unread: i64,
}

pub async fn api_list(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<NotificationList>> {
    let v = viewer(&req)?;
    let list = app.store.notifications(v.user_id.clone()).await?;
    let index = app.index().await;
    let unread = list.iter().filter(|n| n.read_at.is_none()).count() as i64;
    let items = list
        .into_iter()
        .map(|n| {
            let job = n.kind == "saved_search_match";
            NotificationAnswer {
                title: job
                    .then(|| index.card(&n.ref_id).map(|c| c.title.clone()))
                    .flatten(),
                posting_id: job.then(|| n.ref_id.clone()),
                group: NoticeGroup::of(&n.kind),
                link: link(&n.kind, &n.ref_id, v.kind),
                id: n.id,
                kind: n.kind,
                ref_id: n.ref_id,
                created_at: n.created_at,
                read_at: n.read_at,
            }
        })
        .collect();
    Ok(Json(NotificationList { items, unread }))
}

struct Line {
    text: String,
    href: String,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct CentrePage {
    c: Chrome,
    lines: Vec<Line>,
    unread: usize,
}

pub async fn page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let index = app.index().await;
    let lines: Vec<Line> = app
        .store
        .notifications(v.user_id.clone())
        .await?
        .into_iter()
        .map(|n| {
            let mut text = text(&tr, &n.kind, v.kind);
            if n.kind == "saved_search_match"
                && let Some(card) = index.card(&n.ref_id)
            {
                text = format!("{text}: {}", card.title);
            }
            Line {
                text,
                href: link(&n.kind, &n.ref_id, v.kind),
                when: format_time(n.created_at, tr.lang),
                unread: n.read_at.is_none(),
            }
        })
        .collect();
    let unread = lines.iter().filter(|l| l.unread).count();
    let flash = q
        .get("m")
        .filter(|m| ["notices-read-flash", "settings-saved"].contains(&m.as_str()))
        .map(String::as_str);
    Ok(html(&CentrePage {
        c: Chrome::new(&req).flash(flash),
        lines,
        unread,
    }))
}

pub async fn read_all(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .notifications_read(v.user_id.clone(), None, now())
        .await?;
    Ok(see_other("/notifications?m=notices-read-flash"))
}

// ------------------------------------------------------------------ settings

#[derive(Serialize, ToSchema)]
pub struct SettingsAnswer {
    /// One switch per kind; mail is on unless switched off. The in-app notification
    /// is always kept.
    pub settings: Vec<MailSetting>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingBody {
    pub kind: NoticeGroup,
    pub email: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    /// The switches to change (the others stay as they are).
    pub settings: Vec<SettingBody>,
}

pub async fn api_settings(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<SettingsAnswer>> {
    let v = viewer(&req)?;
    let settings = app.store.notification_settings(v.user_id.clone()).await?;
    Ok(Json(SettingsAnswer { settings }))
}

pub async fn api_settings_put(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: ApiJson<SettingsBody>,
) -> WebResult<Json<SettingsAnswer>> {
    let v = viewer(&req)?;
    let b = body(b)?;
    app.store
        .set_notification_settings(
            v.user_id.clone(),
            b.settings.into_iter().map(|s| (s.kind, s.email)).collect(),
            now(),
        )
        .await?;
    let settings = app.store.notification_settings(v.user_id.clone()).await?;
    Ok(Json(SettingsAnswer { settings }))
}

#[derive(Template)]
#[template(path = "notification_settings.html")]
struct SettingsPage {
    c: Chrome,
    /// (kind, label, hint, mail on)
    rows: Vec<(String, String, String, bool)>,
}

pub async fn settings_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let tr = req.tr();
    let rows = app
        .store
        .notification_settings(v.user_id.clone())
        .await?
        .into_iter()
        .filter(|s| shown_to(s.kind, v.kind))
        .map(|s| {
            let k = s.kind.as_str();
            (
                k.to_owned(),
                tr.t(&format!("notice-group-{k}")),
                tr.t(&format!("notice-group-{k}-hint")),
                s.email,
            )
        })
        .collect();
    Ok(html(&SettingsPage {
        c: Chrome::new(&req),
        rows,
    }))
}

/// The switches that matter to a kind of person.
fn shown_to(g: NoticeGroup, who: UserKind) -> bool {
    match g {
        NoticeGroup::SavedSearches => who == UserKind::Seeker,
        NoticeGroup::Scouts => matches!(who, UserKind::Seeker | UserKind::Employer),
        NoticeGroup::Messages | NoticeGroup::Ledger | NoticeGroup::Interviews => {
            matches!(
                who,
                UserKind::Seeker | UserKind::Employer | UserKind::Supporter
            )
        }
        NoticeGroup::Applications | NoticeGroup::Reminders => who != UserKind::Operator,
        NoticeGroup::Alerts => matches!(who, UserKind::Employer | UserKind::Supporter),
    }
}

/// The settings form: a checkbox per kind shown (unchecked: mail off).
pub async fn settings_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let on = Source::many(&f, "email");
    let settings = NoticeGroup::ALL
        .into_iter()
        .filter(|g| shown_to(*g, v.kind))
        .map(|g| (g, on.iter().any(|k| k == g.as_str())))
        .collect();
    app.store
        .set_notification_settings(v.user_id.clone(), settings, now())
        .await?;
    Ok(see_other("/notifications?m=settings-saved"))
}

// ------------------------------------------------------------------ unsubscribe

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    c: Chrome,
    token: String,
    group: String,
    done: bool,
}

/// The page a person reaches from a mail: which mail the link turns off, and a button
/// (a GET changes nothing: mail scanners follow links).
pub async fn unsubscribe_page(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let g = app
        .store
        .unsubscribe_lookup(token.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(html(&UnsubscribePage {
        c: Chrome::new(&req),
        group: req.tr().t(&format!("notice-group-{}", g.as_str())),
        token,
        done: q.contains_key("done"),
    }))
}

pub async fn unsubscribe_submit(
    State(app): State<AppState>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    app.store
        .unsubscribe(token.clone(), now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(see_other(&format!("/unsubscribe/{token}?done=1")))
}

/// RFC 8058 one-click: the mail program posts `List-Unsubscribe=One-Click` to the
/// address in the mail's `List-Unsubscribe` header; that kind of mail is turned off.
pub async fn one_click(
    State(app): State<AppState>,
    Path(token): Path<String>,
) -> WebResult<StatusCode> {
    app.store
        .unsubscribe(token, now())
        .await?
        .ok_or(Failure::NotFound)?;
    Ok(StatusCode::NO_CONTENT)
}
