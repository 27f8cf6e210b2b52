//! Writes to cities and mandates: checked input, optimistic concurrency, one mayor at a time.

use serde_json::{Value, json};
use tests::TestApp;

const CREATE_CITY: &str = r#"mutation($input: CreateCityInput!) { createCity(input: $input) {
    city { slug name country subdivisions version } userErrors { field code message } } }"#;

async fn id_of(app: &TestApp, query: &str, path: &[&str]) -> Value {
    let mut value = app.data(query, json!({})).await;
    for key in path {
        value = value[*key].clone();
    }
    value
}

#[tokio::test]
async fn an_editor_creates_a_city_and_bad_input_names_its_field() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let city =
        json!({ "slug": "laval", "name": "Laval", "country": "CA", "subdivisions": ["CA-QC"] });

    let (_, body) = app
        .post_as(&editor, CREATE_CITY, json!({ "input": city }))
        .await;
    assert_eq!(
        body["data"]["createCity"]["city"],
        json!({ "slug": "laval", "name": "Laval", "country": "CA", "subdivisions": ["CA-QC"], "version": 1 })
    );

    let cases = [
        (
            json!({ "slug": "Laval!", "name": "Laval", "country": "CA" }),
            "slug",
            "INVALID",
        ),
        (
            json!({ "slug": "laval", "name": "Laval", "country": "CA" }),
            "slug",
            "TAKEN",
        ),
        (
            json!({ "slug": "x", "name": "  ", "country": "CA" }),
            "name",
            "INVALID",
        ),
        (
            json!({ "slug": "y", "name": "Y", "country": "CA", "subdivisions": ["QC"] }),
            "subdivisions",
            "INVALID",
        ),
        (
            json!({ "slug": "z", "name": "Z", "country": "CA", "website": "www.z.ca" }),
            "website",
            "INVALID",
        ),
        (
            json!({ "slug": "w", "name": "W", "country": "FR", "officialCode": "92040" }),
            "officialCode",
            "TAKEN",
        ),
    ];
    for (input, field, code) in cases {
        let (_, body) = app
            .post_as(&editor, CREATE_CITY, json!({ "input": input }))
            .await;
        let error = &body["data"]["createCity"]["userErrors"][0];
        assert_eq!(error["field"], json!(["input", field]), "{input}: {body:#}");
        assert_eq!(error["code"], code, "{input}");
    }
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("umq")).await,
            CREATE_CITY,
            json!({ "input": city }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let body = app.post(CREATE_CITY, json!({ "input": city })).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
}

#[tokio::test]
async fn an_update_with_a_stale_version_is_a_conflict_not_an_overwrite() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let namur = app
        .data(r#"{ city(slug: "namur") { id version } }"#, json!({}))
        .await["city"]
        .clone();
    let update = r#"mutation($input: UpdateCityInput!) { updateCity(input: $input) { city { population version } userErrors { field code } } }"#;

    let (_, first) = app.post_as(&editor, update, json!({ "input": { "id": namur["id"], "version": namur["version"], "population": 115000, "populationYear": 2024 } })).await;
    assert_eq!(
        first["data"]["updateCity"]["city"],
        json!({ "population": 115000, "version": 2 })
    );
    let (_, second) = app
        .post_as(
            &editor,
            update,
            json!({ "input": { "id": namur["id"], "version": namur["version"], "population": 1 } }),
        )
        .await;
    assert_eq!(
        second["data"]["updateCity"]["userErrors"][0],
        json!({ "field": ["input", "version"], "code": "CONFLICT" })
    );
    let after = app
        .data(r#"{ city(slug: "namur") { population } }"#, json!({}))
        .await;
    assert_eq!(after["city"]["population"], 115000);
}

#[tokio::test]
async fn a_new_mayor_succeeds_the_old_one_and_history_is_kept() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let terrebonne = id_of(
        &app,
        r#"{ city(slug: "terrebonne") { id } }"#,
        &["city", "id"],
    )
    .await;
    let newcomer = id_of(
        &app,
        r#"{ person(slug: "pierre-berthiaume") { id } }"#,
        &["person", "id"],
    )
    .await;
    let traversy = id_of(
        &app,
        r#"{ city(slug: "terrebonne") { mayor(on: "2023-11-28") { id } } }"#,
        &["city", "mayor", "id"],
    )
    .await;
    let start = r#"mutation($input: StartMandateInput!) { startMandate(input: $input) { mandate { title period { start { edtf } } } userErrors { field code message } } }"#;
    let input = json!({ "person": newcomer, "city": terrebonne, "role": "MAYOR", "title": "Maire de Terrebonne", "start": "2026-01-01" });

    // Two mayors at once: refused.
    let (_, body) = app.post_as(&editor, start, json!({ "input": input })).await;
    assert_eq!(
        body["data"]["startMandate"]["userErrors"][0]["code"], "MAYOR_OVERLAPS",
        "{body:#}"
    );

    // As the successor: the old mandate ends the day before.
    let mut succession = input.clone();
    succession["succeeds"] = traversy;
    let (_, body) = app
        .post_as(&editor, start, json!({ "input": succession }))
        .await;
    assert_eq!(
        body["data"]["startMandate"]["mandate"]["period"]["start"]["edtf"], "2026-01-01",
        "{body:#}"
    );

    let data = app
        .data(
            r#"{ city(slug: "terrebonne") {
                 then: mayor(on: "2023-11-28") { person { fullName } period { end { edtf } } }
                 now: mayor(on: "2026-06-01") { person { fullName } }
                 mandates { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        data["city"]["then"]["person"]["fullName"],
        "Mathieu Traversy"
    );
    assert_eq!(data["city"]["then"]["period"]["end"]["edtf"], "2025-12-31");
    assert_eq!(
        data["city"]["now"]["person"]["fullName"],
        "Pierre Berthiaume"
    );
    assert_eq!(data["city"]["mandates"]["totalCount"], 2, "history is kept");
}

#[tokio::test]
async fn a_partner_ends_the_mandates_of_its_own_organisation_only() {
    let app = TestApp::spawn().await;
    let castiaux = app
        .data(
            r#"{ person(slug: "annick-castiaux") { mandates { nodes { id version } } } }"#,
            json!({}),
        )
        .await["person"]["mandates"]["nodes"][0]
        .clone();
    let end = r#"mutation($input: EndMandateInput!) { endMandate(input: $input) { mandate { period { end { edtf } } } userErrors { field code } } }"#;
    let input = json!({ "input": { "id": castiaux["id"], "version": castiaux["version"], "end": "2026-08" } });

    let (_, body) = app
        .post_as(&app.token("partner", Some("umq")).await, end, input.clone())
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (_, body) = app
        .post_as(&app.token("partner", Some("unamur")).await, end, input)
        .await;
    assert_eq!(
        body["data"]["endMandate"]["mandate"]["period"]["end"]["edtf"], "2026-08",
        "{body:#}"
    );
}

#[tokio::test]
async fn a_partner_keeps_its_own_profile_and_members_up_to_date() {
    let app = TestApp::spawn().await;
    let umq_partner = app.token("partner", Some("umq")).await;
    let umq = app
        .data(r#"{ organisation(slug: "umq") { id version } }"#, json!({}))
        .await["organisation"]
        .clone();
    let iveo = app
        .data(
            r#"{ organisation(slug: "iveo") { id version } }"#,
            json!({}),
        )
        .await["organisation"]
        .clone();
    let update = r#"mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
        organisation { website founded { edtf } version } userErrors { field code } } }"#;

    let (_, own) = app
        .post_as(&umq_partner, update, json!({ "input": { "id": umq["id"], "version": umq["version"], "profile": { "website": "https://umq.qc.ca" } } }))
        .await;
    assert_eq!(
        own["data"]["updateOrganisation"]["organisation"]["website"], "https://umq.qc.ca",
        "{own:#}"
    );
    assert_eq!(
        own["data"]["updateOrganisation"]["organisation"]["founded"]["edtf"], "1919",
        "other fields are kept"
    );
    let (_, other) = app
        .post_as(&umq_partner, update, json!({ "input": { "id": iveo["id"], "version": iveo["version"], "profile": { "website": "https://x.org" } } }))
        .await;
    assert_eq!(other["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (_, bad) = app
        .post_as(&umq_partner, update, json!({ "input": { "id": umq["id"], "version": 2, "profile": { "founded": "long ago" } } }))
        .await;
    assert_eq!(
        bad["data"]["updateOrganisation"]["userErrors"][0],
        json!({ "field": ["input", "founded"], "code": "INVALID" })
    );

    // A city's membership is recorded by an editor: it is what lets the organisation's
    // partners act for the city, so the partner may not declare it. The partner ends it.
    let drummondville = id_of(
        &app,
        r#"{ city(slug: "drummondville") { id } }"#,
        &["city", "id"],
    )
    .await;
    let add = r#"mutation($input: AddMembershipInput!) { addMembership(input: $input) { membership { id version kind } userErrors { field code } } }"#;
    let input = json!({ "input": { "organisation": umq["id"], "memberCity": drummondville, "kind": "MEMBER", "start": "2019" } });
    let (_, declared) = app.post_as(&umq_partner, add, input.clone()).await;
    assert_eq!(
        declared["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{declared:#}"
    );
    let editor = app.token("editor", None).await;
    let (_, added) = app.post_as(&editor, add, input.clone()).await;
    let membership = added["data"]["addMembership"]["membership"].clone();
    assert_eq!(membership["kind"], "MEMBER", "{added:#}");
    let (_, foreign) = app
        .post_as(&app.token("partner", Some("iveo")).await, add, input)
        .await;
    assert_eq!(foreign["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let members = app
        .data(
            r#"{ cities(filter: { memberOf: "umq" }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        members["cities"]["nodes"],
        json!([{ "slug": "drummondville" }])
    );

    let end = r#"mutation($input: EndMembershipInput!) { endMembership(input: $input) { membership { period { end { edtf } } } userErrors { field code } } }"#;
    let (_, ended) = app
        .post_as(&umq_partner, end, json!({ "input": { "id": membership["id"], "version": membership["version"], "end": "2018" } }))
        .await;
    assert_eq!(
        ended["data"]["endMembership"]["userErrors"][0],
        json!({ "field": ["input", "end"], "code": "INVALID" }),
        "an end before the start"
    );
    let (_, ended) = app
        .post_as(&umq_partner, end, json!({ "input": { "id": membership["id"], "version": membership["version"], "end": "2026-06" } }))
        .await;
    assert_eq!(
        ended["data"]["endMembership"]["membership"]["period"]["end"]["edtf"],
        "2026-06"
    );
}

#[tokio::test]
async fn an_editor_creates_an_organisation() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = r#"mutation($input: OrganisationProfile!) { createOrganisation(input: $input) { organisation { slug name kind country } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(&editor, create, json!({ "input": { "slug": "fqm", "name": "Fédération québécoise des municipalités", "acronym": "FQM", "kind": "MUNICIPAL_ASSOCIATION", "country": "CA" } }))
        .await;
    assert_eq!(
        body["data"]["createOrganisation"]["organisation"]["kind"], "MUNICIPAL_ASSOCIATION",
        "{body:#}"
    );
    let found = app
        .data(
            r#"{ organisations(filter: { search: "federation quebecoise" }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(found["organisations"]["nodes"], json!([{ "slug": "fqm" }]));
    let (_, body) = app
        .post_as(
            &editor,
            create,
            json!({ "input": { "slug": "fqm2", "name": "X" } }),
        )
        .await;
    assert_eq!(
        body["data"]["createOrganisation"]["userErrors"][0],
        json!({ "field": ["input", "kind"], "code": "REQUIRED" })
    );
}

#[tokio::test]
async fn an_editor_records_a_person_whose_contact_details_stay_private() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = r#"mutation($input: PersonProfile!) { createPerson(input: $input) { person { slug fullName } userErrors { field code } } }"#;
    let (_, bad) = app
        .post_as(&editor, create, json!({ "input": { "slug": "jane-roe", "fullName": "Jane Roe", "email": "jane-at-example" } }))
        .await;
    assert_eq!(
        bad["data"]["createPerson"]["userErrors"][0],
        json!({ "field": ["input", "email"], "code": "INVALID" })
    );
    let (_, partner) = app
        .post_as(
            &app.token("partner", Some("umq")).await,
            create,
            json!({ "input": { "slug": "jane-roe", "fullName": "Jane Roe" } }),
        )
        .await;
    assert_eq!(partner["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let (_, created) = app
        .post_as(&editor, create, json!({ "input": { "slug": "jane-roe", "fullName": "Jane Roe", "email": "jane@example.org" } }))
        .await;
    assert_eq!(
        created["data"]["createPerson"]["person"]["fullName"], "Jane Roe",
        "{created:#}"
    );
    let anonymous = app
        .post(
            r#"{ person(slug: "jane-roe") { fullName email } }"#,
            json!({}),
        )
        .await;
    assert!(!anonymous.to_string().contains("jane@example.org"));
    let (_, with_token) = app
        .post_as(
            &editor,
            r#"{ person(slug: "jane-roe") { email } }"#,
            json!({}),
        )
        .await;
    assert_eq!(with_token["data"]["person"]["email"], "jane@example.org");
}

#[tokio::test]
async fn a_record_entered_by_mistake_is_deleted_but_one_with_history_is_not() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let (_, created) = app
        .post_as(
            &editor,
            CREATE_CITY,
            json!({ "input": { "slug": "typo-ville", "name": "Typo", "country": "FR" } }),
        )
        .await;
    assert_eq!(created["data"]["createCity"]["city"]["slug"], "typo-ville");
    let typo = id_of(
        &app,
        r#"{ city(slug: "typo-ville") { id } }"#,
        &["city", "id"],
    )
    .await;
    let terrebonne = id_of(
        &app,
        r#"{ city(slug: "terrebonne") { id } }"#,
        &["city", "id"],
    )
    .await;
    let delete = r#"mutation($id: ID!) { deleteCity(input: { id: $id }) { deletedId userErrors { field code message } } }"#;

    let (_, body) = app
        .post_as(&editor, delete, json!({ "id": terrebonne }))
        .await;
    assert_eq!(
        body["data"]["deleteCity"]["userErrors"][0]["code"], "IN_USE",
        "{body:#}"
    );
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("umq")).await,
            delete,
            json!({ "id": typo }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (_, body) = app.post_as(&editor, delete, json!({ "id": typo })).await;
    assert_eq!(body["data"]["deleteCity"]["deletedId"], typo);
    let gone = app
        .data(
            r#"{ city(slug: "typo-ville") { id } terrebonne: city(slug: "terrebonne") { name } }"#,
            json!({}),
        )
        .await;
    assert!(gone["city"].is_null());
    assert_eq!(gone["terrebonne"]["name"], "Terrebonne");
}

#[tokio::test]
async fn a_partner_records_its_own_organisation_joining_another() {
    let app = TestApp::spawn().await;
    let ids = app
        .data(
            r#"{ umq: organisation(slug: "umq") { id } iveo: organisation(slug: "iveo") { id } }"#,
            json!({}),
        )
        .await;
    let add = r#"mutation($o: ID!, $m: ID!) { addMembership(input: { organisation: $o, memberOrganisation: $m, kind: ASSOCIATE }) { membership { kind } userErrors { code } } }"#;
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("iveo")).await,
            add,
            json!({ "o": ids["umq"]["id"], "m": ids["iveo"]["id"] }),
        )
        .await;
    assert_eq!(
        body["data"]["addMembership"]["membership"]["kind"], "ASSOCIATE",
        "{body:#}"
    );
    let (_, body) = app
        .post_as(
            &app.token("partner", Some("metropole-du-grand-paris")).await,
            add,
            json!({ "o": ids["umq"]["id"], "m": ids["iveo"]["id"] }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn a_creation_reports_every_missing_or_invalid_field_at_once() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let fields = |body: &Value, mutation: &str| -> Vec<(String, String)> {
        body["data"][mutation]["userErrors"]
            .as_array()
            .unwrap_or_else(|| panic!("{body:#}"))
            .iter()
            .map(|e| {
                (
                    e["field"][1].as_str().unwrap().to_owned(),
                    e["code"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let organisation = "mutation($input: OrganisationProfile!) { createOrganisation(input: $input) { organisation { id } userErrors { field code message } } }";
    let (_, body) = app
        .post_as(&editor, organisation, json!({ "input": {} }))
        .await;
    assert_eq!(
        fields(&body, "createOrganisation"),
        [
            ("slug", "REQUIRED"),
            ("name", "REQUIRED"),
            ("kind", "REQUIRED")
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    let (_, body) = app
        .post_as(
            &editor,
            organisation,
            json!({ "input": { "slug": "Pas Un Slug", "kind": "NON_PROFIT", "website": "nope" } }),
        )
        .await;
    assert_eq!(
        fields(&body, "createOrganisation"),
        [
            ("name", "REQUIRED"),
            ("slug", "INVALID"),
            ("website", "INVALID")
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    let city = "mutation($input: CreateCityInput!) { createCity(input: $input) { city { id } userErrors { field code } } }";
    let (_, body) = app
        .post_as(&editor, city, json!({ "input": { "slug": "x y", "name": " ", "country": "FR", "subdivisions": ["FR-IDF", "FR-95", "FR-75C"], "population": -1 } }))
        .await;
    assert_eq!(
        fields(&body, "createCity"),
        [
            ("slug", "INVALID"),
            ("name", "INVALID"),
            ("subdivisions", "INVALID"),
            ("population", "INVALID")
        ]
        .map(|(f, c)| (f.to_owned(), c.to_owned()))
    );
    // Nothing was written.
    let count = app
        .data(
            r#"{ cities(filter: { search: "x y" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(count["cities"]["totalCount"], 0);
}

#[tokio::test]
async fn an_organisation_named_like_another_of_its_country_is_flagged_as_a_possible_duplicate() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = "mutation($input: OrganisationProfile!) { createOrganisation(input: $input) {
        organisation { slug } possibleDuplicates { slug } userErrors { code } } }";
    // The UMQ again, without its accents, in its country: written, and flagged.
    let (_, body) = app
        .post_as(&editor, create, json!({ "input": { "slug": "umq-bis", "name": "Union des municipalites du Quebec", "kind": "MUNICIPAL_ASSOCIATION", "country": "CA" } }))
        .await;
    let written = &body["data"]["createOrganisation"];
    assert_eq!(written["organisation"]["slug"], "umq-bis", "{body:#}");
    assert_eq!(
        written["possibleDuplicates"],
        json!([{ "slug": "umq" }]),
        "{body:#}"
    );
    // The same name in another country, or another name: nothing to flag.
    for (slug, name, country) in [
        ("umq-fr", "Union des municipalités du Québec", "FR"),
        ("union-nouvelle", "Union nouvelle", "CA"),
    ] {
        let (_, body) = app
            .post_as(&editor, create, json!({ "input": { "slug": slug, "name": name, "kind": "MUNICIPAL_ASSOCIATION", "country": country } }))
            .await;
        assert_eq!(
            body["data"]["createOrganisation"]["possibleDuplicates"],
            json!([]),
            "{slug}: {body:#}"
        );
    }
}

#[tokio::test]
async fn a_city_named_like_another_in_its_country_and_subdivision_is_a_possible_duplicate() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = "mutation($input: CreateCityInput!) { createCity(input: $input) {
        city { slug } possibleDuplicates { slug } userErrors { code } } }";

    // Act: Namur again, in capitals, in its region; then namesakes elsewhere.
    let (_, again) = app
        .post_as(&editor, create, json!({ "input": { "slug": "namur-bis", "name": "NAMUR", "country": "BE", "subdivisions": ["BE-WAL"] } }))
        .await;
    let mut elsewhere = Vec::new();
    for (slug, country, subdivisions) in [
        ("namur-flandre", "BE", json!(["BE-VLG"])),
        ("namur-quebec", "CA", json!(["CA-QC"])),
    ] {
        let (_, body) = app
            .post_as(&editor, create, json!({ "input": { "slug": slug, "name": "Namur", "country": country, "subdivisions": subdivisions } }))
            .await;
        elsewhere.push(body["data"]["createCity"].clone());
    }

    // Assert: written, and flagged; the others written, and not.
    assert_eq!(
        again["data"]["createCity"],
        json!({ "city": { "slug": "namur-bis" }, "possibleDuplicates": [{ "slug": "namur" }], "userErrors": [] }),
        "{again:#}"
    );
    for written in elsewhere {
        assert_eq!(written["possibleDuplicates"], json!([]), "{written:#}");
        assert!(written["city"]["slug"].is_string(), "{written:#}");
    }
}

#[tokio::test]
async fn a_person_named_like_another_is_flagged_as_a_possible_duplicate() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let create = "mutation($input: PersonProfile!) { createPerson(input: $input) {
        person { slug } possibleDuplicates { slug fullName } userErrors { code } } }";

    // Act
    let (_, again) = app
        .post_as(
            &editor,
            create,
            json!({ "input": { "slug": "m-traversy", "fullName": "mathieu TRAVERSY" } }),
        )
        .await;
    let (_, other) = app
        .post_as(
            &editor,
            create,
            json!({ "input": { "slug": "mathilde-traversy", "fullName": "Mathilde Traversy" } }),
        )
        .await;

    // Assert
    assert_eq!(
        again["data"]["createPerson"],
        json!({ "person": { "slug": "m-traversy" },
            "possibleDuplicates": [{ "slug": "mathieu-traversy", "fullName": "Mathieu Traversy" }],
            "userErrors": [] }),
        "{again:#}"
    );
    assert_eq!(
        other["data"]["createPerson"]["possibleDuplicates"],
        json!([]),
        "{other:#}"
    );
}
