//! Webhook subscriptions: a URL told of the changes of the directory that a filter keeps, as
//! the token that subscribed may read them. Created, rotated and deleted through the write
//! path (audited, without the secret); their deliveries are kept by `outbox`.
//!
//! The secret is stored as it is: signing a delivery needs it. It is shown to the subscriber
//! once, when it is made, and never read back through the API.

pub mod outbox;

use chrono::{DateTime, Utc};
use domain::Id;
use domain::webhook::{Status, Subscription, Targets, check_target, manages};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;

use crate::entity::{api_token, webhook_attempt, webhook_delivery, webhook_subscription};
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, set_given};
use crate::{Db, Error};

/// Subscriptions, as the write path handles them.
const SUBSCRIPTION: Kind<webhook_subscription::Entity, Subscription> = Kind {
    to_domain: crate::rows::webhook_subscription,
    snapshot,
    unique: &[],
};

/// A subscription to make.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub url: String,
    /// The change feed's filter, as the API writes it (JSON).
    pub filter: String,
    /// The signing secret, `whsec_` and base64.
    pub secret: String,
    /// Where in the change feed deliveries start: after this position (the feed's end when
    /// none, so only what changes from now on is delivered).
    pub after: Option<Id>,
}

/// Subscribes a URL for the acting token, which must be one the directory issued.
pub async fn create(
    unit: &Unit,
    new: NewSubscription,
    targets: Targets,
) -> Result<Subscription, WriteError> {
    let Some(token_id) = unit.actor().token_id else {
        return Err(WriteError::Forbidden(
            domain::access::AccessError::RoleNeeded {
                needed: domain::access::Role::Partner,
            },
        ));
    };
    check_target(&new.url, targets).map_err(|broken| crate::write::broken(Field::Url, broken))?;
    let position = match new.after {
        Some(after) => after,
        None => feed_end(unit).await?,
    };
    let row = webhook_subscription::ActiveModel {
        token_id: Set(token_id),
        url: Set(new.url),
        filter: Set(new.filter),
        secret: Set(new.secret),
        previous_secret: Set(None),
        previous_secret_until: Set(None),
        status: Set(Status::Active.as_str().to_owned()),
        disabled_reason: Set(None),
        failures: Set(0),
        position: Set(position),
        next_attempt_at: Set(unit.now()),
        leased_until: Set(None),
        ..Default::default()
    };
    SUBSCRIPTION
        .insert_new(unit, "create_webhook_subscription", row)
        .await
}

/// Gives a subscription a new secret; the previous one goes on signing deliveries beside it
/// for `PREVIOUS_SECRET_GRACE`. A disabled subscription is enabled again, its failures
/// forgotten: rotating is what a subscriber does once its endpoint is fixed.
pub async fn rotate_secret(
    unit: &Unit,
    id: Id,
    new_secret: String,
) -> Result<Subscription, WriteError> {
    let (row, before) = managed(unit, id).await?;
    let grace = chrono::Duration::from_std(domain::webhook::PREVIOUS_SECRET_GRACE)
        .unwrap_or_else(|_| chrono::Duration::hours(24));
    let active = webhook_subscription::ActiveModel {
        secret: Set(new_secret),
        previous_secret: Set(Some(row.secret)),
        previous_secret_until: Set(Some(unit.now() + grace)),
        status: Set(Status::Active.as_str().to_owned()),
        disabled_reason: Set(None),
        failures: Set(0),
        next_attempt_at: Set(unit.now()),
        ..Default::default()
    };
    let version = before.stamp.version;
    SUBSCRIPTION
        .save_change(
            unit,
            "rotate_webhook_secret",
            (id, version),
            active,
            &before,
        )
        .await
}

/// A subscription's corrections; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionChanges {
    pub url: Option<String>,
    /// The change feed's filter, as the API writes it (JSON).
    pub filter: Option<String>,
    /// Which hosts a URL may name.
    pub targets: Targets,
}

/// Changes where a subscription posts or which changes it delivers, if `version` is still
/// current, by whoever manages it; its place in the feed, secret and status stay.
impl Change for SubscriptionChanges {
    type Record = Subscription;
    const KIND: Kind<webhook_subscription::Entity, Subscription> = SUBSCRIPTION;
    const ACTION: &'static str = "update_webhook_subscription";

    fn check_first(&self, _unit: &Unit, _id: Id) -> Result<(), WriteError> {
        match &self.url {
            Some(url) => check_target(url, self.targets)
                .map_err(|broken| crate::write::broken(Field::Url, broken)),
            None => Ok(()),
        }
    }

    async fn authority(&self, unit: &Unit, before: &Subscription) -> Result<(), WriteError> {
        check_manages(unit, before).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        set_given([
            (&mut to.active.url, self.url),
            (&mut to.active.filter, self.filter),
        ]);
        Ok(())
    }
}

/// Deletes a subscription with its deliveries and their attempts.
pub async fn delete(unit: &Unit, id: Id) -> Result<(), WriteError> {
    let (_, before) = managed(unit, id).await?;
    let tx = unit.tx();
    let deliveries = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::Id)
        .filter(Expr::col("subscription_id").eq(id))
        .into_tuple::<Id>()
        .all(tx)
        .await?;
    webhook_attempt::Entity::delete_many()
        .filter(Expr::col("delivery_id").is_in(deliveries))
        .exec(tx)
        .await?;
    webhook_delivery::Entity::delete_many()
        .filter(Expr::col("subscription_id").eq(id))
        .exec(tx)
        .await?;
    webhook_subscription::Entity::delete_by_id(id)
        .exec(tx)
        .await?;
    unit.audit(
        "delete_webhook_subscription",
        "webhook_subscription",
        id,
        Some(snapshot(&before)),
        None,
    )
    .await?;
    Ok(())
}

/// The subscriptions `actor` manages (`domain::webhook::manages`), newest first.
pub async fn managed_by(
    db: &Db,
    actor: &domain::access::Actor,
) -> Result<Vec<Subscription>, Error> {
    let rows = webhook_subscription::Entity::find()
        .order_by_desc(webhook_subscription::Column::Id)
        .all(db.conn())
        .await?;
    let token_ids: Vec<Id> = rows.iter().map(|row| row.token_id).collect();
    let owners = organisations_of(db.conn(), token_ids).await?;
    rows.into_iter()
        .filter(|row| manages(actor, row.token_id, owners.of(row.token_id)))
        .map(crate::rows::webhook_subscription)
        .collect()
}

/// The subscription `id` as the acting caller manages it; `NotFound` when there is none or it
/// is not the caller's: another's subscription is not there for it.
async fn managed(
    unit: &Unit,
    id: Id,
) -> Result<(webhook_subscription::Model, Subscription), WriteError> {
    let (row, subscription) = SUBSCRIPTION.read_for_change(unit, id).await?;
    check_manages(unit, &subscription).await?;
    Ok((row, subscription))
}

/// Whether the unit's actor manages the subscription (`domain::webhook::manages`): one it does
/// not manage answers as one that is not there.
async fn check_manages(unit: &Unit, subscription: &Subscription) -> Result<(), WriteError> {
    let token_id = subscription.token_id;
    let owners = organisations_of(unit.tx(), vec![token_id]).await?;
    if manages(unit.actor(), token_id, owners.of(token_id)) {
        Ok(())
    } else {
        Err(WriteError::NotFound(Field::Id))
    }
}

/// The organisation each of these tokens acts for, read at once.
async fn organisations_of(
    conn: &impl sea_orm::ConnectionTrait,
    ids: Vec<Id>,
) -> Result<Owners, Error> {
    let tokens = api_token::Entity::find()
        .select_only()
        .column(api_token::Column::Id)
        .column(api_token::Column::OrganisationId)
        .filter(Expr::col("id").is_in(ids))
        .into_tuple::<(Id, Option<Id>)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(Owners(tokens))
}

/// The organisation each token acts for, by token id.
struct Owners(std::collections::HashMap<Id, Option<Id>>);

impl Owners {
    fn of(&self, token_id: Id) -> Option<Id> {
        self.0.get(&token_id).copied().flatten()
    }
}

/// The position of the last change in the feed: where a subscription made now starts.
async fn feed_end(unit: &Unit) -> Result<Id, Error> {
    let last = crate::entity::audit_event::Entity::find()
        .select_only()
        .column_as(Expr::col("id").max(), "last")
        .into_tuple::<Option<Id>>()
        .one(unit.tx())
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// A subscription as the audit trail keeps it: never its secret.
fn snapshot(subscription: &Subscription) -> serde_json::Value {
    json!({ "tokenId": subscription.token_id, "url": subscription.url,
        "filter": subscription.filter, "status": subscription.status.as_str(),
        "version": subscription.stamp.version })
}

/// The secrets a delivery is signed with at `now`: the current one, and the previous one
/// while its grace lasts.
pub fn signing_secrets(
    secret: &str,
    previous: Option<&str>,
    previous_until: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut secrets = vec![secret.to_owned()];
    if let (Some(previous), Some(until)) = (previous, previous_until)
        && now < until
    {
        secrets.push(previous.to_owned());
    }
    secrets
}
