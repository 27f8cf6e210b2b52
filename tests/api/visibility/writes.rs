//! Nothing of a draft is written, nor linked to, by those who may not see it: every input
//! field of every mutation that names a record (the `id` an update or a deletion changes, the
//! parent a part hangs from, a record a citation or a purchase points at…), found by
//! introspection, is sent each of the draft's ids by a partner of an organisation that owns
//! nothing, and must answer exactly as it does for the same id in the directory without the draft —
//! code, field and message. A mutation or a field added later is walked without editing this
//! test.
//!
//! So that each field is reached, the input's other fields name visible records of the kinds
//! they expect, learnt from the answers (`INVALID`: "expected the id of a T"); where a field's
//! own kind is learnt, the draft's record of that kind must be `NOT_FOUND` on that very field.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tests::{TestApp, ids_in};

use super::{Draft, Schema, answer, draft_directories, ids_of, relation_queries};

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
    /// The type of each of the input's own fields.
    field_types: BTreeMap<String, Value>,
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
        let name = mutation["name"].as_str().unwrap();
        let arguments = mutation["args"].as_array().unwrap();
        // The walk reads one shape, `(input: …)`: a mutation that names records otherwise
        // fails here rather than go unwalked.
        let [argument] = arguments.as_slice() else {
            let names_records = arguments.iter().any(|a| {
                named(&a["type"]) == "ID" || types[named(&a["type"])]["kind"] == "INPUT_OBJECT"
            });
            assert!(
                !names_records,
                "{name} takes arguments the walk does not read"
            );
            continue;
        };
        let input_type = named(&argument["type"]);
        let info = &types[input_type];
        let id_fields = id_fields(&types, info, anchor);
        if id_fields.is_empty() {
            continue;
        }
        assert_eq!(
            argument["name"], "input",
            "{name} takes its input under another name"
        );
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
            field_types: info["inputFields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["name"].as_str().unwrap().to_owned(), f["type"].clone()))
                .collect(),
        });
    }
    walked
}

/// One record of every type the caller sees in `app`, found by walking its root fields, then
/// every relation of one record of each type found, until no new type appears: what fills the
/// fields of an input beside the one walked.
async fn visible_records(
    app: &TestApp,
    token: &str,
    schema: &Schema,
    query_type: &str,
) -> BTreeMap<String, String> {
    let mut records: BTreeMap<String, String> = BTreeMap::new();
    let mut queries: Vec<String> = schema[query_type]
        .relations
        .iter()
        .map(|(name, returns, first)| {
            let page = if *first { "(first: 5)" } else { "" };
            format!("{{ {name}{page} {{ {} }} }}", ids_of(schema, returns, 1))
        })
        .collect();
    while !queries.is_empty() {
        let mut found = BTreeSet::new();
        for query in &queries {
            ids_in(&answer(app, Some(token), query).await, &mut found);
        }
        queries = Vec::new();
        for (kind, id) in found {
            if let std::collections::btree_map::Entry::Vacant(entry) = records.entry(kind) {
                queries.extend(relation_queries(schema, entry.key(), &id));
                entry.insert(id);
            }
        }
    }
    records
}

/// The type the input field `field` expects, as the answer's `INVALID` on it says: "expected
/// the id of a T, got the id of a U" (`reference::input_ref`).
fn expected_type(answer: &Value, mutation: &str, field: &str) -> Option<String> {
    let errors = answer["data"][mutation]["userErrors"].as_array()?;
    errors.iter().find_map(|error| {
        if error["code"] != "INVALID" || error["field"] != json!(["input", field]) {
            return None;
        }
        let message = error["message"].as_str()?;
        let expected = message.strip_prefix("expected the id of a ")?;
        Some(expected.split(',').next()?.to_owned())
    })
}

/// `input` with each of its own fields that names a record of the wrong type given a visible
/// record of the type it expects, as its answers say, one field after another; and the types
/// so learnt, by field.
async fn settle(
    (app, token, query): (&TestApp, &str, &str),
    walked: &Walked,
    mut input: Value,
    visible: &BTreeMap<String, String>,
) -> (Value, BTreeMap<String, String>) {
    let mut learnt = BTreeMap::new();
    for _ in 0..8 {
        let answer = write_answer(app, token, query, &input).await;
        let mut changed = false;
        for (field, ty) in &walked.field_types {
            let Some(expected) = expected_type(&answer, &walked.name, field) else {
                continue;
            };
            if let Some(id) = visible.get(&expected) {
                input[field] = wrap(ty, json!(id));
                changed = true;
            }
            learnt.insert(field.clone(), expected);
        }
        if !changed {
            break;
        }
    }
    (input, learnt)
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
        editor,
        secret,
        schema,
        query_type,
        ..
    } = draft_directories().await;
    // The caller: a partner of an organisation that owns nothing, acts for no city and is no
    // party to anything, in both directories — so that no write of the walk goes through and
    // takes an id the draft's records hold in the other directory.
    let editor_without = without.token("editor", None).await;
    for (app, token) in [(&with, &editor), (&without, &editor_without)] {
        let (_, body) = app
            .post_as(
                token,
                "mutation($input: OrganisationProfile!) { createOrganisation(input: $input) { organisation { id } } }",
                json!({ "input": { "slug": "observatoire-independant", "name": "Observatoire indépendant",
                    "kind": "OTHER", "country": "FR" } }),
            )
            .await;
        assert!(
            body["data"]["createOrganisation"]["organisation"]["id"].is_string(),
            "{body:#}"
        );
    }
    let unrelated_with = with
        .token("partner", Some("observatoire-independant"))
        .await;
    let unrelated_without = without
        .token("partner", Some("observatoire-independant"))
        .await;
    // Any `ID` an input requires names an organisation the caller does not write for.
    let anchor = with
        .data(r#"{ organisation(slug: "iveo") { id } }"#, json!({}))
        .await["organisation"]["id"]
        .clone();
    let mut visible = visible_records(&without, &unrelated_without, &schema, &query_type).await;
    visible.insert(
        "Organisation".to_owned(),
        anchor.as_str().unwrap().to_owned(),
    );
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

    // Where a field's type is learnt, the draft's record of that type must be NOT_FOUND on that
    // very field: proof that the walk's inputs reach it.
    let mut not_found: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut leaks = Vec::new();
    let mut unreached = Vec::new();
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
            let mut probe = walked.input.clone();
            id_field.place(&mut probe, anchor.as_str().unwrap());
            let on = (&without, unrelated_without.as_str(), query.as_str());
            let (settled, learnt) = settle(on, walked, probe, &visible).await;
            for (kind, id) in &secret {
                let mut input = settled.clone();
                id_field.place(&mut input, id);
                let seen = write_answer(&with, &unrelated_with, &query, &input).await;
                let absent = write_answer(&without, &unrelated_without, &query, &input).await;
                if seen != absent {
                    leaks.push(format!(
                        "{name}.{field} = the draft's {kind}: {seen} / {absent}"
                    ));
                }
                if learnt.get(&field) != Some(kind) {
                    continue;
                }
                let errors = &absent["data"][name]["userErrors"];
                let found = errors.as_array().into_iter().flatten().any(|error| {
                    error["code"] == "NOT_FOUND" && error["field"] == json!(["input", field])
                });
                if found {
                    not_found
                        .entry(kind)
                        .or_default()
                        .insert(format!("{name}.{field}"));
                } else {
                    unreached.push(format!("{name}.{field} = {kind}: {absent}"));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "answers otherwise than on no record (with the draft / without):\n{}",
        leaks.join("\n")
    );
    assert!(
        unreached.is_empty(),
        "fields that take the draft's kind but did not look it up:\n{}",
        unreached.join("\n")
    );
    for kind in secret.iter().map(|(kind, _)| kind.as_str()) {
        assert!(
            not_found.contains_key(kind),
            "no input field looked up the draft's {kind}: {not_found:?}"
        );
    }
    // Fields reached only once the fields before them name records of the right kind.
    let reached: BTreeSet<&String> = not_found.values().flatten().collect();
    for field in [
        "addSignatory.party",
        "addCommitment.domain",
        "addReportIndicator.report",
        "addRecognition.initiative",
        "updateStatement.about",
        "updatePartnershipParty.sideOf",
    ] {
        assert!(
            reached.contains(&field.to_owned()),
            "{field} was not reached: {reached:?}"
        );
    }
}
