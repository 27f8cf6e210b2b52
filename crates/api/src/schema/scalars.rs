//! Scalars and small value types shared by the schema.

use async_graphql::{
    InputObject, InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value,
};
use chrono::{NaiveDate, Utc};

/// A calendar day, as `YYYY-MM-DD` (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar day, written `YYYY-MM-DD` (ISO 8601), such as `2023-11-28`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!("{text:?} is not a date written YYYY-MM-DD"))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

/// A moment in UTC: what every time the API gives or takes is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub chrono::DateTime<Utc>);

/// A moment, written in RFC 3339: `2026-12-03T09:30:00Z`, `2026-12-03T10:30:00+01:00`. As an
/// input, a day (`2026-12-03`) stands for its start, midnight UTC: `updatedSince: "2026-12-03"`
/// keeps what changed on that day or later.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://datatracker.ietf.org/doc/html/rfc3339"
)]
impl ScalarType for Timestamp {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => parse_timestamp(text).map(Timestamp).ok_or_else(|| {
                InputValueError::custom(format!(
                    "{text:?} is neither a date-time in RFC 3339 (2026-12-03T09:30:00Z) nor a date (2026-12-03)"
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

impl From<chrono::DateTime<Utc>> for Timestamp {
    fn from(time: chrono::DateTime<Utc>) -> Self {
        Timestamp(time)
    }
}

impl From<Timestamp> for chrono::DateTime<Utc> {
    fn from(time: Timestamp) -> Self {
        time.0
    }
}

/// A date-time as chrono reads one (RFC 3339, or with a space for the `T`), or a date, which
/// stands for its first moment in UTC.
fn parse_timestamp(text: &str) -> Option<chrono::DateTime<Utc>> {
    if let Ok(time) = text.parse::<chrono::DateTime<Utc>>() {
        return Some(time);
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// How much of a date the sources give.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePrecision {
    /// Known to the day: `2023-11-28`.
    Day,
    /// Known to the month: `2023-05`.
    Month,
    /// Known to the year: `1919`.
    Year,
}

/// A date as the sources know it: to the day, the month or the year, possibly approximate.
/// `edtf` shows it as known (`1919`, `2023-05`, `2018~`); filter on `earliest` and `latest`.
#[derive(SimpleObject, Debug, Clone)]
pub struct FuzzyDate {
    /// The date in EDTF (ISO 8601-2): `2023-11-28`, `2023-05`, `1919`, `2018~` for "about 2018".
    pub edtf: String,
    /// How much of the date is known.
    pub precision: DatePrecision,
    /// Whether the sources give the date only roughly ("il y a 5 ans").
    pub approximate: bool,
    /// The first day the date can mean.
    pub earliest: Date,
    /// The last day the date can mean.
    pub latest: Date,
}

impl From<domain::FuzzyDate> for FuzzyDate {
    fn from(date: domain::FuzzyDate) -> Self {
        FuzzyDate {
            edtf: date.edtf(),
            precision: match date.precision() {
                domain::fuzzy_date::Precision::Day => DatePrecision::Day,
                domain::fuzzy_date::Precision::Month => DatePrecision::Month,
                domain::fuzzy_date::Precision::Year => DatePrecision::Year,
            },
            approximate: date.is_approximate(),
            earliest: Date(date.earliest()),
            latest: Date(date.latest()),
        }
    }
}

/// A period between two dates as known; either end may be unknown or open.
#[derive(SimpleObject, Debug, Clone)]
pub struct Period {
    /// When the period starts, if known.
    pub start: Option<FuzzyDate>,
    /// When the period ends, if known; none while it is open.
    pub end: Option<FuzzyDate>,
}

impl From<domain::fuzzy_date::Period> for Period {
    fn from(period: domain::fuzzy_date::Period) -> Self {
        Period {
            start: period.start.map(Into::into),
            end: period.end.map(Into::into),
        }
    }
}

/// A period written in an input, as every write writes dates: each end a date as known
/// (`2026-03-15`, `2026-03`, `2026`), either one left out when unknown or open.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PeriodInput {
    /// When it starts, as known (`2026-03-15`, `2026-03`, `2026`).
    pub start: Option<String>,
    /// When it ends, as known; not before it starts.
    pub end: Option<String>,
}

/// Another name of a city or an organisation.
#[derive(SimpleObject, Debug, Clone)]
pub struct OtherName {
    /// The name as written.
    pub name: String,
    /// What kind of name it is: `official`, `short`, `acronym`, `translation` or `former`.
    pub kind: String,
    /// Its language (ISO 639-1), when known.
    pub lang: Option<String>,
}

impl From<domain::city::OtherName> for OtherName {
    fn from(other: domain::city::OtherName) -> Self {
        OtherName {
            name: other.name,
            kind: other.kind,
            lang: other.lang,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timestamp_is_a_date_time_or_a_day_from_its_start() {
        let day = parse_timestamp("2026-12-03").unwrap();
        assert_eq!(day.to_rfc3339(), "2026-12-03T00:00:00+00:00");
        let moment = parse_timestamp("2026-12-03T10:30:00+01:00").unwrap();
        assert_eq!(moment.to_rfc3339(), "2026-12-03T09:30:00+00:00");
        for wrong in ["2026-13-03", "yesterday", "2026-12-03T25:00:00Z", ""] {
            assert!(parse_timestamp(wrong).is_none(), "{wrong}");
        }
    }
}
