//! The parts of a partnership, each added and removed the one way whether the partnership is
//! being created or changed later: parties, signatories, domains of cooperation, commitments
//! and follow-up arrangements. Each part takes the next position among its siblings and is
//! written through its kind (`PARTY`, `SIGNATORY`…), which the audit trail snapshots the same
//! way when it is added, changed (`changes.rs`) or removed.

use domain::Id;
use domain::membership::Member;
use domain::partnership::{
    Commitment, CommitmentKind, Domain, FollowUp, FollowUpKind, Partnership, Party, PartyRole,
    Signatory, SignatoryCapacity,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter,
};
use serde_json::json;

use crate::entity::{
    commitment, follow_up, organisation, partnership, partnership_domain, partnership_party,
    person, signatory,
};
use crate::rows;
use crate::write::{Field, Kind, Unit, WriteError};

/// Parties, as the write path handles them.
pub(super) const PARTY: Kind<partnership_party::Entity, Party> = Kind {
    to_domain: rows::party,
    snapshot: |party| {
        let (city_id, organisation_id) = ids_of(party.actor);
        json!({ "partnershipId": party.partnership_id, "role": party.role.as_str(), "cityId": city_id,
            "organisationId": organisation_id, "sideOfPartyId": party.side_of_party_id,
            "position": party.position, "version": party.stamp.version })
    },
    unique: &[],
};

/// Signatories, as the write path handles them.
pub(super) const SIGNATORY: Kind<signatory::Entity, Signatory> = Kind {
    to_domain: rows::signatory,
    snapshot: |signatory| {
        json!({ "partnershipId": signatory.partnership_id, "personId": signatory.person_id,
            "partyId": signatory.party_id, "capacity": signatory.capacity.as_str(),
            "titleThen": signatory.title_then, "position": signatory.position,
            "version": signatory.stamp.version })
    },
    unique: &[],
};

/// Domains of cooperation, as the write path handles them (their themes are a link table).
pub(super) const DOMAIN: Kind<partnership_domain::Entity, Domain> = Kind {
    to_domain: rows::domain,
    snapshot: |domain| {
        json!({ "partnershipId": domain.partnership_id, "numeral": domain.numeral,
            "title": domain.title, "narrative": domain.narrative, "position": domain.position,
            "version": domain.stamp.version })
    },
    unique: &[],
};

/// Commitments, as the write path handles them.
pub(super) const COMMITMENT: Kind<commitment::Entity, Commitment> = Kind {
    to_domain: rows::commitment,
    snapshot: |commitment| {
        json!({ "partnershipId": commitment.partnership_id, "domainId": commitment.domain_id,
            "kind": commitment.kind.as_str(), "text": commitment.text,
            "position": commitment.position, "version": commitment.stamp.version })
    },
    unique: &[],
};

/// Follow-up arrangements, as the write path handles them.
pub(super) const FOLLOW_UP: Kind<follow_up::Entity, FollowUp> = Kind {
    to_domain: rows::follow_up,
    snapshot: |follow_up| {
        json!({ "partnershipId": follow_up.partnership_id, "partyId": follow_up.party_id,
            "bodyOrganisationId": follow_up.body_organisation_id, "kind": follow_up.kind.as_str(),
            "frequency": follow_up.frequency, "description": follow_up.description,
            "position": follow_up.position, "version": follow_up.stamp.version })
    },
    unique: &[],
};

/// A part of a partnership to add.
#[derive(Debug, Clone)]
pub enum NewPart {
    Party {
        actor: Member,
        role: PartyRole,
        side_of_party_id: Option<Id>,
    },
    Signatory {
        person_id: Id,
        party_id: Id,
        capacity: SignatoryCapacity,
        title_then: String,
    },
    /// A domain of cooperation: a heading of the agreement, with its own themes.
    Domain {
        numeral: Option<String>,
        title: String,
        narrative: Option<String>,
        /// Theme slugs.
        themes: Vec<String>,
    },
    Commitment {
        domain_id: Option<Id>,
        kind: CommitmentKind,
        text: String,
    },
    /// How the partnership is followed up: a committee, a report, a meeting.
    FollowUp {
        party_id: Option<Id>,
        body_organisation_id: Option<Id>,
        kind: FollowUpKind,
        frequency: Option<String>,
        description: String,
    },
}

/// A part of a partnership to remove, by kind and id.
#[derive(Debug, Clone, Copy)]
pub enum PartRef {
    Party(Id),
    Signatory(Id),
    Domain(Id),
    Commitment(Id),
    FollowUp(Id),
}

/// Adds a part to a partnership the actor may write; returns the partnership.
pub async fn add_part(
    unit: &Unit,
    partnership_id: Id,
    part: NewPart,
) -> Result<Partnership, WriteError> {
    super::check_may_write(unit.tx(), unit.actor(), partnership_id, Field::Partnership).await?;
    insert_part(unit, partnership_id, part).await?;
    load(unit.tx(), partnership_id).await
}

/// Adds a part to partnership `partnership_id`, whose writer the caller has checked; returns
/// the part's id.
pub(crate) async fn insert_part(
    unit: &Unit,
    partnership_id: Id,
    part: NewPart,
) -> Result<Id, WriteError> {
    let tx = unit.tx();
    match part {
        NewPart::Party {
            actor,
            role,
            side_of_party_id,
        } => {
            super::check_actor_exists(tx, actor).await?;
            if let Some(side) = side_of_party_id {
                check_belongs::<partnership_party::Entity>(tx, side, partnership_id, Field::SideOf)
                    .await?;
            }
            let (city_id, organisation_id) = ids_of(actor);
            let row = partnership_party::ActiveModel {
                partnership_id: Set(partnership_id),
                city_id: Set(city_id),
                organisation_id: Set(organisation_id),
                role: Set(role.as_str().to_owned()),
                side_of_party_id: Set(side_of_party_id),
                position: Set(next_position(tx, "partnership_party", partnership_id, None).await?),
                ..Default::default()
            };
            Ok(PARTY
                .insert_new(unit, "add_partnership_party", row)
                .await?
                .id)
        }
        NewPart::Signatory {
            person_id,
            party_id,
            capacity,
            title_then,
        } => {
            domain::validate::check_name("title then", &title_then)?;
            check_person(tx, person_id).await?;
            check_belongs::<partnership_party::Entity>(tx, party_id, partnership_id, Field::Party)
                .await?;
            let row = signatory::ActiveModel {
                partnership_id: Set(partnership_id),
                person_id: Set(person_id),
                party_id: Set(party_id),
                capacity: Set(capacity.as_str().to_owned()),
                title_then: Set(title_then.trim().to_owned()),
                position: Set(next_position(tx, "signatory", partnership_id, None).await?),
                ..Default::default()
            };
            Ok(SIGNATORY.insert_new(unit, "add_signatory", row).await?.id)
        }
        NewPart::Domain {
            numeral,
            title,
            narrative,
            themes,
        } => {
            domain::validate::check_name("title", &title)?;
            let theme_ids = crate::theme::ids_of(tx, &themes).await?;
            let row = partnership_domain::ActiveModel {
                partnership_id: Set(partnership_id),
                position: Set(next_position(tx, "partnership_domain", partnership_id, None).await?),
                numeral: Set(numeral),
                title: Set(title.trim().to_owned()),
                narrative: Set(narrative),
                ..Default::default()
            };
            let domain = DOMAIN
                .insert_new(unit, "add_partnership_domain", row)
                .await?;
            crate::theme::tag(tx, DOMAIN_THEMES, domain.id, &theme_ids, false).await?;
            Ok(domain.id)
        }
        NewPart::Commitment {
            domain_id,
            kind,
            text,
        } => {
            domain::validate::check_name("text", &text)?;
            if let Some(domain_id) = domain_id {
                check_belongs::<partnership_domain::Entity>(
                    tx,
                    domain_id,
                    partnership_id,
                    Field::Domain,
                )
                .await?;
            }
            // Commitments are numbered within their domain.
            let position = next_position(tx, "commitment", partnership_id, Some(domain_id)).await?;
            let row = commitment::ActiveModel {
                partnership_id: Set(partnership_id),
                domain_id: Set(domain_id),
                position: Set(position),
                kind: Set(kind.as_str().to_owned()),
                text: Set(text.trim().to_owned()),
                ..Default::default()
            };
            Ok(COMMITMENT.insert_new(unit, "add_commitment", row).await?.id)
        }
        NewPart::FollowUp {
            party_id,
            body_organisation_id,
            kind,
            frequency,
            description,
        } => {
            domain::validate::check_name("description", &description)?;
            if let Some(party_id) = party_id {
                check_belongs::<partnership_party::Entity>(
                    tx,
                    party_id,
                    partnership_id,
                    Field::Party,
                )
                .await?;
            }
            if let Some(body) = body_organisation_id {
                check_body(unit, body).await?;
            }
            let row = follow_up::ActiveModel {
                partnership_id: Set(partnership_id),
                party_id: Set(party_id),
                body_organisation_id: Set(body_organisation_id),
                kind: Set(kind.as_str().to_owned()),
                frequency: Set(frequency),
                description: Set(description.trim().to_owned()),
                position: Set(next_position(tx, "follow_up", partnership_id, None).await?),
                ..Default::default()
            };
            Ok(FOLLOW_UP.insert_new(unit, "add_follow_up", row).await?.id)
        }
    }
}

/// Removes a part of a partnership the actor may write: a party with the signatures made for
/// it, a domain with its commitments, each recorded as removed; returns the partnership.
pub async fn remove_part(unit: &Unit, part: PartRef) -> Result<Partnership, WriteError> {
    let tx = unit.tx();
    let partnership_id = match part {
        PartRef::Party(id) => PARTY.read_for_change(unit, id).await?.1.partnership_id,
        PartRef::Signatory(id) => SIGNATORY.read_for_change(unit, id).await?.1.partnership_id,
        PartRef::Domain(id) => DOMAIN.read_for_change(unit, id).await?.1.partnership_id,
        PartRef::Commitment(id) => COMMITMENT.read_for_change(unit, id).await?.1.partnership_id,
        PartRef::FollowUp(id) => FOLLOW_UP.read_for_change(unit, id).await?.1.partnership_id,
    };
    super::check_may_write(tx, unit.actor(), partnership_id, Field::Id).await?;
    match part {
        PartRef::Party(id) => {
            // Partners standing beside the removed party no longer name it, nor do the
            // follow-ups it was responsible for: each is a change to that part.
            let beside = partnership_party::Entity::find()
                .filter(Expr::col("side_of_party_id").eq(id))
                .all(tx)
                .await?;
            for row in beside {
                let (row, before) = PARTY.read_for_change(unit, row.id).await?;
                let mut active = row.into_active_model();
                active.side_of_party_id = Set(None);
                let key = (before.id, before.stamp.version);
                PARTY
                    .save_change(unit, "update_partnership_party", key, active, &before)
                    .await?;
            }
            let followed = follow_up::Entity::find()
                .filter(Expr::col("party_id").eq(id))
                .all(tx)
                .await?;
            for row in followed {
                let (row, before) = FOLLOW_UP.read_for_change(unit, row.id).await?;
                let mut active = row.into_active_model();
                active.party_id = Set(None);
                let key = (before.id, before.stamp.version);
                FOLLOW_UP
                    .save_change(unit, "update_follow_up", key, active, &before)
                    .await?;
            }
            let signatures = signatory::Entity::find()
                .filter(Expr::col("party_id").eq(id))
                .all(tx)
                .await?;
            for row in signatures {
                let signature = rows::signatory(row)?;
                SIGNATORY
                    .delete(unit, "remove_signatory", signature.id, &signature)
                    .await?;
            }
            let (_, party) = PARTY.read_for_change(unit, id).await?;
            PARTY
                .delete(unit, "remove_partnership_party", id, &party)
                .await?;
        }
        PartRef::Domain(id) => {
            let commitments = commitment::Entity::find()
                .filter(Expr::col("domain_id").eq(id))
                .all(tx)
                .await?;
            for row in commitments {
                let commitment = rows::commitment(row)?;
                COMMITMENT
                    .delete(unit, "remove_commitment", commitment.id, &commitment)
                    .await?;
            }
            crate::theme::tag(tx, DOMAIN_THEMES, id, &[], true).await?;
            let (_, domain) = DOMAIN.read_for_change(unit, id).await?;
            DOMAIN
                .delete(unit, "remove_partnership_domain", id, &domain)
                .await?;
        }
        PartRef::Signatory(id) => {
            let (_, signature) = SIGNATORY.read_for_change(unit, id).await?;
            SIGNATORY
                .delete(unit, "remove_signatory", id, &signature)
                .await?;
        }
        PartRef::Commitment(id) => {
            let (_, commitment) = COMMITMENT.read_for_change(unit, id).await?;
            COMMITMENT
                .delete(unit, "remove_commitment", id, &commitment)
                .await?;
        }
        PartRef::FollowUp(id) => {
            let (_, follow_up) = FOLLOW_UP.read_for_change(unit, id).await?;
            FOLLOW_UP
                .delete(unit, "remove_follow_up", id, &follow_up)
                .await?;
        }
    }
    load(tx, partnership_id).await
}

/// The link table of a domain's themes.
pub(super) const DOMAIN_THEMES: (&str, &str) = ("partnership_domain_theme", "domain_id");

/// The city and the organisation columns of a party.
fn ids_of(actor: Member) -> (Option<Id>, Option<Id>) {
    match actor {
        Member::City(id) => (Some(id), None),
        Member::Organisation(id) => (None, Some(id)),
    }
}

/// Refuses a person who does not exist: `NOT_FOUND` on `person`.
pub(super) async fn check_person(
    tx: &DatabaseTransaction,
    person_id: Id,
) -> Result<(), WriteError> {
    match person::Entity::find_by_id(person_id).one(tx).await? {
        Some(_) => Ok(()),
        None => Err(WriteError::NotFound(Field::Person)),
    }
}

/// Refuses a body that does not exist (`NOT_FOUND` on `body`) or that the actor may not name:
/// naming the body that carries a follow-up speaks for that organisation.
pub(super) async fn check_body(unit: &Unit, body: Id) -> Result<(), WriteError> {
    if organisation::Entity::find_by_id(body)
        .one(unit.tx())
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Body));
    }
    let named = crate::authority::Participant {
        organisation_id: Some(body),
        ..Default::default()
    };
    crate::authority::check_names(unit.tx(), unit.actor(), named).await
}

async fn load(tx: &DatabaseTransaction, id: Id) -> Result<Partnership, WriteError> {
    let row = partnership::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound(Field::Partnership))?;
    Ok(rows::partnership(row)?)
}

/// Refuses a part that names a sibling (`id` in `E`) of another partnership, or none.
pub(super) async fn check_belongs<E>(
    tx: &DatabaseTransaction,
    id: Id,
    partnership_id: Id,
    field: Field,
) -> Result<(), WriteError>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let found = E::find()
        .filter(Expr::col("id").eq(id))
        .filter(Expr::col("partnership_id").eq(partnership_id))
        .one(tx)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(WriteError::NotFound(field)),
    }
}

/// The position after the last part of `table` in the partnership (within `group`, a domain
/// or none, when given).
async fn next_position(
    tx: &DatabaseTransaction,
    table: &'static str,
    partnership_id: Id,
    group: Option<Option<Id>>,
) -> Result<i32, WriteError> {
    let mut query = Query::select()
        .expr_as(Expr::cust("COALESCE(MAX(position), 0)"), "last")
        .from(table)
        .and_where(Expr::col("partnership_id").eq(partnership_id))
        .to_owned();
    match group {
        Some(Some(domain_id)) => query.and_where(Expr::col("domain_id").eq(domain_id)),
        Some(None) => query.and_where(Expr::col("domain_id").is_null()),
        None => &mut query,
    };
    let last: i32 = match tx.query_one(&query).await? {
        Some(row) => row.try_get("", "last").unwrap_or(0),
        None => 0,
    };
    Ok(last + 1)
}
