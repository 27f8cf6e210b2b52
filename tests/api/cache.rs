//! The cache of answers and HTTP caching: a kept answer is served only while it is right —
//! every committed write, by this server or another on the same database, ends it; no answer
//! crosses the scopes that decide what a caller may read — and still costs its caller the
//! query. Then `ETag`/`304`, `Cache-Control`, and automatic persisted queries.

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tests::TestApp;

/// What the server answered.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    /// `x-cache`: `hit`, `miss`, or `` when the cache was not asked.
    fn cache(&self) -> &str {
        self.header("x-cache")
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    }
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a body");
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
    }
}

/// Posts a query, with a token when given.
async fn ask(app: &TestApp, token: Option<&str>, query: &str, variables: Value) -> Answer {
    let mut request = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    answer(request.send().await.expect("the server answers")).await
}

/// GETs `/graphql` with these parameters and headers.
async fn get(app: &TestApp, parameters: &[(&str, &str)], headers: &[(&str, &str)]) -> Answer {
    let mut request = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(parameters);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(request.send().await.expect("the server answers")).await
}

/// A first request of each caller writes (a rate-limit lease, the token's last use), which
/// any cache must take as a change: made before the requests a test looks at.
async fn warm(app: &TestApp, tokens: &[Option<&str>]) {
    for token in tokens {
        let warmed = ask(app, *token, "{ __typename }", json!({})).await;
        assert_eq!(warmed.status, 200, "{:#}", warmed.body);
    }
}

const COUNT: &str = "{ organisations { totalCount } }";

const CREATE: &str = r#"mutation($input: OrganisationProfile!) { createOrganisation(input: $input) { organisation { slug } userErrors { field code } } }"#;

fn new_organisation(slug: &str) -> Value {
    json!({ "input": { "slug": slug, "name": format!("Organisation {slug}"), "kind": "MUNICIPAL_ASSOCIATION", "country": "CA" } })
}

fn count(answer: &Answer) -> i64 {
    answer.body["data"]["organisations"]["totalCount"]
        .as_i64()
        .unwrap_or_else(|| panic!("a count: {:#}", answer.body))
}

#[tokio::test]
async fn a_query_asked_again_is_answered_from_the_cache_and_still_charged_its_cost() {
    // A bucket that barely leaks, so that what a request spends shows.
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_per_second = 1;
    })
    .await;
    warm(&app, &[None]).await;
    let query = r#"{ cities(first: 5) { nodes { name mayor { person { fullName } } } } }"#;

    let first = ask(&app, None, query, json!({})).await;
    let statements = app.statements().await;
    let second = ask(&app, None, query, json!({})).await;

    assert_eq!(first.cache(), "miss");
    assert_eq!(second.cache(), "hit");
    assert_eq!(
        app.statements().await,
        statements,
        "a kept answer runs no statement"
    );
    assert_eq!(first.body["data"], second.body["data"]);
    let cost = |answer: &Answer| answer.body["extensions"]["cost"].clone();
    assert_eq!(
        cost(&first)["requestedQueryCost"],
        cost(&second)["requestedQueryCost"]
    );
    let points = |answer: &Answer, name: &str| cost(answer)[name].as_i64().unwrap_or_default();
    assert!(
        points(&second, "remaining")
            <= points(&first, "remaining") - points(&second, "requestedQueryCost") + 1,
        "the hit was charged: {:#} then {:#}",
        cost(&first),
        cost(&second)
    );
    assert_eq!(
        first.header("x-ratelimit-used"),
        second.header("x-ratelimit-used")
    );
    assert!(!second.header("x-ratelimit-remaining").is_empty());
    // The same question, written otherwise, is the same question.
    let reformatted = ask(
        &app,
        None,
        "{\n  cities(first: 5) { # the first five\n    nodes { name, mayor { person { fullName } } }\n  }\n}",
        json!({}),
    )
    .await;
    assert_eq!(reformatted.cache(), "hit");
}

#[tokio::test]
async fn a_write_through_the_api_ends_the_kept_answers_at_once() {
    // A bucket that barely leaks, so that what a request spends shows.
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_per_second = 1;
    })
    .await;
    let editor = app.token("editor", None).await;
    warm(&app, &[None, Some(&editor)]).await;
    let before = ask(&app, None, COUNT, json!({})).await;
    let hit = ask(&app, None, COUNT, json!({})).await;
    assert_eq!(hit.cache(), "hit");

    let created = ask(&app, Some(&editor), CREATE, new_organisation("fqm-cache")).await;
    assert_eq!(
        created.body["data"]["createOrganisation"]["organisation"]["slug"], "fqm-cache",
        "{:#}",
        created.body
    );
    assert_eq!(created.header("cache-control"), "no-store");
    assert_eq!(created.cache(), "", "mutations never reach the cache");
    let after = ask(&app, None, COUNT, json!({})).await;

    assert_eq!(after.cache(), "miss");
    assert_eq!(count(&after), count(&before) + 1);
    // Found kept but out of date, the question is charged once, not once more when it runs.
    let remaining = |answer: &Answer| {
        answer.body["extensions"]["cost"]["remaining"]
            .as_i64()
            .unwrap_or_else(|| panic!("a cost: {:#}", answer.body))
    };
    let cost = after.body["extensions"]["cost"]["requestedQueryCost"]
        .as_i64()
        .unwrap();
    let spent = remaining(&hit) - remaining(&after);
    assert!(
        (cost - 1..=cost).contains(&spent),
        "charged {spent} points for a query of {cost}"
    );
}

/// Two server processes on one database, as behind a load balancer: a write through one is
/// seen by the next read from the other (on SQLite through `data_version`, on PostgreSQL
/// through `NOTIFY`).
#[tokio::test]
async fn a_write_through_another_server_is_seen_by_the_next_read_from_the_cache() {
    let reader = TestApp::spawn().await;
    let writer = reader.spawn_beside(|_| {}).await;
    let editor = writer.token("editor", None).await;
    warm(&writer, &[Some(&editor)]).await;
    warm(&reader, &[None]).await;
    let before = ask(&reader, None, COUNT, json!({})).await;
    assert_eq!(ask(&reader, None, COUNT, json!({})).await.cache(), "hit");

    for round in 1..=3 {
        let slug = format!("ailleurs-{round}");
        let created = ask(&writer, Some(&editor), CREATE, new_organisation(&slug)).await;
        assert!(
            created.body["data"]["createOrganisation"]["organisation"].is_object(),
            "{:#}",
            created.body
        );
        let after = ask(&reader, None, COUNT, json!({})).await;

        assert_eq!(after.cache(), "miss", "round {round}");
        assert_eq!(count(&after), count(&before) + round, "round {round}");
    }
}

/// A draft partnership, which only its parties and editors see.
const DRAFT: &str = r#"
[source]
slug = "cache-fixture"
kind = "other"
title = "Cache fixture"

[[partnership]]
slug = "brouillon-en-cache"
title = "Entente en préparation"
kind = "cooperation_protocol"
status = "draft"
start = "2025"
end = "2027"

[[partnership.party]]
key = "terrebonne"
city = "terrebonne"
role = "party"

[[partnership.party]]
key = "umq"
organisation = "umq"
role = "partner"
side_of = "terrebonne"
"#;

/// The same query asked by callers of every scope: each gets the answer its scope gives it,
/// whoever asked first; two partners of one organisation share theirs.
#[tokio::test]
async fn no_kept_answer_crosses_the_scopes_that_decide_what_a_caller_sees() {
    let app = TestApp::spawn_with(&[("999-draft.toml", DRAFT.to_owned())]).await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let umq = app.token("partner", Some("umq")).await;
    let umq_too = app.token("partner", Some("umq")).await;
    let outsider = app.token("partner", Some("metropole-du-grand-paris")).await;
    warm(
        &app,
        &[
            None,
            Some(&editor),
            Some(&admin),
            Some(&umq),
            Some(&umq_too),
            Some(&outsider),
        ],
    )
    .await;
    let draft =
        r#"{ partnership(slug: "brouillon-en-cache") { title } partnerships { totalCount } }"#;
    let sees_draft = |answer: &Answer| {
        assert!(answer.body.get("errors").is_none(), "{:#}", answer.body);
        answer.body["data"]["partnership"]["title"] == "Entente en préparation"
    };

    // The editor first: its answer, with the draft, is kept.
    let by_editor = ask(&app, Some(&editor), draft, json!({})).await;
    assert!(sees_draft(&by_editor));
    let anonymous = ask(&app, None, draft, json!({})).await;
    assert_eq!(anonymous.cache(), "miss");
    assert!(!sees_draft(&anonymous), "{:#}", anonymous.body);
    assert!(!anonymous.body.to_string().contains("brouillon"));
    assert_eq!(
        anonymous.body["data"]["partnerships"]["totalCount"].as_i64(),
        by_editor.body["data"]["partnerships"]["totalCount"]
            .as_i64()
            .map(|n| n - 1)
    );
    let outsider_answer = ask(&app, Some(&outsider), draft, json!({})).await;
    assert_eq!(outsider_answer.cache(), "miss");
    assert!(!sees_draft(&outsider_answer));
    let umq_answer = ask(&app, Some(&umq), draft, json!({})).await;
    assert_eq!(umq_answer.cache(), "miss");
    assert!(sees_draft(&umq_answer));
    let admin_answer = ask(&app, Some(&admin), draft, json!({})).await;
    assert_eq!(admin_answer.cache(), "miss");
    assert!(sees_draft(&admin_answer));
    // Each scope's answer, asked again, is its own.
    for (token, sees) in [
        (None, false),
        (Some(&editor), true),
        (Some(&outsider), false),
    ] {
        let again = ask(&app, token.map(String::as_str), draft, json!({})).await;
        assert_eq!(again.cache(), "hit");
        assert_eq!(sees_draft(&again), sees);
    }
    // Another partner of the same organisation shares the first one's answer.
    let shared = ask(&app, Some(&umq_too), draft, json!({})).await;
    assert_eq!(shared.cache(), "hit");
    assert_eq!(shared.body["data"], umq_answer.body["data"]);

    // Contact details: a partner's answer holds them, an anonymous caller gets an error.
    let contacts = r#"{ organisation(slug: "umq") { contactPoints { nodes { phone } } } }"#;
    let by_partner = ask(&app, Some(&umq), contacts, json!({})).await;
    assert!(
        by_partner.body.to_string().contains("438 827-4560"),
        "{:#}",
        by_partner.body
    );
    for _ in 0..2 {
        let anonymous = ask(&app, None, contacts, json!({})).await;
        assert_eq!(
            anonymous.cache(),
            "miss",
            "answers with errors are not kept"
        );
        assert_eq!(
            anonymous.body["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
        assert!(!anonymous.body.to_string().contains("438"));
    }
}

/// `viewer` reads the token itself, not only its scope: two partners of one organisation
/// each get their own.
#[tokio::test]
async fn answers_that_read_the_token_are_kept_for_that_token_only() {
    let app = TestApp::spawn().await;
    let first = app.token("partner", Some("umq")).await;
    let second = app.token("partner", Some("umq")).await;
    warm(&app, &[Some(&first), Some(&second)]).await;
    let query = "{ viewer { token { id } } }";

    let by_first = ask(&app, Some(&first), query, json!({})).await;
    let by_second = ask(&app, Some(&second), query, json!({})).await;
    let by_first_again = ask(&app, Some(&first), query, json!({})).await;

    assert_eq!(by_second.cache(), "miss");
    assert_ne!(by_first.body["data"], by_second.body["data"]);
    assert_eq!(by_first_again.cache(), "hit");
    assert_eq!(by_first_again.body["data"], by_first.body["data"]);
    // `rateLimit` is true of one request only: never kept.
    let budget = "{ rateLimit { remaining } }";
    ask(&app, None, budget, json!({})).await;
    assert_eq!(ask(&app, None, budget, json!({})).await.cache(), "miss");
}

#[tokio::test]
async fn the_cache_keeps_no_more_bytes_than_configured() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.cache.capacity_bytes = 450;
    })
    .await;
    warm(&app, &[None]).await;
    let one = r#"{ organisations(first: 1) { nodes { slug } } }"#;
    let other = r#"{ cities(first: 1) { nodes { slug } } }"#;

    ask(&app, None, one, json!({})).await;
    assert_eq!(ask(&app, None, one, json!({})).await.cache(), "hit");
    ask(&app, None, other, json!({})).await;

    assert_eq!(ask(&app, None, other, json!({})).await.cache(), "hit");
    assert_eq!(
        ask(&app, None, one, json!({})).await.cache(),
        "miss",
        "the least recently used answer made room"
    );
}

#[tokio::test]
async fn the_cache_can_be_switched_off() {
    let app = TestApp::spawn_configured(&[], |config| {
        config.cache.enabled = false;
    })
    .await;
    warm(&app, &[None]).await;
    ask(&app, None, COUNT, json!({})).await;
    let statements = app.statements().await;

    let again = ask(&app, None, COUNT, json!({})).await;

    assert_eq!(again.cache(), "");
    assert!(app.statements().await > statements, "the query ran again");
    assert!(!again.header("etag").is_empty(), "HTTP caching stays");
}

#[tokio::test]
async fn an_answer_carries_an_etag_and_a_matching_if_none_match_gets_a_304() {
    let app = TestApp::spawn().await;
    let partner = app.token("partner", Some("umq")).await;
    let query = [("query", COUNT)];

    let first = get(&app, &query, &[]).await;
    let etag = first.header("etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(
        first.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );
    assert!(first.header("vary").contains("Authorization"));

    let revalidated = get(&app, &query, &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status, 304);
    assert_eq!(revalidated.body, Value::Null, "no body");
    assert_eq!(revalidated.header("etag"), etag);
    assert!(
        !revalidated.header("x-ratelimit-remaining").is_empty(),
        "still charged"
    );
    let posted = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("if-none-match", &etag)
        .json(&json!({ "query": COUNT }))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status().as_u16(), 304);
    let stale = get(&app, &query, &[("if-none-match", "W/\"0000\"")]).await;
    assert_eq!(stale.status, 200);
    assert_eq!(count(&stale), count(&first));

    let private = ask(&app, Some(&partner), COUNT, json!({})).await;
    assert_eq!(
        private.header("cache-control"),
        "private, max-age=0, must-revalidate"
    );
    let refused = ask(&app, None, "{ nothing }", json!({})).await;
    assert_eq!(refused.header("cache-control"), "no-store");
    assert!(refused.header("etag").is_empty());
}

fn sha256(text: &str) -> String {
    use std::fmt::Write;
    let digest = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    digest.as_ref().iter().fold(String::new(), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

/// Apollo's automatic persisted queries over GET: an unknown hash first, then the query with
/// its hash, then the hash alone.
#[tokio::test]
async fn a_persisted_query_is_registered_with_its_hash_then_answered_by_the_hash_alone() {
    let app = TestApp::spawn().await;
    let hash = sha256(COUNT);
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string();

    let unknown = get(&app, &[("extensions", &extensions)], &[]).await;
    assert_eq!(unknown.status, 200);
    assert_eq!(
        unknown.body["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    assert_eq!(
        unknown.body["errors"][0]["message"],
        "PersistedQueryNotFound"
    );
    assert_eq!(unknown.header("cache-control"), "no-store");

    let registered = get(&app, &[("query", COUNT), ("extensions", &extensions)], &[]).await;
    assert!(
        registered.body.get("errors").is_none(),
        "{:#}",
        registered.body
    );
    let by_hash = get(&app, &[("extensions", &extensions)], &[]).await;
    assert_eq!(by_hash.status, 200);
    assert_eq!(count(&by_hash), count(&registered));
    assert_eq!(
        by_hash.header("cache-control"),
        "public, max-age=0, must-revalidate"
    );

    let wrong = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256("{ other }") } })
        .to_string();
    let mismatch = get(&app, &[("query", COUNT), ("extensions", &wrong)], &[]).await;
    assert_eq!(mismatch.status, 400);
    assert_eq!(
        mismatch.body["errors"][0]["message"],
        "provided sha does not match query"
    );
    // A mutation registered by POST is still refused over GET.
    let mutation = "mutation { __typename }";
    let mutation_hash =
        json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256(mutation) } }).to_string();
    app.client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": mutation, "extensions": serde_json::from_str::<Value>(&mutation_hash).unwrap() }))
        .send()
        .await
        .unwrap();
    let over_get = get(&app, &[("extensions", &mutation_hash)], &[]).await;
    assert_eq!(over_get.status, 405);
}

/// The README's caching example, run as it is written (with this server's address): an
/// unknown hash, the query registered, then the hash alone, and a `304` for its tag.
#[tokio::test]
async fn the_readme_s_persisted_query_example_runs_as_written() {
    let app = TestApp::spawn().await;
    let readme = std::fs::read_to_string(tests::repo_root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Caching\n")
        .nth(1)
        .expect("a Caching section");
    let script = section
        .split("```sh\n")
        .nth(1)
        .and_then(|block| block.split("\n```").next())
        .expect("a shell example");

    let script = script.replace("http://127.0.0.1:8080", &app.address);
    // Off the test's thread, which also serves the requests the script sends.
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("bash")
            .args(["-euo", "pipefail", "-c", &script])
            .output()
            .expect("bash runs")
    })
    .await
    .unwrap();

    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 3, "{printed}");
    assert!(lines[0].contains("PERSISTED_QUERY_NOT_FOUND"), "{printed}");
    assert!(lines[1].contains("\"totalCount\":"), "{printed}");
    assert_eq!(lines[2], "304", "{printed}");
}
