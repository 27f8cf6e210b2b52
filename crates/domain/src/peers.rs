//! Peers: cities like a given one — of similar size, sharing its memberships and its themes —
//! ranked, with what they share, so a city finds who it can learn from.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use crate::Id;

mod index;

pub use index::PeerIndex;

/// Points per organisation both cities are members of.
pub const SHARED_ORGANISATION_POINTS: f64 = 2.0;
/// Points per theme both cities work on.
pub const SHARED_THEME_POINTS: f64 = 3.0;
/// Points for cities of the same size, scaled by the smaller population over the larger.
pub const SIZE_POINTS: f64 = 4.0;

/// What a city is, for matching: its size, the organisations it is a member of, and the
/// themes it works on (through its initiatives, partnerships, programmes and group
/// purchases).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    pub city_id: Id,
    /// The folded name, to order peers of equal score.
    pub name: String,
    pub population: Option<i64>,
    pub organisations: BTreeSet<Id>,
    pub themes: BTreeSet<Id>,
}

/// A city like another, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub city_id: Id,
    pub score: f64,
    pub shared_organisations: Vec<Id>,
    pub shared_themes: Vec<Id>,
    /// The smaller population over the larger, when both are known.
    pub population_ratio: Option<f64>,
}

/// The smaller population over the larger: 1 for cities of the same size.
pub fn population_ratio(a: Option<i64>, b: Option<i64>) -> Option<f64> {
    let (a, b) = (a?, b?);
    if a <= 0 || b <= 0 {
        return None;
    }
    Some(a.min(b) as f64 / a.max(b) as f64)
}

/// The most peers a city lists (`City.peers(first:)`), and so the most any ranking keeps.
pub const MAX_PEERS: usize = 50;

/// The best `limit` candidates that share at least one membership or theme with `city`, best
/// first: `2 × shared organisations + 3 × shared themes + 4 × population ratio`, then by name.
/// A candidate's profile may hold only what it shares with `city`. Only the first `limit` are
/// kept: a city of a national association has tens of thousands of candidates.
pub fn rank(city: &Profile, candidates: &[Profile], limit: usize) -> Vec<Peer> {
    let mut peers: Vec<(Peer, &str)> = candidates
        .iter()
        .filter(|candidate| candidate.city_id != city.city_id)
        .filter_map(|candidate| {
            let shared_organisations: Vec<Id> = city
                .organisations
                .intersection(&candidate.organisations)
                .copied()
                .collect();
            let shared_themes: Vec<Id> = city
                .themes
                .intersection(&candidate.themes)
                .copied()
                .collect();
            if shared_organisations.is_empty() && shared_themes.is_empty() {
                return None;
            }
            let ratio = population_ratio(city.population, candidate.population);
            let score = SHARED_ORGANISATION_POINTS * shared_organisations.len() as f64
                + SHARED_THEME_POINTS * shared_themes.len() as f64
                + SIZE_POINTS * ratio.unwrap_or(0.0);
            Some((
                Peer {
                    city_id: candidate.city_id,
                    score,
                    shared_organisations,
                    shared_themes,
                    population_ratio: ratio,
                },
                candidate.name.as_str(),
            ))
        })
        .collect();
    let order = |(a, a_name): &(Peer, &str), (b, b_name): &(Peer, &str)| {
        rank_order((a.score, a_name, a.city_id), (b.score, b_name, b.city_id))
    };
    if peers.len() > limit {
        peers.select_nth_unstable_by(limit, order);
        peers.truncate(limit);
    }
    peers.sort_by(order);
    peers.into_iter().map(|(peer, _)| peer).collect()
}

/// The order of peers: the higher score first, then by folded name, then by id.
fn rank_order(a: (f64, &str, Id), b: (f64, &str, Id)) -> Ordering {
    b.0.total_cmp(&a.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| a.2.cmp(&b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: Id, name: &str, population: Option<i64>, orgs: &[Id], themes: &[Id]) -> Profile {
        Profile {
            city_id: id,
            name: name.to_owned(),
            population,
            organisations: orgs.iter().copied().collect(),
            themes: themes.iter().copied().collect(),
        }
    }

    #[test]
    fn peers_are_ranked_by_what_they_share_and_how_close_their_size_is() {
        let city = profile(1, "a", Some(10_000), &[100, 101], &[7, 8]);
        let candidates = [
            // One organisation, one theme, 12,000 inhabitants: 2 + 3 + 4 × 10/12 = 8.33…
            profile(2, "b", Some(12_000), &[100], &[7]),
            // Two themes, size unknown: 6.
            profile(3, "c", None, &[], &[7, 8]),
            // Same organisation only, same size: 2 + 4 = 6 — ties with c, c sorts first.
            profile(4, "d", Some(10_000), &[101], &[]),
            // Nothing shared: not a peer, whatever its size.
            profile(5, "e", Some(10_000), &[200], &[9]),
            // The city itself is never its own peer.
            profile(1, "a", Some(10_000), &[100], &[7]),
        ];
        let peers = rank(&city, &candidates, 10);
        let best_two = rank(&city, &candidates, 2);
        assert_eq!(best_two.len(), 2);
        assert_eq!(best_two[0].city_id, peers[0].city_id);
        assert_eq!(best_two[1].city_id, peers[1].city_id);
        let order: Vec<Id> = peers.iter().map(|p| p.city_id).collect();
        assert_eq!(order, [2, 3, 4]);
        assert!((peers[0].score - (2.0 + 3.0 + 4.0 * 10.0 / 12.0)).abs() < 1e-9);
        assert_eq!(peers[0].shared_organisations, [100]);
        assert_eq!(peers[1].shared_themes, [7, 8]);
        assert_eq!(peers[1].population_ratio, None);
        assert_eq!(peers[2].score, 6.0);
    }

    #[test]
    fn the_population_ratio_is_the_smaller_over_the_larger() {
        assert_eq!(population_ratio(Some(50), Some(100)), Some(0.5));
        assert_eq!(population_ratio(Some(100), Some(50)), Some(0.5));
        assert_eq!(population_ratio(None, Some(50)), None);
        assert_eq!(population_ratio(Some(0), Some(50)), None);
    }
}
