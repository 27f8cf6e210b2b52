//! The links from themes to records are indexed by theme, then record: a theme filter reads
//! a theme's records from the index alone. On PostgreSQL it builds a set of them once per
//! statement (`persistence::list::linked_to_themes`); with `theme_id` alone in the index,
//! that read fetched each link row from the table too.

use sea_orm_migration::prelude::*;

use crate::table::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000012_index_theme_links_by_theme"
    }
}

/// Each link table with the column that points at its record.
const LINKS: [(&str, &str); 6] = [
    ("organisation_theme", "organisation_id"),
    ("partnership_theme", "partnership_id"),
    ("group_purchase_theme", "group_purchase_id"),
    ("programme_theme", "programme_id"),
    ("award_theme", "award_id"),
    ("initiative_theme", "initiative_id"),
];

async fn drop_index(m: &SchemaManager<'_>, table: &'static str, name: String) -> Result<(), DbErr> {
    m.drop_index(Index::drop().name(name).table(table).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, record) in LINKS {
            drop_index(m, table, format!("ix_{table}_theme_id")).await?;
            index(m, table, &["theme_id", record]).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, record) in LINKS {
            drop_index(m, table, format!("ix_{table}_theme_id_{record}")).await?;
            index(m, table, &["theme_id"]).await?;
        }
        Ok(())
    }
}
