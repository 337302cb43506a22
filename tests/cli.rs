//! The `mutual` binary as hosts use it: `config check`, `migrate`, the admin commands
//! against the configured database without a server, `db copy`, and `serve` on the
//! embedded defaults.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::Backend;

const BIN: &str = env!("CARGO_BIN_EXE_mutual");

/// Runs `mutual` in a fresh working folder with a clean MUTUAL_* environment.
fn mutual(
    dir: &std::path::Path,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: Option<&str>,
) -> Output {
    let mut command = Command::new(BIN);
    command.current_dir(dir).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("MUTUAL_") {
            command.env_remove(key);
        }
    }
    command.envs(env.iter().copied());
    command.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("run mutual");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    child.wait_with_output().expect("wait")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn config_check_lists_every_problem_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("mutual.toml"),
        "instance_name = \"Mutual Suomi\"\nlisen = \"oops\"\n",
    )
    .expect("toml");
    let output = mutual(
        dir.path(),
        &[
            ("MUTUAL_LISTEN", "not-an-address"),
            ("MUTUAL_PUBLIC_URL", "ftp://example.org"),
            ("MUTUAL_DATABASE_URL", "mysql://nope"),
            ("MUTUAL_REGISTRATION", "sometimes"),
        ],
        &["--config", "mutual.toml", "config", "check"],
        None,
    );
    let out = text(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    for needle in [
        "lisen",
        "listen",
        "public_url",
        "database_url",
        "registration",
    ] {
        assert!(out.contains(needle), "'{needle}' reported in:\n{out}");
    }

    let output = mutual(
        dir.path(),
        &[("MUTUAL_LISTEN", "127.0.0.1:9999")],
        &["--config", "mutual.toml", "config", "check"],
        None,
    );
    let out = text(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "the unknown key is still reported: {out}"
    );

    std::fs::write(
        dir.path().join("mutual.toml"),
        "instance_name = \"Mutual Suomi\"\n",
    )
    .expect("toml");
    let output = mutual(
        dir.path(),
        &[("MUTUAL_LISTEN", "127.0.0.1:9999")],
        &["--config", "mutual.toml", "config", "check"],
        None,
    );
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("127.0.0.1:9999"),
        "environment overrides defaults: {out}"
    );
    assert!(
        out.contains("http://127.0.0.1:9999/"),
        "public URL derived from listen: {out}"
    );
    assert!(out.contains("SQLite"), "{out}");
}

fn admin_commands(backend: Backend) {
    let dir = tempfile::tempdir().expect("dir");
    let database = common::TestDatabase::new(backend);
    let url = database.url_string();
    let env = [("MUTUAL_DATABASE_URL", url.as_str())];

    let output = mutual(dir.path(), &env, &["migrate"], None);
    assert!(output.status.success(), "{}", text(&output));

    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-user",
            "--username",
            "hanna",
            "--email",
            "hanna@example.cz",
            "--role",
            "admin",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-user",
            "--username",
            "weak",
            "--email",
            "weak@example.cz",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!output.status.success(), "short passwords are refused");
    assert!(
        text(&output).contains("at least 10 characters"),
        "{}",
        text(&output)
    );

    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-org",
            "--handle",
            "cesta-domu",
            "--name",
            "Cesta domů",
            "--country",
            "CZ",
            "--languages",
            "cs,en",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-org",
            "--handle",
            "bad",
            "--name",
            "Bad",
            "--country",
            "ZZ",
        ],
        None,
    );
    assert!(!output.status.success());
    assert!(text(&output).contains("country"), "{}", text(&output));

    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "add-editor",
            "--org",
            "cesta-domu",
            "--user",
            "hanna",
            "--reviewer",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "add-editor",
            "--org",
            "cesta-domu",
            "--user",
            "nobody",
        ],
        None,
    );
    assert!(!output.status.success(), "unknown users are reported");

    let output = mutual(
        dir.path(),
        &env,
        &["admin", "create-token", "--user", "hanna"],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    let token = String::from_utf8_lossy(&output.stdout).trim().to_string();
    assert!(token.starts_with("mutual_"), "{token}");

    let output = mutual(dir.path(), &env, &["admin", "list-users"], None);
    let out = text(&output);
    assert!(
        out.contains("hanna") && out.contains("admin") && out.contains("active"),
        "{out}"
    );
    assert!(
        !out.contains("weak@"),
        "the refused account was not created"
    );

    // What the CLI wrote is what the server sees.
    let db = database.open();
    let mut conn = db.get().expect("conn");
    let user = mutual::accounts::tokens::user_for(&mut conn, &token)
        .expect("query")
        .expect("token works");
    assert_eq!(user.username, "hanna");
    assert!(user.is_admin());
    let org = mutual::organisations::get(&mut conn, "cesta-domu").expect("org");
    assert_eq!(org.profile.name, "Cesta domů");
    assert_eq!(org.profile.languages, vec!["cs", "en"]);
    let role = mutual::organisations::role_of(&mut conn, &org.id, &user.id).expect("query");
    assert_eq!(role, Some(mutual::organisations::MemberRole::Reviewer));
}

#[test]
fn admin_commands_work_without_a_server_sqlite() {
    admin_commands(Backend::Sqlite);
}

#[test]
fn admin_commands_work_without_a_server_postgres() {
    admin_commands(Backend::Postgres);
}

#[test]
fn db_copy_moves_an_instance_from_sqlite_to_postgres() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data_env = data.to_string_lossy().to_string();
    let env = [("MUTUAL_DATA_DIR", data_env.as_str())];
    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-user",
            "--username",
            "mover",
            "--email",
            "mover@example.org",
            "--password-stdin",
        ],
        Some("moving house carefully\n"),
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = mutual(
        dir.path(),
        &env,
        &[
            "admin",
            "create-org",
            "--handle",
            "kopu",
            "--name",
            "Kōpū",
            "--country",
            "NZ",
            "--languages",
            "en,mi",
        ],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));
    let output = mutual(
        dir.path(),
        &env,
        &["admin", "add-editor", "--org", "kopu", "--user", "mover"],
        None,
    );
    assert!(output.status.success(), "{}", text(&output));

    let target = common::pg::empty_database();
    let output = mutual(dir.path(), &env, &["db", "copy", "--to", &target], None);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("organisations") && out.contains("1 rows"),
        "{out}"
    );

    let pg =
        mutual::db::Db::open(&mutual::db::DatabaseUrl::Postgres(target.clone()), 1).expect("pg");
    let mut conn = pg.get().expect("conn");
    let org = mutual::organisations::get(&mut conn, "kopu").expect("copied org");
    assert_eq!(org.profile.name, "Kōpū");
    let user = mutual::accounts::find_by_username(&mut conn, "mover")
        .expect("query")
        .expect("copied user");
    assert!(
        mutual::accounts::passwords::verify("moving house carefully", &user.password_hash),
        "password hash intact"
    );
    assert_eq!(
        mutual::organisations::role_of(&mut conn, &org.id, &user.id).expect("query"),
        Some(mutual::organisations::MemberRole::Editor)
    );

    // A second copy into the now-filled database is refused and changes nothing.
    let output = mutual(dir.path(), &env, &["db", "copy", "--to", &target], None);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("already has data"),
        "{}",
        text(&output)
    );
    let (_, total) = mutual::organisations::list(&mut conn, 0, 10).expect("list");
    assert_eq!(total, 1);
}

#[test]
fn db_copy_knows_every_table() {
    let database = common::TestDatabase::new(Backend::Sqlite);
    let db = database.open();
    let mut conn = db.get().expect("conn");
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    use diesel::RunQueryDsl;
    let mutual::db::DbConn::Sqlite(sqlite) = &mut *conn else {
        panic!("sqlite")
    };
    let names: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
    )
    .load(sqlite)
    .expect("tables");
    let mut tables: Vec<String> = names.into_iter().map(|n| n.name).collect();
    tables.sort();
    let mut copied: Vec<String> = mutual::db::copy::TABLES
        .iter()
        .map(|t| t.to_string())
        .collect();
    copied.sort();
    assert_eq!(tables, copied, "a new table must be added to db/copy.rs");
}

#[test]
fn serve_runs_on_embedded_defaults_from_any_folder() {
    let dir = tempfile::tempdir().expect("dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut command = Command::new(BIN);
    command.current_dir(dir.path()).arg("serve");
    for (key, _) in std::env::vars() {
        if key.starts_with("MUTUAL_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .env("MUTUAL_LISTEN", &listen)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let base = format!("http://{listen}");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let result = rt.block_on(async {
        let client = common::new_client();
        let started = Instant::now();
        loop {
            if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err("server did not start".to_string());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut pages = Vec::new();
        for path in [
            "/",
            "/signup",
            "/login",
            "/organisations",
            "/static/site.css",
        ] {
            let r = client
                .get(format!("{base}{path}"))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            pages.push((path, r.status().as_u16()));
        }
        Ok(pages)
    });
    let _ = child.kill();
    let output = child.wait_with_output().expect("wait");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let pages = result.expect("server answered");
    for (path, status) in pages {
        assert_eq!(status, 200, "{path}");
    }
    assert!(
        stdout.contains(&format!("Mutual is running at http://{listen}/")),
        "{stdout}"
    );
    assert!(
        stdout.contains("mutual admin create-user"),
        "tells how to create the first admin: {stdout}"
    );
    assert!(
        dir.path().join("data/mutual.db").exists(),
        "SQLite file under ./data by default"
    );
}

#[test]
fn demo_load_fills_a_new_instance_once() {
    let dir = tempfile::tempdir().expect("dir");
    let output = mutual(dir.path(), &[], &["demo", "load"], None);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    assert!(
        out.contains("built-in"),
        "no ../shared here, so the built-in samples: {out}"
    );
    assert!(
        out.contains("12 organisations, 20 case stories, 5 ISF templates, 8 practice guides"),
        "{out}"
    );
    let output = mutual(dir.path(), &[], &["demo", "load"], None);
    let out = text(&output);
    assert!(out.contains("0 organisations, 0 case stories, 0 ISF templates, 0 practice guides (45 already there)"), "{out}");

    let db = mutual::db::Db::open(
        &mutual::db::DatabaseUrl::Sqlite(dir.path().join("data/mutual.db")),
        1,
    )
    .expect("db");
    let mut conn = db.get().expect("conn");
    let (stories, total) = mutual::content::store::list(
        &mut conn,
        &mutual::content::store::Filter {
            kind: Some(mutual::content::ContentKind::CaseStory),
            lang: Some("cs".into()),
            limit: 50,
            ..Default::default()
        },
    )
    .expect("list");
    assert!(total >= 1, "Czech stories are there");
    assert!(stories
        .iter()
        .all(|s| s.status == mutual::content::Status::Published));
    let (templates, _) = mutual::content::store::list(
        &mut conn,
        &mutual::content::store::Filter {
            kind: Some(mutual::content::ContentKind::IsfTemplate),
            limit: 50,
            ..Default::default()
        },
    )
    .expect("list");
    for template in templates {
        let mutual::content::Details::Isf(data) = &template.details else {
            panic!("not an ISF")
        };
        assert!(data.compute().is_ok(), "{} computes", template.row.title);
    }
}
