//! `GET /exports/{file}`: bulk exports over HTTP (`cities.csv`, `people.jsonl`, `popolo.json`,
//! `group-purchases.ocds.json`), streamed page by page, with `ETag` and `Last-Modified`, and
//! `304 Not Modified` for a client that holds the current version.
//!
//! The caller is read from `Authorization` as for `/graphql` (a refused token gets the same
//! 401); the answer's version is read from the audit trail before anything else, so a client
//! that is up to date costs one indexed statement.

use std::sync::Arc;

use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::request_context::ClientAddress;
use super::transport::Format as Transport;
use crate::error::{ApiError, RequestId};
use crate::export::freshness::Validators;
use crate::export::{Document, Export, ExportError, Kind, Viewer};

pub(super) async fn export(
    State(shared): State<Arc<Shared>>,
    Extension(request_id): Extension<RequestId>,
    Extension(client): Extension<ClientAddress>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = match super::graphql::authenticate(&shared, &headers, &request_id).await {
        Ok(caller) => caller,
        Err((response, _)) => return response,
    };
    let package_uri = package_uri(&headers, &file, shared.trust_forwarded_for);
    let document = match Document::at_path(&file, &package_uri) {
        Ok(document) => document,
        Err(error) => return refused(&error, &request_id),
    };
    let viewer = Viewer::of(&caller);
    let position = match persistence::changes::position(&shared.db, &document.reads()).await {
        Ok(position) => position,
        Err(error) => {
            return super::transport::failure(&ApiError::internal(&request_id.0, &error));
        }
    };
    let validators = Validators::of(&document, &viewer, &position);
    let condition = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let not_modified = validators.not_modified(
        condition(header::IF_NONE_MATCH).as_deref(),
        condition(header::IF_MODIFIED_SINCE).as_deref(),
    );
    // Charged to the caller's rate limit like a query: a whole export as much as a large
    // query, a confirmation that the client is up to date as one field.
    let budget = shared.limiter.budget(&caller, client.0, &request_id.0);
    let charged = budget
        .charge(if not_modified { 1 } else { EXPORT_COST })
        .await;
    if let Err(error) = charged {
        let mut response = rate_limited(&error, &request_id);
        if let Some(status) = budget.status() {
            super::graphql::rate_limit_headers(response.headers_mut(), &status);
        }
        return response;
    }
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let published = position.at.unwrap_or_else(chrono::Utc::now);
        let export = Export::new(shared.db.clone(), &document, viewer, published);
        let mut response = Response::new(Body::from_stream(chunks(export, request_id.0)));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(document.format().content_type()),
        );
        if let Ok(disposition) =
            HeaderValue::from_str(&format!("inline; filename=\"{}\"", document.file_name()))
        {
            headers.insert(header::CONTENT_DISPOSITION, disposition);
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&validators.etag) {
        headers.insert(header::ETAG, etag);
    }
    if let Some(Ok(date)) = validators
        .last_modified_header()
        .map(|date| HeaderValue::from_str(&date))
    {
        headers.insert(header::LAST_MODIFIED, date);
    }
    // Revalidate every time: the answer is cheap to check and changes with any write. With a
    // token it is the caller's own (drafts, contact details): no shared cache keeps it.
    let cache = if viewer.personal_data {
        "private, no-cache"
    } else {
        "no-cache"
    };
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("Authorization"));
    if let Some(status) = budget.status() {
        super::graphql::rate_limit_headers(headers, &status);
    }
    response
}

/// What an export costs against the caller's rate limit, in query-cost points: as much as a
/// query reading 100 pages of 100 small records, so an anonymous caller may take 20 whole
/// exports at once and then one every 4 seconds (by the default limits).
pub const EXPORT_COST: usize = 20_000;

/// The answer to an export refused by the rate limit: HTTP 429 with the error as a query's
/// (`RATE_LIMITED`, `retryAfter`), `Retry-After` set by the caller.
fn rate_limited(error: &async_graphql::ServerError, request_id: &RequestId) -> Response {
    let mut extensions = serde_json::to_value(&error.extensions)
        .ok()
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}));
    extensions["requestId"] = serde_json::Value::from(request_id.0.clone());
    let body = serde_json::json!({ "errors": [{
        "message": error.message,
        "extensions": extensions,
    }] });
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(Transport::Json.content_type()),
        )],
        body.to_string(),
    )
        .into_response()
}

/// The export's chunks as a body stream. A failure after the first chunk cannot change the
/// status any more: it is logged with the request id and the body is cut short, which the
/// client sees as an incomplete transfer (no final chunk), never as a whole file.
fn chunks(
    export: Export,
    request_id: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::unfold(Some(export), move |state| {
        let request_id = request_id.clone();
        async move {
            let mut export = state?;
            match export.next_chunk().await {
                Ok(Some(chunk)) => Some((Ok(Bytes::from(chunk)), Some(export))),
                Ok(None) => None,
                Err(error) => {
                    let error = ApiError::internal(&request_id, &error);
                    Some((Err(std::io::Error::other(error.to_string())), None))
                }
            }
        }
    })
}

/// The answer to an export that does not exist: a 404 whose JSON body names what does.
fn refused(error: &ExportError, request_id: &RequestId) -> Response {
    let mut exports: Vec<String> = Kind::ALL
        .into_iter()
        .flat_map(|kind| {
            [
                format!("{}.jsonl", kind.name()),
                format!("{}.csv", kind.name()),
            ]
        })
        .collect();
    exports.push("popolo.json".to_owned());
    exports.push("group-purchases.ocds.json".to_owned());
    let body = serde_json::json!({ "errors": [{
        "message": error.to_string(),
        "extensions": {
            "code": crate::error::export_refusal(error),
            "requestId": request_id.0,
            "knownKinds": Kind::known_names(),
            "knownExports": exports,
        },
    }] });
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(Transport::Json.content_type()),
        )],
        body.to_string(),
    )
        .into_response()
}

/// The URI an OCDS package names itself by: this request's, on the host it was sent to
/// (`https` when a trusted proxy says the client used it).
fn package_uri(headers: &HeaderMap, file: &str, trust_forwarded_for: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let https = trust_forwarded_for
        && headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}/exports/{file}")
}
