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
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
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
