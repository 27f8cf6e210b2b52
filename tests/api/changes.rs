//! The change feed: every write of the directory, in commit order, resumable from a cursor,
//! and only what the caller may see of it.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tests::TestApp;

const FEED: &str = r#"query($after: String, $filter: ChangeFilter) {
    changes(first: 100, after: $after, filter: $filter) {
      edges { cursor node { recordId kind action actionName at changedFields } }
      pageInfo { hasNextPage endCursor } } }"#;

/// The feed from `after` to its end, as `token` (anonymous without one): its changes, and the
/// cursor to resume from.
async fn follow(
    app: &TestApp,
    token: Option<&str>,
    after: Option<&str>,
    filter: Value,
) -> (Vec<Value>, Option<String>) {
    let mut after = after.map(str::to_owned);
    let mut changes = Vec::new();
    loop {
        let variables = json!({ "after": after, "filter": filter });
        let body = match token {
            Some(token) => app.post_as(token, FEED, variables).await.1,
            None => app.post(FEED, variables).await,
        };
        let page = &body["data"]["changes"];
        assert!(page.is_object(), "{body:#}");
        for edge in page["edges"].as_array().unwrap() {
            changes.push(edge["node"].clone());
        }
        if page["pageInfo"]["endCursor"].is_string() {
            after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
        }
        if page["pageInfo"]["hasNextPage"] != true {
            return (changes, after);
        }
    }
}

/// Where the feed ends now, for the caller.
async fn end_of_feed(app: &TestApp, token: Option<&str>) -> String {
    follow(app, token, None, json!({}))
        .await
        .1
        .expect("the seed is in the feed")
}

/// The changes of one record among `changes`.
fn of_record<'a>(changes: &'a [Value], id: &Value) -> Vec<&'a Value> {
    changes
        .iter()
        .filter(|change| change["recordId"] == *id)
        .collect()
}

async fn editor_writes(app: &TestApp, editor: &str, query: &str, input: Value) -> Value {
    let (_, body) = app.post_as(editor, query, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{body:#}");
    body["data"].clone()
}

const UPDATE_CITY: &str = r#"mutation($input: UpdateCityInput!) { updateCity(input: $input) { city { version } userErrors { field code } } }"#;
const UPDATE_PARTNERSHIP: &str = r#"mutation($input: UpdatePartnershipInput!) { updatePartnership(input: $input) { partnership { version } userErrors { field code } } }"#;

#[tokio::test]
async fn a_change_is_in_the_feed_with_the_names_of_the_fields_it_changed() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let namur = app
        .data(r#"{ city(slug: "namur") { id version } }"#, json!({}))
        .await["city"]
        .clone();
    let start = end_of_feed(&app, None).await;

    // Act
    editor_writes(
        &app,
        &editor,
        UPDATE_CITY,
        json!({ "id": namur["id"], "version": namur["version"], "population": 115000 }),
    )
    .await;

    // Assert
    let (changes, _) = follow(&app, None, Some(&start), json!({})).await;
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!(change["recordId"], namur["id"]);
    assert_eq!(change["kind"], "City");
    assert_eq!(change["action"], "UPDATED");
    assert_eq!(change["actionName"], "update_city");
    assert_eq!(change["changedFields"], json!(["population"]));
    assert!(change["at"].as_str().unwrap().starts_with("20"), "{change}");
}

#[tokio::test]
async fn resuming_from_a_cursor_gives_only_the_changes_committed_after_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (seeded, start) = follow(&app, None, None, json!({})).await;
    let start = start.unwrap();
    let cities = app
        .data(
            r#"{ namur: city(slug: "namur") { id version } terrebonne: city(slug: "terrebonne") { id version } }"#,
            json!({}),
        )
        .await;

    // Act
    for city in ["namur", "terrebonne"] {
        let city = &cities[city];
        editor_writes(
            &app,
            &editor,
            UPDATE_CITY,
            json!({ "id": city["id"], "version": city["version"], "website": "https://example.org" }),
        )
        .await;
    }
    let (later, end) = follow(&app, None, Some(&start), json!({})).await;
    let (nothing, still) = follow(&app, None, end.as_deref(), json!({})).await;

    // Assert
    let ids: Vec<&Value> = later.iter().map(|change| &change["recordId"]).collect();
    assert_eq!(
        ids,
        [&cities["namur"]["id"], &cities["terrebonne"]["id"]],
        "{later:#?}"
    );
    assert!(nothing.is_empty(), "{nothing:#?}");
    assert_eq!(still, end, "an empty page keeps the reader's place");
    // Read from the start, the feed is what was seeded, then what was written.
    let (all, _) = follow(&app, None, None, json!({})).await;
    assert_eq!(all.len(), seeded.len() + 2);
}

#[tokio::test]
async fn what_the_seed_loaded_is_in_the_feed_as_created() {
    let app = TestApp::spawn().await;
    let (cities, _) = follow(&app, None, None, json!({ "kinds": ["City"] })).await;
    let stored = app.data("{ cities { totalCount } }", json!({})).await["cities"]["totalCount"]
        .as_u64()
        .unwrap();
    assert_eq!(cities.len() as u64, stored, "{cities:#?}");
    for city in &cities {
        assert_eq!(city["kind"], "City");
        assert_eq!(city["action"], "CREATED");
        assert_eq!(city["actionName"], "create_city");
        let fields = city["changedFields"].as_array().unwrap();
        assert!(fields.contains(&json!("name")), "{city}");
    }
    let terrebonne = app
        .data(r#"{ city(slug: "terrebonne") { id } }"#, json!({}))
        .await["city"]["id"]
        .clone();
    assert_eq!(of_record(&cities, &terrebonne).len(), 1);
}

#[tokio::test]
async fn the_feed_keeps_the_kinds_asked_for_and_refuses_an_unknown_one() {
    let app = TestApp::spawn().await;
    let (changes, _) = follow(
        &app,
        None,
        None,
        json!({ "kinds": ["Organisation", "Mandate"] }),
    )
    .await;
    let kinds: BTreeSet<&str> = changes
        .iter()
        .map(|change| change["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["Mandate", "Organisation"]));
    // A mandate's attestation is a change to the mandate's attestations.
    assert!(
        changes
            .iter()
            .any(|change| change["actionName"] == "attest_mandate"
                && change["changedFields"] == json!(["attestations"])),
        "{changes:#?}"
    );

    let error = app
        .error(FEED, json!({ "filter": { "kinds": ["ApiToken"] } }))
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error:#}");
    assert_eq!(error["extensions"]["argument"], "filter.kinds");
}

const CREATE_PARTNERSHIP: &str = r#"mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) {
    partnership { id } userErrors { field code message } } }"#;

/// A draft agreement between the UMQ and IVÉO, with a party each and a commitment.
async fn draft_input(app: &TestApp) -> Value {
    let ids = app
        .data(
            r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } }"#,
            json!({}),
        )
        .await;
    json!({
        "profile": { "slug": "umq-iveo-brouillon", "title": "Entente en préparation", "kind": "AGREEMENT",
                     "status": "DRAFT", "start": "2027", "themes": ["decarbonation"] },
        "parties": [
            { "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" },
            { "key": "iveo", "organisation": ids["iveo"]["id"], "role": "PARTY" }
        ],
        "commitments": [{ "kind": "OBJECTIVE", "text": "Un objectif secret." }]
    })
}

#[tokio::test]
async fn a_drafts_creation_is_in_the_feed_of_those_who_see_drafts_only() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let umq = app.token("partner", Some("umq")).await;
    let outsider = app.token("partner", Some("metropole-du-grand-paris")).await;
    let start = end_of_feed(&app, None).await;

    // Act
    let input = draft_input(&app).await;
    let created = editor_writes(&app, &editor, CREATE_PARTNERSHIP, input).await;
    let draft = created["createPartnership"]["partnership"]["id"].clone();

    // Assert
    let (anonymous, _) = follow(&app, None, Some(&start), json!({})).await;
    assert!(anonymous.is_empty(), "{anonymous:#?}");
    let (outside, _) = follow(&app, Some(&outsider), Some(&start), json!({})).await;
    assert!(outside.is_empty(), "{outside:#?}");
    for token in [&editor, &umq] {
        let (seen, _) = follow(&app, Some(token), Some(&start), json!({})).await;
        let kinds: Vec<&str> = seen
            .iter()
            .map(|change| change["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "Partnership",
                "PartnershipParty",
                "PartnershipParty",
                "Commitment"
            ],
            "{seen:#?}"
        );
        assert_eq!(seen[0]["recordId"], draft);
        assert!(seen.iter().all(|change| change["action"] == "CREATED"));
    }
}

#[tokio::test]
async fn a_partnership_turned_draft_is_deleted_for_those_who_do_not_see_drafts() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let partnership = app
        .data(
            r#"{ partnership(slug: "umq-iveo-2023") { id version } }"#,
            json!({}),
        )
        .await["partnership"]
        .clone();
    let start = end_of_feed(&app, None).await;

    // Act: turned draft, then published again.
    editor_writes(
        &app,
        &editor,
        UPDATE_PARTNERSHIP,
        json!({ "id": partnership["id"],
        "version": partnership["version"], "profile": { "status": "DRAFT" } }),
    )
    .await;
    let anonymous_then = follow(&app, None, Some(&start), json!({})).await;
    editor_writes(&app, &editor, UPDATE_PARTNERSHIP, json!({ "id": partnership["id"],
        "version": partnership["version"].as_i64().unwrap() + 1, "profile": { "status": "ACTIVE" } }))
    .await;

    // Assert
    let (hidden, _) = &anonymous_then;
    assert_eq!(hidden.len(), 1, "{hidden:#?}");
    assert_eq!(hidden[0]["recordId"], partnership["id"]);
    assert_eq!(hidden[0]["action"], "DELETED");
    assert_eq!(hidden[0]["actionName"], "update_partnership");
    assert_eq!(hidden[0]["changedFields"], json!([]));
    let (anonymous, _) = follow(&app, None, Some(&start), json!({})).await;
    let actions: Vec<&Value> = anonymous.iter().map(|change| &change["action"]).collect();
    assert_eq!(
        actions,
        [&json!("DELETED"), &json!("CREATED")],
        "{anonymous:#?}"
    );
    assert!(
        anonymous[1]["changedFields"]
            .as_array()
            .unwrap()
            .contains(&json!("status")),
        "a partnership that appears brings all its fields: {anonymous:#?}"
    );
    let (edited, _) = follow(&app, Some(&editor), Some(&start), json!({})).await;
    let seen: Vec<(&Value, &Value)> = edited
        .iter()
        .map(|change| (&change["action"], &change["changedFields"]))
        .collect();
    assert_eq!(
        seen,
        [
            (&json!("UPDATED"), &json!(["status"])),
            (&json!("UPDATED"), &json!(["status"]))
        ]
    );
}

#[tokio::test]
async fn the_feed_names_fields_but_never_shows_their_values() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let person = app
        .data(
            r#"{ person(slug: "mathieu-traversy") { id version } }"#,
            json!({}),
        )
        .await["person"]
        .clone();
    let start = end_of_feed(&app, None).await;

    // Act
    let update = r#"mutation($input: UpdatePersonInput!) { updatePerson(input: $input) { person { version } userErrors { field code } } }"#;
    editor_writes(
        &app,
        &editor,
        update,
        json!({ "id": person["id"], "version": person["version"],
        "profile": { "email": "mathieu.secret@example.org" } }),
    )
    .await;

    // Assert
    let body = app
        .post(
            r#"query($after: String) { changes(after: $after) { nodes { kind action changedFields } } }"#,
            json!({ "after": start }),
        )
        .await;
    assert_eq!(
        body["data"]["changes"]["nodes"],
        json!([{ "kind": "Person", "action": "UPDATED", "changedFields": ["hasEmail"] }])
    );
    assert!(!body.to_string().contains("secret"), "{body:#}");
}

#[tokio::test]
async fn tokens_and_other_internal_records_are_never_in_the_feed() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let start = end_of_feed(&app, Some(&admin)).await;
    let issue = r#"mutation { issueApiToken(input: { name: "sync", role: EDITOR }) { token userErrors { code } } }"#;
    let (_, body) = app.post_as(&admin, issue, json!({})).await;
    assert!(
        body["data"]["issueApiToken"]["token"].is_string(),
        "{body:#}"
    );

    let (changes, _) = follow(&app, Some(&admin), Some(&start), json!({})).await;
    assert!(changes.is_empty(), "{changes:#?}");
}

#[tokio::test]
async fn filters_follow_a_place_an_organisation_or_a_theme_deletions_included() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = r#"mutation($input: CreateCityInput!) { createCity(input: $input) { city { id } userErrors { field code } } }"#;
    let laval = editor_writes(
        &app,
        &editor,
        create,
        json!({ "slug": "laval", "name": "Laval", "country": "CA", "subdivisions": ["CA-QC"] }),
    )
    .await["createCity"]["city"]["id"]
        .clone();
    let delete = r#"mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { code } } }"#;
    let (_, body) = app.post_as(&editor, delete, json!({ "id": laval })).await;
    assert_eq!(body["data"]["deleteRecord"]["deletedId"], laval, "{body:#}");

    // Act
    let (in_quebec, _) = follow(&app, None, None, json!({ "subdivision": "CA-QC" })).await;
    let (in_france, _) = follow(&app, None, None, json!({ "country": "FR" })).await;
    let (of_umq, _) = follow(&app, None, None, json!({ "organisation": "umq" })).await;
    let (on_theme, _) = follow(
        &app,
        None,
        None,
        json!({ "themes": ["transition-climatique-ecologique"] }),
    )
    .await;

    // Assert
    let laval_changes: Vec<&Value> = of_record(&in_quebec, &laval);
    let actions: Vec<&Value> = laval_changes.iter().map(|c| &c["action"]).collect();
    assert_eq!(actions, [&json!("CREATED"), &json!("DELETED")]);
    assert!(of_record(&in_france, &laval).is_empty());
    for (changes, kinds) in [
        (&in_quebec, &["City", "Organisation"][..]),
        (&in_france, &["City", "Organisation"][..]),
    ] {
        assert!(!changes.is_empty());
        assert!(
            changes
                .iter()
                .all(|change| kinds.contains(&change["kind"].as_str().unwrap())),
            "{changes:#?}"
        );
    }
    let umq = app
        .data(r#"{ organisation(slug: "umq") { id } }"#, json!({}))
        .await["organisation"]["id"]
        .clone();
    assert_eq!(of_record(&of_umq, &umq).len(), 1, "{of_umq:#?}");
    let umq_kinds: BTreeSet<&str> = of_umq
        .iter()
        .map(|change| change["kind"].as_str().unwrap())
        .collect();
    for kind in ["Organisation", "Mandate", "PartnershipParty"] {
        assert!(umq_kinds.contains(kind), "{umq_kinds:?}");
    }
    assert!(!umq_kinds.contains("City"), "{umq_kinds:?}");
    let theme_kinds: BTreeSet<&str> = on_theme
        .iter()
        .map(|change| change["kind"].as_str().unwrap())
        .collect();
    assert!(theme_kinds.contains("Theme") && theme_kinds.contains("Partnership"));
    assert!(!theme_kinds.contains("City"), "{theme_kinds:?}");

    let error = app
        .error(FEED, json!({ "filter": { "organisation": "nobody" } }))
        .await;
    assert_eq!(error["extensions"]["argument"], "filter.organisation");
}

/// On PostgreSQL, transactions commit in any order: a reader following the feed while
/// writers write side by side must still miss nothing (audit events are numbered at commit).
#[tokio::test]
async fn a_reader_following_the_feed_during_concurrent_writes_misses_nothing() {
    // Arrange: the reader polls as fast as it can, beyond an anonymous caller's rate limit.
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_capacity = 0;
    })
    .await;
    let editor = app.token("editor", None).await;
    let start = end_of_feed(&app, None).await;
    let create = r#"mutation($input: CreateCityInput!) { createCity(input: $input) { city { id } userErrors { field code } } }"#;

    // Act: four writers of ten cities each, side by side, and a reader that follows as they go.
    let writer = |writer: u32| {
        let (app, editor) = (&app, &editor);
        async move {
            for n in 0..10 {
                let slug = format!("ville-{writer}-{n}");
                editor_writes(app, editor, create,
                    json!({ "slug": slug, "name": slug, "country": "BE", "subdivisions": ["BE-WAL"] }))
                .await;
            }
        }
    };
    let reading = async {
        let mut seen = Vec::new();
        let mut cursor = start.clone();
        while seen.len() < 40 {
            let (changes, end) = follow(&app, None, Some(&cursor), json!({})).await;
            seen.extend(changes);
            cursor = end.unwrap();
        }
        seen
    };
    let (_, _, _, _, followed) = tokio::join!(writer(0), writer(1), writer(2), writer(3), reading);

    // Assert
    let (all, _) = follow(&app, None, Some(&start), json!({})).await;
    assert_eq!(all.len(), 40);
    assert_eq!(followed, all, "the reader saw every change once, in order");
}

#[tokio::test]
async fn a_page_of_the_feed_costs_its_size_and_loads_records_in_batches() {
    let app = TestApp::spawn().await;
    let body = app
        .post("{ changes(first: 50) { nodes { kind } } }", json!({}))
        .await;
    assert_eq!(
        body["extensions"]["cost"]["requestedQueryCost"],
        1 + 50 * 2,
        "{body:#}"
    );

    // The records behind a page load a batch per kind, whatever the page's length.
    let statements = |first: u32| {
        let app = &app;
        async move {
            let query = format!(
                r#"{{ changes(first: {first}, filter: {{ kinds: ["Citation", "City"] }}) {{ nodes {{ record {{ id }} }} }} }}"#
            );
            let before = app.statements().await;
            let data = app.data(&query, json!({})).await;
            assert_eq!(
                data["changes"]["nodes"].as_array().unwrap().len(),
                first as usize
            );
            app.statements().await - before
        }
    };
    let few = statements(5).await;
    let many = statements(100).await;
    assert!(many <= 12, "{few} statements for 5 changes, {many} for 100");
}

/// The fixture's source, in both directories of the comparison below.
const SOURCE: &str = r#"
[source]
slug = "feed-fixture"
kind = "other"
title = "Feed fixture"
"#;

/// A draft with its parts and a statement about it, loaded last.
const DRAFT: &str = r#"
[[partnership]]
slug = "brouillon-du-flux"
title = "Entente en préparation"
kind = "cooperation_protocol"
status = "draft"
start = "2025"
themes = ["gestion-durable-eau"]

[[partnership.party]]
key = "terrebonne"
city = "terrebonne"
role = "party"

[[partnership.party]]
key = "umq"
organisation = "umq"
role = "partner"
side_of = "terrebonne"

[[partnership.signatory]]
person = "mathieu-traversy"
party = "terrebonne"
capacity = "party"
title_then = "Maire de Terrebonne"

[[partnership.domain]]
numeral = "I"
title = "Un domaine secret"
narrative = "Rien à voir."
themes = ["inclusion-sociale"]

[[partnership.commitment]]
domain = "I"
kind = "commitment"
text = "Un engagement secret."

[[statement]]
person = "mathieu-traversy"
title_then = "Maire de Terrebonne"
about = "brouillon-du-flux"
text = "Une déclaration sur l'entente secrète."
"#;

/// Every change as the caller sees it, but its time: what must not differ between a
/// directory with a draft and one without it.
async fn whole_feed(app: &TestApp, token: Option<&str>) -> Vec<Value> {
    let (changes, _) = follow(app, token, None, json!({})).await;
    changes
        .into_iter()
        .map(|mut change| {
            change.as_object_mut().unwrap().remove("at");
            change
        })
        .collect()
}

/// A hidden record answers exactly like an absent one, in the feed too: its creation, its
/// parts, what is linked to it and what is removed from it leave no trace for those who may
/// not see it.
#[tokio::test]
async fn the_feed_of_a_directory_with_a_draft_is_the_same_as_without_it_for_those_who_may_not_see_it()
 {
    // Arrange
    let with = TestApp::spawn_with(&[("999-draft.toml", format!("{SOURCE}{DRAFT}"))]).await;
    let without = TestApp::spawn_with(&[("999-draft.toml", SOURCE.to_owned())]).await;
    let editor = with.token("editor", None).await;
    let draft = with
        .post_as(
            &editor,
            r#"{ partnership(slug: "brouillon-du-flux") { id parties { nodes { id } } } }"#,
            json!({}),
        )
        .await
        .1["data"]["partnership"]
        .clone();

    // Act: more written around the draft: an event linked to it, a party removed.
    let create_event = r#"mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { field code message } } }"#;
    editor_writes(&with, &editor, create_event, json!({ "slug": "evenement-du-flux",
        "title": "Événement secret", "kind": "MEETING", "date": "2025-06-01", "partnership": draft["id"] }))
    .await;
    let remove = r#"mutation($input: RemovePartnershipPartInput!) { removePartnershipPart(input: $input) { userErrors { field code } } }"#;
    editor_writes(
        &with,
        &editor,
        remove,
        json!({ "id": draft["parties"]["nodes"][1]["id"] }),
    )
    .await;

    // Assert
    let outsider_with = with.token("partner", Some("iveo")).await;
    let outsider_without = without.token("partner", Some("iveo")).await;
    assert_eq!(
        whole_feed(&with, None).await,
        whole_feed(&without, None).await
    );
    assert_eq!(
        whole_feed(&with, Some(&outsider_with)).await,
        whole_feed(&without, Some(&outsider_without)).await
    );
    let edited = whole_feed(&with, Some(&editor)).await;
    let removed = edited
        .iter()
        .find(|change| change["actionName"] == "remove_partnership_party")
        .expect("editors see the removal");
    assert_eq!(removed["action"], "DELETED");
}
