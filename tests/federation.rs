//! Federation between real instances over real HTTP on loopback: discovery, following,
//! content arriving, changing and disappearing (including when consent is withdrawn),
//! and unsigned or oversized inbox posts refused.

mod common;

use std::time::{Duration, Instant};

use common::{spawn_app_with, Backend, TestApp};
use mutual::accounts::Role;
use mutual::organisations::MemberRole;
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

/// An organisation with an editor and a reviewer; returns their API tokens.
async fn organisation(app: &TestApp, handle: &str, country: &str) -> (String, String) {
    let editor = format!("{}_editor", handle.replace('-', "_"));
    let reviewer = format!("{}_reviewer", handle.replace('-', "_"));
    app.create_user(&editor, Role::Member).await;
    app.create_user(&reviewer, Role::Member).await;
    let (h, c, e, r) = (
        handle.to_string(),
        country.to_string(),
        editor.clone(),
        reviewer.clone(),
    );
    app.db
        .run(move |conn| {
            mutual::organisations::create(
                conn,
                &h,
                &mutual::organisations::ProfileInput {
                    name: format!("Org {h}"),
                    summary: "We share what we learn.".into(),
                    country: c,
                    languages: vec!["en".into()],
                    kind: "provider".into(),
                    offers_to_share: vec!["personnel".into()],
                    ..Default::default()
                },
                None,
            )?;
            mutual::organisations::add_member_by_name(conn, &h, &e, MemberRole::Editor)?;
            mutual::organisations::add_member_by_name(conn, &h, &r, MemberRole::Reviewer)
        })
        .await
        .expect("organisation");
    (app.api_token(&editor).await, app.api_token(&reviewer).await)
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = common::new_client().request(method, app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

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
