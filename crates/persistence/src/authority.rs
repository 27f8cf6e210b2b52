//! Who may write what, where the answer needs the database: whether a partner acts for a city
//! (its organisation counts the city among its current members) and whom it may name in its
//! records. The rules themselves are `domain::access`'s; this module only reads what they need.

use chrono::Utc;
use domain::Id;
use domain::access::{AccessError, Actor, Named, Role};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{DatabaseTransaction, EntityTrait, QueryFilter};

use crate::entity::membership;
use crate::write::WriteError;

/// Whether the city is a member of the organisation on `day`, by the domain's rule.
pub(crate) async fn is_member_on(
    tx: &DatabaseTransaction,
    organisation_id: Id,
    city_id: Id,
    day: chrono::NaiveDate,
) -> Result<bool, WriteError> {
    let rows = membership::Entity::find()
        .filter(Expr::col("organisation_id").eq(organisation_id))
        .filter(Expr::col("member_city_id").eq(city_id))
        .all(tx)
        .await?;
    let memberships = rows
        .into_iter()
        .map(crate::rows::membership)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(domain::membership::is_member_on(
        &memberships,
        organisation_id,
        day,
    ))
}

/// Whether a partner may act for a city: the city is a member of its organisation.
pub(crate) async fn check_acts_for_city(
    tx: &DatabaseTransaction,
    actor: &Actor,
    city_id: Id,
) -> Result<(), WriteError> {
    if acts_for_city(tx, actor, city_id).await? {
        Ok(())
    } else {
        Err(AccessError::NotOwnOrganisation.into())
    }
}

/// Whether the actor acts for the city: editors and admins always, a partner when the city is
/// a current member of its organisation.
async fn acts_for_city(
    tx: &DatabaseTransaction,
    actor: &Actor,
    city_id: Id,
) -> Result<bool, WriteError> {
    match (actor.role, actor.organisation_id) {
        (Role::Partner, Some(organisation_id)) => {
            is_member_on(tx, organisation_id, city_id, Utc::now().date_naive()).await
        }
        (Role::Partner, None) => Ok(false),
        _ => Ok(true),
    }
}

/// Who a write names as taking part in a record: at most one city, organisation or person.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Participant {
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub person_id: Option<Id>,
}

/// Whether the actor may name a body taking part in a record — a city or an organisation, as
/// a recognition or a programme participant names one — under the rules of `check_names`.
pub(crate) async fn check_names_body(
    unit: &crate::write::Unit,
    city_id: Option<Id>,
    organisation_id: Option<Id>,
) -> Result<(), WriteError> {
    let body = Participant {
        city_id,
        organisation_id,
        person_id: None,
    };
    check_names(unit.tx(), unit.actor(), body).await
}

/// Whether the actor may name each of `participant`'s city, organisation and person
/// (`Actor::check_names`).
pub(crate) async fn check_names(
    tx: &DatabaseTransaction,
    actor: &Actor,
    participant: Participant,
) -> Result<(), WriteError> {
    if actor.role != Role::Partner {
        return Ok(());
    }
    if let Some(city_id) = participant.city_id {
        let acted_for = acts_for_city(tx, actor, city_id).await?;
        actor.check_names(Named::City { acted_for })?;
    }
    if let Some(organisation_id) = participant.organisation_id {
        actor.check_names(Named::Organisation(organisation_id))?;
    }
    if participant.person_id.is_some() {
        actor.check_names(Named::Person)?;
    }
    Ok(())
}
