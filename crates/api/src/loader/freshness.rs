//! Freshness: each record's last verification (and, for a mandate, the office it holds), who
//! created the records nobody verified since, and the elections — one batch per kind of record
//! and level, and one read of the elections per request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use domain::election::Election;
use domain::source::RecordType;
use persistence::freshness::Freshness;

use crate::loader::{LoadError, Loaders};

/// What freshness knows of one record, by its type and id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FreshnessOf(pub RecordType, pub Id);

impl Loader<FreshnessOf> for Loaders {
    type Value = Freshness;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[FreshnessOf],
    ) -> Result<HashMap<FreshnessOf, Freshness>, LoadError> {
        let mut loaded = HashMap::new();
        for (record_type, ids) in by_type(keys.iter().map(|key| (key.0, key.1))) {
            let found = persistence::freshness::of_records(&self.db, record_type, &ids)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                let freshness = found.get(&id).cloned().unwrap_or_default();
                loaded.insert(FreshnessOf(record_type, id), freshness);
            }
        }
        Ok(loaded)
    }
}

/// Who created one record, as the audit trail names actors.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CreatorOf(pub RecordType, pub Id);

impl Loader<CreatorOf> for Loaders {
    type Value = String;
    type Error = LoadError;

    async fn load(&self, keys: &[CreatorOf]) -> Result<HashMap<CreatorOf, String>, LoadError> {
        let mut loaded = HashMap::new();
        for (record_type, ids) in by_type(keys.iter().map(|key| (key.0, key.1))) {
            let found = persistence::freshness::creators(&self.db, record_type, &ids)
                .await
                .map_err(Arc::new)?;
            loaded.extend(
                found
                    .into_iter()
                    .map(|(id, actor)| (CreatorOf(record_type, id), actor)),
            );
        }
        Ok(loaded)
    }
}

/// Every election: a few per country and decade, read once per request.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct AllElections;

impl Loader<AllElections> for Loaders {
    type Value = Vec<Election>;
    type Error = LoadError;

    async fn load(
        &self,
        _: &[AllElections],
    ) -> Result<HashMap<AllElections, Vec<Election>>, LoadError> {
        let elections = persistence::election::all(&self.db)
            .await
            .map_err(Arc::new)?;
        Ok(HashMap::from([(AllElections, elections)]))
    }
}

/// Record ids grouped by type.
fn by_type(keys: impl Iterator<Item = (RecordType, Id)>) -> HashMap<RecordType, Vec<Id>> {
    let mut grouped: HashMap<RecordType, Vec<Id>> = HashMap::new();
    for (record_type, id) in keys {
        grouped.entry(record_type).or_default().push(id);
    }
    grouped
}
