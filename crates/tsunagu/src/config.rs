//! Configuration, in layers: built-in defaults, then a TOML file (`--config` or
//! `TSUNAGU_CONFIG`), then `TSUNAGU_*` environment variables, then command-line flags.
//! Secrets can come from `*_FILE` variables and always print as `***`.
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    File(PathBuf, String),
    #[error("invalid value for {0}: {1}")]
    Invalid(&'static str, String),
    #[error("cannot read secret file for {0}: {1}")]
    Secret(&'static str, String),
    #[error("cannot create the data directory or master key: {0}")]
    DataDir(String),
}

/// Where values come from: environment first, then the file.
pub struct Source {
    file: HashMap<String, String>,
    /// Whether `TSUNAGU_*` variables are read (not for a server run inside a test).
    env: bool,
}

impl Source {
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let path = path
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("TSUNAGU_CONFIG").map(PathBuf::from));
        let mut file = HashMap::new();
        if let Some(p) = path {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| ConfigError::File(p.clone(), e.to_string()))?;
            let table: toml::Table = text
                .parse()
                .map_err(|e: toml::de::Error| ConfigError::File(p.clone(), e.to_string()))?;
            for (k, v) in table {
                let s = match v {
                    toml::Value::String(s) => s,
                    other => other.to_string(),
                };
                file.insert(k, s);
            }
        }
        Ok(Self { file, env: true })
    }

    /// Values given as `TSUNAGU_*` variable names and nothing read from the process's
    /// environment: for a server started inside another program (the test harness).
    pub fn from_vars<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let file = vars
            .into_iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("TSUNAGU_")?.to_lowercase();
                Some((key, v.to_owned()))
            })
            .collect();
        Self { file, env: false }
    }

    /// `key` as written in the file (snake_case); the variable is `TSUNAGU_KEY`.
    pub fn get(&self, key: &str) -> Option<String> {
        let var = if self.env {
            std::env::var(format!("TSUNAGU_{}", key.to_uppercase())).ok()
        } else {
            None
        };
        var.filter(|v| !v.is_empty())
            .or_else(|| self.file.get(key).cloned())
    }

    /// A secret: the value itself, or the contents of the file named by `key_file`.
    pub fn secret(&self, key: &'static str) -> Result<Option<String>, ConfigError> {
        if let Some(v) = self.get(key) {
            return Ok(Some(v));
        }
        match self.get(&format!("{key}_file")) {
            Some(path) => std::fs::read_to_string(&path)
                .map(|s| Some(s.trim().to_owned()))
                .map_err(|e| ConfigError::Secret(key, e.to_string())),
            None => Ok(None),
        }
    }

    pub fn parse<T: std::str::FromStr>(
        &self,
        key: &'static str,
        default: T,
    ) -> Result<T, ConfigError> {
        match self.get(key) {
            Some(v) => v.trim().parse().map_err(|_| ConfigError::Invalid(key, v)),
            None => Ok(default),
        }
    }
}

/// A secret value that never prints.
#[derive(Clone)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: String,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// The key store: a database apart from the data (`keys.sqlite3` in the data
    /// directory, or `<database>_keys` beside a PostgreSQL database).
    pub keys_url: String,
    pub public_url: String,
    pub master_key: Option<Secret>,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_tls: String,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<Secret>,
    pub mail_from: String,
    pub session_idle_minutes: i64,
    /// Overrides `session_idle_minutes` when set (used by tests).
    pub session_idle_seconds: Option<i64>,
    pub session_absolute_hours: i64,
    pub api_token_days: i64,
    pub log_format: String,
    pub rate_login_per_minute: u32,
    pub rate_login_per_account: u32,
    pub rate_register_per_hour: u32,
    pub rate_reset_per_hour: u32,
    pub trust_forwarded_for: bool,
    /// Days after its last confirmation that a posting leaves the listings (求人情報の的確表示).
    pub posting_stale_days: i64,
    /// Seconds between sweeps for saved-search alerts and stale postings.
    pub alert_interval_seconds: u64,
    pub db_pool_size: u32,
    /// The Japanese TrueType font embedded in PDFs (Debian's fonts-ipafont-gothic).
    pub pdf_font: PathBuf,
    /// Days a closed account's data is kept before the retention run erases it.
    pub retention_closed_days: i64,
    /// Days a key-store backup is kept (`tsunagu backup --keys` deletes older ones).
    pub key_backup_days: i64,
    /// The operator's particulars for the privacy page.
    pub operator_name: Option<String>,
    pub operator_address: Option<String>,
    pub operator_representative: Option<String>,
    pub privacy_desk: Option<String>,
    pub telecom_notice_number: Option<String>,
    pub recruiting_notice_number: Option<String>,
    /// The operator's qualified-invoice registration number (適格請求書発行事業者登録番号,
    /// `T` and 13 digits): no invoice is issued without it.
    pub invoice_registration_number: Option<String>,
    /// The smallest number of people a published statistics cell may describe (k ≥ 2).
    pub statistics_k: u32,
}

impl Config {
    pub fn resolve(
        src: &Source,
        listen: Option<String>,
        data_dir: Option<PathBuf>,
    ) -> Result<Self, ConfigError> {
        let listen = listen
            .or_else(|| src.get("listen"))
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let data_dir = data_dir
            .or_else(|| src.get("data_dir").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = src.get("database_url").unwrap_or_else(|| {
            data_dir
                .join("tsunagu.sqlite3")
                .to_string_lossy()
                .into_owned()
        });
        let keys_url = match src.get("keys_url") {
            Some(u) => u,
            None => match store::Backend::of_url(&database_url) {
                store::Backend::Sqlite => {
                    data_dir.join("keys.sqlite3").to_string_lossy().into_owned()
                }
                store::Backend::Postgres => store::db::pg_sibling_url(&database_url, "_keys")
                    .ok_or_else(|| {
                        ConfigError::Invalid(
                            "keys_url",
                            "set it: the database URL names no database".into(),
                        )
                    })?,
            },
        };
        let public_url = src
            .get("public_url")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        let smtp_tls = src.get("smtp_tls").unwrap_or_else(|| "starttls".into());
        if worker::Tls::parse(&smtp_tls).is_none() {
            return Err(ConfigError::Invalid("smtp_tls", smtp_tls));
        }
        let log_format = src.get("log_format").unwrap_or_else(|| "text".into());
        if !matches!(log_format.as_str(), "text" | "json") {
            return Err(ConfigError::Invalid("log_format", log_format));
        }
        Ok(Self {
            listen,
            data_dir,
            database_url,
            keys_url,
            public_url,
            master_key: src.secret("master_key")?.map(Secret),
            smtp_host: src.get("smtp_host"),
            smtp_port: src.parse("smtp_port", 587)?,
            smtp_tls,
            smtp_username: src.get("smtp_username"),
            smtp_password: src.secret("smtp_password")?.map(Secret),
            mail_from: src
                .get("mail_from")
                .unwrap_or_else(|| "Tsunagu <no-reply@tsunagu.example>".into()),
            session_idle_minutes: src.parse("session_idle_minutes", 30)?,
            session_idle_seconds: match src.get("session_idle_seconds") {
                Some(v) => Some(
                    v.trim()
                        .parse()
                        .map_err(|_| ConfigError::Invalid("session_idle_seconds", v))?,
                ),
                None => None,
            },
            session_absolute_hours: src.parse("session_absolute_hours", 12)?,
            api_token_days: src.parse("api_token_days", 30)?,
            log_format,
            rate_login_per_minute: src.parse("rate_login_per_minute", 20)?,
            rate_login_per_account: src.parse("rate_login_per_account", 10)?,
            rate_register_per_hour: src.parse("rate_register_per_hour", 30)?,
            rate_reset_per_hour: src.parse("rate_reset_per_hour", 10)?,
            trust_forwarded_for: src.parse("trust_forwarded_for", false)?,
            posting_stale_days: src.parse("posting_stale_days", domain::jobs::STALE_AFTER_DAYS)?,
            alert_interval_seconds: src.parse("alert_interval_seconds", 300)?,
            db_pool_size: src.parse("db_pool_size", 8)?,
            pdf_font: src
                .get("pdf_font")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(web::pdf::DEFAULT_FONT)),
            retention_closed_days: src
                .parse("retention_closed_days", domain::account::CLOSED_KEPT_DAYS)?,
            key_backup_days: src.parse("key_backup_days", 7)?,
            operator_name: src.get("operator_name"),
            operator_address: src.get("operator_address"),
            operator_representative: src.get("operator_representative"),
            privacy_desk: src.get("privacy_desk"),
            telecom_notice_number: src.get("telecom_notice_number"),
            recruiting_notice_number: src.get("recruiting_notice_number"),
            statistics_k: match src.parse("statistics_k", domain::statistics::K)? {
                k if k >= 2 => k,
                _ => return Err(ConfigError::Invalid("statistics_k", "2 or more".into())),
            },
            invoice_registration_number: match src.get("invoice_registration_number") {
                Some(n) if !domain::billing::valid_registration_number(n.trim()) => {
                    return Err(ConfigError::Invalid(
                        "invoice_registration_number",
                        "T and 13 digits".into(),
                    ));
                }
                n => n.map(|n| n.trim().to_owned()),
            },
        })
    }

    /// The database URL with any password replaced, for printing.
    pub fn database_url_redacted(&self) -> String {
        redact_url(&self.database_url)
    }

    /// The key store's URL with any password replaced, for printing.
    pub fn keys_url_redacted(&self) -> String {
        redact_url(&self.keys_url)
    }

    /// The master key: configured, or kept in the data directory (created on first start).
    pub fn master_key(&self) -> Result<(store::MasterKey, bool), ConfigError> {
        if let Some(Secret(k)) = &self.master_key {
            let key = store::MasterKey::parse(k).ok_or(ConfigError::Invalid(
                "master_key",
                "must be 32 bytes as 64 hex digits or base64".into(),
            ))?;
            return Ok((key, false));
        }
        let path = self.data_dir.join("master.key");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let key = store::MasterKey::parse(&text).ok_or(ConfigError::Invalid(
                "master_key_file",
                path.display().to_string(),
            ))?;
            return Ok((key, false));
        }
        std::fs::create_dir_all(&self.data_dir).map_err(|e| ConfigError::DataDir(e.to_string()))?;
        let key = store::MasterKey::generate();
        write_private(&path, &key.to_hex()).map_err(|e| ConfigError::DataDir(e.to_string()))?;
        Ok((key, true))
    }
}

/// A URL with the password of its user replaced by `***`.
fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_print_as_stars_and_urls_are_redacted() {
        let c = Config::resolve(
            &Source::from_vars([]),
            Some("127.0.0.1:1".into()),
            Some("/tmp/x".into()),
        )
        .unwrap();
        let mut c = c;
        c.master_key = Some(Secret("abc".into()));
        c.database_url = "postgres://app:hunter2@db:5432/tsunagu".into();
        let printed = format!("{c:?}");
        assert!(!printed.contains("abc\""));
        assert_eq!(
            c.database_url_redacted(),
            "postgres://app:***@db:5432/tsunagu"
        );
    }
}
