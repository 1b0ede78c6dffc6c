//! Applications (open or closed disclosure, withdrawal) and scouts (sent only to seekers
//! the company may find by scout, accepted or declined by the seeker).
use crate::accounts::Ctx;
use crate::audit::own_act as audit_setting;
use crate::disclosure::{Scouting, scout_standing};
use crate::error::Result;
use crate::orgs::org_name;
use crate::schema::{applications, organizations, postings, scouts};
use crate::{Store, new_id};
use diesel::prelude::*;
use domain::OrgKind;
use domain::disclosure::Openness;
use domain::hiring::Stage;
use domain::jobs::Status;

/// A scout as the seeker sees it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ScoutRow {
    pub id: String,
    pub organization_id: String,
    pub organization: String,
    /// The posting the scout is for (absent on older scouts).
    pub posting_id: Option<String>,
    pub posting_title: Option<String>,
    /// The application accepting it opened.
    pub application_id: Option<String>,
    pub message: String,
    pub status: String,
    pub openness: Option<String>,
    pub created_at: i64,
    /// Sent by the operator's agency staff in the company's name (採用代行).
    pub by_agency: bool,
}

/// How many scouts one company may send in 24 hours (against scout spam).
pub const SCOUTS_PER_DAY: i64 = 30;

/// Why a scout was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoutRefused {
    /// The company may not find this seeker (answer 404).
    NotFound,
    /// Not one of the company's published postings.
    PostingUnknown,
    /// The company's scouts of the last 24 hours reached the limit.
    DailyLimit,
    /// A scout to this seeker is still waiting for an answer.
    AlreadySent,
}

impl Store {
    /// The seeker applies to a company, choosing open or closed disclosure.
    pub async fn apply(
        &self,
        seeker: String,
        org: String,
        openness: Openness,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<String>> {
        self.db
            .write(move |c| {
                let kind: Option<String> = organizations::table
                    .filter(organizations::id.eq(&org))
                    .select(organizations::kind)
                    .first(c)
                    .optional()?;
                if kind.as_deref() != Some(OrgKind::Company.as_str()) {
                    return Ok(None);
                }
                let id = new_id();
                diesel::insert_into(applications::table)
                    .values((
                        applications::id.eq(&id),
                        applications::seeker_id.eq(&seeker),
                        applications::org_id.eq(&org),
                        applications::openness.eq(openness.as_str()),
                        applications::created_at.eq(now),
                    ))
                    .execute(c)?;
                crate::messages::open_thread(
                    c,
                    &seeker,
                    crate::messages::Owner::Application(&id),
                    now,
                )?;
                audit_setting(
                    c,
                    &seeker,
                    format!("application.create.{}", openness.as_str()),
                    &ctx,
                    now,
                )?;
                Ok(Some(id))
            })
            .await
    }

    pub async fn withdraw_application(&self, seeker: String, id: String, now: i64) -> Result<bool> {
        self.db
            .write(move |c| {
                let n = diesel::update(
                    applications::table
                        .filter(applications::id.eq(&id))
                        .filter(applications::seeker_id.eq(&seeker))
                        .filter(applications::withdrawn_at.is_null()),
                )
                .set(applications::withdrawn_at.eq(Some(now)))
                .execute(c)?;
                Ok(n > 0)
            })
            .await
    }

    /// An employer member sends a scout for one of the company's published postings;
    /// only to a seeker the company may find, and at most `SCOUTS_PER_DAY` a day per
    /// company.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_scout(
        &self,
        sender: String,
        scouting: Scouting,
        seeker: String,
        posting: Option<String>,
        message: String,
        notice: crate::selection::Notice,
        now: i64,
    ) -> Result<std::result::Result<String, ScoutRefused>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some((_, org)) = scout_standing(c, &sender, &seeker, &scouting, now)? else {
                    return Ok(Err(ScoutRefused::NotFound));
                };
                let agency = matches!(scouting, Scouting::Agency(_)).then_some(sender.as_str());
                if let Some(p) = &posting {
                    let ok = crate::jobs::load_posting(c, p)?
                        .is_some_and(|p| p.org_id == org && p.status == Status::Published);
                    if !ok {
                        return Ok(Err(ScoutRefused::PostingUnknown));
                    }
                }
                let today: i64 = scouts::table
                    .filter(scouts::org_id.eq(&org))
                    .filter(scouts::created_at.gt(now - 86_400))
                    .count()
                    .get_result(c)?;
                if today >= SCOUTS_PER_DAY {
                    return Ok(Err(ScoutRefused::DailyLimit));
                }
                let again: i64 = scouts::table
                    .filter(scouts::org_id.eq(&org))
                    .filter(scouts::seeker_id.eq(&seeker))
                    .filter(scouts::status.eq("sent"))
                    .count()
                    .get_result(c)?;
                if again > 0 {
                    return Ok(Err(ScoutRefused::AlreadySent));
                }
                let id = new_id();
                let key = keys.subject_key(&seeker)?;
                diesel::insert_into(scouts::table)
                    .values((
                        scouts::id.eq(&id),
                        scouts::org_id.eq(&org),
                        scouts::sender_id.eq(&sender),
                        scouts::seeker_id.eq(&seeker),
                        scouts::message_enc.eq(key.seal_str("scouts", "message", &id, &message)?),
                        scouts::status.eq("sent"),
                        scouts::posting_id.eq(&posting),
                        scouts::agency_user_id.eq(agency),
                        scouts::created_at.eq(now),
                    ))
                    .execute(c)?;
                // The seeker hears that a scout came (the mail names no company).
                crate::notices::tell(c, &keys, &seeker, "scout_new", &id, "/scouts", &notice, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// How many scouts wait for the seeker's answer (the dashboard's count).
    pub async fn scouts_waiting(&self, seeker: String) -> Result<i64> {
        self.db
            .read(move |c| {
                Ok(scouts::table
                    .filter(scouts::seeker_id.eq(&seeker))
                    .filter(scouts::status.eq("sent"))
                    .count()
                    .get_result(c)?)
            })
            .await
    }

    pub async fn scouts_of(&self, seeker: String) -> Result<Vec<ScoutRow>> {
        let keys = self.keys.clone();
        self.db
            .read(move |c| {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(
                    String,
                    String,
                    Vec<u8>,
                    String,
                    Option<String>,
                    i64,
                    Option<String>,
                )> = scouts::table
                    .filter(scouts::seeker_id.eq(&seeker))
                    .order(scouts::created_at.desc())
                    .select((
                        scouts::id,
                        scouts::org_id,
                        scouts::message_enc,
                        scouts::status,
                        scouts::openness,
                        scouts::created_at,
                        scouts::agency_user_id,
                    ))
                    .load(c)?;
                let mut out = Vec::new();
                for (id, org, msg, status, openness, created_at, agency) in rows {
                    let message = keys.open_string("scouts", "message", &id, &msg)?;
                    let organization = org_name(c, &org)?.unwrap_or_default();
                    let posting_id: Option<String> = scouts::table
                        .filter(scouts::id.eq(&id))
                        .select(scouts::posting_id)
                        .first(c)?;
                    let posting_title = match &posting_id {
                        Some(p) => postings::table
                            .filter(postings::id.eq(p))
                            .select(postings::title)
                            .first(c)
                            .optional()?,
                        None => None,
                    };
                    let application_id: Option<String> = applications::table
                        .filter(applications::scout_id.eq(&id))
                        .select(applications::id)
                        .first(c)
                        .optional()?;
                    out.push(ScoutRow {
                        posting_id,
                        posting_title,
                        application_id,
                        id,
                        organization_id: org,
                        organization,
                        message,
                        status,
                        openness,
                        created_at,
                        by_agency: agency.is_some(),
                    });
                }
                Ok(out)
            })
            .await
    }

    /// The seeker answers a scout. Accepting discloses the profile to that company as
    /// chosen and opens an application (its id is the answer); declining discloses
    /// nothing. `None`: no such scout waiting for an answer.
    #[allow(clippy::too_many_arguments)]
    pub async fn answer_scout(
        &self,
        seeker: String,
        id: String,
        accept: Option<Openness>,
        supporter_joins: bool,
        notice: crate::selection::Notice,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<Option<String>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                #[allow(clippy::type_complexity)]
                let scout: Option<(
                    String,
                    Option<String>,
                    String,
                    Option<String>,
                )> = scouts::table
                    .filter(scouts::id.eq(&id))
                    .filter(scouts::seeker_id.eq(&seeker))
                    .filter(scouts::status.eq("sent"))
                    .select((
                        scouts::org_id,
                        scouts::posting_id,
                        scouts::sender_id,
                        scouts::agency_user_id,
                    ))
                    .first(c)
                    .optional()?;
                let Some((org, posting, sender, agency)) = scout else {
                    return Ok(None);
                };
                let n = diesel::update(
                    scouts::table
                        .filter(scouts::id.eq(&id))
                        .filter(scouts::seeker_id.eq(&seeker))
                        .filter(scouts::status.eq("sent")),
                )
                .set((
                    scouts::status.eq(if accept.is_some() {
                        "accepted"
                    } else {
                        "declined"
                    }),
                    scouts::openness.eq(accept.map(|o| o.as_str())),
                    scouts::decided_at.eq(Some(now)),
                ))
                .execute(c)?;
                let mut opened = None;
                if let (true, Some(openness)) = (n > 0, accept) {
                    let app = new_id();
                    diesel::insert_into(applications::table)
                        .values((
                            applications::id.eq(&app),
                            applications::seeker_id.eq(&seeker),
                            applications::org_id.eq(&org),
                            applications::posting_id.eq(&posting),
                            applications::openness.eq(openness.as_str()),
                            applications::stage.eq(Stage::Applied.as_str()),
                            applications::scout_id.eq(Some(&id)),
                            applications::supporter_joins.eq(supporter_joins),
                            applications::created_at.eq(now),
                            applications::updated_at.eq(now),
                        ))
                        .execute(c)?;
                    crate::messages::open_thread(
                        c,
                        &seeker,
                        crate::messages::Owner::Application(&app),
                        now,
                    )?;
                    crate::hiring::event(c, &app, Stage::Applied, &seeker, now)?;
                    opened = Some(app);
                }
                if n > 0 {
                    // The seeker answered: the scout's notice is read.
                    crate::alerts::read_notices(c, &seeker, &id, now)?;
                    // The scout's sender hears it was answered (the agency's staff on
                    // their own page).
                    let link = match agency {
                        Some(_) => "/operator/agency",
                        None => "/employer/scouts",
                    };
                    crate::notices::tell(
                        c,
                        &keys,
                        &sender,
                        "scout_answered",
                        &id,
                        link,
                        &notice,
                        now,
                    )?;
                    audit_setting(
                        c,
                        &seeker,
                        format!(
                            "scout.{}",
                            if accept.is_some() {
                                "accept"
                            } else {
                                "decline"
                            }
                        ),
                        &ctx,
                        now,
                    )?;
                }
                Ok((n > 0).then_some(opened))
            })
            .await
    }
}
