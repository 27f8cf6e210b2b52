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
    }
}
