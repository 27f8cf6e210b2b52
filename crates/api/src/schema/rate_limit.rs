//! The `rateLimit` query field: what this query cost and what the caller has left.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::Utc;

use crate::rate_limit::Budget;
use crate::schema::scalars::Timestamp;

/// The caller's rate-limit budget, as charged for this query (GitHub's `rateLimit`).
#[derive(SimpleObject)]
pub struct RateLimit {
    /// What this query cost, in points: every field costs 1, and a connection its page size
    /// times what each of its records selects.
    pub cost: i32,
    /// The most points the caller's bucket holds.
    pub limit: i32,
    /// Points left after this query.
    pub remaining: i32,
    /// Points the bucket regains each second.
    pub restore_rate: i32,
    /// When the bucket will be full again if the caller sends nothing more.
    pub reset_at: Timestamp,
}

#[derive(Default)]
pub struct RateLimitQuery;

#[Object]
impl RateLimitQuery {
    /// The caller's rate-limit budget after this query (per API token, or per client address
    /// for anonymous callers); null when rate limits are off.
    async fn rate_limit(&self, ctx: &Context<'_>) -> Option<RateLimit> {
        // True of this request only.
        crate::response_cache::never(ctx);
        let status = ctx.data_opt::<Arc<Budget>>()?.status()?;
        let clamp = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        Some(RateLimit {
            cost: clamp(status.cost),
            limit: clamp(status.limit),
            remaining: clamp(status.remaining),
            restore_rate: clamp(status.restore_rate),
            reset_at: Timestamp(
                Utc::now() + chrono::Duration::from_std(status.reset_after).unwrap_or_default(),
            ),
        })
    }
}
