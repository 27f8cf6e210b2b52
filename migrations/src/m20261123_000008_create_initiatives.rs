//! Initiatives — what a city or organisations did or test — with their outcomes as evidence
//! (indicator, baseline, target, actual value, evidence level, source), their lessons
//! (successes and pitfalls tagged with topics) and the initiative each one was adapted
//! from. Recognitions may name the initiative they reward.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::search_index;
use crate::table::{foreign_key, index, link, optional_key, record, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000008_create_initiatives"
    }
}

/// Tables in creation order (dropped in reverse).
const TABLES: &[&str] = &[
    "initiative",
    "initiative_theme",
    "initiative_organisation",
    "outcome",
    "lesson",
];

const SEARCHABLE: &[&str] = &["initiative", "lesson"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = record("initiative")
            .col(string("slug"))
            .col(text("title"))
            .col(text("search_name"))
            .col(string("kind"))
            .col(text_null("summary"))
            .col(string("status"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .col(integer_null("city_id"))
            .col(integer_null("programme_id"))
            .col(integer_null("edition_id"))
            .col(integer_null("partnership_id"))
            .col(integer_null("provider_id"))
            .col(integer_null("adapted_from_id"))
            .col(text_null("adaptation"))
            .to_owned();
        optional_key(&mut t, "initiative", "city_id", "city");
        optional_key(&mut t, "initiative", "programme_id", "programme");
        optional_key(&mut t, "initiative", "edition_id", "programme_edition");
        optional_key(&mut t, "initiative", "partnership_id", "partnership");
        optional_key(&mut t, "initiative", "provider_id", "organisation");
        optional_key(&mut t, "initiative", "adapted_from_id", "initiative");
        m.create_table(t).await?;
        unique(m, "ux_initiative_slug", "initiative", &["slug"]).await?;
        index(m, "initiative", &["search_name", "id"]).await?;
        index(m, "initiative", &["status"]).await?;
        index(m, "initiative", &["city_id"]).await?;
        index(m, "initiative", &["programme_id"]).await?;
        index(m, "initiative", &["edition_id"]).await?;
        index(m, "initiative", &["partnership_id"]).await?;
        index(m, "initiative", &["provider_id"]).await?;
        index(m, "initiative", &["adapted_from_id"]).await?;
        index(m, "initiative", &["updated_at", "id"]).await?;

        m.create_table(link(
            "initiative_theme",
            ("initiative_id", "initiative"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "initiative_theme", &["theme_id"]).await?;

        let mut t = record("initiative_organisation")
            .col(integer("initiative_id"))
            .col(integer("organisation_id"))
            .col(string("role"))
            .to_owned();
        foreign_key(
            &mut t,
            "initiative_organisation",
            "initiative_id",
            "initiative",
        );
        foreign_key(
            &mut t,
            "initiative_organisation",
            "organisation_id",
            "organisation",
        );
        m.create_table(t).await?;
        unique(
            m,
            "ux_initiative_organisation_role",
            "initiative_organisation",
            &["initiative_id", "organisation_id", "role"],
        )
        .await?;
        index(m, "initiative_organisation", &["organisation_id"]).await?;

        let mut t = record("outcome")
            .col(integer("initiative_id"))
            .col(integer("position"))
            .col(text("indicator"))
            .col(string_null("unit"))
            .col(double_null("baseline"))
            .col(double_null("target"))
            .col(double_null("actual"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .col(string("evidence_level"))
            .col(integer_null("source_id"))
            .col(text_null("note"))
            .to_owned();
        foreign_key(&mut t, "outcome", "initiative_id", "initiative");
        optional_key(&mut t, "outcome", "source_id", "source");
        m.create_table(t).await?;
        index(m, "outcome", &["initiative_id", "position"]).await?;
        index(m, "outcome", &["evidence_level"]).await?;
        index(m, "outcome", &["source_id"]).await?;

        let mut t = record("lesson")
            .col(integer("initiative_id"))
            .col(integer("position"))
            .col(string("kind"))
            .col(text("text"))
            .col(text("search_name"))
            .col(text("topics").default("[]"))
            .to_owned();
        foreign_key(&mut t, "lesson", "initiative_id", "initiative");
        m.create_table(t).await?;
        index(m, "lesson", &["initiative_id", "position"]).await?;
        index(m, "lesson", &["search_name", "id"]).await?;
        index(m, "lesson", &["kind"]).await?;
        index(m, "lesson", &["updated_at", "id"]).await?;

        search_index::create(m, SEARCHABLE).await?;

        m.alter_table(
            Table::alter()
                .table("recognition")
                .add_column(
                    ColumnDef::new("initiative_id")
                        .integer()
                        .null()
                        .extra("REFERENCES initiative(id) ON DELETE SET NULL")
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;
        index(m, "recognition", &["initiative_id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_recognition_initiative_id")
                .table("recognition")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("recognition")
                .drop_column("initiative_id")
                .to_owned(),
        )
        .await?;
        search_index::drop(m, SEARCHABLE).await?;
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
