//! A route mounted without a rule in the table is refused by the guard.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::get;
use tower::ServiceExt;

#[tokio::test]
async fn a_route_without_a_rule_answers_404() {
    let dir = tempfile::tempdir().unwrap();
    let db = store::Db::open(&dir.path().join("t.sqlite3").to_string_lossy(), 2).unwrap();
    let store = store::Store::new(
        db,
        store::Keyring::new(
            store::MasterKey::generate(),
            vec![],
            store::KeyStore::open(&dir.path().join("k.sqlite3").to_string_lossy(), 2).unwrap(),
        ),
    );
    let cfg = web::WebConfig {
        statistics_k: domain::statistics::K,
        public_url: "http://localhost".into(),
        web_session: store::sessions::Timeouts {
            idle: 60,
            absolute: 600,
        },
        api_session: store::sessions::Timeouts {
            idle: 60,
            absolute: 600,
        },
        reset_ttl: 60,
        invitation_ttl: 60,
        limits: web::limit::Limits::default(),
        trust_forwarded_for: false,
        stale_after_days: 30,
        pdf_font: web::pdf::DEFAULT_FONT.into(),
        keeping: store::erasure::Keeping::default(),
        operator: web::OperatorInfo::default(),
    };
    let state = web::AppState::new(store, cfg).unwrap();
    let extra = axum::Router::new().route("/secret", get(|| async { "leaked" }));
    let app = web::app::router_with(state, extra);

    let r = app
        .clone()
        .oneshot(Request::get("/secret").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
    assert!(!String::from_utf8_lossy(&body).contains("leaked"));
    // A route in the table still works.
    let r = app
        .oneshot(Request::get("/healthz").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
