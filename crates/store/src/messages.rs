//! Message threads: opening one when its application, employment or facility link
//! begins, sending a message (sealed with the thread's key, attachments sealed into the
//! file store), the seeker's switch that lets the supporter into a job thread, read
//! receipts, and the notices of new messages.
//!
//! Who may do what is the door's (`disclosure::thread::thread_standing` →
//! `domain::disclosure::thread_rights`); every read of messages goes through
//! `disclosure::thread::open_thread_tx`.
use crate::accounts::Ctx;
use crate::audit::own_act;
use crate::disclosure::Access;
use crate::disclosure::Disclosed;
use crate::disclosure::thread::{
    ThreadStanding, ThreadView, Via, attachment_for, mark_read, open_thread_tx, readers,
    thread_standing, threads_of_tx, unread_total_tx,
};
use crate::error::{Result, StoreError};
use crate::files::FileStore;
use crate::schema::{attachments, messages, notifications, threads, users};
use crate::selection::Notice;
use crate::{DbConn, Keyring, Store, new_id};
use diesel::prelude::*;
use domain::ConsentKind;
use domain::disclosure::{ThreadKind, ThreadRel, Visibility};
use domain::profile::Date;
use std::sync::Arc;

/// What a thread belongs to, when it is opened.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner<'a> {
    Application(&'a str),
    Employment(&'a str),
    Support(&'a str),
}

/// Opens the thread of an application, an employment or a facility link (kept if it
/// exists). Inside the transaction that creates what it belongs to.
pub(crate) fn open_thread(
    c: &mut DbConn,
    seeker: &str,
    owner: Owner<'_>,
    now: i64,
) -> Result<String> {
    let existing: Option<String> = match owner {
        Owner::Application(a) => threads::table
            .filter(threads::application_id.eq(a))
            .select(threads::id)
            .first(c)
            .optional()?,
        Owner::Employment(e) => threads::table
            .filter(threads::employment_id.eq(e))
            .select(threads::id)
            .first(c)
            .optional()?,
        Owner::Support(f) => threads::table
            .filter(threads::seeker_id.eq(seeker))
            .filter(threads::facility_id.eq(f))
            .filter(threads::kind.eq(ThreadKind::Support.as_str()))
            .select(threads::id)
            .first(c)
            .optional()?,
    };
    if let Some(id) = existing {
        return Ok(id);
    }
    let (kind, app, emp, fac) = match owner {
        Owner::Application(a) => (ThreadKind::Application, Some(a), None, None),
        Owner::Employment(e) => (ThreadKind::Employment, None, Some(e), None),
        Owner::Support(f) => (ThreadKind::Support, None, None, Some(f)),
    };
    let id = new_id();
    diesel::insert_into(threads::table)
        .values((
            threads::id.eq(&id),
            threads::kind.eq(kind.as_str()),
            threads::seeker_id.eq(seeker),
            threads::application_id.eq(app),
            threads::employment_id.eq(emp),
            threads::facility_id.eq(fac),
            threads::supporter_joins.eq(false),
            threads::last_seq.eq(0i64),
            threads::last_at.eq(now),
            threads::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(id)
}

/// The thread's data key (made with its first message).
fn thread_key(keys: &Keyring, thread: &str, now: i64) -> Result<crate::keys::DataKey> {
    match keys.subject_key(thread) {
        Err(StoreError::KeyErased) => keys.new_subject_key(thread, now),
        r => r,
    }
}

/// A file to send, its type already checked by content (`domain`-free: the web layer
/// checks the magic bytes and the name).
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub name: String,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// Why a message was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageRefused {
    /// No thread the sender takes part in (answer 404).
    NotFound,
    /// The sender reads the thread but writes in it no more (e.g. after 見送り).
    Closed,
    /// Only the seeker's side marks a message "supporter only".
    SupporterOnlyNotAllowed,
    /// No file store is configured (attachments cannot be kept).
    NoFileStore,
    /// The sender's account is suspended.
    Suspended,
}

impl Store {
    /// Sets where attachment contents are kept.
    pub fn with_files(mut self, files: Arc<dyn FileStore>) -> Self {
        self.files = Some(files);
        self
    }

    /// The threads `viewer` takes part in, newest first (headers only).
    pub async fn threads(
        &self,
        viewer: String,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Vec<ThreadView>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "thread_list", &ctx, now);
                threads_of_tx(c, &keys, &a, today)
            })
            .await
    }

    /// One thread with its messages as `viewer` may read them (read receipt moved,
    /// logged; the notices of the thread read), or `None` (answer 404).
    pub async fn open_thread(
        &self,
        viewer: String,
        id: String,
        via: Via,
        ctx: Ctx,
        today: Date,
        now: i64,
    ) -> Result<Option<Disclosed<ThreadView>>> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "thread", &ctx, now);
                let view = open_thread_tx(c, &keys, &a, &id, today, via)?;
                if view.is_some() {
                    crate::alerts::read_notices(c, &viewer, &id, now)?;
                }
                Ok(view)
            })
            .await
    }

    /// The thread of an application, if `viewer` reads it (for the link on the
    /// application's page).
    pub async fn thread_of_application(
        &self,
        viewer: String,
        app: String,
        now: i64,
    ) -> Result<Option<String>> {
        self.db
            .read(move |c| {
                let id: Option<String> = threads::table
                    .filter(threads::application_id.eq(&app))
                    .select(threads::id)
                    .first(c)
                    .optional()?;
                let Some(id) = id else { return Ok(None) };
                Ok(thread_standing(c, &viewer, &id, now)?
                    .filter(|st| st.admits(Via::Party))
                    .map(|_| id))
            })
            .await
    }

    /// Unread messages across the viewer's threads.
    pub async fn unread_messages(&self, viewer: String, now: i64) -> Result<i64> {
        self.db
            .read(move |c| unread_total_tx(c, &viewer, now))
            .await
    }

    /// Unread notifications of the viewer.
    pub async fn unread_notifications(&self, viewer: String) -> Result<i64> {
        self.db
            .read(move |c| {
                Ok(notifications::table
                    .filter(notifications::user_id.eq(&viewer))
                    .filter(notifications::read_at.is_null())
                    .count()
                    .get_result(c)?)
            })
            .await
    }

    /// Sends a message (and its files) to a thread; tells the other readers.
    #[allow(clippy::too_many_arguments)]
    pub async fn send_message(
        &self,
        sender: String,
        thread: String,
        body: String,
        visibility: Visibility,
        files: Vec<NewAttachment>,
        via: Via,
        notice: Notice,
        ctx: Ctx,
        now: i64,
    ) -> Result<std::result::Result<String, MessageRefused>> {
        let keys = self.keys.clone();
        let store_files = self.files.clone();
        self.db
            .write(move |c| {
                let Some(st) = thread_standing(c, &sender, &thread, now)? else {
                    return Ok(Err(MessageRefused::NotFound));
                };
                if !st.admits(via) {
                    return Ok(Err(MessageRefused::NotFound));
                }
                if !st.rights.write {
                    return Ok(Err(MessageRefused::Closed));
                }
                if visibility == Visibility::SupporterOnly && !st.rights.write_supporter_only {
                    return Ok(Err(MessageRefused::SupporterOnlyNotAllowed));
                }
                let suspended: Option<i64> = users::table
                    .filter(users::id.eq(&sender))
                    .select(users::suspended_at)
                    .first(c)?;
                if suspended.is_some() {
                    return Ok(Err(MessageRefused::Suspended));
                }
                if !files.is_empty() && store_files.is_none() {
                    return Ok(Err(MessageRefused::NoFileStore));
                }
                let agency = (via == Via::Agency).then_some(sender.as_str());
                let id = post(c, &keys, &st, &sender, agency, &body, visibility, now)?;
                let key = thread_key(&keys, &thread, now)?;
                for f in &files {
                    let aid = new_id();
                    let blob = new_id();
                    let sealed = key.seal("attachments", "content", &aid, &f.bytes)?;
                    if let Some(store) = &store_files {
                        store
                            .put(&blob, &sealed)
                            .map_err(|_| StoreError::Crypto("file store write"))?;
                    }
                    diesel::insert_into(attachments::table)
                        .values((
                            attachments::id.eq(&aid),
                            attachments::message_id.eq(&id),
                            attachments::name_enc.eq(key.seal_str(
                                "attachments",
                                "name",
                                &aid,
                                &f.name,
                            )?),
                            attachments::mime.eq(f.mime),
                            attachments::size.eq(f.bytes.len() as i64),
                            attachments::blob_key.eq(&blob),
                            attachments::created_at.eq(now),
                        ))
                        .execute(c)?;
                }
                tell_readers(c, &keys, &st, &sender, visibility, &notice, now)?;
                // Who writes in a thread has read it: its notices to them are read.
                crate::alerts::read_notices(c, &sender, &thread, now)?;
                own_act(c, &sender, "message.send".into(), &ctx, now)?;
                Ok(Ok(id))
            })
            .await
    }

    /// The seeker lets the linked supporter into a job thread, or takes them out.
    /// False: no such thread of theirs.
    pub async fn set_thread_supporter(
        &self,
        seeker: String,
        thread: String,
        joins: bool,
        ctx: Ctx,
        now: i64,
    ) -> Result<bool> {
        self.db
            .write(move |c| {
                let Some(st) = thread_standing(c, &seeker, &thread, now)? else {
                    return Ok(false);
                };
                if !st.rights.manage_supporter {
                    return Ok(false);
                }
                diesel::update(threads::table.filter(threads::id.eq(&thread)))
                    .set(threads::supporter_joins.eq(joins))
                    .execute(c)?;
                own_act(
                    c,
                    &seeker,
                    format!("thread.supporter.{}", if joins { "join" } else { "leave" }),
                    &ctx,
                    now,
                )?;
                Ok(true)
            })
            .await
    }

    /// An attachment the viewer may download: (name, mime, content), or `None`.
    pub async fn attachment(
        &self,
        viewer: String,
        id: String,
        via: Via,
        ctx: Ctx,
        now: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        let keys = self.keys.clone();
        let files = self.files.clone();
        self.db
            .write(move |c| {
                let a = Access::new(&viewer, "attachment", &ctx, now);
                let Some((blob, mime, name, _thread)) = attachment_for(c, &keys, &a, &id, via)?
                else {
                    return Ok(None);
                };
                let Some(files) = files else {
                    return Ok(None);
                };
                let sealed = files
                    .get(&blob)
                    .map_err(|_| StoreError::Crypto("file store read"))?;
                let bytes = keys.open("attachments", "content", &id, &sealed)?;
                Ok(Some((name, mime, bytes)))
            })
            .await
    }
}

/// Writes one message into the thread (the next seq), sealed with the thread's key;
/// the sender has read up to it. `agency`: the agency staff member writing in the
/// company's name (marked on the message, so that every party sees it was the agency).
#[allow(clippy::too_many_arguments)]
pub(crate) fn post(
    c: &mut DbConn,
    keys: &Keyring,
    st: &ThreadStanding,
    sender: &str,
    agency: Option<&str>,
    body: &str,
    visibility: Visibility,
    now: i64,
) -> Result<String> {
    // The increment first: it holds the thread's row until the commit, so two messages
    // sent at once get two places (PostgreSQL); SQLite writes one at a time anyway.
    diesel::update(threads::table.filter(threads::id.eq(&st.id)))
        .set((
            threads::last_seq.eq(threads::last_seq + 1),
            threads::last_at.eq(now),
        ))
        .execute(c)?;
    let seq: i64 = threads::table
        .filter(threads::id.eq(&st.id))
        .select(threads::last_seq)
        .first(c)?;
    // The agency reads what the company's side writes, and what the seeker's side
    // writes while the seeker's consent for this company stands or before it was ever
    // given (the consent covers "the messages with this company"): never what was
    // written after a withdrawal, nor what is for the supporter only.
    let agency_visible = visibility == Visibility::All
        && match (st.rel, &st.org) {
            (ThreadRel::Company | ThreadRel::CompanyEnded | ThreadRel::Agency, _) => true,
            (_, Some(org)) => !withdrawn_agency_consent(c, &st.seeker, org)?,
            (_, None) => false,
        };
    let id = new_id();
    let key = thread_key(keys, &st.id, now)?;
    diesel::insert_into(messages::table)
        .values((
            messages::id.eq(&id),
            messages::thread_id.eq(&st.id),
            messages::seq.eq(seq),
            messages::sender_id.eq(sender),
            messages::visibility.eq(visibility.as_str()),
            messages::body_enc.eq(key.seal_str("messages", "body", &id, body)?),
            messages::agency_user_id.eq(agency),
            messages::agency_visible.eq(agency_visible),
            messages::created_at.eq(now),
        ))
        .execute(c)?;
    mark_read(c, &st.id, agency.unwrap_or(sender), seq, now)?;
    Ok(id)
}

/// Whether the seeker withdrew the agency consent for `org` and has not given it again.
fn withdrawn_agency_consent(c: &mut DbConn, seeker: &str, org: &str) -> Result<bool> {
    use crate::schema::consents;
    let k = ConsentKind::AgencyMessageAccess;
    if crate::consents::is_active_for(c, seeker, k, Some(org), None)? {
        return Ok(false);
    }
    let withdrawn: i64 = consents::table
        .filter(consents::user_id.eq(seeker))
        .filter(consents::kind.eq(k.as_str()))
        .filter(consents::recipient_id.eq(org))
        .filter(consents::withdrawn_at.is_not_null())
        .count()
        .get_result(c)?;
    Ok(withdrawn > 0)
}

/// Tells the thread's other readers of a new message: one notice per thread until they
/// have read it (a second message into an unread thread adds no mail).
pub(crate) fn tell_readers(
    c: &mut DbConn,
    keys: &Keyring,
    st: &ThreadStanding,
    sender: &str,
    visibility: Visibility,
    notice: &Notice,
    now: i64,
) -> Result<()> {
    let path = format!("/messages/{}", st.id);
    for user in readers(c, st, visibility)? {
        if user == sender {
            continue;
        }
        let waiting: i64 = notifications::table
            .filter(notifications::user_id.eq(&user))
            .filter(notifications::ref_id.eq(&st.id))
            .filter(notifications::kind.eq("message_new"))
            .filter(notifications::read_at.is_null())
            .count()
            .get_result(c)?;
        if waiting == 0 {
            crate::notices::tell(c, keys, &user, "message_new", &st.id, &path, notice, now)?;
        }
    }
    Ok(())
}
