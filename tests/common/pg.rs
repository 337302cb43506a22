//! A throwaway PostgreSQL cluster for the tests, started from the system's PostgreSQL
//! binaries (initdb + pg_ctl) on a free port in a temporary folder, shared by the tests of
//! one test binary and removed when the binary exits. Each test gets its own database,
//! cloned from a migrated template, so tests run in parallel.
//!
//! PostgreSQL refuses to run as root, so when the tests run as root the cluster runs as
//! the `postgres` system user (which the Debian package creates).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, OnceLock};

use diesel::connection::SimpleConnection;
use diesel::Connection;

struct Cluster {
    root: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres_user: bool,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static CREATE_LOCK: Mutex<()> = Mutex::new(());

fn find_bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("MUTUAL_TEST_PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    candidates.retain(|p| p.join("initdb").exists());
    candidates.sort();
    if let Some(dir) = candidates.pop() {
        return dir;
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").exists() {
            return dir;
        }
    }
    panic!(
        "PostgreSQL's server binaries (initdb, pg_ctl) were not found. Install them with \
         `apt-get install postgresql` (scripts/test does this), or set MUTUAL_TEST_PG_BIN."
    );
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

fn run(cluster_user: bool, program: &Path, args: &[&str]) {
    let mut command = if cluster_user {
        let mut c = Command::new("runuser");
        c.arg("-u").arg("postgres").arg("--").arg(program);
        c
    } else {
        Command::new(program)
    };
    let output = command
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", program.display()));
    if !output.status.success() {
        panic!(
            "{} {:?} failed:\n{}\n{}",
            program.display(),
            args,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

extern "C" fn stop_cluster() {
    if let Some(cluster) = CLUSTER.get() {
        let data = cluster.root.join("data");
        let mut command = if cluster.as_postgres_user {
            let mut c = Command::new("runuser");
            c.arg("-u")
                .arg("postgres")
                .arg("--")
                .arg(cluster.bin.join("pg_ctl"));
            c
        } else {
            Command::new(cluster.bin.join("pg_ctl"))
        };
        let _ = command
            .args([
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .output();
        let _ = std::fs::remove_dir_all(&cluster.root);
    }
}

fn admin_url(port: u16, database: &str) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/{database}")
}

fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(|| {
        let bin = find_bin_dir();
        let as_postgres_user = is_root();
        let root = std::env::temp_dir().join(format!(
            "mutual-test-pg-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&root).expect("cluster folder");
        if as_postgres_user {
            run(
                false,
                Path::new("chown"),
                &["-R", "postgres:postgres", &root.to_string_lossy()],
            );
        }
        let data = root.join("data");
        let port = free_port();
        run(
            as_postgres_user,
            &bin.join("initdb"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        // Durability settings are off: this cluster lives for one test run.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
             -c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB",
            root.display()
        );
        run(
            as_postgres_user,
            &bin.join("pg_ctl"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &root.join("log").to_string_lossy(),
                "-w",
                "start",
            ],
        );
        let cluster = Cluster {
            root,
            bin,
            port,
            as_postgres_user,
        };
        // SAFETY: registering a plain extern "C" function with atexit is always sound.
        unsafe {
            libc::atexit(stop_cluster);
        }
        // The template every test database is cloned from: migrated and seeded once.
        let mut admin = diesel::PgConnection::establish(&admin_url(port, "postgres"))
            .expect("connect to cluster");
        admin
            .batch_execute("CREATE DATABASE mutual_template")
            .expect("create template");
        {
            let url = mutual::db::DatabaseUrl::Postgres(admin_url(port, "mutual_template"));
            let db = mutual::db::Db::open(&url, 1).expect("open template");
            db.migrate().expect("migrate template");
            let mut conn = db.get().expect("template connection");
            mutual::taxonomy::seed(&mut conn).expect("seed template");
        }
        cluster
    })
}

/// A new database, migrated and seeded, that no other test uses. Returns its URL.
pub fn fresh_database() -> String {
    let cluster = cluster();
    let name = format!("test_{}", uuid_like());
    let _guard = CREATE_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut admin = diesel::PgConnection::establish(&admin_url(cluster.port, "postgres"))
        .expect("connect to cluster");
    admin
        .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE mutual_template"))
        .expect("create test database");
    admin_url(cluster.port, &name)
}

/// An empty database (no migrations), for tests of the migrations themselves.
pub fn empty_database() -> String {
    let cluster = cluster();
    let name = format!("empty_{}", uuid_like());
    let mut admin = diesel::PgConnection::establish(&admin_url(cluster.port, "postgres"))
        .expect("connect to cluster");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create empty database");
    admin_url(cluster.port, &name)
}

fn uuid_like() -> String {
    mutual::db::new_id().replace('-', "")
}
