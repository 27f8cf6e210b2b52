//! Events: information sessions, workshops, meetings and signing ceremonies around a
//! partnership or a programme.

use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// What kind of event.
    pub enum EventKind {
        InformationSession = "information_session",
        Workshop = "workshop",
        Meeting = "meeting",
        SigningCeremony = "signing_ceremony",
    }
}

string_enum! {
    /// Whether an event took place.
    pub enum EventStatus {
        Planned = "planned",
        Held = "held",
    }
}

/// An event of the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: Id,
    pub slug: String,
    pub title: String,
    /// The source gives no title: this one describes the event.
    pub title_is_descriptive: bool,
    pub kind: EventKind,
    /// Unknown for a recurring or generic event.
    pub status: Option<EventStatus>,
    /// Its day as known; none for an announced session without a date.
    pub date: Option<FuzzyDate>,
    /// How often it recurs, when it is a series ("between members, as projects need").
    pub recurrence: Option<String>,
    pub description: Option<String>,
    pub place_city_id: Option<Id>,
    pub organiser_id: Option<Id>,
    pub partnership_id: Option<Id>,
    pub programme_id: Option<Id>,
    pub stamp: Stamp,
}

/// A city, organisation or person taking part in an event.
#[derive(Debug, Clone, PartialEq)]
pub struct EventParticipant {
    pub id: Id,
    pub event_id: Id,
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub person_id: Option<Id>,
    /// What they do there ("speaker", "host"), as written.
    pub role: Option<String>,
    pub stamp: Stamp,
}
