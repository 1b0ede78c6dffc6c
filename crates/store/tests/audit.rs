//! The audit log's checks for the operator's console, on a real database: an account
//! that reads more than 30 people within one clock hour is flagged (30 is not), and an
//! operator account's reads outside working hours in Japan are flagged (a member's are
//! not; an operator's in working hours are not).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use store::audit::{self, Entry};
use store::db::Db;

fn read(db: &Db, actor: &str, subject: &str, at: i64) {
    db.write_blocking(|c| {
        audit::append(
            c,
            at,
            Entry {
                actor_id: Some(actor.into()),
                subject_id: Some(subject.into()),
                action: "profile.read".into(),
                items: vec!["basic"],
                purpose: "test".into(),
                ..Entry::default()
            },
        )
        .map(drop)
    })
    .unwrap();
}

/// Monday 2026-12-07 10:00 in Japan.
const MONDAY_10: i64 = 1_796_605_200;

#[test]
fn many_people_in_an_hour_and_operator_reads_out_of_hours_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("data.sqlite3").to_string_lossy(), 2).unwrap();
    assert!(!audit::off_hours(MONDAY_10), "Monday 10:00 is working time");
    assert!(audit::off_hours(MONDAY_10 + 11 * 3600), "21:00 is not");
    assert!(audit::off_hours(MONDAY_10 - 3 * 3600), "7:00 is not");
    assert!(audit::off_hours(MONDAY_10 - 2 * 86_400), "Saturday is not");

    // 31 people within one hour by one member, 30 by another (and the same person
    // twice does not count twice).
    for i in 0..31 {
        read(&db, "member-a", &format!("seeker-{i}"), MONDAY_10 + i * 60);
        read(
            &db,
            "member-a",
            &format!("seeker-{i}"),
            MONDAY_10 + i * 60 + 1,
        );
    }
    for i in 0..30 {
        read(&db, "member-b", &format!("seeker-{i}"), MONDAY_10 + i * 60);
    }
    // An operator account reading on Saturday night and in working hours; a member
    // reading at night.
    db.write_blocking(|c| {
        store::db::execute_raw(
            c,
            "INSERT INTO users (id, kind, email_bidx, email_enc, name_enc, password_hash, lang, created_at, display) \
             VALUES ('staff-1', 'operator', 'x', X'00', X'00', 'h', 'ja', 0, '')",
        )
    })
    .unwrap();
    read(
        &db,
        "staff-1",
        "seeker-1",
        MONDAY_10 - 2 * 86_400 + 12 * 3600,
    );
    read(
        &db,
        "staff-1",
        "seeker-2",
        MONDAY_10 - 2 * 86_400 + 12 * 3600 + 60,
    );
    read(&db, "staff-1", "seeker-3", MONDAY_10 + 3600);
    read(&db, "member-b", "seeker-9", MONDAY_10 + 12 * 3600);

    let found = db
        .read_blocking(|c| audit::anomalies(c, MONDAY_10 + 86_400))
        .unwrap();
    let seen: Vec<(&str, &str, i64)> = found
        .iter()
        .map(|a| (a.kind, a.actor_id.as_str(), a.count))
        .collect();
    assert_eq!(
        seen,
        [
            ("many_subjects", "member-a", 31),
            ("off_hours", "staff-1", 2)
        ],
        "{found:?}"
    );
    // A week later nothing is flagged any more.
    let later = db
        .read_blocking(|c| audit::anomalies(c, MONDAY_10 + 9 * 86_400))
        .unwrap();
    assert!(later.is_empty(), "{later:?}");
}
