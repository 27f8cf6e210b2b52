//! Imports of official data: the French administrative data set and CSV files. A slice of
//! each is imported into the seeded directory, checked over HTTP, then imported again.

use std::path::PathBuf;

use dataset::{ImportError, Silent, Summary};
use persistence::import::Tally;
use serde_json::{Value, json};
use tests::{TestApp, repo_root};

fn fixtures(folder: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(folder)
}

fn tally(created: usize, updated: usize, unchanged: usize) -> Tally {
    Tally {
        created,
        updated,
        unchanged,
    }
}

fn rejects(summary: &Summary) -> Vec<String> {
    summary.rejected.iter().map(ToString::to_string).collect()
}

async fn city_count(app: &TestApp) -> i64 {
    let data = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await;
    data["cities"]["totalCount"].as_i64().unwrap()
}

/// The audit events of `action`, as (actor, entity id, after) triples.
async fn audited(app: &TestApp, action: &str) -> Vec<(String, i64, Value)> {
    let admin = app.token("admin", None).await;
    let (_, body) = app
        .post_as(
            &admin,
            "query($action: String!) { auditEvents(first: 100, filter: { action: $action }) { nodes { actorName entityId after } } }",
            json!({ "action": action }),
        )
        .await;
    body["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|event| {
            let after = event["after"]
                .as_str()
                .map_or(Value::Null, |text| serde_json::from_str(text).unwrap());
            (
                event["actorName"].as_str().unwrap().to_owned(),
                event["entityId"].as_i64().unwrap(),
                after,
            )
        })
        .collect()
}

async fn city_by_code(app: &TestApp, country: &str, code: &str) -> Value {
    app.data(
        "query($code: String!, $country: CountryCode!) { city(officialCode: $code, country: $country) { slug name subdivisions population parent { slug } } }",
        json!({ "code": code, "country": country }),
    )
    .await["city"]
        .clone()
}

#[tokio::test]
async fn the_etalab_slice_is_imported_matched_with_the_seed_and_reimported_unchanged() {
    let app = TestApp::spawn().await;
    let seeded = city_count(&app).await;

    let first = dataset::etalab::import(app.db(), &fixtures("etalab"), &mut Silent)
        .await
        .expect("the slice imports");
    // Argenteuil and Aubervilliers come from the seed documents: updated, not duplicated.
    assert_eq!(first.tally("cities"), tally(4, 2, 0));
    assert_eq!(first.tally("boroughs"), tally(2, 0, 0));
    // The Métropole du Grand Paris is the seed's; the EPT and the CA are new.
    assert_eq!(first.tally("organisations"), tally(2, 1, 0));
    // Two of the métropole's members are already in the seed.
    assert_eq!(first.tally("memberships"), tally(5, 0, 2));
    assert_eq!(
        first.skipped,
        [(
            "not a current commune (commune déléguée or associée)".to_owned(),
            1
        )]
    );
    assert_eq!(
        rejects(&first),
        [
            "communes.json record 10 (01016): missing field `nom`",
            "communes.json record 11 (01017): \"12\" is not an INSEE region code",
            "communes.json record 12 (93066): the same code as record 6",
            "communes.json record 13 (1234): \"1234\" is not an INSEE commune code: five characters, digits or 2A/2B for Corsica",
            "epci.json record 1 (200054781 member 99999): member city 99999 is not stored",
            "epci.json record 3 (12345): \"12345\" is not a SIREN: nine digits",
        ]
    );
    assert_eq!(city_count(&app).await, seeded + 6);

    assert_eq!(
        city_by_code(&app, "FR", "75101").await,
        json!({
            "slug": "paris-1er-arrondissement", "name": "Paris 1er Arrondissement",
            "subdivisions": ["FR-IDF", "FR-75C"], "population": 15917,
            "parent": { "slug": "paris" },
        })
    );
    // Two communes named Saint-Denis: the second slug says its département.
    assert_eq!(
        city_by_code(&app, "FR", "93066").await["slug"],
        "saint-denis"
    );
    assert_eq!(
        city_by_code(&app, "FR", "97411").await["subdivisions"],
        json!(["FR-974"])
    );
    assert_eq!(
        city_by_code(&app, "FR", "97411").await["slug"],
        "saint-denis-974"
    );
    let argenteuil = app
        .data(
            r#"{ city(slug: "argenteuil") { officialCode population } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        argenteuil["city"],
        json!({ "officialCode": "95018", "population": 110213 })
    );
    let bodies = app
        .data(
            r#"{
              mgp: organisation(officialCode: "200054781", country: FR) { slug kindDetail members(first: 1) { totalCount } }
              ept: organisation(officialCode: "200057867", country: FR) { slug kind subdivision parent { slug } members(first: 5) { totalCount } }
            }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        bodies,
        json!({
            "mgp": { "slug": "metropole-du-grand-paris", "kindDetail": "métropole", "members": { "totalCount": 8 } },
            "ept": { "slug": "plaine-commune", "kind": "INTERMUNICIPAL_BODY", "subdivision": "FR-IDF",
                     "parent": { "slug": "metropole-du-grand-paris" }, "members": { "totalCount": 2 } },
        })
    );

    let second = dataset::etalab::import(app.db(), &fixtures("etalab"), &mut Silent)
        .await
        .expect("the slice imports again");
    assert_eq!(second.tally("cities"), tally(0, 0, 6));
    assert_eq!(second.tally("boroughs"), tally(0, 0, 2));
    assert_eq!(second.tally("organisations"), tally(0, 0, 3));
    assert_eq!(second.tally("memberships"), tally(0, 0, 7));
    assert_eq!(rejects(&second), rejects(&first));
    assert_eq!(city_count(&app).await, seeded + 6);
}

#[tokio::test]
async fn a_malformed_file_stops_the_import_before_anything_is_written() {
    let app = TestApp::spawn().await;
    let before = city_count(&app).await;
    let folder = std::env::temp_dir().join(format!("etalab-broken-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["communes.json", "epci.json"] {
        std::fs::copy(fixtures("etalab").join(file), folder.join(file)).unwrap();
    }
    // The last file read is cut in the middle of a record.
    std::fs::write(
        folder.join("ept.json"),
        "[\n{\"code\":\"200057867\",\"nom\":\"Plaine Commune\",\"type\":\"EPT\",\"membres\":[{\"code\"",
    )
    .unwrap();
    let error = dataset::etalab::import(app.db(), &folder, &mut Silent)
        .await
        .expect_err("a cut file is refused");
    std::fs::remove_dir_all(&folder).ok();
    assert!(
        matches!(&error, ImportError::Malformed { file, line: 2, .. } if file == "ept.json"),
        "{error}"
    );
    assert_eq!(city_count(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn csv_files_import_cities_and_organisations_of_any_country() {
    let app = TestApp::spawn().await;
    let cities = dataset::csv::import_cities(app.db(), &fixtures("csv/cities.csv"), &mut Silent)
        .await
        .expect("the cities import");
    // The seed's Namur has no NIS code: it is adopted by name, not duplicated.
    assert_eq!(cities.tally("cities"), tally(1, 1, 0));
    assert_eq!(cities.tally("boroughs"), tally(1, 0, 0));
    assert_eq!(
        rejects(&cities),
        [
            "cities.csv record 4 (12345): subdivision \"BE-WALLONIA\" is not an ISO 3166-2 code such as FR-95 or CA-QC",
            "cities.csv record 5 (55555): column population: invalid digit found in string",
        ]
    );
    let organisations = dataset::csv::import_organisations(
        app.db(),
        &fixtures("csv/organisations.csv"),
        &mut Silent,
    )
    .await
    .expect("the organisations import");
    assert_eq!(organisations.tally("organisations"), tally(1, 0, 0));
    assert_eq!(organisations.tally("memberships"), tally(2, 0, 0));
    assert_eq!(
        rejects(&organisations),
        [
            "organisations.csv record 2 (BE-0000000002): kind: \"charity\" is not a known OrganisationKind"
        ]
    );

    assert_eq!(
        city_by_code(&app, "BE", "92094-1").await,
        json!({
            "slug": "jambes", "name": "Jambes", "subdivisions": ["BE-WAL", "BE-WNA"],
            "population": 20000, "parent": { "slug": "namur" },
        })
    );
    let data = app
        .data(
            r#"{ organisation(officialCode: "BE-0000000001", country: BE) { name kind members(first: 5) { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["organisation"],
        json!({ "name": "Intercommunale du Namurois", "kind": "INTERMUNICIPAL_BODY", "members": { "totalCount": 2 } })
    );

    // Each record the import wrote is an event of the audit trail, under the file's name, as
    // an API write of the same kind would be: two cities created, Namur given its code.
    let by_import = |events: Vec<(String, i64, Value)>| -> Vec<Value> {
        events
            .into_iter()
            .filter(|(actor, _, _)| actor == "import cities.csv")
            .map(|(_, _, after)| after)
            .collect()
    };
    let created = by_import(audited(&app, "create_city").await);
    let names: Vec<&str> = created
        .iter()
        .map(|after| after["name"].as_str().unwrap())
        .collect();
    assert_eq!(created.len(), 2, "{created:?}");
    assert!(names.contains(&"Jambes"), "{names:?}");
    assert!(
        created
            .iter()
            .all(|after| after["slug"].is_string() && after["version"] == 1)
    );
    let adopted = by_import(audited(&app, "update_city").await);
    // Namur, adopted: given its code, then the fields the file gives otherwise.
    assert!(
        adopted.contains(&json!({ "officialCode": "92094" })),
        "{adopted:?}"
    );
    assert!(
        adopted
            .iter()
            .any(|after| after["name"] == "Namur" && after["population"] == 113000),
        "{adopted:?}"
    );
    assert_eq!(adopted.len(), 2, "{adopted:?}");
    let members = audited(&app, "add_membership").await;
    let imported = members
        .iter()
        .filter(|(actor, _, _)| actor == "import organisations.csv");
    assert_eq!(imported.count(), 2);

    let recorded =
        audited(&app, "create_city").await.len() + audited(&app, "update_city").await.len();
    let again = dataset::csv::import_cities(app.db(), &fixtures("csv/cities.csv"), &mut Silent)
        .await
        .expect("the cities import again");
    assert_eq!(again.tally("cities"), tally(0, 0, 2));
    assert_eq!(again.tally("boroughs"), tally(0, 0, 1));
    let events =
        audited(&app, "create_city").await.len() + audited(&app, "update_city").await.len();
    assert_eq!(
        events, recorded,
        "a run that changes nothing records nothing"
    );
}

#[tokio::test]
async fn the_synthetic_layer_gives_every_city_a_mayor_and_is_generated_once() {
    let app = TestApp::spawn().await;
    dataset::etalab::import(app.db(), &fixtures("etalab"), &mut Silent)
        .await
        .expect("the slice imports");
    let sizes = dataset::synthetic::Sizes {
        partnerships: 30,
        group_purchases: 5,
    };
    let generated = dataset::synthetic::generate(app.db(), 7, sizes, &mut Silent)
        .await
        .expect("the layer is generated");
    assert_eq!(generated.partnerships, 30);
    assert_eq!(generated.group_purchases, 5);
    // An editor's token: drafts are seen only with one.
    let editor = app.token("editor", None).await;
    let (_, body) = app
        .post_as(
            &editor,
            r#"{
              paris: city(officialCode: "75056", country: FR) { mayor { person { slug } } }
              terrebonne: city(slug: "terrebonne") { mayor { person { fullName } } }
              partnerships(first: 100, filter: { search: "synthetic partnership" }) {
                totalCount
                nodes { slug parties(first: 10) { totalCount } }
              }
              groupPurchases(first: 10, filter: { search: "synthetic" }) { totalCount }
            }"#,
            json!({}),
        )
        .await;
    let data = &body["data"];
    assert!(
        data["paris"]["mayor"]["person"]["slug"]
            .as_str()
            .unwrap()
            .starts_with("syn-"),
        "{data}"
    );
    // A city that had a mayor keeps them.
    assert_eq!(
        data["terrebonne"]["mayor"]["person"]["fullName"],
        "Mathieu Traversy"
    );
    assert_eq!(data["partnerships"]["totalCount"], 30);
    for node in data["partnerships"]["nodes"].as_array().unwrap() {
        assert!(
            node["slug"]
                .as_str()
                .unwrap()
                .starts_with("syn-partnership-")
        );
        let parties = node["parties"]["totalCount"].as_i64().unwrap();
        assert!((2..=5).contains(&parties), "{node}");
    }
    assert_eq!(data["groupPurchases"]["totalCount"], 5);
    // The generated records are in the audit trail under the generator's name.
    let generated_partnerships = audited(&app, "create_partnership").await;
    let by_generator = generated_partnerships
        .iter()
        .filter(|(actor, _, _)| actor == "generate");
    assert_eq!(by_generator.count(), 30);

    let again = dataset::synthetic::generate(app.db(), 7, sizes, &mut Silent).await;
    assert!(
        matches!(
            again,
            Err(dataset::synthetic::GenerateError::AlreadyGenerated)
        ),
        "{again:?}"
    );
}
