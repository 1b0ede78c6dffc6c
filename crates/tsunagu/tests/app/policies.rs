//! Policy versions over HTTP, on SQLite and PostgreSQL: the privacy officer publishes a
//! version (refused field by field when incomplete; a version label once); one that
//! needs fresh consent holds everyone who consented to an earlier one until they decide
//! (pages redirect to the decision page, the API answers 403
//! `policy_decision_required`; the data download and 退会 stay open), and every decision
//! is a consent record with the version; one that does not is told to them as a
//! notification; only the privacy officer may publish.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};

const OPERATOR: &str = "operator@demo.tsunagu.example";
const DEMO_PW: &str = "tsunagu-demo-2026";

async fn publish(c: &mut Client, token: &str, body: Value) -> Resp {
    c.api(
        "POST",
        "/api/v1/operator/policy-versions",
        Some(token),
        Some(body),
    )
    .await
}

fn draft(kind: &str, version: &str, requires: bool) -> Value {
    json!({
        "kind": kind,
        "version": version,
        "summary_ja": "利用目的に、職場定着の統計の作成を加えます。",
        "summary_easy": "つなぐの 数字を まとめる ために 使う ことが 増えます。",
        "text_ja": "第1条 目的\n\n本方針は、つなぐにおける個人情報の取扱いを定めます。",
        "text_easy": "1 この 決まりに ついて\n\nつなぐが 個人情報を どう 使うか 書きます。",
        "requires_consent": requires,
    })
}

#[tokio::test]
async fn a_version_that_needs_consent_holds_people_until_they_decide() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    register(&mut c, "seeker", "policy@example.jp", "方針 一郎", None).await;
    let seeker = token(&mut c, "policy@example.jp", PW).await;
    let officer = token(&mut c, OPERATOR, DEMO_PW).await;

    // Only the privacy officer publishes; an incomplete draft is refused field by field.
    let r = publish(&mut c, &seeker, draft("privacy_policy", "2027-01-01", true)).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = publish(
        &mut c,
        &officer,
        json!({"kind": "scout_visibility", "version": "bad version!", "requires_consent": true}),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.field_codes(),
        [
            "kind:policy-kind-invalid",
            "summary_easy:policy-field-required",
            "summary_ja:policy-field-required",
            "text_easy:policy-field-required",
            "text_ja:policy-field-required",
            "version:policy-version-invalid",
        ]
        .join(",")
    );
    // Nothing holds anyone yet.
    let r = c.api("GET", "/api/v1/me/family", Some(&seeker), None).await;
    assert_eq!(r.status, 200, "{}", r.body);

    let r = publish(
        &mut c,
        &officer,
        draft("privacy_policy", "2027-01-01", true),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    // The demo's people and this seeker consented to the first version.
    assert!(r.json()["asked"].as_i64().unwrap() >= 2, "{}", r.body);
    assert_eq!(r.json()["notified"], 0);
    let r = publish(
        &mut c,
        &officer,
        draft("privacy_policy", "2027-01-01", false),
    )
    .await;
    assert_eq!(
        r.field_codes(),
        "version:policy-version-taken",
        "{}",
        r.body
    );
    assert!(
        r.body.contains("この版はすでに公開されています"),
        "{}",
        r.body
    );

    // The seeker is held: the API says why; who am I, the decision and the download
    // stay open.
    let r = c.api("GET", "/api/v1/me/family", Some(&seeker), None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.json()["error"]["code"], "policy_decision_required");
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&seeker), None).await.status,
        200
    );
    let r = c
        .api("GET", "/api/v1/me/policy-decisions", Some(&seeker), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let due = r.json()["due"].as_array().unwrap().clone();
    assert_eq!(due.len(), 1, "{}", r.body);
    assert_eq!(due[0]["kind"], "privacy_policy");
    assert_eq!(due[0]["version"], "2027-01-01");
    assert_eq!(due[0]["declined"], false);
    let r = c
        .api(
            "POST",
            "/api/v1/me/export",
            Some(&seeker),
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(r.status, 200, "the download stays open: {}", r.body);

    // Pages: every page sends the person to the decision page, which shows what changed.
    let mut web = page_client(&s, "policy@example.jp", PW).await;
    for path in ["/dashboard", "/profile", "/account"] {
        let r = web.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.location(), "/policy-update", "{path}");
    }
    let page = web.get("/policy-update").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("利用目的に、職場定着の統計の作成を加えます。")
    );
    assert!(page.body.contains("/account/close") && page.body.contains("/account/data"));
    assert_eq!(web.get("/account/close").await.status, 200);
    // Anyone can read the version: in Japanese, or in easy Japanese for its readers.
    let mut reader = s.client();
    let ja = reader
        .get("/privacy/versions/privacy_policy/2027-01-01")
        .await;
    assert_eq!(ja.status, 200);
    assert!(
        ja.body
            .contains("本方針は、つなぐにおける個人情報の取扱いを定めます。")
    );
    reader
        .cookies
        .insert("__Host-tsunagu_lang".into(), "easy".into());
    let easy = reader
        .get("/privacy/versions/privacy_policy/2027-01-01")
        .await;
    assert!(
        easy.body
            .contains("つなぐが 個人情報を どう 使うか 書きます。"),
        "{}",
        easy.body
    );
    assert_eq!(
        reader
            .get("/privacy/versions/privacy_policy/2026-11-01")
            .await
            .status,
        404
    );

    // Declining is recorded and keeps the person held, saying so.
    let r = web
        .submit(
            "/policy-update",
            "/policy-update",
            &[
                ("kind", "privacy_policy"),
                ("version", "2027-01-01"),
                ("decision", "decline"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/policy-update?m=policy-declined");
    let page = web.get("/policy-update?m=policy-declined").await;
    assert!(page.body.contains("id=\"declined-1\""), "{}", page.body);
    assert_eq!(web.get("/dashboard").await.status, 303);
    // A stale version is refused.
    let r = c
        .api(
            "POST",
            "/api/v1/me/policy-decisions",
            Some(&seeker),
            Some(json!({"kind": "privacy_policy", "version": "2026-11-01", "agree": true})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // Agreeing opens everything on every session.
    let r = c
        .api(
            "POST",
            "/api/v1/me/policy-decisions",
            Some(&seeker),
            Some(json!({"kind": "privacy_policy", "version": "2027-01-01", "agree": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"result": "agreed", "due": []}));
    assert_eq!(web.get("/dashboard").await.status, 200);
    let r = c.api("GET", "/api/v1/me/family", Some(&seeker), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Every decision is a consent record with the version.
    let r = c
        .api("GET", "/api/v1/me/consents", Some(&seeker), None)
        .await;
    let records: Vec<(String, String, bool, bool)> = r.json()["consents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "privacy_policy")
        .map(|x| {
            (
                x["version"].as_str().unwrap().to_owned(),
                x["method"].as_str().unwrap().to_owned(),
                x["declined"].as_bool().unwrap(),
                x["withdrawn_at"].is_null(),
            )
        })
        .collect();
    assert!(
        records.contains(&("2027-01-01".into(), "api".into(), false, true)),
        "{records:?}"
    );
    assert!(
        records.contains(&("2027-01-01".into(), "web".into(), true, false)),
        "{records:?}"
    );
    assert!(records.iter().any(|r| r.0 == "2026-11-01"), "{records:?}");

    // A newcomer consents to the version in force and is not held.
    register(&mut c, "seeker", "newcomer@example.jp", "新規 花子", None).await;
    let t = token(&mut c, "newcomer@example.jp", PW).await;
    let r = c.api("GET", "/api/v1/me/family", Some(&t), None).await;
    assert_eq!(r.status, 200, "{}", r.body);

    // The privacy page shows the published text and lists the version.
    let p = s.client().get("/privacy").await;
    assert!(
        p.body
            .contains("本方針は、つなぐにおける個人情報の取扱いを定めます。"),
        "{}",
        p.body
    );
    // The officer's page lists it as current.
    let mut o = page_client(&s, OPERATOR, DEMO_PW).await;
    let r = o.get("/operator/policy").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("2027-01-01"));
}

#[tokio::test]
async fn a_version_without_fresh_consent_is_told_and_declining_sensitive_data_withdraws_it() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    register(&mut c, "seeker", "told@example.jp", "通知 次郎", None).await;
    let seeker = token(&mut c, "told@example.jp", PW).await;
    let officer = token(&mut c, OPERATOR, DEMO_PW).await;

    // A version without fresh consent: a notification each, nobody held.
    let r = publish(
        &mut c,
        &officer,
        draft("privacy_policy", "2027-02-01", false),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["asked"], 0);
    assert!(r.json()["notified"].as_i64().unwrap() >= 2, "{}", r.body);
    assert_eq!(
        c.api("GET", "/api/v1/me/family", Some(&seeker), None)
            .await
            .status,
        200
    );
    let r = c
        .api("GET", "/api/v1/me/notifications", Some(&seeker), None)
        .await;
    assert!(
        r.body.contains("policy_changed") && r.body.contains("privacy_policy/2027-02-01"),
        "{}",
        r.body
    );
    let mut web = page_client(&s, "told@example.jp", PW).await;
    let n = web.get("/notifications").await;
    assert!(
        n.body
            .contains("/privacy/versions/privacy_policy/2027-02-01"),
        "{}",
        n.body
    );

    // A new sensitive-data text that needs consent: declining it withdraws the consent
    // (the data is no longer used) and the person goes on.
    let r = publish(
        &mut c,
        &officer,
        draft("sensitive_data", "2027-03-01", true),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let r = c.api("GET", "/api/v1/me/family", Some(&seeker), None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/policy-decisions",
            Some(&seeker),
            Some(json!({"kind": "sensitive_data", "version": "2027-03-01", "agree": false})),
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"result": "declined", "due": []}),
        "{}",
        r.body
    );
    assert_eq!(
        c.api("GET", "/api/v1/me/family", Some(&seeker), None)
            .await
            .status,
        200
    );
    let r = c
        .api("GET", "/api/v1/me/consents", Some(&seeker), None)
        .await;
    let standing_sensitive = r.json()["consents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["kind"] == "sensitive_data" && x["withdrawn_at"].is_null());
    assert!(!standing_sensitive, "{}", r.body);
    // A sensitive section can no longer be saved.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&seeker),
            Some(json!({"disability": {"categories": ["physical"]}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["disability"]["code"],
        "sensitive-consent-required"
    );
    // The audit log holds the officer's publications and the person's decisions.
    let out = s.command(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
