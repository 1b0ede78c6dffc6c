//! Selection over HTTP: a verified company searches scouts with filters (judged on the
//! masked profile, before anything is disclosed), scouts the demo seeker for a posting;
//! the seeker accepts (open, with the supporter taking part), which opens an application;
//! the company proposes interview times with accommodations, the supporter picks one for
//! the seeker, the `.ics` parses with Python's `icalendar` in Asia/Tokyo; the ledger holds
//! a request, a refusal without a reason is refused, a decision is acknowledged, versions
//! are never lost; the company hires and the employment record is visible to the worker,
//! the follow-up person and the supporter. Family sharing application status see the
//! stage only; another company, an unlinked supporter and family without the share get
//! 404 on every new route; the company's internal notes reach nothing the seeker reads;
//! each disclosure is one provision record; notice mails carry no company name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::support::*;
use serde_json::{Value, json};

const DEMO_PW: &str = "tsunagu-demo-2026";
const SUB_MARKER: &str = "SUBSTAGE-QZ-81";
const NOTE_MARKER: &str = "NOTE-QZ-4417";

async fn id_of(c: &mut Client, t: &str) -> String {
    c.api("GET", "/api/v1/me", Some(t), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A local time in Japan `days` from now at `hh:00`, as `YYYY-MM-DDTHH:MM`.
fn japan_time(days: i64, hh: u32) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let local = now + 9 * 3600 + days * 86_400;
    let z = local.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:00")
}

/// Parses an iCalendar file with Python's `icalendar` and returns what it read.
fn parse_ics(body: &str) -> Value {
    let script = r#"
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.read())
ev = [c for c in cal.walk() if c.name == "VEVENT"][0]
start = ev.decoded("DTSTART")
print(json.dumps({
    "method": str(cal.get("METHOD")),
    "uid": str(ev.get("UID")),
    "sequence": int(ev.get("SEQUENCE")),
    "status": str(ev.get("STATUS")),
    "tz": str(start.tzinfo),
    "utcoffset": start.utcoffset().total_seconds(),
    "start": start.strftime("%Y-%m-%dT%H:%M"),
    "minutes": (ev.decoded("DTEND") - start).total_seconds() / 60,
    "summary": str(ev.get("SUMMARY")),
    "location": str(ev.get("LOCATION")),
}))
"#;
    use std::io::Write;
    let mut p = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed to parse the calendar file");
    p.stdin.take().unwrap().write_all(body.as_bytes()).unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Python's icalendar could not parse the file (is it installed? test.sh installs it): {}\n{body}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn records(c: &mut Client, st: &str) -> Vec<Value> {
    c.api("GET", "/api/v1/me/provision-records", Some(st), None)
        .await
        .json()["provision_records"]
        .as_array()
        .unwrap()
        .clone()
}

fn times_for(recs: &[Value], recipient: &str) -> i64 {
    recs.iter()
        .filter(|r| r["recipient_user_id"] == recipient)
        .map(|r| r["times"].as_i64().unwrap())
        .sum()
}

#[tokio::test]
async fn scout_accept_interview_ledger_and_hire() {
    let sink = SmtpSink::start();
    let mut w = world(
        Server::builder()
            .smtp(&sink)
            .env("TSUNAGU_ALERT_INTERVAL_SECONDS", "1"),
    )
    .await;
    let posting = publish(&mut w, json!({"hours_per_week": 30})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, "seeker@demo.tsunagu.example", DEMO_PW).await;
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let seeker = id_of(&mut c, &st).await;
    let emp_id = id_of(&mut c, &emp).await;
    let sup_id = id_of(&mut c, &sup).await;
    // Outsiders: another verified company, a supporter of another facility, and a family
    // member of the seeker without the "application status" share.
    register(
        &mut c,
        "employer",
        "other-co@example.jp",
        "他社",
        Some("他社株式会社"),
    )
    .await;
    let other = token(&mut c, "other-co@example.jp", PW).await;
    let other_org = c.api("GET", "/api/v1/me", Some(&other), None).await.json()["organizations"][0]
        ["org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    verify_company(&w.s, &other_org);
    register(
        &mut c,
        "supporter",
        "lone@example.jp",
        "別の支援員",
        Some("別の事業所"),
    )
    .await;
    let lone = token(&mut c, "lone@example.jp", PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/invitations",
            Some(&st),
            Some(json!({"kind": "family", "email": "brother@example.jp", "relation": "sibling"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tok = invitation_token(&w.s, Some(&sink), "brother@example.jp");
    let r = c
        .api(
            "POST",
            "/api/v1/invitations/accept",
            None,
            Some(
                json!({"token": tok, "name": "兄", "password": PW, "consents": ["privacy_policy"]}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let unshared = token(&mut c, "brother@example.jp", PW).await;

    // --- The scout search: filters judged on the masked profile, before disclosure.
    let before = records(&mut c, &st).await;
    let r = c
        .api(
            "GET",
            "/api/v1/scout-search?prefecture=47&hours=60",
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        !r.body.contains(&seeker),
        "the demo seeker matches neither Okinawa nor 60 hours"
    );
    assert_eq!(
        times_for(&records(&mut c, &st).await, &emp_id),
        times_for(&before, &emp_id),
        "a seeker the filter leaves out is not disclosed"
    );
    let r = c
        .api(
            "GET",
            "/api/v1/scout-search?category=nope",
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["category"]["code"],
        "choice-invalid"
    );
    let r = c.api("GET", "/api/v1/scout-search", Some(&emp), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let found = r.json()["candidates"].as_array().unwrap().clone();
    let me = found
        .iter()
        .find(|v| v["seeker_id"] == seeker.as_str())
        .expect("the demo seeker is found");
    assert!(
        me.get("name").is_none() && me.get("phone").is_none(),
        "masked: {me}"
    );
    assert_eq!(
        times_for(&records(&mut c, &st).await, &emp_id),
        times_for(&before, &emp_id) + 1,
        "one search that showed the seeker: one more provision"
    );

    // --- The scout, for a posting; not twice while it waits; not for another's posting.
    let r = c
        .api(
            "POST",
            "/api/v1/scouts",
            Some(&emp),
            Some(json!({"seeker_id": seeker, "posting_id": "nope", "message": "ぜひ"})),
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
            "/api/v1/scouts",
            Some(&emp),
            Some(json!({"seeker_id": seeker, "posting_id": posting, "message": "ぜひ面接にお越しください。"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let scout = r.json()["scout_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/scouts",
            Some(&emp),
            Some(json!({"seeker_id": seeker, "posting_id": posting, "message": "もう一度"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c.api("GET", "/api/v1/me/scouts", Some(&st), None).await;
    let mine = r.json()["scouts"].as_array().unwrap().clone();
    let s = mine.iter().find(|s| s["id"] == scout.as_str()).unwrap();
    assert_eq!(s["posting_id"], posting.as_str());
    assert!(s["posting_title"].is_string());

    // --- Accepted, open, with the supporter taking part: an application opens.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/scouts/{scout}/accept"),
            Some(&st),
            Some(json!({"openness": "open", "supporter_joins": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/stage"),
            Some(&emp),
            Some(json!({"stage": "screening", "internal_stage": SUB_MARKER, "note": NOTE_MARKER})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // --- Interview: times and accommodations; a past time is refused, tied to the field.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/interviews"),
            Some(&emp),
            Some(json!({"slots": [{"starts_at": "2020-01-01T10:00", "minutes": 60, "place": "本社", "online_url": ""}]})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["slots.0"]["code"],
        "slot-in-past"
    );
    let tomorrow = japan_time(1, 14);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/interviews"),
            Some(&emp),
            Some(json!({
                "slots": [
                    {"starts_at": tomorrow, "minutes": 90, "place": "本社 3階 第一会議室, 東京", "online_url": ""},
                    {"starts_at": japan_time(3, 10), "minutes": 60, "place": "", "online_url": "https://meet.example.jp/abc"}
                ],
                "accommodations": ["supporter_present", "written_questions"]
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let interview = r.json()["interview_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        v["stage"], "interview",
        "proposing an interview moves the stage there"
    );
    assert_eq!(v["relationship"], "seeker");
    let slots = v["interviews"][0]["slots"].as_array().unwrap().clone();
    assert_eq!(slots.len(), 2);
    assert_eq!(
        v["interviews"][0]["accommodations"],
        json!(["supporter_present", "written_questions"])
    );
    // The dashboards say what to do next: the seeker picks a time; the company sees the
    // application from the scout. Opening the application reads its notices.
    let mut seeker_web = w.s.client();
    let r = seeker_web
        .submit(
            "/login",
            "/login",
            &[
                ("email", "seeker@demo.tsunagu.example"),
                ("password", DEMO_PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let d = seeker_web.get("/dashboard").await;
    assert_eq!(d.status, 200);
    let link = format!("href=\"/applications/{app}\"");
    assert!(
        d.body.contains("面接の日時が提案されました") && d.body.contains(&link),
        "{}",
        d.body
    );
    assert!(d.body.contains("新着"));
    assert!(
        !d.body.contains("seeker@demo.tsunagu.example"),
        "account details are on /account"
    );
    assert_eq!(
        seeker_web.get(&format!("/applications/{app}")).await.status,
        200
    );
    let d = seeker_web.get("/dashboard").await;
    // (The demo conversation may leave notices of its own thread unread.)
    let unread_here = d
        .body
        .split("<li")
        .any(|item| item.contains(&link) && item.contains("unread"));
    assert!(d.body.contains(&link) && !unread_here, "read once opened");
    assert!(
        seeker_web
            .get("/account")
            .await
            .body
            .contains("seeker@demo.tsunagu.example")
    );
    // No calendar file before a time is chosen.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/interviews/{interview}/ics"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 404);
    // The supporter taking part picks the first time for the seeker.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/interviews/{interview}/answer"),
            Some(&sup),
            Some(json!({"slot_id": slots[0]["id"]})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/interviews/{interview}/ics"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.header("content-type").starts_with("text/calendar"));
    let ics = parse_ics(&r.body);
    assert_eq!(ics["method"], "PUBLISH");
    assert_eq!(ics["tz"], "Asia/Tokyo");
    assert_eq!(ics["utcoffset"], 9.0 * 3600.0);
    assert_eq!(ics["start"], tomorrow.as_str());
    assert_eq!(ics["minutes"], 90.0);
    assert_eq!(ics["location"], "本社 3階 第一会議室, 東京");
    assert!(
        ics["summary"]
            .as_str()
            .unwrap()
            .contains("検索テスト株式会社")
    );
    let uid = ics["uid"].as_str().unwrap().to_owned();
    let seq = ics["sequence"].as_i64().unwrap();
    // The supporter (as a participant) gets the same file.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/interviews/{interview}/ics"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    // The reminder the day before goes to both sides, once.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while sink.count_to("hr@jobs.example.jp") == 0
        || !sink.mails.lock().unwrap().iter().any(|m| {
            m.rcpt.iter().any(|r| r == "seeker@demo.tsunagu.example")
                && m.text().contains("明日は面接")
        })
    {
        assert!(
            std::time::Instant::now() < deadline,
            "no interview reminder"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }

    // --- The ledger: a request in the seeker's words; a refusal must give its reason.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{app}/accommodations"),
            Some(&st),
            Some(json!({"codes": ["written_instructions"], "request": "口頭の指示は覚えにくいので、メモでいただけると助かります。"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v1 = r.json()["entry_id"].as_str().unwrap().to_owned();
    let item = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}/accommodations"),
            Some(&emp),
            None,
        )
        .await
        .json()["items"][0]["item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{app}/accommodations"),
            Some(&emp),
            Some(json!({"item_id": item, "decision": "not_possible", "discussion": "面談で話し合いました。"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["reason"]["code"],
        "reason-required"
    );
    for lang in ["ja", "en"] {
        c.lang = lang.into();
        let r = c
            .api(
                "POST",
                &format!("/api/v1/applications/{app}/accommodations"),
                Some(&emp),
                Some(json!({"item_id": item, "decision": "not_possible", "discussion": "x"})),
            )
            .await;
        let msg = r.json()["error"]["fields"]["reason"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            msg.contains(if lang == "ja" {
                "理由"
            } else {
                "not possible"
            }),
            "{msg}"
        );
    }
    c.lang = "ja".into();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{app}/accommodations"),
            Some(&emp),
            Some(json!({"item_id": item, "decision": "provided", "discussion": "指示は毎回メモでお渡しします。", "decided_on": "2026-12-03"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let v2 = r.json()["entry_id"].as_str().unwrap().to_owned();
    // The seeker acknowledges the company's version; the old version cannot be.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{app}/accommodations/{v1}/ack"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{app}/accommodations/{v2}/ack"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let l = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}/accommodations"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(
        l.status, 200,
        "the supporter taking part sees the ledger: {}",
        l.body
    );
    let versions = l.json()["items"][0]["versions"].as_array().unwrap().clone();
    assert_eq!(versions.len(), 2, "nothing is lost: {versions:?}");
    assert_eq!(versions[0]["decision"], "pending");
    assert_eq!(versions[1]["decision"], "provided");
    assert_eq!(versions[1]["request"], versions[0]["request"]);
    assert_eq!(versions[1]["seeker_acknowledged"], true);
    assert_eq!(versions[1]["company_acknowledged"], true);

    // --- Who sees what of the application.
    let company = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&emp),
            None,
        )
        .await
        .json();
    assert_eq!(company["relationship"], "company");
    assert_eq!(company["internal_stage"], SUB_MARKER);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(r.json()["relationship"], "supporter");
    assert!(r.json()["interviews"].is_array() && r.json()["ledger"].is_array());
    let r = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&fam),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let f = r.json();
    assert_eq!(f["relationship"], "family");
    assert_eq!(f["stage"], "interview");
    for k in [
        "message",
        "interviews",
        "ledger",
        "employment",
        "internal_stage",
        "note",
    ] {
        assert!(
            f.get(k).is_none(),
            "family sees the stage only, not {k}: {f}"
        );
    }
    // Internal notes in nothing the seeker, supporter or family reads.
    for (who, tok) in [("seeker", &st), ("supporter", &sup), ("family", &fam)] {
        for url in [
            format!("/api/v1/applications/{app}"),
            format!("/api/v1/applications/{app}/accommodations"),
            "/api/v1/me/applications".to_owned(),
            "/api/v1/me/scouts".to_owned(),
        ] {
            let r = c.api("GET", &url, Some(tok), None).await;
            assert!(
                !r.body.contains(SUB_MARKER) && !r.body.contains(NOTE_MARKER),
                "{who} {url}: {}",
                r.body
            );
        }
    }
    for url in [
        format!("/applications/{app}"),
        "/applications".to_owned(),
        "/scouts".to_owned(),
    ] {
        let r = seeker_web.get(&url).await;
        assert_eq!(r.status, 200, "{url}");
        assert!(
            !r.body.contains(SUB_MARKER) && !r.body.contains(NOTE_MARKER),
            "{url}"
        );
    }
    // Each view of the application by another party is one provision record.
    let before = records(&mut c, &st).await;
    c.api(
        "GET",
        &format!("/api/v1/applications/{app}"),
        Some(&sup),
        None,
    )
    .await;
    let after = records(&mut c, &st).await;
    assert_eq!(times_for(&after, &sup_id), times_for(&before, &sup_id) + 1);
    let rec = after
        .iter()
        .find(|r| {
            r["recipient_user_id"] == sup_id.as_str()
                && r["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i == "accommodation_ledger")
        })
        .expect("the supporter's view is recorded with the ledger");
    assert_eq!(rec["basis"], "supporter_link");
    let r = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    let rec = records(&mut c, &st).await;
    let co = rec
        .iter()
        .find(|r| {
            r["recipient_user_id"] == emp_id.as_str()
                && r["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|i| i == "interviews")
        })
        .expect("the company's view is recorded");
    assert_eq!(co["basis"], "scout_accept");
    assert!(
        !co["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "internal_notes")
    );

    // --- Outsiders: 404 on every new route.
    let entry = v2.clone();
    for (who, tok) in [
        ("other company", &other),
        ("unlinked supporter", &lone),
        ("family without the share", &unshared),
    ] {
        for (m, url, body) in [
            ("GET", format!("/api/v1/applications/{app}"), None),
            (
                "GET",
                format!("/api/v1/applications/{app}/accommodations"),
                None,
            ),
            ("GET", format!("/api/v1/interviews/{interview}/ics"), None),
            (
                "POST",
                format!("/api/v1/interviews/{interview}/answer"),
                Some(json!({"slot_id": slots[1]["id"]})),
            ),
            (
                "POST",
                format!("/api/v1/applications/{app}/accommodations"),
                Some(json!({"request": "x"})),
            ),
            (
                "POST",
                format!("/api/v1/applications/{app}/accommodations/{entry}/ack"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/employer/applications/{app}/interviews"),
                Some(
                    json!({"slots": [{"starts_at": japan_time(2, 10), "minutes": 60, "place": "x", "online_url": ""}]}),
                ),
            ),
            (
                "POST",
                format!("/api/v1/employer/interviews/{interview}/cancel"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/employer/applications/{app}/stage"),
                Some(json!({"stage": "offer"})),
            ),
        ] {
            let r = c.api(m, &url, Some(tok), body).await;
            assert!(
                r.status == 404 || r.status == 403,
                "{who}: {m} {url} answered {} {}",
                r.status,
                r.body
            );
            assert!(
                !r.body.contains(SUB_MARKER) && !r.body.contains("メモでいただける"),
                "{who} {url}"
            );
        }
    }

    // --- A change of time: the calendar file keeps its UID and counts up; cancelling says CANCEL.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/interviews/{interview}/answer"),
            Some(&st),
            Some(json!({"slot_id": slots[1]["id"]})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let ics2 = parse_ics(
        &c.api(
            "GET",
            &format!("/api/v1/interviews/{interview}/ics"),
            Some(&emp),
            None,
        )
        .await
        .body,
    );
    assert_eq!(ics2["uid"], uid.as_str());
    assert!(ics2["sequence"].as_i64().unwrap() > seq);
    assert_eq!(ics2["location"], "https://meet.example.jp/abc");
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/interviews/{interview}/cancel"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let ics3 = parse_ics(
        &c.api(
            "GET",
            &format!("/api/v1/interviews/{interview}/ics"),
            Some(&st),
            None,
        )
        .await
        .body,
    );
    assert_eq!(ics3["method"], "CANCEL");
    assert_eq!(ics3["status"], "CANCELLED");
    assert_eq!(ics3["uid"], uid.as_str());

    // --- Offer, then the hire: the employment record, seen by the worker, the follow-up
    // person and the supporter.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/stage"),
            Some(&emp),
            Some(json!({"stage": "offer"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&emp),
            Some(json!({"start_date": "2027-01-05", "position": "事務補助", "hours_per_week": 30, "follow_up_user_id": emp_id})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let employment = r.json()["employment_id"].as_str().unwrap().to_owned();
    for (who, tok) in [("worker", &st), ("follow-up", &emp), ("supporter", &sup)] {
        let r = c
            .api(
                "GET",
                &format!("/api/v1/applications/{app}"),
                Some(tok),
                None,
            )
            .await;
        assert_eq!(
            r.json()["employment"]["id"],
            employment.as_str(),
            "{who}: {}",
            r.body
        );
        assert_eq!(r.json()["stage"], "hired");
        assert_eq!(
            r.json()["ledger"][0]["versions"][1]["decision"],
            "provided",
            "{who}: the ledger carries on"
        );
    }
    let r = c
        .api(
            "GET",
            &format!("/api/v1/applications/{app}"),
            Some(&fam),
            None,
        )
        .await;
    assert_eq!(r.json()["stage"], "hired");
    assert!(r.json().get("employment").is_none());

    // --- Notices: a mail that something happened, with the link, never the company's name.
    let mails = sink.mails.lock().unwrap().clone();
    let to_seeker: Vec<_> = mails
        .iter()
        .filter(|m| m.rcpt.iter().any(|r| r == "seeker@demo.tsunagu.example"))
        .collect();
    assert!(
        to_seeker.len() >= 3,
        "{} mails to the seeker",
        to_seeker.len()
    );
    for m in &to_seeker {
        let t = m.text();
        assert!(
            !t.contains("検索テスト株式会社"),
            "a notice names the company: {t}"
        );
        assert!(
            !t.contains("メモでいただける"),
            "a notice carries the ledger: {t}"
        );
    }
    assert!(
        to_seeker
            .iter()
            .any(|m| m.text().contains(&format!("/applications/{app}")))
    );
    assert!(
        mails
            .iter()
            .any(|m| m.rcpt.iter().any(|r| r == "family@demo.tsunagu.example")),
        "family sharing application status hear of the stage"
    );
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn declining_a_scout_discloses_nothing_and_limits_hold() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, "seeker@demo.tsunagu.example", DEMO_PW).await;
    let seeker = id_of(&mut c, &st).await;
    let emp_id = id_of(&mut c, &emp).await;
    let r = c
        .api(
            "POST",
            "/api/v1/scouts",
            Some(&emp),
            Some(
                json!({"seeker_id": seeker, "posting_id": posting, "message": "ご検討ください。"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let scout = r.json()["scout_id"].as_str().unwrap().to_owned();
    let before = records(&mut c, &st).await;
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/scouts/{scout}/decline"),
            Some(&st),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    // The company can read nothing more than a scout could.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker}"),
            Some(&emp),
            None,
        )
        .await;
    let body = r.body.clone();
    assert!(
        !body.contains("090-0000-0000"),
        "declined: no contact details: {body}"
    );
    let after = records(&mut c, &st).await;
    let new_items: Vec<String> = after
        .iter()
        .filter(|r| r["recipient_user_id"] == emp_id.as_str())
        .filter(|r| {
            !before
                .iter()
                .any(|b| b["id"] == r["id"] && b["times"] == r["times"])
        })
        .flat_map(|r| {
            r["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        !new_items
            .iter()
            .any(|i| ["phone", "email", "name", "address"].contains(&i.as_str())),
        "declining disclosed {new_items:?}"
    );
    // Declining twice, or accepting a declined scout: 404.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/scouts/{scout}/accept"),
            Some(&st),
            Some(json!({"openness": "open"})),
        )
        .await;
    assert_eq!(r.status, 404);
    // An unverified company cannot scout.
    register(
        &mut c,
        "employer",
        "unverified@example.jp",
        "未確認",
        Some("未確認株式会社"),
    )
    .await;
    let un = token(&mut c, "unverified@example.jp", PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/scouts",
            Some(&un),
            Some(json!({"seeker_id": seeker, "message": "x"})),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // The daily limit: 30 scouts in 24 hours per company.
    let limit_seeker_count = 31;
    let mut last = 0;
    for i in 0..limit_seeker_count {
        let email = format!("scoutee{i}@example.jp");
        let r = c
            .api(
                "POST",
                "/api/v1/auth/register",
                None,
                Some(json!({"kind": "seeker", "email": email, "password": PW,
                "name": "候補", "consents": ["privacy_policy"]})),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        verify_email(&mut c, &email).await;
        let t = token(&mut c, &email, PW).await;
        let r = c
            .api(
                "PUT",
                "/api/v1/me/privacy/scouts",
                Some(&t),
                Some(json!({"enabled": true, "sections": ["desired"]})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let id = id_of(&mut c, &t).await;
        let r = c
            .api(
                "POST",
                "/api/v1/scouts",
                Some(&emp),
                Some(json!({"seeker_id": id, "posting_id": posting, "message": "x"})),
            )
            .await;
        last = r.status;
        if i < 29 {
            assert_eq!(r.status, 201, "scout {i}: {}", r.body);
        }
    }
    assert_eq!(last, 409, "the 31st scout of the day is refused");
}
