//! Reports on partnerships (a period, a summary, indicators per theme with unit, target and
//! value) and the participants of events.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::table::{foreign_key, index, optional_key, record};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000011_create_reports_and_event_participants"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = record("partnership_report")
            .col(integer("partnership_id"))
            .col(string_null("start_on"))
            .col(date_null("start_earliest"))
            .col(string_null("end_on"))
            .col(date_null("end_latest"))
            .col(text("summary"))
            .col(date_null("published_on"))
            .col(integer_null("source_id"))
            .to_owned();
        foreign_key(
            &mut t,
            "partnership_report",
            "partnership_id",
            "partnership",
        );
        optional_key(&mut t, "partnership_report", "source_id", "source");
        m.create_table(t).await?;
        index(
            m,
            "partnership_report",
            &["partnership_id", "start_earliest"],
        )
        .await?;
        index(m, "partnership_report", &["source_id"]).await?;

        let mut t = record("report_indicator")
            .col(integer("report_id"))
            .col(integer("position"))
            .col(integer_null("theme_id"))
            .col(text("name"))
            .col(string_null("unit"))
            .col(double_null("target"))
            .col(double_null("value"))
            .col(text_null("note"))
            .to_owned();
        foreign_key(
            &mut t,
            "report_indicator",
            "report_id",
            "partnership_report",
        );
        optional_key(&mut t, "report_indicator", "theme_id", "theme");
        m.create_table(t).await?;
        index(m, "report_indicator", &["report_id", "position"]).await?;
        index(m, "report_indicator", &["theme_id"]).await?;

        let mut t = record("event_participant")
            .col(integer("event_id"))
            .col(integer_null("city_id"))
            .col(integer_null("organisation_id"))
            .col(integer_null("person_id"))
            .col(text_null("role"))
            .to_owned();
        foreign_key(&mut t, "event_participant", "event_id", "event");
        foreign_key(&mut t, "event_participant", "city_id", "city");
        foreign_key(
            &mut t,
            "event_participant",
            "organisation_id",
            "organisation",
        );
        foreign_key(&mut t, "event_participant", "person_id", "person");
        m.create_table(t).await?;
        index(m, "event_participant", &["event_id"]).await?;
        index(m, "event_participant", &["city_id"]).await?;
        index(m, "event_participant", &["organisation_id"]).await?;
        index(m, "event_participant", &["person_id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "event_participant",
            "report_indicator",
            "partnership_report",
        ] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
