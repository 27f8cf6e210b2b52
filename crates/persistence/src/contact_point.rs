//! Writes to contact points: how to reach an organisation, or a person in it.

use domain::Id;
use domain::person::{ContactPoint, ContactRole, PhoneKind};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::entity::{contact_point, organisation, person};
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

/// A new contact point.
#[derive(Debug, Clone)]
pub struct NewContactPoint {
    pub organisation_id: Id,
    pub person_id: Option<Id>,
    pub role: ContactRole,
    pub phone: Option<String>,
    pub phone_kind: Option<PhoneKind>,
    pub email: Option<String>,
    /// The source hides the address: the directory does not invent one.
    pub email_redacted: bool,
    /// The source that gives it.
    pub source_id: Option<Id>,
}

/// Adds a contact point to an organisation (its partner, or editors). The audit trail keeps
/// whether it has a phone or an email, not the details themselves.
pub async fn create(unit: &Unit, new: NewContactPoint) -> Result<ContactPoint, WriteError> {
    unit.actor().check_writes_for(new.organisation_id)?;
    if let Some(email) = &new.email {
        domain::validate::check_email(email)?;
    }
    if organisation::Entity::find_by_id(new.organisation_id)
        .one(unit.tx())
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Organisation));
    }
    if let Some(person_id) = new.person_id
        && person::Entity::find_by_id(person_id)
            .one(unit.tx())
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound(Field::Person));
    }
    let row = contact_point::ActiveModel {
        organisation_id: Set(new.organisation_id),
        person_id: Set(new.person_id),
        role: Set(new.role.as_str().to_owned()),
        phone: Set(new.phone),
        phone_kind: Set(new.phone_kind.map(|k| k.as_str().to_owned())),
        email: Set(new.email),
        email_redacted: Set(new.email_redacted),
        source_id: Set(new.source_id),
        ..Default::default()
    };
    let row = insert_new(unit, "add_contact_point", row, &[], Ok, |row| {
        json!({ "organisationId": row.organisation_id, "personId": row.person_id, "role": row.role,
            "hasPhone": row.phone.is_some(), "hasEmail": row.email.is_some() })
    })
    .await?;
    Ok(rows::contact_point(row)?)
}
