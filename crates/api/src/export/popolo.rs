//! People, organisations and memberships as Popolo JSON (popoloproject.com): the format
//! parliament and civic-tech tools (Open States, EveryPolitician) read.
//!
//! A city is a Popolo organization too (`classification: "city"`): mayors hold their post in
//! one, and cities are members of organisations. A mandate is a person's membership of the
//! city or organisation where the post is (`role` normalised, `label` the title as written); a
//! membership of a city or an organisation in another is a membership whose `member` is that
//! organization. Ids are the records' global ids, as the API's `id`. Popolo's dates are
//! `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: an approximate date (`2018~`) is left out rather than
//! given as exact. Contact details are given only to callers who read personal data.

use domain::city::City;
use domain::mandate::Mandate;
use domain::membership::Membership;
use domain::organisation::Organisation;
use domain::person::Person;
use domain::source::RecordType;
use domain::{FuzzyDate, Id};
use serde_json::{Value, json};

use super::Viewer;
use crate::schema::record::global_id;

/// The opening of the document's sections, in their order, for the kinds that fill them.
pub fn section(kind: super::Kind) -> &'static str {
    use super::Kind;
    match kind {
        Kind::People => "persons",
        Kind::Mandates | Kind::Memberships => "memberships",
        _ => "organizations",
    }
}

pub fn person(person: &Person, viewer: &Viewer) -> Value {
    let mut object = json!({
        "id": global_id(RecordType::Person, person.id).0,
        "name": person.full_name,
        "identifiers": [{ "scheme": "slug", "identifier": person.slug }],
    });
    put(&mut object, "given_name", person.given_name.as_deref());
    put(&mut object, "family_name", person.family_name.as_deref());
    put(&mut object, "links", links(person.website.as_deref()));
    if viewer.personal_data {
        put(&mut object, "email", person.email.as_deref());
        if let Some(phone) = &person.phone {
            object["contact_details"] = json!([{ "type": "voice", "value": phone }]);
        }
    }
    object
}

pub fn organisation(organisation: &Organisation) -> Value {
    let mut object = json!({
        "id": global_id(RecordType::Organisation, organisation.id).0,
        "name": organisation.name,
        "classification": organisation.kind.as_str(),
        "identifiers": identifiers(
            &organisation.slug,
            organisation.country.as_deref(),
            organisation.official_code.as_deref(),
        ),
    });
    put(
        &mut object,
        "parent_id",
        organisation
            .parent_id
            .map(|id| global_id(RecordType::Organisation, id).0),
    );
    put(
        &mut object,
        "founding_date",
        popolo_date(organisation.founded),
    );
    put(
        &mut object,
        "description",
        organisation.description.as_deref(),
    );
    put(&mut object, "links", links(organisation.website.as_deref()));
    let mut other_names: Vec<Value> = organisation
        .acronym
        .iter()
        .map(|acronym| json!({ "name": acronym, "note": "acronym" }))
        .collect();
    other_names.extend(
        organisation
            .other_names
            .iter()
            .map(|other| json!({ "name": other.name, "note": other.kind })),
    );
    if !other_names.is_empty() {
        object["other_names"] = other_names.into();
    }
    object
}

pub fn city(city: &City) -> Value {
    let mut object = json!({
        "id": global_id(RecordType::City, city.id).0,
        "name": city.name,
        "classification": "city",
        "identifiers": identifiers(&city.slug, Some(&city.country), city.official_code.as_deref()),
    });
    put(
        &mut object,
        "parent_id",
        city.parent_id.map(|id| global_id(RecordType::City, id).0),
    );
    put(&mut object, "links", links(city.website.as_deref()));
    if !city.other_names.is_empty() {
        object["other_names"] = city
            .other_names
            .iter()
            .map(|other| json!({ "name": other.name, "note": other.kind }))
            .collect::<Vec<_>>()
            .into();
    }
    object
}

pub fn mandate(mandate: &Mandate, holder_type: RecordType, holder: Id) -> Value {
    let mut object = json!({
        "id": global_id(RecordType::Mandate, mandate.id).0,
        "person_id": global_id(RecordType::Person, mandate.person_id).0,
        "organization_id": global_id(holder_type, holder).0,
        "role": mandate.role.as_str(),
        "label": mandate.title,
    });
    put(&mut object, "start_date", popolo_date(mandate.period.start));
    put(&mut object, "end_date", popolo_date(mandate.period.end));
    object
}

pub fn membership(membership: &Membership, member_type: RecordType, member: Id) -> Value {
    let mut object = json!({
        "id": global_id(RecordType::Membership, membership.id).0,
        "member": { "@type": "Organization", "id": global_id(member_type, member).0 },
        "organization_id": global_id(RecordType::Organisation, membership.organisation_id).0,
        "role": membership.kind.as_str(),
    });
    put(
        &mut object,
        "start_date",
        popolo_date(membership.period.start),
    );
    put(&mut object, "end_date", popolo_date(membership.period.end));
    object
}

/// A record's identifiers: its slug, and its official code as the API names it (`FR:95018`).
fn identifiers(slug: &str, country: Option<&str>, official_code: Option<&str>) -> Value {
    let mut identifiers = vec![json!({ "scheme": "slug", "identifier": slug })];
    if let (Some(country), Some(code)) = (country, official_code) {
        identifiers
            .push(json!({ "scheme": "official_code", "identifier": format!("{country}:{code}") }));
    }
    identifiers.into()
}

fn links(website: Option<&str>) -> Option<Value> {
    website.map(|url| json!([{ "url": url, "note": "website" }]))
}

/// A date Popolo can hold: as known, when it is not approximate.
fn popolo_date(date: Option<FuzzyDate>) -> Option<String> {
    date.filter(|date| !date.is_approximate())
        .map(|date| date.edtf())
}

/// Sets `key` when there is a value: Popolo leaves unknown fields out.
fn put(object: &mut Value, key: &str, value: Option<impl Into<Value>>) {
    if let Some(value) = value {
        object[key] = value.into();
    }
}
