//! Seeker profiles and every disclosure of them.
//!
//! Sections are sealed with the seeker's data key. [`view_profile`] is the one way
//! anyone reads a profile: it derives the relationship from live rows and consents,
//! asks `domain::disclosure` for the items, builds the view, and — in the same
//! transaction — writes the third-party provision record (grouped per recipient, items
//! and basis) and the access-log entry.
use crate::accounts::{Access, Ctx};
use crate::audit::{self, Entry};
use crate::consents::{active_of_kind, give_for, is_active, is_active_for, withdraw_for};
use crate::error::{Result, StoreError};
use crate::schema::{
    applications, blocks, certificate_reminders, family_links, memberships, organizations,
    profile_drafts, profile_sections, provision_records, scouts, users,
};
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::disclosure::{self, Openness, PItem, ProfileRel, Purpose, SCOUT_SECTIONS};
use domain::profile::{Date, Profile, Section};
use domain::{ConsentKind, OrgKind, UserKind};

/// Categories a seeker can share with a family member.
pub const FAMILY_CATEGORIES: [&str; 3] = ["daily_reports", "support_records", "application_status"];

fn section_json(p: &Profile, s: Section) -> Result<Option<serde_json::Value>> {
    let v = match s {
        Section::Basic => p.basic.as_ref().map(serde_json::to_value),
        Section::Disability => p.disability.as_ref().map(serde_json::to_value),
        Section::Accommodations => p.accommodations.as_ref().map(serde_json::to_value),
        Section::Traits => p.traits.as_ref().map(serde_json::to_value),
        Section::Career => p.career.as_ref().map(serde_json::to_value),
        Section::Desired => p.desired.as_ref().map(serde_json::to_value),
    };
    v.transpose()
        .map_err(|_| StoreError::Crypto("profile encoding"))
}

fn put_section(p: &mut Profile, s: Section, v: serde_json::Value) -> Result<()> {
    let bad = |_| StoreError::Crypto("profile decoding");
    match s {
        Section::Basic => p.basic = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Disability => p.disability = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Accommodations => p.accommodations = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Traits => p.traits = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Career => p.career = Some(serde_json::from_value(v).map_err(bad)?),
        Section::Desired => p.desired = Some(serde_json::from_value(v).map_err(bad)?),
    }
    Ok(())
}

/// The seeker's whole profile, decrypted.
pub fn load(c: &mut DbConn, keys: &Keyring, seeker: &str) -> Result<Profile> {
    let rows: Vec<(String, Vec<u8>)> = profile_sections::table
        .filter(profile_sections::user_id.eq(seeker))
        .select((profile_sections::section, profile_sections::data_enc))
        .load(c)?;
    let mut p = Profile::default();
    for (section, enc) in rows {
        let Some(s) = Section::parse(&section) else {
            continue;
        };
        let plain = keys.open(c, "profile_sections", s.as_str(), seeker, &enc)?;
        let v: serde_json::Value =
            serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("profile decoding"))?;
        put_section(&mut p, s, v)?;
    }
    Ok(p)
}

/// Why a section could not be saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotSaved {
    /// A sensitive section without the sensitive-data consent.
    NeedsSensitiveConsent,
    /// Not a seeker.
    NotASeeker,
}

/// Stores one validated section (inside a write transaction).
pub fn store_section(
    c: &mut DbConn,
    keys: &Keyring,
    seeker: &str,
    p: &Profile,
    s: Section,
    now: i64,
) -> Result<std::result::Result<(), NotSaved>> {
    let kind: Option<String> = users::table
        .filter(users::id.eq(seeker))
        .select(users::kind)
        .first(c)
        .optional()?;
    if kind.as_deref() != Some(UserKind::Seeker.as_str()) {
        return Ok(Err(NotSaved::NotASeeker));
    }
    if s.is_sensitive() && !is_active(c, seeker, ConsentKind::SensitiveData)? {
        return Ok(Err(NotSaved::NeedsSensitiveConsent));
    }
    let Some(v) = section_json(p, s)? else {
        return Ok(Ok(()));
    };
    let key = keys.subject_key(c, seeker)?;
    let sealed = key.seal(
        "profile_sections",
        s.as_str(),
        seeker,
        v.to_string().as_bytes(),
    )?;
    diesel::delete(
        profile_sections::table
            .filter(profile_sections::user_id.eq(seeker))
            .filter(profile_sections::section.eq(s.as_str())),
    )
    .execute(c)?;
    diesel::insert_into(profile_sections::table)
        .values((
            profile_sections::user_id.eq(seeker),
            profile_sections::section.eq(s.as_str()),
            profile_sections::data_enc.eq(sealed),
            profile_sections::updated_at.eq(now),
        ))
        .execute(c)?;
    if s == Section::Disability {
        diesel::delete(
            certificate_reminders::table.filter(certificate_reminders::user_id.eq(seeker)),
        )
        .execute(c)?;
        if let Some(on) = p.certificate_reminder() {
            diesel::insert_into(certificate_reminders::table)
                .values((
                    certificate_reminders::user_id.eq(seeker),
                    certificate_reminders::remind_on.eq(on.to_string()),
                ))
                .execute(c)?;
        }
    }
    Ok(Ok(()))
}

fn org_of_kind(c: &mut DbConn, user: &str, kind: OrgKind) -> Result<Vec<String>> {
    memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .filter(organizations::kind.eq(kind.as_str()))
        .select(organizations::id)
        .load(c)
        .map_err(StoreError::from)
}

/// How `viewer` stands to `seeker` now, with the organisation through which (if any).
pub fn relationship(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
    purpose: Option<Purpose>,
) -> Result<(ProfileRel, Option<String>)> {
    let seeker_kind: Option<String> = users::table
        .filter(users::id.eq(seeker))
        .filter(users::closed_at.is_null())
        .select(users::kind)
        .first(c)
        .optional()?;
    if seeker_kind.as_deref() != Some(UserKind::Seeker.as_str()) {
        return Ok((ProfileRel::Stranger, None));
    }
    if viewer == seeker {
        return Ok((ProfileRel::Oneself, None));
    }
    let viewer_kind: Option<String> = users::table
        .filter(users::id.eq(viewer))
        .filter(users::closed_at.is_null())
        .select(users::kind)
        .first(c)
        .optional()?;
    match viewer_kind.as_deref().and_then(UserKind::parse) {
        Some(UserKind::Operator) => Ok((
            purpose.map_or(ProfileRel::Stranger, ProfileRel::Operator),
            None,
        )),
        Some(UserKind::Family) => {
            let n: i64 = family_links::table
                .filter(family_links::seeker_id.eq(seeker))
                .filter(family_links::family_id.eq(viewer))
                .filter(family_links::ended_at.is_null())
                .count()
                .get_result(c)?;
            Ok((
                if n > 0 {
                    ProfileRel::Family
                } else {
                    ProfileRel::Stranger
                },
                None,
            ))
        }
        Some(UserKind::Supporter) => {
            for f in org_of_kind(c, viewer, OrgKind::Facility)? {
                if is_active_for(c, seeker, ConsentKind::SupporterLink, Some(&f), None)? {
                    return Ok((ProfileRel::Supporter, Some(f)));
                }
            }
            Ok((ProfileRel::Stranger, None))
        }
        Some(UserKind::Employer) => {
            let mut best: Option<(ProfileRel, String)> = None;
            for org in org_of_kind(c, viewer, OrgKind::Company)? {
                let blocked: i64 = blocks::table
                    .filter(blocks::seeker_id.eq(seeker))
                    .filter(blocks::org_id.eq(&org))
                    .count()
                    .get_result(c)?;
                let mut opens: Vec<String> = applications::table
                    .filter(applications::seeker_id.eq(seeker))
                    .filter(applications::org_id.eq(&org))
                    .filter(applications::withdrawn_at.is_null())
                    .select(applications::openness)
                    .load(c)?;
                let accepted: Vec<Option<String>> = scouts::table
                    .filter(scouts::seeker_id.eq(seeker))
                    .filter(scouts::org_id.eq(&org))
                    .filter(scouts::status.eq("accepted"))
                    .select(scouts::openness)
                    .load(c)?;
                opens.extend(accepted.into_iter().flatten());
                let rel = if opens.iter().any(|o| o == "open") {
                    ProfileRel::Applicant(Openness::Open)
                } else if !opens.is_empty() {
                    ProfileRel::Applicant(Openness::Closed)
                } else if is_active_for(c, seeker, ConsentKind::PartnerProvision, Some(&org), None)?
                {
                    ProfileRel::Partner
                } else if blocked == 0 && is_active(c, seeker, ConsentKind::ScoutVisibility)? {
                    let sections = active_of_kind(c, seeker, ConsentKind::ScoutSection)?
                        .into_iter()
                        .filter_map(|(_, scope)| scope)
                        .filter_map(|s| SCOUT_SECTIONS.iter().copied().find(|i| i.as_str() == s))
                        .collect();
                    ProfileRel::Scout(sections)
                } else {
                    ProfileRel::Stranger
                };
                let rank = |r: &ProfileRel| match r {
                    ProfileRel::Applicant(Openness::Open) => 4,
                    ProfileRel::Applicant(Openness::Closed) => 3,
                    ProfileRel::Partner => 2,
                    ProfileRel::Scout(_) => 1,
                    _ => 0,
                };
                if best.as_ref().is_none_or(|(b, _)| rank(&rel) > rank(b)) && rank(&rel) > 0 {
                    best = Some((rel, org));
                }
            }
            Ok(best.map_or((ProfileRel::Stranger, None), |(r, o)| (r, Some(o))))
        }
        _ => Ok((ProfileRel::Stranger, None)),
    }
}

/// Whether the seeker has a live application to the organisation (else the disclosure
/// rests on an accepted scout).
fn applied(c: &mut DbConn, seeker: &str, org: &str) -> Result<bool> {
    let n: i64 = applications::table
        .filter(applications::seeker_id.eq(seeker))
        .filter(applications::org_id.eq(org))
        .filter(applications::withdrawn_at.is_null())
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Records a provision to another party, grouped with an identical earlier one.
fn record_provision(
    c: &mut DbConn,
    seeker: &str,
    org: Option<&str>,
    recipient: &str,
    items: &str,
    basis: &str,
    now: i64,
) -> Result<()> {
    let mut q = provision_records::table
        .filter(provision_records::seeker_id.eq(seeker))
        .filter(provision_records::recipient_user_id.eq(recipient))
        .filter(provision_records::items.eq(items))
        .filter(provision_records::basis.eq(basis))
        .select(provision_records::id)
        .into_boxed();
    q = match org {
        Some(o) => q.filter(provision_records::recipient_org_id.eq(o.to_owned())),
        None => q.filter(provision_records::recipient_org_id.is_null()),
    };
    let existing: Option<String> = q.first(c).optional()?;
    match existing {
        Some(id) => {
            diesel::update(provision_records::table.filter(provision_records::id.eq(id)))
                .set((
                    provision_records::last_at.eq(now),
                    provision_records::times.eq(provision_records::times + 1),
                ))
                .execute(c)?;
        }
        None => {
            diesel::insert_into(provision_records::table)
                .values((
                    provision_records::id.eq(new_id()),
                    provision_records::seeker_id.eq(seeker),
                    provision_records::recipient_org_id.eq(org),
                    provision_records::recipient_user_id.eq(recipient),
                    provision_records::items.eq(items),
                    provision_records::basis.eq(basis),
                    provision_records::first_at.eq(now),
                    provision_records::last_at.eq(now),
                    provision_records::times.eq(1),
                ))
                .execute(c)?;
        }
    }
    Ok(())
}

/// A disclosed view of a profile.
#[derive(Debug, Clone, serde::Serialize)]
pub struct View {
    pub seeker_id: String,
    pub items: Vec<PItem>,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

fn account_name(c: &mut DbConn, keys: &Keyring, seeker: &str) -> Result<String> {
    let enc: Vec<u8> = users::table
        .filter(users::id.eq(seeker))
        .select(users::name_enc)
        .first(c)?;
    keys.open_string(c, "users", "name", seeker, &enc)
}

/// THE read of a profile. `None`: the viewer may see nothing (answer 404).
pub fn view_profile(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    seeker: &str,
    today: Date,
) -> Result<Option<View>> {
    let (viewer, ctx, now) = (a.viewer, a.ctx, a.now);
    let (rel, org) = relationship(c, viewer, seeker, a.purpose)?;
    let sensitive = is_active(c, seeker, ConsentKind::SensitiveData)?;
    let items = disclosure::profile_items(&rel, sensitive);
    if items.is_empty() {
        return Ok(None);
    }
    let profile = load(c, keys, seeker)?;
    let name = account_name(c, keys, seeker)?;
    let fields = disclosure::profile_view(&items, &profile, &name, today);
    let disclosed: Vec<PItem> = items
        .iter()
        .copied()
        .filter(|i| fields.contains_key(i.as_str()))
        .collect();
    if rel != ProfileRel::Oneself && !disclosed.is_empty() {
        let names: Vec<&'static str> = disclosed.iter().map(|i| i.as_str()).collect();
        if let Some(basis) = disclosure::provision_basis(&rel) {
            let basis = match (&rel, org.as_deref()) {
                (ProfileRel::Applicant(_), Some(o)) if !applied(c, seeker, o)? => "scout_accept",
                _ => basis,
            };
            record_provision(
                c,
                seeker,
                org.as_deref(),
                viewer,
                &names.join(","),
                basis,
                now,
            )?;
        }
        audit::append(
            c,
            now,
            Entry {
                actor_id: Some(viewer.to_owned()),
                subject_id: Some(seeker.to_owned()),
                action: "profile.read".into(),
                items: names,
                purpose: match rel {
                    ProfileRel::Operator(Purpose::AccountSupport) => {
                        "operator_account_support".into()
                    }
                    ProfileRel::Operator(Purpose::PrivacyRequest) => {
                        "operator_privacy_request".into()
                    }
                    _ => disclosure::provision_basis(&rel).unwrap_or("view").into(),
                },
                ip: ctx.ip.clone(),
                user_agent: ctx.user_agent.clone(),
            },
        )?;
    }
    Ok(Some(View {
        seeker_id: seeker.to_owned(),
        items: disclosed,
        fields,
    }))
}

/// A provision record as the seeker sees it.
#[derive(Debug, Clone, serde::Serialize)]
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
#[derive(Debug, Clone, serde::Serialize)]
pub struct Privacy {
    pub scouts_enabled: bool,
    pub scout_sections: Vec<String>,
    pub blocked: Vec<OrgRef>,
    pub supporter: Option<OrgRef>,
    pub partners: Vec<OrgRef>,
    pub family: Vec<FamilyShare>,
    pub sensitive_consent: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct FamilyShare {
    pub link_id: String,
    pub family_id: String,
    pub relation: String,
    pub name: String,
    pub shares: Vec<String>,
}

fn org_name(c: &mut DbConn, id: &str) -> Result<Option<String>> {
    organizations::table
        .filter(organizations::id.eq(id))
        .select(organizations::name)
        .first(c)
        .optional()
        .map_err(StoreError::from)
}

fn audit_setting(c: &mut DbConn, seeker: &str, action: String, ctx: &Ctx, now: i64) -> Result<()> {
    audit::append(
        c,
        now,
        Entry {
            actor_id: Some(seeker.to_owned()),
            subject_id: Some(seeker.to_owned()),
            action,
            purpose: "privacy_settings".into(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            ..Entry::default()
        },
    )?;
    Ok(())
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

/// Applications and scouts (the minimum the disclosure policy needs; the full pipeline
/// comes with the applications work).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ScoutRow {
    pub id: String,
    pub organization_id: String,
    pub organization: String,
    pub message: String,
    pub status: String,
    pub openness: Option<String>,
    pub created_at: i64,
}

/// A supporter's draft of a profile section, waiting for the seeker.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Draft {
    pub id: String,
    pub section: String,
    pub author_id: String,
    pub author_name: String,
    pub proposed: serde_json::Value,
    pub created_at: i64,
}

impl Store {
    pub async fn profile(&self, seeker: String) -> Result<Profile> {
        let keys = self.keys.clone();
        self.db.read(move |c| load(c, &keys, &seeker)).await
    }

    /// Saves one section the seeker submitted (already validated).
    pub async fn save_section(
        &self,
        seeker: String,
        p: Profile,
        s: Section,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<(), NotSaved>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let r = store_section(c, &keys, &seeker, &p, s, now)?;
                if r.is_ok() {
                    audit_setting(
                        c,
                        &seeker,
                        format!("profile.update.{}", s.as_str()),
                        &ctx,
                        now,
                    )?;
                }
                Ok(r)
            })
            .await
    }

    pub async fn view_profile(
        &self,
        viewer: String,
        seeker: String,
        purpose: Option<Purpose>,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Option<View>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access {
                    viewer: &viewer,
                    purpose,
                    reason: "profile",
                    ctx: &ctx,
                    now,
                };
                view_profile(c, &keys, &a, &seeker, today)
            })
            .await
    }

    /// The masked profiles of every seeker findable by the viewer's company (each view
    /// is a provision and is recorded). Newest profiles first, at most `limit`.
    pub async fn scout_search(
        &self,
        viewer: String,
        ctx: Ctx,
        today: Date,
        now: i64,
        limit: i64,
    ) -> Result<Vec<View>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                // Consent sits inside the search: only seekers with a standing scout consent are candidates.
                let candidates: Vec<String> = crate::schema::consents::table
                    .filter(crate::schema::consents::kind.eq(ConsentKind::ScoutVisibility.as_str()))
                    .filter(crate::schema::consents::withdrawn_at.is_null())
                    .select(crate::schema::consents::user_id)
                    .order(crate::schema::consents::given_at.desc())
                    .limit(limit)
                    .load(c)?;
                let mut out = Vec::new();
                for seeker in candidates {
                    if let (ProfileRel::Scout(_), _) = relationship(c, &viewer, &seeker, None)? {
                        let a = Access {
                            viewer: &viewer,
                            purpose: None,
                            reason: "scout_search",
                            ctx: &ctx,
                            now,
                        };
                        if let Some(v) = view_profile(c, &keys, &a, &seeker, today)? {
                            out.push(v);
                        }
                    }
                }
                Ok(out)
            })
            .await
    }

    /// For ranking only: the parts of scout-findable profiles that matching uses
    /// (desired conditions, career, accommodations), each cut down to what the disclosure
    /// policy lets the viewer's company see. Nothing here is shown: whatever a ranking
    /// puts in front of the employer goes through [`view_profile`], which records it.
    pub async fn scout_pool(&self, viewer: String, limit: i64) -> Result<Vec<(String, Profile)>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let candidates: Vec<String> = crate::schema::consents::table
                    .filter(crate::schema::consents::kind.eq(ConsentKind::ScoutVisibility.as_str()))
                    .filter(crate::schema::consents::withdrawn_at.is_null())
                    .select(crate::schema::consents::user_id)
                    .order(crate::schema::consents::given_at.desc())
                    .limit(limit)
                    .load(c)?;
                let mut out = Vec::new();
                for seeker in candidates {
                    let (rel, _) = relationship(c, &viewer, &seeker, None)?;
                    if !matches!(rel, ProfileRel::Scout(_)) {
                        continue;
                    }
                    let sensitive = is_active(c, &seeker, ConsentKind::SensitiveData)?;
                    let items = disclosure::profile_items(&rel, sensitive);
                    let full = load(c, &keys, &seeker)?;
                    let masked = Profile {
                        desired: full.desired.filter(|_| items.contains(&PItem::Desired)),
                        career: full.career.filter(|_| items.contains(&PItem::Career)),
                        accommodations: full
                            .accommodations
                            .filter(|_| items.contains(&PItem::Accommodations)),
                        ..Profile::default()
                    };
                    out.push((seeker, masked));
                }
                Ok(out)
            })
            .await
    }

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
                    let recipient_person = match account_name(c, &keys, &user) {
                        Ok(n) => n,
                        Err(StoreError::KeyErased)
                        | Err(StoreError::Db(diesel::result::Error::NotFound)) => "—".into(),
                        Err(e) => return Err(e),
                    };
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
                    let name = account_name(c, &keys, &family_id)?;
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

    /// The invitation code of a facility the supporter belongs to (made on first use).
    pub async fn facility_code(&self, supporter: String) -> Result<Option<(String, String)>> {
        self.db
            .write(move |c| {
                let Some(org) = org_of_kind(c, &supporter, OrgKind::Facility)?
                    .into_iter()
                    .next()
                else {
                    return Ok(None);
                };
                let code: Option<String> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .select(organizations::invite_code)
                    .first(c)?;
                let code = match code {
                    Some(code) => code,
                    None => {
                        let code = new_code();
                        diesel::update(organizations::table.filter(organizations::id.eq(&org)))
                            .set(organizations::invite_code.eq(&code))
                            .execute(c)?;
                        code
                    }
                };
                Ok(Some((org, code)))
            })
            .await
    }

    /// Seekers linked to the supporter's facility: (seeker id, name).
    pub async fn facility_seekers(&self, supporter: String) -> Result<Vec<(String, String)>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let mut out = Vec::new();
                for org in org_of_kind(c, &supporter, OrgKind::Facility)? {
                    let seekers: Vec<String> = crate::schema::consents::table
                        .filter(
                            crate::schema::consents::kind.eq(ConsentKind::SupporterLink.as_str()),
                        )
                        .filter(crate::schema::consents::recipient_id.eq(&org))
                        .filter(crate::schema::consents::withdrawn_at.is_null())
                        .select(crate::schema::consents::user_id)
                        .load(c)?;
                    for s in seekers {
                        let name = account_name(c, &keys, &s)?;
                        out.push((s, name));
                    }
                }
                Ok(out)
            })
            .await
    }

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
                let (rel, org) = relationship(c, &sender, &seeker, None)?;
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

    /// A linked supporter proposes a change to one section; the seeker decides.
    pub async fn draft_section(
        &self,
        author: String,
        seeker: String,
        p: Profile,
        s: Section,
        now: i64,
    ) -> Result<Option<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (rel, _) = relationship(c, &author, &seeker, None)?;
                if rel != ProfileRel::Supporter {
                    return Ok(None);
                }
                let Some(v) = section_json(&p, s)? else {
                    return Ok(None);
                };
                let id = new_id();
                let key = keys.subject_key(c, &seeker)?;
                diesel::insert_into(profile_drafts::table)
                    .values((
                        profile_drafts::id.eq(&id),
                        profile_drafts::seeker_id.eq(&seeker),
                        profile_drafts::author_id.eq(&author),
                        profile_drafts::section.eq(s.as_str()),
                        profile_drafts::data_enc.eq(key.seal(
                            "profile_drafts",
                            "data",
                            &id,
                            v.to_string().as_bytes(),
                        )?),
                        profile_drafts::created_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(Some(id))
            })
            .await
    }

    pub async fn drafts_for(&self, seeker: String) -> Result<Vec<Draft>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, Vec<u8>, i64)> = profile_drafts::table
                    .filter(profile_drafts::seeker_id.eq(&seeker))
                    .filter(profile_drafts::decided_at.is_null())
                    .order(profile_drafts::created_at.asc())
                    .select((
                        profile_drafts::id,
                        profile_drafts::section,
                        profile_drafts::author_id,
                        profile_drafts::data_enc,
                        profile_drafts::created_at,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, section, author_id, enc, created_at) in rows {
                    let plain = keys.open(c, "profile_drafts", "data", &id, &enc)?;
                    let proposed = serde_json::from_slice(&plain)
                        .map_err(|_| StoreError::Crypto("draft decoding"))?;
                    let author_name = account_name(c, &keys, &author_id)?;
                    out.push(Draft {
                        id,
                        section,
                        author_id,
                        author_name,
                        proposed,
                        created_at,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The seeker approves (the section is saved) or rejects a draft.
    pub async fn decide_draft(
        &self,
        seeker: String,
        id: String,
        approve: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<std::result::Result<(), NotSaved>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, Vec<u8>)> = profile_drafts::table
                    .filter(profile_drafts::id.eq(&id))
                    .filter(profile_drafts::seeker_id.eq(&seeker))
                    .filter(profile_drafts::decided_at.is_null())
                    .select((profile_drafts::section, profile_drafts::data_enc))
                    .first(c)
                    .optional()?;
                let Some((section, enc)) = row else {
                    return Ok(None);
                };
                let Some(s) = Section::parse(&section) else {
                    return Ok(None);
                };
                if approve {
                    let plain = keys.open(c, "profile_drafts", "data", &id, &enc)?;
                    let v: serde_json::Value = serde_json::from_slice(&plain)
                        .map_err(|_| StoreError::Crypto("draft decoding"))?;
                    let mut p = Profile::default();
                    put_section(&mut p, s, v)?;
                    if let Err(e) = store_section(c, &keys, &seeker, &p, s, now)? {
                        return Ok(Some(Err(e)));
                    }
                }
                diesel::update(profile_drafts::table.filter(profile_drafts::id.eq(&id)))
                    .set((
                        profile_drafts::decided_at.eq(Some(now)),
                        profile_drafts::decision.eq(if approve { "approved" } else { "rejected" }),
                    ))
                    .execute(c)?;
                audit_setting(
                    c,
                    &seeker,
                    format!(
                        "profile.draft.{}",
                        if approve { "approve" } else { "reject" }
                    ),
                    &ctx,
                    now,
                )?;
                Ok(Some(Ok(())))
            })
            .await
    }

    /// Seekers whose 精神障害者保健福祉手帳 reminder is due on or before `today` and not
    /// yet sent; each is marked as reminded in the same transaction as its mail.
    pub async fn certificate_reminders_due(
        &self,
        today: Date,
        now: i64,
        compose: impl Fn(&str, &str) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<usize> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let due: Vec<String> = certificate_reminders::table
                    .filter(certificate_reminders::reminded_at.is_null())
                    .filter(certificate_reminders::remind_on.le(today.to_string()))
                    .select(certificate_reminders::user_id)
                    .load(c)?;
                for user in &due {
                    let (email_enc, lang): (Vec<u8>, String) = users::table
                        .filter(users::id.eq(user))
                        .select((users::email_enc, users::lang))
                        .first(c)?;
                    let email = keys.open_string(c, "users", "email", user, &email_enc)?;
                    crate::outbox::enqueue(
                        &keys,
                        c,
                        "certificate_reminder",
                        &compose(&email, &lang),
                        now,
                    )?;
                    diesel::update(
                        certificate_reminders::table
                            .filter(certificate_reminders::user_id.eq(user)),
                    )
                    .set(certificate_reminders::reminded_at.eq(Some(now)))
                    .execute(c)?;
                }
                Ok(due.len())
            })
            .await
    }
}

/// An 8-character facility invitation code without look-alike characters.
pub(crate) fn new_code() -> String {
    use rand_core::RngCore;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 8];
    rand_core::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char)
        .collect()
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
    /// The seeker's profile as the base of a supporter's draft: only for the linked
    /// facility's staff, and read through [`view_profile`] so it is logged and recorded.
    pub async fn draft_base(
        &self,
        supporter: String,
        seeker: String,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Option<Profile>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (rel, _) = relationship(c, &supporter, &seeker, None)?;
                if rel != ProfileRel::Supporter {
                    return Ok(None);
                }
                let a = Access {
                    viewer: &supporter,
                    purpose: None,
                    reason: "supporter_draft",
                    ctx: &ctx,
                    now,
                };
                if view_profile(c, &keys, &a, &seeker, today)?.is_none() {
                    return Ok(None);
                }
                load(c, &keys, &seeker).map(Some)
            })
            .await
    }
}
