//! DataLoaders: every relation the schema resolves goes through one of these, so a nested
//! query costs one batch per relation and level, never one statement per parent.
//!
//! One `Loaders` value implements `Loader` for many key types; it is built per request so its
//! cache never outlives a request nor crosses callers.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use domain::Id;
use persistence::{Db, Stored, by_parent};

/// The batch loads of one request.
pub struct Loaders {
    db: Db,
    prefetched: Option<Prefetched>,
    /// The owners (partnerships, reports, initiatives, events) this request has already shown
    /// its caller: their parts are shown without asking again. A verdict for this caller, not
    /// data, so mutations keep it too.
    shown: std::sync::Mutex<std::collections::HashSet<domain::ownership::Owner>>,
}

impl Loaders {
    /// The loads of a query: records joined into one level's batch serve the next level.
    pub fn for_query(db: Db) -> Loaders {
        Loaders {
            db,
            prefetched: Some(Prefetched::default()),
            shown: Default::default(),
        }
    }

    /// The loads of a mutation: every record is read when asked for, after the writes
    /// before it, never from what an earlier batch of the request brought along.
    pub fn for_mutation(db: Db) -> Loaders {
        Loaders {
            db,
            prefetched: None,
            shown: Default::default(),
        }
    }

    /// Notes owners the caller was shown, so that their parts need no second look.
    pub fn vouch(&self, owners: impl IntoIterator<Item = domain::ownership::Owner>) {
        self.shown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend(owners);
    }

    /// Whether the caller was shown `owner` earlier in the request.
    pub fn was_shown(&self, owner: &domain::ownership::Owner) -> bool {
        self.shown
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .contains(owner)
    }

    /// Keeps records read along with something else for the request's `ById` loads.
    pub fn keep<T: Stored>(&self, records: Vec<T>) {
        if let Some(prefetched) = &self.prefetched {
            prefetched.keep(records);
        }
    }

    /// Serves the relation under `key` from children already read (a city read with its
    /// mandates in one statement) for the rest of the request.
    pub fn keep_relation<K, V>(&self, key: K, children: Vec<V>)
    where
        K: Copy + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        if let Some(prefetched) = &self.prefetched {
            prefetched.keep_relation(key, children);
        }
    }

    /// The kept values among `keys`, and the keys that still need loading.
    fn kept_among<K, V>(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>)
    where
        K: Clone + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        match &self.prefetched {
            Some(prefetched) => prefetched.find(keys),
            None => (HashMap::new(), keys.to_vec()),
        }
    }

    /// The value kept under `key` (a record under `ById`, children under their relation's
    /// key), if any: what a resolver can use at once, without queueing a batch.
    pub fn kept<K, V>(&self, key: &K) -> Option<V>
    where
        K: Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        self.prefetched.as_ref()?.get(key)
    }
}

/// Records a batch brought along, through a join (a membership's organisation) or looked up
/// right after its rows (a party's city), kept for the request's `ById` loads: the next level
/// then costs no statement and no batch of its own.
/// Relations read along with their parent (a city's mandates) are kept the same way, by key.
///
/// One map per kind of entry, `HashMap<K, V>`, found by its type: `HashMap<ById<City>, City>`
/// for cities by id, `HashMap<MandatesOfCity, Vec<Mandate>>` for a relation.
#[derive(Default)]
struct Prefetched(std::sync::Mutex<HashMap<TypeId, Box<dyn Any + Send>>>);

impl Prefetched {
    fn keep<T: Stored>(&self, records: Vec<T>) {
        self.keep_entries(
            records
                .into_iter()
                .map(|record| (ById::<T>::new(record.id()), record)),
        );
    }

    fn keep_relation<K, V>(&self, key: K, children: Vec<V>)
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        self.keep_entries(std::iter::once((key, children)));
    }

    fn keep_entries<K, V>(&self, entries: impl Iterator<Item = (K, V)>)
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        let mut maps = self.lock();
        let kept = maps
            .entry(TypeId::of::<HashMap<K, V>>())
            .or_insert_with(|| Box::new(HashMap::<K, V>::new()))
            .downcast_mut::<HashMap<K, V>>();
        if let Some(kept) = kept {
            kept.extend(entries);
        }
    }

    /// The kept values among `keys`, and the keys that still need loading.
    fn find<K, V>(&self, keys: &[K]) -> (HashMap<K, V>, Vec<K>)
    where
        K: Clone + Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        let maps = self.lock();
        let Some(kept) = Self::map::<K, V>(&maps) else {
            return (HashMap::new(), keys.to_vec());
        };
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for key in keys {
            match kept.get(key) {
                Some(value) => {
                    found.insert(key.clone(), value.clone());
                }
                None => missing.push(key.clone()),
            }
        }
        (found, missing)
    }

    /// The value kept under `key`, if any.
    fn get<K, V>(&self, key: &K) -> Option<V>
    where
        K: Eq + Hash + Send + 'static,
        V: Clone + Send + 'static,
    {
        Self::map::<K, V>(&self.lock())?.get(key).cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TypeId, Box<dyn Any + Send>>> {
        // A panic while holding the lock leaves maps that are still whole: keep using them.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn map<K, V>(maps: &HashMap<TypeId, Box<dyn Any + Send>>) -> Option<&HashMap<K, V>>
    where
        K: Eq + Hash + Send + 'static,
        V: Send + 'static,
    {
        maps.get(&TypeId::of::<HashMap<K, V>>())?
            .downcast_ref::<HashMap<K, V>>()
    }
}

/// Loader errors must be `Clone`.
pub type LoadError = Arc<persistence::Error>;

/// A record of type `T` by id.
pub struct ById<T>(pub Id, PhantomData<fn() -> T>);

impl<T> ById<T> {
    pub fn new(id: Id) -> Self {
        ById(id, PhantomData)
    }
}

impl<T> Clone for ById<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for ById<T> {}
impl<T> PartialEq for ById<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<T> Eq for ById<T> {}
impl<T> Hash for ById<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl<T: Stored> Loader<ById<T>> for Loaders {
    type Value = T;
    type Error = LoadError;

    async fn load(&self, keys: &[ById<T>]) -> Result<HashMap<ById<T>, T>, LoadError> {
        let (mut records, missing) = self.kept_among::<ById<T>, T>(keys);
        if !missing.is_empty() {
            let ids: Vec<Id> = missing.iter().map(|key| key.0).collect();
            records.extend(
                persistence::by_ids::<T>(&self.db, &ids)
                    .await
                    .map_err(Arc::new)?
                    .into_iter()
                    .map(|(id, record)| (ById::new(id), record)),
            );
        }
        Ok(records)
    }
}

/// A mandate by id, with the attestations that date it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MandateById(pub Id);

impl Loader<MandateById> for Loaders {
    type Value = domain::mandate::Mandate;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[MandateById],
    ) -> Result<HashMap<MandateById, Self::Value>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let mandates = persistence::mandate::by_ids(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(mandates
            .into_iter()
            .map(|(id, mandate)| (MandateById(id), mandate))
            .collect())
    }
}

/// What a relation's batch returns: its children grouped by parent, and maybe the records a
/// join brought along, which the request keeps for the next level's `ById` loads.
trait Batch<V> {
    fn into_groups(self, loaders: &Loaders) -> HashMap<Id, Vec<V>>;
}

impl<V> Batch<V> for HashMap<Id, Vec<V>> {
    fn into_groups(self, _: &Loaders) -> HashMap<Id, Vec<V>> {
        self
    }
}

impl<V, T: Stored> Batch<V> for (HashMap<Id, Vec<V>>, Vec<T>) {
    fn into_groups(self, loaders: &Loaders) -> HashMap<Id, Vec<V>> {
        loaders.keep(self.1);
        self.0
    }
}

/// Declares a key type for a one-to-many relation and the batch that loads it.
macro_rules! relation {
    ($(#[$doc:meta])* $key:ident => $value:ty, $batch:path) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Id);

        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, LoadError> {
                let (mut loaded, keys) = self.kept_among::<$key, Vec<$value>>(keys);
                if keys.is_empty() {
                    return Ok(loaded);
                }
                let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
                let batch = $batch(&self.db, &ids).await.map_err(Arc::new)?;
                let mut groups = Batch::<$value>::into_groups(batch, self);
                loaded.extend(keys.iter().map(|key| (*key, groups.remove(&key.0).unwrap_or_default())));
                Ok(loaded)
            }
        }
    };
}

use domain::award::{Award, Recognition};
use domain::city::City;
use domain::diagnostic::DiagnosticTool;
use domain::event::Event;
use domain::group_purchase::{GroupPurchase, Participation};
use domain::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use domain::mandate::Mandate;
use domain::membership::{Member, Membership};
use domain::organisation::{Organisation, OrganisationRelation, StatedFigure};
use domain::partnership::{Commitment, Domain, FollowUp, Partnership, Party, Signatory};
use domain::person::{ContactPoint, Statement};
use domain::programme::{Edition, Participant, Programme, ProgrammeOrganiser, SupportComponent};
use domain::source::Citation;
use domain::theme::Theme;

relation!(/// Boroughs of a city.
    BoroughsOfCity => City, by_parent::boroughs_of_cities);
relation!(/// Mandates held in a city.
    MandatesOfCity => Mandate, persistence::mandate::of_cities);
relation!(/// Mandates held in an organisation.
    MandatesOfOrganisation => Mandate, persistence::mandate::of_organisations);
relation!(/// Mandates a person held.
    MandatesOfPerson => Mandate, persistence::mandate::of_people);
relation!(/// Memberships of a city in organisations.
    MembershipsOfCity => Membership, by_parent::memberships_of_cities_with_organisations);
relation!(/// Memberships of an organisation in other organisations.
    MembershipsOfOrganisation => Membership, by_parent::memberships_of_organisations);
relation!(/// Members of an organisation.
    MembersOfOrganisation => Membership, by_parent::members_of_organisations);
relation!(/// Partnerships a city takes part in.
    PartnershipsOfCity => Partnership, by_parent::partnerships_of_cities);
relation!(/// Partnerships an organisation takes part in.
    PartnershipsOfOrganisation => Partnership, by_parent::partnerships_of_organisations);
// Not joined to their cities and organisations (see `relation_with_actors!`).
relation!(/// Parties of a partnership.
    PartiesOfPartnership => Party, by_parent::parties_of_partnerships);

relation!(/// Signatories of a partnership.
    SignatoriesOfPartnership => Signatory, by_parent::signatories_of_partnerships);
relation!(/// Signatures of a person.
    SignaturesOfPerson => Signatory, by_parent::signatures_of_people);
relation!(/// Priority domains of a partnership.
    DomainsOfPartnership => Domain, by_parent::domains_of_partnerships);
relation!(/// Commitments of a partnership.
    CommitmentsOfPartnership => Commitment, by_parent::commitments_of_partnerships);
relation!(/// Commitments of a priority domain.
    CommitmentsOfDomain => Commitment, by_parent::commitments_of_domains);
relation!(/// Follow-up of a partnership.
    FollowUpsOfPartnership => FollowUp, by_parent::follow_ups_of_partnerships);
relation!(/// Statements about a partnership.
    StatementsAboutPartnership => Statement, by_parent::statements_about_partnerships);
relation!(/// Statements of a person.
    StatementsOfPerson => Statement, by_parent::statements_of_people);
relation!(/// Contact points of an organisation.
    ContactPointsOfOrganisation => ContactPoint, by_parent::contact_points_of_organisations);
relation!(/// Contact points of a person.
    ContactPointsOfPerson => ContactPoint, by_parent::contact_points_of_people);
relation!(/// Stated figures of an organisation.
    FiguresOfOrganisation => StatedFigure, by_parent::figures_of_organisations);
relation!(/// Relations of an organisation with others.
    RelationsOfOrganisation => OrganisationRelation, by_parent::relations_of_organisations);
relation!(/// Organisations whose parent is an organisation.
    SubOrganisations => Organisation, by_parent::sub_organisations);
relation!(/// Departments a city owns.
    DepartmentsOfCity => Organisation, by_parent::departments_of_cities);
relation!(/// Group purchases an organisation organises.
    GroupPurchasesOrganisedBy => GroupPurchase, by_parent::group_purchases_organised_by);
relation!(/// Group purchases that came out of a partnership.
    GroupPurchasesFromPartnership => GroupPurchase, by_parent::group_purchases_from_partnerships);
relation!(/// Participations in a group purchase.
    ParticipationsInGroupPurchase => Participation, by_parent::participations_in_group_purchases);
relation!(/// Participations of a city.
    ParticipationsOfCity => Participation, by_parent::participations_of_cities);
relation!(/// Children of a theme.
    ChildrenOfTheme => Theme, by_parent::children_of_themes);
relation!(/// Themes of a partnership.
    ThemesOfPartnership => Theme, by_parent::themes_of_partnerships);
relation!(/// Themes of a priority domain.
    ThemesOfDomain => Theme, by_parent::themes_of_domains);
relation!(/// Themes of an organisation.
    ThemesOfOrganisation => Theme, by_parent::themes_of_organisations);
relation!(/// Themes of a group purchase.
    ThemesOfGroupPurchase => Theme, by_parent::themes_of_group_purchases);
relation!(/// Partnerships of a theme.
    PartnershipsOfTheme => Partnership, by_parent::partnerships_of_themes);
relation!(/// Organisations of a theme.
    OrganisationsOfTheme => Organisation, by_parent::organisations_of_themes);
relation!(/// Group purchases of a theme.
    GroupPurchasesOfTheme => GroupPurchase, by_parent::group_purchases_of_themes);
relation!(/// Figures stated about an edition of a programme.
    FiguresOfEdition => StatedFigure, by_parent::figures_of_editions);
relation!(/// Figures stated about an award or challenge.
    FiguresOfAward => StatedFigure, by_parent::figures_of_awards);
relation!(/// Organisers of a programme.
    OrganisersOfProgramme => ProgrammeOrganiser, by_parent::organisers_of_programmes);
relation!(/// Roles of an organisation in programmes.
    ProgrammeRolesOfOrganisation => ProgrammeOrganiser, by_parent::programme_roles_of_organisations);
relation!(/// Support components of a programme.
    SupportOfProgramme => SupportComponent, by_parent::support_of_programmes);
relation!(/// Editions of a programme.
    EditionsOfProgramme => Edition, by_parent::editions_of_programmes);
relation!(/// Participants of a programme.
    ParticipantsOfProgramme => Participant, by_parent::participants_of_programmes);
relation!(/// Participants of an edition.
    ParticipantsOfEdition => Participant, by_parent::participants_of_editions);
relation!(/// Programmes a city takes part in.
    ProgrammeParticipationsOfCity => Participant, by_parent::programme_participations_of_cities);
relation!(/// Programmes an organisation carries.
    ProgrammeParticipationsOfOrganisation => Participant, by_parent::programme_participations_of_organisations);
relation!(/// Themes of a programme.
    ThemesOfProgramme => Theme, by_parent::themes_of_programmes);
relation!(/// Programmes of a theme.
    ProgrammesOfTheme => Programme, by_parent::programmes_of_themes);
relation!(/// Themes of an award.
    ThemesOfAward => Theme, by_parent::themes_of_awards);
relation!(/// Awards of a theme.
    AwardsOfTheme => Award, by_parent::awards_of_themes);
relation!(/// Awards an organisation gives.
    AwardsOrganisedBy => Award, by_parent::awards_organised_by);
relation!(/// Recognitions an award gave.
    RecognitionsOfAward => Recognition, by_parent::recognitions_of_awards);
relation!(/// Recognitions of a city.
    RecognitionsOfCity => Recognition, by_parent::recognitions_of_cities);
relation!(/// Recognitions of an organisation.
    RecognitionsOfOrganisation => Recognition, by_parent::recognitions_of_organisations);
relation!(/// Self-diagnostic tools an organisation publishes.
    DiagnosticToolsPublishedBy => DiagnosticTool, by_parent::diagnostic_tools_published_by);
relation!(/// Events of a programme.
    EventsOfProgramme => Event, by_parent::events_of_programmes);
relation!(/// Events of a partnership.
    EventsOfPartnership => Event, by_parent::events_of_partnerships);
relation!(/// Events an organisation organises.
    EventsOrganisedBy => Event, by_parent::events_organised_by);
relation!(/// Organisations of an initiative.
    OrganisationsOfInitiative => InitiativeOrganisation, by_parent::organisations_of_initiatives);
relation!(/// Roles of an organisation in initiatives.
    InitiativeRolesOfOrganisation => InitiativeOrganisation, by_parent::initiative_roles_of_organisations);
relation!(/// Outcomes of an initiative.
    OutcomesOfInitiative => Outcome, by_parent::outcomes_of_initiatives);
relation!(/// Lessons of an initiative.
    LessonsOfInitiative => Lesson, by_parent::lessons_of_initiatives);
relation!(/// Initiatives adapted from an initiative.
    ReplicationsOfInitiative => Initiative, by_parent::replications_of_initiatives);
relation!(/// Initiatives of a city.
    InitiativesOfCity => Initiative, by_parent::initiatives_of_cities);
relation!(/// Initiatives of a programme.
    InitiativesOfProgramme => Initiative, by_parent::initiatives_of_programmes);
relation!(/// Initiatives of an edition.
    InitiativesOfEdition => Initiative, by_parent::initiatives_of_editions);
relation!(/// Initiatives of a partnership.
    InitiativesOfPartnership => Initiative, by_parent::initiatives_of_partnerships);
relation!(/// Initiatives an organisation provides the solution of.
    InitiativesProvidedBy => Initiative, by_parent::initiatives_provided_by);
relation!(/// Themes of an initiative.
    ThemesOfInitiative => Theme, by_parent::themes_of_initiatives);
relation!(/// Initiatives of a theme.
    InitiativesOfTheme => Initiative, by_parent::initiatives_of_themes);
relation!(/// Recognitions of an initiative.
    RecognitionsOfInitiative => Recognition, by_parent::recognitions_of_initiatives);
relation!(/// Questionnaires of a self-diagnostic tool.
    QuestionnairesOfTool => domain::diagnostic::Questionnaire, by_parent::questionnaires_of_tools);
relation!(/// Assessments made with a questionnaire.
    AssessmentsOfQuestionnaire => domain::diagnostic::Assessment, by_parent::assessments_of_questionnaires);
relation!(/// Assessments of a city.
    AssessmentsOfCity => domain::diagnostic::Assessment, by_parent::assessments_of_cities);
relation!(/// Reports on a partnership.
    ReportsOfPartnership => domain::partnership::Report, by_parent::reports_of_partnerships);
relation!(/// Indicators of a report.
    IndicatorsOfReport => domain::partnership::Indicator, by_parent::indicators_of_reports);
relation!(/// Participants of an event.
    ParticipantsOfEvent => domain::event::EventParticipant, by_parent::participants_of_events);
relation!(/// Citations of a source.
    CitationsOfSource => Citation, by_parent::citations_of_sources);

impl Loaders {
    /// Reads the cities and organisations among `actors` that the request has not kept yet,
    /// side by side, and keeps them all for the request's `ById` loads. Nothing in a mutation,
    /// which keeps nothing.
    async fn keep_actors(&self, actors: impl Iterator<Item = Member>) -> Result<(), LoadError> {
        if self.prefetched.is_none() {
            return Ok(());
        }
        let mut cities = Vec::new();
        let mut organisations = Vec::new();
        for actor in actors {
            match actor {
                Member::City(id) => cities.push(id),
                Member::Organisation(id) => organisations.push(id),
            }
        }
        let (cities, organisations) = (
            distinct_keys::<City>(cities),
            distinct_keys::<Organisation>(organisations),
        );
        let (cities, organisations) =
            tokio::try_join!(self.load(&cities), self.load(&organisations))?;
        self.keep(cities.into_values().collect());
        self.keep(organisations.into_values().collect());
        Ok(())
    }
}

fn distinct_keys<T>(mut ids: Vec<Id>) -> Vec<ById<T>> {
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(ById::new).collect()
}

/// Declares a key type for a one-to-many relation whose children point at a city or an
/// organisation, loaded with those of the first children, as many as the page shows: for a
/// query that shows them, which then resolves them from memory instead of queueing one load
/// per child for a batch of its own. Three statements, the last two side by side, and none for
/// what an earlier batch brought along. Not a join: on PostgreSQL, parties joined to their
/// cities and organisations cost 0.85 ms against 0.25 + 0.37 + 0.12 ms for the three lookups
/// (`pgbench`, (e)'s 181 parties), as the join hashes every organisation.
macro_rules! relation_with_actors {
    ($(#[$doc:meta])* $key:ident => $value:ty, $batch:path, $actor:expr) => {
        $(#[$doc])*
        /// The second field is how many children the page shows.
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub Id, pub usize);

        impl Loader<$key> for Loaders {
            type Value = Vec<$value>;
            type Error = LoadError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, LoadError> {
                let mut ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
                ids.sort_unstable();
                ids.dedup();
                let groups = $batch(&self.db, &ids).await.map_err(Arc::new)?;
                let actor: fn(&$value) -> Member = $actor;
                let shown = keys.iter().flat_map(|key| {
                    groups.get(&key.0).into_iter().flatten().take(key.1).map(actor)
                });
                self.keep_actors(shown).await?;
                Ok(keys
                    .iter()
                    .map(|key| (*key, groups.get(&key.0).cloned().unwrap_or_default()))
                    .collect())
            }
        }
    };
}

relation_with_actors!(/// Parties of a partnership, with their cities and organisations.
    PartiesWithActorsOfPartnership => Party, by_parent::parties_of_partnerships, |party| party.actor);
relation_with_actors!(/// Members of an organisation, with the cities and organisations they are.
    MembersWithActorsOfOrganisation => Membership, by_parent::members_of_organisations, |m| m.member);

/// Citations of one record, by its type and id.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct CitationsOfRecord(pub domain::source::RecordType, pub Id);

impl Loader<CitationsOfRecord> for Loaders {
    type Value = Vec<Citation>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[CitationsOfRecord],
    ) -> Result<HashMap<CitationsOfRecord, Vec<Citation>>, LoadError> {
        let mut by_type: HashMap<domain::source::RecordType, Vec<Id>> = HashMap::new();
        for key in keys {
            by_type.entry(key.0).or_default().push(key.1);
        }
        let mut loaded = HashMap::new();
        for (record_type, ids) in by_type {
            let groups = by_parent::citations_of_records(&self.db, record_type, &ids)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                let citations = groups.get(&id).cloned().unwrap_or_default();
                loaded.insert(CitationsOfRecord(record_type, id), citations);
            }
        }
        Ok(loaded)
    }
}

/// The ranked peers of a city.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PeersOfCity(pub Id);

impl Loader<PeersOfCity> for Loaders {
    type Value = Vec<domain::peers::Peer>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[PeersOfCity],
    ) -> Result<HashMap<PeersOfCity, Vec<domain::peers::Peer>>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let mut peers = persistence::peers::peers_of_cities(&self.db, &ids)
            .await
            .map_err(Arc::new)?;
        Ok(keys
            .iter()
            .map(|key| (*key, peers.remove(&key.0).unwrap_or_default()))
            .collect())
    }
}

/// What a city may join on a day, and why not.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct JoinableOfCity(pub Id, pub chrono::NaiveDate);

impl Loader<JoinableOfCity> for Loaders {
    type Value = Vec<persistence::joining::Assessment>;
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[JoinableOfCity],
    ) -> Result<HashMap<JoinableOfCity, Self::Value>, LoadError> {
        let mut by_day: HashMap<chrono::NaiveDate, Vec<Id>> = HashMap::new();
        for key in keys {
            by_day.entry(key.1).or_default().push(key.0);
        }
        let mut loaded = HashMap::new();
        for (day, ids) in by_day {
            let mut assessments = persistence::joining::joinable(&self.db, &ids, day)
                .await
                .map_err(Arc::new)?;
            for id in ids {
                loaded.insert(
                    JoinableOfCity(id, day),
                    assessments.remove(&id).unwrap_or_default(),
                );
            }
        }
        Ok(loaded)
    }
}

/// Where an assessment stands among cities of similar size: (percentile, how many).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StandingOfAssessment(pub Id);

impl Loader<StandingOfAssessment> for Loaders {
    type Value = (Option<f64>, usize);
    type Error = LoadError;

    async fn load(
        &self,
        keys: &[StandingOfAssessment],
    ) -> Result<HashMap<StandingOfAssessment, Self::Value>, LoadError> {
        let ids: Vec<Id> = keys.iter().map(|key| key.0).collect();
        let assessments: Vec<domain::diagnostic::Assessment> =
            persistence::by_ids::<domain::diagnostic::Assessment>(&self.db, &ids)
                .await
                .map_err(Arc::new)?
                .into_values()
                .collect();
        let standings = persistence::diagnostic::standings(&self.db, &assessments)
            .await
            .map_err(Arc::new)?;
        Ok(standings
            .into_iter()
            .map(|(id, standing)| (StandingOfAssessment(id), standing))
            .collect())
    }
}
