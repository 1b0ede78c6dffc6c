//! Invitations: sending (company, facility, family) and accepting them.
use crate::accounts::FormData;
use crate::accounts::field;
use crate::accounts::flash;
use crate::accounts::flows::InvitationForm;
use crate::accounts::pages::form_failure;
use crate::accounts::pages::message;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Check, Chrome, FormPage, Input, Select, html, with_errors};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::{Fields, Relation, Role, UserKind};
use std::collections::HashMap;
use store::invitations::{Invite, Sent};

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
    match crate::accounts::flows::invite(&app, &req, v, form).await {
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
    match crate::accounts::flows::accept(
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
