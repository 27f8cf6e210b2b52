//! Rate limits: every response says what the query cost and what is left; a caller over its
//! budget is refused with RATE_LIMITED and told when to come back; the budget is kept in the
//! database, so two server processes share it.

use serde_json::{Value, json};
use tests::TestApp;

/// Costs 1 (cities) + 5 × (1 nodes + 1 name) = 11 points.
const ELEVEN_POINTS: &str = "{ cities(first: 5) { nodes { name } } }";

/// A small anonymous bucket that leaks slowly: a few queries empty it.
fn small_bucket(config: &mut api::Config) {
    config.rate_limits.anonymous_capacity = 30;
    config.rate_limits.anonymous_per_second = 1;
}

async fn post(app: &TestApp, query: &str) -> (u16, reqwest::header::HeaderMap, Value) {
    let body = json!({ "query": query }).to_string();
    let (status, headers, text) = app.post_raw(Some("application/json"), body).await;
    (status, headers, serde_json::from_str(&text).expect("JSON"))
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> u64 {
    headers[name].to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn every_response_tells_the_cost_and_the_budget_left() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_capacity = 1_000;
        config.rate_limits.anonymous_per_second = 1;
    })
    .await;
    let (status, headers, body) = post(
        &app,
        "{ rateLimit { cost limit remaining restoreRate resetAt } cities(first: 5) { nodes { name } } }",
    )
    .await;
    assert_eq!(status, 200);
    let cost = &body["extensions"]["cost"];
    // rateLimit's own six fields cost 6 more than the cities.
    assert_eq!(cost["requestedQueryCost"], 17, "{body:#}");
    assert_eq!(body["data"]["rateLimit"]["cost"], 17);
    assert_eq!(cost["limit"], 1_000);
    assert_eq!(cost["remaining"], 1_000 - 17);
    assert_eq!(body["data"]["rateLimit"]["remaining"], 1_000 - 17);
    assert_eq!(header(&headers, "x-ratelimit-limit"), 1_000);
    assert_eq!(header(&headers, "x-ratelimit-remaining"), 1_000 - 17);
    assert_eq!(header(&headers, "x-ratelimit-used"), 17);

    // The next query finds the bucket 11 points fuller, less the point a second it leaks.
    let (_, headers, _) = post(&app, ELEVEN_POINTS).await;
    let remaining = header(&headers, "x-ratelimit-remaining");
    assert!(
        (1_000 - 17 - 11..1_000 - 17 - 5).contains(&remaining),
        "{remaining}"
    );
}

#[tokio::test]
async fn a_caller_over_its_budget_is_refused_and_told_when_to_retry() {
    let app = TestApp::spawn_configured(&[], small_bucket).await;
    let (first, _, _) = post(&app, ELEVEN_POINTS).await;
    let (second, _, _) = post(&app, ELEVEN_POINTS).await;
    assert_eq!((first, second), (200, 200));

    // 22 points in a bucket of 30 (less what leaked): 11 more do not fit.
    let (status, headers, body) = post(&app, ELEVEN_POINTS).await;
    assert_eq!(status, 429, "{body:#}");
    assert!(body.get("data").is_none(), "it ran: {body:#}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "RATE_LIMITED");
    let retry_after = header(&headers, "retry-after");
    assert!((1..=11).contains(&retry_after), "{retry_after}");
    assert_eq!(error["extensions"]["retryAfter"], retry_after);
    assert_eq!(body["extensions"]["cost"]["retryAfterSeconds"], retry_after);

    // While the refusal holds, the next requests are turned away without a statement.
    let before = app.statements().await;
    let (status, _, _) = post(&app, ELEVEN_POINTS).await;
    assert_eq!(status, 429);
    assert_eq!(
        app.statements().await,
        before,
        "a refused flood reached the database"
    );

    // A token has its own bucket: the refusal of anonymous callers does not touch it.
    let token = app.token("partner", Some("umq")).await;
    let (status, body) = app.post_as(&token, ELEVEN_POINTS, json!({})).await;
    assert_eq!(status, 200, "{body:#}");
}

#[tokio::test]
async fn a_query_costlier_than_the_whole_bucket_is_refused_as_too_complex() {
    let app = TestApp::spawn_configured(&[], small_bucket).await;
    let (status, _, body) = post(&app, "{ cities(first: 50) { nodes { name } } }").await;
    assert_eq!(status, 200);
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{body:#}");
    assert_eq!(error["extensions"]["limit"], "rateLimit");
}

#[tokio::test]
async fn two_server_processes_share_one_budget() {
    let first = TestApp::spawn_configured(&[], small_bucket).await;
    let second = first.spawn_beside(small_bucket).await;
    assert_eq!(post(&first, ELEVEN_POINTS).await.0, 200);
    assert_eq!(post(&second, ELEVEN_POINTS).await.0, 200);
    // The bucket the first process filled is the one the second charges.
    assert_eq!(post(&second, ELEVEN_POINTS).await.0, 429);
    assert_eq!(post(&first, ELEVEN_POINTS).await.0, 429);
}

#[tokio::test]
async fn a_valid_token_still_works_right_after_a_burst_of_bad_ones() {
    let app = TestApp::spawn_configured(&[], small_bucket).await;
    let mut bodies = Vec::new();
    for n in 0..30 {
        let (status, body) = app
            .post_as(&format!("not.a.token{n}"), ELEVEN_POINTS, json!({}))
            .await;
        assert_eq!(status, 401);
        let mut body = body;
        // Each refusal names its own request; the rest reads the same.
        assert!(body["errors"][0]["extensions"]["requestId"].is_string());
        body["errors"][0]["extensions"]["requestId"].take();
        bodies.push(body);
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "refusals differ");
    let token = app.token("editor", None).await;
    let (status, body) = app.post_as(&token, ELEVEN_POINTS, json!({})).await;
    assert_eq!(status, 200, "{body:#}");
}

#[tokio::test]
async fn a_process_charges_the_shared_bucket_a_lease_at_a_time() {
    // A bucket of 1000 points: leases of 50. Ten queries of 11 points take three leases
    // (50 → 39 left, spent down to 6; 56 → spent down to 1; 51 …), so three statements more
    // than the same queries with rate limits off, not ten.
    let statements_for_ten = |capacity: u32| async move {
        let app = TestApp::spawn_configured(&[], |config| {
            config.rate_limits.anonymous_capacity = capacity;
            config.rate_limits.anonymous_per_second = 1;
            // The same query ten times: kept answers would run none of its statements.
            config.cache.enabled = false;
        })
        .await;
        let before = app.statements().await;
        for _ in 0..10 {
            assert_eq!(post(&app, ELEVEN_POINTS).await.0, 200);
        }
        app.statements().await - before
    };
    let charged = statements_for_ten(1_000).await;
    let free = statements_for_ten(0).await;
    assert_eq!(
        charged - free,
        3,
        "{charged} statements charged, {free} free"
    );
}
