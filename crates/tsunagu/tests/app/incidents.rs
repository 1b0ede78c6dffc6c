//! The incident register over HTTP, on SQLite and PostgreSQL: only the privacy officer
//! opens it; a new incident is checked field by field (in both languages) and keeps
//! what was typed; the page says whether it must be reported and by when; the people
//! touched are listed from the access log (or everyone) and counted, never named; the
//! report's items are kept; each person is told by a real mail, no one else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::http::staff_token;
use crate::support::*;

#[tokio::test]
async fn the_privacy_officer_records_an_incident_lists_the_people_and_tells_them() {
    let sink = SmtpSink::start();
    let s = Server::builder().smtp(&sink).start();
    let mut c = s.client();
    register(&mut c, "seeker", "leak-a@example.jp", "漏えい 一郎", None).await;
    register(&mut c, "seeker", "leak-b@example.jp", "漏えい 二郎", None).await;
    let a = token(&mut c, "leak-a@example.jp", PW).await;
    let a_id = c.api("GET", "/api/v1/me", Some(&a), None).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    staff_token(&s, &mut c, "privacy@staff.example", "privacy_officer").await;
    staff_token(&s, &mut c, "support@staff.example", "support").await;

    // Only the privacy officer's.
    for who in ["support@staff.example", "leak-a@example.jp"] {
        let mut other = page_client(&s, who, PW).await;
        assert_eq!(other.get("/operator/incidents").await.status, 403, "{who}");
    }
    let mut web = page_client(&s, "privacy@staff.example", PW).await;
    let home = web.get("/operator").await;
    assert!(home.body.contains("href=\"/operator/incidents\""));
    let p = web.get("/operator/incidents").await;
    assert_eq!(p.status, 200);

    // Bad input: each field named, in both languages; what was typed stays.
    for (lang, word) in [("ja", "原因を選んでください"), ("en", "Choose the cause")] {
        web.submit(
            "/operator/incidents",
            "/settings/lang",
            &[("lang", lang), ("next", "/operator/incidents")],
        )
        .await;
        let r = web
            .submit(
                "/operator/incidents",
                "/operator/incidents",
                &[("summary", "誤送信の件"), ("found_at", "2999-01-01T10:00")],
            )
            .await;
        assert_eq!(r.status, 422);
        for f in ["#f-kinds", "#f-cause", "#f-found_at"] {
            assert!(r.body.contains(&format!("href=\"{f}\"")), "{f}: {}", r.body);
        }
        assert!(r.body.contains(word), "{}", r.body);
        assert!(r.body.contains("誤送信の件"), "the summary is kept");
    }
    web.submit(
        "/operator/incidents",
        "/settings/lang",
        &[("lang", "ja"), ("next", "/operator/incidents")],
    )
    .await;
    assert!(
        !web.get("/operator/incidents")
            .await
            .body
            .contains("誤送信の件"),
        "nothing saved"
    );

    // One person's sensitive data, by mistake: reportable, with its deadlines.
    let r = web
        .submit(
            "/operator/incidents",
            "/operator/incidents",
            &[
                ("summary", "支援記録を別の事業所に誤送信しました"),
                ("kinds", "sensitive"),
                ("kinds", "contact"),
                ("cause", "misdelivery"),
                ("cause_detail", "宛先の選択誤り"),
                ("found_at", "2026-12-01T10:00"),
                ("people_estimate", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let at = r.location();
    assert!(
        at.starts_with("/operator/incidents/") && at.ends_with("?m=incident-created"),
        "{at}"
    );
    let path = at.split('?').next().unwrap().to_owned();
    let p = web.get(&at).await;
    assert!(
        p.body.contains("報告と、本人への通知が必要です"),
        "{}",
        p.body
    );
    assert!(p.body.contains("要配慮個人情報が含まれる"));
    assert!(
        p.body.contains("2026年12月6日") && p.body.contains("2026年12月31日"),
        "deadlines: {}",
        p.body
    );
    let list = web.get("/operator/incidents").await;
    assert!(
        list.body.contains("支援記録を別の事業所に誤送信しました")
            && list.body.contains("速報の期限")
    );

    // The people: from the access log by one account (A acted on no one else: none),
    // then from the whole log; counted, not named.
    let r = web
        .submit(
            &path,
            &format!("{path}/scope"),
            &[
                ("by", "access"),
                ("from", "2000-01-01T00:00"),
                ("until", "2100-01-01T00:00"),
                ("actor", &a_id),
            ],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(web.get(&path).await.body.contains("一覧にした人: 0人"));
    let r = web
        .submit(
            &path,
            &format!("{path}/scope"),
            &[
                ("by", "access"),
                ("from", "2100-01-01T00:00"),
                ("until", "2000-01-01T00:00"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-until\""));
    let r = web
        .submit(
            &path,
            &format!("{path}/scope"),
            &[
                ("by", "access"),
                ("from", "2000-01-01T00:00"),
                ("until", "2100-01-01T00:00"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let p = web.get(&path).await;
    assert!(p.body.contains("一覧にした人: 2人"), "{}", p.body);
    assert!(
        !p.body.contains("漏えい 一郎") && !p.body.contains("leak-a@example.jp"),
        "no one is named"
    );

    // The report's items are kept; the notice's draft carries them.
    let r = web
        .submit(
            &path,
            &format!("{path}/report"),
            &[
                ("secondary_damage", "現在のところ確認されていません"),
                (
                    "response_to_people",
                    "誤送信先に削除を依頼し、削除を確認しました",
                ),
                ("publication", ""),
                ("prevention", "送信前の宛先確認を二人で行います"),
                ("other", ""),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let p = web.get(&path).await;
    assert!(
        p.body.contains("誤送信先に削除を依頼し") && p.body.contains("【つなぐ】個人情報の漏えい"),
        "{}",
        p.body
    );

    // Each listed person is told by mail; no one else.
    let r = web.submit(&path, &format!("{path}/notify"), &[]).await;
    assert_eq!(r.status, 303);
    assert!(s.command(&["send-mail", "--all"]).status.success());
    let start = std::time::Instant::now();
    let notices = || -> Vec<Received> {
        sink.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.text().contains("誤送信先に削除を依頼し"))
            .cloned()
            .collect()
    };
    while notices().len() < 2 && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let mails = notices();
    let mut to: Vec<String> = mails.iter().flat_map(|m| m.rcpt.clone()).collect();
    to.sort();
    assert_eq!(to, ["leak-a@example.jp", "leak-b@example.jp"]);
    assert!(
        mails[0]
            .text()
            .contains("支援記録を別の事業所に誤送信しました")
    );

    // The officers are reminded of the deadlines, each reminder once.
    let remind = |at: &str| {
        let out = s.command(&["incident-reminders", "--at", at]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(
        remind("2026-12-03T09:00").contains(": 0 queued"),
        "day 2: nothing yet"
    );
    assert!(remind("2026-12-05T09:00").contains(": 1 queued"));
    assert!(remind("2026-12-05T10:00").contains(": 0 queued"), "once");
    assert!(remind("2026-12-07T09:00").contains(": 1 queued"), "overdue");
    assert!(s.command(&["send-mail", "--all"]).status.success());
    let start = std::time::Instant::now();
    let reminders = || -> Vec<Received> {
        sink.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r == "privacy@staff.example"))
            .filter(|m| m.text().contains(&path))
            .cloned()
            .collect()
    };
    while reminders().len() < 2 && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(reminders().len(), 2, "the window opened, then overdue");
    assert!(
        !sink
            .mails
            .lock()
            .unwrap()
            .iter()
            .any(|m| m.rcpt.iter().any(|r| r == "support@staff.example")),
        "only privacy officers are reminded"
    );

    // The steps are marked once.
    let r = web
        .submit(&path, &format!("{path}/mark"), &[("step", "preliminary")])
        .await;
    assert_eq!(r.status, 303);
    let p = web.get(&path).await;
    assert!(
        p.body.contains("済み") && !p.body.contains("速報を提出した"),
        "{}",
        p.body
    );
    let r = web.get("/operator/incidents/no-such-incident").await;
    assert_eq!(r.status, 404);
}
