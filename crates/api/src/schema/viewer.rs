//! The `viewer` query field: who the API token presented with the request is, so a client (and
//! GraphiQL's token field) can say which role and organisation it acts as before it writes.

use async_graphql::{Context, ErrorExtensions, Object, Result};

use crate::auth::caller;
use crate::error::ApiError;
use crate::loader::ById;
use crate::schema::admin::ApiToken;
use crate::schema::enums::ApiRole;
use crate::schema::load_one;
use crate::schema::organisation::Organisation;
use crate::schema::scalars::Timestamp;

/// The caller behind a valid API token.
pub struct Viewer(domain::access::ApiToken);

/// Who the API token presented with this request is: what it allows, whom it acts for, its name
/// and when it stops working.
#[Object]
impl Viewer {
    /// What the token allows: `PARTNER` writes for its organisation, `EDITOR` writes anything,
    /// `ADMIN` also manages tokens and reads the audit trail.
    async fn role(&self) -> ApiRole {
        self.0.role.into()
    }

    /// For a partner token, the organisation it acts for; null for editors and admins.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The name the token's issuer gave it ("MGP sync").
    async fn token_name(&self) -> &str {
        &self.0.name
    }

    /// When the token stops working; after that it is refused with a 401, like a revoked one.
    async fn expires_at(&self) -> Timestamp {
        Timestamp(self.0.expires_at)
    }

    /// The token as the directory keeps it (its id, issue date, last use), never the token
    /// itself.
    async fn token(&self) -> ApiToken {
        ApiToken(self.0.clone())
    }
}

#[derive(Default)]
pub struct ViewerQuery;

#[Object]
impl ViewerQuery {
    /// Who the API token sent in `Authorization: Bearer …` is; null for an anonymous caller
    /// (no token). A refused token (forged, expired, revoked) never gets an answer here: the
    /// whole request is refused with a 401 `UNAUTHENTICATED`.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<Option<Viewer>> {
        let Some(actor) = caller(ctx).token_actor() else {
            return Ok(None);
        };
        match load_one::<_, domain::access::ApiToken>(ctx, actor.token_id.map(ById::new)).await? {
            Some(token) => Ok(Some(Viewer(token))),
            // Checked at the start of the request and gone since: never issued, as far as the
            // directory now knows.
            None => {
                Err(ApiError::Unauthenticated("the token is no longer known".to_owned()).extend())
            }
        }
    }
}
