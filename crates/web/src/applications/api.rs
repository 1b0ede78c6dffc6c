//! The applications and scouts API (seekers apply and answer; verified companies search and scout).
use crate::api::body;
use crate::api::no_content_or_404;
use crate::error::{Failure, WebResult};
use crate::request::Req;
use crate::request::viewer;
use crate::{AppState, now};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use domain::disclosure::Openness;
use domain::hiring::Stage;
use serde::{Deserialize, Serialize};
use store::disclosure::Scouting;
use store::hiring::{ApplyRefused, Hire, Move, MoveRefused};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplyBody {
    /// The posting applied to.
    #[serde(default)]
    #[schema(required = true, value_type = String)]
    posting_id: Option<String>,
    /// Deprecated: an application to a company without a posting (give `posting_id`
    /// instead; exactly one of the two).
    #[serde(default)]
    #[schema(deprecated)]
    organization_id: Option<String>,
    /// `open` (障害者雇用枠: disability details disclosed) or `closed` (一般枠: none).
    openness: Openness,
    /// A message to the company (optional).
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    message: String,
    /// Whether the linked supporter takes part.
    #[serde(default)]
    supporter_joins: bool,
}

#[derive(Serialize, ToSchema)]
pub struct MyApplications {
    pub items: Vec<store::hiring::MyApplication>,
}

/// An application with the applicant as the company may see them.
#[derive(Serialize, ToSchema)]
pub struct Applicant {
    pub application: store::hiring::CompanyApplication,
    /// Absent when the policy shows the company nothing (e.g. the seeker blocked it).
    #[schema(value_type = Option<crate::openapi::SeekerViewSchema>)]
    pub applicant: Option<store::disclosure::SeekerView>,
}

#[derive(Serialize, ToSchema)]
pub struct Applicants {
    pub items: Vec<Applicant>,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ApplicantsQuery {
    /// Only the applications to this posting.
    posting_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    /// The stage the seeker sees (`hired` only by recording the hire).
    stage: Stage,
    /// The company's own sub-stage (never shown to the seeker).
    #[serde(default)]
    #[schema(max_length = 100, pattern = r"^[^\x00-\x1F\x7F-\x9F]*$")]
    internal_stage: String,
    /// The company's note (never shown to the seeker).
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$"
    )]
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct StageAnswer {
    pub stage: Stage,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HireBody {
    start_date: domain::profile::Date,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1F\x7F-\x9F]*[^\s\x00-\x1F\x7F-\x9F][^\x00-\x1F\x7F-\x9F]*$"
    )]
    position: String,
    #[schema(minimum = 1, maximum = 60)]
    hours_per_week: u8,
    /// A member of the company who follows the worker up after hire.
    follow_up_user_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct EmploymentCreated {
    pub employment_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Employments {
    pub items: Vec<store::hiring::Employment>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicationCreated {
    pub application_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateList {
    /// Each as the caller may see them (only what the disclosure policy allows).
    #[schema(value_type = Vec<crate::openapi::SeekerViewSchema>)]
    pub candidates: Vec<store::disclosure::SeekerView>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoutCreated {
    pub scout_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct ScoutList {
    pub scouts: Vec<store::profiles::ScoutRow>,
}

pub async fn apply(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ApplyBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let openness = b.openness;
    let message = b.message.trim().to_owned();
    if message.chars().count() > 2000 {
        return Err(Failure::field("message", "text-too-long"));
    }
    let id = match (b.posting_id, b.organization_id) {
        (Some(posting), None) => app
            .store
            .apply_to_posting(
                v.user_id.clone(),
                posting,
                openness,
                message,
                b.supporter_joins,
                req.ctx.clone(),
                app.notice(),
                now(),
            )
            .await?
            .map_err(|r| match r {
                ApplyRefused::NoPosting => Failure::field("posting_id", "posting-unknown"),
                ApplyRefused::AlreadyApplied => Failure::Conflict("err-already-applied"),
            })?,
        (None, Some(org)) => app
            .store
            .apply(v.user_id.clone(), org, openness, req.ctx.clone(), now())
            .await?
            .ok_or_else(|| Failure::field("organization_id", "organization-unknown"))?,
        (Some(_), Some(_)) => return Err(Failure::field("organization_id", "apply-one-target")),
        (None, None) => return Err(Failure::field("posting_id", "field-required")),
    };
    Ok((
        StatusCode::CREATED,
        Json(ApplicationCreated { application_id: id }),
    )
        .into_response())
}

pub async fn application_withdraw(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .withdraw_own_application(v.user_id.clone(), id, app.notice(), now())
            .await?,
    )
}

/// The filters of a scout search (each optional; a condition on a part of the profile
/// the seeker does not show to scouts matches nobody).
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScoutSearchQuery {
    /// A job category the seeker wants.
    #[param(value_type = Option<domain::taxonomy::schema::JobCategoryCode>)]
    pub category: Option<String>,
    /// A prefecture (1–47) the seeker wants to work in.
    #[param(minimum = 1, maximum = 47)]
    pub prefecture: Option<u8>,
    /// Only seekers who want remote work.
    pub remote: Option<bool>,
    /// The job's weekly hours: seekers who want at least that many.
    #[param(minimum = 1, maximum = 60)]
    pub hours: Option<u8>,
    /// The job's hourly wage in yen: seekers whose lowest acceptable wage it meets.
    #[param(minimum = 1, maximum = 100000)]
    pub wage: Option<u32>,
    /// A skill (part of a word, any case).
    #[param(max_length = 100)]
    pub skill: Option<String>,
    /// What the company can offer, comma-separated accommodation codes: seekers whose
    /// stated accommodations it covers. (The pattern is the code list; the `web` test
    /// `scout_search_accommodations_pattern_is_the_list` keeps it so.)
    #[param(
        max_length = 2000,
        pattern = r"^(?:(?:hospital_visits|medication|short_hours|gradual_hours|flexible_breaks|staggered_commute|remote_work|quiet_environment|rest_space|written_instructions|one_task_at_a_time|fixed_tasks|regular_check_ins|support_person|wheelchair|accessible_toilet|sign_language|visual_alerts|screen_reader|large_text)(?:,(?:hospital_visits|medication|short_hours|gradual_hours|flexible_breaks|staggered_commute|remote_work|quiet_environment|rest_space|written_instructions|one_task_at_a_time|fixed_tasks|regular_check_ins|support_person|wheelchair|accessible_toilet|sign_language|visual_alerts|screen_reader|large_text))*)?$"
    )]
    pub accommodations: Option<String>,
    /// A disability category (only among seekers who let scouts see it).
    #[param(value_type = Option<domain::profile::DisabilityCategory>)]
    pub disability: Option<String>,
}

impl ScoutSearchQuery {
    /// The checked filter.
    pub fn filter(self) -> WebResult<domain::matching::ScoutFilter> {
        let nonempty = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let category = nonempty(self.category);
        if let Some(c) = &category
            && !domain::taxonomy::is_job_category(c)
        {
            return Err(Failure::field("category", "choice-invalid"));
        }
        if self.prefecture.is_some_and(|p| !(1..=47).contains(&p)) {
            return Err(Failure::field("prefecture", "choice-invalid"));
        }
        if self.hours.is_some_and(|h| !(1..=60).contains(&h)) {
            return Err(Failure::field("hours", "hours-invalid"));
        }
        if self.wage.is_some_and(|w| !(1..=100_000).contains(&w)) {
            return Err(Failure::field("wage", "wage-invalid"));
        }
        let skill = nonempty(self.skill);
        if skill.as_ref().is_some_and(|s| s.chars().count() > 100) {
            return Err(Failure::field("skill", "text-too-long"));
        }
        let accommodations: Vec<String> = nonempty(self.accommodations)
            .map(|a| {
                a.split(',')
                    .map(|x| x.trim().to_owned())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        if accommodations
            .iter()
            .any(|c| !domain::taxonomy::is_accommodation(c))
        {
            return Err(Failure::field("accommodations", "choice-invalid"));
        }
        let disability = match nonempty(self.disability) {
            Some(d) => Some(
                domain::profile::DisabilityCategory::parse(&d)
                    .ok_or_else(|| Failure::field("disability", "choice-invalid"))?,
            ),
            None => None,
        };
        Ok(domain::matching::ScoutFilter {
            category,
            prefecture: self.prefecture,
            remote: self.remote.unwrap_or(false),
            hours: self.hours,
            wage: self.wage,
            skill,
            accommodations,
            disability,
        })
    }
}

/// How many scout-findable seekers one search looks at, and shows.
pub const SCOUT_POOL: i64 = 2000;
pub const SCOUT_SHOWN: usize = 50;

pub async fn scout_search(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: crate::api::ApiQuery<ScoutSearchQuery>,
) -> WebResult<Json<CandidateList>> {
    let v = viewer(&req)?;
    crate::employer::candidates::require_verified(&app, &v.user_id).await?;
    search_as(&app, &req, Scouting::Member, q.0?).await
}

/// A scout search from the API, for the viewer's company or by the agency in one
/// company's name: the masked views the door hands out (each recorded).
pub(crate) async fn search_as(
    app: &AppState,
    req: &Req,
    scouting: Scouting,
    q: ScoutSearchQuery,
) -> WebResult<Json<CandidateList>> {
    let v = viewer(req)?;
    let filter = q.filter()?;
    let list: Vec<_> = app
        .store
        .scout_search(
            v.user_id.clone(),
            scouting,
            filter,
            req.ctx.clone(),
            crate::jst::today(),
            now(),
            SCOUT_POOL,
            SCOUT_SHOWN,
        )
        .await?
        .into_iter()
        .map(|d| d.into_view())
        .collect();
    Ok(Json(CandidateList { candidates: list }))
}

/// What a refused scout answers (API and pages alike).
pub(crate) fn scout_refused(r: store::profiles::applications::ScoutRefused) -> Failure {
    use store::profiles::applications::ScoutRefused as R;
    match r {
        R::NotFound => Failure::NotFound,
        R::PostingUnknown => Failure::field("posting_id", "posting-unknown"),
        R::DailyLimit => Failure::Conflict("err-scout-daily-limit"),
        R::AlreadySent => Failure::Conflict("err-scout-already-sent"),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoutBody {
    #[serde(default)]
    #[schema(required = true)]
    seeker_id: String,
    /// The company's published posting the scout is for.
    #[serde(default)]
    posting_id: Option<String>,
    #[serde(default)]
    #[schema(required = true, min_length = 1, max_length = 2000, pattern = r"\S")]
    message: String,
}

pub async fn scout_send(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    b: crate::api::ApiJson<ScoutBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    crate::employer::candidates::require_verified(&app, &v.user_id).await?;
    send_scout_as(&app, &v.user_id, Scouting::Member, body(b)?).await
}

/// A scout's message: required, at most 2,000 characters (API and pages alike).
pub(crate) fn scout_message(raw: &str) -> WebResult<String> {
    let msg = raw.trim();
    if msg.is_empty() {
        return Err(Failure::field("message", "text-required"));
    }
    if msg.chars().count() > 2000 {
        return Err(Failure::field("message", "text-too-long"));
    }
    Ok(msg.to_owned())
}

/// Sends a scout from the API (a member of the company, or the agency in its name).
pub(crate) async fn send_scout_as(
    app: &AppState,
    sender: &str,
    scouting: Scouting,
    b: ScoutBody,
) -> WebResult<Response> {
    let msg = scout_message(&b.message)?;
    let id = app
        .store
        .send_scout(
            sender.to_owned(),
            scouting,
            b.seeker_id,
            b.posting_id,
            msg,
            app.notice(),
            now(),
        )
        .await?
        .map_err(scout_refused)?;
    Ok((StatusCode::CREATED, Json(ScoutCreated { scout_id: id })).into_response())
}

pub async fn my_scouts(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<ScoutList>> {
    let v = viewer(&req)?;
    Ok(Json(ScoutList {
        scouts: app.store.scouts_of(v.user_id.clone()).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptScoutBody {
    /// How disability is disclosed to this company.
    openness: Openness,
    /// Whether the linked supporter takes part in the application it opens.
    #[serde(default)]
    supporter_joins: bool,
}

pub async fn scout_accept(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<AcceptScoutBody>,
) -> WebResult<Json<ScoutAccepted>> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let app_id = app
        .store
        .answer_scout(
            v.user_id.clone(),
            id,
            Some(b.openness),
            b.supporter_joins,
            app.notice(),
            req.ctx.clone(),
            now(),
        )
        .await?
        .flatten()
        .ok_or(Failure::NotFound)?;
    Ok(Json(ScoutAccepted {
        application_id: app_id,
    }))
}

/// The application an accepted scout opened.
#[derive(Serialize, ToSchema)]
pub struct ScoutAccepted {
    pub application_id: String,
}

pub async fn scout_decline(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
) -> WebResult<StatusCode> {
    let v = viewer(&req)?;
    no_content_or_404(
        app.store
            .answer_scout(
                v.user_id.clone(),
                id,
                None,
                false,
                app.notice(),
                req.ctx.clone(),
                now(),
            )
            .await?
            .is_some(),
    )
}

/// The seeker's applications, with the stage they see.
pub async fn my_applications(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<MyApplications>> {
    let v = viewer(&req)?;
    Ok(Json(MyApplications {
        items: app.store.my_applications(v.user_id.clone()).await?,
    }))
}

/// The applications to the caller's company, each applicant through the disclosure
/// module (one view, one access-log entry and provision record, per applicant).
pub async fn applicants(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    q: crate::api::ApiQuery<ApplicantsQuery>,
) -> WebResult<Json<Applicants>> {
    let v = viewer(&req)?;
    let q = q.0?;
    let list = app
        .store
        .company_applications(v.user_id.clone(), q.posting_id)
        .await?
        .ok_or(Failure::NotFound)?;
    let mut items = Vec::new();
    for a in list {
        let view = app
            .store
            .view_seeker(
                v.user_id.clone(),
                a.seeker_id.clone(),
                None,
                store::disclosure::Want::All,
                "application",
                req.ctx.clone(),
                crate::jst::today(),
                now(),
            )
            .await?
            .map(|d| d.into_view());
        items.push(Applicant {
            application: a,
            applicant: view,
        });
    }
    Ok(Json(Applicants { items }))
}

/// What a refused move or hire answers (API and pages alike).
pub(crate) fn refused(r: MoveRefused) -> Failure {
    match r {
        MoveRefused::NotFound => Failure::NotFound,
        MoveRefused::NotAllowed => Failure::Conflict("err-stage-not-allowed"),
        MoveRefused::FollowUpUnknown => Failure::field("follow_up_user_id", "follow-up-unknown"),
    }
}

/// A company member moves an application to a stage the seeker sees, with the
/// company's own sub-stage and note.
pub async fn application_stage(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<StageBody>,
) -> WebResult<Json<StageAnswer>> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let internal = b.internal_stage.trim().to_owned();
    let note = b.note.trim().to_owned();
    if internal.chars().count() > 100 {
        return Err(Failure::field("internal_stage", "text-too-long"));
    }
    if note.chars().count() > 2000 {
        return Err(Failure::field("note", "text-too-long"));
    }
    let stage = app
        .store
        .move_application(
            v.user_id.clone(),
            id,
            Move {
                to: Some(b.stage),
                internal_stage: internal,
                note,
            },
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok(Json(StageAnswer { stage }))
}

/// The company records the hire of an application at 内定: the employment record.
pub async fn application_hire(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
    Path(id): Path<String>,
    b: crate::api::ApiJson<HireBody>,
) -> WebResult<Response> {
    let v = viewer(&req)?;
    let b = body(b)?;
    let position = b.position.trim().to_owned();
    if position.is_empty() || position.chars().count() > 100 {
        return Err(Failure::field(
            "position",
            if position.is_empty() {
                "text-required"
            } else {
                "text-too-long"
            },
        ));
    }
    if !(1..=60).contains(&b.hours_per_week) {
        return Err(Failure::field("hours_per_week", "hours-invalid"));
    }
    let h = Hire {
        start_date: b.start_date,
        position,
        hours_per_week: b.hours_per_week,
        follow_up_user_id: b.follow_up_user_id,
    };
    let eid = app
        .store
        .hire(
            v.user_id.clone(),
            id,
            h,
            req.ctx.clone(),
            app.notice(),
            now(),
        )
        .await?
        .map_err(refused)?;
    Ok((
        StatusCode::CREATED,
        Json(EmploymentCreated { employment_id: eid }),
    )
        .into_response())
}

/// The caller's own employment records (as the worker).
pub async fn my_employments(
    State(app): State<AppState>,
    Extension(req): Extension<Req>,
) -> WebResult<Json<Employments>> {
    let v = viewer(&req)?;
    Ok(Json(Employments {
        items: app.store.employments_of(v.user_id.clone()).await?,
    }))
}
