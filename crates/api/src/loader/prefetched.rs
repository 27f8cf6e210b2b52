//! What a request keeps of its batches: records brought along with others, and relations
//! read along with their parent, for the next level's loads to find without a statement.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;

use persistence::Stored;

use crate::loader::ById;

/// Records a batch brought along, through a join (a membership's organisation) or looked up
/// right after its rows (a party's city), kept for the request's `ById` loads: the next level
/// then costs no statement and no batch of its own.
/// Relations read along with their parent (a city's mandates) are kept the same way, by key.
///
/// One map per kind of entry, `HashMap<K, V>`, found by its type: `HashMap<ById<City>, City>`
/// for cities by id, `HashMap<MandatesOfCity, Vec<Mandate>>` for a relation.
#[derive(Default)]
pub(super) struct Prefetched(std::sync::Mutex<HashMap<TypeId, Box<dyn Any + Send>>>);

impl Prefetched {
    pub(super) fn keep<T: Stored>(&self, records: Vec<T>) {
        self.keep_entries(
            records
                .into_iter()
                .map(|record| (ById::<T>::new(record.id()), record)),
        );
    }

    pub(super) fn keep_relation<K, V>(&self, key: K, children: Vec<V>)
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        self.keep_entries(std::iter::once((key, children)));
    }

    pub(super) fn keep_entries<K, V>(&self, entries: impl Iterator<Item = (K, V)>)
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        let mut maps = self.lock();
        let kept = maps
            .entry(TypeId::of::<HashMap<K, V>>())
            .or_insert_with(|| Box::new(HashMap::<K, V>::new()))
            .downcast_mut::<HashMap<K, V>>();
        if let Some(kept) = kept {
            kept.extend(entries);
        }
    }

    /// The kept values among `keys`, and the keys that still need loading.
    pub(super) fn find<K, V>(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>)
    where
        K: Clone + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        let maps = self.lock();
        let Some(kept) = Self::map::<K, V>(&maps) else {
            return (HashMap::new(), keys.to_vec());
        };
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match kept.get(key) {
                Some(value) => {
                    found.insert(key.clone(), value.clone());
                }
                None => missing.push(key.clone()),
            }
        }
        (found, missing)
    }

    /// The value kept under `key`, if any.
    pub(super) fn get<K, V>(&self, key: &K) -> Option<V>
    where
        K: Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        Self::map::<K, V>(&self.lock())?.get(key).cloned()
    }

    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TypeId, Box<dyn Any + Send>>> {
        // A panic while holding the lock leaves maps that are still whole: keep using them.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn map<K, V>(maps: &HashMap<TypeId, Box<dyn Any + Send>>) -> Option<&HashMap<K, V>>
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        maps.get(&TypeId::of::<HashMap<K, V>>())?
            .downcast_ref::<HashMap<K, V>>()
    }
}
