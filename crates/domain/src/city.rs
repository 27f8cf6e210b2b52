//! Cities (municipalities, communes) and the codes that place them.

use crate::{Id, Stamp};

/// A municipality. A borough is a city whose parent is the city it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    pub id: Id,
    pub slug: String,
    pub name: String,
    pub other_names: Vec<OtherName>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// ISO 3166-2 codes from the largest down: `FR-IDF` then `FR-95`.
    pub subdivisions: Vec<String>,
    /// The national identifier: INSEE code in France, NIS code in Belgium, geographic code in Québec.
    pub official_code: Option<String>,
    pub population: Option<i64>,
    pub population_year: Option<i32>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub website: Option<String>,
    pub parent_id: Option<Id>,
    pub stamp: Stamp,
}

string_enum! {
    /// What kind of other name a name is.
    pub enum OtherNameKind {
        Official = "official",
        Short = "short",
        Acronym = "acronym",
        Translation = "translation",
        Former = "former",
    }
}

/// Another name of a city or an organisation ("Ville de Terrebonne").
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct OtherName {
    pub name: String,
    pub kind: String,
    #[serde(default)]
    pub lang: Option<String>,
}

/// Why a code is not an ISO 3166 code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("country {0:?} is not an ISO 3166-1 alpha-2 code such as FR or CA")]
    Country(String),
    #[error("subdivision {0:?} is not an ISO 3166-2 code such as FR-95 or CA-QC")]
    Subdivision(String),
    #[error("a city lies in at most two subdivisions: region, then province or département")]
    TooManySubdivisions,
}

/// Checks a city's subdivisions: at most two levels (region, then province or département),
/// each an ISO 3166-2 code.
pub fn check_subdivisions(codes: &[String]) -> Result<(), CodeError> {
    if codes.len() > 2 {
        return Err(CodeError::TooManySubdivisions);
    }
    codes.iter().try_for_each(|code| check_subdivision(code))
}

/// Checks an ISO 3166-1 alpha-2 country code: one of the assigned codes, in upper case.
pub fn check_country(code: &str) -> Result<(), CodeError> {
    match crate::country::name_of(code) {
        Some(_) => Ok(()),
        None => Err(CodeError::Country(code.to_owned())),
    }
}

/// Checks an ISO 3166-2 subdivision code: a country code, a hyphen, one to three letters or digits.
pub fn check_subdivision(code: &str) -> Result<(), CodeError> {
    let error = || CodeError::Subdivision(code.to_owned());
    let (country, local) = code.split_once('-').ok_or_else(error)?;
    check_country(country).map_err(|_| error())?;
    if (1..=3).contains(&local.len())
        && local
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_are_checked() {
        assert!(check_country("FR").is_ok());
        assert!(check_country("fr").is_err());
        assert!(check_country("FRA").is_err());
        assert!(check_country("ZZ").is_err(), "ZZ is not an assigned code");
        assert!(check_subdivision("FR-95").is_ok());
        assert!(check_subdivision("BE-WNA").is_ok());
        assert!(check_subdivision("CA-QC").is_ok());
        assert!(check_subdivision("FR95").is_err());
        assert!(check_subdivision("FR-9500").is_err());
        assert!(check_subdivisions(&["FR-ARA".into(), "FR-69".into()]).is_ok());
        assert_eq!(
            check_subdivisions(&["FR-ARA".into(), "FR-69".into(), "FR-69".into()]),
            Err(CodeError::TooManySubdivisions)
        );
    }
}
