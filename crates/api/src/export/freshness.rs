//! An export's validators (`ETag`, `Last-Modified`) and conditional requests.
//!
//! An export changes only when one of the records it reads changes, and every change is an
//! audit event, numbered in commit order (`persistence::changes::position`). So the position
//! of the latest event of the kinds an export reads names its version — read through an index,
//! without reading the export. The `ETag` also names the export, who sees it (drafts and
//! contact details differ by caller) and the revision of this code's output, so a changed
//! column list is a new version too.
//!
//! `Last-Modified` is when the latest of those writes began (`at`): a write that began before
//! another but committed after it is dated before it, so only the `ETag` is exact.
//! `If-None-Match` is therefore asked first, and `If-Modified-Since` only without it, as
//! RFC 9110 (13.2.2) orders them.

use chrono::{DateTime, Utc};
use persistence::changes::Position;

use super::{Document, Viewer};

/// The revision of the exports' output: raise it when a column, a key or a mapping changes,
/// so that clients holding an older copy get the new one.
pub const OUTPUT_REVISION: u32 = 1;

/// What identifies one version of an export for one audience.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    /// A weak entity tag (`W/"…"`): the same for the same contents, not promised byte for byte
    /// (an OCDS package's `uri` follows the host it was asked of).
    pub etag: String,
    /// When the latest write the export reads began, to the second.
    pub last_modified: Option<DateTime<Utc>>,
}

impl Validators {
    pub fn of(document: &Document, viewer: &Viewer, position: &Position) -> Validators {
        Validators {
            etag: format!(
                "W/\"{OUTPUT_REVISION}-{}-{}-{}\"",
                document.file_name(),
                viewer.audience(),
                position.event
            ),
            last_modified: position.at,
        }
    }

    /// `Last-Modified` as an HTTP date (IMF-fixdate).
    pub fn last_modified_header(&self) -> Option<String> {
        self.last_modified
            .map(|at| at.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
    }

    /// Whether a request carrying these conditions already holds this version, so that the
    /// answer is `304 Not Modified`: one of `If-None-Match`'s tags matches (weakly), or —
    /// without `If-None-Match` — nothing changed after `If-Modified-Since`.
    pub fn not_modified(
        &self,
        if_none_match: Option<&str>,
        if_modified_since: Option<&str>,
    ) -> bool {
        if let Some(tags) = if_none_match {
            let ours = opaque(&self.etag);
            return tags
                .split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || opaque(tag) == ours);
        }
        match (if_modified_since, self.last_modified) {
            (Some(since), Some(modified)) => DateTime::parse_from_rfc2822(since.trim())
                .is_ok_and(|since| modified.timestamp() <= since.timestamp()),
            _ => false,
        }
    }
}

/// An entity tag without its weakness mark: weak comparison (RFC 9110, 8.8.3.2).
fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Kind;
    use domain::access::DraftScope;

    fn validators(event: i32) -> Validators {
        let at = DateTime::parse_from_rfc3339("2026-03-01T10:00:00.250Z")
            .unwrap()
            .with_timezone(&Utc);
        Validators::of(
            &Document::Rows {
                kind: Kind::Cities,
                format: crate::export::Format::Csv,
            },
            &Viewer {
                drafts: DraftScope::None,
                personal_data: false,
            },
            &Position {
                event,
                at: Some(at),
            },
        )
    }

    #[test]
    fn the_tag_names_the_export_its_audience_and_the_trails_position() {
        assert_eq!(validators(42).etag, "W/\"1-cities.csv-public-nodrafts-42\"");
        assert_eq!(
            validators(42).last_modified_header().as_deref(),
            Some("Sun, 01 Mar 2026 10:00:00 GMT")
        );
    }

    #[test]
    fn a_matching_tag_or_an_unchanged_date_is_not_modified() {
        let current = validators(42);
        assert!(current.not_modified(Some("\"x\", W/\"1-cities.csv-public-nodrafts-42\""), None));
        assert!(current.not_modified(Some("\"1-cities.csv-public-nodrafts-42\""), None));
        assert!(current.not_modified(Some("*"), None));
        assert!(!current.not_modified(Some("W/\"1-cities.csv-public-nodrafts-41\""), None));
        assert!(current.not_modified(None, Some("Sun, 01 Mar 2026 10:00:00 GMT")));
        assert!(!current.not_modified(None, Some("Sun, 01 Mar 2026 09:59:59 GMT")));
        // If-None-Match decides alone when it is there.
        assert!(!current.not_modified(Some("\"other\""), Some("Sun, 01 Mar 2026 10:00:00 GMT")));
        assert!(!current.not_modified(None, Some("not a date")));
    }
}
