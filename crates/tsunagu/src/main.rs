//! `tsunagu`: the one binary.
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tsunagu::config::{Config, Source};
use tsunagu::server::{init_logging, mailer, open_store, serve, store_backend};
use tsunagu::{bench, demo, server};

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
    /// Print the code the demo authenticator shows now (the demo operator and admins
    /// sign in with it; its key is published in the README).
    DemoCode,
    /// The background jobs without the web server (mail outbox, reminders, alerts).
    /// `--once` runs the early-warning rules and escalations once and exits; `--at`
    /// passes the time they run at (Unix seconds, or YYYY-MM-DDTHH:MM in Japan).
    Worker {
        #[arg(long)]
        once: bool,
        #[arg(long)]
        at: Option<String>,
    },
    /// Deliver the mail outbox once and exit.
    SendMail {
        /// Also mail that waits for its next retry (after the mail server is back).
        #[arg(long)]
        all: bool,
    },
    /// Back up the data into a new file in `--out` (default `backups`). The data's
    /// backup holds no key; `--keys` backs up the key store instead, and deletes key
    /// backups there older than `key_backup_days` (default 7), so that an erasure
    /// reaches every backup within that period.
    Backup {
        #[arg(long, default_value = "backups")]
        out: PathBuf,
        #[arg(long)]
        keys: bool,
    },
    /// Put back the keys of a key backup (a file written by `backup --keys`, or the URL
    /// of a PostgreSQL database its dump was restored into) that the key store lacks,
    /// skipping every subject erased since.
    RestoreKeys { source: String },
    /// Data retention: `tsunagu retention run [--at TIME]` erases closed accounts past
    /// their period (also run hourly by every node, each account once).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Billing: `tsunagu billing run [--month YYYY-MM]` issues a month's qualified
    /// invoices (default: the last month that has ended), one per organisation and month
    /// (also run hourly by every node for the last month).
    Billing {
        #[command(subcommand)]
        command: BillingCommand,
    },
    /// Remind the privacy officers of incidents' report deadlines that have come, once
    /// each (also run hourly by every node): `tsunagu incident-reminders [--at TIME]`.
    IncidentReminders {
        /// The time to run at (Unix seconds, or YYYY-MM-DDTHH:MM in Japan).
        #[arg(long)]
        at: Option<String>,
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
    /// Verify a company or a support facility as the operator does on 運営の確認 (for set-up scripts and tests,
    /// until operator accounts can be created): `tsunagu verify ORG_ID`.
    Verify { organization_id: String },
    /// The operator's own staff: `tsunagu operator create --email E --name N --role R…`
    /// prints a one-time set-up link (no password on the command line);
    /// `tsunagu operator role EMAIL ROLE on|off` gives or takes a role. Roles: admin,
    /// support, privacy_officer, billing, agency.
    Operator {
        #[command(subcommand)]
        command: OperatorCommand,
    },
    /// Print every route and who may use it, as JSON.
    Routes,
    /// Measure the durable daily check-in write against bare SQLite commits, with
    /// millions of check-ins in a new data directory; writes its section of BENCHMARKS.md.
    BenchCheckIns {
        #[arg(long, default_value_t = 10_000_000)]
        reports: usize,
        #[arg(long, default_value_t = 1_000)]
        workers: usize,
        #[arg(long, default_value_t = 2_000)]
        writes: usize,
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
    },
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
enum OperatorCommand {
    /// Create a staff account; prints the set-up link (valid 72 hours).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// One or more of admin, support, privacy_officer, billing, agency.
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
    },
    /// Give (`on`) or take (`off`) one role.
    Role {
        email: String,
        role: String,
        state: String,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Erase what is past its keeping period, once, and print what was done.
    Run {
        /// The time to run at (Unix seconds, or YYYY-MM-DDTHH:MM in Japan).
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum BillingCommand {
    /// Issue the month's invoices and print how many were issued.
    Run {
        /// The month (YYYY-MM), one that has ended.
        #[arg(long)]
        month: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; exit 1 if an entry was changed or removed.
    Verify,
}

/// `--at`: Unix seconds, or a time in Japan; now when absent.
fn at_time(at: Option<&str>) -> Result<i64, String> {
    match at {
        None => Ok(web::now()),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .or_else(|| domain::interview::LocalTime::parse(s).map(|t| t.unix()))
            .ok_or_else(|| format!("--at {s}: not Unix seconds nor YYYY-MM-DDTHH:MM")),
    }
}

fn out(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
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
            if let Some(line) = runtime.block_on(demo::conversation(&store, &cfg.public_url))? {
                out(&line);
            }
            if let Some(line) = runtime.block_on(demo::work(&store, &cfg.public_url))? {
                out(&line);
            }
        }
        Command::DemoCode => {
            let (code, valid) = demo::demo_code(web::now());
            out(&format!(
                "{code}  (valid for {valid} more seconds; each code signs in once)"
            ));
        }
        Command::Backup { out: dir, keys } => {
            let store = open_store(&cfg)?;
            if keys {
                let (file, pruned) = tsunagu::backup::keys(&cfg, store.key_store(), &dir)?;
                let count = store.key_store().key_count().map_err(|e| e.to_string())?;
                out(&format!(
                    "key store backed up to {} ({count} keys; {} key backup(s) older than {} days deleted)",
                    file.display(),
                    pruned,
                    cfg.key_backup_days
                ));
            } else {
                let file = tsunagu::backup::data(&cfg, &store, &dir)?;
                out(&format!(
                    "data backed up to {} (no keys in it)",
                    file.display()
                ));
            }
        }
        Command::RestoreKeys { source } => {
            let store = open_store(&cfg)?;
            let r = tsunagu::backup::restore_keys(&cfg, &store, &source)?;
            out(&format!(
                "keys restored: {}, skipped as erased: {}, already present: {}",
                r.restored, r.skipped_erased, r.present
            ));
        }
        Command::Retention {
            command: RetentionCommand::Run { at },
        } => {
            let at = at_time(at.as_deref())?;
            let store = open_store(&cfg)?;
            let r = runtime
                .block_on(store.retention_run(server::keeping(&cfg), at))
                .map_err(|e| format!("retention run failed: {e}"))?;
            out(&format!(
                "retention: {} account(s) erased, {} record(s) held, {} hold(s) released, {} provision record(s) deleted",
                r.accounts_erased, r.records_held, r.holds_released, r.provision_records_deleted
            ));
        }
        Command::Billing {
            command: BillingCommand::Run { month },
        } => {
            let today = web::jst::today();
            let month = match month {
                Some(m) => domain::billing::check_month(&m, today)
                    .map_err(|_| format!("--month {m}: a month that has ended, as YYYY-MM"))?,
                None => domain::billing::Month::last_ended(today),
            };
            let issuer = server::web_config(&cfg).operator.issuer().ok_or(
                "no invoice can be issued: set operator_name and invoice_registration_number (T and 13 digits)",
            )?;
            let store = open_store(&cfg)?;
            let r = runtime
                .block_on(store.billing_run(month, issuer, today, web::now()))
                .map_err(|e| format!("billing run failed: {e}"))?;
            out(&format!(
                "billing {month}: {} invoice(s) issued, {} already issued, {} with nothing due",
                r.issued, r.existing, r.nothing_due
            ));
        }
        Command::IncidentReminders { at } => {
            let at = at_time(at.as_deref())?;
            let store = open_store(&cfg)?;
            let base = cfg.public_url.clone();
            let n = runtime
                .block_on(store.incident_reminders(at, move |lang, id, r, due| {
                    web::mail::incident_reminder(&base, lang, id, r, due)
                }))
                .map_err(|e| format!("incident reminders failed: {e}"))?;
            out(&format!("incident reminders: {n} queued"));
        }
        Command::Worker { once, at } => {
            let at = at_time(at.as_deref())?;
            let store = open_store(&cfg)?;
            let notice = web::mail::notice_writer(cfg.public_url.clone());
            if once {
                // Once, failing loudly (the loop in `serve` and `worker` logs and goes on).
                let s = runtime
                    .block_on(store.sweep_alerts(at, notice))
                    .map_err(|e| format!("alert sweep failed: {e}"))?;
                out(&format!(
                    "alerts: {} raised, {} escalated",
                    s.raised, s.escalated
                ));
            } else {
                runtime.block_on(server::work(cfg, store))?;
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
            let company = runtime
                .block_on(store.verify_company(
                    "cli".into(),
                    organization_id.clone(),
                    ctx.clone(),
                    web::now(),
                ))
                .map_err(|e| e.to_string())?;
            if company {
                out("company verified");
            } else if runtime
                .block_on(store.verify_facility("cli".into(), organization_id, ctx, web::now()))
                .map_err(|e| e.to_string())?
            {
                out("facility verified");
            } else {
                return Err("no unverified company or facility with that id".into());
            }
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
        Command::Operator {
            command: OperatorCommand::Create { email, name, roles },
        } => {
            let email = domain::validate::Email::parse(&email)
                .map_err(|code| format!("--email: {code}"))?;
            let name = domain::validate::PersonName::parse(&name)
                .map_err(|code| format!("--name: {code}"))?;
            let roles = roles
                .iter()
                .map(|r| {
                    domain::StaffRole::parse(r).ok_or_else(|| {
                        format!(
                            "--role {r}: one of admin, support, privacy_officer, billing, agency"
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let store = open_store(&cfg)?;
            let created = store
                .create_staff_blocking(email, name, &roles, 72 * 3600, web::now())
                .map_err(|e| match e {
                    store::StoreError::Conflict(_) => {
                        "an account with that email exists".to_owned()
                    }
                    e => e.to_string(),
                })?;
            out(&format!(
                "operator account created ({}); its holder sets a password within 72 hours at:\n{}/password-reset/{}",
                created.user_id, cfg.public_url, created.token
            ));
        }
        Command::Operator {
            command: OperatorCommand::Role { email, role, state },
        } => {
            let on = match state.as_str() {
                "on" => true,
                "off" => false,
                _ => return Err("state must be on or off".into()),
            };
            let role = domain::StaffRole::parse(&role).ok_or_else(|| {
                format!("{role}: one of admin, support, privacy_officer, billing, agency")
            })?;
            let store = open_store(&cfg)?;
            let found = store
                .set_staff_role_blocking(&email, role, on, web::now())
                .map_err(|e| e.to_string())?;
            if !found {
                return Err("no operator account with that email".into());
            }
            out(&format!(
                "{} {}",
                role.as_str(),
                if on { "on" } else { "off" }
            ));
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
        Command::BenchCheckIns {
            reports,
            workers,
            writes,
            out: path,
        } => {
            let store = open_store(&cfg)?;
            let scale = tsunagu::bench_checkins::Scale {
                reports,
                workers,
                writes,
            };
            let md = runtime.block_on(tsunagu::bench_checkins::run(
                store,
                &cfg.public_url,
                scale,
                &path,
            ))?;
            out(&md);
        }
        Command::Config => {
            let shown = [
                ("listen", cfg.listen.clone()),
                ("data_dir", cfg.data_dir.display().to_string()),
                ("database_url", cfg.database_url_redacted()),
                ("keys_url", cfg.keys_url_redacted()),
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
