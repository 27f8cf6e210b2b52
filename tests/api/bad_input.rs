//! Bad input is the caller's error, named, on both stores: never `INTERNAL`, never a write.
//! A NUL character (which PostgreSQL cannot store), a cursor edited to another kind of value,
//! a number past GraphQL's 32-bit `Int`, dates spelled oddly.

use base64::Engine;
use serde_json::{Value, json};
use tests::TestApp;

/// The error of a request refused for bad input: its code and the argument it names.
#[track_caller]
fn refused(body: &Value) -> (String, String) {
    let error = &body["errors"][0];
    assert!(error.is_object(), "no error: {body}");
    let code = error["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_ne!(code, "INTERNAL", "{body:#}");
    let argument = error["extensions"]["argument"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (code, argument)
}

#[tokio::test]
async fn a_nul_character_anywhere_is_refused_naming_where() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    // In a variable, in a literal, in a filter, in a nested input, in a mutation.
    let cases = [
        (
            "query($s: String) { cities(filter: { search: $s }) { totalCount } }",
            json!({ "s": "ly\u{0}on" }),
            "$s",
        ),
        (
            r#"{ cities(filter: { search: "ly\u0000on" }) { totalCount } }"#,
            json!({}),
            "filter",
        ),
        (
            r#"{ city(slug: "lyon\u0000") { name } }"#,
            json!({}),
            "slug",
        ),
        (
            "query($f: CityFilter) { cities(filter: $f) { totalCount } }",
            json!({ "f": { "subdivisions": ["FR-69", "FR-\u{0}"] } }),
            "$f",
        ),
        (
            r#"query($s: String = "ly\u0000on") { cities(filter: { search: $s }) { totalCount } }"#,
            json!({}),
            "$s",
        ),
        (
            "mutation($input: OrganisationProfile!) { createOrganisation(input: $input) { organisation { slug } } }",
            json!({ "input": { "slug": "nul", "name": "Nul\u{0}", "kind": "MUNICIPAL_ASSOCIATION", "country": "CA" } }),
            "$input",
        ),
    ];
    for (query, variables, argument) in cases {
        let (_, body) = app.post_as(&editor, query, variables).await;
        assert_eq!(
            refused(&body),
            ("BAD_USER_INPUT".to_owned(), argument.to_owned()),
            "{query}: {body:#}"
        );
        assert!(body.get("data").is_none_or(Value::is_null), "{body:#}");
    }
    // Nothing was written.
    let data = app
        .data(r#"{ organisation(slug: "nul") { name } }"#, json!({}))
        .await;
    assert!(data["organisation"].is_null());
}

#[tokio::test]
async fn a_cursor_edited_to_another_kind_of_value_is_refused() {
    let app = TestApp::spawn().await;
    let forged = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    for (order, cursor) in [
        ("{ field: NAME }", forged("NAME|i|5|3")),
        ("{ field: NAME }", forged("NAME|t|2026-01-01T00:00:00Z|3")),
        ("{ field: POPULATION }", forged("POPULATION|s|lyon|3")),
        (
            "{ field: POPULATION }",
            forged("POPULATION|i|99999999999999999999|3"),
        ),
        ("{ field: UPDATED_AT }", forged("UPDATED_AT|s|x|3")),
        ("{ field: NAME }", forged("NAME|s|x|99999999999999999999")),
    ] {
        let query =
            format!("{{ cities(orderBy: {order}, after: {cursor:?}) {{ nodes {{ name }} }} }}");
        let body = app.post(&query, json!({})).await;
        assert_eq!(
            refused(&body),
            ("BAD_USER_INPUT".to_owned(), "after".to_owned()),
            "{order} {cursor}: {body:#}"
        );
    }
    // A nested list's cursor, edited.
    let body = app
        .post(
            &format!(
                r#"{{ organisation(slug: "umq") {{ members(after: {:?}) {{ totalCount }} }} }}"#,
                forged("NATURAL|s|x|3")
            ),
            json!({}),
        )
        .await;
    assert_eq!(refused(&body).0, "BAD_USER_INPUT", "{body:#}");
}

#[tokio::test]
async fn numbers_past_a_graphql_int_are_refused() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = "mutation($input: CreateCityInput!) { createCity(input: $input) { city { population } userErrors { field code } } }";
    let (_, body) = app
        .post_as(
            &editor,
            create,
            json!({ "input": { "slug": "huge", "name": "Huge", "country": "FR", "population": 3_000_000_000_i64 } }),
        )
        .await;
    assert_eq!(refused(&body).0, "BAD_USER_INPUT", "{body:#}");
    let literal = r#"mutation { createCity(input: { slug: "huge", name: "Huge", country: FR, population: 3000000000 }) { city { population } } }"#;
    let (_, body) = app.post_as(&editor, literal, json!({})).await;
    assert_eq!(refused(&body).0, "BAD_USER_INPUT", "{body:#}");
    let data = app
        .data(r#"{ city(slug: "huge") { name } }"#, json!({}))
        .await;
    assert!(data["city"].is_null());
    // The largest Int is a population like any other.
    let (_, body) = app
        .post_as(
            &editor,
            create,
            json!({ "input": { "slug": "huge", "name": "Huge", "country": "FR", "population": i32::MAX } }),
        )
        .await;
    assert_eq!(
        body["data"]["createCity"]["city"]["population"],
        i32::MAX,
        "{body:#}"
    );
}

#[tokio::test]
async fn dates_spelled_oddly_are_refused_naming_the_argument() {
    let app = TestApp::spawn().await;
    for spelling in [
        "2026-13-45T00:00:00Z",
        "2026-02-30T00:00:00Z",
        "99999-01-01T00:00:00Z",
        "yesterday",
        "2026-12-03T25:61:00Z",
        "",
    ] {
        let body = app
            .post(
                "query($since: DateTime) { cities(first: 1, filter: { updatedSince: $since }) { totalCount } }",
                json!({ "since": spelling }),
            )
            .await;
        assert_eq!(refused(&body).0, "BAD_USER_INPUT", "{spelling}: {body:#}");
    }
    for on in [
        "2026-02-30",
        "2026-13-01",
        "tomorrow",
        "2026-12-03T00:00:00Z",
    ] {
        let body = app
            .post(
                r#"query($on: Date) { city(slug: "terrebonne") { mayor(on: $on) { id } } }"#,
                json!({ "on": on }),
            )
            .await;
        assert_eq!(refused(&body).0, "BAD_USER_INPUT", "{on}: {body:#}");
    }
}
