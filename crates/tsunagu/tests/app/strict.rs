//! Strict input over HTTP: unknown fields are refused with 422 naming the field (by its
//! path), a profile `PUT` replaces only the sections it names and never empties one by a
//! misspelt key, a saved search needs a body and a condition, wages are checked per unit,
//! and every search filter is validated alike — and nothing already saved is lost.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};

fn field<'a>(r: &'a Value, name: &str) -> &'a Value {
    &r["error"]["fields"][name]["code"]
}

#[tokio::test]
async fn unknown_fields_are_refused_and_nothing_saved_is_lost() {
    let s = Server::start();
    let mut c = s.client();

    // A seeker with a saved basic section.
    register(&mut c, "seeker", "strict@example.jp", "厳密 太郎", None).await;
    let t = token(&mut c, "strict@example.jp", PW).await;
    let basic =
        json!({"basic": {"name": "厳密 太郎", "kana": "げんみつ たろう", "prefecture": 13}});
    let r = c
        .api("PUT", "/api/v1/me/profile", Some(&t), Some(basic))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A misspelt key inside a section: 422 naming it, and the section is kept.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"basic": {"nmae": "別人"}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "basic.nmae"), "field-unknown");
    assert!(
        !r.json()["error"]["fields"]["basic.nmae"]["message"]
            .as_str()
            .unwrap()
            .is_empty()
    );
    // A misspelt section key.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"basci": {"name": "別人"}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "basci"), "field-unknown");
    // A value of the wrong type names its field.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"basic": {"name": 7}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "basic.name"), "field-invalid");
    // A PUT naming one section leaves the others as they were.
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"career": {"skills": "Excel"}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let p = c
        .api("GET", "/api/v1/me/profile", Some(&t), None)
        .await
        .json();
    assert_eq!(p["profile"]["basic"]["name"], "厳密 太郎");
    assert_eq!(p["profile"]["career"]["skills"], "Excel");
    // In English too.
    c.lang = "en".into();
    let r = c
        .api(
            "PUT",
            "/api/v1/me/profile",
            Some(&t),
            Some(json!({"basic": {"nmae": "x"}})),
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["basic.nmae"]["message"],
        "There is no such field. Check the field's name."
    );
    c.lang = "ja".into();

    // Other bodies: login, privacy settings, registration.
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "strict@example.jp", "password": PW, "remember": true})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "remember"), "field-unknown");
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/scouts",
            Some(&t),
            Some(json!({"enabled": true, "sectons": []})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "sectons"), "field-unknown");
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/scouts",
            Some(&t),
            Some(json!({})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "enabled"), "field-required");

    // Saved searches: a null body, an empty search, an unknown parameter.
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(Value::Null),
        )
        .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(json!({"query": ""})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "query"), "saved-search-empty");
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(json!({"query": "sort=new"})),
        )
        .await;
    assert_eq!(
        field(&r.json(), "query"),
        "saved-search-empty",
        "{}",
        r.body
    );
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(json!({"query": "q=事務&colour=red"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "query.colour"), "field-unknown");
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(json!({"query": "q=事務", "every": "day"})),
        )
        .await;
    assert_eq!(field(&r.json(), "every"), "field-unknown", "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&t),
            Some(json!({"query": "q=事務"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let list = c
        .api("GET", "/api/v1/me/saved-searches", Some(&t), None)
        .await
        .json();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        1,
        "only the good one was saved"
    );

    // Search filters: every bad value is a 422 naming its parameter.
    for (q, name) in [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=501", "page"),
        ("remote=maybe", "remote"),
        ("sort=cheap", "sort"),
        ("hours_min=abc", "hours_min"),
    ] {
        let r = c.api("GET", &format!("/api/v1/jobs?{q}"), None, None).await;
        assert_eq!(r.status, 422, "{q}: {}", r.body);
        assert_eq!(
            field(&r.json(), name),
            if name == "page" {
                "page-invalid"
            } else if name == "hours_min" {
                "number-invalid"
            } else {
                "choice-invalid"
            },
            "{q}"
        );
    }
    for q in ["page=2", "remote=1", "remote=on", ""] {
        let r = c.api("GET", &format!("/api/v1/jobs?{q}"), None, None).await;
        assert_eq!(r.status, 200, "{q}: {}", r.body);
    }
    // Queries of other API routes are read as strictly as bodies: an unknown parameter
    // or a value outside its list is a 422 naming it.
    for (path, name, code) in [
        ("/api/v1/companies?q=x&zz=1", "zz", "field-unknown"),
        (
            "/api/v1/me/provision-records?format=xml",
            "format",
            "field-invalid",
        ),
        (
            "/api/v1/me/provision-records?fromat=csv",
            "fromat",
            "field-unknown",
        ),
    ] {
        let r = c.api("GET", path, Some(&t), None).await;
        assert_eq!(r.status, 422, "{path}: {}", r.body);
        assert_eq!(field(&r.json(), name), code, "{path}");
    }
    let r = c
        .api(
            "GET",
            "/api/v1/me/provision-records?format=csv",
            Some(&t),
            None,
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").starts_with("text/csv"));
    // A value that is not one of the document's enum is refused by the type itself.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&t),
            Some(json!({"organization_id": "x", "openness": "half"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "openness"), "field-invalid");

    // The search page answers the same, in the page.
    let r = c.get("/jobs?page=-1").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("ページ番号は1から500までの数字にしてください。")
    );
}

#[tokio::test]
async fn postings_and_companies_take_only_their_fields_and_sane_wages() {
    let s = Server::start();
    let mut c = s.client();
    register(
        &mut c,
        "employer",
        "strict-hr@example.jp",
        "採用 担当",
        Some("厳密株式会社"),
    )
    .await;
    let emp = token(&mut c, "strict-hr@example.jp", PW).await;

    // Company: an unknown key is refused and the profile is not saved.
    let mut bad = company_body();
    bad["zz_unknown"] = json!("x".repeat(5000));
    let r = c.api("PUT", "/api/v1/company", Some(&emp), Some(bad)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "zz_unknown"), "field-unknown");
    assert!(!r.body.contains("xxxxxxxx"), "the value is never echoed");
    let mut nested = company_body();
    nested["address"] = json!({"city": "千代田区"});
    let r = c
        .api("PUT", "/api/v1/company", Some(&emp), Some(nested))
        .await;
    assert_eq!(field(&r.json(), "address"), "field-invalid", "{}", r.body);
    // Duplicated codes are kept once.
    let mut dup = company_body();
    dup["accommodations"] = json!(["hospital_visits", "hospital_visits"]);
    let r = c.api("PUT", "/api/v1/company", Some(&emp), Some(dup)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let org = r.json()["id"].as_str().unwrap().to_owned();
    let company = c.api("GET", "/api/v1/company", Some(&emp), None).await;
    assert_eq!(
        company.body.matches("hospital_visits").count(),
        1,
        "{}",
        company.body
    );
    verify_company(&s, &org);

    // Posting: an unknown key stores nothing.
    let r = c
        .api(
            "POST",
            "/api/v1/employer/postings",
            Some(&emp),
            Some(posting(json!({"zz_unknown": "x".repeat(5000)}))),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "zz_unknown"), "field-unknown");
    let list = c
        .api("GET", "/api/v1/employer/postings", Some(&emp), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // Wages per unit: an hourly 324,000 円 is refused, with the unit's message.
    let r = c
        .api(
            "POST",
            "/api/v1/employer/postings",
            Some(&emp),
            Some(posting(json!({"wage_min": 1250, "wage_max": 324000}))),
        )
        .await;
    assert_eq!(r.status, 201, "a draft is kept: {}", r.body);
    let p = r.json();
    assert_eq!(
        p["problems"]["wage_max"]["code"], "wage-range-hourly",
        "{p}"
    );
    assert_eq!(
        p["problems"]["wage_max"]["message"],
        "時給は500円から10,000円までの金額で入力してください。"
    );
    let id = p["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/postings/{id}/submit"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "wage_max"), "wage-range-hourly");
    // The same amount is a sane monthly wage.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&emp),
            Some(posting(
                json!({"wage_unit": "monthly", "wage_min": 200000, "wage_max": 324000}),
            )),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["problems"].as_object().unwrap().is_empty(),
        "{}",
        r.body
    );
    // Too low for the unit.
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&emp),
            Some(posting(json!({"wage_unit": "monthly", "wage_min": 1200}))),
        )
        .await;
    assert_eq!(
        r.json()["problems"]["wage_min"]["code"],
        "wage-range-monthly",
        "{}",
        r.body
    );

    // Reports of a posting take only a reason and a detail.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/jobs/{id}/report"),
            None,
            Some(json!({"reason": "other", "detail": "x", "email": "a@b"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(field(&r.json(), "email"), "field-unknown");
}
