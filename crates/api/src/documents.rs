//! Parsed queries, kept by their text. Front ends and integrations send the same few
//! queries again and again, and parsing one with async-graphql's parser (pest) cost more than
//! validating it: 7 % of the server's time on a city's page. A shared parsed document costs
//! nothing to hand out, and a copy of one a fraction of a parse.
//!
//! The cache is bounded by the bytes of query text it keeps; when the next query would not
//! fit, it starts over empty. A client that sends a new query each time only pays the parse
//! it paid before. Queries that do not parse are not kept: they answer with their error.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;

/// How many bytes of query text the cache keeps, by default: with their parsed documents,
/// a few megabytes at most.
pub const DEFAULT_CAPACITY_BYTES: usize = 256 * 1024;

/// Parsed documents by query text.
pub struct Documents {
    capacity_bytes: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    bytes: usize,
    by_text: HashMap<Arc<str>, Arc<ExecutableDocument>>,
}

impl Documents {
    /// A cache that keeps up to `capacity_bytes` of query text (0 keeps nothing).
    pub fn new(capacity_bytes: usize) -> Documents {
        Documents {
            capacity_bytes,
            kept: Mutex::new(Kept::default()),
        }
    }

    /// The document parsed from `query`, parsed now by `parse` unless it was already.
    pub fn get_or_parse<E>(
        &self,
        query: &str,
        parse: impl FnOnce(&str) -> Result<ExecutableDocument, E>,
    ) -> Result<Arc<ExecutableDocument>, E> {
        if let Some(document) = self.lock().by_text.get(query) {
            return Ok(document.clone());
        }
        let document = Arc::new(parse(query)?);
        if query.len() <= self.capacity_bytes {
            let mut kept = self.lock();
            if kept.bytes + query.len() > self.capacity_bytes {
                *kept = Kept::default();
            }
            if kept
                .by_text
                .insert(Arc::from(query), document.clone())
                .is_none()
            {
                kept.bytes += query.len();
            }
        }
        Ok(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves a map that is still whole: keep using it.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ExecutableDocument, String> {
        async_graphql::parser::parse_query(query).map_err(|e| e.to_string())
    }

    #[test]
    fn a_query_seen_before_is_not_parsed_again() {
        let documents = Documents::new(1024);
        let mut parses = 0;
        for _ in 0..3 {
            documents
                .get_or_parse("{ cities { totalCount } }", |q| {
                    parses += 1;
                    parse(q)
                })
                .unwrap();
        }
        assert_eq!(parses, 1);
    }

    #[test]
    fn a_query_that_does_not_parse_is_refused_each_time() {
        let documents = Documents::new(1024);
        let mut parses = 0;
        for _ in 0..2 {
            let result = documents.get_or_parse("{ cities ", |q| {
                parses += 1;
                parse(q)
            });
            assert!(result.is_err());
        }
        assert_eq!(parses, 2);
    }

    #[test]
    fn the_cache_starts_over_rather_than_grow_past_its_capacity() {
        let first = "{ a }";
        let second = "{ bb }";
        let documents = Documents::new(first.len() + second.len() - 1);
        documents.get_or_parse(first, parse).unwrap();
        documents.get_or_parse(second, parse).unwrap();
        let kept = documents.lock();
        assert_eq!(kept.bytes, second.len());
        assert!(kept.by_text.contains_key(second) && !kept.by_text.contains_key(first));
    }
}
