//! Rate limits: a bucket of points per API token, and per client address for anonymous
//! callers, charged with each query's cost before it runs (see `domain::rate_limit`).
//!
//! The buckets live in the shared database, so the budget holds across every server process
//! behind a load balancer. Each request tells its caller the cost and what is left: in
//! `extensions.cost`, in `X-RateLimit-*` headers, and through the `rateLimit` query field.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_graphql::ServerError;
use domain::rate_limit::{Policy, RateLimitError};
use persistence::Db;
use persistence::rate_limit::Charge;

use crate::auth::Caller;
use crate::config::RateLimits;

/// How often (in charges) the limiter forgets buckets that leaked dry.
const SWEEP_EVERY: u64 = 1024;

/// The limiter every request charges.
pub struct RateLimiter {
    db: Db,
    config: RateLimits,
    charges: AtomicU64,
}

impl RateLimiter {
    pub fn new(db: Db, config: RateLimits) -> RateLimiter {
        RateLimiter {
            db,
            config,
            charges: AtomicU64::new(0),
        }
    }

    /// The budget of one request: the caller's token, else its address.
    pub fn budget(
        self: &Arc<Self>,
        caller: &Caller,
        address: Option<IpAddr>,
        request_id: &str,
    ) -> Budget {
        let (bucket, policy) = match caller {
            Caller::Token(actor) => (
                format!("token:{}", actor.token_id),
                self.config.token_policy(),
            ),
            Caller::Anonymous => (
                format!(
                    "ip:{}",
                    address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())
                ),
                self.config.anonymous_policy(),
            ),
        };
        Budget {
            limiter: self.clone(),
            request_id: request_id.to_owned(),
            bucket,
            policy,
            status: Mutex::new(None),
        }
    }
}

/// What a request was charged and what its caller has left.
#[derive(Debug, Clone, Copy)]
pub struct Status {
    /// The query's cost in points.
    pub cost: u32,
    /// The bucket's capacity.
    pub limit: u32,
    /// Points left after this query.
    pub remaining: u32,
    /// Points the bucket regains each second.
    pub restore_rate: u32,
    /// When the bucket will be full again (empty of charges).
    pub reset_after: Duration,
    /// Set when the query was refused: how long to wait.
    pub retry_after: Option<Duration>,
}

/// One request's budget, in its GraphQL data: charged once, after validation.
pub struct Budget {
    limiter: Arc<RateLimiter>,
    request_id: String,
    bucket: String,
    /// None when rate limits are off.
    policy: Option<Policy>,
    status: Mutex<Option<Status>>,
}

impl Budget {
    /// What this request was charged; None before the charge or when limits are off.
    pub fn status(&self) -> Option<Status> {
        *self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Charges `cost` points, or refuses the query with `RATE_LIMITED`.
    pub async fn charge(&self, cost: usize) -> Result<(), ServerError> {
        let Some(policy) = self.policy else {
            return Ok(());
        };
        let cost = u32::try_from(cost).unwrap_or(u32::MAX).max(1);
        let now_ms = chrono::Utc::now().timestamp_millis();
        let status = |level: f64, retry_after: Option<Duration>| Status {
            cost,
            limit: policy.capacity,
            remaining: policy.remaining(level),
            restore_rate: policy.leak_per_second,
            reset_after: policy.empty_in(level),
            retry_after,
        };
        let outcome = match policy.check_cost(cost) {
            Err(error) => Err(error),
            Ok(()) => {
                match persistence::rate_limit::charge(
                    &self.limiter.db,
                    &self.bucket,
                    policy,
                    cost,
                    now_ms,
                )
                .await
                {
                    Ok(Charge::Accepted { level }) => {
                        self.set(status(level, None));
                        Ok(())
                    }
                    Ok(Charge::Refused { level }) => {
                        self.set(status(level, Some(policy.retry_after(level, cost))));
                        Err(policy.refusal(level, cost))
                    }
                    // The buckets share the directory's database: when they cannot be read,
                    // neither can the directory, so the request fails now rather than wait a
                    // second time for the same database.
                    Err(error) => {
                        let api_error = crate::error::ApiError::internal(&self.request_id, &error);
                        return Err(async_graphql::ErrorExtensions::extend(&api_error)
                            .into_server_error(async_graphql::Pos::default()));
                    }
                }
            }
        };
        self.sweep(policy, now_ms);
        outcome.map_err(|error| {
            if let RateLimitError::CostAboveCapacity { .. } = error {
                self.set(status(0.0, None));
            }
            rate_limited(&error)
        })
    }

    fn set(&self, status: Status) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
    }

    /// Every so many charges, forgets the buckets that leaked dry, off the request's path.
    fn sweep(&self, policy: Policy, now_ms: i64) {
        if self.limiter.charges.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY != SWEEP_EVERY - 1 {
            return;
        }
        let db = self.limiter.db.clone();
        tokio::spawn(async move {
            if let Err(error) = persistence::rate_limit::forget_empty(&db, policy, now_ms).await {
                tracing::warn!(%error, "cannot forget empty rate-limit buckets");
            }
        });
    }
}

fn rate_limited(error: &RateLimitError) -> ServerError {
    let mut server_error = ServerError::new(error.to_string(), None);
    let extensions = server_error.extensions.get_or_insert_with(Default::default);
    match error {
        RateLimitError::Exhausted { retry_after } => {
            extensions.set("code", "RATE_LIMITED");
            extensions.set("retryAfter", retry_after.as_secs());
        }
        RateLimitError::CostAboveCapacity { capacity, .. } => {
            extensions.set("code", "QUERY_TOO_COMPLEX");
            extensions.set("limit", "rateLimit");
            extensions.set("maximum", u64::from(*capacity));
        }
    }
    server_error
}
