//! Which records a list keeps: the `filter` argument of every top-level list of the query
//! root, and of every record's related lists. Filters name records by slug; `lookup` turns
//! those slugs into ids.

use async_graphql::InputObject;

use crate::schema::country::CountryCode;
use crate::schema::enums::{
    AwardKind, EventKind, EvidenceLevel, GroupPurchaseStatus, InitiativeStatus, LessonKind,
    LessonTopic, OrganisationKind, PartnershipStatus,
};
use crate::schema::scalars::{Date, Timestamp};

/// Keeps only the records of a related list that match.
#[derive(InputObject, Debug, Clone, Default)]
pub struct RelatedFilter {
    /// Only records changed at or after this time (RFC 3339, or a date: its start in UTC), to sync incrementally.
    pub updated_since: Option<Timestamp>,
}

/// Which cities to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CityFilter {
    /// Only cities of this country.
    pub country: Option<CountryCode>,
    /// Only cities in this subdivision (ISO 3166-2, any level: `FR-IDF`, `FR-95`, `CA-QC`).
    pub subdivision: Option<String>,
    /// Only cities whose name contains this text, ignoring case and accents ("montreal"); one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the name itself first, then
    /// names that start with the text, then names with a word that starts with it, then the
    /// rest; within each, the most populous first ("lyon": Lyon, its arrondissements, then
    /// Sainte-Foy-lès-Lyon).
    pub search: Option<String>,
    /// Only members of the organisation with this slug.
    pub member_of: Option<String>,
    /// Only boroughs of the city with this slug.
    pub borough_of: Option<String>,
    /// Only cities changed at or after this time (RFC 3339, or a date: its start in UTC), to sync incrementally.
    pub updated_since: Option<Timestamp>,
}

/// Which people to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PersonFilter {
    /// Only people whose name contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only people changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which organisations to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Only organisations of this country.
    pub country: Option<CountryCode>,
    /// Only organisations of this kind.
    pub kind: Option<OrganisationKind>,
    /// Only organisations whose name or acronym contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only members of the organisation with this slug.
    pub member_of: Option<String>,
    /// Only organisations working on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only organisations changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which partnerships to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartnershipFilter {
    /// Only partnerships with this status.
    pub status: Option<PartnershipStatus>,
    /// Only partnerships whose period may include this day.
    pub active_on: Option<Date>,
    /// Only partnerships on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only partnerships whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only partnerships changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which group purchases to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct GroupPurchaseFilter {
    /// Only group purchases with this status.
    pub status: Option<GroupPurchaseStatus>,
    /// Only group purchases organised by the organisation with this slug.
    pub organiser: Option<String>,
    /// Only group purchases on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only group purchases whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only group purchases changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which themes to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ThemeFilter {
    /// Only the children of the theme with this slug.
    pub parent: Option<String>,
    /// Only themes whose French or English label contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only themes changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which sources to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct SourceFilter {
    /// Only sources changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which programmes to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ProgrammeFilter {
    /// Only programmes the organisation with this slug organises, in any role.
    pub organiser: Option<String>,
    /// Only programmes the city with this slug takes part in.
    pub participant_city: Option<String>,
    /// Only programmes on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only programmes whose name or acronym contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only programmes changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which awards and challenges to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AwardFilter {
    /// Only awards, or only challenges.
    pub kind: Option<AwardKind>,
    /// Only those the organisation with this slug gives.
    pub organiser: Option<String>,
    /// Only those on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only those whose name contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only those changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which self-diagnostic tools to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct DiagnosticToolFilter {
    /// Only tools the organisation with this slug publishes.
    pub publisher: Option<String>,
    /// Only tools whose name contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only tools changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which events to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events of this kind.
    pub kind: Option<EventKind>,
    /// Only events the organisation with this slug organises.
    pub organiser: Option<String>,
    /// Only events of the programme with this slug.
    pub programme: Option<String>,
    /// Only events of the partnership with this slug.
    pub partnership: Option<String>,
    /// Only events whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only events changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// A range of population; either bound may be left out.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct PopulationRange {
    /// At least this many inhabitants.
    pub min: Option<i32>,
    /// At most this many inhabitants.
    pub max: Option<i32>,
}

/// Which initiatives to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct InitiativeFilter {
    /// Only initiatives on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only initiatives with one of these statuses.
    pub status: Option<Vec<InitiativeStatus>>,
    /// Only initiatives in this country: their city's, or for initiatives without a city, a
    /// lead organisation's.
    pub country: Option<CountryCode>,
    /// Only initiatives of a city whose population is in this range (cities of unknown
    /// population are left out).
    pub city_population: Option<PopulationRange>,
    /// Only initiatives with at least one outcome of this evidence level or stronger.
    pub evidence_at_least: Option<EvidenceLevel>,
    /// Only initiatives with a pitfall on one of these topics ("who ran into vendor lock-in?").
    pub pitfalls: Option<Vec<LessonTopic>>,
    /// Only initiatives of the city with this slug.
    pub city: Option<String>,
    /// Only initiatives of the programme with this slug.
    pub programme: Option<String>,
    /// Only initiatives of the partnership with this slug.
    pub partnership: Option<String>,
    /// Only initiatives whose solution the organisation with this slug provides.
    pub provider: Option<String>,
    /// Only initiatives whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only initiatives changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}

/// Which lessons to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct LessonFilter {
    /// Only successes, or only pitfalls.
    pub kind: Option<LessonKind>,
    /// Only lessons on one of these topics.
    pub topics: Option<Vec<LessonTopic>>,
    /// Only lessons whose text contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only lessons changed at or after this time (RFC 3339, or a date: its start in UTC).
    pub updated_since: Option<Timestamp>,
}
