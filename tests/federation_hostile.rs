//! Hostile federation traffic, each refused with a clear status and nothing stored:
//! unsigned, wrongly signed, stale (replayed) dates, an actor whose key does not match,
//! an object on a foreign host, and actors on private addresses in production mode.
//!
//! The attacker here is a small fake server written in this test: no real ActivityPub
//! software can be made to sign badly on purpose. It serves its actors' documents and
//! signs requests by hand (draft-cavage HTTP signatures, as Mutual and Mastodon use).

mod common;
#[path = "common/signing.rs"]
mod signing;

use common::{spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

type Attacker = signing::Peer;

fn attacker() -> Attacker {
    signing::Peer::start()
}

/// Posts `body` to `path` on `app`, signed with `key` for `key_id`, dated `date`.
#[allow(clippy::too_many_arguments)]
async fn signed_post(
    app: &TestApp,
    host: &str,
    path: &str,
    body: &Value,
    key: &rsa::RsaPrivateKey,
    key_id: &str,
    date: chrono::DateTime<chrono::Utc>,
) -> (u16, String) {
    let signature = signing::Signature { key, key_id, date };
    signing::signed_post(
        &common::new_client(),
        &app.url(path),
        (host, path),
        body,
        &signature,
    )
    .await
}

async fn stored_follows(app: &TestApp) -> i64 {
    app.db
        .query(|conn| {
            use diesel::prelude::*;
            mutual::db::schema::follows::table.count().get_result(conn)
        })
        .await
        .expect("count")
}

async fn stored_items(app: &TestApp) -> i64 {
    app.db
        .query(|conn| {
            use diesel::prelude::*;
            mutual::db::schema::content_items::table
                .count()
                .get_result(conn)
        })
        .await
        .expect("count")
}

async fn target(allow_private: bool) -> (TestApp, String) {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = allow_private;
    })
    .await;
    app.create_organisation(
        "kotipolku",
        "FI",
        &[("editor", mutual::organisations::MemberRole::Editor)],
    )
    .await;
    let host = format!("localhost:{}", app.port);
    (app, host)
}

fn follow(attacker: &Attacker, actor: &str, host: &str, n: u32) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/follow-{n}", attacker.base),
        "type": "Follow",
        "actor": format!("{}/actors/{actor}", attacker.base),
        "object": format!("http://{host}/organisations/kotipolku"),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn badly_signed_and_forged_activities_are_refused() {
    let attacker = attacker();
    let (app, host) = target(true).await;
    let inbox = "/organisations/kotipolku/inbox";
    let now = chrono::Utc::now();
    let key_one = format!("{}/actors/one#main-key", attacker.base);

    // A correct signature works: the refusals below are about what they change.
    let (status, body) = signed_post(
        &app,
        &host,
        inbox,
        &follow(&attacker, "one", &host, 1),
        &attacker.key_one,
        &key_one,
        now,
    )
    .await;
    assert_eq!(status, 200, "a well-signed Follow is accepted: {body}");
    assert_eq!(stored_follows(&app).await, 1);

    // Signed with the wrong key for the claimed actor.
    let (status, body) = signed_post(
        &app,
        &host,
        inbox,
        &follow(&attacker, "one", &host, 2),
        &attacker.key_two,
        &key_one,
        now,
    )
    .await;
    assert_eq!(status, 401, "wrong key: {body}");

    // The activity claims actor two but is signed by actor one.
    let (status, body) = signed_post(
        &app,
        &host,
        inbox,
        &follow(&attacker, "two", &host, 3),
        &attacker.key_one,
        &key_one,
        now,
    )
    .await;
    assert_eq!(status, 401, "actor and key differ: {body}");

    // A replay of an old signed request: the date is an hour old.
    let (status, body) = signed_post(
        &app,
        &host,
        inbox,
        &follow(&attacker, "two", &host, 4),
        &attacker.key_two,
        &format!("{}/actors/two#main-key", attacker.base),
        now - chrono::Duration::hours(1),
    )
    .await;
    assert_eq!(status, 401, "stale date: {body}");
    assert_eq!(
        stored_follows(&app).await,
        1,
        "none of the refused follows was stored"
    );

    // An object that lives on another host than its actor.
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create-1", attacker.base),
        "type": "Create",
        "actor": format!("{}/actors/one", attacker.base),
        "object": {
            "id": "http://elsewhere.example/articles/1", "type": "Article",
            "attributedTo": format!("{}/actors/one", attacker.base),
            "name": "Planted", "content": "<p>x</p>", "contentType": "practice_guide",
        },
    });
    let (status, body) = signed_post(
        &app,
        &host,
        "/inbox",
        &create,
        &attacker.key_one,
        &key_one,
        now,
    )
    .await;
    assert!(
        status == 400 || status == 403,
        "foreign object id refused, got {status}: {body}"
    );

    // Content from an actor nobody here follows is refused too, even on its own host.
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/create-2", attacker.base),
        "type": "Create",
        "actor": format!("{}/actors/one", attacker.base),
        "object": {
            "id": format!("{}/articles/2", attacker.base), "type": "Article",
            "attributedTo": format!("{}/actors/one", attacker.base),
            "name": "Unasked", "content": "<p>x</p>", "contentType": "practice_guide",
        },
    });
    let (status, body) = signed_post(
        &app,
        &host,
        "/inbox",
        &create,
        &attacker.key_one,
        &key_one,
        now,
    )
    .await;
    assert_eq!(status, 403, "unfollowed sender: {body}");
    assert_eq!(stored_items(&app).await, 0, "nothing stored");

    // An Accept for a follow nobody here sent opens nothing.
    let accept = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": format!("{}/activities/accept-1", attacker.base),
        "type": "Accept",
        "actor": format!("{}/actors/one", attacker.base),
        "object": {
            "id": format!("http://{host}/organisations/kotipolku#follows/made-up"),
            "type": "Follow",
            "actor": format!("http://{host}/organisations/kotipolku"),
            "object": format!("{}/actors/one", attacker.base),
        },
    });
    let (status, body) = signed_post(
        &app,
        &host,
        "/inbox",
        &accept,
        &attacker.key_one,
        &key_one,
        now,
    )
    .await;
    assert_eq!(status, 403, "forged Accept: {body}");
    let backfills: i64 = app
        .db
        .query(|conn| {
            use diesel::prelude::*;
            use mutual::db::schema::jobs;
            jobs::table
                .filter(jobs::kind.eq("federation.backfill"))
                .count()
                .get_result(conn)
        })
        .await
        .expect("count");
    assert_eq!(backfills, 0, "no backfill was queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_in_production_mode() {
    let attacker = attacker();
    // Production mode: no plain http, no private or loopback addresses.
    let (app, host) = target(false).await;
    let now = chrono::Utc::now();
    let mut activity = follow(&attacker, "one", &host, 1);
    let loopback = attacker.base.replace("localhost", "127.0.0.1");
    activity["actor"] = json!(format!("{loopback}/actors/one"));
    activity["id"] = json!(format!("{loopback}/activities/follow-1"));
    let (status, body) = signed_post(
        &app,
        &host,
        "/organisations/kotipolku/inbox",
        &activity,
        &attacker.key_one,
        &format!("{loopback}/actors/one#main-key"),
        now,
    )
    .await;
    assert!(
        (400..500).contains(&status),
        "an actor on 127.0.0.1 is never fetched, got {status}: {body}"
    );
    assert_eq!(stored_follows(&app).await, 0);
    let orgs: i64 = app
        .db
        .query(|conn| {
            use diesel::prelude::*;
            mutual::db::schema::organisations::table
                .count()
                .get_result(conn)
        })
        .await
        .expect("count");
    assert_eq!(orgs, 1, "no remote actor was stored");
}
