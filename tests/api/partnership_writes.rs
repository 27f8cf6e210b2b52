//! Partnerships written by partners and editors: whole, checked, and only by a party.

use serde_json::{Value, json};
use tests::TestApp;

const CREATE: &str = r#"mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) {
    partnership { id version slug title period { start { edtf } end { edtf } }
      parties { nodes { role actor { ... on City { name } ... on Organisation { name } } sideOf { actor { ... on Organisation { name } } } } }
      signatories { nodes { titleThen person { fullName } party { actor { ... on Organisation { name } } } } }
      commitments { nodes { position kind text } } themes { nodes { slug } } }
    userErrors { field code message } } }"#;

async fn ids(app: &TestApp) -> Value {
    app.data(
        r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } mgp: organisation(slug: "metropole-du-grand-paris") { id }
             damphousse: person(slug: "martin-damphousse") { id } }"#,
        json!({}),
    )
    .await
}

fn agreement(ids: &Value, with: &str) -> Value {
    json!({
        "profile": { "slug": "umq-iveo-2027", "title": "Entente UMQ–IVÉO 2027", "kind": "AGREEMENT", "status": "DRAFT",
                     "start": "2027", "end": "2029", "themes": ["decarbonation"] },
        "parties": [
            { "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" },
            { "key": "other", "organisation": ids[with]["id"], "role": "PARTNER", "sideOf": "umq" }
        ],
        "signatories": [{ "person": ids["damphousse"]["id"], "party": "umq", "capacity": "PARTY", "titleThen": "président de l'UMQ" }],
        "commitments": [{ "kind": "OBJECTIVE", "text": "Déployer des technologies éprouvées." }]
    })
}

#[tokio::test]
async fn a_partner_records_an_agreement_its_organisation_is_a_party_to() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let umq_partner = app.token("partner", Some("umq")).await;

    let (_, body) = app
        .post_as(
            &umq_partner,
            CREATE,
            json!({ "input": agreement(&ids, "iveo") }),
        )
        .await;
    let partnership = &body["data"]["createPartnership"]["partnership"];
    assert_eq!(partnership["slug"], "umq-iveo-2027", "{body:#}");
    assert_eq!(partnership["period"]["end"]["edtf"], "2029");
    assert_eq!(
        partnership["parties"]["nodes"][1]["sideOf"]["actor"]["name"],
        "Union des municipalités du Québec"
    );
    assert_eq!(
        partnership["signatories"]["nodes"][0]["person"]["fullName"],
        "Martin Damphousse"
    );
    assert_eq!(partnership["commitments"]["nodes"][0]["position"], 1);
    assert_eq!(
        partnership["themes"]["nodes"],
        json!([{ "slug": "decarbonation" }])
    );
    // A draft: listed for token holders. The 2023 agreement has no end: active in 2028 too.
    let (_, found) = app.post_as(&umq_partner, r#"{ partnerships(filter: { activeOn: "2028-01-01", themes: ["transition-climatique-ecologique"] }) { nodes { slug } } }"#, json!({})).await;
    assert_eq!(
        found["data"]["partnerships"]["nodes"],
        json!([{ "slug": "umq-iveo-2023" }, { "slug": "umq-iveo-2027" }])
    );

    // A partner of an organisation that is not a party may neither create nor change it.
    let mgp_partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let mut foreign = agreement(&ids, "iveo");
    foreign["profile"]["slug"] = json!("other-2027");
    let (_, body) = app
        .post_as(&mgp_partner, CREATE, json!({ "input": foreign }))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let update = r#"mutation($input: UpdatePartnershipInput!) { updatePartnership(input: $input) { partnership { status version } userErrors { field code } } }"#;
    let change = json!({ "input": { "id": partnership["id"], "version": partnership["version"], "profile": { "status": "ACTIVE" } } });
    let (_, body) = app.post_as(&mgp_partner, update, change.clone()).await;
    // The draft is not theirs to see either: NOT_FOUND, as if it did not exist.
    assert_eq!(
        body["data"]["updatePartnership"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body:#}"
    );
    let (_, body) = app.post_as(&umq_partner, update, change).await;
    assert_eq!(
        body["data"]["updatePartnership"]["partnership"],
        json!({ "status": "ACTIVE", "version": 2 })
    );
}

#[tokio::test]
async fn a_partnership_that_does_not_hold_together_is_refused_whole() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let editor = app.token("editor", None).await;
    let cases = [
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["signatories"][0]["party"] = json!("nobody");
                a
            },
            "signatories",
            "INVALID",
        ),
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["parties"][1]["sideOf"] = json!("later");
                a
            },
            "parties",
            "INVALID",
        ),
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["profile"]["end"] = json!("2020");
                a
            },
            "end",
            "INVALID",
        ),
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["profile"]["themes"] = json!(["no-such-theme"]);
                a
            },
            "themes",
            "NOT_FOUND",
        ),
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["parties"] = json!([]);
                a
            },
            "parties",
            "REQUIRED",
        ),
        (
            {
                let mut a = agreement(&ids, "iveo");
                a["profile"]["slug"] = json!("terrebonne-namur-2024-2026");
                a
            },
            "slug",
            "TAKEN",
        ),
    ];
    for (input, field, code) in cases {
        let (_, body) = app
            .post_as(&editor, CREATE, json!({ "input": input }))
            .await;
        let error = &body["data"]["createPartnership"]["userErrors"][0];
        assert_eq!(
            (error["field"][1].as_str(), error["code"].as_str()),
            (Some(field), Some(code)),
            "{body:#}"
        );
    }
    let count = app.data("{ partnerships { totalCount } }", json!({})).await;
    assert_eq!(
        count["partnerships"]["totalCount"], 2,
        "nothing half-written is left behind"
    );
}

#[tokio::test]
async fn the_parties_keep_a_partnership_s_parts_up_to_date() {
    let app = TestApp::spawn().await;
    let ids = app
        .data(
            r#"{ protocol: partnership(slug: "terrebonne-namur-2024-2026") { id domains { nodes { id numeral } } }
                 iveo: organisation(slug: "iveo") { id } balmana: person(slug: "benoit-balmana") { id } }"#,
            json!({}),
        )
        .await;
    let protocol = &ids["protocol"]["id"];
    let domain_three = ids["protocol"]["domains"]["nodes"][2]["id"].clone();
    let add_commitment = r#"mutation($p: ID!, $d: ID) { addCommitment(input: { partnership: $p, domain: $d, kind: COMMITMENT, text: "Créer un prix conjoint de la recherche." }) {
        partnership { domains { nodes { commitments { totalCount nodes { position text } } } } } userErrors { field code } } }"#;

    // A partner of a party (UQTR stands beside Terrebonne) may; another organisation's may not.
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("umq")).await,
            add_commitment,
            json!({ "p": protocol, "d": domain_three }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("uqtr")).await,
            add_commitment,
            json!({ "p": protocol, "d": domain_three }),
        )
        .await;
    let commitments =
        &body["data"]["addCommitment"]["partnership"]["domains"]["nodes"][2]["commitments"];
    assert_eq!(commitments["totalCount"], 4, "{body:#}");
    assert_eq!(commitments["nodes"][3]["position"], 4);

    // A party added with its signatory, then removed with it.
    let editor = app.token("editor", None).await;
    let add_party = r#"mutation($p: ID!, $o: ID!) { addPartnershipParty(input: { partnership: $p, organisation: $o, role: OBSERVER }) {
        partnership { parties { nodes { id role organisation { slug } } } } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(
            &editor,
            add_party,
            json!({ "p": protocol, "o": ids["iveo"]["id"] }),
        )
        .await;
    let parties = body["data"]["addPartnershipParty"]["partnership"]["parties"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(parties.len(), 7, "{body:#}");
    let observer = parties.iter().find(|p| p["role"] == "OBSERVER").unwrap()["id"].clone();
    let add_signatory = r#"mutation($p: ID!, $person: ID!, $party: ID!) { addSignatory(input: { partnership: $p, person: $person, party: $party, capacity: WITNESS, titleThen: "Directeur général, IVÉO" }) {
        partnership { signatories { totalCount } } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(
            &editor,
            add_signatory,
            json!({ "p": protocol, "person": ids["balmana"]["id"], "party": observer }),
        )
        .await;
    assert_eq!(
        body["data"]["addSignatory"]["partnership"]["signatories"]["totalCount"], 7,
        "{body:#}"
    );

    let remove = r#"mutation($id: ID!) { removePartnershipPart(input: { id: $id }) { partnership { parties { totalCount } signatories { totalCount } } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(&editor, remove, json!({ "id": observer }))
        .await;
    assert_eq!(
        body["data"]["removePartnershipPart"]["partnership"],
        json!({ "parties": { "totalCount": 6 }, "signatories": { "totalCount": 6 } })
    );
    let (_, body) = app
        .post_as(&editor, remove, json!({ "id": ids["iveo"]["id"] }))
        .await;
    assert_eq!(
        body["data"]["removePartnershipPart"]["userErrors"][0]["code"], "INVALID",
        "an organisation is not a part of a partnership"
    );
}

#[tokio::test]
async fn a_draft_partnership_is_seen_by_its_parties_and_editors_only() {
    let app = TestApp::spawn().await;
    let ids = ids(&app).await;
    let editor = app.token("editor", None).await;
    let (_, body) = app
        .post_as(&editor, CREATE, json!({ "input": agreement(&ids, "iveo") }))
        .await;
    assert!(
        body["data"]["createPartnership"]["partnership"]["id"].is_string(),
        "{body:#}"
    );
    let id = body["data"]["createPartnership"]["partnership"]["id"].clone();
    let query = r#"query($id: ID!) { partnership(slug: "umq-iveo-2027") { slug } node(id: $id) { id }
        partnerships { totalCount nodes { slug } } organisation(slug: "umq") { partnerships { nodes { slug } } } }"#;

    let anonymous = app.data(query, json!({ "id": id })).await;
    assert!(anonymous["partnership"].is_null());
    assert!(anonymous["node"].is_null());
    assert_eq!(anonymous["partnerships"]["totalCount"], 2);
    assert!(
        !anonymous.to_string().contains("umq-iveo-2027"),
        "{anonymous:#}"
    );

    for token in [editor, app.token("partner", Some("iveo")).await] {
        let (_, with_token) = app.post_as(&token, query, json!({ "id": id })).await;
        assert_eq!(with_token["data"]["partnership"]["slug"], "umq-iveo-2027");
        assert_eq!(with_token["data"]["node"]["id"], id);
        assert_eq!(with_token["data"]["partnerships"]["totalCount"], 3);
        assert!(
            with_token["data"]["organisation"]["partnerships"]
                .to_string()
                .contains("umq-iveo-2027")
        );
    }

    // A partner of an organisation that is not a party gets what anonymous callers get:
    // nothing of the draft, as if it did not exist.
    let outsider = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (_, body) = app.post_as(&outsider, query, json!({ "id": id })).await;
    assert!(body["data"]["partnership"].is_null(), "{body:#}");
    assert!(body["data"]["node"].is_null());
    assert_eq!(body["data"]["partnerships"]["totalCount"], 2);
    assert!(!body.to_string().contains("umq-iveo-2027"), "{body:#}");
    // Writing to it answers NOT_FOUND, never the record.
    let update = "mutation($input: UpdatePartnershipInput!) { updatePartnership(input: $input) { partnership { slug } userErrors { code } } }";
    let (_, body) = app
        .post_as(
            &outsider,
            update,
            json!({ "input": { "id": id, "version": 1, "profile": { "slug": "volee", "title": "Volée", "kind": "AGREEMENT", "status": "ACTIVE" } } }),
        )
        .await;
    assert_eq!(
        body["data"]["updatePartnership"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body:#}"
    );
    assert!(!body.to_string().contains("umq-iveo-2027"), "{body:#}");
}

#[tokio::test]
async fn a_party_keeps_an_agreement_s_domains_follow_ups_and_provisions_up_to_date() {
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let found = app
        .data(
            r#"{ partnership(slug: "umq-iveo-2023") { id version parties { nodes { id } } } umq: organisation(slug: "umq") { id }
                 mgp: organisation(slug: "metropole-du-grand-paris") { id } }"#,
            json!({}),
        )
        .await;
    let partnership = &found["partnership"];
    let id = partnership["id"].clone();
    let state = r#"query($id: ID!) { node(id: $id) { ... on Partnership { version provisions { heading text }
        domains { nodes { id numeral title themes { nodes { slug } } commitments { nodes { text } } } }
        followUps { nodes { kind description party { id } body { slug } } } } } }"#;

    // A party adds a domain, a commitment in it and a follow-up.
    let domain = "mutation($input: AddPartnershipDomainInput!) { addPartnershipDomain(input: $input) { userErrors { field code } } }";
    let (_, body) = app
        .post_as(&umq, domain, json!({ "input": { "partnership": id, "numeral": "IX", "title": "Données ouvertes", "themes": ["decarbonation"] } }))
        .await;
    assert_eq!(
        body["data"]["addPartnershipDomain"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let added = app.data(state, json!({ "id": id })).await;
    let domains = added["node"]["domains"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    let new_domain = domains
        .iter()
        .find(|d| d["numeral"] == "IX")
        .expect("the domain is there");
    assert_eq!(new_domain["title"], "Données ouvertes");
    assert_eq!(
        new_domain["themes"]["nodes"],
        json!([{ "slug": "decarbonation" }])
    );
    let (_, body) = app
        .post_as(&umq, "mutation($p: ID!, $d: ID!) { addCommitment(input: { partnership: $p, domain: $d, kind: OBJECTIVE, text: \"Publier les données\" }) { userErrors { code } } }",
            json!({ "p": id, "d": new_domain["id"] }))
        .await;
    assert_eq!(
        body["data"]["addCommitment"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let follow_up = "mutation($input: AddFollowUpInput!) { addFollowUp(input: $input) { userErrors { field code } } }";
    let (_, body) = app
        .post_as(&umq, follow_up, json!({ "input": { "partnership": id, "party": partnership["parties"]["nodes"][0]["id"],
            "body": found["umq"]["id"], "kind": "MEETING", "frequency": "annuelle", "description": "Rencontre annuelle des parties" } }))
        .await;
    assert_eq!(
        body["data"]["addFollowUp"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    // Naming another organisation as the body that carries it speaks for it: refused.
    let (_, body) = app
        .post_as(
            &umq,
            follow_up,
            json!({ "input": { "partnership": id, "body": found["mgp"]["id"],
            "kind": "BODY", "description": "Comité de quelqu'un d'autre" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );

    // An unknown theme names its field; someone else's partner may not write here.
    let (_, body) = app
        .post_as(
            &umq,
            domain,
            json!({ "input": { "partnership": id, "title": "X", "themes": ["nowhere"] } }),
        )
        .await;
    assert_eq!(
        body["data"]["addPartnershipDomain"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body:#}"
    );
    let (_, body) = app
        .post_as(
            &mgp,
            domain,
            json!({ "input": { "partnership": id, "title": "Intrus" } }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );

    // Provisions are set with the partnership's other fields.
    let version = app.data(state, json!({ "id": id })).await["node"]["version"].clone();
    let (_, body) = app
        .post_as(&umq, "mutation($id: ID!, $v: Int!) { updatePartnership(input: { id: $id, version: $v, profile: { provisions: [{ heading: \"Préambule\", text: \"Considérant…\" }] } }) { userErrors { code } } }",
            json!({ "id": id, "v": version }))
        .await;
    assert_eq!(
        body["data"]["updatePartnership"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let after = app.data(state, json!({ "id": id })).await;
    assert_eq!(
        after["node"]["provisions"],
        json!([{ "heading": "Préambule", "text": "Considérant…" }])
    );
    let follow_ups = after["node"]["followUps"]["nodes"].as_array().unwrap();
    let ours = follow_ups
        .iter()
        .find(|f| f["description"] == "Rencontre annuelle des parties")
        .expect("the follow-up is there");
    assert_eq!(ours["body"]["slug"], "umq");
    let domain_after = after["node"]["domains"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["numeral"] == "IX")
        .unwrap()
        .clone();
    assert_eq!(
        domain_after["commitments"]["nodes"],
        json!([{ "text": "Publier les données" }])
    );

    // Removing the domain removes its commitments with it.
    let (_, body) = app
        .post_as(&umq, "mutation($id: ID!) { removePartnershipPart(input: { id: $id }) { userErrors { code } } }", json!({ "id": domain_after["id"] }))
        .await;
    assert_eq!(
        body["data"]["removePartnershipPart"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let removed = app.data(state, json!({ "id": id })).await;
    assert!(
        removed["node"]["domains"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["numeral"] != "IX")
    );
    let commitment = app
        .data(r#"{ partnership(slug: "umq-iveo-2023") { commitments(first: 100) { nodes { text } } } }"#, json!({}))
        .await;
    assert!(
        !commitment.to_string().contains("Publier les données"),
        "{commitment}"
    );
}
