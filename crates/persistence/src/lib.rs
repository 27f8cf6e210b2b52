//! Persistence: SeaORM entities, the repositories that turn rows into domain records, batch
//! loads for the API's DataLoaders, and the seed loader.
//!
//! Invariant: public functions take and return domain types, never entity `Model`s; column
//! and table names stay inside this crate.

mod authority;
mod db;
mod entity;
mod error;
mod relation;
mod rows;
mod stored;

pub mod audit;
pub mod award;
pub mod bulk;
pub mod by_parent;
pub mod changes;
pub mod citation;
pub mod city;
pub mod city_page;
pub mod contact_point;
pub mod delete;
pub mod diagnostic;
pub mod diagnostic_tool;
pub mod election;
pub mod event;
pub mod export;
pub mod freshness;
pub mod group_purchase;
pub mod import;
pub mod initiative;
pub mod joining;
pub mod list;
pub mod lookup;
pub mod mandate;
pub mod membership;
pub mod namesake;
pub mod organisation;
pub mod organisation_relation;
pub mod page;
pub mod partnership;
pub mod peers;
pub mod person;
pub mod programme;
pub mod rate_limit;
pub mod report;
pub mod seed;
pub mod source;
pub mod stated_figure;
pub mod statement;
pub mod store_version;
pub mod theme;
pub mod token;
pub mod webhook;
pub mod write;

pub use db::{Db, PoolStats};

/// A batch of children grouped by parent, with the records the children point at, brought
/// along by a join in the same statement (the API keeps them for the next level's loads).
pub type Joined<C, T> = Result<(std::collections::HashMap<domain::Id, Vec<C>>, Vec<T>), Error>;
pub use error::Error;
pub use stored::{Stored, by_ids, by_slug, by_slugs};
pub use write::update;
