//! Seed records of collective action: programmes with their organisers, support, editions
//! and participants; awards and challenges; self-diagnostic tools; events.

use chrono::NaiveDate;
use domain::FuzzyDate;
use domain::organisation::FigureSubject;
use domain::search::fold;
use sea_orm::ActiveModelTrait;
use sea_orm::ActiveValue::Set;
use serde::Deserialize;

use super::{Fact, FigureSeed, Loader, edtf, json, now};
use crate::Error;
use crate::entity::*;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProgrammeSeed {
    slug: String,
    name: String,
    acronym: Option<String>,
    aim: Option<String>,
    description: Option<String>,
    intended_participants: Option<String>,
    #[serde(default)]
    stakeholders: Vec<String>,
    support_scope: Option<String>,
    #[serde(default)]
    rules: Vec<String>,
    solution_providers: Option<String>,
    participation_mode: domain::programme::ParticipationMode,
    territory: Option<String>,
    territory_city: Option<String>,
    since: Option<FuzzyDate>,
    duration_months: Option<i32>,
    eligibility: Option<domain::group_purchase::Eligibility>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    organiser: Vec<OrganiserSeed>,
    #[serde(default)]
    support: Vec<SupportSeed>,
    #[serde(default)]
    edition: Vec<EditionSeed>,
    /// Participants outside any edition: the carriers of a carried programme.
    #[serde(default)]
    participant: Vec<ParticipantSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganiserSeed {
    organisation: String,
    role: domain::programme::OrganiserRole,
    note: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SupportSeed {
    kind: domain::programme::SupportKind,
    description: String,
    provider: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionSeed {
    number: i32,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    duration_months: Option<i32>,
    status: domain::programme::EditionStatus,
    note: Option<String>,
    call_opens: Option<NaiveDate>,
    call_deadline: Option<NaiveDate>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    figure: Vec<FigureSeed>,
    #[serde(default)]
    participant: Vec<ParticipantSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParticipantSeed {
    city: Option<String>,
    organisation: Option<String>,
    role: domain::programme::ParticipantRole,
    site: Option<String>,
    /// The person whose mayor's mandate of `city` this file records.
    mayor: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AwardSeed {
    slug: String,
    name: String,
    kind: domain::award::AwardKind,
    organiser: String,
    description: Option<String>,
    since: Option<FuzzyDate>,
    frequency: Option<String>,
    prize: Option<String>,
    #[serde(default)]
    milestones: Vec<domain::award::Milestone>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    figure: Vec<FigureSeed>,
    #[serde(default)]
    recognition: Vec<RecognitionSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecognitionSeed {
    year: i32,
    level: domain::award::RecognitionLevel,
    category: Option<String>,
    city: Option<String>,
    organisation: Option<String>,
    initiative: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiagnosticToolSeed {
    slug: String,
    name: String,
    publisher: String,
    url: Option<String>,
    #[serde(default)]
    audiences: Vec<String>,
    availability: Option<String>,
    available_by: Option<NaiveDate>,
    purpose: Option<String>,
    goal: Option<String>,
    origin_organisation: Option<String>,
    origin: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventSeed {
    slug: String,
    title: String,
    #[serde(default)]
    title_is_descriptive: bool,
    kind: domain::event::EventKind,
    status: Option<domain::event::EventStatus>,
    date: Option<FuzzyDate>,
    recurrence: Option<String>,
    description: Option<String>,
    place: Option<String>,
    organiser: Option<String>,
    partnership: Option<String>,
    programme: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct InitiativeSeed {
    slug: String,
    title: String,
    kind: domain::initiative::InitiativeKind,
    summary: Option<String>,
    status: domain::initiative::InitiativeStatus,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    city: Option<String>,
    programme: Option<String>,
    /// The number of the programme's edition it belongs to.
    edition: Option<i32>,
    partnership: Option<String>,
    provider: Option<String>,
    adapted_from: Option<String>,
    adaptation: Option<String>,
    #[serde(default)]
    themes: Vec<String>,
    #[serde(default)]
    facts: Vec<Fact>,
    #[serde(default)]
    organisation: Vec<InitiativeOrganisationSeed>,
    #[serde(default)]
    outcome: Vec<OutcomeSeed>,
    #[serde(default)]
    lesson: Vec<LessonSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InitiativeOrganisationSeed {
    organisation: String,
    role: domain::initiative::InitiativeRole,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeSeed {
    indicator: String,
    unit: Option<String>,
    baseline: Option<f64>,
    target: Option<f64>,
    actual: Option<f64>,
    start: Option<FuzzyDate>,
    end: Option<FuzzyDate>,
    evidence_level: domain::initiative::EvidenceLevel,
    note: Option<String>,
    #[serde(default)]
    facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonSeed {
    kind: domain::initiative::LessonKind,
    text: String,
    #[serde(default)]
    topics: Vec<domain::initiative::LessonTopic>,
    #[serde(default)]
    facts: Vec<Fact>,
}

impl Loader<'_> {
    pub(super) async fn load_initiative(&mut self, seed: &InitiativeSeed) -> Result<(), Error> {
        domain::slug::Slug::parse(&seed.slug).map_err(|e| self.error(e))?;
        let period = self.period(seed.start, seed.end)?;
        let city_id = self.optional_id("city", seed.city.as_deref()).await?;
        let programme_id = self
            .optional_id("programme", seed.programme.as_deref())
            .await?;
        let edition_id = match (programme_id, seed.edition) {
            (Some(programme_id), Some(number)) => {
                Some(self.edition_id(programme_id, number).await?)
            }
            (None, Some(_)) => {
                return Err(self.error(format!("{}: an edition needs its programme", seed.slug)));
            }
            _ => None,
        };
        let partnership_id = self
            .optional_id("partnership", seed.partnership.as_deref())
            .await?;
        let provider_id = self
            .optional_id("organisation", seed.provider.as_deref())
            .await?;
        let adapted_from_id = self
            .optional_id("initiative", seed.adapted_from.as_deref())
            .await?;
        let row = initiative::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            slug: Set(seed.slug.clone()),
            title: Set(seed.title.clone()),
            search_name: Set(fold(&seed.title)),
            kind: Set(seed.kind.as_str().to_owned()),
            summary: Set(seed.summary.clone()),
            status: Set(seed.status.as_str().to_owned()),
            start_on: Set(edtf(period.start)),
            start_earliest: Set(period.start.map(|d| d.earliest())),
            end_on: Set(edtf(period.end)),
            end_latest: Set(period.end.map(|d| d.latest())),
            city_id: Set(city_id),
            programme_id: Set(programme_id),
            edition_id: Set(edition_id),
            partnership_id: Set(partnership_id),
            provider_id: Set(provider_id),
            adapted_from_id: Set(adapted_from_id),
            adaptation: Set(seed.adaptation.clone()),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        let initiative_id = row.id;
        self.ids
            .insert(format!("initiative:{}", seed.slug), initiative_id);
        self.link(
            "initiative_theme",
            ("initiative_id", initiative_id),
            &seed.themes,
        )
        .await?;
        self.cite("initiative", initiative_id, &seed.facts).await?;
        for organisation in &seed.organisation {
            let organisation_id = self.id("organisation", &organisation.organisation).await?;
            let row = initiative_organisation::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                initiative_id: Set(initiative_id),
                organisation_id: Set(organisation_id),
                role: Set(organisation.role.as_str().to_owned()),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("initiative_organisation", row.id, &organisation.facts)
                .await?;
        }
        for (index, outcome) in seed.outcome.iter().enumerate() {
            let period = self.period(outcome.start, outcome.end)?;
            let row = outcome::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                initiative_id: Set(initiative_id),
                position: Set(index as i32 + 1),
                indicator: Set(outcome.indicator.clone()),
                unit: Set(outcome.unit.clone()),
                baseline: Set(outcome.baseline),
                target: Set(outcome.target),
                actual: Set(outcome.actual),
                start_on: Set(edtf(period.start)),
                start_earliest: Set(period.start.map(|d| d.earliest())),
                end_on: Set(edtf(period.end)),
                end_latest: Set(period.end.map(|d| d.latest())),
                evidence_level: Set(outcome.evidence_level.as_str().to_owned()),
                source_id: Set(Some(self.source_id)),
                note: Set(outcome.note.clone()),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("outcome", row.id, &outcome.facts).await?;
        }
        for (index, lesson) in seed.lesson.iter().enumerate() {
            let row = lesson::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                initiative_id: Set(initiative_id),
                position: Set(index as i32 + 1),
                kind: Set(lesson.kind.as_str().to_owned()),
                text: Set(lesson.text.clone()),
                search_name: Set(fold(&lesson.text)),
                topics: Set(json(&lesson.topics)),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("lesson", row.id, &lesson.facts).await?;
        }
        Ok(())
    }

    /// The id of edition `number` of a programme.
    async fn edition_id(
        &mut self,
        programme_id: domain::Id,
        number: i32,
    ) -> Result<domain::Id, Error> {
        use sea_orm::sea_query::{Expr, ExprTrait};
        use sea_orm::{EntityTrait, QueryFilter};
        programme_edition::Entity::find()
            .filter(Expr::col("programme_id").eq(programme_id))
            .filter(Expr::col("number").eq(number))
            .one(self.tx)
            .await?
            .map(|row| row.id)
            .ok_or_else(|| self.error(format!("the programme has no edition {number}")))
    }

    pub(super) async fn load_programme(&mut self, seed: &ProgrammeSeed) -> Result<(), Error> {
        domain::slug::Slug::parse(&seed.slug).map_err(|e| self.error(e))?;
        let territory_city_id = self
            .optional_id("city", seed.territory_city.as_deref())
            .await?;
        let searchable = match &seed.acronym {
            Some(acronym) => format!("{} {}", seed.name, acronym),
            None => seed.name.clone(),
        };
        let row = programme::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            slug: Set(seed.slug.clone()),
            name: Set(seed.name.clone()),
            search_name: Set(fold(&searchable)),
            acronym: Set(seed.acronym.clone()),
            aim: Set(seed.aim.clone()),
            description: Set(seed.description.clone()),
            intended_participants: Set(seed.intended_participants.clone()),
            stakeholders: Set(json(&seed.stakeholders)),
            support_scope: Set(seed.support_scope.clone()),
            rules: Set(json(&seed.rules)),
            solution_providers: Set(seed.solution_providers.clone()),
            participation_mode: Set(seed.participation_mode.as_str().to_owned()),
            territory: Set(seed.territory.clone()),
            territory_city_id: Set(territory_city_id),
            started_on: Set(edtf(seed.since)),
            start_earliest: Set(seed.since.map(|d| d.earliest())),
            duration_months: Set(seed.duration_months),
            eligibility: Set(seed.eligibility.map(|e| e.as_str().to_owned())),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        let programme_id = row.id;
        self.ids
            .insert(format!("programme:{}", seed.slug), programme_id);
        self.link(
            "programme_theme",
            ("programme_id", programme_id),
            &seed.themes,
        )
        .await?;
        self.cite("programme", programme_id, &seed.facts).await?;

        for organiser in &seed.organiser {
            let organisation_id = self.id("organisation", &organiser.organisation).await?;
            let row = programme_organiser::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                programme_id: Set(programme_id),
                organisation_id: Set(organisation_id),
                role: Set(organiser.role.as_str().to_owned()),
                note: Set(organiser.note.clone()),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("programme_organiser", row.id, &organiser.facts)
                .await?;
        }

        for (index, support) in seed.support.iter().enumerate() {
            let provider_id = self
                .optional_id("organisation", support.provider.as_deref())
                .await?;
            let row = programme_support::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                programme_id: Set(programme_id),
                position: Set(index as i32 + 1),
                kind: Set(support.kind.as_str().to_owned()),
                description: Set(support.description.clone()),
                provider_id: Set(provider_id),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("programme_support", row.id, &support.facts)
                .await?;
        }

        let mut previous: Option<domain::programme::Edition> = None;
        for edition in &seed.edition {
            let period = self.period(edition.start, edition.end)?;
            if let Some(previous) = &previous {
                domain::programme::check_follows(previous, edition.number, &period)
                    .map_err(|e| self.error(format!("{}: {e}", seed.slug)))?;
            }
            let row = programme_edition::ActiveModel {
                created_at: Set(now()),
                updated_at: Set(now()),
                version: Set(1),
                programme_id: Set(programme_id),
                number: Set(edition.number),
                start_on: Set(edtf(period.start)),
                start_earliest: Set(period.start.map(|d| d.earliest())),
                end_on: Set(edtf(period.end)),
                end_latest: Set(period.end.map(|d| d.latest())),
                duration_months: Set(edition.duration_months),
                status: Set(edition.status.as_str().to_owned()),
                note: Set(edition.note.clone()),
                call_opens: Set(edition.call_opens),
                call_deadline: Set(edition.call_deadline),
                ..Default::default()
            }
            .insert(self.tx)
            .await?;
            self.cite("programme_edition", row.id, &edition.facts)
                .await?;
            for figure in &edition.figure {
                self.insert_figure(figure, FigureSubject::Edition(row.id))
                    .await?;
            }
            for participant in &edition.participant {
                self.load_participant(programme_id, Some(row.id), participant)
                    .await?;
            }
            previous = Some(crate::rows::edition(row)?);
        }

        for participant in &seed.participant {
            self.load_participant(programme_id, None, participant)
                .await?;
        }
        Ok(())
    }

    async fn load_participant(
        &mut self,
        programme_id: domain::Id,
        edition_id: Option<domain::Id>,
        seed: &ParticipantSeed,
    ) -> Result<(), Error> {
        let city_id = self.optional_id("city", seed.city.as_deref()).await?;
        let organisation_id = self
            .optional_id("organisation", seed.organisation.as_deref())
            .await?;
        if city_id.is_none() && organisation_id.is_none() {
            return Err(self.error("a programme participant is a city or an organisation"));
        }
        let mayor_mandate_id = match (&seed.mayor, &seed.city) {
            (Some(person), Some(city)) => {
                let key = format!("mandate:{person}@{city}");
                Some(*self.ids.get(&key).ok_or_else(|| {
                    self.error(format!(
                        "this file records no mandate of {person} in {city}"
                    ))
                })?)
            }
            (Some(person), None) => {
                return Err(self.error(format!("{person} is named mayor of no city")));
            }
            _ => None,
        };
        let row = programme_participant::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            programme_id: Set(programme_id),
            edition_id: Set(edition_id),
            city_id: Set(city_id),
            organisation_id: Set(organisation_id),
            role: Set(seed.role.as_str().to_owned()),
            site: Set(seed.site.clone()),
            mayor_mandate_id: Set(mayor_mandate_id),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        self.cite("programme_participant", row.id, &seed.facts)
            .await
    }

    pub(super) async fn load_award(&mut self, seed: &AwardSeed) -> Result<(), Error> {
        domain::slug::Slug::parse(&seed.slug).map_err(|e| self.error(e))?;
        for milestone in &seed.milestones {
            FuzzyDate::parse(&milestone.date).map_err(|e| self.error(e))?;
        }
        let organiser_id = self.id("organisation", &seed.organiser).await?;
        let row = award::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            slug: Set(seed.slug.clone()),
            name: Set(seed.name.clone()),
            search_name: Set(fold(&seed.name)),
            kind: Set(seed.kind.as_str().to_owned()),
            organiser_id: Set(organiser_id),
            description: Set(seed.description.clone()),
            since_on: Set(edtf(seed.since)),
            since_earliest: Set(seed.since.map(|d| d.earliest())),
            frequency: Set(seed.frequency.clone()),
            prize: Set(seed.prize.clone()),
            milestones: Set(json(&seed.milestones)),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        self.ids.insert(format!("award:{}", seed.slug), row.id);
        self.link("award_theme", ("award_id", row.id), &seed.themes)
            .await?;
        for figure in &seed.figure {
            self.insert_figure(figure, FigureSubject::Award(row.id))
                .await?;
        }
        self.cite("award", row.id, &seed.facts).await?;
        let award = crate::rows::award(row)?;
        for recognition in &seed.recognition {
            self.load_recognition(&award, recognition).await?;
        }
        Ok(())
    }

    async fn load_recognition(
        &mut self,
        award: &domain::award::Award,
        seed: &RecognitionSeed,
    ) -> Result<(), Error> {
        let city_id = self.optional_id("city", seed.city.as_deref()).await?;
        let organisation_id = self
            .optional_id("organisation", seed.organisation.as_deref())
            .await?;
        domain::award::check_recognition(
            award,
            seed.year,
            city_id.is_some() || organisation_id.is_some(),
        )
        .map_err(|e| self.error(format!("{}: {e}", award.slug)))?;
        let row = recognition::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            award_id: Set(award.id),
            year: Set(seed.year),
            level: Set(seed.level.as_str().to_owned()),
            category: Set(seed.category.clone()),
            city_id: Set(city_id),
            organisation_id: Set(organisation_id),
            initiative_id: Set(self
                .optional_id("initiative", seed.initiative.as_deref())
                .await?),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        self.cite("recognition", row.id, &seed.facts).await
    }

    pub(super) async fn load_diagnostic_tool(
        &mut self,
        seed: &DiagnosticToolSeed,
    ) -> Result<(), Error> {
        domain::slug::Slug::parse(&seed.slug).map_err(|e| self.error(e))?;
        let publisher_id = self.id("organisation", &seed.publisher).await?;
        let origin_organisation_id = self
            .optional_id("organisation", seed.origin_organisation.as_deref())
            .await?;
        let row = diagnostic_tool::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            slug: Set(seed.slug.clone()),
            name: Set(seed.name.clone()),
            search_name: Set(fold(&seed.name)),
            publisher_id: Set(publisher_id),
            url: Set(seed.url.clone()),
            audiences: Set(json(&seed.audiences)),
            availability: Set(seed.availability.clone()),
            available_by: Set(seed.available_by),
            purpose: Set(seed.purpose.clone()),
            goal: Set(seed.goal.clone()),
            origin_organisation_id: Set(origin_organisation_id),
            origin: Set(seed.origin.clone()),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        self.ids
            .insert(format!("diagnostic_tool:{}", seed.slug), row.id);
        self.cite("diagnostic_tool", row.id, &seed.facts).await
    }

    pub(super) async fn load_event(&mut self, seed: &EventSeed) -> Result<(), Error> {
        domain::slug::Slug::parse(&seed.slug).map_err(|e| self.error(e))?;
        let place_city_id = self.optional_id("city", seed.place.as_deref()).await?;
        let organiser_id = self
            .optional_id("organisation", seed.organiser.as_deref())
            .await?;
        let partnership_id = self
            .optional_id("partnership", seed.partnership.as_deref())
            .await?;
        let programme_id = self
            .optional_id("programme", seed.programme.as_deref())
            .await?;
        let row = event::ActiveModel {
            created_at: Set(now()),
            updated_at: Set(now()),
            version: Set(1),
            slug: Set(seed.slug.clone()),
            title: Set(seed.title.clone()),
            title_is_descriptive: Set(seed.title_is_descriptive),
            search_name: Set(fold(&seed.title)),
            kind: Set(seed.kind.as_str().to_owned()),
            status: Set(seed.status.map(|s| s.as_str().to_owned())),
            date_on: Set(edtf(seed.date)),
            date_earliest: Set(seed.date.map(|d| d.earliest())),
            recurrence: Set(seed.recurrence.clone()),
            description: Set(seed.description.clone()),
            place_city_id: Set(place_city_id),
            organiser_id: Set(organiser_id),
            partnership_id: Set(partnership_id),
            programme_id: Set(programme_id),
            ..Default::default()
        }
        .insert(self.tx)
        .await?;
        self.ids.insert(format!("event:{}", seed.slug), row.id);
        self.cite("event", row.id, &seed.facts).await
    }
}
