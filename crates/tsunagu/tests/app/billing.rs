//! Billing over HTTP against a real server: plans checked per field (a success fee for
//! companies only), a month's run issuing one qualified invoice per organisation (a
//! second run issuing nothing), the tax per rate rounded once per invoice as worked by
//! hand, the PDF's extracted text and the accounting CSV, payments, who may see which
//! invoice, and invoices outliving the hired person's 退会 and erasure unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::http::staff_token;
use crate::jobs::{publish, world};
use crate::messages::japan_date;
use crate::retention::{DEMO_PW, SEEKER_MAIL, hired_on};
use crate::support::*;
use serde_json::{Value, json};

const REG: &str = "T1234567890123";
const ISSUER: &str = "株式会社つなぐ試験運営";

fn with_issuer(b: Builder) -> Builder {
    b.env("TSUNAGU_OPERATOR_NAME", ISSUER)
        .env("TSUNAGU_OPERATOR_ADDRESS", "東京都千代田区試験町1-1")
        .env("TSUNAGU_INVOICE_REGISTRATION_NUMBER", REG)
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("invoice.pdf");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils; test.sh installs it)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The invoice of `org` in a list answer.
fn invoice_of<'a>(list: &'a Value, org: &str) -> &'a Value {
    list["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["organization_id"] == org)
        .unwrap_or_else(|| panic!("no invoice of {org} in {list}"))
}

#[tokio::test]
async fn invoices_are_issued_once_per_month_with_tax_per_rate_and_outlive_erasure() {
    let mut w =
        world(with_issuer(Server::builder()).env("TSUNAGU_RETENTION_CLOSED_DAYS", "0")).await;
    let posting = publish(&mut w, json!({})).await;
    let (emp, op) = (w.emp.clone(), w.op.clone());
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    // The last month that has ended, and a first day within it.
    let today = japan_date(0);
    let day: i64 = today[8..].parse().unwrap();
    let month = japan_date(-day)[..7].to_owned();
    let start = japan_date(-day - 2);
    assert!(start.starts_with(&month));
    hired_on(&mut c, &emp, &st, &posting, "open", &start).await;

    // Only billing staff open billing; seekers have no invoices.
    let support = staff_token(&w.s, &mut c, "support-bq@staff.example", "support").await;
    let plans = "/api/v1/operator/billing/plans";
    assert_eq!(c.api("GET", plans, Some(&support), None).await.status, 403);
    assert_eq!(
        c.api("GET", "/api/v1/billing/invoices", Some(&st), None)
            .await
            .status,
        403
    );

    // Plans are checked per field, in both languages.
    for (lang, word) in [("ja", "会社のプランだけ"), ("en", "Only company plans")] {
        c.lang = lang.into();
        let r = c
            .api(
                "POST",
                plans,
                Some(&op),
                Some(json!({"org_kind": "facility", "name": "施設", "monthly_fee": 0, "success_fee": 5000})),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_codes(), "success_fee:billing-success-company-only");
        assert!(r.body.contains(word), "{}", r.body);
    }
    c.lang = "ja".into();
    let r = c
        .api(
            "POST",
            plans,
            Some(&op),
            Some(json!({"org_kind": "company", "name": "", "monthly_fee": 0})),
        )
        .await;
    assert_eq!(r.field_codes(), "name:required", "{}", r.body);
    let plan = |kind: &str, name: &str, monthly: i64, success: i64| json!({"org_kind": kind, "name": name, "monthly_fee": monthly, "success_fee": success});
    let r = c
        .api(
            "POST",
            plans,
            Some(&op),
            Some(plan("company", "標準プラン", 10_005, 20_005)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let company_plan = r.json()["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            plans,
            Some(&op),
            Some(plan("facility", "施設プラン", 5_005, 0)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let facility_plan = r.json()["id"].as_str().unwrap().to_owned();

    // Our company and the demo facility are put on plans from the month on.
    let orgs = c
        .api(
            "GET",
            "/api/v1/operator/billing/organizations",
            Some(&op),
            None,
        )
        .await
        .json();
    let org_id = |name: &str| {
        orgs["organizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["organization_name"].as_str().unwrap().contains(name))
            .unwrap_or_else(|| panic!("{name} not in {orgs}"))["organization_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let company = org_id("検索テスト株式会社");
    let facility = orgs["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["org_kind"] == "facility")
        .unwrap()["organization_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let set = |org: &str| format!("/api/v1/operator/billing/organizations/{org}/plan");
    let r = c
        .api(
            "PUT",
            &set(&company),
            Some(&op),
            Some(json!({"plan_id": facility_plan, "since_month": month})),
        )
        .await;
    assert_eq!(r.field_codes(), "plan:billing-plan-kind", "{}", r.body);
    for (org, p) in [(&company, &company_plan), (&facility, &facility_plan)] {
        let r = c
            .api(
                "PUT",
                &set(org),
                Some(&op),
                Some(json!({"plan_id": p, "since_month": month})),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.body);
    }

    // A month that has not ended is refused; the month that has is issued once.
    let runs = "/api/v1/operator/billing/runs";
    let r = c
        .api("POST", runs, Some(&op), Some(json!({"month": &today[..7]})))
        .await;
    assert_eq!(
        r.field_codes(),
        "month:billing-month-not-ended",
        "{}",
        r.body
    );
    let r = c
        .api("POST", runs, Some(&op), Some(json!({"month": month})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["report"]["issued"].as_u64().unwrap() >= 2,
        "{}",
        r.body
    );
    let r = c
        .api("POST", runs, Some(&op), Some(json!({"month": month})))
        .await;
    assert_eq!(r.json()["report"]["issued"], 0, "a second run: {}", r.body);

    let list = c
        .api(
            "GET",
            &format!("/api/v1/operator/billing/invoices?month={month}"),
            Some(&op),
            None,
        )
        .await
        .json();
    let id = invoice_of(&list, &company)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let fid = invoice_of(&list, &facility)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let get = format!("/api/v1/operator/billing/invoices/{id}");
    let inv = c.api("GET", &get, Some(&op), None).await.json();
    // By hand: 10,005 + 20,005 = 30,010 at 10%; tax 3,001 (per line it would be
    // 1,000 + 2,000 = 3,000); total 33,011.
    assert_eq!(inv["issuer"]["registration_number"], REG);
    assert_eq!(inv["summary"]["recipient"], "検索テスト株式会社");
    assert_eq!(inv["lines"].as_array().unwrap().len(), 2, "{inv}");
    assert_eq!(inv["lines"][1]["detail"], format!("{start} 一般事務"));
    assert_eq!(
        inv["taxes"],
        json!([{"tax_rate": 10, "base": 30_010, "tax": 3_001}])
    );
    assert_eq!(inv["summary"]["total"], 33_011);
    let f = c
        .api(
            "GET",
            &format!("/api/v1/operator/billing/invoices/{fid}"),
            Some(&op),
            None,
        )
        .await
        .json();
    assert_eq!(
        f["taxes"],
        json!([{"tax_rate": 10, "base": 5_005, "tax": 500}])
    );
    assert_eq!(
        f["lines"].as_array().unwrap().len(),
        1,
        "no success fee for a facility"
    );

    // The PDF and the CSV, as billing staff download them.
    let mut web = page_client(&w.s, "operator@demo.tsunagu.example", DEMO_PW).await;
    let r = web
        .get(&format!("/operator/billing/invoices/{id}/pdf"))
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), "application/pdf");
    let text = pdf_text(&r.bytes);
    for want in [
        REG,
        "10%",
        "3,001円",
        "33,011円",
        "検索テスト株式会社 御中",
        ISSUER,
    ] {
        assert!(text.contains(want), "{want} not in the PDF's text: {text}");
    }
    let r = web
        .get(&format!("/operator/billing/invoices.csv?month={month}"))
        .await;
    assert_eq!(r.status, 200);
    assert!(r.bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "UTF-8 with BOM");
    assert!(
        r.body
            .contains("\"検索テスト株式会社\",\"10\",\"30010\",\"3001\",\"33011\""),
        "{}",
        r.body
    );

    // Payments: not in the future; once.
    let pay = format!("{get}/payment");
    let r = c
        .api(
            "POST",
            &pay,
            Some(&op),
            Some(json!({"paid_on": japan_date(1)})),
        )
        .await;
    assert_eq!(r.field_codes(), "paid_on:billing-paid-future", "{}", r.body);
    let r = c
        .api("POST", &pay, Some(&op), Some(json!({"paid_on": today})))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["summary"]["paid_on"], today.as_str());
    let r = c
        .api("POST", &pay, Some(&op), Some(json!({"paid_on": today})))
        .await;
    assert_eq!(
        r.field_codes(),
        "paid_on:billing-paid-already",
        "{}",
        r.body
    );

    // The company's admin sees its invoice and page; another company's admin does not.
    let mine = c
        .api("GET", "/api/v1/billing/invoices", Some(&emp), None)
        .await
        .json();
    assert_eq!(invoice_of(&mine, &company)["id"], id.as_str());
    assert_eq!(mine["invoices"].as_array().unwrap().len(), 1, "{mine}");
    let mut hr = page_client(&w.s, "hr@jobs.example.jp", PW).await;
    let r = hr.get(&format!("/billing/invoices/{id}")).await;
    assert_eq!(r.status, 200);
    for want in ["3,001円", "33,011円", REG, "入金済み"] {
        assert!(r.body.contains(want), "{want} not on the page");
    }
    // A member who is not an admin is told who sees invoices, and sees none.
    let mut rec = page_client(&w.s, "recruiter@demo.tsunagu.example", DEMO_PW).await;
    let r = rec.get("/billing").await;
    assert!(r.body.contains("id=\"not-admin\""), "{}", r.body);
    assert_eq!(
        rec.get(&format!("/billing/invoices/{id}")).await.status,
        404
    );
    register(
        &mut c,
        "employer",
        "other-bq@jobs.example.jp",
        "別社 担当",
        Some("別会社BQ"),
    )
    .await;
    let other = token(&mut c, "other-bq@jobs.example.jp", PW).await;
    let r = c
        .api(
            "GET",
            &format!("/api/v1/billing/invoices/{id}"),
            Some(&other),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = c
        .api("GET", "/api/v1/billing/invoices", Some(&other), None)
        .await;
    assert_eq!(r.json()["invoices"], json!([]), "{}", r.body);

    // The hired person leaves and is erased: the invoice stays as it was.
    let before = c.api("GET", &get, Some(&op), None).await.json();
    let r = c
        .api(
            "POST",
            "/api/v1/me/close",
            Some(&st),
            Some(json!({"password": DEMO_PW})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let out = w.s.command(&["retention", "run"]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.contains("retention: 1 account(s) erased"), "{said}");
    let after = c.api("GET", &get, Some(&op), None).await.json();
    assert_eq!(before, after);
}

#[tokio::test]
async fn pages_name_each_wrong_field_and_no_invoice_goes_out_without_a_registration_number() {
    let s = Server::builder().start();
    let mut c = s.client();
    let billing = staff_token(&s, &mut c, "billing-bq@staff.example", "billing").await;
    let today = japan_date(0);
    let day: i64 = today[8..].parse().unwrap();
    let month = japan_date(-day)[..7].to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/operator/billing/runs",
            Some(&billing),
            Some(json!({ "month": month })),
        )
        .await;
    assert_eq!(
        r.field_codes(),
        "month:billing-issuer-missing",
        "{}",
        r.body
    );

    // The pages: the warning, a refused plan with its field marked, then a plan added.
    let mut web = page_client(&s, "billing-bq@staff.example", PW).await;
    let r = web.get("/operator/billing").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"issuer-missing\""), "{}", r.body);
    let form = |name: &'static str, monthly: &'static str| {
        vec![
            ("org_kind", "company"),
            ("name", name),
            ("monthly_fee", monthly),
            ("success_fee", ""),
        ]
    };
    let r = web
        .submit(
            "/operator/billing/plans",
            "/operator/billing/plans",
            &form("", "abc"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"f-name-error\""), "{}", r.body);
    assert!(r.body.contains("id=\"f-monthly_fee-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"abc\""), "what was typed stays");
    let r = web
        .submit(
            "/operator/billing/plans",
            "/operator/billing/plans",
            &form("ライト", "３０，０００"),
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let r = web.get("/operator/billing/plans").await;
    assert!(
        r.body.contains("ライト") && r.body.contains("30,000円"),
        "{}",
        r.body
    );
    // A staff member of another role is refused the pages.
    staff_token(&s, &mut c, "support-bq2@staff.example", "support").await;
    let mut other = page_client(&s, "support-bq2@staff.example", PW).await;
    assert_eq!(other.get("/operator/billing").await.status, 403);
}
