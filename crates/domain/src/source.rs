//! Sources (where facts come from) and citations (which fact of which record a source supports).

use crate::{FuzzyDate, Id, Stamp};

string_enum! {
    /// What kind of document a source is.
    pub enum SourceKind {
        PressRelease = "press_release",
        Article = "article",
        WebPage = "web_page",
        Agreement = "agreement",
        Other = "other",
    }
}

/// A document the directory's facts come from. Any field but the title may be unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub id: Id,
    pub slug: String,
    pub kind: SourceKind,
    pub title: String,
    /// The document has no title of its own: this one describes it.
    pub title_is_descriptive: bool,
    pub publisher: Option<String>,
    pub distributor: Option<String>,
    pub place: Option<String>,
    pub published_on: Option<FuzzyDate>,
    pub language: Option<String>,
    pub url: Option<String>,
    pub note: Option<String>,
    pub stamp: Stamp,
}

string_enum! {
    /// The kind of a cited record.
    pub enum RecordType {
        Source = "source",
        Theme = "theme",
        City = "city",
        Person = "person",
        Organisation = "organisation",
        OrganisationRelation = "organisation_relation",
        Mandate = "mandate",
        ContactPoint = "contact_point",
        Membership = "membership",
        StatedFigure = "stated_figure",
        Partnership = "partnership",
        PartnershipParty = "partnership_party",
        Signatory = "signatory",
        PartnershipDomain = "partnership_domain",
        Commitment = "commitment",
        FollowUp = "follow_up",
        Statement = "statement",
        GroupPurchase = "group_purchase",
        Participation = "participation",
        Programme = "programme",
        ProgrammeOrganiser = "programme_organiser",
        SupportComponent = "programme_support",
        Edition = "programme_edition",
        ProgrammeParticipant = "programme_participant",
        Award = "award",
        Recognition = "recognition",
        DiagnosticTool = "diagnostic_tool",
        Event = "event",
        Initiative = "initiative",
        InitiativeOrganisation = "initiative_organisation",
        Outcome = "outcome",
        Lesson = "lesson",
        Questionnaire = "questionnaire",
        Assessment = "assessment",
        Report = "partnership_report",
        Indicator = "report_indicator",
        EventParticipant = "event_participant",
        Election = "election",
        Citation = "citation",
    }
}

/// A source supporting a record, or one field of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub id: Id,
    pub source_id: Id,
    pub record_type: RecordType,
    pub record_id: Id,
    /// The item of the seed checklist (`D004-013`) this citation stands for, if any.
    pub fact_id: Option<String>,
    /// The API field the source supports; none when it supports the whole record.
    pub field: Option<String>,
    /// The value was inferred rather than written in the source.
    pub derived: bool,
    /// How a derived value was inferred, or what else a reader should know.
    pub note: Option<String>,
    pub stamp: Stamp,
}
