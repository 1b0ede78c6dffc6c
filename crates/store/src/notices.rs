//! Telling people: one in-app notification per event, and a mail unless the person
//! switched that group of mail off. Each mail says that something happened and links
//! to it (the composer is the web layer's: `selection::Notice`); notification mail
//! carries a one-click unsubscribe link for its group.
use crate::error::Result;
use crate::schema::{notification_settings, notifications, unsubscribe_links, users};
use crate::selection::Notice;
use crate::{DbConn, Keyring, Store, new_id, token_hash};
use diesel::prelude::*;
use domain::notice::NoticeGroup;

/// Whether `user` wants mail of notification `kind` (no row: yes).
pub(crate) fn mail_wanted(c: &mut DbConn, user: &str, kind: &str) -> Result<bool> {
    let Some(group) = NoticeGroup::of(kind) else {
        return Ok(true);
    };
    let chosen: Option<bool> = notification_settings::table
        .filter(notification_settings::user_id.eq(user))
        .filter(notification_settings::kind.eq(group.as_str()))
        .select(notification_settings::email)
        .first(c)
        .optional()?;
    Ok(chosen.unwrap_or(true))
}

/// The one-click unsubscribe token of `user`'s mail of `group`: a keyed hash (so the
/// same link every time, and no one can make one), stored only as its hash.
pub(crate) fn unsubscribe_token(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    group: NoticeGroup,
    now: i64,
) -> Result<String> {
    let token = keys.blind_index("unsubscribe", &format!("{user}\0{}", group.as_str()))?;
    let hash = token_hash(&token);
    let known: i64 = unsubscribe_links::table
        .filter(unsubscribe_links::token.eq(&hash))
        .count()
        .get_result(c)?;
    if known == 0 {
        diesel::insert_into(unsubscribe_links::table)
            .values((
                unsubscribe_links::token.eq(&hash),
                unsubscribe_links::user_id.eq(user),
                unsubscribe_links::kind.eq(group.as_str()),
                unsubscribe_links::created_at.eq(now),
            ))
            .execute(c)?;
    }
    Ok(token)
}

/// Queues the mail of one notice to `user` if they want it (an open account only).
pub(crate) fn mail(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    kind: &str,
    path: &str,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    let row: Option<(Vec<u8>, String)> = users::table
        .filter(users::id.eq(user))
        .filter(users::closed_at.is_null())
        .select((users::email_enc, users::lang))
        .first(c)
        .optional()?;
    let Some((enc, lang)) = row else {
        return Ok(());
    };
    let email = keys.open_string("users", "email", user, &enc)?;
    enqueue_notice(
        c,
        keys,
        user,
        kind,
        (notice.0)(&email, &lang, kind, path),
        now,
    )
}

/// Queues an already written notification mail to `user` if they want mail of `kind`,
/// with its one-click unsubscribe token.
pub(crate) fn enqueue_notice(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    kind: &str,
    mut mail: crate::outbox::Mail,
    now: i64,
) -> Result<()> {
    if !mail_wanted(c, user, kind)? {
        return Ok(());
    }
    if let Some(g) = NoticeGroup::of(kind) {
        mail.unsubscribe = Some(unsubscribe_token(c, keys, user, g, now)?);
    }
    crate::outbox::enqueue(keys, c, kind, &mail, now)?;
    Ok(())
}

/// Tells `user` of an event: the in-app entry (always) and the mail (if wanted).
#[allow(clippy::too_many_arguments)]
pub(crate) fn tell(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    kind: &str,
    ref_id: &str,
    path: &str,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    diesel::insert_into(notifications::table)
        .values((
            notifications::id.eq(new_id()),
            notifications::user_id.eq(user),
            notifications::kind.eq(kind),
            notifications::ref_id.eq(ref_id),
            notifications::created_at.eq(now),
        ))
        .execute(c)?;
    mail(c, keys, user, kind, path, notice, now)
}

/// One mail switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct MailSetting {
    pub kind: NoticeGroup,
    /// Whether mail of this kind is sent (the in-app notification always is).
    pub email: bool,
}

impl Store {
    /// The person's mail switches, one per group (on unless switched off).
    pub async fn notification_settings(&self, user: String) -> Result<Vec<MailSetting>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, bool)> = notification_settings::table
                    .filter(notification_settings::user_id.eq(&user))
                    .select((notification_settings::kind, notification_settings::email))
                    .load(c)?;
                Ok(NoticeGroup::ALL
                    .into_iter()
                    .map(|g| MailSetting {
                        kind: g,
                        email: rows
                            .iter()
                            .find(|(k, _)| k == g.as_str())
                            .is_none_or(|(_, e)| *e),
                    })
                    .collect())
            })
            .await
    }

    /// Sets some of the person's mail switches (the others stay as they are).
    pub async fn set_notification_settings(
        &self,
        user: String,
        settings: Vec<(NoticeGroup, bool)>,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| {
                for (g, email) in settings {
                    set_one(c, &user, g, email, now)?;
                }
                Ok(())
            })
            .await
    }

    /// The group and whose mail a one-click unsubscribe token turns off (no one: `None`).
    pub async fn unsubscribe_lookup(&self, token: String) -> Result<Option<NoticeGroup>> {
        self.db
            .read(move |c| {
                let kind: Option<String> = unsubscribe_links::table
                    .filter(unsubscribe_links::token.eq(token_hash(&token)))
                    .select(unsubscribe_links::kind)
                    .first(c)
                    .optional()?;
                Ok(kind.as_deref().and_then(NoticeGroup::parse))
            })
            .await
    }

    /// Turns off the mail a one-click unsubscribe token names. The group, or `None` for
    /// an unknown token.
    pub async fn unsubscribe(&self, token: String, now: i64) -> Result<Option<NoticeGroup>> {
        self.db
            .write(move |c| {
                let row: Option<(String, String)> = unsubscribe_links::table
                    .filter(unsubscribe_links::token.eq(token_hash(&token)))
                    .select((unsubscribe_links::user_id, unsubscribe_links::kind))
                    .first(c)
                    .optional()?;
                let Some((user, kind)) = row else {
                    return Ok(None);
                };
                let Some(g) = NoticeGroup::parse(&kind) else {
                    return Ok(None);
                };
                set_one(c, &user, g, false, now)?;
                Ok(Some(g))
            })
            .await
    }
}

fn set_one(c: &mut DbConn, user: &str, g: NoticeGroup, email: bool, now: i64) -> Result<()> {
    let n = diesel::update(
        notification_settings::table
            .filter(notification_settings::user_id.eq(user))
            .filter(notification_settings::kind.eq(g.as_str())),
    )
    .set((
        notification_settings::email.eq(email),
        notification_settings::updated_at.eq(now),
    ))
    .execute(c)?;
    if n == 0 {
        diesel::insert_into(notification_settings::table)
            .values((
                notification_settings::user_id.eq(user),
                notification_settings::kind.eq(g.as_str()),
                notification_settings::email.eq(email),
                notification_settings::updated_at.eq(now),
            ))
            .execute(c)?;
    }
    Ok(())
}
