//! Writes to people (editors): names, web page and contact details, checked and audited.

use domain::Id;
use domain::person::Person;
use domain::search::fold;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::person;
use crate::write::{Change, Changing, Field, Kind, Problems, Unit, WriteError};

/// Persons, as the write path handles them.
const PERSON: Kind<person::Entity, domain::person::Person> =
    Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

/// A person's fields as written; for an update, `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct PersonFields {
    pub slug: Option<String>,
    pub full_name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The audit trail keeps whether contact details changed, not the details themselves.
pub(crate) fn snapshot(person: &Person) -> serde_json::Value {
    json!({
        "slug": person.slug, "fullName": person.full_name, "givenName": person.given_name,
        "familyName": person.family_name, "website": person.website,
        "hasEmail": person.email.is_some(), "hasPhone": person.phone.is_some(), "version": person.stamp.version,
    })
}

fn check(fields: &PersonFields, problems: &mut Problems) {
    problems.given(&fields.slug, |slug| {
        domain::slug::Slug::parse(slug).map(|_| ())
    });
    problems.given(&fields.full_name, |name| {
        domain::validate::check_name("full name", name)
    });
    problems.given(&fields.website, |website| {
        domain::validate::check_url(website)
    });
    problems.given(&fields.email, |email| domain::validate::check_email(email));
    problems.given(&fields.phone, |phone| domain::validate::check_phone(phone));
}

fn apply(active: &mut person::ActiveModel, fields: PersonFields) {
    if let Some(slug) = fields.slug {
        active.slug = Set(slug);
    }
    if let Some(name) = fields.full_name {
        active.search_name = Set(fold(&name));
        active.full_name = Set(name.trim().to_owned());
    }
    if let Some(given) = fields.given_name {
        active.given_name = Set(Some(given));
    }
    if let Some(family) = fields.family_name {
        active.family_name = Set(Some(family));
    }
    if let Some(website) = fields.website {
        active.website = Set(Some(website));
    }
    if let Some(email) = fields.email {
        active.email = Set(Some(email));
    }
    if let Some(phone) = fields.phone {
        active.phone = Set(Some(phone));
    }
}

/// Creates a person (editors).
pub async fn create(unit: &Unit, fields: PersonFields) -> Result<Person, WriteError> {
    let (_tx, actor) = (unit.tx(), unit.actor());
    actor.check_editor()?;
    let mut problems = Problems::default();
    problems.require(
        "a person",
        &[
            (fields.slug.is_some(), Field::Slug),
            (fields.full_name.is_some(), Field::FullName),
        ],
    );
    check(&fields, &mut problems);
    problems.into_result()?;
    let mut active = person::ActiveModel {
        given_name: Set(None),
        family_name: Set(None),
        website: Set(None),
        email: Set(None),
        phone: Set(None),
        ..Default::default()
    };
    apply(&mut active, fields);
    PERSON.insert_new(unit, "create_person", active).await
}

/// Changes a person (editors), if `version` is still current.
impl Change for PersonFields {
    type Record = Person;
    const KIND: Kind<person::Entity, Person> = PERSON;
    const ACTION: &'static str = "update_person";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        unit.actor().check_editor()?;
        Problems::all(|problems| check(self, problems))
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        apply(&mut to.active, self);
        Ok(())
    }
}
