//! The persistence layer's one error type.

use sea_orm::DbErr;

/// What can go wrong below the API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database could not be reached or refused the statement.
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// The database URL is not one this directory can use.
    #[error("{0}")]
    BadDatabaseUrl(String),
    /// A stored value no longer parses: the database was changed outside the directory.
    #[error("stored {table}.{column} holds {value:?}, which is not valid: {reason}")]
    Corrupt {
        table: &'static str,
        column: &'static str,
        value: String,
        reason: String,
    },
    /// The seed dataset is malformed or refers to a record it does not define.
    #[error("seed file {file}: {reason}")]
    Seed { file: String, reason: String },
}

impl Error {
    pub(crate) fn corrupt(
        table: &'static str,
        column: &'static str,
        value: &str,
        reason: impl ToString,
    ) -> Error {
        Error::Corrupt {
            table,
            column,
            value: value.to_owned(),
            reason: reason.to_string(),
        }
    }
}
