//! Accent-insensitive search through an index instead of a scan of `search_name` (the folded
//! name): on SQLite an FTS5 table with the trigram tokenizer per searchable table, kept in
//! step by triggers; on PostgreSQL a pg_trgm GIN index. Terms under three characters use a
//! prefix match: on SQLite the B-tree on (search_name, id), on PostgreSQL a
//! `text_pattern_ops` index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::search_index::{postgres_down, postgres_up, run, sqlite_down, sqlite_up};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000005_index_name_search"
    }
}

/// The tables whose lists take `search`.
const SEARCHABLE: [&str; 6] = [
    "city",
    "person",
    "organisation",
    "partnership",
    "group_purchase",
    "theme",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                run(m, vec!["CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned()]).await?;
                run(m, SEARCHABLE.iter().flat_map(|t| postgres_up(t)).collect()).await
            }
            _ => run(m, SEARCHABLE.iter().flat_map(|t| sqlite_up(t)).collect()).await,
        }
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                run(
                    m,
                    SEARCHABLE.iter().flat_map(|t| postgres_down(t)).collect(),
                )
                .await
            }
            _ => run(m, SEARCHABLE.iter().flat_map(|t| sqlite_down(t)).collect()).await,
        }
    }
}
