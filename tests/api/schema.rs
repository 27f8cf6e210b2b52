//! The schema as published: `schema.graphql` is the served schema, and everything in it is
//! described.

use serde_json::{Value, json};
use tests::{TestApp, repo_root};

#[test]
fn schema_graphql_is_the_served_schema() {
    let written =
        std::fs::read_to_string(repo_root().join("schema.graphql")).expect("schema.graphql");
    assert!(
        written == api::schema::sdl(),
        "schema.graphql is stale: run `make schema`"
    );
}

const INTROSPECTION: &str = r#"{ __schema { types {
    name kind description
    fields { name description args { name description } }
    inputFields { name description }
    enumValues { name description }
} } }"#;

fn blank(value: &Value) -> bool {
    value.as_str().is_none_or(|text| text.trim().is_empty())
}

#[tokio::test]
async fn every_type_field_argument_and_enum_value_has_a_description() {
    let app = TestApp::spawn().await;
    let data = app.data(INTROSPECTION, json!({})).await;
    let mut missing = Vec::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap();
        // Introspection types and the scalars the GraphQL specification itself defines.
        if name.starts_with("__") || ["ID", "String", "Int", "Float", "Boolean"].contains(&name) {
            continue;
        }
        if blank(&ty["description"]) {
            missing.push(name.to_owned());
        }
        for field in ty["fields"].as_array().into_iter().flatten() {
            if blank(&field["description"]) {
                missing.push(format!("{name}.{}", field["name"]));
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if blank(&arg["description"]) {
                    missing.push(format!("{name}.{}({})", field["name"], arg["name"]));
                }
            }
        }
        for field in ty["inputFields"].as_array().into_iter().flatten() {
            if blank(&field["description"]) {
                missing.push(format!("{name}.{}", field["name"]));
            }
        }
        for value in ty["enumValues"].as_array().into_iter().flatten() {
            if blank(&value["description"]) {
                missing.push(format!("{name}.{}", value["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undescribed: {missing:#?}");
}
