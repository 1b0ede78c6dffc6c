//! Registration the GOV.UK way: one question per page, each answer kept on the server as
//! the visitor goes (a draft named by a cookie of their own, so nothing typed is lost),
//! then a check-your-answers page, and only then the account. The password is never
//! kept: its step keeps the argon2 hash.
use crate::accounts::flows;
use crate::accounts::flows::Registration;
use crate::drafts::{self, VISITOR_TTL, forget_visitor, new_visitor, visitor};
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Msg;
use crate::limit::Bucket;
use crate::request::{Req, append_cookie};
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use domain::validate::{Email, NewPassword, OrgName, PersonName};
use domain::{ConsentKind, Fields, UserKind};
use std::collections::HashMap;
use store::drafts::{Owner, Pairs};
use store::profiles::OrgRef;

/// The questions, in order. Which of them a kind of user is asked: `Step::of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Name,
    Organization,
    Email,
    Password,
    Consents,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Organization => "organization",
            Self::Email => "email",
            Self::Password => "password",
            Self::Consents => "consents",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        [
            Self::Name,
            Self::Organization,
            Self::Email,
            Self::Password,
            Self::Consents,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    /// The steps of a kind of user: the organisation only for those who found one.
    pub fn of(kind: UserKind) -> Vec<Step> {
        let mut v = vec![Self::Name];
        if kind.founds().is_some() {
            v.push(Self::Organization);
        }
        v.extend([Self::Email, Self::Password, Self::Consents]);
        v
    }
    /// The draft field that holds this step's answer (the consents step's required one).
    fn field(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Organization => "organization_name",
            Self::Email => "email",
            Self::Password => "password_hash",
            Self::Consents => "consent_privacy",
        }
    }
    /// Whether the draft holds an answer to this step.
    fn answered(self, d: &Pairs) -> bool {
        !drafts::get(d, self.field()).is_empty()
    }
    /// The draft fields this step owns (replaced when it is answered again).
    fn owns(self, field: &str) -> bool {
        match self {
            Self::Consents => field.starts_with("consent_") || field.starts_with("partner_"),
            _ => field == self.field(),
        }
    }
}

fn flow(kind: UserKind) -> String {
    format!("register/{}", kind.as_str())
}

fn kind_of(kind: &str) -> WebResult<UserKind> {
    UserKind::parse(kind)
        .filter(|k| k.may_self_register())
        .ok_or(Failure::NotFound)
}

fn step_of(kind: UserKind, step: &str) -> WebResult<Step> {
    Step::parse(step)
        .filter(|s| Step::of(kind).contains(s))
        .ok_or(Failure::NotFound)
}

/// The visitor's answers so far (none without a draft cookie).
async fn load(app: &AppState, owner: Option<Owner>, kind: UserKind) -> WebResult<Pairs> {
    match owner {
        Some(owner) => Ok(app
            .store
            .draft_load(owner, flow(kind), now())
            .await?
            .unwrap_or_default()),
        None => Ok(Pairs::new()),
    }
}

/// Partner companies a registering seeker may opt into (none for other kinds).
async fn partners_for(app: &AppState, kind: UserKind) -> WebResult<Vec<OrgRef>> {
    if kind == UserKind::Seeker {
        Ok(app.store.partner_companies().await?)
    } else {
        Ok(Vec::new())
    }
}

/// One checkbox of the consents step.
pub struct Consent {
    pub name: String,
    pub label: Msg,
    pub hint: Msg,
    pub checked: bool,
}

/// What a step asks.
pub enum Question {
    /// One text input; its label is the page's heading.
    Text {
        name: &'static str,
        label: &'static str,
        hint: &'static str,
        kind: &'static str,
        autocomplete: &'static str,
        value: String,
    },
    /// The consents, one group; its legend is the page's heading.
    Consents(Vec<Consent>),
}

#[derive(Template)]
#[template(path = "step.html")]
pub struct StepPage {
    pub c: Chrome,
    pub flow_title: &'static str,
    pub n: usize,
    pub total: usize,
    pub back: String,
    pub action: String,
    /// Came from the check-your-answers page: go back there after this step.
    pub ret: bool,
    pub question: Question,
    /// (field, message) of each error.
    pub errors: Vec<(String, String)>,
}

impl StepPage {
    fn error_of(&self, name: &str) -> Option<&String> {
        self.errors.iter().find(|(f, _)| f == name).map(|(_, m)| m)
    }
    fn heading(&self) -> String {
        match &self.question {
            Question::Text { label, .. } => self.c.a(label),
            Question::Consents(_) => self.c.a("consent-legend"),
        }
    }
}

fn title_key(kind: UserKind) -> &'static str {
    match kind {
        UserKind::Employer => "register-title-employer",
        UserKind::Supporter => "register-title-supporter",
        _ => "register-title-seeker",
    }
}

#[allow(clippy::too_many_arguments)]
fn step_page(
    req: &Req,
    kind: UserKind,
    step: Step,
    d: &Pairs,
    version: &str,
    partners: &[OrgRef],
    ret: bool,
    errors: Vec<(String, String)>,
) -> StepPage {
    let c = Chrome::new(req);
    let steps = Step::of(kind);
    let i = steps.iter().position(|s| *s == step).unwrap_or(0);
    let base = format!("/register/{}", kind.as_str());
    let back = if ret {
        format!("{base}/check")
    } else if i == 0 {
        "/register".to_owned()
    } else {
        format!("{base}/{}", steps[i - 1].as_str())
    };
    let text = |name, label, hint, kind, autocomplete| Question::Text {
        name,
        label,
        hint,
        kind,
        autocomplete,
        value: if kind == "password" {
            String::new()
        } else {
            drafts::get(d, name).to_owned()
        },
    };
    let question = match step {
        Step::Name => text("name", "field-name", "field-name-hint", "text", "name"),
        Step::Organization => text(
            "organization_name",
            match kind {
                UserKind::Supporter => "field-org-name-facility",
                _ => "field-org-name-company",
            },
            "",
            "text",
            "organization",
        ),
        Step::Email => text("email", "field-email", "", "email", "email"),
        Step::Password => text(
            "password",
            "field-password",
            "field-password-hint",
            "password",
            "new-password",
        ),
        Step::Consents => {
            let on = |k: &str| !drafts::get(d, k).is_empty();
            let mut v = vec![Consent {
                name: "consent_privacy".into(),
                label: c.t("consent-privacy-label"),
                hint: c.t1("consent-privacy-hint", "version", version),
                checked: on("consent_privacy"),
            }];
            if ConsentKind::SensitiveData.applies_to(kind) {
                v.push(Consent {
                    name: "consent_sensitive".into(),
                    label: c.t("consent-sensitive-label"),
                    hint: c.t("consent-sensitive-hint"),
                    checked: on("consent_sensitive"),
                });
            }
            for o in partners {
                let name = format!("partner_{}", o.id);
                v.push(Consent {
                    checked: on(&name),
                    name,
                    label: c.t1("register-partner-label", "name", &o.name),
                    hint: c.t("register-partners-hint"),
                });
            }
            Question::Consents(v)
        }
    };
    StepPage {
        c,
        flow_title: title_key(kind),
        n: i + 1,
        total: steps.len() + 1,
        back,
        action: format!("{base}/{}", step.as_str()),
        ret,
        question,
        errors,
    }
}

/// `/register/{kind}`: the first question.
pub async fn start(Path(kind): Path<String>) -> WebResult<Response> {
    let kind = kind_of(&kind)?;
    Ok(to_step(kind, Step::Name))
}

pub async fn step_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Path((kind, step)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let kind = kind_of(&kind)?;
    let step = step_of(kind, &step)?;
    let d = load(&app, visitor(&headers), kind).await?;
    let version = app.store.policy_version(ConsentKind::PrivacyPolicy).await?;
    let partners = partners_for(&app, kind).await?;
    let ret = q.get("return").is_some_and(|r| r == "check");
    Ok(html(&step_page(
        &req,
        kind,
        step,
        &d,
        &version,
        &partners,
        ret,
        vec![],
    )))
}

/// Checks one step's answer; what the step keeps in the draft, or its errors.
async fn answer(
    app: &AppState,
    req: &Req,
    kind: UserKind,
    step: Step,
    f: &Pairs,
    partners: &[OrgRef],
) -> WebResult<Pairs> {
    let get = |k: &str| drafts::get(f, k);
    let mut e = Fields::new();
    let kept = match step {
        Step::Name => e
            .take("name", PersonName::parse(get("name")))
            .map(|n| vec![("name".into(), n.as_str().to_owned())]),
        Step::Organization => e
            .take(
                "organization_name",
                OrgName::parse(get("organization_name")),
            )
            .map(|n| vec![("organization_name".into(), n.as_str().to_owned())]),
        Step::Email => e
            .take("email", Email::parse(get("email")))
            .map(|m| vec![("email".into(), m.as_str().to_owned())]),
        Step::Password => match e.take("password", NewPassword::parse(get("password"))) {
            Some(p) => {
                app.limiter
                    .allow(Bucket::Register, &req.ctx.ip, now())
                    .map_err(Failure::RateLimited)?;
                let hash = crate::accounts::flows::hash_password(p.as_str().to_owned()).await?;
                Some(vec![("password_hash".into(), hash)])
            }
            None => None,
        },
        Step::Consents => {
            if get("consent_privacy").is_empty() {
                e.add("consent_privacy", "consent-required");
                None
            } else {
                let mut v = vec![("consent_privacy".to_owned(), "yes".to_owned())];
                if ConsentKind::SensitiveData.applies_to(kind)
                    && !get("consent_sensitive").is_empty()
                {
                    v.push(("consent_sensitive".into(), "yes".into()));
                }
                for o in partners {
                    let name = format!("partner_{}", o.id);
                    if !get(&name).is_empty() {
                        v.push((name, "yes".into()));
                    }
                }
                Some(v)
            }
        }
    };
    match kept {
        Some(v) if e.is_empty() => Ok(v),
        _ => Err(Failure::Fields(e)),
    }
}

pub async fn step_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Path((kind, step)): Path<(String, String)>,
    Form(f): Form<Pairs>,
) -> WebResult<Response> {
    let kind = kind_of(&kind)?;
    let step = step_of(kind, &step)?;
    let partners = partners_for(&app, kind).await?;
    let ret = drafts::get(&f, "return") == "check";
    let (owner, new_cookie) = match visitor(&headers) {
        Some(o) => (o, None),
        None => {
            let (o, c) = new_visitor();
            (o, Some(c))
        }
    };
    let mut d = load(&app, Some(owner.clone()), kind).await?;
    match answer(&app, &req, kind, step, &f, &partners).await {
        Ok(kept) => {
            d.retain(|(k, _)| !step.owns(k));
            d.extend(kept);
            let t = now();
            app.store
                .draft_save(owner, flow(kind), d.clone(), t, t + VISITOR_TTL)
                .await?;
            let steps = Step::of(kind);
            let next = if ret {
                None
            } else {
                steps
                    .iter()
                    .skip_while(|s| **s != step)
                    .nth(1)
                    .map(|s| s.as_str())
            };
            let to = format!("/register/{}/{}", kind.as_str(), next.unwrap_or("check"));
            let mut r = see_other(&to);
            if let Some(c) = new_cookie {
                append_cookie(&mut r, &c);
            }
            Ok(r)
        }
        Err(Failure::Fields(fields)) => {
            // Show what was typed (never the password), with the errors on the field.
            let mut shown = d;
            shown.retain(|(k, _)| !step.owns(k));
            shown.extend(f.iter().filter(|(k, _)| step.owns(k)).cloned());
            let version = app.store.policy_version(ConsentKind::PrivacyPolicy).await?;
            let tr = req.tr();
            let errors = fields
                .0
                .iter()
                .map(|e| (e.field.to_owned(), tr.t(&format!("err-{}", e.code))))
                .collect();
            let page = step_page(&req, kind, step, &shown, &version, &partners, ret, errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)).into_response())
        }
        Err(other) => Err(other),
    }
}

/// One row of check-your-answers.
pub struct Answer {
    pub label: &'static str,
    pub value: String,
    /// The value is a message key to show in the reader's language, not typed text.
    pub value_is_key: bool,
    pub change: String,
}

#[derive(Template)]
#[template(path = "check.html")]
pub struct CheckPage {
    pub c: Chrome,
    pub flow_title: &'static str,
    pub n: usize,
    pub back: String,
    pub action: String,
    pub answers: Vec<Answer>,
    pub consents: Vec<Msg>,
    pub consents_change: String,
    pub error: Option<String>,
}

fn check_page(
    req: &Req,
    kind: UserKind,
    d: &Pairs,
    partners: &[OrgRef],
    error: Option<String>,
) -> CheckPage {
    let c = Chrome::new(req);
    let base = format!("/register/{}", kind.as_str());
    let change = |s: Step| format!("{base}/{}?return=check", s.as_str());
    let mut answers = vec![Answer {
        label: "field-name",
        value: drafts::get(d, "name").to_owned(),
        value_is_key: false,
        change: change(Step::Name),
    }];
    if kind.founds().is_some() {
        answers.push(Answer {
            label: match kind {
                UserKind::Supporter => "field-org-name-facility",
                _ => "field-org-name-company",
            },
            value: drafts::get(d, "organization_name").to_owned(),
            value_is_key: false,
            change: change(Step::Organization),
        });
    }
    answers.push(Answer {
        label: "field-email",
        value: drafts::get(d, "email").to_owned(),
        value_is_key: false,
        change: change(Step::Email),
    });
    answers.push(Answer {
        label: "field-password",
        value: "check-password-set".into(),
        value_is_key: true,
        change: change(Step::Password),
    });
    let mut consents = vec![c.t("consent-privacy-label")];
    if !drafts::get(d, "consent_sensitive").is_empty() {
        consents.push(c.t("consent-sensitive-label"));
    }
    for o in partners {
        if !drafts::get(d, &format!("partner_{}", o.id)).is_empty() {
            consents.push(c.t1("register-partner-label", "name", &o.name));
        }
    }
    let steps = Step::of(kind);
    CheckPage {
        c,
        flow_title: title_key(kind),
        n: steps.len() + 1,
        back: format!("{base}/{}", Step::Consents.as_str()),
        action: format!("{base}/check"),
        answers,
        consents,
        consents_change: change(Step::Consents),
        error,
    }
}

fn to_step(kind: UserKind, s: Step) -> Response {
    see_other(&format!("/register/{}/{}", kind.as_str(), s.as_str()))
}

/// The first step not yet answered, if any.
fn missing(kind: UserKind, d: &Pairs) -> Option<Step> {
    Step::of(kind).into_iter().find(|s| !s.answered(d))
}

pub async fn check_form(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    let kind = kind_of(&kind)?;
    let d = load(&app, visitor(&headers), kind).await?;
    if let Some(s) = missing(kind, &d) {
        return Ok(to_step(kind, s));
    }
    let partners = partners_for(&app, kind).await?;
    Ok(html(&check_page(&req, kind, &d, &partners, None)))
}

pub async fn check_submit(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    headers: HeaderMap,
    Path(kind): Path<String>,
) -> WebResult<Response> {
    let kind = kind_of(&kind)?;
    let Some(owner) = visitor(&headers) else {
        return Ok(see_other(&format!("/register/{}", kind.as_str())));
    };
    let d = load(&app, Some(owner.clone()), kind).await?;
    if let Some(s) = missing(kind, &d) {
        return Ok(to_step(kind, s));
    }
    let mut consents = vec![ConsentKind::PrivacyPolicy.as_str().to_owned()];
    if !drafts::get(&d, "consent_sensitive").is_empty() {
        consents.push(ConsentKind::SensitiveData.as_str().to_owned());
    }
    let reg = Registration {
        email: drafts::get(&d, "email").into(),
        password: String::new(),
        password_hash: Some(drafts::get(&d, "password_hash").into()),
        name: drafts::get(&d, "name").into(),
        organization_name: drafts::get(&d, "organization_name").into(),
        consents,
        partner_companies: d
            .iter()
            .filter_map(|(k, _)| k.strip_prefix("partner_").map(str::to_owned))
            .collect(),
    };
    match flows::register(&app, &req, kind, reg, "web").await {
        Ok(_) => {
            delete_draft(&app, owner, kind).await;
            let mut r = see_other("/login?m=register-done");
            append_cookie(&mut r, &forget_visitor());
            Ok(r)
        }
        Err(Failure::RateLimited(_)) => {
            let partners = partners_for(&app, kind).await?;
            let msg = req.tr().t(Failure::RateLimited(0).message_key());
            let page = check_page(&req, kind, &d, &partners, Some(msg));
            Ok((StatusCode::TOO_MANY_REQUESTS, html(&page)).into_response())
        }
        // A step's answer no longer holds (e.g. the rules changed): ask it again.
        Err(Failure::Fields(_)) => Ok(see_other(&format!("/register/{}", kind.as_str()))),
        Err(other) => Err(other),
    }
}

async fn delete_draft(app: &AppState, owner: Owner, kind: UserKind) {
    if let Err(e) = app.store.draft_delete(owner, flow(kind)).await {
        tracing::error!(error = %e, "deleting a registration draft failed");
    }
}
