//! The door to the support around a worker's employment: the facility's support records
//! (every version), the comments on the check-ins and the early-warning alerts.
//!
//! Each read gathers the viewer's standing from live rows (`report::report_standing`:
//! the same facts as the check-ins' door, and the worker's choice to share records),
//! asks `domain::disclosure::support_rights` what the viewer may read, opens only that,
//! and writes the access-log entry and, for a third party, the provision record in the
//! same transaction.
use super::report::{Standing, report_standing};
use super::{Access, Disclosed, log_read, record_provision};
use crate::consents::active_of_kind;
use crate::error::{Result, StoreError};
use crate::orgs::org_name;
use crate::schema::{alerts, memberships, report_comments, support_records};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::ConsentKind;
use domain::disclosure::{self, AlertsSeen, CommentsSeen, ReportRel};
use domain::support::{Action, Recipient, RecordBody, Rule};
use serde::Serialize;
use utoipa::ToSchema;

/// One version of a support record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordVersion {
    pub version: i32,
    /// `interview`, `visit`, `phone`, `email`, `assessment`, `case_meeting`, `other`.
    pub kind: String,
    pub date: String,
    /// What was done.
    pub done: String,
    /// The worker's own words.
    pub own_words: String,
    pub actions: Vec<Action>,
    /// The facility that wrote it.
    pub facility_name: String,
    pub created_at: i64,
}

/// A support record: its current version and every earlier one (newest first).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecordView {
    pub record_id: String,
    pub current: RecordVersion,
    pub earlier: Vec<RecordVersion>,
}

/// A comment on a day or a week of check-ins, with who said it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommentView {
    pub id: String,
    /// `supporter`, `follow_up` or `family`.
    pub role: String,
    /// The facility or the company the author speaks for (none for family).
    pub from: Option<String>,
    /// `day` or `week` (a week is named by its Monday).
    pub period: String,
    pub date: String,
    pub body: String,
    pub mine: bool,
    pub created_at: i64,
}

/// An early-warning alert as the viewer may read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertView {
    pub id: String,
    pub employment_id: String,
    /// The rule (`health_low`, `health_trend`, `absences`, `silent`, `talk`, `trouble`);
    /// absent for a viewer who reads the topic only.
    pub rule: Option<String>,
    /// `attendance`, `talk` or `concern`.
    pub topic: String,
    /// The day it is about.
    pub date: String,
    pub created_at: i64,
    /// `supporter` or `follow_up`: who heard first.
    pub first_to: String,
    /// It went on to the other person, unacknowledged.
    pub escalated: bool,
    pub acked_at: Option<i64>,
    /// `supporter` or `follow_up`.
    pub acked_by: Option<String>,
    pub ack_note: Option<String>,
    /// The viewer may acknowledge it now.
    pub can_ack: bool,
    /// The worker's name, in the list of alerts that reached the viewer (through the
    /// profile door); absent in an employment's own list.
    pub worker_name: Option<String>,
}

/// The role of a viewer among an alert's recipients.
pub(crate) fn recipient_role(rel: ReportRel) -> Option<Recipient> {
    match rel {
        ReportRel::Supporter => Some(Recipient::Supporter),
        ReportRel::FollowUp { .. } => Some(Recipient::FollowUp),
        _ => None,
    }
}

/// Whether an alert first sent to `first_to` has reached `role` (escalated or not).
pub(crate) fn reached(first_to: &str, escalated: bool, role: Recipient) -> bool {
    first_to == role.as_str() || escalated
}

/// The people an alert reaches in `role` now: the staff of the facilities the worker
/// links to, or the follow-up person.
pub(crate) fn people_in(c: &mut DbConn, st: &Standing, role: Recipient) -> Result<Vec<String>> {
    match role {
        Recipient::FollowUp => Ok(vec![st.follow_up_user.clone()]),
        Recipient::Supporter => {
            let mut out = Vec::new();
            for (fac, _) in active_of_kind(c, &st.worker, ConsentKind::SupporterLink)? {
                let Some(fac) = fac else { continue };
                let staff: Vec<String> = memberships::table
                    .filter(memberships::org_id.eq(&fac))
                    .filter(memberships::ended_at.is_null())
                    .select(memberships::user_id)
                    .load(c)?;
                for u in staff {
                    if !out.contains(&u) {
                        out.push(u);
                    }
                }
            }
            Ok(out)
        }
    }
}

fn third_party_read(
    c: &mut DbConn,
    a: &Access<'_>,
    st: &Standing,
    action: &str,
    item: &'static str,
) -> Result<()> {
    if st.rel == ReportRel::Worker {
        return Ok(());
    }
    if let Some(basis) = disclosure::report_provision_basis(st.rel) {
        record_provision(
            c,
            &st.worker,
            st.via.as_deref(),
            a.viewer,
            item,
            basis,
            a.now,
        )?;
        log_read(c, a, &st.worker, action, vec![item], basis)?;
    }
    Ok(())
}

/// THE read of an employment's support records. `None`: the viewer may not read them
/// (404). Inside a write transaction.
pub(crate) fn view_records_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    employment: &str,
) -> Result<Option<Disclosed<Vec<RecordView>>>> {
    let Some(st) = report_standing(c, a.viewer, employment)? else {
        return Ok(None);
    };
    if !st.rights().records {
        return Ok(None);
    }
    type Row = (String, String, i32, String, String, String, Vec<u8>, i64);
    let rows: Vec<Row> = support_records::table
        .filter(support_records::employment_id.eq(employment))
        .order((
            support_records::day.desc(),
            support_records::record_id,
            support_records::version.desc(),
        ))
        .select((
            support_records::id,
            support_records::record_id,
            support_records::version,
            support_records::facility_id,
            support_records::kind,
            support_records::day,
            support_records::data_enc,
            support_records::created_at,
        ))
        .load(c)?;
    let mut out: Vec<RecordView> = Vec::new();
    let mut names = std::collections::BTreeMap::new();
    for (id, record, version, fac, kind, day, enc, at) in rows {
        let plain = keys.open("support_records", "data", &id, &enc)?;
        let body: RecordBody =
            serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("record decoding"))?;
        if !names.contains_key(&fac) {
            let n = org_name(c, &fac)?.unwrap_or_default();
            names.insert(fac.clone(), n);
        }
        let v = RecordVersion {
            version,
            kind,
            date: day,
            done: body.done,
            own_words: body.own_words,
            actions: body.actions,
            facility_name: names.get(&fac).cloned().unwrap_or_default(),
            created_at: at,
        };
        match out.iter_mut().find(|r| r.record_id == record) {
            Some(r) => r.earlier.push(v),
            None => out.push(RecordView {
                record_id: record,
                current: v,
                earlier: Vec::new(),
            }),
        }
    }
    // The current version's date orders the list (a correction may move it).
    out.sort_by(|x, y| y.current.date.cmp(&x.current.date));
    if !out.is_empty() {
        third_party_read(c, a, &st, "support_records.read", "support_records")?;
    }
    Ok(Some(Disclosed {
        view: out,
        items: vec!["support_records"],
    }))
}

/// THE read of the comments on an employment's check-ins: as the viewer's row of the
/// support table says (the worker all, the supporter and the follow-up person each
/// other's, family their own). `None`: no comments for this viewer (404).
pub(crate) fn view_comments_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    employment: &str,
) -> Result<Option<Disclosed<Vec<CommentView>>>> {
    let Some(st) = report_standing(c, a.viewer, employment)? else {
        return Ok(None);
    };
    let seen = st.rights().comments;
    if seen == CommentsSeen::None {
        return Ok(None);
    }
    let mut q = report_comments::table
        .filter(report_comments::employment_id.eq(employment))
        .into_boxed();
    q = match seen {
        CommentsSeen::Own => q.filter(report_comments::author_id.eq(a.viewer.to_owned())),
        CommentsSeen::Team => q.filter(report_comments::role.eq_any(["supporter", "follow_up"])),
        _ => q,
    };
    type Row = (String, String, String, String, String, Vec<u8>, i64);
    let rows: Vec<Row> = q
        .order(report_comments::created_at)
        .select((
            report_comments::id,
            report_comments::author_id,
            report_comments::role,
            report_comments::period,
            report_comments::day,
            report_comments::body_enc,
            report_comments::created_at,
        ))
        .load(c)?;
    let mut out = Vec::new();
    for (id, author, role, period, day, enc, at) in rows {
        let from = match role.as_str() {
            "follow_up" => org_name(c, &st.company)?,
            "supporter" => {
                let facs: Vec<String> = memberships::table
                    .filter(memberships::user_id.eq(&author))
                    .select(memberships::org_id)
                    .load(c)?;
                let mut n = None;
                for f in facs {
                    if let Some(x) = crate::orgs::org_name(c, &f)? {
                        n = Some(x);
                        break;
                    }
                }
                n
            }
            _ => None,
        };
        out.push(CommentView {
            body: keys.open_string("report_comments", "body", &id, &enc)?,
            id,
            mine: author == a.viewer,
            role,
            from,
            period,
            date: day,
            created_at: at,
        });
    }
    // A comment is written by a party to the worker's support for the others (as a
    // message is): access-logged, never a provision record.
    if st.rel != ReportRel::Worker && out.iter().any(|x| !x.mine) {
        let purpose = disclosure::report_provision_basis(st.rel).unwrap_or("retention_support");
        log_read(
            c,
            a,
            &st.worker,
            "report_comments.read",
            vec!["report_comments"],
            purpose,
        )?;
    }
    Ok(Some(Disclosed {
        view: out,
        items: vec!["report_comments"],
    }))
}

/// THE read of an employment's alerts (open ones only, or all): the worker reads every
/// alert about them (without acknowledging); a recipient reads those that reached them,
/// in detail or by topic as the support table says. `None`: no alerts for this viewer.
pub(crate) fn view_alerts_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    employment: &str,
    open_only: bool,
) -> Result<Option<Disclosed<Vec<AlertView>>>> {
    let Some(st) = report_standing(c, a.viewer, employment)? else {
        return Ok(None);
    };
    let rights = st.rights();
    if rights.alerts == AlertsSeen::None {
        return Ok(None);
    }
    let role = recipient_role(st.rel);
    let mut q = alerts::table
        .filter(alerts::employment_id.eq(employment))
        .into_boxed();
    if open_only {
        q = q.filter(alerts::acked_at.is_null());
    }
    type Row = (
        String,
        String,
        String,
        String,
        Option<i64>,
        i64,
        Option<i64>,
        Option<String>,
        Option<Vec<u8>>,
    );
    let rows: Vec<Row> = q
        .order(alerts::created_at.desc())
        .select((
            alerts::id,
            alerts::rule,
            alerts::day,
            alerts::first_to,
            alerts::escalated_at,
            alerts::created_at,
            alerts::acked_at,
            alerts::acked_by,
            alerts::ack_note_enc,
        ))
        .load(c)?;
    let mut out = Vec::new();
    for (id, rule, day, first_to, escalated_at, at, acked_at, acked_by, note) in rows {
        let Some(r) = Rule::parse(&rule) else {
            continue;
        };
        let escalated = escalated_at.is_some();
        if let Some(role) = role
            && !reached(&first_to, escalated, role)
        {
            continue;
        }
        let acked_by = match acked_by {
            Some(u) if u == st.follow_up_user => Some("follow_up".to_owned()),
            Some(_) => Some("supporter".to_owned()),
            None => None,
        };
        // The note may say more than the topic: for detail readers only.
        let ack_note = match note {
            Some(enc) if rights.alerts == AlertsSeen::Detail => {
                Some(keys.open_string("alerts", "ack_note", &id, &enc)?)
            }
            _ => None,
        };
        out.push(AlertView {
            employment_id: employment.to_owned(),
            rule: (rights.alerts == AlertsSeen::Detail).then(|| r.as_str().to_owned()),
            topic: r.topic().to_owned(),
            date: day,
            created_at: at,
            first_to,
            escalated,
            can_ack: rights.acknowledge && acked_at.is_none(),
            acked_at,
            acked_by,
            ack_note,
            id,
            worker_name: None,
        });
    }
    if !out.is_empty() {
        third_party_read(c, a, &st, "support_alerts.read", "support_alerts")?;
    }
    Ok(Some(Disclosed {
        view: out,
        items: vec!["support_alerts"],
    }))
}

/// The worker's name for a viewer of the three-party page, through the profile door
/// (logged there); `None` where the profile policy shows no name.
pub(crate) fn worker_name_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    worker: &str,
    today: domain::profile::Date,
) -> Result<Option<String>> {
    use super::{Want, view_seeker_tx};
    use domain::disclosure::PItem;
    // The view's name: the profile's, else the account's (the door's own fallback).
    Ok(
        view_seeker_tx(c, keys, a, worker, Want::Only(&[PItem::Name]), today)?.and_then(|d| {
            d.view()
                .fields
                .get("name")
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        }),
    )
}

/// A monthly report as the viewer may read it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MonthlyView {
    pub employment_id: String,
    /// `YYYY-MM`.
    pub month: String,
    pub body: domain::support::MonthlyBody,
    /// Not saved yet: a draft computed now, for the facility to edit.
    pub fresh: bool,
    /// When the worker confirmed it (`None`: not yet, or edited since).
    pub confirmed_at: Option<i64>,
    pub to_follow_up: bool,
    pub to_family: bool,
    /// The viewer may edit it (the linked facility) or confirm it (the worker).
    pub can_edit: bool,
    pub can_confirm: bool,
    /// For a fresh draft: the month's records (date, kind, what was done) and the open
    /// actions, for the page to word in the reader's language.
    pub draft_records: Vec<(String, String, String)>,
    pub draft_actions: Vec<domain::support::Action>,
}

/// A month's draft: the figures, and the records and open actions it is written from.
pub(crate) struct Draft {
    pub body: domain::support::MonthlyBody,
    pub records: Vec<(String, String, String)>,
    pub actions: Vec<domain::support::Action>,
}

/// The month's draft from its check-ins, the facility's records of the month and the
/// open actions (the facility's and the worker's reading; no log of its own).
pub(crate) fn draft_month(
    c: &mut DbConn,
    keys: &Keyring,
    employment: &str,
    first: domain::profile::Date,
) -> Result<Draft> {
    use super::report::load_reports;
    let last = domain::retention::plus_months(first, 1).plus_days(-1);
    let reports: Vec<(domain::profile::Date, domain::retention::Report)> =
        load_reports(c, keys, employment, first, last)?
            .into_iter()
            .filter_map(|(_, d, r, _)| domain::profile::Date::parse(&d).map(|d| (d, r)))
            .collect();
    let facts = domain::support::month_facts(first, &reports);
    // The current version of each record.
    let rows: Vec<(String, String, i32, String, String, Vec<u8>)> = support_records::table
        .filter(support_records::employment_id.eq(employment))
        .order((support_records::day, support_records::version.desc()))
        .select((
            support_records::id,
            support_records::record_id,
            support_records::version,
            support_records::kind,
            support_records::day,
            support_records::data_enc,
        ))
        .load(c)?;
    let mut seen = std::collections::BTreeSet::new();
    let (mut done, mut next) = (Vec::new(), Vec::new());
    for (id, record, _, kind, day, enc) in rows {
        if !seen.insert(record) {
            continue;
        }
        let plain = keys.open("support_records", "data", &id, &enc)?;
        let body: RecordBody =
            serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("record decoding"))?;
        if day.starts_with(&facts.month) {
            done.push((day, kind, body.done));
        }
        next.extend(body.actions.into_iter().filter(|a| !a.done));
    }
    Ok(Draft {
        body: domain::support::MonthlyBody {
            facts,
            ..domain::support::MonthlyBody::default()
        },
        records: done,
        actions: next,
    })
}

/// THE read of a monthly report. `None`: the viewer may not read it, or (for anyone
/// but the facility) it was not written yet. Inside a write transaction.
pub(crate) fn view_monthly_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    employment: &str,
    first: domain::profile::Date,
) -> Result<Option<Disclosed<MonthlyView>>> {
    use crate::schema::monthly_reports as m;
    let Some(st) = report_standing(c, a.viewer, employment)? else {
        return Ok(None);
    };
    let month = format!("{:04}-{:02}", first.y, first.m);
    type Row = (String, Vec<u8>, Option<i64>, bool, bool);
    let row: Option<Row> = m::table
        .filter(m::employment_id.eq(employment))
        .filter(m::month.eq(&month))
        .select((
            m::id,
            m::body_enc,
            m::confirmed_at,
            m::to_follow_up,
            m::to_family,
        ))
        .first(c)
        .optional()?;
    let (confirmed, to_fu, to_fam) = row
        .as_ref()
        .map(|(_, _, c, f, k)| (c.is_some(), *f, *k))
        .unwrap_or((false, false, false));
    if !disclosure::monthly_visible(st.rel, confirmed, to_fu, to_fam, st.sensitive) {
        return Ok(None);
    }
    let supporter = st.rel == ReportRel::Supporter;
    let (body, fresh, confirmed_at, records, actions) = match row {
        Some((id, enc, at, _, _)) => {
            let plain = keys.open("monthly_reports", "body", &id, &enc)?;
            let body = serde_json::from_slice(&plain)
                .map_err(|_| StoreError::Crypto("monthly report decoding"))?;
            (body, false, at, vec![], vec![])
        }
        None if supporter || st.rel == ReportRel::Worker => {
            let d = draft_month(c, keys, employment, first)?;
            (d.body, true, None, d.records, d.actions)
        }
        None => return Ok(None),
    };
    third_party_read(c, a, &st, "monthly_report.read", "monthly_report")?;
    Ok(Some(Disclosed {
        view: MonthlyView {
            employment_id: employment.to_owned(),
            month,
            body,
            fresh,
            confirmed_at,
            to_follow_up: to_fu,
            to_family: to_fam,
            can_edit: supporter,
            can_confirm: st.rel == ReportRel::Worker && !fresh,
            draft_records: records,
            draft_actions: actions,
        },
        items: vec!["monthly_report"],
    }))
}
