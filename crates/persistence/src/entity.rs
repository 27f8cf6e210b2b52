//! SeaORM entities: one per record table, as the migration creates them. Link tables
//! (`partnership_theme`…) are read and written through `sea_query` in `relation.rs` and `seed.rs`.
//!
//! Invariant: entities stay inside this crate. Repositories turn their rows into domain
//! records; no entity derives a GraphQL type.

/// A row decoded by column position: the entity's columns in declaration order, from
/// `offset`. SeaORM's `from_query_result` looks every column up by a name it formats first;
/// on the lists and batches of the standard queries that lookup was a fifth of the server's
/// CPU. Every select of an entity lists its columns in declaration order, joined entities
/// after it (`Select::find_also_related`).
pub trait FromRowAt: Sized {
    /// How many columns the entity has.
    const COLUMNS: usize;
    fn from_row_at(row: &sea_orm::QueryResult, offset: usize) -> Result<Self, sea_orm::DbErr>;

    /// The entity a `LEFT JOIN` brought at `offset`, `None` when its id is null.
    fn from_row_at_optional(
        row: &sea_orm::QueryResult,
        offset: usize,
    ) -> Result<Option<Self>, sea_orm::DbErr> {
        match row.try_get_by_index::<Option<i32>>(offset)? {
            Some(_) => Ok(Some(Self::from_row_at(row, offset)?)),
            None => Ok(None),
        }
    }
}

/// A record's stamp, which every record table carries: `id`, `created_at`, `updated_at`,
/// `version`. `write::insert_new` is the one place a new record is stamped, and
/// `write::save_change` the one place a change is.
pub trait Stamped {
    /// Stamps a new record: created and updated `at`, version 1.
    fn stamp_new(&mut self, at: chrono::DateTime<chrono::Utc>);
    /// Stamps a change to a record read at `version`: updated `at`, the next version.
    fn stamp_change(&mut self, at: chrono::DateTime<chrono::Utc>, version: i32);
}

/// A stored record's id and version, whatever its kind.
pub trait Identified {
    fn id(&self) -> i32;
    fn version(&self) -> i32;
}

/// A record table: `id`, `created_at`, `updated_at`, `version`, then the given columns.
macro_rules! record_entity {
    ($table:literal { $($field:ident : $type:ty,)* }) => {
        use sea_orm::entity::prelude::*;

        impl crate::entity::FromRowAt for Model {
            const COLUMNS: usize = 4 + [$(stringify!($field)),*].len();

            fn from_row_at(row: &sea_orm::QueryResult, offset: usize) -> Result<Self, DbErr> {
                let mut at = offset;
                let mut next = || {
                    at += 1;
                    at - 1
                };
                Ok(Model {
                    id: row.try_get_by_index(next())?,
                    created_at: row.try_get_by_index(next())?,
                    updated_at: row.try_get_by_index(next())?,
                    version: row.try_get_by_index(next())?,
                    $($field: row.try_get_by_index(next())?,)*
                })
            }
        }

        #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
        #[sea_orm(table_name = $table)]
        pub struct Model {
            #[sea_orm(primary_key)]
            pub id: i32,
            pub created_at: DateTimeUtc,
            pub updated_at: DateTimeUtc,
            pub version: i32,
            $(pub $field: $type,)*
        }

        #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
        pub enum Relation {}

        impl ActiveModelBehavior for ActiveModel {}

        impl crate::entity::Stamped for ActiveModel {
            fn stamp_new(&mut self, at: DateTimeUtc) {
                self.created_at = sea_orm::ActiveValue::Set(at);
                self.updated_at = sea_orm::ActiveValue::Set(at);
                self.version = sea_orm::ActiveValue::Set(1);
            }

            fn stamp_change(&mut self, at: DateTimeUtc, version: i32) {
                self.updated_at = sea_orm::ActiveValue::Set(at);
                self.version = sea_orm::ActiveValue::Set(version + 1);
            }
        }

        impl crate::entity::Identified for Model {
            fn id(&self) -> i32 {
                self.id
            }

            fn version(&self) -> i32 {
                self.version
            }
        }
    };
}

pub mod source {
    record_entity!("source" {
        slug: String, kind: String, title: String, title_is_descriptive: bool,
        publisher: Option<String>, distributor: Option<String>, place: Option<String>,
        published_on: Option<String>, published_earliest: Option<Date>, language: Option<String>,
        url: Option<String>, note: Option<String>,
    });
}

pub mod theme {
    record_entity!("theme" {
        slug: String, label_fr: String, label_en: String, search_name: String, parent_id: Option<i32>,
        description: Option<String>,
    });
}

pub mod city {
    record_entity!("city" {
        slug: String, name: String, search_name: String, other_names: String, country: String,
        subdivision_1: Option<String>, subdivision_2: Option<String>, official_code: Option<String>,
        population: Option<i64>, population_year: Option<i32>, latitude: Option<f64>,
        longitude: Option<f64>, website: Option<String>, parent_id: Option<i32>,
    });
}

pub mod person {
    record_entity!("person" {
        slug: String, full_name: String, given_name: Option<String>, family_name: Option<String>,
        search_name: String, website: Option<String>, email: Option<String>, phone: Option<String>,
    });
}

pub mod organisation {
    record_entity!("organisation" {
        slug: String, name: String, name_is_descriptive: bool, search_name: String,
        acronym: Option<String>, other_names: String, kind: String, kind_detail: Option<String>,
        description: Option<String>, missions: String, founded: Option<String>,
        website: Option<String>, country: Option<String>, subdivision: Option<String>,
        headquarters_city_id: Option<i32>, owning_city_id: Option<i32>, parent_id: Option<i32>,
        official_code: Option<String>,
    });
}

pub mod organisation_relation {
    record_entity!("organisation_relation" {
        from_organisation_id: i32, to_organisation_id: i32, kind: String,
        start_on: Option<String>, end_on: Option<String>,
    });
}

pub mod mandate {
    record_entity!("mandate" {
        person_id: i32, city_id: Option<i32>, organisation_id: Option<i32>, role: String,
        title: String, start_on: Option<String>, start_earliest: Option<Date>,
        end_on: Option<String>, end_latest: Option<Date>,
    });
}

pub mod mandate_attestation {
    record_entity!("mandate_attestation" {
        mandate_id: i32, attested_on: Date, source_id: i32,
    });
}

pub mod contact_point {
    record_entity!("contact_point" {
        organisation_id: i32, person_id: Option<i32>, role: String, phone: Option<String>,
        phone_kind: Option<String>, email: Option<String>, email_redacted: bool,
        source_id: Option<i32>,
    });
}

pub mod membership {
    record_entity!("membership" {
        organisation_id: i32, member_city_id: Option<i32>, member_organisation_id: Option<i32>,
        kind: String, start_on: Option<String>, start_earliest: Option<Date>,
        end_on: Option<String>, end_latest: Option<Date>,
    });
}

pub mod stated_figure {
    record_entity!("stated_figure" {
        organisation_id: Option<i32>, measure: String, value: f64, unit: String,
        qualifier: String, as_of: Option<Date>, source_id: Option<i32>, note: Option<String>,
        edition_id: Option<i32>, award_id: Option<i32>,
    });
}

pub mod partnership {
    record_entity!("partnership" {
        slug: String, title: String, title_is_descriptive: bool, search_name: String,
        kind: String, status: String, summary: Option<String>, provisions: String,
        signed_on: Option<String>, signing_place_city_id: Option<i32>, start_on: Option<String>,
        start_earliest: Option<Date>, end_on: Option<String>, end_latest: Option<Date>,
        continues_id: Option<i32>, prior_relationship: Option<String>,
        accession: Option<String>,
    });
}

pub mod partnership_party {
    record_entity!("partnership_party" {
        partnership_id: i32, city_id: Option<i32>, organisation_id: Option<i32>, role: String,
        side_of_party_id: Option<i32>, position: i32,
    });
}

pub mod signatory {
    record_entity!("signatory" {
        partnership_id: i32, person_id: i32, party_id: i32, capacity: String,
        title_then: String, position: i32,
    });
}

pub mod partnership_domain {
    record_entity!("partnership_domain" {
        partnership_id: i32, position: i32, numeral: Option<String>, title: String,
        narrative: Option<String>,
    });
}

pub mod commitment {
    record_entity!("commitment" {
        partnership_id: i32, domain_id: Option<i32>, position: i32, kind: String, text: String,
    });
}

pub mod follow_up {
    record_entity!("follow_up" {
        partnership_id: i32, party_id: Option<i32>, body_organisation_id: Option<i32>,
        kind: String, frequency: Option<String>, description: String, position: i32,
    });
}

pub mod statement {
    record_entity!("statement" {
        person_id: i32, title_then: Option<String>, text: String,
        about_partnership_id: Option<i32>, source_id: Option<i32>,
    });
}

pub mod group_purchase {
    record_entity!("group_purchase" {
        slug: String, title: String, title_is_descriptive: bool, search_name: String,
        description: Option<String>, category: Option<String>, organiser_id: i32,
        origin_partnership_id: Option<i32>, eligibility: Option<String>, status: String,
        tender_start: Option<Date>, tender_end: Option<Date>, estimated_value: Option<f64>,
        currency: Option<String>, supplier_id: Option<i32>, contract_start: Option<Date>,
        contract_end: Option<Date>,
    });
}

pub mod participation {
    record_entity!("participation" {
        group_purchase_id: i32, city_id: i32, joined_on: Option<Date>,
        estimated_quantity: Option<f64>, estimated_amount: Option<f64>, status: String,
    });
}

pub mod programme {
    record_entity!("programme" {
        slug: String, name: String, search_name: String, acronym: Option<String>,
        aim: Option<String>, description: Option<String>, intended_participants: Option<String>,
        stakeholders: String, support_scope: Option<String>, rules: String,
        solution_providers: Option<String>, participation_mode: String, territory: Option<String>,
        territory_city_id: Option<i32>, started_on: Option<String>, start_earliest: Option<Date>,
        duration_months: Option<i32>, eligibility: Option<String>,
    });
}

pub mod programme_organiser {
    record_entity!("programme_organiser" {
        programme_id: i32, organisation_id: i32, role: String, note: Option<String>,
    });
}

pub mod programme_support {
    record_entity!("programme_support" {
        programme_id: i32, position: i32, kind: String, description: String,
        provider_id: Option<i32>,
    });
}

pub mod programme_edition {
    record_entity!("programme_edition" {
        programme_id: i32, number: i32, start_on: Option<String>, start_earliest: Option<Date>,
        end_on: Option<String>, end_latest: Option<Date>, duration_months: Option<i32>,
        status: String, note: Option<String>, call_opens: Option<Date>,
        call_deadline: Option<Date>,
    });
}

pub mod programme_participant {
    record_entity!("programme_participant" {
        programme_id: i32, edition_id: Option<i32>, city_id: Option<i32>,
        organisation_id: Option<i32>, role: String, site: Option<String>,
        mayor_mandate_id: Option<i32>,
    });
}

pub mod award {
    record_entity!("award" {
        slug: String, name: String, search_name: String, kind: String, organiser_id: i32,
        description: Option<String>, since_on: Option<String>, since_earliest: Option<Date>,
        frequency: Option<String>, prize: Option<String>, milestones: String,
    });
}

pub mod recognition {
    record_entity!("recognition" {
        award_id: i32, year: i32, level: String, category: Option<String>,
        city_id: Option<i32>, organisation_id: Option<i32>, initiative_id: Option<i32>,
    });
}

pub mod diagnostic_tool {
    record_entity!("diagnostic_tool" {
        slug: String, name: String, search_name: String, publisher_id: i32, url: Option<String>,
        audiences: String, availability: Option<String>, available_by: Option<Date>,
        purpose: Option<String>, goal: Option<String>, origin_organisation_id: Option<i32>,
        origin: Option<String>,
    });
}

pub mod event {
    record_entity!("event" {
        slug: String, title: String, title_is_descriptive: bool, search_name: String,
        kind: String, status: Option<String>, date_on: Option<String>,
        date_earliest: Option<Date>, recurrence: Option<String>, description: Option<String>,
        place_city_id: Option<i32>, organiser_id: Option<i32>, partnership_id: Option<i32>,
        programme_id: Option<i32>,
    });
}

pub mod initiative {
    record_entity!("initiative" {
        slug: String, title: String, search_name: String, kind: String, summary: Option<String>,
        status: String, start_on: Option<String>, start_earliest: Option<Date>,
        end_on: Option<String>, end_latest: Option<Date>, city_id: Option<i32>,
        programme_id: Option<i32>, edition_id: Option<i32>, partnership_id: Option<i32>,
        provider_id: Option<i32>, adapted_from_id: Option<i32>, adaptation: Option<String>,
    });
}

pub mod initiative_organisation {
    record_entity!("initiative_organisation" {
        initiative_id: i32, organisation_id: i32, role: String,
    });
}

pub mod outcome {
    record_entity!("outcome" {
        initiative_id: i32, position: i32, indicator: String, unit: Option<String>,
        baseline: Option<f64>, target: Option<f64>, actual: Option<f64>,
        start_on: Option<String>, start_earliest: Option<Date>, end_on: Option<String>,
        end_latest: Option<Date>, evidence_level: String, source_id: Option<i32>,
        note: Option<String>,
    });
}

pub mod lesson {
    record_entity!("lesson" {
        initiative_id: i32, position: i32, kind: String, text: String, search_name: String,
        topics: String,
    });
}

pub mod questionnaire {
    record_entity!("questionnaire" {
        slug: String, tool_id: Option<i32>, revision: String, title: String, is_example: bool,
        published_on: Option<Date>, content: String,
    });
}

pub mod assessment {
    record_entity!("assessment" {
        questionnaire_id: i32, city_id: i32, assessed_on: Date, answers: String,
        overall_score: f64,
    });
}

pub mod partnership_report {
    record_entity!("partnership_report" {
        partnership_id: i32, start_on: Option<String>, start_earliest: Option<Date>,
        end_on: Option<String>, end_latest: Option<Date>, summary: String,
        published_on: Option<Date>, source_id: Option<i32>,
    });
}

pub mod report_indicator {
    record_entity!("report_indicator" {
        report_id: i32, position: i32, theme_id: Option<i32>, name: String,
        unit: Option<String>, target: Option<f64>, value: Option<f64>, note: Option<String>,
    });
}

pub mod event_participant {
    record_entity!("event_participant" {
        event_id: i32, city_id: Option<i32>, organisation_id: Option<i32>,
        person_id: Option<i32>, role: Option<String>,
    });
}

pub mod citation {
    record_entity!("citation" {
        source_id: i32, record_type: String, record_id: i32, fact_id: Option<String>,
        field: Option<String>, derived: bool, note: Option<String>,
    });
}

pub mod election {
    record_entity!("election" {
        country: String, subdivision: Option<String>, jurisdiction: String, kind: String,
        first_round: Date, second_round: Option<Date>,
    });
}

pub mod verification {
    record_entity!("verification" {
        record_type: String, record_id: i32, verified_at: DateTimeUtc, verified_on: Date,
        verified_by: String, source_id: Option<i32>,
    });
}

pub mod api_token {
    record_entity!("api_token" {
        jti: String, name: String, role: String, organisation_id: Option<i32>, key_id: String,
        expires_at: DateTimeUtc, last_used_at: Option<DateTimeUtc>, revoked_at: Option<DateTimeUtc>,
    });
}

pub mod webhook_subscription {
    record_entity!("webhook_subscription" {
        token_id: i32, url: String, filter: String, secret: String,
        previous_secret: Option<String>, previous_secret_until: Option<DateTimeUtc>,
        status: String, disabled_reason: Option<String>, failures: i32, position: i32,
        next_attempt_at: DateTimeUtc, leased_until: Option<DateTimeUtc>,
    });
}

pub mod webhook_delivery {
    record_entity!("webhook_delivery" {
        subscription_id: i32, message_id: String, first_position: i32, last_position: i32,
        payload: String, status: String, attempts: i32, delivered_at: Option<DateTimeUtc>,
    });
}

pub mod webhook_attempt {
    record_entity!("webhook_attempt" {
        delivery_id: i32, at: DateTimeUtc, response_status: Option<i32>, error: Option<String>,
        duration_ms: i32,
    });
}

pub mod audit_event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_event")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub token_id: Option<i32>,
        pub actor_name: String,
        pub action: String,
        pub entity_type: String,
        pub entity_id: i32,
        pub at: DateTimeUtc,
        pub before: Option<String>,
        pub after: Option<String>,
    }

    impl crate::entity::FromRowAt for Model {
        const COLUMNS: usize = 9;

        fn from_row_at(row: &sea_orm::QueryResult, offset: usize) -> Result<Self, DbErr> {
            Ok(Model {
                id: row.try_get_by_index(offset)?,
                token_id: row.try_get_by_index(offset + 1)?,
                actor_name: row.try_get_by_index(offset + 2)?,
                action: row.try_get_by_index(offset + 3)?,
                entity_type: row.try_get_by_index(offset + 4)?,
                entity_id: row.try_get_by_index(offset + 5)?,
                at: row.try_get_by_index(offset + 6)?,
                before: row.try_get_by_index(offset + 7)?,
                after: row.try_get_by_index(offset + 8)?,
            })
        }
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The joins a batch makes to bring along, in the same statement, the records its rows point
/// at (`child.column → target.id`), or a parent's children (`parent.id ← child.column`).
macro_rules! joins {
    ($from:ident . $from_column:ident => $to:ident . $to_column:ident) => {
        impl sea_orm::Related<$to::Entity> for $from::Entity {
            fn to() -> sea_orm::RelationDef {
                use sea_orm::EntityTrait;
                $from::Entity::belongs_to($to::Entity)
                    .from($from::Column::$from_column)
                    .to($to::Column::$to_column)
                    .into()
            }
        }
    };
}

joins!(mandate.Id => mandate_attestation.MandateId);
joins!(mandate.PersonId => person.Id);
joins!(membership.OrganisationId => organisation.Id);
joins!(partnership_party.PartnershipId => partnership.Id);
