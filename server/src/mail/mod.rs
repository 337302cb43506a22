//! Mail: turning a composed message into a sent one. It owns the transport the host chose
//! — SMTP, or (the default, so a new instance needs no mail server) an outbox folder in the
//! data directory where each message is written as an `.eml` file — and the shape of every
//! message (multipart text + HTML, extra headers). What to send, to whom and when belongs to
//! the callers (accounts, digests); this module never reads the database.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::{Config, MailTransportKind, SmtpSecurity};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message itself is wrong (a bad address): sending again will not help.
    #[error("the message could not be built: {0}")]
    Invalid(String),
    /// The server said no for good (5xx): the address or message is refused.
    #[error("the mail server refused the message: {0}")]
    Permanent(String),
    /// Try again later (4xx, connection trouble, a full disk for the outbox).
    #[error("the message could not be sent yet: {0}")]
    Transient(String),
}

impl MailError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Permanent(_) | MailError::Invalid(_))
    }
}

pub mod account;
pub mod queue;

/// A message to send: plain text always, HTML when there is a richer version.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Outgoing {
    pub to: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    /// Extra headers such as `List-Unsubscribe`, as (name, value).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// A Message-ID to use (`<local@host>`), so a retried message keeps its identity.
    pub message_id: Option<String>,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

/// The configured way out.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    /// Where the outbox writes, when that is the transport.
    pub outbox_dir: Option<PathBuf>,
    host: String,
}

/// Renders `mail/{name}.txt` and `mail/{name}.html` with the same values.
pub fn render_pair(name: &str, ctx: minijinja::Value) -> Result<(String, String), MailError> {
    let text = crate::web::templates::render(&format!("mail/{name}.txt"), ctx.clone())
        .map_err(|e| MailError::Invalid(e.to_string()))?;
    let html = crate::web::templates::render(&format!("mail/{name}.html"), ctx)
        .map_err(|e| MailError::Invalid(e.to_string()))?;
    Ok((text, html))
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let mail = &config.mail;
        let from: Mailbox = match &mail.from {
            Some(from) => from
                .parse()
                .map_err(|e| MailError::Invalid(format!("mail.from {from:?}: {e}")))?,
            None => {
                let name = config.display_name();
                let host = config.public_url.host_str().unwrap_or("localhost");
                format!("{name} <no-reply@{host}>")
                    .parse()
                    .or_else(|_| format!("no-reply@{host}").parse())
                    .map_err(|e| MailError::Invalid(format!("the default sender: {e}")))?
            }
        };
        let host = from.email.domain().to_string();
        let (transport, outbox_dir) = match mail.transport {
            MailTransportKind::Outbox => {
                let dir = mail
                    .outbox_dir
                    .clone()
                    .unwrap_or_else(|| config.data_dir.join("outbox"));
                std::fs::create_dir_all(&dir).map_err(|e| {
                    MailError::Transient(format!("could not create {}: {e}", dir.display()))
                })?;
                (
                    Transport::Outbox(AsyncFileTransport::<Tokio1Executor>::new(&dir)),
                    Some(dir),
                )
            }
            MailTransportKind::Smtp => {
                let smtp_host = mail.smtp_host.clone().unwrap_or_default();
                let tls = || {
                    TlsParameters::new(smtp_host.clone())
                        .map_err(|e| MailError::Invalid(format!("TLS for {smtp_host}: {e}")))
                };
                let tls = match mail.smtp_security {
                    SmtpSecurity::None => Tls::None,
                    SmtpSecurity::Starttls => Tls::Required(tls()?),
                    SmtpSecurity::Tls => Tls::Wrapper(tls()?),
                };
                let mut builder =
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(smtp_host.clone())
                        .port(mail.smtp_port)
                        .tls(tls)
                        .timeout(Some(Duration::from_secs(u64::from(
                            mail.smtp_timeout_seconds,
                        ))));
                if let (Some(user), Some(password)) = (&mail.smtp_username, &mail.smtp_password) {
                    builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                }
                (Transport::Smtp(builder.build()), None)
            }
        };
        Ok(Mailer {
            transport,
            from,
            outbox_dir,
            host,
        })
    }

    /// The domain used in Message-IDs.
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn build(&self, outgoing: &Outgoing) -> Result<Message, MailError> {
        let to_address = outgoing
            .to
            .parse()
            .map_err(|e| MailError::Invalid(format!("the address {:?}: {e}", outgoing.to)))?;
        let to = Mailbox::new(outgoing.to_name.clone(), to_address);
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(outgoing.subject.clone())
            .date_now()
            .message_id(Some(outgoing.message_id.clone().unwrap_or_else(|| {
                format!("<{}@{}>", uuid::Uuid::new_v4(), self.host)
            })));
        for (name, value) in &outgoing.headers {
            let name = HeaderName::new_from_ascii(name.clone())
                .map_err(|_| MailError::Invalid(format!("the header name {name:?}")))?;
            builder = builder.raw_header(HeaderValue::new(name, value.clone()));
        }
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(outgoing.text.clone());
        let message = match &outgoing.html {
            Some(html) => builder.multipart(
                MultiPart::alternative().singlepart(text).singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html.clone()),
                ),
            ),
            None => builder.singlepart(text),
        };
        message.map_err(|e| MailError::Invalid(e.to_string()))
    }

    /// Sends one message. Returns its Message-ID.
    pub async fn send(&self, outgoing: &Outgoing) -> Result<String, MailError> {
        let message = self.build(outgoing)?;
        let id = message
            .headers()
            .get_raw("Message-ID")
            .unwrap_or_default()
            .to_string();
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                if e.is_permanent() {
                    MailError::Permanent(e.to_string())
                } else {
                    MailError::Transient(e.to_string())
                }
            })?,
            Transport::Outbox(outbox) => outbox
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| MailError::Transient(e.to_string()))?,
        }
        Ok(id)
    }
}
