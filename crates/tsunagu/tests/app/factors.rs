//! Second factors over HTTP, on SQLite and PostgreSQL, with a software authenticator
//! (the test computes the codes from the secret the server hands out): setting up an
//! authenticator takes the password and a first right code; a sign-in then needs a
//! code (API: with the password; web: a second step that keeps no password), takes
//! each code once, and counts wrong codes; recovery codes work once each; the session
//! notes how it was signed in; a code stands in for the password where the person is
//! checked again; removing the app takes the password and a code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::json;

/// The software authenticator: the code for `at` (Unix seconds) from the enrolment.
fn code_at(url: &str, at: i64) -> String {
    totp_rs::TOTP::from_url_unchecked(url)
        .unwrap()
        .generate(at as u64)
}

async fn login(c: &mut Client, email: &str, code: Option<&str>) -> Resp {
    let mut body = json!({"email": email, "password": PW});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    c.api("POST", "/api/v1/auth/login", None, Some(body)).await
}

#[tokio::test]
async fn an_authenticator_and_recovery_codes_guard_the_sign_in() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let email = "factor@example.jp";
    register(&mut c, "seeker", email, "二段 認証", None).await;
    let t = token(&mut c, email, PW).await;

    // Setting up: the password first, then a right code from the app.
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp",
            Some(&t),
            Some(json!({"password": "wrong password"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.field_codes(), "password:password-wrong");
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp",
            Some(&t),
            Some(json!({"password": PW})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let url = r.json()["otpauth_url"].as_str().unwrap().to_owned();
    let secret = r.json()["secret"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("otpauth://totp/") && url.contains(&secret),
        "{url}"
    );
    // Not in force yet: the password alone still signs in.
    assert_eq!(login(&mut c, email, None).await.status, 200);
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp/confirm",
            Some(&t),
            Some(json!({"code": "000000"})),
        )
        .await;
    if code_at(&url, unix_now()) != "000000" {
        assert_eq!(r.status, 422, "{}", r.body);
        assert_eq!(r.field_codes(), "code:code-wrong");
    }
    let now = unix_now();
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp/confirm",
            Some(&t),
            Some(json!({"code": code_at(&url, now)})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let codes: Vec<String> = r.json()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 10);
    let st = c
        .api("GET", "/api/v1/me/second-factor", Some(&t), None)
        .await
        .json();
    assert_eq!(st["totp"], true, "{st}");
    assert_eq!(st["recovery_codes_left"], 10, "{st}");
    // The session that confirmed it counts as signed in with it.
    let sessions = c
        .api("GET", "/api/v1/me/sessions", Some(&t), None)
        .await
        .json();
    assert!(
        sessions.to_string().contains("\"auth_method\":\"totp\""),
        "{sessions}"
    );

    // Signing in now needs a code, each taken once.
    let r = login(&mut c, email, None).await;
    assert_eq!(
        (r.status, r.field_codes()),
        (422, "code:code-required".into()),
        "{}",
        r.body
    );
    let r = login(&mut c, email, Some(&code_at(&url, now))).await;
    assert_eq!(
        (r.status, r.field_codes()),
        (422, "code:code-wrong".into()),
        "the confirming code again: {}",
        r.body
    );
    // The next step's code (a phone a little ahead) is taken, once; written with
    // full-width digits and spaces as an input method may give it.
    let next = code_at(&url, now + 30);
    let wide: String = next
        .chars()
        .map(|d| char::from_u32(d as u32 + 0xFEE0).unwrap())
        .collect();
    let r = login(
        &mut c,
        email,
        Some(&format!(" {} {} ", &wide[..9], &wide[9..])),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t2 = r.json()["token"].as_str().unwrap().to_owned();
    let r = login(&mut c, email, Some(&next)).await;
    assert_eq!(r.status, 422, "a code is taken once: {}", r.body);
    // A wrong password with a right code says only that the sign-in failed.
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": "nope nope nope", "code": codes[9]})),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.body);
    // A recovery code, once, in any case and without its hyphens.
    let rc = codes[0].replace('-', "").to_uppercase();
    let r = login(&mut c, email, Some(&rc)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t3 = r.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(login(&mut c, email, Some(&codes[0])).await.status, 422);
    let list = c
        .api("GET", "/api/v1/me/sessions", Some(&t3), None)
        .await
        .json();
    assert!(
        list.to_string().contains("\"auth_method\":\"recovery\""),
        "{list}"
    );
    let st = c
        .api("GET", "/api/v1/me/second-factor", Some(&t2), None)
        .await
        .json();
    assert_eq!(st["recovery_codes_left"], 9, "{st}");
    // The person is told at their address that a recovery code was used.
    let told = sink.wait_for(email).text();
    assert!(
        told.contains("回復コードを使ったログインがありました") && told.contains("残り9個"),
        "{told}"
    );
    assert!(!told.contains(&codes[0]), "the code is not in the mail");

    // The web: the second step keeps no password, takes a recovery code, and a run of
    // wrong codes ends it.
    let mut web = s.client();
    let r = web
        .submit("/login", "/login", &[("email", email), ("password", PW)])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login/code");
    assert!(!r.header("set-cookie").contains(PW));
    assert_eq!(web.get("/dashboard").await.status, 303, "not signed in yet");
    let page = web.get("/login/code").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("autocomplete=\"one-time-code\""),
        "{}",
        page.body
    );
    let r = web
        .submit("/login/code", "/login/code", &[("code", "123")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("確認コードが正しくないか"), "{}", r.body);
    let r = web
        .submit("/login/code", "/login/code", &[("code", &codes[1])])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/account/security?m=recovery-used");
    let start = std::time::Instant::now();
    while sink.count_to(email) < 2 && start.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        sink.count_to(email),
        2,
        "told again for the web's recovery code"
    );
    let p = web.get("/account/security?m=recovery-used").await;
    assert!(
        p.body.contains("回復コードでログインしました") && p.body.contains("使える回復コード: 8個"),
        "{}",
        p.body
    );
    let mut web2 = s.client();
    web2.submit("/login", "/login", &[("email", email), ("password", PW)])
        .await;
    for _ in 0..5 {
        let r = web2
            .submit("/login/code", "/login/code", &[("code", "999999x")])
            .await;
        assert_eq!(r.status, 422);
    }
    // (The CSRF token from the first step's page: the second has ended.)
    let r = web2
        .submit("/login", "/login/code", &[("code", &codes[2])])
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "/login?m=code-expired",
        "five wrong codes end the step"
    );
    assert_eq!(web2.get("/dashboard").await.status, 303);

    // A code stands in for the password where the person is checked again.
    let r = c
        .api(
            "POST",
            "/api/v1/me/export",
            Some(&t2),
            Some(json!({"code": "abcd-efgh-jkmn"})),
        )
        .await;
    assert_eq!(
        (r.status, r.field_codes()),
        (422, "code:code-wrong".into()),
        "{}",
        r.body
    );
    let r = c
        .api(
            "POST",
            "/api/v1/me/export",
            Some(&t2),
            Some(json!({"code": codes[3]})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let page = web.get("/account/data").await;
    assert!(
        page.body.contains("id=\"f-code\""),
        "the code field is offered"
    );

    // Removing it takes the password and a code; then the password alone signs in.
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp/remove",
            Some(&t2),
            Some(json!({"password": PW, "code": "zzzz-zzzz-zzzz"})),
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        login(&mut c, email, None).await.status,
        422,
        "still in force"
    );
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp/remove",
            Some(&t2),
            Some(json!({"password": PW, "code": codes[4]})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(login(&mut c, email, None).await.status, 200);
    let st = c
        .api("GET", "/api/v1/me/second-factor", Some(&t2), None)
        .await
        .json();
    assert_eq!(
        (st["totp"].clone(), st["recovery_codes_left"].clone()),
        (json!(false), json!(0)),
        "{st}"
    );
}

#[tokio::test]
async fn the_security_page_sets_an_authenticator_up_by_form() {
    let s = Server::start();
    let mut c = s.client();
    let email = "factor-web@example.jp";
    register(&mut c, "seeker", email, "画面 設定", None).await;
    let mut web = page_client(&s, email, PW).await;
    let p = web.get("/account").await;
    assert!(p.body.contains("href=\"/account/security\""));
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp",
            &[("password", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-password\""), "{}", r.body);
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp",
            &[("password", PW)],
        )
        .await;
    assert_eq!(r.status, 303);
    let p = web.get("/account/security").await;
    assert!(
        p.body.contains("<svg") && p.body.contains("id=\"totp-secret\""),
        "{}",
        p.body
    );
    let secret: String = p
        .body
        .split("id=\"totp-secret\" lang=\"en\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace(' ', "");
    let url = format!("otpauth://totp/Tsunagu:x?secret={secret}&issuer=Tsunagu");
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("code", "12")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("id=\"f-code-error\""), "{}", r.body);
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("code", &code_at(&url, unix_now()))],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("class=\"recovery-codes\""), "{}", r.body);
    assert_eq!(r.body.matches("<li><code>").count(), 10);
    // Shown once: the page itself lists none.
    let p = web.get("/account/security").await;
    assert!(
        !p.body.contains("class=\"recovery-codes\"") && p.body.contains("使える回復コード: 10個")
    );
    let p = web.get("/account").await;
    assert!(
        p.body.contains("パスワードと認証アプリ"),
        "this session: {}",
        p.body
    );
}

/// An operator's, a company admin's and a facility admin's account must sign in with a
/// second factor: signed in with the password alone, it can set one up and sign out and
/// nothing else (the API answers 403 `second_factor_required`, pages send it to the
/// set-up page); once set up, the next sign-in needs a code; removing the app closes the
/// rest again at once. A recruiter of the same company, and a seeker, are not held.
#[tokio::test]
async fn admins_must_set_an_authenticator_up_before_anything_else() {
    let s = Server::start();
    let mut c = s.client();
    let admin = "boss@example.jp";
    register(&mut c, "employer", admin, "社長 一郎", Some("二段株式会社")).await;
    register(
        &mut c,
        "supporter",
        "center@example.jp",
        "施設 長",
        Some("二段センター"),
    )
    .await;
    register(&mut c, "seeker", "free@example.jp", "自由 花子", None).await;

    // The API: a session that can only set a factor up.
    for who in [admin, "center@example.jp"] {
        let r = login(&mut c, who, None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["second_factor_setup_required"], true, "{who}");
        let t = r.json()["token"].as_str().unwrap().to_owned();
        let me = c.api("GET", "/api/v1/me", Some(&t), None).await;
        assert_eq!(me.status, 403, "{who}: {}", me.body);
        assert_eq!(me.json()["error"]["code"], "second_factor_required");
        assert!(!me.body.contains(who), "no data in the refusal");
        let st = c
            .api("GET", "/api/v1/me/second-factor", Some(&t), None)
            .await;
        assert_eq!(st.status, 200);
        assert_eq!(st.json()["required"], true);
        assert_eq!(st.json()["totp"], false);
        let out = c.api("POST", "/api/v1/auth/logout", Some(&t), None).await;
        assert_eq!(out.status, 204, "signing out stays open");
    }
    let r = login(&mut c, "free@example.jp", None).await;
    assert_eq!(r.json()["second_factor_setup_required"], false);
    let t = r.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(c.api("GET", "/api/v1/me", Some(&t), None).await.status, 200);

    // Setting it up opens everything to the session that did it.
    let r = login(&mut c, admin, None).await;
    let t = r.json()["token"].as_str().unwrap().to_owned();
    enrol_api(&mut c, &t, admin, PW).await;
    assert_eq!(c.api("GET", "/api/v1/me", Some(&t), None).await.status, 200);
    // The next sign-in needs a code.
    let r = login(&mut c, admin, None).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field_codes(), "code:code-required");
    let t2 = token(&mut c, admin, PW).await;
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&t2), None).await.status,
        200
    );

    // The recruiter the admin invites is not held.
    let org =
        c.api("GET", "/api/v1/me", Some(&t2), None).await.json()["organizations"][0]["org_id"]
            .as_str()
            .unwrap()
            .to_owned();
    let inv = c
        .api("POST", "/api/v1/invitations", Some(&t2), Some(json!({"kind": "member", "email": "rec@example.jp", "organization_id": org, "role": "recruiter"})))
        .await;
    assert_eq!(inv.status, 201, "{}", inv.body);

    // Pages: sent to the set-up page from anywhere but the open few.
    let mut web = s.client();
    let r = web
        .submit(
            "/login",
            "/login",
            &[("email", "center@example.jp"), ("password", PW)],
        )
        .await;
    assert_eq!(r.location(), "/account/security?m=totp-required");
    for page in ["/dashboard", "/account", "/invitations", "/messages"] {
        let r = web.get(page).await;
        assert_eq!(r.status, 303, "{page}");
        assert_eq!(r.location(), "/account/security?m=totp-required", "{page}");
    }
    let page = web.get("/account/security?m=totp-required").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("id=\"required\""), "says why");
    assert!(
        !page.body.contains("href=\"/account\">"),
        "no way back into a closed page"
    );
    assert_eq!(web.get("/settings/display").await.status, 200);
    assert_eq!(web.get("/jobs").await.status, 200, "public pages stay open");
    enrol_page(&mut web, "center@example.jp", PW).await;
    assert_eq!(web.get("/dashboard").await.status, 200);

    // Removing the app: this session is held again at once.
    let code = authenticator_code(&web.base, "center@example.jp").unwrap();
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp/remove",
            &[("password", PW), ("code", &code)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        web.get("/dashboard").await.location(),
        "/account/security?m=totp-required"
    );

    // The demo operator signs in with the published key's code.
    assert!(s.command(&["demo"]).status.success());
    let r = login(&mut c, "operator@demo.tsunagu.example", None).await;
    assert_eq!(r.status, 401, "the demo password differs");
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(
                json!({"email": "operator@demo.tsunagu.example", "password": "tsunagu-demo-2026"}),
            ),
        )
        .await;
    assert_eq!(r.field_codes(), "code:code-required");
    let t = token(&mut c, "operator@demo.tsunagu.example", "tsunagu-demo-2026").await;
    assert_eq!(c.api("GET", "/api/v1/me", Some(&t), None).await.status, 200);
    let out = s.command(&["demo-code"]);
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.chars().take(6).all(|ch| ch.is_ascii_digit()),
        "{printed}"
    );
}
