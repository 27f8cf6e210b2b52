//! The write unit: one transaction, who writes and when. Every write function takes one, so a
//! caller that holds a unit composes several writes into one transaction — a mutation and its
//! parts, a seed file, an import batch — and each write still runs its rules, bumps its
//! version and records its audit event the one way.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, NaiveDate, Utc};
use domain::Id;
use domain::access::Actor;
use sea_orm::DatabaseTransaction;

use crate::{Db, Error, audit};

/// A write in progress: its transaction, its actor and its clock, read once so every row it
/// stamps and every audit event it records carries the same time.
pub struct Unit {
    tx: DatabaseTransaction,
    /// This process's turn to write, on SQLite (`Db::write_turn`): held until the unit ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    actor: Actor,
    now: DateTime<Utc>,
}

/// What `Db::write` runs in a unit: a write function applied to its arguments.
pub type Steps<'u, T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'u>>;

impl Unit {
    /// Takes this process's turn to write and opens the transaction (`Db::begin_write`).
    pub async fn begin(db: &Db, actor: Actor) -> Result<Unit, Error> {
        let turn = db.write_turn().await;
        let tx = db.begin_write().await?;
        Ok(Unit {
            tx,
            _turn: turn,
            actor,
            now: Utc::now(),
        })
    }

    /// The unit's transaction.
    pub fn tx(&self) -> &DatabaseTransaction {
        &self.tx
    }

    /// Who writes.
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// When: the time every row this unit stamps carries.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today, in UTC: the day rules that depend on the date are asked about.
    pub fn today(&self) -> NaiveDate {
        self.now.date_naive()
    }

    /// Records one write of this unit in the audit trail. `before` and `after` are JSON
    /// snapshots of the record; none before a creation, none after a deletion.
    pub async fn audit(
        &self,
        action: &str,
        entity_type: &str,
        entity_id: Id,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), Error> {
        audit::record(
            &self.tx,
            &self.actor,
            self.now,
            audit::Change {
                action,
                entity_type,
                entity_id,
                before,
                after,
            },
        )
        .await
    }

    /// Records many writes of this unit in the audit trail at once: an import batch's.
    pub async fn audit_many(&self, changes: Vec<audit::Change<'_>>) -> Result<(), Error> {
        audit::record_many(&self.tx, &self.actor, self.now, changes).await
    }

    /// Makes every write of the unit durable at once. Dropping a unit instead rolls it back.
    pub async fn commit(self) -> Result<(), Error> {
        Ok(self.tx.commit().await?)
    }
}

impl Db {
    /// Runs `steps` in a unit of its own, by `actor`: committed if they succeed, rolled back
    /// if they fail. `db.write(actor, |unit| Box::pin(membership::add(unit, new)))`.
    pub async fn write<T, E>(
        &self,
        actor: Actor,
        steps: impl for<'u> FnOnce(&'u Unit) -> Steps<'u, T, E>,
    ) -> Result<T, E>
    where
        E: From<Error>,
    {
        let unit = Unit::begin(self, actor).await?;
        let done = steps(&unit).await?;
        unit.commit().await?;
        Ok(done)
    }
}
