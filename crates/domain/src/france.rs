//! French administrative codes as the directory stores them: INSEE codes of communes, and the
//! ISO 3166-2 codes of the regions and départements INSEE numbers differently.
//!
//! INSEE numbers regions `11`…`94` (and `01`…`06` overseas); ISO 3166-2:FR names them
//! `FR-IDF`…`FR-20R`. A metropolitan département keeps its number (`FR-95`, `FR-2A`), except
//! Paris, a collectivity with special status since 2019 (`FR-75C`). An overseas département is
//! its own region (`FR-971` alone), and each overseas collectivity has one code (`FR-PF`).

use crate::organisation::OrganisationKind;

/// The SIREN of the Métropole du Grand Paris, the body every EPT (établissement public
/// territorial) belongs to.
pub const METROPOLE_DU_GRAND_PARIS: &str = "200054781";

/// Why a French code is not one the directory knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FranceError {
    #[error("{0:?} is not an INSEE commune code: five characters, digits or 2A/2B for Corsica")]
    CommuneCode(String),
    #[error("{0:?} is not an INSEE region code")]
    Region(String),
    #[error("{0:?} is not an INSEE département code")]
    Departement(String),
    #[error("{0:?} is not a SIREN: nine digits")]
    Siren(String),
    #[error("{0:?} is not a kind of intercommunal body (CC, CA, CU, METRO, MET69, EPT)")]
    BodyKind(String),
}

/// INSEE region code → ISO 3166-2 code, for the regions that contain départements.
const METROPOLITAN_REGIONS: [(&str, &str); 13] = [
    ("11", "FR-IDF"),
    ("24", "FR-CVL"),
    ("27", "FR-BFC"),
    ("28", "FR-NOR"),
    ("32", "FR-HDF"),
    ("44", "FR-GES"),
    ("52", "FR-PDL"),
    ("53", "FR-BRE"),
    ("75", "FR-NAQ"),
    ("76", "FR-OCC"),
    ("84", "FR-ARA"),
    ("93", "FR-PAC"),
    ("94", "FR-20R"),
];

/// Overseas: INSEE code (of the région and département, or of the collectivity) → ISO 3166-2.
const OVERSEAS: [(&str, &str); 13] = [
    ("971", "FR-971"),
    ("972", "FR-972"),
    ("973", "FR-973"),
    ("974", "FR-974"),
    ("976", "FR-976"),
    ("975", "FR-PM"),
    ("977", "FR-BL"),
    ("978", "FR-MF"),
    ("984", "FR-TF"),
    ("986", "FR-WF"),
    ("987", "FR-PF"),
    ("988", "FR-NC"),
    ("989", "FR-CP"),
];

/// Checks an INSEE commune code (`95018`, `2A004`, `97411`).
pub fn check_commune_code(code: &str) -> Result<(), FranceError> {
    let bytes = code.as_bytes();
    let corsica = bytes.len() == 5 && bytes[0] == b'2' && matches!(bytes[1], b'A' | b'B');
    let well_formed = bytes.len() == 5
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 1 && corsica));
    if well_formed {
        Ok(())
    } else {
        Err(FranceError::CommuneCode(code.to_owned()))
    }
}

/// Checks a SIREN, the nine-digit identifier of a French public body or company.
pub fn check_siren(code: &str) -> Result<(), FranceError> {
    if code.len() == 9 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(FranceError::Siren(code.to_owned()))
    }
}

/// The ISO 3166-2 subdivisions of a commune, from the largest down, given the INSEE codes of
/// its region and département: `("11", "95")` → `["FR-IDF", "FR-95"]`, `("01", "971")` →
/// `["FR-971"]`.
pub fn subdivisions(region: &str, departement: &str) -> Result<Vec<String>, FranceError> {
    if let Some((_, iso)) = OVERSEAS.iter().find(|(insee, _)| *insee == departement) {
        return Ok(vec![(*iso).to_owned()]);
    }
    let (_, region_iso) = METROPOLITAN_REGIONS
        .iter()
        .find(|(insee, _)| *insee == region)
        .ok_or_else(|| FranceError::Region(region.to_owned()))?;
    let metropolitan = departement.len() == 2
        && (departement.bytes().all(|b| b.is_ascii_digit()) || matches!(departement, "2A" | "2B"))
        && departement != "00";
    if !metropolitan {
        return Err(FranceError::Departement(departement.to_owned()));
    }
    let departement_iso = match departement {
        "75" => "FR-75C".to_owned(),
        other => format!("FR-{other}"),
    };
    Ok(vec![(*region_iso).to_owned(), departement_iso])
}

/// The kind of an intercommunal body by the abbreviation of its legal form, with that form
/// spelled out: `METRO` is a métropole, `CC` a communauté de communes…
pub fn body_kind(abbreviation: &str) -> Result<(OrganisationKind, &'static str), FranceError> {
    Ok(match abbreviation {
        "METRO" => (OrganisationKind::MetropolitanAuthority, "métropole"),
        "MET69" => (
            OrganisationKind::MetropolitanAuthority,
            "métropole de Lyon (collectivité à statut particulier)",
        ),
        "CU" => (OrganisationKind::IntermunicipalBody, "communauté urbaine"),
        "CA" => (
            OrganisationKind::IntermunicipalBody,
            "communauté d'agglomération",
        ),
        "CC" => (
            OrganisationKind::IntermunicipalBody,
            "communauté de communes",
        ),
        "EPT" => (
            OrganisationKind::IntermunicipalBody,
            "établissement public territorial",
        ),
        other => return Err(FranceError::BodyKind(other.to_owned())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_codes_are_five_digits_or_corsican() {
        assert!(check_commune_code("95018").is_ok());
        assert!(check_commune_code("2A004").is_ok());
        assert!(check_commune_code("97411").is_ok());
        assert!(check_commune_code("9501").is_err());
        assert!(check_commune_code("2C004").is_err());
        assert!(check_commune_code("9A018").is_err());
        assert!(check_commune_code("95 18").is_err());
    }

    #[test]
    fn subdivisions_follow_iso_3166_2() {
        assert_eq!(subdivisions("11", "95").unwrap(), ["FR-IDF", "FR-95"]);
        assert_eq!(subdivisions("94", "2A").unwrap(), ["FR-20R", "FR-2A"]);
        assert_eq!(subdivisions("11", "75").unwrap(), ["FR-IDF", "FR-75C"]);
        assert_eq!(subdivisions("04", "974").unwrap(), ["FR-974"]);
        assert_eq!(subdivisions("987", "987").unwrap(), ["FR-PF"]);
        assert_eq!(
            subdivisions("12", "95"),
            Err(FranceError::Region("12".into()))
        );
        assert_eq!(
            subdivisions("11", "9"),
            Err(FranceError::Departement("9".into()))
        );
        for (_, iso) in METROPOLITAN_REGIONS.iter().chain(OVERSEAS.iter()) {
            assert!(crate::city::check_subdivision(iso).is_ok(), "{iso}");
        }
    }

    #[test]
    fn body_kinds_are_the_legal_forms() {
        assert_eq!(
            body_kind("METRO").unwrap().0,
            OrganisationKind::MetropolitanAuthority
        );
        assert_eq!(
            body_kind("CC").unwrap().0,
            OrganisationKind::IntermunicipalBody
        );
        assert!(body_kind("SIVU").is_err());
        assert!(check_siren("200054781").is_ok());
        assert!(check_siren("20005478").is_err());
    }
}
