//! THE door: every read of a person's data by anyone other than that person passes here.
//!
//! For each view it gathers the facts from live rows (applications and their openness,
//! accepted scouts, blocks, partner opt-ins, the supporter and family links, consents,
//! company verification, the operator's stated purpose), asks `domain::disclosure`
//! (the whole rule, in one file) for the relationship and the items, builds the view from
//! those items only, and — in the same transaction — writes the hash-chained access-log
//! entry and the third-party provision record of exactly the items in the view.
//!
//! The raw profile, its loader and the account loader are private to this module; the
//! only way out is a [`Disclosed`] value, which can only be built here and carries the
//! items it holds, so a caller cannot render what the policy did not return, and the
//! provision record cannot differ from what was handed out.
pub mod application;
pub mod console;
pub mod report;
pub mod rights;
pub mod statistics;
pub mod support;
pub mod thread;

use crate::accounts::Ctx;
use crate::audit::{self, Entry};
use crate::consents::{active_of_kind, is_active, is_active_for};
use crate::error::{Result, StoreError};
use crate::orgs::org_of_kind;
use crate::schema::{
    applications, blocks, family_links, memberships, organizations, profile_sections,
    provision_records, scouts, users,
};
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::disclosure::{
    self, AccountData, AccountFacts, AccountView, CompanyFacts, Openness, PItem, ProfileFacts,
    ProfileRel, Purpose, Relationship, SCOUT_SECTIONS,
};
use domain::profile::{Date, Profile, Section};
use domain::{ConsentKind, OrgKind, Role, UserKind};

/// Who looks, why, from where and when: the context of one access to personal data.
pub struct Access<'a> {
    pub viewer: &'a str,
    /// An operator's stated purpose (operators see nothing without one).
    pub purpose: Option<Purpose>,
    /// Why the data is shown, for the access log (e.g. `organization_members`).
    pub reason: &'a str,
    pub ctx: &'a Ctx,
    pub now: i64,
}

impl<'a> Access<'a> {
    /// An access with no operator purpose (everyone but operators).
    pub fn new(viewer: &'a str, reason: &'a str, ctx: &'a Ctx, now: i64) -> Self {
        Self {
            viewer,
            purpose: None,
            reason,
            ctx,
            now,
        }
    }
}

/// A view the policy allowed, with the items it holds. Only this module builds one.
#[derive(Debug, Clone)]
pub struct Disclosed<T> {
    view: T,
    items: Vec<&'static str>,
}

impl<T> Disclosed<T> {
    pub fn view(&self) -> &T {
        &self.view
    }
    pub fn into_view(self) -> T {
        self.view
    }
    /// The items this view holds (what the access log and provision record name).
    pub fn items(&self) -> &[&'static str] {
        &self.items
    }
}

/// A disclosed view of a seeker's profile.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SeekerView {
    pub seeker_id: String,
    pub items: Vec<PItem>,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The same items as a profile (everything else empty): for prefilled forms and ranking.
    #[serde(skip)]
    pub profile: Profile,
}

impl SeekerView {
    /// Whether the view holds all of a section (a form for it may be offered).
    pub fn sees_section(&self, s: Section) -> bool {
        disclosure::sees_section(&self.items, s)
    }
}

/// What the caller will show of a seeker: the view is the policy's items cut to this.
#[derive(Debug, Clone, Copy)]
pub enum Want {
    All,
    Only(&'static [PItem]),
}

// ------------------------------------------------------------------ raw loaders (private)

/// The seeker's whole profile, decrypted. Private: the only reader of profile sections.
fn load_profile(c: &mut DbConn, keys: &Keyring, seeker: &str) -> Result<Profile> {
    let rows: Vec<(String, Vec<u8>)> = profile_sections::table
        .filter(profile_sections::user_id.eq(seeker))
        .select((profile_sections::section, profile_sections::data_enc))
        .load(c)?;
    let mut p = Profile::default();
    for (section, enc) in rows {
        let Some(s) = Section::parse(&section) else {
            continue;
        };
        let plain = keys.open("profile_sections", s.as_str(), seeker, &enc)?;
        let v: serde_json::Value =
            serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("profile decoding"))?;
        crate::profiles::sections::put_section(&mut p, s, v)?;
    }
    Ok(p)
}

fn load_account(c: &mut DbConn, keys: &Keyring, subject: &str) -> Result<Option<AccountData>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = users::table
        .filter(users::id.eq(subject))
        .select((users::name_enc, users::email_enc))
        .first(c)
        .optional()?;
    let Some((name, email)) = row else {
        return Ok(None);
    };
    Ok(Some(AccountData {
        name: keys.open_string("users", "name", subject, &name)?,
        email: keys.open_string("users", "email", subject, &email)?,
    }))
}

/// The signed-in user's own account data (the viewer is the subject).
pub(crate) fn own_account(c: &mut DbConn, keys: &Keyring, me: &str) -> Result<Option<AccountData>> {
    load_account(c, keys, me)
}

fn account_name(c: &mut DbConn, keys: &Keyring, user: &str) -> Result<String> {
    let enc: Vec<u8> = users::table
        .filter(users::id.eq(user))
        .select(users::name_enc)
        .first(c)?;
    keys.open_string("users", "name", user, &enc)
}

/// The name of a person who received the subject's data, as the subject's own
/// provision records and pending proposals must name them (APPI: the recipient is
/// part of the record). Shown to the subject only; an erased account reads as `None`.
pub(crate) fn recipient_name(c: &mut DbConn, keys: &Keyring, user: &str) -> Result<Option<String>> {
    match account_name(c, keys, user) {
        Ok(n) => Ok(Some(n)),
        Err(StoreError::KeyErased) | Err(StoreError::Db(diesel::result::Error::NotFound)) => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

// ------------------------------------------------------------------ facts

fn open_kind(c: &mut DbConn, user: &str) -> Result<Option<UserKind>> {
    let k: Option<String> = users::table
        .filter(users::id.eq(user))
        .filter(users::closed_at.is_null())
        .select(users::kind)
        .first(c)
        .optional()?;
    Ok(k.as_deref().and_then(UserKind::parse))
}

/// Days after its decision a data-subject request still lets the privacy officer read
/// the person's data for it (a follow-up question, a correction carried out).
pub const REQUEST_BASIS_DAYS: i64 = 30;

/// The operator's purpose as it stands, or `None`: the viewer is open operator staff
/// holding the role the purpose belongs to (`Purpose::role`), and stated it for this
/// person within its window (`store::console`, `domain::console::PURPOSE_MINUTES`), or,
/// for a privacy request, the person has a request open or decided within
/// [`REQUEST_BASIS_DAYS`]. A purpose merely claimed in a request stands for nothing.
pub(crate) fn checked_purpose(
    c: &mut DbConn,
    viewer: &str,
    subject: &str,
    claimed: Option<Purpose>,
    now: i64,
) -> Result<Option<Purpose>> {
    use crate::schema::{operator_roles, rights_requests, stated_purposes};
    let Some(p) = claimed else {
        return Ok(None);
    };
    let holds: i64 = operator_roles::table
        .inner_join(users::table)
        .filter(operator_roles::user_id.eq(viewer))
        .filter(operator_roles::role.eq(p.role().as_str()))
        .filter(users::kind.eq(UserKind::Operator.as_str()))
        .filter(users::closed_at.is_null())
        .count()
        .get_result(c)?;
    if holds == 0 {
        return Ok(None);
    }
    let stated: i64 = stated_purposes::table
        .filter(stated_purposes::staff_id.eq(viewer))
        .filter(stated_purposes::subject_id.eq(subject))
        .filter(stated_purposes::purpose.eq(p.as_str()))
        .filter(stated_purposes::until_at.gt(now))
        .count()
        .get_result(c)?;
    if stated > 0 {
        return Ok(Some(p));
    }
    if p == Purpose::PrivacyRequest {
        let since = now - REQUEST_BASIS_DAYS * 86_400;
        let requests: i64 = rights_requests::table
            .filter(rights_requests::user_id.eq(subject))
            .filter(
                rights_requests::status
                    .eq("open")
                    .or(rights_requests::decided_at.gt(since)),
            )
            .count()
            .get_result(c)?;
        if requests > 0 {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// Whether the subject's data is withheld from everyone but themselves (and the
/// operator's privacy officer): the account is closed (退会), or a granted request
/// suspended its use or stopped its provision to third parties.
pub(crate) fn withheld(c: &mut DbConn, subject: &str) -> Result<bool> {
    Ok(subject_state(c, subject)?.is_none_or(|(_, withheld)| withheld))
}

/// The kind of an open account and whether its data is withheld from others, in one
/// read (`None`: no such account, or closed).
fn subject_state(c: &mut DbConn, subject: &str) -> Result<Option<(UserKind, bool)>> {
    let row: Option<(String, Option<i64>, Option<i64>)> = users::table
        .filter(users::id.eq(subject))
        .filter(users::closed_at.is_null())
        .select((
            users::kind,
            users::use_suspended_at,
            users::provision_stopped_at,
        ))
        .first(c)
        .optional()?;
    Ok(row.and_then(|(kind, suspended, stopped)| {
        UserKind::parse(&kind).map(|k| (k, suspended.is_some() || stopped.is_some()))
    }))
}

fn openness_list<'a>(v: impl IntoIterator<Item = &'a str>) -> Vec<Openness> {
    v.into_iter().filter_map(Openness::parse).collect()
}

/// Whether `family` is a family member `seeker` linked, and the link stands.
fn family_linked(c: &mut DbConn, seeker: &str, family: &str) -> Result<bool> {
    let n: i64 = family_links::table
        .filter(family_links::seeker_id.eq(seeker))
        .filter(family_links::family_id.eq(family))
        .filter(family_links::ended_at.is_null())
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// The companies the viewer belongs to now, with whether the operator verified each
/// (one query, whatever the number of seekers looked at).
fn companies_of(c: &mut DbConn, viewer: &str) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, Option<i64>)> = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(viewer))
        .filter(memberships::ended_at.is_null())
        .filter(organizations::kind.eq(OrgKind::Company.as_str()))
        .select((organizations::id, organizations::verified_at))
        .load(c)?;
    Ok(rows.into_iter().map(|(id, v)| (id, v.is_some())).collect())
}

fn company_facts(c: &mut DbConn, seeker: &str, org: &str, verified: bool) -> Result<CompanyFacts> {
    let blocked: i64 = blocks::table
        .filter(blocks::seeker_id.eq(seeker))
        .filter(blocks::org_id.eq(org))
        .count()
        .get_result(c)?;
    let apps: Vec<String> = applications::table
        .filter(applications::seeker_id.eq(seeker))
        .filter(applications::org_id.eq(org))
        .filter(applications::withdrawn_at.is_null())
        // 見送り ends what the application disclosed, as withdrawing does.
        .filter(applications::stage.ne("not_hired"))
        .select(applications::openness)
        .load(c)?;
    let accepted: Vec<Option<String>> = scouts::table
        .filter(scouts::seeker_id.eq(seeker))
        .filter(scouts::org_id.eq(org))
        .filter(scouts::status.eq("accepted"))
        .select(scouts::openness)
        .load(c)?;
    Ok(CompanyFacts {
        org_id: org.to_owned(),
        verified,
        blocked: blocked > 0,
        applications: openness_list(apps.iter().map(String::as_str)),
        accepted_scouts: openness_list(accepted.iter().flatten().map(String::as_str)),
        partner_consent: is_active_for(c, seeker, ConsentKind::PartnerProvision, Some(org), None)?,
    })
}

fn profile_facts(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
    purpose: Option<Purpose>,
    now: i64,
) -> Result<ProfileFacts> {
    let oneself = viewer == seeker;
    let purpose = checked_purpose(c, viewer, seeker, purpose, now)?;
    let subject = subject_state(c, seeker)?;
    let mut f = ProfileFacts {
        subject_is_seeker: subject.is_some_and(|(kind, withheld)| {
            kind == UserKind::Seeker && (oneself || purpose.is_some() || !withheld)
        }),
        oneself,
        purpose,
        ..ProfileFacts::default()
    };
    if !f.subject_is_seeker || f.oneself {
        return Ok(f);
    }
    f.viewer_kind = open_kind(c, viewer)?;
    match f.viewer_kind {
        Some(UserKind::Family) => f.family_linked = family_linked(c, seeker, viewer)?,
        Some(UserKind::Supporter) => {
            for fac in org_of_kind(c, viewer, OrgKind::Facility)? {
                if is_active_for(c, seeker, ConsentKind::SupporterLink, Some(&fac), None)? {
                    f.linked_facilities.push(fac);
                }
            }
        }
        Some(UserKind::Employer) => {
            scout_consent(c, seeker, &mut f)?;
            for (org, verified) in companies_of(c, viewer)? {
                f.companies.push(company_facts(c, seeker, &org, verified)?);
            }
        }
        _ => {}
    }
    Ok(f)
}

/// Whether scouts may find the seeker, and which sections they see (the seeker's consents).
fn scout_consent(c: &mut DbConn, seeker: &str, f: &mut ProfileFacts) -> Result<()> {
    f.scout_visible = is_active(c, seeker, ConsentKind::ScoutVisibility)?;
    f.scout_sections = active_of_kind(c, seeker, ConsentKind::ScoutSection)?
        .into_iter()
        .filter_map(|(_, scope)| scope)
        .filter_map(|s| SCOUT_SECTIONS.iter().copied().find(|i| i.as_str() == s))
        .collect();
    Ok(())
}

/// For whom a scout search or a scout is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scouting {
    /// For the company the viewer is a member of.
    Member,
    /// By the operator's agency staff (採用代行), in the name of this company, which
    /// must have delegated scouting to the operator for today.
    Agency(String),
}

impl Scouting {
    /// The access log's reason for a search made this way.
    fn reason(&self) -> &'static str {
        match self {
            Self::Member => "candidates",
            Self::Agency(_) => "agency_candidates",
        }
    }
}

/// Where a scout search stands on this request, looked up once for all its candidates:
/// for a member, their own companies (per seeker, in the facts); for the agency, the
/// company it acts for while the role and that company's delegation stand.
pub(crate) enum Desk {
    Member,
    Agency {
        company: String,
        verified: bool,
    },
    /// The agency's staff without the role, or a company whose delegation does not
    /// stand: no one is found.
    Closed,
}

pub(crate) fn desk(c: &mut DbConn, viewer: &str, scouting: &Scouting, now: i64) -> Result<Desk> {
    let Scouting::Agency(company) = scouting else {
        return Ok(Desk::Member);
    };
    if open_kind(c, viewer)? != Some(UserKind::Operator)
        || !thread::agency_staff(c, viewer)?
        || !thread::delegation_stands(c, company, now)?
    {
        return Ok(Desk::Closed);
    }
    let verified: Option<Option<i64>> = organizations::table
        .filter(organizations::id.eq(company))
        .filter(organizations::kind.eq(OrgKind::Company.as_str()))
        .select(organizations::verified_at)
        .first(c)
        .optional()?;
    Ok(match verified {
        Some(v) => Desk::Agency {
            company: company.clone(),
            verified: v.is_some(),
        },
        None => Desk::Closed,
    })
}

/// How `viewer` stands to `seeker` at `desk`: the scout relationship (`Scout` for a
/// member of the company, `AgencyScout` for the agency) and the company, or `None` when
/// this scout search may not find the seeker.
pub(crate) fn standing_at(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
    desk: &Desk,
) -> Result<Option<(ProfileRel, String)>> {
    let (rel, org) = match desk {
        Desk::Closed => return Ok(None),
        Desk::Member => seeker_relationship(c, viewer, seeker)?,
        Desk::Agency { company, verified } => {
            // The agency's facts: the seeker's scout consents and the company's standing.
            let mut f = profile_facts(c, viewer, seeker, None, 0)?;
            scout_consent(c, seeker, &mut f)?;
            f.agency_for = Some(company_facts(c, seeker, company, *verified)?);
            disclosure::profile_relationship(&f)
        }
    };
    Ok(match (rel, org) {
        (rel @ (ProfileRel::Scout(_) | ProfileRel::AgencyScout(_)), Some(org)) => Some((rel, org)),
        _ => None,
    })
}

/// [`standing_at`] for one seeker (a scout sent).
pub(crate) fn scout_standing(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
    scouting: &Scouting,
    now: i64,
) -> Result<Option<(ProfileRel, String)>> {
    let d = desk(c, viewer, scouting, now)?;
    standing_at(c, viewer, seeker, &d)
}

/// How `viewer` stands to `seeker` now (decided by the domain from live facts), with the
/// organisation through which. Reveals no data; used to authorise acts such as a scout
/// or a supporter's proposal.
pub(crate) fn seeker_relationship(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
) -> Result<(ProfileRel, Option<String>)> {
    Ok(disclosure::profile_relationship(&profile_facts(
        c, viewer, seeker, None, 0,
    )?))
}

/// The relationship and the items the policy lets `viewer` see of `seeker` now (for
/// checks and ranking; nothing is shown, so nothing is logged).
pub(crate) fn visible_items(
    c: &mut DbConn,
    viewer: &str,
    seeker: &str,
) -> Result<(ProfileRel, Option<String>, Vec<PItem>)> {
    let (rel, org) = seeker_relationship(c, viewer, seeker)?;
    let sensitive = is_active(c, seeker, ConsentKind::SensitiveData)?;
    let items = disclosure::profile_items(&rel, sensitive);
    Ok((rel, org, items))
}

fn account_facts(
    c: &mut DbConn,
    viewer: &str,
    subject: &str,
    purpose: Option<Purpose>,
    now: i64,
) -> Result<AccountFacts> {
    let purpose = checked_purpose(c, viewer, subject, purpose, now)?;
    let mut f = AccountFacts {
        oneself: viewer == subject,
        purpose,
        ..AccountFacts::default()
    };
    if f.oneself {
        return Ok(f);
    }
    f.viewer_is_operator = open_kind(c, viewer)? == Some(UserKind::Operator);
    // Withheld (a stop of provision, a suspension of use): only the operator's stated
    // purpose still reads the account.
    if withheld(c, subject)? && !(f.viewer_is_operator && purpose.is_some()) {
        return Ok(AccountFacts {
            oneself: false,
            ..AccountFacts::default()
        });
    }
    f.subject_is_my_family = family_linked(c, viewer, subject)?;
    f.i_am_subjects_family = family_linked(c, subject, viewer)?;
    let viewer_orgs: Vec<(String, String)> = memberships::table
        .filter(memberships::user_id.eq(viewer))
        .filter(memberships::ended_at.is_null())
        .select((memberships::org_id, memberships::role))
        .load(c)?;
    for (org, role) in viewer_orgs {
        let shared: i64 = memberships::table
            .filter(memberships::org_id.eq(&org))
            .filter(memberships::user_id.eq(subject))
            .filter(memberships::ended_at.is_null())
            .count()
            .get_result(c)?;
        if shared > 0 {
            f.shared_orgs_viewer_admin
                .push(Role::parse(&role).is_some_and(Role::is_admin));
        }
    }
    Ok(f)
}

// ------------------------------------------------------------------ records

/// Whether the seeker has a live application to the organisation (else the disclosure
/// rests on an accepted scout).
fn applied(c: &mut DbConn, seeker: &str, org: &str) -> Result<bool> {
    let n: i64 = applications::table
        .filter(applications::seeker_id.eq(seeker))
        .filter(applications::org_id.eq(org))
        // An application an accepted scout opened rests on the scout.
        .filter(applications::scout_id.is_null())
        .filter(applications::withdrawn_at.is_null())
        // 見送り ends what the application disclosed, as withdrawing does.
        .filter(applications::stage.ne("not_hired"))
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

pub(crate) fn log_read(
    c: &mut DbConn,
    a: &Access<'_>,
    subject: &str,
    action: &str,
    items: Vec<&'static str>,
    purpose: &str,
) -> Result<()> {
    audit::append(
        c,
        a.now,
        Entry {
            actor_id: Some(a.viewer.to_owned()),
            subject_id: Some(subject.to_owned()),
            action: action.into(),
            items,
            purpose: purpose.into(),
            ip: a.ctx.ip.clone(),
            user_agent: a.ctx.user_agent.clone(),
        },
    )
    .map(|_| ())
}

// ------------------------------------------------------------------ the views

/// THE read of a seeker's profile. `None`: the viewer may see nothing (answer 404).
/// Inside a write transaction.
pub(crate) fn view_seeker_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    seeker: &str,
    want: Want,
    today: Date,
) -> Result<Option<Disclosed<SeekerView>>> {
    let facts = profile_facts(c, a.viewer, seeker, a.purpose, a.now)?;
    let (rel, org) = disclosure::profile_relationship(&facts);
    view_in(c, keys, a, seeker, &rel, org.as_deref(), want, today)
}

#[allow(clippy::too_many_arguments)]
fn view_in(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    seeker: &str,
    rel: &ProfileRel,
    org: Option<&str>,
    want: Want,
    today: Date,
) -> Result<Option<Disclosed<SeekerView>>> {
    let sensitive = is_active(c, seeker, ConsentKind::SensitiveData)?;
    let mut items = disclosure::profile_items(rel, sensitive);
    if let Want::Only(only) = want {
        items.retain(|i| only.contains(i));
    }
    if items.is_empty() {
        return Ok(None);
    }
    let raw = load_profile(c, keys, seeker)?;
    let name = account_name(c, keys, seeker)?;
    let fields = disclosure::profile_view(&items, &raw, &name, today);
    let disclosed: Vec<PItem> = items
        .iter()
        .copied()
        .filter(|i| fields.contains_key(i.as_str()))
        .collect();
    let mut profile = disclosure::mask_profile(&disclosed, &raw);
    if disclosed.contains(&PItem::Name)
        && let Some(b) = profile.basic.as_mut()
        && b.name.is_empty()
    {
        b.name = name;
    }
    let names: Vec<&'static str> = disclosed.iter().map(|i| i.as_str()).collect();
    if *rel != ProfileRel::Oneself && !disclosed.is_empty() {
        if let Some(basis) = disclosure::provision_basis(rel) {
            let basis = match (rel, org) {
                (ProfileRel::Applicant(_), Some(o)) if !applied(c, seeker, o)? => "scout_accept",
                _ => basis,
            };
            record_provision(c, seeker, org, a.viewer, &names.join(","), basis, a.now)?;
        }
        log_read(
            c,
            a,
            seeker,
            "profile.read",
            names.clone(),
            disclosure::log_purpose(rel),
        )?;
    }
    Ok(Some(Disclosed {
        view: SeekerView {
            seeker_id: seeker.to_owned(),
            items: disclosed,
            fields,
            profile,
        },
        items: names,
    }))
}

/// The one way to read someone's account data (name, email): facts → policy → view,
/// an access-log entry when it showed anything to another party, and a provision record
/// when that party is a third party (family). Inside a write transaction.
pub(crate) fn view_account_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    subject: &str,
) -> Result<Option<Disclosed<AccountView>>> {
    let rel =
        disclosure::account_relationship(&account_facts(c, a.viewer, subject, a.purpose, a.now)?);
    if disclosure::account_items(rel).is_empty() {
        return Ok(None);
    }
    let Some(data) = load_account(c, keys, subject)? else {
        return Ok(None);
    };
    let Some((view, items)) = disclosure::account_view(rel, &data) else {
        return Ok(None);
    };
    let names: Vec<&'static str> = items.iter().map(|i| i.as_str()).collect();
    if rel != Relationship::Oneself {
        if let Some(basis) = disclosure::account_provision_basis(rel) {
            record_provision(c, subject, None, a.viewer, &names.join(","), basis, a.now)?;
        }
        log_read(c, a, subject, "account.read", names.clone(), a.reason)?;
    }
    Ok(Some(Disclosed { view, items: names }))
}

/// Seekers who let scouts find them, newest consent first: the candidates of every
/// scout search (consent sits inside the search, not after it).
fn scout_candidates(c: &mut DbConn, limit: i64) -> Result<Vec<String>> {
    use crate::schema::consents;
    consents::table
        .filter(consents::kind.eq(ConsentKind::ScoutVisibility.as_str()))
        .filter(consents::withdrawn_at.is_null())
        .select(consents::user_id)
        .order(consents::given_at.desc())
        .limit(limit)
        .load(c)
        .map_err(StoreError::from)
}

impl Store {
    /// A seeker's profile as `viewer` may see it (recorded and logged), or `None`.
    #[allow(clippy::too_many_arguments)]
    pub async fn view_seeker(
        &self,
        viewer: String,
        seeker: String,
        purpose: Option<Purpose>,
        want: Want,
        reason: &'static str,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Option<Disclosed<SeekerView>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access {
                    viewer: &viewer,
                    purpose,
                    reason,
                    ctx: &ctx,
                    now,
                };
                view_seeker_tx(c, &keys, &a, &seeker, want, today)
            })
            .await
    }

    /// The signed-in seeker's own profile (the viewer is the subject; nothing is logged).
    pub async fn own_profile(&self, me: String) -> Result<Profile> {
        let keys = self.keys.clone();
        self.db.read(move |c| load_profile(c, &keys, &me)).await
    }

    /// The masked profiles of the seekers the scouting company (the viewer's own, or the
    /// one the agency acts for: `scouting`) may find by scout and that meet `filter`
    /// (judged on the masked profile, before anything is disclosed; each one shown is a
    /// recorded provision). Newest consents first; at most `pool`
    /// looked at and `top` shown.
    #[allow(clippy::too_many_arguments)]
    pub async fn scout_search(
        &self,
        viewer: String,
        scouting: Scouting,
        filter: domain::matching::ScoutFilter,
        ctx: Ctx,
        today: Date,
        now: i64,
        pool: i64,
        top: usize,
    ) -> Result<Vec<Disclosed<SeekerView>>> {
        fn keep(p: &Profile, f: &domain::matching::ScoutFilter) -> Option<(u32, ())> {
            f.matches(p).then_some((0, ()))
        }
        Ok(self
            .rank_scout_candidates(viewer, scouting, filter, keep, pool, top, ctx, today, now)
            .await?
            .into_iter()
            .map(|(d, ())| d)
            .collect())
    }

    /// Ranks the seekers the scouting company (`scouting`) may find by scout and
    /// discloses the best `top` (each one recorded). `score` sees only what the company may see of each
    /// seeker (the masked profile) and leaves out a seeker with `None`; it is a plain
    /// function, so it can carry nothing out of the door but its result. At most `pool` candidates are looked at.
    #[allow(clippy::too_many_arguments)]
    pub async fn rank_scout_candidates<C, R>(
        &self,
        viewer: String,
        scouting: Scouting,
        input: C,
        score: fn(&Profile, &C) -> Option<(u32, R)>,
        pool: i64,
        top: usize,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Vec<(Disclosed<SeekerView>, R)>>
    where
        C: Send + 'static,
        R: Send + 'static,
    {
        // Ranking reads only (no writer is held while up to `pool` profiles are opened);
        // the best are then disclosed in one write, the relationship checked again.
        let keys = self.keys.clone();
        let v = viewer.clone();
        let how = scouting.clone();
        let scored = self
            .db
            .read(move |c| {
                let mut scored: Vec<(u32, String, R)> = Vec::new();
                let at = desk(c, &v, &how, now)?;
                for seeker in scout_candidates(c, pool)? {
                    let Some((rel, _)) = standing_at(c, &v, &seeker, &at)? else {
                        continue;
                    };
                    let sensitive = is_active(c, &seeker, ConsentKind::SensitiveData)?;
                    let items = disclosure::profile_items(&rel, sensitive);
                    let masked =
                        disclosure::mask_profile(&items, &load_profile(c, &keys, &seeker)?);
                    if let Some((s, r)) = score(&masked, &input) {
                        scored.push((s, seeker, r));
                    }
                }
                scored.sort_by_key(|s| std::cmp::Reverse(s.0));
                scored.truncate(top);
                Ok(scored)
            })
            .await?;
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, scouting.reason(), &ctx, now);
                let mut out = Vec::new();
                let at = desk(c, &viewer, &scouting, now)?;
                for (_, seeker, r) in scored {
                    let Some((rel, org)) = standing_at(c, &viewer, &seeker, &at)? else {
                        continue;
                    };
                    if let Some(v) =
                        view_in(c, &keys, &a, &seeker, &rel, Some(&org), Want::All, today)?
                    {
                        out.push((v, r));
                    }
                }
                Ok(out)
            })
            .await
    }
}
