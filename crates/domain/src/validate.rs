//! Checks on the plain values of an input: names, emails, web addresses.

/// Why a value is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("{0:?} is not an email address such as name@example.org")]
    Email(String),
    #[error("{0:?} is not a web address starting with https:// or http://")]
    Url(String),
    #[error("{field} must not be negative")]
    Negative { field: &'static str },
    #[error("{0:?} is not an ISO 4217 currency code such as CAD or EUR")]
    Currency(String),
    #[error("{0:?} is not a phone number such as +1 514 531-3453 or 438 827-4560")]
    Phone(String),
    #[error("{0:?} is not a language tag such as fr or fr-CA")]
    Language(String),
    #[error("{field} must be a past day or today ({today} at the latest), not {on}")]
    DayToCome {
        field: &'static str,
        on: chrono::NaiveDate,
        today: chrono::NaiveDate,
    },
}

/// How far ahead of UTC the earliest time zone is (UTC+14, Kiribati's Line Islands): when it is
/// `now` in UTC, the latest date anywhere is that of `now` plus this.
const EARLIEST_ZONE_HOURS: i64 = 14;

/// A day on which something was done — a record verified, a mandate attested by a source — is
/// one that has come: today or before, never a future day. "Today" is the latest date it is
/// anywhere at `now`, so that a caller east of UTC (Paris after its midnight) may give its own
/// today; a day no one has reached yet is refused.
pub fn check_day_has_come(
    field: &'static str,
    on: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ValueError> {
    let today = (now + chrono::Duration::hours(EARLIEST_ZONE_HOURS)).date_naive();
    if on > today {
        Err(ValueError::DayToCome { field, on, today })
    } else {
        Ok(())
    }
}

/// A name or title: trimmed, not empty, at most 300 characters.
pub fn check_name(field: &'static str, text: &str) -> Result<(), ValueError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValueError::Empty { field });
    }
    if text.chars().count() > 300 {
        return Err(ValueError::TooLong { field, max: 300 });
    }
    Ok(())
}

/// A passage of text (a quote, a narrative): trimmed, not empty, at most 10,000 characters.
pub fn check_text(field: &'static str, text: &str) -> Result<(), ValueError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValueError::Empty { field });
    }
    if text.chars().count() > 10_000 {
        return Err(ValueError::TooLong { field, max: 10_000 });
    }
    Ok(())
}

/// An email address: one `@`, a local part, a domain with a dot, no spaces.
pub fn check_email(text: &str) -> Result<(), ValueError> {
    let error = || ValueError::Email(text.to_owned());
    let (local, domain) = text.split_once('@').ok_or_else(error)?;
    let well_formed = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && text.len() <= 254;
    if well_formed { Ok(()) } else { Err(error()) }
}

/// A web address: `http://` or `https://` and a host.
pub fn check_url(text: &str) -> Result<(), ValueError> {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    match rest {
        Some(rest)
            if !rest.is_empty()
                && !rest.starts_with('/')
                && !text.chars().any(char::is_whitespace)
                && text.len() <= 2000 =>
        {
            Ok(())
        }
        _ => Err(ValueError::Url(text.to_owned())),
    }
}

/// A phone number as people write it: digits (at least four) grouped by spaces, dots, dashes,
/// slashes or parentheses, a `+` only in front, at most 40 characters.
pub fn check_phone(text: &str) -> Result<(), ValueError> {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let well_formed = digits >= 4
        && text.chars().count() <= 40
        && text
            .char_indices()
            .all(|(at, c)| c.is_ascii_digit() || " .-/()".contains(c) || (c == '+' && at == 0));
    if well_formed {
        Ok(())
    } else {
        Err(ValueError::Phone(text.to_owned()))
    }
}

/// A language as a BCP 47 tag: two or three lower-case letters (ISO 639), optionally a `-` and
/// a region of two upper-case letters (`fr`, `en`, `fr-CA`).
pub fn check_language(tag: &str) -> Result<(), ValueError> {
    let (language, region) = match tag.split_once('-') {
        Some((language, region)) => (language, Some(region)),
        None => (tag, None),
    };
    let well_formed = (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_lowercase())
        && region.is_none_or(|r| r.len() == 2 && r.chars().all(|c| c.is_ascii_uppercase()));
    if well_formed {
        Ok(())
    } else {
        Err(ValueError::Language(tag.to_owned()))
    }
}

/// A currency: an ISO 4217 code, three upper-case letters.
pub fn check_currency(code: &str) -> Result<(), ValueError> {
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ValueError::Currency(code.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_something_was_done_on_has_come_somewhere() {
        let day = |text| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let at = |text: &str| text.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        // Noon in UTC: the 6th everywhere west of UTC+12, the 7th beyond.
        let noon = at("2026-12-06T12:00:00Z");
        assert_eq!(
            check_day_has_come("verified on", day("2026-12-06"), noon),
            Ok(())
        );
        assert_eq!(
            check_day_has_come("attestations", day("2023-11-14"), noon),
            Ok(())
        );
        assert_eq!(
            check_day_has_come("attestations", day("2026-12-07"), noon),
            Ok(())
        );
        assert_eq!(
            check_day_has_come("attestations", day("2026-12-08"), noon),
            Err(ValueError::DayToCome {
                field: "attestations",
                on: day("2026-12-08"),
                today: day("2026-12-07")
            })
        );
        // 23:30 in UTC on the 5th is 00:30 on the 6th in Paris: the 6th has come there.
        let paris_after_midnight = at("2026-12-05T23:30:00Z");
        assert_eq!(
            check_day_has_come("verified on", day("2026-12-06"), paris_after_midnight),
            Ok(())
        );
    }

    #[test]
    fn emails_and_urls_are_checked() {
        assert!(check_email("ines.mouloudj@metropolegrandparis.fr").is_ok());
        for bad in [
            "",
            "no-at",
            "a@b",
            "a@.org",
            "a b@x.org",
            "@x.org",
            "a@x.org.",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_url("https://www.iveo.ca").is_ok());
        for bad in [
            "www.iveo.ca",
            "ftp://x",
            "https://",
            "https:// x",
            "javascript:alert(1)",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers_are_digits_as_people_group_them() {
        for good in [
            "438 827-4560",
            "+1 (514) 531-3453",
            "+32 81 24 63 11",
            "01.45.67.89.10",
        ] {
            assert!(check_phone(good).is_ok(), "{good}");
        }
        for bad in ["", "call me", "12", "514+531", "+1 514 531 3453 poste 12"] {
            assert!(check_phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn languages_are_bcp_47_tags() {
        for good in ["fr", "en", "fr-CA", "nds"] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in ["", "FR", "french", "fr_CA", "fr-ca"] {
            assert!(check_language(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn currencies_are_iso_codes() {
        assert!(check_currency("CAD").is_ok());
        assert!(check_currency("cad").is_err());
        assert!(check_currency("EURO").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            check_name("name", "  "),
            Err(ValueError::Empty { field: "name" })
        );
        assert!(check_name("name", &"x".repeat(301)).is_err());
        assert!(check_name("name", "Namur").is_ok());
        assert!(check_text("text", &"x".repeat(301)).is_ok());
        assert!(check_text("text", " ").is_err());
    }
}
