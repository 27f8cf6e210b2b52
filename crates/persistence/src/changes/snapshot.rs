//! What the change feed reads in an audit event's snapshots: who may see the record before
//! and after the change (what it belongs to, whether it is a draft), and which fields changed.
//! Only the names of fields leave this module, never their values: a snapshot may hold what
//! some callers may not read.

use domain::Id;
use domain::ownership::{Owner, may_be_owned};
use domain::source::RecordType;
use serde_json::{Map, Value};

/// A snapshot as recorded: a JSON object (anything else reads as an empty one).
pub(super) type Snapshot = Map<String, Value>;

/// What decides who may see a record in one of its states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// What the record belongs to: the directory, or a record whose visibility it shares. A
    /// record whose snapshot does not say (an event recorded before snapshots named it) is its
    /// own owner: it is seen as it is now.
    pub owner: Owner,
    /// A draft partnership: seen only by those who see its drafts.
    pub draft: bool,
}

/// Reads a snapshot's text; `None` when there is none or it is not a JSON object.
pub(super) fn parse(text: Option<&str>) -> Option<Snapshot> {
    match serde_json::from_str(text?) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Who may see record `id` of `kind` in the state `snapshot` records.
pub(super) fn standing(kind: RecordType, id: Id, snapshot: &Snapshot) -> Standing {
    use RecordType::*;
    let itself = Owner::Record(kind, id);
    let owner = match kind {
        Partnership => {
            let draft = match snapshot.get("status") {
                Some(Value::String(status)) => status == "draft",
                // A partnership recorded without its status is judged as it is now.
                _ => {
                    return Standing {
                        owner: itself,
                        draft: false,
                    };
                }
            };
            return Standing {
                owner: Owner::Directory,
                draft,
            };
        }
        PartnershipParty | Signatory | PartnershipDomain | Commitment | FollowUp | Report => {
            belongs_to(snapshot, "partnershipId", Partnership).unwrap_or(itself)
        }
        Indicator => belongs_to(snapshot, "reportId", Report).unwrap_or(itself),
        EventParticipant => belongs_to(snapshot, "eventId", Event).unwrap_or(itself),
        InitiativeOrganisation | Outcome | Lesson => {
            belongs_to(snapshot, "initiativeId", Initiative).unwrap_or(itself)
        }
        Event | Initiative => may_belong_to(snapshot, "partnershipId").unwrap_or(itself),
        Statement => may_belong_to(snapshot, "aboutPartnershipId").unwrap_or(itself),
        Citation => cited(snapshot).unwrap_or(itself),
        _ => Owner::Directory,
    };
    Standing {
        owner,
        draft: false,
    }
}

/// The fields whose value differs between the two snapshots (a field one of them lacks counts
/// as null), by name; the version, which every change bumps, is left out.
pub(super) fn changed_fields(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut fields: Vec<String> = before
        .keys()
        .chain(after.keys().filter(|key| !before.contains_key(*key)))
        .filter(|key| key.as_str() != "version")
        .filter(|key| {
            before.get(*key).unwrap_or(&Value::Null) != after.get(*key).unwrap_or(&Value::Null)
        })
        .cloned()
        .collect();
    fields.sort();
    fields
}

/// The fields a snapshot gives a value (not null), the version aside: what a record that
/// appears is created with.
pub(super) fn set_fields(snapshot: &Snapshot) -> Vec<String> {
    snapshot
        .iter()
        .filter(|(key, value)| key.as_str() != "version" && !value.is_null())
        .map(|(key, _)| key.clone())
        .collect()
}

/// The id under `key`, when the snapshot has one.
pub(super) fn id_at(snapshot: &Snapshot, key: &str) -> Option<Id> {
    snapshot
        .get(key)?
        .as_i64()
        .and_then(|id| Id::try_from(id).ok())
}

/// A part that always belongs to the record of `kind` under `key`; `None` when the snapshot
/// does not name it.
fn belongs_to(snapshot: &Snapshot, key: &str, kind: RecordType) -> Option<Owner> {
    id_at(snapshot, key).map(|id| Owner::Record(kind, id))
}

/// A record that belongs to a partnership when `key` names one, to the directory when `key` is
/// null; `None` when the snapshot lacks `key`.
fn may_belong_to(snapshot: &Snapshot, key: &str) -> Option<Owner> {
    match snapshot.get(key)? {
        Value::Null => Some(Owner::Directory),
        _ => belongs_to(snapshot, key, RecordType::Partnership),
    }
}

/// A citation belongs to the record it cites, when that record may be hidden.
fn cited(snapshot: &Snapshot) -> Option<Owner> {
    let kind: RecordType = snapshot.get("recordType")?.as_str()?.parse().ok()?;
    let id = id_at(snapshot, "recordId")?;
    Some(if may_be_owned(kind) {
        Owner::Record(kind, id)
    } else {
        Owner::Directory
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot(value: Value) -> Snapshot {
        match value {
            Value::Object(map) => map,
            _ => unreachable!("a test snapshot is an object"),
        }
    }

    #[test]
    fn a_draft_partnership_and_what_belongs_to_it_are_told_apart_from_public_records() {
        let draft = standing(
            RecordType::Partnership,
            7,
            &snapshot(json!({ "status": "draft" })),
        );
        assert_eq!((draft.owner, draft.draft), (Owner::Directory, true));
        let party = standing(
            RecordType::PartnershipParty,
            3,
            &snapshot(json!({ "partnershipId": 7 })),
        );
        assert_eq!(party.owner, Owner::Record(RecordType::Partnership, 7));
        let public_event = standing(
            RecordType::Event,
            2,
            &snapshot(json!({ "partnershipId": null })),
        );
        assert_eq!(public_event.owner, Owner::Directory);
        let city = standing(RecordType::City, 1, &snapshot(json!({ "slug": "x" })));
        assert_eq!((city.owner, city.draft), (Owner::Directory, false));
    }

    #[test]
    fn a_snapshot_that_does_not_say_what_owns_the_record_leaves_it_to_the_record_as_it_is_now() {
        let old_event = standing(RecordType::Event, 2, &snapshot(json!({ "slug": "x" })));
        assert_eq!(old_event.owner, Owner::Record(RecordType::Event, 2));
        let stub = standing(RecordType::Report, 5, &snapshot(json!({ "id": 5 })));
        assert_eq!(stub.owner, Owner::Record(RecordType::Report, 5));
    }

    #[test]
    fn a_citation_belongs_to_what_it_cites_when_that_may_be_hidden() {
        let of_partnership = snapshot(json!({ "recordType": "partnership", "recordId": 4 }));
        assert_eq!(
            standing(RecordType::Citation, 1, &of_partnership).owner,
            Owner::Record(RecordType::Partnership, 4)
        );
        let of_city = snapshot(json!({ "recordType": "city", "recordId": 4 }));
        assert_eq!(
            standing(RecordType::Citation, 1, &of_city).owner,
            Owner::Directory
        );
    }

    #[test]
    fn changed_fields_are_those_whose_value_differs_the_version_aside() {
        let before =
            snapshot(json!({ "name": "A", "population": 1, "website": null, "version": 1 }));
        let after = snapshot(json!({ "name": "A", "population": 2, "acronym": "X", "version": 2 }));
        assert_eq!(changed_fields(&before, &after), ["acronym", "population"]);
        assert_eq!(set_fields(&after), ["acronym", "name", "population"]);
    }
}
