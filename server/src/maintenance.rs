//! Housekeeping: takes down stories whose consent has expired, and keeps tables small
//! (expired sessions, old login attempts, old finished jobs). Runs as an hourly job on
//! the queue, so it is itself durable.

use chrono::Utc;

use crate::db::{Db, DbError};
use crate::jobs::{self, JobContext, JobError, NewJob, Registry};

pub const JOB_KIND: &str = "maintenance.prune";

pub fn register(registry: &mut Registry) {
    registry.register(JOB_KIND, |ctx: JobContext, _job| async move {
        ctx.db
            .run(|conn| {
                let expired = crate::content::workflow::expire_consents(conn)
                    .map_err(|e| JobError::Retry(e.to_string()))?;
                // Peers that received these stories must remove their copies too.
                for id in &expired {
                    crate::federation::delivery::enqueue_change(
                        conn,
                        id,
                        crate::federation::delivery::Change::Removed,
                    )?;
                }
                crate::accounts::sessions::prune_expired(conn)?;
                crate::accounts::prune_login_attempts(conn, 24 * 60)?;
                jobs::prune_finished(conn, 14)?;
                Ok::<_, JobError>(())
            })
            .await
    });
}

/// Enqueues this hour's maintenance job; the dedupe key makes repeated calls harmless.
pub async fn schedule(db: &Db) -> Result<(), DbError> {
    let now = Utc::now();
    let key = format!("{JOB_KIND}:{}", now.format("%Y-%m-%dT%H"));
    db.run(move |conn| {
        jobs::enqueue(
            conn,
            NewJob::new(JOB_KIND, serde_json::json!({})).dedupe(key),
        )
        .map_err(DbError::from)
    })
    .await
    .map(|_| ())
}
