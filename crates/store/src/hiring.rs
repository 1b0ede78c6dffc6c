//! From application to hire: applications to postings with the stage the seeker sees,
//! the company's internal sub-stage and note (sealed, read only by the company's
//! members), the visible history, and the employment record a hire creates.
//!
//! Nothing here reads a seeker's profile or name: the company's view of an applicant is
//! taken through `disclosure` by the caller, like every other view of a seeker.
use crate::accounts::Ctx;
use crate::audit::own_act;
use crate::consents::active_of_kind;
use crate::error::Result;
use crate::jobs::{load_posting, managed_company};
use crate::orgs::org_name;
use crate::schema::{
    application_events, application_internal, applications, employments, memberships, postings,
};
use crate::selection::{Audience, Notice, notify_change};
use crate::{DbConn, Store, new_id};
use diesel::prelude::*;
use domain::ConsentKind;
use domain::disclosure::Openness;
use domain::hiring::{Mover, Stage};
use domain::jobs::Status;

/// An application as the seeker sees it: no internal stage, no note.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct MyApplication {
    pub id: String,
    /// Absent for an application to a company without a posting (older applications).
    pub posting_id: Option<String>,
    pub posting_title: Option<String>,
    pub company_id: String,
    pub company_name: String,
    pub openness: Openness,
    pub stage: Stage,
    /// The message the seeker sent with it.
    pub message: String,
    /// Whether the linked supporter takes part.
    pub supporter_joins: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An application as the company's members see it (the applicant's data comes from the
/// disclosure module, separately).
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CompanyApplication {
    pub id: String,
    pub seeker_id: String,
    pub posting_id: Option<String>,
    pub posting_title: Option<String>,
    pub openness: Openness,
    pub stage: Stage,
    /// The company's own sub-stage (never shown to the seeker).
    pub internal_stage: String,
    /// The company's note (never shown to the seeker).
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An employment record.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Employment {
    pub id: String,
    pub application_id: String,
    pub worker_id: String,
    pub company_id: String,
    pub company_name: String,
    pub posting_id: Option<String>,
    /// YYYY-MM-DD.
    pub start_date: String,
    pub position: String,
    pub hours_per_week: u8,
    pub follow_up_user_id: String,
    /// The seeker's support facility at the time of hire, if linked.
    pub supporter_organization_id: Option<String>,
    pub created_at: i64,
}

/// Why an application was not made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplyRefused {
    /// No such public posting.
    NoPosting,
    /// An application to this posting is already under way.
    AlreadyApplied,
}

/// Why a stage change or a hire was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveRefused {
    /// Not an application of the caller's company (or of the caller).
    NotFound,
    /// Not a move the rules allow from the current stage.
    NotAllowed,
    /// The follow-up person is not a member of the company.
    FollowUpUnknown,
}

/// A company's move of an application: the stage the seeker sees, and the company's
/// own sub-stage and note.
#[derive(Debug, Clone)]
pub struct Move {
    /// `None` keeps the stage (only the sub-stage and note change).
    pub to: Option<Stage>,
    pub internal_stage: String,
    pub note: String,
}

/// The hire as the company records it.
#[derive(Debug, Clone)]
pub struct Hire {
    pub start_date: domain::profile::Date,
    pub position: String,
    pub hours_per_week: u8,
    pub follow_up_user_id: String,
}

type AppRow = (
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<Vec<u8>>,
    bool,
    i64,
    i64,
);

macro_rules! app_select {
    () => {
        (
            applications::id,
            applications::seeker_id,
            applications::org_id,
            applications::posting_id,
            applications::openness,
            applications::stage,
            applications::message_enc,
            applications::supporter_joins,
            applications::created_at,
            applications::updated_at,
        )
    };
}

fn posting_title(c: &mut DbConn, id: Option<&str>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(postings::table
        .filter(postings::id.eq(id))
        .select(postings::title)
        .first(c)
        .optional()?)
}

/// Records a stage in an application's visible history.
pub(crate) fn event(c: &mut DbConn, app: &str, stage: Stage, by: &str, now: i64) -> Result<()> {
    diesel::insert_into(application_events::table)
        .values((
            application_events::id.eq(new_id()),
            application_events::application_id.eq(app),
            application_events::stage.eq(stage.as_str()),
            application_events::by_user.eq(by),
            application_events::at.eq(now),
        ))
        .execute(c)?;
    Ok(())
}

/// Moves an application to `to` and records it in the visible history.
pub(crate) fn move_stage(c: &mut DbConn, app: &str, to: Stage, by: &str, now: i64) -> Result<()> {
    set_stage(c, app, to, now)?;
    event(c, app, to, by, now)
}

fn set_stage(c: &mut DbConn, app: &str, stage: Stage, now: i64) -> Result<()> {
    let withdrawn = (stage == Stage::Withdrawn).then_some(now);
    diesel::update(applications::table.filter(applications::id.eq(app)))
        .set((
            applications::stage.eq(stage.as_str()),
            applications::updated_at.eq(now),
            applications::withdrawn_at.eq(withdrawn),
        ))
        .execute(c)?;
    Ok(())
}

/// An application of the caller's company, as the company's writes need it.
struct OwnApp {
    seeker: String,
    stage: Stage,
    org: String,
    posting: Option<String>,
}

/// The application `id` if it is one of the caller's company.
fn company_app(c: &mut DbConn, user: &str, id: &str) -> Result<Option<OwnApp>> {
    let Some(org) = managed_company(c, user)? else {
        return Ok(None);
    };
    let row: Option<(String, String, Option<String>)> = applications::table
        .filter(applications::id.eq(id))
        .filter(applications::org_id.eq(&org))
        .select((
            applications::seeker_id,
            applications::stage,
            applications::posting_id,
        ))
        .first(c)
        .optional()?;
    Ok(row.and_then(|(seeker, stage, posting)| {
        Stage::parse(&stage).map(|stage| OwnApp {
            seeker,
            stage,
            org,
            posting,
        })
    }))
}

impl Store {
    /// The seeker applies to a published posting, open or closed.
    #[allow(clippy::too_many_arguments)]
    pub async fn apply_to_posting(
        &self,
        seeker: String,
        posting: String,
        openness: Openness,
        message: String,
        supporter_joins: bool,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<std::result::Result<String, ApplyRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(p) = load_posting(c, &posting)?.filter(|p| p.status == Status::Published)
                else {
                    return Ok(Err(ApplyRefused::NoPosting));
                };
                let live: i64 = applications::table
                    .filter(applications::seeker_id.eq(&seeker))
                    .filter(applications::posting_id.eq(&posting))
                    .filter(
                        applications::stage
                            .ne_all([Stage::Withdrawn.as_str(), Stage::NotHired.as_str()]),
                    )
                    .count()
                    .get_result(c)?;
                if live > 0 {
                    return Ok(Err(ApplyRefused::AlreadyApplied));
                }
                let id = new_id();
                let sealed = if message.is_empty() {
                    None
                } else {
                    let key = keys.subject_key(&seeker)?;
                    Some(key.seal_str("applications", "message", &id, &message)?)
                };
                diesel::insert_into(applications::table)
                    .values((
                        applications::id.eq(&id),
                        applications::seeker_id.eq(&seeker),
                        applications::org_id.eq(&p.org_id),
                        applications::posting_id.eq(Some(&posting)),
                        applications::openness.eq(openness.as_str()),
                        applications::stage.eq(Stage::Applied.as_str()),
                        applications::message_enc.eq(sealed),
                        applications::supporter_joins.eq(supporter_joins),
                        applications::created_at.eq(now),
                        applications::updated_at.eq(now),
                    ))
                    .execute(c)?;
                crate::messages::open_thread(
                    c,
                    &seeker,
                    crate::messages::Owner::Application(&id),
                    now,
                )?;
                event(c, &id, Stage::Applied, &seeker, now)?;
                notify_change(
                    c,
                    &keys,
                    &id,
                    Audience::Company,
                    "application_new",
                    &seeker,
                    &notice,
                    now,
                )?;
                own_act(
                    c,
                    &seeker,
                    format!("application.create.{}", openness.as_str()),
                    &ctx,
                    now,
                )?;
                Ok(Ok(id))
            })
            .await
    }

    /// The seeker's own applications, newest first.
    pub async fn my_applications(&self, seeker: String) -> Result<Vec<MyApplication>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let rows: Vec<AppRow> = applications::table
                    .filter(applications::seeker_id.eq(&seeker))
                    .order(applications::created_at.desc())
                    .select(app_select!())
                    .load(c)?;
                let mut out = Vec::new();
                for (id, _, org, posting, openness, stage, msg, joins, created, updated) in rows {
                    let company_name = org_name(c, &org)?.unwrap_or_default();
                    let message = match msg {
                        Some(m) => keys.open_string("applications", "message", &id, &m)?,
                        None => String::new(),
                    };
                    let (Some(openness), Some(stage)) =
                        (Openness::parse(&openness), Stage::parse(&stage))
                    else {
                        continue;
                    };
                    out.push(MyApplication {
                        posting_title: posting_title(c, posting.as_deref())?,
                        id,
                        posting_id: posting,
                        company_id: org,
                        company_name,
                        openness,
                        stage,
                        message,
                        supporter_joins: joins,
                        created_at: created,
                        updated_at: updated,
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The applications to the caller's company (to one posting, if given), newest first.
    pub async fn company_applications(
        &self,
        user: String,
        posting: Option<String>,
    ) -> Result<Option<Vec<CompanyApplication>>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                let Some(org) = managed_company(c, &user)? else {
                    return Ok(None);
                };
                let mut q = applications::table
                    .filter(applications::org_id.eq(&org))
                    .filter(applications::stage.ne(Stage::Withdrawn.as_str()))
                    .order(applications::created_at.desc())
                    .select(app_select!())
                    .into_boxed();
                if let Some(p) = &posting {
                    q = q.filter(applications::posting_id.eq(p));
                }
                let rows: Vec<AppRow> = q.load(c)?;
                let mut out = Vec::new();
                for (id, seeker, _, posting, openness, stage, _, _, created, updated) in rows {
                    let internal: Option<(Vec<u8>, Vec<u8>)> = application_internal::table
                        .filter(application_internal::application_id.eq(&id))
                        .select((
                            application_internal::internal_stage_enc,
                            application_internal::note_enc,
                        ))
                        .first(c)
                        .optional()?;
                    let (internal_stage, note) = match internal {
                        Some((s, n)) => (
                            keys.open_string("application_internal", "internal_stage", &id, &s)?,
                            keys.open_string("application_internal", "note", &id, &n)?,
                        ),
                        None => (String::new(), String::new()),
                    };
                    let (Some(openness), Some(stage)) =
                        (Openness::parse(&openness), Stage::parse(&stage))
                    else {
                        continue;
                    };
                    out.push(CompanyApplication {
                        posting_title: posting_title(c, posting.as_deref())?,
                        id,
                        seeker_id: seeker,
                        posting_id: posting,
                        openness,
                        stage,
                        internal_stage,
                        note,
                        created_at: created,
                        updated_at: updated,
                    });
                }
                Ok(Some(out))
            })
            .await
    }

    /// A company member moves an application (and keeps its internal sub-stage and note).
    pub async fn move_application(
        &self,
        user: String,
        id: String,
        m: Move,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<std::result::Result<Stage, MoveRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(OwnApp { seeker, stage, .. }) = company_app(c, &user, &id)? else {
                    return Ok(Err(MoveRefused::NotFound));
                };
                let Move {
                    to,
                    internal_stage,
                    note,
                } = m;
                let to = to.unwrap_or(stage);
                if to != stage {
                    if to == Stage::Hired || !stage.may_move(to, Mover::Company) {
                        return Ok(Err(MoveRefused::NotAllowed));
                    }
                    move_stage(c, &id, to, &user, now)?;
                    notify_change(
                        c,
                        &keys,
                        &id,
                        Audience::SeekerSide,
                        "application_stage",
                        &user,
                        &notice,
                        now,
                    )?;
                }
                // Sealed with the seeker's key, so that erasing the seeker erases these too.
                let key = keys.subject_key(&seeker)?;
                let s = key.seal_str(
                    "application_internal",
                    "internal_stage",
                    &id,
                    &internal_stage,
                )?;
                let n = key.seal_str("application_internal", "note", &id, &note)?;
                diesel::delete(
                    application_internal::table
                        .filter(application_internal::application_id.eq(&id)),
                )
                .execute(c)?;
                diesel::insert_into(application_internal::table)
                    .values((
                        application_internal::application_id.eq(&id),
                        application_internal::internal_stage_enc.eq(s),
                        application_internal::note_enc.eq(n),
                        application_internal::updated_by.eq(&user),
                        application_internal::updated_at.eq(now),
                    ))
                    .execute(c)?;
                own_act(
                    c,
                    &user,
                    format!("application.stage.{}", to.as_str()),
                    &ctx,
                    now,
                )?;
                Ok(Ok(to))
            })
            .await
    }

    /// The seeker withdraws (辞退) at any stage before the end.
    pub async fn withdraw_own_application(
        &self,
        seeker: String,
        id: String,
        notice: Notice,
        now: i64,
    ) -> Result<bool> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let stage: Option<String> = applications::table
                    .filter(applications::id.eq(&id))
                    .filter(applications::seeker_id.eq(&seeker))
                    .select(applications::stage)
                    .first(c)
                    .optional()?;
                let Some(stage) = stage.as_deref().and_then(Stage::parse) else {
                    return Ok(false);
                };
                if !stage.may_move(Stage::Withdrawn, Mover::Seeker) {
                    return Ok(false);
                }
                move_stage(c, &id, Stage::Withdrawn, &seeker, now)?;
                notify_change(
                    c,
                    &keys,
                    &id,
                    Audience::Company,
                    "application_withdrawn",
                    &seeker,
                    &notice,
                    now,
                )?;
                notify_change(
                    c,
                    &keys,
                    &id,
                    Audience::SeekerSide,
                    "application_stage",
                    &seeker,
                    &notice,
                    now,
                )?;
                Ok(true)
            })
            .await
    }

    /// The company records the hire of an application at 内定: the employment record.
    pub async fn hire(
        &self,
        user: String,
        id: String,
        h: Hire,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<std::result::Result<String, MoveRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(OwnApp {
                    seeker,
                    stage,
                    org,
                    posting,
                }) = company_app(c, &user, &id)?
                else {
                    return Ok(Err(MoveRefused::NotFound));
                };
                if !stage.may_move(Stage::Hired, Mover::Company) {
                    return Ok(Err(MoveRefused::NotAllowed));
                }
                let member: i64 = memberships::table
                    .filter(memberships::org_id.eq(&org))
                    .filter(memberships::user_id.eq(&h.follow_up_user_id))
                    .filter(memberships::ended_at.is_null())
                    .count()
                    .get_result(c)?;
                if member == 0 {
                    return Ok(Err(MoveRefused::FollowUpUnknown));
                }
                let supporter = active_of_kind(c, &seeker, ConsentKind::SupporterLink)?
                    .into_iter()
                    .find_map(|(r, _)| r);
                let eid = new_id();
                diesel::insert_into(employments::table)
                    .values((
                        employments::id.eq(&eid),
                        employments::application_id.eq(&id),
                        employments::seeker_id.eq(&seeker),
                        employments::org_id.eq(&org),
                        employments::posting_id.eq(posting),
                        employments::start_date.eq(h.start_date.to_string()),
                        employments::position.eq(&h.position),
                        employments::hours_per_week.eq(i32::from(h.hours_per_week)),
                        employments::follow_up_user_id.eq(&h.follow_up_user_id),
                        employments::supporter_org_id.eq(supporter),
                        employments::created_at.eq(now),
                    ))
                    .execute(c)?;
                crate::messages::open_thread(
                    c,
                    &seeker,
                    crate::messages::Owner::Employment(&eid),
                    now,
                )?;
                crate::support::create_rules(c, &eid, now)?;
                move_stage(c, &id, Stage::Hired, &user, now)?;
                notify_change(
                    c,
                    &keys,
                    &id,
                    Audience::SeekerSide,
                    "application_stage",
                    &user,
                    &notice,
                    now,
                )?;
                own_act(c, &user, "application.hire".into(), &ctx, now)?;
                Ok(Ok(eid))
            })
            .await
    }

    /// The worker's own employment records. (The follow-up person and the supporter
    /// read one through the application's door: `disclosure::open_application`.)
    pub async fn employments_of(&self, user: String) -> Result<Vec<Employment>> {
        self.db
            .read(move |c| employment_rows(c, EmploymentsOf::Worker(&user)))
            .await
    }
}

/// Whose employment records to load.
pub(crate) enum EmploymentsOf<'a> {
    Worker(&'a str),
    Application(&'a str),
}

/// Employment records (current ones), newest first. Private to the crate: another
/// person's record is read only through the disclosure module.
pub(crate) fn employment_rows(c: &mut DbConn, of: EmploymentsOf<'_>) -> Result<Vec<Employment>> {
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        i32,
        String,
        Option<String>,
        i64,
    );
    let q = employments::table
        .filter(employments::ended_at.is_null())
        .order(employments::created_at.desc())
        .select((
            employments::id,
            employments::application_id,
            employments::seeker_id,
            employments::org_id,
            employments::posting_id,
            employments::start_date,
            employments::position,
            employments::hours_per_week,
            employments::follow_up_user_id,
            employments::supporter_org_id,
            employments::created_at,
        ))
        .into_boxed();
    let rows: Vec<Row> = match of {
        EmploymentsOf::Worker(u) => q.filter(employments::seeker_id.eq(u.to_owned())).load(c)?,
        EmploymentsOf::Application(a) => q
            .filter(employments::application_id.eq(a.to_owned()))
            .load(c)?,
    };
    let mut out = Vec::new();
    for (id, app, worker, org, posting, start, position, hours, follow, sup, created) in rows {
        out.push(Employment {
            company_name: org_name(c, &org)?.unwrap_or_default(),
            id,
            application_id: app,
            worker_id: worker,
            company_id: org,
            posting_id: posting,
            start_date: start,
            position,
            hours_per_week: u8::try_from(hours).unwrap_or(0),
            follow_up_user_id: follow,
            supporter_organization_id: sup,
            created_at: created,
        });
    }
    Ok(out)
}
