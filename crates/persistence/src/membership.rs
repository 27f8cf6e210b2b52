//! Writes to memberships: an organisation's partner or an editor adds members, corrects and
//! ends memberships (ended, not deleted: history is kept).

use domain::access::Actor;
use domain::fuzzy_date::Period;
use domain::membership::{Member, Membership, MembershipKind};
use domain::{FuzzyDate, Id};
use sea_orm::{ActiveValue::Set, EntityTrait, IntoActiveModel};
use serde_json::json;

use crate::entity::{city, membership, organisation};
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, invalid, set_if};

/// Memberships, as the write path handles them.
const MEMBERSHIP: Kind<membership::Entity, domain::membership::Membership> = Kind::stored(snapshot);

/// A membership to add.
#[derive(Debug, Clone)]
pub struct NewMembership {
    pub organisation_id: Id,
    pub member: Member,
    pub kind: MembershipKind,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
}

pub(crate) fn snapshot(membership: &Membership) -> serde_json::Value {
    let (city_id, organisation_id) = match membership.member {
        Member::City(id) => (Some(id), None),
        Member::Organisation(id) => (None, Some(id)),
    };
    json!({
        "organisationId": membership.organisation_id, "memberCityId": city_id, "memberOrganisationId": organisation_id,
        "kind": membership.kind.as_str(), "start": membership.period.start.map(|d| d.edtf()),
        "end": membership.period.end.map(|d| d.edtf()), "version": membership.stamp.version,
    })
}

/// A membership belongs to both sides: the organisation joined, and a member organisation.
fn check_writes(actor: &Actor, organisation_id: Id, member: Member) -> Result<(), WriteError> {
    match (actor.check_writes_for(organisation_id), member) {
        (Ok(()), _) => Ok(()),
        (Err(_), Member::Organisation(member_id)) if actor.check_writes_for(member_id).is_ok() => {
            Ok(())
        }
        (Err(denied), _) => Err(denied.into()),
    }
}

/// Adds a member to an organisation (a partner of either side, or editors).
pub async fn add(unit: &Unit, new: NewMembership) -> Result<Membership, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    actor.check_declares_membership(new.organisation_id, new.member)?;
    let period = Period::new(new.start, new.end)?;
    if organisation::Entity::find_by_id(new.organisation_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Organisation));
    }
    let (member_city_id, member_organisation_id) = match new.member {
        Member::City(id) => {
            if city::Entity::find_by_id(id).one(tx).await?.is_none() {
                return Err(WriteError::NotFound(Field::MemberCity));
            }
            (Some(id), None)
        }
        Member::Organisation(id) => {
            if id == new.organisation_id {
                return Err(invalid(
                    Field::MemberOrganisation,
                    "an organisation is not its own member",
                ));
            }
            if organisation::Entity::find_by_id(id)
                .one(tx)
                .await?
                .is_none()
            {
                return Err(WriteError::NotFound(Field::MemberOrganisation));
            }
            (None, Some(id))
        }
    };
    let active = membership::ActiveModel {
        organisation_id: Set(new.organisation_id),
        member_city_id: Set(member_city_id),
        member_organisation_id: Set(member_organisation_id),
        kind: Set(new.kind.as_str().to_owned()),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        ..Default::default()
    };
    MEMBERSHIP.insert_new(unit, "add_membership", active).await
}

/// Ends a membership on a date, if `version` is still current.
pub async fn end(
    unit: &Unit,
    id: Id,
    version: i32,
    end: FuzzyDate,
) -> Result<Membership, WriteError> {
    let actor = unit.actor();
    let (row, before) = MEMBERSHIP.read_for_change(unit, id).await?;
    check_writes(actor, before.organisation_id, before.member)?;
    crate::write::check_version(before.stamp.version, version)?;
    actor.check_moves_end(before.period.end.map(|d| d.latest()), end.latest())?;
    let period = Period::new(before.period.start, Some(end))?;
    let mut active = row.into_active_model();
    active.end_on = Set(period.end.map(|d| d.edtf()));
    active.end_latest = Set(period.end.map(|d| d.latest()));
    MEMBERSHIP
        .save_change(unit, "end_membership", (id, version), active, &before)
        .await
}

/// A membership's corrections; `None` keeps the stored value. Who is a member of what stays,
/// and its end moves with `end`.
#[derive(Debug, Clone, Default)]
pub struct MembershipChanges {
    pub kind: Option<MembershipKind>,
    pub start: Option<FuzzyDate>,
}

/// Corrects a membership's kind or start, if `version` is still current, by whoever may
/// declare it (`Actor::check_declares_membership`): a city's membership lets partners act for
/// the city from its start, so only an editor corrects one; its period stays ordered.
impl Change for MembershipChanges {
    type Record = Membership;
    const KIND: Kind<membership::Entity, Membership> = MEMBERSHIP;
    const ACTION: &'static str = "update_membership";

    async fn authority(&self, unit: &Unit, before: &Membership) -> Result<(), WriteError> {
        Ok(unit
            .actor()
            .check_declares_membership(before.organisation_id, before.member)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let period = Period::new(self.start.or(to.before.period.start), to.before.period.end)?;
        let active = &mut to.active;
        set_if(
            &mut active.kind,
            self.kind.map(|kind| kind.as_str().to_owned()),
        );
        active.start_on = Set(period.start.map(|d| d.edtf()));
        active.start_earliest = Set(period.start.map(|d| d.earliest()));
        Ok(())
    }
}
