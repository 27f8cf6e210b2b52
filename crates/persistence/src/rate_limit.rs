//! The rate limiter's buckets: one atomic statement per charge, so that server processes
//! sharing the database share the budget (see `domain::rate_limit` for the model).

use domain::rate_limit::Policy;
use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, Value};

use crate::{Db, Error};

/// What a charge did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Charge {
    /// The cost fitted: the bucket now holds `level` points.
    Accepted { level: f64 },
    /// The cost did not fit and nothing was added: the bucket holds `level` points.
    Refused { level: f64 },
}

/// Adds `cost` points to `bucket` after leaking what leaked since its last charge, unless
/// that would overflow it. One `INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING`
/// statement: two processes charging the same bucket at once cannot both slip under the cap.
/// `now_ms` is the caller's clock, in milliseconds since the Unix epoch.
pub async fn charge(
    db: &Db,
    bucket: &str,
    policy: Policy,
    cost: u32,
    now_ms: i64,
) -> Result<Charge, Error> {
    let backend = db.conn().get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => POSTGRES_CHARGE,
        _ => SQLITE_CHARGE,
    };
    let values: Vec<Value> = vec![
        bucket.into(),
        f64::from(cost).into(),
        now_ms.into(),
        policy.leak_per_ms().into(),
        f64::from(policy.capacity).into(),
    ];
    let _turn = db.write_turn().await;
    let row = db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    if let Some(row) = row {
        let level: f64 = row.try_get("", "level")?;
        return Ok(Charge::Accepted { level });
    }
    let select = match backend {
        DatabaseBackend::Postgres => {
            "SELECT level, updated_at_ms FROM rate_limit_bucket WHERE bucket = $1"
        }
        _ => "SELECT level, updated_at_ms FROM rate_limit_bucket WHERE bucket = ?",
    };
    let row = db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            select,
            [bucket.into()],
        ))
        .await?;
    let level = match row {
        Some(row) => {
            let level: f64 = row.try_get("", "level")?;
            let updated_at_ms: i64 = row.try_get("", "updated_at_ms")?;
            policy.leaked(level, now_ms - updated_at_ms)
        }
        None => 0.0,
    };
    Ok(Charge::Refused { level })
}

/// Forgets the buckets that have been empty for a while (a bucket untouched for longer than it
/// takes to leak dry is empty): keeps the table as small as the set of recent callers.
pub async fn forget_empty(db: &Db, policy: Policy, now_ms: i64) -> Result<u64, Error> {
    let dry_after_ms = if policy.leak_per_second == 0 {
        return Ok(0);
    } else {
        i64::from(policy.capacity) * 1000 / i64::from(policy.leak_per_second) + 1000
    };
    let backend = db.conn().get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "DELETE FROM rate_limit_bucket WHERE updated_at_ms < $1",
        _ => "DELETE FROM rate_limit_bucket WHERE updated_at_ms < ?",
    };
    let _turn = db.write_turn().await;
    let result = db
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [(now_ms - dry_after_ms).into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

// The level once leaked is the arithmetic of `Policy::leaked`, written in SQL.
const POSTGRES_CHARGE: &str = "\
INSERT INTO rate_limit_bucket (bucket, level, updated_at_ms) VALUES ($1, $2::double precision, $3::bigint) \
ON CONFLICT (bucket) DO UPDATE SET \
  level = GREATEST(0.0, rate_limit_bucket.level - GREATEST(0, $3::bigint - rate_limit_bucket.updated_at_ms) * $4::double precision) + $2::double precision, \
  updated_at_ms = GREATEST($3::bigint, rate_limit_bucket.updated_at_ms) \
WHERE GREATEST(0.0, rate_limit_bucket.level - GREATEST(0, $3::bigint - rate_limit_bucket.updated_at_ms) * $4::double precision) + $2::double precision <= $5::double precision \
RETURNING level";

const SQLITE_CHARGE: &str = "\
INSERT INTO rate_limit_bucket (bucket, level, updated_at_ms) VALUES (?1, ?2, ?3) \
ON CONFLICT (bucket) DO UPDATE SET \
  level = max(0.0, rate_limit_bucket.level - max(0, ?3 - rate_limit_bucket.updated_at_ms) * ?4) + ?2, \
  updated_at_ms = max(?3, rate_limit_bucket.updated_at_ms) \
WHERE max(0.0, rate_limit_bucket.level - max(0, ?3 - rate_limit_bucket.updated_at_ms) * ?4) + ?2 <= ?5 \
RETURNING level";
