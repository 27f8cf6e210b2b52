//! The `/graphql` endpoint: reads the request (transport), authenticates the caller, runs the
//! query under the limits and the rate limit, and writes the response.

use std::sync::Arc;
use std::time::Instant;

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use async_graphql::parser::types::OperationType;
use persistence::store_version::Sync;

use super::Shared;
use super::http_cache::CacheUse;
use super::request_context::ClientAddress;
use super::transport::{self, Format, TransportError};
use crate::auth::Caller;
use crate::error::RequestId;
use crate::metrics::Outcome;
use crate::response_cache::{Answer, Hints, Key, Question, Scope};

/// A response and what `/metrics` records of it.
pub(super) struct Served {
    pub(super) response: Response,
    pub(super) outcome: Outcome,
    pub(super) operation: Option<String>,
    pub(super) codes: Vec<String>,
    pub(super) anonymous: bool,
}

impl Served {
    /// A request refused by the transport, before any GraphQL: its code is the error's.
    pub(super) fn refused(error: TransportError, request_id: &RequestId) -> Served {
        Served {
            codes: vec![error.code().to_owned()],
            response: error.into_response(&request_id.0),
            outcome: Outcome::Refused,
            operation: None,
            anonymous: true,
        }
    }

    /// A refused token (or a token store that failed), as `authenticate` answered it.
    pub(super) fn unauthenticated(
        response: Response,
        outcome: Outcome,
        operation: Option<String>,
    ) -> Served {
        let code = match outcome {
            Outcome::Internal => crate::error::code::INTERNAL,
            Outcome::Unavailable => crate::error::code::UNAVAILABLE,
            _ => crate::error::code::UNAUTHENTICATED,
        };
        Served {
            response,
            outcome,
            operation,
            codes: vec![code.to_owned()],
            anonymous: false,
        }
    }

    pub(super) fn record(self, shared: &Shared, started: Instant) -> Response {
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
            .and_then(|mut request| {
                shared.persisted.resolve(&mut request)?;
                Ok(request)
            }) {
            Ok(request) => execute(&shared, &headers, client, request_id, request, format).await,
            Err(error) => Served::refused(error, &request_id),
        },
    };
    let mut response = served.record(&shared, started);
    super::http_cache::no_store_unless_set(&mut response);
    response
}

/// Reads a POST body whole, within `MAX_BODY_BYTES` and `BODY_TIMEOUT_MS`: a client that
/// trickles its body does not hold a connection and a buffer for as long as it likes.
pub(super) async fn read_body(
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
            match transport::read_get(query.as_deref(), shared.limits.max_query_bytes).and_then(
                |mut request| {
                    shared.persisted.resolve(&mut request)?;
                    Ok(request)
                },
            ) {
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
    let mut response = served.record(&shared, started);
    super::http_cache::no_store_unless_set(&mut response);
    response
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
        Err((response, outcome)) => return Served::unauthenticated(response, outcome, operation),
    };
    let anonymous = caller == Caller::Anonymous;
    let scopes = Scopes {
        visibility: Scope::of(&caller),
        token: Scope::token_of(&caller),
    };
    let check = match caller {
        Caller::Anonymous => &shared.schemas.check_anonymous,
        Caller::Token(_) => &shared.schemas.check,
    };
    let budget = Arc::new(shared.limiter.budget(&caller, client.0, &request_id.0));
    let deadline = crate::limits::Deadline::after(shared.limits.request_timeout_ms);
    let request = request
        .data(shared.db.clone())
        .data(shared.keys.clone())
        .data(crate::auth::attach(caller))
        .data(request_id.clone());
    let run = async {
        // Waiting for a turn counts in the request's time.
        let Ok(_turn) = shared.executions.acquire().await else {
            return Ran::failed(deadline.error());
        };
        check_then_run(shared, check, request, budget.clone(), deadline, scopes).await
    };
    let Ran {
        mut response,
        kind,
        cache,
        answer,
    } = match tokio::time::timeout(shared.limits.timeout(), run).await {
        Ok(ran) => ran,
        Err(_) => Ran::failed(deadline.error()),
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
    let answer = answer.filter(|_| response.errors.is_empty() && status_code.is_none());
    let mut http = match &answer {
        Some(answer) => answer_response(answer, &response, format),
        None => transport::write_response(response, format, status_code),
    };
    if outcome == Outcome::Unavailable {
        transport::mark_unavailable(&mut http);
    }
    super::http_cache::decorate(
        &mut http,
        headers,
        super::http_cache::Answered {
            kind,
            anonymous,
            answer: answer.as_deref(),
            cache,
        },
    );
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

/// The scopes a caller's answers are kept under (`response_cache`): what it may see, and its
/// token for the answers that read the token itself.
#[derive(Debug, Clone, Copy)]
struct Scopes {
    visibility: Scope,
    token: Option<Scope>,
}

/// What came of checking and running a request.
struct Ran {
    response: async_graphql::Response,
    kind: Option<OperationType>,
    cache: CacheUse,
    /// The answer's data as written, for a query answered without errors (or from the cache,
    /// in which case `response` holds no data).
    answer: Option<Arc<Answer>>,
}

impl Ran {
    fn failed(error: async_graphql::ServerError) -> Ran {
        Ran::refused(async_graphql::Response::from_errors(vec![error]))
    }

    fn refused(response: async_graphql::Response) -> Ran {
        Ran {
            response,
            kind: None,
            cache: CacheUse::NotAsked,
            answer: None,
        }
    }
}

/// Checks the request on `check` (limits, validation, cost charged to `budget`), then answers
/// it from the cache of answers or executes it on the schema without extensions, parsed once
/// for both: the one place every query goes through.
async fn check_then_run(
    shared: &Shared,
    check: &crate::schema::DirectorySchema,
    mut request: async_graphql::Request,
    budget: Arc<crate::rate_limit::Budget>,
    deadline: crate::limits::Deadline,
    scopes: Scopes,
) -> Ran {
    // Where an answer would be kept: under the token first, for the answers that read it,
    // then under what the caller may see.
    let keys: Vec<Key> = if shared.cache.is_on() {
        let question = Question {
            query: &request.query,
            variables: &request.variables,
            operation_name: request.operation_name.as_deref(),
            day: chrono::Utc::now().date_naive(),
        };
        scopes
            .token
            .into_iter()
            .chain([scopes.visibility])
            .map(|scope| question.key(scope))
            .collect()
    } else {
        Vec::new()
    };
    // A question kept for this scope was checked and priced when first answered (only
    // queries are kept): charged its cost, it is answered at once while its answer holds.
    let charged = match shared.cache.cost_of(&keys) {
        Some(cost) => {
            if let Err(refused) = budget.charge(cost).await {
                return Ran::failed(refused);
            }
            if let Some(version) = shared.cache.version(Sync::Now).await
                && let Some(answer) = shared.cache.lookup(&keys, version)
            {
                return Ran {
                    response: async_graphql::Response::new(async_graphql::Value::Null),
                    kind: Some(OperationType::Query),
                    cache: CacheUse::Hit,
                    answer: Some(answer),
                };
            }
            true
        }
        None => false,
    };
    let (document, variables) = match crate::limits::parse_within(
        &shared.limits,
        &shared.documents,
        &request.query,
        request.operation_name.as_deref(),
        &request.variables,
    ) {
        Ok(parsed) => parsed,
        Err(error) => return Ran::failed(error),
    };
    let kind = transport::operation_type(&document, request.operation_name.as_deref());
    if kind == Some(OperationType::Subscription) {
        return Ran::failed(super::sse::elsewhere());
    }
    // Priced with the variables it will run with, defaults included.
    let cost = shared
        .costs
        .of(&document, request.operation_name.as_deref(), &variables);
    let mut checking = async_graphql::Request::new(String::new())
        .variables(request.variables.clone())
        .data(crate::limits::QueryCost(cost));
    if !charged {
        checking = checking.data(budget.clone());
    }
    checking.operation_name = request.operation_name.clone();
    checking.set_parsed_query((*document).clone());
    let checked = check.execute(checking).await;
    if !checked.errors.is_empty() {
        return Ran::refused(checked);
    }
    if std::time::Instant::now() >= deadline.at {
        return Ran::failed(deadline.error());
    }
    // Checked and charged: a kept answer may serve it now.
    let keys = if kind == Some(OperationType::Query) {
        keys
    } else {
        Vec::new()
    };
    let version = match keys.is_empty() {
        true => None,
        false => shared.cache.version(Sync::Now).await,
    };
    if let Some(version) = version
        && let Some(answer) = shared.cache.lookup(&keys, version)
    {
        return Ran {
            response: async_graphql::Response::new(async_graphql::Value::Null),
            kind,
            cache: CacheUse::Hit,
            answer: Some(answer),
        };
    }
    let loaders = if transport::writes(&document, request.operation_name.as_deref()) {
        crate::loader::Loaders::for_mutation(shared.db.clone())
    } else {
        crate::loader::Loaders::for_query(shared.db.clone())
    };
    let operation_name = request.operation_name.clone();
    request.set_parsed_query((*document).clone());
    let (loader, batches) = crate::batch::request_loader(loaders);
    let hints = Arc::new(Hints::default());
    let request = request.data(loader).data(budget).data(hints.clone());
    let mut response = crate::batch::drive(shared.schemas.run.execute(request), batches).await;
    super::field_order::in_query_order(&document, operation_name.as_deref(), &mut response.data);
    let answer = (kind == Some(OperationType::Query) && response.errors.is_empty())
        .then(|| serde_json::to_vec(&response.data).ok())
        .flatten()
        .map(|data| Arc::new(Answer::new(data)));
    if let (Some(version), Some(answer)) = (version, &answer)
        && let Some(key) = hints.key(&keys)
    {
        shared.cache.keep(key, version, answer.clone(), cost);
    }
    Ran {
        response,
        kind,
        cache: match keys.is_empty() {
            true => CacheUse::NotAsked,
            false => CacheUse::Miss,
        },
        answer,
    }
}

/// A query's answer without errors: its data as written (kept, or just computed) and the
/// response's extensions, as async-graphql would write them.
fn answer_response(
    answer: &Answer,
    response: &async_graphql::Response,
    format: Format,
) -> Response {
    let mut body = Vec::with_capacity(answer.data.len() + 200);
    body.extend_from_slice(b"{\"data\":");
    body.extend_from_slice(&answer.data);
    if !response.extensions.is_empty() {
        body.extend_from_slice(b",\"extensions\":");
        if serde_json::to_writer(&mut body, &response.extensions).is_err() {
            body.extend_from_slice(b"{}");
        }
    }
    body.push(b'}');
    transport::http_response(StatusCode::OK, format, body, response)
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
pub(super) fn rate_limit_headers(headers: &mut HeaderMap, status: &crate::rate_limit::Status) {
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
