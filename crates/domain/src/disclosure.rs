//! THE disclosure policy: who sees which item of whom.
//!
//! Every view of personal data is built by [`disclose`]; handlers render only what it
//! returns, and the store writes an access-log entry for every item it disclosed to
//! someone other than the subject. The table below is the whole rule.
//!
//! This first version covers account data (name, email). Profile sections, staged
//! disability data and per-recipient consents extend the same table.
use serde::Serialize;

/// One item of a person's data that a view may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    AccountSupport,
    PrivacyRequest,
}

/// How the viewer stands to the subject, as established by current relationships
/// (the store derives this from live rows on every request: ended links end access).
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

/// The table. Read a row as: "a viewer in this relationship sees these items".
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

/// The account data of a subject, as held.
#[derive(Debug, Clone)]
pub struct AccountData {
    pub name: String,
    pub email: String,
}

/// What a viewer may see of an account: absent fields are withheld.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccountView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A view and the items it disclosed (for the access log and provision records).
#[derive(Debug, Clone)]
pub struct Disclosed<V> {
    pub view: V,
    pub items: Vec<Item>,
    /// True when the viewer is someone other than the subject, so the disclosure
    /// must be logged.
    pub to_other_party: bool,
}

/// Builds the view of `data` that a viewer in `rel` may see.
pub fn disclose(rel: Relationship, data: &AccountData) -> Option<Disclosed<AccountView>> {
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
    Some(Disclosed {
        view,
        items: items.to_vec(),
        to_other_party: rel != Relationship::Oneself,
    })
}

#[cfg(test)]
mod tests {
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
                disclose(*rel, &data()).map(|d| (d.view.name.is_some(), d.view.email.is_some()));
            assert_eq!(got, *expect, "{rel:?}");
        }
        let own = disclose(Relationship::Oneself, &data());
        assert_eq!(own.map(|d| d.to_other_party), Some(false));
        let fam = disclose(Relationship::FamilyOfSeeker, &data());
        assert_eq!(
            fam.map(|d| (d.to_other_party, d.items)),
            Some((true, vec![Name]))
        );
    }
}

// ======================================================================= profiles

use crate::profile::{Date, Profile};

/// One item of a seeker's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
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
        ProfileRel::Scout(sections) => {
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
