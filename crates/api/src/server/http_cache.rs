//! HTTP caching of `/graphql` answers: what a browser, a proxy or a CDN may keep, and the
//! conditional requests that revalidate it.
//!
//! - `ETag` on every answer to a query without errors: `W/"…"`, a SHA-256 of the answer's
//!   `data` as written. Weak, because the body also carries `extensions.cost`, whose
//!   `remaining` changes with every request: two bodies with one tag say the same thing, not
//!   byte for byte. A request whose `If-None-Match` names it (GET or POST) gets `304 Not
//!   Modified` with no body — the query was still checked and charged, so the rate-limit
//!   headers come with it.
//! - `Cache-Control`: `public, max-age=0, must-revalidate` for anonymous answers (anyone may
//!   keep them, and must ask again before using them), `private, max-age=0, must-revalidate`
//!   for a token's, `no-store` for mutations, errors and refusals.
//! - `Vary: Authorization, Accept`: the answer depends on the token and the media type.
//! - `x-cache: hit|miss`: whether the server's own cache of answers (`response_cache`) had it.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;

use async_graphql::parser::types::OperationType;

use crate::response_cache::Answer;

/// What the server's cache did for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// Not asked: off, not a query, or the request stopped before.
    NotAsked,
    Hit,
    Miss,
}

/// What `decorate` needs to know of an answer.
pub struct Answered<'a> {
    pub kind: Option<OperationType>,
    pub anonymous: bool,
    /// The answer's data and tag, for a query answered without errors.
    pub answer: Option<&'a Answer>,
    pub cache: CacheUse,
}

/// Adds the caching headers to `response`, and turns it into a `304` when the request's
/// `If-None-Match` names its tag.
pub fn decorate(response: &mut Response, request: &HeaderMap, answered: Answered<'_>) {
    let headers = response.headers_mut();
    headers.append(
        header::VARY,
        HeaderValue::from_static("Authorization, Accept"),
    );
    match answered.cache {
        CacheUse::Hit => {
            headers.insert("x-cache", HeaderValue::from_static("hit"));
        }
        CacheUse::Miss => {
            headers.insert("x-cache", HeaderValue::from_static("miss"));
        }
        CacheUse::NotAsked => {}
    }
    let answer = match answered.answer {
        Some(answer)
            if answered.kind == Some(OperationType::Query)
                && response.status() == StatusCode::OK =>
        {
            answer
        }
        _ => {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            return;
        }
    };
    let etag = format!("W/{}", answer.etag);
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if answered.anonymous {
            "public, max-age=0, must-revalidate"
        } else {
            "private, max-age=0, must-revalidate"
        }),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    if matches(request, &answer.etag) {
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        *response.body_mut() = Body::empty();
        response.headers_mut().remove(header::CONTENT_TYPE);
        response.headers_mut().remove(header::CONTENT_LENGTH);
    }
}

/// Sets `Cache-Control: no-store` on a response that has no `Cache-Control` yet (refusals
/// before any GraphQL: nothing to keep, `PersistedQueryNotFound` above all).
pub fn no_store_unless_set(response: &mut Response) {
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Whether `If-None-Match` names `etag` (`"…"`), weakly compared: `W/` prefixes do not count;
/// `*` names any.
fn matches(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_if_none_match(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn if_none_match_compares_tags_weakly_and_among_several() {
        assert!(matches(&with_if_none_match("W/\"abc\""), "\"abc\""));
        assert!(matches(&with_if_none_match("\"x\", \"abc\""), "\"abc\""));
        assert!(matches(&with_if_none_match("*"), "\"abc\""));
        assert!(!matches(&with_if_none_match("\"abcd\""), "\"abc\""));
        assert!(!matches(&HeaderMap::new(), "\"abc\""));
    }
}
