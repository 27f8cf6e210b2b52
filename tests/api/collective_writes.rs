//! Writes of programmes, awards and initiatives: who may write, the domain's rules as user
//! errors naming the field, nothing stored on a refusal, and the audit trail.

use serde_json::{Value, json};
use tests::TestApp;

async fn id_of(app: &TestApp, query: &str) -> Value {
    let data = app.data(query, json!({})).await;
    data.as_object().unwrap().values().next().unwrap()["id"].clone()
}

const ADD_EDITION: &str = r#"mutation($input: AddEditionInput!) { addEdition(input: $input) {
    edition { number period { start { edtf } end { edtf } } } userErrors { field code message } } }"#;

#[tokio::test]
async fn an_edition_that_overlaps_the_previous_one_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let owner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let stranger = app.token("partner", Some("umq")).await;
    let qmi = id_of(
        &app,
        r#"{ programme(slug: "quartiers-metropolitains-innovation") { id } }"#,
    )
    .await;
    let editions = || async {
        app.data(r#"{ programme(slug: "quartiers-metropolitains-innovation") { editions { totalCount } } }"#, json!({}))
            .await["programme"]["editions"]["totalCount"]
            .clone()
    };

    let (_, third) = app
        .post_as(&owner, ADD_EDITION, json!({ "input": { "programme": qmi, "number": 3, "start": "2025-01", "end": "2026-06", "status": "RUNNING" } }))
        .await;
    assert_eq!(
        third["data"]["addEdition"]["userErrors"],
        json!([]),
        "{third:#}"
    );
    assert_eq!(editions().await, 3);

    // Starts in March 2026, surely before edition 3 ends (June 2026).
    let (_, overlapping) = app
        .post_as(&owner, ADD_EDITION, json!({ "input": { "programme": qmi, "number": 4, "start": "2026-03", "status": "ANNOUNCED" } }))
        .await;
    let errors = &overlapping["data"]["addEdition"]["userErrors"];
    assert_eq!(errors[0]["code"], "OVERLAPS");
    assert_eq!(errors[0]["field"], json!(["input", "start"]));
    // A number that does not follow.
    let (_, repeated) = app
        .post_as(&owner, ADD_EDITION, json!({ "input": { "programme": qmi, "number": 3, "start": "2027", "status": "ANNOUNCED" } }))
        .await;
    assert_eq!(
        repeated["data"]["addEdition"]["userErrors"][0]["code"],
        "NOT_AFTER"
    );
    // A partner of another organisation.
    let (_, forbidden) = app
        .post_as(&stranger, ADD_EDITION, json!({ "input": { "programme": qmi, "number": 4, "start": "2027", "status": "ANNOUNCED" } }))
        .await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(editions().await, 3);
}

const ADD_RECOGNITION: &str = r#"mutation($input: AddRecognitionInput!) { addRecognition(input: $input) {
    recognition { year level city { slug } award { slug } } userErrors { field code message } } }"#;

#[tokio::test]
async fn a_recognition_for_a_year_before_the_award_existed_is_refused() {
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let award = id_of(
        &app,
        r#"{ award(slug: "merite-ovation-municipale") { id } }"#,
    )
    .await;
    let city = id_of(&app, r#"{ city(slug: "shawinigan") { id } }"#).await;
    // An award's organiser names as recipients the cities it acts for: an editor records
    // Shawinigan's membership of the UMQ (its mayor chairs one of the UMQ's commissions).
    let umq_id = id_of(&app, r#"{ organisation(slug: "umq") { id } }"#).await;
    let editor = app.token("editor", None).await;
    let (_, member) = app
        .post_as(&editor, "mutation($o: ID!, $c: ID!) { addMembership(input: { organisation: $o, memberCity: $c, kind: MEMBER }) { membership { id } } }",
            json!({ "o": umq_id, "c": city }))
        .await;
    assert!(
        member["data"]["addMembership"]["membership"]["id"].is_string(),
        "{member:#}"
    );

    let (_, early) = app
        .post_as(
            &umq,
            ADD_RECOGNITION,
            json!({ "input": { "award": award, "year": 1990, "level": "WINNER", "city": city } }),
        )
        .await;
    let errors = &early["data"]["addRecognition"]["userErrors"];
    assert_eq!(errors[0]["code"], "BEFORE_AWARD");
    assert_eq!(errors[0]["field"], json!(["input", "year"]));
    assert!(errors[0]["message"].as_str().unwrap().contains("2004~"));

    let (_, ok) = app
        .post_as(&umq, ADD_RECOGNITION, json!({ "input": { "award": award, "year": 2018, "level": "WINNER", "city": city, "category": "Gestion" } }))
        .await;
    assert_eq!(
        ok["data"]["addRecognition"]["recognition"]["city"]["slug"],
        "shawinigan"
    );

    let recognitions = app
        .data(
            r#"{ city(slug: "shawinigan") { recognitions { nodes { year level } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        recognitions["city"]["recognitions"]["nodes"],
        json!([{ "year": 2018, "level": "WINNER" }])
    );

    // Only the award's organiser (or an editor) records its recognitions.
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (_, forbidden) = app
        .post_as(
            &mgp,
            ADD_RECOGNITION,
            json!({ "input": { "award": award, "year": 2019, "level": "FINALIST", "city": city } }),
        )
        .await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn a_city_reports_an_initiative_with_its_evidence_and_lessons() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let argenteuil = id_of(&app, r#"{ city(slug: "argenteuil") { id } }"#).await;
    const CREATE: &str = r#"mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) {
        initiative { id version slug status city { slug } themes { nodes { slug } } } userErrors { field code message } } }"#;
    let input = json!({ "slug": "argenteuil-eclairage", "title": "Éclairage public piloté", "kind": "EXPERIMENT",
        "status": "PLANNED", "start": "2025", "city": argenteuil, "themes": ["efficacite-energetique"] });

    // A partner of an organisation Argenteuil is not a member of may not write for it.
    let (_, forbidden) = app.post_as(&umq, CREATE, json!({ "input": input })).await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");

    let (_, created) = app.post_as(&mgp, CREATE, json!({ "input": input })).await;
    let initiative = created["data"]["createInitiative"]["initiative"].clone();
    assert_eq!(
        initiative["themes"]["nodes"],
        json!([{ "slug": "efficacite-energetique" }])
    );
    let id = initiative["id"].clone();

    let (_, taken) = app.post_as(&mgp, CREATE, json!({ "input": input })).await;
    assert_eq!(
        taken["data"]["createInitiative"]["userErrors"][0]["code"],
        "TAKEN"
    );

    let (_, outcome) = app
        .post_as(&mgp, r#"mutation($id: ID!) { addOutcome(input: { initiative: $id, indicator: "MWh/an", baseline: 100, target: 70, actual: 68, evidenceLevel: PEER_REVIEWED }) {
            outcome { targetReached } userErrors { code } } }"#, json!({ "id": id }))
        .await;
    assert_eq!(
        outcome["data"]["addOutcome"]["outcome"]["targetReached"],
        true
    );
    let (_, lesson) = app
        .post_as(&mgp, r#"mutation($id: ID!) { addLesson(input: { initiative: $id, kind: PITFALL, text: "Contrat trop long avec l'installateur", topics: [VENDOR_LOCK_IN] }) {
            lesson { topics { topic } } userErrors { code } } }"#, json!({ "id": id }))
        .await;
    assert_eq!(
        lesson["data"]["addLesson"]["lesson"]["topics"],
        json!([{ "topic": "VENDOR_LOCK_IN" }])
    );

    // It is now found by those who look for vendor lock-in with peer-reviewed evidence.
    let found = app
        .data(r#"{ initiatives(filter: { pitfalls: [VENDOR_LOCK_IN], evidenceAtLeast: PEER_REVIEWED }) { nodes { slug } } }"#, json!({}))
        .await;
    assert_eq!(
        found["initiatives"]["nodes"],
        json!([{ "slug": "argenteuil-eclairage" }])
    );

    // The lifecycle moves forward only, with the version read.
    const STATUS: &str = r#"mutation($id: ID!, $version: Int!, $status: InitiativeStatus!) { setInitiativeStatus(input: { id: $id, version: $version, status: $status }) {
        initiative { status version } userErrors { field code } } }"#;
    let (_, moved) = app
        .post_as(
            &mgp,
            STATUS,
            json!({ "id": id, "version": 1, "status": "EXPERIMENTING" }),
        )
        .await;
    assert_eq!(
        moved["data"]["setInitiativeStatus"]["initiative"],
        json!({ "status": "EXPERIMENTING", "version": 2 })
    );
    let (_, back) = app
        .post_as(
            &mgp,
            STATUS,
            json!({ "id": id, "version": 2, "status": "IDEA" }),
        )
        .await;
    assert_eq!(
        back["data"]["setInitiativeStatus"]["userErrors"],
        json!([{ "field": ["input", "status"], "code": "INVALID_TRANSITION" }])
    );
    let (_, stale) = app
        .post_as(
            &mgp,
            STATUS,
            json!({ "id": id, "version": 1, "status": "EVALUATED" }),
        )
        .await;
    assert_eq!(
        stale["data"]["setInitiativeStatus"]["userErrors"][0]["code"],
        "CONFLICT"
    );

    // Every write is in the audit trail.
    let admin = app.token("admin", None).await;
    let (_, audit) = app
        .post_as(
            &admin,
            r#"{ auditEvents(filter: { entityType: "initiative" }) { nodes { action } } }"#,
            json!({}),
        )
        .await;
    let actions: Vec<&str> = audit["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"create_initiative") && actions.contains(&"set_initiative_status"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_partnership_report_carries_indicators_on_the_partnerships_themes() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let outsider = app.token("partner", Some("metropole-du-grand-paris")).await;
    let protocol = id_of(
        &app,
        r#"{ partnership(slug: "terrebonne-namur-2024-2026") { id } }"#,
    )
    .await;
    const ADD: &str = r#"mutation($input: AddPartnershipReportInput!) { addPartnershipReport(input: $input) {
        report { period { start { edtf } } indicators { nodes { name theme { slug } target value } } }
        userErrors { field code message } } }"#;
    let report = |start: &str, theme: &str| {
        json!({ "input": { "partnership": protocol, "start": start, "end": "2024", "summary": "Première année",
            "indicators": [{ "theme": theme, "name": "Tonnes de matières résiduelles valorisées", "unit": "t", "target": 100, "value": 80 }] } })
    };
    let reports = || async {
        app.data(
            r#"{ partnership(slug: "terrebonne-namur-2024-2026") { reports { totalCount } } }"#,
            json!({}),
        )
        .await["partnership"]["reports"]["totalCount"]
            .clone()
    };

    // Before the protocol starts (2024).
    let (_, early) = app
        .post_as(&editor, ADD, report("2023", "matieres-residuelles"))
        .await;
    assert_eq!(
        early["data"]["addPartnershipReport"]["userErrors"][0]["code"],
        "BEFORE_PARTNERSHIP"
    );
    // A theme the protocol does not cover.
    let (_, uncovered) = app
        .post_as(&editor, ADD, report("2024", "ville-intelligente"))
        .await;
    let errors = &uncovered["data"]["addPartnershipReport"]["userErrors"];
    assert_eq!(errors[0]["code"], "THEME_NOT_COVERED");
    assert_eq!(errors[0]["field"], json!(["input", "indicators"]));
    // Someone who is not a party.
    let (_, forbidden) = app
        .post_as(&outsider, ADD, report("2024", "matieres-residuelles"))
        .await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(reports().await, 0);

    let (_, added) = app
        .post_as(&editor, ADD, report("2024", "matieres-residuelles"))
        .await;
    let indicator = &added["data"]["addPartnershipReport"]["report"]["indicators"]["nodes"][0];
    assert_eq!(indicator["theme"]["slug"], "matieres-residuelles");
    assert_eq!(indicator["value"], 80.0);
    assert_eq!(reports().await, 1);
}

#[tokio::test]
async fn programmes_awards_and_events_are_created_by_those_who_run_them() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let mgp_id = id_of(
        &app,
        r#"{ organisation(slug: "metropole-du-grand-paris") { id } }"#,
    )
    .await;
    let umq_id = id_of(&app, r#"{ organisation(slug: "umq") { id } }"#).await;
    let montreal = id_of(&app, r#"{ city(slug: "montreal") { id } }"#).await;
    let iveo_partnership = id_of(&app, r#"{ partnership(slug: "umq-iveo-2023") { id } }"#).await;

    const PROGRAMME: &str = r#"mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) {
        programme { slug organisers { nodes { role organisation { slug } } } themes { nodes { slug } } } userErrors { field code } } }"#;
    let programme = json!({ "input": { "slug": "fabrique-metropolitaine", "name": "Fabrique métropolitaine",
        "participationMode": "EDITIONS", "since": "2026", "themes": ["ville-intelligente"],
        "organisers": [{ "organisation": mgp_id, "role": "OWNER" }] } });
    // The UMQ's partner cannot create a programme the Métropole owns.
    let (_, forbidden) = app.post_as(&umq, PROGRAMME, programme.clone()).await;
    assert_eq!(forbidden["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let (_, created) = app.post_as(&mgp, PROGRAMME, programme.clone()).await;
    assert_eq!(
        created["data"]["createProgramme"]["programme"]["organisers"]["nodes"],
        json!([{ "role": "OWNER", "organisation": { "slug": "metropole-du-grand-paris" } }])
    );
    let (_, again) = app.post_as(&mgp, PROGRAMME, programme).await;
    assert_eq!(
        again["data"]["createProgramme"]["userErrors"][0]["code"],
        "TAKEN"
    );

    const AWARD: &str = r#"mutation($input: CreateAwardInput!) { createAward(input: $input) {
        award { slug kind since { edtf } organiser { slug } } userErrors { field code } } }"#;
    let (_, award) = app
        .post_as(&umq, AWARD, json!({ "input": { "slug": "prix-essai", "name": "Prix d'essai", "kind": "AWARD", "organiser": umq_id, "since": "2020" } }))
        .await;
    assert_eq!(
        award["data"]["createAward"]["award"]["since"]["edtf"],
        "2020"
    );
    let (_, not_theirs) = app
        .post_as(&mgp, AWARD, json!({ "input": { "slug": "prix-2", "name": "Prix 2", "kind": "AWARD", "organiser": umq_id } }))
        .await;
    assert_eq!(not_theirs["errors"][0]["extensions"]["code"], "FORBIDDEN");

    const EVENT: &str = r#"mutation($input: CreateEventInput!) { createEvent(input: $input) {
        event { slug date { edtf } place { slug } participants { nodes { role organisation { slug } } } } userErrors { field code } } }"#;
    let (_, event) = app
        .post_as(&umq, EVENT, json!({ "input": { "slug": "atelier-decarbonation", "title": "Atelier décarbonation",
            "kind": "WORKSHOP", "status": "PLANNED", "date": "2026-03", "place": montreal, "partnership": iveo_partnership,
            "participants": [{ "organisation": umq_id, "role": "hôte" }] } }))
        .await;
    assert_eq!(
        event["data"]["createEvent"]["userErrors"],
        json!([]),
        "{event:#}"
    );
    let events = app
        .data(r#"{ partnership(slug: "umq-iveo-2023") { events { nodes { slug participants { nodes { role } } } } } }"#, json!({}))
        .await;
    let slugs: Vec<&str> = events["partnership"]["events"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["slug"].as_str().unwrap())
        .collect();
    assert!(slugs.contains(&"atelier-decarbonation"), "{slugs:?}");
    // A participant must name someone.
    let (_, nobody) = app
        .post_as(
            &umq,
            EVENT,
            json!({ "input": { "slug": "atelier-2", "title": "Atelier 2", "kind": "WORKSHOP",
            "partnership": iveo_partnership, "participants": [{ "role": "?" }] } }),
        )
        .await;
    assert_eq!(
        nobody["data"]["createEvent"]["userErrors"][0]["field"],
        json!(["input", "participants"])
    );
}

#[tokio::test]
async fn a_record_entered_by_mistake_is_deleted_by_who_writes_it_unless_something_points_at_it() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let editor = app.token("editor", None).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id } argenteuil: city(slug: "argenteuil") { id }
                 partnership(slug: "umq-iveo-2023") { id parties { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    let delete = "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { field code message } } }";
    let outcome = |body: &Value| -> String {
        if let Some(code) = body["errors"][0]["extensions"]["code"].as_str() {
            return code.to_owned();
        }
        body["data"]["deleteRecord"]["userErrors"][0]["code"]
            .as_str()
            .unwrap_or("ok")
            .to_owned()
    };
    let create = |query: &'static str, input: Value| {
        let (app, mgp) = (&app, mgp.clone());
        async move { app.post_as(&mgp, query, json!({ "input": input })).await.1 }
    };

    // A programme with an edition: the edition points at it.
    let programme = create("mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }",
        json!({ "slug": "programme-errone", "name": "Programme erroné", "participationMode": "EDITIONS", "themes": ["decarbonation"],
            "organisers": [{ "organisation": ids["mgp"]["id"], "role": "OWNER" }] })).await;
    let programme = programme["data"]["createProgramme"]["programme"]["id"].clone();
    let edition = create(
        "mutation($input: AddEditionInput!) { addEdition(input: $input) { edition { id } } }",
        json!({ "programme": programme, "number": 1, "status": "ANNOUNCED" }),
    )
    .await;
    let edition_id = edition["data"]["addEdition"]["edition"]["id"].clone();
    assert!(edition_id.is_string(), "{edition}");
    let edition = edition_id;

    // Someone else's partner may not; the owner may not while the edition is there.
    let (_, body) = app.post_as(&umq, delete, json!({ "id": programme })).await;
    assert_eq!(outcome(&body), "FORBIDDEN", "{body:#}");
    let (_, body) = app.post_as(&mgp, delete, json!({ "id": programme })).await;
    assert_eq!(outcome(&body), "IN_USE", "{body:#}");
    assert!(body.to_string().contains("programme_edition"), "{body}");

    // An initiative of Argenteuil (a member of the Métropole) points at the city: a reference
    // no hand-written list named, found in the database's foreign keys.
    let initiative = create("mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } } }",
        json!({ "slug": "initiative-erronee", "title": "Initiative erronée", "kind": "EXPERIMENT", "status": "PLANNED",
            "city": ids["argenteuil"]["id"], "themes": ["decarbonation"] })).await;
    let initiative = initiative["data"]["createInitiative"]["initiative"]["id"].clone();
    let outcome_id = create(
        "mutation($input: AddOutcomeInput!) { addOutcome(input: $input) { outcome { id } } }",
        json!({ "initiative": initiative, "indicator": "x", "evidenceLevel": "SELF_REPORTED" }),
    )
    .await;
    assert!(
        outcome_id["data"]["addOutcome"]["outcome"]["id"].is_string(),
        "{outcome_id}"
    );
    let (_, body) = app
        .post_as(&editor, delete, json!({ "id": ids["argenteuil"]["id"] }))
        .await;
    assert_eq!(outcome(&body), "IN_USE", "{body:#}");
    // A new city with nothing but an initiative: the initiative alone keeps it.
    let (_, city) = app
        .post_as(&editor, "mutation { createCity(input: { slug: \"ville-neuve\", name: \"Ville neuve\", country: FR }) { city { id } } }", json!({}))
        .await;
    let city = city["data"]["createCity"]["city"]["id"].clone();
    let (_, body) = app
        .post_as(&editor, "mutation($c: ID!) { createInitiative(input: { slug: \"initiative-neuve\", title: \"Initiative neuve\", kind: EXPERIMENT, status: PLANNED, city: $c }) { initiative { id } } }",
            json!({ "c": city }))
        .await;
    let newer = body["data"]["createInitiative"]["initiative"]["id"].clone();
    assert!(newer.is_string(), "{body:#}");
    let (_, body) = app.post_as(&editor, delete, json!({ "id": city })).await;
    assert_eq!(outcome(&body), "IN_USE", "{body:#}");
    assert!(
        body.to_string().contains("initiative records point at it"),
        "{body}"
    );
    for id in [&newer, &city] {
        let (_, body) = app.post_as(&editor, delete, json!({ "id": id })).await;
        assert_eq!(outcome(&body), "ok", "{body:#}");
    }

    // The edition, then the programme with its organisers and themes; the initiative with its
    // outcome: each by who writes it.
    for id in [&edition, &programme, &initiative] {
        let (_, body) = app.post_as(&mgp, delete, json!({ "id": id })).await;
        assert_eq!(outcome(&body), "ok", "{body:#}");
        assert_eq!(body["data"]["deleteRecord"]["deletedId"], *id);
        let gone = app
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert!(gone["node"].is_null(), "{gone}");
    }
    let (_, body) = app.post_as(&mgp, delete, json!({ "id": programme })).await;
    assert_eq!(outcome(&body), "NOT_FOUND", "{body:#}");

    // A partnership something points at keeps its history: it is terminated instead. Its
    // parts are removed with `removePartnershipPart`, not here.
    let (_, body) = app
        .post_as(&editor, delete, json!({ "id": ids["partnership"]["id"] }))
        .await;
    assert_eq!(outcome(&body), "IN_USE", "{body:#}");
    let party = &ids["partnership"]["parties"]["nodes"][0]["id"];
    assert!(party.is_string(), "{ids:#}");
    let (_, body) = app.post_as(&editor, delete, json!({ "id": party })).await;
    assert_eq!(outcome(&body), "INVALID", "{body:#}");

    // The audit trail says who deleted what.
    let (_, audit) = app
        .post_as(
            &app.token("admin", None).await,
            r#"{ auditEvents(filter: { action: "delete_programme" }) { nodes { actorName } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEvents"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(1),
        "{audit:#}"
    );
}

#[tokio::test]
async fn a_programme_an_award_an_event_and_an_initiative_are_changed_by_who_writes_them() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id } argenteuil: city(slug: "argenteuil") { id } }"#,
            json!({}),
        )
        .await;
    let mgp_id = &ids["mgp"]["id"];
    let create = |query: &'static str, input: Value| {
        let (app, mgp) = (&app, mgp.clone());
        async move { app.post_as(&mgp, query, json!({ "input": input })).await.1 }
    };
    let programme = create("mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id version } } }",
        json!({ "slug": "programme-a-changer", "name": "Programme", "participationMode": "EDITIONS",
            "organisers": [{ "organisation": mgp_id, "role": "OWNER" }] })).await["data"]["createProgramme"]["programme"].clone();
    let award = create("mutation($input: CreateAwardInput!) { createAward(input: $input) { award { id version } } }",
        json!({ "slug": "prix-a-changer", "name": "Prix", "kind": "AWARD", "organiser": mgp_id })).await["data"]["createAward"]["award"].clone();
    let event = create("mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id version } } }",
        json!({ "slug": "rencontre-a-changer", "title": "Rencontre", "kind": "MEETING", "organiser": mgp_id })).await["data"]["createEvent"]["event"].clone();
    let initiative = create("mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id version } } }",
        json!({ "slug": "initiative-a-changer", "title": "Initiative", "kind": "EXPERIMENT", "status": "PLANNED",
            "city": ids["argenteuil"]["id"] })).await["data"]["createInitiative"]["initiative"].clone();

    // (mutation, record, changes, what the answer shows of them)
    let cases = [
        (
            "updateProgramme",
            &programme,
            json!({ "name": "Programme renommé", "durationMonths": 12, "themes": ["decarbonation"] }),
            "programme { version name durationMonths themes { nodes { slug } } }",
            json!({ "name": "Programme renommé", "durationMonths": 12, "themes": { "nodes": [{ "slug": "decarbonation" }] } }),
        ),
        (
            "updateAward",
            &award,
            json!({ "prize": "Un trophée", "since": "2024" }),
            "award { version prize since { edtf } }",
            json!({ "prize": "Un trophée", "since": { "edtf": "2024" } }),
        ),
        (
            "updateEvent",
            &event,
            json!({ "title": "Rencontre annuelle", "status": "HELD", "date": "2026-03" }),
            "event { version title status date { edtf } }",
            json!({ "title": "Rencontre annuelle", "status": "HELD", "date": { "edtf": "2026-03" } }),
        ),
        (
            "updateInitiative",
            &initiative,
            json!({ "summary": "Un essai", "start": "2025" }),
            "initiative { version summary period { start { edtf } } }",
            json!({ "summary": "Un essai", "period": { "start": { "edtf": "2025" } } }),
        ),
    ];
    for (mutation, record, changes, selection, shown) in cases {
        let input_type = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
        let query = format!(
            "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} userErrors {{ field code }} }} }}"
        );
        let mut input = changes.clone();
        input["id"] = record["id"].clone();
        input["version"] = record["version"].clone();
        // Someone else's partner may not; a stale version is a conflict; the owner may.
        let (_, body) = app.post_as(&umq, &query, json!({ "input": input })).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{mutation}: {body:#}"
        );
        let mut stale = input.clone();
        stale["version"] = json!(99);
        let (_, body) = app.post_as(&mgp, &query, json!({ "input": stale })).await;
        assert_eq!(
            body["data"][mutation]["userErrors"][0]["code"], "CONFLICT",
            "{mutation}: {body:#}"
        );
        let (_, body) = app.post_as(&mgp, &query, json!({ "input": input })).await;
        let written = body["data"][mutation]
            .as_object()
            .unwrap()
            .iter()
            .find(|(key, _)| *key != "userErrors")
            .map(|(_, value)| value.clone())
            .unwrap();
        assert_eq!(
            written["version"],
            json!(record["version"].as_i64().unwrap() + 1),
            "{mutation}: {body:#}"
        );
        for (key, value) in shown.as_object().unwrap() {
            assert_eq!(&written[key], value, "{mutation}.{key}: {body:#}");
        }
    }
    // An unknown theme names its field, and nothing changes.
    let (_, body) = app
        .post_as(&mgp, "mutation($id: ID!) { updateAward(input: { id: $id, version: 2, themes: [\"nowhere\"] }) { userErrors { field code } } }",
            json!({ "id": award["id"] }))
        .await;
    assert_eq!(
        body["data"]["updateAward"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body:#}"
    );
}

/// A programme with a support component, each citing the fixture's source.
const CITED_PROGRAMME: &str = "[source]\nslug = \"deletion-fixture\"\nkind = \"other\"\ntitle = \"Deletion fixture\"\n\n\
    [[programme]]\nslug = \"programme-cite\"\nname = \"Programme cité\"\nparticipation_mode = \"editions\"\n\
    facts = [{ fact = \"X900-001\", field = \"name\" }]\n\n\
    [[programme.organiser]]\norganisation = \"metropole-du-grand-paris\"\nrole = \"owner\"\n\n\
    [[programme.support]]\nkind = \"learning_path\"\ndescription = \"Un parcours apprenant.\"\n\
    facts = [{ fact = \"X900-002\", field = \"description\" }]\n";

#[tokio::test]
async fn a_deleted_record_takes_the_citations_of_its_parts_with_it() {
    let app = TestApp::spawn_with(&[("900-deletion.toml", CITED_PROGRAMME.to_owned())]).await;
    let facts = r#"{ source(slug: "deletion-fixture") { facts(first: 10) { totalCount nodes { factId record { id } } } } }"#;
    let before = app.data(facts, json!({})).await;
    let cited = |body: &Value| -> Vec<String> {
        let nodes = body["source"]["facts"]["nodes"].as_array().unwrap().clone();
        assert!(
            nodes.iter().all(|node| !node["record"].is_null()),
            "a citation of nothing: {body}"
        );
        nodes
            .iter()
            .filter_map(|node| node["record"]["id"].as_str().map(str::to_owned))
            .collect()
    };
    // The source cites itself; the programme, its organiser and its support cite the source.
    assert_eq!(cited(&before).len(), 4, "{before}");
    let programme = app
        .data(r#"{ programme(slug: "programme-cite") { id } }"#, json!({}))
        .await["programme"]["id"]
        .clone();
    let editor = app.token("editor", None).await;
    let (_, deleted) = app
        .post_as(
            &editor,
            "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { code } } }",
            json!({ "id": programme }),
        )
        .await;
    assert_eq!(
        deleted["data"]["deleteRecord"]["deletedId"], programme,
        "{deleted}"
    );
    // Neither the programme's citations nor its parts' are left pointing at nothing.
    let after = app.data(facts, json!({})).await;
    assert_eq!(cited(&after).len(), 1, "only the source's own: {after}");
}

/// An edition, a recognition, an outcome, a lesson and a report are changed as they are
/// added: by the same people, under the same rules, with the version read.
#[tokio::test]
async fn editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id } argenteuil: city(slug: "argenteuil") { id }
                 partnership(slug: "umq-iveo-2023") { id } }"#,
            json!({}),
        )
        .await;
    let mgp_id = &ids["mgp"]["id"];
    let write = |token: &str, query: &str, input: Value| {
        let (app, token, query) = (&app, token.to_owned(), query.to_owned());
        async move {
            app.post_as(&token, &query, json!({ "input": input }))
                .await
                .1
        }
    };
    let added = |body: Value, mutation: &str, field: &str| {
        let record = body["data"][mutation][field].clone();
        assert!(record["id"].is_string(), "{mutation}: {body:#}");
        record
    };
    let programme = added(write(&mgp, "mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } } }",
        json!({ "slug": "programme-a-editions", "name": "Programme", "participationMode": "EDITIONS",
            "organisers": [{ "organisation": mgp_id, "role": "OWNER" }] })).await, "createProgramme", "programme");
    const ADD_EDITION: &str = "mutation($input: AddEditionInput!) { addEdition(input: $input) { edition { id version } userErrors { field code } } }";
    let first = added(write(&mgp, ADD_EDITION, json!({ "programme": programme["id"], "number": 1, "start": "2024-01", "end": "2024-12", "status": "COMPLETED" })).await, "addEdition", "edition");
    let second = added(write(&mgp, ADD_EDITION, json!({ "programme": programme["id"], "number": 2, "start": "2025-03", "end": "2025-12", "status": "ANNOUNCED" })).await, "addEdition", "edition");
    let award = added(write(&mgp, "mutation($input: CreateAwardInput!) { createAward(input: $input) { award { id } } }",
        json!({ "slug": "prix-a-recompenses", "name": "Prix", "kind": "AWARD", "organiser": mgp_id, "since": "2020" })).await, "createAward", "award");
    let recognition = added(write(&mgp, "mutation($input: AddRecognitionInput!) { addRecognition(input: $input) { recognition { id version } } }",
        json!({ "award": award["id"], "year": 2022, "level": "FINALIST", "city": ids["argenteuil"]["id"] })).await, "addRecognition", "recognition");
    let initiative = added(write(&mgp, "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } } }",
        json!({ "slug": "initiative-mesuree", "title": "Initiative", "kind": "EXPERIMENT", "status": "PLANNED",
            "city": ids["argenteuil"]["id"] })).await, "createInitiative", "initiative");
    const ADD_OUTCOME: &str = "mutation($input: AddOutcomeInput!) { addOutcome(input: $input) { outcome { id version } userErrors { field code } } }";
    let outcome = added(write(&mgp, ADD_OUTCOME, json!({ "initiative": initiative["id"], "indicator": "MWh/an", "baseline": 100, "evidenceLevel": "SELF_REPORTED" })).await, "addOutcome", "outcome");
    const ADD_LESSON: &str = "mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id version } userErrors { field code } } }";
    let lesson = added(
        write(
            &mgp,
            ADD_LESSON,
            json!({ "initiative": initiative["id"], "kind": "SUCCESS", "text": "Commencer petit" }),
        )
        .await,
        "addLesson",
        "lesson",
    );
    const ADD_REPORT: &str = "mutation($input: AddPartnershipReportInput!) { addPartnershipReport(input: $input) { report { id version } userErrors { field code } } }";
    let report = added(write(&umq, ADD_REPORT, json!({ "partnership": ids["partnership"]["id"], "start": "2024", "end": "2024", "summary": "Première année" })).await, "addPartnershipReport", "report");
    // The code an add answers for a value breaking a rule, which the update must answer too.
    let add_refusal =
        |body: Value, mutation: &str| body["data"][mutation]["userErrors"][0]["code"].clone();
    let empty_indicator = add_refusal(write(&mgp, ADD_OUTCOME, json!({ "initiative": initiative["id"], "indicator": " ", "evidenceLevel": "SELF_REPORTED" })).await, "addOutcome");
    let empty_text = add_refusal(
        write(
            &mgp,
            ADD_LESSON,
            json!({ "initiative": initiative["id"], "kind": "SUCCESS", "text": "" }),
        )
        .await,
        "addLesson",
    );
    let early_report = add_refusal(write(&umq, ADD_REPORT, json!({ "partnership": ids["partnership"]["id"], "start": "2020", "summary": "Trop tôt" })).await, "addPartnershipReport");
    assert_eq!(early_report, "BEFORE_PARTNERSHIP");
    assert!(
        empty_indicator.is_string() && empty_text.is_string(),
        "{empty_indicator} {empty_text}"
    );

    // (mutation, record, its type, who writes it, who may not, changes, what they show,
    //  a change breaking a rule and the code the add answers for it)
    let cases = [
        (
            "updateEdition",
            &second,
            "Edition",
            &mgp,
            &umq,
            json!({ "note": "Appel prolongé", "status": "RUNNING", "end": "2026-01" }),
            "version note status period { end { edtf } }",
            json!({ "note": "Appel prolongé", "status": "RUNNING", "period": { "end": { "edtf": "2026-01" } } }),
            // Surely before edition 1 ends.
            json!({ "start": "2024-06" }),
            json!("OVERLAPS"),
        ),
        (
            "updateRecognition",
            &recognition,
            "Recognition",
            &mgp,
            &umq,
            json!({ "year": 2023, "level": "WINNER", "category": "Énergie" }),
            "version year level category city { slug }",
            json!({ "year": 2023, "level": "WINNER", "category": "Énergie", "city": { "slug": "argenteuil" } }),
            json!({ "year": 2010 }),
            json!("BEFORE_AWARD"),
        ),
        (
            "updateOutcome",
            &outcome,
            "Outcome",
            &mgp,
            &umq,
            json!({ "actual": 72, "note": "Mesuré en 2025" }),
            "version indicator actual note",
            json!({ "indicator": "MWh/an", "actual": 72.0, "note": "Mesuré en 2025" }),
            json!({ "indicator": " " }),
            empty_indicator,
        ),
        (
            "updateLesson",
            &lesson,
            "Lesson",
            &mgp,
            &umq,
            json!({ "kind": "PITFALL", "text": "Commencer trop grand" }),
            "version kind text",
            json!({ "kind": "PITFALL", "text": "Commencer trop grand" }),
            json!({ "text": "" }),
            empty_text,
        ),
        (
            "updatePartnershipReport",
            &report,
            "Report",
            &umq,
            &mgp,
            json!({ "summary": "Une année d'ateliers", "publishedOn": "2025-02-01" }),
            "version summary publishedOn period { start { edtf } }",
            json!({ "summary": "Une année d'ateliers", "publishedOn": "2025-02-01", "period": { "start": { "edtf": "2024" } } }),
            json!({ "start": "2020" }),
            early_report,
        ),
    ];
    for (
        mutation,
        record,
        type_name,
        writer,
        stranger,
        changes,
        selection,
        shown,
        breaking,
        code,
    ) in cases
    {
        let input_type = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
        let field = type_name[..1].to_lowercase() + &type_name[1..];
        let query = format!(
            "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {field} {{ {selection} }} userErrors {{ field code }} }} }}"
        );
        let stored = || async {
            app.data(
                &format!(
                    "query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{ {selection} }} }} }}"
                ),
                json!({ "id": record["id"] }),
            )
            .await["node"]
                .clone()
        };
        let mut input = changes.clone();
        input["id"] = record["id"].clone();
        input["version"] = record["version"].clone();
        let unchanged = stored().await;

        // Act and assert: someone else's partner may not; a stale version is a conflict; a
        // change breaking a rule is refused as the add refuses it; the writer may.
        let body = write(stranger, &query, input.clone()).await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{mutation}: {body:#}"
        );
        let mut stale = input.clone();
        stale["version"] = json!(99);
        let body = write(writer, &query, stale).await;
        assert_eq!(
            body["data"][mutation]["userErrors"][0]["code"], "CONFLICT",
            "{mutation}: {body:#}"
        );
        let mut broken = breaking.clone();
        broken["id"] = record["id"].clone();
        broken["version"] = record["version"].clone();
        let body = write(writer, &query, broken).await;
        assert_eq!(
            body["data"][mutation]["userErrors"][0]["code"], code,
            "{mutation}: {body:#}"
        );
        assert_eq!(stored().await, unchanged, "{mutation}");

        let body = write(writer, &query, input).await;
        assert_eq!(
            body["data"][mutation]["userErrors"],
            json!([]),
            "{mutation}: {body:#}"
        );
        let written = stored().await;
        assert_eq!(written, body["data"][mutation][&field], "{mutation}");
        assert_eq!(
            written["version"],
            json!(record["version"].as_i64().unwrap() + 1),
            "{mutation}: {body:#}"
        );
        for (key, value) in shown.as_object().unwrap() {
            assert_eq!(&written[key], value, "{mutation}.{key}: {body:#}");
        }
    }

    // An edition keeps its place: it may not end after the next one starts, nor take a
    // number past it.
    let query = "mutation($input: UpdateEditionInput!) { updateEdition(input: $input) { edition { id } userErrors { field code } } }";
    let body = write(
        &mgp,
        query,
        json!({ "id": first["id"], "version": 1, "end": "2025-06" }),
    )
    .await;
    assert_eq!(
        body["data"]["updateEdition"]["userErrors"],
        json!([{ "field": ["input", "end"], "code": "OVERLAPS" }]),
        "{body:#}"
    );
    let body = write(
        &mgp,
        query,
        json!({ "id": first["id"], "version": 1, "number": 3 }),
    )
    .await;
    assert_eq!(
        body["data"]["updateEdition"]["userErrors"][0]["code"], "NOT_AFTER",
        "{body:#}"
    );
    // An unknown record is not found.
    let body = write(
        &mgp,
        query,
        json!({ "id": "RWRpdGlvbjo5OTk5OQ", "version": 1 }),
    )
    .await;
    assert_eq!(
        body["data"]["updateEdition"]["userErrors"][0]["code"], "NOT_FOUND",
        "{body:#}"
    );
}
