//! The dashboard says what to do next (scouts to answer, interviews to pick, stage
//! changes, new applications, ledger items waiting: from the person's own notices); the
//! account page holds the account: own details, organisation members (through the door),
//! consents, sessions, family.
use crate::accounts::flash;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::request::viewer;
use crate::request::{Req, SESSION_COOKIE, append_cookie, set_cookie};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::{ConsentKind, Relation, Role, UserKind};
use std::collections::HashMap;
use store::accounts::{FamilyLink, Me, Member, Membership};
use store::consents::{Record, Withdrawal};
use store::sessions::Listed;

// ---------------------------------------------------------------- what to do next

/// One thing to do (or to know), with where to do it.
struct Next {
    text: String,
    when: String,
    href: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct NextPage {
    c: Chrome,
    name: String,
    kind: UserKind,
    next: Vec<Next>,
    scouts_waiting: i64,
    /// A worker: today's check-in is one step away.
    working: bool,
    /// Alerts waiting to be acknowledged (a supporter, a follow-up person): what, the
    /// day, where.
    alerts: Vec<(String, String, String)>,
}

/// Notices of these kinds say what to do next (the rest are in their own pages).
const NEXT_KINDS: [&str; 11] = [
    "message_new",
    "scout_new",
    "application_new",
    "application_withdrawn",
    "application_stage",
    "interview_proposed",
    "interview_chosen",
    "interview_others_asked",
    "interview_cancelled",
    "interview_reminder",
    "ledger_version",
];

pub async fn dashboard(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let tr = req.tr();
    // The newest notice per application and kind; unread first.
    let mut seen = std::collections::HashSet::new();
    let mut next: Vec<Next> = app
        .store
        .notifications(v.user_id.clone())
        .await?
        .into_iter()
        .filter(|n| NEXT_KINDS.contains(&n.kind.as_str()))
        .filter(|n| seen.insert((n.kind.clone(), n.ref_id.clone())))
        .take(20)
        .map(|n| Next {
            text: crate::notifications::text(&tr, &n.kind, me.kind),
            when: crate::jst::date_text(n.created_at, tr.lang),
            href: crate::notifications::link(&n.kind, &n.ref_id, me.kind),
            unread: n.read_at.is_none(),
        })
        .collect();
    next.sort_by_key(|n| !n.unread);
    let scouts_waiting = if me.kind == UserKind::Seeker {
        app.store.scouts_waiting(v.user_id.clone()).await?
    } else {
        0
    };
    let working =
        me.kind == UserKind::Seeker && !app.store.work_places(v.user_id.clone()).await?.is_empty();
    // Unacknowledged alerts stay here until someone acknowledges them (through the door:
    // each read is logged).
    let alerts = if matches!(me.kind, UserKind::Employer | UserKind::Supporter) {
        app.store
            .my_alerts(v.user_id.clone(), true, req.ctx.clone(), now())
            .await?
            .into_iter()
            .map(|a| {
                let what = match &a.rule {
                    Some(r) => tr.t(&format!("alert-rule-{r}")),
                    None => tr.t(&format!("alert-topic-{}", a.topic)),
                };
                (
                    match &a.worker_name {
                        Some(n) => format!("{n}: {what}"),
                        None => what,
                    },
                    a.date.clone(),
                    format!("/employments/{}/check-ins#alerts", a.employment_id),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(html(&NextPage {
        c: Chrome::new(&req).flash(flash(&q)),
        name: me.name.clone(),
        kind: me.kind,
        next,
        scouts_waiting,
        working,
        alerts,
    }))
}

// ---------------------------------------------------------------- account

struct OrgBlock {
    m: Membership,
    members: Vec<Member>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct Dashboard {
    c: Chrome,
    me: Me,
    orgs: Vec<OrgBlock>,
    consents: Vec<Record>,
    sensitive_applies: bool,
    sensitive_active: bool,
    sessions: Vec<Listed>,
    current_session: String,
    family: Vec<FamilyLink>,
}

impl Dashboard {
    fn role_label(&self, r: &Role) -> String {
        self.c.a(&format!("role-{}", r.as_str()))
    }
    fn relation_label(&self, r: &Relation) -> String {
        self.c.a(&format!("relation-{}", r.as_str()))
    }
    fn consent_label(&self, r: &store::consents::Record) -> String {
        crate::privacy::pages::consent_label(&self.c, r, None)
    }
    fn device(&self, user_agent: &str) -> String {
        match device_of(user_agent) {
            (Some(b), Some(os)) => format!("{b} / {os}"),
            (Some(x), None) | (None, Some(x)) => x.to_owned(),
            (None, None) => self.c.a("session-device-unknown"),
        }
    }
    fn kind_label(&self) -> String {
        self.c.a(&format!("kind-{}", self.me.kind.as_str()))
    }
    fn is_seeker(&self) -> bool {
        self.me.kind == UserKind::Seeker
    }
    fn opt_time(&self, t: &Option<i64>) -> String {
        t.map(|t| self.c.time(&t)).unwrap_or_else(|| "—".into())
    }
}

/// The account page.
pub async fn account(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let me = app
        .store
        .me(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let mut orgs = Vec::new();
    for m in app.store.memberships_of(v.user_id.clone()).await? {
        let members = app
            .store
            .org_members(v.user_id.clone(), m.org_id.clone(), req.ctx.clone(), now())
            .await?;
        orgs.push(OrgBlock { m, members });
    }
    let consents = app.store.consents_of(v.user_id.clone()).await?;
    let sensitive_active = app
        .store
        .consent_active(v.user_id.clone(), ConsentKind::SensitiveData)
        .await?;
    let family = if matches!(me.kind, UserKind::Seeker | UserKind::Family) {
        app.store
            .family_links(v.user_id.clone(), req.ctx.clone(), now())
            .await?
    } else {
        Vec::new()
    };
    let sessions = app.store.sessions_of(v.user_id.clone(), now()).await?;
    Ok(html(&Dashboard {
        c: Chrome::new(&req).flash(flash(&q)),
        sensitive_applies: ConsentKind::SensitiveData.applies_to(me.kind),
        me,
        orgs,
        consents,
        sensitive_active,
        sessions,
        current_session: v.session_id.clone(),
        family,
    }))
}

pub async fn session_revoke(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .session_revoke(v.user_id.clone(), id.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    if id == v.session_id {
        let mut r = see_other("/login");
        append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
        return Ok(r);
    }
    Ok(see_other("/account?m=session-revoked#sessions"))
}

pub async fn consent_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let kind = ConsentKind::parse(&kind)
        .filter(|k| !k.own_screen())
        .ok_or(Failure::NotFound)?;
    match app
        .store
        .consent_withdraw(v.user_id.clone(), kind, req.ctx.clone(), now())
        .await?
    {
        Withdrawal::Withdrawn => Ok(see_other("/account?m=consent-withdrawn-done#consents")),
        Withdrawal::NotActive => Err(Failure::Conflict("err-not-active")),
        Withdrawal::NotWithdrawable => Err(Failure::Conflict("err-not-withdrawable")),
    }
}

pub async fn consent_give(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let kind = ConsentKind::parse(&kind)
        .filter(|k| k.applies_to(v.kind) && !k.own_screen())
        .ok_or(Failure::NotFound)?;
    app.store
        .consent_give(v.user_id.clone(), kind, "web", req.ctx.clone(), now())
        .await?;
    Ok(see_other("/account?m=consent-given-done#consents"))
}

pub async fn family_end(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .end_family_link(v.user_id.clone(), id, req.ctx.clone(), now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/account?m=family-ended#family"))
}

/// A device as a person recognises it ("Chrome / Android"), from its user-agent string;
/// the raw string is never shown.
pub(crate) fn device_of(ua: &str) -> (Option<&'static str>, Option<&'static str>) {
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("SamsungBrowser/", "Samsung Internet"),
        ("Chrome/", "Chrome"),
        ("Chromium/", "Chromium"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(m, _)| ua.contains(m))
    .map(|(_, n)| *n);
    let os = [
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Android", "Android"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Macintosh", "Mac"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(m, _)| ua.contains(m))
    .map(|(_, n)| *n);
    (browser, os)
}

#[cfg(test)]
mod tests {
    use super::device_of;

    #[test]
    fn devices_are_named_as_people_know_them() {
        let android = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
        assert_eq!(device_of(android), (Some("Chrome"), Some("Android")));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
        assert_eq!(device_of(iphone), (Some("Safari"), Some("iPhone")));
        let edge = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
        assert_eq!(device_of(edge), (Some("Edge"), Some("Windows")));
        assert_eq!(device_of("curl/8.5"), (None, None));
    }
}
