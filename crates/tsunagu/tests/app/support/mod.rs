//! The test harness: each test starts the real server on a free port with its own data
//! directory and its own database (SQLite, or a fresh PostgreSQL database when
//! TSUNAGU_TEST_BACKEND=postgres), and talks to it over HTTP. Mail goes to a real SMTP
//! sink on a local port.
//!
//! The server runs inside the test process (`tsunagu::server::serve_on` on its own
//! runtime and thread, its log in its own file), the same code `tsunagu serve` runs.
//! A test that must kill or restart a real process asks for one:
//! `Server::builder().process()`. Subcommands (`demo`, `verify`, `audit verify` …) run
//! the real binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_tsunagu");

pub fn backend() -> String {
    std::env::var("TSUNAGU_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into())
}

pub fn pg_admin_url() -> String {
    std::env::var("TSUNAGU_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn pg_base(admin: &str) -> String {
    admin.rsplit_once('/').map(|(b, _)| b.to_owned()).unwrap()
}

/// A received mail: the raw message as the SMTP client sent it.
#[derive(Clone, Debug)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub data: String,
}

impl Received {
    /// The body with quoted-printable soft breaks undone, for finding links.
    pub fn text(&self) -> String {
        let mut s = self.data.replace("=\r\n", "").replace("=3D", "=");
        if self.data.contains("Content-Transfer-Encoding: base64")
            && let Some(idx) = self.data.find("\r\n\r\n")
        {
            {
                let b64: String = self.data[idx + 4..]
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '.')
                    .collect();
                if let Ok(bytes) = base64_decode(&b64) {
                    s = String::from_utf8_lossy(&bytes).into_owned();
                }
            }
        }
        s
    }

    /// A link that confirms an address (registration or a change): the tests' helpers
    /// open these themselves, so waiting for other mail skips them.
    pub fn confirms_address(&self) -> bool {
        self.text().contains("/verify-email/")
    }
}

fn base64_decode(s: &str) -> Result<Vec<u8>, ()> {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for ch in s.bytes() {
        if ch == b'=' {
            break;
        }
        let v = table.iter().position(|&t| t == ch).ok_or(())? as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

/// A minimal SMTP server that accepts every mail (EHLO, MAIL, RCPT, DATA, QUIT).
pub struct SmtpSink {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mails: Arc<Mutex<Vec<Received>>> = Arc::default();
        let m = mails.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let m = m.clone();
                std::thread::spawn(move || Self::session(stream, m));
            }
        });
        Self { port, mails }
    }

    fn session(stream: TcpStream, mails: Arc<Mutex<Vec<Received>>>) {
        let mut w = stream.try_clone().unwrap();
        let mut r = BufReader::new(stream);
        let _ = w.write_all(b"220 sink ESMTP\r\n");
        let mut rcpt = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if r.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                let _ = w.write_all(b"250-sink\r\n250 8BITMIME\r\n");
            } else if upper.starts_with("MAIL FROM") {
                rcpt.clear();
                let _ = w.write_all(b"250 ok\r\n");
            } else if upper.starts_with("RCPT TO") {
                rcpt.push(
                    line[8..]
                        .trim()
                        .trim_matches(|c| c == '<' || c == '>' || c == ':')
                        .to_owned(),
                );
                let _ = w.write_all(b"250 ok\r\n");
            } else if upper.starts_with("DATA") {
                let _ = w.write_all(b"354 go\r\n");
                let mut data = String::new();
                loop {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(&line);
                }
                mails.lock().unwrap().push(Received {
                    rcpt: rcpt.clone(),
                    data,
                });
                let _ = w.write_all(b"250 queued\r\n");
            } else if upper.starts_with("QUIT") {
                let _ = w.write_all(b"221 bye\r\n");
                return;
            } else {
                let _ = w.write_all(b"250 ok\r\n");
            }
        }
    }

    /// Waits until a mail to `to` arrives (the outbox is polled every 2 s).
    pub fn wait_for(&self, to: &str) -> Received {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Some(m) = self
                .mails
                .lock()
                .unwrap()
                .iter()
                .find(|m| m.rcpt.iter().any(|r| r == to) && !m.confirms_address())
            {
                return m.clone();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("no mail to {to} arrived within 20 s");
    }

    pub fn count_to(&self, to: &str) -> usize {
        self.mails
            .lock()
            .unwrap()
            .iter()
            .filter(|m| m.rcpt.iter().any(|r| r == to) && !m.confirms_address())
            .count()
    }
}

/// Where a server's mail goes: a real SMTP sink, or the outbox files of its data
/// directory (no SMTP configured).
#[derive(Clone)]
enum Mailbox {
    Sink(Arc<Mutex<Vec<Received>>>),
    Dir(PathBuf),
}

/// Each running server's mailbox, by its base address (helpers that hold only a
/// client find the mail of its server here).
static MAILBOXES: Mutex<Option<HashMap<String, Mailbox>>> = Mutex::new(None);

impl Mailbox {
    /// The texts of the mails to `to` so far, oldest first.
    fn texts_to(&self, to: &str) -> Vec<String> {
        match self {
            Self::Sink(mails) => mails
                .lock()
                .unwrap()
                .iter()
                .filter(|m| m.rcpt.iter().any(|r| r == to))
                .map(Received::text)
                .collect(),
            Self::Dir(dir) => {
                let mut files: Vec<(std::time::SystemTime, String, String)> =
                    std::fs::read_dir(dir)
                        .map(|rd| {
                            rd.filter_map(|e| e.ok())
                                .filter_map(|e| {
                                    let t = std::fs::read_to_string(e.path()).ok()?;
                                    let m = e.metadata().ok()?.modified().ok()?;
                                    let name = e.file_name().to_string_lossy().into_owned();
                                    Some((m, name, t))
                                })
                                .filter(|(_, _, t)| t.contains(to))
                                .collect()
                        })
                        .unwrap_or_default();
                files.sort();
                files
                    .into_iter()
                    .map(|(_, _, t)| {
                        Received {
                            rcpt: vec![],
                            data: t,
                        }
                        .text()
                    })
                    .collect()
            }
        }
    }
}

/// The token in the newest mail to `to` whose text holds `prefix` (a link such as
/// `/verify-email/`) and that `skip` does not refuse, waiting up to 20 s for it, from
/// the mailbox of the server at `base`.
pub fn mailed_token_where(
    base: &str,
    to: &str,
    prefix: &str,
    skip: impl Fn(&str) -> bool,
) -> String {
    let mailbox = MAILBOXES
        .lock()
        .unwrap()
        .as_ref()
        .and_then(|m| m.get(base).cloned())
        .unwrap_or_else(|| panic!("no server runs at {base}"));
    let start = Instant::now();
    loop {
        let token = mailbox.texts_to(to).into_iter().rev().find_map(|text| {
            let i = text.find(prefix)? + prefix.len();
            let t: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            (!skip(&t)).then_some(t)
        });
        if let Some(t) = token {
            return t;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no mail with {prefix} to {to} arrived within 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The token in the newest mail to `to` with a `prefix` link (see `mailed_token_where`).
pub fn mailed_token(base: &str, to: &str, prefix: &str) -> String {
    mailed_token_where(base, to, prefix, |_| false)
}

/// Confirmation links the helpers opened already (an address registered again gets a
/// new one, which may arrive after the old is found).
static OPENED: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Opens the confirmation link mailed to `to` (through the API), as its owner would.
pub async fn verify_email(c: &mut Client, to: &str) {
    let token = mailed_token_where(&c.base, to, "/verify-email/", |t| {
        OPENED.lock().unwrap().iter().any(|o| o == t)
    });
    OPENED.lock().unwrap().push(token.clone());
    let r = c
        .api(
            "POST",
            "/api/v1/auth/verify-email",
            None,
            Some(serde_json::json!({ "token": token })),
        )
        .await;
    assert_eq!(r.status, 200, "verify {to} with {token}: {}", r.body);
}

pub struct Server {
    pub base: String,
    pub port: u16,
    pub dir: tempfile::TempDir,
    pub database_url: String,
    pub env: Vec<(String, String)>,
    process: bool,
    child: Option<Child>,
    inner: Option<InProcess>,
    pg_db: Option<String>,
    log: PathBuf,
    mailbox: Mailbox,
}

/// A server running on its own runtime in this process.
struct InProcess {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<Result<(), String>>,
}

pub struct Builder {
    env: Vec<(String, String)>,
    smtp: Option<(u16, Arc<Mutex<Vec<Received>>>)>,
    process: bool,
}

impl Builder {
    /// Runs the server as a real `tsunagu serve` process (for kill and crash tests).
    pub fn process(mut self) -> Self {
        self.process = true;
        self
    }
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.env.push((k.into(), v.into()));
        self
    }
    pub fn smtp(mut self, sink: &SmtpSink) -> Self {
        self.smtp = Some((sink.port, sink.mails.clone()));
        self
    }
    pub fn start(self) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let (database_url, pg_db) = if backend() == "postgres" {
            let name = format!("tsunagu_t_{}", uuid_like());
            store::db::create_pg_database(&pg_admin_url(), &name).unwrap_or_else(|e| {
                panic!(
                    "\n\n*** PostgreSQL is NOT reachable at {} ({e}).\n*** TSUNAGU_TEST_BACKEND=postgres requires it; the suite does not skip.\n\n",
                    pg_admin_url()
                )
            });
            (format!("{}/{}", pg_base(&pg_admin_url()), name), Some(name))
        } else {
            (
                dir.path()
                    .join("tsunagu.sqlite3")
                    .to_string_lossy()
                    .into_owned(),
                None,
            )
        };
        let mut env = vec![
            ("TSUNAGU_DATABASE_URL".to_owned(), database_url.clone()),
            ("TSUNAGU_RATE_LOGIN_PER_MINUTE".into(), "1000".into()),
            ("TSUNAGU_RATE_LOGIN_PER_ACCOUNT".into(), "1000".into()),
            ("TSUNAGU_RATE_REGISTER_PER_HOUR".into(), "1000".into()),
            ("TSUNAGU_RATE_RESET_PER_HOUR".into(), "1000".into()),
            ("TSUNAGU_DB_POOL_SIZE".into(), "4".into()),
        ];
        let mailbox = match &self.smtp {
            Some((_, mails)) => Mailbox::Sink(mails.clone()),
            None => Mailbox::Dir(dir.path().join("mail-outbox")),
        };
        if let Some((p, _)) = self.smtp {
            env.push(("TSUNAGU_SMTP_HOST".into(), "127.0.0.1".into()));
            env.push(("TSUNAGU_SMTP_PORT".into(), p.to_string()));
            env.push(("TSUNAGU_SMTP_TLS".into(), "none".into()));
        }
        env.extend(self.env);
        let mut s = Server {
            base: String::new(),
            port: 0,
            log: dir.path().join("server.log"),
            dir,
            database_url,
            env,
            process: self.process,
            child: None,
            inner: None,
            pg_db,
            mailbox,
        };
        s.launch();
        s
    }
}

fn uuid_like() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", t, std::process::id())
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Server {
    pub fn builder() -> Builder {
        Builder {
            env: Vec::new(),
            smtp: None,
            process: false,
        }
    }
    pub fn start() -> Server {
        Self::builder().start()
    }

    /// A `tsunagu` subcommand against this server's data and database.
    pub fn command(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::new(BIN);
        c.arg("--data-dir").arg(self.dir.path()).args(args);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    /// Starts (or restarts) the server and waits until it answers.
    pub fn launch(&mut self) {
        if self.process {
            self.launch_process();
        } else {
            self.launch_in_process();
        }
        MAILBOXES
            .lock()
            .unwrap()
            .get_or_insert_with(HashMap::new)
            .insert(self.base.clone(), self.mailbox.clone());
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if let Some(p) = &self.inner
                && p.thread.is_finished()
            {
                let p = self.inner.take().unwrap();
                let result = p.thread.join();
                panic!("server stopped: {result:?}; log:\n{}", self.logs());
            }
            if healthy(self.port) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("server did not start; log:\n{}", self.logs());
    }

    fn launch_in_process(&mut self) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let src = tsunagu::config::Source::from_vars(
            self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let cfg = tsunagu::config::Config::resolve(
            &src,
            Some(format!("127.0.0.1:{port}")),
            Some(self.dir.path().to_path_buf()),
        )
        .unwrap();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let dispatch = tracing::Dispatch::new(
            tracing_subscriber::fmt()
                .with_env_filter(tsunagu::server::log_filter())
                .with_ansi(false)
                .with_writer(Mutex::new(log))
                .finish(),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let _main = tracing::dispatcher::set_default(&dispatch);
            let for_workers = dispatch.clone();
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                // Every thread of this server's runtime logs to this server's file.
                .on_thread_start(move || {
                    std::mem::forget(tracing::dispatcher::set_default(&for_workers))
                })
                .build()
                .map_err(|e| e.to_string())?;
            let result = rt.block_on(async move {
                let listener =
                    tokio::net::TcpListener::from_std(listener).map_err(|e| e.to_string())?;
                tsunagu::server::serve_on(
                    cfg,
                    listener,
                    async move {
                        let _ = stopped.await;
                    },
                    false,
                )
                .await
            });
            rt.shutdown_timeout(Duration::from_secs(5));
            result
        });
        self.inner = Some(InProcess { stop, thread });
        self.port = port;
        self.base = format!("http://127.0.0.1:{port}");
    }

    fn launch_process(&mut self) {
        let port = free_port();
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .unwrap();
        let mut c = Command::new(BIN);
        c.arg("--data-dir")
            .arg(self.dir.path())
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(log);
        for (k, v) in &self.env {
            c.env(k, v);
        }
        self.child = Some(c.spawn().unwrap());
        self.port = port;
        self.base = format!("http://127.0.0.1:{port}");
    }

    /// Kills the server process the hard way (SIGKILL: no graceful shutdown).
    pub fn kill(&mut self) {
        assert!(
            self.process || self.inner.is_none(),
            "kill() needs a real process: Server::builder().process()"
        );
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Stops the server gracefully (SIGTERM for a process) and waits for it.
    pub fn stop(&mut self) {
        if let Some(p) = self.inner.take() {
            let _ = p.stop.send(());
            let result = p.thread.join().unwrap();
            assert!(result.is_ok(), "server: {result:?}");
        }
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(c.id().to_string())
                .status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn logs(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }
}

/// Whether the server on `port` answers `/healthz` (a bare HTTP/1.0 request).
fn healthy(port: u16) -> bool {
    let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    if c.write_all(b"GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut line = String::new();
    BufReader::new(c).read_line(&mut line).is_ok() && line.contains(" 200 ")
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(mut m) = MAILBOXES.lock()
            && let Some(m) = m.as_mut()
        {
            m.remove(&self.base);
        }
        if let Some(p) = self.inner.take() {
            let _ = p.stop.send(());
            let _ = p.thread.join();
        }
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if let Some(db) = &self.pg_db {
            let _ = store::db::drop_pg_database(&pg_admin_url(), db);
            // The key store beside it (created by the server as `<database>_keys`).
            let _ = store::db::drop_pg_database(&pg_admin_url(), &format!("{db}_keys"));
        }
    }
}

/// An HTTP client that keeps cookies by hand (like a browser would) and never follows redirects.
pub struct Client {
    pub base: String,
    http: reqwest::Client,
    pub cookies: HashMap<String, String>,
    pub lang: String,
    pub user_agent: String,
}

pub struct Resp {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    /// The body as sent (for files such as a PDF).
    pub bytes: Vec<u8>,
}

impl Resp {
    /// The error's fields as `field:code`, comma-separated, in the order of the names.
    pub fn field_codes(&self) -> String {
        let v = self.json();
        let Some(fields) = v["error"]["fields"].as_object() else {
            return String::new();
        };
        let mut all: Vec<String> = fields
            .iter()
            .map(|(k, f)| format!("{k}:{}", f["code"].as_str().unwrap_or("")))
            .collect();
        all.sort();
        all.join(",")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not json ({e}): {}", self.body))
    }
    pub fn header(&self, k: &str) -> String {
        self.headers
            .get(k)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }
    pub fn location(&self) -> String {
        self.header("location")
    }
    /// The value of the hidden CSRF field in this page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let i = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no csrf field in: {}", self.body))
            + marker.len();
        self.body[i..].split('"').next().unwrap().to_owned()
    }
}

impl Client {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            lang: "ja".into(),
            user_agent: "tsunagu-tests".into(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&mut self, rb: reqwest::RequestBuilder) -> Resp {
        self.try_send(rb).await.unwrap()
    }

    async fn try_send(&mut self, rb: reqwest::RequestBuilder) -> Result<Resp, reqwest::Error> {
        let rb = rb
            .header("accept-language", &self.lang)
            .header("user-agent", &self.user_agent);
        let rb = if self.cookies.is_empty() {
            rb
        } else {
            rb.header("cookie", self.cookie_header())
        };
        let r = rb.send().await?;
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        for v in headers.get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || v.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), val.to_owned());
            }
        }
        let bytes = r.bytes().await?.to_vec();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        Ok(Resp {
            status,
            headers,
            body,
            bytes,
        })
    }

    /// A JSON POST that reports a failed connection instead of panicking (for kill tests).
    pub async fn try_post_json(
        &mut self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<Resp, reqwest::Error> {
        let rb = self.http.post(format!("{}{}", self.base, path)).json(&body);
        self.try_send(rb).await
    }

    pub async fn get(&mut self, path: &str) -> Resp {
        let rb = self.http.get(format!("{}{}", self.base, path));
        self.send(rb).await
    }

    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> Resp {
        let rb = self.http.post(format!("{}{}", self.base, path)).form(form);
        self.send(rb).await
    }

    /// GETs `page` to obtain a CSRF token, then POSTs the form with it.
    pub async fn submit(&mut self, page: &str, action: &str, form: &[(&str, &str)]) -> Resp {
        let csrf = self.get(page).await.csrf();
        let mut f: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
        f.extend_from_slice(form);
        self.post_form(action, &f).await
    }

    pub async fn api(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> Resp {
        let url = format!("{}{}", self.base, path);
        let mut rb = match method {
            "GET" => self.http.get(url),
            "POST" => self.http.post(url),
            "DELETE" => self.http.delete(url),
            "PUT" => self.http.put(url),
            _ => panic!("method"),
        };
        if let Some(t) = token {
            rb = rb.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        // The API ignores cookies; send none.
        let saved = std::mem::take(&mut self.cookies);
        let r = self.send(rb).await;
        self.cookies = saved;
        r
    }
}

impl Client {
    /// A JSON POST with an `Idempotency-Key` header.
    pub async fn post_keyed(
        &mut self,
        path: &str,
        token: &str,
        key: &str,
        body: serde_json::Value,
    ) -> Resp {
        let rb = self
            .http
            .post(format!("{}{}", self.base, path))
            .header("authorization", format!("Bearer {token}"))
            .header("idempotency-key", key)
            .json(&body);
        let saved = std::mem::take(&mut self.cookies);
        let r = self.send(rb).await;
        self.cookies = saved;
        r
    }
}

/// A client signed in to the pages (its session cookie set). An account with an
/// authenticator answers the code step with the tests' authenticator; one that must
/// have a second factor and has none sets one up on the security page first (as its
/// person would at the first sign-in).
pub async fn page_client(s: &Server, email: &str, pw: &str) -> Client {
    let mut web = s.client();
    let r = sign_in(&mut web, email, pw).await;
    assert_eq!(r.status, 303, "page login {email}");
    web
}

/// Signs `web` in through the login page, and through the code step or the first
/// set-up of an authenticator when the account needs one (see `page_client`). Returns
/// the login form's answer.
pub async fn sign_in(web: &mut Client, email: &str, pw: &str) -> Resp {
    let r = web
        .submit("/login", "/login", &[("email", email), ("password", pw)])
        .await;
    if r.status != 303 {
        return r;
    }
    let to = r.location();
    if to.starts_with("/login/code") {
        let code = authenticator_code(&web.base, email)
            .unwrap_or_else(|| panic!("{email} has an authenticator the tests do not know"));
        let r = web.submit(&to, &to, &[("code", &code)]).await;
        assert_eq!(r.status, 303, "code step {email}: {}", r.body);
    } else if to.starts_with("/account/security") {
        enrol_page(web, email, pw).await;
    }
    r
}

/// The tests' authenticator app: the secret of every account that set one up through
/// these helpers (by server address and email; the demo admins' published key is known
/// to it) and the last time step it used. Each code signs in once, so the next sign-in
/// takes the next of the steps the server accepts (the one before now, now, the next),
/// waiting for a new step only when all three are used.
static AUTHENTICATORS: Mutex<Option<HashMap<(String, String), Authenticator>>> = Mutex::new(None);

/// One account's authenticator: its secret and the last time step used.
type Authenticator = (Vec<u8>, i64);

/// The demo authenticator's key (`tsunagu demo`, README).
pub const DEMO_TOTP_SECRET: &[u8] = b"tsunagu-demo-totp-26";

/// Unix seconds now.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn totp_for(secret: &[u8]) -> totp_rs::TOTP {
    totp_rs::TOTP::new_unchecked(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        secret.to_vec(),
        None,
        String::new(),
    )
}

/// Remembers the authenticator of `email` (its Base32 secret, as the server hands it out).
pub fn remember_authenticator(base: &str, email: &str, secret_base32: &str) {
    let secret = totp_rs::Secret::Encoded(secret_base32.replace(' ', ""))
        .to_bytes()
        .unwrap();
    let mut all = AUTHENTICATORS.lock().unwrap();
    all.get_or_insert_with(HashMap::new)
        .insert((base.to_owned(), email.to_owned()), (secret, 0));
}

/// The next unused code of `email`'s authenticator (`None`: the tests know none).
pub fn authenticator_code(base: &str, email: &str) -> Option<String> {
    let (secret, step) = {
        let mut all = AUTHENTICATORS.lock().unwrap();
        let all = all.get_or_insert_with(HashMap::new);
        let key = (base.to_owned(), email.to_owned());
        if !all.contains_key(&key) && email.ends_with("@demo.tsunagu.example") {
            all.insert(key.clone(), (DEMO_TOTP_SECRET.to_vec(), 0));
        }
        let (secret, last) = all.get_mut(&key)?;
        // The step before now only while it stays accepted for 10 s more (a loaded
        // machine may take seconds to deliver the code).
        let now = unix_now();
        let earliest = if now % 30 <= 20 {
            now / 30 - 1
        } else {
            now / 30
        };
        let step = earliest.max(*last + 1);
        *last = step;
        (secret.clone(), step)
    };
    // All accepted steps used: wait until this one is accepted.
    let accepted_from = (step - 1) * 30;
    let wait = accepted_from - unix_now();
    if wait > 0 {
        std::thread::sleep(Duration::from_secs(wait as u64 + 1));
    }
    Some(totp_for(&secret).generate(step as u64 * 30))
}

/// Sets an authenticator up through the security page of a signed-in client (the
/// password, then the app's code); the tests' authenticator keeps its secret.
pub async fn enrol_page(web: &mut Client, email: &str, pw: &str) {
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp",
            &[("password", pw)],
        )
        .await;
    assert_eq!(r.status, 303, "set-up start {email}: {}", r.body);
    let page = web.get("/account/security").await;
    let marker = "id=\"totp-secret\" lang=\"en\">";
    let at = page.body.find(marker).expect("secret on the set-up page") + marker.len();
    let secret = page.body[at..].split('<').next().unwrap().to_owned();
    remember_authenticator(&web.base, email, &secret);
    let code = authenticator_code(&web.base, email).unwrap();
    let r = web
        .submit(
            "/account/security",
            "/account/security/totp/confirm",
            &[("code", &code)],
        )
        .await;
    assert_eq!(r.status, 200, "set-up confirm {email}: {}", r.body);
}

/// Sets an authenticator up through the API for a signed-in token; returns the
/// recovery codes. The tests' authenticator keeps its secret.
pub async fn enrol_api(c: &mut Client, t: &str, email: &str, pw: &str) -> Vec<String> {
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp",
            Some(t),
            Some(serde_json::json!({"password": pw})),
        )
        .await;
    assert_eq!(r.status, 201, "set-up start {email}: {}", r.body);
    remember_authenticator(&c.base, email, r.json()["secret"].as_str().unwrap());
    let code = authenticator_code(&c.base, email).unwrap();
    let r = c
        .api(
            "POST",
            "/api/v1/me/second-factor/totp/confirm",
            Some(t),
            Some(serde_json::json!({"code": code})),
        )
        .await;
    assert_eq!(r.status, 200, "set-up confirm {email}: {}", r.body);
    r.json()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

/// Registers through the API and opens the confirmation link mailed to the address, as
/// a person would; returns the user id.
pub async fn register(
    c: &mut Client,
    kind: &str,
    email: &str,
    name: &str,
    org: Option<&str>,
) -> String {
    let id = register_unverified(c, kind, email, name, org).await;
    verify_email(c, email).await;
    id
}

/// Registers through the API and leaves the mailed confirmation link unopened.
pub async fn register_unverified(
    c: &mut Client,
    kind: &str,
    email: &str,
    name: &str,
    org: Option<&str>,
) -> String {
    let mut consents = vec!["privacy_policy"];
    if kind == "seeker" {
        consents.push("sensitive_data");
    }
    let r = c
        .api(
            "POST",
            "/api/v1/auth/register",
            None,
            Some(serde_json::json!({"kind": kind, "email": email, "password": "correct horse battery", "name": name, "organization_name": org.unwrap_or(""), "consents": consents})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["user_id"].as_str().unwrap().to_owned()
}

/// Logs in through the API; returns the bearer token. An account with an
/// authenticator gives the tests' authenticator's code with the password; one that must
/// have a second factor and has none sets one up first (its session may do nothing
/// else until then).
pub async fn token(c: &mut Client, email: &str, password: &str) -> String {
    let login = |code: Option<String>| {
        let mut body = serde_json::json!({"email": email, "password": password});
        if let Some(code) = code {
            body["code"] = serde_json::json!(code);
        }
        body
    };
    let mut r = c
        .api("POST", "/api/v1/auth/login", None, Some(login(None)))
        .await;
    if r.status == 422 && r.json()["error"]["fields"]["code"]["code"] == "code-required" {
        let code = authenticator_code(&c.base, email)
            .unwrap_or_else(|| panic!("{email} has an authenticator the tests do not know"));
        r = c
            .api("POST", "/api/v1/auth/login", None, Some(login(Some(code))))
            .await;
    }
    assert_eq!(r.status, 200, "{}", r.body);
    let t = r.json()["token"].as_str().unwrap().to_owned();
    if r.json()["second_factor_setup_required"] == true {
        enrol_api(c, &t, email, password).await;
    }
    t
}

pub const PW: &str = "correct horse battery";

/// Verifies a company as the operator would (`tsunagu verify`).
pub fn verify_company(s: &Server, org: &str) {
    let out = s.command(&["verify", org]);
    assert!(
        out.status.success(),
        "verify {org}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A complete company profile.
pub fn company_body() -> serde_json::Value {
    serde_json::json!({
        "description": "テスト用の会社です。",
        "industry": "it",
        "size": "s2",
        "corporate_number": "1234567890123",
        "prefecture": 13,
        "address": "千代田区丸の内1-1-1",
        "contact_department": "人事部 採用担当",
        "contact_phone": "03-1234-5678",
        "contact_email": "recruit@example.jp",
        "accommodations": ["hospital_visits"],
    })
}

/// A complete posting; `over` replaces fields.
pub fn posting(over: serde_json::Value) -> serde_json::Value {
    let mut b = serde_json::json!({
        "title": "一般事務スタッフ",
        "category": "office",
        "employment_type": "part_time",
        "duties": "データ入力と書類の整理",
        "duties_change_scope": "会社の定める業務",
        "contract_type": "indefinite",
        "probation": "なし",
        "prefecture": 13,
        "city": "千代田区",
        "address": "千代田区丸の内1-1-1",
        "workplace_change_scope": "変更なし",
        "remote": "none",
        "working_hours": "10:00〜15:00",
        "breaks": "60分",
        "hours_per_week": 20,
        "days_per_week": 4,
        "holidays": "土日祝",
        "overtime": "なし",
        "wage_unit": "hourly",
        "wage_min": 1200,
        "smoking": "no_smoking_indoor",
        "insurance": ["employment", "workers_comp"],
        "accommodations": [],
        "required_skills": ["Excel"],
        "openings": 1,
    });
    for (k, v) in over.as_object().unwrap() {
        b[k] = v.clone();
    }
    b
}

/// The token of the invitation mailed to `to` (from the SMTP sink or the outbox files).
pub fn invitation_token(s: &Server, sink: Option<&SmtpSink>, to: &str) -> String {
    let text = match sink {
        Some(k) => k.wait_for(to).text(),
        None => {
            let dir = s.dir.path().join("mail-outbox");
            let start = std::time::Instant::now();
            loop {
                let found = std::fs::read_dir(&dir).ok().and_then(|rd| {
                    rd.filter_map(|e| e.ok())
                        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                        .find(|t| t.contains(to))
                });
                if let Some(t) = found {
                    break Received {
                        rcpt: vec![],
                        data: t,
                    }
                    .text();
                }
                assert!(start.elapsed().as_secs() < 20, "no invitation mail");
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
    };
    let i = text.find("/invite/").unwrap() + 8;
    text[i..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Parses mails with Python's standard `email` package (the parser real mail programs
/// are measured against): per mail its headers and its decoded text body.
pub fn parse_mails(mails: &[Received]) -> Vec<serde_json::Value> {
    let script = r#"
import sys, json, email, email.policy
out = []
for raw in json.load(sys.stdin):
    # Undo SMTP dot-stuffing: the sink keeps DATA as sent.
    raw = "\r\n".join(l[1:] if l.startswith("..") else l for l in raw.split("\r\n"))
    m = email.message_from_string(raw, policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",))
    out.append({
        "headers": {k.lower(): str(v) for k, v in m.items()},
        "defects": [type(d).__name__ for d in m.defects],
        "content_type": m.get_content_type(),
        "charset": m.get_content_charset(),
        "text": body.get_content() if body is not None else None,
    })
print(json.dumps(out))
"#;
    use std::io::Write;
    let raws: Vec<&str> = mails.iter().map(|m| m.data.as_str()).collect();
    let mut p = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed to parse mail");
    p.stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&raws).unwrap().as_bytes())
        .unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Python's email parser failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

impl SmtpSink {
    /// Every mail received so far, read by Python's `email`: well formed for real
    /// mailboxes (MIME-Version, a Message-ID with a domain, Auto-Submitted, one UTF-8
    /// text part, no defects), and notification mail (the kind that ends with the
    /// settings link) with a one-click List-Unsubscribe. Returns how many were checked.
    pub fn assert_well_formed(&self) -> usize {
        let all: Vec<Received> = self.mails.lock().unwrap().clone();
        for (raw, m) in all.iter().zip(parse_mails(&all)) {
            let h = &m["headers"];
            assert_eq!(h["mime-version"], "1.0", "{}", raw.data);
            let id = h["message-id"].as_str().unwrap_or("");
            let domain = id.trim_end_matches('>').rsplit_once('@').map(|(_, d)| d);
            assert!(
                domain.is_some_and(|d| d.contains('.') || d == "localhost"),
                "Message-ID without a domain: {id}"
            );
            assert_eq!(h["auto-submitted"], "auto-generated", "{}", raw.data);
            assert_eq!(m["content_type"], "text/plain", "{}", raw.data);
            assert_eq!(m["charset"], "utf-8", "{}", raw.data);
            assert_eq!(m["defects"], serde_json::json!([]), "{}", raw.data);
            let text = m["text"].as_str().unwrap_or("");
            if text.contains("/notifications/settings") {
                let unsub = h["list-unsubscribe"].as_str().unwrap_or("");
                assert!(
                    unsub.starts_with('<') && unsub.contains("/api/v1/unsubscribe/"),
                    "notification mail without List-Unsubscribe: {}",
                    raw.data
                );
                assert_eq!(h["list-unsubscribe-post"], "List-Unsubscribe=One-Click");
            } else {
                assert!(h["list-unsubscribe"].is_null(), "{}", raw.data);
            }
        }
        all.len()
    }
}
