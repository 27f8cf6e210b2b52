//! Every write is in the audit trail, the seed's included: a record the seed loads through the
//! one write path is recorded under the seed file's name, with no token, like any write.

use serde_json::json;
use tests::TestApp;

#[tokio::test]
async fn what_the_seed_loads_is_in_the_audit_trail_under_its_file_name() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin", None).await;
    let events = "query($kind: String!, $action: String!) { auditEvents(first: 100, filter: { entityType: $kind, action: $action }) {
        totalCount nodes { actorName token { id } entityId after } } }";
    for (list, kind, action) in [
        ("cities", "city", "create_city"),
        ("people", "person", "create_person"),
        ("organisations", "organisation", "create_organisation"),
    ] {
        let stored = app
            .data(&format!("{{ {list} {{ totalCount }} }}"), json!({}))
            .await[list]["totalCount"]
            .as_i64()
            .unwrap();
        assert!(stored > 0, "the seed has {list}");
        let (_, body) = app
            .post_as(&admin, events, json!({ "kind": kind, "action": action }))
            .await;
        let audited = &body["data"]["auditEvents"];
        assert_eq!(audited["totalCount"], stored, "{kind}: {body:#}");
        for event in audited["nodes"].as_array().unwrap() {
            let actor = event["actorName"].as_str().unwrap();
            assert!(
                actor.starts_with("seed ") && actor.ends_with(".toml"),
                "{kind}: {actor}"
            );
            assert!(event["token"].is_null(), "{event}");
            assert!(event["after"].as_str().unwrap().contains("\"slug\""));
        }
    }
}
