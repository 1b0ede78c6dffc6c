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

/// What the operator's audit search asks for (every part optional).
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    /// The start of the action, such as `profile.read` or `consent.`.
    pub action: Option<String>,
    /// From and until (Unix seconds, until excluded).
    pub from: Option<i64>,
    pub until: Option<i64>,
}

/// One entry as the operator's console lists it: pseudonymous ids and item names, never
/// values, and not the network details (IP address, browser) kept for the chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LogEntry {
    pub seq: i64,
    pub at: i64,
    pub actor_id: Option<String>,
    pub subject_id: Option<String>,
    pub action: String,
    pub items: String,
    pub purpose: String,
}

/// Something in the access log worth a look (`anomalies`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Anomaly {
    /// `many_subjects`: one account read many people's data within an hour;
    /// `off_hours`: an operator account read personal data outside working hours.
    pub kind: &'static str,
    pub actor_id: String,
    /// The start of the hour (many_subjects) or of the first such read (off_hours).
    pub at: i64,
    /// People read in that hour, or reads outside working hours that day.
    pub count: i64,
}

/// Reads of more people than this within one clock hour are flagged.
pub const MANY_SUBJECTS_PER_HOUR: i64 = 30;
/// Working hours in Japan (hour of the day, from and until), Monday to Friday.
pub const WORKING_HOURS: (i64, i64) = (8, 20);
/// How far back the anomaly check looks.
pub const ANOMALY_DAYS: i64 = 7;

/// The newest entries matching `s` (at most `limit`).
pub fn search(conn: &mut DbConn, s: &Search, limit: i64) -> Result<Vec<LogEntry>> {
    let mut q = audit_log::table.into_boxed();
    if let Some(a) = &s.actor_id {
        q = q.filter(audit_log::actor_id.eq(a));
    }
    if let Some(a) = &s.subject_id {
        q = q.filter(audit_log::subject_id.eq(a));
    }
    if let Some(a) = &s.action {
        let escaped = a
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        q = q.filter(audit_log::action.like(format!("{escaped}%")).escape('\\'));
    }
    if let Some(t) = s.from {
        q = q.filter(audit_log::at.ge(t));
    }
    if let Some(t) = s.until {
        q = q.filter(audit_log::at.lt(t));
    }
    let rows: Vec<Row> = q
        .order(audit_log::seq.desc())
        .limit(limit)
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| LogEntry {
            seq: r.seq,
            at: r.at,
            actor_id: r.actor_id,
            subject_id: r.subject_id,
            action: r.action,
            items: r.items,
            purpose: r.purpose,
        })
        .collect())
}

/// Whether a moment is outside working hours in Japan (before or after them, or a
/// Saturday or Sunday; public holidays are not known here).
pub fn off_hours(at: i64) -> bool {
    let local = at + 9 * 3600;
    let hour = local.rem_euclid(86_400) / 3600;
    // 1970-01-01 was a Thursday: day 0 → Thursday.
    let weekday = (local.div_euclid(86_400) + 3).rem_euclid(7); // 0 = Monday
    weekday >= 5 || hour < WORKING_HOURS.0 || hour >= WORKING_HOURS.1
}

/// The reads of the last [`ANOMALY_DAYS`] worth a look: an account that read more than
/// [`MANY_SUBJECTS_PER_HOUR`] people within one clock hour, and operator accounts'
/// reads outside working hours (one line per account and Japan day).
pub fn anomalies(conn: &mut DbConn, now: i64) -> Result<Vec<Anomaly>> {
    use crate::schema::users;
    use std::collections::{BTreeMap, BTreeSet};
    let since = now - ANOMALY_DAYS * 86_400;
    let reads: Vec<(i64, Option<String>, Option<String>)> = audit_log::table
        .filter(audit_log::at.ge(since))
        .filter(audit_log::action.like("%.read%"))
        .filter(audit_log::actor_id.is_not_null())
        .select((audit_log::at, audit_log::actor_id, audit_log::subject_id))
        .load(conn)?;
    let operators: BTreeSet<String> = users::table
        .filter(users::kind.eq(domain::UserKind::Operator.as_str()))
        .select(users::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut per_hour: BTreeMap<(String, i64), BTreeSet<String>> = BTreeMap::new();
    let mut late: BTreeMap<(String, i64), (i64, i64)> = BTreeMap::new();
    for (at, actor, subject) in reads {
        let Some(actor) = actor else { continue };
        if let Some(subject) = subject.filter(|s| *s != actor) {
            per_hour
                .entry((actor.clone(), at - at.rem_euclid(3600)))
                .or_default()
                .insert(subject);
        }
        if operators.contains(&actor) && off_hours(at) {
            let day = (at + 9 * 3600).div_euclid(86_400);
            let e = late.entry((actor, day)).or_insert((at, 0));
            e.0 = e.0.min(at);
            e.1 += 1;
        }
    }
    let mut out: Vec<Anomaly> = per_hour
        .into_iter()
        .filter(|(_, s)| s.len() as i64 > MANY_SUBJECTS_PER_HOUR)
        .map(|((actor_id, at), s)| Anomaly {
            kind: "many_subjects",
            actor_id,
            at,
            count: s.len() as i64,
        })
        .chain(
            late.into_iter()
                .map(|((actor_id, _), (at, count))| Anomaly {
                    kind: "off_hours",
                    actor_id,
                    at,
                    count,
                }),
        )
        .collect();
    out.sort_by_key(|a| std::cmp::Reverse(a.at));
    Ok(out)
}

impl crate::Store {
    /// The operator's audit search: the newest matches (at most 200), the search itself
    /// logged as a read by `viewer` with the purpose they gave.
    pub async fn audit_search(
        &self,
        viewer: String,
        s: Search,
        purpose: String,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<Vec<LogEntry>> {
        self.db
            .write(move |c| {
                let found = search(c, &s, 200)?;
                append(
                    c,
                    now,
                    Entry {
                        actor_id: Some(viewer),
                        subject_id: s.subject_id.clone(),
                        action: "audit.search".into(),
                        items: vec!["audit_log"],
                        purpose,
                        ip: ctx.ip,
                        user_agent: ctx.user_agent,
                    },
                )?;
                Ok(found)
            })
            .await
    }

    /// The reads worth a look (see [`anomalies`]).
    pub async fn audit_anomalies(&self, now: i64) -> Result<Vec<Anomaly>> {
        self.db.read(move |c| anomalies(c, now)).await
    }

    /// The chain's state (see [`verify`]); reads the whole log.
    pub async fn audit_chain(&self) -> Result<Report> {
        self.db.read(verify).await
    }
}
