//! The recruiting agency (採用代行): a company delegates scouting and messaging to the
//! operator for a period; operator staff with the agency role then write in the
//! company's name. They open a thread only while the seeker's own consent
//! (`agency_message_access`, for that company) stands: the door
//! (`disclosure::thread::thread_standing`) checks the delegation, the role and the
//! consent on every request, and logs every read so that the seeker sees it.
use crate::accounts::Ctx;
use crate::audit::own_act;
use crate::consents::{give_for, is_active_for, withdraw_for};
use crate::disclosure::Access;
use crate::disclosure::thread::{
    AGENCY_READ, ThreadView, Via, agency_staff, delegation_stands, thread_view_tx,
};
use crate::error::Result;
use crate::orgs::{org_name, org_of_kind};
use crate::schema::{
    agency_delegations, applications, audit_log, memberships, operator_roles, organizations,
    postings, threads,
};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::interview::LocalTime;
use domain::jobs::Status;
use domain::profile::Date;
use domain::{ConsentKind, OrgKind, Role};

/// A company's delegation to the operator.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Delegation {
    pub id: String,
    pub company_id: String,
    /// First day, YYYY-MM-DD (Japan).
    pub from: String,
    /// Last day, YYYY-MM-DD (Japan).
    pub until: String,
    pub created_at: i64,
    /// The delegation stands today.
    pub standing: bool,
}

/// A company the seeker has an application thread with, and where the agency stands.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AgencyCompany {
    pub company_id: String,
    pub company_name: String,
    /// The company has delegated its messaging to the operator now.
    pub delegated: bool,
    /// The seeker lets the operator's agency staff read the messages with it.
    pub consent: bool,
}

/// One read by the operator's agency staff of the messages with a company.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AgencyRead {
    pub company_id: String,
    pub company_name: String,
    pub at: i64,
}

/// A company the agency's staff scouts for now (its delegation stands today).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AgencyClient {
    pub company_id: String,
    pub company_name: String,
    /// The operator verified the company (scouts are for verified companies only).
    pub verified: bool,
    /// The delegation's last day, YYYY-MM-DD (Japan).
    pub until: String,
    /// The company's published postings, which a scout may be for.
    pub postings: Vec<AgencyPosting>,
}

/// One published posting of a delegating company.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AgencyPosting {
    pub id: String,
    pub title: String,
}

/// The companies whose delegation stands today (`only`: just that one), as the agency's
/// staff sees them. Empty for anyone without the agency role.
fn clients(
    c: &mut DbConn,
    operator: &str,
    only: Option<&str>,
    now: i64,
) -> Result<Vec<AgencyClient>> {
    if !agency_staff(c, operator)? {
        return Ok(vec![]);
    }
    let day = LocalTime::of_unix(now).date.to_string();
    let mut q = agency_delegations::table
        .inner_join(organizations::table)
        .filter(agency_delegations::ended_at.is_null())
        .filter(agency_delegations::from_date.le(&day))
        .filter(agency_delegations::until_date.ge(&day))
        .filter(organizations::kind.eq(OrgKind::Company.as_str()))
        .select((
            organizations::id,
            organizations::verified_at,
            agency_delegations::until_date,
        ))
        .order(organizations::id)
        .into_boxed();
    if let Some(o) = only {
        q = q.filter(organizations::id.eq(o.to_owned()));
    }
    let rows: Vec<(String, Option<i64>, String)> = q.load(c)?;
    let mut out = Vec::new();
    for (id, verified, until) in rows {
        let postings = postings::table
            .filter(postings::org_id.eq(&id))
            .filter(postings::status.eq(Status::Published.as_str()))
            .order(postings::published_at.desc())
            .select((postings::id, postings::title))
            .load::<(String, String)>(c)?
            .into_iter()
            .map(|(id, title)| AgencyPosting { id, title })
            .collect();
        out.push(AgencyClient {
            company_name: org_name(c, &id)?.unwrap_or_default(),
            verified: verified.is_some(),
            company_id: id,
            until,
            postings,
        });
    }
    Ok(out)
}

/// Gives an operator account a role (demo data and the `operator-role` command).
pub fn grant_operator_role(c: &mut DbConn, user: &str, role: &str, now: i64) -> Result<()> {
    let n: i64 = operator_roles::table
        .filter(operator_roles::user_id.eq(user))
        .filter(operator_roles::role.eq(role))
        .count()
        .get_result(c)?;
    if n == 0 {
        diesel::insert_into(operator_roles::table)
            .values((
                operator_roles::user_id.eq(user),
                operator_roles::role.eq(role),
                operator_roles::granted_at.eq(now),
            ))
            .execute(c)?;
    }
    Ok(())
}

/// The company `user` administers, if any.
fn administered(c: &mut DbConn, user: &str) -> Result<Option<String>> {
    for org in org_of_kind(c, user, OrgKind::Company)? {
        let role: Option<String> = memberships::table
            .filter(memberships::org_id.eq(&org))
            .filter(memberships::user_id.eq(user))
            .filter(memberships::ended_at.is_null())
            .select(memberships::role)
            .first(c)
            .optional()?;
        if role.as_deref() == Some(Role::CompanyAdmin.as_str()) {
            return Ok(Some(org));
        }
    }
    Ok(None)
}

type DelegationRow = (String, String, String, String, i64);

fn current(c: &mut DbConn, org: &str, now: i64) -> Result<Option<Delegation>> {
    let row: Option<DelegationRow> = agency_delegations::table
        .filter(agency_delegations::org_id.eq(org))
        .filter(agency_delegations::ended_at.is_null())
        .order(agency_delegations::created_at.desc())
        .select((
            agency_delegations::id,
            agency_delegations::org_id,
            agency_delegations::from_date,
            agency_delegations::until_date,
            agency_delegations::created_at,
        ))
        .first(c)
        .optional()?;
    let Some((id, company_id, from, until, created_at)) = row else {
        return Ok(None);
    };
    Ok(Some(Delegation {
        standing: delegation_stands(c, org, now)?,
        id,
        company_id,
        from,
        until,
        created_at,
    }))
}

impl Store {
    /// A company's administrator delegates scouting and messaging to the operator from
    /// `from` to `until` (replacing an earlier delegation). `None`: not an administrator
    /// of a company.
    pub async fn delegate(
        &self,
        user: String,
        from: Date,
        until: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Delegation>> {
        self.db
            .write(move |c| {
                let Some(org) = administered(c, &user)? else {
                    return Ok(None);
                };
                diesel::update(
                    agency_delegations::table
                        .filter(agency_delegations::org_id.eq(&org))
                        .filter(agency_delegations::ended_at.is_null()),
                )
                .set(agency_delegations::ended_at.eq(Some(now)))
                .execute(c)?;
                diesel::insert_into(agency_delegations::table)
                    .values((
                        agency_delegations::id.eq(new_id()),
                        agency_delegations::org_id.eq(&org),
                        agency_delegations::from_date.eq(from.to_string()),
                        agency_delegations::until_date.eq(until.to_string()),
                        agency_delegations::created_by.eq(&user),
                        agency_delegations::created_at.eq(now),
                    ))
                    .execute(c)?;
                own_act(c, &user, "agency.delegate".into(), &ctx, now)?;
                current(c, &org, now)
            })
            .await
    }

    /// The delegation of the company `user` belongs to (`Ok(None)` inside: none).
    /// Outer `None`: `user` is in no company.
    pub async fn delegation(&self, user: String, now: i64) -> Result<Option<Option<Delegation>>> {
        self.db
            .read(move |c| {
                let Some(org) = org_of_kind(c, &user, OrgKind::Company)?.into_iter().next() else {
                    return Ok(None);
                };
                Ok(Some(current(c, &org, now)?))
            })
            .await
    }

    /// The administrator ends the company's delegation now. False: none stood.
    pub async fn end_delegation(&self, user: String, ctx: Ctx, now: i64) -> Result<Option<bool>> {
        self.db
            .write(move |c| {
                let Some(org) = administered(c, &user)? else {
                    return Ok(None);
                };
                let n = diesel::update(
                    agency_delegations::table
                        .filter(agency_delegations::org_id.eq(&org))
                        .filter(agency_delegations::ended_at.is_null()),
                )
                .set(agency_delegations::ended_at.eq(Some(now)))
                .execute(c)?;
                if n > 0 {
                    own_act(c, &user, "agency.end".into(), &ctx, now)?;
                }
                Ok(Some(n > 0))
            })
            .await
    }

    /// The threads the agency may open now (delegation, role and the seeker's consent
    /// all standing), newest first. Empty for an operator without the agency role.
    pub async fn agency_threads(
        &self,
        operator: String,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Vec<ThreadView>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                if !agency_staff(c, &operator)? {
                    return Ok(vec![]);
                }
                let day = LocalTime::of_unix(now).date.to_string();
                let orgs: Vec<String> = agency_delegations::table
                    .filter(agency_delegations::ended_at.is_null())
                    .filter(agency_delegations::from_date.le(&day))
                    .filter(agency_delegations::until_date.ge(&day))
                    .select(agency_delegations::org_id)
                    .load(c)?;
                let ids: Vec<String> = threads::table
                    .inner_join(
                        applications::table
                            .on(threads::application_id.eq(applications::id.nullable())),
                    )
                    .filter(applications::org_id.eq_any(&orgs))
                    .select(threads::id)
                    .load(c)?;
                let a = Access::new(&operator, "agency_threads", &ctx, now);
                let mut out = Vec::new();
                for id in ids {
                    if let Some(v) = thread_view_tx(c, &keys, &a, &id, today, Via::Agency)? {
                        out.push(v);
                    }
                }
                out.sort_by(|x, y| y.last_at.cmp(&x.last_at).then(x.id.cmp(&y.id)));
                Ok(out)
            })
            .await
    }

    /// The seeker gives or withdraws the consent that lets the operator's agency staff
    /// read the messages with one company. `None`: no such company. `Some(false)`:
    /// nothing changed (already given, or nothing to withdraw).
    pub async fn agency_consent(
        &self,
        seeker: String,
        company: String,
        give: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<bool>> {
        self.db
            .write(move |c| {
                let kind: Option<String> = organizations::table
                    .filter(organizations::id.eq(&company))
                    .select(organizations::kind)
                    .first(c)
                    .optional()?;
                if kind.as_deref() != Some(OrgKind::Company.as_str()) {
                    return Ok(None);
                }
                let k = ConsentKind::AgencyMessageAccess;
                let stood = is_active_for(c, &seeker, k, Some(&company), None)?;
                let changed = if give {
                    give_for(c, &seeker, k, Some(&company), None, "agency_screen", now)?;
                    !stood
                } else {
                    withdraw_for(c, &seeker, k, Some(&company), None, now)?
                };
                if changed {
                    own_act(
                        c,
                        &seeker,
                        format!(
                            "consent.{}.agency_message_access",
                            if give { "give" } else { "withdraw" }
                        ),
                        &ctx,
                        now,
                    )?;
                }
                Ok(Some(changed))
            })
            .await
    }

    /// The companies the seeker has application threads with, with whether each
    /// delegated to the operator and whether the seeker's consent stands.
    pub async fn agency_companies(&self, seeker: String, now: i64) -> Result<Vec<AgencyCompany>> {
        self.db
            .read(move |c| {
                let mut orgs: Vec<String> = threads::table
                    .inner_join(
                        applications::table
                            .on(threads::application_id.eq(applications::id.nullable())),
                    )
                    .filter(threads::seeker_id.eq(&seeker))
                    .select(applications::org_id)
                    .load(c)?;
                orgs.sort();
                orgs.dedup();
                let mut out = Vec::new();
                for org in orgs {
                    out.push(AgencyCompany {
                        company_name: org_name(c, &org)?.unwrap_or_default(),
                        delegated: delegation_stands(c, &org, now)?,
                        consent: is_active_for(
                            c,
                            &seeker,
                            ConsentKind::AgencyMessageAccess,
                            Some(&org),
                            None,
                        )?,
                        company_id: org,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Every read by the agency of the seeker's messages, newest first: what the privacy
    /// page lists as "the operator read your messages with this company".
    pub async fn agency_reads(&self, seeker: String) -> Result<Vec<AgencyRead>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, i64)> = audit_log::table
                    .filter(audit_log::subject_id.eq(&seeker))
                    .filter(audit_log::action.like(format!("{AGENCY_READ}%")))
                    .order(audit_log::seq.desc())
                    .limit(200)
                    .select((audit_log::action, audit_log::at))
                    .load(c)?;
                let mut out = Vec::new();
                for (action, at) in rows {
                    let company_id = action.trim_start_matches(AGENCY_READ).to_owned();
                    out.push(AgencyRead {
                        company_name: org_name(c, &company_id)?.unwrap_or_default(),
                        company_id,
                        at,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The companies the agency's staff scouts and writes for today.
    pub async fn agency_clients(&self, operator: String, now: i64) -> Result<Vec<AgencyClient>> {
        self.db
            .read(move |c| clients(c, &operator, None, now))
            .await
    }

    /// One company the agency's staff scouts for today; `None` when its delegation does
    /// not stand or the viewer has no agency role.
    pub async fn agency_client(
        &self,
        operator: String,
        company: String,
        now: i64,
    ) -> Result<Option<AgencyClient>> {
        self.db
            .read(move |c| {
                Ok(clients(c, &operator, Some(&company), now)?
                    .into_iter()
                    .next())
            })
            .await
    }

    /// Whether `user` is operator staff with the agency role.
    pub async fn is_agency_staff(&self, user: String) -> Result<bool> {
        self.db.read(move |c| agency_staff(c, &user)).await
    }
}
