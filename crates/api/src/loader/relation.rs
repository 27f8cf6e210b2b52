//! One-to-many relations: `relation!` declares a key and the batch that loads the children
//! of many parents at once; `Batch` is what such a batch returns.

use std::collections::HashMap;

use domain::Id;
use persistence::Stored;

use crate::loader::Loaders;

/// What a relation's batch returns: its children grouped by parent, and maybe the records a
/// join brought along, which the request keeps for the next level's `ById` loads.
pub(super) trait Batch<V> {
    fn into_groups(self, loaders: &Loaders) -> HashMap<Id, Vec<V>>;
}

impl<V> Batch<V> for HashMap<Id, Vec<V>> {
    fn into_groups(self, _: &Loaders) -> HashMap<Id, Vec<V>> {
        self
    }
}

impl<V, T: Stored> Batch<V> for (HashMap<Id, Vec<V>>, Vec<T>) {
    fn into_groups(self, loaders: &Loaders) -> HashMap<Id, Vec<V>> {
        loaders.keep(self.1);
        self.0
    }
}

/// Declares a key type for a one-to-many relation and the batch that loads it.
macro_rules! relation {
    ($(#[$doc:meta])* $key:ident => $value:ty, $batch:path) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub ::domain::Id);

        impl ::async_graphql::dataloader::Loader<$key> for $crate::loader::Loaders {
            type Value = Vec<$value>;
            type Error = $crate::loader::LoadError;

            async fn load(&self, keys: &[$key]) -> Result<::std::collections::HashMap<$key, Vec<$value>>, $crate::loader::LoadError> {
                let (mut loaded, keys) = self.kept_among::<$key, Vec<$value>>(keys);
                if keys.is_empty() {
                    return Ok(loaded);
                }
                let ids: Vec<::domain::Id> = keys.iter().map(|key| key.0).collect();
                let batch = $batch(&self.db, &ids).await.map_err(::std::sync::Arc::new)?;
                let mut groups = $crate::loader::relation::Batch::<$value>::into_groups(batch, self);
                loaded.extend(keys.iter().map(|key| (*key, groups.remove(&key.0).unwrap_or_default())));
                Ok(loaded)
            }
        }
    };
}

pub(super) use relation;
