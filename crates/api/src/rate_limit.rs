//! Rate limits: a bucket of points per API token, and per client address for anonymous
//! callers, charged with each query's cost before it runs (see `domain::rate_limit`).
//!
//! The buckets live in the shared database, so the budget holds across every server process
//! behind a load balancer. A process takes points from a bucket a lease at a time
//! (`Policy::lease_for`: a twentieth of the bucket) and spends them locally, so most requests
//! write nothing; each process can admit at most one lease beyond the shared capacity. Each request tells its caller the cost and what is left: in
//! `extensions.cost`, in `X-RateLimit-*` headers, and through the `rateLimit` query field.

use std::collections::HashMap;
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

/// The most buckets this process keeps a lease on.
const MAX_LEASES: usize = 10_000;

/// Points this process took from a shared bucket and has not spent yet.
#[derive(Debug, Clone, Copy)]
struct Lease {
    left: f64,
    /// The bucket's level once the lease was taken, and when.
    level: f64,
    taken_ms: i64,
    /// Until when the shared bucket refuses this caller (milliseconds since the epoch).
    refused_until_ms: i64,
}

/// The limiter every request charges.
pub struct RateLimiter {
    db: Db,
    config: RateLimits,
    charges: AtomicU64,
    leases: Mutex<HashMap<String, Lease>>,
}

impl RateLimiter {
    pub fn new(db: Db, config: RateLimits) -> RateLimiter {
        RateLimiter {
            db,
            config,
            charges: AtomicU64::new(0),
            leases: Mutex::new(HashMap::new()),
        }
    }

    /// Spends `cost` from this process's lease on `bucket`, if enough is left (the status then
    /// counts the lease's unspent points as remaining); refuses at once while a refusal of the
    /// shared bucket holds, so a flood is turned away without touching the database; None
    /// when the shared bucket must be asked.
    #[allow(clippy::type_complexity)]
    fn spend_leased(
        &self,
        bucket: &str,
        policy: Policy,
        cost: u32,
        now_ms: i64,
    ) -> Option<Result<Status, (Status, RateLimitError)>> {
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        let lease = leases.get_mut(bucket)?;
        let level = policy.leaked(lease.level, now_ms - lease.taken_ms);
        if now_ms < lease.refused_until_ms {
            let wait_ms = (lease.refused_until_ms - now_ms) as u64;
            let retry_after = Duration::from_secs(wait_ms.div_ceil(1000).max(1));
            let status = status_of(policy, cost, level, 0.0, Some(retry_after));
            return Some(Err((status, RateLimitError::Exhausted { retry_after })));
        }
        if lease.left < f64::from(cost) {
            return None;
        }
        lease.left -= f64::from(cost);
        Some(Ok(status_of(policy, cost, level, lease.left, None)))
    }

    /// Remembers that the shared bucket refused this caller until `retry_after` has passed.
    fn refuse_until(&self, bucket: &str, level: f64, now_ms: i64, retry_after: Duration) {
        self.store_lease(bucket, 0.0, |left| Lease {
            left,
            level,
            taken_ms: now_ms,
            refused_until_ms: now_ms + retry_after.as_millis() as i64,
        });
    }

    /// Keeps what is left of a new lease (with what was left of the old one); returns it.
    fn keep_lease(&self, bucket: &str, level: f64, unspent: u32, now_ms: i64) -> f64 {
        self.store_lease(bucket, f64::from(unspent), |left| Lease {
            left,
            level,
            taken_ms: now_ms,
            refused_until_ms: 0,
        })
    }

    /// Stores the lease `make` builds from what is left of the old one plus `added`; returns
    /// what it has left.
    fn store_lease(&self, bucket: &str, added: f64, make: impl FnOnce(f64) -> Lease) -> f64 {
        let mut leases = self.leases.lock().unwrap_or_else(|e| e.into_inner());
        if leases.len() >= MAX_LEASES {
            // Many callers at once: forget the leases (their points stay charged and leak).
            leases.clear();
        }
        let lease = make(leases.get(bucket).map_or(0.0, |old| old.left) + added);
        leases.insert(bucket.to_owned(), lease);
        lease.left
    }

    /// Every so many charges, forgets the buckets that leaked dry, off the request's path.
    fn sweep(&self, policy: Policy, now_ms: i64) {
        if self.charges.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY != SWEEP_EVERY - 1 {
            return;
        }
        let db = self.db.clone();
        tokio::spawn(async move {
            if let Err(error) = persistence::rate_limit::forget_empty(&db, policy, now_ms).await {
                tracing::warn!(%error, "cannot forget empty rate-limit buckets");
            }
        });
    }

    /// The budget of one request: the caller's token, else its address.
    pub fn budget(
        self: &Arc<Self>,
        caller: &Caller,
        address: Option<IpAddr>,
        request_id: &str,
    ) -> Budget {
        let policy = match caller {
            Caller::Token(_) => self.config.token_policy(),
            Caller::Anonymous => self.config.anonymous_policy(),
        };
        let bucket = caller_key(caller, address);
        Budget {
            limiter: self.clone(),
            request_id: request_id.to_owned(),
            bucket,
            policy,
            status: Mutex::new(None),
        }
    }
}

/// Who is charged for a request: its API token, or the client address of an anonymous caller.
/// The live streams a caller may hold are counted by the same key.
pub fn caller_key(caller: &Caller, address: Option<IpAddr>) -> String {
    match caller {
        Caller::Token(actor) => format!("token:{}", actor.token_id.unwrap_or_default()),
        Caller::Anonymous => format!(
            "ip:{}",
            address.map_or_else(|| "unknown".to_owned(), |a| a.to_string())
        ),
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

    /// Charges `cost` points, or refuses the query with `RATE_LIMITED`: from what this process
    /// leased from the shared bucket when enough is left, else from a new lease.
    pub async fn charge(&self, cost: usize) -> Result<(), ServerError> {
        let Some(policy) = self.policy else {
            return Ok(());
        };
        let cost = u32::try_from(cost).unwrap_or(u32::MAX).max(1);
        let now_ms = chrono::Utc::now().timestamp_millis();
        if let Err(error) = policy.check_cost(cost) {
            self.set(status_of(policy, cost, 0.0, 0.0, None));
            return Err(rate_limited(&error));
        }
        match self
            .limiter
            .spend_leased(&self.bucket, policy, cost, now_ms)
        {
            Some(Ok(status)) => {
                self.set(status);
                return Ok(());
            }
            Some(Err((status, refusal))) => {
                self.set(status);
                return Err(rate_limited(&refusal));
            }
            None => {}
        }
        let lease = policy.lease_for(cost);
        let mut charged = self.charge_store(policy, lease, now_ms).await?;
        let mut taken = lease;
        if let Charge::Refused { level } = charged
            && lease > cost
            && level + f64::from(cost) <= f64::from(policy.capacity)
        {
            // A whole lease does not fit; the query alone does.
            charged = self.charge_store(policy, cost, now_ms).await?;
            taken = cost;
        }
        self.limiter.sweep(policy, now_ms);
        match charged {
            Charge::Accepted { level } => {
                let left = self
                    .limiter
                    .keep_lease(&self.bucket, level, taken - cost, now_ms);
                self.set(status_of(policy, cost, level, left, None));
                Ok(())
            }
            Charge::Refused { level } => {
                let retry_after = policy.retry_after(level, cost);
                self.limiter
                    .refuse_until(&self.bucket, level, now_ms, retry_after);
                self.set(status_of(policy, cost, level, 0.0, Some(retry_after)));
                Err(rate_limited(&policy.refusal(level, cost)))
            }
        }
    }

    /// One charge of the shared bucket. The buckets share the directory's database: when they
    /// cannot be read, neither can the directory, so the request fails now (`INTERNAL`)
    /// rather than wait a second time for the same database.
    async fn charge_store(
        &self,
        policy: Policy,
        points: u32,
        now_ms: i64,
    ) -> Result<Charge, ServerError> {
        persistence::rate_limit::charge(&self.limiter.db, &self.bucket, policy, points, now_ms)
            .await
            .map_err(|error| {
                let api_error = crate::error::ApiError::internal(&self.request_id, &error);
                async_graphql::ErrorExtensions::extend(&api_error)
                    .into_server_error(async_graphql::Pos::default())
            })
    }

    fn set(&self, status: Status) {
        *self.status.lock().unwrap_or_else(|e| e.into_inner()) = Some(status);
    }
}

/// The status of a bucket at `level`, of which `leased_left` points this process holds unspent.
fn status_of(
    policy: Policy,
    cost: u32,
    level: f64,
    leased_left: f64,
    retry_after: Option<Duration>,
) -> Status {
    Status {
        cost,
        limit: policy.capacity,
        remaining: policy.remaining(level - leased_left).min(policy.capacity),
        restore_rate: policy.leak_per_second,
        reset_after: policy.empty_in(level),
        retry_after,
    }
}

fn rate_limited(error: &RateLimitError) -> ServerError {
    let mut server_error = ServerError::new(error.to_string(), None);
    let extensions = server_error.extensions.get_or_insert_with(Default::default);
    match error {
        RateLimitError::Exhausted { retry_after } => {
            extensions.set("code", crate::error::code::RATE_LIMITED);
            extensions.set("retryAfter", retry_after.as_secs());
        }
        RateLimitError::CostAboveCapacity { capacity, .. } => {
            extensions.set("code", crate::error::code::QUERY_TOO_COMPLEX);
            extensions.set("limit", "rateLimit");
            extensions.set("maximum", u64::from(*capacity));
        }
    }
    server_error
}
