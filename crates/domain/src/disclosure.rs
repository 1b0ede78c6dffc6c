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
