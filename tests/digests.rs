//! Follows and digest settings through the API, on both databases.

mod common;

use common::{spawn_app, Backend};
use serde_json::{json, Value};

use common::call;

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

mod delivery {
    use std::process::Command;
    use std::time::Duration;

    use super::call;
    use crate::common::smtp::{SmtpOptions, SmtpServer};
    use crate::common::{spawn_app_with, Backend};
    use diesel::prelude::*;
    use mutual::config::{MailTransportKind, SmtpSecurity};
    use serde_json::json;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_digest_arrives_once_with_one_click_unsubscribe() {
        let smtp = SmtpServer::start();
        let port = smtp.port();
        let app = spawn_app_with(Backend::Sqlite, move |config| {
            config.mail.transport = MailTransportKind::Smtp;
            config.mail.smtp_host = Some("127.0.0.1".into());
            config.mail.smtp_port = port;
            config.mail.smtp_security = SmtpSecurity::None;
            config.mail.digest_check_seconds = 1;
        })
        .await;
        let (editor, _) = app.organisation_with_team("northlight", "GB-ENG").await;
        let (status, guide) = call(
            &app,
            reqwest::Method::POST,
            "/api/v1/guides",
            Some(&editor),
            Some(json!({
                "organisation": "northlight", "title": "Banking unused hours", "lang": "en",
                "summary": "How we keep hours for later.", "body": "We record unused hours.",
            })),
        )
        .await;
        assert_eq!(status, 201, "{guide}");
        let id = guide["id"].as_str().expect("id");
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            &format!("/api/v1/guides/{id}/publish"),
            Some(&editor),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 200);

        let reader = app
            .create_user("reader", mutual::accounts::Role::Member)
            .await;
        let token = app.api_token("reader").await;
        let (status, _) = call(
            &app,
            reqwest::Method::POST,
            "/api/v1/me/follows",
            Some(&token),
            Some(json!({"kind": "organisation", "target": "northlight"})),
        )
        .await;
        assert_eq!(status, 201);
        // Someone following a topic with nothing new gets nothing.
        app.create_user("quiet", mutual::accounts::Role::Member)
            .await;
        let quiet = app.api_token("quiet").await;
        call(
            &app,
            reqwest::Method::POST,
            "/api/v1/me/follows",
            Some(&quiet),
            Some(json!({"kind": "topic", "target": "spirituality"})),
        )
        .await;
        for t in [&token, &quiet] {
            let (status, _) = call(
                &app,
                reqwest::Method::PUT,
                "/api/v1/me/digest",
                Some(t),
                Some(json!({"frequency": "daily", "hour": 0, "timezone": "UTC"})),
            )
            .await;
            assert_eq!(status, 200);
        }

        let mails = smtp.wait_for_async(1, Duration::from_secs(30)).await;
        let digest = &mails[0];
        assert_eq!(digest.rcpt_tos, vec!["reader@example.org".to_string()]);
        assert!(digest
            .header("To")
            .expect("To")
            .contains("reader@example.org"));
        assert_eq!(
            digest.header("Subject").as_deref(),
            Some("1 new item on Mutual")
        );
        assert!(digest.header("Date").is_some());
        assert!(digest
            .header("Message-ID")
            .expect("id")
            .starts_with("<digest."));
        assert_eq!(
            digest.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let unsubscribe = digest.header("List-Unsubscribe").expect("List-Unsubscribe");
        let unsubscribe = unsubscribe
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string();
        assert!(
            unsubscribe.starts_with(&app.url("/unsubscribe/")),
            "{unsubscribe}"
        );
        let text = digest.text().expect("text");
        let html = digest.html().expect("html");
        assert!(text.contains("Banking unused hours") && html.contains("Banking unused hours"));
        assert!(
            html.contains("<h2") && !html.contains("<table"),
            "headings, no layout tables"
        );
        let item = guide["url"].as_str().expect("url");
        assert!(
            digest.links().iter().any(|l| l == item),
            "{:?}",
            digest.links()
        );
        assert_eq!(
            reqwest::get(item).await.expect("get").status().as_u16(),
            200
        );

        // Later rounds of the scheduler send nothing more for the same day.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(smtp.messages().len(), 1, "one digest per period");
        let statuses: Vec<(String, String)> = app
            .db
            .query(|conn| {
                use mutual::db::schema::{digest_deliveries as d, users as u};
                d::table
                    .inner_join(u::table)
                    .select((u::username, d::status))
                    .order(u::username.asc())
                    .load(conn)
            })
            .await
            .expect("rows");
        assert_eq!(
            statuses,
            vec![
                ("quiet".into(), "empty".into()),
                ("reader".into(), "sent".into())
            ]
        );

        // One-click unsubscribe: a POST with no cookie. Forged and expired tokens fail.
        let client = reqwest::Client::new();
        let forged = unsubscribe.replacen(&reader.id, "someone-else", 1);
        for bad in [forged, {
            let secret: String = app
                .db
                .query(|conn| mutual::db::get_setting(conn, "secret_key"))
                .await
                .expect("secret")
                .expect("set");
            let old = mutual::digests::unsubscribe::token(
                secret.as_bytes(),
                &reader.id,
                chrono::Utc::now() - chrono::Duration::days(61),
            );
            app.url(&format!("/unsubscribe/{old}"))
        }] {
            let response = client
                .post(&bad)
                .form(&[("List-Unsubscribe", "One-Click")])
                .send()
                .await
                .expect("post");
            assert_eq!(response.status().as_u16(), 400, "{bad}");
        }
        let (_, settings) = call(
            &app,
            reqwest::Method::GET,
            "/api/v1/me/digest",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(settings["frequency"], "daily");
        let response = client
            .post(&unsubscribe)
            .form(&[("List-Unsubscribe", "One-Click")])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status().as_u16(), 200);
        let (_, settings) = call(
            &app,
            reqwest::Method::GET,
            "/api/v1/me/digest",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(settings["frequency"], "never");
    }

    /// Members made straight in the database: each follows every demo organisation, daily.
    fn members(db: &mutual::db::Db, count: usize) -> Vec<String> {
        let mut conn = db.get().expect("connection");
        mutual::demo::load(&mut conn, &mutual::demo::Corpus::built_in()).expect("demo");
        let handles: Vec<String> = mutual::db::schema::organisations::table
            .select(mutual::db::schema::organisations::handle)
            .load(&mut *conn)
            .expect("handles");
        let mut emails = Vec::new();
        for n in 0..count {
            let user = mutual::accounts::create_account(
                &mut conn,
                &mutual::accounts::NewAccount {
                    username: format!("member{n}"),
                    email: format!("member{n}@example.org"),
                    password: crate::common::PASSWORD.into(),
                    ..Default::default()
                },
                mutual::accounts::Role::Member,
                mutual::accounts::Status::Active,
            )
            .expect("member");
            for handle in &handles {
                mutual::digests::follows::add(
                    &mut conn,
                    &user.id,
                    mutual::digests::follows::FollowKind::Organisation,
                    handle,
                )
                .expect("follow");
            }
            let mut settings = mutual::digests::settings::DigestSettings::default();
            settings.frequency = mutual::digests::settings::Frequency::Daily;
            settings.hour = 0;
            mutual::digests::settings::save(&mut conn, &user.id, &settings).expect("settings");
            emails.push(user.email);
        }
        emails
    }

    #[test]
    fn a_run_killed_midway_and_run_again_sends_everyone_their_digest_once() {
        let smtp = SmtpServer::start_with(SmtpOptions {
            // Slow enough that the kill lands between messages, as a crash usually would.
            rcpt_delay: Some(Duration::from_millis(150)),
            ..Default::default()
        });
        let database = crate::common::TestDatabase::new(Backend::Sqlite);
        let db = database.open();
        let emails = members(&db, 20);
        let data = database.dir.path().join("data");
        let url = database.url_string();
        let port = smtp.port().to_string();
        let run = || {
            let mut command = Command::new(env!("CARGO_BIN_EXE_mutual"));
            command
                .env("MUTUAL_DATA_DIR", &data)
                .env("MUTUAL_DATABASE_URL", &url)
                .env("MUTUAL_MAIL__TRANSPORT", "smtp")
                .env("MUTUAL_MAIL__SMTP_HOST", "127.0.0.1")
                .env("MUTUAL_MAIL__SMTP_PORT", &port)
                .env("MUTUAL_MAIL__SMTP_SECURITY", "none")
                .args(["digest", "run"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            command
        };
        // Looking first sends nothing.
        let mut dry = run();
        dry.args(["--dry-run"]);
        let dry = dry.output().expect("dry run");
        let out = String::from_utf8_lossy(&dry.stdout);
        assert!(
            out.contains("member0") && out.contains("20 member(s) due. Nothing was sent"),
            "{dry:?}"
        );
        let preview = Command::new(env!("CARGO_BIN_EXE_mutual"))
            .env("MUTUAL_DATA_DIR", &data)
            .env("MUTUAL_DATABASE_URL", &url)
            .args(["digest", "preview", "--member", "member3"])
            .output()
            .expect("preview");
        let out = String::from_utf8_lossy(&preview.stdout);
        assert!(
            out.contains("Subject: ")
                && out.contains("From Northlight Support")
                && out.contains("Unsubscribe: "),
            "{preview:?}"
        );
        assert!(smtp.messages().is_empty(), "neither sent anything");
        let mut child = run().spawn().expect("start a digest run");
        let sent = || -> i64 {
            use mutual::db::schema::digest_deliveries as d;
            let mut conn = db.get().expect("connection");
            d::table
                .filter(d::status.eq("sent"))
                .count()
                .get_result(&mut *conn)
                .unwrap_or(0)
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while sent() < 7 {
            assert!(
                std::time::Instant::now() < deadline,
                "the run did not get going"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        let after_kill = smtp.messages().len();
        assert!(
            after_kill < emails.len(),
            "killed before the end ({after_kill})"
        );

        let second = run().output().expect("second run");
        assert!(second.status.success(), "{second:?}");
        let mails = smtp.wait_for(emails.len(), Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(500));
        let mails = if smtp.messages().len() > mails.len() {
            smtp.messages()
        } else {
            mails
        };
        // Exactly one digest each, except where the kill fell between the SMTP server's
        // acceptance and the run marking the delivery sent: no SMTP client can close that
        // window, so such a digest is sent again with the same Message-ID, which mail
        // programs show once (docs/EMAIL.md). At most the 8 sends in flight can be repeated.
        let mut per_member: std::collections::BTreeMap<String, Vec<String>> =
            std::collections::BTreeMap::new();
        for mail in &mails {
            for to in &mail.rcpt_tos {
                per_member
                    .entry(to.clone())
                    .or_default()
                    .push(mail.header("Message-ID").unwrap_or_default().to_string());
            }
        }
        let mut repeated = 0;
        for email in &emails {
            let ids = per_member.get(email).cloned().unwrap_or_default();
            assert!(!ids.is_empty(), "{email} got no digest: {per_member:?}");
            assert!(
                ids.iter().all(|id| !id.is_empty() && *id == ids[0]),
                "{email}: copies of one digest share its Message-ID: {ids:?}"
            );
            repeated += ids.len() - 1;
        }
        assert!(repeated <= 8, "{repeated} repeated sends: {per_member:?}");
        // A third run finds nothing to do.
        let third = run().output().expect("third run");
        assert!(
            String::from_utf8_lossy(&third.stdout).contains("Planned 0, sent 0"),
            "{third:?}"
        );
        assert_eq!(
            smtp.messages().len(),
            emails.len() + repeated,
            "the third run sent nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_follow_save_searches_and_change_the_digest() {
    let app = spawn_app(Backend::Sqlite).await;
    app.organisation_with_team("northlight", "GB-ENG").await;
    app.create_user("reader", mutual::accounts::Role::Member)
        .await;
    app.log_in("reader").await;
    let (_, profile) = app.get_text("/organisations/northlight").await;
    assert!(
        profile.contains("in my email digest"),
        "a follow button for members"
    );
    let response = app
        .post_form(
            "/follows",
            &[
                ("kind", "organisation"),
                ("target", "northlight"),
                ("back", "/organisations/northlight"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, search) = app.get_text("/search?q=hours&topic=personnel").await;
    assert!(
        search.contains(r#"form="save-search""#)
            && search.contains(r#"value="q=hours&amp;topic=personnel""#),
        "{search}"
    );
    let response = app
        .post_form(
            "/follows",
            &[
                ("kind", "search"),
                ("target", "q=hours&topic=personnel"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response.headers()["location"],
        "/settings#follows",
        "no redirect off the site"
    );
    let response = app
        .post_form(
            "/settings/digest",
            &[
                ("frequency", "daily"),
                ("hour", "18"),
                ("weekday", "3"),
                ("timezone", "Europe/Prague"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let (_, settings) = app.get_text("/settings?saved=digest").await;
    assert!(settings.contains("Your digest settings are saved."));
    assert!(settings.contains(r#"id="digest-daily" name="frequency" value="daily" checked"#));
    assert!(settings.contains(r#"<option selected>Europe/Prague</option>"#));
    assert!(
        settings.contains("Org northlight") && settings.contains("“hours” · topic: personnel"),
        "{settings}"
    );
    let response = app
        .post_form(
            "/settings/digest",
            &[("frequency", "daily"), ("timezone", "Nowhere/Special")],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_addresses_are_retried_or_paused_as_the_server_says() {
    use common::smtp::{SmtpOptions, SmtpServer};
    use diesel::prelude::*;
    let smtp = SmtpServer::start_with(SmtpOptions {
        reject: vec![
            ("flaky@example.org".into(), 451),
            ("gone@example.org".into(), 550),
        ],
        ..Default::default()
    });
    let port = smtp.port();
    let app = common::spawn_app_with(Backend::Sqlite, move |config| {
        config.mail.transport = mutual::config::MailTransportKind::Smtp;
        config.mail.smtp_host = Some("127.0.0.1".into());
        config.mail.smtp_port = port;
        config.mail.smtp_security = mutual::config::SmtpSecurity::None;
        config.mail.digest_check_seconds = 1;
    })
    .await;
    let (editor, _) = app.organisation_with_team("northlight", "GB-ENG").await;
    let (_, guide) = call(&app, reqwest::Method::POST, "/api/v1/guides", Some(&editor),
        Some(json!({"organisation": "northlight", "title": "Circles of support", "lang": "en", "body": "x"}))).await;
    let id = guide["id"].as_str().expect("id");
    call(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/guides/{id}/publish"),
        Some(&editor),
        Some(json!({})),
    )
    .await;
    for name in ["flaky", "gone"] {
        let user = app.create_user(name, mutual::accounts::Role::Member).await;
        let token = app.api_token(name).await;
        call(
            &app,
            reqwest::Method::POST,
            "/api/v1/me/follows",
            Some(&token),
            Some(json!({"kind": "organisation", "target": "northlight"})),
        )
        .await;
        let (status, _) = call(
            &app,
            reqwest::Method::PUT,
            "/api/v1/me/digest",
            Some(&token),
            Some(json!({"frequency": "daily", "hour": 0, "timezone": "UTC"})),
        )
        .await;
        assert_eq!(status, 200);
        if name == "gone" {
            // Two refusals already: the third pauses the digests.
            let id = user.id.clone();
            app.db
                .query(move |conn| {
                    use mutual::db::schema::digest_settings as s;
                    diesel::update(s::table.filter(s::user_id.eq(&id)))
                        .set(s::bounces.eq(2))
                        .execute(conn)
                })
                .await
                .expect("bounces");
        }
    }
    let state = |name: &'static str| {
        let db = app.db.clone();
        async move {
            db.query(move |conn| {
                use mutual::db::schema::{digest_deliveries as d, users as u};
                d::table
                    .inner_join(u::table)
                    .filter(u::username.eq(name))
                    .select((d::status, d::attempts, d::next_attempt_at))
                    .first::<(String, i32, Option<chrono::NaiveDateTime>)>(conn)
                    .optional()
            })
            .await
            .expect("state")
        }
    };
    let mut done = false;
    for _ in 0..100 {
        if matches!(state("gone").await, Some((s, _, _)) if s == "failed")
            && matches!(state("flaky").await, Some((_, a, Some(_))) if a >= 1)
        {
            done = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        done,
        "gone: {:?}, flaky: {:?}",
        state("gone").await,
        state("flaky").await
    );
    let (status, attempts, next) = state("flaky").await.expect("flaky");
    assert_eq!(
        (status.as_str(), attempts),
        ("pending", 1),
        "a 4xx is tried again later, not at once"
    );
    assert!(
        next.expect("next attempt") > chrono::Utc::now().naive_utc(),
        "after a pause"
    );
    let gone = app.api_token("gone").await;
    let (_, settings) = call(
        &app,
        reqwest::Method::GET,
        "/api/v1/me/digest",
        Some(&gone),
        None,
    )
    .await;
    assert_eq!(settings["paused"], true, "three refusals pause the digests");
    assert!(smtp.messages().is_empty());
}
