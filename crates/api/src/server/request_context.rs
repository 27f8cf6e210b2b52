//! What every HTTP request gets before its handler runs: an id, in the `x-request-id` response
//! header and in every log line written while it is served.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use super::Shared;
use crate::error::RequestId;

/// The response header that carries the request id.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

pub(super) async fn with_request_id(
    State(shared): State<Arc<Shared>>,
    mut request: Request,
    next: Next,
) -> Response {
    let number = shared.requests.fetch_add(1, Ordering::Relaxed);
    let id = format!("{}-{number}", shared.instance);
    request.extensions_mut().insert(RequestId(id.clone()));
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = if shared.trust_forwarded_for {
        forwarded_for(request.headers()).or(peer)
    } else {
        peer
    };
    request.extensions_mut().insert(ClientAddress(client));
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %request.method(),
        path = %request.uri().path(),
    );
    let mut response = guard_panics(&id, next.run(request)).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

/// Refuses a request whose line and headers together are over `MAX_HEADER_BYTES` with a 431
/// and a JSON body, before any handler reads them.
pub(super) async fn refuse_oversized_headers(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let limit = shared.http.max_header_bytes;
    let size = request
        .uri()
        .path_and_query()
        .map_or(0, |path| path.as_str().len())
        + request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len() + 4)
            .sum::<usize>();
    if size > limit {
        let id = request
            .extensions()
            .get::<RequestId>()
            .map(|id| id.0.clone())
            .unwrap_or_default();
        return super::transport::TransportError::HeadersTooLarge { limit }.into_response(&id);
    }
    next.run(request).await
}

/// Serves a request, turning a panic anywhere below into an `INTERNAL` error that shows the
/// request id only: the panic's message and place go to the log, and the server serves on.
async fn guard_panics(id: &str, serve: impl std::future::Future<Output = Response>) -> Response {
    use async_graphql::futures_util::FutureExt;
    match std::panic::AssertUnwindSafe(serve).catch_unwind().await {
        Ok(response) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|m| (*m).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            tracing::error!(panic = %message, "a request handler panicked");
            super::transport::internal_error(id)
        }
    }
}

/// The client's address: the TCP peer, or behind a trusted proxy the address it forwarded.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

/// The last `X-Forwarded-For` entry: the one our own proxy appended.
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .next_back()
        .and_then(|entry| entry.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_an_internal_error_that_shows_only_the_request_id() {
        let response = guard_panics("abc-1", async {
            panic!("SELECT secret FROM somewhere at src/secret.rs:42");
        })
        .await;
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), 10_000)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            text.contains("\"INTERNAL\"") && text.contains("abc-1"),
            "{text}"
        );
        assert!(!text.contains("SELECT") && !text.contains(".rs"), "{text}");
    }
}
