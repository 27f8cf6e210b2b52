//! Webhooks, as a subscriber manages them: subscriptions of a URL to a filter of the change
//! feed, their deliveries and each attempt. Any token holder subscribes; each sees and manages
//! the subscriptions `domain::webhook::manages` gives it, the others are not there for it.
//! Deliveries are made by `crate::webhook`.

use async_graphql::{
    Context, Enum, ID, InputObject, InputType, Object, Result, SimpleObject, Value,
};

use crate::auth::caller;
use crate::error::{ApiError, internal};
use crate::schema::change::ChangeFilter;
use crate::schema::scalars::Timestamp;
use crate::schema::user_error::{UserError, outcome};

/// The type name global ids of subscriptions carry.
const TYPE_NAME: &str = "WebhookSubscription";

/// Whether a subscription is delivered to.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookStatus {
    /// Changes are delivered.
    Active,
    /// Delivery stopped: `disabledReason` says why. Rotating the secret enables it again.
    Disabled,
}

/// A URL told of the changes of the directory that a filter keeps.
pub struct WebhookSubscription(pub domain::webhook::Subscription);

/// A URL told of the changes of the directory that a filter keeps, signed as the Standard
/// Webhooks specification says. Each delivery carries up to a hundred changes, as the change
/// feed gives them to the token that subscribed; the same message (the same `webhook-id`) is
/// sent again until the subscriber answers with a 2xx status.
#[Object]
impl WebhookSubscription {
    /// The subscription's global id.
    async fn id(&self) -> ID {
        crate::schema::id::encode(TYPE_NAME, self.0.id)
    }

    /// Where deliveries are posted.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// Which changes are delivered: the change feed's filter, as given.
    async fn filter(&self) -> WebhookFilter {
        WebhookFilter::from_stored(&self.0.filter)
    }

    /// Whether changes are delivered.
    async fn status(&self) -> WebhookStatus {
        match self.0.status {
            domain::webhook::Status::Active => WebhookStatus::Active,
            domain::webhook::Status::Disabled => WebhookStatus::Disabled,
        }
    }

    /// Why delivery stopped, when it did.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    /// Failed attempts in a row; at 15 the subscription is disabled.
    async fn consecutive_failures(&self) -> i32 {
        self.0.failures
    }

    /// When the next delivery is due (the next retry after a failure).
    async fn next_attempt_at(&self) -> Timestamp {
        Timestamp(self.0.next_attempt_at)
    }

    /// Where the subscription stands in the change feed: the cursor after the last change
    /// delivered, as `changes(after:)` takes it.
    async fn cursor(&self) -> String {
        crate::schema::change::cursor_at(self.0.position).encode()
    }

    /// When it was made.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.0.stamp.created_at)
    }

    /// Its version, which every change bumps.
    async fn version(&self) -> i32 {
        self.0.stamp.version
    }

    /// The latest deliveries, newest first, with their attempts.
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Returns the last n deliveries (at most 50, 10 by default).",
            default = 10
        )]
        last: i32,
    ) -> Result<Vec<WebhookDelivery>> {
        if !(0..=50).contains(&last) {
            return Err(ApiError::bad_input("last", "at most 50 deliveries").into());
        }
        let latest = crate::schema::load_derived(
            ctx,
            crate::loader::webhook::LatestDeliveries(self.0.id, last as u64),
        )
        .await?
        .unwrap_or_default();
        Ok(latest
            .into_iter()
            .map(|(delivery, attempts)| WebhookDelivery {
                attempts: attempts.into_iter().map(WebhookAttempt).collect(),
                delivery,
            })
            .collect())
    }
}

/// Which changes a subscription delivers, as its `ChangeFilter` was given.
#[derive(SimpleObject, Default)]
pub struct WebhookFilter {
    /// Only changes of records of these kinds (GraphQL type names); all when empty.
    kinds: Vec<String>,
    /// Only changes of records tagged with these themes (slugs); all when empty.
    themes: Vec<String>,
    /// Only changes of cities and organisations of this country (ISO 3166-1).
    country: Option<String>,
    /// Only changes of cities and organisations in this subdivision (ISO 3166-2).
    subdivision: Option<String>,
    /// Only changes of this organisation (slug) and of the records that name it.
    organisation: Option<String>,
}

impl WebhookFilter {
    /// Reads a stored filter (the `ChangeFilter` input as JSON).
    fn from_stored(text: &str) -> WebhookFilter {
        let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
        let strings = |key: &str| -> Vec<String> {
            value[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item.as_str().map(str::to_owned))
                .collect()
        };
        let string = |key: &str| value[key].as_str().map(str::to_owned);
        WebhookFilter {
            kinds: strings("kinds"),
            themes: strings("themes"),
            country: string("country"),
            subdivision: string("subdivision"),
            organisation: string("organisation"),
        }
    }
}

/// A message to a subscriber: the same, with the same `webhook-id`, until it is delivered.
pub struct WebhookDelivery {
    delivery: persistence::webhook::outbox::Delivery,
    attempts: Vec<WebhookAttempt>,
}

/// A message to a subscriber, with its attempts.
#[Object]
impl WebhookDelivery {
    /// The `webhook-id` header: the same on every attempt, so a subscriber drops a repeat.
    async fn message_id(&self) -> &str {
        &self.delivery.message_id
    }

    /// Whether the subscriber answered with a 2xx status.
    async fn delivered(&self) -> bool {
        self.delivery.delivered
    }

    /// When the message was made.
    async fn created_at(&self) -> Timestamp {
        Timestamp(self.delivery.created_at)
    }

    /// When the subscriber took it, if it has.
    async fn delivered_at(&self) -> Option<Timestamp> {
        self.delivery.delivered_at.map(Timestamp)
    }

    /// The message's body, as posted: `{"type": "directory.changes", "timestamp", "data":
    /// {"changes": [...], "endCursor"}}`.
    async fn payload(&self) -> &str {
        &self.delivery.payload
    }

    /// Each attempt, oldest first.
    async fn attempts(&self) -> &[WebhookAttempt] {
        &self.attempts
    }
}

/// One try at a delivery.
#[derive(Clone)]
pub struct WebhookAttempt(persistence::webhook::outbox::Attempt);

/// One try at a delivery.
#[Object]
impl WebhookAttempt {
    /// When it was made.
    async fn at(&self) -> Timestamp {
        Timestamp(self.0.at)
    }

    /// The subscriber's HTTP status, if it answered.
    async fn response_status(&self) -> Option<i32> {
        self.0.response_status
    }

    /// Why it failed, if it did: the status, a refused connection, a timeout.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// How long it took, in milliseconds.
    async fn duration_ms(&self) -> i32 {
        self.0.duration_ms
    }
}

/// Webhooks, read.
#[derive(Default)]
pub struct WebhookQuery;

/// Webhooks, read.
#[Object]
impl WebhookQuery {
    /// The webhook subscriptions you manage, newest first: those your token made, and for a
    /// partner those of its organisation; an admin sees every one. Needs a token.
    async fn webhook_subscriptions(&self, ctx: &Context<'_>) -> Result<Vec<WebhookSubscription>> {
        let actor = caller(ctx).actor()?;
        let db = ctx.data_unchecked::<persistence::Db>();
        Ok(persistence::webhook::managed_by(db, actor)
            .await
            .map_err(|error| internal(ctx, error))?
            .into_iter()
            .map(WebhookSubscription)
            .collect())
    }
}

/// A URL to subscribe.
#[derive(InputObject)]
pub struct CreateWebhookSubscriptionInput {
    /// Where deliveries are posted: an HTTPS URL of a public host (the server's configuration
    /// may allow more for development).
    pub url: String,
    /// Which changes to deliver (every change you may read when none).
    pub filter: Option<ChangeFilter>,
    /// Where in the change feed to start: after this cursor (a `changes` edge's cursor or
    /// `endCursor`). By default only what changes from now on is delivered.
    pub after: Option<String>,
}

/// A subscription's changes: where it posts, which changes it delivers. Its secret, status and
/// place in the change feed stay.
#[derive(InputObject)]
pub struct UpdateWebhookSubscriptionInput {
    /// The subscription's global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Where deliveries are posted from now on: an HTTPS URL of a public host.
    pub url: Option<String>,
    /// Which changes to deliver from now on.
    pub filter: Option<ChangeFilter>,
}

/// A subscription, by its id.
#[derive(InputObject)]
pub struct WebhookSubscriptionIdInput {
    /// The subscription's global id.
    pub id: ID,
}

/// The result of making a subscription or rotating its secret.
#[derive(SimpleObject)]
pub struct WebhookSecretPayload {
    /// The subscription.
    pub subscription: Option<WebhookSubscription>,
    /// The signing secret (`whsec_…`), shown this once: keep it to check the
    /// `webhook-signature` of each delivery.
    pub secret: Option<String>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

impl WebhookSecretPayload {
    fn rejected(error: UserError) -> WebhookSecretPayload {
        WebhookSecretPayload {
            subscription: None,
            secret: None,
            user_errors: vec![error],
        }
    }
}

crate::schema::payload::payload!(/// The result of changing a subscription.
    WebhookSubscriptionPayload { subscription: WebhookSubscription });

/// The result of deleting a subscription.
#[derive(SimpleObject)]
pub struct DeleteWebhookSubscriptionPayload {
    /// The global id of the deleted subscription.
    pub deleted_id: Option<ID>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

/// Webhooks, written.
#[derive(Default)]
pub struct WebhookMutation;

/// Webhooks, written.
#[Object]
impl WebhookMutation {
    /// Subscribes a URL to the changes a filter keeps, as your token may read them (any
    /// token). The secret that signs deliveries is in the payload, once. Deliveries stop when
    /// the token is revoked or expires.
    async fn create_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The URL and its filter.")] input: CreateWebhookSubscriptionInput,
    ) -> Result<WebhookSecretPayload> {
        let actor = caller(ctx).actor()?.clone();
        let filter = input.filter.unwrap_or_default();
        // Checked as the feed checks it: an unknown kind, theme or organisation is refused.
        crate::schema::change::resolve(ctx, filter.clone()).await?;
        let after = match input.after.as_deref() {
            Some(cursor) => Some(
                crate::schema::connection::decode_cursor("after", cursor, "CHANGE")
                    .map_err(|error| async_graphql::ErrorExtensions::extend(&error))?
                    .id,
            ),
            None => None,
        };
        let secret =
            crate::webhook::signature::new_secret().map_err(|e| internal(ctx, e.to_string()))?;
        let new = persistence::webhook::NewSubscription {
            url: input.url,
            filter: filter.to_value().into_json()?.to_string(),
            secret: secret.clone(),
            after,
        };
        let targets = ctx
            .data_opt::<domain::webhook::Targets>()
            .copied()
            .unwrap_or_default();
        let db = ctx.data_unchecked::<persistence::Db>();
        let (subscription, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::webhook::create(unit, new, targets))
            })
            .await,
        )?;
        Ok(WebhookSecretPayload {
            secret: subscription.as_ref().map(|_| secret),
            subscription: subscription.map(WebhookSubscription),
            user_errors,
        })
    }

    /// Gives a subscription a new secret, in the payload once; the previous one signs
    /// deliveries beside it for a day, so you can switch over without missing one. A disabled
    /// subscription is enabled again, from where it stopped.
    async fn rotate_webhook_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which subscription.")] input: WebhookSubscriptionIdInput,
    ) -> Result<WebhookSecretPayload> {
        let actor = caller(ctx).actor()?.clone();
        let id = match crate::schema::id::decode_as("id", &input.id, TYPE_NAME) {
            Ok(id) => id,
            Err(error) => {
                return Ok(WebhookSecretPayload::rejected(UserError::new(
                    &["input", "id"],
                    crate::error::code::INVALID,
                    error.to_string(),
                )));
            }
        };
        let secret =
            crate::webhook::signature::new_secret().map_err(|e| internal(ctx, e.to_string()))?;
        let new_secret = secret.clone();
        let db = ctx.data_unchecked::<persistence::Db>();
        let (subscription, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::webhook::rotate_secret(unit, id, new_secret))
            })
            .await,
        )?;
        Ok(WebhookSecretPayload {
            secret: subscription.as_ref().map(|_| secret),
            subscription: subscription.map(WebhookSubscription),
            user_errors,
        })
    }

    /// Changes where a subscription posts or which changes it delivers, with the version read
    /// (by whoever manages it). Deliveries go on from where they stand.
    async fn update_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The subscription and its changes.")]
        input: UpdateWebhookSubscriptionInput,
    ) -> Result<WebhookSubscriptionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let id = match crate::schema::id::decode_as("id", &input.id, TYPE_NAME) {
            Ok(id) => id,
            Err(error) => {
                return Ok(WebhookSubscriptionPayload::rejected(UserError::new(
                    &["input", "id"],
                    crate::error::code::INVALID,
                    error.to_string(),
                )));
            }
        };
        let filter = match input.filter {
            Some(filter) => {
                // Checked as the feed checks it: an unknown kind, theme or organisation is
                // refused.
                crate::schema::change::resolve(ctx, filter.clone()).await?;
                Some(filter.to_value().into_json()?.to_string())
            }
            None => None,
        };
        let changes = persistence::webhook::SubscriptionChanges {
            url: input.url,
            filter,
            targets: ctx
                .data_opt::<domain::webhook::Targets>()
                .copied()
                .unwrap_or_default(),
        };
        let version = input.version;
        let db = ctx.data_unchecked::<persistence::Db>();
        let (subscription, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::update(unit, id, version, changes))
            })
            .await,
        )?;
        Ok(WebhookSubscriptionPayload {
            subscription: subscription.map(WebhookSubscription),
            user_errors,
        })
    }

    /// Deletes a subscription, its deliveries and their attempts.
    async fn delete_webhook_subscription(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which subscription.")] input: WebhookSubscriptionIdInput,
    ) -> Result<DeleteWebhookSubscriptionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let id = match crate::schema::id::decode_as("id", &input.id, TYPE_NAME) {
            Ok(id) => id,
            Err(error) => {
                return Ok(DeleteWebhookSubscriptionPayload {
                    deleted_id: None,
                    user_errors: vec![UserError::new(
                        &["input", "id"],
                        crate::error::code::INVALID,
                        error.to_string(),
                    )],
                });
            }
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (deleted, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::webhook::delete(unit, id))
            })
            .await,
        )?;
        Ok(DeleteWebhookSubscriptionPayload {
            deleted_id: deleted.map(|()| crate::schema::id::encode(TYPE_NAME, id)),
            user_errors,
        })
    }
}

/// The stored form of a filter, for the worker: the input as JSON variables.
pub(crate) fn stored_filter_variable(text: &str) -> Value {
    serde_json::from_str::<serde_json::Value>(text)
        .map(Value::from_json)
        .ok()
        .and_then(Result::ok)
        .unwrap_or(Value::Null)
}
