//! Storage: one Diesel schema over SQLite or PostgreSQL, field encryption with a data
//! key per subject, the hash-chained audit log and the mail outbox. Knows nothing of HTTP.
//!
//! **`disclosure` is the one door**: every read of a person's data by anyone else goes
//! through it (facts → `domain::disclosure` → view + access log + provision record, in
//! one transaction). The database and the keys are private to this crate.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

pub mod accessibility;
pub mod accounts;
pub mod agency;
pub mod alerts;
pub mod audit;
pub mod backup;
pub mod billing;
pub mod consents;
pub mod console;
pub mod db;
pub mod disclosure;
pub mod drafts;
pub mod email_checks;
pub mod erasure;
pub mod error;
pub mod factors;
pub mod files;
pub mod hiring;
pub mod incidents;
pub mod invitations;
pub mod jobs;
pub mod keys;
pub mod messages;
pub mod notices;
pub mod orgs;
pub mod outbox;
pub mod passwords;
pub mod policies;
pub mod profiles;
pub mod reports;
pub mod retention;
pub mod rights;
pub mod schema;
pub mod selection;
pub mod sessions;
pub mod staff;
pub mod statistics;
pub mod support;
pub mod tools;

pub use db::{Backend, Db, DbConn};
pub use error::StoreError;
pub use keys::{KeyStore, Keyring, MasterKey};

/// The store: the database and the keys that open its encrypted fields.
#[derive(Clone)]
pub struct Store {
    db: Db,
    keys: std::sync::Arc<Keyring>,
    /// Bumped after every committed change to what the job listings show (postings,
    /// company profiles, verification): the store announces changes, so no handler has
    /// to remember to refresh a search index.
    listings_version: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Where sealed attachment contents are kept (`with_files`).
    files: Option<std::sync::Arc<dyn files::FileStore>>,
}

impl Store {
    pub fn new(db: Db, keys: Keyring) -> Self {
        Self {
            db,
            keys: std::sync::Arc::new(keys),
            listings_version: std::sync::Arc::new(std::sync::atomic::AtomicU64::new(1)),
            files: None,
        }
    }

    /// The number of listing changes this node has committed (see `listings_version`).
    pub fn listings_version(&self) -> u64 {
        self.listings_version
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// A write that changes what the listings show; announced once committed.
    pub(crate) async fn write_listing<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, StoreError> + Send + 'static,
    {
        let r = self.db.write(f).await;
        if r.is_ok() {
            self.listings_version
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        }
        r
    }
}

/// A fresh random id (UUID v4 text).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A fresh secret token (256 bits, URL-safe) and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    use base64::Engine;
    use rand_core::RngCore;
    let mut bytes = [0u8; 32];
    rand_core::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

/// Tokens are stored only as their SHA-256, so a database copy cannot be used to log in.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(token.as_bytes()))
}
