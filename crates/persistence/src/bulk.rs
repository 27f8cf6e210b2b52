//! Bulk inserts of generated records: the benchmark's synthetic layer of mayors, partnerships
//! and group purchases over the imported cities. Many rows per statement, one write unit per
//! call, by the operator under the name `generate`: rows are stamped the one way (`Stamped`)
//! and each record is an event of the audit trail (`create_all`). The generator marks every
//! record as synthetic in its slug.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Id;
use domain::access::Actor;
use domain::membership::Member;
use domain::search::fold;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect,
};
use serde_json::{Value, json};

use crate::entity::{Identified, Stamped};
use crate::entity::{
    city, group_purchase, mandate, membership, organisation, participation, partnership,
    partnership_party, person, theme,
};
use crate::write::Unit;
use crate::{Db, Error, audit};

/// Who writes the synthetic layer, in the audit trail.
const GENERATOR: &str = "generate";

/// What a generator draws from: every city with its population, every organisation, every
/// theme, and the current city memberships.
#[derive(Debug, Default)]
pub struct Universe {
    pub cities: Vec<(Id, Option<i64>)>,
    pub organisations: Vec<Id>,
    pub themes: Vec<Id>,
    /// (organisation, member city)
    pub memberships: Vec<(Id, Id)>,
    /// The cities that have a mayor mandate already.
    pub mayors: Vec<Id>,
}

/// Reads the universe in five statements.
pub async fn universe(db: &Db) -> Result<Universe, Error> {
    let conn = db.conn();
    Ok(Universe {
        cities: city::Entity::find()
            .select_only()
            .column(city::Column::Id)
            .column(city::Column::Population)
            .into_tuple()
            .all(conn)
            .await?,
        organisations: organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .into_tuple()
            .all(conn)
            .await?,
        themes: theme::Entity::find()
            .select_only()
            .column(theme::Column::Id)
            .into_tuple()
            .all(conn)
            .await?,
        memberships: membership::Entity::find()
            .select_only()
            .column(membership::Column::OrganisationId)
            .column(membership::Column::MemberCityId)
            .filter(Expr::col("member_city_id").is_not_null())
            .into_tuple::<(Id, Option<Id>)>()
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|(organisation, city)| Some((organisation, city?)))
            .collect(),
        mayors: mandate::Entity::find()
            .select_only()
            .column(mandate::Column::CityId)
            .filter(Expr::col("role").eq(domain::mandate::MandateRole::Mayor.as_str()))
            .filter(Expr::col("city_id").is_not_null())
            .into_tuple::<Option<Id>>()
            .all(conn)
            .await?
            .into_iter()
            .flatten()
            .collect(),
    })
}

/// Whether a partnership's slug starts with `prefix`: a generated layer is already stored.
pub async fn has_partnership_slug_prefix(db: &Db, prefix: &str) -> Result<bool, Error> {
    Ok(partnership::Entity::find()
        .filter(Expr::col("slug").like(format!("{prefix}%")))
        .one(db.conn())
        .await?
        .is_some())
}

/// A person who is the mayor of a city since a day.
#[derive(Debug, Clone)]
pub struct MayorRecord {
    pub city_id: Id,
    pub slug: String,
    pub given_name: String,
    pub family_name: String,
    pub since: NaiveDate,
}

/// A partnership with its parties (in order) and themes.
#[derive(Debug, Clone)]
pub struct PartnershipRecord {
    pub slug: String,
    pub title: String,
    pub kind: domain::partnership::PartnershipKind,
    pub status: domain::partnership::PartnershipStatus,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub parties: Vec<Member>,
    pub themes: Vec<Id>,
}

/// A group purchase with its themes and participating cities.
#[derive(Debug, Clone)]
pub struct GroupPurchaseRecord {
    pub slug: String,
    pub title: String,
    pub organiser_id: Id,
    pub status: domain::group_purchase::Status,
    pub tender_start: NaiveDate,
    pub tender_end: NaiveDate,
    pub themes: Vec<Id>,
    pub participants: Vec<Id>,
}

/// Rows per INSERT: under SQLite's 32,766 bound parameters for the widest table here.
const ROWS_PER_STATEMENT: usize = 1000;

fn edtf(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Inserts models `ROWS_PER_STATEMENT` at a time; returns the stored rows.
async fn insert_returning<A>(
    tx: &DatabaseTransaction,
    rows: Vec<A>,
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, Error>
where
    A: ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    let mut stored = Vec::with_capacity(rows.len());
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        stored.extend(
            A::Entity::insert_many(chunk)
                .exec_with_returning(tx)
                .await?,
        );
    }
    Ok(stored)
}

/// Creates records: rows stamped at the unit's time, inserted many per statement, each
/// recorded in the audit trail as `action` with `snapshot` of it as stored.
pub(crate) async fn create_all<A>(
    unit: &Unit,
    action: &'static str,
    rows: Vec<A>,
    snapshot: impl Fn(&<A::Entity as EntityTrait>::Model) -> Result<Value, Error>,
) -> Result<Vec<<A::Entity as EntityTrait>::Model>, Error>
where
    A: ActiveModelTrait + Stamped + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A> + Identified,
{
    let rows = rows
        .into_iter()
        .map(|mut row| {
            row.stamp_new(unit.now());
            row
        })
        .collect();
    let stored = insert_returning(unit.tx(), rows).await?;
    let entity_type = sea_orm::EntityName::table_name(&A::Entity::default()).to_owned();
    let changes = stored
        .iter()
        .map(|row| {
            Ok(audit::Change {
                action,
                entity_type: &entity_type,
                entity_id: row.id(),
                before: None,
                after: Some(snapshot(row)?),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    unit.audit_many(changes).await?;
    Ok(stored)
}

/// Inserts (left id, theme id) pairs into a link table, many per statement.
async fn insert_links(
    tx: &DatabaseTransaction,
    table: &'static str,
    left: &'static str,
    pairs: &[(Id, Id)],
) -> Result<(), Error> {
    for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
        let mut insert = Query::insert();
        insert.into_table(table).columns([left, "theme_id"]);
        for (id, theme) in chunk {
            insert.values_panic([(*id).into(), (*theme).into()]);
        }
        tx.execute(&insert).await?;
    }
    Ok(())
}

/// Stores mayors: a person and a mayor mandate each, in one transaction.
pub async fn insert_mayors(db: &Db, mayors: &[MayorRecord]) -> Result<(), Error> {
    let unit = Unit::begin(db, Actor::operator(GENERATOR)).await?;
    let people = mayors
        .iter()
        .map(|mayor| {
            let full_name = format!("{} {}", mayor.given_name, mayor.family_name);
            person::ActiveModel {
                slug: Set(mayor.slug.clone()),
                search_name: Set(fold(&full_name)),
                full_name: Set(full_name),
                given_name: Set(Some(mayor.given_name.clone())),
                family_name: Set(Some(mayor.family_name.clone())),
                website: Set(None),
                email: Set(None),
                phone: Set(None),
                ..Default::default()
            }
        })
        .collect();
    let ids: HashMap<String, Id> = create_all(&unit, "create_person", people, |row| {
        Ok(crate::person::snapshot(&crate::rows::person(row.clone())?))
    })
    .await?
    .into_iter()
    .map(|row| (row.slug, row.id))
    .collect();
    let mandates = mayors
        .iter()
        .filter_map(|mayor| {
            Some(mandate::ActiveModel {
                person_id: Set(*ids.get(&mayor.slug)?),
                city_id: Set(Some(mayor.city_id)),
                organisation_id: Set(None),
                role: Set(domain::mandate::MandateRole::Mayor.as_str().to_owned()),
                title: Set("Maire".to_owned()),
                start_on: Set(Some(edtf(mayor.since))),
                start_earliest: Set(Some(mayor.since)),
                end_on: Set(None),
                end_latest: Set(None),
                ..Default::default()
            })
        })
        .collect();
    create_all(&unit, "start_mandate", mandates, |row| {
        Ok(crate::mandate::snapshot(&crate::rows::mandate(
            row.clone(),
        )?))
    })
    .await?;
    unit.commit().await
}

/// Stores partnerships with their parties and themes, in one transaction.
pub async fn insert_partnerships(db: &Db, records: &[PartnershipRecord]) -> Result<(), Error> {
    let unit = Unit::begin(db, Actor::operator(GENERATOR)).await?;
    let rows = records
        .iter()
        .map(|record| partnership::ActiveModel {
            slug: Set(record.slug.clone()),
            title: Set(record.title.clone()),
            title_is_descriptive: Set(true),
            search_name: Set(fold(&record.title)),
            kind: Set(record.kind.as_str().to_owned()),
            status: Set(record.status.as_str().to_owned()),
            summary: Set(None),
            provisions: Set("[]".to_owned()),
            signed_on: Set(Some(edtf(record.start))),
            signing_place_city_id: Set(None),
            start_on: Set(Some(edtf(record.start))),
            start_earliest: Set(Some(record.start)),
            end_on: Set(record.end.map(edtf)),
            end_latest: Set(record.end),
            continues_id: Set(None),
            prior_relationship: Set(None),
            ..Default::default()
        })
        .collect();
    let ids: HashMap<String, Id> = create_all(&unit, "create_partnership", rows, |row| {
        Ok(crate::partnership::snapshot(&crate::rows::partnership(
            row.clone(),
        )?))
    })
    .await?
    .into_iter()
    .map(|row| (row.slug, row.id))
    .collect();
    let mut parties = Vec::new();
    let mut themes = Vec::new();
    for record in records {
        let Some(&id) = ids.get(&record.slug) else {
            continue;
        };
        for (position, party) in record.parties.iter().enumerate() {
            let (city_id, organisation_id) = match *party {
                Member::City(city) => (Some(city), None),
                Member::Organisation(organisation) => (None, Some(organisation)),
            };
            parties.push(partnership_party::ActiveModel {
                partnership_id: Set(id),
                city_id: Set(city_id),
                organisation_id: Set(organisation_id),
                role: Set(domain::partnership::PartyRole::Party.as_str().to_owned()),
                side_of_party_id: Set(None),
                position: Set(position as i32),
                ..Default::default()
            });
        }
        themes.extend(record.themes.iter().map(|theme| (id, *theme)));
    }
    create_all(&unit, "add_partnership_party", parties, |row| {
        Ok(
            json!({ "partnershipId": row.partnership_id, "role": row.role, "cityId": row.city_id,
            "organisationId": row.organisation_id, "sideOfPartyId": row.side_of_party_id }),
        )
    })
    .await?;
    insert_links(unit.tx(), "partnership_theme", "partnership_id", &themes).await?;
    unit.commit().await
}

/// Stores group purchases with their themes and participations, in one transaction.
pub async fn insert_group_purchases(db: &Db, records: &[GroupPurchaseRecord]) -> Result<(), Error> {
    let unit = Unit::begin(db, Actor::operator(GENERATOR)).await?;
    let rows = records
        .iter()
        .map(|record| group_purchase::ActiveModel {
            slug: Set(record.slug.clone()),
            title: Set(record.title.clone()),
            title_is_descriptive: Set(true),
            search_name: Set(fold(&record.title)),
            description: Set(None),
            category: Set(None),
            organiser_id: Set(record.organiser_id),
            origin_partnership_id: Set(None),
            eligibility: Set(Some(
                domain::group_purchase::Eligibility::MembersOfOrganiser
                    .as_str()
                    .to_owned(),
            )),
            status: Set(record.status.as_str().to_owned()),
            tender_start: Set(Some(record.tender_start)),
            tender_end: Set(Some(record.tender_end)),
            estimated_value: Set(None),
            currency: Set(None),
            supplier_id: Set(None),
            contract_start: Set(None),
            contract_end: Set(None),
            ..Default::default()
        })
        .collect();
    let ids: HashMap<String, Id> = create_all(&unit, "create_group_purchase", rows, |row| {
        Ok(crate::group_purchase::snapshot(
            &crate::rows::group_purchase(row.clone())?,
        ))
    })
    .await?
    .into_iter()
    .map(|row| (row.slug, row.id))
    .collect();
    let mut participations = Vec::new();
    let mut themes = Vec::new();
    for record in records {
        let Some(&id) = ids.get(&record.slug) else {
            continue;
        };
        for city in &record.participants {
            participations.push(participation::ActiveModel {
                group_purchase_id: Set(id),
                city_id: Set(*city),
                joined_on: Set(Some(record.tender_start)),
                estimated_quantity: Set(None),
                estimated_amount: Set(None),
                status: Set(domain::group_purchase::ParticipationStatus::Committed
                    .as_str()
                    .to_owned()),
                ..Default::default()
            });
        }
        themes.extend(record.themes.iter().map(|theme| (id, *theme)));
    }
    create_all(&unit, "join_group_purchase", participations, |row| {
        let participation = crate::rows::participation(row.clone())?;
        Ok(crate::group_purchase::participation_snapshot(
            &participation,
        ))
    })
    .await?;
    insert_links(
        unit.tx(),
        "group_purchase_theme",
        "group_purchase_id",
        &themes,
    )
    .await?;
    unit.commit().await
}
