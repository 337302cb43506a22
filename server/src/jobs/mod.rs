//! The durable job queue, stored in the database so jobs survive restarts. Workers claim
//! a job with a lease; a job whose worker dies is reclaimed when the lease runs out.
//! Completion is recorded only by the worker that still holds the lease, so a job is
//! marked done exactly once; handlers must be idempotent because a job can run again
//! after a crash. Federation delivery, search indexing and digests all run here. This
//! module knows the queue, not what any job does: handlers are registered by the
//! capability that owns them.

pub mod runner;

use chrono::Duration;
use diesel::prelude::*;
use rand::Rng;
use serde::Serialize;

use crate::db::schema::jobs;
use crate::db::{self, DbConn};

pub use runner::{HandlerResult, JobContext, JobError, Registry, Runner};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: String,
    pub dedupe_key: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: chrono::NaiveDateTime,
    pub lease_owner: Option<String>,
    pub lease_expires_at: Option<chrono::NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
    pub finished_at: Option<chrono::NaiveDateTime>,
}

/// A job to enqueue. A `dedupe_key` makes enqueueing idempotent: a second job with the
/// same key is not created.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub dedupe_key: Option<String>,
    pub run_at: Option<chrono::NaiveDateTime>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value) -> NewJob {
        NewJob {
            kind: kind.to_string(),
            payload,
            dedupe_key: None,
            run_at: None,
            max_attempts: 8,
        }
    }
    pub fn dedupe(mut self, key: impl Into<String>) -> NewJob {
        self.dedupe_key = Some(key.into());
        self
    }
    pub fn at(mut self, run_at: chrono::NaiveDateTime) -> NewJob {
        self.run_at = Some(run_at);
        self
    }
    pub fn max_attempts(mut self, attempts: i32) -> NewJob {
        self.max_attempts = attempts.max(1);
        self
    }
}

/// Adds a job. Returns its id, or `None` when a job with the same dedupe key exists.
pub fn enqueue(conn: &mut DbConn, job: NewJob) -> QueryResult<Option<String>> {
    if let Some(key) = &job.dedupe_key {
        let exists = jobs::table
            .filter(jobs::dedupe_key.eq(key))
            .count()
            .get_result::<i64>(conn)?;
        if exists > 0 {
            return Ok(None);
        }
    }
    let id = db::new_id();
    let now = db::now();
    let inserted = diesel::insert_into(jobs::table)
        .values((
            jobs::id.eq(&id),
            jobs::kind.eq(&job.kind),
            jobs::payload.eq(job.payload.to_string()),
            jobs::dedupe_key.eq(&job.dedupe_key),
            jobs::state.eq("queued"),
            jobs::attempts.eq(0),
            jobs::max_attempts.eq(job.max_attempts),
            jobs::run_at.eq(job.run_at.unwrap_or(now)),
            jobs::created_at.eq(now),
            jobs::updated_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(Some(id)),
        // Another request enqueued the same key between our check and insert.
        Err(e) if db::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The filter for jobs a worker may take now: queued and due, or running with an expired
/// lease (its worker died) and attempts left. Written as a macro because the two backends'
/// query types differ while the SQL is the same.
macro_rules! claimable {
    ($now:expr) => {
        jobs::state
            .eq("queued")
            .and(jobs::run_at.le($now))
            .or(jobs::state
                .eq("running")
                .and(jobs::lease_expires_at.lt($now))
                .and(jobs::attempts.lt(jobs::max_attempts)))
    };
}

/// Claims the next due job for `worker`, holding it for `lease`. Returns the job with the
/// claim token (in `lease_owner`) that `complete`/`fail` must present.
pub fn claim(conn: &mut DbConn, worker: &str, lease: Duration) -> QueryResult<Option<Job>> {
    let now = db::now();
    let token = format!("{worker}/{}", db::new_id());
    let expires = now + lease;
    let claimed_id: Option<String> = match conn {
        DbConn::Postgres(pg) => pg.transaction(|pg| {
            // SKIP LOCKED lets many workers claim different jobs without waiting on each other.
            let id: Option<String> = jobs::table
                .filter(claimable!(now))
                .order(jobs::run_at.asc())
                .select(jobs::id)
                .limit(1)
                .for_update()
                .skip_locked()
                .first(pg)
                .optional()?;
            if let Some(id) = &id {
                diesel::update(jobs::table.filter(jobs::id.eq(id)))
                    .set((
                        jobs::state.eq("running"),
                        jobs::lease_owner.eq(&token),
                        jobs::lease_expires_at.eq(expires),
                        jobs::attempts.eq(jobs::attempts + 1),
                        jobs::updated_at.eq(now),
                    ))
                    .execute(pg)?;
            }
            Ok::<_, diesel::result::Error>(id)
        })?,
        DbConn::Sqlite(sqlite) => sqlite.immediate_transaction(|sqlite| {
            // SQLite has one writer at a time; the immediate transaction takes the write
            // lock before reading, so two workers can never pick the same row.
            let id: Option<String> = jobs::table
                .filter(claimable!(now))
                .order(jobs::run_at.asc())
                .select(jobs::id)
                .limit(1)
                .first(sqlite)
                .optional()?;
            if let Some(id) = &id {
                diesel::update(jobs::table.filter(jobs::id.eq(id)))
                    .set((
                        jobs::state.eq("running"),
                        jobs::lease_owner.eq(&token),
                        jobs::lease_expires_at.eq(expires),
                        jobs::attempts.eq(jobs::attempts + 1),
                        jobs::updated_at.eq(now),
                    ))
                    .execute(sqlite)?;
            }
            Ok::<_, diesel::result::Error>(id)
        })?,
    };
    match claimed_id {
        Some(id) => get(conn, &id).map(Some),
        None => Ok(None),
    }
}

pub fn get(conn: &mut DbConn, id: &str) -> QueryResult<Job> {
    jobs::table
        .filter(jobs::id.eq(id))
        .select(Job::as_select())
        .first(conn)
}

/// Marks the job done if `token` still holds its lease. Returns false when the lease was
/// lost (the job was taken over), in which case the other worker's outcome counts.
pub fn complete(conn: &mut DbConn, id: &str, token: &str) -> QueryResult<bool> {
    let now = db::now();
    let changed = diesel::update(
        jobs::table
            .filter(jobs::id.eq(id))
            .filter(jobs::state.eq("running"))
            .filter(jobs::lease_owner.eq(token)),
    )
    .set((
        jobs::state.eq("done"),
        jobs::lease_owner.eq(None::<String>),
        jobs::lease_expires_at.eq(None::<chrono::NaiveDateTime>),
        jobs::finished_at.eq(now),
        jobs::updated_at.eq(now),
        jobs::last_error.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Exponential backoff with jitter: about 10 s, 20 s, 40 s… capped at six hours, so a job
/// with 24 attempts keeps trying for more than three days.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 16) - 1).unwrap_or(0);
    let base = 10i64.saturating_mul(1i64 << exponent).min(6 * 3600);
    let jitter = rand::thread_rng().gen_range(0..=base / 4);
    Duration::seconds(base + jitter)
}

/// Records a failure. A retryable failure with attempts left is queued again after a
/// backoff; otherwise the job is marked failed for good.
pub fn fail(
    conn: &mut DbConn,
    job: &Job,
    token: &str,
    error: &str,
    retryable: bool,
) -> QueryResult<bool> {
    let now = db::now();
    let error: String = error.chars().take(2000).collect();
    let owned = jobs::table
        .filter(jobs::id.eq(&job.id))
        .filter(jobs::state.eq("running"))
        .filter(jobs::lease_owner.eq(token));
    let changed = if retryable && job.attempts < job.max_attempts {
        diesel::update(owned)
            .set((
                jobs::state.eq("queued"),
                jobs::run_at.eq(now + backoff(job.attempts)),
                jobs::lease_owner.eq(None::<String>),
                jobs::lease_expires_at.eq(None::<chrono::NaiveDateTime>),
                jobs::last_error.eq(&error),
                jobs::updated_at.eq(now),
            ))
            .execute(conn)?
    } else {
        diesel::update(owned)
            .set((
                jobs::state.eq("failed"),
                jobs::lease_owner.eq(None::<String>),
                jobs::lease_expires_at.eq(None::<chrono::NaiveDateTime>),
                jobs::last_error.eq(&error),
                jobs::finished_at.eq(now),
                jobs::updated_at.eq(now),
            ))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// Puts a claimed job back without counting the attempt, to run at `until` (used when the
/// job's target is known to be down, so it does not use up its attempts waiting).
pub fn defer(
    conn: &mut DbConn,
    job: &Job,
    token: &str,
    until: chrono::NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        jobs::table
            .filter(jobs::id.eq(&job.id))
            .filter(jobs::state.eq("running"))
            .filter(jobs::lease_owner.eq(token)),
    )
    .set((
        jobs::state.eq("queued"),
        jobs::run_at.eq(until),
        jobs::attempts.eq((job.attempts - 1).max(0)),
        jobs::lease_owner.eq(None::<String>),
        jobs::lease_expires_at.eq(None::<chrono::NaiveDateTime>),
        jobs::updated_at.eq(db::now()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Keeps a long job's lease alive while its worker is still working on it.
pub fn extend_lease(
    conn: &mut DbConn,
    id: &str,
    token: &str,
    lease: Duration,
) -> QueryResult<bool> {
    let changed = diesel::update(
        jobs::table
            .filter(jobs::id.eq(id))
            .filter(jobs::state.eq("running"))
            .filter(jobs::lease_owner.eq(token)),
    )
    .set(jobs::lease_expires_at.eq(db::now() + lease))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Jobs whose worker died on their last attempt can never be claimed again; mark them failed.
pub fn fail_abandoned(conn: &mut DbConn) -> QueryResult<usize> {
    let now = db::now();
    diesel::update(
        jobs::table
            .filter(jobs::state.eq("running"))
            .filter(jobs::lease_expires_at.lt(now))
            .filter(jobs::attempts.ge(jobs::max_attempts)),
    )
    .set((
        jobs::state.eq("failed"),
        jobs::lease_owner.eq(None::<String>),
        jobs::last_error.eq("the worker stopped during the last attempt"),
        jobs::finished_at.eq(now),
        jobs::updated_at.eq(now),
    ))
    .execute(conn)
}

/// Counts by state, for the admin page and `/healthz`.
pub fn counts(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    jobs::table
        .group_by(jobs::state)
        .select((jobs::state, diesel::dsl::count_star()))
        .order(jobs::state.asc())
        .load(conn)
}

/// Finished jobs are kept a while for inspection, then removed.
pub fn prune_finished(conn: &mut DbConn, older_than_days: i64) -> QueryResult<usize> {
    let cutoff = db::now() - Duration::days(older_than_days);
    diesel::delete(
        jobs::table
            .filter(jobs::state.eq("done"))
            .filter(jobs::finished_at.lt(cutoff)),
    )
    .execute(conn)
}
