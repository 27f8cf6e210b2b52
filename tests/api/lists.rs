//! Relay connections: keyset pages in both directions, the page cap, incremental sync.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use tests::TestApp;

async fn walk_forward(app: &TestApp, order: Value) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .data(
                "query($after: String, $order: CityOrder) { cities(first: 3, after: $after, orderBy: $order) { nodes { slug } pageInfo { hasNextPage endCursor } } }",
                json!({ "after": after, "order": order }),
            )
            .await;
        let page = &data["cities"];
        names.extend(
            page["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["slug"].as_str().unwrap().to_owned()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return names;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

#[tokio::test]
async fn paging_forward_visits_every_city_once_in_order() {
    let app = TestApp::spawn().await;
    let total = app.data("{ cities { totalCount } }", json!({})).await["cities"]["totalCount"]
        .as_u64()
        .unwrap();

    for order in [
        json!({ "field": "NAME" }),
        json!({ "field": "POPULATION", "direction": "DESC" }),
        json!({ "field": "UPDATED_AT" }),
    ] {
        let slugs = walk_forward(&app, order.clone()).await;
        assert_eq!(slugs.len() as u64, total, "{order}");
        assert_eq!(
            slugs.iter().collect::<BTreeSet<_>>().len(),
            slugs.len(),
            "no city twice in {order}"
        );
    }
    let by_name = walk_forward(&app, json!({ "field": "NAME" })).await;
    assert_eq!(by_name.first().map(String::as_str), Some("argenteuil"));
    assert_eq!(by_name.last().map(String::as_str), Some("terrebonne"));
}

#[tokio::test]
async fn paging_backward_returns_the_records_before_the_cursor() {
    let app = TestApp::spawn().await;
    let all = app
        .data(
            "{ cities(first: 100) { edges { cursor node { slug } } } }",
            json!({}),
        )
        .await;
    let edges = all["cities"]["edges"].as_array().unwrap();
    let fifth = &edges[4]["cursor"];

    let data = app
        .data(
            "query($before: String) { cities(last: 2, before: $before) { nodes { slug } pageInfo { hasPreviousPage hasNextPage } } }",
            json!({ "before": fifth }),
        )
        .await;
    let slugs: Vec<_> = data["cities"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["slug"].clone())
        .collect();
    assert_eq!(
        slugs,
        [
            edges[2]["node"]["slug"].clone(),
            edges[3]["node"]["slug"].clone()
        ]
    );
    assert_eq!(data["cities"]["pageInfo"]["hasPreviousPage"], true);
}

#[tokio::test]
async fn nested_lists_page_with_the_same_arguments() {
    let app = TestApp::spawn().await;
    let query = r#"query($after: String) { partnership(slug: "terrebonne-namur-2024-2026") {
        commitments(first: 4, after: $after) { totalCount nodes { text } pageInfo { hasNextPage endCursor } } } }"#;
    let first = app.data(query, json!({ "after": null })).await;
    let page = &first["partnership"]["commitments"];
    assert_eq!(page["totalCount"], 9);
    assert_eq!(page["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let second = app
        .data(query, json!({ "after": page["pageInfo"]["endCursor"] }))
        .await;
    let texts: Vec<_> = second["partnership"]["commitments"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].clone())
        .collect();
    assert_eq!(texts.len(), 4);
    assert!(
        !page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| texts.contains(&n["text"]))
    );
}

#[tokio::test]
async fn a_page_over_the_cap_is_refused_with_the_cap_named() {
    let app = TestApp::spawn().await;
    let error = app
        .error("{ cities(first: 1000) { totalCount } }", json!({}))
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "first");
    assert!(
        error["message"].as_str().unwrap().contains("100"),
        "{error}"
    );
}

#[tokio::test]
async fn a_malformed_cursor_is_refused_with_the_argument_named() {
    let app = TestApp::spawn().await;
    let error = app
        .error(
            r#"{ cities(after: "not-a-cursor") { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "after");
}

#[tokio::test]
async fn updated_since_lets_an_integrator_sync_incrementally() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ all: organisations(orderBy: { field: UPDATED_AT }, first: 100) { totalCount nodes { updatedAt } }
                 future: organisations(filter: { updatedSince: "2999-01-01T00:00:00Z" }) { totalCount }
                 past: organisations(filter: { updatedSince: "2000-01-01T00:00:00Z" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    let stamps: Vec<_> = data["all"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["updatedAt"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = stamps.clone();
    sorted.sort();
    assert_eq!(stamps, sorted, "ordered by time of last change");
    assert_eq!(data["future"]["totalCount"], 0);
    assert_eq!(data["past"]["totalCount"], data["all"]["totalCount"]);
}

/// An integrator who synced on a day asks for what changed since that day, as a date: it
/// means the day's start, in UTC.
#[tokio::test]
async fn updated_since_takes_a_date_for_the_start_of_that_day() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ day: cities(filter: { updatedSince: "2026-12-03" }) { totalCount }
                 midnight: cities(filter: { updatedSince: "2026-12-03T00:00:00Z" }) { totalCount }
                 long_ago: partnerships(filter: { updatedSince: "2000-01-01" }) { totalCount }
                 all: partnerships { totalCount }
                 later: themes(filter: { updatedSince: "2999-01-01" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["day"]["totalCount"], data["midnight"]["totalCount"]);
    assert_eq!(data["long_ago"]["totalCount"], data["all"]["totalCount"]);
    assert!(data["all"]["totalCount"].as_i64().unwrap() > 0);
    assert_eq!(data["later"]["totalCount"], 0);
}

/// On PostgreSQL a list's values are written into its SQL text (so the server plans the
/// statement for them); quotes and backslashes in a filter must stay data there.
#[tokio::test]
async fn a_filter_value_with_quotes_matches_only_itself() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"query($injected: String!, $slashed: String!) {
                 real: cities(filter: { subdivision: "FR-93" }) { totalCount nodes { slug } }
                 injected: cities(filter: { subdivision: $injected }) { totalCount nodes { slug } }
                 slashed: cities(filter: { subdivision: $slashed }) { totalCount nodes { slug } }
                 searched: cities(filter: { search: $injected }) { totalCount nodes { slug } } }"#,
            json!({ "injected": "FR-93' OR '1'='1", "slashed": "FR-93\\' OR 1=1 --" }),
        )
        .await;
    assert!(
        data["real"]["totalCount"].as_u64().unwrap() > 0,
        "the plain value finds Seine-Saint-Denis' cities: {data}"
    );
    for list in ["injected", "slashed", "searched"] {
        assert_eq!(data[list]["totalCount"], 0, "{list}: {data}");
        assert_eq!(data[list]["nodes"], json!([]), "{list}: {data}");
    }
}

/// The cities of a search, walked `size` at a time forward (names), through the cursors.
async fn searched_forward(app: &TestApp, search: &str, order: Value, size: u32) -> Vec<String> {
    let mut names = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app
            .data(
                "query($search: String, $after: String, $order: CityOrder, $size: Int) { cities(first: $size, after: $after, filter: { search: $search }, orderBy: $order) { nodes { name } pageInfo { hasNextPage endCursor } } }",
                json!({ "search": search, "after": after, "order": order, "size": size }),
            )
            .await;
        let page = &data["cities"];
        names.extend(
            page["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["name"].as_str().unwrap().to_owned()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return names;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
}

/// The same, walked backward from the end through `last`/`before`.
async fn searched_backward(app: &TestApp, search: &str, size: u32) -> Vec<String> {
    let mut names = Vec::new();
    let mut before = Value::Null;
    loop {
        let data = app
            .data(
                "query($search: String, $before: String, $size: Int) { cities(last: $size, before: $before, filter: { search: $search }) { nodes { name } pageInfo { hasPreviousPage startCursor } } }",
                json!({ "search": search, "before": before, "size": size }),
            )
            .await;
        let page = &data["cities"];
        let mut chunk: Vec<String> = page["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect();
        chunk.append(&mut names);
        names = chunk;
        if page["pageInfo"]["hasPreviousPage"] != true {
            return names;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
}

/// The French data set's communes named with "lyon": what a search for "lyon" should rank.
async fn lyon_slice() -> TestApp {
    let app = TestApp::spawn().await;
    dataset::etalab::import(
        app.db(),
        &tests::repo_root().join("tests/fixtures/etalab-lyon"),
        &mut dataset::Silent,
    )
    .await
    .expect("the slice imports");
    app
}

#[tokio::test]
async fn a_search_lists_the_exact_name_then_prefixes_then_word_prefixes_each_by_population() {
    // Arrange
    let app = lyon_slice().await;

    // Act
    let ranked = searched_forward(&app, "lyon", Value::Null, 100).await;

    // Assert
    let expected = [
        // The name itself.
        "Lyon",
        // Names that start with "lyon", the most populous first.
        "Lyon 3e Arrondissement",
        "Lyon 7e Arrondissement",
        "Lyon 8e Arrondissement",
        "Lyon 9e Arrondissement",
        "Lyon 6e Arrondissement",
        "Lyon 5e Arrondissement",
        "Lyon 4e Arrondissement",
        "Lyon 2e Arrondissement",
        "Lyon 1er Arrondissement",
        "Lyons-la-Forêt",
        // Names with a word that starts with it.
        "Sainte-Foy-lès-Lyon",
        "Chazelles-sur-Lyon",
        "Cognat-Lyonne",
        "Beauvoir-en-Lyons",
        "Beauficel-en-Lyons",
    ];
    assert_eq!(ranked, expected);
    // Accents and case do not change the rank.
    assert_eq!(
        searched_forward(&app, "LYÔN", Value::Null, 3).await,
        expected
    );
    // An order asked for is the order given.
    let by_name = searched_forward(&app, "lyon", json!({ "field": "NAME" }), 100).await;
    assert_eq!(
        by_name.first().map(String::as_str),
        Some("Beauficel-en-Lyons")
    );
    assert_eq!(by_name.len(), expected.len());
}

#[tokio::test]
async fn paging_through_a_ranked_search_visits_each_match_once_in_rank_order() {
    // Arrange
    let app = lyon_slice().await;
    let whole = searched_forward(&app, "lyon", Value::Null, 100).await;

    // Act
    let forward_by_three = searched_forward(&app, "lyon", Value::Null, 3).await;
    let forward_by_one = searched_forward(&app, "lyon", json!({ "field": "RELEVANCE" }), 1).await;
    let backward_by_four = searched_backward(&app, "lyon", 4).await;
    let descending = searched_forward(
        &app,
        "lyon",
        json!({ "field": "RELEVANCE", "direction": "DESC" }),
        5,
    )
    .await;

    // Assert
    assert_eq!(whole.len(), 16);
    assert_eq!(forward_by_three, whole);
    assert_eq!(forward_by_one, whole);
    assert_eq!(backward_by_four, whole);
    let mut reversed = whole.clone();
    reversed.reverse();
    assert_eq!(descending, reversed);
}

#[tokio::test]
async fn other_lists_rank_a_search_too_ties_by_name() {
    // Arrange
    let app = TestApp::spawn().await;

    // Act
    let data = app
        .data(
            r#"{ themes(filter: { search: "eco" }) { nodes { slug } }
                 bySlug: themes(filter: { search: "eco" }, orderBy: { field: NAME }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let slugs = |list: &Value| -> Vec<String> {
        list["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["slug"].as_str().unwrap().to_owned())
            .collect()
    };
    // "Économie circulaire" starts with it; the others have a word that does, by name.
    assert_eq!(
        slugs(&data["themes"]),
        [
            "economie-circulaire",
            "developpement-economique",
            "transition-climatique-ecologique"
        ]
    );
    assert_eq!(
        slugs(&data["bySlug"]),
        [
            "developpement-economique",
            "economie-circulaire",
            "transition-climatique-ecologique"
        ]
    );
}
