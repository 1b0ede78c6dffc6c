//! One form-field model for every page: the field types and their builder, the error
//! summary tied to fields, label helpers for code lists, and the redirect after a post.
use crate::i18n::{Lang, Tr};
use axum::Form;
use axum::response::{IntoResponse, Redirect, Response};
use domain::Fields;
use domain::taxonomy::{self, PREFECTURES};
use std::collections::HashMap;

/// A posted form as its (name, value) pairs, in order (checkbox groups repeat names).
pub type FormData = Form<Vec<(String, String)>>;

// ------------------------------------------------------------------ generic form fields

/// One form control. `kind`: text, area, select, checks, radios, check.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub kind: &'static str,
    pub value: String,
    pub values: Vec<String>,
    pub options: Vec<(String, String)>,
    pub error: Option<String>,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
}

impl Field {
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("f-{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("f-{}-error", self.name));
        }
        ids.join(" ")
    }
    pub fn on(&self, v: &str) -> bool {
        self.values.iter().any(|x| x == v)
    }
}

/// Builds fields from what was typed, with labels `{prefix}-{name}` and optional hints
/// `{prefix}-{name}-hint`.
pub(crate) struct Builder<'a> {
    pub(crate) tr: &'a Tr,
    pub(crate) prefix: &'static str,
    pub(crate) typed: &'a [(String, String)],
    pub(crate) errors: HashMap<String, String>,
}

impl Builder<'_> {
    pub(crate) fn base(&self, name: &'static str, kind: &'static str) -> Field {
        let hint_key = format!("{}-{name}-hint", self.prefix);
        Field {
            name,
            label: self.tr.t(&format!("{}-{name}", self.prefix)),
            hint: if self.tr.has(&hint_key) {
                self.tr.t(&hint_key)
            } else {
                String::new()
            },
            kind,
            value: self
                .typed
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            values: self
                .typed
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .collect(),
            options: Vec::new(),
            error: self.errors.get(name).cloned(),
            autocomplete: "off",
            inputmode: "",
        }
    }
    pub(crate) fn text(&self, name: &'static str) -> Field {
        self.base(name, "text")
    }
    pub(crate) fn auto(&self, name: &'static str, autocomplete: &'static str) -> Field {
        Field {
            autocomplete,
            ..self.base(name, "text")
        }
    }
    pub(crate) fn number(&self, name: &'static str) -> Field {
        Field {
            inputmode: "numeric",
            ..self.base(name, "text")
        }
    }
    pub(crate) fn area(&self, name: &'static str) -> Field {
        self.base(name, "area")
    }
    pub(crate) fn select(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "select")
        }
    }
    pub(crate) fn radios(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "radios")
        }
    }
    pub(crate) fn checks(&self, name: &'static str, options: Vec<(String, String)>) -> Field {
        Field {
            options,
            ..self.base(name, "checks")
        }
    }
    pub(crate) fn check(&self, name: &'static str) -> Field {
        self.base(name, "check")
    }
}

pub(crate) fn errors_map(
    tr: &Tr,
    fields: &Fields,
) -> (HashMap<String, String>, Vec<(String, String)>) {
    let list = field_errors(tr, fields);
    (list.iter().cloned().collect(), list)
}

pub(crate) fn entries(lang: Lang, list: &[domain::taxonomy::Entry]) -> Vec<(String, String)> {
    list.iter()
        .map(|e| (e.0.to_owned(), label(lang, e)))
        .collect()
}

pub(crate) fn prefectures(lang: Lang) -> Vec<(String, String)> {
    PREFECTURES
        .iter()
        .map(|(c, ja, en)| {
            (
                c.to_string(),
                if lang.is_japanese() {
                    (*ja).into()
                } else {
                    (*en).into()
                },
            )
        })
        .collect()
}

pub(crate) fn keyed(tr: &Tr, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes
        .iter()
        .map(|c| ((*c).to_owned(), tr.t(&format!("{prefix}-{c}"))))
        .collect()
}

pub(crate) fn all(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .collect()
}

pub(crate) fn label(lang: Lang, e: &(&str, &str, &str)) -> String {
    match lang {
        Lang::Ja | Lang::Easy => e.1.to_owned(),
        Lang::En => e.2.to_owned(),
    }
}

pub fn prefecture_name(lang: Lang, code: u8) -> String {
    taxonomy::prefecture(code)
        .map(|(ja, en)| {
            if lang.is_japanese() {
                ja.to_owned()
            } else {
                en.to_owned()
            }
        })
        .unwrap_or_default()
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Readable (label, value) lines.
pub type Lines = Vec<(String, String)>;

/// What a refused form shows again: its status and its (field, message) errors. A rate
/// limit is shown on `limited_field` (the field whose attempts are counted); any other
/// failure is no form error and goes on to the error page.
pub(crate) fn refusal(
    tr: &Tr,
    fail: crate::error::Failure,
    limited_field: &str,
) -> Result<(axum::http::StatusCode, Vec<(String, String)>), crate::error::Failure> {
    use crate::error::Failure;
    match fail {
        Failure::Fields(fields) => Ok((
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            field_errors(tr, &fields),
        )),
        Failure::RateLimited(s) => {
            let status = Failure::RateLimited(s).status();
            Ok((
                status,
                vec![(
                    limited_field.to_owned(),
                    tr.t(Failure::RateLimited(s).message_key()),
                )],
            ))
        }
        other => Err(other),
    }
}

/// The message of `field` among a page's (field id, message) errors.
pub(crate) fn error_in<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, m)| m.as_str())
}

/// Field errors as (field id, message) for the form.
pub fn field_errors(tr: &Tr, fields: &Fields) -> Vec<(String, String)> {
    fields
        .0
        .iter()
        .map(|e| {
            (
                e.field.rsplit('.').next().unwrap_or(e.field).to_owned(),
                tr.t(&format!("err-{}", e.code)),
            )
        })
        .collect()
}

/// The fields that check the signed-in person again (退会, the data download, a rights
/// request; `_recheck.html`): the password, and for an account with a second factor,
/// a code instead.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recheck {
    pub password_error: Option<String>,
    pub code_error: Option<String>,
    /// The account has a second factor: the code field is offered.
    pub second_factor: bool,
}

impl Recheck {
    pub(crate) async fn of(
        app: &crate::AppState,
        req: &crate::request::Req,
        errors: &[(String, String)],
    ) -> crate::error::WebResult<Self> {
        let v = crate::request::viewer(req)?;
        let find = |f: &str| errors.iter().find(|(k, _)| k == f).map(|(_, m)| m.clone());
        Ok(Self {
            password_error: find("password"),
            code_error: find("code"),
            second_factor: app.store.sign_in_factor(v.user_id.clone()).await?
                == store::factors::SignInFactor::Code,
        })
    }
}
