//! Writes of programmes: creating and changing one (editors, or a partner of an owner), its
//! editions and its participants (editors, or a partner of the owner or co-animator).

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::auth::caller;
use crate::schema::enums::{EditionStatus, ProgrammeParticipantRole};
use crate::schema::payload::payload;
use crate::schema::programme::{Edition, ProgrammeParticipant};
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, change_record, input_date, outcome};
use domain::source::RecordType;

payload!(/// The result of creating a programme.
    ProgrammePayload { programme: crate::schema::programme::Programme });
payload!(/// The result of adding or changing an edition.
    EditionPayload { edition: Edition });
payload!(/// The result of adding or changing a programme participant.
    ProgrammeParticipantPayload { participant: ProgrammeParticipant });

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

/// Changes to an edition; a field left out keeps its value. It stays in its programme.
#[derive(InputObject)]
pub struct UpdateEditionInput {
    /// The edition: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its number: above the edition before it, below the one after it.
    pub number: Option<i32>,
    /// When it starts, as known (`2025`, `2025-09`); it may not surely start before the
    /// edition before it ends.
    pub start: Option<String>,
    /// When it ends, as known; it may not surely end after the edition after it starts.
    pub end: Option<String>,
    /// How long it supports participants, in months.
    pub duration_months: Option<i32>,
    /// Where it stands.
    pub status: Option<EditionStatus>,
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

/// Programmes, their editions and participants.
#[derive(Default)]
pub struct ProgrammeMutation;

#[Object]
impl ProgrammeMutation {
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
        let changes = async {
            Ok::<_, InputError>(persistence::programme::ProgrammeChanges {
                name: input.name.clone(),
                acronym: input.acronym.clone(),
                aim: input.aim.clone(),
                description: input.description.clone(),
                eligibility: input.eligibility.map(Into::into),
                territory: input.territory.clone(),
                since: input_date("since", input.since.as_deref())?,
                duration_months: input.duration_months,
                themes: input.themes.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Programme);
        let (programme, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ProgrammePayload {
            programme: programme.map(crate::schema::programme::Programme),
            user_errors,
        })
    }

    /// Adds an edition after a programme's last one; an edition that surely starts before
    /// the last one ends is refused (`OVERLAPS`), as is a number not above it (`NOT_AFTER`).
    async fn add_edition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The edition.")] input: AddEditionInput,
    ) -> Result<EditionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::programme::edition::NewEdition {
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
                Box::pin(persistence::programme::edition::add(unit, new))
            })
            .await,
        )?;
        Ok(EditionPayload {
            edition: edition.map(Edition),
            user_errors,
        })
    }

    /// Changes an edition (editors, or a partner of an organisation that runs its programme);
    /// as changed it still follows the edition before it and precedes the one after it, or
    /// it is refused as a new one would be (`OVERLAPS`, `NOT_AFTER`).
    async fn update_edition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateEditionInput,
    ) -> Result<EditionPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::programme::edition::EditionChanges {
                number: input.number,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                duration_months: input.duration_months,
                status: input.status.map(Into::into),
                call_opens: input.call_opens.map(|d| d.0),
                call_deadline: input.call_deadline.map(|d| d.0),
                note: input.note.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Edition);
        let (edition, user_errors) = change_record(ctx, key, input.version, changes).await?;
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
}
