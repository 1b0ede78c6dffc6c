//! The use cases behind both the pages and the API: one place for validation, rate
//! limits and the rules of registration, login, reset and invitations. Pages and API
//! handlers are thin adapters over these.
use crate::error::{Failure, WebResult};
use crate::limit::Bucket;
use crate::request::{Req, Viewer};
use crate::{AppState, mail, now};
use domain::validate::{Email, NewPassword, OrgName, PersonName};
use domain::{ConsentKind, Fields, Relation, Role, UserKind};
use store::accounts::{NewAccount, Registered};
use store::factors::{AuthMethod, Challenge, SignInFactor};
use store::invitations::{Invite, Refused};
use store::sessions::Channel;

/// A registration as submitted (page form or JSON).
#[derive(Debug, Default, Clone)]
pub struct Registration {
    pub email: String,
    pub password: String,
    /// The argon2 hash of a password already checked and hashed (a registration
    /// answered step by step keeps only the hash); `password` is then ignored.
    pub password_hash: Option<String>,
    pub name: String,
    pub organization_name: String,
    pub consents: Vec<String>,
    /// Partner companies (seekers only) that may receive the full profile.
    pub partner_companies: Vec<String>,
}

enum Password {
    Plain(String),
    Hashed(String),
}

pub(crate) async fn hash_password(pw: String) -> WebResult<String> {
    tokio::task::spawn_blocking(move || store::passwords::hash(&pw))
        .await
        .map_err(|_| Failure::Internal)?
        .map_err(Failure::from)
}

pub(crate) fn rate(app: &AppState, b: Bucket, key: &str) -> WebResult<()> {
    app.limiter
        .allow(b, key, now())
        .map_err(Failure::RateLimited)
}

/// Registers a seeker, employer or supporter. Answers the same for a new and for an
/// already registered address (the owner of the latter is told by mail), so this
/// cannot be used to find out who is registered.
pub async fn register(
    app: &AppState,
    req: &Req,
    kind: UserKind,
    r: Registration,
    method: &'static str,
) -> WebResult<String> {
    if !kind.may_self_register() {
        return Err(Failure::field("kind", "kind-invalid"));
    }
    let mut f = Fields::new();
    let name = f.take("name", PersonName::parse(&r.name));
    let org_name = match kind.founds() {
        Some(_) => f.take("organization_name", OrgName::parse(&r.organization_name)),
        None => None,
    };
    let email = f.take("email", Email::parse(&r.email));
    let password = match &r.password_hash {
        Some(h) if !h.is_empty() => Some(Password::Hashed(h.clone())),
        _ => f
            .take("password", NewPassword::parse(&r.password))
            .map(|p| Password::Plain(p.as_str().to_owned())),
    };
    let mut consents = Vec::new();
    for c in &r.consents {
        match ConsentKind::parse(c) {
            Some(k) if k.applies_to(kind) && k.standalone() => consents.push(k),
            _ => f.add("consents", "consent-unknown"),
        }
    }
    if !consents.contains(&ConsentKind::PrivacyPolicy) {
        f.add("consent_privacy", "consent-required");
    }
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(Failure::Fields(f));
    };
    f.into_result()?;
    rate(app, Bucket::Register, &req.ctx.ip)?;
    let password_hash = match password {
        Password::Hashed(hash) => hash,
        Password::Plain(plain) => hash_password(plain).await?,
    };
    let base = app.cfg.public_url.clone();
    let to = email.as_str().to_owned();
    let account = NewAccount {
        kind,
        email,
        password_hash,
        name,
        lang: req.lang.as_str().to_owned(),
        org_name,
        consents,
        partners: if kind == UserKind::Seeker {
            r.partner_companies
        } else {
            Vec::new()
        },
        method,
        email_verified: false,
    };
    let link_base = base.clone();
    let outcome = app
        .store
        .register(
            account,
            req.ctx.clone(),
            now(),
            move |token, lang| mail::email_check(&link_base, token, lang),
            move |lang| mail::registration_taken(&base, &to, lang),
        )
        .await?;
    Ok(match outcome {
        Registered::Created(id) => id,
        // Indistinguishable from a new account's id.
        Registered::EmailTaken => store::new_id(),
    })
}

/// What a right password leads to.
#[derive(Debug)]
pub enum SignIn {
    /// Signed in: the session's id and token.
    Session(String, String),
    /// Signed in with the password alone by an account that must have a second factor
    /// and has none yet: the session (id, token) can only set one up (the guard holds it
    /// to `routes::BEFORE_SECOND_FACTOR`).
    SetUpFirst(String, String),
    /// The account has a second factor and no code came with the password: the token
    /// of the challenge that waits for it (the web's second step).
    NeedsCode(String),
}

/// Checks email and password (and, for an account with a second factor, the `code`
/// that came with them) and starts a session. One message for every failure of the
/// password; a missing or wrong code is tied to the `code` field.
pub async fn login(
    app: &AppState,
    req: &Req,
    email: &str,
    password: &str,
    code: Option<&str>,
    channel: Channel,
) -> WebResult<SignIn> {
    let mut f = Fields::new();
    let email = f.take("email", Email::parse(email));
    if password.is_empty() {
        f.add("password", "password-required");
    }
    let Some(email) = email else {
        return Err(Failure::Fields(f));
    };
    f.into_result()?;
    rate(app, Bucket::LoginByAddress, &req.ctx.ip)?;
    rate(
        app,
        Bucket::LoginByAccount,
        &store::token_hash(email.as_str()),
    )?;
    let found = app.store.login_lookup(email).await?;
    let pw = password.to_owned();
    let user_id = tokio::task::spawn_blocking(move || match found {
        Some((id, hash)) if store::passwords::verify(&pw, &hash) => Some(id),
        Some(_) => None,
        None => {
            store::passwords::verify_dummy(&pw);
            None
        }
    })
    .await
    .map_err(|_| Failure::Internal)?;
    let Some(user_id) = user_id else {
        tracing::info!("login failed");
        return Err(Failure::LoginFailed);
    };
    let mut method = AuthMethod::Password;
    let need = app.store.sign_in_factor(user_id.clone()).await?;
    if need == SignInFactor::Code {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None if channel == Channel::Web => {
                return Ok(SignIn::NeedsCode(
                    app.store.challenge_start(user_id, now()).await?,
                ));
            }
            None => return Err(Failure::field("code", "code-required")),
            Some(code) => {
                method = app
                    .store
                    .second_factor_check(
                        user_id.clone(),
                        code.to_owned(),
                        now(),
                        recovery_mail(app),
                    )
                    .await?
                    .ok_or_else(|| {
                        tracing::info!("second factor refused");
                        Failure::field("code", "code-wrong")
                    })?;
            }
        }
    }
    let (sid, token) = start_session(app, req, user_id, channel, method).await?;
    Ok(match need {
        SignInFactor::SetUpFirst => SignIn::SetUpFirst(sid, token),
        _ => SignIn::Session(sid, token),
    })
}

/// The web's second step: answers the sign-in challenge `challenge` with `code`.
/// `Ok(None)`: the challenge has ended (expired, used, too many wrong codes); sign in
/// again. A wrong code is tied to the `code` field. Also says how many recovery codes
/// are left when one was used.
pub async fn login_code(
    app: &AppState,
    req: &Req,
    challenge: &str,
    code: &str,
) -> WebResult<Option<((String, String), Option<i64>)>> {
    if code.trim().is_empty() {
        return Err(Failure::field("code", "code-required"));
    }
    rate(
        app,
        Bucket::LoginByAccount,
        &store::token_hash(&format!("challenge:{challenge}")),
    )?;
    match app
        .store
        .challenge_answer(challenge, code.to_owned(), now(), recovery_mail(app))
        .await?
    {
        Challenge::Gone => Ok(None),
        Challenge::Wrong => {
            tracing::info!("second factor refused");
            Err(Failure::field("code", "code-wrong"))
        }
        Challenge::Passed {
            user_id,
            method,
            recovery_left,
        } => {
            let s = start_session(app, req, user_id, Channel::Web, method).await?;
            Ok(Some((
                s,
                (method == AuthMethod::Recovery).then_some(recovery_left),
            )))
        }
    }
}

/// The mail a person gets when one of their recovery codes is used.
fn recovery_mail(app: &AppState) -> store::factors::RecoveryMail {
    let base = app.cfg.public_url.clone();
    Box::new(move |lang, left| mail::recovery_used(&base, lang, left))
}

/// Starts a session for `user_id`, signed in by `method`, and writes it to the audit log.
async fn start_session(
    app: &AppState,
    req: &Req,
    user_id: String,
    channel: Channel,
    method: AuthMethod,
) -> WebResult<(String, String)> {
    // Display choices made before signing in (200 % text, furigana …) stay: a page that
    // shrinks right after sign-in is what a low-vision user must never meet. Chosen in
    // this browser, they become the account's; with none chosen, the account's apply.
    if channel == Channel::Web && req.prefs != crate::prefs::Prefs::default() {
        app.store
            .set_display(user_id.clone(), req.prefs.code())
            .await?;
    }
    let timeouts = match channel {
        Channel::Web => app.cfg.web_session,
        Channel::Api => app.cfg.api_session,
    };
    let t = now();
    let session = app
        .store
        .session_start(
            user_id.clone(),
            channel,
            req.ctx.user_agent.clone(),
            method,
            timeouts,
            t,
        )
        .await?;
    app.store
        .audit_event(
            store::audit::Entry {
                actor_id: Some(user_id.clone()),
                subject_id: Some(user_id),
                action: format!("session.login.{}.{}", channel.as_str(), method.as_str()),
                purpose: "authentication".into(),
                ip: req.ctx.ip.clone(),
                user_agent: req.ctx.user_agent.clone(),
                ..Default::default()
            },
            t,
        )
        .await?;
    Ok(session)
}

/// Queues a reset mail if the address is registered; the answer never says whether.
pub async fn reset_request(app: &AppState, req: &Req, email: &str) -> WebResult<()> {
    let email = Email::parse(email).map_err(|code| Failure::field("email", code))?;
    rate(app, Bucket::Reset, &req.ctx.ip)?;
    let base = app.cfg.public_url.clone();
    let to = email.as_str().to_owned();
    app.store
        .reset_request(email, app.cfg.reset_ttl, now(), move |token, lang| {
            mail::password_reset(&base, &to, token, lang)
        })
        .await?;
    Ok(())
}

/// Sets a new password with a reset token. `Ok(false)`: the token is not usable.
pub async fn reset_confirm(
    app: &AppState,
    req: &Req,
    token: &str,
    password: &str,
) -> WebResult<bool> {
    let password = NewPassword::parse(password).map_err(|code| Failure::field("password", code))?;
    if !app.store.reset_valid(token, now()).await? {
        return Ok(false);
    }
    let hash = hash_password(password.as_str().to_owned()).await?;
    Ok(app
        .store
        .reset_confirm(token, hash, req.ctx.clone(), now())
        .await?)
}

/// An invitation as submitted.
#[derive(Debug, Default, Clone)]
pub struct InvitationForm {
    pub email: String,
    /// `member` or `family`.
    pub kind: String,
    pub organization_id: String,
    pub role: String,
    pub relation: String,
}

pub async fn invite(
    app: &AppState,
    req: &Req,
    viewer: &Viewer,
    i: InvitationForm,
) -> WebResult<String> {
    let mut f = Fields::new();
    let email = f.take("email", Email::parse(&i.email));
    let invite = match i.kind.as_str() {
        "family" => Relation::parse(&i.relation)
            .map(|relation| Invite::Family { relation })
            .ok_or("relation-invalid")
            .map_err(|c| f.add("relation", c))
            .ok(),
        "member" => Role::parse(&i.role)
            .map(|role| Invite::Member {
                org_id: i.organization_id.clone(),
                role,
            })
            .ok_or("role-invalid")
            .map_err(|c| f.add("role", c))
            .ok(),
        _ => {
            f.add("kind", "kind-invalid");
            None
        }
    };
    let (Some(email), Some(invite)) = (email, invite) else {
        return Err(Failure::Fields(f));
    };
    let base = app.cfg.public_url.clone();
    let to = email.as_str().to_owned();
    let lang = req.lang.as_str().to_owned();
    let r = app
        .store
        .invite(
            store::invitations::NewInvitation {
                inviter: viewer.user_id.clone(),
                invite,
                email,
                ttl: app.cfg.invitation_ttl,
            },
            req.ctx.clone(),
            now(),
            move |token, org| mail::invitation(&base, &to, token, org, &lang),
        )
        .await?;
    match r {
        Ok(id) => Ok(id),
        Err(Refused::NotAllowed) => Err(Failure::Forbidden),
        Err(Refused::AlreadyRegistered) => Err(Failure::field("email", "already-registered")),
    }
}

/// Accepts an invitation by creating the account. `Ok(None)`: the token is not usable.
pub async fn accept(
    app: &AppState,
    req: &Req,
    token: &str,
    name: &str,
    password: &str,
    privacy_consent: bool,
) -> WebResult<Option<String>> {
    let mut f = Fields::new();
    let name = f.take("name", PersonName::parse(name));
    let password = f.take("password", NewPassword::parse(password));
    if !privacy_consent {
        f.add("consent_privacy", "consent-required");
    }
    let (Some(name), Some(password)) = (name, password) else {
        return Err(Failure::Fields(f));
    };
    f.into_result()?;
    if app.store.invitation_open(token, now()).await?.is_none() {
        return Ok(None);
    }
    let hash = hash_password(password.as_str().to_owned()).await?;
    app.store
        .invitation_accept(
            token,
            name,
            hash,
            req.lang.as_str().to_owned(),
            req.ctx.clone(),
            now(),
        )
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(field) => Failure::field(field, "already-registered"),
            other => Failure::from(other),
        })
}

/// Checks the signed-in user again before a step that needs it (退会, a download of all
/// their data, a rights request): a code from their second factor when one is given,
/// else the password; rate-limited as a sign-in is. The refusal is tied to the field
/// that was wrong (`code` or `password`).
pub async fn check_fresh(app: &AppState, v: &Viewer, password: &str, code: &str) -> WebResult<()> {
    rate(
        app,
        Bucket::LoginByAccount,
        &store::token_hash(&format!("recheck:{}", v.user_id)),
    )?;
    if !code.trim().is_empty() {
        return match app
            .store
            .second_factor_check(
                v.user_id.clone(),
                code.to_owned(),
                now(),
                recovery_mail(app),
            )
            .await?
        {
            Some(_) => Ok(()),
            None => {
                tracing::info!("second factor check refused");
                Err(Failure::field("code", "code-wrong"))
            }
        };
    }
    if password.is_empty() {
        return Err(Failure::field("password", "password-required"));
    }
    let hash = app
        .store
        .password_hash(v.user_id.clone())
        .await?
        .ok_or(Failure::Unauthorized)?;
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || store::passwords::verify(&pw, &hash))
        .await
        .map_err(|_| Failure::Internal)?;
    if !ok {
        tracing::info!("password check refused");
        return Err(Failure::field("password", "password-wrong"));
    }
    Ok(())
}

/// 退会: checks the password again, then closes the account at once. Answers which
/// field is wrong, in the user's language, and closes nothing when anything is refused.
pub async fn close_account(
    app: &AppState,
    req: &Req,
    v: &Viewer,
    password: &str,
    code: &str,
) -> WebResult<()> {
    check_fresh(app, v, password, code).await?;
    let base = app.cfg.public_url.clone();
    match app
        .store
        .close_account(
            v.user_id.clone(),
            app.cfg.keeping,
            now(),
            req.ctx.clone(),
            move |lang, erase_at| mail::account_closed(&base, lang, erase_at),
        )
        .await?
    {
        Ok(()) => Ok(()),
        Err(store::erasure::CloseRefused::NotOpen) => Err(Failure::Unauthorized),
        Err(store::erasure::CloseRefused::LastAdmin) => {
            Err(Failure::field("password", "close-last-admin"))
        }
    }
}
