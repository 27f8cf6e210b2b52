//! Turning rows into domain records: the shared readers of stored values here, each part of
//! the directory's records in a module of its own.

use std::str::FromStr;

use domain::fuzzy_date::Period;
use domain::{FuzzyDate, Stamp};

use crate::Error;
use crate::entity::*;

pub(crate) fn stamp(
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    version: i32,
) -> Stamp {
    Stamp {
        created_at,
        updated_at,
        version,
    }
}

macro_rules! stamp {
    ($row:expr) => {
        stamp($row.created_at, $row.updated_at, $row.version)
    };
}

/// Parses a stored vocabulary value.
fn word<T: FromStr>(table: &'static str, column: &'static str, value: &str) -> Result<T, Error>
where
    T::Err: std::fmt::Display,
{
    value
        .parse()
        .map_err(|error| Error::corrupt(table, column, value, error))
}

fn fuzzy(
    table: &'static str,
    column: &'static str,
    value: Option<&str>,
) -> Result<Option<FuzzyDate>, Error> {
    value.map(|text| word(table, column, text)).transpose()
}

fn period(table: &'static str, start: Option<&str>, end: Option<&str>) -> Result<Period, Error> {
    let start = fuzzy(table, "start_on", start)?;
    let end = fuzzy(table, "end_on", end)?;
    Period::new(start, end)
        .map_err(|error| Error::corrupt(table, "end_on", &error.end.edtf(), error))
}

fn json<T: serde::de::DeserializeOwned>(
    table: &'static str,
    column: &'static str,
    value: &str,
) -> Result<T, Error> {
    serde_json::from_str(value).map_err(|error| Error::corrupt(table, column, value, error))
}

mod access;
mod agreements;
mod collective_action;
mod directory;
mod freshness;

pub(crate) use access::*;
pub(crate) use agreements::*;
pub(crate) use collective_action::*;
pub(crate) use directory::*;
pub(crate) use freshness::*;
