//! Kinds of users, organisations, roles and family relations.
use serde::{Deserialize, Serialize};

/// Who a user is to the platform. Stored as its `as_str` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserKind {
    Seeker,
    Employer,
    Supporter,
    Family,
    Operator,
}

impl UserKind {
    pub const ALL: [UserKind; 5] = [
        Self::Seeker,
        Self::Employer,
        Self::Supporter,
        Self::Family,
        Self::Operator,
    ];
    /// Kinds that may register themselves (family joins by invitation only,
    /// operators are created by the operator's own tooling).
    pub const SELF_REGISTER: [UserKind; 3] = [Self::Seeker, Self::Employer, Self::Supporter];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seeker => "seeker",
            Self::Employer => "employer",
            Self::Supporter => "supporter",
            Self::Family => "family",
            Self::Operator => "operator",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn may_self_register(self) -> bool {
        Self::SELF_REGISTER.contains(&self)
    }
    /// The organisation a self-registering user of this kind founds, if any.
    pub fn founds(self) -> Option<OrgKind> {
        match self {
            Self::Employer => Some(OrgKind::Company),
            Self::Supporter => Some(OrgKind::Facility),
            _ => None,
        }
    }
    /// Every operator account must sign in with a second factor (its staff reach many
    /// people's data); other kinds must when a role they hold says so
    /// (`Role::needs_second_factor`), and may otherwise.
    pub fn needs_second_factor(self) -> bool {
        self == Self::Operator
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    Company,
    Facility,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Company => "company",
            Self::Facility => "facility",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Company, Self::Facility]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
    /// The role of the person who registers the organisation.
    pub fn founder_role(self) -> Role {
        match self {
            Self::Company => Role::CompanyAdmin,
            Self::Facility => Role::FacilityAdmin,
        }
    }
    /// The user kind of the organisation's members.
    pub fn member_kind(self) -> UserKind {
        match self {
            Self::Company => UserKind::Employer,
            Self::Facility => UserKind::Supporter,
        }
    }
}

/// A member's role inside an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CompanyAdmin,
    Recruiter,
    FollowUp,
    FacilityAdmin,
    FacilityStaff,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Self::CompanyAdmin,
        Self::Recruiter,
        Self::FollowUp,
        Self::FacilityAdmin,
        Self::FacilityStaff,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CompanyAdmin => "company_admin",
            Self::Recruiter => "recruiter",
            Self::FollowUp => "follow_up",
            Self::FacilityAdmin => "facility_admin",
            Self::FacilityStaff => "facility_staff",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn org_kind(self) -> OrgKind {
        match self {
            Self::CompanyAdmin | Self::Recruiter | Self::FollowUp => OrgKind::Company,
            Self::FacilityAdmin | Self::FacilityStaff => OrgKind::Facility,
        }
    }
    pub fn is_admin(self) -> bool {
        matches!(self, Self::CompanyAdmin | Self::FacilityAdmin)
    }
    /// A company's or facility's admin must sign in with a second factor: the role
    /// manages who in the organisation sees the seekers' data.
    pub fn needs_second_factor(self) -> bool {
        self.is_admin()
    }
    /// Roles an admin of `org` may invite people into.
    pub fn invitable(org: OrgKind) -> &'static [Role] {
        match org {
            OrgKind::Company => &[Self::CompanyAdmin, Self::Recruiter, Self::FollowUp],
            OrgKind::Facility => &[Self::FacilityAdmin, Self::FacilityStaff],
        }
    }
}

/// A family member's relation to the seeker who invited them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Father,
    Mother,
    Sibling,
    Spouse,
    Child,
    Grandparent,
    Other,
}

impl Relation {
    pub const ALL: [Relation; 7] = [
        Self::Father,
        Self::Mother,
        Self::Sibling,
        Self::Spouse,
        Self::Child,
        Self::Grandparent,
        Self::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Father => "father",
            Self::Mother => "mother",
            Self::Sibling => "sibling",
            Self::Spouse => "spouse",
            Self::Child => "child",
            Self::Grandparent => "grandparent",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What an operator's staff member may do: each role opens its own screens of the
/// operator console, and nothing else (an operator with no role sees none of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Operator accounts and their roles; the audit chain's status.
    Admin,
    /// Verification of companies and facilities, posting review, reports, suspensions.
    Support,
    /// Rights requests, incidents, privacy-policy versions, the audit-log search.
    PrivacyOfficer,
    /// Plans, invoices and payments.
    Billing,
    /// The recruiting agency's work for the companies that delegate to it (採用代行).
    Agency,
}

impl StaffRole {
    pub const ALL: [StaffRole; 5] = [
        Self::Admin,
        Self::Support,
        Self::PrivacyOfficer,
        Self::Billing,
        Self::Agency,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Support => "support",
            Self::PrivacyOfficer => "privacy_officer",
            Self::Billing => "billing",
            Self::Agency => "agency",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Days a closed account's data is kept before the retention run erases it (the
/// default of `retention_closed_days`; PRODUCT §6: 5 years).
pub const CLOSED_KEPT_DAYS: i64 = 5 * 365;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_only_three_self_register() {
        for k in UserKind::ALL {
            assert_eq!(UserKind::parse(k.as_str()), Some(k));
        }
        assert!(!UserKind::Family.may_self_register());
        assert!(!UserKind::Operator.may_self_register());
        assert_eq!(UserKind::Employer.founds(), Some(OrgKind::Company));
        assert_eq!(UserKind::Seeker.founds(), None);
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert!(Role::invitable(r.org_kind()).contains(&r));
        }
        for r in Relation::ALL {
            assert_eq!(Relation::parse(r.as_str()), Some(r));
        }
    }
}
