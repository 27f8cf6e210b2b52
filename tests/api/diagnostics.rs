//! The smart-city self-diagnostic: the example questionnaire's worked example scored as
//! computed by hand, the percentile among cities of similar size, and bad answers refused
//! with nothing stored.

use serde_json::{Value, json};
use tests::TestApp;

/// Cities of 20,000 (the one assessed), 25,000 and 30,000 inhabitants (similar: neither is
/// more than twice the other), and one of 100,000 (not similar), all members of Union D.
const FIXTURE: &str = r#"
[source]
slug = "diagnostics-fixture"
kind = "other"
title = "Diagnostics fixture"

[[organisation]]
slug = "union-d"
name = "Union D"
kind = "municipal_association"

[[organisation]]
slug = "autre-union"
name = "Autre union"
kind = "municipal_association"

[[city]]
slug = "evaluee"
name = "Évaluée"
country = "LU"
population = 20000

[[city]]
slug = "voisine-basse"
name = "Voisine basse"
country = "LU"
population = 25000

[[city]]
slug = "voisine-haute"
name = "Voisine haute"
country = "LU"
population = 30000

[[city]]
slug = "metropole"
name = "Métropole"
country = "LU"
population = 100000

[[membership]]
organisation = "union-d"
member_city = "evaluee"
kind = "member"
"#;

const SUBMIT: &str = r#"mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) {
    assessment { id overallScore maturityLevel percentile comparedWith
        dimensionScores { dimension title score } answers { question choice } }
    userErrors { field code message } } }"#;

struct Fixture {
    app: TestApp,
    editor: String,
    questionnaire: Value,
}

impl Fixture {
    async fn new() -> Fixture {
        let app = TestApp::spawn_with(&[("900-diagnostics.toml", FIXTURE.to_owned())]).await;
        let editor = app.token("editor", None).await;
        let data = app
            .data(
                r#"{ questionnaire(slug: "exemple-autodiagnostic-ville-intelligente") { id isExample tool { name } } }"#,
                json!({}),
            )
            .await;
        assert_eq!(data["questionnaire"]["isExample"], true);
        assert!(
            data["questionnaire"]["tool"].is_null(),
            "the example belongs to no organisation"
        );
        Fixture {
            questionnaire: data["questionnaire"]["id"].clone(),
            app,
            editor,
        }
    }

    async fn city_id(&self, slug: &str) -> Value {
        self.app
            .data(
                "query($slug: String!) { city(slug: $slug) { id } }",
                json!({ "slug": slug }),
            )
            .await["city"]["id"]
            .clone()
    }

    async fn submit_as(
        &self,
        token: &str,
        city: &str,
        on: &str,
        answers: &[(&str, &str)],
    ) -> Value {
        let input = json!({
            "questionnaire": self.questionnaire,
            "city": self.city_id(city).await,
            "assessedOn": on,
            "answers": answers.iter().map(|(q, c)| json!({ "question": q, "choice": c })).collect::<Vec<_>>(),
        });
        let (_, body) = self
            .app
            .post_as(token, SUBMIT, json!({ "input": input }))
            .await;
        body
    }

    async fn submit(&self, city: &str, on: &str, answers: &[(&str, &str)]) -> Value {
        let body = self.submit_as(&self.editor, city, on, answers).await;
        body["data"]["submitAssessment"].clone()
    }

    async fn assessments_of(&self, city: &str) -> u64 {
        self.app
            .data(
                "query($slug: String!) { city(slug: $slug) { assessments { totalCount } } }",
                json!({ "slug": city }),
            )
            .await["city"]["assessments"]["totalCount"]
            .as_u64()
            .unwrap()
    }
}

const WORKED_EXAMPLE: [(&str, &str); 3] = [
    ("strategie", "adoptee"),
    ("pilotage", "comite"),
    ("ouverture", "partielle"),
];

#[tokio::test]
async fn the_worked_example_scores_as_computed_by_hand() {
    let fixture = Fixture::new().await;

    let payload = fixture
        .submit("evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;

    assert_eq!(payload["userErrors"], json!([]));
    let assessment = &payload["assessment"];
    // gouvernance: (2 + 4) of (3 + 4) = 85.71; données: 1 of 2 = 50;
    // overall: (2 × 85.71 + 1 × 50) / 3 = 73.81, from 70: "Intégration".
    let scores = assessment["dimensionScores"].as_array().unwrap();
    assert_eq!(scores[0]["dimension"], "gouvernance");
    assert!((scores[0]["score"].as_f64().unwrap() - 600.0 / 7.0).abs() < 1e-9);
    assert_eq!(scores[1]["score"], 50.0);
    let overall = assessment["overallScore"].as_f64().unwrap();
    assert!(
        (overall - (2.0 * 600.0 / 7.0 + 50.0) / 3.0).abs() < 1e-9,
        "{overall}"
    );
    assert_eq!(assessment["maturityLevel"], "Intégration");
    assert_eq!(
        assessment["percentile"],
        Value::Null,
        "no other city took it yet"
    );
}

#[tokio::test]
async fn the_percentile_compares_with_cities_of_similar_size_only() {
    let fixture = Fixture::new().await;
    let zero = [
        ("strategie", "aucune"),
        ("pilotage", "personne"),
        ("ouverture", "non"),
    ];
    let full = [
        ("strategie", "evaluee"),
        ("pilotage", "comite"),
        ("ouverture", "systematique"),
    ];
    // 25,000 scores 0; 30,000 first 0, then 100 on a later day (its latest counts);
    // 100,000 scores 100 but is not of similar size.
    fixture.submit("voisine-basse", "2026-01-10", &zero).await;
    fixture.submit("voisine-haute", "2026-01-10", &zero).await;
    fixture.submit("voisine-haute", "2026-02-10", &full).await;
    fixture.submit("metropole", "2026-01-10", &full).await;

    let payload = fixture
        .submit("evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;

    // 73.81 is above one of the two similar cities (0) and below the other (100): 50.
    assert_eq!(payload["assessment"]["comparedWith"], 2);
    assert_eq!(payload["assessment"]["percentile"], 50.0);
}

#[tokio::test]
async fn bad_answers_are_refused_by_name_and_nothing_is_stored() {
    let fixture = Fixture::new().await;

    let cases: [(&[(&str, &str)], &str); 4] = [
        (
            &[
                ("strategie", "adoptee"),
                ("pilotage", "comite"),
                ("budget", "oui"),
            ],
            "UNKNOWN_QUESTION",
        ),
        (
            &[
                ("strategie", "peut-etre"),
                ("pilotage", "comite"),
                ("ouverture", "non"),
            ],
            "UNKNOWN_CHOICE",
        ),
        (
            &[("strategie", "adoptee"), ("pilotage", "comite")],
            "UNANSWERED",
        ),
        (
            &[
                ("strategie", "adoptee"),
                ("strategie", "aucune"),
                ("pilotage", "comite"),
                ("ouverture", "non"),
            ],
            "ANSWERED_TWICE",
        ),
    ];
    for (answers, code) in cases {
        let payload = fixture.submit("evaluee", "2026-03-01", answers).await;
        assert!(payload["assessment"].is_null());
        assert_eq!(payload["userErrors"][0]["code"], code, "{payload:#}");
        assert_eq!(
            payload["userErrors"][0]["field"],
            json!(["input", "answers"])
        );
    }
    assert_eq!(fixture.assessments_of("evaluee").await, 0);

    // A second assessment of the same questionnaire on the same day.
    let first = fixture
        .submit("evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;
    assert_eq!(first["userErrors"], json!([]));
    let second = fixture
        .submit("evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;
    assert_eq!(second["userErrors"][0]["code"], "ALREADY_ASSESSED");
    assert_eq!(
        second["userErrors"][0]["field"],
        json!(["input", "assessedOn"])
    );
    assert_eq!(fixture.assessments_of("evaluee").await, 1);
}

#[tokio::test]
async fn a_partner_assesses_only_the_cities_of_its_organisation() {
    let fixture = Fixture::new().await;
    let own = fixture.app.token("partner", Some("union-d")).await;
    let other = fixture.app.token("partner", Some("autre-union")).await;

    let allowed = fixture
        .submit_as(&own, "evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;
    assert_eq!(allowed["data"]["submitAssessment"]["userErrors"], json!([]));
    let refused = fixture
        .submit_as(&other, "evaluee", "2026-03-02", &WORKED_EXAMPLE)
        .await;
    assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN");
    assert_eq!(fixture.assessments_of("evaluee").await, 1);
}

#[tokio::test]
async fn an_admin_loads_a_questionnaire_checked_whole_before_anything_is_stored() {
    let fixture = Fixture::new().await;
    let admin = fixture.app.token("admin", None).await;
    const LOAD: &str = r#"mutation($content: String!) { loadQuestionnaire(input: { content: $content }) {
        questionnaire { slug revision dimensions { key weight questions { key choices { key score } } } levels { name minScore } }
        userErrors { field code message } } }"#;
    let valid = r#"
slug = "essai-questionnaire"
title = "Essai"
revision = "1"
example = true
[[levels]]
name = "Début"
min_score = 0
[[dimensions]]
key = "d"
title = "D"
weight = 1
[[dimensions.questions]]
key = "q"
text = "Q ?"
choices = [{ key = "non", label = "Non", score = 0 }, { key = "oui", label = "Oui", score = 1 }]
"#;

    let (_, body) = fixture
        .app
        .post_as(&admin, LOAD, json!({ "content": valid }))
        .await;
    let loaded = &body["data"]["loadQuestionnaire"];
    assert_eq!(loaded["userErrors"], json!([]));
    assert_eq!(
        loaded["questionnaire"]["dimensions"][0]["questions"][0]["choices"][1]["score"],
        1.0
    );

    // A duplicate choice key: refused, with the place named.
    let broken = valid
        .replace("essai-questionnaire", "essai-casse")
        .replace(r#"key = "oui""#, r#"key = "non""#);
    let (_, body) = fixture
        .app
        .post_as(&admin, LOAD, json!({ "content": broken }))
        .await;
    let refused = &body["data"]["loadQuestionnaire"];
    assert!(refused["questionnaire"].is_null());
    assert_eq!(refused["userErrors"][0]["code"], "INVALID");
    assert!(
        refused["userErrors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(r#"question "q", choice "non""#),
        "{refused}"
    );
    let none = fixture
        .app
        .data(
            r#"{ questionnaire(slug: "essai-casse") { id } }"#,
            json!({}),
        )
        .await;
    assert!(none["questionnaire"].is_null());

    // Only admins load questionnaires.
    let (_, body) = fixture
        .app
        .post_as(
            &fixture.editor,
            LOAD,
            json!({ "content": valid.replace("essai-questionnaire", "essai-2") }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
}

#[tokio::test]
async fn an_assessment_is_deleted_by_who_acts_for_the_city_and_a_questionnaire_only_once_unused() {
    // Arrange
    let fixture = Fixture::new().await;
    let app = &fixture.app;
    let own = app.token("partner", Some("union-d")).await;
    let other = app.token("partner", Some("autre-union")).await;
    let admin = app.token("admin", None).await;
    let submitted = fixture
        .submit_as(&own, "evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;
    let assessment = submitted["data"]["submitAssessment"]["assessment"]["id"].clone();
    assert!(assessment.is_string(), "{submitted:#}");
    let delete = |token: String, id: Value| async move {
        let (_, body) = app
            .post_as(&token, "mutation($id: ID!) { deleteRecord(input: { id: $id }) { deletedId userErrors { code message } } }",
                json!({ "id": id }))
            .await;
        match body["errors"][0]["extensions"]["code"].as_str() {
            Some(code) => code.to_owned(),
            None => body["data"]["deleteRecord"]["userErrors"][0]["code"]
                .as_str()
                .unwrap_or("ok")
                .to_owned(),
        }
    };

    // Act and assert: the questionnaire is admins' and in use while the city's answers stand.
    assert_eq!(
        delete(fixture.editor.clone(), fixture.questionnaire.clone()).await,
        "FORBIDDEN"
    );
    assert_eq!(
        delete(admin.clone(), fixture.questionnaire.clone()).await,
        "IN_USE"
    );
    assert_eq!(delete(other, assessment.clone()).await, "FORBIDDEN");
    assert_eq!(fixture.assessments_of("evaluee").await, 1);
    assert_eq!(delete(own, assessment.clone()).await, "ok");
    assert_eq!(fixture.assessments_of("evaluee").await, 0);
    assert_eq!(
        delete(admin.clone(), fixture.questionnaire.clone()).await,
        "ok"
    );
    let (_, audit) = app
        .post_as(
            &admin,
            r#"{ auditEvents(filter: { action: "delete_assessment" }) { nodes { actorName } } }"#,
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
async fn an_assessment_and_a_questionnaire_are_corrected_with_the_version_read() {
    // Arrange
    let fixture = Fixture::new().await;
    let app = &fixture.app;
    let own = app.token("partner", Some("union-d")).await;
    let other = app.token("partner", Some("autre-union")).await;
    let admin = app.token("admin", None).await;
    let submitted = fixture
        .submit_as(&own, "evaluee", "2026-03-01", &WORKED_EXAMPLE)
        .await;
    let assessment = &submitted["data"]["submitAssessment"]["assessment"];
    let before = assessment["overallScore"].as_f64().unwrap();
    let assessment = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Assessment { id version } } }",
            json!({ "id": assessment["id"] }),
        )
        .await["node"]
        .clone();
    let questionnaire = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Questionnaire { id version } } }",
            json!({ "id": fixture.questionnaire }),
        )
        .await["node"]
        .clone();
    let answers = |pairs: &[(&str, &str)]| -> Value {
        pairs
            .iter()
            .map(|(q, c)| json!({ "question": q, "choice": c }))
            .collect()
    };
    let corrected = answers(&[
        ("strategie", "aucune"),
        ("pilotage", "comite"),
        ("ouverture", "non"),
    ]);

    // Act and assert
    crate::update_check::check(
        app,
        &admin,
        crate::update_check::Update {
            mutation: "updateAssessment",
            type_name: "Assessment",
            field: "assessment",
            record: &assessment,
            writer: &own,
            stranger: (&other, "FORBIDDEN"),
            changes: json!({ "answers": corrected, "assessedOn": "2026-03-02" }),
            selection: "version assessedOn overallScore answers { question choice }",
            shown: json!({ "assessedOn": "2026-03-02", "answers": corrected }),
            breaking: Some((
                json!({ "answers": answers(&[("strategie", "peut-etre"), ("pilotage", "comite"), ("ouverture", "non")]) }),
                "UNKNOWN_CHOICE",
            )),
            action: "update_assessment",
        },
    )
    .await;
    let after = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Assessment { overallScore } } }",
            json!({ "id": assessment["id"] }),
        )
        .await["node"]["overallScore"]
        .as_f64()
        .unwrap();
    assert!(after < before, "scored again: {before} → {after}");

    crate::update_check::check(
        app,
        &admin,
        crate::update_check::Update {
            mutation: "updateQuestionnaire",
            type_name: "Questionnaire",
            field: "questionnaire",
            record: &questionnaire,
            writer: &admin,
            stranger: (&fixture.editor, "FORBIDDEN"),
            changes: json!({ "title": "Autodiagnostic (exemple corrigé)", "publishedOn": "2026-01-15" }),
            selection: "version title publishedOn",
            shown: json!({ "title": "Autodiagnostic (exemple corrigé)", "publishedOn": "2026-01-15" }),
            breaking: Some((json!({ "title": " " }), "INVALID")),
            action: "update_questionnaire",
        },
    )
    .await;
}
