//! Records on their way to the store, with where they came from, written in batches.

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

impl<T> Located<T> {
    pub fn reject(&self, reason: impl Into<String>) -> Reject {
        Reject {
            file: self.file.clone(),
            position: self.position,
            code: self.code.clone(),
            reason: reason.into(),
        }
    }
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
