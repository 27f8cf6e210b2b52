//! Cities and organisations from CSV files, for countries without an official data set the
//! directory reads. The format is in the README ("Importing data"); in short:
//!
//! - cities: `country,official_code,name,subdivisions,population,parent_code`
//! - organisations: `country,official_code,name,kind,subdivision,parent_code,members`
//!
//! The header row names the columns, in any order; `country`, `official_code` and `name` are
//! required (and `kind` for organisations), the others may be left out or empty. Lists
//! (`subdivisions`, `members`) are separated by spaces. Records are matched by official code
//! within their country, as in every import. A parent must be stored already or come in
//! the same file; a chain of parents deeper than one level needs a second run.

use std::collections::BTreeMap;
use std::path::Path;

use domain::organisation::OrganisationKind;
use persistence::Db;
use persistence::import::{CityRecord, Importer, MembershipRecord, OrganisationRecord};
use serde::Deserialize;

use crate::batch::{Located, finish, write_in_batches};
use crate::report::{ImportError, Progress, Summary};

/// The columns of a cities file, required first.
pub const CITY_COLUMNS: [&str; 6] = [
    "country",
    "official_code",
    "name",
    "subdivisions",
    "population",
    "parent_code",
];

/// The columns of an organisations file, required first.
pub const ORGANISATION_COLUMNS: [&str; 7] = [
    "country",
    "official_code",
    "name",
    "kind",
    "subdivision",
    "parent_code",
    "members",
];

#[derive(Deserialize)]
struct CityRow {
    country: String,
    official_code: String,
    name: String,
    subdivisions: Option<String>,
    population: Option<i64>,
    parent_code: Option<String>,
}

#[derive(Deserialize)]
struct OrganisationRow {
    country: String,
    official_code: String,
    name: String,
    kind: String,
    subdivision: Option<String>,
    parent_code: Option<String>,
    members: Option<String>,
}

/// The import's name in the audit trail: `import cities.csv`.
fn source_name(path: &Path) -> String {
    let file = path.file_name().unwrap_or(path.as_os_str());
    format!("import {}", file.to_string_lossy())
}

/// Imports the cities of a CSV file.
pub async fn import_cities(
    db: &Db,
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<Summary, ImportError> {
    let mut summary = Summary::default();
    let rows: Vec<Located<CityRow>> =
        read_rows(path, &CITY_COLUMNS[..3], &CITY_COLUMNS, &mut summary)?;
    let mut by_country: BTreeMap<String, Vec<Located<CityRecord>>> = BTreeMap::new();
    for row in rows {
        match check_city(&row.record) {
            Ok(record) => by_country
                .entry(row.record.country.clone())
                .or_default()
                .push(row.with(record)),
            Err(reason) => summary.rejected.push(row.reject(reason)),
        }
    }
    for (country, records) in by_country {
        let mut importer = Importer::open(db, &country, &source_name(path)).await?;
        // Parents before their boroughs.
        let (boroughs, cities): (Vec<_>, Vec<_>) = records
            .into_iter()
            .partition(|r| r.record.parent_code.is_some());
        for (kind, records) in [("cities", cities), ("boroughs", boroughs)] {
            write_in_batches(kind, &records, &mut summary, progress, async |batch| {
                importer.cities(batch).await
            })
            .await?;
        }
    }
    finish(db, summary).await
}

/// Imports the organisations of a CSV file, with their member cities.
pub async fn import_organisations(
    db: &Db,
    path: &Path,
    progress: &mut dyn Progress,
) -> Result<Summary, ImportError> {
    let mut summary = Summary::default();
    let rows: Vec<Located<OrganisationRow>> = read_rows(
        path,
        &ORGANISATION_COLUMNS[..4],
        &ORGANISATION_COLUMNS,
        &mut summary,
    )?;
    type Records = (
        Vec<Located<OrganisationRecord>>,
        Vec<Located<MembershipRecord>>,
    );
    let mut by_country: BTreeMap<String, Records> = BTreeMap::new();
    for row in rows {
        match check_organisation(&row.record) {
            Ok(record) => {
                let (organisations, memberships) =
                    by_country.entry(row.record.country.clone()).or_default();
                for member in list(row.record.members.as_deref()) {
                    memberships.push(Located {
                        code: Some(format!("{} member {member}", record.official_code)),
                        ..row.with(MembershipRecord {
                            organisation_code: record.official_code.clone(),
                            member_code: member,
                        })
                    });
                }
                organisations.push(row.with(record));
            }
            Err(reason) => summary.rejected.push(row.reject(reason)),
        }
    }
    for (country, (organisations, memberships)) in by_country {
        let mut importer = Importer::open(db, &country, &source_name(path)).await?;
        let (children, parents): (Vec<_>, Vec<_>) = organisations
            .into_iter()
            .partition(|r| r.record.parent_code.is_some());
        for records in [parents, children] {
            write_in_batches(
                "organisations",
                &records,
                &mut summary,
                progress,
                async |batch| importer.organisations(batch).await,
            )
            .await?;
        }
        write_in_batches(
            "memberships",
            &memberships,
            &mut summary,
            progress,
            async |batch| importer.memberships(batch).await,
        )
        .await?;
    }
    finish(db, summary).await
}

/// A space-separated list, without empty items.
fn list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Reads the rows of a CSV file. A missing or unknown column stops the import; a row that
/// does not parse is rejected with its position (the n-th row after the header).
fn read_rows<T: serde::de::DeserializeOwned>(
    path: &Path,
    required: &[&str],
    known: &[&str],
    summary: &mut Summary,
) -> Result<Vec<Located<T>>, ImportError> {
    let file = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let malformed = |message: String| ImportError::Malformed {
        file: file.clone(),
        line: 1,
        column: 1,
        message,
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .trim(::csv::Trim::All)
        .from_path(path)
        .map_err(|error| ImportError::Read {
            file: file.clone(),
            source: std::io::Error::other(error.to_string()),
        })?;
    let headers = reader
        .headers()
        .map_err(|error| malformed(error.to_string()))?
        .clone();
    if let Some(unknown) = headers.iter().find(|h| !known.contains(h)) {
        return Err(malformed(format!(
            "unknown column {unknown:?}; the columns are {}",
            known.join(", ")
        )));
    }
    if let Some(missing) = required.iter().find(|r| !headers.iter().any(|h| h == **r)) {
        return Err(malformed(format!(
            "the required column {missing:?} is missing"
        )));
    }
    let official_code = headers.iter().position(|h| h == "official_code");
    let mut rows = Vec::new();
    for (index, result) in reader.records().enumerate() {
        let position = index + 1;
        let raw = match result {
            Ok(raw) => raw,
            Err(error) => {
                summary
                    .rejected
                    .push(Located::at(&file, position, None).reject(error.to_string()));
                continue;
            }
        };
        let code = official_code
            .and_then(|i| raw.get(i))
            .filter(|code| !code.is_empty())
            .map(str::to_owned);
        let located = Located::at(&file, position, code);
        match raw.deserialize::<T>(Some(&headers)) {
            Ok(record) => rows.push(located.with(record)),
            Err(error) => summary
                .rejected
                .push(located.reject(deserialize_error(&error, &headers))),
        }
    }
    Ok(rows)
}

/// Why a row does not fit its columns, naming the column.
fn deserialize_error(error: &::csv::Error, headers: &::csv::StringRecord) -> String {
    match error.kind() {
        ::csv::ErrorKind::Deserialize { err, .. } => {
            let column = err
                .field()
                .and_then(|index| headers.get(index as usize))
                .unwrap_or("?");
            format!("column {column}: {}", err.kind())
        }
        _ => error.to_string(),
    }
}

fn check_city(row: &CityRow) -> Result<CityRecord, String> {
    domain::city::check_country(&row.country).map_err(|e| e.to_string())?;
    check_code(&row.official_code)?;
    domain::validate::check_name("name", &row.name).map_err(|e| e.to_string())?;
    let subdivisions = list(row.subdivisions.as_deref());
    domain::city::check_subdivisions(&subdivisions).map_err(|e| e.to_string())?;
    if row.population.is_some_and(|p| p < 0) {
        return Err("population is negative".into());
    }
    Ok(CityRecord {
        official_code: row.official_code.clone(),
        name: row.name.clone(),
        subdivisions,
        population: row.population,
        parent_code: row.parent_code.clone().filter(|code| !code.is_empty()),
    })
}

fn check_organisation(row: &OrganisationRow) -> Result<OrganisationRecord, String> {
    domain::city::check_country(&row.country).map_err(|e| e.to_string())?;
    check_code(&row.official_code)?;
    domain::validate::check_name("name", &row.name).map_err(|e| e.to_string())?;
    let kind: OrganisationKind = row
        .kind
        .parse()
        .map_err(|e: domain::UnknownValue| format!("kind: {e}"))?;
    if let Some(subdivision) = &row.subdivision {
        domain::city::check_subdivision(subdivision).map_err(|e| e.to_string())?;
    }
    Ok(OrganisationRecord {
        official_code: row.official_code.clone(),
        name: row.name.clone(),
        kind,
        kind_detail: None,
        subdivision: row.subdivision.clone().filter(|s| !s.is_empty()),
        parent_code: row.parent_code.clone().filter(|code| !code.is_empty()),
    })
}

/// An official code: letters, digits and hyphens, up to 20 characters.
fn check_code(code: &str) -> Result<(), String> {
    let ok = !code.is_empty()
        && code.len() <= 20
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "official_code {code:?} must be 1 to 20 letters, digits or hyphens"
        ))
    }
}
