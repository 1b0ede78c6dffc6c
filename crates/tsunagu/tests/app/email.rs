//! Email verification over HTTP and real SMTP, on SQLite and PostgreSQL: a
//! self-registered address is mailed a link and, until it is opened, the session may
//! only confirm it (pages redirect to the address page, the API answers 403
//! `email_unverified`); a new link ends the earlier one; a link works once. A change of
//! address takes the password again, mails the new address, changes nothing until the
//! link is opened, then tells the old address (and its reset links stop working); an
//! address another account holds is never revealed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};

/// The mails to `to` so far (confirmation links included), as text.
fn mails_to(sink: &SmtpSink, to: &str) -> Vec<String> {
    sink.mails
        .lock()
        .unwrap()
        .iter()
        .filter(|m| m.rcpt.iter().any(|r| r == to))
        .map(Received::text)
        .collect()
}

async fn verify(c: &mut Client, token: &str) -> Resp {
    c.api(
        "POST",
        "/api/v1/auth/verify-email",
        None,
        Some(json!({ "token": token })),
    )
    .await
}

#[tokio::test]
async fn a_registered_address_is_confirmed_before_anything_else() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let email = "unconfirmed@example.jp";
    register_unverified(&mut c, "seeker", email, "未確認 花子", None).await;
    let first = mailed_token(&s.base, email, "/verify-email/");
    let t = token(&mut c, email, PW).await;

    // Until the link is opened: who am I and the address page answer; nothing else.
    let r = c.api("GET", "/api/v1/me", Some(&t), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["email_verified"], false);
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json(),
        json!({"email": email, "verified": false, "pending": null})
    );
    for path in ["/api/v1/me/family", "/api/v1/threads", "/api/v1/me/profile"] {
        let r = c.api("GET", path, Some(&t), None).await;
        assert_eq!(r.status, 403, "{path}: {}", r.body);
        assert_eq!(r.json()["error"]["code"], "email_unverified", "{path}");
        assert!(!r.body.contains(email), "{path} told the address");
    }
    let mut web = page_client(&s, email, PW).await;
    for path in ["/dashboard", "/account", "/profile", "/messages"] {
        let r = web.get(path).await;
        assert_eq!(r.status, 303, "{path}");
        assert_eq!(r.location(), "/account/email?m=verify-first", "{path}");
    }
    // Public pages stay open.
    assert_eq!(web.get("/jobs").await.status, 200);
    let page = web.get("/account/email?m=verify-first").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("先に、メールアドレスの確認をお願いします"),
        "{}",
        page.body
    );
    assert!(page.body.contains("まだ確認されていません"));
    assert!(page.body.contains(email));

    // A new link ends the first one.
    let r = web
        .submit("/account/email", "/account/email/resend", &[])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/account/email?m=email-sent");
    let second = mailed_token_where(&s.base, email, "/verify-email/", |t| t == first);
    assert_eq!(verify(&mut c, &first).await.status, 404);
    assert_eq!(mails_to(&sink, email).len(), 2);

    // The link's page asks for one press; the press confirms; a second use is refused.
    let mut visitor = s.client();
    let p = visitor.get(&format!("/verify-email/{second}")).await;
    assert_eq!(p.status, 200, "{}", p.body);
    assert!(p.body.contains("確認する"));
    let r = visitor
        .submit(
            &format!("/verify-email/{second}"),
            &format!("/verify-email/{second}"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/login?m=email-verified");
    let again = visitor.get(&format!("/verify-email/{second}")).await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("このリンクは使えません"));
    assert_eq!(verify(&mut c, &second).await.status, 404);

    // Now everything opens, on the same sessions.
    let r = c.api("GET", "/api/v1/me/family", Some(&t), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(web.get("/dashboard").await.status, 200);
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(r.json()["verified"], true);
    // Nothing left to confirm.
    let r = c
        .api("POST", "/api/v1/me/email/verification", Some(&t), None)
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.field_codes(), "resend:email-nothing-to-confirm");
    assert!(sink.assert_well_formed() >= 2);
}

#[tokio::test]
async fn a_new_address_takes_effect_once_its_link_is_opened_and_the_old_one_is_told() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let old = "before@example.jp";
    let new = "after@example.jp";
    register(&mut c, "seeker", old, "移動 太郎", None).await;
    register(&mut c, "seeker", "holder@example.jp", "保有 次郎", None).await;
    let t = token(&mut c, old, PW).await;
    let change = |email: &str, password: &str| json!({"email": email, "password": password});

    // Refused, each on its field: a wrong password, the same address, no address.
    let r = c
        .api(
            "POST",
            "/api/v1/me/email",
            Some(&t),
            Some(change(new, "wrong password")),
        )
        .await;
    assert_eq!(
        (r.status, r.field_codes()),
        (422, "password:password-wrong".into())
    );
    let r = c
        .api("POST", "/api/v1/me/email", Some(&t), Some(change(old, PW)))
        .await;
    assert_eq!(
        (r.status, r.field_codes()),
        (422, "email:email-same".into())
    );
    assert!(
        r.body.contains("今のメールアドレスと同じです"),
        "{}",
        r.body
    );
    let r = c
        .api(
            "POST",
            "/api/v1/me/email",
            Some(&t),
            Some(change("not an address", PW)),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.field_codes().starts_with("email:"), "{}", r.body);

    // An address another account holds: the same answer; its owner is told, nothing waits.
    let r = c
        .api(
            "POST",
            "/api/v1/me/email",
            Some(&t),
            Some(change("holder@example.jp", PW)),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let told = sink.wait_for("holder@example.jp").text();
    assert!(
        told.contains("/password-reset") && !told.contains("/verify-email/"),
        "{told}"
    );
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(r.json()["pending"], Value::Null);

    // A free address: mailed a link; nothing changes until it is opened.
    let r = c
        .api("POST", "/api/v1/me/email", Some(&t), Some(change(new, PW)))
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let link = mailed_token(&s.base, new, "/verify-email/");
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(
        r.json(),
        json!({"email": old, "verified": true, "pending": new})
    );
    let login = |email: &str| json!({"email": email, "password": PW});
    let r = c
        .api("POST", "/api/v1/auth/login", None, Some(login(new)))
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = c
        .api("POST", "/api/v1/auth/login", None, Some(login(old)))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // A reset link mailed to the old address before the change.
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset",
            None,
            Some(json!({ "email": old })),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let reset = mailed_token(&s.base, old, "/password-reset/");

    // Opened: the account has the new address, the old one hears of it.
    let r = verify(&mut c, &link).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["result"], "changed");
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(
        r.json(),
        json!({"email": new, "verified": true, "pending": null})
    );
    let r = c
        .api("POST", "/api/v1/auth/login", None, Some(login(old)))
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    let r = c
        .api("POST", "/api/v1/auth/login", None, Some(login(new)))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let told = "メールアドレスが、別のアドレスに変更されました";
    let start = std::time::Instant::now();
    let notice = loop {
        if let Some(m) = mails_to(&sink, old).into_iter().find(|t| t.contains(told)) {
            break m;
        }
        assert!(
            start.elapsed().as_secs() < 20,
            "the old address was not told"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(
        !notice.contains(new),
        "the old address was told the new one"
    );
    assert_eq!(verify(&mut c, &link).await.status, 404);
    // The reset link mailed to the old address no longer opens the account.
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({ "token": reset, "password": "a brand new password" })),
        )
        .await;
    assert_eq!(r.field_codes(), "token:reset-token-invalid", "{}", r.body);

    // The old address is free again: it can register.
    let mut other = s.client();
    register(&mut other, "seeker", old, "新規 三郎", None).await;

    // A link whose address another account took in the meantime changes nothing.
    let r = c
        .api(
            "POST",
            "/api/v1/me/email",
            Some(&t),
            Some(change("race@example.jp", PW)),
        )
        .await;
    assert_eq!(r.status, 202, "{}", r.body);
    let raced = mailed_token(&s.base, "race@example.jp", "/verify-email/");
    register_unverified(&mut other, "seeker", "race@example.jp", "先取 四郎", None).await;
    assert_eq!(verify(&mut c, &raced).await.status, 404);
    let r = c.api("GET", "/api/v1/me/email", Some(&t), None).await;
    assert_eq!(r.json()["email"], new);

    // The audit log has the person's own acts (never the addresses).
    let out = s.command(&["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn the_address_page_keeps_what_was_typed_and_says_which_field_is_wrong() {
    let s = Server::start();
    let mut c = s.client();
    let email = "page@example.jp";
    register(&mut c, "seeker", email, "画面 五郎", None).await;
    let mut web = page_client(&s, email, PW).await;
    let page = web.get("/account/email").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("確認済み"), "{}", page.body);
    assert!(
        !page.body.contains("/account/email/resend"),
        "nothing to resend"
    );
    assert!(
        web.get("/account")
            .await
            .body
            .contains("href=\"/account/email\"")
    );

    let r = web
        .submit(
            "/account/email",
            "/account/email",
            &[
                ("email", "typed@example.jp"),
                ("password", "wrong password"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"typed@example.jp\""), "{}", r.body);
    assert!(r.body.contains("id=\"f-password-error\""), "{}", r.body);
    assert!(r.body.contains("aria-invalid=\"true\""));

    let r = web
        .submit(
            "/account/email",
            "/account/email",
            &[("email", "typed@example.jp"), ("password", PW)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/account/email?m=email-change-sent");
    let page = web.get("/account/email?m=email-change-sent").await;
    assert!(page.body.contains("typed@example.jp"), "{}", page.body);
    assert!(page.body.contains("/account/email/resend"));
    // The link from the mail file, opened while signed in, lands on the address page.
    let link = mailed_token(&s.base, "typed@example.jp", "/verify-email/");
    let r = web
        .submit(
            &format!("/verify-email/{link}"),
            &format!("/verify-email/{link}"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/account/email?m=email-changed");
    let page = web.get("/account/email?m=email-changed").await;
    assert!(page.body.contains("メールアドレスを変更しました"));
    assert!(page.body.contains("typed@example.jp"));
}
