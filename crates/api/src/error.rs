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
}

impl ApiError {
    pub fn bad_input(argument: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadUserInput {
            argument: argument.to_owned(),
            message: message.into(),
        }
    }

    /// Logs the cause with the request id and returns an error that shows only the id.
    pub fn internal(request_id: &str, cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(request_id, error = %cause, "internal error");
        ApiError::Internal {
            request_id: request_id.to_owned(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadUserInput { .. } => "BAD_USER_INPUT",
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::Internal { .. } => "INTERNAL",
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
                ApiError::Internal { request_id } => {
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

/// Turns a persistence failure into an `INTERNAL` error for this request.
pub fn internal(ctx: &async_graphql::Context<'_>, cause: impl std::fmt::Display) -> FieldError {
    let request_id = ctx
        .data_opt::<RequestId>()
        .map(|r| r.0.as_str())
        .unwrap_or("unknown");
    ApiError::internal(request_id, &cause).extend()
}
