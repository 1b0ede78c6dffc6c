//! Consent records: one row per consent given, with the text version and the method;
//! withdrawal sets `withdrawn_at`. The current state is the newest row per kind.
use crate::audit;
use crate::error::{Result, StoreError};
use crate::schema::{consents, policy_versions};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::ConsentKind;

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Record {
    pub id: String,
    pub kind: String,
    /// The organisation or person the consent is for, if it is for one.
    pub recipient_id: Option<String>,
    /// The section or category the consent covers, if it covers one.
    pub scope: Option<String>,
    pub version: String,
    pub method: String,
    pub given_at: i64,
    pub withdrawn_at: Option<i64>,
    pub withdrawable: bool,
    /// A decision not to consent to this version of the text (`policies`).
    pub declined: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withdrawal {
    Withdrawn,
    NotActive,
    NotWithdrawable,
}

/// The version of the text currently in force for a kind of consent.
pub fn current_version(c: &mut DbConn, kind: ConsentKind) -> Result<String> {
    policy_versions::table
        .filter(policy_versions::kind.eq(kind.as_str()))
        .order(policy_versions::published_at.desc())
        .select(policy_versions::version)
        .first(c)
        .map_err(StoreError::from)
}

/// Whether the user's consent of `kind` (without recipient or scope) stands now.
pub fn is_active(c: &mut DbConn, user_id: &str, kind: ConsentKind) -> Result<bool> {
    is_active_for(c, user_id, kind, None, None)
}

type Filter<'a> = consents::BoxedQuery<'a, crate::db::MultiBackend>;

fn scoped<'a>(q: Filter<'a>, recipient: Option<&'a str>, scope: Option<&'a str>) -> Filter<'a> {
    let q = match recipient {
        Some(r) => q.filter(consents::recipient_id.eq(r)),
        None => q.filter(consents::recipient_id.is_null()),
    };
    match scope {
        Some(s) => q.filter(consents::scope.eq(s)),
        None => q.filter(consents::scope.is_null()),
    }
}

fn standing<'a>(user_id: &'a str, kind: ConsentKind) -> Filter<'a> {
    consents::table
        .filter(consents::user_id.eq(user_id))
        .filter(consents::kind.eq(kind.as_str()))
        .filter(consents::withdrawn_at.is_null())
        .into_boxed()
}

/// Whether the user's consent of `kind` for this recipient and scope stands now.
pub fn is_active_for(
    c: &mut DbConn,
    user_id: &str,
    kind: ConsentKind,
    recipient: Option<&str>,
    scope: Option<&str>,
) -> Result<bool> {
    let n: i64 = scoped(standing(user_id, kind), recipient, scope)
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// The standing consents of a kind, as (recipient, scope) pairs.
pub fn active_of_kind(
    c: &mut DbConn,
    user_id: &str,
    kind: ConsentKind,
) -> Result<Vec<(Option<String>, Option<String>)>> {
    standing(user_id, kind)
        .select((consents::recipient_id, consents::scope))
        .load(c)
        .map_err(StoreError::from)
}

/// Records a consent to the current version. Inside a write transaction.
pub fn give(
    c: &mut DbConn,
    user_id: &str,
    kind: ConsentKind,
    method: &str,
    now: i64,
) -> Result<()> {
    give_for(c, user_id, kind, None, None, method, now)
}

/// Records a consent for a recipient and/or scope; a standing one is left as it is.
pub fn give_for(
    c: &mut DbConn,
    user_id: &str,
    kind: ConsentKind,
    recipient: Option<&str>,
    scope: Option<&str>,
    method: &str,
    now: i64,
) -> Result<()> {
    if is_active_for(c, user_id, kind, recipient, scope)? {
        return Ok(());
    }
    let version = current_version(c, kind)?;
    diesel::insert_into(consents::table)
        .values((
            consents::id.eq(new_id()),
            consents::user_id.eq(user_id),
            consents::kind.eq(kind.as_str()),
            consents::version.eq(version),
            consents::method.eq(method),
            consents::given_at.eq(now),
            consents::recipient_id.eq(recipient),
            consents::scope.eq(scope),
        ))
        .execute(c)?;
    // A standing facility link has its support thread (kept from an earlier link).
    if let (ConsentKind::SupporterLink, Some(facility)) = (kind, recipient) {
        crate::messages::open_thread(c, user_id, crate::messages::Owner::Support(facility), now)?;
    }
    Ok(())
}

/// Withdraws the standing consent for a recipient and/or scope. True if one stood.
pub fn withdraw_for(
    c: &mut DbConn,
    user_id: &str,
    kind: ConsentKind,
    recipient: Option<&str>,
    scope: Option<&str>,
    now: i64,
) -> Result<bool> {
    let ids: Vec<String> = scoped(standing(user_id, kind), recipient, scope)
        .select(consents::id)
        .load(c)?;
    if ids.is_empty() {
        return Ok(false);
    }
    diesel::update(consents::table.filter(consents::id.eq_any(&ids)))
        .set(consents::withdrawn_at.eq(Some(now)))
        .execute(c)?;
    Ok(true)
}

impl Store {
    /// All consent records of a user, newest first.
    pub async fn consents_of(&self, user_id: String) -> Result<Vec<Record>> {
        self.db
            .read(move |c| {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(
                    String,
                    String,
                    String,
                    String,
                    i64,
                    Option<i64>,
                    Option<String>,
                    Option<String>,
                    bool,
                )> = consents::table
                    .filter(consents::user_id.eq(&user_id))
                    .order((consents::given_at.desc(), consents::kind.asc()))
                    .select((
                        consents::id,
                        consents::kind,
                        consents::version,
                        consents::method,
                        consents::given_at,
                        consents::withdrawn_at,
                        consents::recipient_id,
                        consents::scope,
                        consents::declined,
                    ))
                    .load(c)?;
                Ok(rows
                    .into_iter()
                    .map(
                        |(
                            id,
                            kind,
                            version,
                            method,
                            given_at,
                            withdrawn_at,
                            recipient_id,
                            scope,
                            declined,
                        )| Record {
                            recipient_id,
                            scope,
                            withdrawable: withdrawn_at.is_none()
                                && ConsentKind::parse(&kind).is_some_and(|k| k.withdrawable()),
                            id,
                            kind,
                            version,
                            method,
                            given_at,
                            withdrawn_at,
                            declined,
                        },
                    )
                    .collect())
            })
            .await
    }

    pub async fn consent_active(&self, user_id: String, kind: ConsentKind) -> Result<bool> {
        self.db.read(move |c| is_active(c, &user_id, kind)).await
    }

    /// Gives (or gives again) a consent of the current version.
    pub async fn consent_give(
        &self,
        user_id: String,
        kind: ConsentKind,
        method: &'static str,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| {
                give(c, &user_id, kind, method, now)?;
                audit::own_act_for(
                    c,
                    &user_id,
                    format!("consent.give.{}", kind.as_str()),
                    "consent",
                    &ctx,
                    now,
                )?;
                Ok(())
            })
            .await
    }

    /// Withdraws a withdrawable consent; takes effect on the next request.
    pub async fn consent_withdraw(
        &self,
        user_id: String,
        kind: ConsentKind,
        ctx: crate::accounts::Ctx,
        now: i64,
    ) -> Result<Withdrawal> {
        if !kind.withdrawable() {
            return Ok(Withdrawal::NotWithdrawable);
        }
        self.db
            .write(move |c| {
                let n = diesel::update(
                    consents::table
                        .filter(consents::user_id.eq(&user_id))
                        .filter(consents::kind.eq(kind.as_str()))
                        .filter(consents::withdrawn_at.is_null()),
                )
                .set(consents::withdrawn_at.eq(Some(now)))
                .execute(c)?;
                if n == 0 {
                    return Ok(Withdrawal::NotActive);
                }
                audit::own_act_for(
                    c,
                    &user_id,
                    format!("consent.withdraw.{}", kind.as_str()),
                    "consent",
                    &ctx,
                    now,
                )?;
                Ok(Withdrawal::Withdrawn)
            })
            .await
    }
}

impl Store {
    /// The version of the policy text currently in force.
    pub async fn policy_version(&self, kind: ConsentKind) -> Result<String> {
        self.db.read(move |c| current_version(c, kind)).await
    }
}
