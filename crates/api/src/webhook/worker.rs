//! The delivery loop of one server process: lease the due subscriptions, and for each, send the
//! message waiting to be taken, or a new one made of the next changes of the feed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use async_graphql::Variables;
use chrono::Utc;
use domain::Id;
use domain::access::Actor;
use domain::webhook::{Status, retry_delay};
use persistence::Db;
use persistence::webhook::outbox::{self, Claimed, Delivery, Outcome};
use serde_json::json;

use crate::auth::Caller;
use crate::config::Webhooks;
use crate::schema::connection::decode_cursor;
use crate::server::Runner;

/// The feed as a subscriber's token reads it: the same query, the same rules.
const FEED: &str = "query WebhookFeed($after: String, $first: Int, $filter: ChangeFilter) {
  changes(after: $after, first: $first, filter: $filter) {
    edges { cursor node { recordId kind action actionName at changedFields } }
    pageInfo { endCursor hasNextPage }
  }
}";

/// Subscriptions leased at a time.
const CLAIM: u64 = 16;

/// The delivery loop and what it needs.
pub struct Worker {
    db: Db,
    runner: Runner,
    config: Webhooks,
    client: reqwest::Client,
}

/// Starts the delivery loop of this process, until `draining` is set; nothing when
/// `webhook_poll_ms` is 0.
pub fn start(db: Db, runner: Runner, config: &Webhooks, draining: Arc<AtomicBool>) {
    if config.webhook_poll_ms == 0 {
        return;
    }
    let timeout = Duration::from_millis(config.webhook_timeout_ms);
    let client = match super::target::client(config.targets(), timeout) {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "webhooks: no HTTP client, nothing will be delivered");
            return;
        }
    };
    let worker = Worker {
        db,
        runner,
        config: config.clone(),
        client,
    };
    tokio::spawn(async move { worker.run(draining).await });
}

impl Worker {
    async fn run(self, draining: Arc<AtomicBool>) {
        let poll = Duration::from_millis(self.config.webhook_poll_ms);
        // A commit of this process wakes the loop at once; the poll finds the changes of other
        // processes and the retries that fall due.
        let mut commits = self.db.commits();
        while !draining.load(Ordering::SeqCst) {
            commits.borrow_and_update();
            if let Err(error) = self.round().await {
                tracing::warn!(%error, "webhooks: a round failed; trying again");
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                Ok(()) = commits.changed() => {}
            }
        }
    }

    /// Leases the due subscriptions and delivers to each.
    async fn round(&self) -> Result<(), persistence::Error> {
        let now = Utc::now();
        if !outbox::any_due(&self.db, now).await? {
            return Ok(());
        }
        let lease = chrono::Duration::milliseconds(self.config.webhook_lease_ms as i64);
        for claimed in outbox::claim_due(&self.db, now, now + lease, CLAIM).await? {
            self.serve(claimed, Instant::now()).await?;
        }
        Ok(())
    }

    /// Delivers to one leased subscription while it has changes and the lease lasts.
    async fn serve(&self, claimed: Claimed, leased_at: Instant) -> Result<(), persistence::Error> {
        let id = claimed.subscription.id;
        let Some(actor) = claimed
            .token
            .as_ref()
            .filter(|token| token.is_usable(Utc::now()))
            .map(|token| Actor {
                token_id: Some(token.id),
                name: token.name.clone(),
                role: token.role,
                organisation_id: token.organisation_id,
            })
        else {
            let reason =
                "the token that made it is revoked or expired: subscribe again with a valid token";
            return outbox::disable(&self.db, id, reason).await;
        };
        let mut subscription = claimed.subscription.clone();
        let half_lease = Duration::from_millis(self.config.webhook_lease_ms / 2);
        loop {
            let delivery = match outbox::pending(&self.db, id).await? {
                Some(delivery) => delivery,
                None => match self.next_message(&actor, &subscription).await? {
                    Next::Message(delivery) => delivery,
                    Next::Nothing(position) => return outbox::pass(&self.db, id, position).await,
                },
            };
            let outcome = self
                .attempt(&claimed.secrets, &subscription.url, &delivery)
                .await;
            let delivered = outcome.delivered();
            let jitter = f64::from(delivery.id.unsigned_abs() % 1000) / 1000.0;
            let wait = retry_delay(
                subscription.failures + 1,
                Duration::from_millis(self.config.webhook_retry_base_ms),
                Duration::from_millis(self.config.webhook_retry_cap_ms),
                (jitter + f64::from(Utc::now().timestamp_subsec_micros()) / 1e6) % 1.0,
            );
            let retry_at = outcome.at + chrono::Duration::from_std(wait).unwrap_or_default();
            let keep = delivered && leased_at.elapsed() < half_lease;
            let status = outbox::finish_attempt(
                &self.db,
                &subscription,
                &delivery,
                &outcome,
                retry_at,
                keep,
            )
            .await?;
            if status == Status::Disabled {
                tracing::warn!(subscription = id, "webhooks: a subscription was disabled");
            }
            if !keep {
                return Ok(());
            }
            subscription.failures = 0;
            subscription.position = delivery.last_position;
        }
    }

    /// The next changes the subscriber may see, as a message to send; or, when there are none,
    /// where the feed now ends for it (past changes hidden from it).
    async fn next_message(
        &self,
        actor: &Actor,
        subscription: &domain::webhook::Subscription,
    ) -> Result<Next, persistence::Error> {
        let after = (subscription.position > 0)
            .then(|| crate::schema::change::cursor_at(subscription.position).encode());
        let variables = Variables::from_json(json!({
            "after": after,
            "first": self.config.webhook_batch.clamp(1, 100),
        }));
        let mut variables = variables;
        variables.insert(
            async_graphql::Name::new("filter"),
            crate::schema::webhook::stored_filter_variable(&subscription.filter),
        );
        let response = self
            .runner
            .run(Caller::Token(actor.clone()), FEED, variables)
            .await;
        if let Some(error) = response.errors.first() {
            tracing::warn!(subscription = subscription.id, error = %error.message, "webhooks: the feed refused a subscription's query");
            let reason = format!("its filter is no longer valid: {}", error.message);
            outbox::disable(&self.db, subscription.id, &reason).await?;
            return Ok(Next::Nothing(None));
        }
        let data = response.data.into_json().unwrap_or_default();
        let feed = &data["changes"];
        let edges = feed["edges"].as_array().cloned().unwrap_or_default();
        let position = |cursor: &serde_json::Value| -> Option<Id> {
            decode_cursor("after", cursor.as_str()?, "CHANGE")
                .ok()
                .map(|cursor| cursor.id)
        };
        let end = position(&feed["pageInfo"]["endCursor"]);
        let (Some(first), Some(last)) = (
            edges.first().and_then(|edge| position(&edge["cursor"])),
            end,
        ) else {
            return Ok(Next::Nothing(end));
        };
        let now = Utc::now();
        let changes: Vec<serde_json::Value> = edges
            .iter()
            .map(|edge| {
                let mut change = edge["node"].clone();
                change["cursor"] = edge["cursor"].clone();
                change
            })
            .collect();
        let payload = json!({
            "type": "directory.changes",
            "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": {
                "subscription": crate::schema::id::encode("WebhookSubscription", subscription.id).to_string(),
                "changes": changes,
                "endCursor": feed["pageInfo"]["endCursor"],
            }
        });
        let delivery = outbox::open(
            &self.db,
            subscription.id,
            (first, last),
            payload.to_string(),
            now,
        )
        .await?;
        Ok(Next::Message(delivery))
    }

    /// Posts a message, signed with each secret in use.
    async fn attempt(&self, secrets: &[String], url: &str, delivery: &Delivery) -> Outcome {
        let timestamp = Utc::now().timestamp();
        let signature = super::signature::signature_header(
            secrets,
            &delivery.message_id,
            timestamp,
            &delivery.payload,
        );
        let started = Instant::now();
        let sent = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .header("webhook-id", &delivery.message_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(delivery.payload.clone())
            .send()
            .await;
        let duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        let (response_status, error) = match sent {
            Ok(response) if response.status().is_success() => {
                (Some(i32::from(response.status().as_u16())), None)
            }
            Ok(response) => (
                Some(i32::from(response.status().as_u16())),
                Some(format!("the subscriber answered {}", response.status())),
            ),
            Err(error) => (None, Some(describe(&error))),
        };
        Outcome {
            at: Utc::now(),
            response_status,
            error,
            duration_ms,
        }
    }
}

/// What the feed holds next for a subscriber.
enum Next {
    Message(Delivery),
    /// Nothing to send; the feed's end for the subscriber, if it moved.
    Nothing(Option<Id>),
}

/// A failed request, in a few words and without the URL's query.
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "no answer in time"
    } else if error.is_connect() {
        "the connection was refused or failed"
    } else if error.is_request() {
        "the request could not be sent"
    } else {
        "the request failed"
    };
    let cause = std::error::Error::source(error)
        .map(|source| format!(": {source}"))
        .unwrap_or_default();
    format!("{what}{cause}")
}
