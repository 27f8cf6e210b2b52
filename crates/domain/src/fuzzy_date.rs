//! Dates as the sources know them: to the day, the month or the year, maybe approximate.
//!
//! Written as a subset of EDTF (ISO 8601-2): `2023-11-14`, `2023-05`, `1919`, and `2018~` for
//! "about 2018". Filters use the earliest and latest day a date can mean.

use chrono::{Datelike, NaiveDate};

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// A date known to the day, month or year, possibly approximate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FuzzyDate {
    /// The first day the date can mean; with `precision`, the whole date.
    start: NaiveDate,
    precision: Precision,
    approximate: bool,
}

/// Why a text is not a date as known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not a date as YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ~ for \"about\""
)]
pub struct FuzzyDateError(pub String);

impl FuzzyDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with an optional trailing `~`.
    pub fn parse(text: &str) -> Result<FuzzyDate, FuzzyDateError> {
        let error = || FuzzyDateError(text.to_owned());
        let (body, approximate) = match text.strip_suffix('~') {
            Some(body) => (body, true),
            None => (text, false),
        };
        let parts: Vec<&str> = body.split('-').collect();
        let number = |part: &str, digits: usize| -> Result<u32, FuzzyDateError> {
            if part.len() != digits || !part.chars().all(|c| c.is_ascii_digit()) {
                return Err(error());
            }
            part.parse().map_err(|_| error())
        };
        let (year, month, day, precision) = match parts.as_slice() {
            [year] => (number(year, 4)?, 1, 1, Precision::Year),
            [year, month] => (number(year, 4)?, number(month, 2)?, 1, Precision::Month),
            [year, month, day] => (
                number(year, 4)?,
                number(month, 2)?,
                number(day, 2)?,
                Precision::Day,
            ),
            _ => return Err(error()),
        };
        let start = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(error)?;
        Ok(FuzzyDate {
            start,
            precision,
            approximate,
        })
    }

    /// A date known to the day.
    pub fn day(date: NaiveDate) -> FuzzyDate {
        FuzzyDate {
            start: date,
            precision: Precision::Day,
            approximate: false,
        }
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    pub fn is_approximate(&self) -> bool {
        self.approximate
    }

    /// The first day the date can mean (1 January for a year).
    pub fn earliest(&self) -> NaiveDate {
        self.start
    }

    /// The last day the date can mean (31 December for a year).
    pub fn latest(&self) -> NaiveDate {
        match self.precision {
            Precision::Day => self.start,
            Precision::Month => {
                let next_month = if self.start.month() == 12 {
                    NaiveDate::from_ymd_opt(self.start.year() + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(self.start.year(), self.start.month() + 1, 1)
                };
                next_month.and_then(|d| d.pred_opt()).unwrap_or(self.start)
            }
            Precision::Year => {
                NaiveDate::from_ymd_opt(self.start.year(), 12, 31).unwrap_or(self.start)
            }
        }
    }

    /// The EDTF text of the date, as shown to people: `1919`, `2023-05`, `2018~`.
    pub fn edtf(&self) -> String {
        let body = match self.precision {
            Precision::Day => self.start.format("%Y-%m-%d").to_string(),
            Precision::Month => self.start.format("%Y-%m").to_string(),
            Precision::Year => self.start.format("%Y").to_string(),
        };
        if self.approximate {
            format!("{body}~")
        } else {
            body
        }
    }
}

impl std::fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.edtf())
    }
}

impl std::str::FromStr for FuzzyDate {
    type Err = FuzzyDateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        FuzzyDate::parse(text)
    }
}

impl<'de> serde::Deserialize<'de> for FuzzyDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        FuzzyDate::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A period between two dates as known; either end may be open or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Period {
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
}

/// Why two dates do not make a period.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("period ends ({end}) before it starts ({start})")]
pub struct PeriodError {
    pub start: FuzzyDate,
    pub end: FuzzyDate,
}

impl Period {
    /// A period whose end, when both are known, is not before its start.
    pub fn new(start: Option<FuzzyDate>, end: Option<FuzzyDate>) -> Result<Period, PeriodError> {
        if let (Some(start), Some(end)) = (start, end)
            && end.latest() < start.earliest()
        {
            return Err(PeriodError { start, end });
        }
        Ok(Period { start, end })
    }

    /// Whether the period may include the day: it does not start after it nor end before it.
    pub fn may_contain(&self, day: NaiveDate) -> bool {
        self.start.is_none_or(|start| start.earliest() <= day)
            && self.end.is_none_or(|end| end.latest() >= day)
    }

    /// Whether anything is known of the period.
    pub fn is_known(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }

    /// The first and the last day of a span of days written as dates as known (an enrolment
    /// window, a contract): from the first day its start can mean to the last day its end can
    /// mean, so `2026-03` to `2026-09` runs from 1 March to 30 September. An approximate date
    /// (`2026~`) names no day such a span could start or end on.
    pub fn days(&self) -> Result<(Option<NaiveDate>, Option<NaiveDate>), DaysError> {
        for date in [self.start, self.end].into_iter().flatten() {
            if date.is_approximate() {
                return Err(DaysError::Approximate(date));
            }
        }
        Ok((
            self.start.map(|start| start.earliest()),
            self.end.map(|end| end.latest()),
        ))
    }
}

/// Why a period gives no span of days.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DaysError {
    #[error(
        "{0} is approximate: a span of days starts and ends on days as known (2026-03-15, 2026-03, 2026)"
    )]
    Approximate(FuzzyDate),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_year_spans_the_whole_year() {
        let year = FuzzyDate::parse("1919").unwrap();
        assert_eq!(year.precision(), Precision::Year);
        assert_eq!(year.earliest(), day("1919-01-01"));
        assert_eq!(year.latest(), day("1919-12-31"));
        assert_eq!(year.edtf(), "1919");
    }

    #[test]
    fn a_month_ends_on_its_last_day() {
        assert_eq!(
            FuzzyDate::parse("2023-05").unwrap().latest(),
            day("2023-05-31")
        );
        assert_eq!(
            FuzzyDate::parse("2024-02").unwrap().latest(),
            day("2024-02-29")
        );
        assert_eq!(
            FuzzyDate::parse("2023-12").unwrap().latest(),
            day("2023-12-31")
        );
    }

    #[test]
    fn a_tilde_marks_an_approximate_date() {
        let about = FuzzyDate::parse("2018~").unwrap();
        assert!(about.is_approximate());
        assert_eq!(about.to_string(), "2018~");
    }

    #[test]
    fn malformed_dates_are_refused() {
        for text in [
            "",
            "23",
            "2023-13",
            "2023-02-30",
            "2023/05",
            "2023-5",
            "2023-05-01-02",
            "~",
        ] {
            assert!(FuzzyDate::parse(text).is_err(), "{text} should be refused");
        }
    }

    #[test]
    fn a_period_may_not_end_before_it_starts() {
        let start = FuzzyDate::parse("2024").ok();
        let end = FuzzyDate::parse("2023-12").ok();
        assert!(Period::new(start, end).is_err());
        assert!(Period::new(start, FuzzyDate::parse("2024").ok()).is_ok());
    }

    #[test]
    fn a_span_of_days_runs_from_the_first_day_of_its_start_to_the_last_of_its_end() {
        let months = Period::new(
            FuzzyDate::parse("2026-03").ok(),
            FuzzyDate::parse("2026-09").ok(),
        )
        .unwrap();
        assert_eq!(
            months.days(),
            Ok((Some(day("2026-03-01")), Some(day("2026-09-30"))))
        );
        let open_ended = Period::new(None, FuzzyDate::parse("2026-06-15").ok()).unwrap();
        assert_eq!(open_ended.days(), Ok((None, Some(day("2026-06-15")))));
        let about = Period::new(FuzzyDate::parse("2026~").ok(), None).unwrap();
        assert!(about.days().is_err());
    }

    #[test]
    fn a_period_of_years_contains_each_of_their_days() {
        let period =
            Period::new(FuzzyDate::parse("2024").ok(), FuzzyDate::parse("2026").ok()).unwrap();
        assert!(period.may_contain(day("2024-01-01")));
        assert!(period.may_contain(day("2026-12-31")));
        assert!(!period.may_contain(day("2023-11-28")));
        assert!(Period::default().may_contain(day("1900-01-01")));
    }
}
