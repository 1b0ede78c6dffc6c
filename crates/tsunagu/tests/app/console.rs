//! The console's records of people over HTTP, on SQLite and PostgreSQL: a record opens
//! only for a purpose of the viewer's own role, stated with a note (logged; without it
//! the record and a seeker's profile answer nothing, whatever purpose a request claims);
//! support suspends an account (sessions end, no sign-in, the person mailed the reason
//! but not the note) and lifts it (the person mailed, sign-in works again); errors are
//! tied to their fields; operator accounts are not suspended here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::http::staff_token;
use crate::support::*;
use serde_json::json;

#[tokio::test]
async fn a_record_opens_for_a_stated_purpose_and_support_suspends_and_lifts() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let email = "console-qx@example.jp";
    let name = "記録 確認QX";
    let seeker = register(&mut c, "seeker", email, name, None).await;
    let st = token(&mut c, email, PW).await;
    let support = staff_token(&s, &mut c, "support-qx@staff.example", "support").await;
    let billing = staff_token(&s, &mut c, "billing-qx@staff.example", "billing").await;
    let officer = staff_token(&s, &mut c, "officer-qx@staff.example", "privacy_officer").await;

    // A claimed purpose alone opens nothing: not the record, not the profile.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/operator/accounts/{seeker}"),
            Some(&support),
            None,
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(!r.body.contains(name), "{}", r.body);
    let profile = format!("/api/v1/seekers/{seeker}?purpose=account_support");
    let r = c.api("GET", &profile, Some(&support), None).await;
    assert_eq!(r.status, 404, "claimed purpose: {}", r.body);
    // Billing has no screen of people at all; the privacy officer cannot claim support's purpose.
    let open = |q: &str, p: &str, n: &str| json!({"query": q, "purpose": p, "note": n});
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&billing),
            Some(open(email, "account_support", "x")),
        )
        .await;
    assert_eq!(r.status, 403, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&officer),
            Some(open(email, "account_support", "照会 1")),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["purpose"]["code"],
        "console-purpose-role"
    );
    // Errors on their fields; nothing found is said on the query.
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&support),
            Some(open(email, "account_support", " ")),
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["note"]["code"],
        "console-note-required"
    );
    assert!(r.body.contains("理由を入力してください"), "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&support),
            Some(open("nobody@example.jp", "account_support", "問い合わせ 7")),
        )
        .await;
    assert_eq!(
        r.json()["error"]["fields"]["query"]["code"],
        "console-not-found"
    );

    // Stated: the record, by address; then by id; the profile's account items too.
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&support),
            Some(open(email, "account_support", "問い合わせ 7")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rec = r.json();
    assert_eq!(rec["user_id"], seeker.as_str());
    assert_eq!(rec["name"], name);
    assert_eq!(rec["email"], email);
    assert_eq!(rec["kind"], "seeker");
    assert_eq!(rec["purpose"], "account_support");
    assert!(rec["suspended_at"].is_null());
    let r = c.api("GET", &profile, Some(&support), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains(name));
    // …but the stated purpose is support's: the whole profile stays closed.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker}?purpose=privacy_request"),
            Some(&support),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The officer has stated nothing for this person, and no request of theirs is open.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker}?purpose=privacy_request"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);

    // The log has the statement and the reads, with the purpose, never the values.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/operator/audit?subject={seeker}&purpose=check"),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let entries = r.json()["entries"].as_array().unwrap().clone();
    let opened: Vec<_> = entries
        .iter()
        .filter(|e| e["action"] == "record.open")
        .collect();
    assert_eq!(opened.len(), 1, "{entries:?}");
    assert_eq!(opened[0]["purpose"], "operator_account_support");
    assert!(entries.iter().any(|e| e["action"] == "record.read"));
    assert!(
        !r.body.contains("問い合わせ 7") && !r.body.contains(name),
        "{}",
        r.body
    );

    // Suspension: a reason from the list and a note; an operator's own account is refused.
    let suspend = format!("/api/v1/operator/accounts/{seeker}/suspension");
    let r = c
        .api(
            "POST",
            &suspend,
            Some(&support),
            Some(json!({"reason": "dislike", "note": ""})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.field_codes(),
        "note:console-note-required,reason:choice-invalid"
    );
    let r = c
        .api(
            "POST",
            &suspend,
            Some(&support),
            Some(json!({"reason": "misuse", "note": "大量閲覧 調査中"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["suspended_at"].is_i64());
    assert_eq!(r.json()["actions"][0]["action"], "suspend");
    assert_eq!(r.json()["actions"][0]["reason"], "misuse");
    assert_eq!(r.json()["actions"][0]["note"], "大量閲覧 調査中");
    // Every session ends at once; signing in is refused.
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&st), None).await.status,
        401
    );
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": PW})),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let m = sink.wait_for(email);
    let text = m.text();
    assert!(text.contains("利用を停止しました"), "{text}");
    assert!(text.contains("不正な利用の疑い"), "{text}");
    assert!(!text.contains("大量閲覧"), "the note was mailed: {text}");
    // Twice is a conflict, not a second mail.
    let r = c
        .api(
            "POST",
            &suspend,
            Some(&support),
            Some(json!({"reason": "misuse", "note": "再度"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);

    // Lifting: the person may sign in again and is told.
    let lift = format!("{suspend}/lift");
    let r = c
        .api("POST", &lift, Some(&support), Some(json!({"note": ""})))
        .await;
    assert_eq!(r.field_codes(), "note:console-note-required");
    let r = c
        .api(
            "POST",
            &lift,
            Some(&support),
            Some(json!({"note": "本人確認済み"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["suspended_at"].is_null());
    assert_eq!(r.json()["actions"][0]["action"], "lift");
    assert_eq!(r.json()["actions"].as_array().unwrap().len(), 2);
    let start = std::time::Instant::now();
    while sink.count_to(email) < 2 && start.elapsed().as_secs() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sink.count_to(email), 2, "one mail for each action");
    token(&mut c, email, PW).await;

    // Staff accounts are not suspended from here.
    let r = c
        .api(
            "POST",
            "/api/v1/operator/accounts/lookup",
            Some(&support),
            Some(open("billing-qx@staff.example", "account_support", "確認")),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let staff_id = r.json()["user_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/operator/accounts/{staff_id}/suspension"),
            Some(&support),
            Some(json!({"reason": "misuse", "note": "x"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("運営スタッフのアカウントは"), "{}", r.body);
}

#[tokio::test]
async fn the_console_pages_ask_for_the_purpose_first_and_show_the_suspension() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let email = "console-page@example.jp";
    let seeker = register(&mut c, "seeker", email, "画面 確認", None).await;
    staff_token(&s, &mut c, "support-page@staff.example", "support").await;
    let mut web = page_client(&s, "support-page@staff.example", PW).await;
    let home = web.get("/operator").await;
    assert!(
        home.body.contains("href=\"/operator/accounts\""),
        "{}",
        home.body
    );
    // The record without a statement sends to the form, the id kept.
    let r = web.get(&format!("/operator/accounts/{seeker}")).await;
    assert_eq!(r.status, 303);
    assert!(
        r.location()
            .starts_with("/operator/accounts?m=console-purpose-first"),
        "{}",
        r.location()
    );
    let r = web.get(&r.location()).await;
    assert!(
        r.body.contains("先に、目的と理由を記入してください"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("value=\"{seeker}\"")));
    // A missing note is said on its field, what was typed kept.
    let r = web
        .submit(
            "/operator/accounts",
            "/operator/accounts",
            &[
                ("query", email),
                ("purpose", "account_support"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"f-note-error\""), "{}", r.body);
    assert!(r.body.contains(&format!("value=\"{email}\"")));
    let r = web
        .submit(
            "/operator/accounts",
            "/operator/accounts",
            &[
                ("query", email),
                ("purpose", "account_support"),
                ("note", "電話 問い合わせ"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = format!("/operator/accounts/{seeker}");
    assert_eq!(r.location(), page);
    let r = web.get(&page).await;
    assert_eq!(r.status, 200);
    assert!(
        r.body.contains(email) && r.body.contains("利用中"),
        "{}",
        r.body
    );
    // Suspend with a missing reason: the error on the reason; then for real.
    let r = web
        .submit(&page, &format!("{page}/suspend"), &[("note", "通報 2件")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"f-reason-error\""), "{}", r.body);
    assert!(r.body.contains("value=\"通報 2件\""), "the note is kept");
    let r = web
        .submit(
            &page,
            &format!("{page}/suspend"),
            &[("reason", "terms_violation"), ("note", "通報 2件")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = web.get(&r.location()).await;
    assert!(
        r.body.contains("利用を停止し、ご本人にお知らせしました"),
        "{}",
        r.body
    );
    assert!(r.body.contains("利用停止中"));
    assert!(r.body.contains("/lift\""), "the lifting form is offered");
    assert!(sink.wait_for(email).text().contains("利用規約に反する"));
}
