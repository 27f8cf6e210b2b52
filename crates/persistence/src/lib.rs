//! Persistence: SeaORM entities, the repositories that turn rows into domain records, batch
//! loads for the API's DataLoaders, and the seed loader.
//!
//! Invariant: public functions take and return domain types, never entity `Model`s; column
//! and table names stay inside this crate.

mod entity;
mod error;
mod db;
mod rows;
mod stored;
mod relation;

pub mod page;
pub mod list;
pub mod by_parent;
pub mod mandate;
pub mod lookup;
pub mod seed;

pub use db::Db;
pub use error::Error;
pub use stored::{Stored, by_ids, by_slug};
