//! The audit trail: every write records who, what, when, before and after, in the write's own
//! transaction.

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::{Actor, AuditEvent};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter};

use crate::entity::audit_event;
use crate::page::{Direction, Page, PageRequest, SortKey, SortValue, fetch};
use crate::{Db, Error};

/// Who writes when no token does: the command line, run by the operator.
pub const COMMAND_LINE: &str = "command line";

/// Records one write. `before` and `after` are JSON snapshots of the record.
pub async fn record(
    tx: &impl ConnectionTrait,
    actor: Option<&Actor>,
    action: &str,
    entity_type: &str,
    entity_id: Id,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<(), Error> {
    audit_event::ActiveModel {
        token_id: Set(actor.map(|a| a.token_id)),
        actor_name: Set(actor
            .map(|a| a.name.clone())
            .unwrap_or_else(|| COMMAND_LINE.to_owned())),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id),
        at: Set(Utc::now()),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
        ..Default::default()
    }
    .insert(tx)
    .await?;
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
