//! Webhooks: subscriptions of a URL to a filter of the change feed, the deliveries made to
//! them and each attempt at a delivery.
//!
//! The audit trail is the outbox: it is written in the transaction of every change, in commit
//! order, so a subscription only keeps its place in it (`position`, the last change delivered)
//! and nothing committed can be missed. A subscription is leased by one server process at a
//! time (`leased_until`), claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::table::{foreign_key, index, record};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000015_create_webhooks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = record("webhook_subscription")
            .col(integer("token_id"))
            .col(text("url"))
            .col(text("filter"))
            .col(text("secret"))
            .col(text_null("previous_secret"))
            .col(timestamp_with_time_zone_null("previous_secret_until"))
            .col(string("status"))
            .col(text_null("disabled_reason"))
            .col(integer("failures").default(0))
            .col(integer("position").default(0))
            .col(timestamp_with_time_zone("next_attempt_at"))
            .col(timestamp_with_time_zone_null("leased_until"))
            .to_owned();
        foreign_key(&mut t, "webhook_subscription", "token_id", "api_token");
        m.create_table(t).await?;
        index(m, "webhook_subscription", &["status", "next_attempt_at"]).await?;
        index(m, "webhook_subscription", &["token_id"]).await?;

        let mut t = record("webhook_delivery")
            .col(integer("subscription_id"))
            .col(string("message_id"))
            .col(integer("first_position"))
            .col(integer("last_position"))
            .col(text("payload"))
            .col(string("status"))
            .col(integer("attempts").default(0))
            .col(timestamp_with_time_zone_null("delivered_at"))
            .to_owned();
        foreign_key(
            &mut t,
            "webhook_delivery",
            "subscription_id",
            "webhook_subscription",
        );
        m.create_table(t).await?;
        index(m, "webhook_delivery", &["subscription_id", "status"]).await?;

        let mut t = record("webhook_attempt")
            .col(integer("delivery_id"))
            .col(timestamp_with_time_zone("at"))
            .col(integer_null("response_status"))
            .col(text_null("error"))
            .col(integer("duration_ms"))
            .to_owned();
        foreign_key(&mut t, "webhook_attempt", "delivery_id", "webhook_delivery");
        m.create_table(t).await?;
        index(m, "webhook_attempt", &["delivery_id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "webhook_attempt",
            "webhook_delivery",
            "webhook_subscription",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
