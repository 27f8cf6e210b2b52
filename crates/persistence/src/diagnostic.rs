//! The self-diagnostic: loading a questionnaire from its file, submitting a city's
//! assessment (scored by the domain), and each assessment's standing among cities of
//! similar size that took the same questionnaire.

use std::collections::HashMap;

use chrono::NaiveDate;
use domain::Id;
use domain::access::Actor;
use domain::city::City;
use domain::diagnostic::{
    Answer, AnswerError, Assessment, Questionnaire, QuestionnaireContent, percentile, similar_size,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Deserialize;
use serde_json::json;

use crate::entity::*;
use crate::stored::{by_ids, convert, one_of};
use crate::write::{
    Change, Changing, Field, Kind, Rule, Unit, WriteError, broken, invalid, on, on_store, set_if,
    unique_as,
};
use crate::{Db, Error, rows};

/// Questionnaires, as the write path handles them.
const QUESTIONNAIRE: Kind<questionnaire::Entity, Questionnaire> = Kind {
    to_domain: crate::rows::questionnaire,
    snapshot: |questionnaire| {
        json!({
            "slug": questionnaire.slug,
            "revision": questionnaire.revision,
            "title": questionnaire.title,
            "version": questionnaire.stamp.version,
        })
    },
    unique: &[],
};

/// Assessments, as the write path handles them.
const ASSESSMENT: Kind<assessment::Entity, Assessment> = Kind {
    to_domain: crate::rows::assessment,
    snapshot: |assessment| {
        json!({
            "questionnaireId": assessment.questionnaire_id,
            "cityId": assessment.city_id,
            "assessedOn": assessment.assessed_on,
            "overallScore": assessment.overall_score,
            "version": assessment.stamp.version,
        })
    },
    unique: &[],
};

/// A questionnaire file, as an admin loads it (TOML).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionnaireFile {
    pub slug: String,
    pub title: String,
    pub revision: String,
    /// The tool it belongs to, by slug; none for an example no organisation publishes.
    pub tool: Option<String>,
    #[serde(default)]
    pub example: bool,
    pub published_on: Option<NaiveDate>,
    #[serde(flatten)]
    pub content: QuestionnaireContent,
}

/// Reads and checks a questionnaire file's text; `field` names the input in errors.
pub fn parse_questionnaire(text: &str) -> Result<QuestionnaireFile, WriteError> {
    let file: QuestionnaireFile =
        toml::from_str(text).map_err(|error| invalid(Field::Content, error.message()))?;
    domain::slug::Slug::parse(&file.slug).map_err(on(Field::Content))?;
    if file.revision.trim().is_empty() {
        return Err(invalid(
            Field::Content,
            "revision: a questionnaire names its revision",
        ));
    }
    file.content.check().map_err(on(Field::Content))?;
    Ok(file)
}

/// Stores a checked questionnaire: an admin's write (or the operator's).
pub async fn load_questionnaire(
    unit: &crate::write::Unit,
    file: QuestionnaireFile,
) -> Result<Questionnaire, WriteError> {
    unit.actor().check_admin()?;
    let tx = unit.tx();
    let tool_id = match &file.tool {
        Some(slug) => Some(
            diagnostic_tool::Entity::find()
                .filter(Expr::col("slug").eq(slug.as_str()))
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound(Field::Tool))?
                .id,
        ),
        None => None,
    };
    let row = questionnaire::ActiveModel {
        slug: Set(file.slug.clone()),
        tool_id: Set(tool_id),
        revision: Set(file.revision.clone()),
        title: Set(file.title.clone()),
        is_example: Set(file.example),
        published_on: Set(file.published_on),
        content: Set(serde_json::to_string(&file.content).map_err(|e| invalid(Field::Content, e))?),
        ..Default::default()
    };
    QUESTIONNAIRE
        .insert_new(unit, "load_questionnaire", row)
        .await
        .map_err(on_store(unique_as(|| {
            let loaded = format!(
                "a questionnaire with the slug {:?} is loaded already",
                file.slug
            );
            broken(Field::Content, Rule::Duplicate(loaded))
        })))
}

/// Loads a questionnaire file unless its slug is stored already, as the operator; tells whether
/// it loaded.
pub async fn load_questionnaire_once(db: &Db, text: &str) -> Result<bool, WriteError> {
    let file = parse_questionnaire(text)?;
    let exists = questionnaire::Entity::find()
        .filter(Expr::col("slug").eq(file.slug.as_str()))
        .count(db.conn())
        .await?
        > 0;
    if exists {
        return Ok(false);
    }
    let operator = Actor::operator(crate::audit::COMMAND_LINE);
    db.write(operator, |unit| Box::pin(load_questionnaire(unit, file)))
        .await
        .map(|_| true)
}

/// A questionnaire's corrections; `None` keeps the stored value. Its content is its revision's
/// and never changes: a new revision is loaded as a questionnaire of its own.
#[derive(Debug, Clone, Default)]
pub struct QuestionnaireChanges {
    pub title: Option<String>,
    pub published_on: Option<NaiveDate>,
}

/// Corrects a questionnaire's title or publication day (admins, who load them), if `version`
/// is still current.
impl Change for QuestionnaireChanges {
    type Record = Questionnaire;
    const KIND: Kind<questionnaire::Entity, Questionnaire> = QUESTIONNAIRE;
    const ACTION: &'static str = "update_questionnaire";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        unit.actor().check_admin()?;
        if let Some(title) = &self.title {
            domain::validate::check_name("title", title)?;
        }
        Ok(())
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        set_if(
            &mut to.active.title,
            self.title.map(|t| t.trim().to_owned()),
        );
        set_if(&mut to.active.published_on, self.published_on.map(Some));
        Ok(())
    }
}

/// An assessment's corrections: the answers, scored again, or the day; `None` keeps the
/// stored value.
#[derive(Debug, Clone, Default)]
pub struct AssessmentChanges {
    pub assessed_on: Option<NaiveDate>,
    pub answers: Option<Vec<Answer>>,
}

impl Change for AssessmentChanges {
    type Record = Assessment;
    const KIND: Kind<assessment::Entity, Assessment> = ASSESSMENT;
    const ACTION: &'static str = "update_assessment";

    fn explain(&self) -> impl FnOnce(WriteError) -> WriteError + Send + 'static {
        let day = self.assessed_on.unwrap_or_default();
        on_store(unique_as(move || already_assessed(day)))
    }

    async fn authority(&self, unit: &Unit, before: &Assessment) -> Result<(), WriteError> {
        crate::authority::check_acts_for_city(unit.tx(), unit.actor(), before.city_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(answers) = self.answers {
            let questionnaire = rows::questionnaire(
                questionnaire::Entity::find_by_id(to.before.questionnaire_id)
                    .one(to.unit.tx())
                    .await?
                    .ok_or(WriteError::NotFound(Field::Questionnaire))?,
            )?;
            let scores = domain::diagnostic::score(&questionnaire.content, &answers)?;
            let answers =
                serde_json::to_string(&answers).map_err(|e| invalid(Field::Answers, e))?;
            to.active.answers = Set(answers);
            to.active.overall_score = Set(scores.overall);
        }
        set_if(&mut to.active.assessed_on, self.assessed_on);
        Ok(())
    }
}

/// A city's answers, as submitted.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub questionnaire_id: Id,
    pub city_id: Id,
    pub assessed_on: NaiveDate,
    pub answers: Vec<Answer>,
}

impl From<AnswerError> for WriteError {
    fn from(error: AnswerError) -> Self {
        broken(Field::Answers, error)
    }
}

fn already_assessed(day: NaiveDate) -> WriteError {
    broken(Field::AssessedOn, Rule::AlreadyAssessed(day))
}

/// Stores a city's assessment, scored by the domain: by an editor, or a partner whose
/// organisation the city is a member of. Nothing is stored if any answer is wrong.
pub async fn submit_assessment(
    unit: &crate::write::Unit,
    new: NewAssessment,
) -> Result<(Assessment, domain::diagnostic::Scores), WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let questionnaire = rows::questionnaire(
        questionnaire::Entity::find_by_id(new.questionnaire_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound(Field::Questionnaire))?,
    )?;
    if city::Entity::find_by_id(new.city_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::City));
    }
    crate::authority::check_acts_for_city(tx, actor, new.city_id).await?;
    let scores = domain::diagnostic::score(&questionnaire.content, &new.answers)?;
    let row = assessment::ActiveModel {
        questionnaire_id: Set(questionnaire.id),
        city_id: Set(new.city_id),
        assessed_on: Set(new.assessed_on),
        answers: Set(serde_json::to_string(&new.answers).map_err(|e| invalid(Field::Answers, e))?),
        overall_score: Set(scores.overall),
        ..Default::default()
    };
    let assessment = ASSESSMENT
        .insert_new(unit, "submit_assessment", row)
        .await
        .map_err(on_store(unique_as(|| already_assessed(new.assessed_on))))?;
    Ok((assessment, scores))
}

/// Where each assessment stands: its percentile among the latest assessments of the same
/// questionnaire by other cities of similar size (`similar_size`), and how many those are.
pub async fn standings(
    db: &Db,
    assessments: &[Assessment],
) -> Result<HashMap<Id, (Option<f64>, usize)>, Error> {
    if assessments.is_empty() {
        return Ok(HashMap::new());
    }
    let mut questionnaires: Vec<Id> = assessments.iter().map(|a| a.questionnaire_id).collect();
    questionnaires.sort_unstable();
    questionnaires.dedup();
    let all: Vec<Assessment> = convert(
        assessment::Entity::find()
            .filter(one_of(db, "questionnaire_id", questionnaires))
            .all(db.conn())
            .await?,
    )?;
    // The latest assessment of each city, per questionnaire.
    let mut latest: HashMap<(Id, Id), &Assessment> = HashMap::new();
    for candidate in &all {
        let key = (candidate.questionnaire_id, candidate.city_id);
        match latest.get(&key) {
            Some(kept) if (kept.assessed_on, kept.id) >= (candidate.assessed_on, candidate.id) => {}
            _ => {
                latest.insert(key, candidate);
            }
        }
    }
    let mut city_ids: Vec<Id> = latest.keys().map(|(_, city)| *city).collect();
    city_ids.extend(assessments.iter().map(|a| a.city_id));
    city_ids.sort_unstable();
    city_ids.dedup();
    let cities = by_ids::<City>(db, &city_ids).await?;
    let population = |city: Id| cities.get(&city).and_then(|c| c.population);
    Ok(assessments
        .iter()
        .map(|assessment| {
            let others: Vec<f64> = latest
                .iter()
                .filter(|((questionnaire, city), _)| {
                    *questionnaire == assessment.questionnaire_id
                        && *city != assessment.city_id
                        && similar_size(population(assessment.city_id), population(*city))
                })
                .map(|(_, other)| other.overall_score)
                .collect();
            (
                assessment.id,
                (percentile(assessment.overall_score, &others), others.len()),
            )
        })
        .collect())
}
