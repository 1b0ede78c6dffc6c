//! The reminder mail three months before a 精神障害者保健福祉手帳 expires.
use crate::Store;
use crate::error::Result;
use crate::schema::{certificate_reminders, users};
use diesel::prelude::*;
use domain::profile::Date;

impl Store {
    /// Seekers whose 精神障害者保健福祉手帳 reminder is due on or before `today` and not
    /// yet sent; each is marked as reminded in the same transaction as its mail.
    pub async fn certificate_reminders_due(
        &self,
        today: Date,
        now: i64,
        compose: impl Fn(&str, &str) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<usize> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let due: Vec<String> = certificate_reminders::table
                    .filter(certificate_reminders::reminded_at.is_null())
                    .filter(certificate_reminders::remind_on.le(today.to_string()))
                    .select(certificate_reminders::user_id)
                    .load(c)?;
                for user in &due {
                    let (email_enc, lang): (Vec<u8>, String) = users::table
                        .filter(users::id.eq(user))
                        .select((users::email_enc, users::lang))
                        .first(c)?;
                    let email = keys.open_string("users", "email", user, &email_enc)?;
                    crate::notices::enqueue_notice(
                        c,
                        &keys,
                        user,
                        "certificate_reminder",
                        compose(&email, &lang),
                        now,
                    )?;
                    diesel::update(
                        certificate_reminders::table
                            .filter(certificate_reminders::user_id.eq(user)),
                    )
                    .set(certificate_reminders::reminded_at.eq(Some(now)))
                    .execute(c)?;
                }
                Ok(due.len())
            })
            .await
    }
}
