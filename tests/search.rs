//! Search as members and hosts meet it: over HTTP on a running server (both databases),
//! what becomes findable and when, visibility, the API's shape and errors, the page, and
//! the index kept in step with the database (`reindex`, `check`).

mod common;

use std::process::Command;

use common::{spawn_app, Backend, TestApp};
use mutual::search::embedded::EmbeddedEngine;
use mutual::search::{Facet, Search, SearchQuery, Sort};
use serde_json::{json, Value};

use common::call;

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let (status, body) = call(app, reqwest::Method::POST, path, Some(token), Some(body)).await;
    assert!(status < 300, "{path}: {status} {body}");
    body
}

async fn search(app: &TestApp, query: &str) -> Value {
    let (status, body) = call(
        app,
        reqwest::Method::GET,
        &format!("/api/v1/search?{query}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

async fn total(app: &TestApp, query: &str) -> u64 {
    search(app, query).await["total"].as_u64().expect("total")
}

async fn visibility_and_immediacy(backend: Backend) {
    let app = spawn_app(backend).await;
    let (editor, reviewer) = app.organisation_with_team("northlight", "GB-ENG").await;

    // A draft guide is not findable, whatever the query.
    let guide = post(
        &app,
        "/api/v1/guides",
        &editor,
        json!({
            "organisation": "northlight", "title": "Banking unused hours with zephyrine care",
            "summary": "How we keep unused ISF hours for later.", "lang": "en",
            "topics": ["financial-management"],
            "body": "We record **unused hours** every month and the person decides when to use them.",
            "audience": ["provider"], "stage": "delivery", "jurisdictions": ["GB-ENG"],
        }),
    )
    .await;
    let guide_id = guide["id"].as_str().expect("id").to_string();
    assert_eq!(total(&app, "q=zephyrine").await, 0, "drafts are not found");
    assert_eq!(total(&app, "q=&type=practice_guide").await, 0);

    // Published: found as soon as the request that published it has answered.
    post(
        &app,
        &format!("/api/v1/guides/{guide_id}/publish"),
        &editor,
        json!({}),
    )
    .await;
    let found = search(&app, "q=zephyrine+unused").await;
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["hits"][0];
    assert_eq!(hit["id"], guide_id.as_str());
    assert_eq!(hit["type"], "practice_guide");
    assert_eq!(hit["organisation"], "northlight");
    assert_eq!(hit["lang"], "en");
    assert_eq!(hit["url"], guide["url"]);
    assert!(hit["published"].as_str().expect("date").ends_with('Z'));
    assert!(
        hit["snippet"].as_str().expect("snippet").contains("<mark>"),
        "{hit}"
    );
    assert_eq!(found["facets"]["type"]["practice_guide"], 1);
    assert_eq!(found["facets"]["topic"]["financial-management"], 1);
    assert_eq!(found["facets"]["country"]["GB"], 1);
    // Stemmed: "banked" finds "Banking".
    assert_eq!(total(&app, "q=banked+zephyrine").await, 1);

    // An edit replaces what is indexed.
    let (status, body) = call(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/guides/{guide_id}"),
        Some(&editor),
        Some(json!({"title": "Saving flexible time", "lang": "en", "body": "Plain words.", "stage": "delivery"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(total(&app, "q=zephyrine").await, 0, "old words are gone");
    assert_eq!(total(&app, "q=flexible&type=practice_guide").await, 1);

    // Withdrawn: gone at once.
    post(
        &app,
        &format!("/api/v1/guides/{guide_id}/withdraw"),
        &editor,
        json!({}),
    )
    .await;
    assert_eq!(total(&app, "q=flexible&type=practice_guide").await, 0);

    // A story: consent records never become searchable; withdrawing consent removes it.
    let story = post(
        &app,
        "/api/v1/stories",
        &editor,
        json!({
            "organisation": "northlight", "title": "A garden of her own", "lang": "en",
            "summary": "Moving out of residential care.", "body": "She chose her team and her garden.",
            "pseudonym": "Rose", "voice": "told_with", "country": "GB-ENG", "age_band": "50-69",
            "topics": ["housing"],
        }),
    )
    .await;
    let story_id = story["id"].as_str().expect("id").to_string();
    let (status, body) = call(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{story_id}/consent"),
        Some(&editor),
        Some(json!({"method": "written", "scope": ["web"], "notes": "Signed with quokkanotes witness present"})),
    )
    .await;
    assert!(status < 300, "{status} {body}");
    post(
        &app,
        &format!("/api/v1/stories/{story_id}/submit"),
        &editor,
        json!({}),
    )
    .await;
    assert_eq!(
        total(&app, "q=garden").await,
        0,
        "submitted is not published"
    );
    post(
        &app,
        &format!("/api/v1/stories/{story_id}/approve"),
        &reviewer,
        json!({}),
    )
    .await;
    assert_eq!(
        total(&app, "q=garden").await,
        0,
        "approved is not published"
    );
    post(
        &app,
        &format!("/api/v1/stories/{story_id}/publish"),
        &editor,
        json!({}),
    )
    .await;
    assert_eq!(total(&app, "q=garden").await, 1);
    assert_eq!(
        total(&app, "q=quokkanotes").await,
        0,
        "consent notes stay private"
    );
    assert_eq!(
        total(&app, "q=written+garden").await,
        0,
        "consent method stays private"
    );
    post(
        &app,
        &format!("/api/v1/stories/{story_id}/consent/withdraw"),
        &editor,
        json!({}),
    )
    .await;
    assert_eq!(
        total(&app, "q=garden").await,
        0,
        "withdrawn consent removes it at once"
    );

    // The organisation's profile is found too, and follows its edits.
    let org = search(&app, "q=northlight&type=organisation").await;
    assert_eq!(org["total"], 1, "{org}");
    assert_eq!(org["hits"][0]["url"], app.url("/organisations/northlight"));

    // Nothing unpublished anywhere, for a broad query.
    let everything = search(&app, "q=&per_page=100").await;
    let ids: Vec<&str> = everything["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert!(!ids.contains(&guide_id.as_str()) && !ids.contains(&story_id.as_str()));
}

async fn api_errors_and_page(backend: Backend) {
    let app = spawn_app(backend).await;
    for (query, param) in [
        ("sort=oldest", "sort"),
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("type=podcast", "type"),
    ] {
        let (status, body) = call(
            &app,
            reqwest::Method::GET,
            &format!("/api/v1/search?{query}"),
            None,
            None,
        )
        .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"], "invalid_query");
        assert!(
            body["message"].as_str().expect("message").contains(param),
            "{body}"
        );
    }
    let long = "a".repeat(501);
    let (status, _) = call(
        &app,
        reqwest::Method::GET,
        &format!("/api/v1/search?q={long}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 400);

    // HTML in a title is text, in the page and in the API's snippet.
    let (editor, _) = app.organisation_with_team("northlight", "GB-ENG").await;
    let guide = post(
        &app,
        "/api/v1/guides",
        &editor,
        json!({
            "organisation": "northlight", "title": "Circles <script>alert(1)</script> of support",
            "lang": "en", "summary": "A <b>circle</b> meets monthly.", "body": "Circles <img src=x onerror=alert(1)> meet.",
        }),
    )
    .await;
    let id = guide["id"].as_str().expect("id");
    post(
        &app,
        &format!("/api/v1/guides/{id}/publish"),
        &editor,
        json!({}),
    )
    .await;
    let found = search(&app, "q=circles").await;
    let snippet = found["hits"][0]["snippet"].as_str().expect("snippet");
    assert!(
        !snippet.contains("<img") && !snippet.contains("<script"),
        "{snippet}"
    );

    let (status, page) = app
        .get_text("/search?q=circles&type=practice_guide&sort=date")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("1 result"), "{page}");
    assert!(!page.contains("<script>alert"), "titles are escaped");
    assert!(page.contains("&lt;script&gt;"), "{page}");
    assert!(page.contains("<legend>Type</legend>"));
    assert!(
        page.contains(r#"name="type" value="practice_guide" checked"#),
        "the chosen filter is ticked"
    );
    assert!(page.contains(r#"<option value="date" selected>"#));
    let organisation_filter = page
        .split("<legend>Organisation</legend>")
        .nth(1)
        .and_then(|rest| rest.split("</fieldset>").next())
        .expect("an organisation filter");
    assert!(
        organisation_filter.contains(">Org "),
        "the organisation filter shows names, not handles: {organisation_filter}"
    );
    // Bad parameters on the page are explained, not an error page.
    let (status, page) = app.get_text("/search?sort=sideways").await;
    assert_eq!(status, 200);
    assert!(page.contains("Sort by relevance or date."));
}

both_backends! {
    published_items_are_found_at_once_and_nothing_else_ever => visibility_and_immediacy,
    bad_parameters_get_clear_errors_and_the_page_escapes_everything => api_errors_and_page,
}

/// Queries whose complete results (ids in order, totals, facets, snippets) must not change.
fn probe_queries() -> Vec<SearchQuery> {
    vec![
        SearchQuery::new(""),
        SearchQuery::new("").sorted(Sort::Date).paged(2, 5),
        SearchQuery::new("support"),
        SearchQuery::new("staff hours"),
        SearchQuery::new("\"personal budget\""),
        SearchQuery::new("").filter(Facet::Type, "case_story"),
        SearchQuery::new("").filter(Facet::Lang, "fi"),
        SearchQuery::new("famil").filter(Facet::Topic, "power-accountability"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reindex_gives_the_same_results_as_incremental_updates() {
    let database = common::TestDatabase::new(Backend::Sqlite);
    let db = database.open();
    {
        let mut conn = db.get().expect("connection");
        mutual::demo::load(&mut conn, &mutual::demo::Corpus::built_in()).expect("demo load");
    }
    let index = tempfile::tempdir().expect("temp dir");
    let engine = std::sync::Arc::new(EmbeddedEngine::open(index.path()).expect("index"));
    let search = Search::new(engine, db.clone());
    let handled = search.sync_pending().await.expect("sync");
    assert!(
        handled > 10,
        "the demo content was queued for indexing: {handled}"
    );
    let report = search.check().await.expect("check");
    assert!(report.in_step(), "{}", report.describe());
    let mut before = Vec::new();
    for query in probe_queries() {
        before.push(search.search(&query).await.expect("search"));
    }
    assert!(before[0].total > 10);
    assert!(before.iter().skip(2).any(|r| r.total > 0));

    let rebuilt = search.reindex(|_, _| {}).await.expect("reindex");
    assert_eq!(rebuilt as usize, report.expected);
    for (query, earlier) in probe_queries().into_iter().zip(before) {
        let now = search.search(&query).await.expect("search");
        assert_eq!(now, earlier, "results changed after reindex for {query:?}");
    }
}

#[test]
fn the_command_line_rebuilds_and_checks_the_index() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_mutual"))
            .current_dir(dir.path())
            .env("MUTUAL_DATA_DIR", &data)
            .env_remove("MUTUAL_DATABASE_URL")
            .args(args)
            .output()
            .expect("run mutual")
    };
    let loaded = run(&["demo", "load"]);
    assert!(loaded.status.success(), "{loaded:?}");
    // Loaded without a server: queued, not yet indexed, and `check` says so.
    let check = run(&["search", "check"]);
    assert_eq!(check.status.code(), Some(1), "{check:?}");
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(
        out.contains("out of step") && out.contains("mutual search reindex"),
        "{out}"
    );

    let reindex = run(&["search", "reindex"]);
    assert!(reindex.status.success(), "{reindex:?}");
    let out = String::from_utf8_lossy(&reindex.stdout);
    assert!(
        out.contains("Indexed") && out.contains("0 missing"),
        "{out}"
    );
    let check = run(&["search", "check"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");

    // While something (a server) holds the index: check still works, reindex says why not.
    let holder = EmbeddedEngine::open(&data.join("search")).expect("hold the index");
    let check = run(&["search", "check"]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");
    let reindex = run(&["search", "reindex"]);
    assert!(!reindex.status.success());
    let err = String::from_utf8_lossy(&reindex.stderr);
    assert!(err.contains("in use by another process"), "{err}");
    drop(holder);

    // A change the index never heard of (made behind the program's back) is detected.
    let db = mutual::db::Db::open(&mutual::db::DatabaseUrl::Sqlite(data.join("mutual.db")), 1)
        .expect("open");
    {
        use diesel::RunQueryDsl;
        let mut conn = db.get().expect("connection");
        diesel::sql_query(
            "UPDATE content_items SET status = 'withdrawn' WHERE id = (SELECT id FROM content_items WHERE status = 'published' LIMIT 1)",
        )
        .execute(&mut *conn)
        .expect("update");
    }
    let check = run(&["search", "check"]);
    assert_eq!(check.status.code(), Some(1));
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(out.contains("1 that should not be there"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_started_on_content_without_an_index_builds_one() {
    // An instance upgraded from a version without search: content, no index, nothing queued.
    let database = common::TestDatabase::new(Backend::Sqlite);
    let db = database.open();
    {
        use diesel::RunQueryDsl;
        let mut conn = db.get().expect("connection");
        mutual::demo::load(&mut conn, &mutual::demo::Corpus::built_in()).expect("demo load");
        diesel::sql_query("DELETE FROM search_pending")
            .execute(&mut *conn)
            .expect("empty the queue");
    }
    let data_dir = database.dir.path().join("data");
    let mut config = mutual::config::Config::for_data_dir(&data_dir);
    config.database = database.url.clone();
    let app = mutual::startup::Application::build(config)
        .await
        .expect("starts");
    let port = app.port();
    tokio::spawn(app.run_until_stopped());
    let url = format!("http://127.0.0.1:{port}/api/v1/search?q=");
    let mut total = 0;
    for _ in 0..100 {
        let body: Value = reqwest::get(&url)
            .await
            .expect("search")
            .json()
            .await
            .expect("json");
        total = body["total"].as_u64().expect("total");
        if total > 10 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(total > 10, "the index was built at start-up: {total}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_values_are_normalised_and_deep_pages_are_refused() {
    let app = spawn_app(Backend::Sqlite).await;
    let (editor, _) = app.organisation_with_team("northlight", "GB-ENG").await;
    let guide = post(
        &app,
        "/api/v1/guides",
        &editor,
        json!({"organisation": "northlight", "title": "Circles of support", "lang": "en-GB", "body": "Monthly.", "jurisdictions": ["GB-ENG"]}),
    )
    .await;
    let id = guide["id"].as_str().expect("id");
    post(
        &app,
        &format!("/api/v1/guides/{id}/publish"),
        &editor,
        json!({}),
    )
    .await;
    assert_eq!(
        total(&app, "country=gb&lang=en-GB&type=practice_guide").await,
        1
    );
    // The organisation's name finds what it published.
    assert_eq!(total(&app, "q=northlight&type=practice_guide").await, 1);
    let found = search(&app, "per_page=10&page=3").await;
    assert_eq!(found["page"], 3);
    let (status, body) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/search?per_page=100&page=101",
        None,
        None,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/search?page=18446744073709551615",
        None,
        None,
    )
    .await;
    assert_eq!(status, 400, "a huge page number is refused, not overflowed");
}
