//! Account mail over a real SMTP server on loopback (Python's aiosmtpd, started by the
//! harness): sign-up confirmation, approval notice, password reset with single-use,
//! expiring links; refusals by the mail server; and the default outbox folder.

mod common;

use std::time::Duration;

use common::smtp::{ReceivedMail, SmtpServer};
use common::{spawn_app, spawn_app_with, Backend, TestApp, PASSWORD};
use mutual::config::{MailTransportKind, SmtpSecurity};

async fn app_with_smtp(smtp: &SmtpServer) -> TestApp {
    let port = smtp.port();
    spawn_app_with(Backend::Sqlite, move |config| {
        config.mail.transport = MailTransportKind::Smtp;
        config.mail.smtp_host = Some("127.0.0.1".into());
        config.mail.smtp_port = port;
        config.mail.smtp_security = SmtpSecurity::None;
        config.mail.from = Some("Mutual test <no-reply@mutual.test>".into());
    })
    .await
}

/// The one link in a mail that starts with `prefix` (an absolute URL on the app), as a path.
fn link_path(app: &TestApp, mail: &ReceivedMail, prefix: &str) -> String {
    let links = mail.links();
    let wanted = app.url(prefix);
    let found: Vec<&String> = links.iter().filter(|l| l.starts_with(&wanted)).collect();
    assert!(!found.is_empty(), "no {prefix} link in {links:?}");
    let text = mail.text().expect("a text part");
    let html = mail.html().expect("an HTML part");
    assert!(
        text.contains(found[0].as_str()) && html.contains(found[0].as_str()),
        "both parts carry the link"
    );
    found[0].trim_start_matches(&app.address).to_string()
}

async fn sign_up(app: &TestApp, username: &str) {
    let response = app
        .post_form(
            "/signup",
            &[
                ("username", username),
                ("email", &format!("{username}@example.org")),
                ("password", PASSWORD),
                ("reason", "We run supported living in Leeds."),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_approval_and_password_reset_mails_arrive_and_their_links_work() {
    let smtp = SmtpServer::start();
    let app = app_with_smtp(&smtp).await;

    // Sign-up sends a confirmation with a working, single-use link.
    sign_up(&app, "rosa").await;
    let mails = smtp.wait_for(1, Duration::from_secs(20));
    let confirm = &mails[0];
    assert_eq!(confirm.rcpt_tos, vec!["rosa@example.org".to_string()]);
    assert_eq!(confirm.mail_from, "no-reply@mutual.test");
    assert_eq!(
        confirm.header("From").as_deref(),
        Some("\"Mutual test\" <no-reply@mutual.test>")
    );
    assert!(confirm
        .header("To")
        .expect("To")
        .contains("rosa@example.org"));
    assert!(confirm
        .header("Subject")
        .expect("Subject")
        .starts_with("Confirm your email address"));
    assert!(confirm.header("Date").is_some());
    let message_id = confirm.header("Message-ID").expect("Message-ID");
    assert!(message_id.starts_with('<') && message_id.ends_with("@mutual.test>"));
    let path = link_path(&app, confirm, "/confirm-email/");
    let (status, page) = app.get_text(&path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Your email address is confirmed"));
    let (status, _) = app.get_text(&path).await;
    assert_eq!(status, 400, "a used link does not work twice");
    let confirmed = app
        .db
        .query(|conn| mutual::accounts::find_by_username(conn, "rosa"))
        .await
        .expect("query")
        .expect("rosa");
    assert!(confirmed.email_confirmed_at.is_some());

    // An administrator's approval is announced.
    let admin = app
        .create_user("admin", mutual::accounts::Role::Admin)
        .await;
    assert!(
        admin.email_confirmed_at.is_some(),
        "admin-made accounts count as confirmed"
    );
    app.log_in("admin").await;
    let response = app
        .post_form(&format!("/admin/users/{}/approve", confirmed.id), &[])
        .await;
    assert_eq!(response.status().as_u16(), 303);
    let mails = smtp.wait_for(2, Duration::from_secs(20));
    assert!(mails[1]
        .header("Subject")
        .expect("Subject")
        .contains("is ready"));
    assert!(mails[1].text().expect("text").contains("rosa"));

    // Forgot password: an unknown name gets the same answer and no mail.
    let visitor = app.another_browser();
    let response = visitor
        .post_form("/password/forgot", &[("login", "nobody-here")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let unknown_page = response.text().await.expect("page");
    let response = visitor
        .post_form("/password/forgot", &[("login", "rosa@example.org")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .text()
            .await
            .expect("page")
            .replace(char::is_whitespace, "")
            .len(),
        unknown_page.replace(char::is_whitespace, "").len(),
        "the page does not tell whether the account exists"
    );
    let mails = smtp.wait_for(3, Duration::from_secs(20));
    assert_eq!(mails.len(), 3, "no mail for an unknown account");
    let reset = &mails[2];
    assert!(reset
        .header("Subject")
        .expect("Subject")
        .starts_with("Reset your password"));
    let path = link_path(&app, reset, "/password/reset/");
    let (status, form) = visitor.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(form.contains("Choose a new password"));
    let response = visitor
        .post_form(
            &path,
            &[
                ("password", "a brand new password"),
                ("password_again", "another one entirely"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 422);
    let response = visitor
        .post_form(
            &path,
            &[
                ("password", "a brand new password"),
                ("password_again", "a brand new password"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let response = visitor
        .post_form(
            &path,
            &[
                ("password", "yet another password"),
                ("password_again", "yet another password"),
            ],
        )
        .await;
    assert_eq!(response.status().as_u16(), 400, "the link works once");

    let logins = |password: &'static str| {
        let browser = app.another_browser();
        async move {
            browser
                .post_form(
                    "/login",
                    &[("login", "rosa"), ("password", password), ("next", "/")],
                )
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(logins("a brand new password").await, 303);
    assert_eq!(
        logins(PASSWORD).await,
        401,
        "the old password no longer works"
    );

    // An expired link is refused.
    let response = visitor
        .post_form("/password/forgot", &[("login", "rosa")])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let mails = smtp.wait_for(4, Duration::from_secs(20));
    let path = link_path(&app, &mails[3], "/password/reset/");
    app.db
        .query(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("UPDATE account_tokens SET expires_at = '2000-01-01 00:00:00'")
                .execute(conn)
        })
        .await
        .expect("expire");
    let (status, page) = visitor.get_text(&path).await;
    assert_eq!(status, 400);
    assert!(page.contains("This link does not work"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_fails_once_and_is_not_retried() {
    let smtp = SmtpServer::start_with(common::smtp::SmtpOptions {
        reject: vec![("bounce@example.org".into(), 550)],
        ..Default::default()
    });
    let app = app_with_smtp(&smtp).await;
    sign_up(&app, "bounce").await;
    sign_up(&app, "fine").await;
    smtp.wait_for(1, Duration::from_secs(20));
    // The refused one is recorded as failed for good after one attempt.
    let mut state = (String::new(), 0);
    for _ in 0..100 {
        state = app
            .db
            .query(|conn| {
                use diesel::prelude::*;
                use mutual::db::schema::jobs;
                jobs::table
                    .filter(jobs::kind.eq("mail.send"))
                    .filter(jobs::payload.like("%bounce@example.org%"))
                    .select((jobs::state, jobs::attempts))
                    .first::<(String, i32)>(conn)
            })
            .await
            .expect("job");
        if state.0 == "failed" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        state,
        ("failed".to_string(), 1),
        "permanent refusals are not retried"
    );
    assert_eq!(
        smtp.messages().len(),
        1,
        "only the other address received mail"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_mail_server_messages_go_to_the_outbox_folder() {
    let app = spawn_app(Backend::Sqlite).await;
    sign_up(&app, "offline").await;
    let outbox = app.data_dir.join("outbox");
    let mut found = None;
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(&outbox) {
            found = entries
                .flatten()
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "eml"));
        }
        if found.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let file = found.expect("an .eml file in the outbox");
    let raw = std::fs::read_to_string(file).expect("read");
    assert!(
        raw.contains("To: offline <offline@example.org>") || raw.contains("offline@example.org")
    );
    assert!(raw.contains("Subject: Confirm your email address"));
    assert!(raw.contains("multipart/alternative"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn smtp_credentials_from_the_configuration_are_used() {
    let smtp = SmtpServer::start_with(common::smtp::SmtpOptions {
        auth: Some(("mutual".into(), "s3cret pass".into())),
        ..Default::default()
    });
    let port = smtp.port();
    let app = spawn_app_with(Backend::Sqlite, move |config| {
        config.mail.transport = MailTransportKind::Smtp;
        config.mail.smtp_host = Some("127.0.0.1".into());
        config.mail.smtp_port = port;
        config.mail.smtp_security = SmtpSecurity::None;
        config.mail.smtp_username = Some("mutual".into());
        config.mail.smtp_password = Some("s3cret pass".into());
    })
    .await;
    sign_up(&app, "authed").await;
    let mails = smtp.wait_for(1, Duration::from_secs(20));
    assert_eq!(mails[0].rcpt_tos, vec!["authed@example.org".to_string()]);
}
