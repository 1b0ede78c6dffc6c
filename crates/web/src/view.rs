//! What pages are made of: the shared chrome (layout context), form inputs, and the
//! error page. Templates live in `templates/`; they render only what handlers pass,
//! and handlers pass only views built by the disclosure policy.
use crate::error::Failure;
use crate::i18n::{Lang, Msg, Tr};
use crate::prefs::Prefs;
use crate::request::{Req, Viewer};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use domain::{Fields, UserKind};

/// Seconds before an idle time-out at which pages warn and offer to extend.
pub const IDLE_WARNING_SECS: i64 = 120;

/// The layout context every page gets.
pub struct Chrome {
    pub tr: Tr,
    /// Display settings (classes on `<html>`).
    pub prefs: Prefs,
    pub csrf: String,
    /// The current path, to come back to after switching language.
    pub path: String,
    pub kind: Option<UserKind>,
    /// Seconds until the idle time-out, for the warning script.
    pub idle_left: Option<i64>,
    /// A status message to announce (live region).
    pub flash: Option<String>,
    /// Unread messages and notifications (the header's counts).
    pub unread: (i64, i64),
}

impl Chrome {
    pub fn new(req: &Req) -> Self {
        let mut c = Self::from_parts(
            req.tr(),
            req.prefs,
            req.viewer.as_ref(),
            &req.csrf,
            &req.path,
        );
        c.unread = req.unread;
        c
    }
    /// The header's link to the messages, with the unread count in words.
    pub fn nav_messages(&self) -> Msg {
        match self.unread.0 {
            0 => self.tr.h("nav-messages"),
            n => self.tr.h1("nav-messages-unread", "count", &n.to_string()),
        }
    }
    pub fn nav_notices(&self) -> Msg {
        match self.unread.1 {
            0 => self.tr.h("nav-notices"),
            n => self.tr.h1("nav-notices-unread", "count", &n.to_string()),
        }
    }
    pub fn from_parts(
        tr: Tr,
        prefs: Prefs,
        viewer: Option<&Viewer>,
        csrf: &str,
        path: &str,
    ) -> Self {
        Self {
            tr,
            prefs,
            csrf: csrf.to_owned(),
            path: path.to_owned(),
            kind: viewer.map(|v| v.kind),
            idle_left: viewer.map(|v| (v.idle_deadline - crate::now()).max(0)),
            flash: None,
            unread: (0, 0),
        }
    }
    pub fn flash(mut self, key: Option<&str>) -> Self {
        self.flash = key.filter(|k| self.tr.has(k)).map(|k| self.tr.t(k));
        self
    }
    /// A message for the page body: HTML, with furigana when it is on.
    pub fn t(&self, key: &str) -> Msg {
        self.tr.h(key)
    }
    pub fn t1(&self, key: &str, name: &str, value: &str) -> Msg {
        self.tr.h1(key, name, value)
    }
    pub fn tn(&self, key: &str, args: &[(&str, &str)]) -> Msg {
        self.tr.hn(key, args)
    }
    /// A message as plain text, for attributes, `<title>` and `<option>`.
    pub fn a(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn a1(&self, key: &str, name: &str, value: &str) -> String {
        self.tr.t1(key, name, value)
    }
    /// The `lang` attribute of the page.
    pub fn lang(&self) -> &'static str {
        self.tr.lang.tag()
    }
    /// The languages to switch to: (code, lang tag, own name).
    pub fn other_langs(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        Lang::ALL
            .into_iter()
            .filter(|l| *l != self.tr.lang)
            .map(|l| (l.as_str(), l.tag(), l.own_name()))
            .collect()
    }
    /// The classes on `<html>` that apply the display settings.
    pub fn html_class(&self) -> String {
        self.prefs.classes()
    }
    pub fn furigana(&self) -> bool {
        self.prefs.furigana
    }
    /// Furigana is offered where the interface is Japanese.
    pub fn japanese(&self) -> bool {
        self.tr.lang.is_japanese()
    }
    pub fn signed_in(&self) -> bool {
        self.kind.is_some()
    }
    pub fn may_invite(&self) -> bool {
        matches!(
            self.kind,
            Some(UserKind::Seeker | UserKind::Employer | UserKind::Supporter)
        )
    }
    pub fn is_seeker(&self) -> bool {
        self.kind == Some(UserKind::Seeker)
    }
    pub fn is_employer(&self) -> bool {
        self.kind == Some(UserKind::Employer)
    }
    pub fn is_operator(&self) -> bool {
        self.kind == Some(UserKind::Operator)
    }
    pub fn is_supporter(&self) -> bool {
        self.kind == Some(UserKind::Supporter)
    }
    pub fn idle_warning(&self) -> i64 {
        IDLE_WARNING_SECS
    }
    /// A time as the user reads it: Japan time, to the minute.
    pub fn time(&self, ts: &i64) -> String {
        crate::jst::format_time(*ts, self.tr.lang)
    }
}

/// A text, email or password input.
pub struct Text {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub autocomplete: &'static str,
    pub hint: String,
    pub value: String,
    pub error: Option<String>,
}

/// A checkbox (consents).
pub struct Check {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub checked: bool,
    pub error: Option<String>,
}

/// A choice from a list.
pub struct Select {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub selected: String,
    pub error: Option<String>,
}

/// One input of a form.
pub enum Input {
    Text(Text),
    Check(Check),
    Select(Select),
}

impl Input {
    pub fn text(
        name: &'static str,
        label: String,
        kind: &'static str,
        autocomplete: &'static str,
        hint: String,
        value: &str,
    ) -> Self {
        Self::Text(Text {
            name,
            label,
            kind,
            autocomplete,
            hint,
            value: value.to_owned(),
            error: None,
        })
    }
    pub fn name(&self) -> &'static str {
        match self {
            Self::Text(t) => t.name,
            Self::Check(c) => c.name,
            Self::Select(s) => s.name,
        }
    }
    pub fn error(&self) -> Option<&String> {
        match self {
            Self::Text(t) => t.error.as_ref(),
            Self::Check(c) => c.error.as_ref(),
            Self::Select(s) => s.error.as_ref(),
        }
    }
    pub fn is_check(&self) -> bool {
        matches!(self, Self::Check(_))
    }
    fn set_error(&mut self, msg: String) {
        match self {
            Self::Text(t) => t.error = Some(msg),
            Self::Check(c) => c.error = Some(msg),
            Self::Select(s) => s.error = Some(msg),
        }
    }
}

/// Attaches field errors to their inputs, in the user's language.
pub fn with_errors(mut inputs: Vec<Input>, errors: &Fields, tr: &Tr) -> Vec<Input> {
    for e in &errors.0 {
        if let Some(i) = inputs.iter_mut().find(|i| i.name() == e.field) {
            i.set_error(tr.t(&format!("err-{}", e.code)));
        }
    }
    inputs
}

/// A page with one form (registration, login, reset, accepting an invitation).
#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage {
    pub c: Chrome,
    pub title: String,
    pub lead: String,
    pub action: String,
    pub inputs: Vec<Input>,
    pub submit: String,
    /// A form-level error (not tied to one field), e.g. failed login.
    pub form_error: Option<String>,
    pub links: Vec<(String, String)>,
    /// Legend of the group of checkboxes, if the form has any.
    pub checks_legend: String,
}

impl FormPage {
    pub fn has_errors(&self) -> bool {
        self.form_error.is_some() || self.inputs.iter().any(|i| i.error().is_some())
    }
    pub fn has_checks(&self) -> bool {
        self.inputs.iter().any(Input::is_check)
    }
}

/// A page that only says something.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub c: Chrome,
    pub title: String,
    pub message: String,
    pub alert: bool,
    pub links: Vec<(String, String)>,
}

pub fn html<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(s) => Html(s).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// The error page for a failure that is not a form's field error.
#[allow(clippy::too_many_arguments)]
pub fn error_page(
    tr: Tr,
    prefs: Prefs,
    viewer: Option<&Viewer>,
    csrf: &str,
    path: &str,
    status: StatusCode,
    f: &Failure,
) -> Response {
    let c = Chrome::from_parts(tr, prefs, viewer, csrf, path);
    let page = MessagePage {
        title: c.a("error-page-title"),
        message: c.a(f.message_key()),
        alert: true,
        links: vec![("/".into(), c.a("nav-home"))],
        c,
    };
    (status, html(&page)).into_response()
}
