//! The door to a worker's daily check-ins: who reads which part of whose check-ins.
//!
//! For each request it gathers the facts from live rows (the employment and its
//! follow-up person, the supporter link, the family shares, the worker's
//! `follow_up_share` consent, the sensitive-data consent), asks `domain::disclosure`
//! (the check-in part) for the relationship and the parts, opens the sealed check-ins
//! and builds each day's view from those parts only; in the same transaction it writes
//! the access-log entry and, for a third party, the provision record of exactly the
//! parts shown.
use super::{Access, Disclosed, family_linked, log_read, record_provision};
use crate::consents::{active_of_kind, is_active, is_active_for};
use crate::error::{Result, StoreError};
use crate::orgs::org_of_kind;
use crate::schema::{daily_reports, employments, report_items};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::disclosure::{self, RItem, ReportFacts, ReportRel, SupportRights};
use domain::profile::Date;
use domain::retention::{ItemKind, Report};
use domain::{ConsentKind, OrgKind};
use std::collections::BTreeMap;

/// The check-ins of one employment as the viewer may see them.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportViews {
    pub employment_id: String,
    /// What the viewer sees: `full` (every part), `summary` (attendance and the day in
    /// one word) or `attendance`.
    pub view: String,
    /// The parts each day holds (`report_attendance`, `report_wellbeing`, …).
    pub parts: Vec<String>,
    /// Oldest first.
    #[schema(value_type = Vec<Object>)]
    pub days: Vec<serde_json::Map<String, serde_json::Value>>,
}

/// How a viewer stands to one employment's check-ins and the support around them,
/// from live rows.
#[derive(Debug, Clone)]
pub(crate) struct Standing {
    pub worker: String,
    /// The company of the employment.
    pub company: String,
    pub follow_up_user: String,
    pub start_date: String,
    /// The organisation through which the viewer stands (the facility, the company).
    pub via: Option<String>,
    pub rel: ReportRel,
    pub facts: ReportFacts,
    pub sensitive: bool,
}

impl Standing {
    pub fn rights(&self) -> SupportRights {
        disclosure::support_rights(self.rel, &self.facts, self.sensitive)
    }
}

/// How `viewer` stands to `employment`; `None` when there is no such employment.
pub(crate) fn report_standing(
    c: &mut DbConn,
    viewer: &str,
    employment: &str,
) -> Result<Option<Standing>> {
    let row: Option<(String, String, String, String, Option<i64>)> = employments::table
        .filter(employments::id.eq(employment))
        .select((
            employments::seeker_id,
            employments::org_id,
            employments::follow_up_user_id,
            employments::start_date,
            employments::ended_at,
        ))
        .first(c)
        .optional()?;
    let Some((worker, org, follow_up, start_date, ended)) = row else {
        return Ok(None);
    };
    let mut f = ReportFacts {
        oneself: viewer == worker,
        worker_closed: viewer != worker && crate::disclosure::withheld(c, &worker)?,
        ..ReportFacts::default()
    };
    let mut via = None;
    if !f.oneself {
        for fac in org_of_kind(c, viewer, OrgKind::Facility)? {
            if is_active_for(c, &worker, ConsentKind::SupporterLink, Some(&fac), None)? {
                f.linked_supporter = true;
                via = Some(fac);
            }
        }
        f.follow_up = viewer == follow_up && ended.is_none();
        if f.follow_up {
            let share = |c: &mut DbConn, scope| {
                is_active_for(
                    c,
                    &worker,
                    ConsentKind::FollowUpShare,
                    Some(&org),
                    Some(scope),
                )
            };
            f.follow_up_full = share(c, "daily_reports")?;
            f.follow_up_records = share(c, "support_records")?;
        }
        if family_linked(c, &worker, viewer)? {
            f.family_categories = active_of_kind(c, &worker, ConsentKind::FamilyShare)?
                .into_iter()
                .filter(|(r, _)| r.as_deref() == Some(viewer))
                .filter_map(|(_, s)| s)
                .collect();
        }
    }
    let rel = disclosure::report_relationship(&f);
    if matches!(rel, ReportRel::FollowUp { .. }) {
        via = Some(org.clone());
    }
    let sensitive = is_active(c, &worker, ConsentKind::SensitiveData)?;
    Ok(Some(Standing {
        worker,
        company: org,
        follow_up_user: follow_up,
        start_date,
        via,
        rel,
        facts: f,
        sensitive,
    }))
}

/// The labels of the worker's own items (id → label), retired ones included.
pub(crate) fn item_labels(
    c: &mut DbConn,
    keys: &Keyring,
    worker: &str,
) -> Result<BTreeMap<String, (String, ItemKind, bool)>> {
    let rows: Vec<(String, Vec<u8>, String, Option<i64>)> = report_items::table
        .filter(report_items::seeker_id.eq(worker))
        .order(report_items::created_at)
        .select((
            report_items::id,
            report_items::label_enc,
            report_items::kind,
            report_items::retired_at,
        ))
        .load(c)?;
    let mut out = BTreeMap::new();
    for (id, enc, kind, retired) in rows {
        let Some(kind) = ItemKind::parse(&kind) else {
            continue;
        };
        let label = keys.open_string("report_items", "label", &id, &enc)?;
        out.insert(id, (label, kind, retired.is_none()));
    }
    Ok(out)
}

/// The check-ins of `employment` from `from` to `to` (inclusive), each opened.
pub(crate) fn load_reports(
    c: &mut DbConn,
    keys: &Keyring,
    employment: &str,
    from: Date,
    to: Date,
) -> Result<Vec<(String, String, Report, i64)>> {
    let rows: Vec<(String, String, Vec<u8>, i64)> = daily_reports::table
        .filter(daily_reports::employment_id.eq(employment))
        .filter(daily_reports::day.ge(from.to_string()))
        .filter(daily_reports::day.le(to.to_string()))
        .order(daily_reports::day)
        .select((
            daily_reports::id,
            daily_reports::day,
            daily_reports::data_enc,
            daily_reports::updated_at,
        ))
        .load(c)?;
    let mut out = Vec::new();
    for (id, day, enc, at) in rows {
        let plain = keys.open("daily_reports", "data", &id, &enc)?;
        let r: Report =
            serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("report decoding"))?;
        out.push((id, day, r, at));
    }
    Ok(out)
}

/// THE read of an employment's check-ins. `None`: the viewer may see nothing (404).
/// Inside a write transaction.
pub(crate) fn view_reports_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    employment: &str,
    from: Date,
    to: Date,
) -> Result<Option<Disclosed<ReportViews>>> {
    let Some(st) = report_standing(c, a.viewer, employment)? else {
        return Ok(None);
    };
    let (worker, via, rel) = (st.worker, st.via, st.rel);
    let items = disclosure::report_items(rel, st.sensitive);
    if items.is_empty() {
        return Ok(None);
    }
    let labels: BTreeMap<String, String> = item_labels(c, keys, &worker)?
        .into_iter()
        .map(|(id, (label, _, _))| (id, label))
        .collect();
    let mut days = Vec::new();
    for (_, day, r, updated_at) in load_reports(c, keys, employment, from, to)? {
        let mut m = disclosure::report_view(&items, &r, &labels);
        m.insert("date".into(), serde_json::json!(day));
        m.insert("updated_at".into(), serde_json::json!(updated_at));
        days.push(m);
    }
    let names: Vec<&'static str> = items.iter().map(|i| i.as_str()).collect();
    if rel != ReportRel::Worker
        && !days.is_empty()
        && let Some(basis) = disclosure::report_provision_basis(rel)
    {
        record_provision(
            c,
            &worker,
            via.as_deref(),
            a.viewer,
            &names.join(","),
            basis,
            a.now,
        )?;
        log_read(c, a, &worker, "daily_reports.read", names.clone(), basis)?;
    }
    let view = if items.contains(&RItem::Wellbeing) {
        "full"
    } else if items.contains(&RItem::Summary) {
        "summary"
    } else {
        "attendance"
    };
    Ok(Some(Disclosed {
        view: ReportViews {
            employment_id: employment.to_owned(),
            view: view.into(),
            parts: names.iter().map(|s| s.to_string()).collect(),
            days,
        },
        items: names,
    }))
}
