//! DataLoaders: every relation the schema resolves goes through one of these, so a nested
//! query costs one batch per relation and level, never one statement per parent.
//!
//! One `Loaders` value implements `Loader` for many key types; it is built per request so its
//! cache never outlives a request nor crosses callers.

mod prefetched;
mod relation;
mod with_actors;

pub mod agreements;
pub mod city_match;
pub mod collective_action;
pub mod directory;
pub mod freshness;
pub mod webhook;

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use persistence::{Db, Stored};

use prefetched::Prefetched;

/// The batch loads of one request.
pub struct Loaders {
    db: Db,
    prefetched: Option<Prefetched>,
    /// The owners (partnerships, reports, initiatives, events) this request has already shown
    /// its caller: their parts are shown without asking again.
    shown: std::sync::Mutex<Shown>,
}

/// Verdicts for this caller, good while nothing is committed: a write — a mutation of the same
/// request among them — may hide an owner shown before it (a draft again, a party removed), so
/// a commit of this process forgets them all.
#[derive(Default)]
struct Shown {
    /// `Db::commit_count` when the verdicts were given.
    commits: u64,
    owners: std::collections::HashSet<domain::ownership::Owner>,
}

impl Loaders {
    /// The loads of a query: records joined into one level's batch serve the next level.
    pub fn for_query(db: Db) -> Loaders {
        Loaders {
            db,
            prefetched: Some(Prefetched::default()),
            shown: Default::default(),
        }
    }

    /// The loads of a mutation: every record is read when asked for, after the writes
    /// before it, never from what an earlier batch of the request brought along.
    pub fn for_mutation(db: Db) -> Loaders {
        Loaders {
            db,
            prefetched: None,
            shown: Default::default(),
        }
    }

    /// The loads of a live stream (`schema::change_live`): nothing read is kept for later, and
    /// `forget` drops the verdicts between pages, so that each page is judged as a query
    /// made then would be.
    pub fn for_live(db: Db) -> Loaders {
        Loaders::for_mutation(db)
    }

    /// Forgets which owners the caller was shown: a stream asks again for its next page.
    pub fn forget_verdicts(&self) {
        self.verdicts().owners.clear();
    }

    /// Notes owners the caller was shown, so that their parts need no second look.
    pub fn vouch(&self, owners: impl IntoIterator<Item = domain::ownership::Owner>) {
        self.verdicts().owners.extend(owners);
    }

    /// Whether the caller was shown `owner` earlier in the request, with nothing committed
    /// since.
    pub fn was_shown(&self, owner: &domain::ownership::Owner) -> bool {
        self.verdicts().owners.contains(owner)
    }

    /// The verdicts still good: those given before this process's last commit are dropped.
    fn verdicts(&self) -> std::sync::MutexGuard<'_, Shown> {
        let mut shown = self
            .shown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let commits = self.db.commit_count();
        if shown.commits != commits {
            shown.owners.clear();
            shown.commits = commits;
        }
        shown
    }

    /// Keeps records read along with something else for the request's `ById` loads.
    pub fn keep<T: Stored>(&self, records: Vec<T>) {
        if let Some(prefetched) = &self.prefetched {
            prefetched.keep(records);
        }
    }

    /// Serves the relation under `key` from children already read (a city read with its
    /// mandates in one statement) for the rest of the request.
    pub fn keep_relation<K, V>(&self, key: K, children: Vec<V>)
    where
        K: Copy + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        if let Some(prefetched) = &self.prefetched {
            prefetched.keep_relation(key, children);
        }
    }

    /// The kept values among `keys`, and the keys that still need loading.
    fn kept_among<K, V>(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>)
    where
        K: Clone + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        match &self.prefetched {
            Some(prefetched) => prefetched.find(keys),
            None => (HashMap::new(), keys.to_vec()),
        }
    }

    /// The value kept under `key` (a record under `ById`, children under their relation's
    /// key), if any: what a resolver can use at once, without queueing a batch.
    pub fn kept<K, V>(&self, key: &K) -> Option<V>
    where
        K: Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        self.prefetched.as_ref()?.get(key)
    }
}

/// Loader errors must be `Clone`.
pub type LoadError = Arc<persistence::Error>;

/// A record of type `T` by id.
pub struct ById<T>(pub Id, PhantomData<fn() -> T>);

impl<T> ById<T> {
    pub fn new(id: Id) -> Self {
        ById(id, PhantomData)
    }
}

impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ById<T> {}
impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<T> Eq for ById<T> {}
impl<T> Hash for ById<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl<T: Stored> Loader<ById<T>> for Loaders {
    type Value = T;
    type Error = LoadError;

    async fn load(&self, keys: &[ById<T>]) -> Result<HashMap<ById<T>, T>, LoadError> {
        let (mut records, missing) = self.kept_among::<ById<T>, T>(keys);
        if !missing.is_empty() {
            let ids: Vec<Id> = missing.iter().map(|key| key.0).collect();
            records.extend(
                persistence::by_ids::<T>(&self.db, &ids)
                    .await
                    .map_err(Arc::new)?
                    .into_iter()
                    .map(|(id, record)| (ById::new(id), record)),
            );
        }
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ownership::Owner;
    use domain::source::RecordType;

    /// A mutation that hides a draft (a party removed) must not leave the fields after it
    /// judging the draft's parts by a verdict given before it.
    #[tokio::test]
    async fn a_verdict_given_before_a_commit_is_not_kept_after_it() {
        let folder = std::env::temp_dir().join(format!("verdicts-{}", std::process::id()));
        let url = format!("sqlite://{}/directory.db?mode=rwc", folder.display());
        let db = Db::connect(&url).await.expect("an SQLite file");
        let loaders = Loaders::for_mutation(db.clone());
        let draft = Owner::Record(RecordType::Partnership, 1);
        loaders.vouch([draft]);
        assert!(loaders.was_shown(&draft), "a verdict holds until a commit");

        db.write(domain::access::Actor::operator("test"), |_unit| {
            Box::pin(async { Ok::<_, persistence::Error>(()) })
        })
        .await
        .expect("an empty unit commits");

        assert!(!loaders.was_shown(&draft), "the verdict outlived a commit");
        let _ = std::fs::remove_dir_all(folder);
    }
}
