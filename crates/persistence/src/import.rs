//! Bulk imports of official data: cities, organisations and memberships, matched by official
//! code within a country, created or updated in place, one transaction per batch.
//!
//! An `Importer` reads once what the country already holds (codes, slugs, memberships) and
//! keeps it in memory, so a batch costs one multi-row INSERT for its new records, one UPDATE
//! per changed record, and nothing for unchanged ones: a second run of the same data writes
//! nothing. Records that came from the seed documents carry the same official codes, so they
//! are updated, never duplicated; a stored record without a code (the seed gives none for
//! Namur) is adopted when exactly one of the country has the same folded name (and, for a
//! city, no other subdivisions; for an organisation, the same kind): it gets the code. Each batch is recorded in the audit trail (the codes it
//! created and updated) in its own transaction.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use domain::Id;
use domain::organisation::OrganisationKind;
use domain::search::fold;
use domain::slug::Slug;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;

use crate::entity::{city, membership, organisation};
use crate::{Db, Error, audit};

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

/// The stored fields of a city an import compares and writes.
#[derive(Debug, Clone, PartialEq)]
struct KnownCity {
    id: Id,
    name: String,
    subdivision_1: Option<String>,
    subdivision_2: Option<String>,
    population: Option<i64>,
    parent_id: Option<Id>,
}

/// The stored fields of an organisation an import compares and writes.
#[derive(Debug, Clone, PartialEq)]
struct KnownOrganisation {
    id: Id,
    name: String,
    kind: String,
    kind_detail: Option<String>,
    subdivision: Option<String>,
    parent_id: Option<Id>,
}

impl From<&city::Model> for KnownCity {
    fn from(row: &city::Model) -> KnownCity {
        KnownCity {
            id: row.id,
            name: row.name.clone(),
            subdivision_1: row.subdivision_1.clone(),
            subdivision_2: row.subdivision_2.clone(),
            population: row.population,
            parent_id: row.parent_id,
        }
    }
}

impl From<&organisation::Model> for KnownOrganisation {
    fn from(row: &organisation::Model) -> KnownOrganisation {
        KnownOrganisation {
            id: row.id,
            name: row.name.clone(),
            kind: row.kind.clone(),
            kind_detail: row.kind_detail.clone(),
            subdivision: row.subdivision.clone(),
            parent_id: row.parent_id,
        }
    }
}

/// The stored id of the parent a record names by official code (`None` when it names
/// none), or why it cannot have it.
fn parent_id<K>(
    known: &HashMap<String, K>,
    code: Option<&String>,
    what: &str,
    id: fn(&K) -> Id,
) -> Result<Option<Id>, String> {
    match code {
        None => Ok(None),
        Some(code) => known
            .get(code)
            .map(|parent| Some(id(parent)))
            .ok_or_else(|| format!("its parent {what} {code} is not stored")),
    }
}

/// Writes one country's official records in batches; see the module documentation.
pub struct Importer<'a> {
    db: &'a Db,
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
    /// Reads what `country` already holds: four statements, whatever the size.
    pub async fn open(db: &'a Db, country: &str) -> Result<Importer<'a>, Error> {
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

    /// Creates or updates a batch of cities in one transaction. A borough's parent must be
    /// stored already (an earlier batch, or the seed).
    pub async fn cities(&mut self, batch: &[CityRecord]) -> Result<BatchReport, Error> {
        let _turn = self.db.write_turn().await;
        let tx = self.db.begin_write().await?;
        let now = Utc::now();
        let mut report = BatchReport::default();
        let mut new_rows = Vec::new();
        let mut updated_codes = Vec::new();
        for (index, record) in batch.iter().enumerate() {
            let parent_id =
                match parent_id(&self.cities, record.parent_code.as_ref(), "city", |c| c.id) {
                    Ok(parent_id) => parent_id,
                    Err(reason) => {
                        report.refused.push(Refused { index, reason });
                        continue;
                    }
                };
            let adopted = !self.cities.contains_key(&record.official_code)
                && self.adopt_city(&tx, record).await?;
            let Some(known) = self.cities.get_mut(&record.official_code) else {
                let slug = free_slug(
                    &mut self.city_slugs,
                    &record.name,
                    record
                        .subdivisions
                        .last()
                        .map_or("", |s| subdivision_local(s)),
                    &record.official_code,
                );
                new_rows.push(city::ActiveModel {
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                    slug: Set(slug),
                    name: Set(record.name.clone()),
                    search_name: Set(fold(&record.name)),
                    other_names: Set("[]".to_owned()),
                    country: Set(self.country.clone()),
                    subdivision_1: Set(record.subdivisions.first().cloned()),
                    subdivision_2: Set(record.subdivisions.get(1).cloned()),
                    official_code: Set(Some(record.official_code.clone())),
                    population: Set(record.population),
                    population_year: Set(None),
                    latitude: Set(None),
                    longitude: Set(None),
                    website: Set(None),
                    parent_id: Set(parent_id),
                    ..Default::default()
                });
                continue;
            };
            let wanted = KnownCity {
                id: known.id,
                name: record.name.clone(),
                subdivision_1: record.subdivisions.first().cloned(),
                subdivision_2: record.subdivisions.get(1).cloned(),
                population: record.population.or(known.population),
                parent_id: parent_id.or(known.parent_id),
            };
            if wanted == *known {
                if adopted {
                    report.tally.updated += 1;
                    updated_codes.push(record.official_code.clone());
                } else {
                    report.tally.unchanged += 1;
                }
                continue;
            }
            city::Entity::update_many()
                .col_expr(city::Column::Name, Expr::value(wanted.name.clone()))
                .col_expr(city::Column::SearchName, Expr::value(fold(&wanted.name)))
                .col_expr(
                    city::Column::Subdivision1,
                    Expr::value(wanted.subdivision_1.clone()),
                )
                .col_expr(
                    city::Column::Subdivision2,
                    Expr::value(wanted.subdivision_2.clone()),
                )
                .col_expr(city::Column::Population, Expr::value(wanted.population))
                .col_expr(city::Column::ParentId, Expr::value(wanted.parent_id))
                .col_expr(city::Column::UpdatedAt, Expr::value(now))
                .col_expr(city::Column::Version, Expr::col("version").add(1))
                .filter(Expr::col("id").eq(known.id))
                .exec(&tx)
                .await?;
            *known = wanted;
            report.tally.updated += 1;
            updated_codes.push(record.official_code.clone());
        }
        let mut created_codes = Vec::new();
        if !new_rows.is_empty() {
            for row in city::Entity::insert_many(new_rows)
                .exec_with_returning(&tx)
                .await?
            {
                let Some(code) = row.official_code.clone() else {
                    continue;
                };
                created_codes.push(code.clone());
                self.cities.insert(code, KnownCity::from(&row));
            }
        }
        report.tally.created = created_codes.len();
        record_batch(&tx, "import_cities", "city", &created_codes, &updated_codes).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Creates or updates a batch of organisations in one transaction. A parent must be stored
    /// already (an earlier batch, or the seed).
    pub async fn organisations(
        &mut self,
        batch: &[OrganisationRecord],
    ) -> Result<BatchReport, Error> {
        let _turn = self.db.write_turn().await;
        let tx = self.db.begin_write().await?;
        let now = Utc::now();
        let mut report = BatchReport::default();
        let mut new_rows = Vec::new();
        let mut updated_codes = Vec::new();
        for (index, record) in batch.iter().enumerate() {
            let parent_id = match parent_id(
                &self.organisations,
                record.parent_code.as_ref(),
                "organisation",
                |o| o.id,
            ) {
                Ok(parent_id) => parent_id,
                Err(reason) => {
                    report.refused.push(Refused { index, reason });
                    continue;
                }
            };
            let adopted = !self.organisations.contains_key(&record.official_code)
                && self.adopt_organisation(&tx, record).await?;
            let Some(known) = self.organisations.get_mut(&record.official_code) else {
                let slug = free_slug(
                    &mut self.organisation_slugs,
                    &record.name,
                    record.subdivision.as_deref().map_or("", subdivision_local),
                    &record.official_code,
                );
                new_rows.push(organisation::ActiveModel {
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                    slug: Set(slug),
                    name: Set(record.name.clone()),
                    name_is_descriptive: Set(false),
                    search_name: Set(fold(&record.name)),
                    acronym: Set(None),
                    other_names: Set("[]".to_owned()),
                    kind: Set(record.kind.as_str().to_owned()),
                    kind_detail: Set(record.kind_detail.clone()),
                    description: Set(None),
                    missions: Set("[]".to_owned()),
                    founded: Set(None),
                    website: Set(None),
                    country: Set(Some(self.country.clone())),
                    subdivision: Set(record.subdivision.clone()),
                    headquarters_city_id: Set(None),
                    owning_city_id: Set(None),
                    parent_id: Set(parent_id),
                    official_code: Set(Some(record.official_code.clone())),
                    ..Default::default()
                });
                continue;
            };
            let wanted = KnownOrganisation {
                id: known.id,
                name: record.name.clone(),
                kind: record.kind.as_str().to_owned(),
                kind_detail: record.kind_detail.clone().or(known.kind_detail.clone()),
                subdivision: record.subdivision.clone().or(known.subdivision.clone()),
                parent_id: parent_id.or(known.parent_id),
            };
            if wanted == *known {
                if adopted {
                    report.tally.updated += 1;
                    updated_codes.push(record.official_code.clone());
                } else {
                    report.tally.unchanged += 1;
                }
                continue;
            }
            organisation::Entity::update_many()
                .col_expr(organisation::Column::Name, Expr::value(wanted.name.clone()))
                .col_expr(
                    organisation::Column::SearchName,
                    Expr::value(fold(&wanted.name)),
                )
                .col_expr(organisation::Column::Kind, Expr::value(wanted.kind.clone()))
                .col_expr(
                    organisation::Column::KindDetail,
                    Expr::value(wanted.kind_detail.clone()),
                )
                .col_expr(
                    organisation::Column::Subdivision,
                    Expr::value(wanted.subdivision.clone()),
                )
                .col_expr(
                    organisation::Column::ParentId,
                    Expr::value(wanted.parent_id),
                )
                .col_expr(organisation::Column::UpdatedAt, Expr::value(now))
                .col_expr(organisation::Column::Version, Expr::col("version").add(1))
                .filter(Expr::col("id").eq(known.id))
                .exec(&tx)
                .await?;
            *known = wanted;
            report.tally.updated += 1;
            updated_codes.push(record.official_code.clone());
        }
        let mut created_codes = Vec::new();
        if !new_rows.is_empty() {
            for row in organisation::Entity::insert_many(new_rows)
                .exec_with_returning(&tx)
                .await?
            {
                let Some(code) = row.official_code.clone() else {
                    continue;
                };
                created_codes.push(code.clone());
                self.organisations
                    .insert(code, KnownOrganisation::from(&row));
            }
        }
        report.tally.created = created_codes.len();
        record_batch(
            &tx,
            "import_organisations",
            "organisation",
            &created_codes,
            &updated_codes,
        )
        .await?;
        tx.commit().await?;
        Ok(report)
    }

    /// Gives the record's code to the one stored city of the country without a code, with the
    /// same folded name and no other subdivisions; tells whether there was one.
    async fn adopt_city(
        &mut self,
        tx: &DatabaseTransaction,
        record: &CityRecord,
    ) -> Result<bool, Error> {
        let Some(candidates) = self.uncoded_cities.get_mut(&fold(&record.name)) else {
            return Ok(false);
        };
        let fits = |stored: &Option<String>, given: Option<&String>| {
            stored.is_none() || stored.as_ref() == given
        };
        let matching: Vec<usize> = (0..candidates.len())
            .filter(|&i| {
                fits(&candidates[i].subdivision_1, record.subdivisions.first())
                    && fits(&candidates[i].subdivision_2, record.subdivisions.get(1))
            })
            .collect();
        let [index] = matching[..] else {
            return Ok(false);
        };
        let known = candidates.swap_remove(index);
        give_code::<city::Entity>(tx, known.id, &record.official_code).await?;
        self.cities.insert(record.official_code.clone(), known);
        Ok(true)
    }

    /// Gives the record's code to the one stored organisation of the country without a code,
    /// with the same folded name and kind; tells whether there was one.
    async fn adopt_organisation(
        &mut self,
        tx: &DatabaseTransaction,
        record: &OrganisationRecord,
    ) -> Result<bool, Error> {
        let Some(candidates) = self.uncoded_organisations.get_mut(&fold(&record.name)) else {
            return Ok(false);
        };
        let matching: Vec<usize> = (0..candidates.len())
            .filter(|&i| candidates[i].kind == record.kind.as_str())
            .collect();
        let [index] = matching[..] else {
            return Ok(false);
        };
        let known = candidates.swap_remove(index);
        give_code::<organisation::Entity>(tx, known.id, &record.official_code).await?;
        self.organisations
            .insert(record.official_code.clone(), known);
        Ok(true)
    }

    /// Adds the current memberships of a batch that are not stored yet, in one transaction.
    /// Memberships are never removed: the data sets give no end date.
    pub async fn memberships(&mut self, batch: &[MembershipRecord]) -> Result<BatchReport, Error> {
        let _turn = self.db.write_turn().await;
        let tx = self.db.begin_write().await?;
        let now = Utc::now();
        let mut report = BatchReport::default();
        let mut new_rows = Vec::new();
        let mut created = Vec::new();
        for (index, record) in batch.iter().enumerate() {
            let Some(organisation) = self.organisations.get(&record.organisation_code) else {
                report.refused.push(Refused {
                    index,
                    reason: format!("organisation {} is not stored", record.organisation_code),
                });
                continue;
            };
            let Some(city) = self.cities.get(&record.member_code) else {
                report.refused.push(Refused {
                    index,
                    reason: format!("member city {} is not stored", record.member_code),
                });
                continue;
            };
            if !self.memberships.insert((organisation.id, city.id)) {
                report.tally.unchanged += 1;
                continue;
            }
            created.push(format!(
                "{}:{}",
                record.organisation_code, record.member_code
            ));
            new_rows.push(membership::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                organisation_id: Set(organisation.id),
                member_city_id: Set(Some(city.id)),
                member_organisation_id: Set(None),
                kind: Set(domain::membership::MembershipKind::Member
                    .as_str()
                    .to_owned()),
                start_on: Set(None),
                start_earliest: Set(None),
                end_on: Set(None),
                end_latest: Set(None),
                ..Default::default()
            });
        }
        if !new_rows.is_empty() {
            membership::Entity::insert_many(new_rows)
                .exec_without_returning(&tx)
                .await?;
        }
        report.tally.created = created.len();
        record_batch(&tx, "import_memberships", "membership", &created, &[]).await?;
        tx.commit().await?;
        Ok(report)
    }
}

/// Sets the official code of a stored record that had none.
async fn give_code<E: EntityTrait>(
    tx: &DatabaseTransaction,
    id: Id,
    code: &str,
) -> Result<(), Error> {
    E::update_many()
        .col_expr(
            sea_orm::sea_query::Alias::new("official_code"),
            Expr::value(code),
        )
        .col_expr(
            sea_orm::sea_query::Alias::new("updated_at"),
            Expr::value(Utc::now()),
        )
        .col_expr(
            sea_orm::sea_query::Alias::new("version"),
            Expr::col("version").add(1),
        )
        .filter(Expr::col("id").eq(id))
        .exec(tx)
        .await?;
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

/// Records what a batch wrote in the audit trail, unless it wrote nothing.
async fn record_batch(
    tx: &DatabaseTransaction,
    action: &str,
    entity_type: &str,
    created: &[String],
    updated: &[String],
) -> Result<(), Error> {
    if created.is_empty() && updated.is_empty() {
        return Ok(());
    }
    audit::record(
        tx,
        &domain::access::Actor::operator(audit::COMMAND_LINE),
        chrono::Utc::now(),
        audit::Change {
            action,
            entity_type,
            entity_id: 0,
            before: None,
            after: Some(json!({ "created": created, "updated": updated })),
        },
    )
    .await
}
