//! The support around a worker, over HTTP against real servers: support records
//! (append-only: a correction keeps the earlier version), comments in three directions,
//! each viewer's view as the worker chose (changing on the next request), and the
//! early-warning rules: each fires on the data that should trigger it and not
//! otherwise (time passed in to `tsunagu worker --once --at`), once however many
//! worker processes sweep, escalates once when not acknowledged, and is acknowledged
//! once. The check-ins of past days are written through a server whose clock is set
//! back (libfaketime, a real process).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::messages::japan_date;
use crate::retention::{DEMO_PW, SEEKER_MAIL, hired, hired_on, provided, report};
use crate::support::*;
use serde_json::{Value, json};

/// Planted in a record, its correction, and comments: only their readers may see them.
const DONE: &str = "SUPPORTQZ-DONE";
const WORDS: &str = "SUPPORTQZ-WORDS";
const FIXED: &str = "SUPPORTQZ-FIXED";
const NOTE: &str = "SUPPORTQZ-COMMENT";

async fn get(c: &mut Client, t: &str, path: &str) -> Resp {
    c.api("GET", path, Some(t), None).await
}

fn record(over: Value) -> Value {
    let mut b = json!({"kind": "visit", "date": japan_date(0),
        "done": format!("{DONE} 職場を訪ねて作業の手順を確認した"),
        "own_words": format!("{WORDS} 電話が少しこわい"),
        "actions": [{"what": "手順書を作る", "owner": "follow_up", "due": japan_date(7)}]});
    for (k, v) in over.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

#[tokio::test]
async fn records_and_comments_reach_each_viewer_as_the_worker_chose() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let emp_me = get(&mut c, &emp, "/api/v1/me").await.json();
    let org = emp_me["organizations"][0]["org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let emp_id = emp_me["id"].as_str().unwrap().to_owned();
    let fam_id = get(&mut c, &fam, "/api/v1/me").await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let job = hired(&mut c, &emp, &st, &posting, "open").await;
    let records = format!("/api/v1/employments/{job}/support-records");

    // The supporter writes; bad input is refused field by field, in both languages.
    for (lang, word) in [("ja", "日付"), ("en", "date")] {
        c.lang = lang.into();
        let r = c
            .api(
                "POST",
                &records,
                Some(&sup),
                Some(record(json!({"date": japan_date(3)}))),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        let f = &r.json()["error"]["fields"];
        assert_eq!(f["date"]["code"], "date-future", "{}", r.body);
        assert!(r.body.contains(word), "{}", r.body);
    }
    c.lang = "ja".into();
    let r = c
        .api("POST", &records, Some(&sup), Some(record(json!({}))))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let rec = r.json()["record_id"].as_str().unwrap().to_owned();
    // Nobody else writes records: the company, family, the worker.
    for t in [&emp, &fam, &st] {
        let r = c
            .api("POST", &records, Some(t), Some(record(json!({}))))
            .await;
        assert!(r.status == 403 || r.status == 404, "{}", r.body);
    }
    // A correction is a new version; the earlier one stays readable.
    let r = c
        .api(
            "POST",
            &format!("{records}/{rec}/versions"),
            Some(&sup),
            Some(record(json!({"done": format!("{FIXED} 手順を一緒に確認した"),
                "actions": [{"what": "手順書を作る", "owner": "follow_up", "due": japan_date(7), "done": true}]}))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("{records}/no-such-record/versions"),
            Some(&sup),
            Some(record(json!({}))),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // The worker reads every record about them; the supporter too.
    for t in [&st, &sup] {
        let r = get(&mut c, t, &records).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let list = r.json()["records"].as_array().unwrap().clone();
        assert_eq!(list.len(), 1, "{}", r.body);
        assert_eq!(list[0]["current"]["version"], 2);
        assert!(list[0]["current"]["done"].as_str().unwrap().contains(FIXED));
        assert_eq!(list[0]["current"]["actions"][0]["done"], true);
        assert_eq!(list[0]["earlier"][0]["version"], 1);
        assert!(
            list[0]["earlier"][0]["done"]
                .as_str()
                .unwrap()
                .contains(DONE)
        );
    }
    // The follow-up person and family: not until the worker allows, then on the next
    // request, as a provision record.
    assert_eq!(get(&mut c, &emp, &records).await.status, 404);
    assert_eq!(get(&mut c, &fam, &records).await.status, 404);
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/follow-up",
            Some(&st),
            Some(json!({"company_id": org, "full": false, "support_records": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["work_places"][0]["follow_up_records"], true);
    let r = get(&mut c, &emp, &records).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains(FIXED) && r.body.contains(WORDS),
        "{}",
        r.body
    );
    assert!(provided(&mut c, &st, &emp_id).await.contains(&(
        "employment_follow_up".to_owned(),
        "support_records".to_owned()
    )));
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/me/family/{fam_id}/shares"),
            Some(&st),
            Some(json!({"categories": ["daily_attendance", "support_records"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = get(&mut c, &fam, &records).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(FIXED));
    // Taken back: 404 again on the next request.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/follow-up",
            Some(&st),
            Some(json!({"company_id": org, "full": false, "support_records": false})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(get(&mut c, &emp, &records).await.status, 404);

    // Comments in three directions; the worker sees who said what.
    let comments = format!("/api/v1/employments/{job}/comments");
    for (t, text) in [
        (&sup, format!("{NOTE}-S 今週もよく続けられました")),
        (&emp, format!("{NOTE}-F 作業がていねいです")),
        (&fam, format!("{NOTE}-K いつも応援しています")),
    ] {
        let r = c
            .api("POST", &comments, Some(t), Some(json!({"body": text})))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = c
        .api(
            "POST",
            &comments,
            Some(&sup),
            Some(json!({"body": "  ", "period": "week"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"]["body"]["code"], "text-required");
    let roles = |v: &Value| -> Vec<String> {
        v["comments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = get(&mut c, &st, &comments).await;
    assert_eq!(
        roles(&r.json()),
        ["supporter", "follow_up", "family"],
        "{}",
        r.body
    );
    assert_eq!(r.json()["comments"][1]["from"], "検索テスト株式会社");
    for t in [&sup, &emp] {
        let r = get(&mut c, t, &comments).await;
        assert_eq!(roles(&r.json()), ["supporter", "follow_up"], "{}", r.body);
        assert!(!r.body.contains(&format!("{NOTE}-K")));
    }
    let r = get(&mut c, &fam, &comments).await;
    assert_eq!(roles(&r.json()), ["family"], "{}", r.body);
    // Everyone else: 404 on every route, whatever the id.
    let recruiter = token(&mut c, "recruiter@demo.tsunagu.example", DEMO_PW).await;
    register(&mut c, "seeker", "other-fu@example.jp", "他人", None).await;
    let other = token(&mut c, "other-fu@example.jp", PW).await;
    for t in [&recruiter, &other, &w.op] {
        for path in [
            records.clone(),
            comments.clone(),
            format!("/api/v1/employments/{job}/alerts"),
            format!("/api/v1/employments/{job}/alert-rules"),
        ] {
            let r = get(&mut c, t, &path).await;
            assert_eq!(r.status, 404, "{path}: {}", r.body);
            assert!(!r.body.contains("SUPPORTQZ"));
        }
        let r = c
            .api("POST", &comments, Some(t), Some(json!({"body": "x"})))
            .await;
        assert!(r.status == 403 || r.status == 404, "{}", r.body);
    }

    // The three-party page, for the supporter: records with their versions, the
    // comment thread, the rules form, the worker's name; for the worker their own page.
    let mut page = page_client(&w.s, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let r = page.get(&format!("/employments/{job}/check-ins")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    for want in [
        FIXED,
        DONE,
        "前の版を見る",
        "見守りのきまり",
        "支援記録を書く",
    ] {
        assert!(r.body.contains(want), "{want} missing");
    }
    assert!(
        !r.body.contains(&format!("{NOTE}-K")),
        "family's words are for the worker"
    );
    // A record sent from the page with a problem: the page again, the field named,
    // what was typed kept.
    let r = page
        .submit(
            &format!("/employments/{job}/check-ins"),
            &format!("/employments/{job}/support-records"),
            &[
                ("kind", ""),
                ("date", &japan_date(0)),
                ("done", "KEPT-TEXT"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("種類を選んでください") && r.body.contains("KEPT-TEXT"));
    let mut mine = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    let r = mine.get("/check-in/support").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(FIXED) && r.body.contains(&format!("{NOTE}-K")));
    assert!(
        !r.body.contains("支援記録を書く"),
        "the worker reads, not writes"
    );
}

/// libfaketime (Debian's `faketime`), which test.sh installs when missing.
const FAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Runs `tsunagu worker --once --at T` in `n` processes at once (nodes sweeping side
/// by side); what they printed, summed: (raised, escalated), over every worker.
fn sweep(s: &Server, clock: &std::path::Path, at: i64, n: usize) -> (usize, usize) {
    std::fs::write(clock, "+0").unwrap();
    let at = at.to_string();
    let outs: Vec<std::process::Output> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..n)
            .map(|_| sc.spawn(|| s.command(&["worker", "--once", "--at", &at])))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut sum = (0, 0);
    for o in outs {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let line = String::from_utf8_lossy(&o.stdout).into_owned();
        let nums: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|x| x.parse().ok())
            .collect();
        assert_eq!(nums.len(), 2, "{line}");
        sum.0 += nums[0];
        sum.1 += nums[1];
    }
    sum
}

/// The alerts in an answer (of the employment `job` only, where given): their rules,
/// or topics for a viewer who reads topics only, sorted.
fn rules_in(v: &Value, job: Option<&str>) -> Vec<String> {
    let mut r: Vec<String> = v["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| job.is_none_or(|j| a["employment_id"] == j))
        .map(|a| {
            a["rule"]
                .as_str()
                .unwrap_or(a["topic"].as_str().unwrap())
                .to_owned()
        })
        .collect();
    r.sort();
    r
}

fn rules_of(v: &Value) -> Vec<String> {
    rules_in(v, None)
}

#[tokio::test]
async fn each_rule_fires_on_its_data_once_across_workers_and_escalates_once() {
    assert!(
        std::path::Path::new(FAKETIME).exists(),
        "\n*** libfaketime is missing ({FAKETIME}): apt-get install faketime (test.sh installs it)\n"
    );
    let clockdir = tempfile::tempdir().unwrap();
    let clock = clockdir.path().join("clock");
    std::fs::write(&clock, "+0").unwrap();
    let sink = SmtpSink::start();
    let b = Server::builder()
        .process()
        .smtp(&sink)
        .env("LD_PRELOAD", FAKETIME)
        .env("FAKETIME_TIMESTAMP_FILE", clock.to_str().unwrap())
        .env("FAKETIME_NO_CACHE", "1")
        .env("DONT_FAKE_MONOTONIC", "1")
        // The server's own sweep stays out of the way: the test runs the worker.
        .env("TSUNAGU_ALERT_INTERVAL_SECONDS", "86400");
    let mut w = world(b).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let job = hired(&mut c, &emp, &st, &posting, "open").await;
    let alerts = format!("/api/v1/employments/{job}/alerts");

    // Tuned with the worker: health 2 or lower twice in a row, the trend, absence or
    // lateness twice in 14 days, 3 silent working days; not the talk flag or troubles.
    let rules = json!({"health_level": 2, "health_days": 2, "health_trend": true,
        "absence_count": 2, "absence_window": 14, "silent_days": 3, "talk": false,
        "trouble": false, "first": "supporter", "escalate_hours": 1});
    let path = format!("/api/v1/employments/{job}/alert-rules");
    let r = c.api("PUT", &path, Some(&emp), Some(rules.clone())).await;
    assert!(
        r.status == 403 || r.status == 404,
        "only the supporter tunes: {}",
        r.body
    );
    let r = c.api("PUT", &path, Some(&sup), Some(rules)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = get(&mut c, &st, &path).await;
    assert_eq!(r.json()["rules"]["health_days"], 2, "the worker reads them");
    assert_eq!(r.json()["can_change"], false);

    // Five days of check-ins, health falling 5 → 1, one absence and one late day.
    for (back, att, health) in [
        (4, "present", 5),
        (3, "absent", 4),
        (2, "late", 3),
        (1, "present", 2),
        (0, "present", 1),
    ] {
        std::fs::write(&clock, format!("-{back}d")).unwrap();
        let t = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
        let times = if att == "absent" {
            ("", "")
        } else {
            ("9:30", "16:00")
        };
        let r = c
            .api(
                "POST",
                "/api/v1/me/daily-reports",
                Some(&t),
                Some(report(
                    json!({"employment_id": job, "date": japan_date(-back),
                    "attendance": att, "health": health, "clock_in": times.0,
                    "clock_out": times.1, "want_to_talk": false, "troubles": [],
                    "trouble_note": ""}),
                )),
            )
            .await;
        assert_eq!(r.status, 201, "day -{back}: {}", r.body);
    }
    std::fs::write(&clock, "+0").unwrap();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let emp = token(&mut c, "hr@jobs.example.jp", PW).await;
    assert!(rules_of(&get(&mut c, &sup, &alerts).await.json()).is_empty());

    // Today, two worker processes at once: the three rules that hold fire, once each;
    // silence does not (today's check-in came).
    // (The sums the processes print include the demo worker's alerts: the counts
    // below are this employment's.)
    let now = unix_now();
    let (raised, _) = sweep(&w.s, &clock, now, 2);
    assert!(raised >= 3, "{raised}");
    let r = get(&mut c, &sup, &format!("{alerts}?all=true")).await;
    assert_eq!(
        rules_of(&r.json()),
        ["absences", "health_low", "health_trend"],
        "{}",
        r.body
    );
    let r = get(&mut c, &sup, "/api/v1/me/alerts").await;
    assert_eq!(rules_in(&r.json(), Some(&job)).len(), 3, "{}", r.body);
    // Not yet to the follow-up person; the same slot again, or an hour later, nothing.
    assert!(rules_of(&get(&mut c, &emp, &alerts).await.json()).is_empty());
    sweep(&w.s, &clock, now, 2);
    sweep(&w.s, &clock, now + 1800, 1);
    let r = get(&mut c, &sup, &format!("{alerts}?all=true")).await;
    assert_eq!(rules_of(&r.json()).len(), 3, "none twice: {}", r.body);

    // Not acknowledged within the hour: each goes on to the follow-up person, once,
    // with two workers sweeping; the follow-up person (summary view) reads topics only.
    let (_, escalated) = sweep(&w.s, &clock, now + 2 * 3600, 2);
    assert!(escalated >= 3, "{escalated}");
    let r = get(&mut c, &emp, "/api/v1/me/alerts").await;
    let list: Vec<Value> = r.json()["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["employment_id"] == job.as_str())
        .cloned()
        .collect();
    assert_eq!(list.len(), 3, "{}", r.body);
    assert!(
        list.iter()
            .all(|a| a["rule"].is_null() && a["escalated"] == true),
        "{}",
        r.body
    );
    assert_eq!(rules_of(&r.json()), ["attendance", "concern", "concern"]);
    sweep(&w.s, &clock, now + 3 * 3600, 2);
    // The mail says there is an alert and links to it: nothing of health, no name.
    let alert_mails = || -> Vec<Received> {
        sink.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r == "hr@jobs.example.jp"))
            .filter(|m| m.text().contains("/check-ins"))
            .cloned()
            .collect()
    };
    // (The worker queued the mail at the time passed in, two hours ahead: delivered
    // now on purpose.)
    let out = w.s.command(&["send-mail", "--all"]);
    assert!(
        out.status.success(),
        "send-mail: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let start = std::time::Instant::now();
    while alert_mails().len() < 3 && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // The outbox is polled every 2 s: no fourth mail comes after a while.
    std::thread::sleep(std::time::Duration::from_secs(3));
    let mails = alert_mails();
    assert_eq!(mails.len(), 3, "one mail per escalated alert");
    for m in &mails {
        let t = m.text();
        for bad in ["体の調子", "体調が", "欠勤", "health"] {
            assert!(!t.contains(bad), "{bad} in the mail: {t}");
        }
    }

    // Acknowledged once, with a note; a second time is refused.
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let ack = format!("/api/v1/alerts/{id}/ack");
    let r = c
        .api(
            "POST",
            &ack,
            Some(&emp),
            Some(json!({"note": "電話で話しました"})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c
        .api("POST", &ack, Some(&sup), Some(json!({"note": "again"})))
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c
        .api("POST", &ack, Some(&st), Some(json!({"note": "x"})))
        .await;
    assert_eq!(
        r.status, 404,
        "the worker reads alerts, does not acknowledge"
    );
    let r = get(&mut c, &sup, "/api/v1/me/alerts").await;
    assert_eq!(rules_in(&r.json(), Some(&job)).len(), 2, "{}", r.body);
    let r = get(&mut c, &st, &format!("{alerts}?all=true")).await;
    let acked: Vec<Value> = r.json()["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["acked_by"] == "follow_up")
        .cloned()
        .collect();
    assert_eq!(acked.len(), 1, "{}", r.body);
    assert_eq!(acked[0]["ack_note"], "電話で話しました");

    // Six days on with no check-in: silence fires (three working days passed); the
    // low-health streak is stale and the trend has no points; nothing fires twice.
    sweep(&w.s, &clock, now + 6 * 86_400, 2);
    let r = get(&mut c, &sup, &format!("{alerts}?all=true")).await;
    assert_eq!(
        rules_of(&r.json()),
        ["absences", "health_low", "health_trend", "silent"],
        "{}",
        r.body
    );

    // The talk flag raises its alert with the check-in itself, once a day.
    let r = c
        .api(
            "PUT",
            &path,
            Some(&sup),
            Some(
                json!({"health_level": 2, "health_days": 0, "health_trend": false,
                "absence_count": 0, "absence_window": 14, "silent_days": 0, "talk": true,
                "trouble": true, "first": "follow_up", "escalate_hours": 24}),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for _ in 0..2 {
        let r = c
            .api(
                "POST",
                "/api/v1/me/daily-reports",
                Some(&st),
                Some(report(json!({"employment_id": job, "date": japan_date(0),
                    "troubles": [], "trouble_note": ""}))),
            )
            .await;
        assert!(r.status == 200 || r.status == 201, "{}", r.body);
    }
    let r = get(&mut c, &emp, "/api/v1/me/alerts").await;
    let talk: Vec<Value> = r.json()["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["topic"] == "talk")
        .cloned()
        .collect();
    assert_eq!(
        talk.len(),
        1,
        "first to the follow-up person, once: {}",
        r.body
    );
    assert_eq!(talk[0]["escalated"], false);
    let audit = w.s.command(&["audit", "verify"]);
    assert!(
        audit.status.success(),
        "{}",
        String::from_utf8_lossy(&audit.stdout)
    );
}

/// A new seeker (linked to the demo facility) applies to `posting` and is hired with
/// the first day `start`; the employment's id.
async fn hire_from(
    c: &mut Client,
    emp: &str,
    posting: &str,
    n: usize,
    start: &str,
    code: &str,
) -> String {
    let email = format!("cohort-{n}@example.jp");
    register(c, "seeker", &email, &format!("定着 {n}"), None).await;
    let st = token(c, &email, PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/supporter-link",
            Some(&st),
            Some(json!({ "code": code })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    hired_on(c, emp, &st, posting, "open", start).await
}

/// (counted, retained) at a horizon.
fn figure(v: &Value, months: u64) -> (u64, u64) {
    let f = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["months"] == months)
        .unwrap();
    (
        f["counted"].as_u64().unwrap(),
        f["retained"].as_u64().unwrap(),
    )
}

#[tokio::test]
async fn retention_figures_of_a_hand_built_cohort_match_a_hand_computation() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let code = get(&mut c, &sup, "/api/v1/facility").await.json()["invite_code"]
        .as_str()
        .unwrap()
        .to_owned();
    // First days 730, 400, 245 and 60 days ago; the second left 300 days in (after
    // 6 months, before a year), the third 60 days in (before 6 months).
    let mut jobs = Vec::new();
    for (n, back) in [730, 400, 245, 60].into_iter().enumerate() {
        jobs.push(hire_from(&mut c, &emp, &posting, n, &japan_date(-back), &code).await);
    }
    let end = |job: &str| format!("/api/v1/employer/employments/{job}/end");
    // Refused, field by field: a day to come, a day before the first, a reason not in
    // the list (by the schema); by another company: 404.
    let r = c
        .api(
            "POST",
            &end(&jobs[1]),
            Some(&emp),
            Some(json!({"end_date": japan_date(1), "reason": "health"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["end_date"]["code"],
        "date-future"
    );
    let r = c
        .api(
            "POST",
            &end(&jobs[1]),
            Some(&emp),
            Some(json!({"end_date": japan_date(-500), "reason": "health"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["end_date"]["code"],
        "end-before-start"
    );
    let other = token(&mut c, "employer@demo.tsunagu.example", DEMO_PW).await;
    let r = c
        .api(
            "POST",
            &end(&jobs[1]),
            Some(&other),
            Some(json!({"end_date": japan_date(-100), "reason": "health"})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    for (job, day) in [(&jobs[1], -100), (&jobs[2], -185)] {
        let r = c
            .api(
                "POST",
                &end(job),
                Some(&emp),
                Some(json!({"end_date": japan_date(day), "reason": "own_reasons"})),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.body);
    }
    let r = c
        .api(
            "POST",
            &end(&jobs[1]),
            Some(&emp),
            Some(json!({"end_date": japan_date(-90), "reason": "other"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // By hand: at 6 months the first three are counted and the first two still worked
    // there (2 of 3: 67 %); at a year the first two are counted, one retained (50 %);
    // no one has reached 3.5 years.
    let r = get(&mut c, &emp, "/api/v1/company/retention").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let org = &r.json()["organizations"][0];
    assert_eq!(
        (org["hired"].as_u64(), org["left"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(figure(org, 6), (3, 2));
    assert_eq!(figure(org, 12), (2, 1));
    assert_eq!(figure(org, 42), (0, 0));
    // The facility that supported all four (and the demo worker, 15 days in).
    let r = get(&mut c, &sup, "/api/v1/facility/retention").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let fac = &r.json()["organizations"][0];
    assert_eq!(
        (fac["hired"].as_u64(), fac["left"].as_u64()),
        (Some(5), Some(2))
    );
    assert_eq!(figure(fac, 6), (3, 2));
    assert_eq!(figure(fac, 12), (2, 1));
    // Others: the figures are the organisation's own.
    assert_eq!(
        get(&mut c, &sup, "/api/v1/company/retention").await.status,
        403
    );
    // The CSV opens in Excel: UTF-8 with a BOM, the Japanese headings, the figures.
    let mut page = page_client(&w.s, "hr@jobs.example.jp", PW).await;
    let r = page.get("/employer/retention?format=csv").await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("text/csv"));
    assert!(r.body.starts_with('\u{feff}'), "a BOM first");
    assert!(r.body.contains("\"定着率(%)\""), "{}", r.body);
    assert!(
        r.body.contains("\"6か月\",\"3\",\"2\",\"67\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("\"1年\",\"2\",\"1\",\"50\""), "{}", r.body);
    let r = page.get("/employer/retention").await;
    assert!(
        r.body.contains("67%") && r.body.contains("50%"),
        "{}",
        r.body
    );
    // The public company page shows a computed figure only with at least five people
    // counted: two here, so none (and never a typed-in number).
    let org_id = org["organization_id"].as_str().unwrap();
    let r = c.get(&format!("/companies/{org_id}")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("定着率"), "{}", r.body);
    // After the end the worker's check-ins are closed and the follow-up page is gone.
    let r = page
        .get(&format!("/employments/{}/check-ins", jobs[1]))
        .await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn the_monthly_report_is_read_by_others_only_after_the_worker_confirms_it() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let job = hired(&mut c, &emp, &st, &posting, "open").await;
    let month = japan_date(0)[..7].to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/me/daily-reports",
            Some(&st),
            Some(report(json!({"employment_id": job, "health": 4}))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/support-records"),
            Some(&sup),
            Some(record(json!({}))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let api = format!("/api/v1/employments/{job}/monthly-report");
    let q = format!("{api}?month={month}");
    // The facility gets a draft from the month's check-in, record and open action.
    let r = get(&mut c, &sup, &q).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["fresh"], true);
    assert_eq!(v["body"]["facts"]["reported"], 1);
    assert_eq!(v["body"]["facts"]["attendance_rate"], 100);
    assert!(v["body"]["done"].as_str().unwrap().contains(DONE), "{v}");
    assert!(
        v["body"]["next"].as_str().unwrap().contains("手順書を作る"),
        "{v}"
    );
    // Nobody else before the facility saved it and the worker confirmed it.
    assert_eq!(get(&mut c, &emp, &q).await.status, 404);
    let confirm = format!("{api}/confirm");
    let yes = json!({"month": month, "to_follow_up": true, "to_family": false});
    let r = c.api("POST", &confirm, Some(&st), Some(yes.clone())).await;
    assert_eq!(r.status, 404, "nothing saved to confirm yet: {}", r.body);
    let edit = json!({"month": month, "done": format!("{DONE} 訪問しました"), "next": "面談",
        "note": "MONTHQZ よく続いています"});
    let r = c.api("PUT", &api, Some(&sup), Some(edit.clone())).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c.api("PUT", &api, Some(&emp), Some(edit.clone())).await;
    assert!(r.status == 403 || r.status == 404, "{}", r.body);
    assert_eq!(get(&mut c, &emp, &q).await.status, 404);
    let r = c.api("POST", &confirm, Some(&st), Some(yes.clone())).await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = get(&mut c, &emp, &q).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("MONTHQZ") && r.json()["confirmed_at"].is_i64());
    assert_eq!(
        get(&mut c, &fam, &q).await.status,
        404,
        "not shared with family"
    );
    // Edited after the confirmation: no one else reads it until confirmed again.
    let r = c.api("PUT", &api, Some(&sup), Some(edit)).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(get(&mut c, &emp, &q).await.status, 404);
    let r = c.api("POST", &confirm, Some(&st), Some(yes)).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(get(&mut c, &emp, &q).await.status, 200);

    // The PDF: the month, the worker's confirmation date and the Japanese headings in
    // the extracted text (pdftotext, from Debian's poppler-utils).
    let mut page = page_client(&w.s, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let r = page
        .get(&format!("/employments/{job}/monthly/pdf?month={month}"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/pdf");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &r.bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils; test.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    let (y, m) = month.split_once('-').unwrap();
    let title = format!("{y}年{}月の支援レポート", m.trim_start_matches('0'));
    for want in [
        title.as_str(),
        "ご本人の確認:",
        "この月に行ったこと",
        "これからすること",
        "支援員から",
        "MONTHQZ",
    ] {
        assert!(text.contains(want), "{want} not in the PDF's text: {text}");
    }
    let (jy, jm, jd) = {
        let t = japan_date(0);
        let p: Vec<String> = t
            .split('-')
            .map(|x| x.trim_start_matches('0').to_owned())
            .collect();
        (p[0].clone(), p[1].clone(), p[2].clone())
    };
    assert!(
        text.contains(&format!("{jy}年{jm}月{jd}日")),
        "the confirmation date in the PDF: {text}"
    );
    // The month's records as CSV: UTF-8 with a BOM, the headings, the day.
    let r = page
        .get(&format!("/employments/{job}/monthly/csv?month={month}"))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with('\u{feff}'));
    assert!(
        r.body.contains("\"日付\"") && r.body.contains(&japan_date(0)),
        "{}",
        r.body
    );
    assert!(r.body.contains(DONE), "{}", r.body);
    // The page as the worker sees it: the confirmation form.
    let mut mine = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    let r = mine
        .get(&format!("/employments/{job}/monthly?month={month}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("内容を確認した") && r.body.contains("MONTHQZ"));
}
