//! Write authority for every record a write touches: a partner cannot create the relation that
//! would give it power over a city, nor hang a record from a partnership, a programme, an
//! edition or an organisation that is not its own because it holds a right elsewhere.

use serde_json::{Value, json};
use tests::TestApp;

/// An open purchase of the Métropole du Grand Paris, for its members.
const FIXTURE: &str = "[source]\nslug = \"authority-fixture\"\nkind = \"other\"\ntitle = \"Authority fixture\"\n\n\
    [[group_purchase]]\nslug = \"mgp-open\"\ntitle = \"Achat groupé ouvert\"\norganiser = \"metropole-du-grand-paris\"\n\
    eligibility = \"members_of_organiser\"\nstatus = \"planned\"\n";

/// The error code of a refused write, or `ok`, or the first user error's code.
fn outcome(body: &Value, mutation: &str) -> String {
    if let Some(code) = body["errors"][0]["extensions"]["code"].as_str() {
        return code.to_owned();
    }
    match body["data"][mutation]["userErrors"][0]["code"].as_str() {
        Some(code) => code.to_owned(),
        None => "ok".to_owned(),
    }
}

#[tokio::test]
async fn a_partner_cannot_grant_itself_power_over_a_city() {
    let app = TestApp::spawn_with(&[("900-authority.toml", FIXTURE.to_owned())]).await;
    let ids = app
        .data(
            r#"{ iveo: organisation(slug: "iveo") { id }
                 argenteuil: city(slug: "argenteuil") { id }
                 purchase: groupPurchase(slug: "mgp-open") { id version } }"#,
            json!({}),
        )
        .await;
    let editor = app.token("editor", None).await;
    let (_, opened) = app
        .post_as(&editor, r#"mutation($id: ID!, $v: Int!) { openGroupPurchase(input: { id: $id, version: $v, tenderEnd: "2999-12-31" }) { groupPurchase { status } } }"#,
            json!({ "id": ids["purchase"]["id"], "v": ids["purchase"]["version"] }))
        .await;
    assert_eq!(
        opened["data"]["openGroupPurchase"]["groupPurchase"]["status"], "OPEN",
        "{opened:#}"
    );
    let iveo = app.token("partner", Some("iveo")).await;

    // IVÉO's partner declares Argenteuil a member of IVÉO: refused, nothing recorded.
    let declare = "mutation($o: ID!, $c: ID!) { addMembership(input: { organisation: $o, memberCity: $c, kind: MEMBER }) { membership { id } userErrors { code } } }";
    let (_, declared) = app
        .post_as(
            &iveo,
            declare,
            json!({ "o": ids["iveo"]["id"], "c": ids["argenteuil"]["id"] }),
        )
        .await;
    assert_eq!(
        outcome(&declared, "addMembership"),
        "FORBIDDEN",
        "{declared:#}"
    );
    let members = app
        .data(
            r#"{ cities(filter: { memberOf: "iveo" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(members["cities"]["totalCount"], 0);

    // So it cannot act for Argenteuil: no enrolment in another organiser's purchase.
    let join = "mutation($p: ID!, $c: ID!) { joinGroupPurchase(input: { groupPurchase: $p, city: $c }) { participation { id } userErrors { code } } }";
    let variables = json!({ "p": ids["purchase"]["id"], "c": ids["argenteuil"]["id"] });
    let (_, joined) = app.post_as(&iveo, join, variables.clone()).await;
    assert_eq!(
        outcome(&joined, "joinGroupPurchase"),
        "FORBIDDEN",
        "{joined:#}"
    );

    // The Métropole's own partner enrols its member; IVÉO's may not withdraw it.
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (_, joined) = app.post_as(&mgp, join, variables).await;
    assert_eq!(outcome(&joined, "joinGroupPurchase"), "ok", "{joined:#}");
    let participation = &joined["data"]["joinGroupPurchase"]["participation"]["id"];
    let (_, withdrawn) = app
        .post_as(&iveo, "mutation($id: ID!) { withdrawFromGroupPurchase(input: { id: $id, version: 1 }) { userErrors { code } } }",
            json!({ "id": participation }))
        .await;
    assert_eq!(
        outcome(&withdrawn, "withdrawFromGroupPurchase"),
        "FORBIDDEN",
        "{withdrawn:#}"
    );

    // An editor records a city's membership.
    let (_, declared) = app
        .post_as(
            &editor,
            declare,
            json!({ "o": ids["iveo"]["id"], "c": ids["argenteuil"]["id"] }),
        )
        .await;
    assert_eq!(outcome(&declared, "addMembership"), "ok", "{declared:#}");
}

#[tokio::test]
async fn a_write_links_only_records_the_caller_has_a_right_over() {
    let app = TestApp::spawn().await;
    let ids = app
        .data(
            r#"{ iveo: organisation(slug: "iveo") { id }
                 umq: organisation(slug: "umq") { id }
                 own: partnership(slug: "umq-iveo-2023") { id }
                 foreign: partnership(slug: "terrebonne-namur-2024-2026") { id }
                 programme(slug: "quartiers-metropolitains-innovation") { id editions { nodes { id } } } }"#,
            json!({}),
        )
        .await;
    let iveo = app.token("partner", Some("iveo")).await;
    let count = || async {
        app.data(
            r#"{ events(filter: { organiser: "iveo" }) { totalCount } }"#,
            json!({}),
        )
        .await["events"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let before = count().await;
    let event = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { code } } }";
    let initiative = "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } userErrors { code } } }";
    let mut n = 0;
    let mut try_write = |query: &'static str, mutation: &'static str, mut input: Value| {
        n += 1;
        input["slug"] = json!(format!("link-{n}"));
        input["title"] = json!(format!("Lien {n}"));
        let app = &app;
        let iveo = iveo.clone();
        async move {
            let (_, body) = app.post_as(&iveo, query, json!({ "input": input })).await;
            outcome(&body, mutation)
        }
    };
    let edition = &ids["programme"]["editions"]["nodes"][0]["id"];
    let cases = [
        // Its own organisation, and a partnership it is a party to: allowed.
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"] })).await, "ok"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "partnership": ids["own"]["id"] })).await, "ok"),
        // Someone else's partnership or programme beside its own organisation: refused.
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "partnership": ids["foreign"]["id"] })).await, "FORBIDDEN"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["iveo"]["id"], "programme": ids["programme"]["id"] })).await, "FORBIDDEN"),
        (try_write(event, "createEvent", json!({ "kind": "MEETING", "organiser": ids["umq"]["id"], "partnership": ids["own"]["id"] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]] })).await, "ok"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"], ids["umq"]["id"]] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]], "partnership": ids["foreign"]["id"] })).await, "FORBIDDEN"),
        (try_write(initiative, "createInitiative", json!({ "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["iveo"]["id"]], "edition": edition })).await, "FORBIDDEN"),
    ];
    for (n, (got, expected)) in cases.iter().enumerate() {
        assert_eq!(got, expected, "case {n}");
    }
    // Nothing refused was written: the two events allowed, no more.
    assert_eq!(count().await, before + 2);
}

#[tokio::test]
async fn writes_neither_reach_nor_hang_from_what_the_caller_may_not_see_or_write() {
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id members(first: 100) { nodes { id version member { ... on City { slug } } } } }
                 umq: organisation(slug: "umq") { id }
                 argenteuil: city(slug: "argenteuil") { id }
                 terrebonne: city(slug: "terrebonne") { id }
                 foreign: partnership(slug: "terrebonne-namur-2024-2026") { id } }"#,
            json!({}),
        )
        .await;
    let run = |token: &str, query: &str, input: Value| {
        let (app, token, query) = (&app, token.to_owned(), query.to_owned());
        async move {
            app.post_as(&token, &query, json!({ "input": input }))
                .await
                .1
        }
    };
    // An editor drafts a partnership of the UMQ, and an initiative of Argenteuil (a member of
    // the Métropole) under it.
    let draft = run(&editor, "mutation($input: CreatePartnershipInput!) { createPartnership(input: $input) { partnership { id } userErrors { code } } }",
        json!({ "profile": { "slug": "brouillon", "title": "Brouillon", "kind": "AGREEMENT", "status": "DRAFT" },
            "parties": [{ "key": "umq", "organisation": ids["umq"]["id"], "role": "PARTY" }] })).await;
    let draft = draft["data"]["createPartnership"]["partnership"]["id"].clone();
    assert!(draft.is_string(), "{draft}");
    let create_initiative = "mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } userErrors { code } } }";
    let hidden = run(
        &editor,
        create_initiative,
        json!({ "slug": "cachee", "title": "Cachée", "kind": "EXPERIMENT",
        "status": "PLANNED", "city": ids["argenteuil"]["id"], "partnership": draft }),
    )
    .await;
    let hidden = hidden["data"]["createInitiative"]["initiative"]["id"].clone();
    assert!(hidden.is_string(), "{hidden}");

    // The Métropole's partner acts for Argenteuil, but the initiative is a hidden draft's: it
    // answers as one that does not exist, and nothing is written.
    for (mutation, query, input) in [
        (
            "setInitiativeStatus",
            "mutation($input: SetInitiativeStatusInput!) { setInitiativeStatus(input: $input) { initiative { title } userErrors { code } } }",
            json!({ "id": hidden, "version": 1, "status": "PLANNED" }),
        ),
        (
            "addOutcome",
            "mutation($input: AddOutcomeInput!) { addOutcome(input: $input) { outcome { id } userErrors { code } } }",
            json!({ "initiative": hidden, "indicator": "x", "evidenceLevel": "SELF_REPORTED" }),
        ),
        (
            "addLesson",
            "mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } userErrors { code } } }",
            json!({ "initiative": hidden, "kind": "PITFALL", "text": "x" }),
        ),
        (
            "createInitiative",
            create_initiative,
            json!({ "slug": "copie", "title": "Copie", "kind": "EXPERIMENT", "status": "PLANNED", "leads": [ids["mgp"]["id"]], "adaptedFrom": hidden }),
        ),
        (
            "createGroupPurchase",
            "mutation($input: CreateGroupPurchaseInput!) { createGroupPurchase(input: $input) { groupPurchase { id } userErrors { code } } }",
            json!({ "slug": "achat-du-brouillon", "title": "Achat", "organiser": ids["mgp"]["id"], "origin": draft }),
        ),
    ] {
        let body = run(&mgp, query, input).await;
        assert_eq!(
            outcome(&body, mutation),
            "NOT_FOUND",
            "{mutation}: {body:#}"
        );
        assert!(!body.to_string().contains("Cachée"), "{body}");
    }

    // Changing the hidden initiative, or an outcome of it, answers exactly as changing one that
    // does not exist: same field, code and message, nothing of the draft in it.
    let outcome_of = |initiative: &Value| {
        run(
            &editor,
            "mutation($input: AddOutcomeInput!) { addOutcome(input: $input) { outcome { id } } }",
            json!({ "initiative": initiative, "indicator": "x", "evidenceLevel": "SELF_REPORTED" }),
        )
    };
    let hidden_outcome = outcome_of(&hidden).await["data"]["addOutcome"]["outcome"]["id"].clone();
    let gone = run(
        &editor,
        create_initiative,
        json!({ "slug": "ephemere", "title": "Éphémère", "kind": "EXPERIMENT",
        "status": "PLANNED", "city": ids["argenteuil"]["id"] }),
    )
    .await["data"]["createInitiative"]["initiative"]["id"]
        .clone();
    let gone_outcome = outcome_of(&gone).await["data"]["addOutcome"]["outcome"]["id"].clone();
    for id in [&gone_outcome, &gone] {
        let body = run(
            &editor,
            "mutation($input: DeleteInput!) { deleteRecord(input: $input) { deletedId } }",
            json!({ "id": id }),
        )
        .await;
        assert!(
            body["data"]["deleteRecord"]["deletedId"].is_string(),
            "{body:#}"
        );
    }
    for (mutation, query, change, hidden_id, gone_id) in [
        (
            "updateInitiative",
            "mutation($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { initiative { title } userErrors { field code message } } }",
            "title",
            &hidden,
            &gone,
        ),
        (
            "updateOutcome",
            "mutation($input: UpdateOutcomeInput!) { updateOutcome(input: $input) { outcome { indicator } userErrors { field code message } } }",
            "indicator",
            &hidden_outcome,
            &gone_outcome,
        ),
    ] {
        let answer = |id: &Value| run(&mgp, query, json!({ "id": id, "version": 1, change: "x" }));
        let (on_hidden, on_gone) = (answer(hidden_id).await, answer(gone_id).await);
        assert_eq!(outcome(&on_hidden, mutation), "NOT_FOUND", "{on_hidden:#}");
        assert_eq!(
            on_hidden["data"][mutation]["userErrors"], on_gone["data"][mutation]["userErrors"],
            "{mutation}"
        );
    }

    // Hanging a purchase from someone else's partnership, or an initiative on a city it does not
    // act for beside its own lead: refused.
    let body = run(&mgp, "mutation($input: CreateGroupPurchaseInput!) { createGroupPurchase(input: $input) { groupPurchase { id } userErrors { code } } }",
        json!({ "slug": "achat-etranger", "title": "Achat", "organiser": ids["mgp"]["id"], "origin": ids["foreign"]["id"] })).await;
    assert_eq!(
        outcome(&body, "createGroupPurchase"),
        "FORBIDDEN",
        "{body:#}"
    );
    let body = run(
        &mgp,
        create_initiative,
        json!({ "slug": "a-terrebonne", "title": "À Terrebonne", "kind": "EXPERIMENT",
        "status": "PLANNED", "leads": [ids["mgp"]["id"]], "city": ids["terrebonne"]["id"] }),
    )
    .await;
    assert_eq!(outcome(&body, "createInitiative"), "FORBIDDEN", "{body:#}");

    // A list that names a lead or a theme twice means it once.
    let body = run(&mgp, create_initiative, json!({ "slug": "deux-fois", "title": "Deux fois", "kind": "EXPERIMENT",
        "status": "PLANNED", "leads": [ids["mgp"]["id"], ids["mgp"]["id"]], "themes": ["inclusion-sociale", "inclusion-sociale"] })).await;
    assert_eq!(outcome(&body, "createInitiative"), "ok", "{body:#}");

    // An editor ends Argenteuil's membership of the Métropole; its partner may bring the end
    // closer, never move it later (which would give it back the power to act for the city).
    let membership = ids["mgp"]["members"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member"]["slug"] == "argenteuil")
        .expect("Argenteuil is a member")
        .clone();
    let end = "mutation($input: EndMembershipInput!) { endMembership(input: $input) { membership { version } userErrors { code } } }";
    let ended = run(
        &editor,
        end,
        json!({ "id": membership["id"], "version": membership["version"], "end": "2025" }),
    )
    .await;
    let version = ended["data"]["endMembership"]["membership"]["version"].clone();
    assert!(version.is_number(), "{ended:#}");
    let reopened = run(
        &mgp,
        end,
        json!({ "id": membership["id"], "version": version, "end": "2999" }),
    )
    .await;
    assert_eq!(
        outcome(&reopened, "endMembership"),
        "FORBIDDEN",
        "{reopened:#}"
    );
    let closer = run(
        &mgp,
        end,
        json!({ "id": membership["id"], "version": version, "end": "2025-06" }),
    )
    .await;
    assert_eq!(outcome(&closer, "endMembership"), "ok", "{closer:#}");
}

#[tokio::test]
async fn a_partner_names_only_itself_among_those_who_run_or_own_what_it_writes() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id version }
                 umq: organisation(slug: "umq") { id }
                 argenteuil: city(slug: "argenteuil") { id }
                 terrebonne: city(slug: "terrebonne") { id } }"#,
            json!({}),
        )
        .await;
    let programme = "mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } userErrors { field code } } }";
    let organisers = |other_role: &str| {
        json!({ "input": { "slug": format!("programme-{}", other_role.to_lowercase().replace('_', "-")), "name": "Programme", "participationMode": "EDITIONS",
            "organisers": [{ "organisation": ids["mgp"]["id"], "role": "OWNER" }, { "organisation": ids["umq"]["id"], "role": other_role }] } })
    };
    // The UMQ as co-animator would run the programme: refused. As a partner it is only named.
    let (_, body) = app
        .post_as(&mgp, programme, organisers("CO_ANIMATOR"))
        .await;
    assert_eq!(outcome(&body, "createProgramme"), "FORBIDDEN", "{body:#}");
    let (_, body) = app.post_as(&mgp, programme, organisers("PARTNER")).await;
    assert_eq!(outcome(&body, "createProgramme"), "ok", "{body:#}");

    let update = "mutation($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisation { version } userErrors { code } } }";
    let profile = |profile: Value| json!({ "input": { "id": ids["mgp"]["id"], "version": ids["mgp"]["version"], "profile": profile } });
    for claim in [
        json!({ "parent": ids["umq"]["id"] }),
        json!({ "owningCity": ids["terrebonne"]["id"] }),
    ] {
        let (_, body) = app.post_as(&mgp, update, profile(claim.clone())).await;
        assert_eq!(
            outcome(&body, "updateOrganisation"),
            "FORBIDDEN",
            "{claim}: {body:#}"
        );
    }
    // A city it acts for (a member of the Métropole) may be named.
    let (_, body) = app
        .post_as(
            &mgp,
            update,
            profile(json!({ "owningCity": ids["argenteuil"]["id"] })),
        )
        .await;
    assert_eq!(outcome(&body, "updateOrganisation"), "ok", "{body:#}");
}

#[tokio::test]
async fn a_partner_names_as_taking_part_only_itself_and_the_cities_it_acts_for() {
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id }
                 umq: organisation(slug: "umq") { id }
                 argenteuil: city(slug: "argenteuil") { id }
                 terrebonne: city(slug: "terrebonne") { id }
                 people(first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let person = &ids["people"]["nodes"][0]["id"];
    assert!(person.is_string(), "{ids:#}");
    let run = |query: &'static str, input: Value| {
        let (app, mgp) = (&app, mgp.clone());
        async move { app.post_as(&mgp, query, json!({ "input": input })).await.1 }
    };

    // Events: a member city, its own organisation, any city as the place.
    let event = "mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { code } } }";
    let mut n = 0;
    let mut with_participant = |participant: Value, place: &Value| {
        n += 1;
        json!({ "slug": format!("rencontre-{n}"), "title": "Rencontre", "kind": "MEETING",
            "organiser": ids["mgp"]["id"], "place": place, "participants": [participant] })
    };
    let cases = [
        (
            with_participant(
                json!({ "city": ids["argenteuil"]["id"] }),
                &ids["terrebonne"]["id"],
            ),
            "ok",
        ),
        (
            with_participant(json!({ "organisation": ids["mgp"]["id"] }), &Value::Null),
            "ok",
        ),
        (
            with_participant(json!({ "city": ids["terrebonne"]["id"] }), &Value::Null),
            "FORBIDDEN",
        ),
        (
            with_participant(json!({ "organisation": ids["umq"]["id"] }), &Value::Null),
            "FORBIDDEN",
        ),
        (
            with_participant(json!({ "person": person }), &Value::Null),
            "FORBIDDEN",
        ),
    ];
    for (input, expected) in cases {
        let body = run(event, input.clone()).await;
        assert_eq!(outcome(&body, "createEvent"), expected, "{input}: {body:#}");
    }
    let events = app
        .data(
            r#"{ events(filter: { organiser: "metropole-du-grand-paris" }) { nodes { slug } } }"#,
            json!({}),
        )
        .await;
    let slugs: Vec<&str> = events["events"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["slug"].as_str())
        .filter(|slug| slug.starts_with("rencontre-"))
        .collect();
    assert_eq!(slugs.len(), 2, "only the allowed events exist: {slugs:?}");

    // A programme's laureates and an award's recipients, the same.
    let programme = run("mutation($input: CreateProgrammeInput!) { createProgramme(input: $input) { programme { id } userErrors { code } } }",
        json!({ "slug": "programme-nomme", "name": "Programme", "participationMode": "CARRIED",
            "organisers": [{ "organisation": ids["mgp"]["id"], "role": "OWNER" }] })).await;
    let programme = programme["data"]["createProgramme"]["programme"]["id"].clone();
    assert!(programme.is_string(), "{programme}");
    let award = run("mutation($input: CreateAwardInput!) { createAward(input: $input) { award { id } userErrors { code } } }",
        json!({ "slug": "prix-nomme", "name": "Prix", "kind": "AWARD", "organiser": ids["mgp"]["id"] })).await;
    let award = award["data"]["createAward"]["award"]["id"].clone();
    assert!(award.is_string(), "{award}");
    let laureate = "mutation($input: AddProgrammeParticipantInput!) { addProgrammeParticipant(input: $input) { participant { id } userErrors { code } } }";
    let recognition = "mutation($input: AddRecognitionInput!) { addRecognition(input: $input) { recognition { id } userErrors { code } } }";
    for (city, expected) in [("terrebonne", "FORBIDDEN"), ("argenteuil", "ok")] {
        let body = run(
            laureate,
            json!({ "programme": programme, "city": ids[city]["id"], "role": "LAUREATE" }),
        )
        .await;
        assert_eq!(
            outcome(&body, "addProgrammeParticipant"),
            expected,
            "{city}: {body:#}"
        );
        let body = run(
            recognition,
            json!({ "award": award, "year": 2026, "level": "WINNER", "city": ids[city]["id"] }),
        )
        .await;
        assert_eq!(
            outcome(&body, "addRecognition"),
            expected,
            "{city}: {body:#}"
        );
    }
}

#[tokio::test]
async fn a_partner_ends_its_mandates_or_brings_their_end_closer_never_later() {
    let app = TestApp::spawn().await;
    let (editor, mgp) = (
        app.token("editor", None).await,
        app.token("partner", Some("metropole-du-grand-paris")).await,
    );
    let ids = app
        .data(
            r#"{ mgp: organisation(slug: "metropole-du-grand-paris") { id } people(first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let (_, started) = app
        .post_as(&mgp, "mutation($input: StartMandateInput!) { startMandate(input: $input) { mandate { id version } userErrors { code } } }",
            json!({ "input": { "person": ids["people"]["nodes"][0]["id"], "organisation": ids["mgp"]["id"],
                "role": "PRESIDENT", "title": "Président", "start": "2020" } }))
        .await;
    let mandate = started["data"]["startMandate"]["mandate"].clone();
    assert!(mandate["id"].is_string(), "{started:#}");
    let end = "mutation($input: EndMandateInput!) { endMandate(input: $input) { mandate { version } userErrors { code } } }";
    let ended = |token: String, version: Value, end_on: &'static str| {
        let (app, id) = (&app, mandate["id"].clone());
        async move {
            app.post_as(
                &token,
                end,
                json!({ "input": { "id": id, "version": version, "end": end_on } }),
            )
            .await
            .1
        }
    };
    let body = ended(editor.clone(), mandate["version"].clone(), "2024").await;
    let version = body["data"]["endMandate"]["mandate"]["version"].clone();
    assert!(version.is_number(), "{body:#}");
    let later = ended(mgp.clone(), version.clone(), "2030").await;
    assert_eq!(outcome(&later, "endMandate"), "FORBIDDEN", "{later:#}");
    let closer = ended(mgp.clone(), version, "2023").await;
    assert_eq!(outcome(&closer, "endMandate"), "ok", "{closer:#}");
}
