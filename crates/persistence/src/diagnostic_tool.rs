//! Writes to self-diagnostic tools: who publishes one, for whom, where it comes from —
//! recorded, changed and (`delete.rs`, while no questionnaire of it is loaded) deleted by
//! editors or a partner of its publisher.

use chrono::NaiveDate;
use domain::Id;
use domain::diagnostic::DiagnosticTool;
use sea_orm::{ActiveValue::Set, IntoActiveModel};
use serde_json::json;

use crate::entity::{diagnostic_tool, organisation};
use crate::write::{Field, Kind, Problems, Unit, WriteError, check_exists, check_version, on};

/// Self-diagnostic tools, as the write path handles them.
const TOOL: Kind<diagnostic_tool::Entity, DiagnosticTool> = Kind {
    to_domain: crate::rows::diagnostic_tool,
    snapshot,
    unique: &[("slug", Field::Slug)],
};

/// A new self-diagnostic tool: who publishes it, for whom, and where it comes from.
#[derive(Debug, Clone)]
pub struct NewTool {
    pub slug: String,
    pub name: String,
    pub publisher_id: Id,
    pub url: Option<String>,
    pub audiences: Vec<String>,
    pub availability: Option<String>,
    pub available_by: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// The organisation whose tool it adapts, if any.
    pub origin_organisation_id: Option<Id>,
    pub origin: Option<String>,
}

/// A tool's changes; `None` keeps the stored value. Its publisher stays.
#[derive(Debug, Clone, Default)]
pub struct ToolChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    /// The new full list.
    pub audiences: Option<Vec<String>>,
    pub availability: Option<String>,
    pub available_by: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    pub origin_organisation_id: Option<Id>,
    pub origin: Option<String>,
}

/// Records a self-diagnostic tool (editors, or a partner of its publisher).
pub async fn create(unit: &Unit, new: NewTool) -> Result<DiagnosticTool, WriteError> {
    unit.actor().check_writes_for(new.publisher_id)?;
    check(Some(&new.slug), Some(&new.name), new.url.as_deref())?;
    check_exists::<organisation::Entity>(unit.tx(), new.publisher_id, Field::Publisher).await?;
    if let Some(origin) = new.origin_organisation_id {
        check_exists::<organisation::Entity>(unit.tx(), origin, Field::OriginOrganisation).await?;
    }
    let row = diagnostic_tool::ActiveModel {
        search_name: Set(domain::search::fold(&new.name)),
        slug: Set(new.slug),
        name: Set(new.name.trim().to_owned()),
        publisher_id: Set(new.publisher_id),
        url: Set(new.url),
        audiences: Set(serde_json::to_string(&new.audiences).unwrap_or_else(|_| "[]".to_owned())),
        availability: Set(new.availability),
        available_by: Set(new.available_by),
        purpose: Set(new.purpose),
        goal: Set(new.goal),
        origin_organisation_id: Set(new.origin_organisation_id),
        origin: Set(new.origin),
        ..Default::default()
    };
    TOOL.insert_new(unit, "create_diagnostic_tool", row).await
}

/// Changes a tool (editors, or a partner of its publisher), if `version` is still current.
pub async fn update(
    unit: &Unit,
    id: Id,
    version: i32,
    changes: ToolChanges,
) -> Result<DiagnosticTool, WriteError> {
    let (row, before) = TOOL.read_for_change(unit, id).await?;
    unit.actor().check_writes_for(before.publisher_id)?;
    check_version(before.stamp.version, version)?;
    check(
        changes.slug.as_deref(),
        changes.name.as_deref(),
        changes.url.as_deref(),
    )?;
    if let Some(origin) = changes.origin_organisation_id {
        check_exists::<organisation::Entity>(unit.tx(), origin, Field::OriginOrganisation).await?;
    }
    let mut active = row.into_active_model();
    if let Some(slug) = changes.slug {
        active.slug = Set(slug);
    }
    if let Some(name) = changes.name {
        active.search_name = Set(domain::search::fold(&name));
        active.name = Set(name.trim().to_owned());
    }
    if let Some(url) = changes.url {
        active.url = Set(Some(url));
    }
    if let Some(audiences) = changes.audiences {
        active.audiences =
            Set(serde_json::to_string(&audiences).unwrap_or_else(|_| "[]".to_owned()));
    }
    if let Some(availability) = changes.availability {
        active.availability = Set(Some(availability));
    }
    if let Some(available_by) = changes.available_by {
        active.available_by = Set(Some(available_by));
    }
    if let Some(purpose) = changes.purpose {
        active.purpose = Set(Some(purpose));
    }
    if let Some(goal) = changes.goal {
        active.goal = Set(Some(goal));
    }
    if let Some(origin) = changes.origin_organisation_id {
        active.origin_organisation_id = Set(Some(origin));
    }
    if let Some(origin) = changes.origin {
        active.origin = Set(Some(origin));
    }
    TOOL.save_change(
        unit,
        "update_diagnostic_tool",
        (id, version),
        active,
        &before,
    )
    .await
}

/// A tool's slug, name and web address, when given, are well formed: every problem at once.
fn check(slug: Option<&str>, name: Option<&str>, url: Option<&str>) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    if let Some(slug) = slug {
        problems.check(domain::slug::Slug::parse(slug).map(|_| ()));
    }
    if let Some(name) = name {
        problems.check(domain::validate::check_name("name", name));
    }
    if let Some(url) = url {
        problems.check(domain::validate::check_url(url).map_err(on(Field::Url)));
    }
    problems.into_result()
}

/// A tool as the audit trail keeps it.
fn snapshot(tool: &DiagnosticTool) -> serde_json::Value {
    json!({ "slug": tool.slug, "name": tool.name, "publisherId": tool.publisher_id,
        "url": tool.url, "audiences": tool.audiences, "availability": tool.availability,
        "availableBy": tool.available_by, "purpose": tool.purpose, "goal": tool.goal,
        "originOrganisationId": tool.origin_organisation_id, "origin": tool.origin,
        "version": tool.stamp.version })
}
