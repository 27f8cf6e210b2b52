//! Group-purchase writes: the lifecycle, enrolment rules, who may do what, and concurrency.

use serde_json::{Value, json};
use tests::TestApp;

/// Five planned purchases of the Métropole du Grand Paris, whose six laureate communes are
/// its members in the seed.
fn fixture() -> String {
    let mut toml = String::from(
        "[source]\nslug = \"write-fixture\"\nkind = \"other\"\ntitle = \"Write fixture\"\n\n",
    );
    for n in 1..=5 {
        toml.push_str(&format!(
            "[[group_purchase]]\nslug = \"mgp-purchase-{n}\"\ntitle = \"Achat groupé {n}\"\norganiser = \"metropole-du-grand-paris\"\n\
             eligibility = \"members_of_organiser\"\nstatus = \"planned\"\n\n"
        ));
    }
    toml
}

async fn spawn() -> TestApp {
    TestApp::spawn_with(&[("900-write-fixture.toml", fixture())]).await
}

async fn purchase(app: &TestApp, n: u32) -> (Value, i64) {
    let data = app
        .data(
            &format!(r#"{{ groupPurchase(slug: "mgp-purchase-{n}") {{ id version }} }}"#),
            json!({}),
        )
        .await;
    (
        data["groupPurchase"]["id"].clone(),
        data["groupPurchase"]["version"].as_i64().unwrap(),
    )
}

async fn id_of(app: &TestApp, query: &str, path: &[&str]) -> Value {
    let mut value = app.data(query, json!({})).await;
    for key in path {
        value = value[*key].clone();
    }
    value
}

const OPEN: &str = r#"mutation($id: ID!, $version: Int!) { openGroupPurchase(input: { id: $id, version: $version, tenderEnd: "2999-12-31" }) {
    groupPurchase { status version tender { start { edtf precision } end { edtf } } tenderPeriod { startDate endDate } } userErrors { field code message } } }"#;
const JOIN: &str = r#"mutation($purchase: ID!, $city: ID!) { joinGroupPurchase(input: { groupPurchase: $purchase, city: $city, estimatedQuantity: 12 }) {
    participation { id version status city { slug } } userErrors { field code message } } }"#;

/// The outcome of a write: `ok`, a user error code, or a GraphQL error code.
fn outcome(body: &Value, mutation: &str, record: &str) -> String {
    if let Some(code) = body["errors"][0]["extensions"]["code"].as_str() {
        return code.to_owned();
    }
    let payload = &body["data"][mutation];
    match payload["userErrors"][0]["code"].as_str() {
        Some(code) => code.to_owned(),
        None if !payload[record].is_null() => "ok".to_owned(),
        None => panic!("neither a record nor an error: {body:#}"),
    }
}

#[tokio::test]
async fn who_may_open_a_purchase_of_the_metropolis() {
    let app = spawn().await;
    let callers = [
        ("anonymous", None, "UNAUTHENTICATED"),
        (
            "partner of another organisation",
            Some(app.token("partner", Some("umq")).await),
            "FORBIDDEN",
        ),
        (
            "partner of the organiser",
            Some(app.token("partner", Some("metropole-du-grand-paris")).await),
            "ok",
        ),
        ("editor", Some(app.token("editor", None).await), "ok"),
        ("admin", Some(app.token("admin", None).await), "ok"),
    ];
    for (n, (who, token, expected)) in callers.into_iter().enumerate() {
        let (id, version) = purchase(&app, n as u32 + 1).await;
        let variables = json!({ "id": id, "version": version });
        let body = match &token {
            Some(token) => app.post_as(token, OPEN, variables).await.1,
            None => app.post(OPEN, variables).await,
        };
        assert_eq!(
            outcome(&body, "openGroupPurchase", "groupPurchase"),
            expected,
            "{who}: {body:#}"
        );
    }
}

#[tokio::test]
async fn a_purchase_moves_through_its_lifecycle_one_checked_step_at_a_time() {
    let app = spawn().await;
    let editor = app.token("editor", None).await;
    let (id, version) = purchase(&app, 1).await;
    let supplier = id_of(
        &app,
        r#"{ organisation(slug: "paris-and-co") { id } }"#,
        &["organisation", "id"],
    )
    .await;

    // Awarding a planned purchase skips steps.
    let award = r#"mutation($id: ID!, $version: Int!, $supplier: ID!) { awardGroupPurchase(input: { id: $id, version: $version, supplier: $supplier }) {
        groupPurchase { status awardedSupplier { slug } } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(
            &editor,
            award,
            json!({ "id": id, "version": version, "supplier": supplier }),
        )
        .await;
    assert_eq!(
        body["data"]["awardGroupPurchase"]["userErrors"][0]["code"],
        "INVALID_TRANSITION"
    );

    let (_, body) = app
        .post_as(&editor, OPEN, json!({ "id": id, "version": version }))
        .await;
    let opened = &body["data"]["openGroupPurchase"]["groupPurchase"];
    assert_eq!(opened["status"], "OPEN");
    assert_eq!(opened["version"], version + 1);
    assert_eq!(opened["tenderPeriod"]["endDate"], "2999-12-31");
    // The window in the schema's one shape for periods; the Open Contracting one still answers.
    assert_eq!(opened["tender"]["end"]["edtf"], "2999-12-31");
    assert_eq!(opened["tender"]["start"]["precision"], "DAY");
    assert_eq!(
        opened["tender"]["start"]["edtf"],
        opened["tenderPeriod"]["startDate"]
    );

    // A stale version is a conflict, never a silent overwrite.
    let close = r#"mutation($id: ID!, $version: Int!) { closeGroupPurchase(input: { id: $id, version: $version }) { groupPurchase { status version } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(&editor, close, json!({ "id": id, "version": version }))
        .await;
    assert_eq!(
        body["data"]["closeGroupPurchase"]["userErrors"][0],
        json!({ "field": ["input", "version"], "code": "CONFLICT" })
    );

    let (_, body) = app
        .post_as(&editor, close, json!({ "id": id, "version": version + 1 }))
        .await;
    assert_eq!(
        body["data"]["closeGroupPurchase"]["groupPurchase"]["status"],
        "CLOSED"
    );
    let (_, body) = app
        .post_as(
            &editor,
            award,
            json!({ "id": id, "version": version + 2, "supplier": supplier }),
        )
        .await;
    assert_eq!(
        body["data"]["awardGroupPurchase"]["groupPurchase"]["awardedSupplier"]["slug"],
        "paris-and-co"
    );

    let (_, audit) = app
        .post_as(&app.token("admin", None).await, r#"{ auditEvents(filter: { entityType: "group_purchase" }) { nodes { action actorName } } }"#, json!({}))
        .await;
    // The seed's creations are there too, under the seed file's name; the steps are the
    // editor's.
    let actions: Vec<_> = audit["data"]["auditEvents"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["actorName"].as_str().unwrap().starts_with("seed "))
        .map(|e| e["action"].clone())
        .collect();
    assert_eq!(
        actions,
        [
            json!("award_group_purchase"),
            json!("close_group_purchase"),
            json!("open_group_purchase")
        ]
    );
}

#[tokio::test]
async fn cities_join_an_open_purchase_once_if_eligible_and_partners_act_for_their_members() {
    let app = spawn().await;
    let editor = app.token("editor", None).await;
    let mgp_partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq_partner = app.token("partner", Some("umq")).await;
    let (planned, _) = purchase(&app, 2).await;
    let (id, version) = purchase(&app, 1).await;
    let argenteuil = id_of(
        &app,
        r#"{ city(slug: "argenteuil") { id } }"#,
        &["city", "id"],
    )
    .await;
    let terrebonne = id_of(
        &app,
        r#"{ city(slug: "terrebonne") { id } }"#,
        &["city", "id"],
    )
    .await;

    let join = |token: String, purchase: Value, city: Value| {
        let app = &app;
        async move {
            app.post_as(&token, JOIN, json!({ "purchase": purchase, "city": city }))
                .await
                .1
        }
    };
    assert_eq!(
        outcome(
            &join(editor.clone(), planned.clone(), argenteuil.clone()).await,
            "joinGroupPurchase",
            "participation"
        ),
        "NOT_OPEN"
    );
    app.post_as(&editor, OPEN, json!({ "id": id, "version": version }))
        .await;

    assert_eq!(
        outcome(
            &join(umq_partner.clone(), id.clone(), argenteuil.clone()).await,
            "joinGroupPurchase",
            "participation"
        ),
        "FORBIDDEN"
    );
    assert_eq!(
        outcome(
            &join(editor.clone(), id.clone(), terrebonne.clone()).await,
            "joinGroupPurchase",
            "participation"
        ),
        "NOT_ELIGIBLE"
    );
    let joined = join(mgp_partner.clone(), id.clone(), argenteuil.clone()).await;
    assert_eq!(outcome(&joined, "joinGroupPurchase", "participation"), "ok");
    assert_eq!(
        joined["data"]["joinGroupPurchase"]["participation"]["status"],
        "COMMITTED"
    );
    assert_eq!(
        outcome(
            &join(editor.clone(), id.clone(), argenteuil.clone()).await,
            "joinGroupPurchase",
            "participation"
        ),
        "ALREADY_JOINED"
    );

    // Withdrawing needs the version read, and happens once.
    let participation = &joined["data"]["joinGroupPurchase"]["participation"];
    let withdraw = r#"mutation($id: ID!, $version: Int!) { withdrawFromGroupPurchase(input: { id: $id, version: $version }) { participation { status } userErrors { code } } }"#;
    let variables = json!({ "id": participation["id"], "version": participation["version"] });
    let (_, body) = app.post_as(&mgp_partner, withdraw, variables.clone()).await;
    assert_eq!(
        body["data"]["withdrawFromGroupPurchase"]["participation"]["status"],
        "WITHDRAWN"
    );
    let (_, body) = app.post_as(&mgp_partner, withdraw, variables).await;
    assert_eq!(
        body["data"]["withdrawFromGroupPurchase"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

/// On a multi-threaded runtime, so that the eight requests truly race.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_joins_of_one_city_end_with_exactly_one_participation() {
    let app = spawn().await;
    // A second server process on the same database: on SQLite its writes contend with the
    // first's for the file's one writer, which must never surface as "database is locked".
    let beside = app.spawn_beside(|_| {}).await;
    let editor = app.token("editor", None).await;
    let (id, version) = purchase(&app, 1).await;
    app.post_as(&editor, OPEN, json!({ "id": id, "version": version }))
        .await;
    let issy = id_of(
        &app,
        r#"{ city(slug: "issy-les-moulineaux") { id } }"#,
        &["city", "id"],
    )
    .await;

    let attempts: Vec<_> = (0..30)
        .map(|n| {
            let server = if n % 2 == 0 { &app } else { &beside };
            let (client, url, token) = (
                app.client.clone(),
                format!("{}/graphql", server.address),
                editor.clone(),
            );
            let body = json!({ "query": JOIN, "variables": { "purchase": id, "city": issy } });
            tokio::spawn(async move {
                let response = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                response.json::<Value>().await.unwrap()
            })
        })
        .collect();
    let mut bodies = Vec::new();
    for attempt in attempts {
        bodies.push(attempt.await.unwrap());
    }

    let outcomes: Vec<_> = bodies
        .iter()
        .map(|body| outcome(body, "joinGroupPurchase", "participation"))
        .collect();
    assert_eq!(
        outcomes.iter().filter(|o| *o == "ok").count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes.iter().all(|o| o == "ok" || o == "ALREADY_JOINED"),
        "{outcomes:?}"
    );
    let data = app
        .data(
            r#"{ groupPurchase(slug: "mgp-purchase-1") { participations { totalCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["groupPurchase"]["participations"]["totalCount"], 1);
}

#[tokio::test]
async fn an_organiser_proposes_a_purchase_that_starts_planned_or_proposed_only() {
    let app = spawn().await;
    let partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let mgp = app
        .data(
            r#"{ organisation(slug: "metropole-du-grand-paris") { id } }"#,
            json!({}),
        )
        .await["organisation"]["id"]
        .clone();
    let create = r#"mutation($input: CreateGroupPurchaseInput!) { createGroupPurchase(input: $input) {
        groupPurchase { slug status eligibility themes { nodes { slug } } organiser { slug } } userErrors { field code } } }"#;

    let input = json!({ "slug": "bornes-recharge", "title": "Bornes de recharge", "organiser": mgp, "eligibility": "MEMBERS_OF_ORGANISER", "themes": ["mobilite-durable"] });
    let (_, body) = app
        .post_as(&partner, create, json!({ "input": input }))
        .await;
    let purchase = &body["data"]["createGroupPurchase"]["groupPurchase"];
    assert_eq!(purchase["status"], "PLANNED", "{body:#}");
    assert_eq!(
        purchase["themes"]["nodes"],
        json!([{ "slug": "mobilite-durable" }])
    );

    let mut open = input.clone();
    open["slug"] = json!("already-open");
    open["status"] = json!("OPEN");
    let (_, body) = app
        .post_as(&partner, create, json!({ "input": open }))
        .await;
    assert_eq!(
        body["data"]["createGroupPurchase"]["userErrors"][0],
        json!({ "field": ["input", "status"], "code": "INVALID" })
    );
    let found = app.data(r#"{ groupPurchases(filter: { themes: ["transition-climatique-ecologique"] }) { nodes { slug } } }"#, json!({})).await;
    assert_eq!(
        found["groupPurchases"]["nodes"],
        json!([{ "slug": "bornes-recharge" }])
    );
}

#[tokio::test]
async fn an_organiser_describes_its_purchase_without_touching_its_status() {
    let app = spawn().await;
    let partner = app.token("partner", Some("metropole-du-grand-paris")).await;
    let (id, version) = purchase(&app, 3).await;
    let update = r#"mutation($id: ID!, $version: Int!) { updateGroupPurchase(input: { id: $id, version: $version, description: "Bornes de recharge pour véhicules électriques", estimatedValue: 250000, currency: "EUR" }) {
        groupPurchase { status description estimatedValue { amount currency } version } userErrors { field code } } }"#;
    let (_, body) = app
        .post_as(&partner, update, json!({ "id": id, "version": version }))
        .await;
    let updated = &body["data"]["updateGroupPurchase"]["groupPurchase"];
    assert_eq!(updated["status"], "PLANNED", "{body:#}");
    assert_eq!(
        updated["estimatedValue"],
        json!({ "amount": 250000.0, "currency": "EUR" })
    );
    let (_, stale) = app
        .post_as(&partner, update, json!({ "id": id, "version": version }))
        .await;
    assert_eq!(
        stale["data"]["updateGroupPurchase"]["userErrors"][0]["code"],
        "CONFLICT"
    );
}

#[tokio::test]
async fn an_enrolment_window_is_a_period_of_dates_as_known_like_every_other_write() {
    // Arrange
    let app = spawn().await;
    let editor = app.token("editor", None).await;
    let open = r#"mutation($input: OpenGroupPurchaseInput!) { openGroupPurchase(input: $input) {
        groupPurchase { status tender { start { edtf } end { edtf } } tenderPeriod { startDate endDate } }
        userErrors { field code message } } }"#;
    let window = |n: u32, version: i64, fields: Value| {
        let mut input = json!({ "id": format!("mgp-purchase-{n}"), "version": version });
        input
            .as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        json!({ "input": input })
    };
    let (_, version) = purchase(&app, 1).await;

    // Act: months, as partnerships' and initiatives' periods are written.
    let (_, months) = app
        .post_as(
            &editor,
            open,
            window(
                1,
                version,
                json!({ "tender": { "start": "2026-05", "end": "2026-09" } }),
            ),
        )
        .await;
    // The deprecated days still open a purchase, to the same shape.
    let (_, version) = purchase(&app, 2).await;
    let (_, days) = app
        .post_as(
            &editor,
            open,
            window(
                2,
                version,
                json!({ "tenderStart": "2026-05-01", "tenderEnd": "2026-09-30" }),
            ),
        )
        .await;

    // Assert: the window runs from the first day of its start to the last of its end.
    let opened = json!({ "groupPurchase": { "status": "OPEN",
        "tender": { "start": { "edtf": "2026-05-01" }, "end": { "edtf": "2026-09-30" } },
        "tenderPeriod": { "startDate": "2026-05-01", "endDate": "2026-09-30" } }, "userErrors": [] });
    assert_eq!(months["data"]["openGroupPurchase"], opened, "{months:#}");
    assert_eq!(days["data"]["openGroupPurchase"], opened, "{days:#}");

    // A window that says no day, ends before it starts, or is given twice: the field named.
    let (_, version) = purchase(&app, 3).await;
    for (fields, field) in [
        (
            json!({ "tender": { "end": "2026~" } }),
            json!(["input", "tender"]),
        ),
        (
            json!({ "tender": { "end": "2026-13" } }),
            json!(["input", "tender", "end"]),
        ),
        (
            json!({ "tender": { "start": "2026-09", "end": "2026-05" } }),
            json!(["input", "tender", "end"]),
        ),
        (
            json!({ "tender": { "end": "2026-09" }, "tenderEnd": "2026-09-30" }),
            json!(["input", "tender"]),
        ),
    ] {
        let (_, body) = app
            .post_as(&editor, open, window(3, version, fields.clone()))
            .await;
        let payload = &body["data"]["openGroupPurchase"];
        assert!(payload["groupPurchase"].is_null(), "{fields}: {body:#}");
        assert_eq!(
            payload["userErrors"][0]["field"], field,
            "{fields}: {body:#}"
        );
        assert_eq!(payload["userErrors"][0]["code"], "INVALID", "{fields}");
    }

    // A contract is written the same way.
    let (_, version) = purchase(&app, 1).await;
    let (_, closed) = app
        .post_as(&editor, "mutation($v: Int!) { closeGroupPurchase(input: { id: \"mgp-purchase-1\", version: $v }) { groupPurchase { version } } }", json!({ "v": version }))
        .await;
    let version = closed["data"]["closeGroupPurchase"]["groupPurchase"]["version"].clone();
    let (_, awarded) = app
        .post_as(&editor, r#"mutation($v: Int!) { awardGroupPurchase(input: { id: "mgp-purchase-1", version: $v, supplier: "paris-and-co", contract: { start: "2027", end: "2029" } }) {
            groupPurchase { contract { start { edtf } end { edtf } } } userErrors { field code message } } }"#, json!({ "v": version }))
        .await;
    assert_eq!(
        awarded["data"]["awardGroupPurchase"],
        json!({ "groupPurchase": { "contract": { "start": { "edtf": "2027-01-01" }, "end": { "edtf": "2029-12-31" } } }, "userErrors": [] }),
        "{awarded:#}"
    );

    // The old arguments are deprecated, not gone: introspection says so.
    let fields = app
        .data(
            r#"{ __type(name: "OpenGroupPurchaseInput") { inputFields(includeDeprecated: true) { name isDeprecated } } }"#,
            json!({}),
        )
        .await;
    let deprecated: Vec<&str> = fields["__type"]["inputFields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|field| field["isDeprecated"] == true)
        .map(|field| field["name"].as_str().unwrap())
        .collect();
    assert_eq!(deprecated, ["tenderStart", "tenderEnd"]);
}

#[tokio::test]
async fn a_participation_s_estimates_are_changed_by_who_acts_for_the_city_with_the_version_read() {
    // Arrange: Argenteuil, a member of the Métropole, joins its open purchase.
    let app = TestApp::spawn().await;
    let mgp = app.token("partner", Some("metropole-du-grand-paris")).await;
    let umq = app.token("partner", Some("umq")).await;
    let admin = app.token("admin", None).await;
    let (_, body) = app
        .post_as(&mgp, r#"mutation { createGroupPurchase(input: { slug: "achat-estime", title: "Achat estimé", organiser: "metropole-du-grand-paris", eligibility: MEMBERS_OF_ORGANISER }) { groupPurchase { id } } }"#, json!({}))
        .await;
    let purchase = body["data"]["createGroupPurchase"]["groupPurchase"]["id"].clone();
    let (_, body) = app
        .post_as(&mgp, "mutation($id: ID!) { openGroupPurchase(input: { id: $id, version: 1 }) { userErrors { code } } }", json!({ "id": purchase }))
        .await;
    assert_eq!(
        body["data"]["openGroupPurchase"]["userErrors"],
        json!([]),
        "{body:#}"
    );
    let (_, body) = app
        .post_as(&mgp, r#"mutation($p: ID!) { joinGroupPurchase(input: { groupPurchase: $p, city: "argenteuil", estimatedQuantity: 10 }) { participation { id version } } }"#, json!({ "p": purchase }))
        .await;
    let participation = body["data"]["joinGroupPurchase"]["participation"].clone();
    assert!(participation["id"].is_string(), "{body:#}");

    // Act and assert
    crate::update_check::check(
        &app,
        &admin,
        crate::update_check::Update {
            mutation: "updateParticipation",
            type_name: "Participation",
            field: "participation",
            record: &participation,
            writer: &mgp,
            stranger: (&umq, "FORBIDDEN"),
            changes: json!({ "estimatedQuantity": 12.0, "estimatedAmount": 3400.0 }),
            selection: "version estimatedQuantity estimatedAmount status city { slug }",
            shown: json!({ "estimatedQuantity": 12.0, "estimatedAmount": 3400.0, "status": "COMMITTED",
                "city": { "slug": "argenteuil" } }),
            breaking: Some((json!({ "estimatedAmount": -1.0 }), "INVALID")),
            action: "update_participation",
        },
    )
    .await;
}
