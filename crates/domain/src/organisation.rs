//! Organisations, the relations between them, and the figures sources state about them.

use chrono::NaiveDate;

use crate::city::OtherName;
use crate::fuzzy_date::Period;
use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// What kind of body an organisation is.
    pub enum OrganisationKind {
        MunicipalAssociation = "municipal_association",
        NonProfit = "non_profit",
        MetropolitanAuthority = "metropolitan_authority",
        IntermunicipalBody = "intermunicipal_body",
        InnovationAgency = "innovation_agency",
        University = "university",
        ResearchInstitute = "research_institute",
        ChamberOfCommerce = "chamber_of_commerce",
        EconomicDevelopmentAgency = "economic_development_agency",
        GovernmentBody = "government_body",
        Company = "company",
        MunicipalDepartment = "municipal_department",
        Committee = "committee",
        Network = "network",
        Other = "other",
    }
}

/// An organisation: an association, an agency, a university, a city's department…
#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub id: Id,
    pub slug: String,
    pub name: String,
    /// No source gives the name: this one describes the organisation.
    pub name_is_descriptive: bool,
    pub acronym: Option<String>,
    pub other_names: Vec<OtherName>,
    pub kind: OrganisationKind,
    /// Free text refining the kind ("organisme à but non lucratif").
    pub kind_detail: Option<String>,
    pub description: Option<String>,
    /// Missions and objectives, in the order the source gives them.
    pub missions: Vec<Mission>,
    pub founded: Option<FuzzyDate>,
    pub website: Option<String>,
    pub country: Option<String>,
    pub subdivision: Option<String>,
    /// The national register's identifier: the SIREN of a French public body.
    pub official_code: Option<String>,
    pub headquarters_city_id: Option<Id>,
    /// For a municipal department, the city it belongs to.
    pub owning_city_id: Option<Id>,
    pub parent_id: Option<Id>,
    pub stamp: Stamp,
}

/// One mission or objective of an organisation.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Mission {
    #[serde(default)]
    pub title: Option<String>,
    pub text: String,
}

string_enum! {
    /// How one organisation stands behind another outside any agreement.
    pub enum RelationKind {
        Funds = "funds",
        Supports = "supports",
        Hosts = "hosts",
    }
}

/// One organisation funds, supports or hosts another, over a period.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganisationRelation {
    pub id: Id,
    pub from_organisation_id: Id,
    pub to_organisation_id: Id,
    pub kind: RelationKind,
    pub period: Period,
    pub stamp: Stamp,
}

string_enum! {
    /// How exact a stated figure is.
    pub enum Qualifier {
        Exact = "exact",
        About = "about",
        AtLeast = "at_least",
        MoreThan = "more_than",
        AtMost = "at_most",
    }
}

/// What a stated figure is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FigureSubject {
    /// An organisation ("près de 60 villes membres").
    Organisation(Id),
    /// An edition of a programme ("quatre communes", "30 solutions").
    Edition(Id),
    /// An award or challenge ("plus de 200 collectivités").
    Award(Id),
}

/// A number a source gives without naming the items: "près de 60 villes membres".
#[derive(Debug, Clone, PartialEq)]
pub struct StatedFigure {
    pub id: Id,
    /// What the figure is about.
    pub subject: FigureSubject,
    /// What is counted or measured ("member cities", "share of Québec's population").
    pub measure: String,
    pub value: f64,
    /// The unit of the value ("cities", "percent").
    pub unit: String,
    pub qualifier: Qualifier,
    pub as_of: Option<NaiveDate>,
    pub source_id: Option<Id>,
    pub note: Option<String>,
    pub stamp: Stamp,
}
