//! Mandates: posts held over time, and who held a post on a given date.

use chrono::NaiveDate;

use crate::fuzzy_date::Period;
use crate::{Id, Stamp};

string_enum! {
    /// The normalised role of a mandate, whatever its title as written.
    pub enum MandateRole {
        Mayor = "mayor",
        DeputyMayor = "deputy_mayor",
        President = "president",
        VicePresident = "vice_president",
        DirectorGeneral = "director_general",
        Chair = "chair",
        Rector = "rector",
        ChiefExecutive = "chief_executive",
        Staff = "staff",
        Other = "other",
    }
}

/// A post a person holds in a city or an organisation, from an optional start to an optional end.
#[derive(Debug, Clone, PartialEq)]
pub struct Mandate {
    pub id: Id,
    pub person_id: Id,
    pub holder_of: Post,
    pub role: MandateRole,
    /// The title as the source writes it ("Bourgmestre de Namur").
    pub title: String,
    pub period: Period,
    /// The days on which sources attest the mandate, oldest first.
    pub attestations: Vec<Attestation>,
    pub stamp: Stamp,
}

/// Where a mandate is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Post {
    City(Id),
    Organisation(Id),
}

/// A source attests that a mandate was held on a day.
#[derive(Debug, Clone, PartialEq)]
pub struct Attestation {
    pub on: NaiveDate,
    pub source_id: Id,
}

impl Mandate {
    /// The last day on or before `day` on which a source attests the mandate.
    pub fn last_attested_by(&self, day: NaiveDate) -> Option<NaiveDate> {
        self.attestations
            .iter()
            .map(|a| a.on)
            .filter(|on| *on <= day)
            .max()
    }
}

/// Who held a post on a day, among the mandates of that one post (a city's mayors, say).
///
/// The holder is the mandate whose known period contains the day (the latest to start, if
/// several); failing that, the one last attested on or before the day, unless another mandate
/// of the post began after that attestation and by that day. Sources often attest a mandate on
/// a date without its start or end, and this is the most the directory can honestly say.
pub fn holder_on(mandates: &[Mandate], day: NaiveDate) -> Option<&Mandate> {
    let by_period = mandates
        .iter()
        .filter(|m| m.period.is_known() && m.period.may_contain(day))
        .max_by_key(|m| (m.period.start.map(|s| s.earliest()), m.id));
    if by_period.is_some() {
        return by_period;
    }
    let (attested_on, candidate) = mandates
        .iter()
        .filter(|m| m.period.may_contain(day))
        .filter_map(|m| m.last_attested_by(day).map(|on| (on, m)))
        .max_by_key(|(on, m)| (*on, m.id))?;
    let superseded = mandates.iter().any(|other| {
        other.id != candidate.id
            && other
                .period
                .start
                .is_some_and(|start| start.earliest() > attested_on && start.earliest() <= day)
    });
    (!superseded).then_some(candidate)
}

/// The mayor of a city on a day, among all the mandates held in the city.
pub fn mayor_on(mandates: &[Mandate], day: NaiveDate) -> Option<Mandate> {
    let mayors: Vec<Mandate> = mandates
        .iter()
        .filter(|m| m.role == MandateRole::Mayor)
        .cloned()
        .collect();
    holder_on(&mayors, day).cloned()
}

/// Who led an organisation on a day: for each role but staff, the holder on that day, in the
/// order of the roles' names.
pub fn leaders_on(mandates: &[Mandate], day: NaiveDate) -> Vec<Mandate> {
    let mut by_role: std::collections::BTreeMap<&str, Vec<Mandate>> =
        std::collections::BTreeMap::new();
    for mandate in mandates.iter().filter(|m| m.role != MandateRole::Staff) {
        by_role
            .entry(mandate.role.as_str())
            .or_default()
            .push(mandate.clone());
    }
    by_role
        .values()
        .filter_map(|holders| holder_on(holders, day).cloned())
        .collect()
}

/// Why a mayor mandate cannot start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MayorError {
    #[error(
        "the city already has a mayor over this period (mandate {other}): end it, or start this one as its successor"
    )]
    Overlaps { other: Id },
}

/// Whether two periods certainly share a day, as far as their dates are known: a period
/// surely covers the days from its start's latest reading to its end's earliest; an unknown end
/// reaches into the future and an unknown start into the past. Sources date mandates by the
/// year (a mayor until "2020", the next from "2020"): a handover within the year is no clash.
fn overlap(a: &Period, b: &Period) -> bool {
    let surely_from = |period: &Period| period.start.map(|d| d.latest());
    let surely_until = |period: &Period| period.end.map(|d| d.earliest());
    let from = surely_from(a).max(surely_from(b));
    let until = match (surely_until(a), surely_until(b)) {
        (Some(one), Some(other)) => Some(one.min(other)),
        (one, other) => one.or(other),
    };
    match (from, until) {
        (Some(from), Some(until)) => from <= until,
        _ => true,
    }
}

/// One mayor per city at a time: a new mayor mandate may not overlap another of the city's
/// mayor mandates, but for the one it succeeds (which ends as this one starts).
pub fn check_new_mayor(
    existing: &[Mandate],
    period: &Period,
    succeeds: Option<Id>,
) -> Result<(), MayorError> {
    match existing
        .iter()
        .filter(|m| m.role == MandateRole::Mayor && Some(m.id) != succeeds)
        .find(|m| overlap(&m.period, period))
    {
        Some(other) => Err(MayorError::Overlaps { other: other.id }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FuzzyDate;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn mandate(id: Id, start: Option<&str>, end: Option<&str>, attested: &[&str]) -> Mandate {
        Mandate {
            id,
            person_id: id,
            holder_of: Post::Organisation(1),
            role: MandateRole::President,
            title: "président".into(),
            period: Period::new(
                start.map(|s| FuzzyDate::parse(s).unwrap()),
                end.map(|s| FuzzyDate::parse(s).unwrap()),
            )
            .unwrap(),
            attestations: attested
                .iter()
                .map(|on| Attestation {
                    on: day(on),
                    source_id: 1,
                })
                .collect(),
            stamp: crate::Stamp {
                created_at: Default::default(),
                updated_at: Default::default(),
                version: 1,
            },
        }
    }

    #[test]
    fn the_mandate_whose_period_contains_the_day_holds_the_post() {
        let mandates = [
            mandate(1, Some("2019"), Some("2021"), &[]),
            mandate(2, Some("2021-06"), None, &[]),
        ];
        assert_eq!(
            holder_on(&mandates, day("2020-03-01")).map(|m| m.id),
            Some(1)
        );
        assert_eq!(
            holder_on(&mandates, day("2024-01-01")).map(|m| m.id),
            Some(2)
        );
        assert_eq!(holder_on(&mandates, day("2018-01-01")).map(|m| m.id), None);
    }

    #[test]
    fn the_last_attested_mandate_holds_the_post_when_no_period_is_known() {
        // The union's presidents: one attested in 2019, another in 2023.
        let mandates = [
            mandate(1, None, None, &["2019-04-18"]),
            mandate(2, None, None, &["2023-11-14"]),
        ];
        assert_eq!(
            holder_on(&mandates, day("2019-04-18")).map(|m| m.id),
            Some(1)
        );
        assert_eq!(
            holder_on(&mandates, day("2021-01-01")).map(|m| m.id),
            Some(1)
        );
        assert_eq!(
            holder_on(&mandates, day("2023-11-14")).map(|m| m.id),
            Some(2)
        );
        assert_eq!(holder_on(&mandates, day("2019-04-17")).map(|m| m.id), None);
    }

    #[test]
    fn leaders_are_the_holders_of_each_role_but_staff() {
        let mut president = mandate(1, None, None, &["2019-04-18"]);
        president.role = MandateRole::President;
        let mut successor = mandate(2, None, None, &["2023-11-14"]);
        successor.role = MandateRole::President;
        let mut staff = mandate(3, None, None, &["2023-11-14"]);
        staff.role = MandateRole::Staff;
        let all = [president, successor, staff];
        let ids = |day: &str| {
            leaders_on(&all, day_of(day))
                .iter()
                .map(|m| m.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("2020-01-01"), [1]);
        assert_eq!(ids("2024-01-01"), [2]);
        assert!(
            mayor_on(&all, day_of("2024-01-01")).is_none(),
            "no mayor among these posts"
        );
    }

    fn day_of(text: &str) -> NaiveDate {
        day(text)
    }

    #[test]
    fn a_city_has_one_mayor_at_a_time() {
        let mut current = mandate(1, Some("2020"), None, &[]);
        current.role = MandateRole::Mayor;
        let next = Period::new(FuzzyDate::parse("2026-03").ok(), None).unwrap();
        assert_eq!(
            check_new_mayor(std::slice::from_ref(&current), &next, None),
            Err(MayorError::Overlaps { other: 1 })
        );
        assert_eq!(
            check_new_mayor(std::slice::from_ref(&current), &next, Some(1)),
            Ok(())
        );
        let mut past = mandate(2, Some("2014"), Some("2019"), &[]);
        past.role = MandateRole::Mayor;
        assert_eq!(check_new_mayor(&[past], &next, None), Ok(()));
    }

    #[test]
    fn mandates_dated_by_the_year_may_hand_over_within_it() {
        let mut until_2020 = mandate(1, Some("2014"), Some("2020"), &[]);
        until_2020.role = MandateRole::Mayor;
        let from_2020 = Period::new(FuzzyDate::parse("2020").ok(), None).unwrap();
        assert_eq!(
            check_new_mayor(std::slice::from_ref(&until_2020), &from_2020, None),
            Ok(())
        );
        // A day inside both is a clash, whatever the precision.
        let from_2019 = Period::new(FuzzyDate::parse("2019-06-01").ok(), None).unwrap();
        assert_eq!(
            check_new_mayor(&[until_2020], &from_2019, None),
            Err(MayorError::Overlaps { other: 1 })
        );
    }

    #[test]
    fn a_later_mandate_that_began_supersedes_an_old_attestation() {
        let mandates = [
            mandate(1, None, None, &["2019-04-18"]),
            mandate(2, Some("2020"), Some("2020"), &[]),
        ];
        assert_eq!(holder_on(&mandates, day("2021-06-01")).map(|m| m.id), None);
        assert_eq!(
            holder_on(&mandates, day("2020-06-01")).map(|m| m.id),
            Some(2)
        );
    }
}
