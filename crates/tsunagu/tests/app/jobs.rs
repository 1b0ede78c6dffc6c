//! Jobs over HTTP against a real server: the posting lifecycle and review, the
//! Japanese search cases and every filter, staleness (求人情報の的確表示), JSON-LD,
//! reports, matching that explains a missing accommodation, recommended candidates as
//! recorded scout views, and saved-search alerts by notification and by mail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const DEMO_PW: &str = "tsunagu-demo-2026";

pub(crate) struct World {
    pub(crate) s: Server,
    pub(crate) c: Client,
    pub(crate) emp: String,
    pub(crate) op: String,
}

/// A server with the demo data (for the operator account), and a new company whose
/// profile is saved and verified.
pub(crate) async fn world(builder: Builder) -> World {
    let s = builder.start();
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    register(
        &mut c,
        "employer",
        "hr@jobs.example.jp",
        "採用 担当",
        Some("検索テスト株式会社"),
    )
    .await;
    let emp = token(&mut c, "hr@jobs.example.jp", PW).await;
    let op = token(&mut c, "operator@demo.tsunagu.example", DEMO_PW).await;
    let r = c
        .api("PUT", "/api/v1/company", Some(&emp), Some(company_body()))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/companies/{id}/verify"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    World { s, c, emp, op }
}

/// Creates, submits and approves a posting; returns its id.
pub(crate) async fn publish(w: &mut World, over: Value) -> String {
    let r =
        w.c.api(
            "POST",
            "/api/v1/employer/postings",
            Some(&w.emp),
            Some(posting(over)),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["problems"], json!({}), "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{id}/submit"),
            Some(&w.emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "submitted", "{}", r.body);
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{id}/approve"),
            Some(&w.op),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published", "{}", r.body);
    id
}

async fn ids(c: &mut Client, query: &str) -> Vec<String> {
    let r = c
        .api("GET", &format!("/api/v1/jobs?{query}"), None, None)
        .await;
    assert_eq!(r.status, 200, "{query}: {}", r.body);
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'_' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[tokio::test]
async fn japanese_search_filters_sorting_and_the_job_page() {
    let mut w = world(Server::builder()).await;
    // Every test posting carries the word ZQX7, so the demo postings stay out of the way.
    let a = publish(
        &mut w,
        json!({"title": "一般事務スタッフ", "duties": "ZQX7 データ入力", "remote": "partial",
        "accommodations": ["written_instructions", "quiet_environment"]}),
    )
    .await;
    let b = publish(&mut w, json!({"title": "プログラマー", "category": "it", "duties": "ZQX7 システム開発",
        "prefecture": 27, "employment_type": "full_time", "hours_per_week": 40, "days_per_week": 5,
        "wage_unit": "monthly", "wage_min": 250000, "remote": "full", "accommodations": ["written_instructions"]})).await;
    // Published a second later, so "newest first" has an order to show.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let cc = publish(&mut w, json!({"title": "アシスタント", "duties": "ZQX7 ｼｽﾃﾑの補助", "employment_type": "contract",
        "contract_type": "fixed_term", "contract_period": "1年", "renewal_rule": "更新あり（勤務成績で判断）",
        "renewal_cap": "通算5年", "hours_per_week": 10, "days_per_week": 2, "wage_min": 1000})).await;
    let q = |kw: &str| format!("q={}", enc(&format!("ZQX7 {kw}")));

    // The Japanese cases.
    assert_eq!(
        ids(&mut w.c, &q("事務")).await,
        vec![a.clone()],
        "事務 finds 一般事務"
    );
    assert_eq!(
        ids(&mut w.c, &q("プログラマ")).await,
        vec![b.clone()],
        "プログラマ finds プログラマー"
    );
    assert_eq!(
        sorted(ids(&mut w.c, &q("ｼｽﾃﾑ")).await),
        sorted(vec![b.clone(), cc.clone()]),
        "ｼｽﾃﾑ finds システム"
    );
    assert_eq!(
        sorted(ids(&mut w.c, &q("システム")).await),
        sorted(vec![b.clone(), cc.clone()])
    );
    assert_eq!(
        ids(&mut w.c, &q("スタッフ")).await,
        vec![a.clone()],
        "スタッフ does not find アシスタント"
    );
    // The page finds the same.
    let page = w.c.get(&format!("/jobs?{}", q("事務"))).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&format!("/jobs/{a}")) && !page.body.contains(&format!("/jobs/{b}"))
    );
    assert!(
        page.body.contains("1件のうち 1〜1件目"),
        "result count shown"
    );

    // Every filter.
    let all = q("");
    let f = |extra: &str| format!("{all}&{extra}");
    assert_eq!(
        sorted(ids(&mut w.c, &f("pref=13")).await),
        sorted(vec![a.clone(), cc.clone()])
    );
    assert_eq!(ids(&mut w.c, &f("cat=it")).await, vec![b.clone()]);
    assert_eq!(ids(&mut w.c, &f("emp=part_time")).await, vec![a.clone()]);
    assert_eq!(
        sorted(ids(&mut w.c, &f("hours_max=20")).await),
        sorted(vec![a.clone(), cc.clone()])
    );
    assert_eq!(ids(&mut w.c, &f("hours_min=30")).await, vec![b.clone()]);
    assert_eq!(
        sorted(ids(&mut w.c, &f("wage_min=1100")).await),
        sorted(vec![a.clone(), b.clone()]),
        "monthly pay compares per hour"
    );
    assert_eq!(
        sorted(ids(&mut w.c, &f("remote=1")).await),
        sorted(vec![a.clone(), b.clone()])
    );
    assert_eq!(
        sorted(ids(&mut w.c, &f("acc=written_instructions")).await),
        sorted(vec![a.clone(), b.clone()])
    );
    assert_eq!(
        ids(
            &mut w.c,
            &f("acc=written_instructions&acc=quiet_environment")
        )
        .await,
        vec![a.clone()],
        "every selected accommodation must be offered"
    );
    assert_eq!(
        ids(&mut w.c, &f("acc=hospital_visits")).await.len(),
        3,
        "the company's accommodations count too"
    );
    // Sorting and paging.
    assert_eq!(
        ids(&mut w.c, &f("sort=wage")).await,
        vec![b.clone(), a.clone(), cc.clone()]
    );
    assert_eq!(ids(&mut w.c, &f("sort=new")).await[0], cc);
    let r =
        w.c.api("GET", &format!("/api/v1/jobs?{}&page=2", all), None, None)
            .await;
    assert_eq!(r.json()["total"], 3);
    assert_eq!(r.json()["items"], json!([]));
    // Bad input: an error tied to the field, in the caller's language.
    let r =
        w.c.api("GET", "/api/v1/jobs?hours_max=abc&pref=99", None, None)
            .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"]["fields"]["hours_max"]["code"],
        "number-invalid"
    );
    assert_eq!(
        r.json()["error"]["fields"]["pref"]["code"],
        "number-invalid"
    );
    let page = w.c.get("/jobs?hours_max=abc").await;
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("href=\"#f-hours_max\"") && page.body.contains("value=\"abc\""),
        "error linked to the field; input kept"
    );

    // The job page: conditions, as-of date, employer, JSON-LD.
    let page = w.c.get(&format!("/jobs/{cc}")).await;
    assert_eq!(page.status, 200);
    for text in [
        "情報更新日",
        "通算5年",
        "更新あり（勤務成績で判断）",
        "検索テスト株式会社",
        "千代田区丸の内1-1-1",
        "03-1234-5678",
        "屋内禁煙",
    ] {
        assert!(page.body.contains(text), "job page shows {text}");
    }
    let ld = page
        .body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "JobPosting");
    assert_eq!(ld["title"], "アシスタント");
    assert!(ld["description"].as_str().unwrap().contains("ｼｽﾃﾑの補助"));
    assert!(ld["datePosted"].as_str().unwrap().starts_with("20"));
    assert_eq!(ld["hiringOrganization"]["name"], "検索テスト株式会社");
    assert_eq!(ld["jobLocation"]["address"]["addressRegion"], "東京都");
    assert_eq!(ld["employmentType"], "TEMPORARY");
    assert_eq!(ld["baseSalary"]["value"]["minValue"], 1000);
    assert_eq!(ld["baseSalary"]["value"]["unitText"], "HOUR");

    // Anyone can report a posting; the report reaches the operator.
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/jobs/{a}/report"),
            None,
            Some(json!({"reason": "nonsense"})),
        )
        .await;
    assert_eq!(r.status, 422);
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/jobs/{a}/report"),
            None,
            Some(json!({"reason": "filled", "detail": "もう募集していないようです"})),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let op = w.op.clone();
    let r =
        w.c.api("GET", "/api/v1/operator/queue", Some(&op), None)
            .await;
    assert!(
        r.json()["reports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["posting_id"] == a.as_str() && x["reason"] == "filled")
    );
    let r = w.c.get(&format!("/jobs/{a}/report")).await;
    assert_eq!(r.status, 200);
    let r =
        w.c.submit(
            &format!("/jobs/{a}/report"),
            &format!("/jobs/{a}/report"),
            &[("reason", "conditions_differ")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        w.c.api("GET", "/api/v1/operator/queue", Some(&op), None)
            .await
            .json()["reports"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Editing a published posting sends it back to review: it leaves the listings.
    let emp = w.emp.clone();
    let r =
        w.c.api(
            "PUT",
            &format!("/api/v1/employer/postings/{a}"),
            Some(&emp),
            Some(posting(json!({"duties": "ZQX7 データ入力（変更）"}))),
        )
        .await;
    assert_eq!(r.json()["status"], "submitted", "{}", r.body);
    assert!(!ids(&mut w.c, &q("事務")).await.contains(&a));
    assert_eq!(
        w.c.get(&format!("/jobs/{a}")).await.status,
        404,
        "not public while in review"
    );
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{a}/approve"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published");
    assert_eq!(ids(&mut w.c, &q("事務")).await, vec![a.clone()]);
    // Closing takes it out for good.
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{a}/close"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "closed");
    assert!(ids(&mut w.c, &q("事務")).await.is_empty());
}

#[tokio::test]
async fn postings_state_every_condition_and_never_age_or_sex() {
    let mut w = world(Server::builder()).await;
    let emp = w.emp.clone();
    let op = w.op.clone();
    // A draft is kept even when incomplete; `problems` says what stops submission.
    let r = w.c.api("POST", "/api/v1/employer/postings", Some(&emp),
        Some(json!({"title": "事務スタッフ（35歳以下）", "duties": "女性のみ募集します", "contract_type": "fixed_term"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let p = &r.json()["problems"];
    assert_eq!(p["title"]["code"], "posting-age-condition");
    assert!(p["title"]["message"].as_str().unwrap().contains("年齢"));
    assert_eq!(p["duties"]["code"], "posting-sex-condition");
    for field in [
        "duties_change_scope",
        "workplace_change_scope",
        "smoking",
        "wage_min",
        "working_hours",
        "probation",
    ] {
        assert_eq!(p[field]["code"], "posting-field-required", "{field}");
    }
    assert_eq!(
        p["renewal_cap"]["code"], "posting-field-required-fixed",
        "2024 items for fixed terms"
    );
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{id}/submit"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json()["error"]["fields"]["title"]["code"],
        "posting-age-condition"
    );
    // The English message for the same refusal.
    let r =
        w.c.api(
            "GET",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(
        r.json()["fields"]["title"],
        "事務スタッフ（35歳以下）",
        "what was typed is kept"
    );

    // Fixed, submitted, returned with reasons, fixed again, approved.
    let r =
        w.c.api(
            "PUT",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&emp),
            Some(posting(json!({"title": "事務スタッフ"}))),
        )
        .await;
    assert_eq!(r.json()["problems"], json!({}), "{}", r.body);
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{id}/submit"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "submitted");
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{id}/return"),
            Some(&op),
            Some(json!({"reasons": []})),
        )
        .await;
    assert_eq!(r.status, 422);
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{id}/return"),
            Some(&op),
            Some(json!({"reasons": ["wage_unclear"], "note": "手当の内容を書いてください"})),
        )
        .await;
    assert_eq!(r.json()["status"], "returned");
    let r =
        w.c.api(
            "GET",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.json()["review"]["reasons"], json!(["wage_unclear"]));
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{id}/approve"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(
        r.status, 409,
        "a returned posting is not approved before it is sent again"
    );
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{id}/submit"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "submitted");
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/operator/postings/{id}/approve"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published");

    // A company the operator has not verified cannot publish.
    let mut c2 = w.s.client();
    register(
        &mut c2,
        "employer",
        "hr2@jobs.example.jp",
        "採用 二",
        Some("未確認株式会社"),
    )
    .await;
    let e2 = token(&mut c2, "hr2@jobs.example.jp", PW).await;
    let r = c2
        .api(
            "POST",
            "/api/v1/employer/postings",
            Some(&e2),
            Some(posting(json!({}))),
        )
        .await;
    let id2 = r.json()["id"].as_str().unwrap().to_owned();
    let r = c2
        .api(
            "POST",
            &format!("/api/v1/employer/postings/{id2}/submit"),
            Some(&e2),
            None,
        )
        .await;
    assert_eq!(r.status, 409, "no company profile yet: {}", r.body);
    assert_eq!(
        r.json()["error"]["message"],
        "先に会社情報（所在地と応募の窓口）を登録してください。"
    );
    c2.api("PUT", "/api/v1/company", Some(&e2), Some(company_body()))
        .await;
    let r = c2
        .api(
            "POST",
            &format!("/api/v1/employer/postings/{id2}/submit"),
            Some(&e2),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "submitted");
    let r = c2
        .api(
            "POST",
            &format!("/api/v1/operator/postings/{id2}/approve"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["error"]["code"], "conflict");
    // Another company cannot touch it.
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{id2}/close"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 404);

    // The pages: the form keeps what was typed and names the field.
    let page = w.c.get("/employer/postings/new").await;
    assert_eq!(page.status, 303, "pages need a signed-in session");
    let mut web = w.s.client();
    sign_in(&mut web, "hr@jobs.example.jp", PW).await;
    let r = web
        .submit(
            "/employer/postings/new",
            "/employer/postings",
            &[("title", "軽作業（男性歓迎）"), ("_then", "submit")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-title\"") && r.body.contains("男女雇用機会均等法"));
    assert!(
        r.body.contains("value=\"軽作業（男性歓迎）\""),
        "nothing typed is lost"
    );
    let list = web.get("/employer/postings").await;
    assert!(
        list.body.contains("軽作業（男性歓迎）"),
        "the draft was saved"
    );
}

fn set_sql(s: &Server, sql: &str) {
    let mut c = store::db::establish(&s.database_url).unwrap();
    store::db::execute_raw(&mut c, sql).unwrap();
}

async fn until<F, Fut>(what: &str, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting for: {what}");
}

#[tokio::test]
async fn unconfirmed_postings_leave_search_and_come_back_when_confirmed() {
    let sink = SmtpSink::start();
    let mut w = world(
        Server::builder()
            .smtp(&sink)
            .env("TSUNAGU_ALERT_INTERVAL_SECONDS", "1"),
    )
    .await;
    let a = publish(&mut w, json!({"duties": "ZQS1 データ入力"})).await;
    assert_eq!(ids(&mut w.c, "q=ZQS1").await, vec![a.clone()]);
    // 31 days without confirmation (the default period is 30).
    let old = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - 31 * 86_400;
    set_sql(
        &w.s,
        &format!("UPDATE postings SET confirmed_at = {old} WHERE id = '{a}'"),
    );
    let base = w.s.base.clone();
    until("the posting leaves search", || {
        let base = base.clone();
        async move {
            let mut c = Client::new(&base);
            let r = c.api("GET", "/api/v1/jobs?q=ZQS1", None, None).await;
            r.json()["total"] == 0
        }
    })
    .await;
    assert_eq!(
        w.c.get(&format!("/jobs/{a}")).await.status,
        404,
        "not public"
    );
    // The company is told by mail, once.
    let m = sink.wait_for("hr@jobs.example.jp");
    assert!(
        m.text().contains("求人の内容をご確認ください") || m.text().contains(&a),
        "{}",
        m.text()
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(sink.count_to("hr@jobs.example.jp"), 1);
    let emp = w.emp.clone();
    let list =
        w.c.api("GET", "/api/v1/employer/postings", Some(&emp), None)
            .await;
    assert_eq!(list.json()["items"][0]["status"], "published");
    // Confirming brings it back at once.
    let r =
        w.c.api(
            "POST",
            &format!("/api/v1/employer/postings/{a}/confirm"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "published");
    assert_eq!(ids(&mut w.c, "q=ZQS1").await, vec![a.clone()]);
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn matching_explains_a_missing_accommodation_and_saved_searches_notify() {
    let sink = SmtpSink::start();
    let mut w = world(
        Server::builder()
            .smtp(&sink)
            .env("TSUNAGU_ALERT_INTERVAL_SECONDS", "1"),
    )
    .await;
    let a = publish(&mut w, json!({"title": "データ入力スタッフ", "duties": "ZQM1 データ入力", "accommodations": ["written_instructions"]})).await;
    register(
        &mut w.c,
        "seeker",
        "seeker@jobs.example.jp",
        "求職 太郎",
        None,
    )
    .await;
    let sk = token(&mut w.c, "seeker@jobs.example.jp", PW).await;
    let r = w.c.api("PUT", "/api/v1/me/profile", Some(&sk), Some(json!({
        "accommodations": {"codes": ["written_instructions", "sign_language"], "note": ""},
        "desired": {"job_categories": ["office"], "prefectures": [13], "hours_per_week": 20, "hourly_wage_min": 1100},
        "career": {"skills": "Excel、Word"},
    }))).await;
    assert!(r.status == 200 || r.status == 204, "{}", r.body);
    let r =
        w.c.api("GET", "/api/v1/me/recommendations", Some(&sk), None)
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let item = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["job"]["id"] == a.as_str())
        .cloned()
        .expect("recommended");
    let reasons = item["reasons"].as_array().unwrap();
    assert!(
        reasons
            .contains(&json!({"kind": "accommodation", "code": "sign_language", "covered": false}))
    );
    assert!(reasons.contains(
        &json!({"kind": "accommodation", "code": "written_instructions", "covered": true})
    ));
    assert_eq!(
        item["score"], 95,
        "all conditions met, one of two accommodations missing"
    );
    let explained: Vec<&str> = item["explained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        explained
            .contains(&"「手話・筆談」の配慮は書かれていません。応募の前に会社に確認できます。"),
        "{explained:?}"
    );
    // The job page shows the same to the seeker, in words.
    let mut web = w.s.client();
    sign_in(&mut web, "seeker@jobs.example.jp", PW).await;
    let page = web.get(&format!("/jobs/{a}")).await;
    assert!(
        page.body.contains("一致度 95点")
            && page.body.contains("「手話・筆談」の配慮は書かれていません")
    );
    let page = web.get("/recommendations").await;
    assert!(page.body.contains(&format!("/jobs/{a}")));

    // Recommended candidates for the employer: masked scout views, each recorded.
    let r =
        w.c.api(
            "PUT",
            "/api/v1/me/privacy/scouts",
            Some(&sk),
            Some(json!({"enabled": true, "sections": ["accommodations", "desired"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let emp = w.emp.clone();
    let r =
        w.c.api(
            "GET",
            &format!("/api/v1/employer/postings/{a}/candidates"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let cands = r.json()["candidates"].as_array().unwrap().clone();
    let me = cands
        .iter()
        .find(|x| {
            x["view"]["accommodations"]["codes"]
                .as_array()
                .is_some_and(|c| c.contains(&json!("sign_language")))
        })
        .expect("the seeker is a candidate");
    assert!(me["view"].get("desired").is_some());
    assert!(
        me["reasons"]
            .as_array()
            .unwrap()
            .contains(&json!({"kind": "accommodation", "code": "sign_language", "covered": false}))
    );
    assert!(
        me["view"].get("name").is_none() && me["view"].get("email").is_none(),
        "masked: {me}"
    );
    // The employer reads the reasons written to the employer, about the candidate.
    assert!(
        me["explained"].as_array().unwrap().contains(&json!(
            "必要な配慮「手話・筆談」は、この求人に書かれていません。提供できるか検討してください。"
        )),
        "{me}"
    );
    let mut emp_web = w.s.client();
    let r = sign_in(&mut emp_web, "hr@jobs.example.jp", PW).await;
    assert_eq!(r.status, 303);
    let page = emp_web
        .get(&format!("/employer/postings/{a}/candidates"))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("必要な配慮「手話・筆談」は、この求人に書かれていません"),
        "{}",
        page.body
    );
    for seeker_voice in [
        "をお持ちです",
        "応募の前に会社に確認できます",
        "希望の職種です。",
    ] {
        assert!(!page.body.contains(seeker_voice), "{seeker_voice}");
    }
    let rec =
        w.c.api("GET", "/api/v1/me/provision-records", Some(&sk), None)
            .await;
    assert!(
        rec.body.contains("scout_search"),
        "the candidate view is a recorded provision: {}",
        rec.body
    );

    // A saved search: a new matching posting arrives as a notification and a mail.
    let r =
        w.c.api(
            "POST",
            "/api/v1/me/saved-searches",
            Some(&sk),
            Some(json!({"query": "q=ZQN1&pref=13"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let b = publish(&mut w, json!({"duties": "ZQN1 新しい仕事"})).await;
    let _other = publish(
        &mut w,
        json!({"duties": "ZQN1 大阪の仕事", "prefecture": 27}),
    )
    .await;
    let base = w.s.base.clone();
    let sk2 = sk.clone();
    until("a notification", || {
        let (base, sk2) = (base.clone(), sk2.clone());
        async move {
            let mut c = Client::new(&base);
            let r = c
                .api("GET", "/api/v1/me/notifications", Some(&sk2), None)
                .await;
            !r.json()["items"].as_array().unwrap().is_empty()
        }
    })
    .await;
    let r =
        w.c.api("GET", "/api/v1/me/notifications", Some(&sk), None)
            .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1, "only the posting that matches: {items:?}");
    assert_eq!(items[0]["posting_id"], b.as_str());
    let m = sink.wait_for("seeker@jobs.example.jp");
    assert!(m.text().contains("1件"), "{}", m.text());
    let page = web.get("/saved-searches").await;
    assert!(page.body.contains(&format!("/jobs/{b}")) && page.body.contains("ZQN1"));
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn a_published_posting_taken_down_leaves_search_and_the_company_hears_why() {
    let sink = SmtpSink::start();
    let mut w = world(Server::builder().smtp(&sink)).await;
    let id = publish(&mut w, json!({"title": "取り下げ対象の事務"})).await;
    assert_eq!(
        w.c.api("GET", &format!("/api/v1/jobs/{id}"), None, None)
            .await
            .status,
        200
    );
    // The operator's page of a published posting offers the takedown, not approval.
    let mut web = page_client(&w.s, "operator@demo.tsunagu.example", DEMO_PW).await;
    let p = web.get(&format!("/operator/postings/{id}")).await;
    assert_eq!(p.status, 200);
    assert!(p.body.contains("掲載を取り下げる"), "{}", p.body);
    assert!(!p.body.contains(&format!("/operator/postings/{id}/approve")));
    // Without a reason: refused on the field; with one: taken down.
    let r = web
        .submit(
            &format!("/operator/postings/{id}"),
            &format!("/operator/postings/{id}/return"),
            &[("note", "理由なし")],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-reasons\""), "{}", r.body);
    let r = web
        .submit(
            &format!("/operator/postings/{id}"),
            &format!("/operator/postings/{id}/return"),
            &[
                ("reasons", "discriminatory"),
                ("note", "応募の条件に年齢の制限があります"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    // Out of the search at once; the company sees why, and its admin is mailed why.
    assert_eq!(
        w.c.api("GET", &format!("/api/v1/jobs/{id}"), None, None)
            .await
            .status,
        404
    );
    assert!(
        !ids(&mut w.c, "q=%E5%8F%96%E3%82%8A%E4%B8%8B%E3%81%92")
            .await
            .contains(&id)
    );
    let r =
        w.c.api(
            "GET",
            &format!("/api/v1/employer/postings/{id}"),
            Some(&w.emp),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "returned", "{}", r.body);
    assert_eq!(r.json()["review"]["reasons"], json!(["discriminatory"]));
    let mail = sink.wait_for("hr@jobs.example.jp").text();
    assert!(mail.contains("取り下げ対象の事務"), "{mail}");
    assert!(mail.contains("差別につながる表現があります"), "{mail}");
    assert!(mail.contains(&format!("/employer/postings/{id}")), "{mail}");
    assert!(sink.assert_well_formed() > 0);
}
