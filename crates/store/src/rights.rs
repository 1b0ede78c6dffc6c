//! The data-subject rights the store answers for a person about themselves: the
//! entries of the access log about them (who looked at or changed their data, and
//! why), for the disclosure download. Who the others were is given by their kind and
//! their organisations, never their names or addresses (those are the others' data).
use crate::Store;
use crate::error::Result;
use crate::schema::{audit_log, memberships, organizations, users};
use diesel::prelude::*;

/// One access-log entry about the person.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccessEntry {
    pub seq: i64,
    pub at: i64,
    /// e.g. `profile.read`, `session.login.web.totp`.
    pub action: String,
    /// The item names read or changed (never their values).
    pub items: Vec<String>,
    pub purpose: String,
    /// `self`, `system`, or the kind of account that acted (`employer`, `supporter`,
    /// `family`, `operator`).
    pub by: String,
    /// The organisations the one who acted belongs to (companies, facilities).
    pub by_organizations: Vec<String>,
    /// Where the person themselves acted from (own entries only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

impl Store {
    /// Every access-log entry about `me`, oldest first.
    pub async fn access_log_about(&self, me: String) -> Result<Vec<AccessEntry>> {
        self.db
            .read(move |c| {
                let rows: Vec<crate::audit::Row> = audit_log::table
                    .filter(audit_log::subject_id.eq(&me))
                    .order(audit_log::seq.asc())
                    .select(crate::audit::Row::as_select())
                    .load(c)?;
                let mut who: std::collections::HashMap<String, (String, Vec<String>)> =
                    std::collections::HashMap::new();
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let own = r.actor_id.as_deref() == Some(me.as_str());
                    let (by, orgs) = match &r.actor_id {
                        None => ("system".to_owned(), Vec::new()),
                        Some(_) if own => ("self".to_owned(), Vec::new()),
                        Some(a) => {
                            if !who.contains_key(a) {
                                let kind: Option<String> = users::table
                                    .filter(users::id.eq(a))
                                    .select(users::kind)
                                    .first(c)
                                    .optional()?;
                                let orgs: Vec<String> = memberships::table
                                    .inner_join(organizations::table)
                                    .filter(memberships::user_id.eq(a))
                                    .select(organizations::name)
                                    .load(c)?;
                                who.insert(
                                    a.clone(),
                                    (kind.unwrap_or_else(|| "unknown".into()), orgs),
                                );
                            }
                            who.get(a).cloned().unwrap_or_default()
                        }
                    };
                    out.push(AccessEntry {
                        seq: r.seq,
                        at: r.at,
                        action: r.action,
                        items: r
                            .items
                            .split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        purpose: r.purpose,
                        by,
                        by_organizations: orgs,
                        ip: own.then_some(r.ip),
                        user_agent: own.then_some(r.user_agent),
                    });
                }
                Ok(out)
            })
            .await
    }
}

/// One of the person's own requests, as they see it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MyRequest {
    pub id: String,
    pub kind: domain::rights::RequestKind,
    pub status: domain::rights::RequestStatus,
    pub detail: String,
    pub created_at: i64,
    /// The privacy officer decides before this time.
    pub due_at: i64,
    pub decided_at: Option<i64>,
    pub reply: Option<String>,
}

/// A request in the privacy officer's queue (no personal data: the detail view says who).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Queued {
    pub id: String,
    pub kind: domain::rights::RequestKind,
    pub status: domain::rights::RequestStatus,
    pub created_at: i64,
    pub due_at: i64,
    pub decided_at: Option<i64>,
}

/// What deciding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Done,
    NotFound,
    /// Decided already (a decision stands once made).
    AlreadyDecided,
}

impl Store {
    /// Files a request of `user` (the password was checked by the caller). Returns its id.
    pub async fn file_request(
        &self,
        user: String,
        draft: domain::rights::RequestDraft,
        now: i64,
        ctx: crate::accounts::Ctx,
    ) -> Result<String> {
        use crate::schema::rights_requests as r;
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let id = crate::new_id();
                let sealed = keys.subject_key(&user)?.seal_str(
                    "rights_requests",
                    "detail",
                    &id,
                    &draft.detail,
                )?;
                diesel::insert_into(r::table)
                    .values((
                        r::id.eq(&id),
                        r::user_id.eq(&user),
                        r::kind.eq(draft.kind.as_str()),
                        r::detail_enc.eq(sealed),
                        r::created_at.eq(now),
                        r::due_at.eq(now + domain::rights::DUE_DAYS * 86_400),
                        r::status.eq(domain::rights::RequestStatus::Open.as_str()),
                    ))
                    .execute(c)?;
                crate::audit::own_act_for(
                    c,
                    &user,
                    format!("rights.request.{}", draft.kind.as_str()),
                    "rights_request",
                    &ctx,
                    now,
                )?;
                Ok(id)
            })
            .await
    }

    /// The person's own requests, newest first.
    pub async fn my_requests(&self, user: String) -> Result<Vec<MyRequest>> {
        use crate::schema::rights_requests as r;
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                type Row = (
                    String,
                    String,
                    String,
                    Vec<u8>,
                    i64,
                    i64,
                    Option<i64>,
                    Option<Vec<u8>>,
                );
                let rows: Vec<Row> = r::table
                    .filter(r::user_id.eq(&user))
                    .order(r::created_at.desc())
                    .select((
                        r::id,
                        r::kind,
                        r::status,
                        r::detail_enc,
                        r::created_at,
                        r::due_at,
                        r::decided_at,
                        r::reply_enc,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, kind, status, detail, created_at, due_at, decided_at, reply) in rows {
                    let (Some(kind), Some(status)) = (
                        domain::rights::RequestKind::parse(&kind),
                        domain::rights::RequestStatus::parse(&status),
                    ) else {
                        continue;
                    };
                    let detail = keys.open_string("rights_requests", "detail", &id, &detail)?;
                    let reply = match reply {
                        Some(x) => Some(keys.open_string("rights_requests", "reply", &id, &x)?),
                        None => None,
                    };
                    out.push(MyRequest {
                        id,
                        kind,
                        status,
                        detail,
                        created_at,
                        due_at,
                        decided_at,
                        reply,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The privacy officer's queue: open requests by deadline, then the decided ones
    /// (newest first, at most 200).
    pub async fn request_queue(&self) -> Result<Vec<Queued>> {
        use crate::schema::rights_requests as r;
        self.db
            .read(move |c| {
                type Row = (String, String, String, i64, i64, Option<i64>);
                let open: Vec<Row> = r::table
                    .filter(r::status.eq("open"))
                    .order(r::due_at.asc())
                    .select((
                        r::id,
                        r::kind,
                        r::status,
                        r::created_at,
                        r::due_at,
                        r::decided_at,
                    ))
                    .load(c)?;
                let done: Vec<Row> = r::table
                    .filter(r::status.ne("open"))
                    .order(r::decided_at.desc())
                    .limit(200)
                    .select((
                        r::id,
                        r::kind,
                        r::status,
                        r::created_at,
                        r::due_at,
                        r::decided_at,
                    ))
                    .load(c)?;
                Ok(open
                    .into_iter()
                    .chain(done)
                    .filter_map(|(id, kind, status, created_at, due_at, decided_at)| {
                        Some(Queued {
                            id,
                            kind: domain::rights::RequestKind::parse(&kind)?,
                            status: domain::rights::RequestStatus::parse(&status)?,
                            created_at,
                            due_at,
                            decided_at,
                        })
                    })
                    .collect())
            })
            .await
    }

    /// A request as the privacy officer reads it (through the door, logged).
    pub async fn officer_request(
        &self,
        officer: String,
        id: String,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<Option<crate::disclosure::rights::OfficerView>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = crate::disclosure::Access {
                    viewer: &officer,
                    purpose: Some(domain::disclosure::Purpose::PrivacyRequest),
                    reason: "rights_request",
                    ctx: &ctx,
                    now,
                };
                crate::disclosure::rights::view_request_tx(c, &keys, &a, &id)
            })
            .await
    }

    /// The privacy officer decides a request. Granted, its effect holds from the next
    /// request on: a suspension of use or a stop of provision withholds the person's data
    /// from everyone else (`disclosure::withheld`); an erasure closes the account and
    /// erases it at once (keeping what a law keeps). The person is told by mail
    /// (`compose` gets their language).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide_request(
        &self,
        officer: String,
        id: String,
        grant: bool,
        reply: String,
        keeping: crate::erasure::Keeping,
        now: i64,
        ctx: crate::accounts::Ctx,
        compose: impl FnOnce(&str, domain::rights::RequestKind, bool) -> crate::outbox::Mail
        + Send
        + 'static,
    ) -> Result<Decided> {
        use crate::schema::rights_requests as r;
        let keys = self.keys.clone();
        let erased = self
            .db
            .write(move |c| {
                let row: Option<(String, String, String)> = r::table
                    .filter(r::id.eq(&id))
                    .select((r::user_id, r::kind, r::status))
                    .first(c)
                    .optional()?;
                let Some((user, kind, status)) = row else {
                    return Ok((Decided::NotFound, false));
                };
                if status != "open" {
                    return Ok((Decided::AlreadyDecided, false));
                }
                let sealed =
                    keys.subject_key(&user)?
                        .seal_str("rights_requests", "reply", &id, &reply)?;
                let n = diesel::update(r::table.filter(r::id.eq(&id)).filter(r::status.eq("open")))
                    .set((
                        r::status.eq(if grant { "granted" } else { "refused" }),
                        r::decided_at.eq(Some(now)),
                        r::decided_by.eq(Some(&officer)),
                        r::reply_enc.eq(Some(sealed)),
                    ))
                    .execute(c)?;
                if n == 0 {
                    return Ok((Decided::AlreadyDecided, false));
                }
                let kind = domain::rights::RequestKind::parse(&kind);
                // Tell the person before anything is erased.
                let (lang, email): (String, Vec<u8>) = users::table
                    .filter(users::id.eq(&user))
                    .select((users::lang, users::email_enc))
                    .first(c)?;
                let mut mail = compose(
                    &lang,
                    kind.unwrap_or(domain::rights::RequestKind::Correction),
                    grant,
                );
                mail.to = keys.open_string("users", "email", &user, &email)?;
                crate::outbox::enqueue(&keys, c, "rights_decided", &mail, now)?;
                let mut erased = false;
                if grant {
                    use domain::rights::RequestKind as K;
                    match kind {
                        Some(K::Suspension) => {
                            diesel::update(users::table.filter(users::id.eq(&user)))
                                .set(users::use_suspended_at.eq(Some(now)))
                                .execute(c)?;
                        }
                        Some(K::StopProvision) => {
                            diesel::update(users::table.filter(users::id.eq(&user)))
                                .set(users::provision_stopped_at.eq(Some(now)))
                                .execute(c)?;
                        }
                        Some(K::Erasure) => {
                            crate::erasure::close_rows(c, &user, now)?;
                            // Erased now, whatever the period for closed accounts.
                            let at_once = crate::erasure::Keeping {
                                closed_days: 0,
                                ..keeping
                            };
                            erased = crate::erasure::erase_account(c, &keys, &user, at_once, now)?
                                .is_some();
                        }
                        Some(K::Correction) | None => {}
                    }
                }
                crate::audit::append(
                    c,
                    now,
                    crate::audit::Entry {
                        actor_id: Some(officer.clone()),
                        subject_id: Some(user.clone()),
                        action: format!(
                            "rights.decide.{}.{}",
                            kind.map_or("unknown", |k| k.as_str()),
                            if grant { "granted" } else { "refused" }
                        ),
                        purpose: "rights_request".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                        ..Default::default()
                    },
                )?;
                Ok((Decided::Done, erased))
            })
            .await?;
        if erased.1 {
            self.finish_erasures(now).await?;
        }
        Ok(erased.0)
    }
}
