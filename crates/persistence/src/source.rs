//! Writes to sources: the documents the directory's facts are cited from. The seed loader
//! records one per file, before the records the file supports.

use domain::FuzzyDate;
use domain::source::{Source, SourceKind};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::source;
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

/// A new source.
#[derive(Debug, Clone)]
pub struct NewSource {
    pub slug: String,
    pub kind: SourceKind,
    pub title: String,
    /// The title describes the document rather than being its own (an untitled page).
    pub title_is_descriptive: bool,
    pub publisher: Option<String>,
    pub distributor: Option<String>,
    pub place: Option<String>,
    pub published_on: Option<FuzzyDate>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
}

/// Records a source (editors).
pub async fn create(unit: &Unit, new: NewSource) -> Result<Source, WriteError> {
    unit.actor().check_editor()?;
    domain::slug::Slug::parse(&new.slug)?;
    domain::validate::check_name("title", &new.title)?;
    let row = source::ActiveModel {
        slug: Set(new.slug),
        kind: Set(new.kind.as_str().to_owned()),
        title: Set(new.title.trim().to_owned()),
        title_is_descriptive: Set(new.title_is_descriptive),
        publisher: Set(new.publisher),
        distributor: Set(new.distributor),
        place: Set(new.place),
        published_on: Set(new.published_on.map(|d| d.edtf())),
        published_earliest: Set(new.published_on.map(|d| d.earliest())),
        language: Set(new.language),
        url: Set(new.url),
        note: Set(new.note),
        ..Default::default()
    };
    let row = insert_new(
        unit,
        "create_source",
        row,
        &[("slug", Field::Slug)],
        Ok,
        |row| json!({ "slug": row.slug, "kind": row.kind, "title": row.title, "url": row.url }),
    )
    .await?;
    Ok(rows::source(row)?)
}
