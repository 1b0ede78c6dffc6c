//! The audit log in the operator's console over HTTP, on SQLite and PostgreSQL: only
//! admin and privacy-officer staff may search it; a search needs its purpose and is
//! itself logged with it; filters by subject and action prefix; dates checked on their
//! fields; entries carry ids and item names, never the values nor IP addresses; the chain's check says
//! it is intact, and says where after an entry is changed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::Value;

#[tokio::test]
async fn the_console_searches_the_log_for_a_stated_purpose_and_checks_the_chain() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    let name = "記録 対象者QX";
    let email = "audited-qx@example.jp";
    let seeker = register(&mut c, "seeker", email, name, None).await;
    let st = token(&mut c, email, PW).await;
    let officer = token(&mut c, "operator@demo.tsunagu.example", "tsunagu-demo-2026").await;

    let url = |q: &str| format!("/api/v1/operator/audit?{q}");
    // Not for anyone else.
    let r = c.api("GET", &url("purpose=x"), Some(&st), None).await;
    assert_eq!(r.status, 403, "{}", r.body);
    // The purpose is required; dates are checked on their fields.
    let r = c
        .api(
            "GET",
            &url(&format!("subject={seeker}&purpose=")),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["purpose"]["code"],
        "audit-purpose-required"
    );
    assert!(
        r.body.contains("検索の目的を入力してください"),
        "{}",
        r.body
    );
    let r = c
        .api(
            "GET",
            &url("from=2026-13-01&purpose=check"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["from"]["code"],
        "audit-date-invalid"
    );

    // By subject: the person's registration, confirmation and sign-in; ids and item
    // names only.
    let r = c
        .api(
            "GET",
            &url(&format!(
                "subject={seeker}&purpose=%E9%96%8B%E7%A4%BA%E8%AB%8B%E6%B1%82"
            )),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let actions: Vec<String> = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    for a in ["account.create", "email.verify"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
    assert!(
        !r.body.contains("\"ip\""),
        "network details listed: {}",
        r.body
    );
    assert!(
        !r.body.contains(name) && !r.body.contains(email),
        "values in the log: {}",
        r.body
    );
    // By action prefix.
    let r = c
        .api(
            "GET",
            &url("action=email.&purpose=check"),
            Some(&officer),
            None,
        )
        .await;
    let all: Vec<Value> = r.json()["entries"].as_array().unwrap().clone();
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|e| e["action"].as_str().unwrap().starts_with("email."))
    );
    // The searches themselves are in the log, with their purpose.
    let r = c
        .api(
            "GET",
            &url("action=audit.search&purpose=check"),
            Some(&officer),
            None,
        )
        .await;
    let purposes: Vec<String> = r.json()["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["purpose"].as_str().unwrap().to_owned())
        .collect();
    assert!(purposes.iter().any(|p| p == "開示請求"), "{purposes:?}");

    // The chain: intact; the page shows it.
    let r = c
        .api("GET", "/api/v1/operator/audit/status", Some(&officer), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["problem"], Value::Null);
    assert!(r.json()["entries"].as_i64().unwrap() > 5);
    let mut web = page_client(&s, "operator@demo.tsunagu.example", "tsunagu-demo-2026").await;
    let p = web
        .submit("/operator/audit", "/operator/audit/verify", &[])
        .await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("改ざんはありません"), "{}", p.body);
    // The page's search, with its error on the field.
    let p = web.get("/operator/audit?actor=x&purpose=").await;
    assert_eq!(p.status, 422);
    assert!(p.body.contains("id=\"f-purpose-error\""));
    // A link from an anomaly fills the form in without searching.
    let p = web.get("/operator/audit?actor=someone").await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("value=\"someone\""));

    // An entry changed in the database: the check says where.
    let mut conn = store::db::establish(&s.database_url).unwrap();
    store::db::execute_raw(
        &mut conn,
        "UPDATE audit_log SET action = 'x.read' WHERE seq = 2",
    )
    .unwrap();
    let r = c
        .api("GET", "/api/v1/operator/audit/status", Some(&officer), None)
        .await;
    assert_eq!(r.json()["problem"], "entry 2: entry changed", "{}", r.body);
}
