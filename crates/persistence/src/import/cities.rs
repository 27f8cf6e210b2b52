//! Importing cities: created, updated in place, or adopted by official code.

use domain::Id;
use domain::search::fold;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{Batch, BatchReport, CityRecord, Importer, free_slug, give_code};
use crate::Error;
use crate::entity::{Stamped, city};

/// The stored fields of a city an import compares and writes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KnownCity {
    pub(super) id: Id,
    name: String,
    subdivision_1: Option<String>,
    subdivision_2: Option<String>,
    population: Option<i64>,
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

impl super::Known for KnownCity {
    const UPDATE: (&'static str, &'static str) = ("update_city", "city");

    fn id(&self) -> Id {
        self.id
    }

    fn snapshot(&self) -> Value {
        let subdivisions: Vec<&String> = self
            .subdivision_1
            .iter()
            .chain(self.subdivision_2.iter())
            .collect();
        json!({
            "name": self.name, "subdivisions": subdivisions, "population": self.population,
            "parentId": self.parent_id,
        })
    }

    async fn save(&self, batch: &Batch) -> Result<(), Error> {
        city::Entity::update_many()
            .col_expr(city::Column::Name, Expr::value(self.name.clone()))
            .col_expr(city::Column::SearchName, Expr::value(fold(&self.name)))
            .col_expr(
                city::Column::Subdivision1,
                Expr::value(self.subdivision_1.clone()),
            )
            .col_expr(
                city::Column::Subdivision2,
                Expr::value(self.subdivision_2.clone()),
            )
            .col_expr(city::Column::Population, Expr::value(self.population))
            .col_expr(city::Column::ParentId, Expr::value(self.parent_id))
            .col_expr(city::Column::UpdatedAt, Expr::value(batch.now()))
            .col_expr(city::Column::Version, Expr::col("version").add(1))
            .filter(Expr::col(city::Column::Id).eq(self.id))
            .exec(batch.unit.tx())
            .await?;
        Ok(())
    }
}

impl Importer<'_> {
    /// Creates or updates a batch of cities in one write unit. A borough's parent must be
    /// stored already (an earlier batch, or the seed).
    pub async fn cities(&mut self, records: &[CityRecord]) -> Result<BatchReport, Error> {
        let mut batch = self.begin().await?;
        let mut new_rows = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let named = ("city", record.parent_code.as_ref());
            let Ok(parent_id) = batch.parent(index, &self.cities, named) else {
                continue;
            };
            let adopted = !self.cities.contains_key(&record.official_code)
                && self.adopt_city(&mut batch, record).await?;
            let Some(known) = self.cities.get_mut(&record.official_code) else {
                new_rows.push(self.new_city(record, parent_id, &batch));
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
            batch.reconcile(known, wanted, adopted).await?;
        }
        if !new_rows.is_empty() {
            for row in city::Entity::insert_many(new_rows)
                .exec_with_returning(batch.unit.tx())
                .await?
            {
                let created = crate::rows::city(row.clone())?;
                batch.created(
                    "create_city",
                    "city",
                    row.id,
                    crate::city::snapshot(&created),
                );
                if let Some(code) = row.official_code.clone() {
                    self.cities.insert(code, KnownCity::from(&row));
                }
            }
        }
        batch.finish().await
    }

    /// A new city's row, with a slug no other city holds, stamped at the batch's time.
    fn new_city(
        &mut self,
        record: &CityRecord,
        parent_id: Option<Id>,
        batch: &Batch,
    ) -> city::ActiveModel {
        let qualifier = record
            .subdivisions
            .last()
            .map_or("", |s| super::subdivision_local(s));
        let slug = free_slug(
            &mut self.city_slugs,
            &record.name,
            qualifier,
            &record.official_code,
        );
        let mut row = city::ActiveModel {
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
        };
        row.stamp_new(batch.now());
        row
    }

    /// Gives the record's code to the one stored city of the country without a code, with the
    /// same folded name and no other subdivisions; tells whether there was one.
    async fn adopt_city(&mut self, batch: &mut Batch, record: &CityRecord) -> Result<bool, Error> {
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
        give_code::<city::Entity>(
            batch,
            ("update_city", "city"),
            known.id,
            &record.official_code,
        )
        .await?;
        self.cities.insert(record.official_code.clone(), known);
        Ok(true)
    }
}
