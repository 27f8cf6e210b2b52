//! What a write can run into, as typed values: the input it concerns (`Field`) and the rule it
//! breaks (`Rule`, wrapping the domain's own errors). Persistence says *what* is wrong; the API
//! (`api/src/error.rs`) alone chooses the public code and the name of each field.

use domain::access::AccessError;
use domain::group_purchase::{JoinError, StepError, WithdrawError};

use crate::Error;

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The record an input field names does not exist.
    #[error("no record has this {0}")]
    NotFound(Field),
    /// The record changed since the caller read it.
    #[error("the record changed meanwhile: its version is now {current}")]
    StaleVersion { current: i32 },
    /// The caller may not write this record.
    #[error(transparent)]
    Forbidden(#[from] AccessError),
    /// The input's `field` breaks `rule`.
    #[error("{rule}")]
    Broken { field: Field, rule: Rule },
    /// Several of the above at once: every missing or invalid field of an input.
    #[error("{}", joined(.0))]
    Several(Vec<WriteError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] Error),
}

/// A rule of the directory an input breaks: the domain's errors as they are, and the few rules
/// only the store can check (a value taken, a record in use). Its `Display` says why, for
/// people.
#[derive(Debug, thiserror::Error)]
pub enum Rule {
    /// A creation lacks this field: `what` needs it.
    #[error("{what} needs a {field}")]
    Required { what: &'static str, field: Field },
    /// A value is missing where the rule `0` says it is needed.
    #[error("{0}")]
    Needed(&'static str),
    /// A value does not parse or is out of its range; says why.
    #[error("{0}")]
    Invalid(String),
    /// Another record already has this value.
    #[error("another record already has this {0}")]
    Taken(Field),
    /// The same record is loaded already.
    #[error("{0}")]
    Duplicate(String),
    /// The record has history that points at it: end or change that instead.
    #[error("this {record} has history ({by} records point at it): end or change those instead")]
    InUse { record: &'static str, by: String },
    /// The city already takes part.
    #[error("it already takes part")]
    AlreadyParticipant,
    /// The city already has an assessment of this questionnaire on that day.
    #[error("the city already has an assessment of this questionnaire on {0}")]
    AlreadyAssessed(chrono::NaiveDate),
    #[error(transparent)]
    Value(#[from] domain::validate::ValueError),
    #[error(transparent)]
    Slug(#[from] domain::slug::SlugError),
    #[error(transparent)]
    Code(#[from] domain::city::CodeError),
    #[error(transparent)]
    Date(#[from] domain::fuzzy_date::FuzzyDateError),
    #[error(transparent)]
    Period(#[from] domain::fuzzy_date::PeriodError),
    #[error(transparent)]
    Mayor(#[from] domain::mandate::MayorError),
    #[error(transparent)]
    Join(#[from] JoinError),
    #[error(transparent)]
    Withdraw(#[from] WithdrawError),
    #[error(transparent)]
    Step(#[from] StepError),
    #[error(transparent)]
    Recognition(#[from] domain::award::RecognitionError),
    #[error(transparent)]
    Edition(#[from] domain::programme::EditionError),
    #[error(transparent)]
    Questionnaire(#[from] domain::diagnostic::QuestionnaireError),
    #[error(transparent)]
    Answer(#[from] domain::diagnostic::AnswerError),
    #[error(transparent)]
    Report(#[from] domain::partnership::ReportError),
    #[error(transparent)]
    InitiativeStatus(#[from] domain::initiative::StatusError),
    #[error(transparent)]
    WebhookTarget(#[from] domain::webhook::UrlError),
    #[error(transparent)]
    Election(#[from] domain::election::ElectionError),
    #[error(transparent)]
    ThemeParent(#[from] domain::theme::ParentError),
}

/// The input a problem concerns, as a concept of the directory; the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    About,
    Adaptation,
    Actual,
    AdaptedFrom,
    Answers,
    Attestations,
    AssessedOn,
    Award,
    Baseline,
    Body,
    CallDeadline,
    City,
    Commitments,
    Content,
    Continues,
    Country,
    Description,
    Domain,
    DurationMonths,
    Edition,
    Email,
    EnglishLabel,
    End,
    EstimatedAmount,
    EstimatedQuantity,
    EstimatedValue,
    Event,
    Currency,
    FrenchLabel,
    From,
    FirstRound,
    FullName,
    GroupPurchase,
    Headquarters,
    Id,
    Indicator,
    Indicators,
    Initiative,
    Kind,
    Language,
    Leads,
    Mandate,
    Measure,
    MemberCity,
    MemberOrganisation,
    Milestones,
    Name,
    Number,
    OfficialCode,
    Organisation,
    Organiser,
    Organisers,
    Origin,
    OriginOrganisation,
    OwningCity,
    Parent,
    Participants,
    Parties,
    Partnership,
    Party,
    Person,
    Phone,
    Place,
    Population,
    Position,
    Programme,
    Provider,
    Publisher,
    Record,
    Report,
    Questionnaire,
    SecondRound,
    SigningPlace,
    Target,
    SideOf,
    Signatories,
    Slug,
    Source,
    Start,
    Status,
    Subdivision,
    Subdivisions,
    Succeeds,
    Summary,
    Supplier,
    TenderEnd,
    TerritoryCity,
    Text,
    Theme,
    Themes,
    Title,
    TitleThen,
    To,
    Tool,
    Url,
    Value,
    VerifiedOn,
    Website,
    Year,
}

impl std::fmt::Display for Field {
    /// The field in words, for messages meant for people (`TerritoryCity` → "territory city").
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = format!("{self:?}");
        for (index, letter) in name.chars().enumerate() {
            if letter.is_uppercase() && index > 0 {
                write!(f, " ")?;
            }
            write!(f, "{}", letter.to_ascii_lowercase())?;
        }
        Ok(())
    }
}

/// Several problems, as one sentence.
fn joined(problems: &[WriteError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl WriteError {
    /// Whether the store was out of reach for a moment (`Error::is_unavailable`).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, WriteError::Store(error) if error.is_unavailable())
    }
}

/// `field` breaks `rule`.
pub(crate) fn broken(field: Field, rule: impl Into<Rule>) -> WriteError {
    WriteError::Broken {
        field,
        rule: rule.into(),
    }
}

/// For `map_err`: `field` breaks the rule of the error at hand.
pub(crate) fn on<E: Into<Rule>>(field: Field) -> impl Fn(E) -> WriteError {
    move |error| broken(field, error)
}

/// `field` does not parse or is out of range, for the reason given.
pub(crate) fn invalid(field: Field, why: impl ToString) -> WriteError {
    broken(field, Rule::Invalid(why.to_string()))
}

/// `field` is missing where the rule `why` needs it.
pub(crate) fn needed(field: Field, why: &'static str) -> WriteError {
    broken(field, Rule::Needed(why))
}

/// The problems of an input, gathered so that a caller hears of all of them at once rather
/// than one per attempt.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<WriteError>);

impl Problems {
    /// Every problem `check` finds in an input, at once.
    pub(crate) fn all(check: impl FnOnce(&mut Problems)) -> Result<(), WriteError> {
        let mut problems = Problems::default();
        check(&mut problems);
        problems.into_result()
    }

    /// Notes `result`'s problem, if it has one.
    pub(crate) fn check<E: Into<WriteError>>(&mut self, result: Result<(), E>) {
        if let Err(problem) = result {
            self.0.push(problem.into());
        }
    }

    /// Notes the problem `check` finds in `value`, if it is given.
    pub(crate) fn given<T, E: Into<WriteError>>(
        &mut self,
        value: &Option<T>,
        check: impl FnOnce(&T) -> Result<(), E>,
    ) {
        if let Some(value) = value {
            self.check(check(value));
        }
    }

    /// Notes each of `fields` that is absent: required to create `what`.
    pub(crate) fn require(&mut self, what: &'static str, fields: &[(bool, Field)]) {
        for &(present, field) in fields {
            if !present {
                self.0.push(broken(field, Rule::Required { what, field }));
            }
        }
    }

    /// None, one problem, or several.
    pub(crate) fn into_result(mut self) -> Result<(), WriteError> {
        match self.0.len() {
            0 => Ok(()),
            1 => Err(self.0.remove(0)),
            _ => Err(WriteError::Several(self.0)),
        }
    }
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(error: sea_orm::DbErr) -> Self {
        WriteError::Store(Error::Database(error))
    }
}

impl From<JoinError> for WriteError {
    fn from(broken: JoinError) -> Self {
        let field = match broken {
            JoinError::NotOpen { .. } | JoinError::DeadlinePassed { .. } => Field::GroupPurchase,
            JoinError::NotEligible | JoinError::AlreadyJoined => Field::City,
        };
        self::broken(field, broken)
    }
}

impl From<WithdrawError> for WriteError {
    fn from(broken: WithdrawError) -> Self {
        self::broken(Field::Id, broken)
    }
}

impl From<StepError> for WriteError {
    fn from(broken: StepError) -> Self {
        let field = match broken {
            StepError::Transition(_) => Field::Id,
            StepError::SupplierNeeded => Field::Supplier,
            StepError::Window { .. } => Field::TenderEnd,
        };
        self::broken(field, broken)
    }
}

impl From<domain::validate::ValueError> for WriteError {
    /// On the field the value is for: the domain names it in words (`"name"`, `"full name"`).
    fn from(broken: domain::validate::ValueError) -> Self {
        use domain::validate::ValueError;
        let field = match &broken {
            ValueError::Empty { field }
            | ValueError::TooLong { field, .. }
            | ValueError::Negative { field }
            | ValueError::DayToCome { field, .. } => field_in_words(field),
            ValueError::Email(_) => Field::Email,
            ValueError::Url(_) => Field::Website,
            ValueError::Currency(_) => Field::Currency,
            ValueError::Phone(_) => Field::Phone,
            ValueError::Language(_) => Field::Language,
        };
        self::broken(field, broken)
    }
}

/// The field a value check names in words.
fn field_in_words(words: &str) -> Field {
    [
        Field::Name,
        Field::Title,
        Field::TitleThen,
        Field::FullName,
        Field::Description,
        Field::Text,
        Field::Measure,
        Field::FrenchLabel,
        Field::EnglishLabel,
        Field::Population,
        Field::EstimatedValue,
        Field::EstimatedQuantity,
        Field::EstimatedAmount,
        Field::DurationMonths,
        Field::VerifiedOn,
        Field::Attestations,
    ]
    .into_iter()
    .find(|field| field.to_string() == words)
    .unwrap_or(Field::Value)
}

impl From<domain::slug::SlugError> for WriteError {
    fn from(broken: domain::slug::SlugError) -> Self {
        self::broken(Field::Slug, broken)
    }
}

impl From<domain::city::CodeError> for WriteError {
    fn from(broken: domain::city::CodeError) -> Self {
        let field = match broken {
            domain::city::CodeError::Country(_) => Field::Country,
            domain::city::CodeError::Subdivision(_)
            | domain::city::CodeError::TooManySubdivisions => Field::Subdivisions,
        };
        self::broken(field, broken)
    }
}

impl From<domain::fuzzy_date::PeriodError> for WriteError {
    fn from(broken: domain::fuzzy_date::PeriodError) -> Self {
        self::broken(Field::End, broken)
    }
}

impl From<domain::election::ElectionError> for WriteError {
    /// On the field the problem is in: the country, the subdivision, or the second round. A
    /// day out of range is the first round's; `election::create` checks the second round's
    /// own day apart, on its field.
    fn from(broken: domain::election::ElectionError) -> Self {
        use domain::election::ElectionError;
        let field =
            match broken {
                ElectionError::Country(_) => Field::Country,
                ElectionError::Subdivision(_)
                | ElectionError::SubdivisionOfAnotherCountry { .. } => Field::Subdivision,
                ElectionError::SecondRoundNotAfter { .. }
                | ElectionError::RoundsTooFarApart { .. } => Field::SecondRound,
                ElectionError::OutOfRange(_) => Field::FirstRound,
            };
        self::broken(field, broken)
    }
}

impl From<domain::mandate::MayorError> for WriteError {
    fn from(broken: domain::mandate::MayorError) -> Self {
        self::broken(Field::Start, broken)
    }
}

/// Turns a unique-constraint violation into `Taken` on the field it guards (`fields` pairs a
/// column with its field); anything else stays a store error.
pub(crate) fn unique_as_taken(error: sea_orm::DbErr, fields: &[(&str, Field)]) -> WriteError {
    if let Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) = error.sql_err() {
        for &(column, field) in fields {
            if message.contains(column) {
                return broken(field, Rule::Taken(field));
            }
        }
    }
    WriteError::from(error)
}

/// For `map_err`: a unique-constraint violation is the refusal `refused` makes (the rule the
/// constraint settles when two writes race); anything else stays a store error.
pub(crate) fn unique_as(
    refused: impl FnOnce() -> WriteError,
) -> impl FnOnce(sea_orm::DbErr) -> WriteError {
    move |error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => refused(),
        _ => WriteError::from(error),
    }
}

/// Maps a foreign-key violation on insert to the input field that named a missing record.
pub(crate) fn missing(field: Field) -> impl Fn(sea_orm::DbErr) -> WriteError {
    move |error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            unique_as_taken(error, &[("slug", Field::Slug)])
        }
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound(field),
        _ => WriteError::from(error),
    }
}

/// For `map_err` on a write's whole error: a foreign-key violation on the insert or update is
/// `NOT_FOUND` on `field`, the input that named a record that does not exist.
pub(crate) fn names_missing(field: Field) -> impl Fn(WriteError) -> WriteError {
    move |error| on_store(missing(field))(error)
}

/// For `map_err` on a write's whole error: the store's own error (a constraint the insert or
/// update broke) read by `read` as the refusal it means; any other error stays.
pub(crate) fn on_store(
    read: impl FnOnce(sea_orm::DbErr) -> WriteError,
) -> impl FnOnce(WriteError) -> WriteError {
    move |error| match error {
        WriteError::Store(Error::Database(error)) => read(error),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_reads_as_words_in_messages() {
        assert_eq!(Field::TerritoryCity.to_string(), "territory city");
        assert_eq!(Field::Id.to_string(), "id");
        assert_eq!(
            broken(
                Field::Slug,
                Rule::Required {
                    what: "a city",
                    field: Field::Slug
                }
            )
            .to_string(),
            "a city needs a slug"
        );
    }

    #[test]
    fn a_value_check_is_reported_on_the_field_it_names() {
        let error = WriteError::from(domain::validate::ValueError::Empty { field: "full name" });
        assert!(matches!(
            error,
            WriteError::Broken {
                field: Field::FullName,
                ..
            }
        ));
    }
}
