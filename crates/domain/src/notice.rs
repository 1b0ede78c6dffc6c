//! Notifications: each event a person is told of has a kind; kinds fall into the groups
//! a person switches mail on or off for. The in-app entry is always kept.
use serde::{Deserialize, Serialize};

/// A group of notifications with one mail switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeGroup {
    /// A new message in a thread.
    Messages,
    /// Applications: new, withdrawn, a stage change, a hire.
    Applications,
    /// A scout arrived, or was answered.
    Scouts,
    /// Interview times proposed, chosen, asked again, cancelled; reminders.
    Interviews,
    /// A new version in the 合理的配慮 ledger.
    Ledger,
    /// New jobs matching a saved search.
    SavedSearches,
    /// Early-warning alerts about a worker one supports or follows up (見守り).
    Alerts,
    /// Reminders about the person's own records (e.g. a certificate expiring) and
    /// postings to review.
    Reminders,
}

impl NoticeGroup {
    pub const ALL: [NoticeGroup; 8] = [
        Self::Messages,
        Self::Applications,
        Self::Scouts,
        Self::Interviews,
        Self::Ledger,
        Self::SavedSearches,
        Self::Alerts,
        Self::Reminders,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Messages => "messages",
            Self::Applications => "applications",
            Self::Scouts => "scouts",
            Self::Interviews => "interviews",
            Self::Ledger => "ledger",
            Self::SavedSearches => "saved_searches",
            Self::Alerts => "alerts",
            Self::Reminders => "reminders",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.as_str() == s)
    }
    /// The group of one notification kind (`None`: not a notification kind, e.g. a
    /// password-reset mail, which no switch turns off).
    pub fn of(kind: &str) -> Option<Self> {
        Some(match kind {
            "message_new" => Self::Messages,
            "application_new" | "application_withdrawn" | "application_stage" => Self::Applications,
            "scout_new" | "scout_answered" => Self::Scouts,
            "interview_proposed"
            | "interview_chosen"
            | "interview_others_asked"
            | "interview_cancelled"
            | "interview_reminder" => Self::Interviews,
            "ledger_version" => Self::Ledger,
            "saved_search_match" => Self::SavedSearches,
            "support_alert" => Self::Alerts,
            "certificate_reminder" | "posting_stale" => Self::Reminders,
            _ => return None,
        })
    }
}

/// Every notification kind (what `NoticeGroup::of` knows).
pub const KINDS: [&str; 16] = [
    "message_new",
    "application_new",
    "application_withdrawn",
    "application_stage",
    "scout_new",
    "scout_answered",
    "interview_proposed",
    "interview_chosen",
    "interview_others_asked",
    "interview_cancelled",
    "interview_reminder",
    "ledger_version",
    "saved_search_match",
    "support_alert",
    "certificate_reminder",
    "posting_stale",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_group_and_every_group_a_kind() {
        for k in KINDS {
            assert!(NoticeGroup::of(k).is_some(), "{k}");
        }
        for g in NoticeGroup::ALL {
            assert!(KINDS.iter().any(|k| NoticeGroup::of(k) == Some(g)), "{g:?}");
            assert_eq!(NoticeGroup::parse(g.as_str()), Some(g));
        }
        assert_eq!(NoticeGroup::of("password_reset"), None);
    }
}
