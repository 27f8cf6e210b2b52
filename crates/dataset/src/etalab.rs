//! The French administrative data set (Etalab's *découpage administratif*): current communes
//! as cities, municipal arrondissements as their boroughs, intercommunal bodies (EPCI, EPT)
//! as organisations with their member communes.
//!
//! Every file is read and parsed before anything is written, so a malformed file stops the
//! import with nothing written. A malformed or invalid record is rejected with its position
//! and the rest goes on. The data set gives no year for its populations, so none is stored.

use std::collections::HashMap;
use std::path::Path;

use domain::france;
use persistence::Db;
use persistence::import::{CityRecord, Importer, MembershipRecord, OrganisationRecord};
use serde::Deserialize;

use crate::batch::{Located, finish, repeated, write_in_batches};
use crate::report::{ImportError, Progress, Summary};

/// The files of the data set this import reads.
pub const COMMUNES: &str = "communes.json";
pub const EPCI: &str = "epci.json";
pub const EPT: &str = "ept.json";

/// The country every record of the data set is in.
const COUNTRY: &str = "FR";

#[derive(Deserialize)]
struct Commune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    region: Option<String>,
    departement: Option<String>,
    population: Option<i64>,
    /// For a municipal arrondissement, the commune it belongs to.
    commune: Option<String>,
}

#[derive(Deserialize)]
struct Body {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    membres: Vec<Member>,
}

#[derive(Deserialize)]
struct Member {
    code: String,
}

/// What the files hold, checked and ready to write.
#[derive(Default)]
struct Parsed {
    communes: Vec<Located<CityRecord>>,
    boroughs: Vec<Located<CityRecord>>,
    bodies: Vec<Located<OrganisationRecord>>,
    /// The EPTs, written after the bodies since they belong to one of them.
    territorial_bodies: Vec<Located<OrganisationRecord>>,
    memberships: Vec<Located<MembershipRecord>>,
}

/// Imports the data set in `folder` (its `communes.json`, `epci.json` and `ept.json`).
pub async fn import(
    db: &Db,
    folder: &Path,
    progress: &mut dyn Progress,
) -> Result<Summary, ImportError> {
    let mut summary = Summary::default();
    let mut parsed = Parsed::default();
    let communes = read_records(folder, COMMUNES)?;
    let epci = read_records(folder, EPCI)?;
    let ept = read_records(folder, EPT)?;
    let subdivisions = parse_communes(communes, &mut parsed, &mut summary);
    parse_bodies(EPCI, epci, &subdivisions, &mut parsed, &mut summary);
    parse_bodies(EPT, ept, &subdivisions, &mut parsed, &mut summary);

    let mut importer = Importer::open(db, COUNTRY, "import etalab").await?;
    let progress: &mut dyn Progress = progress;
    write_in_batches(
        "cities",
        &parsed.communes,
        &mut summary,
        progress,
        async |batch| importer.cities(batch).await,
    )
    .await?;
    write_in_batches(
        "boroughs",
        &parsed.boroughs,
        &mut summary,
        progress,
        async |batch| importer.cities(batch).await,
    )
    .await?;
    write_in_batches(
        "organisations",
        &parsed.bodies,
        &mut summary,
        progress,
        async |batch| importer.organisations(batch).await,
    )
    .await?;
    write_in_batches(
        "organisations",
        &parsed.territorial_bodies,
        &mut summary,
        progress,
        async |batch| importer.organisations(batch).await,
    )
    .await?;
    write_in_batches(
        "memberships",
        &parsed.memberships,
        &mut summary,
        progress,
        async |batch| importer.memberships(batch).await,
    )
    .await?;
    finish(db, summary).await
}

/// Reads a file as a JSON array; each element is parsed later, on its own.
fn read_records(folder: &Path, file: &str) -> Result<Vec<serde_json::Value>, ImportError> {
    let text = std::fs::read_to_string(folder.join(file)).map_err(|source| ImportError::Read {
        file: file.to_owned(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|error| ImportError::Malformed {
        file: file.to_owned(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })
}

/// The official code of a raw record, when it has a readable one (for reject messages).
fn code_of(value: &serde_json::Value) -> Option<String> {
    value.get("code")?.as_str().map(str::to_owned)
}

/// Checks the communes and arrondissements; returns the subdivisions of every commune by code.
fn parse_communes(
    values: Vec<serde_json::Value>,
    parsed: &mut Parsed,
    summary: &mut Summary,
) -> HashMap<String, Vec<String>> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut subdivisions_by_code = HashMap::new();
    for (index, value) in values.into_iter().enumerate() {
        let mut located = Located::at(COMMUNES, index + 1, code_of(&value));
        let commune: Commune = match serde_json::from_value(value) {
            Ok(commune) => commune,
            Err(error) => {
                summary.rejected.push(located.reject(error.to_string()));
                continue;
            }
        };
        let borough = match commune.kind.as_str() {
            "commune-actuelle" => false,
            "arrondissement-municipal" => true,
            "commune-deleguee" | "commune-associee" => {
                summary.skip("not a current commune (commune déléguée or associée)");
                continue;
            }
            other => {
                summary
                    .rejected
                    .push(located.reject(format!("unknown type {other:?}")));
                continue;
            }
        };
        located.code = Some(commune.code.clone());
        match check_commune(&commune, borough) {
            Err(reason) => summary.rejected.push(located.reject(reason)),
            Ok(record) => {
                if let Some(reject) = repeated(&mut seen, &commune.code, &located) {
                    summary.rejected.push(reject);
                    continue;
                }
                subdivisions_by_code.insert(commune.code.clone(), record.subdivisions.clone());
                let located = located.with(record);
                if borough {
                    parsed.boroughs.push(located);
                } else {
                    parsed.communes.push(located);
                }
            }
        }
    }
    subdivisions_by_code
}

/// A commune or arrondissement as a city, or why it cannot be one.
fn check_commune(commune: &Commune, borough: bool) -> Result<CityRecord, String> {
    france::check_commune_code(&commune.code).map_err(|e| e.to_string())?;
    domain::validate::check_name("nom", &commune.nom).map_err(|e| e.to_string())?;
    let (Some(region), Some(departement)) = (&commune.region, &commune.departement) else {
        return Err("it has no region or no département".into());
    };
    let subdivisions = france::subdivisions(region, departement).map_err(|e| e.to_string())?;
    if commune.population.is_some_and(|p| p < 0) {
        return Err("its population is negative".into());
    }
    let parent_code = if borough {
        let parent = commune
            .commune
            .clone()
            .ok_or("an arrondissement needs its commune")?;
        france::check_commune_code(&parent).map_err(|e| e.to_string())?;
        Some(parent)
    } else {
        None
    };
    Ok(CityRecord {
        official_code: commune.code.clone(),
        name: commune.nom.trim().to_owned(),
        subdivisions,
        population: commune.population,
        parent_code,
    })
}

/// Checks the intercommunal bodies of `file` and their members.
fn parse_bodies(
    file: &str,
    values: Vec<serde_json::Value>,
    subdivisions: &HashMap<String, Vec<String>>,
    parsed: &mut Parsed,
    summary: &mut Summary,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, value) in values.into_iter().enumerate() {
        let located = Located::at(file, index + 1, code_of(&value));
        let body: Body = match serde_json::from_value(value) {
            Ok(body) => body,
            Err(error) => {
                summary.rejected.push(located.reject(error.to_string()));
                continue;
            }
        };
        let record = match check_body(&body, subdivisions) {
            Ok(record) => record,
            Err(reason) => {
                summary.rejected.push(located.reject(reason));
                continue;
            }
        };
        if let Some(reject) = repeated(&mut seen, &body.code, &located) {
            summary.rejected.push(reject);
            continue;
        }
        for member in &body.membres {
            parsed.memberships.push(Located {
                code: Some(format!("{} member {}", body.code, member.code)),
                ..located.with(MembershipRecord {
                    organisation_code: body.code.clone(),
                    member_code: member.code.clone(),
                })
            });
        }
        let located = located.with(record);
        match located.record.parent_code {
            Some(_) => parsed.territorial_bodies.push(located),
            None => parsed.bodies.push(located),
        }
    }
}

/// An intercommunal body as an organisation, or why it cannot be one. Its region is the one
/// most of its members are in; an EPT belongs to the Métropole du Grand Paris.
fn check_body(
    body: &Body,
    subdivisions: &HashMap<String, Vec<String>>,
) -> Result<OrganisationRecord, String> {
    france::check_siren(&body.code).map_err(|e| e.to_string())?;
    domain::validate::check_name("nom", &body.nom).map_err(|e| e.to_string())?;
    let (kind, detail) = france::body_kind(&body.kind).map_err(|e| e.to_string())?;
    let mut regions: HashMap<&str, usize> = HashMap::new();
    for member in &body.membres {
        if let Some(region) = subdivisions.get(&member.code).and_then(|s| s.first()) {
            *regions.entry(region).or_default() += 1;
        }
    }
    let subdivision = regions
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(region, _)| region.to_owned());
    Ok(OrganisationRecord {
        official_code: body.code.clone(),
        name: body.nom.trim().to_owned(),
        kind,
        kind_detail: Some(detail.to_owned()),
        subdivision,
        parent_code: (body.kind == "EPT").then(|| france::METROPOLE_DU_GRAND_PARIS.to_owned()),
    })
}
