//! 退会 and erasure over HTTP and the real commands, on SQLite and PostgreSQL: closing
//! ends every session at once and takes the person out of every view and search, with
//! each bad input named on its field and nothing closed; the retention run erases a
//! closed account once its period has passed, exactly once however many runs race,
//! keeping the support records (sealed again under a held key) and the provision
//! records; and a backup of the data taken before the erasure, even with the key
//! backup of the same moment restored, cannot open the person's data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::messages::japan_date;
use crate::retention::{DEMO_PW, SEEKER_MAIL, hired, report};
use crate::support::*;
use diesel::prelude::*;
use serde_json::json;

/// Planted in the worker's check-in and in a support record about them.
const NOTE: &str = "CHECKINQZ-NOTE";
const DONE: &str = "CLOSINGQZ-RECORD";

async fn me_id(c: &mut Client, t: &str) -> String {
    c.api("GET", "/api/v1/me", Some(t), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn scout_ids(c: &mut Client, emp: &str) -> Vec<String> {
    let r = c.api("GET", "/api/v1/scout-search", Some(emp), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["seeker_id"].as_str().unwrap().to_owned())
        .collect()
}

/// A second verified company, for the scout search; its token.
async fn scouting_company(s: &Server, c: &mut Client) -> String {
    register(
        c,
        "employer",
        "scout@example.jp",
        "スカウト 担当",
        Some("別の株式会社"),
    )
    .await;
    let scout = token(c, "scout@example.jp", PW).await;
    let org =
        c.api("GET", "/api/v1/me", Some(&scout), None).await.json()["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
    verify_company(s, &org);
    scout
}

#[tokio::test]
async fn closing_ends_every_session_at_once_and_the_person_leaves_every_view() {
    let sink = SmtpSink::start();
    let mut w = world(Server::builder().smtp(&sink)).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let st2 = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let mut web = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    let seeker = me_id(&mut c, &st).await;
    // Another company scouts (the hiring one no longer lists its own worker).
    let scout = scouting_company(&w.s, &mut c).await;
    assert!(scout_ids(&mut c, &scout).await.contains(&seeker));
    let job = hired(&mut c, &emp, &st, &posting, "open").await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/daily-reports",
            Some(&st),
            Some(report(json!({"employment_id": job}))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let reports = format!("/api/v1/employments/{job}/daily-reports");
    let r = c.api("GET", &reports, Some(&emp), None).await;
    assert_eq!(
        r.status, 200,
        "the follow-up person reads the check-ins before"
    );

    // Bad input: named on its field, in both languages; nothing is closed.
    for (lang, word) in [("ja", "パスワード"), ("en", "password")] {
        c.lang = lang.into();
        for (pw, code) in [("", "password-required"), ("wrong", "password-wrong")] {
            let r = c
                .api(
                    "POST",
                    "/api/v1/me/close",
                    Some(&st),
                    Some(json!({ "password": pw })),
                )
                .await;
            assert_eq!(r.status, 422, "{}", r.body);
            assert_eq!(
                r.json()["error"]["fields"]["password"]["code"],
                code,
                "{}",
                r.body
            );
            assert!(r.body.contains(word), "{}", r.body);
            assert!(!r.body.contains(DEMO_PW));
        }
    }
    c.lang = "ja".into();
    let r = c
        .api(
            "POST",
            "/api/v1/me/close",
            Some(&st),
            Some(json!({"password": DEMO_PW, "now": 1})),
        )
        .await;
    assert_eq!(r.status, 422, "an unknown field is refused: {}", r.body);
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&st), None).await.status,
        200
    );

    // The page: linked from the account page; says what happens and until when the
    // data is kept; a wrong password is shown on its field, keyboard-reachable.
    let r = web.get("/account").await;
    assert!(r.body.contains("href=\"/account/close\""), "{}", r.body);
    let r = web.get("/account/close").await;
    assert_eq!(r.status, 200);
    for text in ["すべての端末でログアウト", "完全に消去", "5年間", "3年間"] {
        assert!(r.body.contains(text), "{text}");
    }
    let r = web
        .submit("/account/close", "/account/close", &[("password", "wrong")])
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"f-password-error\""), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(
        r.body.contains("href=\"#f-password\""),
        "the error summary links to the field"
    );
    assert_eq!(web.get("/account").await.status, 200, "still signed in");

    // Closed through the API: every session of the account ends at once.
    let r = c
        .api(
            "POST",
            "/api/v1/me/close",
            Some(&st),
            Some(json!({"password": DEMO_PW})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    for t in [&st, &st2] {
        assert_eq!(c.api("GET", "/api/v1/me", Some(t), None).await.status, 401);
    }
    let r = web.get("/account").await;
    assert_ne!(r.status, 200, "the page session ended too");
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": SEEKER_MAIL, "password": DEMO_PW})),
        )
        .await;
    assert_eq!(r.status, 401, "a closed account cannot sign in");

    // Out of every view and search; the employment the company keeps reads as nothing.
    assert!(!scout_ids(&mut c, &scout).await.contains(&seeker));
    let r = c.api("GET", &reports, Some(&emp), None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert!(!r.body.contains(NOTE));
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker}"),
            Some(&emp),
            None,
        )
        .await;
    assert!(!r.body.contains("demo.tsunagu.example"), "{}", r.body);

    // A mail to the address says the account is closed and until when data is kept.
    let start = std::time::Instant::now();
    let mail = loop {
        let found = sink
            .mails
            .lock()
            .unwrap()
            .iter()
            .find(|m| m.rcpt.iter().any(|r| r == SEEKER_MAIL) && m.text().contains("/privacy"))
            .cloned();
        if let Some(m) = found {
            break m;
        }
        assert!(start.elapsed().as_secs() < 20, "no closing mail");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(mail.text().contains("まで保存し"), "{}", mail.text());

    // The address is free again: a new account, a new person.
    let again = register(&mut c, "seeker", SEEKER_MAIL, "新しい 本人", None).await;
    assert_ne!(again, seeker);

    // Closing from the page: the session cookie is cleared and the page says so.
    register(&mut c, "seeker", "leaver@example.jp", "退会 する人", None).await;
    let mut leaver = page_client(&w.s, "leaver@example.jp", PW).await;
    let r = leaver
        .submit("/account/close", "/account/close", &[("password", PW)])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/closed");
    let r = leaver.get("/closed").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("退会しました"));
    assert_ne!(leaver.get("/account").await.status, 200);
}

/// The database as a test reads it directly (to count rows the API no longer shows).
fn data_db(s: &Server) -> store::Db {
    store::Db::open(&s.database_url, 1).unwrap()
}

fn count(db: &store::Db, f: impl FnOnce(&mut store::DbConn) -> i64 + Send) -> i64 {
    db.read_blocking(|c| Ok(f(c))).unwrap()
}

/// A copy of the data's backup opened as a database of its own: on SQLite the file
/// itself (copied), on PostgreSQL the dump restored into a new database.
fn restored(s: &Server, backup: &std::path::Path) -> (String, Option<String>) {
    if backend() == "postgres" {
        let name = format!("{}_restored", s.database_url.rsplit('/').next().unwrap());
        let _ = store::db::drop_pg_database(&pg_admin_url(), &name);
        store::db::create_pg_database(&pg_admin_url(), &name).unwrap();
        let url = format!("{}/{name}", s.database_url.rsplit_once('/').unwrap().0);
        let out = std::process::Command::new("pg_restore")
            .args(["--no-owner", "--dbname", &url])
            .arg(backup)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        (url, Some(name))
    } else {
        let copy = s.dir.path().join("restored.sqlite3");
        std::fs::copy(backup, &copy).unwrap();
        (copy.to_string_lossy().into_owned(), None)
    }
}

/// The line of `out` that starts with `prefix`, its path (up to " (").
fn path_after(out: &std::process::Output, prefix: &str) -> std::path::PathBuf {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rest = text
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or_else(|| panic!("{text}"));
    rest.split(" (").next().unwrap().trim().into()
}

#[tokio::test]
async fn an_erasure_reaches_the_data_every_backup_and_search_and_keeps_what_law_keeps() {
    let mut w = world(Server::builder().env("TSUNAGU_RETENTION_CLOSED_DAYS", "0")).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let seeker = me_id(&mut c, &st).await;
    let emp_id = me_id(&mut c, &emp).await;
    // Found by a company's scout search before (the hiring one no longer lists its
    // own worker, so another company looks).
    let scout = scouting_company(&w.s, &mut c).await;
    assert!(scout_ids(&mut c, &scout).await.contains(&seeker));
    let job = hired(&mut c, &emp, &st, &posting, "open").await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/daily-reports",
            Some(&st),
            Some(report(json!({"employment_id": job}))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let records = format!("/api/v1/employments/{job}/support-records");
    let r = c
        .api(
            "POST",
            &records,
            Some(&sup),
            Some(json!({"kind": "visit", "date": japan_date(0), "done": format!("{DONE} 職場を訪ねた")})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // Backups of the data and of the key store, taken before anything is closed.
    let dir = w.s.dir.path().join("backups");
    let d = dir.to_string_lossy().into_owned();
    let data_backup = path_after(&w.s.command(&["backup", "--out", &d]), "data backed up to ");
    let key_backup = path_after(
        &w.s.command(&["backup", "--keys", "--out", &d]),
        "key store backed up to ",
    );
    assert!(data_backup.is_file() && key_backup.is_file());

    let r = c
        .api(
            "POST",
            "/api/v1/me/close",
            Some(&st),
            Some(json!({"password": DEMO_PW})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // The facility still reads the record it must keep; nobody reads the check-ins.
    let r = c.api("GET", &records, Some(&sup), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(DONE));
    let r = c
        .api(
            "GET",
            &format!("/api/v1/employments/{job}/daily-reports"),
            Some(&sup),
            None,
        )
        .await;
    assert!(!r.body.contains(NOTE), "{}", r.body);

    // Before its period has passed, the run erases nothing.
    let early = (web::now() - 3600).to_string();
    let out = w.s.command(&["retention", "run", "--at", &early]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("retention: 0 account(s) erased"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Two runs at once (two nodes): the account is erased exactly once.
    let spawn = || {
        let mut cmd = std::process::Command::new(BIN);
        cmd.arg("--data-dir")
            .arg(w.s.dir.path())
            .args(["retention", "run"]);
        for (k, v) in &w.s.env {
            cmd.env(k, v);
        }
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let mut erased = 0;
    for p in [a, b] {
        let out = p.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let n: usize = text
            .split("retention: ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{text}"));
        erased += n;
    }
    assert_eq!(erased, 1, "erased once across both runs");

    // The live data: the person's own rows are gone; the support record stays, sealed
    // again under its own held key, readable by the facility; provision records stay.
    let db = data_db(&w.s);
    use store::schema::{daily_reports, profile_sections, provision_records, retention_holds};
    let s1 = seeker.clone();
    assert_eq!(
        count(&db, move |c| daily_reports::table
            .filter(daily_reports::seeker_id.eq(&s1))
            .count()
            .get_result(c)
            .unwrap()),
        0
    );
    let s1 = seeker.clone();
    assert_eq!(
        count(&db, move |c| profile_sections::table
            .filter(profile_sections::user_id.eq(&s1))
            .count()
            .get_result(c)
            .unwrap()),
        0
    );
    let s1 = seeker.clone();
    assert!(
        count(&db, move |c| provision_records::table
            .filter(provision_records::seeker_id.eq(&s1))
            .count()
            .get_result(c)
            .unwrap())
            > 0,
        "provision records are kept for their own period"
    );
    assert_eq!(
        count(&db, |c| retention_holds::table
            .count()
            .get_result(c)
            .unwrap()),
        1
    );
    let r = c.api("GET", &records, Some(&sup), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(DONE), "the held record opens: {}", r.body);
    assert!(!scout_ids(&mut c, &scout).await.contains(&seeker));

    // The key backup taken before the erasure: restoring it brings no erased key back.
    let out =
        w.s.command(&["restore-keys", &key_backup.to_string_lossy()]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let skipped: usize = text
        .split("skipped as erased: ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(skipped >= 1, "{text}");

    // The data's backup from before: with the live key store (and the key backup put
    // back), nothing of the person opens; another person's data still does.
    let (url, restored_pg) = restored(&w.s, &data_backup);
    let master = store::MasterKey::parse(
        &std::fs::read_to_string(w.s.dir.path().join("master.key")).unwrap(),
    )
    .unwrap();
    let keys_url = if backend() == "postgres" {
        format!("{}_keys", w.s.database_url)
    } else {
        w.s.dir
            .path()
            .join("keys.sqlite3")
            .to_string_lossy()
            .into_owned()
    };
    let old = store::Db::open(&url, 1).unwrap();
    let keyring = store::Keyring::new(master, vec![], store::KeyStore::open(&keys_url, 1).unwrap());
    use store::schema::users;
    let s1 = seeker.clone();
    let rows: Vec<(String, Vec<u8>)> = old
        .read_blocking(move |c| {
            Ok(profile_sections::table
                .filter(profile_sections::user_id.eq(&s1))
                .select((profile_sections::section, profile_sections::data_enc))
                .load(c)?)
        })
        .unwrap();
    assert!(
        !rows.is_empty(),
        "the backup holds the person's profile, sealed"
    );
    for (section, enc) in &rows {
        assert!(matches!(
            keyring.open("profile_sections", section, &seeker, enc),
            Err(store::StoreError::KeyErased)
        ));
    }
    let s1 = seeker.clone();
    let name: Vec<u8> = old
        .read_blocking(move |c| {
            Ok(users::table
                .filter(users::id.eq(&s1))
                .select(users::name_enc)
                .first(c)?)
        })
        .unwrap();
    assert!(matches!(
        keyring.open("users", "name", &seeker, &name),
        Err(store::StoreError::KeyErased)
    ));
    let e1 = emp_id.clone();
    let emp_name: Vec<u8> = old
        .read_blocking(move |c| {
            Ok(users::table
                .filter(users::id.eq(&e1))
                .select(users::name_enc)
                .first(c)?)
        })
        .unwrap();
    assert_eq!(
        keyring
            .open_string("users", "name", &emp_id, &emp_name)
            .unwrap(),
        "採用 担当",
        "the backup itself is sound"
    );
    drop(old);
    if let Some(name) = restored_pg {
        store::db::drop_pg_database(&pg_admin_url(), &name).unwrap();
    }

    // The chain of the audit log holds, the erasure recorded in it.
    let out = w.s.command(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
