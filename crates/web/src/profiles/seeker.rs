//! A seeker as someone else may see them (`/seekers/{id}`): exactly the door's view.
use crate::error::{Failure, WebResult};
use crate::jst::today;
use crate::profiles::pages::lines;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::profile::Section;
use std::collections::HashMap;
use store::profiles::{SeekerView, Want};

// ------------------------------------------------------------------ a seeker as others see them

#[derive(Template)]
#[template(path = "seeker.html")]
struct SeekerPage {
    c: Chrome,
    lines: Vec<(String, String)>,
    keys: Vec<String>,
    /// For the linked supporter: links to propose changes per section.
    draft_links: Vec<(String, String)>,
}

pub async fn seeker(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let view: SeekerView = app
        .store
        .view_seeker(
            v.user_id.clone(),
            id,
            None,
            Want::All,
            "profile",
            req.ctx.clone(),
            today(),
            now(),
        )
        .await?
        .ok_or(Failure::NotFound)?
        .into_view();
    let tr = req.tr();
    let lines = lines(&tr, &view.items, &view.fields);
    let keys = view.items.iter().map(|i| i.as_str().to_owned()).collect();
    let draft_links = if v.kind == domain::UserKind::Supporter {
        Section::ALL
            .iter()
            .filter(|s| view.sees_section(**s))
            .map(|s| {
                (
                    format!("/seekers/{}/draft/{}", view.seeker_id, s.as_str()),
                    tr.t(&format!("section-{}", s.as_str())),
                )
            })
            .collect()
    } else {
        vec![]
    };
    let flash = q
        .get("m")
        .filter(|m| m.as_str() == "draft-sent")
        .map(String::as_str);
    Ok(html(&SeekerPage {
        c: Chrome::new(&req).flash(flash),
        lines,
        keys,
        draft_links,
    }))
}
