//! Longer journeys through the real server: password reset by mail, invitations and the
//! disclosure of account data, the audit chain, encryption at rest, and durability.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;
use serde_json::json;

fn link_token(text: &str, prefix: &str) -> String {
    let i = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {text}"))
        + prefix.len();
    text[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn password_reset_by_real_smtp_is_single_use_and_ends_sessions() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    register(&mut c, "seeker", "reset@example.jp", "R", None).await;
    let old_token = token(&mut c, "reset@example.jp", PW).await;

    // Registered and unknown addresses get the same answer.
    let known = c
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "reset@example.jp")],
        )
        .await;
    let unknown = c
        .submit(
            "/password-reset",
            "/password-reset",
            &[("email", "nobody@example.jp")],
        )
        .await;
    assert_eq!(
        (known.status, known.location()),
        (unknown.status, unknown.location())
    );
    let a = c
        .api(
            "POST",
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "nobody@example.jp"})),
        )
        .await;
    assert_eq!(a.status, 202);

    let mail = sink.wait_for("reset@example.jp");
    let text = mail.text();
    assert!(text.contains("1時間"), "{text}");
    let tok = link_token(&text, "/password-reset/");
    std::thread::sleep(std::time::Duration::from_millis(2500));
    assert_eq!(sink.count_to("nobody@example.jp"), 0);

    let form = c.get(&format!("/password-reset/{tok}")).await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("autocomplete=\"new-password\""));
    // Too short: a field error, the token still valid.
    let r = c
        .submit(
            &format!("/password-reset/{tok}"),
            &format!("/password-reset/{tok}"),
            &[("password", "short")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("10文字以上"));
    let r = c
        .submit(
            &format!("/password-reset/{tok}"),
            &format!("/password-reset/{tok}"),
            &[("password", "a brand new password")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login?m=reset-done");

    token(&mut c, "reset@example.jp", "a brand new password").await;
    let old = c
        .api(
            "POST",
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "reset@example.jp", "password": PW})),
        )
        .await;
    assert_eq!(old.status, 401);
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&old_token), None)
            .await
            .status,
        401,
        "reset ends every session"
    );
    // Single use.
    let again = c.get(&format!("/password-reset/{tok}")).await;
    assert_eq!(again.status, 404);
    assert!(again.body.contains("このリンクは使えません"));
    let api = c
        .api(
            "POST",
            "/api/v1/auth/password-reset/confirm",
            None,
            Some(json!({"token": tok, "password": "yet another password"})),
        )
        .await;
    assert_eq!(api.status, 422);
    assert_eq!(
        api.json()["error"]["fields"]["token"]["code"],
        "reset-token-invalid"
    );
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn invitations_create_members_and_family_and_views_follow_the_policy() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    register(
        &mut c,
        "employer",
        "boss@example.jp",
        "社長",
        Some("株式会社テスト"),
    )
    .await;
    let boss = token(&mut c, "boss@example.jp", PW).await;
    let me = c.api("GET", "/api/v1/me", Some(&boss), None).await.json();
    let org = me["organizations"][0]["org_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(me["organizations"][0]["role"], "company_admin");

    // A role of the other kind of organisation is refused.
    let bad = c.api("POST", "/api/v1/invitations", Some(&boss), Some(json!({"kind": "member", "email": "r@example.jp", "organization_id": org, "role": "facility_staff"}))).await;
    assert_eq!(bad.status, 403);
    let bad = c.api("POST", "/api/v1/invitations", Some(&boss), Some(json!({"kind": "member", "email": "r@", "organization_id": org, "role": "recruiter"}))).await;
    assert_eq!(bad.status, 422);
    assert!(bad.json()["error"]["fields"]["email"].is_object());

    let r = c.api("POST", "/api/v1/invitations", Some(&boss), Some(json!({"kind": "member", "email": "recruiter@example.jp", "organization_id": org, "role": "recruiter"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mail = sink.wait_for("recruiter@example.jp");
    assert!(mail.text().contains("株式会社テスト"));
    let inv = link_token(&mail.text(), "/invite/");
    let page = c.get(&format!("/invite/{inv}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("recruiter@example.jp") && page.body.contains("採用担当"));
    let acc = c
        .submit(
            &format!("/invite/{inv}"),
            &format!("/invite/{inv}"),
            &[
                ("name", "採用 太郎"),
                ("password", PW),
                ("consent_privacy", "yes"),
            ],
        )
        .await;
    assert_eq!(acc.status, 303, "{}", acc.body);
    // The link works once.
    assert_eq!(c.get(&format!("/invite/{inv}")).await.status, 404);

    let rec = token(&mut c, "recruiter@example.jp", PW).await;
    let me = c.api("GET", "/api/v1/me", Some(&rec), None).await.json();
    assert_eq!(me["kind"], "employer");
    assert_eq!(me["organizations"][0]["role"], "recruiter");
    // The admin sees members' names and emails; a recruiter sees names only.
    let admin_view = c
        .api("GET", "/api/v1/me/organizations", Some(&boss), None)
        .await
        .json();
    let members = admin_view["organizations"][0]["members"]
        .as_array()
        .unwrap()
        .clone();
    assert!(members.iter().any(|m| m["email"] == "recruiter@example.jp"));
    let rec_view = c
        .api("GET", "/api/v1/me/organizations", Some(&rec), None)
        .await
        .json();
    let members = rec_view["organizations"][0]["members"]
        .as_array()
        .unwrap()
        .clone();
    let boss_row = members.iter().find(|m| m["name"] == "社長").unwrap();
    assert!(boss_row.get("email").is_none(), "{boss_row}");
    // A recruiter may not invite.
    let r = c.api("POST", "/api/v1/invitations", Some(&rec), Some(json!({"kind": "member", "email": "z@example.jp", "organization_id": org, "role": "recruiter"}))).await;
    assert_eq!(r.status, 403);

    // A seeker invites family; family sees the seeker's name only.
    register(&mut c, "seeker", "seeker@example.jp", "本人 花子", None).await;
    let seeker = token(&mut c, "seeker@example.jp", PW).await;
    let r = c
        .api(
            "POST",
            "/api/v1/invitations",
            Some(&seeker),
            Some(json!({"kind": "family", "email": "mother@example.jp", "relation": "mother"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let inv = link_token(&sink.wait_for("mother@example.jp").text(), "/invite/");
    let r = c.api("POST", "/api/v1/invitations/accept", None, Some(json!({"token": inv, "name": "母 洋子", "password": PW, "consents": ["privacy_policy"]}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let mother = token(&mut c, "mother@example.jp", PW).await;
    let fam = c
        .api("GET", "/api/v1/me/family", Some(&mother), None)
        .await
        .json();
    let link = &fam["family"][0];
    assert_eq!(link["name"], "本人 花子");
    assert_eq!(link["relation"], "mother");
    assert!(link.get("email").is_none());
    let fam = c
        .api("GET", "/api/v1/me/family", Some(&seeker), None)
        .await
        .json();
    assert_eq!(fam["family"][0]["email"], "mother@example.jp");
    // Employers and family may not use the family invitation.
    let r = c
        .api(
            "POST",
            "/api/v1/invitations",
            Some(&mother),
            Some(json!({"kind": "family", "email": "x@example.jp", "relation": "other"})),
        )
        .await;
    assert_eq!(r.status, 403);
    // The seeker ends the link; it takes effect on the next request.
    let link_id = fam["family"][0]["link_id"].as_str().unwrap().to_owned();
    assert_eq!(
        c.api(
            "POST",
            &format!("/api/v1/me/family/{link_id}/end"),
            Some(&seeker),
            None
        )
        .await
        .status,
        204
    );
    let fam = c
        .api("GET", "/api/v1/me/family", Some(&mother), None)
        .await
        .json();
    assert!(fam["family"].as_array().unwrap().is_empty());

    // Supporters invite staff the same way, through the page.
    register(
        &mut c,
        "supporter",
        "fac@example.jp",
        "所長",
        Some("支援センター"),
    )
    .await;
    let mut web = s.client();
    sign_in(&mut web, "fac@example.jp", PW).await;
    let page = web.get("/invitations").await;
    assert!(page.body.contains("value=\"facility_staff\""));
    let action = page
        .body
        .split("action=\"/invitations?")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let r = web
        .post_form(
            &format!("/invitations?{action}"),
            &[
                ("_csrf", &page.csrf()),
                ("email", "staff@example.jp"),
                ("role", "facility_staff"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let list = web.get("/invitations?m=invite-sent").await;
    assert!(
        list.body.contains("staff@example.jp")
            && list.body.contains("未承諾")
            && list.body.contains("招待メールを送りました")
    );
    sink.wait_for("staff@example.jp");
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}

#[tokio::test]
async fn audit_chain_verifies_and_detects_changed_and_removed_entries() {
    let mut s = Server::start();
    let mut c = s.client();
    for i in 0..3 {
        // (Left unconfirmed: the chain below is of registrations and sign-ins only.)
        register_unverified(&mut c, "seeker", &format!("a{i}@example.jp"), "A", None).await;
        token(&mut c, &format!("a{i}@example.jp"), PW).await;
    }
    s.stop();
    let ok = s.command(&["audit", "verify"]);
    let out = String::from_utf8_lossy(&ok.stdout).into_owned();
    assert!(ok.status.success(), "{out}");
    assert!(out.contains("intact: 6 entries"), "{out}");

    let exec = |sql: &str| {
        let mut conn = store::db::establish(&s.database_url).unwrap();
        use diesel_like::Exec;
        conn.exec(sql);
    };
    exec("UPDATE audit_log SET action = 'account.read' WHERE seq = 2");
    let bad = s.command(&["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("entry 2: entry changed"));
    exec("UPDATE audit_log SET action = 'session.login.api.password' WHERE seq = 2");
    assert!(
        s.command(&["audit", "verify"]).status.success(),
        "restoring the value restores the chain"
    );

    exec("DELETE FROM audit_log WHERE seq = 6");
    let bad = s.command(&["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("removed"));

    exec("DELETE FROM audit_log WHERE seq = 3");
    let bad = s.command(&["audit", "verify"]);
    assert!(String::from_utf8_lossy(&bad.stdout).contains("entry 3: entry missing"));
}

/// A tiny shim so the test can run raw SQL on either backend through the store's connection.
mod diesel_like {
    pub trait Exec {
        fn exec(&mut self, sql: &str);
    }
    impl Exec for store::DbConn {
        fn exec(&mut self, sql: &str) {
            store::db::execute_raw(self, sql).unwrap();
        }
    }
}

#[tokio::test]
async fn sensitive_fields_are_never_stored_or_logged_in_plaintext() {
    let mut s = Server::start();
    let mut c = s.client();
    let name = "MARKERNAME7f3a";
    let email = "markeremail9c1d@example.jp";
    register(&mut c, "seeker", email, name, None).await;
    let t = token(&mut c, email, PW).await;
    assert_eq!(
        c.api("GET", "/api/v1/me", Some(&t), None).await.json()["name"],
        name
    );
    // A failed login with the marker as the email, and a bad registration carrying it.
    c.api(
        "POST",
        "/api/v1/auth/login",
        None,
        Some(json!({"email": "markerlogin4e2b@example.jp", "password": "nope nope nope"})),
    )
    .await;
    c.api("POST", "/api/v1/auth/register", None, Some(json!({"kind": "seeker", "email": "markerbad@", "password": "x", "name": "MARKERBADNAME", "consents": []}))).await;
    s.stop();

    let logs = s.logs();
    for m in [
        name,
        email,
        "markerlogin4e2b",
        "markerbad@",
        "MARKERBADNAME",
    ] {
        assert!(!logs.contains(m), "{m} found in logs");
    }
    if backend() == "sqlite" {
        let mut bytes = Vec::new();
        for f in std::fs::read_dir(s.dir.path()).unwrap() {
            let p = f.unwrap().path();
            if p.to_string_lossy().contains("tsunagu.sqlite3") {
                bytes.extend(std::fs::read(&p).unwrap());
            }
        }
        assert!(bytes.len() > 10_000);
        let hay = String::from_utf8_lossy(&bytes);
        for m in [name, email, "markeremail9c1d"] {
            assert!(!hay.contains(m), "{m} found in the raw database file");
        }
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    // A real process, killed with SIGKILL: nothing of the server gets to clean up.
    let mut s = Server::builder().process().start();
    let base = s.base.clone();
    let mut handles = Vec::new();
    for w in 0..4 {
        let base = base.clone();
        handles.push(tokio::spawn(async move {
            let mut c = Client::new(&base);
            let mut acked = Vec::new();
            for i in 0..200 {
                let email = format!("k{w}-{i}@example.jp");
                let r = tokio::time::timeout(
                    std::time::Duration::from_secs(5),
                    c.try_post_json("/api/v1/auth/register", json!({"kind": "seeker", "email": email, "password": PW, "name": "K", "consents": ["privacy_policy"]})),
                );
                match r.await {
                    Ok(Ok(resp)) if resp.status == 201 => acked.push(email),
                    _ => break,
                }
            }
            acked
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    s.kill();
    let mut acked = Vec::new();
    for h in handles {
        if let Ok(a) = h.await {
            acked.extend(a);
        }
    }
    assert!(
        acked.len() > 5,
        "too few writes before the kill: {}",
        acked.len()
    );
    s.launch();
    let mut c = s.client();
    for email in &acked {
        let r = c
            .api(
                "POST",
                "/api/v1/auth/login",
                None,
                Some(json!({"email": email, "password": PW})),
            )
            .await;
        assert_eq!(
            r.status, 200,
            "acknowledged registration of {email} lost after SIGKILL"
        );
    }
    let ok = s.command(&["audit", "verify"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
}

#[tokio::test]
async fn mail_survives_a_mail_server_that_is_down() {
    // SMTP points at a port where nobody listens.
    let dead = free_port();
    let mut s = Server::builder()
        .env("TSUNAGU_SMTP_HOST", "127.0.0.1")
        .env("TSUNAGU_SMTP_PORT", &dead.to_string())
        .env("TSUNAGU_SMTP_TLS", "none")
        .start();
    let mut c = s.client();
    // Its confirmation link is queued too, and waits with the reset.
    register_unverified(&mut c, "seeker", "down@example.jp", "D", None).await;
    let r = c
        .api(
            "POST",
            "/api/v1/auth/password-reset",
            None,
            Some(json!({"email": "down@example.jp"})),
        )
        .await;
    assert_eq!(r.status, 202);
    std::thread::sleep(std::time::Duration::from_millis(3000));
    s.stop();
    assert!(
        s.logs().contains("mail delivery failed; will retry"),
        "{}",
        s.logs()
    );
    assert!(
        !s.logs().contains("down@example.jp"),
        "addresses never reach the log"
    );
    // The server comes back: everything queued is delivered.
    let sink = SmtpSink::start();
    let port = sink.port.to_string();
    for (k, v) in s.env.iter_mut() {
        if k == "TSUNAGU_SMTP_PORT" {
            *v = port.clone();
        }
    }
    let out = s.command(&["send-mail", "--all"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 mail(s) delivered"));
    let mail = sink.wait_for("down@example.jp");
    assert!(mail.text().contains("/password-reset/"));
    assert_eq!(
        sink.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.confirms_address())
            .count(),
        1
    );
    // Delivered mail is not sent twice.
    let again = s.command(&["send-mail", "--all"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 mail(s) delivered"));
    assert!(sink.assert_well_formed() > 0, "no mail was checked");
}
