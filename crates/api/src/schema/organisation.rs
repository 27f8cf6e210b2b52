//! Organisations, their members, leaders and relations, and the figures sources state.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::Utc;
use domain::organisation::FigureSubject;
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::agreements::{GroupPurchasesOrganisedBy, PartnershipsOfOrganisation};
use crate::loader::collective_action::{
    AwardsOrganisedBy, DiagnosticToolsPublishedBy, EventsOrganisedBy,
    InitiativeRolesOfOrganisation, InitiativesProvidedBy, ProgrammeParticipationsOfOrganisation,
    ProgrammeRolesOfOrganisation, RecognitionsOfOrganisation,
};
use crate::loader::directory::{
    ContactPointsOfOrganisation, FiguresOfOrganisation, MandatesOfOrganisation,
    MembersOfOrganisation, MembersWithActorsOfOrganisation, MembershipsOfOrganisation,
    RelationsOfOrganisation, SubOrganisations, ThemesOfOrganisation,
};
use crate::schema::award::{Award, AwardConnection, Recognition, RecognitionConnection};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::country::CountryCode;
use crate::schema::diagnostic::{DiagnosticTool, DiagnosticToolConnection};
use crate::schema::enums::{MembershipKind, OrganisationKind, Qualifier, RelationKind};
use crate::schema::event::{Event, EventConnection};
use crate::schema::group_purchase::{GroupPurchase, GroupPurchaseConnection};
use crate::schema::initiative::{
    Initiative, InitiativeConnection, InitiativeOrganisation, InitiativeOrganisationConnection,
};
use crate::schema::partnership::{Partnership, PartnershipConnection};
use crate::schema::person::{ContactPoint, ContactPointConnection, Mandate, MandateConnection};
use crate::schema::programme::{
    Edition, ProgrammeOrganiser, ProgrammeOrganiserConnection, ProgrammeParticipant,
    ProgrammeParticipantConnection,
};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, FuzzyDate, OtherName, Period};
use crate::schema::source::Source;
use crate::schema::theme::{Theme, ThemeConnection};
use crate::schema::{CityOrOrganisation, load_list, load_one};

connection!(
    OrganisationConnection,
    OrganisationEdge,
    Organisation,
    "A page of organisations.",
    "An organisation in a page, with its cursor."
);
connection!(
    MembershipConnection,
    MembershipEdge,
    Membership,
    "A page of memberships.",
    "A membership in a page, with its cursor."
);
connection!(
    OrganisationRelationConnection,
    OrganisationRelationEdge,
    OrganisationRelation,
    "A page of relations between organisations.",
    "A relation in a page, with its cursor."
);
connection!(
    StatedFigureConnection,
    StatedFigureEdge,
    StatedFigure,
    "A page of stated figures.",
    "A stated figure in a page, with its cursor."
);

/// One mission or objective of an organisation, in the order its source gives.
#[derive(SimpleObject)]
pub struct Mission {
    /// Its heading, when the source gives one.
    pub title: Option<String>,
    /// What it says.
    pub text: String,
}

/// An organisation: a union of municipalities, a non-profit, an agency, a university, a
/// city's department, a committee of another organisation…
#[derive(Clone)]
pub struct Organisation(pub domain::organisation::Organisation);

/// An organisation: a union of municipalities, a non-profit, an agency, a university, a
/// city's department, a committee of another organisation…
#[Object]
impl Organisation {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Organisation, self.0.id)
    }

    /// The human key of the organisation: `organisation(slug: "umq")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The organisation's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Whether the name describes the organisation because no source gives its own.
    async fn name_is_descriptive(&self) -> bool {
        self.0.name_is_descriptive
    }

    /// The acronym ("UMQ").
    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }

    /// Other names: official, short, translations.
    async fn other_names(&self) -> Vec<OtherName> {
        self.0.other_names.iter().cloned().map(Into::into).collect()
    }

    /// What kind of body it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind.into()
    }

    /// The kind as the source words it ("organisme à but non lucratif").
    async fn kind_detail(&self) -> Option<&str> {
        self.0.kind_detail.as_deref()
    }

    /// A short description.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Missions and objectives, in the order the source gives them.
    async fn missions(&self) -> Vec<Mission> {
        self.0
            .missions
            .iter()
            .map(|m| Mission {
                title: m.title.clone(),
                text: m.text.clone(),
            })
            .collect()
    }

    /// When it was founded, as known (`1919`, `2018~`).
    async fn founded(&self) -> Option<FuzzyDate> {
        self.0.founded.map(Into::into)
    }

    /// Its web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// Its country.
    async fn country(&self, ctx: &Context<'_>) -> Result<Option<CountryCode>> {
        self.0
            .country
            .as_deref()
            .map(|code| crate::schema::country::stored(ctx, code))
            .transpose()
    }

    /// Its region or province (ISO 3166-2).
    async fn subdivision(&self) -> Option<&str> {
        self.0.subdivision.as_deref()
    }

    /// The national register's identifier, unique in its country: the SIREN of a French
    /// public body (`200054781` for the Métropole du Grand Paris).
    async fn official_code(&self) -> Option<&str> {
        self.0.official_code.as_deref()
    }

    /// The city of its headquarters.
    async fn headquarters(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.headquarters_city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// For a municipal department, the city it belongs to.
    async fn owning_city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.owning_city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The organisation it belongs to (a commission's union).
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.parent_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// Who led it on a day (today by default): for each role (president, director
    /// general…), the mandate whose known period holds the day or, failing that, the one
    /// last attested on or before it.
    async fn leaders(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day (YYYY-MM-DD); today by default.")] on: Option<Date>,
    ) -> Result<Vec<Mandate>> {
        let day = on.map(|d| d.0).unwrap_or_else(|| Utc::now().date_naive());
        let mandates: Vec<domain::mandate::Mandate> =
            load_list(ctx, MandatesOfOrganisation(self.0.id)).await?;
        Ok(domain::mandate::leaders_on(&mandates, day)
            .into_iter()
            .map(Mandate)
            .collect())
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> OrganisationRelatedLists {
        OrganisationRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Organisation, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Organisation`, which it flattens in.
    OrganisationRelatedLists {
        /// Every mandate held in the organisation (its presidents over time…), oldest first.
        mandates: MandateConnection<Mandate> = MandatesOfOrganisation;
        /// Its members: cities and organisations.
        members: MembershipConnection<Membership> = MembersOfOrganisation
            or MembersWithActorsOfOrganisation when shows_member;
        /// The organisations it is a member of.
        memberships: MembershipConnection<Membership> = MembershipsOfOrganisation;
        /// The partnerships it is a party or partner to.
        partnerships: PartnershipConnection<Partnership> = PartnershipsOfOrganisation;
        /// The group purchases it organises.
        organised_group_purchases: GroupPurchaseConnection<GroupPurchase> = GroupPurchasesOrganisedBy;
        /// The themes it works on.
        themes: ThemeConnection<Theme> = ThemesOfOrganisation;
        /// Relations with other organisations outside any agreement (who funds or supports whom).
        relations: OrganisationRelationConnection<OrganisationRelation> = RelationsOfOrganisation;
        /// Figures sources state about it without naming the items ("près de 60 villes membres").
        stated_figures: StatedFigureConnection<StatedFigure> = FiguresOfOrganisation;
        /// Its committees, commissions and other sub-organisations.
        sub_organisations: OrganisationConnection<Organisation> = SubOrganisations;
        /// Its contact points (personal data: needs an API token).
        contact_points: ContactPointConnection<ContactPoint> = ContactPointsOfOrganisation;
        /// Its roles in programmes: owner, co-animator, partner, spokesperson.
        programme_roles: ProgrammeOrganiserConnection<ProgrammeOrganiser> = ProgrammeRolesOfOrganisation;
        /// The programmes it carries in a territory.
        programme_participations: ProgrammeParticipantConnection<ProgrammeParticipant> = ProgrammeParticipationsOfOrganisation;
        /// The awards and challenges it gives.
        awards: AwardConnection<Award> = AwardsOrganisedBy;
        /// Awards and challenges it applied to, was a finalist of or won.
        recognitions: RecognitionConnection<Recognition> = RecognitionsOfOrganisation;
        /// The self-diagnostic tools it publishes.
        diagnostic_tools: DiagnosticToolConnection<DiagnosticTool> = DiagnosticToolsPublishedBy;
        /// The events it organises.
        events: EventConnection<Event> = EventsOrganisedBy;
        /// The initiatives it leads or takes part in.
        initiative_roles: InitiativeOrganisationConnection<InitiativeOrganisation> = InitiativeRolesOfOrganisation;
        /// The initiatives whose solution it provides.
        provided_initiatives: InitiativeConnection<Initiative> = InitiativesProvidedBy;
    }
}

/// A city or an organisation is a member of an organisation, over a period.
#[derive(Clone)]
pub struct Membership(pub domain::membership::Membership);

/// A city or an organisation is a member of an organisation, over a period.
#[Object]
impl Membership {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Membership, self.0.id)
    }

    /// The organisation joined.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organisation_id)))
            .await?
            .map(Organisation))
    }

    /// The member: a city or an organisation.
    async fn member(&self, ctx: &Context<'_>) -> Result<Option<CityOrOrganisation>> {
        actor(ctx, self.0.member).await
    }

    /// How the member belongs.
    async fn kind(&self) -> MembershipKind {
        self.0.kind.into()
    }

    /// When the membership started and ended, as far as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Membership, self.0.id, &self.0.stamp)
    }
}

/// Whether a page of members shows who they are: the members then come with them, in the same
/// batch.
fn shows_member(ctx: &Context<'_>) -> bool {
    crate::schema::page_shows(ctx, &["member"])
}

/// Loads the city or organisation a membership or party names.
pub(crate) async fn actor(
    ctx: &Context<'_>,
    member: domain::membership::Member,
) -> Result<Option<CityOrOrganisation>> {
    Ok(match member {
        domain::membership::Member::City(id) => load_one(ctx, Some(ById::new(id)))
            .await?
            .map(|c| CityOrOrganisation::City(City(c))),
        domain::membership::Member::Organisation(id) => load_one(ctx, Some(ById::new(id)))
            .await?
            .map(|o| CityOrOrganisation::Organisation(Organisation(o))),
    })
}

/// One organisation funds, supports or hosts another, outside any agreement.
#[derive(Clone)]
pub struct OrganisationRelation(pub domain::organisation::OrganisationRelation);

/// One organisation funds, supports or hosts another, outside any agreement.
#[Object]
impl OrganisationRelation {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::OrganisationRelation, self.0.id)
    }

    /// The organisation that funds, supports or hosts.
    async fn from(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.from_organisation_id)))
            .await?
            .map(Organisation))
    }

    /// The organisation funded, supported or hosted.
    async fn to(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.to_organisation_id)))
            .await?
            .map(Organisation))
    }

    /// How the one stands behind the other.
    async fn kind(&self) -> RelationKind {
        self.0.kind.into()
    }

    /// When, as far as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::OrganisationRelation, self.0.id, &self.0.stamp)
    }
}

/// A number a source states without naming the items: "près de 60 villes membres",
/// "plus de 85 % de la population". Never a count of placeholder records.
#[derive(Clone)]
pub struct StatedFigure(pub domain::organisation::StatedFigure);

/// A number a source states without naming the items: "près de 60 villes membres",
/// "plus de 85 % de la population". Never a count of placeholder records.
#[Object]
impl StatedFigure {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::StatedFigure, self.0.id)
    }

    /// The organisation the figure is about, if it is about one.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let id = match self.0.subject {
            FigureSubject::Organisation(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(Organisation))
    }

    /// The edition of a programme the figure is about, if it is about one.
    async fn edition(&self, ctx: &Context<'_>) -> Result<Option<Edition>> {
        let id = match self.0.subject {
            FigureSubject::Edition(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(Edition))
    }

    /// The award or challenge the figure is about, if it is about one.
    async fn award(&self, ctx: &Context<'_>) -> Result<Option<Award>> {
        let id = match self.0.subject {
            FigureSubject::Award(id) => Some(id),
            _ => None,
        };
        Ok(load_one(ctx, id.map(ById::new)).await?.map(Award))
    }

    /// What is counted or measured.
    async fn measure(&self) -> &str {
        &self.0.measure
    }

    /// The value stated.
    async fn value(&self) -> f64 {
        self.0.value
    }

    /// The unit of the value.
    async fn unit(&self) -> &str {
        &self.0.unit
    }

    /// How exact the value is: about, at least, more than…
    async fn qualifier(&self) -> Qualifier {
        self.0.qualifier.into()
    }

    /// The day the figure holds on.
    async fn as_of(&self) -> Option<Date> {
        self.0.as_of.map(Date)
    }

    /// The wording of the source, or what else a reader should know.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    /// The source that states it.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.0.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::StatedFigure, self.0.id, &self.0.stamp)
    }
}
