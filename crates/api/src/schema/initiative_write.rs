//! Writes of initiatives with their status, outcomes and lessons (editors, a partner of an
//! organisation the initiative's city belongs to, or of an organisation leading it).

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::auth::caller;
use crate::schema::enums::{
    EvidenceLevel, InitiativeKind, InitiativeStatus, LessonKind, LessonTopic,
};
use crate::schema::initiative::{Initiative, Lesson, Outcome};
use crate::schema::payload::payload;
use crate::schema::reference::{
    input_ref, named_by_code, named_by_slug, optional_input_ref, optional_source,
};
use crate::schema::user_error::{InputError, change_record, input_date, outcome};
use domain::source::RecordType;

payload!(/// The result of writing an initiative.
    InitiativePayload { initiative: Initiative });
payload!(/// The result of adding or changing an outcome.
    OutcomePayload { outcome: Outcome });
payload!(/// The result of adding or changing a lesson.
    LessonPayload { lesson: Lesson });

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

/// Changes to an outcome; a field left out keeps its value. It stays with its initiative.
#[derive(InputObject)]
pub struct UpdateOutcomeInput {
    /// The outcome: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What is measured.
    pub indicator: Option<String>,
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
    pub evidence_level: Option<EvidenceLevel>,
    /// The source it comes from.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Changes to a lesson; a field left out keeps its value. It stays with its initiative.
#[derive(InputObject)]
pub struct UpdateLessonInput {
    /// The lesson: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// A success or a pitfall.
    pub kind: Option<LessonKind>,
    /// The lesson.
    pub text: Option<String>,
    /// What it is about: the new full list.
    pub topics: Option<Vec<LessonTopic>>,
}

/// Initiatives, their status, outcomes and lessons.
#[derive(Default)]
pub struct InitiativeMutation;

#[Object]
impl InitiativeMutation {
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
        let changes = async {
            Ok::<_, InputError>(persistence::initiative::InitiativeChanges {
                title: input.title.clone(),
                summary: input.summary.clone(),
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                adaptation: input.adaptation.clone(),
                themes: input.themes.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Initiative);
        let (initiative, user_errors) = change_record(ctx, key, input.version, changes).await?;
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
            Ok::<_, InputError>(persistence::initiative::outcome::NewOutcome {
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
                source_id: optional_source(ctx, input.source.as_ref()).await?,
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
                Box::pin(persistence::initiative::outcome::add(unit, new))
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
        let new = persistence::initiative::lesson::NewLesson {
            initiative_id,
            kind: input.kind.into(),
            text: input.text,
            topics: input.topics.into_iter().map(Into::into).collect(),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (lesson, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::initiative::lesson::add(unit, new))
            })
            .await,
        )?;
        Ok(LessonPayload {
            lesson: lesson.map(Lesson),
            user_errors,
        })
    }

    /// Changes an outcome (those who may write its initiative); as changed it is checked as
    /// a new one is.
    async fn update_outcome(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateOutcomeInput,
    ) -> Result<OutcomePayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::initiative::outcome::OutcomeChanges {
                indicator: input.indicator.clone(),
                unit: input.unit.clone(),
                baseline: input.baseline,
                target: input.target,
                actual: input.actual,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                evidence_level: input.evidence_level.map(Into::into),
                source_id: optional_source(ctx, input.source.as_ref()).await?,
                note: input.note.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Outcome);
        let (outcome_written, user_errors) =
            change_record(ctx, key, input.version, changes).await?;
        Ok(OutcomePayload {
            outcome: outcome_written.map(Outcome),
            user_errors,
        })
    }

    /// Changes a lesson (those who may write its initiative); as changed it is checked as a
    /// new one is.
    async fn update_lesson(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateLessonInput,
    ) -> Result<LessonPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::initiative::lesson::LessonChanges {
                kind: input.kind.map(Into::into),
                text: input.text.clone(),
                topics: input
                    .topics
                    .clone()
                    .map(|topics| topics.into_iter().map(Into::into).collect()),
            })
        };
        let key = ("id", &input.id, RecordType::Lesson);
        let (lesson, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(LessonPayload {
            lesson: lesson.map(Lesson),
            user_errors,
        })
    }
}
