//! Sources and citations: where every fact of the directory comes from.

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::directory::CitationsOfSource;
use crate::schema::connection::connection;
use crate::schema::enums::SourceKind;
use crate::schema::load_one;
use crate::schema::node::Node;
use crate::schema::record::{RecordStamp, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::FuzzyDate;

connection!(
    SourceConnection,
    SourceEdge,
    Source,
    "A page of sources.",
    "A source in a page, with its cursor."
);
connection!(
    CitationConnection,
    CitationEdge,
    Citation,
    "A page of citations.",
    "A citation in a page, with its cursor."
);

/// A document the directory's facts come from. Any field but the title may be unknown.
#[derive(Clone)]
pub struct Source(pub domain::source::Source);

/// A document the directory's facts come from. Any field but the title may be unknown.
#[Object]
impl Source {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Source, self.0.id)
    }

    /// The human key of the source.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// What kind of document it is.
    async fn kind(&self) -> SourceKind {
        self.0.kind.into()
    }

    /// Its title or, when it has none, a descriptive title (see `titleIsDescriptive`).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Whether the title describes the document because it has none.
    async fn title_is_descriptive(&self) -> bool {
        self.0.title_is_descriptive
    }

    /// Who published it.
    async fn publisher(&self) -> Option<&str> {
        self.0.publisher.as_deref()
    }

    /// Who distributed it (a newswire), when not the publisher.
    async fn distributor(&self) -> Option<&str> {
        self.0.distributor.as_deref()
    }

    /// Its dateline place.
    async fn place(&self) -> Option<&str> {
        self.0.place.as_deref()
    }

    /// When it was published, as known.
    async fn published_on(&self) -> Option<FuzzyDate> {
        self.0.published_on.map(Into::into)
    }

    /// Its language (ISO 639-1).
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }

    /// Where to read it.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// What else a reader should know about it.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> SourceRelatedLists {
        SourceRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordStamp {
        RecordStamp(self.0.stamp.clone())
    }
}

related_lists! {
    /// The related lists of `Source`, which it flattens in.
    SourceRelatedLists {
        /// The facts it supports, one citation each.
        facts: CitationConnection<Citation> = CitationsOfSource;
    }
}

/// A source supporting a fact of a record: which field, and whether the value was derived
/// rather than written.
#[derive(Clone)]
pub struct Citation(pub domain::source::Citation);

/// A source supporting a fact of a record: which field, and whether the value was derived
/// rather than written.
#[Object]
impl Citation {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Citation, self.0.id)
    }

    /// The source.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, Some(ById::new(self.0.source_id)))
            .await?
            .map(Source))
    }

    /// The record the source supports.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        crate::schema::node::node_of(ctx, self.0.record_type, self.0.record_id).await
    }

    /// The item of the seed checklist this citation stands for (`D004-013`), if any.
    async fn fact_id(&self) -> Option<&str> {
        self.0.fact_id.as_deref()
    }

    /// The field of the record the source supports; none when the fact is that the source
    /// does not give something, or when it supports the whole record.
    async fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }

    /// Whether the value was inferred rather than written in the source.
    async fn derived(&self) -> bool {
        self.0.derived
    }

    /// How a derived value was inferred, or what else a reader should know.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordStamp {
        RecordStamp(self.0.stamp.clone())
    }
}
