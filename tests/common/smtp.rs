//! A real SMTP server on loopback for the email tests: `tests/smtp/server.py` (Python's
//! aiosmtpd, installed by `scripts/install-deps test`) run as a child process. It stores
//! every accepted message as it arrived; [`SmtpServer::messages`] reads them back and
//! [`ReceivedMail`] parses them with the `mail-parser` crate.
//!
//! ```ignore
//! let smtp = SmtpServer::start_with(SmtpOptions::new().reject("gone@example.test", 550));
//! // … point the code under test at 127.0.0.1:smtp.port() and send …
//! let mails = smtp.wait_for(1, Duration::from_secs(10));
//! assert_eq!(mails[0].header("Subject").as_deref(), Some("Hello"));
//! ```

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::thread;
use std::time::{Duration, Instant};

use mail_parser::{Message, MessageParser, MimeHeaders, PartType};
use regex::Regex;

/// How long the server gets to print its `LISTENING` line.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How often [`SmtpServer::wait_for`] looks at the message folder.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// What the test server should do besides accepting mail.
#[derive(Debug, Clone, Default)]
pub struct SmtpOptions {
    /// Recipients whose `RCPT TO` is answered with the given reply code (4xx or 5xx).
    pub reject: Vec<(String, u16)>,
    /// A pause before answering each `RCPT TO`.
    pub rcpt_delay: Option<Duration>,
    /// Require `AUTH PLAIN`/`AUTH LOGIN` (without TLS) with this user name and password.
    pub auth: Option<(String, String)>,
}

impl SmtpOptions {
    pub fn new() -> SmtpOptions {
        SmtpOptions::default()
    }

    /// Answers `RCPT TO:<address>` with `code`: 5xx is a permanent failure, 4xx a
    /// transient one. Addresses are compared case-insensitively.
    pub fn reject(mut self, address: &str, code: u16) -> SmtpOptions {
        assert!(
            (400..=599).contains(&code),
            "reject code must be 4xx or 5xx, got {code}"
        );
        self.reject.push((address.to_owned(), code));
        self
    }

    /// Sleeps this long before answering each `RCPT TO`.
    pub fn rcpt_delay(mut self, delay: Duration) -> SmtpOptions {
        self.rcpt_delay = Some(delay);
        self
    }

    /// Requires authentication with these credentials; wrong ones get 535.
    pub fn auth(mut self, user: &str, password: &str) -> SmtpOptions {
        assert!(
            !user.is_empty() && !user.contains(':'),
            "SMTP user must be non-empty and have no ':'"
        );
        self.auth = Some((user.to_owned(), password.to_owned()));
        self
    }
}

/// The running test server; killed when dropped.
pub struct SmtpServer {
    child: Child,
    port: u16,
    messages_dir: PathBuf,
    log_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    /// A server that accepts everything from anyone.
    pub fn start() -> SmtpServer {
        SmtpServer::start_with(SmtpOptions::default())
    }

    pub fn start_with(options: SmtpOptions) -> SmtpServer {
        let dir = tempfile::tempdir().expect("temp dir for the SMTP server");
        let messages_dir = dir.path().join("messages");
        let log_path = dir.path().join("server.log");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");

        let mut command = Command::new("python3");
        command
            .arg(&script)
            .arg("--port")
            .arg("0")
            .arg("--dir")
            .arg(&messages_dir)
            // The server stops when this process's end of its stdin closes: on drop, and
            // also when the test process dies without running Drop.
            .arg("--stop-on-stdin-eof");
        for (address, code) in &options.reject {
            command.arg("--reject").arg(format!("{address}={code}"));
        }
        if let Some(delay) = options.rcpt_delay {
            command
                .arg("--rcpt-delay-ms")
                .arg(delay.as_millis().to_string());
        }
        if let Some((user, password)) = &options.auth {
            command.arg("--auth").arg(format!("{user}:{password}"));
        }
        let log = fs::File::create(&log_path).expect("create the SMTP server's log file");
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log));

        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "could not run `python3 {}`: {e}. The email tests need python3 with \
                 aiosmtpd: run `scripts/install-deps test`",
                script.display()
            )
        });

        // Read the one line the server prints once it listens, on a thread so that a
        // server that hangs cannot hang the test.
        let stdout = child
            .stdout
            .take()
            .expect("the SMTP server's stdout is piped");
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            // The receiver may be gone after a timeout; nothing to do then.
            let _ = tx.send(read.map(|_| line));
        });
        let line = rx.recv_timeout(START_TIMEOUT);
        let port = match &line {
            Ok(Ok(line)) => line
                .strip_prefix("LISTENING ")
                .and_then(|rest| rest.trim().parse::<u16>().ok()),
            _ => None,
        };
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let log = fs::read_to_string(&log_path).unwrap_or_default();
            let hint = if log.contains("No module named 'aiosmtpd") {
                "aiosmtpd is not installed for python3"
            } else {
                "the SMTP test server did not start"
            };
            let what = match line {
                Ok(Ok(line)) if line.is_empty() => "it exited without printing".to_owned(),
                Ok(Ok(line)) => format!("it printed {line:?}"),
                Ok(Err(e)) => format!("reading its output failed: {e}"),
                Err(_) => format!("no LISTENING line within {START_TIMEOUT:?}"),
            };
            panic!(
                "{hint} ({what}); run `scripts/install-deps test` to install what the email \
                 tests need.\nServer log:\n{log}"
            );
        };

        SmtpServer {
            child,
            port,
            messages_dir,
            log_path,
            _dir: dir,
        }
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder holding the received `NNNNNN.eml`/`NNNNNN.json` pairs.
    pub fn messages_dir(&self) -> &Path {
        &self.messages_dir
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// Every message accepted so far, in the order they arrived.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let entries = match fs::read_dir(&self.messages_dir) {
            Ok(entries) => entries,
            // The server makes the folder on start; be lenient all the same.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(e) => panic!("read {}: {e}", self.messages_dir.display()),
        };
        let mut names: Vec<String> = entries
            .map(|entry| entry.expect("read a message folder entry"))
            .filter_map(|entry| entry.file_name().into_string().ok())
            .filter(|name| name.ends_with(".eml") && !name.starts_with('.'))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|name| ReceivedMail::load(&self.messages_dir, &name))
            .collect()
    }

    /// Waits (blocking this thread, polling) until at least `count` messages have arrived
    /// and returns all of them; panics after `timeout`. In a `current_thread` tokio test
    /// whose sending runs on the same runtime, use [`SmtpServer::wait_for_async`].
    pub fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if Instant::now() >= deadline {
                self.panic_waiting(count, timeout, &messages);
            }
            thread::sleep(POLL_INTERVAL);
        }
    }

    /// [`SmtpServer::wait_for`] that yields to the tokio runtime while it waits.
    pub async fn wait_for_async(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if Instant::now() >= deadline {
                self.panic_waiting(count, timeout, &messages);
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    fn panic_waiting(&self, count: usize, timeout: Duration, messages: &[ReceivedMail]) -> ! {
        let got: Vec<String> = messages
            .iter()
            .map(|m| {
                format!(
                    "{} -> {:?}: {:?}",
                    m.mail_from,
                    m.rcpt_tos,
                    m.header("Subject")
                )
            })
            .collect();
        panic!(
            "expected {count} message(s) at the SMTP server within {timeout:?}, got {}: \
             {got:#?}\nServer log:\n{}",
            messages.len(),
            self.log()
        );
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The file it was stored as, e.g. `000001.eml`.
    pub file_name: String,
    /// The envelope sender (`MAIL FROM`).
    pub mail_from: String,
    /// The envelope recipients the server accepted (`RCPT TO`).
    pub rcpt_tos: Vec<String>,
    /// When the server accepted it (RFC 3339, UTC).
    pub received_at: String,
    /// The message's bytes exactly as received.
    pub raw: Vec<u8>,
}

impl ReceivedMail {
    fn load(dir: &Path, eml_name: &str) -> ReceivedMail {
        let eml = dir.join(eml_name);
        let json = eml.with_extension("json");
        let raw = fs::read(&eml).unwrap_or_else(|e| panic!("read {}: {e}", eml.display()));
        let meta_text =
            fs::read_to_string(&json).unwrap_or_else(|e| panic!("read {}: {e}", json.display()));
        let meta: serde_json::Value = serde_json::from_str(&meta_text)
            .unwrap_or_else(|e| panic!("parse {}: {e}", json.display()));
        let string = |key: &str| -> String {
            meta[key]
                .as_str()
                .unwrap_or_else(|| panic!("{}: {key} is not a string", json.display()))
                .to_owned()
        };
        let rcpt_tos = meta["rcpt_tos"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: rcpt_tos is not a list", json.display()))
            .iter()
            .map(|v| {
                v.as_str()
                    .unwrap_or_else(|| {
                        panic!("{}: a rcpt_tos entry is not a string", json.display())
                    })
                    .to_owned()
            })
            .collect();
        ReceivedMail {
            file_name: eml_name.to_owned(),
            mail_from: string("mail_from"),
            rcpt_tos,
            received_at: string("received_at"),
            raw,
        }
    }

    /// The message parsed by `mail-parser`, for anything the helpers below don't cover.
    pub fn parsed(&self) -> Message<'_> {
        MessageParser::default()
            .parse(&self.raw)
            .unwrap_or_else(|| panic!("{} does not parse as a message", self.file_name))
    }

    /// The first top-level header of that name (case-insensitive), unfolded, trimmed,
    /// and with RFC 2047 encoded words decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.header_all(name).into_iter().next()
    }

    /// Every top-level header of that name, in order, each as [`ReceivedMail::header`].
    pub fn header_all(&self, name: &str) -> Vec<String> {
        let message = self.parsed();
        let raw = message.raw_message();
        message
            .headers()
            .iter()
            .filter(|h| h.name.as_str().eq_ignore_ascii_case(name))
            .map(|h| header_value(&raw[h.offset_start as usize..h.offset_end as usize]))
            .collect()
    }

    /// The text/plain body part, decoded (transfer encoding and charset).
    pub fn text(&self) -> Option<String> {
        let message = self.parsed();
        message
            .text_body
            .iter()
            .filter_map(|&id| message.part(id))
            .find_map(|part| match &part.body {
                PartType::Text(text) if is_subtype(part.content_type(), "plain") => {
                    Some(text.to_string())
                }
                _ => None,
            })
    }

    /// The text/html body part, decoded (transfer encoding and charset).
    pub fn html(&self) -> Option<String> {
        let message = self.parsed();
        message
            .html_body
            .iter()
            .filter_map(|&id| message.part(id))
            .find_map(|part| match &part.body {
                PartType::Html(html) => Some(html.to_string()),
                _ => None,
            })
    }

    /// The http(s) URLs in `href` attributes of the HTML part, in order, with HTML
    /// character references decoded.
    pub fn html_links(&self) -> Vec<String> {
        static HREF: OnceLock<Regex> = OnceLock::new();
        let href = HREF.get_or_init(|| {
            Regex::new(r#"(?i)\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
                .expect("href regex")
        });
        let Some(html) = self.html() else {
            return Vec::new();
        };
        href.captures_iter(&html)
            .filter_map(|c| c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3)))
            .map(|m| decode_html_entities(m.as_str().trim()))
            .filter(|url| is_http_url(url))
            .collect()
    }

    /// The http(s) URLs written out in the text part, in order.
    pub fn text_links(&self) -> Vec<String> {
        static URL: OnceLock<Regex> = OnceLock::new();
        let url = URL.get_or_init(|| {
            Regex::new(r#"(?i)\bhttps?://[^\s<>"'\[\]{}|\\^`]+"#).expect("url regex")
        });
        let Some(text) = self.text() else {
            return Vec::new();
        };
        url.find_iter(&text)
            .map(|m| trim_url_end(m.as_str()).to_owned())
            .collect()
    }

    /// Every distinct http(s) link of the message: those of the HTML part's `href`s, then
    /// those of the text part, in first-seen order.
    pub fn links(&self) -> Vec<String> {
        let mut links: Vec<String> = Vec::new();
        for link in self.html_links().into_iter().chain(self.text_links()) {
            if !links.contains(&link) {
                links.push(link);
            }
        }
        links
    }
}

fn is_subtype(content_type: Option<&mail_parser::ContentType<'_>>, subtype: &str) -> bool {
    match content_type {
        // No Content-Type means text/plain (RFC 2045).
        None => subtype == "plain",
        Some(ct) => {
            ct.ctype().eq_ignore_ascii_case("text")
                && ct
                    .subtype()
                    .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
        }
    }
}

/// A raw header value (after the colon, with its folds) as one decoded line.
fn header_value(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    // Unfolding (RFC 5322 2.2.3) removes each line break that is followed by whitespace.
    let unfolded = text.replace("\r\n", "\n");
    let unfolded: String = unfolded
        .split('\n')
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .concat();
    let unfolded = unfolded.trim().to_owned();
    if !unfolded.contains("=?") {
        return unfolded;
    }
    // Let mail-parser decode the encoded words (it also drops the whitespace between
    // adjacent ones, as RFC 2047 6.2 asks).
    let line = format!("{unfolded}\r\n");
    match mail_parser::parsers::MessageStream::new(line.as_bytes()).parse_unstructured() {
        mail_parser::HeaderValue::Text(text) => text.trim().to_owned(),
        mail_parser::HeaderValue::Empty => String::new(),
        other => panic!("unexpected unstructured header value {other:?}"),
    }
}

fn is_http_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && url.len() > "https://".len()
}

/// Drops sentence punctuation that a URL written in prose is usually followed by.
fn trim_url_end(url: &str) -> &str {
    let mut url = url.trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"']);
    // A closing parenthesis belongs to the URL only when it opened one itself.
    while url.ends_with(')') && url.matches('(').count() < url.matches(')').count() {
        url = url[..url.len() - 1].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    }
    url
}

/// Decodes the character references an attribute value may hold (`&amp;`, `&#39;`, …).
fn decode_html_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let ch = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = entity.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((ch, end))
        });
        match decoded {
            Some((ch, end)) => {
                out.push(ch);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
