//! Follows and digest settings through the API, on both databases.

mod common;

use common::{spawn_app, Backend, TestApp};
use serde_json::{json, Value};

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

async fn follows_and_settings(backend: Backend) {
    let app = spawn_app(backend).await;
    app.organisation_with_team("northlight", "GB-ENG").await;
    app.create_user("reader", mutual::accounts::Role::Member)
        .await;
    let token = app.api_token("reader").await;
    let post = |body: Value| {
        call(
            &app,
            reqwest::Method::POST,
            "/api/v1/me/follows",
            Some(&token),
            Some(body),
        )
    };

    let (status, org) = post(json!({"kind": "organisation", "target": "@Northlight"})).await;
    assert_eq!(status, 201, "{org}");
    assert_eq!(org["target"], "northlight");
    assert_eq!(org["label"], "Org northlight");
    let (status, topic) = post(json!({"kind": "topic", "target": "personnel"})).await;
    assert_eq!(status, 201, "{topic}");
    assert_eq!(topic["label"], "Personnel");
    let (status, saved) =
        post(json!({"kind": "search", "target": "topic=housing&q=+bank+hours&lang=en"})).await;
    assert_eq!(status, 201, "{saved}");
    assert_eq!(saved["target"], "q=bank+hours&topic=housing&lang=en");
    // The same search written differently is the same follow.
    let (status, again) =
        post(json!({"kind": "search", "target": "lang=en&topic=housing&q=bank hours"})).await;
    assert_eq!(status, 201);
    assert_eq!(again["id"], saved["id"]);

    for (body, field) in [
        (json!({"kind": "topic", "target": "knitting"}), "target"),
        (
            json!({"kind": "organisation", "target": "nobody"}),
            "target",
        ),
        (json!({"kind": "search", "target": "sort=date"}), "target"),
        (json!({"kind": "person", "target": "x"}), "kind"),
    ] {
        let (status, error) = post(body.clone()).await;
        assert_eq!(status, 422, "{body}: {error}");
        assert_eq!(error["fields"][0]["field"], field, "{error}");
    }

    let (_, list) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/follows",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(list.as_array().expect("list").len(), 3, "{list}");

    // Only one's own follows can be removed.
    app.create_user("other", mutual::accounts::Role::Member)
        .await;
    let other = app.api_token("other").await;
    let topic_id = topic["id"].as_str().expect("id");
    let path = format!("/api/v1/me/follows/{topic_id}");
    let (status, _) = call(&app, reqwest::Method::DELETE, &path, Some(&other), None).await;
    assert_eq!(status, 404);
    let (status, _) = call(&app, reqwest::Method::DELETE, &path, Some(&token), None).await;
    assert_eq!(status, 204);
    let (_, list) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/follows",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(list.as_array().expect("list").len(), 2);
    let (status, _) = call(&app, reqwest::Method::GET, "/api/v1/me/follows", None, None).await;
    assert_eq!(status, 401);

    // Digest settings: weekly by default, changeable, checked.
    let (status, settings) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/digest",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        settings,
        json!({"frequency": "weekly", "hour": 8, "weekday": 1, "timezone": "UTC", "paused": false})
    );
    let (status, settings) = call(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/digest",
        Some(&token),
        Some(json!({"frequency": "daily", "hour": 7, "timezone": "Europe/Helsinki"})),
    )
    .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["frequency"], "daily");
    assert_eq!(settings["weekday"], 1, "unchanged fields stay");
    for (body, field) in [
        (json!({"frequency": "hourly"}), "frequency"),
        (json!({"frequency": "daily", "hour": 24}), "hour"),
        (json!({"frequency": "weekly", "weekday": 0}), "weekday"),
        (
            json!({"frequency": "daily", "timezone": "Mars/Olympus"}),
            "timezone",
        ),
    ] {
        let (status, error) = call(
            &app,
            reqwest::Method::PUT,
            "/api/v1/me/digest",
            Some(&token),
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, 422, "{body}: {error}");
        assert_eq!(error["fields"][0]["field"], field);
    }
    let (_, settings) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/digest",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(
        settings["timezone"], "Europe/Helsinki",
        "a refused change changes nothing"
    );
}

both_backends! {
    members_follow_organisations_topics_and_searches_and_choose_their_digest => follows_and_settings,
}
