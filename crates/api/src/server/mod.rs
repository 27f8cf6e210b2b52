//! The HTTP server: GraphQL over HTTP, GraphiQL, health, readiness and metrics.

mod graphql;
mod request_context;
pub mod transport;

use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use persistence::Db;
use tower_http::trace::TraceLayer;

use crate::config::{Config, Limits};
use crate::schema::{self, DirectorySchema};
use crate::token::TokenKeys;

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
}

/// What every handler shares.
struct Shared {
    /// The schema token holders query: its validation errors suggest field names.
    schema: DirectorySchema,
    /// The same schema for anonymous callers, without suggestions: no free map of the schema
    /// for a scanner beyond what introspection (which costs like any query) gives.
    anonymous_schema: DirectorySchema,
    keys: TokenKeys,
    db: Db,
    limits: Limits,
    limiter: Arc<crate::rate_limit::RateLimiter>,
    metrics: crate::metrics::Metrics,
    /// Whether the client address comes from `X-Forwarded-For` (behind a trusted proxy).
    trust_forwarded_for: bool,
    requests: AtomicU64,
    /// A prefix that tells this process's request ids from another's.
    instance: String,
}

/// Opens and migrates the database, seeds it when it holds nothing yet, and builds the router.
pub async fn build(config: &Config) -> Result<App, StartError> {
    let db = Db::connect(&config.database_url)
        .await
        .map_err(StartError::Database)?;
    db.migrate().await.map_err(StartError::Database)?;
    if persistence::lookup::is_empty(&db)
        .await
        .map_err(StartError::Database)?
    {
        let report = persistence::seed::load_folder(&db, &config.seed_dir)
            .await
            .map_err(StartError::Seed)?;
        tracing::info!(loaded = ?report.loaded, "seeded an empty database");
    }
    let keys = TokenKeys::from_config(&config.tokens).map_err(StartError::Keys)?;
    let shared = Arc::new(Shared {
        schema: schema::build(&config.limits, true),
        anonymous_schema: schema::build(&config.limits, false),
        keys,
        db: db.clone(),
        limits: config.limits.clone(),
        limiter: Arc::new(crate::rate_limit::RateLimiter::new(
            db.clone(),
            config.rate_limits.clone(),
        )),
        trust_forwarded_for: config.rate_limits.trust_forwarded_for,
        metrics: crate::metrics::Metrics::new(db.clone()),
        requests: AtomicU64::new(0),
        instance: format!(
            "{:x}",
            std::process::id() as u64 ^ chrono::Utc::now().timestamp_micros() as u64
        ),
    });
    let router = Router::new()
        .route("/graphql", get(graphql::get).post(graphql::post))
        .route("/graphiql", get(graphiql))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            request_context::with_request_id,
        ))
        .with_state(shared);
    Ok(App { router, db })
}

/// Serves until SIGINT or SIGTERM, then finishes the requests under way.
pub async fn serve(app: App, listen: std::net::SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(listen).await?;
    serve_on(listener, app).await
}

/// Serves on a bound listener until SIGINT or SIGTERM.
pub async fn serve_on(listener: tokio::net::TcpListener, app: App) -> std::io::Result<()> {
    tracing::info!(address = %listener.local_addr()?, "serving the directory: /graphql, /graphiql");
    axum::serve(
        listener,
        app.router
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
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
    tracing::info!("shutting down");
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Partner directory — GraphiQL")
            .finish(),
    )
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(shared): State<Arc<Shared>>) -> Response {
    match shared.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(error) => {
            tracing::warn!(%error, "database unreachable");
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
