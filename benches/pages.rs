//! Page benchmark (a program, not a test): how long the real server takes to answer each main
//! page, rendered server-side, and how many bytes of CSS and JavaScript a browser downloads.
//! Run: `cargo bench --bench pages` (`-- --requests N` per page, default 300). Figures go to
//! docs/PERFORMANCE.md.
//!
//! The server is `Application` with the built-in demo corpus loaded (organisations, stories,
//! guides, ISF templates in several languages), on SQLite in a temporary folder, answering on
//! loopback in this process. Each page is requested over one keep-alive connection, one
//! request at a time, after 20 untimed requests; timed by the client from sending until the
//! whole body has arrived. Pages that need a member are requested logged in. Some pages are
//! also requested in Finnish (`Accept-Language: fi`), to show what translation costs.

use std::io::Write;
use std::time::{Duration, Instant};

use mutual::accounts::{self, NewAccount, Role, Status};
use mutual::config::Config;
use mutual::startup::Application;

const PASSWORD: &str = "correct horse battery staple";

struct Args {
    requests: usize,
}

fn parse_args() -> Args {
    let mut args = Args { requests: 300 };
    let mut iter = std::env::args().skip(1);
    while let Some(arg) = iter.next() {
        if arg == "--requests" {
            args.requests = iter
                .next()
                .and_then(|v| v.parse().ok())
                .expect("--requests N");
        }
    }
    args
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a CSRF field") + marker.len();
    let end = html[start..].find('"').expect("end of token") + start;
    html[start..end].to_string()
}

/// The first link in `html` whose path starts with `prefix` and has `depth` more segments.
fn first_link(html: &str, prefix: &str, segment: &str) -> Option<String> {
    let pattern = format!(r#"href="({prefix}[a-z0-9-]+/{segment}/[a-z0-9-]+)""#);
    let re = regex::Regex::new(&pattern).expect("regex");
    re.captures(html).map(|c| c[1].to_string())
}

fn gzip_size(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len()
}

async fn time_page(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    lang: Option<&str>,
    requests: usize,
) -> (Vec<Duration>, usize) {
    let request = || {
        let mut r = client.get(format!("{base}{path}"));
        if let Some(lang) = lang {
            r = r.header("accept-language", lang);
        }
        r
    };
    let mut size = 0;
    for _ in 0..20 {
        let response = request().send().await.expect("GET");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        size = response.bytes().await.expect("body").len();
    }
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let t = Instant::now();
        let response = request().send().await.expect("GET");
        let body = response.bytes().await.expect("body");
        times.push(t.elapsed());
        assert!(!body.is_empty());
    }
    times.sort();
    (times, size)
}

fn main() {
    let args = parse_args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(args));
}

async fn run(args: Args) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "page benchmark: {} requests a page, load average at start {}",
        args.requests,
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config::for_data_dir(&dir.path().join("data"));
    config.listen = "127.0.0.1:0".parse().expect("address");
    let app = Application::build(config).await.expect("application");
    let port = app.port();
    let db = app.db();
    tokio::spawn(app.run_until_stopped());
    let base = format!("http://127.0.0.1:{port}");

    let report = db
        .run(|conn| mutual::demo::load(conn, &mutual::demo::Corpus::built_in()))
        .await
        .expect("demo corpus");
    println!(
        "demo corpus: {} organisations, {} stories, {} guides, {} ISF templates",
        report.organisations, report.case_stories, report.practice_guides, report.isf_templates
    );
    db.run(|conn| {
        accounts::create_account(
            conn,
            &NewAccount {
                username: "bench".into(),
                email: "bench@example.org".into(),
                password: PASSWORD.into(),
                ..Default::default()
            },
            Role::Member,
            Status::Active,
        )
    })
    .await
    .expect("member");

    let visitor = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let member = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login_page = member
        .get(format!("{base}/login"))
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("body");
    let response = member
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf_from(&login_page).as_str()),
            ("login", "bench"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("log in");
    assert_eq!(response.status().as_u16(), 303, "logged in");

    let listing = |path: &'static str| {
        let visitor = visitor.clone();
        let base = base.clone();
        async move {
            visitor
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("listing")
                .text()
                .await
                .expect("body")
        }
    };
    let story = first_link(&listing("/stories").await, "/organisations/", "stories")
        .expect("a story link on /stories");
    let guide = first_link(&listing("/guides").await, "/organisations/", "guides")
        .expect("a guide link on /guides");
    let isf = first_link(
        &listing("/isf-templates").await,
        "/organisations/",
        "isf-templates",
    )
    .expect("an ISF template link on /isf-templates");
    let organisation = story.split('/').take(3).collect::<Vec<_>>().join("/");

    let pages: Vec<(String, String, bool, Option<&str>)> = vec![
        ("home".into(), "/".into(), false, None),
        ("home, Finnish".into(), "/".into(), false, Some("fi")),
        ("search, empty".into(), "/search".into(), false, None),
        (
            "search, a word".into(),
            "/search?q=support".into(),
            false,
            None,
        ),
        (
            "search, filtered".into(),
            "/search?q=support&type=case_story&lang=en".into(),
            false,
            None,
        ),
        (
            "search, Finnish".into(),
            "/search?q=support".into(),
            false,
            Some("fi"),
        ),
        ("stories".into(), "/stories".into(), false, None),
        ("guides".into(), "/guides".into(), false, None),
        ("ISF templates".into(), "/isf-templates".into(), false, None),
        ("organisations".into(), "/organisations".into(), false, None),
        ("an organisation".into(), organisation.clone(), false, None),
        ("a story".into(), story.clone(), false, None),
        ("a guide".into(), guide.clone(), false, None),
        ("an ISF template".into(), isf.clone(), false, None),
        ("log in".into(), "/login".into(), false, None),
        ("sign up".into(), "/signup".into(), false, None),
        ("account (member)".into(), "/settings".into(), true, None),
        (
            "account (member), Finnish".into(),
            "/settings".into(),
            true,
            Some("fi"),
        ),
    ];

    println!("  page                          p50 ms   p95 ms   p99 ms   bytes");
    let mut medians = Vec::new();
    for (name, path, logged_in, lang) in &pages {
        let client = if *logged_in { &member } else { &visitor };
        let (times, size) = time_page(client, &base, path, *lang, args.requests).await;
        let p50 = percentile(&times, 0.50);
        medians.push((name.clone(), p50));
        println!(
            "  {:<28} {:>7.2}  {:>7.2}  {:>7.2}  {:>6}",
            name,
            p50,
            percentile(&times, 0.95),
            percentile(&times, 0.99),
            size
        );
    }
    let worst = medians
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("pages");
    println!("  worst median: {:.2} ms ({})", worst.1, worst.0);

    let mut total_raw = 0;
    let mut total_gzip = 0;
    let mut total_sent = 0;
    println!("  static files: raw bytes, gzip -9 bytes, bytes sent with Accept-Encoding: gzip");
    for file in ["site.css", "site.js", "print.css"] {
        let raw = visitor
            .get(format!("{base}/static/{file}"))
            .send()
            .await
            .expect("static")
            .bytes()
            .await
            .expect("body");
        let sent = visitor
            .get(format!("{base}/static/{file}"))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("static")
            .bytes()
            .await
            .expect("body")
            .len();
        let gzip = gzip_size(&raw);
        println!("    {file:<10} {:>7} {:>7} {:>7}", raw.len(), gzip, sent);
        total_raw += raw.len();
        total_gzip += gzip;
        total_sent += sent;
    }
    println!(
        "    all CSS+JS {total_raw:>7} {total_gzip:>7} {total_sent:>7}  (budget: 51,200 compressed)"
    );
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "load average at end {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("reproduce: cargo bench --bench pages");
}
