//! Changes to a partnership's parts, in place: a party's role, a signatory, a domain and its
//! themes, a commitment, a follow-up arrangement. Each is written by those who may write the
//! partnership (a draft's parts stay hidden from the others: `NOT_FOUND`), if the version read
//! is still current, and passes the checks of a new part.

use domain::Id;
use domain::partnership::{
    Commitment, CommitmentKind, Domain, FollowUp, FollowUpKind, Party, PartyRole, Signatory,
    SignatoryCapacity,
};
use sea_orm::{ActiveValue::Set, IntoActiveModel};

use super::parts::{
    COMMITMENT, DOMAIN, DOMAIN_THEMES, FOLLOW_UP, PARTY, SIGNATORY, check_belongs, check_body,
    check_person,
};
use crate::entity::partnership_party;
use crate::write::{Field, Unit, WriteError, check_version, invalid};

/// A party's changes; `None` keeps the stored value. Who takes part stays: remove the party and
/// add another instead.
#[derive(Debug, Clone, Default)]
pub struct PartyChanges {
    pub role: Option<PartyRole>,
    /// The party, of the same partnership, on whose side it stands.
    pub side_of_party_id: Option<Id>,
}

/// A signatory's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct SignatoryChanges {
    pub person_id: Option<Id>,
    /// The party, of the same partnership, they signed for.
    pub party_id: Option<Id>,
    pub capacity: Option<SignatoryCapacity>,
    pub title_then: Option<String>,
}

/// A domain's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct DomainChanges {
    pub numeral: Option<String>,
    pub title: Option<String>,
    pub narrative: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

/// A commitment's changes; `None` keeps the stored value. It stays in its domain, at its
/// position.
#[derive(Debug, Clone, Default)]
pub struct CommitmentChanges {
    pub kind: Option<CommitmentKind>,
    pub text: Option<String>,
}

/// A follow-up arrangement's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct FollowUpChanges {
    /// The party, of the same partnership, it is responsible for.
    pub party_id: Option<Id>,
    pub body_organisation_id: Option<Id>,
    pub kind: Option<FollowUpKind>,
    pub frequency: Option<String>,
    pub description: Option<String>,
}

/// Changes a party's role, or the party on whose side it stands.
pub async fn update_party(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: PartyChanges,
) -> Result<Party, WriteError> {
    let (row, before) = PARTY.read_for_change(unit, id).await?;
    writable(unit, before.partnership_id, before.stamp.version, version).await?;
    if changes.side_of_party_id == Some(id) {
        return Err(invalid(
            Field::SideOf,
            "a party does not stand on its own side",
        ));
    }
    check_party(
        unit,
        changes.side_of_party_id,
        before.partnership_id,
        Field::SideOf,
    )
    .await?;
    let mut active = row.into_active_model();
    if let Some(role) = changes.role {
        active.role = Set(role.as_str().to_owned());
    }
    if let Some(side) = changes.side_of_party_id {
        active.side_of_party_id = Set(Some(side));
    }
    PARTY
        .save_change(
            unit,
            "update_partnership_party",
            (id, version),
            active,
            &before,
        )
        .await
}

/// Changes who signed, for which party, in which capacity or under which title.
pub async fn update_signatory(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: SignatoryChanges,
) -> Result<Signatory, WriteError> {
    let (row, before) = SIGNATORY.read_for_change(unit, id).await?;
    writable(unit, before.partnership_id, before.stamp.version, version).await?;
    if let Some(title_then) = &changes.title_then {
        domain::validate::check_name("title then", title_then)?;
    }
    if let Some(person_id) = changes.person_id {
        check_person(unit.tx(), person_id).await?;
    }
    check_party(unit, changes.party_id, before.partnership_id, Field::Party).await?;
    let mut active = row.into_active_model();
    if let Some(person_id) = changes.person_id {
        active.person_id = Set(person_id);
    }
    if let Some(party_id) = changes.party_id {
        active.party_id = Set(party_id);
    }
    if let Some(capacity) = changes.capacity {
        active.capacity = Set(capacity.as_str().to_owned());
    }
    if let Some(title_then) = changes.title_then {
        active.title_then = Set(title_then.trim().to_owned());
    }
    SIGNATORY
        .save_change(unit, "update_signatory", (id, version), active, &before)
        .await
}

/// Changes a domain's numeral, title, narrative or themes.
pub async fn update_domain(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: DomainChanges,
) -> Result<Domain, WriteError> {
    let (row, before) = DOMAIN.read_for_change(unit, id).await?;
    writable(unit, before.partnership_id, before.stamp.version, version).await?;
    if let Some(title) = &changes.title {
        domain::validate::check_name("title", title)?;
    }
    if let Some(slugs) = &changes.themes {
        let theme_ids = crate::theme::ids_of(unit.tx(), slugs).await?;
        crate::theme::tag(unit.tx(), DOMAIN_THEMES, id, &theme_ids, true).await?;
    }
    let mut active = row.into_active_model();
    if let Some(numeral) = changes.numeral {
        active.numeral = Set(Some(numeral));
    }
    if let Some(title) = changes.title {
        active.title = Set(title.trim().to_owned());
    }
    if let Some(narrative) = changes.narrative {
        active.narrative = Set(Some(narrative));
    }
    DOMAIN
        .save_change(
            unit,
            "update_partnership_domain",
            (id, version),
            active,
            &before,
        )
        .await
}

/// Changes what a commitment states, or its text.
pub async fn update_commitment(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: CommitmentChanges,
) -> Result<Commitment, WriteError> {
    let (row, before) = COMMITMENT.read_for_change(unit, id).await?;
    writable(unit, before.partnership_id, before.stamp.version, version).await?;
    if let Some(text) = &changes.text {
        domain::validate::check_name("text", text)?;
    }
    let mut active = row.into_active_model();
    if let Some(kind) = changes.kind {
        active.kind = Set(kind.as_str().to_owned());
    }
    if let Some(text) = changes.text {
        active.text = Set(text.trim().to_owned());
    }
    COMMITMENT
        .save_change(unit, "update_commitment", (id, version), active, &before)
        .await
}

/// Changes a follow-up arrangement: the party it is for, the body that carries it (naming a
/// body speaks for it, as when one is added), its kind, frequency or description.
pub async fn update_follow_up(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: FollowUpChanges,
) -> Result<FollowUp, WriteError> {
    let (row, before) = FOLLOW_UP.read_for_change(unit, id).await?;
    writable(unit, before.partnership_id, before.stamp.version, version).await?;
    if let Some(description) = &changes.description {
        domain::validate::check_name("description", description)?;
    }
    check_party(unit, changes.party_id, before.partnership_id, Field::Party).await?;
    if let Some(body) = changes.body_organisation_id
        && Some(body) != before.body_organisation_id
    {
        check_body(unit, body).await?;
    }
    let mut active = row.into_active_model();
    if let Some(party_id) = changes.party_id {
        active.party_id = Set(Some(party_id));
    }
    if let Some(body) = changes.body_organisation_id {
        active.body_organisation_id = Set(Some(body));
    }
    if let Some(kind) = changes.kind {
        active.kind = Set(kind.as_str().to_owned());
    }
    if let Some(frequency) = changes.frequency {
        active.frequency = Set(Some(frequency));
    }
    if let Some(description) = changes.description {
        active.description = Set(description.trim().to_owned());
    }
    FOLLOW_UP
        .save_change(unit, "update_follow_up", (id, version), active, &before)
        .await
}

/// Whether the actor may change a part of partnership `partnership_id` (a part of a draft it
/// may not see is `NOT_FOUND`, as one that does not exist), and the version it read is current.
async fn writable(
    unit: &Unit,
    partnership_id: Id,
    current: i32,
    read: i32,
) -> Result<(), WriteError> {
    super::check_may_write(unit.tx(), unit.actor(), partnership_id, Field::Id).await?;
    check_version(current, read)
}

/// `NOT_FOUND` on `field` when it names a party, but not one of partnership `partnership_id`.
async fn check_party(
    unit: &Unit,
    party_id: Option<Id>,
    partnership_id: Id,
    field: Field,
) -> Result<(), WriteError> {
    match party_id {
        Some(party_id) => {
            check_belongs::<partnership_party::Entity>(unit.tx(), party_id, partnership_id, field)
                .await
        }
        None => Ok(()),
    }
}
