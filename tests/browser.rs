//! The main journeys in a real browser: Debian's Chromium driven by playwright-core
//! (`tests/browser/journeys.mjs`), with axe-core auditing every page visited against WCAG
//! 2.2 A and AA, keyboard-only sign-up and publishing, focus, error announcements, reflow
//! at 320 px, text at 200%, pages without JavaScript, and screenshots at desktop and phone
//! widths in `test-artifacts/screenshots/`.

mod common;

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{spawn_app_with, Backend, PASSWORD};
use mutual::config::Registration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn main_journeys_pass_in_a_real_browser_with_no_accessibility_violations() {
    let app = spawn_app_with(Backend::Sqlite, |config| {
        config.registration = Registration::Open;
    })
    .await;
    app.organisation_with_team("kopu", "NZ").await;
    let admin = app.create_user("ada", mutual::accounts::Role::Admin).await;
    let editor = app
        .db
        .query(|conn| mutual::accounts::find_by_username(conn, "kopu_editor"))
        .await
        .expect("query")
        .expect("the editor exists");
    let secret: String = app
        .db
        .query(|conn| mutual::db::get_setting(conn, "secret_key"))
        .await
        .expect("secret")
        .expect("set");
    let token =
        mutual::digests::unsubscribe::token(secret.as_bytes(), &editor.id, chrono::Utc::now());
    let outbox = app.data_dir.join("outbox");
    let db = app.db.clone();
    let editor_id = editor.id.clone();
    std::fs::create_dir_all(&outbox).expect("outbox");
    let artifacts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts/screenshots");

    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/run.sh");
    let mut command = Command::new(script);
    command
        .env("MUTUAL_URL", &app.address)
        .env("MUTUAL_OUTBOX", &outbox)
        .env("MUTUAL_PASSWORD", PASSWORD)
        .env(
            "MUTUAL_UNSUBSCRIBE",
            app.url(&format!("/unsubscribe/{token}")),
        )
        .env("MUTUAL_ADMIN", admin.username.as_str())
        .env("ARTIFACTS", &artifacts)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a run that hangs can be stopped with its Chromium.
        .process_group(0);
    let child = command
        .spawn()
        .expect("run tests/browser/run.sh (needs node and npm)");
    let group = child.id();
    let waiting = tokio::task::spawn_blocking(move || child.wait_with_output());
    // journeys.mjs gives up on its own after 240 s; npm ci may add a little on first use.
    let output = match tokio::time::timeout(Duration::from_secs(420), waiting).await {
        Ok(joined) => joined.expect("join").expect("wait for the browser tests"),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &format!("-{group}")])
                .status();
            panic!("the browser tests did not finish in 7 minutes (process group {group} killed)");
        }
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("PASSED"),
        "the browser journeys failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    println!("{stdout}");

    // What the clicks did, read back from the database.
    let (rosa, editor_settings) = db
        .query(move |conn| {
            let rosa = mutual::accounts::find_by_username(conn, "rosa")?;
            let settings = mutual::digests::settings::get(conn, &editor_id)?;
            Ok::<_, diesel::result::Error>((rosa, settings))
        })
        .await
        .expect("query");
    let rosa = rosa.expect("the account signed up in the browser exists");
    assert!(
        rosa.email_confirmed_at.is_some(),
        "its address was confirmed"
    );
    let (rosa_settings, follows) = db
        .query(move |conn| {
            let settings = mutual::digests::settings::get(conn, &rosa.id)?;
            let follows = mutual::digests::follows::list(conn, &rosa.id)?;
            Ok::<_, diesel::result::Error>((settings, follows))
        })
        .await
        .expect("settings");
    assert_eq!(
        rosa_settings.frequency,
        mutual::digests::settings::Frequency::Daily,
        "the digest settings saved in the browser"
    );
    assert_eq!(
        rosa_settings.hour, 7,
        "the digest hour chosen in the browser"
    );
    let mut followed: Vec<(&str, &str)> = follows
        .iter()
        .map(|f| (f.kind.as_str(), f.target.as_str()))
        .collect();
    followed.sort();
    assert_eq!(
        followed,
        vec![
            ("organisation", "kopu"),
            ("search", "q=staff&type=practice_guide"),
            ("topic", "personnel"),
        ],
        "the organisation, topic and search followed in the browser"
    );
    assert_eq!(
        editor_settings.frequency,
        mutual::digests::settings::Frequency::Never,
        "unsubscribed through the e-mail's link"
    );
}
