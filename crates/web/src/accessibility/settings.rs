//! The reader's settings: language, furigana, and display (text size, contrast, motion,
//! line spacing). Everyone can change them; a signed-in user's choice is kept with the
//! account (it follows them to every device), a visitor's in a cookie.
use crate::AppState;
use crate::error::{Failure, WebResult};
use crate::forms::see_other;
use crate::i18n::Lang;
use crate::prefs::{DISPLAY_COOKIE, Prefs, SIZES};
use crate::request::{LANG_COOKIE, Req, append_cookie, set_cookie};
use crate::view::{Chrome, html};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::{Extension, Form};
use std::collections::HashMap;

type FormData = Form<HashMap<String, String>>;
const YEAR: i64 = 31_536_000;

fn field<'a>(f: &'a HashMap<String, String>, k: &str) -> &'a str {
    f.get(k).map(String::as_str).unwrap_or("")
}

/// Only paths of this site are followed after a switch (as the page gave them:
/// percent-encoded ASCII).
pub fn local_path(p: &str) -> &str {
    if p.starts_with('/')
        && !p.starts_with("//")
        && !p.contains('\\')
        && p.bytes().all(|b| b.is_ascii_graphic())
    {
        p
    } else {
        "/"
    }
}

pub async fn set_lang(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let lang = Lang::parse(field(&f, "lang")).ok_or(Failure::BadRequest)?;
    if let Some(v) = &req.viewer {
        app.store.set_lang(v.user_id.clone(), lang.as_str()).await?;
    }
    let mut r = see_other(local_path(field(&f, "next")));
    append_cookie(
        &mut r,
        &set_cookie(LANG_COOKIE, lang.as_str(), false, Some(YEAR)),
    );
    Ok(r)
}

/// Keeps the settings: with the account when signed in, and in the cookie always.
async fn keep(app: &AppState, req: &Req, p: Prefs, to: &str) -> WebResult<Response> {
    if let Some(v) = &req.viewer {
        app.store.set_display(v.user_id.clone(), p.code()).await?;
    }
    let mut r = see_other(to);
    append_cookie(
        &mut r,
        &set_cookie(DISPLAY_COOKIE, &p.code(), false, Some(YEAR)),
    );
    Ok(r)
}

/// The furigana switch in every page's header.
pub async fn set_furigana(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    let on = match field(&f, "furigana") {
        "1" => true,
        "0" => false,
        _ => return Err(Failure::BadRequest),
    };
    let p = Prefs {
        furigana: on,
        ..req.prefs
    };
    keep(&app, &req, p, local_path(field(&f, "next"))).await
}

/// One group of choices on the display settings page.
pub struct Choice {
    pub name: &'static str,
    pub legend: &'static str,
    /// (value, message key, chosen)
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "display.html")]
struct DisplayPage {
    c: Chrome,
    choices: Vec<Choice>,
}

fn onoff(name: &'static str, legend: &'static str, on: bool) -> Choice {
    Choice {
        name,
        legend,
        options: vec![
            ("0".into(), format!("{legend}-off"), !on),
            ("1".into(), format!("{legend}-on"), on),
        ],
    }
}

pub async fn display(
    Extension(req): Extension<Req>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let p = req.prefs;
    let flash =
        (q.get("m").map(String::as_str) == Some("display-saved")).then_some("display-saved");
    let mut choices = vec![Choice {
        name: "size",
        legend: "display-size",
        options: SIZES
            .iter()
            .map(|s| (s.to_string(), format!("display-size-{s}"), p.size == *s))
            .collect(),
    }];
    choices.push(onoff("contrast", "display-contrast", p.high_contrast));
    choices.push(onoff("motion", "display-motion", p.reduced_motion));
    choices.push(onoff("spacing", "display-spacing", p.wide_spacing));
    if req.lang.is_japanese() {
        choices.push(onoff("furigana", "display-furigana", p.furigana));
    }
    Ok(html(&DisplayPage {
        c: Chrome::new(&req).flash(flash),
        choices,
    }))
}

pub async fn save_display(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Form(f): FormData,
) -> WebResult<Response> {
    // Every choice is a radio with a default already chosen; anything else keeps
    // what was there.
    let flag = |k: &str, was: bool| match field(&f, k) {
        "1" => true,
        "0" => false,
        _ => was,
    };
    let old = req.prefs;
    let p = Prefs {
        furigana: flag("furigana", old.furigana),
        size: field(&f, "size")
            .parse::<u8>()
            .ok()
            .filter(|s| SIZES.contains(s))
            .unwrap_or(old.size),
        high_contrast: flag("contrast", old.high_contrast),
        reduced_motion: flag("motion", old.reduced_motion),
        wide_spacing: flag("spacing", old.wide_spacing),
    };
    keep(&app, &req, p, "/settings/display?m=display-saved").await
}
