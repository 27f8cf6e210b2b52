//! The questions the directory exists to answer, asked of the seed dataset.

use serde_json::json;
use tests::TestApp;

#[tokio::test]
async fn the_mayor_of_terrebonne_on_the_signing_day_is_mathieu_traversy() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ city(slug: "terrebonne") { mayor(on: "2023-11-28") { title person { fullName } lastAttestedOn } } }"#,
            json!({}),
        )
        .await;
    let mayor = &data["city"]["mayor"];
    assert_eq!(mayor["person"]["fullName"], "Mathieu Traversy");
    assert_eq!(mayor["title"], "Maire de Terrebonne");
    assert_eq!(mayor["lastAttestedOn"], "2023-11-28");
}

#[tokio::test]
async fn no_mayor_is_claimed_before_any_source_attests_one() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ city(slug: "terrebonne") { mayor(on: "2020-01-01") { id } } }"#,
            json!({}),
        )
        .await;
    assert!(data["city"]["mayor"].is_null());
}

#[tokio::test]
async fn the_protocol_has_three_priority_domains_with_their_commitments() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ partnership(slug: "terrebonne-namur-2024-2026") {
                 period { start { edtf } end { edtf latest } }
                 signedOn { edtf } signingPlace { name }
                 domains { nodes { numeral title themes { nodes { slug } } commitments { totalCount nodes { position text } } } }
               } }"#,
            json!({}),
        )
        .await;
    let partnership = &data["partnership"];
    assert_eq!(partnership["period"]["start"]["edtf"], "2024");
    assert_eq!(partnership["period"]["end"]["latest"], "2026-12-31");
    assert_eq!(partnership["signedOn"]["edtf"], "2023-11-28");
    assert_eq!(partnership["signingPlace"]["name"], "Namur");
    let domains = partnership["domains"]["nodes"].as_array().unwrap();
    let numerals: Vec<_> = domains
        .iter()
        .map(|d| d["numeral"].as_str().unwrap())
        .collect();
    assert_eq!(numerals, ["I", "II", "III"]);
    assert_eq!(domains[1]["title"], "Le développement social et économique");
    let themes: Vec<_> = domains[1]["themes"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].clone())
        .collect();
    assert_eq!(themes.len(), 2, "domain II maps to two taxonomy themes");
    for domain in domains {
        assert_eq!(domain["commitments"]["totalCount"], 3);
        assert_eq!(domain["commitments"]["nodes"][0]["position"], 1);
    }
    assert!(
        domains[2]["commitments"]["nodes"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Faciliter la mobilité")
    );
}

#[tokio::test]
async fn the_protocol_says_who_signed_for_whom() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ partnership(slug: "terrebonne-namur-2024-2026") { signatories { nodes {
                 person { fullName } titleThen capacity
                 party { role actor { ... on City { name } ... on Organisation { name } } sideOf { actor { ... on City { name } } } }
               } } } }"#,
            json!({}),
        )
        .await;
    let signatories = data["partnership"]["signatories"]["nodes"]
        .as_array()
        .unwrap();
    assert_eq!(signatories.len(), 6);
    let castiaux = signatories
        .iter()
        .find(|s| s["person"]["fullName"] == "Annick Castiaux")
        .unwrap();
    assert_eq!(castiaux["capacity"], "PARTNER");
    assert_eq!(castiaux["party"]["actor"]["name"], "UNamur");
    assert_eq!(castiaux["party"]["sideOf"]["actor"]["name"], "Namur");
    let prevot = signatories
        .iter()
        .find(|s| s["person"]["fullName"] == "Maxime Prévot")
        .unwrap();
    assert_eq!(prevot["titleThen"], "Bourgmestre de Namur");
    assert_eq!(prevot["party"]["actor"]["name"], "Namur");
    assert!(prevot["party"]["sideOf"].is_null());
}

#[tokio::test]
async fn the_union_had_one_president_in_2019_and_another_in_2023() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ organisation(slug: "umq") {
                 in2019: leaders(on: "2019-04-18") { role person { fullName } }
                 in2023: leaders(on: "2023-11-14") { role person { fullName } }
                 mandates(filter: {}) { nodes { role person { fullName } attestations { on } } }
               } }"#,
            json!({}),
        )
        .await;
    let president = |key: &str| {
        data["organisation"][key]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["role"] == "PRESIDENT")
            .map(|m| m["person"]["fullName"].as_str().unwrap().to_owned())
    };
    assert_eq!(president("in2019").as_deref(), Some("Alexandre Cusson"));
    assert_eq!(president("in2023").as_deref(), Some("Martin Damphousse"));
}

#[tokio::test]
async fn iveo_is_linked_to_the_union_by_an_agreement_and_supported_by_quebec() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ organisation(slug: "iveo") {
                 kind founded { edtf approximate }
                 partnerships { nodes { title titleIsDescriptive parties { nodes { organisation { slug } } } } }
                 relations { nodes { kind from { slug } to { slug } } }
                 statedFigures { nodes { value qualifier asOf } }
                 themes { nodes { slug } }
               } }"#,
            json!({}),
        )
        .await;
    let iveo = &data["organisation"];
    assert_eq!(iveo["kind"], "NON_PROFIT");
    assert_eq!(iveo["founded"]["edtf"], "2018~");
    assert_eq!(iveo["founded"]["approximate"], true);
    let partnership = &iveo["partnerships"]["nodes"][0];
    assert_eq!(partnership["titleIsDescriptive"], true);
    let parties: Vec<_> = partnership["parties"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["organisation"]["slug"].clone())
        .collect();
    assert_eq!(parties, [json!("umq"), json!("iveo")]);
    let relation = &iveo["relations"]["nodes"][0];
    assert_eq!(relation["kind"], "SUPPORTS");
    assert_eq!(relation["from"]["slug"], "gouvernement-du-quebec");
    let figure = &iveo["statedFigures"]["nodes"][0];
    assert_eq!(figure["value"], 60.0);
    assert_eq!(figure["qualifier"], "ABOUT");
    assert_eq!(figure["asOf"], "2023-11-14");
    assert_eq!(iveo["themes"]["nodes"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn the_agreement_only_proposes_new_group_purchases() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ groupPurchases(filter: { status: PROPOSED }) { totalCount nodes { organiser { slug } origin { slug } eligibility tenderPeriod { startDate } } } }"#,
            json!({}),
        )
        .await;
    let purchases = &data["groupPurchases"];
    assert_eq!(purchases["totalCount"], 1);
    let purchase = &purchases["nodes"][0];
    assert_eq!(purchase["organiser"]["slug"], "umq");
    assert_eq!(purchase["origin"]["slug"], "umq-iveo-2023");
    assert!(
        purchase["eligibility"].is_null(),
        "the source does not say who may join"
    );
    assert!(purchase["tenderPeriod"].is_null());
}

#[tokio::test]
async fn search_ignores_case_and_accents() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ a: cities(filter: { search: "montreal" }) { nodes { name } }
                 b: cities(filter: { search: "ÉPINAY" }) { totalCount }
                 c: organisations(filter: { search: "iveo" }) { nodes { name } }
                 d: organisations(filter: { search: "umq" }) { nodes { slug } }
                 e: themes(filter: { search: "decarbon" }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["a"]["nodes"], json!([{ "name": "Montréal" }]));
    assert_eq!(data["b"]["totalCount"], 0);
    assert_eq!(data["c"]["nodes"], json!([{ "name": "IVÉO" }]));
    assert!(
        data["d"]["nodes"]
            .as_array()
            .unwrap()
            .contains(&json!({ "slug": "umq" }))
    );
    assert_eq!(data["e"]["nodes"], json!([{ "slug": "decarbonation" }]));
}

#[tokio::test]
async fn a_city_is_found_by_the_official_code_users_hold() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ issy: city(officialCode: "92040", country: FR) { name subdivisions memberships { nodes { organisation { slug } } } }
                 none: city(officialCode: "92040", country: BE) { name } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["issy"]["name"], "Issy-les-Moulineaux");
    assert_eq!(data["issy"]["subdivisions"], json!(["FR-IDF", "FR-92"]));
    assert_eq!(
        data["issy"]["memberships"]["nodes"][0]["organisation"]["slug"],
        "metropole-du-grand-paris"
    );
    assert!(data["none"].is_null());
}

#[tokio::test]
async fn filters_narrow_the_lists() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ fr95: cities(filter: { subdivision: "FR-95" }) { nodes { slug } }
                 be: cities(filter: { country: BE }) { nodes { slug } }
                 mgp: cities(filter: { memberOf: "metropole-du-grand-paris" }) { totalCount }
                 universities: organisations(filter: { kind: UNIVERSITY }) { totalCount }
                 in2025: partnerships(filter: { activeOn: "2025-06-01" }) { totalCount }
                 in2023: partnerships(filter: { activeOn: "2023-06-01" }) { totalCount }
                 climate: partnerships(filter: { themes: ["transition-climatique-ecologique"] }) { totalCount }
                 universityExchanges: partnerships(filter: { themes: ["echanges-universitaires"] }) { nodes { slug } }
                 active: partnerships(filter: { status: ACTIVE }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["fr95"]["nodes"], json!([{ "slug": "argenteuil" }]));
    assert_eq!(data["be"]["nodes"], json!([{ "slug": "namur" }]));
    assert_eq!(data["mgp"]["totalCount"], 6);
    assert_eq!(data["universities"]["totalCount"], 2);
    assert_eq!(data["in2025"]["totalCount"], 2);
    assert_eq!(
        data["in2023"]["totalCount"], 0,
        "the protocol runs from 2024, the agreement from 2023-11-14"
    );
    assert_eq!(
        data["climate"]["totalCount"], 2,
        "a broad theme finds partnerships tagged with narrower ones"
    );
    assert_eq!(
        data["universityExchanges"]["nodes"],
        json!([{ "slug": "terrebonne-namur-2024-2026" }])
    );
    assert_eq!(data["active"]["totalCount"], 2);
}

#[tokio::test]
async fn every_record_cites_its_sources() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ organisation(slug: "umq") { sources { slug } citations(first: 100) { nodes { factId field derived note } } } }"#,
            json!({}),
        )
        .await;
    let sources: Vec<_> = data["organisation"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].clone())
        .collect();
    assert!(sources.contains(&json!("doc-000-umq-iveo-entente")));
    assert!(sources.contains(&json!("doc-001-umq-autodiagnostic")));
    let citations = data["organisation"]["citations"]["nodes"]
        .as_array()
        .unwrap();
    let founded = citations
        .iter()
        .find(|c| c["factId"] == "D000-014")
        .unwrap();
    assert_eq!(founded["field"], "founded");
    assert_eq!(founded["derived"], true);
}

#[tokio::test]
async fn search_follows_every_write_and_a_short_term_matches_a_prefix() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let find = |term: &'static str| {
        let app = &app;
        async move {
            let data = app
                .data(
                    "query($term: String!) { cities(filter: { search: $term }, first: 100) { nodes { name } } }",
                    json!({ "term": term }),
                )
                .await;
            data["cities"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };

    // Created: found by a substring of its folded name.
    let create =
        "mutation($input: CreateCityInput!) { createCity(input: $input) { city { id version } } }";
    let (_, body) = app
        .post_as(&editor, create, json!({ "input": { "slug": "villefranche", "name": "Villefranche-sur-Saône", "country": "FR" } }))
        .await;
    let city = body["data"]["createCity"]["city"].clone();
    assert_eq!(find("SAONE").await, ["Villefranche-sur-Saône"]);

    // Renamed: found by the new name only.
    let update =
        "mutation($input: UpdateCityInput!) { updateCity(input: $input) { city { name } } }";
    app.post_as(&editor, update, json!({ "input": { "id": city["id"], "version": city["version"], "name": "Villefranche-de-Rouergue" } }))
        .await;
    assert!(find("saone").await.is_empty());
    assert_eq!(find("rouergue").await, ["Villefranche-de-Rouergue"]);

    // Deleted: gone from the index too.
    let delete = "mutation($id: ID!) { deleteCity(input: { id: $id }) { deletedId } }";
    app.post_as(&editor, delete, json!({ "id": city["id"] }))
        .await;
    assert!(find("rouergue").await.is_empty());

    // Under three characters a term is a prefix: "mo" finds Montréal, "nt" does not.
    assert!(find("mo").await.contains(&"Montréal".to_owned()));
    assert!(
        find("mo")
            .await
            .iter()
            .all(|name| name.to_lowercase().starts_with("mo"))
    );
    assert!(!find("nt").await.contains(&"Montréal".to_owned()));
    // Punctuation alone (quotes, LIKE's wildcards) names nothing.
    assert!(find("\"%_").await.is_empty());
}
