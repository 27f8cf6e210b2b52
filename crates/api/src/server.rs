//! The HTTP server: GraphQL over HTTP, GraphiQL, health, readiness and metrics.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::http::GraphiQLSource;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use persistence::Db;
use tower_http::trace::TraceLayer;

use crate::auth::Caller;
use crate::config::Config;
use crate::error::RequestId;
use crate::schema::{self, DirectorySchema};
use crate::token::TokenKeys;

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

struct Shared {
    schema: DirectorySchema,
    keys: TokenKeys,
    db: Db,
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
        schema: schema::build(&config.limits),
        keys,
        db: db.clone(),
        requests: AtomicU64::new(0),
        instance: format!(
            "{:x}",
            std::process::id() as u64 ^ chrono::Utc::now().timestamp_micros() as u64
        ),
    });
    let router = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route("/graphiql", get(graphiql))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .layer(DefaultBodyLimit::max(config.limits.max_body_bytes))
        .layer(TraceLayer::new_for_http())
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
    axum::serve(listener, app.router)
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

/// The media type of GraphQL-over-HTTP responses.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

fn wants_graphql_response(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains(GRAPHQL_RESPONSE))
}

async fn execute(
    shared: &Shared,
    headers: &HeaderMap,
    request: async_graphql::Request,
    method: Method,
) -> Response {
    let number = shared.requests.fetch_add(1, Ordering::Relaxed);
    let request_id = format!("{}-{number}", shared.instance);
    let graphql_response = wants_graphql_response(headers);

    if method == Method::GET && is_mutation(&request) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, HeaderValue::from_static("POST"))],
            "mutations must be sent with POST",
        )
            .into_response();
    }

    let caller = match headers.get(header::AUTHORIZATION) {
        None => Caller::Anonymous,
        Some(value) => {
            let presented = value.to_str().unwrap_or_default();
            match crate::token::authenticate(&shared.db, &shared.keys, presented).await {
                Ok(actor) => Caller::Token(actor),
                // The token store failing is our fault, not the caller's: no 401 for it.
                Err(crate::token::Rejection::Store(error)) => {
                    tracing::error!(request_id, %error, "token store unavailable");
                    let body = serde_json::json!({ "errors": [{
                        "message": format!("internal error (request {request_id}); it has been logged"),
                        "extensions": { "code": "INTERNAL", "requestId": request_id },
                    }] });
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        [(header::CONTENT_TYPE, "application/json")],
                        body.to_string(),
                    )
                        .into_response();
                }
                Err(reason) => {
                    tracing::info!(request_id, %reason, "token refused");
                    return invalid_token();
                }
            }
        }
    };
    let (loader, batches) = crate::batch::request_loader(shared.db.clone());
    let request = request
        .data(loader)
        .data(shared.db.clone())
        .data(shared.keys.clone())
        .data(caller)
        .data(RequestId(request_id.clone()));
    let response = crate::batch::drive(shared.schema.execute(request), batches).await;

    // GraphQL over HTTP: with the new media type, a request that could not run (no data) is a
    // 400; with application/json, every well-formed exchange is a 200.
    let status = if graphql_response
        && response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
    {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let content_type = if graphql_response {
        GRAPHQL_RESPONSE
    } else {
        "application/json"
    };
    let body = serde_json::to_vec(&response)
        .unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec());
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::HeaderName::from_static("x-request-id"),
                HeaderValue::from_str(&request_id).unwrap_or(HeaderValue::from_static("unknown")),
            ),
        ],
        body,
    )
        .into_response()
}

/// The one answer to every refused token: the reason goes to the log only.
fn invalid_token() -> Response {
    let body = serde_json::json!({
        "errors": [{ "message": "invalid or expired token", "extensions": { "code": "UNAUTHENTICATED" } }]
    });
    (
        StatusCode::UNAUTHORIZED,
        [
            (
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            ),
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

fn is_mutation(request: &async_graphql::Request) -> bool {
    match async_graphql::parser::parse_query(&request.query) {
        Ok(document) => document.operations.iter().any(|(name, operation)| {
            let chosen = match (&request.operation_name, name) {
                (Some(wanted), Some(name)) => wanted.as_str() == name.as_str(),
                _ => true,
            };
            chosen && operation.node.ty != async_graphql::parser::types::OperationType::Query
        }),
        Err(_) => false,
    }
}

fn bad_request(message: String) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_REQUEST" } }] });
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn graphql_post(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !is_json {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the request as application/json",
        )
            .into_response();
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(&shared, &headers, request, Method::POST).await,
        Err(error) => bad_request(format!("the body is not a GraphQL request: {error}")),
    }
}

/// A GraphQL request in a query string: `?query=…&variables=…&operationName=…`.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetRequest {
    query: String,
    operation_name: Option<String>,
    variables: Option<String>,
}

async fn graphql_get(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    query: Result<Query<GetRequest>, QueryRejection>,
) -> Response {
    let Ok(Query(get)) = query else {
        return bad_request("a GET request needs a `query` parameter".to_owned());
    };
    let mut request = async_graphql::Request::new(get.query);
    if let Some(name) = get.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = get.variables {
        match serde_json::from_str::<serde_json::Value>(&variables) {
            Ok(value) => request = request.variables(async_graphql::Variables::from_json(value)),
            Err(error) => return bad_request(format!("`variables` is not JSON: {error}")),
        }
    }
    execute(&shared, &headers, request, Method::GET).await
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
    let body = format!(
        "# HELP directory_graphql_requests_total GraphQL requests served.\n\
         # TYPE directory_graphql_requests_total counter\n\
         directory_graphql_requests_total {}\n\
         # HELP directory_db_statements_total SQL statements run.\n\
         # TYPE directory_db_statements_total counter\n\
         directory_db_statements_total {}\n",
        shared.requests.load(Ordering::Relaxed),
        shared.db.statement_count(),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body).into_response()
}
