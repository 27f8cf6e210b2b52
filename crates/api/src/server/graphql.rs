//! The `/graphql` endpoint: reads the request (transport), authenticates the caller, runs the
//! query under the limits and the rate limit, and writes the response.

use std::sync::Arc;
use std::time::Instant;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::request_context::ClientAddress;
use super::transport::{self, Format, TransportError};
use crate::auth::Caller;
use crate::error::RequestId;
use crate::metrics::Outcome;

/// A response and what `/metrics` records of it.
struct Served {
    response: Response,
    outcome: Outcome,
    operation: Option<String>,
    codes: Vec<String>,
    anonymous: bool,
}

impl Served {
    /// A request refused by the transport, before any GraphQL: its code is the error's.
    fn refused(error: TransportError, request_id: &RequestId) -> Served {
        Served {
            codes: vec![error.code().to_owned()],
            response: error.into_response(&request_id.0),
            outcome: Outcome::Refused,
            operation: None,
            anonymous: true,
        }
    }

    fn record(self, shared: &Shared, started: Instant) -> Response {
        shared.metrics.record(
            self.operation.as_deref(),
            self.outcome,
            started.elapsed(),
            self.codes,
            self.anonymous,
        );
        self.response
    }
}

pub(super) async fn post(
    State(shared): State<Arc<Shared>>,
    Extension(request_id): Extension<RequestId>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let started = Instant::now();
    let served = match Format::negotiate(&headers) {
        None => Served::refused(TransportError::NotAcceptable, &request_id),
        Some(format) => match read_body(&shared, request)
            .await
            .and_then(|body| transport::read_post(&headers, &body, shared.limits.max_query_bytes))
        {
            Ok(request) => execute(&shared, &headers, client, request_id, request, format).await,
            Err(error) => Served::refused(error, &request_id),
        },
    };
    served.record(&shared, started)
}

/// Reads a POST body whole, within `MAX_BODY_BYTES` and `BODY_TIMEOUT_MS`: a client that
/// trickles its body does not hold a connection and a buffer for as long as it likes.
async fn read_body(
    shared: &Shared,
    request: axum::extract::Request,
) -> Result<Bytes, TransportError> {
    use axum::extract::FromRequest;
    use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
    let timeout_ms = shared.http.body_timeout_ms;
    match tokio::time::timeout(
        std::time::Duration::from_millis(timeout_ms),
        Bytes::from_request(request, &()),
    )
    .await
    {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(BytesRejection::FailedToBufferBody(FailedToBufferBody::LengthLimitError(_)))) => {
            Err(TransportError::BodyTooLarge {
                limit: shared.limits.max_body_bytes,
            })
        }
        Ok(Err(_)) => Err(TransportError::BadBody(
            "the body could not be read whole".to_owned(),
        )),
        Err(_) => Err(TransportError::BodyTimeout { timeout_ms }),
    }
}

pub(super) async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(request_id): Extension<RequestId>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let started = Instant::now();
    let served = match Format::negotiate(&headers) {
        None => Served::refused(TransportError::NotAcceptable, &request_id),
        Some(format) => {
            match transport::read_get(query.as_deref(), shared.limits.max_query_bytes) {
                Ok(request) if transport::is_mutation(&request) => {
                    Served::refused(TransportError::MutationOverGet, &request_id)
                }
                Ok(request) => {
                    execute(&shared, &headers, client, request_id, request, format).await
                }
                Err(error) => Served::refused(error, &request_id),
            }
        }
    };
    served.record(&shared, started)
}

async fn execute(
    shared: &Shared,
    headers: &HeaderMap,
    client: ClientAddress,
    request_id: RequestId,
    request: async_graphql::Request,
    format: Format,
) -> Served {
    let operation = request.operation_name.clone();
    let caller = match authenticate(shared, headers, &request_id).await {
        Ok(caller) => caller,
        Err((response, outcome)) => {
            return Served {
                response,
                outcome,
                operation,
                codes: vec![
                    match outcome {
                        Outcome::Internal => crate::error::code::INTERNAL,
                        Outcome::Unavailable => crate::error::code::UNAVAILABLE,
                        _ => crate::error::code::UNAUTHENTICATED,
                    }
                    .to_owned(),
                ],
                anonymous: false,
            };
        }
    };
    let anonymous = caller == Caller::Anonymous;
    let check = match caller {
        Caller::Anonymous => &shared.schemas.check_anonymous,
        Caller::Token(_) => &shared.schemas.check,
    };
    let budget = Arc::new(shared.limiter.budget(&caller, client.0, &request_id.0));
    let deadline = crate::limits::Deadline::after(shared.limits.request_timeout_ms);
    let request = request
        .data(shared.db.clone())
        .data(shared.keys.clone())
        .data(caller)
        .data(request_id.clone());
    let run = async {
        // Waiting for a turn counts in the request's time.
        let Ok(_turn) = shared.executions.acquire().await else {
            return async_graphql::Response::from_errors(vec![deadline.error()]);
        };
        check_then_run(shared, check, request, budget.clone(), deadline).await
    };
    let mut response = match tokio::time::timeout(shared.limits.timeout(), run).await {
        Ok(response) => response,
        Err(_) => async_graphql::Response::from_errors(vec![deadline.error()]),
    };
    transport::tag_errors(&mut response, &request_id.0);
    let timed_out = response.errors.iter().any(|e| {
        e.extensions.as_ref().and_then(|x| x.get("code"))
            == Some(&async_graphql::Value::from(crate::limits::TIMEOUT))
    });
    if timed_out {
        tracing::warn!(timeout_ms = deadline.timeout_ms, "request timed out");
    }
    let status = budget.status();
    let response = match status {
        Some(status) => response.extension("cost", cost_extension(&status)),
        None => response,
    };
    let refused = status.and_then(|s| s.retry_after);
    let codes: Vec<String> = response
        .errors
        .iter()
        .filter_map(|e| e.extensions.as_ref()?.get("code"))
        .map(|code| match code {
            async_graphql::Value::String(code) => code.clone(),
            other => other.to_string(),
        })
        .collect();
    let outcome = if timed_out {
        Outcome::Timeout
    } else if refused.is_some() {
        Outcome::RateLimited
    } else if codes.iter().any(|c| c == crate::error::code::INTERNAL) {
        Outcome::Internal
    } else if codes.iter().any(|c| c == crate::error::code::UNAVAILABLE) {
        Outcome::Unavailable
    } else if transport::is_request_error(&response) {
        Outcome::Refused
    } else if response.errors.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Partial
    };
    let status_code = if timed_out {
        Some(StatusCode::SERVICE_UNAVAILABLE)
    } else {
        refused.map(|_| StatusCode::TOO_MANY_REQUESTS)
    };
    let mut http = transport::write_response(response, format, status_code);
    if outcome == Outcome::Unavailable {
        transport::mark_unavailable(&mut http);
    }
    if let Some(status) = status {
        rate_limit_headers(http.headers_mut(), &status);
    }
    Served {
        response: http,
        outcome,
        operation,
        codes,
        anonymous,
    }
}

/// Checks the request on `check` (limits, validation, cost charged to `budget`), then executes
/// it on the schema without extensions, parsed once for both.
async fn check_then_run(
    shared: &Shared,
    check: &crate::schema::DirectorySchema,
    mut request: async_graphql::Request,
    budget: Arc<crate::rate_limit::Budget>,
    deadline: crate::limits::Deadline,
) -> async_graphql::Response {
    let (document, variables) = match crate::limits::parse_within(
        &shared.limits,
        &shared.documents,
        &request.query,
        request.operation_name.as_deref(),
        &request.variables,
    ) {
        Ok(parsed) => parsed,
        Err(error) => return async_graphql::Response::from_errors(vec![error]),
    };
    // Priced with the variables it will run with, defaults included.
    let cost = shared
        .costs
        .of(&document, request.operation_name.as_deref(), &variables);
    let mut checking = async_graphql::Request::new(String::new())
        .variables(request.variables.clone())
        .data(budget.clone())
        .data(crate::limits::QueryCost(cost));
    checking.operation_name = request.operation_name.clone();
    checking.set_parsed_query((*document).clone());
    let checked = check.execute(checking).await;
    if !checked.errors.is_empty() {
        return checked;
    }
    if std::time::Instant::now() >= deadline.at {
        return async_graphql::Response::from_errors(vec![deadline.error()]);
    }
    let loaders = if transport::writes(&document, request.operation_name.as_deref()) {
        crate::loader::Loaders::for_mutation(shared.db.clone())
    } else {
        crate::loader::Loaders::for_query(shared.db.clone())
    };
    let operation_name = request.operation_name.clone();
    request.set_parsed_query((*document).clone());
    let (loader, batches) = crate::batch::request_loader(loaders);
    let request = request.data(loader).data(budget);
    let mut response = crate::batch::drive(shared.schemas.run.execute(request), batches).await;
    super::field_order::in_query_order(&document, operation_name.as_deref(), &mut response.data);
    response
}

/// The caller behind the `Authorization` header, or the response that refuses it.
pub(super) async fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    request_id: &RequestId,
) -> Result<Caller, (Response, Outcome)> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let presented = value.to_str().unwrap_or_default();
    match crate::token::authenticate(&shared.db, &shared.keys, presented).await {
        Ok(actor) => Ok(Caller::Token(actor)),
        // The token store failing is our fault, not the caller's: no 401 for it.
        Err(crate::token::Rejection::Store(error)) => {
            let failure = crate::error::ApiError::internal(&request_id.0, &error);
            let outcome = match failure {
                crate::error::ApiError::Unavailable { .. } => Outcome::Unavailable,
                _ => Outcome::Internal,
            };
            Err((transport::failure(&failure), outcome))
        }
        Err(reason) => {
            tracing::info!(%reason, "token refused");
            Err((invalid_token(request_id), Outcome::Unauthenticated))
        }
    }
}

/// The one answer to every refused token: the reason goes to the log only, under the request
/// id that the body repeats, so a caller can quote it.
fn invalid_token(request_id: &RequestId) -> Response {
    let body = serde_json::json!({
        "errors": [{
            "message": "invalid or expired token",
            "extensions": { "code": crate::error::code::UNAUTHENTICATED, "requestId": request_id.0 },
        }]
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
                HeaderValue::from_static(Format::Json.content_type()),
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `extensions.cost` of every response: what the query cost and what is left (Shopify's
/// `extensions.cost`, GitHub's `rateLimit`).
fn cost_extension(status: &crate::rate_limit::Status) -> async_graphql::Value {
    let mut map = async_graphql::indexmap::IndexMap::new();
    let mut put = |key: &str, value: u64| {
        map.insert(
            async_graphql::Name::new(key),
            async_graphql::Value::from(value),
        );
    };
    put("requestedQueryCost", u64::from(status.cost));
    put("limit", u64::from(status.limit));
    put("remaining", u64::from(status.remaining));
    put("restoreRate", u64::from(status.restore_rate));
    put("resetInSeconds", status.reset_after.as_secs());
    if let Some(retry_after) = status.retry_after {
        put("retryAfterSeconds", retry_after.as_secs());
    }
    async_graphql::Value::Object(map)
}

/// The budget in headers, as GitHub sends them, and `Retry-After` on a refusal.
fn rate_limit_headers(headers: &mut HeaderMap, status: &crate::rate_limit::Status) {
    let mut put = |name: &'static str, value: u64| {
        headers.insert(name, HeaderValue::from(value));
    };
    put("x-ratelimit-limit", u64::from(status.limit));
    put("x-ratelimit-remaining", u64::from(status.remaining));
    put("x-ratelimit-used", u64::from(status.cost));
    put("x-ratelimit-reset", status.reset_after.as_secs());
    if let Some(retry_after) = status.retry_after {
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from(retry_after.as_secs()),
        );
    }
}
