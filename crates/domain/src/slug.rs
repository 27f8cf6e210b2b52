//! Slugs: the human keys of records (`terrebonne`, `umq`).

/// A lower-case ASCII slug of letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

/// Why a text is not a slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("slug is empty")]
    Empty,
    #[error("slug {0:?} is longer than 100 characters")]
    TooLong(String),
    #[error("slug {0:?} may hold only a-z, 0-9 and single hyphens inside")]
    Malformed(String),
}

impl Slug {
    /// Checks a slug as given.
    pub fn parse(text: &str) -> Result<Slug, SlugError> {
        if text.is_empty() {
            return Err(SlugError::Empty);
        }
        if text.len() > 100 {
            return Err(SlugError::TooLong(text.to_owned()));
        }
        let well_formed = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        if !well_formed {
            return Err(SlugError::Malformed(text.to_owned()));
        }
        Ok(Slug(text.to_owned()))
    }

    /// Makes a slug from a name: "Ville de Namur" → "ville-de-namur".
    pub fn from_name(name: &str) -> Slug {
        Slug(crate::search::fold(name).replace(' ', "-"))
    }

    /// Slugs to try, in order, for a record that has an official code: its name's slug, then
    /// that slug qualified (by a département: `saint-denis-93`), then qualified by the code.
    /// Names that make no valid slug are skipped, so the list is never empty.
    pub fn candidates(name: &str, qualifier: &str, code: &str) -> Vec<Slug> {
        let base = Slug::from_name(name);
        let qualifier = Slug::from_name(qualifier);
        let code = Slug::from_name(code);
        let mut texts = vec![
            base.0.clone(),
            format!("{base}-{qualifier}"),
            format!("{base}-{code}"),
        ];
        texts.push(format!("{code}"));
        let mut seen = Vec::new();
        for text in texts {
            if let Ok(slug) = Slug::parse(&text)
                && !seen.contains(&slug)
            {
                seen.push(slug);
            }
        }
        seen
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{Slug, SlugError};

    #[test]
    fn imported_records_try_their_name_then_qualified_slugs() {
        let texts = |slugs: Vec<Slug>| slugs.into_iter().map(|s| s.0).collect::<Vec<_>>();
        assert_eq!(
            texts(Slug::candidates("Saint-Denis", "93", "93066")),
            [
                "saint-denis",
                "saint-denis-93",
                "saint-denis-93066",
                "93066"
            ]
        );
        assert_eq!(texts(Slug::candidates("北京", "2A", "2A004")), ["2a004"]);
    }

    #[test]
    fn a_slug_is_lower_case_ascii_with_inner_hyphens() {
        assert!(Slug::parse("terrebonne-namur-2024").is_ok());
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        assert!(matches!(
            Slug::parse("Montréal"),
            Err(SlugError::Malformed(_))
        ));
        assert!(matches!(Slug::parse("-umq"), Err(SlugError::Malformed(_))));
        assert!(matches!(Slug::parse("a--b"), Err(SlugError::Malformed(_))));
    }

    #[test]
    fn a_name_makes_a_slug() {
        assert_eq!(
            Slug::from_name("Épinay-sur-Seine").as_str(),
            "epinay-sur-seine"
        );
    }
}
