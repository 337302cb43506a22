//! Sending: every outgoing activity becomes one durable job per inbox, signed with the
//! sending organisation's key when it runs. Jobs survive restarts and are retried with
//! backoff; a receiver that answers 4xx (other than 408/429) is not retried.

use activitypub_federation::activity_sending::SendActivityTask;
use activitypub_federation::config::Data;
use activitypub_federation::traits::Activity;
use async_trait::async_trait;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use url::Url;

use super::objects::{self, DbArticle};
use super::{FedConfig, FedData, FederationError};
use crate::content::{store, Status};
use crate::db::schema::{follows, organisations};
use crate::db::{Db, DbConn, DbError};
use crate::jobs::{self, JobContext, JobError, NewJob, Registry};

pub const DELIVER: &str = "federation.deliver";
pub const FANOUT: &str = "federation.fanout";

/// An activity already built as JSON, ready to sign and send.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawActivity {
    pub id: Url,
    pub actor: Url,
    #[serde(flatten)]
    pub rest: serde_json::Map<String, serde_json::Value>,
}

#[async_trait]
impl Activity for RawActivity {
    type DataType = FedData;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.id
    }
    fn actor(&self) -> &Url {
        &self.actor
    }
    async fn verify(&self, _data: &Data<FedData>) -> Result<(), FederationError> {
        Err(FederationError::Refused("outgoing only".into()))
    }
    async fn receive(self, _data: &Data<FedData>) -> Result<(), FederationError> {
        Err(FederationError::Refused("outgoing only".into()))
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct DeliverPayload {
    /// The local organisation (handle) that signs.
    sender: String,
    inbox: String,
    activity: serde_json::Value,
}

/// Queues `activity` (with its `@context`) for each inbox, once per activity and inbox.
pub fn enqueue(
    conn: &mut DbConn,
    sender_handle: &str,
    activity: &serde_json::Value,
    inboxes: &[Url],
) -> QueryResult<usize> {
    let id = activity
        .get("id")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_string();
    // All deliveries of one activity are queued together or not at all.
    crate::db::write_transaction(conn, |conn| {
        let mut queued = 0;
        let mut seen = std::collections::BTreeSet::new();
        for inbox in inboxes.iter().filter(|i| seen.insert(i.to_string())) {
            let payload = DeliverPayload {
                sender: sender_handle.to_string(),
                inbox: inbox.to_string(),
                activity: activity.clone(),
            };
            let job = NewJob::new(DELIVER, serde_json::to_value(&payload).unwrap_or_default())
                .dedupe(format!("deliver:{id}:{inbox}"))
                // With the six-hour backoff cap this keeps trying for more than three days.
                .max_attempts(24);
            if jobs::enqueue(conn, job)?.is_some() {
                queued += 1;
            }
        }
        Ok(queued)
    })
}

/// The inboxes of an organisation's accepted followers (shared inboxes where known).
pub fn follower_inboxes(conn: &mut DbConn, actor: &str) -> QueryResult<Vec<Url>> {
    let inboxes: Vec<String> = follows::table
        .filter(follows::following.eq(actor))
        .filter(follows::state.eq("accepted"))
        .select(follows::follower_inbox)
        .distinct()
        .load(conn)?;
    Ok(inboxes.iter().filter_map(|i| Url::parse(i).ok()).collect())
}

/// What happened to a local item, as the fan-out job needs to know it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Published,
    Updated,
    Removed,
}

/// Called by the web and API layers after any workflow step or edit, with the item's status
/// before and after: queues Create, Update or Delete for its organisation's followers.
pub async fn after_change(
    db: &Db,
    content_id: &str,
    before: Status,
    after: Status,
) -> Result<(), DbError> {
    let change = match (before == Status::Published, after == Status::Published) {
        (false, true) => Change::Published,
        (true, true) => Change::Updated,
        (true, false) => Change::Removed,
        (false, false) => return Ok(()),
    };
    content_changed(db, content_id, change).await
}

/// Queues the fan-out of one change to followers.
pub async fn content_changed(db: &Db, content_id: &str, change: Change) -> Result<(), DbError> {
    let id = content_id.to_string();
    db.query(move |conn| enqueue_change(conn, &id, change))
        .await
}

/// The same, inside a caller's database work (the maintenance job uses it).
pub fn enqueue_change(conn: &mut DbConn, content_id: &str, change: Change) -> QueryResult<()> {
    let payload = serde_json::json!({ "content_id": content_id, "change": change });
    jobs::enqueue(conn, NewJob::new(FANOUT, payload)).map(|_| ())
}

fn retry_or_fail(error: activitypub_federation::error::Error) -> JobError {
    let text = error.to_string();
    // The library reports the receiver's status in its error text.
    let permanent = ["400", "401", "403", "404", "405", "410", "413", "422"]
        .iter()
        .any(|code| text.contains(&format!("status {code}")) || text.contains(&format!("({code}")));
    if permanent {
        JobError::Permanent(text)
    } else {
        JobError::Retry(text)
    }
}

/// One semaphore per remote host: at most `max_deliveries_per_host` sends at once.
fn host_permits(host: &str, limit: u32) -> std::sync::Arc<tokio::sync::Semaphore> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static HOSTS: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>> = OnceLock::new();
    let hosts = HOSTS.get_or_init(Mutex::default);
    let mut hosts = hosts
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    hosts
        .entry(host.to_string())
        .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(limit.max(1) as usize)))
        .clone()
}

/// Host health: whether deliveries to `host` should wait, and until when.
fn host_paused_until(conn: &mut DbConn, host: &str) -> QueryResult<Option<chrono::NaiveDateTime>> {
    use crate::db::schema::delivery_hosts as h;
    let until: Option<Option<chrono::NaiveDateTime>> = h::table
        .filter(h::host.eq(host))
        .select(h::paused_until)
        .first(conn)
        .optional()?;
    Ok(until.flatten().filter(|t| *t > crate::db::now()))
}

/// Records the outcome of a delivery to `host`: success clears the failures; a failure
/// pauses the host for a growing time.
fn record_host(conn: &mut DbConn, host: &str, failure: Option<&str>) -> QueryResult<()> {
    use crate::db::schema::delivery_hosts as h;
    let now = crate::db::now();
    let failures: Option<i32> = h::table
        .filter(h::host.eq(host))
        .select(h::failures)
        .first(conn)
        .optional()?;
    if failure.is_none() && failures.unwrap_or(0) == 0 {
        // A healthy host stays healthy: no write on the common path.
        return Ok(());
    }
    let failures = failures.unwrap_or(0);
    let (failures, paused_until) = match failure {
        Some(_) => (failures + 1, Some(now + jobs::backoff(failures + 1))),
        None => (0, None),
    };
    diesel::delete(h::table.filter(h::host.eq(host))).execute(conn)?;
    diesel::insert_into(h::table)
        .values((
            h::host.eq(host),
            h::failures.eq(failures),
            h::last_error.eq(failure),
            h::paused_until.eq(paused_until),
            h::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

async fn deliver(fed: FedConfig, ctx: JobContext, job: jobs::Job) -> Result<(), JobError> {
    let payload: DeliverPayload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
    let data = fed.to_request_data();
    let config = data.config.clone();
    let activity: RawActivity = serde_json::from_value(payload.activity.clone())
        .map_err(|e| JobError::Permanent(format!("bad activity: {e}")))?;
    if payload.sender == super::instance::SENDER {
        // Sent by the instance itself (a report to another instance's moderators).
        let inbox = Url::parse(&payload.inbox)
            .map_err(|e| JobError::Permanent(format!("bad inbox: {e}")))?;
        let tasks = SendActivityTask::prepare(&activity, &*data.instance, vec![inbox], &data)
            .await
            .map_err(retry_or_fail)?;
        for task in tasks {
            task.sign_and_send(&data).await.map_err(retry_or_fail)?;
        }
        return Ok(());
    }
    let handle = payload.sender.clone();
    let sender = ctx
        .db
        .run(move |conn| objects::local_actor(conn, &config, &handle))
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?
        .ok_or_else(|| JobError::Permanent(format!("no local organisation {}", payload.sender)))?;
    let inbox =
        Url::parse(&payload.inbox).map_err(|e| JobError::Permanent(format!("bad inbox: {e}")))?;
    let host = super::policy::domain_of(&inbox).unwrap_or_default();
    let checked = host.clone();
    let paused = ctx
        .db
        .query(move |conn| host_paused_until(conn, &checked))
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    if let Some(until) = paused {
        // The host is down: wait for it without using up this delivery's attempts.
        return Err(JobError::Defer {
            until,
            reason: format!("{host} is paused after failures"),
        });
    }
    let tasks = SendActivityTask::prepare(&activity, &sender, vec![inbox], &data)
        .await
        .map_err(retry_or_fail)?;
    let permits = host_permits(&host, data.config.federation.max_deliveries_per_host);
    let _permit = permits
        .acquire_owned()
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    // `prepare` drops inboxes the domain policy refuses: nothing to send is not an error.
    let mut outcome = Ok(());
    for task in tasks {
        if let Err(e) = task.sign_and_send(&data).await {
            outcome = Err(retry_or_fail(e));
            break;
        }
    }
    let failure = match &outcome {
        Err(JobError::Retry(message)) => Some(message.clone()),
        _ => None,
    };
    ctx.db
        .query(move |conn| record_host(conn, &host, failure.as_deref()))
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    outcome
}

async fn fanout(fed: FedConfig, ctx: JobContext, job: jobs::Job) -> Result<(), JobError> {
    #[derive(Deserialize)]
    struct Payload {
        content_id: String,
        change: Change,
    }
    let payload: Payload = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
    let data = fed.to_request_data();
    let config = data.config.clone();
    let id = payload.content_id.clone();
    let loaded = ctx
        .db
        .run(move |conn| {
            let item = match store::get(conn, &id) {
                Ok(item) => item,
                Err(diesel::result::Error::NotFound) => return Ok(None),
                Err(e) => return Err(FederationError::from(e)),
            };
            if !item.row.local {
                return Ok(None);
            }
            let shareable = objects::federates(conn, &item)?;
            let actor = super::actor_url(&config, &item.organisation_handle)?;
            let inboxes = follower_inboxes(conn, actor.as_str())?;
            Ok(Some((item, shareable, actor, inboxes)))
        })
        .await
        .map_err(|e: FederationError| JobError::Retry(e.to_string()))?;
    let Some((item, shareable, actor, inboxes)) = loaded else {
        return Ok(());
    };
    if inboxes.is_empty() {
        return Ok(());
    }
    let object_id =
        objects::item_url(&data.config, &item).map_err(|e| JobError::Permanent(e.to_string()))?;
    let activity = if shareable && payload.change != Change::Removed {
        let kind = if payload.change == Change::Published {
            "Create"
        } else {
            "Update"
        };
        let article = DbArticle {
            item: item.clone(),
            ap_id: object_id.clone(),
        };
        let json = activitypub_federation::traits::Object::into_json(article, &data)
            .await
            .map_err(|e| JobError::Retry(e.to_string()))?;
        let stamp = format!("{}-r{}", kind.to_lowercase(), item.row.revision);
        serde_json::json!({
            "@context": super::protocol::context(),
            // Derived from the fan-out job, so a fan-out re-run after a crash re-uses the
            // same activity id and the per-inbox dedupe skips what was already queued.
            "id": format!("{object_id}#{stamp}-{}", job.id),
            "type": kind,
            "actor": actor,
            "object": json,
            "to": [super::protocol::PUBLIC],
            "cc": [format!("{actor}/followers")],
        })
    } else {
        // Withdrawn, unpublished, or the person's consent no longer covers sharing: every
        // peer that received it must remove its copy.
        serde_json::json!({
            "@context": super::protocol::context(),
            "id": format!("{object_id}#delete-{}", job.id),
            "type": "Delete",
            "actor": actor,
            "object": { "id": object_id, "type": "Tombstone" },
            "to": [super::protocol::PUBLIC],
            "cc": [format!("{actor}/followers")],
        })
    };
    let handle = item.organisation_handle.clone();
    ctx.db
        .query(move |conn| enqueue(conn, &handle, &activity, &inboxes))
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    Ok(())
}

pub fn register(registry: &mut Registry, fed: FedConfig) {
    let for_deliver = fed.clone();
    registry.register(DELIVER, move |ctx, job| {
        deliver(for_deliver.clone(), ctx, job)
    });
    let for_fanout = fed.clone();
    registry.register(FANOUT, move |ctx, job| fanout(for_fanout.clone(), ctx, job));
    registry.register(BACKFILL, move |ctx, job| backfill(fed.clone(), ctx, job));
}

/// Local organisations by handle, for the routes.
pub fn is_local_organisation(conn: &mut DbConn, handle: &str) -> QueryResult<bool> {
    organisations::table
        .filter(organisations::handle.eq(handle))
        .filter(organisations::local.eq(true))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

pub const BACKFILL: &str = "federation.backfill";

/// Most items fetched from a newly followed organisation's outbox.
const BACKFILL_LIMIT: usize = 40;

/// After a peer accepts our follow, its recent public items are fetched so they are
/// searchable at once, not only when it next publishes.
pub fn enqueue_backfill(conn: &mut DbConn, remote_actor: &str) -> QueryResult<()> {
    let day = chrono::Utc::now().format("%Y-%m-%d");
    jobs::enqueue(
        conn,
        NewJob::new(BACKFILL, serde_json::json!({ "actor": remote_actor }))
            .dedupe(format!("backfill:{remote_actor}:{day}"))
            .max_attempts(6),
    )?;
    Ok(())
}

async fn backfill(fed: FedConfig, _ctx: JobContext, job: jobs::Job) -> Result<(), JobError> {
    use activitypub_federation::fetch::fetch_object_http;
    use activitypub_federation::fetch::object_id::ObjectId;
    let payload: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Permanent(format!("bad payload: {e}")))?;
    let actor = payload["actor"].as_str().unwrap_or_default();
    let actor = Url::parse(actor).map_err(|e| JobError::Permanent(format!("bad actor: {e}")))?;
    let data = fed.to_request_data();
    let remote: objects::DbActor = ObjectId::<objects::DbActor>::from(actor.clone())
        .dereference(&data)
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    // The outbox named in the actor's own document, read fresh.
    let document =
        fetch_object_http::<FedData, super::protocol::OrganizationJson>(&remote.ap_id, &data)
            .await
            .map_err(retry_or_fail)?
            .object;
    let Some(outbox) = document.outbox else {
        return Ok(());
    };
    let mut first = outbox.clone();
    first.query_pairs_mut().append_pair("page", "1");
    let mut next = Some(first);
    let mut fetched = 0;
    while let Some(page_url) = next.take() {
        let page = fetch_object_http::<FedData, serde_json::Value>(&page_url, &data)
            .await
            .map_err(retry_or_fail)?
            .object;
        for entry in page["orderedItems"].as_array().cloned().unwrap_or_default() {
            if fetched >= BACKFILL_LIMIT {
                return Ok(());
            }
            let object = &entry["object"];
            let id = object
                .as_str()
                .or_else(|| object["id"].as_str())
                .unwrap_or_default();
            let Ok(id) = Url::parse(id) else { continue };
            // Items are fetched from their own URL, never trusted from the page; each gets a
            // fresh request budget so one large page cannot exhaust the fetch limit.
            let fetched_item = ObjectId::<DbArticle>::from(id)
                .dereference(&data.reset_request_count())
                .await;
            if let Err(e) = fetched_item {
                tracing::info!(error = %e, "backfill skipped an item");
            }
            fetched += 1;
        }
        next = page["next"]
            .as_str()
            .and_then(|n| Url::parse(n).ok())
            .filter(|n| super::policy::domain_of(n) == super::policy::domain_of(&remote.ap_id));
    }
    Ok(())
}
