//! Outcomes of an initiative: what was measured, added after its others and changed in place
//! by those who may write the initiative.

use domain::fuzzy_date::Period;
use domain::initiative::{EvidenceLevel, Outcome};
use domain::{FuzzyDate, Id};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::*;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, invalid, names_missing, needed, on,
};

/// Outcomes, as the write path handles them.
const OUTCOME: Kind<outcome::Entity, Outcome> = Kind::stored(snapshot);

/// A measured result of an initiative, or what an outcome becomes once changed.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub initiative_id: Id,
    /// What is measured.
    pub indicator: String,
    /// The unit of the values, if they have one.
    pub unit: Option<String>,
    /// The value before the initiative.
    pub baseline: Option<f64>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value reached.
    pub actual: Option<f64>,
    /// When the measure began.
    pub start: Option<FuzzyDate>,
    /// When the measure ended.
    pub end: Option<FuzzyDate>,
    /// How far the figures are backed.
    pub evidence_level: EvidenceLevel,
    pub source_id: Option<Id>,
    pub note: Option<String>,
}

/// An outcome's own fields as changed; `None` keeps the stored value. It stays with its
/// initiative, at its position.
#[derive(Debug, Clone, Default)]
pub struct OutcomeChanges {
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub evidence_level: Option<EvidenceLevel>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub source_id: Option<Id>,
    pub note: Option<String>,
}

/// Adds an outcome after the initiative's others.
pub async fn add(unit: &Unit, new: NewOutcome) -> Result<Outcome, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let period = check(&new)?;
    super::writable_initiative(tx, actor, new.initiative_id).await?;
    let mut active = row(&new, &period);
    active.position = Set(super::next_position::<outcome::Entity>(tx, new.initiative_id).await?);
    OUTCOME
        .insert_new(unit, "add_outcome", active)
        .await
        .map_err(names_missing(Field::Source))
}

/// Changes an outcome (those who may write its initiative), if `version` is still current:
/// the outcome as changed passes the checks of a new one.
impl Change for OutcomeChanges {
    type Record = Outcome;
    const KIND: Kind<outcome::Entity, Outcome> = OUTCOME;
    const ACTION: &'static str = "update_outcome";

    fn explain(&self) -> impl FnOnce(WriteError) -> WriteError + Send + 'static {
        names_missing(Field::Source)
    }

    async fn authority(&self, unit: &Unit, before: &Outcome) -> Result<(), WriteError> {
        super::check_changes_initiative(unit, before.initiative_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let changed = NewOutcome {
            initiative_id: before.initiative_id,
            indicator: self.indicator.unwrap_or_else(|| before.indicator.clone()),
            unit: self.unit.or_else(|| before.unit.clone()),
            baseline: self.baseline.or(before.baseline),
            target: self.target.or(before.target),
            actual: self.actual.or(before.actual),
            start: self.start.or(before.period.start),
            end: self.end.or(before.period.end),
            evidence_level: self.evidence_level.unwrap_or(before.evidence_level),
            source_id: self.source_id.or(before.source_id),
            note: self.note.or_else(|| before.note.clone()),
        };
        let period = check(&changed)?;
        to.active = row(&changed, &period);
        Ok(())
    }
}

/// The rules an outcome keeps: it names its indicator, its values are finite numbers, its
/// period ends after it starts.
fn check(outcome: &NewOutcome) -> Result<Period, WriteError> {
    if outcome.indicator.trim().is_empty() {
        return Err(needed(Field::Indicator, "an outcome names its indicator"));
    }
    for (value, field) in [
        (outcome.baseline, Field::Baseline),
        (outcome.target, Field::Target),
        (outcome.actual, Field::Actual),
    ] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(invalid(field, "a value is a finite number"));
        }
    }
    Period::new(outcome.start, outcome.end).map_err(on(Field::End))
}

/// The row of an outcome but for its position: the one place its columns are written, for a
/// new outcome and a changed one.
fn row(outcome: &NewOutcome, period: &Period) -> outcome::ActiveModel {
    outcome::ActiveModel {
        initiative_id: Set(outcome.initiative_id),
        indicator: Set(outcome.indicator.clone()),
        unit: Set(outcome.unit.clone()),
        baseline: Set(outcome.baseline),
        target: Set(outcome.target),
        actual: Set(outcome.actual),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        evidence_level: Set(outcome.evidence_level.as_str().to_owned()),
        source_id: Set(outcome.source_id),
        note: Set(outcome.note.clone()),
        ..Default::default()
    }
}

/// An outcome as the audit trail keeps it.
fn snapshot(outcome: &Outcome) -> serde_json::Value {
    json!({ "initiativeId": outcome.initiative_id, "position": outcome.position,
        "indicator": outcome.indicator, "unit": outcome.unit, "baseline": outcome.baseline,
        "target": outcome.target, "actual": outcome.actual,
        "start": outcome.period.start.map(|d| d.edtf()), "end": outcome.period.end.map(|d| d.edtf()),
        "evidenceLevel": outcome.evidence_level.as_str(), "sourceId": outcome.source_id,
        "note": outcome.note, "version": outcome.stamp.version })
}
