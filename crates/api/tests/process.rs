//! The served binary as a process, through its faults: SIGTERM with a request under way, a
//! `kill -9` in the middle of a stream of writes, and (when `scripts/test-postgres` provides
//! PostgreSQL's binaries) a database that goes away and comes back.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BINARY: &str = env!("CARGO_BIN_EXE_partner-directory");
const SECRET: &str = "process-test-secret-of-at-least-thirty-two-bytes";

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the repository root")
        .to_path_buf()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A folder removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    /// The URL of an SQLite database file in this folder.
    fn sqlite_url(&self) -> String {
        format!(
            "sqlite://{}?mode=rwc",
            self.0.join("directory.sqlite").display()
        )
    }

    fn new(name: &str) -> TempFolder {
        let path = std::env::temp_dir().join(format!(
            "partner-directory-{name}-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&path).expect("temp folder");
        TempFolder(path)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The directory served by its own binary.
struct Server {
    child: Child,
    address: String,
    client: reqwest::Client,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(database_url: &str, folder: &Path) -> Command {
    let mut command = Command::new(BINARY);
    command
        .env("DATABASE_URL", database_url)
        .env("SEED_DIR", repo_root().join("seed"))
        .env("JWT_SECRET", SECRET)
        .env("JWT_KEY_FILE", folder.join("jwt-secret"))
        .env("RUST_LOG", "warn")
        .current_dir(folder);
    command
}

impl Server {
    /// Starts a server on a port the system chooses (read from the line it prints), so that
    /// two tests never race for one port.
    async fn start(database_url: &str, folder: &Path, extra_env: &[(&str, &str)]) -> Server {
        let mut command = command(database_url, folder);
        command
            .arg("serve")
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(
                std::fs::File::create(folder.join("server.log"))
                    .map(Stdio::from)
                    .unwrap_or_else(|_| Stdio::null()),
            );
        for (name, value) in extra_env {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("the server starts");
        let stdout = child.stdout.take().expect("its standard output");
        let announced = tokio::task::spawn_blocking(move || {
            use std::io::BufRead;
            let mut line = String::new();
            std::io::BufReader::new(stdout).read_line(&mut line).ok();
            line
        });
        let line = tokio::time::timeout(Duration::from_secs(60), announced)
            .await
            .expect("the server says where it serves within 60 s")
            .expect("its standard output is read");
        let address = line
            .trim()
            .strip_prefix("serving on ")
            .unwrap_or_else(|| panic!("the server's first line names its address: {line:?}"))
            .to_owned();
        let server = Server {
            child,
            address,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap(),
        };
        let started = Instant::now();
        while server.status("/healthz").await != Some(200) {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server never answered"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        server
    }

    async fn status(&self, path: &str) -> Option<u16> {
        self.client
            .get(format!("{}{path}", self.address))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .ok()
            .map(|r| r.status().as_u16())
    }

    async fn post(&self, token: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.json().await.unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }
}

/// Issues an editor token with the CLI, as an operator would.
fn editor_token(database_url: &str, folder: &Path) -> String {
    let output = command(database_url, folder)
        .args(["token", "issue", "--name", "writer", "--role", "editor"])
        .output()
        .expect("token issue runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// A request under way (its body half sent) when SIGTERM arrives still gets its answer;
/// `/readyz` turns 503 first, and the process exits 0 within the drain timeout.
#[tokio::test]
async fn sigterm_drains_the_requests_under_way_and_exits_cleanly() {
    let folder = TempFolder::new("shutdown");
    let url = folder.sqlite_url();
    let mut server = Server::start(
        &url,
        &folder.0,
        &[("SHUTDOWN_GRACE_MS", "1500"), ("DRAIN_TIMEOUT_MS", "5000")],
    )
    .await;
    assert_eq!(server.status("/readyz").await, Some(200));

    // Arrange: a request whose body is half sent.
    let body = json!({ "query": "{ city(slug: \"namur\") { name } }" }).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let address = server.address.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(
            format!(
                "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{head}",
                body.len()
            )
            .as_bytes(),
        )
        .await
        .unwrap();

    // Act
    server.signal("-TERM");
    let signalled = Instant::now();

    // Assert: not ready any more, while still serving.
    let mut readiness = server.status("/readyz").await;
    while readiness == Some(200) && signalled.elapsed() < Duration::from_secs(1) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        readiness = server.status("/readyz").await;
    }
    assert_eq!(readiness, Some(503), "/readyz still says ready");
    assert_eq!(server.status("/healthz").await, Some(200));

    // The request under way completes.
    tokio::time::sleep(Duration::from_millis(1800)).await;
    stream.write_all(tail.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"Namur\""), "{response}");

    // The process exits 0, before the drain timeout runs out.
    let exit = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_millis(1500 + 5000 + 1000),
            "still running after the drain timeout"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exit.success(), "{exit:?}");
    // Its own 503s while draining are intended: nothing of the shutdown is logged as an error.
    let log = std::fs::read_to_string(folder.0.join("server.log")).unwrap();
    let errors: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(r#""level":"ERROR""#))
        .collect();
    assert!(errors.is_empty(), "errors logged on shutdown: {errors:#?}");
}

/// Open live streams complete as soon as SIGTERM arrives, and never hold the shutdown: the
/// process exits within the grace period and a little, far before the drain timeout.
#[tokio::test]
async fn sigterm_completes_the_open_streams_and_exits_without_waiting_for_them() {
    let folder = TempFolder::new("streams");
    let url = folder.sqlite_url();
    let mut server = Server::start(
        &url,
        &folder.0,
        &[("SHUTDOWN_GRACE_MS", "300"), ("DRAIN_TIMEOUT_MS", "30000")],
    )
    .await;

    // Arrange: two streams open, their first comment read.
    let mut streams = Vec::new();
    for _ in 0..2 {
        let mut response = server
            .client
            .post(format!("{}/graphql/stream", server.address))
            .header("accept", "text/event-stream")
            .json(&json!({ "query": "subscription { changes { cursor } }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let first = response.chunk().await.unwrap().unwrap();
        assert!(first.starts_with(b":"), "{first:?}");
        streams.push(response);
    }

    // Act
    server.signal("-TERM");
    let signalled = Instant::now();

    // Assert: each stream ends with `complete`.
    for mut response in streams {
        let mut rest = Vec::new();
        while let Some(chunk) = response.chunk().await.unwrap() {
            rest.extend_from_slice(&chunk);
        }
        let rest = String::from_utf8(rest).unwrap();
        assert!(rest.ends_with("event: complete\ndata:\n\n"), "{rest:?}");
    }
    let exit = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(10),
            "still running: the open streams hold the shutdown"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(exit.success(), "{exit:?}");
}

const CREATE_CITY: &str = "mutation($input: CreateCityInput!) { createCity(input: $input) { city { slug } userErrors { code message } } }";

/// Writers that run at once never see "database is locked"; a `kill -9` in the middle of
/// their stream loses nothing that was acknowledged and leaves the file sound.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_writer_killed_mid_stream_keeps_every_acknowledged_write() {
    let folder = TempFolder::new("kill9");
    let url = folder.sqlite_url();
    // Migrate and seed first, so that the token can name the database.
    let migrate = command(&url, &folder.0).arg("seed").output().unwrap();
    assert!(migrate.status.success(), "{migrate:?}");
    let token = editor_token(&url, &folder.0);
    let mut server = Server::start(&url, &folder.0, &[]).await;

    // Act: four writers create cities as fast as they are answered; the server is killed
    // once 60 writes were acknowledged.
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let failures = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let address = server.address.clone();
    let mut writers = Vec::new();
    for writer in 0..4 {
        let acknowledged = acknowledged.clone();
        let failures = failures.clone();
        let token = token.clone();
        let address = address.clone();
        writers.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            for n in 0..1_000 {
                let slug = format!("kill-test-{writer}-{n}");
                let input = json!({ "slug": slug, "name": format!("Kill test {writer} {n}"), "country": "LU" });
                let sent = client
                    .post(format!("{address}/graphql"))
                    .bearer_auth(&token)
                    .json(&json!({ "query": CREATE_CITY, "variables": { "input": input } }))
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                let Ok(text) = response.text().await else {
                    return;
                };
                let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                if body["data"]["createCity"]["city"]["slug"] == slug {
                    acknowledged.lock().unwrap().push(slug);
                } else {
                    failures.lock().unwrap().push(text);
                }
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 60 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.signal("-KILL");
    let _ = server.child.wait();
    for writer in writers {
        let _ = writer.await;
    }
    let failures = failures.lock().unwrap().clone();
    assert!(
        failures.is_empty(),
        "a write failed while the server ran: {failures:?}"
    );

    // Assert: the file is sound, and every acknowledged city is there.
    let check = command(&url, &folder.0)
        .arg("check-database")
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    assert_eq!(String::from_utf8_lossy(&check.stdout).trim(), "ok");
    let server = Server::start(&url, &folder.0, &[]).await;
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 60);
    for chunk in acknowledged.chunks(50) {
        let fields: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, slug)| format!("c{i}: city(slug: \"{slug}\") {{ slug }}"))
            .collect();
        let (_, body) = server
            .post(None, &format!("{{ {} }}", fields.join(" ")), json!({}))
            .await;
        for (i, slug) in chunk.iter().enumerate() {
            assert_eq!(body["data"][format!("c{i}")]["slug"], *slug, "{slug} lost");
        }
    }
}

/// PostgreSQL's binaries and a way to run them as the postgres user, from the environment
/// `scripts/test-postgres` sets.
struct Postgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _folder: TempFolder,
}

impl Postgres {
    fn from_env() -> Option<Postgres> {
        let bin = PathBuf::from(std::env::var("TEST_PG_BIN").ok()?);
        let folder = TempFolder::new("pg-faults");
        let port = free_port();
        let postgres = Postgres {
            bin,
            data: folder.0.join("data"),
            port,
            _folder: folder,
        };
        if is_root() {
            let _ = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(&postgres._folder.0)
                .status();
        }
        postgres.run(
            "initdb",
            &[
                "-D",
                postgres.data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth=trust",
            ],
        );
        postgres.start();
        Some(postgres)
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let output = if is_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        }
        .expect("a PostgreSQL tool runs");
        assert!(output.status.success(), "{tool}: {output:?}");
    }

    fn start(&self) {
        let options = format!(
            "-h 127.0.0.1 -p {} -k {} -c fsync=off",
            self.port,
            self._folder.0.display()
        );
        let log = self._folder.0.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-o",
                &options,
                "start",
            ],
        );
    }

    fn stop(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data.to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new(self.bin.join("pg_ctl"))
            .args(["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"])
            .status();
        if is_root() {
            let _ = Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"))
                .args(["-D", self.data.to_str().unwrap(), "-m", "immediate", "stop"])
                .status();
        }
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// A TCP relay in front of PostgreSQL (socat), to cut the network by killing it.
struct Relay {
    child: Child,
}

impl Relay {
    fn start(listen: u16, target: u16) -> Relay {
        use std::os::unix::process::CommandExt;
        // Its own process group: with `fork`, socat serves each connection from a child
        // process, and a cut must kill those too.
        let child = Command::new("socat")
            .process_group(0)
            .arg(format!("TCP-LISTEN:{listen},bind=127.0.0.1,reuseaddr,fork"))
            .arg(format!("TCP:127.0.0.1:{target}"))
            .stderr(Stdio::null())
            .spawn()
            .expect("socat runs (scripts/test-postgres installs it)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", listen)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "socat never listened"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Relay { child }
    }

    fn cut(self) {}
}

impl Drop for Relay {
    fn drop(&mut self) {
        // pkill by group: procps-ng 4.0's `kill -KILL -PGID` misreads a negative id.
        let _ = Command::new("pkill")
            .args(["-KILL", "-g", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

async fn assert_down_then_back(server: &Server, token: &str, what: &str) {
    // /readyz turns 503 within seconds; /healthz stays 200.
    let cut = Instant::now();
    while server.status("/readyz").await != Some(503) {
        assert!(
            cut.elapsed() < Duration::from_secs(5),
            "{what}: /readyz still 200"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(server.status("/healthz").await, Some(200));
    // A request fails fast, with a code and no detail of the fault.
    let asked = Instant::now();
    let (status, body) = server
        .post(None, "{ city(slug: \"namur\") { name } }", json!({}))
        .await;
    assert!(
        asked.elapsed() < Duration::from_secs(8),
        "{what}: the request hung"
    );
    let error = &body["errors"][0];
    assert_eq!(
        error["extensions"]["code"], "UNAVAILABLE",
        "{what}: {body:#}"
    );
    assert_eq!(status, 503, "{what}: retryable, not a server fault");
    assert!(error["extensions"]["requestId"].is_string());
    let text = body.to_string();
    assert!(
        !text.contains("127.0.0.1") && !text.to_lowercase().contains("select"),
        "{text}"
    );
    // A valid token is never read as invalid because its store is down: a retryable 503, not
    // a 401.
    let (status, body) = server
        .post(Some(token), "{ city(slug: \"namur\") { name } }", json!({}))
        .await;
    assert_eq!(status, 503, "{what}: {body:#}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAVAILABLE");
}

async fn assert_serving(server: &Server, what: &str) {
    let back = Instant::now();
    loop {
        let (_, body) = server
            .post(None, "{ city(slug: \"namur\") { name } }", json!({}))
            .await;
        if body["data"]["city"]["name"] == "Namur" {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(15),
            "{what}: not serving again: {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(server.status("/readyz").await, Some(200));
}

/// PostgreSQL stopped, and the network to it cut, while the server runs: the server says it is
/// not ready, fails requests fast with a code, and serves again once the database is back —
/// with no restart.
#[tokio::test]
async fn the_server_survives_postgresql_going_away_and_coming_back() {
    let Some(postgres) = Postgres::from_env() else {
        eprintln!("TEST_PG_BIN is not set: run through scripts/test-postgres");
        return;
    };
    let folder = TempFolder::new("pg-server");
    let relay_port = free_port();
    let relay = Relay::start(relay_port, postgres.port);
    let url = format!("postgres://postgres@127.0.0.1:{relay_port}/postgres");
    let server = Server::start(&url, &folder.0, &[]).await;
    assert_serving(&server, "at start").await;
    let token = editor_token(&url, &folder.0);

    // The network is cut.
    relay.cut();
    assert_down_then_back(&server, &token, "network cut").await;
    let relay = Relay::start(relay_port, postgres.port);
    assert_serving(&server, "network back").await;

    // PostgreSQL stops.
    postgres.stop();
    assert_down_then_back(&server, &token, "PostgreSQL stopped").await;
    postgres.start();
    assert_serving(&server, "PostgreSQL back").await;
    drop(relay);
}

/// A webhook subscriber that never answers its first request and takes the next ones: what
/// it got, by `webhook-id`.
async fn stalling_receiver() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: axum::http::HeaderMap| {
            let seen = seen.clone();
            async move {
                let id = headers
                    .get("webhook-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                let first = {
                    let mut seen = seen.lock().unwrap();
                    seen.push(id);
                    seen.len() == 1
                };
                if first {
                    std::future::pending::<()>().await;
                }
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, got)
}

/// A server killed (`kill -9`) while it delivers a webhook loses nothing: once its lease
/// runs out, another process sends the same message, with the same `webhook-id`.
#[tokio::test]
async fn a_webhook_delivery_cut_by_a_killed_process_is_sent_again_by_another() {
    // Arrange
    let folder = TempFolder::new("webhook-kill");
    let url = folder.sqlite_url();
    let seeded = command(&url, &folder.0).arg("seed").output().unwrap();
    assert!(seeded.status.success(), "{seeded:?}");
    let token = editor_token(&url, &folder.0);
    let env = [
        ("WEBHOOK_TARGETS", "any-host"),
        ("WEBHOOK_POLL_MS", "50"),
        ("WEBHOOK_LEASE_MS", "1500"),
        ("WEBHOOK_TIMEOUT_MS", "60000"),
    ];
    let first = Server::start(&url, &folder.0, &env).await;
    let (hook, got) = stalling_receiver().await;
    let subscribe = r#"mutation($url: String!) { createWebhookSubscription(input: { url: $url }) { secret userErrors { code message } } }"#;
    let (_, body) = first
        .post(Some(&token), subscribe, json!({ "url": hook }))
        .await;
    assert!(
        body["data"]["createWebhookSubscription"]["secret"].is_string(),
        "{body:#}"
    );

    // Act: a change; the first process is killed while the subscriber holds its delivery.
    let input = json!({ "slug": "webhook-kill", "name": "Webhook kill", "country": "LU" });
    let (_, body) = first
        .post(Some(&token), CREATE_CITY, json!({ "input": input }))
        .await;
    assert_eq!(
        body["data"]["createCity"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let started = Instant::now();
    while got.lock().unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no delivery began"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.signal("-KILL");
    drop(first);
    let second = Server::start(&url, &folder.0, &env).await;
    while got.lock().unwrap().len() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the message was lost"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Assert: the same message, taken the second time.
    let ids = got.lock().unwrap().clone();
    assert_eq!(ids[0], ids[1], "{ids:?}");
    let listed = r#"{ webhookSubscriptions { deliveries { messageId delivered } } }"#;
    let mut delivered = Value::Null;
    for _ in 0..100 {
        delivered = second.post(Some(&token), listed, json!({})).await.1;
        if delivered["data"]["webhookSubscriptions"][0]["deliveries"][0]["delivered"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        delivered["data"]["webhookSubscriptions"][0]["deliveries"],
        json!([{ "messageId": ids[0], "delivered": true }])
    );
}

/// A query's count of cities, and whether the server's cache of answers had it (`x-cache`).
async fn cities_counted(server: &Server) -> (i64, String) {
    let response = server
        .client
        .post(format!("{}/graphql", server.address))
        .json(&json!({ "query": "{ cities { totalCount } }" }))
        .send()
        .await
        .expect("the server answers");
    let cache = response
        .headers()
        .get("x-cache")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body: Value = response.json().await.expect("a JSON body");
    let count = body["data"]["cities"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("a count: {body:#}"));
    (count, cache)
}

/// A command-line import into the SQLite file a server serves is seen by the server's next
/// read, though its cache of answers kept the answer from before (`PRAGMA data_version` moved).
#[tokio::test]
async fn a_cli_import_into_the_file_is_seen_by_the_next_read_despite_the_cache() {
    let folder = TempFolder::new("cache-import");
    let url = folder.sqlite_url();
    let server = Server::start(&url, &folder.0, &[]).await;
    cities_counted(&server).await;
    let (before, _) = cities_counted(&server).await;
    assert_eq!(cities_counted(&server).await, (before, "hit".to_owned()));

    let import = command(&url, &folder.0)
        .args(["import", "csv", "cities"])
        .arg(repo_root().join("tests/fixtures/csv/cities.csv"))
        .output()
        .expect("the import runs");
    assert!(import.status.success(), "{import:?}");
    let (after, cache) = cities_counted(&server).await;

    assert_eq!(cache, "miss");
    assert!(
        after > before,
        "{before} cities before the import, {after} after"
    );
}

/// Two server processes on one SQLite file: a city created through one is counted by the
/// next read from the other, whose cache had the count from before.
#[tokio::test]
async fn a_write_through_another_server_process_is_seen_by_the_next_read_despite_the_cache() {
    let folder = TempFolder::new("cache-two-servers");
    let url = folder.sqlite_url();
    let migrate = command(&url, &folder.0).arg("seed").output().unwrap();
    assert!(migrate.status.success(), "{migrate:?}");
    let token = editor_token(&url, &folder.0);
    let reader = Server::start(&url, &folder.0, &[]).await;
    let writer = Server::start(&url, &folder.0, &[]).await;
    cities_counted(&reader).await;
    let (before, _) = cities_counted(&reader).await;
    assert_eq!(cities_counted(&reader).await, (before, "hit".to_owned()));

    let input = json!({ "slug": "ailleurs", "name": "Ailleurs", "country": "LU" });
    let (status, created) = writer
        .post(Some(&token), CREATE_CITY, json!({ "input": input }))
        .await;
    assert_eq!(status, 200, "{created:#}");
    assert!(created.get("errors").is_none(), "{created:#}");
    let (after, cache) = cities_counted(&reader).await;

    assert_eq!(cache, "miss");
    assert_eq!(after, before + 1);
}
