//! The operator console's record of a person (利用者の記録): the account's name and
//! address through the account door, its state (kind, confirmed address, second factor,
//! warning, suspension), the organisations it belongs to and the operator's actions on
//! it. Only for a staff member whose stated purpose stands (`checked_purpose`); each
//! view is an access-log entry that names the purpose.
use super::{Access, checked_purpose, log_read, view_account_tx};
use crate::error::{Result, StoreError};
use crate::schema::{
    account_actions, memberships, organizations, stated_purposes, totp_factors, users,
};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::UserKind;
use domain::disclosure::Purpose;

/// An organisation the person belongs to now.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgLine {
    pub organization_id: String,
    pub name: String,
    pub kind: String,
    pub role: String,
}

/// One of the operator's actions on the account (a suspension, its lifting).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ActionLine {
    /// `suspend` or `lift`.
    pub action: String,
    /// The reason's code (`domain::console::SuspendReason`), empty for a lifting.
    pub reason: String,
    /// The staff member's note; `None` once the person's data was erased.
    pub note: Option<String>,
    pub at: i64,
}

/// What the console shows of one person, for the purpose stated.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PersonRecord {
    pub user_id: String,
    pub kind: UserKind,
    /// `None` once the person's data was erased.
    pub name: Option<String>,
    pub email: Option<String>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub email_verified: bool,
    /// A confirmed authenticator (TOTP).
    pub second_factor: bool,
    pub warned_at: Option<i64>,
    /// The account cannot sign in since then (a suspension stands).
    pub suspended_at: Option<i64>,
    pub organizations: Vec<OrgLine>,
    pub actions: Vec<ActionLine>,
    /// The purpose the record was opened for, and until when it stands.
    pub purpose: Purpose,
    pub purpose_until: i64,
}

/// The purpose the viewer stated last for `subject` that still stands, with its end.
pub(crate) fn standing_statement(
    c: &mut DbConn,
    viewer: &str,
    subject: &str,
    now: i64,
) -> Result<Option<(Purpose, i64)>> {
    let row: Option<(String, i64)> = stated_purposes::table
        .filter(stated_purposes::staff_id.eq(viewer))
        .filter(stated_purposes::subject_id.eq(subject))
        .filter(stated_purposes::until_at.gt(now))
        .order(stated_purposes::stated_at.desc())
        .select((stated_purposes::purpose, stated_purposes::until_at))
        .first(c)
        .optional()?;
    let Some((p, until)) = row else {
        return Ok(None);
    };
    let Some(p) = Purpose::parse(&p) else {
        return Ok(None);
    };
    Ok(checked_purpose(c, viewer, subject, Some(p), now)?.map(|p| (p, until)))
}

fn open_note(keys: &Keyring, table: &str, id: &str, enc: &[u8]) -> Result<Option<String>> {
    match keys.open_string(table, "note", id, enc) {
        Ok(s) => Ok(Some(s)),
        Err(StoreError::KeyErased) => Ok(None),
        Err(e) => Err(e),
    }
}

/// THE read of a person's record in the console. `None`: no such account, or no
/// standing purpose (the caller asks for one). Inside a write transaction.
pub(crate) fn view_record_tx(
    c: &mut DbConn,
    keys: &Keyring,
    viewer: &str,
    subject: &str,
    ctx: &crate::accounts::Ctx,
    now: i64,
) -> Result<Option<PersonRecord>> {
    let Some((purpose, until)) = standing_statement(c, viewer, subject, now)? else {
        return Ok(None);
    };
    type Row = (
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let row: Option<Row> = users::table
        .filter(users::id.eq(subject))
        .select((
            users::kind,
            users::created_at,
            users::closed_at,
            users::email_verified_at,
            users::warned_at,
            users::suspended_at,
        ))
        .first(c)
        .optional()?;
    let Some((kind, created_at, closed_at, verified, warned_at, suspended_at)) = row else {
        return Ok(None);
    };
    let Some(kind) = UserKind::parse(&kind) else {
        return Ok(None);
    };
    let a = Access {
        viewer,
        purpose: Some(purpose),
        reason: purpose.log_name(),
        ctx,
        now,
    };
    let account = match view_account_tx(c, keys, &a, subject) {
        Ok(v) => v.map(|d| d.into_view()),
        Err(StoreError::KeyErased) => None,
        Err(e) => return Err(e),
    };
    let second_factor: i64 = totp_factors::table
        .filter(totp_factors::user_id.eq(subject))
        .filter(totp_factors::confirmed_at.is_not_null())
        .count()
        .get_result(c)?;
    let organizations = memberships::table
        .inner_join(organizations::table)
        .filter(memberships::user_id.eq(subject))
        .filter(memberships::ended_at.is_null())
        .select((
            organizations::id,
            organizations::name,
            organizations::kind,
            memberships::role,
        ))
        .load::<(String, String, String, String)>(c)?
        .into_iter()
        .map(|(organization_id, name, kind, role)| OrgLine {
            organization_id,
            name,
            kind,
            role,
        })
        .collect();
    let mut actions = Vec::new();
    for (id, action, reason, note, at) in account_actions::table
        .filter(account_actions::user_id.eq(subject))
        .order(account_actions::seq.desc())
        .select((
            account_actions::id,
            account_actions::action,
            account_actions::reason,
            account_actions::note_enc,
            account_actions::at,
        ))
        .load::<(String, String, String, Vec<u8>, i64)>(c)?
    {
        actions.push(ActionLine {
            note: open_note(keys, "account_actions", &id, &note)?,
            action,
            reason,
            at,
        });
    }
    log_read(
        c,
        &a,
        subject,
        "record.read",
        vec!["account_status", "memberships", "actions"],
        purpose.log_name(),
    )?;
    Ok(Some(PersonRecord {
        user_id: subject.to_owned(),
        kind,
        name: account.as_ref().and_then(|v| v.name.clone()),
        email: account.and_then(|v| v.email),
        created_at,
        closed_at,
        email_verified: verified.is_some(),
        second_factor: second_factor > 0,
        warned_at,
        suspended_at,
        organizations,
        actions,
        purpose,
        purpose_until: until,
    }))
}
