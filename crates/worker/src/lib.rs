//! Background jobs: delivering the mail outbox, over SMTP or, when no SMTP server is
//! configured, into a folder of `.eml` files (see the README); and the sweeps a server
//! node runs (`sweeps`).
#![forbid(unsafe_code)]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

pub mod sweeps;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport as _};
use std::path::PathBuf;
use std::time::Duration;
use store::Store;
use store::outbox::{Mail, Pending};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tls {
    /// Plain SMTP (a local relay or a test sink).
    None,
    /// STARTTLS on a submission port (587).
    StartTls,
    /// Implicit TLS (465).
    Tls,
}

impl Tls {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(Self::None),
            "starttls" => Some(Self::StartTls),
            "tls" => Some(Self::Tls),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub tls: Tls,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl std::fmt::Debug for Smtp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Smtp")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .finish()
    }
}

#[derive(Debug, Clone)]
pub enum Transport {
    Smtp(Smtp),
    /// Writes each mail as an `.eml` file into this folder.
    Files(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error("store: {0}")]
    Store(#[from] store::StoreError),
    #[error("mail transport: {0}")]
    Transport(String),
}

/// Delivers the outbox.
#[derive(Clone)]
pub struct Mailer {
    store: Store,
    transport: Transport,
    from: Mailbox,
    /// The site's public address (for unsubscribe links); empty: none.
    site: String,
    /// The domain of Message-IDs: the site's host, else the sender's domain.
    domain: String,
}

/// `Auto-Submitted: auto-generated` (RFC 3834): every mail we send is automatic, so
/// that mail servers and vacation responders do not answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// `List-Unsubscribe` (RFC 2369) with the one-click address of RFC 8058.
#[derive(Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_owned())
    }
}

/// The host of an `http(s)://host[:port]/…` address.
fn host_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next()?,
        None => host.split(':').next()?,
    };
    (!host.is_empty()).then_some(host)
}

fn message(m: &Mailer, mail: &Mail, id: &str) -> Result<Message, &'static str> {
    let to: Mailbox = mail.to.parse().map_err(|_| "bad_recipient")?;
    let mut b = Message::builder()
        .from(m.from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{id}@{}>", m.domain)))
        .header(AutoSubmitted);
    if let (Some(token), false) = (&mail.unsubscribe, m.site.is_empty()) {
        b = b
            .header(ListUnsubscribe(format!(
                "{}/api/v1/unsubscribe/{token}",
                m.site.trim_end_matches('/')
            )))
            .header(ListUnsubscribePost);
    }
    // A single text part: lettre writes MIME-Version, the charset and the transfer
    // encoding for it.
    b.singlepart(
        SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone()),
    )
    .map_err(|_| "bad_message")
}

fn smtp_transport(s: &Smtp) -> Result<SmtpTransport, String> {
    let builder = match s.tls {
        Tls::None => SmtpTransport::builder_dangerous(&s.host),
        Tls::StartTls => SmtpTransport::starttls_relay(&s.host).map_err(|e| e.to_string())?,
        Tls::Tls => SmtpTransport::relay(&s.host).map_err(|e| e.to_string())?,
    };
    let mut builder = builder.port(s.port).timeout(Some(Duration::from_secs(15)));
    if let (Some(u), Some(p)) = (&s.username, &s.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    Ok(builder.build())
}

impl Mailer {
    pub fn new(store: Store, transport: Transport, from: &str) -> Result<Self, WorkerError> {
        let from: Mailbox = from
            .parse()
            .map_err(|_| WorkerError::Transport("invalid sender address".into()))?;
        let domain = from.email.domain().to_owned();
        Ok(Self {
            store,
            transport,
            from,
            site: String::new(),
            domain,
        })
    }

    /// The site's public address: unsubscribe links point there, and Message-IDs take
    /// its host as their domain.
    pub fn with_site(mut self, public_url: &str) -> Self {
        if let Some(h) = host_of(public_url) {
            self.domain = h.to_owned();
        }
        self.site = public_url.to_owned();
        self
    }

    fn deliver(&self, p: &Pending) -> Result<(), String> {
        let msg = message(self, &p.mail, &p.id).map_err(str::to_owned)?;
        match &self.transport {
            Transport::Files(dir) => {
                std::fs::create_dir_all(dir).map_err(|_| "outbox_dir".to_owned())?;
                let tmp = dir.join(format!(".{}.eml.tmp", p.id));
                let path = dir.join(format!("{}.eml", p.id));
                std::fs::write(&tmp, msg.formatted()).map_err(|_| "outbox_write".to_owned())?;
                std::fs::rename(&tmp, &path).map_err(|_| "outbox_write".to_owned())
            }
            Transport::Smtp(s) => {
                let t = smtp_transport(s).map_err(|_| "smtp_config".to_owned())?;
                t.send(&msg).map(|_| ()).map_err(|e| {
                    // The class of the error only: lettre's text can hold addresses.
                    if e.is_permanent() {
                        "smtp_permanent".to_owned()
                    } else if e.is_transient() {
                        "smtp_transient".to_owned()
                    } else {
                        "smtp_unavailable".to_owned()
                    }
                })
            }
        }
    }

    /// Delivers every due mail once. Returns how many were delivered.
    pub async fn run_once(&self, now: i64) -> Result<usize, WorkerError> {
        self.run_once_until(now, now).await
    }

    /// Delivers every queued mail due before `due_before` (e.g. all of them, right
    /// after a mail server came back), marking them with `now`.
    pub async fn run_once_until(&self, due_before: i64, now: i64) -> Result<usize, WorkerError> {
        let due = self.store.outbox_claim(due_before, now, 50).await?;
        let mut sent = 0;
        for p in due {
            let this = self.clone();
            let pending = p.clone();
            let outcome = tokio::task::spawn_blocking(move || this.deliver(&pending))
                .await
                .map_err(|e| WorkerError::Transport(e.to_string()))?;
            match outcome {
                Ok(()) => {
                    self.store.outbox_sent(p.id.clone(), now).await?;
                    tracing::info!(mail_id = %p.id, kind = %p.kind, "mail delivered");
                    sent += 1;
                }
                Err(class) => {
                    tracing::warn!(mail_id = %p.id, kind = %p.kind, attempts = p.attempts + 1, error = %class, "mail delivery failed; will retry");
                    self.store
                        .outbox_failed(p.id.clone(), p.attempts, class, now)
                        .await?;
                }
            }
        }
        Ok(sent)
    }

    /// Sends due mail every `every`, and at once when a request queues some, until the
    /// process ends.
    pub async fn run(self, every: Duration) {
        loop {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0);
            if let Err(e) = self.run_once(now).await {
                tracing::error!(error = %e, "outbox run failed");
            }
            // The next round: after `every`, or at once when a request queues mail.
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = self.store.mail_queued() => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_of_public_addresses() {
        assert_eq!(
            host_of("https://tsunagu.example.jp"),
            Some("tsunagu.example.jp")
        );
        assert_eq!(host_of("http://127.0.0.1:8080/x"), Some("127.0.0.1"));
        assert_eq!(host_of("http://[::1]:8080"), Some("::1"));
        assert_eq!(host_of("nonsense"), None);
    }
}
