//! What a write can run into, in terms the API maps once: not found, stale, forbidden, a broken
//! rule with the input field it concerns, or the store failing.

use domain::access::AccessError;
use domain::group_purchase::{JoinError, StepError, WithdrawError};

use crate::Error;

mod unit;
pub use unit::{Steps, Unit};

/// The items of a list in their order, each once: a list that names a theme or an
/// organisation twice means it once (and would break the link table's key).
pub(crate) fn distinct<T: Clone + Eq + std::hash::Hash>(items: &[T]) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items
        .iter()
        .filter(|item| seen.insert((*item).clone()))
        .cloned()
        .collect()
}

/// The caller's right over a record a write links (`Actor::check_links`), from a check that
/// reads the store: `Ok` when it has one, the refusal when it has none, and the check's own
/// error when the record is missing or the store fails.
pub(crate) fn right(
    verdict: Result<(), WriteError>,
) -> Result<Result<(), domain::access::AccessError>, WriteError> {
    match verdict {
        Ok(()) => Ok(Ok(())),
        Err(WriteError::Forbidden(denied)) => Ok(Err(denied)),
        Err(other) => Err(other),
    }
}

/// Why a write did not happen.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The record an input field names does not exist.
    #[error("no record has this {field}")]
    NotFound { field: &'static str },
    /// The record changed since the caller read it.
    #[error("the record changed meanwhile: its version is now {current}")]
    StaleVersion { current: i32 },
    /// The caller may not write this record.
    #[error(transparent)]
    Forbidden(#[from] AccessError),
    /// A rule of the domain refuses the write.
    #[error("{message}")]
    Rule {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    /// Several of the above at once: every missing or invalid field of an input.
    #[error("{}", joined(.0))]
    Several(Vec<WriteError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] Error),
}

/// Several problems, as one sentence.
fn joined(problems: &[WriteError]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The problems of an input, gathered so that a caller hears of all of them at once rather
/// than one per attempt.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<WriteError>);

impl Problems {
    /// Notes `result`'s problem, if it has one.
    pub(crate) fn check<E: Into<WriteError>>(&mut self, result: Result<(), E>) {
        if let Err(problem) = result {
            self.0.push(problem.into());
        }
    }

    /// Notes each of `fields` that is absent: `REQUIRED` to create `record`.
    pub(crate) fn require(&mut self, record: &str, fields: &[(bool, &'static str)]) {
        for (present, field) in fields {
            if !present {
                self.0.push(WriteError::Rule {
                    field,
                    code: "REQUIRED",
                    message: format!("{record} needs a {field}"),
                });
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

impl WriteError {
    /// Whether the store was out of reach for a moment (`Error::is_unavailable`).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, WriteError::Store(error) if error.is_unavailable())
    }
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(error: sea_orm::DbErr) -> Self {
        WriteError::Store(Error::Database(error))
    }
}

impl From<JoinError> for WriteError {
    fn from(broken: JoinError) -> Self {
        let (field, code) = match broken {
            JoinError::NotOpen { .. } => ("groupPurchase", "NOT_OPEN"),
            JoinError::DeadlinePassed { .. } => ("groupPurchase", "DEADLINE_PASSED"),
            JoinError::NotEligible => ("city", "NOT_ELIGIBLE"),
            JoinError::AlreadyJoined => ("city", "ALREADY_JOINED"),
        };
        WriteError::Rule {
            field,
            code,
            message: broken.to_string(),
        }
    }
}

impl From<WithdrawError> for WriteError {
    fn from(broken: WithdrawError) -> Self {
        let code = match broken {
            WithdrawError::NotOpen { .. } => "NOT_OPEN",
            WithdrawError::AlreadyWithdrawn => "ALREADY_WITHDRAWN",
        };
        WriteError::Rule {
            field: "id",
            code,
            message: broken.to_string(),
        }
    }
}

impl From<StepError> for WriteError {
    fn from(broken: StepError) -> Self {
        let (field, code) = match broken {
            StepError::Transition(_) => ("id", "INVALID_TRANSITION"),
            StepError::SupplierNeeded => ("supplier", "SUPPLIER_NEEDED"),
            StepError::Window { .. } => ("tenderEnd", "INVALID"),
        };
        WriteError::Rule {
            field,
            code,
            message: broken.to_string(),
        }
    }
}

impl From<domain::validate::ValueError> for WriteError {
    fn from(broken: domain::validate::ValueError) -> Self {
        let field = match &broken {
            domain::validate::ValueError::Empty { field }
            | domain::validate::ValueError::TooLong { field, .. }
            | domain::validate::ValueError::Negative { field } => field,
            domain::validate::ValueError::Email(_) => "email",
            domain::validate::ValueError::Url(_) => "website",
            domain::validate::ValueError::Currency(_) => "currency",
        };
        WriteError::Rule {
            field,
            code: "INVALID",
            message: broken.to_string(),
        }
    }
}

impl From<domain::slug::SlugError> for WriteError {
    fn from(broken: domain::slug::SlugError) -> Self {
        WriteError::Rule {
            field: "slug",
            code: "INVALID",
            message: broken.to_string(),
        }
    }
}

impl From<domain::city::CodeError> for WriteError {
    fn from(broken: domain::city::CodeError) -> Self {
        let field = match broken {
            domain::city::CodeError::Country(_) => "country",
            domain::city::CodeError::Subdivision(_) => "subdivisions",
        };
        WriteError::Rule {
            field,
            code: "INVALID",
            message: broken.to_string(),
        }
    }
}

impl From<domain::fuzzy_date::PeriodError> for WriteError {
    fn from(broken: domain::fuzzy_date::PeriodError) -> Self {
        WriteError::Rule {
            field: "end",
            code: "INVALID",
            message: broken.to_string(),
        }
    }
}

impl From<domain::mandate::MayorError> for WriteError {
    fn from(broken: domain::mandate::MayorError) -> Self {
        WriteError::Rule {
            field: "start",
            code: "MAYOR_OVERLAPS",
            message: broken.to_string(),
        }
    }
}

/// Turns a unique-constraint violation into a `TAKEN` rule on the field it guards; anything
/// else stays a store error.
pub(crate) fn unique_as_taken(
    error: sea_orm::DbErr,
    fields: &[(&str, &'static str)],
) -> WriteError {
    if let Some(sea_orm::SqlErr::UniqueConstraintViolation(message)) = error.sql_err() {
        for (column, field) in fields {
            if message.contains(column) {
                return WriteError::Rule {
                    field,
                    code: "TAKEN",
                    message: format!("another record already has this {field}"),
                };
            }
        }
    }
    WriteError::from(error)
}

/// Saves changed fields of the record `id` only if its version is still `version`, and reads
/// it back: a concurrent write in between makes this one a `StaleVersion`, never an
/// overwrite. Unique violations become `TAKEN` on the fields `unique` names.
pub(crate) async fn save_versioned<E>(
    tx: &sea_orm::DatabaseTransaction,
    active: E::ActiveModel,
    id: domain::Id,
    version: i32,
    unique: &[(&str, &'static str)],
) -> Result<E::Model, WriteError>
where
    E: sea_orm::EntityTrait,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Expr, ExprTrait};

    let updated = E::update_many()
        .set(active)
        .filter(Expr::col("id").eq(id))
        .filter(Expr::col("version").eq(version))
        .exec(tx)
        .await
        .map_err(|error| unique_as_taken(error, unique))?;
    if updated.rows_affected == 0 {
        return Err(WriteError::StaleVersion {
            current: version + 1,
        });
    }
    E::find()
        .filter(Expr::col("id").eq(id))
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound { field: "id" })
}

/// Creates a record of any kind — the one place a new row is stamped and its creation
/// recorded: created and updated at the unit's time, version 1, inserted, turned into its
/// domain type by `to_domain` and audited as `action` with `snapshot` of it (what the audit
/// trail keeps). Unique violations become `TAKEN` on the fields `unique` names.
pub(crate) async fn insert_new<A, D>(
    unit: &Unit,
    action: &str,
    mut active: A,
    unique: &[(&str, &'static str)],
    to_domain: fn(<A::Entity as sea_orm::EntityTrait>::Model) -> Result<D, Error>,
    snapshot: impl FnOnce(&D) -> serde_json::Value,
) -> Result<D, WriteError>
where
    A: sea_orm::ActiveModelTrait + sea_orm::ActiveModelBehavior + crate::entity::Stamped + Send,
    <A::Entity as sea_orm::EntityTrait>::Model:
        sea_orm::IntoActiveModel<A> + crate::entity::Identified,
{
    active.stamp_new(unit.now());
    let row = active
        .insert(unit.tx())
        .await
        .map_err(|error| unique_as_taken(error, unique))?;
    let table = sea_orm::EntityName::table_name(&A::Entity::default()).to_owned();
    let id = crate::entity::Identified::id(&row);
    let created = to_domain(row)?;
    unit.audit(action, &table, id, None, Some(snapshot(&created)))
        .await?;
    Ok(created)
}

/// The record `id` of `E`, read to be changed, with what it is as domain type `D`; `NOT_FOUND`
/// on `id` when there is none. The caller asks its authority on `D`, then `check_version`.
pub(crate) async fn read_for_change<E, D>(
    unit: &Unit,
    id: domain::Id,
    to_domain: fn(E::Model) -> Result<D, Error>,
) -> Result<(E::Model, D), WriteError>
where
    E: sea_orm::EntityTrait,
    E::Model: Clone,
{
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Expr, ExprTrait};

    let row = E::find()
        .filter(Expr::col("id").eq(id))
        .one(unit.tx())
        .await?
        .ok_or(WriteError::NotFound { field: "id" })?;
    let before = to_domain(row.clone())?;
    Ok((row, before))
}

/// Refuses a change made to the version a caller read when the record is now at `current`.
pub(crate) fn check_version(current: i32, read: i32) -> Result<(), WriteError> {
    if current == read {
        Ok(())
    } else {
        Err(WriteError::StaleVersion { current })
    }
}

/// How a change is recorded in the audit trail: its action, the record before (a snapshot),
/// and how to snapshot the record after.
pub(crate) struct Audited<D> {
    pub action: &'static str,
    pub before: serde_json::Value,
    pub snapshot: fn(&D) -> serde_json::Value,
}

/// Saves `active`, a change to record `id` read at `version` — the one place a change is
/// stamped (updated at the unit's time, the next version), saved only if nobody changed the
/// record meanwhile (`save_versioned`), and recorded in the audit trail. Returns the record as
/// stored.
pub(crate) async fn save_change<E, D>(
    unit: &Unit,
    (id, version): (domain::Id, i32),
    mut active: E::ActiveModel,
    unique: &[(&str, &'static str)],
    audited: Audited<D>,
    to_domain: fn(E::Model) -> Result<D, Error>,
) -> Result<D, WriteError>
where
    E: sea_orm::EntityTrait,
    E::ActiveModel: sea_orm::ActiveModelTrait<Entity = E> + crate::entity::Stamped + Send,
{
    crate::entity::Stamped::stamp_change(&mut active, unit.now(), version);
    let row = save_versioned::<E>(unit.tx(), active, id, version, unique).await?;
    let after = to_domain(row)?;
    let table = sea_orm::EntityName::table_name(&E::default()).to_owned();
    unit.audit(
        audited.action,
        &table,
        id,
        Some(audited.before),
        Some((audited.snapshot)(&after)),
    )
    .await?;
    Ok(after)
}

/// A broken rule on `field`, with its code.
pub(crate) fn rule(field: &'static str, code: &'static str, message: impl ToString) -> WriteError {
    WriteError::Rule {
        field,
        code,
        message: message.to_string(),
    }
}

/// Maps a foreign-key violation on insert to the input field that named a missing record.
pub(crate) fn missing(field: &'static str) -> impl Fn(sea_orm::DbErr) -> WriteError {
    move |error| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            unique_as_taken(error, &[("slug", "slug")])
        }
        Some(sea_orm::SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound { field },
        _ => WriteError::from(error),
    }
}

/// Tags record `id` with the themes of these slugs in link table `table`.
pub(crate) async fn link_themes(
    tx: &sea_orm::DatabaseTransaction,
    table: &'static str,
    column: &'static str,
    id: domain::Id,
    slugs: &[String],
) -> Result<(), WriteError> {
    let theme_ids = crate::theme::ids_of(tx, slugs).await?;
    crate::theme::tag(tx, (table, column), id, &theme_ids, false).await
}
