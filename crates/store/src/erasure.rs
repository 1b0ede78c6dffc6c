//! 退会 (closing an account) and the retention run that erases what is no longer kept.
//!
//! **Closing** takes effect at once, in one transaction: every session ends, the address
//! is free to register again, the person leaves every organisation and family link, and
//! the door (`disclosure`) shows nobody anything of a closed account. Rows others still
//! reference (a thread, a support record, an application) stay, and read as a
//! placeholder.
//!
//! **The retention run** (`tsunagu retention run`, and every node's background loop)
//! erases a closed account once its period has passed ([`Keeping`]). Each account is
//! claimed by one conditional update of `users.erased_at`, so it is erased once however
//! many nodes run at the same time. Erasing:
//! - seals again, under a key of their own, the records a law keeps longer than the
//!   account (支援記録 and monthly reports: 5 years), and holds that key until then;
//! - deletes the rows that exist only for the person (profile, drafts, saved searches,
//!   notifications, check-ins, comments, alerts, the messages of their own threads);
//! - destroys the person's data key in the key store, so every sealed field of theirs is
//!   unreadable in the live data and in every backup, and lists them as erased.
//!
//! What a law keeps for its own period stays: third-party provision records (3 years
//! from the last provision, then deleted here), consents (the evidence of those
//! records), the hash-chained audit log (ids and item names only, never values).
use crate::audit::{self, Entry};
use crate::error::{Result, StoreError};
use crate::outbox::{self, Mail};
use crate::schema::{
    alerts, attachments, certificate_reminders, daily_reports, email_checks, family_links,
    form_drafts, login_challenges, memberships, messages, monthly_reports, notification_settings,
    notifications, password_resets, profile_drafts, profile_sections, provision_records,
    recovery_codes, report_comments, report_items, retention_holds, saved_searches, sessions,
    support_records, thread_reads, threads, totp_factors, unsubscribe_links, users,
};
use crate::{DbConn, Keyring, Store};
use diesel::prelude::*;

const DAY: i64 = 86_400;
const ADMIN_ROLES: [&str; 2] = ["company_admin", "facility_admin"];

/// How long each kind of data is kept (LAW.md §7), in days.
#[derive(Debug, Clone, Copy)]
pub struct Keeping {
    /// A closed account's data (`retention_closed_days`; default 5 years).
    pub closed_days: i64,
    /// Support records and monthly reports, from the closing (指定基準: 5 years).
    pub records_days: i64,
    /// Third-party provision records, from the last provision (規則21条: 3 years).
    pub provision_days: i64,
}

impl Keeping {
    pub fn with_closed_days(closed_days: i64) -> Self {
        Self {
            closed_days,
            ..Self::default()
        }
    }
}

impl Default for Keeping {
    fn default() -> Self {
        Self {
            closed_days: domain::account::CLOSED_KEPT_DAYS,
            records_days: 5 * 365,
            provision_days: 3 * 365 + 1,
        }
    }
}

/// What one retention run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RetentionReport {
    pub accounts_erased: usize,
    pub records_held: usize,
    pub holds_released: usize,
    pub provision_records_deleted: usize,
}

/// What closing refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseRefused {
    /// Already closed, or no such account.
    NotOpen,
    /// The last admin of an organisation with other members: hand the role on first.
    LastAdmin,
}

impl Store {
    /// 退会: closes `user`'s account (the password was checked by the caller). Queues a
    /// mail to the person's address saying what is kept and until when (`compose` gets
    /// the account's language and the erasure date as Unix seconds).
    pub async fn close_account(
        &self,
        user: String,
        keeping: Keeping,
        now: i64,
        ctx: crate::accounts::Ctx,
        compose: impl FnOnce(&str, i64) -> Mail + Send + 'static,
    ) -> Result<std::result::Result<(), CloseRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, Vec<u8>)> = users::table
                    .filter(users::id.eq(&user))
                    .filter(users::closed_at.is_null())
                    .select((users::lang, users::email_enc))
                    .first(c)
                    .optional()?;
                let Some((lang, email_enc)) = row else {
                    return Ok(Err(CloseRefused::NotOpen));
                };
                if last_admin_of_shared_org(c, &user)? {
                    return Ok(Err(CloseRefused::LastAdmin));
                }
                let email = keys.open_string("users", "email", &user, &email_enc)?;
                close_rows(c, &user, now)?;
                audit::append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(user.clone()),
                        subject_id: Some(user.clone()),
                        action: "account.close".into(),
                        purpose: "withdrawal".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                        ..Default::default()
                    },
                )?;
                let mut mail = compose(&lang, now + keeping.closed_days * DAY);
                mail.to = email;
                outbox::enqueue(&keys, c, "account_closed", &mail, now)?;
                Ok(Ok(()))
            })
            .await
    }

    /// The retention run: erases every account closed longer than `keeping.closed_days`,
    /// destroys held record keys whose period ended, and deletes provision records of
    /// erased people past their period. Safe to run on every node at once.
    pub async fn retention_run(&self, keeping: Keeping, now: i64) -> Result<RetentionReport> {
        let mut report = RetentionReport::default();
        self.finish_erasures(now).await?;
        let due: Vec<String> = self
            .db
            .read(move |c| {
                Ok(users::table
                    .filter(users::closed_at.le(now - keeping.closed_days * DAY))
                    .filter(users::erased_at.is_null())
                    .select(users::id)
                    .load(c)?)
            })
            .await?;
        for user in due {
            let keys = self.keys.clone();
            let held = self
                .db
                .write(move |c| erase_account(c, &keys, &user, keeping, now))
                .await?;
            if let Some(held) = held {
                report.accounts_erased += 1;
                report.records_held += held;
            }
        }
        self.finish_erasures(now).await?;
        let holds: Vec<(String, String)> = self
            .db
            .read(move |c| {
                Ok(retention_holds::table
                    .filter(retention_holds::until_at.le(now))
                    .select((retention_holds::subject_id, retention_holds::owner_id))
                    .load(c)?)
            })
            .await?;
        for (subject, owner) in holds {
            let keys = self.keys.clone();
            let released = self
                .db
                .write(move |c| {
                    let n = diesel::delete(
                        retention_holds::table.filter(retention_holds::subject_id.eq(&subject)),
                    )
                    .execute(c)?;
                    if n == 0 {
                        return Ok(false);
                    }
                    diesel::delete(
                        support_records::table.filter(support_records::seeker_id.eq(&owner)),
                    )
                    .execute(c)?;
                    diesel::delete(
                        monthly_reports::table.filter(monthly_reports::seeker_id.eq(&owner)),
                    )
                    .execute(c)?;
                    keys.erase_subject(c, &subject, now)?;
                    Ok(true)
                })
                .await?;
            if released {
                report.holds_released += 1;
            }
        }
        report.provision_records_deleted = self
            .db
            .write(move |c| {
                let erased = users::table
                    .filter(users::erased_at.is_not_null())
                    .select(users::id);
                Ok(diesel::delete(
                    provision_records::table
                        .filter(provision_records::last_at.le(now - keeping.provision_days * DAY))
                        .filter(provision_records::seeker_id.eq_any(erased)),
                )
                .execute(c)?)
            })
            .await?;
        Ok(report)
    }
}

impl Store {
    /// Destroys the keys of every erased account (and of its own threads) not destroyed
    /// yet. The erasure's rows commit first, then the keys go: a run stopped between the
    /// two is finished by the next one, and a key is never destroyed under records that
    /// were still to be sealed again.
    pub(crate) async fn finish_erasures(&self, now: i64) -> Result<()> {
        use crate::schema::erased_subjects;
        let pending: Vec<String> = self
            .db
            .read(move |c| {
                let done = erased_subjects::table.select(erased_subjects::subject_id);
                Ok(users::table
                    .filter(users::erased_at.is_not_null())
                    .filter(users::id.ne_all(done))
                    .select(users::id)
                    .load(c)?)
            })
            .await?;
        for user in pending {
            let keys = self.keys.clone();
            self.db
                .write(move |c| {
                    let own_threads: Vec<String> = threads::table
                        .filter(threads::seeker_id.eq(&user))
                        .select(threads::id)
                        .load(c)?;
                    for t in &own_threads {
                        keys.erase_subject(c, t, now)?;
                    }
                    // The person's own key last: it marks the erasure finished.
                    keys.erase_subject(c, &user, now)?;
                    Ok(())
                })
                .await?;
        }
        Ok(())
    }
}

/// What closing does to the rows, at once: the account closed and its address freed,
/// every session, reset link and address link gone, every membership and family link ended.
pub(crate) fn close_rows(c: &mut DbConn, user: &str, now: i64) -> Result<()> {
    diesel::update(
        users::table
            .filter(users::id.eq(user))
            .filter(users::closed_at.is_null()),
    )
    .set((
        users::closed_at.eq(Some(now)),
        // The address may register again at once; login finds nothing.
        users::email_bidx.eq(format!("closed:{user}")),
    ))
    .execute(c)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user))).execute(c)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(user))).execute(c)?;
    diesel::delete(login_challenges::table.filter(login_challenges::user_id.eq(user)))
        .execute(c)?;
    diesel::delete(email_checks::table.filter(email_checks::user_id.eq(user))).execute(c)?;
    diesel::update(
        memberships::table
            .filter(memberships::user_id.eq(user))
            .filter(memberships::ended_at.is_null()),
    )
    .set(memberships::ended_at.eq(Some(now)))
    .execute(c)?;
    diesel::update(
        family_links::table
            .filter(
                family_links::seeker_id
                    .eq(user)
                    .or(family_links::family_id.eq(user)),
            )
            .filter(family_links::ended_at.is_null()),
    )
    .set(family_links::ended_at.eq(Some(now)))
    .execute(c)?;
    Ok(())
}

/// Whether `user` is the only admin of an organisation that still has other members
/// (closing would leave it without anyone to manage it).
fn last_admin_of_shared_org(c: &mut DbConn, user: &str) -> Result<bool> {
    let admin_of: Vec<String> = memberships::table
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .filter(memberships::role.eq_any(ADMIN_ROLES))
        .select(memberships::org_id)
        .load(c)?;
    for org in admin_of {
        let others: Vec<String> = memberships::table
            .filter(memberships::org_id.eq(&org))
            .filter(memberships::ended_at.is_null())
            .filter(memberships::user_id.ne(user))
            .select(memberships::role)
            .load(c)?;
        let other_admin = others.iter().any(|r| ADMIN_ROLES.contains(&r.as_str()));
        if !others.is_empty() && !other_admin {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Erases one closed account's rows, if no other run claimed it first. Returns how many
/// kept records were sealed again under their own held key, or `None` when already
/// claimed.
pub(crate) fn erase_account(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    keeping: Keeping,
    now: i64,
) -> Result<Option<usize>> {
    let claimed = diesel::update(
        users::table
            .filter(users::id.eq(user))
            .filter(users::closed_at.is_not_null())
            .filter(users::erased_at.is_null()),
    )
    .set((
        users::erased_at.eq(Some(now)),
        users::password_hash.eq("!erased"),
        users::email_bidx.eq(format!("erased:{user}")),
    ))
    .execute(c)?;
    if claimed == 0 {
        return Ok(None);
    }
    let closed_at: i64 = users::table
        .filter(users::id.eq(user))
        .select(users::closed_at)
        .first::<Option<i64>>(c)?
        .unwrap_or(now);
    let held = hold_records(c, keys, user, closed_at + keeping.records_days * DAY)?;
    // Rows that exist only for the person.
    diesel::delete(profile_sections::table.filter(profile_sections::user_id.eq(user)))
        .execute(c)?;
    diesel::delete(profile_drafts::table.filter(profile_drafts::seeker_id.eq(user))).execute(c)?;
    diesel::delete(form_drafts::table.filter(form_drafts::owner.eq(format!("u:{user}"))))
        .execute(c)?;
    diesel::delete(saved_searches::table.filter(saved_searches::user_id.eq(user))).execute(c)?;
    diesel::delete(totp_factors::table.filter(totp_factors::user_id.eq(user))).execute(c)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(c)?;
    diesel::delete(notifications::table.filter(notifications::user_id.eq(user))).execute(c)?;
    diesel::delete(notification_settings::table.filter(notification_settings::user_id.eq(user)))
        .execute(c)?;
    diesel::delete(unsubscribe_links::table.filter(unsubscribe_links::user_id.eq(user)))
        .execute(c)?;
    diesel::delete(certificate_reminders::table.filter(certificate_reminders::user_id.eq(user)))
        .execute(c)?;
    diesel::delete(daily_reports::table.filter(daily_reports::seeker_id.eq(user))).execute(c)?;
    diesel::delete(report_items::table.filter(report_items::seeker_id.eq(user))).execute(c)?;
    diesel::delete(report_comments::table.filter(report_comments::seeker_id.eq(user)))
        .execute(c)?;
    diesel::delete(alerts::table.filter(alerts::seeker_id.eq(user))).execute(c)?;
    diesel::delete(thread_reads::table.filter(thread_reads::user_id.eq(user))).execute(c)?;
    // The person's own threads (with companies, their facility): the messages go, and
    // the thread's key with them. Threads stay as empty rows others' records point to.
    let own_threads: Vec<String> = threads::table
        .filter(threads::seeker_id.eq(user))
        .select(threads::id)
        .load(c)?;
    for t in &own_threads {
        let ids = messages::table
            .filter(messages::thread_id.eq(t))
            .select(messages::id);
        diesel::delete(attachments::table.filter(attachments::message_id.eq_any(ids)))
            .execute(c)?;
        diesel::delete(messages::table.filter(messages::thread_id.eq(t))).execute(c)?;
        diesel::delete(thread_reads::table.filter(thread_reads::thread_id.eq(t))).execute(c)?;
    }
    // The keys (the person's and their threads') are destroyed once this commits
    // (`finish_erasures`).
    audit::append(
        c,
        now,
        Entry {
            actor_id: None,
            subject_id: Some(user.to_owned()),
            action: "account.erase".into(),
            purpose: "retention".into(),
            ..Default::default()
        },
    )?;
    Ok(Some(held))
}

/// Seals the person's support records and monthly reports again under a key of their
/// own (subject `kept:<user>`), held until `until`. Returns how many rows moved.
fn hold_records(c: &mut DbConn, keys: &Keyring, user: &str, until: i64) -> Result<usize> {
    let records: Vec<(String, Vec<u8>)> = support_records::table
        .filter(support_records::seeker_id.eq(user))
        .select((support_records::id, support_records::data_enc))
        .load(c)?;
    let months: Vec<(String, Vec<u8>)> = monthly_reports::table
        .filter(monthly_reports::seeker_id.eq(user))
        .select((monthly_reports::id, monthly_reports::body_enc))
        .load(c)?;
    if records.is_empty() && months.is_empty() {
        return Ok(0);
    }
    let subject = format!("kept:{user}");
    let key = match keys.subject_key(&subject) {
        Err(StoreError::KeyErased) => keys.new_subject_key(&subject, until)?,
        r => r?,
    };
    for (id, enc) in &records {
        let plain = keys.open("support_records", "data", id, enc)?;
        let sealed = key.seal("support_records", "data", id, &plain)?;
        diesel::update(support_records::table.filter(support_records::id.eq(id)))
            .set(support_records::data_enc.eq(sealed))
            .execute(c)?;
    }
    for (id, enc) in &months {
        let plain = keys.open("monthly_reports", "body", id, enc)?;
        let sealed = key.seal("monthly_reports", "body", id, &plain)?;
        diesel::update(monthly_reports::table.filter(monthly_reports::id.eq(id)))
            .set(monthly_reports::body_enc.eq(sealed))
            .execute(c)?;
    }
    let have: i64 = retention_holds::table
        .filter(retention_holds::subject_id.eq(&subject))
        .count()
        .get_result(c)?;
    if have == 0 {
        diesel::insert_into(retention_holds::table)
            .values((
                retention_holds::subject_id.eq(&subject),
                retention_holds::owner_id.eq(user),
                retention_holds::kind.eq("support_records"),
                retention_holds::until_at.eq(until),
            ))
            .execute(c)?;
    }
    Ok(records.len() + months.len())
}
