//! What a new user tripped over, each fixed and held by a test: the family member's
//! dashboard, consent rows that read alike, raw user-agent strings, and a sign-in that
//! failed with a misleading message when the browser sent no cookies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;

const DEMO_PW: &str = "tsunagu-demo-2026";

async fn signed_in(s: &Server, email: &str, ua: Option<&str>) -> Client {
    let mut web = s.client();
    if let Some(ua) = ua {
        web.user_agent = ua.into();
    }
    let r = sign_in(&mut web, email, DEMO_PW).await;
    assert_eq!(r.status, 303, "login {email}: {}", r.body);
    web
}

/// The text of the `<li>`s of the section with this id.
fn section<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[tokio::test]
async fn dashboards_say_who_is_who_and_name_each_consent_and_device() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());

    // The family member (the seeker's mother) sees the seeker's name and that she is
    // linked as the mother, not a relation that reads as the seeker's.
    let mut fam = signed_in(&s, "family@demo.tsunagu.example", None).await;
    let d = fam.get("/account").await;
    assert_eq!(d.status, 200);
    let family = section(&d.body, "family");
    assert!(
        family.contains("あなたは母としてつながっています"),
        "{family}"
    );
    assert!(!family.contains("(母)"), "{family}");

    // The seeker sees the relation of each family member to them.
    let ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
    let mut seeker = signed_in(&s, "seeker@demo.tsunagu.example", Some(ua)).await;
    // A second session from a client that says nothing recognisable.
    let _other = signed_in(&s, "seeker@demo.tsunagu.example", None).await;
    let d = seeker.get("/account").await;
    let family = section(&d.body, "family");
    assert!(family.contains("(母)"), "{family}");

    // Every consent row reads differently (scout sections name their section).
    let consents = section(&d.body, "consents");
    let rows: Vec<&str> = consents
        .split("<tr>")
        .skip(2)
        .map(|r| {
            r.split("</td>")
                .next()
                .unwrap()
                .trim()
                .trim_start_matches("<td>")
        })
        .collect();
    assert!(rows.len() >= 4, "{consents}");
    let mut seen = std::collections::BTreeSet::new();
    for r in &rows {
        let withdrawn_twice = false;
        assert!(
            seen.insert(*r) || withdrawn_twice,
            "two consent rows read alike: {r}\n{rows:?}"
        );
    }
    assert!(
        rows.iter().any(|r| r.starts_with("スカウトで見せる項目(")),
        "{rows:?}"
    );

    // Sessions name the device, never the raw user-agent string.
    let sessions = section(&d.body, "sessions");
    assert!(sessions.contains("Safari / iPhone"), "{sessions}");
    assert!(!sessions.contains("AppleWebKit"), "{sessions}");
    assert!(
        sessions.contains("不明な端末"),
        "the session of an unknown client: {sessions}"
    );
}

#[tokio::test]
async fn a_form_sent_without_cookies_says_why_not_that_the_page_expired() {
    let s = Server::start();
    let mut c = s.client();
    let page = c.get("/login").await;
    let csrf = page.csrf();
    // The browser refused the cookies (plain http at another machine's address).
    c.cookies.clear();
    let r = c
        .post_form(
            "/login",
            &[
                ("_csrf", &csrf),
                ("email", "a@example.jp"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(
        r.body
            .contains("https のアドレスか、同じコンピューターの http://localhost"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("画面の有効期限が切れました"));
    // With the cookies but a stale token, the expiry message as before.
    let _ = c.get("/login").await;
    let r = c
        .post_form(
            "/login",
            &[
                ("_csrf", "stale"),
                ("email", "a@example.jp"),
                ("password", "x"),
            ],
        )
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("画面の有効期限が切れました"), "{}", r.body);
}

#[tokio::test]
async fn a_new_facility_waits_in_the_operators_queue_and_is_verified_there() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());
    let mut c = s.client();
    register(
        &mut c,
        "supporter",
        "new-facility@example.jp",
        "支援 花子",
        Some("新しい支援センター"),
    )
    .await;
    let mut sup = s.client();
    let r = sign_in(&mut sup, "new-facility@example.jp", PW).await;
    assert_eq!(r.status, 303);
    let d = sup.get("/account").await;
    assert!(d.body.contains("運営による確認待ち"), "{}", d.body);

    // The operator's queue lists it (page and API) ...
    let op = token(&mut c, "operator@demo.tsunagu.example", DEMO_PW).await;
    let list = c
        .api("GET", "/api/v1/operator/facilities", Some(&op), None)
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let item = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "新しい支援センター")
        .cloned()
        .expect("the new facility is in the queue");
    let id = item["id"].as_str().unwrap().to_owned();
    let mut opweb = signed_in(&s, "operator@demo.tsunagu.example", None).await;
    let page = opweb.get("/operator").await;
    let queue = section(&page.body, "h-facilities");
    assert!(queue.contains("新しい支援センター"), "{queue}");
    // ... and verifying it there takes it out of the queue.
    let r = opweb
        .submit(
            "/operator",
            &format!("/operator/facilities/{id}/verify"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/operator?m=facility-verified");
    let page = opweb.get("/operator?m=facility-verified").await;
    assert!(page.body.contains("支援機関を確認済みにしました。"));
    assert!(!section(&page.body, "h-facilities").contains("新しい支援センター"));
    let d = sup.get("/account").await;
    assert!(!d.body.contains("運営による確認待ち"), "{}", d.body);
    // Twice is not found; a company's id is not a facility's.
    let again = c
        .api(
            "POST",
            &format!("/api/v1/operator/facilities/{id}/verify"),
            Some(&op),
            None,
        )
        .await;
    assert_eq!(again.status, 404);
    // Only the operator may.
    let st = token(&mut c, "new-facility@example.jp", PW).await;
    let r = c
        .api("GET", "/api/v1/operator/facilities", Some(&st), None)
        .await;
    assert_eq!(r.status, 403);
}
