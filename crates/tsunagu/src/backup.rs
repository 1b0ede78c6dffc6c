//! `tsunagu backup` and `tsunagu restore-keys`: the data is backed up without keys, the
//! key store apart and for a short period only (`key_backup_days`), so that an erasure
//! reaches every backup (see `store::keys`).
use crate::config::Config;
use std::path::{Path, PathBuf};
use std::process::Command;
use store::{Backend, KeyStore, Store};

fn stamp() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// `pg_dump` of one database into `file` (custom format), leaving out `exclude_data`.
fn pg_dump(url: &str, file: &Path, exclude_data: Option<&str>) -> Result<(), String> {
    let mut cmd = Command::new("pg_dump");
    cmd.arg("--format=custom").arg("--file").arg(file);
    if let Some(t) = exclude_data {
        cmd.arg(format!("--exclude-table-data={t}"));
    }
    let status =
        cmd.arg("--dbname").arg(url).status().map_err(|e| {
            format!("pg_dump could not start ({e}); install PostgreSQL's client tools")
        })?;
    if !status.success() {
        return Err(format!("pg_dump failed ({status})"));
    }
    Ok(())
}

/// Writes a backup of the data (no keys) into `dir`; returns the file.
pub fn data(cfg: &Config, store: &Store, dir: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    match store.backend() {
        Backend::Sqlite => {
            let file = dir.join(format!("tsunagu-data-{}.sqlite3", stamp()));
            store.backup_data_sqlite(&file).map_err(|e| e.to_string())?;
            Ok(file)
        }
        Backend::Postgres => {
            let file = dir.join(format!("tsunagu-data-{}.dump", stamp()));
            pg_dump(&cfg.database_url, &file, Some("subject_keys"))?;
            Ok(file)
        }
    }
}

/// Writes a backup of the key store into `dir` and deletes key backups there older than
/// `key_backup_days`; returns the file and how many old ones were deleted.
pub fn keys(cfg: &Config, ks: &KeyStore, dir: &Path) -> Result<(PathBuf, usize), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = match Backend::of_url(&cfg.keys_url) {
        Backend::Sqlite => {
            let file = dir.join(format!("tsunagu-keys-{}.sqlite3", stamp()));
            ks.backup_sqlite(&file).map_err(|e| e.to_string())?;
            file
        }
        Backend::Postgres => {
            let file = dir.join(format!("tsunagu-keys-{}.dump", stamp()));
            pg_dump(&cfg.keys_url, &file, None)?;
            file
        }
    };
    let max_age = std::time::Duration::from_secs(cfg.key_backup_days.max(0) as u64 * 86_400);
    let mut pruned = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("tsunagu-keys-") || e.path() == file {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|m| m.elapsed().ok())
                .is_some_and(|age| age > max_age);
            if old && std::fs::remove_file(e.path()).is_ok() {
                pruned += 1;
            }
        }
    }
    Ok((file, pruned))
}

/// Puts back the keys of a key backup the live key store lacks, skipping every subject
/// erased since. `source`: a key backup written by `backup --keys` (a SQLite file, or a
/// PostgreSQL dump, restored first into a scratch database dropped afterwards), or the
/// URL of a database holding one.
pub fn restore_keys(
    cfg: &Config,
    store: &Store,
    source: &str,
) -> Result<store::keys::Restored, String> {
    if source.ends_with(".dump") {
        return restore_keys_dump(cfg, store, Path::new(source));
    }
    if Backend::of_url(source) == Backend::Sqlite && !Path::new(source).is_file() {
        return Err(format!("{source}: no such key backup file"));
    }
    let backup = KeyStore::open(source, 1).map_err(|e| format!("{source}: {e}"))?;
    store.restore_keys_from(&backup).map_err(|e| e.to_string())
}

fn restore_keys_dump(
    cfg: &Config,
    store: &Store,
    file: &Path,
) -> Result<store::keys::Restored, String> {
    if !file.is_file() {
        return Err(format!("{}: no such key backup file", file.display()));
    }
    let scratch_url =
        store::db::pg_sibling_url(&cfg.keys_url, &format!("_restore_{}", std::process::id()))
            .filter(|_| Backend::of_url(&cfg.keys_url) == Backend::Postgres)
            .ok_or("a PostgreSQL key dump needs a PostgreSQL key store (TSUNAGU_KEYS_URL)")?;
    let head = scratch_url
        .split_once('?')
        .map_or(scratch_url.as_str(), |(h, _)| h);
    let (base, name) = head.rsplit_once('/').ok_or("key store URL")?;
    let admin = format!("{base}/postgres");
    store::db::drop_pg_database(&admin, name).map_err(|e| e.to_string())?;
    store::db::create_pg_database(&admin, name).map_err(|e| e.to_string())?;
    let result = (|| {
        let out = Command::new("pg_restore")
            .args(["--no-owner", "--dbname", &scratch_url])
            .arg(file)
            .output()
            .map_err(|e| format!("pg_restore could not start ({e})"))?;
        if !out.status.success() {
            return Err(format!(
                "pg_restore failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let backup = KeyStore::open(&scratch_url, 1).map_err(|e| e.to_string())?;
        let r = store.restore_keys_from(&backup).map_err(|e| e.to_string());
        drop(backup);
        r
    })();
    let _ = store::db::drop_pg_database(&admin, name);
    result
}
