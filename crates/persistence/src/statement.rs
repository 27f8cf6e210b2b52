//! Writes to statements: what a person said, as a source quotes it, perhaps about a
//! partnership — recorded, changed and (`delete.rs`) deleted by editors. A statement about a
//! draft belongs to the draft.

use domain::Id;
use domain::person::Statement;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::{person, source, statement};
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, check_exists, set_given, set_if,
};

/// Statements, as the write path handles them.
const STATEMENT: Kind<statement::Entity, Statement> = Kind::stored(snapshot);

/// A new statement.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub person_id: Id,
    /// The person's title when they said it.
    pub title_then: Option<String>,
    pub text: String,
    pub about_partnership_id: Option<Id>,
    pub source_id: Option<Id>,
}

/// A statement's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct StatementChanges {
    pub person_id: Option<Id>,
    pub title_then: Option<String>,
    pub text: Option<String>,
    pub about_partnership_id: Option<Id>,
    pub source_id: Option<Id>,
}

/// Records a statement (editors).
pub async fn create(unit: &Unit, new: NewStatement) -> Result<Statement, WriteError> {
    unit.actor().check_editor()?;
    domain::validate::check_text("text", &new.text)?;
    check_named(
        unit,
        Some(new.person_id),
        new.about_partnership_id,
        new.source_id,
    )
    .await?;
    let row = statement::ActiveModel {
        person_id: Set(new.person_id),
        title_then: Set(new.title_then),
        text: Set(new.text.trim().to_owned()),
        about_partnership_id: Set(new.about_partnership_id),
        source_id: Set(new.source_id),
        ..Default::default()
    };
    STATEMENT.insert_new(unit, "record_statement", row).await
}

/// Changes a statement (editors), if `version` is still current.
impl Change for StatementChanges {
    type Record = Statement;
    const KIND: Kind<statement::Entity, Statement> = STATEMENT;
    const ACTION: &'static str = "update_statement";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(text) = &self.text {
            domain::validate::check_text("text", text)?;
        }
        check_named(
            to.unit,
            self.person_id,
            self.about_partnership_id,
            self.source_id,
        )
        .await?;
        let active = &mut to.active;
        set_if(&mut active.person_id, self.person_id);
        set_if(
            &mut active.text,
            self.text.map(|text| text.trim().to_owned()),
        );
        set_if(&mut active.title_then, self.title_then.map(Some));
        set_given([
            (
                &mut active.about_partnership_id,
                self.about_partnership_id.map(Some),
            ),
            (&mut active.source_id, self.source_id.map(Some)),
        ]);
        Ok(())
    }
}

/// The person, the partnership and the source a statement names, when it names them, exist
/// and may be seen by the actor (a draft it may not see is `NOT_FOUND`).
async fn check_named(
    unit: &Unit,
    person_id: Option<Id>,
    about_partnership_id: Option<Id>,
    source_id: Option<Id>,
) -> Result<(), WriteError> {
    let tx = unit.tx();
    if let Some(person_id) = person_id {
        check_exists::<person::Entity>(tx, person_id, Field::Person).await?;
    }
    if let Some(about) = about_partnership_id {
        crate::partnership::check_may_see(tx, unit.actor(), about, Field::About).await?;
    }
    if let Some(source_id) = source_id {
        check_exists::<source::Entity>(tx, source_id, Field::Source).await?;
    }
    Ok(())
}

/// A statement as the audit trail keeps it.
fn snapshot(statement: &Statement) -> serde_json::Value {
    json!({ "personId": statement.person_id, "titleThen": statement.title_then,
        "text": statement.text, "aboutPartnershipId": statement.about_partnership_id,
        "sourceId": statement.source_id, "version": statement.stamp.version })
}
