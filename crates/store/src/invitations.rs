//! Invitations by email: an organisation admin invites members; a seeker invites family.
//! The address is sealed with the invitation's own data key; the link carries a
//! single-use token stored only as its hash. Accepting creates the account and the link.
use crate::accounts::{self, Ctx, NewAccount};
use crate::audit::{self, Entry};
use crate::error::{Result, StoreError};
use crate::outbox::{self, Mail};
use crate::schema::{invitations, memberships, organizations, users};
use crate::{DbConn, Store, new_id, new_token, token_hash};
use diesel::prelude::*;
use domain::validate::{Email, PersonName};
use domain::{ConsentKind, OrgKind, Relation, Role, UserKind};

/// Whom the invitation makes the invitee.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Invite {
    Member { org_id: String, role: Role },
    Family { relation: Relation },
}

/// An open invitation, as its token holder sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Open {
    pub id: String,
    pub invite: Invite,
    /// Organisation name for member invitations.
    pub org_name: Option<String>,
    pub email: String,
    pub expires_at: i64,
}

/// An invitation as listed to whoever sent it (or the organisation's admins).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Sent {
    pub id: String,
    pub invite: Invite,
    pub email: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub status: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// The inviter may not invite into that organisation or role.
    NotAllowed,
    /// The address already has an account (told to the inviter, who typed it).
    AlreadyRegistered,
}

fn load_invite(
    kind: &str,
    org_id: Option<String>,
    role: Option<String>,
    relation: Option<String>,
) -> Option<Invite> {
    match kind {
        "member" => Some(Invite::Member {
            org_id: org_id?,
            role: Role::parse(&role?)?,
        }),
        "family" => Some(Invite::Family {
            relation: Relation::parse(&relation?)?,
        }),
        _ => None,
    }
}

/// Whether `user` may send `invite`.
fn may_invite(c: &mut DbConn, user: &str, invite: &Invite) -> Result<bool> {
    let kind: Option<String> = users::table
        .filter(users::id.eq(user))
        .filter(users::closed_at.is_null())
        .select(users::kind)
        .first(c)
        .optional()?;
    let Some(kind) = kind.as_deref().and_then(UserKind::parse) else {
        return Ok(false);
    };
    match invite {
        Invite::Family { .. } => Ok(kind == UserKind::Seeker),
        Invite::Member { org_id, role } => {
            let row: Option<(String, String)> = memberships::table
                .inner_join(organizations::table)
                .filter(memberships::user_id.eq(user))
                .filter(memberships::org_id.eq(org_id))
                .filter(memberships::ended_at.is_null())
                .select((memberships::role, organizations::kind))
                .first(c)
                .optional()?;
            let Some((my_role, org_kind)) = row else {
                return Ok(false);
            };
            let admin = Role::parse(&my_role).is_some_and(Role::is_admin);
            let fits = OrgKind::parse(&org_kind).is_some_and(|k| Role::invitable(k).contains(role));
            Ok(admin && fits)
        }
    }
}

/// An invitation to send.
pub struct NewInvitation {
    pub inviter: String,
    pub invite: Invite,
    pub email: Email,
    /// Seconds the link stays valid.
    pub ttl: i64,
}

type OpenRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<u8>,
    i64,
);
type SentRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<u8>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
);

impl Store {
    /// Sends an invitation: stores it and queues the mail with the link, in one transaction.
    pub async fn invite(
        &self,
        n: NewInvitation,
        ctx: Ctx,
        now: i64,
        compose: impl FnOnce(&str, Option<&str>) -> Mail + Send + 'static,
    ) -> Result<std::result::Result<String, Refused>> {
        let NewInvitation {
            inviter,
            invite,
            email,
            ttl,
        } = n;
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                if !may_invite(c, &inviter, &invite)? {
                    return Ok(Err(Refused::NotAllowed));
                }
                let bidx = keys.blind_index(accounts::EMAIL_PURPOSE, email.as_str())?;
                let registered: i64 = users::table
                    .filter(users::email_bidx.eq(&bidx))
                    .count()
                    .get_result(c)?;
                if registered > 0 {
                    return Ok(Err(Refused::AlreadyRegistered));
                }
                let id = new_id();
                let key = keys.new_subject_key(&id, now)?;
                let (token, hash) = new_token();
                let (kind, org_id, role, relation) = match &invite {
                    Invite::Member { org_id, role } => {
                        ("member", Some(org_id.clone()), Some(role.as_str()), None)
                    }
                    Invite::Family { relation } => ("family", None, None, Some(relation.as_str())),
                };
                let org_name: Option<String> = match &org_id {
                    Some(o) => Some(
                        organizations::table
                            .filter(organizations::id.eq(o))
                            .select(organizations::name)
                            .first(c)?,
                    ),
                    None => None,
                };
                diesel::insert_into(invitations::table)
                    .values((
                        invitations::id.eq(&id),
                        invitations::token_hash.eq(&hash),
                        invitations::kind.eq(kind),
                        invitations::inviter_id.eq(&inviter),
                        invitations::org_id.eq(&org_id),
                        invitations::role.eq(role),
                        invitations::relation.eq(relation),
                        invitations::email_bidx.eq(&bidx),
                        invitations::email_enc.eq(key.seal_str(
                            "invitations",
                            "email",
                            &id,
                            email.as_str(),
                        )?),
                        invitations::created_at.eq(now),
                        invitations::expires_at.eq(now + ttl),
                    ))
                    .execute(c)?;
                outbox::enqueue(
                    &keys,
                    c,
                    "invitation",
                    &compose(&token, org_name.as_deref()),
                    now,
                )?;
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(inviter.clone()),
                        subject_id: None,
                        action: format!("invitation.create.{kind}"),
                        purpose: "invitation".into(),
                        ip: ctx.ip,
                        user_agent: ctx.user_agent,
                        ..Entry::default()
                    },
                )?;
                Ok(Ok(id))
            })
            .await
    }

    /// The invitation a token opens, if it is still open.
    pub async fn invitation_open(&self, token: &str, now: i64) -> Result<Option<Open>> {
        let hash = token_hash(token);
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let row: Option<OpenRow> = invitations::table
                    .filter(invitations::token_hash.eq(&hash))
                    .filter(invitations::accepted_at.is_null())
                    .filter(invitations::revoked_at.is_null())
                    .filter(invitations::expires_at.gt(now))
                    .select((
                        invitations::id,
                        invitations::kind,
                        invitations::org_id,
                        invitations::role,
                        invitations::relation,
                        invitations::email_enc,
                        invitations::expires_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some((id, kind, org_id, role, relation, email_enc, expires_at)) = row else {
                    return Ok(None);
                };
                let org_name: Option<String> = match &org_id {
                    Some(o) => organizations::table
                        .filter(organizations::id.eq(o))
                        .select(organizations::name)
                        .first(c)
                        .optional()?,
                    None => None,
                };
                let Some(invite) = load_invite(&kind, org_id, role, relation) else {
                    return Ok(None);
                };
                let email = keys.open_string("invitations", "email", &id, &email_enc)?;
                Ok(Some(Open {
                    id,
                    invite,
                    org_name,
                    email,
                    expires_at,
                }))
            })
            .await
    }

    /// Accepts an invitation: creates the account with the invited address, and the
    /// membership or family link. `Ok(None)` when the token is no longer open.
    pub async fn invitation_accept(
        &self,
        token: &str,
        name: PersonName,
        password_hash: String,
        lang: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<String>> {
        let open = self.invitation_open(token, now).await?;
        let Some(open) = open else { return Ok(None) };
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                // Claim the invitation first: a second accept of the same token finds nothing to claim.
                let claimed = diesel::update(
                    invitations::table
                        .filter(invitations::id.eq(&open.id))
                        .filter(invitations::accepted_at.is_null())
                        .filter(invitations::revoked_at.is_null()),
                )
                .set(invitations::accepted_at.eq(Some(now)))
                .execute(c)?;
                if claimed == 0 {
                    return Ok(None);
                }
                let inviter: String = invitations::table
                    .filter(invitations::id.eq(&open.id))
                    .select(invitations::inviter_id)
                    .first(c)?;
                let email =
                    Email::parse(&open.email).map_err(|_| StoreError::Crypto("stored email"))?;
                let kind = match &open.invite {
                    Invite::Member { role, .. } => role.org_kind().member_kind(),
                    Invite::Family { .. } => UserKind::Family,
                };
                let account = NewAccount {
                    kind,
                    email,
                    password_hash,
                    name,
                    lang,
                    org_name: None,
                    consents: vec![ConsentKind::PrivacyPolicy],
                    partners: Vec::new(),
                    method: "web",
                    email_verified: true,
                };
                let user_id = accounts::create_account(c, &keys, &account, now, &ctx)?;
                match &open.invite {
                    Invite::Member { org_id, role } => {
                        accounts::add_membership(c, org_id, &user_id, *role, now)?
                    }
                    Invite::Family { relation } => {
                        accounts::add_family_link(c, &inviter, &user_id, *relation, now)?;
                    }
                }
                // The address now lives on the account; the invitation's copy is erased.
                keys.erase_subject(c, &open.id, now)?;
                Ok(Some(user_id))
            })
            .await
    }

    /// Invitations the viewer may manage: those they sent, and for an organisation
    /// admin those of their organisations. Newest first.
    pub async fn invitations_sent(&self, viewer: String, now: i64) -> Result<Vec<Sent>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let admin_orgs: Vec<String> = memberships::table
                    .filter(memberships::user_id.eq(&viewer))
                    .filter(memberships::ended_at.is_null())
                    .filter(
                        memberships::role
                            .eq_any([Role::CompanyAdmin.as_str(), Role::FacilityAdmin.as_str()]),
                    )
                    .select(memberships::org_id)
                    .load(c)?;
                let rows: Vec<SentRow> = invitations::table
                    .filter(
                        invitations::inviter_id
                            .eq(&viewer)
                            .or(invitations::org_id.eq_any(&admin_orgs)),
                    )
                    .order(invitations::created_at.desc())
                    .select((
                        invitations::id,
                        invitations::kind,
                        invitations::org_id,
                        invitations::role,
                        invitations::relation,
                        invitations::email_enc,
                        invitations::created_at,
                        invitations::expires_at,
                        invitations::accepted_at,
                        invitations::revoked_at,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (
                    id,
                    kind,
                    org_id,
                    role,
                    relation,
                    email_enc,
                    created_at,
                    expires_at,
                    accepted,
                    revoked,
                ) in rows
                {
                    let Some(invite) = load_invite(&kind, org_id, role, relation) else {
                        continue;
                    };
                    let status = if accepted.is_some() {
                        "accepted"
                    } else if revoked.is_some() {
                        "revoked"
                    } else if expires_at <= now {
                        "expired"
                    } else {
                        "open"
                    };
                    // Accepted invitations no longer hold the address (it was erased).
                    let email = match keys.open_string("invitations", "email", &id, &email_enc) {
                        Ok(e) => e,
                        Err(StoreError::KeyErased) => String::new(),
                        Err(e) => return Err(e),
                    };
                    out.push(Sent {
                        id,
                        invite,
                        email,
                        created_at,
                        expires_at,
                        status,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Revokes an open invitation the viewer may manage. False if none such.
    pub async fn invitation_revoke(&self, viewer: String, id: String, now: i64) -> Result<bool> {
        let mine = self.invitations_sent(viewer, now).await?;
        if !mine.iter().any(|s| s.id == id && s.status == "open") {
            return Ok(false);
        }
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let n = diesel::update(
                    invitations::table
                        .filter(invitations::id.eq(&id))
                        .filter(invitations::accepted_at.is_null()),
                )
                .set(invitations::revoked_at.eq(Some(now)))
                .execute(c)?;
                keys.erase_subject(c, &id, now)?;
                Ok(n > 0)
            })
            .await
    }
}
