//! Folding names for case- and accent-insensitive search.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The searchable form of a name: Unicode NFKD, combining marks removed, lower-cased, runs of
/// spaces and punctuation turned into one space. "Montréal" and "MONTREAL" both fold to
/// "montreal"; "Épinay-sur-Seine" to "epinay sur seine".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for character in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        let character = match character {
            'œ' | 'Œ' => Some("oe"),
            'æ' | 'Æ' => Some("ae"),
            'ß' => Some("ss"),
            _ => None,
        }
        .map(str::to_owned)
        .unwrap_or_else(|| character.to_lowercase().collect());
        if character.chars().all(char::is_alphanumeric) {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.push_str(&character);
        } else {
            pending_space = true;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn accents_case_and_punctuation_fold_away() {
        assert_eq!(fold("Montréal"), "montreal");
        assert_eq!(fold("QUÉBEC"), "quebec");
        assert_eq!(fold("Épinay-sur-Seine"), "epinay sur seine");
        assert_eq!(fold("  Paris&Co "), "paris co");
        assert_eq!(fold("Cœur"), "coeur");
        assert_eq!(fold("IVÉO"), "iveo");
    }
}
