//! The accessibility statement and the barrier report that reaches the operator,
//! sealed at rest and erased when handled.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;

#[tokio::test]
async fn the_statement_and_a_barrier_report_reach_the_operator() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());
    let mut anon = s.client();
    let home = anon.get("/").await;
    assert!(
        home.body.contains("href=\"/accessibility\""),
        "linked from every page"
    );
    let page = anon.get("/accessibility").await;
    assert_eq!(page.status, 200);
    for text in [
        "WCAG 2.2",
        "JIS X 8341-3:2016",
        "axe-core",
        "分かっている課題",
        "使いにくいところを知らせる",
    ] {
        assert!(page.body.contains(text), "statement states {text}");
    }
    // An empty report: the error names the field; what was typed stays.
    let r = anon
        .submit(
            "/accessibility",
            "/accessibility",
            &[
                ("page", "求人を探す"),
                ("description", ""),
                ("contact", "not-an-email"),
            ],
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("href=\"#f-description\"") && r.body.contains("href=\"#f-contact\""));
    assert!(r.body.contains("value=\"求人を探す\""));
    // A real one.
    let marker = "BARRIERMARK7 読み上げソフトで検索ボタンの名前が読まれません";
    let r = anon
        .submit(
            "/accessibility",
            "/accessibility",
            &[
                ("page", "求人を探す"),
                ("description", marker),
                ("contact", "me@example.jp"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/accessibility?m=barrier-sent"));
    if backend() == "sqlite" {
        for f in ["tsunagu.sqlite3", "tsunagu.sqlite3-wal"] {
            let p = s.dir.path().join(f);
            if let Ok(bytes) = std::fs::read(&p) {
                assert!(
                    !bytes.windows(12).any(|w| w == b"BARRIERMARK7"),
                    "sealed at rest ({f})"
                );
            }
        }
    }
    assert!(!s.logs().contains("BARRIERMARK7"), "never logged");
    // The operator reads it, handles it, and the text is gone.
    let mut op = page_client(&s, "operator@demo.tsunagu.example", "tsunagu-demo-2026").await;
    let q = op.get("/operator").await;
    assert!(
        q.body.contains("BARRIERMARK7") && q.body.contains("me@example.jp"),
        "reaches the operator"
    );
    let id = q
        .body
        .split("/operator/barriers/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let r = op
        .submit(
            "/operator",
            &format!("/operator/barriers/{id}/resolve"),
            &[],
        )
        .await;
    assert_eq!(r.status, 303);
    assert!(!op.get("/operator").await.body.contains("BARRIERMARK7"));
    let r = op
        .submit(
            "/operator",
            &format!("/operator/barriers/{id}/resolve"),
            &[],
        )
        .await;
    assert_eq!(r.status, 404, "handled once");
    // Other kinds of user cannot handle reports.
    let mut seeker = s.client();
    seeker
        .submit(
            "/login",
            "/login",
            &[
                ("email", "seeker@demo.tsunagu.example"),
                ("password", "tsunagu-demo-2026"),
            ],
        )
        .await;
    let r = seeker
        .submit(
            "/dashboard",
            &format!("/operator/barriers/{id}/resolve"),
            &[],
        )
        .await;
    assert_eq!(r.status, 403, "only operators");
}
