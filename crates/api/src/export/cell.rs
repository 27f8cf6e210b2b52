//! The values of an exported row, and the columns that name them.

use domain::Id;
use domain::source::RecordType;

use crate::schema::record::{global_id, type_name};

/// A column of an exported kind: its name (the CSV header, the JSON key) and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub about: &'static str,
}

/// Declares a kind's columns, in their order; every kind ends with its record's stamp
/// (`created_at`, `updated_at`, `version`: the cells of `stamp`).
macro_rules! columns {
    ($($name:literal: $about:literal),* $(,)?) => {
        &[
            $(crate::export::cell::Column { name: $name, about: $about },)*
            crate::export::cell::Column {
                name: "created_at",
                about: "when the record was created (RFC 3339, UTC)",
            },
            crate::export::cell::Column {
                name: "updated_at",
                about: "when it last changed (RFC 3339, UTC)",
            },
            crate::export::cell::Column {
                name: "version",
                about: "its version, as updates take it",
            },
        ]
    };
}
pub(crate) use columns;

/// One value of an exported row: JSON gives it its type, CSV its text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Unknown, absent or hidden: `null` in JSON, an empty field in CSV.
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A list of texts: a JSON array; in CSV its items joined by a space (as the importer
    /// reads `subdivisions`), none of them holding one.
    List(Vec<String>),
}

impl Cell {
    /// The field's text in CSV.
    pub fn csv_text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Int(number) => number.to_string(),
            Cell::Float(number) => number.to_string(),
            Cell::Bool(value) => value.to_string(),
            Cell::List(items) => items.join(" "),
        }
    }

    /// The value in JSON.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Cell::Null => serde_json::Value::Null,
            Cell::Text(text) => text.as_str().into(),
            Cell::Int(number) => (*number).into(),
            Cell::Float(number) => serde_json::Number::from_f64(*number)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Bool(value) => (*value).into(),
            Cell::List(items) => items.clone().into(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Cell {
        Cell::Bool(value)
    }
}

impl From<i64> for Cell {
    fn from(number: i64) -> Cell {
        Cell::Int(number)
    }
}

impl From<i32> for Cell {
    fn from(number: i32) -> Cell {
        Cell::Int(number.into())
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Cell {
        Cell::Float(number)
    }
}

impl From<chrono::NaiveDate> for Cell {
    fn from(day: chrono::NaiveDate) -> Cell {
        Cell::Text(day.format("%Y-%m-%d").to_string())
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Cell {
    fn from(time: chrono::DateTime<chrono::Utc>) -> Cell {
        Cell::Text(time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
    }
}

/// A date as known, as its EDTF text (`1919`, `2023-05`, `2018~`).
impl From<domain::FuzzyDate> for Cell {
    fn from(date: domain::FuzzyDate) -> Cell {
        Cell::Text(date.edtf())
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Null, Into::into)
    }
}

/// A record's global id, as `node(id:)` takes it and the change feed names it.
pub fn id(record_type: RecordType, id: Id) -> Cell {
    Cell::Text(global_id(record_type, id).0)
}

/// A record's global id, or null.
pub fn id_or_null(record_type: RecordType, id: Option<Id>) -> Cell {
    id.map_or(Cell::Null, |id| self::id(record_type, id))
}

/// The GraphQL type of a record that may be of several (`City`, `Organisation`).
pub fn type_of(record_type: RecordType) -> Cell {
    Cell::Text(type_name(record_type).to_owned())
}

/// The cells every row ends with (`columns!`).
pub fn stamp(stamp: &domain::Stamp) -> [Cell; 3] {
    [
        stamp.created_at.into(),
        stamp.updated_at.into(),
        stamp.version.into(),
    ]
}
