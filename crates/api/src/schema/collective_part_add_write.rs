//! Adding the parts of collective action one at a time, by those who may write what they
//! belong to: an organiser or a support component to a programme (those who run it), an
//! organisation to an initiative (those who may write it), a participant to an event (its
//! writers) and an indicator to a report (the partnership's writers). Naming someone as taking
//! part speaks for them: a partner names only its own organisation and the cities it acts for.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::source::RecordType;

use crate::schema::collective_part_write::{
    EventParticipantPayload, IndicatorPayload, InitiativeOrganisationPayload,
    ProgrammeOrganiserPayload, SupportComponentPayload,
};
use crate::schema::enums::{InitiativeRole, ProgrammeOrganiserRole, SupportKind};
use crate::schema::event::EventParticipant;
use crate::schema::initiative::InitiativeOrganisation;
use crate::schema::programme::{ProgrammeOrganiser, SupportComponent};
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::report::Indicator;
use crate::schema::user_error::{InputError, create_record};

/// An organisation to add to a programme's organisers.
#[derive(InputObject)]
pub struct AddProgrammeOrganiserInput {
    /// The programme.
    #[doc = named_by_slug!()]
    pub programme: ID,
    /// The organisation.
    #[doc = named_by_code!()]
    pub organisation: ID,
    /// Its role: an owner or co-animator runs the programme.
    pub role: ProgrammeOrganiserRole,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A support component to add after a programme's others.
#[derive(InputObject)]
pub struct AddSupportComponentInput {
    /// The programme.
    #[doc = named_by_slug!()]
    pub programme: ID,
    /// What kind of support it is.
    pub kind: SupportKind,
    /// What it is, in the source's words.
    pub description: String,
    /// The organisation that provides it, if not those who run the programme.
    #[doc = named_by_code!()]
    pub provider: Option<ID>,
}

/// An organisation to add to an initiative, in a role.
#[derive(InputObject)]
pub struct AddInitiativeOrganisationInput {
    /// The initiative.
    #[doc = named_by_slug!()]
    pub initiative: ID,
    /// The organisation.
    #[doc = named_by_code!()]
    pub organisation: ID,
    /// The role it plays.
    pub role: InitiativeRole,
}

/// Someone to add to an event's participants: one city, one organisation or one person.
#[derive(InputObject)]
pub struct AddEventParticipantInput {
    /// The event.
    #[doc = named_by_slug!()]
    pub event: ID,
    /// The city, for a city.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation, for an organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The person, for a person.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// What they do there ("speaker", "host"), as written.
    pub role: Option<String>,
}

/// An indicator to add after a report's others.
#[derive(InputObject)]
pub struct AddReportIndicatorInput {
    /// The report: its global id.
    pub report: ID,
    /// The slug of the theme it measures: one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    /// What it measures.
    pub name: String,
    /// The unit of its values.
    pub unit: Option<String>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value reached.
    pub value: Option<f64>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Adding the parts of programmes, initiatives, events and reports.
#[derive(Default)]
pub struct CollectivePartAddMutation;

#[Object]
impl CollectivePartAddMutation {
    /// Adds an organisation to a programme's organisers, once (those who run it): a partner
    /// makes only its own organisation one that runs it.
    async fn add_programme_organiser(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organiser.")] input: AddProgrammeOrganiserInput,
    ) -> Result<ProgrammeOrganiserPayload> {
        let new = async {
            let programme =
                input_ref(ctx, "programme", &input.programme, RecordType::Programme).await?;
            let organiser = persistence::programme::NewOrganiser {
                organisation_id: input_ref(
                    ctx,
                    "organisation",
                    &input.organisation,
                    RecordType::Organisation,
                )
                .await?,
                role: input.role.into(),
                note: input.note.clone(),
            };
            Ok::<_, InputError>((programme, organiser))
        };
        let (organiser, user_errors) = create_record(ctx, new, |unit, (programme, new)| {
            Box::pin(persistence::programme::add_organiser(unit, programme, new))
        })
        .await?;
        Ok(ProgrammeOrganiserPayload {
            organiser: organiser.map(ProgrammeOrganiser),
            user_errors,
        })
    }

    /// Adds a support component after a programme's others (those who run it).
    async fn add_support_component(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The support component.")] input: AddSupportComponentInput,
    ) -> Result<SupportComponentPayload> {
        let new = async {
            let programme =
                input_ref(ctx, "programme", &input.programme, RecordType::Programme).await?;
            let support = persistence::programme::NewSupport {
                kind: input.kind.into(),
                description: input.description.clone(),
                provider_id: optional_input_ref(
                    ctx,
                    "provider",
                    input.provider.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
            };
            Ok::<_, InputError>((programme, support))
        };
        let (support, user_errors) = create_record(ctx, new, |unit, (programme, new)| {
            Box::pin(persistence::programme::add_support(unit, programme, new))
        })
        .await?;
        Ok(SupportComponentPayload {
            support: support.map(SupportComponent),
            user_errors,
        })
    }

    /// Adds an organisation to an initiative, once, in a role (those who may write the
    /// initiative, for an organisation they may name).
    async fn add_initiative_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation and its role.")] input: AddInitiativeOrganisationInput,
    ) -> Result<InitiativeOrganisationPayload> {
        let new = async {
            Ok::<_, InputError>((
                input_ref(ctx, "initiative", &input.initiative, RecordType::Initiative).await?,
                input_ref(
                    ctx,
                    "organisation",
                    &input.organisation,
                    RecordType::Organisation,
                )
                .await?,
                input.role.into(),
            ))
        };
        let (organisation, user_errors) =
            create_record(ctx, new, |unit, (initiative, organisation, role)| {
                Box::pin(persistence::initiative::add_organisation(
                    unit,
                    initiative,
                    organisation,
                    role,
                ))
            })
            .await?;
        Ok(InitiativeOrganisationPayload {
            organisation: organisation.map(InitiativeOrganisation),
            user_errors,
        })
    }

    /// Adds a participant to an event, once (those who may write the event, naming only whom
    /// they may name).
    async fn add_event_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant.")] input: AddEventParticipantInput,
    ) -> Result<EventParticipantPayload> {
        let new = async {
            let event = input_ref(ctx, "event", &input.event, RecordType::Event).await?;
            let participant = persistence::event::NewEventParticipant {
                city_id: optional_input_ref(ctx, "city", input.city.as_ref(), RecordType::City)
                    .await?,
                organisation_id: optional_input_ref(
                    ctx,
                    "organisation",
                    input.organisation.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                person_id: optional_input_ref(
                    ctx,
                    "person",
                    input.person.as_ref(),
                    RecordType::Person,
                )
                .await?,
                role: input.role.clone(),
            };
            Ok::<_, InputError>((event, participant))
        };
        let (participant, user_errors) = create_record(ctx, new, |unit, (event, new)| {
            Box::pin(persistence::event::add_participant(unit, event, new))
        })
        .await?;
        Ok(EventParticipantPayload {
            participant: participant.map(EventParticipant),
            user_errors,
        })
    }

    /// Adds an indicator after a report's others (editors, or a partner of one of the
    /// partnership's parties), on the partnership's themes.
    async fn add_report_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator.")] input: AddReportIndicatorInput,
    ) -> Result<IndicatorPayload> {
        let new = async {
            let report = input_ref(ctx, "report", &input.report, RecordType::Report).await?;
            let indicator = persistence::report::NewIndicator {
                theme: input.theme.clone(),
                name: input.name.clone(),
                unit: input.unit.clone(),
                target: input.target,
                value: input.value,
                note: input.note.clone(),
            };
            Ok::<_, InputError>((report, indicator))
        };
        let (indicator, user_errors) = create_record(ctx, new, |unit, (report, new)| {
            Box::pin(persistence::report::add_indicator(unit, report, new))
        })
        .await?;
        Ok(IndicatorPayload {
            indicator: indicator.map(Indicator),
            user_errors,
        })
    }
}
