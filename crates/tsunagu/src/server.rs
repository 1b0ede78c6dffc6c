//! Running the server: opening the store from the configuration, the mail worker, the
//! sweeps and the HTTP listener. `serve` is what `tsunagu serve` runs; `serve_on` is the
//! same on a listener the caller made, until `stop` resolves (the tests run the server
//! in their own process this way).
use crate::config::Config;
use std::future::Future;
use std::io::Write;
use std::time::Duration;
use store::sessions::Timeouts;
use store::{Db, Keyring, Store};

/// The log filter: `TSUNAGU_LOG`, or info with tantivy's chatter left out.
pub fn log_filter() -> tracing_subscriber::EnvFilter {
    tracing_subscriber::EnvFilter::try_from_env("TSUNAGU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn"))
}

pub fn init_logging(cfg: &Config) {
    let filter = log_filter();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cfg.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub fn open_store(cfg: &Config) -> Result<Store, String> {
    std::fs::create_dir_all(&cfg.data_dir).map_err(|e| format!("data directory: {e}"))?;
    let (key, created) = cfg.master_key().map_err(|e| e.to_string())?;
    if created {
        tracing::warn!(
            path = %cfg.data_dir.join("master.key").display(),
            "no master key configured: created one in the data directory. Production must supply its own \
             (TSUNAGU_MASTER_KEY or TSUNAGU_MASTER_KEY_FILE) and keep it apart from database backups"
        );
    }
    let db = Db::open(&cfg.database_url, cfg.db_pool_size).map_err(|e| format!("database: {e}"))?;
    let keys = open_key_store(cfg)?;
    let moved = keys
        .adopt_legacy(&db)
        .map_err(|e| format!("key store: {e}"))?;
    if moved > 0 {
        tracing::info!(
            keys = moved,
            "moved data keys from the database into the key store"
        );
    }
    Ok(
        Store::new(db, Keyring::new(key, Vec::new(), keys)).with_files(std::sync::Arc::new(
            store::files::DiskFiles::new(cfg.data_dir.join("files")),
        )),
    )
}

/// What a public (https) site must not lack or hold, said at every start: the
/// operator's particulars for the privacy page (a warning), and never the demo accounts,
/// whose passwords are in the README (loudly, in the log and on the terminal).
async fn warn_public_site(cfg: &Config, store: &Store) {
    if !cfg.public_url.starts_with("https://") {
        return;
    }
    if cfg.operator_name.is_none() || cfg.privacy_desk.is_none() {
        tracing::warn!(
            "the privacy page names no operator or request desk: set TSUNAGU_OPERATOR_NAME, \
             _ADDRESS, _REPRESENTATIVE, TSUNAGU_PRIVACY_DESK and the notification numbers (APPI 32)"
        );
    }
    if store.demo_accounts_present().await.unwrap_or(false) {
        let msg = "DEMO ACCOUNTS ARE PRESENT on a site served over https: their passwords are \
                   published in the README. Start from an empty database (without `tsunagu demo`) \
                   and create staff with `tsunagu operator create`.";
        tracing::error!("{msg}");
        let _ = writeln!(std::io::stderr(), "WARNING: {msg}");
    }
}

/// How long each kind of data is kept (the configured period for closed accounts).
pub fn keeping(cfg: &Config) -> store::erasure::Keeping {
    store::erasure::Keeping::with_closed_days(cfg.retention_closed_days)
}

/// The key store (a database apart from the data; created on first start).
pub fn open_key_store(cfg: &Config) -> Result<store::KeyStore, String> {
    if store::Backend::of_url(&cfg.keys_url) == store::Backend::Postgres {
        store::db::ensure_pg_database(&cfg.keys_url).map_err(|e| {
            format!(
                "key store: {e} (set TSUNAGU_KEYS_URL to a PostgreSQL database apart from the data)"
            )
        })?;
    }
    store::KeyStore::open(&cfg.keys_url, cfg.db_pool_size).map_err(|e| format!("key store: {e}"))
}

pub fn web_config(cfg: &Config) -> web::WebConfig {
    web::WebConfig {
        statistics_k: cfg.statistics_k,
        public_url: cfg.public_url.clone(),
        web_session: Timeouts {
            idle: cfg
                .session_idle_seconds
                .unwrap_or(cfg.session_idle_minutes * 60),
            absolute: cfg.session_absolute_hours * 3600,
        },
        api_session: Timeouts {
            idle: cfg.api_token_days * 86_400,
            absolute: cfg.api_token_days * 86_400,
        },
        reset_ttl: 3600,
        invitation_ttl: 7 * 86_400,
        limits: web::limit::Limits {
            login_per_minute: cfg.rate_login_per_minute,
            login_per_account: cfg.rate_login_per_account,
            register_per_hour: cfg.rate_register_per_hour,
            reset_per_hour: cfg.rate_reset_per_hour,
        },
        trust_forwarded_for: cfg.trust_forwarded_for,
        stale_after_days: cfg.posting_stale_days,
        pdf_font: cfg.pdf_font.clone(),
        keeping: keeping(cfg),
        operator: web::OperatorInfo {
            name: cfg.operator_name.clone(),
            address: cfg.operator_address.clone(),
            representative: cfg.operator_representative.clone(),
            desk: cfg.privacy_desk.clone(),
            telecom_number: cfg.telecom_notice_number.clone(),
            recruiting_number: cfg.recruiting_notice_number.clone(),
            registration_number: cfg.invoice_registration_number.clone(),
        },
    }
}

pub fn mailer(cfg: &Config, store: Store) -> Result<worker::Mailer, String> {
    let transport = match &cfg.smtp_host {
        Some(host) => worker::Transport::Smtp(worker::Smtp {
            host: host.clone(),
            port: cfg.smtp_port,
            tls: worker::Tls::parse(&cfg.smtp_tls).unwrap_or(worker::Tls::StartTls),
            username: cfg.smtp_username.clone(),
            password: cfg.smtp_password.as_ref().map(|s| s.0.clone()),
        }),
        None => worker::Transport::Files(cfg.data_dir.join("mail-outbox")),
    };
    worker::Mailer::new(store, transport, &cfg.mail_from)
        .map(|m| m.with_site(&cfg.public_url))
        .map_err(|e| e.to_string())
}

pub async fn serve(cfg: Config) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cfg.listen))?;
    serve_on(cfg, listener, shutdown(), true).await
}

/// Serves on `listener` until `stop` resolves, then shuts down gracefully. With
/// `announce`, the address to open is printed once the site answers.
pub async fn serve_on(
    cfg: Config,
    listener: tokio::net::TcpListener,
    stop: impl Future<Output = ()> + Send + 'static,
    announce: bool,
) -> Result<(), String> {
    let store = open_store(&cfg)?;
    let mail = mailer(&cfg, store.clone())?;
    if cfg.smtp_host.is_none() {
        tracing::info!(folder = %cfg.data_dir.join("mail-outbox").display(), "no SMTP server configured: mail is written to files");
    }
    tokio::spawn(mail.run(Duration::from_secs(2)));
    tokio::spawn(worker::sweeps::reminders(
        store.clone(),
        cfg.public_url.clone(),
    ));
    tokio::spawn(worker::sweeps::drafts_purge(store.clone()));
    tokio::spawn(worker::sweeps::retention(store.clone(), keeping(&cfg)));
    if let Some(issuer) = web_config(&cfg).operator.issuer() {
        tokio::spawn(worker::sweeps::billing(store.clone(), issuer));
    }
    tokio::spawn(worker::sweeps::incident_reminders(
        store.clone(),
        cfg.public_url.clone(),
    ));
    warn_public_site(&cfg, &store).await;
    let state = web::AppState::new(store, web_config(&cfg))?;
    let started = std::time::Instant::now();
    state.refresh_listings().await;
    tracing::info!(
        postings = state.listings.index.len(),
        millis = started.elapsed().as_millis() as u64,
        "listings loaded"
    );
    tokio::spawn(worker::sweeps::listings_refresh(state.clone()));
    tokio::spawn(worker::sweeps::alerts(
        state.clone(),
        cfg.alert_interval_seconds,
    ));
    let app = web::router(state);
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = %store_backend(&cfg), "tsunagu listening");
    if announce {
        let _ = writeln!(std::io::stdout(), "{}", open_line(&cfg.public_url, addr));
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(stop)
    .await
    .map_err(|e| e.to_string())
}

/// The background jobs of a node that serves no pages (`tsunagu worker`): the mail
/// outbox, reminders, draft purges and the early-warning alerts, until stopped.
pub async fn work(cfg: Config, store: store::Store) -> Result<(), String> {
    let mail = mailer(&cfg, store.clone())?;
    tokio::spawn(mail.run(Duration::from_secs(2)));
    tokio::spawn(worker::sweeps::reminders(
        store.clone(),
        cfg.public_url.clone(),
    ));
    tokio::spawn(worker::sweeps::drafts_purge(store.clone()));
    tokio::spawn(worker::sweeps::retention(store.clone(), keeping(&cfg)));
    if let Some(issuer) = web_config(&cfg).operator.issuer() {
        tokio::spawn(worker::sweeps::billing(store.clone(), issuer));
    }
    tokio::spawn(worker::sweeps::incident_reminders(
        store.clone(),
        cfg.public_url.clone(),
    ));
    let notice = web::mail::notice_writer(cfg.public_url.clone());
    let every = cfg.alert_interval_seconds.max(1);
    tracing::info!("tsunagu worker running");
    let jobs = async move {
        loop {
            worker::sweeps::support_alerts(&store, notice.clone(), web::now()).await;
            tokio::time::sleep(Duration::from_secs(every)).await;
        }
    };
    tokio::select! {
        _ = jobs => Ok(()),
        _ = shutdown() => Ok(()),
    }
}

/// What `serve` prints: where to open the site, and what a plain-http address on
/// another machine cannot do.
fn open_line(public_url: &str, addr: std::net::SocketAddr) -> String {
    let mut line = format!("Tsunagu is running: open {public_url}/ (listening on {addr})");
    let local = ["http://localhost", "http://127.0.0.1", "http://[::1]"]
        .iter()
        .any(|p| public_url.starts_with(p));
    if public_url.starts_with("http://") && !local {
        line.push_str(
            "\nNote: browsers keep Tsunagu's secure cookies only over https or at http://localhost, \
             so signing in at this plain-http address will fail. Put the site behind https \
             (TSUNAGU_PUBLIC_URL=https://…) or open it on this machine at http://localhost.",
        );
    }
    line
}

pub fn store_backend(cfg: &Config) -> &'static str {
    store::Backend::of_url(&cfg.database_url).as_str()
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
    tracing::info!("shutting down");
}
