//! Queries the server runs for itself on behalf of a caller — a webhook subscriber's token
//! reading the change feed — through the same schema, loaders and visibility rules as a
//! request, without HTTP, request limits or rate limits.

use std::sync::Arc;

use async_graphql::Variables;

use super::Shared;
use crate::auth::Caller;

/// Runs queries on the directory's schema for the server itself.
#[derive(Clone)]
pub struct Runner {
    shared: Arc<Shared>,
}

impl Runner {
    pub(super) fn new(shared: Arc<Shared>) -> Runner {
        Runner { shared }
    }

    /// Runs `query` as `caller` would, with its batches driven as a request's are.
    pub async fn run(
        &self,
        caller: Caller,
        query: &str,
        variables: Variables,
    ) -> async_graphql::Response {
        let shared = &self.shared;
        let loaders = crate::loader::Loaders::for_query(shared.db.clone());
        let (loader, batches) = crate::batch::request_loader(loaders);
        let request = async_graphql::Request::new(query)
            .variables(variables)
            .data(shared.db.clone())
            .data(shared.keys.clone())
            .data(crate::auth::attach(caller))
            .data(loader);
        crate::batch::drive(shared.schemas.run.execute(request), batches).await
    }
}
