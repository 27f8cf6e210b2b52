//! Changes to a partnership's parts, in place: a party's role, a signatory, a domain and its
//! themes, a commitment, a follow-up arrangement. Each is written by those who may write the
//! partnership (a draft's parts stay hidden from the others: `NOT_FOUND`), if the version read
//! is still current, and passes the checks of a new part.

use domain::Id;
use domain::partnership::{
    Commitment, CommitmentKind, Domain, FollowUp, FollowUpKind, Party, PartyRole, Signatory,
    SignatoryCapacity,
};

use super::parts::{
    COMMITMENT, DOMAIN, DOMAIN_THEMES, FOLLOW_UP, PARTY, SIGNATORY, check_belongs, check_body,
    check_person,
};
use crate::entity::{commitment, follow_up, partnership_domain, partnership_party, signatory};
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, invalid, set_given, set_if};

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
impl Change for PartyChanges {
    type Record = Party;
    const KIND: Kind<partnership_party::Entity, Party> = PARTY;
    const ACTION: &'static str = "update_partnership_party";

    async fn authority(&self, unit: &Unit, before: &Party) -> Result<(), WriteError> {
        writable(unit, before.partnership_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if self.side_of_party_id == Some(to.id) {
            return Err(invalid(
                Field::SideOf,
                "a party does not stand on its own side",
            ));
        }
        let partnership_id = to.before.partnership_id;
        check_party(
            to.unit,
            self.side_of_party_id,
            partnership_id,
            Field::SideOf,
        )
        .await?;
        let active = &mut to.active;
        set_if(
            &mut active.role,
            self.role.map(|role| role.as_str().to_owned()),
        );
        set_if(
            &mut active.side_of_party_id,
            self.side_of_party_id.map(Some),
        );
        Ok(())
    }
}

/// Changes who signed, for which party, in which capacity or under which title.
impl Change for SignatoryChanges {
    type Record = Signatory;
    const KIND: Kind<signatory::Entity, Signatory> = SIGNATORY;
    const ACTION: &'static str = "update_signatory";

    async fn authority(&self, unit: &Unit, before: &Signatory) -> Result<(), WriteError> {
        writable(unit, before.partnership_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(title_then) = &self.title_then {
            domain::validate::check_name("title then", title_then)?;
        }
        if let Some(person_id) = self.person_id {
            check_person(to.unit.tx(), person_id).await?;
        }
        let partnership_id = to.before.partnership_id;
        check_party(to.unit, self.party_id, partnership_id, Field::Party).await?;
        let active = &mut to.active;
        set_given([
            (&mut active.person_id, self.person_id),
            (&mut active.party_id, self.party_id),
        ]);
        set_given([
            (
                &mut active.capacity,
                self.capacity.map(|capacity| capacity.as_str().to_owned()),
            ),
            (
                &mut active.title_then,
                self.title_then.map(|title| title.trim().to_owned()),
            ),
        ]);
        Ok(())
    }
}

/// Changes a domain's numeral, title, narrative or themes.
impl Change for DomainChanges {
    type Record = Domain;
    const KIND: Kind<partnership_domain::Entity, Domain> = DOMAIN;
    const ACTION: &'static str = "update_partnership_domain";

    async fn authority(&self, unit: &Unit, before: &Domain) -> Result<(), WriteError> {
        writable(unit, before.partnership_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(title) = &self.title {
            domain::validate::check_name("title", title)?;
        }
        if let Some(slugs) = &self.themes {
            let theme_ids = crate::theme::ids_of(to.unit.tx(), slugs).await?;
            crate::theme::tag(to.unit.tx(), DOMAIN_THEMES, to.id, &theme_ids, true).await?;
        }
        let active = &mut to.active;
        set_if(
            &mut active.title,
            self.title.map(|title| title.trim().to_owned()),
        );
        set_given([
            (&mut active.numeral, self.numeral.map(Some)),
            (&mut active.narrative, self.narrative.map(Some)),
        ]);
        Ok(())
    }
}

/// Changes what a commitment states, or its text.
impl Change for CommitmentChanges {
    type Record = Commitment;
    const KIND: Kind<commitment::Entity, Commitment> = COMMITMENT;
    const ACTION: &'static str = "update_commitment";

    async fn authority(&self, unit: &Unit, before: &Commitment) -> Result<(), WriteError> {
        writable(unit, before.partnership_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(text) = &self.text {
            domain::validate::check_name("text", text)?;
        }
        set_given([
            (
                &mut to.active.kind,
                self.kind.map(|kind| kind.as_str().to_owned()),
            ),
            (
                &mut to.active.text,
                self.text.map(|text| text.trim().to_owned()),
            ),
        ]);
        Ok(())
    }
}

/// Changes a follow-up arrangement: the party it is for, the body that carries it (naming a
/// body speaks for it, as when one is added), its kind, frequency or description.
impl Change for FollowUpChanges {
    type Record = FollowUp;
    const KIND: Kind<follow_up::Entity, FollowUp> = FOLLOW_UP;
    const ACTION: &'static str = "update_follow_up";

    async fn authority(&self, unit: &Unit, before: &FollowUp) -> Result<(), WriteError> {
        writable(unit, before.partnership_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(description) = &self.description {
            domain::validate::check_name("description", description)?;
        }
        let partnership_id = to.before.partnership_id;
        check_party(to.unit, self.party_id, partnership_id, Field::Party).await?;
        if let Some(body) = self.body_organisation_id
            && Some(body) != to.before.body_organisation_id
        {
            check_body(to.unit, body).await?;
        }
        let active = &mut to.active;
        set_given([
            (&mut active.party_id, self.party_id.map(Some)),
            (
                &mut active.body_organisation_id,
                self.body_organisation_id.map(Some),
            ),
        ]);
        set_given([
            (
                &mut active.kind,
                self.kind.map(|kind| kind.as_str().to_owned()),
            ),
            (
                &mut active.description,
                self.description.map(|text| text.trim().to_owned()),
            ),
        ]);
        set_if(&mut active.frequency, self.frequency.map(Some));
        Ok(())
    }
}

/// Whether the actor may change a part of partnership `partnership_id` (a part of a draft it
/// may not see is `NOT_FOUND`, as one that does not exist).
async fn writable(unit: &Unit, partnership_id: Id) -> Result<(), WriteError> {
    super::check_may_write(unit.tx(), unit.actor(), partnership_id, Field::Id).await
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
