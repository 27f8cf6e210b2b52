//! Webhook subscriptions' latest deliveries with their attempts: two statements for a whole
//! list of subscriptions, however long.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use persistence::webhook::outbox::{self, Attempt, Delivery};

use crate::loader::{LoadError, Loaders};

/// The last `1` deliveries of subscription `0`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct LatestDeliveries(pub Id, pub u64);

impl Loader<LatestDeliveries> for Loaders {
    type Value = Vec<(Delivery, Vec<Attempt>)>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[LatestDeliveries],
    ) -> Result<HashMap<LatestDeliveries, Self::Value>, LoadError> {
        let mut by_limit: HashMap<u64, Vec<Id>> = HashMap::new();
        for key in keys {
            by_limit.entry(key.1).or_default().push(key.0);
        }
        let mut loaded = HashMap::new();
        for (limit, subscriptions) in by_limit {
            let deliveries = outbox::latest_deliveries(&self.db, &subscriptions, limit)
                .await
                .map_err(Arc::new)?;
            let ids: Vec<Id> = deliveries.iter().map(|delivery| delivery.id).collect();
            let mut attempts: HashMap<Id, Vec<Attempt>> = HashMap::new();
            if !ids.is_empty() {
                for attempt in outbox::attempts_of(&self.db, &ids)
                    .await
                    .map_err(Arc::new)?
                {
                    attempts
                        .entry(attempt.delivery_id)
                        .or_default()
                        .push(attempt);
                }
            }
            for subscription in subscriptions {
                loaded.insert(LatestDeliveries(subscription, limit), Vec::new());
            }
            for delivery in deliveries {
                let tried = attempts.remove(&delivery.id).unwrap_or_default();
                if let Some(list) =
                    loaded.get_mut(&LatestDeliveries(delivery.subscription_id, limit))
                {
                    list.push((delivery, tried));
                }
            }
        }
        Ok(loaded)
    }
}
