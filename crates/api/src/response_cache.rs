//! Answers to queries, kept in memory and served again while nothing they could depend on has
//! changed. Why a kept answer is always right:
//!
//! - **Same question.** An answer is kept under a SHA-256 of the normalised query text (its
//!   comments, commas and spaces between tokens do not count), the variables
//!   (as sent), the operation name, the caller's visibility scope and the day.
//! - **Same eyes.** The scope is what decides what a caller may read (`auth`): anonymous
//!   (no personal data, no draft), a partner of organisation X (the drafts X is a party to),
//!   an editor, an admin. Two partners of one organisation share answers; no answer crosses
//!   scopes. Resolvers see that scope (`auth::reader`); the token itself only through
//!   `auth::caller`, which marks the request (`Hints::per_token`) — as `viewer` and
//!   `webhookSubscriptions` do: its answer is kept under the token, and looked for there first. `rateLimit`, which changes with every request, marks it never to be kept.
//! - **Same day.** Fields computed at read time from today's date (a mandate's `activeOn`
//!   default, staleness) are right for the day they were computed: the day is in the key.
//! - **Same data.** Each answer is kept with the store's version when its execution began
//!   (`persistence::store_version`), and is served only while the version is unchanged: any
//!   committed write — through this server, another server on the same PostgreSQL database
//!   (`NOTIFY` in the write's transaction), or a command-line import into the same SQLite file
//!   (`PRAGMA data_version`) — moves it. Before serving, the version is read afresh (on
//!   PostgreSQL with a round trip that brings in every notification sent before it); when it
//!   cannot be known, nothing is served or kept.
//! - **Only clean answers.** Mutations and subscriptions never reach the cache; answers with
//!   errors are not kept.
//!
//! A hit still costs its caller the query's cost, and answers with the same `cost` extension
//! and rate-limit headers. A question already kept for the caller's scope was checked (limits,
//! validation) and priced when it was first answered: it is charged the cost kept with it and
//! answered without being parsed or checked again; any other is checked and charged first. The cache is
//! bounded by the bytes of the answers it keeps (`RESPONSE_CACHE_BYTES`), least recently used
//! first out, and `RESPONSE_CACHE=false` turns it off.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use persistence::store_version::{StoreWatch, Sync, Version};

use crate::auth::{Caller, Reader};

/// A kept answer: its `data`, written as JSON, and the entity tag of it.
#[derive(Debug)]
pub struct Answer {
    pub data: Vec<u8>,
    pub etag: String,
}

impl Answer {
    /// The answer's `data` as written, with its entity tag: a SHA-256 of those bytes.
    pub fn new(data: Vec<u8>) -> Answer {
        let etag = format!("\"{}\"", hex(digest(&[&data]).as_ref()));
        Answer { data, etag }
    }
}

/// Under what a caller's answers are kept: what decides what the caller may read
/// (`auth::Reader`), or its token for answers that read the token itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every caller with this reader: anonymous, a partner of one organisation, editors,
    /// admins.
    Reader(Reader),
    /// One token: for answers that read the token itself (`Hints::per_token`).
    Token(Option<domain::Id>),
}

impl Scope {
    /// The visibility scope of `caller`.
    pub fn of(caller: &Caller) -> Scope {
        Scope::Reader(caller.reader())
    }

    /// The scope of `caller`'s own token, or None for an anonymous caller.
    pub fn token_of(caller: &Caller) -> Option<Scope> {
        caller
            .token_actor()
            .map(|actor| Scope::Token(actor.token_id))
    }

    fn write(self, into: &mut Vec<u8>) {
        use domain::access::{DraftScope, Role};
        let (tag, id): (u8, Option<domain::Id>) = match self {
            Scope::Reader(reader) => {
                let role = match reader.role {
                    None => 0,
                    Some(Role::Partner) => 1,
                    Some(Role::Editor) => 2,
                    Some(Role::Admin) => 3,
                };
                match reader.drafts {
                    DraftScope::None => (role, None),
                    DraftScope::All => (role | 0x10, None),
                    DraftScope::OfParty(organisation) => (role | 0x20, Some(organisation)),
                }
            }
            Scope::Token(token) => (4, token),
        };
        into.push(tag);
        match id {
            Some(id) => {
                into.push(1);
                into.extend_from_slice(&id.to_le_bytes());
            }
            None => into.push(0),
        }
    }
}

/// What the resolvers of one request say about keeping its answer, in the request's data.
#[derive(Debug, Default)]
pub struct Hints {
    per_token: AtomicBool,
    never: AtomicBool,
}

impl Hints {
    /// The answer reads the caller's token itself, not only its scope: keep it for that token.
    pub fn per_token(&self) {
        self.per_token.store(true, Ordering::Relaxed);
    }

    /// The answer is true of this request only (`rateLimit`): never keep it.
    pub fn never(&self) {
        self.never.store(true, Ordering::Relaxed);
    }
}

impl Hints {
    /// Where to keep the answer among the request's `keys` (its token's first when it has
    /// one, its scope's last); None when it must not be kept.
    pub fn key(&self, keys: &[Key]) -> Option<Key> {
        if self.never.load(Ordering::Relaxed) {
            None
        } else if self.per_token.load(Ordering::Relaxed) {
            keys.first().copied()
        } else {
            keys.last().copied()
        }
    }
}

/// Marks the request being resolved as answering for its token (see `Hints::per_token`):
/// `auth::caller` does, the one accessor that hands a resolver the token.
pub(crate) fn per_token(ctx: &async_graphql::Context<'_>) {
    if let Some(hints) = ctx.data_opt::<Arc<Hints>>() {
        hints.per_token();
    }
}

/// Marks the request being resolved as never to be kept (see `Hints::never`).
pub fn never(ctx: &async_graphql::Context<'_>) {
    if let Some(hints) = ctx.data_opt::<Arc<Hints>>() {
        hints.never();
    }
}

/// The question a request asks, but for its scope.
pub struct Question<'a> {
    pub query: &'a str,
    pub variables: &'a async_graphql::Variables,
    pub operation_name: Option<&'a str>,
    pub day: chrono::NaiveDate,
}

/// Where an answer is kept.
pub type Key = [u8; 32];

impl Question<'_> {
    /// The key of this question asked in `scope`.
    pub fn key(&self, scope: Scope) -> Key {
        let query = normalise(self.query);
        // Values as JSON with their names sorted: the order variables were sent in does not
        // change the question.
        let variables: std::collections::BTreeMap<&str, &async_graphql::Value> = self
            .variables
            .iter()
            .map(|(name, value)| (name.as_str(), value))
            .collect();
        let variables = serde_json::to_vec(&variables).unwrap_or_default();
        let mut scope_bytes = Vec::with_capacity(10);
        scope.write(&mut scope_bytes);
        let day = self.day.to_string();
        let operation = self.operation_name.map(str::as_bytes);
        let mut digest = [0; 32];
        digest.copy_from_slice(
            self::digest(&[
                query.as_bytes(),
                &variables,
                operation.unwrap_or_default(),
                &[u8::from(operation.is_some())],
                &scope_bytes,
                day.as_bytes(),
            ])
            .as_ref(),
        );
        digest
    }
}

/// The cache of one server process.
pub struct ResponseCache {
    capacity_bytes: usize,
    kept: Mutex<Kept>,
    /// None when the cache is off.
    watch: Option<StoreWatch>,
}

struct Kept {
    answers: lru::LruCache<Key, Entry>,
    bytes: usize,
}

struct Entry {
    version: Version,
    answer: Arc<Answer>,
    /// What the question costs its caller (`cost::CostModel`), charged again on each hit.
    cost: usize,
}

/// What keeping an answer costs beyond its bytes: its key, version and bookkeeping.
const ENTRY_OVERHEAD: usize = 128;

impl ResponseCache {
    /// A cache of up to `config.capacity_bytes` of answers, watching `db`; off when
    /// `config.enabled` is false or the capacity 0.
    pub fn new(config: &crate::config::Cache, db: &persistence::Db) -> ResponseCache {
        let on = config.enabled && config.capacity_bytes > 0;
        ResponseCache {
            capacity_bytes: config.capacity_bytes,
            kept: Mutex::new(Kept {
                answers: lru::LruCache::unbounded(),
                bytes: 0,
            }),
            watch: on.then(|| StoreWatch::start(db)),
        }
    }

    pub fn is_on(&self) -> bool {
        self.watch.is_some()
    }

    /// The store's version, heard up to now when `sync` says so; None when the cache is off
    /// or the version cannot be known.
    pub async fn version(&self, sync: Sync) -> Option<Version> {
        self.watch.as_ref()?.version(sync).await
    }

    /// The cost of the question kept under the first of `keys` that has an answer, of any
    /// version: that question was checked (limits, validation) and priced in this scope
    /// before, so it may be charged and answered without checking it again.
    pub fn cost_of(&self, keys: &[Key]) -> Option<usize> {
        let kept = self.lock();
        keys.iter()
            .find_map(|key| kept.answers.peek(key).map(|entry| entry.cost))
    }

    /// The answer kept under the first of `keys` that has one computed at `version`.
    pub fn lookup(&self, keys: &[Key], version: Version) -> Option<Arc<Answer>> {
        let mut kept = self.lock();
        for key in keys {
            match kept.answers.get(key) {
                Some(entry) if entry.version == version => return Some(entry.answer.clone()),
                Some(_) => {
                    // Computed before a write: it will never be served again.
                    if let Some(entry) = kept.answers.pop(key) {
                        kept.bytes -= weight(&entry);
                    }
                }
                None => {}
            }
        }
        None
    }

    /// Keeps `answer` under `key`, computed at `version`, making room by dropping the least
    /// recently used; an answer larger than the whole cache is not kept.
    pub fn keep(&self, key: Key, version: Version, answer: Arc<Answer>, cost: usize) {
        let entry = Entry {
            version,
            answer,
            cost,
        };
        let size = weight(&entry);
        if size > self.capacity_bytes {
            return;
        }
        let mut kept = self.lock();
        if let Some(old) = kept.answers.put(key, entry) {
            kept.bytes -= weight(&old);
        }
        kept.bytes += size;
        while kept.bytes > self.capacity_bytes {
            match kept.answers.pop_lru() {
                Some((_, old)) => kept.bytes -= weight(&old),
                None => break,
            }
        }
    }

    /// How many answers and bytes are kept.
    pub fn usage(&self) -> (usize, usize) {
        let kept = self.lock();
        (kept.answers.len(), kept.bytes)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        // Every change under the lock leaves the map and its count whole: keep using it.
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn weight(entry: &Entry) -> usize {
    entry.answer.data.len() + entry.answer.etag.len() + ENTRY_OVERHEAD
}

/// SHA-256 of `parts`, each prefixed by its length so that no two lists of parts collide.
fn digest(parts: &[&[u8]]) -> ring::digest::Digest {
    let mut context = ring::digest::Context::new(&ring::digest::SHA256);
    for part in parts {
        context.update(&(part.len() as u64).to_le_bytes());
        context.update(part);
    }
    context.finish()
}

/// Lower-case hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut text, b| {
        let _ = write!(text, "{b:02x}");
        text
    })
}

/// The query text without what GraphQL ignores: comments, commas, and white space but a
/// single space where two names or numbers would otherwise run together. Strings and block
/// strings are kept as written.
pub fn normalise(query: &str) -> String {
    let mut out = String::with_capacity(query.len());
    let mut chars = query.chars().peekable();
    let mut pending_space = false;
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    while let Some(c) = chars.next() {
        match c {
            '#' => {
                while chars
                    .peek()
                    .is_some_and(|&next| next != '\n' && next != '\r')
                {
                    chars.next();
                }
                pending_space = true;
            }
            ',' | ' ' | '\t' | '\n' | '\r' | '\u{feff}' => pending_space = true,
            '"' => {
                if pending_space && out.ends_with(word) {
                    out.push(' ');
                }
                pending_space = false;
                out.push('"');
                let block = chars.peek() == Some(&'"') && {
                    let mut ahead = chars.clone();
                    ahead.next();
                    ahead.peek() == Some(&'"')
                };
                if block {
                    out.push_str("\"\"");
                    chars.next();
                    chars.next();
                    let mut quotes = 0;
                    for c in chars.by_ref() {
                        out.push(c);
                        if c == '"' {
                            quotes += 1;
                            if quotes == 3 && !out[..out.len() - 3].ends_with('\\') {
                                break;
                            }
                        } else {
                            quotes = 0;
                        }
                    }
                } else {
                    let mut escaped = false;
                    for c in chars.by_ref() {
                        out.push(c);
                        match c {
                            '\\' if !escaped => escaped = true,
                            '"' if !escaped => break,
                            _ => escaped = false,
                        }
                    }
                }
            }
            c => {
                if pending_space && word(c) && out.ends_with(word) {
                    out.push(' ');
                }
                // A spread followed by a name stays apart from it either way: `...on` is not
                // `... on`'s opposite, both parse alike.
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_that_differ_only_in_what_graphql_ignores_normalise_alike() {
        let a = "query Q($n: Int = 2) {\n  cities(first: $n) { # a comment\n    nodes { name, slug }\n  }\n}";
        let b = "query Q($n:Int=2){cities(first:$n){nodes{name slug}}}";
        assert_eq!(normalise(a), normalise(b));
        assert_eq!(
            normalise(b),
            "query Q($n:Int=2){cities(first:$n){nodes{name slug}}}"
        );
    }

    #[test]
    fn strings_keep_their_spaces_commas_and_hashes() {
        let query = r#"{ cities(filter: { search: "saint, jean  # x \" y" }) { totalCount } }"#;
        assert!(normalise(query).contains(r#""saint, jean  # x \" y""#));
        let other = r#"{ cities(filter: { search: "saint,jean # x \" y" }) { totalCount } }"#;
        assert_ne!(normalise(query), normalise(other));
        let block = "{ a(b: \"\"\"x,  \"y\" # z\"\"\") }";
        assert_eq!(normalise(block), "{a(b:\"\"\"x,  \"y\" # z\"\"\")}");
    }

    #[test]
    fn no_two_scopes_share_a_key() {
        let variables = async_graphql::Variables::default();
        let question = Question {
            query: "{ partnerships { totalCount } }",
            variables: &variables,
            operation_name: None,
            day: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        };
        use domain::access::{Actor, Role};
        let token = |role: Role, organisation_id: Option<domain::Id>| {
            Scope::of(&Caller::Token(Actor {
                token_id: Some(7),
                name: "t".to_owned(),
                role,
                organisation_id,
            }))
        };
        let anonymous = Scope::of(&Caller::Anonymous);
        let scopes = [
            anonymous,
            token(Role::Partner, None),
            token(Role::Partner, Some(1)),
            token(Role::Partner, Some(2)),
            token(Role::Editor, None),
            token(Role::Admin, None),
            Scope::Token(Some(1)),
            Scope::Token(None),
        ];
        let keys: std::collections::HashSet<Key> =
            scopes.iter().map(|s| question.key(*s)).collect();
        assert_eq!(keys.len(), scopes.len());
        let next_day = Question {
            day: chrono::NaiveDate::from_ymd_opt(2025, 1, 2).unwrap(),
            ..question
        };
        assert_ne!(next_day.key(anonymous), question.key(anonymous));
    }

    #[test]
    fn variables_sent_in_another_order_ask_the_same_question() {
        let a = async_graphql::Variables::from_json(serde_json::json!({ "a": 1, "b": 2 }));
        let b = async_graphql::Variables::from_json(serde_json::json!({ "b": 2, "a": 1 }));
        let day = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let ask = |variables| Question {
            query: "{ x }",
            variables,
            operation_name: None,
            day,
        };
        assert_eq!(
            ask(&a).key(Scope::of(&Caller::Anonymous)),
            ask(&b).key(Scope::of(&Caller::Anonymous))
        );
    }
}
