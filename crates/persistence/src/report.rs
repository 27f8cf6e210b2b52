//! Writes to partnership reports: what a partnership achieved over a period, with indicators
//! on its themes — each indicator written through its kind, changed and (`delete.rs`) deleted
//! by those who may write the partnership.

use chrono::NaiveDate;
use domain::fuzzy_date::Period;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, broken, invalid, names_missing, needed, on,
    set_given, set_if,
};

/// Partnership reports, as the write path handles them.
const REPORT: Kind<partnership_report::Entity, domain::partnership::Report> =
    Kind::stored(snapshot);

/// Indicators of reports, as the write path handles them.
const INDICATOR: Kind<report_indicator::Entity, domain::partnership::Indicator> = Kind {
    to_domain: crate::rows::indicator,
    snapshot: |indicator| {
        json!({ "reportId": indicator.report_id, "position": indicator.position,
            "themeId": indicator.theme_id, "name": indicator.name, "unit": indicator.unit,
            "target": indicator.target, "value": indicator.value, "note": indicator.note,
            "version": indicator.stamp.version })
    },
    unique: &[],
};

/// An indicator of a new report.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    /// The slug of the theme it measures; one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    pub name: String,
    pub unit: Option<String>,
    pub target: Option<f64>,
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// A report on a partnership, or what a report becomes once changed.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub partnership_id: Id,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub summary: String,
    pub published_on: Option<NaiveDate>,
    pub source_id: Option<Id>,
    pub indicators: Vec<NewIndicator>,
}

/// Adds a report with its indicators to a partnership (editors, or a partner of one of its
/// parties), checked by `partnership::check_report`.
pub async fn add(unit: &Unit, new: NewReport) -> Result<domain::partnership::Report, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let period = check_own(&new)?;
    crate::partnership::check_may_write(tx, actor, new.partnership_id, Field::Partnership).await?;
    let partnership = partnership_of(unit, new.partnership_id).await?;
    let covered = covered_themes(unit, partnership.id).await?;
    let mut theme_ids = Vec::new();
    for indicator in &new.indicators {
        theme_ids.push(match &indicator.theme {
            Some(slug) => Some(
                crate::theme::ids_of(tx, std::slice::from_ref(slug))
                    .await
                    .map_err(|_| WriteError::NotFound(Field::Indicators))?[0],
            ),
            None => None,
        });
    }
    check_report(
        &partnership,
        &period,
        theme_ids
            .iter()
            .map(|id| id.is_none_or(|id| covered.contains(&id))),
    )?;
    let report = REPORT
        .insert_new(unit, "add_partnership_report", row(&new, &period))
        .await
        .map_err(names_missing(Field::Source))?;
    for (index, (indicator, theme_id)) in new.indicators.into_iter().zip(theme_ids).enumerate() {
        let row = report_indicator::ActiveModel {
            report_id: Set(report.id),
            position: Set(index as i32 + 1),
            theme_id: Set(theme_id),
            name: Set(indicator.name.trim().to_owned()),
            unit: Set(indicator.unit),
            target: Set(indicator.target),
            value: Set(indicator.value),
            note: Set(indicator.note),
            ..Default::default()
        };
        INDICATOR
            .insert_new(unit, "add_report_indicator", row)
            .await?;
    }
    Ok(report)
}

/// Adds an indicator after a report's others (editors, or a partner of one of the
/// partnership's parties), checked as those added with the report: on the partnership's themes.
pub async fn add_indicator(
    unit: &Unit,
    report_id: Id,
    new: NewIndicator,
) -> Result<domain::partnership::Indicator, WriteError> {
    let tx = unit.tx();
    let (_, report) = REPORT
        .read_for_change(unit, report_id)
        .await
        .map_err(|_| WriteError::NotFound(Field::Report))?;
    crate::partnership::check_may_write(tx, unit.actor(), report.partnership_id, Field::Report)
        .await?;
    let as_changes = IndicatorChanges {
        target: new.target,
        value: new.value,
        ..IndicatorChanges::default()
    };
    let theme_id = check_indicator(unit, &report, new.clone(), &as_changes).await?;
    let position = report_indicator::Entity::find()
        .filter(Expr::col("report_id").eq(report_id))
        .all(tx)
        .await?
        .iter()
        .map(|indicator| indicator.position)
        .max()
        .unwrap_or(0)
        + 1;
    let row = report_indicator::ActiveModel {
        report_id: Set(report_id),
        position: Set(position),
        theme_id: Set(theme_id),
        name: Set(new.name.trim().to_owned()),
        unit: Set(new.unit),
        target: Set(new.target),
        value: Set(new.value),
        note: Set(new.note),
        ..Default::default()
    };
    INDICATOR
        .insert_new(unit, "add_report_indicator", row)
        .await
}

/// An indicator's changes; `None` keeps the stored value. It stays in its report, at its
/// position.
#[derive(Debug, Clone, Default)]
pub struct IndicatorChanges {
    /// The slug of the theme it measures; one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    pub name: Option<String>,
    pub unit: Option<String>,
    pub target: Option<f64>,
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// Changes an indicator of a report (editors, or a partner of one of the partnership's
/// parties), if `version` is still current: as changed, it passes the checks of a new one.
impl Change for IndicatorChanges {
    type Record = domain::partnership::Indicator;
    const KIND: Kind<report_indicator::Entity, domain::partnership::Indicator> = INDICATOR;
    const ACTION: &'static str = "update_report_indicator";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::partnership::Indicator,
    ) -> Result<(), WriteError> {
        let (_, report) = REPORT.read_for_change(unit, before.report_id).await?;
        crate::partnership::check_may_write(
            unit.tx(),
            unit.actor(),
            report.partnership_id,
            Field::Id,
        )
        .await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let (_, report) = REPORT.read_for_change(to.unit, before.report_id).await?;
        let changed = NewIndicator {
            theme: self.theme.clone(),
            name: self.name.clone().unwrap_or_else(|| before.name.clone()),
            unit: None,
            target: self.target.or(before.target),
            value: self.value.or(before.value),
            note: None,
        };
        let theme_id = check_indicator(to.unit, &report, changed, &self).await?;
        let active = &mut to.active;
        set_if(&mut active.theme_id, theme_id.map(Some));
        set_if(
            &mut active.name,
            self.name.map(|name| name.trim().to_owned()),
        );
        set_given([
            (&mut active.unit, self.unit.map(Some)),
            (&mut active.note, self.note.map(Some)),
        ]);
        set_given([
            (&mut active.target, self.target.map(Some)),
            (&mut active.value, self.value.map(Some)),
        ]);
        Ok(())
    }
}

/// Checks `indicator`, one of `report`'s, as those added with a report are: its name and values,
/// and the theme it measures (when it names one) one the partnership covers; refusals fall on
/// the field of `as_changes`, the indicator's own input. Returns the theme's id.
async fn check_indicator(
    unit: &Unit,
    report: &domain::partnership::Report,
    indicator: NewIndicator,
    as_changes: &IndicatorChanges,
) -> Result<Option<Id>, WriteError> {
    let theme = indicator.theme.clone();
    let with_it = NewReport {
        indicators: vec![indicator],
        partnership_id: report.partnership_id,
        start: report.period.start,
        end: report.period.end,
        summary: report.summary.clone(),
        published_on: report.published_on,
        source_id: report.source_id,
    };
    let period = check_own(&with_it).map_err(|error| on_indicator(error, as_changes))?;
    let Some(slug) = theme else {
        return Ok(None);
    };
    let id = crate::theme::ids_of(unit.tx(), std::slice::from_ref(&slug))
        .await
        .map_err(|_| WriteError::NotFound(Field::Theme))?[0];
    let partnership = partnership_of(unit, report.partnership_id).await?;
    let covered = covered_themes(unit, report.partnership_id).await?;
    check_report(&partnership, &period, [covered.contains(&id)])
        .map_err(|error| on_indicator(error, as_changes))?;
    Ok(Some(id))
}

/// A refusal of a report's indicators, on the field of the indicator's own input that breaks
/// the rule: its name, a value, its theme.
fn on_indicator(error: WriteError, changes: &IndicatorChanges) -> WriteError {
    match error {
        WriteError::Broken {
            rule,
            field: Field::Indicators,
        } => {
            let field = match &rule {
                crate::write::Rule::Needed(_) => Field::Name,
                crate::write::Rule::Report(_) => Field::Theme,
                _ if changes.target.is_some_and(|v| !v.is_finite()) => Field::Target,
                _ => Field::Value,
            };
            WriteError::Broken { field, rule }
        }
        other => other,
    }
}

/// The themes a report's indicators may measure: the partnership's and the narrower ones.
async fn covered_themes(unit: &Unit, partnership_id: Id) -> Result<Vec<Id>, WriteError> {
    let tx = unit.tx();
    let own: Vec<Id> = crate::relation::link_ids_in(
        tx,
        "partnership_theme",
        "partnership_id",
        "theme_id",
        partnership_id,
    )
    .await?;
    let children: Vec<Id> = theme::Entity::find()
        .filter(Expr::col("parent_id").is_in(own.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    Ok(own.into_iter().chain(children).collect())
}

/// A report's own fields as changed; `None` keeps the stored value. It stays on its
/// partnership, with its indicators.
#[derive(Debug, Clone, Default)]
pub struct ReportChanges {
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub summary: Option<String>,
    pub published_on: Option<NaiveDate>,
    pub source_id: Option<Id>,
}

impl Change for ReportChanges {
    type Record = domain::partnership::Report;
    const KIND: Kind<partnership_report::Entity, domain::partnership::Report> = REPORT;
    const ACTION: &'static str = "update_partnership_report";

    fn explain(&self) -> impl FnOnce(WriteError) -> WriteError + Send + 'static {
        names_missing(Field::Source)
    }

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::partnership::Report,
    ) -> Result<(), WriteError> {
        let partnership_id = before.partnership_id;
        crate::partnership::check_may_write(
            unit.tx(),
            unit.actor(),
            partnership_id,
            Field::Partnership,
        )
        .await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let changed = NewReport {
            partnership_id: before.partnership_id,
            start: self.start.or(before.period.start),
            end: self.end.or(before.period.end),
            summary: self.summary.unwrap_or_else(|| before.summary.clone()),
            published_on: self.published_on.or(before.published_on),
            source_id: self.source_id.or(before.source_id),
            // Its indicators stay as they are, checked when they were added.
            indicators: Vec::new(),
        };
        let period = check_own(&changed)?;
        let partnership = partnership_of(to.unit, before.partnership_id).await?;
        check_report(&partnership, &period, [])?;
        to.active = row(&changed, &period);
        Ok(())
    }
}

/// The partnership `id`; `NOT_FOUND` on the partnership when there is none.
async fn partnership_of(
    unit: &Unit,
    id: Id,
) -> Result<domain::partnership::Partnership, WriteError> {
    Ok(rows::partnership(
        partnership::Entity::find_by_id(id)
            .one(unit.tx())
            .await?
            .ok_or(WriteError::NotFound(Field::Partnership))?,
    )?)
}

/// The rules a report keeps by itself: it sums up what was done, its period ends after it
/// starts, each indicator has a name and finite values.
fn check_own(report: &NewReport) -> Result<Period, WriteError> {
    if report.summary.trim().is_empty() {
        return Err(needed(Field::Summary, "a report sums up what was done"));
    }
    let period = Period::new(report.start, report.end).map_err(on(Field::End))?;
    for indicator in &report.indicators {
        if indicator.name.trim().is_empty() {
            return Err(needed(Field::Indicators, "an indicator has a name"));
        }
        if [indicator.target, indicator.value]
            .iter()
            .flatten()
            .any(|v| !v.is_finite())
        {
            return Err(invalid(Field::Indicators, "a value is a finite number"));
        }
    }
    Ok(period)
}

/// The rules a report keeps with its partnership (`partnership::check_report`), on the field
/// each concerns: `covered` says whether each new indicator's theme is the partnership's.
fn check_report(
    partnership: &domain::partnership::Partnership,
    period: &Period,
    covered: impl IntoIterator<Item = bool>,
) -> Result<(), WriteError> {
    domain::partnership::check_report(partnership, period, covered).map_err(|error| {
        let field = match error {
            domain::partnership::ReportError::BeforePartnership { .. } => Field::Start,
            domain::partnership::ReportError::ThemeNotCovered => Field::Indicators,
        };
        broken(field, error)
    })
}

/// The row of a report: the one place its columns are written, for a new report and a changed
/// one.
fn row(report: &NewReport, period: &Period) -> partnership_report::ActiveModel {
    partnership_report::ActiveModel {
        partnership_id: Set(report.partnership_id),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        summary: Set(report.summary.clone()),
        published_on: Set(report.published_on),
        source_id: Set(report.source_id),
        ..Default::default()
    }
}

/// A report as the audit trail keeps it.
fn snapshot(report: &domain::partnership::Report) -> serde_json::Value {
    json!({ "partnershipId": report.partnership_id, "summary": report.summary,
        "start": report.period.start.map(|d| d.edtf()), "end": report.period.end.map(|d| d.edtf()),
        "publishedOn": report.published_on, "sourceId": report.source_id,
        "version": report.stamp.version })
}
