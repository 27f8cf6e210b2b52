//! Self-diagnostic tools: what an organisation offers cities to assess their maturity on a
//! theme (the smart-city self-diagnostic). Questionnaires and assessments build on these.

use chrono::NaiveDate;

use crate::{Id, Stamp};

/// A self-diagnostic tool an organisation publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticTool {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub publisher_id: Id,
    pub url: Option<String>,
    /// Who it is for, as each source names them.
    pub audiences: Vec<String>,
    /// How it is offered ("on the internet, open to all").
    pub availability: Option<String>,
    /// A day by which it was available (a launch date is often not given).
    pub available_by: Option<NaiveDate>,
    pub purpose: Option<String>,
    pub goal: Option<String>,
    /// The organisation whose idea it was.
    pub origin_organisation_id: Option<Id>,
    /// How it came about.
    pub origin: Option<String>,
    pub stamp: Stamp,
}

/// A versioned questionnaire of a self-diagnostic: dimensions with weights, questions with
/// scored choices, and the maturity levels the overall score falls into. It is data: an
/// admin loads it from a file, and `Questionnaire::check` validates it on load.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireContent {
    pub dimensions: Vec<Dimension>,
    /// Maturity levels, from the lowest; each starts at its `min_score` (0–100).
    pub levels: Vec<MaturityLevel>,
}

/// A dimension of a questionnaire ("gouvernance", "données"), weighted in the overall score.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub key: String,
    pub title: String,
    pub weight: f64,
    pub questions: Vec<Question>,
}

/// A question with its choices.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub key: String,
    pub text: String,
    pub choices: Vec<Choice>,
}

/// A choice and the points it scores.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub key: String,
    pub label: String,
    pub score: f64,
}

/// A maturity level and the overall score it starts at.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MaturityLevel {
    pub name: String,
    pub min_score: f64,
}

/// What makes a questionnaire unusable, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireError {
    #[error("a questionnaire has at least one dimension")]
    NoDimension,
    #[error("{path}: {reason}")]
    Invalid { path: String, reason: String },
}

fn invalid(path: impl Into<String>, reason: impl Into<String>) -> QuestionnaireError {
    QuestionnaireError::Invalid {
        path: path.into(),
        reason: reason.into(),
    }
}

impl QuestionnaireContent {
    /// Checks that every key is unique where it must be, weights are positive, each
    /// question has two choices or more with scores from 0 and one above 0, and the levels
    /// start at 0 and rise.
    pub fn check(&self) -> Result<(), QuestionnaireError> {
        if self.dimensions.is_empty() {
            return Err(QuestionnaireError::NoDimension);
        }
        let mut question_keys = std::collections::HashSet::new();
        let mut dimension_keys = std::collections::HashSet::new();
        for dimension in &self.dimensions {
            let path = format!("dimension {:?}", dimension.key);
            if dimension.key.trim().is_empty() || !dimension_keys.insert(&dimension.key) {
                return Err(invalid(path, "a dimension needs a key of its own"));
            }
            if !(dimension.weight.is_finite() && dimension.weight > 0.0) {
                return Err(invalid(path, "the weight must be above 0"));
            }
            if dimension.questions.is_empty() {
                return Err(invalid(path, "a dimension has at least one question"));
            }
            for question in &dimension.questions {
                let path = format!("question {:?}", question.key);
                if question.key.trim().is_empty() || !question_keys.insert(&question.key) {
                    return Err(invalid(
                        path,
                        "a question needs a key unique in the questionnaire",
                    ));
                }
                if question.choices.len() < 2 {
                    return Err(invalid(path, "a question has at least two choices"));
                }
                let mut choice_keys = std::collections::HashSet::new();
                for choice in &question.choices {
                    if !choice_keys.insert(&choice.key) {
                        return Err(invalid(
                            format!("{path}, choice {:?}", choice.key),
                            "choice keys are unique within a question",
                        ));
                    }
                    if !(choice.score.is_finite() && choice.score >= 0.0) {
                        return Err(invalid(
                            format!("{path}, choice {:?}", choice.key),
                            "a score is 0 or more",
                        ));
                    }
                }
                if question.max_score() <= 0.0 {
                    return Err(invalid(path, "one choice at least scores above 0"));
                }
            }
        }
        match self.levels.first() {
            Some(first) if first.min_score == 0.0 => {}
            _ => return Err(invalid("levels", "the first level starts at 0")),
        }
        if self
            .levels
            .windows(2)
            .any(|pair| pair[1].min_score <= pair[0].min_score || pair[1].min_score > 100.0)
        {
            return Err(invalid("levels", "levels rise from 0 to at most 100"));
        }
        Ok(())
    }

    /// The name of the highest maturity level an overall score reaches.
    pub fn level_of(&self, overall: f64) -> Option<&str> {
        self.levels
            .iter()
            .rev()
            .find(|level| overall >= level.min_score)
            .map(|level| level.name.as_str())
    }

    fn question(&self, key: &str) -> Option<(&Dimension, &Question)> {
        self.dimensions.iter().find_map(|dimension| {
            dimension
                .questions
                .iter()
                .find(|question| question.key == key)
                .map(|question| (dimension, question))
        })
    }
}

impl Question {
    /// The most a choice scores.
    pub fn max_score(&self) -> f64 {
        self.choices.iter().map(|c| c.score).fold(0.0, f64::max)
    }
}

/// One answer: the choice made for a question, by their keys.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Answer {
    pub question: String,
    pub choice: String,
}

/// Why answers cannot be scored, naming the question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the questionnaire has no question {0:?}")]
    UnknownQuestion(String),
    #[error("question {question:?} has no choice {choice:?}")]
    UnknownChoice { question: String, choice: String },
    #[error("question {0:?} is answered twice")]
    AnsweredTwice(String),
    #[error("question {0:?} is not answered")]
    Unanswered(String),
}

/// The scores of one assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Scores {
    /// Per dimension, in the questionnaire's order: 100 × points scored / points possible.
    pub dimensions: Vec<(String, f64)>,
    /// The dimensions' scores averaged with their weights.
    pub overall: f64,
    /// The name of the highest level whose minimum the overall score reaches.
    pub level: String,
}

/// Scores answers to every question of a questionnaire.
pub fn score(content: &QuestionnaireContent, answers: &[Answer]) -> Result<Scores, AnswerError> {
    let mut chosen: std::collections::HashMap<&str, f64> = std::collections::HashMap::new();
    for answer in answers {
        let (_, question) = content
            .question(&answer.question)
            .ok_or_else(|| AnswerError::UnknownQuestion(answer.question.clone()))?;
        let choice = question
            .choices
            .iter()
            .find(|c| c.key == answer.choice)
            .ok_or_else(|| AnswerError::UnknownChoice {
                question: answer.question.clone(),
                choice: answer.choice.clone(),
            })?;
        if chosen.insert(question.key.as_str(), choice.score).is_some() {
            return Err(AnswerError::AnsweredTwice(question.key.clone()));
        }
    }
    let mut dimensions = Vec::new();
    let (mut weighted, mut weights) = (0.0, 0.0);
    for dimension in &content.dimensions {
        let (mut scored, mut possible) = (0.0, 0.0);
        for question in &dimension.questions {
            scored += chosen
                .get(question.key.as_str())
                .ok_or_else(|| AnswerError::Unanswered(question.key.clone()))?;
            possible += question.max_score();
        }
        let value = 100.0 * scored / possible;
        weighted += dimension.weight * value;
        weights += dimension.weight;
        dimensions.push((dimension.key.clone(), value));
    }
    let overall = weighted / weights;
    let level = content.level_of(overall).unwrap_or_default().to_owned();
    Ok(Scores {
        dimensions,
        overall,
        level,
    })
}

/// Whether two cities are of similar size for comparing assessments: neither is more than
/// twice the other.
pub fn similar_size(a: Option<i64>, b: Option<i64>) -> bool {
    crate::peers::population_ratio(a, b).is_some_and(|ratio| ratio >= 0.5)
}

/// Where `score` stands among `others` (the other cities' scores), from 0 to 100: the share
/// of them below it, ties counting half; none without others.
pub fn percentile(score: f64, others: &[f64]) -> Option<f64> {
    if others.is_empty() {
        return None;
    }
    let below = others.iter().filter(|other| **other < score).count() as f64;
    let tied = others.iter().filter(|other| **other == score).count() as f64;
    Some(100.0 * (below + tied / 2.0) / others.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of the shipped example questionnaire.
    fn example() -> QuestionnaireContent {
        let choices = |scores: &[f64]| {
            scores
                .iter()
                .enumerate()
                .map(|(i, score)| Choice {
                    key: format!("c{i}"),
                    label: format!("choice {i}"),
                    score: *score,
                })
                .collect()
        };
        QuestionnaireContent {
            dimensions: vec![
                Dimension {
                    key: "gouvernance".into(),
                    title: "Gouvernance".into(),
                    weight: 2.0,
                    questions: vec![
                        Question {
                            key: "q1".into(),
                            text: "Q1".into(),
                            choices: choices(&[0.0, 1.0, 2.0, 3.0]),
                        },
                        Question {
                            key: "q2".into(),
                            text: "Q2".into(),
                            choices: choices(&[0.0, 2.0, 4.0]),
                        },
                    ],
                },
                Dimension {
                    key: "donnees".into(),
                    title: "Données".into(),
                    weight: 1.0,
                    questions: vec![Question {
                        key: "q3".into(),
                        text: "Q3".into(),
                        choices: choices(&[0.0, 1.0, 2.0]),
                    }],
                },
            ],
            levels: vec![
                MaturityLevel {
                    name: "Exploration".into(),
                    min_score: 0.0,
                },
                MaturityLevel {
                    name: "Structuration".into(),
                    min_score: 40.0,
                },
                MaturityLevel {
                    name: "Intégration".into(),
                    min_score: 70.0,
                },
                MaturityLevel {
                    name: "Transformation".into(),
                    min_score: 90.0,
                },
            ],
        }
    }

    fn answer(question: &str, choice: &str) -> Answer {
        Answer {
            question: question.into(),
            choice: choice.into(),
        }
    }

    #[test]
    fn the_worked_example_scores_as_computed_by_hand() {
        // q1 = 2 of 3, q2 = 4 of 4: gouvernance 100 × 6/7 = 85.71; q3 = 1 of 2: données 50;
        // overall (2 × 85.71 + 50) / 3 = 73.81: "Intégration" (from 70).
        let scores = score(
            &example(),
            &[answer("q1", "c2"), answer("q2", "c2"), answer("q3", "c1")],
        )
        .unwrap();
        assert!((scores.dimensions[0].1 - 600.0 / 7.0).abs() < 1e-9);
        assert_eq!(scores.dimensions[1], ("donnees".to_owned(), 50.0));
        assert!((scores.overall - (2.0 * 600.0 / 7.0 + 50.0) / 3.0).abs() < 1e-9);
        assert_eq!(scores.level, "Intégration");
    }

    #[test]
    fn unknown_repeated_or_missing_answers_are_refused_by_name() {
        let q = example();
        assert_eq!(
            score(&q, &[answer("q9", "c0")]),
            Err(AnswerError::UnknownQuestion("q9".into()))
        );
        assert_eq!(
            score(&q, &[answer("q1", "c9")]),
            Err(AnswerError::UnknownChoice {
                question: "q1".into(),
                choice: "c9".into()
            })
        );
        assert_eq!(
            score(&q, &[answer("q1", "c0"), answer("q1", "c1")]),
            Err(AnswerError::AnsweredTwice("q1".into()))
        );
        assert_eq!(
            score(&q, &[answer("q1", "c0"), answer("q2", "c0")]),
            Err(AnswerError::Unanswered("q3".into()))
        );
    }

    #[test]
    fn a_questionnaire_is_checked_on_load() {
        assert_eq!(example().check(), Ok(()));
        let mut duplicate = example();
        duplicate.dimensions[1].questions[0].key = "q1".into();
        assert!(
            matches!(duplicate.check(), Err(QuestionnaireError::Invalid { path, .. }) if path == "question \"q1\"")
        );
        let mut weightless = example();
        weightless.dimensions[0].weight = 0.0;
        assert!(weightless.check().is_err());
        let mut levels = example();
        levels.levels[2].min_score = 30.0;
        assert!(levels.check().is_err());
    }

    #[test]
    fn the_percentile_counts_those_below_and_half_the_ties() {
        assert_eq!(percentile(50.0, &[10.0, 50.0, 90.0, 20.0]), Some(62.5));
        assert_eq!(percentile(50.0, &[]), None);
        assert!(similar_size(Some(10_000), Some(20_000)));
        assert!(!similar_size(Some(10_000), Some(20_001)));
    }
}

/// A revision of a self-diagnostic questionnaire, as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct Questionnaire {
    pub id: Id,
    pub slug: String,
    /// The tool it belongs to; none for the shipped example, which no organisation publishes.
    pub tool_id: Option<Id>,
    /// The revision, as its publisher numbers it ("2024.1"); each revision is its own record.
    pub revision: String,
    pub title: String,
    /// An illustration, not a real organisation's questionnaire.
    pub is_example: bool,
    pub published_on: Option<NaiveDate>,
    pub content: QuestionnaireContent,
    pub stamp: Stamp,
}

/// A city's answers to a questionnaire on a day, with the overall score they gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: Id,
    pub questionnaire_id: Id,
    pub city_id: Id,
    pub assessed_on: NaiveDate,
    pub answers: Vec<Answer>,
    /// `score(...).overall` when submitted (a questionnaire revision never changes).
    pub overall_score: f64,
    pub stamp: Stamp,
}
