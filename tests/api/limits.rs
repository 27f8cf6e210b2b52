//! Abusive requests are refused before they run, with a status or a coded error that says
//! which limit they crossed; field names are never suggested to anonymous callers.

use serde_json::{Value, json};
use tests::TestApp;

/// Posts a query anonymously; returns the status and the body.
async fn post(app: &TestApp, query: &str, variables: Value) -> (u16, Value) {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let (status, _, text) = app.post_raw(Some("application/json"), body).await;
    (status, serde_json::from_str(&text).expect("a JSON body"))
}

/// Asserts that a request was refused before it ran: no `data`, one error with this code.
fn assert_refused(body: &Value, code: &str) -> Value {
    assert!(body.get("data").is_none(), "it ran: {body:#}");
    let error = body["errors"][0].clone();
    assert_eq!(error["extensions"]["code"], code, "{body:#}");
    assert!(
        error["extensions"]["requestId"].is_string(),
        "no request id: {body:#}"
    );
    error
}

#[tokio::test]
async fn only_json_posts_are_read() {
    let app = TestApp::spawn().await;
    let query = r#"{"query":"{ themes { totalCount } }"}"#;
    // A form or text/plain post needs no CORS preflight: it could come from any web page.
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let (status, _, _) = app.post_raw(content_type, query).await;
        assert_eq!(status, 415, "{content_type:?}");
    }
    let (status, _, _) = app
        .post_raw(Some("application/json; charset=utf-8"), query)
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_body_that_is_not_a_graphql_request_is_a_400() {
    let app = TestApp::spawn().await;
    for body in [
        "{not json",
        r#"{"query": 42}"#,
        r#"{"qeury": "{ themes { totalCount } }"}"#,
        r#"{"query": "   "}"#,
    ] {
        let (status, _, text) = app.post_raw(Some("application/json"), body).await;
        assert_eq!(status, 400, "{body}: {text}");
        let body: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    }
}

#[tokio::test]
async fn a_batch_is_refused_whole() {
    let app = TestApp::spawn().await;
    let one = json!({ "query": "{ themes { totalCount } }" });
    let batch = json!([one.clone(), one]).to_string();
    let (status, _, text) = app.post_raw(Some("application/json"), batch).await;
    assert_eq!(status, 400);
    assert!(text.contains("batched requests"), "{text}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413_and_a_long_query_is_refused() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.limits.max_body_bytes = 4_096;
        config.limits.max_query_bytes = 1_024;
    })
    .await;
    let padding = " ".repeat(5_000);
    let body = json!({ "query": format!("{{ themes {{ totalCount }} }}{padding}") }).to_string();
    let (status, _, _) = app.post_raw(Some("application/json"), body).await;
    assert_eq!(status, 413);

    let (status, body) = post(
        &app,
        &format!("{{ themes {{ totalCount }} }}{}", " ".repeat(2_000)),
        json!({}),
    )
    .await;
    assert_eq!(status, 400);
    assert_refused(&body, "QUERY_TOO_COMPLEX");
}

#[tokio::test]
async fn a_hundred_aliases_run_and_the_hundred_and_first_is_refused() {
    let app = TestApp::spawn().await;
    let aliases = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("a{i}: __typename")).collect();
        format!("{{ {} }}", fields.join(" "))
    };
    let (_, body) = post(&app, &aliases(100), json!({})).await;
    assert_eq!(body["data"]["a99"], "Query", "{body:#}");

    let (status, body) = post(&app, &aliases(101), json!({})).await;
    assert_eq!(
        status, 200,
        "application/json: the exchange itself went well"
    );
    let error = assert_refused(&body, "QUERY_TOO_COMPLEX");
    assert_eq!(error["extensions"]["limit"], "aliases");
    assert_eq!(error["extensions"]["maximum"], 100);
}

#[tokio::test]
async fn five_hundred_duplicated_fields_are_refused() {
    let app = TestApp::spawn().await;
    let query = format!("{{ {} }}", "__typename ".repeat(500));
    let (_, body) = post(&app, &query, json!({})).await;
    assert_eq!(
        assert_refused(&body, "QUERY_TOO_COMPLEX")["extensions"]["limit"],
        "fields"
    );
}

#[tokio::test]
async fn a_query_twenty_levels_deep_is_refused() {
    let app = TestApp::spawn().await;
    // Circular introspection: types → fields → type → fields → … twenty levels down.
    let mut query = String::from("name");
    for level in 0..10 {
        query = if level % 2 == 0 {
            format!("fields {{ type {{ {query} }} }}")
        } else {
            format!("ofType {{ {query} }}")
        };
    }
    let query = format!("{{ __schema {{ types {{ {query} }} }} }}");
    let (_, body) = post(&app, &query, json!({})).await;
    assert_eq!(
        assert_refused(&body, "QUERY_TOO_COMPLEX")["extensions"]["limit"],
        "depth"
    );

    // The introspection query GraphiQL sends stays within the limits.
    let introspection =
        std::fs::read_to_string(tests::repo_root().join("tests/fixtures/introspection.graphql"))
            .unwrap();
    let (_, body) = post(&app, &introspection, json!({})).await;
    assert!(body["data"]["__schema"]["types"].is_array(), "{body:#}");
}

#[tokio::test]
async fn repeated_directives_and_fragment_cycles_never_run() {
    let app = TestApp::spawn().await;
    let repeated = format!(
        "{{ themes {{ totalCount {} }} }}",
        "@include(if: true) ".repeat(10)
    );
    let (_, body) = post(&app, &repeated, json!({})).await;
    assert_refused(&body, "GRAPHQL_VALIDATION_FAILED");

    let many: Vec<String> = (0..60)
        .map(|i| format!("t{i}: __typename @skip(if: false)"))
        .collect();
    let (_, body) = post(&app, &format!("{{ {} }}", many.join(" ")), json!({})).await;
    assert_eq!(
        assert_refused(&body, "QUERY_TOO_COMPLEX")["extensions"]["limit"],
        "directives"
    );

    let cycle = "{ themes { nodes { ...A } } } fragment A on Theme { parent { ...B } } fragment B on Theme { children { nodes { ...A } } }";
    let (status, body) = post(&app, cycle, json!({})).await;
    assert_eq!(status, 200);
    let error = assert_refused(&body, "GRAPHQL_VALIDATION_FAILED");
    assert!(
        error["message"].as_str().unwrap().contains("cycle"),
        "{error}"
    );
}

#[tokio::test]
async fn an_oversized_or_negative_page_is_refused_naming_the_cap() {
    let app = TestApp::spawn().await;
    for (query, variables) in [
        ("{ cities(first: 1000) { nodes { name } } }", json!({})),
        ("{ cities(last: -1) { nodes { name } } }", json!({})),
        (
            "query($n: Int) { cities(first: $n) { nodes { name } } }",
            json!({ "n": -5 }),
        ),
        (
            "{ cities(first: 2) { nodes { memberships(first: 101) { totalCount } } } }",
            json!({}),
        ),
    ] {
        let (_, body) = post(&app, query, variables).await;
        let error = assert_refused(&body, "BAD_USER_INPUT");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("between 0 and 100"),
            "{error}"
        );
        assert!(
            ["first", "last"].contains(&error["extensions"]["argument"].as_str().unwrap()),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_query_over_the_cost_limit_is_refused_with_its_cost() {
    let app = TestApp::spawn().await;
    // 100 cities × 100 memberships × 100 partnerships: a million records at most.
    let query = "{ cities(first: 100) { nodes { memberships(first: 100) { nodes { organisation { partnerships(first: 100) { nodes { title } } } } } } } }";
    let (_, body) = post(&app, query, json!({})).await;
    let error = assert_refused(&body, "QUERY_TOO_COMPLEX");
    assert_eq!(error["extensions"]["limit"], "cost");
    assert!(
        error["message"].as_str().unwrap().contains("points"),
        "{error}"
    );
}

/// The points a query that ran was charged (`extensions.cost.requestedQueryCost`).
async fn charged(app: &TestApp, query: &str) -> u64 {
    let (status, body) = post(app, query, json!({})).await;
    assert_eq!(status, 200, "{body:#}");
    assert!(body["errors"].is_null(), "{body:#}");
    body["extensions"]["cost"]["requestedQueryCost"]
        .as_u64()
        .expect("a cost")
}

#[tokio::test]
async fn a_list_valued_field_costs_its_length_like_a_page() {
    let app = TestApp::spawn().await;
    let umq = app
        .data(r#"{ organisation(slug: "umq") { id } }"#, json!({}))
        .await["organisation"]["id"]
        .clone();
    let selection = "... on Organisation { members(first: 100) { nodes { member { ... on Organisation { members(first: 100) { totalCount } } } } } }";
    let nodes = |count: usize| {
        let ids = vec![umq.clone(); count];
        format!(
            "{{ nodes(ids: {ids}) {{ {selection} }} }}",
            ids = json!(ids)
        )
    };
    // Each id is a record like a page's: two cost twice one.
    let one = charged(&app, &nodes(1)).await;
    let two = charged(&app, &nodes(2)).await;
    assert_eq!(two - 1, 2 * (one - 1), "{one} {two}");
    // The selection refused under a page of 100 organisations is refused under 100 ids.
    let page = format!("{{ organisations(first: 100) {{ nodes {{ {selection} }} }} }}");
    for query in [page, nodes(100)] {
        let (_, body) = post(&app, &query, json!({})).await;
        let error = assert_refused(&body, "QUERY_TOO_COMPLEX");
        assert_eq!(error["extensions"]["limit"], "cost", "{query}");
    }
    // A list with no paging is charged as a default page of records.
    let sources = charged(
        &app,
        r#"{ city(slug: "terrebonne") { sources { title } } }"#,
    )
    .await;
    assert_eq!(sources, 1 + 1 + 20);
}

#[tokio::test]
async fn defaults_of_variables_are_priced_and_checked_like_values_sent() {
    let app = TestApp::spawn().await;
    let defaulted = "query($n: Int = 100, $p: Int = 50) { cities(first: $n) { nodes { peers(first: $p) { city { peers(first: $p) { city { slug } } } } } } }";
    let (_, body) = post(&app, defaulted, json!({})).await;
    let error = assert_refused(&body, "QUERY_TOO_COMPLEX");
    assert_eq!(error["extensions"]["limit"], "cost");
    let (_, body) = post(
        &app,
        "query($n: Int = 1000) { cities(first: $n) { totalCount } }",
        json!({}),
    )
    .await;
    let error = assert_refused(&body, "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "first");
    // A value sent wins over the default.
    let (status, body) = post(
        &app,
        "query($n: Int = 1000) { cities(first: $n) { totalCount } }",
        json!({ "n": 5 }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["cities"]["totalCount"].is_number(), "{body}");
}

#[tokio::test]
async fn fields_that_scan_cost_what_their_description_states() {
    let app = TestApp::spawn().await;
    let description = app
        .data(
            r#"{ __type(name: "City") { fields { name description } } }"#,
            json!({}),
        )
        .await;
    let peers = description["__type"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|field| field["name"] == "peers")
        .unwrap()["description"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(peers.contains("Costs 2000 points"), "{peers}");
    // city 1 + peers 2000 + 5 peers × score 1.
    let cost = charged(
        &app,
        r#"{ city(slug: "terrebonne") { peers(first: 5) { score } } }"#,
    )
    .await;
    assert_eq!(cost, 1 + 2000 + 5);
    // Peers of peers of peers of a page of cities: refused before anything is scored.
    let nested = "{ cities(first: 20) { nodes { peers(first: 10) { city { peers(first: 10) { city { peers(first: 10) { score } } } } } } } }";
    let (_, body) = post(&app, nested, json!({})).await;
    let error = assert_refused(&body, "QUERY_TOO_COMPLEX");
    assert_eq!(error["extensions"]["limit"], "cost");
}

#[tokio::test]
async fn field_names_are_suggested_to_token_holders_only() {
    let app = TestApp::spawn().await;
    let typo = "{ cities { nodes { nam } } }";
    let (_, anonymous) = post(&app, typo, json!({})).await;
    let message = anonymous["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("nam"), "{message}");
    assert!(!message.contains("Did you mean"), "{message}");

    let token = app.token("editor", None).await;
    let (_, body) = app.post_as(&token, typo, json!({})).await;
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("Did you mean"), "{message}");
}

#[tokio::test]
async fn a_request_that_runs_too_long_is_stopped_with_a_coded_error() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.limits.request_timeout_ms = 0;
    })
    .await;
    let (status, body) = post(&app, "{ cities { totalCount } }", json!({})).await;
    assert_eq!(status, 503);
    assert_refused(&body, "TIMEOUT");
    // The server goes on serving.
    assert_eq!(app.get_text("/healthz").await, "ok");
}

#[tokio::test]
async fn requests_beyond_the_execution_turns_wait_for_one_and_are_all_answered() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.limits.max_concurrent_requests = Some(1);
    })
    .await;
    let app = std::sync::Arc::new(app);
    let requests: Vec<_> = (0..12)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                post(&app, "{ cities(first: 3) { nodes { name } } }", json!({})).await
            })
        })
        .collect();
    for request in requests {
        let (status, body) = request.await.expect("the request task");
        assert_eq!(status, 200, "{body:#}");
        assert_eq!(
            body["data"]["cities"]["nodes"].as_array().map(Vec::len),
            Some(3),
            "{body:#}"
        );
    }
}
