//! What no request may do to the server, whatever its shape: nest deep enough to overflow a
//! stack, hold connections open, send oversized headers, write lines into `/metrics`. And
//! what every answer carries: `nosniff`, CORS for the configured origins only, JSON errors.

use std::time::Duration;

use serde_json::{Value, json};
use tests::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// How deep an attacker nests: far past what overflowed the parser's stack.
const LEVELS: usize = 10_000;

/// The request error every over-nested request gets: 400, `QUERY_TOO_COMPLEX`, the limit.
fn assert_too_deep(status: u16, text: &str) {
    assert_eq!(status, 400, "{text}");
    let body: Value = serde_json::from_str(text).expect("a JSON body");
    assert!(body.get("data").is_none(), "{body}");
    let extensions = &body["errors"][0]["extensions"];
    assert_eq!(extensions["code"], "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(extensions["limit"], "nesting", "{body}");
    assert_eq!(extensions["maximum"], 64, "{body}");
}

fn nested_list(levels: usize) -> String {
    format!("{}1{}", "[".repeat(levels), "]".repeat(levels))
}

fn nested_object(levels: usize) -> String {
    format!("{}1{}", "{a:".repeat(levels), "}".repeat(levels))
}

/// A cities query whose filter nests a list, and one whose filter nests an object, `levels`
/// deep.
fn nested_filters(levels: usize) -> [String; 2] {
    [
        format!(
            "{{ cities(filter: {{ search: {} }}) {{ totalCount }} }}",
            nested_list(levels)
        ),
        format!(
            "{{ cities(filter: {}) {{ totalCount }} }}",
            nested_object(levels)
        ),
    ]
}

/// Every place a request can nest a value, at `levels`: in the query text (POST and GET), in
/// the variables and extensions (POST and GET). Each answer is checked, then the server is
/// asked a plain query: it must still be there.
async fn every_path_refuses(app: &TestApp, levels: usize) {
    let [list_query, object_query] = nested_filters(levels);
    let unclosed = format!("{{ cities(filter: {{ search: {} }}) }}", "[".repeat(levels));
    // A URI holds at most 64 KiB: GET carries at most 4,000 levels.
    let get_levels = levels.min(4_000);
    let [get_list, get_object] = nested_filters(get_levels);
    for query in [&list_query, &object_query, &unclosed] {
        let body = json!({ "query": query }).to_string();
        let (status, _, text) = app.post_raw(Some("application/json"), body).await;
        assert_too_deep(status, &text);
    }
    for query in [&get_list, &get_object] {
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[("query", query.as_str())])
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        assert_too_deep(status, &response.text().await.unwrap());
    }
    let query = "query($v: [String]) { cities(filter: { search: $v }) { totalCount } }";
    for field in ["variables", "extensions"] {
        // Written by hand: a `serde_json::Value` this deep would overflow the test's own stack.
        let text = format!(
            r#"{{"query":{},"{field}":{{"v":{}}}}}"#,
            json!(query),
            nested_list(levels)
        );
        let (status, _, answer) = app.post_raw(Some("application/json"), text).await;
        assert_too_deep(status, &answer);
        let response = app
            .client
            .get(format!("{}/graphql", app.address))
            .query(&[
                ("query", query),
                (field, &format!(r#"{{"v":{}}}"#, nested_list(get_levels))),
            ])
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        assert_too_deep(status, &response.text().await.unwrap());
    }
    let alive = app.data("{ themes { totalCount } }", json!({})).await;
    assert!(alive["themes"]["totalCount"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn no_value_nested_ten_thousand_levels_deep_reaches_a_parser() {
    // Limits raised so that the nesting limit, not the size, is what refuses.
    let app = TestApp::spawn_configured(&[], |config| {
        config.limits.max_body_bytes = 1_000_000;
        config.limits.max_query_bytes = 1_000_000;
        config.http.max_header_bytes = 1_000_000;
    })
    .await;
    every_path_refuses(&app, LEVELS).await;
    // Just past the limit, below serde_json's own 128 levels.
    every_path_refuses(&app, 70).await;
}

#[tokio::test]
async fn nesting_within_the_limit_runs() {
    let app = TestApp::spawn().await;
    let query = format!(
        "{{ cities(filter: {{ search: {} }}) {{ totalCount }} }}",
        "\"lyon\""
    );
    let data = app.data(&query, json!({})).await;
    assert!(data["cities"]["totalCount"].is_number());
    // A string full of brackets is not nesting.
    let brackets = "[".repeat(1_000);
    let body = app
        .post(
            "query($s: String) { cities(filter: { search: $s }) { totalCount } }",
            json!({ "s": brackets }),
        )
        .await;
    assert!(body["data"]["cities"]["totalCount"].is_number(), "{body}");
}

/// A socket from `from` (a loopback address of its own, as a client of its own) to the app.
async fn connect_from(app: &TestApp, from: &str) -> tokio::net::TcpStream {
    let address: std::net::SocketAddr = app
        .address
        .trim_start_matches("http://")
        .parse()
        .expect("an address");
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{from}:0").parse().unwrap())
        .expect("a loopback address");
    socket.connect(address).await.expect("connected")
}

/// Reads until the server closes the connection; what it sent. Fails if it keeps it open.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server kept the connection open");
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn half_sent_and_idle_connections_are_closed() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.http.header_timeout_ms = 300;
        config.http.body_timeout_ms = 300;
    })
    .await;
    // Headers begun and never ended.
    let mut half = connect_from(&app, "127.0.0.1").await;
    half.write_all(b"POST /graphql HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    read_until_closed(&mut half).await;
    // A keep-alive connection left idle after its answer.
    let mut idle = connect_from(&app, "127.0.0.1").await;
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // A body announced and trickled: 408 with a JSON error.
    let mut slow = connect_from(&app, "127.0.0.1").await;
    slow.write_all(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\"",
    )
    .await
    .unwrap();
    let answer = read_until_closed(&mut slow).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let body: Value = serde_json::from_str(body).expect("a JSON body");
    assert_eq!(body["errors"][0]["extensions"]["code"], "TIMEOUT", "{body}");
}

#[tokio::test]
async fn a_client_holding_many_sockets_does_not_stop_the_server_answering_others() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.http.max_connections_per_client = 16;
    })
    .await;
    // One client opens far more connections than it may, and sends nothing on them.
    let mut held = Vec::new();
    for _ in 0..400 {
        held.push(connect_from(&app, "127.0.0.2").await);
    }
    // Those past its share are closed at once.
    let mut closed = 0;
    for stream in held.iter_mut().skip(16) {
        let mut byte = [0u8; 1];
        if let Ok(Ok(0) | Err(_)) =
            tokio::time::timeout(Duration::from_secs(10), stream.read(&mut byte)).await
        {
            closed += 1;
        }
    }
    assert_eq!(closed, 400 - 16);
    // Everyone else is served: health, readiness and GraphQL.
    for path in ["/healthz", "/readyz"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 200, "{path}");
    }
    let data = app.data("{ themes { totalCount } }", json!({})).await;
    assert!(data["themes"]["totalCount"].is_number());
    // The flooding client itself still has its share.
    let mut own = connect_from(&app, "127.0.0.3").await;
    own.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    assert!(
        read_until_closed(&mut own)
            .await
            .starts_with("HTTP/1.1 200")
    );
}

#[tokio::test]
async fn oversized_bodies_and_headers_get_json_errors() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": format!("{{ themes {{ totalCount }} }} #{}", "x".repeat(70_000)) });
    let (status, headers, text) = app
        .post_raw(Some("application/json"), body.to_string())
        .await;
    assert_eq!(status, 413, "{text}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let error: Value = serde_json::from_str(&text).expect("a JSON body");
    assert_eq!(
        error["errors"][0]["extensions"]["code"],
        "REQUEST_TOO_LARGE"
    );
    assert!(error["errors"][0]["extensions"]["requestId"].is_string());

    let response = app
        .client
        .get(format!("{}/graphql?query={{__typename}}", app.address))
        .header("x-padding", "x".repeat(20_000))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 431);
    let error: Value = response.json().await.expect("a JSON body");
    assert_eq!(
        error["errors"][0]["extensions"]["code"],
        "REQUEST_TOO_LARGE"
    );
}

#[tokio::test]
async fn every_answer_says_nosniff() {
    let app = TestApp::spawn().await;
    let client = &app.client;
    let url = |path: &str| format!("{}{path}", app.address);
    let answers = [
        client.get(url("/graphql?query={__typename}")).send().await,
        client.get(url("/graphql")).send().await,
        client
            .post(url("/graphql"))
            .header("content-type", "text/plain")
            .body("{}")
            .send()
            .await,
        client.get(url("/graphiql")).send().await,
        client.get(url("/healthz")).send().await,
        client.get(url("/readyz")).send().await,
        client.get(url("/metrics")).send().await,
        client.get(url("/nowhere")).send().await,
        client
            .post(url("/graphql"))
            .header("authorization", "Bearer garbage")
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await,
    ];
    for answer in answers {
        let answer = answer.expect("answered");
        assert_eq!(
            answer
                .headers()
                .get("x-content-type-options")
                .map(|v| v.to_str().unwrap()),
            Some("nosniff"),
            "{}",
            answer.url()
        );
    }
}

#[tokio::test]
async fn browsers_may_call_from_the_configured_origins_only() {
    let origin = "https://app.example.org";
    let app = TestApp::spawn_configured(&[], |config| {
        config.http.cors_allowed_origins = vec![origin.to_owned()];
    })
    .await;
    let preflight = |from: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.address))
            .header("origin", from)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "content-type, authorization",
            )
            .send()
    };
    let allowed = preflight(origin).await.expect("answered");
    assert!(allowed.status().is_success());
    let headers = allowed.headers();
    assert_eq!(headers["access-control-allow-origin"], origin);
    let allowed_headers = headers["access-control-allow-headers"].to_str().unwrap();
    assert!(
        allowed_headers.contains("authorization"),
        "{allowed_headers}"
    );
    assert!(
        headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );

    let refused = preflight("https://evil.example").await.expect("answered");
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );

    let answer = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("origin", origin)
        .json(&json!({ "query": "{ themes { totalCount } }" }))
        .send()
        .await
        .expect("answered");
    assert_eq!(answer.headers()["access-control-allow-origin"], origin);
    let exposed = answer.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-request-id"), "{exposed}");

    // Nothing configured: no origin is allowed.
    let closed = TestApp::spawn().await;
    let answer = closed
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/graphql", closed.address),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("answered");
    assert!(
        answer
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
}

#[tokio::test]
async fn operation_names_cannot_write_into_the_metrics_or_take_their_labels() {
    let app = TestApp::spawn().await;
    let injected = "Q\"} 1\ninjected_metric_total 1\n#";
    for name in [injected.to_owned()]
        .into_iter()
        .chain((0..150).map(|n| format!("Junk{n}")))
    {
        // Named operations the documents do not hold: refused at validation.
        let body =
            json!({ "query": "query Real { themes { totalCount } }", "operationName": name });
        app.post_raw(Some("application/json"), body.to_string())
            .await;
    }
    let body = json!({ "query": "query Real { themes { totalCount } }", "operationName": "Real" });
    let (status, _, _) = app
        .post_raw(Some("application/json"), body.to_string())
        .await;
    assert_eq!(status, 200);
    let metrics = app.get_text("/metrics").await;
    assert!(!metrics.contains("injected_metric"), "{metrics}");
    assert!(!metrics.contains("Junk"), "{metrics}");
    assert!(
        metrics.contains(
            r#"directory_graphql_requests_total{operation="other",outcome="refused"} 151"#
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(r#"directory_graphql_requests_total{operation="Real",outcome="ok"} 1"#),
        "{metrics}"
    );
}
