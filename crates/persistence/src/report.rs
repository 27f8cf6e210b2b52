//! Writes to partnership reports: what a partnership achieved over a period, with indicators
//! on its themes.

use chrono::NaiveDate;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, QueryFilter, SqlErr};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{Field, WriteError, broken, invalid, needed, on};

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

/// A report on a partnership.
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
pub async fn add(
    unit: &crate::write::Unit,
    new: NewReport,
) -> Result<domain::partnership::Report, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.summary.trim().is_empty() {
        return Err(needed(Field::Summary, "a report sums up what was done"));
    }
    let period = domain::fuzzy_date::Period::new(new.start, new.end).map_err(on(Field::End))?;
    for indicator in &new.indicators {
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
    crate::partnership::check_may_write(tx, actor, new.partnership_id, Field::Partnership).await?;
    let partnership = rows::partnership(
        partnership::Entity::find_by_id(new.partnership_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound(Field::Partnership))?,
    )?;
    // The partnership's themes and their children.
    let own: Vec<Id> = crate::relation::link_ids_in(
        tx,
        "partnership_theme",
        "partnership_id",
        "theme_id",
        partnership.id,
    )
    .await?;
    let children: Vec<Id> = theme::Entity::find()
        .filter(Expr::col("parent_id").is_in(own.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
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
    domain::partnership::check_report(
        &partnership,
        &period,
        theme_ids
            .iter()
            .map(|id| id.is_none_or(|id| own.contains(&id) || children.contains(&id))),
    )
    .map_err(|error| {
        let field = match error {
            domain::partnership::ReportError::BeforePartnership { .. } => Field::Start,
            domain::partnership::ReportError::ThemeNotCovered => Field::Indicators,
        };
        broken(field, error)
    })?;
    let now = unit.now();
    let row = partnership_report::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        partnership_id: Set(partnership.id),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        summary: Set(new.summary),
        published_on: Set(new.published_on),
        source_id: Set(new.source_id),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound(Field::Source),
        _ => WriteError::from(error),
    })?;
    for (index, (indicator, theme_id)) in new.indicators.into_iter().zip(theme_ids).enumerate() {
        report_indicator::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            report_id: Set(row.id),
            position: Set(index as i32 + 1),
            theme_id: Set(theme_id),
            name: Set(indicator.name),
            unit: Set(indicator.unit),
            target: Set(indicator.target),
            value: Set(indicator.value),
            note: Set(indicator.note),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let report = rows::report(row)?;
    unit.audit(
        "add_partnership_report",
        "partnership_report",
        report.id,
        None,
        Some(json!({ "partnershipId": report.partnership_id, "summary": report.summary,
            "start": report.period.start.map(|d| d.edtf()), "end": report.period.end.map(|d| d.edtf()) })),
    )
    .await?;
    Ok(report)
}
