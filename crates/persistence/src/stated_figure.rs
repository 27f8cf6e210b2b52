//! Writes to stated figures: a number a source gives about an organisation, an edition or an
//! award ("près de 60 villes membres"), with how exact it is.

use chrono::NaiveDate;
use domain::Id;
use domain::organisation::{FigureSubject, Qualifier, StatedFigure};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::stated_figure;
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new, invalid};

/// A new stated figure.
#[derive(Debug, Clone)]
pub struct NewFigure {
    pub subject: FigureSubject,
    pub measure: String,
    pub value: f64,
    pub unit: String,
    pub qualifier: Qualifier,
    pub as_of: Option<NaiveDate>,
    pub source_id: Option<Id>,
    pub note: Option<String>,
}

/// Records a figure a source states (editors).
pub async fn create(unit: &Unit, new: NewFigure) -> Result<StatedFigure, WriteError> {
    unit.actor().check_editor()?;
    domain::validate::check_name("measure", &new.measure)?;
    if !new.value.is_finite() {
        return Err(invalid(Field::Value, "a figure is a finite number"));
    }
    let (organisation_id, edition_id, award_id) = match new.subject {
        FigureSubject::Organisation(id) => (Some(id), None, None),
        FigureSubject::Edition(id) => (None, Some(id), None),
        FigureSubject::Award(id) => (None, None, Some(id)),
    };
    let row = stated_figure::ActiveModel {
        organisation_id: Set(organisation_id),
        edition_id: Set(edition_id),
        award_id: Set(award_id),
        measure: Set(new.measure),
        value: Set(new.value),
        unit: Set(new.unit),
        qualifier: Set(new.qualifier.as_str().to_owned()),
        as_of: Set(new.as_of),
        source_id: Set(new.source_id),
        note: Set(new.note),
        ..Default::default()
    };
    let row = insert_new(unit, "state_figure", row, &[], Ok, |row| {
        json!({ "organisationId": row.organisation_id, "editionId": row.edition_id, "awardId": row.award_id,
            "measure": row.measure, "value": row.value, "unit": row.unit, "qualifier": row.qualifier })
    })
    .await?;
    Ok(rows::stated_figure(row)?)
}
