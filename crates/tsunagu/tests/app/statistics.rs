//! Anonymised statistics over HTTP against a real server: hired people are counted
//! only while their sensitive-data consent stands; a count of fewer than k people is
//! hidden, and so is enough else that no hidden count follows from what is published;
//! the published release keeps its counts, with its notice of items, as a page, CSV and
//! JSON for anyone; only the privacy officer and admin build and publish.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::http::staff_token;
use crate::jobs::{World, publish};
use crate::messages::japan_date;
use crate::retention::hired_on;
use crate::support::*;
use serde_json::{Value, json};

fn profile(pref: u8, category: &str) -> Value {
    json!({
        "basic": {"name": "統計 太郎", "kana": "とうけい", "prefecture": pref, "address": "STATSQZ-ADDR", "phone": "", "email": ""},
        "disability": {"categories": [category], "description": "STATSQZ-DESC"},
        "accommodations": {"codes": ["written_instructions"], "note": ""}
    })
}

/// Every published count: none describes 1 to k−1 people.
fn counts(t: &Value) -> Vec<u64> {
    let mut out = Vec::new();
    for c in t["cells"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .chain(t["row_totals"].as_array().unwrap())
        .chain(t["col_totals"].as_array().unwrap())
    {
        if let Some(n) = c["count"].as_u64() {
            out.push(n);
        }
    }
    out
}

/// In each row and column with a hidden term, at least two terms are hidden (the
/// total counts as a term), so no single difference gives one away.
fn covered(t: &Value) -> bool {
    let cells = t["cells"].as_array().unwrap();
    let hidden = |v: &Value| v["count"].is_null();
    let rows_ok = cells
        .iter()
        .zip(t["row_totals"].as_array().unwrap())
        .all(|(r, total)| {
            let n = r.as_array().unwrap().iter().filter(|c| hidden(c)).count()
                + usize::from(hidden(total));
            n != 1
        });
    let cols = t["col_totals"].as_array().unwrap();
    let cols_ok = cols.iter().enumerate().all(|(c, total)| {
        let n = cells.iter().filter(|r| hidden(&r[c])).count() + usize::from(hidden(total));
        n != 1
    });
    rows_ok && cols_ok
}

#[tokio::test]
async fn small_counts_are_hidden_with_their_covers_and_releases_are_public() {
    let s = Server::builder().start();
    let mut c = s.client();
    let officer = staff_token(&s, &mut c, "officer-sq@staff.example", "privacy_officer").await;
    let support = staff_token(&s, &mut c, "support-sq@staff.example", "support").await;
    let billing = staff_token(&s, &mut c, "billing-sq@staff.example", "billing").await;
    register(
        &mut c,
        "employer",
        "hr-sq@jobs.example.jp",
        "採用 担当",
        Some("統計テスト株式会社"),
    )
    .await;
    let emp = token(&mut c, "hr-sq@jobs.example.jp", PW).await;
    let r = c
        .api("PUT", "/api/v1/company", Some(&emp), Some(company_body()))
        .await;
    let org = r.json()["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/companies/{org}/verify"),
            Some(&support),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let mut w = World {
        s,
        c,
        emp: emp.clone(),
        op: support,
    };
    let posting = publish(&mut w, json!({})).await;
    let mut c = w.s.client();

    // Six in Tokyo with a mental disability, one in Osaka with a physical one, all hired
    // eight months ago; one more in Tokyo withdrew the sensitive-data consent.
    let start = japan_date(-240);
    let people = [(13, "mental"); 6]
        .into_iter()
        .chain([(27, "physical"), (13, "developmental")])
        .enumerate();
    for (i, (pref, cat)) in people {
        let email = format!("stat{i}-sq@example.jp");
        register(&mut c, "seeker", &email, "統計 太郎", None).await;
        let st = token(&mut c, &email, PW).await;
        let r = c
            .api(
                "PUT",
                "/api/v1/me/profile",
                Some(&st),
                Some(profile(pref, cat)),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        hired_on(&mut c, &emp, &st, &posting, "open", &start).await;
        if cat == "developmental" {
            let r = c
                .api(
                    "POST",
                    "/api/v1/me/consents/sensitive_data/withdraw",
                    Some(&st),
                    None,
                )
                .await;
            assert!(r.status < 300, "{}", r.body);
        }
    }

    // Only the privacy officer (and admin) build statistics.
    let api = "/api/v1/operator/statistics";
    assert_eq!(c.api("GET", api, Some(&billing), None).await.status, 403);
    let r = c.api("GET", api, Some(&officer), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = r.json();
    assert_eq!(p["k"], 5);
    assert_eq!(
        p["people"], 7,
        "the one without consent is not counted: {p}"
    );
    assert!(
        !r.body.contains("STATSQZ"),
        "no one's data leaves: {}",
        r.body
    );
    let tables = p["tables"].as_array().unwrap();
    let hires = tables
        .iter()
        .find(|t| t["kind"] == "hires_by_disability")
        .unwrap();
    assert_eq!(hires["total"]["count"], 7, "{hires}");
    assert!(!hires["cols"].as_array().unwrap().is_empty());
    let osaka = hires["rows"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r == "27")
        .unwrap();
    let physical = hires["cols"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "physical")
        .unwrap();
    assert!(
        hires["cells"][osaka][physical]["count"].is_null(),
        "one person: {hires}"
    );
    assert!(counts(hires).iter().all(|&n| n == 0 || n >= 5), "{hires}");
    assert!(
        covered(hires),
        "a hidden count stands alone in its line: {hires}"
    );
    // Seven registered written instructions and stayed: one row, shown.
    let ret = tables
        .iter()
        .find(|t| t["kind"] == "retention_by_accommodation")
        .unwrap();
    assert_eq!(ret["rows"], json!(["written_instructions"]), "{ret}");
    assert_eq!(
        ret["cells"][0],
        json!([{"count": 7}, {"count": 0}]),
        "{ret}"
    );

    // Published: anyone reads the release, its notice and its CSV.
    let r = c
        .api(
            "POST",
            "/api/v1/operator/statistics/releases",
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = c
        .api("GET", &format!("/api/v1/statistics/{id}"), None, None)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["tables"], p["tables"]);
    let mut web = w.s.client();
    let r = web.get(&format!("/statistics/{id}")).await;
    assert_eq!(r.status, 200);
    for want in [
        "匿名加工情報",
        "都道府県",
        "障害の種類",
        "必要な配慮",
        "法律で禁止",
    ] {
        assert!(r.body.contains(want), "{want} not on the release page");
    }
    let r = web.get(&format!("/statistics/{id}/csv")).await;
    assert!(r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(
        r.body.contains("匿名加工情報") && r.body.contains("\"k=5\""),
        "{}",
        r.body
    );
    let r = web.get("/statistics").await;
    assert!(r.body.contains(&format!("/statistics/{id}")), "{}", r.body);

    // A release keeps its counts: later hires change the preview, not what was published.
    register(&mut c, "seeker", "late-sq@example.jp", "統計 花子", None).await;
    let st = token(&mut c, "late-sq@example.jp", PW).await;
    c.api(
        "PUT",
        "/api/v1/me/profile",
        Some(&st),
        Some(profile(13, "mental")),
    )
    .await;
    hired_on(&mut c, &emp, &st, &posting, "open", &start).await;
    let now = c.api("GET", api, Some(&officer), None).await.json();
    assert_eq!(now["people"], 8);
    let r = c
        .api("GET", &format!("/api/v1/statistics/{id}"), None, None)
        .await;
    assert_eq!(r.json()["people"], 7);
}
