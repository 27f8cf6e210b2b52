//! A record kind as the write path handles it, declared once per kind: how its row becomes its
//! domain type, how the audit trail snapshots it, and which unique columns guard which input
//! fields. Its methods are the write path's steps for that kind, so a write function names the
//! kind and the action, not the plumbing.

use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use super::{Audited, Field, Unit, WriteError};
use crate::Error;
use crate::entity::{Identified, Stamped};

/// A change to a record of a kind, declared in the kind's file — the input type of its update
/// says what the change is (who may make it, what it checks, which columns it sets) — and run
/// by `update` the one way every change runs.
// Public only in name (the module is private), so only this crate implements it. Its steps are
// `Send`, so that any change runs in a write unit (`Changes`); each kind writes them as
// `async fn`s.
pub trait Change: Sized + Send + Sync + 'static {
    /// The record as its domain type.
    type Record: crate::Stored;
    /// The kind the changed record is of.
    const KIND: Kind<EntityOf<Self>, Self::Record>;
    /// What the audit trail calls the change.
    const ACTION: &'static str;

    /// What is refused before the record is even read: an actor who may change no record `id`
    /// of the kind whatever it holds (only editors change sources), or input malformed whatever
    /// the record is.
    fn check_first(&self, unit: &Unit, id: domain::Id) -> Result<(), WriteError> {
        let _ = (unit, id);
        Ok(())
    }

    /// Whether the actor may change the record as it stands (`FORBIDDEN`; `NOT_FOUND` for a part
    /// of what it may not see), asked before the version read is compared.
    fn authority(
        &self,
        unit: &Unit,
        before: &Self::Record,
    ) -> impl Future<Output = Result<(), WriteError>> + Send {
        let _ = (unit, before);
        async { Ok(()) }
    }

    /// What a failure of this change means for its input, taken before it is applied: a broken
    /// uniqueness the change guards (one election of a kind per first round), or a record it
    /// names that went away. Most changes leave failures as they are.
    fn explain(&self) -> impl FnOnce(WriteError) -> WriteError + Send + 'static {
        |error| error
    }

    /// Checks the change against the record as it stands (as a new record is checked) and sets
    /// the columns it gives.
    fn apply(
        self,
        to: &mut Changing<'_, Self>,
    ) -> impl Future<Output = Result<(), WriteError>> + Send;
}

/// A change the API hands to a write unit: a record kind's changes (`award::RecognitionChanges`,
/// `city::CityFields`, …), run the one way every change runs (`update`). Only the crate's own
/// changes are `Changes`.
pub trait Changes: Send + 'static {
    /// The changed record as its domain type.
    type Record: Send;

    /// Changes the record `id` read at `version` in `unit`, and returns it as stored.
    fn run(
        self,
        unit: &Unit,
        id: domain::Id,
        version: i32,
    ) -> super::Steps<'_, Self::Record, WriteError>;
}

impl<C> Changes for C
where
    C: Change,
    <EntityOf<C> as EntityTrait>::Model: Clone
        + Send
        + Sync
        + Identified
        + IntoActiveModel<<EntityOf<C> as EntityTrait>::ActiveModel>,
    <EntityOf<C> as EntityTrait>::ActiveModel:
        ActiveModelTrait<Entity = EntityOf<C>> + ActiveModelBehavior + Stamped + Send + Sync,
{
    type Record = C::Record;

    fn run(
        self,
        unit: &Unit,
        id: domain::Id,
        version: i32,
    ) -> super::Steps<'_, C::Record, WriteError> {
        Box::pin(update(unit, (id, version), self))
    }
}

/// The entity whose rows hold the records change `C` changes.
pub type EntityOf<C> = <<C as Change>::Record as crate::Stored>::Entity;

/// A record being changed: the unit, the record's id, what it was, and its row as changed.
pub struct Changing<'a, C: Change> {
    pub unit: &'a Unit,
    pub id: domain::Id,
    pub before: &'a C::Record,
    pub active: <EntityOf<C> as EntityTrait>::ActiveModel,
}

/// Changes the record `id` read at `version` — the one way every change runs: what is refused
/// before reading, the record read, the actor's authority over it, the version still current,
/// the change's own checks and columns, then saved and audited (`Kind::save_change`); a failure
/// as the change explains it (`Change::explain`).
pub(crate) async fn update<C>(
    unit: &Unit,
    (id, version): (domain::Id, i32),
    change: C,
) -> Result<C::Record, WriteError>
where
    C: Change,
    <EntityOf<C> as EntityTrait>::Model:
        Clone + Identified + IntoActiveModel<<EntityOf<C> as EntityTrait>::ActiveModel>,
    <EntityOf<C> as EntityTrait>::ActiveModel:
        ActiveModelTrait<Entity = EntityOf<C>> + ActiveModelBehavior + Stamped + Send,
{
    let explain = change.explain();
    let steps = async {
        change.check_first(unit, id)?;
        let (row, before) = C::KIND.read_for_change(unit, id).await?;
        change
            .authority(unit, &before)
            .await
            .map_err(super::hidden_is_absent)?;
        super::check_version(row.version(), version)?;
        let mut to = Changing {
            unit,
            id,
            before: &before,
            active: row.into_active_model(),
        };
        change.apply(&mut to).await?;
        let active = to.active;
        C::KIND
            .save_change(unit, C::ACTION, (id, version), active, &before)
            .await
    };
    steps.await.map_err(explain)
}

/// A record kind: entity `E`, domain type `D`.
pub struct Kind<E: EntityTrait, D> {
    /// The stored row as its domain type.
    pub to_domain: fn(E::Model) -> Result<D, Error>,
    /// The record as the audit trail keeps it.
    pub snapshot: fn(&D) -> serde_json::Value,
    /// (column, input field) pairs: a unique violation on the column is `Taken` on the field.
    pub unique: &'static [(&'static str, Field)],
}

impl<D: crate::Stored> Kind<D::Entity, D> {
    /// A kind whose record is `Stored`: its row becomes it as every read turns it
    /// (`Stored::from_row`), the audit trail keeps `snapshot` of it, and no unique column guards
    /// an input field until `unique` says so.
    pub const fn stored(snapshot: fn(&D) -> serde_json::Value) -> Self {
        Kind {
            to_domain: D::from_row,
            snapshot,
            unique: &[],
        }
    }
}

impl<E: EntityTrait, D> Kind<E, D> {
    /// The kind with `unique` as its (column, input field) pairs: a unique violation on the
    /// column is `TAKEN` on the field.
    pub const fn unique(self, unique: &'static [(&'static str, Field)]) -> Self {
        Kind { unique, ..self }
    }
}

impl<E: EntityTrait, D> Clone for Kind<E, D> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E: EntityTrait, D> Copy for Kind<E, D> {}

impl<E, D> Kind<E, D>
where
    E: EntityTrait,
    E::Model: Clone + Identified + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Stamped + Send,
{
    /// Creates a record (`super::insert_new`), audited as `action`.
    pub(crate) async fn insert_new(
        self,
        unit: &Unit,
        action: &str,
        active: E::ActiveModel,
    ) -> Result<D, WriteError> {
        super::insert_new(
            unit,
            action,
            active,
            self.unique,
            self.to_domain,
            self.snapshot,
        )
        .await
    }

    /// The record `id`, read to be changed, as its row and its domain type
    /// (`super::read_for_change`).
    pub(crate) async fn read_for_change(
        self,
        unit: &Unit,
        id: domain::Id,
    ) -> Result<(E::Model, D), WriteError> {
        super::read_for_change::<E, D>(unit, id, self.to_domain).await
    }

    /// Saves a change to the record `id` read at `version` as `before` (`super::save_change`),
    /// audited as `action`.
    pub(crate) async fn save_change(
        self,
        unit: &Unit,
        action: &'static str,
        (id, version): (domain::Id, i32),
        active: E::ActiveModel,
        before: &D,
    ) -> Result<D, WriteError> {
        let audited = Audited {
            action,
            before: (self.snapshot)(before),
            snapshot: self.snapshot,
        };
        super::save_change::<E, D>(
            unit,
            (id, version),
            active,
            self.unique,
            audited,
            self.to_domain,
        )
        .await
    }

    /// Deletes the record `id`, read as `before` (`read_for_change`), with the citations of it
    /// (which no foreign key ties to it), and records its removal as `action`, with the record
    /// as the kind snapshots it: a part that goes with its parent (a signature with the party
    /// it was made for) or one removed on its own.
    pub(crate) async fn delete(
        self,
        unit: &Unit,
        action: &str,
        id: domain::Id,
        before: &D,
    ) -> Result<(), WriteError> {
        let table = sea_orm::EntityName::table_name(&E::default()).to_owned();
        let citations = Query::delete()
            .from_table("citation")
            .and_where(Expr::col("record_type").eq(table.as_str()))
            .and_where(Expr::col("record_id").eq(id))
            .to_owned();
        unit.tx().execute(&citations).await?;
        E::delete_many()
            .filter(Expr::col("id").eq(id))
            .exec(unit.tx())
            .await?;
        unit.audit(action, &table, id, Some((self.snapshot)(before)), None)
            .await?;
        Ok(())
    }
}
