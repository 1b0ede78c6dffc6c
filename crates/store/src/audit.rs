//! The append-only access and audit log, as a hash chain.
//!
//! Entry n stores `hash_n = SHA-256(hash_{n-1} || canonical JSON of entry n)`, and the
//! `audit_head` row holds the last sequence number and hash. [`verify`] recomputes the
//! chain: a changed entry breaks its own hash, a removed entry breaks the sequence or
//! the next entry's link, a removed tail no longer matches the head. Entries hold ids
//! and item names, never the data itself.
use crate::DbConn;
use crate::error::{Result, StoreError};
use crate::schema::{audit_head, audit_log};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// What happened, by whom, to whose data.
#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    /// e.g. `account.create`, `account.read`, `session.login`.
    pub action: String,
    /// Item names disclosed or changed (e.g. `name,email`), never their values.
    pub items: Vec<&'static str>,
    pub purpose: String,
    pub ip: String,
    pub user_agent: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct Row {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub action: String,
    pub items: String,
    pub purpose: String,
    pub ip: String,
    pub user_agent: String,
    pub prev_hash: String,
    pub hash: String,
}

fn chain_hash(prev: &str, r: &Row) -> String {
    let body = serde_json::json!([
        r.seq,
        r.at,
        r.actor_id,
        r.subject_id,
        r.action,
        r.items,
        r.purpose,
        r.ip,
        r.user_agent
    ]);
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(body.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// Appends an entry. Call inside a write transaction: the head row is locked so that
/// concurrent writers on PostgreSQL append one after another (SQLite has one writer).
pub fn append(conn: &mut DbConn, now: i64, e: Entry) -> Result<i64> {
    let head = audit_head::table
        .filter(audit_head::id.eq(1))
        .select((audit_head::seq, audit_head::hash));
    let (last_seq, last_hash): (i64, String) = match conn {
        DbConn::Pg(c) => head.for_update().first(c)?,
        DbConn::Sqlite(c) => head.first(c)?,
    };
    let mut row = Row {
        seq: last_seq + 1,
        at: now,
        actor_id: e.actor_id,
        subject_id: e.subject_id,
        action: e.action,
        items: e.items.join(","),
        purpose: e.purpose,
        ip: e.ip,
        user_agent: e.user_agent.chars().take(200).collect(),
        prev_hash: last_hash.clone(),
        hash: String::new(),
    };
    row.hash = chain_hash(&last_hash, &row);
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::seq.eq(row.seq),
            audit_log::at.eq(row.at),
            audit_log::actor_id.eq(&row.actor_id),
            audit_log::subject_id.eq(&row.subject_id),
            audit_log::action.eq(&row.action),
            audit_log::items.eq(&row.items),
            audit_log::purpose.eq(&row.purpose),
            audit_log::ip.eq(&row.ip),
            audit_log::user_agent.eq(&row.user_agent),
            audit_log::prev_hash.eq(&row.prev_hash),
            audit_log::hash.eq(&row.hash),
        ))
        .execute(conn)?;
    diesel::update(audit_head::table.filter(audit_head::id.eq(1)))
        .set((audit_head::seq.eq(row.seq), audit_head::hash.eq(&row.hash)))
        .execute(conn)?;
    Ok(row.seq)
}

/// The outcome of a chain check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub entries: i64,
    pub head_hash: String,
    /// The first problem found: sequence number and what is wrong.
    pub problem: Option<(i64, String)>,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Recomputes the whole chain, in pages, and compares it with the head.
pub fn verify(conn: &mut DbConn) -> Result<Report> {
    let (head_seq, head_hash): (i64, String) = audit_head::table
        .filter(audit_head::id.eq(1))
        .select((audit_head::seq, audit_head::hash))
        .first(conn)?;
    let mut expected_seq = 1i64;
    let mut prev = GENESIS.to_owned();
    let mut problem = None;
    'pages: loop {
        let page: Vec<Row> = audit_log::table
            .filter(audit_log::seq.ge(expected_seq))
            .order(audit_log::seq.asc())
            .limit(5000)
            .select(Row::as_select())
            .load(conn)?;
        if page.is_empty() {
            break;
        }
        for r in page {
            if r.seq != expected_seq {
                problem = Some((expected_seq, "entry missing".to_owned()));
                break 'pages;
            }
            if r.prev_hash != prev {
                problem = Some((r.seq, "link to previous entry broken".to_owned()));
                break 'pages;
            }
            if chain_hash(&prev, &r) != r.hash {
                problem = Some((r.seq, "entry changed".to_owned()));
                break 'pages;
            }
            prev = r.hash;
            expected_seq += 1;
        }
    }
    let entries = expected_seq - 1;
    if problem.is_none() && (entries != head_seq || prev != head_hash) {
        problem = Some((entries + 1, "entries after this point removed".to_owned()));
    }
    Ok(Report {
        entries,
        head_hash,
        problem,
    })
}

/// The entries about one subject, newest first (for the subject's own view later).
pub fn for_subject(conn: &mut DbConn, subject_id: &str, limit: i64) -> Result<Vec<Row>> {
    audit_log::table
        .filter(audit_log::subject_id.eq(subject_id))
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(Row::as_select())
        .load(conn)
        .map_err(StoreError::from)
}

/// The one audit helper for a person acting on their own account, data or settings (a
/// profile save, a privacy setting, a consent, a password reset): actor and subject are
/// the same person. Reads of someone else's data are logged by `disclosure` instead.
pub fn own_act_for(
    c: &mut DbConn,
    user: &str,
    action: String,
    purpose: &str,
    ctx: &crate::accounts::Ctx,
    now: i64,
) -> Result<()> {
    append(
        c,
        now,
        Entry {
            actor_id: Some(user.to_owned()),
            subject_id: Some(user.to_owned()),
            action,
            purpose: purpose.into(),
            ip: ctx.ip.clone(),
            user_agent: ctx.user_agent.clone(),
            ..Entry::default()
        },
    )?;
    Ok(())
}

/// [`own_act_for`] with the purpose `privacy_settings` (the seeker's profile and settings).
pub fn own_act(
    c: &mut DbConn,
    user: &str,
    action: String,
    ctx: &crate::accounts::Ctx,
    now: i64,
) -> Result<()> {
    own_act_for(c, user, action, "privacy_settings", ctx, now)
}
