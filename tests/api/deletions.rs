//! Deleting records entered by mistake, of the kinds that keep history elsewhere: mandates,
//! memberships, partnerships, group purchases and participations, elections. Each is deleted
//! by whoever may write it (`deleteRecord`), refused to anyone else, refused as `IN_USE` while
//! something points at it, and recorded in the audit trail.

use serde_json::{Value, json};
use tests::TestApp;

const DELETE: &str = "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { field code message } } }";

/// What a deletion answered: the refusal's code, the first user error's code, or `ok`.
async fn delete(app: &TestApp, token: &str, id: &Value) -> (String, Value) {
    let (_, body) = app.post_as(token, DELETE, json!({ "id": id })).await;
    let outcome = match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => body["data"]["deleteRecord"]["userErrors"][0]["code"]
            .as_str()
            .unwrap_or("ok")
            .to_owned(),
    };
    if outcome == "ok" {
        assert_eq!(body["data"]["deleteRecord"]["deletedId"], *id, "{body:#}");
    }
    (outcome, body)
}

/// Whether `node(id:)` still finds the record, as an admin sees it.
async fn exists(app: &TestApp, admin: &str, id: &Value) -> bool {
    let (_, body) = app
        .post_as(
            admin,
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await;
    body["data"]["node"].is_object()
}

/// How many events of `action` the audit trail holds for the record `id`.
async fn deletions_recorded(app: &TestApp, admin: &str, action: &str) -> usize {
    let (_, audit) = app
        .post_as(
            admin,
            "query($action: String!) { auditEvents(first: 100, filter: { action: $action }) { nodes { actorName before after } } }",
            json!({ "action": action }),
        )
        .await;
    audit["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{audit:#}"))
        .iter()
        .filter(|event| event["before"].is_string() && event["after"].is_null())
        .count()
}

async fn created(app: &TestApp, token: &str, query: &str, input: Value, path: &[&str]) -> Value {
    let (_, body) = app.post_as(token, query, json!({ "input": input })).await;
    let mut value = &body["data"];
    for key in path {
        value = &value[key];
    }
    assert!(value.is_string(), "{body:#}");
    value.clone()
}

#[tokio::test]
async fn a_mandate_and_a_membership_entered_by_mistake_are_deleted_by_who_writes_them() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let ids = app
        .data(
            r#"{ ollier: person(slug: "patrick-ollier") { id }
                 argenteuil: city(slug: "argenteuil") { mandates { nodes { id role } } } }"#,
            json!({}),
        )
        .await;
    let staff = created(&app, &mgp, "mutation($input: StartMandateInput!) { startMandate(input: $input) { mandate { id } } }",
        json!({ "person": ids["ollier"]["id"], "organisation": "metropole-du-grand-paris", "role": "STAFF", "title": "chargé de mission" }),
        &["startMandate", "mandate", "id"]).await;
    let associate = created(&app, &mgp, "mutation($input: AddMembershipInput!) { addMembership(input: $input) { membership { id } } }",
        json!({ "organisation": "metropole-du-grand-paris", "memberOrganisation": "iveo", "kind": "ASSOCIATE" }),
        &["addMembership", "membership", "id"]).await;
    // Argenteuil's mayor is named by the programme participation the city took part in as.
    let mayor = ids["argenteuil"]["mandates"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mandate| mandate["role"] == "MAYOR")
        .unwrap()["id"]
        .clone();

    // Act and assert: another organisation's partner may not; the MGP's may.
    for id in [&staff, &associate] {
        assert_eq!(delete(&app, &umq, id).await.0, "FORBIDDEN");
        assert!(exists(&app, &admin, id).await);
        assert_eq!(delete(&app, &mgp, id).await.0, "ok");
        assert!(!exists(&app, &admin, id).await);
        assert_eq!(delete(&app, &mgp, id).await.0, "NOT_FOUND");
    }
    // A city's mandate is editors' to delete, and not while something points at it.
    assert_eq!(delete(&app, &mgp, &mayor).await.0, "FORBIDDEN");
    let (outcome, body) = delete(&app, &editor, &mayor).await;
    assert_eq!(outcome, "IN_USE", "{body:#}");
    assert!(body.to_string().contains("programme_participant"), "{body}");
    assert!(exists(&app, &admin, &mayor).await);

    assert_eq!(deletions_recorded(&app, &admin, "delete_mandate").await, 1);
    assert_eq!(
        deletions_recorded(&app, &admin, "delete_membership").await,
        1
    );
}

#[tokio::test]
async fn a_partnership_entered_by_mistake_goes_with_its_parts_unless_something_points_at_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    let ids = app
        .data(
            r#"{ umqIveo: partnership(slug: "umq-iveo-2023") { id } }"#,
            json!({}),
        )
        .await;
    let mistake = created(&app, &mgp,
        "mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { partnership { id } } }",
        json!({ "profile": { "slug": "entente-erronee", "title": "Entente erronée", "kind": "AGREEMENT", "status": "ACTIVE" },
            "parties": [{ "key": "mgp", "organisation": "metropole-du-grand-paris", "role": "PARTY" },
                        { "key": "iveo", "organisation": "iveo", "role": "PARTY" }],
            "commitments": [{ "kind": "OBJECTIVE", "text": "Coopérer" }] }),
        &["createPartnership", "partnership", "id"]).await;
    let parts = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Partnership { parties { nodes { id } } commitments { nodes { id } } } } }",
            json!({ "id": mistake }),
        )
        .await;
    let party = parts["node"]["parties"]["nodes"][0]["id"].clone();
    let commitment = parts["node"]["commitments"]["nodes"][0]["id"].clone();
    assert!(party.is_string() && commitment.is_string(), "{parts:#}");

    // Act and assert: a stranger may not; a party's partner deletes it with its parts.
    assert_eq!(delete(&app, &umq, &mistake).await.0, "FORBIDDEN");
    assert_eq!(delete(&app, &mgp, &mistake).await.0, "ok");
    for id in [&mistake, &party, &commitment] {
        assert!(!exists(&app, &admin, id).await, "{id} is gone");
    }
    // A partnership that an event, an initiative or a report names stays.
    let (outcome, body) = delete(&app, &admin, &ids["umqIveo"]["id"]).await;
    assert_eq!(outcome, "IN_USE", "{body:#}");
    assert!(exists(&app, &admin, &ids["umqIveo"]["id"]).await);

    assert_eq!(
        deletions_recorded(&app, &admin, "delete_partnership").await,
        1
    );
}

#[tokio::test]
async fn a_group_purchase_with_a_participation_is_in_use_until_the_participation_is_deleted() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    let purchase = created(&app, &mgp,
        "mutation($input: CreateGroupPurchaseInput!) { createGroupPurchase(input: $input) { groupPurchase { id } } }",
        json!({ "slug": "achat-errone", "title": "Achat erroné", "organiser": "metropole-du-grand-paris", "eligibility": "MEMBERS_OF_ORGANISER" }),
        &["createGroupPurchase", "groupPurchase", "id"]).await;
    let (_, opened) = app
        .post_as(&mgp, "mutation($id: ID!) { openGroupPurchase(input: { id: $id, version: 1 }) { userErrors { code } } }",
            json!({ "id": purchase }))
        .await;
    assert_eq!(
        opened["data"]["openGroupPurchase"]["userErrors"],
        json!([]),
        "{opened:#}"
    );
    let participation = created(&app, &mgp,
        "mutation($input: JoinGroupPurchaseInput!) { joinGroupPurchase(input: $input) { participation { id } } }",
        json!({ "groupPurchase": purchase, "city": "argenteuil" }),
        &["joinGroupPurchase", "participation", "id"]).await;

    // Act and assert: the purchase is in use while Argenteuil takes part.
    assert_eq!(delete(&app, &umq, &purchase).await.0, "FORBIDDEN");
    let (outcome, body) = delete(&app, &mgp, &purchase).await;
    assert_eq!(outcome, "IN_USE", "{body:#}");
    assert!(body.to_string().contains("participation"), "{body}");
    // Whoever acts for the city deletes the participation; then the purchase goes.
    assert_eq!(delete(&app, &umq, &participation).await.0, "FORBIDDEN");
    assert_eq!(delete(&app, &mgp, &participation).await.0, "ok");
    assert_eq!(delete(&app, &mgp, &purchase).await.0, "ok");
    assert!(!exists(&app, &admin, &purchase).await);

    assert_eq!(
        deletions_recorded(&app, &admin, "delete_participation").await,
        1
    );
    assert_eq!(
        deletions_recorded(&app, &admin, "delete_group_purchase").await,
        1
    );
}

#[tokio::test]
async fn an_election_entered_by_mistake_is_deleted_by_an_editor() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let partner = app.token("partner", Some("umq")).await;
    let election = created(&app, &editor,
        "mutation($input: CreateElectionInput!) { createElection(input: $input) { election { id } } }",
        json!({ "country": "BE", "kind": "MUNICIPAL", "firstRound": "2030-10-13" }),
        &["createElection", "election", "id"]).await;

    // Act and assert
    assert_eq!(delete(&app, &partner, &election).await.0, "FORBIDDEN");
    assert!(exists(&app, &admin, &election).await);
    assert_eq!(delete(&app, &editor, &election).await.0, "ok");
    assert!(!exists(&app, &admin, &election).await);
    assert_eq!(deletions_recorded(&app, &admin, "delete_election").await, 1);
}
