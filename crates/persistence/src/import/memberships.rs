//! Importing memberships: a city member of an organisation, both named by official code.

use sea_orm::{ActiveValue::Set, EntityTrait};

use super::{BatchReport, Importer, MembershipRecord};
use crate::Error;
use crate::entity::{Stamped, membership};

impl Importer<'_> {
    /// Adds the current memberships of a batch that are not stored yet, in one write unit.
    /// Memberships are never removed: the data sets give no end date.
    pub async fn memberships(
        &mut self,
        records: &[MembershipRecord],
    ) -> Result<BatchReport, Error> {
        let mut batch = self.begin().await?;
        let mut new_rows = Vec::new();
        for (index, record) in records.iter().enumerate() {
            let Some(organisation) = self.organisations.get(&record.organisation_code) else {
                let reason = format!("organisation {} is not stored", record.organisation_code);
                batch.refuse(index, reason);
                continue;
            };
            let Some(city) = self.cities.get(&record.member_code) else {
                let reason = format!("member city {} is not stored", record.member_code);
                batch.refuse(index, reason);
                continue;
            };
            if !self.memberships.insert((organisation.id, city.id)) {
                batch.counted(false);
                continue;
            }
            let mut row = membership::ActiveModel {
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
            };
            row.stamp_new(batch.now());
            new_rows.push(row);
        }
        if !new_rows.is_empty() {
            for row in membership::Entity::insert_many(new_rows)
                .exec_with_returning(batch.unit.tx())
                .await?
            {
                let id = row.id;
                let snapshot = crate::membership::snapshot(&crate::rows::membership(row)?);
                batch.created("add_membership", "membership", id, snapshot);
            }
        }
        batch.finish().await
    }
}
