//! What the binary's own tools need of the store (health checks, `audit verify`, the
//! partner flag, demo and benchmark data). The keys never leave the store: seeding gets
//! a connection to write with and sealing helpers, nothing that opens a sealed field.
use crate::accounts::{Ctx, NewAccount};
use crate::error::Result;
use crate::{Backend, DbConn, Keyring, Store};
use diesel::prelude::*;
use domain::profile::{Profile, Section};

/// Write access for generators of demo and benchmark data.
pub struct Seeder<'a> {
    c: &'a mut DbConn,
    keys: &'a Keyring,
}

impl Seeder<'_> {
    /// The connection, for the plain write functions (organisations, memberships,
    /// consents, postings). Sealed fields stay sealed: the keys are not reachable here.
    pub fn conn(&mut self) -> &mut DbConn {
        self.c
    }
    /// The id of the account with this email, if any.
    pub fn user_by_email(&mut self, email: &str) -> Result<Option<String>> {
        let bidx = self
            .keys
            .blind_index(crate::accounts::EMAIL_PURPOSE, email)?;
        crate::accounts::user_by_email_bidx(self.c, &bidx)
    }
    pub fn create_account(&mut self, a: &NewAccount, now: i64) -> Result<String> {
        crate::accounts::create_account(self.c, self.keys, a, now, &Ctx::default())
    }
    /// Puts an authenticator with a known secret in force (the demo admins').
    pub fn seed_totp(&mut self, user: &str, secret: &[u8], now: i64) -> Result<()> {
        crate::factors::seed_totp(self.c, self.keys, user, secret, now)
    }
    /// Stores one profile section (skipped when the policy of saving refuses it).
    pub fn store_section(&mut self, seeker: &str, p: &Profile, s: Section, now: i64) -> Result<()> {
        crate::profiles::sections::store_section(self.c, self.keys, seeker, p, s, now).map(|_| ())
    }
    /// Past check-ins of one employment, sealed with the worker's key as the product
    /// seals them (the benchmark's data; no audit entries: history, not writes).
    pub fn seed_reports(
        &mut self,
        employment: &str,
        worker: &str,
        days: &[(domain::profile::Date, domain::retention::Report)],
        now: i64,
    ) -> Result<()> {
        use crate::schema::daily_reports as d;
        let key = self.keys.subject_key(worker)?;
        for (day, r) in days {
            let id = crate::new_id();
            let json = serde_json::to_string(r)
                .map_err(|_| crate::StoreError::Crypto("report encoding"))?;
            let sealed = key.seal_str("daily_reports", "data", &id, &json)?;
            diesel::insert_into(d::table)
                .values((
                    d::id.eq(&id),
                    d::employment_id.eq(employment),
                    d::seeker_id.eq(worker),
                    d::day.eq(day.to_string()),
                    d::data_enc.eq(sealed),
                    d::created_at.eq(now),
                    d::updated_at.eq(now),
                ))
                .execute(self.c)?;
        }
        Ok(())
    }
    /// The benchmark's baseline table (a bare row per commit).
    pub fn bare_table(&mut self) -> Result<()> {
        use diesel::connection::SimpleConnection;
        self.c.batch_execute(
            "CREATE TABLE IF NOT EXISTS bench_bare (id BIGINT PRIMARY KEY, v TEXT NOT NULL)",
        )?;
        Ok(())
    }
    /// One bare row, committed by the caller's transaction.
    pub fn bare_row(&mut self, i: i64) -> Result<()> {
        use diesel::connection::SimpleConnection;
        self.c
            .batch_execute(&format!("INSERT INTO bench_bare (id, v) VALUES ({i}, 'x')"))?;
        Ok(())
    }
}

impl Store {
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }
    /// The database answers (readiness).
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await
    }
    /// Recomputes the audit hash chain.
    pub fn audit_verify_blocking(&self) -> Result<crate::audit::Report> {
        self.db.read_blocking(crate::audit::verify)
    }
    /// Gives or takes an operator account's role. False if no operator has that email.
    pub fn set_operator_role_blocking(&self, email: &str, role: &str, on: bool) -> Result<bool> {
        let bidx = self
            .keys
            .blind_index(crate::accounts::EMAIL_PURPOSE, email)?;
        let role = role.to_owned();
        self.db.write_blocking(move |c| {
            let Some(user) = crate::accounts::user_by_email_bidx(c, &bidx)? else {
                return Ok(false);
            };
            let kind: String = crate::schema::users::table
                .filter(crate::schema::users::id.eq(&user))
                .select(crate::schema::users::kind)
                .first(c)?;
            if kind != domain::UserKind::Operator.as_str() {
                return Ok(false);
            }
            if on {
                crate::agency::grant_operator_role(c, &user, &role, now_secs())?;
            } else {
                diesel::delete(
                    crate::schema::operator_roles::table
                        .filter(crate::schema::operator_roles::user_id.eq(&user))
                        .filter(crate::schema::operator_roles::role.eq(&role)),
                )
                .execute(c)?;
            }
            Ok(true)
        })
    }
    /// Marks a company as a partner company. False if there is no such company.
    pub fn set_partner_blocking(&self, org: &str, on: bool) -> Result<bool> {
        let org = org.to_owned();
        self.db
            .write_blocking(move |c| crate::orgs::set_partner(c, &org, on))
    }
    /// Writes generated data in one transaction.
    pub fn seed_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&mut Seeder<'_>) -> Result<T>,
    {
        let keys = self.keys.clone();
        self.db.write_blocking(move |c| {
            let mut s = Seeder { c, keys: &keys };
            f(&mut s)
        })
    }
    /// The benchmark's SQL baselines: a query over public tables (postings) whose
    /// single text column is returned. Sealed fields would come back sealed.
    pub fn baseline_texts_blocking(&self, sql: &str) -> Result<Vec<String>> {
        let sql = sql.to_owned();
        self.db
            .read_blocking(move |c| crate::db::query_texts(c, &sql))
    }
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
