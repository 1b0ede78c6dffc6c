//! Accounts, organisations and family links; password reset.
//!
//! Names and email addresses are sealed with the user's data key; login finds a user
//! by a keyed hash (blind index) of the email. Every view of another person's account
//! goes through `domain::disclosure` and, when it shows something, is written to the
//! audit log in the same transaction.
use crate::audit::{self, Entry};
use crate::consents;
use crate::disclosure::{Access, view_account_tx};
use crate::error::{Result, StoreError};
use crate::outbox::{self, Mail};
use crate::schema::{family_links, memberships, organizations, password_resets, users};
use crate::{DbConn, Keyring, Store, new_id, new_token, token_hash};
use diesel::prelude::*;
use domain::disclosure::AccountView;
use domain::validate::{Email, OrgName, PersonName};
use domain::{ConsentKind, OrgKind, Relation, Role, UserKind};

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    pub ip: String,
    pub user_agent: String,
}

/// A validated new account.
pub struct NewAccount {
    pub kind: UserKind,
    pub email: Email,
    pub password_hash: String,
    pub name: PersonName,
    pub lang: String,
    /// The organisation an employer or supporter founds.
    pub org_name: Option<OrgName>,
    pub consents: Vec<ConsentKind>,
    /// Partner companies the seeker lets receive the profile (chosen at registration).
    pub partners: Vec<String>,
    /// How consent was given: `web`, `api`, `demo`.
    pub method: &'static str,
    /// Whether the address is known to be the person's already (an invitation or a
    /// set-up link reached it); a self-registered address is mailed a link instead
    /// (`email_checks`).
    pub email_verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    Created(String),
    /// The address already has an account; its owner was told by mail. Callers answer
    /// exactly as for `Created`, so registration does not reveal who is registered.
    EmailTaken,
}

pub const EMAIL_PURPOSE: &str = "email";

/// Creates a user (and the organisation it founds), inside a write transaction.
pub fn create_account(
    c: &mut DbConn,
    keys: &Keyring,
    a: &NewAccount,
    now: i64,
    ctx: &Ctx,
) -> Result<String> {
    let bidx = keys.blind_index(EMAIL_PURPOSE, a.email.as_str())?;
    let taken: i64 = users::table
        .filter(users::email_bidx.eq(&bidx))
        .count()
        .get_result(c)?;
    if taken > 0 {
        return Err(StoreError::Conflict("email"));
    }
    let id = new_id();
    let key = keys.new_subject_key(&id, now)?;
    diesel::insert_into(users::table)
        .values((
            users::id.eq(&id),
            users::kind.eq(a.kind.as_str()),
            users::email_bidx.eq(&bidx),
            users::email_enc.eq(key.seal_str("users", "email", &id, a.email.as_str())?),
            users::name_enc.eq(key.seal_str("users", "name", &id, a.name.as_str())?),
            users::password_hash.eq(&a.password_hash),
            users::lang.eq(&a.lang),
            users::created_at.eq(now),
            users::email_verified_at.eq(a.email_verified.then_some(now)),
        ))
        .execute(c)?;
    if let (Some(org_kind), Some(org_name)) = (a.kind.founds(), &a.org_name) {
        let org_id = new_id();
        let code = (org_kind == OrgKind::Facility).then(crate::profiles::facility::new_code);
        diesel::insert_into(organizations::table)
            .values((
                organizations::id.eq(&org_id),
                organizations::kind.eq(org_kind.as_str()),
                organizations::name.eq(org_name.as_str()),
                organizations::created_at.eq(now),
                organizations::invite_code.eq(code),
            ))
            .execute(c)?;
        add_membership(c, &org_id, &id, org_kind.founder_role(), now)?;
    }
    for k in &a.consents {
        if k.applies_to(a.kind) && k.standalone() {
            consents::give(c, &id, *k, a.method, now)?;
        }
    }
    if a.kind == UserKind::Seeker {
        for org in &a.partners {
            let partner: i64 = organizations::table
                .filter(organizations::id.eq(org))
                .filter(organizations::is_partner.eq(true))
                .count()
                .get_result(c)?;
            if partner > 0 {
                consents::give_for(
                    c,
                    &id,
                    ConsentKind::PartnerProvision,
                    Some(org),
                    None,
                    a.method,
                    now,
                )?;
            }
        }
    }
    audit::append(
        c,
        now,
        Entry {
            actor_id: Some(id.clone()),
            subject_id: Some(id.clone()),
            action: "account.create".into(),
            items: vec!["name", "email"],
            purpose: "registration".into(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
        },
    )?;
    Ok(id)
}

pub fn add_membership(
    c: &mut DbConn,
    org_id: &str,
    user_id: &str,
    role: Role,
    now: i64,
) -> Result<()> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(new_id()),
            memberships::org_id.eq(org_id),
            memberships::user_id.eq(user_id),
            memberships::role.eq(role.as_str()),
            memberships::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

pub fn add_family_link(
    c: &mut DbConn,
    seeker_id: &str,
    family_id: &str,
    relation: Relation,
    now: i64,
) -> Result<String> {
    let id = new_id();
    diesel::insert_into(family_links::table)
        .values((
            family_links::id.eq(&id),
            family_links::seeker_id.eq(seeker_id),
            family_links::family_id.eq(family_id),
            family_links::relation.eq(relation.as_str()),
            family_links::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(id)
}

/// The signed-in user's own account.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: String,
    pub kind: UserKind,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub created_at: i64,
    /// Whether the person has confirmed the address by a link mailed to it.
    pub email_verified: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Membership {
    pub org_id: String,
    pub org_kind: OrgKind,
    pub org_name: String,
    pub role: Role,
    pub verified: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Member {
    pub user_id: String,
    pub role: Role,
    #[serde(flatten)]
    pub view: AccountView,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FamilyLink {
    pub link_id: String,
    /// The other person of the link (the family member for a seeker, and vice versa).
    pub person_id: String,
    pub relation: Relation,
    pub created_at: i64,
    #[serde(flatten)]
    pub view: AccountView,
}

impl Store {
    /// Registers a self-registering user and mails the address a link to confirm it
    /// (`check_mail(token, lang)`). See [`Registered`] for a taken address.
    pub async fn register(
        &self,
        a: NewAccount,
        ctx: Ctx,
        now: i64,
        check_mail: impl FnOnce(&str, &str) -> Mail + Send + 'static,
        taken_mail: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<Registered> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| match create_account(c, &keys, &a, now, &ctx) {
                Ok(id) => {
                    if !a.email_verified {
                        crate::email_checks::new_check(
                            c,
                            &keys,
                            &id,
                            a.email.as_str(),
                            now,
                            check_mail,
                        )?;
                    }
                    Ok(Registered::Created(id))
                }
                Err(StoreError::Conflict("email")) => {
                    let bidx = keys.blind_index(EMAIL_PURPOSE, a.email.as_str())?;
                    let lang: String = users::table
                        .filter(users::email_bidx.eq(&bidx))
                        .select(users::lang)
                        .first(c)?;
                    outbox::enqueue(&keys, c, "register_taken", &taken_mail(&lang), now)?;
                    Ok(Registered::EmailTaken)
                }
                Err(e) => Err(e),
            })
            .await
    }

    /// The password hash of an open account (to check the password again before a
    /// step such as 退会).
    pub async fn password_hash(&self, user: String) -> Result<Option<String>> {
        self.db
            .read(move |c| {
                users::table
                    .filter(users::id.eq(&user))
                    .filter(users::closed_at.is_null())
                    .select(users::password_hash)
                    .first(c)
                    .optional()
                    .map_err(StoreError::from)
            })
            .await
    }

    /// The id and password hash of the open account with this email, if any.
    pub async fn login_lookup(&self, email: Email) -> Result<Option<(String, String)>> {
        let bidx = self.keys.blind_index(EMAIL_PURPOSE, email.as_str())?;
        self.db
            .read(move |c| {
                users::table
                    .filter(users::email_bidx.eq(&bidx))
                    .filter(users::closed_at.is_null())
                    // A suspended account (after a report) cannot sign in.
                    .filter(users::suspended_at.is_null())
                    .select((users::id, users::password_hash))
                    .first(c)
                    .optional()
                    .map_err(StoreError::from)
            })
            .await
    }

    pub async fn audit_event(&self, e: Entry, now: i64) -> Result<()> {
        self.db
            .write(move |c| audit::append(c, now, e).map(|_| ()))
            .await
    }

    pub async fn me(&self, user_id: String) -> Result<Option<Me>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let row: Option<(String, String, i64, Option<i64>)> = users::table
                    .filter(users::id.eq(&user_id))
                    .select((
                        users::kind,
                        users::lang,
                        users::created_at,
                        users::email_verified_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some((kind, lang, created_at, verified_at)) = row else {
                    return Ok(None);
                };
                let (Some(kind), Some(data)) = (
                    UserKind::parse(&kind),
                    crate::disclosure::own_account(c, &keys, &user_id)?,
                ) else {
                    return Ok(None);
                };
                Ok(Some(Me {
                    id: user_id,
                    kind,
                    name: data.name,
                    email: data.email,
                    lang,
                    created_at,
                    email_verified: verified_at.is_some(),
                }))
            })
            .await
    }

    pub async fn set_lang(&self, user_id: String, lang: &'static str) -> Result<()> {
        self.db
            .write(move |c| {
                diesel::update(users::table.filter(users::id.eq(&user_id)))
                    .set(users::lang.eq(lang))
                    .execute(c)?;
                Ok(())
            })
            .await
    }

    /// Remembers the account's display settings (a short code of the web layer).
    pub async fn set_display(&self, user_id: String, code: String) -> Result<()> {
        self.db
            .write(move |c| {
                diesel::update(users::table.filter(users::id.eq(&user_id)))
                    .set(users::display.eq(code))
                    .execute(c)?;
                Ok(())
            })
            .await
    }

    pub async fn memberships_of(&self, user_id: String) -> Result<Vec<Membership>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, String, Option<i64>)> = memberships::table
                    .inner_join(organizations::table)
                    .filter(memberships::user_id.eq(&user_id))
                    .filter(memberships::ended_at.is_null())
                    .order(organizations::name.asc())
                    .select((
                        organizations::id,
                        organizations::kind,
                        organizations::name,
                        memberships::role,
                        organizations::verified_at,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(org_id, kind, org_name, role, verified_at)| {
                        Some(Membership {
                            org_id,
                            org_kind: OrgKind::parse(&kind)?,
                            org_name,
                            role: Role::parse(&role)?,
                            verified: verified_at.is_some(),
                        })
                    })
                    .collect())
            })
            .await
    }

    /// The members of an organisation as the viewer may see them (through the policy).
    pub async fn org_members(
        &self,
        viewer: String,
        org_id: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Vec<Member>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let rows: Vec<(String, String)> = memberships::table
                    .filter(memberships::org_id.eq(&org_id))
                    .filter(memberships::ended_at.is_null())
                    .order(memberships::created_at.asc())
                    .select((memberships::user_id, memberships::role))
                    .load(c)?;
                let mut out = Vec::new();
                for (user_id, role) in rows {
                    let Some(role) = Role::parse(&role) else {
                        continue;
                    };
                    let access = Access::new(&viewer, "organization_members", &ctx, now);
                    if let Some(d) = view_account_tx(c, &keys, &access, &user_id)? {
                        out.push(Member {
                            user_id,
                            role,
                            view: d.into_view(),
                        });
                    }
                }
                Ok(out)
            })
            .await
    }

    /// The live family links of a user, seen from their side.
    pub async fn family_links(
        &self,
        viewer: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Vec<FamilyLink>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let rows: Vec<(String, String, String, String, i64)> = family_links::table
                    .filter(
                        family_links::seeker_id
                            .eq(&viewer)
                            .or(family_links::family_id.eq(&viewer)),
                    )
                    .filter(family_links::ended_at.is_null())
                    .order(family_links::created_at.asc())
                    .select((
                        family_links::id,
                        family_links::seeker_id,
                        family_links::family_id,
                        family_links::relation,
                        family_links::created_at,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (link_id, seeker, family, relation, created_at) in rows {
                    let other = if seeker == viewer { family } else { seeker };
                    let Some(relation) = Relation::parse(&relation) else {
                        continue;
                    };
                    let access = Access::new(&viewer, "family_link", &ctx, now);
                    if let Some(d) = view_account_tx(c, &keys, &access, &other)? {
                        out.push(FamilyLink {
                            link_id,
                            person_id: other,
                            relation,
                            created_at,
                            view: d.into_view(),
                        });
                    }
                }
                Ok(out)
            })
            .await
    }

    /// Ends a family link; either side may end it. False if no such live link.
    pub async fn end_family_link(
        &self,
        viewer: String,
        link_id: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    family_links::table
                        .filter(family_links::id.eq(&link_id))
                        .filter(
                            family_links::seeker_id
                                .eq(&viewer)
                                .or(family_links::family_id.eq(&viewer)),
                        )
                        .filter(family_links::ended_at.is_null()),
                )
                .set(family_links::ended_at.eq(Some(now)))
                .execute(c)?;
                if n > 0 {
                    audit::own_act_for(
                        c,
                        &viewer,
                        "family_link.end".to_owned(),
                        "family_link",
                        &ctx,
                        now,
                    )?;
                }
                Ok(n > 0)
            })
            .await
    }

    /// Starts a password reset: if the address has an open account, queues the mail
    /// with a single-use token valid for `ttl` seconds. Says nothing about whether it did.
    pub async fn reset_request(
        &self,
        email: Email,
        ttl: i64,
        now: i64,
        compose: impl FnOnce(&str, &str) -> Mail + Send + 'static,
    ) -> Result<()> {
        let keys = self.keys.clone();
        let bidx = keys.blind_index(EMAIL_PURPOSE, email.as_str())?;
        self.db
            .write(move |c| {
                let row: Option<(String, String)> = users::table
                    .filter(users::email_bidx.eq(&bidx))
                    .filter(users::closed_at.is_null())
                    .select((users::id, users::lang))
                    .first(c)
                    .optional()?;
                let Some((user_id, lang)) = row else {
                    return Ok(());
                };
                let token = new_reset(c, &user_id, ttl, now)?;
                outbox::enqueue(&keys, c, "password_reset", &compose(&token, &lang), now)?;
                Ok(())
            })
            .await
    }

    /// Whether a reset token is currently usable (for showing the form).
    pub async fn reset_valid(&self, token: &str, now: i64) -> Result<bool> {
        let hash = token_hash(token);
        self.db
            .read(move |c| {
                let n: i64 = password_resets::table
                    .filter(password_resets::token_hash.eq(&hash))
                    .filter(password_resets::used_at.is_null())
                    .filter(password_resets::expires_at.gt(now))
                    .count()
                    .get_result(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// Sets a new password with a reset token; ends every session and every other
    /// outstanding reset of that user. False if the token is unknown, used or expired.
    pub async fn reset_confirm(
        &self,
        token: &str,
        new_hash: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        let hash = token_hash(token);
        self.db
            .write(move |c| {
                let user: Option<String> = password_resets::table
                    .filter(password_resets::token_hash.eq(&hash))
                    .filter(password_resets::used_at.is_null())
                    .filter(password_resets::expires_at.gt(now))
                    .select(password_resets::user_id)
                    .first(c)
                    .optional()?;
                let Some(user_id) = user else {
                    return Ok(false);
                };
                diesel::update(
                    password_resets::table
                        .filter(password_resets::user_id.eq(&user_id))
                        .filter(password_resets::used_at.is_null()),
                )
                .set(password_resets::used_at.eq(Some(now)))
                .execute(c)?;
                diesel::update(users::table.filter(users::id.eq(&user_id)))
                    .set(users::password_hash.eq(&new_hash))
                    .execute(c)?;
                crate::sessions::revoke_all(c, &user_id, now)?;
                audit::own_act_for(
                    c,
                    &user_id,
                    "password.reset".to_owned(),
                    "account_security",
                    &ctx,
                    now,
                )?;
                Ok(true)
            })
            .await
    }
}

/// A single-use password link for `user`, valid `ttl` seconds (a reset, or a staff
/// account's set-up); its token (only its hash is stored).
pub fn new_reset(c: &mut DbConn, user: &str, ttl: i64, now: i64) -> Result<String> {
    let (token, hash) = new_token();
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::id.eq(new_id()),
            password_resets::token_hash.eq(hash),
            password_resets::user_id.eq(user),
            password_resets::created_at.eq(now),
            password_resets::expires_at.eq(now + ttl),
        ))
        .execute(c)?;
    Ok(token)
}

/// The id of the user with this email blind index, if any.
pub fn user_by_email_bidx(c: &mut DbConn, bidx: &str) -> Result<Option<String>> {
    users::table
        .filter(users::email_bidx.eq(bidx))
        .select(users::id)
        .first(c)
        .optional()
        .map_err(StoreError::from)
}

/// The organisations a user is a live member of.
pub fn orgs_of(c: &mut DbConn, user_id: &str) -> Result<Vec<String>> {
    memberships::table
        .filter(memberships::user_id.eq(user_id))
        .filter(memberships::ended_at.is_null())
        .select(memberships::org_id)
        .load(c)
        .map_err(StoreError::from)
}
