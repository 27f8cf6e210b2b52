//! Writes of awards and challenges: creating and changing one, and recording its
//! recognitions (editors, or a partner of the award's organiser).

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::auth::caller;
use crate::schema::award::Recognition;
use crate::schema::enums::RecognitionLevel;
use crate::schema::payload::payload;
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::user_error::{InputError, change_record, input_date, outcome};
use domain::source::RecordType;

payload!(/// The result of creating an award or challenge.
    AwardPayload { award: crate::schema::award::Award });
payload!(/// The result of recording or changing a recognition.
    RecognitionPayload { recognition: Recognition });

/// A new award or challenge.
#[derive(InputObject)]
pub struct CreateAwardInput {
    /// The human key.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Award or challenge.
    pub kind: crate::schema::enums::AwardKind,
    /// Who gives it.
    #[doc = named_by_code!()]
    pub organiser: ID,
    /// What it rewards or aims at.
    pub description: Option<String>,
    /// Since when it exists, as known (`2004~`); recognitions may not be older.
    pub since: Option<String>,
    /// How often it is given.
    pub frequency: Option<String>,
    /// The prize, in words.
    pub prize: Option<String>,
    /// Theme slugs.
    #[graphql(default)]
    pub themes: Vec<String>,
}

/// Changes to an award or challenge; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateAwardInput {
    /// The award.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its name.
    pub name: Option<String>,
    /// What it rewards or aims at.
    pub description: Option<String>,
    /// Since when it is given, as known.
    pub since: Option<String>,
    /// How often it is given ("annual").
    pub frequency: Option<String>,
    /// What the winners receive.
    pub prize: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

/// Changes to a recognition; a field left out keeps its value. Its award and its recipients
/// stay.
#[derive(InputObject)]
pub struct UpdateRecognitionInput {
    /// The recognition: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The year; not before the award existed.
    pub year: Option<i32>,
    /// How far the recipient went.
    pub level: Option<RecognitionLevel>,
    /// The category, when the award has several.
    pub category: Option<String>,
}

/// A recognition by an award or challenge.
#[derive(InputObject)]
pub struct AddRecognitionInput {
    /// The award or challenge.
    #[doc = named_by_slug!()]
    pub award: ID,
    /// The year; not before the award existed.
    pub year: i32,
    /// How far the recipient went.
    pub level: RecognitionLevel,
    /// The category, when the award has several.
    pub category: Option<String>,
    /// The city recognised.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation recognised.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The initiative rewarded.
    #[doc = named_by_slug!()]
    pub initiative: Option<ID>,
}

/// Awards, challenges and their recognitions.
#[derive(Default)]
pub struct AwardMutation;

#[Object]
impl AwardMutation {
    /// Creates an award or challenge (editors, or a partner of its organiser).
    async fn create_award(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The award or challenge.")] input: CreateAwardInput,
    ) -> Result<AwardPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::award::NewAward {
                milestones: Vec::new(),
                slug: input.slug.clone(),
                name: input.name.clone(),
                kind: input.kind.into(),
                organiser_id: input_ref(
                    ctx,
                    "organiser",
                    &input.organiser,
                    RecordType::Organisation,
                )
                .await?,
                description: input.description.clone(),
                since: input_date("since", input.since.as_deref())?,
                frequency: input.frequency.clone(),
                prize: input.prize.clone(),
                themes: input.themes.clone(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(AwardPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (award, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::award::create(unit, new))
            })
            .await,
        )?;
        Ok(AwardPayload {
            award: award.map(crate::schema::award::Award),
            user_errors,
        })
    }

    /// Changes an award or challenge (editors, or a partner of its organiser).
    async fn update_award(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateAwardInput,
    ) -> Result<AwardPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::award::AwardChanges {
                name: input.name.clone(),
                description: input.description.clone(),
                since: input_date("since", input.since.as_deref())?,
                frequency: input.frequency.clone(),
                prize: input.prize.clone(),
                themes: input.themes.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Award);
        let (award, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(AwardPayload {
            award: award.map(crate::schema::award::Award),
            user_errors,
        })
    }

    /// Records a recognition by an award or challenge; a year before the award existed is
    /// refused (`BEFORE_AWARD`).
    async fn add_recognition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recognition.")] input: AddRecognitionInput,
    ) -> Result<RecognitionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::award::NewRecognition {
                award_id: input_ref(ctx, "award", &input.award, RecordType::Award).await?,
                year: input.year,
                level: input.level.into(),
                category: input.category.clone(),
                city_id: optional_input_ref(ctx, "city", input.city.as_ref(), RecordType::City)
                    .await?,
                organisation_id: optional_input_ref(
                    ctx,
                    "organisation",
                    input.organisation.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                initiative_id: optional_input_ref(
                    ctx,
                    "initiative",
                    input.initiative.as_ref(),
                    RecordType::Initiative,
                )
                .await?,
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(RecognitionPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (recognition, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::award::add_recognition(unit, new))
            })
            .await,
        )?;
        Ok(RecognitionPayload {
            recognition: recognition.map(Recognition),
            user_errors,
        })
    }

    /// Changes a recognition's year, level or category (editors, or a partner of the award's
    /// organiser); a year before the award existed is refused (`BEFORE_AWARD`).
    async fn update_recognition(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateRecognitionInput,
    ) -> Result<RecognitionPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::award::RecognitionChanges {
                year: input.year,
                level: input.level.map(Into::into),
                category: input.category.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Recognition);
        let (recognition, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(RecognitionPayload {
            recognition: recognition.map(Recognition),
            user_errors,
        })
    }
}
