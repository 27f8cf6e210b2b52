//! The parts of collective action — a programme's organisers, support components and
//! participants, an initiative's organisations, an event's participants, a report's
//! indicators — and self-diagnostic tools, changed with the version read and deleted by those
//! who write what they belong to; and mandates and memberships, corrected and ended (deleted
//! only when entered by mistake).

use serde_json::{Value, json};
use tests::TestApp;

use crate::update_check::{Update, check};

/// Runs `query` as `token` with `variables`; returns the whole body.
async fn post(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    app.post_as(token, query, variables).await.1
}

/// Deletes the record `id` as `token` with `deleteRecord`: the payload, or the error's code.
async fn delete(app: &TestApp, token: &str, id: &Value) -> Value {
    let body = post(app, token, "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { field code message } } }",
        json!({ "id": id })).await;
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => json!({ "error": code }),
        None => body["data"]["deleteRecord"].clone(),
    }
}

fn find(list: &Value, test: impl Fn(&Value) -> bool) -> &Value {
    list["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| test(node))
        .expect("the part is there")
}

/// A programme's organisers, support components and participants are changed and deleted by
/// a partner of an organisation that runs it (the MGP owns the QMI), not by another's.
#[tokio::test]
async fn a_programme_s_parts_are_changed_and_deleted_by_those_who_run_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    let programme = app
        .data(
            r#"{ programme(slug: "quartiers-metropolitains-innovation") {
                organisers { nodes { id version organisation { slug } } }
                support { nodes { id version kind } }
                participants(first: 100) { nodes { id version city { slug } } } } }"#,
            json!({}),
        )
        .await["programme"]
        .clone();
    let organiser = find(&programme["organisers"], |o| {
        o["organisation"]["slug"] == "institut-paris-region"
    });
    let support = find(&programme["support"], |s| s["kind"] == "LEGAL_ENGINEERING");
    let participant = find(&programme["participants"], |p| {
        p["city"]["slug"] == "argenteuil"
    });

    // Act and assert
    let cases = [
        Update {
            mutation: "updateProgrammeOrganiser",
            type_name: "ProgrammeOrganiser",
            field: "organiser",
            record: organiser,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "role": "FUNDER", "note": "Finance le diagnostic territorial." }),
            selection: "version role note organisation { slug }",
            shown: json!({ "role": "FUNDER", "note": "Finance le diagnostic territorial.",
                "organisation": { "slug": "institut-paris-region" } }),
            breaking: None,
            action: "update_programme_organiser",
        },
        Update {
            mutation: "updateSupportComponent",
            type_name: "SupportComponent",
            field: "support",
            record: support,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "description": "Une assistance en ingénierie juridique.", "provider": "paris-and-co" }),
            selection: "version kind description provider { slug }",
            shown: json!({ "kind": "LEGAL_ENGINEERING", "description": "Une assistance en ingénierie juridique.",
                "provider": { "slug": "paris-and-co" } }),
            breaking: Some((json!({ "description": " " }), "INVALID")),
            action: "update_programme_support",
        },
        Update {
            mutation: "updateProgrammeParticipant",
            type_name: "ProgrammeParticipant",
            field: "participant",
            record: participant,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "site": "Quartier du Val-d'Argent" }),
            selection: "version role site city { slug }",
            shown: json!({ "role": "LAUREATE", "site": "Quartier du Val-d'Argent", "city": { "slug": "argenteuil" } }),
            breaking: Some((
                json!({ "mayorMandate": "TWFuZGF0ZTo5OTk5OTk" }),
                "NOT_FOUND",
            )),
            action: "update_programme_participant",
        },
    ];
    for case in cases {
        check(&app, &admin, case).await;
    }
    // Making another organisation one that runs the programme speaks for it.
    let body = post(&app, &mgp, "mutation($id: ID!) { updateProgrammeOrganiser(input: { id: $id, version: 2, role: CO_ANIMATOR }) { userErrors { code } } }",
        json!({ "id": organiser["id"] })).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );

    for id in [&support["id"], &participant["id"], &organiser["id"]] {
        assert_eq!(
            delete(&app, &umq, id).await,
            json!({ "error": "FORBIDDEN" })
        );
        assert_eq!(delete(&app, &mgp, id).await["deletedId"], *id);
    }
    let after = app
        .data(r#"{ programme(slug: "quartiers-metropolitains-innovation") { organisers { totalCount } support { totalCount } } }"#, json!({}))
        .await;
    assert_eq!(after["programme"]["organisers"]["totalCount"], 2);
    assert_eq!(after["programme"]["support"]["totalCount"], 4);
}

/// An initiative's organisations, an event's participants, a report's indicators and a
/// self-diagnostic tool are changed and deleted by who writes what they belong to.
#[tokio::test]
async fn initiative_organisations_event_participants_indicators_and_tools_are_changed_by_who_writes_them()
 {
    // Arrange
    let app = TestApp::spawn().await;
    let umq = app.token("partner", Some("umq")).await;
    let iveo = app.token("partner", Some("iveo")).await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let admin = app.token("admin", None).await;
    let initiative = app
        .data(r#"{ initiative(slug: "parcours-decarbonation-umq-iveo") { organisations { nodes { id version organisation { slug } } } } }"#, json!({}))
        .await["initiative"]
        .clone();
    let umq_lead = find(&initiative["organisations"], |o| {
        o["organisation"]["slug"] == "umq"
    });
    let iveo_lead = find(&initiative["organisations"], |o| {
        o["organisation"]["slug"] == "iveo"
    });
    let body = post(&app, &iveo, "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { participants { nodes { id version } } } userErrors { code } } }",
        json!({ "input": { "slug": "atelier-iveo-2026", "title": "Atelier", "kind": "WORKSHOP", "organiser": "iveo",
            "participants": [{ "organisation": "iveo", "role": "hôte" }] } })).await;
    let event_participant =
        body["data"]["createEvent"]["event"]["participants"]["nodes"][0].clone();
    assert!(event_participant["id"].is_string(), "{body:#}");
    let body = post(&app, &umq, "mutation($input: AddPartnershipReportInput!) { addPartnershipReport(input: $input) { report { indicators { nodes { id version } } } userErrors { code } } }",
        json!({ "input": { "partnership": "umq-iveo-2023", "start": "2024", "end": "2024", "summary": "Première année",
            "indicators": [{ "theme": "decarbonation", "name": "GES évités", "unit": "tCO2e", "target": 100 }] } })).await;
    let indicator =
        body["data"]["addPartnershipReport"]["report"]["indicators"]["nodes"][0].clone();
    assert!(indicator["id"].is_string(), "{body:#}");
    let tool = app
        .data(
            r#"{ diagnosticTool(slug: "umq-autodiagnostic-villes-intelligentes") { id version } }"#,
            json!({}),
        )
        .await["diagnosticTool"]
        .clone();

    // Act and assert
    let cases = [
        Update {
            mutation: "updateInitiativeOrganisation",
            type_name: "InitiativeOrganisation",
            field: "organisation",
            record: umq_lead,
            writer: &umq,
            stranger: (&mgp, "FORBIDDEN"),
            changes: json!({ "role": "PARTNER" }),
            selection: "version role organisation { slug }",
            shown: json!({ "role": "PARTNER", "organisation": { "slug": "umq" } }),
            breaking: None,
            action: "update_initiative_organisation",
        },
        Update {
            mutation: "updateEventParticipant",
            type_name: "EventParticipant",
            field: "participant",
            record: &event_participant,
            writer: &iveo,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "role": "animateur" }),
            selection: "version role",
            shown: json!({ "role": "animateur" }),
            breaking: None,
            action: "update_event_participant",
        },
        Update {
            mutation: "updateReportIndicator",
            type_name: "Indicator",
            field: "indicator",
            record: &indicator,
            writer: &umq,
            stranger: (&mgp, "FORBIDDEN"),
            changes: json!({ "value": 42 }),
            selection: "version name target value theme { slug }",
            shown: json!({ "name": "GES évités", "target": 100.0, "value": 42.0, "theme": { "slug": "decarbonation" } }),
            breaking: Some((json!({ "theme": "inclusion-sociale" }), "THEME_NOT_COVERED")),
            action: "update_report_indicator",
        },
        Update {
            mutation: "updateDiagnosticTool",
            type_name: "DiagnosticTool",
            field: "tool",
            record: &tool,
            writer: &umq,
            stranger: (&mgp, "FORBIDDEN"),
            changes: json!({ "url": "https://umq.qc.ca/autodiagnostic" }),
            selection: "version url publisher { slug }",
            shown: json!({ "url": "https://umq.qc.ca/autodiagnostic", "publisher": { "slug": "umq" } }),
            breaking: Some((json!({ "url": "umq.qc.ca" }), "INVALID")),
            action: "update_diagnostic_tool",
        },
    ];
    for case in cases {
        check(&app, &admin, case).await;
    }
    // The UMQ's partner may not speak for IVÉO in the initiative.
    let body = post(&app, &umq, "mutation($id: ID!) { updateInitiativeOrganisation(input: { id: $id, version: 1, role: PARTNER }) { userErrors { code } } }",
        json!({ "id": iveo_lead["id"] })).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );

    // A tool is recorded by its publisher's partner, and deleted by it.
    let new_tool = json!({ "input": { "slug": "outil-umq-2026", "name": "Outil 2026", "publisher": "umq", "url": "https://umq.qc.ca/outil" } });
    let create = "mutation($input: CreateDiagnosticToolInput!) { createDiagnosticTool(input: $input) { tool { id } userErrors { field code } } }";
    let body = post(&app, &mgp, create, new_tool.clone()).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let body = post(&app, &umq, create, new_tool).await;
    let created = body["data"]["createDiagnosticTool"]["tool"]["id"].clone();
    assert!(created.is_string(), "{body:#}");

    for (id, writer, stranger) in [
        (&iveo_lead["id"], &iveo, &mgp),
        (&event_participant["id"], &iveo, &umq),
        (&indicator["id"], &umq, &mgp),
        (&created, &umq, &mgp),
    ] {
        assert_eq!(
            delete(&app, stranger, id).await,
            json!({ "error": "FORBIDDEN" }),
            "{id}"
        );
        assert_eq!(delete(&app, writer, id).await["deletedId"], *id);
    }
}

/// Each part is added on its own by who writes what it belongs to, once, naming only whom
/// the caller may name, and checked as when it comes with its parent.
#[tokio::test]
async fn parts_are_added_one_at_a_time_by_who_writes_what_they_belong_to() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let iveo = app.token("partner", Some("iveo")).await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let add = |token: &str, mutation: &str, field: &str, input: Value| {
        let (app, token) = (&app, token.to_owned());
        let input_type = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
        let query = format!(
            "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {field} {{ id }} userErrors {{ field code }} }} }}"
        );
        let mutation = mutation.to_owned();
        async move {
            let body = post(app, &token, &query, json!({ "input": input })).await;
            match body["errors"][0]["extensions"]["code"].as_str() {
                Some(code) => json!(code),
                None if body["data"][&mutation]["userErrors"] == json!([]) => json!("ADDED"),
                None => body["data"][&mutation]["userErrors"][0]["code"].clone(),
            }
        }
    };

    // Act and assert: (who, mutation, payload field, input, answer)
    let programme = "quartiers-metropolitains-innovation";
    let report = post(&app, &umq, "mutation($input: AddPartnershipReportInput!) { addPartnershipReport(input: $input) { report { id } } }",
        json!({ "input": { "partnership": "umq-iveo-2023", "start": "2024", "summary": "Ateliers" } }))
        .await["data"]["addPartnershipReport"]["report"]["id"]
        .clone();
    let cases = [
        (
            &umq,
            "addProgrammeOrganiser",
            "organiser",
            json!({ "programme": programme, "organisation": "umq", "role": "FUNDER" }),
            "FORBIDDEN",
        ),
        (
            &mgp,
            "addProgrammeOrganiser",
            "organiser",
            json!({ "programme": programme, "organisation": "umq", "role": "OWNER" }),
            "FORBIDDEN",
        ),
        (
            &mgp,
            "addProgrammeOrganiser",
            "organiser",
            json!({ "programme": programme, "organisation": "paris-and-co", "role": "FUNDER" }),
            "DUPLICATE",
        ),
        (
            &mgp,
            "addProgrammeOrganiser",
            "organiser",
            json!({ "programme": programme, "organisation": "umq", "role": "FUNDER" }),
            "ADDED",
        ),
        (
            &umq,
            "addSupportComponent",
            "support",
            json!({ "programme": programme, "kind": "VISIBILITY", "description": "Un prix" }),
            "FORBIDDEN",
        ),
        (
            &mgp,
            "addSupportComponent",
            "support",
            json!({ "programme": programme, "kind": "VISIBILITY", "description": " " }),
            "INVALID",
        ),
        (
            &mgp,
            "addSupportComponent",
            "support",
            json!({ "programme": programme, "kind": "VISIBILITY", "description": "Un prix" }),
            "ADDED",
        ),
        (
            &iveo,
            "addInitiativeOrganisation",
            "organisation",
            json!({ "initiative": "parcours-decarbonation-umq-iveo", "organisation": "iveo", "role": "PARTNER" }),
            "DUPLICATE",
        ),
        (
            &umq,
            "addInitiativeOrganisation",
            "organisation",
            json!({ "initiative": "parcours-decarbonation-umq-iveo", "organisation": "metropole-du-grand-paris", "role": "PARTNER" }),
            "FORBIDDEN",
        ),
        (
            &editor,
            "addInitiativeOrganisation",
            "organisation",
            json!({ "initiative": "parcours-decarbonation-umq-iveo", "organisation": "metropole-du-grand-paris", "role": "PARTNER" }),
            "ADDED",
        ),
        (
            &umq,
            "addEventParticipant",
            "participant",
            json!({ "event": "iveo-seances-information-umq", "organisation": "umq" }),
            "FORBIDDEN",
        ),
        (
            &iveo,
            "addEventParticipant",
            "participant",
            json!({ "event": "iveo-seances-information-umq", "city": "argenteuil" }),
            "FORBIDDEN",
        ),
        (
            &iveo,
            "addEventParticipant",
            "participant",
            json!({ "event": "iveo-seances-information-umq", "city": "argenteuil", "organisation": "iveo" }),
            "REQUIRED",
        ),
        (
            &iveo,
            "addEventParticipant",
            "participant",
            json!({ "event": "iveo-seances-information-umq", "organisation": "iveo", "role": "hôte" }),
            "ADDED",
        ),
        (
            &iveo,
            "addEventParticipant",
            "participant",
            json!({ "event": "iveo-seances-information-umq", "organisation": "iveo" }),
            "ALREADY_PARTICIPANT",
        ),
        (
            &mgp,
            "addReportIndicator",
            "indicator",
            json!({ "report": report, "name": "Ateliers tenus", "value": 12 }),
            "FORBIDDEN",
        ),
        (
            &umq,
            "addReportIndicator",
            "indicator",
            json!({ "report": report, "theme": "inclusion-sociale", "name": "Ateliers tenus" }),
            "THEME_NOT_COVERED",
        ),
        (
            &umq,
            "addReportIndicator",
            "indicator",
            json!({ "report": report, "theme": "decarbonation", "name": "Ateliers tenus", "value": 12 }),
            "ADDED",
        ),
    ];
    let mut wrong = Vec::new();
    for (token, mutation, field, input, expected) in cases {
        let answer = add(token, mutation, field, input.clone()).await;
        if answer != json!(expected) {
            wrong.push(format!(
                "{mutation} {input}: expected {expected}, got {answer}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");

    // What was added is there, after its siblings, and in the audit trail.
    let after = app
        .data(r#"{ programme(slug: "quartiers-metropolitains-innovation") { organisers { totalCount } support { nodes { position kind } } }
                   event(slug: "iveo-seances-information-umq") { participants { nodes { role organisation { slug } } } } }"#, json!({}))
        .await;
    assert_eq!(after["programme"]["organisers"]["totalCount"], 4);
    assert_eq!(
        after["programme"]["support"]["nodes"][5],
        json!({ "position": 6, "kind": "VISIBILITY" })
    );
    assert_eq!(
        after["event"]["participants"]["nodes"],
        json!([{ "role": "hôte", "organisation": { "slug": "iveo" } }])
    );
    for action in [
        "add_programme_organiser",
        "add_programme_support",
        "add_initiative_organisation",
        "add_event_participant",
        "add_report_indicator",
    ] {
        let (_, audit) = app
            .post_as(&admin, "query($action: String!) { auditEvents(first: 100, filter: { action: $action }) { nodes { actorName } } }",
                json!({ "action": action }))
            .await;
        assert!(
            audit["data"]["auditEvents"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|event| event["actorName"].as_str().unwrap().starts_with("test ")),
            "{action}: {audit:#}"
        );
    }
}

/// A mandate and a membership are corrected with the version read, under the rules that
/// started them; history is kept: a new holder is a new mandate.
/// A mandate's attestations — the days sources attest it — are replaced with the version read,
/// by whoever corrects the mandate: one left out is withdrawn, a new one recorded, each a change
/// of the mandate's `attestations` in the feed. A source that is not there changes nothing.
#[tokio::test]
async fn a_mandate_s_attestations_are_replaced_by_whoever_corrects_it() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    const MANDATES: &str = r#"{ organisation(slug: "metropole-du-grand-paris") {
        mandates { nodes { id version role title attestations { on source { slug } } } } } }"#;
    let before = app.data(MANDATES, json!({})).await;
    let president = find(&before["organisation"]["mandates"], |m| {
        m["role"] == "PRESIDENT"
    })
    .clone();
    let source = app
        .data("{ sources(first: 1) { nodes { slug } } }", json!({}))
        .await["sources"]["nodes"][0]["slug"]
        .clone();
    assert!(source.is_string(), "the seed has a source");
    const UPDATE: &str = "mutation($input: UpdateMandateInput!) { updateMandate(input: $input) {
        mandate { version title attestations { on source { slug } } } userErrors { field code } } }";
    let attest = |version: &Value, days: &[&str], source: &Value| {
        json!({ "input": { "id": president["id"], "version": version,
            "attestations": days.iter().map(|on| json!({ "on": on, "source": source })).collect::<Vec<_>>() } })
    };

    // Act: two days attested, one of them named twice.
    let body = post(
        &app,
        &mgp,
        UPDATE,
        attest(
            &president["version"],
            &["2024-05-01", "2023-01-15", "2024-05-01"],
            &source,
        ),
    )
    .await;

    // Assert
    let mandate = &body["data"]["updateMandate"]["mandate"];
    assert_eq!(
        mandate["attestations"],
        json!([{ "on": "2023-01-15", "source": { "slug": source } }, { "on": "2024-05-01", "source": { "slug": source } }]),
        "{body:#}"
    );
    assert_eq!(
        mandate["version"],
        president["version"].as_i64().unwrap() + 1
    );

    // Act: one left out is withdrawn.
    let version = mandate["version"].clone();
    let body = post(
        &app,
        &mgp,
        UPDATE,
        attest(&version, &["2024-05-01"], &source),
    )
    .await;

    // Assert
    let mandate = &body["data"]["updateMandate"]["mandate"];
    assert_eq!(
        mandate["attestations"],
        json!([{ "on": "2024-05-01", "source": { "slug": source } }]),
        "{body:#}"
    );
    let version = mandate["version"].clone();

    // A partner of another organisation may not; a source that is not there changes nothing,
    // not even the title given beside it; a day not yet come, a stale version neither.
    let body = post(&app, &umq, UPDATE, attest(&version, &[], &source)).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let mut missing = attest(&version, &["2020-01-01"], &json!("no-such-source"));
    missing["input"]["title"] = json!("Président provisoire");
    let body = post(&app, &mgp, UPDATE, missing).await;
    assert_eq!(
        body["data"]["updateMandate"]["userErrors"],
        json!([{ "field": ["input", "attestations"], "code": "NOT_FOUND" }]),
        "{body:#}"
    );
    let body = post(
        &app,
        &mgp,
        UPDATE,
        attest(&version, &["2024-05-01", "2999-01-01"], &source),
    )
    .await;
    assert_eq!(
        body["data"]["updateMandate"]["userErrors"],
        json!([{ "field": ["input", "attestations"], "code": "INVALID" }]),
        "{body:#}"
    );
    let body = post(
        &app,
        &mgp,
        UPDATE,
        attest(&president["version"], &[], &source),
    )
    .await;
    assert_eq!(
        body["data"]["updateMandate"]["userErrors"][0]["code"], "CONFLICT",
        "{body:#}"
    );
    let after = app.data(MANDATES, json!({})).await;
    let now = find(&after["organisation"]["mandates"], |m| {
        m["id"] == president["id"]
    });
    assert_eq!(now["version"], version);
    assert_eq!(now["title"], president["title"]);
    assert_eq!(
        now["attestations"],
        json!([{ "on": "2024-05-01", "source": { "slug": source } }])
    );

    // Each attestation recorded or withdrawn is a change of the mandate's attestations.
    let feed = post(
        &app,
        &admin,
        r#"{ changes(first: 100, filter: { kinds: ["Mandate"] }) {
        nodes { recordId actionName changedFields } } }"#,
        json!({}),
    )
    .await;
    let of_president: Vec<(&str, &Value)> = feed["data"]["changes"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{feed:#}"))
        .iter()
        .filter(|change| change["recordId"] == president["id"])
        .map(|change| {
            (
                change["actionName"].as_str().unwrap(),
                &change["changedFields"],
            )
        })
        .collect();
    for action in ["attest_mandate", "withdraw_mandate_attestation"] {
        assert!(
            of_president
                .iter()
                .any(|(name, fields)| *name == action && **fields == json!(["attestations"])),
            "{action} in {of_president:#?}"
        );
    }
}

#[tokio::test]
async fn mandates_and_memberships_are_corrected_by_who_writes_them() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { mandates { nodes { id version role } } }
                 argenteuil: city(slug: "argenteuil") { memberships { nodes { id version organisation { slug } } } }
                 person(slug: "karine-francket") { id } }"#,
            json!({}),
        )
        .await;
    let president = find(&ids["mgp"]["mandates"], |m| m["role"] == "PRESIDENT");
    let membership = find(&ids["argenteuil"]["memberships"], |m| {
        m["organisation"]["slug"] == "metropole-du-grand-paris"
    });
    let body = post(&app, &mgp, "mutation($input: AddMembershipInput!) { addMembership(input: $input) { membership { id version } userErrors { code } } }",
        json!({ "input": { "organisation": "metropole-du-grand-paris", "memberOrganisation": "iveo", "kind": "ASSOCIATE",
            "start": "2020", "end": "2022" } })).await;
    let associate = body["data"]["addMembership"]["membership"].clone();
    assert!(associate["id"].is_string(), "{body:#}");

    // Act and assert
    let cases = [
        Update {
            mutation: "updateMandate",
            type_name: "Mandate",
            field: "mandate",
            record: president,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "title": "Président de la Métropole", "start": "2016" }),
            selection: "version role title period { start { edtf } } person { slug }",
            shown: json!({ "role": "PRESIDENT", "title": "Président de la Métropole", "period": { "start": { "edtf": "2016" } },
                "person": { "slug": "patrick-ollier" } }),
            breaking: Some((json!({ "title": "" }), "INVALID")),
            action: "update_mandate",
        },
        Update {
            mutation: "updateMembership",
            type_name: "Membership",
            field: "membership",
            record: membership,
            writer: &editor,
            // A city's membership lets partners act for it: editors only.
            stranger: (&mgp, "FORBIDDEN"),
            changes: json!({ "kind": "FOUNDING_MEMBER", "start": "2016" }),
            selection: "version kind period { start { edtf } } organisation { slug }",
            shown: json!({ "kind": "FOUNDING_MEMBER", "period": { "start": { "edtf": "2016" } },
                "organisation": { "slug": "metropole-du-grand-paris" } }),
            breaking: None,
            action: "update_membership",
        },
        Update {
            mutation: "updateMembership",
            type_name: "Membership",
            field: "membership",
            record: &associate,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "start": "2019" }),
            selection: "version kind period { start { edtf } end { edtf } }",
            shown: json!({ "kind": "ASSOCIATE", "period": { "start": { "edtf": "2019" }, "end": { "edtf": "2022" } } }),
            breaking: Some((json!({ "start": "2024" }), "INVALID")),
            action: "update_membership",
        },
    ];
    for case in cases {
        check(&app, &admin, case).await;
    }

    // A city keeps one mayor at a time: a deputy made mayor of Argenteuil overlaps its mayor.
    let body = post(&app, &editor, "mutation($input: StartMandateInput!) { startMandate(input: $input) { mandate { id version } userErrors { code } } }",
        json!({ "input": { "person": ids["person"]["id"], "city": "argenteuil", "role": "DEPUTY_MAYOR", "title": "adjointe" } })).await;
    let deputy = body["data"]["startMandate"]["mandate"].clone();
    assert!(deputy["id"].is_string(), "{body:#}");
    let body = post(&app, &editor, "mutation($id: ID!, $v: Int!) { updateMandate(input: { id: $id, version: $v, role: MAYOR }) { userErrors { field code } } }",
        json!({ "id": deputy["id"], "v": deputy["version"] })).await;
    assert_eq!(
        body["data"]["updateMandate"]["userErrors"],
        json!([{ "field": ["input", "start"], "code": "MAYOR_OVERLAPS" }]),
        "{body:#}"
    );
}
