//! HTML pages. Each handler turns a request into a call of `flows` or the store and
//! renders a template; none touches SQL or personal data outside the store's views.
use crate::error::{Failure, WebResult};
use crate::flows::{self, InvitationForm};
use crate::guard::{CSRF_COOKIE, Req, SESSION_COOKIE, Viewer, append_cookie, set_cookie};
use crate::i18n::Tr;
use crate::profile_pages::see_other;
use crate::view::{Check, Chrome, FormPage, Input, MessagePage, Select, html, with_errors};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::{ConsentKind, Fields, Relation, Role, UserKind};
use std::collections::HashMap;
use store::accounts::{FamilyLink, Me, Member, Membership};
use store::consents::{Record, Withdrawal};
use store::invitations::{Invite, Sent};
use store::sessions::{Channel, Listed};

type FormData = Form<HashMap<String, String>>;

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// Status messages a redirect may ask a page to announce (`?m=` only picks from these).
const FLASH: &[&str] = &[
    "register-done",
    "reset-sent",
    "reset-done",
    "accept-done",
    "session-expired",
    "session-revoked",
    "consent-withdrawn-done",
    "consent-given-done",
    "invite-sent",
    "invite-revoked",
    "family-ended",
];

fn flash(q: &HashMap<String, String>) -> Option<&'static str> {
    let m = q.get("m")?;
    FLASH.iter().copied().find(|k| k == m)
}

// ---------------------------------------------------------------- home, privacy

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
}

pub async fn home(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    html(&HomePage {
        c: Chrome::new(&req).flash(flash(&q)),
    })
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    c: Chrome,
    version: String,
}

pub async fn privacy(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let version = app.store.policy_version(ConsentKind::PrivacyPolicy).await?;
    Ok(html(&PrivacyPage {
        c: Chrome::new(&req),
        version,
    }))
}

pub async fn not_found() -> Failure {
    Failure::NotFound
}

// ---------------------------------------------------------------- registration

#[derive(Template)]
#[template(path = "register_choose.html")]
struct RegisterChoose {
    c: Chrome,
}

pub async fn register_choose(Extension(req): Extension<Req>) -> Response {
    html(&RegisterChoose {
        c: Chrome::new(&req),
    })
}

/// Re-renders a form with the failure shown on it; other failures go to the error page.
fn form_failure(mut page: FormPage, fail: Failure, tr: &Tr) -> WebResult<Response> {
    let status = fail.status();
    match fail {
        Failure::Fields(fields) => {
            page.inputs = with_errors(std::mem::take(&mut page.inputs), &fields, tr);
        }
        Failure::RateLimited | Failure::LoginFailed => {
            page.form_error = Some(tr.t(fail.message_key()))
        }
        other => return Err(other),
    }
    Ok((status, html(&page)).into_response())
}

// ---------------------------------------------------------------- login, logout

fn login_page(req: &Req, email: &str, next: Option<&str>) -> FormPage {
    let tr = req.tr();
    let action = match next {
        Some(n) => format!(
            "/login?{}",
            serde_urlencoded::to_string([("next", n)]).unwrap_or_default()
        ),
        None => "/login".into(),
    };
    FormPage {
        title: tr.t("login-title"),
        lead: String::new(),
        action,
        inputs: vec![
            Input::text(
                "email",
                tr.t("field-email"),
                "email",
                "username",
                String::new(),
                email,
            ),
            Input::text(
                "password",
                tr.t("field-password"),
                "password",
                "current-password",
                String::new(),
                "",
            ),
        ],
        submit: tr.t("login-submit"),
        form_error: None,
        links: vec![
            ("/password-reset".into(), tr.t("login-forgot")),
            ("/register".into(), tr.t("login-no-account")),
        ],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

pub async fn login_form(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut page = login_page(&req, "", after_login(&q));
    let key = if q.contains_key("kept") {
        Some("session-expired-kept")
    } else if q.contains_key("expired") {
        Some("session-expired")
    } else {
        flash(&q)
    };
    page.c = page.c.flash(key);
    html(&page)
}

/// Where to go after signing in: back to the page whose form was kept at a time-out.
fn after_login(q: &HashMap<String, String>) -> Option<&str> {
    q.get("next")
        .map(|n| crate::settings::local_path(n))
        .filter(|n| *n != "/")
}

pub async fn login_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::login(
        &app,
        &req,
        field(&f, "email"),
        field(&f, "password"),
        Channel::Web,
    )
    .await
    {
        Ok((_sid, token)) => {
            let mut r = see_other(after_login(&q).unwrap_or("/dashboard"));
            append_cookie(&mut r, &set_cookie(SESSION_COOKIE, &token, true, None));
            // A new CSRF token with the new session.
            let (csrf, _) = store::new_token();
            append_cookie(&mut r, &set_cookie(CSRF_COOKIE, &csrf, true, None));
            Ok(r)
        }
        Err(fail) => form_failure(
            login_page(&req, field(&f, "email"), after_login(&q)),
            fail,
            &req.tr(),
        ),
    }
}

fn viewer(req: &Req) -> WebResult<&Viewer> {
    req.viewer.as_ref().ok_or(Failure::Unauthorized)
}

pub async fn logout(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store
        .session_revoke(v.user_id.clone(), v.session_id.clone(), now())
        .await?;
    let mut r = see_other("/");
    append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
    Ok(r)
}

pub async fn session_extend(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    app.store.session_touch(v.session_id.clone(), now()).await?;
    let body = serde_json::json!({"idle_left": app.cfg.web_session.idle});
    Ok(axum::Json(body).into_response())
}

// ---------------------------------------------------------------- password reset

fn reset_page(req: &Req, email: &str) -> FormPage {
    let tr = req.tr();
    FormPage {
        title: tr.t("reset-title"),
        lead: tr.t("reset-lead"),
        action: "/password-reset".into(),
        inputs: vec![Input::text(
            "email",
            tr.t("field-email"),
            "email",
            "email",
            String::new(),
            email,
        )],
        submit: tr.t("reset-submit"),
        form_error: None,
        links: vec![("/login".into(), tr.t("nav-login"))],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

pub async fn reset_form(Extension(req): Extension<Req>) -> Response {
    html(&reset_page(&req, ""))
}

pub async fn reset_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::reset_request(&app, &req, field(&f, "email")).await {
        Ok(()) => Ok(see_other("/login?m=reset-sent")),
        Err(fail) => form_failure(reset_page(&req, field(&f, "email")), fail, &req.tr()),
    }
}

fn reset_new_page(req: &Req, token: &str) -> FormPage {
    let tr = req.tr();
    FormPage {
        title: tr.t("reset-new-title"),
        lead: String::new(),
        action: format!("/password-reset/{token}"),
        inputs: vec![Input::text(
            "password",
            tr.t("field-new-password"),
            "password",
            "new-password",
            tr.t("field-password-hint"),
            "",
        )],
        submit: tr.t("reset-new-submit"),
        form_error: None,
        links: vec![],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }
}

fn message(
    req: &Req,
    title_key: &str,
    message_key: &str,
    alert: bool,
    links: Vec<(String, String)>,
) -> Response {
    let c = Chrome::new(req);
    html(&MessagePage {
        title: c.a(title_key),
        message: c.a(message_key),
        alert,
        links,
        c,
    })
}

pub async fn reset_new_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    if !app.store.reset_valid(&token, now()).await? {
        let links = vec![("/password-reset".into(), req.tr().t("reset-title"))];
        return Ok((
            StatusCode::NOT_FOUND,
            message(&req, "reset-new-title", "reset-invalid", true, links),
        )
            .into_response());
    }
    Ok(html(&reset_new_page(&req, &token)))
}

pub async fn reset_new_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    match flows::reset_confirm(&app, &req, &token, field(&f, "password")).await {
        Ok(true) => {
            let mut r = see_other("/login?m=reset-done");
            append_cookie(&mut r, &set_cookie(SESSION_COOKIE, "", true, Some(0)));
            Ok(r)
        }
        Ok(false) => {
            let links = vec![("/password-reset".into(), req.tr().t("reset-title"))];
            Ok((
                StatusCode::NOT_FOUND,
                message(&req, "reset-new-title", "reset-invalid", true, links),
            )
                .into_response())
        }
        Err(fail) => form_failure(reset_new_page(&req, &token), fail, &req.tr()),
    }
}

// ---------------------------------------------------------------- dashboard

struct OrgBlock {
    m: Membership,
    members: Vec<Member>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
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
    fn consent_label(&self, k: &str) -> String {
        self.c.a(&format!("consent-kind-{k}"))
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
    Ok(see_other("/dashboard?m=session-revoked#sessions"))
}

pub async fn consent_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let kind = ConsentKind::parse(&kind).ok_or(Failure::NotFound)?;
    match app
        .store
        .consent_withdraw(v.user_id.clone(), kind, req.ctx.clone(), now())
        .await?
    {
        Withdrawal::Withdrawn => Ok(see_other("/dashboard?m=consent-withdrawn-done#consents")),
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
        .filter(|k| k.applies_to(v.kind))
        .ok_or(Failure::NotFound)?;
    app.store
        .consent_give(v.user_id.clone(), kind, "web", req.ctx.clone(), now())
        .await?;
    Ok(see_other("/dashboard?m=consent-given-done#consents"))
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
    Ok(see_other("/dashboard?m=family-ended#family"))
}

// ---------------------------------------------------------------- invitations

#[derive(Template)]
#[template(path = "invitations.html")]
struct InvitationsPage {
    c: Chrome,
    form: Option<FormPage>,
    sent: Vec<Sent>,
}

impl InvitationsPage {
    fn invite_label(&self, i: &Invite) -> String {
        match i {
            Invite::Member { role, .. } => self.c.a(&format!("role-{}", role.as_str())),
            Invite::Family { relation } => self.c.a1(
                "invite-family-kind",
                "relation",
                &self.c.a(&format!("relation-{}", relation.as_str())),
            ),
        }
    }
    fn status_label(&self, s: &str) -> String {
        self.c.a(&format!("invite-status-{s}"))
    }
}

/// The invitation form the viewer may use: family for a seeker, members for an admin.
async fn invite_form(
    app: &AppState,
    req: &Req,
    f: &HashMap<String, String>,
    errors: &Fields,
) -> WebResult<Option<FormPage>> {
    let v = viewer(req)?;
    let tr = req.tr();
    let email = Input::text(
        "email",
        tr.t("field-email"),
        "email",
        "off",
        String::new(),
        field(f, "email"),
    );
    let (title, lead, hidden_kind, select) = if v.kind == UserKind::Seeker {
        let options = Relation::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_owned(),
                    tr.t(&format!("relation-{}", r.as_str())),
                )
            })
            .collect();
        let sel = Select {
            name: "relation",
            label: tr.t("field-relation"),
            options,
            selected: field(f, "relation").into(),
            error: None,
        };
        (
            tr.t("invite-family-heading"),
            tr.t("invite-family-lead"),
            ("family".to_owned(), String::new()),
            sel,
        )
    } else {
        let admin = app
            .store
            .memberships_of(v.user_id.clone())
            .await?
            .into_iter()
            .find(|m| m.role.is_admin());
        let Some(m) = admin else { return Ok(None) };
        let options = Role::invitable(m.org_kind)
            .iter()
            .map(|r| (r.as_str().to_owned(), tr.t(&format!("role-{}", r.as_str()))))
            .collect();
        let sel = Select {
            name: "role",
            label: tr.t("field-role"),
            options,
            selected: field(f, "role").into(),
            error: None,
        };
        (
            tr.t("invite-member-heading"),
            tr.t("invite-member-lead"),
            ("member".to_owned(), m.org_id),
            sel,
        )
    };
    Ok(Some(FormPage {
        title,
        lead,
        action: format!("/invitations?kind={}&org={}", hidden_kind.0, hidden_kind.1),
        inputs: with_errors(vec![email, Input::Select(select)], errors, &tr),
        submit: tr.t("invite-submit"),
        form_error: None,
        links: vec![],
        checks_legend: String::new(),
        c: Chrome::new(req),
    }))
}

async fn invitations_page(
    app: &AppState,
    req: &Req,
    f: &HashMap<String, String>,
    errors: &Fields,
    flash_key: Option<&str>,
) -> WebResult<InvitationsPage> {
    let v = viewer(req)?;
    let form = invite_form(app, req, f, errors).await?;
    let sent = app.store.invitations_sent(v.user_id.clone(), now()).await?;
    Ok(InvitationsPage {
        c: Chrome::new(req).flash(flash_key),
        form,
        sent,
    })
}

pub async fn invitations(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    Ok(html(
        &invitations_page(&app, &req, &HashMap::new(), &Fields::new(), flash(&q)).await?,
    ))
}

pub async fn invitation_create(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
    Form(f): FormData,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let form = InvitationForm {
        email: field(&f, "email").into(),
        kind: field(&q, "kind").into(),
        organization_id: field(&q, "org").into(),
        role: field(&f, "role").into(),
        relation: field(&f, "relation").into(),
    };
    match flows::invite(&app, &req, v, form).await {
        Ok(_) => Ok(see_other("/invitations?m=invite-sent")),
        Err(Failure::Fields(fields)) => {
            let page = invitations_page(&app, &req, &f, &fields, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(other) => Err(other),
    }
}

pub async fn invitation_revoke(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    if !app
        .store
        .invitation_revoke(v.user_id.clone(), id, now())
        .await?
    {
        return Err(Failure::NotFound);
    }
    Ok(see_other("/invitations?m=invite-revoked"))
}

fn accept_page(
    req: &Req,
    token: &str,
    open: &store::invitations::Open,
    f: &HashMap<String, String>,
) -> FormPage {
    let tr = req.tr();
    let lead = match &open.invite {
        Invite::Member { role, .. } => tr.tn(
            "accept-lead-member",
            &[
                ("org", open.org_name.as_deref().unwrap_or("")),
                ("role", &tr.t(&format!("role-{}", role.as_str()))),
            ],
        ),
        Invite::Family { relation } => tr.t1(
            "accept-lead-family",
            "relation",
            &tr.t(&format!("relation-{}", relation.as_str())),
        ),
    };
    FormPage {
        title: tr.t("accept-title"),
        lead: format!("{lead}({}: {})", tr.t("field-email"), open.email),
        action: format!("/invite/{token}"),
        inputs: vec![
            Input::text(
                "name",
                tr.t("field-name"),
                "text",
                "name",
                tr.t("field-name-hint"),
                field(f, "name"),
            ),
            Input::text(
                "password",
                tr.t("field-password"),
                "password",
                "new-password",
                tr.t("field-password-hint"),
                "",
            ),
            Input::Check(Check {
                name: "consent_privacy",
                label: tr.t("consent-privacy-label"),
                hint: tr.t1("consent-privacy-hint", "version", "2026-11-01"),
                checked: !field(f, "consent_privacy").is_empty(),
                error: None,
            }),
        ],
        submit: tr.t("accept-submit"),
        form_error: None,
        links: vec![],
        checks_legend: tr.t("consent-legend"),
        c: Chrome::new(req),
    }
}

fn invitation_gone(req: &Req) -> Response {
    (
        StatusCode::NOT_FOUND,
        message(
            req,
            "accept-title",
            "accept-invalid",
            true,
            vec![("/".into(), req.tr().t("nav-home"))],
        ),
    )
        .into_response()
}

pub async fn accept_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
) -> WebResult<Response> {
    match app.store.invitation_open(&token, now()).await? {
        Some(open) => Ok(html(&accept_page(&req, &token, &open, &HashMap::new()))),
        None => Ok(invitation_gone(&req)),
    }
}

pub async fn accept_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(token): Path<String>,
    Form(f): FormData,
) -> WebResult<Response> {
    let Some(open) = app.store.invitation_open(&token, now()).await? else {
        return Ok(invitation_gone(&req));
    };
    let consent = !field(&f, "consent_privacy").is_empty();
    match flows::accept(
        &app,
        &req,
        &token,
        field(&f, "name"),
        field(&f, "password"),
        consent,
    )
    .await
    {
        Ok(Some(_)) => Ok(see_other("/login?m=accept-done")),
        Ok(None) => Ok(invitation_gone(&req)),
        Err(fail) => form_failure(accept_page(&req, &token, &open, &f), fail, &req.tr()),
    }
}

// ---------------------------------------------------------------- static files, health

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

pub async fn static_file(Path(file): Path<String>) -> WebResult<Response> {
    let (body, ctype) = match file.as_str() {
        "app.css" => (CSS, "text/css; charset=utf-8"),
        "app.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return Err(Failure::NotFound),
    };
    Ok((
        [
            (header::CONTENT_TYPE, ctype),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response())
}

pub async fn healthz() -> &'static str {
    "ok"
}

pub async fn readyz(State(app): State<AppState>) -> Response {
    match app.store.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
