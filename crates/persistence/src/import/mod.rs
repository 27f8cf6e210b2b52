//! Bulk imports of official data: cities, organisations and memberships, matched by official
//! code within a country, created or updated in place, one transaction per batch.
//!
//! An `Importer` reads once what the country already holds (codes, slugs, memberships) and
//! keeps it in memory, so a batch costs one multi-row INSERT for its new records, one UPDATE
//! per changed record, and nothing for unchanged ones: a second run of the same data writes
//! nothing. Records that came from the seed documents carry the same official codes, so they
//! are updated, never duplicated; a stored record without a code (the seed gives none for
//! Namur) is adopted when exactly one of the country has the same folded name (and, for a
//! city, no other subdivisions; for an organisation, the same kind): it gets the code.
//!
//! A batch is a write unit (`write::Unit`) by the operator under the import's name (`import
//! etalab`, `import cities.csv`): its rows are stamped the one way (`Stamped`), its records
//! checked by the domain's rules (by the reader of the data set, before they get here), and
//! each record it creates or changes is an event of the audit trail, with its snapshot —
//! written in one multi-row insert per batch.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use domain::Id;
use domain::access::Actor;
use domain::organisation::OrganisationKind;
use domain::search::fold;
use domain::slug::Slug;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};

use crate::entity::{city, membership, organisation};
use crate::{Db, Error, audit};

mod cities;
mod memberships;
mod organisations;

use crate::write::Unit;
use cities::KnownCity;
use organisations::KnownOrganisation;

/// A city as an official data set gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct CityRecord {
    pub official_code: String,
    pub name: String,
    /// ISO 3166-2 codes from the largest down.
    pub subdivisions: Vec<String>,
    pub population: Option<i64>,
    /// The official code of the city this one is a borough of.
    pub parent_code: Option<String>,
}

/// An organisation as an official data set gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationRecord {
    pub official_code: String,
    pub name: String,
    pub kind: OrganisationKind,
    pub kind_detail: Option<String>,
    pub subdivision: Option<String>,
    /// The official code of the organisation this one belongs to.
    pub parent_code: Option<String>,
}

/// A city member of an organisation, both named by official code.
#[derive(Debug, Clone, PartialEq)]
pub struct MembershipRecord {
    pub organisation_code: String,
    pub member_code: String,
}

/// How many records a batch created, updated, and found as they were.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A record of a batch that was not written, by its index in the batch, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub index: usize,
    pub reason: String,
}

/// What one batch did.
#[derive(Debug, Default)]
pub struct BatchReport {
    pub tally: Tally,
    pub refused: Vec<Refused>,
}

/// A stored record an import knows by official code: the fields it compares and writes.
trait Known: PartialEq + Sized {
    /// What the audit trail calls an update of this kind, and the kind's table.
    const UPDATE: (&'static str, &'static str);

    fn id(&self) -> Id;

    /// The fields an import writes, as the audit trail keeps them.
    fn snapshot(&self) -> Value;

    /// Writes these fields to the stored record of the same id, bumping its version.
    async fn save(&self, batch: &Batch) -> Result<(), Error>;
}

/// Writes one country's official records in batches; see the module documentation.
pub struct Importer<'a> {
    db: &'a Db,
    /// Who writes, in the audit trail: the operator, under the import's name.
    source: String,
    country: String,
    cities: HashMap<String, KnownCity>,
    /// Stored cities of the country without an official code, by folded name.
    uncoded_cities: HashMap<String, Vec<KnownCity>>,
    city_slugs: HashSet<String>,
    organisations: HashMap<String, KnownOrganisation>,
    /// Stored organisations of the country without an official code, by folded name.
    uncoded_organisations: HashMap<String, Vec<KnownOrganisation>>,
    organisation_slugs: HashSet<String>,
    memberships: HashSet<(Id, Id)>,
}

impl<'a> Importer<'a> {
    /// Reads what `country` already holds: four statements, whatever the size. `source` names
    /// the import in the audit trail (`import etalab`).
    pub async fn open(db: &'a Db, country: &str, source: &str) -> Result<Importer<'a>, Error> {
        let conn = db.conn();
        let mut cities = HashMap::new();
        let mut uncoded_cities: HashMap<String, Vec<KnownCity>> = HashMap::new();
        for row in city::Entity::find()
            .filter(Expr::col("country").eq(country))
            .all(conn)
            .await?
        {
            let known = KnownCity::from(&row);
            match row.official_code {
                Some(code) => {
                    cities.insert(code, known);
                }
                None => uncoded_cities
                    .entry(row.search_name)
                    .or_default()
                    .push(known),
            }
        }
        let city_slugs = city::Entity::find()
            .select_only()
            .column(city::Column::Slug)
            .into_tuple::<String>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        let organisations: Vec<organisation::Model> =
            organisation::Entity::find().all(conn).await?;
        let organisation_slugs = organisations.iter().map(|o| o.slug.clone()).collect();
        let mut by_code = HashMap::new();
        let mut uncoded_organisations: HashMap<String, Vec<KnownOrganisation>> = HashMap::new();
        for row in organisations
            .into_iter()
            .filter(|row| row.country.as_deref() == Some(country))
        {
            let known = KnownOrganisation::from(&row);
            match row.official_code {
                Some(code) => {
                    by_code.insert(code, known);
                }
                None => uncoded_organisations
                    .entry(fold(&known.name))
                    .or_default()
                    .push(known),
            }
        }
        let memberships = membership::Entity::find()
            .select_only()
            .column(membership::Column::OrganisationId)
            .column(membership::Column::MemberCityId)
            .filter(Expr::col("member_city_id").is_not_null())
            .filter(Expr::col("end_on").is_null())
            .into_tuple::<(Id, Option<Id>)>()
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|(organisation, city)| Some((organisation, city?)))
            .collect();
        Ok(Importer {
            db,
            source: source.to_owned(),
            country: country.to_owned(),
            cities,
            uncoded_cities,
            city_slugs,
            organisations: by_code,
            uncoded_organisations,
            organisation_slugs,
            memberships,
        })
    }

    /// Whether a city with this official code is stored (or was written by this import).
    pub fn has_city(&self, code: &str) -> bool {
        self.cities.contains_key(code)
    }

    /// Whether an organisation with this official code is stored (or was written by this import).
    pub fn has_organisation(&self, code: &str) -> bool {
        self.organisations.contains_key(code)
    }

    /// Opens a batch: a write unit of its own, by the operator under the import's name.
    async fn begin(&self) -> Result<Batch, Error> {
        Ok(Batch {
            unit: Unit::begin(self.db, Actor::operator(&self.source)).await?,
            report: BatchReport::default(),
            changes: Vec::new(),
        })
    }
}

/// One batch in progress: its write unit, what it reports, and the audit events of what it
/// wrote.
struct Batch {
    unit: Unit,
    report: BatchReport,
    changes: Vec<audit::Change<'static>>,
}

impl Batch {
    fn now(&self) -> DateTime<Utc> {
        self.unit.now()
    }

    /// The record at `index` of the batch is not written, for `reason`.
    fn refuse(&mut self, index: usize, reason: String) {
        self.report.refused.push(Refused { index, reason });
    }

    /// A record was created: `after` is its snapshot.
    fn created(&mut self, action: &'static str, entity_type: &'static str, id: Id, after: Value) {
        self.report.tally.created += 1;
        self.changes.push(audit::Change {
            action,
            entity_type,
            entity_id: id,
            before: None,
            after: Some(after),
        });
    }

    /// Fields of a stored record were changed, from `before` to `after` (the fields the import
    /// writes). The caller counts the record as updated once (`updated`), however many
    /// changes it had.
    fn changed(
        &mut self,
        action: &'static str,
        entity_type: &'static str,
        id: Id,
        (before, after): (Value, Value),
    ) {
        self.changes.push(audit::Change {
            action,
            entity_type,
            entity_id: id,
            before: Some(before),
            after: Some(after),
        });
    }

    /// A stored record was looked at: updated if the batch changed it (its fields, or its code
    /// given by adoption), unchanged otherwise.
    fn counted(&mut self, updated: bool) {
        if updated {
            self.report.tally.updated += 1;
        } else {
            self.report.tally.unchanged += 1;
        }
    }

    /// Brings a stored record to what the data set says of it (`wanted`), noting the change,
    /// and counts it: updated when it changed or was `adopted`, unchanged otherwise.
    async fn reconcile<K: Known>(
        &mut self,
        known: &mut K,
        wanted: K,
        adopted: bool,
    ) -> Result<(), Error> {
        let changed = wanted != *known;
        if changed {
            wanted.save(self).await?;
            let (action, entity_type) = K::UPDATE;
            let snapshots = (known.snapshot(), wanted.snapshot());
            self.changed(action, entity_type, known.id(), snapshots);
            *known = wanted;
        }
        self.counted(changed || adopted);
        Ok(())
    }

    /// The id of the parent a record names by official code, among `known` (`None` when it
    /// names none); `Err` when it names one that is not stored, and the record is refused.
    fn parent<K: Known>(
        &mut self,
        index: usize,
        known: &HashMap<String, K>,
        (what, code): (&str, Option<&String>),
    ) -> Result<Option<Id>, ()> {
        let Some(code) = code else {
            return Ok(None);
        };
        match known.get(code) {
            Some(parent) => Ok(Some(parent.id())),
            None => {
                self.refuse(index, format!("its parent {what} {code} is not stored"));
                Err(())
            }
        }
    }

    /// Records the batch's events in the audit trail and commits it.
    async fn finish(self) -> Result<BatchReport, Error> {
        self.unit.audit_many(self.changes).await?;
        self.unit.commit().await?;
        Ok(self.report)
    }
}

/// Sets the official code of a stored record that had none, in `batch`, and notes the change.
async fn give_code<E: EntityTrait>(
    batch: &mut Batch,
    (action, entity_type): (&'static str, &'static str),
    id: Id,
    code: &str,
) -> Result<(), Error> {
    use sea_orm::sea_query::Alias;
    E::update_many()
        .col_expr(Alias::new("official_code"), Expr::value(code))
        .col_expr(Alias::new("updated_at"), Expr::value(batch.now()))
        .col_expr(Alias::new("version"), Expr::col("version").add(1))
        .filter(Expr::col("id").eq(id))
        .exec(batch.unit.tx())
        .await?;
    batch.changed(
        action,
        entity_type,
        id,
        (
            json!({ "officialCode": null }),
            json!({ "officialCode": code }),
        ),
    );
    Ok(())
}

/// The local part of an ISO 3166-2 code: `FR-95` → `95`.
fn subdivision_local(code: &str) -> &str {
    code.split_once('-').map_or(code, |(_, local)| local)
}

/// The first of the record's slug candidates no record holds yet, now taken.
fn free_slug(taken: &mut HashSet<String>, name: &str, qualifier: &str, code: &str) -> String {
    let candidates = Slug::candidates(name, qualifier, code);
    let free = candidates
        .iter()
        .map(|slug| slug.as_str().to_owned())
        .find(|slug| !taken.contains(slug));
    // Every candidate taken: the code with a counter, which always ends somewhere.
    let slug = free.unwrap_or_else(|| {
        let code = Slug::from_name(code);
        (2..)
            .map(|n| format!("{code}-{n}"))
            .find(|slug| !taken.contains(slug))
            .unwrap_or_default()
    });
    taken.insert(slug.clone());
    slug
}
