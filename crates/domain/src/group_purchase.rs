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

    #[test]
    fn anything_unfinished_can_be_cancelled() {
        assert!(check_transition(Status::Open, Status::Cancelled).is_ok());
        assert!(check_transition(Status::Completed, Status::Cancelled).is_err());
        assert!(check_transition(Status::Cancelled, Status::Cancelled).is_err());
    }
}
