//! Anonymised statistics: the tables as they stand now (built through the door,
//! `disclosure::statistics`), and the releases published from them, which hold only
//! the protected counts and stay after every erasure.
use crate::accounts::Ctx;
use crate::disclosure::statistics::build_tx;
use crate::error::{Result, StoreError};
use crate::schema::statistics_releases;
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::profile::Date;
use domain::statistics::Table;
use serde::Serialize;

/// A published release.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Release {
    pub id: String,
    pub published_at: i64,
    pub k: u32,
    /// How many people were counted.
    pub people: u32,
    pub tables: Vec<Table>,
}

/// The tables as they would be published now, and the number of people counted.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Preview {
    pub k: u32,
    pub people: u32,
    pub tables: Vec<Table>,
}

type Row = (String, i64, i32, i32, String);

fn release(r: Row) -> Result<Release> {
    Ok(Release {
        id: r.0,
        published_at: r.1,
        k: r.2 as u32,
        people: r.3 as u32,
        tables: serde_json::from_str(&r.4)
            .map_err(|_| StoreError::Crypto("statistics decoding"))?,
    })
}

impl Store {
    /// Builds the protected tables (logged as a build by `viewer`) and, when
    /// `publish`, keeps them as a release; the tables and the release's id.
    async fn statistics_build(
        &self,
        viewer: String,
        k: u32,
        today: Date,
        ctx: Ctx,
        now: i64,
        publish: bool,
    ) -> Result<(Preview, Option<String>)> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let b = build_tx(c, &keys, &viewer, k, today, &ctx, now)?;
                let id = if publish {
                    let id = new_id();
                    let json = serde_json::to_string(&b.tables)
                        .map_err(|_| StoreError::Crypto("statistics encoding"))?;
                    diesel::insert_into(statistics_releases::table)
                        .values((
                            statistics_releases::id.eq(&id),
                            statistics_releases::published_at.eq(now),
                            statistics_releases::published_by.eq(&viewer),
                            statistics_releases::k.eq(k as i32),
                            statistics_releases::people.eq(b.people as i32),
                            statistics_releases::tables_json.eq(json),
                        ))
                        .execute(c)?;
                    Some(id)
                } else {
                    None
                };
                let preview = Preview {
                    k,
                    people: b.people,
                    tables: b.tables,
                };
                Ok((preview, id))
            })
            .await
    }

    /// The protected tables as they stand (logged as a build by `viewer`).
    pub async fn statistics_preview(
        &self,
        viewer: String,
        k: u32,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<Preview> {
        Ok(self
            .statistics_build(viewer, k, today, ctx, now, false)
            .await?
            .0)
    }

    /// Builds the tables and publishes them as a release; its id.
    pub async fn statistics_publish(
        &self,
        viewer: String,
        k: u32,
        today: Date,
        ctx: Ctx,
        now: i64,
    ) -> Result<String> {
        self.statistics_build(viewer, k, today, ctx, now, true)
            .await?
            .1
            .ok_or(StoreError::NotFound)
    }

    /// Every release, newest first.
    pub async fn statistics_releases(&self) -> Result<Vec<Release>> {
        self.db
            .read(|c| {
                statistics_releases::table
                    .order((
                        statistics_releases::published_at.desc(),
                        statistics_releases::id,
                    ))
                    .select((
                        statistics_releases::id,
                        statistics_releases::published_at,
                        statistics_releases::k,
                        statistics_releases::people,
                        statistics_releases::tables_json,
                    ))
                    .load::<Row>(c)?
                    .into_iter()
                    .map(release)
                    .collect()
            })
            .await
    }

    /// One release.
    pub async fn statistics_release(&self, id: String) -> Result<Option<Release>> {
        self.db
            .read(move |c| {
                statistics_releases::table
                    .filter(statistics_releases::id.eq(&id))
                    .select((
                        statistics_releases::id,
                        statistics_releases::published_at,
                        statistics_releases::k,
                        statistics_releases::people,
                        statistics_releases::tables_json,
                    ))
                    .first::<Row>(c)
                    .optional()?
                    .map(release)
                    .transpose()
            })
            .await
    }
}
