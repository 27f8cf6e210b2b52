//! Every city's profile at once, laid out to rank a city's peers in one pass over compact
//! rows: themes as bit sets (a shared theme is a set bit of both), memberships through the
//! organisations' member lists. It ranks exactly as [`rank`] does over the same profiles — the
//! same scores, the same order, the same ties — in a fraction of the time, which is what lets
//! `City.peers` answer on the full French import without reading tens of thousands of rows
//! per request.

use std::collections::HashMap;

use super::{Peer, Profile, SHARED_ORGANISATION_POINTS, SHARED_THEME_POINTS, SIZE_POINTS};
use super::{population_ratio, rank_order};
use crate::Id;

/// One city as the index keeps it: its lists as sorted slices, not sets — tens of thousands
/// of them stay a few megabytes.
#[derive(Debug)]
struct Compact {
    city_id: Id,
    name: Box<str>,
    population: Option<i64>,
    organisations: Box<[Id]>,
    themes: Box<[Id]>,
}

/// The ids both sorted slices hold, in order.
fn shared(a: &[Id], b: &[Id]) -> Vec<Id> {
    let (mut i, mut j, mut both) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    both
}

/// The profiles of every city that has a membership or a theme, indexed for ranking.
#[derive(Debug, Default)]
pub struct PeerIndex {
    profiles: Vec<Compact>,
    /// Where each city's profile is in `profiles`.
    position: HashMap<Id, usize>,
    /// The positions of each organisation's member cities.
    members: HashMap<Id, Vec<usize>>,
    /// Each theme's bit in the theme sets.
    theme_bit: HashMap<Id, usize>,
    /// Words per theme set.
    words: usize,
    /// The theme sets, `words` words per profile, in the order of `profiles`.
    theme_sets: Vec<u64>,
}

impl PeerIndex {
    /// Indexes these profiles (one per city; a city with neither membership nor theme may be
    /// left out: it is nobody's peer and has none).
    pub fn new(profiles: Vec<Profile>) -> PeerIndex {
        let mut theme_bit = HashMap::new();
        for profile in &profiles {
            for theme in &profile.themes {
                let next = theme_bit.len();
                theme_bit.entry(*theme).or_insert(next);
            }
        }
        let words = theme_bit.len().div_ceil(64).max(1);
        let mut theme_sets = vec![0u64; words * profiles.len()];
        let mut members: HashMap<Id, Vec<usize>> = HashMap::new();
        let mut position = HashMap::with_capacity(profiles.len());
        for (at, profile) in profiles.iter().enumerate() {
            position.insert(profile.city_id, at);
            for theme in &profile.themes {
                let bit = theme_bit[theme];
                theme_sets[at * words + bit / 64] |= 1 << (bit % 64);
            }
            for organisation in &profile.organisations {
                members.entry(*organisation).or_default().push(at);
            }
        }
        let profiles = profiles
            .into_iter()
            .map(|profile| Compact {
                city_id: profile.city_id,
                name: profile.name.into_boxed_str(),
                population: profile.population,
                organisations: profile.organisations.into_iter().collect(),
                themes: profile.themes.into_iter().collect(),
            })
            .collect();
        PeerIndex {
            profiles,
            position,
            members,
            theme_bit,
            words,
            theme_sets,
        }
    }

    /// How many cities it holds.
    pub fn len(&self) -> usize {
        self.profiles.len()
    }

    /// Whether it holds no city.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }

    /// The best `limit` peers of `city_id`, as [`rank`](super::rank) gives them over every
    /// profile; none for a city it does not hold.
    pub fn peers_of(&self, city_id: Id, limit: usize) -> Vec<Peer> {
        let Some(&me) = self.position.get(&city_id) else {
            return Vec::new();
        };
        let own = &self.profiles[me];
        // Shared memberships, counted through the member lists of the city's organisations.
        let mut shared_organisations: HashMap<usize, usize> = HashMap::new();
        for organisation in &own.organisations {
            for &at in self.members.get(organisation).into_iter().flatten() {
                *shared_organisations.entry(at).or_default() += 1;
            }
        }
        let own_set = &self.theme_sets[me * self.words..(me + 1) * self.words];
        let has_themes = own_set.iter().any(|word| *word != 0);
        let mut scored: Vec<(f64, usize)> = Vec::new();
        let mut score_of = |at: usize, organisations: usize| {
            if at == me {
                return;
            }
            let themes: u32 = if has_themes {
                let set = &self.theme_sets[at * self.words..(at + 1) * self.words];
                own_set
                    .iter()
                    .zip(set)
                    .map(|(a, b)| (a & b).count_ones())
                    .sum()
            } else {
                0
            };
            if organisations == 0 && themes == 0 {
                return;
            }
            let ratio = population_ratio(own.population, self.profiles[at].population);
            let score = SHARED_ORGANISATION_POINTS * organisations as f64
                + SHARED_THEME_POINTS * f64::from(themes)
                + SIZE_POINTS * ratio.unwrap_or(0.0);
            scored.push((score, at));
        };
        if has_themes {
            for at in 0..self.profiles.len() {
                score_of(at, shared_organisations.get(&at).copied().unwrap_or(0));
            }
        } else {
            for (&at, &organisations) in &shared_organisations {
                score_of(at, organisations);
            }
        }
        let order = |a: &(f64, usize), b: &(f64, usize)| {
            let (pa, pb) = (&self.profiles[a.1], &self.profiles[b.1]);
            rank_order((a.0, &pa.name, pa.city_id), (b.0, &pb.name, pb.city_id))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit, order);
            scored.truncate(limit);
        }
        scored.sort_by(order);
        scored
            .into_iter()
            .map(|(score, at)| {
                let candidate = &self.profiles[at];
                Peer {
                    city_id: candidate.city_id,
                    score,
                    shared_organisations: shared(&own.organisations, &candidate.organisations),
                    shared_themes: shared(&own.themes, &candidate.themes),
                    population_ratio: population_ratio(own.population, candidate.population),
                }
            })
            .collect()
    }

    /// How many distinct themes the profiles hold.
    pub fn themes(&self) -> usize {
        self.theme_bit.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peers::rank;

    /// A small deterministic generator: the test needs varied profiles, not a crate.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 33) % below
        }
    }

    fn profiles(seed: u64, cities: Id, organisations: u64, themes: u64) -> Vec<Profile> {
        let mut random = Lcg(seed);
        (1..=cities)
            .map(|city_id| Profile {
                city_id,
                // Few names, so that equal scores are ordered by name, then id.
                name: format!("ville {}", random.next(7)),
                population: match random.next(5) {
                    0 => None,
                    _ => Some(random.next(4) as i64 * 1_000 + 1_000),
                },
                organisations: (0..random.next(3))
                    .map(|_| random.next(organisations) as Id + 1)
                    .collect(),
                themes: (0..random.next(5))
                    .map(|_| random.next(themes) as Id + 1)
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn the_index_ranks_every_city_exactly_as_rank_does() {
        // More than 64 themes: the theme sets take two words.
        for (seed, themes) in [(1, 6), (2, 90), (3, 1)] {
            let all = profiles(seed, 300, 12, themes);
            let index = PeerIndex::new(all.clone());
            for city in &all {
                for limit in [1, 5, 50] {
                    assert_eq!(
                        index.peers_of(city.city_id, limit),
                        rank(city, &all, limit),
                        "city {} limit {limit} (seed {seed})",
                        city.city_id
                    );
                }
            }
        }
    }

    #[test]
    fn a_city_the_index_does_not_hold_has_no_peers() {
        let index = PeerIndex::new(profiles(4, 20, 3, 3));
        assert_eq!(index.peers_of(10_000, 10), Vec::new());
    }
}
