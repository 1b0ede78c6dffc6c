//! Retention support after hiring (定着支援): the worker's daily check-in (one per
//! employment and day, sealed with the worker's key, replaced when sent again the same
//! day, a replay of the same write changing nothing), the worker's own items, and what
//! the worker lets the follow-up person see. Every read by someone else goes through
//! `disclosure::report`.
use crate::accounts::Ctx;
use crate::audit::own_act;
use crate::consents::{give_for, is_active, is_active_for, withdraw_for};
use crate::disclosure::report::{ReportViews, item_labels, load_reports, view_reports_tx};
use crate::disclosure::{Access, Disclosed};
use crate::error::{Result, StoreError};
use crate::orgs::{org_name, org_of_kind};
use crate::schema::{daily_reports, employments, report_items};
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::interview::LocalTime;
use domain::profile::Date;
use domain::retention::{self, Draft, ItemKind, Report};
use domain::{ConsentKind, Fields, OrgKind};
use std::collections::BTreeMap;

/// One of the worker's own check-in items.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OwnItem {
    pub id: String,
    pub label: String,
    #[schema(value_type = String)]
    pub kind: &'static str,
}

/// A check-in as its worker reads it back.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MyReport {
    pub id: String,
    pub employment_id: String,
    pub date: String,
    #[schema(value_type = String)]
    pub attendance: Option<&'static str>,
    pub clock_in: Option<String>,
    pub clock_out: Option<String>,
    pub health: Option<u8>,
    pub sleep_hours: Option<f32>,
    pub mood: Option<u8>,
    pub note: String,
    pub troubles: Vec<String>,
    pub trouble_note: String,
    pub want_to_talk: bool,
    #[schema(value_type = Object)]
    pub items: BTreeMap<String, serde_json::Value>,
    /// The day in one word, as a follow-up person seeing the summary reads it.
    #[schema(value_type = String)]
    pub summary: &'static str,
    pub updated_at: i64,
}

impl MyReport {
    fn of(id: String, employment_id: String, date: String, r: Report, updated_at: i64) -> Self {
        Self {
            id,
            employment_id,
            date,
            attendance: r.attendance.map(|a| a.as_str()),
            clock_in: r.clock_in.map(|t| t.to_string()),
            clock_out: r.clock_out.map(|t| t.to_string()),
            health: r.health,
            sleep_hours: r.sleep_hours,
            mood: r.mood,
            summary: retention::summary(&r).as_str(),
            note: r.note,
            troubles: r.troubles,
            trouble_note: r.trouble_note,
            want_to_talk: r.want_to_talk,
            items: r.items,
            updated_at,
        }
    }
}

/// An employment of the worker that stands, as the check-in page offers it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct WorkPlace {
    pub employment_id: String,
    pub company_id: String,
    pub company_name: String,
    pub start_date: String,
    /// The worker lets this company's follow-up person see whole check-ins.
    pub follow_up_full: bool,
    /// The worker lets this company's follow-up person read the support records.
    pub follow_up_records: bool,
}

/// Why a check-in was not saved.
#[derive(Debug)]
pub enum ReportRefused {
    /// Not a standing employment of the worker (404).
    NotFound,
    /// The day is past its time to write (or still to come).
    Closed,
    /// Health, sleep, mood and own items need the sensitive-data consent.
    SensitiveConsent,
    /// Field by field.
    Invalid(Fields),
}

/// What a save did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub report_id: String,
    /// A new check-in for the day (else the day's check-in was replaced).
    pub created: bool,
    /// The same write arrived again (same idempotency key): nothing changed.
    pub replayed: bool,
}

fn own_items(c: &mut crate::DbConn, keys: &crate::Keyring, worker: &str) -> Result<Vec<OwnItem>> {
    Ok(item_labels(c, keys, worker)?
        .into_iter()
        .filter(|(_, (_, _, live))| *live)
        .map(|(id, (label, kind, _))| OwnItem {
            id,
            label,
            kind: kind.as_str(),
        })
        .collect())
}

impl Store {
    /// The worker's standing employments, newest first.
    pub async fn work_places(&self, worker: String) -> Result<Vec<WorkPlace>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String)> = employments::table
                    .filter(employments::seeker_id.eq(&worker))
                    .filter(employments::ended_at.is_null())
                    .order(employments::created_at.desc())
                    .select((
                        employments::id,
                        employments::org_id,
                        employments::start_date,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, org, start) in rows {
                    let mut share = |scope| {
                        is_active_for(
                            c,
                            &worker,
                            ConsentKind::FollowUpShare,
                            Some(&org),
                            Some(scope),
                        )
                    };
                    out.push(WorkPlace {
                        follow_up_full: share("daily_reports")?,
                        follow_up_records: share("support_records")?,
                        company_name: org_name(c, &org)?.unwrap_or_default(),
                        employment_id: id,
                        company_id: org,
                        start_date: start,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Saves the worker's check-in of `day` (replacing that day's). A write carrying the
    /// idempotency key of the day's last write changes nothing and answers as before.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_report(
        &self,
        worker: String,
        employment: String,
        day: Date,
        draft: Draft,
        idempotency_key: Option<String>,
        notice: crate::selection::Notice,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<Saved, ReportRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let mine: i64 = employments::table
                    .filter(employments::id.eq(&employment))
                    .filter(employments::seeker_id.eq(&worker))
                    .filter(employments::ended_at.is_null())
                    .count()
                    .get_result(c)?;
                if mine == 0 {
                    return Ok(Err(ReportRefused::NotFound));
                }
                let existing: Option<(String, Option<String>)> = daily_reports::table
                    .filter(daily_reports::employment_id.eq(&employment))
                    .filter(daily_reports::day.eq(day.to_string()))
                    .select((daily_reports::id, daily_reports::idempotency_key))
                    .first(c)
                    .optional()?;
                if let (Some((id, Some(k))), Some(key)) = (&existing, &idempotency_key)
                    && k == key
                {
                    return Ok(Ok(Saved {
                        report_id: id.clone(),
                        created: false,
                        replayed: true,
                    }));
                }
                if !retention::writable(day, LocalTime::of_unix(now)) {
                    return Ok(Err(ReportRefused::Closed));
                }
                // The kinds of the worker's live items (their labels stay sealed).
                let kinds: BTreeMap<String, ItemKind> = report_items::table
                    .filter(report_items::seeker_id.eq(&worker))
                    .filter(report_items::retired_at.is_null())
                    .select((report_items::id, report_items::kind))
                    .load::<(String, String)>(c)?
                    .into_iter()
                    .filter_map(|(id, k)| ItemKind::parse(&k).map(|k| (id, k)))
                    .collect();
                let report = match retention::check(&draft, &kinds) {
                    Ok(r) => r,
                    Err(f) => return Ok(Err(ReportRefused::Invalid(f))),
                };
                let health_data = report.health.is_some()
                    || report.sleep_hours.is_some()
                    || report.mood.is_some()
                    || !report.items.is_empty();
                if health_data && !is_active(c, &worker, ConsentKind::SensitiveData)? {
                    return Ok(Err(ReportRefused::SensitiveConsent));
                }
                let created = existing.is_none();
                let id = existing.map(|(id, _)| id).unwrap_or_else(new_id);
                let json = serde_json::to_string(&report)
                    .map_err(|_| StoreError::Crypto("report encoding"))?;
                let sealed =
                    keys.subject_key(&worker)?
                        .seal_str("daily_reports", "data", &id, &json)?;
                if created {
                    diesel::insert_into(daily_reports::table)
                        .values((
                            daily_reports::id.eq(&id),
                            daily_reports::employment_id.eq(&employment),
                            daily_reports::seeker_id.eq(&worker),
                            daily_reports::day.eq(day.to_string()),
                            daily_reports::data_enc.eq(sealed),
                            daily_reports::idempotency_key.eq(&idempotency_key),
                            daily_reports::created_at.eq(now),
                            daily_reports::updated_at.eq(now),
                        ))
                        .execute(c)?;
                } else {
                    diesel::update(daily_reports::table.filter(daily_reports::id.eq(&id)))
                        .set((
                            daily_reports::data_enc.eq(sealed),
                            daily_reports::idempotency_key.eq(&idempotency_key),
                            daily_reports::updated_at.eq(now),
                        ))
                        .execute(c)?;
                }
                own_act(c, &worker, "daily_report.save".into(), &ctx, now)?;
                // The talk flag and a trouble raise their alert with the check-in.
                crate::support::raise_on_report(
                    c,
                    &keys,
                    &employment,
                    &worker,
                    day,
                    &report,
                    &notice,
                    now,
                )?;
                Ok(Ok(Saved {
                    report_id: id,
                    created,
                    replayed: false,
                }))
            })
            .await
    }

    /// The worker's own check-ins from `from` to `to`, oldest first (no log: their own).
    pub async fn my_reports(&self, worker: String, from: Date, to: Date) -> Result<Vec<MyReport>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let jobs: Vec<String> = employments::table
                    .filter(employments::seeker_id.eq(&worker))
                    .select(employments::id)
                    .load(c)?;
                let mut out = Vec::new();
                for job in jobs {
                    for (id, day, r, at) in load_reports(c, &keys, &job, from, to)? {
                        out.push(MyReport::of(id, job.clone(), day, r, at));
                    }
                }
                out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
                Ok(out)
            })
            .await
    }

    /// An employment's check-ins as `viewer` may see them (logged and recorded), or
    /// `None` (404).
    #[allow(clippy::too_many_arguments)]
    pub async fn employment_reports(
        &self,
        viewer: String,
        employment: String,
        from: Date,
        to: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<ReportViews>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "daily_reports", &ctx, now);
                view_reports_tx(c, &keys, &a, &employment, from, to)
            })
            .await
    }

    /// The worker of an employment (to address their items; reveals nothing).
    pub async fn employment_worker(&self, employment: String) -> Result<Option<String>> {
        self.db
            .read(move |c| {
                Ok(employments::table
                    .filter(employments::id.eq(&employment))
                    .select(employments::seeker_id)
                    .first(c)
                    .optional()?)
            })
            .await
    }

    /// The worker's own items (those not retired).
    pub async fn own_items(&self, worker: String) -> Result<Vec<OwnItem>> {
        let keys = self.keys.clone();
        self.db.read(move |c| own_items(c, &keys, &worker)).await
    }

    /// Adds an item to `worker`'s check-in, by the worker or by staff of a facility the
    /// worker links to. `None`: the actor may not.
    pub async fn add_own_item(
        &self,
        actor: String,
        worker: String,
        label: String,
        kind: ItemKind,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let mut allowed = actor == worker;
                for fac in org_of_kind(c, &actor, OrgKind::Facility)? {
                    allowed |=
                        is_active_for(c, &worker, ConsentKind::SupporterLink, Some(&fac), None)?;
                }
                if !allowed {
                    return Ok(None);
                }
                let id = new_id();
                let sealed =
                    keys.subject_key(&worker)?
                        .seal_str("report_items", "label", &id, &label)?;
                diesel::insert_into(report_items::table)
                    .values((
                        report_items::id.eq(&id),
                        report_items::seeker_id.eq(&worker),
                        report_items::label_enc.eq(sealed),
                        report_items::kind.eq(kind.as_str()),
                        report_items::created_by.eq(&actor),
                        report_items::created_at.eq(now),
                    ))
                    .execute(c)?;
                own_act(c, &actor, "report_item.add".into(), &ctx, now)?;
                Ok(Some(id))
            })
            .await
    }

    /// Retires one of the worker's items (past answers stay readable). False: no such
    /// item of theirs.
    pub async fn retire_own_item(&self, worker: String, id: String, now: i64) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    report_items::table
                        .filter(report_items::id.eq(&id))
                        .filter(report_items::seeker_id.eq(&worker))
                        .filter(report_items::retired_at.is_null()),
                )
                .set(report_items::retired_at.eq(Some(now)))
                .execute(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// The worker lets one company's follow-up person see whole check-ins
    /// (`daily_reports`; else only the summary) or read the support records
    /// (`support_records`), or takes that back. `None`: no standing employment with
    /// that company.
    pub async fn set_follow_up_share(
        &self,
        worker: String,
        company: String,
        scope: &'static str,
        full: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<bool>> {
        self.db
            .write(move |c| {
                let n: i64 = employments::table
                    .filter(employments::seeker_id.eq(&worker))
                    .filter(employments::org_id.eq(&company))
                    .filter(employments::ended_at.is_null())
                    .count()
                    .get_result(c)?;
                if n == 0 {
                    return Ok(None);
                }
                let k = ConsentKind::FollowUpShare;
                let named = scope;
                let scope = Some(scope);
                let stood = is_active_for(c, &worker, k, Some(&company), scope)?;
                let changed = if full {
                    give_for(c, &worker, k, Some(&company), scope, "privacy_page", now)?;
                    !stood
                } else {
                    withdraw_for(c, &worker, k, Some(&company), scope, now)?
                };
                if changed {
                    own_act(
                        c,
                        &worker,
                        format!(
                            "consent.{}.follow_up_share.{}",
                            if full { "give" } else { "withdraw" },
                            named
                        ),
                        &ctx,
                        now,
                    )?;
                }
                Ok(Some(changed))
            })
            .await
    }
}

/// Why an employment's end was not recorded.
#[derive(Debug)]
pub enum EndRefused {
    /// Not an employment of the actor's company (404).
    NotFound,
    /// Ended already (409).
    Ended,
    Invalid(Fields),
}

/// Whose retention figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cohort {
    /// The employments at a company.
    Company,
    /// The employments a facility supported at the hire.
    Facility,
}

/// The retention figures of one organisation.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Retention {
    pub organization_id: String,
    pub organization_name: String,
    /// Everyone hired, and those who left.
    pub hired: u32,
    pub left: u32,
    /// At 6 months, 1 year and 3.5 years.
    pub figures: Vec<retention::Figure>,
}

fn cohort_of(c: &mut crate::DbConn, org: &str, kind: Cohort) -> Result<Vec<(Date, Option<Date>)>> {
    let rows: Vec<(String, Option<String>)> = match kind {
        Cohort::Company => employments::table
            .filter(employments::org_id.eq(org))
            .select((employments::start_date, employments::end_date))
            .load(c)?,
        Cohort::Facility => employments::table
            .filter(employments::supporter_org_id.eq(org))
            .select((employments::start_date, employments::end_date))
            .load(c)?,
    };
    Ok(rows
        .into_iter()
        .filter_map(|(s, e)| Some((Date::parse(&s)?, e.as_deref().and_then(Date::parse))))
        .collect())
}

impl Store {
    /// The company records that someone left: the last day worked and why. Their
    /// check-ins and the follow-up end with it; the records stay.
    #[allow(clippy::too_many_arguments)]
    pub async fn end_employment(
        &self,
        actor: String,
        employment: String,
        end_date: String,
        reason: String,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<(), EndRefused>> {
        self.db
            .write(move |c| {
                let row: Option<(String, String, String, Option<i64>)> = employments::table
                    .filter(employments::id.eq(&employment))
                    .select((
                        employments::org_id,
                        employments::seeker_id,
                        employments::start_date,
                        employments::ended_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some((org, worker, start, ended)) = row else {
                    return Ok(Err(EndRefused::NotFound));
                };
                if !org_of_kind(c, &actor, OrgKind::Company)?.contains(&org) {
                    return Ok(Err(EndRefused::NotFound));
                }
                if ended.is_some() {
                    return Ok(Err(EndRefused::Ended));
                }
                let mut f = Fields::new();
                let day = match Date::parse(&end_date) {
                    None if end_date.trim().is_empty() => {
                        f.add("end_date", "date-required");
                        None
                    }
                    None => {
                        f.add("end_date", "date-invalid");
                        None
                    }
                    Some(d) if d > today => {
                        f.add("end_date", "date-future");
                        None
                    }
                    Some(d) if Date::parse(&start).is_some_and(|s| d < s) => {
                        f.add("end_date", "end-before-start");
                        None
                    }
                    Some(d) => Some(d),
                };
                if !retention::END_REASONS.contains(&reason.as_str()) {
                    f.add("reason", "choice-invalid");
                }
                if let Err(f) = f.into_result() {
                    return Ok(Err(EndRefused::Invalid(f)));
                }
                diesel::update(employments::table.filter(employments::id.eq(&employment)))
                    .set((
                        employments::ended_at.eq(Some(now)),
                        employments::end_date.eq(day.map(|d| d.to_string())),
                        employments::end_reason.eq(Some(&reason)),
                    ))
                    .execute(c)?;
                crate::audit::append(
                    c,
                    now,
                    crate::audit::Entry {
                        actor_id: Some(actor.clone()),
                        subject_id: Some(worker),
                        action: "employment.end".into(),
                        purpose: "employment_record".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                        ..crate::audit::Entry::default()
                    },
                )?;
                Ok(Ok(()))
            })
            .await
    }

    /// The retention figures of every organisation of `kind` the viewer belongs to.
    pub async fn retention_figures(
        &self,
        viewer: String,
        kind: Cohort,
        today: Date,
    ) -> Result<Vec<Retention>> {
        self.db
            .read(move |c| {
                let org_kind = match kind {
                    Cohort::Company => OrgKind::Company,
                    Cohort::Facility => OrgKind::Facility,
                };
                let mut out = Vec::new();
                for org in org_of_kind(c, &viewer, org_kind)? {
                    let cohort = cohort_of(c, &org, kind)?;
                    out.push(Retention {
                        organization_name: org_name(c, &org)?.unwrap_or_default(),
                        hired: cohort.len() as u32,
                        left: cohort.iter().filter(|(_, e)| e.is_some()).count() as u32,
                        figures: retention::figures(&cohort, today),
                        organization_id: org,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// A company's figure at one year for its public page: `None` when fewer than
    /// `retention::MIN_PUBLIC` people are counted.
    pub async fn public_retention(
        &self,
        company: String,
        today: Date,
    ) -> Result<Option<retention::Figure>> {
        self.db
            .read(move |c| {
                let cohort = cohort_of(c, &company, Cohort::Company)?;
                Ok(retention::figures(&cohort, today)
                    .into_iter()
                    .find(|f| f.months == 12)
                    .filter(|f| f.counted >= retention::MIN_PUBLIC))
            })
            .await
    }
}
