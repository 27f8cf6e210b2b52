//! Bulk exports: every record of a kind at once, for integrators who would rather not crawl
//! the API (as Decidim and Open States publish bulk files): one kind as JSON Lines or CSV,
//! people, organisations and their memberships as Popolo JSON, group purchases as an Open
//! Contracting (OCDS) release package.
//!
//! An export is read a page at a time (`persistence::export`) and written out page by page
//! (`Export::next_chunk`), so it holds one page in memory whatever the table's size; the HTTP
//! answer streams those chunks and the command line writes them. What a caller sees is what
//! every read shows it: no draft partnership nor its parts unless its token sees them
//! (`list::shown_partnerships`), no contact details without a token
//! (`auth::Reader`). This module chooses no public error code: `error.rs` does.

mod agreements;
mod cell;
mod directory;
mod encode;
pub mod freshness;
mod ocds;
mod popolo;
mod stream;
mod table;

use domain::access::DraftScope;
use domain::source::RecordType;

use crate::auth::Caller;

pub use cell::Column;
pub use ocds::OCID_PREFIX;
pub use stream::{ChunkError, Export, PAGE_SIZE};

/// A kind of record exported on its own (`/exports/{kind}.jsonl`, `/exports/{kind}.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Cities,
    Organisations,
    People,
    ContactPoints,
    Mandates,
    Memberships,
    Partnerships,
    PartnershipParties,
    GroupPurchases,
    Participations,
}

impl Kind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [Kind; 10] = [
        Kind::Cities,
        Kind::Organisations,
        Kind::People,
        Kind::ContactPoints,
        Kind::Mandates,
        Kind::Memberships,
        Kind::Partnerships,
        Kind::PartnershipParties,
        Kind::GroupPurchases,
        Kind::Participations,
    ];

    /// The kind's name in paths and on the command line: plural, kebab-case.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cities => "cities",
            Kind::Organisations => "organisations",
            Kind::People => "people",
            Kind::ContactPoints => "contact-points",
            Kind::Mandates => "mandates",
            Kind::Memberships => "memberships",
            Kind::Partnerships => "partnerships",
            Kind::PartnershipParties => "partnership-parties",
            Kind::GroupPurchases => "group-purchases",
            Kind::Participations => "participations",
        }
    }

    /// The kind with this name.
    pub fn named(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The names of every kind, comma-separated: what an unknown name is told.
    pub fn known_names() -> Vec<&'static str> {
        Kind::ALL.into_iter().map(Kind::name).collect()
    }

    /// What one row is.
    pub fn about(self) -> &'static str {
        match self {
            Kind::Cities => "a city (municipality, commune, borough)",
            Kind::Organisations => "an organisation",
            Kind::People => "a person",
            Kind::ContactPoints => "an organisation's contact point (press, general)",
            Kind::Mandates => "a post a person holds in a city or an organisation",
            Kind::Memberships => "a city or an organisation member of an organisation",
            Kind::Partnerships => "a partnership (agreement, protocol, twinning…)",
            Kind::PartnershipParties => "a city or an organisation taking part in a partnership",
            Kind::GroupPurchases => "a group purchase",
            Kind::Participations => "a city taking part in a group purchase",
        }
    }

    /// The columns of the kind's rows, in their order (the CSV header, the JSON keys).
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Cities => directory::CITY,
            Kind::Organisations => directory::ORGANISATION,
            Kind::People => directory::PERSON,
            Kind::ContactPoints => directory::CONTACT_POINT,
            Kind::Mandates => directory::MANDATE,
            Kind::Memberships => directory::MEMBERSHIP,
            Kind::Partnerships => agreements::PARTNERSHIP,
            Kind::PartnershipParties => agreements::PARTY,
            Kind::GroupPurchases => agreements::GROUP_PURCHASE,
            Kind::Participations => agreements::PARTICIPATION,
        }
    }

    /// The kinds of record whose changes may change this export: its own, those whose slugs
    /// and names its rows carry, and partnerships wherever a draft may hide a row or a link.
    /// Its `ETag` is the audit trail's position for them.
    pub fn reads(self) -> &'static [RecordType] {
        use RecordType as R;
        match self {
            Kind::Cities => &[R::City],
            Kind::Organisations => &[R::Organisation, R::City],
            Kind::People => &[R::Person],
            Kind::ContactPoints => &[R::ContactPoint, R::Organisation, R::Person],
            Kind::Mandates => &[R::Mandate, R::Person, R::City, R::Organisation],
            Kind::Memberships => &[R::Membership, R::City, R::Organisation],
            Kind::Partnerships => &[R::Partnership, R::PartnershipParty, R::City],
            Kind::PartnershipParties => &[
                R::PartnershipParty,
                R::Partnership,
                R::City,
                R::Organisation,
            ],
            Kind::GroupPurchases => &[
                R::GroupPurchase,
                R::Participation,
                R::Organisation,
                R::City,
                R::Partnership,
                R::PartnershipParty,
            ],
            Kind::Participations => &[R::Participation, R::GroupPurchase, R::City],
        }
    }
}

/// How an export is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON Lines: one JSON object per record and line, keys in the columns' order.
    Jsonl,
    /// CSV (RFC 4180): a header row, then a row per record; CRLF line ends.
    Csv,
    /// Popolo JSON: `{"persons": […], "organizations": […], "memberships": […]}`.
    Popolo,
    /// An OCDS release package: a release per group purchase.
    Ocds,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Jsonl, Format::Csv, Format::Popolo, Format::Ocds];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Popolo => "popolo",
            Format::Ocds => "ocds",
        }
    }

    pub fn named(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.name() == name)
    }

    /// The media type of the HTTP answer.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jsonl => "application/jsonl; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Popolo | Format::Ocds => "application/json; charset=utf-8",
        }
    }
}

/// What an export holds: the kinds it reads and how it writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document {
    /// One kind as JSON Lines or CSV.
    Rows { kind: Kind, format: Format },
    /// People, organisations and cities, mandates and memberships as one Popolo document —
    /// or only the sections of `kinds`.
    Popolo { kinds: Vec<Kind> },
    /// Group purchases as an OCDS release package whose `uri` is `package_uri`.
    Ocds { package_uri: String },
}

/// Why an export cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("no export is named {name:?}; the kinds are {}, each as .jsonl or .csv, and popolo.json, group-purchases.ocds.json", Kind::known_names().join(", "))]
    UnknownKind { name: String },
    #[error("no format is named {name:?}: jsonl, csv, popolo or ocds")]
    UnknownFormat { name: String },
    #[error("{kind} are not exported as {format}: {why}", kind = kind.name(), format = format.name())]
    NotInFormat {
        kind: Kind,
        format: Format,
        why: &'static str,
    },
}

/// The kinds a Popolo document holds, in its order.
pub const POPOLO_KINDS: [Kind; 5] = [
    Kind::People,
    Kind::Organisations,
    Kind::Cities,
    Kind::Mandates,
    Kind::Memberships,
];

impl Document {
    /// The export of `kind` as `format`: `popolo` with the kinds Popolo has a section for
    /// (people, organisations, cities, mandates, memberships), `ocds` with group purchases.
    pub fn of(kind: Kind, format: Format, package_uri: &str) -> Result<Document, ExportError> {
        match format {
            Format::Jsonl | Format::Csv => Ok(Document::Rows { kind, format }),
            Format::Popolo if POPOLO_KINDS.contains(&kind) => {
                Ok(Document::Popolo { kinds: vec![kind] })
            }
            Format::Popolo => Err(ExportError::NotInFormat {
                kind,
                format,
                why: "Popolo holds people, organisations, cities, mandates and memberships",
            }),
            Format::Ocds if kind == Kind::GroupPurchases => Ok(Document::Ocds {
                package_uri: package_uri.to_owned(),
            }),
            Format::Ocds => Err(ExportError::NotInFormat {
                kind,
                format,
                why: "OCDS holds group purchases",
            }),
        }
    }

    /// The whole Popolo document.
    pub fn popolo() -> Document {
        Document::Popolo {
            kinds: POPOLO_KINDS.to_vec(),
        }
    }

    /// The export an HTTP path names, past `/exports/`: `cities.csv`, `people.jsonl`,
    /// `popolo.json`, `group-purchases.ocds.json`.
    pub fn at_path(file: &str, package_uri: &str) -> Result<Document, ExportError> {
        let unknown = || ExportError::UnknownKind {
            name: file.to_owned(),
        };
        if file == "popolo.json" {
            return Ok(Document::popolo());
        }
        if let Some(kind) = file.strip_suffix(".ocds.json") {
            let kind = Kind::named(kind).ok_or_else(unknown)?;
            return Document::of(kind, Format::Ocds, package_uri);
        }
        let (kind, extension) = file.rsplit_once('.').ok_or_else(unknown)?;
        let kind = Kind::named(kind).ok_or_else(unknown)?;
        match extension {
            "jsonl" => Ok(Document::Rows {
                kind,
                format: Format::Jsonl,
            }),
            "csv" => Ok(Document::Rows {
                kind,
                format: Format::Csv,
            }),
            _ => Err(unknown()),
        }
    }

    pub fn format(&self) -> Format {
        match self {
            Document::Rows { format, .. } => *format,
            Document::Popolo { .. } => Format::Popolo,
            Document::Ocds { .. } => Format::Ocds,
        }
    }

    /// The kinds the export reads.
    pub fn kinds(&self) -> Vec<Kind> {
        match self {
            Document::Rows { kind, .. } => vec![*kind],
            Document::Popolo { kinds } => kinds.clone(),
            Document::Ocds { .. } => vec![Kind::GroupPurchases],
        }
    }

    /// The kinds of record whose changes may change the export (`Kind::reads`), each once.
    pub fn reads(&self) -> Vec<RecordType> {
        let mut reads: Vec<RecordType> = self
            .kinds()
            .into_iter()
            .flat_map(|kind| kind.reads().iter().copied())
            .collect();
        reads.sort_by_key(|kind| kind.as_str());
        reads.dedup();
        reads
    }

    /// A short name for the export, as a file name and in its `ETag`.
    pub fn file_name(&self) -> String {
        match self {
            Document::Rows { kind, format } => format!("{}.{}", kind.name(), format.name()),
            Document::Popolo { kinds } if kinds.as_slice() == POPOLO_KINDS => {
                "popolo.json".to_owned()
            }
            Document::Popolo { kinds } => format!(
                "{}.popolo.json",
                kinds.iter().map(|k| k.name()).collect::<Vec<_>>().join("+")
            ),
            Document::Ocds { .. } => "group-purchases.ocds.json".to_owned(),
        }
    }
}

/// What an export shows its caller: the rule of every read, asked of the caller once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    /// Which draft partnerships it sees (`auth::Reader`).
    pub drafts: DraftScope,
    /// Whether it reads phones and emails (`auth::Reader`).
    pub personal_data: bool,
}

impl Viewer {
    pub fn of(caller: &Caller) -> Viewer {
        Viewer {
            drafts: caller.reader().drafts,
            personal_data: caller.reader().reads_personal_data(),
        }
    }

    /// Who sees the same export, as its `ETag` says: the public, a token without drafts, a
    /// partner of one organisation, or whoever sees every draft.
    pub fn audience(&self) -> String {
        let drafts = match self.drafts {
            DraftScope::None => "nodrafts".to_owned(),
            DraftScope::OfParty(organisation_id) => format!("party{organisation_id}"),
            DraftScope::All => "alldrafts".to_owned(),
        };
        let personal = if self.personal_data {
            "contacts"
        } else {
            "public"
        };
        format!("{personal}-{drafts}")
    }
}

/// The documentation of every kind's columns, as `partner-directory export --help` prints it
/// after its options.
pub fn columns_help() -> String {
    let mut help = String::from(
        "Kinds and their columns (the CSV header and the JSON Lines keys, in this order):\n",
    );
    for kind in Kind::ALL {
        help.push_str(&format!(
            "\n  {} — one row per {}:\n",
            kind.name(),
            kind.about()
        ));
        for column in kind.columns() {
            help.push_str(&format!("    {:<24} {}\n", column.name, column.about));
        }
    }
    help.push_str(
        "\nFormats: jsonl and csv for every kind; popolo for people, organisations, cities, \
         mandates and memberships (`export popolo` for the whole document); ocds for \
         group-purchases.\n",
    );
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_found_by_its_name() {
        for kind in Kind::ALL {
            assert_eq!(Kind::named(kind.name()), Some(kind));
        }
        assert_eq!(Kind::named("towns"), None);
    }

    #[test]
    fn a_path_names_a_kind_and_a_format() {
        assert_eq!(
            Document::at_path("cities.csv", ""),
            Ok(Document::Rows {
                kind: Kind::Cities,
                format: Format::Csv
            })
        );
        assert_eq!(Document::at_path("popolo.json", ""), Ok(Document::popolo()));
        assert!(matches!(
            Document::at_path("group-purchases.ocds.json", "urn:x"),
            Ok(Document::Ocds { .. })
        ));
        for unknown in ["towns.csv", "cities", "cities.xml", "cities.ocds.json"] {
            assert!(Document::at_path(unknown, "").is_err(), "{unknown}");
        }
    }

    #[test]
    fn column_names_are_unique_within_a_kind() {
        for kind in Kind::ALL {
            let mut names: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
            names.sort_unstable();
            let count = names.len();
            names.dedup();
            assert_eq!(names.len(), count, "{}", kind.name());
        }
    }
}
