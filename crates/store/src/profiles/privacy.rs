//! The seeker's privacy settings (consents per category and recipient, blocks, links,
//! family shares, partner companies) and the seeker's own provision records.
use crate::accounts::Ctx;
use crate::audit::own_act as audit_setting;
use crate::consents::{active_of_kind, give_for, is_active, withdraw_for};
use crate::disclosure::recipient_name;
use crate::error::Result;
use crate::orgs::{OrgRef, org_name};
use crate::schema::{blocks, family_links, organizations, provision_records};
use crate::{DbConn, Store};
use diesel::prelude::*;
use domain::disclosure::SCOUT_SECTIONS;
use domain::{ConsentKind, OrgKind};

/// Categories a seeker can share with a family member.
pub const FAMILY_CATEGORIES: [&str; 4] = [
    "daily_reports",
    "daily_attendance",
    "support_records",
    "application_status",
];

/// A provision record as the seeker sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ProvisionRecord {
    pub id: String,
    pub recipient_organization: Option<String>,
    pub recipient_organization_id: Option<String>,
    pub recipient_person: String,
    pub recipient_user_id: String,
    pub items: Vec<String>,
    pub basis: String,
    pub first_at: i64,
    pub last_at: i64,
    pub times: i32,
}

/// The seeker's privacy settings as one snapshot.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Privacy {
    pub scouts_enabled: bool,
    pub scout_sections: Vec<String>,
    pub blocked: Vec<OrgRef>,
    pub supporter: Option<OrgRef>,
    pub partners: Vec<OrgRef>,
    pub family: Vec<FamilyShare>,
    pub sensitive_consent: bool,
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FamilyShare {
    pub link_id: String,
    pub family_id: String,
    pub relation: String,
    pub name: String,
    pub shares: Vec<String>,
}

/// A change to the seeker's privacy settings.
#[derive(Debug, Clone)]
pub enum Setting {
    Scouts {
        enabled: bool,
        sections: Vec<String>,
    },
    Block(String),
    Unblock(String),
    /// Link to the facility with this invitation code.
    LinkFacility(String),
    UnlinkFacility,
    FamilyShares {
        family_id: String,
        categories: Vec<String>,
    },
    WithdrawPartner(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingRefused {
    UnknownOrganization,
    UnknownCode,
    UnknownFamily,
    UnknownSection,
}

impl Store {
    pub async fn provision_records(&self, seeker: String) -> Result<Vec<ProvisionRecord>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(
                    String,
                    Option<String>,
                    String,
                    String,
                    String,
                    i64,
                    i64,
                    i32,
                )> = provision_records::table
                    .filter(provision_records::seeker_id.eq(&seeker))
                    .order(provision_records::last_at.desc())
                    .select((
                        provision_records::id,
                        provision_records::recipient_org_id,
                        provision_records::recipient_user_id,
                        provision_records::items,
                        provision_records::basis,
                        provision_records::first_at,
                        provision_records::last_at,
                        provision_records::times,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, org, user, items, basis, first_at, last_at, times) in rows {
                    let recipient_organization = match &org {
                        Some(o) => org_name(c, o)?,
                        None => None,
                    };
                    // The recipient's name as the record's subject may know it; an erased
                    // account shows as erased.
                    let recipient_person =
                        recipient_name(c, &keys, &user)?.unwrap_or_else(|| "—".into());
                    out.push(ProvisionRecord {
                        id,
                        recipient_organization,
                        recipient_organization_id: org,
                        recipient_person,
                        recipient_user_id: user,
                        items: items
                            .split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        basis,
                        first_at,
                        last_at,
                        times,
                    });
                }
                Ok(out)
            })
            .await
    }

    pub async fn privacy(&self, seeker: String) -> Result<Privacy> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let scouts_enabled = is_active(c, &seeker, ConsentKind::ScoutVisibility)?;
                let scout_sections = active_of_kind(c, &seeker, ConsentKind::ScoutSection)?
                    .into_iter()
                    .filter_map(|(_, s)| s)
                    .collect();
                let blocked_ids: Vec<String> = blocks::table
                    .filter(blocks::seeker_id.eq(&seeker))
                    .select(blocks::org_id)
                    .load(c)?;
                let mut blocked = Vec::new();
                for id in blocked_ids {
                    let name = org_name(c, &id)?.unwrap_or_default();
                    blocked.push(OrgRef { id, name });
                }
                let mut supporter = None;
                for (r, _) in active_of_kind(c, &seeker, ConsentKind::SupporterLink)? {
                    if let Some(id) = r {
                        let name = org_name(c, &id)?.unwrap_or_default();
                        supporter = Some(OrgRef { id, name });
                    }
                }
                let mut partners = Vec::new();
                for (r, _) in active_of_kind(c, &seeker, ConsentKind::PartnerProvision)? {
                    if let Some(id) = r {
                        let name = org_name(c, &id)?.unwrap_or_default();
                        partners.push(OrgRef { id, name });
                    }
                }
                let links: Vec<(String, String, String)> = family_links::table
                    .filter(family_links::seeker_id.eq(&seeker))
                    .filter(family_links::ended_at.is_null())
                    .select((
                        family_links::id,
                        family_links::family_id,
                        family_links::relation,
                    ))
                    .load(c)?;
                let shares_all = active_of_kind(c, &seeker, ConsentKind::FamilyShare)?;
                let mut family = Vec::new();
                for (link_id, family_id, relation) in links {
                    let shares = shares_all
                        .iter()
                        .filter(|(r, _)| r.as_deref() == Some(family_id.as_str()))
                        .filter_map(|(_, s)| s.clone())
                        .collect();
                    let name = recipient_name(c, &keys, &family_id)?.unwrap_or_else(|| "—".into());
                    family.push(FamilyShare {
                        link_id,
                        family_id,
                        relation,
                        name,
                        shares,
                    });
                }
                let sensitive_consent = is_active(c, &seeker, ConsentKind::SensitiveData)?;
                Ok(Privacy {
                    scouts_enabled,
                    scout_sections,
                    blocked,
                    supporter,
                    partners,
                    family,
                    sensitive_consent,
                })
            })
            .await
    }

    /// Applies one change to the seeker's privacy settings; takes effect on the next request.
    pub async fn privacy_set(
        &self,
        seeker: String,
        s: Setting,
        method: &'static str,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<(), SettingRefused>> {
        self.db
            .write(move |c| {
                let company = |c: &mut DbConn, id: &str| -> Result<bool> {
                    let n: i64 = organizations::table
                        .filter(organizations::id.eq(id))
                        .filter(organizations::kind.eq(OrgKind::Company.as_str()))
                        .count()
                        .get_result(c)?;
                    Ok(n > 0)
                };
                let action = match &s {
                    Setting::Scouts { enabled, sections } => {
                        if sections
                            .iter()
                            .any(|x| !SCOUT_SECTIONS.iter().any(|i| i.as_str() == x))
                        {
                            return Ok(Err(SettingRefused::UnknownSection));
                        }
                        if *enabled {
                            give_for(
                                c,
                                &seeker,
                                ConsentKind::ScoutVisibility,
                                None,
                                None,
                                method,
                                now,
                            )?;
                        } else {
                            withdraw_for(
                                c,
                                &seeker,
                                ConsentKind::ScoutVisibility,
                                None,
                                None,
                                now,
                            )?;
                        }
                        for item in SCOUT_SECTIONS {
                            let name = item.as_str();
                            if sections.iter().any(|x| x == name) {
                                give_for(
                                    c,
                                    &seeker,
                                    ConsentKind::ScoutSection,
                                    None,
                                    Some(name),
                                    method,
                                    now,
                                )?;
                            } else {
                                withdraw_for(
                                    c,
                                    &seeker,
                                    ConsentKind::ScoutSection,
                                    None,
                                    Some(name),
                                    now,
                                )?;
                            }
                        }
                        "privacy.scouts"
                    }
                    Setting::Block(org) => {
                        if !company(c, org)? {
                            return Ok(Err(SettingRefused::UnknownOrganization));
                        }
                        let n: i64 = blocks::table
                            .filter(blocks::seeker_id.eq(&seeker))
                            .filter(blocks::org_id.eq(org))
                            .count()
                            .get_result(c)?;
                        if n == 0 {
                            diesel::insert_into(blocks::table)
                                .values((
                                    blocks::seeker_id.eq(&seeker),
                                    blocks::org_id.eq(org),
                                    blocks::created_at.eq(now),
                                ))
                                .execute(c)?;
                        }
                        "privacy.block"
                    }
                    Setting::Unblock(org) => {
                        diesel::delete(
                            blocks::table
                                .filter(blocks::seeker_id.eq(&seeker))
                                .filter(blocks::org_id.eq(org)),
                        )
                        .execute(c)?;
                        "privacy.unblock"
                    }
                    Setting::LinkFacility(code) => {
                        let code = code.trim().to_uppercase();
                        let org: Option<String> = organizations::table
                            .filter(organizations::invite_code.eq(&code))
                            .filter(organizations::kind.eq(OrgKind::Facility.as_str()))
                            .select(organizations::id)
                            .first(c)
                            .optional()?;
                        let Some(org) = org else {
                            return Ok(Err(SettingRefused::UnknownCode));
                        };
                        // One facility at a time: a new link ends the old one.
                        for (r, _) in active_of_kind(c, &seeker, ConsentKind::SupporterLink)? {
                            withdraw_for(
                                c,
                                &seeker,
                                ConsentKind::SupporterLink,
                                r.as_deref(),
                                None,
                                now,
                            )?;
                        }
                        give_for(
                            c,
                            &seeker,
                            ConsentKind::SupporterLink,
                            Some(&org),
                            None,
                            method,
                            now,
                        )?;
                        "privacy.supporter_link"
                    }
                    Setting::UnlinkFacility => {
                        for (r, _) in active_of_kind(c, &seeker, ConsentKind::SupporterLink)? {
                            withdraw_for(
                                c,
                                &seeker,
                                ConsentKind::SupporterLink,
                                r.as_deref(),
                                None,
                                now,
                            )?;
                        }
                        "privacy.supporter_unlink"
                    }
                    Setting::FamilyShares {
                        family_id,
                        categories,
                    } => {
                        let n: i64 = family_links::table
                            .filter(family_links::seeker_id.eq(&seeker))
                            .filter(family_links::family_id.eq(family_id))
                            .filter(family_links::ended_at.is_null())
                            .count()
                            .get_result(c)?;
                        if n == 0
                            || categories
                                .iter()
                                .any(|x| !FAMILY_CATEGORIES.contains(&x.as_str()))
                        {
                            return Ok(Err(SettingRefused::UnknownFamily));
                        }
                        for cat in FAMILY_CATEGORIES {
                            if categories.iter().any(|x| x == cat) {
                                give_for(
                                    c,
                                    &seeker,
                                    ConsentKind::FamilyShare,
                                    Some(family_id),
                                    Some(cat),
                                    method,
                                    now,
                                )?;
                            } else {
                                withdraw_for(
                                    c,
                                    &seeker,
                                    ConsentKind::FamilyShare,
                                    Some(family_id),
                                    Some(cat),
                                    now,
                                )?;
                            }
                        }
                        "privacy.family_share"
                    }
                    Setting::WithdrawPartner(org) => {
                        withdraw_for(
                            c,
                            &seeker,
                            ConsentKind::PartnerProvision,
                            Some(org),
                            None,
                            now,
                        )?;
                        "privacy.partner_withdraw"
                    }
                };
                audit_setting(c, &seeker, action.into(), &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }
}
