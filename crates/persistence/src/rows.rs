//! Turning rows into domain records.

use std::str::FromStr;

use domain::fuzzy_date::Period;
use domain::{FuzzyDate, Stamp};

use crate::Error;
use crate::entity::*;

pub(crate) fn stamp(
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    version: i32,
) -> Stamp {
    Stamp {
        created_at,
        updated_at,
        version,
    }
}

macro_rules! stamp {
    ($row:expr) => {
        stamp($row.created_at, $row.updated_at, $row.version)
    };
}

/// Parses a stored vocabulary value.
fn word<T: FromStr>(table: &'static str, column: &'static str, value: &str) -> Result<T, Error>
where
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|error| Error::corrupt(table, column, value, error))
}

fn fuzzy(
    table: &'static str,
    column: &'static str,
    value: Option<&str>,
) -> Result<Option<FuzzyDate>, Error> {
    value.map(|text| word(table, column, text)).transpose()
}

fn period(table: &'static str, start: Option<&str>, end: Option<&str>) -> Result<Period, Error> {
    let start = fuzzy(table, "start_on", start)?;
    let end = fuzzy(table, "end_on", end)?;
    Period::new(start, end)
        .map_err(|error| Error::corrupt(table, "end_on", &error.end.edtf(), error))
}

fn json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    column: &'static str,
    value: &str,
) -> Result<T, Error> {
    serde_json::from_str(value).map_err(|error| Error::corrupt(table, column, value, error))
}

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

fn member(
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

fn figure_subject(
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

pub(crate) fn partnership(
    row: partnership::Model,
) -> Result<domain::partnership::Partnership, Error> {
    Ok(domain::partnership::Partnership {
        kind: word("partnership", "kind", &row.kind)?,
        status: word("partnership", "status", &row.status)?,
        provisions: json("partnership", "provisions", &row.provisions)?,
        signed_on: fuzzy("partnership", "signed_on", row.signed_on.as_deref())?,
        period: period(
            "partnership",
            row.start_on.as_deref(),
            row.end_on.as_deref(),
        )?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        summary: row.summary,
        signing_place_city_id: row.signing_place_city_id,
        continues_id: row.continues_id,
        prior_relationship: row.prior_relationship,
        accession: row
            .accession
            .as_deref()
            .map(|a| word("partnership", "accession", a))
            .transpose()?,
    })
}

pub(crate) fn party(row: partnership_party::Model) -> Result<domain::partnership::Party, Error> {
    Ok(domain::partnership::Party {
        actor: member("partnership_party", row.city_id, row.organisation_id)?,
        role: word("partnership_party", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        side_of_party_id: row.side_of_party_id,
        position: row.position,
    })
}

pub(crate) fn signatory(row: signatory::Model) -> Result<domain::partnership::Signatory, Error> {
    Ok(domain::partnership::Signatory {
        capacity: word("signatory", "capacity", &row.capacity)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        person_id: row.person_id,
        party_id: row.party_id,
        title_then: row.title_then,
        position: row.position,
    })
}

pub(crate) fn domain(row: partnership_domain::Model) -> Result<domain::partnership::Domain, Error> {
    Ok(domain::partnership::Domain {
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        position: row.position,
        numeral: row.numeral,
        title: row.title,
        narrative: row.narrative,
    })
}

pub(crate) fn commitment(row: commitment::Model) -> Result<domain::partnership::Commitment, Error> {
    Ok(domain::partnership::Commitment {
        kind: word("commitment", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        domain_id: row.domain_id,
        position: row.position,
        text: row.text,
    })
}

pub(crate) fn follow_up(row: follow_up::Model) -> Result<domain::partnership::FollowUp, Error> {
    Ok(domain::partnership::FollowUp {
        kind: word("follow_up", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        party_id: row.party_id,
        body_organisation_id: row.body_organisation_id,
        frequency: row.frequency,
        description: row.description,
        position: row.position,
    })
}

pub(crate) fn group_purchase(
    row: group_purchase::Model,
) -> Result<domain::group_purchase::GroupPurchase, Error> {
    Ok(domain::group_purchase::GroupPurchase {
        eligibility: row
            .eligibility
            .as_deref()
            .map(|e| word("group_purchase", "eligibility", e))
            .transpose()?,
        status: word("group_purchase", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        description: row.description,
        category: row.category,
        organiser_id: row.organiser_id,
        origin_partnership_id: row.origin_partnership_id,
        tender_start: row.tender_start,
        tender_end: row.tender_end,
        estimated_value: row.estimated_value,
        currency: row.currency,
        supplier_id: row.supplier_id,
        contract_start: row.contract_start,
        contract_end: row.contract_end,
    })
}

pub(crate) fn participation(
    row: participation::Model,
) -> Result<domain::group_purchase::Participation, Error> {
    Ok(domain::group_purchase::Participation {
        status: word("participation", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        group_purchase_id: row.group_purchase_id,
        city_id: row.city_id,
        joined_on: row.joined_on,
        estimated_quantity: row.estimated_quantity,
        estimated_amount: row.estimated_amount,
    })
}

pub(crate) fn programme(row: programme::Model) -> Result<domain::programme::Programme, Error> {
    Ok(domain::programme::Programme {
        participation_mode: word("programme", "participation_mode", &row.participation_mode)?,
        since: fuzzy("programme", "started_on", row.started_on.as_deref())?,
        stakeholders: json("programme", "stakeholders", &row.stakeholders)?,
        rules: json("programme", "rules", &row.rules)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        name: row.name,
        acronym: row.acronym,
        aim: row.aim,
        description: row.description,
        intended_participants: row.intended_participants,
        support_scope: row.support_scope,
        solution_providers: row.solution_providers,
        territory: row.territory,
        territory_city_id: row.territory_city_id,
        duration_months: row.duration_months,
        eligibility: row
            .eligibility
            .as_deref()
            .map(|e| word("programme", "eligibility", e))
            .transpose()?,
    })
}

pub(crate) fn programme_organiser(
    row: programme_organiser::Model,
) -> Result<domain::programme::ProgrammeOrganiser, Error> {
    Ok(domain::programme::ProgrammeOrganiser {
        role: word("programme_organiser", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        programme_id: row.programme_id,
        organisation_id: row.organisation_id,
        note: row.note,
    })
}

pub(crate) fn support_component(
    row: programme_support::Model,
) -> Result<domain::programme::SupportComponent, Error> {
    Ok(domain::programme::SupportComponent {
        kind: word("programme_support", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        programme_id: row.programme_id,
        position: row.position,
        description: row.description,
        provider_id: row.provider_id,
    })
}

pub(crate) fn edition(row: programme_edition::Model) -> Result<domain::programme::Edition, Error> {
    Ok(domain::programme::Edition {
        period: period(
            "programme_edition",
            row.start_on.as_deref(),
            row.end_on.as_deref(),
        )?,
        status: word("programme_edition", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        programme_id: row.programme_id,
        number: row.number,
        duration_months: row.duration_months,
        note: row.note,
        call_opens: row.call_opens,
        call_deadline: row.call_deadline,
    })
}

pub(crate) fn programme_participant(
    row: programme_participant::Model,
) -> Result<domain::programme::Participant, Error> {
    Ok(domain::programme::Participant {
        role: word("programme_participant", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        programme_id: row.programme_id,
        edition_id: row.edition_id,
        city_id: row.city_id,
        organisation_id: row.organisation_id,
        site: row.site,
        mayor_mandate_id: row.mayor_mandate_id,
    })
}

pub(crate) fn award(row: award::Model) -> Result<domain::award::Award, Error> {
    Ok(domain::award::Award {
        kind: word("award", "kind", &row.kind)?,
        since: fuzzy("award", "since_on", row.since_on.as_deref())?,
        milestones: json("award", "milestones", &row.milestones)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        name: row.name,
        organiser_id: row.organiser_id,
        description: row.description,
        frequency: row.frequency,
        prize: row.prize,
    })
}

pub(crate) fn recognition(row: recognition::Model) -> Result<domain::award::Recognition, Error> {
    Ok(domain::award::Recognition {
        level: word("recognition", "level", &row.level)?,
        stamp: stamp!(row),
        id: row.id,
        award_id: row.award_id,
        year: row.year,
        category: row.category,
        city_id: row.city_id,
        organisation_id: row.organisation_id,
        initiative_id: row.initiative_id,
    })
}

pub(crate) fn initiative(row: initiative::Model) -> Result<domain::initiative::Initiative, Error> {
    Ok(domain::initiative::Initiative {
        kind: word("initiative", "kind", &row.kind)?,
        status: word("initiative", "status", &row.status)?,
        period: period("initiative", row.start_on.as_deref(), row.end_on.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        summary: row.summary,
        city_id: row.city_id,
        programme_id: row.programme_id,
        edition_id: row.edition_id,
        partnership_id: row.partnership_id,
        provider_id: row.provider_id,
        adapted_from_id: row.adapted_from_id,
        adaptation: row.adaptation,
    })
}

pub(crate) fn initiative_organisation(
    row: initiative_organisation::Model,
) -> Result<domain::initiative::InitiativeOrganisation, Error> {
    Ok(domain::initiative::InitiativeOrganisation {
        role: word("initiative_organisation", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        initiative_id: row.initiative_id,
        organisation_id: row.organisation_id,
    })
}

pub(crate) fn outcome(row: outcome::Model) -> Result<domain::initiative::Outcome, Error> {
    Ok(domain::initiative::Outcome {
        evidence_level: word("outcome", "evidence_level", &row.evidence_level)?,
        period: period("outcome", row.start_on.as_deref(), row.end_on.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        initiative_id: row.initiative_id,
        position: row.position,
        indicator: row.indicator,
        unit: row.unit,
        baseline: row.baseline,
        target: row.target,
        actual: row.actual,
        source_id: row.source_id,
        note: row.note,
    })
}

pub(crate) fn lesson(row: lesson::Model) -> Result<domain::initiative::Lesson, Error> {
    let topics: Vec<String> = json("lesson", "topics", &row.topics)?;
    Ok(domain::initiative::Lesson {
        kind: word("lesson", "kind", &row.kind)?,
        topics: topics
            .iter()
            .map(|topic| word("lesson", "topics", topic))
            .collect::<Result<_, _>>()?,
        stamp: stamp!(row),
        id: row.id,
        initiative_id: row.initiative_id,
        position: row.position,
        text: row.text,
    })
}

pub(crate) fn questionnaire(
    row: questionnaire::Model,
) -> Result<domain::diagnostic::Questionnaire, Error> {
    Ok(domain::diagnostic::Questionnaire {
        content: json("questionnaire", "content", &row.content)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        tool_id: row.tool_id,
        revision: row.revision,
        title: row.title,
        is_example: row.is_example,
        published_on: row.published_on,
    })
}

pub(crate) fn assessment(row: assessment::Model) -> Result<domain::diagnostic::Assessment, Error> {
    Ok(domain::diagnostic::Assessment {
        answers: json("assessment", "answers", &row.answers)?,
        stamp: stamp!(row),
        id: row.id,
        questionnaire_id: row.questionnaire_id,
        city_id: row.city_id,
        assessed_on: row.assessed_on,
        overall_score: row.overall_score,
    })
}

pub(crate) fn report(row: partnership_report::Model) -> Result<domain::partnership::Report, Error> {
    Ok(domain::partnership::Report {
        period: period(
            "partnership_report",
            row.start_on.as_deref(),
            row.end_on.as_deref(),
        )?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        summary: row.summary,
        published_on: row.published_on,
        source_id: row.source_id,
    })
}

pub(crate) fn indicator(
    row: report_indicator::Model,
) -> Result<domain::partnership::Indicator, Error> {
    Ok(domain::partnership::Indicator {
        stamp: stamp!(row),
        id: row.id,
        report_id: row.report_id,
        position: row.position,
        theme_id: row.theme_id,
        name: row.name,
        unit: row.unit,
        target: row.target,
        value: row.value,
        note: row.note,
    })
}

pub(crate) fn event_participant(
    row: event_participant::Model,
) -> Result<domain::event::EventParticipant, Error> {
    Ok(domain::event::EventParticipant {
        stamp: stamp!(row),
        id: row.id,
        event_id: row.event_id,
        city_id: row.city_id,
        organisation_id: row.organisation_id,
        person_id: row.person_id,
        role: row.role,
    })
}

pub(crate) fn diagnostic_tool(
    row: diagnostic_tool::Model,
) -> Result<domain::diagnostic::DiagnosticTool, Error> {
    Ok(domain::diagnostic::DiagnosticTool {
        audiences: json("diagnostic_tool", "audiences", &row.audiences)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        name: row.name,
        publisher_id: row.publisher_id,
        url: row.url,
        availability: row.availability,
        available_by: row.available_by,
        purpose: row.purpose,
        goal: row.goal,
        origin_organisation_id: row.origin_organisation_id,
        origin: row.origin,
    })
}

pub(crate) fn event(row: event::Model) -> Result<domain::event::Event, Error> {
    Ok(domain::event::Event {
        kind: word("event", "kind", &row.kind)?,
        status: row
            .status
            .as_deref()
            .map(|s| word("event", "status", s))
            .transpose()?,
        date: fuzzy("event", "date_on", row.date_on.as_deref())?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        recurrence: row.recurrence,
        description: row.description,
        place_city_id: row.place_city_id,
        organiser_id: row.organiser_id,
        partnership_id: row.partnership_id,
        programme_id: row.programme_id,
    })
}

pub(crate) fn api_token(row: api_token::Model) -> Result<domain::access::ApiToken, Error> {
    Ok(domain::access::ApiToken {
        role: word("api_token", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        jti: row.jti,
        name: row.name,
        organisation_id: row.organisation_id,
        key_id: row.key_id,
        expires_at: row.expires_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    })
}

pub(crate) fn audit_event(row: audit_event::Model) -> Result<domain::access::AuditEvent, Error> {
    Ok(domain::access::AuditEvent {
        stamp: stamp(row.at, row.at, 1),
        id: row.id,
        token_id: row.token_id,
        actor_name: row.actor_name,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        at: row.at,
        before: row.before,
        after: row.after,
    })
}
