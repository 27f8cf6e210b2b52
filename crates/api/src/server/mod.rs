//! The HTTP server: GraphQL over HTTP, subscriptions over Server-Sent Events, GraphiQL, bulk
//! exports, health, readiness and metrics.

mod connections;
mod cors;
pub mod event_stream;
mod exports;
mod field_order;
mod graphiql;
mod graphql;
mod http_cache;
mod internal;
pub mod nesting;
mod persisted_queries;
mod request_context;
mod sse;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use persistence::Db;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::config::{Config, Limits, Shutdown};
use crate::schema::Schemas;
use crate::token::TokenKeys;

pub use exports::EXPORT_COST;
pub use internal::Runner;
pub use request_context::REQUEST_ID_HEADER;

/// What a start-up failure says, in one line.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Database(persistence::Error),
    #[error("cannot load the seed dataset: {0}")]
    Seed(persistence::Error),
    #[error("cannot set up token signing: {0}")]
    Keys(crate::token::KeyError),
}

/// The directory's HTTP application and its database.
#[derive(Clone)]
pub struct App {
    pub router: Router,
    pub db: Db,
    /// Set when shutdown begins: `/readyz` then answers 503.
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// The live streams of the change feed, which complete when shutdown begins.
    pub live: Arc<crate::live::Hub>,
    /// What a client may hold open, and for how long.
    pub http: crate::config::Http,
}

/// What every handler shares.
struct Shared {
    schemas: Schemas,
    /// What each field costs, read from the schema.
    costs: crate::cost::CostModel,
    /// Parsed queries by their text, so a query sent again is not parsed again.
    documents: crate::documents::Documents,
    /// Answers to queries, kept until a write commits.
    cache: crate::response_cache::ResponseCache,
    /// Queries registered by their hash (automatic persisted queries).
    persisted: persisted_queries::PersistedQueries,
    /// Turns to execute a GraphQL request: requests beyond them wait (within their timeout), so
    /// the memory that answers take stays bounded however many connections come.
    executions: tokio::sync::Semaphore,
    keys: TokenKeys,
    db: Db,
    limits: Limits,
    http: crate::config::Http,
    limiter: Arc<crate::rate_limit::RateLimiter>,
    metrics: crate::metrics::Metrics,
    /// Whether the client address comes from `X-Forwarded-For` (behind a trusted proxy).
    trust_forwarded_for: bool,
    requests: AtomicU64,
    draining: Arc<std::sync::atomic::AtomicBool>,
    live: Arc<crate::live::Hub>,
    /// A prefix that tells this process's request ids from another's.
    instance: String,
}

/// Opens the configured database, migrated, and loaded with the seed dataset when empty: the
/// state every command that serves or imports starts from (so imports match seed records).
pub async fn open_seeded(config: &Config) -> Result<Db, StartError> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(StartError::Database)?;
    db.migrate().await.map_err(StartError::Database)?;
    if persistence::lookup::is_empty(&db)
        .await
        .map_err(StartError::Database)?
    {
        let summary = persistence::seed::load_folder(&db, &config.seed_dir)
            .await
            .map_err(StartError::Seed)?;
        tracing::info!(loaded = ?summary.loaded, "seeded an empty database");
    }
    Ok(db)
}

/// Opens and migrates the database, seeds it when it holds nothing yet, and builds the router.
pub async fn build(config: &Config) -> Result<App, StartError> {
    let db = open_seeded(config).await?;
    let keys = TokenKeys::from_config(&config.tokens).map_err(StartError::Keys)?;
    let draining = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let schemas = Schemas::build(&config.limits, config.webhooks.targets());
    let live = crate::live::Hub::new(db.clone(), config.live.clone());
    let shared = Arc::new(Shared {
        costs: crate::cost::CostModel::from_sdl(&schemas.run.sdl()),
        schemas,
        documents: crate::documents::Documents::new(crate::documents::DEFAULT_CAPACITY_BYTES),
        cache: crate::response_cache::ResponseCache::new(&config.cache, &db),
        persisted: persisted_queries::PersistedQueries::new(config.cache.persisted_queries_bytes),
        executions: tokio::sync::Semaphore::new(config.limits.concurrent_requests()),
        keys,
        db: db.clone(),
        limits: config.limits.clone(),
        http: config.http.clone(),
        limiter: Arc::new(crate::rate_limit::RateLimiter::new(
            db.clone(),
            config.rate_limits.clone(),
        )),
        trust_forwarded_for: config.rate_limits.trust_forwarded_for,
        metrics: crate::metrics::Metrics::new(db.clone()),
        requests: AtomicU64::new(0),
        draining: draining.clone(),
        live: live.clone(),
        instance: format!(
            "{:x}",
            std::process::id() as u64 ^ chrono::Utc::now().timestamp_micros() as u64
        ),
    });
    crate::webhook::start(
        db.clone(),
        Runner::new(shared.clone()),
        &config.webhooks,
        draining.clone(),
    );
    let router = Router::new()
        .route("/", get(home))
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphql/stream", get(sse::get).post(sse::post))
        .route("/graphiql", get(graphiql::page))
        .route("/graphiql/assets/{name}", get(graphiql::asset))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/exports/{file}", get(exports::export))
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            request_context::refuse_oversized_headers,
        ))
        .layer(TraceLayer::new_for_http().on_failure(log_failure))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            request_context::with_request_id,
        ))
        .layer(cors::layer(&config.http.cors_allowed_origins))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(shared);
    Ok(App {
        router,
        db,
        draining,
        live,
        http: config.http.clone(),
    })
}

/// Serves on a bound listener until SIGINT or SIGTERM, then drains (see `serve_until`).
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: Shutdown,
) -> std::io::Result<()> {
    serve_until(listener, app, shutdown_signal(), shutdown).await
}

/// Serves on a bound listener until SIGINT or SIGTERM, with the default drain timings.
pub async fn serve_on(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    serve_until(listener, app, shutdown_signal(), Shutdown::default()).await
}

/// Serves on a bound listener until `stop` completes, then shuts down in three steps:
/// `/readyz` answers 503 at once, so a load balancer stops sending new requests, and the live
/// streams complete (their clients reconnect elsewhere, with `Last-Event-ID`); the server
/// goes on serving for `grace_ms` while the balancer notices; then it stops accepting
/// connections and lets the requests under way finish, for at most `drain_timeout_ms`.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    app: App,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    shutdown: Shutdown,
) -> std::io::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "serving the directory: /graphql, /graphiql");
    let draining = app.draining.clone();
    let live = app.live.clone();
    let stop_accepting = async move {
        stop.await;
        draining.store(true, std::sync::atomic::Ordering::SeqCst);
        live.stop();
        tracing::info!(
            grace_ms = shutdown.grace_ms,
            "shutting down: /readyz now answers 503"
        );
        tokio::time::sleep(std::time::Duration::from_millis(shutdown.grace_ms)).await;
        tracing::info!("no longer accepting connections; finishing the requests under way");
    };
    let drain_started = Arc::new(tokio::sync::Notify::new());
    let drain_signal = drain_started.clone();
    let served = connections::serve(listener, app.router, &app.http, async move {
        stop_accepting.await;
        drain_signal.notify_one();
    });
    let deadline = async move {
        drain_started.notified().await;
        tokio::time::sleep(std::time::Duration::from_millis(shutdown.drain_timeout_ms)).await;
    };
    tokio::select! {
        () = served => Ok(()),
        () = deadline => {
            tracing::warn!(drain_timeout_ms = shutdown.drain_timeout_ms, "requests still under way at the drain timeout: stopping anyway");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}

/// The root sends a browser to GraphiQL: someone who opens the server's address sees the API.
/// Temporary (307): browsers do not remember it, so the root stays free for a later page.
async fn home() -> axum::response::Redirect {
    axum::response::Redirect::temporary("/graphiql")
}

/// What tower-http's trace layer logs for a 5xx answer. A 503 is one the directory meant to
/// give — `/readyz` while shutting down or with the database out of reach, `UNAVAILABLE`, a
/// timeout — and each is logged where it is decided (a warning at most): an operator's log
/// shows no ERROR for it. A 500 (`INTERNAL`, already logged with its cause) and a failed
/// connection stay errors.
fn log_failure(
    failure: tower_http::classify::ServerErrorsFailureClass,
    latency: std::time::Duration,
    _span: &tracing::Span,
) {
    use tower_http::classify::ServerErrorsFailureClass;
    let latency_ms = latency.as_millis();
    match failure {
        ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {
            tracing::info!(latency_ms, "answered 503: shutting down or unavailable");
        }
        ServerErrorsFailureClass::StatusCode(status) => {
            tracing::error!(latency_ms, %status, "response failed");
        }
        ServerErrorsFailureClass::Error(error) => {
            tracing::error!(latency_ms, %error, "response failed");
        }
    }
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when not shutting down and the database answers within a second.
async fn readyz(State(shared): State<Arc<Shared>>) -> Response {
    if shared.draining.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match tokio::time::timeout(std::time::Duration::from_secs(1), shared.db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(error)) => {
            tracing::warn!(%error, "database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => {
            tracing::warn!("database did not answer within a second");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        shared.metrics.encode(),
    )
        .into_response()
}
