//! A request as handlers see it: who is asking (`Viewer`), in which language and with
//! which display settings (`Req`), the cookies and the CSRF token. The guard builds it;
//! pages, the API and the layout read it.
use crate::i18n::{Lang, Tr};
use crate::prefs::Prefs;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use domain::UserKind;
use store::accounts::Ctx;

pub const SESSION_COOKIE: &str = "__Host-tsunagu_session";

pub const CSRF_COOKIE: &str = "__Host-tsunagu_csrf";

pub const LANG_COOKIE: &str = "__Host-tsunagu_lang";

pub const CSRF_FIELD: &str = "_csrf";

pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user_id: String,
    pub kind: UserKind,
    pub session_id: String,
    /// When the session ends without further activity (Unix seconds).
    pub idle_deadline: i64,
}

/// What the guard learned about a request, handed to handlers as an extension.
#[derive(Debug, Clone)]
pub struct Req {
    pub lang: Lang,
    /// Display settings: the account's when it has chosen some, else the cookie's.
    pub prefs: Prefs,
    pub csrf: String,
    /// The path and query of the request, to come back to after a switch.
    pub path: String,
    pub viewer: Option<Viewer>,
    pub ctx: Ctx,
    /// Pages: the viewer's unread messages and notifications, for the header.
    pub unread: (i64, i64),
}

impl Req {
    pub fn tr(&self) -> Tr {
        Tr::with_ruby(self.lang, self.prefs.furigana)
    }
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value with the attributes every cookie of ours has.
pub fn set_cookie(name: &str, value: &str, http_only: bool, max_age: Option<i64>) -> String {
    let mut s = format!("{name}={value}; Path=/; Secure; SameSite=Lax");
    if http_only {
        s.push_str("; HttpOnly");
    }
    if let Some(age) = max_age {
        s.push_str(&format!("; Max-Age={age}"));
    }
    s
}

pub fn csrf_matches(expected: Option<&str>, given: Option<&str>) -> bool {
    use subtle::ConstantTimeEq;
    match (expected, given) {
        (Some(e), Some(g)) if !e.is_empty() => e.as_bytes().ct_eq(g.as_bytes()).into(),
        _ => false,
    }
}

pub fn append_cookie(resp: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// Field errors as the API shows them: `{name: {code, message}}`.
pub fn fields_json(
    tr: &Tr,
    fs: &domain::Fields,
) -> std::collections::BTreeMap<String, crate::openapi::FieldProblem> {
    fs.0.iter()
        .map(|e| (e.field.to_owned(), field_problem(tr, e.code)))
        .collect()
}

/// One field's problem, worded in the request's language.
pub fn field_problem(tr: &Tr, code: &'static str) -> crate::openapi::FieldProblem {
    crate::openapi::FieldProblem {
        code,
        message: tr.t(&format!("err-{code}")),
    }
}

/// The signed-in viewer of a request (the guard has already refused anonymous callers
/// on every route that is not public).
pub fn viewer(req: &Req) -> crate::error::WebResult<&Viewer> {
    req.viewer
        .as_ref()
        .ok_or(crate::error::Failure::Unauthorized)
}
