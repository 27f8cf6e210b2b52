//! User errors: what a caller can fix in a mutation's input, and the one mapping from a
//! write's outcome to them.

use async_graphql::{Context, ErrorExtensions, Result, SimpleObject};
use persistence::write::WriteError;

use crate::error::{WriteRefusal, internal};
use crate::schema::scalars::PeriodInput;

/// Something the caller can fix in a mutation's input: which field, a stable code, and why.
#[derive(SimpleObject, Debug, Clone)]
pub struct UserError {
    /// The path to the input field at fault (`["input", "role"]`).
    pub field: Vec<String>,
    /// A stable code to branch on (`INVALID`, `NOT_FOUND`, `CONFLICT`…).
    pub code: String,
    /// What is wrong, for people.
    pub message: String,
}

/// Why an input was not read: something the caller can fix, or a failure of ours (a look-up
/// that failed), which no user error describes.
#[derive(Debug)]
pub enum InputError {
    User(UserError),
    Failed(async_graphql::Error),
}

impl From<UserError> for InputError {
    fn from(error: UserError) -> InputError {
        InputError::User(error)
    }
}

impl InputError {
    /// What a mutation answers for an input it could not read: the payload `rejected` makes of
    /// the user error, or the failure as a GraphQL error.
    pub fn answer<P>(self, rejected: impl FnOnce(UserError) -> P) -> Result<P> {
        match self {
            InputError::User(error) => Ok(rejected(error)),
            InputError::Failed(error) => Err(error),
        }
    }
}

impl UserError {
    pub fn new(field: &[&str], code: &str, message: impl Into<String>) -> UserError {
        UserError {
            field: field.iter().map(|f| f.to_string()).collect(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// Turns a write's outcome into the record or user errors; authorisation failures and store
/// failures become GraphQL errors.
pub fn outcome<T>(
    ctx: &Context<'_>,
    result: Result<T, WriteError>,
) -> Result<(Option<T>, Vec<UserError>)> {
    match result {
        Ok(record) => Ok((Some(record), vec![])),
        Err(error) => Ok((None, user_errors(ctx, error)?)),
    }
}

/// Changes the record an update's input names: reads its id (`field`, a record of kind
/// `expected`: its global id, or its slug where it has one) and the changes (`changes`, which
/// may read further references), then runs them with the version read, in a unit of its own by
/// the caller. What the caller can fix comes back as user errors.
pub async fn change_record<C: persistence::write::Changes>(
    ctx: &Context<'_>,
    (field, id, expected): (&str, &async_graphql::ID, domain::source::RecordType),
    version: i32,
    changes: impl std::future::Future<Output = std::result::Result<C, InputError>>,
) -> Result<(Option<C::Record>, Vec<UserError>)> {
    let actor = crate::auth::caller(ctx).actor()?.clone();
    let parsed = async {
        let id = crate::schema::reference::input_ref(ctx, field, id, expected).await?;
        Ok::<_, InputError>((id, changes.await?))
    };
    let (id, changes) = match parsed.await {
        Ok(parsed) => parsed,
        Err(error) => return error.answer(|error| (None, vec![error])),
    };
    let db = ctx.data_unchecked::<persistence::Db>();
    outcome(
        ctx,
        db.write(actor, move |unit| changes.run(unit, id, version))
            .await,
    )
}

/// Creates the record an input describes: reads it (`new`, which may read references), then
/// runs `write` on it in a unit of its own by the caller. What the caller can fix comes back as
/// user errors.
pub async fn create_record<T, N, F>(
    ctx: &Context<'_>,
    new: impl std::future::Future<Output = std::result::Result<N, InputError>>,
    write: F,
) -> Result<(Option<T>, Vec<UserError>)>
where
    N: Send + 'static,
    T: Send,
    F: for<'u> FnOnce(
            &'u persistence::write::Unit,
            N,
        ) -> persistence::write::Steps<'u, T, WriteError>
        + Send,
{
    let actor = crate::auth::caller(ctx).actor()?.clone();
    let new = match new.await {
        Ok(new) => new,
        Err(error) => return error.answer(|error| (None, vec![error])),
    };
    let db = ctx.data_unchecked::<persistence::Db>();
    outcome(ctx, db.write(actor, move |unit| write(unit, new)).await)
}

/// The others named like the record a write made (`domain::namesake`: the same name but for
/// case, accents and punctuation, in the same place), possibly the same record entered twice;
/// none when the write was refused.
pub async fn possible_duplicates<T: persistence::Stored + domain::namesake::Namesake>(
    ctx: &Context<'_>,
    written: Option<&T>,
) -> Result<Vec<T>> {
    let Some(written) = written else {
        return Ok(Vec::new());
    };
    let db = ctx.data_unchecked::<persistence::Db>();
    persistence::namesake::possible_duplicates(db, written)
        .await
        .map_err(|error| internal(ctx, error))
}

/// What the caller can fix, from a refused write: every problem of the input at once.
fn user_errors(ctx: &Context<'_>, error: WriteError) -> Result<Vec<UserError>> {
    match crate::error::write_refusal(error) {
        WriteRefusal::Input(problems) => Ok(problems
            .into_iter()
            .map(|problem| UserError::new(&["input", problem.field], problem.code, problem.message))
            .collect()),
        WriteRefusal::Forbidden(denied) => Err(denied.extend()),
        WriteRefusal::Store(error) => Err(internal(ctx, error)),
    }
}

/// Reads an optional date as known (`2026-03-15`, `2026-03`, `2026`) of an input field.
pub fn input_date(
    field: &str,
    text: Option<&str>,
) -> std::result::Result<Option<domain::FuzzyDate>, UserError> {
    text.map(|t| {
        domain::FuzzyDate::parse(t).map_err(|e| {
            UserError::new(
                &["input", field],
                crate::error::code::INVALID,
                e.to_string(),
            )
        })
    })
    .transpose()
}

/// Reads an optional period of an input field (`tender`): two dates as known, the end not
/// before the start; a problem names the field and the end at fault (`["input", "tender",
/// "end"]`).
pub fn input_period(
    field: &str,
    period: Option<&PeriodInput>,
) -> std::result::Result<Option<domain::fuzzy_date::Period>, UserError> {
    let Some(period) = period else {
        return Ok(None);
    };
    let date = |end: &str, text: Option<&str>| {
        text.map(|text| {
            domain::FuzzyDate::parse(text).map_err(|e| {
                UserError::new(
                    &["input", field, end],
                    crate::error::code::INVALID,
                    e.to_string(),
                )
            })
        })
        .transpose()
    };
    let start = date("start", period.start.as_deref())?;
    let end = date("end", period.end.as_deref())?;
    domain::fuzzy_date::Period::new(start, end)
        .map(Some)
        .map_err(|e| {
            UserError::new(
                &["input", field, "end"],
                crate::error::code::INVALID,
                e.to_string(),
            )
        })
}
