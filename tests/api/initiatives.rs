//! "Who already tried this, where, and did it work?": initiatives filtered by theme, status,
//! country, city size, evidence and pitfalls, on a fixture whose answers are known.

use serde_json::{Value, json};
use tests::TestApp;

/// Four cities (two French of 10,000 and 55,000 inhabitants, a Québec one of 12,000, a
/// French one of unknown size), a network leading an initiative without a city, and five
/// initiatives: street lighting tried in A, adapted in B, tried in C; a shuttle abandoned in
/// D; a mobility pathway planned by the network.
const FIXTURE: &str = r#"
[source]
slug = "initiatives-fixture"
kind = "other"
title = "Initiatives fixture"

[[theme]]
slug = "eclairage-test"
label_fr = "Éclairage intelligent"
label_en = "Smart lighting"
parent = "efficacite-energetique"

[[theme]]
slug = "mobilite-test"
label_fr = "Navettes"
label_en = "Shuttles"

[[city]]
slug = "ville-a"
name = "Ville A"
country = "FR"
population = 10000

[[city]]
slug = "ville-b"
name = "Ville B"
country = "FR"
population = 55000

[[city]]
slug = "ville-c"
name = "Ville C"
country = "CA"
population = 12000

[[city]]
slug = "ville-d"
name = "Ville D"
country = "FR"

[[organisation]]
slug = "fournisseur-x"
name = "Fournisseur X"
kind = "company"
country = "FR"

[[organisation]]
slug = "reseau-y"
name = "Réseau Y"
kind = "network"
country = "FR"

[[initiative]]
slug = "eclairage-a"
title = "Essai éclairage A"
kind = "experiment"
status = "evaluated"
start = "2021"
end = "2022"
city = "ville-a"
provider = "fournisseur-x"
themes = ["eclairage-test"]

[[initiative.outcome]]
indicator = "Consommation d'électricité de l'éclairage public"
unit = "MWh/an"
baseline = 100
target = 70
actual = 65
evidence_level = "independently_evaluated"

[[initiative.lesson]]
kind = "success"
text = "Un achat groupé a divisé le prix des luminaires."
topics = ["procurement"]

[[initiative.lesson]]
kind = "pitfall"
text = "Le protocole propriétaire du fournisseur empêche d'en changer."
topics = ["vendor_lock_in", "interoperability"]

[[initiative]]
slug = "eclairage-b"
title = "Essai éclairage B"
kind = "solution"
status = "deployed"
start = "2023"
city = "ville-b"
adapted_from = "eclairage-a"
adaptation = "Capteurs de présence ajoutés ; protocole ouvert exigé."
themes = ["eclairage-test"]

[[initiative.outcome]]
indicator = "Consommation d'électricité de l'éclairage public"
unit = "MWh/an"
baseline = 400
target = 300
actual = 320
evidence_level = "self_reported"

[[initiative.lesson]]
kind = "pitfall"
text = "Les capteurs demandent un entretien plus coûteux que prévu."
topics = ["maintenance_cost"]

[[initiative]]
slug = "eclairage-c"
title = "Essai éclairage C"
kind = "experiment"
status = "experimenting"
city = "ville-c"
themes = ["eclairage-test"]

[[initiative.outcome]]
indicator = "Plaintes des riverains"
baseline = 12
target = 6
actual = 4
evidence_level = "peer_reviewed"

[[initiative.lesson]]
kind = "pitfall"
text = "Un seul fournisseur maîtrise la plateforme de pilotage."
topics = ["vendor_lock_in"]

[[initiative]]
slug = "navette-d"
title = "Essai navette D"
kind = "experiment"
status = "abandoned"
city = "ville-d"
themes = ["mobilite-test"]

[[initiative.lesson]]
kind = "pitfall"
text = "Les habitants n'ont pas adopté la navette autonome."
topics = ["citizen_acceptance"]

[[initiative]]
slug = "parcours-mobilite-y"
title = "Essai parcours mobilité Y"
kind = "pathway"
status = "planned"
themes = ["mobilite-test"]

[[initiative.organisation]]
organisation = "reseau-y"
role = "lead"
"#;

async fn app() -> TestApp {
    TestApp::spawn_with(&[("900-initiatives.toml", FIXTURE.to_owned())]).await
}

/// The slugs of the initiatives a filter finds, in order.
async fn found(app: &TestApp, filter: Value) -> Vec<String> {
    let data = app
        .data(
            "query($filter: InitiativeFilter) { initiatives(first: 50, filter: $filter) { nodes { slug } } }",
            json!({ "filter": filter }),
        )
        .await;
    data["initiatives"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| n["slug"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn initiatives_are_found_by_theme_country_size_evidence_pitfall_and_status() {
    let app = app().await;

    // A broad theme finds the initiatives tagged with a narrower one.
    assert_eq!(
        found(&app, json!({ "themes": ["efficacite-energetique"] })).await,
        ["eclairage-a", "eclairage-b", "eclairage-c"]
    );
    // The country is the city's…
    assert_eq!(
        found(
            &app,
            json!({ "themes": ["eclairage-test"], "country": "FR" })
        )
        .await,
        ["eclairage-a", "eclairage-b"]
    );
    // …or, without a city, a lead organisation's.
    assert_eq!(
        found(
            &app,
            json!({ "themes": ["mobilite-test"], "country": "FR" })
        )
        .await,
        ["navette-d", "parcours-mobilite-y"]
    );
    // Cities of similar size; a city of unknown size is left out.
    assert_eq!(
        found(
            &app,
            json!({ "search": "essai", "cityPopulation": { "min": 5000, "max": 20000 } })
        )
        .await,
        ["eclairage-a", "eclairage-c"]
    );
    // Evidence at least peer-reviewed: independently evaluated counts, self-reported not.
    assert_eq!(
        found(
            &app,
            json!({ "search": "essai", "evidenceAtLeast": "PEER_REVIEWED" })
        )
        .await,
        ["eclairage-a", "eclairage-c"]
    );
    // Who ran into vendor lock-in?
    assert_eq!(
        found(&app, json!({ "pitfalls": ["VENDOR_LOCK_IN"] })).await,
        ["eclairage-a", "eclairage-c"]
    );
    assert_eq!(
        found(
            &app,
            json!({ "search": "essai", "status": ["ABANDONED", "PLANNED"] })
        )
        .await,
        ["navette-d", "parcours-mobilite-y"]
    );
    assert_eq!(
        found(&app, json!({ "provider": "fournisseur-x" })).await,
        ["eclairage-a"]
    );
}

#[tokio::test]
async fn an_initiative_shows_its_evidence_its_lessons_and_how_its_replications_did() {
    let app = app().await;

    let data = app
        .data(
            r#"{ initiative(slug: "eclairage-a") {
                status provider { name }
                outcomes { nodes { indicator baseline target actual targetReached evidenceLevel period { start { edtf } } } }
                lessons { nodes { kind text topics { topic labelFr labelEn } } }
                replications { nodes { slug adaptation city { name } adaptedFrom { slug }
                    outcomes { nodes { targetReached evidenceLevel } } } }
            } }"#,
            json!({}),
        )
        .await;
    let initiative = &data["initiative"];
    assert_eq!(initiative["status"], "EVALUATED");
    assert_eq!(initiative["provider"]["name"], "Fournisseur X");
    let outcome = &initiative["outcomes"]["nodes"][0];
    assert_eq!(
        outcome["targetReached"], true,
        "65 is below the target of 70"
    );
    assert_eq!(outcome["evidenceLevel"], "INDEPENDENTLY_EVALUATED");
    let lessons = initiative["lessons"]["nodes"].as_array().unwrap();
    assert_eq!(lessons.len(), 2);
    assert_eq!(lessons[1]["kind"], "PITFALL");
    assert_eq!(
        lessons[1]["topics"][0],
        json!({ "topic": "VENDOR_LOCK_IN", "labelFr": "Dépendance à un fournisseur", "labelEn": "Vendor lock-in" })
    );
    let replica = &initiative["replications"]["nodes"][0];
    assert_eq!(replica["slug"], "eclairage-b");
    assert_eq!(replica["city"]["name"], "Ville B");
    assert_eq!(replica["adaptedFrom"]["slug"], "eclairage-a");
    assert!(
        replica["adaptation"]
            .as_str()
            .unwrap()
            .contains("protocole ouvert")
    );
    assert_eq!(
        replica["outcomes"]["nodes"][0]["targetReached"], false,
        "320 is above the target of 300"
    );
}

#[tokio::test]
async fn lessons_are_searched_across_initiatives_by_topic_kind_and_text() {
    let app = app().await;

    let data = app
        .data(
            r#"{ byTopic: lessons(filter: { kind: PITFALL, topics: [VENDOR_LOCK_IN] }) { nodes { initiative { slug } } }
                 byText: lessons(filter: { search: "capteurs" }) { nodes { text } }
                 successes: lessons(filter: { kind: SUCCESS, topics: [PROCUREMENT, FUNDING] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    let by_topic: Vec<&str> = data["byTopic"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["initiative"]["slug"].as_str().unwrap())
        .collect();
    assert_eq!(by_topic.len(), 2);
    assert!(by_topic.contains(&"eclairage-a") && by_topic.contains(&"eclairage-c"));
    assert_eq!(data["byText"]["nodes"].as_array().unwrap().len(), 1);
    assert_eq!(data["successes"]["totalCount"], 1);
}

#[tokio::test]
async fn a_population_range_upside_down_is_refused_with_the_field_named() {
    let app = app().await;

    let error = app
        .error(
            r#"{ initiatives(filter: { cityPopulation: { min: 50000, max: 1000 } }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT");
    assert_eq!(error["extensions"]["argument"], "filter.cityPopulation");
}
