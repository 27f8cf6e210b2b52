//! Cities: places, their mayors over time, and everything they take part in.

use async_graphql::{Context, ErrorExtensions, ID, Object, Result};
use chrono::Utc;
use domain::source::RecordType;

use crate::error::{ApiError, internal};
use crate::loader::ById;
use crate::loader::agreements::{ParticipationsOfCity, PartnershipsOfCity};
use crate::loader::city_match::{JoinableOfCity, PeersOfCity};
use crate::loader::collective_action::{
    AssessmentsOfCity, InitiativesOfCity, ProgrammeParticipationsOfCity, RecognitionsOfCity,
};
use crate::loader::directory::{
    BoroughsOfCity, DepartmentsOfCity, MandatesOfCity, MembershipsOfCity,
};
use crate::schema::award::{Recognition, RecognitionConnection};
use crate::schema::city_match::{JoinableOpening, Peer};
use crate::schema::connection::connection;
use crate::schema::country::CountryCode;
use crate::schema::diagnostic::{Assessment, AssessmentConnection};
use crate::schema::group_purchase::{Participation, ParticipationConnection};
use crate::schema::initiative::{Initiative, InitiativeConnection};
use crate::schema::organisation::{
    Membership, MembershipConnection, Organisation, OrganisationConnection,
};
use crate::schema::partnership::{Partnership, PartnershipConnection};
use crate::schema::person::{Mandate, MandateConnection};
use crate::schema::programme::{ProgrammeParticipant, ProgrammeParticipantConnection};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, OtherName};
use crate::schema::{load_list, load_one, retain_visible};

/// The most peers `City.peers` gives.
const MAX_PEERS: i32 = domain::peers::MAX_PEERS as i32;
/// The most openings `City.joinable` lists at once, as a page of any list.
const MAX_JOINABLE: i32 = 100;

/// A city by slug, read with the mandates and memberships the query asks of it in the same
/// statement: a page about one city (its mayor, its memberships) costs one round trip, and
/// those fields then read from the request's loaders as usual.
pub(super) async fn by_slug(ctx: &Context<'_>, slug: &str) -> Result<Option<City>> {
    let asked = ctx.look_ahead();
    let include = persistence::city_page::Include {
        mandates: asked.field("mayor").exists() || asked.field("mandates").exists(),
        memberships: asked.field("memberships").exists(),
    };
    if !include.mandates && !include.memberships {
        return Ok(crate::schema::lookup::by_slug(ctx, slug).await?.map(City));
    }
    let db = ctx.data_unchecked::<persistence::Db>();
    let Some(page) = persistence::city_page::by_slug(db, slug, include)
        .await
        .map_err(|error| internal(ctx, error))?
    else {
        return Ok(None);
    };
    let loaders = super::loaders(ctx).loader();
    if let Some((mandates, people)) = page.mandates {
        loaders.keep_relation(MandatesOfCity(page.city.id), mandates);
        loaders.keep(people);
    }
    if let Some((memberships, organisations)) = page.memberships {
        loaders.keep_relation(MembershipsOfCity(page.city.id), memberships);
        loaders.keep(organisations);
    }
    Ok(retain_visible(ctx, vec![page.city]).await?.pop().map(City))
}

connection!(
    CityConnection,
    CityEdge,
    City,
    "A page of cities.",
    "A city in a page, with its cursor."
);

/// A municipality (city, commune, ville). A borough is a city whose `parent` is its city.
#[derive(Clone)]
pub struct City(pub domain::city::City);

/// A municipality (city, commune, ville). A borough is a city whose `parent` is its city.
#[Object]
impl City {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::City, self.0.id)
    }

    /// The human key of the city: `city(slug: "terrebonne")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The city's usual name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Other names of the city ("Ville de Terrebonne").
    async fn other_names(&self) -> Vec<OtherName> {
        self.0.other_names.iter().cloned().map(Into::into).collect()
    }

    /// The country.
    async fn country(&self, ctx: &Context<'_>) -> Result<CountryCode> {
        crate::schema::country::stored(ctx, &self.0.country)
    }

    /// ISO 3166-2 subdivisions from the largest down: `["FR-IDF", "FR-95"]`, `["BE-WAL", "BE-WNA"]`.
    async fn subdivisions(&self) -> &[String] {
        &self.0.subdivisions
    }

    /// The national identifier: INSEE code in France, NIS code in Belgium, geographic code in Québec.
    async fn official_code(&self) -> Option<&str> {
        self.0.official_code.as_deref()
    }

    /// The population, when known (see `populationYear`).
    async fn population(&self) -> Option<i64> {
        self.0.population
    }

    /// The year the population was counted.
    async fn population_year(&self) -> Option<i32> {
        self.0.population_year
    }

    /// Latitude in decimal degrees (WGS 84), when known.
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }

    /// Longitude in decimal degrees (WGS 84), when known.
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }

    /// The city's web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// The city this borough belongs to; none for a city that is not a borough.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.parent_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The mayor on a day (today by default): the mayor mandate whose known period holds
    /// the day or, failing that, the one last attested on or before it. See the mandate's
    /// `attestations` for how sure this is.
    async fn mayor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day (YYYY-MM-DD); today by default.")] on: Option<Date>,
    ) -> Result<Option<Mandate>> {
        let day = on.map(|d| d.0).unwrap_or_else(|| Utc::now().date_naive());
        let mandates: Vec<domain::mandate::Mandate> =
            load_list(ctx, MandatesOfCity(self.0.id)).await?;
        Ok(domain::mandate::mayor_on(&mandates, day).map(Mandate))
    }

    /// Cities like this one, best first: of similar size, sharing its memberships and the
    /// themes of its initiatives, partnerships, programmes and group purchases; each says
    /// why it matches. Costs 2000 points (plus its peers' selections): it scores every city
    /// that shares a membership or a theme with this one.
    async fn peers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many peers (at most 50, 10 by default).", default = 10)] first: i32,
    ) -> Result<Vec<Peer>> {
        if !(0..=MAX_PEERS).contains(&first) {
            return Err(
                ApiError::bad_input("first", format!("between 0 and {MAX_PEERS}")).extend(),
            );
        }
        let peers: Vec<domain::peers::Peer> = load_list(ctx, PeersOfCity(self.0.id)).await?;
        Ok(peers.into_iter().take(first as usize).map(Peer).collect())
    }

    /// The group purchases, programme calls and partnerships open around that day, and for
    /// each whether the city may join — or why not (deadline passed, not a member of the
    /// organiser on that day…), by the rules the joins themselves apply: group purchases
    /// first, then programme calls, then partnerships, each by name. Costs 20 points (plus
    /// its openings' selections): it weighs every opening against the city's memberships and
    /// participations.
    async fn joinable(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day (YYYY-MM-DD); today by default.")] on: Option<Date>,
        #[graphql(
            desc = "Only the openings the city may join (true) or may not (false); all by default."
        )]
        can_join: Option<bool>,
        #[graphql(
            desc = "How many openings (at most 100, 20 by default): a directory can have hundreds open at once.",
            default = 20
        )]
        first: i32,
    ) -> Result<Vec<JoinableOpening>> {
        if !(0..=MAX_JOINABLE).contains(&first) {
            return Err(
                ApiError::bad_input("first", format!("between 0 and {MAX_JOINABLE}")).extend(),
            );
        }
        let day = on.map(|d| d.0).unwrap_or_else(|| Utc::now().date_naive());
        let verdicts: Vec<persistence::joining::JoinVerdict> =
            load_list(ctx, JoinableOfCity(self.0.id, day)).await?;
        Ok(verdicts
            .into_iter()
            .filter(|verdict| can_join.is_none_or(|wanted| verdict.refusal.is_none() == wanted))
            .take(first as usize)
            .map(JoinableOpening)
            .collect())
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> CityRelatedLists {
        CityRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::City, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `City`, which it flattens in.
    CityRelatedLists {
        /// Boroughs of the city (arrondissements), by name.
        boroughs: CityConnection<City> = BoroughsOfCity;
        /// Every mandate held in the city (mayors past and present…), oldest first.
        mandates: MandateConnection<Mandate> = MandatesOfCity;
        /// The organisations the city is a member of.
        memberships: MembershipConnection<Membership> = MembershipsOfCity;
        /// The partnerships the city is a party or partner to.
        partnerships: PartnershipConnection<Partnership> = PartnershipsOfCity;
        /// The group purchases the city takes part in.
        group_purchase_participations: ParticipationConnection<Participation> = ParticipationsOfCity;
        /// The city's own departments (its international-relations office…).
        departments: OrganisationConnection<Organisation> = DepartmentsOfCity;
        /// The programmes the city takes part in: as a laureate, or as the territory of a carrier.
        programme_participations: ProgrammeParticipantConnection<ProgrammeParticipant> = ProgrammeParticipationsOfCity;
        /// Awards and challenges the city applied to, was a finalist of or won.
        recognitions: RecognitionConnection<Recognition> = RecognitionsOfCity;
        /// What the city did or tests: projects, experiments, solutions.
        initiatives: InitiativeConnection<Initiative> = InitiativesOfCity;
        /// Its self-diagnostic assessments, oldest first.
        assessments: AssessmentConnection<Assessment> = AssessmentsOfCity;
    }
}
