//! Organisations (companies and facilities) as such: membership lookups, names, the
//! partner flag, verification status, and finding companies by name.
use crate::error::{Result, StoreError};
use crate::schema::{memberships, organizations};
use crate::{DbConn, Store};
use diesel::prelude::*;
use domain::OrgKind;

pub(crate) fn org_of_kind(c: &mut DbConn, user: &str, kind: OrgKind) -> Result<Vec<String>> {
    memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .filter(organizations::kind.eq(kind.as_str()))
        .select(organizations::id)
        .load(c)
        .map_err(StoreError::from)
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
}

pub(crate) fn org_name(c: &mut DbConn, id: &str) -> Result<Option<String>> {
    organizations::table
        .filter(organizations::id.eq(id))
        .select(organizations::name)
        .first(c)
        .optional()
        .map_err(StoreError::from)
}

/// Marks a company as a partner company (operator tooling and demo data). False if
/// there is no such company.
pub fn set_partner(c: &mut DbConn, org: &str, partner: bool) -> Result<bool> {
    let n = diesel::update(
        organizations::table
            .filter(organizations::id.eq(org))
            .filter(organizations::kind.eq(OrgKind::Company.as_str())),
    )
    .set(organizations::is_partner.eq(partner))
    .execute(c)?;
    Ok(n > 0)
}

impl Store {
    /// Whether the user belongs to a company the operator verified (scout search,
    /// recommended candidates and scouts are for verified companies only).
    pub async fn in_verified_company(&self, user: String) -> Result<bool> {
        self.db
            .read(move |c| {
                let n: i64 = memberships::table
                    .inner_join(organizations::table)
                    .filter(memberships::user_id.eq(&user))
                    .filter(memberships::ended_at.is_null())
                    .filter(organizations::kind.eq(OrgKind::Company.as_str()))
                    .filter(organizations::verified_at.is_not_null())
                    .count()
                    .get_result(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// Companies whose name contains `q` (for blocking), at most 20.
    pub async fn companies_named(&self, q: String) -> Result<Vec<OrgRef>> {
        self.db
            .read(move |c| {
                let pattern = format!("%{}%", q.replace(['%', '_'], ""));
                let rows: Vec<(String, String)> = organizations::table
                    .filter(organizations::kind.eq(OrgKind::Company.as_str()))
                    .filter(organizations::name.like(pattern))
                    .order(organizations::name.asc())
                    .limit(20)
                    .select((organizations::id, organizations::name))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name)| OrgRef { id, name })
                    .collect())
            })
            .await
    }

    /// Partner companies a seeker may opt into at registration.
    pub async fn partner_companies(&self) -> Result<Vec<OrgRef>> {
        self.db
            .read(|c| {
                let rows: Vec<(String, String)> = organizations::table
                    .filter(organizations::is_partner.eq(true))
                    .order(organizations::name.asc())
                    .select((organizations::id, organizations::name))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name)| OrgRef { id, name })
                    .collect())
            })
            .await
    }
}

/// A support facility waiting for the operator's check.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FacilityToVerify {
    pub id: String,
    pub name: String,
    pub registered_at: i64,
}

impl Store {
    /// Facilities registered and not yet checked by the operator, oldest first.
    pub async fn facilities_to_verify(&self) -> Result<Vec<FacilityToVerify>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, i64)> = organizations::table
                    .filter(organizations::kind.eq(OrgKind::Facility.as_str()))
                    .filter(organizations::verified_at.is_null())
                    .order(organizations::created_at.asc())
                    .select((
                        organizations::id,
                        organizations::name,
                        organizations::created_at,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, name, registered_at)| FacilityToVerify {
                        id,
                        name,
                        registered_at,
                    })
                    .collect())
            })
            .await
    }

    /// Marks a facility as checked by the operator; false when there is no such
    /// unverified facility.
    pub async fn verify_facility(
        &self,
        operator: String,
        org: String,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    organizations::table
                        .filter(organizations::id.eq(&org))
                        .filter(organizations::kind.eq(OrgKind::Facility.as_str()))
                        .filter(organizations::verified_at.is_null()),
                )
                .set(organizations::verified_at.eq(Some(now)))
                .execute(c)?;
                if n == 1 {
                    crate::audit::append(
                        c,
                        now,
                        crate::audit::Entry {
                            actor_id: Some(operator.clone()),
                            action: format!("facility.verify.{org}"),
                            purpose: "facility_verification".into(),
                            ip: ctx.ip.clone(),
                            user_agent: ctx.user_agent.clone(),
                            ..Default::default()
                        },
                    )?;
                }
                Ok(n == 1)
            })
            .await
    }
}
