//! Federation benchmarks (a program, not a test): inbox throughput with HTTP signature
//! verification, and the time to deliver one Create to 1,000 follower inboxes, all on
//! loopback. Run: `cargo bench --bench federation`. Figures go to docs/PERFORMANCE.md.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "../tests/common/signing.rs"]
mod signing;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use common::{spawn_app_with, Backend, TestApp};
use serde_json::json;

async fn instance(workers: u32) -> TestApp {
    let app = spawn_app_with(Backend::Sqlite, move |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = true;
        c.jobs.workers = workers;
        c.max_json_bytes = 1024 * 1024;
    })
    .await;
    app.create_organisation(
        "kotipolku",
        "FI",
        &[("editor", mutual::organisations::MemberRole::Editor)],
    )
    .await;
    app
}

/// A request body and its signed headers.
type Prepared = (Vec<u8>, Vec<(String, String)>);

/// Signed Follow requests, prepared before timing so the clock measures the server only.
fn prepare(peer: &signing::Peer, host: &str, path: &str, count: usize) -> Vec<Prepared> {
    let key_id = peer.key_id("one");
    (0..count)
        .map(|n| {
            let body = serde_json::to_vec(&json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{}/activities/follow-{n}", peer.base),
                "type": "Follow",
                "actor": format!("{}/actors/one", peer.base),
                "object": format!("http://{host}/organisations/kotipolku"),
            }))
            .expect("json");
            let signature = signing::Signature {
                key: &peer.key_one,
                key_id: &key_id,
                date: chrono::Utc::now(),
            };
            let headers = signing::sign_headers(host, path, &body, &signature);
            (body, headers)
        })
        .collect()
}

async fn inbox_throughput(count: usize, concurrency: usize) -> f64 {
    let peer = signing::Peer::start();
    // No job workers: the Accepts queue up, so only the inbox is measured.
    let app = instance(0).await;
    let host = format!("localhost:{}", app.port);
    let path = "/organisations/kotipolku/inbox";
    let url = app.url(path);
    let mut requests = prepare(&peer, &host, path, count + 1);
    let client = reqwest::Client::new();
    // Warm-up: the first request fetches and stores the sender's actor document.
    let (body, headers) = requests.pop().expect("request");
    let mut first = client.post(&url).body(body);
    for (k, v) in headers {
        first = first.header(k, v);
    }
    assert!(first.send().await.expect("post").status().is_success());

    let queue = Arc::new(Mutex::new(requests));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let queue = queue.clone();
            let client = client.clone();
            let url = url.clone();
            tokio::spawn(async move {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop());
                    let Some((body, headers)) = next else { return };
                    let mut request = client.post(&url).body(body);
                    for (k, v) in headers {
                        request = request.header(k, v);
                    }
                    let status = request.send().await.expect("post").status();
                    assert!(status.is_success(), "inbox answered {status}");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    count as f64 / started.elapsed().as_secs_f64()
}

fn sink() -> (u16, Arc<Mutex<BTreeMap<String, u32>>>) {
    let counts: Arc<Mutex<BTreeMap<String, u32>>> = Arc::default();
    let shared = web::Data::new(counts.clone());
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = HttpServer::new(move || {
        App::new().app_data(shared.clone()).default_service(web::to(
            |req: HttpRequest, counts: web::Data<Arc<Mutex<BTreeMap<String, u32>>>>| async move {
                if let Ok(mut map) = counts.lock() {
                    *map.entry(req.path().to_string()).or_insert(0) += 1;
                }
                HttpResponse::Accepted().finish()
            },
        ))
    })
    .listen(listener)
    .expect("listen")
    .workers(1)
    .run();
    tokio::spawn(server);
    (port, counts)
}

async fn fan_out(followers: usize, workers: u32) -> Duration {
    let (port, counts) = sink();
    let app = instance(workers).await;
    let actor = format!("http://localhost:{}/organisations/kotipolku", app.port);
    app.db
        .query(move |conn| {
            for n in 0..followers {
                mutual::federation::activities::save_follow(
                    conn,
                    &format!("http://localhost:{port}/actors/{n}"),
                    &format!("http://localhost:{port}/inbox/{n}"),
                    &actor,
                    "accepted",
                    &format!("http://localhost:{port}/follows/{n}"),
                )?;
            }
            Ok(())
        })
        .await
        .expect("follows");
    let token = app.api_token("editor").await;
    let client = reqwest::Client::new();
    let guide: serde_json::Value = client
        .post(app.url("/api/v1/guides"))
        .bearer_auth(&token)
        .json(&json!({"organisation": "kotipolku", "title": "For everyone", "lang": "en", "body": "Text."}))
        .send()
        .await
        .expect("create")
        .json()
        .await
        .expect("json");
    let id = guide["id"].as_str().expect("id").to_string();
    let started = Instant::now();
    let published = client
        .post(app.url(&format!("/api/v1/guides/{id}/publish")))
        .bearer_auth(&token)
        .json(&json!({}))
        .send()
        .await
        .expect("publish");
    assert!(published.status().is_success());
    while counts.lock().map(|c| c.len()).unwrap_or(0) < followers {
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "fan-out did not finish"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    started.elapsed()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let rate = inbox_throughput(500, 8).await;
        println!("inbox: {rate:.0} signed Follow activities/s (500 activities, 8 concurrent senders, SQLite)");
        for workers in [2, 8] {
            let took = fan_out(1000, workers).await;
            println!(
                "fan-out: one Create to 1,000 follower inboxes in {:.2} s with {workers} job workers ({:.0} deliveries/s)",
                took.as_secs_f64(),
                1000.0 / took.as_secs_f64()
            );
        }
    });
}
