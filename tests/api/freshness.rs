//! Freshness: after a municipal election, the mayors verified before it are queued for editors
//! to check again, with the election as the reason; checking a record takes it out.
//!
//! The seed holds France's municipal election (first round 2026-03-15) and Québec's
//! (2025-11-02). Its Québec mayors are verified by their sources (2019, 2023); its French ones
//! come from an undated source, so they are verified when loaded, and these tests date their
//! verification themselves (`markVerified` with `verifiedOn`).

use serde_json::{Value, json};
use tests::TestApp;

const QUEUE: &str = r#"query($filter: StaleRecordFilter) {
    staleRecords(first: 100, filter: $filter) {
        totalCount
        nodes {
            kind staleSince reason
            verification { verifiedOn verifiedBy isStale staleSince reason election { description } }
            record { id ... on Mandate { title city { slug } } }
        }
    }
}"#;

const MARK: &str = r#"mutation($id: ID!, $version: Int, $on: Date) {
    markVerified(input: { id: $id, version: $version, verifiedOn: $on }) {
        record { id }
        verification { verifiedOn verifiedBy byCreation isStale }
        userErrors { field code message }
    }
}"#;

/// The first mandate held in the city with this slug: its global id and version.
async fn mandate_of(app: &TestApp, city: &str) -> (Value, Value) {
    let data = app
        .data(
            "query($slug: String!) { city(slug: $slug) { mandates { nodes { id version } } } }",
            json!({ "slug": city }),
        )
        .await;
    let mandate = &data["city"]["mandates"]["nodes"][0];
    (mandate["id"].clone(), mandate["version"].clone())
}

/// Marks the record verified on a day, as `token`; the payload.
async fn mark(app: &TestApp, token: &str, id: &Value, on: &str) -> Value {
    let (_, body) = app
        .post_as(token, MARK, json!({ "id": id, "on": on }))
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"]["markVerified"].clone()
}

/// The queue as an editor sees it, with a filter.
async fn queue(app: &TestApp, editor: &str, filter: Value) -> Vec<Value> {
    let (_, body) = app
        .post_as(editor, QUEUE, json!({ "filter": filter }))
        .await;
    assert!(body.get("errors").is_none(), "{body:#}");
    body["data"]["staleRecords"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

/// The entry of the queue for the record with this global id, if any.
fn entry<'a>(queue: &'a [Value], id: &Value) -> Option<&'a Value> {
    queue.iter().find(|entry| entry["record"]["id"] == *id)
}

#[tokio::test]
async fn a_french_mayor_verified_before_the_municipal_election_is_queued_with_its_reason() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (argenteuil, _) = mandate_of(&app, "argenteuil").await;
    let marked = mark(&app, &editor, &argenteuil, "2026-01-10").await;
    assert_eq!(marked["userErrors"], json!([]), "{marked:#}");

    // Act
    let queue = queue(&app, &editor, json!({ "country": "FR" })).await;

    // Assert
    let entry = entry(&queue, &argenteuil).expect("Argenteuil's mayor is queued");
    assert_eq!(entry["kind"], "Mandate");
    assert_eq!(entry["reason"], "election FR municipal 2026-03-15");
    assert_eq!(entry["staleSince"], "2026-03-15");
    assert_eq!(entry["record"]["city"]["slug"], "argenteuil");
    let verification = &entry["verification"];
    assert_eq!(verification["verifiedOn"], "2026-01-10");
    assert_eq!(verification["verifiedBy"], "test editor");
    assert_eq!(verification["isStale"], true);
    assert_eq!(verification["reason"], "election FR municipal 2026-03-15");
    assert_eq!(
        verification["election"]["description"],
        "election FR municipal 2026-03-15"
    );
}

#[tokio::test]
async fn a_french_mayor_verified_after_the_election_is_not_queued() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (before, _) = mandate_of(&app, "argenteuil").await;
    let (between_rounds, _) = mandate_of(&app, "athis-mons").await;
    let (after, _) = mandate_of(&app, "aubervilliers").await;
    mark(&app, &editor, &before, "2026-03-14").await;
    mark(&app, &editor, &between_rounds, "2026-03-18").await;
    mark(&app, &editor, &after, "2026-04-01").await;

    // Act
    let queue = queue(&app, &editor, json!({ "country": "FR" })).await;

    // Assert
    assert!(entry(&queue, &before).is_some(), "{queue:#?}");
    assert!(entry(&queue, &between_rounds).is_none(), "{queue:#?}");
    assert!(entry(&queue, &after).is_none(), "{queue:#?}");
    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Mandate { verification { isStale staleSince reason } } } }",
            json!({ "id": after }),
        )
        .await;
    assert_eq!(
        data["node"]["verification"],
        json!({ "isStale": false, "staleSince": null, "reason": null })
    );
}

#[tokio::test]
async fn a_quebec_mayor_is_concerned_by_the_quebec_election_and_not_by_the_french_one() {
    // Arrange: Terrebonne's mayor, attested by a source of 2023-11-28.
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (terrebonne, _) = mandate_of(&app, "terrebonne").await;
    let (namur, _) = mandate_of(&app, "namur").await;

    // Act
    let quebec = queue(&app, &editor, json!({ "subdivision": "CA-QC" })).await;
    let france = queue(&app, &editor, json!({ "country": "FR" })).await;
    let everything = queue(&app, &editor, json!({})).await;

    // Assert
    let entry_of_terrebonne = entry(&quebec, &terrebonne).expect("Terrebonne's mayor is queued");
    assert_eq!(
        entry_of_terrebonne["reason"],
        "election CA-QC municipal 2025-11-02"
    );
    assert_eq!(
        entry_of_terrebonne["verification"]["verifiedOn"],
        "2023-11-28"
    );
    assert_eq!(
        entry_of_terrebonne["verification"]["verifiedBy"],
        "seed 004-terrebonne-namur-protocole.toml"
    );
    assert!(entry(&france, &terrebonne).is_none());
    assert!(
        entry(&everything, &namur).is_none(),
        "no election of Belgium is recorded"
    );
    // The least recently verified first: the mayors of 2019, then Terrebonne's of 2023.
    let days: Vec<&str> = everything
        .iter()
        .map(|entry| entry["verification"]["verifiedOn"].as_str().unwrap())
        .collect();
    let mut sorted = days.clone();
    sorted.sort_unstable();
    assert_eq!(days, sorted);
    assert_eq!(days.first().copied(), Some("2019-04-18"));

    // Verified between the two elections, it stays fresh: the French election is not its.
    mark(&app, &editor, &terrebonne, "2026-01-15").await;
    let everything = queue(&app, &editor, json!({})).await;
    assert!(entry(&everything, &terrebonne).is_none(), "{everything:#?}");
}

#[tokio::test]
async fn marking_a_record_verified_takes_it_out_of_the_queue_and_writes_the_audit_trail() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let (terrebonne, version) = mandate_of(&app, "terrebonne").await;
    assert!(entry(&queue(&app, &editor, json!({})).await, &terrebonne).is_some());

    // Act: a stale version first, then the one read.
    let (_, stale) = app
        .post_as(&editor, MARK, json!({ "id": terrebonne, "version": 99 }))
        .await;
    let (_, marked) = app
        .post_as(
            &editor,
            MARK,
            json!({ "id": terrebonne, "version": version }),
        )
        .await;

    // Assert
    assert_eq!(
        stale["data"]["markVerified"]["userErrors"][0]["field"],
        json!(["input", "version"])
    );
    assert_eq!(
        stale["data"]["markVerified"]["userErrors"][0]["code"],
        "CONFLICT"
    );
    let payload = &marked["data"]["markVerified"];
    assert_eq!(payload["userErrors"], json!([]), "{marked:#}");
    assert_eq!(payload["record"]["id"], terrebonne);
    assert_eq!(payload["verification"]["verifiedBy"], "test editor");
    assert_eq!(payload["verification"]["byCreation"], false);
    assert_eq!(payload["verification"]["isStale"], false);
    assert!(entry(&queue(&app, &editor, json!({})).await, &terrebonne).is_none());
    let (_, audit) = app
        .post_as(
            &admin,
            r#"{ auditEvents(first: 100, filter: { action: "mark_verified" }) { nodes { actorName entityType after } } }"#,
            json!({}),
        )
        .await;
    let events = audit["data"]["auditEvents"]["nodes"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{audit:#}");
    assert_eq!(events[0]["actorName"], "test editor");
    assert_eq!(events[0]["entityType"], "verification");
    let after: Value = serde_json::from_str(events[0]["after"].as_str().unwrap()).unwrap();
    assert_eq!(after["recordType"], "mandate");
    assert_eq!(after["verifiedBy"], "test editor");
    // The mandate itself is unchanged: verifying is not editing.
    let data = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Mandate { version } } }",
            json!({ "id": terrebonne }),
        )
        .await;
    assert_eq!(data["node"]["version"], version);
}

#[tokio::test]
async fn anonymous_callers_and_partners_are_refused_the_queue() {
    // Arrange
    let app = TestApp::spawn().await;
    let partner = app.token("partner", Some("umq")).await;
    let query = "{ staleRecords { totalCount } }";

    // Act
    let anonymous = app.post(query, json!({})).await;
    let (_, as_partner) = app.post_as(&partner, query, json!({})).await;
    let who = app
        .post(
            r#"{ city(slug: "terrebonne") { verification { verifiedOn verifiedBy } } }"#,
            json!({}),
        )
        .await;

    // Assert
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "UNAUTHENTICATED"
    );
    assert!(anonymous["data"].is_null(), "{anonymous:#}");
    assert_eq!(as_partner["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert!(as_partner["data"].is_null(), "{as_partner:#}");
    // When a record was verified is public; who verified it is for token holders.
    assert_eq!(
        who["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{who:#}"
    );
    assert_eq!(
        who["errors"][0]["path"],
        json!(["city", "verification", "verifiedBy"])
    );
}

#[tokio::test]
async fn election_input_errors_name_the_field() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = r#"mutation($input: CreateElectionInput!) { createElection(input: $input) {
        election { country subdivision kind firstRound secondRound description }
        userErrors { field code message } } }"#;
    let attempt = |input: Value| {
        let app = &app;
        let editor = &editor;
        async move {
            let (_, body) = app.post_as(editor, create, json!({ "input": input })).await;
            assert!(body.get("errors").is_none(), "{body:#}");
            body["data"]["createElection"].clone()
        }
    };

    // Act
    let of_another_country = attempt(json!({ "country": "FR", "subdivision": "CA-QC",
        "kind": "MUNICIPAL", "firstRound": "2032-03-14" }))
    .await;
    let rounds_reversed = attempt(json!({ "country": "FR", "kind": "MUNICIPAL",
        "firstRound": "2032-03-21", "secondRound": "2032-03-14" }))
    .await;
    let both = attempt(json!({ "country": "BE", "subdivision": "FR-IDF",
        "kind": "MUNICIPAL", "firstRound": "2030-10-13", "secondRound": "2030-10-06" }))
    .await;
    let twice = attempt(json!({ "country": "FR", "kind": "MUNICIPAL",
        "firstRound": "2026-03-15", "secondRound": "2026-03-22" }))
    .await;
    let recorded = attempt(json!({ "country": "BE", "subdivision": "BE-WAL",
        "kind": "MUNICIPAL", "firstRound": "2030-10-13" }))
    .await;

    // Assert
    let fields = |payload: &Value| -> Vec<(Value, Value)> {
        payload["userErrors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|error| (error["field"].clone(), error["code"].clone()))
            .collect()
    };
    assert_eq!(
        fields(&of_another_country),
        [(json!(["input", "subdivision"]), json!("INVALID"))]
    );
    assert_eq!(
        fields(&rounds_reversed),
        [(json!(["input", "secondRound"]), json!("NOT_AFTER"))]
    );
    assert_eq!(
        fields(&both),
        [
            (json!(["input", "subdivision"]), json!("INVALID")),
            (json!(["input", "secondRound"]), json!("NOT_AFTER"))
        ]
    );
    assert_eq!(
        fields(&twice),
        [(json!(["input", "firstRound"]), json!("DUPLICATE"))]
    );
    for refused in [&of_another_country, &rounds_reversed, &both, &twice] {
        assert!(refused["election"].is_null());
    }
    assert_eq!(recorded["userErrors"], json!([]));
    assert_eq!(
        recorded["election"],
        json!({ "country": "BE", "subdivision": "BE-WAL", "kind": "MUNICIPAL",
            "firstRound": "2030-10-13", "secondRound": null,
            "description": "election BE-WAL municipal 2030-10-13" })
    );
}

/// Staleness is computed from the calendar when read: an election recorded before it is held
/// flags nothing until its first round has passed, and one already held flags at once.
#[tokio::test]
async fn an_election_flags_the_mandates_it_concerns_only_once_its_first_round_has_passed() {
    // Arrange: Namur's mayor, attested by a source of 2023-11-28.
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (namur, _) = mandate_of(&app, "namur").await;
    let create = r#"mutation($first: Date!) { createElection(input: { country: BE, subdivision: "BE-WAL",
        kind: MUNICIPAL, firstRound: $first }) { userErrors { field code } } }"#;
    let upcoming = (chrono::Utc::now() + chrono::Duration::days(30))
        .date_naive()
        .to_string();

    // Act
    let (_, recorded) = app
        .post_as(&editor, create, json!({ "first": upcoming }))
        .await;
    let before_it = queue(&app, &editor, json!({ "country": "BE" })).await;
    // Belgium's municipal elections of 2024, recorded afterwards.
    let (_, past) = app
        .post_as(&editor, create, json!({ "first": "2024-10-13" }))
        .await;
    let after_it = queue(&app, &editor, json!({ "country": "BE" })).await;

    // Assert
    assert_eq!(recorded["data"]["createElection"]["userErrors"], json!([]));
    assert_eq!(past["data"]["createElection"]["userErrors"], json!([]));
    assert!(entry(&before_it, &namur).is_none(), "{before_it:#?}");
    let flagged = entry(&after_it, &namur).expect("Namur's mayor is queued");
    assert_eq!(flagged["reason"], "election BE-WAL municipal 2024-10-13");
    // Both are listed, the earliest first round first, and read back by their global id.
    let data = app
        .data(
            r#"{ elections(filter: { subdivision: "BE-WAL" }) { nodes { id firstRound } }
                 quebec: elections(filter: { subdivision: "CA-QC" }) { nodes { description } } }"#,
            json!({}),
        )
        .await;
    let rounds: Vec<&str> = data["elections"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|election| election["firstRound"].as_str().unwrap())
        .collect();
    assert_eq!(rounds, ["2024-10-13", upcoming.as_str()]);
    assert_eq!(
        data["quebec"]["nodes"],
        json!([{ "description": "election CA-QC municipal 2025-11-02" }])
    );
    let id = &data["elections"]["nodes"][0]["id"];
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Election { country kind } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        node["node"],
        json!({ "country": "BE", "kind": "MUNICIPAL" })
    );
}

/// A draft partnership of the UMQ, which only its parties and editors see.
const DRAFT: &str = "[source]\nslug = \"freshness-fixture\"\nkind = \"other\"\ntitle = \"Freshness fixture\"\n\n\
    [[partnership]]\nslug = \"brouillon-fraicheur\"\ntitle = \"Entente en préparation\"\nkind = \"agreement\"\nstatus = \"draft\"\n\n\
    [[partnership.party]]\nkey = \"umq\"\norganisation = \"umq\"\nrole = \"party\"\n";

#[tokio::test]
async fn a_record_the_caller_may_not_see_is_not_found_and_one_it_may_not_write_is_forbidden() {
    // Arrange
    let app = TestApp::spawn_with(&[("900-freshness.toml", DRAFT.to_owned())]).await;
    let editor = app.token("editor", None).await;
    let umq = app.token("partner", Some("umq")).await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (_, draft) = app
        .post_as(
            &editor,
            r#"{ partnership(slug: "brouillon-fraicheur") { id } }"#,
            json!({}),
        )
        .await;
    let draft = draft["data"]["partnership"]["id"].clone();
    let (terrebonne, _) = mandate_of(&app, "terrebonne").await;

    // Act
    let (_, hidden) = app.post_as(&mgp, MARK, json!({ "id": draft })).await;
    let (_, not_its_own) = app.post_as(&umq, MARK, json!({ "id": terrebonne })).await;
    let (_, its_own) = app.post_as(&umq, MARK, json!({ "id": draft })).await;

    // Assert
    assert_eq!(
        hidden["data"]["markVerified"]["userErrors"][0]["field"],
        json!(["input", "id"])
    );
    assert_eq!(
        hidden["data"]["markVerified"]["userErrors"][0]["code"],
        "NOT_FOUND"
    );
    assert_eq!(
        not_its_own["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{not_its_own:#}"
    );
    assert_eq!(
        its_own["data"]["markVerified"]["userErrors"],
        json!([]),
        "{its_own:#}"
    );
    assert_eq!(
        its_own["data"]["markVerified"]["verification"]["verifiedBy"],
        "test partner"
    );
}

#[tokio::test]
async fn an_election_is_corrected_by_an_editor_with_the_version_read() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let partner = app.token("partner", Some("umq")).await;
    let (_, body) = app
        .post_as(&editor, r#"mutation { createElection(input: { country: BE, subdivision: "BE-WAL", kind: MUNICIPAL, firstRound: "2030-10-13" }) { election { id version } } }"#, json!({}))
        .await;
    let election = body["data"]["createElection"]["election"].clone();
    assert!(election["id"].is_string(), "{body:#}");

    // Act and assert
    crate::update_check::check(
        &app,
        &admin,
        crate::update_check::Update {
            mutation: "updateElection",
            type_name: "Election",
            field: "election",
            record: &election,
            writer: &editor,
            stranger: (&partner, "FORBIDDEN"),
            changes: json!({ "firstRound": "2030-10-14", "secondRound": "2030-10-21" }),
            selection: "version kind firstRound secondRound description",
            shown: json!({ "firstRound": "2030-10-14", "secondRound": "2030-10-21",
                "description": "election BE-WAL municipal 2030-10-14" }),
            breaking: Some((json!({ "secondRound": "2030-10-06" }), "NOT_AFTER")),
            action: "update_election",
        },
    )
    .await;
    // Moved onto the day of another election of its kind there, it is a duplicate.
    let (_, body) = app
        .post_as(&editor, r#"mutation { createElection(input: { country: BE, subdivision: "BE-WAL", kind: MUNICIPAL, firstRound: "2036-10-12" }) { election { id version } } }"#, json!({}))
        .await;
    let later = body["data"]["createElection"]["election"].clone();
    let (_, body) = app
        .post_as(&editor, "mutation($id: ID!, $v: Int!) { updateElection(input: { id: $id, version: $v, firstRound: \"2030-10-14\" }) { election { id } userErrors { field code } } }",
            json!({ "id": later["id"], "v": later["version"] }))
        .await;
    assert_eq!(
        body["data"]["updateElection"]["userErrors"],
        json!([{ "field": ["input", "firstRound"], "code": "DUPLICATE" }]),
        "{body:#}"
    );
}
