//! Hostile federation traffic, each refused with a clear status and nothing stored:
//! unsigned, wrongly signed, stale (replayed) dates, an actor whose key does not match,
//! an object on a foreign host, and actors on private addresses in production mode.
//!
//! The attacker here is a small fake server written in this test: no real ActivityPub
//! software can be made to sign badly on purpose. It serves its actors' documents and
//! signs requests by hand (draft-cavage HTTP signatures, as Mutual and Mastodon use).

mod common;

use std::net::TcpListener;

use actix_web::{web, App, HttpResponse, HttpServer};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{spawn_app_with, Backend, TestApp};
use mutual::accounts::Role;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Pkcs1v15Sign, RsaPrivateKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

struct Attacker {
    base: String,
    key_one: RsaPrivateKey,
    key_two: RsaPrivateKey,
}

/// Serves two actors: `one` (key one) and `two` (key two).
fn attacker() -> Attacker {
    let one = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
    let two = activitypub_federation::http_signatures::generate_actor_keypair().expect("keys");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let base = format!("http://localhost:{port}");
    let actors = web::Data::new((base.clone(), one.public_key.clone(), two.public_key.clone()));
    let server = HttpServer::new(move || {
        App::new().app_data(actors.clone()).route(
            "/actors/{name}",
            web::get().to(|name: web::Path<String>, actors: web::Data<(String, String, String)>| async move {
                let (base, one, two) = actors.get_ref();
                let key = if name.as_str() == "one" { one } else { two };
                let id = format!("{base}/actors/{name}");
                HttpResponse::Ok().content_type("application/activity+json").json(json!({
                    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
                    "id": id, "type": "Person", "preferredUsername": name.as_str(), "name": name.as_str(),
                    "inbox": format!("{id}/inbox"),
                    "publicKey": {"id": format!("{id}#main-key"), "owner": id, "publicKeyPem": key},
                }))
            }),
        )
    })
    .listen(listener)
    .expect("listen")
    .workers(1)
    .run();
    tokio::spawn(server);
    Attacker {
        base,
        key_one: RsaPrivateKey::from_pkcs8_pem(&one.private_key).expect("key"),
        key_two: RsaPrivateKey::from_pkcs8_pem(&two.private_key).expect("key"),
    }
}

/// Posts `body` to `path` on `app`, signed with `key` for `key_id`, dated `date`.
async fn signed_post(
    app: &TestApp,
    host: &str,
    path: &str,
    body: &Value,
    key: &RsaPrivateKey,
    key_id: &str,
    date: chrono::DateTime<chrono::Utc>,
) -> (u16, String) {
    let body = serde_json::to_vec(body).expect("json");
    let digest = format!("SHA-256={}", STANDARD.encode(Sha256::digest(&body)));
    let date = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let signing =
        format!("(request-target): post {path}\nhost: {host}\ndate: {date}\ndigest: {digest}");
    let signature = key
        .sign(
            Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(signing.as_bytes()),
        )
        .expect("sign");
    let header = format!(
        "keyId=\"{key_id}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest\",signature=\"{}\"",
        STANDARD.encode(signature)
    );
    let response = common::new_client()
        .post(app.url(path))
        .header("host", host)
        .header("date", date)
        .header("digest", digest)
        .header("signature", header)
        .header("content-type", "application/activity+json")
        .body(body)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
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
    app.create_user("editor", Role::Member).await;
    app.db
        .run(|conn| {
            mutual::organisations::create(
                conn,
                "kotipolku",
                &mutual::organisations::ProfileInput {
                    name: "Kotipolku".into(),
                    country: "FI".into(),
                    languages: vec!["fi".into()],
                    kind: "provider".into(),
                    ..Default::default()
                },
                None,
            )
        })
        .await
        .expect("organisation");
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
