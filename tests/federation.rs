//! Federation between real instances over real HTTP on loopback: discovery, following,
//! content arriving, changing and disappearing (including when consent is withdrawn),
//! and unsigned or oversized inbox posts refused.

mod common;

use std::time::{Duration, Instant};

use common::{spawn_app_with, Backend, TestApp};
use serde_json::{json, Value};

/// An instance that federates on `localhost:<port>`. Private addresses are allowed only
/// because both instances run on this machine.
async fn instance(backend: Backend) -> TestApp {
    spawn_app_with(backend, |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = true;
    })
    .await
}

async fn organisation(app: &TestApp, handle: &str, country: &str) -> (String, String) {
    app.organisation_with_team(handle, country).await
}

use common::call;

/// Waits (up to 30 s) until `check` holds; deliveries go through the job queue.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "timed out waiting for: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn host_of(app: &TestApp) -> String {
    format!("localhost:{}", app.port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_documents() {
    let app = instance(Backend::Sqlite).await;
    organisation(&app, "kotipolku", "FI").await;
    let host = host_of(&app);
    let (status, finger) = call(
        &app,
        reqwest::Method::GET,
        &format!("/.well-known/webfinger?resource=acct:kotipolku@{host}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{finger}");
    let href = finger["links"][0]["href"]
        .as_str()
        .expect("href")
        .to_string();
    assert_eq!(href, format!("http://{host}/organisations/kotipolku"));
    let (status, _) = call(
        &app,
        reqwest::Method::GET,
        &format!("/.well-known/webfinger?resource=acct:nobody@{host}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 404);

    for accept in [
        "application/activity+json",
        "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    ] {
        let response = common::new_client()
            .get(app.url("/organisations/kotipolku"))
            .header("accept", accept)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers()["content-type"]
            .to_str()
            .expect("type")
            .starts_with("application/activity+json"));
        let actor: Value = response.json().await.expect("json");
        assert_eq!(actor["type"], "Organization");
        assert_eq!(actor["preferredUsername"], "kotipolku");
        assert_eq!(actor["country"], "FI");
        assert_eq!(actor["offersToShare"], json!(["personnel"]));
        assert!(actor["publicKey"]["publicKeyPem"]
            .as_str()
            .expect("key")
            .contains("BEGIN PUBLIC KEY"));
        assert_eq!(
            actor["inbox"],
            format!("http://{host}/organisations/kotipolku/inbox")
        );
    }
    let page = app.get_text("/organisations/kotipolku").await.1;
    assert!(
        page.contains("rel=\"alternate\" type=\"application/activity+json\""),
        "the page links its actor"
    );

    let (_, links) = call(
        &app,
        reqwest::Method::GET,
        "/.well-known/nodeinfo",
        None,
        None,
    )
    .await;
    assert!(links["links"][0]["href"]
        .as_str()
        .expect("href")
        .ends_with("/nodeinfo/2.1"));
    let (status, info) = call(&app, reqwest::Method::GET, "/nodeinfo/2.1", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(info["software"]["name"], "mutual");
    assert_eq!(info["openRegistrations"], true);
    assert_eq!(info["usage"]["users"]["total"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_then_content_arrives_changes_and_is_removed() {
    let reader = instance(Backend::Sqlite).await;
    let author = instance(Backend::Postgres).await;
    let (reader_token, _) = organisation(&reader, "kotipolku", "FI").await;
    let (author_token, author_reviewer) = organisation(&author, "partners", "GB-SCT").await;
    let author_host = host_of(&author);

    // The Finnish provider follows the Scottish one.
    let (status, body) = call(
        &reader,
        reqwest::Method::POST,
        "/api/v1/organisations/kotipolku/follows",
        Some(&reader_token),
        Some(json!({"target": format!("partners@{author_host}")})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["handle"], format!("partners@{author_host}"));
    eventually("the follow to be accepted", || async {
        let (_, list) = call(
            &reader,
            reqwest::Method::GET,
            "/api/v1/organisations/kotipolku/follows",
            Some(&reader_token),
            None,
        )
        .await;
        list[0]["state"] == "accepted"
    })
    .await;
    let (_, remote_org) = call(
        &reader,
        reqwest::Method::GET,
        &format!("/api/v1/organisations/partners@{author_host}"),
        None,
        None,
    )
    .await;
    assert_eq!(remote_org["name"], "Org partners");
    assert_eq!(remote_org["country"], "GB-SCT");
    // A member can put the remote organisation in their email digest.
    let (status, follow) = call(
        &reader,
        reqwest::Method::POST,
        "/api/v1/me/follows",
        Some(&reader_token),
        Some(json!({"kind": "organisation", "target": format!("partners@{author_host}")})),
    )
    .await;
    assert_eq!(status, 201, "{follow}");
    assert_eq!(follow["label"], "Org partners");

    // The author publishes a guide: it arrives, readable and typed.
    let (status, guide) = call(
        &author,
        reqwest::Method::POST,
        "/api/v1/guides",
        Some(&author_token),
        Some(json!({
            "organisation": "partners", "title": "Recruiting with the person", "lang": "en",
            "summary": "Put the person on the panel.", "topics": ["personnel"],
            "body": "Write the job description **from the support plan**.", "audience": ["provider"], "stage": "delivery",
        })),
    )
    .await;
    assert_eq!(status, 201, "{guide}");
    let id = guide["id"].as_str().expect("id").to_string();
    let (status, _) = call(
        &author,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{id}/publish"),
        Some(&author_token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    let public_url = guide["url"].as_str().expect("url").to_string();
    eventually("the guide to arrive", || async {
        let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
        list["total"] == 1
    })
    .await;
    let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
    let copy = &list["items"][0];
    assert_eq!(copy["title"], "Recruiting with the person");
    assert_eq!(
        copy["organisation"]["handle"],
        format!("partners@{author_host}")
    );
    assert_eq!(copy["details"]["stage"], "delivery");
    assert!(copy["body_html"]
        .as_str()
        .expect("html")
        .contains("<strong>from the support plan</strong>"));
    let copy_path = url::Url::parse(copy["url"].as_str().expect("url"))
        .expect("url")
        .path()
        .to_string();
    let page = reader.get_text(&copy_path).await.1;
    assert!(
        page.contains("from another instance") && page.contains(&public_url),
        "the copy links the original"
    );

    // Received items are searchable on the follower, marked as coming from a peer, and so
    // is the peer's profile.
    // (The receiving request indexes before it answers, so the index can trail the database
    // by that moment as seen from here.)
    search_finds(&reader, "q=recruiting", 1).await;
    let found = search(&reader, "q=recruiting").await;
    assert_eq!(found["hits"][0]["local"], false);
    assert_eq!(
        found["hits"][0]["organisation"],
        format!("partners@{author_host}")
    );
    assert_eq!(
        found["facets"]["country"]["GB"],
        Value::Null,
        "the guide names no country"
    );
    let peers = search(&reader, "q=partners&type=organisation").await;
    assert_eq!(peers["total"], 1, "{peers}");
    assert_eq!(peers["hits"][0]["local"], false);

    // The Article is readable by any fediverse software.
    let article: Value = common::new_client()
        .get(&public_url)
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(article["type"], "Article");
    assert_eq!(article["name"], "Recruiting with the person");
    assert_eq!(article["contentType"], "practice_guide");
    assert!(article["contentMap"]["en"].as_str().is_some());
    assert_eq!(article["source"]["mediaType"], "text/markdown");

    // An edit travels as an Update.
    let (status, _) = call(
        &author,
        reqwest::Method::PUT,
        &format!("/api/v1/guides/{id}"),
        Some(&author_token),
        Some(json!({"title": "Recruiting and matching with the person", "lang": "en", "body": "Updated.", "stage": "delivery"})),
    )
    .await;
    assert_eq!(status, 200);
    eventually("the update to arrive", || async {
        let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
        list["items"][0]["title"] == "Recruiting and matching with the person"
    })
    .await;
    search_finds(&reader, "q=matching", 1).await;

    // Withdrawn at the source: removed here.
    let (status, _) = call(
        &author,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{id}/withdraw"),
        Some(&author_token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    eventually("the copy to be removed", || async {
        let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
        list["total"] == 0
    })
    .await;
    search_finds(&reader, "q=recruiting", 0).await;

    // A story whose consent covers sharing travels; withdrawing consent removes every copy.
    let (status, story) = call(
        &author,
        reqwest::Method::POST,
        "/api/v1/stories",
        Some(&author_token),
        Some(json!({
            "organisation": "partners", "title": "A home by the sea", "lang": "en", "body": "Ailsa moved to a flat she chose.",
            "pseudonym": "Ailsa", "voice": "told_with", "country": "GB-SCT", "age_band": "50-69",
        })),
    )
    .await;
    assert_eq!(status, 201, "{story}");
    let story_id = story["id"].as_str().expect("id").to_string();
    call(
        &author,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{story_id}/consent"),
        Some(&author_token),
        Some(json!({"method": "written", "scope": ["web", "federate"]})),
    )
    .await;
    for (action, token) in [
        ("submit", &author_token),
        ("approve", &author_reviewer),
        ("publish", &author_token),
    ] {
        let (status, body) = call(
            &author,
            reqwest::Method::POST,
            &format!("/api/v1/stories/{story_id}/{action}"),
            Some(token),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    eventually("the story to arrive", || async {
        let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/stories", None, None).await;
        list["total"] == 1
    })
    .await;
    search_finds(&reader, "q=sea&type=case_story", 1).await;
    let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/stories", None, None).await;
    assert!(
        !list.to_string().contains("\"written\""),
        "consent method stays at home"
    );
    let (status, _) = call(
        &author,
        reqwest::Method::POST,
        &format!("/api/v1/stories/{story_id}/consent/withdraw"),
        Some(&author_token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200);
    eventually(
        "the story copy to be removed after consent was withdrawn",
        || async {
            let (_, list) =
                call(&reader, reqwest::Method::GET, "/api/v1/stories", None, None).await;
            list["total"] == 0
        },
    )
    .await;
    // Withdrawn consent removes the story from the follower's index.
    search_finds(&reader, "q=sea&type=case_story", 0).await;
}

async fn search_finds(app: &TestApp, query: &str, expected: u64) {
    eventually(&format!("{query} to find {expected}"), || async {
        search(app, query).await["total"] == expected
    })
    .await;
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
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsigned_and_oversized_inbox_posts_are_refused() {
    let app = instance(Backend::Sqlite).await;
    organisation(&app, "kotipolku", "FI").await;
    let host = host_of(&app);
    let forged = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "http://localhost:1/activities/1",
        "type": "Follow",
        "actor": "http://localhost:1/organisations/evil",
        "object": format!("http://{host}/organisations/kotipolku"),
    });
    let response = common::new_client()
        .post(app.url("/organisations/kotipolku/inbox"))
        .header("content-type", "application/activity+json")
        .json(&forged)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    assert!(
        (400..500).contains(&status),
        "unsigned activity refused, got {status}"
    );
    let big = "x".repeat(300 * 1024);
    let response = common::new_client()
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body(big)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    assert!(
        (400..500).contains(&status),
        "oversized activity refused, got {status}"
    );
    let response = common::new_client()
        .post(app.url("/inbox"))
        .header("content-type", "application/activity+json")
        .body("{not json")
        .send()
        .await
        .expect("post");
    assert!((400..500).contains(&response.status().as_u16()));
    let follows: i64 = app
        .db
        .query(|conn| {
            use diesel::prelude::*;
            mutual::db::schema::follows::table.count().get_result(conn)
        })
        .await
        .expect("count");
    assert_eq!(follows, 0, "nothing was written");
}

/// Waits until no job is queued or running on `app` (all deliveries attempted).
async fn queue_drained(app: &TestApp) {
    eventually("the job queue to drain", || async {
        app.db
            .query(|conn| {
                use diesel::prelude::*;
                use mutual::db::schema::jobs;
                jobs::table
                    .filter(jobs::state.eq_any(["queued", "running"]))
                    .filter(jobs::kind.ne("maintenance.prune"))
                    .count()
                    .get_result::<i64>(conn)
            })
            .await
            .map(|n| n == 0)
            .unwrap_or(false)
    })
    .await;
}

async fn follow(from: &TestApp, token: &str, handle: &str, target: &str) {
    let (status, body) = call(
        from,
        reqwest::Method::POST,
        &format!("/api/v1/organisations/{handle}/follows"),
        Some(token),
        Some(json!({ "target": target })),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    eventually(&format!("{handle} to be accepted by {target}"), || async {
        let (_, list) = call(
            from,
            reqwest::Method::GET,
            &format!("/api/v1/organisations/{handle}/follows"),
            Some(token),
            None,
        )
        .await;
        list.as_array()
            .map(|l| {
                l.iter()
                    .any(|f| f["handle"] == target && f["state"] == "accepted")
            })
            .unwrap_or(false)
    })
    .await;
}

async fn publish(app: &TestApp, token: &str, reviewer: &str, segment: &str, body: Value) -> Value {
    let (status, item) = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/{segment}"),
        Some(token),
        Some(body),
    )
    .await;
    assert_eq!(status, 201, "{item}");
    let id = item["id"].as_str().expect("id").to_string();
    if segment == "stories" {
        call(
            app,
            reqwest::Method::PUT,
            &format!("/api/v1/stories/{id}/consent"),
            Some(token),
            Some(json!({"method": "written", "scope": ["web", "federate"]})),
        )
        .await;
        for (action, who) in [("submit", token), ("approve", reviewer)] {
            let (status, body) = call(
                app,
                reqwest::Method::POST,
                &format!("/api/v1/stories/{id}/{action}"),
                Some(who),
                Some(json!({})),
            )
            .await;
            assert_eq!(status, 200, "{action}: {body}");
        }
    }
    let (status, published) = call(
        app,
        reqwest::Method::POST,
        &format!("/api/v1/{segment}/{id}/publish"),
        Some(token),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{published}");
    published
}

async fn count(app: &TestApp, segment: &str) -> i64 {
    let (_, list) = call(
        app,
        reqwest::Method::GET,
        &format!("/api/v1/{segment}"),
        None,
        None,
    )
    .await;
    list["total"].as_i64().unwrap_or(-1)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_adapt_with_attribution_and_block() {
    let a = instance(Backend::Sqlite).await;
    let b = instance(Backend::Postgres).await;
    let c = instance(Backend::Sqlite).await;
    let (a_token, _) = organisation(&a, "kotipolku", "FI").await;
    let (a2_token, _) = organisation(&a, "cesta-domu", "CZ").await;
    let (b_token, b_reviewer) = organisation(&b, "partners", "GB-SCT").await;
    let (c_token, _) = organisation(&c, "maple-host", "CA").await;
    let (b_host, a_host, c_host) = (host_of(&b), host_of(&a), host_of(&c));

    follow(&a, &a_token, "kotipolku", &format!("partners@{b_host}")).await;

    // B publishes a story, a guide and an ISF template; A stores each with its structure.
    let story = publish(&b, &b_token, &b_reviewer, "stories", json!({
        "organisation": "partners", "title": "Ailsa's flat", "lang": "en", "body": "Ailsa chose her flat.",
        "pseudonym": "Ailsa", "voice": "told_with", "country": "GB-SCT", "age_band": "50-69",
        "people_supported": ["adults-learning-disabilities"], "topics": ["housing"],
    })).await;
    let guide = publish(&b, &b_token, &b_reviewer, "guides", json!({
        "organisation": "partners", "title": "Banking unused hours", "lang": "en", "body": "Bank them.", "stage": "delivery",
    })).await;
    let isf = publish(&b, &b_token, &b_reviewer, "isf-templates", json!({
        "organisation": "partners", "title": "Weekly ISF", "lang": "en", "topics": ["financial-management"],
        "jurisdiction": {"country": "GB", "subdivision": "GB-SCT", "scheme": "sds_option2"},
        "currency": "GBP", "budget_period": "week",
        "budget_lines": [
            {"kind": "support_hours", "description": "Day support", "unit": "hour", "rate": "21.50", "quantity": "98"},
            {"kind": "contingency", "description": "Contingency", "unit": "fixed", "amount": "50.00"}
        ],
        "management_fee": {"basis": "percent", "value": "8", "funded": "within_budget", "covers": ["payroll"]},
    })).await;
    eventually("B's three items to reach A", || async {
        count(&a, "stories").await == 1
            && count(&a, "guides").await == 1
            && count(&a, "isf-templates").await == 1
    })
    .await;
    let (_, list) = call(
        &a,
        reqwest::Method::GET,
        "/api/v1/isf-templates",
        None,
        None,
    )
    .await;
    let copy = list["items"][0].clone();
    assert_eq!(
        copy["details"]["budget_lines"]
            .as_array()
            .expect("lines")
            .len(),
        2
    );
    assert_eq!(
        copy["figures"]["lines_total"], isf["figures"]["lines_total"],
        "A computes the same figures"
    );
    assert_eq!(copy["figures"]["total_per_period"], "2157.00");
    let (_, stories) = call(&a, reqwest::Method::GET, "/api/v1/stories", None, None).await;
    assert_eq!(
        stories["items"][0]["details"]["people_supported"],
        json!(["adults-learning-disabilities"])
    );

    // B updates the guide: A shows the new revision.
    let guide_id = guide["id"].as_str().expect("id");
    call(&b, reqwest::Method::PUT, &format!("/api/v1/guides/{guide_id}"), Some(&b_token),
        Some(json!({"title": "Banking unused hours, revised", "lang": "en", "body": "Bank them, within limits.", "stage": "delivery"}))).await;
    eventually("the new revision on A", || async {
        let (_, list) = call(&a, reqwest::Method::GET, "/api/v1/guides", None, None).await;
        list["items"][0]["revision"] == 2
            && list["items"][0]["title"] == "Banking unused hours, revised"
    })
    .await;

    // B withdraws the story's consent: A's copy is gone.
    let story_id = story["id"].as_str().expect("id");
    call(
        &b,
        reqwest::Method::POST,
        &format!("/api/v1/stories/{story_id}/consent/withdraw"),
        Some(&b_token),
        Some(json!({})),
    )
    .await;
    eventually("the story to leave A", || async {
        count(&a, "stories").await == 0
    })
    .await;

    // C follows A; A adapts B's template and publishes it; C sees the attribution to B.
    follow(&c, &c_token, "maple-host", &format!("kotipolku@{a_host}")).await;
    let copy_id = copy["id"].as_str().expect("id");
    let (status, adapted) = call(&a, reqwest::Method::POST, &format!("/api/v1/isf-templates/{copy_id}/adapt"), Some(&a_token),
        Some(json!({"organisation": "kotipolku", "currency": "EUR", "exchange_rate": "1.17", "country": "FI"}))).await;
    assert_eq!(status, 201, "{adapted}");
    assert_eq!(
        adapted["derived_from"]["url"], isf["url"],
        "attributed to B's original, not A's copy"
    );
    assert_eq!(adapted["derived_from"]["organisation"], "Org partners");
    let adapted_id = adapted["id"].as_str().expect("id");
    call(
        &a,
        reqwest::Method::POST,
        &format!("/api/v1/isf-templates/{adapted_id}/publish"),
        Some(&a_token),
        Some(json!({})),
    )
    .await;
    eventually("A's adaptation to reach C", || async {
        count(&c, "isf-templates").await == 1
    })
    .await;
    let (_, on_c) = call(
        &c,
        reqwest::Method::GET,
        "/api/v1/isf-templates",
        None,
        None,
    )
    .await;
    assert_eq!(on_c["items"][0]["derived_from"]["url"], isf["url"]);
    assert_eq!(on_c["items"][0]["details"]["currency"], "EUR");
    let path = url::Url::parse(on_c["items"][0]["url"].as_str().expect("url"))
        .expect("url")
        .path()
        .to_string();
    let page = c.get_text(&path).await.1;
    assert!(
        page.contains("Adapted from") && page.contains("Org partners"),
        "C shows the attribution to B"
    );

    // A blocks C: nothing more is delivered to C, and C's activities are refused.
    a.db.query(move |conn| mutual::federation::policy::set(conn, &c_host, "block", "test"))
        .await
        .expect("block");
    publish(
        &a,
        &a_token,
        "",
        "guides",
        json!({"organisation": "kotipolku", "title": "Not for C", "lang": "en", "body": "x"}),
    )
    .await;
    queue_drained(&a).await;
    assert_eq!(
        count(&c, "guides").await,
        0,
        "nothing delivered to a blocked instance"
    );
    let (status, _) = call(
        &c,
        reqwest::Method::POST,
        "/api/v1/organisations/maple-host/follows",
        Some(&c_token),
        Some(json!({"target": format!("cesta-domu@{a_host}")})),
    )
    .await;
    assert_eq!(status, 202);
    queue_drained(&c).await;
    let (_, list) = call(
        &c,
        reqwest::Method::GET,
        "/api/v1/organisations/maple-host/follows",
        Some(&c_token),
        None,
    )
    .await;
    let blocked = list
        .as_array()
        .expect("list")
        .iter()
        .find(|f| f["handle"] == format!("cesta-domu@{a_host}"))
        .cloned()
        .expect("follow");
    assert_eq!(
        blocked["state"], "pending",
        "A refused C's Follow, so it was never accepted"
    );
    let followers: Value = common::new_client()
        .get(a.url("/organisations/cesta-domu/followers"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(followers["totalItems"], 0);
    let _ = a2_token;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_follow_backfills_what_was_published_before() {
    let reader = instance(Backend::Sqlite).await;
    let author = instance(Backend::Sqlite).await;
    let (reader_token, _) = organisation(&reader, "kotipolku", "FI").await;
    let (author_token, author_reviewer) = organisation(&author, "partners", "GB-SCT").await;
    for n in 1..=3 {
        publish(&author, &author_token, &author_reviewer, "guides", json!({
            "organisation": "partners", "title": format!("Earlier guide {n}"), "lang": "en", "body": "x",
        }))
        .await;
    }
    follow(
        &reader,
        &reader_token,
        "kotipolku",
        &format!("partners@{}", host_of(&author)),
    )
    .await;
    eventually(
        "the earlier guides to be fetched from the outbox",
        || async { count(&reader, "guides").await == 3 },
    )
    .await;
    search_finds(&reader, "q=earlier&type=practice_guide", 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_announce_brings_a_peers_item_from_where_it_lives() {
    let origin = instance(Backend::Sqlite).await;
    let sharer = instance(Backend::Sqlite).await;
    let reader = instance(Backend::Sqlite).await;
    let (origin_token, origin_reviewer) = organisation(&origin, "partners", "GB-SCT").await;
    let (sharer_token, _) = organisation(&sharer, "kotipolku", "FI").await;
    let (reader_token, _) = organisation(&reader, "maple-host", "CA").await;
    follow(
        &sharer,
        &sharer_token,
        "kotipolku",
        &format!("partners@{}", host_of(&origin)),
    )
    .await;
    follow(
        &reader,
        &reader_token,
        "maple-host",
        &format!("kotipolku@{}", host_of(&sharer)),
    )
    .await;
    publish(
        &origin,
        &origin_token,
        &origin_reviewer,
        "guides",
        json!({
            "organisation": "partners", "title": "Worth passing on", "lang": "en", "body": "Text.",
        }),
    )
    .await;
    eventually("the guide to reach the sharer", || async {
        count(&sharer, "guides").await == 1
    })
    .await;
    let (_, list) = call(&sharer, reqwest::Method::GET, "/api/v1/guides", None, None).await;
    let copy_id = list["items"][0]["id"].as_str().expect("id").to_string();
    // An outsider of the organisation cannot share for it.
    let (stranger_token, _) = organisation(&sharer, "elsewhere", "FI").await;
    let (status, _) = call(
        &sharer,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{copy_id}/announce"),
        Some(&stranger_token),
        Some(json!({"organisation": "kotipolku"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = call(
        &sharer,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{copy_id}/announce"),
        Some(&sharer_token),
        Some(json!({"organisation": "kotipolku"})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    eventually("the announced guide to reach the reader", || async {
        count(&reader, "guides").await == 1
    })
    .await;
    let (_, on_reader) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
    assert_eq!(on_reader["items"][0]["title"], "Worth passing on");
    assert_eq!(
        on_reader["items"][0]["organisation"]["handle"],
        format!("partners@{}", host_of(&origin)),
        "the item keeps its author, fetched from the origin"
    );

    // A case story shared by a third party is not kept: its author's Delete (consent
    // withdrawn) would never reach the reader, who does not follow the author.
    publish(
        &origin,
        &origin_token,
        &origin_reviewer,
        "stories",
        json!({
            "organisation": "partners", "title": "Shared too far", "lang": "en", "body": "A story.",
            "pseudonym": "Ailsa", "voice": "told_with", "country": "GB-SCT",
        }),
    )
    .await;
    eventually("the story to reach the sharer", || async {
        count(&sharer, "stories").await == 1
    })
    .await;
    let (_, stories) = call(&sharer, reqwest::Method::GET, "/api/v1/stories", None, None).await;
    let story_id = stories["items"][0]["id"].as_str().expect("id").to_string();
    let (status, _) = call(
        &sharer,
        reqwest::Method::POST,
        &format!("/api/v1/stories/{story_id}/announce"),
        Some(&sharer_token),
        Some(json!({"organisation": "kotipolku"})),
    )
    .await;
    assert_eq!(status, 202);
    queue_drained(&sharer).await;
    assert_eq!(
        count(&reader, "stories").await,
        0,
        "the reader refused the shared story"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_on_a_peers_item_reaches_its_moderators_without_naming_the_reporter() {
    let reader = instance(Backend::Sqlite).await;
    let author = instance(Backend::Sqlite).await;
    let (reader_token, _) = organisation(&reader, "kotipolku", "FI").await;
    let (author_token, author_reviewer) = organisation(&author, "partners", "GB-SCT").await;
    follow(
        &reader,
        &reader_token,
        "kotipolku",
        &format!("partners@{}", host_of(&author)),
    )
    .await;
    let guide = publish(
        &author,
        &author_token,
        &author_reviewer,
        "guides",
        json!({
            "organisation": "partners", "title": "Questionable", "lang": "en", "body": "Text.",
        }),
    )
    .await;
    eventually("the guide to arrive", || async {
        count(&reader, "guides").await == 1
    })
    .await;
    let (_, list) = call(&reader, reqwest::Method::GET, "/api/v1/guides", None, None).await;
    let copy_id = list["items"][0]["id"].as_str().expect("id").to_string();
    let (status, body) = call(
        &reader,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{copy_id}/report"),
        Some(&reader_token),
        Some(json!({"reason": "It names a real care home."})),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let (status, _) = call(
        &reader,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{copy_id}/report"),
        Some(&reader_token),
        Some(json!({"reason": "  "})),
    )
    .await;
    assert_eq!(status, 422, "a report needs a reason");

    let reports = |app: &TestApp| {
        let db = app.db.clone();
        async move {
            db.query(mutual::moderation::open_reports)
                .await
                .expect("reports")
        }
    };
    let here = reports(&reader).await;
    assert_eq!(here.len(), 1, "kept for this instance's moderators");
    assert!(here[0].forwarded);
    eventually("the Flag to reach the author's instance", || async {
        reports(&author).await.len() == 1
    })
    .await;
    let there = reports(&author).await;
    assert_eq!(there[0].origin, "remote");
    assert_eq!(there[0].reason, "It names a real care home.");
    assert_eq!(there[0].object_url, guide["url"].as_str().expect("url"));
    assert_eq!(
        there[0].reporter,
        format!("http://{}/actor", host_of(&reader)),
        "the instance reports, not the member"
    );
    let instance_actor: Value = common::new_client()
        .get(reader.url("/actor"))
        .header("accept", "application/activity+json")
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(instance_actor["type"], "Application");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorized_fetch_serves_only_signed_requests() {
    let strict = spawn_app_with(Backend::Sqlite, |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = true;
        c.federation.authorized_fetch = true;
    })
    .await;
    let peer = instance(Backend::Sqlite).await;
    let (strict_token, strict_reviewer) = organisation(&strict, "kotipolku", "FI").await;
    let (peer_token, _) = organisation(&peer, "partners", "GB-SCT").await;
    for path in [
        "/organisations/kotipolku",
        "/organisations/kotipolku/outbox",
        "/organisations/kotipolku/followers",
    ] {
        let response = common::new_client()
            .get(strict.url(path))
            .header("accept", "application/activity+json")
            .send()
            .await
            .expect("get");
        assert_eq!(response.status().as_u16(), 401, "{path} needs a signature");
    }
    // The page itself stays public.
    assert_eq!(
        strict
            .get("/organisations/kotipolku")
            .await
            .status()
            .as_u16(),
        200
    );
    // A Mutual peer signs its fetches with its instance actor, so following works.
    follow(
        &peer,
        &peer_token,
        "partners",
        &format!("kotipolku@{}", host_of(&strict)),
    )
    .await;
    publish(&strict, &strict_token, &strict_reviewer, "guides", json!({
        "organisation": "kotipolku", "title": "Behind authorized fetch", "lang": "en", "body": "x",
    }))
    .await;
    eventually("the guide to reach the peer", || async {
        count(&peer, "guides").await == 1
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_to_one_host_are_limited() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    // A slow receiving host that records how many deliveries it had in flight at once
    // (a measuring device, not a stand-in for a peer).
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let shared = actix_web::web::Data::new((in_flight.clone(), most.clone(), done.clone()));
    let server = actix_web::HttpServer::new(move || {
        actix_web::App::new()
            .app_data(shared.clone())
            .default_service(actix_web::web::to(
                |state: actix_web::web::Data<(
                    Arc<AtomicUsize>,
                    Arc<AtomicUsize>,
                    Arc<AtomicUsize>,
                )>| async move {
                    let now = state.0.fetch_add(1, Ordering::SeqCst) + 1;
                    state.1.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    state.0.fetch_sub(1, Ordering::SeqCst);
                    state.2.fetch_add(1, Ordering::SeqCst);
                    actix_web::HttpResponse::Accepted().finish()
                },
            ))
    })
    .listen(listener)
    .expect("listen")
    .workers(4)
    .run();
    tokio::spawn(server);

    let app = spawn_app_with(Backend::Sqlite, |c| {
        c.public_url = url::Url::parse("http://localhost:0/").expect("url");
        c.federation.allow_private_addresses = true;
        c.federation.max_deliveries_per_host = 2;
        c.jobs.workers = 8;
    })
    .await;
    let (token, reviewer) = organisation(&app, "kotipolku", "FI").await;
    let actor = format!("http://localhost:{}/organisations/kotipolku", app.port);
    app.db
        .query(move |conn| {
            for n in 0..12 {
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
    publish(
        &app,
        &token,
        &reviewer,
        "guides",
        json!({"organisation": "kotipolku", "title": "To many", "lang": "en", "body": "x"}),
    )
    .await;
    eventually("all twelve deliveries", || async {
        done.load(Ordering::SeqCst) == 12
    })
    .await;
    let most = most.load(Ordering::SeqCst);
    assert!(most <= 2, "{most} deliveries to one host at once");
    assert!(most >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_see_and_resolve_reports() {
    let app = instance(Backend::Sqlite).await;
    let (token, reviewer) = organisation(&app, "kotipolku", "FI").await;
    let guide = publish(
        &app,
        &token,
        &reviewer,
        "guides",
        json!({"organisation": "kotipolku", "title": "Reported", "lang": "en", "body": "x"}),
    )
    .await;
    let id = guide["id"].as_str().expect("id");
    let (status, _) = call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{id}/report"),
        Some(&token),
        Some(json!({"reason": "Out of date"})),
    )
    .await;
    assert_eq!(status, 202);
    app.create_user("mod", mutual::accounts::Role::Moderator)
        .await;
    app.create_user("plain", mutual::accounts::Role::Member)
        .await;
    let moderator = app.another_browser();
    moderator.log_in("mod").await;
    let (status, page) = moderator.get_text("/moderation").await;
    assert_eq!(status, 200);
    assert!(page.contains("Out of date"));
    let member = app.another_browser();
    member.log_in("plain").await;
    assert_eq!(member.get("/moderation").await.status().as_u16(), 403);
    let report_id = regex::Regex::new(r"/admin/reports/([0-9a-f-]+)/resolve")
        .expect("regex")
        .captures(&page)
        .expect("button")[1]
        .to_string();
    assert_eq!(
        member
            .post_form(&format!("/admin/reports/{report_id}/resolve"), &[])
            .await
            .status()
            .as_u16(),
        403
    );
    assert_eq!(
        moderator
            .post_form(&format!("/admin/reports/{report_id}/resolve"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert!(
        !moderator
            .get_text("/moderation")
            .await
            .1
            .contains("Out of date"),
        "resolved reports leave the list"
    );
}
