//! Memberships: a city or an organisation belongs to an organisation.

use chrono::NaiveDate;

use crate::fuzzy_date::Period;
use crate::{Id, Stamp};

string_enum! {
    /// How a member belongs to an organisation.
    pub enum MembershipKind {
        Member = "member",
        FoundingMember = "founding_member",
        PartnerCity = "partner_city",
        Associate = "associate",
    }
}

/// Who is a member: a city or an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Member {
    City(Id),
    Organisation(Id),
}

/// A member of an organisation, over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: Id,
    pub organisation_id: Id,
    pub member: Member,
    pub kind: MembershipKind,
    pub period: Period,
    pub stamp: Stamp,
}

/// Whether `memberships` (a city's) make it a member of `organisation_id` on `day`: a
/// membership of that organisation whose period may contain the day (an unknown start or
/// end does not exclude it).
pub fn is_member_on(memberships: &[Membership], organisation_id: Id, day: NaiveDate) -> bool {
    memberships
        .iter()
        .any(|m| m.organisation_id == organisation_id && m.period.may_contain(day))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FuzzyDate;

    fn membership(start: Option<&str>, end: Option<&str>) -> Membership {
        let date = |text: &str| FuzzyDate::parse(text).unwrap();
        Membership {
            id: 1,
            organisation_id: 7,
            member: Member::City(1),
            kind: MembershipKind::Member,
            period: Period::new(start.map(date), end.map(date)).unwrap(),
            stamp: Stamp {
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
                version: 1,
            },
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_city_is_a_member_on_the_days_its_membership_may_cover() {
        let memberships = [membership(Some("2020"), Some("2022-06"))];
        assert!(is_member_on(&memberships, 7, day("2021-03-01")));
        assert!(!is_member_on(&memberships, 7, day("2023-01-01")));
        assert!(!is_member_on(&memberships, 8, day("2021-03-01")));
        assert!(is_member_on(
            &[membership(None, None)],
            7,
            day("1990-01-01")
        ));
    }
}
