//! The two baselines the directory is compared with, served by one axum process:
//!
//! - `POST /plain/{name}`: a plain axum handler that returns the captured response's bytes
//!   from memory — the most this machine and HTTP stack serve;
//! - `POST /memory/{name}`: the in-memory async-graphql schema of `memory_schema` executing
//!   the request's query — the most our GraphQL stack serves with no database.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::memory_schema::schema_for;

struct Captured {
    bytes: Bytes,
    schema: async_graphql::dynamic::Schema,
}

type Shared = Arc<HashMap<String, Captured>>;

/// Reads every `<name>.json` response of `folder` and serves the baselines on `listen`.
pub async fn serve(folder: &Path, listen: &str) -> Result<(), String> {
    let mut captured = HashMap::new();
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        let name = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let response: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        let schema = schema_for(&response["data"]).map_err(|e| format!("{name}: {e}"))?;
        captured.insert(
            name,
            Captured {
                bytes: Bytes::from(bytes),
                schema,
            },
        );
    }
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/plain/{name}", post(plain))
        .route("/memory/{name}", post(memory))
        .with_state(Arc::new(captured));
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    axum::serve(listener, app)
        .await
        .map_err(|e| format!("cannot serve: {e}"))
}

fn json(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

async fn plain(State(captured): State<Shared>, UrlPath(name): UrlPath<String>) -> Response {
    match captured.get(&name) {
        Some(captured) => (
            [(header::CONTENT_TYPE, "application/json")],
            captured.bytes.clone(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn memory(
    State(captured): State<Shared>,
    UrlPath(name): UrlPath<String>,
    body: Bytes,
) -> Response {
    let Some(captured) = captured.get(&name) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    let response = captured.schema.execute(request).await;
    match serde_json::to_vec(&response) {
        Ok(bytes) => json(bytes),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
