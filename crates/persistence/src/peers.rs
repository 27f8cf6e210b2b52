//! The profiles behind `City.peers`: every city's memberships and themes, read in six
//! statements into a [`PeerIndex`] that serves every request until the directory changes — a
//! new audit event, by this process or another — and the peers already ranked from it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::Id;
use domain::peers::{Peer, PeerIndex, Profile};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

use crate::{Db, Error};

/// How a city is tied to themes: a record of `record_table` names the city in `city_id`,
/// and the link table ties `record_table.record_column` to themes.
struct ThemePath {
    link_table: &'static str,
    link_column: &'static str,
    record_table: &'static str,
    record_column: &'static str,
    /// The record's link to a partnership, if it has one: a draft's themes are nobody's
    /// business but its parties', so records linked to a draft do not count
    /// (`list::shown_partnerships`, as for an anonymous caller: peers are the same for all).
    partnership_column: Option<&'static str>,
}

/// Initiatives, partnerships (as a party), programmes (as a participant), group purchases.
const THEME_PATHS: [ThemePath; 4] = [
    ThemePath {
        link_table: "initiative_theme",
        link_column: "initiative_id",
        record_table: "initiative",
        record_column: "id",
        partnership_column: Some("partnership_id"),
    },
    ThemePath {
        link_table: "partnership_theme",
        link_column: "partnership_id",
        record_table: "partnership_party",
        record_column: "partnership_id",
        partnership_column: Some("partnership_id"),
    },
    ThemePath {
        link_table: "programme_theme",
        link_column: "programme_id",
        record_table: "programme_participant",
        record_column: "programme_id",
        partnership_column: None,
    },
    ThemePath {
        link_table: "group_purchase_theme",
        link_column: "group_purchase_id",
        record_table: "participation",
        record_column: "group_purchase_id",
        partnership_column: None,
    },
];

/// Every (city, theme) pair along one path.
async fn city_themes(db: &Db, path: &ThemePath) -> Result<Vec<(Id, Id)>, Error> {
    let mut query = Query::select()
        .distinct()
        .expr_as(Expr::col((path.record_table, "city_id")), "city_id")
        .expr_as(Expr::col((path.link_table, "theme_id")), "theme_id")
        .from(path.link_table)
        .inner_join(
            path.record_table,
            Expr::col((path.record_table, path.record_column))
                .equals((path.link_table, path.link_column)),
        )
        .and_where(Expr::col((path.record_table, "city_id")).is_not_null())
        .to_owned();
    if let Some(column) = path.partnership_column
        && let Some(shown) = crate::list::shown_partnerships(
            (path.record_table, column),
            domain::access::DraftScope::None,
        )
    {
        query.and_where(shown);
    }
    let rows = db.conn().query_all(&query).await?;
    rows.into_iter()
        .map(|row| Ok((row.try_get("", "city_id")?, row.try_get("", "theme_id")?)))
        .collect()
}

/// Every (city, organisation) pair of a city's membership.
async fn city_memberships(db: &Db) -> Result<Vec<(Id, Id)>, Error> {
    let query = Query::select()
        .distinct()
        .columns(["member_city_id", "organisation_id"])
        .from("membership")
        .and_where(Expr::col("member_city_id").is_not_null())
        .to_owned();
    let rows = db.conn().query_all(&query).await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                row.try_get("", "member_city_id")?,
                row.try_get("", "organisation_id")?,
            ))
        })
        .collect()
}

/// The population and folded name of every city: all a ranking needs of them, read without
/// the rest of their records.
async fn sizes_and_names(db: &Db) -> Result<Vec<(Id, Option<i64>, String)>, Error> {
    let query = Query::select()
        .columns(["id", "population", "search_name"])
        .from("city")
        .to_owned();
    let rows = db.conn().query_all(&query).await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                row.try_get("", "id")?,
                row.try_get("", "population")?,
                row.try_get("", "search_name")?,
            ))
        })
        .collect()
}

/// The id of the trail's latest event: whatever is written, anywhere, moves it forward.
pub(crate) async fn latest_event(db: &Db) -> Result<Id, Error> {
    let query = Query::select()
        .expr(Expr::col("id").max())
        .from("audit_event")
        .to_owned();
    Ok(match db.conn().query_one(&query).await? {
        Some(row) => row.try_get_by_index::<Option<Id>>(0)?.unwrap_or(0),
        None => 0,
    })
}

/// The profile of a city in `profiles`, made empty if new.
fn profile(profiles: &mut HashMap<Id, Profile>, city_id: Id) -> &mut Profile {
    profiles.entry(city_id).or_insert_with(|| Profile {
        city_id,
        ..Profile::default()
    })
}

/// Every city with a membership or a theme, profiled and indexed.
async fn build_index(db: &Db) -> Result<PeerIndex, Error> {
    let mut profiles: HashMap<Id, Profile> = HashMap::new();
    for (city, organisation) in city_memberships(db).await? {
        profile(&mut profiles, city)
            .organisations
            .insert(organisation);
    }
    for path in &THEME_PATHS {
        for (city, theme) in city_themes(db, path).await? {
            profile(&mut profiles, city).themes.insert(theme);
        }
    }
    for (id, population, name) in sizes_and_names(db).await? {
        if let Some(profile) = profiles.get_mut(&id) {
            profile.population = population;
            profile.name = name;
        }
    }
    let mut profiles: Vec<Profile> = profiles.into_values().collect();
    profiles.sort_unstable_by_key(|profile| profile.city_id);
    Ok(PeerIndex::new(profiles))
}

/// The most cities whose ranked peers are kept beside an index (each up to `MAX_PEERS`
/// peers): a crawl of every city's peers does not grow memory without end.
const RANKED_KEPT: usize = 4_096;

/// The index as the directory stood at one event, and the peers ranked from it so far.
struct Built {
    event: Id,
    index: PeerIndex,
    ranked: Mutex<HashMap<Id, Arc<Vec<Peer>>>>,
}

impl Built {
    fn peers_of(&self, city_id: Id) -> Arc<Vec<Peer>> {
        let kept = |ranked: &Mutex<HashMap<Id, Arc<Vec<Peer>>>>| {
            ranked
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get(&city_id)
                .cloned()
        };
        if let Some(peers) = kept(&self.ranked) {
            return peers;
        }
        let peers = Arc::new(self.index.peers_of(city_id, domain::peers::MAX_PEERS));
        let mut ranked = self
            .ranked
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if ranked.len() >= RANKED_KEPT {
            ranked.clear();
        }
        ranked.insert(city_id, peers.clone());
        peers
    }
}

/// The peer index of one pool, rebuilt when the trail has moved since it was built.
#[derive(Default)]
pub(crate) struct PeerCache {
    built: tokio::sync::Mutex<Option<Arc<Built>>>,
}

impl std::fmt::Debug for PeerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PeerCache")
    }
}

impl PeerCache {
    /// The index as of `event` or later: the one built, if the trail has not moved since,
    /// else a new one (one rebuild at a time; those waiting get it).
    async fn at(&self, db: &Db, event: Id) -> Result<Arc<Built>, Error> {
        let mut built = self.built.lock().await;
        if let Some(current) = built.as_ref().filter(|current| current.event >= event) {
            return Ok(current.clone());
        }
        let fresh = Arc::new(Built {
            event,
            index: build_index(db).await?,
            ranked: Mutex::default(),
        });
        *built = Some(fresh.clone());
        Ok(fresh)
    }
}

/// The ranked peers of each city: one statement to see whether the directory changed, and
/// the index's answers — six more statements when it did.
pub async fn peers_of_cities(db: &Db, city_ids: &[Id]) -> Result<HashMap<Id, Vec<Peer>>, Error> {
    if city_ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Read before the index: an index built after this read holds at least this event.
    let event = latest_event(db).await?;
    let built = db.peer_index.at(db, event).await?;
    let mut ranked = HashMap::with_capacity(city_ids.len());
    for id in city_ids {
        ranked.insert(*id, built.peers_of(*id).as_ref().clone());
        // Ranking scores every candidate: a request past its deadline, dropped, stops here.
        tokio::task::yield_now().await;
    }
    Ok(ranked)
}
