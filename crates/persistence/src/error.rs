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
    /// Whether the failure is the database being out of reach for a moment (the pool found no
    /// free connection in time, the server cannot be reached or dropped the connection), so the
    /// same request may succeed if retried: the API answers 503, not 500.
    pub fn is_unavailable(&self) -> bool {
        use sea_orm::{RuntimeErr, SqlxError};
        let Error::Database(error) = self else {
            return false;
        };
        match error {
            DbErr::ConnectionAcquire(_) => true,
            DbErr::Conn(RuntimeErr::SqlxError(error))
            | DbErr::Exec(RuntimeErr::SqlxError(error))
            | DbErr::Query(RuntimeErr::SqlxError(error)) => match &**error {
                SqlxError::Io(_) | SqlxError::PoolTimedOut | SqlxError::PoolClosed => true,
                // PostgreSQL's connection exceptions (08) and its server shutting down (57P).
                SqlxError::Database(error) => error
                    .code()
                    .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
                _ => false,
            },
            DbErr::Conn(_) => true,
            _ => false,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ConnAcquireErr;

    #[test]
    fn a_pool_out_of_connections_or_a_lost_server_is_unavailable_not_broken() {
        assert!(
            Error::Database(DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)).is_unavailable()
        );
        let lost = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(
            Error::Database(DbErr::Query(sea_orm::RuntimeErr::SqlxError(
                std::sync::Arc::new(sea_orm::SqlxError::Io(lost))
            )))
            .is_unavailable()
        );
        assert!(!Error::Database(DbErr::RecordNotFound("city".into())).is_unavailable());
        assert!(!Error::corrupt("city", "slug", "x", "bad").is_unavailable());
    }
}
