//! The transactional mail outbox. A mail is queued in the same transaction as the
//! change that causes it, sealed with its own data key; delivery (the worker crate)
//! retries with back-off until the mail server takes it, then erases the key and the
//! body, keeping only the fact that a mail of that kind was sent.
use crate::error::{Result, StoreError};
use crate::schema::outbox;
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    /// Notification mail: the one-click unsubscribe address of its kind (RFC 8058).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<String>,
}

/// Queues `mail` (call inside the transaction of the change that causes it).
pub fn enqueue(
    store_keys: &crate::Keyring,
    conn: &mut DbConn,
    kind: &str,
    mail: &Mail,
    now: i64,
) -> Result<String> {
    let id = new_id();
    let key = store_keys.new_subject_key(&id, now)?;
    let json = serde_json::to_vec(mail).map_err(|_| StoreError::Crypto("mail encoding"))?;
    let sealed = key.seal("outbox", "payload_enc", &id, &json)?;
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::kind.eq(kind),
            outbox::payload_enc.eq(Some(sealed)),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    crate::db::note_mail_queued();
    Ok(id)
}

/// A queued mail ready to send.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub kind: String,
    pub attempts: i32,
    pub mail: Mail,
}

/// Seconds a claimed mail is left to its claimant before another may take it.
pub const CLAIM_LEASE: i64 = 600;

/// Seconds to wait after the n-th failed attempt: 30 s doubling, at most an hour.
pub fn backoff(attempts: i32) -> i64 {
    let shift = attempts.clamp(0, 7) as u32;
    (30i64 << shift).min(3600)
}

impl Store {
    /// Claims the mails due before `due_before` for delivery, oldest first, at most
    /// `limit`. A mail is claimed for a lease only where no live claim holds it, in one
    /// statement; so two workers (or `send-mail` beside a running server) never deliver
    /// one mail twice, and a claimant that dies before the mail is sent leaves it to be
    /// retried when the lease ends.
    pub async fn outbox_claim(
        &self,
        due_before: i64,
        now: i64,
        limit: i64,
    ) -> Result<Vec<Pending>> {
        let seen: Vec<String> = self
            .db
            .read(move |c| {
                Ok(outbox::table
                    .filter(outbox::sent_at.is_null())
                    .filter(outbox::payload_enc.is_not_null())
                    .filter(outbox::next_attempt_at.le(due_before))
                    .filter(
                        outbox::claimed_until
                            .is_null()
                            .or(outbox::claimed_until.le(now)),
                    )
                    .order(outbox::created_at.asc())
                    .limit(limit)
                    .select(outbox::id)
                    .load(c)?)
            })
            .await?;
        let mut out = Vec::new();
        for id in seen {
            let keys = self.keys.clone();
            let claimed = self
                .db
                .write(move |c| {
                    let won = diesel::update(
                        outbox::table
                            .filter(outbox::id.eq(&id))
                            .filter(outbox::sent_at.is_null())
                            .filter(
                                outbox::claimed_until
                                    .is_null()
                                    .or(outbox::claimed_until.le(now)),
                            ),
                    )
                    .set(outbox::claimed_until.eq(Some(now + CLAIM_LEASE)))
                    .execute(c)?;
                    if won == 0 {
                        return Ok(None);
                    }
                    let (kind, attempts, payload): (String, i32, Option<Vec<u8>>) = outbox::table
                        .filter(outbox::id.eq(&id))
                        .select((outbox::kind, outbox::attempts, outbox::payload_enc))
                        .first(c)?;
                    let Some(payload) = payload else {
                        return Ok(None);
                    };
                    let opened = keys
                        .open("outbox", "payload_enc", &id, &payload)
                        .ok()
                        .and_then(|plain| serde_json::from_slice::<Mail>(&plain).ok());
                    let Some(mail) = opened else {
                        // Left for a person to look at (its key is gone or it is
                        // damaged); it must not hold up the mails behind it.
                        tracing::error!(mail_id = %id, "a queued mail cannot be opened");
                        diesel::update(outbox::table.filter(outbox::id.eq(&id)))
                            .set((
                                outbox::attempts.eq(attempts + 1),
                                outbox::next_attempt_at.eq(now + backoff(attempts + 1)),
                                outbox::last_error.eq(Some("unreadable")),
                                outbox::claimed_until.eq(None::<i64>),
                            ))
                            .execute(c)?;
                        return Ok(None);
                    };
                    Ok(Some(Pending {
                        id,
                        kind,
                        attempts,
                        mail,
                    }))
                })
                .await?;
            out.extend(claimed);
        }
        Ok(out)
    }

    /// Marks a mail delivered and erases its content.
    pub async fn outbox_sent(&self, id: String, now: i64) -> Result<()> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                diesel::update(outbox::table.filter(outbox::id.eq(&id)))
                    .set((
                        outbox::sent_at.eq(Some(now)),
                        outbox::payload_enc.eq(None::<Vec<u8>>),
                        outbox::last_error.eq(None::<String>),
                    ))
                    .execute(c)?;
                keys.erase_subject(c, &id, now)?;
                Ok(())
            })
            .await
    }

    /// Records a failed attempt; `error_class` must hold no personal data.
    pub async fn outbox_failed(
        &self,
        id: String,
        attempts: i32,
        error_class: String,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| {
                diesel::update(outbox::table.filter(outbox::id.eq(&id)))
                    .set((
                        outbox::attempts.eq(attempts + 1),
                        outbox::next_attempt_at.eq(now + backoff(attempts + 1)),
                        outbox::last_error.eq(Some(error_class)),
                        outbox::claimed_until.eq(None::<i64>),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .await
    }

    /// Number of mails not yet delivered (for readiness and metrics).
    /// Resolves once mail has been queued by a committed write of this store (at once
    /// if some was since the last call).
    pub async fn mail_queued(&self) {
        self.db.mail_queued().await
    }

    pub async fn outbox_backlog(&self) -> Result<i64> {
        self.db
            .read(|c| {
                outbox::table
                    .filter(outbox::sent_at.is_null())
                    .count()
                    .get_result(c)
                    .map_err(StoreError::from)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(super::backoff(0), 30);
        assert_eq!(super::backoff(1), 60);
        assert_eq!(super::backoff(20), 3600);
    }
}
