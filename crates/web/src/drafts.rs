//! Nothing typed is lost: forms kept on the server as drafts (see `store::drafts`).
//! - A form sent after its session timed out is kept for its user; once they are back,
//!   the page of that form offers it again, filled in (`restore_timed_out`).
//! - Visitors (registration) are known by a random token in a cookie of their own.
use crate::request::{CSRF_FIELD, Req, cookie, set_cookie};
use crate::{AppState, now};
use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::HeaderMap;
use store::drafts::{Owner, Pairs};
use store::sessions::Channel;

/// The cookie that names a visitor's drafts (a random token; only its hash is stored).
pub const VISITOR_COOKIE: &str = "__Host-tsunagu_draft";
/// How long a visitor's draft (registration) is kept.
pub const VISITOR_TTL: i64 = 24 * 3600;
/// How long a user's draft is kept.
pub const USER_TTL: i64 = 30 * 24 * 3600;
/// How long after a time-out a form sent with the ended session is still kept.
const TIMED_OUT_GRACE: i64 = 24 * 3600;
const MAX_FORM_BYTES: usize = 64 * 1024;

fn timed_out_flow(path: &str) -> String {
    format!("timeout:{path}")
}

/// Keeps the form of a request whose session has timed out, if the form is genuine (its
/// CSRF token matches) and its page can be shown again (`has_page`: the guard found a
/// GET route for the path). Returns whether it was kept.
pub async fn keep_timed_out(
    app: &AppState,
    req: Request,
    token: &str,
    csrf_cookie: Option<&str>,
    has_page: bool,
    path: &str,
) -> bool {
    if token.is_empty() || !has_page {
        return false;
    }
    let Ok(bytes) = to_bytes(req.into_body(), MAX_FORM_BYTES).await else {
        return false;
    };
    let Ok(pairs) = serde_urlencoded::from_bytes::<Pairs>(&bytes) else {
        return false;
    };
    let given = pairs
        .iter()
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.as_str());
    if !crate::request::csrf_matches(csrf_cookie, given) {
        return false;
    }
    let t = now();
    let user = match app
        .store
        .session_timed_out(token, Channel::Web, app.cfg.web_session, TIMED_OUT_GRACE, t)
        .await
    {
        Ok(Some(u)) => u,
        Ok(None) => return false,
        Err(e) => {
            tracing::error!(error = %e, "timed-out session lookup failed");
            return false;
        }
    };
    let form: Pairs = pairs.into_iter().filter(|(k, _)| k != CSRF_FIELD).collect();
    if form.is_empty() {
        // Nothing typed here (a confirmation button): its draft is already kept.
        return true;
    }
    match app
        .store
        .draft_save(
            Owner::User(user),
            timed_out_flow(path),
            form,
            t,
            t + USER_TTL,
        )
        .await
    {
        Ok(()) => {
            tracing::info!("form kept after a session time-out");
            true
        }
        Err(e) => {
            tracing::error!(error = %e, "keeping a timed-out form failed");
            false
        }
    }
}

/// The form this user sent to this page after their session had timed out, if any; it
/// is handed back once (the page shows it filled in, and it is then the page's own).
pub async fn restore_timed_out(
    app: &AppState,
    req: &Req,
) -> Result<Option<Pairs>, store::StoreError> {
    let Some(v) = &req.viewer else {
        return Ok(None);
    };
    let path = req.path.split('?').next().unwrap_or_default();
    app.store
        .draft_take(Owner::User(v.user_id.clone()), timed_out_flow(path), now())
        .await
}

/// The visitor's draft owner from their cookie, if they have one.
pub fn visitor(headers: &HeaderMap) -> Option<Owner> {
    cookie(headers, VISITOR_COOKIE)
        .filter(|t| t.len() >= 32)
        .map(|t| Owner::Visitor(store::token_hash(t)))
}

/// A new visitor token: its owner, and the cookie that carries it.
pub fn new_visitor() -> (Owner, String) {
    let (token, hash) = store::new_token();
    (
        Owner::Visitor(hash),
        set_cookie(VISITOR_COOKIE, &token, true, Some(VISITOR_TTL)),
    )
}

/// The cookie that forgets the visitor's token.
pub fn forget_visitor() -> String {
    set_cookie(VISITOR_COOKIE, "", true, Some(0))
}

/// The value of a field of a form or a draft (the first one sent), or "".
pub fn get<'a>(d: &'a [(String, String)], k: &str) -> &'a str {
    d.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}
