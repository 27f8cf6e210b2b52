//! Freshness: elections as data (where, what kind, on which days), and the verification of
//! any record (which record, when and by whom it was last checked, against which source).
//!
//! A verification names its record by type and id, as a citation does, so every kind of record
//! can be verified through one table; one row per record, changed in place (the audit trail
//! keeps the earlier ones). The audit trail is also indexed by record, to say who created a
//! record nobody has verified since.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::table::{index, optional_key, record, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000014_create_elections_and_verifications"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let t = record("election")
            .col(string("country"))
            .col(string_null("subdivision"))
            // The subdivision's code, or the country's: never null, so that the unique index
            // below also holds for elections of a whole country.
            .col(string("jurisdiction"))
            .col(string("kind"))
            .col(date("first_round"))
            .col(date_null("second_round"))
            .to_owned();
        m.create_table(t).await?;
        // One election of a kind per jurisdiction and day.
        unique(
            m,
            "ux_election_jurisdiction_kind_round",
            "election",
            &["jurisdiction", "kind", "first_round"],
        )
        .await?;
        index(m, "election", &["first_round"]).await?;

        let mut t = record("verification")
            .col(string("record_type"))
            .col(integer("record_id"))
            .col(timestamp_with_time_zone("verified_at"))
            .col(date("verified_on"))
            .col(text("verified_by"))
            .col(integer_null("source_id"))
            .to_owned();
        optional_key(&mut t, "verification", "source_id", "source");
        m.create_table(t).await?;
        // One verification per record: the last one.
        unique(
            m,
            "ux_verification_record",
            "verification",
            &["record_type", "record_id"],
        )
        .await?;
        index(m, "verification", &["source_id"]).await?;

        index(m, "audit_event", &["entity_type", "entity_id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_audit_event_entity_type_entity_id")
                .table("audit_event")
                .to_owned(),
        )
        .await?;
        for table in ["verification", "election"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
