//! Collective action beyond agreements: programmes (organisers, support, editions and their
//! participants), awards and challenges with their recognitions, self-diagnostic tools, and
//! events. Stated figures can now be about an edition or an award, and themes get a
//! definition.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::search_index;
use crate::table::{foreign_key, index, link, optional_key, record, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000007_create_programmes_awards_events"
    }
}

/// Tables in creation order (dropped in reverse).
const TABLES: &[&str] = &[
    "programme",
    "programme_theme",
    "programme_organiser",
    "programme_support",
    "programme_edition",
    "programme_participant",
    "award",
    "award_theme",
    "recognition",
    "diagnostic_tool",
    "event",
];

/// The new tables whose lists take `search`.
const SEARCHABLE: &[&str] = &["programme", "award", "diagnostic_tool", "event"];

/// A nullable column pointing at `to`, added to an existing table (SQLite cannot add a
/// foreign key constraint to a table, but accepts a column with its REFERENCES clause).
fn reference_column(name: &'static str, to: &str) -> ColumnDef {
    ColumnDef::new(name)
        .integer()
        .null()
        .extra(format!("REFERENCES {to}(id) ON DELETE CASCADE"))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Programmes.
        let mut t = record("programme")
            .col(string("slug"))
            .col(text("name"))
            .col(text("search_name"))
            .col(string_null("acronym"))
            .col(text_null("aim"))
            .col(text_null("description"))
            .col(text_null("intended_participants"))
            .col(text("stakeholders").default("[]"))
            .col(text_null("support_scope"))
            .col(text("rules").default("[]"))
            .col(text_null("solution_providers"))
            .col(string("participation_mode"))
            .col(text_null("territory"))
            .col(integer_null("territory_city_id"))
            .col(string_null("started_on"))
            .col(date_null("start_earliest"))
            .col(integer_null("duration_months"))
            .to_owned();
        optional_key(&mut t, "programme", "territory_city_id", "city");
        m.create_table(t).await?;
        unique(m, "ux_programme_slug", "programme", &["slug"]).await?;
        index(m, "programme", &["search_name", "id"]).await?;
        index(m, "programme", &["territory_city_id"]).await?;
        index(m, "programme", &["updated_at", "id"]).await?;

        m.create_table(link(
            "programme_theme",
            ("programme_id", "programme"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "programme_theme", &["theme_id"]).await?;

        let mut t = record("programme_organiser")
            .col(integer("programme_id"))
            .col(integer("organisation_id"))
            .col(string("role"))
            .col(text_null("note"))
            .to_owned();
        foreign_key(&mut t, "programme_organiser", "programme_id", "programme");
        foreign_key(
            &mut t,
            "programme_organiser",
            "organisation_id",
            "organisation",
        );
        m.create_table(t).await?;
        unique(
            m,
            "ux_programme_organiser_role",
            "programme_organiser",
            &["programme_id", "organisation_id", "role"],
        )
        .await?;
        index(m, "programme_organiser", &["organisation_id"]).await?;

        let mut t = record("programme_support")
            .col(integer("programme_id"))
            .col(integer("position"))
            .col(string("kind"))
            .col(text("description"))
            .col(integer_null("provider_id"))
            .to_owned();
        foreign_key(&mut t, "programme_support", "programme_id", "programme");
        optional_key(&mut t, "programme_support", "provider_id", "organisation");
        m.create_table(t).await?;
        index(m, "programme_support", &["programme_id", "position"]).await?;
        index(m, "programme_support", &["provider_id"]).await?;

        let mut t = record("programme_edition")
            .col(integer("programme_id"))
            .col(integer("number"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .col(integer_null("duration_months"))
            .col(string("status"))
            .col(text_null("note"))
            .to_owned();
        foreign_key(&mut t, "programme_edition", "programme_id", "programme");
        m.create_table(t).await?;
        // One edition per number of a programme.
        unique(
            m,
            "ux_programme_edition_number",
            "programme_edition",
            &["programme_id", "number"],
        )
        .await?;

        let mut t = record("programme_participant")
            .col(integer("programme_id"))
            .col(integer_null("edition_id"))
            .col(integer_null("city_id"))
            .col(integer_null("organisation_id"))
            .col(string("role"))
            .col(text_null("site"))
            .col(integer_null("mayor_mandate_id"))
            .to_owned();
        foreign_key(&mut t, "programme_participant", "programme_id", "programme");
        foreign_key(
            &mut t,
            "programme_participant",
            "edition_id",
            "programme_edition",
        );
        foreign_key(&mut t, "programme_participant", "city_id", "city");
        foreign_key(
            &mut t,
            "programme_participant",
            "organisation_id",
            "organisation",
        );
        optional_key(
            &mut t,
            "programme_participant",
            "mayor_mandate_id",
            "mandate",
        );
        m.create_table(t).await?;
        index(m, "programme_participant", &["programme_id"]).await?;
        index(m, "programme_participant", &["edition_id"]).await?;
        index(m, "programme_participant", &["city_id"]).await?;
        index(m, "programme_participant", &["organisation_id"]).await?;
        index(m, "programme_participant", &["mayor_mandate_id"]).await?;

        // Awards and challenges.
        let mut t = record("award")
            .col(string("slug"))
            .col(text("name"))
            .col(text("search_name"))
            .col(string("kind"))
            .col(integer("organiser_id"))
            .col(text_null("description"))
            .col(string_null("since_on"))
            .col(date_null("since_earliest"))
            .col(string_null("frequency"))
            .col(text_null("prize"))
            .col(text("milestones").default("[]"))
            .to_owned();
        foreign_key(&mut t, "award", "organiser_id", "organisation");
        m.create_table(t).await?;
        unique(m, "ux_award_slug", "award", &["slug"]).await?;
        index(m, "award", &["search_name", "id"]).await?;
        index(m, "award", &["organiser_id"]).await?;
        index(m, "award", &["updated_at", "id"]).await?;

        m.create_table(link(
            "award_theme",
            ("award_id", "award"),
            ("theme_id", "theme"),
        ))
        .await?;
        index(m, "award_theme", &["theme_id"]).await?;

        let mut t = record("recognition")
            .col(integer("award_id"))
            .col(integer("year"))
            .col(string("level"))
            .col(text_null("category"))
            .col(integer_null("city_id"))
            .col(integer_null("organisation_id"))
            .to_owned();
        foreign_key(&mut t, "recognition", "award_id", "award");
        foreign_key(&mut t, "recognition", "city_id", "city");
        foreign_key(&mut t, "recognition", "organisation_id", "organisation");
        m.create_table(t).await?;
        index(m, "recognition", &["award_id", "year"]).await?;
        index(m, "recognition", &["city_id"]).await?;
        index(m, "recognition", &["organisation_id"]).await?;

        // Self-diagnostic tools (their questionnaires come with the diagnostic itself).
        let mut t = record("diagnostic_tool")
            .col(string("slug"))
            .col(text("name"))
            .col(text("search_name"))
            .col(integer("publisher_id"))
            .col(text_null("url"))
            .col(text("audiences").default("[]"))
            .col(text_null("availability"))
            .col(date_null("available_by"))
            .col(text_null("purpose"))
            .col(text_null("goal"))
            .col(integer_null("origin_organisation_id"))
            .col(text_null("origin"))
            .to_owned();
        foreign_key(&mut t, "diagnostic_tool", "publisher_id", "organisation");
        optional_key(
            &mut t,
            "diagnostic_tool",
            "origin_organisation_id",
            "organisation",
        );
        m.create_table(t).await?;
        unique(m, "ux_diagnostic_tool_slug", "diagnostic_tool", &["slug"]).await?;
        index(m, "diagnostic_tool", &["search_name", "id"]).await?;
        index(m, "diagnostic_tool", &["publisher_id"]).await?;
        index(m, "diagnostic_tool", &["origin_organisation_id"]).await?;
        index(m, "diagnostic_tool", &["updated_at", "id"]).await?;

        // Events.
        let mut t = record("event")
            .col(string("slug"))
            .col(text("title"))
            .col(boolean("title_is_descriptive").default(false))
            .col(text("search_name"))
            .col(string("kind"))
            .col(string_null("status"))
            .col(string_null("date_on"))
            .col(date_null("date_earliest"))
            .col(text_null("recurrence"))
            .col(text_null("description"))
            .col(integer_null("place_city_id"))
            .col(integer_null("organiser_id"))
            .col(integer_null("partnership_id"))
            .col(integer_null("programme_id"))
            .to_owned();
        optional_key(&mut t, "event", "place_city_id", "city");
        optional_key(&mut t, "event", "organiser_id", "organisation");
        foreign_key(&mut t, "event", "partnership_id", "partnership");
        foreign_key(&mut t, "event", "programme_id", "programme");
        m.create_table(t).await?;
        unique(m, "ux_event_slug", "event", &["slug"]).await?;
        index(m, "event", &["search_name", "id"]).await?;
        index(m, "event", &["date_earliest"]).await?;
        index(m, "event", &["place_city_id"]).await?;
        index(m, "event", &["organiser_id"]).await?;
        index(m, "event", &["partnership_id"]).await?;
        index(m, "event", &["programme_id"]).await?;
        index(m, "event", &["updated_at", "id"]).await?;

        search_index::create(m, SEARCHABLE).await?;

        // Figures about an edition or an award; a definition for themes.
        for (column, to) in [("edition_id", "programme_edition"), ("award_id", "award")] {
            m.alter_table(
                Table::alter()
                    .table("stated_figure")
                    .add_column(reference_column(column, to))
                    .to_owned(),
            )
            .await?;
            index(m, "stated_figure", &[column]).await?;
        }
        m.alter_table(
            Table::alter()
                .table("theme")
                .add_column(ColumnDef::new("description").text().null())
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("theme")
                .drop_column("description")
                .to_owned(),
        )
        .await?;
        for column in ["award_id", "edition_id"] {
            m.drop_index(
                Index::drop()
                    .name(format!("ix_stated_figure_{column}"))
                    .table("stated_figure")
                    .to_owned(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table("stated_figure")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        search_index::drop(m, SEARCHABLE).await?;
        for table in TABLES.iter().rev() {
            m.drop_table(Table::drop().table(*table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
