//! Rows of collective action: programmes, awards, initiatives, diagnostics, reports and events.

use super::*;
use crate::Error;

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
