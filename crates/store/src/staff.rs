//! The operator's own staff: accounts made by an administrator (`tsunagu operator
//! create`, no password on the command line: a one-time set-up link instead) and the
//! roles that open each part of the operator console (`domain::StaffRole`).
use crate::Store;
use crate::accounts::{Ctx, EMAIL_PURPOSE, NewAccount, create_account, user_by_email_bidx};
use crate::audit::{self, Entry};
use crate::error::Result;
use crate::schema::{operator_roles, users};
use diesel::prelude::*;
use domain::validate::{Email, PersonName};
use domain::{StaffRole, UserKind};

/// A new staff account and the token of its one-time set-up link.
#[derive(Debug, Clone)]
pub struct Created {
    pub user_id: String,
    pub token: String,
}

/// The password hash no password matches (the account waits for its set-up link).
pub const UNSET_PASSWORD: &str = "!unset";

impl Store {
    /// The roles `user` holds, if they are an operator with an open account.
    pub async fn staff_roles(&self, user: String) -> Result<Vec<StaffRole>> {
        self.db
            .read(move |c| {
                let rows: Vec<String> = operator_roles::table
                    .inner_join(users::table)
                    .filter(operator_roles::user_id.eq(&user))
                    .filter(users::kind.eq(UserKind::Operator.as_str()))
                    .filter(users::closed_at.is_null())
                    .select(operator_roles::role)
                    .load(c)?;
                Ok(rows.iter().filter_map(|r| StaffRole::parse(r)).collect())
            })
            .await
    }

    /// Creates an operator account with `roles` and a set-up link valid for `ttl`
    /// seconds (the password is chosen by the person through it).
    pub fn create_staff_blocking(
        &self,
        email: Email,
        name: PersonName,
        roles: &[StaffRole],
        ttl: i64,
        now: i64,
    ) -> Result<Created> {
        let keys = self.keys.clone();
        let roles = roles.to_vec();
        self.db.write_blocking(move |c| {
            let a = NewAccount {
                kind: UserKind::Operator,
                email,
                password_hash: UNSET_PASSWORD.into(),
                name,
                lang: "ja".into(),
                org_name: None,
                consents: Vec::new(),
                partners: Vec::new(),
                method: "cli",
                email_verified: true,
            };
            let ctx = Ctx {
                ip: "cli".into(),
                user_agent: "tsunagu operator create".into(),
            };
            let user_id = create_account(c, &keys, &a, now, &ctx)?;
            for r in &roles {
                crate::agency::grant_operator_role(c, &user_id, r.as_str(), now)?;
            }
            let token = crate::accounts::new_reset(c, &user_id, ttl, now)?;
            audit::append(
                c,
                now,
                Entry {
                    actor_id: None,
                    subject_id: Some(user_id.clone()),
                    action: format!(
                        "staff.create.{}",
                        roles
                            .iter()
                            .map(|r| r.as_str())
                            .collect::<Vec<_>>()
                            .join("+")
                    ),
                    purpose: "staff_administration".into(),
                    ip: ctx.ip.clone(),
                    user_agent: ctx.user_agent.clone(),
                    ..Default::default()
                },
            )?;
            Ok(Created { user_id, token })
        })
    }

    /// Gives or takes a role of the operator account at `email`. False when there is no
    /// open operator account with that address.
    pub fn set_staff_role_blocking(
        &self,
        email: &str,
        role: StaffRole,
        on: bool,
        now: i64,
    ) -> Result<bool> {
        let bidx = self.keys.blind_index(EMAIL_PURPOSE, email)?;
        self.db.write_blocking(move |c| {
            let Some(user) = user_by_email_bidx(c, &bidx)? else {
                return Ok(false);
            };
            let kind: String = users::table
                .filter(users::id.eq(&user))
                .select(users::kind)
                .first(c)?;
            if kind != UserKind::Operator.as_str() {
                return Ok(false);
            }
            if on {
                crate::agency::grant_operator_role(c, &user, role.as_str(), now)?;
            } else {
                diesel::delete(
                    operator_roles::table
                        .filter(operator_roles::user_id.eq(&user))
                        .filter(operator_roles::role.eq(role.as_str())),
                )
                .execute(c)?;
            }
            audit::append(
                c,
                now,
                Entry {
                    actor_id: None,
                    subject_id: Some(user.clone()),
                    action: format!(
                        "staff.role.{}.{}",
                        role.as_str(),
                        if on { "on" } else { "off" }
                    ),
                    purpose: "staff_administration".into(),
                    ip: "cli".into(),
                    user_agent: "tsunagu operator role".into(),
                    ..Default::default()
                },
            )?;
            Ok(true)
        })
    }

    /// Whether an account the demo created is present (its published password must
    /// never reach a public site).
    pub async fn demo_accounts_present(&self) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                for email in [
                    "operator@demo.tsunagu.example",
                    "seeker@demo.tsunagu.example",
                ] {
                    let bidx = keys.blind_index(EMAIL_PURPOSE, email)?;
                    if user_by_email_bidx(c, &bidx)?.is_some() {
                        return Ok(true);
                    }
                }
                Ok(false)
            })
            .await
    }
}
