//! HTTP tests against the real server process (SQLite by default; PostgreSQL with
//! TSUNAGU_TEST_BACKEND=postgres). Run by `./test.sh`, which runs both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::{Value, json};

#[tokio::test]
async fn api_register_login_me_consents_logout() {
    let s = Server::start();
    let mut c = s.client();
    let id = register(&mut c, "seeker", "hanako@example.jp", "山田 花子", None).await;
    let tok = token(&mut c, "Hanako@Example.JP", PW).await;

    let me = c.api("GET", "/api/v1/me", Some(&tok), None).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.header("cache-control"), "no-store");
    let me = me.json();
    assert_eq!(me["id"], id.as_str());
    assert_eq!(me["kind"], "seeker");
    assert_eq!(me["email"], "hanako@example.jp");
    assert_eq!(me["name"], "山田 花子");

    let consents = c
        .api("GET", "/api/v1/me/consents", Some(&tok), None)
        .await
        .json();
    let kinds: Vec<&str> = consents["consents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"privacy_policy") && kinds.contains(&"sensitive_data"),
        "{consents}"
    );
    for r in consents["consents"].as_array().unwrap() {
        assert_eq!(r["version"], "2026-11-01");
        assert_eq!(r["method"], "api");
        assert!(r["withdrawn_at"].is_null());
    }

    let w = c
        .api(
            "POST",
            "/api/v1/me/consents/sensitive_data/withdraw",
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(w.status, 200, "{}", w.body);
    let sd = w.json()["consents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "sensitive_data")
        .cloned()
        .unwrap();
    assert!(sd["withdrawn_at"].is_i64());
    assert_eq!(sd["withdrawable"], false);
    // Withdrawing again: nothing active to withdraw.
    let again = c
        .api(
            "POST",
            "/api/v1/me/consents/sensitive_data/withdraw",
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(again.status, 409);
    // The privacy policy consent cannot be withdrawn (that is closing the account).
    let pp = c
        .api(
            "POST",
            "/api/v1/me/consents/privacy_policy/withdraw",
            Some(&tok),
            None,
        )
        .await;
    assert_eq!(pp.status, 409);
    assert_eq!(pp.json()["error"]["code"], "conflict");
    // Giving it again creates a new record; the old one stays as history.
    let g = c
        .api(
            "POST",
            "/api/v1/me/consents/sensitive_data/give",
            Some(&tok),
            None,
        )
        .await
        .json();
    let n = g["consents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "sensitive_data")
        .count();
    assert_eq!(n, 2);

    assert_eq!(
        c.api("POST", "/api/v1/auth/logout", Some(&tok), None)
            .await
            .status,
        204
    );
    let after = c.api("GET", "/api/v1/me", Some(&tok), None).await;
    assert_eq!(after.status, 401);
    assert_eq!(after.json()["error"]["code"], "unauthorized");
}

#[tokio::test]
async fn api_errors_are_tied_to_fields_in_both_languages() {
    let s = Server::start();
    let mut c = s.client();
    let r = c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "employer", "email": "not-an-email", "password": "short", "name": " ", "consents": []}))).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let e = r.json();
    assert_eq!(e["error"]["code"], "validation");
    let fields = e["error"]["fields"].as_object().unwrap();
    for f in [
        "name",
        "organization_name",
        "email",
        "password",
        "consent_privacy",
    ] {
        assert!(fields.contains_key(f), "missing {f} in {e}");
    }
    assert_eq!(fields["password"]["code"], "password-too-short");
    assert!(
        fields["password"]["message"]
            .as_str()
            .unwrap()
            .contains("10文字")
    );

    c.lang = "en".into();
    let r = c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "", "password": "", "name": "x", "consents": ["privacy_policy"]}))).await;
    let e = r.json();
    assert_eq!(
        e["error"]["fields"]["email"]["message"],
        "Enter your email address."
    );
    assert_eq!(e["error"]["message"], "Please check what you entered");

    // Family members and operators cannot register themselves.
    let r = c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "family", "email": "a@b.jp", "password": PW, "name": "x", "consents": ["privacy_policy"]}))).await;
    assert_eq!(r.status, 422);
    assert!(r.json()["error"]["fields"]["kind"].is_object());
    // The sensitive-data consent is for seekers only.
    let r = c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "supporter", "email": "a@b.jp", "password": PW, "name": "x", "organization_name": "F", "consents": ["privacy_policy", "sensitive_data"]}))).await;
    assert_eq!(r.status, 422);
    // Unreadable bodies.
    let r = c.api("POST", "/api/v1/auth/login", None, None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    // Wrong password and unknown email answer the same.
    register(&mut c, "seeker", "known@example.jp", "K", None).await;
    let a = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "known@example.jp", "password": "wrong password!"})),
        )
        .await;
    let b = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "unknown@example.jp", "password": "wrong password!"})),
        )
        .await;
    assert_eq!((a.status, b.status), (401, 401));
    assert_eq!(a.body, b.body);
    // Error bodies carry no personal data.
    assert!(!a.body.contains("known@example.jp"));
}

#[tokio::test]
async fn duplicate_registration_answers_alike_and_mails_the_owner() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    let first = register(&mut c, "seeker", "dup@example.jp", "First", None).await;
    let r = c
        .api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "DUP@example.jp", "password": "another password", "name": "Second", "consents": ["privacy_policy"]})))
        .await;
    assert_eq!(r.status, 201);
    assert_ne!(r.json()["user_id"], first.as_str());
    let mail = sink.wait_for("dup@example.jp");
    assert!(mail.data.contains("Subject:"));
    assert!(mail.text().contains("/password-reset"), "{}", mail.text());
    // The original account is untouched; the second password does not work.
    token(&mut c, "dup@example.jp", PW).await;
    let bad = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "dup@example.jp", "password": "another password"})),
        )
        .await;
    assert_eq!(bad.status, 401);
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn web_registration_login_dashboard_and_form_errors() {
    let s = Server::start();
    let mut c = s.client();
    // One question per page: the flow starts at the first question.
    let start = c.get("/register/employer").await;
    assert_eq!(start.status, 303);
    assert_eq!(start.location(), "/register/employer/name");
    let page = c.get("/register/employer/name").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("autocomplete=\"name\""));
    assert!(
        page.body
            .contains("<h1 class=\"question\"><label for=\"f-name\">"),
        "the question is the page's heading and the field's label"
    );
    let csrf_cookie = start
        .set_cookies()
        .into_iter()
        .find(|v| v.starts_with("__Host-tsunagu_csrf="))
        .unwrap();
    for attr in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(csrf_cookie.contains(attr), "{csrf_cookie}");
    }

    // No CSRF token: refused, nothing stored.
    let r = c
        .post_form("/register/employer/name", &[("name", "X")])
        .await;
    assert_eq!(r.status, 403);
    assert!(r.body.contains("画面の有効期限"));

    // Each step: an error tied to its field, what was typed kept.
    let step = |s: &str| format!("/register/employer/{s}");
    let r = c
        .submit(&step("name"), &step("name"), &[("name", "")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("class=\"error-summary\""));
    assert!(r.body.contains("href=\"#f-name\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("<title>エラー: "));
    let r = c
        .submit(&step("name"), &step("name"), &[("name", "佐藤 一郎")])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), step("organization"));
    let draft_cookie = r
        .set_cookies()
        .into_iter()
        .find(|v| v.starts_with("__Host-tsunagu_draft="))
        .expect("the visitor's drafts get a cookie of their own");
    for attr in [
        "Path=/",
        "Secure",
        "HttpOnly",
        "SameSite=Lax",
        "Max-Age=86400",
    ] {
        assert!(draft_cookie.contains(attr), "{draft_cookie}");
    }
    // The answer is on the server: the step shows it again.
    let back = c.get(&step("name")).await;
    assert!(back.body.contains("value=\"佐藤 一郎\""));
    let r = c
        .submit(
            &step("organization"),
            &step("organization"),
            &[("organization_name", "")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-organization_name\""));
    let r = c
        .submit(
            &step("organization"),
            &step("organization"),
            &[("organization_name", "つなぐ商事")],
        )
        .await;
    assert_eq!(r.location(), step("email"));
    let r = c
        .submit(&step("email"), &step("email"), &[("email", "sato@")])
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-email\""));
    assert!(r.body.contains("value=\"sato@\""));
    let r = c
        .submit(
            &step("email"),
            &step("email"),
            &[("email", "sato@example.jp")],
        )
        .await;
    assert_eq!(r.location(), step("password"));
    // Skipping ahead: the summary sends the visitor to the first question not answered.
    let r = c.get(&step("check")).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), step("password"));
    let r = c
        .submit(
            &step("password"),
            &step("password"),
            &[("password", "short")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-password\""));
    assert!(
        !r.body.contains("value=\"short\""),
        "a password is never sent back"
    );
    let r = c
        .submit(&step("password"), &step("password"), &[("password", PW)])
        .await;
    assert_eq!(r.location(), step("consents"));
    let r = c.submit(&step("consents"), &step("consents"), &[]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-consent_privacy\""));
    let r = c
        .submit(
            &step("consents"),
            &step("consents"),
            &[("consent_privacy", "yes")],
        )
        .await;
    assert_eq!(r.location(), step("check"));

    // Check your answers: every answer with a change link; the password never shown.
    let check = c.get(&step("check")).await;
    assert_eq!(check.status, 200);
    for shown in ["佐藤 一郎", "つなぐ商事", "sato@example.jp", "設定済み"] {
        assert!(check.body.contains(shown), "{shown}");
    }
    assert!(!check.body.contains(PW));
    assert!(
        check
            .body
            .contains("href=\"/register/employer/email?return=check\"")
    );
    // Changing one answer comes back to the summary.
    let change = c.get("/register/employer/email?return=check").await;
    assert!(change.body.contains("name=\"return\" value=\"check\""));
    assert!(change.body.contains("value=\"sato@example.jp\""));
    let r = c
        .submit(
            "/register/employer/email?return=check",
            &step("email"),
            &[("email", "sato@example.jp"), ("return", "check")],
        )
        .await;
    assert_eq!(r.location(), step("check"));
    // Another browser has no such draft.
    let mut other = s.client();
    assert_eq!(other.get(&step("check")).await.location(), step("name"));

    let r = c.submit(&step("check"), &step("check"), &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/login?m=register-done");
    assert!(
        !c.cookies.contains_key("__Host-tsunagu_draft"),
        "the draft cookie is forgotten once registered"
    );
    let login = c.get("/login?m=register-done").await;
    assert!(login.body.contains("登録を受け付けました"));

    // A wrong password: one message, the email kept.
    let r = sign_in(&mut c, "sato@example.jp", "wrong password").await;
    assert_eq!(r.status, 401);
    assert!(
        r.body
            .contains("メールアドレスまたはパスワードが正しくありません")
    );

    let before = c.cookies.get("__Host-tsunagu_csrf").cloned();
    // The company's admin must set an authenticator up first (`sign_in` does it on the
    // page it is sent to).
    let r = sign_in(&mut c, "sato@example.jp", PW).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/account/security?m=totp-required");
    let session_cookie = r
        .set_cookies()
        .into_iter()
        .find(|v| v.starts_with("__Host-tsunagu_session="))
        .unwrap();
    for attr in ["Path=/", "Secure", "HttpOnly", "SameSite=Lax"] {
        assert!(session_cookie.contains(attr), "{session_cookie}");
    }
    assert_ne!(
        c.cookies.get("__Host-tsunagu_csrf").cloned(),
        before,
        "CSRF token rotates at login"
    );

    // Until the mailed link is opened, only confirming the address is open; the link's
    // page asks for one press, which confirms it for the session already signed in.
    let held = c.get("/account").await;
    assert_eq!(held.status, 303);
    assert_eq!(held.location(), "/account/email?m=verify-first");
    let link = format!(
        "/verify-email/{}",
        mailed_token(&c.base, "sato@example.jp", "/verify-email/")
    );
    let r = c.submit(&link, &link, &[]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/account/email?m=email-verified");

    let d = c.get("/account").await;
    assert_eq!(d.status, 200);
    assert_eq!(d.header("cache-control"), "no-store");
    for s in [
        "佐藤 一郎",
        "sato@example.jp",
        "つなぐ商事",
        "管理者",
        "運営による確認待ち",
        "個人情報の取扱い",
        "2026-11-01",
        "ログイン中の端末",
        "この端末",
    ] {
        assert!(d.body.contains(s), "dashboard lacks {s}");
    }
    // An employer has no sensitive-data consent to give.
    assert!(!d.body.contains("/consents/sensitive_data/give"));

    // English, switched by the form on every page.
    let r = c
        .submit(
            "/dashboard",
            "/settings/lang",
            &[("lang", "en"), ("next", "/dashboard")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/dashboard");
    let d = c.get("/account").await;
    assert!(d.body.contains("<html lang=\"en\""));
    assert!(d.body.contains("Signed-in devices"));
    // Open redirects are refused.
    let r = c
        .submit(
            "/dashboard",
            "/settings/lang",
            &[("lang", "ja"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(r.location(), "/");

    let r = c.submit("/dashboard", "/logout", &[]).await;
    assert_eq!(r.status, 303);
    let d = c.get("/dashboard").await;
    assert_eq!(d.status, 303);
    assert!(d.location().starts_with("/login"));
}

#[tokio::test]
async fn security_headers_and_no_state_change_on_get() {
    let s = Server::start();
    let mut c = s.client();
    let r = c.get("/").await;
    let csp = r.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    assert_eq!(r.header("x-frame-options"), "DENY");
    assert!(
        r.header("strict-transport-security").is_empty(),
        "no HSTS on plain http"
    );
    assert!(!r.body.contains("<script>"), "no inline script");
    assert!(!r.body.contains("style=\""), "no inline style");
    // State changes only by POST: GET on those paths is not a route.
    for p in [
        "/logout",
        "/session/extend",
        "/settings/lang",
        "/consents/sensitive_data/withdraw",
    ] {
        assert_eq!(c.get(p).await.status, 404, "{p}");
    }
    assert_eq!(c.get("/no/such/page").await.status, 404);
    assert_eq!(c.get("/healthz").await.body, "ok");
    assert_eq!(c.get("/readyz").await.status, 200);
    let doc = c.get("/api/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.1.0");

    let https = Server::builder()
        .env("TSUNAGU_PUBLIC_URL", "https://tsunagu.example")
        .start();
    let mut c = https.client();
    assert!(
        c.get("/")
            .await
            .header("strict-transport-security")
            .starts_with("max-age=")
    );
}

/// A staff account made by `tsunagu operator create` (no role when `role` is empty: made
/// with `support`, which is then taken away), its password set through the one-time
/// link; its bearer token.
pub(crate) async fn staff_token(s: &Server, c: &mut Client, email: &str, role: &str) -> String {
    let out = s.command(&[
        "operator",
        "create",
        "--email",
        email,
        "--name",
        "運営 職員",
        "--role",
        if role.is_empty() { "support" } else { role },
    ]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = text.lines().last().unwrap().trim().to_owned();
    let tok = link.rsplit('/').next().unwrap().to_owned();
    assert!(link.contains("/password-reset/"), "{text}");
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": tok, "password": PW})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    if role.is_empty() {
        let out = s.command(&["operator", "role", email, "support", "off"]);
        assert!(out.status.success());
    }
    token(c, email, PW).await
}

#[tokio::test]
async fn every_route_has_a_rule_and_the_rule_holds() {
    let s = Server::start();
    let out = s.command(&["routes"]);
    assert!(out.status.success());
    let routes: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(routes.len() >= 40);
    let mut c = s.client();
    // The document as served, generated from the route table and the types.
    let served = c.get("/api/openapi.json").await;
    assert_eq!(served.status, 200);
    let doc: Value = serde_json::from_str(&served.body).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    register(&mut c, "seeker", "s@example.jp", "S", None).await;
    register(&mut c, "employer", "e@example.jp", "E", Some("Co")).await;
    register(&mut c, "supporter", "p@example.jp", "P", Some("Fa")).await;
    let tokens = [
        ("seeker", token(&mut c, "s@example.jp", PW).await),
        ("employer", token(&mut c, "e@example.jp", PW).await),
        ("supporter", token(&mut c, "p@example.jp", PW).await),
    ];
    // The operator's staff, one role each (and one with none).
    let mut staff = Vec::new();
    for role in [
        "admin",
        "support",
        "privacy_officer",
        "billing",
        "agency",
        "",
    ] {
        let email = format!(
            "staff-{}@example.jp",
            if role.is_empty() { "none" } else { role }
        );
        staff.push((role, staff_token(&s, &mut c, &email, role).await));
    }

    for r in &routes {
        let method = r["method"].as_str().unwrap();
        let path = r["path"].as_str().unwrap();
        let rule = r["rule"].as_str().unwrap();
        let concrete = path
            .replace("{kind}", "seeker")
            .replace("{id}", "x")
            .replace("{token}", "x")
            .replace("{file}", "app.css");
        let concrete = if path.starts_with("/api/v1/me/consents/") {
            concrete.replace("seeker", "sensitive_data")
        } else {
            concrete
        };
        if path.starts_with("/api/v1/") {
            // Every API route is documented.
            assert!(
                doc["paths"][path][method.to_lowercase()].is_object(),
                "{method} {path} missing from the served OpenAPI document"
            );
            let anon = c.api(method, &concrete, None, Some(json!({}))).await;
            match rule {
                "public" => assert_ne!(anon.status, 401, "{method} {path}"),
                _ => assert_eq!(
                    anon.status, 401,
                    "{method} {path} must refuse anonymous callers"
                ),
            }
            if rule == "staff" {
                let roles: Vec<&str> = r["kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap())
                    .collect();
                for (kind, tok) in &tokens {
                    let resp = c.api(method, &concrete, Some(tok), Some(json!({}))).await;
                    assert_eq!(resp.status, 403, "{method} {path} must refuse {kind}");
                }
                for (role, tok) in &staff {
                    let resp = c.api(method, &concrete, Some(tok), Some(json!({}))).await;
                    if roles.contains(role) {
                        assert_ne!(resp.status, 403, "{method} {path} as {role}");
                    } else {
                        assert_eq!(
                            resp.status, 403,
                            "{method} {path} must refuse the role {role:?}"
                        );
                    }
                }
            }
            if rule == "kinds" {
                let kinds: Vec<&str> = r["kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|k| k.as_str().unwrap())
                    .collect();
                for (kind, tok) in &tokens {
                    let resp = c.api(method, &concrete, Some(tok), Some(json!({}))).await;
                    if kinds.contains(kind) {
                        // An allowed kind is not refused by the route rule; the only 403
                        // it may meet is the business rule that an unverified company
                        // cannot read seekers (asserted in disclosure.rs).
                        let unverified = resp.status == 403
                            && resp.json()["error"]["code"] == "company_unverified";
                        assert!(
                            resp.status != 403 || unverified,
                            "{method} {path} as {kind}: {}",
                            resp.status
                        );
                    } else {
                        assert_eq!(resp.status, 403, "{method} {path} must refuse {kind}");
                    }
                }
            }
        } else {
            let mut anon = s.client();
            let resp = if method == "GET" {
                anon.get(&concrete).await
            } else {
                anon.post_form(&concrete, &[]).await
            };
            match rule {
                "public" => assert!(
                    resp.status != 401
                        && !(resp.status == 303 && resp.location().starts_with("/login")),
                    "{method} {path}"
                ),
                _ => {
                    assert_eq!(
                        resp.status, 303,
                        "{method} {path} must send anonymous users to sign in"
                    );
                    assert!(resp.location().starts_with("/login"));
                }
            }
        }
    }
}

#[tokio::test]
async fn sessions_are_listed_and_revocable() {
    let s = Server::start();
    let mut c = s.client();
    register(
        &mut c,
        "supporter",
        "staff@example.jp",
        "職員",
        Some("センター"),
    )
    .await;
    let a = token(&mut c, "staff@example.jp", PW).await;
    let b = token(&mut c, "staff@example.jp", PW).await;
    let list = c
        .api("GET", "/api/v1/me/sessions", Some(&a), None)
        .await
        .json();
    let sessions = list["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let current = list["current"].as_str().unwrap();
    let other = sessions
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .find(|id| *id != current)
        .unwrap();
    assert_eq!(
        c.api(
            "POST",
            &format!("/api/v1/me/sessions/{other}/revoke"),
            Some(&a),
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(c.api("GET", "/api/v1/me", Some(&b), None).await.status, 401);
    assert_eq!(c.api("GET", "/api/v1/me", Some(&a), None).await.status, 200);
    // Someone else's session id is not found.
    register(&mut c, "seeker", "x@example.jp", "X", None).await;
    let x = token(&mut c, "x@example.jp", PW).await;
    assert_eq!(
        c.api(
            "POST",
            &format!("/api/v1/me/sessions/{current}/revoke"),
            Some(&x),
            None
        )
        .await
        .status,
        404
    );
}

async fn sign_in_late(c: &mut Client, page: &str) -> Resp {
    c.submit(
        page,
        page,
        &[("email", "late@example.jp"), ("password", PW)],
    )
    .await
}

#[tokio::test]
async fn a_form_sent_after_a_time_out_is_kept_and_offered_again() {
    let s = Server::builder()
        .env("TSUNAGU_SESSION_IDLE_SECONDS", "2")
        .start();
    let mut c = s.client();
    register(&mut c, "seeker", "late@example.jp", "遅 太郎", None).await;
    let r = sign_in_late(&mut c, "/login").await;
    assert_eq!(r.status, 303);
    let form = c.get("/profile/career").await;
    let csrf = form.csrf();
    // The seeker types for longer than the idle time-out, then sends.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let r = c
        .post_form(
            "/profile/career",
            &[
                ("_csrf", &csrf),
                ("skills", "表計算KEPT7"),
                ("education", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location(),
        "/login?expired=1&kept=1&next=%2Fprofile%2Fcareer"
    );
    let page = c.get(&r.location()).await;
    assert!(page.body.contains("入力された内容は保存してあります"));
    assert!(
        page.body
            .contains("action=\"/login?next=%2Fprofile%2Fcareer\""),
        "signing in leads back to the form"
    );
    assert!(
        !page.body.contains("KEPT7"),
        "the typed text is not in the login page"
    );
    let r = sign_in_late(&mut c, &r.location()).await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), "/profile/career");
    let back = c.get("/profile/career").await;
    assert!(
        back.body.contains("表計算KEPT7"),
        "the kept form is offered again"
    );
    assert!(
        back.body
            .contains("時間切れの前に入力された内容を戻しました")
    );
    // Offered once: from then on the form is the page's own.
    let again = c.get("/profile/career").await;
    assert!(!again.body.contains("KEPT7"));

    // A form without the right CSRF token after a time-out is not kept.
    let csrf = again.csrf();
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let r = c
        .post_form(
            "/profile/career",
            &[("_csrf", "forged"), ("skills", "FORGED7")],
        )
        .await;
    assert_eq!(r.location(), "/login?expired=1");
    assert_ne!(csrf, "forged");
    // A form after signing out is not kept either (only a time-out keeps one).
    sign_in_late(&mut c, "/login").await;
    let form = c.get("/profile/career").await;
    let csrf = form.csrf();
    let session = c.cookies.get("__Host-tsunagu_session").cloned().unwrap();
    c.post_form("/logout", &[("_csrf", &csrf)]).await;
    c.cookies.insert("__Host-tsunagu_session".into(), session);
    let r = c
        .post_form("/profile/career", &[("_csrf", &csrf), ("skills", "OUT7")])
        .await;
    assert_eq!(r.location(), "/login?expired=1");
}

#[tokio::test]
async fn idle_timeout_ends_web_sessions_and_extend_keeps_them() {
    let s = Server::builder()
        .env("TSUNAGU_SESSION_IDLE_SECONDS", "3")
        .start();
    let mut c = s.client();
    register(&mut c, "seeker", "idle@example.jp", "I", None).await;
    let r = sign_in(&mut c, "idle@example.jp", PW).await;
    assert_eq!(r.status, 303);
    let d = c.get("/dashboard").await;
    assert!(
        d.body.contains("data-idle-left=\""),
        "pages carry the idle deadline for the warning"
    );
    assert!(d.body.contains("id=\"idle-extend\""));
    // "Extend" keeps the session alive past the original idle deadline.
    let csrf = d.csrf();
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let r = c.post_form("/session/extend", &[("_csrf", &csrf)]).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["idle_left"], 3);
    }
    assert_eq!(
        c.get("/dashboard").await.status,
        200,
        "still signed in after 4.5 s thanks to extend"
    );
    // Without the CSRF token, extend is refused.
    assert_eq!(c.post_form("/session/extend", &[]).await.status, 403);
    tokio::time::sleep(std::time::Duration::from_millis(4200)).await;
    let d = c.get("/dashboard").await;
    assert_eq!(d.status, 303);
    assert_eq!(d.location(), "/login?expired=1");
    let l = c.get("/login?expired=1").await;
    assert!(l.body.contains("一定時間操作がなかったため"));
}

#[tokio::test]
async fn login_is_rate_limited() {
    let s = Server::builder()
        .env("TSUNAGU_RATE_LOGIN_PER_ACCOUNT", "3")
        .start();
    let mut c = s.client();
    let mut last = 0;
    for _ in 0..4 {
        last = c
            .api(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "victim@example.jp", "password": "guess guess"})),
            )
            .await
            .status;
    }
    assert_eq!(last, 429);
    let r = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "victim@example.jp", "password": "guess guess"})),
        )
        .await;
    assert_eq!(r.json()["error"]["code"], "rate_limited");
    // Three per 15 minutes: one more try every 300 s, and the header says so.
    let wait: u64 = r.header("retry-after").parse().unwrap();
    assert!((290..=300).contains(&wait), "Retry-After: {wait}");
    // Other accounts are not locked by it.
    let other = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "someone@example.jp", "password": "guess guess"})),
        )
        .await;
    assert_eq!(other.status, 401);
}
