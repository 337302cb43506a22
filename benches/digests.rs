//! Digest benchmark (a program, not a test): plans and sends the daily digest of 10,000
//! members who follow a seeded-random mix of organisations, topics and saved searches, over
//! the demo corpus, end to end into a real SMTP server on loopback (`tests/smtp/server.py`,
//! aiosmtpd, run as a child process), then again into the outbox folder (no server) to show
//! what sending over SMTP costs. Run: `cargo bench --bench digests` (`-- --members N` for
//! another number of members, `-- --sample N` for the per-stage sample, `-- --no-outbox` to
//! skip the outbox run). Figures go to docs/PERFORMANCE.md.
//!
//! Timed: `DigestService::plan` (delivery rows written), then `DigestService::run_now`
//! (which plans again — nothing is due any more, but it still looks at every member — and
//! sends every delivery one after another). Before the run, the stages of one send are timed
//! apart on a sample of the planned deliveries: composing (follows and one search per
//! follow), rendering the templates, building the MIME message, and handing the prebuilt
//! messages to each transport; then a bare SMTP client sends messages of the same size to the
//! same server in three ways, to tell the server's cost from the client's way of writing.
//! Setting up (members, follows, the index) is not timed.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use mutual::accounts::{self, User};
use mutual::config::{Config, MailTransportKind, SmtpSecurity};
use mutual::db::schema::{
    content_facets, content_items, digest_deliveries, member_follows, organisations, users,
};
use mutual::db::{self, Db};
use mutual::digests::follows::{self, FollowKind};
use mutual::digests::run::{DigestService, RunReport};
use mutual::digests::settings::{self, DigestSettings, Frequency};
use mutual::mail::{Mailer, Outgoing};
use mutual::search::Search;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

const SEED: u64 = 20_261_125;
const DEFAULT_MEMBERS: usize = 10_000;
const DEFAULT_SAMPLE: usize = 1_000;
/// Saved searches members pick from (as typed into the search form).
const SEARCHES: [&str; 3] = [
    "q=support",
    "q=personal+budget&lang=en",
    "q=staff&type=case_story",
];

struct Args {
    members: usize,
    sample: usize,
    outbox: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        members: DEFAULT_MEMBERS,
        sample: DEFAULT_SAMPLE,
        outbox: true,
    };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            // What `cargo bench` passes to every bench program.
            "--bench" => {}
            "--no-outbox" => args.outbox = false,
            "--members" | "--sample" => {
                let value = iter.next().unwrap_or_default();
                let number: usize = value.replace(['_', ','], "").parse().unwrap_or_else(|_| {
                    panic!("{arg} takes a number, not {value:?}");
                });
                assert!(number > 0, "{arg} takes a number above 0");
                if arg == "--members" {
                    args.members = number;
                } else {
                    args.sample = number;
                }
            }
            other => eprintln!("ignoring argument {other:?}"),
        }
    }
    args.sample = args.sample.min(args.members);
    args
}

// ---------------------------------------------------------------------------------------
// The SMTP server: tests/smtp/server.py as a child process.

struct SmtpChild {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl SmtpChild {
    fn start(dir: &Path) -> SmtpChild {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        let mut child = Command::new("python3")
            .arg(&script)
            .arg("--port")
            .arg("0")
            .arg("--dir")
            .arg(dir)
            // Dies with this program even if it is killed.
            .arg("--stop-on-stdin-eof")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "could not run `python3 {}`: {e}; it needs aiosmtpd (`scripts/install-deps test`)",
                    script.display()
                )
            });
        let stdout = child.stdout.take().expect("the server's stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the server's LISTENING line");
        let port = line
            .strip_prefix("LISTENING ")
            .and_then(|p| p.trim().parse::<u16>().ok())
            .unwrap_or_else(|| {
                panic!(
                    "the SMTP server did not start (it printed {line:?}); is aiosmtpd installed?"
                )
            });
        SmtpChild {
            child,
            port,
            dir: dir.to_path_buf(),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for SmtpChild {
    fn drop(&mut self) {
        // Closing stdin stops it (--stop-on-stdin-eof); kill in case it does not.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `.eml` files in a folder and their total size.
fn messages_in(dir: &Path) -> (usize, u64) {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".eml"))
                .filter_map(|e| e.metadata().ok())
                .fold((0, 0), |(n, bytes), m| (n + 1, bytes + m.len()))
        })
        .unwrap_or((0, 0))
}

/// Waits (briefly) for a folder to hold `expected` messages; panics loudly otherwise.
fn expect_messages(dir: &Path, expected: usize, what: &str) -> u64 {
    let started = Instant::now();
    loop {
        let (count, bytes) = messages_in(dir);
        if count == expected {
            return bytes;
        }
        assert!(
            count < expected && started.elapsed() < Duration::from_secs(20),
            "{what}: expected {expected} messages in {}, found {count}",
            dir.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------
// Measuring.

/// CPU time a process has used (user + system), from `/proc/<pid>/stat`.
fn cpu_time(pid: Option<u32>) -> Duration {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/stat"),
        None => "/proc/self/stat".to_string(),
    };
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    // After the command name (which may hold spaces): utime and stime are the 12th and 13th.
    let ticks: u64 = stat
        .rsplit_once(')')
        .map(|(_, rest)| {
            rest.split_whitespace()
                .skip(11)
                .take(2)
                .filter_map(|t| t.parse::<u64>().ok())
                .sum()
        })
        .unwrap_or(0);
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// A `kB` field of `/proc/<pid>/status`, in MB.
fn status_mb(pid: Option<u32>, field: &str) -> f64 {
    let path = match pid {
        Some(pid) => format!("/proc/{pid}/status"),
        None => "/proc/self/status".to_string(),
    };
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn rate(count: usize, took: Duration) -> f64 {
    count as f64 / took.as_secs_f64()
}

fn per_item_ms(took: Duration, count: usize) -> f64 {
    took.as_secs_f64() * 1000.0 / count.max(1) as f64
}

/// What the disk under the SMTP server's folder charges for one stored message as
/// `server.py` stores it: two small files, each written, fsynced and renamed into place.
fn fsync_floor(dir: &Path, messages: usize) -> Duration {
    std::fs::create_dir_all(dir).expect("fsync probe folder");
    let body = vec![b'x'; 12_000];
    let started = Instant::now();
    for n in 0..messages {
        for (name, data) in [
            (format!("{n:06}.json"), &body[..200]),
            (format!("{n:06}.eml"), &body[..]),
        ] {
            let temp = dir.join(format!(".{name}.tmp"));
            let mut file = std::fs::File::create(&temp).expect("create probe file");
            file.write_all(data).expect("write probe file");
            file.sync_all().expect("fsync probe file");
            std::fs::rename(&temp, dir.join(name)).expect("rename probe file");
        }
    }
    started.elapsed()
}

/// How the client writes the message body and the `<CRLF>.<CRLF>` that ends it.
#[derive(Clone, Copy)]
enum Writes {
    /// Two writes, then read the reply, on a socket with Nagle's algorithm on (as lettre 0.11
    /// does: it never sets TCP_NODELAY).
    TwoNagle,
    /// The same two writes with TCP_NODELAY.
    TwoNoDelay,
    /// Body and terminator in one write, Nagle on.
    One,
}

fn smtp_reply(reader: &mut impl BufRead) -> String {
    let mut reply = String::new();
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).expect("read an SMTP reply");
        assert!(read > 0, "the SMTP server hung up");
        reply.push_str(&line);
        // The last line of a reply has a space after the code.
        if line.as_bytes().get(3) != Some(&b'-') {
            return reply;
        }
    }
}

/// A bare SMTP client on one connection: `messages` messages of `body` (already CRLF and
/// dot-stuffed), each MAIL, RCPT, DATA, body, end. Shows what the server can take and what
/// the client's way of writing costs.
fn raw_smtp(port: u16, messages: usize, body: &[u8], writes: Writes) -> Duration {
    let stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_nodelay(matches!(writes, Writes::TwoNoDelay))
        .expect("set TCP_NODELAY");
    let mut writer = stream.try_clone().expect("clone the socket");
    let mut reader = BufReader::new(stream);
    let greeting = smtp_reply(&mut reader);
    assert!(greeting.starts_with("220"), "greeting {greeting:?}");
    let mut command = |writer: &mut std::net::TcpStream, text: &[u8], expect: &str| {
        writer.write_all(text).expect("write");
        let reply = smtp_reply(&mut reader);
        assert!(
            reply.starts_with(expect),
            "expected {expect}, got {reply:?}"
        );
    };
    command(&mut writer, b"EHLO bench.test\r\n", "250");
    let mut whole = body.to_vec();
    whole.extend_from_slice(b"\r\n.\r\n");
    let started = Instant::now();
    for _ in 0..messages {
        command(&mut writer, b"MAIL FROM:<no-reply@mutual.test>\r\n", "250");
        command(&mut writer, b"RCPT TO:<probe@members.test>\r\n", "250");
        command(&mut writer, b"DATA\r\n", "354");
        match writes {
            Writes::One => command(&mut writer, &whole, "250"),
            Writes::TwoNagle | Writes::TwoNoDelay => {
                writer.write_all(body).expect("write the body");
                command(&mut writer, b"\r\n.\r\n", "250");
            }
        }
    }
    let took = started.elapsed();
    command(&mut writer, b"QUIT\r\n", "221");
    took
}

/// A plain message of about `bytes` bytes, lines of 70 characters.
fn probe_body(bytes: usize) -> Vec<u8> {
    let mut body =
        b"From: <no-reply@mutual.test>\r\nTo: <probe@members.test>\r\nSubject: probe\r\n\r\n"
            .to_vec();
    while body.len() < bytes {
        body.extend_from_slice(&[b'x'; 70]);
        body.extend_from_slice(b"\r\n");
    }
    body
}

// ---------------------------------------------------------------------------------------
// Setting up: an instance with the demo corpus, members and their follows.

struct Instance {
    config: Config,
    db: Db,
    search: Arc<Search>,
}

struct Setup {
    organisations: Vec<String>,
    topics: Vec<String>,
    follows: usize,
    content: usize,
}

fn config_for(dir: &Path) -> Config {
    let mut config = Config::for_data_dir(dir);
    config.mail.from = Some("Mutual benchmark <no-reply@mutual.test>".into());
    config
}

/// Members `member00001`… with one fixed password hash (hashing 10,000 passwords with argon2
/// would take longer than the benchmark), confirmed and active, each with daily digests at
/// 00:00 UTC (so all are due) and a seeded mix of follows.
fn create_members(conn: &mut db::DbConn, members: usize, setup: &mut Setup) {
    let hash = accounts::passwords::hash("benchmark password").expect("hash");
    let now = db::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let daily = DigestSettings {
        frequency: Frequency::Daily,
        hour: 0,
        weekday: 1,
        timezone: "UTC".into(),
        paused: false,
    };
    db::write_transaction(conn, |conn| {
        // One statement per member: the two-backend connection type has no batch insert.
        let mut ids = Vec::with_capacity(members);
        for n in 1..=members {
            let id = db::new_id();
            diesel::insert_into(users::table)
                .values((
                    users::id.eq(&id),
                    users::username.eq(format!("member{n:05}")),
                    users::email.eq(format!("member{n:05}@members.test")),
                    users::display_name.eq(format!("Member {n}")),
                    users::password_hash.eq(&hash),
                    users::role.eq(accounts::Role::Member.as_str()),
                    users::status.eq(accounts::Status::Active.as_str()),
                    users::created_at.eq(now),
                    users::approved_at.eq(now),
                    users::email_confirmed_at.eq(now),
                ))
                .execute(conn)?;
            ids.push(id);
        }
        assert_eq!(ids.len(), members, "members created");
        for id in &ids {
            settings::save(conn, id, &daily)?;
            let orgs = rng.gen_range(1..=3.min(setup.organisations.len()));
            for handle in setup.organisations.choose_multiple(&mut rng, orgs) {
                follows::add(conn, id, FollowKind::Organisation, handle)
                    .expect("follow an organisation");
            }
            let topics = rng.gen_range(0..=2.min(setup.topics.len()));
            for slug in setup.topics.choose_multiple(&mut rng, topics) {
                follows::add(conn, id, FollowKind::Topic, slug).expect("follow a topic");
            }
            if rng.gen_bool(0.5) {
                let search = SEARCHES.choose(&mut rng).expect("a search");
                follows::add(conn, id, FollowKind::Search, search).expect("save a search");
            }
        }
        Ok::<_, diesel::result::Error>(())
    })
    .expect("create members");
    setup.follows = member_follows::table
        .count()
        .get_result::<i64>(conn)
        .expect("count follows") as usize;
}

async fn build(dir: &Path, members: usize) -> (Instance, Setup) {
    let config = config_for(dir);
    let db = mutual::startup::prepare_database(&config).expect("prepare the database");
    let mut conn = db.get().expect("connection");
    let report =
        mutual::demo::load(&mut conn, &mutual::demo::Corpus::built_in()).expect("demo corpus");
    // Organisations that published something (a follow of one that did not would only make
    // empty digests) and the topics the published content uses.
    let publishers: BTreeSet<String> = content_items::table
        .filter(content_items::status.eq("published"))
        .select(content_items::organisation_id)
        .load::<String>(&mut conn)
        .expect("content")
        .into_iter()
        .collect();
    let mut setup = Setup {
        organisations: organisations::table
            .filter(organisations::id.eq_any(publishers))
            .order(organisations::handle.asc())
            .select(organisations::handle)
            .load(&mut conn)
            .expect("organisations"),
        topics: content_facets::table
            .filter(content_facets::facet.eq("topic"))
            .select(content_facets::value)
            .distinct()
            .order(content_facets::value.asc())
            .load(&mut conn)
            .expect("topics"),
        follows: 0,
        content: report.case_stories + report.isf_templates + report.practice_guides,
    };
    assert!(
        !setup.organisations.is_empty(),
        "the demo corpus has no publishing organisations"
    );
    println!(
        "demo corpus: {} organisations ({} with published content), {} case stories, {} ISF templates, {} practice guides; {} topics in use",
        report.organisations,
        setup.organisations.len(),
        report.case_stories,
        report.isf_templates,
        report.practice_guides,
        setup.topics.len()
    );
    let started = Instant::now();
    create_members(&mut conn, members, &mut setup);
    drop(conn);
    println!(
        "{members} members with {} follows created in {:.1} s (not timed)",
        setup.follows,
        started.elapsed().as_secs_f64()
    );
    let engine = mutual::search::open_engine(&config)
        .await
        .expect("search engine");
    let search = Search::new(engine, db.clone());
    let indexed = search.sync_pending().await.expect("index");
    println!("indexed {indexed} documents");
    (Instance { config, db, search }, setup)
}

async fn service(instance: &Instance, mail: impl FnOnce(&mut Config)) -> DigestService {
    let mut config = instance.config.clone();
    mail(&mut config);
    let mailer = Mailer::from_config(&config).expect("mailer");
    DigestService::new(
        instance.db.clone(),
        instance.search.clone(),
        Arc::new(mailer),
        Arc::new(config),
    )
    .await
    .expect("digest service")
}

fn smtp_config(port: u16) -> impl FnOnce(&mut Config) {
    move |config: &mut Config| {
        config.mail.transport = MailTransportKind::Smtp;
        config.mail.smtp_host = Some("127.0.0.1".into());
        config.mail.smtp_port = port;
        config.mail.smtp_security = SmtpSecurity::None;
    }
}

fn outbox_config(dir: PathBuf) -> impl FnOnce(&mut Config) {
    move |config: &mut Config| {
        config.mail.transport = MailTransportKind::Outbox;
        config.mail.outbox_dir = Some(dir);
    }
}

// ---------------------------------------------------------------------------------------
// The stages of one send, apart, on a sample of planned deliveries.

struct Stages {
    sample: usize,
    compose: Duration,
    render: Duration,
    build: Duration,
    sections: usize,
    items: usize,
    smtp: Duration,
    outbox: Duration,
    smtp_server_cpu: Duration,
}

async fn stages(
    instance: &Instance,
    digests: &DigestService,
    sample: usize,
    now: DateTime<Utc>,
    root: &Path,
) -> Stages {
    let rows: Vec<(String, String, NaiveDateTime, NaiveDateTime)> = instance
        .db
        .query(move |conn| {
            digest_deliveries::table
                .order(digest_deliveries::created_at.asc())
                .select((
                    digest_deliveries::id,
                    digest_deliveries::user_id,
                    digest_deliveries::window_start,
                    digest_deliveries::window_end,
                ))
                .limit(sample as i64)
                .load(conn)
        })
        .await
        .expect("sample deliveries");
    let ids: Vec<String> = rows.iter().map(|r| r.1.clone()).collect();
    let users: Vec<User> = instance
        .db
        .query(move |conn| {
            ids.iter()
                .map(|id| {
                    users::table
                        .filter(users::id.eq(id))
                        .select(User::as_select())
                        .first(conn)
                })
                .collect()
        })
        .await
        .expect("sample users");

    let started = Instant::now();
    let mut composed = Vec::with_capacity(rows.len());
    for ((_, _, start, end), user) in rows.iter().zip(&users) {
        composed.push(digests.compose(user, *start, *end).await.expect("compose"));
    }
    let compose = started.elapsed();
    let sections = composed.iter().map(Vec::len).sum();
    let items = composed
        .iter()
        .flat_map(|s| s.iter().map(|s| s.items.len()))
        .sum();

    let started = Instant::now();
    let outgoing: Vec<Outgoing> = rows
        .iter()
        .zip(&users)
        .zip(&composed)
        .map(|(((id, ..), user), sections)| {
            digests
                .message(
                    user,
                    sections,
                    Some(format!("<sample.{id}@mutual.test>")),
                    now,
                )
                .expect("render")
        })
        .collect();
    let render = started.elapsed();

    let started = Instant::now();
    for message in &outgoing {
        digests.mailer.build(message).expect("build");
    }
    let build = started.elapsed();

    // Transports alone: the same prebuilt messages to a second SMTP server, then the outbox.
    // `Mailer::send` builds the message again, so these include `build`.
    let smtp_dir = root.join("sample-smtp");
    let server = SmtpChild::start(&smtp_dir);
    let mut config = instance.config.clone();
    smtp_config(server.port)(&mut config);
    let mailer = Mailer::from_config(&config).expect("SMTP mailer");
    let cpu_before = cpu_time(Some(server.pid()));
    let started = Instant::now();
    for message in &outgoing {
        mailer.send(message).await.expect("send over SMTP");
    }
    let smtp = started.elapsed();
    let smtp_server_cpu = cpu_time(Some(server.pid())).saturating_sub(cpu_before);
    expect_messages(&server.dir, outgoing.len(), "sample over SMTP");
    drop(server);

    let outbox_dir = root.join("sample-outbox");
    let mut config = instance.config.clone();
    outbox_config(outbox_dir.clone())(&mut config);
    let mailer = Mailer::from_config(&config).expect("outbox mailer");
    let started = Instant::now();
    for message in &outgoing {
        mailer.send(message).await.expect("write to the outbox");
    }
    let outbox = started.elapsed();
    expect_messages(&outbox_dir, outgoing.len(), "sample to the outbox");

    Stages {
        sample: rows.len(),
        compose,
        render,
        build,
        sections,
        items,
        smtp,
        outbox,
        smtp_server_cpu,
    }
}

// ---------------------------------------------------------------------------------------
// A whole run.

struct Run {
    plan: Duration,
    planned: usize,
    rescan: Duration,
    send: Duration,
    report: RunReport,
    cpu: Duration,
    server_cpu: Option<Duration>,
    items: Vec<i32>,
    bytes: u64,
}

impl Run {
    fn total(&self) -> Duration {
        self.plan + self.send
    }
}

/// The planning half of a run: writes the delivery rows.
async fn plan(digests: &DigestService, now: DateTime<Utc>, members: usize) -> Run {
    let cpu_before = cpu_time(None);
    let started = Instant::now();
    let planned = digests.plan(now).await.expect("plan").len();
    let took = started.elapsed();
    assert_eq!(planned, members, "every member is due");
    Run {
        plan: took,
        planned,
        rescan: Duration::ZERO,
        send: Duration::ZERO,
        report: RunReport::default(),
        cpu: cpu_time(None).saturating_sub(cpu_before),
        server_cpu: None,
        items: Vec::new(),
        bytes: 0,
    }
}

/// The sending half: `run_now`, which plans again (nothing is due) and sends everything.
async fn send(
    instance: &Instance,
    digests: &DigestService,
    now: DateTime<Utc>,
    members: usize,
    server_pid: Option<u32>,
    mut run: Run,
) -> Run {
    // What run_now's own plan costs once everything is planned: it looks at every member.
    let started = Instant::now();
    let again = digests.plan(now).await.expect("plan again").len();
    run.rescan = started.elapsed();
    assert_eq!(again, 0, "nothing is due twice");

    let server_before = server_pid.map(|pid| cpu_time(Some(pid)));
    let cpu_before = cpu_time(None);
    let started = Instant::now();
    run.report = digests.run_now(now).await.expect("run");
    run.send = started.elapsed();
    run.cpu += cpu_time(None).saturating_sub(cpu_before);
    run.server_cpu = server_pid
        .zip(server_before)
        .map(|(pid, before)| cpu_time(Some(pid)).saturating_sub(before));
    let r = &run.report;
    assert_eq!(
        (r.sent, r.empty, r.failed, r.retry),
        (members, 0, 0, 0),
        "every member gets a digest: {r:?}"
    );
    run.items = instance
        .db
        .query(|conn| {
            digest_deliveries::table
                .filter(digest_deliveries::status.eq("sent"))
                .select(digest_deliveries::items)
                .load(conn)
        })
        .await
        .expect("items");
    assert_eq!(run.items.len(), members, "every delivery is marked sent");
    run
}

fn describe(name: &str, run: &Run) {
    let sent = run.report.sent;
    let mean = run.items.iter().map(|&i| f64::from(i)).sum::<f64>() / run.items.len().max(1) as f64;
    let (min, max) = (
        run.items.iter().min().copied().unwrap_or(0),
        run.items.iter().max().copied().unwrap_or(0),
    );
    println!("\n== {name} ==");
    println!(
        "plan: {} delivery rows in {:.2} s ({:.0} rows/s)",
        run.planned,
        run.plan.as_secs_f64(),
        rate(run.planned, run.plan)
    );
    println!(
        "run_now: {sent} digests sent in {:.2} s ({:.0} digests/s, {:.2} ms each), of which its re-plan (nothing due, every member looked at) ≈ {:.2} s",
        run.send.as_secs_f64(),
        rate(sent, run.send),
        per_item_ms(run.send, sent),
        run.rescan.as_secs_f64()
    );
    println!(
        "end to end (plan + run_now): {:.2} s, {:.0} digests/s",
        run.total().as_secs_f64(),
        rate(sent, run.total())
    );
    println!(
        "items per digest: mean {mean:.1}, min {min}, max {max}; messages {:.1} KB on average",
        run.bytes as f64 / sent.max(1) as f64 / 1024.0
    );
    let wall = run.total().as_secs_f64();
    print!(
        "CPU: this process {:.1} s over {wall:.1} s wall ({:.0}% of one core)",
        run.cpu.as_secs_f64(),
        100.0 * run.cpu.as_secs_f64() / wall
    );
    match run.server_cpu {
        Some(cpu) => println!(
            "; SMTP server {:.1} s during run_now ({:.0}% of one core)",
            cpu.as_secs_f64(),
            100.0 * cpu.as_secs_f64() / run.send.as_secs_f64()
        ),
        None => println!(),
    }
}

fn main() {
    let args = parse_args();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "digest benchmark: {} members, {cores} cores, load average at start {}",
        args.members,
        load_average()
    );
    println!(
        "reproduce: cargo bench --bench digests -- --members {} --sample {}{}",
        args.members,
        args.sample,
        if args.outbox { "" } else { " --no-outbox" }
    );
    let root = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (instance, setup) = build(&root.path().join("data"), args.members).await;
        println!(
            "follows: {:.2} per member (organisations 1–3 of {}, topics 0–2 of {}, a saved search for half); {} published items",
            setup.follows as f64 / args.members as f64,
            setup.organisations.len(),
            setup.topics.len(),
            setup.content
        );
        let now = Utc::now();

        // Over SMTP, into tests/smtp/server.py.
        let smtp_dir = root.path().join("smtp");
        let server = SmtpChild::start(&smtp_dir);
        let digests = service(&instance, smtp_config(server.port)).await;
        let planned = plan(&digests, now, args.members).await;
        let s = stages(&instance, &digests, args.sample, now, root.path()).await;
        let mut smtp_run = send(
            &instance,
            &digests,
            now,
            args.members,
            Some(server.pid()),
            planned,
        )
        .await;
        smtp_run.bytes = expect_messages(&server.dir, args.members, "SMTP run");
        let server_peak = status_mb(Some(server.pid()), "VmHWM:");
        drop(server);
        describe("SMTP (aiosmtpd on 127.0.0.1)", &smtp_run);
        println!(
            "SMTP server received {} messages (checked); its peak RSS {server_peak:.0} MB",
            args.members
        );

        // Again into the outbox folder: the same work without the SMTP server.
        let outbox_run = if args.outbox {
            instance
                .db
                .query(|conn| diesel::delete(digest_deliveries::table).execute(conn))
                .await
                .expect("forget the deliveries");
            let outbox_dir = root.path().join("outbox");
            let digests = service(&instance, outbox_config(outbox_dir.clone())).await;
            let planned = plan(&digests, now, args.members).await;
            let mut outbox_run = send(&instance, &digests, now, args.members, None, planned).await;
            outbox_run.bytes = expect_messages(&outbox_dir, args.members, "outbox run");
            describe("outbox (files, no server)", &outbox_run);
            Some(outbox_run)
        } else {
            None
        };

        println!("\n== stages of one send, {} sampled deliveries ==", s.sample);
        println!(
            "compose (follows + one search per follow): {:.3} ms each; {:.2} sections, {:.1} items per digest",
            per_item_ms(s.compose, s.sample),
            s.sections as f64 / s.sample as f64,
            s.items as f64 / s.sample as f64
        );
        println!(
            "render (text + HTML templates): {:.3} ms each",
            per_item_ms(s.render, s.sample)
        );
        println!(
            "build (MIME message): {:.3} ms each",
            per_item_ms(s.build, s.sample)
        );
        println!(
            "Mailer::send of prebuilt messages (builds again): SMTP {:.3} ms each ({:.0}/s; server CPU {:.0}% of one core), outbox {:.3} ms each ({:.0}/s)",
            per_item_ms(s.smtp, s.sample),
            rate(s.sample, s.smtp),
            100.0 * s.smtp_server_cpu.as_secs_f64() / s.smtp.as_secs_f64(),
            per_item_ms(s.outbox, s.sample),
            rate(s.sample, s.outbox)
        );
        let floor = fsync_floor(&root.path().join("fsync-probe"), s.sample);
        println!(
            "disk floor: storing a message as server.py does (2 files, each fsynced and renamed) {:.3} ms each, measured here on the same file system",
            per_item_ms(floor, s.sample)
        );
        // The SMTP server with a bare client: is it the server, or the client's writes?
        let probes = s.sample.min(200);
        let size = usize::try_from(smtp_run.bytes / args.members as u64).unwrap_or(14_000);
        let body = probe_body(size);
        let probe_dir = root.path().join("probe-smtp");
        let server = SmtpChild::start(&probe_dir);
        for (writes, what) in [
            (Writes::TwoNagle, "body and end in two writes (as lettre), Nagle on"),
            (Writes::TwoNoDelay, "two writes, TCP_NODELAY"),
            (Writes::One, "one write, Nagle on"),
        ] {
            let cpu = cpu_time(Some(server.pid()));
            let took = raw_smtp(server.port, probes, &body, writes);
            let cpu = cpu_time(Some(server.pid())).saturating_sub(cpu);
            println!(
                "bare SMTP client, {probes} messages of {:.1} KB on one connection, {what}: {:.3} ms each ({:.0}/s; server CPU {:.0}% of one core)",
                body.len() as f64 / 1024.0,
                per_item_ms(took, probes),
                rate(probes, took),
                100.0 * cpu.as_secs_f64() / took.as_secs_f64()
            );
        }
        expect_messages(&server.dir, 3 * probes, "bare SMTP client");
        drop(server);
        // What is left once the sampled stages are taken off: the delivery row's reads and
        // updates and loading the member (plus the sample's noise: it can come out below 0).
        let stages_with = |transport: Duration| per_item_ms(s.compose + s.render + transport, s.sample);
        let mut runs = vec![("SMTP", &smtp_run, stages_with(s.smtp))];
        if let Some(o) = &outbox_run {
            runs.push(("outbox", o, stages_with(s.outbox)));
        }
        for (name, r, stages) in runs {
            let each = per_item_ms(r.send.saturating_sub(r.rescan), args.members);
            println!(
                "per digest sent, {name} run (run_now less its re-plan): {each:.3} ms; sampled compose + render + send {stages:.3} ms; rest {:+.3} ms",
                each - stages
            );
        }

        println!("\n== summary ==");
        println!(
            "{} members: plan {:.0} rows/s; SMTP end to end {:.0} digests/s ({:.1} s)",
            args.members,
            rate(smtp_run.planned, smtp_run.plan),
            rate(smtp_run.report.sent, smtp_run.total()),
            smtp_run.total().as_secs_f64()
        );
        if let Some(o) = &outbox_run {
            println!(
                "outbox end to end {:.0} digests/s ({:.1} s)",
                rate(o.report.sent, o.total()),
                o.total().as_secs_f64()
            );
        }
        println!(
            "peak RSS of this process (VmHWM): {:.0} MB; load average at the end {}",
            status_mb(None, "VmHWM:"),
            load_average()
        );
    });
}
