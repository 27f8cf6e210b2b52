//! `/graphql/stream`: subscriptions over Server-Sent Events, as the GraphQL over SSE protocol
//! has them in its distinct connections mode — one request (`POST` with a JSON body, or `GET`
//! with the query string), `Accept: text/event-stream`, one stream of events in answer.
//!
//! What a request gets:
//! - not a GraphQL request (media type, body, sizes), no `Accept: text/event-stream`, a
//!   refused token, a caller past `MAX_STREAMS_PER_CALLER` or over its rate limit, or a
//!   server shutting down: the same JSON answer and status `/graphql` gives, before any stream;
//! - a document that does not parse, validate or stay within the limits, an operation that is
//!   not a subscription, or a subscription that cannot start (an unknown slug in its filter, a
//!   malformed cursor): a stream with one `next` event holding the errors, then `complete` —
//!   the protocol's rule, so that a client reports them instead of retrying as after a failed
//!   connection;
//! - otherwise: a `next` event per change, whose `id` is the change's cursor (sent back as
//!   `Last-Event-ID`, it resumes the stream right after that change), a `: ping` comment after
//!   `LIVE_KEEP_ALIVE_MS` of silence, and `complete` when the server shuts down or the stream
//!   fails (then after a `next` with the error).
//!
//! The answer comes once the subscription stands (its start read): a write the client makes
//! after receiving it is in the stream. Its cost is charged like a query's, once, at the start.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_graphql::futures_util::stream::{BoxStream, StreamExt};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{ServerError, Value};
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::event_stream;
use super::graphql::{self, Served};
use super::request_context::ClientAddress;
use super::transport::{self, Format, TransportError};
use crate::auth::Caller;
use crate::error::RequestId;
use crate::live::{Admitted, LiveRequest, Refusal};
use crate::metrics::Outcome;

/// How long a caller past `MAX_STREAMS_PER_CALLER` is asked to wait before trying again.
const STREAMS_RETRY_AFTER_SECONDS: u64 = 5;

pub(super) async fn post(
    State(shared): State<Arc<Shared>>,
    Extension(request_id): Extension<RequestId>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    request: axum::extract::Request,
) -> Response {
    let started = Instant::now();
    let served = if !event_stream::accepted(&headers) {
        Served::refused(TransportError::NotEventStream, &request_id)
    } else {
        match graphql::read_body(&shared, request)
            .await
            .and_then(|body| transport::read_post(&headers, &body, shared.limits.max_query_bytes))
        {
            Ok(request) => open(&shared, &headers, client, request_id, request).await,
            Err(error) => Served::refused(error, &request_id),
        }
    };
    served.record(&shared, started)
}

pub(super) async fn get(
    State(shared): State<Arc<Shared>>,
    Extension(request_id): Extension<RequestId>,
    Extension(client): Extension<ClientAddress>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let started = Instant::now();
    let served = if !event_stream::accepted(&headers) {
        Served::refused(TransportError::NotEventStream, &request_id)
    } else {
        match transport::read_get(query.as_deref(), shared.limits.max_query_bytes) {
            Ok(request) if transport::is_mutation(&request) => {
                Served::refused(TransportError::MutationOverGet, &request_id)
            }
            Ok(request) => open(&shared, &headers, client, request_id, request).await,
            Err(error) => Served::refused(error, &request_id),
        }
    };
    served.record(&shared, started)
}

/// The error of a subscription sent to `/graphql`: it is served here.
pub(super) fn elsewhere() -> ServerError {
    let mut error = ServerError::new(
        "subscriptions are served over Server-Sent Events: send this one to /graphql/stream with `Accept: text/event-stream`",
        None,
    );
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", crate::error::code::BAD_REQUEST);
    error
}

/// Opens the stream of a GraphQL request, or answers why not.
async fn open(
    shared: &Arc<Shared>,
    headers: &HeaderMap,
    client: ClientAddress,
    request_id: RequestId,
    mut request: async_graphql::Request,
) -> Served {
    let operation = request.operation_name.clone();
    let caller = match graphql::authenticate(shared, headers, &request_id).await {
        Ok(caller) => caller,
        Err((response, outcome)) => return Served::unauthenticated(response, outcome, operation),
    };
    let anonymous = caller == Caller::Anonymous;
    let served = |response: Response, outcome: Outcome, codes: Vec<String>| Served {
        response,
        outcome,
        operation: operation.clone(),
        codes,
        anonymous,
    };
    let admitted = match shared
        .live
        .admit(crate::rate_limit::caller_key(&caller, client.0))
    {
        Ok(admitted) => admitted,
        Err(refusal) => {
            let (response, outcome, code) = refused(refusal, &request_id);
            return served(response, outcome, vec![code.to_owned()]);
        }
    };
    let (document, variables) = match crate::limits::parse_within(
        &shared.limits,
        &shared.documents,
        &request.query,
        request.operation_name.as_deref(),
        &request.variables,
    ) {
        Ok(parsed) => parsed,
        Err(error) => return errors_only(vec![error], &request_id, served),
    };
    if transport::operation_type(&document, request.operation_name.as_deref())
        != Some(OperationType::Subscription)
    {
        return errors_only(vec![not_a_subscription()], &request_id, served);
    }

    // Checked, priced and charged as `/graphql` checks a query.
    let budget = Arc::new(shared.limiter.budget(&caller, client.0, &request_id.0));
    let check = match caller {
        Caller::Anonymous => &shared.schemas.check_anonymous,
        Caller::Token(_) => &shared.schemas.check,
    };
    let cost = shared
        .costs
        .of(&document, request.operation_name.as_deref(), &variables);
    let mut checking = async_graphql::Request::new(String::new())
        .variables(request.variables.clone())
        .data(budget.clone())
        .data(crate::limits::QueryCost(cost));
    checking.operation_name = request.operation_name.clone();
    checking.set_parsed_query((*document).clone());
    let mut checked = check.execute(checking).await;
    let status = budget.status();
    if !checked.errors.is_empty() {
        if let Some(status) = status.filter(|status| status.retry_after.is_some()) {
            // Over the rate limit: a 429 the client retries later, as `/graphql` answers.
            transport::tag_errors(&mut checked, &request_id.0);
            let mut response = transport::write_response(
                checked,
                Format::Json,
                Some(StatusCode::TOO_MANY_REQUESTS),
            );
            graphql::rate_limit_headers(response.headers_mut(), &status);
            return served(
                response,
                Outcome::RateLimited,
                vec![crate::error::code::RATE_LIMITED.to_owned()],
            );
        }
        return errors_only(checked.errors, &request_id, served);
    }

    // Runs on the schema without extensions, its DataLoader's batches driven by the stream.
    let live = Arc::new(LiveRequest::new(
        shared.live.clone(),
        last_event_id(headers),
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned),
    ));
    let (loader, batches) =
        crate::batch::request_loader(crate::loader::Loaders::for_live(shared.db.clone()));
    request.set_parsed_query((*document).clone());
    let request = request
        .data(shared.db.clone())
        .data(shared.keys.clone())
        .data(crate::auth::attach(caller))
        .data(request_id.clone())
        .data(loader)
        .data(budget)
        .data(live.clone());
    let mut results: BoxStream<'static, async_graphql::Response> =
        crate::batch::drive_stream(shared.schemas.run.execute_stream(request), batches).boxed();

    // Answers once the subscription stands, or with the errors that kept it from starting.
    let mut events = Events {
        frames: VecDeque::from([event_stream::ping()]),
        results: None,
        live: live.clone(),
        keep_alive: shared.live.keep_alive(),
        stopping: Box::pin({
            let hub = shared.live.clone();
            async move { hub.stopped().await }
        }),
        request_id: request_id.0.clone(),
        document,
        operation_name: operation.clone(),
        finished: false,
        _admitted: admitted,
    };
    let first = tokio::time::timeout(shared.limits.timeout(), async {
        tokio::select! {
            biased;
            () = live.ready.notified() => None,
            result = results.next() => Some(result),
        }
    })
    .await;
    let (outcome, codes) = match first {
        Ok(None) => {
            events.results = Some(results);
            (Outcome::Ok, Vec::new())
        }
        Ok(Some(Some(result))) => {
            let codes = codes_of(&result.errors);
            let stood = live.has_stood();
            events.push(result);
            if stood {
                events.results = Some(results);
                (Outcome::Ok, codes)
            } else {
                (Outcome::Refused, codes)
            }
        }
        Ok(Some(None)) => (Outcome::Ok, Vec::new()),
        Err(_) => {
            let deadline = crate::limits::Deadline::after(shared.limits.request_timeout_ms);
            events.push(async_graphql::Response::from_errors(vec![deadline.error()]));
            (
                Outcome::Timeout,
                vec![crate::error::code::TIMEOUT.to_owned()],
            )
        }
    };
    let mut response = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        Body::from_stream(async_graphql::futures_util::stream::unfold(
            events,
            |mut events| async move {
                let frame = events.next_frame().await?;
                Some((Ok::<Bytes, std::convert::Infallible>(frame), events))
            },
        )),
    )
        .into_response();
    // A proxy that buffers answers (nginx) would hold the events back.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    if let Some(status) = status {
        graphql::rate_limit_headers(response.headers_mut(), &status);
    }
    served(response, outcome, codes)
}

/// The answer to a stream refused before it opens.
fn refused(refusal: Refusal, request_id: &RequestId) -> (Response, Outcome, &'static str) {
    match refusal {
        Refusal::TooMany { maximum } => {
            let body = serde_json::json!({ "errors": [{
                "message": format!("this caller has {maximum} streams open already (MAX_STREAMS_PER_CALLER): close one, or retry later"),
                "extensions": {
                    "code": crate::error::code::RATE_LIMITED,
                    "limit": "streams",
                    "maximum": maximum,
                    "retryAfter": STREAMS_RETRY_AFTER_SECONDS,
                    "requestId": request_id.0,
                },
            }] });
            let response = (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(Format::Json.content_type()),
                    ),
                    (
                        header::RETRY_AFTER,
                        HeaderValue::from(STREAMS_RETRY_AFTER_SECONDS),
                    ),
                ],
                body.to_string(),
            )
                .into_response();
            (
                response,
                Outcome::RateLimited,
                crate::error::code::RATE_LIMITED,
            )
        }
        Refusal::Stopping => {
            let body = serde_json::json!({ "errors": [{
                "message": "this server is shutting down: open the stream again (another server answers)",
                "extensions": { "code": crate::error::code::UNAVAILABLE, "requestId": request_id.0 },
            }] });
            let mut response = (
                StatusCode::SERVICE_UNAVAILABLE,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(Format::Json.content_type()),
                )],
                body.to_string(),
            )
                .into_response();
            transport::mark_unavailable(&mut response);
            (
                response,
                Outcome::Unavailable,
                crate::error::code::UNAVAILABLE,
            )
        }
    }
}

/// A stream that holds only `errors` in one `next` event, then `complete`.
fn errors_only(
    errors: Vec<ServerError>,
    request_id: &RequestId,
    served: impl FnOnce(Response, Outcome, Vec<String>) -> Served,
) -> Served {
    let mut result = async_graphql::Response::from_errors(errors);
    transport::tag_errors(&mut result, &request_id.0);
    let codes = codes_of(&result.errors);
    let frames = [
        event_stream::ping(),
        event_stream::next(None, &result_json(&result)),
        event_stream::complete(),
    ]
    .concat();
    let response = (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/event-stream; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        frames,
    )
        .into_response();
    served(response, Outcome::Refused, codes)
}

fn not_a_subscription() -> ServerError {
    let mut error = ServerError::new(
        "/graphql/stream serves subscriptions: send queries and mutations to /graphql",
        None,
    );
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", crate::error::code::BAD_REQUEST);
    error
}

/// The cursor of the last event a reconnecting client received.
fn last_event_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

fn codes_of(errors: &[ServerError]) -> Vec<String> {
    errors
        .iter()
        .filter_map(|error| error.extensions.as_ref()?.get("code"))
        .map(|code| match code {
            Value::String(code) => code.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// A GraphQL response as compact JSON; a request error without its `data` entry, as
/// `/graphql` writes one.
fn result_json(result: &async_graphql::Response) -> Vec<u8> {
    let written = if transport::is_request_error(result) {
        serde_json::to_value(result).map(|mut value| {
            if let Some(object) = value.as_object_mut() {
                object.remove("data");
            }
            value.to_string().into_bytes()
        })
    } else {
        serde_json::to_vec(result)
    };
    written.unwrap_or_else(|_| {
        br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
    })
}

/// The body of an open stream: frames to send, then the subscription's results as they come,
/// with keep-alive comments in the silences, until the results end or the server stops.
struct Events {
    frames: VecDeque<Bytes>,
    /// None once the results ended (or never began).
    results: Option<BoxStream<'static, async_graphql::Response>>,
    live: Arc<LiveRequest>,
    keep_alive: Duration,
    stopping: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
    request_id: String,
    document: Arc<ExecutableDocument>,
    operation_name: Option<String>,
    /// Set once `complete` is queued: nothing follows it.
    finished: bool,
    /// The stream counts for its caller until its body is dropped.
    _admitted: Admitted,
}

impl Events {
    async fn next_frame(&mut self) -> Option<Bytes> {
        if let Some(frame) = self.frames.pop_front() {
            return Some(frame);
        }
        if self.finished {
            return None;
        }
        let Some(results) = &mut self.results else {
            return Some(self.finish());
        };
        tokio::select! {
            result = results.next() => match result {
                Some(result) => {
                    self.push(result);
                    self.frames.pop_front()
                }
                None => Some(self.finish()),
            },
            () = tokio::time::sleep(self.keep_alive) => Some(event_stream::ping()),
            () = &mut self.stopping => Some(self.finish()),
        }
    }

    /// Queues a result as a `next` event, with the cursor of the change it carries as its id.
    fn push(&mut self, mut result: async_graphql::Response) {
        transport::tag_errors(&mut result, &self.request_id);
        super::field_order::in_query_order(
            &self.document,
            self.operation_name.as_deref(),
            &mut result.data,
        );
        let id = self
            .live
            .take_given()
            .map(|position| crate::schema::change::cursor_at(position).encode());
        self.frames
            .push_back(event_stream::next(id.as_deref(), &result_json(&result)));
    }

    /// The `complete` event; the results, and the subscription behind them, are dropped.
    fn finish(&mut self) -> Bytes {
        self.finished = true;
        self.results = None;
        event_stream::complete()
    }
}
