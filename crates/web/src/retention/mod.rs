//! Retention support after hiring (定着支援): the worker's daily check-in (a page made
//! for phones and for people who read little, and its API), the worker's history, the
//! worker's own items, and each other viewer's view of the check-ins through the
//! store's door (`store::disclosure::report`).
pub mod api;
pub mod figures;
pub mod monthly;
pub mod pages;
pub mod support;
pub mod team;

use crate::error::{Failure, WebResult};
use domain::profile::Date;

/// The longest range one request reads (a year and a day).
pub const MAX_RANGE_DAYS: i64 = 366;

/// The period of a history request: `from`–`to` (inclusive), by default the 31 days up
/// to today; checked in order and at most `MAX_RANGE_DAYS`.
pub fn range(from: Option<&str>, to: Option<&str>, today: Date) -> WebResult<(Date, Date)> {
    let parse = |field: &'static str, s: Option<&str>| -> WebResult<Option<Date>> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => Date::parse(s)
                .map(Some)
                .ok_or_else(|| Failure::field(field, "date-invalid")),
        }
    };
    let to = parse("to", to)?.unwrap_or(today);
    let from = parse("from", from)?.unwrap_or(to.plus_days(-30));
    if from.days_until(to) < 0 {
        return Err(Failure::field("to", "until-before-from"));
    }
    if from.days_until(to) >= MAX_RANGE_DAYS {
        return Err(Failure::field("to", "period-too-long"));
    }
    Ok((from, to))
}

/// What a refused check-in answers (API and page alike).
pub(crate) fn refused(r: store::retention::ReportRefused) -> Failure {
    use store::retention::ReportRefused as R;
    match r {
        R::NotFound => Failure::field("employment_id", "employment-unknown"),
        R::Closed => Failure::field("date", "report-day-closed"),
        R::SensitiveConsent => Failure::field("health", "report-sensitive-consent"),
        R::Invalid(f) => Failure::Fields(f),
    }
}
