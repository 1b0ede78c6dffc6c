//! Consents: what a user agreed to, in which version of the text. Stored as rows with
//! given and withdrawn times (never as booleans on the user); the system acts on the
//! current state.
use crate::account::UserKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Acceptance of the privacy policy (個人情報の取扱い). Needed to hold an account;
    /// withdrawing it means closing the account (退会), not a button on the consent list.
    PrivacyPolicy,
    /// Separate, explicit consent to collect 要配慮個人情報 (disability, health) — APPI 20(2).
    /// Without it the account exists but no such data can be stored.
    SensitiveData,
    /// Being findable in the scout search (masked profile = still personal data given
    /// to companies). Off until the seeker turns it on.
    ScoutVisibility,
    /// One section a seeker lets scouts see (scope = the section's item name).
    ScoutSection,
    /// Provision of the full profile to one partner company (recipient = organisation),
    /// chosen at registration.
    PartnerProvision,
    /// The link to a support facility (recipient = facility): its staff see the profile.
    SupporterLink,
    /// Sharing one category with one family member (recipient = user, scope = category).
    FamilyShare,
    /// Letting the operator's agency staff read and answer the messages with one company
    /// that delegated its recruiting to the operator (recipient = the company). Given on
    /// its own screen, never with another consent; 電気通信事業法 4条 (通信の秘密).
    AgencyMessageAccess,
    /// Letting the follow-up person of one company see more of the worker's retention
    /// support than the summary (recipient = the company, scope = `daily_reports` or
    /// `support_records`). Given and withdrawn on the privacy page.
    FollowUpShare,
}

impl ConsentKind {
    pub const ALL: [ConsentKind; 9] = [
        Self::PrivacyPolicy,
        Self::SensitiveData,
        Self::ScoutVisibility,
        Self::ScoutSection,
        Self::PartnerProvision,
        Self::SupporterLink,
        Self::FamilyShare,
        Self::AgencyMessageAccess,
        Self::FollowUpShare,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PrivacyPolicy => "privacy_policy",
            Self::SensitiveData => "sensitive_data",
            Self::ScoutVisibility => "scout_visibility",
            Self::ScoutSection => "scout_section",
            Self::PartnerProvision => "partner_provision",
            Self::SupporterLink => "supporter_link",
            Self::FamilyShare => "family_share",
            Self::AgencyMessageAccess => "agency_message_access",
            Self::FollowUpShare => "follow_up_share",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Given and withdrawn only on its own screen, for one recipient (never through the
    /// generic consent routes, never with another consent).
    pub fn own_screen(self) -> bool {
        matches!(self, Self::AgencyMessageAccess)
    }
    pub fn withdrawable(self) -> bool {
        !matches!(self, Self::PrivacyPolicy)
    }
    /// Whether registration of `kind` must include this consent.
    pub fn required_at_registration(self, _kind: UserKind) -> bool {
        match self {
            Self::PrivacyPolicy => true,
            // The seeker may register without it; the profile then cannot hold sensitive data.
            _ => false,
        }
    }
    /// Whether this consent is offered to users of `kind` at all.
    /// Consents given on their own button (the rest are given through settings with a
    /// recipient or scope).
    pub fn standalone(self) -> bool {
        matches!(
            self,
            Self::PrivacyPolicy | Self::SensitiveData | Self::ScoutVisibility
        )
    }
    pub fn applies_to(self, kind: UserKind) -> bool {
        match self {
            Self::PrivacyPolicy => true,
            _ => kind == UserKind::Seeker,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sensitive_data_is_withdrawable_and_only_for_seekers() {
        assert!(ConsentKind::SensitiveData.withdrawable());
        assert!(!ConsentKind::PrivacyPolicy.withdrawable());
        assert!(ConsentKind::SensitiveData.applies_to(UserKind::Seeker));
        assert!(!ConsentKind::SensitiveData.applies_to(UserKind::Employer));
        for k in UserKind::ALL {
            assert!(ConsentKind::PrivacyPolicy.required_at_registration(k));
        }
    }
}

/// The kinds of consent whose text the privacy officer publishes new versions of.
pub const PUBLISHED_KINDS: [ConsentKind; 2] =
    [ConsentKind::PrivacyPolicy, ConsentKind::SensitiveData];

/// A new version of a policy text as the privacy officer typed it, checked: a short
/// label (such as the date it takes effect), what changed and the whole text, each in
/// Japanese and in easy Japanese, and whether the people who consented to an earlier
/// version must decide again before they go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDraft {
    pub kind: ConsentKind,
    pub version: String,
    pub summary_ja: String,
    pub summary_easy: String,
    pub text_ja: String,
    pub text_easy: String,
    pub requires_consent: bool,
}

/// The longest summary and text (characters).
pub const POLICY_SUMMARY_MAX: usize = 2_000;
pub const POLICY_TEXT_MAX: usize = 50_000;

impl PolicyDraft {
    /// Checks a draft; each problem is tied to its field.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        kind: &str,
        version: &str,
        summary_ja: &str,
        summary_easy: &str,
        text_ja: &str,
        text_easy: &str,
        requires_consent: bool,
    ) -> Result<Self, crate::validate::Fields> {
        let mut f = crate::validate::Fields::new();
        let kind = ConsentKind::parse(kind).filter(|k| PUBLISHED_KINDS.contains(k));
        if kind.is_none() {
            f.add("kind", "policy-kind-invalid");
        }
        let version = version.trim();
        if version.is_empty() {
            f.add("version", "policy-field-required");
        } else if version.chars().count() > 32
            || !version
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
        {
            f.add("version", "policy-version-invalid");
        }
        let mut text = |field: &'static str, value: &str, max: usize| {
            let v = value.trim().replace("\r\n", "\n");
            if v.is_empty() {
                f.add(field, "policy-field-required");
            } else if v.chars().count() > max {
                f.add(field, "policy-text-too-long");
            }
            v
        };
        let summary_ja = text("summary_ja", summary_ja, POLICY_SUMMARY_MAX);
        let summary_easy = text("summary_easy", summary_easy, POLICY_SUMMARY_MAX);
        let text_ja = text("text_ja", text_ja, POLICY_TEXT_MAX);
        let text_easy = text("text_easy", text_easy, POLICY_TEXT_MAX);
        f.into_result()?;
        let Some(kind) = kind else {
            return Err(crate::validate::Fields::new());
        };
        Ok(Self {
            kind,
            version: version.to_owned(),
            summary_ja,
            summary_easy,
            text_ja,
            text_easy,
            requires_consent,
        })
    }
}
