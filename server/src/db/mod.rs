//! Storage: the connection pool for SQLite or PostgreSQL (chosen at run time by the URL),
//! migrations, and the hand-written schema. Capability modules own their own query
//! functions; this module owns only what is shared by all of them and must not know
//! about accounts, organisations or any other domain concept.

pub mod copy;
pub mod schema;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection to either database. Query code is written once against this type;
/// the few backend-specific statements `match` on it in a single place each.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// A parsed database URL: `sqlite:<path>` / `sqlite://<path>` or `postgres://…` / `postgresql://…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(
                    "the SQLite URL has no file path (example: sqlite://data/mutual.db)".into(),
                );
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
        }
        Err(format!(
            "'{url}' is not a database URL Mutual understands: use sqlite://PATH or postgres://USER@HOST/DB"
        ))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password replaced, for logs and `config check`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(raw) => match url::Url::parse(raw) {
                Ok(mut parsed) if parsed.password().is_some() => {
                    let _ = parsed.set_password(Some("********"));
                    parsed.to_string()
                }
                _ => raw.clone(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("could not open the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("could not get a database connection from the pool: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("could not run migrations: {0}")]
    Migration(String),
    #[error("could not create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("the database task was cancelled")]
    Cancelled,
}

/// Opens connections for the pool and applies SQLite's per-connection settings.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url }
    }

    pub fn connect_now(&self) -> Result<DbConn, diesel::ConnectionError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                Ok(DbConn::Postgres(diesel::PgConnection::establish(url)?))
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                // WAL lets readers run beside the one writer; busy_timeout makes writers queue
                // instead of failing; foreign keys are off by default in SQLite.
                conn.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                )
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

impl ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        self.connect_now().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// Work a capability wants done after a [`Db::run`] that changed something it follows (the
/// search index catching up with an edit), awaited before `run` returns so that the caller's
/// request sees its effect.
pub type AfterWrite = Arc<dyn Fn() -> futures_util::future::BoxFuture<'static, ()> + Send + Sync>;

thread_local! {
    static AFTER_WRITE_REQUESTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Called by query functions, inside a `Db::run`, when the after-write hook must run once the
/// work is done. Outside `Db::run` (command-line tools) it does nothing; their changes are
/// picked up by the periodic sync instead.
pub fn request_after_write() {
    AFTER_WRITE_REQUESTED.with(|flag| flag.set(true));
}

/// The shared handle to the database: a pool plus which backend it is.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
    after_write: Arc<std::sync::OnceLock<AfterWrite>>,
}

impl Db {
    /// Opens the pool. For SQLite the folder of the file is created if missing.
    pub fn open(url: &DatabaseUrl, max_connections: u32) -> Result<Db, DbError> {
        if let DatabaseUrl::Sqlite(path) = url {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        }
        let manager = ConnectionManager::new(url.clone());
        // Fail fast with the real connection error rather than r2d2's generic timeout.
        drop(manager.connect_now()?);
        let pool = r2d2::Pool::builder()
            .max_size(max_connections.max(1))
            .connection_timeout(Duration::from_secs(10))
            .build(manager)?;
        Ok(Db {
            pool,
            backend: url.backend(),
            after_write: Arc::default(),
        })
    }

    /// Installs the after-write hook (once; later calls are ignored).
    pub fn set_after_write(&self, hook: AfterWrite) {
        let _ = self.after_write.set(hook);
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConn, DbError> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking diesel code on the blocking thread pool, never on the async executor.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let (result, requested) = tokio::task::spawn_blocking(move || {
            AFTER_WRITE_REQUESTED.with(|flag| flag.set(false));
            let result = pool
                .get()
                .map_err(|e| E::from(DbError::Pool(e)))
                .and_then(|mut conn| work(&mut conn));
            (
                result,
                AFTER_WRITE_REQUESTED.with(|flag| flag.replace(false)),
            )
        })
        .await
        .map_err(|_| E::from(DbError::Cancelled))?;
        if requested {
            if let Some(hook) = self.after_write.get() {
                hook().await;
            }
        }
        result
    }

    /// [`Db::run`] for plain diesel queries.
    pub async fn query<T, F>(&self, work: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConn) -> QueryResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| work(conn).map_err(DbError::from))
            .await
    }

    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        run_migrations(&mut conn)
    }
}

/// Applies pending migrations for whichever backend this connection is, returning their names.
pub fn run_migrations(conn: &mut DbConn) -> Result<Vec<String>, DbError> {
    let applied = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
        DbConn::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
    }
    .map_err(|e| DbError::Migration(e.to_string()))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

pub fn backend_of(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Sqlite(_) => Backend::Sqlite,
        DbConn::Postgres(_) => Backend::Postgres,
    }
}

/// The current time as stored in the database: UTC, microsecond precision on both backends.
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros())
        .unwrap_or(now)
        .naive_utc()
}

/// A new primary key: UUID v7, so keys sort by creation time on both backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Reads a small key/value setting of the instance.
pub fn get_setting(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    use schema::instance_settings::dsl as s;
    s::instance_settings
        .filter(s::key.eq(key))
        .select(s::value)
        .first(conn)
        .optional()
}

/// Writes a setting only if it is not set yet and returns whichever value is stored, so
/// concurrent first starts agree on one value (a secret key, for example).
pub fn get_or_init_setting(
    conn: &mut DbConn,
    key: &str,
    init: impl FnOnce() -> String,
) -> QueryResult<String> {
    use schema::instance_settings::dsl as s;
    if let Some(existing) = get_setting(conn, key)? {
        return Ok(existing);
    }
    let value = init();
    let inserted = diesel::insert_into(s::instance_settings)
        .values((s::key.eq(key), s::value.eq(&value)))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(value),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => get_setting(conn, key)?.ok_or(diesel::result::Error::NotFound),
        Err(e) => Err(e),
    }
}

/// A transaction that will write. On SQLite it takes the write lock at its first statement:
/// a plain (deferred) transaction that reads first and writes later fails at once with
/// "database is locked" when another connection writes meanwhile, instead of waiting.
/// Use this for every transaction that writes; it nests like `Connection::transaction`.
pub fn write_transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if let DbConn::Sqlite(sqlite) = conn {
            // A no-op write: it matches no row, but still takes SQLite's write lock, waiting
            // for it through busy_timeout.
            sqlite.batch_execute("UPDATE instance_settings SET value = value WHERE key = ''")?;
        }
        work(conn)
    })
}

/// True when an error is a unique-constraint violation (e.g. a handle already taken).
pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
