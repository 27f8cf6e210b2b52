//! The directory's API: the GraphQL schema, its DataLoaders, the axum server and the CLI.
//!
//! Invariant: only this crate knows GraphQL and HTTP; it reads through `persistence` and asks
//! `domain` for every rule.

pub mod auth;
pub mod batch;
pub mod config;
pub mod cost;
pub mod documents;
pub mod error;
pub mod export;
pub mod limits;
pub mod live;
pub mod loader;
pub mod metrics;
pub mod rate_limit;
pub mod response_cache;
pub mod schema;
pub mod server;
pub mod token;
pub mod webhook;

pub use config::{Cache, Config, Http, Limits, Live, RateLimits, TokenConfig, Webhooks};
pub use server::{App, StartError, build, serve};
