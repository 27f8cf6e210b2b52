//! The README's example queries run on the seed data and answer what the README says.

use serde_json::json;
use tests::{TestApp, repo_root};

/// Each ```graphql block of the README, with the `# expect:` lines it carries.
fn examples() -> Vec<(String, Vec<String>)> {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README.md");
    let mut examples = Vec::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_start()) {
            (None, "```graphql") => current = Some(String::new()),
            (Some(block), "```") => {
                let expected = block
                    .lines()
                    .filter_map(|l| l.trim().strip_prefix("# expect: ").map(str::to_owned))
                    .collect();
                examples.push((block.clone(), expected));
                current = None;
            }
            (Some(block), _) => {
                block.push_str(line);
                block.push('\n');
            }
            (None, _) => {}
        }
    }
    examples
}

/// The caller an example runs as: `# token: admin` (or `editor`, or `partner` and the slug of
/// its organisation), anonymous without such a line.
fn token_line(query: &str) -> Option<(String, Option<String>)> {
    query
        .lines()
        .find_map(|line| line.trim().strip_prefix("# token: "))
        .map(|caller| {
            let mut words = caller.split_whitespace();
            let role = words.next().expect("a role").to_owned();
            (role, words.next().map(str::to_owned))
        })
}

/// Whether an expected fragment checks a value rather than only a name: a lone quoted GraphQL
/// name (`"joinable"`, `"ANNOUNCED"`) may be a field's name as well as an enum's value, and
/// an answer holds it whatever its values, so it must say which field holds it
/// (`"status":"ANNOUNCED"`); a name, a title or a slug (`"Issy-les-Moulineaux"`) is a value.
fn checks_a_value(fragment: &str) -> bool {
    let graphql_name = fragment.len() > 2
        && fragment.starts_with('"')
        && fragment.ends_with('"')
        && fragment[1..fragment.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_');
    !graphql_name
}

#[tokio::test]
async fn every_readme_example_answers_as_the_readme_says() {
    let app = TestApp::spawn().await;
    let examples = examples();
    assert!(examples.len() >= 4, "the README shows example queries");
    for (query, expected) in examples {
        assert!(
            !expected.is_empty(),
            "each example says what it answers:\n{query}"
        );
        for fragment in &expected {
            assert!(
                checks_a_value(fragment),
                "{fragment} checks a name, not a value: say which field holds it\n{query}"
            );
        }
        let mut request = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": query }));
        if let Some((role, organisation)) = token_line(&query) {
            let token = app.token(&role, organisation.as_deref()).await;
            request = request.bearer_auth(token);
        }
        // The answer's text as sent, its fields in the query's order, as GraphiQL shows it.
        let text = request
            .send()
            .await
            .expect("the server answers")
            .text()
            .await
            .expect("a body");
        let body: serde_json::Value = serde_json::from_str(&text).expect("a JSON body");
        assert!(body.get("errors").is_none(), "{query}\n{body:#}");
        for fragment in expected {
            assert!(
                text.contains(&fragment),
                "{query}\nexpected {fragment:?} in {text}"
            );
        }
    }
}

/// Every test that docs/security.md cites exists, so the checklist cannot point at nothing.
#[test]
fn every_test_the_security_checklist_names_exists() {
    let checklist = std::fs::read_to_string(tests::repo_root().join("docs/security.md")).unwrap();
    let sources = tests::rust_sources(&["tests", "crates"]);
    let cited: Vec<&str> = checklist
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| {
            span.contains("::")
                && span
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':')
        })
        .collect();
    assert!(cited.len() >= 25, "{cited:?}");
    for test in cited {
        let name = test.rsplit("::").next().unwrap();
        assert!(
            sources.contains(&format!("fn {name}(")),
            "docs/security.md cites {test}, which does not exist"
        );
    }
}
