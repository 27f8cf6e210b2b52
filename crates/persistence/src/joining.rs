//! What cities may join on a day: the openings (group purchases, programme calls,
//! partnerships open to new parties), each city's standing, and the domain's verdict — for
//! any number of cities: the day's openings kept until the trail moves (`OpeningsCache`),
//! each city's standing in four statements.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Days, NaiveDate};
use domain::Id;
use domain::group_purchase::{GroupPurchase, Status};
use domain::joining::{Opening, Refusal, Standing, check};
use domain::membership::Member;
use domain::partnership::{Partnership, PartnershipStatus};
use domain::programme::{Edition, OrganiserRole, Programme};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::entity::*;
use crate::stored::{by_ids, convert};
use crate::{Db, Error, by_parent};

/// Openings whose deadline passed up to this many days before the day asked are still
/// shown, with the reason a city may no longer join.
const RECENTLY_CLOSED_DAYS: u64 = 90;

/// The verdict on a city joining an opening: it may, or it may not and why.
#[derive(Debug, Clone, PartialEq)]
pub struct JoinVerdict {
    pub opening: OpeningId,
    /// Why the city may not join; none when it may.
    pub refusal: Option<Refusal>,
}

/// An opening, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpeningId {
    GroupPurchase(Id),
    Edition(Id),
    Partnership(Id),
}

struct Openings {
    purchases: Vec<GroupPurchase>,
    editions: Vec<(Programme, Edition, Vec<Id>)>,
    partnerships: Vec<(Partnership, Vec<Id>)>,
}

/// The openings of one day as the directory stood at one event of the trail: read once, and
/// again only when something was written (by any process) or another day is asked.
#[derive(Default)]
pub(crate) struct OpeningsCache {
    kept: tokio::sync::Mutex<Option<(Id, NaiveDate, Arc<Openings>)>>,
}

impl std::fmt::Debug for OpeningsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpeningsCache")
    }
}

impl OpeningsCache {
    /// The openings of `day` as of `event` or later.
    async fn at(&self, db: &Db, event: Id, day: NaiveDate) -> Result<Arc<Openings>, Error> {
        let mut kept = self.kept.lock().await;
        if let Some((_, _, openings)) = kept
            .as_ref()
            .filter(|(at, kept_day, _)| *at >= event && *kept_day == day)
        {
            return Ok(openings.clone());
        }
        let fresh = Arc::new(openings(db, day).await?);
        *kept = Some((event, day, fresh.clone()));
        Ok(fresh)
    }
}

async fn openings(db: &Db, day: NaiveDate) -> Result<Openings, Error> {
    let recent = day
        .checked_sub_days(Days::new(RECENTLY_CLOSED_DAYS))
        .unwrap_or(day);
    let purchases: Vec<GroupPurchase> = convert(
        group_purchase::Entity::find()
            .filter(
                Expr::col("status")
                    .is_in([Status::Planned.as_str(), Status::Open.as_str()])
                    .or(Expr::col("status")
                        .eq(Status::Closed.as_str())
                        .and(Expr::col("tender_end").gte(recent))),
            )
            .order_by_asc(Expr::col("search_name"))
            .order_by_asc(Expr::col("id"))
            .all(db.conn())
            .await?,
    )?;

    let editions: Vec<Edition> = convert(
        programme_edition::Entity::find()
            .filter(
                Expr::col("call_deadline")
                    .gte(recent)
                    .or(Expr::col("call_deadline")
                        .is_null()
                        .and(Expr::col("call_opens").is_not_null())),
            )
            .order_by_asc(Expr::col("programme_id"))
            .order_by_asc(Expr::col("number"))
            .all(db.conn())
            .await?,
    )?;
    let mut programme_ids: Vec<Id> = editions.iter().map(|e| e.programme_id).collect();
    programme_ids.sort_unstable();
    programme_ids.dedup();
    let programmes = by_ids::<Programme>(db, &programme_ids).await?;
    let organisers = by_parent::organisers_of_programmes(db, &programme_ids).await?;
    let editions = editions
        .into_iter()
        .filter_map(|edition| {
            let programme = programmes.get(&edition.programme_id)?.clone();
            let owners = organisers
                .get(&programme.id)
                .map(|list| {
                    list.iter()
                        .filter(|o| o.role == OrganiserRole::Owner)
                        .map(|o| o.organisation_id)
                        .collect()
                })
                .unwrap_or_default();
            Some((programme, edition, owners))
        })
        .collect();

    let partnerships: Vec<Partnership> = convert(
        partnership::Entity::find()
            .filter(Expr::col("accession").is_not_null())
            .filter(Expr::col("status").eq(PartnershipStatus::Active.as_str()))
            .order_by_asc(Expr::col("search_name"))
            .order_by_asc(Expr::col("id"))
            .all(db.conn())
            .await?,
    )?;
    let ids: Vec<Id> = partnerships.iter().map(|p| p.id).collect();
    let mut parties = by_parent::parties_of_partnerships(db, &ids).await?;
    let partnerships = partnerships
        .into_iter()
        .map(|partnership| {
            let organisations = parties
                .remove(&partnership.id)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|party| match party.actor {
                    Member::Organisation(id) => Some(id),
                    Member::City(_) => None,
                })
                .collect();
            (partnership, organisations)
        })
        .collect();
    Ok(Openings {
        purchases,
        editions,
        partnerships,
    })
}

async fn standings(db: &Db, city_ids: &[Id]) -> Result<HashMap<Id, Standing>, Error> {
    let mut standings: HashMap<Id, Standing> = city_ids
        .iter()
        .map(|id| (*id, Standing::default()))
        .collect();
    for (city, memberships) in by_parent::memberships_of_cities(db, city_ids).await? {
        if let Some(standing) = standings.get_mut(&city) {
            standing.memberships = memberships;
        }
    }
    for (city, participations) in by_parent::participations_of_cities(db, city_ids).await? {
        if let Some(standing) = standings.get_mut(&city) {
            standing.group_purchases = participations
                .iter()
                .filter(|p| p.status != domain::group_purchase::ParticipationStatus::Withdrawn)
                .map(|p| p.group_purchase_id)
                .collect();
        }
    }
    for (city, participants) in by_parent::programme_participations_of_cities(db, city_ids).await? {
        if let Some(standing) = standings.get_mut(&city) {
            standing.editions = participants.iter().filter_map(|p| p.edition_id).collect();
        }
    }
    for (city, parties) in by_parent::parties_of_cities(db, city_ids).await? {
        if let Some(standing) = standings.get_mut(&city) {
            standing.partnerships = parties.iter().map(|p| p.partnership_id).collect();
        }
    }
    Ok(standings)
}

/// For each city, every opening of `day` with the domain's verdict: group purchases first,
/// then programme calls, then partnerships.
pub async fn joinable(
    db: &Db,
    city_ids: &[Id],
    day: NaiveDate,
) -> Result<HashMap<Id, Vec<JoinVerdict>>, Error> {
    if city_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Read before the openings: openings read after it hold at least this event.
    let event = crate::peers::latest_event(db).await?;
    let openings = db.openings.at(db, event, day).await?;
    let standings = standings(db, city_ids).await?;
    let all: Vec<(OpeningId, Opening<'_>)> = openings
        .purchases
        .iter()
        .map(|p| (OpeningId::GroupPurchase(p.id), Opening::GroupPurchase(p)))
        .chain(
            openings
                .editions
                .iter()
                .map(|(programme, edition, owners)| {
                    (
                        OpeningId::Edition(edition.id),
                        Opening::Edition {
                            programme,
                            edition,
                            owners,
                        },
                    )
                }),
        )
        .chain(
            openings
                .partnerships
                .iter()
                .map(|(partnership, organisations)| {
                    (
                        OpeningId::Partnership(partnership.id),
                        Opening::Partnership {
                            partnership,
                            party_organisations: organisations,
                        },
                    )
                }),
        )
        .collect();
    Ok(standings
        .into_iter()
        .map(|(city, standing)| {
            let verdicts = all
                .iter()
                .map(|(id, opening)| JoinVerdict {
                    opening: *id,
                    refusal: check(*opening, &standing, day).err(),
                })
                .collect();
            (city, verdicts)
        })
        .collect())
}
