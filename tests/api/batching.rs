//! No N+1: a nested query runs as many SQL statements for 50 cities as for 2.

use serde_json::json;
use tests::TestApp;

/// A seed file of `count` cities, each with a mayor, a membership and a party in one
/// partnership: enough relations to see any statement issued per parent.
fn many_cities(count: usize) -> String {
    let mut toml = String::from(
        "[source]\nslug = \"batch-test\"\nkind = \"other\"\ntitle = \"Batching fixture\"\n\n\
         [[organisation]]\nslug = \"batch-network\"\nname = \"Batch network\"\nkind = \"network\"\n\n",
    );
    for n in 0..count {
        toml.push_str(&format!(
            "[[city]]\nslug = \"batch-city-{n}\"\nname = \"Batch city {n}\"\ncountry = \"LU\"\npopulation = 10000\n\n\
             [[person]]\nslug = \"batch-mayor-{n}\"\nfull_name = \"Batch mayor {n}\"\n\n\
             [[mandate]]\nperson = \"batch-mayor-{n}\"\ncity = \"batch-city-{n}\"\nrole = \"mayor\"\ntitle = \"maire\"\nstart = \"2020\"\n\n\
             [[membership]]\norganisation = \"batch-network\"\nmember_city = \"batch-city-{n}\"\nkind = \"member\"\n\n"
        ));
    }
    toml.push_str("[[partnership]]\nslug = \"batch-partnership\"\ntitle = \"Batch partnership\"\nkind = \"agreement\"\nstatus = \"active\"\n\n");
    toml.push_str("[[partnership.party]]\nkey = \"network\"\norganisation = \"batch-network\"\nrole = \"coordinator\"\n\n");
    for n in 0..count {
        toml.push_str(&format!("[[partnership.party]]\nkey = \"city-{n}\"\ncity = \"batch-city-{n}\"\nrole = \"party\"\n\n"));
    }
    toml
}

const NESTED: &str = r#"query($first: Int) { cities(first: $first, filter: { country: LU }) { nodes {
    name
    mayor { title person { fullName mandates { nodes { role } } } }
    memberships { nodes { kind organisation { name partnerships { nodes { title parties { nodes { role actor { ... on City { name } ... on Organisation { name } } } } } } } } }
    partnerships { nodes { themes { nodes { slug } } signatories { nodes { titleThen } }
        reports { nodes { summary indicators { nodes { name theme { slug } } } } }
        events { nodes { title participants { nodes { role } } } } initiatives { nodes { title } } } }
    peers(first: 3) { score city { name } sharedMemberships { name } sharedThemes { slug } reasons }
    assessments { nodes { overallScore maturityLevel percentile comparedWith dimensionScores { score }
        questionnaire { title tool { name } assessments { totalCount } } } }
    joinable(on: "2026-06-15") { kind canJoin reasonCode groupPurchase { title } programme { name } }
    sources { slug }
} } }"#;

/// Each batch city answers the example questionnaire (through the API: assessments have no
/// seed form), so assessments, their scores and percentiles load for every city.
async fn assess_every_city(app: &TestApp, count: usize) {
    let editor = app.token("editor", None).await;
    let ids = app
        .data(
            r#"{ questionnaire(slug: "exemple-autodiagnostic-ville-intelligente") { id }
                 cities(first: 100, filter: { country: LU }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let cities = ids["cities"]["nodes"].as_array().unwrap();
    assert_eq!(cities.len(), count);
    for city in cities {
        let (_, body) = app
            .post_as(
                &editor,
                r#"mutation($q: ID!, $c: ID!) { submitAssessment(input: { questionnaire: $q, city: $c, assessedOn: "2026-01-15",
                    answers: [{ question: "strategie", choice: "adoptee" }, { question: "pilotage", choice: "comite" }, { question: "ouverture", choice: "non" }] }) {
                    userErrors { code } } }"#,
                json!({ "q": ids["questionnaire"]["id"], "c": city["id"] }),
            )
            .await;
        assert_eq!(
            body["data"]["submitAssessment"]["userErrors"],
            json!([]),
            "{body:#}"
        );
    }
}

async fn statements_for(app: &TestApp, first: usize) -> u64 {
    let before = app.statements().await;
    let data = app.data(NESTED, json!({ "first": first })).await;
    let after = app.statements().await;
    let cities = data["cities"]["nodes"].as_array().unwrap();
    assert_eq!(cities.len(), first);
    assert!(cities.iter().all(|c| {
        c["mayor"]["person"]["fullName"]
            .as_str()
            .is_some_and(|n| n.starts_with("Batch mayor"))
    }));
    assert!(
        cities
            .iter()
            .all(|c| c["peers"][0]["sharedMemberships"][0]["name"] == "Batch network"),
        "every city has peers through the network"
    );
    after - before
}

#[tokio::test]
async fn a_nested_query_costs_the_same_statements_for_2_and_for_50_cities() {
    // Arrange
    // (50 cities × 20 memberships × 20 partnerships × 20 parties is over the default cost.)
    let app = TestApp::spawn_configured(&[("900-batch.toml", many_cities(50))], |config| {
        config.limits.max_cost = 10_000_000;
        config.rate_limits.anonymous_capacity = 0;
        // The counts are of a query run again and again: kept answers would run none.
        config.cache.enabled = false;
    })
    .await;
    assess_every_city(&app, 50).await;
    // The first ranking of peers after a write builds the peer index (six statements, once).
    statements_for(&app, 2).await;

    // Act: each size three times; batches run when the resolvers wait, so the count must
    // not vary from run to run either.
    let mut for_two = Vec::new();
    let mut for_fifty = Vec::new();
    for _ in 0..3 {
        for_two.push(statements_for(&app, 2).await);
        for_fifty.push(statements_for(&app, 50).await);
    }

    // Assert
    assert_eq!(
        for_two, for_fifty,
        "statements grow with the number of cities: N+1"
    );
    assert!(
        for_two.windows(2).all(|w| w[0] == w[1]),
        "the count varies: {for_two:?}"
    );
    assert!(
        for_two[0] < 45,
        "{} statements for one nested query",
        for_two[0]
    );
}

/// Every record's verification (a city's, its mayor's with the election that made it stale),
/// and the editors' queue: each top-level list in a query of its own, since two lists of one
/// query answer in either order and their batches then meet in different rounds.
const VERIFICATIONS: [&str; 2] = [
    r#"query($first: Int) { cities(first: $first, filter: { country: LU }) { nodes {
        verification { verifiedOn isStale }
        mayor { verification { verifiedOn staleSince reason election { description } source { title } } } } } }"#,
    r#"query($first: Int) { staleRecords(first: $first, filter: { country: LU }) { nodes { reason staleSince
        verification { verifiedBy } record { ... on Mandate { person { fullName } city { name } } } } } }"#,
];

/// Verifications, their staleness and the queue: one batch per kind of record and level, the
/// elections read once a level, for 2 as for 50 cities and mayors (each verified by the
/// fixture's source of 2020, all stale since a municipal election of 2023).
#[tokio::test]
async fn verifications_and_the_stale_queue_cost_the_same_statements_for_2_and_for_50_records() {
    let fixture = many_cities(50).replacen(
        "title = \"Batching fixture\"\n",
        "title = \"Batching fixture\"\npublished_on = \"2020-01-01\"\n",
        1,
    ) + "[[election]]\ncountry = \"LU\"\nkind = \"municipal\"\nfirst_round = \"2023-06-11\"\n";
    let app = TestApp::spawn_configured(&[("900-batch.toml", fixture)], |config| {
        config.rate_limits.token_capacity = 0;
        // The counts are of a query run again and again: kept answers would run none.
        config.cache.enabled = false;
    })
    .await;
    let editor = app.token("editor", None).await;
    // The token's first use is recorded: the counts start after it.
    app.post_as(&editor, "{ viewer { role } }", json!({})).await;
    for query in VERIFICATIONS {
        let mut counts = Vec::new();
        for first in [2, 50, 2, 50] {
            let before = app.statements().await;
            let (_, body) = app.post_as(&editor, query, json!({ "first": first })).await;
            counts.push(app.statements().await - before);
            assert!(body.get("errors").is_none(), "{body:#}");
            let nodes = body["data"].as_object().unwrap().values().next().unwrap()["nodes"]
                .as_array()
                .unwrap();
            assert_eq!(nodes.len(), first);
            assert!(
                nodes
                    .iter()
                    .all(|node| node["reason"] == "election LU municipal 2023-06-11"
                        || node["mayor"]["verification"]["staleSince"] == "2023-06-11")
            );
        }
        assert!(
            counts.windows(2).all(|w| w[0] == w[1]),
            "statements grow: {counts:?}\n{query}"
        );
        assert!(counts[0] < 12, "{counts:?}");
    }
}

/// A seed file of `count` programmes, each with two organisers, a support component with its
/// provider, an edition with a stated figure and a laureate city (with its mayor then), a
/// theme and an event; each laureate city is also recognised by an award.
fn many_programmes(count: usize) -> String {
    let mut toml = String::from(
        "[source]\nslug = \"batch-programmes\"\nkind = \"other\"\ntitle = \"Batching fixture\"\n\n\
         [[theme]]\nslug = \"batch-theme\"\nlabel_fr = \"Thème\"\nlabel_en = \"Theme\"\n\n\
         [[organisation]]\nslug = \"batch-owner\"\nname = \"Batch owner\"\nkind = \"network\"\n\n\
         [[organisation]]\nslug = \"batch-agency\"\nname = \"Batch agency\"\nkind = \"innovation_agency\"\n\n",
    );
    for n in 0..count {
        toml.push_str(&format!(
            "[[city]]\nslug = \"laureate-{n}\"\nname = \"Laureate {n}\"\ncountry = \"LU\"\n\n\
             [[person]]\nslug = \"laureate-mayor-{n}\"\nfull_name = \"Laureate mayor {n}\"\n\n\
             [[mandate]]\nperson = \"laureate-mayor-{n}\"\ncity = \"laureate-{n}\"\nrole = \"mayor\"\ntitle = \"maire\"\n\n"
        ));
    }
    for n in 0..count {
        toml.push_str(&format!(
            "[[programme]]\nslug = \"batch-programme-{n}\"\nname = \"Batch programme {n}\"\nparticipation_mode = \"editions\"\nthemes = [\"batch-theme\"]\n\n\
             [[programme.organiser]]\norganisation = \"batch-owner\"\nrole = \"owner\"\n\n\
             [[programme.organiser]]\norganisation = \"batch-agency\"\nrole = \"co_animator\"\n\n\
             [[programme.support]]\nkind = \"learning_path\"\ndescription = \"Modules\"\nprovider = \"batch-agency\"\n\n\
             [[programme.edition]]\nnumber = 1\nstatus = \"running\"\n\n\
             [[programme.edition.figure]]\nmeasure = \"solutions\"\nvalue = 3\nunit = \"solutions\"\nqualifier = \"exact\"\n\n\
             [[programme.edition.participant]]\ncity = \"laureate-{n}\"\nrole = \"laureate\"\nmayor = \"laureate-mayor-{n}\"\n\n\
             [[event]]\nslug = \"batch-event-{n}\"\ntitle = \"Batch event {n}\"\nkind = \"workshop\"\norganiser = \"batch-agency\"\nprogramme = \"batch-programme-{n}\"\n\n"
        ));
        let adapted_from = if n > 0 {
            format!("adapted_from = \"batch-initiative-{}\"\n", n - 1)
        } else {
            String::new()
        };
        toml.push_str(&format!(
            "[[initiative]]\nslug = \"batch-initiative-{n}\"\ntitle = \"Batch initiative {n}\"\nkind = \"experiment\"\nstatus = \"evaluated\"\ncity = \"laureate-{n}\"\nprogramme = \"batch-programme-{n}\"\nedition = 1\nthemes = [\"batch-theme\"]\n{adapted_from}\n\
             [[initiative.organisation]]\norganisation = \"batch-agency\"\nrole = \"lead\"\n\n\
             [[initiative.outcome]]\nindicator = \"kWh\"\nactual = 1\nevidence_level = \"self_reported\"\n\n\
             [[initiative.lesson]]\nkind = \"pitfall\"\ntext = \"Lesson {n}\"\ntopics = [\"funding\"]\n\n"
        ));
    }
    toml.push_str("[[award]]\nslug = \"batch-award\"\nname = \"Batch award\"\nkind = \"award\"\norganiser = \"batch-owner\"\nsince = \"2010\"\n\n");
    for n in 0..count {
        toml.push_str(&format!(
            "[[award.recognition]]\nyear = 2020\nlevel = \"winner\"\ncity = \"laureate-{n}\"\n\n"
        ));
    }
    toml
}

const PROGRAMMES: &str = r#"query($first: Int) { programmes(first: $first, filter: { search: "batch programme" }) { nodes {
    name
    organisers { nodes { role organisation { name programmeRoles { nodes { role } } awards { nodes { name } } } } }
    support { nodes { kind provider { name } } }
    editions { nodes { number statedFigures { nodes { value edition { number } } } participants { nodes {
        role
        mayorThen { person { fullName } }
        city { name recognitions { nodes { level award { name organiser { name } statedFigures { nodes { value } } themes { nodes { slug } } } } } programmeParticipations { nodes { role programme { name } } } }
    } } } }
    themes { nodes { slug programmes { nodes { name } } } }
    events { nodes { title organiser { name events { nodes { title } } } participants { nodes { role city { name } } } } }
    initiatives { nodes {
        title edition { number }
        outcomes { nodes { actual targetReached } }
        lessons { nodes { kind topics { topic } } }
        organisations { nodes { role organisation { name initiativeRoles { nodes { role } } } } }
        replications { nodes { title } }
        adaptedFrom { title recognitions { nodes { year } } }
        city { initiatives { nodes { title } } }
        themes { nodes { initiatives { nodes { title } } } }
    } }
} } }"#;

async fn programme_statements_for(app: &TestApp, first: usize) -> u64 {
    let before = app.statements().await;
    let data = app.data(PROGRAMMES, json!({ "first": first })).await;
    let after = app.statements().await;
    let programmes = data["programmes"]["nodes"].as_array().unwrap();
    assert_eq!(programmes.len(), first);
    for programme in programmes {
        let laureate = &programme["editions"]["nodes"][0]["participants"]["nodes"][0];
        assert!(
            laureate["mayorThen"]["person"]["fullName"]
                .as_str()
                .is_some_and(|n| n.starts_with("Laureate mayor")),
            "{laureate}"
        );
        assert_eq!(
            laureate["city"]["recognitions"]["nodes"][0]["level"],
            "WINNER"
        );
        assert_eq!(
            programme["support"]["nodes"][0]["provider"]["name"],
            "Batch agency"
        );
    }
    after - before
}

#[tokio::test]
async fn programmes_awards_and_events_load_in_batches_for_2_and_for_20_programmes() {
    // Arrange
    let app =
        TestApp::spawn_configured(&[("900-programmes.toml", many_programmes(20))], |config| {
            config.limits.max_cost = 100_000_000;
            config.rate_limits.anonymous_capacity = 0;
        })
        .await;

    // Act
    let mut for_two = Vec::new();
    let mut for_twenty = Vec::new();
    for _ in 0..3 {
        for_two.push(programme_statements_for(&app, 2).await);
        for_twenty.push(programme_statements_for(&app, 20).await);
    }

    // Assert
    assert_eq!(
        for_two, for_twenty,
        "statements grow with the number of programmes: N+1"
    );
    assert!(
        for_two[0] < 60,
        "{} statements for one nested query",
        for_two[0]
    );
}

/// The statements one query runs, with its answer.
async fn counted(app: &TestApp, query: &str) -> (u64, serde_json::Value) {
    let before = app.statements().await;
    let data = app.data(query, json!({})).await;
    (app.statements().await - before, data)
}

#[tokio::test]
async fn records_a_level_points_at_come_joined_to_it_one_statement_per_level() {
    let app = TestApp::spawn_with(&[("batch.toml", many_cities(10))]).await;
    // The first request takes a lease on the rate-limit budget: one statement, counted here.
    app.data("{ __typename }", json!({})).await;

    // The city, its mandates with their attestations and people, and its memberships with
    // their organisations: one statement, read side by side.
    let (statements, data) = counted(
        &app,
        r#"{ city(slug: "batch-city-3") { name mayor { person { fullName } }
            memberships(first: 10) { nodes { kind organisation { name } } } } }"#,
    )
    .await;
    assert_eq!(data["city"]["mayor"]["person"]["fullName"], "Batch mayor 3");
    assert_eq!(
        data["city"]["memberships"]["nodes"][0]["organisation"]["name"],
        "Batch network"
    );
    assert_eq!(
        statements, 1,
        "a city by slug with its mayor and memberships"
    );

    // The partnerships; their parties; the parties' cities and organisations (one statement
    // each, in the same round).
    let (statements, data) = counted(
        &app,
        r#"{ partnerships(first: 50) { nodes { title
            parties(first: 20) { nodes { city { name } organisation { name } } } } } }"#,
    )
    .await;
    let batch = data["partnerships"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Batch partnership")
        .expect("the fixture's partnership")
        .clone();
    let parties = batch["parties"]["nodes"].as_array().unwrap();
    assert_eq!(parties.len(), 11);
    assert_eq!(parties[0]["organisation"]["name"], "Batch network");
    assert!(
        parties[1]["city"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Batch city")
    );
    assert_eq!(
        statements, 4,
        "partnerships, their parties, then the parties' cities and organisations"
    );

    // Parties asked for without their cities and organisations do not bring them along.
    let (statements, data) = counted(
        &app,
        r#"{ partnerships(first: 50) { nodes { title parties(first: 20) { nodes { role } } } } }"#,
    )
    .await;
    let roles = data["partnerships"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Batch partnership")
        .expect("the fixture's partnership")["parties"]["nodes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(roles, 11);
    assert_eq!(statements, 2, "partnerships, then their parties");

    // An organisation's members with who they are; then without.
    let (statements, data) = counted(
        &app,
        r#"{ organisation(slug: "batch-network") { members(first: 20) {
            nodes { kind member { ... on City { name } } } } } }"#,
    )
    .await;
    let members = data["organisation"]["members"]["nodes"].as_array().unwrap();
    assert_eq!(members.len(), 10);
    assert!(members.iter().all(|m| {
        m["member"]["name"]
            .as_str()
            .unwrap()
            .starts_with("Batch city")
    }));
    assert_eq!(statements, 3, "the organisation, its members, their cities");
    // A page further on: its members' cities load in one batch of their own.
    let (statements, data) = counted(
        &app,
        r#"{ organisation(slug: "batch-network") { members(first: 3) { pageInfo { endCursor } } } }"#,
    )
    .await;
    let after = data["organisation"]["members"]["pageInfo"]["endCursor"].clone();
    let before = app.statements().await;
    let data = app
        .data(
            r#"query($after: String) { organisation(slug: "batch-network") {
                members(first: 4, after: $after) { nodes { member { ... on City { name } } } } } }"#,
            json!({ "after": after }),
        )
        .await;
    let page = data["organisation"]["members"]["nodes"].as_array().unwrap();
    assert_eq!(page.len(), 4);
    assert!(page.iter().all(|m| m["member"]["name"].is_string()));
    assert_eq!(statements, 2);
    assert_eq!(
        app.statements().await - before,
        3,
        "the organisation, its members, the page's cities"
    );
    let (statements, _) = counted(
        &app,
        r#"{ organisation(slug: "batch-network") { members(first: 20) { nodes { kind } } } }"#,
    )
    .await;
    assert_eq!(statements, 2, "the organisation, its members");

    // The levels below the cities, one statement each.
    let (statements, data) = counted(
        &app,
        r#"{ cities(first: 10, filter: { country: LU }) { nodes { name
            mayor { person { fullName } }
            memberships(first: 5) { nodes { organisation { name
                partnerships(first: 5) { nodes { title
                    parties(first: 5) { nodes { city { name } organisation { name } } } } } } } } } } }"#,
    )
    .await;
    let cities = data["cities"]["nodes"].as_array().unwrap();
    assert_eq!(cities.len(), 10);
    let partnership =
        &cities[0]["memberships"]["nodes"][0]["organisation"]["partnerships"]["nodes"][0];
    assert_eq!(partnership["title"], "Batch partnership");
    assert_eq!(
        partnership["parties"]["nodes"][0]["organisation"]["name"],
        "Batch network"
    );
    assert_eq!(
        statements, 6,
        "cities, mandates, memberships, partnerships, parties, the parties' cities \
         (their organisation came with the memberships)"
    );
}

/// What `City` shows of its mandates and memberships, asked of every seed city.
const CITY_RELATIONS: &str = "name
    mayor { title role period { start { edtf } end { edtf } } attestations { on source { slug } } person { fullName } }
    mandates(first: 100) { nodes { id title role lastAttestedOn person { slug } } }
    memberships(first: 100) { nodes { id kind period { start { edtf } end { edtf } } organisation { slug name } } }";

/// A city with a history: three mayors in turn, attested on several days, and two
/// memberships, so that order and grouping show.
const CITY_WITH_HISTORY: &str = r#"
[source]
slug = "history-test"
kind = "other"
title = "History fixture"

[[organisation]]
slug = "history-network"
name = "History network"
kind = "network"

[[city]]
slug = "history-city"
name = "History city"
country = "LU"

[[person]]
slug = "history-mayor-1"
full_name = "History mayor 1"

[[person]]
slug = "history-mayor-2"
full_name = "History mayor 2"

[[mandate]]
person = "history-mayor-2"
city = "history-city"
role = "mayor"
title = "maire"
start = "2014"
end = "2020"
attested_on = ["2019-06-01", "2015-03-02"]

[[mandate]]
person = "history-mayor-1"
city = "history-city"
role = "mayor"
title = "maire"
start = "2020"

[[mandate]]
person = "history-mayor-1"
city = "history-city"
role = "deputy_mayor"
title = "adjoint"
start = "2008"
end = "2014"
attested_on = ["2010-01-01"]

[[membership]]
organisation = "history-network"
member_city = "history-city"
kind = "founding_member"
start = "2001"

[[membership]]
organisation = "batch-network"
member_city = "history-city"
kind = "member"
start = "1999"
"#;

#[tokio::test]
async fn a_city_read_by_slug_with_its_relations_answers_as_their_own_loads_do() {
    let app = TestApp::spawn_with(&[
        ("batch.toml", many_cities(3)),
        ("history.toml", CITY_WITH_HISTORY.to_owned()),
    ])
    .await;
    let cities = app
        .data("{ cities(first: 100) { nodes { id slug } } }", json!({}))
        .await;
    let cities = cities["cities"]["nodes"].as_array().unwrap().clone();
    assert!(
        cities.len() > 10,
        "the seed cities and the fixture's: {}",
        cities.len()
    );
    let mut with_mayor = 0;
    let mut with_memberships = 0;
    for city in &cities {
        // By slug: one statement brings the relations along. By id: each relation is its
        // own batch.
        let by_slug = app
            .data(
                &format!("query($slug: String!) {{ city(slug: $slug) {{ {CITY_RELATIONS} }} }}"),
                json!({ "slug": city["slug"] }),
            )
            .await;
        let by_id = app
            .data(
                &format!(
                    "query($id: ID!) {{ node(id: $id) {{ ... on City {{ {CITY_RELATIONS} }} }} }}"
                ),
                json!({ "id": city["id"] }),
            )
            .await;
        assert_eq!(by_slug["city"], by_id["node"], "{}", city["slug"]);
        with_mayor += usize::from(!by_slug["city"]["mayor"].is_null());
        with_memberships += usize::from(
            !by_slug["city"]["memberships"]["nodes"]
                .as_array()
                .unwrap()
                .is_empty(),
        );
    }
    assert!(
        with_mayor >= 3 && with_memberships >= 3,
        "relations were compared"
    );

    // Only what is asked is read along; an unknown slug is null.
    let (statements, data) = counted(
        &app,
        r#"{ city(slug: "batch-city-1") { memberships(first: 1) { nodes { kind } } } }"#,
    )
    .await;
    assert_eq!(data["city"]["memberships"]["nodes"][0]["kind"], "MEMBER");
    assert_eq!(statements, 1);
    let data = app
        .data(
            r#"{ city(slug: "nowhere") { mayor { title } } }"#,
            json!({}),
        )
        .await;
    assert!(data["city"].is_null());
}

/// Where each of `keys` first appears in `text` after the first `after` key.
fn positions(text: &str, after: &str, keys: &[&str]) -> Vec<usize> {
    let from = text
        .find(&format!("\"{after}\":"))
        .unwrap_or_else(|| panic!("{after} is missing from {text}"));
    keys.iter()
        .map(|key| {
            text[from..]
                .find(&format!("\"{key}\":"))
                .unwrap_or_else(|| panic!("{key} is missing from {text}"))
        })
        .collect()
}

#[tokio::test]
async fn fields_come_back_in_the_order_of_the_query_whatever_loads_first() {
    let app = TestApp::spawn_with(&[("batch.toml", many_cities(3))]).await;
    // Fields loaded in batches (partnerships, memberships) around plain ones (slug), with a
    // fragment and an alias: the answer follows the query, not the order loads finished in.
    let query = r#"{ city(slug: "batch-city-2") { slug
        partnerships(first: 5) { nodes { parties(first: 3) { nodes { city { population } role } } title } }
        ...Named
        here: population
        memberships(first: 5) { nodes { organisation { acronym } kind } } } }
        fragment Named on City { name }"#;
    let body = json!({ "query": query }).to_string();
    let (status, _, text) = app.post_raw(Some("application/json"), body).await;
    assert_eq!(status, 200, "{text}");
    assert!(!text.contains("\"errors\""), "{text}");

    let city = positions(
        &text,
        "data",
        &["slug", "partnerships", "name", "here", "memberships"],
    );
    assert!(city.is_sorted(), "the city's fields out of order: {text}");
    let partnership = positions(&text, "partnerships", &["parties", "title"]);
    assert!(
        partnership.is_sorted(),
        "a partnership's fields out of order: {text}"
    );
    let party = positions(&text, "parties", &["city", "role"]);
    assert!(party.is_sorted(), "a party's fields out of order: {text}");
    let membership = positions(&text, "memberships", &["organisation", "kind"]);
    assert!(
        membership.is_sorted(),
        "a membership's fields out of order: {text}"
    );
}
