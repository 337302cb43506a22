//! Content over real HTTP, on SQLite and PostgreSQL: each type end to end (create, edit,
//! revisions and diff, publish, withdraw, adapt with attribution), the story workflow with
//! the anonymisation check and consent, permissions, filters, exports, and hostile HTML.

mod common;

use common::{spawn_app, Backend, TestApp};
use mutual::organisations::MemberRole;
use serde_json::{json, Value};

both_backends! {
    case_story_needs_check_consent_and_a_second_person => story_workflow,
    practice_guide_revisions_diff_publish_and_adapt => guide_lifecycle,
    isf_template_form_figures_exports_and_currency_adaptation => isf_lifecycle,
    outsiders_cannot_write_and_drafts_stay_private => permissions,
    listings_filter_by_topic_country_language_and_people => filters,
    hostile_markdown_is_rendered_safe_on_the_page => hostile_page,
    stories_are_taken_down_when_consent_expires => expired_consent,
    a_story_goes_through_the_pages_from_draft_to_published => story_pages,
    easy_read_versions_and_translations_link_both_ways => versions,
}

struct Org {
    token_editor: String,
    token_reviewer: String,
}

/// An organisation with an editor and a reviewer (the second person for stories).
async fn organisation(app: &TestApp, handle: &str, country: &str) -> Org {
    let (token_editor, token_reviewer) = app.organisation_with_team(handle, country).await;
    Org {
        token_editor,
        token_reviewer,
    }
}

async fn api(
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

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> (u16, Value) {
    api(app, reqwest::Method::POST, path, Some(token), Some(body)).await
}

async fn get(app: &TestApp, path: &str, token: Option<&str>) -> (u16, Value) {
    api(app, reqwest::Method::GET, path, token, None).await
}

fn story_body() -> Value {
    json!({
        "organisation": "northlight",
        "title": "Leaving the unit for a home of his own",
        "summary": "Fred moved to a bungalow with a team he chose.",
        "lang": "en",
        "topics": ["housing", "personnel"],
        "body": "Fred met his team before the move. Call Sarah on 07700 900123 or email sarah.jones@example.org.",
        "pseudonym": "Fred",
        "age_band": "30-49",
        "voice": "told_about",
        "people_supported": ["adults-learning-disabilities"],
        "good_practice": ["matching-staff"],
        "country": "GB-ENG",
        "region": "South West England",
        "year_from": 2013,
        "year_to": 2017
    })
}

async fn story_workflow(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "northlight", "GB-ENG").await;
    let (status, story) = post(&app, "/api/v1/stories", &org.token_editor, story_body()).await;
    assert_eq!(status, 201, "{story}");
    let id = story["id"].as_str().expect("id").to_string();
    assert_eq!(story["status"], "draft");
    let url = story["url"].as_str().expect("url").to_string();
    assert!(
        url.ends_with("/organisations/northlight/stories/leaving-the-unit-for-a-home-of-his-own"),
        "{url}"
    );
    let page_path = url.trim_start_matches(&app.address).to_string();

    // Drafts are not public.
    let (status, _) = get(&app, &format!("/api/v1/stories/{id}"), None).await;
    assert_eq!(status, 404);
    assert_eq!(
        common::new_client()
            .get(app.url(&page_path))
            .send()
            .await
            .expect("get")
            .status()
            .as_u16(),
        404
    );

    // Submitting runs the check: the phone number and email must be dealt with first.
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/submit"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("identifying"),
        "{body}"
    );
    let (status, flags) = get(
        &app,
        &format!("/api/v1/stories/{id}/anonymisation"),
        Some(&org.token_editor),
    )
    .await;
    assert_eq!(status, 200);
    let flags = flags.as_array().expect("flags").clone();
    let categories: Vec<&str> = flags
        .iter()
        .map(|f| f["category"].as_str().expect("category"))
        .collect();
    assert!(
        categories.contains(&"phone") && categories.contains(&"email"),
        "{flags:?}"
    );
    let (_, outsider_view) = get(
        &app,
        &format!("/api/v1/stories/{id}/anonymisation"),
        Some(&org.token_reviewer),
    )
    .await;
    assert!(
        outsider_view.is_array(),
        "reviewers of the organisation see the log too"
    );

    // Fix the text; the check runs again and the old flags count as fixed.
    let mut edited = story_body();
    edited["body"] =
        json!("Fred met his team before the move. The team kept a shared diary with him.");
    edited["note"] = json!("Removed contact details");
    let (status, body) = api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{id}"),
        Some(&org.token_editor),
        Some(edited),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["revision"], 2);

    // No consent yet.
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/submit"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("consent"),
        "{body}"
    );
    let (status, body) = api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{id}/consent"),
        Some(&org.token_editor),
        Some(json!({"method": "easy_read", "scope": ["web", "federate"], "expires_on": "2099-12-31", "notes": "Signed with his advocate"})),
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/submit"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "submitted");

    // The author cannot approve their own story; the organisation's reviewer can.
    app.db
        .run(|conn| {
            mutual::organisations::add_member_by_name(
                conn,
                "northlight",
                "northlight_editor",
                MemberRole::Reviewer,
            )
        })
        .await
        .expect("promote");
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/approve"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = post(
        &app,
        &format!("/api/v1/stories/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "not approved yet");
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/approve"),
        &org.token_reviewer,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "published");

    // Public now; consent details are not part of the public item.
    let (status, public) = get(&app, &format!("/api/v1/stories/{id}"), None).await;
    assert_eq!(status, 200);
    assert!(
        !public.to_string().contains("advocate"),
        "consent notes stay private"
    );
    let page = common::new_client()
        .get(app.url(&page_path))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("Fred met his team"));
    assert!(!page.contains("Signed with his advocate"));
    let (status, _) = get(&app, &format!("/api/v1/stories/{id}/consent"), None).await;
    assert_eq!(status, 401);
    let stranger = organisation(&app, "elsewhere", "FI").await;
    let (status, _) = get(
        &app,
        &format!("/api/v1/stories/{id}/consent"),
        Some(&stranger.token_editor),
    )
    .await;
    assert_eq!(status, 404, "other organisations never see consent");

    // The person withdraws consent: the story disappears at once.
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/consent/withdraw"),
        &org.token_editor,
        json!({"note": "Asked by phone"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "withdrawn");
    let (status, _) = get(&app, &format!("/api/v1/stories/{id}"), None).await;
    assert_eq!(status, 404);
    let (_, list) = get(&app, "/api/v1/stories", None).await;
    assert_eq!(list["total"], 0);
    // It cannot be published again without new consent.
    let (status, _) = post(
        &app,
        &format!("/api/v1/stories/{id}/return"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &app,
        &format!("/api/v1/stories/{id}/submit"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        body["message"]
            .as_str()
            .expect("message")
            .contains("withdrawn consent"),
        "{body}"
    );

    // A dismissal needs a reason and is kept in the private log.
    let (_, flags) = get(
        &app,
        &format!("/api/v1/stories/{id}/anonymisation"),
        Some(&org.token_editor),
    )
    .await;
    assert!(
        flags
            .as_array()
            .expect("flags")
            .iter()
            .any(|f| f["resolution"] == "fixed"),
        "old flags marked fixed: {flags}"
    );
}

async fn guide_lifecycle(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "partners-glasgow", "GB-SCT").await;
    let other = organisation(&app, "kotipolku", "FI").await;
    let body = json!({
        "organisation": "partners-glasgow",
        "title": "Recruiting staff with the person",
        "summary": "Put the person and family on the panel.",
        "lang": "en",
        "topics": ["personnel"],
        "body": "Write the job description from the support plan. Advertise where people share the same interests.",
        "audience": ["provider", "family"],
        "stage": "delivery",
        "jurisdictions": ["GB"],
        "references": [{"title": "Citizen Network", "url": "https://example.org/guide"}]
    });
    let (status, guide) = post(&app, "/api/v1/guides", &org.token_editor, body.clone()).await;
    assert_eq!(status, 201, "{guide}");
    let id = guide["id"].as_str().expect("id").to_string();
    let mut second = body.clone();
    second["body"] = json!("Write the job description together with the person. Advertise where people share the same interests.");
    second["note"] = json!("Involve the person");
    let (status, _) = api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/guides/{id}"),
        Some(&org.token_editor),
        Some(second),
    )
    .await;
    assert_eq!(status, 200);
    // Any editor may publish a guide (no second person needed).
    let (status, published) = post(
        &app,
        &format!("/api/v1/guides/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{published}");
    // Editing a published guide keeps it published, as a new revision.
    let mut third = body.clone();
    third["title"] = json!("Recruiting and matching staff with the person");
    let (status, edited) = api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/guides/{id}"),
        Some(&org.token_editor),
        Some(third),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(edited["status"], "published");
    assert_eq!(edited["revision"], 3);

    let (status, revisions) = get(&app, &format!("/api/v1/guides/{id}/revisions"), None).await;
    assert_eq!(status, 200);
    assert_eq!(revisions.as_array().expect("list").len(), 3);
    let (status, diff) = get(&app, &format!("/api/v1/guides/{id}/diff?from=1&to=2"), None).await;
    assert_eq!(status, 200);
    let added: Vec<&str> = diff["body"]
        .as_array()
        .expect("segments")
        .iter()
        .filter(|s| s["change"] == "added")
        .map(|s| s["text"].as_str().expect("text"))
        .collect();
    let removed: Vec<&str> = diff["body"]
        .as_array()
        .expect("segments")
        .iter()
        .filter(|s| s["change"] == "removed")
        .map(|s| s["text"].as_str().expect("text"))
        .collect();
    assert!(added.iter().any(|t| t.contains("together")), "{diff}");
    assert!(removed.iter().any(|t| t.contains("from")), "{diff}");
    let slug_path = edited["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.address)
        .to_string();
    let page = common::new_client()
        .get(app.url(&format!("{slug_path}/diff?from=1&to=2")))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("<ins>together "), "word diff on the page");

    // Another organisation adapts it: a draft that says where it came from.
    let (status, copy) = post(
        &app,
        &format!("/api/v1/guides/{id}/adapt"),
        &other.token_editor,
        json!({"organisation": "kotipolku"}),
    )
    .await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["organisation"]["handle"], "kotipolku");
    assert_eq!(copy["derived_from"]["url"], edited["url"]);
    assert_eq!(copy["derived_from"]["organisation"], "Org partners-glasgow");
    assert_eq!(copy["derived_from"]["revision"], 3);
    let copy_id = copy["id"].as_str().expect("id");
    let (status, _) = post(
        &app,
        &format!("/api/v1/guides/{copy_id}/publish"),
        &other.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let copy_path = copy["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.address)
        .to_string();
    let page = common::new_client()
        .get(app.url(&copy_path))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page.contains("Adapted from"), "attribution shown");
    assert!(page.contains(edited["url"].as_str().expect("url")));
    let listing = common::new_client()
        .get(app.url("/organisations/kotipolku/guides"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        listing.contains("Adapted from"),
        "attribution in listings too"
    );
    // Adapting into an organisation you don't belong to is refused.
    let (status, _) = post(
        &app,
        &format!("/api/v1/guides/{id}/adapt"),
        &other.token_editor,
        json!({"organisation": "partners-glasgow"}),
    )
    .await;
    assert_eq!(status, 403);

    // Withdraw: gone from the public.
    let (status, _) = post(
        &app,
        &format!("/api/v1/guides/{id}/withdraw"),
        &org.token_editor,
        json!({"note": "Out of date"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = get(&app, &format!("/api/v1/guides/{id}"), None).await;
    assert_eq!(status, 404);
}

async fn isf_lifecycle(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "northlight", "GB-ENG").await;
    let other = organisation(&app, "kotipolku", "FI").await;
    // Create it through the page form, as a provider would.
    app.log_in("northlight_editor").await;
    let (status, form) = app
        .get_text("/organisations/northlight/isf-templates/new")
        .await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"line_rate\""));
    let response = app
        .post_form(
            "/organisations/northlight/isf-templates",
            &[
                ("title", "Weekly ISF for support at home"),
                ("summary", "Day support, sleep-ins and a contingency."),
                ("lang", "en"),
                ("licence", "CC-BY-4.0"),
                ("topics", "financial-management"),
                ("isf_country", "GB-ENG"),
                ("isf_scheme", "isf"),
                ("currency", "GBP"),
                ("budget_period", "week"),
                ("line_kind", "support_hours"),
                ("line_description", "Day support"),
                ("line_unit", "hour"),
                ("line_rate", "21.50"),
                ("line_quantity", "98"),
                ("line_amount", ""),
                ("line_variant", "day"),
                ("line_kind", "support_hours"),
                ("line_description", "Sleep-in nights"),
                ("line_unit", "session"),
                ("line_rate", "95.00"),
                ("line_quantity", "7"),
                ("line_amount", ""),
                ("line_variant", "night"),
                ("line_kind", "contingency"),
                ("line_description", "Contingency"),
                ("line_unit", "fixed"),
                ("line_rate", ""),
                ("line_quantity", ""),
                ("line_amount", "50.00"),
                ("line_variant", ""),
                ("line_kind", "support_hours"),
                ("line_description", ""),
                ("line_unit", "hour"),
                ("line_rate", ""),
                ("line_quantity", ""),
                ("line_amount", ""),
                ("line_variant", ""),
                ("fee_basis", "percent"),
                ("fee_value", "10"),
                ("fee_funded", "in_addition"),
                ("fee_covers", "payroll, training"),
                ("banking", "on"),
                ("reporting_every", "P1M"),
                ("reporting_shows", "balance"),
                ("review_every", "P6M"),
                ("notice_days_person", "28"),
                ("notice_days_provider", "90"),
                ("unspent_funds", "stay_with_person"),
                (
                    "outcomes",
                    "I live in my own home.\nI choose who supports me.",
                ),
                ("body", "Used for three years."),
            ],
        )
        .await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let path = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();

    // Lines: 2107.00 + 665.00 + 50.00 = 2822.00; fee 10% on top = 282.20; total 3104.20; a year ×52.
    let (_, list) = get(
        &app,
        "/api/v1/isf-templates?organisation=northlight&status=all",
        Some(&org.token_editor),
    )
    .await;
    let item = &list["items"][0];
    let id = item["id"].as_str().expect("id").to_string();
    let figures = &item["figures"];
    assert_eq!(figures["lines_total"], "2822.00", "{figures}");
    assert_eq!(figures["management_fee"], "282.20");
    assert_eq!(figures["total_per_period"], "3104.20");
    assert_eq!(figures["annual_total"], "161418.40");
    assert_eq!(
        item["details"]["budget_lines"]
            .as_array()
            .expect("lines")
            .len(),
        3,
        "the empty row is ignored"
    );

    let (status, _) = post(
        &app,
        &format!("/api/v1/isf-templates/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let page = app.get_text(&path).await.1;
    assert!(
        page.contains("3104.20") && page.contains("161418.40"),
        "figures on the page"
    );
    let csv = common::new_client()
        .get(app.url(&format!("{path}/export.csv")))
        .send()
        .await
        .expect("csv");
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/csv"));
    let csv = csv.text().await.expect("body");
    assert!(
        csv.starts_with("kind,description,unit,rate,quantity"),
        "{csv}"
    );
    assert!(
        csv.contains("Sleep-in nights") && csv.contains("3104.20"),
        "{csv}"
    );
    let exported: Value = common::new_client()
        .get(app.url(&format!("{path}/export.json")))
        .send()
        .await
        .expect("json")
        .json()
        .await
        .expect("json");
    assert_eq!(exported["figures"]["total_per_period"], "3104.20");
    let printable = common::new_client()
        .get(app.url(&format!("{path}/print")))
        .send()
        .await
        .expect("print")
        .text()
        .await
        .expect("body");
    assert!(
        printable.contains("3104.20") && !printable.contains("site-header"),
        "printable page has the budget and no navigation"
    );

    // Invalid numbers come back with the line named, and nothing is saved.
    let response = app
        .post_form(
            "/organisations/northlight/isf-templates",
            &[
                ("title", "Broken"),
                ("lang", "en"),
                ("isf_country", "GB"),
                ("isf_scheme", "isf"),
                ("currency", "GBP"),
                ("budget_period", "week"),
                ("line_kind", "support_hours"),
                ("line_description", "Day"),
                ("line_unit", "hour"),
                ("line_rate", "lots"),
                ("line_quantity", "10"),
                ("line_amount", ""),
                ("line_variant", ""),
                ("fee_basis", "percent"),
                ("fee_value", "8"),
                ("fee_funded", "within_budget"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    assert!(response.text().await.expect("body").contains("Line 1"));

    // A Finnish provider adapts it into euros at 1.17; everything is recomputed.
    let (status, copy) = post(
        &app,
        &format!("/api/v1/isf-templates/{id}/adapt"),
        &other.token_editor,
        json!({"organisation": "kotipolku", "currency": "EUR", "exchange_rate": "1.17", "country": "FI"}),
    )
    .await;
    assert_eq!(status, 201, "{copy}");
    assert_eq!(copy["details"]["currency"], "EUR");
    assert_eq!(copy["details"]["jurisdiction"]["country"], "FI");
    assert_eq!(
        copy["details"]["budget_lines"][0]["rate"], "25.16",
        "21.50 × 1.17 = 25.155, rounded half away from zero"
    );
    // 25.16×98 = 2465.68; 111.15×7 = 778.05; 58.50 → 3302.23; fee 330.22(3) → 3632.45
    assert_eq!(
        copy["figures"]["lines_total"], "3302.23",
        "{}",
        copy["figures"]
    );
    assert_eq!(copy["figures"]["total_per_period"], "3632.45");
    assert_eq!(copy["derived_from"]["revision"], 1);
    // Japanese yen have no minor unit: whole numbers only.
    let (status, yen) = post(
        &app,
        &format!("/api/v1/isf-templates/{id}/adapt"),
        &other.token_editor,
        json!({"organisation": "kotipolku", "currency": "JPY", "exchange_rate": "190.5"}),
    )
    .await;
    assert_eq!(status, 201, "{yen}");
    assert!(
        !yen["figures"]["total_per_period"]
            .as_str()
            .expect("total")
            .contains('.'),
        "{}",
        yen["figures"]
    );
    let (status, bad) = post(
        &app,
        &format!("/api/v1/isf-templates/{id}/adapt"),
        &other.token_editor,
        json!({"organisation": "kotipolku", "currency": "XYZ"}),
    )
    .await;
    assert_eq!(status, 422, "{bad}");
}

async fn permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "northlight", "GB-ENG").await;
    let outsider = organisation(&app, "filia", "GR").await;
    // Writing into someone else's organisation.
    let (status, body) = post(
        &app,
        "/api/v1/stories",
        &outsider.token_editor,
        story_body(),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (_, list) = get(
        &app,
        "/api/v1/stories?organisation=northlight&status=all",
        Some(&org.token_editor),
    )
    .await;
    assert_eq!(list["total"], 0, "nothing created");

    let (status, story) = post(&app, "/api/v1/stories", &org.token_editor, story_body()).await;
    assert_eq!(status, 201);
    let id = story["id"].as_str().expect("id");
    let mut changed = story_body();
    changed["title"] = json!("Hijacked");
    let (status, _) = api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{id}"),
        Some(&outsider.token_editor),
        Some(changed),
    )
    .await;
    assert_eq!(status, 403);
    for action in ["submit", "approve", "publish", "withdraw"] {
        let (status, _) = post(
            &app,
            &format!("/api/v1/stories/{id}/{action}"),
            &outsider.token_reviewer,
            json!({}),
        )
        .await;
        assert_eq!(status, 403, "{action} by an outsider");
    }
    let (_, current) = get(
        &app,
        &format!("/api/v1/stories/{id}"),
        Some(&org.token_editor),
    )
    .await;
    assert_eq!(current["title"], story["title"], "nothing changed");
    assert_eq!(current["revision"], 1);
    assert_eq!(current["status"], "draft");
    // Outsiders do not even see drafts; listing unpublished needs membership.
    let (status, _) = get(
        &app,
        &format!("/api/v1/stories/{id}"),
        Some(&outsider.token_editor),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(
        &app,
        "/api/v1/stories?organisation=northlight&status=draft",
        Some(&outsider.token_editor),
    )
    .await;
    assert_eq!(status, 403);
    // The same through the pages.
    let browser = app.another_browser();
    browser.log_in("filia_editor").await;
    let page = story["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.address)
        .to_string();
    assert_eq!(
        browser.get(&format!("{page}/edit")).await.status().as_u16(),
        404
    );
    let response = browser
        .post_form(
            "/organisations/northlight/stories",
            &[
                ("title", "x"),
                ("lang", "en"),
                ("voice", "told_about"),
                ("country", "GB"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    // Validation problems are all reported.
    let (status, body) = post(&app, "/api/v1/stories", &org.token_editor, json!({"organisation": "northlight", "title": "", "lang": "english!", "voice": "shouting", "country": "XX", "topics": ["nope"]})).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field"))
        .collect();
    for field in ["title", "lang", "voice", "country", "topics"] {
        assert!(fields.contains(&field), "{field} reported: {body}");
    }
}

async fn filters(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "kotipolku", "FI").await;
    let make = |title: &str, lang: &str, topic: &str, jurisdiction: &str| {
        json!({
            "organisation": "kotipolku", "title": title, "lang": lang, "topics": [topic],
            "body": "Text.", "audience": ["provider"], "stage": "planning", "jurisdictions": [jurisdiction]
        })
    };
    for body in [
        make("Suunnittelu yhdessä", "fi", "planning-design", "FI"),
        make("Planning in Scotland", "en", "planning-design", "GB-SCT"),
        make("Housing first", "en-GB", "housing", "GB"),
    ] {
        let (status, guide) = post(&app, "/api/v1/guides", &org.token_editor, body).await;
        assert_eq!(status, 201);
        let id = guide["id"].as_str().expect("id");
        post(
            &app,
            &format!("/api/v1/guides/{id}/publish"),
            &org.token_editor,
            json!({}),
        )
        .await;
    }
    let titles = |list: &Value| -> Vec<String> {
        let mut t: Vec<String> = list["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["title"].as_str().expect("title").to_string())
            .collect();
        t.sort();
        t
    };
    let (_, all) = get(&app, "/api/v1/guides", None).await;
    assert_eq!(all["total"], 3);
    let (_, by_topic) = get(&app, "/api/v1/guides?topic=planning-design", None).await;
    assert_eq!(
        titles(&by_topic),
        vec!["Planning in Scotland", "Suunnittelu yhdessä"]
    );
    let (_, by_country) = get(&app, "/api/v1/guides?country=GB", None).await;
    assert_eq!(
        titles(&by_country),
        vec!["Housing first", "Planning in Scotland"],
        "GB finds GB-SCT too"
    );
    let (_, by_lang) = get(&app, "/api/v1/guides?lang=en", None).await;
    assert_eq!(
        titles(&by_lang),
        vec!["Housing first", "Planning in Scotland"],
        "en finds en-GB"
    );
    let (_, paged) = get(&app, "/api/v1/guides?per_page=2&page=2", None).await;
    assert_eq!(paged["items"].as_array().expect("items").len(), 1);
    assert_eq!(paged["total"], 3);
    let page = app.get_text("/guides?country=FI").await.1;
    assert!(page.contains("Suunnittelu yhdessä") && !page.contains("Housing first"));
    assert!(
        page.contains("lang=\"fi\""),
        "items keep their language attribute"
    );
}

/// Hostile Markdown and HTML, each of which must not survive rendering.
pub const HOSTILE: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"position:fixed;top:0\">overlay</p>",
    "<style>body{display:none}</style>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
    "<object data=x.swf></object>",
    "<embed src=x.swf>",
    "<form action=https://evil.example><input name=p></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=x onmouseover=alert(1)>hover</a>",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=\"x\" alt=\"\\\" onerror=alert(1)//\">",
    "<base href=\"javascript:alert(1)//\">",
    "<input autofocus onfocus=alert(1)>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
];

fn assert_safe(html: &str, input: &str) {
    let lower = html.to_lowercase();
    for needle in [
        "<script", "<iframe", "<object", "<embed", "<style", "<svg", "<form", "<input", "<base",
        "<meta", "<link", "<img", "<math",
    ] {
        assert!(
            !lower.contains(needle),
            "{needle} survived from {input:?}: {html}"
        );
    }
    // Inside a tag, no dangerous scheme or inline style (as plain text they are harmless).
    let in_tag =
        regex::Regex::new(r"(?i)<[^>]*(javascript:|vbscript:|data:|\sstyle\s*=)").expect("regex");
    assert!(
        !in_tag.is_match(html),
        "a dangerous attribute survived from {input:?}: {html}"
    );
    let on_handler = regex::Regex::new(r"(?i)<[^>]*\son[a-z]+\s*=").expect("regex");
    assert!(
        !on_handler.is_match(html),
        "an event handler survived from {input:?}: {html}"
    );
}

#[test]
fn hostile_inputs_are_rendered_safe() {
    assert!(HOSTILE.len() >= 30);
    for input in HOSTILE {
        assert_safe(&mutual::content::markdown::render(input), input);
        assert_safe(&mutual::content::markdown::sanitize(input), input);
    }
    // Ordinary formatting survives.
    let html = mutual::content::markdown::render(
        "## Plan\n\n*Together* with [the family](https://example.org).",
    );
    assert!(
        html.contains("<h2>Plan</h2>")
            && html.contains("<em>Together</em>")
            && html.contains("href=\"https://example.org\"")
    );
}

async fn hostile_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "open-doors", "GB-WLS").await;
    let body = HOSTILE.join("\n\n");
    let (status, guide) = post(
        &app,
        "/api/v1/guides",
        &org.token_editor,
        json!({"organisation": "open-doors", "title": "<script>alert('title')</script>", "lang": "en", "body": body}),
    )
    .await;
    assert_eq!(status, 201, "{guide}");
    assert_eq!(guide["body"], body, "the source is kept as written");
    assert_safe(guide["body_html"].as_str().expect("html"), "the whole list");
    let id = guide["id"].as_str().expect("id");
    post(
        &app,
        &format!("/api/v1/guides/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    let path = guide["url"]
        .as_str()
        .expect("url")
        .trim_start_matches(&app.address)
        .to_string();
    let page = common::new_client()
        .get(app.url(&path))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let article =
        &page[page.find("<article").expect("article")..page.find("</article>").expect("end")];
    assert!(
        article.contains("&lt;script&gt;alert("),
        "the title is escaped"
    );
    assert_safe(article, "the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymisation_check_endpoint_counts_in_characters() {
    let app = spawn_app(Backend::Sqlite).await;
    let org = organisation(&app, "filia", "GR").await;
    let text = "Η Ελένη είπε: γράψτε στο eleni@example.gr";
    let (status, body) = post(
        &app,
        "/api/v1/anonymisation/check",
        &org.token_editor,
        json!({"text": text}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let email = body["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .find(|f| f["category"] == "email")
        .expect("email flagged");
    let start = email["start"].as_u64().expect("start") as usize;
    let end = email["end"].as_u64().expect("end") as usize;
    let by_chars: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(by_chars, "eleni@example.gr");
    assert_eq!(email["text"], "eleni@example.gr");
    let (status, _) = api(
        &app,
        reqwest::Method::POST,
        "/api/v1/anonymisation/check",
        None,
        Some(json!({"text": "x"})),
    )
    .await;
    assert_eq!(status, 401);
}

async fn expired_consent(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "northlight", "GB-ENG").await;
    let mut body = story_body();
    body["body"] = json!("Fred met his team before the move.");
    let (_, story) = post(&app, "/api/v1/stories", &org.token_editor, body).await;
    let id = story["id"].as_str().expect("id").to_string();
    api(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/stories/{id}/consent"),
        Some(&org.token_editor),
        Some(json!({"method": "written", "scope": ["web"], "expires_on": "2099-01-01"})),
    )
    .await;
    assert_eq!(
        post(
            &app,
            &format!("/api/v1/stories/{id}/submit"),
            &org.token_editor,
            json!({})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post(
            &app,
            &format!("/api/v1/stories/{id}/approve"),
            &org.token_reviewer,
            json!({})
        )
        .await
        .0,
        200
    );
    assert_eq!(
        post(
            &app,
            &format!("/api/v1/stories/{id}/publish"),
            &org.token_editor,
            json!({})
        )
        .await
        .0,
        200
    );
    // Time passes: the consent's last day is behind us.
    let story_id = id.clone();
    let taken_down = app
        .db
        .run(move |conn| {
            mutual::content::store::save_consent(
                conn,
                &story_id,
                "written",
                &["web".to_string()],
                Some("2020-01-01"),
                "",
                None,
            )?;
            mutual::content::workflow::expire_consents(conn)
        })
        .await
        .expect("expire");
    assert_eq!(taken_down, vec![id.clone()]);
    let (status, _) = get(&app, &format!("/api/v1/stories/{id}"), None).await;
    assert_eq!(status, 404, "the story is no longer shown");
    let (_, own) = get(
        &app,
        &format!("/api/v1/stories/{id}"),
        Some(&org.token_editor),
    )
    .await;
    assert_eq!(own["status"], "withdrawn");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_lists_each_content_type() {
    let app = spawn_app(Backend::Sqlite).await;
    let (_, spec) = get(&app, "/api/v1/openapi.json", None).await;
    for path in [
        "/api/v1/stories",
        "/api/v1/stories/{id}",
        "/api/v1/stories/{id}/{action}",
        "/api/v1/stories/{id}/consent",
        "/api/v1/isf-templates",
        "/api/v1/isf-templates/{id}/adapt",
        "/api/v1/isf-templates/{id}/export.csv",
        "/api/v1/guides/{id}/revisions",
        "/api/v1/guides/{id}/diff",
        "/api/v1/anonymisation/check",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }
    assert!(
        spec["paths"]["/api/v1/{kind}"].is_null(),
        "the generic path is expanded"
    );
    let params = spec["paths"]["/api/v1/guides"]["get"]["parameters"]
        .as_array()
        .expect("params");
    assert!(params.iter().all(|p| p["name"] != "kind"));
    assert!(params.iter().any(|p| p["name"] == "topic"));
}

/// The story journey through the pages, as an editor and a reviewer would click it.
async fn story_pages(backend: Backend) {
    let app = spawn_app(backend).await;
    organisation(&app, "kopu", "NZ").await;
    let editor = app.another_browser();
    editor.log_in("kopu_editor").await;
    let (status, form) = editor.get_text("/organisations/kopu/stories/new").await;
    assert_eq!(status, 200);
    assert!(form.contains("name=\"pseudonym\""));
    let response = editor
        .post_form(
            "/organisations/kopu/stories",
            &[
                ("title", "Moana's own flat"),
                ("summary", "A flat of her own."),
                ("lang", "en"),
                ("licence", "CC-BY-4.0"),
                ("pseudonym", "Moana"),
                ("age_band", "18-29"),
                ("voice", "told_with"),
                ("country", "NZ"),
                ("region", "Waikato"),
                ("year_from", "2019"),
                ("year_to", "2021"),
                ("people_supported", "adults-learning-disabilities"),
                ("topics", "housing"),
                (
                    "body",
                    "Moana chose her flat with her aunt Mere. She was 23 years old.",
                ),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let path = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let page = editor.get_text(&path).await.1;
    assert!(page.contains("Check details and consent"));

    // Submitting shows why it cannot go yet.
    let response = editor.post_form(&format!("{path}/submit"), &[]).await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(response.text().await.expect("body").contains("identifying"));
    let review = editor.get_text(&format!("{path}/review")).await.1;
    assert!(
        review.contains("Mere"),
        "the name is flagged on the review page"
    );
    // Keep each flag with a reason (the reviewer agrees they are safe here).
    let flag_ids: Vec<String> = regex::Regex::new(r#"action="[^"]*/flags/([0-9a-f-]+)""#)
        .expect("regex")
        .captures_iter(&review)
        .map(|c| c[1].to_string())
        .collect();
    assert!(!flag_ids.is_empty(), "{review}");
    let response = editor
        .post_form(
            &format!("{path}/flags/{}", flag_ids[0]),
            &[("resolution", "dismissed"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422, "a reason is needed");
    for id in &flag_ids {
        let response = editor
            .post_form(
                &format!("{path}/flags/{id}"),
                &[
                    ("resolution", "dismissed"),
                    ("reason", "Changed in the published copy"),
                ],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303);
    }
    let response = editor
        .post_form(
            &format!("{path}/consent"),
            &[
                ("method", "supported_decision"),
                ("scope", "web"),
                ("scope", "federate"),
                ("expires_on", ""),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = editor.post_form(&format!("{path}/submit"), &[]).await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "{}",
        response.text().await.unwrap_or_default()
    );

    let reviewer = app.another_browser();
    reviewer.log_in("kopu_reviewer").await;
    let page = reviewer.get_text(&path).await.1;
    assert!(
        page.contains(">Approve<"),
        "the reviewer sees the approve button"
    );
    assert_eq!(
        reviewer
            .post_form(&format!("{path}/approve"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    assert_eq!(
        reviewer
            .post_form(&format!("{path}/publish"), &[])
            .await
            .status()
            .as_u16(),
        303
    );
    let public = common::new_client()
        .get(app.url(&path))
        .send()
        .await
        .expect("get");
    assert_eq!(public.status().as_u16(), 200);
    let public = public.text().await.expect("body");
    assert!(
        public.contains("Moana chose her flat")
            && !public.contains("supported_decision")
            && !public.contains("Changed in the published copy")
    );
    let listing = app.get_text("/stories?country=NZ").await.1;
    assert!(listing.contains("Moana&#x27;s own flat") || listing.contains("Moana's own flat"));
}

/// An easy-read version and a translation: started by the item's editors, linked from the
/// original once published, linking back, and refused to others.
async fn versions(backend: Backend) {
    let app = spawn_app(backend).await;
    let org = organisation(&app, "northlight", "GB-ENG").await;
    let (status, guide) = post(
        &app,
        "/api/v1/guides",
        &org.token_editor,
        json!({
            "organisation": "northlight", "title": "Banking unused hours",
            "summary": "How we keep unused hours.", "lang": "en",
            "topics": ["financial-management"], "body": "We record unused hours every month.",
            "audience": ["provider"], "stage": "delivery", "jurisdictions": ["GB-ENG"],
        }),
    )
    .await;
    assert_eq!(status, 201, "{guide}");
    let id = guide["id"].as_str().expect("id").to_string();
    let (status, _) = post(
        &app,
        &format!("/api/v1/guides/{id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let original_path = guide["url"]
        .as_str()
        .map(|u| u.trim_start_matches(&app.address).to_string())
        .unwrap_or_default();

    // Only the organisation's editors, and a translation needs another language.
    let other = organisation(&app, "kotipolku", "FI").await;
    let (status, body) = post(
        &app,
        &format!("/api/v1/guides/{id}/versions"),
        &other.token_editor,
        json!({"variant": "easy_read"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    for (lang, why) in [
        (json!(null), "no language"),
        (json!("en"), "the same language"),
    ] {
        let (status, body) = post(
            &app,
            &format!("/api/v1/guides/{id}/versions"),
            &org.token_editor,
            json!({"variant": "translation", "lang": lang}),
        )
        .await;
        assert_eq!(status, 422, "{why}: {body}");
    }

    let (status, easy) = post(
        &app,
        &format!("/api/v1/guides/{id}/versions"),
        &org.token_editor,
        json!({"variant": "easy_read"}),
    )
    .await;
    assert_eq!(status, 201, "{easy}");
    assert_eq!(easy["status"], "draft");
    assert_eq!(easy["lang"], "en");
    let easy_id = easy["id"].as_str().expect("id").to_string();
    let (status, finnish) = post(
        &app,
        &format!("/api/v1/guides/{id}/versions"),
        &org.token_editor,
        json!({"variant": "translation", "lang": "fi"}),
    )
    .await;
    assert_eq!(status, 201, "{finnish}");
    assert_eq!(finnish["lang"], "fi");

    // Drafts are not linked from the original.
    let page = app.get_text(&original_path).await.1;
    assert!(!page.contains("Easy read version"), "a draft is not linked");

    let (status, published) = post(
        &app,
        &format!("/api/v1/guides/{easy_id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{published}");
    let easy_path = published["url"]
        .as_str()
        .map(|u| u.trim_start_matches(&app.address).to_string())
        .expect("url");
    let page = app.get_text(&original_path).await.1;
    assert!(
        page.contains(&format!(
            "<a href=\"{easy_path}\" lang=\"en\">Easy read version</a>"
        )),
        "the original links to its easy-read version: {page}"
    );
    assert!(
        !page.contains("Translation (fi)"),
        "the translation is still a draft"
    );
    let page = app.get_text(&easy_path).await.1;
    assert!(
        page.contains("This is the easy-read version of")
            && page.contains(&format!("href=\"{original_path}\"")),
        "the version links back to the original"
    );

    // A version of a version belongs to the original.
    let (status, again) = post(
        &app,
        &format!("/api/v1/guides/{easy_id}/versions"),
        &org.token_editor,
        json!({"variant": "translation", "lang": "cs"}),
    )
    .await;
    assert_eq!(status, 201, "{again}");
    let again_id = again["id"].as_str().expect("id").to_string();
    post(
        &app,
        &format!("/api/v1/guides/{again_id}/publish"),
        &org.token_editor,
        json!({}),
    )
    .await;
    let page = app.get_text(&original_path).await.1;
    assert!(page.contains("Translation (cs)"), "listed on the original");

    // The page's own form starts a version for an editor and opens its edit form.
    let editor = app.another_browser();
    editor.log_in("northlight_editor").await;
    let page = editor.get_text(&original_path).await.1;
    assert!(page.contains("Write an easy-read version"));
    let response = editor
        .post_form(
            &format!("{original_path}/version"),
            &[("variant", "easy_read")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().expect("location");
    assert!(location.ends_with("/edit"), "{location}");
    let visitor_page = app.another_browser().get_text(&original_path).await.1;
    assert!(
        !visitor_page.contains("Write an easy-read version"),
        "visitors are not offered the form"
    );
}
