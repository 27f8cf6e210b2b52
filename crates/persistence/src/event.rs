//! Writes to events: meetings, workshops and visits, with who took part — each participant
//! written through its kind, changed and (`delete.rs`) deleted by those who may write the
//! event.

use domain::event::EventParticipant;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::*;
use crate::write::{
    Change, Changing, Field, Kind, Rule, Unit, WriteError, broken, check_exists, names_missing,
    needed, set_given, set_if,
};

/// Events, as the write path handles them.
const EVENT: Kind<event::Entity, domain::event::Event> =
    Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

/// Those taking part in events, as the write path handles them.
const PARTICIPANT: Kind<event_participant::Entity, EventParticipant> = Kind {
    to_domain: crate::rows::event_participant,
    snapshot: |participant| {
        json!({ "eventId": participant.event_id, "cityId": participant.city_id,
            "organisationId": participant.organisation_id, "personId": participant.person_id,
            "role": participant.role, "version": participant.stamp.version })
    },
    unique: &[],
};

/// Who takes part in a new event.
#[derive(Debug, Clone)]
pub struct NewEventParticipant {
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub person_id: Option<Id>,
    pub role: Option<String>,
}

/// A new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub slug: String,
    pub title: String,
    pub kind: domain::event::EventKind,
    pub status: Option<domain::event::EventStatus>,
    pub date: Option<FuzzyDate>,
    pub description: Option<String>,
    pub place_city_id: Option<Id>,
    pub organiser_id: Option<Id>,
    pub partnership_id: Option<Id>,
    pub programme_id: Option<Id>,
    pub participants: Vec<NewEventParticipant>,
    /// The title describes the event rather than being its own.
    pub title_is_descriptive: bool,
    /// How often it recurs ("annual"), for a recurring event.
    pub recurrence: Option<String>,
}

/// Creates an event with its participants: editors; a partner who may write each of its
/// organiser, partnership and programme (at least one) and name each participant
/// (`Actor::check_names`). Its place only locates it: any city.
pub async fn create(unit: &Unit, new: NewEvent) -> Result<domain::event::Event, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.title.trim().is_empty() {
        return Err(needed(Field::Title, "an event has a title"));
    }
    if new
        .participants
        .iter()
        .any(|p| p.city_id.is_none() && p.organisation_id.is_none() && p.person_id.is_none())
    {
        return Err(needed(
            Field::Participants,
            "a participant is a city, an organisation or a person",
        ));
    }
    // Every record the event hangs from must be the caller's to write.
    let mut rights = Vec::new();
    if let Some(organiser_id) = new.organiser_id {
        rights.push(actor.check_writes_for(organiser_id));
    }
    if let Some(id) = new.partnership_id {
        rights.push(crate::write::right(
            crate::partnership::check_may_write(tx, actor, id, Field::Partnership).await,
        )?);
    }
    if let Some(id) = new.programme_id {
        rights.push(crate::write::right(
            crate::programme::check_writes_programme(tx, actor, id).await,
        )?);
    }
    actor.check_links(rights)?;
    for participant in &new.participants {
        crate::authority::check_names(
            tx,
            actor,
            crate::authority::Participant {
                city_id: participant.city_id,
                organisation_id: participant.organisation_id,
                person_id: participant.person_id,
            },
        )
        .await?;
    }
    let row = event::ActiveModel {
        search_name: Set(domain::search::fold(&new.title)),
        slug: Set(new.slug),
        title: Set(new.title.trim().to_owned()),
        title_is_descriptive: Set(new.title_is_descriptive),
        recurrence: Set(new.recurrence),
        kind: Set(new.kind.as_str().to_owned()),
        status: Set(new.status.map(|s| s.as_str().to_owned())),
        date_on: Set(new.date.map(|d| d.edtf())),
        date_earliest: Set(new.date.map(|d| d.earliest())),
        description: Set(new.description),
        place_city_id: Set(new.place_city_id),
        organiser_id: Set(new.organiser_id),
        partnership_id: Set(new.partnership_id),
        programme_id: Set(new.programme_id),
        ..Default::default()
    };
    let event = EVENT
        .insert_new(unit, "create_event", row)
        .await
        .map_err(names_missing(Field::Place))?;
    for participant in new.participants {
        let row = event_participant::ActiveModel {
            event_id: Set(event.id),
            city_id: Set(participant.city_id),
            organisation_id: Set(participant.organisation_id),
            person_id: Set(participant.person_id),
            role: Set(participant.role),
            ..Default::default()
        };
        PARTICIPANT
            .insert_new(unit, "add_event_participant", row)
            .await
            .map_err(names_missing(Field::Participants))?;
    }
    Ok(event)
}

/// An event's own fields as changed; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct EventChanges {
    pub title: Option<String>,
    pub status: Option<domain::event::EventStatus>,
    pub date: Option<FuzzyDate>,
    pub description: Option<String>,
    pub place_city_id: Option<Id>,
    pub recurrence: Option<String>,
}

fn snapshot(event: &domain::event::Event) -> serde_json::Value {
    json!({ "slug": event.slug, "title": event.title, "kind": event.kind.as_str(),
        "status": event.status.map(|s| s.as_str()), "date": event.date.map(|d| d.edtf()),
        "placeCityId": event.place_city_id, "partnershipId": event.partnership_id,
        "version": event.stamp.version })
}

/// Changes an event (editors, or a partner of its organiser), if `version` is still current.
impl Change for EventChanges {
    type Record = domain::event::Event;
    const KIND: Kind<event::Entity, domain::event::Event> = EVENT;
    const ACTION: &'static str = "update_event";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::event::Event,
    ) -> Result<(), WriteError> {
        check_writes(unit, before).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(title) = &self.title {
            domain::validate::check_name("title", title)?;
        }
        if let Some(city_id) = self.place_city_id {
            check_exists::<city::Entity>(to.unit.tx(), city_id, Field::Place).await?;
        }
        let active = &mut to.active;
        if let Some(title) = self.title {
            active.search_name = Set(domain::search::fold(&title));
            active.title = Set(title.trim().to_owned());
        }
        if let Some(date) = self.date {
            active.date_on = Set(Some(date.edtf()));
            active.date_earliest = Set(Some(date.earliest()));
        }
        set_given([
            (
                &mut active.status,
                self.status.map(|status| Some(status.as_str().to_owned())),
            ),
            (&mut active.description, self.description.map(Some)),
            (&mut active.recurrence, self.recurrence.map(Some)),
        ]);
        set_if(&mut active.place_city_id, self.place_city_id.map(Some));
        Ok(())
    }
}

/// Adds who takes part in an event (those who may write the event, naming only whom they may
/// name: `Actor::check_names`), once.
pub async fn add_participant(
    unit: &Unit,
    event_id: Id,
    new: NewEventParticipant,
) -> Result<EventParticipant, WriteError> {
    let tx = unit.tx();
    check_writes_event(unit, event_id)
        .await
        .map_err(|error| match error {
            WriteError::NotFound(_) => WriteError::NotFound(Field::Event),
            other => other,
        })?;
    let named = crate::authority::Participant {
        city_id: new.city_id,
        organisation_id: new.organisation_id,
        person_id: new.person_id,
    };
    let given = [new.city_id, new.organisation_id, new.person_id];
    if given.iter().flatten().count() != 1 {
        return Err(needed(
            Field::City,
            "a participant is one city, one organisation or one person",
        ));
    }
    crate::authority::check_names(tx, unit.actor(), named).await?;
    let mut already = event_participant::Entity::find().filter(Expr::col("event_id").eq(event_id));
    for (column, value) in [
        ("city_id", new.city_id),
        ("organisation_id", new.organisation_id),
        ("person_id", new.person_id),
    ] {
        already = already.filter(match value {
            Some(value) => Expr::col(column).eq(value),
            None => Expr::col(column).is_null(),
        });
    }
    // The field that named the participant, for a refusal of it.
    let field = match (new.city_id, new.organisation_id) {
        (Some(_), _) => Field::City,
        (None, Some(_)) => Field::Organisation,
        (None, None) => Field::Person,
    };
    if already.one(tx).await?.is_some() {
        return Err(broken(field, Rule::AlreadyParticipant));
    }
    let row = event_participant::ActiveModel {
        event_id: Set(event_id),
        city_id: Set(new.city_id),
        organisation_id: Set(new.organisation_id),
        person_id: Set(new.person_id),
        role: Set(new
            .role
            .map(|role| role.trim().to_owned())
            .filter(|role| !role.is_empty())),
        ..Default::default()
    };
    PARTICIPANT
        .insert_new(unit, "add_event_participant", row)
        .await
        .map_err(names_missing(field))
}

/// A change to what one taking part in an event does; `None` keeps it. Who takes part stays:
/// delete the participant and create another instead.
#[derive(Debug, Clone, Default)]
pub struct EventParticipantChanges {
    pub role: Option<String>,
}

/// Changes what a participant does at an event (those who may write the event), if `version`
/// is still current.
impl Change for EventParticipantChanges {
    type Record = EventParticipant;
    const KIND: Kind<event_participant::Entity, EventParticipant> = PARTICIPANT;
    const ACTION: &'static str = "update_event_participant";

    async fn authority(&self, unit: &Unit, before: &EventParticipant) -> Result<(), WriteError> {
        check_writes_event(unit, before.event_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let role = self
            .role
            .map(|role| Some(role.trim().to_owned()).filter(|role| !role.is_empty()));
        set_if(&mut to.active.role, role);
        Ok(())
    }
}

/// Whether the actor may write event `event_id` and what it holds: its organiser's partner,
/// or editors for an event no organisation organises. An event of a draft the actor may not
/// see is `NOT_FOUND`, as one that does not exist.
pub(crate) async fn check_writes_event(unit: &Unit, event_id: Id) -> Result<(), WriteError> {
    let (_, event) = EVENT
        .read_for_change(unit, event_id)
        .await
        .map_err(crate::write::hidden_is_absent)?;
    check_writes(unit, &event).await
}

/// Whether the actor may write `event` as it stands (`check_writes_event`).
async fn check_writes(unit: &Unit, event: &domain::event::Event) -> Result<(), WriteError> {
    if let Some(partnership_id) = event.partnership_id {
        crate::partnership::check_may_see(unit.tx(), unit.actor(), partnership_id, Field::Id)
            .await?;
    }
    match event.organiser_id {
        Some(organiser) => Ok(unit.actor().check_writes_for(organiser)?),
        None => Ok(unit.actor().check_editor()?),
    }
}
