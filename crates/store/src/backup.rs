//! Backups: the data without any key, and the key store apart (see `keys`). A copy of
//! the data opens nothing without the key store; a copy of the key store is kept for a
//! short period only, and restoring it never brings back an erased subject's key.
use crate::db::{Db, execute_raw};
use crate::error::{Result, StoreError};
use crate::{KeyStore, Store};
use std::path::Path;

/// `VACUUM INTO` a new file: a consistent copy of a SQLite database while it is in use.
fn vacuum_into(db: &Db, path: &Path) -> Result<()> {
    let p = path
        .to_str()
        .ok_or_else(|| StoreError::Migration("backup path is not UTF-8".into()))?;
    if path.exists() {
        return Err(StoreError::Migration(format!("{p} exists already")));
    }
    db.read_blocking(|c| execute_raw(c, &format!("VACUUM INTO '{}'", p.replace('\'', "''"))))
}

impl Store {
    /// SQLite: writes a consistent copy of the data to `path`. It holds no data key
    /// (the key store is a database apart; `subject_keys` here is checked empty).
    pub fn backup_data_sqlite(&self, path: &Path) -> Result<()> {
        let stray = self.keys.key_store().adopt_legacy(&self.db)?;
        if stray > 0 {
            tracing::warn!(
                keys = stray,
                "moved stray data keys into the key store before the backup"
            );
        }
        vacuum_into(&self.db, path)
    }

    /// The key store (for backing it up).
    pub fn key_store(&self) -> &KeyStore {
        self.keys.key_store()
    }

    /// Puts back the keys of a key backup that the live key store lacks, except those
    /// of subjects erased since (by either list of erased subjects).
    pub fn restore_keys_from(&self, backup: &KeyStore) -> Result<crate::keys::Restored> {
        self.keys.key_store().restore_from(backup, &self.db)
    }
}

impl KeyStore {
    /// SQLite: writes a consistent copy of the key store to `path` (wrapped keys only:
    /// useless without the master key).
    pub fn backup_sqlite(&self, path: &Path) -> Result<()> {
        vacuum_into(self.db(), path)
    }
}
