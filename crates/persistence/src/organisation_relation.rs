//! Writes to relations between organisations: one founded, funds, runs or merged into another —
//! recorded, changed and (`delete.rs`) deleted by a partner of the first, or editors.

use domain::fuzzy_date::Period;
use domain::organisation::{OrganisationRelation, RelationKind};
use domain::{FuzzyDate, Id};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::{organisation, organisation_relation};
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, check_exists, invalid, set_if,
};

/// Relations between organisations, as the write path handles them.
const RELATION: Kind<organisation_relation::Entity, OrganisationRelation> = Kind::stored(snapshot);

/// A new relation from one organisation to another.
#[derive(Debug, Clone)]
pub struct NewRelation {
    pub from_organisation_id: Id,
    pub to_organisation_id: Id,
    pub kind: RelationKind,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
}

/// A relation's changes; `None` keeps the stored value. Its two organisations stay.
#[derive(Debug, Clone, Default)]
pub struct RelationChanges {
    pub kind: Option<RelationKind>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
}

/// Records a relation between two organisations (a partner of the first, or editors).
pub async fn create(unit: &Unit, new: NewRelation) -> Result<OrganisationRelation, WriteError> {
    unit.actor().check_writes_for(new.from_organisation_id)?;
    let period = Period::new(new.start, new.end)?;
    if new.from_organisation_id == new.to_organisation_id {
        return Err(invalid(
            Field::To,
            "an organisation is not related to itself",
        ));
    }
    check_exists::<organisation::Entity>(unit.tx(), new.from_organisation_id, Field::From).await?;
    check_exists::<organisation::Entity>(unit.tx(), new.to_organisation_id, Field::To).await?;
    let row = organisation_relation::ActiveModel {
        from_organisation_id: Set(new.from_organisation_id),
        to_organisation_id: Set(new.to_organisation_id),
        kind: Set(new.kind.as_str().to_owned()),
        start_on: Set(period.start.map(|d| d.edtf())),
        end_on: Set(period.end.map(|d| d.edtf())),
        ..Default::default()
    };
    RELATION.insert_new(unit, "relate_organisations", row).await
}

/// Changes a relation's kind or period (a partner of its first organisation, or editors), if
/// `version` is still current; its period stays ordered.
impl Change for RelationChanges {
    type Record = OrganisationRelation;
    const KIND: Kind<organisation_relation::Entity, OrganisationRelation> = RELATION;
    const ACTION: &'static str = "update_organisation_relation";

    async fn authority(
        &self,
        unit: &Unit,
        before: &OrganisationRelation,
    ) -> Result<(), WriteError> {
        Ok(unit.actor().check_writes_for(before.from_organisation_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let period = Period::new(
            self.start.or(to.before.period.start),
            self.end.or(to.before.period.end),
        )?;
        let active = &mut to.active;
        set_if(
            &mut active.kind,
            self.kind.map(|kind| kind.as_str().to_owned()),
        );
        active.start_on = Set(period.start.map(|d| d.edtf()));
        active.end_on = Set(period.end.map(|d| d.edtf()));
        Ok(())
    }
}

/// A relation as the audit trail keeps it.
fn snapshot(relation: &OrganisationRelation) -> serde_json::Value {
    json!({ "fromOrganisationId": relation.from_organisation_id,
        "toOrganisationId": relation.to_organisation_id, "kind": relation.kind.as_str(),
        "start": relation.period.start.map(|d| d.edtf()), "end": relation.period.end.map(|d| d.edtf()),
        "version": relation.stamp.version })
}
