//! The change feed, live: the `changes` subscription over Server-Sent Events at
//! `/graphql/stream` (GraphQL over SSE, distinct connections mode), resumable with
//! `Last-Event-ID`, as the caller may see it.

use std::time::Duration;

use serde_json::{Value, json};
use tests::TestApp;
use tests::sse::{EventStream, Frame};

const LIVE: &str = r#"subscription($after: String, $filter: ChangeFilter) {
    changes(after: $after, filter: $filter) {
      cursor node { kind recordId action actionName changedFields } } }"#;

const UPDATE_CITY: &str = r#"mutation($input: UpdateCityInput!) {
    updateCity(input: $input) { city { id version } userErrors { field code } } }"#;

const CREATE_PARTNERSHIP: &str = r#"mutation($input: CreatePartnershipInput!) {
    createPartnership(input: $input) { partnership { id } userErrors { field code message } } }"#;

/// Sets a city's population through `/graphql`, as `editor`; returns the city's id.
async fn set_population(app: &TestApp, editor: &str, slug: &str, population: i64) -> Value {
    let city = app
        .data(
            "query($slug: String!) { city(slug: $slug) { id version } }",
            json!({ "slug": slug }),
        )
        .await["city"]
        .clone();
    let input = json!({ "id": city["id"], "version": city["version"], "population": population });
    let (_, body) = app
        .post_as(editor, UPDATE_CITY, json!({ "input": input }))
        .await;
    assert_eq!(
        body["data"]["updateCity"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    city["id"].clone()
}

/// Opens the live feed of cities' changes, as `token`.
async fn follow_cities(app: &TestApp, token: Option<&str>, resume: Option<&str>) -> EventStream {
    let stream = app
        .subscribe(
            token,
            LIVE,
            json!({ "filter": { "kinds": ["City"] } }),
            resume,
        )
        .await;
    assert_eq!(stream.status, 200);
    stream
}

/// The change an event carries.
fn change(event: &tests::sse::Event) -> &Value {
    &event.data["data"]["changes"]["node"]
}

#[tokio::test]
async fn a_write_made_after_subscribing_arrives_as_a_next_event_whose_id_is_its_cursor() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let mut stream = follow_cities(&app, None, None).await;
    assert!(
        stream.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert!(
        stream.headers.contains_key("x-ratelimit-used"),
        "charged like a query"
    );

    // Act
    let namur = set_population(&app, &editor, "namur", 115_000).await;

    // Assert
    let event = stream.next_result().await;
    assert_eq!(
        *change(&event),
        json!({ "kind": "City", "recordId": namur, "action": "UPDATED",
                "actionName": "update_city", "changedFields": ["population"] })
    );
    let cursor = event.data["data"]["changes"]["cursor"].as_str().unwrap();
    assert_eq!(event.id.as_deref(), Some(cursor));
    assert!(event.data.get("errors").is_none(), "{event:#?}");
}

#[tokio::test]
async fn what_the_feed_holds_after_the_cursor_comes_first_then_what_is_committed_later() {
    // Arrange: a cursor, then two writes.
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let mut before = follow_cities(&app, None, None).await;
    set_population(&app, &editor, "namur", 115_000).await;
    let start = before.next_result().await.id.unwrap();
    set_population(&app, &editor, "terrebonne", 120_000).await;
    set_population(&app, &editor, "argenteuil", 111_000).await;

    // Act
    let mut stream = app
        .subscribe(
            None,
            LIVE,
            json!({ "after": start, "filter": { "kinds": ["City"] } }),
            None,
        )
        .await;
    let later = set_population(&app, &editor, "namur", 116_000).await;

    // Assert
    let mut populations = Vec::new();
    for _ in 0..3 {
        populations.push(change(&stream.next_result().await)["recordId"].clone());
    }
    assert_eq!(populations[2], later);
    assert_ne!(populations[0], populations[1]);
}

#[tokio::test]
async fn a_drafts_creation_does_not_reach_an_anonymous_subscriber_but_reaches_an_editor() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let filter = json!({ "kinds": ["Partnership", "City"] });
    let mut anonymous = app
        .subscribe(None, LIVE, json!({ "filter": filter }), None)
        .await;
    let mut editing = app
        .subscribe(Some(&editor), LIVE, json!({ "filter": filter }), None)
        .await;
    let ids = app
        .data(
            r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } }"#,
            json!({}),
        )
        .await;

    // Act: a draft, then a public change after it.
    let input = json!({
        "profile": { "slug": "umq-iveo-brouillon", "title": "Entente en préparation",
                     "kind": "AGREEMENT", "status": "DRAFT", "start": "2027" },
        "parties": [
            { "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" },
            { "key": "iveo", "organisation": ids["iveo"]["id"], "role": "PARTY" }
        ]
    });
    let (_, created) = app
        .post_as(&editor, CREATE_PARTNERSHIP, json!({ "input": input }))
        .await;
    let draft = created["data"]["createPartnership"]["partnership"]["id"].clone();
    assert!(draft.is_string(), "{created:#}");
    let namur = set_population(&app, &editor, "namur", 115_000).await;

    // Assert: the anonymous subscriber's first event is the public change.
    let seen = anonymous.next_result().await;
    assert_eq!(change(&seen)["recordId"], namur, "{seen:#?}");
    let first = editing.next_result().await;
    assert_eq!(change(&first)["recordId"], draft);
    assert_eq!(change(&first)["action"], "CREATED");
    assert_eq!(change(&editing.next_result().await)["recordId"], namur);
}

#[tokio::test]
async fn resuming_with_last_event_id_gives_exactly_the_changes_after_it() {
    // Arrange: three changes received, the connection dropped, two more made meanwhile.
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let mut stream = follow_cities(&app, None, None).await;
    for (n, slug) in ["namur", "terrebonne", "argenteuil"].iter().enumerate() {
        set_population(&app, &editor, slug, 100_000 + n as i64).await;
    }
    let mut received = Vec::new();
    for _ in 0..3 {
        received.push(stream.next_result().await);
    }
    drop(stream);
    set_population(&app, &editor, "namur", 200_000).await;
    set_population(&app, &editor, "terrebonne", 200_001).await;

    // Act: reconnect after the second change, with an `after` the header overrides.
    let last_seen = received[1].id.clone().unwrap();
    let mut resumed = app
        .subscribe(
            None,
            LIVE,
            json!({ "after": received[2].id, "filter": { "kinds": ["City"] } }),
            Some(&last_seen),
        )
        .await;

    // Assert: the third change again, then the two made while away, then nothing.
    let third = resumed.next_result().await;
    assert_eq!(third, received[2]);
    let fourth = resumed.next_result().await;
    let fifth = resumed.next_result().await;
    assert_eq!(change(&fourth)["changedFields"], json!(["population"]));
    assert_ne!(fourth.id, fifth.id);
    assert!(resumed.silent_for(Duration::from_millis(300)).await);
    let ids: Vec<_> = [&received[0], &received[1], &third, &fourth, &fifth]
        .iter()
        .map(|event| event.id.clone().unwrap())
        .collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique, ids, "no change twice");
}

#[tokio::test]
async fn a_bad_filter_is_an_error_before_any_change_and_the_stream_completes() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let mut stream = app
        .subscribe(
            None,
            LIVE,
            json!({ "filter": { "themes": ["no-such-theme"] } }),
            None,
        )
        .await;

    // Assert
    assert_eq!(
        stream.status, 200,
        "errors travel in the stream (the protocol)"
    );
    let event = stream.next_result().await;
    assert_eq!(event.id, None);
    assert_eq!(
        event.data["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(
        event.data["errors"][0]["extensions"]["argument"],
        "filter.themes"
    );
    assert_eq!(stream.next_event().await.unwrap().event, "complete");
    assert!(stream.next_event().await.is_none());
}

#[tokio::test]
async fn a_request_that_cannot_stream_is_refused_before_the_stream_as_over_http() {
    let app = TestApp::spawn().await;

    // A document that does not validate: its errors, then `complete`.
    let mut invalid = app
        .subscribe(None, "subscription { changes { nope } }", json!({}), None)
        .await;
    let event = invalid.next_result().await;
    assert_eq!(
        event.data["errors"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    assert!(event.data.get("data").is_none(), "{event:#?}");
    assert_eq!(invalid.next_event().await.unwrap().event, "complete");

    // A malformed Last-Event-ID is named.
    let mut resumed = app
        .subscribe(None, LIVE, json!({}), Some("not-a-cursor"))
        .await;
    let error = &resumed.next_result().await.data["errors"][0];
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "Last-Event-ID");

    // A query is sent to /graphql.
    let mut query = app
        .subscribe(None, "{ city(slug: \"namur\") { name } }", json!({}), None)
        .await;
    assert_eq!(
        query.next_result().await.data["errors"][0]["extensions"]["code"],
        "BAD_REQUEST"
    );

    // No event stream accepted, a refused token: answered as /graphql answers them.
    let response = app
        .client
        .post(format!("{}/graphql/stream", app.address))
        .json(&json!({ "query": LIVE }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 406);
    let refused = app
        .subscribe(Some("not.a.token"), LIVE, json!({}), None)
        .await;
    assert_eq!(refused.status, 401);

    // A subscription sent to /graphql says where it is served.
    let error = app
        .error("subscription { changes { cursor } }", json!({}))
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_REQUEST");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("/graphql/stream")
    );
}

#[tokio::test]
async fn a_write_by_another_process_reaches_the_stream_by_the_poll() {
    // Arrange: streams look at the store every 50 ms.
    let app = TestApp::spawn_configured(&[], |config| config.live.poll_ms = 50).await;
    let mut stream = follow_cities(&app, None, None).await;

    // Act: a command-line import, through a pool of its own (nothing in this process hears
    // its commit).
    let other = persistence::Db::connect(&app.database_url)
        .await
        .expect("a second pool");
    let csv = tests::repo_root().join("tests/fixtures/csv/cities.csv");
    dataset::csv::import_cities(&other, &csv, &mut dataset::Silent)
        .await
        .expect("the import runs");

    // Assert
    let event = stream.next_result().await;
    assert_eq!(change(&event)["kind"], "City", "{event:#?}");
}

#[tokio::test]
async fn a_caller_holds_at_most_max_streams_per_caller() {
    // Arrange
    let app = TestApp::spawn_configured(&[], |config| config.live.max_streams_per_caller = 2).await;
    let first = follow_cities(&app, None, None).await;
    let _second = follow_cities(&app, None, None).await;

    // Act
    let third = app.subscribe(None, LIVE, json!({}), None).await;

    // Assert
    assert_eq!(third.status, 429);
    assert!(third.headers.contains_key("retry-after"));
    drop(third);
    let editor = app.token("editor", None).await;
    let token_holder = app.subscribe(Some(&editor), LIVE, json!({}), None).await;
    assert_eq!(token_holder.status, 200, "a token is another caller");
    drop(first);
    let mut again = app.subscribe(None, LIVE, json!({}), None).await;
    for _ in 0..50 {
        if again.status == 200 {
            break;
        }
        // The dropped stream is counted out once the server notices the connection closed.
        tokio::time::sleep(Duration::from_millis(100)).await;
        again = app.subscribe(None, LIVE, json!({}), None).await;
    }
    assert_eq!(again.status, 200);
}

#[tokio::test]
async fn a_silent_stream_sends_keep_alive_comments() {
    let app = TestApp::spawn_configured(&[], |config| config.live.keep_alive_ms = 50).await;
    let mut stream = follow_cities(&app, None, None).await;
    let mut comments = 0;
    while comments < 3 {
        match stream.next_frame().await.expect("the stream stays open") {
            Frame::Comment(text) => {
                assert_eq!(text, "ping");
                comments += 1;
            }
            Frame::Event(event) => panic!("no change was made: {event:#?}"),
        }
    }
}

#[tokio::test]
async fn a_token_revoked_while_its_stream_is_open_ends_the_stream() {
    // Arrange
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let (_, issued) = app
        .post_as(&admin, r#"mutation { issueApiToken(input: { name: "to revoke", role: EDITOR }) { token apiToken { id } } }"#, json!({}))
        .await;
    let token = issued["data"]["issueApiToken"]["token"].as_str().unwrap();
    let id = issued["data"]["issueApiToken"]["apiToken"]["id"].clone();
    let mut stream = follow_cities(&app, Some(token), None).await;

    // Act
    app.post_as(
        &admin,
        "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { userErrors { code } } }",
        json!({ "id": id }),
    )
    .await;
    set_population(&app, &admin, "namur", 115_000).await;

    // Assert
    let event = stream.next_result().await;
    assert_eq!(
        event.data["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert_eq!(stream.next_event().await.unwrap().event, "complete");
}
