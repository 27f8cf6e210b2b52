//! Writes to statements: what a person said, as a source quotes it, perhaps about a
//! partnership.

use domain::Id;
use domain::person::Statement;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::entity::{partnership, person, statement};
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

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

/// Records a statement (editors).
pub async fn create(unit: &Unit, new: NewStatement) -> Result<Statement, WriteError> {
    unit.actor().check_editor()?;
    if new.text.trim().is_empty() {
        return Err(domain::validate::ValueError::Empty { field: "text" }.into());
    }
    if person::Entity::find_by_id(new.person_id)
        .one(unit.tx())
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Person));
    }
    if let Some(id) = new.about_partnership_id
        && partnership::Entity::find_by_id(id)
            .one(unit.tx())
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound(Field::About));
    }
    let row = statement::ActiveModel {
        person_id: Set(new.person_id),
        title_then: Set(new.title_then),
        text: Set(new.text),
        about_partnership_id: Set(new.about_partnership_id),
        source_id: Set(new.source_id),
        ..Default::default()
    };
    let row = insert_new(unit, "record_statement", row, &[], Ok, |row| {
        json!({ "personId": row.person_id, "titleThen": row.title_then, "text": row.text,
            "aboutPartnershipId": row.about_partnership_id })
    })
    .await?;
    Ok(rows::statement(row)?)
}
