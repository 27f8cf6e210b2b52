//! Writes of the self-diagnostic: an admin loads a questionnaire; an editor, or a partner
//! whose organisation the city is a member of, submits the city's assessment.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::Utc;

use crate::auth::caller;
use crate::schema::diagnostic::{Assessment, Questionnaire};
use crate::schema::reference::{input_ref, named_by_code, named_by_slug};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, UserError, outcome};
use domain::source::RecordType;

/// A questionnaire file's content.
#[derive(InputObject)]
pub struct LoadQuestionnaireInput {
    /// The questionnaire file (TOML): `slug`, `title`, `revision`, optional `tool` (a slug)
    /// and `example`, `[[levels]]` and `[[dimensions]]` with their `[[dimensions.questions]]`
    /// and scored `[[dimensions.questions.choices]]`, as in `questionnaires/`.
    pub content: String,
}

/// The result of loading a questionnaire.
#[derive(SimpleObject)]
pub struct QuestionnairePayload {
    /// The questionnaire loaded.
    pub questionnaire: Option<Questionnaire>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

/// One answer of an assessment.
#[derive(InputObject)]
pub struct AnswerInput {
    /// The question's key.
    pub question: String,
    /// The key of the choice made.
    pub choice: String,
}

/// A city's answers to a questionnaire.
#[derive(InputObject)]
pub struct SubmitAssessmentInput {
    /// The questionnaire answered.
    #[doc = named_by_slug!()]
    pub questionnaire: ID,
    /// The city assessed.
    #[doc = named_by_code!()]
    pub city: ID,
    /// The day of the assessment; today by default. One assessment per city, questionnaire
    /// and day.
    pub assessed_on: Option<Date>,
    /// An answer to every question of the questionnaire.
    pub answers: Vec<AnswerInput>,
}

/// The result of submitting an assessment.
#[derive(SimpleObject)]
pub struct AssessmentPayload {
    /// The assessment stored, with its scores.
    pub assessment: Option<Assessment>,
    /// What to fix in the input, if anything; nothing is stored then.
    pub user_errors: Vec<UserError>,
}

/// Writes of the self-diagnostic.
#[derive(Default)]
pub struct DiagnosticMutation;

#[Object]
impl DiagnosticMutation {
    /// Loads a questionnaire revision from its file, checked whole before anything is stored
    /// (admins only).
    async fn load_questionnaire(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The questionnaire file.")] input: LoadQuestionnaireInput,
    ) -> Result<QuestionnairePayload> {
        let actor = caller(ctx).actor()?.clone();
        let db = ctx.data_unchecked::<persistence::Db>();
        let result = match persistence::diagnostic::parse_questionnaire(&input.content) {
            Ok(file) => {
                db.write(actor.clone(), move |unit| {
                    Box::pin(persistence::diagnostic::load_questionnaire(unit, file))
                })
                .await
            }
            Err(error) => Err(error),
        };
        let (questionnaire, user_errors) = outcome(ctx, result)?;
        Ok(QuestionnairePayload {
            questionnaire: questionnaire.map(Questionnaire),
            user_errors,
        })
    }

    /// Submits a city's assessment: scored per dimension and overall; nothing is stored if
    /// an answer names an unknown question or choice, a question is unanswered or answered
    /// twice, or the city already has an assessment of this questionnaire that day.
    async fn submit_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The answers.")] input: SubmitAssessmentInput,
    ) -> Result<AssessmentPayload> {
        let actor = caller(ctx).actor()?.clone();
        let ids = async {
            let questionnaire = input_ref(
                ctx,
                "questionnaire",
                &input.questionnaire,
                RecordType::Questionnaire,
            )
            .await?;
            let city = input_ref(ctx, "city", &input.city, RecordType::City).await?;
            Ok::<_, InputError>((questionnaire, city))
        };
        let (questionnaire_id, city_id) = match ids.await {
            Ok(ids) => ids,
            Err(error) => {
                return error.answer(|error| AssessmentPayload {
                    assessment: None,
                    user_errors: vec![error],
                });
            }
        };
        let new = persistence::diagnostic::NewAssessment {
            questionnaire_id,
            city_id,
            assessed_on: input
                .assessed_on
                .map(|d| d.0)
                .unwrap_or_else(|| Utc::now().date_naive()),
            answers: input
                .answers
                .into_iter()
                .map(|a| domain::diagnostic::Answer {
                    question: a.question,
                    choice: a.choice,
                })
                .collect(),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let result = db
            .write(actor.clone(), move |unit| {
                Box::pin(persistence::diagnostic::submit_assessment(unit, new))
            })
            .await
            .map(|(assessment, _)| assessment);
        let (assessment, user_errors) = outcome(ctx, result)?;
        Ok(AssessmentPayload {
            assessment: assessment.map(Assessment),
            user_errors,
        })
    }
}
