//! Test harness: real databases (a fresh SQLite file, or a fresh PostgreSQL database
//! cloned from a migrated template in a throwaway cluster) and the real server on a
//! random loopback port, reached over real HTTP.
#![allow(dead_code)]

pub mod pg;
pub mod smtp;

use std::path::PathBuf;

use mutual::config::{Config, Registration};
use mutual::db::{DatabaseUrl, Db};
use mutual::startup::Application;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one scenario against both databases: `both_backends!(name, scenario_fn)` makes
/// `name_sqlite` and `name_postgres` tests.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident => $scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$scenario($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$scenario($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// A fresh, migrated database of the given kind, and the folder it lives in.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    pub dir: tempfile::TempDir,
}

impl TestDatabase {
    pub fn new(backend: Backend) -> TestDatabase {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = match backend {
            Backend::Sqlite => DatabaseUrl::Sqlite(dir.path().join("mutual.db")),
            Backend::Postgres => DatabaseUrl::Postgres(pg::fresh_database()),
        };
        TestDatabase { url, dir }
    }

    pub fn url_string(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }

    pub fn open(&self) -> Db {
        let db = Db::open(&self.url, 4).expect("open database");
        db.migrate().expect("migrate");
        let mut conn = db.get().expect("connection");
        mutual::taxonomy::seed(&mut conn).expect("seed");
        db
    }
}

pub struct TestApp {
    pub address: String,
    pub port: u16,
    pub db: Db,
    pub config: Config,
    pub client: reqwest::Client,
    pub database: TestDatabase,
    pub data_dir: PathBuf,
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// Starts the real application; `adjust` can change the configuration first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::new(backend);
    let data_dir = database.dir.path().join("data");
    let mut config = Config::for_data_dir(&data_dir);
    config.database = database.url.clone();
    config.registration = Registration::Approval;
    config.jobs.poll_interval_ms = 50;
    adjust(&mut config);
    let app = Application::build(config.clone())
        .await
        .expect("application starts");
    let port = app.port();
    let db = app.db();
    tokio::spawn(app.run_until_stopped());
    let address = format!("http://127.0.0.1:{port}");
    config.public_url = url::Url::parse(&address).expect("url");
    TestApp {
        address,
        port,
        db,
        config,
        client: new_client(),
        database,
        data_dir,
    }
}

/// One JSON API request, with an optional bearer token and body: the status and the body
/// (as JSON, or as a JSON string when it is not JSON).
pub async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut request = new_client().request(method, app.url(path));
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
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// A browser-like client: keeps cookies, does not follow redirects (tests check them).
pub fn new_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Pulls the CSRF token out of a page's form.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .unwrap_or_else(|| panic!("no CSRF field in page:\n{html}"));
    let end = html[start..].find('"').expect("end of token") + start;
    html[start..end].to_string()
}

pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// A valid CSRF token for this client (loads a page to get the cookie first).
    pub async fn csrf(&self) -> String {
        let (_, html) = self.get_text("/login").await;
        csrf_from(&html)
    }

    /// Posts a form with a valid CSRF token, as a browser would.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .expect("POST")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// Creates an active account directly, as `mutual admin create-user` does.
    pub async fn create_user(
        &self,
        username: &str,
        role: mutual::accounts::Role,
    ) -> mutual::accounts::User {
        let username = username.to_string();
        self.db
            .run(move |conn| {
                mutual::accounts::create_account(
                    conn,
                    &mutual::accounts::NewAccount {
                        email: format!("{username}@example.org"),
                        username,
                        password: PASSWORD.into(),
                        ..Default::default()
                    },
                    role,
                    mutual::accounts::Status::Active,
                )
            })
            .await
            .expect("create user")
    }

    /// Creates an organisation directly, with new accounts for its members.
    pub async fn create_organisation(
        &self,
        handle: &str,
        country: &str,
        members: &[(&str, mutual::organisations::MemberRole)],
    ) {
        for (username, _) in members {
            self.create_user(username, mutual::accounts::Role::Member)
                .await;
        }
        let (handle, country) = (handle.to_string(), country.to_string());
        let members: Vec<(String, mutual::organisations::MemberRole)> =
            members.iter().map(|(u, r)| (u.to_string(), *r)).collect();
        self.db
            .run(move |conn| {
                mutual::organisations::create(
                    conn,
                    &handle,
                    &mutual::organisations::ProfileInput {
                        name: format!("Org {handle}"),
                        summary: "We share what we learn.".into(),
                        country,
                        languages: vec!["en".into()],
                        kind: "provider".into(),
                        offers_to_share: vec!["personnel".into()],
                        ..Default::default()
                    },
                    None,
                )?;
                for (username, role) in &members {
                    mutual::organisations::add_member_by_name(conn, &handle, username, *role)?;
                }
                Ok::<_, mutual::organisations::OrganisationError>(())
            })
            .await
            .expect("organisation");
    }

    /// An organisation with an editor and a reviewer; returns their API tokens.
    pub async fn organisation_with_team(&self, handle: &str, country: &str) -> (String, String) {
        let editor = format!("{}_editor", handle.replace('-', "_"));
        let reviewer = format!("{}_reviewer", handle.replace('-', "_"));
        self.create_organisation(
            handle,
            country,
            &[
                (&editor, mutual::organisations::MemberRole::Editor),
                (&reviewer, mutual::organisations::MemberRole::Reviewer),
            ],
        )
        .await;
        (
            self.api_token(&editor).await,
            self.api_token(&reviewer).await,
        )
    }

    pub async fn log_in(&self, login: &str) {
        let response = self
            .post_form(
                "/login",
                &[("login", login), ("password", PASSWORD), ("next", "/")],
            )
            .await;
        assert_eq!(
            response.status().as_u16(),
            303,
            "log-in as {login} should redirect"
        );
    }

    /// A second, independent browser on the same server.
    pub fn another_browser(&self) -> TestApp {
        TestApp {
            address: self.address.clone(),
            port: self.port,
            db: self.db.clone(),
            config: self.config.clone(),
            client: new_client(),
            database: TestDatabase {
                url: self.database.url.clone(),
                dir: tempfile::tempdir().expect("temp dir"),
            },
            data_dir: self.data_dir.clone(),
        }
    }

    pub async fn api_token(&self, username: &str) -> String {
        let username = username.to_string();
        self.db
            .query(move |conn| {
                let user =
                    mutual::accounts::find_by_username(conn, &username)?.expect("user exists");
                mutual::accounts::tokens::create(conn, &user.id, "test").map(|(_, plain)| plain)
            })
            .await
            .expect("token")
    }
}
