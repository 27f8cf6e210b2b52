//! Self-diagnostic tools that organisations offer cities.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::{
    AssessmentsOfQuestionnaire, QuestionnairesOfTool, StandingOfAssessment,
};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::organisation::Organisation;
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::Date;
use crate::schema::{load_derived, load_one};

connection!(
    QuestionnaireConnection,
    QuestionnaireEdge,
    Questionnaire,
    "A page of questionnaires.",
    "A questionnaire in a page, with its cursor."
);
connection!(
    AssessmentConnection,
    AssessmentEdge,
    Assessment,
    "A page of assessments.",
    "An assessment in a page, with its cursor."
);

/// A dimension of a questionnaire, weighted in the overall score.
#[derive(SimpleObject, Clone)]
pub struct QuestionnaireDimension {
    /// Its key, unique in the questionnaire.
    pub key: String,
    /// Its title.
    pub title: String,
    /// Its weight in the overall score.
    pub weight: f64,
    /// Its questions, in order.
    pub questions: Vec<QuestionnaireQuestion>,
}

/// A question with its scored choices.
#[derive(SimpleObject, Clone)]
pub struct QuestionnaireQuestion {
    /// Its key, unique in the questionnaire: answers name it.
    pub key: String,
    /// The question.
    pub text: String,
    /// The choices, in order.
    pub choices: Vec<QuestionnaireChoice>,
}

/// A choice and the points it scores.
#[derive(SimpleObject, Clone)]
pub struct QuestionnaireChoice {
    /// Its key, unique in the question: answers name it.
    pub key: String,
    /// What the choice says.
    pub label: String,
    /// The points it scores.
    pub score: f64,
}

/// A maturity level and the overall score it starts at.
#[derive(SimpleObject, Clone)]
pub struct MaturityLevel {
    /// Its name.
    pub name: String,
    /// The overall score (0–100) it starts at.
    pub min_score: f64,
}

/// One answer: the choice made for a question.
#[derive(SimpleObject, Clone)]
pub struct AssessmentAnswer {
    /// The question's key.
    pub question: String,
    /// The choice's key.
    pub choice: String,
}

/// A dimension's score in an assessment.
#[derive(SimpleObject, Clone)]
pub struct DimensionScore {
    /// The dimension's key.
    pub dimension: String,
    /// Its title.
    pub title: String,
    /// 100 × the points scored over the points possible in this dimension.
    pub score: f64,
}

connection!(
    DiagnosticToolConnection,
    DiagnosticToolEdge,
    DiagnosticTool,
    "A page of self-diagnostic tools.",
    "A self-diagnostic tool in a page, with its cursor."
);

/// A self-diagnostic tool an organisation publishes, such as a smart-city maturity
/// questionnaire.
#[derive(Clone)]
pub struct DiagnosticTool(pub domain::diagnostic::DiagnosticTool);

/// A self-diagnostic tool an organisation publishes, such as a smart-city maturity
/// questionnaire.
#[Object]
impl DiagnosticTool {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::DiagnosticTool, self.0.id)
    }

    /// The human key: `diagnosticTool(slug: "umq-autodiagnostic-villes-intelligentes")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The organisation that publishes it.
    async fn publisher(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.publisher_id)))
            .await?
            .map(Organisation))
    }

    /// Where it is, when known.
    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }

    /// Who it is for, as each source names them.
    async fn audiences(&self) -> &[String] {
        &self.0.audiences
    }

    /// How it is offered ("on the internet, open to all").
    async fn availability(&self) -> Option<&str> {
        self.0.availability.as_deref()
    }

    /// A day by which it was available: the source's date when no launch date is given.
    async fn available_by(&self) -> Option<Date> {
        self.0.available_by.map(Date)
    }

    /// What it is for.
    async fn purpose(&self) -> Option<&str> {
        self.0.purpose.as_deref()
    }

    /// Where it aims to lead the cities that use it.
    async fn goal(&self) -> Option<&str> {
        self.0.goal.as_deref()
    }

    /// The organisation whose idea it was.
    async fn origin_organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.origin_organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// How it came about.
    async fn origin(&self) -> Option<&str> {
        self.0.origin.as_deref()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> DiagnosticToolRelatedLists {
        DiagnosticToolRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::DiagnosticTool, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `DiagnosticTool`, which it flattens in.
    DiagnosticToolRelatedLists {
        /// Its questionnaires, one per revision (none while the sources give no questions).
        questionnaires: QuestionnaireConnection<Questionnaire> = QuestionnairesOfTool;
    }
}

/// A revision of a self-diagnostic questionnaire: dimensions with weights, questions with
/// scored choices, and maturity levels.
#[derive(Clone)]
pub struct Questionnaire(pub domain::diagnostic::Questionnaire);

/// A revision of a self-diagnostic questionnaire: dimensions with weights, questions with
/// scored choices, and maturity levels.
#[Object]
impl Questionnaire {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Questionnaire, self.0.id)
    }

    /// The human key: `questionnaire(slug: "exemple-autodiagnostic-ville-intelligente")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Its revision, as its publisher numbers it; assessments compare only within one.
    async fn revision(&self) -> &str {
        &self.0.revision
    }

    /// Whether it is an illustration rather than a real organisation's questionnaire.
    async fn is_example(&self) -> bool {
        self.0.is_example
    }

    /// When it was published.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    /// The tool it belongs to; null for an example no organisation publishes.
    async fn tool(&self, ctx: &Context<'_>) -> Result<Option<DiagnosticTool>> {
        Ok(load_one(ctx, self.0.tool_id.map(ById::new))
            .await?
            .map(DiagnosticTool))
    }

    /// Its dimensions, in order.
    async fn dimensions(&self) -> Vec<QuestionnaireDimension> {
        self.0
            .content
            .dimensions
            .iter()
            .map(|d| QuestionnaireDimension {
                key: d.key.clone(),
                title: d.title.clone(),
                weight: d.weight,
                questions: d
                    .questions
                    .iter()
                    .map(|q| QuestionnaireQuestion {
                        key: q.key.clone(),
                        text: q.text.clone(),
                        choices: q
                            .choices
                            .iter()
                            .map(|c| QuestionnaireChoice {
                                key: c.key.clone(),
                                label: c.label.clone(),
                                score: c.score,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Its maturity levels, from the lowest.
    async fn levels(&self) -> Vec<MaturityLevel> {
        self.0
            .content
            .levels
            .iter()
            .map(|l| MaturityLevel {
                name: l.name.clone(),
                min_score: l.min_score,
            })
            .collect()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> QuestionnaireRelatedLists {
        QuestionnaireRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Questionnaire, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Questionnaire`, which it flattens in.
    QuestionnaireRelatedLists {
        /// The assessments made with it, oldest first.
        assessments: AssessmentConnection<Assessment> = AssessmentsOfQuestionnaire;
    }
}

/// A city's answers to a questionnaire on a day, with its scores per dimension, its
/// overall maturity, and how it compares with cities of similar size.
#[derive(Clone)]
pub struct Assessment(pub domain::diagnostic::Assessment);

/// A city's answers to a questionnaire on a day, with its scores per dimension, its
/// overall maturity, and how it compares with cities of similar size.
#[Object]
impl Assessment {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Assessment, self.0.id)
    }

    /// The city assessed.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, Some(ById::new(self.0.city_id)))
            .await?
            .map(City))
    }

    /// The questionnaire answered.
    async fn questionnaire(&self, ctx: &Context<'_>) -> Result<Option<Questionnaire>> {
        Ok(load_one(ctx, Some(ById::new(self.0.questionnaire_id)))
            .await?
            .map(Questionnaire))
    }

    /// The day of the assessment.
    async fn assessed_on(&self) -> Date {
        Date(self.0.assessed_on)
    }

    /// The answers, in the order given.
    async fn answers(&self) -> Vec<AssessmentAnswer> {
        self.0
            .answers
            .iter()
            .map(|a| AssessmentAnswer {
                question: a.question.clone(),
                choice: a.choice.clone(),
            })
            .collect()
    }

    /// The overall score (0–100): the dimensions' scores averaged with their weights.
    async fn overall_score(&self) -> f64 {
        self.0.overall_score
    }

    /// The score of each dimension (0–100), in the questionnaire's order.
    async fn dimension_scores(&self, ctx: &Context<'_>) -> Result<Vec<DimensionScore>> {
        let Some(questionnaire) = self.questionnaire(ctx).await? else {
            return Ok(Vec::new());
        };
        let Ok(scores) = domain::diagnostic::score(&questionnaire.0.content, &self.0.answers)
        else {
            return Ok(Vec::new());
        };
        Ok(scores
            .dimensions
            .into_iter()
            .zip(&questionnaire.0.content.dimensions)
            .map(|((key, score), dimension)| DimensionScore {
                dimension: key,
                title: dimension.title.clone(),
                score,
            })
            .collect())
    }

    /// The maturity level the overall score reaches.
    async fn maturity_level(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Some(questionnaire) = self.questionnaire(ctx).await? else {
            return Ok(None);
        };
        Ok(questionnaire
            .0
            .content
            .level_of(self.0.overall_score)
            .map(str::to_owned))
    }

    /// Its percentile (0–100) among the latest assessments, with the same questionnaire,
    /// of the other cities of similar size (neither more than twice the other's
    /// population): the share scoring lower, ties counting half. Null when there are none.
    /// Costs 10 points: it reads the latest assessments of every city of similar size.
    async fn percentile(&self, ctx: &Context<'_>) -> Result<Option<f64>> {
        Ok(load_derived(ctx, StandingOfAssessment(self.0.id))
            .await?
            .and_then(|(p, _)| p))
    }

    /// How many cities of similar size the percentile compares with.
    async fn compared_with(&self, ctx: &Context<'_>) -> Result<i32> {
        Ok(load_derived(ctx, StandingOfAssessment(self.0.id))
            .await?
            .map(|(_, count)| count as i32)
            .unwrap_or(0))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Assessment, self.0.id, &self.0.stamp)
    }
}
