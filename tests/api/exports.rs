//! Bulk exports over HTTP: every kind as CSV and JSON Lines with its documented columns,
//! Popolo and OCDS (checked by the official schema), versions and `304`, and the same
//! visibility as every read: drafts and contact details only for those who may see them.

use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tests::{TestApp, repo_root};

use api::export::Kind;

/// A person with contact details, and a draft agreement between Terrebonne and the UMQ.
const FIXTURE: &str = r#"
[source]
slug = "export-fixture"
kind = "other"
title = "Export fixture"

[[person]]
slug = "personne-joignable"
full_name = "Personne Joignable"
email = "joignable@example.org"
phone = "+1 450 555 0100"

[[partnership]]
slug = "brouillon-export"
title = "Entente d'export en préparation"
kind = "cooperation_protocol"
status = "draft"
start = "2025"

[[partnership.party]]
key = "terrebonne"
city = "terrebonne"
role = "party"

[[partnership.party]]
key = "umq"
organisation = "umq"
role = "partner"
side_of = "terrebonne"
"#;

async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("999-export.toml", FIXTURE.to_owned())]).await
}

/// GETs an export as `token` (anonymous when none), with extra request headers.
async fn get(
    app: &TestApp,
    file: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, HeaderMap, String) {
    let mut request = app.client.get(format!("{}/exports/{file}", app.address));
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (
        status,
        headers,
        response.text().await.expect("a whole body"),
    )
}

/// GETs an export that must answer 200, and returns its body.
async fn body(app: &TestApp, file: &str, token: Option<&str>) -> String {
    let (status, _, body) = get(app, file, token, &[]).await;
    assert_eq!(status, 200, "{file}: {body}");
    body
}

/// A CSV export's header and records, read by an RFC 4180 reader.
fn csv(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|record| {
            record
                .expect("a well-formed record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect();
    (header, records)
}

/// A JSON Lines export's objects.
fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect()
}

/// The records of a CSV export as maps from column to field.
fn csv_rows(text: &str) -> Vec<serde_json::Map<String, Value>> {
    let (header, records) = csv(text);
    records
        .into_iter()
        .map(|record| {
            header
                .iter()
                .cloned()
                .zip(record.into_iter().map(Value::from))
                .collect()
        })
        .collect()
}

fn names(kind: Kind) -> Vec<&'static str> {
    kind.columns().iter().map(|column| column.name).collect()
}

#[tokio::test]
async fn every_kind_is_exported_as_csv_and_json_lines_with_the_columns_the_readme_documents() {
    // Arrange: the seed, and a participation, which the seed has none of.
    let app = spawn().await;
    let editor = app.token("admin", None).await;
    group_purchases_at_every_stage(&app, &editor).await;
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");

    for kind in Kind::ALL {
        // Act
        let (status, headers, text) =
            get(&app, &format!("{}.csv", kind.name()), Some(&editor), &[]).await;
        let json_lines = body(&app, &format!("{}.jsonl", kind.name()), Some(&editor)).await;

        // Assert
        assert_eq!(status, 200, "{}: {text}", kind.name());
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv"),
            "{headers:?}"
        );
        let (header, records) = csv(&text);
        assert_eq!(header, names(kind), "{}", kind.name());
        assert!(!records.is_empty(), "{} holds the seed's", kind.name());
        assert!(records.iter().all(|record| record.len() == header.len()));
        assert!(text.ends_with("\r\n"), "RFC 4180 ends records with CRLF");
        let objects = lines(&json_lines);
        assert_eq!(objects.len(), records.len(), "{}", kind.name());
        for (line, object) in json_lines.lines().zip(&objects) {
            let keys = object.as_object().expect("an object");
            assert_eq!(keys.len(), header.len(), "{line}");
            // The keys come in the columns' order (a parsed map would not show it).
            let at: Vec<usize> = names(kind)
                .iter()
                .map(|name| line.find(&format!("\"{name}\":")).expect("every column"))
                .collect();
            assert!(
                at.is_sorted(),
                "{}: keys in the columns' order: {line}",
                kind.name()
            );
        }
        let documented = format!("| `{}` | {} |", kind.name(), names(kind).join(", "));
        assert!(
            readme.contains(&documented),
            "README documents the columns of {}: {documented}",
            kind.name()
        );
    }
}

#[tokio::test]
async fn a_known_city_is_in_the_csv_the_json_lines_and_popolo() {
    // Arrange
    let app = spawn().await;

    // Act
    let rows = csv_rows(&body(&app, "cities.csv", None).await);
    let objects = lines(&body(&app, "cities.jsonl", None).await);
    let popolo: Value = serde_json::from_str(&body(&app, "popolo.json", None).await).unwrap();

    // Assert
    let row = rows
        .iter()
        .find(|row| row["slug"] == "argenteuil")
        .expect("Argenteuil is exported");
    assert_eq!(row["official_code"], "95018");
    assert_eq!(row["country"], "FR");
    assert_eq!(row["subdivisions"], "FR-IDF FR-95");
    assert_eq!(row["parent_id"], "", "no parent: an empty field");
    let object = objects
        .iter()
        .find(|object| object["slug"] == "argenteuil")
        .expect("Argenteuil is exported");
    assert_eq!(object["subdivisions"], json!(["FR-IDF", "FR-95"]));
    assert_eq!(object["parent_id"], Value::Null);
    assert_eq!(object["id"].as_str(), row["id"].as_str());
    let city = popolo["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organization| organization["id"] == object["id"])
        .expect("Argenteuil is a Popolo organization");
    assert_eq!(city["classification"], "city");
    assert!(
        city["identifiers"]
            .as_array()
            .unwrap()
            .contains(&json!({ "scheme": "official_code", "identifier": "FR:95018" })),
        "{city}"
    );
}

#[tokio::test]
async fn the_popolo_document_links_people_to_the_organizations_they_belong_to() {
    // Arrange
    let app = spawn().await;

    // Act
    let popolo: Value = serde_json::from_str(&body(&app, "popolo.json", None).await).unwrap();

    // Assert
    let keys: Vec<&String> = popolo.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
    let ids = |section: &str| -> Vec<Value> {
        popolo[section]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["id"].clone())
            .collect()
    };
    let (persons, organizations) = (ids("persons"), ids("organizations"));
    let traversy = popolo["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|person| person["name"] == "Mathieu Traversy")
        .expect("a seed person");
    assert_eq!(traversy["family_name"], "Traversy");
    let terrebonne = popolo["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organization| organization["name"] == "Terrebonne")
        .expect("a seed city");
    let memberships = popolo["memberships"].as_array().unwrap();
    assert!(
        memberships
            .iter()
            .any(|membership| membership["person_id"] == traversy["id"]
                && membership["organization_id"] == terrebonne["id"]
                && membership["role"] == "mayor"),
        "the mayor's mandate is a membership of the city"
    );
    assert!(
        memberships
            .iter()
            .any(|membership| membership["member"]["@type"] == "Organization"),
        "a city's membership of an organisation"
    );
    for membership in memberships {
        assert!(
            organizations.contains(&membership["organization_id"]),
            "{membership}"
        );
        match membership.get("person_id") {
            Some(person) => assert!(persons.contains(person), "{membership}"),
            None => assert!(
                organizations.contains(&membership["member"]["id"]),
                "{membership}"
            ),
        }
    }
}

/// Group purchases at every stage, written through the API as an admin.
async fn group_purchases_at_every_stage(app: &TestApp, admin: &str) {
    let steps = r#"mutation {
      planned: createGroupPurchase(input: { slug: "export-planifie", title: "Exemple : flotte électrique",
          organiser: "FR:200054781", eligibility: MEMBERS_OF_ORGANISER }) { userErrors { field code message } }
      valued: updateGroupPurchase(input: { id: "export-planifie", version: 1, estimatedValue: 250000, currency: "EUR" }) { userErrors { field code message } }
      open: createGroupPurchase(input: { slug: "export-ouvert", title: "Exemple : bornes de recharge",
          organiser: "FR:200054781", eligibility: MEMBERS_OF_ORGANISER }) { userErrors { field code message } }
      opened: openGroupPurchase(input: { id: "export-ouvert", version: 1, tender: { start: "2020-01", end: "2099-12" } }) { userErrors { field code message } }
      joined: joinGroupPurchase(input: { groupPurchase: "export-ouvert", city: "argenteuil", estimatedQuantity: 12 }) { userErrors { field code message } }
      awarded: createGroupPurchase(input: { slug: "export-attribue", title: "Exemple : éclairage à DEL",
          organiser: "umq", eligibility: ANYONE }) { userErrors { field code message } }
      openedToAward: openGroupPurchase(input: { id: "export-attribue", version: 1, tender: { start: "2024-01", end: "2024-03" } }) { userErrors { field code message } }
      closed: closeGroupPurchase(input: { id: "export-attribue", version: 2 }) { userErrors { field code message } }
      award: awardGroupPurchase(input: { id: "export-attribue", version: 3, supplier: "iveo", contract: { start: "2024-06", end: "2027-05" } }) { userErrors { field code message } }
      cancelled: createGroupPurchase(input: { slug: "export-annule", title: "Exemple : déneigement",
          organiser: "umq", eligibility: ANYONE }) { userErrors { field code message } }
      cancel: cancelGroupPurchase(input: { id: "export-annule", version: 1 }) { userErrors { field code message } }
    }"#;
    let (_, answer) = app.post_as(admin, steps, json!({})).await;
    assert!(answer["errors"].is_null(), "{answer:#}");
    for (step, payload) in answer["data"].as_object().unwrap() {
        assert_eq!(payload["userErrors"], json!([]), "{step}: {payload}");
    }
}

#[tokio::test]
async fn group_purchases_are_an_ocds_release_package_that_the_official_schema_accepts() {
    // Arrange
    let app = spawn().await;
    let admin = app.token("admin", None).await;
    group_purchases_at_every_stage(&app, &admin).await;

    // Act
    let (status, headers, text) = get(&app, "group-purchases.ocds.json", None, &[]).await;

    // Assert
    assert_eq!(status, 200, "{text}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let package: Value = serde_json::from_str(&text).expect("one JSON document");
    assert_eq!(package["version"], "1.1");
    assert!(
        package["uri"]
            .as_str()
            .unwrap()
            .ends_with("/exports/group-purchases.ocds.json")
    );
    let releases = package["releases"].as_array().unwrap();
    let release = |slug_title: &str| -> &Value {
        releases
            .iter()
            .find(|release| release["tender"]["title"] == slug_title)
            .unwrap_or_else(|| panic!("a release for {slug_title}: {package:#}"))
    };
    let open = release("Exemple : bornes de recharge");
    assert!(
        open["ocid"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}-", api::export::OCID_PREFIX))
    );
    assert_eq!(open["tag"], json!(["tender"]));
    assert_eq!(open["tender"]["status"], "active");
    assert_eq!(
        open["tender"]["tenderPeriod"]["startDate"],
        "2020-01-01T00:00:00Z"
    );
    assert_eq!(
        open["tender"]["tenderPeriod"]["endDate"],
        "2099-12-31T23:59:59Z"
    );
    let argenteuil = open["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|party| party["name"] == "Argenteuil")
        .expect("the city that joined is a party");
    assert_eq!(argenteuil["roles"], json!(["buyer"]));
    assert_eq!(open["buyer"]["name"], "Métropole du Grand Paris");
    let awarded = release("Exemple : éclairage à DEL");
    assert_eq!(awarded["tag"], json!(["award", "contract"]));
    assert_eq!(
        awarded["awards"][0]["suppliers"][0]["name"],
        awarded["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|party| party["roles"] == json!(["supplier"]))
            .expect("the supplier is a party")["name"]
    );
    assert_eq!(
        awarded["contracts"][0]["awardID"],
        awarded["awards"][0]["id"]
    );
    assert_eq!(
        awarded["contracts"][0]["period"]["endDate"],
        "2027-05-31T23:59:59Z"
    );
    assert_eq!(
        release("Exemple : déneigement")["tender"]["status"],
        "cancelled"
    );
    assert_eq!(
        release("Exemple : flotte électrique")["tender"]["value"],
        json!({ "amount": 250000.0, "currency": "EUR" })
    );

    // The official schema accepts the package (Python's jsonschema, scripts/ocds-validate).
    let file = std::env::temp_dir().join(format!(
        "partner-directory-ocds-{}-{}.json",
        std::process::id(),
        app.address.rsplit(':').next().unwrap()
    ));
    std::fs::write(&file, &text).expect("write the package");
    let validated = std::process::Command::new("bash")
        .arg(repo_root().join("scripts/ocds-validate"))
        .arg(&file)
        .output()
        .expect("scripts/ocds-validate runs");
    let _ = std::fs::remove_file(&file);
    let report = String::from_utf8_lossy(&validated.stdout);
    assert!(
        validated.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&validated.stderr)
    );
    assert!(report.contains("valid OCDS release package"), "{report}");
}

#[tokio::test]
async fn an_unchanged_export_answers_304_and_a_write_gives_it_a_new_etag() {
    // Arrange
    let app = spawn().await;
    let editor = app.token("editor", None).await;
    let (_, first, _) = get(&app, "cities.csv", None, &[]).await;
    let etag = first["etag"].to_str().unwrap().to_owned();
    let last_modified = first["last-modified"].to_str().unwrap().to_owned();

    // Act
    let (same, same_headers, same_body) =
        get(&app, "cities.csv", None, &[("if-none-match", &etag)]).await;
    let (since, _, _) = get(
        &app,
        "cities.csv",
        None,
        &[("if-modified-since", &last_modified)],
    )
    .await;
    let (other_audience, editor_headers, _) = get(
        &app,
        "cities.csv",
        Some(&editor),
        &[("if-none-match", &etag)],
    )
    .await;
    let (other_kind, _, _) = get(&app, "people.csv", None, &[("if-none-match", &etag)]).await;
    let city = app
        .data(r#"{ city(slug: "argenteuil") { id version } }"#, json!({}))
        .await["city"]
        .clone();
    let (_, updated) = app
        .post_as(
            &editor,
            "mutation($input: UpdateCityInput!) { updateCity(input: $input) { userErrors { code } } }",
            json!({ "input": { "id": city["id"], "version": city["version"], "population": 111000 } }),
        )
        .await;
    let (after_write, after_headers, after_body) =
        get(&app, "cities.csv", None, &[("if-none-match", &etag)]).await;

    // Assert
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(same, 304);
    assert_eq!(same_body, "");
    assert_eq!(same_headers["etag"].to_str().unwrap(), etag);
    assert_eq!(since, 304);
    assert_eq!(other_audience, 200, "an editor's export is another version");
    assert_ne!(editor_headers["etag"], first["etag"]);
    assert_eq!(editor_headers["cache-control"], "private, no-cache");
    assert_eq!(first["cache-control"], "no-cache");
    assert_eq!(other_kind, 200);
    assert_eq!(updated["data"]["updateCity"]["userErrors"], json!([]));
    assert_eq!(after_write, 200);
    assert_ne!(after_headers["etag"].to_str().unwrap(), etag);
    assert!(
        after_body.contains(",111000,"),
        "the new population is exported"
    );
}

#[tokio::test]
async fn a_draft_partnership_and_its_parties_are_exported_only_to_those_who_see_it() {
    // Arrange
    let app = spawn().await;
    let editor = app.token("editor", None).await;
    let party_partner = app.token("partner", Some("umq")).await;
    let other_partner = app.token("partner", Some("iveo")).await;
    let (_, created) = app
        .post_as(
            &editor,
            r#"mutation { createGroupPurchase(input: { slug: "issu-du-brouillon", title: "Exemple : issu d'un brouillon",
                organiser: "umq", origin: "brouillon-export", eligibility: ANYONE }) { userErrors { field code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        created["data"]["createGroupPurchase"]["userErrors"],
        json!([]),
        "{created}"
    );

    for (caller, token, sees) in [
        ("anonymous", None, false),
        (
            "a partner of another organisation",
            Some(other_partner.as_str()),
            false,
        ),
        ("a partner of a party", Some(party_partner.as_str()), true),
        ("an editor", Some(editor.as_str()), true),
    ] {
        // Act
        let partnerships = lines(&body(&app, "partnerships.jsonl", token).await);
        let parties = csv_rows(&body(&app, "partnership-parties.csv", token).await);
        let purchases = lines(&body(&app, "group-purchases.jsonl", token).await);

        // Assert
        let draft = partnerships
            .iter()
            .find(|partnership| partnership["slug"] == "brouillon-export");
        assert_eq!(draft.is_some(), sees, "{caller}: the draft");
        assert!(
            partnerships
                .iter()
                .any(|p| p["slug"] == "terrebonne-namur-2024-2026"),
            "{caller}: a published partnership"
        );
        let its_parties = parties
            .iter()
            .filter(|party| party["partnership_slug"] == "brouillon-export")
            .count();
        assert_eq!(
            its_parties,
            if sees { 2 } else { 0 },
            "{caller}: its parties"
        );
        let purchase = purchases
            .iter()
            .find(|purchase| purchase["slug"] == "issu-du-brouillon")
            .expect("a group purchase is public");
        if sees {
            assert_eq!(
                purchase["origin_partnership_slug"], "brouillon-export",
                "{caller}"
            );
            assert_eq!(purchase["origin_partnership_id"], draft.unwrap()["id"]);
        } else {
            assert_eq!(purchase["origin_partnership_id"], Value::Null, "{caller}");
            assert_eq!(purchase["origin_partnership_slug"], Value::Null, "{caller}");
        }
    }
}

#[tokio::test]
async fn contact_details_are_exported_to_token_holders_only() {
    // Arrange
    let app = spawn().await;
    let partner = app.token("partner", Some("iveo")).await;

    for (token, reads) in [(None, false), (Some(partner.as_str()), true)] {
        // Act
        let contacts = body(&app, "contact-points.csv", token).await;
        let people = lines(&body(&app, "people.jsonl", token).await);
        let popolo: Value = serde_json::from_str(&body(&app, "popolo.json", token).await).unwrap();

        // Assert
        assert_eq!(contacts.contains("438 827-4560"), reads, "{contacts}");
        let rows = csv_rows(&contacts);
        assert!(rows.iter().all(|row| (row["phone"] != "") == reads));
        let person = people
            .iter()
            .find(|person| person["slug"] == "personne-joignable")
            .unwrap();
        let (email, phone) = if reads {
            (json!("joignable@example.org"), json!("+1 450 555 0100"))
        } else {
            (Value::Null, Value::Null)
        };
        assert_eq!(person["email"], email);
        assert_eq!(person["phone"], phone);
        let in_popolo = popolo.to_string().contains("joignable@example.org");
        assert_eq!(in_popolo, reads);
    }
}

#[tokio::test]
async fn an_unknown_export_is_a_404_naming_the_known_kinds() {
    // Arrange
    let app = spawn().await;

    for file in [
        "towns.csv",
        "cities.xml",
        "cities",
        "cities.ocds.json",
        "people.popolo",
    ] {
        // Act
        let (status, headers, text) = get(&app, file, None, &[]).await;

        // Assert
        assert_eq!(status, 404, "{file}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
        let error: Value = serde_json::from_str(&text).expect("a JSON body");
        let error = &error["errors"][0];
        assert_eq!(error["extensions"]["code"], "NOT_FOUND");
        assert_eq!(
            error["extensions"]["knownKinds"],
            json!(Kind::known_names())
        );
        assert!(
            error["extensions"]["knownExports"]
                .as_array()
                .unwrap()
                .contains(&json!("group-purchases.ocds.json"))
        );
        assert!(
            error["message"].as_str().unwrap().contains("cities"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_refused_token_gets_the_same_401_as_on_graphql() {
    let app = spawn().await;
    let (status, headers, _) = get(&app, "cities.csv", Some("not.a.token"), &[]).await;
    assert_eq!(status, 401);
    assert_eq!(
        headers["www-authenticate"],
        "Bearer error=\"invalid_token\""
    );
}

/// More records than a page: every one comes once, in id order, across the pages' seams.
#[tokio::test]
async fn an_export_larger_than_a_page_holds_every_record_once() {
    // Arrange
    let app = spawn().await;
    let extra = api::export::PAGE_SIZE * 2 + 17;
    let mut file = String::from("country,official_code,name,subdivisions,population\n");
    for n in 0..extra {
        file.push_str(&format!(
            "BE,X{n:05},Commune d'essai {n},BE-WAL BE-WNA,{n}\n"
        ));
    }
    let path = std::env::temp_dir().join(format!(
        "partner-directory-export-cities-{}-{}.csv",
        std::process::id(),
        app.address.rsplit(':').next().unwrap()
    ));
    std::fs::write(&path, file).unwrap();
    dataset::csv::import_cities(app.db(), &path, &mut dataset::Silent)
        .await
        .expect("the cities import");
    let _ = std::fs::remove_file(&path);
    let total = app
        .data("{ cities(first: 1) { totalCount } }", json!({}))
        .await["cities"]["totalCount"]
        .as_u64()
        .unwrap() as usize;

    // Act
    let objects = lines(&body(&app, "cities.jsonl", None).await);
    let (_, records) = csv(&body(&app, "cities.csv", None).await);

    // Assert
    assert!(total > extra);
    assert_eq!(objects.len(), total);
    assert_eq!(records.len(), total);
    let mut ids: Vec<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "no record twice");
}

#[tokio::test]
async fn an_export_is_charged_to_the_callers_rate_limit_and_refused_over_it() {
    // Arrange: room for two whole exports (and the slack a process leases beyond them), not
    // three; regained slowly.
    let cost = api::server::EXPORT_COST as u64;
    let app = TestApp::spawn_configured(&[], |config| {
        config.rate_limits.anonymous_capacity = 3 * cost as u32 - 1;
        config.rate_limits.anonymous_per_second = 1;
    })
    .await;
    let number = |headers: &HeaderMap, name: &str| -> u64 {
        headers[name].to_str().unwrap().parse().unwrap()
    };

    // Act
    let (first, first_headers, _) = get(&app, "cities.csv", None, &[]).await;
    let etag = first_headers["etag"].to_str().unwrap().to_owned();
    let (unchanged, unchanged_headers, _) =
        get(&app, "cities.csv", None, &[("if-none-match", &etag)]).await;
    let (second, _, _) = get(&app, "people.jsonl", None, &[]).await;
    let (third, third_headers, third_body) = get(&app, "cities.jsonl", None, &[]).await;

    // Assert
    assert_eq!(first, 200);
    assert_eq!(number(&first_headers, "x-ratelimit-used"), cost);
    assert_eq!(unchanged, 304);
    assert_eq!(
        number(&unchanged_headers, "x-ratelimit-used"),
        1,
        "a client that is up to date pays for one field"
    );
    assert_eq!(second, 200);
    assert_eq!(third, 429, "{third_body}");
    let refusal: Value = serde_json::from_str(&third_body).expect("a JSON error");
    assert_eq!(refusal["errors"][0]["extensions"]["code"], "RATE_LIMITED");
    assert!(refusal["errors"][0]["extensions"]["requestId"].is_string());
    assert!(number(&third_headers, "retry-after") > 0);
}
