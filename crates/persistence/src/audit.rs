//! The audit trail: every write records who, what, when, before and after, in the write's own
//! transaction.

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::{Actor, AuditEvent};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter};

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

/// Records one write by `actor` at `at` (`Unit::audit`).
pub(crate) async fn record(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    change: Change<'_>,
) -> Result<(), Error> {
    record_many(tx, actor, at, vec![change]).await
}

/// Records many writes by `actor` at `at`, a few hundred rows per statement: an import
/// batch's one event per record (`Unit::audit_many`).
pub(crate) async fn record_many(
    tx: &impl ConnectionTrait,
    actor: &Actor,
    at: DateTime<Utc>,
    changes: Vec<Change<'_>>,
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
                    action: Set(change.action.to_owned()),
                    entity_type: Set(change.entity_type.to_owned()),
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
