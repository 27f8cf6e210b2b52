//! Black-box tests of the directory over HTTP, one module per feature.

mod audit_trail;
mod authority;
mod bad_input;
mod batching;
mod changes;
mod city_matching;
mod collective_writes;
mod diagnostics;
mod directory_writes;
mod errors;
mod facts;
mod group_purchases;
mod hardening;
mod imports;
mod initiatives;
mod limits;
mod lists;
mod observability;
mod partnership_writes;
mod permissions;
mod questions;
mod rate_limits;
mod readme;
mod schema;
mod tokens;
mod visibility;
