//! Changes to the parts of collective action, in place, by those who may write what they
//! belong to: a programme's organisers, support components and participants (those who run
//! the programme), an initiative's organisations (those who may write the initiative), an
//! event's participants (those who may write the event) and a report's indicators (those who
//! may write the partnership). Each is deleted with `deleteRecord`.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::source::RecordType;

use crate::schema::enums::{
    InitiativeRole, ProgrammeOrganiserRole, ProgrammeParticipantRole, SupportKind,
};
use crate::schema::event::EventParticipant;
use crate::schema::initiative::InitiativeOrganisation;
use crate::schema::payload::payload;
use crate::schema::programme::{ProgrammeOrganiser, ProgrammeParticipant, SupportComponent};
use crate::schema::programme_write::ProgrammeParticipantPayload;
use crate::schema::reference::{named_by_code, optional_input_ref};
use crate::schema::report::Indicator;
use crate::schema::user_error::{InputError, change_record};

payload!(/// The result of changing a programme's organiser.
    ProgrammeOrganiserPayload { organiser: ProgrammeOrganiser });
payload!(/// The result of changing a programme's support component.
    SupportComponentPayload { support: SupportComponent });
payload!(/// The result of changing the role of an organisation in an initiative.
    InitiativeOrganisationPayload { organisation: InitiativeOrganisation });
payload!(/// The result of changing an event's participant.
    EventParticipantPayload { participant: EventParticipant });
payload!(/// The result of changing a report's indicator.
    IndicatorPayload { indicator: Indicator });

/// Changes to a programme's organiser; a field left out keeps its value. The organisation
/// stays.
#[derive(InputObject)]
pub struct UpdateProgrammeOrganiserInput {
    /// The organiser: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its role: an owner or co-animator runs the programme.
    pub role: Option<ProgrammeOrganiserRole>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Changes to a support component; a field left out keeps its value. It keeps its position.
#[derive(InputObject)]
pub struct UpdateSupportComponentInput {
    /// The support component: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What kind of support it is.
    pub kind: Option<SupportKind>,
    /// What it is, in the source's words.
    pub description: Option<String>,
    /// The organisation that provides it.
    #[doc = named_by_code!()]
    pub provider: Option<ID>,
}

/// Changes to a programme's participant; a field left out keeps its value. Who took part,
/// and in which edition, stays.
#[derive(InputObject)]
pub struct UpdateProgrammeParticipantInput {
    /// The participant: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What it was.
    pub role: Option<ProgrammeParticipantRole>,
    /// The site, if the source names it.
    pub site: Option<String>,
    /// The global id of the mandate of the city's mayor then.
    pub mayor_mandate: Option<ID>,
}

/// Changes to the role an organisation plays in an initiative. The organisation stays.
#[derive(InputObject)]
pub struct UpdateInitiativeOrganisationInput {
    /// The organisation's part in the initiative: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The role it plays.
    pub role: Option<InitiativeRole>,
}

/// Changes to an event's participant. Who takes part stays.
#[derive(InputObject)]
pub struct UpdateEventParticipantInput {
    /// The participant: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What they do there ("speaker", "host"), as written; empty to say nothing.
    pub role: Option<String>,
}

/// Changes to a report's indicator; a field left out keeps its value. It stays in its
/// report, at its position.
#[derive(InputObject)]
pub struct UpdateReportIndicatorInput {
    /// The indicator: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The slug of the theme it measures: one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    /// What it measures.
    pub name: Option<String>,
    /// The unit of its values.
    pub unit: Option<String>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value reached.
    pub value: Option<f64>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Changes to the parts of programmes, initiatives, events and reports.
#[derive(Default)]
pub struct CollectivePartMutation;

#[Object]
impl CollectivePartMutation {
    /// Changes an organiser's role or note (those who run the programme): a partner makes only
    /// its own organisation one that runs it.
    async fn update_programme_organiser(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organiser and its changes.")] input: UpdateProgrammeOrganiserInput,
    ) -> Result<ProgrammeOrganiserPayload> {
        let changes = persistence::programme::OrganiserChanges {
            role: input.role.map(Into::into),
            note: input.note,
        };
        let changes = async { Ok::<_, InputError>(changes) };
        let key = ("id", &input.id, RecordType::ProgrammeOrganiser);
        let (organiser, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ProgrammeOrganiserPayload {
            organiser: organiser.map(ProgrammeOrganiser),
            user_errors,
        })
    }

    /// Changes a support component's kind, description or provider (those who run the
    /// programme).
    async fn update_support_component(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The support component and its changes.")]
        input: UpdateSupportComponentInput,
    ) -> Result<SupportComponentPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::programme::SupportChanges {
                kind: input.kind.map(Into::into),
                description: input.description.clone(),
                provider_id: optional_input_ref(
                    ctx,
                    "provider",
                    input.provider.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
            })
        };
        let key = ("id", &input.id, RecordType::SupportComponent);
        let (support, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(SupportComponentPayload {
            support: support.map(SupportComponent),
            user_errors,
        })
    }

    /// Changes a participant's role, site or mayor then (those who run the programme).
    async fn update_programme_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant and its changes.")]
        input: UpdateProgrammeParticipantInput,
    ) -> Result<ProgrammeParticipantPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::programme::ParticipantChanges {
                role: input.role.map(Into::into),
                site: input.site.clone(),
                mayor_mandate_id: optional_input_ref(
                    ctx,
                    "mayorMandate",
                    input.mayor_mandate.as_ref(),
                    RecordType::Mandate,
                )
                .await?,
            })
        };
        let key = ("id", &input.id, RecordType::ProgrammeParticipant);
        let (participant, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ProgrammeParticipantPayload {
            participant: participant.map(ProgrammeParticipant),
            user_errors,
        })
    }

    /// Changes the role an organisation plays in an initiative (those who may write the
    /// initiative, for an organisation they may name).
    async fn update_initiative_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's part and its changes.")]
        input: UpdateInitiativeOrganisationInput,
    ) -> Result<InitiativeOrganisationPayload> {
        let changes = persistence::initiative::InitiativeOrganisationChanges {
            role: input.role.map(Into::into),
        };
        let changes = async { Ok::<_, InputError>(changes) };
        let key = ("id", &input.id, RecordType::InitiativeOrganisation);
        let (organisation, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(InitiativeOrganisationPayload {
            organisation: organisation.map(InitiativeOrganisation),
            user_errors,
        })
    }

    /// Changes what a participant does at an event (those who may write the event).
    async fn update_event_participant(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The participant and its changes.")] input: UpdateEventParticipantInput,
    ) -> Result<EventParticipantPayload> {
        let changes = persistence::event::EventParticipantChanges { role: input.role };
        let changes = async { Ok::<_, InputError>(changes) };
        let key = ("id", &input.id, RecordType::EventParticipant);
        let (participant, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(EventParticipantPayload {
            participant: participant.map(EventParticipant),
            user_errors,
        })
    }

    /// Changes a report's indicator (editors, or a partner of one of the partnership's
    /// parties): as changed it is checked as a new one is, on the partnership's themes.
    async fn update_report_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator and its changes.")] input: UpdateReportIndicatorInput,
    ) -> Result<IndicatorPayload> {
        let changes = persistence::report::IndicatorChanges {
            theme: input.theme,
            name: input.name,
            unit: input.unit,
            target: input.target,
            value: input.value,
            note: input.note,
        };
        let changes = async { Ok::<_, InputError>(changes) };
        let key = ("id", &input.id, RecordType::Indicator);
        let (indicator, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(IndicatorPayload {
            indicator: indicator.map(Indicator),
            user_errors,
        })
    }
}
