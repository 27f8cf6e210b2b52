//! What the webhook worker keeps: which subscription a process is delivering to (a lease),
//! the delivery it is making (the same message, with the same id, until it succeeds) and each
//! attempt.
//!
//! The changes themselves need no outbox table of their own: the audit trail is written in the
//! transaction of every change, in commit order (`audit::record_at_commit`), and a
//! subscription keeps its place in it. A subscription is leased to one process at a time:
//! claimed due subscriptions are marked `leased_until`, on PostgreSQL under `FOR UPDATE SKIP
//! LOCKED` so that processes claiming at once take different ones. A process killed while
//! delivering leaves its lease to expire; another then sends the same message again (at least
//! once; the `webhook-id` lets the subscriber drop the repeat).
//!
//! This bookkeeping is not a record of the directory: it is written outside the audit trail,
//! as token use and rate-limit buckets are.

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::ApiToken;
use domain::webhook::{Status, Subscription, gives_up};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
    TransactionTrait,
};

use crate::entity::{api_token, webhook_attempt, webhook_delivery, webhook_subscription};
use crate::{Db, Error};

/// A subscription leased to this process, with what delivering to it needs.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub subscription: Subscription,
    /// The secrets to sign with now: the current one first.
    pub secrets: Vec<String>,
    /// The token that subscribed, as it stands now (revoked, expired or not).
    pub token: Option<ApiToken>,
}

/// A message to a subscriber: the same until it is delivered.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Id,
    pub subscription_id: Id,
    /// The `webhook-id` header: the same on every attempt.
    pub message_id: String,
    /// The feed positions of the first and last changes it carries.
    pub first_position: Id,
    pub last_position: Id,
    pub payload: String,
    pub delivered: bool,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// One try at a delivery.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub delivery_id: Id,
    pub at: DateTime<Utc>,
    /// The subscriber's HTTP status, when it answered.
    pub response_status: Option<i32>,
    /// Why the attempt failed, when it did: the status, a refused connection, a timeout.
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// Whether any active subscription is due at `now`: one read, so that a process with nothing
/// to deliver writes nothing.
pub async fn any_due(db: &Db, now: DateTime<Utc>) -> Result<bool, Error> {
    let due = webhook_subscription::Entity::find()
        .filter(Expr::col("status").eq(Status::Active.as_str()))
        .filter(Expr::col("next_attempt_at").lte(now))
        .filter(
            Expr::col("leased_until")
                .is_null()
                .or(Expr::col("leased_until").lt(now)),
        )
        .one(db.conn())
        .await?;
    Ok(due.is_some())
}

/// Leases up to `limit` active subscriptions that are due at `now` and not leased by another
/// process, until `lease_until`.
pub async fn claim_due(
    db: &Db,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Claimed>, Error> {
    let backend = db.conn().get_database_backend();
    let skip_locked = if backend == DbBackend::Postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE webhook_subscription SET leased_until = {p1} WHERE id IN (\
           SELECT id FROM webhook_subscription WHERE status = {p2} AND next_attempt_at <= {p3} \
           AND (leased_until IS NULL OR leased_until < {p3}) \
           ORDER BY next_attempt_at, id LIMIT {p4}{skip_locked}) RETURNING id",
        p1 = placeholder(backend, 1),
        p2 = placeholder(backend, 2),
        p3 = placeholder(backend, 3),
        p4 = placeholder(backend, 4),
    );
    let values: Vec<sea_orm::Value> = vec![
        lease_until.into(),
        Status::Active.as_str().into(),
        now.into(),
        (limit as i64).into(),
    ];
    let _turn = db.write_turn().await;
    let claimed: Vec<Id> = db
        .conn()
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<Id>(0))
        .collect::<Result<_, _>>()?;
    drop(_turn);
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let rows = webhook_subscription::Entity::find()
        .filter(Expr::col("id").is_in(claimed))
        .order_by_asc(webhook_subscription::Column::NextAttemptAt)
        .all(db.conn())
        .await?;
    let token_ids: Vec<Id> = rows.iter().map(|row| row.token_id).collect();
    let tokens: std::collections::HashMap<Id, ApiToken> = api_token::Entity::find()
        .filter(Expr::col("id").is_in(token_ids))
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| crate::rows::api_token(row).map(|token| (token.id, token)))
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|row| {
            let secrets = super::signing_secrets(
                &row.secret,
                row.previous_secret.as_deref(),
                row.previous_secret_until,
                now,
            );
            let token = tokens.get(&row.token_id).cloned();
            Ok(Claimed {
                subscription: crate::rows::webhook_subscription(row)?,
                secrets,
                token,
            })
        })
        .collect()
}

/// The `n`th placeholder of a raw statement on `backend`.
fn placeholder(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

/// The delivery of `subscription_id` not yet made, if one is waiting to be tried again.
pub async fn pending(db: &Db, subscription_id: Id) -> Result<Option<Delivery>, Error> {
    let row = webhook_delivery::Entity::find()
        .filter(Expr::col("subscription_id").eq(subscription_id))
        .filter(Expr::col("status").eq(PENDING))
        .order_by_asc(webhook_delivery::Column::Id)
        .one(db.conn())
        .await?;
    Ok(row.map(delivery))
}

/// Records a new message for a subscription, carrying the changes from `first` to `last`.
pub async fn open(
    db: &Db,
    subscription_id: Id,
    (first, last): (Id, Id),
    payload: String,
    now: DateTime<Utc>,
) -> Result<Delivery, Error> {
    let row = webhook_delivery::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        subscription_id: Set(subscription_id),
        message_id: Set(format!("msg_{subscription_id}_{first}_{last}")),
        first_position: Set(first),
        last_position: Set(last),
        payload: Set(payload),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        delivered_at: Set(None),
        ..Default::default()
    };
    let _turn = db.write_turn().await;
    let row = row.insert(db.conn()).await?;
    db.announce_committed().await?;
    Ok(delivery(row))
}

/// What came of an attempt.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub at: DateTime<Utc>,
    pub response_status: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

impl Outcome {
    /// A 2xx answer: the subscriber has the message.
    pub fn delivered(&self) -> bool {
        self.error.is_none()
            && self
                .response_status
                .is_some_and(|s| (200..300).contains(&s))
    }
}

/// Records an attempt at `delivery` and what follows for its subscription, at once: delivered,
/// the subscription moves past the message's changes and is due again now; failed, it is due
/// again at `retry_at`, or disabled when it has failed too often in a row. The lease ends
/// unless `keep` says the process goes on delivering to it.
pub async fn finish_attempt(
    db: &Db,
    claimed: &Subscription,
    delivery: &Delivery,
    outcome: &Outcome,
    retry_at: DateTime<Utc>,
    keep: bool,
) -> Result<Status, Error> {
    let _turn = db.write_turn().await;
    let tx = db.conn().begin().await?;
    webhook_attempt::ActiveModel {
        created_at: Set(outcome.at),
        updated_at: Set(outcome.at),
        version: Set(1),
        delivery_id: Set(delivery.id),
        at: Set(outcome.at),
        response_status: Set(outcome.response_status),
        error: Set(outcome.error.clone()),
        duration_ms: Set(outcome.duration_ms),
        ..Default::default()
    }
    .insert(&tx)
    .await?;
    let delivered = outcome.delivered();
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Attempts,
            Expr::col("attempts").add(1),
        )
        .col_expr(webhook_delivery::Column::UpdatedAt, Expr::value(outcome.at))
        .filter(Expr::col("id").eq(delivery.id));
    if delivered {
        update = update
            .col_expr(webhook_delivery::Column::Status, Expr::value(DELIVERED))
            .col_expr(
                webhook_delivery::Column::DeliveredAt,
                Expr::value(outcome.at),
            );
    }
    update.exec(&tx).await?;
    let failures = if delivered { 0 } else { claimed.failures + 1 };
    let status = if gives_up(failures) {
        Status::Disabled
    } else {
        Status::Active
    };
    let mut subscription = webhook_subscription::Entity::update_many()
        .col_expr(
            webhook_subscription::Column::Failures,
            Expr::value(failures),
        )
        .filter(Expr::col("id").eq(claimed.id));
    if !keep {
        subscription = subscription.col_expr(
            webhook_subscription::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    }
    subscription = if delivered {
        subscription
            .col_expr(
                webhook_subscription::Column::Position,
                Expr::value(delivery.last_position),
            )
            .col_expr(
                webhook_subscription::Column::NextAttemptAt,
                Expr::value(outcome.at),
            )
    } else {
        subscription.col_expr(
            webhook_subscription::Column::NextAttemptAt,
            Expr::value(retry_at),
        )
    };
    if status == Status::Disabled {
        let reason = format!(
            "disabled after {failures} failed attempts in a row; the last: {}",
            outcome.error.as_deref().unwrap_or("no answer")
        );
        subscription = disabled(subscription, &reason);
    }
    subscription.exec(&tx).await?;
    db.announce(&tx).await?;
    tx.commit().await?;
    db.committed();
    Ok(status)
}

/// Moves a subscription past changes it may not see (nothing to deliver) and ends its lease.
pub async fn pass(db: &Db, subscription_id: Id, position: Option<Id>) -> Result<(), Error> {
    let mut update = webhook_subscription::Entity::update_many()
        .col_expr(
            webhook_subscription::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Expr::col("id").eq(subscription_id));
    if let Some(position) = position {
        update = update.col_expr(
            webhook_subscription::Column::Position,
            Expr::value(position),
        );
    }
    let _turn = db.write_turn().await;
    update.exec(db.conn()).await?;
    db.announce_committed().await?;
    Ok(())
}

/// Stops a subscription for `reason` (its token revoked or expired), ending its lease.
pub async fn disable(db: &Db, subscription_id: Id, reason: &str) -> Result<(), Error> {
    let _turn = db.write_turn().await;
    disabled(webhook_subscription::Entity::update_many(), reason)
        .col_expr(
            webhook_subscription::Column::LeasedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Expr::col("id").eq(subscription_id))
        .exec(db.conn())
        .await?;
    db.announce_committed().await?;
    Ok(())
}

/// The latest `limit` deliveries of each of these subscriptions, newest first: one statement
/// whatever the number of subscriptions, each cut in SQL however many deliveries it has had.
pub async fn latest_deliveries(
    db: &Db,
    subscription_ids: &[Id],
    limit: u64,
) -> Result<Vec<Delivery>, Error> {
    if subscription_ids.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let backend = db.conn().get_database_backend();
    let ids: Vec<String> = (0..subscription_ids.len())
        .map(|n| placeholder(backend, n + 2))
        .collect();
    let sql = format!(
        "SELECT * FROM (SELECT webhook_delivery.*, ROW_NUMBER() OVER \
           (PARTITION BY subscription_id ORDER BY id DESC) AS newest_first \
           FROM webhook_delivery WHERE subscription_id IN ({ids})) latest \
         WHERE newest_first <= {limit} ORDER BY subscription_id, id DESC",
        ids = ids.join(", "),
        limit = placeholder(backend, 1),
    );
    let mut values: Vec<sea_orm::Value> = vec![(limit as i64).into()];
    values.extend(subscription_ids.iter().map(|id| sea_orm::Value::from(*id)));
    Ok(webhook_delivery::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .all(db.conn())
        .await?
        .into_iter()
        .map(delivery)
        .collect())
}

/// The attempts at these deliveries, oldest first.
pub async fn attempts_of(db: &Db, delivery_ids: &[Id]) -> Result<Vec<Attempt>, Error> {
    Ok(webhook_attempt::Entity::find()
        .filter(Expr::col("delivery_id").is_in(delivery_ids.to_vec()))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(db.conn())
        .await?
        .into_iter()
        .map(|row| Attempt {
            delivery_id: row.delivery_id,
            at: row.at,
            response_status: row.response_status,
            error: row.error,
            duration_ms: row.duration_ms,
        })
        .collect())
}

const PENDING: &str = "pending";
const DELIVERED: &str = "delivered";

fn delivery(row: webhook_delivery::Model) -> Delivery {
    Delivery {
        delivered: row.status == DELIVERED,
        id: row.id,
        subscription_id: row.subscription_id,
        message_id: row.message_id,
        first_position: row.first_position,
        last_position: row.last_position,
        payload: row.payload,
        attempts: row.attempts,
        created_at: row.created_at,
        delivered_at: row.delivered_at,
    }
}

/// An update of subscriptions that disables them for `reason`.
fn disabled(
    update: sea_orm::UpdateMany<webhook_subscription::Entity>,
    reason: &str,
) -> sea_orm::UpdateMany<webhook_subscription::Entity> {
    update
        .col_expr(
            webhook_subscription::Column::Status,
            Expr::value(Status::Disabled.as_str()),
        )
        .col_expr(
            webhook_subscription::Column::DisabledReason,
            Expr::value(reason),
        )
}
