//! The operator console's writes on a person: finding an account, stating the purpose
//! before opening its record (an audit-log entry; the record itself is read through the
//! door, `disclosure::console`), and suspending the account (利用停止: no sign-in, every
//! session ended, the person told why) or lifting the suspension (the person told).
use crate::accounts::{Ctx, EMAIL_PURPOSE};
use crate::audit::{self, Entry};
use crate::disclosure::checked_purpose;
use crate::disclosure::console::{PersonRecord, view_record_tx};
use crate::error::Result;
use crate::outbox::{self, Mail};
use crate::schema::{account_actions, sessions, stated_purposes, users};
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::UserKind;
use domain::console::{PURPOSE_MINUTES, Statement, SuspendReason};
use domain::disclosure::Purpose;

/// What became of a suspension or a lifting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acted {
    Done,
    NotFound,
    /// The staff member has no standing `account_support` purpose for the person.
    PurposeFirst,
    /// Operator accounts are not suspended from the console (their roles are taken away).
    OperatorAccount,
    /// Already suspended (for a suspension) or not suspended (for a lifting).
    Unchanged,
}

/// Records one of the operator's actions on an account, the note sealed with the
/// person's key (erased with it).
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_action(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    action: &str,
    reason: &str,
    note: &str,
    actor: &str,
    now: i64,
) -> Result<()> {
    let id = new_id();
    let sealed = keys
        .subject_key(user)?
        .seal_str("account_actions", "note", &id, note)?;
    // The unique (user_id, seq) index refuses a number taken twice by concurrent writes.
    let last: Option<i64> = account_actions::table
        .filter(account_actions::user_id.eq(user))
        .select(diesel::dsl::max(account_actions::seq))
        .first(c)?;
    diesel::insert_into(account_actions::table)
        .values((
            account_actions::id.eq(&id),
            account_actions::user_id.eq(user),
            account_actions::seq.eq(last.unwrap_or(0) + 1),
            account_actions::action.eq(action),
            account_actions::reason.eq(reason),
            account_actions::note_enc.eq(sealed),
            account_actions::actor_id.eq(actor),
            account_actions::at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// The person's language and address, for a mail to them.
fn recipient(c: &mut DbConn, keys: &Keyring, user: &str) -> Result<(String, String)> {
    let (lang, email): (String, Vec<u8>) = users::table
        .filter(users::id.eq(user))
        .select((users::lang, users::email_enc))
        .first(c)?;
    Ok((lang, keys.open_string("users", "email", user, &email)?))
}

impl Store {
    /// The account an address (exactly, through its blind index) or an account id
    /// names. Erased accounts are not found.
    pub async fn console_find(&self, query: String) -> Result<Option<String>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let q = query.trim();
                let by_email = domain::validate::Email::parse(q)
                    .ok()
                    .map(|e| keys.blind_index(EMAIL_PURPOSE, e.as_str()))
                    .transpose()?;
                let mut found = users::table
                    .filter(users::erased_at.is_null())
                    .select(users::id)
                    .into_boxed();
                found = match by_email {
                    Some(bidx) => found.filter(users::email_bidx.eq(bidx)),
                    None => found.filter(users::id.eq(q.to_owned())),
                };
                Ok(found.first::<String>(c).optional()?)
            })
            .await
    }

    /// States why `staff` opens `subject`'s record (logged as `record.open` with the
    /// purpose; the note is kept sealed with the person's key). It stands for
    /// `PURPOSE_MINUTES`. False: no such account.
    pub async fn state_purpose(
        &self,
        staff: String,
        subject: String,
        s: Statement,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let exists: i64 = users::table
                    .filter(users::id.eq(&subject))
                    .filter(users::erased_at.is_null())
                    .count()
                    .get_result(c)?;
                if exists == 0 {
                    return Ok(false);
                }
                let id = new_id();
                let sealed = keys.subject_key(&subject)?.seal_str(
                    "stated_purposes",
                    "note",
                    &id,
                    &s.note,
                )?;
                diesel::insert_into(stated_purposes::table)
                    .values((
                        stated_purposes::id.eq(&id),
                        stated_purposes::staff_id.eq(&staff),
                        stated_purposes::subject_id.eq(&subject),
                        stated_purposes::purpose.eq(s.purpose.as_str()),
                        stated_purposes::note_enc.eq(sealed),
                        stated_purposes::stated_at.eq(now),
                        stated_purposes::until_at.eq(now + PURPOSE_MINUTES * 60),
                    ))
                    .execute(c)?;
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(staff.clone()),
                        subject_id: Some(subject.clone()),
                        action: "record.open".into(),
                        purpose: s.purpose.log_name().into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                        ..Entry::default()
                    },
                )?;
                Ok(true)
            })
            .await
    }

    /// The person's record as the console shows it to `staff` (logged), or `None`: no
    /// such account or no standing purpose.
    pub async fn console_record(
        &self,
        staff: String,
        subject: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<PersonRecord>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| view_record_tx(c, &keys, &staff, &subject, &ctx, now))
            .await
    }

    /// Suspends `subject`'s account for `reason`: it cannot sign in, every session ends
    /// at once, and the person is mailed why (`compose(lang)`), all in one transaction.
    /// Needs `staff`'s standing `account_support` purpose for the person.
    #[allow(clippy::too_many_arguments)]
    pub async fn suspend_account(
        &self,
        staff: String,
        subject: String,
        reason: SuspendReason,
        note: String,
        ctx: Ctx,
        now: i64,
        compose: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<Acted> {
        self.change_suspension(staff, subject, Some(reason), note, ctx, now, compose)
            .await
    }

    /// Lifts the suspension of `subject`'s account: it may sign in again, and the
    /// person is mailed (`compose(lang)`). Needs the same standing purpose.
    pub async fn lift_suspension(
        &self,
        staff: String,
        subject: String,
        note: String,
        ctx: Ctx,
        now: i64,
        compose: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<Acted> {
        self.change_suspension(staff, subject, None, note, ctx, now, compose)
            .await
    }

    /// Suspends (`Some(reason)`) or lifts (`None`): the state, the action with its note,
    /// the audit entry and the mail, in one transaction.
    #[allow(clippy::too_many_arguments)]
    async fn change_suspension(
        &self,
        staff: String,
        subject: String,
        reason: Option<SuspendReason>,
        note: String,
        ctx: Ctx,
        now: i64,
        compose: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<Acted> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some((kind, suspended)) = account_state(c, &subject)? else {
                    return Ok(Acted::NotFound);
                };
                if checked_purpose(c, &staff, &subject, Some(Purpose::AccountSupport), now)?
                    .is_none()
                {
                    return Ok(Acted::PurposeFirst);
                }
                if reason.is_some() && kind == UserKind::Operator.as_str() {
                    return Ok(Acted::OperatorAccount);
                }
                if suspended == reason.is_some() {
                    return Ok(Acted::Unchanged);
                }
                let (action, mail_kind) = match reason {
                    Some(_) => ("suspend", "account_suspended"),
                    None => ("lift", "account_restored"),
                };
                diesel::update(users::table.filter(users::id.eq(&subject)))
                    .set(users::suspended_at.eq(reason.map(|_| now)))
                    .execute(c)?;
                if reason.is_some() {
                    end_sessions(c, &subject, now)?;
                }
                let code = reason.map_or("", SuspendReason::as_str);
                record_action(c, &keys, &subject, action, code, &note, &staff, now)?;
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(staff.clone()),
                        subject_id: Some(subject.clone()),
                        action: format!("account.{action}"),
                        purpose: Purpose::AccountSupport.log_name().into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                        ..Entry::default()
                    },
                )?;
                let (lang, to) = recipient(c, &keys, &subject)?;
                let mut mail = compose(&lang);
                mail.to = to;
                outbox::enqueue(&keys, c, mail_kind, &mail, now)?;
                Ok(Acted::Done)
            })
            .await
    }
}

/// The open account's kind and whether a suspension stands; `None` when there is no
/// open account.
fn account_state(c: &mut DbConn, user: &str) -> Result<Option<(String, bool)>> {
    let row: Option<(String, Option<i64>)> = users::table
        .filter(users::id.eq(user))
        .filter(users::closed_at.is_null())
        .select((users::kind, users::suspended_at))
        .first(c)
        .optional()?;
    Ok(row.map(|(k, s)| (k, s.is_some())))
}

/// Ends every session of `user` at once.
pub(crate) fn end_sessions(c: &mut DbConn, user: &str, now: i64) -> Result<()> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now)))
    .execute(c)?;
    Ok(())
}
