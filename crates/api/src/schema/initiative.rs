//! Initiatives and what came of them: outcomes as evidence, lessons, replications.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::{
    LessonsOfInitiative, OrganisationsOfInitiative, OutcomesOfInitiative, RecognitionsOfInitiative,
    ReplicationsOfInitiative, ThemesOfInitiative,
};
use crate::schema::award::{Recognition, RecognitionConnection};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{
    EvidenceLevel, InitiativeKind, InitiativeRole, InitiativeStatus, LessonKind, LessonTopic,
};
use crate::schema::load_one;
use crate::schema::organisation::Organisation;
use crate::schema::partnership::Partnership;
use crate::schema::programme::{Edition, Programme};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::Period;
use crate::schema::source::Source;
use crate::schema::theme::{Theme, ThemeConnection};

connection!(
    InitiativeConnection,
    InitiativeEdge,
    Initiative,
    "A page of initiatives.",
    "An initiative in a page, with its cursor."
);
connection!(
    InitiativeOrganisationConnection,
    InitiativeOrganisationEdge,
    InitiativeOrganisation,
    "A page of organisations' roles in initiatives.",
    "A role in a page, with its cursor."
);
connection!(
    OutcomeConnection,
    OutcomeEdge,
    Outcome,
    "A page of outcomes.",
    "An outcome in a page, with its cursor."
);
connection!(
    LessonConnection,
    LessonEdge,
    Lesson,
    "A page of lessons.",
    "A lesson in a page, with its cursor."
);

/// A lesson topic with its labels.
#[derive(SimpleObject)]
pub struct LessonTopicLabel {
    /// The topic.
    pub topic: LessonTopic,
    /// Its French label.
    pub label_fr: &'static str,
    /// Its English label.
    pub label_en: &'static str,
}

impl From<domain::initiative::LessonTopic> for LessonTopicLabel {
    fn from(topic: domain::initiative::LessonTopic) -> Self {
        let (label_fr, label_en) = topic.labels();
        LessonTopicLabel {
            topic: topic.into(),
            label_fr,
            label_en,
        }
    }
}

/// What a city or organisations did or test — a project, an experiment, a solution, a
/// pathway — with what came of it, and the initiatives adapted from it.
#[derive(Clone)]
pub struct Initiative(pub domain::initiative::Initiative);

/// What a city or organisations did or test — a project, an experiment, a solution, a
/// pathway — with what came of it, and the initiatives adapted from it.
#[Object]
impl Initiative {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Initiative, self.0.id)
    }

    /// The human key: `initiative(slug: "parcours-decarbonation-umq-iveo")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Its title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What kind of initiative.
    async fn kind(&self) -> InitiativeKind {
        self.0.kind.into()
    }

    /// What it is, in a few sentences.
    async fn summary(&self) -> Option<&str> {
        self.0.summary.as_deref()
    }

    /// Where it stands.
    async fn status(&self) -> InitiativeStatus {
        self.0.status.into()
    }

    /// When it runs, as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// The city where it takes place, if one.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The programme it belongs to.
    async fn programme(&self, ctx: &Context<'_>) -> Result<Option<Programme>> {
        Ok(load_one(ctx, self.0.programme_id.map(ById::new))
            .await?
            .map(Programme))
    }

    /// The programme's edition it belongs to.
    async fn edition(&self, ctx: &Context<'_>) -> Result<Option<Edition>> {
        Ok(load_one(ctx, self.0.edition_id.map(ById::new))
            .await?
            .map(Edition))
    }

    /// The partnership it belongs to.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, self.0.partnership_id.map(ById::new))
            .await?
            .map(Partnership))
    }

    /// The organisation (often a start-up) that provides the solution.
    async fn provider(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.provider_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The initiative this one was adapted from.
    async fn adapted_from(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        Ok(load_one(ctx, self.0.adapted_from_id.map(ById::new))
            .await?
            .map(Initiative))
    }

    /// What was changed from the original, for an adaptation.
    async fn adaptation(&self) -> Option<&str> {
        self.0.adaptation.as_deref()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> InitiativeRelatedLists {
        InitiativeRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Initiative, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Initiative`, which it flattens in.
    InitiativeRelatedLists {
        /// The organisations that lead it or take part.
        organisations: InitiativeOrganisationConnection<InitiativeOrganisation> = OrganisationsOfInitiative;
        /// What came of it: indicators with baseline, target, actual value and evidence.
        outcomes: OutcomeConnection<Outcome> = OutcomesOfInitiative;
        /// Successes and pitfalls, in order.
        lessons: LessonConnection<Lesson> = LessonsOfInitiative;
        /// The initiatives adapted from this one, oldest first: each says what it changed,
        /// and its own outcomes say how it did.
        replications: InitiativeConnection<Initiative> = ReplicationsOfInitiative;
        /// The themes it works on.
        themes: ThemeConnection<Theme> = ThemesOfInitiative;
        /// Awards and challenges it was recognised by.
        recognitions: RecognitionConnection<Recognition> = RecognitionsOfInitiative;
    }
}

/// An organisation's role in an initiative.
#[derive(Clone)]
pub struct InitiativeOrganisation(pub domain::initiative::InitiativeOrganisation);

/// An organisation's role in an initiative.
#[Object]
impl InitiativeOrganisation {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::InitiativeOrganisation, self.0.id)
    }

    /// The initiative.
    async fn initiative(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        Ok(load_one(ctx, Some(ById::new(self.0.initiative_id)))
            .await?
            .map(Initiative))
    }

    /// The organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organisation_id)))
            .await?
            .map(Organisation))
    }

    /// What it does in the initiative.
    async fn role(&self) -> InitiativeRole {
        self.0.role.into()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::InitiativeOrganisation, self.0.id, &self.0.stamp)
    }
}

/// A measured result of an initiative, as evidence: an indicator with its baseline,
/// target and actual value over a period, how strong the evidence is, and its source.
#[derive(Clone)]
pub struct Outcome(pub domain::initiative::Outcome);

/// A measured result of an initiative, as evidence: an indicator with its baseline,
/// target and actual value over a period, how strong the evidence is, and its source.
#[Object]
impl Outcome {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Outcome, self.0.id)
    }

    /// The initiative.
    async fn initiative(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        Ok(load_one(ctx, Some(ById::new(self.0.initiative_id)))
            .await?
            .map(Initiative))
    }

    /// What is measured.
    async fn indicator(&self) -> &str {
        &self.0.indicator
    }

    /// The unit of the values.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// The value before the initiative.
    async fn baseline(&self) -> Option<f64> {
        self.0.baseline
    }

    /// The value aimed at.
    async fn target(&self) -> Option<f64> {
        self.0.target
    }

    /// The value measured.
    async fn actual(&self) -> Option<f64> {
        self.0.actual
    }

    /// Whether the actual value reached the target (a target below the baseline is met by
    /// going down to it); null without baseline, target and actual value.
    async fn target_reached(&self) -> Option<bool> {
        self.0.target_reached()
    }

    /// The period measured.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// How far the outcome can be trusted.
    async fn evidence_level(&self) -> EvidenceLevel {
        self.0.evidence_level.into()
    }

    /// Where the outcome comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.0.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    /// What else a reader should know.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Outcome, self.0.id, &self.0.stamp)
    }
}

/// A lesson learned from an initiative: a success to repeat or a pitfall to avoid,
/// tagged with topics so that lessons can be searched across initiatives.
#[derive(Clone)]
pub struct Lesson(pub domain::initiative::Lesson);

/// A lesson learned from an initiative: a success to repeat or a pitfall to avoid,
/// tagged with topics so that lessons can be searched across initiatives.
#[Object]
impl Lesson {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Lesson, self.0.id)
    }

    /// The initiative.
    async fn initiative(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        Ok(load_one(ctx, Some(ById::new(self.0.initiative_id)))
            .await?
            .map(Initiative))
    }

    /// Success or pitfall.
    async fn kind(&self) -> LessonKind {
        self.0.kind.into()
    }

    /// The lesson, as written.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// What it is about.
    async fn topics(&self) -> Vec<LessonTopicLabel> {
        self.0.topics.iter().copied().map(Into::into).collect()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Lesson, self.0.id, &self.0.stamp)
    }
}
