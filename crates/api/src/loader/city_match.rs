//! What the directory tells a city about itself, for many cities at once: its ranked peers,
//! and what it may join on a day.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;

use crate::loader::{LoadError, Loaders};

/// The ranked peers of a city.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeersOfCity(pub Id);

impl Loader<PeersOfCity> for Loaders {
    type Value = Vec<domain::peers::Peer>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PeersOfCity],
    ) -> Result<HashMap<PeersOfCity, Vec<domain::peers::Peer>>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let mut peers = persistence::peers::peers_of_cities(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, peers.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// What a city may join on a day, and why not.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct JoinableOfCity(pub Id, pub chrono::NaiveDate);

impl Loader<JoinableOfCity> for Loaders {
    type Value = Vec<persistence::joining::JoinVerdict>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[JoinableOfCity],
    ) -> Result<HashMap<JoinableOfCity, Self::Value>, LoadError> {
        let mut by_day: HashMap<chrono::NaiveDate, Vec<Id>> = HashMap::new();
        for key in keys {
            by_day.entry(key.1).or_default().push(key.0);
        }
        let mut loaded = HashMap::new();
        for (day, ids) in by_day {
            let mut verdicts = persistence::joining::joinable(&self.db, &ids, day)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                loaded.insert(
                    JoinableOfCity(id, day),
                    verdicts.remove(&id).unwrap_or_default(),
                );
            }
        }
        Ok(loaded)
    }
}
