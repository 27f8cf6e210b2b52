//! Importing organisations: created, updated in place, or adopted by official code.

use domain::Id;
use domain::search::fold;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use super::{Batch, BatchReport, Importer, OrganisationRecord, free_slug, give_code};
use crate::Error;
use crate::entity::{Stamped, organisation};

/// The stored fields of an organisation an import compares and writes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct KnownOrganisation {
    pub(super) id: Id,
    pub(super) name: String,
    kind: String,
    kind_detail: Option<String>,
    subdivision: Option<String>,
    parent_id: Option<Id>,
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

impl Importer<'_> {
    /// Creates or updates a batch of organisations in one write unit. A parent must be stored
    /// already (an earlier batch, or the seed).
    pub async fn organisations(
        &mut self,
        records: &[OrganisationRecord],
    ) -> Result<BatchReport, Error> {
        let mut batch = self.begin().await?;
        let mut new_rows = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let named = ("organisation", record.parent_code.as_ref());
            let Ok(parent_id) = batch.parent(index, &self.organisations, named) else {
                continue;
            };
            let adopted = !self.organisations.contains_key(&record.official_code)
                && self.adopt_organisation(&mut batch, record).await?;
            let Some(known) = self.organisations.get_mut(&record.official_code) else {
                new_rows.push(self.new_organisation(record, parent_id, &batch));
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
            batch.reconcile(known, wanted, adopted).await?;
        }
        if !new_rows.is_empty() {
            for row in organisation::Entity::insert_many(new_rows)
                .exec_with_returning(batch.unit.tx())
                .await?
            {
                let created = crate::rows::organisation(row.clone())?;
                let snapshot = crate::organisation::snapshot(&created);
                batch.created("create_organisation", "organisation", row.id, snapshot);
                if let Some(code) = row.official_code.clone() {
                    self.organisations
                        .insert(code, KnownOrganisation::from(&row));
                }
            }
        }
        batch.finish().await
    }

    /// A new organisation's row, with a slug no other holds, stamped at the batch's time.
    fn new_organisation(
        &mut self,
        record: &OrganisationRecord,
        parent_id: Option<Id>,
        batch: &Batch,
    ) -> organisation::ActiveModel {
        let slug = free_slug(
            &mut self.organisation_slugs,
            &record.name,
            record
                .subdivision
                .as_deref()
                .map_or("", super::subdivision_local),
            &record.official_code,
        );
        let mut row = organisation::ActiveModel {
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
        };
        row.stamp_new(batch.now());
        row
    }

    /// Gives the record's code to the one stored organisation of the country without a code,
    /// with the same folded name and kind; tells whether there was one.
    async fn adopt_organisation(
        &mut self,
        batch: &mut Batch,
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
        let kind = ("update_organisation", "organisation");
        give_code::<organisation::Entity>(batch, kind, known.id, &record.official_code).await?;
        self.organisations
            .insert(record.official_code.clone(), known);
        Ok(true)
    }
}

impl super::Known for KnownOrganisation {
    const UPDATE: (&'static str, &'static str) = ("update_organisation", "organisation");

    fn id(&self) -> Id {
        self.id
    }

    fn snapshot(&self) -> Value {
        json!({
            "name": self.name, "kind": self.kind, "kindDetail": self.kind_detail,
            "subdivision": self.subdivision, "parentId": self.parent_id,
        })
    }

    async fn save(&self, batch: &Batch) -> Result<(), Error> {
        organisation::Entity::update_many()
            .col_expr(organisation::Column::Name, Expr::value(self.name.clone()))
            .col_expr(
                organisation::Column::SearchName,
                Expr::value(fold(&self.name)),
            )
            .col_expr(organisation::Column::Kind, Expr::value(self.kind.clone()))
            .col_expr(
                organisation::Column::KindDetail,
                Expr::value(self.kind_detail.clone()),
            )
            .col_expr(
                organisation::Column::Subdivision,
                Expr::value(self.subdivision.clone()),
            )
            .col_expr(organisation::Column::ParentId, Expr::value(self.parent_id))
            .col_expr(organisation::Column::UpdatedAt, Expr::value(batch.now()))
            .col_expr(organisation::Column::Version, Expr::col("version").add(1))
            .filter(Expr::col(organisation::Column::Id).eq(self.id))
            .exec(batch.unit.tx())
            .await?;
        Ok(())
    }
}
