//! References in inputs: a write names a record by its global id, its slug, or — a city or an
//! organisation — its country and official code (`FR:95018`), in the same `ID` field; a slug
//! the caller may not see answers like one nothing has.

use serde_json::{Value, json};
use tests::TestApp;

const CREATE_ORGANISATION: &str = "mutation($input: OrganisationProfile!) { createOrganisation(input: $input) {
    organisation { headquarters { id slug } parent { id slug } } userErrors { field code message } } }";

/// A new organisation with its headquarters and parent named by `headquarters` and `parent`.
fn organisation(slug: &str, headquarters: &Value, parent: &Value) -> Value {
    json!({ "input": { "slug": slug, "name": format!("Organisation {slug}"), "kind": "OTHER",
        "country": "FR", "headquarters": headquarters, "parent": parent } })
}

#[tokio::test]
async fn a_write_names_a_city_by_slug_by_official_code_or_by_global_id_alike() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let ids = app
        .data(
            r#"{ argenteuil: city(slug: "argenteuil") { id } mgp: organisation(slug: "metropole-du-grand-paris") { id } }"#,
            json!({}),
        )
        .await;

    // Act
    let mut written = Vec::new();
    for (slug, headquarters, parent) in [
        (
            "par-id",
            ids["argenteuil"]["id"].clone(),
            ids["mgp"]["id"].clone(),
        ),
        (
            "par-slug",
            json!("argenteuil"),
            json!("metropole-du-grand-paris"),
        ),
        ("par-code", json!("FR:95018"), json!("FR:200054781")),
    ] {
        let (_, body) = app
            .post_as(
                &editor,
                CREATE_ORGANISATION,
                organisation(slug, &headquarters, &parent),
            )
            .await;
        written.push(body["data"]["createOrganisation"].clone());
    }

    // Assert
    let expected = json!({
        "organisation": {
            "headquarters": { "id": ids["argenteuil"]["id"], "slug": "argenteuil" },
            "parent": { "id": ids["mgp"]["id"], "slug": "metropole-du-grand-paris" },
        },
        "userErrors": [],
    });
    for answer in written {
        assert_eq!(answer, expected);
    }
}

#[tokio::test]
async fn a_slug_or_code_nothing_has_is_not_found_naming_the_field() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let umq = app
        .data(r#"{ organisation(slug: "umq") { id } }"#, json!({}))
        .await["organisation"]["id"]
        .clone();

    for (headquarters, parent, field, code, message) in [
        (
            json!("nulle-part"),
            Value::Null,
            "headquarters",
            "NOT_FOUND",
            r#"nothing here has the slug "nulle-part""#,
        ),
        (
            json!("FR:00000"),
            Value::Null,
            "headquarters",
            "NOT_FOUND",
            r#"nothing here has the official code "00000" in FR"#,
        ),
        (
            Value::Null,
            json!("personne"),
            "parent",
            "NOT_FOUND",
            r#"nothing here has the slug "personne""#,
        ),
        // A global id of another kind, or a value of no shape: the caller's to fix too.
        (
            umq.clone(),
            Value::Null,
            "headquarters",
            "INVALID",
            "expected the id of a City, got the id of a Organisation",
        ),
        (
            json!("Pas un slug !"),
            Value::Null,
            "headquarters",
            "INVALID",
            r#""Pas un slug !" is neither a global id, nor a slug, nor a country and official code (`FR:95018`)"#,
        ),
    ] {
        // Act
        let (_, body) = app
            .post_as(
                &editor,
                CREATE_ORGANISATION,
                organisation("jamais-ecrite", &headquarters, &parent),
            )
            .await;

        // Assert
        assert_eq!(
            body["data"]["createOrganisation"],
            json!({ "organisation": null, "userErrors": [
                { "field": ["input", field], "code": code, "message": message }
            ] }),
            "{headquarters} {parent}"
        );
    }
    let none = app
        .data(
            r#"{ organisation(slug: "jamais-ecrite") { id } }"#,
            json!({}),
        )
        .await;
    assert!(none["organisation"].is_null(), "{none}");
}

/// A draft partnership of Terrebonne, which its parties' partners and editors see.
const DRAFT: &str = r#"
[source]
slug = "reference-draft-fixture"
kind = "other"
title = "Reference draft fixture"

[[partnership]]
slug = "brouillon-reference"
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
async fn a_drafts_slug_names_nothing_for_a_caller_who_may_not_see_it() {
    // Arrange
    let app = TestApp::spawn_with(&[("999-reference-draft.toml", DRAFT.to_owned())]).await;
    let stranger = app.token("partner", Some("iveo")).await;
    let editor = app.token("editor", None).await;
    let add = |partnership: &str| json!({ "input": { "partnership": partnership, "kind": "OBJECTIVE", "text": "Un engagement" } });
    let query = "mutation($input: AddCommitmentInput!) { addCommitment(input: $input) {
        partnership { slug commitments { nodes { text } } } userErrors { field code message } } }";

    // Act
    let (_, hidden) = app
        .post_as(&stranger, query, add("brouillon-reference"))
        .await;
    let (_, unknown) = app.post_as(&stranger, query, add("brouillon-fictif")).await;
    let (_, seen) = app
        .post_as(&editor, query, add("brouillon-reference"))
        .await;

    // Assert
    assert_eq!(
        hidden["data"]
            .to_string()
            .replace("brouillon-reference", "SLUG"),
        unknown["data"]
            .to_string()
            .replace("brouillon-fictif", "SLUG"),
    );
    assert_eq!(
        hidden["data"]["addCommitment"]["userErrors"],
        json!([{ "field": ["input", "partnership"], "code": "NOT_FOUND",
            "message": r#"nothing here has the slug "brouillon-reference""# }]),
        "{hidden:#}"
    );
    assert_eq!(
        seen["data"]["addCommitment"],
        json!({ "partnership": { "slug": "brouillon-reference",
            "commitments": { "nodes": [{ "text": "Un engagement" }] } }, "userErrors": [] }),
        "{seen:#}"
    );
}
