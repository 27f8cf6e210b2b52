//! Nothing of a draft is written by those who may not see it: every mutation that names a
//! record by its `id` (updates, deletions, status changes…), found by introspection, is sent
//! each of the draft's ids by a partner of an unrelated organisation, and must answer exactly
//! as it does for the same id in the directory without the draft — code, field and message.
//! A mutation added later is walked without editing this test.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tests::TestApp;

use super::{Draft, draft_directories};

/// The named type under a field's or an argument's type.
fn named(mut ty: &Value) -> &str {
    while !ty["name"].is_string() {
        ty = &ty["ofType"];
    }
    ty["name"].as_str().unwrap()
}

/// A value of the schema's type `ty` that passes the schema's validation: an input object
/// holds only its required fields, an `ID` names the visible record `anchor`.
fn filler(types: &BTreeMap<String, Value>, ty: &Value, anchor: &Value) -> Value {
    match ty["kind"].as_str().unwrap() {
        "NON_NULL" => filler(types, &ty["ofType"], anchor),
        "LIST" => json!([]),
        _ => {
            let name = named(ty);
            let info = &types[name];
            match (info["kind"].as_str().unwrap(), name) {
                ("ENUM", _) => info["enumValues"][0]["name"].clone(),
                ("INPUT_OBJECT", _) => required_fields(types, info, anchor),
                (_, "ID") => anchor.clone(),
                (_, "Int") => json!(1),
                (_, "Float") => json!(1.0),
                (_, "Boolean") => json!(false),
                (_, "Date") => json!("2025-01-01"),
                (_, "DateTime") => json!("2025-01-01T00:00:00Z"),
                _ => json!("2025"),
            }
        }
    }
}

/// An input object of the required fields of the input type `info`.
fn required_fields(types: &BTreeMap<String, Value>, info: &Value, anchor: &Value) -> Value {
    let mut object = serde_json::Map::new();
    for field in info["inputFields"].as_array().unwrap() {
        if field["type"]["kind"] == "NON_NULL" && field["defaultValue"].is_null() {
            let value = filler(types, &field["type"], anchor);
            object.insert(field["name"].as_str().unwrap().to_owned(), value);
        }
    }
    Value::Object(object)
}

/// Every mutation whose one argument, `input`, names a record by `id`: its name, the input
/// (required fields filled, `id` to be set) and a selection of its whole payload.
async fn keyed_mutations(app: &TestApp, anchor: &Value) -> Vec<(String, String, Value, String)> {
    let data = app
        .data(
            r#"{ __schema { mutationType { fields { name args { name type { ...Ref } } type { ...Ref } } }
                types { name kind enumValues { name } inputFields { name defaultValue type { ...Ref } }
                    fields { name args { name } type { ...Ref } } } } }
               fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"#,
            json!({}),
        )
        .await;
    let types: BTreeMap<String, Value> = data["__schema"]["types"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap().to_owned(), t.clone()))
        .collect();
    let mut keyed = Vec::new();
    for mutation in data["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
    {
        let [argument] = mutation["args"].as_array().unwrap().as_slice() else {
            continue;
        };
        let input_type = named(&argument["type"]);
        let info = &types[input_type];
        let takes_id = info["inputFields"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["name"] == "id" && named(&f["type"]) == "ID");
        if argument["name"] != "input" || !takes_id {
            continue;
        }
        let payload = &types[named(&mutation["type"])];
        let selection: Vec<String> = payload["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|field| {
                let name = field["name"].as_str().unwrap();
                match types[named(&field["type"])]["kind"].as_str().unwrap() {
                    "SCALAR" | "ENUM" => name.to_owned(),
                    _ if name == "userErrors" => "userErrors { field code message }".to_owned(),
                    _ => format!("{name} {{ __typename }}"),
                }
            })
            .collect();
        keyed.push((
            mutation["name"].as_str().unwrap().to_owned(),
            input_type.to_owned(),
            required_fields(&types, info, anchor),
            selection.join(" "),
        ));
    }
    keyed
}

/// A mutation's whole answer: its data, and its errors' paths, codes and messages.
async fn write_answer(app: &TestApp, token: &str, query: &str, input: &Value) -> Value {
    let body = app.post_as(token, query, json!({ "input": input })).await.1;
    let errors: Vec<Value> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| json!([e["path"], e["extensions"]["code"], e["message"]]))
        .collect();
    json!({ "data": body["data"], "errors": errors })
}

#[tokio::test]
async fn nothing_of_a_draft_is_written_by_those_who_may_not_see_it_whichever_mutation_they_use() {
    let Draft {
        with,
        without,
        secret,
        ..
    } = draft_directories().await;
    let unrelated_with = with
        .token("partner", Some("metropole-du-grand-paris"))
        .await;
    let unrelated_without = without
        .token("partner", Some("metropole-du-grand-paris"))
        .await;
    // Any `ID` an input requires beside `id` names the partner's own organisation.
    let anchor = with
        .data(
            r#"{ organisation(slug: "metropole-du-grand-paris") { id } }"#,
            json!({}),
        )
        .await["organisation"]["id"]
        .clone();
    let mut mutations = keyed_mutations(&with, &anchor).await;
    for update in [
        "updatePartnership",
        "updateOutcome",
        "updateEventParticipant",
    ] {
        assert!(
            mutations.iter().any(|(name, ..)| name == update),
            "{update} is not walked"
        );
    }
    // Deletions last, so that a leaking one cannot hide another's leak.
    mutations.sort_by_key(|(name, ..)| name.starts_with("delete") || name.starts_with("remove"));

    // Which mutations found no record behind each of the draft's kinds: proof that the walk's
    // inputs pass validation and reach the record.
    let mut not_found: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut leaks = Vec::new();
    for (name, input_type, input, selection) in &mutations {
        let query = format!(
            "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}"
        );
        for (kind, id) in &secret {
            let mut input = input.clone();
            input["id"] = json!(id);
            let seen = write_answer(&with, &unrelated_with, &query, &input).await;
            let absent = write_answer(&without, &unrelated_without, &query, &input).await;
            if seen != absent {
                leaks.push(format!("{name} on the draft's {kind}: {seen} / {absent}"));
            }
            if seen.to_string().contains("NOT_FOUND") {
                not_found.entry(kind).or_default().insert(name);
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "answers otherwise than on no record (with the draft / without):\n{}",
        leaks.join("\n")
    );
    for kind in secret.iter().map(|(kind, _)| kind.as_str()) {
        let found = not_found.get(kind).map_or(0, BTreeSet::len);
        assert!(
            found >= 2,
            "only {found} mutations looked up the draft's {kind}: {not_found:?}"
        );
    }
}
