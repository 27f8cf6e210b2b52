//! Writes to contact points: how to reach an organisation, or a person in it — added, changed
//! and (`delete.rs`) deleted by the organisation's partner or editors. A contact's phone and
//! email are personal data: the audit trail keeps whether it has them, not what they are.

use domain::Id;
use domain::person::{ContactPoint, ContactRole, PhoneKind};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::{contact_point, organisation, person, source};
use crate::write::{
    Change, Changing, Field, Kind, Problems, Unit, WriteError, check_exists, set_given, set_if,
};

/// Contact points, as the write path handles them.
const CONTACT_POINT: Kind<contact_point::Entity, ContactPoint> = Kind::stored(snapshot);

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

/// A contact point's changes; `None` keeps the stored value. It stays with its organisation.
#[derive(Debug, Clone, Default)]
pub struct ContactPointChanges {
    pub person_id: Option<Id>,
    pub role: Option<ContactRole>,
    pub phone: Option<String>,
    pub phone_kind: Option<PhoneKind>,
    pub email: Option<String>,
    pub email_redacted: Option<bool>,
    pub source_id: Option<Id>,
}

/// Adds a contact point to an organisation (its partner, or editors).
pub async fn create(unit: &Unit, new: NewContactPoint) -> Result<ContactPoint, WriteError> {
    unit.actor().check_writes_for(new.organisation_id)?;
    check_values(new.phone.as_deref(), new.email.as_deref())?;
    check_exists::<organisation::Entity>(unit.tx(), new.organisation_id, Field::Organisation)
        .await?;
    check_named(unit, new.person_id, new.source_id).await?;
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
    CONTACT_POINT
        .insert_new(unit, "add_contact_point", row)
        .await
}

/// Changes a contact point (its organisation's partner, or editors), if `version` is still
/// current.
impl Change for ContactPointChanges {
    type Record = ContactPoint;
    const KIND: Kind<contact_point::Entity, ContactPoint> = CONTACT_POINT;
    const ACTION: &'static str = "update_contact_point";

    async fn authority(&self, unit: &Unit, before: &ContactPoint) -> Result<(), WriteError> {
        Ok(unit.actor().check_writes_for(before.organisation_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        check_values(self.phone.as_deref(), self.email.as_deref())?;
        check_named(to.unit, self.person_id, self.source_id).await?;
        let active = &mut to.active;
        set_if(
            &mut active.role,
            self.role.map(|role| role.as_str().to_owned()),
        );
        set_if(&mut active.email_redacted, self.email_redacted);
        set_given([
            (&mut active.phone, self.phone.map(Some)),
            (
                &mut active.phone_kind,
                self.phone_kind.map(|kind| Some(kind.as_str().to_owned())),
            ),
            (&mut active.email, self.email.map(Some)),
        ]);
        set_given([
            (&mut active.person_id, self.person_id.map(Some)),
            (&mut active.source_id, self.source_id.map(Some)),
        ]);
        Ok(())
    }
}

/// A phone and an email, when given, are well formed: both are reported at once.
fn check_values(phone: Option<&str>, email: Option<&str>) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    if let Some(phone) = phone {
        problems.check(domain::validate::check_phone(phone));
    }
    if let Some(email) = email {
        problems.check(domain::validate::check_email(email));
    }
    problems.into_result()
}

/// The person and the source a contact point names, when it names them, exist.
async fn check_named(
    unit: &Unit,
    person_id: Option<Id>,
    source_id: Option<Id>,
) -> Result<(), WriteError> {
    if let Some(person_id) = person_id {
        check_exists::<person::Entity>(unit.tx(), person_id, Field::Person).await?;
    }
    if let Some(source_id) = source_id {
        check_exists::<source::Entity>(unit.tx(), source_id, Field::Source).await?;
    }
    Ok(())
}

/// A contact point as the audit trail keeps it: whether it has a phone and an email, never
/// the details.
fn snapshot(contact: &ContactPoint) -> serde_json::Value {
    json!({ "organisationId": contact.organisation_id, "personId": contact.person_id,
        "role": contact.role.as_str(), "hasPhone": contact.phone.is_some(),
        "phoneKind": contact.phone_kind.map(|k| k.as_str()), "hasEmail": contact.email.is_some(),
        "emailRedacted": contact.email_redacted, "sourceId": contact.source_id,
        "version": contact.stamp.version })
}
