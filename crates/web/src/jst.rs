//! Dates and times as people in Japan read them: the one place that knows the offset
//! (+09:00, no daylight saving) and how a date is written in each language.
use crate::i18n::Lang;
use crate::now;
use domain::profile::Date;

/// The offset of Japan Standard Time.
pub const JST: time::UtcOffset = time::macros::offset!(+9);

/// A Unix time as a date-time in Japan.
pub fn at(ts: i64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .map(|t| t.to_offset(JST))
}

/// Today's date in Japan (ages, reminders).
pub fn today() -> Date {
    let t = at(now()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    Date {
        y: t.year() as u16,
        m: u8::from(t.month()),
        d: t.day(),
    }
}

/// A date as a line of text: 2026年12月2日, or 2026-12-02 in English.
pub fn date_text(ts: i64, lang: Lang) -> String {
    let Some(t) = at(ts) else {
        return String::new();
    };
    match lang {
        Lang::Ja | Lang::Easy => format!("{}年{}月{}日", t.year(), u8::from(t.month()), t.day()),
        Lang::En => format!("{}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
    }
}

/// A calendar day as a line of text, as [`date_text`] writes dates.
pub fn day_text(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Ja | Lang::Easy => format!("{}年{}月{}日", d.y, d.m, d.d),
        Lang::En => d.to_string(),
    }
}

/// A time as a line of text, to the minute, in Japan time.
pub fn format_time(ts: i64, lang: Lang) -> String {
    let Some(t) = at(ts) else {
        return String::new();
    };
    match lang {
        Lang::Ja | Lang::Easy => format!(
            "{}年{}月{}日 {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
        Lang::En => format!(
            "{}-{:02}-{:02} {:02}:{:02} JST",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        ),
    }
}

/// A time as RFC 3339 in Japan time (for machine-readable data such as JSON-LD).
pub fn rfc3339(ts: i64) -> String {
    at(ts)
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}
