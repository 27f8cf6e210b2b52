//! Programmes: their organisers, the support they give, their editions and participants.

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::{
    EditionsOfProgramme, EventsOfProgramme, FiguresOfEdition, InitiativesOfEdition,
    InitiativesOfProgramme, OrganisersOfProgramme, ParticipantsOfEdition, ParticipantsOfProgramme,
    SupportOfProgramme, ThemesOfProgramme,
};
use crate::loader::directory::MandateById;
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{
    EditionStatus, Eligibility, ParticipationMode, ProgrammeOrganiserRole,
    ProgrammeParticipantRole, SupportKind,
};
use crate::schema::event::{Event, EventConnection};
use crate::schema::initiative::{Initiative, InitiativeConnection};
use crate::schema::load_one;
use crate::schema::organisation::{Organisation, StatedFigure, StatedFigureConnection};
use crate::schema::person::Mandate;
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, FuzzyDate, Period};
use crate::schema::theme::{Theme, ThemeConnection};

connection!(
    ProgrammeConnection,
    ProgrammeEdge,
    Programme,
    "A page of programmes.",
    "A programme in a page, with its cursor."
);
connection!(
    ProgrammeOrganiserConnection,
    ProgrammeOrganiserEdge,
    ProgrammeOrganiser,
    "A page of organisers of programmes.",
    "An organiser in a page, with its cursor."
);
connection!(
    SupportComponentConnection,
    SupportComponentEdge,
    SupportComponent,
    "A page of a programme's support components.",
    "A support component in a page, with its cursor."
);
connection!(
    EditionConnection,
    EditionEdge,
    Edition,
    "A page of editions of programmes.",
    "An edition in a page, with its cursor."
);
connection!(
    ProgrammeParticipantConnection,
    ProgrammeParticipantEdge,
    ProgrammeParticipant,
    "A page of programme participants.",
    "A participant in a page, with its cursor."
);

/// A programme that supports cities over a period: a metropolitan programme of urban
/// experimentation with editions and laureates, or a borough programme carried by local
/// organisations.
#[derive(Clone)]
pub struct Programme(pub domain::programme::Programme);

/// A programme that supports cities over a period: a metropolitan programme of urban
/// experimentation with editions and laureates, or a borough programme carried by local
/// organisations.
#[Object]
impl Programme {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Programme, self.0.id)
    }

    /// The human key of the programme: `programme(slug: "quartiers-metropolitains-innovation")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The programme's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Its acronym ("QMI").
    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }

    /// What the programme is for.
    async fn aim(&self) -> Option<&str> {
        self.0.aim.as_deref()
    }

    /// What it does, in a few sentences.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Who may take part, as the sources put it ("communes volontaires").
    async fn intended_participants(&self) -> Option<&str> {
        self.0.intended_participants.as_deref()
    }

    /// The kinds of actors it brings together (entrepreneurs, local elected officials…).
    async fn stakeholders(&self) -> &[String] {
        &self.0.stakeholders
    }

    /// What its support covers, as a whole; `support` lists the components.
    async fn support_scope(&self) -> Option<&str> {
        self.0.support_scope.as_deref()
    }

    /// Rules the programme states ("the mayors choose the sites of the experiments").
    async fn rules(&self) -> &[String] {
        &self.0.rules
    }

    /// Who brings the solutions tried, when no provider is named (start-ups, entrepreneurs).
    async fn solution_providers(&self) -> Option<&str> {
        self.0.solution_providers.as_deref()
    }

    /// Whether cities join through editions, or organisations carry it in their territory.
    async fn participation_mode(&self) -> ParticipationMode {
        self.0.participation_mode.into()
    }

    /// Where it runs, in words ("the boroughs of Montréal").
    async fn territory(&self) -> Option<&str> {
        self.0.territory.as_deref()
    }

    /// The city whose territory it covers, when it is one city's programme.
    async fn territory_city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.territory_city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// Since when it runs, as known (`2023`).
    async fn since(&self) -> Option<FuzzyDate> {
        self.0.since.map(Into::into)
    }

    /// How long it supports each participant, in months.
    async fn duration_months(&self) -> Option<i32> {
        self.0.duration_months
    }

    /// Who may apply to its calls; null when the sources do not say.
    async fn eligibility(&self) -> Option<Eligibility> {
        self.0.eligibility.map(Into::into)
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> ProgrammeRelatedLists {
        ProgrammeRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Programme, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Programme`, which it flattens in.
    ProgrammeRelatedLists {
        /// The organisations behind it, each with its role.
        organisers: ProgrammeOrganiserConnection<ProgrammeOrganiser> = OrganisersOfProgramme;
        /// The support it gives, in the order the programme lists it.
        support: SupportComponentConnection<SupportComponent> = SupportOfProgramme;
        /// Its editions, by number.
        editions: EditionConnection<Edition> = EditionsOfProgramme;
        /// Everyone taking part: laureates of every edition, and carriers.
        participants: ProgrammeParticipantConnection<ProgrammeParticipant> = ParticipantsOfProgramme;
        /// The themes it works on.
        themes: ThemeConnection<Theme> = ThemesOfProgramme;
        /// Its events.
        events: EventConnection<Event> = EventsOfProgramme;
        /// The initiatives carried out within it.
        initiatives: InitiativeConnection<Initiative> = InitiativesOfProgramme;
    }
}

/// An organisation's role in a programme.
#[derive(Clone)]
pub struct ProgrammeOrganiser(pub domain::programme::ProgrammeOrganiser);

/// An organisation's role in a programme.
#[Object]
impl ProgrammeOrganiser {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::ProgrammeOrganiser, self.0.id)
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, Some(ById::new(self.0.programme_id)))
            .await?
            .map(Programme))
    }

    /// The organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organisation_id)))
            .await?
            .map(Organisation))
    }

    /// What it does in the programme.
    async fn role(&self) -> ProgrammeOrganiserRole {
        self.0.role.into()
    }

    /// The source's wording of the role ("initié par", "co-animé par").
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::ProgrammeOrganiser, self.0.id, &self.0.stamp)
    }
}

/// One component of a programme's support, with its provider when named.
#[derive(Clone)]
pub struct SupportComponent(pub domain::programme::SupportComponent);

/// One component of a programme's support, with its provider when named.
#[Object]
impl SupportComponent {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::SupportComponent, self.0.id)
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, Some(ById::new(self.0.programme_id)))
            .await?
            .map(Programme))
    }

    /// Its rank among the programme's components, from 1.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// What kind of support it is.
    async fn kind(&self) -> SupportKind {
        self.0.kind.into()
    }

    /// What it gives, as the source words it.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The organisation that provides it, when named.
    async fn provider(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.provider_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::SupportComponent, self.0.id, &self.0.stamp)
    }
}

/// A numbered edition of a programme, with its participants and the figures stated
/// about it.
#[derive(Clone)]
pub struct Edition(pub domain::programme::Edition);

/// A numbered edition of a programme, with its participants and the figures stated
/// about it.
#[Object]
impl Edition {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Edition, self.0.id)
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, Some(ById::new(self.0.programme_id)))
            .await?
            .map(Programme))
    }

    /// Its number: 1 for the first edition.
    async fn number(&self) -> i32 {
        self.0.number
    }

    /// When it runs, as known (`2023`).
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// How long it supports its participants, in months.
    async fn duration_months(&self) -> Option<i32> {
        self.0.duration_months
    }

    /// Where it stands.
    async fn status(&self) -> EditionStatus {
        self.0.status.into()
    }

    /// What else a reader should know.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The first day of its call for applications, when known.
    async fn call_opens(&self) -> Option<Date> {
        self.0.call_opens.map(Date)
    }

    /// The last day of its call for applications, when known.
    async fn call_deadline(&self) -> Option<Date> {
        self.0.call_deadline.map(Date)
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> EditionRelatedLists {
        EditionRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Edition, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Edition`, which it flattens in.
    EditionRelatedLists {
        /// Its laureates.
        participants: ProgrammeParticipantConnection<ProgrammeParticipant> = ParticipantsOfEdition;
        /// Figures the sources state about it without naming the items ("quatre communes").
        stated_figures: StatedFigureConnection<StatedFigure> = FiguresOfEdition;
        /// The initiatives of its laureates.
        initiatives: InitiativeConnection<Initiative> = InitiativesOfEdition;
    }
}

/// A city or an organisation taking part in a programme: a laureate of an edition, or an
/// organisation that carries the programme in a territory.
#[derive(Clone)]
pub struct ProgrammeParticipant(pub domain::programme::Participant);

/// A city or an organisation taking part in a programme: a laureate of an edition, or an
/// organisation that carries the programme in a territory.
#[Object]
impl ProgrammeParticipant {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::ProgrammeParticipant, self.0.id)
    }

    /// The programme.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, Some(ById::new(self.0.programme_id)))
            .await?
            .map(Programme))
    }

    /// The edition, for a laureate.
    async fn edition(&self, ctx: &Context<'_>) -> Result<Option<Edition>> {
        Ok(load_one(ctx, self.0.edition_id.map(ById::new))
            .await?
            .map(Edition))
    }

    /// The laureate city, or the territory (borough) a carrier is mandated in.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The carrier organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// How it takes part.
    async fn role(&self) -> ProgrammeParticipantRole {
        self.0.role.into()
    }

    /// The site or district concerned, when named.
    async fn site(&self) -> Option<&str> {
        self.0.site.as_deref()
    }

    /// The city's mayor at the time, as the source names them.
    async fn mayor_then(&self, ctx: &Context<'_>) -> Result<Option<Mandate>> {
        Ok(load_one(ctx, self.0.mayor_mandate_id.map(MandateById))
            .await?
            .map(Mandate))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::ProgrammeParticipant, self.0.id, &self.0.stamp)
    }
}
