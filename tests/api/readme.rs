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
        let body = app.post(&query, json!({})).await;
        assert!(body.get("errors").is_none(), "{query}\n{body:#}");
        let text = body.to_string();
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
    let root = tests::repo_root();
    let checklist = std::fs::read_to_string(root.join("docs/security.md")).unwrap();
    let mut sources = String::new();
    let mut folders = vec![root.join("tests"), root.join("crates")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(path).unwrap());
            }
        }
    }
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
