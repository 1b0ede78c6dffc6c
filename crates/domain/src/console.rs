//! The operator console's own checks: the purpose a staff member states before opening
//! a person's record (logged, and standing for [`PURPOSE_MINUTES`]), and a suspension
//! of the account (利用停止) with its reason, or its lifting.
use crate::StaffRole;
use crate::disclosure::Purpose;
use crate::validate::Fields;

/// How long a stated purpose lets its staff member open the person's record.
pub const PURPOSE_MINUTES: i64 = 30;
/// The longest note a statement, a suspension or a lifting may carry.
pub const NOTE_MAX: usize = 200;

/// A purpose stated for one person's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub purpose: Purpose,
    /// Why, in the staff member's words (e.g. the inquiry's number).
    pub note: String,
}

fn note(f: &mut Fields, field: &'static str, raw: &str) -> String {
    let t = raw.trim();
    if t.is_empty() {
        f.add(field, "console-note-required");
    } else if t.chars().count() > NOTE_MAX {
        f.add(field, "console-note-long");
    }
    t.to_owned()
}

/// Checks a statement: a purpose the staff member's roles may state, and a note.
pub fn check_statement(
    purpose: &str,
    raw_note: &str,
    roles: &[StaffRole],
) -> Result<Statement, Fields> {
    let mut f = Fields::new();
    let p = Purpose::parse(purpose);
    match p {
        None => f.add("purpose", "choice-invalid"),
        Some(p) if !roles.contains(&p.role()) => f.add("purpose", "console-purpose-role"),
        Some(_) => {}
    }
    let note = note(&mut f, "note", raw_note);
    f.into_result()?;
    Ok(Statement {
        purpose: p.unwrap_or(Purpose::AccountSupport),
        note,
    })
}

/// Why the operator suspends an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuspendReason {
    /// 利用規約違反 (e.g. harassment in messages, a false posting).
    TermsViolation,
    /// 不正利用の疑い (e.g. mass viewing, scraping, a stolen session).
    Misuse,
    /// なりすましの疑い.
    Impersonation,
    /// The person asked for it (e.g. a lost phone).
    OwnRequest,
}

impl SuspendReason {
    pub const ALL: [SuspendReason; 4] = [
        Self::TermsViolation,
        Self::Misuse,
        Self::Impersonation,
        Self::OwnRequest,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::TermsViolation => "terms_violation",
            Self::Misuse => "misuse",
            Self::Impersonation => "impersonation",
            Self::OwnRequest => "own_request",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Checks a suspension: one of the reasons, and a note (kept with the action; the
/// person is told the reason, never the note).
pub fn check_suspension(reason: &str, raw_note: &str) -> Result<(SuspendReason, String), Fields> {
    let mut f = Fields::new();
    let r = SuspendReason::parse(reason);
    if r.is_none() {
        f.add("reason", "choice-invalid");
    }
    let note = note(&mut f, "note", raw_note);
    f.into_result()?;
    Ok((r.unwrap_or(SuspendReason::Misuse), note))
}

/// Checks a lifting: a note saying why.
pub fn check_lift(raw_note: &str) -> Result<String, Fields> {
    let mut f = Fields::new();
    let note = note(&mut f, "note", raw_note);
    f.into_result()?;
    Ok(note)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purpose_belongs_to_a_role_and_says_why() {
        let support = [StaffRole::Support];
        let s = check_statement("account_support", " 問い合わせ 12 ", &support).unwrap();
        assert_eq!(s.purpose, Purpose::AccountSupport);
        assert_eq!(s.note, "問い合わせ 12");
        let e = check_statement("privacy_request", "x", &support).unwrap_err();
        assert_eq!(e.0[0].code, "console-purpose-role");
        let e = check_statement("account_support", "  ", &support).unwrap_err();
        assert_eq!(e.0[0].code, "console-note-required");
        let e = check_statement("curiosity", &"x".repeat(NOTE_MAX + 1), &support).unwrap_err();
        assert_eq!(
            e.0.iter().map(|e| e.code).collect::<Vec<_>>(),
            ["choice-invalid", "console-note-long"]
        );
        assert!(check_statement("account_support", "x", &[StaffRole::Billing]).is_err());
    }

    #[test]
    fn a_suspension_names_a_reason() {
        for r in SuspendReason::ALL {
            assert_eq!(SuspendReason::parse(r.as_str()), Some(r));
            assert!(check_suspension(r.as_str(), "通報 3 件").is_ok());
        }
        assert_eq!(
            check_suspension("dislike", "x").unwrap_err().0[0].field,
            "reason"
        );
        assert_eq!(
            check_lift("").unwrap_err().0[0].code,
            "console-note-required"
        );
    }
}
