//! What the directory tells a city: its peers, ranked with reasons, and what it may join on
//! a day — on a fixture whose answers are worked out by hand.

use serde_json::{Value, json};
use tests::TestApp;

/// `centre` (20,000 inhabitants) is a member of Union U and, until 2025, of Association V,
/// and tries something on theme P. Its expected peers, by the domain's points (2 per shared
/// organisation, 3 per shared theme, 4 × the smaller population over the larger):
/// - `jumelle`: Union U, theme P, same size: 2 + 3 + 4 = 9;
/// - `petite` (10,000): theme P: 3 + 4 × 0.5 = 5;
/// - `grande` (200,000): Union U and Association V: 2 + 2 + 4 × 0.1 = 4.4;
/// - `isolee` shares nothing: not a peer.
///
/// Openings: Union U's group purchases (one open until 2999, one whose enrolment closed in
/// 2020), Association V's (members only), Union U's programme call (members only, open
/// until 2999), and a partnership Union U is party to, open to members of its parties.
const FIXTURE: &str = r#"
[source]
slug = "city-matching-fixture"
kind = "other"
title = "City matching fixture"

[[theme]]
slug = "theme-p"
label_fr = "Thème P"
label_en = "Theme P"

[[theme]]
slug = "theme-q"
label_fr = "Thème Q"
label_en = "Theme Q"

[[organisation]]
slug = "union-u"
name = "Union U"
kind = "municipal_association"

[[organisation]]
slug = "association-v"
name = "Association V"
kind = "network"

[[city]]
slug = "centre"
name = "Centre"
country = "LU"
population = 20000

[[city]]
slug = "jumelle"
name = "Jumelle"
country = "LU"
population = 20000

[[city]]
slug = "petite"
name = "Petite"
country = "LU"
population = 10000

[[city]]
slug = "grande"
name = "Grande"
country = "LU"
population = 200000

[[city]]
slug = "isolee"
name = "Isolée"
country = "LU"
population = 20000

[[membership]]
organisation = "union-u"
member_city = "centre"
kind = "member"

[[membership]]
organisation = "association-v"
member_city = "centre"
kind = "member"
end = "2025-12-31"

[[membership]]
organisation = "union-u"
member_city = "jumelle"
kind = "member"

[[membership]]
organisation = "union-u"
member_city = "grande"
kind = "member"

[[membership]]
organisation = "association-v"
member_city = "grande"
kind = "member"

[[partnership]]
slug = "accord-ouvert"
title = "Accord ouvert"
kind = "agreement"
status = "active"
start = "2020"
accession = "members_of_parties"

[[partnership.party]]
key = "union"
organisation = "union-u"
role = "party"

[[group_purchase]]
slug = "achat-ouvert"
title = "Achat ouvert"
organiser = "union-u"
eligibility = "members_of_organiser"
status = "open"
tender_end = "2999-12-31"

[[group_purchase]]
slug = "achat-clos"
title = "Achat clos"
organiser = "union-u"
eligibility = "anyone"
status = "open"
tender_start = "2020-03-01"
tender_end = "2020-05-01"

[[group_purchase]]
slug = "achat-association"
title = "Achat de l'association"
organiser = "association-v"
eligibility = "members_of_organiser"
status = "open"
tender_start = "2020-01-01"

[[programme]]
slug = "programme-appel"
name = "Programme à appel"
participation_mode = "editions"
eligibility = "members_of_organiser"

[[programme.organiser]]
organisation = "union-u"
role = "owner"

[[programme.edition]]
number = 1
status = "announced"
call_opens = "2020-01-01"
call_deadline = "2999-12-31"

[[initiative]]
slug = "essai-centre"
title = "Essai du centre"
kind = "experiment"
status = "planned"
city = "centre"
themes = ["theme-p"]

[[initiative]]
slug = "essai-jumelle"
title = "Essai de la jumelle"
kind = "experiment"
status = "planned"
city = "jumelle"
themes = ["theme-p"]

[[initiative]]
slug = "essai-petite"
title = "Essai de la petite"
kind = "experiment"
status = "planned"
city = "petite"
themes = ["theme-p", "theme-q"]
"#;

async fn app() -> TestApp {
    TestApp::spawn_with(&[("900-city-matching.toml", FIXTURE.to_owned())]).await
}

#[tokio::test]
async fn peers_are_cities_of_similar_size_sharing_memberships_and_themes_ranked_with_reasons() {
    let app = app().await;

    let data = app
        .data(
            r#"{ city(slug: "centre") { peers(first: 10) { city { slug } score populationRatio
                sharedMemberships { slug } sharedThemes { slug } reasons } } }"#,
            json!({}),
        )
        .await;
    let peers = data["city"]["peers"].as_array().unwrap();
    let order: Vec<&str> = peers
        .iter()
        .map(|p| p["city"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["jumelle", "petite", "grande"]);
    let scores: Vec<f64> = peers.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    for (score, expected) in scores.iter().zip([9.0, 5.0, 4.4]) {
        assert!((score - expected).abs() < 1e-9, "{scores:?}");
    }
    let grande_orgs: Vec<&str> = peers[2]["sharedMemberships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(grande_orgs.len(), 2);
    assert!(grande_orgs.contains(&"union-u") && grande_orgs.contains(&"association-v"));
    assert_eq!(peers[1]["sharedThemes"], json!([{ "slug": "theme-p" }]));
    assert_eq!(peers[1]["populationRatio"], 0.5);
    assert_eq!(
        peers[0]["reasons"],
        json!([
            "Both are members of Union U",
            "Both work on Theme P",
            "Similar size: the smaller population is 100 % of the larger"
        ])
    );

    let first_only = app
        .data(
            r#"{ city(slug: "centre") { peers(first: 1) { city { slug } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(first_only["city"]["peers"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn peer_scores_are_rounded_to_two_decimals() {
    // Arrange: a member of Union U a size and a half of Centre's: 2 + 4 × 2/3 = 4.666…
    let tierce = r#"
[source]
slug = "peer-rounding-fixture"
kind = "other"
title = "Peer rounding fixture"

[[city]]
slug = "tierce"
name = "Tierce"
country = "LU"
population = 30000

[[membership]]
organisation = "union-u"
member_city = "tierce"
kind = "member"
"#;
    let app = TestApp::spawn_with(&[
        ("900-city-matching.toml", FIXTURE.to_owned()),
        ("901-peer-rounding.toml", tierce.to_owned()),
    ])
    .await;

    // Act
    let data = app
        .data(
            r#"{ city(slug: "centre") { peers(first: 10) { city { slug } score } } }"#,
            json!({}),
        )
        .await;

    // Assert
    let peers = data["city"]["peers"].as_array().unwrap();
    let tierce = peers
        .iter()
        .find(|p| p["city"]["slug"] == "tierce")
        .expect("Tierce is a peer of Centre");
    assert_eq!(tierce["score"], json!(4.67));
}

/// `{slug: (canJoin, reasonCode)}` of the openings a city sees on a day.
async fn joinable(app: &TestApp, city: &str, on: &str) -> Value {
    let data = app
        .data(
            r#"query($city: String!, $on: Date) { city(slug: $city) { joinable(on: $on) {
                kind canJoin reason reasonCode
                groupPurchase { slug } programme { slug } edition { number } partnership { slug } } } }"#,
            json!({ "city": city, "on": on }),
        )
        .await;
    let mut verdicts = serde_json::Map::new();
    for opening in data["city"]["joinable"].as_array().unwrap() {
        let slug = ["groupPurchase", "programme", "partnership"]
            .iter()
            .find_map(|field| opening[*field]["slug"].as_str())
            .unwrap()
            .to_owned();
        verdicts.insert(
            slug,
            json!([opening["canJoin"], opening["reasonCode"], opening["reason"]]),
        );
    }
    Value::Object(verdicts)
}

#[tokio::test]
async fn a_city_sees_what_it_may_join_on_a_day_and_why_not() {
    let app = app().await;

    let centre = joinable(&app, "centre", "2026-06-15").await;
    assert_eq!(centre["achat-ouvert"], json!([true, null, null]));
    assert_eq!(
        centre["achat-clos"],
        json!([false, "DEADLINE_PASSED", "enrolment closed on 2020-05-01"])
    );
    // Its membership of Association V ended in 2025…
    assert_eq!(
        centre["achat-association"],
        json!([
            false,
            "NOT_ELIGIBLE",
            "only members of the organiser may join this group purchase"
        ])
    );
    assert_eq!(centre["programme-appel"], json!([true, null, null]));
    assert_eq!(centre["accord-ouvert"], json!([true, null, null]));
    // …so on a day of 2024 it could join.
    let before = joinable(&app, "centre", "2024-06-15").await;
    assert_eq!(before["achat-association"], json!([true, null, null]));

    let isolee = joinable(&app, "isolee", "2026-06-15").await;
    assert_eq!(isolee["achat-ouvert"][1], "NOT_ELIGIBLE");
    assert_eq!(isolee["programme-appel"][1], "NOT_ELIGIBLE");
    assert_eq!(isolee["accord-ouvert"][1], "NOT_ELIGIBLE");
    // Open to anyone, but closed.
    assert_eq!(isolee["achat-clos"][1], "DEADLINE_PASSED");
}

#[tokio::test]
async fn what_joinable_promises_is_what_the_join_does() {
    let app = app().await;
    let editor = app.token("editor", None).await;
    let ids = app
        .data(
            r#"{ centre: city(slug: "centre") { id joinable { canJoin reason groupPurchase { id slug } } } }"#,
            json!({}),
        )
        .await;
    let centre = ids["centre"]["id"].clone();
    let mut tried = (0, 0);
    for opening in ids["centre"]["joinable"].as_array().unwrap() {
        let Some(purchase) = opening["groupPurchase"]["id"].as_str() else {
            continue;
        };
        let (_, body) = app
            .post_as(
                &editor,
                r#"mutation($purchase: ID!, $city: ID!) { joinGroupPurchase(input: { groupPurchase: $purchase, city: $city }) {
                    participation { id } userErrors { message } } }"#,
                json!({ "purchase": purchase, "city": centre }),
            )
            .await;
        let payload = &body["data"]["joinGroupPurchase"];
        if opening["canJoin"] == true {
            tried.0 += 1;
            assert!(
                !payload["participation"].is_null(),
                "{}: {body:#}",
                opening["groupPurchase"]["slug"]
            );
        } else {
            tried.1 += 1;
            assert_eq!(
                payload["userErrors"][0]["message"], opening["reason"],
                "{}",
                opening["groupPurchase"]["slug"]
            );
        }
    }
    assert!(
        tried.0 >= 1 && tried.1 >= 2,
        "joins tried (allowed, refused): {tried:?}"
    );
}

#[tokio::test]
async fn peers_follow_a_write_at_once() {
    // Arrange: peers ranked once, so that an index of them exists.
    let app = app().await;
    let editor = app.token("editor", None).await;
    let peers_of_centre =
        r#"{ city(slug: "centre") { peers(first: 10) { city { slug } score } } }"#;
    let before = app.data(peers_of_centre, json!({})).await;
    let ids = app
        .data(
            r#"{ organisation(slug: "union-u") { id } city(slug: "isolee") { id } }"#,
            json!({}),
        )
        .await;

    // Act: the isolated city joins Union U.
    let (_, joined) = app
        .post_as(
            &editor,
            "mutation($o: ID!, $c: ID!) { addMembership(input: { organisation: $o, memberCity: $c, kind: MEMBER }) { userErrors { code } } }",
            json!({ "o": ids["organisation"]["id"], "c": ids["city"]["id"] }),
        )
        .await;
    let after = app.data(peers_of_centre, json!({})).await;

    // Assert: it is a peer now — Union U and the same size: 2 + 4.
    assert_eq!(
        joined["data"]["addMembership"]["userErrors"],
        json!([]),
        "{joined:#}"
    );
    let slugs = |data: &Value| -> Vec<String> {
        data["city"]["peers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["city"]["slug"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!slugs(&before).contains(&"isolee".to_owned()));
    assert_eq!(slugs(&after), ["jumelle", "isolee", "petite", "grande"]);
    assert_eq!(after["city"]["peers"][1]["score"], 6.0);
}

#[tokio::test]
async fn joinable_lists_a_page_of_openings_and_filters_on_whether_the_city_may_join() {
    let app = app().await;
    let slugs = |data: &Value, alias: &str| -> Vec<String> {
        data[alias]["joinable"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                ["groupPurchase", "programme", "partnership"]
                    .iter()
                    .find_map(|field| o[*field]["slug"].as_str())
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };

    let data = app
        .data(
            r#"{ all: city(slug: "centre") { joinable(on: "2026-06-15") { ...Opening } }
                 open: city(slug: "centre") { joinable(on: "2026-06-15", canJoin: true) { ...Opening } }
                 closed: city(slug: "centre") { joinable(on: "2026-06-15", canJoin: false) { ...Opening } }
                 one: city(slug: "centre") { joinable(on: "2026-06-15", first: 1) { ...Opening } } }
               fragment Opening on JoinableOpening { canJoin groupPurchase { slug } programme { slug } partnership { slug } }"#,
            json!({}),
        )
        .await;
    let too_many = app
        .post(
            r#"{ city(slug: "centre") { joinable(first: 101) { canJoin } } }"#,
            json!({}),
        )
        .await;

    let all = slugs(&data, "all");
    assert_eq!(all.len(), 5, "{all:?}");
    assert_eq!(
        slugs(&data, "open"),
        ["achat-ouvert", "programme-appel", "accord-ouvert"]
    );
    assert_eq!(slugs(&data, "closed"), ["achat-clos", "achat-association"]);
    assert_eq!(slugs(&data, "one"), all[..1]);
    assert_eq!(
        too_many["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
    assert_eq!(too_many["errors"][0]["extensions"]["argument"], "first");
}

#[tokio::test]
async fn a_group_purchase_planned_after_a_look_is_joinable_at_once() {
    // Arrange: the openings of the day read once.
    let app = app().await;
    let editor = app.token("editor", None).await;
    let purchases = r#"{ city(slug: "centre") { joinable(on: "2026-06-15", first: 100) { groupPurchase { slug } } } }"#;
    let slugs = |data: &Value| -> Vec<String> {
        data["city"]["joinable"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["groupPurchase"]["slug"].as_str().map(str::to_owned))
            .collect()
    };
    let before = slugs(&app.data(purchases, json!({})).await);
    let union = app
        .data(r#"{ organisation(slug: "union-u") { id } }"#, json!({}))
        .await;

    // Act
    let (_, created) = app
        .post_as(
            &editor,
            "mutation($input: CreateGroupPurchaseInput!) { createGroupPurchase(input: $input) { userErrors { field code message } } }",
            json!({ "input": { "slug": "achat-nouveau", "title": "Achat nouveau",
                "organiser": union["organisation"]["id"], "eligibility": "ANYONE" } }),
        )
        .await;
    let after = slugs(&app.data(purchases, json!({})).await);

    // Assert
    assert_eq!(
        created["data"]["createGroupPurchase"]["userErrors"],
        json!([]),
        "{created:#}"
    );
    assert!(!before.contains(&"achat-nouveau".to_owned()));
    assert!(after.contains(&"achat-nouveau".to_owned()), "{after:?}");
}
