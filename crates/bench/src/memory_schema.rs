//! The in-memory baseline: an async-graphql schema that answers a query with the data of a
//! response captured from the directory, field by field through async-graphql's executor,
//! with no database. Each JSON object of the response becomes an object type whose fields
//! resolve to the stored values, so the baseline pays what async-graphql costs for the same
//! response shape (parsing, validation, one resolver per field, serialisation) and nothing
//! else. Arguments do not exist in it: the query it runs is the original with its argument
//! lists removed (`strip_arguments`).

use std::sync::Arc;

use async_graphql::Value;
use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, Schema, TypeRef};
use serde_json::Value as Json;

/// A captured response value, shared by the resolvers without copying.
enum Node {
    Object(Vec<(String, Arc<Node>)>),
    List(Vec<Arc<Node>>),
    Scalar(Value),
}

impl Node {
    fn from_json(json: &Json) -> Arc<Node> {
        Arc::new(match json {
            Json::Object(map) => Node::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), Node::from_json(value)))
                    .collect(),
            ),
            Json::Array(items) => Node::List(items.iter().map(Node::from_json).collect()),
            other => Node::Scalar(Value::from_json(other.clone()).unwrap_or(Value::Null)),
        })
    }

    fn get(&self, key: &str) -> Option<&Arc<Node>> {
        match self {
            Node::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// The shape of a value across every place it occurs (list items are merged).
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Unknown,
    Scalar(&'static str),
    List(Box<Shape>),
    Object(Vec<(String, Shape)>),
}

impl Shape {
    fn of(json: &Json) -> Shape {
        match json {
            Json::Null => Shape::Unknown,
            Json::Bool(_) => Shape::Scalar(TypeRef::BOOLEAN),
            Json::Number(n) if n.is_i64() => Shape::Scalar(TypeRef::INT),
            Json::Number(_) => Shape::Scalar(TypeRef::FLOAT),
            Json::String(_) => Shape::Scalar(TypeRef::STRING),
            Json::Array(items) => Shape::List(Box::new(
                items
                    .iter()
                    .fold(Shape::Unknown, |shape, item| shape.merge(Shape::of(item))),
            )),
            Json::Object(map) => Shape::Object(
                map.iter()
                    .map(|(key, value)| (key.clone(), Shape::of(value)))
                    .collect(),
            ),
        }
    }

    fn merge(self, other: Shape) -> Shape {
        match (self, other) {
            (Shape::Unknown, other) | (other, Shape::Unknown) => other,
            (Shape::List(a), Shape::List(b)) => Shape::List(Box::new(a.merge(*b))),
            (Shape::Object(mut a), Shape::Object(b)) => {
                for (key, shape) in b {
                    match a.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, existing)) => {
                            *existing = std::mem::replace(existing, Shape::Unknown).merge(shape)
                        }
                        None => a.push((key, shape)),
                    }
                }
                Shape::Object(a)
            }
            (Shape::Scalar(a), Shape::Scalar(b)) if a == b => Shape::Scalar(a),
            // An Int in one place and a Float in another is a Float.
            (Shape::Scalar(_), Shape::Scalar(_)) => Shape::Scalar(TypeRef::FLOAT),
            (a, _) => a,
        }
    }
}

/// Declares the object types of `shape` (named after their path) and returns the type of a
/// field holding it. Every field is nullable, as in a captured response anything may be null.
fn declare(name: &str, shape: &Shape, objects: &mut Vec<Object>) -> TypeRef {
    match shape {
        Shape::Unknown => TypeRef::named(TypeRef::STRING),
        Shape::Scalar(scalar) => TypeRef::named(*scalar),
        Shape::List(item) => {
            let item = declare(name, item, objects);
            TypeRef::List(Box::new(item))
        }
        Shape::Object(fields) => {
            let mut object = Object::new(name);
            for (key, field_shape) in fields {
                let field_type = declare(&format!("{name}_{key}"), field_shape, objects);
                let key = key.clone();
                object = object.field(Field::new(key.clone(), field_type, move |ctx| {
                    let key = key.clone();
                    FieldFuture::new(async move {
                        let parent = ctx.parent_value.try_downcast_ref::<Arc<Node>>()?;
                        Ok(parent.get(&key).and_then(field_value))
                    })
                }));
            }
            objects.push(object);
            TypeRef::named(name)
        }
    }
}

/// What a resolver returns for a stored node: an object to resolve further, a list, a value.
fn field_value(node: &Arc<Node>) -> Option<FieldValue<'static>> {
    match node.as_ref() {
        Node::Scalar(Value::Null) => None,
        Node::Scalar(value) => Some(FieldValue::value(value.clone())),
        Node::Object(_) => Some(FieldValue::owned_any(node.clone())),
        Node::List(items) => Some(FieldValue::list(
            items
                .iter()
                .map(|item| field_value(item).unwrap_or(FieldValue::NULL)),
        )),
    }
}

/// A schema whose root answers with `data`, the `data` of a captured response.
pub fn schema_for(data: &Json) -> Result<Schema, String> {
    let root = Node::from_json(data);
    let Shape::Object(fields) = Shape::of(data) else {
        return Err("a response's data is an object".into());
    };
    let mut objects = Vec::new();
    let mut query = Object::new("Query");
    for (key, shape) in &fields {
        let field_type = declare(&format!("Query_{key}"), shape, &mut objects);
        let value = root.get(key).cloned();
        query = query.field(Field::new(key.clone(), field_type, move |_| {
            let value = value.clone();
            FieldFuture::new(async move { Ok(value.as_ref().and_then(field_value)) })
        }));
    }
    let mut builder = Schema::build("Query", None, None).register(query);
    for object in objects {
        builder = builder.register(object);
    }
    builder.finish().map_err(|e| e.to_string())
}

/// The query without its argument lists, variable definitions and inline fragments:
/// `cities(first: 20) { … }` becomes `cities { … }`, and `member { ... on City { name } }`
/// becomes `member { name }` (the in-memory schema has one object type per place). Strings
/// are kept as they are.
pub fn strip_arguments(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    // For each open brace: whether it opened an inline fragment, whose closing brace goes too.
    let mut braces: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if in_comment {
            if c == '\n' {
                in_comment = false;
                out.push(c);
            }
            continue;
        }
        if in_string {
            if depth == 0 {
                out.push(c);
            }
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '#' => in_comment = true,
            '"' => {
                in_string = true;
                if depth == 0 {
                    out.push(c);
                }
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '.' if depth == 0 && chars[i..].starts_with(&['.', '.']) => {
                // `... on Type {`: skip up to and including the brace.
                let rest: String = chars[i + 2..].iter().collect();
                let trimmed = rest.trim_start();
                if let Some(after_on) = trimmed.strip_prefix("on")
                    && let Some(open) = after_on.find('{')
                {
                    let skipped = rest.len() - trimmed.len() + 2 + open + 1;
                    i += 2 + rest[..skipped].chars().count();
                    braces.push(true);
                } else {
                    out.push_str("...");
                    i += 2;
                }
            }
            '{' if depth == 0 => {
                braces.push(false);
                out.push(c);
            }
            // The closing brace of an inline fragment goes with it.
            '}' if depth == 0 && braces.pop().unwrap_or(false) => {}
            '}' if depth == 0 => out.push(c),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_comments_and_inline_fragments_go_strings_stay() {
        assert_eq!(
            strip_arguments(
                "query Q($a: Int) { cities(first: 20, filter: { search: \"(x)\" }) { name } } # (c)"
            ),
            "query Q { cities { name } } "
        );
        assert_eq!(
            strip_arguments("{ m { member { ... on City { name } } } }"),
            "{ m { member {  name  } } }"
        );
    }

    #[tokio::test]
    async fn the_schema_answers_with_the_captured_data() {
        let data = serde_json::json!({
            "cities": { "nodes": [
                { "name": "Paris", "population": 2133111, "mayor": null },
                { "name": "Lyon", "population": 522250, "mayor": { "person": { "fullName": "G. D." } } },
            ] }
        });
        let schema = schema_for(&data).unwrap();
        let response = schema
            .execute("{ cities { nodes { name population mayor { person { fullName } } } } }")
            .await;
        assert!(response.errors.is_empty(), "{:?}", response.errors);
        assert_eq!(
            serde_json::to_value(&response.data).unwrap(),
            data,
            "the same data back"
        );
    }
}
