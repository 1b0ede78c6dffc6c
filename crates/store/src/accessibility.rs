//! Reports of accessibility barriers (アクセシビリティ方針 → 報告). Anyone may send one;
//! only the operator reads them. Each is sealed with a key of its own, because the text
//! can tell of the reporter's disability; resolving a report erases that key, so the
//! text is gone for good.
use crate::accounts::Ctx;
use crate::audit::{self, Entry};
use crate::error::{Result, StoreError};
use crate::schema::barrier_reports;
use crate::{Store, new_id};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BarrierReport {
    #[serde(skip)]
    pub id: String,
    /// Where: a page address or a description of the place.
    pub page: String,
    pub description: String,
    /// How to reply (an email address), if the reporter wants a reply.
    pub contact: String,
    #[serde(skip)]
    pub created_at: i64,
}

impl Store {
    pub async fn report_barrier(&self, r: BarrierReport, now: i64) -> Result<String> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let id = new_id();
                let key = keys.new_subject_key(&id, now)?;
                let json = serde_json::to_vec(&r).map_err(|_| StoreError::Crypto("json"))?;
                let sealed = key.seal("barrier_reports", "report", &id, &json)?;
                diesel::insert_into(barrier_reports::table)
                    .values((
                        barrier_reports::id.eq(&id),
                        barrier_reports::report_enc.eq(sealed),
                        barrier_reports::created_at.eq(now),
                    ))
                    .execute(c)?;
                Ok(id)
            })
            .await
    }

    /// Open reports, oldest first. Each read is in the access log.
    pub async fn open_barrier_reports(
        &self,
        operator: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Vec<BarrierReport>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let rows: Vec<(String, Vec<u8>, i64)> = barrier_reports::table
                    .filter(barrier_reports::resolved_at.is_null())
                    .order(barrier_reports::created_at.asc())
                    .select((
                        barrier_reports::id,
                        barrier_reports::report_enc,
                        barrier_reports::created_at,
                    ))
                    .load(c)?;
                let mut out = Vec::with_capacity(rows.len());
                for (id, enc, created_at) in rows {
                    let plain = keys.open("barrier_reports", "report", &id, &enc)?;
                    let mut r: BarrierReport =
                        serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("json"))?;
                    r.id = id;
                    r.created_at = created_at;
                    out.push(r);
                }
                if !out.is_empty() {
                    audit::append(
                        c,
                        now,
                        Entry {
                            actor_id: Some(operator.clone()),
                            action: "barrier_report.read".into(),
                            purpose: "accessibility".into(),
                            ip: ctx.ip.clone(),
                            user_agent: ctx.user_agent.clone(),
                            ..Entry::default()
                        },
                    )?;
                }
                Ok(out)
            })
            .await
    }

    /// Marks a report handled and erases its key: the text cannot be read again.
    pub async fn resolve_barrier(
        &self,
        operator: String,
        id: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let n = diesel::update(
                    barrier_reports::table
                        .filter(barrier_reports::id.eq(&id))
                        .filter(barrier_reports::resolved_at.is_null()),
                )
                .set(barrier_reports::resolved_at.eq(Some(now)))
                .execute(c)?;
                if n == 1 {
                    keys.erase_subject(c, &id, now)?;
                    audit::append(
                        c,
                        now,
                        Entry {
                            actor_id: Some(operator.clone()),
                            action: format!("barrier_report.resolve.{id}"),
                            purpose: "accessibility".into(),
                            ip: ctx.ip.clone(),
                            user_agent: ctx.user_agent.clone(),
                            ..Entry::default()
                        },
                    )?;
                }
                Ok(n == 1)
            })
            .await
    }
}
