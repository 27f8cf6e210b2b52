//! Self-diagnostic tools: what an organisation offers cities to assess their maturity on a
//! theme (the smart-city self-diagnostic). Questionnaires and assessments build on these.

use chrono::NaiveDate;

use crate::{Id, Stamp};

/// A self-diagnostic tool an organisation publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticTool {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub publisher_id: Id,
    pub url: Option<String>,
    /// Who it is for, as each source names them.
    pub audiences: Vec<String>,
    /// How it is offered ("on the internet, open to all").
    pub availability: Option<String>,
    /// A day by which it was available (a launch date is often not given).
    pub available_by: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// The organisation whose idea it was.
    pub origin_organisation_id: Option<Id>,
    /// How it came about.
    pub origin: Option<String>,
    pub stamp: Stamp,
}
