//! What a write can run into, in terms the API maps once: not found, stale, forbidden, a broken
//! rule with the input field it concerns, or the store failing.

use domain::access::AccessError;
use domain::group_purchase::{JoinError, StepError, WithdrawError};

use crate::Error;

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The record an input field names does not exist.
    #[error("no record has this {field}")]
    NotFound { field: &'static str },
    /// The record changed since the caller read it.
    #[error("the record changed meanwhile: its version is now {current}")]
    StaleVersion { current: i32 },
    /// The caller may not write this record.
    #[error(transparent)]
    Forbidden(#[from] AccessError),
    /// A rule of the domain refuses the write.
    #[error("{message}")]
    Rule {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] Error),
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(error: sea_orm::DbErr) -> Self {
        WriteError::Store(Error::Database(error))
    }
}

impl From<JoinError> for WriteError {
    fn from(broken: JoinError) -> Self {
        let (field, code) = match broken {
            JoinError::NotOpen { .. } => ("groupPurchase", "NOT_OPEN"),
            JoinError::DeadlinePassed { .. } => ("groupPurchase", "DEADLINE_PASSED"),
            JoinError::NotEligible => ("city", "NOT_ELIGIBLE"),
            JoinError::AlreadyJoined => ("city", "ALREADY_JOINED"),
        };
        WriteError::Rule {
            field,
            code,
            message: broken.to_string(),
        }
    }
}

impl From<WithdrawError> for WriteError {
    fn from(broken: WithdrawError) -> Self {
        let code = match broken {
            WithdrawError::NotOpen { .. } => "NOT_OPEN",
            WithdrawError::AlreadyWithdrawn => "ALREADY_WITHDRAWN",
        };
        WriteError::Rule {
            field: "id",
            code,
            message: broken.to_string(),
        }
    }
}

impl From<StepError> for WriteError {
    fn from(broken: StepError) -> Self {
        let (field, code) = match broken {
            StepError::Transition(_) => ("id", "INVALID_TRANSITION"),
            StepError::SupplierNeeded => ("supplier", "SUPPLIER_NEEDED"),
            StepError::Window { .. } => ("tenderEnd", "INVALID"),
        };
        WriteError::Rule {
            field,
            code,
            message: broken.to_string(),
        }
    }
}
