//! Group purchases (regroupements d'achats) and the cities that take part, with their lifecycle.
//!
//! Vocabulary after the Open Contracting Data Standard: a tender window, an award to a
//! supplier, a contract period.

use chrono::NaiveDate;

use crate::{Id, Stamp};

string_enum! {
    /// Where a group purchase stands in its lifecycle.
    pub enum Status {
        Proposed = "proposed",
        Planned = "planned",
        Open = "open",
        Closed = "closed",
        Awarded = "awarded",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

string_enum! {
    /// Who may join a group purchase.
    pub enum Eligibility {
        MembersOfOrganiser = "members_of_organiser",
        Anyone = "anyone",
    }
}

/// A pooled procurement an organiser runs for its member municipalities.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupPurchase {
    pub id: Id,
    pub slug: String,
    pub title: String,
    /// The source gives no title: this one describes the purchase.
    pub title_is_descriptive: bool,
    pub description: Option<String>,
    pub category: Option<String>,
    pub organiser_id: Id,
    pub origin_partnership_id: Option<Id>,
    /// Who may join; unknown while the purchase is only proposed.
    pub eligibility: Option<Eligibility>,
    pub status: Status,
    pub tender_start: Option<NaiveDate>,
    pub tender_end: Option<NaiveDate>,
    pub estimated_value: Option<f64>,
    pub currency: Option<String>,
    pub supplier_id: Option<Id>,
    pub contract_start: Option<NaiveDate>,
    pub contract_end: Option<NaiveDate>,
    pub stamp: Stamp,
}

string_enum! {
    /// Where a city's participation stands.
    pub enum ParticipationStatus {
        Interested = "interested",
        Committed = "committed",
        Withdrawn = "withdrawn",
    }
}

/// A city taking part in a group purchase.
#[derive(Debug, Clone, PartialEq)]
pub struct Participation {
    pub id: Id,
    pub group_purchase_id: Id,
    pub city_id: Id,
    pub joined_on: Option<NaiveDate>,
    pub estimated_quantity: Option<f64>,
    pub estimated_amount: Option<f64>,
    pub status: ParticipationStatus,
    pub stamp: Stamp,
}

/// A lifecycle step the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a group purchase cannot go from {from} to {to}")]
pub struct TransitionError {
    pub from: Status,
    pub to: Status,
}

/// Checks one step of the lifecycle: proposed → planned → open → closed → awarded →
/// completed, and cancelled from any step before completion.
pub fn check_transition(from: Status, to: Status) -> Result<(), TransitionError> {
    let allowed = matches!(
        (from, to),
        (Status::Proposed, Status::Planned)
            | (Status::Planned, Status::Open)
            | (Status::Open, Status::Closed)
            | (Status::Closed, Status::Awarded)
            | (Status::Awarded, Status::Completed)
    ) || (to == Status::Cancelled
        && !matches!(from, Status::Completed | Status::Cancelled));
    if allowed {
        Ok(())
    } else {
        Err(TransitionError { from, to })
    }
}

/// Why a city cannot join a group purchase.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("the group purchase is {status}; cities join only while it is open")]
    NotOpen { status: Status },
    #[error("enrolment closed on {deadline}")]
    DeadlinePassed { deadline: NaiveDate },
    #[error("only members of the organiser may join this group purchase")]
    NotEligible,
    #[error("the city already takes part")]
    AlreadyJoined,
}

/// Checks that a city may join `purchase` on `today`: while it is open, before its deadline,
/// if eligible, and once.
pub fn check_join(
    purchase: &GroupPurchase,
    today: NaiveDate,
    city_is_member_of_organiser: bool,
    already_takes_part: bool,
) -> Result<(), JoinError> {
    if purchase.status != Status::Open {
        return Err(JoinError::NotOpen {
            status: purchase.status,
        });
    }
    if let Some(deadline) = purchase.tender_end.filter(|deadline| today > *deadline) {
        return Err(JoinError::DeadlinePassed { deadline });
    }
    if purchase.eligibility != Some(Eligibility::Anyone) && !city_is_member_of_organiser {
        return Err(JoinError::NotEligible);
    }
    if already_takes_part {
        return Err(JoinError::AlreadyJoined);
    }
    Ok(())
}

/// Why a city cannot withdraw.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WithdrawError {
    #[error("the group purchase is {status}; cities withdraw only while it is open")]
    NotOpen { status: Status },
    #[error("the city has already withdrawn")]
    AlreadyWithdrawn,
}

/// Checks that a participation may be withdrawn: only while the purchase is open, once.
pub fn check_withdraw(
    purchase: &GroupPurchase,
    participation: &Participation,
) -> Result<(), WithdrawError> {
    if purchase.status != Status::Open {
        return Err(WithdrawError::NotOpen {
            status: purchase.status,
        });
    }
    if participation.status == ParticipationStatus::Withdrawn {
        return Err(WithdrawError::AlreadyWithdrawn);
    }
    Ok(())
}

/// Why a lifecycle step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("awarding needs a supplier")]
    SupplierNeeded,
    #[error("the enrolment deadline {deadline} is before its opening {opens}")]
    Window {
        opens: NaiveDate,
        deadline: NaiveDate,
    },
}

/// Checks a lifecycle step with what it brings: a supplier to award, a window to open.
pub fn check_step(
    from: Status,
    to: Status,
    supplier: Option<Id>,
    window: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<(), StepError> {
    check_transition(from, to)?;
    if to == Status::Awarded && supplier.is_none() {
        return Err(StepError::SupplierNeeded);
    }
    if let (Some(opens), Some(deadline)) = window
        && deadline < opens
    {
        return Err(StepError::Window { opens, deadline });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lifecycle_moves_forward_one_step_at_a_time() {
        assert!(check_transition(Status::Proposed, Status::Planned).is_ok());
        assert!(check_transition(Status::Planned, Status::Open).is_ok());
        assert!(check_transition(Status::Closed, Status::Awarded).is_ok());
        assert!(check_transition(Status::Planned, Status::Awarded).is_err());
        assert!(check_transition(Status::Open, Status::Planned).is_err());
    }

    fn purchase(
        status: Status,
        deadline: Option<&str>,
        eligibility: Option<Eligibility>,
    ) -> GroupPurchase {
        GroupPurchase {
            id: 1,
            slug: "p".into(),
            title: "p".into(),
            title_is_descriptive: false,
            description: None,
            category: None,
            organiser_id: 1,
            origin_partnership_id: None,
            eligibility,
            status,
            tender_start: None,
            tender_end: deadline.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            estimated_value: None,
            currency: None,
            supplier_id: None,
            contract_start: None,
            contract_end: None,
            stamp: crate::Stamp {
                created_at: Default::default(),
                updated_at: Default::default(),
                version: 1,
            },
        }
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_city_joins_only_an_open_purchase_before_its_deadline_if_eligible_and_once() {
        let open = purchase(
            Status::Open,
            Some("2026-06-30"),
            Some(Eligibility::MembersOfOrganiser),
        );
        assert_eq!(check_join(&open, day("2026-06-30"), true, false), Ok(()));
        assert_eq!(
            check_join(&open, day("2026-07-01"), true, false),
            Err(JoinError::DeadlinePassed {
                deadline: day("2026-06-30")
            })
        );
        assert_eq!(
            check_join(&open, day("2026-06-01"), false, false),
            Err(JoinError::NotEligible)
        );
        assert_eq!(
            check_join(&open, day("2026-06-01"), true, true),
            Err(JoinError::AlreadyJoined)
        );
        let planned = purchase(Status::Planned, None, Some(Eligibility::Anyone));
        assert_eq!(
            check_join(&planned, day("2026-06-01"), true, false),
            Err(JoinError::NotOpen {
                status: Status::Planned
            })
        );
        let anyone = purchase(Status::Open, None, Some(Eligibility::Anyone));
        assert_eq!(check_join(&anyone, day("2026-06-01"), false, false), Ok(()));
    }

    #[test]
    fn awarding_needs_a_supplier_and_a_window_runs_forward() {
        assert_eq!(
            check_step(Status::Closed, Status::Awarded, None, (None, None)),
            Err(StepError::SupplierNeeded)
        );
        assert!(check_step(Status::Closed, Status::Awarded, Some(3), (None, None)).is_ok());
        assert!(matches!(
            check_step(
                Status::Planned,
                Status::Open,
                None,
                (Some(day("2026-02-01")), Some(day("2026-01-01")))
            ),
            Err(StepError::Window { .. })
        ));
    }

    #[test]
    fn anything_unfinished_can_be_cancelled() {
        assert!(check_transition(Status::Open, Status::Cancelled).is_ok());
        assert!(check_transition(Status::Completed, Status::Cancelled).is_err());
        assert!(check_transition(Status::Cancelled, Status::Cancelled).is_err());
    }
}
