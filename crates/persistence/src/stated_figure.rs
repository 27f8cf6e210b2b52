//! Writes to stated figures: a number a source gives about an organisation, an edition or an
//! award ("près de 60 villes membres"), with how exact it is — recorded, changed and
//! (`delete.rs`) deleted by editors.

use chrono::NaiveDate;
use domain::Id;
use domain::organisation::{FigureSubject, Qualifier, StatedFigure};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::{award, organisation, programme_edition, source, stated_figure};
use crate::write::{
    Change, Changing, Field, Kind, Problems, Unit, WriteError, check_exists, invalid, set_given,
    set_if,
};

/// Stated figures, as the write path handles them.
const FIGURE: Kind<stated_figure::Entity, StatedFigure> = Kind::stored(snapshot);

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

/// A figure's changes; `None` keeps the stored value. Its subject stays.
#[derive(Debug, Clone, Default)]
pub struct FigureChanges {
    pub measure: Option<String>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub qualifier: Option<Qualifier>,
    pub as_of: Option<NaiveDate>,
    pub source_id: Option<Id>,
    pub note: Option<String>,
}

/// Records a figure a source states (editors).
pub async fn create(unit: &Unit, new: NewFigure) -> Result<StatedFigure, WriteError> {
    unit.actor().check_editor()?;
    check(Some(&new.measure), Some(new.value))?;
    let tx = unit.tx();
    let (organisation_id, edition_id, award_id) = match new.subject {
        FigureSubject::Organisation(id) => {
            check_exists::<organisation::Entity>(tx, id, Field::Organisation).await?;
            (Some(id), None, None)
        }
        FigureSubject::Edition(id) => {
            check_exists::<programme_edition::Entity>(tx, id, Field::Edition).await?;
            (None, Some(id), None)
        }
        FigureSubject::Award(id) => {
            check_exists::<award::Entity>(tx, id, Field::Award).await?;
            (None, None, Some(id))
        }
    };
    if let Some(source_id) = new.source_id {
        check_exists::<source::Entity>(tx, source_id, Field::Source).await?;
    }
    let row = stated_figure::ActiveModel {
        organisation_id: Set(organisation_id),
        edition_id: Set(edition_id),
        award_id: Set(award_id),
        measure: Set(new.measure.trim().to_owned()),
        value: Set(new.value),
        unit: Set(new.unit),
        qualifier: Set(new.qualifier.as_str().to_owned()),
        as_of: Set(new.as_of),
        source_id: Set(new.source_id),
        note: Set(new.note),
        ..Default::default()
    };
    FIGURE.insert_new(unit, "state_figure", row).await
}

/// Changes a stated figure (editors), if `version` is still current.
impl Change for FigureChanges {
    type Record = StatedFigure;
    const KIND: Kind<stated_figure::Entity, StatedFigure> = FIGURE;
    const ACTION: &'static str = "update_stated_figure";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        check(self.measure.as_deref(), self.value)?;
        if let Some(source_id) = self.source_id {
            check_exists::<source::Entity>(to.unit.tx(), source_id, Field::Source).await?;
        }
        let active = &mut to.active;
        set_given([
            (
                &mut active.measure,
                self.measure.map(|measure| measure.trim().to_owned()),
            ),
            (&mut active.unit, self.unit),
            (
                &mut active.qualifier,
                self.qualifier.map(|q| q.as_str().to_owned()),
            ),
        ]);
        set_if(&mut active.value, self.value);
        set_if(&mut active.as_of, self.as_of.map(Some));
        set_if(&mut active.source_id, self.source_id.map(Some));
        set_if(&mut active.note, self.note.map(Some));
        Ok(())
    }
}

/// A figure names what it measures and is a finite number: both reported at once.
fn check(measure: Option<&str>, value: Option<f64>) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    if let Some(measure) = measure {
        problems.check(domain::validate::check_name("measure", measure));
    }
    if value.is_some_and(|value| !value.is_finite()) {
        problems.check(Err(invalid(Field::Value, "a figure is a finite number")));
    }
    problems.into_result()
}

/// A figure as the audit trail keeps it.
fn snapshot(figure: &StatedFigure) -> serde_json::Value {
    let (organisation_id, edition_id, award_id) = match figure.subject {
        FigureSubject::Organisation(id) => (Some(id), None, None),
        FigureSubject::Edition(id) => (None, Some(id), None),
        FigureSubject::Award(id) => (None, None, Some(id)),
    };
    json!({ "organisationId": organisation_id, "editionId": edition_id, "awardId": award_id,
        "measure": figure.measure, "value": figure.value, "unit": figure.unit,
        "qualifier": figure.qualifier.as_str(), "asOf": figure.as_of, "sourceId": figure.source_id,
        "note": figure.note, "version": figure.stamp.version })
}
