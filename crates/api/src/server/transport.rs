//! GraphQL over HTTP, the transport half: reading a GraphQL request out of a GET query string
//! or a POST body, choosing the response's media type from `Accept`, and writing the response
//! with the status codes of the GraphQL-over-HTTP specification.
//!
//! `make audit-http` runs the specification's own audit suite against these rules.

use async_graphql::{ServerError, Variables};
use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::nesting;

/// The media type of GraphQL-over-HTTP responses.
pub const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// The media type of a response, chosen from the request's `Accept`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `application/graphql-response+json`: a request that cannot run is a 4xx.
    GraphqlResponse,
    /// `application/json` (also for `*/*` or no `Accept`): every well-formed exchange is a 200.
    Json,
}

impl Format {
    /// The format the client accepts, or None when it accepts neither JSON media type (406).
    pub fn negotiate(headers: &HeaderMap) -> Option<Format> {
        let Some(accept) = headers
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
        else {
            return Some(Format::Json);
        };
        let accepted = |media_type: &str| {
            accept.split(',').any(|item| {
                let mut parts = item.split(';').map(str::trim);
                let name = parts.next().unwrap_or_default();
                let refused = parts.any(|p| p.replace(' ', "") == "q=0");
                name.eq_ignore_ascii_case(media_type) && !refused
            })
        };
        if accepted(GRAPHQL_RESPONSE) {
            Some(Format::GraphqlResponse)
        } else if accepted("application/json")
            || accepted("*/*")
            || accepted("application/*")
            || accept.trim().is_empty()
        {
            Some(Format::Json)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::GraphqlResponse => GRAPHQL_RESPONSE,
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// Why an HTTP request holds no GraphQL request we can run.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    #[error("send the request as application/json (GraphQL over HTTP)")]
    UnsupportedMediaType,
    #[error("the body is not a GraphQL request: {0}")]
    BadBody(String),
    #[error("a GET request needs a `query` parameter: {0}")]
    BadQueryString(String),
    #[error("the query is empty")]
    EmptyQuery,
    #[error("batched requests (a JSON array) are not supported: send one request per HTTP request")]
    Batch,
    #[error("the query is {length} bytes long; the limit is {limit}")]
    QueryTooLong { length: usize, limit: usize },
    #[error("accept application/json or application/graphql-response+json")]
    NotAcceptable,
    #[error(
        "accept text/event-stream: /graphql/stream answers with Server-Sent Events (GraphQL over SSE); send queries and mutations to /graphql"
    )]
    NotEventStream,
    #[error("mutations must be sent with POST")]
    MutationOverGet,
    #[error(
        "the {} nests deeper than {} levels of brackets",
        .0.as_str(),
        super::nesting::MAX_NESTING
    )]
    TooDeep(super::nesting::Part),
    #[error("the body is over {limit} bytes (MAX_BODY_BYTES)")]
    BodyTooLarge { limit: usize },
    #[error("the body was not received in time: send it whole within {timeout_ms} ms")]
    BodyTimeout { timeout_ms: u64 },
    #[error("the request's headers are over {limit} bytes")]
    HeadersTooLarge { limit: usize },
    /// Apollo clients look for this very message (automatic persisted queries).
    #[error("PersistedQueryNotFound")]
    PersistedQueryNotFound,
    #[error("provided sha does not match query")]
    PersistedQueryMismatch,
    #[error(
        "`extensions.persistedQuery` must be {{\"version\": 1, \"sha256Hash\": \"<64 hexadecimal digits>\"}}"
    )]
    BadPersistedQuery,
}

impl TransportError {
    pub fn status(&self) -> StatusCode {
        match self {
            TransportError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            TransportError::NotAcceptable | TransportError::NotEventStream => {
                StatusCode::NOT_ACCEPTABLE
            }
            TransportError::MutationOverGet => StatusCode::METHOD_NOT_ALLOWED,
            TransportError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            TransportError::BodyTimeout { .. } => StatusCode::REQUEST_TIMEOUT,
            TransportError::HeadersTooLarge { .. } => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            // As Apollo Server answers it: the client then sends the query with its hash.
            TransportError::PersistedQueryNotFound => StatusCode::OK,
            _ => StatusCode::BAD_REQUEST,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            TransportError::QueryTooLong { .. } | TransportError::TooDeep(_) => {
                crate::error::code::QUERY_TOO_COMPLEX
            }
            TransportError::BodyTooLarge { .. } | TransportError::HeadersTooLarge { .. } => {
                crate::error::code::REQUEST_TOO_LARGE
            }
            TransportError::BodyTimeout { .. } => crate::error::code::TIMEOUT,
            TransportError::PersistedQueryNotFound => crate::error::code::PERSISTED_QUERY_NOT_FOUND,
            _ => crate::error::code::BAD_REQUEST,
        }
    }

    /// The error as a GraphQL response body, with the status it calls for.
    pub fn into_response(self, request_id: &str) -> Response {
        let mut extensions = serde_json::json!({ "code": self.code(), "requestId": request_id });
        if let TransportError::TooDeep(_) = self {
            extensions["limit"] = "nesting".into();
            extensions["maximum"] = super::nesting::MAX_NESTING.into();
        }
        let body = serde_json::json!({ "errors": [{
            "message": self.to_string(),
            "extensions": extensions,
        }] });
        let mut response = (
            self.status(),
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(Format::Json.content_type()),
            )],
            body.to_string(),
        )
            .into_response();
        if matches!(self, TransportError::MutationOverGet) {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

/// A 500 whose body says `INTERNAL` and the request id, nothing else (`ApiError::Internal`):
/// for failures outside the schema (the token store, a panic). The cause is logged by the
/// caller.
pub fn internal_error(request_id: &str) -> Response {
    failure(&crate::error::ApiError::Internal {
        request_id: request_id.to_owned(),
    })
}

/// The answer to a failure outside the schema: its code and request id, nothing else. A 503
/// with `Retry-After` when the database is out of reach for a moment, a 500 otherwise.
pub fn failure(error: &crate::error::ApiError) -> Response {
    let request_id = match error {
        crate::error::ApiError::Internal { request_id }
        | crate::error::ApiError::Unavailable { request_id } => request_id.as_str(),
        _ => "",
    };
    let body = serde_json::json!({ "errors": [{
        "message": error.to_string(),
        "extensions": { "code": error.code(), "requestId": request_id },
    }] });
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(Format::Json.content_type()),
        )],
        body.to_string(),
    )
        .into_response();
    if matches!(error, crate::error::ApiError::Unavailable { .. }) {
        mark_unavailable(&mut response);
    }
    response
}

/// Makes `response` a 503 the client may retry in a second.
pub fn mark_unavailable(response: &mut Response) {
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
}

/// The parameters of a GraphQL request, as the specification names them.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Parameters {
    /// None for a persisted query sent by its hash alone.
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<serde_json::Map<String, serde_json::Value>>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

impl Parameters {
    fn into_request(
        self,
        max_query_bytes: usize,
    ) -> Result<async_graphql::Request, TransportError> {
        let persisted = persisted_hash(self.extensions.as_ref())?;
        let query = self.query.unwrap_or_default();
        if query.trim().is_empty() && persisted.is_none() {
            return Err(TransportError::EmptyQuery);
        }
        if query.len() > max_query_bytes {
            return Err(TransportError::QueryTooLong {
                length: query.len(),
                limit: max_query_bytes,
            });
        }
        if !nesting::query_within(&query, nesting::MAX_NESTING) {
            return Err(TransportError::TooDeep(nesting::Part::Query));
        }
        let mut request = async_graphql::Request::new(query);
        if let Some(hash) = persisted {
            // Resolved against the server's persisted queries (`persisted_queries::resolve`).
            request
                .extensions
                .insert(PERSISTED_QUERY.to_owned(), async_graphql::Value::from(hash));
        }
        if let Some(name) = self.operation_name {
            request = request.operation_name(name);
        }
        if let Some(variables) = self.variables {
            request = request.variables(Variables::from_json(serde_json::Value::Object(variables)));
        }
        Ok(request)
    }
}

/// The request extension of automatic persisted queries, as Apollo clients send it.
pub const PERSISTED_QUERY: &str = "persistedQuery";

/// The SHA-256 hash (lower-case hexadecimal) of `extensions.persistedQuery`, if the request
/// has one; other extensions are accepted and ignored.
fn persisted_hash(
    extensions: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<Option<String>, TransportError> {
    let Some(persisted) = extensions.and_then(|e| e.get(PERSISTED_QUERY)) else {
        return Ok(None);
    };
    let version = persisted.get("version").and_then(serde_json::Value::as_u64);
    let hash = persisted
        .get("sha256Hash")
        .and_then(serde_json::Value::as_str)
        .filter(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
    match (version, hash) {
        (Some(1), Some(hash)) => Ok(Some(hash.to_ascii_lowercase())),
        _ => Err(TransportError::BadPersistedQuery),
    }
}

/// Reads a POST body: `application/json` only (anything else could be a cross-site form post
/// that skipped the CORS preflight), one request per body.
pub fn read_post(
    headers: &HeaderMap,
    body: &Bytes,
    max_query_bytes: usize,
) -> Result<async_graphql::Request, TransportError> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some("application/json") {
        return Err(TransportError::UnsupportedMediaType);
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(TransportError::Batch);
    }
    // The body's object is one level: its variables may nest `MAX_NESTING` levels below it.
    if !nesting::json_within(body, nesting::MAX_NESTING + 1) {
        return Err(TransportError::TooDeep(nesting::Part::Json));
    }
    let parameters: Parameters =
        serde_json::from_slice(body).map_err(|error| TransportError::BadBody(error.to_string()))?;
    parameters.into_request(max_query_bytes)
}

/// The parameters of a GET request, before `variables` and `extensions` are decoded.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GetParameters {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// Reads a GET query string: `?query=…&operationName=…&variables={…}&extensions={…}`.
pub fn read_get(
    raw_query: Option<&str>,
    max_query_bytes: usize,
) -> Result<async_graphql::Request, TransportError> {
    let get: GetParameters = serde_urlencoded_query(raw_query.unwrap_or_default())?;
    let json_map = |name: &str, text: Option<String>| match text {
        None => Ok(None),
        Some(text) if !nesting::json_within(text.as_bytes(), nesting::MAX_NESTING) => {
            Err(TransportError::TooDeep(nesting::Part::Json))
        }
        Some(text) => match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
            Ok(serde_json::Value::Null) => Ok(None),
            _ => Err(TransportError::BadQueryString(format!(
                "`{name}` must be a JSON object"
            ))),
        },
    };
    Parameters {
        query: get.query,
        operation_name: get.operation_name,
        variables: json_map("variables", get.variables)?,
        extensions: json_map("extensions", get.extensions)?,
    }
    .into_request(max_query_bytes)
}

fn serde_urlencoded_query(raw: &str) -> Result<GetParameters, TransportError> {
    axum::extract::Query::<GetParameters>::try_from_uri(
        &format!("/?{raw}")
            .parse()
            .map_err(|_| TransportError::BadQueryString("malformed query string".to_owned()))?,
    )
    .map(|query| query.0)
    .map_err(|error| TransportError::BadQueryString(error.body_text()))
}

/// Whether the operation the request would run is a mutation (refused over GET).
pub fn is_mutation(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::OperationType;
    match async_graphql::parser::parse_query(&request.query) {
        Ok(document) => chosen(&document, request.operation_name.as_deref())
            .any(|operation| operation.node.ty == OperationType::Mutation),
        Err(_) => false,
    }
}

/// The type of the operation `operation_name` chooses in `document` (the first when none is
/// named), if there is one.
pub fn operation_type(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<async_graphql::parser::types::OperationType> {
    crate::limits::chosen_operation(document, operation_name).map(|operation| operation.node.ty)
}

/// Whether the operation `operation_name` chooses in `document` is not a query.
pub fn writes(
    document: &async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&str>,
) -> bool {
    use async_graphql::parser::types::OperationType;
    chosen(document, operation_name).any(|operation| operation.node.ty != OperationType::Query)
}

/// The operations `operation_name` may choose in `document`: the one it names, or any when it
/// names none.
fn chosen<'a>(
    document: &'a async_graphql::parser::types::ExecutableDocument,
    operation_name: Option<&'a str>,
) -> impl Iterator<
    Item = &'a async_graphql::Positioned<async_graphql::parser::types::OperationDefinition>,
> + 'a {
    document
        .operations
        .iter()
        .filter(move |(name, _)| match (operation_name, name) {
            (Some(wanted), Some(name)) => wanted == name.as_str(),
            _ => true,
        })
        .map(|(_, operation)| operation)
}

/// Whether a response is a request error: the request could not run at all (it did not parse,
/// did not validate, its variables did not coerce, or a limit refused it). Field errors carry
/// a path; request errors never do.
pub fn is_request_error(response: &async_graphql::Response) -> bool {
    response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|error| error.path.is_empty())
}

/// Gives every error of a response the request id, and a code where it has none.
pub fn tag_errors(response: &mut async_graphql::Response, request_id: &str) {
    let request_error = is_request_error(response);
    for error in &mut response.errors {
        tag_error(error, request_id, request_error);
    }
}

/// Writes a GraphQL response: a request error has no `data` entry and, with the GraphQL
/// response media type, a 400.
pub fn write_response(
    response: async_graphql::Response,
    format: Format,
    status_override: Option<StatusCode>,
) -> Response {
    let request_error = is_request_error(&response);
    let status = status_override.unwrap_or(if request_error && format == Format::GraphqlResponse {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    });
    // Written straight to bytes: a detour through `serde_json::Value` allocated a map per
    // object of the response. Only a request error, which must lose its `data` entry,
    // takes it.
    let body = if request_error {
        serde_json::to_value(&response).map(|mut value| {
            if let Some(object) = value.as_object_mut() {
                object.remove("data");
            }
            value.to_string().into_bytes()
        })
    } else {
        serde_json::to_vec(&response)
    }
    .unwrap_or_else(|_| {
        br#"{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}"#.to_vec()
    });
    http_response(status, format, body, &response)
}

/// A GraphQL response's bytes as an HTTP response in `format`, with the headers its
/// resolvers set.
pub(super) fn http_response(
    status: StatusCode,
    format: Format,
    body: Vec<u8>,
    response: &async_graphql::Response,
) -> Response {
    let mut http = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(format.content_type()),
        )],
        body,
    )
        .into_response();
    for (name, value) in response.http_headers.iter() {
        http.headers_mut().insert(name.clone(), value.clone());
    }
    http
}

/// Adds `extensions.requestId`, and `extensions.code` where the error has none: async-graphql's
/// own parse and validation errors, and its coercion errors of field arguments.
fn tag_error(error: &mut ServerError, request_id: &str, request_error: bool) {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set(
            "code",
            if request_error {
                crate::error::code::GRAPHQL_VALIDATION_FAILED
            } else {
                crate::error::code::BAD_USER_INPUT
            },
        );
    }
    extensions.set("requestId", request_id);
}
