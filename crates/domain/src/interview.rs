//! Interviews: the times a company proposes, the accommodations it will provide, and the
//! iCalendar file (RFC 5545) a participant puts in their calendar.
//!
//! Times are local times in Japan (Asia/Tokyo, which has no daylight saving time), as the
//! participants read and write them.
use crate::profile::Date;
use serde::{Deserialize, Serialize};

/// The interview accommodations a company can offer (PRODUCT.md section 4).
pub const ACCOMMODATIONS: [&str; 5] = [
    "supporter_present",
    "sign_language",
    "written_questions",
    "breaks",
    "online",
];

/// A local date and time in Japan, to the minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
}

impl LocalTime {
    /// `YYYY-MM-DDTHH:MM` (what `<input type="datetime-local">` sends), or with a space.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (d, t) = s.split_once(['T', ' '])?;
        let date = Date::parse(d)?;
        let (h, m) = t.split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (hour, minute): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
        (hour < 24 && minute < 60).then_some(Self { date, hour, minute })
    }

    /// Minutes since 1970-01-01 00:00 local time (for ordering and adding lengths).
    fn minutes(self) -> i64 {
        days_from_civil(self.date) * 1440 + i64::from(self.hour) * 60 + i64::from(self.minute)
    }

    fn from_minutes(m: i64) -> Self {
        let (days, rest) = (m.div_euclid(1440), m.rem_euclid(1440));
        Self {
            date: civil_from_days(days),
            hour: (rest / 60) as u8,
            minute: (rest % 60) as u8,
        }
    }

    pub fn plus_minutes(self, m: u16) -> Self {
        Self::from_minutes(self.minutes() + i64::from(m))
    }

    /// The UTC instant, in seconds since the epoch (Japan is UTC+9 all year).
    pub fn unix(self) -> i64 {
        (self.minutes() - 9 * 60) * 60
    }

    /// The local time in Japan of a UTC instant.
    pub fn of_unix(secs: i64) -> Self {
        Self::from_minutes(secs.div_euclid(60) + 9 * 60)
    }

    /// `20261210T140000`, as iCalendar writes a local time.
    fn ical(self) -> String {
        format!(
            "{:04}{:02}{:02}T{:02}{:02}00",
            self.date.y, self.date.m, self.date.d, self.hour, self.minute
        )
    }
}

impl std::fmt::Display for LocalTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}T{:02}:{:02}", self.date, self.hour, self.minute)
    }
}

impl Date {
    /// The date `n` days later (earlier for a negative `n`).
    pub fn plus_days(self, n: i64) -> Date {
        civil_from_days(days_from_civil(self) + n)
    }
    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        days_from_civil(later) - days_from_civil(self)
    }
    /// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
    pub fn weekday(self) -> u8 {
        (days_from_civil(self) + 3).rem_euclid(7) as u8
    }
    /// Monday to Friday (public holidays are not known here).
    pub fn is_working_day(self) -> bool {
        self.weekday() < 5
    }
}

// Days from 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(d: Date) -> i64 {
    let (m, dd) = (i64::from(d.m), i64::from(d.d));
    let y = i64::from(d.y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + dd - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> Date {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = (yoe + era * 400 + i64::from(m <= 2)) as u16;
    Date { y, m, d }
}

/// One proposed time, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Slot {
    /// Local time in Japan, `YYYY-MM-DDTHH:MM`: a real date (leap years included,
    /// 1900–2100) and time.
    #[schema(value_type = String, pattern = r"^(?:(?:(?:19[0-9]{2}|20[0-9]{2}|2100)-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8])))|(?:(?:19(?:0[48]|[2468][048]|[13579][26])|20(?:[02468][048]|[13579][26]))-02-29))T(?:[01][0-9]|2[0-3]):[0-5][0-9]$", example = "2026-12-10T14:00")]
    pub starts_at: String,
    /// Length in minutes (15–240).
    #[schema(minimum = 15, maximum = 240)]
    pub minutes: u16,
    /// Where (an address or a room); empty for an online interview (give one of the two).
    #[schema(max_length = 200, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    pub place: String,
    /// The online meeting link (https); empty for an interview in person.
    #[schema(max_length = 500, pattern = r"^(?:https://[^\s\x00-\x1F\x7F-\x9F]+)?$")]
    pub online_url: String,
}

impl Slot {
    /// Checks one slot; `now` is the local time in Japan. Field codes name the problem.
    pub fn check(&self, now: LocalTime) -> Result<LocalTime, &'static str> {
        let t = LocalTime::parse(&self.starts_at).ok_or("slot-time-invalid")?;
        if t <= now {
            return Err("slot-in-past");
        }
        if !(15..=240).contains(&self.minutes) {
            return Err("slot-minutes-range");
        }
        let (place, url) = (self.place.trim(), self.online_url.trim());
        if place.is_empty() && url.is_empty() {
            return Err("slot-place-required");
        }
        if place.chars().count() > 200 || place.chars().any(char::is_control) {
            return Err("slot-place-invalid");
        }
        if !url.is_empty()
            && (!url.starts_with("https://")
                || url.len() > 500
                || url.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err("slot-url-invalid");
        }
        Ok(t)
    }
}

/// What the calendar file says of one interview.
pub struct IcsEvent<'a> {
    /// Stable across changes (the interview's id and the site's host).
    pub uid: String,
    /// How many times the interview changed (SEQUENCE).
    pub sequence: u32,
    pub start: LocalTime,
    pub minutes: u16,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub cancelled: bool,
    /// When the file is made (DTSTAMP), seconds since the epoch.
    pub stamp: i64,
}

/// RFC 5545 TEXT escaping.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => o.push_str("\\\\"),
            ';' => o.push_str("\\;"),
            ',' => o.push_str("\\,"),
            '\n' => o.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => o.push(c),
        }
    }
    o
}

/// Folds a content line at 75 octets (never inside a UTF-8 character), CRLF-ended.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for ch in line.chars() {
        let n = ch.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += n;
    }
    out.push_str("\r\n");
}

/// The interview as an iCalendar object: `METHOD:PUBLISH`, or `METHOD:CANCEL` with
/// `STATUS:CANCELLED` once cancelled; times in `TZID=Asia/Tokyo` with its VTIMEZONE.
pub fn ics(e: &IcsEvent<'_>) -> String {
    let end = e.start.plus_minutes(e.minutes);
    // DTSTAMP is in UTC.
    let utc = LocalTime::from_minutes(e.stamp.div_euclid(60));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".into(),
        "PRODID:-//Tsunagu//Interviews//JA".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("METHOD:{}", if e.cancelled { "CANCEL" } else { "PUBLISH" }),
        "BEGIN:VTIMEZONE".into(),
        "TZID:Asia/Tokyo".into(),
        "BEGIN:STANDARD".into(),
        "DTSTART:19700101T000000".into(),
        "TZOFFSETFROM:+0900".into(),
        "TZOFFSETTO:+0900".into(),
        "TZNAME:JST".into(),
        "END:STANDARD".into(),
        "END:VTIMEZONE".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", esc(&e.uid)),
        format!("SEQUENCE:{}", e.sequence),
        format!("DTSTAMP:{}Z", utc.ical()),
        format!("DTSTART;TZID=Asia/Tokyo:{}", e.start.ical()),
        format!("DTEND;TZID=Asia/Tokyo:{}", end.ical()),
        format!("SUMMARY:{}", esc(e.summary)),
    ];
    if !e.location.is_empty() {
        lines.push(format!("LOCATION:{}", esc(e.location)));
    }
    if !e.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", esc(e.description)));
    }
    if !e.url.is_empty() {
        lines.push(format!("URL:{}", e.url));
    }
    lines.push(format!(
        "STATUS:{}",
        if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(l, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> LocalTime {
        LocalTime::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    #[test]
    fn local_times_parse_add_and_convert() {
        assert_eq!(t("2026-12-10T14:00").to_string(), "2026-12-10T14:00");
        assert_eq!(
            t("2026-12-31 23:30").plus_minutes(45).to_string(),
            "2027-01-01T00:15"
        );
        assert_eq!(
            t("2028-02-28T23:00").plus_minutes(60).to_string(),
            "2028-02-29T00:00"
        );
        for bad in [
            "2026-12-10",
            "2026-12-10T24:00",
            "2026-02-30T10:00",
            "2026-12-10T9:00",
        ] {
            assert!(LocalTime::parse(bad).is_none(), "{bad}");
        }
        // 2026-12-10 14:00 in Tokyo is 05:00 UTC.
        assert_eq!(t("2026-12-10T14:00").unix(), 1_796_878_800);
        assert_eq!(LocalTime::of_unix(1_796_878_800), t("2026-12-10T14:00"));
    }

    #[test]
    fn slots_are_checked() {
        let now = t("2026-12-03T09:00");
        let ok = Slot {
            starts_at: "2026-12-10T14:00".into(),
            minutes: 60,
            place: "本社 3階".into(),
            online_url: String::new(),
        };
        assert!(ok.check(now).is_ok());
        let with = |f: &dyn Fn(&mut Slot)| {
            let mut s = ok.clone();
            f(&mut s);
            s.check(now).err()
        };
        assert_eq!(
            with(&|s| s.starts_at = "2026-12-02T10:00".into()),
            Some("slot-in-past")
        );
        assert_eq!(
            with(&|s| s.starts_at = "soon".into()),
            Some("slot-time-invalid")
        );
        assert_eq!(with(&|s| s.minutes = 5), Some("slot-minutes-range"));
        assert_eq!(with(&|s| s.place.clear()), Some("slot-place-required"));
        assert_eq!(
            with(&|s| s.online_url = "http://meet.example.jp/x".into()),
            Some("slot-url-invalid")
        );
    }

    #[test]
    fn ics_is_escaped_folded_and_cancellable() {
        let e = IcsEvent {
            uid: "abc@tsunagu.example".into(),
            sequence: 2,
            start: t("2026-12-10T14:00"),
            minutes: 90,
            summary: "面接: 事務補助, 株式会社つなぐ; 本社",
            location: "東京都千代田区一丁目一番地 つなぐビル三階 第一会議室（エレベーターあり）",
            description: "",
            url: "",
            cancelled: false,
            stamp: 1_796_878_800,
        };
        let s = ics(&e);
        assert!(s.contains("DTSTART;TZID=Asia/Tokyo:20261210T140000\r\n"));
        assert!(s.contains("DTEND;TZID=Asia/Tokyo:20261210T153000\r\n"));
        assert!(s.contains("DTSTAMP:20261210T050000Z\r\n"));
        assert!(s.contains("SUMMARY:面接: 事務補助\\, 株式会社つなぐ\\; 本社\r\n"));
        assert!(s.lines().all(|l| l.len() <= 75), "folded at 75 octets");
        assert!(s.contains("\r\n "), "the long location is folded");
        assert!(s.contains("METHOD:PUBLISH") && !s.contains("CANCEL"));
        let c = ics(&IcsEvent {
            cancelled: true,
            ..e
        });
        assert!(c.contains("METHOD:CANCEL\r\n") && c.contains("STATUS:CANCELLED\r\n"));
    }
}
