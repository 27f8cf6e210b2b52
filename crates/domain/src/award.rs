//! Awards and challenges, and the recognitions they give cities and organisations.

use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// An award honours what was done; a challenge funds what is proposed.
    pub enum AwardKind {
        /// A merit or prize given for achievements (yearly, as a rule).
        Award = "award",
        /// A competition among applicants, with finalists, winners and a prize.
        Challenge = "challenge",
    }
}

string_enum! {
    /// A stage of an award or challenge.
    pub enum MilestoneKind {
        Launch = "launch",
        ApplicationsClose = "applications_close",
        FinalistsAnnounced = "finalists_announced",
        WinnersAnnounced = "winners_announced",
    }
}

/// A stage of an award or challenge with its date as known.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Milestone {
    pub kind: MilestoneKind,
    /// EDTF text (`2017-11`, `2018-06-01`).
    pub date: String,
    /// Announced for the future as of the source's date.
    #[serde(default)]
    pub planned: bool,
    #[serde(default)]
    pub note: Option<String>,
}

impl serde::Serialize for MilestoneKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// An award or a challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct Award {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub kind: AwardKind,
    pub organiser_id: Id,
    /// What it rewards or aims at.
    pub description: Option<String>,
    /// Since when it exists (an award given "for 15 years" in 2019: `2004~`).
    pub since: Option<FuzzyDate>,
    /// How often it is given, when the source says.
    pub frequency: Option<String>,
    /// The prize, as the source puts it.
    pub prize: Option<String>,
    pub milestones: Vec<Milestone>,
    pub stamp: Stamp,
}

string_enum! {
    /// How far a city or organisation went in an award or challenge.
    pub enum RecognitionLevel {
        Applicant = "applicant",
        Finalist = "finalist",
        Winner = "winner",
    }
}

/// A city or organisation recognised by an award for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Recognition {
    pub id: Id,
    pub award_id: Id,
    pub year: i32,
    pub level: RecognitionLevel,
    pub category: Option<String>,
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    /// The initiative it rewards, if one.
    pub initiative_id: Option<Id>,
    pub stamp: Stamp,
}

/// Why a recognition cannot be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecognitionError {
    #[error("the award exists only since {since}: no recognition for {year}")]
    BeforeAward { year: i32, since: String },
    #[error("a recognition goes to a city or an organisation")]
    NoRecipient,
}

/// A recognition is for a year the award may have existed in, and goes to someone.
pub fn check_recognition(
    award: &Award,
    year: i32,
    has_recipient: bool,
) -> Result<(), RecognitionError> {
    if !has_recipient {
        return Err(RecognitionError::NoRecipient);
    }
    if let Some(since) = award.since {
        use chrono::Datelike;
        if year < since.earliest().year() {
            return Err(RecognitionError::BeforeAward {
                year,
                since: since.edtf(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn award(since: &str) -> Award {
        Award {
            id: 1,
            slug: "merite".into(),
            name: "Mérite".into(),
            kind: AwardKind::Award,
            organiser_id: 1,
            description: None,
            since: Some(FuzzyDate::parse(since).unwrap()),
            frequency: None,
            prize: None,
            milestones: Vec::new(),
            stamp: Stamp {
                created_at: chrono::Utc::now(),
                updated_at: chrono::Utc::now(),
                version: 1,
            },
        }
    }

    #[test]
    fn a_recognition_before_the_award_existed_is_refused() {
        assert_eq!(
            check_recognition(&award("2004"), 2003, true),
            Err(RecognitionError::BeforeAward {
                year: 2003,
                since: "2004".into()
            })
        );
        assert_eq!(check_recognition(&award("2004"), 2004, true), Ok(()));
    }

    #[test]
    fn an_approximate_start_counts_from_its_earliest_day() {
        // `2004~` may be 2003: a recognition in 2003 is possible.
        let earliest = FuzzyDate::parse("2004~").unwrap().earliest();
        use chrono::Datelike;
        let year = earliest.year();
        assert_eq!(check_recognition(&award("2004~"), year, true), Ok(()));
    }

    #[test]
    fn a_recognition_needs_a_recipient() {
        assert_eq!(
            check_recognition(&award("2004"), 2010, false),
            Err(RecognitionError::NoRecipient)
        );
    }
}
