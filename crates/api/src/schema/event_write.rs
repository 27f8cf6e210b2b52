//! Writes of events (editors, or a partner of an organiser).

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::auth::caller;
use crate::schema::payload::payload;
use crate::schema::reference::{named_by_code, named_by_slug, optional_input_ref};
use crate::schema::user_error::{InputError, change_record, input_date, outcome};
use domain::source::RecordType;

payload!(/// The result of creating an event.
    EventPayload { event: crate::schema::event::Event });

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

/// Events: creating and changing one.
#[derive(Default)]
pub struct EventMutation;

#[Object]
impl EventMutation {
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

    /// Changes an event (editors, or a partner of its organiser).
    async fn update_event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateEventInput,
    ) -> Result<EventPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::event::EventChanges {
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
            })
        };
        let key = ("id", &input.id, RecordType::Event);
        let (event, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(EventPayload {
            event: event.map(crate::schema::event::Event),
            user_errors,
        })
    }
}
