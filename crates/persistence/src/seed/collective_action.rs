//! Seed records of collective action: programmes with their organisers, support, editions
//! and participants; awards and challenges; self-diagnostic tools; events.

use chrono::NaiveDate;
use domain::FuzzyDate;
use domain::organisation::FigureSubject;
use serde::Deserialize;

use super::{Fact, FigureSeed, Loader};
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
        let new = crate::initiative::NewInitiative {
            slug: seed.slug.clone(),
            title: seed.title.clone(),
            kind: seed.kind,
            summary: seed.summary.clone(),
            status: seed.status,
            start: seed.start,
            end: seed.end,
            city_id: self.optional_id("city", seed.city.as_deref()).await?,
            programme_id,
            edition_id,
            partnership_id: self
                .optional_id("partnership", seed.partnership.as_deref())
                .await?,
            provider_id: self
                .optional_id("organisation", seed.provider.as_deref())
                .await?,
            adapted_from_id: self
                .optional_id("initiative", seed.adapted_from.as_deref())
                .await?,
            adaptation: seed.adaptation.clone(),
            themes: seed.themes.clone(),
            leads: Vec::new(),
        };
        let initiative = crate::initiative::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        let initiative_id = initiative.id;
        self.ids
            .insert(format!("initiative:{}", seed.slug), initiative_id);
        self.cite("initiative", initiative_id, &seed.facts).await?;
        for organisation in &seed.organisation {
            let organisation_id = self.id("organisation", &organisation.organisation).await?;
            let id = crate::initiative::add_organisation(
                self.unit,
                initiative_id,
                organisation_id,
                organisation.role,
            )
            .await
            .map_err(|e| self.refused(e))?
            .id;
            self.cite("initiative_organisation", id, &organisation.facts)
                .await?;
        }
        for outcome in &seed.outcome {
            let new = crate::initiative::outcome::NewOutcome {
                initiative_id,
                indicator: outcome.indicator.clone(),
                unit: outcome.unit.clone(),
                baseline: outcome.baseline,
                target: outcome.target,
                actual: outcome.actual,
                start: outcome.start,
                end: outcome.end,
                evidence_level: outcome.evidence_level,
                source_id: Some(self.source_id),
                note: outcome.note.clone(),
            };
            let added = crate::initiative::outcome::add(self.unit, new)
                .await
                .map_err(|e| self.refused(e))?;
            self.cite("outcome", added.id, &outcome.facts).await?;
        }
        for lesson in &seed.lesson {
            let new = crate::initiative::lesson::NewLesson {
                initiative_id,
                kind: lesson.kind,
                text: lesson.text.clone(),
                topics: lesson.topics.clone(),
            };
            let added = crate::initiative::lesson::add(self.unit, new)
                .await
                .map_err(|e| self.refused(e))?;
            self.cite("lesson", added.id, &lesson.facts).await?;
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
        let new = crate::programme::NewProgramme {
            slug: seed.slug.clone(),
            name: seed.name.clone(),
            acronym: seed.acronym.clone(),
            aim: seed.aim.clone(),
            description: seed.description.clone(),
            participation_mode: seed.participation_mode,
            eligibility: seed.eligibility,
            territory: seed.territory.clone(),
            since: seed.since,
            duration_months: seed.duration_months,
            themes: seed.themes.clone(),
            organisers: Vec::new(),
            intended_participants: seed.intended_participants.clone(),
            stakeholders: seed.stakeholders.clone(),
            support_scope: seed.support_scope.clone(),
            rules: seed.rules.clone(),
            solution_providers: seed.solution_providers.clone(),
            territory_city_id: self
                .optional_id("city", seed.territory_city.as_deref())
                .await?,
        };
        let programme = crate::programme::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        let programme_id = programme.id;
        self.ids
            .insert(format!("programme:{}", seed.slug), programme_id);
        self.cite("programme", programme_id, &seed.facts).await?;

        for organiser in &seed.organiser {
            let new = crate::programme::NewOrganiser {
                organisation_id: self.id("organisation", &organiser.organisation).await?,
                role: organiser.role,
                note: organiser.note.clone(),
            };
            let id = crate::programme::add_organiser(self.unit, programme_id, new)
                .await
                .map_err(|e| self.refused(e))?
                .id;
            self.cite("programme_organiser", id, &organiser.facts)
                .await?;
        }

        for support in &seed.support {
            let new = crate::programme::NewSupport {
                kind: support.kind,
                description: support.description.clone(),
                provider_id: self
                    .optional_id("organisation", support.provider.as_deref())
                    .await?,
            };
            let id = crate::programme::add_support(self.unit, programme_id, new)
                .await
                .map_err(|e| self.refused(e))?
                .id;
            self.cite("programme_support", id, &support.facts).await?;
        }

        for edition in &seed.edition {
            let new = crate::programme::edition::NewEdition {
                programme_id,
                number: edition.number,
                start: edition.start,
                end: edition.end,
                duration_months: edition.duration_months,
                status: edition.status,
                call_opens: edition.call_opens,
                call_deadline: edition.call_deadline,
                note: edition.note.clone(),
            };
            let added = crate::programme::edition::add(self.unit, new)
                .await
                .map_err(|e| self.error(format!("{}: {}", seed.slug, self.refused(e))))?;
            self.cite("programme_edition", added.id, &edition.facts)
                .await?;
            for figure in &edition.figure {
                self.insert_figure(figure, FigureSubject::Edition(added.id))
                    .await?;
            }
            for participant in &edition.participant {
                self.load_participant(programme_id, Some(added.id), participant)
                    .await?;
            }
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
        let new = crate::programme::NewParticipant {
            programme_id,
            edition_id,
            city_id: self.optional_id("city", seed.city.as_deref()).await?,
            organisation_id: self
                .optional_id("organisation", seed.organisation.as_deref())
                .await?,
            role: seed.role,
            site: seed.site.clone(),
            mayor_mandate_id,
        };
        let participant = crate::programme::add_participant(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.cite("programme_participant", participant.id, &seed.facts)
            .await
    }

    pub(super) async fn load_award(&mut self, seed: &AwardSeed) -> Result<(), Error> {
        let new = crate::award::NewAward {
            slug: seed.slug.clone(),
            name: seed.name.clone(),
            kind: seed.kind,
            organiser_id: self.id("organisation", &seed.organiser).await?,
            description: seed.description.clone(),
            since: seed.since,
            frequency: seed.frequency.clone(),
            prize: seed.prize.clone(),
            themes: seed.themes.clone(),
            milestones: seed.milestones.clone(),
        };
        let award = crate::award::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids.insert(format!("award:{}", seed.slug), award.id);
        for figure in &seed.figure {
            self.insert_figure(figure, FigureSubject::Award(award.id))
                .await?;
        }
        self.cite("award", award.id, &seed.facts).await?;
        for recognition in &seed.recognition {
            let new = crate::award::NewRecognition {
                award_id: award.id,
                year: recognition.year,
                level: recognition.level,
                category: recognition.category.clone(),
                city_id: self
                    .optional_id("city", recognition.city.as_deref())
                    .await?,
                organisation_id: self
                    .optional_id("organisation", recognition.organisation.as_deref())
                    .await?,
                initiative_id: self
                    .optional_id("initiative", recognition.initiative.as_deref())
                    .await?,
            };
            let added = crate::award::add_recognition(self.unit, new)
                .await
                .map_err(|e| self.error(format!("{}: {}", award.slug, self.refused(e))))?;
            self.cite("recognition", added.id, &recognition.facts)
                .await?;
        }
        Ok(())
    }

    pub(super) async fn load_diagnostic_tool(
        &mut self,
        seed: &DiagnosticToolSeed,
    ) -> Result<(), Error> {
        let new = crate::diagnostic_tool::NewTool {
            slug: seed.slug.clone(),
            name: seed.name.clone(),
            publisher_id: self.id("organisation", &seed.publisher).await?,
            audiences: seed.audiences.clone(),
            details: crate::diagnostic_tool::ToolDetails {
                url: seed.url.clone(),
                availability: seed.availability.clone(),
                available_by: seed.available_by,
                purpose: seed.purpose.clone(),
                goal: seed.goal.clone(),
                origin_organisation_id: self
                    .optional_id("organisation", seed.origin_organisation.as_deref())
                    .await?,
                origin: seed.origin.clone(),
            },
        };
        let id = crate::diagnostic_tool::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?
            .id;
        self.ids
            .insert(format!("diagnostic_tool:{}", seed.slug), id);
        self.cite("diagnostic_tool", id, &seed.facts).await
    }

    pub(super) async fn load_event(&mut self, seed: &EventSeed) -> Result<(), Error> {
        let new = crate::event::NewEvent {
            slug: seed.slug.clone(),
            title: seed.title.clone(),
            kind: seed.kind,
            status: seed.status,
            date: seed.date,
            description: seed.description.clone(),
            place_city_id: self.optional_id("city", seed.place.as_deref()).await?,
            organiser_id: self
                .optional_id("organisation", seed.organiser.as_deref())
                .await?,
            partnership_id: self
                .optional_id("partnership", seed.partnership.as_deref())
                .await?,
            programme_id: self
                .optional_id("programme", seed.programme.as_deref())
                .await?,
            participants: Vec::new(),
            title_is_descriptive: seed.title_is_descriptive,
            recurrence: seed.recurrence.clone(),
        };
        let event = crate::event::create(self.unit, new)
            .await
            .map_err(|e| self.refused(e))?;
        self.ids.insert(format!("event:{}", seed.slug), event.id);
        self.cite("event", event.id, &seed.facts).await
    }
}
