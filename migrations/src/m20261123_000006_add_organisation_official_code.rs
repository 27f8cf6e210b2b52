//! Organisations get an official code, as cities have: the identifier a national register
//! gives them (the SIREN of a French intercommunal body, `200054781` for the Métropole du
//! Grand Paris). Imports match organisations on it, so it is unique per country.

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_add_organisation_official_code"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("organisation")
                .add_column(ColumnDef::new("official_code").string().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_organisation_country_official_code")
                .table("organisation")
                .col("country")
                .col("official_code")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ux_organisation_country_official_code")
                .table("organisation")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("organisation")
                .drop_column("official_code")
                .to_owned(),
        )
        .await
    }
}
