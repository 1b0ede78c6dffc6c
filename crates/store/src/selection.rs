//! Selection: interviews (proposed by the company, picked by the seeker or the supporter
//! taking part for them), the 合理的配慮 ledger (versions, never changed or deleted,
//! acknowledged by each side), the company's workforce for the employment rate, and
//! the notices each visible change sends.
//!
//! Every write here is authorised by the application's standing from the door
//! (`disclosure::application::standing`); every read of these records by anyone goes
//! through `disclosure::application::open_application_tx`.
use crate::accounts::Ctx;
use crate::audit::own_act;
use crate::consents::{active_of_kind, is_active_for};
use crate::disclosure::application::{
    Standing, interview_application, ledger_application, standing,
};
use crate::error::Result;
use crate::outbox::Mail;
use crate::schema::{
    company_workforce, family_links, interview_slots, interviews, ledger_acks, ledger_entries,
    memberships,
};
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::ConsentKind;
use domain::disclosure::AppRel;
use domain::hiring::{Halves, Stage};
use domain::interview::LocalTime;
use domain::ledger::{Decision, Side};
use std::sync::Arc;

// ------------------------------------------------------------------ notices

/// Writes the mail of one notice: (recipient's email, their language, the notice's
/// kind, the path it links to) → the mail. The mail says that something happened and
/// links to it; it carries no message, no company name, no health data.
#[derive(Clone)]
pub struct Notice(pub Arc<ComposeNotice>);

/// (email, language, kind, path) → the mail.
pub type ComposeNotice = dyn Fn(&str, &str, &str, &str) -> Mail + Send + Sync;

/// Who hears of a change: the seeker's side, or the company's members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The seeker; the linked facility's staff if they take part; family members the
    /// seeker shares application status with.
    SeekerSide,
    Company,
}

/// The people to tell of a change to an application (never the one who made it).
/// Family members hear of stage changes only: that is what they were shared.
fn audience(
    c: &mut DbConn,
    st: &Standing,
    to: Audience,
    kind: &str,
    actor: &str,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = match to {
        Audience::Company => memberships::table
            .filter(memberships::org_id.eq(&st.org))
            .filter(memberships::ended_at.is_null())
            .select(memberships::user_id)
            .load(c)?,
        Audience::SeekerSide => {
            let mut v = vec![st.seeker.clone()];
            if st.supporter_joins {
                for (fac, _) in active_of_kind(c, &st.seeker, ConsentKind::SupporterLink)? {
                    let Some(fac) = fac else { continue };
                    let staff: Vec<String> = memberships::table
                        .filter(memberships::org_id.eq(&fac))
                        .filter(memberships::ended_at.is_null())
                        .select(memberships::user_id)
                        .load(c)?;
                    v.extend(staff);
                }
            }
            let family: Vec<String> = if kind == "application_stage" {
                family_links::table
                    .filter(family_links::seeker_id.eq(&st.seeker))
                    .filter(family_links::ended_at.is_null())
                    .select(family_links::family_id)
                    .load(c)?
            } else {
                vec![]
            };
            for f in family {
                if is_active_for(
                    c,
                    &st.seeker,
                    ConsentKind::FamilyShare,
                    Some(&f),
                    Some("application_status"),
                )? {
                    v.push(f);
                }
            }
            v
        }
    };
    out.retain(|u| u != actor);
    out.sort();
    out.dedup();
    Ok(out)
}

/// Tells `to` of a change to application `app`: a notification each, and a mail.
#[allow(clippy::too_many_arguments)]
fn notify(
    c: &mut DbConn,
    keys: &Keyring,
    st: &Standing,
    app: &str,
    to: Audience,
    kind: &str,
    actor: &str,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    let path = format!("/applications/{app}");
    for user in audience(c, st, to, kind, actor)? {
        crate::notices::tell(c, keys, &user, kind, app, &path, notice, now)?;
    }
    Ok(())
}

/// Notices of a change made inside `hiring` (stage moves, applications, hires).
#[allow(clippy::too_many_arguments)]
pub(crate) fn notify_change(
    c: &mut DbConn,
    keys: &Keyring,
    app: &str,
    to: Audience,
    kind: &str,
    actor: &str,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    let Some(st) = standing(c, actor, app)? else {
        return Ok(());
    };
    notify(c, keys, &st, app, to, kind, actor, notice, now)
}

// ------------------------------------------------------------------ refusals

/// Why a selection write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionRefused {
    /// No such record the caller may act on (answer 404).
    NotFound,
    /// Not at this point (a final stage, a cancelled interview, an old version).
    NotNow,
    /// The slot is not one of the interview's.
    SlotUnknown,
}

type Refusable<T> = std::result::Result<T, SelectionRefused>;

/// The standing of `user` to `app`, if they write for `side` there.
fn acting(c: &mut DbConn, user: &str, app: &str, side: Side) -> Result<Option<Standing>> {
    Ok(standing(c, user, app)?.filter(|s| s.side() == Some(side)))
}

// ------------------------------------------------------------------ interviews

/// The application of `interview` and the standing of `user` to it, if they write for
/// `side` there.
fn interview_acting(
    c: &mut DbConn,
    user: &str,
    interview: &str,
    side: Side,
) -> Result<Option<(String, Standing)>> {
    let Some(app) = interview_application(c, interview)? else {
        return Ok(None);
    };
    Ok(acting(c, user, &app, side)?.map(|st| (app, st)))
}

/// One checked slot: the local time in Japan, minutes, place, link.
#[derive(Debug, Clone)]
pub struct NewSlot {
    pub start: LocalTime,
    pub minutes: u16,
    pub place: String,
    pub online_url: String,
}

/// What a seeker (or the supporter for them) answers to an interview.
#[derive(Debug, Clone)]
pub enum Answer {
    Pick(String),
    /// None of the times suit: asks for others, in their words.
    Others(String),
}

/// What the calendar file of an interview needs.
#[derive(Debug, Clone)]
pub struct IcsData {
    pub interview_id: String,
    pub sequence: i32,
    pub cancelled: bool,
    pub start: LocalTime,
    pub minutes: u16,
    pub place: String,
    pub online_url: String,
    pub company_name: String,
    pub posting_title: String,
    pub accommodations: Vec<String>,
}

impl Store {
    /// The company proposes an interview with times and the accommodations it provides;
    /// an application before 面接 moves there (a visible change).
    #[allow(clippy::too_many_arguments)]
    pub async fn propose_interview(
        &self,
        user: String,
        app: String,
        slots: Vec<NewSlot>,
        accommodations: Vec<String>,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<Refusable<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(st) = acting(c, &user, &app, Side::Company)? else {
                    return Ok(Err(SelectionRefused::NotFound));
                };
                if st.stage.is_final() || st.stage == Stage::Offer {
                    return Ok(Err(SelectionRefused::NotNow));
                }
                let id = new_id();
                diesel::insert_into(interviews::table)
                    .values((
                        interviews::id.eq(&id),
                        interviews::application_id.eq(&app),
                        interviews::status.eq("proposed"),
                        interviews::accommodations.eq(accommodations.join(",")),
                        interviews::sequence.eq(0),
                        interviews::created_by.eq(&user),
                        interviews::created_at.eq(now),
                        interviews::updated_at.eq(now),
                    ))
                    .execute(c)?;
                for s in &slots {
                    diesel::insert_into(interview_slots::table)
                        .values((
                            interview_slots::id.eq(new_id()),
                            interview_slots::interview_id.eq(&id),
                            interview_slots::starts_at.eq(s.start.to_string()),
                            interview_slots::minutes.eq(i32::from(s.minutes)),
                            interview_slots::place.eq(s.place.trim()),
                            interview_slots::online_url.eq(s.online_url.trim()),
                        ))
                        .execute(c)?;
                }
                if st.stage != Stage::Interview {
                    crate::hiring::move_stage(c, &app, Stage::Interview, &user, now)?;
                    notify(
                        c,
                        &keys,
                        &st,
                        &app,
                        Audience::SeekerSide,
                        "application_stage",
                        &user,
                        &notice,
                        now,
                    )?;
                }
                notify(
                    c,
                    &keys,
                    &st,
                    &app,
                    Audience::SeekerSide,
                    "interview_proposed",
                    &user,
                    &notice,
                    now,
                )?;
                own_act(c, &user, "interview.propose".into(), &ctx, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// The seeker, or the supporter taking part for them, picks a time or asks for others.
    pub async fn answer_interview(
        &self,
        user: String,
        interview: String,
        answer: Answer,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<Refusable<()>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some((app, st)) = interview_acting(c, &user, &interview, Side::Seeker)? else {
                    return Ok(Err(SelectionRefused::NotFound));
                };
                let status: String = interviews::table
                    .filter(interviews::id.eq(&interview))
                    .select(interviews::status)
                    .first(c)?;
                if status == "cancelled" || st.stage.is_final() {
                    return Ok(Err(SelectionRefused::NotNow));
                }
                let (status, chosen, request) = match answer {
                    Answer::Pick(slot) => {
                        let known: i64 = interview_slots::table
                            .filter(interview_slots::interview_id.eq(&interview))
                            .filter(interview_slots::id.eq(&slot))
                            .count()
                            .get_result(c)?;
                        if known == 0 {
                            return Ok(Err(SelectionRefused::SlotUnknown));
                        }
                        ("chosen", Some(slot), None)
                    }
                    Answer::Others(text) => {
                        let key = keys.subject_key(&st.seeker)?;
                        let sealed = key.seal_str("interviews", "request", &interview, &text)?;
                        ("others_asked", None, Some(sealed))
                    }
                };
                diesel::update(interviews::table.filter(interviews::id.eq(&interview)))
                    .set((
                        interviews::status.eq(status),
                        interviews::chosen_slot.eq(chosen),
                        interviews::request_enc.eq(request),
                        interviews::sequence.eq(interviews::sequence + 1),
                        interviews::reminded_at.eq(None::<i64>),
                        interviews::updated_at.eq(now),
                    ))
                    .execute(c)?;
                let kind = format!("interview_{status}");
                notify(
                    c,
                    &keys,
                    &st,
                    &app,
                    Audience::Company,
                    &kind,
                    &user,
                    &notice,
                    now,
                )?;
                if st.rel == AppRel::Supporter {
                    notify(
                        c,
                        &keys,
                        &st,
                        &app,
                        Audience::SeekerSide,
                        &kind,
                        &user,
                        &notice,
                        now,
                    )?;
                }
                own_act(c, &user, format!("interview.{status}"), &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }

    /// The company cancels an interview (the calendar file then says `METHOD:CANCEL`).
    pub async fn cancel_interview(
        &self,
        user: String,
        interview: String,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<Refusable<()>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some((app, st)) = interview_acting(c, &user, &interview, Side::Company)? else {
                    return Ok(Err(SelectionRefused::NotFound));
                };
                let n = diesel::update(
                    interviews::table
                        .filter(interviews::id.eq(&interview))
                        .filter(interviews::status.ne("cancelled")),
                )
                .set((
                    interviews::status.eq("cancelled"),
                    interviews::sequence.eq(interviews::sequence + 1),
                    interviews::updated_at.eq(now),
                ))
                .execute(c)?;
                if n == 0 {
                    return Ok(Err(SelectionRefused::NotNow));
                }
                notify(
                    c,
                    &keys,
                    &st,
                    &app,
                    Audience::SeekerSide,
                    "interview_cancelled",
                    &user,
                    &notice,
                    now,
                )?;
                own_act(c, &user, "interview.cancel".into(), &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }

    /// The calendar file's data of one interview, through the door (the viewer must
    /// see the application's interviews), or `None`.
    pub async fn interview_ics(
        &self,
        viewer: String,
        interview: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<IcsData>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let Some(app) = interview_application(c, &interview)? else {
                    return Ok(None);
                };
                let a = crate::disclosure::Access::new(&viewer, "interview_calendar", &ctx, now);
                let Some(d) = crate::disclosure::application::open_application_tx(
                    c,
                    &keys,
                    &a,
                    &app,
                    &[
                        domain::disclosure::AItem::Stage,
                        domain::disclosure::AItem::Interviews,
                    ],
                )?
                else {
                    return Ok(None);
                };
                let v = d.into_view();
                let Some(i) = v.interviews.iter().flatten().find(|i| i.id == interview) else {
                    return Ok(None);
                };
                // A file exists once a time is chosen (or the interview was cancelled
                // after that); before, there is nothing to put in a calendar.
                let Some(slot) = i.chosen() else {
                    return Ok(None);
                };
                let Some(start) = LocalTime::parse(&slot.starts_at) else {
                    return Ok(None);
                };
                Ok(Some(IcsData {
                    interview_id: i.id.clone(),
                    sequence: i.sequence,
                    cancelled: i.status == "cancelled",
                    start,
                    minutes: slot.minutes,
                    place: slot.place.clone(),
                    online_url: slot.online_url.clone(),
                    company_name: v.company_name.clone(),
                    posting_title: v.posting_title.clone().unwrap_or_default(),
                    accommodations: i.accommodations.clone(),
                }))
            })
            .await
    }

    /// Chosen interviews that start on `day` (local date in Japan) and whose reminder has
    /// not gone: (interview, application) pairs.
    pub async fn interviews_to_remind(
        &self,
        day: domain::profile::Date,
    ) -> Result<Vec<(String, String)>> {
        self.db
            .read(move |c| {
                let prefix = format!("{day}T%");
                Ok(interviews::table
                    .inner_join(
                        interview_slots::table
                            .on(interview_slots::id.nullable().eq(interviews::chosen_slot)),
                    )
                    .filter(interviews::status.eq("chosen"))
                    .filter(interviews::reminded_at.is_null())
                    .filter(interview_slots::starts_at.like(prefix))
                    .select((interviews::id, interviews::application_id))
                    .load(c)?)
            })
            .await
    }

    /// Sends the day-before reminder of one interview to both sides (once).
    pub async fn remind_interview(
        &self,
        interview: String,
        app: String,
        notice: Notice,
        now: i64,
    ) -> Result<()> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let n = diesel::update(
                    interviews::table
                        .filter(interviews::id.eq(&interview))
                        .filter(interviews::reminded_at.is_null()),
                )
                .set(interviews::reminded_at.eq(Some(now)))
                .execute(c)?;
                if n == 0 {
                    return Ok(());
                }
                let seeker: String = crate::schema::applications::table
                    .filter(crate::schema::applications::id.eq(&app))
                    .select(crate::schema::applications::seeker_id)
                    .first(c)?;
                let Some(st) = standing(c, &seeker, &app)? else {
                    return Ok(());
                };
                for to in [Audience::SeekerSide, Audience::Company] {
                    notify(
                        c,
                        &keys,
                        &st,
                        &app,
                        to,
                        "interview_reminder",
                        "",
                        &notice,
                        now,
                    )?;
                }
                Ok(())
            })
            .await
    }
}

// ------------------------------------------------------------------ the ledger

/// A new version of a ledger item, as one side writes it.
#[derive(Debug, Clone)]
pub enum LedgerWrite {
    /// The seeker's side: a difficulty or request, in plain words, with codes.
    Request { codes: Vec<String>, request: String },
    /// The company: what was discussed, the decision, the reason, the date.
    Decide {
        decision: Decision,
        discussion: String,
        reason: String,
        decided_on: domain::profile::Date,
    },
}

struct Current {
    item: String,
    version: i32,
    codes: String,
    request: String,
    discussion: String,
    decision: String,
    reason: String,
    decided_on: Option<String>,
}

fn current(c: &mut DbConn, keys: &Keyring, item: &str) -> Result<Option<Current>> {
    type Row = (
        String,
        i32,
        String,
        Vec<u8>,
        Vec<u8>,
        String,
        Vec<u8>,
        Option<String>,
    );
    let row: Option<Row> = ledger_entries::table
        .filter(ledger_entries::item_id.eq(item))
        .order(ledger_entries::version.desc())
        .select((
            ledger_entries::id,
            ledger_entries::version,
            ledger_entries::codes,
            ledger_entries::request_enc,
            ledger_entries::discussion_enc,
            ledger_entries::decision,
            ledger_entries::reason_enc,
            ledger_entries::decided_on,
        ))
        .first(c)
        .optional()?;
    let Some((id, version, codes, req, disc, decision, reason, decided_on)) = row else {
        return Ok(None);
    };
    Ok(Some(Current {
        item: item.to_owned(),
        version,
        codes,
        request: keys.open_string("ledger_entries", "request", &id, &req)?,
        discussion: keys.open_string("ledger_entries", "discussion", &id, &disc)?,
        decision,
        reason: keys.open_string("ledger_entries", "reason", &id, &reason)?,
        decided_on,
    }))
}

#[allow(clippy::too_many_arguments)]
fn insert_version(
    c: &mut DbConn,
    keys: &Keyring,
    st: &Standing,
    app: &str,
    v: &Current,
    side: Side,
    user: &str,
    now: i64,
) -> Result<String> {
    let id = new_id();
    let key = keys.subject_key(&st.seeker)?;
    diesel::insert_into(ledger_entries::table)
        .values((
            ledger_entries::id.eq(&id),
            ledger_entries::item_id.eq(&v.item),
            ledger_entries::version.eq(v.version),
            ledger_entries::application_id.eq(app),
            ledger_entries::codes.eq(&v.codes),
            ledger_entries::request_enc.eq(key.seal_str(
                "ledger_entries",
                "request",
                &id,
                &v.request,
            )?),
            ledger_entries::discussion_enc.eq(key.seal_str(
                "ledger_entries",
                "discussion",
                &id,
                &v.discussion,
            )?),
            ledger_entries::decision.eq(&v.decision),
            ledger_entries::reason_enc.eq(key.seal_str(
                "ledger_entries",
                "reason",
                &id,
                &v.reason,
            )?),
            ledger_entries::decided_on.eq(&v.decided_on),
            ledger_entries::side.eq(side.as_str()),
            ledger_entries::written_by.eq(user),
            ledger_entries::created_at.eq(now),
        ))
        .execute(c)?;
    // Writing a version is the writer's side acknowledging it.
    ack(c, &id, side, user, now)?;
    Ok(id)
}

fn ack(c: &mut DbConn, entry: &str, side: Side, user: &str, now: i64) -> Result<bool> {
    let done: i64 = ledger_acks::table
        .filter(ledger_acks::entry_id.eq(entry))
        .filter(ledger_acks::side.eq(side.as_str()))
        .count()
        .get_result(c)?;
    if done > 0 {
        return Ok(false);
    }
    diesel::insert_into(ledger_acks::table)
        .values((
            ledger_acks::entry_id.eq(entry),
            ledger_acks::side.eq(side.as_str()),
            ledger_acks::user_id.eq(user),
            ledger_acks::at.eq(now),
        ))
        .execute(c)?;
    Ok(true)
}

impl Store {
    /// A new ledger item (the seeker's side) on an application, or a new version of
    /// `item`. Answers the version's id.
    #[allow(clippy::too_many_arguments)]
    pub async fn ledger_write(
        &self,
        user: String,
        app: String,
        item: Option<String>,
        w: LedgerWrite,
        ctx: Ctx,
        notice: Notice,
        now: i64,
    ) -> Result<Refusable<String>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let side = match w {
                    LedgerWrite::Request { .. } => Side::Seeker,
                    LedgerWrite::Decide { .. } => Side::Company,
                };
                let Some(st) = acting(c, &user, &app, side)? else {
                    return Ok(Err(SelectionRefused::NotFound));
                };
                let prev = match &item {
                    Some(i) => {
                        if ledger_application(c, i)?.as_deref() != Some(app.as_str()) {
                            return Ok(Err(SelectionRefused::NotFound));
                        }
                        current(c, &keys, i)?
                    }
                    None => None,
                };
                // A decision is always on an existing request.
                if side == Side::Company && prev.is_none() {
                    return Ok(Err(SelectionRefused::NotFound));
                }
                let mut v = prev.unwrap_or(Current {
                    item: new_id(),
                    version: 0,
                    codes: String::new(),
                    request: String::new(),
                    discussion: String::new(),
                    decision: Decision::Pending.as_str().into(),
                    reason: String::new(),
                    decided_on: None,
                });
                v.version += 1;
                match w {
                    LedgerWrite::Request { codes, request } => {
                        v.codes = codes.join(",");
                        v.request = request;
                        // A changed request is decided afresh.
                        v.decision = Decision::Pending.as_str().into();
                        v.decided_on = None;
                    }
                    LedgerWrite::Decide {
                        decision,
                        discussion,
                        reason,
                        decided_on,
                    } => {
                        v.decision = decision.as_str().into();
                        v.discussion = discussion;
                        v.reason = reason;
                        v.decided_on = Some(decided_on.to_string());
                    }
                }
                let id = insert_version(c, &keys, &st, &app, &v, side, &user, now)?;
                let to = match side {
                    Side::Seeker => Audience::Company,
                    Side::Company => Audience::SeekerSide,
                };
                notify(
                    c,
                    &keys,
                    &st,
                    &app,
                    to,
                    "ledger_version",
                    &user,
                    &notice,
                    now,
                )?;
                own_act(c, &user, format!("ledger.{}", side.as_str()), &ctx, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// One side acknowledges one version (the current one of its item).
    pub async fn ledger_ack(
        &self,
        user: String,
        app: String,
        entry: String,
        ctx: Ctx,
        now: i64,
    ) -> Result<Refusable<()>> {
        self.db
            .write(move |c| {
                if ledger_application(c, &entry)?.as_deref() != Some(app.as_str()) {
                    return Ok(Err(SelectionRefused::NotFound));
                }
                let Some(side) = standing(c, &user, &app)?.and_then(|s| s.side()) else {
                    return Ok(Err(SelectionRefused::NotFound));
                };
                let item: String = ledger_entries::table
                    .filter(ledger_entries::id.eq(&entry))
                    .select(ledger_entries::item_id)
                    .first(c)?;
                let latest: String = ledger_entries::table
                    .filter(ledger_entries::item_id.eq(&item))
                    .order(ledger_entries::version.desc())
                    .select(ledger_entries::id)
                    .first(c)?;
                if latest != entry {
                    return Ok(Err(SelectionRefused::NotNow));
                }
                ack(c, &entry, side, &user, now)?;
                own_act(c, &user, format!("ledger.ack.{}", side.as_str()), &ctx, now)?;
                Ok(Ok(()))
            })
            .await
    }
}

// ------------------------------------------------------------------ the workforce

/// What a company stated for the employment rate, in halves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Workforce {
    /// 常用労働者数 (short-time workers count half), in halves.
    pub workforce_halves: Halves,
    /// Persons with disabilities counted now, in halves.
    pub counted_halves: Halves,
    pub updated_at: i64,
}

impl Store {
    /// The workforce the caller's company stated, if any.
    pub async fn workforce(&self, user: String) -> Result<Option<Workforce>> {
        self.db
            .read(move |c| {
                let Some(org) = crate::jobs::managed_company(c, &user)? else {
                    return Ok(None);
                };
                let row: Option<(i32, i32, i64)> = company_workforce::table
                    .filter(company_workforce::org_id.eq(&org))
                    .select((
                        company_workforce::workforce_halves,
                        company_workforce::counted_halves,
                        company_workforce::updated_at,
                    ))
                    .first(c)
                    .optional()?;
                Ok(row.map(|(w, n, at)| Workforce {
                    workforce_halves: u32::try_from(w).unwrap_or(0),
                    counted_halves: u32::try_from(n).unwrap_or(0),
                    updated_at: at,
                }))
            })
            .await
    }

    /// The company states its workforce and persons counted. `false`: not a company member.
    pub async fn set_workforce(
        &self,
        user: String,
        workforce: Halves,
        counted: Halves,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let Some(org) = crate::jobs::managed_company(c, &user)? else {
                    return Ok(false);
                };
                let (w, n) = (
                    i32::try_from(workforce).unwrap_or(i32::MAX),
                    i32::try_from(counted).unwrap_or(i32::MAX),
                );
                diesel::delete(company_workforce::table.filter(company_workforce::org_id.eq(&org)))
                    .execute(c)?;
                diesel::insert_into(company_workforce::table)
                    .values((
                        company_workforce::org_id.eq(&org),
                        company_workforce::workforce_halves.eq(w),
                        company_workforce::counted_halves.eq(n),
                        company_workforce::updated_by.eq(&user),
                        company_workforce::updated_at.eq(now),
                    ))
                    .execute(c)?;
                own_act(c, &user, "company.workforce".into(), &ctx, now)?;
                Ok(true)
            })
            .await
    }
}
