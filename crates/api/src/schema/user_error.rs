//! User errors: what a caller can fix in a mutation's input, and the one mapping from a
//! write's outcome to them.

use async_graphql::{Context, ErrorExtensions, ID, Result, SimpleObject};
use persistence::write::WriteError;

use crate::error::{ApiError, WriteRefusal, internal};
use crate::schema::id;

/// Something the caller can fix in a mutation's input: which field, a stable code, and why.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// The path to the input field at fault (`["input", "role"]`).
    pub field: Vec<String>,
    /// A stable code to branch on (`INVALID`, `NOT_FOUND`, `CONFLICT`…).
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

impl UserError {
    pub fn new(field: &[&str], code: &str, message: impl Into<String>) -> UserError {
        UserError {
            field: field.iter().map(|f| f.to_string()).collect(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Turns a write's outcome into the record or user errors; authorisation failures and store
/// failures become GraphQL errors.
pub fn outcome<T>(
    ctx: &Context<'_>,
    result: Result<T, WriteError>,
) -> Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(record) => Ok((Some(record), vec![])),
        Err(error) => Ok((None, user_errors(ctx, error)?)),
    }
}

/// What the caller can fix, from a refused write: every problem of the input at once.
fn user_errors(ctx: &Context<'_>, error: WriteError) -> Result<Vec<UserError>> {
    match crate::error::write_refusal(error) {
        WriteRefusal::Input(problems) => Ok(problems
            .into_iter()
            .map(|problem| UserError::new(&["input", problem.field], problem.code, problem.message))
            .collect()),
        WriteRefusal::Forbidden(denied) => Err(denied.extend()),
        WriteRefusal::Store(error) => Err(internal(ctx, error)),
    }
}

/// Reads a global id of an input field, or says what is wrong with it.
pub fn input_id(
    field: &str,
    value: &ID,
    type_name: &str,
) -> std::result::Result<domain::Id, UserError> {
    id::decode_as(field, value, type_name).map_err(|error| {
        let message = match error {
            ApiError::BadUserInput { message, .. } => message,
            other => other.to_string(),
        };
        UserError::new(&["input", field], "INVALID", message)
    })
}

/// Reads an optional date as known (`2026-03-15`, `2026-03`, `2026`) of an input field.
pub fn input_date(
    field: &str,
    text: Option<&str>,
) -> std::result::Result<Option<domain::FuzzyDate>, UserError> {
    text.map(|t| {
        domain::FuzzyDate::parse(t)
            .map_err(|e| UserError::new(&["input", field], "INVALID", e.to_string()))
    })
    .transpose()
}

/// Reads an optional global id of an input field.
pub fn optional_input_id(
    field: &str,
    value: Option<&ID>,
    type_name: &str,
) -> std::result::Result<Option<domain::Id>, UserError> {
    value.map(|v| input_id(field, v, type_name)).transpose()
}
