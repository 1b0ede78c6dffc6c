//! 開示 over HTTP, on SQLite and PostgreSQL: the download of everything held about a
//! fully used account holds every marker planted in that account (profile, check-in,
//! support record, comment, message, saved search, access log, consents, provision
//! records) and none of another account's; it needs the password again (each refusal
//! named on its field, in both languages); the readable page and the PDF carry the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::messages::japan_date;
use crate::retention::{DEMO_PW, SEEKER_MAIL, hired, report};
use crate::support::*;
use serde_json::json;

const MINE: [&str; 6] = [
    "EXPORTQZ-PROFILE",
    "CHECKINQZ-NOTE",
    "EXPORTQZ-RECORD",
    "EXPORTQZ-COMMENT",
    "EXPORTQZ-MESSAGE",
    "EXPORTQZ-SEARCH",
];
const THEIRS: [&str; 3] = ["OTHERQZ-PROFILE", "OTHERQZ-SEARCH", "OTHERQZ-MESSAGE"];

#[tokio::test]
async fn an_export_holds_every_marker_of_the_account_and_none_of_anothers() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;

    // The account, fully used.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&st),
            Some(json!({"traits": {"text": format!("{} 几帳面です", MINE[0])}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
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
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/support-records"),
            Some(&sup),
            Some(json!({"kind": "visit", "date": japan_date(0), "done": format!("{} 職場を訪ねた", MINE[2])})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/comments"),
            Some(&sup),
            Some(json!({"period": "day", "date": japan_date(0), "body": format!("{} よくできました", MINE[3])})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let threads = c
        .api("GET", "/api/v1/threads", Some(&st), None)
        .await
        .json();
    let thread = threads["threads"][0]["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/threads/{thread}/messages"),
            Some(&st),
            Some(json!({"body": format!("{} よろしくお願いします", MINE[4])})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&st),
            Some(json!({"query": format!("q={}", MINE[5])})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // Another seeker, with their own markers, applying to the same company.
    register(&mut c, "seeker", "other@example.jp", "別の 人", None).await;
    let ot = token(&mut c, "other@example.jp", PW).await;
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&ot),
            Some(json!({"traits": {"text": THEIRS[0]}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&ot),
            Some(json!({"query": format!("q={}", THEIRS[1])})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&ot),
            Some(json!({"posting_id": posting, "openness": "open"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let other_thread = c
        .api("GET", "/api/v1/threads", Some(&ot), None)
        .await
        .json()["threads"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/threads/{other_thread}/messages"),
            Some(&ot),
            Some(json!({"body": THEIRS[2]})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The company looks at the first seeker's check-ins: an access-log entry about them.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/employments/{job}/daily-reports"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The password again: each refusal on its field, in both languages.
    for (lang, word) in [("ja", "パスワード"), ("en", "password")] {
        c.lang = lang.into();
        for (pw, code) in [("", "password-required"), ("nope", "password-wrong")] {
            let r = c
                .api(
                    "POST",
                    "/api/v1/me/export",
                    Some(&st),
                    Some(json!({ "password": pw })),
                )
                .await;
            assert_eq!(r.status, 422, "{}", r.body);
            assert_eq!(r.json()["error"]["fields"]["password"]["code"], code);
            assert!(r.body.contains(word), "{}", r.body);
            assert!(!r.body.contains(MINE[0]));
        }
    }
    c.lang = "ja".into();

    let r = c
        .api(
            "POST",
            "/api/v1/me/export",
            Some(&st),
            Some(json!({"password": DEMO_PW})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-disposition").contains("attachment"));
    assert_eq!(r.header("cache-control"), "no-store");
    let doc = r.json();
    assert_eq!(doc["format"], "tsunagu-export/1");
    for m in MINE {
        assert!(r.body.contains(m), "the export lacks {m}");
    }
    for m in THEIRS {
        assert!(
            !r.body.contains(m),
            "the export holds another account's {m}"
        );
    }
    assert!(!r.body.contains("other@example.jp"));
    for section in [
        "account",
        "consents",
        "provision_records",
        "access_log",
        "applications",
        "threads",
        "check_ins",
        "employments",
        "profile",
    ] {
        assert!(
            doc.get(section).is_some_and(|v| !v.is_null()),
            "section {section}"
        );
    }
    assert!(
        !doc["provision_records"]["provision_records"]
            .as_array()
            .or(doc["provision_records"].as_array())
            .unwrap()
            .is_empty()
    );
    let log = doc["access_log"].as_array().unwrap();
    assert!(
        log.iter()
            .any(|e| e["by"] == "employer" && e["by_organizations"][0] == "検索テスト株式会社"),
        "the company's reading is in the access log: {log:?}"
    );
    assert!(
        log.iter()
            .all(|e| e["by"] == "self" || e.get("ip").is_none()),
        "others' addresses are not given"
    );
    assert!(
        doc["consents"].to_string().contains("sensitive_data"),
        "{}",
        doc["consents"]
    );

    // The readable page and the PDF (its text extracted) carry the same.
    let mut web = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    let r = web.get("/account").await;
    assert!(r.body.contains("href=\"/account/data\""));
    let r = web
        .submit(
            "/account/data",
            "/account/data",
            &[("format", "page"), ("password", "nope")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"f-password-error\"") && !r.body.contains(MINE[0]));
    let r = web
        .submit(
            "/account/data",
            "/account/data",
            &[("format", "page"), ("password", DEMO_PW)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for m in MINE {
        assert!(r.body.contains(m), "the page lacks {m}");
    }
    for m in THEIRS {
        assert!(!r.body.contains(m));
    }
    assert!(
        r.body.contains("第三者提供の記録") && r.body.contains("あなたの情報へのアクセスの記録")
    );
    let r = web
        .submit(
            "/account/data",
            "/account/data",
            &[("format", "pdf"), ("password", DEMO_PW)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/pdf");
    let pdf = w.s.dir.path().join("mine.pdf");
    std::fs::write(&pdf, &r.bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils; test.sh installs it)");
    let text = String::from_utf8_lossy(&out.stdout);
    for m in MINE {
        assert!(text.contains(m), "the PDF lacks {m}");
    }
    let r = web
        .submit(
            "/account/data",
            "/account/data",
            &[("format", "json"), ("password", DEMO_PW)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains(MINE[0]));
}

#[tokio::test]
async fn the_privacy_officer_decides_requests_and_a_grant_holds_on_the_next_request() {
    let sink = SmtpSink::start();
    let w = world(Server::builder().smtp(&sink)).await;
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let seeker = c.api("GET", "/api/v1/me", Some(&st), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let officer =
        crate::http::staff_token(&w.s, &mut c, "privacy@staff.example", "privacy_officer").await;
    let support = crate::http::staff_token(&w.s, &mut c, "support@staff.example", "support").await;
    let path = format!("/api/v1/seekers/{seeker}");
    let r = c.api("GET", &path, Some(&fam), None).await;
    assert_eq!(
        r.status, 200,
        "the family member reads the name before: {}",
        r.body
    );
    assert!(r.body.contains("山田"), "{}", r.body);

    // Each refusal on its field, in both languages; nothing is filed.
    for (lang, word) in [("ja", "直して"), ("en", "corrected")] {
        c.lang = lang.into();
        let r = c
            .api(
                "POST",
                "/api/v1/me/requests",
                Some(&st),
                Some(json!({"kind": "correction", "detail": " ", "password": DEMO_PW})),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(
            r.json()["error"]["fields"]["detail"]["code"],
            "rights-detail-required"
        );
        assert!(r.body.contains(word), "{}", r.body);
    }
    c.lang = "ja".into();
    let r = c
        .api(
            "POST",
            "/api/v1/me/requests",
            Some(&st),
            Some(json!({"kind": "forget", "password": "nope"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let f = &r.json()["error"]["fields"];
    assert_eq!(f["kind"]["code"], "choice-invalid", "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/requests",
            Some(&st),
            Some(json!({"kind": "stop_provision", "password": "nope"})),
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["password"]["code"],
        "password-wrong"
    );
    let mine = c
        .api("GET", "/api/v1/me/requests", Some(&st), None)
        .await
        .json();
    assert_eq!(mine["requests"], json!([]));

    // Filed: the person sees it open, with its deadline (14 days).
    let r = c
        .api("POST", "/api/v1/me/requests", Some(&st), Some(json!({"kind": "stop_provision", "detail": "家族にも見せないでください", "password": DEMO_PW})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["request_id"].as_str().unwrap().to_owned();
    let mine = c
        .api("GET", "/api/v1/me/requests", Some(&st), None)
        .await
        .json();
    let m = &mine["requests"][0];
    assert_eq!(m["status"], "open");
    assert_eq!(
        m["due_at"].as_i64().unwrap() - m["created_at"].as_i64().unwrap(),
        14 * 86_400
    );

    // Only the privacy officer's screens show it.
    assert_eq!(
        c.api("GET", "/api/v1/operator/requests", Some(&support), None)
            .await
            .status,
        403
    );
    assert_eq!(
        c.api(
            "GET",
            &format!("/api/v1/operator/requests/{id}"),
            Some(&support),
            None
        )
        .await
        .status,
        403
    );
    let q = c
        .api("GET", "/api/v1/operator/requests", Some(&officer), None)
        .await;
    assert_eq!(q.status, 200);
    assert_eq!(q.json()["requests"][0]["id"], id.as_str());
    assert!(!q.body.contains("山田"), "the queue itself names nobody");
    let v = c
        .api(
            "GET",
            &format!("/api/v1/operator/requests/{id}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(v.status, 200, "{}", v.body);
    assert_eq!(v.json()["requester_email"], SEEKER_MAIL);
    assert!(v.body.contains("家族にも見せないでください"));

    // A refusal must say why; a grant is made once.
    let decide = format!("/api/v1/operator/requests/{id}/decide");
    let r = c
        .api(
            "POST",
            &decide,
            Some(&officer),
            Some(json!({"decision": "refuse", "reply": ""})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"]["fields"]["reply"]["code"],
        "rights-reason-required"
    );
    let r = c
        .api(
            "POST",
            &decide,
            Some(&officer),
            Some(json!({"decision": "grant", "reply": "提供を停止しました"})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c
        .api(
            "POST",
            &decide,
            Some(&officer),
            Some(json!({"decision": "refuse", "reply": "やはり"})),
        )
        .await;
    assert_eq!(r.status, 409);

    // From the next request on, nothing of the person goes to the family member; the
    // person still reads their own data and the answer; a mail told them.
    let r = c.api("GET", &path, Some(&fam), None).await;
    assert!(!r.body.contains("山田"), "{}", r.body);
    assert_eq!(
        c.api("GET", "/api/v1/me/profile", Some(&st), None)
            .await
            .status,
        200
    );
    let mine = c
        .api("GET", "/api/v1/me/requests", Some(&st), None)
        .await
        .json();
    assert_eq!(mine["requests"][0]["status"], "granted");
    assert_eq!(mine["requests"][0]["reply"], "提供を停止しました");
    let start = std::time::Instant::now();
    while !sink
        .mails
        .lock()
        .unwrap()
        .iter()
        .any(|m| m.rcpt.iter().any(|r| r == SEEKER_MAIL) && m.text().contains("/account/requests"))
    {
        assert!(start.elapsed().as_secs() < 20, "no answer mail");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // An erasure, granted: the account is closed and erased at once.
    register(&mut c, "seeker", "eraseme@example.jp", "消去 希望", None).await;
    let et = token(&mut c, "eraseme@example.jp", PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/requests",
            Some(&et),
            Some(json!({"kind": "erasure", "password": PW})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let eid = r.json()["request_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/requests/{eid}/decide"),
            Some(&officer),
            Some(json!({"decision": "grant", "reply": ""})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&et), None).await.status,
        401
    );
    let v = c
        .api(
            "GET",
            &format!("/api/v1/operator/requests/{eid}"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(v.status, 200, "{}", v.body);
    assert!(v.json()["requester_name"].is_null(), "erased: {}", v.body);
    assert!(!v.body.contains("消去 希望"));
}
