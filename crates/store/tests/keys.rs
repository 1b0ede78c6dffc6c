//! Field encryption: fields open only in their own place, the keys live in a key store
//! apart from the data, and erasing a subject's key makes their data unreadable for
//! good: a backup of the data taken before the erasure holds no key, and restoring a
//! key backup taken before it does not bring the erased key back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use store::db::{self, Db};
use store::{KeyStore, Keyring, MasterKey, StoreError};

struct Setup {
    dir: tempfile::TempDir,
    data: Db,
    keys: Keyring,
    master: MasterKey,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let data = Db::open(&dir.path().join("data.sqlite3").to_string_lossy(), 2).unwrap();
    let ks = KeyStore::open(&dir.path().join("keys.sqlite3").to_string_lossy(), 2).unwrap();
    let master = MasterKey::generate();
    Setup {
        dir,
        data,
        keys: Keyring::new(master.clone(), vec![], ks),
        master,
    }
}

#[test]
fn sealed_fields_open_only_where_they_belong() {
    let s = setup();
    let k = s.keys.new_subject_key("subject-1", 0).unwrap();
    let sealed = k.seal_str("users", "name", "row-1", "山田 花子").unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("山田"));
    assert_eq!(
        s.keys
            .open_string("users", "name", "row-1", &sealed)
            .unwrap(),
        "山田 花子"
    );
    // Moved to another row or column: refused.
    assert!(matches!(
        s.keys.open("users", "name", "row-2", &sealed),
        Err(StoreError::Crypto(_))
    ));
    assert!(matches!(
        s.keys.open("users", "email", "row-1", &sealed),
        Err(StoreError::Crypto(_))
    ));
    // A different master key cannot unwrap the data key.
    let other = Keyring::new(MasterKey::generate(), vec![], s.keys.key_store().clone());
    assert!(other.open("users", "name", "row-1", &sealed).is_err());
}

/// The data's own database never holds a key: a copy of it opens nothing without the
/// key store.
#[test]
fn keys_are_not_in_the_data() {
    let s = setup();
    let k = s.keys.new_subject_key("subject-1", 0).unwrap();
    let _ = k
        .seal_str("users", "email", "row-1", "a@example.jp")
        .unwrap();
    let n: i64 = s
        .data
        .read_blocking(|c| {
            use diesel::prelude::*;
            Ok(store::schema::subject_keys::table.count().get_result(c)?)
        })
        .unwrap();
    assert_eq!(n, 0, "no key beside the data");
    assert_eq!(s.keys.key_store().key_count().unwrap(), 1);
}

#[test]
fn an_erasure_reaches_every_backup() {
    let s = setup();
    let k = s.keys.new_subject_key("subject-1", 0).unwrap();
    let sealed = k
        .seal_str("users", "email", "row-1", "a@example.jp")
        .unwrap();
    let kept = s.keys.new_subject_key("subject-2", 0).unwrap();
    let sealed_kept = kept
        .seal_str("users", "email", "row-2", "b@example.jp")
        .unwrap();
    // A backup of the key store taken before the erasure.
    let backup = s.dir.path().join("keys-backup.sqlite3");
    s.keys
        .key_store()
        .db()
        .read_blocking(|c| db::execute_raw(c, &format!("VACUUM INTO '{}'", backup.display())))
        .unwrap();
    s.data
        .write_blocking(|c| s.keys.erase_subject(c, "subject-1", 10).map(|_| ()))
        .unwrap();
    assert!(matches!(
        s.keys.open("users", "email", "row-1", &sealed),
        Err(StoreError::KeyErased)
    ));
    // The key backup still holds the wrapped key, but restoring it skips the erased
    // subject; a lost key of a subject not erased comes back.
    s.keys
        .key_store()
        .db()
        .write_blocking(|c| {
            db::execute_raw(c, "DELETE FROM subject_keys WHERE subject_id = 'subject-2'")
        })
        .unwrap();
    assert!(matches!(
        s.keys.open("users", "email", "row-2", &sealed_kept),
        Err(StoreError::KeyErased)
    ));
    let old = KeyStore::open(&backup.to_string_lossy(), 1).unwrap();
    let r = s.keys.key_store().restore_from(&old, &s.data).unwrap();
    assert_eq!((r.restored, r.skipped_erased), (1, 1));
    assert!(matches!(
        s.keys.open("users", "email", "row-1", &sealed),
        Err(StoreError::KeyErased)
    ));
    assert_eq!(
        s.keys
            .open_string("users", "email", "row-2", &sealed_kept)
            .unwrap(),
        "b@example.jp"
    );
    // Even with the key store itself lost and replaced by that old backup, the data's
    // own list of erased subjects keeps the erased key out.
    let fresh =
        KeyStore::open(&s.dir.path().join("keys-new.sqlite3").to_string_lossy(), 1).unwrap();
    let r = fresh.restore_from(&old, &s.data).unwrap();
    assert_eq!((r.restored, r.skipped_erased), (1, 1));
    let rebuilt = Keyring::new(s.master.clone(), vec![], fresh);
    assert!(matches!(
        rebuilt.open("users", "email", "row-1", &sealed),
        Err(StoreError::KeyErased)
    ));
}

#[test]
fn keys_kept_beside_the_data_by_an_earlier_version_move_to_the_key_store() {
    let s = setup();
    // An earlier version wrote wrapped keys into the data's own table.
    let legacy_store =
        KeyStore::open(&s.dir.path().join("legacy.sqlite3").to_string_lossy(), 1).unwrap();
    let legacy = Keyring::new(s.master.clone(), vec![], legacy_store.clone());
    let k = legacy.new_subject_key("old-subject", 0).unwrap();
    let sealed = k.seal_str("users", "name", "row-9", "古い 鍵").unwrap();
    let dump = s.dir.path().join("legacy-copy.sqlite3");
    legacy_store
        .db()
        .read_blocking(|c| db::execute_raw(c, &format!("VACUUM INTO '{}'", dump.display())))
        .unwrap();
    s.data
        .write_blocking(|c| {
            db::execute_raw(
                c,
                &format!("ATTACH DATABASE '{}' AS legacy", dump.display()),
            )?;
            db::execute_raw(
                c,
                "INSERT INTO subject_keys SELECT * FROM legacy.subject_keys",
            )
        })
        .unwrap();
    assert_eq!(s.keys.key_store().adopt_legacy(&s.data).unwrap(), 1);
    assert_eq!(
        s.keys
            .open_string("users", "name", "row-9", &sealed)
            .unwrap(),
        "古い 鍵"
    );
    assert_eq!(s.keys.key_store().adopt_legacy(&s.data).unwrap(), 0);
}

#[test]
fn blind_index_is_keyed() {
    let s = setup();
    let a = &s.keys;
    let b = Keyring::new(MasterKey::generate(), vec![], a.key_store().clone());
    assert_eq!(
        a.blind_index("email", "x@y.jp").unwrap(),
        a.blind_index("email", "x@y.jp").unwrap()
    );
    assert_ne!(
        a.blind_index("email", "x@y.jp").unwrap(),
        b.blind_index("email", "x@y.jp").unwrap()
    );
    assert_ne!(
        a.blind_index("email", "x@y.jp").unwrap(),
        a.blind_index("other", "x@y.jp").unwrap()
    );
}
