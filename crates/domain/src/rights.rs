//! Data-subject requests (APPI 34, 35) a person files and the privacy officer decides:
//! correction of records written by others, suspension of use, erasure, and stop of
//! third-party provision. Each has a deadline shown to both sides; a refusal must say
//! why (APPI 36). What a granted request does is enforced by the store and the door.
use crate::validate::Fields;
use serde::{Deserialize, Serialize};

/// Days the privacy officer has to decide (APPI: 遅滞なく; the operator's own promise).
pub const DUE_DAYS: i64 = 14;
/// The longest request text or reply, in characters.
pub const MAX_TEXT: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// 訂正・追加・削除 of facts in records others wrote (support records, a company's
    /// data); one's own profile is corrected directly.
    Correction,
    /// 利用停止: nothing of the person is used or shown to anyone but themselves.
    Suspension,
    /// 消去: the account is closed and erased at once (what a law keeps, stays).
    Erasure,
    /// 第三者提供の停止: nothing of the person goes to any third party.
    StopProvision,
}

impl RequestKind {
    pub const ALL: [RequestKind; 4] = [
        Self::Correction,
        Self::Suspension,
        Self::Erasure,
        Self::StopProvision,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Correction => "correction",
            Self::Suspension => "suspension",
            Self::Erasure => "erasure",
            Self::StopProvision => "stop_provision",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Open,
    Granted,
    Refused,
}

impl RequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Granted => "granted",
            Self::Refused => "refused",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Granted, Self::Refused]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestDraft {
    pub kind: RequestKind,
    pub detail: String,
}

fn text(f: &mut Fields, field: &'static str, raw: &str, required: &'static str) -> String {
    let t = raw.trim();
    if t.chars().count() > MAX_TEXT {
        f.add(field, "rights-text-long");
    } else if t.is_empty() && !required.is_empty() {
        f.add(field, required);
    }
    t.to_owned()
}

/// Checks a request: the kind is one of the four; a correction says what to correct.
pub fn check_request(kind: &str, detail: &str) -> Result<RequestDraft, Fields> {
    let mut f = Fields::new();
    let k = RequestKind::parse(kind);
    if k.is_none() {
        f.add("kind", "choice-invalid");
    }
    let needs = if k == Some(RequestKind::Correction) {
        "rights-detail-required"
    } else {
        ""
    };
    let detail = text(&mut f, "detail", detail, needs);
    f.into_result()?;
    Ok(RequestDraft {
        kind: k.unwrap_or(RequestKind::Correction),
        detail,
    })
}

/// Checks a decision: a refusal says why (APPI 36).
pub fn check_decision(decision: &str, reply: &str) -> Result<(bool, String), Fields> {
    let mut f = Fields::new();
    let grant = match decision {
        "grant" => Some(true),
        "refuse" => Some(false),
        _ => {
            f.add("decision", "choice-invalid");
            None
        }
    };
    let needs = if grant == Some(false) {
        "rights-reason-required"
    } else {
        ""
    };
    let reply = text(&mut f, "reply", reply, needs);
    f.into_result()?;
    Ok((grant.unwrap_or(false), reply))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_says_what_and_a_refusal_says_why() {
        assert_eq!(
            check_request("correction", " ").unwrap_err().0[0].code,
            "rights-detail-required"
        );
        assert!(check_request("erasure", "").is_ok());
        assert_eq!(check_request("delete", "").unwrap_err().0[0].field, "kind");
        assert_eq!(
            check_request("suspension", &"あ".repeat(MAX_TEXT + 1))
                .unwrap_err()
                .0[0]
                .code,
            "rights-text-long"
        );
        assert_eq!(
            check_decision("refuse", "").unwrap_err().0[0].code,
            "rights-reason-required"
        );
        assert_eq!(check_decision("grant", "").unwrap(), (true, String::new()));
        assert_eq!(
            check_decision("maybe", "x").unwrap_err().0[0].field,
            "decision"
        );
    }
}
