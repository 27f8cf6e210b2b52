//! Writes to citations: the link from a record (or one of its fields) to the source that
//! supports it — made, changed and (`delete.rs`) deleted by editors.

use domain::Id;
use domain::source::{Citation, RecordType};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait};
use serde_json::json;

use crate::entity::{citation, source};
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, check_exists, set_given, set_if,
};

/// Citations, as the write path handles them.
const CITATION: Kind<citation::Entity, Citation> = Kind::stored(snapshot);

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
impl Change for CitationChanges {
    type Record = Citation;
    const KIND: Kind<citation::Entity, Citation> = CITATION;
    const ACTION: &'static str = "update_citation";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(source_id) = self.source_id {
            check_exists::<source::Entity>(to.unit.tx(), source_id, Field::Source).await?;
        }
        let unless_empty = |value: String| Some(value).filter(|value| !value.is_empty());
        let active = &mut to.active;
        set_if(&mut active.source_id, self.source_id);
        set_if(&mut active.derived, self.derived);
        set_given([
            (&mut active.fact_id, self.fact_id.map(unless_empty)),
            (&mut active.field, self.field.map(unless_empty)),
            (&mut active.note, self.note.map(Some)),
        ]);
        Ok(())
    }
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
