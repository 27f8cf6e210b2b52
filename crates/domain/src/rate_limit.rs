//! The rate limit as a leaky bucket (Shopify's model): each caller has a bucket of `capacity`
//! points; a query adds its cost, and the bucket leaks `leak_per_second` points a second. A
//! query that would overflow the bucket is refused, and told how long to wait.
//!
//! Persistence applies the same arithmetic in one atomic SQL statement (so that several server
//! processes share one budget); the functions here say what the levels it returns mean. A
//! process charges the shared bucket a lease at a time (`lease_for`) and spends it locally.

use std::time::Duration;

/// How big a bucket is and how fast it empties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// The most points a bucket holds: the largest burst.
    pub capacity: u32,
    /// Points that leak out each second: the sustained rate.
    pub leak_per_second: u32,
}

/// Why a query is refused by the rate limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RateLimitError {
    #[error("the query costs {cost} points and the bucket holds {capacity}: it can never run")]
    CostAboveCapacity { cost: u32, capacity: u32 },
    #[error("the rate limit is reached: retry in {} s", retry_after.as_secs())]
    Exhausted { retry_after: Duration },
}

impl Policy {
    /// The level of a bucket that held `level` points `elapsed_ms` ago.
    pub fn leaked(&self, level: f64, elapsed_ms: i64) -> f64 {
        (level - elapsed_ms.max(0) as f64 * self.leak_per_ms()).max(0.0)
    }

    pub fn leak_per_ms(&self) -> f64 {
        f64::from(self.leak_per_second) / 1000.0
    }

    /// How many points a server process takes from a shared bucket at once to spend locally:
    /// a twentieth of the bucket, or the cost when that is more. Fewer writes to the shared
    /// store; several processes may admit at most a lease each beyond the capacity.
    pub fn lease_for(&self, cost: u32) -> u32 {
        cost.max(self.capacity / 20)
    }

    /// Refuses at once a cost that no bucket could take.
    pub fn check_cost(&self, cost: u32) -> Result<(), RateLimitError> {
        if cost > self.capacity {
            return Err(RateLimitError::CostAboveCapacity {
                cost,
                capacity: self.capacity,
            });
        }
        Ok(())
    }

    /// Points left once the bucket holds `level`.
    pub fn remaining(&self, level: f64) -> u32 {
        (f64::from(self.capacity) - level).floor().max(0.0) as u32
    }

    /// How long until a bucket now at `level` can take `cost` more points (whole seconds,
    /// rounded up, at least one).
    pub fn retry_after(&self, level: f64, cost: u32) -> Duration {
        let excess = level + f64::from(cost) - f64::from(self.capacity);
        if self.leak_per_second == 0 {
            return Duration::from_secs(3600);
        }
        let seconds = (excess / f64::from(self.leak_per_second)).ceil().max(1.0);
        Duration::from_secs(seconds as u64)
    }

    /// How long until a bucket at `level` is empty again (whole seconds, rounded up).
    pub fn empty_in(&self, level: f64) -> Duration {
        if self.leak_per_second == 0 || level <= 0.0 {
            return Duration::ZERO;
        }
        Duration::from_secs((level / f64::from(self.leak_per_second)).ceil() as u64)
    }

    /// The refusal for a bucket at `level` that cannot take `cost`.
    pub fn refusal(&self, level: f64, cost: u32) -> RateLimitError {
        RateLimitError::Exhausted {
            retry_after: self.retry_after(level, cost),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: Policy = Policy {
        capacity: 1000,
        leak_per_second: 50,
    };

    #[test]
    fn a_bucket_leaks_at_its_rate_and_never_below_empty() {
        assert_eq!(POLICY.leaked(500.0, 2_000), 400.0);
        assert_eq!(POLICY.leaked(50.0, 10_000), 0.0);
        // A clock that went backwards leaks nothing rather than filling the bucket.
        assert_eq!(POLICY.leaked(500.0, -5_000), 500.0);
    }

    #[test]
    fn a_refused_caller_is_told_when_the_cost_fits_again() {
        // 990 in the bucket, a query of 100: 90 too many, 50 leak a second: 2 s.
        assert_eq!(POLICY.retry_after(990.0, 100), Duration::from_secs(2));
        assert_eq!(POLICY.retry_after(1000.0, 1), Duration::from_secs(1));
        assert_eq!(POLICY.remaining(990.4), 9);
        assert_eq!(POLICY.empty_in(990.0), Duration::from_secs(20));
    }

    #[test]
    fn a_process_leases_a_twentieth_of_the_bucket_or_the_cost() {
        assert_eq!(POLICY.lease_for(10), 50);
        assert_eq!(POLICY.lease_for(80), 80);
    }

    #[test]
    fn a_cost_above_the_capacity_can_never_run() {
        assert!(POLICY.check_cost(1000).is_ok());
        assert_eq!(
            POLICY.check_cost(1001),
            Err(RateLimitError::CostAboveCapacity {
                cost: 1001,
                capacity: 1000
            })
        );
    }
}
