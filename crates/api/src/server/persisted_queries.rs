//! Automatic persisted queries, as Apollo clients send them: a request may carry
//! `extensions.persistedQuery = {"version": 1, "sha256Hash": "…"}` instead of its query. The
//! first time, the server does not know the hash and answers `PersistedQueryNotFound`
//! (`PERSISTED_QUERY_NOT_FOUND`); the client sends the query with its hash, which the server
//! checks and keeps; from then on the hash alone answers — over GET, so a CDN can keep
//! anonymous answers under a short URL.
//!
//! async-graphql's `apollo_persisted_queries` extension does the same inside the schema, but
//! this server reads requests itself, under its limits, before any schema sees them (an empty
//! query is refused there, and the text is parsed once for the limits and the cost): the
//! query must be known before that, so it is resolved here, at the transport.
//!
//! The queries are kept in memory, per process, bounded by their bytes
//! (`PERSISTED_QUERIES_BYTES`), least recently used first out. A process that does not know a
//! hash — a new one, or one that let it go — answers `PersistedQueryNotFound` and the client
//! sends the query again: nothing is lost but a round trip.

use std::sync::{Arc, Mutex};

use super::transport::{PERSISTED_QUERY, TransportError};

/// The queries registered by their hash.
pub struct PersistedQueries {
    capacity_bytes: usize,
    kept: Mutex<Kept>,
}

struct Kept {
    queries: lru::LruCache<String, Arc<str>>,
    bytes: usize,
}

impl PersistedQueries {
    pub fn new(capacity_bytes: usize) -> PersistedQueries {
        PersistedQueries {
            capacity_bytes,
            kept: Mutex::new(Kept {
                queries: lru::LruCache::unbounded(),
                bytes: 0,
            }),
        }
    }

    /// Gives a request sent by its hash alone the query registered under it, and registers
    /// the query of a request sent with its hash once the hash is checked. A request without
    /// `persistedQuery` is left as it is.
    pub fn resolve(&self, request: &mut async_graphql::Request) -> Result<(), TransportError> {
        let Some(async_graphql::Value::String(hash)) = request.extensions.remove(PERSISTED_QUERY)
        else {
            return Ok(());
        };
        if request.query.is_empty() {
            let mut kept = self.lock();
            let query = kept
                .queries
                .get(&hash)
                .ok_or(TransportError::PersistedQueryNotFound)?;
            request.query = query.to_string();
            return Ok(());
        }
        let digest = ring::digest::digest(&ring::digest::SHA256, request.query.as_bytes());
        if crate::response_cache::hex(digest.as_ref()) != hash {
            return Err(TransportError::PersistedQueryMismatch);
        }
        self.keep(hash, &request.query);
        Ok(())
    }

    fn keep(&self, hash: String, query: &str) {
        let size = hash.len() + query.len();
        if size > self.capacity_bytes {
            return;
        }
        let mut kept = self.lock();
        if kept.queries.contains(&hash) {
            kept.queries.promote(&hash);
            return;
        }
        kept.queries.put(hash, Arc::from(query));
        kept.bytes += size;
        while kept.bytes > self.capacity_bytes {
            match kept.queries.pop_lru() {
                Some((hash, query)) => kept.bytes -= hash.len() + query.len(),
                None => break,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Every change under the lock leaves the map and its count whole: keep using it.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(query: &str, hash: &str) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(query);
        request.extensions.insert(
            PERSISTED_QUERY.to_owned(),
            async_graphql::Value::from(hash.to_owned()),
        );
        request
    }

    fn hash_of(query: &str) -> String {
        crate::response_cache::hex(
            ring::digest::digest(&ring::digest::SHA256, query.as_bytes()).as_ref(),
        )
    }

    #[test]
    fn a_hash_answers_once_its_query_was_sent_with_it() {
        let queries = PersistedQueries::new(1024);
        let query = "{ cities { totalCount } }";
        let hash = hash_of(query);
        assert!(matches!(
            queries.resolve(&mut sent("", &hash)),
            Err(TransportError::PersistedQueryNotFound)
        ));
        queries.resolve(&mut sent(query, &hash)).unwrap();
        let mut by_hash = sent("", &hash);
        queries.resolve(&mut by_hash).unwrap();
        assert_eq!(by_hash.query, query);
    }

    #[test]
    fn a_query_whose_hash_differs_is_refused_and_not_kept() {
        let queries = PersistedQueries::new(1024);
        let hash = hash_of("{ a }");
        assert!(matches!(
            queries.resolve(&mut sent("{ b }", &hash)),
            Err(TransportError::PersistedQueryMismatch)
        ));
        assert!(queries.resolve(&mut sent("", &hash)).is_err());
    }

    #[test]
    fn the_least_recently_used_query_goes_first_when_full() {
        let (a, b, c) = ("{ a }", "{ b }", "{ c }");
        let queries = PersistedQueries::new(2 * (64 + a.len()));
        for query in [a, b] {
            queries.resolve(&mut sent(query, &hash_of(query))).unwrap();
        }
        queries.resolve(&mut sent("", &hash_of(a))).unwrap();
        queries.resolve(&mut sent(c, &hash_of(c))).unwrap();
        assert!(queries.resolve(&mut sent("", &hash_of(a))).is_ok());
        assert!(queries.resolve(&mut sent("", &hash_of(b))).is_err());
        assert!(queries.resolve(&mut sent("", &hash_of(c))).is_ok());
    }
}
