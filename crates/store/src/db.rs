//! Connections: SQLite (embedded, the default) or PostgreSQL, chosen by the URL.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` (a committed transaction survives
//! power loss) and one writer: every write goes through a single connection behind a
//! mutex, so writers never fight over the lock. PostgreSQL writes use the pool.
use crate::error::{Result, StoreError};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{ManageConnection, Pool};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::sync::{Arc, Mutex};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// The key store's own schema (`keys::KeyStore`): a database apart from the data.
pub const KEYS_SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("keys-migrations/sqlite");
pub const KEYS_POSTGRES_MIGRATIONS: EmbeddedMigrations =
    embed_migrations!("keys-migrations/postgres");

/// Which schema a database holds: the data, or the key store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Data,
    Keys,
}

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

/// Opens one connection of the backend the URL names (never guessing by trial:
/// a PostgreSQL URL that cannot connect is an error, not a new SQLite file).
pub fn establish(url: &str) -> Result<DbConn> {
    match Backend::of_url(url) {
        Backend::Postgres => PgConnection::establish(url)
            .map(DbConn::Pg)
            .map_err(|e| StoreError::Pool(e.to_string())),
        Backend::Sqlite => {
            let mut c =
                SqliteConnection::establish(url).map_err(|e| StoreError::Pool(e.to_string()))?;
            c.batch_execute(SQLITE_PRAGMAS)?;
            Ok(DbConn::Sqlite(c))
        }
    }
}

pub struct Manager {
    url: String,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = StoreError;
    fn connect(&self) -> Result<DbConn> {
        establish(&self.url)
    }
    fn is_valid(&self, conn: &mut DbConn) -> Result<()> {
        conn.batch_execute("SELECT 1").map_err(StoreError::from)
    }
    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// The database handle: a pool for reads and, on SQLite, the one writer.
#[derive(Clone)]
pub struct Db {
    backend: Backend,
    pool: Pool<Manager>,
    writer: Option<Arc<Mutex<DbConn>>>,
    /// Woken after a write that queued mail has committed, so the mail goes out at once
    /// instead of at the outbox's next round.
    mail_queued: Arc<tokio::sync::Notify>,
}

std::thread_local! {
    /// Set by `outbox::enqueue` inside a write; read and cleared when that write ends.
    static MAIL_QUEUED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Notes that the write running on this thread queued mail (`outbox::enqueue`).
pub(crate) fn note_mail_queued() {
    MAIL_QUEUED.with(|q| q.set(true));
}

impl Db {
    /// Connects, and applies pending migrations (under a lock on PostgreSQL so that
    /// several app nodes starting at once do not race).
    pub fn open(url: &str, pool_size: u32) -> Result<Self> {
        Self::open_schema(url, pool_size, Schema::Data)
    }

    /// Connects to a database holding `schema` and applies its pending migrations.
    pub fn open_schema(url: &str, pool_size: u32, schema: Schema) -> Result<Self> {
        let backend = Backend::of_url(url);
        let mut first = establish(url)?;
        run_schema_migrations(&mut first, schema)?;
        let writer = match backend {
            Backend::Sqlite => Some(Arc::new(Mutex::new(first))),
            Backend::Postgres => None,
        };
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(std::time::Duration::from_secs(10))
            .build(Manager {
                url: url.to_owned(),
            })
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        Ok(Self {
            backend,
            pool,
            writer,
            mail_queued: Arc::default(),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs `f` on a pooled connection on the blocking thread pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| StoreError::Pool(e.to_string()))?;
            f(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Join(e.to_string()))?
    }

    /// Runs `f` in one transaction on the writer; it commits only if `f` returns Ok.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T> + Send + 'static,
    {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.write_blocking(f))
            .await
            .map_err(|e| StoreError::Join(e.to_string()))?
    }

    /// The synchronous form of [`Db::write`], for command-line tools.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&mut DbConn) -> Result<T>,
    {
        MAIL_QUEUED.with(|q| q.set(false));
        let done = self.write_transaction(f);
        if MAIL_QUEUED.with(|q| q.replace(false)) && done.is_ok() {
            self.mail_queued.notify_one();
        }
        done
    }

    /// Resolves once a write that queued mail has committed (at once if one did since
    /// the last call): the outbox's wake-up.
    pub async fn mail_queued(&self) {
        self.mail_queued.notified().await
    }

    fn write_transaction<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&mut DbConn) -> Result<T>,
    {
        match &self.writer {
            Some(writer) => {
                let mut guard = writer
                    .lock()
                    .map_err(|_| StoreError::Pool("writer lock poisoned".into()))?;
                immediate(&mut guard, f)
            }
            None => {
                let mut conn = self
                    .pool
                    .get()
                    .map_err(|e| StoreError::Pool(e.to_string()))?;
                (*conn).transaction(f)
            }
        }
    }

    /// The synchronous form of [`Db::read`].
    pub fn read_blocking<T, F>(&self, f: F) -> Result<T>
    where
        F: FnOnce(&mut DbConn) -> Result<T>,
    {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| StoreError::Pool(e.to_string()))?;
        f(&mut conn)
    }

    /// Readiness: the database answers.
    pub async fn ping(&self) -> Result<()> {
        self.read(|c| c.batch_execute("SELECT 1").map_err(StoreError::from))
            .await
    }
}

/// One SQLite write transaction begun `IMMEDIATE`: it takes the write lock first (waiting
/// up to the busy timeout for another process's writer, e.g. a command run beside the
/// server), so that it never fails half-way upgrading a read to a write.
fn immediate<T, F>(conn: &mut DbConn, f: F) -> Result<T>
where
    F: FnOnce(&mut DbConn) -> Result<T>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let DbConn::Sqlite(c) = conn else {
        return conn.transaction(f);
    };
    AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    match f(conn) {
        Ok(v) => {
            if let DbConn::Sqlite(c) = conn {
                AnsiTransactionManager::commit_transaction(c)?;
            }
            Ok(v)
        }
        Err(e) => {
            if let DbConn::Sqlite(c) = conn {
                let _ = AnsiTransactionManager::rollback_transaction(c);
            }
            Err(e)
        }
    }
}

/// Applies pending migrations of the connection's backend.
pub fn run_migrations(conn: &mut DbConn) -> Result<()> {
    run_schema_migrations(conn, Schema::Data)
}

fn run_schema_migrations(conn: &mut DbConn, schema: Schema) -> Result<()> {
    let mig = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    let (sqlite, postgres, lock) = match schema {
        Schema::Data => (SQLITE_MIGRATIONS, POSTGRES_MIGRATIONS, 7412001),
        Schema::Keys => (KEYS_SQLITE_MIGRATIONS, KEYS_POSTGRES_MIGRATIONS, 7412002),
    };
    match conn {
        DbConn::Sqlite(c) => {
            c.run_pending_migrations(sqlite).map_err(mig)?;
        }
        DbConn::Pg(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({lock})")).execute(c)?;
            let r = c.run_pending_migrations(postgres).map(|_| ());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({lock})")).execute(c)?;
            r.map_err(mig)?;
        }
    }
    Ok(())
}

/// Reverts every migration (used by the test that each `down` undoes its `up`).
pub fn revert_all(conn: &mut DbConn) -> Result<()> {
    let mig = |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map_err(mig)?,
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map_err(mig)?,
    };
    Ok(())
}

/// Creates an empty PostgreSQL database `name` through the server at `admin_url`
/// (used by the test suite: each test server gets its own database).
pub fn create_pg_database(admin_url: &str, name: &str) -> Result<()> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Migration("invalid database name".into()));
    }
    let mut c = PgConnection::establish(admin_url).map_err(|e| StoreError::Pool(e.to_string()))?;
    diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c)?;
    Ok(())
}

/// The URL of a PostgreSQL database beside the one `url` names, called `<name><suffix>`
/// (the key store's default: `tsunagu` → `tsunagu_keys`).
pub fn pg_sibling_url(url: &str, suffix: &str) -> Option<String> {
    let (head, query) = match url.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (url, None),
    };
    let (base, name) = head.rsplit_once('/')?;
    if name.is_empty() || base.ends_with('/') {
        return None;
    }
    let mut out = format!("{base}/{name}{suffix}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Some(out)
}

/// Creates the PostgreSQL database `url` names unless it exists (connecting to the
/// server's `postgres` database to do so).
pub fn ensure_pg_database(url: &str) -> Result<()> {
    use diesel::sql_types::Text;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    if PgConnection::establish(url).is_ok() {
        return Ok(());
    }
    let head = url.split_once('?').map_or(url, |(h, _)| h);
    let (base, name) = head
        .rsplit_once('/')
        .ok_or_else(|| StoreError::Pool("database URL without a database name".into()))?;
    let admin = format!("{base}/postgres");
    let mut c = PgConnection::establish(&admin).map_err(|e| StoreError::Pool(e.to_string()))?;
    let have: N = diesel::sql_query("SELECT count(*) AS n FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(name)
        .get_result(&mut c)?;
    if have.n == 0 {
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::Migration("invalid database name".into()));
        }
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut c)?;
    }
    Ok(())
}

/// Drops a database made by [`create_pg_database`].
pub fn drop_pg_database(admin_url: &str, name: &str) -> Result<()> {
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(StoreError::Migration("invalid database name".into()));
    }
    let mut c = PgConnection::establish(admin_url).map_err(|e| StoreError::Pool(e.to_string()))?;
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c)?;
    Ok(())
}

/// Runs raw SQL (tests and maintenance only; application code uses the typed queries).
pub fn execute_raw(conn: &mut DbConn, sql: &str) -> Result<()> {
    conn.batch_execute(sql).map_err(StoreError::from)
}

/// The raw bytes of every table and TOAST file of the PostgreSQL database (superuser
/// only; used by the test that proves no plaintext reaches the table data).
pub fn relation_bytes(conn: &mut DbConn) -> Result<Vec<u8>> {
    use diesel::sql_types::{Binary, Text};
    #[derive(diesel::QueryableByName)]
    struct Rel {
        #[diesel(sql_type = Text)]
        path: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Bytes {
        #[diesel(sql_type = Binary)]
        data: Vec<u8>,
    }
    let DbConn::Pg(c) = conn else {
        return Ok(Vec::new());
    };
    let rels: Vec<Rel> = diesel::sql_query(
        "SELECT pg_relation_filepath(c.oid) AS path FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 't') AND pg_relation_filepath(c.oid) IS NOT NULL",
    )
    .load(c)?;
    let mut out = Vec::new();
    for r in rels {
        let q = diesel::sql_query("SELECT pg_read_binary_file($1, 0, 100000000, true) AS data")
            .bind::<Text, _>(&r.path);
        if let Ok(b) = q.get_result::<Bytes>(c) {
            out.extend(b.data);
        }
    }
    Ok(out)
}

#[derive(diesel::QueryableByName)]
struct TextRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    v: String,
}

/// Runs a raw query whose single column is named `v` (text) and returns the values.
/// For the benchmark's plain-SQL baselines only; never with user input.
pub fn query_texts(conn: &mut DbConn, sql: &str) -> Result<Vec<String>> {
    Ok(diesel::sql_query(sql)
        .load::<TextRow>(conn)?
        .into_iter()
        .map(|r| r.v)
        .collect())
}
