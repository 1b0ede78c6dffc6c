//! The door of the anonymised statistics: the one place that reads many people's
//! profiles at once, for counts only. Who is counted and which items are read is
//! `domain::disclosure` (`counted_in_statistics`, `STATISTICS_ITEMS`); the tables are
//! protected by `domain::statistics::protect` before anything leaves this module, and
//! each build is one audit-log entry (who, the items, how many people; no one's data).
use super::load_profile;
use crate::accounts::Ctx;
use crate::audit::{self, Entry};
use crate::consents::is_active;
use crate::error::Result;
use crate::schema::{employments, users};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::ConsentKind;
use domain::disclosure::{STATISTICS_ITEMS, counted_in_statistics};
use domain::profile::Date;
use domain::statistics::{Counts, Kind, LEFT, MULTIPLE, RETAINED, Table, UNKNOWN, protect};
use std::collections::BTreeMap;

/// The protected tables of every kind (a table with fewer than k people in all is left
/// out), and how many people were counted.
pub struct Built {
    pub tables: Vec<Table>,
    pub people: u32,
}

/// Counts every hire of a person who is counted, protects the tables with `k`, and
/// logs the build as `statistics.build` by `viewer`.
pub(crate) fn build_tx(
    c: &mut DbConn,
    keys: &Keyring,
    viewer: &str,
    k: u32,
    today: Date,
    ctx: &Ctx,
    now: i64,
) -> Result<Built> {
    let hires: Vec<(String, String, Option<String>)> = employments::table
        .inner_join(users::table.on(users::id.eq(employments::seeker_id)))
        .filter(users::erased_at.is_null())
        .order((employments::start_date, employments::id))
        .select((
            employments::seeker_id,
            employments::start_date,
            employments::end_date,
        ))
        .load(c)?;
    let categories: Vec<String> = domain::profile::DisabilityCategory::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .chain([MULTIPLE.to_owned()])
        .collect();
    // (prefecture row) → counts per category column; accommodation → (retained, left).
    let mut by_pref: BTreeMap<(u8, String), Vec<u32>> = BTreeMap::new();
    let mut by_acc: BTreeMap<String, [u32; 2]> = BTreeMap::new();
    let mut people = std::collections::BTreeSet::new();
    for (seeker, start, end) in hires {
        if !counted_in_statistics(is_active(c, &seeker, ConsentKind::SensitiveData)?) {
            continue;
        }
        let p = load_profile(c, keys, &seeker)?;
        people.insert(seeker);
        let cats: Vec<_> = p
            .disability
            .as_ref()
            .map(|d| d.categories.clone())
            .unwrap_or_default();
        if let Some(col) = domain::statistics::category_column(&cats) {
            let pref = p.basic.as_ref().and_then(|b| b.prefecture);
            let row = match pref {
                Some(code) => (code, code.to_string()),
                None => (u8::MAX, UNKNOWN.to_owned()),
            };
            let cells = by_pref
                .entry(row)
                .or_insert_with(|| vec![0; categories.len()]);
            if let Some(i) = categories.iter().position(|c| *c == col) {
                cells[i] += 1;
            }
        }
        let (Some(start), end) = (Date::parse(&start), end.as_deref().and_then(Date::parse)) else {
            continue;
        };
        let six = domain::retention::figures(&[(start, end)], today)
            .into_iter()
            .find(|f| f.months == 6);
        if let Some(f) = six.filter(|f| f.counted == 1) {
            let codes = p
                .accommodations
                .as_ref()
                .map(|a| a.codes.clone())
                .unwrap_or_default();
            for code in codes {
                let e = by_acc.entry(code).or_insert([0, 0]);
                e[usize::from(f.retained == 0)] += 1;
            }
        }
    }
    let hires = Counts {
        kind: Kind::HiresByDisability,
        rows: by_pref.keys().map(|(_, k)| k.clone()).collect(),
        cols: categories,
        cells: by_pref.into_values().collect(),
    };
    let retention = Counts {
        kind: Kind::RetentionByAccommodation,
        rows: by_acc.keys().cloned().collect(),
        cols: vec![RETAINED.to_owned(), LEFT.to_owned()],
        cells: by_acc.into_values().map(|v| v.to_vec()).collect(),
    };
    let tables = [hires, retention]
        .iter()
        .filter(|t| !t.rows.is_empty())
        .filter_map(|t| protect(t, k))
        .collect();
    audit::append(
        c,
        now,
        Entry {
            actor_id: Some(viewer.to_owned()),
            action: "statistics.build".into(),
            items: STATISTICS_ITEMS.iter().map(|i| i.as_str()).collect(),
            purpose: format!("anonymised_statistics:{}", people.len()),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            ..Entry::default()
        },
    )?;
    Ok(Built {
        tables,
        people: people.len() as u32,
    })
}
