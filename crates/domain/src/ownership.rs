//! Who a record belongs to, for who may see it.
//!
//! Everything in the directory is public but draft partnerships (`access::DraftScope`). A
//! draft's parts — its parties, signatories, domains, commitments, follow-ups, reports and
//! their indicators — the records linked to it — events, initiatives and what they hold,
//! statements about it — and
//! the citations of any of them belong to the draft: whoever sees the draft sees them, and no
//! one else, however they are reached (by id, through a person's signatures, a source's
//! citations, in a list). This is the one place that says which record belongs to what; the
//! API follows owners up to a partnership and asks `Actor::draft_scope` about it.

use crate::Id;
use crate::event::{Event, EventParticipant};
use crate::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use crate::partnership::{Commitment, Domain, FollowUp, Indicator, Party, Report, Signatory};
use crate::person::Statement;
use crate::source::{Citation, RecordType};

/// What a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// The public directory: seen by everyone.
    Directory,
    /// Another record (a partnership, a report, an initiative, a part…): seen by whoever sees
    /// that record.
    Record(RecordType, Id),
}

/// A record that may belong to something other than the directory as a whole.
pub trait Owned {
    fn owner(&self) -> Owner;
}

/// Whether records of `kind` may belong to a partnership, and so be hidden with it: its parts,
/// what is linked to it and what they hold, and a citation of any of these.
pub fn may_be_owned(kind: RecordType) -> bool {
    use RecordType::*;
    matches!(
        kind,
        Partnership
            | PartnershipParty
            | Signatory
            | PartnershipDomain
            | Commitment
            | FollowUp
            | Report
            | Indicator
            | Event
            | EventParticipant
            | Initiative
            | InitiativeOrganisation
            | Outcome
            | Lesson
            | Statement
            | Citation
    )
}

macro_rules! owned_by {
    ($kind:ident . $field:ident: $($type:ty),* $(,)?) => {
        $(impl Owned for $type {
            fn owner(&self) -> Owner {
                Owner::Record(RecordType::$kind, self.$field)
            }
        })*
    };
}

owned_by!(Partnership.partnership_id: Party, Signatory, Domain, Commitment, FollowUp, Report);
owned_by!(Report.report_id: Indicator);
owned_by!(Event.event_id: EventParticipant);
owned_by!(Initiative.initiative_id: InitiativeOrganisation, Outcome, Lesson);

impl Owned for Event {
    fn owner(&self) -> Owner {
        self.partnership_id.map_or(Owner::Directory, |id| {
            Owner::Record(RecordType::Partnership, id)
        })
    }
}

impl Owned for Initiative {
    fn owner(&self) -> Owner {
        self.partnership_id.map_or(Owner::Directory, |id| {
            Owner::Record(RecordType::Partnership, id)
        })
    }
}

/// A statement about a partnership belongs to it: a quote about a draft is the draft's.
impl Owned for Statement {
    fn owner(&self) -> Owner {
        self.about_partnership_id.map_or(Owner::Directory, |id| {
            Owner::Record(RecordType::Partnership, id)
        })
    }
}

/// A citation belongs to the record it cites, when that record may be hidden.
impl Owned for Citation {
    fn owner(&self) -> Owner {
        if may_be_owned(self.record_type) {
            Owner::Record(self.record_type, self.record_id)
        } else {
            Owner::Directory
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_be_hidden_is_a_partnership_and_what_hangs_from_it() {
        assert!(may_be_owned(RecordType::Partnership));
        assert!(may_be_owned(RecordType::Indicator));
        assert!(may_be_owned(RecordType::Citation));
        assert!(!may_be_owned(RecordType::City));
        assert!(!may_be_owned(RecordType::Source));
    }
}
