//! Verifying records: an editor (or the partner who may write the record) says it was checked,
//! and the seed says its records were checked by their source. Both go through the write unit:
//! the verification row is stamped, versioned and audited like any record.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Id;
use domain::freshness::Verification;
use domain::source::RecordType;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};

use crate::entity::{source, verification};
use crate::write::{Field, Kind, Unit, WriteError, check_version};
use crate::{Error, rows};

/// Verifications, as the write path handles them.
const VERIFICATION: Kind<verification::Entity, Verification> = Kind::stored(snapshot);

/// A verification to record.
#[derive(Debug, Clone)]
pub struct MarkVerified {
    pub record_type: RecordType,
    pub record_id: Id,
    /// The record's version the caller checked; a record changed since is a `CONFLICT`.
    pub version: Option<i32>,
    /// The day the record was checked, if not today (a past day: against a document of then).
    pub verified_on: Option<NaiveDate>,
    /// The document it was checked against.
    pub source_id: Option<Id>,
}

/// Records that a record was checked, by the unit's actor: whoever may write the record
/// (`check_may_verify`). Its verification row is created or changed, and audited as
/// `mark_verified`; the record itself keeps its version.
pub async fn mark_verified(unit: &Unit, mark: MarkVerified) -> Result<Verification, WriteError> {
    let current = version_of(unit, mark.record_type, mark.record_id).await?;
    check_may_verify(unit, mark.record_type, mark.record_id).await?;
    if let Some(read) = mark.version {
        check_version(current, read)?;
    }
    let verified_on = mark.verified_on.unwrap_or_else(|| unit.today());
    domain::validate::check_day_has_come("verified on", verified_on, unit.now())?;
    if let Some(source_id) = mark.source_id
        && source::Entity::find_by_id(source_id)
            .one(unit.tx())
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound(Field::Source));
    }
    // Checked today: now; on a past day: that day, as its start.
    let verified_at = if verified_on == unit.today() {
        unit.now()
    } else {
        start_of(verified_on)
    };
    let existing = verification::Entity::find()
        .filter(Expr::col("record_type").eq(mark.record_type.as_str()))
        .filter(Expr::col("record_id").eq(mark.record_id))
        .one(unit.tx())
        .await?;
    match existing {
        Some(row) => {
            let (id, version) = (row.id, row.version);
            let before = rows::verification(row.clone())?;
            let mut active = row.into_active_model();
            active.verified_at = Set(verified_at);
            active.verified_on = Set(verified_on);
            active.verified_by = Set(unit.actor().name.clone());
            active.source_id = Set(mark.source_id);
            VERIFICATION
                .save_change(unit, "mark_verified", (id, version), active, &before)
                .await
        }
        None => {
            let active = new_row(
                unit,
                mark.record_type,
                mark.record_id,
                verified_at,
                mark.source_id,
            );
            // Two first verifications of one record at once: the later finds the row taken.
            VERIFICATION
                .insert_new(unit, "mark_verified", active)
                .await
                .map_err(|error| match error {
                    WriteError::Store(Error::Database(error)) => {
                        crate::write::unique_as(|| WriteError::StaleVersion { current })(error)
                    }
                    other => other,
                })
        }
    }
}

/// Verifies, as checked by `source_id` at `verified_at`, every record the unit created so far
/// (but citations, which are the evidence rather than a fact): what a seed file's records are
/// when it is loaded. One statement for all of them, each audited as `verify_record`.
pub(crate) async fn verify_created(
    unit: &Unit,
    source_id: Id,
    verified_at: DateTime<Utc>,
) -> Result<(), Error> {
    let rows: Vec<verification::ActiveModel> = unit
        .created()
        .into_iter()
        .filter_map(|(entity_type, id)| {
            let record_type: RecordType = entity_type.parse().ok()?;
            (record_type != RecordType::Citation)
                .then(|| new_row(unit, record_type, id, verified_at, Some(source_id)))
        })
        .collect();
    crate::bulk::create_all(unit, "verify_record", rows, |row| {
        Ok(snapshot(&rows::verification(row.clone())?))
    })
    .await?;
    Ok(())
}

/// Whether the unit's actor may verify the record: whoever may write it. Editors and admins
/// always; a partner, the records its write rules give it — its organisation, and the records
/// it may delete (the mandates held in it, the group purchases it organises, the partnerships
/// it is a party to, collective action…) — and no other.
async fn check_may_verify(unit: &Unit, record_type: RecordType, id: Id) -> Result<(), WriteError> {
    let actor = unit.actor();
    if actor.check_editor().is_ok() {
        return Ok(());
    }
    match record_type {
        RecordType::Organisation => Ok(actor.check_writes_for(id)?),
        other => match crate::delete::Deletable::of(other) {
            Some(kind) => crate::delete::check_may_delete(unit, kind, id).await,
            None => Ok(actor.check_editor()?),
        },
    }
}

/// The version of record `id` of `record_type`; `NOT_FOUND` on the id when there is none.
async fn version_of(unit: &Unit, record_type: RecordType, id: Id) -> Result<i32, WriteError> {
    let select = Query::select()
        .column("version")
        .from(Alias::new(record_type.as_str()))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    match unit.tx().query_one(&select).await? {
        Some(row) => Ok(row.try_get("", "version")?),
        None => Err(WriteError::NotFound(Field::Id)),
    }
}

fn new_row(
    unit: &Unit,
    record_type: RecordType,
    record_id: Id,
    verified_at: DateTime<Utc>,
    source_id: Option<Id>,
) -> verification::ActiveModel {
    verification::ActiveModel {
        record_type: Set(record_type.as_str().to_owned()),
        record_id: Set(record_id),
        verified_at: Set(verified_at),
        verified_on: Set(verified_at.date_naive()),
        verified_by: Set(unit.actor().name.clone()),
        source_id: Set(source_id),
        ..Default::default()
    }
}

/// The first moment of a day, in UTC.
pub(crate) fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

fn snapshot(verification: &Verification) -> serde_json::Value {
    serde_json::json!({
        "recordType": verification.record_type.as_str(),
        "recordId": verification.record_id,
        "verifiedAt": verification.verified_at,
        "verifiedOn": verification.verified_on,
        "verifiedBy": verification.verified_by,
        "sourceId": verification.source_id,
        "version": verification.stamp.version,
    })
}
