//! Memberships: a city or an organisation belongs to an organisation.

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
