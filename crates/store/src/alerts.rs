//! Saved searches and in-app notifications. A saved search is sealed with its owner's
//! data key: the words and filters someone searches for can reveal their needs.
use crate::error::Result;
use crate::schema::{notifications, saved_searches, users};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;

#[derive(Debug, Clone)]
pub struct SavedSearch {
    pub id: String,
    pub user_id: String,
    /// The search as a URL query string (`q=…&pref=…`).
    pub query: String,
    pub created_at: i64,
    pub checked_at: i64,
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: String,
    pub kind: String,
    pub ref_id: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

/// At most this many saved searches per person.
pub const MAX_SAVED: i64 = 20;

impl Store {
    /// False when the person already has the most saved searches allowed.
    pub async fn save_search(&self, user: String, query: String, now: i64) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let n: i64 = saved_searches::table
                    .filter(saved_searches::user_id.eq(&user))
                    .count()
                    .get_result(c)?;
                if n >= MAX_SAVED {
                    return Ok(false);
                }
                let id = new_id();
                let key = keys.subject_key(&user)?;
                let sealed = key.seal_str("saved_searches", "query", &id, &query)?;
                diesel::insert_into(saved_searches::table)
                    .values((
                        saved_searches::id.eq(&id),
                        saved_searches::user_id.eq(&user),
                        saved_searches::query_enc.eq(sealed),
                        saved_searches::created_at.eq(now),
                        saved_searches::checked_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(true)
            })
            .await
    }

    /// Someone's saved searches, or everyone's (`None`, for the alert job).
    pub async fn saved_searches(&self, user: Option<String>) -> Result<Vec<SavedSearch>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let mut q = saved_searches::table
                    .select((
                        saved_searches::id,
                        saved_searches::user_id,
                        saved_searches::query_enc,
                        saved_searches::created_at,
                        saved_searches::checked_at,
                    ))
                    .order(saved_searches::created_at.asc())
                    .into_boxed();
                if let Some(u) = &user {
                    q = q.filter(saved_searches::user_id.eq(u.clone()));
                }
                let rows: Vec<(String, String, Vec<u8>, i64, i64)> = q.load(c)?;
                let mut out = Vec::with_capacity(rows.len());
                for (id, user_id, enc, created_at, checked_at) in rows {
                    let query = keys.open_string("saved_searches", "query", &id, &enc)?;
                    out.push(SavedSearch {
                        id,
                        user_id,
                        query,
                        created_at,
                        checked_at,
                    });
                }
                Ok(out)
            })
            .await
    }

    pub async fn delete_saved_search(&self, user: String, id: String) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::delete(
                    saved_searches::table
                        .filter(saved_searches::id.eq(&id))
                        .filter(saved_searches::user_id.eq(&user)),
                )
                .execute(c)?;
                Ok(n == 1)
            })
            .await
    }

    /// New postings for a saved search: one notification per posting not told before
    /// and, when there are any, one mail, in the same transaction that moves the search's check time.
    pub async fn alert(
        &self,
        search: SavedSearch,
        postings: Vec<String>,
        now: i64,
        compose: impl Fn(&str, &str, usize) -> crate::outbox::Mail + Send + 'static,
    ) -> Result<()> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                // Checks overlap in time, so a posting can come twice: tell once.
                let told: Vec<String> = notifications::table
                    .filter(notifications::user_id.eq(&search.user_id))
                    .filter(notifications::ref_id.eq_any(&postings))
                    .select(notifications::ref_id)
                    .load(c)?;
                let postings: Vec<String> =
                    postings.into_iter().filter(|p| !told.contains(p)).collect();
                for p in &postings {
                    diesel::insert_into(notifications::table)
                        .values((
                            notifications::id.eq(new_id()),
                            notifications::user_id.eq(&search.user_id),
                            notifications::kind.eq("saved_search_match"),
                            notifications::ref_id.eq(p),
                            notifications::created_at.eq(now),
                        ))
                        .execute(c)?;
                }
                if !postings.is_empty() {
                    let (enc, lang): (Vec<u8>, String) = users::table
                        .filter(users::id.eq(&search.user_id))
                        .select((users::email_enc, users::lang))
                        .first(c)?;
                    let email = keys.open_string("users", "email", &search.user_id, &enc)?;
                    crate::notices::enqueue_notice(
                        c,
                        &keys,
                        &search.user_id,
                        "saved_search_match",
                        compose(&email, &lang, postings.len()),
                        now,
                    )?;
                }
                diesel::update(saved_searches::table.filter(saved_searches::id.eq(&search.id)))
                    .set(saved_searches::checked_at.eq(now))
                    .execute(c)?;
                Ok(())
            })
            .await
    }

    /// A person's notifications, newest first.
    pub async fn notifications(&self, user: String) -> Result<Vec<Notification>> {
        self.db
            .read(move |c| {
                let rows: Vec<(String, String, String, i64, Option<i64>)> = notifications::table
                    .filter(notifications::user_id.eq(&user))
                    .order(notifications::created_at.desc())
                    .limit(100)
                    .select((
                        notifications::id,
                        notifications::kind,
                        notifications::ref_id,
                        notifications::created_at,
                        notifications::read_at,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(|(id, kind, ref_id, created_at, read_at)| Notification {
                        id,
                        kind,
                        ref_id,
                        created_at,
                        read_at,
                    })
                    .collect())
            })
            .await
    }

    /// The person has seen what one record's notices were about (e.g. opened the
    /// application): those notices are read.
    pub async fn notifications_read_for(
        &self,
        user: String,
        ref_id: String,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| read_notices(c, &user, &ref_id, now))
            .await
    }

    /// The person's notices (of one kind, when given) are read.
    pub async fn notifications_read(
        &self,
        user: String,
        kind: Option<&'static str>,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| {
                let mut q = diesel::update(notifications::table)
                    .filter(notifications::user_id.eq(&user))
                    .filter(notifications::read_at.is_null())
                    .into_boxed();
                if let Some(k) = kind {
                    q = q.filter(notifications::kind.eq(k));
                }
                q.set(notifications::read_at.eq(Some(now))).execute(c)?;
                Ok(())
            })
            .await
    }
}

/// `user`'s notices about one record (an application, a thread, a scout) are read.
pub(crate) fn read_notices(c: &mut DbConn, user: &str, ref_id: &str, now: i64) -> Result<()> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user))
            .filter(notifications::ref_id.eq(ref_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(Some(now)))
    .execute(c)?;
    Ok(())
}
