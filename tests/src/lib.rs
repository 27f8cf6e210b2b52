//! The test harness: `TestApp::spawn()` serves the real router on a fresh database and hands
//! back an HTTP client.
//!
//! Each test gets its own database: a new SQLite file, or — when `TEST_DATABASE_URL` names a
//! PostgreSQL server — a new PostgreSQL database on it. No state is shared between tests.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{Value, json};

pub mod sse;

/// The repository's root folder.
/// Copies a folder and its sub-folders.
fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("folder to copy") {
        let path = entry.expect("folder entry").path();
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            copy_folder(&path, &target);
        } else {
            std::fs::copy(&path, target).expect("copy");
        }
    }
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The text of every Rust file under these folders of the repository, one after another: what
/// a test searches to know that a test it names exists.
pub fn rust_sources(folders: &[&str]) -> String {
    let root = repo_root();
    let mut sources = String::new();
    let mut folders: Vec<PathBuf> = folders.iter().map(|folder| root.join(folder)).collect();
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).expect("a folder of the repository") {
            let path = entry.expect("a readable folder").path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(path).expect("a readable file"));
            }
        }
    }
    sources
}

static NEXT: AtomicU32 = AtomicU32::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "t{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

/// A served directory and a client for it.
pub struct TestApp {
    pub address: String,
    /// The database this app serves, to serve a second app beside it.
    pub database_url: String,
    pub client: reqwest::Client,
    db: persistence::Db,
    keys: api::token::TokenKeys,
    _folder: TempFolder,
}

/// Webhooks with the delivery loop off: its polling would run statements in the background of
/// tests that count them. `tests/api/webhooks.rs` turns it on.
fn no_webhook_worker() -> api::Webhooks {
    api::Webhooks {
        webhook_poll_ms: 0,
        ..api::Webhooks::default()
    }
}

/// A folder removed when dropped.
struct TempFolder(PathBuf);

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestApp {
    /// Serves the directory loaded with the seed dataset.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(&[]).await
    }

    /// Serves the directory loaded with the seed dataset plus extra seed files (name, TOML).
    pub async fn spawn_with(extra_seed_files: &[(&str, String)]) -> TestApp {
        TestApp::spawn_configured(extra_seed_files, |_| {}).await
    }

    /// Serves the seed dataset with a configuration changed by `configure` (tighter limits…).
    pub async fn spawn_configured(
        extra_seed_files: &[(&str, String)],
        configure: impl FnOnce(&mut api::Config),
    ) -> TestApp {
        let name = unique_name();
        let folder = std::env::temp_dir().join(format!("partner-directory-{name}"));
        let seed_dir = folder.join("seed");
        std::fs::create_dir_all(&seed_dir).expect("temp folder");
        copy_folder(&repo_root().join("seed"), &seed_dir);
        for (file, text) in extra_seed_files {
            std::fs::write(seed_dir.join(file), text).expect("write extra seed");
        }
        let database_url = match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => postgres_database(&admin_url, &name).await,
            _ => format!(
                "sqlite://{}?mode=rwc",
                folder.join("directory.sqlite").display()
            ),
        };
        let mut config = api::Config {
            database_url: database_url.clone(),
            seed_dir,
            limits: api::Limits::default(),
            tokens: test_tokens(&folder),
            rate_limits: api::RateLimits::default(),
            http: api::Http::default(),
            webhooks: no_webhook_worker(),
            live: api::Live::default(),
            cache: api::Cache::default(),
        };
        configure(&mut config);
        let app = api::build(&config).await.expect("the directory starts");
        let db = app.db.clone();
        let keys = api::token::TokenKeys::from_config(&config.tokens).expect("token keys");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = format!("http://{}", listener.local_addr().expect("local address"));
        tokio::spawn(async move {
            let _ = axum_serve(listener, app).await;
        });
        TestApp {
            address,
            database_url,
            client: reqwest::Client::new(),
            db,
            keys,
            _folder: TempFolder(folder),
        }
    }

    /// The database this app serves, to write to it as the command line does (imports).
    pub fn db(&self) -> &persistence::Db {
        &self.db
    }

    /// A second server process on this app's database, as behind a load balancer.
    pub async fn spawn_beside(&self, configure: impl FnOnce(&mut api::Config)) -> TestApp {
        let folder = self._folder.0.join(unique_name());
        std::fs::create_dir_all(&folder).expect("temp folder");
        let mut config = api::Config {
            database_url: self.database_url.clone(),
            seed_dir: folder.join("seed"),
            limits: api::Limits::default(),
            tokens: test_tokens(&folder),
            rate_limits: api::RateLimits::default(),
            http: api::Http::default(),
            webhooks: no_webhook_worker(),
            live: api::Live::default(),
            cache: api::Cache::default(),
        };
        configure(&mut config);
        let app = api::build(&config).await.expect("the second server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let address = format!("http://{}", listener.local_addr().expect("local address"));
        let db = app.db.clone();
        tokio::spawn(async move {
            let _ = axum_serve(listener, app).await;
        });
        TestApp {
            address,
            database_url: self.database_url.clone(),
            client: reqwest::Client::new(),
            db,
            keys: self.keys.clone(),
            _folder: TempFolder(folder),
        }
    }

    /// Posts a body as it is, with the given content type (none when None): the status, the
    /// headers and the body's text.
    pub async fn post_raw(
        &self,
        content_type: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> (u16, reqwest::header::HeaderMap, String) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("the server answers");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.expect("a body"))
    }

    /// Issues a token as the command line does (`partner-directory token issue`).
    pub async fn token(&self, role: &str, organisation: Option<&str>) -> String {
        let organisation_id = match organisation {
            Some(slug) => Some(
                persistence::by_slug::<domain::organisation::Organisation>(&self.db, slug)
                    .await
                    .expect("lookup")
                    .expect("the organisation exists")
                    .id,
            ),
            None => None,
        };
        let request = api::token::TokenRequest {
            name: format!("test {role}"),
            role: role.parse().expect("a role"),
            organisation_id,
            days: 1,
        };
        api::token::issue(
            &self.db,
            &self.keys,
            domain::access::Actor::operator(persistence::audit::COMMAND_LINE),
            request,
        )
        .await
        .expect("issued")
        .1
    }

    /// Runs a query with `Authorization: Bearer <token>` and returns the HTTP status and body.
    pub async fn post_as(&self, token: &str, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .header("authorization", format!("Bearer {token}"))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// Runs a query and returns the whole response body (`data` and `errors`).
    pub async fn post(&self, query: &str, variables: Value) -> Value {
        let response = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        assert!(
            response.status().is_success(),
            "status {}",
            response.status()
        );
        response.json().await.expect("a JSON body")
    }

    /// Runs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
        body["data"].clone()
    }

    /// Runs a query that must fail and returns its first error.
    pub async fn error(&self, query: &str, variables: Value) -> Value {
        let body = self.post(query, variables).await;
        body["errors"][0].clone()
    }

    /// How many SQL statements the server has run so far, read off `/metrics`.
    pub async fn statements(&self) -> u64 {
        let text = self.get_text("/metrics").await;
        text.lines()
            .find_map(|line| line.strip_prefix("directory_db_statements_total "))
            .and_then(|count| count.trim().parse().ok())
            .expect("the statement counter")
    }

    pub async fn get_text(&self, path: &str) -> String {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("answer")
            .text()
            .await
            .expect("text")
    }
}

async fn axum_serve(listener: tokio::net::TcpListener, app: api::App) -> std::io::Result<()> {
    api::server::serve_on(listener, app).await
}

/// Creates an empty PostgreSQL database for one test and returns its URL.
async fn postgres_database(admin_url: &str, name: &str) -> String {
    use sea_orm::ConnectionTrait;
    let admin = sea_orm::Database::connect(admin_url)
        .await
        .expect("the PostgreSQL server answers");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("CREATE DATABASE");
    let _ = admin.close().await;
    let (base, _) = admin_url
        .rsplit_once('/')
        .expect("a database URL ends with /name");
    format!("{base}/{name}")
}

/// The secret test apps sign tokens with: a fixed one is fine, each test has its own database.
pub const TEST_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes-0123456789";

fn test_tokens(folder: &Path) -> api::TokenConfig {
    api::TokenConfig {
        jwt_secret: Some(TEST_SECRET.to_owned()),
        jwt_keys: None,
        jwt_signing_key_id: None,
        jwt_key_file: folder.join("jwt-secret"),
        jwt_issuer: "partner-directory".to_owned(),
        jwt_audience: "partner-directory-api".to_owned(),
    }
}

/// Every global id in an answer, with its type name (`__typename` and `id` asked together).
pub fn ids_in(value: &Value, found: &mut std::collections::BTreeSet<(String, String)>) {
    match value {
        Value::Object(map) => {
            if let (Some(Value::String(id)), Some(Value::String(kind))) =
                (map.get("id"), map.get("__typename"))
            {
                found.insert((kind.clone(), id.clone()));
            }
            map.values().for_each(|v| ids_in(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, found)),
        _ => {}
    }
}
