//! Audit events are indexed by the kind of record written, then id: the change feed filtered
//! by kind (`persistence::changes`) reads a kind's events in feed order from the index, and
//! stops at the page's end, however rare the kind among the others.

use sea_orm_migration::prelude::*;

use crate::table::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000013_index_audit_events_by_kind"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        index(m, "audit_event", &["entity_type", "id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_audit_event_entity_type_id")
                .table("audit_event")
                .to_owned(),
        )
        .await
    }
}
