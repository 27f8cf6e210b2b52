//! Records on their way to the store, with where they came from, written in batches.

use std::collections::HashMap;

use persistence::Db;
use persistence::import::BatchReport;

use crate::report::{ImportError, Progress, Reject, Summary};

/// How many records one transaction writes.
pub const BATCH_SIZE: usize = 1000;

/// A record read from a file, with its position there (from 1) and its official code.
#[derive(Debug, Clone)]
pub(crate) struct Located<T> {
    pub file: String,
    pub position: usize,
    pub code: Option<String>,
    pub record: T,
}

impl Located<()> {
    /// A place in a file, before its record is read.
    pub fn at(file: &str, position: usize, code: Option<String>) -> Located<()> {
        Located {
            file: file.to_owned(),
            position,
            code,
            record: (),
        }
    }
}

impl<T> Located<T> {
    /// The same place, another record.
    pub fn with<U>(&self, record: U) -> Located<U> {
        Located {
            file: self.file.clone(),
            position: self.position,
            code: self.code.clone(),
            record,
        }
    }

    pub fn reject(&self, reason: impl Into<String>) -> Reject {
        Reject {
            file: self.file.clone(),
            position: self.position,
            code: self.code.clone(),
            reason: reason.into(),
        }
    }
}

/// A reject for a record whose code an earlier record of the same file already had.
pub(crate) fn repeated<T>(
    seen: &mut HashMap<String, usize>,
    code: &str,
    located: &Located<T>,
) -> Option<Reject> {
    let first = seen.insert(code.to_owned(), located.position)?;
    Some(located.reject(format!("the same code as record {first}")))
}

/// Ends an import: tidies the database after the bulk load, puts the rejects in file order.
pub(crate) async fn finish(db: &Db, mut summary: Summary) -> Result<Summary, ImportError> {
    db.after_bulk_load().await?;
    summary.sort_rejects();
    Ok(summary)
}

/// Writes `records` in batches through `write`, one phase of progress, adding the tallies to
/// `kind` and the records the store refused to the rejects.
pub(crate) async fn write_in_batches<T: Clone>(
    kind: &'static str,
    records: &[Located<T>],
    summary: &mut Summary,
    progress: &mut dyn Progress,
    mut write: impl AsyncFnMut(&[T]) -> Result<BatchReport, persistence::Error>,
) -> Result<(), ImportError> {
    progress.start(kind, records.len());
    for chunk in records.chunks(BATCH_SIZE) {
        let batch: Vec<T> = chunk.iter().map(|located| located.record.clone()).collect();
        let report = write(&batch).await?;
        summary.add(kind, report.tally);
        for refused in report.refused {
            summary
                .rejected
                .push(chunk[refused.index].reject(refused.reason));
        }
        progress.advance(chunk.len());
    }
    progress.finish();
    Ok(())
}
