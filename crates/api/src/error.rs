//! The API's errors: the one place where a public `code` is chosen.
//!
//! Every GraphQL error carries `extensions.code`. An internal error is logged with the
//! request id and returned as that id only: no SQL, no stack trace, no secret.

use async_graphql::{ErrorExtensions, FieldError};

/// Something the API refuses or cannot do.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An argument is malformed; the message names it.
    #[error("{argument}: {message}")]
    BadUserInput { argument: String, message: String },
    /// The caller must present a token to see this.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller's token does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Something went wrong on our side; the reference lets an operator find it in the logs.
    #[error("internal error (request {request_id}); it has been logged")]
    Internal { request_id: String },
    /// The database is out of reach for a moment (overloaded pool, outage): retrying may
    /// succeed. Answered with HTTP 503 and `Retry-After`.
    #[error(
        "the directory's database is out of reach for a moment; retry shortly (request {request_id})"
    )]
    Unavailable { request_id: String },
}

/// A failure below the API, as `ApiError::internal` reports it.
pub trait Fault: std::fmt::Display {
    /// Whether it is the database out of reach for a moment, so that retrying may succeed.
    fn is_unavailable(&self) -> bool;
}

impl Fault for persistence::Error {
    fn is_unavailable(&self) -> bool {
        persistence::Error::is_unavailable(self)
    }
}

impl Fault for persistence::write::WriteError {
    fn is_unavailable(&self) -> bool {
        persistence::write::WriteError::is_unavailable(self)
    }
}

impl Fault for crate::token::IssueError {
    fn is_unavailable(&self) -> bool {
        matches!(self, crate::token::IssueError::Store(error) if error.is_unavailable())
    }
}

/// A broken invariant, described.
impl Fault for String {
    fn is_unavailable(&self) -> bool {
        false
    }
}

impl<T: Fault> Fault for std::sync::Arc<T> {
    fn is_unavailable(&self) -> bool {
        T::is_unavailable(self)
    }
}

impl ApiError {
    pub fn bad_input(argument: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadUserInput {
            argument: argument.to_owned(),
            message: message.into(),
        }
    }

    /// Logs the cause with the request id and returns an error that shows only the id:
    /// `UNAVAILABLE` when the database is out of reach for a moment, `INTERNAL` otherwise.
    pub fn internal(request_id: &str, cause: &dyn Fault) -> ApiError {
        let request_id = request_id.to_owned();
        if cause.is_unavailable() {
            tracing::warn!(request_id, error = %cause, "database unavailable");
            ApiError::Unavailable { request_id }
        } else {
            tracing::error!(request_id, error = %cause, "internal error");
            ApiError::Internal { request_id }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::Internal { .. } => "INTERNAL",
            ApiError::Unavailable { .. } => "UNAVAILABLE",
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> FieldError {
        FieldError::new(self.to_string()).extend_with(|_, extensions| {
            extensions.set("code", self.code());
            match self {
                ApiError::BadUserInput { argument, .. } => {
                    extensions.set("argument", argument.as_str())
                }
                ApiError::Internal { request_id } | ApiError::Unavailable { request_id } => {
                    extensions.set("requestId", request_id.as_str())
                }
                ApiError::Unauthenticated(_) | ApiError::Forbidden(_) => {}
            }
        })
    }
}

/// The id of the HTTP request being served, for logs and internal errors.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Turns a persistence failure into an `INTERNAL` (or `UNAVAILABLE`) error for this request.
pub fn internal(ctx: &async_graphql::Context<'_>, cause: impl Fault) -> FieldError {
    let request_id = ctx
        .data_opt::<RequestId>()
        .map(|r| r.0.as_str())
        .unwrap_or("unknown");
    ApiError::internal(request_id, &cause).extend()
}
