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
    /// The pool the unit writes through, told when the unit commits (`Db::committed`).
    db: Db,
    /// This process's turn to write, on SQLite (`Db::write_turn`): held until the unit ends.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
    actor: Actor,
    now: DateTime<Utc>,
    /// The unit's audit events, recorded at its commit (`audit::record_at_commit`).
    pending: std::sync::Mutex<Vec<audit::Pending>>,
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
            db: db.clone(),
            _turn: turn,
            actor,
            now: Utc::now(),
            pending: std::sync::Mutex::default(),
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
    /// snapshots of the record; none before a creation, none after a deletion. The event is
    /// written at the unit's commit, so that audit events are numbered in commit order.
    pub async fn audit(
        &self,
        action: &str,
        entity_type: &str,
        entity_id: Id,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), Error> {
        self.audit_many(vec![audit::Change {
            action,
            entity_type,
            entity_id,
            before,
            after,
        }])
        .await
    }

    /// Records many writes of this unit in the audit trail at once: an import batch's.
    pub async fn audit_many(&self, changes: Vec<audit::Change<'_>>) -> Result<(), Error> {
        self.pending()
            .extend(changes.into_iter().map(audit::Pending::from));
        Ok(())
    }

    /// The record `entity_id` of `entity_type` as the audit trail last recorded it, this unit's
    /// own events included: what a deletion removes.
    pub(crate) async fn last_recorded(
        &self,
        entity_type: &str,
        entity_id: Id,
    ) -> Result<Option<serde_json::Value>, Error> {
        let own = self
            .pending()
            .iter()
            .rev()
            .find(|event| {
                event.entity_type == entity_type
                    && event.entity_id == entity_id
                    && event.after.is_some()
            })
            .and_then(|event| event.after.clone());
        match own {
            Some(after) => Ok(Some(after)),
            None => audit::last_recorded(&self.tx, entity_type, entity_id).await,
        }
    }

    /// The records this unit created so far, by table and id, in the order it created them.
    pub(crate) fn created(&self) -> Vec<(String, Id)> {
        self.pending()
            .iter()
            .filter(|event| event.before.is_none() && event.after.is_some())
            .map(|event| (event.entity_type.clone(), event.entity_id))
            .collect()
    }

    /// Makes every write of the unit durable at once, its audit events last
    /// (`audit::record_at_commit`). Dropping a unit instead rolls it back. Once committed,
    /// live readers of the change feed in this process are woken (`Db::commits`), and other
    /// processes told (`Db::announce`): caches of answers must not outlive the write.
    pub async fn commit(self) -> Result<(), Error> {
        let pending = std::mem::take(&mut *self.pending());
        audit::record_at_commit(&self.tx, &self.actor, self.now, pending).await?;
        self.db.announce(&self.tx).await?;
        self.tx.commit().await?;
        self.db.committed();
        Ok(())
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Vec<audit::Pending>> {
        // A panic while the list was held left it whole: every push is one call.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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
