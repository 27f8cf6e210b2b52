//! Themes: a small taxonomy with French and English labels.

use crate::{Id, Stamp};

/// A theme of the taxonomy ("décarbonation", under "transition climatique et écologique").
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: Id,
    pub slug: String,
    pub label_fr: String,
    pub label_en: String,
    pub parent_id: Option<Id>,
    /// What the theme means, when a source defines it.
    pub description: Option<String>,
    pub stamp: Stamp,
}
