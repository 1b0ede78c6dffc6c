//! Display settings, furigana and easy Japanese, over HTTP: a visitor keeps them in a
//! cookie, a signed-in user's follow the account to another device, bad input changes
//! nothing, and furigana never touches what users typed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support::*;

fn html_class(body: &str) -> String {
    let i = body.find("<html").unwrap();
    let tag = &body[i..i + body[i..].find('>').unwrap()];
    tag.split("class=\"")
        .nth(1)
        .unwrap_or("")
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

async fn demo_client(s: &Server, email: &str) -> Client {
    page_client(s, email, "tsunagu-demo-2026").await
}

#[tokio::test]
async fn display_settings_furigana_and_easy_japanese() {
    let s = Server::start();
    assert!(s.command(&["demo"]).status.success());

    // A visitor: standard display, no furigana.
    let mut anon = s.client();
    let home = anon.get("/").await;
    assert_eq!(html_class(&home.body), "ts-0");
    assert!(!home.body.contains("<ruby>"));
    assert!(
        home.body.contains("href=\"/settings/display\""),
        "linked from every page"
    );
    assert!(
        home.body.contains("aria-pressed=\"false\""),
        "furigana switch"
    );

    // Everything on: the classes apply, furigana shows, hidden from screen readers.
    let r = anon
        .submit(
            "/settings/display",
            "/settings/display",
            &[
                ("size", "3"),
                ("contrast", "1"),
                ("motion", "1"),
                ("spacing", "1"),
                ("furigana", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/settings/display?m=display-saved");
    let page = anon.get(&r.location()).await;
    assert!(
        page.body.contains("表示の設定を保存しました"),
        "{}",
        page.body
    );
    let home = anon.get("/").await;
    assert_eq!(html_class(&home.body), "ts-3 hc rm ls furigana");
    assert!(home.body.contains(
        "<ruby>求人<rp aria-hidden=\"true\">(</rp><rt aria-hidden=\"true\">きゅうじん</rt>"
    ));
    // Never in attributes or the title.
    let title = home
        .body
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(!title.contains('<'), "{title}");
    assert!(home.body.contains("aria-label=\"メインメニュー\""));

    // The header switch turns furigana off and comes back to the same page.
    let r = anon
        .submit(
            "/",
            "/settings/furigana",
            &[("furigana", "0"), ("next", "/jobs?q=%E4%BA%8B%E5%8B%99")],
        )
        .await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/jobs?q=%E4%BA%8B%E5%8B%99");
    let home = anon.get("/").await;
    assert_eq!(html_class(&home.body), "ts-3 hc rm ls");
    assert!(!home.body.contains("<ruby>"));
    // Each page's switches come back to the same page, query included.
    let jobs = anon.get("/jobs?q=%E4%BA%8B%E5%8B%99").await;
    assert!(
        jobs.body
            .contains("name=\"next\" value=\"/jobs?q=%E4%BA%8B%E5%8B%99\"")
    );
    // Only this site's paths are followed.
    let r = anon
        .submit(
            "/",
            "/settings/furigana",
            &[("furigana", "1"), ("next", "//evil.example/")],
        )
        .await;
    assert_eq!(r.location(), "/");

    // Bad input: refused or ignored, nothing already chosen is lost.
    let r = anon
        .submit(
            "/",
            "/settings/furigana",
            &[("furigana", "maybe"), ("next", "/")],
        )
        .await;
    assert_eq!(r.status, 400);
    let r = anon
        .submit(
            "/settings/display",
            "/settings/display",
            &[("size", "9"), ("contrast", "<script>")],
        )
        .await;
    assert_eq!(r.status, 303);
    let home = anon.get("/").await;
    assert_eq!(html_class(&home.body), "ts-3 hc rm ls furigana");

    // Easy Japanese: the third language; the page is still lang="ja".
    let r = anon
        .submit(
            "/",
            "/settings/lang",
            &[("lang", "easy"), ("next", "/jobs")],
        )
        .await;
    assert_eq!(r.status, 303);
    let jobs = anon.get("/jobs").await;
    assert!(jobs.body.contains("<html lang=\"ja\""));
    assert!(
        jobs.body
            .contains("value=\"ja\" lang=\"ja\">日本語</button>")
    );
    assert!(
        jobs.body
            .contains("value=\"en\" lang=\"en\">English</button>")
    );
    assert!(
        !jobs.body.contains("value=\"easy\""),
        "the current language is not offered"
    );
    assert!(
        jobs.body.contains("<ruby>仕事<rp"),
        "easy Japanese with furigana"
    );
    let r = anon
        .submit(
            "/",
            "/settings/furigana",
            &[("furigana", "0"), ("next", "/jobs")],
        )
        .await;
    assert_eq!(r.status, 303);
    let jobs = anon.get("/jobs").await;
    assert!(jobs.body.contains("仕事を 探す"), "easy Japanese text");
    // English has no furigana switch.
    anon.submit("/", "/settings/lang", &[("lang", "en"), ("next", "/")])
        .await;
    let home = anon.get("/").await;
    assert!(home.body.contains("<html lang=\"en\""));
    assert!(!home.body.contains("/settings/furigana"));
    // An unknown language is refused.
    let r = anon
        .submit("/", "/settings/lang", &[("lang", "xx"), ("next", "/")])
        .await;
    assert_eq!(r.status, 400);

    // A signed-in seeker chooses on one device; another device gets the same.
    let mut phone = demo_client(&s, "seeker@demo.tsunagu.example").await;
    let r = phone
        .submit(
            "/settings/display",
            "/settings/display",
            &[
                ("size", "2"),
                ("contrast", "0"),
                ("motion", "0"),
                ("spacing", "1"),
                ("furigana", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 303);
    let mut desktop = demo_client(&s, "seeker@demo.tsunagu.example").await;
    let dash = desktop.get("/dashboard").await;
    assert_eq!(dash.status, 200);
    assert_eq!(html_class(&dash.body), "ts-2 ls furigana");
    // User-entered text is left as written: readings only on the interface's text.
    let profile = desktop.get("/profile").await;
    assert!(profile.body.contains("<ruby>"));
    assert!(profile.body.contains("山田 花子"), "the name as typed");
    assert!(profile.body.contains("手順が決まっている作業が得意です。"));
}

#[tokio::test]
async fn display_choices_made_before_sign_in_are_kept_after_it() {
    let s = Server::start();
    let mut c = s.client();
    register(
        &mut c,
        "seeker",
        "lowvision@example.jp",
        "見えにくい 人",
        None,
    )
    .await;

    // A visitor chooses 200 % text and furigana, then signs in.
    let mut web = s.client();
    let r = web
        .submit(
            "/settings/display",
            "/settings/display",
            &[("size", "3"), ("furigana", "1")],
        )
        .await;
    assert_eq!(r.status, 303);
    let r = sign_in(&mut web, "lowvision@example.jp", PW).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let dash = web.get("/dashboard").await;
    assert_eq!(
        html_class(&dash.body),
        "ts-3 furigana",
        "nothing shrinks at sign-in"
    );

    // They became the account's: another browser, signed in without choices, has them.
    let mut other = s.client();
    let r = sign_in(&mut other, "lowvision@example.jp", PW).await;
    assert_eq!(r.status, 303);
    let dash = other.get("/dashboard").await;
    assert_eq!(html_class(&dash.body), "ts-3 furigana");
}
