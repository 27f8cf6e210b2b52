//! The records the directory keeps beside its cities, people and organisations — contact
//! points, relations between organisations, stated figures, statements, sources, citations and
//! themes — added, changed with the version read, and deleted, by those who may write them.

use serde_json::{Value, json};
use tests::TestApp;

use crate::update_check::{Update, check};

/// Runs a mutation as `token` with `input`; returns the whole body.
async fn write(app: &TestApp, token: &str, mutation: &str, selection: &str, input: Value) -> Value {
    let input_type = format!("{}{}Input", mutation[..1].to_uppercase(), &mutation[1..]);
    let query = format!(
        "mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ {selection} userErrors {{ field code message }} }} }}"
    );
    app.post_as(token, &query, json!({ "input": input }))
        .await
        .1
}

/// Deletes the record `id` as `token` with `deleteRecord`; returns the payload, or the error.
async fn delete(app: &TestApp, token: &str, id: &Value) -> Value {
    let (_, body) = app
        .post_as(token, "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { field code message } } }",
            json!({ "id": id }))
        .await;
    match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => json!({ "error": code }),
        None => body["data"]["deleteRecord"].clone(),
    }
}

/// A partner writes its organisation's contact points and the relations it states, and no
/// other organisation's; a contact's details stay out of the audit trail.
#[tokio::test]
async fn a_partner_keeps_its_organisation_s_contacts_and_relations_up_to_date() {
    // Arrange
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;

    // Act: the MGP's partner adds a press contact; the UMQ's may not add one for the MGP.
    let contact = json!({ "organisation": "metropole-du-grand-paris", "person": "patrick-ollier", "role": "PRESS",
        "phone": "+33 1 53 00 00 00", "phoneKind": "LANDLINE" });
    let body = write(
        &app,
        &umq,
        "addContactPoint",
        "contactPoint { id }",
        contact.clone(),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let mut bad = contact.clone();
    bad["phone"] = json!("appelez-nous");
    bad["email"] = json!("presse@");
    let body = write(&app, &mgp, "addContactPoint", "contactPoint { id }", bad).await;
    assert_eq!(
        body["data"]["addContactPoint"]["userErrors"],
        json!([
            { "field": ["input", "phone"], "code": "INVALID", "message": "\"appelez-nous\" is not a phone number such as +1 514 531-3453 or 438 827-4560" },
            { "field": ["input", "email"], "code": "INVALID", "message": "\"presse@\" is not an email address such as name@example.org" }
        ]),
        "both problems at once: {body:#}"
    );
    let body = write(
        &app,
        &mgp,
        "addContactPoint",
        "contactPoint { id version phone person { slug } }",
        contact,
    )
    .await;
    let added = body["data"]["addContactPoint"]["contactPoint"].clone();
    assert_eq!(added["phone"], "+33 1 53 00 00 00", "{body:#}");

    // Assert: it is changed as it is added.
    check(&app, &admin, Update {
        mutation: "updateContactPoint",
        type_name: "ContactPoint",
        field: "contactPoint",
        record: &added,
        writer: &mgp,
        stranger: (&umq, "FORBIDDEN"),
        changes: json!({ "role": "MEDIA", "email": "presse@metropolegrandparis.fr" }),
        selection: "version role phone email person { slug }",
        shown: json!({ "role": "MEDIA", "phone": "+33 1 53 00 00 00", "email": "presse@metropolegrandparis.fr",
            "person": { "slug": "patrick-ollier" } }),
        breaking: Some((json!({ "email": "presse" }), "INVALID")),
        action: "update_contact_point",
    })
    .await;
    let (_, audit) = app
        .post_as(&admin, r#"{ auditEvents(first: 100, filter: { entityType: "contact_point" }) { nodes { before after } } }"#, json!({}))
        .await;
    let trail = audit["data"]["auditEvents"].to_string();
    assert!(trail.contains("hasPhone"), "{audit:#}");
    assert!(
        !trail.contains("53 00 00") && !trail.contains("presse@"),
        "the trail keeps no contact details: {audit:#}"
    );

    // A relation the MGP states with the UMQ.
    let relation = json!({ "from": "metropole-du-grand-paris", "to": "umq", "kind": "SUPPORTS", "start": "2019" });
    let body = write(
        &app,
        &umq,
        "addOrganisationRelation",
        "relation { id }",
        relation.clone(),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let body = write(
        &app,
        &mgp,
        "addOrganisationRelation",
        "relation { id version }",
        relation,
    )
    .await;
    let added_relation = body["data"]["addOrganisationRelation"]["relation"].clone();
    assert!(added_relation["id"].is_string(), "{body:#}");
    check(&app, &admin, Update {
        mutation: "updateOrganisationRelation",
        type_name: "OrganisationRelation",
        field: "relation",
        record: &added_relation,
        writer: &mgp,
        stranger: (&umq, "FORBIDDEN"),
        changes: json!({ "kind": "FUNDS", "end": "2024" }),
        selection: "version kind period { start { edtf } end { edtf } } to { slug }",
        shown: json!({ "kind": "FUNDS", "period": { "start": { "edtf": "2019" }, "end": { "edtf": "2024" } }, "to": { "slug": "umq" } }),
        breaking: Some((json!({ "end": "2010" }), "INVALID")),
        action: "update_organisation_relation",
    })
    .await;

    // Both are deleted by who writes them, and no one else.
    for id in [&added["id"], &added_relation["id"]] {
        assert_eq!(
            delete(&app, &umq, id).await,
            json!({ "error": "FORBIDDEN" })
        );
        assert_eq!(delete(&app, &mgp, id).await["deletedId"], *id);
        let gone = app
            .data(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert!(gone["node"].is_null());
    }
}

/// Sources, citations, stated figures and statements are editors' to write; a source that
/// something cites is in use.
#[tokio::test]
async fn editors_record_sources_citations_figures_and_statements() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let argenteuil = app
        .data(r#"{ city(slug: "argenteuil") { id } }"#, json!({}))
        .await["city"]["id"]
        .clone();

    // Act and assert: a source, refused to a partner, checked whole.
    let source = json!({ "slug": "communique-mgp-2025", "kind": "PRESS_RELEASE", "title": "Communiqué de la MGP",
        "publishedOn": "2025-03", "language": "fr", "url": "https://www.metropolegrandparis.fr/fr/communique" });
    let body = write(
        &app,
        &partner,
        "createSource",
        "source { id }",
        source.clone(),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let mut bad = source.clone();
    bad["url"] = json!("www.metropolegrandparis.fr");
    bad["language"] = json!("français");
    let body = write(&app, &editor, "createSource", "source { id }", bad).await;
    let fields: Vec<&Value> = body["data"]["createSource"]["userErrors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| &error["field"])
        .collect();
    assert_eq!(
        fields,
        [&json!(["input", "url"]), &json!(["input", "language"])],
        "{body:#}"
    );
    let body = write(
        &app,
        &editor,
        "createSource",
        "source { id version slug }",
        source.clone(),
    )
    .await;
    let created = body["data"]["createSource"]["source"].clone();
    assert_eq!(created["slug"], "communique-mgp-2025", "{body:#}");
    let body = write(&app, &editor, "createSource", "source { id }", source).await;
    assert_eq!(
        body["data"]["createSource"]["userErrors"][0]["code"], "TAKEN",
        "{body:#}"
    );
    check(&app, &admin, Update {
        mutation: "updateSource",
        type_name: "Source",
        field: "source",
        record: &created,
        writer: &editor,
        stranger: (&partner, "FORBIDDEN"),
        changes: json!({ "publisher": "Métropole du Grand Paris", "publishedOn": "2025-03-12" }),
        selection: "version slug publisher publishedOn { edtf }",
        shown: json!({ "slug": "communique-mgp-2025", "publisher": "Métropole du Grand Paris", "publishedOn": { "edtf": "2025-03-12" } }),
        breaking: Some((json!({ "url": "ftp://x" }), "INVALID")),
        action: "update_source",
    })
    .await;

    // A citation of the source for Argenteuil's population.
    let citation =
        json!({ "source": "communique-mgp-2025", "record": argenteuil, "field": "population" });
    let body = write(
        &app,
        &partner,
        "addCitation",
        "citation { id }",
        citation.clone(),
    )
    .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let body = write(
        &app,
        &editor,
        "addCitation",
        "citation { id }",
        json!({ "source": "communique-mgp-2025", "record": "Q2l0eTo5OTk5OTk" }),
    )
    .await;
    assert_eq!(
        body["data"]["addCitation"]["userErrors"],
        json!([{ "field": ["input", "record"], "code": "NOT_FOUND", "message": "no record has this record" }]),
        "{body:#}"
    );
    let body = write(
        &app,
        &editor,
        "addCitation",
        "citation { id version record { id } }",
        citation,
    )
    .await;
    let cited = body["data"]["addCitation"]["citation"].clone();
    assert_eq!(cited["record"]["id"], argenteuil, "{body:#}");
    check(&app, &admin, Update {
        mutation: "updateCitation",
        type_name: "Citation",
        field: "citation",
        record: &cited,
        writer: &editor,
        stranger: (&partner, "FORBIDDEN"),
        changes: json!({ "derived": true, "note": "Arrondi par le communiqué." }),
        selection: "version field derived note source { slug }",
        shown: json!({ "field": "population", "derived": true, "note": "Arrondi par le communiqué.", "source": { "slug": "communique-mgp-2025" } }),
        breaking: Some((json!({ "source": "nulle-part" }), "NOT_FOUND")),
        action: "update_citation",
    })
    .await;

    // A figure about the MGP and a statement, from the source.
    let body = write(&app, &editor, "addStatedFigure", "figure { id }",
        json!({ "organisation": "metropole-du-grand-paris", "award": "merite-ovation-municipale", "measure": "communes", "value": 130, "unit": "communes", "qualifier": "EXACT" })).await;
    assert_eq!(
        body["data"]["addStatedFigure"]["userErrors"][0]["code"], "INVALID",
        "one subject: {body:#}"
    );
    let body = write(&app, &editor, "addStatedFigure", "figure { id version }",
        json!({ "organisation": "metropole-du-grand-paris", "measure": "communes membres", "value": 130, "unit": "communes",
            "qualifier": "EXACT", "asOf": "2025-03-12", "source": "communique-mgp-2025" })).await;
    let figure = body["data"]["addStatedFigure"]["figure"].clone();
    assert!(figure["id"].is_string(), "{body:#}");
    check(&app, &admin, Update {
        mutation: "updateStatedFigure",
        type_name: "StatedFigure",
        field: "figure",
        record: &figure,
        writer: &editor,
        stranger: (&partner, "FORBIDDEN"),
        changes: json!({ "value": 131, "qualifier": "ABOUT" }),
        selection: "version measure value qualifier asOf organisation { slug }",
        shown: json!({ "measure": "communes membres", "value": 131.0, "qualifier": "ABOUT", "asOf": "2025-03-12",
            "organisation": { "slug": "metropole-du-grand-paris" } }),
        breaking: Some((json!({ "measure": " " }), "INVALID")),
        action: "update_stated_figure",
    })
    .await;
    let body = write(&app, &editor, "addStatement", "statement { id version }",
        json!({ "person": "patrick-ollier", "titleThen": "président de la Métropole", "text": "La Métropole avance.",
            "source": "communique-mgp-2025" })).await;
    let statement = body["data"]["addStatement"]["statement"].clone();
    assert!(statement["id"].is_string(), "{body:#}");
    check(&app, &admin, Update {
        mutation: "updateStatement",
        type_name: "Statement",
        field: "statement",
        record: &statement,
        writer: &editor,
        stranger: (&partner, "FORBIDDEN"),
        changes: json!({ "text": "La Métropole avance, ensemble.", "about": "umq-iveo-2023" }),
        selection: "version titleThen text about { slug } person { slug }",
        shown: json!({ "titleThen": "président de la Métropole", "text": "La Métropole avance, ensemble.",
            "about": { "slug": "umq-iveo-2023" }, "person": { "slug": "patrick-ollier" } }),
        breaking: Some((json!({ "text": "" }), "INVALID")),
        action: "update_statement",
    })
    .await;

    // A source something cites is in use; once its citation, figure and statement are gone,
    // it is deleted.
    let in_use = delete(&app, &editor, &created["id"]).await;
    assert_eq!(in_use["userErrors"][0]["code"], "IN_USE", "{in_use:#}");
    for id in [&cited["id"], &figure["id"], &statement["id"]] {
        assert_eq!(
            delete(&app, &partner, id).await,
            json!({ "error": "FORBIDDEN" })
        );
        assert_eq!(delete(&app, &editor, id).await["deletedId"], *id);
    }
    assert_eq!(
        delete(&app, &editor, &created["id"]).await["deletedId"],
        created["id"]
    );
}

/// Themes are editors' to write; the taxonomy stays a tree, and a theme in use — something
/// tagged with it, or a narrower theme under it — is not deleted.
#[tokio::test]
async fn themes_stay_a_tree_and_one_in_use_is_not_deleted() {
    // Arrange
    let app = TestApp::spawn().await;
    let editor = app.token("editor", None).await;
    let admin = app.token("admin", None).await;
    let partner = app.token("partner", Some("umq")).await;
    let top = app
        .data(
            r#"{ theme(slug: "transition-climatique-ecologique") { id version } }"#,
            json!({}),
        )
        .await["theme"]
        .clone();

    // Act and assert
    let theme = json!({ "slug": "sobriete-numerique", "labelFr": "Sobriété numérique", "labelEn": "Digital sobriety",
        "parent": "transition-climatique-ecologique" });
    let body = write(&app, &partner, "createTheme", "theme { id }", theme.clone()).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{body:#}"
    );
    let body = write(
        &app,
        &editor,
        "createTheme",
        "theme { id version parent { slug } }",
        theme,
    )
    .await;
    let created = body["data"]["createTheme"]["theme"].clone();
    assert_eq!(
        created["parent"]["slug"], "transition-climatique-ecologique",
        "{body:#}"
    );
    check(&app, &admin, Update {
        mutation: "updateTheme",
        type_name: "Theme",
        field: "theme",
        record: &created,
        writer: &editor,
        stranger: (&partner, "FORBIDDEN"),
        changes: json!({ "labelEn": "Digital frugality", "description": "Moins d'équipements, plus longtemps." }),
        selection: "version slug labelFr labelEn description parent { slug }",
        shown: json!({ "labelFr": "Sobriété numérique", "labelEn": "Digital frugality", "parent": { "slug": "transition-climatique-ecologique" } }),
        breaking: Some((json!({ "parent": created["id"] }), "INVALID")),
        action: "update_theme",
    })
    .await;
    // A broad theme may not move under one of its narrower themes.
    let body = write(
        &app,
        &editor,
        "updateTheme",
        "theme { id }",
        json!({ "id": top["id"], "version": top["version"], "parent": "sobriete-numerique" }),
    )
    .await;
    assert_eq!(
        body["data"]["updateTheme"]["userErrors"],
        json!([{ "field": ["input", "parent"], "code": "INVALID",
            "message": "the theme given sits under this one already: as its parent, the taxonomy would loop" }]),
        "{body:#}"
    );

    // A theme records are tagged with, or with a narrower theme under it, is in use.
    let decarbonation = app
        .data(r#"{ theme(slug: "decarbonation") { id } }"#, json!({}))
        .await["theme"]["id"]
        .clone();
    for id in [&decarbonation, &top["id"]] {
        let refused = delete(&app, &editor, id).await;
        assert_eq!(refused["userErrors"][0]["code"], "IN_USE", "{refused:#}");
    }
    assert_eq!(
        delete(&app, &partner, &created["id"]).await,
        json!({ "error": "FORBIDDEN" })
    );
    assert_eq!(
        delete(&app, &editor, &created["id"]).await["deletedId"],
        created["id"]
    );
}
