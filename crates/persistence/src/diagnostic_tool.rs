//! Writes to self-diagnostic tools: who publishes one, for whom, where it comes from —
//! recorded, changed and (`delete.rs`, while no questionnaire of it is loaded) deleted by
//! editors or a partner of its publisher.

use chrono::NaiveDate;
use domain::Id;
use domain::diagnostic::DiagnosticTool;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::{diagnostic_tool, organisation};
use crate::write::{
    Change, Changing, Field, Kind, Problems, Unit, WriteError, check_exists, on, set_given, set_if,
};

/// Self-diagnostic tools, as the write path handles them.
const TOOL: Kind<diagnostic_tool::Entity, DiagnosticTool> =
    Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

/// A new self-diagnostic tool: who publishes it, for whom, and where it comes from.
#[derive(Debug, Clone)]
pub struct NewTool {
    pub slug: String,
    pub name: String,
    pub publisher_id: Id,
    pub audiences: Vec<String>,
    pub details: ToolDetails,
}

/// A tool's changes; `None` keeps the stored value. Its publisher stays.
#[derive(Debug, Clone, Default)]
pub struct ToolChanges {
    pub slug: Option<String>,
    pub name: Option<String>,
    /// The new full list.
    pub audiences: Option<Vec<String>>,
    pub details: ToolDetails,
}

/// What is known of a tool beyond its slug, name, publisher and audiences, each written one way
/// whether the tool is new or changed: `None` is unknown in a new tool and keeps the stored
/// value in a change.
#[derive(Debug, Clone, Default)]
pub struct ToolDetails {
    pub url: Option<String>,
    pub availability: Option<String>,
    pub available_by: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// The organisation whose tool it adapts, if any.
    pub origin_organisation_id: Option<Id>,
    pub origin: Option<String>,
}

/// Records a self-diagnostic tool (editors, or a partner of its publisher).
pub async fn create(unit: &Unit, new: NewTool) -> Result<DiagnosticTool, WriteError> {
    unit.actor().check_writes_for(new.publisher_id)?;
    check(Some(&new.slug), Some(&new.name), new.details.url.as_deref())?;
    check_exists::<organisation::Entity>(unit.tx(), new.publisher_id, Field::Publisher).await?;
    check_origin(unit, &new.details).await?;
    let mut row = diagnostic_tool::ActiveModel {
        search_name: Set(domain::search::fold(&new.name)),
        slug: Set(new.slug),
        name: Set(new.name.trim().to_owned()),
        publisher_id: Set(new.publisher_id),
        audiences: Set(audiences(&new.audiences)),
        ..Default::default()
    };
    set_details(&mut row, new.details);
    TOOL.insert_new(unit, "create_diagnostic_tool", row).await
}

/// Changes a tool (editors, or a partner of its publisher), if `version` is still current.
impl Change for ToolChanges {
    type Record = DiagnosticTool;
    const KIND: Kind<diagnostic_tool::Entity, DiagnosticTool> = TOOL;
    const ACTION: &'static str = "update_diagnostic_tool";

    async fn authority(&self, unit: &Unit, before: &DiagnosticTool) -> Result<(), WriteError> {
        Ok(unit.actor().check_writes_for(before.publisher_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        check(
            self.slug.as_deref(),
            self.name.as_deref(),
            self.details.url.as_deref(),
        )?;
        check_origin(to.unit, &self.details).await?;
        let active = &mut to.active;
        if let Some(name) = self.name {
            active.search_name = Set(domain::search::fold(&name));
            active.name = Set(name.trim().to_owned());
        }
        set_given([
            (&mut active.slug, self.slug),
            (
                &mut active.audiences,
                self.audiences.as_deref().map(audiences),
            ),
        ]);
        set_details(active, self.details);
        Ok(())
    }
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

/// `NOT_FOUND` on the origin organisation a tool names, unless it exists.
async fn check_origin(unit: &Unit, details: &ToolDetails) -> Result<(), WriteError> {
    match details.origin_organisation_id {
        Some(origin) => {
            check_exists::<organisation::Entity>(unit.tx(), origin, Field::OriginOrganisation).await
        }
        None => Ok(()),
    }
}

/// A tool's audiences as stored: a JSON list.
fn audiences(audiences: &[String]) -> String {
    serde_json::to_string(audiences).unwrap_or_else(|_| "[]".to_owned())
}

/// Sets the details a tool is given; those it is not given are left as they are (unknown in a
/// new row).
fn set_details(active: &mut diagnostic_tool::ActiveModel, details: ToolDetails) {
    set_given([
        (&mut active.url, details.url.map(Some)),
        (&mut active.availability, details.availability.map(Some)),
        (&mut active.purpose, details.purpose.map(Some)),
        (&mut active.goal, details.goal.map(Some)),
        (&mut active.origin, details.origin.map(Some)),
    ]);
    set_if(&mut active.available_by, details.available_by.map(Some));
    set_if(
        &mut active.origin_organisation_id,
        details.origin_organisation_id.map(Some),
    );
}

/// A tool as the audit trail keeps it.
fn snapshot(tool: &DiagnosticTool) -> serde_json::Value {
    json!({ "slug": tool.slug, "name": tool.name, "publisherId": tool.publisher_id,
        "url": tool.url, "audiences": tool.audiences, "availability": tool.availability,
        "availableBy": tool.available_by, "purpose": tool.purpose, "goal": tool.goal,
        "originOrganisationId": tool.origin_organisation_id, "origin": tool.origin,
        "version": tool.stamp.version })
}
