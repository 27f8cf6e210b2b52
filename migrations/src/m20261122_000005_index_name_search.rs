//! Accent-insensitive search through an index instead of a scan of `search_name` (the folded
//! name): on SQLite an FTS5 table with the trigram tokenizer per searchable table, kept in
//! step by triggers; on PostgreSQL a pg_trgm GIN index. Terms under three characters use a
//! prefix match: on SQLite the B-tree on (search_name, id), on PostgreSQL a
//! `text_pattern_ops` index.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

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

fn sqlite_up(table: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE VIRTUAL TABLE {table}_search USING fts5(search_name, content='{table}', content_rowid='id', tokenize='trigram')"
        ),
        format!("INSERT INTO {table}_search({table}_search) VALUES ('rebuild')"),
        format!(
            "CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} BEGIN \
             INSERT INTO {table}_search(rowid, search_name) VALUES (new.id, new.search_name); END"
        ),
        format!(
            "CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN \
             INSERT INTO {table}_search({table}_search, rowid, search_name) VALUES ('delete', old.id, old.search_name); END"
        ),
        format!(
            "CREATE TRIGGER {table}_search_update AFTER UPDATE OF search_name ON {table} BEGIN \
             INSERT INTO {table}_search({table}_search, rowid, search_name) VALUES ('delete', old.id, old.search_name); \
             INSERT INTO {table}_search(rowid, search_name) VALUES (new.id, new.search_name); END"
        ),
    ]
}

fn sqlite_down(table: &str) -> Vec<String> {
    vec![
        format!("DROP TRIGGER IF EXISTS {table}_search_insert"),
        format!("DROP TRIGGER IF EXISTS {table}_search_delete"),
        format!("DROP TRIGGER IF EXISTS {table}_search_update"),
        format!("DROP TABLE IF EXISTS {table}_search"),
    ]
}

fn postgres_up(table: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE INDEX ix_{table}_search_name_trigram ON {table} USING gin (search_name gin_trgm_ops)"
        ),
        format!(
            "CREATE INDEX ix_{table}_search_name_prefix ON {table} (search_name text_pattern_ops)"
        ),
    ]
}

fn postgres_down(table: &str) -> Vec<String> {
    vec![
        format!("DROP INDEX IF EXISTS ix_{table}_search_name_trigram"),
        format!("DROP INDEX IF EXISTS ix_{table}_search_name_prefix"),
    ]
}

async fn run(m: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    for statement in statements {
        m.get_connection().execute_unprepared(&statement).await?;
    }
    Ok(())
}

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
