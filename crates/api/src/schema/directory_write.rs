//! Writes to places and posts: cities, and mandates (started, corrected, ended, or one
//! succeeding another).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use persistence::city::CityFields;
use persistence::mandate::NewMandate;

use crate::auth::caller;
use crate::schema::city::City;
use crate::schema::country::CountryCode;
use crate::schema::enums::MandateRole;
use crate::schema::person::Mandate;
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::scalars::Date;
use crate::schema::user_error::{
    InputError, UserError, change_record, input_date, outcome, possible_duplicates,
};
use domain::source::RecordType;

/// A new city.
#[derive(InputObject, Debug, Clone)]
pub struct CreateCityInput {
    /// Its human key: lower-case letters, digits and hyphens (`sucy-en-brie`).
    pub slug: String,
    /// Its usual name.
    pub name: String,
    /// Its country.
    pub country: CountryCode,
    /// ISO 3166-2 subdivisions from the largest down (`["FR-IDF", "FR-94"]`).
    pub subdivisions: Option<Vec<String>>,
    /// Its national identifier (INSEE, NIS, Québec geographic code).
    pub official_code: Option<String>,
    /// Its population.
    pub population: Option<i32>,
    /// The year the population was counted.
    pub population_year: Option<i32>,
    /// Its web site (`https://…`).
    pub website: Option<String>,
    /// For a borough, its city.
    #[doc = named_by_code!()]
    pub parent: Option<ID>,
}

/// Changes to a city; a field left out keeps its value.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateCityInput {
    /// The city.
    #[doc = named_by_code!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// A new slug.
    pub slug: Option<String>,
    /// A new name.
    pub name: Option<String>,
    /// A new country.
    pub country: Option<CountryCode>,
    /// New subdivisions, from the largest down.
    pub subdivisions: Option<Vec<String>>,
    /// A new official code.
    pub official_code: Option<String>,
    /// A new population.
    pub population: Option<i32>,
    /// The year of the new population.
    pub population_year: Option<i32>,
    /// A new web site.
    pub website: Option<String>,
    /// For a borough, its city.
    #[doc = named_by_code!()]
    pub parent: Option<ID>,
}

/// The result of a city write.
#[derive(SimpleObject)]
pub struct CityPayload {
    /// The city after the write.
    pub city: Option<City>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
    /// Other cities of the same country, in no other subdivision, with the same name (but for
    /// case, accents and punctuation): possibly the same city entered twice. The write is
    /// made; check these, and delete the new one (`deleteRecord`) if it is a duplicate.
    pub possible_duplicates: Vec<City>,
}

impl CityPayload {
    /// The payload of a write's outcome, with the namesakes of the city written.
    async fn written(
        ctx: &Context<'_>,
        (city, user_errors): (Option<domain::city::City>, Vec<UserError>),
    ) -> Result<CityPayload> {
        Ok(CityPayload {
            possible_duplicates: possible_duplicates(ctx, city.as_ref())
                .await?
                .into_iter()
                .map(City)
                .collect(),
            city: city.map(City),
            user_errors,
        })
    }
}

/// A mandate to start.
#[derive(InputObject, Debug, Clone)]
pub struct StartMandateInput {
    /// The person who takes the post.
    #[doc = named_by_slug!()]
    pub person: ID,
    /// The city, for a post in a city (a mayor's).
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation, for a post in an organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The normalised role.
    pub role: MandateRole,
    /// The title as written ("Bourgmestre de Namur").
    pub title: String,
    /// When it starts, as known (`2026-03-15`, `2026-03`, `2026`).
    pub start: Option<String>,
    /// When it ends, if known.
    pub end: Option<String>,
    /// The global id of the mandate this one succeeds: it ends the day before this one starts.
    pub succeeds: Option<ID>,
}

/// A mandate to end.
#[derive(InputObject, Debug, Clone)]
pub struct EndMandateInput {
    /// The mandate's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// When it ends, as known (`2026-03-14`, `2026-03`, `2026`).
    pub end: String,
}

/// Corrections to a mandate: a field left out keeps its value. Who holds which post stays —
/// a new holder is a new mandate (`startMandate` with `succeeds`) — and it ends with
/// `endMandate`.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateMandateInput {
    /// The mandate's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The normalised role.
    pub role: Option<MandateRole>,
    /// The title as written.
    pub title: Option<String>,
    /// When it started, as known; not after it ends.
    pub start: Option<String>,
    /// The days sources attest the mandate, replacing those it has: one left out is withdrawn.
    /// Left out, they stay as they are.
    pub attestations: Option<Vec<AttestationInput>>,
}

/// A day on which a source attests that a mandate was held.
#[derive(InputObject, Debug, Clone)]
pub struct AttestationInput {
    /// The day the source attests the mandate: today or a past day (a future one is `INVALID`).
    pub on: Date,
    /// The source that attests it: its global id or slug.
    pub source: ID,
}

/// The result of a mandate write.
#[derive(SimpleObject)]
pub struct MandatePayload {
    /// The mandate after the write.
    pub mandate: Option<Mandate>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

fn city_error(error: UserError) -> CityPayload {
    CityPayload {
        city: None,
        user_errors: vec![error],
        possible_duplicates: Vec::new(),
    }
}

fn mandate_error(error: UserError) -> MandatePayload {
    MandatePayload {
        mandate: None,
        user_errors: vec![error],
    }
}

/// Writes to cities and mandates.
#[derive(Default)]
pub struct DirectoryMutation;

#[Object]
impl DirectoryMutation {
    /// Creates a city (editors).
    async fn create_city(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new city.")] input: CreateCityInput,
    ) -> Result<CityPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parent_id = match optional_input_ref(
            ctx,
            "parent",
            input.parent.as_ref(),
            RecordType::City,
        )
        .await
        {
            Ok(parent_id) => parent_id,
            Err(error) => return error.answer(city_error),
        };
        let fields = CityFields {
            slug: Some(input.slug),
            name: Some(input.name),
            country: Some(input.country.code().to_owned()),
            subdivisions: input.subdivisions,
            official_code: input.official_code,
            population: input.population.map(i64::from),
            population_year: input.population_year,
            website: input.website,
            parent_id,
            ..CityFields::default()
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let written = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::city::create(unit, fields))
            })
            .await,
        )?;
        CityPayload::written(ctx, written).await
    }

    /// Changes a city (editors).
    async fn update_city(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateCityInput,
    ) -> Result<CityPayload> {
        let changes = async {
            Ok::<_, InputError>(CityFields {
                slug: input.slug.clone(),
                name: input.name.clone(),
                country: input.country.map(|c| c.code().to_owned()),
                subdivisions: input.subdivisions.clone(),
                official_code: input.official_code.clone(),
                population: input.population.map(i64::from),
                population_year: input.population_year,
                website: input.website.clone(),
                parent_id: optional_input_ref(
                    ctx,
                    "parent",
                    input.parent.as_ref(),
                    RecordType::City,
                )
                .await?,
                ..CityFields::default()
            })
        };
        let key = ("id", &input.id, RecordType::City);
        let written = change_record(ctx, key, input.version, changes).await?;
        CityPayload::written(ctx, written).await
    }

    /// Starts a mandate; with `succeeds`, ends the mandate it follows in the same write. A
    /// city has one mayor at a time. Posts in a city need an editor; posts in an organisation,
    /// its partner or an editor.
    async fn start_mandate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The mandate.")] input: StartMandateInput,
    ) -> Result<MandatePayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            let person_id = input_ref(ctx, "person", &input.person, RecordType::Person).await?;
            let post = match (&input.city, &input.organisation) {
                (Some(city), None) => domain::mandate::Post::City(
                    input_ref(ctx, "city", city, RecordType::City).await?,
                ),
                (None, Some(organisation)) => domain::mandate::Post::Organisation(
                    input_ref(ctx, "organisation", organisation, RecordType::Organisation).await?,
                ),
                _ => {
                    return Err(UserError::new(
                        &["input", "city"],
                        crate::error::code::INVALID,
                        "give either a city or an organisation",
                    )
                    .into());
                }
            };
            let succeeds = optional_input_ref(
                ctx,
                "succeeds",
                input.succeeds.as_ref(),
                RecordType::Mandate,
            )
            .await?;
            let start = input_date("start", input.start.as_deref())?;
            let end = input_date("end", input.end.as_deref())?;
            Ok::<_, InputError>(NewMandate {
                person_id,
                post,
                role: input.role.into(),
                title: input.title.clone(),
                start,
                end,
                succeeds,
            })
        };
        let new = match parsed.await {
            Ok(new) => new,
            Err(error) => return error.answer(mandate_error),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (mandate, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::mandate::start(unit, new))
            })
            .await,
        )?;
        Ok(MandatePayload {
            mandate: mandate.map(Mandate),
            user_errors,
        })
    }

    /// Ends a mandate: history is kept, a past mayor is ended, never deleted.
    async fn end_mandate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which mandate, and when it ends.")] input: EndMandateInput,
    ) -> Result<MandatePayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            let id = input_ref(ctx, "id", &input.id, RecordType::Mandate).await?;
            Ok::<_, InputError>((id, input_date("end", Some(&input.end))?))
        };
        let (id, end) = match parsed.await {
            Ok((id, Some(end))) => (id, end),
            Ok((_, None)) => {
                return Ok(mandate_error(UserError::new(
                    &["input", "end"],
                    crate::error::code::REQUIRED,
                    "give the end date",
                )));
            }
            Err(error) => return error.answer(mandate_error),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (mandate, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::mandate::end(unit, id, input.version, end))
            })
            .await,
        )?;
        // Ending a mandate keeps the days sources attest it: read them back with it.
        let mandate = match mandate {
            Some(ended) => Some(
                persistence::mandate::by_ids(db, &[ended.id])
                    .await
                    .map_err(|error| crate::error::internal(ctx, error))?
                    .remove(&ended.id)
                    .unwrap_or(ended),
            ),
            None => None,
        };
        Ok(MandatePayload {
            mandate: mandate.map(Mandate),
            user_errors,
        })
    }

    /// Corrects a mandate's role, title, start or the days sources attest it (editors; a
    /// partner for its organisation's posts): a city keeps one mayor at a time. History is
    /// kept: a new holder is a new mandate, and a mandate ends with `endMandate`.
    async fn update_mandate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which mandate, and the corrections.")] input: UpdateMandateInput,
    ) -> Result<MandatePayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::mandate::MandateChanges {
                role: input.role.map(Into::into),
                title: input.title.clone(),
                start: input_date("start", input.start.as_deref())?,
                attestations: match &input.attestations {
                    Some(attestations) => Some(attestations_of(ctx, attestations).await?),
                    None => None,
                },
            })
        };
        let key = ("id", &input.id, RecordType::Mandate);
        let (mandate, user_errors) = change_record(ctx, key, input.version, changes).await?;
        // A correction keeps the days sources attest the mandate: read them back with it.
        let mandate = match mandate {
            Some(corrected) => Some(
                persistence::mandate::by_ids(
                    ctx.data_unchecked::<persistence::Db>(),
                    &[corrected.id],
                )
                .await
                .map_err(|error| crate::error::internal(ctx, error))?
                .remove(&corrected.id)
                .unwrap_or(corrected),
            ),
            None => None,
        };
        Ok(MandatePayload {
            mandate: mandate.map(Mandate),
            user_errors,
        })
    }
}

/// The attestations an input lists, each source named by its id or slug.
async fn attestations_of(
    ctx: &Context<'_>,
    attestations: &[AttestationInput],
) -> std::result::Result<Vec<domain::mandate::Attestation>, InputError> {
    let mut read = Vec::with_capacity(attestations.len());
    for attestation in attestations {
        read.push(domain::mandate::Attestation {
            on: attestation.on.0,
            source_id: input_ref(ctx, "attestations", &attestation.source, RecordType::Source)
                .await?,
        });
    }
    Ok(read)
}
