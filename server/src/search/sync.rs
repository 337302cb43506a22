//! Keeping the index in step with the database: draining the pending queue after each write
//! (awaited in the request that made it) and every few seconds (for changes made by other
//! processes, and to retry after the engine was unreachable); rebuilding it all (`reindex`);
//! and the start-up check that compares the two.

use std::sync::{Arc, Weak};
use std::time::Duration;

use super::{documents, pending, Engine, SearchError, SearchQuery, SearchResults};
use crate::db::Db;

const BATCH: i64 = 500;

/// The search capability as the rest of the server holds it: an engine and the database it
/// mirrors.
pub struct Search {
    engine: Engine,
    db: Db,
    /// One drain at a time: two requests finishing together must not index the same rows
    /// twice or remove each other's queue rows early.
    draining: tokio::sync::Mutex<()>,
}

/// What the consistency check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub expected: usize,
    pub indexed: usize,
    /// Should be in the index but are not.
    pub missing: usize,
    /// In the index at an older version.
    pub stale: usize,
    /// In the index but should not be (unpublished, deleted).
    pub extra: usize,
    /// Waiting in the queue (not a fault: they are indexed at the next sync).
    pub pending: i64,
}

impl CheckReport {
    pub fn in_step(&self) -> bool {
        self.missing == 0 && self.stale == 0 && self.extra == 0
    }

    pub fn describe(&self) -> String {
        format!(
            "{} documents expected, {} in the index: {} missing, {} out of date, {} that should not be there ({} waiting in the queue)",
            self.expected, self.indexed, self.missing, self.stale, self.extra, self.pending
        )
    }
}

impl Search {
    pub fn new(engine: Engine, db: Db) -> Arc<Search> {
        Arc::new(Search {
            engine,
            db,
            draining: tokio::sync::Mutex::new(()),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub async fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        self.engine.search(query).await
    }

    /// Indexes everything waiting in the queue. Returns how many documents it handled.
    pub async fn sync_pending(&self) -> Result<usize, SearchError> {
        let _one_at_a_time = self.draining.lock().await;
        let mut handled = 0;
        loop {
            let entries = self.db.query(|conn| pending::take(conn, BATCH)).await?;
            if entries.is_empty() {
                return Ok(handled);
            }
            let batch = entries.clone();
            let (documents, gone) = self
                .db
                .query(move |conn| documents::load(conn, &batch))
                .await?;
            self.engine.upsert(documents).await?;
            self.engine.remove(gone).await?;
            handled += entries.len();
            let more = entries.len() as i64 == BATCH;
            self.db
                .query(move |conn| pending::done(conn, &entries))
                .await?;
            if !more {
                return Ok(handled);
            }
        }
    }

    /// Makes the database's writes index themselves before the request that made them ends.
    pub fn install_after_write_hook(self: &Arc<Search>) {
        // Weak: the database handle lives inside `Search`; a strong reference back would keep
        // both alive forever.
        let search: Weak<Search> = Arc::downgrade(self);
        self.db.set_after_write(Arc::new(move || {
            let search = search.clone();
            Box::pin(async move {
                if let Some(search) = search.upgrade() {
                    if let Err(e) = search.sync_pending().await {
                        // The rows stay queued; the periodic sync tries again.
                        tracing::warn!(error = %e, "search index not updated yet");
                    }
                }
            })
        }));
    }

    /// Drains the queue every `interval` until `shutdown` says stop.
    pub async fn run_periodic(
        self: Arc<Search>,
        interval: Duration,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            if let Err(e) = self.sync_pending().await {
                tracing::warn!(error = %e, "search sync failed; will try again");
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    /// Rebuilds the index from the database. `progress(done, total)` after each batch.
    pub async fn reindex(&self, progress: impl Fn(u64, u64) + Send) -> Result<u64, SearchError> {
        let _one_at_a_time = self.draining.lock().await;
        let total = self.db.query(documents::expected_count).await? as u64;
        progress(0, total);
        // Whatever is queued now is covered by the rebuild.
        let queued = self.db.query(|conn| pending::take(conn, i64::MAX)).await?;
        self.engine.clear().await?;
        let mut after = String::new();
        let mut done = 0u64;
        loop {
            let from = after.clone();
            let entries = self
                .db
                .query(move |conn| documents::all_entries(conn, &from, BATCH))
                .await?;
            let Some(last) = entries.last() else { break };
            after = last.doc_id.clone();
            let count = entries.len() as u64;
            let (docs, _) = self
                .db
                .query(move |conn| documents::load(conn, &entries))
                .await?;
            self.engine.upsert(docs).await?;
            done += count;
            progress(done.min(total), total);
        }
        self.db
            .query(move |conn| pending::done(conn, &queued))
            .await?;
        Ok(done)
    }

    /// Compares the index with the database.
    pub async fn check(&self) -> Result<CheckReport, SearchError> {
        let expected = self.db.query(documents::expected_versions).await?;
        let pending = self.db.query(pending::count).await?;
        let indexed = self.engine.versions().await?;
        let mut report = CheckReport {
            expected: expected.len(),
            indexed: indexed.len(),
            pending,
            ..CheckReport::default()
        };
        for (id, version) in &expected {
            match indexed.get(id) {
                None => report.missing += 1,
                Some(v) if v != version => report.stale += 1,
                Some(_) => {}
            }
        }
        report.extra = indexed
            .keys()
            .filter(|id| !expected.contains_key(*id))
            .count();
        Ok(report)
    }
}
