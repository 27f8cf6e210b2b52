//! Every fact of the five seed documents is loaded, cited and answered by the API.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tests::{TestApp, repo_root};

/// The checklist ids of one document, read off `facts.yaml` (`- id: D004-013` lines).
fn checklist(document: &str) -> BTreeSet<String> {
    let shared = repo_root().join("../shared/seeds/facts.yaml");
    let path = if shared.is_file() {
        shared
    } else {
        repo_root().join("tests/fixtures/facts.yaml")
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let prefix = format!("D{document}-");
    text.lines()
        .filter_map(|line| line.trim().strip_prefix("- id: "))
        .map(|id| id.trim().trim_matches('\'').to_owned())
        .filter(|id| id.starts_with(&prefix))
        .collect()
}

/// Fields whose values are personal data: anonymous callers get UNAUTHENTICATED instead.
const PERSONAL: &[(&str, &str)] = &[
    ("ContactPoint", "phone"),
    ("ContactPoint", "email"),
    ("Person", "email"),
    ("Person", "phone"),
];

/// A selection that makes `field` of `type_name` answer: scalars as they are, connections by
/// their total, other objects by their type name.
async fn selection(app: &TestApp, type_name: &str, field: &str) -> (String, &'static str) {
    let data = app
        .data(
            "query($name: String!) { __type(name: $name) { fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }",
            json!({ "name": type_name }),
        )
        .await;
    let fields = data["__type"]["fields"]
        .as_array()
        .expect("the type has fields");
    let found = fields
        .iter()
        .find(|f| f["name"] == field)
        .unwrap_or_else(|| panic!("{type_name} has no field {field}"));
    let mut ty = &found["type"];
    while ty["name"].is_null() {
        ty = &ty["ofType"];
    }
    let name = ty["name"].as_str().unwrap_or_default();
    match ty["kind"].as_str() {
        Some("SCALAR") | Some("ENUM") => (field.to_owned(), "value"),
        _ if name.ends_with("Connection") => (format!("{field} {{ totalCount }}"), "connection"),
        _ => (format!("{field} {{ __typename }}"), "object"),
    }
}

fn answered(value: &Value, kind: &str) -> bool {
    match kind {
        "connection" => value["totalCount"].as_u64().is_some_and(|n| n > 0),
        _ => match value {
            Value::Null => false,
            Value::String(text) => !text.is_empty(),
            Value::Array(items) => !items.is_empty(),
            _ => true,
        },
    }
}

async fn check_document(document: &str, source_slug: &str) {
    // Arrange
    let app = TestApp::spawn().await;
    let expected = checklist(document);
    assert!(
        expected.len() >= 30,
        "the checklist of {document} has its items"
    );

    // Act: every citation the document's source gives, page by page.
    let mut citations = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .data(
                "query($slug: String!, $after: String) { source(slug: $slug) { facts(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { factId field record { __typename id } } } } }",
                json!({ "slug": source_slug, "after": after }),
            )
            .await;
        let page = &data["source"]["facts"];
        citations.extend(page["nodes"].as_array().expect("citations").iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }

    // Assert: each item of the checklist is cited…
    let cited: BTreeSet<String> = citations
        .iter()
        .filter_map(|c| c["factId"].as_str().map(str::to_owned))
        .collect();
    let missing: Vec<_> = expected.difference(&cited).collect();
    assert!(
        missing.is_empty(),
        "facts of {document} not loaded: {missing:?}"
    );

    // …and the field it names answers on the record.
    let mut aliases = Vec::new();
    let mut selections: BTreeMap<(String, String), (String, &'static str)> = BTreeMap::new();
    for citation in &citations {
        let Some(field) = citation["field"].as_str() else {
            continue;
        };
        let type_name = citation["record"]["__typename"]
            .as_str()
            .expect("a record type")
            .to_owned();
        let key = (type_name.clone(), field.to_owned());
        if !selections.contains_key(&key) {
            let chosen = selection(&app, &type_name, field).await;
            selections.insert(key.clone(), chosen);
        }
        aliases.push((
            citation["factId"].as_str().unwrap_or("?").to_owned(),
            citation["record"]["id"].clone(),
            key,
        ));
    }
    let mut query = String::from("{");
    for (index, (_, id, (type_name, field))) in aliases.iter().enumerate() {
        let (selected, _) = &selections[&(type_name.clone(), field.clone())];
        query.push_str(&format!(
            " f{index}: node(id: {id}) {{ ... on {type_name} {{ {selected} }} }}"
        ));
    }
    query.push('}');
    let body = app.post(&query, json!({})).await;
    let errors = body["errors"].as_array().cloned().unwrap_or_default();
    let mut unanswered = Vec::new();
    for (index, (fact, _, (type_name, field))) in aliases.iter().enumerate() {
        let alias = format!("f{index}");
        let (_, kind) = selections[&(type_name.clone(), field.clone())];
        if PERSONAL.contains(&(type_name.as_str(), field.as_str())) {
            let refused = errors
                .iter()
                .any(|e| e["path"][0] == alias && e["extensions"]["code"] == "UNAUTHENTICATED");
            assert!(
                refused,
                "{fact}: personal {type_name}.{field} must be refused to anonymous callers"
            );
            continue;
        }
        let value = &body["data"][&alias][field.as_str()];
        if !answered(value, kind) {
            unanswered.push(format!("{fact} {type_name}.{field} = {value}"));
        }
    }
    assert!(
        unanswered.is_empty(),
        "facts not answered: {unanswered:#?}\nerrors: {errors:#?}"
    );
}

#[tokio::test]
async fn every_fact_of_the_umq_iveo_release_is_loaded_and_answered() {
    check_document("000", "doc-000-umq-iveo-entente").await;
}

#[tokio::test]
async fn every_fact_of_the_umq_self_diagnostic_article_is_loaded_and_answered() {
    check_document("001", "doc-001-umq-autodiagnostic").await;
}

#[tokio::test]
async fn every_fact_of_the_metropolitan_innovation_districts_release_is_loaded_and_answered() {
    check_document("002", "doc-002-quartiers-metropolitains-innovation").await;
}

#[tokio::test]
async fn every_fact_of_the_eco_quartier_network_page_is_loaded_and_answered() {
    check_document("003", "doc-003-regroupement-eco-quartiers").await;
}

#[tokio::test]
async fn every_fact_of_the_terrebonne_namur_protocol_is_loaded_and_answered() {
    check_document("004", "doc-004-protocole-terrebonne-namur").await;
}
