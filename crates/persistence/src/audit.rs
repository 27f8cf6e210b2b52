//! The audit trail: every write records who, what, when, before and after, in the write's own
//! transaction.

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::{Actor, AuditEvent};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, Statement,
};

use crate::entity::audit_event;
use crate::page::{Direction, Page, PageRequest, SortKey, SortValue, fetch};
use crate::{Db, Error};

/// The name under which the audit trail records what the operator does at the command line
/// (`Actor::operator`).
pub const COMMAND_LINE: &str = "command line";

/// One write, as the audit trail records it: what was done to which record, and the record
/// before and after (JSON snapshots; none before a creation, none after a deletion).
pub struct Change<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Id,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A write waiting for its unit's commit to be recorded (`Unit::audit`).
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub action: String,
    pub entity_type: String,
    pub entity_id: Id,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl From<Change<'_>> for Pending {
    fn from(change: Change<'_>) -> Self {
        Pending {
            action: change.action.to_owned(),
            entity_type: change.entity_type.to_owned(),
            entity_id: change.entity_id,
            before: change.before,
            after: change.after,
        }
    }
}

/// The key of the PostgreSQL advisory lock a unit holds from recording its events to its
/// commit ("audit" in ASCII): one unit at a time, so event ids follow commit order.
const COMMIT_ORDER_LOCK: i64 = 0x61_75_64_69_74;

/// Records a unit's writes by `actor` at `at`, as the last statements before its commit, so
/// that the ids of audit events follow the order in which their units commit — the change
/// feed's order (`changes`), which a reader resumes from an id and must never see filled in
/// behind it.
///
/// On SQLite a unit holds the file's only writer from `BEGIN IMMEDIATE` to its commit, so
/// ids are in commit order across processes already. On PostgreSQL ids come from a sequence
/// when the row is inserted, and concurrent transactions commit in any order: a transaction
/// that took id 10 could commit after one that took id 11, after a reader had moved past 11.
/// So each unit first takes a transaction-level advisory lock, which its commit releases —
/// after the commit is visible to other sessions, since PostgreSQL marks a transaction
/// committed before it releases its locks. Units thus take their ids one after another, and
/// those of a unit that committed are visible before any later id is taken. Only this tail of
/// a write is serialised (its own inserts and the commit); everything before runs side by
/// side. The lock is taken last, after every row lock of the write, so it closes no cycle.
pub(crate) async fn record_at_commit(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    pending: Vec<Pending>,
) -> Result<(), Error> {
    if pending.is_empty() {
        return Ok(());
    }
    if tx.get_database_backend() == DbBackend::Postgres {
        tx.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [COMMIT_ORDER_LOCK.into()],
        ))
        .await?;
    }
    record_many(tx, actor, at, pending).await
}

/// Records many writes by `actor` at `at`, a few hundred rows per statement, in their order.
async fn record_many(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    changes: Vec<Pending>,
) -> Result<(), Error> {
    const ROWS_PER_STATEMENT: usize = 500;
    let mut changes = changes.into_iter().peekable();
    while changes.peek().is_some() {
        let rows =
            changes
                .by_ref()
                .take(ROWS_PER_STATEMENT)
                .map(|change| audit_event::ActiveModel {
                    token_id: Set(actor.token_id),
                    actor_name: Set(actor.name.clone()),
                    action: Set(change.action),
                    entity_type: Set(change.entity_type),
                    entity_id: Set(change.entity_id),
                    at: Set(at),
                    before: Set(change.before.map(|v| v.to_string())),
                    after: Set(change.after.map(|v| v.to_string())),
                    ..Default::default()
                });
        audit_event::Entity::insert_many(rows.collect::<Vec<_>>())
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
}

/// The record `entity_id` of `entity_type` as the audit trail last recorded it (the `after` of
/// its latest event that has one), for a deletion to record what it removed.
pub(crate) async fn last_recorded(
    tx: &impl ConnectionTrait,
    entity_type: &str,
    entity_id: Id,
) -> Result<Option<serde_json::Value>, Error> {
    let row = audit_event::Entity::find()
        .filter(Expr::col("entity_type").eq(entity_type))
        .filter(Expr::col("entity_id").eq(entity_id))
        .filter(Expr::col("after").is_not_null())
        .order_by_desc(audit_event::Column::Id)
        .one(tx)
        .await?;
    Ok(row
        .and_then(|row| row.after)
        .and_then(|text| serde_json::from_str(&text).ok()))
}

/// Which audit events to list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<Id>,
    pub token_id: Option<Id>,
    pub action: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// Audit events, newest first by default.
pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<AuditEvent>, Error> {
    let mut select = audit_event::Entity::find();
    if let Some(entity_type) = &filter.entity_type {
        select = select.filter(Expr::col("entity_type").eq(entity_type.as_str()));
    }
    if let Some(entity_id) = filter.entity_id {
        select = select.filter(Expr::col("entity_id").eq(entity_id));
    }
    if let Some(token_id) = filter.token_id {
        select = select.filter(Expr::col("token_id").eq(token_id));
    }
    if let Some(action) = &filter.action {
        select = select.filter(Expr::col("action").eq(action.as_str()));
    }
    if let Some(since) = filter.since {
        select = select.filter(Expr::col("at").gte(since));
    }
    let key = SortKey {
        expression: Expr::col("at"),
        value: |event: &AuditEvent| SortValue::Time(event.at),
    };
    fetch(db, select, key, direction, request).await
}
