//! Messages over HTTP against a real server and a real SMTP exchange: the application
//! thread between the seeker and the company (another company, an unlinked supporter, a
//! family member and an operator get 404 on every message route); the seeker lets the
//! supporter into it, supporter-only messages reach the supporter and never the company;
//! read receipts and unread counts; attachments checked by content (a forged extension
//! is refused, nothing is saved), downloadable by participants only; the employment
//! thread (worker and follow-up person) and the support thread (seeker and facility).
//! Notification mail says that something happened and never what: no planted marker,
//! no company name to the seeker; each mail parses with Python's `email` and carries
//! MIME-Version, a Message-ID with the site's domain, Auto-Submitted and, on
//! notifications, a one-click List-Unsubscribe; switching a kind off stops its mail and
//! keeps the in-app notification.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::support::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const DEMO_PW: &str = "tsunagu-demo-2026";
const SITE: &str = "https://tsunagu.test.example";
const SEEKER_MAIL: &str = "seeker@demo.tsunagu.example";
const COMPANY: &str = "検索テスト株式会社";
/// Planted in message bodies and file names: must reach no mail and no stranger.
const M1: &str = "MSGQZ-HELLO-1";
const M2: &str = "MSGQZ-REPLY-2";
const M3: &str = "MSGQZ-SUPONLY-3";
const M4: &str = "MSGQZ-SUPONLY-4";
const FILE: &str = "履歴書-FILEQZ.pdf";

async fn id_of(c: &mut Client, t: &str) -> String {
    c.api("GET", "/api/v1/me", Some(t), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn threads(c: &mut Client, t: &str) -> Vec<Value> {
    let r = c.api("GET", "/api/v1/threads", Some(t), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["threads"].as_array().unwrap().clone()
}

async fn messages(c: &mut Client, t: &str, thread: &str) -> Vec<Value> {
    let r = c
        .api(
            "GET",
            &format!("/api/v1/threads/{thread}/messages"),
            Some(t),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["messages"].as_array().unwrap().clone()
}

async fn send(c: &mut Client, t: &str, thread: &str, body: Value) -> Resp {
    c.api(
        "POST",
        &format!("/api/v1/threads/{thread}/messages"),
        Some(t),
        Some(body),
    )
    .await
}

fn bodies(list: &[Value]) -> String {
    list.iter()
        .map(|m| m["body"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Waits until the sink holds `n` mails to `to`.
fn wait_count(sink: &SmtpSink, to: &str, n: usize) {
    let start = Instant::now();
    while sink.count_to(to) < n {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{to} has {} mails, waited for {n}",
            sink.count_to(to)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until no mail has come for 3 s (the outbox is polled every 2 s).
fn settle(sink: &SmtpSink) {
    let mut last = (sink.mails.lock().unwrap().len(), Instant::now());
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let n = sink.mails.lock().unwrap().len();
        if n != last.0 {
            last = (n, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(3) {
            return;
        }
    }
}

fn mails_to(sink: &SmtpSink, to: &str) -> Vec<Received> {
    sink.mails
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.rcpt.iter().any(|r| r == to))
        .cloned()
        .collect()
}

#[tokio::test]
async fn threads_between_the_right_people_only() {
    let sink = SmtpSink::start();
    let mut w = world(
        Server::builder()
            .smtp(&sink)
            .env("TSUNAGU_PUBLIC_URL", SITE),
    )
    .await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let op = w.op.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let emp_id = id_of(&mut c, &emp).await;
    register(
        &mut c,
        "employer",
        "other-co@example.jp",
        "他社",
        Some("他社株式会社"),
    )
    .await;
    let other = token(&mut c, "other-co@example.jp", PW).await;
    register(
        &mut c,
        "supporter",
        "lone@example.jp",
        "別の支援員",
        Some("別の事業所"),
    )
    .await;
    let lone = token(&mut c, "lone@example.jp", PW).await;

    // --- The seeker applies: the application's thread opens with it.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&st),
            Some(json!({"posting_id": posting, "openness": "open"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    let mine = threads(&mut c, &st).await;
    let job = mine
        .iter()
        .find(|t| t["kind"] == "application" && t["application_id"] == app.as_str())
        .unwrap_or_else(|| panic!("no application thread: {mine:?}"));
    let thread = job["id"].as_str().unwrap().to_owned();
    assert_eq!(job["company_name"], COMPANY);
    assert_eq!(job["supporter_joins"], false);
    // The demo seeker links the demo facility: a support thread stands too.
    let support = mine
        .iter()
        .find(|t| t["kind"] == "support")
        .unwrap_or_else(|| panic!("no support thread: {mine:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let company_sees = threads(&mut c, &emp).await;
    assert_eq!(company_sees.len(), 1, "{company_sees:?}");
    assert_eq!(company_sees[0]["id"], thread.as_str());
    // The company reads the applicant's name through the profile door.
    assert_eq!(company_sees[0]["seeker_name"], "山田 花子");
    let sup_sees = threads(&mut c, &sup).await;
    assert!(
        sup_sees.iter().all(|t| t["id"] != thread.as_str()),
        "the supporter is not in the job thread until the seeker says so: {sup_sees:?}"
    );
    assert!(sup_sees.iter().any(|t| t["id"] == support.as_str()));

    // --- Seeker and company write; mails say only that a message came.
    let r = send(
        &mut c,
        &st,
        &thread,
        json!({"body": format!("{M1} よろしくお願いします。https://example.jp/portfolio")}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let seen = messages(&mut c, &emp, &thread).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["from"], "seeker");
    assert!(seen[0]["body"].as_str().unwrap().contains(M1));
    let r = send(
        &mut c,
        &emp,
        &thread,
        json!({"body": format!("{M2} ありがとうございます。")}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The seeker's list counts the reply as unread; reading it clears the count.
    let t = threads(&mut c, &st).await;
    let t = t.iter().find(|t| t["id"] == thread.as_str()).unwrap();
    assert_eq!(t["unread"], 1, "{t}");
    let seen = messages(&mut c, &st, &thread).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0]["mine"], true);
    assert_eq!(
        seen[0]["read_by"],
        json!(["company"]),
        "read receipt: {seen:?}"
    );
    assert_eq!(seen[1]["from"], "company");
    let t = threads(&mut c, &st).await;
    assert_eq!(
        t.iter().find(|t| t["id"] == thread.as_str()).unwrap()["unread"],
        0
    );
    // Only the seeker's side marks a message "supporter only".
    let r = send(
        &mut c,
        &emp,
        &thread,
        json!({"body": "x", "visibility": "supporter_only"}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["visibility"]["code"],
        "choice-invalid"
    );
    let r = send(&mut c, &st, &thread, json!({"body": "  "})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"]["body"]["code"], "message-empty");

    // --- The seeker lets the supporter in; supporter-only stays on the seeker's side.
    let r = send(
        &mut c,
        &st,
        &thread,
        json!({"body": format!("{M3} 面接の前に相談させてください"), "visibility": "supporter_only"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/threads/{thread}/supporter"),
            Some(&st),
            Some(json!({"joins": true})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let sup_read = messages(&mut c, &sup, &thread).await;
    assert!(bodies(&sup_read).contains(M3), "{sup_read:?}");
    assert!(bodies(&sup_read).contains(M1));
    let r = send(
        &mut c,
        &sup,
        &thread,
        json!({"body": format!("{M4} はい、明日お電話します"), "visibility": "supporter_only"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let company_read = bodies(&messages(&mut c, &emp, &thread).await);
    assert!(
        !company_read.contains(M3) && !company_read.contains(M4),
        "{company_read}"
    );
    let seeker_read = messages(&mut c, &st, &thread).await;
    assert!(bodies(&seeker_read).contains(M4));
    let m4 = seeker_read
        .iter()
        .find(|m| m["body"].as_str().unwrap().contains(M4))
        .unwrap();
    assert_eq!(m4["from"], "supporter");
    assert_eq!(m4["visibility"], "supporter_only");
    // Only the seeker switches the supporter.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/threads/{thread}/supporter"),
            Some(&emp),
            Some(json!({"joins": false})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // --- Attachments: checked by content, sealed, for participants only.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec();
    let before = messages(&mut c, &st, &thread).await.len();
    for (name, content, code) in [
        (
            "cv.pdf",
            b"MZ\x90\x00\x03 not a pdf".to_vec(),
            "file-type-unknown",
        ),
        ("photo.png", pdf.clone(), "file-type-mismatch"),
        ("run.exe", b"plain words".to_vec(), "file-type-mismatch"),
    ] {
        let r = send(
            &mut c,
            &st,
            &thread,
            json!({"body": "添付します", "attachments": [{"name": name, "content_base64": b64(&content)}]}),
        )
        .await;
        assert_eq!(r.status, 422, "{name}: {}", r.body);
        assert_eq!(
            r.json()["error"]["fields"]["attachments"]["code"],
            code,
            "{name}"
        );
    }
    assert_eq!(
        messages(&mut c, &st, &thread).await.len(),
        before,
        "a refused message saves nothing"
    );
    let r = send(
        &mut c,
        &st,
        &thread,
        json!({"body": "履歴書を添付します", "attachments": [{"name": FILE, "content_base64": b64(&pdf)}]}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let list = messages(&mut c, &emp, &thread).await;
    let att = &list.last().unwrap()["attachments"][0];
    assert_eq!(att["name"], FILE);
    assert_eq!(att["mime"], "application/pdf");
    let att_id = att["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "GET",
            &format!("/api/v1/attachments/{att_id}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/pdf");
    assert!(r.header("content-disposition").starts_with("attachment;"));
    assert_eq!(r.body.as_bytes(), pdf.as_slice());
    // The file lies sealed on disk: its content is nowhere in plain.
    let stored = walk(&w.s.dir.path().join("files"));
    assert_eq!(
        stored.len(),
        1,
        "one sealed file in the file store: {stored:?}"
    );
    for f in stored {
        let bytes = std::fs::read(&f).unwrap();
        assert!(
            !bytes.windows(8).any(|x| x == b"%PDF-1.4"),
            "plain file at {f:?}"
        );
    }

    // --- Strangers: 404 on every message route, whoever they are.
    for (who, t) in [
        ("another company", &other),
        ("an unlinked supporter", &lone),
        ("a family member", &fam),
        ("an operator", &op),
    ] {
        for (m, path, body) in [
            ("GET", format!("/api/v1/threads/{thread}/messages"), None),
            (
                "POST",
                format!("/api/v1/threads/{thread}/messages"),
                Some(json!({"body": "x"})),
            ),
            (
                "PUT",
                format!("/api/v1/threads/{thread}/supporter"),
                Some(json!({"joins": true})),
            ),
            ("GET", format!("/api/v1/attachments/{att_id}"), None),
            ("GET", format!("/api/v1/threads/{support}/messages"), None),
        ] {
            let r = c.api(m, &path, Some(t), body).await;
            assert_eq!(r.status, 404, "{who} {m} {path}: {}", r.body);
            assert!(!r.body.contains("MSGQZ") && !r.body.contains("FILEQZ"));
        }
        let r = c.api("GET", "/api/v1/threads", Some(t), None).await;
        assert!(
            !r.body.contains(&thread),
            "{who} lists the thread: {}",
            r.body
        );
    }
    // The company is no party of the support thread.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/threads/{support}/messages"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 404);

    // --- The support thread: the seeker and the facility.
    let r = send(
        &mut c,
        &sup,
        &support,
        json!({"body": "来週の面談の日程です"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let s = messages(&mut c, &st, &support).await;
    assert_eq!(s[0]["from"], "supporter");
    let r = send(
        &mut c,
        &st,
        &support,
        json!({"body": "x", "visibility": "supporter_only"}),
    )
    .await;
    assert_eq!(
        r.status, 422,
        "no 'supporter only' where only the supporter reads"
    );

    // --- Mail: the seeker switches message mail off; the notice stays in the app.
    wait_count(&sink, SEEKER_MAIL, 1);
    let r = c
        .api(
            "PUT",
            "/api/v1/me/notification-settings",
            Some(&st),
            Some(json!({"settings": [{"kind": "messages", "email": false}]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["settings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "messages" && s["email"] == false)
    );
    // Read everything, so that the next message makes a fresh notice; let the mail
    // queued before the switch go out.
    messages(&mut c, &st, &thread).await;
    settle(&sink);
    let mails_before = sink.count_to(SEEKER_MAIL);
    let r = send(&mut c, &emp, &thread, json!({"body": "追加のご連絡です"})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let notes = c
        .api("GET", "/api/v1/me/notifications", Some(&st), None)
        .await
        .json();
    let fresh = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "message_new" && n["read_at"].is_null())
        .unwrap_or_else(|| panic!("no unread message notice: {notes}"));
    assert_eq!(fresh["link"], format!("/messages/{thread}"));
    assert_eq!(fresh["group"], "messages");
    // A mail of another kind still comes, and is the only new one.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/stage"),
            Some(&emp),
            Some(json!({"stage": "screening"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    wait_count(&sink, SEEKER_MAIL, mails_before + 1);
    settle(&sink);
    let after = parse_mails(&mails_to(&sink, SEEKER_MAIL)[mails_before..]);
    assert_eq!(after.len(), 1, "only the stage mail: {after:?}");
    assert!(
        after[0]["headers"]["subject"]
            .as_str()
            .unwrap()
            .contains("選考の段階"),
        "{after:?}"
    );

    // --- The employment thread: the worker and the follow-up person.
    for stage in ["interview", "offer"] {
        let r = c
            .api(
                "POST",
                &format!("/api/v1/employer/applications/{app}/stage"),
                Some(&emp),
                Some(json!({"stage": stage})),
            )
            .await;
        assert_eq!(r.status, 200, "{stage}: {}", r.body);
    }
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&emp),
            Some(json!({"start_date": "2027-01-04", "position": "一般事務", "hours_per_week": 20, "follow_up_user_id": emp_id})),
        )
        .await;
    assert!(r.status == 201 || r.status == 200, "{}", r.body);
    let work = threads(&mut c, &st).await;
    let work = work
        .iter()
        .find(|t| t["kind"] == "employment")
        .unwrap_or_else(|| panic!("no employment thread: {work:?}"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = send(
        &mut c,
        &emp,
        &work,
        json!({"body": "初日は9時にお越しください"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(messages(&mut c, &st, &work).await.len(), 1);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/threads/{work}/messages"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(
        r.status, 404,
        "the supporter joins this thread only when the seeker says so"
    );

    // Every mail so far: well formed, and saying nothing of what was written.
    assert!(sink.assert_well_formed() >= 4);
    let all: Vec<Received> = sink.mails.lock().unwrap().clone();
    for (raw, m) in all.iter().zip(parse_mails(&all)) {
        let id = m["headers"]["message-id"].as_str().unwrap();
        assert!(id.ends_with("@tsunagu.test.example>"), "{id}");
        let text = m["text"].as_str().unwrap();
        for marker in [M1, M2, M3, M4, "FILEQZ", "履歴書"] {
            assert!(
                !text.contains(marker) && !raw.data.contains(marker),
                "{marker} in a mail: {text}"
            );
        }
        if raw.rcpt.iter().any(|r| r == SEEKER_MAIL) {
            assert!(
                !text.contains(COMPANY),
                "the company's name in the seeker's mail: {text}"
            );
        }
        if text.contains("/notifications/settings") {
            let unsub = m["headers"]["list-unsubscribe"].as_str().unwrap();
            assert!(
                unsub.starts_with(&format!("<{SITE}/api/v1/unsubscribe/")),
                "{unsub}"
            );
        }
    }

    // --- One-click unsubscribe from the header, as a mail program does it.
    let company_mail = parse_mails(&mails_to(&sink, "hr@jobs.example.jp"));
    let header = company_mail
        .iter()
        .find_map(|m| m["headers"]["list-unsubscribe"].as_str())
        .expect("a notification mail to the company")
        .trim_matches(['<', '>'])
        .to_owned();
    let path = header.strip_prefix(SITE).unwrap();
    let r = reqwest::Client::new()
        .post(w.s.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    let s = c
        .api("GET", "/api/v1/me/notification-settings", Some(&emp), None)
        .await
        .json();
    assert!(
        s["settings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["email"] == false),
        "{s}"
    );
    let r = reqwest::Client::new()
        .post(w.s.url("/api/v1/unsubscribe/not-a-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// A date `days` from today in Japan, YYYY-MM-DD.
pub(crate) fn japan_date(days: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let z = (now + 9 * 3600).div_euclid(86_400) + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn the_agency_reads_only_while_the_seekers_own_consent_stands() {
    let sink = SmtpSink::start();
    let mut w = world(Server::builder().smtp(&sink)).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let op = w.op.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let org =
        c.api("GET", "/api/v1/me", Some(&emp), None).await.json()["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&st),
            Some(json!({"posting_id": posting, "openness": "closed"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    let thread = threads(&mut c, &st)
        .await
        .into_iter()
        .find(|t| t["application_id"] == app.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let agency_path = format!("/api/v1/operator/agency/threads/{thread}/messages");
    let r = send(
        &mut c,
        &st,
        &thread,
        json!({"body": "AGQZ-EARLY 応募しました"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // Without the company's delegation: nothing, whatever the seeker says.
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The delegation: a period, checked.
    let r = c
        .api(
            "POST",
            "/api/v1/company/agency",
            Some(&emp),
            Some(json!({"from": japan_date(5), "until": japan_date(1)})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["until"]["code"],
        "until-before-from"
    );
    let r = c
        .api(
            "POST",
            "/api/v1/company/agency",
            Some(&emp),
            Some(json!({"from": japan_date(0), "until": japan_date(30)})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["delegation"]["standing"], true);
    // The seeker is told; the agency still reads nothing before the seeker's consent.
    let t = threads(&mut c, &st).await;
    let t = t.iter().find(|t| t["id"] == thread.as_str()).unwrap();
    assert_eq!(t["agency_delegated"], true);
    assert_eq!(t["agency_consent"], false);
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 404, "before consent: {}", r.body);
    let r = c
        .api("GET", "/api/v1/operator/agency/threads", Some(&op), None)
        .await;
    assert!(!r.body.contains(&thread), "{}", r.body);
    // The generic consent routes do not give this consent (it names a company).
    let r = c
        .api(
            "POST",
            "/api/v1/me/consents/agency_message_access/give",
            Some(&st),
            Some(json!({"recipient": "no-such-company"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["recipient"]["code"],
        "organization-unknown"
    );

    // The seeker's own consent, for this company.
    let r = c
        .api(
            "POST",
            "/api/v1/me/consents/agency_message_access/give",
            Some(&st),
            Some(json!({"recipient": org})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let consents = c
        .api("GET", "/api/v1/me/consents", Some(&st), None)
        .await
        .json();
    let rec = consents["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["kind"] == "agency_message_access")
        .unwrap()
        .clone();
    assert_eq!(rec["recipient_id"], org.as_str());
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 200, "while consent stands: {}", r.body);
    assert!(r.body.contains("AGQZ-EARLY"), "{}", r.body);
    // The agency sees the messages only: no name, no profile.
    assert!(r.json()["thread"]["seeker_name"].is_null(), "{}", r.body);
    let r = c
        .api("GET", "/api/v1/operator/agency/threads", Some(&op), None)
        .await;
    assert!(r.body.contains(&thread), "{}", r.body);
    // The agency's door is its own: the participants' routes stay closed to it.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/threads/{thread}/messages"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // It replies in the company's name, marked as the agency; no "supporter only".
    let r = c
        .api(
            "POST",
            &agency_path,
            Some(&op),
            Some(json!({"body": "採用代行です。面接の日程をご相談させてください。", "visibility": "supporter_only"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = c
        .api(
            "POST",
            &agency_path,
            Some(&op),
            Some(json!({"body": "採用代行です。面接の日程をご相談させてください。"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let seen = messages(&mut c, &st, &thread).await;
    let reply = seen.last().unwrap();
    assert_eq!(reply["from"], "agency", "{reply}");
    // The company sees the agency's reply too.
    let seen = messages(&mut c, &emp, &thread).await;
    assert_eq!(seen.last().unwrap()["from"], "agency");
    // Every read shows on the seeker's privacy page.
    let me = c
        .api("GET", "/api/v1/me/agency", Some(&st), None)
        .await
        .json();
    let reads = me["reads"].as_array().unwrap();
    assert!(!reads.is_empty(), "{me}");
    assert_eq!(reads[0]["company_id"], org.as_str());
    assert_eq!(reads[0]["company_name"], COMPANY);
    let mut web = w.s.client();
    let r = sign_in(&mut web, SEEKER_MAIL, DEMO_PW).await;
    assert_eq!(r.status, 303);
    let page = web.get("/privacy-settings").await;
    assert!(
        page.body
            .contains("運営がこの会社とのメッセージを読みました"),
        "{}",
        page.body
    );
    let page = web.get(&format!("/privacy-settings/agency/{org}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("運営スタッフ"), "{}", page.body);

    // Withdrawal cuts access on the next request; what is written after it is never
    // shown to the agency, even once consent is given again.
    let r = web
        .submit(
            &format!("/privacy-settings/agency/{org}"),
            &format!("/privacy-settings/agency/{org}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 404, "after withdrawal: {}", r.body);
    let r = c
        .api("POST", &agency_path, Some(&op), Some(json!({"body": "x"})))
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = send(
        &mut c,
        &st,
        &thread,
        json!({"body": "AGQZ-AFTER 取り消した後の話"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/consents/agency_message_access/give",
            Some(&st),
            Some(json!({"recipient": org})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("AGQZ-EARLY") && !r.body.contains("AGQZ-AFTER"),
        "{}",
        r.body
    );
    // The company still reads everything.
    assert!(bodies(&messages(&mut c, &emp, &thread).await).contains("AGQZ-AFTER"));

    // An operator without the agency role: nothing.
    let out = w.s.command(&[
        "operator",
        "role",
        "operator@demo.tsunagu.example",
        "agency",
        "off",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 403, "the route is the agency role's: {}", r.body);
    let out = w.s.command(&[
        "operator",
        "role",
        "operator@demo.tsunagu.example",
        "agency",
        "on",
    ]);
    assert!(out.status.success());
    assert_eq!(
        c.api("GET", &agency_path, Some(&op), None).await.status,
        200
    );
    // The company ends the delegation: nothing, whatever the seeker says.
    let r = c
        .api("POST", "/api/v1/company/agency/end", Some(&emp), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c.api("GET", &agency_path, Some(&op), None).await;
    assert_eq!(r.status, 404, "{}", r.body);
    // Family and the company cannot use the agency's routes at all.
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    for t in [&fam, &emp, &st] {
        let r = c.api("GET", &agency_path, Some(t), None).await;
        assert!(r.status == 403 || r.status == 404, "{}", r.status);
        assert!(!r.body.contains("AGQZ"));
    }
}

/// Runs `tsunagu operator role <demo operator> agency on|off`.
fn agency_role(s: &Server, on: bool) {
    let out = s.command(&[
        "operator",
        "role",
        "operator@demo.tsunagu.example",
        "agency",
        if on { "on" } else { "off" },
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_agency_scouts_in_the_companys_name_only_while_delegated() {
    let sink = SmtpSink::start();
    let mut w = world(Server::builder().smtp(&sink)).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let op = w.op.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let me = c.api("GET", "/api/v1/me", Some(&st), None).await.json();
    let seeker = me["id"].as_str().unwrap().to_owned();
    let seeker_name = me["name"].as_str().unwrap().to_owned();
    let op_id = id_of(&mut c, &op).await;
    let org =
        c.api("GET", "/api/v1/me", Some(&emp), None).await.json()["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let search = format!("/api/v1/operator/agency/companies/{org}/scout-search");
    let scouts = format!("/api/v1/operator/agency/companies/{org}/scouts");
    let page = format!("/operator/agency/companies/{org}/scouts");
    let scout =
        json!({"seeker_id": seeker, "posting_id": posting, "message": "代行でご連絡します"});

    // Before the company delegates: nothing, and no company to act for.
    let r = c
        .api("GET", "/api/v1/operator/agency/companies", Some(&op), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["companies"], json!([]), "{}", r.body);
    assert_eq!(c.api("GET", &search, Some(&op), None).await.status, 404);
    let r = c.api("POST", &scouts, Some(&op), Some(scout.clone())).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/company/agency",
            Some(&emp),
            Some(json!({"from": japan_date(0), "until": japan_date(30)})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // The company and its published posting are on the agency's list.
    let r = c
        .api("GET", "/api/v1/operator/agency/companies", Some(&op), None)
        .await;
    let list = r.json()["companies"].as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{}", r.body);
    assert_eq!(list[0]["company_id"], org.as_str());
    assert_eq!(list[0]["company_name"], COMPANY);
    assert_eq!(list[0]["verified"], true);
    assert_eq!(list[0]["postings"][0]["id"], posting.as_str());
    // Only the agency role opens it; the company's members and the seeker have no
    // agency routes at all.
    agency_role(&w.s, false);
    assert_eq!(c.api("GET", &search, Some(&op), None).await.status, 403);
    let r = c
        .api("GET", "/api/v1/operator/agency/companies", Some(&op), None)
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(!r.body.contains(COMPANY));
    agency_role(&w.s, true);
    for t in [&emp, &st] {
        let r = c.api("GET", &search, Some(t), None).await;
        assert!(r.status == 403 || r.status == 404, "{}", r.status);
        let r = c.api("POST", &scouts, Some(t), Some(scout.clone())).await;
        assert!(r.status == 403 || r.status == 404, "{}", r.status);
    }

    // The agency finds the seeker as the company's scout search would: the sections the
    // seeker shows to scouts, never the name or contacts; recorded as provided to the
    // company, received by the agency's staff member.
    let before = c
        .api("GET", "/api/v1/me/provision-records", Some(&st), None)
        .await
        .json()["provision_records"]
        .as_array()
        .unwrap()
        .len();
    let r = c.api("GET", &search, Some(&op), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let found = r.json()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["seeker_id"] == seeker.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("the seeker is not found: {}", r.body));
    for hidden in ["name", "kana", "phone", "email", "address", "certificate"] {
        assert!(found.get(hidden).is_none(), "{hidden}: {found}");
    }
    assert!(!r.body.contains(&seeker_name), "{}", r.body);
    let employer_view = c
        .api("GET", "/api/v1/scout-search", Some(&emp), None)
        .await
        .json()["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["seeker_id"] == seeker.as_str())
        .cloned()
        .unwrap();
    assert_eq!(
        found["items"], employer_view["items"],
        "the company's own view"
    );
    let records = c
        .api("GET", "/api/v1/me/provision-records", Some(&st), None)
        .await
        .json()["provision_records"]
        .as_array()
        .unwrap()
        .clone();
    assert!(records.len() > before);
    let rec = records
        .iter()
        .find(|p| p["basis"] == "agency_scout_search")
        .unwrap_or_else(|| panic!("no agency record: {records:?}"));
    assert_eq!(rec["recipient_organization_id"], org.as_str());
    assert_eq!(rec["recipient_organization"], COMPANY);
    assert_eq!(rec["recipient_user_id"], op_id.as_str());
    // The seeker's privacy page names it.
    let mut web = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    let privacy = web.get("/privacy-settings").await;
    assert!(
        privacy.body.contains("採用代行によるスカウト検索"),
        "{}",
        privacy.body
    );

    // A scout in the company's name: bad input is tied to its field.
    let r = c
        .api(
            "POST",
            &scouts,
            Some(&op),
            Some(json!({"seeker_id": seeker, "posting_id": "no-such", "message": "x"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["posting_id"]["code"],
        "posting-unknown"
    );
    let r = c
        .api(
            "POST",
            &scouts,
            Some(&op),
            Some(json!({"seeker_id": seeker, "posting_id": posting, "message": "  "})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["message"]["code"],
        "text-required"
    );
    let r = c.api("POST", &scouts, Some(&op), Some(scout.clone())).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let scout_id = r.json()["scout_id"].as_str().unwrap().to_owned();
    let r = c.api("POST", &scouts, Some(&op), Some(scout.clone())).await;
    assert_eq!(r.status, 409, "one waiting scout per seeker: {}", r.body);

    // The seeker sees the company's name and that the agency sent it.
    let mine = c
        .api("GET", "/api/v1/me/scouts", Some(&st), None)
        .await
        .json();
    let got = mine["scouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == scout_id.as_str())
        .cloned()
        .unwrap();
    assert_eq!(got["organization"], COMPANY);
    assert_eq!(got["by_agency"], true);
    let page_body = web.get("/scouts").await.body;
    assert!(
        page_body.contains("採用代行(つなぐの運営スタッフ)が、会社の名前で送りました"),
        "{page_body}"
    );
    // The company's own scouts say nothing of the kind.
    let own = c
        .api("POST", "/api/v1/scouts", Some(&emp), Some(scout.clone()))
        .await;
    assert_eq!(own.status, 409, "the agency's scout waits: {}", own.body);
    // The mail says a scout came, never who sent it.
    wait_count(&sink, SEEKER_MAIL, 1);
    settle(&sink);
    for m in parse_mails(&mails_to(&sink, SEEKER_MAIL)) {
        let text = m.to_string();
        assert!(
            !text.contains(COMPANY) && !text.contains("代行でご連絡します"),
            "{text}"
        );
    }

    // Accepting opens an application with the company; the agency hears it on its page
    // and no longer finds the seeker by scout (an applicant is the company's alone).
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/scouts/{scout_id}/accept"),
            Some(&st),
            Some(json!({"openness": "closed"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let notes = c
        .api("GET", "/api/v1/me/notifications", Some(&op), None)
        .await
        .json();
    let note = notes["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "scout_answered" && n["ref_id"] == scout_id.as_str())
        .cloned()
        .unwrap_or_else(|| panic!("no notice: {notes}"));
    assert_eq!(note["link"], "/operator/agency");
    let r = c.api("GET", &search, Some(&op), None).await;
    assert_eq!(r.status, 200);
    assert!(!r.body.contains(&seeker), "{}", r.body);
    let apps = c
        .api("GET", "/api/v1/employer/applications", Some(&emp), None)
        .await;
    assert!(apps.body.contains(&seeker_name), "{}", apps.body);

    // The page: the company on the agency's list, the search, the send form.
    let mut opweb = page_client(&w.s, "operator@demo.tsunagu.example", DEMO_PW).await;
    let list = opweb.get("/operator/agency").await;
    assert!(list.body.contains(&page), "{}", list.body);
    let r = opweb.get(&format!("{page}?search=1")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(COMPANY), "{}", r.body);
    assert!(r.body.contains(&format!("action=\"{page}\"")), "{}", r.body);

    // The delegation ends: the agency acts for the company no more.
    let r = c
        .api("POST", "/api/v1/company/agency/end", Some(&emp), None)
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(c.api("GET", &search, Some(&op), None).await.status, 404);
    let r = c.api("POST", &scouts, Some(&op), Some(scout)).await;
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(opweb.get(&page).await.status, 404);
    sink.assert_well_formed();
}

#[tokio::test]
async fn a_reported_message_reaches_the_operator_alone_and_a_suspension_holds() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let op = w.op.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    register(
        &mut c,
        "employer",
        "other-co@example.jp",
        "他社",
        Some("他社株式会社"),
    )
    .await;
    let other = token(&mut c, "other-co@example.jp", PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&st),
            Some(json!({"posting_id": posting, "openness": "open"})),
        )
        .await;
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    let thread = threads(&mut c, &st)
        .await
        .into_iter()
        .find(|t| t["application_id"] == app.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = send(&mut c, &emp, &thread, json!({"body": "ABUSEQZ ひどい言葉"})).await;
    let bad = r.json()["message_id"].as_str().unwrap().to_owned();
    let report = |m: &str| format!("/api/v1/messages/{m}/report");
    // Only a reader reports, never the sender, only for a known reason.
    let r = c
        .api(
            "POST",
            &report(&bad),
            Some(&other),
            Some(json!({"reason": "harassment"})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = c
        .api(
            "POST",
            &report(&bad),
            Some(&emp),
            Some(json!({"reason": "harassment"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c
        .api(
            "POST",
            &report(&bad),
            Some(&st),
            Some(json!({"reason": "rude"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    // Through the thread page's form, as the seeker does it.
    let mut web = w.s.client();
    sign_in(&mut web, SEEKER_MAIL, DEMO_PW).await;
    let r = web
        .submit(
            &format!("/messages/{thread}"),
            &format!("/messages/{thread}/report"),
            &[("message_id", &bad), ("reason", "harassment")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The operator's list holds no content; one report, with the purpose, the message only.
    let r = c
        .api("GET", "/api/v1/operator/message-reports", Some(&op), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains("ABUSEQZ"), "{}", r.body);
    let id = r.json()["reports"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/operator/message-reports/{id}");
    let r = c.api("GET", &path, Some(&op), None).await;
    assert_eq!(r.status, 422, "no purpose, no message: {}", r.body);
    let r = c
        .api(
            "GET",
            &format!("{path}?purpose=account_support"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    let r = c
        .api(
            "GET",
            &format!("{path}?purpose=abuse_report"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["body"], "ABUSEQZ ひどい言葉");
    assert_eq!(r.json()["sender_side"], "company");
    assert!(!r.body.contains("山田"), "no one's name: {}", r.body);
    for t in [&st, &emp] {
        let r = c
            .api(
                "GET",
                &format!("{path}?purpose=abuse_report"),
                Some(t),
                None,
            )
            .await;
        assert_eq!(r.status, 403);
    }
    // Suspension: the sender's sessions end and they cannot sign in or write.
    let r = c
        .api(
            "POST",
            &format!("{path}/decide"),
            Some(&op),
            Some(json!({"decision": "suspend"})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c.api("GET", "/api/v1/me", Some(&emp), None).await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "hr@jobs.example.jp", "password": PW})),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/operator/message-reports/none/decide",
            Some(&op),
            Some(json!({"decision": "warn"})),
        )
        .await;
    assert_eq!(r.status, 404);
    let r = c
        .api("GET", "/api/v1/operator/message-reports", Some(&op), None)
        .await;
    assert!(
        r.json()["reports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["decision"] == "suspend")
    );
}
