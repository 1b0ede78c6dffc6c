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
//! column does not open. Deleting the subject's key row makes all its fields unreadable,
//! in every backup too, since backups hold only the wrapped key and the master key is
//! never stored in the database.
use crate::DbConn;
use crate::error::{Result, StoreError};
use crate::schema::subject_keys;
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

/// The master key in use plus older ones still needed to unwrap keys wrapped before a rotation.
#[derive(Debug)]
pub struct Keyring {
    current: MasterKey,
    older: Vec<MasterKey>,
    blind_key: [u8; 32],
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
    pub fn new(current: MasterKey, older: Vec<MasterKey>) -> Self {
        let blind_key = current.derive(b"tsunagu blind index v1");
        Self {
            current,
            older,
            blind_key,
        }
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

    /// Creates and stores a new data key for `subject_id`.
    pub fn new_subject_key(
        &self,
        conn: &mut DbConn,
        subject_id: &str,
        now: i64,
    ) -> Result<DataKey> {
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
        diesel::insert_into(subject_keys::table)
            .values((
                subject_keys::id.eq(&key_id),
                subject_keys::subject_id.eq(subject_id),
                subject_keys::master_key_id.eq(self.current.id()),
                subject_keys::wrapped.eq(wrapped),
                subject_keys::created_at.eq(now),
            ))
            .execute(conn)?;
        Ok(DataKey {
            id,
            cipher: XChaCha20Poly1305::new(&raw.into()),
        })
    }

    fn load_key(&self, conn: &mut DbConn, key_id: &str) -> Result<DataKey> {
        let row: Option<(String, String, Vec<u8>)> = subject_keys::table
            .filter(subject_keys::id.eq(key_id))
            .select((
                subject_keys::subject_id,
                subject_keys::master_key_id,
                subject_keys::wrapped,
            ))
            .first(conn)
            .optional()?;
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
    pub fn subject_key(&self, conn: &mut DbConn, subject_id: &str) -> Result<DataKey> {
        let key_id: Option<String> = subject_keys::table
            .filter(subject_keys::subject_id.eq(subject_id))
            .order(subject_keys::created_at.desc())
            .select(subject_keys::id)
            .first(conn)
            .optional()?;
        self.load_key(conn, &key_id.ok_or(StoreError::KeyErased)?)
    }

    /// Decrypts a sealed field; the key id inside the ciphertext says which key opens it.
    pub fn open(
        &self,
        conn: &mut DbConn,
        table: &str,
        column: &str,
        row: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>> {
        if sealed.len() < 1 + KEY_ID_LEN + NONCE_LEN || sealed[0] != FORMAT_V1 {
            return Err(StoreError::Crypto("bad ciphertext header"));
        }
        let key_id = uuid::Uuid::from_slice(&sealed[1..1 + KEY_ID_LEN])
            .map_err(|_| StoreError::Crypto("key id"))?;
        let key = self.load_key(conn, &key_id.to_string())?;
        let nonce = &sealed[1 + KEY_ID_LEN..1 + KEY_ID_LEN + NONCE_LEN];
        let ct = &sealed[1 + KEY_ID_LEN + NONCE_LEN..];
        let aad = aad(table, column, row);
        key.cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| StoreError::Crypto("open"))
    }

    pub fn open_string(
        &self,
        conn: &mut DbConn,
        table: &str,
        column: &str,
        row: &str,
        sealed: &[u8],
    ) -> Result<String> {
        String::from_utf8(self.open(conn, table, column, row, sealed)?)
            .map_err(|_| StoreError::Crypto("utf-8"))
    }

    /// Erases every data key of a subject: their encrypted data becomes unreadable.
    pub fn erase_subject(&self, conn: &mut DbConn, subject_id: &str) -> Result<usize> {
        Ok(
            diesel::delete(subject_keys::table.filter(subject_keys::subject_id.eq(subject_id)))
                .execute(conn)?,
        )
    }
}
