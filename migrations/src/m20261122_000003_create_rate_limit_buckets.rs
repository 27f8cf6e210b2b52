//! The rate limiter's buckets, kept in the shared database so that every server process
//! behind a load balancer charges the same budget.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000003_create_rate_limit_buckets"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("rate_limit_bucket")
                // `token:<id>` or `ip:<address>`.
                .col(string("bucket").primary_key())
                // Points in the bucket at `updated_at_ms`.
                .col(double("level"))
                // Milliseconds since the Unix epoch, as the charging server's clock read them.
                .col(big_integer("updated_at_ms"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_rate_limit_bucket_updated_at_ms")
                .table("rate_limit_bucket")
                .col("updated_at_ms")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rate_limit_bucket").to_owned())
            .await
    }
}
