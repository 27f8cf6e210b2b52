//! Editions of a programme: added after its last one, changed in place, each between its
//! neighbours by number and not surely overlapping them (`programme::check_follows`).

use chrono::NaiveDate;
use domain::fuzzy_date::Period;
use domain::programme::{Edition, EditionError, EditionStatus};
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::entity::*;
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, broken, invalid, on};

/// Editions, as the write path handles them.
const EDITION: Kind<programme_edition::Entity, Edition> =
    Kind::stored(snapshot).unique(&[("number", Field::Number)]);

/// A new edition of a programme, or what an edition becomes once changed.
#[derive(Debug, Clone)]
pub struct NewEdition {
    pub programme_id: Id,
    pub number: i32,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub duration_months: Option<i32>,
    pub status: EditionStatus,
    pub call_opens: Option<NaiveDate>,
    pub call_deadline: Option<NaiveDate>,
    pub note: Option<String>,
}

/// An edition's own fields as changed; `None` keeps the stored value. It stays in its
/// programme.
#[derive(Debug, Clone, Default)]
pub struct EditionChanges {
    pub number: Option<i32>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub duration_months: Option<i32>,
    pub status: Option<EditionStatus>,
    pub call_opens: Option<NaiveDate>,
    pub call_deadline: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Adds an edition after the programme's last one (those who run the programme): a higher
/// number, not surely starting before the last one ends (`programme::check_follows`).
pub async fn add(unit: &Unit, new: NewEdition) -> Result<Edition, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let period = check_own(&new)?;
    if programme::Entity::find_by_id(new.programme_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Programme));
    }
    super::check_writes_programme(tx, actor, new.programme_id).await?;
    check_place(unit, &new, &period, None).await?;
    EDITION
        .insert_new(unit, "add_edition", row(&new, &period))
        .await
}

/// Changes an edition (those who run its programme), if `version` is still current: the
/// edition as changed passes the checks of a new one, between the editions before and after
/// it.
impl Change for EditionChanges {
    type Record = Edition;
    const KIND: Kind<programme_edition::Entity, Edition> = EDITION;
    const ACTION: &'static str = "update_edition";

    async fn authority(&self, unit: &Unit, before: &Edition) -> Result<(), WriteError> {
        super::check_writes_programme(unit.tx(), unit.actor(), before.programme_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let changed = NewEdition {
            programme_id: before.programme_id,
            number: self.number.unwrap_or(before.number),
            start: self.start.or(before.period.start),
            end: self.end.or(before.period.end),
            duration_months: self.duration_months.or(before.duration_months),
            status: self.status.unwrap_or(before.status),
            call_opens: self.call_opens.or(before.call_opens),
            call_deadline: self.call_deadline.or(before.call_deadline),
            note: self.note.or_else(|| before.note.clone()),
        };
        let period = check_own(&changed)?;
        check_place(to.unit, &changed, &period, Some(before)).await?;
        to.active = row(&changed, &period);
        Ok(())
    }
}

/// The rules an edition keeps by itself: its period, and its call closing after it opens.
fn check_own(edition: &NewEdition) -> Result<Period, WriteError> {
    let period = Period::new(edition.start, edition.end).map_err(on(Field::End))?;
    if let (Some(opens), Some(deadline)) = (edition.call_opens, edition.call_deadline)
        && deadline < opens
    {
        return Err(invalid(
            Field::CallDeadline,
            format!("the call's deadline {deadline} is before its opening {opens}"),
        ));
    }
    Ok(period)
}

/// The edition among its programme's others: it follows the one before it and the one after
/// it follows it. A new edition (`stored` none) comes after the last; a changed one keeps its
/// place between the editions around its stored number.
async fn check_place(
    unit: &Unit,
    edition: &NewEdition,
    period: &Period,
    stored: Option<&Edition>,
) -> Result<(), WriteError> {
    let others = programme_edition::Entity::find()
        .filter(Expr::col("programme_id").eq(edition.programme_id))
        .order_by_asc(Expr::col("number"))
        .all(unit.tx())
        .await?
        .into_iter()
        .map(crate::rows::edition)
        .collect::<Result<Vec<_>, _>>()?;
    let (previous, next) = match stored {
        None => (others.last(), None),
        Some(stored) => (
            others
                .iter()
                .rev()
                .find(|other| other.number < stored.number),
            others.iter().find(|other| other.number > stored.number),
        ),
    };
    if let Some(previous) = previous {
        domain::programme::check_follows(previous, edition.number, period).map_err(|error| {
            let field = match error {
                EditionError::NotAfter { .. } => Field::Number,
                EditionError::Overlaps { .. } => Field::Start,
            };
            broken(field, error)
        })?;
    }
    if let (Some(next), Some(stored)) = (next, stored) {
        let changed = Edition {
            number: edition.number,
            period: *period,
            ..stored.clone()
        };
        domain::programme::check_follows(&changed, next.number, &next.period).map_err(|error| {
            let field = match error {
                EditionError::NotAfter { .. } => Field::Number,
                EditionError::Overlaps { .. } => Field::End,
            };
            broken(field, error)
        })?;
    }
    Ok(())
}

/// The row of an edition: the one place its columns are written, for a new edition and a
/// changed one.
fn row(edition: &NewEdition, period: &Period) -> programme_edition::ActiveModel {
    programme_edition::ActiveModel {
        programme_id: Set(edition.programme_id),
        number: Set(edition.number),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        duration_months: Set(edition.duration_months),
        status: Set(edition.status.as_str().to_owned()),
        note: Set(edition.note.clone()),
        call_opens: Set(edition.call_opens),
        call_deadline: Set(edition.call_deadline),
        ..Default::default()
    }
}

/// An edition as the audit trail keeps it.
fn snapshot(edition: &Edition) -> serde_json::Value {
    json!({ "programmeId": edition.programme_id, "number": edition.number,
        "start": edition.period.start.map(|d| d.edtf()), "end": edition.period.end.map(|d| d.edtf()),
        "durationMonths": edition.duration_months, "status": edition.status.as_str(),
        "callOpens": edition.call_opens, "callDeadline": edition.call_deadline,
        "note": edition.note, "version": edition.stamp.version })
}
