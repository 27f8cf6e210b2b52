//! Writes to sources, citations and themes (editors): the documents facts come from, the link
//! from a record to the source that supports it, and the taxonomy records are tagged with.
//! Each is deleted with `deleteRecord` — a source while nothing cites it, a theme while
//! nothing is tagged with it and no theme sits under it.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::source::RecordType;
use persistence::citation::{CitationChanges, NewCitation};
use persistence::source::{NewSource, SourceChanges, SourceDetails};
use persistence::theme::{NewTheme, ThemeChanges};

use crate::schema::enums::SourceKind;
use crate::schema::payload::payload;
use crate::schema::reference::{input_ref, named_by_slug, optional_input_ref, optional_source};
use crate::schema::source::{Citation, Source};
use crate::schema::theme::Theme;
use crate::schema::user_error::{InputError, UserError, change_record, create_record, input_date};

payload!(/// The result of recording or changing a source.
    SourcePayload { source: Source });
payload!(/// The result of adding or changing a citation.
    CitationPayload { citation: Citation });
payload!(/// The result of adding or changing a theme.
    ThemePayload { theme: Theme });

/// A new source: a document the directory's facts come from. Any field but its slug, kind
/// and title may be unknown.
#[derive(InputObject)]
pub struct CreateSourceInput {
    /// The human key (`doc-004-protocole-terrebonne-namur`).
    pub slug: String,
    /// What kind of document it is.
    pub kind: SourceKind,
    /// Its title, or a title describing it.
    pub title: String,
    /// Whether the title describes a document that has none.
    #[graphql(default)]
    pub title_is_descriptive: bool,
    /// Who published it.
    pub publisher: Option<String>,
    /// Who distributed it (a newswire).
    pub distributor: Option<String>,
    /// Where it was published.
    pub place: Option<String>,
    /// When it was published, as known (`2023-11-14`, `2023`).
    pub published_on: Option<String>,
    /// Its language, as a BCP 47 tag (`fr`, `fr-CA`).
    pub language: Option<String>,
    /// Where to read it (`https://…`).
    pub url: Option<String>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Changes to a source; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateSourceInput {
    /// The source.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The human key.
    pub slug: Option<String>,
    /// What kind of document it is.
    pub kind: Option<SourceKind>,
    /// Its title, or a title describing it.
    pub title: Option<String>,
    /// Whether the title describes a document that has none.
    pub title_is_descriptive: Option<bool>,
    /// Who published it.
    pub publisher: Option<String>,
    /// Who distributed it.
    pub distributor: Option<String>,
    /// Where it was published.
    pub place: Option<String>,
    /// When it was published, as known.
    pub published_on: Option<String>,
    /// Its language, as a BCP 47 tag.
    pub language: Option<String>,
    /// Where to read it (`https://…`).
    pub url: Option<String>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A new citation: a source supporting a record, or one field of it.
#[derive(InputObject)]
pub struct AddCitationInput {
    /// The source.
    #[doc = named_by_slug!()]
    pub source: ID,
    /// The record it supports: its global id, of any kind.
    pub record: ID,
    /// The field of the record it supports (`population`); none for the whole record.
    pub field: Option<String>,
    /// The item of a facts checklist it stands for (`D004-013`).
    pub fact_id: Option<String>,
    /// Whether the value was inferred rather than written in the source.
    #[graphql(default)]
    pub derived: bool,
    /// How a derived value was inferred, or what else a reader should know.
    pub note: Option<String>,
}

/// Changes to a citation; a field left out keeps its value. It stays on its record.
#[derive(InputObject)]
pub struct UpdateCitationInput {
    /// The citation: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The source.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// The field of the record it supports.
    pub field: Option<String>,
    /// The item of a facts checklist it stands for.
    pub fact_id: Option<String>,
    /// Whether the value was inferred rather than written in the source.
    pub derived: Option<bool>,
    /// How a derived value was inferred, or what else a reader should know.
    pub note: Option<String>,
}

/// A new theme of the taxonomy.
#[derive(InputObject)]
pub struct CreateThemeInput {
    /// The human key (`decarbonation`).
    pub slug: String,
    /// Its French label.
    pub label_fr: String,
    /// Its English label.
    pub label_en: String,
    /// The broader theme it narrows.
    #[doc = named_by_slug!()]
    pub parent: Option<ID>,
    /// What the theme means.
    pub description: Option<String>,
}

/// Changes to a theme; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateThemeInput {
    /// The theme.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The human key.
    pub slug: Option<String>,
    /// Its French label.
    pub label_fr: Option<String>,
    /// Its English label.
    pub label_en: Option<String>,
    /// The broader theme it narrows: never itself nor one of its narrower themes.
    #[doc = named_by_slug!()]
    pub parent: Option<ID>,
    /// What the theme means.
    pub description: Option<String>,
}

/// Sources, citations and themes.
#[derive(Default)]
pub struct SourceMutation;

#[Object]
impl SourceMutation {
    /// Records a source: a document the directory's facts come from (editors).
    async fn create_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source.")] input: CreateSourceInput,
    ) -> Result<SourcePayload> {
        let new = async {
            Ok::<_, InputError>(NewSource {
                details: SourceDetails {
                    published_on: input_date("publishedOn", input.published_on.as_deref())?,
                    publisher: input.publisher.clone(),
                    distributor: input.distributor.clone(),
                    place: input.place.clone(),
                    language: input.language.clone(),
                    url: input.url.clone(),
                    note: input.note.clone(),
                },
                slug: input.slug.clone(),
                kind: input.kind.into(),
                title: input.title.clone(),
                title_is_descriptive: input.title_is_descriptive,
            })
        };
        let (source, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::source::create(unit, new))
        })
        .await?;
        Ok(SourcePayload {
            source: source.map(Source),
            user_errors,
        })
    }

    /// Changes a source (editors).
    async fn update_source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source and its changes.")] input: UpdateSourceInput,
    ) -> Result<SourcePayload> {
        let changes = async {
            Ok::<_, InputError>(SourceChanges {
                details: SourceDetails {
                    published_on: input_date("publishedOn", input.published_on.as_deref())?,
                    publisher: input.publisher.clone(),
                    distributor: input.distributor.clone(),
                    place: input.place.clone(),
                    language: input.language.clone(),
                    url: input.url.clone(),
                    note: input.note.clone(),
                },
                slug: input.slug.clone(),
                kind: input.kind.map(Into::into),
                title: input.title.clone(),
                title_is_descriptive: input.title_is_descriptive,
            })
        };
        let key = ("id", &input.id, RecordType::Source);
        let (source, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(SourcePayload {
            source: source.map(Source),
            user_errors,
        })
    }

    /// Cites a source for a record, or one field of it (editors).
    async fn add_citation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The citation.")] input: AddCitationInput,
    ) -> Result<CitationPayload> {
        let new = async {
            let source_id = input_ref(ctx, "source", &input.source, RecordType::Source).await?;
            let (record_type, record_id) = cited(ctx, &input.record).await?;
            Ok::<_, InputError>(NewCitation {
                source_id,
                record_type,
                record_id,
                fact_id: input.fact_id.clone(),
                field: input.field.clone(),
                derived: input.derived,
                note: input.note.clone(),
            })
        };
        let (citation, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::citation::create(unit, new))
        })
        .await?;
        Ok(CitationPayload {
            citation: citation.map(Citation),
            user_errors,
        })
    }

    /// Changes what a citation says: its source, field, checklist item, whether the value was
    /// derived, its note (editors).
    async fn update_citation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The citation and its changes.")] input: UpdateCitationInput,
    ) -> Result<CitationPayload> {
        let changes = async {
            Ok::<_, InputError>(CitationChanges {
                source_id: optional_source(ctx, input.source.as_ref()).await?,
                fact_id: input.fact_id.clone(),
                field: input.field.clone(),
                derived: input.derived,
                note: input.note.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Citation);
        let (citation, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(CitationPayload {
            citation: citation.map(Citation),
            user_errors,
        })
    }

    /// Adds a theme to the taxonomy, under a broader one if given (editors).
    async fn create_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme.")] input: CreateThemeInput,
    ) -> Result<ThemePayload> {
        let new = async {
            Ok::<_, InputError>(NewTheme {
                parent_id: optional_input_ref(
                    ctx,
                    "parent",
                    input.parent.as_ref(),
                    RecordType::Theme,
                )
                .await?,
                slug: input.slug.clone(),
                label_fr: input.label_fr.clone(),
                label_en: input.label_en.clone(),
                description: input.description.clone(),
            })
        };
        let (theme, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::theme::create(unit, new))
        })
        .await?;
        Ok(ThemePayload {
            theme: theme.map(Theme),
            user_errors,
        })
    }

    /// Changes a theme: its slug, labels, description or the broader theme it narrows — never
    /// itself nor one of its narrower themes (editors).
    async fn update_theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme and its changes.")] input: UpdateThemeInput,
    ) -> Result<ThemePayload> {
        let changes = async {
            Ok::<_, InputError>(ThemeChanges {
                parent_id: optional_input_ref(
                    ctx,
                    "parent",
                    input.parent.as_ref(),
                    RecordType::Theme,
                )
                .await?,
                slug: input.slug.clone(),
                label_fr: input.label_fr.clone(),
                label_en: input.label_en.clone(),
                description: input.description.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Theme);
        let (theme, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ThemePayload {
            theme: theme.map(Theme),
            user_errors,
        })
    }
}

/// The kind and id of the record a citation's `record` names by global id, if the caller may
/// see it (`input_ref`).
async fn cited(ctx: &Context<'_>, record: &ID) -> Result<(RecordType, domain::Id), InputError> {
    let invalid = |message: String| -> InputError {
        UserError::new(&["input", "record"], crate::error::code::INVALID, message).into()
    };
    let (type_name, _) =
        crate::schema::id::decode("record", record).map_err(|error| invalid(error.to_string()))?;
    let record_type = crate::schema::record::record_type_named(&type_name).ok_or_else(|| {
        invalid(format!(
            "a {type_name} is not a record a source can support"
        ))
    })?;
    let id = input_ref(ctx, "record", record, record_type).await?;
    Ok((record_type, id))
}
