//! Possible duplicates: two records of one kind with the same name — but for case, accents
//! and punctuation (`search::fold`) — in the same place. A write that makes one is still
//! made, since namesakes exist (Saint-Denis in Seine-Saint-Denis and on Réunion); the caller is
//! shown the others to check.

use crate::Id;
use crate::search::fold;

/// A record that could be entered twice under one name.
pub trait Namesake {
    fn id(&self) -> Id;
    /// The name two entries of one record share.
    fn name(&self) -> &str;
    /// Whether `other` is where this record is, so that a namesake there may be it: namesakes
    /// elsewhere are other records.
    fn same_place(&self, other: &Self) -> bool;
}

/// The form of a name that namesakes share (what a look-up compares).
pub fn name_key(name: &str) -> String {
    fold(name)
}

/// Whether `other` may be `record` entered twice: another record, named alike, in its place.
pub fn may_duplicate<T: Namesake>(record: &T, other: &T) -> bool {
    record.id() != other.id()
        && name_key(record.name()) == name_key(other.name())
        && record.same_place(other)
}

/// Whether two lists of subdivisions, from the largest down, agree on every level both give:
/// `["FR-IDF"]` may be `["FR-IDF", "FR-93"]`, `["FR-IDF", "FR-93"]` is not `["FR-IDF", "FR-95"]`.
pub fn same_subdivisions(one: &[String], other: &[String]) -> bool {
    one.iter().zip(other).all(|(a, b)| a == b)
}

/// A city's namesake is one of its country, in no other subdivision.
impl Namesake for crate::city::City {
    fn id(&self) -> Id {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn same_place(&self, other: &Self) -> bool {
        self.country == other.country && same_subdivisions(&self.subdivisions, &other.subdivisions)
    }
}

/// An organisation's namesake is one of its country (or, like it, of none).
impl Namesake for crate::organisation::Organisation {
    fn id(&self) -> Id {
        self.id
    }

    fn name(&self) -> &str {
        &self.name
    }

    fn same_place(&self, other: &Self) -> bool {
        self.country == other.country
    }
}

/// A person has no place in the directory: any other person of the same full name may be them.
impl Namesake for crate::person::Person {
    fn id(&self) -> Id {
        self.id
    }

    fn name(&self) -> &str {
        &self.full_name
    }

    fn same_place(&self, _other: &Self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::City;

    fn city(id: Id, name: &str, country: &str, subdivisions: &[&str]) -> City {
        let now = chrono::Utc::now();
        City {
            id,
            slug: format!("city-{id}"),
            name: name.to_owned(),
            other_names: Vec::new(),
            country: country.to_owned(),
            subdivisions: subdivisions.iter().map(|s| s.to_string()).collect(),
            official_code: None,
            population: None,
            population_year: None,
            latitude: None,
            longitude: None,
            website: None,
            parent_id: None,
            stamp: crate::Stamp {
                created_at: now,
                updated_at: now,
                version: 1,
            },
        }
    }

    #[test]
    fn a_city_named_alike_in_its_country_and_subdivision_may_be_it() {
        let saint_denis = city(1, "Saint-Denis", "FR", &["FR-IDF", "FR-93"]);
        assert!(may_duplicate(
            &city(2, "SAINT DENIS", "FR", &["FR-IDF", "FR-93"]),
            &saint_denis
        ));
        assert!(may_duplicate(
            &city(2, "Saint-Denis", "FR", &["FR-IDF"]),
            &saint_denis
        ));
        assert!(may_duplicate(
            &city(2, "Saint-Denis", "FR", &[]),
            &saint_denis
        ));
    }

    #[test]
    fn a_namesake_elsewhere_or_the_record_itself_is_no_duplicate() {
        let saint_denis = city(1, "Saint-Denis", "FR", &["FR-IDF", "FR-93"]);
        for other in [
            city(2, "Saint-Denis", "FR", &["FR-974"]),
            city(2, "Saint-Denis", "BE", &[]),
            city(2, "Saint-Dizier", "FR", &["FR-IDF", "FR-93"]),
        ] {
            assert!(!may_duplicate(&other, &saint_denis), "{other:?}");
        }
        assert!(!may_duplicate(&saint_denis, &saint_denis));
    }
}
