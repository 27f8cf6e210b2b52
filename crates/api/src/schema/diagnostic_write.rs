//! Writes of the self-diagnostic: an editor or a partner of its publisher records and changes
//! a tool (deleted with `deleteRecord`); an admin loads a questionnaire; an editor, or a
//! partner whose organisation the city is a member of, submits the city's assessment.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::Utc;
use persistence::diagnostic_tool::ToolDetails;

use crate::auth::caller;
use crate::schema::diagnostic::{Assessment, DiagnosticTool, Questionnaire};
use crate::schema::payload::payload;
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, UserError, change_record, create_record, outcome};

payload!(/// The result of recording or changing a self-diagnostic tool.
    DiagnosticToolPayload { tool: DiagnosticTool });

/// A new self-diagnostic tool.
#[derive(InputObject)]
pub struct CreateDiagnosticToolInput {
    /// The human key (`umq-autodiagnostic-villes-intelligentes`).
    pub slug: String,
    /// Its name.
    pub name: String,
    /// The organisation that publishes it.
    #[doc = named_by_code!()]
    pub publisher: ID,
    /// Where to use it (`https://…`).
    pub url: Option<String>,
    /// Who it is for, as sources name them.
    #[graphql(default)]
    pub audiences: Vec<String>,
    /// How it is offered ("on the internet, open to all").
    pub availability: Option<String>,
    /// A day by which it was available.
    pub available_by: Option<Date>,
    /// What it is for.
    pub purpose: Option<String>,
    /// What it aims at.
    pub goal: Option<String>,
    /// The organisation whose idea it was.
    #[doc = named_by_code!()]
    pub origin_organisation: Option<ID>,
    /// How it came about.
    pub origin: Option<String>,
}

/// Changes to a self-diagnostic tool; a field left out keeps its value. Its publisher stays.
#[derive(InputObject)]
pub struct UpdateDiagnosticToolInput {
    /// The tool.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The human key.
    pub slug: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Where to use it (`https://…`).
    pub url: Option<String>,
    /// Who it is for: the new full list.
    pub audiences: Option<Vec<String>>,
    /// How it is offered.
    pub availability: Option<String>,
    /// A day by which it was available.
    pub available_by: Option<Date>,
    /// What it is for.
    pub purpose: Option<String>,
    /// What it aims at.
    pub goal: Option<String>,
    /// The organisation whose idea it was.
    #[doc = named_by_code!()]
    pub origin_organisation: Option<ID>,
    /// How it came about.
    pub origin: Option<String>,
}
use domain::source::RecordType;

/// A questionnaire file's content.
#[derive(InputObject)]
pub struct LoadQuestionnaireInput {
    /// The questionnaire file (TOML): `slug`, `title`, `revision`, optional `tool` (a slug)
    /// and `example`, `[[levels]]` and `[[dimensions]]` with their `[[dimensions.questions]]`
    /// and scored `[[dimensions.questions.choices]]`, as in `questionnaires/`.
    pub content: String,
}

/// A questionnaire's corrections. Its content is its revision's and never changes: load a new
/// revision as a questionnaire of its own.
#[derive(InputObject)]
pub struct UpdateQuestionnaireInput {
    /// The questionnaire.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its title.
    pub title: Option<String>,
    /// The day its publisher published it.
    pub published_on: Option<Date>,
}

/// The result of loading or correcting a questionnaire.
#[derive(SimpleObject)]
pub struct QuestionnairePayload {
    /// The questionnaire loaded or corrected.
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

impl AnswerInput {
    fn into_answer(self) -> domain::diagnostic::Answer {
        domain::diagnostic::Answer {
            question: self.question,
            choice: self.choice,
        }
    }
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

/// An assessment's corrections: the city's answers, scored again, or its day.
#[derive(InputObject)]
pub struct UpdateAssessmentInput {
    /// The assessment's global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The day of the assessment. One assessment per city, questionnaire and day.
    pub assessed_on: Option<Date>,
    /// An answer to every question of the questionnaire, replacing the answers given.
    pub answers: Option<Vec<AnswerInput>>,
}

/// The result of submitting or correcting an assessment.
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
    /// Records a self-diagnostic tool (editors, or a partner of its publisher).
    async fn create_diagnostic_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool.")] input: CreateDiagnosticToolInput,
    ) -> Result<DiagnosticToolPayload> {
        let new = async {
            Ok::<_, InputError>(persistence::diagnostic_tool::NewTool {
                publisher_id: input_ref(
                    ctx,
                    "publisher",
                    &input.publisher,
                    RecordType::Organisation,
                )
                .await?,
                details: ToolDetails {
                    origin_organisation_id: optional_input_ref(
                        ctx,
                        "originOrganisation",
                        input.origin_organisation.as_ref(),
                        RecordType::Organisation,
                    )
                    .await?,
                    url: input.url.clone(),
                    availability: input.availability.clone(),
                    available_by: input.available_by.as_ref().map(|d| d.0),
                    purpose: input.purpose.clone(),
                    goal: input.goal.clone(),
                    origin: input.origin.clone(),
                },
                slug: input.slug.clone(),
                name: input.name.clone(),
                audiences: input.audiences.clone(),
            })
        };
        let (tool, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::diagnostic_tool::create(unit, new))
        })
        .await?;
        Ok(DiagnosticToolPayload {
            tool: tool.map(DiagnosticTool),
            user_errors,
        })
    }

    /// Changes a self-diagnostic tool (editors, or a partner of its publisher).
    async fn update_diagnostic_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool and its changes.")] input: UpdateDiagnosticToolInput,
    ) -> Result<DiagnosticToolPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::diagnostic_tool::ToolChanges {
                details: ToolDetails {
                    origin_organisation_id: optional_input_ref(
                        ctx,
                        "originOrganisation",
                        input.origin_organisation.as_ref(),
                        RecordType::Organisation,
                    )
                    .await?,
                    url: input.url.clone(),
                    availability: input.availability.clone(),
                    available_by: input.available_by.as_ref().map(|d| d.0),
                    purpose: input.purpose.clone(),
                    goal: input.goal.clone(),
                    origin: input.origin.clone(),
                },
                slug: input.slug.clone(),
                name: input.name.clone(),
                audiences: input.audiences.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::DiagnosticTool);
        let (tool, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(DiagnosticToolPayload {
            tool: tool.map(DiagnosticTool),
            user_errors,
        })
    }

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
                .map(AnswerInput::into_answer)
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

    /// Corrects a questionnaire's title or publication day (admins), with the version read.
    async fn update_questionnaire(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The questionnaire and its corrections.")] input: UpdateQuestionnaireInput,
    ) -> Result<QuestionnairePayload> {
        let changes = persistence::diagnostic::QuestionnaireChanges {
            title: input.title,
            published_on: input.published_on.map(|day| day.0),
        };
        let key = ("id", &input.id, RecordType::Questionnaire);
        let (questionnaire, user_errors) =
            change_record(ctx, key, input.version, async { Ok(changes) }).await?;
        Ok(QuestionnairePayload {
            questionnaire: questionnaire.map(Questionnaire),
            user_errors,
        })
    }

    /// Corrects a city's assessment, with the version read: its answers, scored again and
    /// checked as at submission, or its day. By whoever acts for the city.
    async fn update_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment and its corrections.")] input: UpdateAssessmentInput,
    ) -> Result<AssessmentPayload> {
        let changes = persistence::diagnostic::AssessmentChanges {
            assessed_on: input.assessed_on.map(|day| day.0),
            answers: input
                .answers
                .map(|answers| answers.into_iter().map(AnswerInput::into_answer).collect()),
        };
        let key = ("id", &input.id, RecordType::Assessment);
        let (assessment, user_errors) =
            change_record(ctx, key, input.version, async { Ok(changes) }).await?;
        Ok(AssessmentPayload {
            assessment: assessment.map(Assessment),
            user_errors,
        })
    }
}
