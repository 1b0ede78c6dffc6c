//! Field encryption.
//!
//! Each subject (a user, an invitation, a queued mail) has its own random 256-bit data
//! key, stored only wrapped (encrypted) by the master key. Each sealed field is
//!
//! ```text
//! 0x01 | data-key id (16 bytes) | nonce (24 bytes) | XChaCha20-Poly1305 ciphertext
//! ```
//!
//! with associated data `table.column.row-id`, so a ciphertext moved to another row or
//! column does not open.
//!
//! **The keys live apart from the data**, in the [`KeyStore`]: its own database (a
//! SQLite file beside the data, or a PostgreSQL database of its own). A backup of the
//! data (`tsunagu backup`) therefore holds no key at all, and the key store is backed up
//! apart, for a short period only. Erasing a subject deletes their key rows from the key
//! store and lists the subject as erased, both there and beside the data; restoring a
//! key backup skips every erased subject. So after an erasure no backup of the data,
//! whenever it was taken, opens that person's fields again. The master key is never
//! stored in either database.
use crate::DbConn;
use crate::db::{Db, Schema};
use crate::error::{Result, StoreError};
use crate::schema::{erased_subjects, subject_keys};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use rand_core::RngCore;
use sha2::{Digest, Sha256};

const FORMAT_V1: u8 = 1;
const NONCE_LEN: usize = 24;
const KEY_ID_LEN: usize = 16;

/// The master key (32 bytes). Prints as `***`.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

impl MasterKey {
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self { bytes }
    }
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut bytes);
        Self { bytes }
    }
    /// Parses 64 hex digits or base64 (standard or URL-safe) of 32 bytes.
    pub fn parse(text: &str) -> Option<Self> {
        use base64::Engine;
        let t = text.trim();
        let decoded = hex::decode(t)
            .ok()
            .or_else(|| base64::engine::general_purpose::STANDARD.decode(t).ok())
            .or_else(|| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(t)
                    .ok()
            })?;
        let bytes: [u8; 32] = decoded.try_into().ok()?;
        Some(Self { bytes })
    }
    pub fn to_hex(&self) -> String {
        hex::encode(self.bytes)
    }
    /// A public name for this key (not secret): lets wrapped keys say which master wrapped them.
    pub fn id(&self) -> String {
        let d = Sha256::digest([b"tsunagu master key id".as_slice(), &self.bytes].concat());
        hex::encode(&d[..8])
    }
    /// A sub-key for one purpose: SHA-256 over a label and the (uniformly random) master key.
    fn derive(&self, label: &[u8]) -> [u8; 32] {
        Sha256::digest([label, &[0u8], &self.bytes].concat()).into()
    }
}

/// The database the data keys live in, apart from the data (same tables on both
/// backends: `subject_keys`, `erased_subjects`).
#[derive(Clone)]
pub struct KeyStore {
    db: Db,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyStore")
    }
}

/// What restoring a key backup did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Restored {
    /// Keys the live key store lacked and got back.
    pub restored: usize,
    /// Keys of erased subjects, left out.
    pub skipped_erased: usize,
    /// Keys the live key store already holds.
    pub present: usize,
}

impl KeyStore {
    /// Opens (and migrates) the key store at `url`.
    pub fn open(url: &str, pool_size: u32) -> Result<Self> {
        Ok(Self {
            db: Db::open_schema(url, pool_size, Schema::Keys)?,
        })
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Moves keys kept beside the data by an earlier version into the key store, then
    /// deletes them there. Returns how many moved.
    pub fn adopt_legacy(&self, data: &Db) -> Result<usize> {
        let rows = data.read_blocking(load_keys)?;
        if rows.is_empty() {
            return Ok(0);
        }
        self.db.write_blocking(|k| {
            for row in &rows {
                insert_if_absent(k, row)?;
            }
            Ok(())
        })?;
        let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
        data.write_blocking(|c| {
            for chunk in ids.chunks(500) {
                diesel::delete(subject_keys::table.filter(subject_keys::id.eq_any(chunk)))
                    .execute(c)?;
            }
            Ok(())
        })?;
        Ok(ids.len())
    }

    /// Puts back the keys of a key backup (another key store, e.g. a copy made by
    /// `tsunagu backup --keys`) that the live store lacks, except those of subjects
    /// erased since, by the live key store's list or by the data's (`data`).
    pub fn restore_from(&self, backup: &KeyStore, data: &Db) -> Result<Restored> {
        let rows = backup.db.read_blocking(load_keys)?;
        let erased_in_data = data.read_blocking(erased_list)?;
        self.db.write_blocking(|k| {
            let erased_here = erased_list(k)?;
            let mut out = Restored::default();
            for row in &rows {
                if erased_here.contains(&row.1) || erased_in_data.contains(&row.1) {
                    out.skipped_erased += 1;
                } else if insert_if_absent(k, row)? {
                    out.restored += 1;
                } else {
                    out.present += 1;
                }
            }
            Ok(out)
        })
    }

    /// How many data keys the store holds (`tsunagu backup --keys` reports it).
    pub fn key_count(&self) -> Result<i64> {
        self.db
            .read_blocking(|k| Ok(subject_keys::table.count().get_result(k)?))
    }
}

/// A stored key row: id, subject, master key id, wrapped key, created.
type KeyRow = (String, String, String, Vec<u8>, i64);

/// Every key row of a key table (the key store's, a key backup's, or a legacy one
/// beside the data).
fn load_keys(c: &mut DbConn) -> Result<Vec<KeyRow>> {
    Ok(subject_keys::table
        .select((
            subject_keys::id,
            subject_keys::subject_id,
            subject_keys::master_key_id,
            subject_keys::wrapped,
            subject_keys::created_at,
        ))
        .load(c)?)
}

/// The subjects listed as erased.
fn erased_list(c: &mut DbConn) -> Result<std::collections::HashSet<String>> {
    Ok(erased_subjects::table
        .select(erased_subjects::subject_id)
        .load::<String>(c)?
        .into_iter()
        .collect())
}

/// Inserts a key row unless its id is there already; whether it inserted.
fn insert_if_absent(k: &mut DbConn, (id, subject, master, wrapped, at): &KeyRow) -> Result<bool> {
    let have: i64 = subject_keys::table
        .filter(subject_keys::id.eq(id))
        .count()
        .get_result(k)?;
    if have > 0 {
        return Ok(false);
    }
    insert_key(k, id, subject, master, wrapped, *at)?;
    Ok(true)
}

fn insert_key(
    k: &mut DbConn,
    id: &str,
    subject: &str,
    master: &str,
    wrapped: &[u8],
    at: i64,
) -> Result<()> {
    diesel::insert_into(subject_keys::table)
        .values((
            subject_keys::id.eq(id),
            subject_keys::subject_id.eq(subject),
            subject_keys::master_key_id.eq(master),
            subject_keys::wrapped.eq(wrapped),
            subject_keys::created_at.eq(at),
        ))
        .execute(k)?;
    Ok(())
}

/// The master key in use plus older ones still needed to unwrap keys wrapped before a
/// rotation, and the key store the wrapped keys live in.
#[derive(Debug)]
pub struct Keyring {
    current: MasterKey,
    older: Vec<MasterKey>,
    blind_key: [u8; 32],
    store: KeyStore,
}

/// An unwrapped data key of one subject.
pub struct DataKey {
    id: uuid::Uuid,
    cipher: XChaCha20Poly1305,
}

impl DataKey {
    /// Encrypts `plain` bound to the place it is stored.
    pub fn seal(&self, table: &str, column: &str, row: &str, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        rand_core::OsRng.fill_bytes(&mut nonce);
        let aad = aad(table, column, row);
        let ct = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Crypto("seal"))?;
        let mut out = Vec::with_capacity(1 + KEY_ID_LEN + NONCE_LEN + ct.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(self.id.as_bytes());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    pub fn seal_str(&self, table: &str, column: &str, row: &str, plain: &str) -> Result<Vec<u8>> {
        self.seal(table, column, row, plain.as_bytes())
    }

    pub fn id(&self) -> String {
        self.id.to_string()
    }
}

fn aad(table: &str, column: &str, row: &str) -> Vec<u8> {
    format!("{table}.{column}.{row}").into_bytes()
}

impl Keyring {
    pub fn new(current: MasterKey, older: Vec<MasterKey>, store: KeyStore) -> Self {
        let blind_key = current.derive(b"tsunagu blind index v1");
        Self {
            current,
            older,
            blind_key,
            store,
        }
    }

    pub fn key_store(&self) -> &KeyStore {
        &self.store
    }

    /// Keyed hash for equality lookups of encrypted values (e.g. login by email).
    pub fn blind_index(&self, purpose: &str, value: &str) -> Result<String> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.blind_key)
            .map_err(|_| StoreError::Crypto("hmac key"))?;
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    fn master(&self, id: &str) -> Option<&MasterKey> {
        std::iter::once(&self.current)
            .chain(self.older.iter())
            .find(|k| k.id() == id)
    }

    fn wrap_aad(subject_id: &str, key_id: &str) -> Vec<u8> {
        format!("subject_key.{subject_id}.{key_id}").into_bytes()
    }

    /// Creates and stores a new data key for `subject_id`. The key store commits it
    /// before the caller's data is written with it (a key without data is harmless; data
    /// without its key would be lost).
    pub fn new_subject_key(&self, subject_id: &str, now: i64) -> Result<DataKey> {
        let mut raw = [0u8; 32];
        rand_core::OsRng.fill_bytes(&mut raw);
        let id = uuid::Uuid::new_v4();
        let key_id = id.to_string();
        let mut nonce = [0u8; NONCE_LEN];
        rand_core::OsRng.fill_bytes(&mut nonce);
        let master = XChaCha20Poly1305::new(&self.current.bytes.into());
        let aad = Self::wrap_aad(subject_id, &key_id);
        let ct = master
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &raw,
                    aad: &aad,
                },
            )
            .map_err(|_| StoreError::Crypto("wrap"))?;
        let wrapped = [nonce.as_slice(), &ct].concat();
        let master_id = self.current.id();
        self.store
            .db
            .write_blocking(|k| insert_key(k, &key_id, subject_id, &master_id, &wrapped, now))?;
        Ok(DataKey {
            id,
            cipher: XChaCha20Poly1305::new(&raw.into()),
        })
    }

    fn load_key(&self, key_id: &str) -> Result<DataKey> {
        let row: Option<(String, String, Vec<u8>)> = self.store.db.read_blocking(|k| {
            Ok(subject_keys::table
                .filter(subject_keys::id.eq(key_id))
                .select((
                    subject_keys::subject_id,
                    subject_keys::master_key_id,
                    subject_keys::wrapped,
                ))
                .first(k)
                .optional()?)
        })?;
        let (subject_id, master_id, wrapped) = row.ok_or(StoreError::KeyErased)?;
        let master = self
            .master(&master_id)
            .ok_or(StoreError::Crypto("unknown master key"))?;
        if wrapped.len() < NONCE_LEN {
            return Err(StoreError::Crypto("wrapped key too short"));
        }
        let (nonce, ct) = wrapped.split_at(NONCE_LEN);
        let aad = Self::wrap_aad(&subject_id, key_id);
        let raw = XChaCha20Poly1305::new(&master.bytes.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| StoreError::Crypto("unwrap"))?;
        let raw: [u8; 32] = raw
            .try_into()
            .map_err(|_| StoreError::Crypto("data key length"))?;
        let id = uuid::Uuid::parse_str(key_id).map_err(|_| StoreError::Crypto("key id"))?;
        Ok(DataKey {
            id,
            cipher: XChaCha20Poly1305::new(&raw.into()),
        })
    }

    /// The current data key of a subject (the newest one).
    pub fn subject_key(&self, subject_id: &str) -> Result<DataKey> {
        let key_id: Option<String> = self.store.db.read_blocking(|k| {
            Ok(subject_keys::table
                .filter(subject_keys::subject_id.eq(subject_id))
                .order(subject_keys::created_at.desc())
                .select(subject_keys::id)
                .first(k)
                .optional()?)
        })?;
        self.load_key(&key_id.ok_or(StoreError::KeyErased)?)
    }

    /// Decrypts a sealed field; the key id inside the ciphertext says which key opens it.
    pub fn open(&self, table: &str, column: &str, row: &str, sealed: &[u8]) -> Result<Vec<u8>> {
        if sealed.len() < 1 + KEY_ID_LEN + NONCE_LEN || sealed[0] != FORMAT_V1 {
            return Err(StoreError::Crypto("bad ciphertext header"));
        }
        let key_id = uuid::Uuid::from_slice(&sealed[1..1 + KEY_ID_LEN])
            .map_err(|_| StoreError::Crypto("key id"))?;
        let key = self.load_key(&key_id.to_string())?;
        let nonce = &sealed[1 + KEY_ID_LEN..1 + KEY_ID_LEN + NONCE_LEN];
        let ct = &sealed[1 + KEY_ID_LEN + NONCE_LEN..];
        let aad = aad(table, column, row);
        key.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| StoreError::Crypto("open"))
    }

    pub fn open_string(
        &self,
        table: &str,
        column: &str,
        row: &str,
        sealed: &[u8],
    ) -> Result<String> {
        String::from_utf8(self.open(table, column, row, sealed)?)
            .map_err(|_| StoreError::Crypto("utf-8"))
    }

    /// Erases every data key of a subject: their encrypted data becomes unreadable, in
    /// the live data and in every backup of it. The subject is listed as erased in the
    /// key store and, inside the caller's transaction (`conn`), beside the data. The key
    /// store's deletion commits at once: an erasure is never undone, even when the
    /// caller's transaction then fails.
    pub fn erase_subject(&self, conn: &mut DbConn, subject_id: &str, now: i64) -> Result<usize> {
        let n = self.store.db.write_blocking(|k| {
            let n =
                diesel::delete(subject_keys::table.filter(subject_keys::subject_id.eq(subject_id)))
                    .execute(k)?;
            mark_erased(k, subject_id, now)?;
            Ok(n)
        })?;
        mark_erased(conn, subject_id, now)?;
        Ok(n)
    }
}

/// Lists `subject` as erased (once; a second erasure, also by another node at the same
/// moment, keeps the first time).
fn mark_erased(c: &mut DbConn, subject: &str, now: i64) -> Result<()> {
    use diesel::sql_types::{BigInt, Text};
    diesel::sql_query(
        "INSERT INTO erased_subjects (subject_id, erased_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind::<Text, _>(subject)
    .bind::<BigInt, _>(now)
    .execute(c)?;
    Ok(())
}
