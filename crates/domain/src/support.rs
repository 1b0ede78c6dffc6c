//! Retention support by the people around a worker: the facility's support records
//! (支援記録, append-only, a correction being a new version), the comments of the
//! supporter, the follow-up person and family, and THE early-warning rules (見守りの
//! きまり) with the stated way each one fires. Who reads which of these is in
//! `crate::disclosure` (the retention part), with every other disclosure rule.
use crate::profile::Date;
use crate::retention::{Attendance, MAX_TEXT, Report};
use crate::validate::Fields;
use serde::{Deserialize, Serialize};

/// What kind of support a record is of.
pub const RECORD_KINDS: [&str; 7] = [
    "interview",    // 面談
    "visit",        // 職場訪問
    "phone",        // 電話
    "email",        // メール
    "assessment",   // アセスメント
    "case_meeting", // ケース会議
    "other",        // その他
];

/// Who an agreed next action belongs to.
pub const OWNERS: [&str; 4] = ["worker", "supporter", "follow_up", "family"];

/// At most this many next actions in one record.
pub const MAX_ACTIONS: usize = 10;

/// An agreed next action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Action {
    pub what: String,
    /// `worker`, `supporter`, `follow_up` or `family`.
    pub owner: String,
    #[schema(value_type = String)]
    pub due: Date,
    #[serde(default)]
    pub done: bool,
}

/// The sealed part of a support record's version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RecordBody {
    /// What was done.
    pub done: String,
    /// The worker's own words.
    pub own_words: String,
    pub actions: Vec<Action>,
}

/// A support record as sent, before checking.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RecordDraft {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub done: String,
    #[serde(default)]
    pub own_words: String,
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub actions: Vec<ActionDraft>,
}

/// A next action as sent.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActionDraft {
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub done: bool,
}

fn text_ok(s: &str, max: usize) -> Result<(), &'static str> {
    if s.chars().count() > max {
        Err("text-too-long")
    } else if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        Err("text-invalid")
    } else {
        Ok(())
    }
}

/// Checks a support record: kind, a date not after `today`, what was done (required);
/// each action with what, owner and due date. Every problem tied to its field.
pub fn check_record(
    d: &RecordDraft,
    today: Date,
) -> Result<(&'static str, Date, RecordBody), Fields> {
    let mut f = Fields::new();
    let kind = RECORD_KINDS.iter().copied().find(|k| *k == d.kind.trim());
    if kind.is_none() {
        f.add(
            "kind",
            if d.kind.trim().is_empty() {
                "kind-required"
            } else {
                "choice-invalid"
            },
        );
    }
    let date = match Date::parse(&d.date) {
        None if d.date.trim().is_empty() => {
            f.add("date", "date-required");
            None
        }
        None => {
            f.add("date", "date-invalid");
            None
        }
        Some(x) if x > today => {
            f.add("date", "date-future");
            None
        }
        Some(x) => Some(x),
    };
    if d.done.trim().is_empty() {
        f.add("done", "text-required");
    }
    if let Err(e) = text_ok(&d.done, MAX_TEXT) {
        f.add("done", e);
    }
    if let Err(e) = text_ok(&d.own_words, MAX_TEXT) {
        f.add("own_words", e);
    }
    if d.actions.len() > MAX_ACTIONS {
        f.add("actions", "too-many");
    }
    let mut actions = Vec::new();
    for a in d.actions.iter().take(MAX_ACTIONS) {
        if a.what.trim().is_empty() && a.owner.trim().is_empty() && a.due.trim().is_empty() {
            continue;
        }
        if a.what.trim().is_empty() {
            f.add("actions", "action-what-required");
        } else if let Err(e) = text_ok(&a.what, 200) {
            f.add("actions", e);
        }
        let owner = OWNERS.iter().find(|o| **o == a.owner.trim());
        if owner.is_none() {
            f.add("actions", "action-owner-invalid");
        }
        let due = Date::parse(&a.due);
        if due.is_none() {
            f.add("actions", "action-due-invalid");
        }
        if let (Some(o), Some(due)) = (owner, due) {
            actions.push(Action {
                what: a.what.trim().to_owned(),
                owner: (*o).to_owned(),
                due,
                done: a.done,
            });
        }
    }
    f.into_result()?;
    match (kind, date) {
        (Some(k), Some(dt)) => Ok((
            k,
            dt,
            RecordBody {
                done: d.done.trim().to_owned(),
                own_words: d.own_words.trim().to_owned(),
                actions,
            },
        )),
        _ => Err(Fields::new()),
    }
}

/// The longest comment.
pub const MAX_COMMENT: usize = 500;

/// Checks a comment: not blank, not too long; on a day or on the week of a day.
pub fn check_comment(
    body: &str,
    period: &str,
    date: &str,
    today: Date,
) -> Result<(String, &'static str, Date), Fields> {
    let mut f = Fields::new();
    if body.trim().is_empty() {
        f.add("body", "text-required");
    } else if let Err(e) = text_ok(body, MAX_COMMENT) {
        f.add("body", e);
    }
    let period = match period.trim() {
        "" | "day" => Some("day"),
        "week" => Some("week"),
        _ => {
            f.add("period", "choice-invalid");
            None
        }
    };
    let day = if date.trim().is_empty() {
        Some(today)
    } else {
        match Date::parse(date) {
            Some(d) if d <= today => Some(d),
            Some(_) => {
                f.add("date", "date-future");
                None
            }
            None => {
                f.add("date", "date-invalid");
                None
            }
        }
    };
    f.into_result()?;
    match (period, day) {
        (Some(p), Some(d)) => {
            // A week is named by its Monday.
            let d = if p == "week" {
                d.plus_days(-i64::from(d.weekday()))
            } else {
                d
            };
            Ok((body.trim().to_owned(), p, d))
        }
        _ => Err(Fields::new()),
    }
}

/// Who an alert goes to first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Supporter,
    FollowUp,
}

impl Recipient {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Supporter => "supporter",
            Self::FollowUp => "follow_up",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "supporter" => Some(Self::Supporter),
            "follow_up" => Some(Self::FollowUp),
            _ => None,
        }
    }
    pub fn other(self) -> Self {
        match self {
            Self::Supporter => Self::FollowUp,
            Self::FollowUp => Self::Supporter,
        }
    }
}

/// One worker's early-warning rules, tuned by the supporter with the worker. A rule
/// whose number is 0 (or whose switch is off) is off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rules {
    /// Health at or below `health_level` …
    pub health_level: u8,
    /// … on this many check-ins in a row (0: off).
    pub health_days: u8,
    /// A falling trend of health over the last 7 days.
    pub health_trend: bool,
    /// Absences (欠勤) or lateness (遅刻) this many times …
    pub absence_count: u8,
    /// … within this many days.
    pub absence_window: u8,
    /// No check-in for this many working days (Monday–Friday; 0: off).
    pub silent_days: u8,
    /// "I want to talk to someone".
    pub talk: bool,
    /// A trouble at work chosen or written.
    pub trouble: bool,
    /// Who hears first.
    pub first: Recipient,
    /// Hours until an alert not acknowledged goes on to the other person.
    pub escalate_hours: u16,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            health_level: 2,
            health_days: 3,
            health_trend: true,
            absence_count: 3,
            absence_window: 14,
            silent_days: 3,
            talk: true,
            trouble: true,
            first: Recipient::Supporter,
            escalate_hours: 24,
        }
    }
}

/// The rules as sent, before checking (numbers as typed).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RulesDraft {
    pub health_level: Option<i64>,
    pub health_days: Option<i64>,
    #[serde(default)]
    pub health_trend: bool,
    pub absence_count: Option<i64>,
    pub absence_window: Option<i64>,
    pub silent_days: Option<i64>,
    #[serde(default)]
    pub talk: bool,
    #[serde(default)]
    pub trouble: bool,
    #[serde(default)]
    pub first: String,
    pub escalate_hours: Option<i64>,
}

/// Checks the rules; each number within its range, tied to its field.
pub fn check_rules(d: &RulesDraft) -> Result<Rules, Fields> {
    let mut f = Fields::new();
    let mut num = |field: &'static str, v: Option<i64>, lo: i64, hi: i64| -> i64 {
        match v {
            Some(n) if (lo..=hi).contains(&n) => n,
            None => {
                f.add(field, "number-required");
                lo
            }
            Some(_) => {
                f.add(field, "number-out-of-range");
                lo
            }
        }
    };
    let r = Rules {
        health_level: num("health_level", d.health_level, 1, 4) as u8,
        health_days: num("health_days", d.health_days, 0, 14) as u8,
        health_trend: d.health_trend,
        absence_count: num("absence_count", d.absence_count, 0, 10) as u8,
        absence_window: num("absence_window", d.absence_window, 1, 31) as u8,
        silent_days: num("silent_days", d.silent_days, 0, 10) as u8,
        talk: d.talk,
        trouble: d.trouble,
        first: Recipient::Supporter,
        escalate_hours: num("escalate_hours", d.escalate_hours, 1, 168) as u16,
    };
    let first = Recipient::parse(d.first.trim());
    if first.is_none() {
        f.add("first", "choice-invalid");
    }
    f.into_result()?;
    Ok(Rules {
        first: first.unwrap_or(Recipient::Supporter),
        ..r
    })
}

/// A rule of [`Rules`], as an alert names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    HealthLow,
    HealthTrend,
    Absences,
    Silent,
    Talk,
    Trouble,
}

impl Rule {
    pub const ALL: [Rule; 6] = [
        Self::HealthLow,
        Self::HealthTrend,
        Self::Absences,
        Self::Silent,
        Self::Talk,
        Self::Trouble,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HealthLow => "health_low",
            Self::HealthTrend => "health_trend",
            Self::Absences => "absences",
            Self::Silent => "silent",
            Self::Talk => "talk",
            Self::Trouble => "trouble",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
    /// What an alert of this rule says in one word, for a follow-up person who sees the
    /// check-ins as a summary only: `attendance`, `talk`, or `concern` (health and
    /// troubles, which that person does not see).
    pub fn topic(self) -> &'static str {
        match self {
            Self::Absences | Self::Silent => "attendance",
            Self::Talk => "talk",
            Self::HealthLow | Self::HealthTrend | Self::Trouble => "concern",
        }
    }
    /// Rules that read health (要配慮): they run only while the sensitive-data consent
    /// stands, as the check-ins' health is only kept then.
    pub fn reads_health(self) -> bool {
        matches!(self, Self::HealthLow | Self::HealthTrend)
    }
    /// Days after an alert of this rule in which the same rule does not fire again for
    /// the same worker (one alert per streak, window or week).
    pub fn quiet_days(self, r: &Rules) -> i64 {
        match self {
            Self::HealthLow => i64::from(r.health_days.max(1)),
            Self::HealthTrend => 7,
            Self::Absences => i64::from(r.absence_window),
            Self::Silent => i64::from(r.silent_days.max(1)),
            Self::Talk | Self::Trouble => 0,
        }
    }
}

/// THE rules raised with a check-in itself, in its transaction: the talk flag and a
/// trouble chosen or written.
pub fn on_report(rules: &Rules, r: &Report) -> Vec<Rule> {
    let mut out = Vec::new();
    if rules.talk && r.want_to_talk {
        out.push(Rule::Talk);
    }
    if rules.trouble && (!r.troubles.is_empty() || !r.trouble_note.is_empty()) {
        out.push(Rule::Trouble);
    }
    out
}

/// Least-squares slope of health per day over `(day index, health)` points.
fn slope(points: &[(i64, f64)]) -> f64 {
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0 as f64).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let num: f64 = points.iter().map(|p| (p.0 as f64 - mx) * (p.1 - my)).sum();
    let den: f64 = points.iter().map(|p| (p.0 as f64 - mx).powi(2)).sum();
    if den == 0.0 { 0.0 } else { num / den }
}

/// A falling trend: the slope of health over the 7 days to `today` is −0.25 a day or
/// steeper, on at least 4 check-ins, and the last one is 3 or lower.
pub const TREND_SLOPE: f64 = -0.25;

/// THE rules over days, as of `today` (the day the worker's sweep runs, in Japan).
/// `reports` are the worker's check-ins of this employment (any order, at least the
/// last 31 days); `start` is the employment's first day (no silence counted before it).
/// Returns the rules that hold now; whether each fires (not again within its quiet
/// days) is for the store, which knows the earlier alerts.
pub fn over_days(rules: &Rules, reports: &[(Date, Report)], start: Date, today: Date) -> Vec<Rule> {
    let mut days: Vec<&(Date, Report)> = reports.iter().filter(|(d, _)| *d <= today).collect();
    days.sort_by_key(|(d, _)| *d);
    let mut out = Vec::new();
    // Health at or below the level on the last N check-ins that have health, the
    // latest of them within N days.
    let n = usize::from(rules.health_days);
    if n > 0 {
        let with: Vec<(Date, u8)> = days
            .iter()
            .filter_map(|(d, r)| r.health.map(|h| (*d, h)))
            .collect();
        if with.len() >= n {
            let last = &with[with.len() - n..];
            let recent = last
                .last()
                .is_some_and(|(d, _)| d.days_until(today) < n as i64);
            if recent && last.iter().all(|(_, h)| *h <= rules.health_level) {
                out.push(Rule::HealthLow);
            }
        }
    }
    if rules.health_trend {
        let pts: Vec<(i64, f64)> = days
            .iter()
            .filter(|(d, _)| d.days_until(today) < 7)
            .filter_map(|(d, r)| r.health.map(|h| (today.days_until(*d), f64::from(h))))
            .collect();
        if pts.len() >= 4 && slope(&pts) <= TREND_SLOPE && pts.last().is_some_and(|p| p.1 <= 3.0) {
            out.push(Rule::HealthTrend);
        }
    }
    if rules.absence_count > 0 {
        let n = days
            .iter()
            .filter(|(d, _)| d.days_until(today) < i64::from(rules.absence_window))
            .filter(|(_, r)| matches!(r.attendance, Some(Attendance::Absent | Attendance::Late)))
            .count();
        if n >= usize::from(rules.absence_count) {
            out.push(Rule::Absences);
        }
    }
    if rules.silent_days > 0 {
        // Working days that passed whole (today's check-in may still come) since the
        // last check-in, or since the first day of work.
        let from = days
            .last()
            .map(|(d, _)| d.plus_days(1))
            .unwrap_or(start)
            .max(start);
        let mut missed = 0;
        let mut d = from;
        while d < today {
            if d.is_working_day() {
                missed += 1;
            }
            d = d.plus_days(1);
        }
        if missed >= i64::from(rules.silent_days) {
            out.push(Rule::Silent);
        }
    }
    out
}

/// Health was `level` or lower on how many of the last `n` check-ins that have health:
/// (count, of how many), for the three-party page's text summary.
pub fn low_count(reports: &[(Date, Report)], level: u8, n: usize) -> (usize, usize) {
    let mut hs: Vec<(Date, u8)> = reports
        .iter()
        .filter_map(|(d, r)| r.health.map(|h| (*d, h)))
        .collect();
    hs.sort_by_key(|(d, _)| *d);
    let last = &hs[hs.len().saturating_sub(n)..];
    (last.iter().filter(|(_, h)| *h <= level).count(), last.len())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn rep(health: Option<u8>, a: Attendance) -> Report {
        Report {
            attendance: Some(a),
            health,
            ..Report::default()
        }
    }

    fn fired(rules: &Rules, days: &[(&str, Option<u8>, Attendance)], today: &str) -> Vec<Rule> {
        let reps: Vec<(Date, Report)> = days.iter().map(|(s, h, a)| (d(s), rep(*h, *a))).collect();
        over_days(rules, &reps, d("2026-11-02"), d(today))
    }

    use Attendance::*;

    #[test]
    fn weekday_is_right() {
        assert_eq!(d("2026-12-07").weekday(), 0); // Monday
        assert_eq!(d("2026-12-06").weekday(), 6); // Sunday
        assert!(!d("2026-12-05").is_working_day());
    }

    #[test]
    fn health_low_needs_n_in_a_row_and_recent() {
        let r = Rules::default();
        let three = [
            ("2026-12-07", Some(2), Present),
            ("2026-12-08", Some(1), Present),
            ("2026-12-09", Some(2), Present),
        ];
        assert!(fired(&r, &three, "2026-12-09").contains(&Rule::HealthLow));
        // One better day breaks the streak.
        let broken = [three[0], ("2026-12-08", Some(3), Present), three[2]];
        assert!(!fired(&r, &broken, "2026-12-09").contains(&Rule::HealthLow));
        // Two only.
        assert!(!fired(&r, &three[1..], "2026-12-09").contains(&Rule::HealthLow));
        // A streak that ended long ago does not hold today.
        assert!(!fired(&r, &three, "2026-12-20").contains(&Rule::HealthLow));
        // Tuned: one low day is enough.
        let one = Rules {
            health_days: 1,
            ..r
        };
        assert!(fired(&one, &three[2..], "2026-12-09").contains(&Rule::HealthLow));
        let off = Rules {
            health_days: 0,
            ..r
        };
        assert!(!fired(&off, &three, "2026-12-09").contains(&Rule::HealthLow));
    }

    #[test]
    fn trend_falls() {
        let r = Rules {
            health_days: 0,
            ..Rules::default()
        };
        let falling = [
            ("2026-12-03", Some(5), Present),
            ("2026-12-04", Some(4), Present),
            ("2026-12-07", Some(3), Present),
            ("2026-12-08", Some(3), Present),
            ("2026-12-09", Some(2), Present),
        ];
        assert_eq!(fired(&r, &falling, "2026-12-09"), vec![Rule::HealthTrend]);
        let flat = [
            ("2026-12-04", Some(3), Present),
            ("2026-12-07", Some(3), Present),
            ("2026-12-08", Some(4), Present),
            ("2026-12-09", Some(3), Present),
        ];
        assert!(fired(&r, &flat, "2026-12-09").is_empty());
        // Three points are not a trend.
        assert!(fired(&r, &falling[2..], "2026-12-09").is_empty());
    }

    #[test]
    fn absences_in_a_window() {
        let r = Rules::default();
        let days = [
            ("2026-12-01", None, Absent),
            ("2026-12-04", None, Late),
            ("2026-12-08", None, Absent),
            ("2026-12-09", None, DayOff),
        ];
        assert!(fired(&r, &days, "2026-12-09").contains(&Rule::Absences));
        // The first absence fell out of the 14 days.
        assert!(!fired(&r, &days, "2026-12-15").contains(&Rule::Absences));
        // Planned days off and leaving early do not count.
        let off = [
            ("2026-12-07", None, DayOff),
            ("2026-12-08", None, EarlyLeave),
            ("2026-12-09", None, Absent),
        ];
        assert!(!fired(&r, &off, "2026-12-09").contains(&Rule::Absences));
    }

    #[test]
    fn silence_counts_working_days_passed() {
        let r = Rules::default();
        // Last check-in Friday 4th; Mon 7, Tue 8 passed; Wed 9 is today: 2 days.
        let days = [("2026-12-04", None, Present)];
        assert!(!fired(&r, &days, "2026-12-09").contains(&Rule::Silent));
        // Thursday 10th: Mon, Tue, Wed passed.
        assert!(fired(&r, &days, "2026-12-10").contains(&Rule::Silent));
        // Nothing before the first day of work counts.
        let reps: Vec<(Date, Report)> = vec![];
        assert!(over_days(&r, &reps, d("2026-12-09"), d("2026-12-10")).is_empty());
    }

    #[test]
    fn talk_and_trouble_fire_with_the_report() {
        let r = Rules::default();
        let mut rep = Report::default();
        assert!(on_report(&r, &rep).is_empty());
        rep.want_to_talk = true;
        rep.troubles = vec!["tired".into()];
        assert_eq!(on_report(&r, &rep), vec![Rule::Talk, Rule::Trouble]);
        let off = Rules {
            talk: false,
            trouble: false,
            ..r
        };
        assert!(on_report(&off, &rep).is_empty());
    }

    #[test]
    fn records_and_rules_check_each_field() {
        let today = d("2026-12-09");
        let e = check_record(&RecordDraft::default(), today).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| (x.field, x.code)).collect();
        assert!(fields.contains(&("kind", "kind-required")));
        assert!(fields.contains(&("date", "date-required")));
        assert!(fields.contains(&("done", "text-required")));
        let ok = RecordDraft {
            kind: "visit".into(),
            date: "2026-12-08".into(),
            done: "職場を訪ねた".into(),
            own_words: String::new(),
            actions: vec![ActionDraft {
                what: "面談".into(),
                owner: "supporter".into(),
                due: "2026-12-20".into(),
                done: false,
            }],
        };
        let (k, _, body) = check_record(&ok, today).unwrap();
        assert_eq!(k, "visit");
        assert_eq!(body.actions.len(), 1);
        let future = RecordDraft {
            date: "2026-12-10".into(),
            ..ok.clone()
        };
        assert_eq!(
            check_record(&future, today).unwrap_err().0[0].code,
            "date-future"
        );
        let bad = RulesDraft {
            health_level: Some(9),
            first: "boss".into(),
            ..RulesDraft::default()
        };
        let e = check_rules(&bad).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|x| x.field).collect();
        assert!(fields.contains(&"health_level"));
        assert!(fields.contains(&"first"));
        assert!(fields.contains(&"health_days"));
    }

    #[test]
    fn week_comments_name_the_monday() {
        let (_, p, day) =
            check_comment("がんばってるね", "week", "2026-12-09", d("2026-12-09")).unwrap();
        assert_eq!((p, day), ("week", d("2026-12-07")));
        assert!(check_comment(" ", "day", "", d("2026-12-09")).is_err());
    }
}

// ---- The monthly 支援レポート ----

/// The month's figures, drafted from its check-ins (what the supporter cannot change).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct MonthFacts {
    /// `YYYY-MM`.
    pub month: String,
    /// Days with a check-in.
    pub reported: u32,
    /// 出勤 (late and early leave included), 欠勤, 遅刻, 早退, 休み.
    pub worked: u32,
    pub absent: u32,
    pub late: u32,
    pub early_leave: u32,
    pub day_off: u32,
    /// Days worked of the days that were to be worked (planned days off aside), %.
    pub attendance_rate: Option<u32>,
    /// The month's average health (1–5, one decimal), and of its first and second half.
    pub health_avg: Option<f32>,
    pub health_first_half: Option<f32>,
    pub health_second_half: Option<f32>,
    /// `up`, `flat` or `down` (the second half against the first by half a step), or
    /// empty without health in both halves.
    pub health_trend: String,
}

fn avg(v: &[u8]) -> Option<f32> {
    (!v.is_empty()).then(|| {
        let s: u32 = v.iter().map(|x| u32::from(*x)).sum();
        (s as f32 / v.len() as f32 * 10.0).round() / 10.0
    })
}

/// THE month's figures, stated: attendance rate = days worked ÷ (days worked + days
/// absent), planned days off aside; the trend compares the average health of days 1–15
/// with the rest of the month: up or down by 0.5 or more, else flat.
pub fn month_facts(first: Date, reports: &[(Date, Report)]) -> MonthFacts {
    let mut f = MonthFacts {
        month: format!("{:04}-{:02}", first.y, first.m),
        ..MonthFacts::default()
    };
    let (mut all, mut a, mut b) = (vec![], vec![], vec![]);
    for (d, r) in reports {
        if d.y != first.y || d.m != first.m {
            continue;
        }
        f.reported += 1;
        match r.attendance {
            Some(Attendance::Present) => f.worked += 1,
            Some(Attendance::Late) => {
                f.worked += 1;
                f.late += 1;
            }
            Some(Attendance::EarlyLeave) => {
                f.worked += 1;
                f.early_leave += 1;
            }
            Some(Attendance::Absent) => f.absent += 1,
            Some(Attendance::DayOff) => f.day_off += 1,
            None => {}
        }
        if let Some(h) = r.health {
            all.push(h);
            if d.d <= 15 { a.push(h) } else { b.push(h) }
        }
    }
    let due = f.worked + f.absent;
    f.attendance_rate = (due > 0).then(|| (f.worked * 200 + due) / (due * 2));
    f.health_avg = avg(&all);
    f.health_first_half = avg(&a);
    f.health_second_half = avg(&b);
    f.health_trend = match (f.health_first_half, f.health_second_half) {
        (Some(x), Some(y)) if y - x >= 0.5 => "up".into(),
        (Some(x), Some(y)) if x - y >= 0.5 => "down".into(),
        (Some(_), Some(_)) => "flat".into(),
        _ => String::new(),
    };
    f
}

/// A monthly report: the figures and the supporter's words (drafted, then edited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
pub struct MonthlyBody {
    pub facts: MonthFacts,
    /// What was done this month (drafted from the month's support records).
    pub done: String,
    /// What is next (drafted from the open actions).
    pub next: String,
    /// The supporter's note.
    pub note: String,
}

/// Checks the supporter's words of a monthly report.
pub fn check_monthly(done: &str, next: &str, note: &str) -> Result<(), Fields> {
    let mut f = Fields::new();
    for (field, s) in [("done", done), ("next", next), ("note", note)] {
        if let Err(e) = text_ok(s, 2000) {
            f.add(field, e);
        }
    }
    f.into_result()
}

#[cfg(test)]
mod month_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_months_figures_by_hand() {
        let d = |s: &str| Date::parse(s).unwrap();
        let r = |a: Attendance, h: Option<u8>| Report {
            attendance: Some(a),
            health: h,
            ..Report::default()
        };
        use Attendance::*;
        let reports = vec![
            (d("2026-11-02"), r(Present, Some(2))),
            (d("2026-11-03"), r(Late, Some(3))),
            (d("2026-11-16"), r(Absent, Some(4))),
            (d("2026-11-17"), r(DayOff, None)),
            (d("2026-11-18"), r(EarlyLeave, Some(4))),
            (d("2026-12-01"), r(Absent, Some(1))),
        ];
        let f = month_facts(d("2026-11-01"), &reports);
        assert_eq!(f.month, "2026-11");
        assert_eq!(
            (
                f.reported,
                f.worked,
                f.absent,
                f.late,
                f.early_leave,
                f.day_off
            ),
            (5, 3, 1, 1, 1, 1)
        );
        // 3 worked of 4 to be worked: 75 %.
        assert_eq!(f.attendance_rate, Some(75));
        assert_eq!(f.health_avg, Some(3.3));
        assert_eq!(
            (f.health_first_half, f.health_second_half),
            (Some(2.5), Some(4.0))
        );
        assert_eq!(f.health_trend, "up");
        assert_eq!(month_facts(d("2026-10-01"), &reports).attendance_rate, None);
    }
}
