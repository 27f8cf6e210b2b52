//! Webhook deliveries: a worker in each server process reads the change feed for each due
//! subscription, as the token that subscribed may read it, and posts it signed to the
//! subscriber's URL, again until it is taken.
//!
//! Nothing is lost: the feed is the audit trail, written in the transaction of every change,
//! and a subscription moves past a message only once the subscriber took it. Nothing is sent
//! twice by two processes: a subscription is leased to one process at a time
//! (`persistence::webhook::outbox`). A process killed while delivering leaves the lease to
//! expire and another sends the same message again, with the same `webhook-id`.

pub mod signature;
mod target;
mod worker;

pub use worker::{Worker, start};
