//! Sessions: web (cookie) and API (bearer) sessions share one table. Only the SHA-256
//! of a token is stored. A session ends at its absolute expiry, after its idle time,
//! when revoked, or when the account closes.
use crate::error::Result;
use crate::factors::AuthMethod;
use crate::schema::{sessions, users};
use crate::{Store, new_id, new_token, token_hash};
use diesel::prelude::*;
use domain::UserKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Web,
    Api,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Api => "api",
        }
    }
}

/// Timeouts of one channel, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub idle: i64,
    pub absolute: i64,
}

/// A live session, resolved from its token.
#[derive(Debug, Clone)]
pub struct Live {
    pub session_id: String,
    pub user_id: String,
    pub kind: UserKind,
    pub lang: String,
    /// The account's display settings code (empty: none chosen).
    pub display: String,
    pub expires_at: i64,
    /// When the session ends if nothing happens (min of idle end and absolute end).
    pub idle_deadline: i64,
    /// How it was signed in.
    pub auth_method: AuthMethod,
    /// Whether the account's address is confirmed (`email_checks`).
    pub email_verified: bool,
    /// Whether a policy text waits for the person's decision (`policies`).
    pub policy_due: bool,
}

/// A session as listed to its owner.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Listed {
    pub id: String,
    pub channel: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    /// How it was signed in.
    pub auth_method: AuthMethod,
}

/// A live session's row: id, user, last seen, expiry, kind, language, display, method,
/// when the address was confirmed.
type LiveRow = (
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
);

/// Last-seen times are written at most this often, to keep reads cheap.
const TOUCH_EVERY: i64 = 30;

impl Store {
    /// Starts a session; returns its id and the token to give the client.
    pub async fn session_start(
        &self,
        user_id: String,
        channel: Channel,
        user_agent: String,
        method: AuthMethod,
        t: Timeouts,
        now: i64,
    ) -> Result<(String, String)> {
        let (token, hash) = new_token();
        let id = new_id();
        let sid = id.clone();
        self.db
            .write(move |c| {
                diesel::insert_into(sessions::table)
                    .values((
                        sessions::id.eq(&id),
                        sessions::token_hash.eq(&hash),
                        sessions::user_id.eq(&user_id),
                        sessions::channel.eq(channel.as_str()),
                        sessions::user_agent.eq(user_agent.chars().take(200).collect::<String>()),
                        sessions::created_at.eq(now),
                        sessions::last_seen_at.eq(now),
                        sessions::expires_at.eq(now + t.absolute),
                        sessions::auth_method.eq(method.as_str()),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .await?;
        Ok((sid, token))
    }

    /// Resolves a token to a live session of `channel`, touching its last-seen time.
    pub async fn session_resolve(
        &self,
        token: &str,
        channel: Channel,
        t: Timeouts,
        now: i64,
    ) -> Result<Option<Live>> {
        let hash = token_hash(token);
        let found: Option<(LiveRow, bool)> = self
            .db
            .read(move |c| {
                let row: Option<LiveRow> = sessions::table
                    .inner_join(users::table)
                    .filter(sessions::token_hash.eq(&hash))
                    .filter(sessions::channel.eq(channel.as_str()))
                    .filter(sessions::revoked_at.is_null())
                    .filter(sessions::expires_at.gt(now))
                    .filter(sessions::last_seen_at.gt(now - t.idle))
                    .filter(users::closed_at.is_null())
                    .filter(users::suspended_at.is_null())
                    .select((
                        sessions::id,
                        sessions::user_id,
                        sessions::last_seen_at,
                        sessions::expires_at,
                        users::kind,
                        users::lang,
                        users::display,
                        sessions::auth_method,
                        users::email_verified_at,
                    ))
                    .first(c)
                    .optional()?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let due = !crate::policies::decisions_due(c, &row.1)?.is_empty();
                Ok(Some((row, due)))
            })
            .await?;
        let (row, policy_due) = found.unzip();
        let Some((
            session_id,
            user_id,
            last_seen,
            expires_at,
            kind,
            lang,
            display,
            method,
            verified_at,
        )) = row
        else {
            return Ok(None);
        };
        let Some(kind) = UserKind::parse(&kind) else {
            return Ok(None);
        };
        let mut seen = last_seen;
        if now - last_seen >= TOUCH_EVERY {
            let id = session_id.clone();
            self.db
                .write(move |c| {
                    diesel::update(sessions::table.filter(sessions::id.eq(&id)))
                        .set(sessions::last_seen_at.eq(now))
                        .execute(c)?;
                    Ok(())
                })
                .await?;
            seen = now;
        }
        Ok(Some(Live {
            session_id,
            user_id,
            kind,
            lang,
            display,
            expires_at,
            idle_deadline: (seen + t.idle).min(expires_at),
            auth_method: AuthMethod::parse(&method),
            email_verified: verified_at.is_some(),
            policy_due: policy_due.unwrap_or(false),
        }))
    }

    /// The user of a session that ended by time-out (idle or absolute) within the last
    /// `grace` seconds: not signed out, not revoked, the account still open. A form sent
    /// with it is kept as a draft for that user instead of being lost.
    pub async fn session_timed_out(
        &self,
        token: &str,
        channel: Channel,
        t: Timeouts,
        grace: i64,
        now: i64,
    ) -> Result<Option<String>> {
        let hash = token_hash(token);
        self.db
            .read(move |c| {
                let row: Option<(String, i64, i64)> = sessions::table
                    .inner_join(users::table)
                    .filter(sessions::token_hash.eq(&hash))
                    .filter(sessions::channel.eq(channel.as_str()))
                    .filter(sessions::revoked_at.is_null())
                    .filter(users::closed_at.is_null())
                    .filter(users::suspended_at.is_null())
                    .select((
                        sessions::user_id,
                        sessions::last_seen_at,
                        sessions::expires_at,
                    ))
                    .first(c)
                    .optional()?;
                Ok(row.and_then(|(user, seen, expires)| {
                    let ended = (seen + t.idle).min(expires);
                    (ended <= now && now - ended <= grace).then_some(user)
                }))
            })
            .await
    }

    /// Keeps a session alive now (the "extend" button before an idle time-out).
    pub async fn session_touch(&self, session_id: String, now: i64) -> Result<()> {
        self.db
            .write(move |c| {
                diesel::update(sessions::table.filter(sessions::id.eq(&session_id)))
                    .set(sessions::last_seen_at.eq(now))
                    .execute(c)?;
                Ok(())
            })
            .await
    }

    /// The owner's live sessions, newest first.
    pub async fn sessions_of(&self, user_id: String, now: i64) -> Result<Vec<Listed>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, i64, i64, i64, String)> = sessions::table
                    .filter(sessions::user_id.eq(&user_id))
                    .filter(sessions::revoked_at.is_null())
                    .filter(sessions::expires_at.gt(now))
                    .order(sessions::created_at.desc())
                    .select((
                        sessions::id,
                        sessions::channel,
                        sessions::user_agent,
                        sessions::created_at,
                        sessions::last_seen_at,
                        sessions::expires_at,
                        sessions::auth_method,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(
                        |(id, channel, user_agent, created_at, last_seen_at, expires_at, m)| {
                            Listed {
                                id,
                                channel,
                                user_agent,
                                created_at,
                                last_seen_at,
                                expires_at,
                                auth_method: AuthMethod::parse(&m),
                            }
                        },
                    )
                    .collect())
            })
            .await
    }

    /// Revokes one of the owner's sessions. False if there was none such.
    pub async fn session_revoke(
        &self,
        user_id: String,
        session_id: String,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    sessions::table
                        .filter(sessions::id.eq(&session_id))
                        .filter(sessions::user_id.eq(&user_id))
                        .filter(sessions::revoked_at.is_null()),
                )
                .set(sessions::revoked_at.eq(Some(now)))
                .execute(c)?;
                Ok(n > 0)
            })
            .await
    }
}

/// Revokes every session of a user (after a password reset). Inside a transaction.
pub fn revoke_all(c: &mut crate::DbConn, user_id: &str, now: i64) -> Result<usize> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(Some(now)))
    .execute(c)?)
}
