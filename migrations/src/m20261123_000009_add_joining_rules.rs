//! What a city needs to know to join: who may accede to a partnership (`accession`), who may
//! apply to a programme (`eligibility`), and when an edition's call for applications is open.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000009_add_joining_rules"
    }
}

/// (table, column, type) of each new column; all nullable.
const COLUMNS: &[(&str, &str, &str)] = &[
    ("partnership", "accession", "string"),
    ("programme", "eligibility", "string"),
    ("programme_edition", "call_opens", "date"),
    ("programme_edition", "call_deadline", "date"),
];

fn column(name: &'static str, kind: &str) -> ColumnDef {
    let mut column = ColumnDef::new(name);
    match kind {
        "date" => column.date(),
        _ => column.string(),
    };
    column.null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, kind) in COLUMNS {
            m.alter_table(
                Table::alter()
                    .table(*table)
                    .add_column(column(name, kind))
                    .to_owned(),
            )
            .await?;
        }
        m.create_index(
            Index::create()
                .name("ix_programme_edition_call_deadline")
                .table("programme_edition")
                .col("call_deadline")
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_partnership_accession")
                .table("partnership")
                .col("accession")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_partnership_accession", "partnership"),
            ("ix_programme_edition_call_deadline", "programme_edition"),
        ] {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for (table, name, _) in COLUMNS.iter().rev() {
            m.alter_table(Table::alter().table(*table).drop_column(*name).to_owned())
                .await?;
        }
        Ok(())
    }
}
