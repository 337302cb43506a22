//! The SMTP test harness itself (tests/common/smtp.rs and tests/smtp/server.py), checked
//! end to end with lettre's SMTP client: what is sent arrives, and reads back exactly;
//! rejected recipients fail the way a real server makes them fail; AUTH is enforced.

mod common;

use std::time::{Duration, SystemTime};

use common::smtp::{SmtpOptions, SmtpServer};
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

const WAIT: Duration = Duration::from_secs(10);

fn transport(server: &SmtpServer) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.port())
        .timeout(Some(Duration::from_secs(10)))
        .build()
}

fn authenticating_transport(
    server: &SmtpServer,
    user: &str,
    password: &str,
) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.port())
        .timeout(Some(Duration::from_secs(10)))
        .credentials(Credentials::new(user.to_owned(), password.to_owned()))
        .build()
}

fn mailbox(s: &str) -> Mailbox {
    s.parse().expect("mailbox")
}

fn simple_message(to: &str, subject: &str) -> Message {
    Message::builder()
        .from(mailbox("Mutual <noreply@example.test>"))
        .to(mailbox(to))
        .subject(subject)
        .body(format!("Body of {subject}"))
        .expect("build a simple message")
}

// A long subject with non-ASCII text: lettre sends it as folded RFC 2047 encoded words,
// so reading it back exercises both unfolding and decoding.
const SUBJECT: &str =
    "Your weekly digest – Ünïcode, ümlauts and a subject long enough to be folded";
const TEXT: &str = "Hello Ada,\n\
    \n\
    Three new replies are waiting – ça va? Read them at https://example.test/digest/1?a=1&b=2.\n\
    A line long enough that quoted-printable has to wrap it with a soft line break, because its limit is 76 characters.\n\
    .A line that starts with a dot, which SMTP has to dot-stuff.\n\
    Stop these emails: https://example.test/u/abc\n";
const BOUNDARY: &str = "harness-boundary-0123456789-abcdefghijklmnop";
const HTML: &str = "<!doctype html><html><body>\
    <p>Hello Ada – three new replies are waiting.</p>\
    <p><a href=\"https://example.test/digest/1?a=1&amp;b=2\">Read them</a></p>\
    <p><a href='https://example.test/settings'>Settings</a> · \
    <a href=\"mailto:help@example.test\">Help</a></p>\
    <p><a HREF=\"https://example.test/u/abc\">Unsubscribe</a></p>\
    </body></html>";

#[tokio::test]
async fn multipart_message_arrives_and_reads_back_exactly() {
    let server = SmtpServer::start();

    // Wed, 15 Nov 2023 22:13:20 UTC.
    let date = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_086_400);
    let email = Message::builder()
        .from(mailbox("Mutual <noreply@example.test>"))
        .to(mailbox("Ada Lovelace <ada@example.test>"))
        .subject(SUBJECT)
        .date(date)
        .message_id(Some("<digest-1.ada@example.test>".to_owned()))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            "<https://example.test/u/abc>".to_owned(),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".to_owned(),
        ))
        .multipart(
            MultiPart::alternative()
                .boundary(BOUNDARY)
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .header(ContentTransferEncoding::QuotedPrintable)
                        .body(TEXT.to_owned()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .header(ContentTransferEncoding::Base64)
                        .body(HTML.to_owned()),
                ),
        )
        .expect("build the digest message");
    let sent = email.formatted();

    transport(&server)
        .send(email)
        .await
        .expect("the server accepts the message");

    let mails = server.wait_for_async(1, WAIT).await;
    assert_eq!(mails.len(), 1, "exactly one message arrives");
    let mail = &mails[0];
    assert_eq!(mail.file_name, "000001.eml");

    // The envelope.
    assert_eq!(mail.mail_from, "noreply@example.test");
    assert_eq!(mail.rcpt_tos, vec!["ada@example.test".to_owned()]);
    assert!(!mail.received_at.is_empty());

    // The bytes are what lettre formatted, plus one CRLF: lettre ends DATA with
    // "\r\n.\r\n" even when the message already ends in CRLF, so an empty line arrives
    // after the last one (here after the closing MIME boundary, where it does no harm).
    let mut expected = sent.clone();
    expected.extend_from_slice(b"\r\n");
    assert_eq!(
        String::from_utf8_lossy(&mail.raw),
        String::from_utf8_lossy(&expected)
    );
    let raw = String::from_utf8_lossy(&mail.raw);
    // The encodings that the readers below must undo are really there.
    assert!(
        raw.contains("Subject: Your weekly digest =?utf-8?b?"),
        "encoded words in the subject: {raw}"
    );
    assert!(
        raw.contains("?= and\r\n a subject long"),
        "folded subject: {raw}"
    );
    assert!(raw.contains("Content-Transfer-Encoding: quoted-printable"));
    assert!(raw.contains("Content-Transfer-Encoding: base64"));
    assert!(!raw.contains("ça va"), "the text part is not sent as 8-bit");
    assert!(!raw.contains("</a>"), "the HTML part is not sent in clear");

    // Headers.
    assert_eq!(
        mail.header("From").as_deref(),
        Some("Mutual <noreply@example.test>")
    );
    assert_eq!(
        mail.header("To").as_deref(),
        Some("\"Ada Lovelace\" <ada@example.test>")
    );
    assert_eq!(mail.header("Subject").as_deref(), Some(SUBJECT));
    assert_eq!(mail.header_all("Subject").len(), 1);
    assert_eq!(
        mail.header("Date").as_deref(),
        Some("Wed, 15 Nov 2023 22:13:20 +0000")
    );
    assert_eq!(
        mail.header("Message-ID").as_deref(),
        Some("<digest-1.ada@example.test>")
    );
    assert_eq!(
        mail.header("message-id"),
        mail.header("Message-ID"),
        "names are case-insensitive"
    );
    assert_eq!(
        mail.header("List-Unsubscribe").as_deref(),
        Some("<https://example.test/u/abc>")
    );
    assert_eq!(
        mail.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(mail.header("MIME-Version").as_deref(), Some("1.0"));
    // lettre folds this one before its parameter: read back as one line.
    assert!(raw.contains("Content-Type: multipart/alternative;\r\n boundary="));
    assert_eq!(
        mail.header("Content-Type"),
        Some(format!("multipart/alternative; boundary=\"{BOUNDARY}\""))
    );
    assert_eq!(mail.header("X-Not-There"), None);

    // Both parts, decoded. lettre sends line ends as CRLF.
    assert_eq!(
        mail.text().map(|t| t.replace("\r\n", "\n")).as_deref(),
        Some(TEXT)
    );
    assert_eq!(mail.html().as_deref(), Some(HTML));

    // Links: hrefs of the HTML part (entities decoded, mailto: left out), then the text's.
    assert_eq!(
        mail.html_links(),
        vec![
            "https://example.test/digest/1?a=1&b=2",
            "https://example.test/settings",
            "https://example.test/u/abc",
        ]
    );
    assert_eq!(
        mail.text_links(),
        vec![
            "https://example.test/digest/1?a=1&b=2",
            "https://example.test/u/abc"
        ]
    );
    assert_eq!(
        mail.links(),
        vec![
            "https://example.test/digest/1?a=1&b=2",
            "https://example.test/settings",
            "https://example.test/u/abc",
        ]
    );
}

#[tokio::test]
async fn messages_are_kept_in_arrival_order_with_their_envelopes() {
    let server = SmtpServer::start();
    let mailer = transport(&server);
    for (to, subject) in [
        ("ada@example.test", "first"),
        ("grace@example.test", "second"),
        ("edsger@example.test", "third"),
    ] {
        mailer
            .send(simple_message(to, subject))
            .await
            .expect("send");
    }
    let mails = server.wait_for_async(3, WAIT).await;
    let seen: Vec<(String, Vec<String>, Option<String>)> = mails
        .iter()
        .map(|m| (m.file_name.clone(), m.rcpt_tos.clone(), m.header("Subject")))
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "000001.eml".to_owned(),
                vec!["ada@example.test".to_owned()],
                Some("first".to_owned())
            ),
            (
                "000002.eml".to_owned(),
                vec!["grace@example.test".to_owned()],
                Some("second".to_owned())
            ),
            (
                "000003.eml".to_owned(),
                vec!["edsger@example.test".to_owned()],
                Some("third".to_owned())
            ),
        ]
    );
    // A single-part message has a text part and no HTML part. Its CRLF is the one
    // lettre adds before the final "." of DATA.
    assert_eq!(mails[0].text().as_deref(), Some("Body of first\r\n"));
    assert_eq!(mails[0].html(), None);
    assert_eq!(server.messages().len(), 3);
}

fn expect_error(
    result: Result<lettre::transport::smtp::response::Response, SmtpError>,
) -> SmtpError {
    match result {
        Ok(response) => panic!("expected the server to refuse, it answered {response:?}"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn rejected_recipients_fail_permanently_or_transiently() {
    let server = SmtpServer::start_with(
        SmtpOptions::new()
            .reject("gone@example.test", 550)
            .reject("Busy@Example.test", 451),
    );
    let mailer = transport(&server);

    let e = expect_error(
        mailer
            .send(simple_message("gone@example.test", "to a gone address"))
            .await,
    );
    assert!(e.is_permanent(), "550 is permanent: {e:?}");
    assert!(!e.is_transient());
    assert_eq!(e.status().map(|c| c.to_string()).as_deref(), Some("550"));

    // Addresses match case-insensitively.
    let e = expect_error(
        mailer
            .send(simple_message("busy@example.test", "to a busy address"))
            .await,
    );
    assert!(e.is_transient(), "451 is transient: {e:?}");
    assert!(!e.is_permanent());
    assert_eq!(e.status().map(|c| c.to_string()).as_deref(), Some("451"));

    // One refused recipient among several: lettre gives up on the whole message.
    let to_two = Message::builder()
        .from(mailbox("noreply@example.test"))
        .to(mailbox("ada@example.test"))
        .to(mailbox("gone@example.test"))
        .subject("to two")
        .body("x\n".to_owned())
        .expect("build");
    let e = expect_error(mailer.send(to_two).await);
    assert!(e.is_permanent(), "{e:?}");

    // Others still get through, and nothing refused was stored.
    mailer
        .send(simple_message("ada@example.test", "to ada"))
        .await
        .expect("an address that is not rejected is accepted");
    let mails = server.wait_for_async(1, WAIT).await;
    assert_eq!(mails.len(), 1, "only the accepted message is stored");
    assert_eq!(mails[0].rcpt_tos, vec!["ada@example.test".to_owned()]);
    assert_eq!(mails[0].header("Subject").as_deref(), Some("to ada"));
}

#[tokio::test]
async fn auth_accepts_the_right_credentials_and_refuses_others() {
    let server = SmtpServer::start_with(SmtpOptions::new().auth("mutual", "s3cret pass"));

    let e = expect_error(
        authenticating_transport(&server, "mutual", "wrong")
            .send(simple_message("ada@example.test", "wrong password"))
            .await,
    );
    assert!(e.is_permanent(), "a refused login is permanent: {e:?}");
    assert_eq!(e.status().map(|c| c.to_string()).as_deref(), Some("535"));

    let e = expect_error(
        authenticating_transport(&server, "someone", "s3cret pass")
            .send(simple_message("ada@example.test", "wrong user"))
            .await,
    );
    assert_eq!(e.status().map(|c| c.to_string()).as_deref(), Some("535"));

    // Without credentials the server wants AUTH before MAIL FROM.
    let e = expect_error(
        transport(&server)
            .send(simple_message("ada@example.test", "no login"))
            .await,
    );
    assert!(e.is_permanent(), "{e:?}");
    assert_eq!(e.status().map(|c| c.to_string()).as_deref(), Some("530"));

    authenticating_transport(&server, "mutual", "s3cret pass")
        .send(simple_message("ada@example.test", "right password"))
        .await
        .expect("the right credentials are accepted");
    let mails = server.wait_for_async(1, WAIT).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0].header("Subject").as_deref(),
        Some("right password")
    );
}

#[tokio::test]
async fn rcpt_delay_slows_each_recipient() {
    let server = SmtpServer::start_with(SmtpOptions::new().rcpt_delay(Duration::from_millis(300)));
    let message = Message::builder()
        .from(mailbox("noreply@example.test"))
        .to(mailbox("ada@example.test"))
        .to(mailbox("grace@example.test"))
        .subject("slow")
        .body("x\n".to_owned())
        .expect("build");
    let started = std::time::Instant::now();
    transport(&server).send(message).await.expect("send");
    assert!(
        started.elapsed() >= Duration::from_millis(600),
        "two recipients at 300 ms each took only {:?}",
        started.elapsed()
    );
    let mails = server.wait_for(1, WAIT);
    assert_eq!(
        mails[0].rcpt_tos,
        vec![
            "ada@example.test".to_owned(),
            "grace@example.test".to_owned()
        ]
    );
}
