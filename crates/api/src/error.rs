//! The API's errors: the one place where a public `code` is chosen (`code`, `rule_code`), and where the input
//! fields a write's problem concerns get their public names.
//!
//! Every GraphQL error carries `extensions.code`. An internal error is logged with the
//! request id and returned as that id only: no SQL, no stack trace, no secret.

use async_graphql::{ErrorExtensions, FieldError};
use persistence::write::{Field, Rule, WriteError};

/// Every public error code, in one place: what a client branches on. A write's own rules get
/// theirs from `rule_code`.
pub mod code {
    /// An argument or input is malformed (GraphQL error).
    pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
    /// The request needs a token.
    pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
    /// The token does not allow this.
    pub const FORBIDDEN: &str = "FORBIDDEN";
    /// Something failed on our side; the request id finds it in the logs.
    pub const INTERNAL: &str = "INTERNAL";
    /// The database is out of reach for a moment: retry.
    pub const UNAVAILABLE: &str = "UNAVAILABLE";
    /// The query is deeper, wider or costlier than the limits allow.
    pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
    /// The caller spent its budget: retry after the time the error says.
    pub const RATE_LIMITED: &str = "RATE_LIMITED";
    /// The request ran past its time.
    pub const TIMEOUT: &str = "TIMEOUT";
    /// The body is larger than allowed.
    pub const REQUEST_TOO_LARGE: &str = "REQUEST_TOO_LARGE";
    /// The HTTP request is not a GraphQL request.
    pub const BAD_REQUEST: &str = "BAD_REQUEST";
    /// A persisted query's hash that this server does not know (automatic persisted
    /// queries): send the query with its hash once, then the hash alone.
    pub const PERSISTED_QUERY_NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";
    /// The document does not parse.
    pub const GRAPHQL_PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
    /// The document does not validate against the schema.
    pub const GRAPHQL_VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
    /// A user error: an input field is malformed or breaks a rule of its own.
    pub const INVALID: &str = "INVALID";
    /// A user error: a required input field is missing.
    pub const REQUIRED: &str = "REQUIRED";
    /// A user error: an input field names a record that does not exist or that the caller
    /// may not see.
    pub const NOT_FOUND: &str = "NOT_FOUND";
    /// A user error: the record changed since the caller read it.
    pub const CONFLICT: &str = "CONFLICT";
}

/// Something the API refuses or cannot do.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An argument is malformed; the message names it.
    #[error("{argument}: {message}")]
    BadUserInput { argument: String, message: String },
    /// The caller must present a token to see this.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller's token does not allow this.
    #[error("{0}")]
    Forbidden(String),
    /// Something went wrong on our side; the reference lets an operator find it in the logs.
    #[error("internal error (request {request_id}); it has been logged")]
    Internal { request_id: String },
    /// The database is out of reach for a moment (overloaded pool, outage): retrying may
    /// succeed. Answered with HTTP 503 and `Retry-After`.
    #[error(
        "the directory's database is out of reach for a moment; retry shortly (request {request_id})"
    )]
    Unavailable { request_id: String },
}

/// A failure below the API, as `ApiError::internal` reports it.
pub trait Fault: std::fmt::Display {
    /// Whether it is the database out of reach for a moment, so that retrying may succeed.
    fn is_unavailable(&self) -> bool;
}

impl Fault for persistence::Error {
    fn is_unavailable(&self) -> bool {
        persistence::Error::is_unavailable(self)
    }
}

impl Fault for WriteError {
    fn is_unavailable(&self) -> bool {
        WriteError::is_unavailable(self)
    }
}

impl Fault for crate::token::IssueError {
    fn is_unavailable(&self) -> bool {
        matches!(self, crate::token::IssueError::Store(error) if error.is_unavailable())
    }
}

impl Fault for crate::export::ChunkError {
    fn is_unavailable(&self) -> bool {
        matches!(self, crate::export::ChunkError::Store(error) if error.is_unavailable())
    }
}

/// A broken invariant, described.
impl Fault for String {
    fn is_unavailable(&self) -> bool {
        false
    }
}

impl<T: Fault> Fault for std::sync::Arc<T> {
    fn is_unavailable(&self) -> bool {
        T::is_unavailable(self)
    }
}

impl ApiError {
    pub fn bad_input(argument: &str, message: impl Into<String>) -> ApiError {
        ApiError::BadUserInput {
            argument: argument.to_owned(),
            message: message.into(),
        }
    }

    /// Logs the cause with the request id and returns an error that shows only the id:
    /// `UNAVAILABLE` when the database is out of reach for a moment, `INTERNAL` otherwise.
    pub fn internal(request_id: &str, cause: &dyn Fault) -> ApiError {
        let request_id = request_id.to_owned();
        if cause.is_unavailable() {
            tracing::warn!(request_id, error = %cause, "database unavailable");
            ApiError::Unavailable { request_id }
        } else {
            tracing::error!(request_id, error = %cause, "internal error");
            ApiError::Internal { request_id }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadUserInput { .. } => code::BAD_USER_INPUT,
            ApiError::Unauthenticated(_) => code::UNAUTHENTICATED,
            ApiError::Forbidden(_) => code::FORBIDDEN,
            ApiError::Internal { .. } => code::INTERNAL,
            ApiError::Unavailable { .. } => code::UNAVAILABLE,
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> FieldError {
        FieldError::new(self.to_string()).extend_with(|_, extensions| {
            extensions.set("code", self.code());
            match self {
                ApiError::BadUserInput { argument, .. } => {
                    extensions.set("argument", argument.as_str())
                }
                ApiError::Internal { request_id } | ApiError::Unavailable { request_id } => {
                    extensions.set("requestId", request_id.as_str())
                }
                ApiError::Unauthenticated(_) | ApiError::Forbidden(_) => {}
            }
        })
    }
}

/// The public name of an input field a write's problem concerns.
pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::About => "about",
        Field::Adaptation => "adaptation",
        Field::Actual => "actual",
        Field::AdaptedFrom => "adaptedFrom",
        Field::Answers => "answers",
        Field::Attestations => "attestations",
        Field::AssessedOn => "assessedOn",
        Field::Award => "award",
        Field::Baseline => "baseline",
        Field::Body => "body",
        Field::CallDeadline => "callDeadline",
        Field::City => "city",
        Field::Commitments => "commitments",
        Field::Content => "content",
        Field::Continues => "continues",
        Field::Country => "country",
        Field::Currency => "currency",
        Field::Description => "description",
        Field::Domain => "domain",
        Field::DurationMonths => "durationMonths",
        Field::Edition => "edition",
        Field::Email => "email",
        Field::EnglishLabel => "labelEn",
        Field::End => "end",
        Field::EstimatedValue => "estimatedValue",
        Field::EstimatedQuantity => "estimatedQuantity",
        Field::EstimatedAmount => "estimatedAmount",
        Field::FirstRound => "firstRound",
        Field::Event => "event",
        Field::FrenchLabel => "labelFr",
        Field::From => "from",
        Field::FullName => "fullName",
        Field::GroupPurchase => "groupPurchase",
        Field::Headquarters => "headquarters",
        Field::Id => "id",
        Field::Indicator => "indicator",
        Field::Indicators => "indicators",
        Field::Initiative => "initiative",
        Field::Kind => "kind",
        Field::Language => "language",
        Field::Leads => "leads",
        Field::Mandate => "mandate",
        Field::Measure => "measure",
        Field::MemberCity => "memberCity",
        Field::MemberOrganisation => "memberOrganisation",
        Field::Milestones => "milestones",
        Field::Name => "name",
        Field::Number => "number",
        Field::OfficialCode => "officialCode",
        Field::Organisation => "organisation",
        Field::Organiser => "organiser",
        Field::Organisers => "organisers",
        Field::Origin => "origin",
        Field::OriginOrganisation => "originOrganisation",
        Field::OwningCity => "owningCity",
        Field::Parent => "parent",
        Field::Participants => "participants",
        Field::Parties => "parties",
        Field::Partnership => "partnership",
        Field::Party => "party",
        Field::Person => "person",
        Field::Phone => "phone",
        Field::Place => "place",
        Field::Population => "population",
        Field::Position => "position",
        Field::Programme => "programme",
        Field::Provider => "provider",
        Field::Publisher => "publisher",
        Field::Record => "record",
        Field::Report => "report",
        Field::Questionnaire => "questionnaire",
        Field::SecondRound => "secondRound",
        Field::SideOf => "sideOf",
        Field::Signatories => "signatories",
        Field::SigningPlace => "signingPlace",
        Field::Slug => "slug",
        Field::Source => "source",
        Field::Start => "start",
        Field::Status => "status",
        Field::Subdivision => "subdivision",
        Field::Subdivisions => "subdivisions",
        Field::Succeeds => "succeeds",
        Field::Summary => "summary",
        Field::Supplier => "supplier",
        Field::Target => "target",
        Field::TenderEnd => "tenderEnd",
        Field::TerritoryCity => "territoryCity",
        Field::Text => "text",
        Field::Theme => "theme",
        Field::Themes => "themes",
        Field::Title => "title",
        Field::TitleThen => "titleThen",
        Field::To => "to",
        Field::Tool => "tool",
        Field::Url => "url",
        Field::Value => "value",
        Field::VerifiedOn => "verifiedOn",
        Field::Website => "website",
        Field::Year => "year",
    }
}

/// The stable code a caller branches on, for a rule its input breaks.
pub fn rule_code(rule: &Rule) -> &'static str {
    use domain::group_purchase::{JoinError, StepError, WithdrawError};
    match rule {
        Rule::Required { .. } | Rule::Needed(_) => code::REQUIRED,
        Rule::Invalid(_)
        | Rule::Value(_)
        | Rule::Slug(_)
        | Rule::Code(_)
        | Rule::Date(_)
        | Rule::Period(_)
        | Rule::Questionnaire(_)
        | Rule::WebhookTarget(_) => code::INVALID,
        Rule::ThemeParent(_) => code::INVALID,
        Rule::Taken(_) => "TAKEN",
        Rule::Duplicate(_) => "DUPLICATE",
        Rule::InUse { .. } => "IN_USE",
        Rule::AlreadyParticipant => "ALREADY_PARTICIPANT",
        Rule::AlreadyAssessed(_) => "ALREADY_ASSESSED",
        Rule::Mayor(_) => "MAYOR_OVERLAPS",
        Rule::Join(broken) => match broken {
            JoinError::NotOpen { .. } => "NOT_OPEN",
            JoinError::DeadlinePassed { .. } => "DEADLINE_PASSED",
            JoinError::NotEligible => "NOT_ELIGIBLE",
            JoinError::AlreadyJoined => "ALREADY_JOINED",
        },
        Rule::Withdraw(broken) => match broken {
            WithdrawError::NotOpen { .. } => "NOT_OPEN",
            WithdrawError::AlreadyWithdrawn => "ALREADY_WITHDRAWN",
        },
        Rule::Step(broken) => match broken {
            StepError::Transition(_) => "INVALID_TRANSITION",
            StepError::SupplierNeeded => "SUPPLIER_NEEDED",
            StepError::Window { .. } => "INVALID",
        },
        Rule::InitiativeStatus(_) => "INVALID_TRANSITION",
        Rule::Recognition(broken) => match broken {
            domain::award::RecognitionError::BeforeAward { .. } => "BEFORE_AWARD",
            domain::award::RecognitionError::NoRecipient => "REQUIRED",
        },
        Rule::Edition(broken) => match broken {
            domain::programme::EditionError::NotAfter { .. } => "NOT_AFTER",
            domain::programme::EditionError::Overlaps { .. } => "OVERLAPS",
        },
        Rule::Answer(broken) => match broken {
            domain::diagnostic::AnswerError::UnknownQuestion(_) => "UNKNOWN_QUESTION",
            domain::diagnostic::AnswerError::UnknownChoice { .. } => "UNKNOWN_CHOICE",
            domain::diagnostic::AnswerError::AnsweredTwice(_) => "ANSWERED_TWICE",
            domain::diagnostic::AnswerError::Unanswered(_) => "UNANSWERED",
        },
        Rule::Election(broken) => match broken {
            domain::election::ElectionError::SecondRoundNotAfter { .. } => "NOT_AFTER",
            domain::election::ElectionError::Country(_)
            | domain::election::ElectionError::Subdivision(_)
            | domain::election::ElectionError::SubdivisionOfAnotherCountry { .. }
            | domain::election::ElectionError::RoundsTooFarApart { .. }
            | domain::election::ElectionError::OutOfRange(_) => code::INVALID,
        },
        Rule::Report(broken) => match broken {
            domain::partnership::ReportError::BeforePartnership { .. } => "BEFORE_PARTNERSHIP",
            domain::partnership::ReportError::ThemeNotCovered => "THEME_NOT_COVERED",
        },
    }
}

/// What a caller can fix in a write's input: the field's public name, a code and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// A refused write, as the API answers it: every problem of the input the caller can fix, or
/// a refusal that is not about the input (`Forbidden`) or a failure (`Store`).
pub enum WriteRefusal {
    Input(Vec<InputProblem>),
    Forbidden(ApiError),
    Store(WriteError),
}

/// The one mapping from a persistence write error to what the API answers.
pub fn write_refusal(error: WriteError) -> WriteRefusal {
    let mut problems = Vec::new();
    match gather(error, &mut problems) {
        Some(refusal) => refusal,
        None => WriteRefusal::Input(problems),
    }
}

/// What a `NOT_FOUND` on the input field `field` says: one wording, whether the write found no
/// record or the reference it names is hidden from the caller (`reference::input_ref`).
pub fn no_record(field: &str) -> String {
    format!("no record has this {field}")
}

/// Adds `error`'s input problems to `problems`; returns the refusal that overrides them.
fn gather(error: WriteError, problems: &mut Vec<InputProblem>) -> Option<WriteRefusal> {
    match error {
        WriteError::NotFound(field) => problems.push(InputProblem {
            field: field_name(field),
            code: code::NOT_FOUND,
            message: no_record(field_name(field)),
        }),
        WriteError::StaleVersion { current } => problems.push(InputProblem {
            field: "version",
            code: code::CONFLICT,
            message: format!(
                "the record changed meanwhile: read it again (its version is now {current})"
            ),
        }),
        WriteError::Broken { field, rule } => problems.push(InputProblem {
            field: field_name(field),
            code: rule_code(&rule),
            message: rule.to_string(),
        }),
        WriteError::Several(several) => {
            for error in several {
                if let Some(refusal) = gather(error, problems) {
                    return Some(refusal);
                }
            }
        }
        WriteError::Forbidden(denied) => {
            return Some(WriteRefusal::Forbidden(ApiError::Forbidden(
                denied.to_string(),
            )));
        }
        store @ WriteError::Store(_) => return Some(WriteRefusal::Store(store)),
    }
    None
}

/// The code of an export that cannot be made as asked: every such request names an export
/// that does not exist (an unknown kind, or a kind in a format it is not exported in), which
/// the HTTP answer says with a 404.
pub fn export_refusal(error: &crate::export::ExportError) -> &'static str {
    use crate::export::ExportError;
    match error {
        ExportError::UnknownKind { .. }
        | ExportError::UnknownFormat { .. }
        | ExportError::NotInFormat { .. } => code::NOT_FOUND,
    }
}

/// The id of the HTTP request being served, for logs and internal errors.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Turns a persistence failure into an `INTERNAL` (or `UNAVAILABLE`) error for this request.
pub fn internal(ctx: &async_graphql::Context<'_>, cause: impl Fault) -> FieldError {
    let request_id = ctx
        .data_opt::<RequestId>()
        .map(|r| r.0.as_str())
        .unwrap_or("unknown");
    ApiError::internal(request_id, &cause).extend()
}
