//! Bulk inserts of generated records: the benchmark's synthetic layer of mayors, partnerships
//! and group purchases over the imported cities. Many rows per statement, one transaction per
//! call; the generator marks every record as synthetic in its slug.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use domain::Id;
use domain::membership::Member;
use domain::search::fold;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QuerySelect,
};

use crate::entity::{
    city, group_purchase, mandate, membership, organisation, participation, partnership,
    partnership_party, person, theme,
};
use crate::{Db, Error};

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

/// Inserts models `ROWS_PER_STATEMENT` at a time.
async fn insert_all<A>(tx: &DatabaseTransaction, rows: Vec<A>) -> Result<(), Error>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(ROWS_PER_STATEMENT).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(tx)
            .await?;
    }
    Ok(())
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
    let _turn = db.write_turn().await;
    let tx = db.begin_write().await?;
    let now = Utc::now();
    let people = mayors
        .iter()
        .map(|mayor| {
            let full_name = format!("{} {}", mayor.given_name, mayor.family_name);
            person::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
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
    let ids: HashMap<String, Id> = insert_returning(&tx, people)
        .await?
        .into_iter()
        .map(|row| (row.slug, row.id))
        .collect();
    let mandates = mayors
        .iter()
        .filter_map(|mayor| {
            Some(mandate::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
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
    insert_all(&tx, mandates).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores partnerships with their parties and themes, in one transaction.
pub async fn insert_partnerships(db: &Db, records: &[PartnershipRecord]) -> Result<(), Error> {
    let _turn = db.write_turn().await;
    let tx = db.begin_write().await?;
    let now = Utc::now();
    let rows = records
        .iter()
        .map(|record| partnership::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
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
    let ids: HashMap<String, Id> = insert_returning(&tx, rows)
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
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
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
    insert_all(&tx, parties).await?;
    insert_links(&tx, "partnership_theme", "partnership_id", &themes).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores group purchases with their themes and participations, in one transaction.
pub async fn insert_group_purchases(db: &Db, records: &[GroupPurchaseRecord]) -> Result<(), Error> {
    let _turn = db.write_turn().await;
    let tx = db.begin_write().await?;
    let now = Utc::now();
    let rows = records
        .iter()
        .map(|record| group_purchase::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
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
    let ids: HashMap<String, Id> = insert_returning(&tx, rows)
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
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
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
    insert_all(&tx, participations).await?;
    insert_links(&tx, "group_purchase_theme", "group_purchase_id", &themes).await?;
    tx.commit().await?;
    Ok(())
}
