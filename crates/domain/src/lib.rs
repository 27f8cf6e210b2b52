//! The directory's domain: the records it holds, the values they are made of, and the rules
//! that hold between them.
//!
//! Invariants: this crate does no I/O and names no `sea_orm`, `async_graphql`, `axum` or
//! `tokio`. Every rule lives here once; the other crates ask it.

#[macro_use]
mod string_enum;

pub mod access;
pub mod country;
pub mod france;
pub mod fuzzy_date;
pub mod namesake;
pub mod rate_limit;
pub mod search;
pub mod slug;
pub mod validate;

pub mod award;
pub mod city;
pub mod diagnostic;
pub mod election;
pub mod event;
pub mod freshness;
pub mod group_purchase;
pub mod initiative;
pub mod joining;
pub mod mandate;
pub mod membership;
pub mod organisation;
pub mod ownership;
pub mod partnership;
pub mod peers;
pub mod person;
pub mod programme;
pub mod source;
pub mod theme;
pub mod webhook;

pub use fuzzy_date::FuzzyDate;
pub use string_enum::UnknownValue;

/// The id of a stored record of any kind (a database key, never shown to callers as is).
pub type Id = i32;

/// When a record was created and last changed, and its version for optimistic concurrency.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}
