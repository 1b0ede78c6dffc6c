//! Reports of abusive messages. A participant who reads a message reports it; the
//! operator sees the open reports (no content), opens one with the stated purpose
//! `abuse_report` to read the reported message only (logged for the thread's seeker),
//! and decides: warn the sender, suspend the sender's account (no sign-in, no sessions,
//! no messages), or no action.
use crate::accounts::Ctx;
use crate::audit::{self, Entry, own_act};
use crate::disclosure::thread::{Via, thread_standing};
use crate::error::Result;
use crate::schema::{message_reports, messages, threads, users};
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::disclosure::Visibility;

/// Why a message is reported.
pub const REASONS: [&str; 4] = ["harassment", "discrimination", "spam_or_fraud", "other"];

/// What the operator may decide.
pub const DECISIONS: [&str; 3] = ["warn", "suspend", "no_action"];

/// An open report as the operator's list shows it: no content.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportLine {
    pub id: String,
    pub reason: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decision: Option<String>,
}

/// One report with the reported message only (read with a stated purpose).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub report: ReportLine,
    /// The reported message, as written.
    pub body: String,
    pub sent_at: i64,
    /// Who wrote it: `seeker`, `company`, `supporter` or `agency`.
    pub sender_side: String,
    /// Whether the sender's account is warned or suspended now.
    pub sender_warned: bool,
    pub sender_suspended: bool,
}

/// (id, reason, created, decided, decision).
type LineRow = (String, String, i64, Option<i64>, Option<String>);

/// Why a report was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRefused {
    /// No message the reporter reads (404).
    NotFound,
    /// One's own message.
    Own,
}

/// Who wrote a message, from what the store knows of its sender.
fn side(seeker: bool, agency: bool, member: bool) -> &'static str {
    match (seeker, agency, member) {
        (true, _, _) => "seeker",
        (_, true, _) => "agency",
        (_, _, true) => "company",
        _ => "supporter",
    }
}

impl Store {
    /// A participant reports a message they read.
    pub async fn report_message(
        &self,
        reporter: String,
        message: String,
        reason: &'static str,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<String, ReportRefused>> {
        self.db
            .write(move |c| {
                let row: Option<(String, String, String, bool)> = messages::table
                    .filter(messages::id.eq(&message))
                    .select((
                        messages::thread_id,
                        messages::sender_id,
                        messages::visibility,
                        messages::agency_visible,
                    ))
                    .first(c)
                    .optional()?;
                let Some((thread, sender, vis, _)) = row else {
                    return Ok(Err(ReportRefused::NotFound));
                };
                let Some(st) = thread_standing(c, &reporter, &thread, now)? else {
                    return Ok(Err(ReportRefused::NotFound));
                };
                let reads = st.admits(Via::Party)
                    && (vis == Visibility::All.as_str() || st.rights.read_supporter_only);
                if !reads {
                    return Ok(Err(ReportRefused::NotFound));
                }
                if sender == reporter {
                    return Ok(Err(ReportRefused::Own));
                }
                let id = new_id();
                diesel::insert_into(message_reports::table)
                    .values((
                        message_reports::id.eq(&id),
                        message_reports::message_id.eq(&message),
                        message_reports::reporter_id.eq(&reporter),
                        message_reports::reason.eq(reason),
                        message_reports::created_at.eq(now),
                    ))
                    .execute(c)?;
                own_act(c, &reporter, "message.report".into(), &ctx, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// The reports, open ones first: no content.
    pub async fn message_reports(&self) -> Result<Vec<ReportLine>> {
        self.db
            .read(move |c| {
                let rows: Vec<LineRow> = message_reports::table
                    .order((
                        message_reports::decided_at.is_not_null(),
                        message_reports::created_at.desc(),
                    ))
                    .limit(200)
                    .select((
                        message_reports::id,
                        message_reports::reason,
                        message_reports::created_at,
                        message_reports::decided_at,
                        message_reports::decision,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(
                        |(id, reason, created_at, decided_at, decision)| ReportLine {
                            id,
                            reason,
                            created_at,
                            decided_at,
                            decision,
                        },
                    )
                    .collect())
            })
            .await
    }

    /// The operator opens one report to decide on it: the reported message only,
    /// logged with the purpose `abuse_report` for the thread's seeker.
    pub async fn open_report(
        &self,
        operator: String,
        id: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<ReportView>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                #[allow(clippy::type_complexity)]
                let row: Option<(
                    String,
                    i64,
                    Option<i64>,
                    Option<String>,
                    String,
                    String,
                    Vec<u8>,
                    Option<String>,
                    i64,
                    String,
                    Option<String>,
                )> = message_reports::table
                    .inner_join(messages::table.inner_join(threads::table))
                    .filter(message_reports::id.eq(&id))
                    .select((
                        message_reports::reason,
                        message_reports::created_at,
                        message_reports::decided_at,
                        message_reports::decision,
                        messages::id,
                        messages::sender_id,
                        messages::body_enc,
                        messages::agency_user_id,
                        messages::created_at,
                        threads::seeker_id,
                        threads::application_id,
                    ))
                    .first(c)
                    .optional()?;
                let Some((
                    reason,
                    created_at,
                    decided_at,
                    decision,
                    mid,
                    sender,
                    enc,
                    agency,
                    sent_at,
                    seeker,
                    app,
                )) = row
                else {
                    return Ok(None);
                };
                let body = keys.open_string("messages", "body", &mid, &enc)?;
                let member = match &app {
                    Some(a) => {
                        let org: String = crate::schema::applications::table
                            .filter(crate::schema::applications::id.eq(a))
                            .select(crate::schema::applications::org_id)
                            .first(c)?;
                        crate::orgs::org_of_kind(c, &sender, domain::OrgKind::Company)?
                            .contains(&org)
                    }
                    None => false,
                };
                let (warned, suspended): (Option<i64>, Option<i64>) = users::table
                    .filter(users::id.eq(&sender))
                    .select((users::warned_at, users::suspended_at))
                    .first(c)?;
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(operator.clone()),
                        subject_id: Some(seeker.clone()),
                        action: "message_report.read".into(),
                        items: vec!["messages"],
                        purpose: "abuse_report".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                    },
                )?;
                Ok(Some(ReportView {
                    report: ReportLine {
                        id,
                        reason,
                        created_at,
                        decided_at,
                        decision,
                    },
                    body,
                    sent_at,
                    sender_side: side(sender == seeker, agency.is_some(), member).to_owned(),
                    sender_warned: warned.is_some(),
                    sender_suspended: suspended.is_some(),
                }))
            })
            .await
    }

    /// The operator decides on a report: warn or suspend the sender, or no action.
    /// False: no such report.
    pub async fn decide_report(
        &self,
        operator: String,
        id: String,
        decision: &'static str,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let sender: Option<String> = message_reports::table
                    .inner_join(messages::table)
                    .filter(message_reports::id.eq(&id))
                    .select(messages::sender_id)
                    .first(c)
                    .optional()?;
                let Some(sender) = sender else {
                    return Ok(false);
                };
                diesel::update(message_reports::table.filter(message_reports::id.eq(&id)))
                    .set((
                        message_reports::decided_at.eq(Some(now)),
                        message_reports::decided_by.eq(Some(&operator)),
                        message_reports::decision.eq(Some(decision)),
                    ))
                    .execute(c)?;
                match decision {
                    "warn" => {
                        diesel::update(users::table.filter(users::id.eq(&sender)))
                            .set(users::warned_at.eq(Some(now)))
                            .execute(c)?;
                    }
                    "suspend" => {
                        diesel::update(users::table.filter(users::id.eq(&sender)))
                            .set(users::suspended_at.eq(Some(now)))
                            .execute(c)?;
                        crate::console::end_sessions(c, &sender, now)?;
                        // The console's record shows it, and it can be lifted there.
                        crate::console::record_action(
                            c,
                            &keys,
                            &sender,
                            "suspend",
                            domain::console::SuspendReason::TermsViolation.as_str(),
                            &format!("message_report {id}"),
                            &operator,
                            now,
                        )?;
                    }
                    _ => {}
                }
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(operator.clone()),
                        subject_id: Some(sender.clone()),
                        action: format!("message_report.{decision}"),
                        items: vec![],
                        purpose: "abuse_report".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                    },
                )?;
                Ok(true)
            })
            .await
    }
}
