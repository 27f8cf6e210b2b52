//! The profiles behind `City.peers`: for many cities at once, their memberships and themes,
//! and the cities that share any of them — in eleven statements whatever their number.

use std::collections::{BTreeSet, HashMap};

use domain::Id;
use domain::peers::{Peer, Profile, rank};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

use crate::stored::{one_of, one_of_in};
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

/// (city, theme) pairs along one path, for the cities (`by_city`) or the themes given.
async fn city_themes(
    db: &Db,
    path: &ThemePath,
    ids: &[Id],
    by_city: bool,
) -> Result<Vec<(Id, Id)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let filter = if by_city {
        one_of_in(db, path.record_table, "city_id", ids.iter().copied())
    } else {
        one_of_in(db, path.link_table, "theme_id", ids.iter().copied())
    };
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
        .and_where(filter)
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

/// (city, organisation) pairs of memberships, for the cities or the organisations given.
async fn city_memberships(db: &Db, ids: &[Id], by_city: bool) -> Result<Vec<(Id, Id)>, Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let column = if by_city {
        "member_city_id"
    } else {
        "organisation_id"
    };
    let query = Query::select()
        .distinct()
        .columns(["member_city_id", "organisation_id"])
        .from("membership")
        .and_where(Expr::col("member_city_id").is_not_null())
        .and_where(one_of(db, column, ids.iter().copied()))
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

/// The population and folded name of each city: all a ranking needs of tens of thousands of
/// candidates, read without the rest of their records.
async fn sizes_and_names(db: &Db, ids: &[Id]) -> Result<HashMap<Id, (Option<i64>, String)>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = Query::select()
        .columns(["id", "population", "search_name"])
        .from("city")
        .and_where(one_of(db, "id", ids.iter().copied()))
        .to_owned();
    let rows = db.conn().query_all(&query).await?;
    rows.into_iter()
        .map(|row| {
            Ok((
                row.try_get("", "id")?,
                (
                    row.try_get("", "population")?,
                    row.try_get("", "search_name")?,
                ),
            ))
        })
        .collect()
}

/// The profile of a city in `profiles`, made empty if new.
fn profile(profiles: &mut HashMap<Id, Profile>, city_id: Id) -> &mut Profile {
    profiles.entry(city_id).or_insert_with(|| Profile {
        city_id,
        ..Profile::default()
    })
}

/// The ranked peers of each city.
pub async fn peers_of_cities(db: &Db, city_ids: &[Id]) -> Result<HashMap<Id, Vec<Peer>>, Error> {
    if city_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut profiles: HashMap<Id, Profile> = HashMap::new();
    // The cities' own memberships and themes.
    for (city, organisation) in city_memberships(db, city_ids, true).await? {
        profile(&mut profiles, city)
            .organisations
            .insert(organisation);
    }
    for path in &THEME_PATHS {
        for (city, theme) in city_themes(db, path, city_ids, true).await? {
            profile(&mut profiles, city).themes.insert(theme);
        }
    }
    // Every city sharing one of them: only what it shares is kept in its profile.
    let organisations: BTreeSet<Id> = profiles
        .values()
        .flat_map(|p| p.organisations.iter().copied())
        .collect();
    let themes: BTreeSet<Id> = profiles
        .values()
        .flat_map(|p| p.themes.iter().copied())
        .collect();
    let mut candidates: HashMap<Id, Profile> = HashMap::new();
    let organisations: Vec<Id> = organisations.into_iter().collect();
    for (city, organisation) in city_memberships(db, &organisations, false).await? {
        profile(&mut candidates, city)
            .organisations
            .insert(organisation);
    }
    let themes: Vec<Id> = themes.into_iter().collect();
    for path in &THEME_PATHS {
        for (city, theme) in city_themes(db, path, &themes, false).await? {
            profile(&mut candidates, city).themes.insert(theme);
        }
    }
    // Sizes and names, for the cities and their candidates.
    let mut all: Vec<Id> = candidates.keys().chain(city_ids).copied().collect();
    all.sort_unstable();
    all.dedup();
    let cities = sizes_and_names(db, &all).await?;
    let describe = |profile: &mut Profile| {
        if let Some((population, name)) = cities.get(&profile.city_id) {
            profile.population = *population;
            profile.name = name.clone();
        }
    };
    candidates.values_mut().for_each(describe);
    let candidates: Vec<Profile> = candidates.into_values().collect();
    let mut ranked = HashMap::with_capacity(city_ids.len());
    for id in city_ids {
        let mut own = profiles.remove(id).unwrap_or(Profile {
            city_id: *id,
            ..Profile::default()
        });
        describe(&mut own);
        ranked.insert(*id, rank(&own, &candidates, domain::peers::MAX_PEERS));
        // Ranking scores every candidate: a request past its deadline, dropped, stops here.
        tokio::task::yield_now().await;
    }
    Ok(ranked)
}
