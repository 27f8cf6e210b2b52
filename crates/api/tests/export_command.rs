//! `partner-directory export` as a process: the same exports as `GET /exports/…`, written to
//! standard output or to a file that appears only once whole.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BINARY: &str = env!("CARGO_BIN_EXE_partner-directory");

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the repository root")
        .to_path_buf()
}

/// A seeded SQLite directory in a folder removed when dropped.
struct Directory(PathBuf);

impl Directory {
    fn seeded() -> Directory {
        let folder = std::env::temp_dir().join(format!(
            "partner-directory-export-command-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos())
        ));
        std::fs::create_dir_all(&folder).expect("temp folder");
        let directory = Directory(folder);
        let seeded = directory.run(&["seed"]);
        assert!(seeded.status.success(), "{seeded:?}");
        directory
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(BINARY)
            .args(args)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", self.0.join("d.sqlite").display()),
            )
            .env("SEED_DIR", repo_root().join("seed"))
            .env("JWT_KEY_FILE", self.0.join("jwt-secret"))
            .env("RUST_LOG", "warn")
            .current_dir(&self.0)
            .output()
            .expect("the binary runs")
    }
}

impl Drop for Directory {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_command_line_writes_an_export_to_a_file_once_whole() {
    // Arrange
    let directory = Directory::seeded();
    let file = directory.0.join("cities.csv");

    // Act
    let exported = directory.run(&[
        "export",
        "cities",
        "--format",
        "csv",
        "--output",
        file.to_str().unwrap(),
    ]);

    // Assert
    assert!(exported.status.success(), "{exported:?}");
    let text = std::fs::read_to_string(&file).expect("the file is written");
    let header: Vec<&str> = api::export::Kind::Cities
        .columns()
        .iter()
        .map(|c| c.name)
        .collect();
    assert!(
        text.starts_with(&format!("{}\r\n", header.join(","))),
        "{text}"
    );
    assert!(
        text.contains(",argenteuil,Argenteuil,FR,FR-IDF FR-95,95018,"),
        "{text}"
    );
    assert!(!directory.0.join("cities.csv.partial").exists());
    assert!(exported.stdout.is_empty(), "nothing on standard output");
}

#[test]
fn the_command_line_writes_popolo_and_json_lines_to_standard_output() {
    // Arrange
    let directory = Directory::seeded();

    // Act
    let popolo = directory.run(&["export", "popolo"]);
    let people = directory.run(&["export", "people"]);

    // Assert
    assert!(popolo.status.success(), "{popolo:?}");
    let document: serde_json::Value = serde_json::from_slice(&popolo.stdout).expect("JSON");
    for section in ["persons", "organizations", "memberships"] {
        assert!(
            !document[section].as_array().unwrap().is_empty(),
            "{section}"
        );
    }
    assert!(people.status.success(), "{people:?}");
    let lines: Vec<serde_json::Value> = String::from_utf8(people.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object per line"))
        .collect();
    assert!(
        lines
            .iter()
            .any(|person| person["slug"] == "mathieu-traversy")
    );
}

#[test]
fn the_command_line_refuses_an_unknown_kind_or_a_format_a_kind_is_not_in() {
    // Arrange
    let directory = Directory::seeded();

    // Act
    let unknown = directory.run(&["export", "towns"]);
    let not_ocds = directory.run(&["export", "cities", "--format", "ocds"]);

    // Assert
    assert!(!unknown.status.success());
    let said = String::from_utf8_lossy(&unknown.stderr);
    assert!(said.contains("cities, organisations, people"), "{said}");
    assert!(!not_ocds.status.success());
    let said = String::from_utf8_lossy(&not_ocds.stderr);
    assert!(said.contains("OCDS holds group purchases"), "{said}");
}
