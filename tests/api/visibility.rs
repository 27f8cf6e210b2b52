//! A draft partnership and everything that belongs to it — its parties, signatories, domains,
//! commitments, follow-ups, its report and the report's indicator, an event and an initiative
//! linked to it, with their participant, lead organisation, outcome and lesson, a statement
//! about it, and the citations of its own records — are invisible to anyone who may not see
//! the draft, however they are reached. The fixture holds a record of every kind the domain
//! says may belong to a draft (`domain::ownership::may_be_owned`), checked.
//!
//! The test does not list the ways in: it reads the schema by introspection and walks every
//! root field and every relation of every record next to the draft, as an anonymous caller
//! and as a partner of an unrelated organisation. It runs the same walk on a directory where
//! the draft was never created, and the answers must be the same — a hidden record answers
//! exactly like an absent one, counts and reasons included. A field added later is walked
//! without editing this test.
//!
//! Writes are walked the same way (`writes`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use tests::{TestApp, ids_in};

mod writes;

/// The fixture's source, in both directories: only the draft differs between them.
const SOURCE: &str = r#"
[source]
slug = "visibility-fixture"
kind = "other"
title = "Visibility fixture"
"#;

/// The draft and its seeded parts. Loaded last, so every other record has the same id with or
/// without it.
const DRAFT: &str = r#"
[[partnership]]
slug = "brouillon-secret"
title = "Entente secrète en préparation"
kind = "cooperation_protocol"
status = "draft"
summary = "Une entente que seuls ses signataires et les éditeurs voient."
start = "2025"
end = "2027"
themes = ["gestion-durable-eau"]

[[partnership.party]]
key = "terrebonne"
city = "terrebonne"
role = "party"

[[partnership.party]]
key = "umq"
organisation = "umq"
role = "partner"
side_of = "terrebonne"

[[partnership.signatory]]
person = "mathieu-traversy"
party = "terrebonne"
capacity = "party"
title_then = "Maire de Terrebonne"

[[partnership.domain]]
numeral = "I"
title = "Un domaine secret"
narrative = "Rien à voir."
themes = ["inclusion-sociale"]

[[partnership.commitment]]
domain = "I"
kind = "commitment"
text = "Un engagement secret."

[[partnership.follow_up]]
kind = "meeting"
frequency = "regular"
description = "Des réunions secrètes."

[[statement]]
person = "mathieu-traversy"
title_then = "Maire de Terrebonne"
about = "brouillon-secret"
text = "Une déclaration sur l'entente secrète."
"#;

/// What a type of the schema is, from introspection.
#[derive(Debug, Default, Clone)]
struct TypeInfo {
    kind: String,
    is_node: bool,
    possible: Vec<String>,
    /// Fields returning records: (name, named type, has `first`), without required arguments.
    relations: Vec<(String, String, bool)>,
    /// A connection that counts its records (the change feed does not).
    has_total_count: bool,
}

type Schema = BTreeMap<String, TypeInfo>;

async fn introspect(app: &TestApp) -> (Schema, String) {
    let data = app
        .data(
            r#"{ __schema { queryType { name } types { name kind interfaces { name } possibleTypes { name }
                fields { name type { ...Ref } args { name defaultValue type { kind } } } } } }
               fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"#,
            json!({}),
        )
        .await;
    let named = |mut ty: &Value| loop {
        if ty["name"].is_string() {
            return (
                ty["name"].as_str().unwrap().to_owned(),
                ty["kind"].as_str().unwrap().to_owned(),
            );
        }
        ty = &ty["ofType"];
    };
    let mut schema = Schema::new();
    for ty in data["__schema"]["types"].as_array().unwrap() {
        let name = ty["name"].as_str().unwrap().to_owned();
        if name.starts_with("__") {
            continue;
        }
        let mut info = TypeInfo {
            kind: ty["kind"].as_str().unwrap().to_owned(),
            is_node: ty["interfaces"]
                .as_array()
                .is_some_and(|i| i.iter().any(|i| i["name"] == "Node")),
            possible: ty["possibleTypes"]
                .as_array()
                .map(|p| {
                    p.iter()
                        .map(|t| t["name"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default(),
            relations: Vec::new(),
            has_total_count: false,
        };
        for field in ty["fields"].as_array().into_iter().flatten() {
            info.has_total_count |= field["name"] == "totalCount";
            let (returns, kind) = named(&field["type"]);
            if !["OBJECT", "INTERFACE", "UNION"].contains(&kind.as_str()) {
                continue;
            }
            let args = field["args"].as_array().unwrap();
            let required = args
                .iter()
                .any(|a| a["type"]["kind"] == "NON_NULL" && a["defaultValue"].is_null());
            if required {
                continue;
            }
            let has_first = args.iter().any(|a| a["name"] == "first");
            info.relations.push((
                field["name"].as_str().unwrap().to_owned(),
                returns,
                has_first,
            ));
        }
        schema.insert(name, info);
    }
    let query = data["__schema"]["queryType"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    (schema, query)
}

/// A selection that names every record `type_name` leads to: ids and type names, counts of
/// connections, and one level into objects that are not records (a peer's city, its reasons).
fn ids_of(schema: &Schema, type_name: &str, depth: usize) -> String {
    let Some(info) = schema.get(type_name) else {
        return String::new();
    };
    match info.kind.as_str() {
        "INTERFACE" | "UNION" => {
            let mut selection = String::from("__typename");
            for possible in &info.possible {
                let inner = ids_of(schema, possible, depth);
                selection.push_str(&format!(" ... on {possible} {{ {inner} }}"));
            }
            selection
        }
        _ if info.is_node => "__typename id".to_owned(),
        _ if type_name.ends_with("Connection") => {
            let node = info
                .relations
                .iter()
                .find(|(name, _, _)| name == "nodes")
                .map(|(_, t, _)| t.clone())
                .unwrap_or_default();
            let total = if info.has_total_count {
                "totalCount"
            } else {
                ""
            };
            format!("{total} nodes {{ {} }}", ids_of(schema, &node, depth))
        }
        _ if depth > 0 => {
            let mut selection = String::from("__typename");
            for (name, returns, _) in &info.relations {
                selection.push_str(&format!(
                    " {name} {{ {} }}",
                    ids_of(schema, returns, depth - 1)
                ));
            }
            selection
        }
        _ => "__typename".to_owned(),
    }
}

/// One query per relation of `type_name`, reached through `node(id:)`.
fn relation_queries(schema: &Schema, type_name: &str, id: &str) -> Vec<String> {
    let Some(info) = schema.get(type_name) else {
        return Vec::new();
    };
    info.relations
        .iter()
        .map(|(name, returns, has_first)| {
            let page = if *has_first { "(first: 100)" } else { "" };
            format!(
                "{{ node(id: {id:?}) {{ ... on {type_name} {{ {name}{page} {{ {} }} }} }} }}",
                ids_of(schema, returns, 1)
            )
        })
        .collect()
}

/// The answer's data, or its error codes when it has none (for comparison).
async fn answer(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let body = match token {
        Some(token) => app.post_as(token, query, json!({})).await.1,
        None => app.post(query, json!({})).await,
    };
    let codes: Vec<Value> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| json!([e["path"], e["extensions"]["code"]]))
        .collect();
    json!({ "data": body["data"], "errors": codes })
}

/// The draft's records beyond the seed: a report with an indicator, an event with a
/// participant, an initiative with an outcome and a lesson, all linked to the draft.
async fn add_linked_records(app: &TestApp, editor: &str) {
    let id = |query: &'static str, path: &'static [&'static str]| async move {
        let mut value = app.data(query, json!({})).await;
        for key in path {
            value = value[*key].clone();
        }
        value
    };
    let draft = id(
        r#"{ partnership(slug: "brouillon-secret") { id } }"#,
        &["partnership", "id"],
    )
    .await;
    assert!(draft.is_null(), "an anonymous caller sees the draft");
    let draft = app
        .post_as(
            editor,
            r#"{ partnership(slug: "brouillon-secret") { id } }"#,
            json!({}),
        )
        .await
        .1["data"]["partnership"]["id"]
        .clone();
    let terrebonne = id(r#"{ city(slug: "terrebonne") { id } }"#, &["city", "id"]).await;
    let umq = id(
        r#"{ organisation(slug: "umq") { id } }"#,
        &["organisation", "id"],
    )
    .await;
    let run = |query: &'static str, input: Value| async move {
        let (_, body) = app.post_as(editor, query, json!({ "input": input })).await;
        assert!(body["errors"].is_null(), "{body:#}");
        body
    };
    run(
        r#"mutation($input: AddPartnershipReportInput!) { addPartnershipReport(input: $input) { report { id } userErrors { field code message } } }"#,
        json!({ "partnership": draft, "start": "2025", "end": "2025", "summary": "Rapport secret",
            "indicators": [{ "theme": "gestion-durable-eau", "name": "Indicateur secret", "target": 1, "value": 1 }] }),
    )
    .await;
    run(
        r#"mutation($input: CreateEventInput!) { createEvent(input: $input) { event { id } userErrors { field code message } } }"#,
        json!({ "slug": "evenement-secret", "title": "Événement secret", "kind": "MEETING", "date": "2025-06-01",
            "partnership": draft, "participants": [{ "city": terrebonne, "role": "hôte" }] }),
    )
    .await;
    let initiative = run(
        r#"mutation($input: CreateInitiativeInput!) { createInitiative(input: $input) { initiative { id } userErrors { field code message } } }"#,
        json!({ "slug": "initiative-secrete", "title": "Initiative secrète", "kind": "EXPERIMENT", "status": "PLANNED",
            "city": terrebonne, "partnership": draft, "themes": ["gestion-durable-eau"], "leads": [umq] }),
    )
    .await["data"]["createInitiative"]["initiative"]["id"]
        .clone();
    run(
        r#"mutation($input: AddOutcomeInput!) { addOutcome(input: $input) { outcome { id } userErrors { field code message } } }"#,
        json!({ "initiative": initiative, "indicator": "secret", "evidenceLevel": "SELF_REPORTED" }),
    )
    .await;
    run(
        r#"mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } userErrors { field code message } } }"#,
        json!({ "initiative": initiative, "kind": "PITFALL", "text": "Une leçon secrète" }),
    )
    .await;
}

/// Two directories that differ only by the draft and the records linked to it, an editor's
/// token for the first, and the draft's records as the editor sees them.
struct Draft {
    with: TestApp,
    without: TestApp,
    editor: String,
    schema: Schema,
    query_type: String,
    /// Every record of the draft: (type, global id).
    secret: BTreeSet<(String, String)>,
    /// The draft's parts seen from it: the draft, its parties, domains… and their neighbours.
    around: BTreeSet<(String, String)>,
    /// Tokens of a partner of an organisation that is no party to the draft, for each
    /// directory.
    unrelated_with: String,
    unrelated_without: String,
}

async fn draft_directories() -> Draft {
    let generous = |config: &mut api::Config| {
        config.limits.max_cost = 100_000_000;
        config.limits.max_fields = 10_000;
        config.rate_limits.anonymous_capacity = 0;
        config.rate_limits.token_capacity = 0;
    };
    let with =
        TestApp::spawn_configured(&[("999-draft.toml", format!("{SOURCE}{DRAFT}"))], generous)
            .await;
    let without =
        TestApp::spawn_configured(&[("999-draft.toml", SOURCE.to_owned())], generous).await;
    let editor = with.token("editor", None).await;
    add_linked_records(&with, &editor).await;
    let (schema, query_type) = introspect(&with).await;

    // The draft's records, as an editor sees them: the draft, then everything it leads to that
    // belongs to it.
    let draft_page = format!(
        r#"{{ partnership(slug: "brouillon-secret") {{ {} }} }}"#,
        schema["Partnership"]
            .relations
            .iter()
            .map(|(name, returns, first)| format!(
                "{name}{} {{ {} }}",
                if *first { "(first: 100)" } else { "" },
                ids_of(&schema, returns, 1)
            ))
            .collect::<Vec<_>>()
            .join(" ")
            + " __typename id"
    );
    let mut around = BTreeSet::new();
    ids_in(
        &answer(&with, Some(&editor), &draft_page).await,
        &mut around,
    );
    let linked = with
        .post_as(
            &editor,
            r#"{ event(slug: "evenement-secret") { __typename id participants { nodes { __typename id } } }
                 initiative(slug: "initiative-secrete") { __typename id outcomes { nodes { __typename id } } lessons { nodes { __typename id } }
                   organisations { nodes { __typename id } } }
                 partnership(slug: "brouillon-secret") { reports { nodes { indicators { nodes { __typename id } } } } } }"#,
            json!({}),
        )
        .await
        .1;
    let mut secret = BTreeSet::new();
    ids_in(&linked["data"], &mut secret);
    let belongs = [
        "Citation",
        "Statement",
        "Partnership",
        "PartnershipParty",
        "Signatory",
        "PartnershipDomain",
        "Commitment",
        "FollowUp",
        "Report",
        "Indicator",
    ];
    secret.extend(
        around
            .iter()
            .filter(|(kind, _)| belongs.contains(&kind.as_str()))
            .cloned(),
    );
    // One record at least of every kind that may belong to a draft, as the domain says.
    let kinds: BTreeSet<&str> = secret.iter().map(|(kind, _)| kind.as_str()).collect();
    for kind in domain::source::RecordType::ALL
        .iter()
        .filter(|kind| domain::ownership::may_be_owned(**kind))
        .map(|kind| format!("{kind:?}"))
        .chain(["Citation".to_owned()])
    {
        assert!(
            kinds.contains(kind.as_str()),
            "the draft has no {kind}: {secret:?}"
        );
    }
    let unrelated_with = with
        .token("partner", Some("metropole-du-grand-paris"))
        .await;
    let unrelated_without = without
        .token("partner", Some("metropole-du-grand-paris"))
        .await;
    Draft {
        with,
        without,
        editor,
        schema,
        query_type,
        secret,
        around,
        unrelated_with,
        unrelated_without,
    }
}

#[tokio::test]
async fn nothing_of_a_draft_is_seen_by_those_who_may_not_see_it_whichever_way_they_look() {
    let Draft {
        with,
        without,
        editor,
        schema,
        query_type,
        secret,
        around,
        unrelated_with,
        unrelated_without,
    } = draft_directories().await;
    // Its neighbours: every record one relation away from one of its records (the city, the
    // organisation, the person, the theme, the source…), from which every relation is walked.
    let mut around_all = around.clone();
    for (kind, id) in &secret {
        for query in relation_queries(&schema, kind, id) {
            ids_in(&answer(&with, Some(&editor), &query).await, &mut around_all);
        }
    }
    let neighbours: Vec<(String, String)> = around_all
        .into_iter()
        .filter(|record| !secret.contains(record))
        .collect();
    let neighbour_kinds: BTreeSet<&str> = neighbours.iter().map(|(k, _)| k.as_str()).collect();
    for kind in ["City", "Organisation", "Person", "Theme", "Source"] {
        assert!(
            neighbour_kinds.contains(kind),
            "no {kind} next to the draft: {neighbours:?}"
        );
    }

    let mut queries: Vec<String> = schema[&query_type]
        .relations
        .iter()
        .map(|(name, returns, first)| {
            let page = if *first { "(first: 100)" } else { "" };
            format!("{{ {name}{page} {{ {} }} }}", ids_of(&schema, returns, 1))
        })
        .collect();
    for (kind, id) in &neighbours {
        queries.extend(relation_queries(&schema, kind, id));
    }
    // Filters by the draft's slug answer as for a slug nobody has.
    for list in ["events", "initiatives"] {
        queries.push(format!(
            r#"{{ {list}(filter: {{ partnership: "brouillon-secret" }}) {{ totalCount }} }}"#
        ));
    }
    let secret_ids: BTreeSet<&String> = secret.iter().map(|(_, id)| id).collect();
    let mut walked = 0;
    for (caller_with, caller_without) in [
        (None, None),
        (Some(&unrelated_with), Some(&unrelated_without)),
    ] {
        // By id, one at a time and all at once.
        for id in &secret_ids {
            let node = answer(
                &with,
                caller_with.map(String::as_str),
                &format!("{{ node(id: {id:?}) {{ __typename }} }}"),
            )
            .await;
            assert!(node["data"]["node"].is_null(), "{id}: {node}");
        }
        let all = json!(secret_ids.iter().collect::<Vec<_>>());
        let nodes = answer(
            &with,
            caller_with.map(String::as_str),
            &format!("{{ nodes(ids: {all}) {{ __typename }} }}"),
        )
        .await;
        assert!(
            nodes["data"]["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .all(Value::is_null),
            "{nodes}"
        );
        for query in &queries {
            let seen = answer(&with, caller_with.map(String::as_str), query).await;
            let mut found = BTreeSet::new();
            ids_in(&seen, &mut found);
            let leaked: Vec<_> = found
                .iter()
                .filter(|(_, id)| secret_ids.contains(id))
                .collect();
            assert!(leaked.is_empty(), "{query} shows {leaked:?}");
            let absent = answer(&without, caller_without.map(String::as_str), query).await;
            assert_eq!(seen, absent, "{query} answers otherwise than with no draft");
            walked += 1;
        }
    }
    assert!(walked > 100, "{walked} queries walked");
}
