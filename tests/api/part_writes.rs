//! A partnership's parts changed in place: its parties, signatories, domains, commitments
//! and follow-ups, by those who may write the partnership, with the version read.

use serde_json::{Value, json};
use tests::TestApp;

use crate::update_check::{Update, check};

/// The protocol's parts, read as their writers read them.
const PARTS: &str = r#"{ partnership(slug: "terrebonne-namur-2024-2026") {
    parties { nodes { id version organisation { slug } city { slug } } }
    signatories { nodes { id version person { slug } } }
    domains { nodes { id version numeral } }
    commitments(first: 100) { nodes { id version } }
    followUps { nodes { id version kind } } } }"#;

fn find(list: &Value, test: impl Fn(&Value) -> bool) -> &Value {
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| test(node))
        .expect("the part is there")
}

/// Each part of a partnership is changed by a partner of one of its parties (UQTR stands beside
/// Terrebonne) with the version it read, and checked as when it was added; another
/// organisation's partner may not.
#[tokio::test]
async fn a_party_changes_a_partnership_s_parts_with_the_version_it_read() {
    // Arrange
    let app = TestApp::spawn().await;
    let uqtr = app.token("partner", Some("uqtr")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    let parts = app.data(PARTS, json!({})).await["partnership"].clone();
    let party = find(&parts["parties"], |p| p["organisation"]["slug"] == "uqtr");
    let terrebonne = find(&parts["parties"], |p| p["city"]["slug"] == "terrebonne");
    let signatory = find(&parts["signatories"], |s| {
        s["person"]["slug"] == "christian-blanchette"
    });
    let domain = find(&parts["domains"], |d| d["numeral"] == "III");
    let commitment = &parts["commitments"]["nodes"][0];
    let follow_up = find(&parts["followUps"], |f| f["kind"] == "MEETING");
    let cases = [
        Update {
            mutation: "updatePartnershipParty",
            type_name: "PartnershipParty",
            field: "party",
            record: party,
            writer: &uqtr,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "role": "OBSERVER" }),
            selection: "version role sideOf { city { slug } }",
            shown: json!({ "role": "OBSERVER", "sideOf": { "city": { "slug": "terrebonne" } } }),
            breaking: Some((json!({ "sideOf": party["id"] }), "INVALID")),
            action: "update_partnership_party",
        },
        Update {
            mutation: "updateSignatory",
            type_name: "Signatory",
            field: "signatory",
            record: signatory,
            writer: &uqtr,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "titleThen": "Recteur de l’UQTR", "capacity": "WITNESS" }),
            selection: "version titleThen capacity party { organisation { slug } }",
            shown: json!({ "titleThen": "Recteur de l’UQTR", "capacity": "WITNESS",
                "party": { "organisation": { "slug": "uqtr" } } }),
            breaking: Some((json!({ "titleThen": " " }), "INVALID")),
            action: "update_signatory",
        },
        Update {
            mutation: "updatePartnershipDomain",
            type_name: "PartnershipDomain",
            field: "domain",
            record: domain,
            writer: &uqtr,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "title": "Les échanges universitaires et scientifiques",
                "themes": ["echanges-universitaires", "developpement-economique"] }),
            selection: "version numeral title themes { nodes { slug } }",
            shown: json!({ "numeral": "III", "title": "Les échanges universitaires et scientifiques",
                "themes": { "nodes": [{ "slug": "developpement-economique" }, { "slug": "echanges-universitaires" }] } }),
            breaking: Some((json!({ "themes": ["nulle-part"] }), "NOT_FOUND")),
            action: "update_partnership_domain",
        },
        Update {
            mutation: "updateCommitment",
            type_name: "Commitment",
            field: "commitment",
            record: commitment,
            writer: &uqtr,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "kind": "OBJECTIVE", "text": "Réduire les émissions de gaz à effet de serre." }),
            selection: "version position kind text",
            shown: json!({ "position": 1, "kind": "OBJECTIVE", "text": "Réduire les émissions de gaz à effet de serre." }),
            breaking: Some((json!({ "text": "  " }), "INVALID")),
            action: "update_commitment",
        },
        Update {
            mutation: "updateFollowUp",
            type_name: "FollowUp",
            field: "followUp",
            record: follow_up,
            writer: &uqtr,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "party": terrebonne["id"], "frequency": "semestrielle" }),
            selection: "version kind frequency party { city { slug } }",
            shown: json!({ "kind": "MEETING", "frequency": "semestrielle", "party": { "city": { "slug": "terrebonne" } } }),
            breaking: Some((json!({ "description": "" }), "INVALID")),
            action: "update_follow_up",
        },
    ];

    // Act and assert
    for case in cases {
        check(&app, &admin, case).await;
    }

    // Naming another organisation as the body that carries a follow-up speaks for it.
    let (_, body) = app
        .post_as(&uqtr, "mutation($id: ID!) { updateFollowUp(input: { id: $id, version: 2, body: \"umq\" }) { userErrors { code } } }",
            json!({ "id": follow_up["id"] }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    // A part of another partnership is not one of this partnership's parties.
    let other = app
        .data(
            r#"{ partnership(slug: "umq-iveo-2023") { parties { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    let (_, body) = app
        .post_as(&admin, "mutation($id: ID!, $party: ID!) { updateFollowUp(input: { id: $id, version: 2, party: $party }) { userErrors { field code } } }",
            json!({ "id": follow_up["id"], "party": other["partnership"]["parties"]["nodes"][0]["id"] }))
        .await;
    assert_eq!(
        body["data"]["updateFollowUp"]["userErrors"],
        json!([{ "field": ["input", "party"], "code": "NOT_FOUND" }]),
        "{body:#}"
    );
}

/// The parts of a draft are the draft's: a partner who may not see it cannot tell them from
/// parts that do not exist.
#[tokio::test]
async fn a_part_of_a_draft_is_not_found_by_those_who_may_not_see_the_draft() {
    // Arrange: a draft of the UMQ and IVÉO, with a commitment.
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let admin = app.token("admin", None).await;
    let ids = app
        .data(
            r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } }"#,
            json!({}),
        )
        .await;
    let (_, body) = app
        .post_as(&umq, "mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { partnership { commitments { nodes { id version } } } userErrors { code } } }",
            json!({ "input": {
                "profile": { "slug": "brouillon-a-parties", "title": "Brouillon", "kind": "AGREEMENT", "status": "DRAFT" },
                "parties": [{ "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" },
                            { "key": "iveo", "organisation": ids["iveo"]["id"], "role": "PARTY" }],
                "commitments": [{ "kind": "OBJECTIVE", "text": "Un engagement en préparation" }] } }))
        .await;
    let commitment =
        body["data"]["createPartnership"]["partnership"]["commitments"]["nodes"][0].clone();
    assert!(commitment["id"].is_string(), "{body:#}");

    // Act and assert: an outsider's change and removal are NOT_FOUND; a party's goes through.
    check(
        &app,
        &admin,
        Update {
            mutation: "updateCommitment",
            type_name: "Commitment",
            field: "commitment",
            record: &commitment,
            writer: &umq,
            stranger: (&mgp, "NOT_FOUND"),
            changes: json!({ "text": "Un engagement signé" }),
            selection: "version text",
            shown: json!({ "text": "Un engagement signé" }),
            breaking: None,
            action: "update_commitment",
        },
    )
    .await;
    let (_, body) = app
        .post_as(&mgp, "mutation($id: ID!) { removePartnershipPart(input: { id: $id }) { userErrors { field code } } }",
            json!({ "id": commitment["id"] }))
        .await;
    assert_eq!(
        body["data"]["removePartnershipPart"]["userErrors"],
        json!([{ "field": ["input", "id"], "code": "NOT_FOUND" }]),
        "{body:#}"
    );
}

/// Removing a party removes the signatures made for it and unhooks what named it, and the
/// audit trail records each of these as a change of its own.
#[tokio::test]
async fn removing_a_party_records_each_part_it_takes_or_changes() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let parts = app.data(PARTS, json!({})).await["partnership"].clone();
    let namur = find(&parts["parties"], |p| p["city"]["slug"] == "namur");

    // Act
    let (_, body) = app
        .post_as(&editor, "mutation($id: ID!) { removePartnershipPart(input: { id: $id }) { partnership { signatories { totalCount } followUps { nodes { party { id } } } } userErrors { code } } }",
            json!({ "id": namur["id"] }))
        .await;

    // Assert: Namur's signature went with it; its partners and its follow-up no longer name it.
    let partnership = &body["data"]["removePartnershipPart"]["partnership"];
    assert_eq!(partnership["signatories"]["totalCount"], 5, "{body:#}");
    assert!(
        !partnership
            .to_string()
            .contains(namur["id"].as_str().unwrap())
    );
    for action in [
        "remove_partnership_party",
        "remove_signatory",
        "update_follow_up",
        "update_partnership_party",
    ] {
        let (_, audit) = app
            .post_as(&admin, "query($action: String!) { auditEvents(first: 100, filter: { action: $action }) { nodes { actorName } } }",
                json!({ "action": action }))
            .await;
        assert!(
            audit["data"]["auditEvents"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|event| event["actorName"] == "test editor"),
            "{action}: {audit:#}"
        );
    }
}
