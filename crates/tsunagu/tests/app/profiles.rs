//! Seeker profiles under the disclosure policy: every kind of viewer × every item, in
//! JSON and in HTML; the provision records those views leave; validation, consent
//! gating, markers, drafts and the certificate reminder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const ALL_ITEMS: [&str; 16] = [
    "name",
    "kana",
    "gender",
    "birth_date",
    "age",
    "address",
    "prefecture",
    "phone",
    "email",
    "disability_categories",
    "certificate",
    "disability_description",
    "accommodations",
    "traits",
    "career",
    "desired",
];

fn full_profile(m: &str) -> Value {
    json!({
        "basic": {"name": format!("NAME{m}"), "kana": "やまだ", "gender": "female", "birth_date": "1998-05-12", "prefecture": 13,
                  "address": format!("ADDR{m}"), "phone": "090-1234-5678", "email": format!("mail{m}@example.jp")},
        "disability": {"categories": ["mental"], "certificate": {"type": "mental", "grade": 2, "expires_on": "2030-01-31"},
                       "description": format!("DESC{m}")},
        "accommodations": {"codes": ["written_instructions"], "note": format!("NOTE{m}")},
        "traits": {"text": format!("TRAIT{m}")},
        "career": {"education": format!("EDU{m}"), "work_history": format!("WORK{m}"), "qualifications": "簿記", "skills": "Excel"},
        "desired": {"job_categories": ["office"], "prefectures": [13], "remote": true, "employment_type": "part_time", "hours_per_week": 20}
    })
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "seeker_id" && *k != "items")
        .cloned()
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

struct World {
    s: Server,
    seeker: String,
    seeker_tok: String,
    viewers: Vec<(&'static str, String, String)>,
}

/// A seeker and one viewer of every kind, with the relationships the policy knows.
async fn world(sink: Option<&SmtpSink>) -> World {
    let mut b = Server::builder();
    if let Some(k) = sink {
        b = b.smtp(k);
    }
    let s = b.start();
    let mut c = s.client();
    let seeker = register(&mut c, "seeker", "seeker@example.jp", "本人", None).await;
    let seeker_tok = token(&mut c, "seeker@example.jp", PW).await;
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&seeker_tok),
            Some(full_profile("7q")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c.api("PUT", "/api/v1/me/privacy/scouts", Some(&seeker_tok), Some(json!({"enabled": true, "sections": ["disability_categories", "accommodations", "career"]}))).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let mut viewers = Vec::new();
    let employer = |name: &'static str| {
        let email = format!("{name}@example.jp");
        (name, email)
    };
    let mut companies = std::collections::HashMap::new();
    for (label, email) in [
        employer("applicant_open"),
        employer("scout_closed"),
        employer("scout_viewer"),
        employer("blocked"),
        employer("partner"),
    ] {
        register(
            &mut c,
            "employer",
            &email,
            label,
            Some(&format!("{label} 株式会社")),
        )
        .await;
        let t = token(&mut c, &email, PW).await;
        let org =
            c.api("GET", "/api/v1/me", Some(&t), None).await.json()["organizations"][0]["org_id"]
                .as_str()
                .unwrap()
                .to_owned();
        // Scouts are for companies the operator verified.
        verify_company(&s, &org);
        companies.insert(label, org);
        viewers.push((label, t, email));
    }
    // Partner: flagged by the operator tool; the seeker opts in (here: a second seeker
    // registration is not possible, so the consent is given at registration of this one
    // through the API of a fresh seeker would be cleaner — we use the registration path
    // on a new seeker below and keep this seeker for the other rows).
    let out = s.command(&["partner", &companies["partner"], "on"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Application with open disclosure.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker_tok),
            Some(json!({"organization_id": companies["applicant_open"], "openness": "open"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // A scout accepted with closed disclosure.
    let closed_tok = viewers
        .iter()
        .find(|v| v.0 == "scout_closed")
        .unwrap()
        .1
        .clone();
    let r = c
        .api(
            "POST",
            "/api/v1/scouts",
            Some(&closed_tok),
            Some(json!({"seeker_id": seeker, "message": "ぜひ面接に"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let scout_id = r.json()["scout_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/scouts/{scout_id}/accept"),
            Some(&seeker_tok),
            Some(json!({"openness": "closed"})),
        )
        .await;
    // Accepting opens an application, whose id is the answer.
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["application_id"].is_string(), "{}", r.body);
    // Blocked company.
    let r = c
        .api(
            "POST",
            "/api/v1/me/blocks",
            Some(&seeker_tok),
            Some(json!({"organization_id": companies["blocked"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Partner consent (given at registration is the product path; the API offers the
    // same opt-in only at registration, so this world's seeker has none; see the
    // partner test below).

    // Supporter linked by code.
    register(
        &mut c,
        "supporter",
        "staff@example.jp",
        "支援員",
        Some("支援センター"),
    )
    .await;
    let sup = token(&mut c, "staff@example.jp", PW).await;
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
            Some(&seeker_tok),
            Some(json!({"code": code.to_lowercase()})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    viewers.push(("supporter", sup, "staff@example.jp".into()));
    // An unlinked supporter.
    register(
        &mut c,
        "supporter",
        "other@example.jp",
        "他の支援員",
        Some("別センター"),
    )
    .await;
    viewers.push((
        "other_supporter",
        token(&mut c, "other@example.jp", PW).await,
        "other@example.jp".into(),
    ));
    // Family member by invitation, sharing application status.
    let r = c
        .api(
            "POST",
            "/api/v1/invitations",
            Some(&seeker_tok),
            Some(json!({"kind": "family", "email": "fam@example.jp", "relation": "mother"})),
        )
        .await;
    assert_eq!(r.status, 201);
    // Accept through the outbox file (no SMTP in most tests): read the token from it.
    let tok = invitation_token(&s, sink, "fam@example.jp");
    let r = c
        .api(
            "POST",
            "/api/v1/invitations/accept",
            None,
            Some(
                json!({"token": tok, "name": "母", "password": PW, "consents": ["privacy_policy"]}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let fam = token(&mut c, "fam@example.jp", PW).await;
    viewers.push(("family", fam, "fam@example.jp".into()));
    // Another seeker: a stranger to this one.
    register(&mut c, "seeker", "stranger@example.jp", "他人", None).await;
    viewers.push((
        "other_seeker",
        token(&mut c, "stranger@example.jp", PW).await,
        "stranger@example.jp".into(),
    ));
    World {
        s,
        seeker,
        seeker_tok,
        viewers,
    }
}

#[tokio::test]
async fn every_viewer_sees_exactly_what_the_policy_allows_in_json_and_html() {
    let w = world(None).await;
    let mut c = w.s.client();
    let identity = [
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
    let disability = [
        "disability_categories",
        "certificate",
        "disability_description",
        "accommodations",
        "traits",
    ];
    let work = ["career", "desired"];
    let expected: Vec<(&str, Option<BTreeSet<String>>)> = vec![
        (
            "applicant_open",
            Some(set(&[&identity[..], &disability[..], &work[..]].concat())),
        ),
        (
            "scout_closed",
            Some(set(&[&identity[..], &work[..]].concat())),
        ),
        (
            "scout_viewer",
            Some(set(&[
                "age",
                "prefecture",
                "disability_categories",
                "accommodations",
                "career",
            ])),
        ),
        ("blocked", None),
        (
            "partner",
            Some(set(&[
                "age",
                "prefecture",
                "disability_categories",
                "accommodations",
                "career",
            ])),
        ),
        ("supporter", Some(set(&ALL_ITEMS))),
        ("other_supporter", None),
        ("family", Some(set(&["name"]))),
        ("other_seeker", None),
    ];
    for (label, want) in &expected {
        let (_, tok, email) = w.viewers.iter().find(|v| v.0 == *label).unwrap();
        let r = c
            .api(
                "GET",
                &format!("/api/v1/seekers/{}", w.seeker),
                Some(tok),
                None,
            )
            .await;
        match want {
            None => assert_eq!(r.status, 404, "{label} must see nothing: {}", r.body),
            Some(want) => {
                assert_eq!(r.status, 200, "{label}: {}", r.body);
                assert_eq!(&keys(&r.json()), want, "{label}: JSON keys");
                // The same through the page.
                let mut web = w.s.client();
                sign_in(&mut web, email, PW).await;
                let page = web.get(&format!("/seekers/{}", w.seeker)).await;
                assert_eq!(page.status, 200, "{label}");
                let attr = page
                    .body
                    .split("data-items=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned();
                let shown: BTreeSet<String> = attr
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                assert_eq!(&shown, want, "{label}: HTML items");
                for (marker, item) in [
                    ("NAME7q", "name"),
                    ("ADDR7q", "address"),
                    ("mail7q", "email"),
                    ("DESC7q", "disability_description"),
                    ("NOTE7q", "accommodations"),
                    ("TRAIT7q", "traits"),
                    ("EDU7q", "career"),
                ] {
                    assert_eq!(
                        page.body.contains(marker),
                        want.contains(item),
                        "{label}: {marker} in HTML"
                    );
                    assert_eq!(
                        r.body.contains(marker),
                        want.contains(item),
                        "{label}: {marker} in JSON"
                    );
                }
            }
        }
    }
    // The seeker sees everything of their own; operators only with a stated purpose.
    let own = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(&w.seeker_tok),
            None,
        )
        .await;
    assert_eq!(keys(&own.json()), set(&ALL_ITEMS));
    let out = w.s.command(&["demo"]);
    assert!(out.status.success());
    let op = token(&mut c, "operator@demo.tsunagu.example", "tsunagu-demo-2026").await;
    assert_eq!(
        c.api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(&op),
            None
        )
        .await
        .status,
        404
    );
    // A purpose claimed in the request opens nothing; stated (with a note, logged) for
    // this person, each opens its own items.
    for (purpose, items) in [
        ("account_support", set(&["name", "email", "phone"])),
        ("privacy_request", set(&ALL_ITEMS)),
    ] {
        let url = format!("/api/v1/seekers/{}?purpose={purpose}", w.seeker);
        let r = c.api("GET", &url, Some(&op), None).await;
        assert_eq!(r.status, 404, "{purpose} merely claimed: {}", r.body);
        let r = c
            .api(
                "POST",
                "/api/v1/operator/accounts/lookup",
                Some(&op),
                Some(json!({"query": w.seeker, "purpose": purpose, "note": "照会 5"})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let r = c.api("GET", &url, Some(&op), None).await;
        assert_eq!(keys(&r.json()), items, "{purpose}");
    }

    // Changes take effect on the next request.
    let scout_tok = &w.viewers.iter().find(|v| v.0 == "scout_viewer").unwrap().1;
    c.api(
        "PUT",
        "/api/v1/me/privacy/scouts",
        Some(&w.seeker_tok),
        Some(json!({"enabled": false, "sections": []})),
    )
    .await;
    assert_eq!(
        c.api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(scout_tok),
            None
        )
        .await
        .status,
        404
    );
    let open_tok = &w
        .viewers
        .iter()
        .find(|v| v.0 == "applicant_open")
        .unwrap()
        .1;
    c.api(
        "POST",
        "/api/v1/me/consents/sensitive_data/withdraw",
        Some(&w.seeker_tok),
        None,
    )
    .await;
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(open_tok),
            None,
        )
        .await;
    assert_eq!(
        keys(&r.json()),
        set(&[&identity[..], &work[..]].concat()),
        "no sensitive items once the consent is withdrawn"
    );
    let sup_tok = &w.viewers.iter().find(|v| v.0 == "supporter").unwrap().1;
    c.api(
        "POST",
        "/api/v1/me/supporter-link/end",
        Some(&w.seeker_tok),
        None,
    )
    .await;
    assert_eq!(
        c.api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(sup_tok),
            None
        )
        .await
        .status,
        404
    );
}

#[tokio::test]
async fn provision_records_list_exactly_the_disclosures() {
    let w = world(None).await;
    let mut c = w.s.client();
    // Own views leave no record.
    c.api(
        "GET",
        &format!("/api/v1/seekers/{}", w.seeker),
        Some(&w.seeker_tok),
        None,
    )
    .await;
    c.api("GET", "/api/v1/me/profile", Some(&w.seeker_tok), None)
        .await;
    assert!(
        c.api(
            "GET",
            "/api/v1/me/provision-records",
            Some(&w.seeker_tok),
            None
        )
        .await
        .json()["provision_records"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Each party looks once; the applicant twice (grouped into one record).
    for label in [
        "applicant_open",
        "applicant_open",
        "scout_closed",
        "supporter",
        "family",
        "blocked",
        "other_seeker",
    ] {
        let tok = &w.viewers.iter().find(|v| v.0 == label).unwrap().1;
        c.api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(tok),
            None,
        )
        .await;
    }
    let recs = c
        .api(
            "GET",
            "/api/v1/me/provision-records",
            Some(&w.seeker_tok),
            None,
        )
        .await
        .json()["provision_records"]
        .as_array()
        .unwrap()
        .clone();
    let got: BTreeSet<(String, String, i64)> = recs
        .iter()
        .map(|r| {
            (
                r["recipient_person"].as_str().unwrap().to_owned(),
                r["basis"].as_str().unwrap().to_owned(),
                r["times"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, i64)> = [
        ("applicant_open", "application", 2),
        ("scout_closed", "scout_accept", 1),
        ("支援員", "supporter_link", 1),
        ("母", "family_share", 1),
    ]
    .iter()
    .map(|(a, b, n)| (a.to_string(), b.to_string(), *n))
    .collect();
    assert_eq!(got, want);
    let family = recs.iter().find(|r| r["basis"] == "family_share").unwrap();
    assert_eq!(family["items"], json!(["name"]));
    assert!(family["recipient_organization"].is_null());
    let closed = recs.iter().find(|r| r["basis"] == "scout_accept").unwrap();
    assert_eq!(closed["recipient_organization"], "scout_closed 株式会社");
    assert!(
        !closed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i == "certificate")
    );

    // Scout search: each masked profile shown is a provision too.
    let scout_tok = w
        .viewers
        .iter()
        .find(|v| v.0 == "scout_viewer")
        .unwrap()
        .1
        .clone();
    let found = c
        .api("GET", "/api/v1/scout-search", Some(&scout_tok), None)
        .await
        .json();
    let cands = found["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 1, "only the opted-in seeker is a candidate");
    assert!(
        cands[0].get("name").is_none()
            && cands[0].get("email").is_none()
            && cands[0]["age"].is_i64()
    );
    let blocked_tok = w
        .viewers
        .iter()
        .find(|v| v.0 == "blocked")
        .unwrap()
        .1
        .clone();
    assert!(
        c.api("GET", "/api/v1/scout-search", Some(&blocked_tok), None)
            .await
            .json()["candidates"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let recs = c
        .api(
            "GET",
            "/api/v1/me/provision-records",
            Some(&w.seeker_tok),
            None,
        )
        .await
        .json();
    assert!(
        recs["provision_records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["basis"] == "scout_search")
    );

    // Downloads: CSV for Excel (BOM, CRLF, quoted) and JSON.
    let csv = c
        .api(
            "GET",
            "/api/v1/me/provision-records?format=csv",
            Some(&w.seeker_tok),
            None,
        )
        .await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    assert!(csv.body.starts_with('\u{feff}'));
    assert!(csv.body.contains("\r\n"));
    assert_eq!(
        csv.body.lines().count(),
        1 + recs["provision_records"].as_array().unwrap().len()
    );
    assert!(csv.body.contains("\"応募・スカウト承諾\""));
    let mut web = w.s.client();
    sign_in(&mut web, "seeker@example.jp", PW).await;
    let page = web.get("/privacy-settings").await;
    assert!(page.body.contains("第三者提供の記録") && page.body.contains("scout_closed 株式会社"));
    let dl = web.get("/privacy-settings/records.json").await;
    assert!(dl.header("content-disposition").contains("attachment"));
    assert!(dl.json()["provision_records"].is_array());
}

#[tokio::test]
async fn partner_companies_are_opted_into_at_registration_and_can_be_stopped() {
    let s = Server::start();
    let mut c = s.client();
    register(&mut c, "employer", "p@example.jp", "P", Some("提携会社")).await;
    let p = token(&mut c, "p@example.jp", PW).await;
    let org = c.api("GET", "/api/v1/me", Some(&p), None).await.json()["organizations"][0]["org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(s.command(&["partner", &org, "on"]).status.success());
    let r = c
        .api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "s@example.jp", "password": PW, "name": "S", "consents": ["privacy_policy", "sensitive_data"], "partner_companies": [org]})))
        .await;
    let seeker = r.json()["user_id"].as_str().unwrap().to_owned();
    verify_email(&mut c, "s@example.jp").await;
    let st = token(&mut c, "s@example.jp", PW).await;
    c.api(
        "PUT",
        "/api/v1/me/profile",
        Some(&st),
        Some(full_profile("pp")),
    )
    .await;
    let v = c
        .api("GET", &format!("/api/v1/seekers/{seeker}"), Some(&p), None)
        .await;
    assert_eq!(v.status, 200);
    let k = keys(&v.json());
    assert!(
        k.contains("phone") && k.contains("career") && !k.contains("certificate"),
        "partner: full profile without disability data: {k:?}"
    );
    let recs = c
        .api("GET", "/api/v1/me/provision-records", Some(&st), None)
        .await
        .json();
    assert_eq!(recs["provision_records"][0]["basis"], "partner_consent");
    c.api(
        "POST",
        &format!("/api/v1/me/partners/{org}/withdraw"),
        Some(&st),
        None,
    )
    .await;
    assert_eq!(
        c.api("GET", &format!("/api/v1/seekers/{seeker}"), Some(&p), None)
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn profile_validation_consent_gating_and_warnings() {
    let s = Server::start();
    let mut c = s.client();
    let r = c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "n@example.jp", "password": PW, "name": "N", "consents": ["privacy_policy"]}))).await;
    assert_eq!(r.status, 201);
    verify_email(&mut c, "n@example.jp").await;
    let t = token(&mut c, "n@example.jp", PW).await;
    // Without the sensitive-data consent, sensitive sections cannot be saved — and nothing else in the request is.
    let r = c.api("PUT", "/api/v1/me/profile", Some(&t), Some(json!({"career": {"education": "高校"}, "disability": {"categories": ["physical"]}}))).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"]["fields"]["disability"]["code"],
        "sensitive-consent-required"
    );
    assert!(
        c.api("GET", "/api/v1/me/profile", Some(&t), None)
            .await
            .json()["profile"]
            .get("career")
            .is_none()
    );
    // Field errors, tied to section.field, in both languages.
    c.api(
        "PUT",
        "/api/v1/me/profile",
        Some(&t),
        Some(json!({"career": {"education": "高校"}})),
    )
    .await;
    let bad = json!({"basic": {"name": "", "kana": "abc", "prefecture": 99, "phone": "call me"}, "desired": {"hours_per_week": 0}});
    let r = c
        .api("PUT", "/api/v1/me/profile", Some(&t), Some(bad.clone()))
        .await;
    assert_eq!(r.status, 422);
    let f = r.json()["error"]["fields"].clone();
    for k in [
        "basic.name",
        "basic.kana",
        "basic.prefecture",
        "basic.phone",
        "desired.hours_per_week",
    ] {
        assert!(f[k].is_object(), "{k} missing in {f}");
    }
    assert!(
        f["basic.kana"]["message"]
            .as_str()
            .unwrap()
            .contains("ひらがな")
    );
    c.lang = "en".into();
    let r = c
        .api("PUT", "/api/v1/me/profile", Some(&t), Some(bad))
        .await;
    assert!(
        r.json()["error"]["fields"]["basic.kana"]["message"]
            .as_str()
            .unwrap()
            .contains("hiragana")
    );
    // What was saved before is still there.
    assert_eq!(
        c.api("GET", "/api/v1/me/profile", Some(&t), None)
            .await
            .json()["profile"]["career"]["education"],
        "高校"
    );
    // Forbidden topics: saved, with a warning.
    c.lang = "ja".into();
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"career": {"work_history": "父の職業は漁師です"}})),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["warnings"][0]["field"], "career.work_history");
    assert_eq!(r.json()["warnings"][0]["topic"], "family");
    // Unknown accommodation codes are refused once consent is given.
    c.api(
        "POST",
        "/api/v1/me/consents/sensitive_data/give",
        Some(&t),
        None,
    )
    .await;
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"accommodations": {"codes": ["nope"]}})),
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["accommodations.codes"]["code"],
        "accommodation-invalid"
    );
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(
                json!({"accommodations": {"codes": ["sign_language", "remote_work"], "note": ""}}),
            ),
        )
        .await;
    assert_eq!(r.status, 200);
    // Pages: the sensitive section form says why it is locked when consent is missing.
    register(&mut c, "employer", "e@example.jp", "E", Some("E社")).await;
    let mut web = s.client();
    let r = web.post_form("/login", &[]).await;
    assert_eq!(r.status, 403);
    sign_in(&mut web, "n@example.jp", PW).await;
    let r = web
        .submit(
            "/profile/basic",
            "/profile/basic",
            &[
                ("name", "山田"),
                ("kana", "xyz"),
                ("birth_date", "1999-02-30"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-kana\"") && r.body.contains("href=\"#f-birth_date\""));
    assert!(r.body.contains("value=\"xyz\""), "typed values are kept");
    // A warning does not block: the answers go to the check page, which shows it.
    let r = web
        .submit(
            "/profile/traits",
            "/profile/traits",
            &[("text", "本籍は大阪")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/profile/traits/check");
    let check = web.get("/profile/traits/check").await;
    assert!(check.body.contains("本籍や出生地は"));
    assert!(check.body.contains("本籍は大阪"));
}

#[tokio::test]
async fn a_section_is_checked_before_it_is_saved() {
    let s = Server::start();
    let mut c = s.client();
    register(&mut c, "seeker", "chk@example.jp", "確認 花子", None).await;
    sign_in(&mut c, "chk@example.jp", PW).await;
    let r = c
        .submit(
            "/profile/desired",
            "/profile/desired",
            &[
                ("hours_per_week", "20"),
                ("prefectures", "13"),
                ("job_categories", "office"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/profile/desired/check");
    // Not saved yet: the profile still shows the section empty.
    let tok = token(&mut c, "chk@example.jp", PW).await;
    let me = c.api("GET", "/api/v1/me/profile", Some(&tok), None).await;
    assert!(me.json()["profile"]["desired"].is_null(), "{}", me.body);
    let check = c.get("/profile/desired/check").await;
    assert_eq!(check.status, 200);
    assert!(check.body.contains("入力内容の確認"));
    assert!(check.body.contains("20"));
    // "Change" brings the answers back into the form, as typed.
    let form = c.get("/profile/desired").await;
    assert!(form.body.contains("value=\"20\""), "{}", form.body);
    let r = c
        .submit("/profile/desired/check", "/profile/desired/check", &[])
        .await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/profile?m=profile-saved"));
    let me = c.api("GET", "/api/v1/me/profile", Some(&tok), None).await;
    assert_eq!(
        me.json()["profile"]["desired"]["hours_per_week"],
        20,
        "{}",
        me.body
    );
    // The draft is gone once saved: the check page sends back to the form.
    assert_eq!(
        c.get("/profile/desired/check").await.location(),
        "/profile/desired"
    );
}

#[tokio::test]
async fn sensitive_markers_never_leak() {
    let mut w = world(None).await;
    let mut c = w.s.client();
    // A failed save carrying markers, and views by every party.
    c.api(
        "PUT",
        "/api/v1/me/profile",
        Some(&w.seeker_tok),
        Some(json!({"basic": {"name": "NAME7q", "kana": "KANAMARK7q", "phone": "PHONEMARK7q"}})),
    )
    .await;
    for (_, tok, _) in &w.viewers {
        c.api(
            "GET",
            &format!("/api/v1/seekers/{}", w.seeker),
            Some(tok),
            None,
        )
        .await;
    }
    // A body of the wrong shape: serde would quote the value in its error text.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&w.seeker_tok),
            Some(json!({"basic": {"prefecture": "PREFMARK7q"}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["basic.prefecture"]["code"],
        "field-invalid"
    );
    assert!(!r.body.contains("PREFMARK7q"));
    let bad = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&w.seeker_tok),
            Some(json!({"basic": {"name": "NAME7q", "phone": "PHONEMARK7q"}})),
        )
        .await;
    assert!(
        !bad.body.contains("PHONEMARK7q"),
        "error bodies never echo values"
    );
    w.s.stop();
    let markers = [
        "PREFMARK7q",
        "NAME7q",
        "ADDR7q",
        "mail7q",
        "DESC7q",
        "NOTE7q",
        "TRAIT7q",
        "EDU7q",
        "WORK7q",
        "PHONEMARK7q",
    ];
    let logs = w.s.logs();
    for m in markers {
        assert!(!logs.contains(m), "{m} in logs");
    }
    if backend() == "sqlite" {
        let mut bytes = Vec::new();
        for f in std::fs::read_dir(w.s.dir.path()).unwrap() {
            let p = f.unwrap().path();
            if p.to_string_lossy().contains("tsunagu.sqlite3") {
                bytes.extend(std::fs::read(&p).unwrap());
            }
        }
        let hay = String::from_utf8_lossy(&bytes);
        for m in markers {
            assert!(!hay.contains(m), "{m} in the raw SQLite file");
        }
    } else {
        // PostgreSQL: the table files themselves, read as bytes after a checkpoint.
        let mut conn = store::db::establish(&w.s.database_url).unwrap();
        store::db::execute_raw(&mut conn, "CHECKPOINT").unwrap();
        let dump = store::db::relation_bytes(&mut conn).unwrap();
        assert!(
            dump.len() > 10_000,
            "read {} bytes of table data",
            dump.len()
        );
        let hay = String::from_utf8_lossy(&dump);
        for m in markers {
            assert!(!hay.contains(m), "{m} in PostgreSQL table data");
        }
    }
}

#[tokio::test]
async fn supporter_drafts_apply_only_when_the_seeker_approves() {
    let w = world(None).await;
    let mut c = w.s.client();
    let sup = w
        .viewers
        .iter()
        .find(|v| v.0 == "supporter")
        .unwrap()
        .1
        .clone();
    let other = w
        .viewers
        .iter()
        .find(|v| v.0 == "other_supporter")
        .unwrap()
        .1
        .clone();
    let draft = json!({"section": "career", "profile": {"career": {"education": "DRAFTED", "work_history": "", "qualifications": "", "skills": ""}}});
    assert_eq!(
        c.api(
            "POST",
            &format!("/api/v1/seekers/{}/drafts", w.seeker),
            Some(&other),
            Some(draft.clone())
        )
        .await
        .status,
        404
    );
    let r = c
        .api(
            "POST",
            &format!("/api/v1/seekers/{}/drafts", w.seeker),
            Some(&sup),
            Some(draft),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_ne!(
        c.api("GET", "/api/v1/me/profile", Some(&w.seeker_tok), None)
            .await
            .json()["profile"]["career"]["education"],
        "DRAFTED"
    );
    let drafts = c
        .api("GET", "/api/v1/me/drafts", Some(&w.seeker_tok), None)
        .await
        .json();
    let id = drafts["drafts"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(drafts["drafts"][0]["author_name"], "支援員");
    let mut web = w.s.client();
    sign_in(&mut web, "seeker@example.jp", PW).await;
    let page = web.get("/profile").await;
    assert!(page.body.contains("支援員さんからの提案"));
    assert!(
        page.body.contains("学歴: DRAFTED"),
        "the proposal is shown as readable lines"
    );
    let r = web
        .submit("/profile", &format!("/profile/drafts/{id}/approve"), &[])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        c.api("GET", "/api/v1/me/profile", Some(&w.seeker_tok), None)
            .await
            .json()["profile"]["career"]["education"],
        "DRAFTED"
    );
    assert!(
        c.api("GET", "/api/v1/me/drafts", Some(&w.seeker_tok), None)
            .await
            .json()["drafts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn expiring_mental_health_certificate_is_reminded_by_mail() {
    let sink = SmtpSink::start();
    let mut s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    register(&mut c, "seeker", "cert@example.jp", "C", None).await;
    let t = token(&mut c, "cert@example.jp", PW).await;
    // Expires in about two months: the reminder (three months before) is due.
    let soon = {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64
            + 60 * 86_400;
        let days = now / 86_400;
        // civil-from-days (Howard Hinnant)
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        format!("{y:04}-{m:02}-{d:02}")
    };
    let r = c.api("PUT", "/api/v1/me/profile", Some(&t), Some(json!({"disability": {"categories": ["mental"], "certificate": {"type": "mental", "grade": 2, "expires_on": soon}, "description": ""}}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // The sweep runs at start and hourly; a restart runs it now.
    s.stop();
    s.launch();
    let mail = sink.wait_for("cert@example.jp");
    assert!(mail.text().contains("有効期限"), "{}", mail.text());
    // Only once.
    s.stop();
    s.launch();
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(sink.count_to("cert@example.jp"), 1);
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}
