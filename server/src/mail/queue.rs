//! Sending through the durable job queue: a message queued in the same transaction as the
//! change that caused it (a sign-up, an approval) is sent even if the server restarts, and
//! retried with backoff while the mail server has a passing problem.

use std::sync::Arc;

use diesel::QueryResult;

use super::{Mailer, Outgoing};
use crate::db::DbConn;
use crate::jobs::{self, JobContext, JobError, NewJob, Registry};

pub const SEND: &str = "mail.send";

pub fn enqueue(conn: &mut DbConn, outgoing: &Outgoing) -> QueryResult<()> {
    let payload = serde_json::to_value(outgoing).unwrap_or_default();
    jobs::enqueue(conn, NewJob::new(SEND, payload).max_attempts(12)).map(|_| ())
}

pub fn register(registry: &mut Registry, mailer: Arc<Mailer>) {
    registry.register(SEND, move |_ctx: JobContext, job| {
        let mailer = mailer.clone();
        async move {
            let outgoing: Outgoing = serde_json::from_str(&job.payload)
                .map_err(|e| JobError::Permanent(format!("not a mail: {e}")))?;
            match mailer.send(&outgoing).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err(JobError::Permanent(e.to_string())),
                Err(e) => Err(JobError::Retry(e.to_string())),
            }
        }
    });
}
