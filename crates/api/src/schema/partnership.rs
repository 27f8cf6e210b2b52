//! Partnerships: agreements with their parties, signatories, priority domains, commitments
//! and follow-up.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::agreements::{
    CommitmentsOfDomain, CommitmentsOfPartnership, DomainsOfPartnership, FollowUpsOfPartnership,
    GroupPurchasesFromPartnership, PartiesOfPartnership, PartiesWithActorsOfPartnership,
    SignatoriesOfPartnership, StatementsAboutPartnership, ThemesOfDomain, ThemesOfPartnership,
};
use crate::loader::collective_action::{
    EventsOfPartnership, InitiativesOfPartnership, ReportsOfPartnership,
};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{
    Accession, CommitmentKind, FollowUpKind, PartnershipKind, PartnershipStatus, PartyRole,
    SignatoryCapacity,
};
use crate::schema::event::{Event, EventConnection};
use crate::schema::group_purchase::{GroupPurchase, GroupPurchaseConnection};
use crate::schema::initiative::{Initiative, InitiativeConnection};
use crate::schema::organisation::{Organisation, actor};
use crate::schema::person::{Person, Statement, StatementConnection};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::report::{Report, ReportConnection};
use crate::schema::scalars::{FuzzyDate, Period};
use crate::schema::theme::{Theme, ThemeConnection};
use crate::schema::{CityOrOrganisation, load_one};

/// Whether a page of parties shows their cities or organisations: the parties then come with
/// them, in the same batch.
fn shows_actors(ctx: &Context<'_>) -> bool {
    crate::schema::page_shows(ctx, &["city", "organisation", "actor"])
}

connection!(
    PartnershipConnection,
    PartnershipEdge,
    Partnership,
    "A page of partnerships.",
    "A partnership in a page, with its cursor."
);
connection!(
    PartnershipPartyConnection,
    PartnershipPartyEdge,
    PartnershipParty,
    "A page of parties to a partnership.",
    "A party in a page, with its cursor."
);
connection!(
    SignatoryConnection,
    SignatoryEdge,
    Signatory,
    "A page of signatories.",
    "A signatory in a page, with its cursor."
);
connection!(
    PartnershipDomainConnection,
    PartnershipDomainEdge,
    PartnershipDomain,
    "A page of priority domains.",
    "A priority domain in a page, with its cursor."
);
connection!(
    CommitmentConnection,
    CommitmentEdge,
    Commitment,
    "A page of commitments.",
    "A commitment in a page, with its cursor."
);
connection!(
    FollowUpConnection,
    FollowUpEdge,
    FollowUp,
    "A page of follow-up arrangements.",
    "A follow-up arrangement in a page, with its cursor."
);

/// A clause or recital of an agreement worth keeping (preamble, principles…).
#[derive(SimpleObject)]
pub struct Provision {
    /// What the clause is about.
    pub heading: String,
    /// What it says.
    pub text: String,
}

/// An agreement between cities and organisations: a protocol, an agreement, a twinning…
#[derive(Clone)]
pub struct Partnership(pub domain::partnership::Partnership);

/// An agreement between cities and organisations: a protocol, an agreement, a twinning…
#[Object]
impl Partnership {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Partnership, self.0.id)
    }

    /// The human key of the partnership: `partnership(slug: "terrebonne-namur-2024-2026")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The title, as written or, when the source gives none, descriptive (see `titleIsDescriptive`).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Whether the title describes the agreement because its source gives none.
    async fn title_is_descriptive(&self) -> bool {
        self.0.title_is_descriptive
    }

    /// What kind of agreement it is.
    async fn kind(&self) -> PartnershipKind {
        self.0.kind.into()
    }

    /// Where it stands.
    async fn status(&self) -> PartnershipStatus {
        self.0.status.into()
    }

    /// A short summary.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// Clauses and recitals worth keeping, in the order of the text.
    async fn provisions(&self) -> Vec<Provision> {
        self.0
            .provisions
            .iter()
            .map(|p| Provision {
                heading: p.heading.clone(),
                text: p.text.clone(),
            })
            .collect()
    }

    /// When it was signed or concluded, as known.
    async fn signed_on(&self) -> Option<FuzzyDate> {
        self.0.signed_on.map(Into::into)
    }

    /// Where it was signed.
    async fn signing_place(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.signing_place_city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The period it covers (`2024`–`2026`), as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// The earlier partnership this one continues.
    async fn continues(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, self.0.continues_id.map(ById::new))
            .await?
            .map(Partnership))
    }

    /// What the parties did together before, when no earlier agreement is recorded.
    async fn prior_relationship(&self) -> Option<&str> {
        self.0.prior_relationship.as_deref()
    }

    /// Who may accede to it; null when it is closed to new parties.
    async fn accession(&self) -> Option<Accession> {
        self.0.accession.map(Into::into)
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> PartnershipRelatedLists {
        PartnershipRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Partnership, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Partnership`, which it flattens in.
    PartnershipRelatedLists {
        /// The cities and organisations taking part, in the order of the text; partners name
        /// the party they stand beside.
        parties: PartnershipPartyConnection<PartnershipParty> = PartiesOfPartnership
            or PartiesWithActorsOfPartnership when shows_actors;
        /// Who signed, for whom, with their title then.
        signatories: SignatoryConnection<Signatory> = SignatoriesOfPartnership;
        /// The priority domains as written, in order.
        domains: PartnershipDomainConnection<PartnershipDomain> = DomainsOfPartnership;
        /// Every commitment, by domain then order.
        commitments: CommitmentConnection<Commitment> = CommitmentsOfPartnership;
        /// How it is followed up, and by whom for each party.
        follow_ups: FollowUpConnection<FollowUp> = FollowUpsOfPartnership;
        /// The themes it covers.
        themes: ThemeConnection<Theme> = ThemesOfPartnership;
        /// What people said about it.
        statements: StatementConnection<Statement> = StatementsAboutPartnership;
        /// Its events: information sessions, meetings, the signing.
        events: EventConnection<Event> = EventsOfPartnership;
        /// The initiatives carried out under it.
        initiatives: InitiativeConnection<Initiative> = InitiativesOfPartnership;
        /// Its reports, oldest period first, with their indicators.
        reports: ReportConnection<Report> = ReportsOfPartnership;
        /// Group purchases that came out of it.
        group_purchases: GroupPurchaseConnection<GroupPurchase> = GroupPurchasesFromPartnership;
    }
}

/// A city or an organisation taking part in a partnership.
#[derive(Clone)]
pub struct PartnershipParty(pub domain::partnership::Party);

/// A city or an organisation taking part in a partnership.
#[Object]
impl PartnershipParty {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::PartnershipParty, self.0.id)
    }

    /// The partnership.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// The city or organisation taking part.
    async fn actor(&self, ctx: &Context<'_>) -> Result<Option<CityOrOrganisation>> {
        actor(ctx, self.0.actor).await
    }

    /// The city, when a city takes part.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        let id = match self.0.actor {
            domain::membership::Member::City(id) => Some(ById::new(id)),
            domain::membership::Member::Organisation(_) => None,
        };
        Ok(load_one(ctx, id).await?.map(City))
    }

    /// The organisation, when an organisation takes part.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let id = match self.0.actor {
            domain::membership::Member::Organisation(id) => Some(ById::new(id)),
            domain::membership::Member::City(_) => None,
        };
        Ok(load_one(ctx, id).await?.map(Organisation))
    }

    /// The part it plays.
    async fn role(&self) -> PartyRole {
        self.0.role.into()
    }

    /// For a partner, the party on whose side it stands ("les partenaires de Namur").
    async fn side_of(&self, ctx: &Context<'_>) -> Result<Option<PartnershipParty>> {
        Ok(load_one(ctx, self.0.side_of_party_id.map(ById::new))
            .await?
            .map(PartnershipParty))
    }

    /// Its rank in the text, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::PartnershipParty, self.0.id, &self.0.stamp)
    }
}

/// A person who signed a partnership, for a party or a partner.
#[derive(Clone)]
pub struct Signatory(pub domain::partnership::Signatory);

/// A person who signed a partnership, for a party or a partner.
#[Object]
impl Signatory {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Signatory, self.0.id)
    }

    /// The partnership signed.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// Who signed.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load_one(ctx, Some(ById::new(self.0.person_id)))
            .await?
            .map(Person))
    }

    /// The party or partner on whose behalf they signed.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<PartnershipParty>> {
        Ok(load_one(ctx, Some(ById::new(self.0.party_id)))
            .await?
            .map(PartnershipParty))
    }

    /// In which capacity.
    async fn capacity(&self) -> SignatoryCapacity {
        self.0.capacity.into()
    }

    /// Their title as written under the signature.
    async fn title_then(&self) -> &str {
        &self.0.title_then
    }

    /// Their rank among the signatories, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Signatory, self.0.id, &self.0.stamp)
    }
}

/// A priority domain of a partnership, as written ("II. Le développement social et
/// économique"), linked to one or more taxonomy themes.
#[derive(Clone)]
pub struct PartnershipDomain(pub domain::partnership::Domain);

/// A priority domain of a partnership, as written ("II. Le développement social et
/// économique"), linked to one or more taxonomy themes.
#[Object]
impl PartnershipDomain {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::PartnershipDomain, self.0.id)
    }

    /// The partnership.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// Its rank, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Its numeral as written ("II").
    async fn numeral(&self) -> Option<&str> {
        self.0.numeral.as_deref()
    }

    /// Its title as written.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What the text says of it.
    async fn narrative(&self) -> Option<&str> {
        self.0.narrative.as_deref()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> PartnershipDomainRelatedLists {
        PartnershipDomainRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::PartnershipDomain, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `PartnershipDomain`, which it flattens in.
    PartnershipDomainRelatedLists {
        /// The taxonomy themes it maps to.
        themes: ThemeConnection<Theme> = ThemesOfDomain;
        /// Its commitments, in order.
        commitments: CommitmentConnection<Commitment> = CommitmentsOfDomain;
    }
}

/// An item the parties commit to, in a priority domain or for the whole partnership.
#[derive(Clone)]
pub struct Commitment(pub domain::partnership::Commitment);

/// An item the parties commit to, in a priority domain or for the whole partnership.
#[Object]
impl Commitment {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Commitment, self.0.id)
    }

    /// The partnership.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// The priority domain, if the commitment belongs to one.
    async fn domain(&self, ctx: &Context<'_>) -> Result<Option<PartnershipDomain>> {
        Ok(load_one(ctx, self.0.domain_id.map(ById::new))
            .await?
            .map(PartnershipDomain))
    }

    /// Its rank within its domain (or the partnership), from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// What it states.
    async fn kind(&self) -> CommitmentKind {
        self.0.kind.into()
    }

    /// Its text.
    async fn text(&self) -> &str {
        &self.0.text
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Commitment, self.0.id, &self.0.stamp)
    }
}

/// How a partnership is followed up: regular meetings, annual reports, the body that
/// follows it for a party.
#[derive(Clone)]
pub struct FollowUp(pub domain::partnership::FollowUp);

/// How a partnership is followed up: regular meetings, annual reports, the body that
/// follows it for a party.
#[Object]
impl FollowUp {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::FollowUp, self.0.id)
    }

    /// The partnership.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// The party it follows the partnership up for, if any.
    async fn party(&self, ctx: &Context<'_>) -> Result<Option<PartnershipParty>> {
        Ok(load_one(ctx, self.0.party_id.map(ById::new))
            .await?
            .map(PartnershipParty))
    }

    /// The body that follows it up (a city's international-relations office).
    async fn body(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.body_organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// What kind of arrangement it is.
    async fn kind(&self) -> FollowUpKind {
        self.0.kind.into()
    }

    /// How often ("regular", "annual").
    async fn frequency(&self) -> Option<&str> {
        self.0.frequency.as_deref()
    }

    /// What the text says of it.
    async fn description(&self) -> &str {
        &self.0.description
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::FollowUp, self.0.id, &self.0.stamp)
    }
}
