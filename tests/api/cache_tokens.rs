//! No kept answer reaches another token, whichever field it holds. The schema is walked by
//! introspection — every field of the query root, then every field of one record of each
//! kind through `node(id:)` — and each query is asked by two tokens that read the same
//! (two partners of one organisation, two editors, two admins): the second's answer, possibly
//! served from what the first was answered, must be what a server without a cache answers
//! it. A field added later that reads the token without going through `auth::caller` (which
//! keeps its answer for that token) fails here without editing this test.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tests::{TestApp, ids_in};

/// A field of the schema, from introspection.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    /// The named type it returns, and that type's kind.
    returns: String,
    kind: String,
    has_first: bool,
}

#[derive(Debug, Default)]
struct Type {
    kind: String,
    fields: Vec<Field>,
    possible: Vec<String>,
    is_node: bool,
}

async fn introspect(app: &TestApp) -> BTreeMap<String, Type> {
    let data = app
        .data(
            r#"{ __schema { types { name kind interfaces { name } possibleTypes { name }
                fields { name type { ...Ref } args { name defaultValue type { kind } } } } } }
               fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"#,
            json!({}),
        )
        .await;
    let named = |mut ty: &Value| loop {
        if let Some(name) = ty["name"].as_str() {
            return (name.to_owned(), ty["kind"].as_str().unwrap().to_owned());
        }
        ty = &ty["ofType"];
    };
    let mut types = BTreeMap::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap().to_owned();
        let mut info = Type {
            kind: ty["kind"].as_str().unwrap().to_owned(),
            possible: ty["possibleTypes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| t["name"].as_str().unwrap().to_owned())
                .collect(),
            is_node: ty["interfaces"]
                .as_array()
                .is_some_and(|i| i.iter().any(|i| i["name"] == "Node")),
            ..Type::default()
        };
        for field in ty["fields"].as_array().into_iter().flatten() {
            let args = field["args"].as_array().unwrap();
            if args
                .iter()
                .any(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null())
            {
                continue;
            }
            let (returns, kind) = named(&field["type"]);
            info.fields.push(Field {
                name: field["name"].as_str().unwrap().to_owned(),
                returns,
                kind,
                has_first: args.iter().any(|a| a["name"] == "first"),
            });
        }
        types.insert(name, info);
    }
    types
}

/// Every field of `type_name` that needs no argument, `depth` levels of records into what they
/// return.
fn every_field(types: &BTreeMap<String, Type>, type_name: &str, depth: usize) -> String {
    let Some(info) = types.get(type_name) else {
        return "__typename".to_owned();
    };
    let mut selection = String::from("__typename");
    if info.kind != "OBJECT" {
        for possible in &info.possible {
            let inner = every_field(types, possible, depth);
            selection.push_str(&format!(" ... on {possible} {{ {inner} }}"));
        }
        return selection;
    }
    // A page of records is not a level of its own: its records are (read as `nodes`).
    let wrapper = type_name.ends_with("Connection") || type_name.ends_with("Edge");
    for field in info
        .fields
        .iter()
        .filter(|f| !(wrapper && f.name == "edges"))
    {
        match field.kind.as_str() {
            "SCALAR" | "ENUM" => selection.push_str(&format!(" {}", field.name)),
            _ if depth > 0 || wrapper => {
                let page = if field.has_first { "(first: 3)" } else { "" };
                let next = if wrapper { depth } else { depth - 1 };
                let inner = every_field(types, &field.returns, next);
                selection.push_str(&format!(" {}{page} {{ {inner} }}", field.name));
            }
            _ => {}
        }
    }
    selection
}

/// The selections of `type_name`'s fields one by one (of its records', for a page of them),
/// each with the type name and id of what it is asked of: to be asked in groups that stay
/// under the query limits (`chunks`).
fn parts(types: &BTreeMap<String, Type>, type_name: &str, depth: usize) -> Vec<String> {
    let Some(info) = types.get(type_name) else {
        return vec!["__typename".to_owned()];
    };
    if info.kind != "OBJECT" {
        return vec![every_field(types, type_name, depth)];
    }
    let has_id = info.fields.iter().any(|f| f.name == "id");
    let own = if has_id {
        "__typename id"
    } else {
        "__typename"
    };
    let nodes = info.fields.iter().find(|f| f.name == "nodes");
    let mut parts = Vec::new();
    for field in &info.fields {
        match (field.kind.as_str(), nodes) {
            (_, Some(nodes)) if field.name == "nodes" => parts.extend(
                self::parts(types, &nodes.returns, depth)
                    .into_iter()
                    .map(|part| format!("nodes {{ {part} }}")),
            ),
            (_, Some(_)) if field.name == "edges" => {}
            ("SCALAR" | "ENUM", _) => parts.push(format!("{own} {}", field.name)),
            _ if depth > 0 => {
                let page = if field.has_first { "(first: 3)" } else { "" };
                let inner = every_field(types, &field.returns, depth - 1);
                parts.push(format!("{own} {}{page} {{ {inner} }}", field.name));
            }
            _ => {}
        }
    }
    parts
}

/// `parts` gathered into selections of at most about 300 fields each (the limit is 400).
fn chunks(parts: Vec<String>) -> Vec<String> {
    let fields = |text: &str| text.split_whitespace().count();
    let mut chunks: Vec<String> = Vec::new();
    for part in parts {
        match chunks.last_mut() {
            Some(chunk) if fields(chunk) + fields(&part) <= 300 => {
                chunk.push(' ');
                chunk.push_str(&part);
            }
            _ => chunks.push(part),
        }
    }
    chunks
}

/// An answer, its `x-cache` header aside.
async fn ask(app: &TestApp, token: &str, query: &str) -> (Value, String) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("the server answers");
    let cache = response
        .headers()
        .get("x-cache")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut body: Value = response.json().await.expect("a JSON body");
    // What differs from one request to the next by design, cached or not.
    if let Some(extensions) = body.get_mut("extensions") {
        *extensions = Value::Null;
    }
    for error in body["errors"].as_array_mut().into_iter().flatten() {
        error["extensions"]["requestId"] = Value::Null;
    }
    (body, cache)
}

#[tokio::test]
async fn no_kept_answer_reaches_another_token_whichever_field_holds_it() {
    let cached = TestApp::spawn().await;
    let plain = cached
        .spawn_beside(|config| config.cache.enabled = false)
        .await;
    let pairs = [("partner", Some("umq")), ("editor", None), ("admin", None)];
    let mut tokens = Vec::new();
    for (role, organisation) in pairs {
        let first = cached.token(role, organisation).await;
        let second = cached.token(role, organisation).await;
        tokens.push((role, first, second));
    }
    // Something only the first editor's token manages.
    let (_, created) = cached
        .post_as(
            &tokens[1].1,
            r#"mutation { createWebhookSubscription(input: { url: "https://hooks.example.org/cache", filter: {} }) { userErrors { code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["data"]["createWebhookSubscription"]["userErrors"],
        json!([]),
        "{created:#}"
    );
    // A first request of each token writes (its last use, a rate-limit lease): made here,
    // on both servers, before the requests compared.
    for (_, first, second) in &tokens {
        for app in [&cached, &plain] {
            ask(app, first, "{ __typename }").await;
            ask(app, second, "{ __typename }").await;
        }
    }

    let types = introspect(&cached).await;
    let root = &types["Query"];
    let mut queries: Vec<(String, String)> = Vec::new();
    for field in &root.fields {
        if field.name.starts_with("__") || field.name == "rateLimit" {
            continue;
        }
        let page = if field.has_first { "(first: 3)" } else { "" };
        match field.kind.as_str() {
            "SCALAR" | "ENUM" => queries.push((
                format!("Query.{}", field.name),
                format!("{{ {}{page} }}", field.name),
            )),
            _ => {
                for chunk in chunks(parts(&types, &field.returns, 1)) {
                    queries.push((
                        format!("Query.{}", field.name),
                        format!("{{ {}{page} {{ {chunk} }} }}", field.name),
                    ));
                }
            }
        }
    }
    let mut ids = BTreeSet::new();
    for (_, query) in &queries {
        ids_in(&ask(&cached, &tokens[2].1, query).await.0, &mut ids);
    }
    // Records of each kind, found in the answers, and in the answers about them in turn.
    let mut kinds_seen = BTreeSet::new();
    while !ids.is_empty() {
        let mut found = BTreeSet::new();
        for (kind, id) in std::mem::take(&mut ids) {
            if types.get(&kind).is_some_and(|t| t.is_node) && kinds_seen.insert(kind.clone()) {
                for chunk in chunks(parts(&types, &kind, 1)) {
                    let query = format!("{{ node(id: {id:?}) {{ ... on {kind} {{ {chunk} }} }} }}");
                    let (answer, _) = ask(&cached, &tokens[2].1, &query).await;
                    assert!(answer["errors"].is_null(), "{query}: {answer:#}");
                    ids_in(&answer, &mut found);
                    queries.push((kind.clone(), query));
                }
            }
        }
        ids = found;
    }
    let node_kinds = types
        .values()
        .filter(|t| t.is_node && t.kind == "OBJECT")
        .count();
    assert!(
        kinds_seen.len() * 3 >= node_kinds * 2,
        "records of most of the {node_kinds} kinds are reached: {kinds_seen:?}"
    );

    let mut crossed = Vec::new();
    let mut hits = 0;
    for (role, first, second) in &tokens {
        for (name, query) in &queries {
            ask(&cached, first, query).await;
            let (by_second, cache) = ask(&cached, second, query).await;
            let (fresh, _) = ask(&plain, second, query).await;
            hits += usize::from(cache == "hit");
            if by_second != fresh {
                crossed.push(format!("{role} {name}: {by_second} ≠ {fresh}"));
            }
        }
    }

    assert!(crossed.is_empty(), "{crossed:#?}");
    assert!(
        hits >= queries.len(),
        "the second token was served from the cache ({hits} hits of {} queries × 3)",
        queries.len()
    );
}
