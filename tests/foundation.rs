//! The foundation over real HTTP, on SQLite and PostgreSQL: sign-up, approval, log-in,
//! organisations, permissions, CSRF, rate limiting and bad input.

mod common;

use common::{spawn_app, spawn_app_with, Backend, TestApp, PASSWORD};
use mutual::accounts::Role;
use mutual::config::Registration;
use serde_json::{json, Value};

both_backends! {
    sign_up_approval_log_in_and_organisation_profile => journey,
    form_without_csrf_token_is_rejected_and_nothing_written => csrf_required,
    wrong_password_is_rejected_and_then_rate_limited => wrong_password,
    member_cannot_edit_an_organisation_they_do_not_belong_to => not_a_member,
    bad_input_gets_a_clear_error_and_writes_nothing => bad_input,
    api_with_personal_token => api_tokens,
    api_permissions_match_the_pages => api_permissions,
    sign_up_modes_are_enforced => sign_up_modes,
    health_check_reports_the_database => health,
}

async fn count_organisations(app: &TestApp) -> i64 {
    app.db
        .query(|conn| mutual::organisations::list(conn, 0, 1).map(|(_, total)| total))
        .await
        .expect("count")
}

async fn create_org_as(app: &TestApp, handle: &str, name: &str) {
    let response = app
        .post_form(
            "/organisations",
            &[
                ("handle", handle),
                ("name", name),
                ("summary", "We help people live in homes of their own."),
                ("country", "FI"),
                ("languages", "fi, sv"),
                ("kind", "provider"),
                ("people_supported", "adults-autism"),
                ("offers_to_share", "financial-management"),
                ("offers_to_share", "personnel"),
                ("wants_to_learn", "housing"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303, "organisation created");
    assert_eq!(
        response.headers()["location"].to_str().expect("location"),
        format!("/organisations/{handle}")
    );
}

async fn journey(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.create_user("root_admin", Role::Admin).await;

    // A person signs up; the instance needs approval, so they cannot log in yet.
    let (status, page) = app.get_text("/signup").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<label for=\"field-username\">"),
        "fields have labels"
    );
    let response = app
        .post_form(
            "/signup",
            &[
                ("username", "Aino"),
                ("email", "aino@example.fi"),
                ("display_name", "Aino K"),
                ("password", PASSWORD),
                ("reason", "I work at Kotipolku"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("waiting for an administrator"));
    let response = app
        .post_form("/login", &[("login", "aino"), ("password", PASSWORD)])
        .await;
    assert_eq!(
        response.status().as_u16(),
        401,
        "pending accounts cannot log in"
    );

    // The administrator approves the account on the admin page.
    let admin_browser = app.another_browser();
    admin_browser.log_in(&admin.username).await;
    let (status, admin_page) = admin_browser.get_text("/admin").await;
    assert_eq!(status, 200);
    assert!(admin_page.contains("aino"), "pending sign-up listed");
    assert!(admin_page.contains("I work at Kotipolku"));
    let aino = app
        .db
        .query(|conn| mutual::accounts::find_by_username(conn, "aino"))
        .await
        .expect("query")
        .expect("aino exists");
    let response = admin_browser
        .post_form(&format!("/admin/users/{}/approve", aino.id), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);

    // Now she logs in, gets an HttpOnly SameSite session cookie, and creates her organisation.
    let token = app.csrf().await;
    let response = app
        .client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("login", "aino@example.fi"),
            ("password", PASSWORD),
            ("next", "/settings"),
        ])
        .send()
        .await
        .expect("login");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/settings");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_string())
        .find(|c| c.starts_with("mutual_session="))
        .expect("session cookie set");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");

    create_org_as(&app, "kotipolku", "Kotipolku").await;
    let (status, profile) = app.get_text("/organisations/kotipolku").await;
    assert_eq!(status, 200);
    assert!(profile.contains("Kotipolku"));
    assert!(
        profile.contains("Financial management"),
        "topics shown by label"
    );
    assert!(
        profile.contains("Edit profile"),
        "members see the edit link"
    );

    // She edits the profile; the public page (seen logged out) shows the change.
    let response = app
        .post_form(
            "/organisations/kotipolku/edit",
            &[
                ("name", "Kotipolku ry"),
                ("summary", "Homes of their own, support of their choosing."),
                ("country", "FI"),
                ("regions", "Uusimaa\nPirkanmaa"),
                ("languages", "fi, sv, en"),
                ("kind", "provider"),
                ("wants_to_learn", "commissioning"),
                ("hosts_events", "on"),
                ("accessibility_statement", "Easy read on request."),
                ("contact_email", "info@kotipolku.example"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let visitor = app.another_browser();
    let (status, public) = visitor.get_text("/organisations/kotipolku").await;
    assert_eq!(status, 200);
    assert!(public.contains("Kotipolku ry"));
    assert!(public.contains("Homes of their own, support of their choosing."));
    assert!(public.contains("Uusimaa, Pirkanmaa"));
    assert!(public.contains("Commissioning"));
    assert!(
        !public.contains("Financial management"),
        "removed topic is gone"
    );
    assert!(public.contains("Easy read on request."));
    assert!(!public.contains("Edit profile"), "visitors cannot edit");
    let (_, directory) = visitor.get_text("/organisations").await;
    assert!(directory.contains("Kotipolku ry"));

    // Log out ends the session.
    let response = app.post_form("/logout", &[]).await;
    assert_eq!(response.status().as_u16(), 303);
    let response = app.get("/settings").await;
    assert_eq!(
        response.status().as_u16(),
        303,
        "settings need a session again"
    );
}

async fn csrf_required(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("editor", Role::Member).await;
    app.log_in("editor").await;
    // The browser has the cookie, but the form carries no token: a cross-site post.
    let response = app
        .client
        .post(app.url("/organisations"))
        .form(&[
            ("handle", "sneaky"),
            ("name", "Sneaky"),
            ("country", "FI"),
            ("languages", "fi"),
            ("kind", "provider"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 403);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("did not come from this site"));
    // A token from another browser (another cookie) does not work either.
    let other = app.another_browser();
    let foreign_token = other.csrf().await;
    let response = app
        .client
        .post(app.url("/organisations"))
        .form(&[
            ("csrf_token", foreign_token.as_str()),
            ("handle", "sneaky"),
            ("name", "Sneaky"),
            ("country", "FI"),
            ("languages", "fi"),
            ("kind", "provider"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 403);
    // Log-in and sign-up forms are protected too.
    let response = other
        .client
        .post(other.url("/signup"))
        .form(&[
            ("username", "nocsrf"),
            ("email", "n@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(count_organisations(&app).await, 0, "nothing was written");
    let found = app
        .db
        .query(|conn| mutual::accounts::find_by_username(conn, "nocsrf"))
        .await
        .expect("query");
    assert!(found.is_none(), "no account was created");
}

async fn wrong_password(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.login_failures_per_account = 3).await;
    app.create_user("brigid", Role::Member).await;
    for attempt in 1..=3 {
        let response = app
            .post_form(
                "/login",
                &[("login", "brigid"), ("password", "not the password")],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            401,
            "attempt {attempt} rejected"
        );
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("username or password is wrong"));
    }
    // The limit is reached: even the right password is refused for now.
    let response = app
        .post_form("/login", &[("login", "brigid"), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status().as_u16(), 429);
    assert!(response
        .text()
        .await
        .expect("body")
        .contains("too many failed log-in attempts"));
    assert!(
        app.get("/settings").await.status().is_redirection(),
        "no session was created"
    );
}

async fn not_a_member(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("owner", Role::Member).await;
    app.create_user("outsider", Role::Member).await;
    app.log_in("owner").await;
    create_org_as(&app, "maple-host", "Maple Host Agency").await;

    let outsider = app.another_browser();
    outsider.log_in("outsider").await;
    let response = outsider.get("/organisations/maple-host/edit").await;
    assert_eq!(response.status().as_u16(), 403);
    let response = outsider
        .post_form(
            "/organisations/maple-host/edit",
            &[
                ("name", "Taken over"),
                ("country", "CA"),
                ("languages", "en"),
                ("kind", "provider"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
    let org = app
        .db
        .run(|conn| mutual::organisations::get(conn, "maple-host"))
        .await
        .expect("org");
    assert_eq!(org.profile.name, "Maple Host Agency", "nothing changed");
    assert_eq!(org.profile.country, "FI");

    // Added as an editor with the CLI's function, the same person may edit.
    app.db
        .run(|conn| {
            mutual::organisations::add_member_by_name(
                conn,
                "maple-host",
                "outsider",
                mutual::organisations::MemberRole::Editor,
            )
        })
        .await
        .expect("add editor");
    let response = outsider.get("/organisations/maple-host/edit").await;
    assert_eq!(response.status().as_u16(), 200);
}

async fn bad_input(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("tester", Role::Member).await;
    app.log_in("tester").await;
    let token = app.csrf().await;

    // Oversized form: refused before it is read.
    let huge = format!(
        "csrf_token={token}&handle=big&name=Big&country=FI&languages=fi&kind=provider&summary={}",
        "a".repeat(200_000)
    );
    let response = app
        .post_raw(
            "/organisations",
            "application/x-www-form-urlencoded",
            huge.into_bytes(),
        )
        .await;
    assert_eq!(response.status().as_u16(), 413);
    assert!(response.text().await.expect("body").contains("too large"));

    // Invalid UTF-8, percent-encoded and raw.
    for body in [
        format!("csrf_token={token}&handle=bad&name=%FF%FE&country=FI&languages=fi&kind=provider")
            .into_bytes(),
        [
            format!("csrf_token={token}&handle=bad&name=").into_bytes(),
            vec![0xff, 0xfe],
            b"&country=FI&languages=fi&kind=provider".to_vec(),
        ]
        .concat(),
    ] {
        let response = app
            .post_raw("/organisations", "application/x-www-form-urlencoded", body)
            .await;
        assert_eq!(response.status().as_u16(), 400);
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("not valid UTF-8"));
    }

    // A missing field.
    let response = app
        .post_raw(
            "/organisations",
            "application/x-www-form-urlencoded",
            format!("csrf_token={token}&handle=nameless&country=FI&languages=fi&kind=provider")
                .into_bytes(),
        )
        .await;
    assert_eq!(response.status().as_u16(), 400);
    assert!(
        response.text().await.expect("body").contains("name"),
        "the missing field is named"
    );

    // An unknown topic slug: the form comes back with the error linked to the field.
    let response = app
        .post_form(
            "/organisations",
            &[
                ("handle", "juggling"),
                ("name", "Jugglers"),
                ("country", "FI"),
                ("languages", "fi"),
                ("kind", "provider"),
                ("wants_to_learn", "juggling"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    assert!(page.contains("Unknown choice: juggling"), "{page}");
    assert!(
        page.contains("href=\"#field-wants_to_learn\""),
        "error summary links to the field"
    );

    // The same through the API.
    let api_token = app.api_token("tester").await;
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&api_token)
        .json(&json!({"handle": "juggling", "name": "Jugglers", "country": "FI", "languages": ["fi"], "kind": "provider", "offers_to_share": ["juggling"]}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 422);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], "invalid_input");
    assert!(body["message"]
        .as_str()
        .expect("message")
        .contains("juggling"));
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&api_token)
        .header("content-type", "application/json")
        .body("{\"handle\": \"broken\", ")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "invalid_json"
    );
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&api_token)
        .json(&json!({"handle": "nameless", "country": "FI", "kind": "provider"}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.json::<Value>().await.expect("json")["message"]
        .as_str()
        .expect("message")
        .contains("name"));
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&api_token)
        .header("content-type", "application/json")
        .body(format!(
            "{{\"handle\": \"big\", \"name\": \"{}\"}}",
            "a".repeat(2_000_000)
        ))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 413);

    assert_eq!(count_organisations(&app).await, 0, "nothing was written");
}

async fn api_tokens(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("apiuser", Role::Member).await;
    // No token: 401 with a JSON error.
    let response = app.get("/api/v1/me").await;
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "unauthenticated"
    );
    // A wrong token is refused, not treated as anonymous.
    let response = app
        .client
        .get(app.url("/api/v1/me"))
        .bearer_auth("mutual_not-a-real-token")
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 401);

    // Create a token on the settings page; it is shown once.
    app.log_in("apiuser").await;
    let response = app
        .post_form("/settings/tokens", &[("name", "my script")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let page = response.text().await.expect("body");
    let start = page.find("mutual_").expect("token shown");
    let token: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let stored_hashes = app
        .db
        .query(|conn| {
            use diesel::prelude::*;
            mutual::db::schema::api_tokens::table
                .select(mutual::db::schema::api_tokens::token_hash)
                .load::<String>(conn)
        })
        .await
        .expect("tokens");
    assert!(
        !stored_hashes.iter().any(|h| h.contains(&token)),
        "only the hash is stored"
    );

    let anonymous = common::new_client();
    let me: Value = anonymous
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(me["username"], "apiuser");

    // Create and update an organisation through the API.
    let response = anonymous
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&token)
        .json(&json!({"handle": "liens-quebec", "name": "Liens Québec", "country": "CA", "languages": ["fr", "en"], "kind": "family_led", "wants_to_learn": ["housing"]}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 201);
    let created: Value = response.json().await.expect("json");
    assert_eq!(created["name"], "Liens Québec");
    assert_eq!(
        created["url"],
        format!("{}/organisations/liens-quebec", app.address)
    );
    let response = anonymous
        .patch(app.url("/api/v1/organisations/liens-quebec"))
        .bearer_auth(&token)
        .json(&json!({"summary": "Des familles qui s'entraident.", "offers_to_share": ["power-accountability"]}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status().as_u16(), 200);
    let fetched: Value = anonymous
        .get(app.url("/api/v1/organisations/liens-quebec"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(fetched["summary"], "Des familles qui s'entraident.");
    assert_eq!(
        fetched["wants_to_learn"],
        json!(["housing"]),
        "PATCH keeps other fields"
    );
    assert_eq!(fetched["offers_to_share"], json!(["power-accountability"]));
    let me: Value = anonymous
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(me["organisations"][0]["handle"], "liens-quebec");
    let list: Value = anonymous
        .get(app.url("/api/v1/organisations"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(list["total"], 1);

    // Revoke it on the settings page; it stops working at once.
    let tokens: Value = anonymous
        .get(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let id = tokens[0]["id"].as_str().expect("id").to_string();
    let response = app
        .post_form(&format!("/settings/tokens/{id}/revoke"), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let response = anonymous
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 401);

    // The OpenAPI document describes these endpoints.
    let spec: Value = anonymous
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    for path in [
        "/api/v1/me",
        "/api/v1/organisations",
        "/api/v1/organisations/{handle}",
        "/api/v1/tokens",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} documented");
    }
    assert!(
        spec["components"]["schemas"]["OrganisationView"]["properties"]["wants_to_learn"]
            .is_object()
    );
}

async fn api_permissions(backend: Backend) {
    let app = spawn_app(backend).await;
    app.create_user("owner", Role::Member).await;
    app.create_user("stranger", Role::Member).await;
    app.create_user("boss", Role::Admin).await;
    let owner = app.api_token("owner").await;
    let stranger = app.api_token("stranger").await;
    let boss = app.api_token("boss").await;
    let body = json!({"handle": "filia", "name": "Filia", "country": "GR", "languages": ["el"], "kind": "provider"});
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&owner)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 201);
    let response = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&owner)
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status().as_u16(), 409);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "handle_taken"
    );

    let change =
        json!({"name": "Not Filia", "country": "GR", "languages": ["el"], "kind": "provider"});
    let response = app
        .client
        .put(app.url("/api/v1/organisations/filia"))
        .bearer_auth(&stranger)
        .json(&change)
        .send()
        .await
        .expect("put");
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "forbidden"
    );
    let org = app
        .db
        .run(|conn| mutual::organisations::get(conn, "filia"))
        .await
        .expect("org");
    assert_eq!(org.profile.name, "Filia", "nothing changed");

    // Instance administrators may correct any profile.
    let response = app
        .client
        .put(app.url("/api/v1/organisations/filia"))
        .bearer_auth(&boss)
        .json(&change)
        .send()
        .await
        .expect("put");
    assert_eq!(response.status().as_u16(), 200);

    // Cookie-authenticated API writes need the CSRF header.
    app.log_in("owner").await;
    let response = app
        .client
        .patch(app.url("/api/v1/organisations/filia"))
        .json(&json!({"summary": "x"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "csrf_failed"
    );
    let token = app.csrf().await;
    let response = app
        .client
        .patch(app.url("/api/v1/organisations/filia"))
        .header("x-csrf-token", token)
        .json(&json!({"summary": "With the header"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(response.status().as_u16(), 200);

    // Unknown API paths answer in JSON.
    let response = app.get("/api/v1/nothing-here").await;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        response.json::<Value>().await.expect("json")["error"],
        "not_found"
    );
}

async fn sign_up_modes(backend: Backend) {
    let closed = spawn_app_with(backend, |c| c.registration = Registration::Closed).await;
    let response = closed
        .post_form(
            "/signup",
            &[
                ("username", "someone"),
                ("email", "s@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);

    let open = spawn_app_with(backend, |c| c.registration = Registration::Open).await;
    let response = open
        .post_form(
            "/signup",
            &[
                ("username", "opener"),
                ("email", "o@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    open.log_in("opener").await;

    let invite = spawn_app_with(backend, |c| c.registration = Registration::Invite).await;
    let response = invite
        .post_form(
            "/signup",
            &[
                ("username", "guest"),
                ("email", "g@example.org"),
                ("password", PASSWORD),
                ("invitation", "inv_wrong"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let admin = invite.create_user("inviter", Role::Admin).await;
    let admin_browser = invite.another_browser();
    admin_browser.log_in(&admin.username).await;
    let page = admin_browser
        .post_form("/admin/invitations", &[])
        .await
        .text()
        .await
        .expect("body");
    let start = page.find("inv_").expect("code shown");
    let code: String = page[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let response = invite
        .post_form(
            "/signup",
            &[
                ("username", "guest"),
                ("email", "g@example.org"),
                ("password", PASSWORD),
                ("invitation", &code),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    invite.log_in("guest").await;
    let second = invite.another_browser();
    let response = second
        .post_form(
            "/signup",
            &[
                ("username", "guest2"),
                ("email", "g2@example.org"),
                ("password", PASSWORD),
                ("invitation", &code),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422, "an invitation works once");

    // Field problems are all reported together, linked to their fields.
    let response = open
        .post_form(
            "/signup",
            &[("username", "1x"), ("email", "nope"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let page = response.text().await.expect("body");
    for field in ["username", "email", "password"] {
        assert!(
            page.contains(&format!("href=\"#field-{field}\"")),
            "{field} error linked"
        );
    }
    assert!(page.contains("aria-invalid=\"true\""));

    // Role changes on the admin page.
    let member = invite
        .db
        .query(|conn| mutual::accounts::find_by_username(conn, "guest"))
        .await
        .expect("query")
        .expect("guest");
    let response = admin_browser
        .post_form(
            &format!("/admin/users/{}/role", member.id),
            &[("role", "moderator")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let changed = invite
        .db
        .run(move |conn| mutual::accounts::get_user(conn, &member.id))
        .await
        .expect("user");
    assert_eq!(changed.role, "moderator");
    // …and only administrators may use it.
    let response = invite.get("/admin").await;
    assert_eq!(response.status().as_u16(), 403);
    let response = invite
        .post_form(
            &format!("/admin/users/{}/role", admin.id),
            &[("role", "member")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 403);
}

async fn health(backend: Backend) {
    let app = spawn_app(backend).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers().contains_key("x-request-id"),
        "request ids are returned"
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["database"], "ok");
    assert_eq!(
        body["backend"],
        match backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    );
    let (status, home) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(home.contains("href=\"#main\""), "skip link");
    let css = app.get("/static/site.css").await;
    assert_eq!(css.status().as_u16(), 200);
    assert!(css.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/css"));
}
