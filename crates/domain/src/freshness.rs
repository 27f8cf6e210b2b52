//! Freshness: when a record was last verified and by whom, and whether an election since then
//! may have made it stale.
//!
//! Staleness is computed from data when it is read, never stored: a record is stale on a day
//! when an election that concerns it was held after its last verification and by that day. So
//! an election recorded in advance flags its mandates from its first round on, without anyone
//! or anything having to run on that day, and verifying a record again clears it at once.
//!
//! Which offices an election concerns (`concerns`): a municipal election renews every
//! municipal council of its jurisdiction, hence
//! - in a city: its mayor and deputy mayors (`CITY_OFFICES`);
//! - in an intermunicipal body or a metropolitan authority, whose council is drawn from the
//!   municipal councils: its president and vice-presidents (`COUNCIL_BODIES`, `BODY_OFFICES`),
//!   placed by the organisation's own country and subdivision.
//!
//! A municipal association's officers (the union's president) are mayors too, but their term
//! follows the association's own calendar; staff, rectors, directors general and chairs of
//! commissions are not elected: an election does not concern them.

use chrono::{DateTime, NaiveDate, Utc};

use crate::election::{Election, ElectionKind};
use crate::fuzzy_date::Period;
use crate::mandate::MandateRole;
use crate::organisation::OrganisationKind;
use crate::source::RecordType;
use crate::{Id, Stamp};

/// The roles in a city a municipal election renews.
pub const CITY_OFFICES: &[MandateRole] = &[MandateRole::Mayor, MandateRole::DeputyMayor];

/// The organisations whose council a municipal election renews, with the municipal councils
/// it is drawn from.
pub const COUNCIL_BODIES: &[OrganisationKind] = &[
    OrganisationKind::IntermunicipalBody,
    OrganisationKind::MetropolitanAuthority,
];

/// The roles in such an organisation a municipal election renews.
pub const BODY_OFFICES: &[MandateRole] = &[MandateRole::President, MandateRole::VicePresident];

/// That a record was checked: on which day, by whom, against which document.
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    pub id: Id,
    pub record_type: RecordType,
    pub record_id: Id,
    /// When the verification was recorded, or the day it stands for at its start (a seed
    /// record is verified on its source's publication day).
    pub verified_at: DateTime<Utc>,
    /// The day the record was checked, in UTC: what staleness compares with elections.
    pub verified_on: NaiveDate,
    /// Who verified it, named as the audit trail names actors (a token's name, `seed <file>`).
    pub verified_by: String,
    /// The document it was checked against, if any.
    pub source_id: Option<Id>,
    pub stamp: Stamp,
}

/// Where an office is held, as freshness needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    City,
    Organisation(OrganisationKind),
}

/// A post a mandate holds, with what decides which elections concern it: the role, where it
/// is held and that place's country and subdivisions, and the period it is held over.
#[derive(Debug, Clone, PartialEq)]
pub struct Office {
    pub role: MandateRole,
    pub seat: Seat,
    pub period: Period,
    /// The country (ISO 3166-1) of the city or organisation the office is held in.
    pub country: Option<String>,
    /// Its subdivisions (ISO 3166-2), largest first.
    pub subdivisions: Vec<String>,
}

/// Whether an election of `kind` renews the office, wherever it is held.
pub fn renews(kind: ElectionKind, role: MandateRole, seat: Seat) -> bool {
    match (kind, seat) {
        (ElectionKind::Municipal, Seat::City) => CITY_OFFICES.contains(&role),
        (ElectionKind::Municipal, Seat::Organisation(body)) => {
            COUNCIL_BODIES.contains(&body) && BODY_OFFICES.contains(&role)
        }
    }
}

/// Whether the election concerns the office: it renews the office, the office's place lies in
/// its jurisdiction, and the office may have been held on the election's first round (its
/// known period does not end before that day nor start after it).
pub fn concerns(election: &Election, office: &Office) -> bool {
    renews(election.kind, office.role, office.seat)
        && office
            .country
            .as_deref()
            .is_some_and(|country| election.jurisdiction.covers(country, &office.subdivisions))
        && office.period.may_contain(election.first_round)
}

/// Why a record is stale: the first election that concerns it since it was verified.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Staleness<'e> {
    /// From when: the election's first round.
    pub since: NaiveDate,
    pub election: &'e Election,
}

impl Staleness<'_> {
    /// The reason in words: `election FR municipal 2026-03-15`.
    pub fn reason(&self) -> String {
        self.election.describe()
    }
}

/// Whether an office verified on `verified_on` is stale on `today`: an election that concerns
/// it held its first round after that day and by `today`. The first such election says since
/// when. A verification on the day of the first round or later counts as after the election,
/// so verifying a record again always takes it out of the queue.
pub fn staleness<'e>(
    office: &Office,
    verified_on: NaiveDate,
    elections: &'e [Election],
    today: NaiveDate,
) -> Option<Staleness<'e>> {
    elections
        .iter()
        .filter(|election| verified_on < election.first_round && election.first_round <= today)
        .filter(|election| concerns(election, office))
        .min_by_key(|election| (election.first_round, election.id))
        .map(|election| Staleness {
            since: election.first_round,
            election,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FuzzyDate;
    use crate::election::Jurisdiction;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn stamp() -> Stamp {
        Stamp {
            created_at: Default::default(),
            updated_at: Default::default(),
            version: 1,
        }
    }

    fn election(id: Id, country: &str, subdivision: Option<&str>, first: &str) -> Election {
        Election {
            id,
            jurisdiction: Jurisdiction::new(country, subdivision).unwrap(),
            kind: ElectionKind::Municipal,
            first_round: day(first),
            second_round: None,
            stamp: stamp(),
        }
    }

    fn mayor(country: &str, subdivisions: &[&str]) -> Office {
        Office {
            role: MandateRole::Mayor,
            seat: Seat::City,
            period: Period::default(),
            country: Some(country.to_owned()),
            subdivisions: subdivisions.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn elections() -> Vec<Election> {
        vec![
            election(1, "FR", None, "2026-03-15"),
            election(2, "CA", Some("CA-QC"), "2025-11-02"),
        ]
    }

    #[test]
    fn a_mayor_verified_before_an_election_of_its_place_is_stale_once_it_is_held() {
        let elections = elections();
        let argenteuil = mayor("FR", &["FR-IDF", "FR-95"]);
        let stale = staleness(
            &argenteuil,
            day("2023-06-01"),
            &elections,
            day("2026-12-05"),
        );
        assert_eq!(stale.map(|s| s.since), Some(day("2026-03-15")));
        assert_eq!(
            stale.map(|s| s.reason()).as_deref(),
            Some("election FR municipal 2026-03-15")
        );
        // Before the first round, nothing has changed yet.
        assert_eq!(
            staleness(
                &argenteuil,
                day("2023-06-01"),
                &elections,
                day("2026-03-14")
            ),
            None
        );
    }

    #[test]
    fn a_verification_on_or_after_the_first_round_is_fresh() {
        let elections = elections();
        let argenteuil = mayor("FR", &["FR-IDF", "FR-95"]);
        for verified in ["2026-03-15", "2026-03-18", "2026-04-01"] {
            assert_eq!(
                staleness(&argenteuil, day(verified), &elections, day("2026-12-05")),
                None,
                "verified on {verified}"
            );
        }
    }

    #[test]
    fn an_election_concerns_only_the_places_of_its_jurisdiction() {
        let elections = elections();
        let terrebonne = mayor("CA", &["CA-QC"]);
        let stale = staleness(
            &terrebonne,
            day("2023-11-28"),
            &elections,
            day("2026-12-05"),
        );
        assert_eq!(stale.map(|s| s.election.id), Some(2));
        let toronto = mayor("CA", &["CA-ON"]);
        assert_eq!(
            staleness(&toronto, day("2023-11-28"), &elections, day("2026-12-05")),
            None
        );
        let namur = mayor("BE", &["BE-WAL", "BE-WNA"]);
        assert_eq!(
            staleness(&namur, day("2023-11-28"), &elections, day("2026-12-05")),
            None
        );
    }

    #[test]
    fn the_first_election_since_the_verification_says_since_when() {
        let elections = vec![
            election(1, "CA", Some("CA-QC"), "2021-11-07"),
            election(2, "CA", Some("CA-QC"), "2025-11-02"),
        ];
        let shawinigan = mayor("CA", &["CA-QC"]);
        let stale = staleness(
            &shawinigan,
            day("2019-04-18"),
            &elections,
            day("2026-12-05"),
        );
        assert_eq!(stale.map(|s| s.since), Some(day("2021-11-07")));
    }

    #[test]
    fn an_election_concerns_municipal_offices_held_on_its_day() {
        let france = election(1, "FR", None, "2026-03-15");
        let mut staff = mayor("FR", &["FR-IDF"]);
        staff.role = MandateRole::Staff;
        assert!(!concerns(&france, &staff));
        let mut ended = mayor("FR", &["FR-IDF"]);
        ended.period = Period::new(None, FuzzyDate::parse("2020").ok()).unwrap();
        assert!(!concerns(&france, &ended), "ended before the election");
        let mut elected = mayor("FR", &["FR-IDF"]);
        elected.period = Period::new(FuzzyDate::parse("2026-03-28").ok(), None).unwrap();
        assert!(!concerns(&france, &elected), "started after the election");
        let president = Office {
            role: MandateRole::President,
            seat: Seat::Organisation(OrganisationKind::MetropolitanAuthority),
            period: Period::default(),
            country: Some("FR".into()),
            subdivisions: vec!["FR-IDF".into()],
        };
        assert!(concerns(&france, &president));
        let union_president = Office {
            seat: Seat::Organisation(OrganisationKind::MunicipalAssociation),
            ..president
        };
        assert!(!concerns(&france, &union_president));
    }
}
