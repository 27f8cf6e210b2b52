//! What an import tells its operator: progress while it runs, a summary at the end, and the
//! errors that stop it.

use std::fmt;

use persistence::import::Tally;

/// Receives progress while an import runs: the command line draws a bar on a terminal and
/// prints plain lines otherwise; tests ignore it.
pub trait Progress {
    /// A phase begins, with the number of records it will go through.
    fn start(&mut self, phase: &str, total: usize);
    /// `done` more records of the current phase are written.
    fn advance(&mut self, done: usize);
    /// The current phase is over.
    fn finish(&mut self);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn start(&mut self, _phase: &str, _total: usize) {}
    fn advance(&mut self, _done: usize) {}
    fn finish(&mut self) {}
}

/// A record that was not imported, where it is, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    pub file: String,
    /// The record's position in its file, from 1.
    pub position: usize,
    /// Its official code, when it has a readable one.
    pub code: Option<String>,
    pub reason: String,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} record {}", self.file, self.position)?;
        if let Some(code) = &self.code {
            write!(f, " ({code})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

/// What a whole import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    /// Per kind of record ("cities", "boroughs", "organisations", "memberships"), in order.
    pub tallies: Vec<(&'static str, Tally)>,
    /// Records left out on purpose, with why ("not a current commune").
    pub skipped: Vec<(String, usize)>,
    pub rejected: Vec<Reject>,
}

impl Summary {
    /// The tally of one kind of record (zero when the import had none).
    pub fn tally(&self, kind: &str) -> Tally {
        self.tallies.iter().filter(|(name, _)| *name == kind).fold(
            Tally::default(),
            |mut sum, (_, tally)| {
                sum += *tally;
                sum
            },
        )
    }

    pub(crate) fn add(&mut self, kind: &'static str, tally: Tally) {
        match self.tallies.iter_mut().find(|(name, _)| *name == kind) {
            Some((_, sum)) => *sum += tally,
            None => self.tallies.push((kind, tally)),
        }
    }

    /// Puts the rejects in file order, by position, as an operator reads them.
    pub(crate) fn sort_rejects(&mut self) {
        self.rejected
            .sort_by(|a, b| (&a.file, a.position).cmp(&(&b.file, b.position)));
    }

    pub(crate) fn skip(&mut self, why: &str) {
        match self.skipped.iter_mut().find(|(reason, _)| reason == why) {
            Some((_, count)) => *count += 1,
            None => self.skipped.push((why.to_owned(), 1)),
        }
    }
}

/// How many rejects the summary lists one by one before it only counts them.
const LISTED_REJECTS: usize = 20;

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<14} {:>9} {:>9} {:>9}",
            "", "created", "updated", "unchanged"
        )?;
        for (kind, tally) in &self.tallies {
            writeln!(
                f,
                "{:<14} {:>9} {:>9} {:>9}",
                kind, tally.created, tally.updated, tally.unchanged
            )?;
        }
        for (why, count) in &self.skipped {
            writeln!(f, "skipped {count}: {why}")?;
        }
        writeln!(f, "rejected {}", self.rejected.len())?;
        for reject in self.rejected.iter().take(LISTED_REJECTS) {
            writeln!(f, "  {reject}")?;
        }
        if self.rejected.len() > LISTED_REJECTS {
            writeln!(f, "  … and {} more", self.rejected.len() - LISTED_REJECTS)?;
        }
        Ok(())
    }
}

/// Why an import stopped. A file that cannot be read or parsed stops it before anything is
/// written; a store failure stops it after the batches already committed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: cannot read it: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: line {line}, column {column}: {message}")]
    Malformed {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the store failed: {0}")]
    Store(#[from] persistence::Error),
}
