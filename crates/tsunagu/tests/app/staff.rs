//! The operator's own staff, over the real command and HTTP: `tsunagu operator create`
//! takes no password and prints a one-time set-up link; nobody signs in before using
//! it, and it works once; each role opens its own screens only (the whole route table
//! is walked per role in `http::every_route_has_a_rule_and_the_rule_holds`); a site
//! served over https with the demo accounts in it says so loudly at every start.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::json;

#[tokio::test]
async fn staff_accounts_start_from_a_one_time_link_and_each_role_opens_its_own_screens() {
    let mut s = Server::builder()
        .env("TSUNAGU_PUBLIC_URL", "https://tsunagu.example")
        .env("TSUNAGU_OPERATOR_NAME", "株式会社つなぐ試験運営")
        .env("TSUNAGU_OPERATOR_ADDRESS", "東京都千代田区試験町1-2-3")
        .env("TSUNAGU_OPERATOR_REPRESENTATIVE", "代表取締役 試験 一郎")
        .env("TSUNAGU_PRIVACY_DESK", "privacy-desk@tsunagu.example")
        .env("TSUNAGU_TELECOM_NOTICE_NUMBER", "A-06-12345")
        .start();
    let mut c = s.client();
    // The privacy page names the operator from configuration; what is not set says so.
    let r = c.get("/privacy").await;
    for text in [
        "株式会社つなぐ試験運営",
        "東京都千代田区試験町1-2-3",
        "代表取締役 試験 一郎",
        "privacy-desk@tsunagu.example",
        "A-06-12345",
        "(設定されていません)",
        "href=\"/account/requests\"",
    ] {
        assert!(r.body.contains(text), "{text}");
    }
    // Refused input, named.
    for (args, says) in [
        (
            vec![
                "--email",
                "x@example.jp",
                "--name",
                "運営 職員",
                "--role",
                "boss",
            ],
            "--role boss",
        ),
        (
            vec![
                "--email",
                "not-an-email",
                "--name",
                "運営 職員",
                "--role",
                "support",
            ],
            "--email",
        ),
        (
            vec![
                "--email",
                "x@example.jp",
                "--name",
                " ",
                "--role",
                "support",
            ],
            "--name",
        ),
    ] {
        let mut a = vec!["operator", "create"];
        a.extend(args);
        let out = s.command(&a);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = s.command(&[
        "operator",
        "create",
        "--email",
        "support@staff.example",
        "--name",
        "窓口 担当",
        "--role",
        "support",
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("https://tsunagu.example/password-reset/"),
        "{text}"
    );
    let tok = text
        .lines()
        .last()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    // No password works before the link is used.
    for pw in ["", "!unset", PW] {
        let r = c
            .api(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "support@staff.example", "password": pw})),
            )
            .await;
        assert_ne!(
            r.status, 200,
            "signed in with {pw:?} before the set-up link"
        );
    }
    assert_eq!(c.get(&format!("/password-reset/{tok}")).await.status, 200);
    let confirm = |p: &str| json!({"token": tok, "password": p});
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(confirm(PW)),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(confirm("another long password")),
        )
        .await;
    assert_eq!(r.status, 422, "the link works once: {}", r.body);
    let support = token(&mut c, "support@staff.example", PW).await;
    // The same address cannot be made twice.
    let out = s.command(&[
        "operator",
        "create",
        "--email",
        "support@staff.example",
        "--name",
        "窓口 担当",
        "--role",
        "billing",
    ]);
    assert!(!out.status.success());

    // Each role: the console's home shows its own screens; the support queue only to support.
    let privacy =
        crate::http::staff_token(&s, &mut c, "privacy@staff.example", "privacy_officer").await;
    let mut web = page_client(&s, "support@staff.example", PW).await;
    let r = web.get("/operator").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("id=\"h-companies\""), "the support queue");
    let mut web2 = page_client(&s, "privacy@staff.example", PW).await;
    let r = web2.get("/operator").await;
    assert_eq!(r.status, 200);
    assert!(
        !r.body.contains("id=\"h-companies\""),
        "no support queue for the privacy officer"
    );
    for path in [
        "/api/v1/operator/queue",
        "/api/v1/operator/agency/companies",
    ] {
        assert_eq!(
            c.api("GET", path, Some(&privacy), None).await.status,
            403,
            "{path}"
        );
    }
    assert_eq!(
        c.api("GET", "/api/v1/operator/queue", Some(&support), None)
            .await
            .status,
        200
    );
    assert_eq!(
        c.api(
            "GET",
            "/api/v1/operator/agency/companies",
            Some(&support),
            None
        )
        .await
        .status,
        403
    );
    // Taking the role away closes its screens on the next request.
    let out = s.command(&[
        "operator",
        "role",
        "support@staff.example",
        "support",
        "off",
    ]);
    assert!(out.status.success());
    assert_eq!(
        c.api("GET", "/api/v1/operator/queue", Some(&support), None)
            .await
            .status,
        403
    );

    // No warning without the demo accounts; a loud one with them, at every start.
    assert!(!s.logs().contains("DEMO ACCOUNTS ARE PRESENT"));
    assert!(s.command(&["demo"]).status.success());
    s.stop();
    s.launch();
    assert!(
        s.logs().contains("DEMO ACCOUNTS ARE PRESENT"),
        "{}",
        s.logs()
    );
}
