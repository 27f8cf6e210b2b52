//! Rows of freshness: elections and verifications.

use super::*;
use crate::Error;

pub(crate) fn election(row: election::Model) -> Result<domain::election::Election, Error> {
    let jurisdiction =
        domain::election::Jurisdiction::new(&row.country, row.subdivision.as_deref())
            .map_err(|error| Error::corrupt("election", "subdivision", &row.jurisdiction, error))?;
    Ok(domain::election::Election {
        kind: word("election", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        jurisdiction,
        first_round: row.first_round,
        second_round: row.second_round,
    })
}

pub(crate) fn verification(
    row: verification::Model,
) -> Result<domain::freshness::Verification, Error> {
    Ok(domain::freshness::Verification {
        record_type: word("verification", "record_type", &row.record_type)?,
        stamp: stamp!(row),
        id: row.id,
        record_id: row.record_id,
        verified_at: row.verified_at,
        verified_on: row.verified_on,
        verified_by: row.verified_by,
        source_id: row.source_id,
    })
}

/// A period as a record's `start_on` and `end_on` columns of `table` hold it.
pub(crate) fn stored_period(
    table: &'static str,
    start: Option<&str>,
    end: Option<&str>,
) -> Result<domain::fuzzy_date::Period, Error> {
    period(table, start, end)
}
