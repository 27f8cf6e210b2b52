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

/// Why a theme cannot sit under the parent given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParentError {
    #[error("a theme is not its own parent")]
    Itself,
    #[error("the theme given sits under this one already: as its parent, the taxonomy would loop")]
    Cycle { parent: Id },
}

/// Whether theme `theme` may sit under `parent`, whose own broader themes are `ancestors` (its
/// parent first, up to the top): the taxonomy stays a tree, never a loop.
pub fn check_parent(theme: Id, parent: Id, ancestors: &[Id]) -> Result<(), ParentError> {
    if parent == theme {
        Err(ParentError::Itself)
    } else if ancestors.contains(&theme) {
        Err(ParentError::Cycle { parent })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_theme_never_sits_under_itself_or_a_narrower_theme() {
        // 1 › 2 › 3
        assert_eq!(check_parent(1, 1, &[]), Err(ParentError::Itself));
        assert_eq!(
            check_parent(1, 3, &[2, 1]),
            Err(ParentError::Cycle { parent: 3 })
        );
        assert!(check_parent(3, 1, &[]).is_ok());
        assert!(check_parent(2, 4, &[5]).is_ok());
    }
}
