//! What a write can run into, in terms the API maps once: not found, stale, forbidden, a broken
//! rule with the input field it concerns, or the store failing.

use crate::Error;

mod error;
mod kind;
mod unit;
pub use error::{Field, Rule, WriteError};
pub(crate) use error::{
    Problems, broken, invalid, names_missing, needed, on, on_store, unique_as, unique_as_taken,
};

pub use kind::Changes;
pub(crate) use kind::{Change, Changing, Kind};
pub use unit::{Steps, Unit};

/// An authority that finds the record's parent hidden from the actor (`NOT_FOUND`, whatever
/// field it names) hides the record itself: an update or a deletion answers as for an id with
/// no record, so that no caller can tell a hidden record from a missing one.
pub(crate) fn hidden_is_absent(error: WriteError) -> WriteError {
    match error {
        WriteError::NotFound(_) => WriteError::NotFound(Field::Id),
        other => other,
    }
}

/// Changes the record `id` read at `version` as `change` says, and returns it as stored.
/// `change` is a record kind's changes (`award::RecognitionChanges`, `city::CityFields`, …):
/// its kind's file says who may make it, what it checks and which columns it sets. The one way
/// every change runs (`kind::update`): `STALE_VERSION` when the record moved on, audited.
pub async fn update<C: Changes>(
    unit: &Unit,
    id: domain::Id,
    version: i32,
    change: C,
) -> Result<C::Record, WriteError> {
    change.run(unit, id, version).await
}

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

/// Sets each column a write gives a value (`Some`); the others keep theirs — the stored value in
/// a change, the column's default in a new row.
pub(crate) fn set_given<'a, V>(
    columns: impl IntoIterator<Item = (&'a mut sea_orm::ActiveValue<V>, Option<V>)>,
) where
    V: Into<sea_orm::Value> + 'a,
{
    for (column, value) in columns {
        set_if(column, value);
    }
}

/// Sets a column when a write gives it a value (`Some`); otherwise it keeps its own.
pub(crate) fn set_if<V: Into<sea_orm::Value>>(
    column: &mut sea_orm::ActiveValue<V>,
    value: Option<V>,
) {
    if let Some(value) = value {
        *column = sea_orm::ActiveValue::Set(value);
    }
}

/// `NOT_FOUND` on `field` unless the record `id` of `E` exists: an input named a record that is
/// not there.
pub(crate) async fn check_exists<E>(
    tx: &sea_orm::DatabaseTransaction,
    id: domain::Id,
    field: Field,
) -> Result<(), WriteError>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Expr, ExprTrait};

    match E::find().filter(Expr::col("id").eq(id)).one(tx).await? {
        Some(_) => Ok(()),
        None => Err(WriteError::NotFound(field)),
    }
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

/// Saves changed fields of the record `id` only if its version is still `version`, and reads
/// it back: a concurrent write in between makes this one a `StaleVersion`, never an
/// overwrite. Unique violations become `TAKEN` on the fields `unique` names.
pub(crate) async fn save_versioned<E>(
    tx: &sea_orm::DatabaseTransaction,
    active: E::ActiveModel,
    id: domain::Id,
    version: i32,
    unique: &[(&str, Field)],
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
        .ok_or(WriteError::NotFound(Field::Id))
}

/// Creates a record of any kind — the one place a new row is stamped and its creation
/// recorded: created and updated at the unit's time, version 1, inserted, turned into its
/// domain type by `to_domain` and audited as `action` with `snapshot` of it (what the audit
/// trail keeps). Unique violations become `TAKEN` on the fields `unique` names.
pub(crate) async fn insert_new<A, D>(
    unit: &Unit,
    action: &str,
    mut active: A,
    unique: &[(&str, Field)],
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
        .ok_or(WriteError::NotFound(Field::Id))?;
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
    unique: &[(&str, Field)],
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
