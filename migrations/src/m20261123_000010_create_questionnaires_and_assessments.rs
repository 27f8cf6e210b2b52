//! The smart-city self-diagnostic: questionnaires in revisions (their content is a validated
//! JSON document) and cities' assessments, one per city, questionnaire and day.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::table::{foreign_key, index, optional_key, record, unique};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000010_create_questionnaires_and_assessments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut t = record("questionnaire")
            .col(string("slug"))
            .col(integer_null("tool_id"))
            .col(string("revision"))
            .col(text("title"))
            .col(boolean("is_example").default(false))
            .col(date_null("published_on"))
            .col(text("content"))
            .to_owned();
        optional_key(&mut t, "questionnaire", "tool_id", "diagnostic_tool");
        m.create_table(t).await?;
        unique(m, "ux_questionnaire_slug", "questionnaire", &["slug"]).await?;
        index(m, "questionnaire", &["tool_id"]).await?;

        let mut t = record("assessment")
            .col(integer("questionnaire_id"))
            .col(integer("city_id"))
            .col(date("assessed_on"))
            .col(text("answers"))
            .col(double("overall_score"))
            .to_owned();
        foreign_key(&mut t, "assessment", "questionnaire_id", "questionnaire");
        foreign_key(&mut t, "assessment", "city_id", "city");
        m.create_table(t).await?;
        // One assessment per city, questionnaire version and day.
        unique(
            m,
            "ux_assessment_city_day",
            "assessment",
            &["questionnaire_id", "city_id", "assessed_on"],
        )
        .await?;
        index(m, "assessment", &["city_id"]).await?;
        index(m, "assessment", &["updated_at", "id"]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["assessment", "questionnaire"] {
            m.drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
