//! The sink test. Every route the route table declares as able to return another
//! person's data (`"personal_data": true` in `tsunagu routes`) is called as every kind of
//! viewer, before and after each change of the seeker's standing. A unique marker sits
//! in every field of the seeker that can carry one; a body (JSON or HTML) may contain
//! only the markers of items the policy lets that viewer see, and the seeker's
//! provision records must list exactly the items that appeared. Every route that is
//! not declared is called too, and must carry no marker at all. A new route cannot
//! escape: a declared route with a path parameter the test cannot fill fails it.
//!
//! The operator's agency staff, for the scout company that delegated to the operator,
//! see what that company's scout search shows (a provision to the company); the
//! operator's own views with a stated purpose are access-logged, never a provision.
//!
//! Also here: unverified companies get 403 on scout search, candidates and scouts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

const DEMO_PW: &str = "tsunagu-demo-2026";

/// The seeker's markers: (item, strings that betray it in a body).
fn markers() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("name", vec!["標識ナマエQZ"]),
        ("kana", vec!["ぬゐゑぬゐゑ"]),
        ("birth_date", vec!["1987-03-29", "1987年3月29日"]),
        ("address", vec!["ADDRQZ住所"]),
        ("phone", vec!["090-4817-2963"]),
        ("email", vec!["basic-qz@example.jp", "seeker-qz@example.jp"]),
        ("certificate", vec!["B1QZ"]),
        ("disability_description", vec!["DESCQZ説明"]),
        ("accommodations", vec!["NOTEQZ配慮"]),
        ("traits", vec!["TRAITQZ特性"]),
        ("career", vec!["EDUQZ学歴", "WORKQZ職歴"]),
        // The application's own records (the door's application table).
        ("application_message", vec!["MSGQZ応募"]),
        ("accommodation_ledger", vec!["LEDGERQZ配慮"]),
        // The company's internal sub-stage and note: the company's own, never a provision.
        ("internal_notes", vec!["INTQZ社内", "INTNOTEQZ"]),
        // Messages (the door's thread table): in the application's thread (its body and a
        // file's name), marked for the supporter only, and in the support thread.
        ("messages", vec!["THREADQZ本文", "ATTQZ名"]),
        ("supporter_only_messages", vec!["SUPONLYQZ"]),
        ("support_messages", vec!["SUPPORTQZ相談"]),
        // After the hire (the door's check-in and support tables): the day's note and
        // troubles, the facility's support record, the supporter's comment.
        ("report_note", vec!["CHECKQZ日記"]),
        ("report_troubles", vec!["TROUBLEQZ困り"]),
        ("support_records", vec!["RECORDQZ記録", "OWNQZ言葉"]),
        ("report_comments", vec!["COMMENTQZ支援"]),
    ]
}

fn markable() -> BTreeSet<&'static str> {
    markers().into_iter().map(|(i, _)| i).collect()
}

fn profile() -> Value {
    json!({
        "basic": {"name": "標識ナマエQZ", "kana": "ぬゐゑぬゐゑ", "gender": "female", "birth_date": "1987-03-29",
                  "prefecture": 13, "address": "ADDRQZ住所", "phone": "090-4817-2963", "email": "basic-qz@example.jp"},
        "disability": {"categories": ["intellectual"], "certificate": {"type": "ryoiku", "local_grade": "B1QZ"},
                       "description": "DESCQZ説明"},
        "accommodations": {"codes": ["written_instructions"], "note": "NOTEQZ配慮"},
        "traits": {"text": "TRAITQZ特性"},
        "career": {"education": "EDUQZ学歴", "work_history": "WORKQZ職歴", "qualifications": "簿記", "skills": "Excel"},
        "desired": {"job_categories": ["office"], "prefectures": [13], "remote": true, "employment_type": "part_time", "hours_per_week": 20}
    })
}

/// The items of the seeker whose markers appear in `body`.
fn appeared(body: &str) -> BTreeSet<&'static str> {
    markers()
        .into_iter()
        .filter(|(_, ms)| ms.iter().any(|m| body.contains(m)))
        .map(|(i, _)| i)
        .collect()
}

const IDENTITY: [&str; 9] = [
    "name",
    "kana",
    "gender",
    "birth_date",
    "age",
    "address",
    "prefecture",
    "phone",
    "email",
];
const DISABILITY: [&str; 5] = [
    "disability_categories",
    "certificate",
    "disability_description",
    "accommodations",
    "traits",
];
const WORK: [&str; 2] = ["career", "desired"];
/// What the seeker wrote in threads: the parties read it; the operator only carries it,
/// so a read is access-logged but is no provision record. So is a comment on the
/// check-ins, written by a party to the worker's support for the others.
const MESSAGES: [&str; 4] = [
    "messages",
    "supporter_only_messages",
    "support_messages",
    "report_comments",
];
/// Every part of a check-in, as provision records name them.
const CHECK_IN: [&str; 6] = [
    "report_attendance",
    "report_wellbeing",
    "report_troubles",
    "report_note",
    "report_items",
    "report_summary",
];

/// What an operator stating `account_support` sees (no provision: the operator is no
/// third party).
const ACCOUNT_SUPPORT: [&str; 3] = ["name", "phone", "email"];

/// The changes of standing, in the order they are made.
const STEPS: [&str; 7] = [
    "initial",
    "scout company blocked",
    "sensitive-data consent withdrawn",
    "scouts off",
    "supporter unlinked",
    "family share removed",
    "application withdrawn",
];

/// The policy, stated independently of the code: which items each viewer may see after
/// step `step`.
fn expected(viewer: &str, step: usize) -> BTreeSet<&'static str> {
    let sensitive = step < 2;
    let set = |parts: &[&[&'static str]]| -> BTreeSet<&'static str> {
        parts
            .iter()
            .flat_map(|p| p.iter().copied())
            .filter(|i| sensitive || !DISABILITY.contains(i))
            .collect()
    };
    let all = || set(&[&IDENTITY, &DISABILITY, &WORK]);
    // The application to the "applied" company: its message, and its ledger (要配慮:
    // only while the sensitive-data consent stands).
    let app_items = |live: bool| -> BTreeSet<&'static str> {
        let mut s = BTreeSet::from(["application_stage"]);
        if live {
            s.insert("application_message");
            s.insert("interviews");
            if sensitive {
                s.insert("accommodation_ledger");
            }
        }
        s
    };
    match viewer {
        // Applied open; withdrawn at the last step (scouts are off by then). The company
        // keeps its own internal notes after the withdrawal.
        "applied" if step < 6 => {
            let mut s = all();
            s.extend(app_items(true));
            s.insert("internal_notes");
            s.insert("messages");
            s
        }
        "applied" => BTreeSet::from(["internal_notes", "application_stage", "messages"]),
        // Scouts on with these sections until the company is blocked.
        "scout" if step < 1 => set(&[
            &["age", "prefecture"],
            &["disability_categories", "accommodations", "traits"],
            &WORK,
        ]),
        "partner" => set(&[&IDENTITY, &WORK]),
        // Linked, and taking part in the application, until unlinked.
        "supporter" if step < 4 => {
            let mut s = all();
            s.extend(app_items(true));
            s.extend(MESSAGES);
            // The check-in in full (attendance only without the sensitive-data consent),
            // the facility's own records, the alerts that reached it.
            s.extend([
                "report_attendance",
                "support_records",
                "support_alerts",
                "monthly_report",
            ]);
            if sensitive {
                s.extend(CHECK_IN);
            }
            s
        }
        // The hiring company: its applicant's profile and application; the check-ins as
        // the summary (no note, no troubles); the support records the worker shares with
        // it while the sensitive-data consent stands; the supporter's comment.
        "hired" => {
            let mut s = all();
            s.insert("application_stage");
            s.extend(["report_attendance", "report_summary", "report_comments"]);
            if sensitive {
                s.insert("support_records");
            }
            s
        }
        // The name; the application's stage while the share stands; the whole check-in
        // and the records shared with them (health parts and records only while the
        // sensitive-data consent stands).
        "family" if step < 5 => {
            let mut s = set(&[&["name", "application_stage", "report_attendance"]]);
            if sensitive {
                s.extend(CHECK_IN);
                s.insert("support_records");
            }
            s
        }
        "family" => set(&[&["name"]]),
        // Only with a stated purpose: account_support; and the one reported message,
        // with abuse_report. As the agency for the scout company (which delegated), what
        // that company's scout search shows, until the company is blocked.
        "operator" => {
            let mut s = set(&[&ACCOUNT_SUPPORT]);
            s.insert("messages");
            if step < 1 {
                s.extend(expected("scout", step));
            }
            s
        }
        _ => BTreeSet::new(),
    }
}

struct Viewer {
    label: &'static str,
    user_id: String,
    token: Option<String>,
    web: Client,
    /// A posting of the viewer's company (for the candidates routes).
    posting: Option<String>,
}

struct World {
    s: Server,
    c: Client,
    seeker: String,
    st: String,
    viewers: Vec<Viewer>,
    orgs: BTreeMap<&'static str, String>,
    application: String,
    interview: String,
    family_id: String,
    threads: Vec<String>,
    attachment: String,
    report: String,
    employment: String,
    /// A data-subject request the seeker filed (the privacy officer's view of it).
    request: String,
}

async fn me(c: &mut Client, tok: &str) -> Value {
    c.api("GET", "/api/v1/me", Some(tok), None).await.json()
}

async fn world() -> World {
    let s = Server::start();
    // The demo data brings the operator account.
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    let mut orgs = BTreeMap::new();
    let mut employers = Vec::new();
    for label in ["applied", "scout", "unverified", "partner", "hired"] {
        let email = format!("{label}@example.jp");
        register(
            &mut c,
            "employer",
            &email,
            &format!("{label} 担当"),
            Some(&format!("{label} 株式会社")),
        )
        .await;
        let t = token(&mut c, &email, PW).await;
        let org = me(&mut c, &t).await["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = c
            .api("PUT", "/api/v1/company", Some(&t), Some(company_body()))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = c
            .api(
                "POST",
                "/api/v1/employer/postings",
                Some(&t),
                Some(posting(json!({}))),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        let posting_id = r.json()["id"].as_str().unwrap().to_owned();
        if label != "unverified" {
            verify_company(&s, &org);
        }
        orgs.insert(label, org);
        employers.push((label, email, t, posting_id));
    }
    assert!(
        s.command(&["partner", &orgs["partner"], "on"])
            .status
            .success()
    );
    // The scout company delegates scouting to the operator (the demo operator holds the
    // agency role): the agency then sees what that company's scout search shows.
    let scout_token = &employers.iter().find(|e| e.0 == "scout").unwrap().2;
    let r = c
        .api(
            "POST",
            "/api/v1/company/agency",
            Some(scout_token),
            Some(json!({"from": crate::messages::japan_date(0), "until": crate::messages::japan_date(30)})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    // The seeker opts into the partner company at registration, as the product asks.
    let r = c
        .api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "seeker-qz@example.jp", "password": PW,
            "name": "標識ナマエQZ", "consents": ["privacy_policy", "sensitive_data"], "partner_companies": [orgs["partner"]]})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let seeker = r.json()["user_id"].as_str().unwrap().to_owned();
    verify_email(&mut c, "seeker-qz@example.jp").await;
    let st = token(&mut c, "seeker-qz@example.jp", PW).await;
    let r = c
        .api("PUT", "/api/v1/me/profile", Some(&st), Some(profile()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/scouts",
            Some(&st),
            Some(json!({"enabled": true,
        "sections": ["disability_categories", "accommodations", "traits", "career", "desired"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let applied_posting = employers
        .iter()
        .find(|e| e.0 == "applied")
        .map(|e| e.3.clone())
        .unwrap();
    let applied_token = employers
        .iter()
        .find(|e| e.0 == "applied")
        .map(|e| e.2.clone())
        .unwrap();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/postings/{applied_posting}/submit"),
            Some(&applied_token),
            None,
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    let op_token = token(&mut c, "operator@demo.tsunagu.example", DEMO_PW).await;
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/postings/{applied_posting}/approve"),
            Some(&op_token),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published", "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&st),
            Some(json!({"posting_id": applied_posting, "openness": "open",
                "message": "MSGQZ応募 よろしくお願いします", "supporter_joins": true})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let application = r.json()["application_id"].as_str().unwrap().to_owned();
    // The company keeps its own sub-stage and note, and proposes an interview; the seeker
    // writes in the ledger.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{application}/stage"),
            Some(&applied_token),
            Some(json!({"stage": "screening", "internal_stage": "INTQZ社内", "note": "INTNOTEQZ"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{application}/interviews"),
            Some(&applied_token),
            Some(json!({"slots": [{"starts_at": "2099-12-01T10:00", "minutes": 60, "place": "本社", "online_url": ""}],
                "accommodations": ["breaks"]})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let interview = r.json()["interview_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/applications/{application}/accommodations"),
            Some(&st),
            Some(
                json!({"codes": ["written_instructions"], "request": "LEDGERQZ配慮 メモがほしい"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);

    let mut viewers = Vec::new();
    // The seeker writes in the application's thread (with a file) and lets the
    // supporter in; the supporter-only message and the support thread come below.
    let list = c
        .api("GET", "/api/v1/threads", Some(&st), None)
        .await
        .json();
    let app_thread = list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["application_id"] == application.as_str())
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    use base64::Engine;
    let r = c
        .api(
            "POST",
            &format!("/api/v1/threads/{app_thread}/messages"),
            Some(&st),
            Some(json!({"body": "THREADQZ本文 面接の件です", "attachments": [{"name": "ATTQZ名.txt",
                "content_base64": base64::engine::general_purpose::STANDARD.encode("添付の本文")}]})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/threads/{app_thread}/supporter"),
            Some(&st),
            Some(json!({"joins": true})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/threads/{app_thread}/messages"),
            Some(&st),
            Some(json!({"body": "SUPONLYQZ 支援員さんだけに", "visibility": "supporter_only"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The company reports the seeker's message: the operator reads it with the purpose.
    let first = c
        .api(
            "GET",
            &format!("/api/v1/threads/{app_thread}/messages"),
            Some(&applied_token),
            None,
        )
        .await
        .json()["messages"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/messages/{first}/report"),
            Some(&applied_token),
            Some(json!({"reason": "other"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let report = r.json()["report_id"].as_str().unwrap().to_owned();
    let attachment = c
        .api(
            "GET",
            &format!("/api/v1/threads/{app_thread}/messages"),
            Some(&st),
            None,
        )
        .await
        .json()["messages"][0]["attachments"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (hired_token, hired_posting) = employers
        .iter()
        .find(|e| e.0 == "hired")
        .map(|e| (e.2.clone(), e.3.clone()))
        .unwrap();
    for (label, email, t, posting_id) in employers {
        viewers.push(Viewer {
            label,
            user_id: me(&mut c, &t).await["id"].as_str().unwrap().to_owned(),
            web: page_client(&s, &email, PW).await,
            token: Some(t),
            posting: Some(posting_id),
        });
    }
    // The linked supporter.
    register(
        &mut c,
        "supporter",
        "staff-qz@example.jp",
        "支援員",
        Some("支援センター"),
    )
    .await;
    let sup = token(&mut c, "staff-qz@example.jp", PW).await;
    let code = c
        .api("GET", "/api/v1/facility", Some(&sup), None)
        .await
        .json()["invite_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/me/supporter-link",
            Some(&st),
            Some(json!({ "code": code })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = c
        .api("GET", "/api/v1/threads", Some(&st), None)
        .await
        .json();
    let support_thread = list["threads"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "support")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/threads/{support_thread}/messages"),
            Some(&st),
            Some(json!({"body": "SUPPORTQZ相談 したいことがあります"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let employment = hire(
        &mut c,
        &st,
        &sup,
        &op_token,
        &hired_token,
        &hired_posting,
        &orgs,
    )
    .await;
    viewers.push(Viewer {
        label: "supporter",
        user_id: me(&mut c, &sup).await["id"].as_str().unwrap().to_owned(),
        web: page_client(&s, "staff-qz@example.jp", PW).await,
        token: Some(sup),
        posting: None,
    });
    // A supporter of another facility, not linked.
    register(
        &mut c,
        "supporter",
        "other-staff-qz@example.jp",
        "別の支援員",
        Some("別の支援センター"),
    )
    .await;
    let other_sup = token(&mut c, "other-staff-qz@example.jp", PW).await;
    viewers.push(Viewer {
        label: "other_supporter",
        user_id: me(&mut c, &other_sup).await["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        web: page_client(&s, "other-staff-qz@example.jp", PW).await,
        token: Some(other_sup),
        posting: None,
    });
    // A family member, sharing application status.
    let r = c
        .api(
            "POST",
            "/api/v1/invitations",
            Some(&st),
            Some(json!({"kind": "family", "email": "fam-qz@example.jp", "relation": "mother"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let tok = invitation_token(&s, None, "fam-qz@example.jp");
    let r = c
        .api(
            "POST",
            "/api/v1/invitations/accept",
            None,
            Some(
                json!({"token": tok, "name": "家族", "password": PW, "consents": ["privacy_policy"]}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let fam = token(&mut c, "fam-qz@example.jp", PW).await;
    let family_id = me(&mut c, &fam).await["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/me/family/{family_id}/shares"),
            Some(&st),
            Some(json!({"categories": ["application_status", "daily_reports", "support_records"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    viewers.push(Viewer {
        label: "family",
        user_id: family_id.clone(),
        web: page_client(&s, "fam-qz@example.jp", PW).await,
        token: Some(fam),
        posting: None,
    });
    let op = token(&mut c, "operator@demo.tsunagu.example", DEMO_PW).await;
    // The operator states the purpose once (support's own): without it, no view of the
    // seeker opens for the operator, whatever purpose a request claims (console tests).
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&op),
            Some(json!({"query": seeker, "purpose": "account_support", "note": "sink test"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    viewers.push(Viewer {
        label: "operator",
        user_id: me(&mut c, &op).await["id"].as_str().unwrap().to_owned(),
        web: page_client(&s, "operator@demo.tsunagu.example", DEMO_PW).await,
        token: Some(op),
        posting: None,
    });
    register(&mut c, "seeker", "other-qz@example.jp", "他人", None).await;
    let other = token(&mut c, "other-qz@example.jp", PW).await;
    viewers.push(Viewer {
        label: "other_seeker",
        user_id: me(&mut c, &other).await["id"].as_str().unwrap().to_owned(),
        web: page_client(&s, "other-qz@example.jp", PW).await,
        token: Some(other),
        posting: None,
    });
    viewers.push(Viewer {
        label: "anonymous",
        user_id: String::new(),
        web: s.client(),
        token: None,
        posting: None,
    });
    let r = c
        .api(
            "POST",
            "/api/v1/me/requests",
            Some(&st),
            Some(json!({"kind": "correction", "detail": "支援記録の日付の訂正をお願いします", "password": PW})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let request = r.json()["request_id"].as_str().unwrap().to_owned();
    World {
        s,
        c,
        seeker,
        st,
        viewers,
        orgs,
        application,
        interview,
        family_id,
        threads: vec![app_thread, support_thread],
        attachment,
        report,
        employment,
        request,
    }
}

/// The "hired" company publishes, the seeker applies and is hired (its member follows
/// up, the worker lets it read the support records); the worker checks in with a note,
/// a trouble and the talk flag (an alert to the supporter); the supporter writes a
/// support record and a comment. The employment's id.
async fn hire(
    c: &mut Client,
    st: &str,
    sup: &str,
    op: &str,
    company: &str,
    posting: &str,
    orgs: &BTreeMap<&'static str, String>,
) -> String {
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/postings/{posting}/submit"),
            Some(company),
            None,
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/postings/{posting}/approve"),
            Some(op),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published", "{}", r.body);
    let today = crate::messages::japan_date(0);
    let job = crate::retention::hired_on(c, company, st, posting, "open", &today).await;
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/follow-up",
            Some(st),
            Some(json!({"company_id": orgs["hired"], "full": false, "support_records": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/daily-reports",
            Some(st),
            Some(
                json!({"employment_id": job, "date": today, "attendance": "present",
                "health": 2, "mood": 3, "note": "CHECKQZ日記 がんばった",
                "troubles": ["tired"], "trouble_note": "TROUBLEQZ困り 電話",
                "want_to_talk": true}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/support-records"),
            Some(sup),
            Some(
                json!({"kind": "phone", "date": today, "done": "RECORDQZ記録 電話で話した",
                "own_words": "OWNQZ言葉 つかれた"}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/comments"),
            Some(sup),
            Some(json!({"body": "COMMENTQZ支援 よく続いています"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    job
}

const SECTIONS: [&str; 6] = [
    "basic",
    "disability",
    "accommodations",
    "traits",
    "career",
    "desired",
];

/// Every concrete URL of a route for this viewer. Panics on a parameter it cannot
/// fill, so that a new declared route cannot go untested.
fn urls(path: &str, w: &World, v: &Viewer, any_posting: &str, declared: bool) -> Vec<String> {
    let seeker = w.seeker.as_str();
    let mut out = vec![path.to_owned()];
    let fill = |out: Vec<String>, name: &str, values: &[String]| -> Vec<String> {
        out.into_iter()
            .flat_map(|u| {
                values
                    .iter()
                    .map(move |v| u.replace(&format!("{{{name}}}"), v))
            })
            .collect()
    };
    let posting = v.posting.clone().unwrap_or_else(|| any_posting.to_owned());
    if path.contains("{id}") {
        let values: Vec<String> = if path.contains("/seekers/{id}") {
            vec![seeker.to_owned()]
        } else if path.contains("/applications/{id}") {
            vec![w.application.clone()]
        } else if path.contains("/messages/{id}") || path.contains("/threads/{id}") {
            w.threads.clone()
        } else if path.contains("/message-reports/{id}") {
            vec![w.report.clone()]
        } else if path.contains("/attachments/{id}") {
            vec![w.attachment.clone()]
        } else if path.contains("/employments/{id}") {
            vec![w.employment.clone(), "no-such-employment".into()]
        } else if path.contains("/agency/companies/{id}") {
            w.orgs.values().cloned().collect()
        } else if path.contains("/interviews/{id}") {
            vec![w.interview.clone()]
        } else if path.contains("/postings/{id}") {
            vec![posting.clone()]
        } else if path.contains("/operator/accounts/{id}") {
            vec![seeker.to_owned()]
        } else if path.contains("/requests/{id}") {
            vec![w.request.clone()]
        } else if declared {
            panic!("{path}: the sink test does not know what {{id}} is; teach urls()")
        } else {
            vec![seeker.to_owned(), posting.clone(), "x".into()]
        };
        out = fill(out, "id", &values);
    }
    for (name, values) in [
        (
            "section",
            SECTIONS.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ),
        (
            "kind",
            vec!["seeker".into(), "employer".into(), "privacy_policy".into()],
        ),
        ("step", vec!["name".into(), "email".into()]),
        ("token", vec!["x".into()]),
        ("file", vec!["app.css".into()]),
        ("version", vec!["2026-11-01".into()]),
    ] {
        if path.contains(&format!("{{{name}}}")) {
            if declared && name != "section" {
                panic!("{path}: the sink test does not know what {{{name}}} is; teach urls()");
            }
            out = fill(out, name, &values);
        }
    }
    assert!(
        !out.iter().any(|u| u.contains('{')),
        "{path}: unfilled parameter"
    );
    // The scout search discloses only when searched.
    if path == "/employer/scouts" || path.ends_with("/agency/companies/{id}/scouts") {
        let searched: Vec<String> = out.iter().map(|u| format!("{u}?search=1")).collect();
        out.extend(searched);
    }
    if v.label == "operator" && path.contains("/message-reports/{id}") {
        let with: Vec<String> = out
            .iter()
            .map(|u| format!("{u}?purpose=abuse_report"))
            .collect();
        out.extend(with);
    }
    if v.label == "operator" && path.contains("/seekers/{id}") {
        let with: Vec<String> = out
            .iter()
            .map(|u| format!("{u}?purpose=account_support"))
            .collect();
        out.extend(with);
    }
    out
}

async fn get(c: &mut Client, v: &mut Viewer, url: &str) -> Resp {
    if url.starts_with("/api/") {
        c.api("GET", url, v.token.as_deref(), None).await
    } else {
        v.web.get(url).await
    }
}

/// (recipient user id, items, times) of every provision record of the seeker.
async fn records(c: &mut Client, st: &str) -> BTreeMap<String, (String, BTreeSet<String>, i64)> {
    let r = c
        .api("GET", "/api/v1/me/provision-records", Some(st), None)
        .await;
    assert_eq!(r.status, 200);
    r.json()["provision_records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                (
                    p["recipient_user_id"].as_str().unwrap().to_owned(),
                    p["items"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| i.as_str().unwrap().to_owned())
                        .collect(),
                    p["times"].as_i64().unwrap(),
                ),
            )
        })
        .collect()
}

/// The items recorded for `recipient` between two snapshots (new records, or records
/// whose count went up).
fn recorded(
    before: &BTreeMap<String, (String, BTreeSet<String>, i64)>,
    after: &BTreeMap<String, (String, BTreeSet<String>, i64)>,
    recipient: &str,
) -> BTreeSet<String> {
    after
        .iter()
        .filter(|(id, (r, _, times))| {
            r == recipient && before.get(*id).is_none_or(|(_, _, t)| t < times)
        })
        .flat_map(|(_, (_, items, _))| items.iter().cloned())
        .collect()
}

async fn change(w: &mut World, step: usize) {
    let (method, path, body) = match step {
        1 => (
            "POST",
            "/api/v1/me/blocks".to_owned(),
            Some(json!({"organization_id": w.orgs["scout"]})),
        ),
        2 => (
            "POST",
            "/api/v1/me/consents/sensitive_data/withdraw".into(),
            None,
        ),
        3 => (
            "PUT",
            "/api/v1/me/privacy/scouts".into(),
            Some(json!({"enabled": false, "sections": []})),
        ),
        4 => ("POST", "/api/v1/me/supporter-link/end".into(), None),
        5 => (
            "PUT",
            format!("/api/v1/me/family/{}/shares", w.family_id),
            Some(json!({"categories": []})),
        ),
        6 => (
            "POST",
            format!("/api/v1/me/applications/{}/withdraw", w.application),
            None,
        ),
        _ => unreachable!(),
    };
    let r = w.c.api(method, &path, Some(&w.st), body).await;
    assert!(
        (200..300).contains(&r.status),
        "{}: {} {}",
        STEPS[step],
        r.status,
        r.body
    );
}

fn routes(s: &Server) -> Vec<(String, bool)> {
    let out = s.command(&["routes"]);
    assert!(out.status.success());
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    rows.iter()
        .filter(|r| r["method"] == "GET")
        .map(|r| {
            (
                r["path"].as_str().unwrap().to_owned(),
                r["personal_data"]
                    .as_bool()
                    .expect("every row declares personal_data"),
            )
        })
        .collect()
}

#[tokio::test]
async fn no_route_shows_more_than_the_policy_and_the_records_list_exactly_what_appeared() {
    let mut w = world().await;
    let routes = routes(&w.s);
    let declared: Vec<&String> = routes.iter().filter(|r| r.1).map(|r| &r.0).collect();
    assert!(
        declared.len() >= 15,
        "the route table declares {} personal routes",
        declared.len()
    );
    let any_posting = w.viewers[0].posting.clone().unwrap();
    let mut checked = 0;
    for (step, step_name) in STEPS.iter().enumerate() {
        if step > 0 {
            change(&mut w, step).await;
        }
        for vi in 0..w.viewers.len() {
            let before = records(&mut w.c, &w.st).await;
            let mut seen = BTreeSet::new();
            let mut by_url = Vec::new();
            for path in &declared {
                let v = &w.viewers[vi];
                for url in urls(path, &w, v, &any_posting, true) {
                    let v = &mut w.viewers[vi];
                    let r = get(&mut w.c, v, &url).await;
                    assert!(r.status < 500, "{url} as {}: {}", v.label, r.status);
                    let a = appeared(&r.body);
                    if !a.is_empty() {
                        by_url.push((url.clone(), a.clone()));
                    }
                    seen.extend(a);
                    checked += 1;
                }
            }
            let v = &w.viewers[vi];
            let after = records(&mut w.c, &w.st).await;
            let want = expected(v.label, step);
            let allowed: BTreeSet<&str> = want.intersection(&markable()).copied().collect();
            assert!(
                seen.is_subset(&allowed),
                "{} after '{}' saw {:?}, the policy allows {:?}; by route: {by_url:?}",
                v.label,
                step_name,
                seen.difference(&allowed).collect::<Vec<_>>(),
                allowed
            );
            let rec = recorded(&before, &after, &v.user_id);
            // The application's records reach the company and the supporter taking part
            // (the test would prove nothing if no route showed them).
            if step == 0 && ["applied", "supporter"].contains(&v.label) {
                for i in ["application_message", "accommodation_ledger"] {
                    assert!(seen.contains(i), "{} saw no {i} at the start", v.label);
                }
                assert_eq!(seen.contains("internal_notes"), v.label == "applied");
                // The threads reach their parties (the supporter, let in, all three).
                assert!(seen.contains("messages"), "{} read no message", v.label);
                for m in ["supporter_only_messages", "support_messages"] {
                    assert_eq!(
                        seen.contains(m),
                        v.label == "supporter",
                        "{} and {m}",
                        v.label
                    );
                }
            }
            // After the hire: each viewer of the worker's support sees its part through
            // the routes (the check-ins' door and the support door).
            let support_seen: &[&str] = match (step, v.label) {
                (0, "supporter") => &[
                    "report_note",
                    "report_troubles",
                    "support_records",
                    "report_comments",
                ],
                (0, "family") => &["report_note", "report_troubles", "support_records"],
                (0, "hired") => &["support_records", "report_comments"],
                (3, "supporter") => &["support_records", "report_comments"],
                (3, "hired") => &["report_comments"],
                _ => &[],
            };
            for i in support_seen {
                assert!(
                    seen.contains(i),
                    "{} after '{step_name}' saw no {i} (by route: {by_url:?})",
                    v.label
                );
            }
            // The company's internal notes are its own records: never a provision; nor
            // is a message, which its writer sent to the thread's parties themselves.
            seen.remove("internal_notes");
            for m in MESSAGES {
                seen.remove(m);
            }
            let rec_markable: BTreeSet<&str> = rec
                .iter()
                .map(String::as_str)
                .filter(|i| markable().contains(i))
                .collect();
            if v.label == "operator" {
                // The operator's own views are access-logged, never a provision; what the
                // agency sees in the scout company's name is a provision to that company.
                let agency: BTreeSet<&str> = seen
                    .iter()
                    .copied()
                    .filter(|i| !ACCOUNT_SUPPORT.contains(i))
                    .collect();
                assert_eq!(
                    rec_markable, agency,
                    "operator after '{step_name}': only the agency's views are provisions (by route: {by_url:?})"
                );
                assert!(
                    rec.iter()
                        .all(|i| expected("scout", step).contains(i.as_str())),
                    "operator after '{step_name}': recorded {rec:?} beyond the scout view"
                );
                if step == 0 {
                    assert!(!agency.is_empty(), "the agency found no one at the start");
                }
            } else {
                assert_eq!(
                    rec_markable, seen,
                    "{} after '{}': the provision records must list exactly what appeared (by route: {by_url:?})",
                    v.label, step_name
                );
                assert!(
                    rec.iter().all(|i| want.contains(i.as_str())),
                    "{} after '{}': recorded {rec:?} beyond the policy {want:?}",
                    v.label,
                    step_name
                );
            }
            // The viewers that see something at the start must see it through the
            // routes (the test would prove nothing if every body were empty).
            if step == 0 && !allowed.is_empty() {
                assert!(!seen.is_empty(), "{} saw nothing at the start", v.label);
            }
        }
    }
    assert!(checked > 500, "{checked} calls");
}

#[tokio::test]
async fn routes_not_declared_carry_no_one_elses_data() {
    let mut w = world().await;
    let routes = routes(&w.s);
    let any_posting = w.viewers[0].posting.clone().unwrap();
    let mut checked = 0;
    for vi in 0..w.viewers.len() {
        for (path, declared) in &routes {
            if *declared {
                continue;
            }
            let v = &w.viewers[vi];
            for url in urls(path, &w, v, &any_posting, false) {
                let v = &mut w.viewers[vi];
                let r = get(&mut w.c, v, &url).await;
                let a = appeared(&r.body);
                assert!(
                    a.is_empty(),
                    "{url} is not declared as returning personal data, yet shows {a:?} of the seeker to {}",
                    v.label
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked} calls");
}

#[tokio::test]
async fn unverified_companies_cannot_read_or_scout_seekers() {
    let mut w = world().await;
    let v = w
        .viewers
        .iter()
        .position(|v| v.label == "unverified")
        .unwrap();
    let tok = w.viewers[v].token.clone().unwrap();
    let posting = w.viewers[v].posting.clone().unwrap();
    let before = records(&mut w.c, &w.st).await;
    for (lang, word) in [
        ("ja", "運営による企業の確認"),
        ("en", "verified your company"),
    ] {
        w.c.lang = lang.into();
        let r =
            w.c.api("GET", "/api/v1/scout-search", Some(&tok), None)
                .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], "company_unverified");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(word),
            "{}",
            r.body
        );
        let r =
            w.c.api(
                "GET",
                &format!("/api/v1/employer/postings/{posting}/candidates"),
                Some(&tok),
                None,
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], "company_unverified");
        let r =
            w.c.api(
                "POST",
                "/api/v1/scouts",
                Some(&tok),
                Some(json!({"seeker_id": w.seeker, "message": "ぜひ"})),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert_eq!(r.json()["error"]["code"], "company_unverified");
    }
    w.c.lang = "ja".into();
    let page = w.viewers[v]
        .web
        .get(&format!("/employer/postings/{posting}/candidates"))
        .await;
    assert_eq!(page.status, 403);
    assert!(page.body.contains("運営による企業の確認"), "{}", page.body);
    assert!(
        recorded(
            &before,
            &records(&mut w.c, &w.st).await,
            &w.viewers[v].user_id
        )
        .is_empty(),
        "an unverified company appears in no provision record"
    );
    // Once the operator verifies it, the same company finds the seeker.
    verify_company(&w.s, &w.orgs["unverified"]);
    let r =
        w.c.api("GET", "/api/v1/scout-search", Some(&tok), None)
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["seeker_id"] == w.seeker.as_str())
    );
}
