//! Partnerships: agreements between cities and organisations, with their parties, signatories,
//! priority domains, commitments and follow-up.

use crate::fuzzy_date::Period;
use crate::membership::Member;
use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// What kind of agreement a partnership is.
    pub enum PartnershipKind {
        Agreement = "agreement",
        CooperationProtocol = "cooperation_protocol",
        Twinning = "twinning",
        Memorandum = "memorandum",
        ProgrammePartnership = "programme_partnership",
    }
}

string_enum! {
    /// Where a partnership stands.
    pub enum PartnershipStatus {
        Draft = "draft",
        Active = "active",
        Completed = "completed",
        Terminated = "terminated",
    }
}

/// An agreement between cities and organisations.
#[derive(Debug, Clone, PartialEq)]
pub struct Partnership {
    pub id: Id,
    pub slug: String,
    pub title: String,
    /// The source gives no title: this one describes the agreement.
    pub title_is_descriptive: bool,
    pub kind: PartnershipKind,
    pub status: PartnershipStatus,
    pub summary: Option<String>,
    /// Clauses and recitals worth keeping, in the order of the text (preamble, principles…).
    pub provisions: Vec<Provision>,
    pub signed_on: Option<FuzzyDate>,
    pub signing_place_city_id: Option<Id>,
    pub period: Period,
    /// The earlier partnership this one continues.
    pub continues_id: Option<Id>,
    /// What the parties did together before, when no earlier agreement is recorded.
    pub prior_relationship: Option<String>,
    /// Who may accede to it; none when it is closed to new parties.
    pub accession: Option<Accession>,
    pub stamp: Stamp,
}

string_enum! {
    /// Who may accede to a partnership.
    pub enum Accession {
        /// Cities that are members of an organisation party to it (the members of a union
        /// that signed for them).
        MembersOfParties = "members_of_parties",
        /// Any city.
        Anyone = "anyone",
    }
}

/// Why a city may not accede to a partnership on a day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessionError {
    #[error("the partnership is not open to new parties")]
    Closed,
    #[error("the partnership is {}, not active", status.as_str())]
    NotActive { status: PartnershipStatus },
    #[error("the partnership is not in force on that day")]
    NotInForce,
    #[error("only members of an organisation party to it may accede")]
    NotEligible,
    #[error("the city is already a party")]
    AlreadyParty,
}

/// A city may accede to a partnership open to new parties, active and in force on the day,
/// if it is eligible and not yet a party.
pub fn check_accession(
    partnership: &Partnership,
    day: chrono::NaiveDate,
    member_of_a_party: bool,
    already_party: bool,
) -> Result<(), AccessionError> {
    let Some(accession) = partnership.accession else {
        return Err(AccessionError::Closed);
    };
    if partnership.status != PartnershipStatus::Active {
        return Err(AccessionError::NotActive {
            status: partnership.status,
        });
    }
    if !partnership.period.may_contain(day) {
        return Err(AccessionError::NotInForce);
    }
    if already_party {
        return Err(AccessionError::AlreadyParty);
    }
    if accession == Accession::MembersOfParties && !member_of_a_party {
        return Err(AccessionError::NotEligible);
    }
    Ok(())
}

/// A clause or recital of an agreement.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Provision {
    pub heading: String,
    pub text: String,
}

string_enum! {
    /// The part a city or an organisation plays in a partnership.
    pub enum PartyRole {
        Party = "party",
        Partner = "partner",
        Coordinator = "coordinator",
        Funder = "funder",
        Observer = "observer",
    }
}

/// A city or an organisation taking part in a partnership.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub id: Id,
    pub partnership_id: Id,
    pub actor: Member,
    pub role: PartyRole,
    /// For a partner, the party on whose side it stands ("les partenaires de Namur").
    pub side_of_party_id: Option<Id>,
    pub position: i32,
    pub stamp: Stamp,
}

string_enum! {
    /// In which capacity a person signed.
    pub enum SignatoryCapacity {
        Party = "party",
        Partner = "partner",
        Witness = "witness",
    }
}

/// A person who signed a partnership on behalf of one of its parties or partners.
#[derive(Debug, Clone, PartialEq)]
pub struct Signatory {
    pub id: Id,
    pub partnership_id: Id,
    pub person_id: Id,
    pub party_id: Id,
    pub capacity: SignatoryCapacity,
    /// The signatory's title as written under the signature.
    pub title_then: String,
    pub position: i32,
    pub stamp: Stamp,
}

/// A priority domain of a partnership, as written: "II. Le développement social et économique".
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    pub id: Id,
    pub partnership_id: Id,
    pub position: i32,
    pub numeral: Option<String>,
    pub title: String,
    pub narrative: Option<String>,
    pub stamp: Stamp,
}

string_enum! {
    /// What a commitment item states.
    pub enum CommitmentKind {
        Commitment = "commitment",
        Objective = "objective",
        Activity = "activity",
        Rationale = "rationale",
        PossibleOutcome = "possible_outcome",
        ExpectedBenefit = "expected_benefit",
    }
}

/// An item the parties commit to, in a priority domain or for the whole partnership.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    pub id: Id,
    pub partnership_id: Id,
    pub domain_id: Option<Id>,
    pub position: i32,
    pub kind: CommitmentKind,
    pub text: String,
    pub stamp: Stamp,
}

string_enum! {
    /// How a partnership is followed up.
    pub enum FollowUpKind {
        Body = "body",
        Meeting = "meeting",
        Report = "report",
    }
}

/// How a partnership is followed up, and by whom for a party.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: Id,
    pub partnership_id: Id,
    pub party_id: Option<Id>,
    pub body_organisation_id: Option<Id>,
    pub kind: FollowUpKind,
    /// How often: "regular", "annual".
    pub frequency: Option<String>,
    pub description: String,
    pub position: i32,
    pub stamp: Stamp,
}

/// A report on a partnership over a period: what was done, with indicators.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: Id,
    pub partnership_id: Id,
    pub period: Period,
    pub summary: String,
    pub published_on: Option<chrono::NaiveDate>,
    pub source_id: Option<Id>,
    pub stamp: Stamp,
}

/// An indicator of a report, per theme: its unit, target and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: Id,
    pub report_id: Id,
    /// Its rank in the report, from 1.
    pub position: i32,
    pub theme_id: Option<Id>,
    pub name: String,
    pub unit: Option<String>,
    pub target: Option<f64>,
    pub value: Option<f64>,
    pub note: Option<String>,
    pub stamp: Stamp,
}

/// Why a report does not fit its partnership.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("the report starts ({start}) before the partnership does ({partnership_start})")]
    BeforePartnership {
        start: String,
        partnership_start: String,
    },
    #[error("an indicator's theme is not one of the partnership's themes")]
    ThemeNotCovered,
}

/// A report does not surely start before its partnership starts, and its indicators are on
/// the partnership's themes (or narrower ones): `covered` says whether each indicator's
/// theme is.
pub fn check_report(
    partnership: &Partnership,
    period: &Period,
    covered: impl IntoIterator<Item = bool>,
) -> Result<(), ReportError> {
    if let (Some(start), Some(partnership_start)) = (period.start, partnership.period.start)
        && start.latest() < partnership_start.earliest()
    {
        return Err(ReportError::BeforePartnership {
            start: start.edtf(),
            partnership_start: partnership_start.edtf(),
        });
    }
    if covered.into_iter().any(|covered| !covered) {
        return Err(ReportError::ThemeNotCovered);
    }
    Ok(())
}
