//! The data-subject rights the store answers for a person about themselves: the
//! entries of the access log about them (who looked at or changed their data, and
//! why), for the disclosure download. Who the others were is given by their kind and
//! their organisations, never their names or addresses (those are the others' data).
use crate::Store;
use crate::error::Result;
use crate::schema::{audit_log, memberships, organizations, users};
use diesel::prelude::*;

/// One access-log entry about the person.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AccessEntry {
    pub seq: i64,
    pub at: i64,
    /// e.g. `profile.read`, `session.login.web`.
    pub action: String,
    /// The item names read or changed (never their values).
    pub items: Vec<String>,
    pub purpose: String,
    /// `self`, `system`, or the kind of account that acted (`employer`, `supporter`,
    /// `family`, `operator`).
    pub by: String,
    /// The organisations the one who acted belongs to (companies, facilities).
    pub by_organizations: Vec<String>,
    /// Where the person themselves acted from (own entries only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

impl Store {
    /// Every access-log entry about `me`, oldest first.
    pub async fn access_log_about(&self, me: String) -> Result<Vec<AccessEntry>> {
        self.db
            .read(move |c| {
                let rows: Vec<crate::audit::Row> = audit_log::table
                    .filter(audit_log::subject_id.eq(&me))
                    .order(audit_log::seq.asc())
                    .select(crate::audit::Row::as_select())
                    .load(c)?;
                let mut who: std::collections::HashMap<String, (String, Vec<String>)> =
                    std::collections::HashMap::new();
                let mut out = Vec::with_capacity(rows.len());
                for r in rows {
                    let own = r.actor_id.as_deref() == Some(me.as_str());
                    let (by, orgs) = match &r.actor_id {
                        None => ("system".to_owned(), Vec::new()),
                        Some(_) if own => ("self".to_owned(), Vec::new()),
                        Some(a) => {
                            if !who.contains_key(a) {
                                let kind: Option<String> = users::table
                                    .filter(users::id.eq(a))
                                    .select(users::kind)
                                    .first(c)
                                    .optional()?;
                                let orgs: Vec<String> = memberships::table
                                    .inner_join(organizations::table)
                                    .filter(memberships::user_id.eq(a))
                                    .select(organizations::name)
                                    .load(c)?;
                                who.insert(
                                    a.clone(),
                                    (kind.unwrap_or_else(|| "unknown".into()), orgs),
                                );
                            }
                            who.get(a).cloned().unwrap_or_default()
                        }
                    };
                    out.push(AccessEntry {
                        seq: r.seq,
                        at: r.at,
                        action: r.action,
                        items: r
                            .items
                            .split(',')
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        purpose: r.purpose,
                        by,
                        by_organizations: orgs,
                        ip: own.then_some(r.ip),
                        user_agent: own.then_some(r.user_agent),
                    });
                }
                Ok(out)
            })
            .await
    }
}
