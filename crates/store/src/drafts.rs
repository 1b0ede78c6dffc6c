//! Drafts of forms, kept on the server so that nothing typed is lost: the steps of a
//! flow (registration one question per page, a profile section before it is saved) and
//! a form that arrived after its session had timed out. A draft is the form's fields as
//! sent, sealed with a key of its own; deleting it erases that key. Drafts expire.
use crate::error::{Result, StoreError};
use crate::schema::form_drafts;
use crate::{Store, new_id};
use diesel::prelude::*;

/// A form's fields, in the order they were sent (a field may repeat).
pub type Pairs = Vec<(String, String)>;

/// Whose draft it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A signed-in user, by id.
    User(String),
    /// A visitor, by the hash of the random token in their draft cookie.
    Visitor(String),
}

impl Owner {
    fn key(&self) -> String {
        match self {
            Self::User(id) => format!("u:{id}"),
            Self::Visitor(hash) => format!("v:{hash}"),
        }
    }
}

const TABLE: &str = "form_drafts";
const COLUMN: &str = "data";

impl Store {
    /// Saves (or replaces) the draft of `flow`, to be kept until `expires_at`.
    pub async fn draft_save(
        &self,
        owner: Owner,
        flow: String,
        data: Pairs,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let keys = self.keys.clone();
        let owner = owner.key();
        self.db
            .write(move |c| {
                let json = serde_json::to_vec(&data).map_err(|_| StoreError::Crypto("json"))?;
                let existing: Option<String> = form_drafts::table
                    .filter(form_drafts::owner.eq(&owner))
                    .filter(form_drafts::flow.eq(&flow))
                    .select(form_drafts::id)
                    .first(c)
                    .optional()?;
                match existing {
                    Some(id) => {
                        let key = keys.subject_key(&id)?;
                        let sealed = key.seal(TABLE, COLUMN, &id, &json)?;
                        diesel::update(form_drafts::table.filter(form_drafts::id.eq(&id)))
                            .set((
                                form_drafts::data_enc.eq(sealed),
                                form_drafts::updated_at.eq(now),
                                form_drafts::expires_at.eq(expires_at),
                            ))
                            .execute(c)?;
                    }
                    None => {
                        let id = new_id();
                        let key = keys.new_subject_key(&id, now)?;
                        let sealed = key.seal(TABLE, COLUMN, &id, &json)?;
                        diesel::insert_into(form_drafts::table)
                            .values((
                                form_drafts::id.eq(&id),
                                form_drafts::owner.eq(&owner),
                                form_drafts::flow.eq(&flow),
                                form_drafts::data_enc.eq(sealed),
                                form_drafts::updated_at.eq(now),
                                form_drafts::expires_at.eq(expires_at),
                            ))
                            .execute(c)?;
                    }
                }
                Ok(())
            })
            .await
    }

    /// The draft of `flow`, if there is one that has not expired.
    pub async fn draft_load(&self, owner: Owner, flow: String, now: i64) -> Result<Option<Pairs>> {
        let keys = self.keys.clone();
        let owner = owner.key();
        self.db
            .read(move |c| Ok(find(c, &keys, &owner, &flow, now)?.map(|(_, d)| d)))
            .await
    }

    /// Deletes the draft of `flow` and erases its key.
    pub async fn draft_delete(&self, owner: Owner, flow: String) -> Result<()> {
        let keys = self.keys.clone();
        let owner = owner.key();
        self.db
            .write(move |c| {
                let ids: Vec<String> = form_drafts::table
                    .filter(form_drafts::owner.eq(&owner))
                    .filter(form_drafts::flow.eq(&flow))
                    .select(form_drafts::id)
                    .load(c)?;
                delete_all(
                    c,
                    &keys,
                    &ids,
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_secs() as i64),
                )
            })
            .await
    }

    /// The draft of `flow`, deleted as it is read, in one transaction (a form restored
    /// once).
    pub async fn draft_take(&self, owner: Owner, flow: String, now: i64) -> Result<Option<Pairs>> {
        let keys = self.keys.clone();
        let owner = owner.key();
        self.db
            .write(move |c| {
                let found = find(c, &keys, &owner, &flow, now)?;
                if let Some((id, _)) = &found {
                    delete_all(c, &keys, std::slice::from_ref(id), now)?;
                }
                Ok(found.map(|(_, d)| d))
            })
            .await
    }

    /// Deletes every expired draft (the worker's sweep). Returns how many.
    pub async fn drafts_purge(&self, now: i64) -> Result<usize> {
        let keys = self.keys.clone();
        self.db
            .write(move |c| {
                let ids: Vec<String> = form_drafts::table
                    .filter(form_drafts::expires_at.le(now))
                    .select(form_drafts::id)
                    .load(c)?;
                delete_all(c, &keys, &ids, now)?;
                Ok(ids.len())
            })
            .await
    }
}

/// The unexpired draft of (owner, flow), opened: its id and fields.
fn find(
    c: &mut crate::DbConn,
    keys: &crate::Keyring,
    owner: &str,
    flow: &str,
    now: i64,
) -> Result<Option<(String, Pairs)>> {
    let row: Option<(String, Vec<u8>)> = form_drafts::table
        .filter(form_drafts::owner.eq(owner))
        .filter(form_drafts::flow.eq(flow))
        .filter(form_drafts::expires_at.gt(now))
        .select((form_drafts::id, form_drafts::data_enc))
        .first(c)
        .optional()?;
    let Some((id, enc)) = row else {
        return Ok(None);
    };
    let plain = keys.open(TABLE, COLUMN, &id, &enc)?;
    let data = serde_json::from_slice(&plain).map_err(|_| StoreError::Crypto("json"))?;
    Ok(Some((id, data)))
}

fn delete_all(
    c: &mut crate::DbConn,
    keys: &crate::Keyring,
    ids: &[String],
    now: i64,
) -> Result<()> {
    for id in ids {
        keys.erase_subject(c, id, now)?;
    }
    diesel::delete(form_drafts::table.filter(form_drafts::id.eq_any(ids))).execute(c)?;
    Ok(())
}
