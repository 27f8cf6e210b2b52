//! Initiatives — projects, experiments, solutions, pathways — and what came of them: outcomes
//! as evidence, lessons learned, and the initiatives adapted from them. This is what lets a
//! city ask "who already tried this, where, and did it work?".

use crate::fuzzy_date::Period;
use crate::{Id, Stamp};

string_enum! {
    /// What kind of initiative.
    pub enum InitiativeKind {
        /// A project carried to an end.
        Project = "project",
        /// An experiment on a site, for a limited time.
        Experiment = "experiment",
        /// A solution deployed or offered to others.
        Solution = "solution",
        /// A pathway: a course of work over time (a decarbonisation pathway).
        Pathway = "pathway",
    }
}

string_enum! {
    /// Where an initiative stands.
    pub enum InitiativeStatus {
        /// Announced; its content is not known yet.
        Announced = "announced",
        Idea = "idea",
        Planned = "planned",
        Experimenting = "experimenting",
        Evaluated = "evaluated",
        Deployed = "deployed",
        Abandoned = "abandoned",
    }
}

impl InitiativeStatus {
    /// Its rank along idea → planned → experimenting → evaluated → deployed; `announced`
    /// comes before all, `abandoned` after none.
    fn rank(self) -> Option<u8> {
        match self {
            InitiativeStatus::Announced => Some(0),
            InitiativeStatus::Idea => Some(1),
            InitiativeStatus::Planned => Some(2),
            InitiativeStatus::Experimenting => Some(3),
            InitiativeStatus::Evaluated => Some(4),
            InitiativeStatus::Deployed => Some(5),
            InitiativeStatus::Abandoned => None,
        }
    }
}

/// A status change the domain refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an initiative cannot go from {} to {}", from.as_str(), to.as_str())]
pub struct StatusError {
    pub from: InitiativeStatus,
    pub to: InitiativeStatus,
}

/// An initiative moves forward along its lifecycle (steps may be skipped: a city may report
/// an experiment already evaluated), or is abandoned before it is deployed; it never goes
/// back, and an abandoned initiative stays abandoned.
pub fn check_status(from: InitiativeStatus, to: InitiativeStatus) -> Result<(), StatusError> {
    let allowed = match (from.rank(), to.rank()) {
        (Some(from_rank), Some(to_rank)) => to_rank >= from_rank,
        (Some(_), None) => from != InitiativeStatus::Deployed,
        (None, _) => from == to,
    };
    if allowed {
        Ok(())
    } else {
        Err(StatusError { from, to })
    }
}

/// An initiative a city or organisations carried out or test.
#[derive(Debug, Clone, PartialEq)]
pub struct Initiative {
    pub id: Id,
    pub slug: String,
    pub title: String,
    pub kind: InitiativeKind,
    pub summary: Option<String>,
    pub status: InitiativeStatus,
    pub period: Period,
    /// The city where it takes place, if one.
    pub city_id: Option<Id>,
    pub programme_id: Option<Id>,
    pub edition_id: Option<Id>,
    pub partnership_id: Option<Id>,
    /// The organisation (often a start-up) that provides the solution.
    pub provider_id: Option<Id>,
    /// The initiative this one was adapted from.
    pub adapted_from_id: Option<Id>,
    /// What was changed from the original.
    pub adaptation: Option<String>,
    pub stamp: Stamp,
}

string_enum! {
    /// What an organisation does in an initiative.
    pub enum InitiativeRole {
        /// Leads it.
        Lead = "lead",
        /// Takes part in it.
        Partner = "partner",
    }
}

/// An organisation's role in an initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativeOrganisation {
    pub id: Id,
    pub initiative_id: Id,
    pub organisation_id: Id,
    pub role: InitiativeRole,
    pub stamp: Stamp,
}

string_enum! {
    /// How far an outcome can be trusted, weakest first.
    pub enum EvidenceLevel {
        /// Reported by those who carried out the initiative.
        SelfReported = "self_reported",
        /// Reviewed by peers (another city, a network).
        PeerReviewed = "peer_reviewed",
        /// Evaluated by an independent body.
        IndependentlyEvaluated = "independently_evaluated",
    }
}

impl EvidenceLevel {
    /// The levels at least as strong as this one.
    pub fn at_least(self) -> &'static [EvidenceLevel] {
        let position = EvidenceLevel::ALL
            .iter()
            .position(|level| *level == self)
            .unwrap_or(0);
        &EvidenceLevel::ALL[position..]
    }
}

/// A measured result of an initiative: an indicator with its baseline, target and actual
/// value over a period, how strong the evidence is, and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub id: Id,
    pub initiative_id: Id,
    /// Its rank among the initiative's outcomes, from 1.
    pub position: i32,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub period: Period,
    pub evidence_level: EvidenceLevel,
    pub source_id: Option<Id>,
    pub note: Option<String>,
    pub stamp: Stamp,
}

impl Outcome {
    /// Whether the actual value reached the target, going the way the target lies from the
    /// baseline (a target below the baseline is met by going down to it); unknown without
    /// the three values, or when the target is the baseline.
    pub fn target_reached(&self) -> Option<bool> {
        let (baseline, target, actual) = (self.baseline?, self.target?, self.actual?);
        if target > baseline {
            Some(actual >= target)
        } else if target < baseline {
            Some(actual <= target)
        } else {
            None
        }
    }
}

string_enum! {
    /// A lesson is a success to repeat or a pitfall to avoid ("succès et écueils").
    pub enum LessonKind {
        Success = "success",
        Pitfall = "pitfall",
    }
}

string_enum! {
    /// What a lesson is about: a small taxonomy, so that lessons can be searched across
    /// initiatives ("who ran into vendor lock-in?").
    pub enum LessonTopic {
        Procurement = "procurement",
        LegalAndDataProtection = "legal_and_data_protection",
        VendorLockIn = "vendor_lock_in",
        CitizenAcceptance = "citizen_acceptance",
        MaintenanceCost = "maintenance_cost",
        Interoperability = "interoperability",
        Funding = "funding",
        Governance = "governance",
        Skills = "skills",
        DataQuality = "data_quality",
    }
}

impl LessonTopic {
    /// The French and English labels.
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            LessonTopic::Procurement => ("Commande publique", "Procurement"),
            LessonTopic::LegalAndDataProtection => (
                "Juridique et protection des données",
                "Legal and data protection",
            ),
            LessonTopic::VendorLockIn => ("Dépendance à un fournisseur", "Vendor lock-in"),
            LessonTopic::CitizenAcceptance => ("Acceptation citoyenne", "Citizen acceptance"),
            LessonTopic::MaintenanceCost => ("Coût de maintenance", "Maintenance cost"),
            LessonTopic::Interoperability => ("Interopérabilité", "Interoperability"),
            LessonTopic::Funding => ("Financement", "Funding"),
            LessonTopic::Governance => ("Gouvernance", "Governance"),
            LessonTopic::Skills => ("Compétences", "Skills"),
            LessonTopic::DataQuality => ("Qualité des données", "Data quality"),
        }
    }
}

impl serde::Serialize for LessonTopic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A lesson learned from an initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    pub id: Id,
    pub initiative_id: Id,
    /// Its rank among the initiative's lessons, from 1.
    pub position: i32,
    pub kind: LessonKind,
    pub text: String,
    pub topics: Vec<LessonTopic>,
    pub stamp: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use InitiativeStatus::*;

    #[test]
    fn an_initiative_moves_forward_and_may_skip_steps() {
        assert_eq!(check_status(Idea, Planned), Ok(()));
        assert_eq!(check_status(Planned, Evaluated), Ok(()));
        assert_eq!(check_status(Announced, Deployed), Ok(()));
        assert_eq!(
            check_status(Evaluated, Experimenting),
            Err(StatusError {
                from: Evaluated,
                to: Experimenting
            })
        );
    }

    #[test]
    fn only_an_initiative_not_yet_deployed_can_be_abandoned_and_it_stays_so() {
        assert_eq!(check_status(Experimenting, Abandoned), Ok(()));
        assert!(check_status(Deployed, Abandoned).is_err());
        assert!(check_status(Abandoned, Planned).is_err());
        assert_eq!(check_status(Abandoned, Abandoned), Ok(()));
    }

    #[test]
    fn evidence_at_least_peer_reviewed_includes_stronger_levels() {
        assert_eq!(
            EvidenceLevel::PeerReviewed.at_least(),
            &[
                EvidenceLevel::PeerReviewed,
                EvidenceLevel::IndependentlyEvaluated
            ]
        );
        assert_eq!(EvidenceLevel::SelfReported.at_least().len(), 3);
    }

    fn outcome(baseline: f64, target: f64, actual: f64) -> Outcome {
        Outcome {
            id: 1,
            initiative_id: 1,
            position: 1,
            indicator: "kWh".into(),
            unit: None,
            baseline: Some(baseline),
            target: Some(target),
            actual: Some(actual),
            period: Period::default(),
            evidence_level: EvidenceLevel::SelfReported,
            source_id: None,
            note: None,
            stamp: Stamp {
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
                version: 1,
            },
        }
    }

    #[test]
    fn a_target_below_the_baseline_is_reached_by_going_down() {
        assert_eq!(outcome(100.0, 70.0, 65.0).target_reached(), Some(true));
        assert_eq!(outcome(100.0, 70.0, 80.0).target_reached(), Some(false));
        assert_eq!(outcome(10.0, 20.0, 25.0).target_reached(), Some(true));
        assert_eq!(outcome(10.0, 10.0, 25.0).target_reached(), None);
    }
}
