//! What a city may join on a day — a group purchase, a programme's call, a partnership open
//! to new parties — and, for what it may not, why. Each answer comes from the rule that
//! guards the join itself (`group_purchase::check_join`, `programme::check_application`,
//! `partnership::check_accession`), so the directory never promises what a join would refuse.

use std::collections::HashSet;

use chrono::NaiveDate;

use crate::Id;
use crate::group_purchase::{GroupPurchase, JoinError};
use crate::membership::{Membership, is_member_on};
use crate::partnership::{AccessionError, Partnership};
use crate::programme::{ApplicationError, Edition, Programme};

/// Something cities may join.
#[derive(Debug, Clone, Copy)]
pub enum Opening<'a> {
    GroupPurchase(&'a GroupPurchase),
    /// An edition's call, with the organisations that own the programme.
    Edition {
        programme: &'a Programme,
        edition: &'a Edition,
        owners: &'a [Id],
    },
    /// A partnership, with the organisations that are parties to it.
    Partnership {
        partnership: &'a Partnership,
        party_organisations: &'a [Id],
    },
}

/// Where a city stands: its memberships and what it already takes part in.
#[derive(Debug, Default)]
pub struct Standing {
    pub memberships: Vec<Membership>,
    pub group_purchases: HashSet<Id>,
    pub editions: HashSet<Id>,
    pub partnerships: HashSet<Id>,
}

/// Why a city may not join.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(transparent)]
    GroupPurchase(#[from] JoinError),
    #[error(transparent)]
    Application(#[from] ApplicationError),
    #[error(transparent)]
    Accession(#[from] AccessionError),
}

/// Whether a city standing so may join the opening on `day`.
pub fn check(opening: Opening<'_>, standing: &Standing, day: NaiveDate) -> Result<(), Refusal> {
    let member_of = |organisation: Id| is_member_on(&standing.memberships, organisation, day);
    match opening {
        Opening::GroupPurchase(purchase) => Ok(crate::group_purchase::check_join(
            purchase,
            day,
            member_of(purchase.organiser_id),
            standing.group_purchases.contains(&purchase.id),
        )?),
        Opening::Edition {
            programme,
            edition,
            owners,
        } => Ok(crate::programme::check_application(
            programme,
            edition,
            day,
            owners.iter().any(|owner| member_of(*owner)),
            standing.editions.contains(&edition.id),
        )?),
        Opening::Partnership {
            partnership,
            party_organisations,
        } => Ok(crate::partnership::check_accession(
            partnership,
            day,
            party_organisations.iter().any(|party| member_of(*party)),
            standing.partnerships.contains(&partnership.id),
        )?),
    }
}

string_enum! {
    /// Why a city may not join, as a code a program can act on.
    pub enum RefusalCode {
        /// The opening is not open (a group purchase not yet open or closed, a partnership
        /// closed to new parties or no longer active).
        NotOpen = "not_open",
        /// The call opens later.
        NotYetOpen = "not_yet_open",
        /// The deadline has passed.
        DeadlinePassed = "deadline_passed",
        /// The partnership is not in force on that day.
        NotInForce = "not_in_force",
        /// The city is not eligible (not a member of the organiser on that day…).
        NotEligible = "not_eligible",
        /// The city already takes part.
        AlreadyTakesPart = "already_takes_part",
    }
}

impl Refusal {
    /// The code of the refusal.
    pub fn code(&self) -> RefusalCode {
        match self {
            Refusal::GroupPurchase(error) => match error {
                JoinError::NotOpen { .. } => RefusalCode::NotOpen,
                JoinError::DeadlinePassed { .. } => RefusalCode::DeadlinePassed,
                JoinError::NotEligible => RefusalCode::NotEligible,
                JoinError::AlreadyJoined => RefusalCode::AlreadyTakesPart,
            },
            Refusal::Application(error) => match error {
                ApplicationError::NotYetOpen { .. } => RefusalCode::NotYetOpen,
                ApplicationError::DeadlinePassed { .. } => RefusalCode::DeadlinePassed,
                ApplicationError::NotEligible => RefusalCode::NotEligible,
                ApplicationError::AlreadyParticipant => RefusalCode::AlreadyTakesPart,
            },
            Refusal::Accession(error) => match error {
                AccessionError::Closed | AccessionError::NotActive { .. } => RefusalCode::NotOpen,
                AccessionError::NotInForce => RefusalCode::NotInForce,
                AccessionError::NotEligible => RefusalCode::NotEligible,
                AccessionError::AlreadyParty => RefusalCode::AlreadyTakesPart,
            },
        }
    }
}
