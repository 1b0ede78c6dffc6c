//! `tsunagu`: the one binary.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod bench;
mod config;
mod demo;
mod generate;

use clap::{Parser, Subcommand};
use config::{Config, Source};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;
use store::sessions::Timeouts;
use store::{Db, Keyring, Store};

#[derive(Parser)]
#[command(
    name = "tsunagu",
    version,
    about = "Tsunagu (つなぐ): employment matching and retention support"
)]
struct Cli {
    /// Configuration file (TOML); also TSUNAGU_CONFIG.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory (SQLite database, master key, mail outbox); also TSUNAGU_DATA_DIR.
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (and the mail outbox).
    Serve {
        /// Address to listen on; also TSUNAGU_LISTEN (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Load demo accounts (one of each kind of user; see the README).
    Demo,
    /// Deliver the mail outbox once and exit.
    SendMail {
        /// Also mail that waits for its next retry (after the mail server is back).
        #[arg(long)]
        all: bool,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Mark a company as a partner company (seekers may opt in to it at registration),
    /// until the operator console exists: `tsunagu partner ORG_ID on|off`.
    Partner {
        organization_id: String,
        state: String,
    },
    /// Verify a company as the operator does on 運営の確認 (for set-up scripts and tests,
    /// until operator accounts can be created): `tsunagu verify ORG_ID`.
    Verify { organization_id: String },
    /// Print every route and who may use it, as JSON.
    Routes,
    /// Print the effective configuration (secrets redacted).
    Config,
    /// Generate national-scale data in a new data directory, measure search,
    /// recommendations, throughput, memory and start-up, and write BENCHMARKS.md.
    Bench {
        #[arg(long, default_value_t = 100_000)]
        postings: usize,
        #[arg(long, default_value_t = 300_000)]
        seekers: usize,
        #[arg(long, default_value_t = 20_000)]
        companies: usize,
        /// Seconds of each load test.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// Where to write the report.
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
        /// Measure the data an earlier run generated in the same data directory.
        #[arg(long)]
        reuse: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exit 1 if an entry was changed or removed.
    Verify,
}

fn out(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TSUNAGU_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if cfg.log_format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn open_store(cfg: &Config) -> Result<Store, String> {
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
    Ok(Store::new(db, Keyring::new(key, Vec::new())))
}

fn web_config(cfg: &Config) -> web::WebConfig {
    web::WebConfig {
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
    }
}

fn mailer(cfg: &Config, store: Store) -> Result<worker::Mailer, String> {
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
    worker::Mailer::new(store, transport, &cfg.mail_from).map_err(|e| e.to_string())
}

async fn serve(cfg: Config) -> Result<(), String> {
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
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", cfg.listen))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%addr, backend = %store_backend(&cfg), "tsunagu listening");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .map_err(|e| e.to_string())
}

fn store_backend(cfg: &Config) -> &'static str {
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

fn run(cli: Cli) -> Result<ExitCode, String> {
    let src = Source::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    let listen = match &cli.command {
        Command::Serve { listen } => listen.clone(),
        _ => None,
    };
    let cfg = Config::resolve(&src, listen, cli.data_dir.clone()).map_err(|e| e.to_string())?;
    init_logging(&cfg);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    match cli.command {
        Command::Serve { .. } => runtime.block_on(serve(cfg))?,
        Command::Migrate => {
            open_store(&cfg)?;
            out(&format!("migrations applied ({})", store_backend(&cfg)));
        }
        Command::Demo => {
            let store = open_store(&cfg)?;
            for line in demo::load(&store)? {
                out(&line);
            }
        }
        Command::SendMail { all } => {
            let store = open_store(&cfg)?;
            let mail = mailer(&cfg, store)?;
            let now = web::now();
            let until = if all { i64::MAX } else { now };
            let n = runtime
                .block_on(mail.run_once_until(until, now))
                .map_err(|e| e.to_string())?;
            out(&format!("{n} mail(s) delivered"));
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let store = open_store(&cfg)?;
            let report = store.audit_verify_blocking().map_err(|e| e.to_string())?;
            match report.problem {
                None => out(&format!(
                    "audit chain intact: {} entries, head {}",
                    report.entries, report.head_hash
                )),
                Some((seq, what)) => {
                    out(&format!(
                        "AUDIT CHAIN BROKEN at entry {seq}: {what} ({} entries verified before it)",
                        seq - 1
                    ));
                    return Ok(ExitCode::from(1));
                }
            }
        }
        Command::Verify { organization_id } => {
            let store = open_store(&cfg)?;
            let ctx = store::accounts::Ctx {
                ip: "cli".into(),
                user_agent: "tsunagu verify".into(),
            };
            let done = runtime
                .block_on(store.verify_company("cli".into(), organization_id, ctx, web::now()))
                .map_err(|e| e.to_string())?;
            if !done {
                return Err("no unverified company with that id".into());
            }
            out("company verified");
        }
        Command::Partner {
            organization_id,
            state,
        } => {
            let on = match state.as_str() {
                "on" => true,
                "off" => false,
                _ => return Err("state must be on or off".into()),
            };
            let store = open_store(&cfg)?;
            let found = store
                .set_partner_blocking(&organization_id, on)
                .map_err(|e| e.to_string())?;
            if !found {
                return Err("no company with that id".into());
            }
            out(&format!("partner {}", if on { "on" } else { "off" }));
        }
        Command::Routes => {
            out(&serde_json::to_string_pretty(web::routes::rules()).map_err(|e| e.to_string())?);
        }
        Command::Bench {
            postings,
            seekers,
            companies,
            seconds,
            out: path,
            reuse,
        } => {
            let store = open_store(&cfg)?;
            let scale = bench::Scale {
                postings,
                seekers,
                companies,
                seconds,
                reuse,
            };
            let md = runtime.block_on(bench::run(store, &cfg, scale, &path))?;
            out(&md);
        }
        Command::Config => {
            let shown = [
                ("listen", cfg.listen.clone()),
                ("data_dir", cfg.data_dir.display().to_string()),
                ("database_url", cfg.database_url_redacted()),
                ("public_url", cfg.public_url.clone()),
                (
                    "master_key",
                    if cfg.master_key.is_some() {
                        "***".into()
                    } else {
                        "(data_dir/master.key)".into()
                    },
                ),
                (
                    "smtp_host",
                    cfg.smtp_host
                        .clone()
                        .unwrap_or_else(|| "(none: file outbox)".into()),
                ),
                ("smtp_port", cfg.smtp_port.to_string()),
                ("posting_stale_days", cfg.posting_stale_days.to_string()),
                (
                    "alert_interval_seconds",
                    cfg.alert_interval_seconds.to_string(),
                ),
                ("smtp_tls", cfg.smtp_tls.clone()),
                (
                    "smtp_username",
                    cfg.smtp_username.clone().unwrap_or_default(),
                ),
                (
                    "smtp_password",
                    if cfg.smtp_password.is_some() {
                        "***".into()
                    } else {
                        String::new()
                    },
                ),
                ("mail_from", cfg.mail_from.clone()),
                ("session_idle_minutes", cfg.session_idle_minutes.to_string()),
                (
                    "session_absolute_hours",
                    cfg.session_absolute_hours.to_string(),
                ),
                ("api_token_days", cfg.api_token_days.to_string()),
                ("log_format", cfg.log_format.clone()),
            ];
            for (k, v) in shown {
                out(&format!("{k} = {v:?}"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "tsunagu: {e}");
            ExitCode::from(2)
        }
    }
}
