//! Start-up as a function tests can call: `Application::build` opens and migrates the
//! database, starts the job workers, binds the listener (port 0 in tests) and returns the
//! running application. `main` only adds telemetry and configuration around it.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use tokio::sync::watch;

use crate::config::Config;
use crate::db::{Db, DbError};
use crate::jobs::{Registry, Runner};
use crate::search::Search;
use crate::web::{self, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("could not listen on {address}: {source}")]
    Bind {
        address: String,
        source: std::io::Error,
    },
    #[error("could not create the data folder {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("could not load the instance's secret key: {0}")]
    Secret(String),
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error("mail: {0}")]
    Mail(#[from] crate::mail::MailError),
}

/// Opens the database, applies pending migrations and seeds the vocabularies.
pub fn prepare_database(config: &Config) -> Result<Db, StartupError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    let db = Db::open(&config.database, config.database_max_connections)?;
    let applied = db.migrate()?;
    for name in &applied {
        tracing::info!(migration = %name, "applied migration");
    }
    let mut conn = db.get()?;
    crate::taxonomy::seed(&mut conn).map_err(DbError::from)?;
    Ok(db)
}

/// Every job kind this server knows how to run.
pub fn job_registry(
    federation: crate::federation::FedConfig,
    mailer: Arc<crate::mail::Mailer>,
) -> Registry {
    let mut registry = Registry::new();
    crate::maintenance::register(&mut registry);
    crate::federation::delivery::register(&mut registry, federation);
    crate::mail::queue::register(&mut registry, mailer);
    registry
}

pub struct Application {
    port: u16,
    server: Server,
    db: Db,
    shutdown: watch::Sender<bool>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Application {
    pub async fn build(mut config: Config) -> Result<Application, StartupError> {
        let listener = TcpListener::bind(config.listen).map_err(|source| StartupError::Bind {
            address: config.listen.to_string(),
            source,
        })?;
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        // Port 0 (tests) means "any free port": the public URL derived from it must name
        // the port actually bound.
        if config.public_url.port() == Some(0) {
            let _ = config.public_url.set_port(Some(port));
        }
        let db = {
            let config = config.clone();
            tokio::task::spawn_blocking(move || prepare_database(&config))
                .await
                .map_err(|_| StartupError::Db(DbError::Cancelled))??
        };

        let config = Arc::new(config);
        let federation = crate::federation::build(db.clone(), config.clone())
            .await
            .map_err(|e| StartupError::Secret(e.to_string()))?;
        let mailer = Arc::new(crate::mail::Mailer::from_config(&config)?);
        let search = Search::new(crate::search::open_engine(&config).await?, db.clone());
        search.install_after_write_hook();
        let digests = crate::digests::run::DigestService::new(
            db.clone(),
            search.clone(),
            mailer.clone(),
            config.clone(),
        )
        .await
        .map_err(|e| StartupError::Secret(e.to_string()))?;
        let state = AppState::new(
            db.clone(),
            config.clone(),
            federation.clone(),
            search.clone(),
        )
        .await
        .map_err(StartupError::Secret)?;

        let (shutdown, shutdown_rx) = watch::channel(false);
        let runner = Runner::new(
            db.clone(),
            job_registry(federation, mailer),
            chrono::Duration::seconds(i64::from(config.jobs.lease_seconds)),
            Duration::from_millis(config.jobs.poll_interval_ms),
        );
        let mut workers = runner.spawn(config.jobs.workers, shutdown_rx.clone());
        workers.push(tokio::spawn(schedule_maintenance(
            db.clone(),
            shutdown_rx.clone(),
        )));
        workers.push(tokio::spawn(send_digests(
            digests,
            Duration::from_secs(u64::from(config.mail.digest_check_seconds)),
            shutdown_rx.clone(),
        )));
        workers.push(tokio::spawn(check_search_then_sync(
            search,
            Duration::from_millis(config.search.sync_interval_ms),
            shutdown_rx,
        )));

        let server = web::server(state, listener).map_err(|source| StartupError::Bind {
            address: config.listen.to_string(),
            source,
        })?;
        Ok(Application {
            port,
            server,
            db,
            shutdown,
            workers,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// Serves until the server stops (Ctrl-C or SIGTERM), then stops the workers.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        let _ = self.shutdown.send(true);
        for worker in self.workers {
            let _ = tokio::time::timeout(Duration::from_secs(10), worker).await;
        }
        result
    }
}

/// Compares the index with the database once, then keeps draining the queue. A new or
/// emptied index is built at once; any other difference is reported with its fix, because
/// rebuilding a large index unasked would surprise a host.
async fn check_search_then_sync(
    search: Arc<Search>,
    interval: Duration,
    shutdown: watch::Receiver<bool>,
) {
    // An index that is new (or was recreated by an upgrade) is rebuilt whole, queued
    // documents included; otherwise the queue is drained and what is left compared.
    let empty = matches!(search.check().await, Ok(r) if r.indexed == 0 && r.expected > 0);
    if empty {
        tracing::info!("building the search index");
        match search.reindex(|_, _| {}).await {
            Ok(count) => tracing::info!(documents = count, "search index built"),
            Err(e) => tracing::error!(error = %e, "could not build the search index"),
        }
    }
    if let Err(e) = search.sync_pending().await {
        tracing::warn!(error = %e, "could not update the search index");
    }
    match search.check().await {
        Ok(report) if !report.in_step() => tracing::warn!(
            "the search index is out of step with the database: {}. Run `mutual search reindex` (with the server stopped when using the embedded index) to rebuild it.",
            report.describe()
        ),
        Ok(report) => tracing::info!(
            engine = search.engine().name(),
            "search index in step: {}",
            report.describe()
        ),
        Err(e) => tracing::warn!(error = %e, "could not check the search index"),
    }
    search.run_periodic(interval, shutdown).await;
}

/// The digest scheduler inside `mutual serve`: plans what is due and sends it, every few
/// seconds; interrupted deliveries are finished on the next round.
async fn send_digests(
    digests: crate::digests::run::DigestService,
    interval: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        match digests.run_now(chrono::Utc::now()).await {
            Ok(report) if report.planned + report.sent + report.failed > 0 => {
                tracing::info!(?report, "digests")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "digest run failed; will try again"),
        }
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            _ = shutdown.changed() => return,
        }
    }
}

async fn schedule_maintenance(db: Db, mut shutdown: watch::Receiver<bool>) {
    loop {
        if let Err(e) = crate::maintenance::schedule(&db).await {
            tracing::warn!(error = %e, "could not schedule maintenance");
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(600)) => {}
            _ = shutdown.changed() => return,
        }
    }
}
