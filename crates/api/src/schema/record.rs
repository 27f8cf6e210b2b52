//! What every record shares: timestamps, version, and the sources it cites.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use domain::source::RecordType;
use domain::{Id, Stamp};

use crate::loader::{ById, CitationsOfRecord};
use crate::schema::connection::RelatedOrder;
use crate::schema::list_args::related_args;
use crate::schema::list_filter::RelatedFilter;
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
    /// When the record was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.stamp.created_at
    }

    /// When the record last changed: filter on it with `updatedSince` to sync incrementally.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.stamp.updated_at
    }

    /// The record's version, which goes up by one at each change (for optimistic concurrency).
    async fn version(&self) -> i32 {
        self.stamp.version
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
