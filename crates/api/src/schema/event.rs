//! Events of the network: sessions, workshops, meetings, signing ceremonies.

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::ParticipantsOfEvent;
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{EventKind, EventStatus};
use crate::schema::load_one;
use crate::schema::organisation::Organisation;
use crate::schema::partnership::Partnership;
use crate::schema::person::Person;
use crate::schema::programme::Programme;
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::FuzzyDate;

connection!(
    EventParticipantConnection,
    EventParticipantEdge,
    EventParticipant,
    "A page of event participants.",
    "A participant in a page, with its cursor."
);
connection!(
    EventConnection,
    EventEdge,
    Event,
    "A page of events.",
    "An event in a page, with its cursor."
);

/// An information session, workshop, meeting or signing ceremony, around a partnership
/// or a programme.
#[derive(Clone)]
pub struct Event(pub domain::event::Event);

/// An information session, workshop, meeting or signing ceremony, around a partnership
/// or a programme.
#[Object]
impl Event {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Event, self.0.id)
    }

    /// The human key of the event.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Its title, as written or descriptive (see `titleIsDescriptive`).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Whether the title describes the event because its source gives none.
    async fn title_is_descriptive(&self) -> bool {
        self.0.title_is_descriptive
    }

    /// What kind of event.
    async fn kind(&self) -> EventKind {
        self.0.kind.into()
    }

    /// Whether it took place; null for a recurring or generic event.
    async fn status(&self) -> Option<EventStatus> {
        self.0.status.map(Into::into)
    }

    /// Its day as known; null for an event announced without a date.
    async fn date(&self) -> Option<FuzzyDate> {
        self.0.date.map(Into::into)
    }

    /// How often it recurs, for a series of events.
    async fn recurrence(&self) -> Option<&str> {
        self.0.recurrence.as_deref()
    }

    /// What it is about.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Where it takes place.
    async fn place(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.place_city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// Who organises it.
    async fn organiser(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organiser_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The partnership it belongs to.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, self.0.partnership_id.map(ById::new))
            .await?
            .map(Partnership))
    }

    /// The programme it belongs to.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, self.0.programme_id.map(ById::new))
            .await?
            .map(Programme))
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> EventRelatedLists {
        EventRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Event, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Event`, which it flattens in.
    EventRelatedLists {
        /// Who takes part.
        participants: EventParticipantConnection<EventParticipant> = ParticipantsOfEvent;
    }
}

/// A city, organisation or person taking part in an event.
#[derive(Clone)]
pub struct EventParticipant(pub domain::event::EventParticipant);

/// A city, organisation or person taking part in an event.
#[Object]
impl EventParticipant {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::EventParticipant, self.0.id)
    }

    /// The event.
    async fn event(&self, ctx: &Context<'_>) -> Result<Option<Event>> {
        Ok(load_one(ctx, Some(ById::new(self.0.event_id)))
            .await?
            .map(Event))
    }

    /// The city taking part.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The organisation taking part.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The person taking part.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load_one(ctx, self.0.person_id.map(ById::new))
            .await?
            .map(Person))
    }

    /// What they do there ("speaker", "host"), as written.
    async fn role(&self) -> Option<&str> {
        self.0.role.as_deref()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::EventParticipant, self.0.id, &self.0.stamp)
    }
}
