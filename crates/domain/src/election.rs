//! Elections: when the people who hold a place's offices may change. An election is data — its
//! jurisdiction, its kind and the days it is held — so that the directory knows, from the
//! calendar alone, which of its facts an election may have made stale (`freshness`).

use chrono::{Datelike, NaiveDate};

use crate::city::{CodeError, check_country, check_subdivision};
use crate::{Id, Stamp};

string_enum! {
    /// What an election renews.
    pub enum ElectionKind {
        /// A general municipal election: every council of the jurisdiction, hence its mayors
        /// and their deputies, and the councils of the intermunicipal bodies drawn from them.
        Municipal = "municipal",
    }
}

/// Where an election is held: a country (ISO 3166-1 alpha-2) or one of its subdivisions (ISO
/// 3166-2): France's municipal elections (`FR`), Québec's (`CA-QC`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Jurisdiction {
    /// ISO 3166-1 alpha-2, checked.
    country: String,
    /// ISO 3166-2, checked to be of `country`.
    subdivision: Option<String>,
}

impl Jurisdiction {
    /// A checked jurisdiction: an assigned country code, and a subdivision code of that country.
    pub fn new(country: &str, subdivision: Option<&str>) -> Result<Jurisdiction, ElectionError> {
        check_country(country).map_err(ElectionError::Country)?;
        if let Some(subdivision) = subdivision {
            check_subdivision(subdivision).map_err(ElectionError::Subdivision)?;
            if subdivision.split_once('-').map(|(of, _)| of) != Some(country) {
                return Err(ElectionError::SubdivisionOfAnotherCountry {
                    subdivision: subdivision.to_owned(),
                    country: country.to_owned(),
                });
            }
        }
        Ok(Jurisdiction {
            country: country.to_owned(),
            subdivision: subdivision.map(str::to_owned),
        })
    }

    pub fn country(&self) -> &str {
        &self.country
    }

    pub fn subdivision(&self) -> Option<&str> {
        self.subdivision.as_deref()
    }

    /// The jurisdiction's own code: its subdivision's, or else its country's (`CA-QC`, `FR`).
    pub fn code(&self) -> &str {
        self.subdivision.as_deref().unwrap_or(&self.country)
    }

    /// Whether a place of this country, in these subdivisions (largest first, as a city lists
    /// them), lies in the jurisdiction.
    pub fn covers(&self, country: &str, subdivisions: &[String]) -> bool {
        country == self.country
            && self
                .subdivision
                .as_ref()
                .is_none_or(|own| subdivisions.iter().any(|code| code == own))
    }
}

/// An election, held on one day or in two rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Election {
    pub id: Id,
    pub jurisdiction: Jurisdiction,
    pub kind: ElectionKind,
    /// The first (or only) round: from this day on, what the election renews may have changed.
    pub first_round: NaiveDate,
    /// The second round, where there is one (France's municipal elections).
    pub second_round: Option<NaiveDate>,
    pub stamp: Stamp,
}

impl Election {
    /// The election in words, as an editor's queue gives the reason a record is stale:
    /// `election FR municipal 2026-03-15`.
    pub fn describe(&self) -> String {
        format!(
            "election {} {} {}",
            self.jurisdiction.code(),
            self.kind,
            self.first_round.format("%Y-%m-%d")
        )
    }
}

/// Why an election cannot be recorded as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ElectionError {
    #[error(transparent)]
    Country(CodeError),
    #[error(transparent)]
    Subdivision(CodeError),
    #[error("subdivision {subdivision} is not a subdivision of {country}")]
    SubdivisionOfAnotherCountry {
        subdivision: String,
        country: String,
    },
    #[error("the second round ({second}) must come after the first ({first})")]
    SecondRoundNotAfter { first: NaiveDate, second: NaiveDate },
    #[error(
        "a second round comes within {MAX_DAYS_BETWEEN_ROUNDS} days of the first ({first}), not on {second}"
    )]
    RoundsTooFarApart { first: NaiveDate, second: NaiveDate },
    #[error("{0} is not a plausible election day: years {FIRST_YEAR} to {LAST_YEAR}")]
    OutOfRange(NaiveDate),
}

/// The most days between two rounds of one election (France: a week; elsewhere a few weeks).
pub const MAX_DAYS_BETWEEN_ROUNDS: i64 = 60;
const FIRST_YEAR: i32 = 1800;
const LAST_YEAR: i32 = 2200;

/// Checks the days of an election: each a plausible day, the second round after the first and
/// within `MAX_DAYS_BETWEEN_ROUNDS` of it.
pub fn check_rounds(first: NaiveDate, second: Option<NaiveDate>) -> Result<(), ElectionError> {
    for day in std::iter::once(first).chain(second) {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&day.year()) {
            return Err(ElectionError::OutOfRange(day));
        }
    }
    match second {
        Some(second) if second <= first => {
            Err(ElectionError::SecondRoundNotAfter { first, second })
        }
        Some(second) if (second - first).num_days() > MAX_DAYS_BETWEEN_ROUNDS => {
            Err(ElectionError::RoundsTooFarApart { first, second })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_jurisdiction_is_a_country_or_one_of_its_subdivisions() {
        let quebec = Jurisdiction::new("CA", Some("CA-QC")).unwrap();
        assert_eq!(quebec.code(), "CA-QC");
        assert!(quebec.covers("CA", &["CA-QC".into()]));
        assert!(!quebec.covers("CA", &["CA-ON".into()]));
        assert!(!quebec.covers("FR", &[]));
        let france = Jurisdiction::new("FR", None).unwrap();
        assert_eq!(france.code(), "FR");
        assert!(france.covers("FR", &["FR-IDF".into(), "FR-95".into()]));
        assert!(!france.covers("BE", &[]));
        // A region covers the cities that list it at any level.
        let ile_de_france = Jurisdiction::new("FR", Some("FR-IDF")).unwrap();
        assert!(ile_de_france.covers("FR", &["FR-IDF".into(), "FR-95".into()]));
    }

    #[test]
    fn a_jurisdiction_is_checked() {
        assert!(matches!(
            Jurisdiction::new("ZZ", None),
            Err(ElectionError::Country(_))
        ));
        assert!(matches!(
            Jurisdiction::new("CA", Some("QC")),
            Err(ElectionError::Subdivision(_))
        ));
        assert_eq!(
            Jurisdiction::new("FR", Some("CA-QC")),
            Err(ElectionError::SubdivisionOfAnotherCountry {
                subdivision: "CA-QC".into(),
                country: "FR".into()
            })
        );
    }

    #[test]
    fn a_second_round_follows_the_first_within_weeks() {
        assert_eq!(
            check_rounds(day("2026-03-15"), Some(day("2026-03-22"))),
            Ok(())
        );
        assert_eq!(check_rounds(day("2025-11-02"), None), Ok(()));
        assert_eq!(
            check_rounds(day("2026-03-22"), Some(day("2026-03-15"))),
            Err(ElectionError::SecondRoundNotAfter {
                first: day("2026-03-22"),
                second: day("2026-03-15")
            })
        );
        assert!(matches!(
            check_rounds(day("2026-03-15"), Some(day("2026-09-15"))),
            Err(ElectionError::RoundsTooFarApart { .. })
        ));
        assert!(matches!(
            check_rounds(day("0026-03-15"), None),
            Err(ElectionError::OutOfRange(_))
        ));
    }

    #[test]
    fn an_election_says_what_it_is_in_words() {
        let election = Election {
            id: 1,
            jurisdiction: Jurisdiction::new("FR", None).unwrap(),
            kind: ElectionKind::Municipal,
            first_round: day("2026-03-15"),
            second_round: Some(day("2026-03-22")),
            stamp: Stamp {
                created_at: Default::default(),
                updated_at: Default::default(),
                version: 1,
            },
        };
        assert_eq!(election.describe(), "election FR municipal 2026-03-15");
    }
}
