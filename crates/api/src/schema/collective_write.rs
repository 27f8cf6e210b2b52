//! Writes of collective action: editions and participants of programmes (editors, or a
//! partner of the owner or co-animator), recognitions (editors, or a partner of the award's
//! organiser), initiatives with their outcomes and lessons (editors, a partner of an
//! organisation the initiative's city belongs to, or of an organisation leading it).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::caller;
use crate::schema::award::Recognition;
use crate::schema::enums::{
    EditionStatus, EvidenceLevel, InitiativeKind, InitiativeStatus, LessonKind, LessonTopic,
    ProgrammeParticipantRole, RecognitionLevel,
};
use crate::schema::initiative::{Initiative, Lesson, Outcome};
use crate::schema::programme::{Edition, ProgrammeParticipant};
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, UserError, input_date, outcome};
use domain::source::RecordType;

/// Declares a mutation payload: the record written, or what to fix.
macro_rules! payload {
    ($(#[doc = $doc:literal])* $name:ident { $field:ident : $record:ty }) => {
        $(#[doc = $doc])*
        #[derive(SimpleObject)]
        pub struct $name {
            /// The record written; null when the input has errors.
            pub $field: Option<$record>,
            /// What to fix in the input, if anything; nothing is stored then.
            pub user_errors: Vec<UserError>,
        }

        impl $name {
            fn rejected(error: UserError) -> Self {
                $name { $field: None, user_errors: vec![error] }
            }
        }
    };
}

payload!(/// The result of adding an edition.
    EditionPayload { edition: Edition });
payload!(/// The result of adding a programme participant.
    ProgrammeParticipantPayload { participant: ProgrammeParticipant });
payload!(/// The result of recording a recognition.
    RecognitionPayload { recognition: Recognition });
payload!(/// The result of writing an initiative.
    InitiativePayload { initiative: Initiative });
payload!(/// The result of adding an outcome.
    OutcomePayload { outcome: Outcome });
payload!(/// The result of adding a lesson.
    LessonPayload { lesson: Lesson });

/// A new edition of a programme.
#[derive(InputObject)]
pub struct AddEditionInput {
    /// The programme.
    #[doc = named_by_slug!()]
    pub programme: ID,
    /// Its number: higher than the last edition's.
    pub number: i32,
    /// When it starts, as known (`2025`, `2025-09`); it may not surely start before the last
    /// edition ends.
    pub start: Option<String>,
    /// When it ends, as known.
    pub end: Option<String>,
    /// How long it supports participants, in months.
    pub duration_months: Option<i32>,
    /// Where it stands.
    pub status: EditionStatus,
    /// The first day of its call for applications.
    pub call_opens: Option<Date>,
    /// The last day of its call for applications.
    pub call_deadline: Option<Date>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A participant of a programme or one of its editions.
#[derive(InputObject)]
pub struct AddProgrammeParticipantInput {
    /// The programme.
    #[doc = named_by_slug!()]
    pub programme: ID,
    /// The edition, for a laureate: its global id.
    pub edition: Option<ID>,
    /// The laureate city, or the territory a carrier is mandated in.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The carrier organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// How it takes part.
    pub role: ProgrammeParticipantRole,
    /// The site or district concerned.
    pub site: Option<String>,
}

/// A recognition by an award or challenge.
#[derive(InputObject)]
pub struct AddRecognitionInput {
    /// The award or challenge.
    #[doc = named_by_slug!()]
    pub award: ID,
    /// The year; not before the award existed.
    pub year: i32,
    /// How far the recipient went.
    pub level: RecognitionLevel,
    /// The category, when the award has several.
    pub category: Option<String>,
    /// The city recognised.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation recognised.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The initiative rewarded.
    #[doc = named_by_slug!()]
    pub initiative: Option<ID>,
}

/// A new initiative.
#[derive(InputObject)]
pub struct CreateInitiativeInput {
    /// The human key (lowercase letters, digits and hyphens).
    pub slug: String,
    /// Its title.
    pub title: String,
    /// What kind of initiative.
    pub kind: InitiativeKind,
    /// What it is, in a few sentences.
    pub summary: Option<String>,
    /// Where it stands.
    pub status: InitiativeStatus,
    /// When it starts, as known (`2024`, `2024-05`).
    pub start: Option<String>,
    /// When it ends, as known.
    pub end: Option<String>,
    /// The city where it takes place.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The programme edition it belongs to: its global id.
    pub edition: Option<ID>,
    /// The partnership it belongs to.
    #[doc = named_by_slug!()]
    pub partnership: Option<ID>,
    /// The organisation that provides the solution.
    #[doc = named_by_code!()]
    pub provider: Option<ID>,
    /// The initiative it was adapted from.
    #[doc = named_by_slug!()]
    pub adapted_from: Option<ID>,
    /// What was changed from the original.
    pub adaptation: Option<String>,
    /// Theme slugs.
    #[graphql(default)]
    pub themes: Vec<String>,
    /// The organisations that lead it.
    #[graphql(default)]
    #[doc = named_by_code!()]
    pub leads: Vec<ID>,
}

/// A new status for an initiative.
#[derive(InputObject)]
pub struct SetInitiativeStatusInput {
    /// The initiative.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read, for optimistic concurrency.
    pub version: i32,
    /// The new status: forward along idea → planned → experimenting → evaluated → deployed,
    /// or abandoned before deployment.
    pub status: InitiativeStatus,
}

/// An outcome of an initiative.
#[derive(InputObject)]
pub struct AddOutcomeInput {
    /// The initiative.
    #[doc = named_by_slug!()]
    pub initiative: ID,
    /// What is measured.
    pub indicator: String,
    /// The unit of the values.
    pub unit: Option<String>,
    /// The value before.
    pub baseline: Option<f64>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value measured.
    pub actual: Option<f64>,
    /// The start of the period measured, as known.
    pub start: Option<String>,
    /// The end of the period measured, as known.
    pub end: Option<String>,
    /// How far it can be trusted.
    pub evidence_level: EvidenceLevel,
    /// The source it comes from.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A lesson of an initiative.
#[derive(InputObject)]
pub struct AddLessonInput {
    /// The initiative.
    #[doc = named_by_slug!()]
    pub initiative: ID,
    /// A success or a pitfall.
    pub kind: LessonKind,
    /// The lesson.
    pub text: String,
    /// What it is about.
    #[graphql(default)]
    pub topics: Vec<LessonTopic>,
}

/// Writes of programmes, awards and initiatives.
#[derive(Default)]
pub struct CollectiveActionMutation;

#[Object]
impl CollectiveActionMutation {
    /// Adds an edition after a programme's last one; an edition that surely starts before
    /// the last one ends is refused (`OVERLAPS`), as is a number not above it (`NOT_AFTER`).
    async fn add_edition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The edition.")] input: AddEditionInput,
    ) -> Result<EditionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::programme::NewEdition {
                programme_id: input_ref(ctx, "programme", &input.programme, RecordType::Programme)
                    .await?,
                number: input.number,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                duration_months: input.duration_months,
                status: input.status.into(),
                call_opens: input.call_opens.map(|d| d.0),
                call_deadline: input.call_deadline.map(|d| d.0),
                note: input.note.clone(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(EditionPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (edition, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::programme::add_edition(unit, new))
            })
            .await,
        )?;
        Ok(EditionPayload {
            edition: edition.map(Edition),
            user_errors,
        })
    }

    /// Adds a laureate to an edition, or a carrier to a programme.
    async fn add_programme_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant.")] input: AddProgrammeParticipantInput,
    ) -> Result<ProgrammeParticipantPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::programme::NewParticipant {
                programme_id: input_ref(ctx, "programme", &input.programme, RecordType::Programme)
                    .await?,
                edition_id: optional_input_ref(
                    ctx,
                    "edition",
                    input.edition.as_ref(),
                    RecordType::Edition,
                )
                .await?,
                city_id: optional_input_ref(ctx, "city", input.city.as_ref(), RecordType::City)
                    .await?,
                organisation_id: optional_input_ref(
                    ctx,
                    "organisation",
                    input.organisation.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                role: input.role.into(),
                site: input.site.clone(),
                mayor_mandate_id: None,
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(ProgrammeParticipantPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (participant, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::programme::add_participant(unit, new))
            })
            .await,
        )?;
        Ok(ProgrammeParticipantPayload {
            participant: participant.map(ProgrammeParticipant),
            user_errors,
        })
    }

    /// Records a recognition by an award or challenge; a year before the award existed is
    /// refused (`BEFORE_AWARD`).
    async fn add_recognition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recognition.")] input: AddRecognitionInput,
    ) -> Result<RecognitionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::award::NewRecognition {
                award_id: input_ref(ctx, "award", &input.award, RecordType::Award).await?,
                year: input.year,
                level: input.level.into(),
                category: input.category.clone(),
                city_id: optional_input_ref(ctx, "city", input.city.as_ref(), RecordType::City)
                    .await?,
                organisation_id: optional_input_ref(
                    ctx,
                    "organisation",
                    input.organisation.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                initiative_id: optional_input_ref(
                    ctx,
                    "initiative",
                    input.initiative.as_ref(),
                    RecordType::Initiative,
                )
                .await?,
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(RecognitionPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (recognition, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::award::add_recognition(unit, new))
            })
            .await,
        )?;
        Ok(RecognitionPayload {
            recognition: recognition.map(Recognition),
            user_errors,
        })
    }

    /// Creates an initiative with its themes and the organisations leading it.
    async fn create_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative.")] input: CreateInitiativeInput,
    ) -> Result<InitiativePayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::initiative::NewInitiative {
                programme_id: None,
                slug: input.slug.clone(),
                title: input.title.clone(),
                kind: input.kind.into(),
                summary: input.summary.clone(),
                status: input.status.into(),
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                city_id: optional_input_ref(ctx, "city", input.city.as_ref(), RecordType::City)
                    .await?,
                edition_id: optional_input_ref(
                    ctx,
                    "edition",
                    input.edition.as_ref(),
                    RecordType::Edition,
                )
                .await?,
                partnership_id: optional_input_ref(
                    ctx,
                    "partnership",
                    input.partnership.as_ref(),
                    RecordType::Partnership,
                )
                .await?,
                provider_id: optional_input_ref(
                    ctx,
                    "provider",
                    input.provider.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                adapted_from_id: optional_input_ref(
                    ctx,
                    "adaptedFrom",
                    input.adapted_from.as_ref(),
                    RecordType::Initiative,
                )
                .await?,
                adaptation: input.adaptation.clone(),
                themes: input.themes.clone(),
                leads: {
                    let mut leads = Vec::new();
                    for lead in &input.leads {
                        leads.push(input_ref(ctx, "leads", lead, RecordType::Organisation).await?);
                    }
                    leads
                },
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(InitiativePayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (initiative, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::initiative::create(unit, new))
            })
            .await,
        )?;
        Ok(InitiativePayload {
            initiative: initiative.map(Initiative),
            user_errors,
        })
    }

    /// Changes an initiative's title, summary, period, adaptation or themes (those who may
    /// write it); its status moves with `setInitiativeStatus`.
    async fn update_initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateInitiativeInput,
    ) -> Result<InitiativePayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            Ok::<_, InputError>((
                input_ref(ctx, "id", &input.id, RecordType::Initiative).await?,
                persistence::initiative::InitiativeChanges {
                    title: input.title.clone(),
                    summary: input.summary.clone(),
                    start: input_date("start", input.start.as_deref())?,
                    end: input_date("end", input.end.as_deref())?,
                    adaptation: input.adaptation.clone(),
                    themes: input.themes.clone(),
                },
            ))
        };
        let (id, changes) = match parsed.await {
            Ok(parsed) => parsed,
            Err(error) => return error.answer(InitiativePayload::rejected),
        };
        let version = input.version;
        let db = ctx.data_unchecked::<persistence::Db>();
        let (initiative, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::initiative::update(unit, id, version, changes))
            })
            .await,
        )?;
        Ok(InitiativePayload {
            initiative: initiative.map(Initiative),
            user_errors,
        })
    }

    /// Moves an initiative along its lifecycle: never back, and abandoned only before it is
    /// deployed (`INVALID_TRANSITION`).
    async fn set_initiative_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative and its new status.")] input: SetInitiativeStatusInput,
    ) -> Result<InitiativePayload> {
        let actor = caller(ctx).actor()?.clone();
        let id = match input_ref(ctx, "id", &input.id, RecordType::Initiative).await {
            Ok(id) => id,
            Err(error) => return error.answer(InitiativePayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let result = db
            .write(actor.clone(), move |unit| {
                Box::pin(persistence::initiative::set_status(
                    unit,
                    id,
                    input.version,
                    input.status.into(),
                ))
            })
            .await;
        let (initiative, user_errors) = outcome(ctx, result)?;
        Ok(InitiativePayload {
            initiative: initiative.map(Initiative),
            user_errors,
        })
    }

    /// Adds an outcome to an initiative, as evidence.
    async fn add_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The outcome.")] input: AddOutcomeInput,
    ) -> Result<OutcomePayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::initiative::NewOutcome {
                initiative_id: input_ref(
                    ctx,
                    "initiative",
                    &input.initiative,
                    RecordType::Initiative,
                )
                .await?,
                indicator: input.indicator.clone(),
                unit: input.unit.clone(),
                baseline: input.baseline,
                target: input.target,
                actual: input.actual,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                evidence_level: input.evidence_level.into(),
                source_id: optional_input_ref(
                    ctx,
                    "source",
                    input.source.as_ref(),
                    RecordType::Source,
                )
                .await?,
                note: input.note.clone(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(OutcomePayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (outcome_written, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::initiative::add_outcome(unit, new))
            })
            .await,
        )?;
        Ok(OutcomePayload {
            outcome: outcome_written.map(Outcome),
            user_errors,
        })
    }

    /// Adds a success or a pitfall to an initiative, tagged with topics.
    async fn add_lesson(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The lesson.")] input: AddLessonInput,
    ) -> Result<LessonPayload> {
        let actor = caller(ctx).actor()?.clone();
        let initiative_id =
            match input_ref(ctx, "initiative", &input.initiative, RecordType::Initiative).await {
                Ok(id) => id,
                Err(error) => return error.answer(LessonPayload::rejected),
            };
        let new = persistence::initiative::NewLesson {
            initiative_id,
            kind: input.kind.into(),
            text: input.text,
            topics: input.topics.into_iter().map(Into::into).collect(),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (lesson, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::initiative::add_lesson(unit, new))
            })
            .await,
        )?;
        Ok(LessonPayload {
            lesson: lesson.map(Lesson),
            user_errors,
        })
    }
}

/// An indicator of a new report.
#[derive(InputObject)]
pub struct IndicatorInput {
    /// The slug of the theme it measures: one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    /// What is measured.
    pub name: String,
    /// The unit of the values.
    pub unit: Option<String>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value reached.
    pub value: Option<f64>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A report on a partnership.
#[derive(InputObject)]
pub struct AddPartnershipReportInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The start of the period covered, as known (`2024`); not before the partnership starts.
    pub start: Option<String>,
    /// The end of the period covered, as known.
    pub end: Option<String>,
    /// What was done.
    pub summary: String,
    /// When it was published.
    pub published_on: Option<Date>,
    /// The source it is, or comes from.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// Its indicators, in order.
    #[graphql(default)]
    pub indicators: Vec<IndicatorInput>,
}

payload!(/// The result of adding a report.
    ReportPayload { report: crate::schema::report::Report });

/// Reports on partnerships.
#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Adds a report with its indicators to a partnership (editors, or a partner of one of
    /// its parties); a period starting before the partnership (`BEFORE_PARTNERSHIP`) or an
    /// indicator on a theme the partnership does not cover (`THEME_NOT_COVERED`) is refused.
    async fn add_partnership_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: AddPartnershipReportInput,
    ) -> Result<ReportPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::report::NewReport {
                partnership_id: input_ref(
                    ctx,
                    "partnership",
                    &input.partnership,
                    RecordType::Partnership,
                )
                .await?,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                summary: input.summary.clone(),
                published_on: input.published_on.map(|d| d.0),
                source_id: optional_input_ref(
                    ctx,
                    "source",
                    input.source.as_ref(),
                    RecordType::Source,
                )
                .await?,
                indicators: input
                    .indicators
                    .iter()
                    .map(|i| persistence::report::NewIndicator {
                        theme: i.theme.clone(),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        target: i.target,
                        value: i.value,
                        note: i.note.clone(),
                    })
                    .collect(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(ReportPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (report, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::report::add(unit, new))
            })
            .await,
        )?;
        Ok(ReportPayload {
            report: report.map(crate::schema::report::Report),
            user_errors,
        })
    }
}

/// An organiser of a new programme.
#[derive(InputObject)]
pub struct ProgrammeOrganiserInput {
    /// The organisation.
    #[doc = named_by_code!()]
    pub organisation: ID,
    /// What it does in the programme.
    pub role: crate::schema::enums::ProgrammeOrganiserRole,
}

/// A new programme.
#[derive(InputObject)]
pub struct CreateProgrammeInput {
    /// The human key (lowercase letters, digits and hyphens).
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its acronym.
    pub acronym: Option<String>,
    /// What it is for.
    pub aim: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// Through editions, or carried by organisations in their territory.
    pub participation_mode: crate::schema::enums::ParticipationMode,
    /// Who may apply to its calls.
    pub eligibility: Option<crate::schema::enums::Eligibility>,
    /// Where it runs, in words.
    pub territory: Option<String>,
    /// Since when it runs, as known (`2023`).
    pub since: Option<String>,
    /// How long it supports each participant, in months.
    pub duration_months: Option<i32>,
    /// Theme slugs.
    #[graphql(default)]
    pub themes: Vec<String>,
    /// Its organisers; a partner creating it must be among the owners.
    #[graphql(default)]
    pub organisers: Vec<ProgrammeOrganiserInput>,
}

/// Changes to a programme; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateProgrammeInput {
    /// The programme.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its name.
    pub name: Option<String>,
    /// Its acronym.
    pub acronym: Option<String>,
    /// What it is for.
    pub aim: Option<String>,
    /// What it does.
    pub description: Option<String>,
    /// Who may apply to its calls.
    pub eligibility: Option<crate::schema::enums::Eligibility>,
    /// Where it runs, in words.
    pub territory: Option<String>,
    /// Since when it runs, as known (`2023`).
    pub since: Option<String>,
    /// How long it supports each participant, in months.
    pub duration_months: Option<i32>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

/// Changes to an award or challenge; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateAwardInput {
    /// The award.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its name.
    pub name: Option<String>,
    /// What it rewards or aims at.
    pub description: Option<String>,
    /// Since when it is given, as known.
    pub since: Option<String>,
    /// How often it is given ("annual").
    pub frequency: Option<String>,
    /// What the winners receive.
    pub prize: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

/// Changes to an event; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateEventInput {
    /// The event.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its title.
    pub title: Option<String>,
    /// Planned, held or cancelled.
    pub status: Option<crate::schema::enums::EventStatus>,
    /// When, as known (`2026-03`).
    pub date: Option<String>,
    /// What it is about.
    pub description: Option<String>,
    /// The city where it takes place.
    #[doc = named_by_code!()]
    pub place: Option<ID>,
    /// How often it recurs ("annual").
    pub recurrence: Option<String>,
}

/// Changes to an initiative; a field left out keeps its value. Its status moves with
/// `setInitiativeStatus`.
#[derive(InputObject)]
pub struct UpdateInitiativeInput {
    /// The initiative.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its title.
    pub title: Option<String>,
    /// What it is, in a few sentences.
    pub summary: Option<String>,
    /// When it started, as known.
    pub start: Option<String>,
    /// When it ended, as known.
    pub end: Option<String>,
    /// What changed from the initiative it adapts.
    pub adaptation: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

/// A new award or challenge.
#[derive(InputObject)]
pub struct CreateAwardInput {
    /// The human key.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Award or challenge.
    pub kind: crate::schema::enums::AwardKind,
    /// Who gives it.
    #[doc = named_by_code!()]
    pub organiser: ID,
    /// What it rewards or aims at.
    pub description: Option<String>,
    /// Since when it exists, as known (`2004~`); recognitions may not be older.
    pub since: Option<String>,
    /// How often it is given.
    pub frequency: Option<String>,
    /// The prize, in words.
    pub prize: Option<String>,
    /// Theme slugs.
    #[graphql(default)]
    pub themes: Vec<String>,
}

/// Who takes part in a new event.
#[derive(InputObject)]
pub struct EventParticipantInput {
    /// A city.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// An organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// A person.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// What they do there ("speaker", "host").
    pub role: Option<String>,
}

/// A new event.
#[derive(InputObject)]
pub struct CreateEventInput {
    /// The human key.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// What kind of event.
    pub kind: crate::schema::enums::EventKind,
    /// Planned or held.
    pub status: Option<crate::schema::enums::EventStatus>,
    /// Its day as known (`2026-03-12`, `2026-03`).
    pub date: Option<String>,
    /// What it is about.
    pub description: Option<String>,
    /// The city where it takes place.
    #[doc = named_by_code!()]
    pub place: Option<ID>,
    /// Who organises it.
    #[doc = named_by_code!()]
    pub organiser: Option<ID>,
    /// The partnership it belongs to.
    #[doc = named_by_slug!()]
    pub partnership: Option<ID>,
    /// The programme it belongs to.
    #[doc = named_by_slug!()]
    pub programme: Option<ID>,
    /// Who takes part.
    #[graphql(default)]
    pub participants: Vec<EventParticipantInput>,
}

payload!(/// The result of creating a programme.
    ProgrammePayload { programme: crate::schema::programme::Programme });
payload!(/// The result of creating an award or challenge.
    AwardPayload { award: crate::schema::award::Award });
payload!(/// The result of creating an event.
    EventPayload { event: crate::schema::event::Event });

/// Creating programmes, awards and events.
#[derive(Default)]
pub struct CreationMutation;

#[Object]
impl CreationMutation {
    /// Creates a programme with its organisers and themes (editors, or a partner of one of
    /// its owners).
    async fn create_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme.")] input: CreateProgrammeInput,
    ) -> Result<ProgrammePayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::programme::NewProgramme {
                slug: input.slug.clone(),
                name: input.name.clone(),
                acronym: input.acronym.clone(),
                aim: input.aim.clone(),
                description: input.description.clone(),
                participation_mode: input.participation_mode.into(),
                eligibility: input.eligibility.map(Into::into),
                territory: input.territory.clone(),
                since: input_date("since", input.since.as_deref())?,
                duration_months: input.duration_months,
                themes: input.themes.clone(),
                organisers: {
                    let mut organisers = Vec::new();
                    for organiser in &input.organisers {
                        organisers.push((
                            input_ref(
                                ctx,
                                "organisers",
                                &organiser.organisation,
                                RecordType::Organisation,
                            )
                            .await?,
                            organiser.role.into(),
                        ));
                    }
                    organisers
                },
                intended_participants: None,
                stakeholders: Vec::new(),
                support_scope: None,
                rules: Vec::new(),
                solution_providers: None,
                territory_city_id: None,
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(ProgrammePayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (programme, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::programme::create(unit, new))
            })
            .await,
        )?;
        Ok(ProgrammePayload {
            programme: programme.map(crate::schema::programme::Programme),
            user_errors,
        })
    }

    /// Changes a programme (editors, or a partner of an organisation that runs it).
    async fn update_programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateProgrammeInput,
    ) -> Result<ProgrammePayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            Ok::<_, InputError>((
                input_ref(ctx, "id", &input.id, RecordType::Programme).await?,
                persistence::programme::ProgrammeChanges {
                    name: input.name.clone(),
                    acronym: input.acronym.clone(),
                    aim: input.aim.clone(),
                    description: input.description.clone(),
                    eligibility: input.eligibility.map(Into::into),
                    territory: input.territory.clone(),
                    since: input_date("since", input.since.as_deref())?,
                    duration_months: input.duration_months,
                    themes: input.themes.clone(),
                },
            ))
        };
        let (id, changes) = match parsed.await {
            Ok(parsed) => parsed,
            Err(error) => return error.answer(ProgrammePayload::rejected),
        };
        let version = input.version;
        let db = ctx.data_unchecked::<persistence::Db>();
        let (programme, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::programme::update(unit, id, version, changes))
            })
            .await,
        )?;
        Ok(ProgrammePayload {
            programme: programme.map(crate::schema::programme::Programme),
            user_errors,
        })
    }

    /// Changes an award or challenge (editors, or a partner of its organiser).
    async fn update_award(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateAwardInput,
    ) -> Result<AwardPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            Ok::<_, InputError>((
                input_ref(ctx, "id", &input.id, RecordType::Award).await?,
                persistence::award::AwardChanges {
                    name: input.name.clone(),
                    description: input.description.clone(),
                    since: input_date("since", input.since.as_deref())?,
                    frequency: input.frequency.clone(),
                    prize: input.prize.clone(),
                    themes: input.themes.clone(),
                },
            ))
        };
        let (id, changes) = match parsed.await {
            Ok(parsed) => parsed,
            Err(error) => return error.answer(AwardPayload::rejected),
        };
        let version = input.version;
        let db = ctx.data_unchecked::<persistence::Db>();
        let (award, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::award::update(unit, id, version, changes))
            })
            .await,
        )?;
        Ok(AwardPayload {
            award: award.map(crate::schema::award::Award),
            user_errors,
        })
    }

    /// Changes an event (editors, or a partner of its organiser).
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateEventInput,
    ) -> Result<EventPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            Ok::<_, InputError>((
                input_ref(ctx, "id", &input.id, RecordType::Event).await?,
                persistence::event::EventChanges {
                    title: input.title.clone(),
                    status: input.status.map(Into::into),
                    date: input_date("date", input.date.as_deref())?,
                    description: input.description.clone(),
                    place_city_id: optional_input_ref(
                        ctx,
                        "place",
                        input.place.as_ref(),
                        RecordType::City,
                    )
                    .await?,
                    recurrence: input.recurrence.clone(),
                },
            ))
        };
        let (id, changes) = match parsed.await {
            Ok(parsed) => parsed,
            Err(error) => return error.answer(EventPayload::rejected),
        };
        let version = input.version;
        let db = ctx.data_unchecked::<persistence::Db>();
        let (event, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::event::update(unit, id, version, changes))
            })
            .await,
        )?;
        Ok(EventPayload {
            event: event.map(crate::schema::event::Event),
            user_errors,
        })
    }

    /// Creates an award or challenge (editors, or a partner of its organiser).
    async fn create_award(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The award or challenge.")] input: CreateAwardInput,
    ) -> Result<AwardPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::award::NewAward {
                milestones: Vec::new(),
                slug: input.slug.clone(),
                name: input.name.clone(),
                kind: input.kind.into(),
                organiser_id: input_ref(
                    ctx,
                    "organiser",
                    &input.organiser,
                    RecordType::Organisation,
                )
                .await?,
                description: input.description.clone(),
                since: input_date("since", input.since.as_deref())?,
                frequency: input.frequency.clone(),
                prize: input.prize.clone(),
                themes: input.themes.clone(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(AwardPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (award, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::award::create(unit, new))
            })
            .await,
        )?;
        Ok(AwardPayload {
            award: award.map(crate::schema::award::Award),
            user_errors,
        })
    }

    /// Creates an event with its participants (editors; a partner of its organiser, or one
    /// who may write its partnership or programme).
    async fn create_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event.")] input: CreateEventInput,
    ) -> Result<EventPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::event::NewEvent {
                title_is_descriptive: false,
                recurrence: None,
                slug: input.slug.clone(),
                title: input.title.clone(),
                kind: input.kind.into(),
                status: input.status.map(Into::into),
                date: input_date("date", input.date.as_deref())?,
                description: input.description.clone(),
                place_city_id: optional_input_ref(
                    ctx,
                    "place",
                    input.place.as_ref(),
                    RecordType::City,
                )
                .await?,
                organiser_id: optional_input_ref(
                    ctx,
                    "organiser",
                    input.organiser.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                partnership_id: optional_input_ref(
                    ctx,
                    "partnership",
                    input.partnership.as_ref(),
                    RecordType::Partnership,
                )
                .await?,
                programme_id: optional_input_ref(
                    ctx,
                    "programme",
                    input.programme.as_ref(),
                    RecordType::Programme,
                )
                .await?,
                participants: {
                    let mut participants = Vec::new();
                    for p in &input.participants {
                        participants.push(persistence::event::NewEventParticipant {
                            city_id: optional_input_ref(
                                ctx,
                                "participants",
                                p.city.as_ref(),
                                RecordType::City,
                            )
                            .await?,
                            organisation_id: optional_input_ref(
                                ctx,
                                "participants",
                                p.organisation.as_ref(),
                                RecordType::Organisation,
                            )
                            .await?,
                            person_id: optional_input_ref(
                                ctx,
                                "participants",
                                p.person.as_ref(),
                                RecordType::Person,
                            )
                            .await?,
                            role: p.role.clone(),
                        });
                    }
                    participants
                },
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(EventPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (event, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::event::create(unit, new))
            })
            .await,
        )?;
        Ok(EventPayload {
            event: event.map(crate::schema::event::Event),
            user_errors,
        })
    }
}
