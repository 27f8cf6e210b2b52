//! What every record shares: its global id, timestamps, version, and the sources it cites.

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;
use domain::{Id, Stamp};

use crate::loader::ById;
use crate::loader::directory::CitationsOfRecord;
use crate::schema::connection::RelatedOrder;
use crate::schema::list_args::related_args;
use crate::schema::list_filter::RelatedFilter;
use crate::schema::scalars::Timestamp;
use crate::schema::source::{Citation, CitationConnection, Source};
use crate::schema::{load_many, related};

/// The fields every record has.
pub struct RecordMeta {
    record_type: RecordType,
    id: Id,
    stamp: Stamp,
}

impl RecordMeta {
    pub fn new(record_type: RecordType, id: Id, stamp: &Stamp) -> RecordMeta {
        RecordMeta {
            record_type,
            id,
            stamp: stamp.clone(),
        }
    }
}

/// The fields every record has: when it was created and changed, its version, its sources.
#[Object]
impl RecordMeta {
    #[graphql(flatten)]
    async fn stamp_fields(&self) -> RecordStamp {
        RecordStamp(self.stamp.clone())
    }

    /// When the record was last checked and by whom, and whether an election since may have
    /// made it stale (a mayor verified before the municipal election of its city's country or
    /// subdivision). Editors find the stale records in `staleRecords`.
    async fn verification(
        &self,
        ctx: &Context<'_>,
    ) -> Result<crate::schema::freshness::Verification> {
        let today = chrono::Utc::now().date_naive();
        crate::schema::freshness::verification_of(
            ctx,
            (self.record_type, self.id),
            self.stamp.created_at,
            today,
        )
        .await
    }

    /// The facts sources give about this record: one citation per fact, naming the field it
    /// supports and whether the value was derived rather than written.
    #[allow(clippy::too_many_arguments)]
    async fn citations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n citations (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the citations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n citations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the citations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Keeps only the citations that match.")] filter: Option<RelatedFilter>,
        #[graphql(desc = "How to order the citations.")] order_by: Option<RelatedOrder>,
    ) -> Result<CitationConnection> {
        let args = related_args(first, after, last, before, filter, order_by);
        let paged = related(ctx, CitationsOfRecord(self.record_type, self.id), &args).await?;
        Ok(CitationConnection::from(paged.map(Citation)))
    }

    /// The documents this record's facts come from, each once.
    async fn sources(&self, ctx: &Context<'_>) -> Result<Vec<Source>> {
        let citations =
            crate::schema::load_list(ctx, CitationsOfRecord(self.record_type, self.id)).await?;
        let mut source_ids: Vec<Id> = citations.iter().map(|c| c.source_id).collect();
        source_ids.sort_unstable();
        source_ids.dedup();
        let keys: Vec<ById<domain::source::Source>> =
            source_ids.into_iter().map(ById::new).collect();
        Ok(load_many(ctx, keys)
            .await?
            .into_iter()
            .map(Source)
            .collect())
    }
}

/// When a record was created and changed, and its version: the fields of `RecordMeta` that
/// name no other record. Sources and citations flatten in these alone — what cites a source or
/// a citation is not a fact of the directory — and `RecordMeta` flattens them first, so each is
/// whole in the registry before any type reached from `citations` or `sources` copies it.
pub struct RecordStamp(pub Stamp);

/// When a record was created and changed, and its version.
#[Object]
impl RecordStamp {
    /// When the record was created.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.created_at)
    }

    /// When the record last changed: filter on it with `updatedSince` to sync incrementally.
    async fn updated_at(&self) -> Timestamp {
        Timestamp(self.0.updated_at)
    }

    /// The record's version, which goes up by one at each change (for optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A record's global id: opaque and stable; `node(id:)` resolves it.
pub fn global_id(record_type: RecordType, id: Id) -> ID {
    crate::schema::id::encode(type_name(record_type), id)
}

/// The record type whose GraphQL type has this name, as a global id names it.
pub fn record_type_named(name: &str) -> Option<RecordType> {
    RecordType::ALL
        .iter()
        .copied()
        .find(|record_type| type_name(*record_type) == name)
}

/// The name of a record type's GraphQL type, which its global ids carry.
pub fn type_name(record_type: RecordType) -> &'static str {
    match record_type {
        RecordType::City => "City",
        RecordType::Person => "Person",
        RecordType::Mandate => "Mandate",
        RecordType::ContactPoint => "ContactPoint",
        RecordType::Statement => "Statement",
        RecordType::Organisation => "Organisation",
        RecordType::Membership => "Membership",
        RecordType::OrganisationRelation => "OrganisationRelation",
        RecordType::StatedFigure => "StatedFigure",
        RecordType::Partnership => "Partnership",
        RecordType::PartnershipParty => "PartnershipParty",
        RecordType::Signatory => "Signatory",
        RecordType::PartnershipDomain => "PartnershipDomain",
        RecordType::Commitment => "Commitment",
        RecordType::FollowUp => "FollowUp",
        RecordType::GroupPurchase => "GroupPurchase",
        RecordType::Participation => "Participation",
        RecordType::Programme => "Programme",
        RecordType::ProgrammeOrganiser => "ProgrammeOrganiser",
        RecordType::SupportComponent => "SupportComponent",
        RecordType::Edition => "Edition",
        RecordType::ProgrammeParticipant => "ProgrammeParticipant",
        RecordType::Award => "Award",
        RecordType::Recognition => "Recognition",
        RecordType::DiagnosticTool => "DiagnosticTool",
        RecordType::Questionnaire => "Questionnaire",
        RecordType::Assessment => "Assessment",
        RecordType::Event => "Event",
        RecordType::EventParticipant => "EventParticipant",
        RecordType::Report => "Report",
        RecordType::Indicator => "Indicator",
        RecordType::Initiative => "Initiative",
        RecordType::InitiativeOrganisation => "InitiativeOrganisation",
        RecordType::Outcome => "Outcome",
        RecordType::Lesson => "Lesson",
        RecordType::Theme => "Theme",
        RecordType::Source => "Source",
        RecordType::Election => "Election",
        RecordType::Citation => "Citation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_type_is_read_back_from_the_name_its_global_ids_carry() {
        for record_type in RecordType::ALL.iter().copied() {
            assert_eq!(record_type_named(type_name(record_type)), Some(record_type));
        }
        assert_eq!(record_type_named("ApiToken"), None);
    }
}
