//! Email verification: an address is the person's once they open a link mailed to it.
//!
//! - **At registration** the new account's address is unverified and a link is mailed to
//!   it; until it is opened the session may use no route that returns another person's
//!   data (the web guard holds them, `routes::returns_personal_data`).
//! - **On a change** the new address is mailed a link and nothing changes until it is
//!   opened; then the account takes the new address, verified, the old address (if it
//!   was verified) is told, so a taken-over account is noticed, and reset links mailed
//!   to the old address stop working.
//! - A link is single-use, lasts 3 days (`CHECK_TTL`), and only its hash is kept; a new link
//!   ends the person's earlier ones. An address another account holds is never revealed:
//!   its owner is told by mail instead, and the asker gets the same answer as anyone.
use crate::accounts::{Ctx, EMAIL_PURPOSE};
use crate::audit;
use crate::error::{Result, StoreError};
use crate::outbox::{self, Mail};
use crate::schema::{email_checks, password_resets, users};
use crate::{DbConn, Keyring, Store, new_id, new_token, token_hash};
use diesel::prelude::*;
use domain::validate::Email;

/// How long a mailed link stays usable: 3 days.
pub const CHECK_TTL: i64 = 3 * 86_400;

/// A person's address and where its verification stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct EmailState {
    pub email: String,
    /// Whether the person has opened a link mailed to this address.
    pub verified: bool,
    /// An address the person asked to change to, waiting for its link to be opened.
    pub pending: Option<String>,
}

/// What opening a link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// The account's own address is now verified.
    Verified,
    /// The account now has the new address (verified); the old one was told.
    Changed,
}

/// Mails `email` a new link for `user`, usable for [`CHECK_TTL`] (ending the earlier
/// ones); the token goes into the mail composed by `compose(token, lang)`.
pub fn new_check(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    email: &str,
    now: i64,
    compose: impl FnOnce(&str, &str) -> Mail,
) -> Result<()> {
    diesel::update(
        email_checks::table
            .filter(email_checks::user_id.eq(user))
            .filter(email_checks::used_at.is_null()),
    )
    .set(email_checks::used_at.eq(Some(now)))
    .execute(c)?;
    let (token, hash) = new_token();
    let id = new_id();
    let sealed = keys
        .subject_key(user)?
        .seal_str("email_checks", "email_enc", &id, email)?;
    diesel::insert_into(email_checks::table)
        .values((
            email_checks::id.eq(&id),
            email_checks::token_hash.eq(hash),
            email_checks::user_id.eq(user),
            email_checks::email_bidx.eq(keys.blind_index(EMAIL_PURPOSE, email)?),
            email_checks::email_enc.eq(sealed),
            email_checks::created_at.eq(now),
            email_checks::expires_at.eq(now + CHECK_TTL),
        ))
        .execute(c)?;
    let lang: String = users::table
        .filter(users::id.eq(user))
        .select(users::lang)
        .first(c)?;
    let mut mail = compose(&token, &lang);
    mail.to = email.to_owned();
    outbox::enqueue(keys, c, "email_check", &mail, now)?;
    Ok(())
}

/// The live link of `user` waiting to be opened, if any: its id and address.
fn pending_check(
    c: &mut DbConn,
    keys: &Keyring,
    user: &str,
    now: i64,
) -> Result<Option<(String, String)>> {
    let row: Option<(String, Vec<u8>)> = email_checks::table
        .filter(email_checks::user_id.eq(user))
        .filter(email_checks::used_at.is_null())
        .filter(email_checks::expires_at.gt(now))
        .order(email_checks::created_at.desc())
        .select((email_checks::id, email_checks::email_enc))
        .first(c)
        .optional()?;
    row.map(|(id, enc)| {
        let email = keys.open_string("email_checks", "email_enc", &id, &enc)?;
        Ok((id, email))
    })
    .transpose()
}

/// The account's address and whether it is verified (open accounts only).
fn current(c: &mut DbConn, keys: &Keyring, user: &str) -> Result<(String, bool, String)> {
    let (enc, verified_at, bidx): (Vec<u8>, Option<i64>, String) = users::table
        .filter(users::id.eq(user))
        .filter(users::closed_at.is_null())
        .select((
            users::email_enc,
            users::email_verified_at,
            users::email_bidx,
        ))
        .first(c)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok((
        keys.open_string("users", "email", user, &enc)?,
        verified_at.is_some(),
        bidx,
    ))
}

/// Whether an open account other than `user` holds the address with this blind index.
fn held_by_other(c: &mut DbConn, bidx: &str, user: &str) -> Result<Option<(String, String)>> {
    users::table
        .filter(users::email_bidx.eq(bidx))
        .filter(users::id.ne(user))
        .select((users::id, users::lang))
        .first(c)
        .optional()
        .map_err(StoreError::from)
}

impl Store {
    /// The person's address, whether it is verified, and a change waiting for its link.
    pub async fn email_state(&self, user: String, now: i64) -> Result<EmailState> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let (email, verified, _) = current(c, &keys, &user)?;
                let pending = pending_check(c, &keys, &user, now)?
                    .map(|(_, e)| e)
                    .filter(|e| *e != email);
                Ok(EmailState {
                    email,
                    verified,
                    pending,
                })
            })
            .await
    }

    /// Mails a new link: to the address of a change still waiting, else to the
    /// account's own address if it is unverified. False if there is nothing to confirm.
    pub async fn email_check_send(
        &self,
        user: String,
        now: i64,
        compose: impl FnOnce(&str, &str) -> Mail + Send + 'static,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (email, verified, _) = current(c, &keys, &user)?;
                let to = match pending_check(c, &keys, &user, now)? {
                    Some((_, pending)) => pending,
                    None if !verified => email,
                    None => return Ok(false),
                };
                new_check(c, &keys, &user, &to, now, compose)?;
                Ok(true)
            })
            .await
    }

    /// Asks to change the account's address to `email` (the caller checked the password
    /// again). The new address is mailed a link; nothing changes until it is opened. If
    /// another account holds the address, its owner is told instead and the answer is
    /// the same. `Conflict("email-same")` if it is the account's own address.
    pub async fn email_change_request(
        &self,
        user: String,
        email: Email,
        ctx: Ctx,
        now: i64,
        check_mail: impl FnOnce(&str, &str) -> Mail + Send + 'static,
        taken_mail: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<()> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let (_, _, own) = current(c, &keys, &user)?;
                let bidx = keys.blind_index(EMAIL_PURPOSE, email.as_str())?;
                if bidx == own {
                    return Err(StoreError::Conflict("email-same"));
                }
                audit::own_act_for(
                    c,
                    &user,
                    "email.change_request".to_owned(),
                    "account_security",
                    &ctx,
                    now,
                )?;
                match held_by_other(c, &bidx, &user)? {
                    Some((_, lang)) => {
                        let mut mail = taken_mail(&lang);
                        mail.to = email.as_str().to_owned();
                        outbox::enqueue(&keys, c, "email_taken", &mail, now)?;
                        Ok(())
                    }
                    None => new_check(c, &keys, &user, email.as_str(), now, check_mail),
                }
            })
            .await
    }

    /// Whether a link is usable (for showing its page).
    pub async fn email_check_valid(&self, token: &str, now: i64) -> Result<bool> {
        let hash = token_hash(token);
        self.db
            .read(move |c| {
                let n: i64 = email_checks::table
                    .filter(email_checks::token_hash.eq(&hash))
                    .filter(email_checks::used_at.is_null())
                    .filter(email_checks::expires_at.gt(now))
                    .count()
                    .get_result(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// Opens a link: verifies the account's address, or makes the asked-for address the
    /// account's, telling the old one by mail (`changed_mail(lang)`) if it was verified.
    /// `None` if the link is unknown, used or expired, or the address was taken since.
    pub async fn email_check_confirm(
        &self,
        token: &str,
        ctx: Ctx,
        now: i64,
        changed_mail: impl FnOnce(&str) -> Mail + Send + 'static,
    ) -> Result<Option<Checked>> {
        let hash = token_hash(token);
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, String, String, Vec<u8>)> = email_checks::table
                    .filter(email_checks::token_hash.eq(&hash))
                    .filter(email_checks::used_at.is_null())
                    .filter(email_checks::expires_at.gt(now))
                    .select((
                        email_checks::id,
                        email_checks::user_id,
                        email_checks::email_bidx,
                        email_checks::email_enc,
                    ))
                    .first(c)
                    .optional()?;
                let Some((id, user, bidx, enc)) = row else {
                    return Ok(None);
                };
                let (old, was_verified, own) = match current(c, &keys, &user) {
                    Ok(found) => found,
                    Err(StoreError::NotFound) => return Ok(None),
                    Err(e) => return Err(e),
                };
                diesel::update(email_checks::table.filter(email_checks::id.eq(&id)))
                    .set(email_checks::used_at.eq(Some(now)))
                    .execute(c)?;
                if bidx == own {
                    diesel::update(users::table.filter(users::id.eq(&user)))
                        .set(users::email_verified_at.eq(Some(now)))
                        .execute(c)?;
                    audit::own_act_for(
                        c,
                        &user,
                        "email.verify".to_owned(),
                        "account_security",
                        &ctx,
                        now,
                    )?;
                    return Ok(Some(Checked::Verified));
                }
                if held_by_other(c, &bidx, &user)?.is_some() {
                    return Ok(None);
                }
                let email = keys.open_string("email_checks", "email_enc", &id, &enc)?;
                let sealed = keys
                    .subject_key(&user)?
                    .seal_str("users", "email", &user, &email)?;
                diesel::update(users::table.filter(users::id.eq(&user)))
                    .set((
                        users::email_bidx.eq(&bidx),
                        users::email_enc.eq(sealed),
                        users::email_verified_at.eq(Some(now)),
                    ))
                    .execute(c)?;
                // A reset link mailed to the old address no longer opens the account.
                diesel::update(
                    password_resets::table
                        .filter(password_resets::user_id.eq(&user))
                        .filter(password_resets::used_at.is_null()),
                )
                .set(password_resets::used_at.eq(Some(now)))
                .execute(c)?;
                if was_verified {
                    let lang: String = users::table
                        .filter(users::id.eq(&user))
                        .select(users::lang)
                        .first(c)?;
                    let mut mail = changed_mail(&lang);
                    mail.to = old;
                    outbox::enqueue(&keys, c, "email_changed", &mail, now)?;
                }
                audit::append(
                    c,
                    now,
                    audit::Entry {
                        actor_id: Some(user.clone()),
                        subject_id: Some(user.clone()),
                        action: "email.change".into(),
                        items: vec!["email"],
                        purpose: "account_security".into(),
                        ip: ctx.ip.clone(),
                        user_agent: ctx.user_agent.clone(),
                    },
                )?;
                Ok(Some(Checked::Changed))
            })
            .await
    }
}
