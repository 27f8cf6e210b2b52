//! Who may write what: every mutation tried by every kind of caller.

use serde_json::{Value, json};
use tests::TestApp;

/// One planned purchase of the Métropole du Grand Paris.
const FIXTURE: &str = "[source]\nslug = \"permissions-fixture\"\nkind = \"other\"\ntitle = \"Permissions fixture\"\n\n\
    [[group_purchase]]\nslug = \"mgp-purchase\"\ntitle = \"Achat groupé\"\norganiser = \"metropole-du-grand-paris\"\n\
    eligibility = \"members_of_organiser\"\nstatus = \"planned\"\n";

/// Whether the caller got past authentication and authorisation (a user error still counts
/// as allowed: the write was the caller's to try).
fn allowed(body: &Value) -> bool {
    !matches!(
        body["errors"][0]["extensions"]["code"].as_str(),
        Some("UNAUTHENTICATED") | Some("FORBIDDEN")
    )
}

#[tokio::test]
async fn every_mutation_allows_exactly_the_callers_it_should() {
    let app = TestApp::spawn_with(&[("900-permissions.toml", FIXTURE.to_owned())]).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id version members { nodes { id version } } mandates { nodes { id version } } }
                 umq: organisation(slug: "umq") { id contactPoints { nodes { id } } }
                 gouvernement: organisation(slug: "gouvernement-du-quebec") { relations { nodes { id } } }
                 iveoFigures: organisation(slug: "iveo") { statedFigures { nodes { id } } }
                 damphousse: person(slug: "martin-damphousse") { statements { nodes { id } } }
                 fixture: source(slug: "permissions-fixture") { id }
                 decarbonation: theme(slug: "decarbonation") { id }
                 qmi: programme(slug: "quartiers-metropolitains-innovation") { organisers { nodes { id } } support { nodes { id } } participants { nodes { id } } }
                 pathway: initiative(slug: "parcours-decarbonation-umq-iveo") { id organisations { nodes { id organisation { slug } } } }
                 sessions: event(slug: "iveo-seances-information-umq") { id }
                 qmiId: programme(slug: "quartiers-metropolitains-innovation") { id }
                 tool: diagnosticTool(slug: "umq-autodiagnostic-villes-intelligentes") { id }
                 iveo: organisation(slug: "iveo") { id }
                 argenteuil: city(slug: "argenteuil") { id version citations { nodes { id } } }
                 montreal: city(slug: "montreal") { id }
                 election: elections(first: 1) { nodes { id } }
                 ollier: person(slug: "patrick-ollier") { id version }
                 purchase: groupPurchase(slug: "mgp-purchase") { id version }
                 umqIveo: partnership(slug: "umq-iveo-2023") { id version }
                 protocol: partnership(slug: "terrebonne-namur-2024-2026") { id commitments { nodes { id } }
                   parties { nodes { id } } signatories { nodes { id } } domains { nodes { id } } followUps { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    let editor = app.token("editor", None).await;
    // A participation to withdraw: the editor opens the purchase and enrols Argenteuil.
    let (_, opened) = app
        .post_as(&editor, "mutation($id: ID!, $v: Int!) { openGroupPurchase(input: { id: $id, version: $v }) { groupPurchase { version } } }",
            json!({ "id": ids["purchase"]["id"], "v": ids["purchase"]["version"] }))
        .await;
    assert!(
        opened["data"]["openGroupPurchase"]["groupPurchase"]["version"].is_number(),
        "{opened:#}"
    );
    let (_, joined) = app
        .post_as(&editor, "mutation($p: ID!, $c: ID!) { joinGroupPurchase(input: { groupPurchase: $p, city: $c }) { participation { id } } }",
            json!({ "p": ids["purchase"]["id"], "c": ids["argenteuil"]["id"] }))
        .await;
    let participation = joined["data"]["joinGroupPurchase"]["participation"]["id"].clone();

    let mgp = &ids["mgp"];
    let purchase = &ids["purchase"]["id"];
    let step = |name: &str| {
        format!(
            "mutation($id: ID!) {{ {name}(input: {{ id: $id, version: 99 }}) {{ userErrors {{ code }} }} }}"
        )
    };
    // (mutation, query, variables, whose partner counts as "own", allowed for: [own partner, other partner, editor, admin])
    let rows: Vec<(&str, String, Value, &str, [bool; 4])> = vec![
        ("issueApiToken", r#"mutation { issueApiToken(input: { name: "m", role: EDITOR }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, false, true]),
        ("revokeApiToken", "mutation { revokeApiToken(input: { id: \"QXBpVG9rZW46OTk5\" }) { userErrors { code } } }".into(), json!({}), "metropole-du-grand-paris", [false, false, false, true]),
        ("createCity", r#"mutation { createCity(input: { slug: "matrix-city", name: "M", country: FR }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateCity", "mutation($id: ID!) { updateCity(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["argenteuil"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("createPerson", r#"mutation { createPerson(input: { slug: "matrix-person", fullName: "M" }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updatePerson", "mutation($id: ID!) { updatePerson(input: { id: $id, version: 99, profile: {} }) { userErrors { code } } }".into(), json!({ "id": ids["ollier"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("startMandate", r#"mutation($p: ID!, $o: ID!) { startMandate(input: { person: $p, organisation: $o, role: STAFF, title: "chargé de mission" }) { userErrors { code } } }"#.into(), json!({ "p": ids["ollier"]["id"], "o": mgp["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("endMandate", r#"mutation($id: ID!) { endMandate(input: { id: $id, version: 99, end: "2030" }) { userErrors { code } } }"#.into(), json!({ "id": mgp["mandates"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("createOrganisation", r#"mutation { createOrganisation(input: { slug: "matrix-org", name: "M", kind: OTHER }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateOrganisation", "mutation($id: ID!) { updateOrganisation(input: { id: $id, version: 99, profile: {} }) { userErrors { code } } }".into(), json!({ "id": mgp["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        // A city's membership lets the organisation's partners act for the city: editors only.
        ("addMembership", "mutation($o: ID!, $c: ID!) { addMembership(input: { organisation: $o, memberCity: $c, kind: MEMBER }) { userErrors { code } } }".into(), json!({ "o": mgp["id"], "c": ids["montreal"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("addMembership", "mutation($o: ID!, $m: ID!) { addMembership(input: { organisation: $o, memberOrganisation: $m, kind: ASSOCIATE }) { userErrors { code } } }".into(), json!({ "o": mgp["id"], "m": ids["iveo"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("endMembership", r#"mutation($id: ID!) { endMembership(input: { id: $id, version: 99, end: "2030" }) { userErrors { code } } }"#.into(), json!({ "id": mgp["members"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("createPartnership", r#"mutation($o: ID!) { createPartnership(input: { profile: { slug: "m", title: "M", kind: AGREEMENT, status: DRAFT }, parties: [{ key: "a", organisation: $o, role: PARTY }] }) { userErrors { code } } }"#.into(), json!({ "o": mgp["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updatePartnership", "mutation($id: ID!) { updatePartnership(input: { id: $id, version: 99, profile: {} }) { userErrors { code } } }".into(), json!({ "id": ids["umqIveo"]["id"] }), "umq", [true, false, true, true]),
        (
            "addPartnershipParty",
            "mutation($p: ID!, $o: ID!) { addPartnershipParty(input: { partnership: $p, organisation: $o, role: OBSERVER }) { userErrors { code } } }".into(),
            json!({ "p": ids["protocol"]["id"], "o": ids["iveo"]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        (
            "addSignatory",
            r#"mutation($p: ID!, $person: ID!, $party: ID!) { addSignatory(input: { partnership: $p, person: $person, party: $party, capacity: WITNESS, titleThen: "t" }) { userErrors { code } } }"#.into(),
            json!({ "p": ids["protocol"]["id"], "person": ids["ollier"]["id"], "party": ids["protocol"]["parties"]["nodes"][0]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        (
            "addCommitment",
            r#"mutation($p: ID!) { addCommitment(input: { partnership: $p, kind: OBJECTIVE, text: "t" }) { userErrors { code } } }"#.into(),
            json!({ "p": ids["protocol"]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        (
            "addPartnershipDomain",
            r#"mutation($p: ID!) { addPartnershipDomain(input: { partnership: $p, title: "t" }) { userErrors { code } } }"#.into(),
            json!({ "p": ids["protocol"]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        (
            "addFollowUp",
            r#"mutation($p: ID!) { addFollowUp(input: { partnership: $p, kind: MEETING, description: "d" }) { userErrors { code } } }"#.into(),
            json!({ "p": ids["protocol"]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        ("updatePartnershipParty", "mutation($id: ID!) { updatePartnershipParty(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["protocol"]["parties"]["nodes"][0]["id"] }), "uqtr", [true, false, true, true]),
        ("updateSignatory", "mutation($id: ID!) { updateSignatory(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["protocol"]["signatories"]["nodes"][0]["id"] }), "uqtr", [true, false, true, true]),
        ("updatePartnershipDomain", "mutation($id: ID!) { updatePartnershipDomain(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["protocol"]["domains"]["nodes"][0]["id"] }), "uqtr", [true, false, true, true]),
        ("updateCommitment", "mutation($id: ID!) { updateCommitment(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["protocol"]["commitments"]["nodes"][1]["id"] }), "uqtr", [true, false, true, true]),
        ("updateFollowUp", "mutation($id: ID!) { updateFollowUp(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["protocol"]["followUps"]["nodes"][0]["id"] }), "uqtr", [true, false, true, true]),
        (
            "removePartnershipPart",
            "mutation($id: ID!) { removePartnershipPart(input: { id: $id }) { userErrors { code } } }".into(),
            json!({ "id": ids["protocol"]["commitments"]["nodes"][0]["id"] }),
            "uqtr",
            [true, false, true, true],
        ),
        ("addContactPoint", "mutation($o: ID!) { addContactPoint(input: { organisation: $o, role: GENERAL }) { userErrors { code } } }".into(), json!({ "o": mgp["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updateContactPoint", "mutation($id: ID!) { updateContactPoint(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["umq"]["contactPoints"]["nodes"][0]["id"] }), "umq", [true, false, true, true]),
        ("addOrganisationRelation", "mutation($o: ID!, $to: ID!) { addOrganisationRelation(input: { from: $o, to: $to, kind: SUPPORTS }) { userErrors { code } } }".into(), json!({ "o": mgp["id"], "to": ids["umq"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updateOrganisationRelation", "mutation($id: ID!) { updateOrganisationRelation(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["gouvernement"]["relations"]["nodes"][0]["id"] }), "gouvernement-du-quebec", [true, false, true, true]),
        // Figures, statements, sources, citations and themes are editors' to write.
        ("addStatedFigure", "mutation($o: ID!) { addStatedFigure(input: { organisation: $o, measure: \"m\", value: 1, unit: \"u\", qualifier: EXACT }) { userErrors { code } } }".into(), json!({ "o": mgp["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateStatedFigure", "mutation($id: ID!) { updateStatedFigure(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["iveoFigures"]["statedFigures"]["nodes"][0]["id"] }), "iveo", [false, false, true, true]),
        ("addStatement", "mutation($p: ID!) { addStatement(input: { person: $p, text: \"t\" }) { userErrors { code } } }".into(), json!({ "p": ids["ollier"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateStatement", "mutation($id: ID!) { updateStatement(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["damphousse"]["statements"]["nodes"][0]["id"] }), "umq", [false, false, true, true]),
        ("createSource", r#"mutation { createSource(input: { slug: "matrix-source", kind: OTHER, title: "M" }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateSource", "mutation($id: ID!) { updateSource(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["fixture"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("addCitation", "mutation($s: ID!, $r: ID!) { addCitation(input: { source: $s, record: $r }) { userErrors { code } } }".into(), json!({ "s": ids["fixture"]["id"], "r": ids["argenteuil"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateCitation", "mutation($id: ID!) { updateCitation(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["argenteuil"]["citations"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("createTheme", r#"mutation { createTheme(input: { slug: "matrix-theme", labelFr: "M", labelEn: "M" }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateTheme", "mutation($id: ID!) { updateTheme(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["decarbonation"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateProgrammeOrganiser", "mutation($id: ID!) { updateProgrammeOrganiser(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["qmi"]["organisers"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updateSupportComponent", "mutation($id: ID!) { updateSupportComponent(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["qmi"]["support"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updateProgrammeParticipant", "mutation($id: ID!) { updateProgrammeParticipant(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["qmi"]["participants"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("updateInitiativeOrganisation", "mutation($id: ID!) { updateInitiativeOrganisation(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["pathway"]["organisations"]["nodes"].as_array().unwrap().iter().find(|o| o["organisation"]["slug"] == "umq").unwrap()["id"] }), "umq", [true, false, true, true]),
        ("addProgrammeOrganiser", "mutation($p: ID!, $o: ID!) { addProgrammeOrganiser(input: { programme: $p, organisation: $o, role: FUNDER }) { userErrors { code } } }".into(), json!({ "p": ids["qmiId"]["id"], "o": ids["umq"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("addSupportComponent", r#"mutation($p: ID!) { addSupportComponent(input: { programme: $p, kind: VISIBILITY, description: "d" }) { userErrors { code } } }"#.into(), json!({ "p": ids["qmiId"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("addInitiativeOrganisation", "mutation($i: ID!, $o: ID!) { addInitiativeOrganisation(input: { initiative: $i, organisation: $o, role: PARTNER }) { userErrors { code } } }".into(), json!({ "i": ids["pathway"]["id"], "o": ids["umq"]["id"] }), "umq", [true, false, true, true]),
        ("addEventParticipant", "mutation($e: ID!, $o: ID!) { addEventParticipant(input: { event: $e, organisation: $o }) { userErrors { code } } }".into(), json!({ "e": ids["sessions"]["id"], "o": ids["iveo"]["id"] }), "iveo", [true, false, true, true]),
        ("createDiagnosticTool", r#"mutation($o: ID!) { createDiagnosticTool(input: { slug: "matrix-tool", name: "M", publisher: $o }) { userErrors { code } } }"#.into(), json!({ "o": ids["umq"]["id"] }), "umq", [true, false, true, true]),
        ("updateDiagnosticTool", "mutation($id: ID!) { updateDiagnosticTool(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["tool"]["id"] }), "umq", [true, false, true, true]),
        ("updateMandate", "mutation($id: ID!) { updateMandate(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": mgp["mandates"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        // Correcting a city's membership changes who acts for the city: editors only.
        ("updateMembership", "mutation($id: ID!) { updateMembership(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": mgp["members"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        (
            "deleteCity",
            "mutation($id: ID!) { deleteCity(input: { id: $id }) { userErrors { code } } }".into(),
            json!({ "id": ids["argenteuil"]["id"] }),
            "metropole-du-grand-paris",
            [false, false, true, true],
        ),
        (
            "deletePerson",
            "mutation($id: ID!) { deletePerson(input: { id: $id }) { userErrors { code } } }".into(),
            json!({ "id": ids["ollier"]["id"] }),
            "metropole-du-grand-paris",
            [false, false, true, true],
        ),
        (
            "deleteOrganisation",
            "mutation($id: ID!) { deleteOrganisation(input: { id: $id }) { userErrors { code } } }".into(),
            json!({ "id": mgp["id"] }),
            "metropole-du-grand-paris",
            [false, false, true, true],
        ),
        (
            "updateGroupPurchase",
            "mutation($id: ID!) { updateGroupPurchase(input: { id: $id, version: 99, title: \"T\" }) { userErrors { code } } }".into(),
            json!({ "id": purchase }),
            "metropole-du-grand-paris",
            [true, false, true, true],
        ),
        (
            "createGroupPurchase",
            r#"mutation($o: ID!) { createGroupPurchase(input: { slug: "matrix-purchase", title: "M", organiser: $o }) { userErrors { code } } }"#.into(),
            json!({ "o": mgp["id"] }),
            "metropole-du-grand-paris",
            [true, false, true, true],
        ),
        ("openGroupPurchase", step("openGroupPurchase"), json!({ "id": purchase }), "metropole-du-grand-paris", [true, false, true, true]),
        ("closeGroupPurchase", step("closeGroupPurchase"), json!({ "id": purchase }), "metropole-du-grand-paris", [true, false, true, true]),
        ("awardGroupPurchase", "mutation($id: ID!, $s: ID!) { awardGroupPurchase(input: { id: $id, version: 99, supplier: $s }) { userErrors { code } } }".into(), json!({ "id": purchase, "s": ids["umq"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("completeGroupPurchase", step("completeGroupPurchase"), json!({ "id": purchase }), "metropole-du-grand-paris", [true, false, true, true]),
        ("cancelGroupPurchase", step("cancelGroupPurchase"), json!({ "id": purchase }), "metropole-du-grand-paris", [true, false, true, true]),
        ("joinGroupPurchase", "mutation($p: ID!, $c: ID!) { joinGroupPurchase(input: { groupPurchase: $p, city: $c }) { userErrors { code } } }".into(), json!({ "p": purchase, "c": ids["argenteuil"]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("createElection", r#"mutation { createElection(input: { country: BE, kind: MUNICIPAL, firstRound: "2030-10-13" }) { userErrors { code } } }"#.into(), json!({}), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateElection", "mutation($id: ID!) { updateElection(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": ids["election"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        // Verifying a record is for whoever may write it: the MGP's partner its president's mandate.
        ("markVerified", "mutation($id: ID!) { markVerified(input: { id: $id }) { userErrors { code } } }".into(), json!({ "id": mgp["mandates"]["nodes"][0]["id"] }), "metropole-du-grand-paris", [true, false, true, true]),
        ("markVerified", "mutation($id: ID!) { markVerified(input: { id: $id }) { userErrors { code } } }".into(), json!({ "id": ids["argenteuil"]["id"] }), "metropole-du-grand-paris", [false, false, true, true]),
        ("updateParticipation", "mutation($id: ID!) { updateParticipation(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": participation }), "metropole-du-grand-paris", [true, false, true, true]),
        ("withdrawFromGroupPurchase", "mutation($id: ID!) { withdrawFromGroupPurchase(input: { id: $id, version: 99 }) { userErrors { code } } }".into(), json!({ "id": participation }), "metropole-du-grand-paris", [true, false, true, true]),
    ];

    let mut wrong = Vec::new();
    for (mutation, query, variables, own, expected) in &rows {
        let other = if *own == "umq" {
            "metropole-du-grand-paris"
        } else {
            "umq"
        };
        let callers = [
            app.token("partner", Some(own)).await,
            app.token("partner", Some(other)).await,
            app.token("editor", None).await,
            app.token("admin", None).await,
        ];
        let anonymous = app.post(query, variables.clone()).await;
        if anonymous["errors"][0]["extensions"]["code"] != "UNAUTHENTICATED" {
            wrong.push(format!("{mutation} × anonymous: {anonymous}"));
        }
        // Callers denied go first, so a write an allowed caller makes (a removal, say) cannot
        // hide a denial behind NOT_FOUND.
        let order = [1, 0, 2, 3];
        let labels = ["own partner", "other partner", "editor", "admin"];
        for (caller, token, expected) in order
            .iter()
            .map(|&i| (labels[i], &callers[i], &expected[i]))
        {
            let (_, body) = app.post_as(token, query, variables.clone()).await;
            if allowed(&body) != *expected {
                wrong.push(format!(
                    "{mutation} × {caller}: expected allowed = {expected}, got {body}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Mutations whose callers are tried in a test of their own, with that test: the writes of
/// collective action, each refused to a partner without a right over what it touches.
const TRIED_ELSEWHERE: [(&str, &str); 32] = [
    (
        "updateAssessment",
        "an_assessment_and_a_questionnaire_are_corrected_with_the_version_read",
    ),
    (
        "updateQuestionnaire",
        "an_assessment_and_a_questionnaire_are_corrected_with_the_version_read",
    ),
    (
        "updateWebhookSubscription",
        "a_subscription_s_url_and_filter_are_changed_by_who_manages_it_with_the_version_read",
    ),
    (
        "createWebhookSubscription",
        "a_subscription_is_seen_and_managed_by_its_organisation_and_admins_only",
    ),
    (
        "rotateWebhookSecret",
        "a_subscriber_down_too_long_is_disabled_and_told_why_and_a_new_secret_starts_it_again",
    ),
    (
        "deleteWebhookSubscription",
        "a_subscription_is_seen_and_managed_by_its_organisation_and_admins_only",
    ),
    (
        "addReportIndicator",
        "parts_are_added_one_at_a_time_by_who_writes_what_they_belong_to",
    ),
    (
        "updateEventParticipant",
        "initiative_organisations_event_participants_indicators_and_tools_are_changed_by_who_writes_them",
    ),
    (
        "updateReportIndicator",
        "initiative_organisations_event_participants_indicators_and_tools_are_changed_by_who_writes_them",
    ),
    (
        "updateProgramme",
        "a_programme_an_award_an_event_and_an_initiative_are_changed_by_who_writes_them",
    ),
    (
        "updateAward",
        "a_programme_an_award_an_event_and_an_initiative_are_changed_by_who_writes_them",
    ),
    (
        "updateEdition",
        "editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them",
    ),
    (
        "updateRecognition",
        "editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them",
    ),
    (
        "updateOutcome",
        "editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them",
    ),
    (
        "updateLesson",
        "editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them",
    ),
    (
        "updatePartnershipReport",
        "editions_recognitions_outcomes_lessons_and_reports_are_changed_by_who_adds_them",
    ),
    (
        "updateEvent",
        "a_programme_an_award_an_event_and_an_initiative_are_changed_by_who_writes_them",
    ),
    (
        "updateInitiative",
        "a_programme_an_award_an_event_and_an_initiative_are_changed_by_who_writes_them",
    ),
    (
        "deleteRecord",
        "a_record_entered_by_mistake_is_deleted_by_who_writes_it_unless_something_points_at_it",
    ),
    (
        "loadQuestionnaire",
        "an_admin_loads_a_questionnaire_checked_whole_before_anything_is_stored",
    ),
    (
        "submitAssessment",
        "a_partner_assesses_only_the_cities_of_its_organisation",
    ),
    (
        "addEdition",
        "an_edition_that_overlaps_the_previous_one_is_refused_and_nothing_is_stored",
    ),
    (
        "addProgrammeParticipant",
        "programmes_awards_and_events_are_created_by_those_who_run_them",
    ),
    (
        "addRecognition",
        "a_recognition_for_a_year_before_the_award_existed_is_refused",
    ),
    (
        "createInitiative",
        "a_write_links_only_records_the_caller_has_a_right_over",
    ),
    (
        "setInitiativeStatus",
        "a_city_reports_an_initiative_with_its_evidence_and_lessons",
    ),
    (
        "addOutcome",
        "a_city_reports_an_initiative_with_its_evidence_and_lessons",
    ),
    (
        "addLesson",
        "a_city_reports_an_initiative_with_its_evidence_and_lessons",
    ),
    (
        "addPartnershipReport",
        "a_partnership_report_carries_indicators_on_the_partnerships_themes",
    ),
    (
        "createProgramme",
        "programmes_awards_and_events_are_created_by_those_who_run_them",
    ),
    (
        "createAward",
        "programmes_awards_and_events_are_created_by_those_who_run_them",
    ),
    (
        "createEvent",
        "a_write_links_only_records_the_caller_has_a_right_over",
    ),
];

/// Every mutation the schema serves (read by introspection) is tried by every kind of caller:
/// a row of the matrix above, or a test of its own named here. A mutation added later fails
/// this test until someone says who may call it.
#[tokio::test]
async fn every_mutation_of_the_schema_is_tried_by_every_kind_of_caller() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ __type(name: "Mutation") { fields { name } } }"#,
            json!({}),
        )
        .await;
    // The matrix is the first test of this file, before the list of mutations tried elsewhere.
    let matrix = include_str!("permissions.rs")
        .split("const TRIED_ELSEWHERE")
        .next()
        .unwrap();
    let sources = tests::rust_sources(&["tests/api"]);
    let mut untried = Vec::new();
    for field in data["__type"]["fields"].as_array().unwrap() {
        let name = field["name"].as_str().unwrap();
        let in_matrix = matrix.contains(&format!("(\"{name}\", "))
            || matrix.contains(&format!("            \"{name}\",\n"));
        let elsewhere = TRIED_ELSEWHERE
            .iter()
            .find(|(mutation, _)| *mutation == name)
            .is_some_and(|(_, test)| sources.contains(&format!("async fn {test}(")));
        if !in_matrix && !elsewhere {
            untried.push(name.to_owned());
        }
    }
    assert!(untried.is_empty(), "no test tries who may call {untried:?}");
}
