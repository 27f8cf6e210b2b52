//! Database migrations, shared by SQLite and PostgreSQL.
//!
//! Knows only `sea-orm-migration`: no entity, no domain type. A migration is never edited once
//! merged; a change of schema is a new file named `mYYYYMMDD_HHMMSS_verb_noun.rs`.

pub use sea_orm_migration::MigratorTrait;
use sea_orm_migration::prelude::*;

mod m20261122_000001_create_directory;
mod m20261122_000002_create_api_tokens_and_audit;
mod m20261122_000003_create_rate_limit_buckets;
mod m20261122_000004_unlog_rate_limit_buckets;
mod m20261122_000005_index_name_search;
mod m20261123_000006_add_organisation_official_code;
mod m20261123_000007_create_programmes_awards_events;
mod m20261123_000008_create_initiatives;
mod m20261123_000009_add_joining_rules;
mod m20261123_000010_create_questionnaires_and_assessments;
mod m20261123_000011_create_reports_and_event_participants;
mod m20261123_000012_index_theme_links_by_theme;
mod m20261205_000013_index_audit_events_by_kind;
mod m20261206_000014_create_elections_and_verifications;
mod m20261206_000015_create_webhooks;
mod search_index;
mod table;

/// Every migration of the directory, in the order they run.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_directory::Migration),
            Box::new(m20261122_000002_create_api_tokens_and_audit::Migration),
            Box::new(m20261122_000003_create_rate_limit_buckets::Migration),
            Box::new(m20261122_000004_unlog_rate_limit_buckets::Migration),
            Box::new(m20261122_000005_index_name_search::Migration),
            Box::new(m20261123_000006_add_organisation_official_code::Migration),
            Box::new(m20261123_000007_create_programmes_awards_events::Migration),
            Box::new(m20261123_000008_create_initiatives::Migration),
            Box::new(m20261123_000009_add_joining_rules::Migration),
            Box::new(m20261123_000010_create_questionnaires_and_assessments::Migration),
            Box::new(m20261123_000011_create_reports_and_event_participants::Migration),
            Box::new(m20261123_000012_index_theme_links_by_theme::Migration),
            Box::new(m20261205_000013_index_audit_events_by_kind::Migration),
            Box::new(m20261206_000014_create_elections_and_verifications::Migration),
            Box::new(m20261206_000015_create_webhooks::Migration),
        ]
    }
}
