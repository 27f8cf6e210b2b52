//! Rows of the directory: sources, themes, cities, people, organisations, mandates, memberships,
//! contact points, statements and stated figures.

use super::*;
use crate::Error;

pub(crate) fn source(row: source::Model) -> Result<domain::source::Source, Error> {
    Ok(domain::source::Source {
        kind: word("source", "kind", &row.kind)?,
        published_on: fuzzy("source", "published_on", row.published_on.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        publisher: row.publisher,
        distributor: row.distributor,
        place: row.place,
        language: row.language,
        url: row.url,
        note: row.note,
    })
}

pub(crate) fn citation(row: citation::Model) -> Result<domain::source::Citation, Error> {
    Ok(domain::source::Citation {
        record_type: word("citation", "record_type", &row.record_type)?,
        stamp: stamp!(row),
        id: row.id,
        source_id: row.source_id,
        record_id: row.record_id,
        fact_id: row.fact_id,
        field: row.field,
        derived: row.derived,
        note: row.note,
    })
}

pub(crate) fn theme(row: theme::Model) -> Result<domain::theme::Theme, Error> {
    Ok(domain::theme::Theme {
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        label_fr: row.label_fr,
        label_en: row.label_en,
        parent_id: row.parent_id,
        description: row.description,
    })
}

pub(crate) fn city(row: city::Model) -> Result<domain::city::City, Error> {
    Ok(domain::city::City {
        other_names: json("city", "other_names", &row.other_names)?,
        subdivisions: row
            .subdivision_1
            .into_iter()
            .chain(row.subdivision_2)
            .collect(),
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        name: row.name,
        country: row.country,
        official_code: row.official_code,
        population: row.population,
        population_year: row.population_year,
        latitude: row.latitude,
        longitude: row.longitude,
        website: row.website,
        parent_id: row.parent_id,
    })
}

pub(crate) fn person(row: person::Model) -> Result<domain::person::Person, Error> {
    Ok(domain::person::Person {
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        full_name: row.full_name,
        given_name: row.given_name,
        family_name: row.family_name,
        website: row.website,
        email: row.email,
        phone: row.phone,
    })
}

pub(crate) fn organisation(
    row: organisation::Model,
) -> Result<domain::organisation::Organisation, Error> {
    Ok(domain::organisation::Organisation {
        kind: word("organisation", "kind", &row.kind)?,
        other_names: json("organisation", "other_names", &row.other_names)?,
        missions: json("organisation", "missions", &row.missions)?,
        founded: fuzzy("organisation", "founded", row.founded.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        name: row.name,
        name_is_descriptive: row.name_is_descriptive,
        acronym: row.acronym,
        kind_detail: row.kind_detail,
        description: row.description,
        website: row.website,
        country: row.country,
        subdivision: row.subdivision,
        official_code: row.official_code,
        headquarters_city_id: row.headquarters_city_id,
        owning_city_id: row.owning_city_id,
        parent_id: row.parent_id,
    })
}

pub(crate) fn organisation_relation(
    row: organisation_relation::Model,
) -> Result<domain::organisation::OrganisationRelation, Error> {
    Ok(domain::organisation::OrganisationRelation {
        kind: word("organisation_relation", "kind", &row.kind)?,
        period: period(
            "organisation_relation",
            row.start_on.as_deref(),
            row.end_on.as_deref(),
        )?,
        stamp: stamp!(row),
        id: row.id,
        from_organisation_id: row.from_organisation_id,
        to_organisation_id: row.to_organisation_id,
    })
}

/// A mandate without its attestations, which are loaded beside it.
pub(crate) fn mandate(row: mandate::Model) -> Result<domain::mandate::Mandate, Error> {
    let holder_of = match (row.city_id, row.organisation_id) {
        (Some(city), _) => domain::mandate::Post::City(city),
        (None, Some(organisation)) => domain::mandate::Post::Organisation(organisation),
        (None, None) => {
            return Err(Error::corrupt(
                "mandate",
                "city_id",
                "null",
                "a mandate is held somewhere",
            ));
        }
    };
    Ok(domain::mandate::Mandate {
        holder_of,
        role: word("mandate", "role", &row.role)?,
        period: period("mandate", row.start_on.as_deref(), row.end_on.as_deref())?,
        attestations: Vec::new(),
        stamp: stamp!(row),
        id: row.id,
        person_id: row.person_id,
        title: row.title,
    })
}

pub(crate) fn contact_point(
    row: contact_point::Model,
) -> Result<domain::person::ContactPoint, Error> {
    Ok(domain::person::ContactPoint {
        role: word("contact_point", "role", &row.role)?,
        phone_kind: row
            .phone_kind
            .as_deref()
            .map(|kind| word("contact_point", "phone_kind", kind))
            .transpose()?,
        stamp: stamp!(row),
        id: row.id,
        organisation_id: row.organisation_id,
        person_id: row.person_id,
        phone: row.phone,
        email: row.email,
        email_redacted: row.email_redacted,
        source_id: row.source_id,
    })
}

pub(crate) fn statement(row: statement::Model) -> Result<domain::person::Statement, Error> {
    Ok(domain::person::Statement {
        stamp: stamp!(row),
        id: row.id,
        person_id: row.person_id,
        title_then: row.title_then,
        text: row.text,
        about_partnership_id: row.about_partnership_id,
        source_id: row.source_id,
    })
}

pub(super) fn member(
    table: &'static str,
    city: Option<i32>,
    organisation: Option<i32>,
) -> Result<domain::membership::Member, Error> {
    match (city, organisation) {
        (Some(city), _) => Ok(domain::membership::Member::City(city)),
        (None, Some(organisation)) => Ok(domain::membership::Member::Organisation(organisation)),
        (None, None) => Err(Error::corrupt(
            table,
            "city_id",
            "null",
            "names neither a city nor an organisation",
        )),
    }
}

pub(crate) fn membership(row: membership::Model) -> Result<domain::membership::Membership, Error> {
    Ok(domain::membership::Membership {
        member: member("membership", row.member_city_id, row.member_organisation_id)?,
        kind: word("membership", "kind", &row.kind)?,
        period: period("membership", row.start_on.as_deref(), row.end_on.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        organisation_id: row.organisation_id,
    })
}

pub(crate) fn stated_figure(
    row: stated_figure::Model,
) -> Result<domain::organisation::StatedFigure, Error> {
    Ok(domain::organisation::StatedFigure {
        qualifier: word("stated_figure", "qualifier", &row.qualifier)?,
        subject: figure_subject(&row)?,
        stamp: stamp!(row),
        id: row.id,
        measure: row.measure,
        value: row.value,
        unit: row.unit,
        as_of: row.as_of,
        source_id: row.source_id,
        note: row.note,
    })
}

pub(super) fn figure_subject(
    row: &stated_figure::Model,
) -> Result<domain::organisation::FigureSubject, Error> {
    use domain::organisation::FigureSubject;
    match (row.organisation_id, row.edition_id, row.award_id) {
        (Some(id), None, None) => Ok(FigureSubject::Organisation(id)),
        (None, Some(id), None) => Ok(FigureSubject::Edition(id)),
        (None, None, Some(id)) => Ok(FigureSubject::Award(id)),
        _ => Err(Error::corrupt(
            "stated_figure",
            "organisation_id",
            "null",
            "a figure has one subject: an organisation, an edition or an award",
        )),
    }
}
