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

/// Every list filter that takes a record's slug, as (list, filter field, takes a list).
const SLUG_FILTERS: &[(&str, &str, bool)] = &[
    ("cities", "memberOf", false),
    ("cities", "boroughOf", false),
    ("organisations", "memberOf", false),
    ("organisations", "themes", true),
    ("partnerships", "themes", true),
    ("groupPurchases", "organiser", false),
    ("groupPurchases", "themes", true),
    ("themes", "parent", false),
    ("programmes", "organiser", false),
    ("programmes", "participantCity", false),
    ("programmes", "themes", true),
    ("awards", "organiser", false),
    ("awards", "themes", true),
    ("diagnosticTools", "publisher", false),
    ("events", "organiser", false),
    ("events", "programme", false),
    ("events", "partnership", false),
    ("initiatives", "themes", true),
    ("initiatives", "city", false),
    ("initiatives", "programme", false),
    ("initiatives", "partnership", false),
    ("initiatives", "provider", false),
];

/// The first error of `list(filter: { field: slug })` (a one-slug list when it takes a list).
async fn filter_error(
    app: &TestApp,
    token: Option<&str>,
    list: &str,
    field: &str,
    many: bool,
    slug: &str,
) -> Value {
    let value = if many { json!([slug]) } else { json!(slug) };
    let query = format!("{{ {list}(filter: {{ {field}: {value} }}) {{ totalCount }} }}");
    let body = match token {
        Some(token) => app.post_as(token, &query, json!({})).await.1,
        None => app.post(&query, json!({})).await,
    };
    let mut error = body["errors"][0].clone();
    if let Some(extensions) = error.get_mut("extensions").and_then(Value::as_object_mut) {
        extensions.remove("requestId");
    }
    error
}

#[tokio::test]
async fn an_unknown_slug_in_any_list_filter_is_bad_user_input_naming_the_argument_and_the_value() {
    // Arrange
    let app = TestApp::spawn().await;

    for (list, field, many) in SLUG_FILTERS {
        // Act
        let error = filter_error(&app, None, list, field, *many, "nowhere-at-all").await;

        // Assert
        assert_eq!(
            error["extensions"]["code"], "BAD_USER_INPUT",
            "{list}.{field}: {error:#}"
        );
        assert_eq!(
            error["extensions"]["argument"],
            format!("filter.{field}"),
            "{list}.{field}: {error:#}"
        );
        assert_eq!(
            error["message"],
            format!(r#"filter.{field}: nothing here has the slug "nowhere-at-all""#),
            "{list}.{field}"
        );
    }
    // Among known themes, the unknown one is named.
    let body = app
        .post(
            r#"{ partnerships(filter: { themes: ["transition-climatique-ecologique", "nulle-part"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(body["data"], Value::Null);
    assert_eq!(body["errors"][0]["extensions"]["argument"], "filter.themes");
    assert_eq!(
        body["errors"][0]["message"],
        r#"filter.themes: nothing here has the slug "nulle-part""#
    );
    // Known slugs still filter.
    let known = app
        .data(
            r#"{ partnerships(filter: { themes: ["transition-climatique-ecologique"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert!(known["partnerships"]["totalCount"].as_u64().unwrap() > 0);
}

/// A draft partnership only its parties' partners and editors see.
const DRAFT: &str = r#"
[source]
slug = "filter-draft-fixture"
kind = "other"
title = "Filter draft fixture"

[[partnership]]
slug = "brouillon-filtre"
title = "Entente en préparation"
kind = "cooperation_protocol"
status = "draft"
start = "2025"

[[partnership.party]]
key = "terrebonne"
city = "terrebonne"
role = "party"
"#;

#[tokio::test]
async fn a_filter_on_a_hidden_draft_answers_exactly_as_one_on_an_unknown_slug() {
    // Arrange
    let app = TestApp::spawn_with(&[("999-filter-draft.toml", DRAFT.to_owned())]).await;
    let stranger = app.token("partner", Some("iveo")).await;
    let editor = app.token("editor", None).await;

    for (list, field) in [("events", "partnership"), ("initiatives", "partnership")] {
        for token in [None, Some(stranger.as_str())] {
            // Act
            let hidden = filter_error(&app, token, list, field, false, "brouillon-filtre").await;
            let unknown = filter_error(&app, token, list, field, false, "brouillon-fictif").await;

            // Assert
            assert_eq!(
                hidden.to_string().replace("brouillon-filtre", "SLUG"),
                unknown.to_string().replace("brouillon-fictif", "SLUG"),
                "{list}.{field}"
            );
            assert_eq!(hidden["extensions"]["code"], "BAD_USER_INPUT");
        }
        // Who may see the draft filters by it.
        let (status, seen) = app
            .post_as(
                &editor,
                &format!(
                    r#"{{ {list}(filter: {{ {field}: "brouillon-filtre" }}) {{ totalCount }} }}"#
                ),
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(seen["data"][list]["totalCount"], 0, "{seen:#}");
    }
}
