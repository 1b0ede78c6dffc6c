//! The door for message threads: who stands where in a thread, which of its messages
//! each participant reads, and the read itself (decrypted with the thread's key, the
//! read receipt moved, the access-log entry written, in one transaction).
//!
//! As for profiles and applications: facts from live rows →
//! `domain::disclosure::thread_relationship` → `thread_rights` → the messages those
//! rights allow, and nothing else. The loaders below are private to this module.
use super::{Access, Disclosed, Want, log_read, view_seeker_tx};
use crate::consents::is_active_for;
use crate::error::Result;
use crate::orgs::{org_name, org_of_kind};
use crate::schema::{
    agency_delegations, applications, attachments, employments, memberships, messages,
    operator_roles, postings, thread_reads, threads, users,
};
use crate::{DbConn, Keyring};
use diesel::prelude::*;
use domain::disclosure::{
    self, PItem, ThreadFacts, ThreadKind, ThreadRel, ThreadRights, Visibility,
};
use domain::hiring::Stage;
use domain::interview::LocalTime;
use domain::profile::Date;
use domain::{ConsentKind, OrgKind, UserKind};
use serde::Serialize;
use utoipa::ToSchema;

/// How a viewer stands to one thread (for authorising writes and building views).
#[derive(Debug, Clone)]
pub(crate) struct ThreadStanding {
    pub id: String,
    pub kind: ThreadKind,
    pub rel: ThreadRel,
    pub rights: ThreadRights,
    pub seeker: String,
    /// The company (job threads).
    pub org: Option<String>,
    /// The facility (support thread).
    pub facility: Option<String>,
    pub application: Option<String>,
    pub employment: Option<String>,
    pub posting: Option<String>,
    /// The follow-up person (employment thread).
    pub follow_up: Option<String>,
    pub supporter_joins: bool,
}

type ThreadRow = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
);

fn thread_row(c: &mut DbConn, id: &str) -> Result<Option<ThreadRow>> {
    Ok(threads::table
        .filter(threads::id.eq(id))
        .select((
            threads::kind,
            threads::seeker_id,
            threads::application_id,
            threads::employment_id,
            threads::facility_id,
            threads::supporter_joins,
        ))
        .first(c)
        .optional()?)
}

fn member_of(c: &mut DbConn, user: &str, org: &str) -> Result<bool> {
    let n: i64 = memberships::table
        .filter(memberships::org_id.eq(org))
        .filter(memberships::user_id.eq(user))
        .filter(memberships::ended_at.is_null())
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Whether `viewer` is staff of a facility the seeker links to now (of `only`, when given).
fn linked_staff(c: &mut DbConn, viewer: &str, seeker: &str, only: Option<&str>) -> Result<bool> {
    for fac in org_of_kind(c, viewer, OrgKind::Facility)? {
        if only.is_some_and(|o| o != fac) {
            continue;
        }
        if is_active_for(c, seeker, ConsentKind::SupporterLink, Some(&fac), None)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Which door a thread is opened through: a participant's own routes, or the
/// operator's agency routes (the agency reads through its own routes only, so that every
/// agency read is one the seeker sees listed as such).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    Party,
    Agency,
}

impl ThreadStanding {
    /// Whether the viewer reads the thread through this door.
    pub fn admits(&self, via: Via) -> bool {
        self.rights.read_all
            && match via {
                Via::Party => self.rel != ThreadRel::Agency,
                Via::Agency => self.rel == ThreadRel::Agency,
            }
    }
}

/// The operator role of the recruiting agency's staff.
pub const AGENCY_ROLE: &str = "agency";

/// Whether `viewer` is operator staff with the agency role.
pub(crate) fn agency_staff(c: &mut DbConn, viewer: &str) -> Result<bool> {
    let n: i64 = operator_roles::table
        .inner_join(users::table)
        .filter(operator_roles::user_id.eq(viewer))
        .filter(operator_roles::role.eq(AGENCY_ROLE))
        .filter(users::kind.eq(UserKind::Operator.as_str()))
        .filter(users::closed_at.is_null())
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Whether the company's delegation to the operator stands on the day of `now` (Japan).
pub(crate) fn delegation_stands(c: &mut DbConn, org: &str, now: i64) -> Result<bool> {
    let today = LocalTime::of_unix(now).date.to_string();
    let n: i64 = agency_delegations::table
        .filter(agency_delegations::org_id.eq(org))
        .filter(agency_delegations::ended_at.is_null())
        .filter(agency_delegations::from_date.le(&today))
        .filter(agency_delegations::until_date.ge(&today))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// The facts of `viewer` towards thread `id` at `now`, and the relationship they make.
/// `None` when there is no such thread.
pub(crate) fn thread_standing(
    c: &mut DbConn,
    viewer: &str,
    id: &str,
    now: i64,
) -> Result<Option<ThreadStanding>> {
    let Some((kind, seeker, application, employment, facility, joins)) = thread_row(c, id)? else {
        return Ok(None);
    };
    let Some(kind) = ThreadKind::parse(&kind) else {
        return Ok(None);
    };
    let mut f = ThreadFacts {
        kind: Some(kind),
        oneself: viewer == seeker,
        supporter_joins: joins,
        ..ThreadFacts::default()
    };
    let (mut org, mut posting, mut follow_up) = (None, None, None);
    match kind {
        ThreadKind::Application => {
            let row: Option<(String, Option<String>, String)> = applications::table
                .filter(applications::id.nullable().eq(&application))
                .select((
                    applications::org_id,
                    applications::posting_id,
                    applications::stage,
                ))
                .first(c)
                .optional()?;
            let Some((o, p, stage)) = row else {
                return Ok(None);
            };
            f.live = !matches!(
                Stage::parse(&stage),
                Some(Stage::Withdrawn | Stage::NotHired) | None
            );
            f.company_side = !f.oneself && member_of(c, viewer, &o)?;
            org = Some(o);
            posting = p;
        }
        ThreadKind::Employment => {
            let row: Option<(String, Option<String>, String, Option<i64>)> = employments::table
                .filter(employments::id.nullable().eq(&employment))
                .select((
                    employments::org_id,
                    employments::posting_id,
                    employments::follow_up_user_id,
                    employments::ended_at,
                ))
                .first(c)
                .optional()?;
            let Some((o, p, fu, ended)) = row else {
                return Ok(None);
            };
            f.live = ended.is_none();
            f.company_side = !f.oneself && viewer == fu && member_of(c, viewer, &o)?;
            org = Some(o);
            posting = p;
            follow_up = Some(fu);
        }
        ThreadKind::Support => {}
    }
    if !f.oneself && !f.company_side {
        let only = match kind {
            ThreadKind::Support => facility.as_deref(),
            _ => None,
        };
        f.linked_supporter = linked_staff(c, viewer, &seeker, only)?;
    }
    // The agency: both the company's delegation and the seeker's own consent, now.
    if let (ThreadKind::Application, Some(o)) = (kind, &org)
        && !f.oneself
        && !f.company_side
        && agency_staff(c, viewer)?
    {
        f.agency_delegated = delegation_stands(c, o, now)?;
        f.agency_consent =
            is_active_for(c, &seeker, ConsentKind::AgencyMessageAccess, Some(o), None)?;
    }
    let rel = disclosure::thread_relationship(&f);
    Ok(Some(ThreadStanding {
        id: id.to_owned(),
        kind,
        rel,
        rights: disclosure::thread_rights(rel, kind),
        seeker,
        org,
        facility,
        application,
        employment,
        posting,
        follow_up,
        supporter_joins: joins,
    }))
}

/// The people who read a message of `visibility` in a thread (its sender among them).
pub(crate) fn readers(
    c: &mut DbConn,
    st: &ThreadStanding,
    visibility: Visibility,
) -> Result<Vec<String>> {
    let mut out = vec![st.seeker.clone()];
    if visibility == Visibility::All {
        match (st.kind, &st.org, &st.follow_up) {
            (ThreadKind::Application, Some(org), _) => {
                let members: Vec<String> = memberships::table
                    .filter(memberships::org_id.eq(org))
                    .filter(memberships::ended_at.is_null())
                    .select(memberships::user_id)
                    .load(c)?;
                out.extend(members);
            }
            (ThreadKind::Employment, _, Some(fu)) => out.push(fu.clone()),
            _ => {}
        }
    }
    let facilities: Vec<String> = match (st.kind, &st.facility) {
        (ThreadKind::Support, Some(f)) => vec![f.clone()],
        (ThreadKind::Support, None) => vec![],
        _ if st.supporter_joins => {
            crate::consents::active_of_kind(c, &st.seeker, ConsentKind::SupporterLink)?
                .into_iter()
                .filter_map(|(r, _)| r)
                .collect()
        }
        _ => vec![],
    };
    for fac in facilities {
        if !is_active_for(c, &st.seeker, ConsentKind::SupporterLink, Some(&fac), None)? {
            continue;
        }
        let staff: Vec<String> = memberships::table
            .filter(memberships::org_id.eq(&fac))
            .filter(memberships::ended_at.is_null())
            .select(memberships::user_id)
            .load(c)?;
        out.extend(staff);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

// ------------------------------------------------------------------ the views

/// Who wrote a message or read it, as the thread shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Seeker,
    Company,
    Supporter,
    /// The operator's agency staff, writing in the company's name.
    Agency,
}

/// A file sent with a message.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: String,
    pub name: String,
    /// `application/pdf`, `image/png`, `image/jpeg` or `text/plain`.
    pub mime: String,
    pub size: i64,
}

/// One message as a participant reads it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessageView {
    pub id: String,
    pub seq: i64,
    pub from: Party,
    /// The viewer wrote it.
    pub mine: bool,
    pub visibility: Visibility,
    /// Plain text, as written.
    pub body: String,
    pub attachments: Vec<AttachmentView>,
    pub created_at: i64,
    /// The other parties who have read it.
    pub read_by: Vec<Party>,
}

/// A thread as one participant sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadView {
    pub id: String,
    pub kind: ThreadKind,
    pub application_id: Option<String>,
    pub employment_id: Option<String>,
    pub facility_id: Option<String>,
    /// The company (job threads).
    pub company_id: Option<String>,
    pub company_name: Option<String>,
    pub facility_name: Option<String>,
    pub posting_title: Option<String>,
    /// The seeker's name (for the company's side and the supporter; through the
    /// profile door, logged and recorded).
    pub seeker_name: Option<String>,
    /// The seeker let the linked supporter join this (job) thread.
    pub supporter_joins: bool,
    /// The company has delegated its messaging to the operator's agency now.
    pub agency_delegated: bool,
    /// The seeker lets the agency read this company's messages now.
    pub agency_consent: bool,
    pub can_write: bool,
    pub can_write_supporter_only: bool,
    pub can_switch_supporter: bool,
    /// Messages the viewer had not read before this view.
    pub unread: i64,
    pub last_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messages: Option<Vec<MessageView>>,
}

/// The parties' reads of a thread: (user, how far they read).
fn reads_of(c: &mut DbConn, thread: &str) -> Result<Vec<(String, i64)>> {
    Ok(thread_reads::table
        .filter(thread_reads::thread_id.eq(thread))
        .select((thread_reads::user_id, thread_reads::read_seq))
        .load(c)?)
}

fn party_of(c: &mut DbConn, st: &ThreadStanding, user: &str) -> Result<Option<Party>> {
    if user == st.seeker {
        return Ok(Some(Party::Seeker));
    }
    if let Some(org) = &st.org
        && member_of(c, user, org)?
    {
        return Ok(Some(Party::Company));
    }
    if linked_staff(c, user, &st.seeker, st.facility.as_deref())? {
        return Ok(Some(Party::Supporter));
    }
    Ok(None)
}

/// The messages the viewer may read.
fn visible<'a>(st: &ThreadStanding) -> messages::BoxedQuery<'a, crate::db::MultiBackend> {
    let mut q = messages::table
        .filter(messages::thread_id.eq(st.id.clone()))
        .into_boxed();
    if !st.rights.read_supporter_only {
        q = q.filter(messages::visibility.eq(Visibility::All.as_str()));
    }
    if st.rights.agency_only {
        q = q.filter(messages::agency_visible.eq(true));
    }
    q
}

fn read_seq(c: &mut DbConn, thread: &str, user: &str) -> Result<i64> {
    Ok(thread_reads::table
        .filter(thread_reads::thread_id.eq(thread))
        .filter(thread_reads::user_id.eq(user))
        .select(thread_reads::read_seq)
        .first(c)
        .optional()?
        .unwrap_or(0))
}

/// Moves `user`'s read receipt of `thread` to `seq` (never back).
pub(crate) fn mark_read(
    c: &mut DbConn,
    thread: &str,
    user: &str,
    seq: i64,
    now: i64,
) -> Result<()> {
    let n = diesel::update(
        thread_reads::table
            .filter(thread_reads::thread_id.eq(thread))
            .filter(thread_reads::user_id.eq(user))
            .filter(thread_reads::read_seq.lt(seq)),
    )
    .set((
        thread_reads::read_seq.eq(seq),
        thread_reads::read_at.eq(now),
    ))
    .execute(c)?;
    if n == 0 {
        let known: i64 = thread_reads::table
            .filter(thread_reads::thread_id.eq(thread))
            .filter(thread_reads::user_id.eq(user))
            .count()
            .get_result(c)?;
        if known == 0 {
            diesel::insert_into(thread_reads::table)
                .values((
                    thread_reads::thread_id.eq(thread),
                    thread_reads::user_id.eq(user),
                    thread_reads::read_seq.eq(seq),
                    thread_reads::read_at.eq(now),
                ))
                .execute(c)?;
        }
    }
    Ok(())
}

/// How many messages of the thread `viewer` has not read (their own do not count).
pub(crate) fn unread_in(c: &mut DbConn, st: &ThreadStanding, viewer: &str) -> Result<i64> {
    let seen = read_seq(c, &st.id, viewer)?;
    Ok(visible(st)
        .filter(messages::seq.gt(seen))
        .filter(messages::sender_id.ne(viewer.to_owned()))
        .count()
        .get_result(c)?)
}

/// The thread's header as the viewer sees it (no messages): names, rights, unread.
fn header(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    st: &ThreadStanding,
    today: Date,
) -> Result<ThreadView> {
    let company_name = match &st.org {
        Some(o) => org_name(c, o)?,
        None => None,
    };
    let facility_name = match &st.facility {
        Some(f) => org_name(c, f)?,
        None => None,
    };
    let posting_title: Option<String> = match &st.posting {
        Some(p) => postings::table
            .filter(postings::id.eq(p))
            .select(postings::title)
            .first(c)
            .optional()?,
        None => None,
    };
    let seeker_name = if st.rel == ThreadRel::Seeker {
        None
    } else {
        view_seeker_tx(c, keys, a, &st.seeker, Want::Only(&[PItem::Name]), today)?
            .and_then(|d| d.into_view().profile.basic.map(|b| b.name))
    };
    let last_at: i64 = threads::table
        .filter(threads::id.eq(&st.id))
        .select(threads::last_at)
        .first(c)?;
    let (agency_delegated, agency_consent) = match (st.kind, &st.org) {
        (ThreadKind::Application, Some(o)) => (
            delegation_stands(c, o, a.now)?,
            is_active_for(
                c,
                &st.seeker,
                ConsentKind::AgencyMessageAccess,
                Some(o),
                None,
            )?,
        ),
        _ => (false, false),
    };
    Ok(ThreadView {
        id: st.id.clone(),
        kind: st.kind,
        application_id: st.application.clone(),
        employment_id: st.employment.clone(),
        facility_id: st.facility.clone(),
        company_id: st.org.clone(),
        company_name,
        facility_name,
        posting_title,
        seeker_name,
        supporter_joins: st.supporter_joins,
        agency_delegated,
        agency_consent,
        can_write: st.rights.write,
        can_write_supporter_only: st.rights.write_supporter_only,
        can_switch_supporter: st.rights.manage_supporter,
        unread: unread_in(c, st, a.viewer)?,
        last_at,
        messages: None,
    })
}

/// A thread's header (no messages) for `via`, if the viewer reads it through that door.
pub(crate) fn thread_view_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    id: &str,
    today: Date,
    via: Via,
) -> Result<Option<ThreadView>> {
    let Some(st) = thread_standing(c, a.viewer, id, a.now)? else {
        return Ok(None);
    };
    if !st.admits(via) {
        return Ok(None);
    }
    Ok(Some(header(c, keys, a, &st, today)?))
}

type MessageRow = (String, i64, String, String, Vec<u8>, Option<String>, i64);

/// THE read of a thread's messages by anyone: the messages the viewer's rights allow,
/// decrypted, the viewer's read receipt moved to the newest, and (for anyone but the
/// seeker) an access-log entry naming the thread's messages. `None`: the viewer is no
/// participant (answer 404). Inside a write transaction.
pub(crate) fn open_thread_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    id: &str,
    today: Date,
    via: Via,
) -> Result<Option<Disclosed<ThreadView>>> {
    let Some(st) = thread_standing(c, a.viewer, id, a.now)? else {
        return Ok(None);
    };
    if !st.admits(via) {
        return Ok(None);
    }
    let mut view = header(c, keys, a, &st, today)?;
    let rows: Vec<MessageRow> = visible(&st)
        .order(messages::seq.asc())
        .select((
            messages::id,
            messages::seq,
            messages::sender_id,
            messages::visibility,
            messages::body_enc,
            messages::agency_user_id,
            messages::created_at,
        ))
        .load(c)?;
    let reads = reads_of(c, id)?;
    let mut reader_parties: Vec<(Party, i64)> = Vec::new();
    for (user, seq) in reads {
        if user == a.viewer {
            continue;
        }
        if let Some(p) = party_of(c, &st, &user)? {
            reader_parties.push((p, seq));
        }
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut newest = 0;
    for (mid, seq, sender, vis, enc, agency, at) in rows {
        newest = newest.max(seq);
        let from = if agency.is_some() {
            Party::Agency
        } else {
            party_of(c, &st, &sender)?.unwrap_or(Party::Company)
        };
        let visibility = Visibility::parse(&vis).unwrap_or(Visibility::SupporterOnly);
        let mut read_by: Vec<Party> = reader_parties
            .iter()
            .filter(|(p, s)| {
                *s >= seq
                    && *p != from
                    && (visibility == Visibility::All
                        || matches!(p, Party::Seeker | Party::Supporter))
            })
            .map(|(p, _)| *p)
            .collect();
        read_by.sort();
        read_by.dedup();
        out.push(MessageView {
            body: keys.open_string("messages", "body", &mid, &enc)?,
            attachments: attachments_of(c, keys, &mid)?,
            id: mid,
            seq,
            from,
            mine: sender == a.viewer && agency.is_none() || agency.as_deref() == Some(a.viewer),
            visibility,
            created_at: at,
            read_by,
        });
    }
    if newest > 0 {
        mark_read(c, id, a.viewer, newest, a.now)?;
    }
    view.messages = Some(out);
    log_thread_read(c, a, &st, "thread.read")?;
    Ok(Some(Disclosed {
        view,
        items: vec!["messages"],
    }))
}

fn attachments_of(c: &mut DbConn, keys: &Keyring, message: &str) -> Result<Vec<AttachmentView>> {
    let rows: Vec<(String, Vec<u8>, String, i64)> = attachments::table
        .filter(attachments::message_id.eq(message))
        .order(attachments::created_at.asc())
        .select((
            attachments::id,
            attachments::name_enc,
            attachments::mime,
            attachments::size,
        ))
        .load(c)?;
    rows.into_iter()
        .map(|(id, name, mime, size)| {
            Ok(AttachmentView {
                name: keys.open_string("attachments", "name", &id, &name)?,
                id,
                mime,
                size,
            })
        })
        .collect()
}

/// The threads `viewer` may take part in: their own as the seeker, their companies'
/// application threads, the employment threads they follow up, and the threads of the
/// seekers linked to their facilities. Candidates only: each is judged by its standing.
fn candidates(c: &mut DbConn, me: &str) -> Result<Vec<String>> {
    let mut ids: Vec<String> = threads::table
        .filter(threads::seeker_id.eq(me))
        .select(threads::id)
        .load(c)?;
    let companies = org_of_kind(c, me, OrgKind::Company)?;
    if !companies.is_empty() {
        let apps: Vec<String> = threads::table
            .inner_join(
                applications::table.on(threads::application_id.eq(applications::id.nullable())),
            )
            .filter(applications::org_id.eq_any(&companies))
            .select(threads::id)
            .load(c)?;
        ids.extend(apps);
        let jobs: Vec<String> = threads::table
            .inner_join(
                employments::table.on(threads::employment_id.eq(employments::id.nullable())),
            )
            .filter(employments::follow_up_user_id.eq(me))
            .select(threads::id)
            .load(c)?;
        ids.extend(jobs);
    }
    let facilities = org_of_kind(c, me, OrgKind::Facility)?;
    if !facilities.is_empty() {
        use crate::schema::consents;
        let seekers: Vec<String> = consents::table
            .filter(consents::kind.eq(ConsentKind::SupporterLink.as_str()))
            .filter(consents::withdrawn_at.is_null())
            .filter(
                consents::recipient_id.eq_any(
                    facilities
                        .iter()
                        .map(|f| Some(f.clone()))
                        .collect::<Vec<_>>(),
                ),
            )
            .select(consents::user_id)
            .load(c)?;
        let theirs: Vec<String> = threads::table
            .filter(threads::seeker_id.eq_any(&seekers))
            .select(threads::id)
            .load(c)?;
        ids.extend(theirs);
    }
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The threads the viewer takes part in, newest first, each with its header (through
/// `thread_standing`: a thread is listed only where the viewer reads it).
pub(crate) fn threads_of_tx(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    today: Date,
) -> Result<Vec<ThreadView>> {
    let me = a.viewer;
    let ids = candidates(c, me)?;
    let mut out = Vec::new();
    for id in ids {
        let Some(st) = thread_standing(c, me, &id, a.now)? else {
            continue;
        };
        if st.admits(Via::Party) {
            out.push(header(c, keys, a, &st, today)?);
        }
    }
    out.sort_by(|x, y| y.last_at.cmp(&x.last_at).then(x.id.cmp(&y.id)));
    Ok(out)
}

/// The number of unread messages across the viewer's threads (the header's count).
pub(crate) fn unread_total_tx(c: &mut DbConn, viewer: &str, now: i64) -> Result<i64> {
    // Only threads with a message the viewer has not read count.
    let mut ids = candidates(c, viewer)?;
    let read: Vec<(String, i64)> = thread_reads::table
        .filter(thread_reads::user_id.eq(viewer))
        .select((thread_reads::thread_id, thread_reads::read_seq))
        .load(c)?;
    let last: Vec<(String, i64)> = threads::table
        .filter(threads::id.eq_any(&ids))
        .select((threads::id, threads::last_seq))
        .load(c)?;
    ids.retain(|id| {
        let newest = last.iter().find(|(t, _)| t == id).map_or(0, |(_, s)| *s);
        let seen = read.iter().find(|(t, _)| t == id).map_or(0, |(_, s)| *s);
        newest > seen
    });
    let mut n = 0;
    for id in ids {
        if let Some(st) = thread_standing(c, viewer, &id, now)?
            && st.admits(Via::Party)
        {
            n += unread_in(c, &st, viewer)?;
        }
    }
    Ok(n)
}

/// The access-log entry of a read of a thread by anyone but the seeker. The agency's
/// reads name the company (`agency.read.<company id>`): the seeker's privacy page lists
/// them as "the operator read your messages with this company".
fn log_thread_read(
    c: &mut DbConn,
    a: &Access<'_>,
    st: &ThreadStanding,
    action: &str,
) -> Result<()> {
    let Some(reason) = disclosure::thread_read_reason(st.rel) else {
        return Ok(());
    };
    let action = match (st.rel, &st.org) {
        (ThreadRel::Agency, Some(org)) => format!("{AGENCY_READ}{org}"),
        _ => action.to_owned(),
    };
    log_read(c, a, &st.seeker, &action, vec!["messages"], reason)
}

/// The prefix of the access-log action of an agency read (then the company's id).
pub const AGENCY_READ: &str = "agency.read.";

/// An attachment's place in the file store, if the viewer may download it: (blob key,
/// mime, sealed-name opened, the thread) — the caller opens the content with the
/// thread's key.
pub(crate) fn attachment_for(
    c: &mut DbConn,
    keys: &Keyring,
    a: &Access<'_>,
    id: &str,
    via: Via,
) -> Result<Option<(String, String, String, String)>> {
    let row: Option<(String, String, Vec<u8>, String)> = attachments::table
        .inner_join(messages::table)
        .filter(attachments::id.eq(id))
        .select((
            messages::thread_id,
            attachments::mime,
            attachments::name_enc,
            attachments::blob_key,
        ))
        .first(c)
        .optional()?;
    let Some((thread, mime, name, blob)) = row else {
        return Ok(None);
    };
    let Some(st) = thread_standing(c, a.viewer, &thread, a.now)? else {
        return Ok(None);
    };
    if !st.admits(via) {
        return Ok(None);
    }
    // The attachment's message must be one the viewer reads.
    let (vis, agency_visible): (String, bool) = attachments::table
        .inner_join(messages::table)
        .filter(attachments::id.eq(id))
        .select((messages::visibility, messages::agency_visible))
        .first(c)?;
    let reads = st.rights.read_all
        && (vis == Visibility::All.as_str() || st.rights.read_supporter_only)
        && (agency_visible || !st.rights.agency_only);
    if !reads {
        return Ok(None);
    }
    let name = keys.open_string("attachments", "name", id, &name)?;
    log_thread_read(c, a, &st, "attachment.read")?;
    Ok(Some((blob, mime, name, thread)))
}
