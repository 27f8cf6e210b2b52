//! Nothing of a draft is written, nor linked to, by those who may not see it: every input
//! field of every mutation that names a record (the `id` an update or a deletion changes, the
//! parent a part hangs from, a record a citation or a purchase points at…), found by
//! introspection, is sent each of the draft's ids by a partner of an unrelated organisation,
//! and must answer exactly as it does for the same id in the directory without the draft —
//! code, field and message. A mutation or a field added later is walked without editing this
//! test.

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

/// A mutation the walk sends the draft's ids to.
struct Walked {
    name: String,
    input_type: String,
    /// The input with its required fields filled.
    input: Value,
    /// A selection of the whole payload.
    selection: String,
    /// The input's fields that name records: an `ID` or a list of them, in the input or in an
    /// input object it holds (`participants.city`).
    id_fields: Vec<IdField>,
}

/// A field that names records.
struct IdField {
    /// The input's field that holds it when it is a field of an input object
    /// (`participants`): its name, its type and the object with its required fields filled.
    holder: Option<(String, Value, Value)>,
    name: String,
    ty: Value,
}

impl IdField {
    /// Its path in the input (`initiative`, `participants.city`).
    fn path(&self) -> String {
        match &self.holder {
            Some((holder, ..)) => format!("{holder}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Sets it, in `input`, to name the record `id`.
    fn place(&self, input: &mut Value, id: &str) {
        let value = wrap(&self.ty, json!(id));
        match &self.holder {
            Some((holder, holder_ty, template)) => {
                let mut object = template.clone();
                object[&self.name] = value;
                input[holder] = wrap(holder_ty, object);
            }
            None => input[&self.name] = value,
        }
    }
}

/// Where an id goes in a value of the schema's type `ty`: itself, or in a list.
fn wrap(ty: &Value, value: Value) -> Value {
    match ty["kind"].as_str() {
        Some("NON_NULL") => wrap(&ty["ofType"], value),
        Some("LIST") => json!([value]),
        _ => value,
    }
}

/// The fields of the input type `info` that name records: its own `ID` fields and those of the
/// input objects it holds, one level down.
fn id_fields(types: &BTreeMap<String, Value>, info: &Value, anchor: &Value) -> Vec<IdField> {
    let mut found = Vec::new();
    for field in info["inputFields"].as_array().into_iter().flatten() {
        let (name, ty) = (field["name"].as_str().unwrap(), &field["type"]);
        let inner = &types[named(ty)];
        if named(ty) == "ID" {
            found.push(IdField {
                holder: None,
                name: name.to_owned(),
                ty: ty.clone(),
            });
        } else if inner["kind"] == "INPUT_OBJECT" {
            let template = required_fields(types, inner, anchor);
            for nested in inner["inputFields"].as_array().unwrap() {
                if named(&nested["type"]) == "ID" {
                    found.push(IdField {
                        holder: Some((name.to_owned(), ty.clone(), template.clone())),
                        name: nested["name"].as_str().unwrap().to_owned(),
                        ty: nested["type"].clone(),
                    });
                }
            }
        }
    }
    found
}

/// Every mutation whose one argument, `input`, names a record in one of its fields.
async fn mutations_naming_records(app: &TestApp, anchor: &Value) -> Vec<Walked> {
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
    let mut walked = Vec::new();
    for mutation in data["__schema"]["mutationType"]["fields"]
        .as_array()
        .unwrap()
    {
        let [argument] = mutation["args"].as_array().unwrap().as_slice() else {
            continue;
        };
        let input_type = named(&argument["type"]);
        let info = &types[input_type];
        let id_fields = id_fields(&types, info, anchor);
        if argument["name"] != "input" || id_fields.is_empty() {
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
        walked.push(Walked {
            name: mutation["name"].as_str().unwrap().to_owned(),
            input_type: input_type.to_owned(),
            input: required_fields(&types, info, anchor),
            selection: selection.join(" "),
            id_fields,
        });
    }
    walked
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
async fn nothing_of_a_draft_is_written_or_linked_to_by_those_who_may_not_see_it_whichever_mutation_they_use()
 {
    let Draft {
        with,
        without,
        secret,
        unrelated_with,
        unrelated_without,
        ..
    } = draft_directories().await;
    // Any `ID` an input requires beside `id` names the partner's own organisation.
    let anchor = with
        .data(
            r#"{ organisation(slug: "metropole-du-grand-paris") { id } }"#,
            json!({}),
        )
        .await["organisation"]["id"]
        .clone();
    let mut mutations = mutations_naming_records(&with, &anchor).await;
    for (mutation, field) in [
        ("updatePartnership", "id"),
        ("updateEventParticipant", "id"),
        ("addOutcome", "initiative"),
        ("addCitation", "record"),
        ("createInitiative", "leads"),
        ("createEvent", "participants.city"),
    ] {
        assert!(
            mutations
                .iter()
                .any(|m| m.name == mutation && m.id_fields.iter().any(|f| f.path() == field)),
            "{mutation}.{field} is not walked"
        );
    }
    // Deletions last, so that a leaking one cannot hide another's leak.
    mutations.sort_by_key(|m| m.name.starts_with("delete") || m.name.starts_with("remove"));

    // Which fields found no record behind each of the draft's kinds: proof that the walk's
    // inputs pass validation and reach the record.
    let mut not_found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut leaks = Vec::new();
    for walked in &mutations {
        let Walked {
            name, input_type, ..
        } = walked;
        let query = format!(
            "mutation($input: {input_type}!) {{ {name}(input: $input) {{ {} }} }}",
            walked.selection
        );
        for id_field in &walked.id_fields {
            let field = id_field.path();
            for (kind, id) in &secret {
                let mut input = walked.input.clone();
                id_field.place(&mut input, id);
                let seen = write_answer(&with, &unrelated_with, &query, &input).await;
                let absent = write_answer(&without, &unrelated_without, &query, &input).await;
                if seen != absent {
                    leaks.push(format!(
                        "{name}.{field} = the draft's {kind}: {seen} / {absent}"
                    ));
                }
                if seen.to_string().contains("NOT_FOUND") {
                    not_found
                        .entry(kind)
                        .or_default()
                        .insert(format!("{name}.{field}"));
                }
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
            "only {found} input fields looked up the draft's {kind}: {not_found:?}"
        );
    }
}
