//! Programmes: a metropolitan programme of urban experimentation with its editions and
//! laureate communes, or a borough programme carried by mandated local organisations.

use chrono::NaiveDate;

use crate::fuzzy_date::Period;
use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// How cities or organisations take part in a programme.
    pub enum ParticipationMode {
        /// Calls in numbered editions, each with its laureates.
        Editions = "editions",
        /// No editions: in each territory an organisation mandated there carries it.
        Carried = "carried",
    }
}

/// A programme that supports cities over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub acronym: Option<String>,
    /// What the programme is for.
    pub aim: Option<String>,
    pub description: Option<String>,
    /// Who may take part, as the sources put it ("communes volontaires").
    pub intended_participants: Option<String>,
    /// The kinds of actors it brings together.
    pub stakeholders: Vec<String>,
    /// What the support covers, as a whole.
    pub support_scope: Option<String>,
    /// Rules the programme states ("the mayors choose the sites").
    pub rules: Vec<String>,
    /// Who brings the solutions tried (start-ups, entrepreneurs), when no one is named.
    pub solution_providers: Option<String>,
    pub participation_mode: ParticipationMode,
    /// Where it runs, in words ("the boroughs of Montréal").
    pub territory: Option<String>,
    pub territory_city_id: Option<Id>,
    /// Since when it runs.
    pub since: Option<FuzzyDate>,
    /// How long it supports each participant, in months.
    pub duration_months: Option<i32>,
    /// Who may apply to its calls; unknown when the sources do not say.
    pub eligibility: Option<crate::group_purchase::Eligibility>,
    pub stamp: Stamp,
}

string_enum! {
    /// What an organisation does in a programme.
    pub enum OrganiserRole {
        /// Initiates and carries the programme.
        Owner = "owner",
        /// Runs it with the owner.
        CoAnimator = "co_animator",
        /// Contributes a part of it.
        Partner = "partner",
        /// Speaks for the programme and networks those who carry it.
        Spokesperson = "spokesperson",
        /// Funds it.
        Funder = "funder",
    }
}

impl OrganiserRole {
    /// Owners and co-animators run a programme: their partners write its editions and
    /// participants.
    pub fn runs_programme(self) -> bool {
        matches!(self, OrganiserRole::Owner | OrganiserRole::CoAnimator)
    }
}

/// An organisation's role in a programme.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeOrganiser {
    pub id: Id,
    pub programme_id: Id,
    pub organisation_id: Id,
    pub role: OrganiserRole,
    pub note: Option<String>,
    pub stamp: Stamp,
}

string_enum! {
    /// A kind of support a programme gives.
    pub enum SupportKind {
        LearningPath = "learning_path",
        TerritorialDiagnostic = "territorial_diagnostic",
        ProjectHolderRelation = "project_holder_relation",
        LegalEngineering = "legal_engineering",
        ImpactEvaluation = "impact_evaluation",
        Visibility = "visibility",
        Funding = "funding",
        Other = "other",
    }
}

/// One component of a programme's support, in the order the programme lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct SupportComponent {
    pub id: Id,
    pub programme_id: Id,
    /// Its rank among the programme's components, from 1.
    pub position: i32,
    pub kind: SupportKind,
    pub description: String,
    /// The organisation that provides it, when named.
    pub provider_id: Option<Id>,
    pub stamp: Stamp,
}

string_enum! {
    /// Where an edition stands.
    pub enum EditionStatus {
        /// Laureates announced; support not started or just started.
        Announced = "announced",
        Running = "running",
        Completed = "completed",
    }
}

/// A numbered edition of a programme.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub id: Id,
    pub programme_id: Id,
    /// 1 for the first edition.
    pub number: i32,
    pub period: Period,
    pub duration_months: Option<i32>,
    pub status: EditionStatus,
    pub note: Option<String>,
    /// The first day of its call for applications, when known.
    pub call_opens: Option<NaiveDate>,
    /// The last day of its call for applications, when known.
    pub call_deadline: Option<NaiveDate>,
    pub stamp: Stamp,
}

/// Why a city may not apply to an edition's call on a day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplicationError {
    #[error("the call opens on {opens}")]
    NotYetOpen { opens: NaiveDate },
    #[error("the call closed on {deadline}")]
    DeadlinePassed { deadline: NaiveDate },
    #[error("only members of the programme's owner may apply")]
    NotEligible,
    #[error("the city already takes part in this edition")]
    AlreadyParticipant,
}

/// A city may apply to an edition while its call is open, if it is eligible (a member of
/// the programme's owner on that day when the programme asks it) and not yet a participant.
pub fn check_application(
    programme: &Programme,
    edition: &Edition,
    day: NaiveDate,
    member_of_owner: bool,
    already_participant: bool,
) -> Result<(), ApplicationError> {
    if let Some(opens) = edition.call_opens.filter(|opens| day < *opens) {
        return Err(ApplicationError::NotYetOpen { opens });
    }
    if let Some(deadline) = edition.call_deadline.filter(|deadline| day > *deadline) {
        return Err(ApplicationError::DeadlinePassed { deadline });
    }
    if programme.eligibility == Some(crate::group_purchase::Eligibility::MembersOfOrganiser)
        && !member_of_owner
    {
        return Err(ApplicationError::NotEligible);
    }
    if already_participant {
        return Err(ApplicationError::AlreadyParticipant);
    }
    Ok(())
}

/// Why an edition cannot follow the previous one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditionError {
    #[error("edition {number} must come after edition {previous}")]
    NotAfter { previous: i32, number: i32 },
    #[error("edition {number} starts ({start}) before edition {previous} ends ({end})")]
    Overlaps {
        previous: i32,
        number: i32,
        start: NaiveDate,
        end: NaiveDate,
    },
}

/// An edition follows the previous one: its number is higher, and it does not surely start
/// before the previous one surely ends. Dates known to the month or year may overlap without
/// being refused.
pub fn check_follows(previous: &Edition, number: i32, period: &Period) -> Result<(), EditionError> {
    if number <= previous.number {
        return Err(EditionError::NotAfter {
            previous: previous.number,
            number,
        });
    }
    if let (Some(end), Some(start)) = (previous.period.end, period.start)
        && start.latest() < end.earliest()
    {
        return Err(EditionError::Overlaps {
            previous: previous.number,
            number,
            start: start.latest(),
            end: end.earliest(),
        });
    }
    Ok(())
}

string_enum! {
    /// How a city or organisation takes part in a programme.
    pub enum ParticipantRole {
        /// A city chosen in an edition's call.
        Laureate = "laureate",
        /// An organisation mandated in a territory to carry the programme there.
        Carrier = "carrier",
    }
}

/// A city or organisation taking part in a programme or one of its editions.
#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub id: Id,
    pub programme_id: Id,
    pub edition_id: Option<Id>,
    /// The laureate city, or the territory (borough) a carrier is mandated in.
    pub city_id: Option<Id>,
    /// The carrier organisation.
    pub organisation_id: Option<Id>,
    pub role: ParticipantRole,
    /// The site or district concerned, when named.
    pub site: Option<String>,
    /// The mayor's mandate at the time, as the source names it.
    pub mayor_mandate_id: Option<Id>,
    pub stamp: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edition(number: i32, start: Option<&str>, end: Option<&str>) -> Edition {
        let date = |text: &str| FuzzyDate::parse(text).unwrap();
        Edition {
            id: number,
            programme_id: 1,
            number,
            period: Period::new(start.map(date), end.map(date)).unwrap(),
            duration_months: None,
            status: EditionStatus::Completed,
            note: None,
            call_opens: None,
            call_deadline: None,
            stamp: Stamp {
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
                version: 1,
            },
        }
    }

    #[test]
    fn an_edition_after_the_previous_one_follows_it() {
        let first = edition(1, Some("2023"), Some("2024-06"));
        let second = edition(2, Some("2024-09"), None);
        assert_eq!(check_follows(&first, 2, &second.period), Ok(()));
    }

    #[test]
    fn an_edition_that_surely_starts_before_the_previous_ends_overlaps() {
        let first = edition(1, Some("2023-01"), Some("2024-06-30"));
        let second = edition(2, Some("2024-03-01"), None);
        assert!(matches!(
            check_follows(&first, 2, &second.period),
            Err(EditionError::Overlaps {
                previous: 1,
                number: 2,
                ..
            })
        ));
    }

    #[test]
    fn fuzzy_bounds_that_may_not_overlap_are_accepted() {
        // The first may end any day of 2024; the second may start any day of 2024.
        let first = edition(1, Some("2023"), Some("2024"));
        let second = edition(2, Some("2024"), None);
        assert_eq!(check_follows(&first, 2, &second.period), Ok(()));
    }

    #[test]
    fn an_edition_number_goes_up() {
        let first = edition(3, None, None);
        assert_eq!(
            check_follows(&first, 3, &Period::default()),
            Err(EditionError::NotAfter {
                previous: 3,
                number: 3
            })
        );
    }
}
