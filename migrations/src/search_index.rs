//! The index behind a table's accent-insensitive `search`: on SQLite an FTS5 trigram table
//! over `search_name` kept in step by triggers, on PostgreSQL a pg_trgm GIN index and a
//! prefix index. Migration 5 made them for the first searchable tables; later tables call
//! the same functions.

use sea_orm_migration::prelude::*;

pub(crate) fn sqlite_up(table: &str) -> Vec<String> {
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

pub(crate) fn sqlite_down(table: &str) -> Vec<String> {
    vec![
        format!("DROP TRIGGER IF EXISTS {table}_search_insert"),
        format!("DROP TRIGGER IF EXISTS {table}_search_delete"),
        format!("DROP TRIGGER IF EXISTS {table}_search_update"),
        format!("DROP TABLE IF EXISTS {table}_search"),
    ]
}

pub(crate) fn postgres_up(table: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE INDEX ix_{table}_search_name_trigram ON {table} USING gin (search_name gin_trgm_ops)"
        ),
        format!(
            "CREATE INDEX ix_{table}_search_name_prefix ON {table} (search_name text_pattern_ops)"
        ),
    ]
}

pub(crate) fn postgres_down(table: &str) -> Vec<String> {
    vec![
        format!("DROP INDEX IF EXISTS ix_{table}_search_name_trigram"),
        format!("DROP INDEX IF EXISTS ix_{table}_search_name_prefix"),
    ]
}

pub(crate) async fn run(m: &SchemaManager<'_>, statements: Vec<String>) -> Result<(), DbErr> {
    for statement in statements {
        m.get_connection().execute_unprepared(&statement).await?;
    }
    Ok(())
}

/// Makes the search index of each of `tables` (pg_trgm is already installed by migration 5).
pub(crate) async fn create(m: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    match m.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
            run(m, tables.iter().flat_map(|t| postgres_up(t)).collect()).await
        }
        _ => run(m, tables.iter().flat_map(|t| sqlite_up(t)).collect()).await,
    }
}

/// Drops what `create` made.
pub(crate) async fn drop(m: &SchemaManager<'_>, tables: &[&str]) -> Result<(), DbErr> {
    match m.get_database_backend() {
        sea_orm_migration::sea_orm::DatabaseBackend::Postgres => {
            run(m, tables.iter().flat_map(|t| postgres_down(t)).collect()).await
        }
        _ => run(m, tables.iter().flat_map(|t| sqlite_down(t)).collect()).await,
    }
}
