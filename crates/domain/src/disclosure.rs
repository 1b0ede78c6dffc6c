//! THE disclosure policy: who sees which item of whom. The whole rule is in this file.
//!
//! How to read it, e.g. "who may see a seeker's phone number?":
//! 1. [`profile_relationship`] turns the facts the store gathered ([`ProfileFacts`]:
//!    applications and their openness, accepted scouts, blocks, partner opt-ins, the
//!    supporter link, the family link, consents, company verification, the operator's
//!    stated purpose) into one [`ProfileRel`]. When several hold at once the strongest
//!    wins: open application > closed application (or accepted scout) > partner > scout.
//! 2. [`profile_table`] says which items each relationship sees. `Phone` is in
//!    `IDENTITY`, so: the seeker; the linked facility's staff; a company the seeker
//!    applied to or accepted a scout from (open or closed); a partner company the seeker
//!    opted into; an operator stating `account_support` or `privacy_request`. Never a
//!    company browsing scouts, never family, never anyone else.
//! 3. [`profile_items`] then removes the 要配慮 items (disability, accommodations,
//!    traits) for everyone but the seeker while the sensitive-data consent does not stand.
//!
//! Account data (the name and email of any account, e.g. organisation members) follows
//! the same pattern: [`account_relationship`] from [`AccountFacts`], then [`account_items`].
//!
//! An application's own records (its stage, the seeker's message, interviews, the
//! 合理的配慮 ledger, the employment record, the company's internal notes) follow it too:
//! [`application_relationship`] from [`AppFacts`], then [`application_items`]; the
//! store's door for them is `crates/store/src/disclosure/application.rs`.
//!
//! Message threads follow it too: [`thread_relationship`] from [`ThreadFacts`], then
//! [`thread_rights`]; the store's door for them is `crates/store/src/disclosure/thread.rs`.
//!
//! A worker's daily check-ins follow it too: [`report_relationship`] from
//! [`ReportFacts`], then [`report_items`]; the store's door for them is
//! `crates/store/src/disclosure/report.rs`. What each viewer may do with the support
//! around a worker (support records, comments, alerts) is [`support_rights`], from the
//! same relationship; the store's door for it is `crates/store/src/disclosure/support.rs`.
//!
//! The store's `disclosure` module (`crates/store/src/disclosure/`) is the one reader:
//! it gathers the facts from live rows on every request, asks these functions, builds
//! the view from the items they return and writes the access-log entry and the provision
//! record of exactly those items, in the same transaction. The raw profile cannot be
//! loaded anywhere else.
use serde::Serialize;

// ======================================================================= accounts

/// One item of a person's account data that a view may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Item {
    Name,
    Email,
}

impl Item {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Email => "email",
        }
    }
}

/// Why an operator looks at someone's data; every operator view states one and is logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    AccountSupport,
    PrivacyRequest,
}

impl Purpose {
    pub const ALL: [Purpose; 2] = [Self::AccountSupport, Self::PrivacyRequest];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountSupport => "account_support",
            Self::PrivacyRequest => "privacy_request",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    /// The staff role that may state this purpose: a purpose claimed by anyone else
    /// stands for nothing (the store's door checks it, with the statement, on every view).
    pub fn role(self) -> crate::StaffRole {
        match self {
            Self::AccountSupport => crate::StaffRole::Support,
            Self::PrivacyRequest => crate::StaffRole::PrivacyOfficer,
        }
    }
    /// The purpose as the access log names it.
    pub fn log_name(self) -> &'static str {
        match self {
            Self::AccountSupport => "operator_account_support",
            Self::PrivacyRequest => "operator_privacy_request",
        }
    }
}

/// How the viewer stands to the subject of an account view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relationship {
    /// The viewer is the subject.
    Oneself,
    /// The viewer administers an organisation the subject is a member of.
    OrgAdminOfMember,
    /// Both are members of the same organisation; the viewer is not its admin.
    OrgColleague,
    /// The viewer is a seeker; the subject is a family member the seeker linked.
    SeekerOfFamilyMember,
    /// The viewer is a family member the subject (a seeker) linked.
    FamilyOfSeeker,
    /// The viewer is an operator acting for a stated purpose.
    Operator(Purpose),
    /// No relationship: nothing is shown.
    Stranger,
}

use Item::*;

/// The account table. Read a row as: "a viewer in this relationship sees these items".
pub fn account_items(rel: Relationship) -> &'static [Item] {
    match rel {
        Relationship::Oneself => &[Name, Email],
        Relationship::OrgAdminOfMember => &[Name, Email],
        Relationship::OrgColleague => &[Name],
        Relationship::SeekerOfFamilyMember => &[Name, Email],
        Relationship::FamilyOfSeeker => &[Name],
        Relationship::Operator(Purpose::AccountSupport) => &[Name, Email],
        Relationship::Operator(Purpose::PrivacyRequest) => &[Name, Email],
        Relationship::Stranger => &[],
    }
}

/// What the basis of an account view is called in the provision records; `None` when
/// the view is no provision to a third party (oneself, colleagues, the operator).
pub fn account_provision_basis(rel: Relationship) -> Option<&'static str> {
    match rel {
        Relationship::FamilyOfSeeker => Some("family_share"),
        _ => None,
    }
}

/// What the store knows of a viewer and the subject of an account view, from live rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountFacts {
    pub oneself: bool,
    pub viewer_is_operator: bool,
    pub purpose: Option<Purpose>,
    /// The viewer (a seeker) linked the subject as family, and the link stands.
    pub subject_is_my_family: bool,
    /// The subject (a seeker) linked the viewer as family, and the link stands.
    pub i_am_subjects_family: bool,
    /// For each organisation both belong to now: whether the viewer is its admin.
    pub shared_orgs_viewer_admin: Vec<bool>,
}

/// How the viewer stands to the subject of an account view.
pub fn account_relationship(f: &AccountFacts) -> Relationship {
    if f.oneself {
        Relationship::Oneself
    } else if f.viewer_is_operator {
        f.purpose
            .map_or(Relationship::Stranger, Relationship::Operator)
    } else if f.subject_is_my_family {
        Relationship::SeekerOfFamilyMember
    } else if f.i_am_subjects_family {
        Relationship::FamilyOfSeeker
    } else if f.shared_orgs_viewer_admin.iter().any(|a| *a) {
        Relationship::OrgAdminOfMember
    } else if !f.shared_orgs_viewer_admin.is_empty() {
        Relationship::OrgColleague
    } else {
        Relationship::Stranger
    }
}

/// The account data of a subject, as held.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub name: String,
    pub email: String,
}

/// What a viewer may see of an account: absent fields are withheld.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Builds the view of `data` that a viewer in `rel` may see, with the items it holds.
pub fn account_view(rel: Relationship, data: &AccountData) -> Option<(AccountView, Vec<Item>)> {
    let items = account_items(rel);
    if items.is_empty() {
        return None;
    }
    let mut view = AccountView::default();
    for item in items {
        match item {
            Name => view.name = Some(data.name.clone()),
            Email => view.email = Some(data.email.clone()),
        }
    }
    Some((view, items.to_vec()))
}
// ======================================================================= profiles

use crate::profile::{Date, Profile};

/// One item of a seeker's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PItem {
    Name,
    Kana,
    Gender,
    BirthDate,
    /// Age in years only (what a scout sees instead of the birth date).
    Age,
    /// Full address (prefecture and the rest).
    Address,
    /// Prefecture only.
    Prefecture,
    Phone,
    Email,
    #[serde(rename = "disability_categories")]
    DisabilityCategory,
    Certificate,
    DisabilityDescription,
    Accommodations,
    Traits,
    Career,
    Desired,
}

impl PItem {
    pub const ALL: [PItem; 16] = [
        PItem::Name,
        PItem::Kana,
        PItem::Gender,
        PItem::BirthDate,
        PItem::Age,
        PItem::Address,
        PItem::Prefecture,
        PItem::Phone,
        PItem::Email,
        PItem::DisabilityCategory,
        PItem::Certificate,
        PItem::DisabilityDescription,
        PItem::Accommodations,
        PItem::Traits,
        PItem::Career,
        PItem::Desired,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Kana => "kana",
            Self::Gender => "gender",
            Self::BirthDate => "birth_date",
            Self::Age => "age",
            Self::Address => "address",
            Self::Prefecture => "prefecture",
            Self::Phone => "phone",
            Self::Email => "email",
            Self::DisabilityCategory => "disability_categories",
            Self::Certificate => "certificate",
            Self::DisabilityDescription => "disability_description",
            Self::Accommodations => "accommodations",
            Self::Traits => "traits",
            Self::Career => "career",
            Self::Desired => "desired",
        }
    }
    /// 要配慮個人情報: shown to nobody but the seeker while the sensitive-data consent
    /// does not stand.
    pub fn is_sensitive(self) -> bool {
        matches!(
            self,
            Self::DisabilityCategory
                | Self::Certificate
                | Self::DisabilityDescription
                | Self::Accommodations
                | Self::Traits
        )
    }
}

/// Per application (or accepted scout) the seeker chooses how disability is disclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Openness {
    /// 障害者雇用枠: disability details and accommodations disclosed.
    Open,
    /// 一般枠: no disability data at all.
    Closed,
}

impl Openness {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

/// The sections a seeker may let scouts see (never certificate, description or contacts).
pub const SCOUT_SECTIONS: [PItem; 5] = [
    PItem::DisabilityCategory,
    PItem::Accommodations,
    PItem::Traits,
    PItem::Career,
    PItem::Desired,
];

/// How a viewer stands to a seeker, from live relationships and consents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileRel {
    Oneself,
    /// An employer member browsing scouts: the seeker opted in and did not block the
    /// company. Carries the sections the seeker lets scouts see.
    Scout(Vec<PItem>),
    /// The operator's agency staff (採用代行) scouting in the name of a company that
    /// delegated scouting to the operator: exactly what that company's scout view holds,
    /// and only where the company itself would stand as `Scout`.
    AgencyScout(Vec<PItem>),
    /// A member of a company the seeker applied to or accepted a scout from.
    Applicant(Openness),
    /// A partner company the seeker opted into at registration.
    Partner,
    /// Staff of the facility the seeker linked to.
    Supporter,
    /// A family member the seeker linked.
    Family,
    Operator(Purpose),
    Stranger,
}

use PItem as P;

const IDENTITY: &[PItem] = &[
    P::Name,
    P::Kana,
    P::Gender,
    P::BirthDate,
    P::Age,
    P::Address,
    P::Prefecture,
    P::Phone,
    P::Email,
];
const DISABILITY: &[PItem] = &[
    P::DisabilityCategory,
    P::Certificate,
    P::DisabilityDescription,
    P::Accommodations,
    P::Traits,
];
const WORK: &[PItem] = &[P::Career, P::Desired];

/// THE profile table. Read a row as: "a viewer in this relationship sees these items"
/// (before the sensitive-data consent filter in [`profile_items`]).
fn profile_table(rel: &ProfileRel) -> Vec<PItem> {
    let all = || [IDENTITY, DISABILITY, WORK].concat();
    match rel {
        ProfileRel::Oneself => all(),
        ProfileRel::Supporter => all(),
        ProfileRel::Applicant(Openness::Open) => all(),
        ProfileRel::Applicant(Openness::Closed) => [IDENTITY, WORK].concat(),
        ProfileRel::Partner => [IDENTITY, WORK].concat(),
        ProfileRel::Scout(sections) | ProfileRel::AgencyScout(sections) => {
            let mut v = vec![P::Age, P::Prefecture];
            v.extend(sections.iter().filter(|s| SCOUT_SECTIONS.contains(s)));
            v
        }
        ProfileRel::Family => vec![P::Name],
        ProfileRel::Operator(Purpose::AccountSupport) => vec![P::Name, P::Email, P::Phone],
        ProfileRel::Operator(Purpose::PrivacyRequest) => all(),
        ProfileRel::Stranger => vec![],
    }
}

/// The items a viewer may see, given whether the seeker's sensitive-data consent stands.
pub fn profile_items(rel: &ProfileRel, sensitive_consent: bool) -> Vec<PItem> {
    let mut items = profile_table(rel);
    if !sensitive_consent && *rel != ProfileRel::Oneself {
        items.retain(|i| !i.is_sensitive());
    }
    items.sort();
    items.dedup();
    items
}

/// What the basis of a provision to this viewer is called in the provision records;
/// `None` when the viewer is not another party (the seeker, the operator itself).
pub fn provision_basis(rel: &ProfileRel) -> Option<&'static str> {
    match rel {
        ProfileRel::Scout(_) => Some("scout_search"),
        // A provision to the delegating company, received by the agency's staff.
        ProfileRel::AgencyScout(_) => Some("agency_scout_search"),
        ProfileRel::Applicant(_) => Some("application"),
        ProfileRel::Partner => Some("partner_consent"),
        ProfileRel::Supporter => Some("supporter_link"),
        ProfileRel::Family => Some("family_share"),
        ProfileRel::Oneself | ProfileRel::Operator(_) | ProfileRel::Stranger => None,
    }
}

/// Builds the view: a JSON object holding exactly the disclosed items (keys absent
/// otherwise). `fallback_name` is the account name when the profile has none.
pub fn profile_view(
    items: &[PItem],
    p: &Profile,
    fallback_name: &str,
    today: Date,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::{Value, json};
    let mut m = serde_json::Map::new();
    let b = p.basic.clone().unwrap_or_default();
    for item in items {
        let v: Option<Value> = match item {
            P::Name => Some(json!(if b.name.is_empty() {
                fallback_name
            } else {
                &b.name
            })),
            P::Kana => Some(json!(b.kana)),
            P::Gender => b.gender.map(|g| json!(g)),
            P::BirthDate => b.birth_date.map(|d| json!(d)),
            P::Age => b.birth_date.map(|d| json!(d.years_until(today))),
            P::Address => Some(json!({"prefecture": b.prefecture, "address": b.address})),
            P::Prefecture => b.prefecture.map(|c| json!(c)),
            P::Phone => Some(json!(b.phone)),
            P::Email => Some(json!(b.email)),
            P::DisabilityCategory => p.disability.as_ref().map(|d| json!(d.categories)),
            P::Certificate => p.disability.as_ref().map(|d| json!(d.certificate)),
            P::DisabilityDescription => p.disability.as_ref().map(|d| json!(d.description)),
            P::Accommodations => p.accommodations.as_ref().map(|a| json!(a)),
            P::Traits => p.traits.as_ref().map(|t| json!(t.text)),
            P::Career => p.career.as_ref().map(|c| json!(c)),
            P::Desired => p.desired.as_ref().map(|d| json!(d)),
        };
        if let Some(v) = v {
            m.insert(item.as_str().to_owned(), v);
        }
    }
    m
}

// ======================================================================= facts → relationship

/// What the store knows of one company the viewer belongs to, towards one seeker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyFacts {
    pub org_id: String,
    /// The operator verified the company (scouts are for verified companies only).
    pub verified: bool,
    /// The seeker blocked the company: no scout view and no partner provision.
    pub blocked: bool,
    /// Openness of each standing application of the seeker to this company.
    pub applications: Vec<Openness>,
    /// Openness of each scout from this company the seeker accepted.
    pub accepted_scouts: Vec<Openness>,
    /// The seeker's partner-provision consent to this company stands.
    pub partner_consent: bool,
}

/// What the store knows of a viewer and a seeker, from live rows, on this request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFacts {
    /// The subject is an open seeker account (anything else: nothing to see).
    pub subject_is_seeker: bool,
    pub oneself: bool,
    /// The viewer's kind; `None` for a closed or unknown account.
    pub viewer_kind: Option<crate::UserKind>,
    /// The operator's stated purpose (operators see nothing without one).
    pub purpose: Option<Purpose>,
    /// The viewer is a family member the seeker linked, and the link stands.
    pub family_linked: bool,
    /// Facilities the viewer is staff of that the seeker's supporter link names.
    pub linked_facilities: Vec<String>,
    /// The companies the viewer is a member of.
    pub companies: Vec<CompanyFacts>,
    /// The seeker's scout-visibility consent stands.
    pub scout_visible: bool,
    /// The sections the seeker lets scouts see.
    pub scout_sections: Vec<PItem>,
    /// The viewer is operator staff with the agency role, acting for this company,
    /// whose delegation to the operator stands today (else `None`).
    pub agency_for: Option<CompanyFacts>,
}

/// How strong a company relationship is when several hold at once.
fn rank(r: &ProfileRel) -> u8 {
    match r {
        ProfileRel::Applicant(Openness::Open) => 4,
        ProfileRel::Applicant(Openness::Closed) => 3,
        ProfileRel::Partner => 2,
        ProfileRel::Scout(_) => 1,
        _ => 0,
    }
}

/// One company's relationship to the seeker.
fn company_relationship(c: &CompanyFacts, f: &ProfileFacts) -> ProfileRel {
    let opens = c.applications.iter().chain(&c.accepted_scouts);
    let mut any = false;
    for o in opens {
        if *o == Openness::Open {
            return ProfileRel::Applicant(Openness::Open);
        }
        any = true;
    }
    if any {
        ProfileRel::Applicant(Openness::Closed)
    } else if c.partner_consent && !c.blocked {
        ProfileRel::Partner
    } else if c.verified && !c.blocked && f.scout_visible {
        ProfileRel::Scout(f.scout_sections.clone())
    } else {
        ProfileRel::Stranger
    }
}

/// How the viewer stands to the seeker, and the organisation through which (if any).
pub fn profile_relationship(f: &ProfileFacts) -> (ProfileRel, Option<String>) {
    use crate::UserKind as K;
    if !f.subject_is_seeker {
        return (ProfileRel::Stranger, None);
    }
    if f.oneself {
        return (ProfileRel::Oneself, None);
    }
    match f.viewer_kind {
        Some(K::Operator) => match (f.purpose, &f.agency_for) {
            (Some(p), _) => (ProfileRel::Operator(p), None),
            // The agency sees a seeker only as the company's scout search would, never
            // as its applicant: those messages open under the seeker's own consent.
            (None, Some(c)) => match company_relationship(c, f) {
                ProfileRel::Scout(s) => (ProfileRel::AgencyScout(s), Some(c.org_id.clone())),
                _ => (ProfileRel::Stranger, None),
            },
            (None, None) => (ProfileRel::Stranger, None),
        },
        Some(K::Family) if f.family_linked => (ProfileRel::Family, None),
        Some(K::Supporter) => match f.linked_facilities.first() {
            Some(org) => (ProfileRel::Supporter, Some(org.clone())),
            None => (ProfileRel::Stranger, None),
        },
        Some(K::Employer) => {
            let mut best: Option<(ProfileRel, String)> = None;
            for c in &f.companies {
                let rel = company_relationship(c, f);
                if rank(&rel) > best.as_ref().map_or(0, |(b, _)| rank(b)) {
                    best = Some((rel, c.org_id.clone()));
                }
            }
            best.map_or((ProfileRel::Stranger, None), |(r, o)| (r, Some(o)))
        }
        _ => (ProfileRel::Stranger, None),
    }
}

/// What the access log names as the reason of a view in this relationship.
pub fn log_purpose(rel: &ProfileRel) -> &'static str {
    match rel {
        ProfileRel::Operator(p) => p.log_name(),
        other => provision_basis(other).unwrap_or("view"),
    }
}

/// The profile cut down to `items`: what ranking and prefilled forms may use. A section
/// is kept only with the items that make it up; the rest is empty.
pub fn mask_profile(items: &[PItem], p: &Profile) -> Profile {
    let has = |i: PItem| items.contains(&i);
    let basic = p.basic.as_ref().and_then(|b| {
        let m = crate::profile::Basic {
            name: if has(P::Name) {
                b.name.clone()
            } else {
                String::new()
            },
            kana: if has(P::Kana) {
                b.kana.clone()
            } else {
                String::new()
            },
            gender: b.gender.filter(|_| has(P::Gender)),
            birth_date: b.birth_date.filter(|_| has(P::BirthDate)),
            prefecture: b
                .prefecture
                .filter(|_| has(P::Address) || has(P::Prefecture)),
            address: if has(P::Address) {
                b.address.clone()
            } else {
                String::new()
            },
            phone: if has(P::Phone) {
                b.phone.clone()
            } else {
                String::new()
            },
            email: if has(P::Email) {
                b.email.clone()
            } else {
                String::new()
            },
        };
        (m != crate::profile::Basic::default()).then_some(m)
    });
    let disability = p.disability.as_ref().and_then(|d| {
        let m = crate::profile::Disability {
            categories: if has(P::DisabilityCategory) {
                d.categories.clone()
            } else {
                vec![]
            },
            certificate: if has(P::Certificate) {
                d.certificate.clone()
            } else {
                Default::default()
            },
            description: if has(P::DisabilityDescription) {
                d.description.clone()
            } else {
                String::new()
            },
        };
        (m != crate::profile::Disability::default()).then_some(m)
    });
    Profile {
        basic,
        disability,
        accommodations: p.accommodations.clone().filter(|_| has(P::Accommodations)),
        traits: p.traits.clone().filter(|_| has(P::Traits)),
        career: p.career.clone().filter(|_| has(P::Career)),
        desired: p.desired.clone().filter(|_| has(P::Desired)),
    }
}

/// The items that make up a profile section (what a form for it would show).
pub fn section_items(s: crate::profile::Section) -> &'static [PItem] {
    use crate::profile::Section as S;
    match s {
        S::Basic => &[
            P::Name,
            P::Kana,
            P::Gender,
            P::BirthDate,
            P::Address,
            P::Prefecture,
            P::Phone,
            P::Email,
        ],
        S::Disability => &[
            P::DisabilityCategory,
            P::Certificate,
            P::DisabilityDescription,
        ],
        S::Accommodations => &[P::Accommodations],
        S::Traits => &[P::Traits],
        S::Career => &[P::Career],
        S::Desired => &[P::Desired],
    }
}

/// Whether a viewer holding `items` sees the whole of section `s` (a supporter is
/// offered a proposal form only for such sections).
pub fn sees_section(items: &[PItem], s: crate::profile::Section) -> bool {
    section_items(s).iter().all(|i| items.contains(i))
}

// ======================================================================= applications

/// One item of an application (to a posting, or an accepted scout's) that a view may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AItem {
    /// The stage the seeker sees, the company and the posting.
    Stage,
    /// The message the seeker sent with the application.
    Message,
    /// Interview slots, the one chosen, the interview accommodations.
    Interviews,
    /// The 合理的配慮 ledger: requests in the seeker's words, the company's decisions.
    Ledger,
    /// The employment record after the hire.
    Employment,
    /// The company's own sub-stage and note (never the seeker's to see).
    Internal,
}

impl AItem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stage => "application_stage",
            Self::Message => "application_message",
            Self::Interviews => "interviews",
            Self::Ledger => "accommodation_ledger",
            Self::Employment => "employment",
            Self::Internal => "internal_notes",
        }
    }
}

/// How a viewer stands to one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRel {
    /// The seeker who applied (or accepted the scout).
    Seeker,
    /// A member of the company applied to, while the application stands (or after hire).
    Company,
    /// A member of that company after 見送り or 辞退: its own records only.
    CompanyEnded,
    /// Staff of the seeker's linked facility, when the seeker chose that it takes part.
    Supporter,
    /// A family member the seeker shares "application status" with.
    Family,
    Stranger,
}

/// What the store knows of a viewer and one application, from live rows.
#[derive(Debug, Clone, Default)]
pub struct AppFacts {
    pub oneself: bool,
    /// The viewer is a member of the application's company now.
    pub company_member: bool,
    /// The application stands (not withdrawn, not 見送り).
    pub live: bool,
    /// The viewer is staff of a facility the seeker links to now.
    pub linked_supporter: bool,
    /// The seeker chose that the linked supporter takes part in this application.
    pub supporter_joins: bool,
    /// The viewer is family the seeker shares "application status" with now.
    pub family_shares_status: bool,
}

pub fn application_relationship(f: &AppFacts) -> AppRel {
    if f.oneself {
        AppRel::Seeker
    } else if f.company_member {
        if f.live {
            AppRel::Company
        } else {
            AppRel::CompanyEnded
        }
    } else if f.linked_supporter && f.supporter_joins {
        AppRel::Supporter
    } else if f.family_shares_status {
        AppRel::Family
    } else {
        AppRel::Stranger
    }
}

/// THE application table. Read a row as: "a viewer in this relationship sees these
/// items of the application". The company's internal notes are in one row only.
fn application_table(rel: AppRel) -> &'static [AItem] {
    use AItem::*;
    match rel {
        AppRel::Seeker => &[Stage, Message, Interviews, Ledger, Employment],
        AppRel::Company => &[Stage, Message, Interviews, Ledger, Employment, Internal],
        AppRel::CompanyEnded => &[Stage, Internal],
        AppRel::Supporter => &[Stage, Message, Interviews, Ledger, Employment],
        AppRel::Family => &[Stage],
        AppRel::Stranger => &[],
    }
}

/// The items a viewer may see of an application. The ledger holds 要配慮 data (the
/// seeker's difficulties in their own words): like the profile's sensitive items, only
/// the seeker sees it while the sensitive-data consent does not stand.
pub fn application_items(rel: AppRel, sensitive_consent: bool) -> Vec<AItem> {
    application_table(rel)
        .iter()
        .copied()
        .filter(|i| sensitive_consent || rel == AppRel::Seeker || *i != AItem::Ledger)
        .collect()
}

/// What the basis of an application view is called in the provision records; `None`
/// when it is no provision of the seeker's data to another party. The company's own
/// internal notes are the company's records, not the seeker's provision.
pub fn application_provision_basis(rel: AppRel) -> Option<&'static str> {
    match rel {
        AppRel::Company | AppRel::CompanyEnded => Some("application"),
        AppRel::Supporter => Some("supporter_link"),
        AppRel::Family => Some("family_share"),
        AppRel::Seeker | AppRel::Stranger => None,
    }
}

/// Whether `rel` may write the seeker's side of the ledger and pick interview slots
/// (the seeker, or the supporter who takes part for them).
pub fn acts_for_seeker(rel: AppRel) -> bool {
    matches!(rel, AppRel::Seeker | AppRel::Supporter)
}

// ======================================================================= threads

/// What a message thread belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    /// An application (or the application an accepted scout opened): the seeker and the
    /// company's members.
    Application,
    /// An employment: the worker and the follow-up person.
    Employment,
    /// The seeker and the staff of one linked facility; no job.
    Support,
}

impl ThreadKind {
    pub const ALL: [ThreadKind; 3] = [Self::Application, Self::Employment, Self::Support];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Employment => "employment",
            Self::Support => "support",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who may read a message: every participant, or the seeker and the supporter only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    All,
    SupporterOnly,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::SupporterOnly => "supporter_only",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "all" => Some(Self::All),
            "supporter_only" => Some(Self::SupporterOnly),
            _ => None,
        }
    }
}

/// How a viewer stands to one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadRel {
    /// The seeker (the worker, on an employment thread).
    Seeker,
    /// A member of the company, on an application thread while the application stands,
    /// or the follow-up person on an employment thread.
    Company,
    /// A member of the company after 見送り or 辞退: reads the thread, writes no more.
    CompanyEnded,
    /// Staff of the linked facility: on the support thread; on a job thread only where
    /// the seeker let the supporter join that thread.
    Supporter,
    /// The operator's agency staff, while the company delegated to the operator and the
    /// seeker's own consent (`agency_message_access`, for that company) stands.
    Agency,
    /// Everyone else: family members, other companies, unlinked supporters, operators.
    Stranger,
}

/// What the store knows of a viewer and one thread, from live rows.
#[derive(Debug, Clone, Default)]
pub struct ThreadFacts {
    pub kind: Option<ThreadKind>,
    pub oneself: bool,
    /// Application thread: a member of the company now. Employment thread: the
    /// follow-up person of the employment (and a member of the company now).
    pub company_side: bool,
    /// The application stands (or the employment has not ended).
    pub live: bool,
    /// Staff of a facility the seeker links to now (for the support thread: that
    /// thread's facility).
    pub linked_supporter: bool,
    /// The seeker let the supporter join this job thread.
    pub supporter_joins: bool,
    /// An operator with the agency role, the company's delegation standing now.
    pub agency_delegated: bool,
    /// The seeker's `agency_message_access` consent for the company stands now.
    pub agency_consent: bool,
}

pub fn thread_relationship(f: &ThreadFacts) -> ThreadRel {
    let Some(kind) = f.kind else {
        return ThreadRel::Stranger;
    };
    if f.oneself {
        return ThreadRel::Seeker;
    }
    match kind {
        ThreadKind::Support if f.linked_supporter => ThreadRel::Supporter,
        ThreadKind::Support => ThreadRel::Stranger,
        _ if f.company_side && f.live => ThreadRel::Company,
        _ if f.company_side => ThreadRel::CompanyEnded,
        _ if f.linked_supporter && f.supporter_joins => ThreadRel::Supporter,
        ThreadKind::Application if f.agency_delegated && f.agency_consent => ThreadRel::Agency,
        _ => ThreadRel::Stranger,
    }
}

/// What a viewer may do in a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ThreadRights {
    /// Reads the messages for everyone.
    pub read_all: bool,
    /// Reads the messages marked "supporter only".
    pub read_supporter_only: bool,
    /// Reads only the messages the agency may read (see `messages.agency_visible`).
    pub agency_only: bool,
    /// Writes a message.
    pub write: bool,
    /// Marks a message "supporter only".
    pub write_supporter_only: bool,
    /// Switches the supporter in or out of the thread.
    pub manage_supporter: bool,
}

/// THE thread table. Read a row as: "a viewer in this relationship may do this".
/// Family members are never in a thread: they see application status only, as shared.
pub fn thread_rights(rel: ThreadRel, kind: ThreadKind) -> ThreadRights {
    let job = kind != ThreadKind::Support;
    match rel {
        ThreadRel::Seeker => ThreadRights {
            read_all: true,
            read_supporter_only: job,
            agency_only: false,
            write: true,
            write_supporter_only: job,
            manage_supporter: job,
        },
        ThreadRel::Company => ThreadRights {
            read_all: true,
            write: true,
            ..ThreadRights::default()
        },
        ThreadRel::CompanyEnded => ThreadRights {
            read_all: true,
            ..ThreadRights::default()
        },
        ThreadRel::Supporter => ThreadRights {
            read_all: true,
            read_supporter_only: job,
            write: true,
            write_supporter_only: job,
            ..ThreadRights::default()
        },
        ThreadRel::Agency => ThreadRights {
            read_all: true,
            agency_only: true,
            write: true,
            ..ThreadRights::default()
        },
        ThreadRel::Stranger => ThreadRights::default(),
    }
}

/// What the access log calls a read of a thread's messages by `rel` (the seeker's own
/// reads are not logged); the agency's reads are what the seeker's privacy page lists.
pub fn thread_read_reason(rel: ThreadRel) -> Option<&'static str> {
    match rel {
        ThreadRel::Seeker | ThreadRel::Stranger => None,
        ThreadRel::Company | ThreadRel::CompanyEnded => Some("thread_party"),
        ThreadRel::Supporter => Some("supporter_link"),
        ThreadRel::Agency => Some("agency_message_access"),
    }
}

// ======================================================================= daily check-ins

/// One part of a worker's daily check-in that a view may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RItem {
    /// 出勤・欠勤・遅刻・早退・休み, and the clock times.
    Attendance,
    /// Health, sleep and mood (要配慮: only while the sensitive-data consent stands).
    Wellbeing,
    /// Troubles at work, their note, and "I want to talk to someone".
    Troubles,
    /// The day's free note.
    Note,
    /// The worker's own items (e.g. "took medicine").
    OwnItems,
    /// The day in one word (good / watch / concern), by `retention::summary`.
    Summary,
}

impl RItem {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attendance => "report_attendance",
            Self::Wellbeing => "report_wellbeing",
            Self::Troubles => "report_troubles",
            Self::Note => "report_note",
            Self::OwnItems => "report_items",
            Self::Summary => "report_summary",
        }
    }
    /// Parts that speak of health (everything but attendance).
    pub fn is_sensitive(self) -> bool {
        self != Self::Attendance
    }
}

/// How a viewer stands to a worker's check-ins of one employment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRel {
    Worker,
    /// Staff of the facility the worker links to now.
    Supporter,
    /// The employment's follow-up person: the whole check-in where the worker chose it,
    /// else attendance and the one-word summary.
    FollowUp {
        full: bool,
    },
    /// A family member the worker shares check-ins with: all of it (`daily_reports`) or
    /// attendance only (`daily_attendance`).
    Family {
        full: bool,
    },
    /// Staff of the facility the worker linked to, once the worker closed the account
    /// (退会): the support records and monthly reports the facility must keep (5 years,
    /// 指定基準), nothing else.
    Archive,
    Stranger,
}

/// What the store knows of a viewer and one employment's check-ins, from live rows.
#[derive(Debug, Clone, Default)]
pub struct ReportFacts {
    pub oneself: bool,
    /// The viewer is staff of a facility the worker links to now.
    pub linked_supporter: bool,
    /// The viewer is the employment's follow-up person, and the employment stands.
    pub follow_up: bool,
    /// The worker lets the follow-up person see whole check-ins (`follow_up_share`,
    /// scope `daily_reports`, recipient the company).
    pub follow_up_full: bool,
    /// The family categories the worker shares with the viewer now.
    pub family_categories: Vec<String>,
    /// The worker lets the follow-up person read the support records
    /// (`follow_up_share`, scope `support_records`).
    pub follow_up_records: bool,
    /// The worker's data is withheld from others: the account is closed (退会), or a
    /// granted request suspended its use or stopped its provision. Nobody sees anything
    /// of it any more but the linked facility its own records.
    pub worker_closed: bool,
}

pub fn report_relationship(f: &ReportFacts) -> ReportRel {
    let shares = |c: &str| f.family_categories.iter().any(|x| x == c);
    if f.worker_closed {
        if f.linked_supporter {
            ReportRel::Archive
        } else {
            ReportRel::Stranger
        }
    } else if f.oneself {
        ReportRel::Worker
    } else if f.linked_supporter {
        ReportRel::Supporter
    } else if f.follow_up {
        ReportRel::FollowUp {
            full: f.follow_up_full,
        }
    } else if shares("daily_reports") {
        ReportRel::Family { full: true }
    } else if shares("daily_attendance") {
        ReportRel::Family { full: false }
    } else {
        ReportRel::Stranger
    }
}

/// THE check-in table. Read a row as: "a viewer in this relationship sees these parts"
/// (before the sensitive-data consent filter in [`report_items`]).
fn report_table(rel: ReportRel) -> Vec<RItem> {
    use RItem as R;
    let all = vec![
        R::Attendance,
        R::Wellbeing,
        R::Troubles,
        R::Note,
        R::OwnItems,
        R::Summary,
    ];
    match rel {
        ReportRel::Worker | ReportRel::Supporter => all,
        ReportRel::FollowUp { full: true } | ReportRel::Family { full: true } => all,
        ReportRel::FollowUp { full: false } => vec![R::Attendance, R::Summary],
        ReportRel::Family { full: false } => vec![R::Attendance],
        ReportRel::Archive | ReportRel::Stranger => vec![],
    }
}

/// The parts a viewer may see, given whether the worker's sensitive-data consent stands.
pub fn report_items(rel: ReportRel, sensitive_consent: bool) -> Vec<RItem> {
    let mut items = report_table(rel);
    if !sensitive_consent && rel != ReportRel::Worker {
        items.retain(|i| !i.is_sensitive());
    }
    items
}

/// Builds one day's view: a JSON object holding exactly the parts in `items` (keys
/// absent otherwise). `labels` names the worker's own items (id → label).
pub fn report_view(
    items: &[RItem],
    r: &crate::retention::Report,
    labels: &std::collections::BTreeMap<String, String>,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::json;
    let mut m = serde_json::Map::new();
    for item in items {
        match item {
            RItem::Attendance => {
                m.insert("attendance".into(), json!(r.attendance));
                m.insert("clock_in".into(), json!(r.clock_in));
                m.insert("clock_out".into(), json!(r.clock_out));
            }
            RItem::Wellbeing => {
                m.insert("health".into(), json!(r.health));
                m.insert("sleep_hours".into(), json!(r.sleep_hours));
                m.insert("mood".into(), json!(r.mood));
            }
            RItem::Troubles => {
                m.insert("troubles".into(), json!(r.troubles));
                m.insert("trouble_note".into(), json!(r.trouble_note));
                m.insert("want_to_talk".into(), json!(r.want_to_talk));
            }
            RItem::Note => {
                m.insert("note".into(), json!(r.note));
            }
            RItem::OwnItems => {
                let list: Vec<serde_json::Value> = r
                    .items
                    .iter()
                    .map(|(id, v)| json!({"id": id, "label": labels.get(id), "value": v}))
                    .collect();
                m.insert("items".into(), json!(list));
            }
            RItem::Summary => {
                m.insert(
                    "summary".into(),
                    json!(crate::retention::summary(r).as_str()),
                );
            }
        }
    }
    m
}

/// The basis a provision of check-ins to this viewer is recorded under.
pub fn report_provision_basis(rel: ReportRel) -> Option<&'static str> {
    match rel {
        ReportRel::Supporter | ReportRel::Archive => Some("supporter_link"),
        ReportRel::FollowUp { .. } => Some("employment_follow_up"),
        ReportRel::Family { .. } => Some("family_share"),
        ReportRel::Worker | ReportRel::Stranger => None,
    }
}

// ---- The support around a worker: records, comments, alerts ----

/// Which comments on a worker's check-ins a viewer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentsSeen {
    None,
    /// Only the viewer's own (a family member's encouragement is for the worker).
    Own,
    /// The supporter's and the follow-up person's (the three-party thread).
    Team,
    /// Every comment, with who said it (the worker).
    All,
}

/// How much of an alert a viewer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertsSeen {
    None,
    /// Its day and one word (`attendance`, `talk`, `concern`): a follow-up person who
    /// sees the check-ins as a summary, or without the sensitive-data consent.
    Topic,
    /// Its day and rule (`health_low`, …).
    Detail,
}

/// What a viewer may do with the support around one employment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportRights {
    /// Read the facility's support records (every version).
    pub records: bool,
    /// Write support records (and corrections as new versions).
    pub write_records: bool,
    pub comments: CommentsSeen,
    /// The role a comment by this viewer is shown under; `None`: cannot comment.
    pub comment_as: Option<&'static str>,
    pub alerts: AlertsSeen,
    /// Acknowledge alerts (where the alert has reached this viewer).
    pub acknowledge: bool,
    /// Change the worker's early-warning rules.
    pub tune_rules: bool,
}

/// THE support table. Read a row as: "a viewer in this relationship may …". Records
/// reach the follow-up person and family only as the worker allows, and only while the
/// sensitive-data consent stands (a support record speaks of health and disability);
/// the facility keeps reading its own.
pub fn support_rights(rel: ReportRel, f: &ReportFacts, sensitive_consent: bool) -> SupportRights {
    use AlertsSeen as A;
    use CommentsSeen as C;
    let none = SupportRights {
        records: false,
        write_records: false,
        comments: C::None,
        comment_as: None,
        alerts: A::None,
        acknowledge: false,
        tune_rules: false,
    };
    match rel {
        ReportRel::Archive => SupportRights {
            records: true,
            ..none
        },
        ReportRel::Worker => SupportRights {
            records: true,
            comments: C::All,
            alerts: A::Detail,
            ..none
        },
        ReportRel::Supporter => SupportRights {
            records: true,
            write_records: true,
            comments: C::Team,
            comment_as: Some("supporter"),
            alerts: A::Detail,
            acknowledge: true,
            tune_rules: true,
        },
        ReportRel::FollowUp { full } => SupportRights {
            records: f.follow_up_records && sensitive_consent,
            comments: C::Team,
            comment_as: Some("follow_up"),
            alerts: if full && sensitive_consent {
                A::Detail
            } else {
                A::Topic
            },
            acknowledge: true,
            ..none
        },
        ReportRel::Family { .. } => SupportRights {
            records: sensitive_consent
                && f.family_categories.iter().any(|c| c == "support_records"),
            comments: C::Own,
            comment_as: Some("family"),
            ..none
        },
        ReportRel::Stranger => none,
    }
}

/// THE monthly report rule: the linked facility drafts and edits it and reads it
/// always; the worker reads it always and confirms it; the follow-up person and family
/// read it only once the worker confirmed it, only where the worker shared it with them,
/// and only while the sensitive-data consent stands.
pub fn monthly_visible(
    rel: ReportRel,
    confirmed: bool,
    to_follow_up: bool,
    to_family: bool,
    sensitive_consent: bool,
) -> bool {
    match rel {
        ReportRel::Worker | ReportRel::Supporter | ReportRel::Archive => true,
        ReportRel::FollowUp { .. } => confirmed && to_follow_up && sensitive_consent,
        ReportRel::Family { .. } => confirmed && to_family && sensitive_consent,
        ReportRel::Stranger => false,
    }
}

// ---- Anonymised statistics ----

/// What the statistics read of each person, and of whom: the hired seekers whose
/// sensitive-data consent stands (the statistics purpose is in the privacy policy; a
/// person without that consent is not counted at all). Nothing of a person leaves the
/// door: only counts, protected by `crate::statistics::protect`.
pub const STATISTICS_ITEMS: [PItem; 3] = [
    PItem::Prefecture,
    PItem::DisabilityCategory,
    PItem::Accommodations,
];

/// Whether a hired person (not erased) is counted in the statistics.
pub fn counted_in_statistics(sensitive_consent: bool) -> bool {
    sensitive_consent
}

#[cfg(test)]
mod support_tests {
    use super::*;

    #[test]
    fn monthly_rows() {
        use ReportRel::*;
        assert!(monthly_visible(Supporter, false, false, false, false));
        assert!(monthly_visible(Worker, false, false, false, true));
        assert!(!monthly_visible(
            FollowUp { full: true },
            false,
            true,
            true,
            true
        ));
        assert!(monthly_visible(
            FollowUp { full: false },
            true,
            true,
            false,
            true
        ));
        assert!(!monthly_visible(
            FollowUp { full: true },
            true,
            true,
            true,
            false
        ));
        assert!(!monthly_visible(
            Family { full: true },
            true,
            true,
            false,
            true
        ));
        assert!(monthly_visible(
            Family { full: false },
            true,
            false,
            true,
            true
        ));
        assert!(!monthly_visible(Stranger, true, true, true, true));
    }

    #[test]
    fn support_rows() {
        let f = ReportFacts::default();
        let w = support_rights(ReportRel::Worker, &f, true);
        assert!(w.records && !w.write_records && w.comment_as.is_none());
        assert_eq!(w.comments, CommentsSeen::All);
        let s = support_rights(ReportRel::Supporter, &f, true);
        assert!(s.write_records && s.tune_rules && s.acknowledge);
        // The follow-up person reads records only as the worker allows, and alerts in
        // detail only with the whole check-in and the sensitive-data consent.
        let fu = support_rights(ReportRel::FollowUp { full: true }, &f, true);
        assert!(!fu.records && fu.alerts == AlertsSeen::Detail && !fu.tune_rules);
        let shared = ReportFacts {
            follow_up_records: true,
            ..ReportFacts::default()
        };
        assert!(support_rights(ReportRel::FollowUp { full: false }, &shared, true).records);
        assert!(!support_rights(ReportRel::FollowUp { full: false }, &shared, false).records);
        assert!(support_rights(ReportRel::Supporter, &f, false).records);
        assert_eq!(
            support_rights(ReportRel::FollowUp { full: true }, &f, false).alerts,
            AlertsSeen::Topic
        );
        let fam = support_rights(ReportRel::Family { full: true }, &f, true);
        assert!(!fam.records && fam.alerts == AlertsSeen::None);
        assert_eq!(fam.comments, CommentsSeen::Own);
        let fam_shared = ReportFacts {
            family_categories: vec!["support_records".into()],
            ..ReportFacts::default()
        };
        assert!(support_rights(ReportRel::Family { full: false }, &fam_shared, true).records);
        assert_eq!(
            support_rights(ReportRel::Stranger, &fam_shared, true).comment_as,
            None
        );
    }
}

#[cfg(test)]
mod thread_tests {
    use super::*;

    fn rel(kind: ThreadKind, f: ThreadFacts) -> ThreadRel {
        thread_relationship(&ThreadFacts {
            kind: Some(kind),
            ..f
        })
    }

    #[test]
    fn thread_rows() {
        use ThreadKind::*;
        let company = ThreadFacts {
            company_side: true,
            live: true,
            ..ThreadFacts::default()
        };
        assert_eq!(rel(Application, company.clone()), ThreadRel::Company);
        assert_eq!(
            rel(
                Application,
                ThreadFacts {
                    live: false,
                    ..company.clone()
                }
            ),
            ThreadRel::CompanyEnded
        );
        // The company is no party of the support thread.
        assert_eq!(rel(Support, company), ThreadRel::Stranger);
        // A linked supporter joins a job thread only where the seeker let them.
        let sup = ThreadFacts {
            linked_supporter: true,
            ..ThreadFacts::default()
        };
        assert_eq!(rel(Application, sup.clone()), ThreadRel::Stranger);
        assert_eq!(rel(Support, sup.clone()), ThreadRel::Supporter);
        assert_eq!(
            rel(
                Employment,
                ThreadFacts {
                    supporter_joins: true,
                    ..sup
                }
            ),
            ThreadRel::Supporter
        );
        // The agency needs both the delegation and the seeker's consent.
        let agency = ThreadFacts {
            agency_delegated: true,
            ..ThreadFacts::default()
        };
        assert_eq!(rel(Application, agency.clone()), ThreadRel::Stranger);
        assert_eq!(
            rel(
                Application,
                ThreadFacts {
                    agency_consent: true,
                    ..agency.clone()
                }
            ),
            ThreadRel::Agency
        );
        assert_eq!(
            rel(
                Employment,
                ThreadFacts {
                    agency_consent: true,
                    ..agency
                }
            ),
            ThreadRel::Stranger
        );
        assert_eq!(
            thread_relationship(&ThreadFacts::default()),
            ThreadRel::Stranger
        );
    }

    #[test]
    fn only_the_seeker_side_reads_supporter_only_and_strangers_nothing() {
        for kind in ThreadKind::ALL {
            for r in [
                ThreadRel::Company,
                ThreadRel::CompanyEnded,
                ThreadRel::Agency,
                ThreadRel::Stranger,
            ] {
                assert!(!thread_rights(r, kind).read_supporter_only);
                assert!(!thread_rights(r, kind).write_supporter_only);
            }
            assert_eq!(
                thread_rights(ThreadRel::Stranger, kind),
                ThreadRights::default()
            );
            assert!(!thread_rights(ThreadRel::CompanyEnded, kind).write);
        }
        assert!(thread_rights(ThreadRel::Agency, ThreadKind::Application).agency_only);
    }
}

#[cfg(test)]
mod profile_tests {
    use super::{Openness, PItem, ProfileRel, profile_items, provision_basis};
    use PItem::*;

    #[test]
    fn staged_disclosure_rows() {
        let scout = ProfileRel::Scout(vec![DisabilityCategory, Accommodations, Certificate, Name]);
        // A scout never gets name, birth date, contacts, certificate or description,
        // even if asked for.
        assert_eq!(
            profile_items(&scout, true),
            vec![Age, Prefecture, DisabilityCategory, Accommodations]
        );
        let closed = profile_items(&ProfileRel::Applicant(Openness::Closed), true);
        assert!(closed.contains(&Phone) && !closed.iter().any(|i| i.is_sensitive()));
        let open = profile_items(&ProfileRel::Applicant(Openness::Open), true);
        assert!(open.contains(&Certificate) && open.contains(&Accommodations));
        assert_eq!(profile_items(&ProfileRel::Family, true), vec![Name]);
        assert!(profile_items(&ProfileRel::Stranger, true).is_empty());
        // Without the sensitive-data consent nobody else sees sensitive items.
        assert!(
            !profile_items(&ProfileRel::Supporter, false)
                .iter()
                .any(|i| i.is_sensitive())
        );
        assert!(profile_items(&ProfileRel::Oneself, false).contains(&Certificate));
        assert_eq!(provision_basis(&ProfileRel::Oneself), None);
        assert_eq!(provision_basis(&ProfileRel::Family), Some("family_share"));
    }
}

#[cfg(test)]
mod facts_tests {
    use super::*;
    use crate::UserKind;
    use PItem::*;

    fn employer(companies: Vec<CompanyFacts>) -> ProfileFacts {
        ProfileFacts {
            subject_is_seeker: true,
            viewer_kind: Some(UserKind::Employer),
            companies,
            scout_visible: true,
            scout_sections: vec![DisabilityCategory, Career],
            ..Default::default()
        }
    }
    fn company(id: &str) -> CompanyFacts {
        CompanyFacts {
            org_id: id.into(),
            verified: true,
            ..Default::default()
        }
    }

    #[test]
    fn every_relationship_row_from_facts() {
        let base = ProfileFacts {
            subject_is_seeker: true,
            ..Default::default()
        };
        let rel = |f: &ProfileFacts| profile_relationship(f).0;
        assert_eq!(
            rel(&ProfileFacts {
                oneself: true,
                ..base.clone()
            }),
            ProfileRel::Oneself
        );
        // Not a seeker (or a closed account): nothing, even for oneself.
        assert_eq!(
            rel(&ProfileFacts {
                oneself: true,
                subject_is_seeker: false,
                ..base.clone()
            }),
            ProfileRel::Stranger
        );
        let op = ProfileFacts {
            viewer_kind: Some(UserKind::Operator),
            ..base.clone()
        };
        assert_eq!(
            rel(&op),
            ProfileRel::Stranger,
            "an operator without a purpose sees nothing"
        );
        for p in [Purpose::AccountSupport, Purpose::PrivacyRequest] {
            assert_eq!(
                rel(&ProfileFacts {
                    purpose: Some(p),
                    ..op.clone()
                }),
                ProfileRel::Operator(p)
            );
        }
        // A purpose stated by anyone else changes nothing.
        let fam = ProfileFacts {
            viewer_kind: Some(UserKind::Family),
            family_linked: true,
            purpose: Some(Purpose::PrivacyRequest),
            ..base.clone()
        };
        assert_eq!(rel(&fam), ProfileRel::Family);
        assert_eq!(
            rel(&ProfileFacts {
                family_linked: false,
                ..fam
            }),
            ProfileRel::Stranger
        );
        let sup = ProfileFacts {
            viewer_kind: Some(UserKind::Supporter),
            linked_facilities: vec!["f1".into()],
            ..base.clone()
        };
        assert_eq!(
            profile_relationship(&sup),
            (ProfileRel::Supporter, Some("f1".into()))
        );
        assert_eq!(
            rel(&ProfileFacts {
                linked_facilities: vec![],
                ..sup
            }),
            ProfileRel::Stranger
        );
        // A seeker viewing another seeker, or a closed viewer account.
        assert_eq!(
            rel(&ProfileFacts {
                viewer_kind: Some(UserKind::Seeker),
                ..base.clone()
            }),
            ProfileRel::Stranger
        );
        assert_eq!(
            rel(&ProfileFacts {
                viewer_kind: None,
                ..base.clone()
            }),
            ProfileRel::Stranger
        );
        // Employers.
        let e = |c: CompanyFacts| rel(&employer(vec![c]));
        assert_eq!(
            e(company("a")),
            ProfileRel::Scout(vec![DisabilityCategory, Career])
        );
        assert_eq!(
            e(CompanyFacts {
                verified: false,
                ..company("a")
            }),
            ProfileRel::Stranger,
            "unverified companies never scout"
        );
        assert_eq!(
            e(CompanyFacts {
                blocked: true,
                ..company("a")
            }),
            ProfileRel::Stranger
        );
        assert_eq!(
            e(CompanyFacts {
                applications: vec![Openness::Open],
                ..company("a")
            }),
            ProfileRel::Applicant(Openness::Open)
        );
        assert_eq!(
            e(CompanyFacts {
                applications: vec![Openness::Closed],
                ..company("a")
            }),
            ProfileRel::Applicant(Openness::Closed)
        );
        assert_eq!(
            e(CompanyFacts {
                accepted_scouts: vec![Openness::Closed],
                ..company("a")
            }),
            ProfileRel::Applicant(Openness::Closed)
        );
        // The seeker's own act stands against a block and without verification.
        assert_eq!(
            e(CompanyFacts {
                applications: vec![Openness::Open],
                blocked: true,
                verified: false,
                ..company("a")
            }),
            ProfileRel::Applicant(Openness::Open)
        );
        assert_eq!(
            e(CompanyFacts {
                partner_consent: true,
                ..company("a")
            }),
            ProfileRel::Partner
        );
        assert_eq!(
            e(CompanyFacts {
                partner_consent: true,
                blocked: true,
                ..company("a")
            }),
            ProfileRel::Stranger
        );
        // Scouts off: only the seeker's own acts remain.
        let off = ProfileFacts {
            scout_visible: false,
            ..employer(vec![company("a")])
        };
        assert_eq!(rel(&off), ProfileRel::Stranger);
    }

    #[test]
    fn the_agency_sees_only_what_the_company_scout_search_would() {
        let rel = |f: &ProfileFacts| profile_relationship(f).0;
        let agency = |c: Option<CompanyFacts>| ProfileFacts {
            viewer_kind: Some(UserKind::Operator),
            agency_for: c,
            ..employer(vec![])
        };
        // Acting for a company that stands as a scout: the same sections, through it.
        assert_eq!(
            profile_relationship(&agency(Some(company("a")))),
            (
                ProfileRel::AgencyScout(vec![DisabilityCategory, Career]),
                Some("a".into())
            )
        );
        assert_eq!(
            profile_items(&ProfileRel::AgencyScout(vec![Career]), true),
            profile_items(&ProfileRel::Scout(vec![Career]), true)
        );
        assert_eq!(
            provision_basis(&ProfileRel::AgencyScout(vec![])),
            Some("agency_scout_search")
        );
        // No delegation, a block, an unverified company, scouts off: nothing.
        for c in [
            None,
            Some(CompanyFacts {
                blocked: true,
                ..company("a")
            }),
            Some(CompanyFacts {
                verified: false,
                ..company("a")
            }),
        ] {
            assert_eq!(rel(&agency(c)), ProfileRel::Stranger);
        }
        assert_eq!(
            rel(&ProfileFacts {
                scout_visible: false,
                ..agency(Some(company("a")))
            }),
            ProfileRel::Stranger
        );
        // Never the applicant's view, nor the partner's: the agency is no member.
        for c in [
            CompanyFacts {
                applications: vec![Openness::Open],
                ..company("a")
            },
            CompanyFacts {
                partner_consent: true,
                ..company("a")
            },
        ] {
            assert_eq!(rel(&agency(Some(c))), ProfileRel::Stranger);
        }
        // A stated purpose is the operator's own view, not the agency's.
        assert_eq!(
            rel(&ProfileFacts {
                purpose: Some(Purpose::AccountSupport),
                ..agency(Some(company("a")))
            }),
            ProfileRel::Operator(Purpose::AccountSupport)
        );
    }

    #[test]
    fn strongest_relationship_wins() {
        // Within one company: open > closed > partner > scout.
        let one = CompanyFacts {
            applications: vec![Openness::Closed],
            accepted_scouts: vec![Openness::Open],
            partner_consent: true,
            ..company("a")
        };
        assert_eq!(
            profile_relationship(&employer(vec![one])).0,
            ProfileRel::Applicant(Openness::Open)
        );
        // Across the viewer's companies, in any order.
        let scout = company("s");
        let partner = CompanyFacts {
            partner_consent: true,
            ..company("p")
        };
        let closed = CompanyFacts {
            applications: vec![Openness::Closed],
            ..company("c")
        };
        for order in [
            vec![scout.clone(), partner.clone(), closed.clone()],
            vec![closed.clone(), scout.clone(), partner.clone()],
            vec![partner.clone(), closed.clone(), scout.clone()],
        ] {
            assert_eq!(
                profile_relationship(&employer(order)),
                (ProfileRel::Applicant(Openness::Closed), Some("c".into()))
            );
        }
        assert_eq!(
            profile_relationship(&employer(vec![scout.clone(), partner])),
            (ProfileRel::Partner, Some("p".into()))
        );
        let unverified = CompanyFacts {
            verified: false,
            ..company("u")
        };
        assert_eq!(
            profile_relationship(&employer(vec![unverified, scout])),
            (
                ProfileRel::Scout(vec![DisabilityCategory, Career]),
                Some("s".into())
            )
        );
    }

    #[test]
    fn items_per_row_and_the_consent_filter() {
        let phone_seen: Vec<bool> = [
            ProfileRel::Oneself,
            ProfileRel::Supporter,
            ProfileRel::Applicant(Openness::Open),
            ProfileRel::Applicant(Openness::Closed),
            ProfileRel::Partner,
            ProfileRel::Operator(Purpose::AccountSupport),
            ProfileRel::Operator(Purpose::PrivacyRequest),
            ProfileRel::Scout(PItem::ALL.to_vec()),
            ProfileRel::Family,
            ProfileRel::Stranger,
        ]
        .iter()
        .map(|r| profile_items(r, true).contains(&Phone))
        .collect();
        assert_eq!(
            phone_seen,
            [
                true, true, true, true, true, true, true, false, false, false
            ]
        );
        let op = profile_items(&ProfileRel::Operator(Purpose::AccountSupport), true);
        assert_eq!(op, vec![PItem::Name, PItem::Phone, PItem::Email]);
        assert_eq!(
            profile_items(&ProfileRel::Operator(Purpose::PrivacyRequest), false)
                .iter()
                .filter(|i| i.is_sensitive())
                .count(),
            0
        );
        assert_eq!(
            log_purpose(&ProfileRel::Operator(Purpose::PrivacyRequest)),
            "operator_privacy_request"
        );
        assert_eq!(log_purpose(&ProfileRel::Scout(vec![])), "scout_search");
    }

    #[test]
    fn masking_keeps_only_the_items() {
        use crate::profile::*;
        let p = Profile {
            basic: Some(Basic {
                name: "N".into(),
                phone: "090".into(),
                prefecture: Some(13),
                ..Default::default()
            }),
            disability: Some(Disability {
                categories: vec![DisabilityCategory::Mental],
                description: "D".into(),
                ..Default::default()
            }),
            traits: Some(Traits { text: "T".into() }),
            career: Some(Career {
                skills: "S".into(),
                ..Default::default()
            }),
            ..Default::default()
        };
        let m = mask_profile(
            &[PItem::Prefecture, PItem::DisabilityCategory, PItem::Career],
            &p,
        );
        assert_eq!(
            m.basic,
            Some(Basic {
                prefecture: Some(13),
                ..Default::default()
            })
        );
        assert_eq!(
            m.disability.as_ref().map(|d| d.description.as_str()),
            Some("")
        );
        assert!(m.traits.is_none());
        assert_eq!(m.career, p.career);
        assert_eq!(mask_profile(&[], &p), Profile::default());
        assert!(sees_section(
            &profile_items(&ProfileRel::Supporter, true),
            Section::Traits
        ));
        assert!(!sees_section(
            &profile_items(&ProfileRel::Supporter, false),
            Section::Traits
        ));
        assert!(sees_section(
            &profile_items(&ProfileRel::Supporter, false),
            Section::Basic
        ));
    }

    #[test]
    fn account_rows_from_facts() {
        let f = AccountFacts::default();
        assert_eq!(
            account_relationship(&AccountFacts {
                oneself: true,
                ..f.clone()
            }),
            Relationship::Oneself
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                viewer_is_operator: true,
                ..f.clone()
            }),
            Relationship::Stranger
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                viewer_is_operator: true,
                purpose: Some(Purpose::AccountSupport),
                ..f.clone()
            }),
            Relationship::Operator(Purpose::AccountSupport)
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                subject_is_my_family: true,
                ..f.clone()
            }),
            Relationship::SeekerOfFamilyMember
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                i_am_subjects_family: true,
                ..f.clone()
            }),
            Relationship::FamilyOfSeeker
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                shared_orgs_viewer_admin: vec![false, true],
                ..f.clone()
            }),
            Relationship::OrgAdminOfMember
        );
        assert_eq!(
            account_relationship(&AccountFacts {
                shared_orgs_viewer_admin: vec![false],
                ..f.clone()
            }),
            Relationship::OrgColleague
        );
        assert_eq!(account_relationship(&f), Relationship::Stranger);
        assert_eq!(
            account_provision_basis(Relationship::FamilyOfSeeker),
            Some("family_share")
        );
        assert_eq!(account_provision_basis(Relationship::OrgColleague), None);
    }
}

#[cfg(test)]
mod account_tests {
    use super::*;

    fn data() -> AccountData {
        AccountData {
            name: "N".into(),
            email: "e@x.jp".into(),
        }
    }

    #[test]
    fn table_rows() {
        let cases: &[(Relationship, Option<(bool, bool)>)] = &[
            (Relationship::Oneself, Some((true, true))),
            (Relationship::OrgAdminOfMember, Some((true, true))),
            (Relationship::OrgColleague, Some((true, false))),
            (Relationship::SeekerOfFamilyMember, Some((true, true))),
            (Relationship::FamilyOfSeeker, Some((true, false))),
            (
                Relationship::Operator(Purpose::AccountSupport),
                Some((true, true)),
            ),
            (Relationship::Stranger, None),
        ];
        for (rel, expect) in cases {
            let got =
                account_view(*rel, &data()).map(|(v, _)| (v.name.is_some(), v.email.is_some()));
            assert_eq!(got, *expect, "{rel:?}");
        }
        let fam = account_view(Relationship::FamilyOfSeeker, &data());
        assert_eq!(fam.map(|(_, items)| items), Some(vec![Name]));
    }
}

#[cfg(test)]
mod application_tests {
    use super::*;

    #[test]
    fn application_rows() {
        let rel = |f: AppFacts| application_relationship(&f);
        assert_eq!(
            rel(AppFacts {
                oneself: true,
                ..Default::default()
            }),
            AppRel::Seeker
        );
        let member = AppFacts {
            company_member: true,
            ..Default::default()
        };
        assert_eq!(
            rel(AppFacts {
                live: true,
                ..member.clone()
            }),
            AppRel::Company
        );
        assert_eq!(rel(member), AppRel::CompanyEnded);
        // A linked supporter takes part only where the seeker chose it.
        let sup = AppFacts {
            linked_supporter: true,
            ..Default::default()
        };
        assert_eq!(rel(sup.clone()), AppRel::Stranger);
        assert_eq!(
            rel(AppFacts {
                supporter_joins: true,
                ..sup
            }),
            AppRel::Supporter
        );
        assert_eq!(
            rel(AppFacts {
                family_shares_status: true,
                ..Default::default()
            }),
            AppRel::Family
        );
        assert_eq!(rel(AppFacts::default()), AppRel::Stranger);
        // Internal notes: the company only, never the seeker, supporter or family.
        for r in [
            AppRel::Seeker,
            AppRel::Supporter,
            AppRel::Family,
            AppRel::Stranger,
        ] {
            assert!(
                !application_items(r, true).contains(&AItem::Internal),
                "{r:?}"
            );
        }
        assert_eq!(application_items(AppRel::Family, true), vec![AItem::Stage]);
        assert_eq!(
            application_items(AppRel::CompanyEnded, true),
            vec![AItem::Stage, AItem::Internal]
        );
        assert!(application_items(AppRel::Stranger, true).is_empty());
        // Without the sensitive-data consent the ledger is the seeker's alone.
        assert!(application_items(AppRel::Company, true).contains(&AItem::Ledger));
        assert!(!application_items(AppRel::Company, false).contains(&AItem::Ledger));
        assert!(!application_items(AppRel::Supporter, false).contains(&AItem::Ledger));
        assert!(application_items(AppRel::Seeker, false).contains(&AItem::Ledger));
        assert_eq!(application_provision_basis(AppRel::Seeker), None);
        assert!(acts_for_seeker(AppRel::Supporter) && !acts_for_seeker(AppRel::Family));
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use RItem as R;

    #[test]
    fn each_viewer_sees_the_parts_the_worker_chose() {
        let f = |g: &dyn Fn(&mut ReportFacts)| {
            let mut x = ReportFacts::default();
            g(&mut x);
            report_items(report_relationship(&x), true)
        };
        assert_eq!(f(&|x| x.oneself = true).len(), 6);
        assert_eq!(f(&|x| x.linked_supporter = true).len(), 6);
        assert_eq!(f(&|x| x.follow_up = true), vec![R::Attendance, R::Summary]);
        assert_eq!(
            f(&|x| {
                x.follow_up = true;
                x.follow_up_full = true
            })
            .len(),
            6
        );
        assert_eq!(
            f(&|x| x.family_categories = vec!["daily_attendance".into()]),
            vec![R::Attendance]
        );
        assert_eq!(
            f(&|x| x.family_categories = vec!["daily_reports".into()]).len(),
            6
        );
        // Another family category, or nothing at all: nothing.
        assert!(f(&|x| x.family_categories = vec!["application_status".into()]).is_empty());
        assert!(f(&|_| {}).is_empty());
    }

    #[test]
    fn without_the_sensitive_consent_others_see_attendance_only() {
        for rel in [
            ReportRel::Supporter,
            ReportRel::FollowUp { full: true },
            ReportRel::FollowUp { full: false },
            ReportRel::Family { full: true },
        ] {
            assert_eq!(report_items(rel, false), vec![R::Attendance], "{rel:?}");
            assert!(report_provision_basis(rel).is_some());
        }
        assert_eq!(report_items(ReportRel::Worker, false).len(), 6);
        assert_eq!(report_provision_basis(ReportRel::Worker), None);
    }
}
