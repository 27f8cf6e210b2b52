//! The schema's enums, mirrors of the domain's vocabularies with a description per value.

use async_graphql::Enum;

/// What kind of body an organisation is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::organisation::OrganisationKind")]
pub enum OrganisationKind {
    /// A union or association of municipalities.
    MunicipalAssociation,
    /// A non-profit organisation.
    NonProfit,
    /// A metropolitan authority.
    MetropolitanAuthority,
    /// An intermunicipal body.
    IntermunicipalBody,
    /// An innovation agency.
    InnovationAgency,
    /// A university.
    University,
    /// A research institute or public agency.
    ResearchInstitute,
    /// A chamber of commerce.
    ChamberOfCommerce,
    /// An economic development agency.
    EconomicDevelopmentAgency,
    /// A government or one of its bodies.
    GovernmentBody,
    /// A company or start-up.
    Company,
    /// A department of a city, such as its international-relations office.
    MunicipalDepartment,
    /// A committee or commission of another organisation.
    Committee,
    /// A network of organisations.
    Network,
    /// Any other kind; `kindDetail` says which.
    Other,
}

/// The normalised role of a mandate, whatever its title as written.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::mandate::MandateRole")]
pub enum MandateRole {
    /// Mayor (maire, bourgmestre).
    Mayor,
    /// Deputy mayor.
    DeputyMayor,
    /// President.
    President,
    /// Vice-president.
    VicePresident,
    /// Director general.
    DirectorGeneral,
    /// Chair of a committee or commission.
    Chair,
    /// Rector of a university.
    Rector,
    /// Chief executive (président-directeur général).
    ChiefExecutive,
    /// A member of staff.
    Staff,
    /// Any other role; the title says which.
    Other,
}

/// How a member belongs to an organisation.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::membership::MembershipKind")]
pub enum MembershipKind {
    /// A member.
    Member,
    /// A founding member.
    FoundingMember,
    /// A partner city of a network.
    PartnerCity,
    /// An associate member.
    Associate,
}

/// What kind of agreement a partnership is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::PartnershipKind")]
pub enum PartnershipKind {
    /// An agreement (entente).
    Agreement,
    /// A cooperation protocol.
    CooperationProtocol,
    /// A twinning.
    Twinning,
    /// A memorandum of understanding.
    Memorandum,
    /// A partnership within a programme.
    ProgrammePartnership,
}

/// Where a partnership stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::PartnershipStatus")]
pub enum PartnershipStatus {
    /// Not yet agreed.
    Draft,
    /// In force.
    Active,
    /// Ran its course.
    Completed,
    /// Ended early.
    Terminated,
}

/// The part a city or an organisation plays in a partnership.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::PartyRole")]
pub enum PartyRole {
    /// A party to the agreement.
    Party,
    /// A partner standing beside a party (see `sideOf`).
    Partner,
    /// The coordinator.
    Coordinator,
    /// A funder.
    Funder,
    /// An observer.
    Observer,
}

/// In which capacity a person signed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::SignatoryCapacity")]
pub enum SignatoryCapacity {
    /// For a party.
    Party,
    /// For a partner of a party.
    Partner,
    /// As a witness.
    Witness,
}

/// What a commitment item states.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::CommitmentKind")]
pub enum CommitmentKind {
    /// Something the parties commit to do.
    Commitment,
    /// An objective.
    Objective,
    /// An activity the agreement plans.
    Activity,
    /// Why the parties act.
    Rationale,
    /// Something the agreement may lead to.
    PossibleOutcome,
    /// A benefit a party expects.
    ExpectedBenefit,
}

/// How a partnership is followed up.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::FollowUpKind")]
pub enum FollowUpKind {
    /// A body that follows the partnership up for a party.
    Body,
    /// Meetings.
    Meeting,
    /// Reports.
    Report,
}

/// Where a group purchase stands: proposed → planned → open → closed → awarded → completed, or
/// cancelled.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::group_purchase::Status")]
pub enum GroupPurchaseStatus {
    /// Announced as possible, nothing planned yet.
    Proposed,
    /// Planned, not yet open.
    Planned,
    /// Open: cities may join until the deadline.
    Open,
    /// Enrolment closed, tender under way.
    Closed,
    /// Awarded to a supplier.
    Awarded,
    /// The contract ran its course.
    Completed,
    /// Cancelled.
    Cancelled,
}

/// Who may join a group purchase.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::group_purchase::Eligibility")]
pub enum Eligibility {
    /// Only members of the organiser.
    MembersOfOrganiser,
    /// Any city.
    Anyone,
}

/// Where a city's participation stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::group_purchase::ParticipationStatus")]
pub enum ParticipationStatus {
    /// Interested, not committed.
    Interested,
    /// Committed.
    Committed,
    /// Withdrawn.
    Withdrawn,
}

/// What a contact point is for.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::person::ContactRole")]
pub enum ContactRole {
    /// Press contact.
    Press,
    /// Media relations.
    Media,
    /// General enquiries.
    General,
}

/// What kind of line a phone number is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::person::PhoneKind")]
pub enum PhoneKind {
    /// A mobile phone.
    Mobile,
    /// A fixed line.
    Landline,
    /// Not said.
    Unknown,
}

/// How exact a stated figure is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::organisation::Qualifier")]
pub enum Qualifier {
    /// Exactly the value.
    Exact,
    /// About the value ("près de 60").
    About,
    /// At least the value.
    AtLeast,
    /// More than the value ("plus de 85 %").
    MoreThan,
    /// At most the value.
    AtMost,
}

/// How one organisation stands behind another outside any agreement.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::organisation::RelationKind")]
pub enum RelationKind {
    /// Funds it.
    Funds,
    /// Supports it.
    Supports,
    /// Hosts it.
    Hosts,
}

/// What kind of document a source is.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::source::SourceKind")]
pub enum SourceKind {
    /// A press release.
    PressRelease,
    /// An article.
    Article,
    /// A web page.
    WebPage,
    /// The text of an agreement.
    Agreement,
    /// Anything else, such as the directory's own editorial taxonomy.
    Other,
}

/// What an API token allows.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "Role", remote = "domain::access::Role")]
pub enum ApiRole {
    /// Writes the records of its own organisation: its profile, members, partnerships and
    /// group purchases.
    Partner,
    /// Writes anything in the directory.
    Editor,
    /// An editor who also manages tokens and reads the audit trail.
    Admin,
}

/// How cities or organisations take part in a programme.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::programme::ParticipationMode")]
pub enum ParticipationMode {
    /// Through calls in numbered editions, each with its laureates.
    Editions,
    /// Without editions: in each territory, an organisation mandated there carries it.
    Carried,
}

/// What an organisation does in a programme.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::programme::OrganiserRole")]
pub enum ProgrammeOrganiserRole {
    /// Initiates and carries the programme.
    Owner,
    /// Runs the programme with its owner.
    CoAnimator,
    /// Contributes a part of the programme.
    Partner,
    /// Speaks for the programme and networks those who carry it.
    Spokesperson,
    /// Funds the programme.
    Funder,
}

/// A kind of support a programme gives its participants.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::programme::SupportKind")]
pub enum SupportKind {
    /// A learning path of modules.
    LearningPath,
    /// A diagnostic of the territory.
    TerritorialDiagnostic,
    /// Help with the relation with project holders.
    ProjectHolderRelation,
    /// Legal engineering.
    LegalEngineering,
    /// Evaluation and measure of impact.
    ImpactEvaluation,
    /// Visibility and outreach.
    Visibility,
    /// Money.
    Funding,
    /// Any other support; the description says which.
    Other,
}

/// Where an edition of a programme stands.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::programme::EditionStatus")]
pub enum EditionStatus {
    /// Its laureates are announced.
    Announced,
    /// Its participants are being supported.
    Running,
    /// Its support is over.
    Completed,
}

/// How a city or an organisation takes part in a programme.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::programme::ParticipantRole")]
pub enum ProgrammeParticipantRole {
    /// A city chosen in an edition's call.
    Laureate,
    /// An organisation mandated in a territory to carry the programme there.
    Carrier,
}

/// An award honours what was done; a challenge funds what is proposed.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::award::AwardKind")]
pub enum AwardKind {
    /// A merit or prize for achievements.
    Award,
    /// A competition among applicants, with finalists, winners and a prize.
    Challenge,
}

/// A stage of an award or a challenge.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::award::MilestoneKind")]
pub enum MilestoneKind {
    /// It is launched.
    Launch,
    /// Applications close.
    ApplicationsClose,
    /// The finalists are announced.
    FinalistsAnnounced,
    /// The winners are announced.
    WinnersAnnounced,
}

/// How far a city or organisation went in an award or challenge.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::award::RecognitionLevel")]
pub enum RecognitionLevel {
    /// It applied.
    Applicant,
    /// It was a finalist.
    Finalist,
    /// It won.
    Winner,
}

/// What kind of event.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::event::EventKind")]
pub enum EventKind {
    /// An information session.
    InformationSession,
    /// A workshop.
    Workshop,
    /// A meeting.
    Meeting,
    /// The signing of an agreement.
    SigningCeremony,
}

/// Whether an event took place.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::event::EventStatus")]
pub enum EventStatus {
    /// Announced, not yet held.
    Planned,
    /// It took place.
    Held,
}

/// What kind of initiative.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::InitiativeKind")]
pub enum InitiativeKind {
    /// A project carried to an end.
    Project,
    /// An experiment on a site, for a limited time.
    Experiment,
    /// A solution deployed or offered to others.
    Solution,
    /// A course of work over time (a decarbonisation pathway).
    Pathway,
}

/// Where an initiative stands: idea → planned → experimenting → evaluated → deployed, or
/// abandoned.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::InitiativeStatus")]
pub enum InitiativeStatus {
    /// Announced; its content is not known yet.
    Announced,
    /// An idea.
    Idea,
    /// Planned.
    Planned,
    /// Being tested.
    Experimenting,
    /// Tested and evaluated.
    Evaluated,
    /// Deployed for good.
    Deployed,
    /// Given up.
    Abandoned,
}

/// What an organisation does in an initiative.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::InitiativeRole")]
pub enum InitiativeRole {
    /// It leads the initiative.
    Lead,
    /// It takes part in the initiative.
    Partner,
}

/// How far an outcome can be trusted, weakest first.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::EvidenceLevel")]
pub enum EvidenceLevel {
    /// Reported by those who carried out the initiative.
    SelfReported,
    /// Reviewed by peers (another city, a network).
    PeerReviewed,
    /// Evaluated by an independent body.
    IndependentlyEvaluated,
}

/// A success to repeat or a pitfall to avoid.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::LessonKind")]
pub enum LessonKind {
    /// A success to repeat.
    Success,
    /// A pitfall to avoid.
    Pitfall,
}

/// What a lesson is about (`lessonTopics` gives the French and English labels).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::initiative::LessonTopic")]
pub enum LessonTopic {
    /// Public procurement (commande publique).
    Procurement,
    /// Law and data protection (juridique et protection des données).
    LegalAndDataProtection,
    /// Dependence on one vendor (dépendance à un fournisseur).
    VendorLockIn,
    /// Whether residents accept it (acceptation citoyenne).
    CitizenAcceptance,
    /// What it costs to keep running (coût de maintenance).
    MaintenanceCost,
    /// Working with other systems (interopérabilité).
    Interoperability,
    /// Money (financement).
    Funding,
    /// Who decides and how (gouvernance).
    Governance,
    /// Skills of the teams (compétences).
    Skills,
    /// Quality of the data (qualité des données).
    DataQuality,
}

/// Why a city may not join, as a code a program can act on.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::joining::RefusalCode")]
pub enum RefusalCode {
    /// Not open: a group purchase not yet open or closed, a partnership closed to new parties
    /// or no longer active.
    NotOpen,
    /// The call opens later.
    NotYetOpen,
    /// The deadline has passed.
    DeadlinePassed,
    /// The partnership is not in force on that day.
    NotInForce,
    /// The city is not eligible (not a member of the organiser on that day…).
    NotEligible,
    /// The city already takes part.
    AlreadyTakesPart,
}

/// What a city can join.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpeningKind {
    /// A group purchase.
    GroupPurchase,
    /// The call for applications of a programme's edition.
    ProgrammeCall,
    /// A partnership open to new parties.
    Partnership,
}

/// Who may accede to a partnership.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::partnership::Accession")]
pub enum Accession {
    /// Cities that are members of an organisation party to it.
    MembersOfParties,
    /// Any city.
    Anyone,
}
