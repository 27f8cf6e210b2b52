//! The seed file format: one TOML file per source document. Each file describes one source
//! and the records its facts support; records refer to each other by slug (and, inside a
//! partnership, parties by `key`).

use chrono::NaiveDate;
use domain::FuzzyDate;
use serde::Deserialize;

use super::collective_action::{
    AwardSeed, DiagnosticToolSeed, EventSeed, InitiativeSeed, ProgrammeSeed,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SeedFile {
    pub(super) source: SourceSeed,
    #[serde(default)]
    pub(super) theme: Vec<ThemeSeed>,
    #[serde(default)]
    pub(super) city: Vec<CitySeed>,
    #[serde(default)]
    pub(super) person: Vec<PersonSeed>,
    #[serde(default)]
    pub(super) organisation: Vec<OrganisationSeed>,
    #[serde(default)]
    pub(super) relation: Vec<RelationSeed>,
    #[serde(default)]
    pub(super) mandate: Vec<MandateSeed>,
    #[serde(default)]
    pub(super) contact: Vec<ContactSeed>,
    #[serde(default)]
    pub(super) membership: Vec<MembershipSeed>,
    #[serde(default)]
    pub(super) figure: Vec<FigureSeed>,
    #[serde(default)]
    pub(super) partnership: Vec<PartnershipSeed>,
    #[serde(default)]
    pub(super) statement: Vec<StatementSeed>,
    #[serde(default)]
    pub(super) group_purchase: Vec<GroupPurchaseSeed>,
    #[serde(default)]
    pub(super) programme: Vec<ProgrammeSeed>,
    #[serde(default)]
    pub(super) award: Vec<AwardSeed>,
    #[serde(default)]
    pub(super) diagnostic_tool: Vec<DiagnosticToolSeed>,
    #[serde(default)]
    pub(super) event: Vec<EventSeed>,
    #[serde(default)]
    pub(super) initiative: Vec<InitiativeSeed>,
    #[serde(default)]
    pub(super) election: Vec<ElectionSeed>,
    /// Facts of this file about records another file defines: `record = "organisation:umq"`.
    #[serde(default)]
    pub(super) cite: Vec<CiteSeed>,
}

/// A checklist item a record supports: `{ fact = "D004-013", field = "signedOn" }`.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(super) struct Fact {
    pub(super) fact: String,
    /// The API field holding the fact; none when the fact is that something is not given.
    pub(super) field: Option<String>,
    #[serde(default)]
    pub(super) derived: bool,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct CiteSeed {
    pub(super) record: String,
    #[serde(flatten)]
    pub(super) fact: Fact,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourceSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) kind: domain::source::SourceKind,
    pub(super) title: String,
    #[serde(default)]
    pub(super) title_is_descriptive: bool,
    pub(super) publisher: Option<String>,
    pub(super) distributor: Option<String>,
    pub(super) place: Option<String>,
    pub(super) published_on: Option<FuzzyDate>,
    pub(super) language: Option<String>,
    pub(super) url: Option<String>,
    pub(super) note: Option<String>,
}

/// An election: `country = "FR"`, `kind = "municipal"`, `first_round = "2026-03-15"`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ElectionSeed {
    pub(super) country: String,
    pub(super) subdivision: Option<String>,
    pub(super) kind: domain::election::ElectionKind,
    pub(super) first_round: NaiveDate,
    pub(super) second_round: Option<NaiveDate>,
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ThemeSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) label_fr: String,
    pub(super) label_en: String,
    pub(super) parent: Option<String>,
    pub(super) description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CitySeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) other_names: Vec<domain::city::OtherName>,
    pub(super) country: String,
    #[serde(default)]
    pub(super) subdivisions: Vec<String>,
    pub(super) official_code: Option<String>,
    pub(super) population: Option<i64>,
    pub(super) population_year: Option<i32>,
    pub(super) latitude: Option<f64>,
    pub(super) longitude: Option<f64>,
    pub(super) website: Option<String>,
    pub(super) parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PersonSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) full_name: String,
    pub(super) given_name: Option<String>,
    pub(super) family_name: Option<String>,
    pub(super) website: Option<String>,
    pub(super) email: Option<String>,
    pub(super) phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OrganisationSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) name: String,
    #[serde(default)]
    pub(super) name_is_descriptive: bool,
    pub(super) acronym: Option<String>,
    #[serde(default)]
    pub(super) other_names: Vec<domain::city::OtherName>,
    pub(super) kind: domain::organisation::OrganisationKind,
    pub(super) kind_detail: Option<String>,
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) missions: Vec<domain::organisation::Mission>,
    pub(super) founded: Option<FuzzyDate>,
    pub(super) website: Option<String>,
    pub(super) country: Option<String>,
    pub(super) subdivision: Option<String>,
    pub(super) official_code: Option<String>,
    pub(super) headquarters: Option<String>,
    pub(super) owning_city: Option<String>,
    pub(super) parent: Option<String>,
    #[serde(default)]
    pub(super) themes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RelationSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) kind: domain::organisation::RelationKind,
    pub(super) start: Option<FuzzyDate>,
    pub(super) end: Option<FuzzyDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MandateSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) person: String,
    pub(super) city: Option<String>,
    pub(super) organisation: Option<String>,
    pub(super) role: domain::mandate::MandateRole,
    pub(super) title: String,
    pub(super) start: Option<FuzzyDate>,
    pub(super) end: Option<FuzzyDate>,
    #[serde(default)]
    pub(super) attested_on: Vec<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ContactSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) organisation: String,
    pub(super) person: Option<String>,
    pub(super) role: domain::person::ContactRole,
    pub(super) phone: Option<String>,
    pub(super) phone_kind: Option<domain::person::PhoneKind>,
    pub(super) email: Option<String>,
    #[serde(default)]
    pub(super) email_redacted: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MembershipSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) organisation: String,
    pub(super) member_city: Option<String>,
    pub(super) member_organisation: Option<String>,
    pub(super) kind: domain::membership::MembershipKind,
    pub(super) start: Option<FuzzyDate>,
    pub(super) end: Option<FuzzyDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    /// The organisation the figure is about; none for a figure nested in an edition or award.
    pub(super) organisation: Option<String>,
    pub(super) measure: String,
    pub(super) value: f64,
    pub(super) unit: String,
    pub(super) qualifier: domain::organisation::Qualifier,
    pub(super) as_of: Option<NaiveDate>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartnershipSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) slug: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) title_is_descriptive: bool,
    pub(super) kind: domain::partnership::PartnershipKind,
    pub(super) status: domain::partnership::PartnershipStatus,
    pub(super) summary: Option<String>,
    #[serde(default)]
    pub(super) provisions: Vec<domain::partnership::Provision>,
    pub(super) signed_on: Option<FuzzyDate>,
    pub(super) signing_place: Option<String>,
    pub(super) start: Option<FuzzyDate>,
    pub(super) end: Option<FuzzyDate>,
    pub(super) continues: Option<String>,
    pub(super) prior_relationship: Option<String>,
    pub(super) accession: Option<domain::partnership::Accession>,
    #[serde(default)]
    pub(super) themes: Vec<String>,
    #[serde(default)]
    pub(super) party: Vec<PartySeed>,
    #[serde(default)]
    pub(super) signatory: Vec<SignatorySeed>,
    #[serde(default)]
    pub(super) domain: Vec<DomainSeed>,
    #[serde(default)]
    pub(super) commitment: Vec<CommitmentSeed>,
    #[serde(default)]
    pub(super) follow_up: Vec<FollowUpSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PartySeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) key: String,
    pub(super) city: Option<String>,
    pub(super) organisation: Option<String>,
    pub(super) role: domain::partnership::PartyRole,
    pub(super) side_of: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SignatorySeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) person: String,
    pub(super) party: String,
    pub(super) capacity: domain::partnership::SignatoryCapacity,
    pub(super) title_then: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DomainSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) numeral: Option<String>,
    pub(super) title: String,
    pub(super) narrative: Option<String>,
    #[serde(default)]
    pub(super) themes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CommitmentSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    /// The numeral of the domain it belongs to, if any.
    pub(super) domain: Option<String>,
    pub(super) kind: domain::partnership::CommitmentKind,
    pub(super) text: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FollowUpSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) party: Option<String>,
    pub(super) body: Option<String>,
    pub(super) kind: domain::partnership::FollowUpKind,
    pub(super) frequency: Option<String>,
    pub(super) description: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatementSeed {
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) person: String,
    pub(super) title_then: Option<String>,
    pub(super) text: String,
    pub(super) about: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupPurchaseSeed {
    pub(super) slug: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) title_is_descriptive: bool,
    #[serde(default)]
    pub(super) facts: Vec<Fact>,
    pub(super) description: Option<String>,
    pub(super) category: Option<String>,
    pub(super) organiser: String,
    pub(super) origin: Option<String>,
    pub(super) eligibility: Option<domain::group_purchase::Eligibility>,
    pub(super) status: domain::group_purchase::Status,
    /// The enrolment window.
    pub(super) tender_start: Option<NaiveDate>,
    pub(super) tender_end: Option<NaiveDate>,
    #[serde(default)]
    pub(super) themes: Vec<String>,
}
