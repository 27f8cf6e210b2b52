//! Writes to relations between organisations: one founded, funds, runs or merged into another.

use domain::organisation::{OrganisationRelation, RelationKind};
use domain::{FuzzyDate, Id};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::entity::{organisation, organisation_relation};
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new, invalid};

/// A new relation from one organisation to another.
#[derive(Debug, Clone)]
pub struct NewRelation {
    pub from_organisation_id: Id,
    pub to_organisation_id: Id,
    pub kind: RelationKind,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
}

/// Records a relation between two organisations (a partner of the first, or editors).
pub async fn create(unit: &Unit, new: NewRelation) -> Result<OrganisationRelation, WriteError> {
    unit.actor().check_writes_for(new.from_organisation_id)?;
    let period = domain::fuzzy_date::Period::new(new.start, new.end)?;
    if new.from_organisation_id == new.to_organisation_id {
        return Err(invalid(
            Field::To,
            "an organisation is not related to itself",
        ));
    }
    for (id, field) in [
        (new.from_organisation_id, Field::From),
        (new.to_organisation_id, Field::To),
    ] {
        if organisation::Entity::find_by_id(id)
            .one(unit.tx())
            .await?
            .is_none()
        {
            return Err(WriteError::NotFound(field));
        }
    }
    let row = organisation_relation::ActiveModel {
        from_organisation_id: Set(new.from_organisation_id),
        to_organisation_id: Set(new.to_organisation_id),
        kind: Set(new.kind.as_str().to_owned()),
        start_on: Set(period.start.map(|d| d.edtf())),
        end_on: Set(period.end.map(|d| d.edtf())),
        ..Default::default()
    };
    let row = insert_new(unit, "relate_organisations", row, &[], Ok, |row| {
        json!({ "fromOrganisationId": row.from_organisation_id, "toOrganisationId": row.to_organisation_id,
            "kind": row.kind, "start": row.start_on, "end": row.end_on })
    })
    .await?;
    Ok(rows::organisation_relation(row)?)
}
