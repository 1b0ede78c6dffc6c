//! Retention support over HTTP against a real server: the worker's daily check-in (one
//! per day, replaced when sent again, a replay with the same Idempotency-Key changing
//! nothing, every bad field named and nothing saved lost), and each viewer's view of
//! the check-ins through the door, as the worker chose, changing on the next request:
//! the linked supporter in full, the follow-up person as a summary or in full, family
//! only what is shared, everyone else 404; each view a provision record.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::support::*;
use serde_json::{Value, json};

pub(crate) const DEMO_PW: &str = "tsunagu-demo-2026";
pub(crate) const SEEKER_MAIL: &str = "seeker@demo.tsunagu.example";
/// Planted in the worker's note and trouble note: only full views may carry them.
const NOTE: &str = "CHECKINQZ-NOTE";
const TROUBLE: &str = "CHECKINQZ-TROUBLE";

pub(crate) fn today() -> String {
    crate::messages::japan_date(0)
}

pub(crate) fn report(over: Value) -> Value {
    let mut b = json!({"date": today(), "attendance": "present", "clock_in": "9:00",
        "clock_out": "17:30", "health": 2, "sleep_hours": 6.5, "mood": 3,
        "note": format!("{NOTE} 今日はがんばった"), "troubles": ["tired"],
        "trouble_note": format!("{TROUBLE} 電話がこわい"), "want_to_talk": true});
    for (k, v) in over.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

async fn view(c: &mut Client, t: &str, employment: &str) -> Resp {
    c.api(
        "GET",
        &format!("/api/v1/employments/{employment}/daily-reports"),
        Some(t),
        None,
    )
    .await
}

/// (basis, items) of the worker's provision records to `recipient`.
pub(crate) async fn provided(c: &mut Client, st: &str, recipient: &str) -> Vec<(String, String)> {
    c.api("GET", "/api/v1/me/provision-records", Some(st), None)
        .await
        .json()["provision_records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["recipient_user_id"] == recipient)
        .map(|p| {
            (
                p["basis"].as_str().unwrap().to_owned(),
                p["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| i.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect()
}

/// The demo seeker applies to `posting` and the company hires them today, its member
/// `emp` following up; the employment's id.
pub(crate) async fn hired(
    c: &mut Client,
    emp: &str,
    st: &str,
    posting: &str,
    openness: &str,
) -> String {
    hired_on(c, emp, st, posting, openness, &today()).await
}

/// The seeker `st` applies to `posting` and the company hires them with the first day
/// `start`, its member `emp` following up; the employment's id.
pub(crate) async fn hired_on(
    c: &mut Client,
    emp: &str,
    st: &str,
    posting: &str,
    openness: &str,
    start: &str,
) -> String {
    let emp_id = c.api("GET", "/api/v1/me", Some(emp), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(st),
            Some(json!({"posting_id": posting, "openness": openness})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    for s in ["screening", "interview", "offer"] {
        let r = c
            .api(
                "POST",
                &format!("/api/v1/employer/applications/{app}/stage"),
                Some(emp),
                Some(json!({ "stage": s })),
            )
            .await;
        assert_eq!(r.status, 200, "{s}: {}", r.body);
    }
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(emp),
            Some(
                json!({"start_date": start, "position": "一般事務", "hours_per_week": 20,
                "follow_up_user_id": emp_id}),
            ),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["employment_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn the_check_in_is_kept_once_a_day_and_each_viewer_sees_what_the_worker_chose() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let emp_id = c.api("GET", "/api/v1/me", Some(&emp), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let org =
        c.api("GET", "/api/v1/me", Some(&emp), None).await.json()["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let job = hired(&mut c, &emp, &st, &posting, "open").await;

    // The check-in: new, replayed (nothing changes), then replaced the same day.
    let path = "/api/v1/me/daily-reports";
    let first = report(json!({"employment_id": job}));
    let r = c.post_keyed(path, &st, "offline-1", first.clone()).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["report_id"].as_str().unwrap().to_owned();
    let r = c
        .post_keyed(
            path,
            &st,
            "offline-1",
            report(json!({"employment_id": job, "health": 5})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["replayed"], true);
    let mine = c.api("GET", path, Some(&st), None).await.json();
    assert_eq!(mine["reports"].as_array().unwrap().len(), 1, "{mine}");
    assert_eq!(
        mine["reports"][0]["health"], 2,
        "the replay changed nothing"
    );
    let r = c
        .post_keyed(
            path,
            &st,
            "edit-2",
            report(json!({"employment_id": job, "health": 4})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["report_id"], id.as_str());
    assert_eq!(r.json()["created"], false);

    // Bad input: each problem on its field, in both languages; nothing saved is lost.
    for (lang, word) in [("ja", "出勤"), ("en", "work")] {
        c.lang = lang.into();
        let r = c
            .api(
                "POST",
                path,
                Some(&st),
                Some(report(
                    json!({"employment_id": job, "attendance": "holiday",
                    "clock_in": "18:00", "clock_out": "09:00", "sleep_hours": 7.3}),
                )),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        let f = &r.json()["error"]["fields"];
        assert_eq!(f["attendance"]["code"], "choice-invalid", "{}", r.body);
        assert_eq!(f["clock_out"]["code"], "clock-out-before-in", "{}", r.body);
        assert_eq!(f["sleep_hours"]["code"], "sleep-invalid", "{}", r.body);
        let r = c
            .api(
                "POST",
                path,
                Some(&st),
                Some(json!({"employment_id": job, "date": today()})),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(
            r.json()["error"]["fields"]["attendance"]["code"],
            "attendance-required"
        );
        assert!(r.body.contains(word), "{}", r.body);
    }
    c.lang = "ja".into();
    let r = c
        .api(
            "POST",
            path,
            Some(&st),
            Some(report(json!({"employment_id": job, "date": "2020-01-06"}))),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["date"]["code"],
        "report-day-closed"
    );
    let mine = c.api("GET", path, Some(&st), None).await.json();
    assert_eq!(mine["reports"][0]["health"], 4, "{mine}");
    assert_eq!(mine["reports"][0]["summary"], "concern", "talk flag");

    // Items of the worker's own: added by the worker and by the linked supporter (not
    // by the company), answered by kind.
    let sup = token(&mut c, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/me/report-items",
            Some(&st),
            Some(json!({"label": "薬を飲んだ", "kind": "yes_no"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let med = r.json()["item_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/report-items"),
            Some(&sup),
            Some(json!({"label": "痛みの強さ", "kind": "scale"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let pain = r.json()["item_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employments/{job}/report-items"),
            Some(&emp),
            Some(json!({"label": "x", "kind": "scale"})),
        )
        .await;
    assert!(r.status == 403 || r.status == 404, "{}", r.body);
    let r = c
        .post_keyed(
            path,
            &st,
            "edit-3",
            report(json!({"employment_id": job, "health": 4, "items": {(pain.clone()): 9}})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["items"]["code"],
        "item-value-invalid"
    );
    let r = c
        .post_keyed(
            path,
            &st,
            "edit-4",
            report(json!({"employment_id": job, "health": 4, "items": {(med.clone()): true, (pain.clone()): 2}})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Each viewer, as the worker chose.
    let sup_id = c.api("GET", "/api/v1/me", Some(&sup), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = view(&mut c, &sup, &job).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["view"], "full");
    assert!(
        r.body.contains(NOTE) && r.body.contains(TROUBLE),
        "{}",
        r.body
    );
    assert_eq!(r.json()["days"][0]["health"], 4);
    assert!(
        r.body.contains("薬を飲んだ") && r.body.contains("痛みの強さ"),
        "{}",
        r.body
    );
    // The follow-up person: the summary only, until the worker lets them see more.
    let r = view(&mut c, &emp, &job).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["view"], "summary", "{}", r.body);
    let day = &r.json()["days"][0];
    assert_eq!(day["summary"], "concern");
    assert_eq!(day["attendance"], "present");
    assert!(day.get("health").is_none(), "{day}");
    assert!(!r.body.contains(NOTE) && !r.body.contains(TROUBLE));
    assert!(
        !r.body.contains("薬を飲んだ"),
        "own items are not in the summary"
    );
    assert!(provided(&mut c, &st, &emp_id).await.contains(&(
        "employment_follow_up".to_owned(),
        "report_attendance,report_summary".to_owned()
    )));
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/follow-up",
            Some(&st),
            Some(json!({"company_id": org, "full": true})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["work_places"][0]["follow_up_full"], true);
    let r = view(&mut c, &emp, &job).await;
    assert_eq!(r.json()["view"], "full", "the next request: {}", r.body);
    assert!(r.body.contains(NOTE));
    let r = c
        .api(
            "PUT",
            "/api/v1/me/privacy/follow-up",
            Some(&st),
            Some(json!({"company_id": org, "full": false})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = view(&mut c, &emp, &job).await;
    assert_eq!(r.json()["view"], "summary");
    assert!(!r.body.contains(NOTE));
    // Family: nothing until shared; attendance only when that is what is shared.
    let fam = token(&mut c, "family@demo.tsunagu.example", DEMO_PW).await;
    let fam_id = c.api("GET", "/api/v1/me", Some(&fam), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/me/family/{fam_id}/shares"),
            Some(&st),
            Some(json!({"categories": ["application_status"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(view(&mut c, &fam, &job).await.status, 404);
    let r = c
        .api(
            "PUT",
            &format!("/api/v1/me/family/{fam_id}/shares"),
            Some(&st),
            Some(json!({"categories": ["daily_attendance"]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = view(&mut c, &fam, &job).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["view"], "attendance");
    let day = &r.json()["days"][0];
    assert!(
        day.get("summary").is_none() && day.get("health").is_none(),
        "{day}"
    );
    assert!(!r.body.contains(NOTE));
    assert!(
        provided(&mut c, &st, &fam_id)
            .await
            .contains(&("family_share".to_owned(), "report_attendance".to_owned()))
    );
    // Everyone else: 404, whatever the id.
    let recruiter = token(&mut c, "recruiter@demo.tsunagu.example", DEMO_PW).await;
    register(&mut c, "seeker", "other-ci@example.jp", "他人", None).await;
    let other = token(&mut c, "other-ci@example.jp", PW).await;
    for t in [&recruiter, &other, &w.op] {
        let r = view(&mut c, t, &job).await;
        assert_eq!(r.status, 404, "{}", r.body);
        assert!(!r.body.contains(NOTE));
    }
    assert_eq!(view(&mut c, &sup, "no-such-employment").await.status, 404);
    assert!(
        provided(&mut c, &st, &sup_id)
            .await
            .iter()
            .any(|(b, items)| b == "supporter_link" && items.contains("report_wellbeing"))
    );

    // Without the sensitive-data consent: others see attendance only, and health is
    // not taken in (attendance alone still is).
    let r = c
        .api(
            "POST",
            "/api/v1/me/consents/sensitive_data/withdraw",
            Some(&st),
            None,
        )
        .await;
    assert!(r.status < 300, "{}", r.body);
    let r = view(&mut c, &sup, &job).await;
    assert_eq!(r.json()["view"], "attendance", "{}", r.body);
    assert!(!r.body.contains(NOTE));
    let r = c
        .api(
            "POST",
            path,
            Some(&st),
            Some(report(json!({"employment_id": job}))),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["health"]["code"],
        "report-sensitive-consent"
    );
    let r = c
        .api(
            "POST",
            path,
            Some(&st),
            Some(json!({"employment_id": job, "date": today(), "attendance": "late"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn the_check_in_page_keeps_what_was_typed_and_saves_by_form() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let st = token(&mut c, SEEKER_MAIL, DEMO_PW).await;
    let mut web = page_client(&w.s, SEEKER_MAIL, DEMO_PW).await;
    // Before any employment: the page says what it is for.
    let page = web.get("/check-in").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("働き始めると"), "{}", page.body);
    assert!(
        !page.body.contains("障害"),
        "the worker's page never says 障害"
    );
    let job = hired(&mut c, &emp, &st, &posting, "closed").await;
    let page = web.get("/check-in").await;
    assert!(page.body.contains("f-attendance-present"), "{}", page.body);
    assert!(!page.body.contains("障害"));
    let csrf = page.csrf();
    let key = page
        .body
        .split("name=\"idempotency_key\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let date = today();
    let typed = "今日は少し緊張した";
    // No attendance, a finishing time before the start: the form comes back with both
    // messages and everything typed.
    let bad = [
        ("_csrf", csrf.as_str()),
        ("employment_id", job.as_str()),
        ("date", date.as_str()),
        ("idempotency_key", key.as_str()),
        ("clock_in", "１０:００"),
        ("clock_out", "09:00"),
        ("health", "4"),
        ("note", typed),
    ];
    let r = web.post_form("/check-in", &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("今日の出勤を選んでください"), "{}", r.body);
    assert!(r.body.contains("退勤した時刻は"), "{}", r.body);
    assert!(r.body.contains(typed), "the note typed is kept");
    assert!(
        r.body.contains("id=\"f-health-4\" value=\"4\" checked"),
        "{}",
        r.body
    );
    let good = [
        ("_csrf", csrf.as_str()),
        ("employment_id", job.as_str()),
        ("date", date.as_str()),
        ("idempotency_key", key.as_str()),
        ("attendance", "present"),
        ("clock_in", "１０:００"),
        ("clock_out", "16:00"),
        ("health", "4"),
        ("mood", "5"),
        ("sleep_hours", "７"),
        ("troubles", "noise_light"),
        ("note", typed),
    ];
    let r = web.post_form("/check-in", &good).await;
    assert_eq!(r.status, 303, "{}", r.body);
    // The same form again (an offline copy arriving late): nothing changes.
    let r = web.post_form("/check-in", &good).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mine = c
        .api("GET", "/api/v1/me/daily-reports", Some(&st), None)
        .await
        .json();
    let list = mine["reports"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{mine}");
    assert_eq!(list[0]["clock_in"], "10:00");
    assert_eq!(list[0]["sleep_hours"], 7.0);
    assert_eq!(list[0]["troubles"], json!(["noise_light"]));
    let page = web.get("/check-in").await;
    assert!(
        page.body.contains(typed),
        "today's check-in is shown to edit"
    );
    let hist = web.get("/check-in/history").await;
    assert_eq!(hist.status, 200);
    assert!(hist.body.contains("音や光がつらい"), "{}", hist.body);
    // The supporter's page shows it; the company's page only the summary.
    let mut sup = page_client(&w.s, "supporter@demo.tsunagu.example", DEMO_PW).await;
    let r = sup.get(&format!("/employments/{job}/check-ins")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(typed));
    let mut company = page_client(&w.s, "hr@jobs.example.jp", PW).await;
    let r = company.get(&format!("/employments/{job}/check-ins")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(!r.body.contains(typed), "{}", r.body);
    assert!(r.body.contains("様子を見る"), "the summary: {}", r.body);
}
