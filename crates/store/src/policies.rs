//! Versions of the policy texts (the privacy policy, the consent to sensitive data) and
//! each person's decision on them.
//!
//! - The privacy officer publishes a version: what changed and the whole text, in
//!   Japanese and easy Japanese, and whether it **needs fresh consent**.
//! - A version that needs it holds everyone whose standing consent of that kind is to an
//!   earlier version ([`decisions_due`]): the web guard lets such a session do nothing
//!   but decide (and sign out, download its data, close the account) until it has.
//! - A version that does not is told to those people as a notification.
//! - Every decision is a consent record with the version: agreeing records a consent to
//!   it; declining records a declined one (withdrawn at once). Declining the sensitive-
//!   data text also withdraws the standing consent (the data is no longer used);
//!   declining the privacy policy leaves the person held, with 退会 offered.
use crate::accounts::Ctx;
use crate::audit;
use crate::error::{Result, StoreError};
use crate::schema::{consents, notifications, policy_versions, users};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::{ConsentKind, PolicyDraft};

/// One published version of a policy text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Version {
    pub kind: ConsentKind,
    pub version: String,
    pub published_at: i64,
    /// Whether people who consented to an earlier version must decide again.
    pub requires_consent: bool,
    /// What changed, in Japanese and in easy Japanese (none for the first versions,
    /// whose text is the built-in page).
    pub summary_ja: Option<String>,
    pub summary_easy: Option<String>,
    pub text_ja: Option<String>,
    pub text_easy: Option<String>,
}

/// A version waiting for the person's decision, and whether they declined it already.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Due {
    #[serde(flatten)]
    pub version: Version,
    pub declined: bool,
}

/// What publishing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Published {
    /// People who must decide before they go on (a version that needs consent).
    pub asked: i64,
    /// People told by a notification (a version that does not).
    pub notified: i64,
}

/// A person's decision on a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub kind: ConsentKind,
    pub version: String,
    pub agree: bool,
}

/// What a decision did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Agreed,
    Declined,
    /// The version is not the one waiting (a newer one was published, or none waits).
    NotDue,
}

type Row = (
    String,
    String,
    i64,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn version_of(r: Row) -> Option<Version> {
    Some(Version {
        kind: ConsentKind::parse(&r.0)?,
        version: r.1,
        published_at: r.2,
        requires_consent: r.3,
        summary_ja: r.4,
        summary_easy: r.5,
        text_ja: r.6,
        text_easy: r.7,
    })
}

fn all_versions(c: &mut DbConn, kind: ConsentKind) -> Result<Vec<Version>> {
    let rows: Vec<Row> = policy_versions::table
        .filter(policy_versions::kind.eq(kind.as_str()))
        .order(policy_versions::published_at.desc())
        .select((
            policy_versions::kind,
            policy_versions::version,
            policy_versions::published_at,
            policy_versions::requires_consent,
            policy_versions::summary_ja,
            policy_versions::summary_easy,
            policy_versions::text_ja,
            policy_versions::text_easy,
        ))
        .load(c)?;
    Ok(rows.into_iter().filter_map(version_of).collect())
}

/// The versions a standing consent of each kind may be to without a new decision: the
/// newest one that needs consent and those after it (one query for every kind).
fn accepted_versions(c: &mut DbConn) -> Result<Vec<(String, String)>> {
    let kinds: Vec<&str> = domain::consent::PUBLISHED_KINDS
        .iter()
        .map(|k| k.as_str())
        .collect();
    let rows: Vec<(String, String, bool)> = policy_versions::table
        .filter(policy_versions::kind.eq_any(&kinds))
        .order(policy_versions::published_at.desc())
        .select((
            policy_versions::kind,
            policy_versions::version,
            policy_versions::requires_consent,
        ))
        .load(c)?;
    let mut out = Vec::new();
    let mut closed: Vec<String> = Vec::new();
    for (kind, version, requires) in rows {
        if closed.contains(&kind) {
            continue;
        }
        if requires {
            closed.push(kind.clone());
        }
        out.push((kind, version));
    }
    Ok(out)
}

/// The kinds whose newest text needing consent `user` has not decided on yet: they hold
/// a standing consent of the kind, to an earlier version only (never the operator's own
/// staff). Two small queries (this
/// runs for every request of a session).
pub fn decisions_due(c: &mut DbConn, user: &str) -> Result<Vec<ConsentKind>> {
    let kinds: Vec<&str> = domain::consent::PUBLISHED_KINDS
        .iter()
        .map(|k| k.as_str())
        .collect();
    let standing: Vec<(String, String)> = consents::table
        .inner_join(users::table)
        .filter(consents::user_id.eq(user))
        // The operator's own staff are not asked: the policy is the operator's.
        .filter(users::kind.ne(domain::UserKind::Operator.as_str()))
        .filter(consents::kind.eq_any(&kinds))
        .filter(consents::withdrawn_at.is_null())
        .filter(consents::recipient_id.is_null())
        .filter(consents::scope.is_null())
        .select((consents::kind, consents::version))
        .load(c)?;
    if standing.is_empty() {
        return Ok(Vec::new());
    }
    let accepted = accepted_versions(c)?;
    Ok(domain::consent::PUBLISHED_KINDS
        .into_iter()
        .filter(|kind| {
            let mine = standing.iter().filter(|(k, _)| k == kind.as_str());
            let mut mine = mine.peekable();
            mine.peek().is_some() && !mine.any(|m| accepted.contains(m))
        })
        .collect())
}

/// Open accounts holding a standing consent of `kind` (the people a new version is for;
/// not the operator's staff).
fn holders(kind: ConsentKind) -> consents::BoxedQuery<'static, crate::db::MultiBackend> {
    consents::table
        .filter(consents::kind.eq(kind.as_str()))
        .filter(consents::withdrawn_at.is_null())
        .filter(consents::recipient_id.is_null())
        .filter(consents::scope.is_null())
        .filter(
            consents::user_id.eq_any(
                users::table
                    .filter(users::closed_at.is_null())
                    .filter(users::kind.ne(domain::UserKind::Operator.as_str()))
                    .select(users::id),
            ),
        )
        .into_boxed()
}

impl Store {
    /// Every version of a kind's text, newest first.
    pub async fn policy_versions(&self, kind: ConsentKind) -> Result<Vec<Version>> {
        self.db.read(move |c| all_versions(c, kind)).await
    }

    /// One version of a kind's text.
    pub async fn policy_version_of(
        &self,
        kind: ConsentKind,
        version: String,
    ) -> Result<Option<Version>> {
        self.db
            .read(move |c| {
                Ok(all_versions(c, kind)?
                    .into_iter()
                    .find(|v| v.version == version))
            })
            .await
    }

    /// Publishes a version (in force at once). A version that needs consent holds its
    /// people until they decide; one that does not is told to them by a notification.
    /// `Conflict("version")` if the kind has that version already.
    pub async fn policy_publish(
        &self,
        officer: String,
        d: PolicyDraft,
        ctx: Ctx,
        now: i64,
    ) -> Result<Published> {
        self.db
            .write(move |c| {
                let taken: i64 = policy_versions::table
                    .filter(policy_versions::kind.eq(d.kind.as_str()))
                    .filter(policy_versions::version.eq(&d.version))
                    .count()
                    .get_result(c)?;
                if taken > 0 {
                    return Err(StoreError::Conflict("version"));
                }
                // The newest version is the one in force: a later publication time.
                let newest: Option<i64> = policy_versions::table
                    .filter(policy_versions::kind.eq(d.kind.as_str()))
                    .select(diesel::dsl::max(policy_versions::published_at))
                    .first(c)?;
                let at = newest.map_or(now, |n| now.max(n + 1));
                diesel::insert_into(policy_versions::table)
                    .values((
                        policy_versions::kind.eq(d.kind.as_str()),
                        policy_versions::version.eq(&d.version),
                        policy_versions::published_at.eq(at),
                        policy_versions::requires_consent.eq(d.requires_consent),
                        policy_versions::summary_ja.eq(Some(&d.summary_ja)),
                        policy_versions::summary_easy.eq(Some(&d.summary_easy)),
                        policy_versions::text_ja.eq(Some(&d.text_ja)),
                        policy_versions::text_easy.eq(Some(&d.text_easy)),
                        policy_versions::published_by.eq(Some(&officer)),
                    ))
                    .execute(c)?;
                let people: Vec<String> = holders(d.kind)
                    .select(consents::user_id)
                    .distinct()
                    .load(c)?;
                let mut out = Published {
                    asked: 0,
                    notified: 0,
                };
                if d.requires_consent {
                    out.asked = people.len() as i64;
                } else {
                    // One notification each (its id made from the person and the
                    // version, so no one is told twice).
                    let ref_id = format!("{}/{}", d.kind.as_str(), d.version);
                    for user in &people {
                        diesel::insert_into(notifications::table)
                            .values((
                                notifications::id.eq(format!("{user}:policy:{ref_id}")),
                                notifications::user_id.eq(user),
                                notifications::kind.eq("policy_changed"),
                                notifications::ref_id.eq(&ref_id),
                                notifications::created_at.eq(now),
                            ))
                            .execute(c)?;
                    }
                    out.notified = people.len() as i64;
                }
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: Some(officer.clone()),
                        subject_id: None,
                        action: format!("policy.publish.{}", d.kind.as_str()),
                        items: vec![],
                        purpose: "policy_versions".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                    },
                )?;
                Ok(out)
            })
            .await
    }

    /// The versions waiting for `user`'s decision (the newest of each kind due).
    pub async fn policy_due(&self, user: String) -> Result<Vec<Due>> {
        self.db
            .read(move |c| {
                let mut out = Vec::new();
                for kind in decisions_due(c, &user)? {
                    let Some(version) = all_versions(c, kind)?.into_iter().next() else {
                        continue;
                    };
                    let declined: i64 = consents::table
                        .filter(consents::user_id.eq(&user))
                        .filter(consents::kind.eq(kind.as_str()))
                        .filter(consents::version.eq(&version.version))
                        .filter(consents::declined.eq(true))
                        .count()
                        .get_result(c)?;
                    out.push(Due {
                        version,
                        declined: declined > 0,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// Records `user`'s decision on `version` of `kind`'s text (the version waiting).
    pub async fn policy_decide(
        &self,
        user: String,
        d: Decision,
        method: &'static str,
        ctx: Ctx,
        now: i64,
    ) -> Result<Decided> {
        let Decision {
            kind,
            version,
            agree,
        } = d;
        self.db
            .write(move |c| {
                let newest = all_versions(c, kind)?.into_iter().next();
                if !decisions_due(c, &user)?.contains(&kind)
                    || newest.is_none_or(|v| v.version != version)
                {
                    return Ok(Decided::NotDue);
                }
                diesel::insert_into(consents::table)
                    .values((
                        consents::id.eq(new_id()),
                        consents::user_id.eq(&user),
                        consents::kind.eq(kind.as_str()),
                        consents::version.eq(&version),
                        consents::method.eq(method),
                        consents::given_at.eq(now),
                        consents::withdrawn_at.eq((!agree).then_some(now)),
                        consents::declined.eq(!agree),
                    ))
                    .execute(c)?;
                if !agree && kind != ConsentKind::PrivacyPolicy {
                    // Not consenting to the new text ends the consent: the data it
                    // covers is no longer used.
                    crate::consents::withdraw_for(c, &user, kind, None, None, now)?;
                }
                let what = if agree { "agree" } else { "decline" };
                audit::own_act_for(
                    c,
                    &user,
                    format!("policy.{what}.{}", kind.as_str()),
                    "consent",
                    &ctx,
                    now,
                )?;
                Ok(if agree {
                    Decided::Agreed
                } else {
                    Decided::Declined
                })
            })
            .await
    }
}
