//! Token management and the audit trail: for admins only.

use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, Result, SimpleObject};
use domain::access::Role;

use crate::auth::{RoleGuard, caller};
use crate::error::{ApiError, internal};
use crate::loader::ById;
use crate::schema::connection::{OrderDirection, PageArgs, Paged, connection};
use crate::schema::enums::ApiRole;
use crate::schema::organisation::Organisation;
use crate::schema::scalars::Timestamp;
use crate::schema::user_error::UserError;
use crate::schema::{id, load_one};
use crate::token::{IssueError, TokenKeys, TokenRequest};

connection!(
    ApiTokenConnection,
    ApiTokenEdge,
    ApiToken,
    "A page of API tokens.",
    "An API token in a page, with its cursor."
);
connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "A page of audit events.",
    "An audit event in a page, with its cursor."
);

/// An API token as the directory keeps it: never the token itself.
#[derive(Clone)]
pub struct ApiToken(pub domain::access::ApiToken);

/// An API token as the directory keeps it: its name, role, lifetime and use — never the token
/// itself, which is shown once, when issued.
#[Object]
impl ApiToken {
    /// The token's global id.
    async fn id(&self) -> ID {
        id::encode("ApiToken", self.0.id)
    }

    /// The token's unique id, its `jti` claim.
    async fn jti(&self) -> &str {
        &self.0.jti
    }

    /// The name its issuer gave it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// What it allows.
    async fn role(&self) -> ApiRole {
        self.0.role.into()
    }

    /// For a partner token, the organisation it acts for.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The id of the key that signed it (`kid`).
    async fn key_id(&self) -> &str {
        &self.0.key_id
    }

    /// When it was issued.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.stamp.created_at)
    }

    /// When it stops working.
    async fn expires_at(&self) -> Timestamp {
        Timestamp(self.0.expires_at)
    }

    /// When it was last used (to the minute).
    async fn last_used_at(&self) -> Option<Timestamp> {
        self.0.last_used_at.map(Timestamp)
    }

    /// When it was revoked; none while it works.
    async fn revoked_at(&self) -> Option<Timestamp> {
        self.0.revoked_at.map(Timestamp)
    }
}

/// A write, as the audit trail records it.
#[derive(Clone)]
pub struct AuditEvent(pub domain::access::AuditEvent);

/// A write recorded in the audit trail: who, what, when, before and after.
#[Object]
impl AuditEvent {
    /// The event's global id.
    async fn id(&self) -> ID {
        id::encode("AuditEvent", self.0.id)
    }

    /// The token that made the write; none for the operator's own writes (the command line,
    /// the seed loader, the importers).
    async fn token(&self, ctx: &Context<'_>) -> Result<Option<ApiToken>> {
        Ok(load_one(ctx, self.0.token_id.map(ById::new))
            .await?
            .map(ApiToken))
    }

    /// The name of the token that made the write, or of what the operator ran: `command line`,
    /// `seed 010-umq-iveo.toml` (the seed file that loaded the record), an importer.
    async fn actor_name(&self) -> &str {
        &self.0.actor_name
    }

    /// What was done (`issue_api_token`, `revoke_api_token`…).
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The kind of record written (`api_token`…).
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }

    /// The key of the record written, within its kind.
    async fn entity_id(&self) -> i32 {
        self.0.entity_id
    }

    /// When.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }

    /// The record before the write, as JSON text; none for a creation.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }

    /// The record after the write, as JSON text.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }
}

/// Which audit events to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AuditEventFilter {
    /// Only writes to this kind of record (`api_token`…).
    pub entity_type: Option<String>,
    /// Only writes of this action.
    pub action: Option<String>,
    /// Only writes made with this token.
    pub token: Option<ID>,
    /// Only writes at or after this time.
    pub since: Option<Timestamp>,
}

/// Admin reads: tokens and the audit trail.
#[derive(Default)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Every API token, newest first (admins only).
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n tokens (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the tokens after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n tokens (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the tokens before this cursor.")] before: Option<String>,
    ) -> Result<ApiTokenConnection> {
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .request("CREATED_AT")
        .map_err(|e| e.extend())?;
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = persistence::token::list(db, OrderDirection::Desc.into(), &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(ApiTokenConnection::from(
            Paged::from_page("CREATED_AT", page).map(ApiToken),
        ))
    }

    /// The audit trail, newest first (admins only).
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    #[allow(clippy::too_many_arguments)]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n events (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the events after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the events before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which events.")] filter: Option<AuditEventFilter>,
    ) -> Result<AuditEventConnection> {
        let filter = filter.unwrap_or_default();
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .request("AT")
        .map_err(|e| e.extend())?;
        let token_id = match &filter.token {
            Some(token) => {
                Some(id::decode_as("filter.token", token, "ApiToken").map_err(|e| e.extend())?)
            }
            None => None,
        };
        let query = persistence::audit::AuditFilter {
            entity_type: filter.entity_type,
            entity_id: None,
            token_id,
            action: filter.action,
            since: filter.since.map(Into::into),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = persistence::audit::list(db, &query, OrderDirection::Desc.into(), &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(AuditEventConnection::from(
            Paged::from_page("AT", page).map(AuditEvent),
        ))
    }
}

/// What a new token is for.
#[derive(InputObject, Debug, Clone)]
pub struct IssueApiTokenInput {
    /// A name that says who uses it and why ("UMQ member sync").
    pub name: String,
    /// What it allows.
    pub role: ApiRole,
    /// For a partner token, the organisation it acts for.
    #[doc = crate::schema::reference::named_by_code!()]
    pub organisation: Option<String>,
    /// How many days it lives (1 to 3650; 90 by default).
    #[graphql(default = 90)]
    pub expires_in_days: i32,
}

/// The result of `issueApiToken`.
#[derive(SimpleObject)]
pub struct IssueApiTokenPayload {
    /// The signed token, to send as `Authorization: Bearer …`. Shown this once: the directory
    /// keeps only its id.
    pub token: Option<String>,
    /// The token as the directory keeps it.
    pub api_token: Option<ApiToken>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

/// Which token to revoke.
#[derive(InputObject, Debug, Clone)]
pub struct RevokeApiTokenInput {
    /// The token's global id.
    pub id: ID,
}

/// The result of `revokeApiToken`.
#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    /// The revoked token.
    pub api_token: Option<ApiToken>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

/// Admin writes: tokens.
#[derive(Default)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Issues an API token (admins only). The signed token is in the payload, once.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn issue_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the token is for.")] input: IssueApiTokenInput,
    ) -> Result<IssueApiTokenPayload> {
        let actor = caller(ctx).actor()?.clone();
        let db = ctx.data_unchecked::<persistence::Db>();
        let keys = ctx.data_unchecked::<TokenKeys>();
        // A string since tokens were first issued by slug; it names the organisation as every
        // input does.
        let organisation = input.organisation.map(ID::from);
        let organisation_id = match crate::schema::reference::optional_input_ref(
            ctx,
            "organisation",
            organisation.as_ref(),
            domain::source::RecordType::Organisation,
        )
        .await
        {
            Ok(organisation_id) => organisation_id,
            Err(error) => {
                return error.answer(|error| IssueApiTokenPayload {
                    token: None,
                    api_token: None,
                    user_errors: vec![error],
                });
            }
        };
        let request = TokenRequest {
            name: input.name,
            role: input.role.into(),
            organisation_id,
            days: i64::from(input.expires_in_days),
        };
        match crate::token::issue(db, keys, actor.clone(), request).await {
            Ok((token, signed)) => Ok(IssueApiTokenPayload {
                token: Some(signed),
                api_token: Some(ApiToken(token)),
                user_errors: vec![],
            }),
            Err(IssueError::Rule(broken)) => {
                let field = match broken {
                    domain::access::TokenError::Name => "name",
                    domain::access::TokenError::Lifetime(_) => "expiresInDays",
                    _ => "organisation",
                };
                Ok(IssueApiTokenPayload {
                    token: None,
                    api_token: None,
                    user_errors: vec![UserError::new(
                        &["input", field],
                        crate::error::code::INVALID,
                        broken.to_string(),
                    )],
                })
            }
            Err(other) => Err(internal(ctx, other)),
        }
    }

    /// Revokes an API token at once (admins only): it is refused from the next request on.
    #[graphql(guard = "RoleGuard(Role::Admin)")]
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which token.")] input: RevokeApiTokenInput,
    ) -> Result<RevokeApiTokenPayload> {
        let actor = caller(ctx).actor()?.clone();
        let token_id = match id::decode_as("input.id", &input.id, "ApiToken") {
            Ok(token_id) => token_id,
            Err(ApiError::BadUserInput { message, .. }) => {
                return Ok(RevokeApiTokenPayload {
                    api_token: None,
                    user_errors: vec![UserError::new(
                        &["input", "id"],
                        crate::error::code::INVALID,
                        message,
                    )],
                });
            }
            Err(other) => return Err(other.extend()),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        match db
            .write(actor.clone(), move |unit| {
                Box::pin(persistence::token::revoke(unit, token_id))
            })
            .await
            .map_err(|e| internal(ctx, e))?
        {
            Some(token) => Ok(RevokeApiTokenPayload {
                api_token: Some(ApiToken(token)),
                user_errors: vec![],
            }),
            None => Ok(RevokeApiTokenPayload {
                api_token: None,
                user_errors: vec![UserError::new(
                    &["input", "id"],
                    crate::error::code::NOT_FOUND,
                    "no token has this id",
                )],
            }),
        }
    }
}
