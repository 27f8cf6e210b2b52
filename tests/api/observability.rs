//! What operators see: a request id on every response and error, and Prometheus metrics.

use serde_json::{Value, json};
use tests::TestApp;

/// The value of one sample line of `/metrics`, by its name and labels as written.
fn sample(metrics: &str, series: &str) -> Option<f64> {
    metrics.lines().find_map(|line| {
        line.strip_prefix(series)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
    })
}

#[tokio::test]
async fn every_response_carries_a_request_id_that_errors_repeat() {
    let app = TestApp::spawn().await;
    let body = json!({ "query": "{ nope }" }).to_string();
    let (_, first, text) = app.post_raw(Some("application/json"), body.clone()).await;
    let (_, second, _) = app.post_raw(Some("application/json"), body).await;
    let id = first["x-request-id"].to_str().unwrap();
    assert_ne!(id, second["x-request-id"].to_str().unwrap());
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(body["errors"][0]["extensions"]["requestId"], id);

    // Not only GraphQL: every route answers with one.
    let health = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert!(health.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn the_root_redirects_a_browser_to_graphiql() {
    // Arrange
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Act
    let response = client
        .get(format!("{}/", app.address))
        .send()
        .await
        .unwrap();

    // Assert
    assert_eq!(response.status().as_u16(), 307);
    assert_eq!(response.headers()["location"], "/graphiql");
}

#[tokio::test]
async fn metrics_count_requests_by_operation_and_outcome_errors_by_code_and_refusals() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_capacity = 20;
        config.rate_limits.anonymous_per_second = 1;
    })
    .await;
    // A typo costs a point: the bucket holds 19 after it.
    let typo = json!({ "query": "{ nope }" }).to_string();
    app.post_raw(Some("application/json"), typo).await;
    let named = json!({ "query": "query CityNames { cities(first: 5) { nodes { name } } }", "operationName": "CityNames" });
    let (status, _, _) = app
        .post_raw(Some("application/json"), named.to_string())
        .await;
    assert_eq!(status, 200);
    // 1 + 11 points in a bucket of 20: the second 11 are refused.
    let (status, _, _) = app
        .post_raw(Some("application/json"), named.to_string())
        .await;
    assert_eq!(status, 429);
    app.post_raw(Some("text/plain"), "{}").await;

    let metrics = app.get_text("/metrics").await;
    let requests = |labels: &str| {
        sample(
            &metrics,
            &format!("directory_graphql_requests_total{{{labels}}}"),
        )
    };
    assert_eq!(
        requests(r#"operation="CityNames",outcome="ok""#),
        Some(1.0),
        "{metrics}"
    );
    assert_eq!(
        requests(r#"operation="CityNames",outcome="rate_limited""#),
        Some(1.0)
    );
    assert_eq!(
        requests(r#"operation="anonymous",outcome="refused""#),
        Some(2.0)
    );
    assert_eq!(
        sample(
            &metrics,
            r#"directory_graphql_errors_total{code="RATE_LIMITED"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &metrics,
            r#"directory_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &metrics,
            r#"directory_rate_limit_refusals_total{caller="anonymous"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(&metrics, "directory_graphql_request_duration_seconds_count"),
        Some(4.0)
    );
    assert!(sample(&metrics, "directory_db_connections_idle").is_some_and(|n| n >= 1.0));
    assert!(sample(&metrics, "directory_db_connections_in_use").is_some());
    assert!(sample(&metrics, "directory_db_statements_total").is_some_and(|n| n > 0.0));
}
