//! Configuration: compiled-in defaults, then a TOML file, then `MUTUAL_*` environment
//! variables (`__` separates nested keys). Loading never stops at the first mistake:
//! `Config::load` gathers every problem so `mutual config check` can list them in one go.
//! This module only reads and validates settings; it opens no database or socket.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::value::{Dict, Value};
use figment::Figment;
use serde::{Deserialize, Serialize};

use crate::db::DatabaseUrl;

/// Who may create an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Registration {
    /// Anyone may sign up and use the account at once.
    Open,
    /// Anyone may ask for an account; an administrator approves it first.
    Approval,
    /// Only people with an invitation code may sign up.
    Invite,
    /// No sign-up page; administrators create accounts with the CLI.
    Closed,
}

impl Registration {
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Open => "open",
            Registration::Approval => "approval",
            Registration::Invite => "invite",
            Registration::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// Settings exactly as a host writes them. Validated into [`Config`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub database_max_connections: u32,
    pub listen: String,
    pub public_url: Option<String>,
    pub instance_name: String,
    pub registration: Registration,
    pub log_format: LogFormat,
    pub trust_forwarded_for: bool,
    pub session_days: u32,
    pub max_form_bytes: usize,
    pub max_json_bytes: usize,
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    pub login_window_minutes: u32,
    pub jobs: JobSettings,
    pub federation: FederationSettings,
    pub search: SearchSettings,
    pub mail: MailSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransportKind {
    /// Write each message as an `.eml` file into `outbox_dir` (default: data_dir/outbox).
    Outbox,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (port 587); refused if the server cannot.
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

/// How mail leaves this instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct MailSettings {
    pub transport: MailTransportKind,
    /// The sender, e.g. `Mutual <no-reply@mutual.example.org>`. Default: the instance name
    /// at no-reply@ the public host.
    pub from: Option<String>,
    pub outbox_dir: Option<PathBuf>,
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    pub smtp_timeout_seconds: u32,
    /// How often the server looks for digests that are due, in seconds.
    pub digest_check_seconds: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: MailTransportKind::Outbox,
            from: None,
            outbox_dir: None,
            smtp_host: None,
            smtp_port: 587,
            smtp_security: SmtpSecurity::Starttls,
            smtp_username: None,
            smtp_password: None,
            smtp_timeout_seconds: 30,
            digest_check_seconds: 60,
        }
    }
}

/// Which search engine serves searches.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchSettings {
    /// A Meilisearch server (`http://127.0.0.1:7700`). Unset: the embedded index in
    /// `data_dir/search`, which needs no setup.
    pub meilisearch_url: Option<String>,
    /// Its API key (the master key or a key allowed to manage the index).
    pub meilisearch_key: Option<String>,
    /// The index Mutual uses on that server; set a different one per instance sharing it.
    pub meilisearch_index: String,
    /// How often changes made outside the server (command-line tools) and failed updates
    /// are picked up, in milliseconds.
    pub sync_interval_ms: u64,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            meilisearch_url: None,
            meilisearch_key: None,
            meilisearch_index: "mutual".into(),
            sync_interval_ms: 2000,
        }
    }
}

/// How this instance federates.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct FederationSettings {
    /// `open` (any instance not blocked) or `allowlist` (only allowed domains).
    pub mode: FederationMode,
    /// Allow plain http and private, loopback and link-local addresses. Only for tests and
    /// demos on one machine: it lets the server fetch from addresses inside your network.
    pub allow_private_addresses: bool,
    /// Most objects fetched while handling one incoming activity.
    pub fetch_limit: u32,
    /// Require a signature on every fetch of actors and objects (authorized fetch).
    pub authorized_fetch: bool,
    /// Largest activity accepted in an inbox, in bytes.
    pub max_activity_bytes: usize,
    /// Most deliveries this server sends to one remote host at the same time, so one
    /// instance is not flooded and a slow one does not hold every worker.
    pub max_deliveries_per_host: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FederationMode {
    Open,
    Allowlist,
}

impl Default for FederationSettings {
    fn default() -> Self {
        FederationSettings {
            mode: FederationMode::Open,
            allow_private_addresses: false,
            fetch_limit: 20,
            authorized_fetch: false,
            max_activity_bytes: 256 * 1024,
            max_deliveries_per_host: 4,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct JobSettings {
    /// How many jobs one server works on at once; 0 turns the worker off.
    pub workers: u32,
    pub poll_interval_ms: u64,
    /// A claimed job not finished within this time is handed to another worker.
    pub lease_seconds: u32,
}

impl Default for JobSettings {
    fn default() -> Self {
        JobSettings {
            workers: 2,
            poll_interval_ms: 500,
            lease_seconds: 300,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            database_max_connections: 8,
            listen: "127.0.0.1:8080".into(),
            public_url: None,
            instance_name: "Mutual".into(),
            registration: Registration::Approval,
            log_format: LogFormat::Pretty,
            trust_forwarded_for: false,
            session_days: 30,
            max_form_bytes: 64 * 1024,
            max_json_bytes: 1024 * 1024,
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_window_minutes: 15,
            jobs: JobSettings::default(),
            federation: FederationSettings::default(),
            search: SearchSettings::default(),
            mail: MailSettings::default(),
        }
    }
}

/// Validated configuration the server runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database: DatabaseUrl,
    pub database_max_connections: u32,
    pub listen: SocketAddr,
    pub public_url: url::Url,
    pub instance_name: String,
    pub registration: Registration,
    pub log_format: LogFormat,
    pub trust_forwarded_for: bool,
    pub session_days: u32,
    pub max_form_bytes: usize,
    pub max_json_bytes: usize,
    pub login_failures_per_account: u32,
    pub login_failures_per_address: u32,
    pub login_window_minutes: u32,
    pub jobs: JobSettings,
    pub federation: FederationSettings,
    pub search: SearchSettings,
    pub mail: MailSettings,
}

impl Config {
    /// Cookies get the `Secure` flag whenever the public URL is HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The name mails and pages give the instance: its configured name, or "Mutual".
    pub fn display_name(&self) -> String {
        if self.instance_name.is_empty() {
            "Mutual".into()
        } else {
            self.instance_name.clone()
        }
    }

    /// A path on this instance as an absolute URL, for links that leave the site (mails,
    /// API results).
    pub fn absolute_url(&self, path: &str) -> String {
        self.public_url
            .join(path)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| path.to_string())
    }

    /// The public host name, as used in handles (`acct:handle@host`).
    pub fn public_host(&self) -> String {
        let host = self.public_url.host_str().unwrap_or("localhost");
        match self.public_url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        }
    }

    /// A configuration for tests and tools: defaults under `data_dir`, on a free port.
    pub fn for_data_dir(data_dir: &Path) -> Config {
        let settings = Settings {
            data_dir: data_dir.to_path_buf(),
            listen: "127.0.0.1:0".into(),
            ..Settings::default()
        };
        match validate(settings) {
            Ok(config) => config,
            Err(problems) => unreachable_config(problems),
        }
    }

    /// Loads defaults, then the TOML file (if given), then `MUTUAL_*` variables.
    pub fn load(file: Option<&Path>) -> Result<Config, Vec<Problem>> {
        let (settings, mut problems) = read_settings(file, Env::prefixed("MUTUAL_").split("__"));
        match settings {
            Some(settings) => match validate(settings) {
                Ok(config) if problems.is_empty() => Ok(config),
                Ok(_) => Err(problems),
                Err(more) => {
                    problems.extend(more);
                    Err(problems)
                }
            },
            None => Err(problems),
        }
    }
}

fn unreachable_config(problems: Vec<Problem>) -> Config {
    // The defaults are valid by construction; this is a programming error worth a clear panic.
    panic!("built-in defaults are invalid: {problems:?}")
}

/// One thing wrong with the configuration, in words a host can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub setting: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.setting, self.message)
    }
}

fn problem(setting: &str, message: impl Into<String>) -> Problem {
    Problem {
        setting: setting.to_string(),
        message: message.into(),
    }
}

const KNOWN_KEYS: &[&str] = &[
    "data_dir",
    "database_url",
    "database_max_connections",
    "listen",
    "public_url",
    "instance_name",
    "registration",
    "log_format",
    "trust_forwarded_for",
    "session_days",
    "max_form_bytes",
    "max_json_bytes",
    "login_failures_per_account",
    "login_failures_per_address",
    "login_window_minutes",
    "jobs",
    "federation",
    "search",
    "mail",
];

/// Merges the layers and reads each setting on its own, so one bad value does not hide the next.
fn read_settings(file: Option<&Path>, env: Env) -> (Option<Settings>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    if let Some(path) = file {
        if !path.is_file() {
            problems.push(problem(
                "--config",
                format!(
                    "the file {} does not exist or is not a file",
                    path.display()
                ),
            ));
        } else {
            match Figment::from(Toml::file(path)).extract::<Dict>() {
                Ok(dict) => {
                    for key in dict.keys() {
                        if !KNOWN_KEYS.contains(&key.as_str()) {
                            problems.push(problem(
                                key,
                                format!(
                                    "is not a Mutual setting (in {}); check the spelling",
                                    path.display()
                                ),
                            ));
                        }
                    }
                }
                Err(e) => problems.push(problem(
                    "--config",
                    format!("{} is not valid TOML: {e}", path.display()),
                )),
            }
            figment = figment.merge(Toml::file(path));
        }
    }
    figment = figment.merge(env);

    match figment.extract::<Settings>() {
        Ok(settings) => (Some(settings), problems),
        Err(_) => {
            // Read field by field to name every bad value, not only the first; the good ones
            // are kept so the checks of meaning can still run on them.
            let mut usable = Figment::from(Serialized::defaults(Settings::default()));
            for key in KNOWN_KEYS {
                let checked = figment
                    .extract_inner::<Value>(key)
                    .map_err(Box::new)
                    .and_then(|value| check_field(key, value.clone()).map(|_| value));
                match checked {
                    Ok(value) => usable = usable.merge(Serialized::default(key, value)),
                    Err(e) => {
                        for error in *e {
                            problems.push(problem(&path_of(&error, key), describe(&error)));
                        }
                    }
                }
            }
            match usable.extract::<Settings>() {
                Ok(settings) => {
                    if let Err(more) = validate(settings) {
                        problems.extend(more);
                    }
                }
                Err(e) => problems.push(problem("configuration", e.to_string())),
            }
            (None, problems)
        }
    }
}

fn check_field(key: &str, value: Value) -> Result<(), Box<figment::Error>> {
    Figment::from(Serialized::defaults(Settings::default()))
        .merge(Serialized::default(key, value))
        .extract::<Settings>()
        .map(|_| ())
        .map_err(Box::new)
}

fn path_of(error: &figment::Error, prefix: &str) -> String {
    if error.path.is_empty() {
        prefix.to_string()
    } else {
        error.path.join(".")
    }
}

fn describe(error: &figment::Error) -> String {
    let source = error
        .metadata
        .as_ref()
        .map(|m| format!(" (from {})", m.name))
        .unwrap_or_default();
    format!("{}{source}", error.kind)
}

/// Checks meaning, not just types: addresses, URLs, ranges, the database URL.
pub fn validate(settings: Settings) -> Result<Config, Vec<Problem>> {
    let mut problems = Vec::new();

    let listen = match settings.listen.parse::<SocketAddr>() {
        Ok(addr) => Some(addr),
        Err(_) => {
            problems.push(problem(
                "listen",
                format!(
                    "'{}' is not an address:port such as 127.0.0.1:8080",
                    settings.listen
                ),
            ));
            None
        }
    };

    let database_raw = settings
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", settings.data_dir.join("mutual.db").display()));
    let database = match DatabaseUrl::parse(&database_raw) {
        Ok(url) => Some(url),
        Err(message) => {
            problems.push(problem("database_url", message));
            None
        }
    };

    let public_url = match (&settings.public_url, listen) {
        (Some(raw), _) => match url::Url::parse(raw) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some() => {
                if url.path() != "/" || url.query().is_some() {
                    problems.push(problem(
                        "public_url",
                        format!("'{raw}' must be the site root, without a path or query (example: https://mutual.example.org)"),
                    ));
                }
                Some(url)
            }
            _ => {
                problems.push(problem(
                    "public_url",
                    format!("'{raw}' is not an http:// or https:// address (example: https://mutual.example.org)"),
                ));
                None
            }
        },
        (None, Some(addr)) => url::Url::parse(&format!("http://{addr}")).ok(),
        (None, None) => None,
    };

    if settings.instance_name.trim().is_empty() {
        problems.push(problem("instance_name", "must not be empty"));
    }
    if settings.database_max_connections == 0 || settings.database_max_connections > 200 {
        problems.push(problem(
            "database_max_connections",
            "must be between 1 and 200",
        ));
    }
    if settings.session_days == 0 || settings.session_days > 365 {
        problems.push(problem("session_days", "must be between 1 and 365"));
    }
    if settings.max_form_bytes < 1024 {
        problems.push(problem("max_form_bytes", "must be at least 1024"));
    }
    if settings.max_json_bytes < 1024 {
        problems.push(problem("max_json_bytes", "must be at least 1024"));
    }
    if settings.login_failures_per_account == 0 || settings.login_failures_per_address == 0 {
        problems.push(problem(
            "login_failures_per_account / login_failures_per_address",
            "must be at least 1",
        ));
    }
    if settings.login_window_minutes == 0 {
        problems.push(problem("login_window_minutes", "must be at least 1"));
    }
    if settings.jobs.lease_seconds < 5 {
        problems.push(problem("jobs.lease_seconds", "must be at least 5 seconds"));
    }
    if settings.federation.fetch_limit == 0 || settings.federation.fetch_limit > 1000 {
        problems.push(problem(
            "federation.fetch_limit",
            "must be between 1 and 1000",
        ));
    }
    if settings.federation.max_deliveries_per_host == 0 {
        problems.push(problem(
            "federation.max_deliveries_per_host",
            "must be at least 1",
        ));
    }
    if settings.federation.max_activity_bytes < 1024 {
        problems.push(problem(
            "federation.max_activity_bytes",
            "must be at least 1024",
        ));
    }
    if let Some(url) = settings.search.meilisearch_url.as_deref() {
        match url::Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
            _ => problems.push(problem(
                "search.meilisearch_url",
                format!("{url:?} is not an http(s) URL such as http://127.0.0.1:7700"),
            )),
        }
    }
    if settings.search.meilisearch_index.is_empty()
        || !settings
            .search
            .meilisearch_index
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(problem(
            "search.meilisearch_index",
            "use letters, digits, - and _ only",
        ));
    }
    let mail = &settings.mail;
    if let Some(from) = mail.from.as_deref() {
        if from.parse::<lettre::message::Mailbox>().is_err() {
            problems.push(problem(
                "mail.from",
                format!("{from:?} is not an address such as \"Mutual <no-reply@example.org>\""),
            ));
        }
    }
    if mail.transport == MailTransportKind::Smtp {
        if mail.smtp_host.as_deref().unwrap_or("").trim().is_empty() {
            problems.push(problem(
                "mail.smtp_host",
                "set the SMTP server's host name when mail.transport is smtp",
            ));
        }
        if mail.smtp_port == 0 {
            problems.push(problem("mail.smtp_port", "must be a port number"));
        }
        if mail.smtp_username.is_some() != mail.smtp_password.is_some() {
            problems.push(problem(
                "mail.smtp_username / mail.smtp_password",
                "set both or neither",
            ));
        }
    }
    if mail.digest_check_seconds == 0 {
        problems.push(problem("mail.digest_check_seconds", "must be at least 1"));
    }
    if mail.smtp_timeout_seconds == 0 {
        problems.push(problem("mail.smtp_timeout_seconds", "must be at least 1"));
    }
    if settings.search.sync_interval_ms < 100 {
        problems.push(problem("search.sync_interval_ms", "must be at least 100"));
    }
    if settings.jobs.poll_interval_ms < 10 {
        problems.push(problem("jobs.poll_interval_ms", "must be at least 10"));
    }
    if settings.data_dir.exists() && !settings.data_dir.is_dir() {
        problems.push(problem(
            "data_dir",
            format!("{} exists but is not a folder", settings.data_dir.display()),
        ));
    }

    match (listen, database, public_url) {
        (Some(listen), Some(database), Some(public_url)) if problems.is_empty() => Ok(Config {
            data_dir: settings.data_dir,
            database,
            database_max_connections: settings.database_max_connections,
            listen,
            public_url,
            instance_name: settings.instance_name.trim().to_string(),
            registration: settings.registration,
            log_format: settings.log_format,
            trust_forwarded_for: settings.trust_forwarded_for,
            session_days: settings.session_days,
            max_form_bytes: settings.max_form_bytes,
            max_json_bytes: settings.max_json_bytes,
            login_failures_per_account: settings.login_failures_per_account,
            login_failures_per_address: settings.login_failures_per_address,
            login_window_minutes: settings.login_window_minutes,
            jobs: settings.jobs,
            federation: settings.federation,
            search: settings.search,
            mail: settings.mail,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads with a unique environment prefix so parallel tests do not see each other.
    fn load_with(toml: Option<&str>, env: &[(&str, &str)]) -> Result<Config, Vec<Problem>> {
        let unique = crate::db::new_id().replace('-', "");
        let prefix = format!("MUTUAL_TEST_{unique}_");
        let dir = std::env::temp_dir().join(format!("mutual-config-{unique}"));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = toml.map(|text| {
            let path = dir.join("mutual.toml");
            std::fs::write(&path, text).expect("write toml");
            path
        });
        for (key, value) in env {
            std::env::set_var(format!("{prefix}{key}"), value);
        }
        let (settings, mut problems) =
            read_settings(file.as_deref(), Env::prefixed(&prefix).split("__"));
        match settings {
            Some(s) => match validate(s) {
                Ok(c) if problems.is_empty() => Ok(c),
                Ok(_) => Err(problems),
                Err(more) => {
                    problems.extend(more);
                    Err(problems)
                }
            },
            None => Err(problems),
        }
    }

    #[test]
    fn defaults_need_no_setup() {
        let config = validate(Settings::default()).expect("defaults are valid");
        assert_eq!(config.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(
            config.database,
            DatabaseUrl::Sqlite(PathBuf::from("./data/mutual.db"))
        );
        assert_eq!(config.registration, Registration::Approval);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let settings = Settings {
            listen: "localhost".into(),
            public_url: Some("ftp://x".into()),
            database_url: Some("mysql://nope".into()),
            session_days: 0,
            ..Settings::default()
        };
        let problems = validate(settings).expect_err("invalid");
        let settings: Vec<_> = problems.iter().map(|p| p.setting.as_str()).collect();
        assert!(settings.contains(&"listen"), "{problems:?}");
        assert!(settings.contains(&"public_url"), "{problems:?}");
        assert!(settings.contains(&"database_url"), "{problems:?}");
        assert!(settings.contains(&"session_days"), "{problems:?}");
    }

    #[test]
    fn environment_overrides_file_and_bad_types_are_named() {
        let config = load_with(
            Some("listen = \"0.0.0.0:9000\"\ninstance_name = \"From file\"\n"),
            &[("LISTEN", "127.0.0.1:7000"), ("JOBS__WORKERS", "5")],
        )
        .expect("valid");
        assert_eq!(
            config.listen.to_string(),
            "127.0.0.1:7000",
            "environment wins over the file"
        );
        assert_eq!(config.instance_name, "From file", "file wins over defaults");
        assert_eq!(config.jobs.workers, 5, "nested keys use __");

        let problems = load_with(
            Some("lisen = 1\n"),
            &[("SESSION_DAYS", "many"), ("PUBLIC_URL", "not a url")],
        )
        .expect_err("invalid");
        let named: Vec<_> = problems.iter().map(|p| p.setting.as_str()).collect();
        assert!(
            named.contains(&"lisen"),
            "unknown key reported: {problems:?}"
        );
        assert!(
            named.contains(&"session_days"),
            "bad type reported: {problems:?}"
        );
    }
}
