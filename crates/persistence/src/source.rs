//! Writes to sources: the documents the directory's facts are cited from — recorded, changed
//! and (`delete.rs`, while nothing cites them) deleted by editors. The seed loader records one
//! per file, before the records the file supports.

use domain::source::{Source, SourceKind};
use domain::{FuzzyDate, Id};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::source;
use crate::write::{
    Change, Changing, Field, Kind, Problems, Unit, WriteError, on, set_given, set_if,
};

/// Sources, as the write path handles them.
const SOURCE: Kind<source::Entity, Source> =
    Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

/// A new source.
#[derive(Debug, Clone)]
pub struct NewSource {
    pub slug: String,
    pub kind: SourceKind,
    pub title: String,
    /// The title describes the document rather than being its own (an untitled page).
    pub title_is_descriptive: bool,
    pub details: SourceDetails,
}

/// A source's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct SourceChanges {
    pub slug: Option<String>,
    pub kind: Option<SourceKind>,
    pub title: Option<String>,
    pub title_is_descriptive: Option<bool>,
    pub details: SourceDetails,
}

/// What is known of a source's document beyond its slug, kind and title, each written one way
/// whether the source is new or changed: `None` is unknown in a new source and keeps the
/// stored value in a change.
#[derive(Debug, Clone, Default)]
pub struct SourceDetails {
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
    check(Some(&new.slug), Some(&new.title), &new.details)?;
    let mut row = source::ActiveModel {
        slug: Set(new.slug),
        kind: Set(new.kind.as_str().to_owned()),
        title: Set(new.title.trim().to_owned()),
        title_is_descriptive: Set(new.title_is_descriptive),
        ..Default::default()
    };
    set_details(&mut row, new.details);
    SOURCE.insert_new(unit, "create_source", row).await
}

/// Changes a source (editors), if `version` is still current.
impl Change for SourceChanges {
    type Record = Source;
    const KIND: Kind<source::Entity, Source> = SOURCE;
    const ACTION: &'static str = "update_source";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        check(self.slug.as_deref(), self.title.as_deref(), &self.details)?;
        let active = &mut to.active;
        set_given([
            (&mut active.slug, self.slug),
            (
                &mut active.kind,
                self.kind.map(|kind| kind.as_str().to_owned()),
            ),
            (
                &mut active.title,
                self.title.map(|title| title.trim().to_owned()),
            ),
        ]);
        set_if(&mut active.title_is_descriptive, self.title_is_descriptive);
        set_details(active, self.details);
        Ok(())
    }
}

/// A source's slug, title, web address and language (a BCP 47 primary tag: `fr`, `en`),
/// when given, are well formed: every problem at once.
fn check(
    slug: Option<&str>,
    title: Option<&str>,
    details: &SourceDetails,
) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    if let Some(slug) = slug {
        problems.check(domain::slug::Slug::parse(slug).map(|_| ()));
    }
    if let Some(title) = title {
        problems.check(domain::validate::check_name("title", title));
    }
    problems.given(&details.url, |url| {
        domain::validate::check_url(url).map_err(on(Field::Url))
    });
    problems.given(&details.language, |language| {
        domain::validate::check_language(language).map_err(on(Field::Language))
    });
    problems.into_result()
}

/// Sets the details a source is given; those it is not given are left as they are (unknown in a
/// new row).
fn set_details(active: &mut source::ActiveModel, details: SourceDetails) {
    if let Some(published_on) = details.published_on {
        active.published_on = Set(Some(published_on.edtf()));
        active.published_earliest = Set(Some(published_on.earliest()));
    }
    set_given([
        (&mut active.publisher, details.publisher.map(Some)),
        (&mut active.distributor, details.distributor.map(Some)),
        (&mut active.place, details.place.map(Some)),
        (&mut active.language, details.language.map(Some)),
        (&mut active.url, details.url.map(Some)),
        (&mut active.note, details.note.map(Some)),
    ]);
}

/// A source as the audit trail keeps it.
fn snapshot(source: &Source) -> serde_json::Value {
    json!({ "slug": source.slug, "kind": source.kind.as_str(), "title": source.title,
        "titleIsDescriptive": source.title_is_descriptive, "publisher": source.publisher,
        "distributor": source.distributor, "place": source.place,
        "publishedOn": source.published_on.map(|d| d.edtf()), "language": source.language,
        "url": source.url, "note": source.note, "version": source.stamp.version })
}
