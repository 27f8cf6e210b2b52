//! Writes to citations: the link from a record (or one of its fields) to the source that
//! supports it.

use domain::Id;
use domain::source::{Citation, RecordType};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::entity::{citation, source};
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

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

/// Cites a source for a record (editors).
pub async fn create(unit: &Unit, new: NewCitation) -> Result<Citation, WriteError> {
    unit.actor().check_editor()?;
    if source::Entity::find_by_id(new.source_id)
        .one(unit.tx())
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Source));
    }
    let row = citation::ActiveModel {
        source_id: Set(new.source_id),
        record_type: Set(new.record_type.as_str().to_owned()),
        record_id: Set(new.record_id),
        fact_id: Set(new.fact_id.filter(|f| !f.is_empty())),
        field: Set(new.field),
        derived: Set(new.derived),
        note: Set(new.note),
        ..Default::default()
    };
    let row = insert_new(unit, "cite_source", row, &[], Ok, |row| {
        json!({ "sourceId": row.source_id, "recordType": row.record_type, "recordId": row.record_id,
            "factId": row.fact_id, "field": row.field, "derived": row.derived })
    })
    .await?;
    Ok(rows::citation(row)?)
}
