//! Recommended candidates for a posting: masked scout views ranked inside the store's door.
use crate::employer::postings::my_posting;
use crate::error::{Failure, WebResult};
use crate::forms::Lines;
use crate::jobs::words::MatchView;
use crate::jobs::words::Voice;
use crate::jobs::words::match_view;
use crate::jst::today;
use crate::profiles::pages::lines;
use crate::request::Req;
use crate::request::viewer;
use crate::view::{Chrome, html};
use crate::{AppState, now};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::jobs::JobCard;
use domain::matching::{self, Match, Needs};
use store::disclosure::SeekerView;
use store::jobs::PostingRow;

// ------------------------------------------------------------------ candidates

/// How many scout-findable seekers a candidate ranking looks at (newest consents first).
pub const CANDIDATE_POOL: i64 = 2000;

pub struct Candidate {
    pub id: String,
    pub fit: MatchView,
    pub lines: Lines,
}

/// The best candidates for a posting, as masked scout views: ranked inside the store's
/// door on what the company may see of each seeker; each shown view is a recorded
/// provision. For verified companies only.
pub async fn candidates_for(
    app: &AppState,
    req: &Req,
    row: &PostingRow,
    k: usize,
) -> WebResult<Vec<(String, Match, SeekerView)>> {
    let v = viewer(req)?;
    require_verified(app, &v.user_id).await?;
    let company = app
        .store
        .company(row.org_id.clone())
        .await?
        .ok_or(Failure::NotFound)?;
    let Some(p) = row.posting() else {
        return Ok(vec![]);
    };
    let acc = company
        .profile
        .map(|c| c.accommodations)
        .unwrap_or_default();
    let card = JobCard::from_posting(&row.id, &company.id, &company.name, &acc, &p, now(), now());
    fn score(p: &domain::profile::Profile, card: &JobCard) -> Option<(u32, Match)> {
        let m = matching::score(&Needs::from_profile(p), card);
        Some((u32::from(m.score), m))
    }
    let ranked = app
        .store
        .rank_scout_candidates(
            v.user_id.clone(),
            store::disclosure::Scouting::Member,
            card,
            score,
            CANDIDATE_POOL,
            k,
            req.ctx.clone(),
            today(),
            now(),
        )
        .await?;
    Ok(ranked
        .into_iter()
        .map(|(d, m)| {
            let view = d.into_view();
            (view.seeker_id.clone(), m, view)
        })
        .collect())
}

/// Scout search, recommended candidates and scouts are for members of a company the
/// operator verified; others are told so (403).
pub async fn require_verified(app: &AppState, user: &str) -> WebResult<()> {
    if app.store.in_verified_company(user.to_owned()).await? {
        Ok(())
    } else {
        Err(Failure::CompanyUnverified)
    }
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct CandidatesPage {
    c: Chrome,
    title: String,
    id: String,
    list: Vec<Candidate>,
}

pub async fn candidates(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let row = my_posting(&app, &req, &id).await?;
    let tr = req.tr();
    let list = candidates_for(&app, &req, &row, 20)
        .await?
        .into_iter()
        .map(|(id, m, view)| Candidate {
            id,
            fit: match_view(&tr, &m, Voice::Employer),
            lines: lines(&tr, &view.items, &view.fields),
        })
        .collect();
    Ok(html(&CandidatesPage {
        c: Chrome::new(&req),
        title: row.title,
        id,
        list,
    }))
}
