//! The support around a worker after hiring: support records written by the linked
//! facility's staff (append-only; a correction is a new version), comments on the
//! check-ins, the worker's early-warning rules, and the alerts they raise — with the
//! check-in itself (the talk flag, a trouble) or by the sweep over days, which runs
//! once per slot however many nodes sweep, escalates once, and is acknowledged once.
//! Every read by someone other than the worker goes through `disclosure::support`.
use crate::accounts::Ctx;
use crate::audit::{self, Entry};
use crate::disclosure::report::{Standing, load_reports, report_standing};
use crate::disclosure::support::{
    AlertView, CommentView, RecordView, people_in, reached, recipient_role, view_alerts_tx,
    view_comments_tx, view_records_tx,
};
use crate::disclosure::{Access, Disclosed};
use crate::error::{Result, StoreError};
use crate::notices::tell;
use crate::schema::{alert_rules, alerts, employments, report_comments, support_records};
use crate::selection::Notice;
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::Fields;
use domain::consent::ConsentKind;
use domain::disclosure::{AlertsSeen, ReportRel};
use domain::profile::Date;
use domain::retention::Report;
use domain::support::{self, Recipient, RecordDraft, Rule, Rules, RulesDraft};

/// Why a support write was refused.
#[derive(Debug)]
pub enum SupportRefused {
    /// No such employment, record or alert for this person (404).
    NotFound,
    /// The alert was acknowledged already (409).
    Acknowledged,
    Invalid(Fields),
}

type Refusable<T> = std::result::Result<T, SupportRefused>;

/// How long a sweep slot is: the rules over days run once per slot per worker.
pub const SLOT_SECONDS: i64 = 3600;

/// The notification kinds of alerts (group `alerts`).
pub const ALERT_KIND: &str = "support_alert";

fn act_on(
    c: &mut DbConn,
    actor: &str,
    subject: &str,
    action: &str,
    ctx: &Ctx,
    now: i64,
) -> Result<()> {
    audit::append(
        c,
        now,
        Entry {
            actor_id: Some(actor.to_owned()),
            subject_id: Some(subject.to_owned()),
            action: action.to_owned(),
            purpose: "retention_support".into(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            ..Entry::default()
        },
    )?;
    Ok(())
}

/// The worker's rules (the defaults where none were saved).
fn rules_of(c: &mut DbConn, employment: &str) -> Result<Rules> {
    let raw: Option<String> = alert_rules::table
        .filter(alert_rules::employment_id.eq(employment))
        .select(alert_rules::rules)
        .first(c)
        .optional()?;
    Ok(raw
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default())
}

/// The rules row of a new employment (in the hire's transaction): the defaults.
pub(crate) fn create_rules(c: &mut DbConn, employment: &str, now: i64) -> Result<()> {
    let json = serde_json::to_string(&Rules::default())
        .map_err(|_| StoreError::Crypto("rules encoding"))?;
    diesel::insert_into(alert_rules::table)
        .values((
            alert_rules::employment_id.eq(employment),
            alert_rules::rules.eq(json),
            alert_rules::updated_at.eq(now),
            alert_rules::last_slot.eq(0i64),
        ))
        .execute(c)?;
    Ok(())
}

/// Raises an alert of `rule` about `day` unless the same rule raised one within its
/// quiet days (or on the same day): who hears first and when it goes on, the in-app
/// notice and the mail (which says that there is an alert, nothing of health). Inside
/// the caller's transaction.
#[allow(clippy::too_many_arguments)]
fn raise(
    c: &mut DbConn,
    keys: &Keyring,
    st: &Standing,
    employment: &str,
    rules: &Rules,
    rule: Rule,
    day: Date,
    notice: &Notice,
    now: i64,
) -> Result<Option<String>> {
    let since = day.plus_days(-rule.quiet_days(rules).max(0)).to_string();
    let recent: i64 = alerts::table
        .filter(alerts::employment_id.eq(employment))
        .filter(alerts::rule.eq(rule.as_str()))
        .filter(alerts::day.ge(since).or(alerts::acked_at.is_null()))
        .filter(alerts::day.le(day.to_string()))
        .count()
        .get_result(c)?;
    let same_day: i64 = alerts::table
        .filter(alerts::employment_id.eq(employment))
        .filter(alerts::rule.eq(rule.as_str()))
        .filter(alerts::day.eq(day.to_string()))
        .count()
        .get_result(c)?;
    if recent > 0 || same_day > 0 {
        return Ok(None);
    }
    // Who hears first: the worker's choice, where that person exists; the other only
    // later, if there is one.
    let mut first = rules.first;
    if people_in(c, st, first)?.is_empty() {
        first = first.other();
    }
    let second = people_in(c, st, first.other())?;
    let escalate_at = (!second.is_empty()).then(|| now + i64::from(rules.escalate_hours) * 3600);
    let id = new_id();
    diesel::insert_into(alerts::table)
        .values((
            alerts::id.eq(&id),
            alerts::employment_id.eq(employment),
            alerts::seeker_id.eq(&st.worker),
            alerts::rule.eq(rule.as_str()),
            alerts::day.eq(day.to_string()),
            alerts::first_to.eq(first.as_str()),
            alerts::escalate_at.eq(escalate_at),
            alerts::created_at.eq(now),
        ))
        .execute(c)?;
    let path = format!("/employments/{employment}/check-ins");
    for u in people_in(c, st, first)? {
        tell(c, keys, &u, ALERT_KIND, &id, &path, notice, now)?;
    }
    Ok(Some(id))
}

/// The alerts raised with a check-in, in its transaction: the talk flag and a trouble.
#[allow(clippy::too_many_arguments)]
pub(crate) fn raise_on_report(
    c: &mut DbConn,
    keys: &Keyring,
    employment: &str,
    worker: &str,
    day: Date,
    report: &Report,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    let Some(st) = report_standing(c, worker, employment)? else {
        return Ok(());
    };
    let rules = rules_of(c, employment)?;
    for rule in support::on_report(&rules, report) {
        raise(c, keys, &st, employment, &rules, rule, day, notice, now)?;
    }
    Ok(())
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub raised: usize,
    pub escalated: usize,
}

/// What the three-party page needs beside the door's views: the viewer's rights, the
/// worker's name (through the profile door) and the application the hire came from.
#[derive(Debug, Clone)]
pub struct SupportPage {
    pub rights: domain::disclosure::SupportRights,
    pub worker_name: Option<String>,
    pub application_id: String,
    /// The viewer is the worker.
    pub oneself: bool,
    /// The viewer is the company's follow-up person (who records the end).
    pub can_end: bool,
}

impl Store {
    /// The viewer's standing on one employment's support page, or `None` (404).
    pub async fn support_page(
        &self,
        viewer: String,
        employment: String,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<SupportPage>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(st) = report_standing(c, &viewer, &employment)? else {
                    return Ok(None);
                };
                if st.rel == ReportRel::Stranger {
                    return Ok(None);
                }
                let application_id: String = employments::table
                    .filter(employments::id.eq(&employment))
                    .select(employments::application_id)
                    .first(c)?;
                let oneself = st.rel == ReportRel::Worker;
                let worker_name = if oneself {
                    None
                } else {
                    let a = Access::new(&viewer, "retention_support", &ctx, now);
                    crate::disclosure::support::worker_name_tx(c, &keys, &a, &st.worker, today)?
                };
                Ok(Some(SupportPage {
                    can_end: matches!(st.rel, ReportRel::FollowUp { .. }),
                    rights: st.rights(),
                    worker_name,
                    application_id,
                    oneself,
                }))
            })
            .await
    }

    /// A support record by staff of the facility the worker links to now; its id.
    pub async fn add_record(
        &self,
        actor: String,
        employment: String,
        draft: RecordDraft,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<String>> {
        self.write_record(actor, employment, None, draft, today, ctx, now)
            .await
    }

    /// A correction: a new version of the record; every earlier one stays readable.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_record(
        &self,
        actor: String,
        employment: String,
        record: String,
        draft: RecordDraft,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<String>> {
        self.write_record(actor, employment, Some(record), draft, today, ctx, now)
            .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn write_record(
        &self,
        actor: String,
        employment: String,
        record: Option<String>,
        draft: RecordDraft,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(st) = report_standing(c, &actor, &employment)? else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let Some(facility) = st.via.clone().filter(|_| st.rights().write_records) else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let (record_id, version) = match &record {
                    None => (new_id(), 1),
                    Some(r) => {
                        let last: Option<i32> = support_records::table
                            .filter(support_records::record_id.eq(r))
                            .filter(support_records::employment_id.eq(&employment))
                            .select(diesel::dsl::max(support_records::version))
                            .first(c)?;
                        match last {
                            Some(v) => (r.clone(), v + 1),
                            None => return Ok(Err(SupportRefused::NotFound)),
                        }
                    }
                };
                let (kind, day, body) = match support::check_record(&draft, today) {
                    Ok(x) => x,
                    Err(f) => return Ok(Err(SupportRefused::Invalid(f))),
                };
                let id = new_id();
                let json = serde_json::to_string(&body)
                    .map_err(|_| StoreError::Crypto("record encoding"))?;
                let sealed = keys.subject_key(&st.worker)?.seal_str(
                    "support_records",
                    "data",
                    &id,
                    &json,
                )?;
                diesel::insert_into(support_records::table)
                    .values((
                        support_records::id.eq(&id),
                        support_records::record_id.eq(&record_id),
                        support_records::version.eq(version),
                        support_records::employment_id.eq(&employment),
                        support_records::seeker_id.eq(&st.worker),
                        support_records::facility_id.eq(&facility),
                        support_records::author_id.eq(&actor),
                        support_records::kind.eq(kind),
                        support_records::day.eq(day.to_string()),
                        support_records::data_enc.eq(sealed),
                        support_records::created_at.eq(now),
                    ))
                    .execute(c)?;
                let action = if version == 1 {
                    "support_record.add"
                } else {
                    "support_record.correct"
                };
                act_on(c, &actor, &st.worker, action, &ctx, now)?;
                Ok(Ok(record_id))
            })
            .await
    }

    /// An employment's support records as the viewer may read them (logged), or `None`.
    pub async fn support_records(
        &self,
        viewer: String,
        employment: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<Vec<RecordView>>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "support_records", &ctx, now);
                view_records_tx(c, &keys, &a, &employment)
            })
            .await
    }

    /// A comment on a day or a week of the worker's check-ins; its id.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_comment(
        &self,
        actor: String,
        employment: String,
        body: String,
        period: String,
        date: String,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(st) = report_standing(c, &actor, &employment)? else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let Some(role) = st.rights().comment_as else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let (body, period, day) = match support::check_comment(&body, &period, &date, today)
                {
                    Ok(x) => x,
                    Err(f) => return Ok(Err(SupportRefused::Invalid(f))),
                };
                let id = new_id();
                let sealed = keys.subject_key(&st.worker)?.seal_str(
                    "report_comments",
                    "body",
                    &id,
                    &body,
                )?;
                diesel::insert_into(report_comments::table)
                    .values((
                        report_comments::id.eq(&id),
                        report_comments::employment_id.eq(&employment),
                        report_comments::seeker_id.eq(&st.worker),
                        report_comments::author_id.eq(&actor),
                        report_comments::role.eq(role),
                        report_comments::period.eq(period),
                        report_comments::day.eq(day.to_string()),
                        report_comments::body_enc.eq(sealed),
                        report_comments::created_at.eq(now),
                    ))
                    .execute(c)?;
                act_on(c, &actor, &st.worker, "report_comment.add", &ctx, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// The comments the viewer reads on an employment's check-ins, or `None`.
    pub async fn comments(
        &self,
        viewer: String,
        employment: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<Vec<CommentView>>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "report_comments", &ctx, now);
                view_comments_tx(c, &keys, &a, &employment)
            })
            .await
    }

    /// The worker's early-warning rules, for the worker, the supporter and the
    /// follow-up person (`None` for anyone else), with whether the viewer may change
    /// them.
    pub async fn alert_rules(
        &self,
        viewer: String,
        employment: String,
    ) -> Result<Option<(Rules, bool)>> {
        self.db
            .read(move |c| {
                let Some(st) = report_standing(c, &viewer, &employment)? else {
                    return Ok(None);
                };
                let r = st.rights();
                if r.alerts == AlertsSeen::None {
                    return Ok(None);
                }
                Ok(Some((rules_of(c, &employment)?, r.tune_rules)))
            })
            .await
    }

    /// The supporter changes the worker's rules (agreed with the worker, who reads
    /// them on their check-in page).
    pub async fn set_alert_rules(
        &self,
        actor: String,
        employment: String,
        draft: RulesDraft,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<Rules>> {
        self.db
            .write(move |c| {
                let Some(st) = report_standing(c, &actor, &employment)? else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                if !st.rights().tune_rules {
                    return Ok(Err(SupportRefused::NotFound));
                }
                let rules = match support::check_rules(&draft) {
                    Ok(r) => r,
                    Err(f) => return Ok(Err(SupportRefused::Invalid(f))),
                };
                let json = serde_json::to_string(&rules)
                    .map_err(|_| StoreError::Crypto("rules encoding"))?;
                let n = diesel::update(
                    alert_rules::table.filter(alert_rules::employment_id.eq(&employment)),
                )
                .set((
                    alert_rules::rules.eq(&json),
                    alert_rules::updated_by.eq(Some(&actor)),
                    alert_rules::updated_at.eq(now),
                ))
                .execute(c)?;
                if n == 0 {
                    diesel::insert_into(alert_rules::table)
                        .values((
                            alert_rules::employment_id.eq(&employment),
                            alert_rules::rules.eq(&json),
                            alert_rules::updated_by.eq(Some(&actor)),
                            alert_rules::updated_at.eq(now),
                            alert_rules::last_slot.eq(0i64),
                        ))
                        .execute(c)?;
                }
                act_on(c, &actor, &st.worker, "alert_rules.set", &ctx, now)?;
                Ok(Ok(rules))
            })
            .await
    }

    /// An employment's alerts as the viewer reads them (open ones, or all), or `None`.
    pub async fn employment_alerts(
        &self,
        viewer: String,
        employment: String,
        open_only: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<Vec<AlertView>>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "support_alerts", &ctx, now);
                view_alerts_tx(c, &keys, &a, &employment, open_only)
            })
            .await
    }

    /// The alerts that reached the viewer (as supporter or follow-up person), open ones
    /// or all, newest first: each employment's through the door.
    pub async fn my_alerts(
        &self,
        viewer: String,
        open_only: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Vec<AlertView>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let mut q = alerts::table
                    .inner_join(employments::table)
                    .filter(employments::ended_at.is_null())
                    .into_boxed();
                if open_only {
                    q = q.filter(alerts::acked_at.is_null());
                }
                // Candidates, narrowed by an index each: where the viewer follows up, and
                // the employments of the workers linked to the viewer's facilities (the
                // door then decides every one).
                let mut workers: Vec<String> = Vec::new();
                for fac in crate::orgs::org_of_kind(c, &viewer, domain::OrgKind::Facility)? {
                    use crate::schema::consents as k;
                    let linked: Vec<String> = k::table
                        .filter(k::kind.eq(ConsentKind::SupporterLink.as_str()))
                        .filter(k::recipient_id.eq(&fac))
                        .filter(k::withdrawn_at.is_null())
                        .select(k::user_id)
                        .load(c)?;
                    workers.extend(linked);
                }
                let ids: Vec<String> = q
                    .filter(
                        employments::follow_up_user_id
                            .eq(&viewer)
                            .or(employments::seeker_id.eq_any(&workers)),
                    )
                    .select(alerts::employment_id)
                    .distinct()
                    .load(c)?;
                let a = Access::new(&viewer, "support_alerts", &ctx, now);
                let mut out = Vec::new();
                for e in ids {
                    let Some(st) = report_standing(c, &viewer, &e)? else {
                        continue;
                    };
                    if recipient_role(st.rel).is_none() {
                        continue;
                    }
                    if let Some(d) = view_alerts_tx(c, &keys, &a, &e, open_only)? {
                        let mut list = d.into_view();
                        if !list.is_empty() {
                            let today = domain::interview::LocalTime::of_unix(now).date;
                            let name = crate::disclosure::support::worker_name_tx(
                                c, &keys, &a, &st.worker, today,
                            )?;
                            for x in &mut list {
                                x.worker_name = name.clone();
                            }
                        }
                        out.extend(list);
                    }
                }
                out.sort_by_key(|x| std::cmp::Reverse(x.created_at));
                Ok(out)
            })
            .await
    }

    /// Acknowledges an alert that reached the viewer, with a note (sealed with the
    /// worker's key). Once: a second acknowledgement is refused.
    pub async fn ack_alert(
        &self,
        actor: String,
        alert: String,
        note: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<()>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, String, Option<i64>, Option<i64>)> = alerts::table
                    .filter(alerts::id.eq(&alert))
                    .select((
                        alerts::employment_id,
                        alerts::first_to,
                        alerts::escalated_at,
                        alerts::acked_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some((employment, first_to, escalated, acked)) = row else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let Some(st) = report_standing(c, &actor, &employment)? else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                let ok = st.rights().acknowledge
                    && recipient_role(st.rel)
                        .is_some_and(|r| reached(&first_to, escalated.is_some(), r));
                if !ok {
                    return Ok(Err(SupportRefused::NotFound));
                }
                if acked.is_some() {
                    return Ok(Err(SupportRefused::Acknowledged));
                }
                let mut f = Fields::new();
                if note.chars().count() > support::MAX_COMMENT {
                    f.add("note", "text-too-long");
                } else if note
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\r')
                {
                    f.add("note", "text-invalid");
                }
                if let Err(f) = f.into_result() {
                    return Ok(Err(SupportRefused::Invalid(f)));
                }
                let sealed = keys.subject_key(&st.worker)?.seal_str(
                    "alerts",
                    "ack_note",
                    &alert,
                    note.trim(),
                )?;
                let n = diesel::update(
                    alerts::table
                        .filter(alerts::id.eq(&alert))
                        .filter(alerts::acked_at.is_null()),
                )
                .set((
                    alerts::acked_at.eq(Some(now)),
                    alerts::acked_by.eq(Some(&actor)),
                    alerts::ack_note_enc.eq(Some(sealed)),
                ))
                .execute(c)?;
                if n == 0 {
                    return Ok(Err(SupportRefused::Acknowledged));
                }
                act_on(c, &actor, &st.worker, "alert.ack", &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }

    /// THE sweep, at `at` (passed in): for every standing employment whose slot this
    /// node claims, the rules over days as of that day in Japan; then every alert past
    /// its time goes on to the other person, once.
    pub async fn sweep_alerts(&self, at: i64, notice: Notice) -> Result<Swept> {
        let keys = self.keys.clone();
        let slot = at.div_euclid(SLOT_SECONDS);
        let today = domain::interview::LocalTime::of_unix(at).date;
        let due: Vec<String> = self
            .db
            .read(move |c| {
                Ok(alert_rules::table
                    .inner_join(employments::table)
                    .filter(employments::ended_at.is_null())
                    .filter(alert_rules::last_slot.lt(slot))
                    .select(alert_rules::employment_id)
                    .load(c)?)
            })
            .await?;
        let mut swept = Swept::default();
        for e in due {
            let keys = keys.clone();
            let notice = notice.clone();
            swept.raised += self
                .db
                .write(move |c| {
                    // The claim: one node moves the slot forward; any other waits for
                    // this transaction and then finds nothing to claim.
                    let n = diesel::update(
                        alert_rules::table
                            .filter(alert_rules::employment_id.eq(&e))
                            .filter(alert_rules::last_slot.lt(slot)),
                    )
                    .set(alert_rules::last_slot.eq(slot))
                    .execute(c)?;
                    if n == 0 {
                        return Ok(0);
                    }
                    let worker: String = employments::table
                        .filter(employments::id.eq(&e))
                        .select(employments::seeker_id)
                        .first(c)?;
                    let Some(st) = report_standing(c, &worker, &e)? else {
                        return Ok(0);
                    };
                    let Some(start) = Date::parse(&st.start_date) else {
                        return Ok(0);
                    };
                    if start > today {
                        return Ok(0);
                    }
                    let rules = rules_of(c, &e)?;
                    let reports: Vec<(Date, Report)> =
                        load_reports(c, &keys, &e, today.plus_days(-31), today)?
                            .into_iter()
                            .filter_map(|(_, d, r, _)| Date::parse(&d).map(|d| (d, r)))
                            .collect();
                    let sensitive =
                        crate::consents::is_active(c, &worker, ConsentKind::SensitiveData)?;
                    let mut raised = 0;
                    for rule in support::over_days(&rules, &reports, start, today) {
                        if rule.reads_health() && !sensitive {
                            continue;
                        }
                        if raise(c, &keys, &st, &e, &rules, rule, today, &notice, at)?.is_some() {
                            raised += 1;
                        }
                    }
                    Ok(raised)
                })
                .await?;
        }
        swept.escalated = self.escalate(at, notice).await?;
        Ok(swept)
    }

    /// Alerts not acknowledged by their time go on to the other person: each once (the
    /// update that marks it is the claim).
    async fn escalate(&self, at: i64, notice: Notice) -> Result<usize> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let due: Vec<(String, String, String)> = alerts::table
                    .filter(alerts::acked_at.is_null())
                    .filter(alerts::escalated_at.is_null())
                    .filter(alerts::escalate_at.le(at))
                    .select((alerts::id, alerts::employment_id, alerts::first_to))
                    .load(c)?;
                let mut n = 0;
                for (id, e, first) in due {
                    let claimed = diesel::update(
                        alerts::table
                            .filter(alerts::id.eq(&id))
                            .filter(alerts::escalated_at.is_null())
                            .filter(alerts::acked_at.is_null()),
                    )
                    .set(alerts::escalated_at.eq(Some(at)))
                    .execute(c)?;
                    if claimed == 0 {
                        continue;
                    }
                    let worker: String = employments::table
                        .filter(employments::id.eq(&e))
                        .select(employments::seeker_id)
                        .first(c)?;
                    let Some(st) = report_standing(c, &worker, &e)? else {
                        continue;
                    };
                    let Some(first) = Recipient::parse(&first) else {
                        continue;
                    };
                    let path = format!("/employments/{e}/check-ins");
                    for u in people_in(c, &st, first.other())? {
                        tell(c, &keys, &u, ALERT_KIND, &id, &path, &notice, at)?;
                    }
                    n += 1;
                }
                Ok(n)
            })
            .await
    }
}

impl Store {
    /// A month's report as the viewer may read it (the facility gets a fresh draft
    /// where none was saved), or `None` (404).
    pub async fn monthly_report(
        &self,
        viewer: String,
        employment: String,
        first: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Disclosed<crate::disclosure::support::MonthlyView>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "monthly_report", &ctx, now);
                crate::disclosure::support::view_monthly_tx(c, &keys, &a, &employment, first)
            })
            .await
    }

    /// The facility saves the month's report: the figures recomputed now, its words as
    /// edited. Saved again after the worker confirmed it, it waits for their
    /// confirmation again (and is no longer shown to anyone else until then).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_monthly(
        &self,
        actor: String,
        employment: String,
        first: Date,
        done: String,
        next: String,
        note: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<()>> {
        use crate::schema::monthly_reports as m;
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(st) = report_standing(c, &actor, &employment)? else {
                    return Ok(Err(SupportRefused::NotFound));
                };
                if st.rel != ReportRel::Supporter {
                    return Ok(Err(SupportRefused::NotFound));
                }
                if let Err(f) = support::check_monthly(&done, &next, &note) {
                    return Ok(Err(SupportRefused::Invalid(f)));
                }
                let mut body =
                    crate::disclosure::support::draft_month(c, &keys, &employment, first)?.body;
                body.done = done.trim().to_owned();
                body.next = next.trim().to_owned();
                body.note = note.trim().to_owned();
                let month = body.facts.month.clone();
                let existing: Option<String> = m::table
                    .filter(m::employment_id.eq(&employment))
                    .filter(m::month.eq(&month))
                    .select(m::id)
                    .first(c)
                    .optional()?;
                let id = existing.clone().unwrap_or_else(new_id);
                let json = serde_json::to_string(&body)
                    .map_err(|_| StoreError::Crypto("monthly report encoding"))?;
                let sealed = keys.subject_key(&st.worker)?.seal_str(
                    "monthly_reports",
                    "body",
                    &id,
                    &json,
                )?;
                if existing.is_some() {
                    diesel::update(m::table.filter(m::id.eq(&id)))
                        .set((
                            m::body_enc.eq(sealed),
                            m::updated_by.eq(&actor),
                            m::updated_at.eq(now),
                            m::confirmed_at.eq(None::<i64>),
                        ))
                        .execute(c)?;
                } else {
                    diesel::insert_into(m::table)
                        .values((
                            m::id.eq(&id),
                            m::employment_id.eq(&employment),
                            m::seeker_id.eq(&st.worker),
                            m::month.eq(&month),
                            m::body_enc.eq(sealed),
                            m::updated_by.eq(&actor),
                            m::updated_at.eq(now),
                            m::to_follow_up.eq(false),
                            m::to_family.eq(false),
                        ))
                        .execute(c)?;
                }
                act_on(c, &actor, &st.worker, "monthly_report.save", &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }

    /// The worker confirms the month's report and chooses who else reads it.
    #[allow(clippy::too_many_arguments)]
    pub async fn confirm_monthly(
        &self,
        worker: String,
        employment: String,
        first: Date,
        to_follow_up: bool,
        to_family: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<()>> {
        use crate::schema::monthly_reports as m;
        self.db
            .write(move |c| {
                let month = format!("{:04}-{:02}", first.y, first.m);
                let mine: i64 = employments::table
                    .filter(employments::id.eq(&employment))
                    .filter(employments::seeker_id.eq(&worker))
                    .count()
                    .get_result(c)?;
                let n = if mine == 0 {
                    0
                } else {
                    diesel::update(
                        m::table
                            .filter(m::employment_id.eq(&employment))
                            .filter(m::month.eq(&month)),
                    )
                    .set((
                        m::confirmed_at.eq(Some(now)),
                        m::to_follow_up.eq(to_follow_up),
                        m::to_family.eq(to_family),
                    ))
                    .execute(c)?
                };
                if n == 0 {
                    return Ok(Err(SupportRefused::NotFound));
                }
                crate::audit::own_act(c, &worker, "monthly_report.confirm".into(), &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_without_a_role_is_no_recipient() {
        assert_eq!(recipient_role(ReportRel::Worker), None);
        assert_eq!(
            recipient_role(ReportRel::FollowUp { full: false }),
            Some(Recipient::FollowUp)
        );
        assert!(reached("supporter", false, Recipient::Supporter));
        assert!(!reached("supporter", false, Recipient::FollowUp));
        assert!(reached("supporter", true, Recipient::FollowUp));
    }
}
