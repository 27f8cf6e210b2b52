//! Puts every object of a response in the order its query asked for the fields.
//!
//! async-graphql 7 resolves an object's fields side by side and inserts each one when it
//! completes (async-graphql#612), so `{ name mayor slug }` came back as name, slug, mayor:
//! plain fields first, then the loaded ones in the order their batches finished. The spec says
//! a response *should* follow the query, and GraphiQL users read it that way. Objects already
//! in order are left as they are; only the others are rebuilt.

use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, FragmentDefinition, Selection, SelectionSet,
};
use async_graphql::{Name, Positioned, Value};
use std::collections::HashMap;

type Fragments = HashMap<Name, Positioned<FragmentDefinition>>;

/// Reorders `data`, the answer to `operation_name` in `document`, into the query's order.
pub fn in_query_order(
    document: &ExecutableDocument,
    operation_name: Option<&str>,
    data: &mut Value,
) {
    let operation = match (&document.operations, operation_name) {
        (DocumentOperations::Single(operation), _) => operation,
        (DocumentOperations::Multiple(operations), Some(name)) => match operations.get(name) {
            Some(operation) => operation,
            None => return,
        },
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            match operations.values().next() {
                Some(operation) => operation,
                None => return,
            }
        }
        _ => return,
    };
    order(
        data,
        &[&operation.node.selection_set.node],
        &document.fragments,
    );
}

/// Orders `value` (an object, or a list of them at any depth) by the selection sets that
/// asked for it: several when fields of the same name are merged.
fn order(value: &mut Value, sets: &[&SelectionSet], fragments: &Fragments) {
    let mut fields = Vec::new();
    for set in sets {
        collect(set, fragments, &mut fields, 0);
    }
    apply(value, &fields, fragments);
}

/// Puts `value`'s keys in the order of `fields`, then does the same below each of them.
fn apply(value: &mut Value, fields: &[(&str, Vec<&SelectionSet>)], fragments: &Fragments) {
    match value {
        Value::List(items) => {
            for item in items {
                apply(item, fields, fragments);
            }
        }
        Value::Object(object) => {
            if !in_order(object, fields) {
                let mut ordered = IndexMap::with_capacity(object.len());
                for (key, _) in fields {
                    if let Some((key, value)) = object.swap_remove_entry(*key) {
                        ordered.insert(key, value);
                    }
                }
                // Nothing should be left; if something is, it keeps its place at the end.
                ordered.extend(object.drain(..));
                *object = ordered;
            }
            for (key, children) in fields {
                if !children.is_empty()
                    && let Some(value) = object.get_mut(*key)
                {
                    order(value, children, fragments);
                }
            }
        }
        _ => {}
    }
}

/// How deep fragment spreads may nest here: validation refuses cycles before execution, this
/// only keeps a malformed document from looping.
const MAX_FRAGMENT_DEPTH: usize = 64;

/// The response keys a selection set asks for, in order and once each, with the selection sets
/// below each key (fragments flattened).
fn collect<'a>(
    set: &'a SelectionSet,
    fragments: &'a Fragments,
    fields: &mut Vec<(&'a str, Vec<&'a SelectionSet>)>,
    depth: usize,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.as_str();
                let children = &field.node.selection_set.node;
                let at = match fields.iter().position(|(known, _)| *known == key) {
                    Some(at) => at,
                    None => {
                        fields.push((key, Vec::new()));
                        fields.len() - 1
                    }
                };
                if !children.items.is_empty() {
                    fields[at].1.push(children);
                }
            }
            Selection::FragmentSpread(spread) if depth < MAX_FRAGMENT_DEPTH => {
                if let Some(fragment) = fragments.get(&spread.node.fragment_name.node) {
                    collect(
                        &fragment.node.selection_set.node,
                        fragments,
                        fields,
                        depth + 1,
                    );
                }
            }
            Selection::InlineFragment(inline) if depth < MAX_FRAGMENT_DEPTH => {
                collect(
                    &inline.node.selection_set.node,
                    fragments,
                    fields,
                    depth + 1,
                );
            }
            _ => {}
        }
    }
}

/// Whether the keys of `object` already come in the order of `fields`.
fn in_order(object: &IndexMap<Name, Value>, fields: &[(&str, Vec<&SelectionSet>)]) -> bool {
    let mut expected = fields.iter().map(|(key, _)| *key);
    object
        .keys()
        .all(|key| expected.any(|wanted| wanted == key.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of the object at `path` (object keys, or list indexes).
    fn keys(value: &Value, path: &str) -> Vec<String> {
        let mut value = value;
        for step in path.split('.').filter(|step| !step.is_empty()) {
            value = match value {
                Value::Object(object) => &object[step],
                Value::List(items) => &items[step.parse::<usize>().unwrap()],
                other => panic!("nothing at {step} in {other}"),
            };
        }
        match value {
            Value::Object(object) => object.keys().map(|k| k.to_string()).collect(),
            other => panic!("not an object: {other}"),
        }
    }

    fn reordered(query: &str, operation: Option<&str>, data: serde_json::Value) -> Value {
        let document = async_graphql::parser::parse_query(query).unwrap();
        let mut data = Value::from_json(data).unwrap();
        in_query_order(&document, operation, &mut data);
        data
    }

    #[test]
    fn fields_come_in_the_order_of_the_query_at_every_level() {
        let data = reordered(
            "{ city { name mayor { person { fullName } id } slug } }",
            None,
            serde_json::json!({ "city": { "name": "A", "slug": "a",
                "mayor": { "id": "m", "person": { "fullName": "P" } } } }),
        );
        assert_eq!(keys(&data, "city"), ["name", "mayor", "slug"]);
        assert_eq!(keys(&data, "city.mayor"), ["person", "id"]);
    }

    #[test]
    fn fragments_aliases_and_lists_follow_the_query_too() {
        let data = reordered(
            "query Q { cities { nodes { ...Names here: slug ... on City { population } } } }
             fragment Names on City { name otherNames }",
            Some("Q"),
            serde_json::json!({ "cities": { "nodes": [
                { "population": 1, "here": "a", "otherNames": [], "name": "A" },
                { "here": "b", "population": 2, "name": "B", "otherNames": [] } ] } }),
        );
        for city in ["cities.nodes.0", "cities.nodes.1"] {
            assert_eq!(
                keys(&data, city),
                ["name", "otherNames", "here", "population"]
            );
        }
    }

    #[test]
    fn a_field_asked_for_twice_keeps_its_first_place_and_both_selections() {
        let data = reordered(
            "{ city { mayor { id } name mayor { person { fullName } } } }",
            None,
            serde_json::json!({ "city": { "name": "A",
                "mayor": { "person": { "fullName": "P" }, "id": "m" } } }),
        );
        assert_eq!(keys(&data, "city"), ["mayor", "name"]);
        assert_eq!(keys(&data, "city.mayor"), ["id", "person"]);
    }
}
