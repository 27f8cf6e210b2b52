//! The one shape every test of an update takes: someone without a right over the record is
//! refused, a stale version is a `CONFLICT`, a change breaking a rule is refused as the
//! creation refuses it and changes nothing, the writer's change is stored with the next
//! version, and the audit trail records it with the record before and after.

use serde_json::{Value, json};
use tests::TestApp;

/// An update to try.
pub struct Update<'a> {
    /// The mutation (`updateCommitment`); its input type is the same name, capitalised, with
    /// `Input`.
    pub mutation: &'a str,
    /// The GraphQL type of the record, as `node(id:)` answers it.
    pub type_name: &'a str,
    /// The payload's field holding the record.
    pub field: &'a str,
    /// The record as read: its `id` and `version`.
    pub record: &'a Value,
    /// A token that may write it.
    pub writer: &'a str,
    /// A token that may not (a partner of another organisation): `FORBIDDEN`, or `NOT_FOUND`
    /// for a part of a draft it may not see.
    pub stranger: (&'a str, &'a str),
    /// The changes, without `id` and `version`.
    pub changes: Value,
    /// What to read of the record.
    pub selection: &'a str,
    /// What the record shows after the changes (a subset of `selection`).
    pub shown: Value,
    /// A change breaking a rule, and the code it is refused with.
    pub breaking: Option<(Value, &'a str)>,
    /// The action the audit trail records.
    pub action: &'a str,
}

/// Runs the update's checks; `admin` reads the audit trail.
pub async fn check(app: &TestApp, admin: &str, case: Update<'_>) {
    let Update {
        mutation,
        type_name,
        field,
        record,
        writer,
        stranger,
        changes,
        selection,
        shown,
        breaking,
        action,
    } = case;
    let input_type = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {field} {{ {selection} }} userErrors {{ field code message }} }} }}"
    );
    let write = |token: &str, input: Value| {
        let (token, query) = (token.to_owned(), query.clone());
        async move {
            app.post_as(&token, &query, json!({ "input": input }))
                .await
                .1
        }
    };
    let stored = || async {
        let (_, body) = app
            .post_as(
                admin,
                &format!(
                    "query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {selection} }} }} }}"
                ),
                json!({ "id": record["id"] }),
            )
            .await;
        body["data"]["node"].clone()
    };
    let with_key = |changes: &Value, version: Value| {
        let mut input = changes.clone();
        input["id"] = record["id"].clone();
        input["version"] = version;
        input
    };
    let unchanged = stored().await;
    assert!(unchanged.is_object(), "{mutation}: the record is there");

    // Someone without a right over it.
    let (token, code) = stranger;
    let body = write(token, with_key(&changes, record["version"].clone())).await;
    let refusal = match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => body["data"][mutation]["userErrors"][0]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    };
    assert_eq!(refusal, code, "{mutation} by a stranger: {body:#}");

    // A stale version.
    let body = write(writer, with_key(&changes, json!(99))).await;
    assert_eq!(
        body["data"][mutation]["userErrors"][0]["code"], "CONFLICT",
        "{mutation}: {body:#}"
    );
    assert_eq!(
        body["data"][mutation]["userErrors"][0]["field"],
        json!(["input", "version"])
    );

    // A change breaking a rule.
    if let Some((breaking, code)) = breaking {
        let body = write(writer, with_key(&breaking, record["version"].clone())).await;
        assert_eq!(
            body["data"][mutation]["userErrors"][0]["code"], code,
            "{mutation}: {body:#}"
        );
    }
    assert_eq!(stored().await, unchanged, "{mutation}: nothing changed yet");

    // The writer's change.
    let body = write(writer, with_key(&changes, record["version"].clone())).await;
    assert_eq!(
        body["data"][mutation]["userErrors"],
        json!([]),
        "{mutation}: {body:#}"
    );
    let written = stored().await;
    assert_eq!(written, body["data"][mutation][field], "{mutation}");
    let version = record["version"].as_i64().unwrap();
    assert_eq!(written["version"], json!(version + 1), "{mutation}");
    for (key, value) in shown.as_object().unwrap() {
        assert_eq!(&written[key], value, "{mutation}.{key}: {body:#}");
    }

    // The audit trail has the change, with the record before and after.
    let (_, audit) = app
        .post_as(
            admin,
            "query($action: String!) { auditEvents(first: 100, filter: { action: $action }) { nodes { actorName before after } } }",
            json!({ "action": action }),
        )
        .await;
    let events = audit["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{mutation}: {audit:#}"))
        .clone();
    let recorded = events.iter().any(|event| {
        let read = |side: &str| -> Value {
            serde_json::from_str(event[side].as_str().unwrap_or("null")).unwrap_or(Value::Null)
        };
        read("before")["version"] == json!(version)
            && read("after")["version"] == json!(version + 1)
    });
    assert!(recorded, "{mutation}: no {action} event: {events:#?}");
}
