//! Bad input gets a clear error with a code; personal data never reaches anonymous callers.

use serde_json::json;
use tests::TestApp;

#[tokio::test]
async fn an_unknown_slug_gives_null_not_an_error() {
    let app = TestApp::spawn().await;
    let body = app
        .post(
            r#"{ city(slug: "atlantis") { name } organisation(slug: "nobody") { name } }"#,
            json!({}),
        )
        .await;
    assert!(body.get("errors").is_none());
    assert!(body["data"]["city"].is_null());
    assert!(body["data"]["organisation"].is_null());
}

#[tokio::test]
async fn a_malformed_global_id_is_refused_with_the_argument_named() {
    let app = TestApp::spawn().await;
    let error = app
        .error(r#"{ node(id: "garbage") { id } }"#, json!({}))
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "id");
}

#[tokio::test]
async fn a_global_id_resolves_to_its_record() {
    let app = TestApp::spawn().await;
    let data = app
        .data(r#"{ city(slug: "namur") { id } }"#, json!({}))
        .await;
    let id = data["city"]["id"].clone();
    let node = app.data("query($id: ID!) { node(id: $id) { id ... on City { name } } nodes(ids: [$id]) { id } }", json!({ "id": id })).await;
    assert_eq!(node["node"]["name"], "Namur");
    assert_eq!(node["nodes"][0]["id"], id);
}

#[tokio::test]
async fn an_unknown_field_gets_the_standard_validation_error() {
    let app = TestApp::spawn().await;
    // With application/json, the exchange is a 200 carrying the error.
    let error = app
        .error("{ cities { nodes { nickname } } }", json!({}))
        .await;
    assert!(
        error["message"].as_str().unwrap().contains("nickname"),
        "{error}"
    );

    // With the GraphQL-over-HTTP media type, a request that cannot run is a 400.
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ cities { nodes { nickname } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/graphql-response+json"
    );
}

#[tokio::test]
async fn an_anonymous_caller_never_sees_contact_details() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": r#"{ organisation(slug: "umq") { contactPoints { nodes { role phone email emailRedacted person { fullName phone email } } } } }"# }))
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("438 827-4560"),
        "the press officer's phone leaked: {text}"
    );
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    let codes: Vec<_> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["extensions"]["code"].clone())
        .collect();
    assert!(
        !codes.is_empty() && codes.iter().all(|c| c == "UNAUTHENTICATED"),
        "{body:#}"
    );
}

#[tokio::test]
async fn get_serves_queries_and_refuses_mutations() {
    let app = TestApp::spawn().await;
    let ok = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "{ themes { totalCount } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let body: serde_json::Value = ok.json().await.unwrap();
    assert!(body["data"]["themes"]["totalCount"].as_u64().unwrap() > 10);

    let mutation = app
        .client
        .get(format!("{}/graphql", app.address))
        .query(&[("query", "mutation { x }")])
        .send()
        .await
        .unwrap();
    assert_eq!(mutation.status(), 405);
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get_text("/healthz").await, "ok");
    assert_eq!(app.get_text("/readyz").await, "ready");
}

#[tokio::test]
async fn graphiql_is_served_whole_by_the_server() {
    let app = TestApp::spawn().await;
    let page = app
        .client
        .get(format!("{}/graphiql", app.address))
        .send()
        .await
        .unwrap();
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"token\""), "no place for a token");
    // Every script and style comes from this server.
    let sources: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.ends_with(".js") || part.ends_with(".css"))
        .collect();
    assert!(sources.len() >= 5, "{sources:?}");
    for source in sources {
        assert!(source.starts_with("/graphiql/assets/"), "{source}");
        let asset = app
            .client
            .get(format!("{}{source}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(asset.status(), 200, "{source}");
        assert!(asset.bytes().await.unwrap().len() > 100, "{source}");
    }
}
