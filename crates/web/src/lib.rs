//! HTTP: HTML pages (askama templates) and the JSON API under `/api/v1`, with sessions,
//! CSRF protection, security headers and a rule for every route. Writes no SQL.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

// Shared pieces (no feature module is imported by them).
pub mod api;
pub mod app;
pub mod billing;
pub mod csv;
pub mod drafts;
pub mod error;
pub mod forms;
pub mod guard;
pub mod i18n;
pub mod jst;
pub mod limit;
pub mod listings;
pub mod mail;
pub mod openapi;
pub mod pdf;
pub mod prefs;
pub mod request;
pub mod routes;
pub mod site;
pub mod view;

// Features: each folder holds its pages, API handlers and use cases.
pub mod accessibility;
pub mod accounts;
pub mod applications;
pub mod employer;
pub mod facility;
pub mod jobs;
pub mod messages;
pub mod notifications;
pub mod operator;
pub mod privacy;
pub mod profiles;
pub mod retention;
pub mod statistics;

use std::sync::Arc;
use store::Store;
use store::sessions::Timeouts;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address users reach the site at, for links in mails (no trailing slash).
    pub public_url: String,
    pub web_session: Timeouts,
    pub api_session: Timeouts,
    /// Seconds a password-reset link stays valid.
    pub reset_ttl: i64,
    /// Seconds an invitation stays valid.
    pub invitation_ttl: i64,
    pub limits: limit::Limits,
    /// Use `X-Forwarded-For` for the client address (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// Days after its last confirmation that a posting leaves the listings.
    pub stale_after_days: i64,
    /// The Japanese TrueType font embedded in PDFs.
    pub pdf_font: std::path::PathBuf,
    /// How long each kind of data is kept (the days a closed account is kept before
    /// the retention run erases it).
    pub keeping: store::erasure::Keeping,
    /// Who runs the site, as the privacy page must name them (APPI 32).
    pub operator: OperatorInfo,
    /// The smallest number of people a published statistics cell may describe.
    pub statistics_k: u32,
}

/// The operator as the privacy page names it (from configuration; `None`: not set, and
/// the page says so).
#[derive(Debug, Clone, Default)]
pub struct OperatorInfo {
    pub name: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    /// Where requests and complaints about personal data go (an address, a mail address).
    pub desk: Option<String>,
    /// 電気通信事業の届出番号.
    pub telecom_number: Option<String>,
    /// 特定募集情報等提供事業の届出受理番号.
    pub recruiting_number: Option<String>,
    /// 適格請求書発行事業者登録番号 (`T` and 13 digits), printed on every invoice.
    pub registration_number: Option<String>,
}

impl OperatorInfo {
    /// Who issues invoices, or `None` while the name or the registration number is
    /// not configured (no invoice may be issued without them).
    pub fn issuer(&self) -> Option<store::billing::Issuer> {
        Some(store::billing::Issuer {
            name: self.name.clone().filter(|n| !n.trim().is_empty())?,
            address: self.address.clone().unwrap_or_default(),
            registration_number: self.registration_number.clone()?,
        })
    }
}

impl WebConfig {
    pub fn hsts(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Everything a handler needs.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub cfg: Arc<WebConfig>,
    pub limiter: Arc<limit::Limiter>,
    pub listings: Arc<listings::Listings>,
}

impl AppState {
    pub fn new(store: Store, cfg: WebConfig) -> Result<Self, String> {
        let limiter = Arc::new(limit::Limiter::new(cfg.limits.clone()));
        let listings = Arc::new(
            listings::Listings::new(cfg.stale_after_days)
                .map_err(|e| format!("search index: {e}"))?,
        );
        Ok(Self {
            store,
            cfg: Arc::new(cfg),
            limiter,
            listings,
        })
    }

    /// Brings the listings up to date with every change in the database (also those
    /// made through other nodes; the worker calls this every few seconds).
    pub async fn refresh_listings(&self) {
        if let Err(e) = self.listings.refresh(&self.store).await {
            tracing::error!(error = %e, "listings refresh failed");
        }
    }

    /// The search index, first brought up to date with every change this node's store
    /// announced, so a reader always sees the writes that were answered before: no
    /// handler that changes postings has to remember the index.
    pub async fn index(&self) -> &search::JobIndex {
        let announced = self.store.listings_version();
        if self.listings.applied() < announced {
            match self.listings.refresh(&self.store).await {
                Ok(_) => self.listings.mark_applied(announced),
                Err(e) => tracing::error!(error = %e, "listings refresh failed"),
            }
        }
        &self.listings.index
    }
}

/// The current time in Unix seconds (the one clock of the web layer).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

pub use app::router;
