//! Writes to citations: the link from a record (or one of its fields) to the source that
//! supports it — made, changed and (`delete.rs`) deleted by editors.

use domain::Id;
use domain::source::{Citation, RecordType};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, IntoActiveModel};
use serde_json::json;

use crate::entity::{citation, source};
use crate::write::{Field, Kind, Unit, WriteError, check_exists, check_version};

/// Citations, as the write path handles them.
const CITATION: Kind<citation::Entity, Citation> = Kind {
    to_domain: crate::rows::citation,
    snapshot,
    unique: &[],
};

/// What a source supports of a record.
#[derive(Debug, Clone)]
pub struct NewCitation {
    pub source_id: Id,
    pub record_type: RecordType,
    pub record_id: Id,
    /// The item of the seed checklist (`D004-013`) the citation stands for, if any.
    pub fact_id: Option<String>,
    /// The API field the source supports; none for the whole record.
    pub field: Option<String>,
    /// The value was inferred rather than written in the source.
    pub derived: bool,
    pub note: Option<String>,
}

/// A citation's changes; `None` keeps the stored value. It stays on its record.
#[derive(Debug, Clone, Default)]
pub struct CitationChanges {
    pub source_id: Option<Id>,
    pub fact_id: Option<String>,
    pub field: Option<String>,
    pub derived: Option<bool>,
    pub note: Option<String>,
}

/// Cites a source for a record (editors).
pub async fn create(unit: &Unit, new: NewCitation) -> Result<Citation, WriteError> {
    unit.actor().check_editor()?;
    check_exists::<source::Entity>(unit.tx(), new.source_id, Field::Source).await?;
    check_record(unit, new.record_type, new.record_id).await?;
    let row = citation::ActiveModel {
        source_id: Set(new.source_id),
        record_type: Set(new.record_type.as_str().to_owned()),
        record_id: Set(new.record_id),
        fact_id: Set(new.fact_id.filter(|f| !f.is_empty())),
        field: Set(new.field.filter(|f| !f.is_empty())),
        derived: Set(new.derived),
        note: Set(new.note),
        ..Default::default()
    };
    CITATION.insert_new(unit, "cite_source", row).await
}

/// Changes what a citation says (editors), if `version` is still current.
pub async fn update(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: CitationChanges,
) -> Result<Citation, WriteError> {
    unit.actor().check_editor()?;
    let (row, before) = CITATION.read_for_change(unit, id).await?;
    check_version(before.stamp.version, version)?;
    if let Some(source_id) = changes.source_id {
        check_exists::<source::Entity>(unit.tx(), source_id, Field::Source).await?;
    }
    let mut active = row.into_active_model();
    if let Some(source_id) = changes.source_id {
        active.source_id = Set(source_id);
    }
    if let Some(fact_id) = changes.fact_id {
        active.fact_id = Set(Some(fact_id).filter(|f| !f.is_empty()));
    }
    if let Some(field) = changes.field {
        active.field = Set(Some(field).filter(|f| !f.is_empty()));
    }
    if let Some(derived) = changes.derived {
        active.derived = Set(derived);
    }
    if let Some(note) = changes.note {
        active.note = Set(Some(note));
    }
    CITATION
        .save_change(unit, "update_citation", (id, version), active, &before)
        .await
}

/// `NOT_FOUND` on `record` unless the record cited exists (its kind's table has it).
async fn check_record(unit: &Unit, kind: RecordType, id: Id) -> Result<(), WriteError> {
    let found = Query::select()
        .column("id")
        .from(Alias::new(kind.as_str()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    match unit.tx().query_one(&found).await? {
        Some(_) => Ok(()),
        None => Err(WriteError::NotFound(Field::Record)),
    }
}

/// A citation as the audit trail keeps it; what it cites says who may see it.
fn snapshot(citation: &Citation) -> serde_json::Value {
    json!({ "sourceId": citation.source_id, "recordType": citation.record_type.as_str(),
        "recordId": citation.record_id, "factId": citation.fact_id, "field": citation.field,
        "derived": citation.derived, "note": citation.note, "version": citation.stamp.version })
}
