//! Workers that take jobs from the queue and run the registered handler for each kind.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use tokio::sync::watch;

use super::Job;
use crate::db::{Db, DbError};

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Worth trying again later (a peer is down, a timeout).
    #[error("{0}")]
    Retry(String),
    /// Will never succeed (bad payload, the target is gone).
    #[error("{0}")]
    Permanent(String),
    /// Not now, and not the job's fault: run it again at this time without counting the attempt.
    #[error("deferred until {until}: {reason}")]
    Defer {
        until: chrono::NaiveDateTime,
        reason: String,
    },
}

impl From<DbError> for JobError {
    fn from(e: DbError) -> Self {
        JobError::Retry(e.to_string())
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(e: diesel::result::Error) -> Self {
        JobError::Retry(e.to_string())
    }
}

pub type HandlerResult = Result<(), JobError>;
type BoxedHandler = Arc<
    dyn Fn(JobContext, Job) -> Pin<Box<dyn Future<Output = HandlerResult> + Send>> + Send + Sync,
>;

/// What a handler gets besides its job: the database.
#[derive(Clone)]
pub struct JobContext {
    pub db: Db,
}

/// Handlers by job kind. Capabilities register theirs at start-up.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, BoxedHandler>,
}

impl Registry {
    pub fn new() -> Registry {
        Registry::default()
    }

    pub fn register<F, Fut>(&mut self, kind: &str, handler: F)
    where
        F: Fn(JobContext, Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = HandlerResult> + Send + 'static,
    {
        self.handlers.insert(
            kind.to_string(),
            Arc::new(move |ctx, job| Box::pin(handler(ctx, job))),
        );
    }

    pub fn kinds(&self) -> Vec<String> {
        let mut kinds: Vec<_> = self.handlers.keys().cloned().collect();
        kinds.sort();
        kinds
    }
}

/// Polls the queue and runs jobs, `concurrency` at a time, until told to stop.
#[derive(Clone)]
pub struct Runner {
    pub db: Db,
    pub registry: Registry,
    pub worker_name: String,
    pub lease: chrono::Duration,
    pub poll_interval: StdDuration,
}

impl Runner {
    pub fn new(
        db: Db,
        registry: Registry,
        lease: chrono::Duration,
        poll_interval: StdDuration,
    ) -> Runner {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "mutual".into());
        Runner {
            db,
            registry,
            worker_name: format!("{host}:{}", std::process::id()),
            lease,
            poll_interval,
        }
    }

    /// Starts `concurrency` worker loops; they stop when `shutdown` becomes true.
    pub fn spawn(
        &self,
        concurrency: u32,
        shutdown: watch::Receiver<bool>,
    ) -> Vec<tokio::task::JoinHandle<()>> {
        (0..concurrency)
            .map(|n| {
                let runner = self.clone();
                let shutdown = shutdown.clone();
                tokio::spawn(async move { runner.work(n, shutdown).await })
            })
            .collect()
    }

    async fn work(self, n: u32, mut shutdown: watch::Receiver<bool>) {
        let worker = format!("{}#{n}", self.worker_name);
        loop {
            if *shutdown.borrow() {
                return;
            }
            let ran = match self.run_one(&worker).await {
                Ok(ran) => ran,
                Err(e) => {
                    tracing::warn!(error = %e, "job queue unavailable");
                    false
                }
            };
            if !ran {
                tokio::select! {
                    _ = tokio::time::sleep(self.poll_interval) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    /// Claims and runs one job. Returns whether there was a job to run.
    pub async fn run_one(&self, worker: &str) -> Result<bool, DbError> {
        let lease = self.lease;
        let worker_owned = worker.to_string();
        let claimed = self
            .db
            .run(move |conn| {
                super::fail_abandoned(conn)?;
                super::claim(conn, &worker_owned, lease).map_err(DbError::from)
            })
            .await?;
        let Some(job) = claimed else {
            return Ok(false);
        };
        let token = job.lease_owner.clone().unwrap_or_default();
        let span =
            tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        let _enter = span.enter();
        drop(_enter);

        let outcome = match self.registry.handlers.get(&job.kind).cloned() {
            None => Err(JobError::Permanent(format!(
                "no handler for job kind '{}'",
                job.kind
            ))),
            Some(handler) => {
                let heartbeat = self.spawn_heartbeat(&job.id, &token);
                let ctx = JobContext {
                    db: self.db.clone(),
                };
                let result = handler(ctx, job.clone()).await;
                heartbeat.abort();
                result
            }
        };

        let id = job.id.clone();
        let recorded = match outcome {
            Ok(()) => {
                self.db
                    .run(move |conn| super::complete(conn, &id, &token).map_err(DbError::from))
                    .await?
            }
            Err(JobError::Defer { until, reason }) => {
                tracing::info!(parent: &span, %until, %reason, "job deferred");
                self.db
                    .run(move |conn| super::defer(conn, &job, &token, until).map_err(DbError::from))
                    .await?
            }
            Err(error) => {
                let retryable = matches!(error, JobError::Retry(_));
                let message = error.to_string();
                tracing::warn!(parent: &span, error = %message, retryable, "job failed");
                self.db
                    .run(move |conn| {
                        super::fail(conn, &job, &token, &message, retryable).map_err(DbError::from)
                    })
                    .await?
            }
        };
        if !recorded {
            tracing::warn!(parent: &span, "lost the job's lease before finishing; another worker owns it");
        }
        Ok(true)
    }

    fn spawn_heartbeat(&self, id: &str, token: &str) -> tokio::task::JoinHandle<()> {
        let db = self.db.clone();
        let lease = self.lease;
        let id = id.to_string();
        let token = token.to_string();
        let every = StdDuration::from_millis(
            u64::try_from(lease.num_milliseconds() / 3)
                .unwrap_or(1000)
                .max(100),
        );
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let (id, token) = (id.clone(), token.clone());
                let kept = db
                    .run(move |conn| {
                        super::extend_lease(conn, &id, &token, lease).map_err(DbError::from)
                    })
                    .await;
                if !matches!(kept, Ok(true)) {
                    return;
                }
            }
        })
    }
}
