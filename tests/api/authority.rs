//! Write authority for every record a write touches: a partner cannot create the relation that
//! would give it power over a city, nor hang a record from a partnership, a programme, an
//! edition or an organisation that is not its own because it holds a right elsewhere.

use serde_json::{Value, json};
use tests::TestApp;

/// An open purchase of the Métropole du Grand Paris, for its members.
const FIXTURE: &str = "[source]\nslug = \"authority-fixture\"\nkind = \"other\"\ntitle = \"Authority fixture\"\n\n\
    [[group_purchase]]\nslug = \"mgp-open\"\ntitle = \"Achat groupé ouvert\"\norganiser = \"metropole-du-grand-paris\"\n\
    eligibility = \"members_of_organiser\"\nstatus = \"planned\"\n";

/// The error code of a refused write, or `ok`, or the first user error's code.
fn outcome(body: &Value, mutation: &str) -> String {
    if let Some(code) = body["errors"][0]["extensions"]["code"].as_str() {
        return code.to_owned();
    }
    match body["data"][mutation]["userErrors"][0]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => "ok".to_owned(),
    }
}

#[tokio::test]
async fn a_partner_cannot_grant_itself_power_over_a_city() {
    let app = TestApp::spawn_with(&[("900-authority.toml", FIXTURE.to_owned())]).await;
    let ids = app
        .data(
            r#"{ iveo: organisation(slug: "iveo") { id }
                 argenteuil: city(slug: "argenteuil") { id }
                 purchase: groupPurchase(slug: "mgp-open") { id version } }"#,
            json!({}),
        )
        .await;
    let editor = app.token("editor", None).await;
    let (_, opened) = app
        .post_as(&editor, r#"mutation($id: ID!, $v: Int!) { openGroupPurchase(input: { id: $id, version: $v, tenderEnd: "2999-12-31" }) { groupPurchase { status } } }"#,
            json!({ "id": ids["purchase"]["id"], "v": ids["purchase"]["version"] }))
        .await;
    assert_eq!(
        opened["data"]["openGroupPurchase"]["groupPurchase"]["status"], "OPEN",
        "{opened:#}"
    );
    let iveo = app.token("partner", Some("iveo")).await;

    // IVÉO's partner declares Argenteuil a member of IVÉO: refused, nothing recorded.
    let declare = "mutation($o: ID!, $c: ID!) { addMembership(input: { organisation: $o, memberCity: $c, kind: MEMBER }) { membership { id } userErrors { code } } }";
    let (_, declared) = app
        .post_as(
            &iveo,
            declare,
            json!({ "o": ids["iveo"]["id"], "c": ids["argenteuil"]["id"] }),
        )
        .await;
    assert_eq!(
        outcome(&declared, "addMembership"),
        "FORBIDDEN",
        "{declared:#}"
    );
    let members = app
        .data(
            r#"{ cities(filter: { memberOf: "iveo" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(members["cities"]["totalCount"], 0);

    // So it cannot act for Argenteuil: no enrolment in another organiser's purchase.
    let join = "mutation($p: ID!, $c: ID!) { joinGroupPurchase(input: { groupPurchase: $p, city: $c }) { participation { id } userErrors { code } } }";
    let variables = json!({ "p": ids["purchase"]["id"], "c": ids["argenteuil"]["id"] });
    let (_, joined) = app.post_as(&iveo, join, variables.clone()).await;
    assert_eq!(
        outcome(&joined, "joinGroupPurchase"),
        "FORBIDDEN",
        "{joined:#}"
    );

    // The Métropole's own partner enrols its member; IVÉO's may not withdraw it.
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (_, joined) = app.post_as(&mgp, join, variables).await;
    assert_eq!(outcome(&joined, "joinGroupPurchase"), "ok", "{joined:#}");
    let participation = &joined["data"]["joinGroupPurchase"]["participation"]["id"];
    let (_, withdrawn) = app
        .post_as(&iveo, "mutation($id: ID!) { withdrawFromGroupPurchase(input: { id: $id, version: 1 }) { userErrors { code } } }",
            json!({ "id": participation }))
        .await;
    assert_eq!(
        outcome(&withdrawn, "withdrawFromGroupPurchase"),
        "FORBIDDEN",
        "{withdrawn:#}"
    );

    // An editor records a city's membership.
    let (_, declared) = app
        .post_as(
            &editor,
            declare,
            json!({ "o": ids["iveo"]["id"], "c": ids["argenteuil"]["id"] }),
        )
        .await;
    assert_eq!(outcome(&declared, "addMembership"), "ok", "{declared:#}");
}

#[tokio::test]
async fn a_write_links_only_records_the_caller_has_a_right_over() {
    let app = TestApp::spawn().await;
    let ids = app
        .data(
            r#"{ iveo: organisation(slug: "iveo") { id }
                 umq: organisation(slug: "umq") { id }
                 own: partnership(slug: "umq-iveo-2023") { id }
                 foreign: partnership(slug: "terrebonne-namur-2024-2026") { id }
                 programme(slug: "quartiers-metropolitains-innovation") { id editions { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    let iveo = app.token("partner", Some("iveo")).await;
    let count = || async {
        app.data(
            r#"{ events(filter: { organiser: "iveo" }) { totalCount } }"#,
            json!({}),
        )
        .await["events"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let before = count().await;
    let event = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { code } } }";
    let initiative = "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } userErrors { code } } }";
    let mut n = 0;
    let mut try_write = |query: &'static str, mutation: &'static str, mut input: Value| {
        n += 1;
        input["slug"] = json!(format!("link-{n}"));
        input["title"] = json!(format!("Lien {n}"));
        let app = &app;
        let iveo = iveo.clone();
        async move {
            let (_, body) = app.post_as(&iveo, query, json!({ "input": input })).await;
            outcome(&body, mutation)
        }
    };
    let edition = &ids["programme"]["editions"]["nodes"][0]["id"];
    let cases = [
        // Its own organisation, and a partnership it is a party to: allowed.
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"] })).await, "ok"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "partnership": ids["own"]["id"] })).await, "ok"),
        // Someone else's partnership or programme beside its own organisation: refused.
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "partnership": ids["foreign"]["id"] })).await, "FORBIDDEN"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "programme": ids["programme"]["id"] })).await, "FORBIDDEN"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["umq"]["id"], "partnership": ids["own"]["id"] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]] })).await, "ok"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"], ids["umq"]["id"]] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]], "partnership": ids["foreign"]["id"] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]], "edition": edition })).await, "FORBIDDEN"),
    ];
    for (n, (got, expected)) in cases.iter().enumerate() {
        assert_eq!(got, expected, "case {n}");
    }
    // Nothing refused was written: the two events allowed, no more.
    assert_eq!(count().await, before + 2);
}
