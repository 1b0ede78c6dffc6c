//! Second factors: an authenticator app (TOTP, RFC 6238: 6 digits, 30-second steps,
//! SHA-1 as every app reads it) and single-use recovery codes.
//!
//! The authenticator's secret is sealed with the account's data key (erasing the
//! account destroys it with the rest); a recovery code is kept only as its hash. A code
//! is checked and its time step recorded in one transaction, so a code is never taken
//! twice (RFC 6238 5.2), not even by two requests at once. A sign-in whose password was
//! right but that still needs a code waits as a challenge: a short-lived token, a few
//! attempts, never the password.
use crate::accounts::Ctx;
use crate::error::Result;
use crate::schema::{login_challenges, memberships, recovery_codes, sessions, totp_factors, users};
use crate::{DbConn, Store, new_id, new_token, token_hash};
use diesel::prelude::*;
use domain::{Role, UserKind};
use totp_rs::{Algorithm, TOTP};

/// How a session was signed in (`sessions.auth_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// The password alone.
    Password,
    /// The password and a code from the authenticator app.
    Totp,
    /// The password and a recovery code.
    Recovery,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password => "password",
            Self::Totp => "totp",
            Self::Recovery => "recovery",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "totp" => Self::Totp,
            "recovery" => Self::Recovery,
            _ => Self::Password,
        }
    }

    /// Whether a second factor was given.
    pub fn second_factor(self) -> bool {
        self != Self::Password
    }
}

/// The state of an account's second factors, as its owner sees it.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct FactorState {
    /// An authenticator app is in force.
    pub totp: bool,
    /// When it was put in force.
    pub totp_confirmed_at: Option<i64>,
    /// An authenticator is being set up (a secret shown, not yet confirmed by a code).
    pub totp_pending: bool,
    /// Recovery codes not yet used.
    pub recovery_codes_left: i64,
    /// The account must sign in with a second factor (an operator, a company's or a
    /// facility's admin): until it has one, it can only set one up.
    pub required: bool,
}

/// What a sign-in with the right password still needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInFactor {
    /// A code: an authenticator is in force.
    Code,
    /// Nothing now, but the account must set an authenticator up before anything else.
    SetUpFirst,
    /// Nothing.
    None,
}

/// An authenticator being set up: what the app needs.
#[derive(Debug, Clone)]
pub struct Enrolment {
    /// The secret in Base32, for typing into the app by hand.
    pub secret: String,
    /// The `otpauth://` address the QR code holds.
    pub url: String,
}

/// What a sign-in challenge came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Challenge {
    /// The code was right: the account, how, and the recovery codes left.
    Passed {
        user_id: String,
        method: AuthMethod,
        recovery_left: i64,
    },
    /// The code was wrong; the challenge stands (attempts left).
    Wrong,
    /// No such challenge, expired, or out of attempts: sign in again.
    Gone,
}

/// Seconds a sign-in waits for its code.
pub const CHALLENGE_TTL: i64 = 300;
/// Wrong codes a challenge takes before it ends.
pub const CHALLENGE_ATTEMPTS: i32 = 5;
/// Recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;
pub const STEP: u64 = 30;
const ISSUER: &str = "Tsunagu";
/// Letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
const CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// Whether `user` (of `kind`) must sign in with a second factor: every account of a kind
/// that needs it, or one that holds a role that does (the rule:
/// `UserKind::needs_second_factor`, `Role::needs_second_factor`). Only members of a
/// company or facility hold roles, so no other kind costs a query.
fn required_of(c: &mut DbConn, user: &str, kind: UserKind) -> Result<bool> {
    if kind.needs_second_factor() {
        return Ok(true);
    }
    if kind.founds().is_none() {
        return Ok(false);
    }
    let roles: Vec<String> = memberships::table
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .select(memberships::role)
        .load(c)?;
    Ok(roles
        .iter()
        .filter_map(|r| Role::parse(r))
        .any(Role::needs_second_factor))
}

/// `required_of`, with the account's kind read first.
fn required(c: &mut DbConn, user: &str) -> Result<bool> {
    let kind: Option<String> = users::table
        .filter(users::id.eq(user))
        .select(users::kind)
        .first(c)
        .optional()?;
    match kind.as_deref().and_then(UserKind::parse) {
        Some(kind) => required_of(c, user, kind),
        None => Ok(false),
    }
}

/// Records that `user`'s session `session` now counts as signed in by `method`.
fn set_session_method(c: &mut DbConn, user: &str, session: &str, method: AuthMethod) -> Result<()> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session))
            .filter(sessions::user_id.eq(user)),
    )
    .set(sessions::auth_method.eq(method.as_str()))
    .execute(c)?;
    Ok(())
}

fn in_force(c: &mut DbConn, user: &str) -> Result<bool> {
    let n: i64 = totp_factors::table
        .filter(totp_factors::user_id.eq(user))
        .filter(totp_factors::confirmed_at.is_not_null())
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

fn totp(secret: Vec<u8>, label: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP,
        secret,
        Some(ISSUER.to_owned()),
        label.replace(':', " "),
    )
}

/// A code as typed: spaces and hyphens dropped, full-width digits and letters (a
/// Japanese input method's) made half-width, letters lower-case.
pub fn normalize_code(code: &str) -> String {
    code.chars()
        .filter_map(|c| {
            let c = match c {
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            };
            (!c.is_whitespace() && c != '-' && c != 'ー' && c != '－')
                .then(|| c.to_ascii_lowercase())
        })
        .collect()
}

fn is_totp_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// New recovery codes (shown once, `xxxx-xxxx-xxxx`) and their hashes.
fn new_recovery_codes() -> Vec<(String, String)> {
    use rand_core::RngCore;
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 12];
            rand_core::OsRng.fill_bytes(&mut bytes);
            let plain: String = bytes
                .iter()
                .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
                .collect();
            let shown = format!("{}-{}-{}", &plain[..4], &plain[4..8], &plain[8..]);
            (shown, token_hash(&plain))
        })
        .collect()
}

fn replace_recovery_codes(c: &mut DbConn, user: &str, now: i64) -> Result<Vec<String>> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user))).execute(c)?;
    let mut shown = Vec::new();
    for (code, hash) in new_recovery_codes() {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::id.eq(new_id()),
                recovery_codes::user_id.eq(user),
                recovery_codes::code_hash.eq(hash),
                recovery_codes::created_at.eq(now),
            ))
            .execute(c)?;
        shown.push(code);
    }
    Ok(shown)
}

fn recovery_left(c: &mut DbConn, user: &str) -> Result<i64> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(c)?)
}

/// The time step `code` belongs to, among the current one and one either side (a
/// phone's clock may be a little off), if it is later than `after`.
fn matching_step(t: &TOTP, code: &str, now: i64, after: i64) -> Option<i64> {
    use subtle::ConstantTimeEq;
    let now = u64::try_from(now).ok()?;
    let current = now / STEP;
    let mut found = None;
    for step in [current.saturating_sub(1), current, current + 1] {
        let candidate = t.generate(step * STEP);
        let same: bool = candidate.as_bytes().ct_eq(code.as_bytes()).into();
        let step = i64::try_from(step).ok()?;
        if same && step > after {
            found = Some(step);
        }
    }
    found
}

/// The sealed secret of the authenticator `user` is setting up (not yet confirmed).
fn pending_secret(c: &mut DbConn, keys: &crate::Keyring, user: &str) -> Result<Option<Vec<u8>>> {
    let sealed: Option<Vec<u8>> = totp_factors::table
        .filter(totp_factors::user_id.eq(user))
        .filter(totp_factors::confirmed_at.is_null())
        .select(totp_factors::secret_enc)
        .first(c)
        .optional()?;
    sealed
        .map(|s| keys.open("totp_factors", "secret_enc", user, &s))
        .transpose()
}

/// The code an authenticator with `secret` shows at `now` (the demo's `tsunagu
/// demo-code`, whose key is published), and the secret in Base32 as an app takes it.
pub fn code_now(secret: &[u8], now: i64) -> (String, String) {
    let t = totp(secret.to_vec(), "");
    (
        t.generate(u64::try_from(now).unwrap_or_default()),
        t.get_secret_base32(),
    )
}

/// Puts an authenticator with a known secret in force for `user` at once (demo data:
/// the demo admins' published key). Nothing when one exists.
pub(crate) fn seed_totp(
    c: &mut DbConn,
    keys: &crate::Keyring,
    user: &str,
    secret: &[u8],
    now: i64,
) -> Result<()> {
    let exists: i64 = totp_factors::table
        .filter(totp_factors::user_id.eq(user))
        .count()
        .get_result(c)?;
    if exists > 0 {
        return Ok(());
    }
    let sealed = keys
        .subject_key(user)?
        .seal("totp_factors", "secret_enc", user, secret)?;
    diesel::insert_into(totp_factors::table)
        .values((
            totp_factors::user_id.eq(user),
            totp_factors::secret_enc.eq(sealed),
            totp_factors::created_at.eq(now),
            totp_factors::confirmed_at.eq(Some(now)),
            totp_factors::last_step.eq(0),
        ))
        .execute(c)?;
    Ok(())
}

/// What the app needs of `secret`, naming the account `label`.
fn enrolment(secret: Vec<u8>, label: &str) -> Enrolment {
    let t = totp(secret, label);
    Enrolment {
        secret: t.get_secret_base32(),
        url: t.get_url(),
    }
}

/// The mail that tells a person a recovery code of theirs was used (from their
/// language and the codes left).
pub type RecoveryMail = Box<dyn Fn(&str, i64) -> crate::outbox::Mail + Send + Sync>;

/// Checks `code` (6 digits: the authenticator; else a recovery code) for `user` and
/// uses it up, inside the caller's transaction; a recovery code used is told to the
/// person by the mail `told` makes.
fn check_code(
    c: &mut DbConn,
    keys: &crate::Keyring,
    user: &str,
    code: &str,
    now: i64,
    told: &RecoveryMail,
) -> Result<Option<AuthMethod>> {
    let code = normalize_code(code);
    if is_totp_code(&code) {
        let row: Option<(Vec<u8>, i64)> = totp_factors::table
            .filter(totp_factors::user_id.eq(user))
            .filter(totp_factors::confirmed_at.is_not_null())
            .select((totp_factors::secret_enc, totp_factors::last_step))
            .first(c)
            .optional()?;
        let Some((sealed, last)) = row else {
            return Ok(None);
        };
        let secret = keys.open("totp_factors", "secret_enc", user, &sealed)?;
        let Some(step) = matching_step(&totp(secret, ""), &code, now, last) else {
            return Ok(None);
        };
        // Only if no one took this step meanwhile.
        let took = diesel::update(
            totp_factors::table
                .filter(totp_factors::user_id.eq(user))
                .filter(totp_factors::last_step.lt(step)),
        )
        .set(totp_factors::last_step.eq(step))
        .execute(c)?;
        return Ok((took == 1).then_some(AuthMethod::Totp));
    }
    if code.len() != 12 {
        return Ok(None);
    }
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user))
            .filter(recovery_codes::code_hash.eq(token_hash(&code)))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(now)))
    .execute(c)?;
    if used != 1 {
        return Ok(None);
    }
    // The person hears of it at their own address, in the same transaction: a code used
    // by someone else is noticed.
    let (lang, email): (String, Vec<u8>) = users::table
        .filter(users::id.eq(user))
        .select((users::lang, users::email_enc))
        .first(c)?;
    let mut mail = told(&lang, recovery_left(c, user)?);
    mail.to = keys.open_string("users", "email", user, &email)?;
    crate::outbox::enqueue(keys, c, "recovery_used", &mail, now)?;
    Ok(Some(AuthMethod::Recovery))
}

impl Store {
    /// The state of `user`'s second factors.
    pub async fn factor_state(&self, user: String) -> Result<FactorState> {
        self.db
            .read(move |c| {
                let row: Option<Option<i64>> = totp_factors::table
                    .filter(totp_factors::user_id.eq(&user))
                    .select(totp_factors::confirmed_at)
                    .first(c)
                    .optional()?;
                Ok(FactorState {
                    totp: matches!(row, Some(Some(_))),
                    totp_confirmed_at: row.flatten(),
                    totp_pending: matches!(row, Some(None)),
                    recovery_codes_left: recovery_left(c, &user)?,
                    required: required(c, &user)?,
                })
            })
            .await
    }

    /// What a sign-in of `user` needs besides the password.
    pub async fn sign_in_factor(&self, user: String) -> Result<SignInFactor> {
        self.db
            .read(move |c| {
                Ok(if in_force(c, &user)? {
                    SignInFactor::Code
                } else if required(c, &user)? {
                    SignInFactor::SetUpFirst
                } else {
                    SignInFactor::None
                })
            })
            .await
    }

    /// Whether `user`, of `kind`, must sign in with a second factor (the guard asks it of
    /// a session signed in with the password alone; seekers and family cost no query).
    pub async fn second_factor_required(&self, user: String, kind: UserKind) -> Result<bool> {
        self.db.read(move |c| required_of(c, &user, kind)).await
    }

    /// Starts setting up an authenticator app for `user` (`label`: how the app names
    /// the account): a new secret, not in force until a code from the app confirms it.
    /// `None` when one is in force already (remove it first).
    pub async fn totp_begin(
        &self,
        user: String,
        label: String,
        now: i64,
    ) -> Result<Option<Enrolment>> {
        use rand_core::RngCore;
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let confirmed: Option<Option<i64>> = totp_factors::table
                    .filter(totp_factors::user_id.eq(&user))
                    .select(totp_factors::confirmed_at)
                    .first(c)
                    .optional()?;
                if matches!(confirmed, Some(Some(_))) {
                    return Ok(None);
                }
                // 160 bits, as RFC 4226 recommends.
                let mut secret = vec![0u8; 20];
                rand_core::OsRng.fill_bytes(&mut secret);
                let sealed =
                    keys.subject_key(&user)?
                        .seal("totp_factors", "secret_enc", &user, &secret)?;
                diesel::delete(totp_factors::table.filter(totp_factors::user_id.eq(&user)))
                    .execute(c)?;
                diesel::insert_into(totp_factors::table)
                    .values((
                        totp_factors::user_id.eq(&user),
                        totp_factors::secret_enc.eq(sealed),
                        totp_factors::created_at.eq(now),
                        totp_factors::last_step.eq(0),
                    ))
                    .execute(c)?;
                Ok(Some(enrolment(secret, &label)))
            })
            .await
    }

    /// The authenticator being set up, to show again (`None`: none is being set up).
    pub async fn totp_pending(&self, user: String, label: String) -> Result<Option<Enrolment>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| Ok(pending_secret(c, &keys, &user)?.map(|s| enrolment(s, &label))))
            .await
    }

    /// Puts the authenticator being set up in force when `code` is its current code,
    /// makes new recovery codes (returned, to be shown once) and marks `session` as
    /// signed in with it. `None`: the code is wrong or nothing is being set up.
    pub async fn totp_confirm(
        &self,
        user: String,
        session: String,
        code: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Vec<String>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(secret) = pending_secret(c, &keys, &user)? else {
                    return Ok(None);
                };
                let code = normalize_code(&code);
                let Some(step) = matching_step(&totp(secret, ""), &code, now, 0) else {
                    return Ok(None);
                };
                diesel::update(totp_factors::table.filter(totp_factors::user_id.eq(&user)))
                    .set((
                        totp_factors::confirmed_at.eq(Some(now)),
                        totp_factors::last_step.eq(step),
                    ))
                    .execute(c)?;
                let codes = replace_recovery_codes(c, &user, now)?;
                set_session_method(c, &user, &session, AuthMethod::Totp)?;
                crate::audit::own_act_for(
                    c,
                    &user,
                    "second_factor.totp.added".into(),
                    "authentication",
                    &ctx,
                    now,
                )?;
                Ok(Some(codes))
            })
            .await
    }

    /// Removes the authenticator and the recovery codes (the caller has checked the
    /// password and a code). The session that removed it (`session`) counts as signed in
    /// with the password alone from now on: an account that must have a second factor
    /// sets a new one up before it goes on. Other sessions stay as they are.
    pub async fn totp_remove(
        &self,
        user: String,
        session: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<()> {
        self.db
            .write(move |c| {
                diesel::delete(totp_factors::table.filter(totp_factors::user_id.eq(&user)))
                    .execute(c)?;
                diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(&user)))
                    .execute(c)?;
                set_session_method(c, &user, &session, AuthMethod::Password)?;
                crate::audit::own_act_for(
                    c,
                    &user,
                    "second_factor.totp.removed".into(),
                    "authentication",
                    &ctx,
                    now,
                )?;
                Ok(())
            })
            .await
    }

    /// New recovery codes in place of the old ones (`None`: no authenticator in force).
    pub async fn recovery_renew(
        &self,
        user: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Vec<String>>> {
        self.db
            .write(move |c| {
                let on: i64 = totp_factors::table
                    .filter(totp_factors::user_id.eq(&user))
                    .filter(totp_factors::confirmed_at.is_not_null())
                    .count()
                    .get_result(c)?;
                if on == 0 {
                    return Ok(None);
                }
                let codes = replace_recovery_codes(c, &user, now)?;
                crate::audit::own_act_for(
                    c,
                    &user,
                    "second_factor.recovery.renewed".into(),
                    "authentication",
                    &ctx,
                    now,
                )?;
                Ok(Some(codes))
            })
            .await
    }

    /// Checks and uses up a code of `user`'s (a step that needs a fresh check: 退会, a
    /// download of all their data). `None`: wrong, or already used.
    pub async fn second_factor_check(
        &self,
        user: String,
        code: String,
        now: i64,
        told: RecoveryMail,
    ) -> Result<Option<AuthMethod>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| check_code(c, &keys, &user, &code, now, &told))
            .await
    }

    /// A sign-in waiting for its code: returns the token that stands for it.
    pub async fn challenge_start(&self, user: String, now: i64) -> Result<String> {
        let (token, hash) = new_token();
        self.db
            .write(move |c| {
                diesel::delete(
                    login_challenges::table.filter(login_challenges::expires_at.le(now)),
                )
                .execute(c)?;
                diesel::insert_into(login_challenges::table)
                    .values((
                        login_challenges::id.eq(new_id()),
                        login_challenges::token_hash.eq(hash),
                        login_challenges::user_id.eq(&user),
                        login_challenges::created_at.eq(now),
                        login_challenges::expires_at.eq(now + CHALLENGE_TTL),
                        login_challenges::attempts.eq(0),
                    ))
                    .execute(c)?;
                Ok(())
            })
            .await?;
        Ok(token)
    }

    /// Whether the challenge `token` still stands.
    pub async fn challenge_open(&self, token: &str, now: i64) -> Result<bool> {
        let hash = token_hash(token);
        self.db
            .read(move |c| {
                let n: i64 = login_challenges::table
                    .filter(login_challenges::token_hash.eq(&hash))
                    .filter(login_challenges::expires_at.gt(now))
                    .filter(login_challenges::attempts.lt(CHALLENGE_ATTEMPTS))
                    .count()
                    .get_result(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// Answers the challenge `token` with `code`. A right code ends the challenge; a
    /// wrong one counts against its attempts.
    pub async fn challenge_answer(
        &self,
        token: &str,
        code: String,
        now: i64,
        told: RecoveryMail,
    ) -> Result<Challenge> {
        let hash = token_hash(token);
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let row: Option<(String, String)> = login_challenges::table
                    .filter(login_challenges::token_hash.eq(&hash))
                    .filter(login_challenges::expires_at.gt(now))
                    .filter(login_challenges::attempts.lt(CHALLENGE_ATTEMPTS))
                    .select((login_challenges::id, login_challenges::user_id))
                    .first(c)
                    .optional()?;
                let Some((id, user)) = row else {
                    return Ok(Challenge::Gone);
                };
                match check_code(c, &keys, &user, &code, now, &told)? {
                    Some(method) => {
                        diesel::delete(
                            login_challenges::table.filter(login_challenges::id.eq(&id)),
                        )
                        .execute(c)?;
                        Ok(Challenge::Passed {
                            recovery_left: recovery_left(c, &user)?,
                            user_id: user,
                            method,
                        })
                    }
                    None => {
                        diesel::update(
                            login_challenges::table.filter(login_challenges::id.eq(&id)),
                        )
                        .set(login_challenges::attempts.eq(login_challenges::attempts + 1))
                        .execute(c)?;
                        Ok(Challenge::Wrong)
                    }
                }
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_as_typed() {
        assert_eq!(normalize_code(" １２３ ４５６ "), "123456");
        assert_eq!(normalize_code("ABCD-efgh-JKMN"), "abcdefghjkmn");
        assert_eq!(normalize_code("ａｂｃｄーｅｆｇｈ"), "abcdefgh");
    }

    #[test]
    fn rfc6238_vector_and_steps() {
        // RFC 6238 appendix B, SHA-1, 8 digits at 59 s → 94287082; 6 digits: 287082.
        let t = totp(b"12345678901234567890".to_vec(), "");
        assert_eq!(t.generate(59), "287082");
        // The step either side is taken once, the same step never twice.
        assert_eq!(matching_step(&t, "287082", 59, 0), Some(1));
        assert_eq!(matching_step(&t, "287082", 89, 0), Some(1));
        assert_eq!(matching_step(&t, "287082", 59, 1), None);
        assert_eq!(matching_step(&t, "287082", 150, 0), None);
    }

    #[test]
    fn recovery_codes_are_unlike_each_other() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let set: std::collections::HashSet<_> = codes.iter().map(|c| &c.0).collect();
        assert_eq!(set.len(), RECOVERY_CODES);
        for (shown, hash) in &codes {
            assert_eq!(shown.len(), 14);
            assert_eq!(&token_hash(&normalize_code(shown)), hash);
        }
    }
}
