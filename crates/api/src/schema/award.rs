//! Awards and challenges, their milestones, and the recognitions they give.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::{FiguresOfAward, RecognitionsOfAward, ThemesOfAward};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{AwardKind, MilestoneKind, RecognitionLevel};
use crate::schema::initiative::Initiative;
use crate::schema::load_one;
use crate::schema::organisation::{Organisation, StatedFigure, StatedFigureConnection};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::FuzzyDate;
use crate::schema::theme::{Theme, ThemeConnection};

connection!(
    AwardConnection,
    AwardEdge,
    Award,
    "A page of awards and challenges.",
    "An award or challenge in a page, with its cursor."
);
connection!(
    RecognitionConnection,
    RecognitionEdge,
    Recognition,
    "A page of recognitions.",
    "A recognition in a page, with its cursor."
);

/// A stage of an award or challenge, with its date as known.
#[derive(SimpleObject)]
pub struct Milestone {
    /// Which stage.
    pub kind: MilestoneKind,
    /// When, as known (`2017-11`).
    pub date: Option<FuzzyDate>,
    /// Whether the stage was still to come at the source's date.
    pub planned: bool,
    /// The source's wording, or what else a reader should know.
    pub note: Option<String>,
}

/// An award (a merit given for achievements) or a challenge (a competition with
/// applicants, finalists and winners).
#[derive(Clone)]
pub struct Award(pub domain::award::Award);

/// An award (a merit given for achievements) or a challenge (a competition with
/// applicants, finalists and winners).
#[Object]
impl Award {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Award, self.0.id)
    }

    /// The human key: `award(slug: "merite-ovation-municipale")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Its name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Award or challenge.
    async fn kind(&self) -> AwardKind {
        self.0.kind.into()
    }

    /// Who gives it.
    async fn organiser(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organiser_id)))
            .await?
            .map(Organisation))
    }

    /// What it rewards or aims at.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// Since when it exists, as known (`2004~` for "for 15 years" in 2019).
    async fn since(&self) -> Option<FuzzyDate> {
        self.0.since.map(Into::into)
    }

    /// How often it is given, when a source says.
    async fn frequency(&self) -> Option<&str> {
        self.0.frequency.as_deref()
    }

    /// The prize, as the source words it.
    async fn prize(&self) -> Option<&str> {
        self.0.prize.as_deref()
    }

    /// Its stages, in the order of the sources: launch, finalists, winners.
    async fn milestones(&self) -> Vec<Milestone> {
        self.0
            .milestones
            .iter()
            .map(|m| Milestone {
                kind: m.kind.into(),
                date: domain::FuzzyDate::parse(&m.date).ok().map(Into::into),
                planned: m.planned,
                note: m.note.clone(),
            })
            .collect()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> AwardRelatedLists {
        AwardRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Award, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Award`, which it flattens in.
    AwardRelatedLists {
        /// Who applied, was a finalist or won, by year.
        recognitions: RecognitionConnection<Recognition> = RecognitionsOfAward;
        /// Figures the sources state about it without naming the items ("plus de 200 collectivités").
        stated_figures: StatedFigureConnection<StatedFigure> = FiguresOfAward;
        /// The themes it rewards.
        themes: ThemeConnection<Theme> = ThemesOfAward;
    }
}

/// A city or organisation recognised by an award or challenge for a year.
#[derive(Clone)]
pub struct Recognition(pub domain::award::Recognition);

/// A city or organisation recognised by an award or challenge for a year.
#[Object]
impl Recognition {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Recognition, self.0.id)
    }

    /// The award or challenge.
    async fn award(&self, ctx: &Context<'_>) -> Result<Option<Award>> {
        Ok(load_one(ctx, Some(ById::new(self.0.award_id)))
            .await?
            .map(Award))
    }

    /// The year.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// How far it went.
    async fn level(&self) -> RecognitionLevel {
        self.0.level.into()
    }

    /// The category, when the award has several.
    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }

    /// The city recognised.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, self.0.city_id.map(ById::new))
            .await?
            .map(City))
    }

    /// The organisation recognised.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.organisation_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The initiative it rewards, if one.
    async fn initiative(&self, ctx: &Context<'_>) -> Result<Option<Initiative>> {
        Ok(load_one(ctx, self.0.initiative_id.map(ById::new))
            .await?
            .map(Initiative))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Recognition, self.0.id, &self.0.stamp)
    }
}
