//! On PostgreSQL, the rate limiter's buckets need no write-ahead log: they are charged at
//! every request, and after a crash an empty bucket is the right state. An UNLOGGED table
//! skips the WAL (and its flush at each commit). SQLite has no such notion.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000004_unlog_rate_limit_buckets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE rate_limit_bucket SET UNLOGGED")
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared("ALTER TABLE rate_limit_bucket SET LOGGED")
                .await?;
        }
        Ok(())
    }
}
