//! Webhooks: a subscriber's URL gets the changes its filter keeps, as its token may read them,
//! signed as the Standard Webhooks specification says, again until it takes them; a
//! subscriber down too long is disabled and told why; processes sharing a database deliver
//! each message once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tests::TestApp;

/// What a receiver got: each request's `webhook-*` headers and body.
#[derive(Debug, Clone)]
struct Received {
    id: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A subscriber's endpoint on loopback that answers `down_for` requests with 503, then 200
/// (or 500 for ever when `down_for` is `usize::MAX`).
#[derive(Clone)]
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    async fn start(down_for: usize) -> Receiver {
        let got: Arc<Mutex<Vec<Received>>> = Arc::default();
        let state = (got.clone(), down_for);
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver { url, got }
    }

    fn received(&self) -> Vec<Received> {
        self.got.lock().expect("receiver").clone()
    }

    /// Waits until a request satisfies `done` (at most 20 s).
    async fn until(&self, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..400 {
            let got = self.received();
            if done(&got) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "the receiver did not get what was awaited: {:#?}",
            self.received()
        );
    }
}

async fn receive(
    State((got, down_for)): State<(Arc<Mutex<Vec<Received>>>, usize)>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let mut got = got.lock().expect("receiver");
    got.push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp"),
        signature: header("webhook-signature"),
        body,
    });
    match down_for {
        usize::MAX => StatusCode::INTERNAL_SERVER_ERROR,
        n if got.len() <= n => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::OK,
    }
}

/// A directory that delivers webhooks to loopback, polling and retrying fast.
async fn delivering_app() -> TestApp {
    TestApp::spawn_configured(&[], fast_webhooks).await
}

fn fast_webhooks(config: &mut api::Config) {
    config.webhooks = api::Webhooks {
        webhook_targets: "any-host".to_owned(),
        webhook_poll_ms: 50,
        webhook_retry_base_ms: 50,
        webhook_retry_cap_ms: 200,
        webhook_timeout_ms: 5_000,
        webhook_lease_ms: 10_000,
        webhook_batch: 100,
    };
}

const SUBSCRIBE: &str = r#"mutation($input: CreateWebhookSubscriptionInput!) {
    createWebhookSubscription(input: $input) {
      subscription { id url status filter { kinds } }
      secret
      userErrors { field code message } } }"#;

const SUBSCRIPTIONS: &str = r#"{ webhookSubscriptions { id status disabledReason consecutiveFailures
    deliveries { messageId delivered attempts { responseStatus error } } } }"#;

const UPDATE_CITY: &str = r#"mutation($input: UpdateCityInput!) { updateCity(input: $input) { city { version } userErrors { field code } } }"#;

/// Subscribes `url` as `token` to `filter`; the subscription and its secret.
async fn subscribe(app: &TestApp, token: &str, url: &str, filter: Value) -> (Value, String) {
    let (_, body) = app
        .post_as(
            token,
            SUBSCRIBE,
            json!({ "input": { "url": url, "filter": filter } }),
        )
        .await;
    let payload = &body["data"]["createWebhookSubscription"];
    assert_eq!(payload["userErrors"], json!([]), "{body:#}");
    let secret = payload["secret"].as_str().expect("the secret, once");
    (payload["subscription"].clone(), secret.to_owned())
}

/// Sets a city's population, as an editor.
async fn set_population(app: &TestApp, editor: &str, slug: &str, population: i64) {
    let city = app
        .data(
            r#"query($slug: String!) { city(slug: $slug) { id version } }"#,
            json!({ "slug": slug }),
        )
        .await["city"]
        .clone();
    let (_, body) = app
        .post_as(
            editor,
            UPDATE_CITY,
            json!({ "input": { "id": city["id"], "version": city["version"], "population": population } }),
        )
        .await;
    assert_eq!(
        body["data"]["updateCity"]["userErrors"],
        json!([]),
        "{body:#}"
    );
}

/// Checks a delivery's signature with the Standard Webhooks reference library for Python
/// (`scripts/standard-webhooks-verify` installs it): its verdict, and the payload it read.
fn verified_independently(secret: &str, received: &Received) -> Value {
    use std::io::Write;
    let script = tests::repo_root().join("scripts/standard-webhooks-verify");
    let mut child = std::process::Command::new("bash")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .expect("the verifier runs");
    let request = json!({ "secret": secret, "headers": { "webhook-id": received.id,
        "webhook-timestamp": received.timestamp, "webhook-signature": received.signature },
        "body": received.body });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.to_string().as_bytes())
        .expect("the request to verify");
    let output = child.wait_with_output().expect("the verifier's verdict");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| json!({ "error": String::from_utf8_lossy(&output.stdout).to_string() }))
}

#[tokio::test]
async fn a_subscriber_gets_each_change_signed_and_the_same_message_again_until_it_takes_it() {
    // Arrange: a subscriber down for its first two requests.
    let app = delivering_app().await;
    let receiver = Receiver::start(2).await;
    let editor = app.token("editor", None).await;
    let (subscription, secret) =
        subscribe(&app, &editor, &receiver.url, json!({ "kinds": ["City"] })).await;
    assert_eq!(subscription["status"], "ACTIVE");
    assert_eq!(subscription["filter"]["kinds"], json!(["City"]));

    // Act
    set_population(&app, &editor, "argenteuil", 111_000).await;
    let got = receiver.until(|got| got.len() >= 3).await;

    // Assert: the same message three times, signed, carrying the change.
    assert!(got.iter().all(|r| r.id == got[0].id), "{got:#?}");
    let payload: Value = serde_json::from_str(&got[2].body).expect("JSON");
    assert_eq!(payload["type"], "directory.changes");
    let changes = payload["data"]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{payload:#}");
    assert_eq!(changes[0]["kind"], "City");
    assert_eq!(changes[0]["action"], "UPDATED");
    assert!(
        changes[0]["changedFields"]
            .as_array()
            .unwrap()
            .contains(&json!("population"))
    );
    let verdict = verified_independently(&secret, &got[2]);
    assert_eq!(verdict["verified"], true, "{verdict:#}");
    assert_eq!(verdict["payload"], payload);
    let forged = Received {
        body: got[2].body.replace("UPDATED", "DELETED"),
        ..got[2].clone()
    };
    assert_eq!(verified_independently(&secret, &forged)["verified"], false);
    let listed = app.post_as(&editor, SUBSCRIPTIONS, json!({})).await.1;
    let delivery = &listed["data"]["webhookSubscriptions"][0]["deliveries"][0];
    assert_eq!(delivery["messageId"], json!(got[0].id));
    assert_eq!(delivery["delivered"], true);
    assert_eq!(
        delivery["attempts"],
        json!([{ "responseStatus": 503, "error": "the subscriber answered 503 Service Unavailable" },
               { "responseStatus": 503, "error": "the subscriber answered 503 Service Unavailable" },
               { "responseStatus": 200, "error": null }])
    );
}

#[tokio::test]
async fn a_change_made_by_this_process_is_delivered_without_waiting_for_the_poll() {
    // Arrange: a poll so slow that only the commit's own signal can deliver within the test.
    let app = TestApp::spawn_configured(&[], |config| {
        fast_webhooks(config);
        config.webhooks.webhook_poll_ms = 600_000;
    })
    .await;
    let receiver = Receiver::start(0).await;
    let editor = app.token("editor", None).await;
    subscribe(&app, &editor, &receiver.url, json!({ "kinds": ["City"] })).await;

    // Act
    set_population(&app, &editor, "argenteuil", 112_000).await;
    let got = receiver.until(|got| !got.is_empty()).await;

    // Assert
    assert!(got[0].body.contains("\"UPDATED\""), "{got:#?}");
}

#[tokio::test]
async fn deliveries_hold_only_what_the_subscribers_token_may_read() {
    // Arrange: a partner of an organisation that is party to nothing.
    let app = delivering_app().await;
    let receiver = Receiver::start(0).await;
    let partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let editor = app.token("editor", None).await;
    subscribe(&app, &partner, &receiver.url, json!({})).await;
    let ids = app
        .data(
            r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } }"#,
            json!({}),
        )
        .await;

    // Act: a draft partnership the partner may not see, then a city change it may.
    let draft = r#"mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { partnership { id } userErrors { field code message } } }"#;
    let input = json!({
        "profile": { "slug": "entente-cachee", "title": "Entente cachée", "kind": "AGREEMENT",
                     "status": "DRAFT", "start": "2027" },
        "parties": [
            { "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" },
            { "key": "iveo", "organisation": ids["iveo"]["id"], "role": "PARTY" }
        ]
    });
    let (_, body) = app.post_as(&editor, draft, json!({ "input": input })).await;
    assert_eq!(
        body["data"]["createPartnership"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    set_population(&app, &editor, "argenteuil", 112_000).await;
    let got = receiver
        .until(|got| got.iter().any(|r| r.body.contains("\"City\"")))
        .await;

    // Assert
    let bodies: String = got.iter().map(|r| r.body.as_str()).collect();
    assert!(!bodies.contains("Partnership"), "{bodies}");
    assert!(!bodies.contains("create_partnership"), "{bodies}");
}

#[tokio::test]
async fn a_subscriber_down_too_long_is_disabled_and_told_why_and_a_new_secret_starts_it_again() {
    // Arrange: a subscriber that always fails.
    let app = delivering_app().await;
    let receiver = Receiver::start(usize::MAX).await;
    let editor = app.token("editor", None).await;
    let (subscription, _) = subscribe(&app, &editor, &receiver.url, json!({})).await;

    // Act
    set_population(&app, &editor, "argenteuil", 113_000).await;
    receiver.until(|got| got.len() >= 15).await;
    let mut listed = Value::Null;
    for _ in 0..100 {
        listed = app.post_as(&editor, SUBSCRIPTIONS, json!({})).await.1;
        if listed["data"]["webhookSubscriptions"][0]["status"] == "DISABLED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Assert
    let disabled = &listed["data"]["webhookSubscriptions"][0];
    assert_eq!(disabled["status"], "DISABLED", "{listed:#}");
    assert_eq!(disabled["consecutiveFailures"], 15);
    let reason = disabled["disabledReason"].as_str().unwrap();
    assert!(reason.contains("15 failed attempts"), "{reason}");
    assert!(reason.contains("500"), "{reason}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.received().len(),
        15,
        "nothing is sent once disabled"
    );
    let rotate = r#"mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { subscription { status consecutiveFailures } secret userErrors { code } } }"#;
    let (_, body) = app
        .post_as(&editor, rotate, json!({ "id": subscription["id"] }))
        .await;
    let rotated = &body["data"]["rotateWebhookSecret"];
    assert_eq!(
        rotated["subscription"],
        json!({ "status": "ACTIVE", "consecutiveFailures": 0 })
    );
    assert!(rotated["secret"].as_str().unwrap().starts_with("whsec_"));
    receiver.until(|got| got.len() > 15).await;
}

#[tokio::test]
async fn a_subscription_names_a_public_https_url_unless_the_server_allows_more() {
    // Arrange: the default configuration.
    let app = TestApp::spawn().await;
    let partner = app.token("partner", Some("umq")).await;

    for url in [
        "http://hooks.example.org/x",
        "https://127.0.0.1/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]:8080/",
        "https://localhost/x",
        "not a url",
    ] {
        // Act
        let (_, body) = app
            .post_as(&partner, SUBSCRIBE, json!({ "input": { "url": url } }))
            .await;

        // Assert
        let payload = &body["data"]["createWebhookSubscription"];
        assert_eq!(payload["subscription"], Value::Null, "{url}: {body:#}");
        assert_eq!(payload["secret"], Value::Null, "{url}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "url"]),
            "{url}"
        );
        assert_eq!(payload["userErrors"][0]["code"], "INVALID", "{url}");
    }
    let (_, body) = app
        .post_as(
            &partner,
            SUBSCRIBE,
            json!({ "input": { "url": "https://hooks.example.org/x", "filter": { "kinds": ["Nonsense"] } } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body:#}"
    );
}

#[tokio::test]
async fn a_subscription_is_seen_and_managed_by_its_organisation_and_admins_only() {
    // Arrange
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let umq_again = app.token("partner", Some("umq")).await;
    let iveo = app.token("partner", Some("iveo")).await;
    let admin = app.token("admin", None).await;
    let (subscription, _) = subscribe(&app, &umq, "https://hooks.example.org/umq", json!({})).await;
    let ids = |body: &Value| -> Vec<Value> {
        body["data"]["webhookSubscriptions"]
            .as_array()
            .map(|list| list.iter().map(|s| s["id"].clone()).collect())
            .unwrap_or_default()
    };

    // Act
    let seen_by_umq = app.post_as(&umq_again, SUBSCRIPTIONS, json!({})).await.1;
    let seen_by_iveo = app.post_as(&iveo, SUBSCRIPTIONS, json!({})).await.1;
    let seen_by_admin = app.post_as(&admin, SUBSCRIPTIONS, json!({})).await.1;
    let anonymous = app.post(SUBSCRIPTIONS, json!({})).await;
    let delete = r#"mutation($id: ID!) { deleteWebhookSubscription(input: { id: $id }) { deletedId userErrors { field code } } }"#;
    let by_iveo = app
        .post_as(&iveo, delete, json!({ "id": subscription["id"] }))
        .await
        .1;
    let by_umq = app
        .post_as(&umq_again, delete, json!({ "id": subscription["id"] }))
        .await
        .1;

    // Assert
    assert_eq!(ids(&seen_by_umq), vec![subscription["id"].clone()]);
    assert_eq!(ids(&seen_by_iveo), Vec::<Value>::new());
    assert_eq!(ids(&seen_by_admin), vec![subscription["id"].clone()]);
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(
        by_iveo["data"]["deleteWebhookSubscription"],
        json!({ "deletedId": null, "userErrors": [{ "field": ["input", "id"], "code": "NOT_FOUND" }] })
    );
    assert_eq!(
        by_umq["data"]["deleteWebhookSubscription"]["deletedId"],
        subscription["id"]
    );
}

#[tokio::test]
async fn two_processes_on_one_database_deliver_each_message_once() {
    // Arrange: two server processes delivering from one database.
    let first = delivering_app().await;
    let _second = first.spawn_beside(fast_webhooks).await;
    let receiver = Receiver::start(0).await;
    let editor = first.token("editor", None).await;
    subscribe(&first, &editor, &receiver.url, json!({ "kinds": ["City"] })).await;

    // Act: twenty changes, delivered as they come.
    for population in 0..20 {
        set_population(&first, &editor, "argenteuil", 120_000 + population).await;
    }
    let got = receiver
        .until(|got| {
            got.iter()
                .flat_map(|r| serde_json::from_str::<Value>(&r.body).ok())
                .map(|p| p["data"]["changes"].as_array().map_or(0, Vec::len))
                .sum::<usize>()
                >= 20
        })
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Assert: every message once, every change once.
    let got = receiver.received().len().max(got.len());
    let all = receiver.received();
    let mut ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), got, "a message was sent twice: {all:#?}");
    let cursors: Vec<String> = all
        .iter()
        .flat_map(|r| serde_json::from_str::<Value>(&r.body).ok())
        .flat_map(|p| p["data"]["changes"].as_array().cloned().unwrap_or_default())
        .map(|change| change["cursor"].as_str().unwrap_or_default().to_owned())
        .collect();
    let mut unique = cursors.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 20, "{cursors:?}");
    assert_eq!(cursors.len(), 20, "a change was delivered twice");
}

#[tokio::test]
async fn deliveries_stop_when_the_subscribing_token_is_revoked() {
    // Arrange: a subscription made by a token an admin then revokes.
    let app = delivering_app().await;
    let receiver = Receiver::start(0).await;
    let admin = app.token("admin", None).await;
    let (_, issued) = app
        .post_as(&admin, r#"mutation { issueApiToken(input: { name: "sync", role: EDITOR }) { token apiToken { id } } }"#, json!({}))
        .await;
    let token = issued["data"]["issueApiToken"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    subscribe(&app, &token, &receiver.url, json!({})).await;
    let revoke =
        "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { userErrors { code } } }";
    app.post_as(
        &admin,
        revoke,
        json!({ "id": issued["data"]["issueApiToken"]["apiToken"]["id"] }),
    )
    .await;

    // Act
    set_population(&app, &admin, "argenteuil", 114_000).await;
    let mut listed = Value::Null;
    for _ in 0..100 {
        listed = app.post_as(&admin, SUBSCRIPTIONS, json!({})).await.1;
        if listed["data"]["webhookSubscriptions"][0]["status"] == "DISABLED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Assert
    let subscription = &listed["data"]["webhookSubscriptions"][0];
    assert_eq!(subscription["status"], "DISABLED", "{listed:#}");
    assert!(
        subscription["disabledReason"]
            .as_str()
            .unwrap()
            .contains("revoked or expired")
    );
    assert!(
        receiver.received().is_empty(),
        "nothing is sent for a revoked token"
    );
}

#[tokio::test]
async fn listing_subscriptions_with_their_deliveries_costs_the_same_statements_for_1_and_for_4() {
    // Arrange: no delivery loop, so only the listing runs statements.
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let url = "https://hooks.example.org/directory";
    let statements_to_list = || async {
        let before = app.statements().await;
        let (_, listed) = app.post_as(&admin, SUBSCRIPTIONS, json!({})).await;
        let after = app.statements().await;
        (
            after - before,
            listed["data"]["webhookSubscriptions"]
                .as_array()
                .map_or(0, Vec::len),
        )
    };
    subscribe(&app, &admin, url, json!({ "kinds": ["City"] })).await;

    // Act
    let (for_one, listed_one) = statements_to_list().await;
    for _ in 0..3 {
        subscribe(&app, &admin, url, json!({ "kinds": ["Mandate"] })).await;
    }
    let (for_four, listed_four) = statements_to_list().await;

    // Assert
    assert_eq!((listed_one, listed_four), (1, 4));
    assert_eq!(for_one, for_four, "deliveries read per subscription: N+1");
}

#[tokio::test]
async fn a_subscription_s_url_and_filter_are_changed_by_who_manages_it_with_the_version_read() {
    // Arrange
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let iveo = app.token("partner", Some("iveo")).await;
    let admin = app.token("admin", None).await;
    let (subscription, _) = subscribe(&app, &umq, "https://hooks.example.org/umq", json!({})).await;
    let update = r#"mutation($input: UpdateWebhookSubscriptionInput!) { updateWebhookSubscription(input: $input) {
        subscription { id url version filter { kinds } } userErrors { field code } } }"#;
    let change = |token: &str, version: i64, url: &str| {
        let input = json!({ "id": subscription["id"], "version": version, "url": url, "filter": { "kinds": ["City"] } });
        let (app, token) = (&app, token.to_owned());
        async move {
            app.post_as(&token, update, json!({ "input": input }))
                .await
                .1["data"]["updateWebhookSubscription"]
                .clone()
        }
    };
    let version = {
        let (_, body) = app
            .post_as(&umq, "{ webhookSubscriptions { version } }", json!({}))
            .await;
        body["data"]["webhookSubscriptions"][0]["version"]
            .as_i64()
            .unwrap()
    };

    // Act
    let by_iveo = change(&iveo, version, "https://hooks.example.org/iveo").await;
    let stale = change(&umq, version + 1, "https://hooks.example.org/stale").await;
    let private = change(&umq, version, "https://127.0.0.1/hook").await;
    let changed = change(&umq, version, "https://hooks.example.org/umq-v2").await;

    // Assert
    assert_eq!(
        by_iveo["userErrors"],
        json!([{ "field": ["input", "id"], "code": "NOT_FOUND" }])
    );
    assert_eq!(stale["userErrors"][0]["code"], "CONFLICT", "{stale:#}");
    assert_eq!(stale["userErrors"][0]["field"], json!(["input", "version"]));
    assert_eq!(
        private["userErrors"][0]["field"],
        json!(["input", "url"]),
        "{private:#}"
    );
    assert_eq!(changed["userErrors"], json!([]), "{changed:#}");
    assert_eq!(
        changed["subscription"],
        json!({ "id": subscription["id"], "url": "https://hooks.example.org/umq-v2",
            "version": version + 1, "filter": { "kinds": ["City"] } })
    );
    let (_, audit) = app
        .post_as(&admin, r#"{ auditEvents(filter: { action: "update_webhook_subscription" }) { nodes { before after } } }"#, json!({}))
        .await;
    let events = audit["data"]["auditEvents"]["nodes"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{audit:#}");
    assert!(
        !events[0].to_string().contains("whsec_"),
        "no secret in the trail"
    );
}
