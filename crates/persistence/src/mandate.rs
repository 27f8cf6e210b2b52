//! Mandates, loaded with the attestations that date them.

use std::collections::HashMap;

use domain::Id;
use domain::mandate::{Attestation, Mandate, Post};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::entity::mandate_attestation;
use crate::stored::{children, group};
use crate::{Db, Error};

/// Mandates held in each of these cities, oldest first.
pub async fn of_cities(db: &Db, city_ids: &[Id]) -> Result<HashMap<Id, Vec<Mandate>>, Error> {
    let mandates = with_attestations(
        db,
        children(db, "city_id", city_ids, &["start_earliest"]).await?,
    )
    .await?;
    Ok(group(mandates, |m| match m.holder_of {
        Post::City(id) => Some(id),
        Post::Organisation(_) => None,
    }))
}

/// Mandates held in each of these organisations, oldest first.
pub async fn of_organisations(
    db: &Db,
    organisation_ids: &[Id],
) -> Result<HashMap<Id, Vec<Mandate>>, Error> {
    let mandates = with_attestations(
        db,
        children(db, "organisation_id", organisation_ids, &["start_earliest"]).await?,
    )
    .await?;
    Ok(group(mandates, |m| match m.holder_of {
        Post::Organisation(id) => Some(id),
        Post::City(_) => None,
    }))
}

/// Mandates each of these people held, oldest first.
pub async fn of_people(db: &Db, person_ids: &[Id]) -> Result<HashMap<Id, Vec<Mandate>>, Error> {
    let mandates = with_attestations(
        db,
        children(db, "person_id", person_ids, &["start_earliest"]).await?,
    )
    .await?;
    Ok(group(mandates, |m| Some(m.person_id)))
}

/// Mandates by id, with their attestations.
pub async fn by_ids(db: &Db, ids: &[Id]) -> Result<HashMap<Id, Mandate>, Error> {
    let mandates = crate::stored::by_ids::<Mandate>(db, ids).await?;
    let mandates = with_attestations(db, mandates.into_values().collect()).await?;
    Ok(mandates.into_iter().map(|m| (m.id, m)).collect())
}

/// Attaches to each mandate the days sources attest it, in one statement for all.
async fn with_attestations(db: &Db, mut mandates: Vec<Mandate>) -> Result<Vec<Mandate>, Error> {
    if mandates.is_empty() {
        return Ok(mandates);
    }
    let rows = mandate_attestation::Entity::find()
        .filter(Expr::col("mandate_id").is_in(mandates.iter().map(|m| m.id)))
        .order_by_asc(Expr::col("attested_on"))
        .all(db.conn())
        .await?;
    let mut by_mandate: HashMap<Id, Vec<Attestation>> = HashMap::new();
    for row in rows {
        by_mandate
            .entry(row.mandate_id)
            .or_default()
            .push(Attestation {
                on: row.attested_on,
                source_id: row.source_id,
            });
    }
    for mandate in &mut mandates {
        mandate.attestations = by_mandate.remove(&mandate.id).unwrap_or_default();
    }
    Ok(mandates)
}
