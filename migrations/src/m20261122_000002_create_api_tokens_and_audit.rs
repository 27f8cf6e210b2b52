//! API tokens (their ids, names, roles and revocation — never the tokens themselves) and the
//! audit trail of writes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261122_000002_create_api_tokens_and_audit"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("api_token")
                .col(pk_auto("id"))
                .col(timestamp_with_time_zone("created_at").default(Expr::current_timestamp()))
                .col(timestamp_with_time_zone("updated_at").default(Expr::current_timestamp()))
                .col(integer("version").default(1))
                .col(string("jti"))
                .col(text("name"))
                .col(string("role"))
                .col(integer_null("organisation_id"))
                .col(string("key_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_token_organisation_id")
                        .from("api_token", "organisation_id")
                        .to("organisation", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_api_token_jti")
                .table("api_token")
                .col("jti")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_api_token_organisation_id")
                .table("api_token")
                .col("organisation_id")
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("audit_event")
                .col(pk_auto("id"))
                .col(integer_null("token_id"))
                .col(text("actor_name"))
                .col(string("action"))
                .col(string("entity_type"))
                .col(integer("entity_id"))
                .col(timestamp_with_time_zone("at"))
                .col(text_null("before"))
                .col(text_null("after"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_audit_event_token_id")
                        .from("audit_event", "token_id")
                        .to("api_token", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        for (name, columns) in [
            ("ix_audit_event_entity", &["entity_type", "entity_id"][..]),
            ("ix_audit_event_at", &["at", "id"][..]),
            ("ix_audit_event_token_id", &["token_id"][..]),
        ] {
            let mut index = Index::create().name(name).table("audit_event").to_owned();
            for column in columns {
                index.col(*column);
            }
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("audit_event").if_exists().to_owned())
            .await?;
        m.drop_table(Table::drop().table("api_token").if_exists().to_owned())
            .await
    }
}
