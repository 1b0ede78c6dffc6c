//! Applications (open or closed disclosure, withdrawal) and scouts (sent only to seekers
//! the company may find by scout, accepted or declined by the seeker).
use crate::accounts::Ctx;
use crate::audit::own_act as audit_setting;
use crate::disclosure::seeker_relationship;
use crate::error::Result;
use crate::orgs::org_name;
use crate::schema::{applications, organizations, scouts};
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::OrgKind;
use domain::disclosure::{Openness, ProfileRel};

/// Applications and scouts (the minimum the disclosure policy needs; the full pipeline
/// comes with the applications work).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScoutRow {
    pub id: String,
    pub organization_id: String,
    pub organization: String,
    pub message: String,
    pub status: String,
    pub openness: Option<String>,
    pub created_at: i64,
}

impl Store {
    /// The seeker applies to a company, choosing open or closed disclosure.
    pub async fn apply(
        &self,
        seeker: String,
        org: String,
        openness: Openness,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<String>> {
        self.db
            .write(move |c| {
                let kind: Option<String> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .select(organizations::kind)
                    .first(c)
                    .optional()?;
                if kind.as_deref() != Some(OrgKind::Company.as_str()) {
                    return Ok(None);
                }
                let id = new_id();
                diesel::insert_into(applications::table)
                    .values((
                        applications::id.eq(&id),
                        applications::seeker_id.eq(&seeker),
                        applications::org_id.eq(&org),
                        applications::openness.eq(openness.as_str()),
                        applications::created_at.eq(now),
                    ))
                    .execute(c)?;
                audit_setting(
                    c,
                    &seeker,
                    format!("application.create.{}", openness.as_str()),
                    &ctx,
                    now,
                )?;
                Ok(Some(id))
            })
            .await
    }

    pub async fn withdraw_application(&self, seeker: String, id: String, now: i64) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    applications::table
                        .filter(applications::id.eq(&id))
                        .filter(applications::seeker_id.eq(&seeker))
                        .filter(applications::withdrawn_at.is_null()),
                )
                .set(applications::withdrawn_at.eq(Some(now)))
                .execute(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// An employer member sends a scout; only to a seeker their company may find.
    pub async fn send_scout(
        &self,
        sender: String,
        seeker: String,
        message: String,
        now: i64,
    ) -> Result<Option<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (rel, org) = seeker_relationship(c, &sender, &seeker)?;
                let (ProfileRel::Scout(_), Some(org)) = (rel, org) else {
                    return Ok(None);
                };
                let id = new_id();
                let key = keys.subject_key(c, &seeker)?;
                diesel::insert_into(scouts::table)
                    .values((
                        scouts::id.eq(&id),
                        scouts::org_id.eq(&org),
                        scouts::sender_id.eq(&sender),
                        scouts::seeker_id.eq(&seeker),
                        scouts::message_enc.eq(key.seal_str("scouts", "message", &id, &message)?),
                        scouts::status.eq("sent"),
                        scouts::created_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(Some(id))
            })
            .await
    }

    pub async fn scouts_of(&self, seeker: String) -> Result<Vec<ScoutRow>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(
                    String,
                    String,
                    Vec<u8>,
                    String,
                    Option<String>,
                    i64,
                )> = scouts::table
                    .filter(scouts::seeker_id.eq(&seeker))
                    .order(scouts::created_at.desc())
                    .select((
                        scouts::id,
                        scouts::org_id,
                        scouts::message_enc,
                        scouts::status,
                        scouts::openness,
                        scouts::created_at,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, org, msg, status, openness, created_at) in rows {
                    let message = keys.open_string(c, "scouts", "message", &id, &msg)?;
                    let organization = org_name(c, &org)?.unwrap_or_default();
                    out.push(ScoutRow {
                        id,
                        organization_id: org,
                        organization,
                        message,
                        status,
                        openness,
                        created_at,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The seeker answers a scout. Accepting discloses the profile to that company as chosen.
    pub async fn answer_scout(
        &self,
        seeker: String,
        id: String,
        accept: Option<Openness>,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    scouts::table
                        .filter(scouts::id.eq(&id))
                        .filter(scouts::seeker_id.eq(&seeker))
                        .filter(scouts::status.eq("sent")),
                )
                .set((
                    scouts::status.eq(if accept.is_some() {
                        "accepted"
                    } else {
                        "declined"
                    }),
                    scouts::openness.eq(accept.map(|o| o.as_str())),
                    scouts::decided_at.eq(Some(now)),
                ))
                .execute(c)?;
                if n > 0 {
                    audit_setting(
                        c,
                        &seeker,
                        format!(
                            "scout.{}",
                            if accept.is_some() {
                                "accept"
                            } else {
                                "decline"
                            }
                        ),
                        &ctx,
                        now,
                    )?;
                }
                Ok(n > 0)
            })
            .await
    }
}
