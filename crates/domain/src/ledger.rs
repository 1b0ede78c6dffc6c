//! The 合理的配慮 ledger (障害者雇用促進法 36条の2–36条の4): per application, then per
//! employment, the seeker states a difficulty or a request in plain words (with codes
//! from the accommodation taxonomy); the company records the discussion and its
//! decision. Nothing is deleted: a change is a new version, and each side acknowledges
//! each version.
use serde::{Deserialize, Serialize};

/// The company's decision on one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not decided yet (the request as the seeker wrote it).
    Pending,
    /// Provided as asked.
    Provided,
    /// An alternative is provided (what, in the discussion or reason).
    Alternative,
    /// Not possible: the law asks the company to give the reason (過重な負担).
    NotPossible,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Self::Pending,
        Self::Provided,
        Self::Alternative,
        Self::NotPossible,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Provided => "provided",
            Self::Alternative => "alternative",
            Self::NotPossible => "not_possible",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// Who wrote a version, and so who must acknowledge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The seeker (or the supporter writing for them).
    Seeker,
    Company,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Seeker => "seeker",
            Self::Company => "company",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Seeker, Self::Company]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
    pub fn other(self) -> Self {
        match self {
            Self::Seeker => Self::Company,
            Self::Company => Self::Seeker,
        }
    }
}

/// Checks a company decision: an alternative says what it is, and "not possible" says
/// why (the law asks for the reason). Returns the field and the code of the problem.
pub fn check_decision(
    d: Decision,
    discussion: &str,
    reason: &str,
) -> Result<(), (&'static str, &'static str)> {
    if d == Decision::Pending {
        return Err(("decision", "decision-required"));
    }
    if discussion.trim().is_empty() {
        return Err(("discussion", "discussion-required"));
    }
    if matches!(d, Decision::NotPossible | Decision::Alternative) && reason.trim().is_empty() {
        return Err(("reason", "reason-required"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_states_its_reason() {
        assert_eq!(
            check_decision(Decision::NotPossible, "話し合った", ""),
            Err(("reason", "reason-required"))
        );
        assert_eq!(
            check_decision(Decision::Alternative, "話し合った", " "),
            Err(("reason", "reason-required"))
        );
        assert!(check_decision(Decision::Provided, "話し合った", "").is_ok());
        assert_eq!(
            check_decision(Decision::Provided, "", ""),
            Err(("discussion", "discussion-required"))
        );
        assert_eq!(
            check_decision(Decision::Pending, "x", "y"),
            Err(("decision", "decision-required"))
        );
        assert_eq!(Side::Seeker.other(), Side::Company);
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
    }
}
