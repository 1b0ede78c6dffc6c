//! Accounts: registration (one question per page), login and logout, password reset,
//! the dashboard (own account, organisation members, consents, sessions, family),
//! invitations, second factors (`security`), the address and its confirmation (`email`), 退会
//! (`close`). `flows` holds the use cases both the pages and the API call.
pub mod api;
pub mod close;
pub mod dashboard;
pub mod email;
pub mod flows;
pub mod invitations;
pub mod pages;
pub mod register;
pub mod security;

use axum::Form;
use std::collections::HashMap;

pub(crate) type FormData = Form<HashMap<String, String>>;

pub(crate) fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// Status messages a redirect may ask a page to announce (`?m=` only picks from these).
const FLASH: &[&str] = &[
    "register-done",
    "reset-sent",
    "reset-done",
    "accept-done",
    "session-expired",
    "session-revoked",
    "consent-withdrawn-done",
    "consent-given-done",
    "invite-sent",
    "invite-revoked",
    "family-ended",
    "rights-filed",
    "rights-decided",
    "code-expired",
    "email-verified",
    "email-changed",
    "policy-decided",
];

pub(crate) fn flash(q: &HashMap<String, String>) -> Option<&'static str> {
    flash_in(q, FLASH)
}

/// The status message `?m=` asks a page to announce, if it is one of the page's own.
pub(crate) fn flash_in(
    q: &HashMap<String, String>,
    known: &'static [&'static str],
) -> Option<&'static str> {
    let m = q.get("m")?;
    known.iter().copied().find(|k| k == m)
}
