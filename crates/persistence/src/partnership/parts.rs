//! The parts of a partnership, each added and removed the one way whether the partnership is
//! being created or changed later: parties, signatories, domains of cooperation, commitments
//! and follow-up arrangements. Each part takes the next position among its siblings and is
//! recorded in the audit trail on its own.

use domain::Id;
use domain::membership::Member;
use domain::partnership::{
    CommitmentKind, FollowUpKind, Partnership, PartyRole, SignatoryCapacity,
};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::{
    commitment, follow_up, organisation, partnership, partnership_domain, partnership_party,
    person, signatory,
};
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

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
            let (city_id, organisation_id) = match actor {
                Member::City(id) => (Some(id), None),
                Member::Organisation(id) => (None, Some(id)),
            };
            let row = partnership_party::ActiveModel {
                partnership_id: Set(partnership_id),
                city_id: Set(city_id),
                organisation_id: Set(organisation_id),
                role: Set(role.as_str().to_owned()),
                side_of_party_id: Set(side_of_party_id),
                position: Set(next_position(tx, "partnership_party", partnership_id, None).await?),
                ..Default::default()
            };
            let row = insert_new(unit, "add_partnership_party", row, &[], Ok, |row| {
                json!({ "partnershipId": row.partnership_id, "role": row.role, "cityId": row.city_id,
                    "organisationId": row.organisation_id, "sideOfPartyId": row.side_of_party_id })
            })
            .await?;
            Ok(row.id)
        }
        NewPart::Signatory {
            person_id,
            party_id,
            capacity,
            title_then,
        } => {
            domain::validate::check_name("title then", &title_then)?;
            if person::Entity::find_by_id(person_id)
                .one(tx)
                .await?
                .is_none()
            {
                return Err(WriteError::NotFound(Field::Person));
            }
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
            let row = insert_new(unit, "add_signatory", row, &[], Ok, |row| {
                json!({ "partnershipId": row.partnership_id, "personId": row.person_id,
                    "partyId": row.party_id, "capacity": row.capacity, "titleThen": row.title_then })
            })
            .await?;
            Ok(row.id)
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
            let row = insert_new(unit, "add_partnership_domain", row, &[], Ok, |row| {
                json!({ "partnershipId": row.partnership_id, "numeral": row.numeral,
                    "title": row.title, "themes": themes })
            })
            .await?;
            crate::theme::tag(
                tx,
                ("partnership_domain_theme", "domain_id"),
                row.id,
                &theme_ids,
                false,
            )
            .await?;
            Ok(row.id)
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
            let row = insert_new(unit, "add_commitment", row, &[], Ok, |row| {
                json!({ "partnershipId": row.partnership_id, "domainId": row.domain_id,
                    "kind": row.kind, "text": row.text, "position": row.position })
            })
            .await?;
            Ok(row.id)
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
                if organisation::Entity::find_by_id(body)
                    .one(tx)
                    .await?
                    .is_none()
                {
                    return Err(WriteError::NotFound(Field::Body));
                }
                // Naming the body that carries it speaks for that organisation.
                let named = crate::authority::Participant {
                    organisation_id: Some(body),
                    ..Default::default()
                };
                crate::authority::check_names(tx, unit.actor(), named).await?;
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
            let row = insert_new(unit, "add_follow_up", row, &[], Ok, |row| {
                json!({ "partnershipId": row.partnership_id, "partyId": row.party_id,
                    "bodyOrganisationId": row.body_organisation_id, "kind": row.kind,
                    "description": row.description })
            })
            .await?;
            Ok(row.id)
        }
    }
}

/// Removes a part of a partnership the actor may write: a party with the signatures made for
/// it, a domain with its commitments; returns the partnership.
pub async fn remove_part(unit: &Unit, part: PartRef) -> Result<Partnership, WriteError> {
    let tx = unit.tx();
    let not_found = WriteError::NotFound(Field::Id);
    let (table, id, partnership_id, before) = match part {
        PartRef::Party(id) => {
            let row = partnership_party::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(not_found)?;
            (
                "partnership_party",
                id,
                row.partnership_id,
                json!({ "partnershipId": row.partnership_id, "role": row.role, "cityId": row.city_id,
                    "organisationId": row.organisation_id }),
            )
        }
        PartRef::Signatory(id) => {
            let row = signatory::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(not_found)?;
            (
                "signatory",
                id,
                row.partnership_id,
                json!({ "partnershipId": row.partnership_id, "personId": row.person_id,
                    "partyId": row.party_id, "titleThen": row.title_then }),
            )
        }
        PartRef::Domain(id) => {
            let row = partnership_domain::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(not_found)?;
            (
                "partnership_domain",
                id,
                row.partnership_id,
                json!({ "partnershipId": row.partnership_id, "numeral": row.numeral, "title": row.title }),
            )
        }
        PartRef::Commitment(id) => {
            let row = commitment::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(not_found)?;
            (
                "commitment",
                id,
                row.partnership_id,
                json!({ "partnershipId": row.partnership_id, "kind": row.kind, "text": row.text,
                    "position": row.position }),
            )
        }
        PartRef::FollowUp(id) => {
            let row = follow_up::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(not_found)?;
            (
                "follow_up",
                id,
                row.partnership_id,
                json!({ "partnershipId": row.partnership_id, "kind": row.kind,
                    "description": row.description }),
            )
        }
    };
    super::check_may_write(tx, unit.actor(), partnership_id, Field::Partnership).await?;
    match part {
        PartRef::Party(party_id) => {
            // Partners standing beside the removed party no longer name it.
            set_null(tx, "partnership_party", "side_of_party_id", party_id).await?;
            set_null(tx, "follow_up", "party_id", party_id).await?;
            delete_where(tx, "signatory", "party_id", party_id).await?;
        }
        PartRef::Domain(domain_id) => {
            delete_where(tx, "commitment", "domain_id", domain_id).await?;
            delete_where(tx, "partnership_domain_theme", "domain_id", domain_id).await?;
        }
        PartRef::Signatory(_) | PartRef::Commitment(_) | PartRef::FollowUp(_) => {}
    }
    delete_where(tx, table, "id", id).await?;
    unit.audit(&format!("remove_{table}"), table, id, Some(before), None)
        .await?;
    load(tx, partnership_id).await
}

async fn load(tx: &DatabaseTransaction, id: Id) -> Result<Partnership, WriteError> {
    let row = partnership::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound(Field::Partnership))?;
    Ok(rows::partnership(row)?)
}

/// Refuses a part that names a sibling (`id` in `E`) of another partnership, or none.
async fn check_belongs<E>(
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

async fn set_null(
    tx: &DatabaseTransaction,
    table: &'static str,
    column: &'static str,
    id: Id,
) -> Result<(), WriteError> {
    let update = Query::update()
        .table(table)
        .value(column, Expr::cust("NULL"))
        .and_where(Expr::col(column).eq(id))
        .to_owned();
    tx.execute(&update).await?;
    Ok(())
}

async fn delete_where(
    tx: &DatabaseTransaction,
    table: &'static str,
    column: &'static str,
    id: Id,
) -> Result<(), WriteError> {
    let delete = Query::delete()
        .from_table(table)
        .and_where(Expr::col(column).eq(id))
        .to_owned();
    tx.execute(&delete).await?;
    Ok(())
}
