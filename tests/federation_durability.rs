//! Deliveries are never lost: a peer that is down gets everything once it is back, and a
//! server killed (SIGKILL) in the middle of a fan-out finishes every delivery after a
//! restart. Servers here are the real `mutual` binary, started and killed as processes.

mod common;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_mutual");

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port()
}

fn env_for(dir: &Path, port: u16) -> Vec<(String, String)> {
    vec![
        (
            "MUTUAL_DATA_DIR".into(),
            dir.join("data").display().to_string(),
        ),
        ("MUTUAL_LISTEN".into(), format!("127.0.0.1:{port}")),
        (
            "MUTUAL_PUBLIC_URL".into(),
            format!("http://localhost:{port}"),
        ),
        (
            "MUTUAL_FEDERATION__ALLOW_PRIVATE_ADDRESSES".into(),
            "true".into(),
        ),
        ("MUTUAL_JOBS__POLL_INTERVAL_MS".into(), "50".into()),
        // A killed server's claimed jobs are taken over when their lease runs out.
        ("MUTUAL_JOBS__LEASE_SECONDS".into(), "5".into()),
        ("MUTUAL_LOG".into(), "warn".into()),
    ]
}

fn cli(dir: &Path, port: u16, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .envs(env_for(dir, port))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mutual");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
    }
    let output = child.wait_with_output().expect("wait");
    assert!(
        output.status.success(),
        "mutual {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// An instance in its own folder with one organisation and an editor's API token.
struct Instance {
    dir: tempfile::TempDir,
    port: u16,
    token: String,
    server: Option<Child>,
}

impl Instance {
    fn new(handle: &str) -> Instance {
        let dir = tempfile::tempdir().expect("dir");
        let port = free_port();
        cli(
            dir.path(),
            port,
            &[
                "admin",
                "create-user",
                "--username",
                "editor",
                "--email",
                "e@example.org",
                "--password-stdin",
            ],
            Some("a long enough password\n"),
        );
        cli(
            dir.path(),
            port,
            &[
                "admin",
                "create-org",
                "--handle",
                handle,
                "--name",
                handle,
                "--country",
                "FI",
            ],
            None,
        );
        cli(
            dir.path(),
            port,
            &["admin", "add-editor", "--org", handle, "--user", "editor"],
            None,
        );
        let token = cli(
            dir.path(),
            port,
            &["admin", "create-token", "--user", "editor"],
            None,
        );
        Instance {
            dir,
            port,
            token,
            server: None,
        }
    }

    async fn start(&mut self) {
        let child = Command::new(BIN)
            .current_dir(self.dir.path())
            .envs(env_for(self.dir.path(), self.port))
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        self.server = Some(child);
        let client = common::new_client();
        let started = Instant::now();
        while client
            .get(self.url("/healthz"))
            .send()
            .await
            .map(|r| !r.status().is_success())
            .unwrap_or(true)
        {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "server did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn db(&self) -> mutual::db::Db {
        mutual::db::Db::open(
            &mutual::db::DatabaseUrl::Sqlite(self.dir.path().join("data/mutual.db")),
            2,
        )
        .expect("db")
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = common::new_client()
            .request(method, self.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn publish_guide(&self, handle: &str, title: &str) {
        let (status, guide) = self
            .call(
                reqwest::Method::POST,
                "/api/v1/guides",
                Some(
                    json!({"organisation": handle, "title": title, "lang": "en", "body": "Text."}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{guide}");
        let id = guide["id"].as_str().expect("id");
        let (status, _) = self
            .call(
                reqwest::Method::POST,
                &format!("/api/v1/guides/{id}/publish"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200);
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

async fn wait_for(what: &str, limit: Duration, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < limit, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn count_guides(db: &mutual::db::Db) -> i64 {
    let mut conn = db.get().expect("conn");
    mutual::content::store::list(
        &mut conn,
        &mutual::content::store::Filter {
            kind: Some(mutual::content::ContentKind::PracticeGuide),
            limit: 100,
            ..Default::default()
        },
    )
    .map(|(_, total)| total)
    .unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_was_down_gets_everything_once() {
    let mut author = Instance::new("kotipolku");
    let mut reader = Instance::new("partners");
    author.start().await;
    reader.start().await;
    let (status, body) = reader
        .call(
            reqwest::Method::POST,
            "/api/v1/organisations/partners/follows",
            Some(json!({"target": format!("kotipolku@localhost:{}", author.port)})),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let reader_db = reader.db();
    wait_for("the follow to be accepted", Duration::from_secs(30), || {
        let mut conn = reader_db.get().expect("conn");
        use diesel::prelude::*;
        mutual::db::schema::follows::table
            .filter(mutual::db::schema::follows::state.eq("accepted"))
            .count()
            .get_result::<i64>(&mut conn)
            .map(|n| n == 1)
            .unwrap_or(false)
    })
    .await;

    // The reader goes down; the author publishes three guides meanwhile.
    reader.kill();
    for n in 1..=3 {
        author
            .publish_guide("kotipolku", &format!("Guide {n}"))
            .await;
    }
    // Let the first attempts fail against the closed port.
    let author_db = author.db();
    wait_for(
        "the first deliveries to fail",
        Duration::from_secs(30),
        || {
            let mut conn = author_db.get().expect("conn");
            use diesel::prelude::*;
            use mutual::db::schema::jobs;
            jobs::table
                .filter(jobs::kind.eq("federation.deliver"))
                .filter(jobs::last_error.is_not_null())
                .count()
                .get_result::<i64>(&mut conn)
                .map(|n| n >= 1)
                .unwrap_or(false)
        },
    )
    .await;
    assert_eq!(count_guides(&reader_db), 0);

    // Back up: the backed-off deliveries arrive, each once.
    reader.start().await;
    wait_for(
        "all three guides to arrive",
        Duration::from_secs(120),
        || count_guides(&reader_db) == 3,
    )
    .await;
    let mut conn = author_db.get().expect("conn");
    use diesel::prelude::*;
    use mutual::db::schema::jobs;
    let failed: i64 = jobs::table
        .filter(jobs::state.eq("failed"))
        .count()
        .get_result(&mut conn)
        .expect("count");
    assert_eq!(failed, 0, "no delivery gave up");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(count_guides(&reader_db), 3, "nothing arrived twice");
}

/// Counts POSTs per inbox path. It stands in only as a measuring device: with one real
/// instance per follower, a thousand-inbox fan-out would not fit on this machine.
fn inbox_sink() -> (u16, Arc<Mutex<BTreeMap<String, u32>>>) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_mid_fan_out_completes_every_delivery_after_restart() {
    const FOLLOWERS: usize = 150;
    let (sink_port, counts) = inbox_sink();
    let mut author = Instance::new("kotipolku");
    // Followers with distinct inboxes, as many separate instances would have.
    {
        let db = author.db();
        let mut conn = db.get().expect("conn");
        mutual::db::run_migrations(&mut conn).expect("migrate");
        for n in 0..FOLLOWERS {
            mutual::federation::activities::save_follow(
                &mut conn,
                &format!("http://localhost:{sink_port}/actors/{n}"),
                &format!("http://localhost:{sink_port}/inbox/{n}"),
                &format!("http://localhost:{}/organisations/kotipolku", author.port),
                "accepted",
                &format!("http://localhost:{sink_port}/follows/{n}"),
            )
            .expect("follow");
        }
    }
    author.start().await;
    author.publish_guide("kotipolku", "To every follower").await;
    // Kill it while the fan-out is under way: some inboxes reached, others not yet.
    wait_for("the fan-out to start", Duration::from_secs(60), || {
        counts.lock().map(|c| !c.is_empty()).unwrap_or(false)
    })
    .await;
    author.kill();
    let reached_before = counts.lock().map(|c| c.len()).unwrap_or(0);
    assert!(
        reached_before < FOLLOWERS,
        "the kill came after the whole fan-out ({reached_before}); the test proves nothing"
    );

    author.start().await;
    wait_for(
        "every follower to be reached",
        Duration::from_secs(120),
        || counts.lock().map(|c| c.len() == FOLLOWERS).unwrap_or(false),
    )
    .await;
    let db = author.db();
    wait_for(
        "every delivery job to be recorded as done",
        Duration::from_secs(60),
        || {
            use diesel::prelude::*;
            use mutual::db::schema::jobs;
            let mut conn = db.get().expect("conn");
            let unfinished: i64 = jobs::table
                .filter(jobs::kind.eq("federation.deliver"))
                .filter(jobs::state.ne("done"))
                .count()
                .get_result(&mut conn)
                .expect("count");
            let failed: i64 = jobs::table
                .filter(jobs::state.eq("failed"))
                .count()
                .get_result(&mut conn)
                .expect("count");
            assert_eq!(failed, 0, "no delivery gave up");
            unfinished == 0
        },
    )
    .await;
    let repeats = counts
        .lock()
        .map(|c| c.values().filter(|n| **n > 1).count())
        .unwrap_or(0);
    // A delivery sent but not yet recorded when the process died is sent again (at least
    // once); receivers ignore the repeat by its activity id. It can only be a few.
    assert!(
        repeats <= 4,
        "{repeats} inboxes got the activity more than once"
    );
}
