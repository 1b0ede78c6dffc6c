//! From application to hire over HTTP: a seeker applies to a posting (open, then
//! closed), the company moves the applications through the stages the seeker sees and
//! keeps its own sub-stage and note, which nothing the seeker reads ever contains; a hire
//! at 内定 creates the employment record; 見送り ends what the application disclosed;
//! another company and the seeker get nothing from the company's routes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::jobs::{publish, world};
use crate::support::*;
use serde_json::{Value, json};

const DEMO_PW: &str = "tsunagu-demo-2026";
const NOTE_MARKER: &str = "NOTE-MARKER-7f3a";
const STAGE_MARKER: &str = "STAGE-MARKER-19c2";

async fn stage(c: &mut Client, t: &str, app: &str, body: Value) -> Resp {
    c.api(
        "POST",
        &format!("/api/v1/employer/applications/{app}/stage"),
        Some(t),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn apply_move_through_the_stages_and_hire() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let seeker = token(&mut c, "seeker@demo.tsunagu.example", DEMO_PW).await;
    let seeker_id = c.api("GET", "/api/v1/me", Some(&seeker), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let emp_id = c.api("GET", "/api/v1/me", Some(&emp), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The seeker applies, open (障害者雇用枠), with a message.
    let apply =
        json!({"posting_id": posting, "openness": "open", "message": "よろしくお願いいたします。"});
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker),
            Some(apply.clone()),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    // Twice to the same posting: a conflict, in words.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker),
            Some(apply),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    // To a posting that does not exist: the field is named.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker),
            Some(json!({"posting_id": "nope", "openness": "open"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["posting_id"]["code"],
        "posting-unknown"
    );

    let mine = c
        .api("GET", "/api/v1/me/applications", Some(&seeker), None)
        .await
        .json();
    let item = &mine["items"][0];
    assert_eq!(item["stage"], "applied");
    assert_eq!(item["posting_title"], "一般事務スタッフ");
    assert_eq!(item["message"], "よろしくお願いいたします。");

    // The company sees the applicant through the policy: open shows the disability.
    let r = c
        .api(
            "GET",
            &format!("/api/v1/employer/applications?posting_id={posting}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let list = r.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{}", r.body);
    let a = &list["items"][0];
    assert_eq!(a["application"]["id"], app.as_str());
    assert_eq!(a["applicant"]["seeker_id"], seeker_id.as_str());
    assert!(
        a["applicant"]["disability_categories"].is_array(),
        "{}",
        r.body
    );

    // Stages forward only; the company's own sub-stage and note are kept.
    let r = stage(
        &mut c,
        &emp,
        &app,
        json!({"stage": "screening", "internal_stage": STAGE_MARKER, "note": NOTE_MARKER}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["stage"], "screening");
    for bad in ["applied", "hired", "withdrawn"] {
        let r = stage(&mut c, &emp, &app, json!({"stage": bad})).await;
        assert_eq!(r.status, 409, "{bad}: {}", r.body);
    }
    let r = stage(
        &mut c,
        &emp,
        &app,
        json!({"stage": "interview", "internal_stage": STAGE_MARKER, "note": NOTE_MARKER}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let listed = c
        .api("GET", "/api/v1/employer/applications", Some(&emp), None)
        .await;
    assert!(listed.body.contains(NOTE_MARKER) && listed.body.contains(STAGE_MARKER));

    // Another company sees none of it and can move nothing.
    register(
        &mut c,
        "employer",
        "other@hire.example.jp",
        "他社 担当",
        Some("他社株式会社"),
    )
    .await;
    let other = token(&mut c, "other@hire.example.jp", PW).await;
    let r = c
        .api("GET", "/api/v1/employer/applications", Some(&other), None)
        .await;
    assert_eq!(r.json()["items"], json!([]), "{}", r.body);
    let r = stage(&mut c, &other, &app, json!({"stage": "offer"})).await;
    assert_eq!(r.status, 404, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&other),
            Some(json!({"start_date": "2027-01-04", "position": "事務", "hours_per_week": 20, "follow_up_user_id": emp_id})),
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
    // The seeker cannot use the company's routes.
    let r = c
        .api("GET", "/api/v1/employer/applications", Some(&seeker), None)
        .await;
    assert_eq!(r.status, 403, "{}", r.body);

    // A hire comes only after 内定, with a follow-up person of the company.
    let hire = json!({"start_date": "2027-01-04", "position": "一般事務", "hours_per_week": 20, "follow_up_user_id": emp_id});
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&emp),
            Some(hire.clone()),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = stage(
        &mut c,
        &emp,
        &app,
        json!({"stage": "offer", "internal_stage": STAGE_MARKER, "note": NOTE_MARKER}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&emp),
            Some(json!({"start_date": "2027-01-04", "position": "一般事務", "hours_per_week": 20, "follow_up_user_id": seeker_id})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        r.json()["error"]["fields"]["follow_up_user_id"]["code"],
        "follow-up-unknown"
    );
    let r = c
        .api(
            "POST",
            &format!("/api/v1/employer/applications/{app}/hire"),
            Some(&emp),
            Some(hire),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let employment = r.json()["employment_id"].as_str().unwrap().to_owned();

    // The worker and the follow-up person see the employment record.
    {
        let t = &seeker;
        let r = c.api("GET", "/api/v1/me/employments", Some(t), None).await;
        assert_eq!(
            r.json()["items"][0]["id"],
            employment.as_str(),
            "{}",
            r.body
        );
        assert_eq!(r.json()["items"][0]["position"], "一般事務");
        assert_eq!(r.json()["items"][0]["start_date"], "2027-01-04");
    }
    let r = c
        .api("GET", "/api/v1/me/employments", Some(&other), None)
        .await;
    assert_eq!(r.json()["items"], json!([]));

    // The seeker sees 採用, and nothing of the company's sub-stage or note, anywhere.
    let mine = c
        .api("GET", "/api/v1/me/applications", Some(&seeker), None)
        .await;
    assert_eq!(mine.json()["items"][0]["stage"], "hired");
    for path in [
        "/api/v1/me/applications",
        "/api/v1/me/employments",
        "/api/v1/me/provision-records",
        "/api/v1/me/provision-records?format=csv",
        "/api/v1/me/profile",
        "/api/v1/me/privacy",
        "/api/v1/me",
    ] {
        let r = c.api("GET", path, Some(&seeker), None).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            !r.body.contains(NOTE_MARKER) && !r.body.contains(STAGE_MARKER),
            "{path} shows the company's internal note"
        );
    }
    // Nothing moves on from 採用; the seeker cannot withdraw it.
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/applications/{app}/withdraw"),
            Some(&seeker),
            None,
        )
        .await;
    assert_eq!(r.status, 404, "{}", r.body);
}

#[tokio::test]
async fn closed_then_not_hired_ends_the_disclosure_and_withdrawing_works() {
    let mut w = world(Server::builder()).await;
    let first = publish(&mut w, json!({})).await;
    let second = publish(&mut w, json!({"title": "倉庫の軽作業スタッフ"})).await;
    let emp = w.emp.clone();
    let mut c = w.s.client();
    let seeker = token(&mut c, "seeker@demo.tsunagu.example", DEMO_PW).await;
    let seeker_id = c.api("GET", "/api/v1/me", Some(&seeker), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Closed (一般枠): the company sees no disability data at all.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker),
            Some(json!({"posting_id": first, "openness": "closed"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let app = r.json()["application_id"].as_str().unwrap().to_owned();
    let r = c
        .api("GET", "/api/v1/employer/applications", Some(&emp), None)
        .await;
    let a = &r.json()["items"][0];
    assert_eq!(a["application"]["openness"], "closed");
    for k in [
        "disability_categories",
        "certificate",
        "disability_description",
        "accommodations",
        "traits",
    ] {
        assert!(
            a["applicant"].get(k).is_none(),
            "closed shows {k}: {}",
            r.body
        );
    }
    assert!(a["applicant"]["name"].is_string(), "{}", r.body);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker_id}"),
            Some(&emp),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json()["name"].is_string(), "{}", r.body);

    // 見送り: the application no longer discloses anything; what is left is the masked
    // view every verified company has of a seeker open to scouts (no name, no contact).
    let masked = |r: &Resp| {
        let v = r.json();
        r.status == 404
            || ["name", "email", "phone", "address", "kana"]
                .iter()
                .all(|k| v.get(k).is_none())
    };
    let r = stage(&mut c, &emp, &app, json!({"stage": "not_hired"})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker_id}"),
            Some(&emp),
            None,
        )
        .await;
    assert!(masked(&r), "{}", r.body);
    let r = stage(&mut c, &emp, &app, json!({"stage": "screening"})).await;
    assert_eq!(r.status, 409, "nothing moves on from 見送り: {}", r.body);

    // The seeker applies to the second posting and withdraws (辞退) it.
    let r = c
        .api(
            "POST",
            "/api/v1/me/applications",
            Some(&seeker),
            Some(json!({"posting_id": second, "openness": "open"})),
        )
        .await;
    let app2 = r.json()["application_id"].as_str().unwrap().to_owned();
    let r = c
        .api(
            "POST",
            &format!("/api/v1/me/applications/{app2}/withdraw"),
            Some(&seeker),
            None,
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let mine = c
        .api("GET", "/api/v1/me/applications", Some(&seeker), None)
        .await
        .json();
    // (The demo seeker's own demo application to the demo company is not this test's.)
    let mut stages: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == app.as_str() || i["id"] == app2.as_str())
        .map(|i| i["stage"].as_str().unwrap())
        .collect();
    stages.sort();
    assert_eq!(stages, ["not_hired", "withdrawn"]);
    // Withdrawn applications leave the company's list; the company cannot move them.
    let r = c
        .api("GET", "/api/v1/employer/applications", Some(&emp), None)
        .await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 1, "{}", r.body);
    let r = stage(&mut c, &emp, &app2, json!({"stage": "screening"})).await;
    assert_eq!(r.status, 409, "{}", r.body);
    let r = c
        .api(
            "GET",
            &format!("/api/v1/seekers/{seeker_id}"),
            Some(&emp),
            None,
        )
        .await;
    assert!(masked(&r), "{}", r.body);
}

/// The pages: the seeker applies through the three steps; the company's board shows the
/// applicant and moves them with an internal note that the seeker's pages never show.
#[tokio::test]
async fn applying_and_moving_through_the_pages() {
    let mut w = world(Server::builder()).await;
    let posting = publish(&mut w, json!({})).await;
    let mut seeker = w.s.client();
    let r = seeker
        .submit(
            "/login",
            "/login",
            &[
                ("email", "seeker@demo.tsunagu.example"),
                ("password", DEMO_PW),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let job = seeker.get(&format!("/jobs/{posting}")).await;
    assert!(job.body.contains(&format!("/jobs/{posting}/apply")));
    let form = format!("/jobs/{posting}/apply");
    // Step 1 without a choice: the error is tied to the field.
    let r = seeker.submit(&form, &format!("{form}/message"), &[]).await;
    assert!(
        r.body.contains("error-summary") && r.body.contains("#f-openness"),
        "{}",
        r.body
    );
    // Both choices preview what the company sees; closed shows no disability items.
    let page = seeker.get(&form).await.body;
    assert_eq!(page.matches("<details class=\"preview\">").count(), 2);
    let r = seeker
        .submit(
            &form,
            &format!("{form}/check"),
            &[("openness", "closed"), ("message", "よろしくお願いします")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("よろしくお願いします"));
    assert!(
        !r.body.contains("精神障害"),
        "the closed preview shows disability data"
    );
    let r = seeker
        .submit(
            &form,
            &form,
            &[("openness", "closed"), ("message", "よろしくお願いします")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/applications?m=application-sent");
    let list = seeker.get("/applications").await;
    assert!(list.body.contains("応募済み"), "{}", list.body);

    // The company's board, and a move with an internal note.
    let mut company = w.s.client();
    let r = sign_in(&mut company, "hr@jobs.example.jp", PW).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let board_url = format!("/employer/postings/{posting}/applications");
    let board = company.get(&board_url).await;
    assert_eq!(board.status, 200, "{}", board.body);
    let app = board
        .body
        .split("/employer/applications/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_owned();
    let r = company
        .submit(
            &board_url,
            &format!("/employer/applications/{app}/stage"),
            &[
                ("posting_id", &posting),
                ("stage", "screening"),
                ("internal_stage", STAGE_MARKER),
                ("note", NOTE_MARKER),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("{board_url}?m=stage-saved"));
    let board = company.get(&board_url).await.body;
    assert!(board.contains(NOTE_MARKER) && board.contains(STAGE_MARKER));
    // The seeker sees 書類選考中 and nothing of the note.
    for path in ["/applications", "/dashboard", &format!("/jobs/{posting}")] {
        let r = seeker.get(path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            !r.body.contains(NOTE_MARKER) && !r.body.contains(STAGE_MARKER),
            "{path}"
        );
    }
    assert!(
        seeker
            .get("/applications")
            .await
            .body
            .contains("書類選考中")
    );
    // The seeker cannot open the company's board.
    let r = seeker.get(&board_url).await;
    assert!(r.status == 403 || r.status == 404, "{}", r.status);
}
