//! The incident register's rules (APPI 26; 施行規則 7, 8, 10): whether a leak must be
//! reported to the PPC and told to the people affected, and by when.
//!
//! Reportable when any of 規則7条 holds: 要配慮個人情報 of even one person; data whose
//! misuse could cause financial damage; a leak done with wrongful intent (unauthorised
//! access, an insider, skimming of data being entered); more than 1,000 people. Not when
//! the data was strongly encrypted and its key did not leak. A preliminary report is due
//! promptly (the guideline: about 3–5 days from discovery); the final one within 30
//! days, 60 for wrongful intent. Every threshold and period is a constant here, so a
//! change of law is a change of one row.
use crate::profile::Date;
use crate::validate::Fields;
use serde::{Deserialize, Serialize};

/// More than this many people makes a leak reportable (規則7条4号).
pub const PEOPLE_THRESHOLD: i64 = 1000;
/// The preliminary report: about 3–5 days from discovery (PPC guideline); reminded from
/// the first, due by the last.
pub const PRELIMINARY_FROM_DAYS: i64 = 3;
pub const PRELIMINARY_DAYS: i64 = 5;
/// The final report: 30 days from discovery, 60 when done with wrongful intent (規則8条2項).
pub const FINAL_DAYS: i64 = 30;
pub const FINAL_WRONGFUL_DAYS: i64 = 60;
/// The longest text of a field, in characters.
pub const MAX_TEXT: usize = 4000;

const DAY: i64 = 86_400;
/// Japan Standard Time, UTC+9, in seconds.
const JST: i64 = 9 * 3600;

/// What leaked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// 要配慮個人情報: disability, health, check-ins, support records.
    Sensitive,
    /// Names, addresses, email addresses, phone numbers.
    Contact,
    /// Data whose misuse could cause financial damage (bank or billing details).
    Financial,
    /// Passwords (hashes), tokens, second-factor secrets.
    Credentials,
    Other,
}

impl DataKind {
    pub const ALL: [DataKind; 5] = [
        Self::Sensitive,
        Self::Contact,
        Self::Financial,
        Self::Credentials,
        Self::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sensitive => "sensitive",
            Self::Contact => "contact",
            Self::Financial => "financial",
            Self::Credentials => "credentials",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// How it happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// 不正アクセス from outside.
    UnauthorizedAccess,
    /// Taken by someone inside (staff, a contractor).
    Insider,
    /// Data being entered into the site taken on its way (skimming, a fake form).
    Skimming,
    /// Sent to the wrong person (mail, a file, a message).
    Misdelivery,
    /// A device or paper lost.
    Loss,
    /// A defect of the system showed data to the wrong people.
    Defect,
    Other,
}

impl Cause {
    pub const ALL: [Cause; 7] = [
        Self::UnauthorizedAccess,
        Self::Insider,
        Self::Skimming,
        Self::Misdelivery,
        Self::Loss,
        Self::Defect,
        Self::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnauthorizedAccess => "unauthorized_access",
            Self::Insider => "insider",
            Self::Skimming => "skimming",
            Self::Misdelivery => "misdelivery",
            Self::Loss => "loss",
            Self::Defect => "defect",
            Self::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Done with wrongful intent (規則7条3号): the longer final deadline applies.
    pub fn wrongful(self) -> bool {
        matches!(
            self,
            Self::UnauthorizedAccess | Self::Insider | Self::Skimming
        )
    }
}

/// Why a leak must be reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    Sensitive,
    Financial,
    Wrongful,
    OverThreshold,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sensitive => "sensitive",
            Self::Financial => "financial",
            Self::Wrongful => "wrongful",
            Self::OverThreshold => "over_threshold",
        }
    }
}

/// The facts the assessment reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Facts {
    pub kinds: Vec<DataKind>,
    pub cause: Cause,
    /// When the operator became aware (the start of every deadline), Unix seconds.
    pub found_at: i64,
    /// How many people: those listed, or the estimate when larger.
    pub people: i64,
    /// Misuse could cause financial damage even where no financial data leaked.
    pub financial_risk: bool,
    /// The data was strongly encrypted and its key did not leak.
    pub encrypted: bool,
}

/// What the rules say of an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    /// Must be reported to the PPC and told to each person affected.
    pub reportable: bool,
    /// The reasons it must be (empty when it need not).
    pub triggers: Vec<Trigger>,
    /// Exempt for strong encryption (the triggers still listed, for the record).
    pub exempt: bool,
    /// The preliminary report: reminded from, and due by (end of the day, JST).
    pub preliminary_from: i64,
    pub preliminary_due: i64,
    /// The final report is due by (end of the day, JST).
    pub final_due: i64,
}

/// The end (23:59:59 JST) of the day `days` after the JST day of `at`.
fn end_of_day_after(at: i64, days: i64) -> i64 {
    let day = (at + JST).div_euclid(DAY) + days;
    (day + 1) * DAY - JST - 1
}

pub fn assess(f: &Facts) -> Assessment {
    let mut triggers = Vec::new();
    if f.kinds.contains(&DataKind::Sensitive) {
        triggers.push(Trigger::Sensitive);
    }
    if f.kinds.contains(&DataKind::Financial) || f.financial_risk {
        triggers.push(Trigger::Financial);
    }
    if f.cause.wrongful() {
        triggers.push(Trigger::Wrongful);
    }
    if f.people > PEOPLE_THRESHOLD {
        triggers.push(Trigger::OverThreshold);
    }
    let exempt = f.encrypted && !triggers.is_empty();
    let final_days = if f.cause.wrongful() {
        FINAL_WRONGFUL_DAYS
    } else {
        FINAL_DAYS
    };
    Assessment {
        reportable: !triggers.is_empty() && !f.encrypted,
        triggers,
        exempt,
        preliminary_from: end_of_day_after(f.found_at, PRELIMINARY_FROM_DAYS),
        preliminary_due: end_of_day_after(f.found_at, PRELIMINARY_DAYS),
        final_due: end_of_day_after(f.found_at, final_days),
    }
}

/// An incident as recorded (the facts and the nine items of the report, 規則8条1項).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentDraft {
    pub summary: String,
    pub kinds: Vec<DataKind>,
    pub cause: Cause,
    pub cause_detail: String,
    pub found_at: i64,
    pub people_estimate: i64,
    pub financial_risk: bool,
    pub encrypted: bool,
}

fn text(f: &mut Fields, field: &'static str, raw: &str, required: bool) -> String {
    let t = raw.trim();
    if t.chars().count() > MAX_TEXT {
        f.add(field, "incident-text-long");
    } else if t.is_empty() && required {
        f.add(field, "incident-field-required");
    }
    t.to_owned()
}

/// `YYYY-MM-DDTHH:MM` (a `datetime-local` field), read as Japan time.
pub fn parse_local(s: &str) -> Option<i64> {
    let (d, t) = s.trim().split_once('T')?;
    let date = Date::parse(d)?;
    let (h, m) = t.split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return None;
    }
    let days = Date {
        y: 1970,
        m: 1,
        d: 1,
    }
    .days_until(date);
    Some(days * DAY + h * 3600 + m * 60 - JST)
}

/// The raw form of a new incident.
#[derive(Debug, Clone, Default)]
pub struct IncidentForm<'a> {
    pub summary: &'a str,
    pub kinds: Vec<&'a str>,
    pub cause: &'a str,
    pub cause_detail: &'a str,
    pub found_at: &'a str,
    pub people_estimate: &'a str,
    pub financial_risk: bool,
    pub encrypted: bool,
}

/// Checks a new incident: a summary, at least one kind of data, a cause, when it was
/// found (not in the future), a sane estimate. Every problem at once, on its field.
pub fn check_incident(form: &IncidentForm<'_>, now: i64) -> Result<IncidentDraft, Fields> {
    let mut f = Fields::new();
    let summary = text(&mut f, "summary", form.summary, true);
    let mut kinds = Vec::new();
    for k in &form.kinds {
        match DataKind::parse(k) {
            Some(k) if !kinds.contains(&k) => kinds.push(k),
            Some(_) => {}
            None => f.add("kinds", "choice-invalid"),
        }
    }
    if form.kinds.is_empty() {
        f.add("kinds", "incident-kinds-required");
    }
    let cause = Cause::parse(form.cause);
    if cause.is_none() {
        f.add("cause", "incident-cause-required");
    }
    let cause_detail = text(&mut f, "cause_detail", form.cause_detail, false);
    let found_at = match parse_local(form.found_at) {
        Some(t) if t <= now + 60 => t,
        Some(_) => {
            f.add("found_at", "incident-found-future");
            0
        }
        None => {
            f.add("found_at", "incident-found-invalid");
            0
        }
    };
    let people_estimate = match form.people_estimate.trim() {
        "" => 0,
        s => match s.parse::<i64>() {
            Ok(n) if (0..=1_000_000_000).contains(&n) => n,
            _ => {
                f.add("people_estimate", "incident-people-invalid");
                0
            }
        },
    };
    f.into_result()?;
    Ok(IncidentDraft {
        summary,
        kinds,
        // Checked above: a refusal when it is missing.
        cause: cause.unwrap_or(Cause::Other),
        cause_detail,
        found_at,
        people_estimate,
        financial_risk: form.financial_risk,
        encrypted: form.encrypted,
    })
}

/// The remaining items of the report to the PPC (規則8条1項: 二次被害, 本人への対応,
/// 公表, 再発防止策, その他), filled in as the response goes on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReportItems {
    pub secondary_damage: String,
    pub response_to_people: String,
    pub publication: String,
    pub prevention: String,
    pub other: String,
}

pub fn check_report(items: ReportItems) -> Result<ReportItems, Fields> {
    let mut f = Fields::new();
    let out = ReportItems {
        secondary_damage: text(&mut f, "secondary_damage", &items.secondary_damage, false),
        response_to_people: text(
            &mut f,
            "response_to_people",
            &items.response_to_people,
            false,
        ),
        publication: text(&mut f, "publication", &items.publication, false),
        prevention: text(&mut f, "prevention", &items.prevention, false),
        other: text(&mut f, "other", &items.other, false),
    };
    f.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(kinds: &[DataKind], cause: Cause, people: i64) -> Facts {
        Facts {
            kinds: kinds.to_vec(),
            cause,
            // 2026-12-01 10:00 JST.
            found_at: parse_local("2026-12-01T10:00").unwrap(),
            people,
            financial_risk: false,
            encrypted: false,
        }
    }

    #[test]
    fn one_persons_sensitive_data_is_reportable_and_encryption_exempts() {
        let a = assess(&facts(&[DataKind::Sensitive], Cause::Misdelivery, 1));
        assert!(a.reportable);
        assert_eq!(a.triggers, [Trigger::Sensitive]);
        let mut f = facts(&[DataKind::Sensitive], Cause::Misdelivery, 1);
        f.encrypted = true;
        let a = assess(&f);
        assert!(!a.reportable && a.exempt);
        // Contact data of 1,000 people by mistake: not; of 1,001: yes.
        assert!(!assess(&facts(&[DataKind::Contact], Cause::Loss, 1000)).reportable);
        let a = assess(&facts(&[DataKind::Contact], Cause::Loss, 1001));
        assert_eq!(a.triggers, [Trigger::OverThreshold]);
        // Wrongful intent, whatever leaked; financial risk.
        let a = assess(&facts(&[DataKind::Other], Cause::Skimming, 1));
        assert_eq!(a.triggers, [Trigger::Wrongful]);
        let mut f = facts(&[DataKind::Contact], Cause::Defect, 3);
        f.financial_risk = true;
        assert_eq!(assess(&f).triggers, [Trigger::Financial]);
    }

    #[test]
    fn deadlines_count_japan_days_from_discovery() {
        let a = assess(&facts(&[DataKind::Sensitive], Cause::Misdelivery, 1));
        // Found 2026-12-01 (JST): preliminary by the end of 12-06, final by 12-31.
        assert_eq!(
            a.preliminary_from,
            parse_local("2026-12-04T23:59").unwrap() + 59
        );
        assert_eq!(
            a.preliminary_due,
            parse_local("2026-12-06T23:59").unwrap() + 59
        );
        assert_eq!(a.final_due, parse_local("2026-12-31T23:59").unwrap() + 59);
        let a = assess(&facts(&[DataKind::Contact], Cause::UnauthorizedAccess, 1));
        assert_eq!(a.final_due, parse_local("2027-01-30T23:59").unwrap() + 59);
        // Found late in the evening, JST: still that day.
        let late = Facts {
            found_at: parse_local("2026-12-01T23:30").unwrap(),
            ..facts(&[DataKind::Sensitive], Cause::Loss, 1)
        };
        assert_eq!(
            assess(&late).preliminary_due,
            parse_local("2026-12-06T23:59").unwrap() + 59
        );
    }

    #[test]
    fn a_new_incident_is_checked_field_by_field() {
        let now = parse_local("2026-12-02T09:00").unwrap();
        let e = check_incident(&IncidentForm::default(), now).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|x| x.field).collect();
        assert_eq!(fields, ["summary", "kinds", "cause", "found_at"]);
        let future = IncidentForm {
            summary: "誤送信",
            kinds: vec!["contact", "contact"],
            cause: "misdelivery",
            found_at: "2026-12-03T09:00",
            people_estimate: "-1",
            ..Default::default()
        };
        let e = check_incident(&future, now).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|x| x.code).collect();
        assert_eq!(codes, ["incident-found-future", "incident-people-invalid"]);
        let ok = IncidentForm {
            found_at: "2026-12-01T10:00",
            people_estimate: "12",
            ..future
        };
        let d = check_incident(&ok, now).unwrap();
        assert_eq!(d.kinds, [DataKind::Contact]);
        assert_eq!(d.people_estimate, 12);
        assert_eq!(parse_local("2026-13-01T10:00"), None);
        assert_eq!(parse_local("1970-01-01T09:00"), Some(0));
    }
}
