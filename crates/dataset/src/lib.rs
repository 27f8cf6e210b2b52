//! Datasets beyond the seed documents: official data imported in bulk (the French
//! administrative data set, CSV files for other countries).
//!
//! Reads files, checks each record with the domain's rules, and writes through
//! `persistence::import` in batches. Knows no SQL and no GraphQL.

mod batch;
pub mod csv;
pub mod etalab;
pub mod report;
pub mod synthetic;

pub use batch::BATCH_SIZE;
pub use report::{ImportError, Progress, Reject, Silent, Summary};
