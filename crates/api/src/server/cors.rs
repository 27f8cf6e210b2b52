//! Which web pages may call the API from another origin (CORS).
//!
//! Tokens travel in the `Authorization` header, never in cookies, so allowing an origin
//! grants its pages nothing a script could not already do with a token it holds: the list is
//! about which front-ends are meant to call, not a secret. With no origin configured, browsers
//! refuse every page of another origin, as before.

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The response headers a page may read: the request id to report a problem, the budget, and
/// an export's `ETag` to ask again with `If-None-Match`.
const EXPOSED: [&str; 7] = [
    super::REQUEST_ID_HEADER,
    "etag",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-used",
    "x-ratelimit-reset",
    "retry-after",
];

/// The CORS layer for `allowed_origins` (`CORS_ALLOWED_ORIGINS`): `*` allows any origin,
/// otherwise each entry is an exact origin (`https://app.example.org`).
pub fn layer(allowed_origins: &[String]) -> CorsLayer {
    let origins: Vec<&str> = allowed_origins
        .iter()
        .map(|origin| origin.trim().trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .collect();
    let allow_origin = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(origins.iter().filter_map(|origin| {
            HeaderValue::from_str(origin)
                .inspect_err(|_| tracing::warn!(%origin, "ignoring a malformed CORS origin"))
                .ok()
        }))
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            header::IF_MODIFIED_SINCE,
        ])
        .expose_headers(EXPOSED.map(HeaderName::from_static))
        .max_age(std::time::Duration::from_secs(3_600))
}
