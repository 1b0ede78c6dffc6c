//! Retention support after hiring (定着支援): the worker's daily check-in, checked, and
//! the stated rules of its one-word summary (good / watch / concern) that a follow-up
//! person sees when the worker chose "summary". Who sees which part of a check-in is in
//! `crate::disclosure` (the check-in part), with every other disclosure rule.
use crate::profile::Date;
use crate::validate::Fields;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The day's attendance (出勤, 欠勤, 遅刻, 早退, 休み).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Absent,
    Late,
    EarlyLeave,
    DayOff,
}

impl Attendance {
    pub const ALL: [Attendance; 5] = [
        Self::Present,
        Self::Absent,
        Self::Late,
        Self::EarlyLeave,
        Self::DayOff,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::Absent => "absent",
            Self::Late => "late",
            Self::EarlyLeave => "early_leave",
            Self::DayOff => "day_off",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
    /// A day the worker went to work (clock times belong to it).
    pub fn worked(self) -> bool {
        matches!(self, Self::Present | Self::Late | Self::EarlyLeave)
    }
}

/// Common troubles at work the worker can choose (or write their own).
pub const TROUBLES: [&str; 9] = [
    "task_hard",
    "too_much_work",
    "instructions_unclear",
    "people",
    "noise_light",
    "tired",
    "commute",
    "schedule_change",
    "body",
];

/// One of the worker's own items: a yes/no, a 1–5 scale, or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    YesNo,
    Scale,
    Number,
}

impl ItemKind {
    pub const ALL: [ItemKind; 3] = [Self::YesNo, Self::Scale, Self::Number];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::YesNo => "yes_no",
            Self::Scale => "scale",
            Self::Number => "number",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// Whether `v` is an answer of this kind.
    pub fn accepts(self, v: &serde_json::Value) -> bool {
        match self {
            Self::YesNo => v.is_boolean(),
            Self::Scale => v.as_u64().is_some_and(|n| (1..=5).contains(&n)),
            Self::Number => v
                .as_f64()
                .is_some_and(|n| n.is_finite() && n.abs() <= 100_000.0),
        }
    }
}

/// `HH:MM`, 00:00–23:59.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClockTime {
    pub hour: u8,
    pub minute: u8,
}

impl ClockTime {
    pub fn parse(s: &str) -> Option<Self> {
        let (h, m) = s.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let (hour, minute): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
        (hour < 24 && minute < 60).then_some(Self { hour, minute })
    }
}

impl TryFrom<String> for ClockTime {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s).ok_or("time-invalid")
    }
}

impl From<ClockTime> for String {
    fn from(t: ClockTime) -> String {
        t.to_string()
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// A daily check-in, checked: what is stored (sealed) and what views are cut from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Report {
    pub attendance: Option<Attendance>,
    pub clock_in: Option<ClockTime>,
    pub clock_out: Option<ClockTime>,
    /// 1 (very bad) – 5 (very good).
    pub health: Option<u8>,
    /// Hours slept, in half hours (0–24).
    pub sleep_hours: Option<f32>,
    /// 1 (very low) – 5 (very good).
    pub mood: Option<u8>,
    pub note: String,
    pub troubles: Vec<String>,
    pub trouble_note: String,
    pub want_to_talk: bool,
    /// The worker's own items: item id → answer.
    pub items: BTreeMap<String, serde_json::Value>,
}

/// The longest free text in a check-in.
pub const MAX_TEXT: usize = 1000;

/// A check-in as sent, before checking (strings as typed, so that each problem can be
/// tied to its field).
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub attendance: String,
    pub clock_in: String,
    pub clock_out: String,
    pub health: Option<i64>,
    pub sleep_hours: Option<f64>,
    pub mood: Option<i64>,
    pub note: String,
    pub troubles: Vec<String>,
    pub trouble_note: String,
    pub want_to_talk: bool,
    pub items: BTreeMap<String, serde_json::Value>,
}

fn text_ok(s: &str) -> bool {
    s.chars().count() <= MAX_TEXT && !s.chars().any(|c| c.is_control() && c != '\n' && c != '\r')
}

/// Checks a check-in against the worker's own items (id → kind). Every problem is tied
/// to its field; nothing is saved unless all are fine.
pub fn check(d: &Draft, own_items: &BTreeMap<String, ItemKind>) -> Result<Report, Fields> {
    let mut f = Fields::new();
    let attendance = match d.attendance.trim() {
        "" => {
            f.add("attendance", "attendance-required");
            None
        }
        s => {
            let a = Attendance::parse(s);
            if a.is_none() {
                f.add("attendance", "choice-invalid");
            }
            a
        }
    };
    let clock = |f: &mut Fields, field: &'static str, s: &str| -> Option<ClockTime> {
        if s.trim().is_empty() {
            return None;
        }
        let t = ClockTime::parse(s);
        if t.is_none() {
            f.add(field, "time-invalid");
        }
        t
    };
    let clock_in = clock(&mut f, "clock_in", &d.clock_in);
    let clock_out = clock(&mut f, "clock_out", &d.clock_out);
    if let (Some(i), Some(o)) = (clock_in, clock_out)
        && o <= i
    {
        f.add("clock_out", "clock-out-before-in");
    }
    if attendance.is_some_and(|a| !a.worked()) && (clock_in.is_some() || clock_out.is_some()) {
        f.add("clock_in", "clock-not-worked");
    }
    let scale = |f: &mut Fields, field: &'static str, v: Option<i64>| -> Option<u8> {
        match v {
            None => None,
            Some(n @ 1..=5) => Some(n as u8),
            Some(_) => {
                f.add(field, "scale-invalid");
                None
            }
        }
    };
    let health = scale(&mut f, "health", d.health);
    let mood = scale(&mut f, "mood", d.mood);
    let sleep_hours = match d.sleep_hours {
        None => None,
        Some(h) if h.is_finite() && (0.0..=24.0).contains(&h) && (h * 2.0).fract() == 0.0 => {
            Some(h as f32)
        }
        Some(_) => {
            f.add("sleep_hours", "sleep-invalid");
            None
        }
    };
    for (field, s) in [("note", &d.note), ("trouble_note", &d.trouble_note)] {
        if !text_ok(s) {
            f.add(
                field,
                if s.chars().count() > MAX_TEXT {
                    "text-too-long"
                } else {
                    "text-invalid"
                },
            );
        }
    }
    let mut troubles: Vec<String> = Vec::new();
    for t in &d.troubles {
        if !TROUBLES.contains(&t.as_str()) {
            f.add("troubles", "choice-invalid");
            break;
        }
        if !troubles.contains(t) {
            troubles.push(t.clone());
        }
    }
    let mut items = BTreeMap::new();
    for (id, v) in &d.items {
        if v.is_null() {
            continue;
        }
        match own_items.get(id) {
            Some(k) if k.accepts(v) => {
                items.insert(id.clone(), v.clone());
            }
            Some(_) => f.add("items", "item-value-invalid"),
            None => f.add("items", "item-unknown"),
        }
    }
    f.into_result()?;
    Ok(Report {
        attendance,
        clock_in,
        clock_out,
        health,
        sleep_hours,
        mood,
        note: d.note.trim().to_owned(),
        troubles,
        trouble_note: d.trouble_note.trim().to_owned(),
        want_to_talk: d.want_to_talk,
        items,
    })
}

/// A check-in in one word, for a follow-up person who sees the summary only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Summary {
    Good,
    Watch,
    Concern,
}

impl Summary {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Watch => "watch",
            Self::Concern => "concern",
        }
    }
}

/// THE summary rules, stated:
/// - **concern**: the worker wants to talk to someone; or health or mood is 1–2; or an
///   absence (欠勤, not a planned day off);
/// - **watch**: health or mood is 3; or a trouble was chosen or written; or less than 5
///   hours of sleep; or late or left early;
/// - **good**: anything else (a planned day off included).
pub fn summary(r: &Report) -> Summary {
    let low = |v: Option<u8>, max: u8| v.is_some_and(|n| n <= max);
    if r.want_to_talk
        || low(r.health, 2)
        || low(r.mood, 2)
        || r.attendance == Some(Attendance::Absent)
    {
        return Summary::Concern;
    }
    if low(r.health, 3)
        || low(r.mood, 3)
        || !r.troubles.is_empty()
        || !r.trouble_note.is_empty()
        || r.sleep_hours.is_some_and(|h| h < 5.0)
        || matches!(
            r.attendance,
            Some(Attendance::Late | Attendance::EarlyLeave)
        )
    {
        return Summary::Watch;
    }
    Summary::Good
}

/// How long after its day a check-in may still be written: the rest of the day, and six
/// hours of the next (answers kept offline overnight still arrive).
pub const GRACE_HOURS: i64 = 6;

/// Whether the check-in of `day` may be written at local time `now` (Japan).
pub fn writable(day: Date, now: crate::interview::LocalTime) -> bool {
    let start = crate::interview::LocalTime {
        date: day,
        hour: 0,
        minute: 0,
    }
    .unix();
    let t = now.unix();
    t >= start && t < start + (24 + GRACE_HOURS) * 3600
}

// ---- 定着率: the share of people still employed some months after their first day ----

/// The horizons of the retention figures, in months: 6 months, 1 year, 3.5 years.
pub const HORIZONS: [u32; 3] = [6, 12, 42];

/// A figure shown to the public (the company's page) only when at least this many
/// people are counted: a smaller count would tell of one person.
pub const MIN_PUBLIC: u32 = 5;

/// Why an employment ended.
pub const END_REASONS: [&str; 6] = [
    "own_reasons",  // 自己都合
    "health",       // 体調
    "company",      // 会社都合
    "contract_end", // 契約期間満了
    "transfer",     // 転職・ステップアップ
    "other",
];

/// The same day `months` later; the end of that month where it has no such day
/// (2026-08-31 + 6 months = 2027-02-28).
pub fn plus_months(d: Date, months: u32) -> Date {
    let total = u32::from(d.y) * 12 + u32::from(d.m) - 1 + months;
    let (y, m) = ((total / 12) as u16, (total % 12 + 1) as u8);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let last = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    Date {
        y,
        m,
        d: d.d.min(last),
    }
}

/// One retention figure: of the people whose first day was at least `months` ago
/// (`counted`), how many were still employed `months` after it (`retained`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Figure {
    pub months: u32,
    pub counted: u32,
    pub retained: u32,
}

impl Figure {
    /// The share in whole percent (rounded half up), `None` when no one is counted.
    pub fn percent(&self) -> Option<u32> {
        (self.counted > 0).then(|| (self.retained * 200 + self.counted) / (self.counted * 2))
    }
}

/// THE retention rule, stated: a person is counted at a horizon once that many months
/// have passed since their first day (`start + months <= today`), and retained when
/// they had not left before that day (no end date, or an end date — their last day —
/// on or after it).
pub fn figures(cohort: &[(Date, Option<Date>)], today: Date) -> Vec<Figure> {
    HORIZONS
        .iter()
        .map(|&months| {
            let mut f = Figure {
                months,
                counted: 0,
                retained: 0,
            };
            for (start, end) in cohort {
                let at = plus_months(*start, months);
                if at > today {
                    continue;
                }
                f.counted += 1;
                if end.is_none_or(|e| e >= at) {
                    f.retained += 1;
                }
            }
            f
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::interview::LocalTime;

    fn draft() -> Draft {
        Draft {
            attendance: "present".into(),
            clock_in: "9:00".into(),
            clock_out: "17:30".into(),
            health: Some(4),
            sleep_hours: Some(7.5),
            mood: Some(4),
            ..Draft::default()
        }
    }

    #[test]
    fn a_full_check_in_passes_and_each_problem_names_its_field() {
        let r = check(&draft(), &BTreeMap::new()).unwrap();
        assert_eq!(r.clock_in.unwrap().to_string(), "09:00");
        assert_eq!(summary(&r), Summary::Good);
        let bad = Draft {
            attendance: "holiday".into(),
            clock_in: "25:00".into(),
            health: Some(6),
            sleep_hours: Some(7.3),
            mood: Some(0),
            troubles: vec!["nope".into()],
            note: "x".repeat(MAX_TEXT + 1),
            items: BTreeMap::from([("i1".to_owned(), serde_json::json!(true))]),
            ..Draft::default()
        };
        let e = check(&bad, &BTreeMap::new()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|x| x.field).collect();
        for want in [
            "attendance",
            "clock_in",
            "health",
            "sleep_hours",
            "mood",
            "troubles",
            "note",
            "items",
        ] {
            assert!(fields.contains(&want), "{want}: {fields:?}");
        }
        let e = check(
            &Draft {
                clock_in: "17:00".into(),
                clock_out: "09:00".into(),
                ..draft()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].code, "clock-out-before-in");
        let e = check(
            &Draft {
                attendance: "day_off".into(),
                ..draft()
            },
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert_eq!(e.0[0].code, "clock-not-worked");
    }

    #[test]
    fn own_items_take_answers_of_their_kind() {
        let own = BTreeMap::from([
            ("med".to_owned(), ItemKind::YesNo),
            ("pain".to_owned(), ItemKind::Scale),
            ("steps".to_owned(), ItemKind::Number),
        ]);
        let ok = Draft {
            items: BTreeMap::from([
                ("med".to_owned(), serde_json::json!(true)),
                ("pain".to_owned(), serde_json::json!(2)),
                ("steps".to_owned(), serde_json::json!(5400)),
            ]),
            ..draft()
        };
        assert_eq!(check(&ok, &own).unwrap().items.len(), 3);
        let bad = Draft {
            items: BTreeMap::from([("pain".to_owned(), serde_json::json!(9))]),
            ..draft()
        };
        assert_eq!(
            check(&bad, &own).unwrap_err().0[0].code,
            "item-value-invalid"
        );
    }

    #[test]
    fn the_summary_rules_as_stated() {
        let base = check(&draft(), &BTreeMap::new()).unwrap();
        let with = |f: &dyn Fn(&mut Report)| {
            let mut r = base.clone();
            f(&mut r);
            summary(&r)
        };
        assert_eq!(with(&|r| r.want_to_talk = true), Summary::Concern);
        assert_eq!(with(&|r| r.health = Some(2)), Summary::Concern);
        assert_eq!(with(&|r| r.mood = Some(1)), Summary::Concern);
        assert_eq!(
            with(&|r| r.attendance = Some(Attendance::Absent)),
            Summary::Concern
        );
        assert_eq!(with(&|r| r.health = Some(3)), Summary::Watch);
        assert_eq!(with(&|r| r.troubles = vec!["tired".into()]), Summary::Watch);
        assert_eq!(with(&|r| r.sleep_hours = Some(4.5)), Summary::Watch);
        assert_eq!(
            with(&|r| r.attendance = Some(Attendance::Late)),
            Summary::Watch
        );
        assert_eq!(
            with(&|r| r.attendance = Some(Attendance::DayOff)),
            Summary::Good
        );
    }

    #[test]
    fn a_day_is_writable_until_six_the_next_morning() {
        let day = Date::parse("2026-12-03").unwrap();
        let at = |s: &str| LocalTime::parse(s).unwrap();
        assert!(writable(day, at("2026-12-03T00:00")));
        assert!(writable(day, at("2026-12-03T23:59")));
        assert!(writable(day, at("2026-12-04T05:59")));
        assert!(!writable(day, at("2026-12-04T06:00")));
        assert!(!writable(day, at("2026-12-02T23:59")));
    }

    #[test]
    fn months_later_keep_the_day_or_end_the_month() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(plus_months(d("2026-08-31"), 6), d("2027-02-28"));
        assert_eq!(plus_months(d("2027-08-31"), 6), d("2028-02-29"));
        assert_eq!(plus_months(d("2026-04-01"), 42), d("2029-10-01"));
        assert_eq!(plus_months(d("2026-12-15"), 12), d("2027-12-15"));
    }

    #[test]
    fn retention_figures_by_hand() {
        let d = |s: &str| Date::parse(s).unwrap();
        let today = d("2027-06-30");
        // Started 2026-01-10 (counted at 6 and 12 months), 2026-06-01 (6 and 12),
        // 2026-12-01 (6 only), 2027-03-01 (not yet); the second left on 2027-01-31
        // (after 6 months, before 12); the third left on 2027-06-01 (its 6-month day):
        // still there that day.
        let cohort = vec![
            (d("2026-01-10"), None),
            (d("2026-06-01"), Some(d("2027-01-31"))),
            (d("2026-12-01"), Some(d("2027-06-01"))),
            (d("2027-03-01"), Some(d("2027-03-20"))),
        ];
        let f = figures(&cohort, today);
        assert_eq!(
            f[0],
            Figure {
                months: 6,
                counted: 3,
                retained: 3
            }
        );
        assert_eq!(
            f[1],
            Figure {
                months: 12,
                counted: 2,
                retained: 1
            }
        );
        assert_eq!(
            f[2],
            Figure {
                months: 42,
                counted: 0,
                retained: 0
            }
        );
        assert_eq!(f[1].percent(), Some(50));
        assert_eq!(
            Figure {
                months: 6,
                counted: 3,
                retained: 2
            }
            .percent(),
            Some(67)
        );
        assert_eq!(f[2].percent(), None);
    }
}
