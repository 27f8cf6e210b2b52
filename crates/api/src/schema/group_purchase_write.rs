//! Group-purchase writes: lifecycle steps (`open`, `close`, `award`, `complete`, `cancel`) and
//! participations (`join`, `withdraw`). The domain checks every step; this module maps the
//! outcome once.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use persistence::group_purchase::{GroupPurchaseChanges, Join, NewGroupPurchase, Step};

use crate::auth::caller;
use crate::error::internal;
use crate::schema::enums::{Eligibility, GroupPurchaseStatus};
use crate::schema::group_purchase::{GroupPurchase, Participation};
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::scalars::{Date, PeriodInput};
use crate::schema::user_error::{InputError, UserError, change_record, input_period, outcome};
use domain::source::RecordType;

/// Which group purchase to move, at which version.
#[derive(InputObject, Debug, Clone)]
pub struct GroupPurchaseStepInput {
    /// The group purchase.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
}

/// Opening enrolment in a group purchase.
#[derive(InputObject, Debug, Clone)]
pub struct OpenGroupPurchaseInput {
    /// The group purchase.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The enrolment window, a period as every write gives one: cities join from its start
    /// (today when left out) until its end, the deadline (none when left out), both days
    /// included. A month or a year starts on its first day and ends on its last:
    /// `{ start: "2026-05", end: "2026-09" }` runs from 1 May to 30 September.
    pub tender: Option<PeriodInput>,
    /// The first day cities may join (today by default).
    #[graphql(
        deprecation = "Use `tender: { start }`: a period of dates as known, as every write takes."
    )]
    pub tender_start: Option<Date>,
    /// The last day cities may join (the deadline), if any.
    #[graphql(
        deprecation = "Use `tender: { end }`: a period of dates as known, as every write takes."
    )]
    pub tender_end: Option<Date>,
}

/// Awarding a group purchase to a supplier.
#[derive(InputObject, Debug, Clone)]
pub struct AwardGroupPurchaseInput {
    /// The group purchase.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The supplier (an organisation).
    #[doc = named_by_code!()]
    pub supplier: ID,
    /// The period of the contract, as every write gives a period: from the first day its start
    /// can mean to the last day its end can mean.
    pub contract: Option<PeriodInput>,
    /// The first day of the contract.
    #[graphql(
        deprecation = "Use `contract: { start }`: a period of dates as known, as every write takes."
    )]
    pub contract_start: Option<Date>,
    /// The last day of the contract.
    #[graphql(
        deprecation = "Use `contract: { end }`: a period of dates as known, as every write takes."
    )]
    pub contract_end: Option<Date>,
}

/// The result of a lifecycle step.
#[derive(SimpleObject)]
pub struct GroupPurchasePayload {
    /// The group purchase after the step.
    pub group_purchase: Option<GroupPurchase>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

/// A city joining a group purchase.
#[derive(InputObject, Debug, Clone)]
pub struct JoinGroupPurchaseInput {
    /// The group purchase.
    #[doc = named_by_slug!()]
    pub group_purchase: ID,
    /// The city.
    #[doc = named_by_code!()]
    pub city: ID,
    /// The quantity the city expects to buy.
    pub estimated_quantity: Option<f64>,
    /// The amount the city expects to spend.
    pub estimated_amount: Option<f64>,
}

/// A city withdrawing from a group purchase.
#[derive(InputObject, Debug, Clone)]
pub struct WithdrawFromGroupPurchaseInput {
    /// The participation's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
}

/// What a city taking part in a group purchase now expects.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateParticipationInput {
    /// The participation's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The quantity the city expects to buy.
    pub estimated_quantity: Option<f64>,
    /// The amount the city expects to spend.
    pub estimated_amount: Option<f64>,
}

/// The result of joining, withdrawing or changing a participation.
#[derive(SimpleObject)]
pub struct ParticipationPayload {
    /// The participation after the write.
    pub participation: Option<Participation>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

impl ParticipationPayload {
    fn rejected(error: UserError) -> ParticipationPayload {
        ParticipationPayload {
            participation: None,
            user_errors: vec![error],
        }
    }
}

fn rejected_step(error: UserError) -> GroupPurchasePayload {
    GroupPurchasePayload {
        group_purchase: None,
        user_errors: vec![error],
    }
}

/// The first and last days of a window an input gives as a period (`tender`, `contract`) or,
/// deprecated, as two days (`tenderStart` and `tenderEnd`): one or the other, not both.
fn window(
    field: &str,
    period: Option<&PeriodInput>,
    (start, end): (Option<Date>, Option<Date>),
) -> std::result::Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), UserError> {
    let days = (start.map(|d| d.0), end.map(|d| d.0));
    match input_period(field, period)? {
        None => Ok(days),
        Some(_) if days != (None, None) => Err(UserError::new(
            &["input", field],
            crate::error::code::INVALID,
            format!("give `{field}`, or its deprecated start and end days, not both"),
        )),
        Some(period) => period.days().map_err(|e| {
            UserError::new(
                &["input", field],
                crate::error::code::INVALID,
                e.to_string(),
            )
        }),
    }
}

/// Moves the group purchase the input names by `step`, once the rest of the input is read.
async fn run_step(
    ctx: &Context<'_>,
    id: &ID,
    version: i32,
    step: std::result::Result<Step, InputError>,
) -> Result<GroupPurchasePayload> {
    let actor = caller(ctx).actor()?.clone();
    let parsed = async {
        let step = step?;
        let id = input_ref(ctx, "id", id, RecordType::GroupPurchase).await?;
        Ok::<_, InputError>((id, step))
    };
    let (purchase_id, step) = match parsed.await {
        Ok(parsed) => parsed,
        Err(error) => return error.answer(rejected_step),
    };
    let db = ctx.data_unchecked::<persistence::Db>();
    let (purchase, user_errors) = outcome(
        ctx,
        db.write(actor.clone(), move |unit| {
            Box::pin(persistence::group_purchase::step(
                unit,
                purchase_id,
                version,
                step,
            ))
        })
        .await,
    )?;
    Ok(GroupPurchasePayload {
        group_purchase: purchase.map(GroupPurchase),
        user_errors,
    })
}

/// A new group purchase.
#[derive(InputObject, Debug, Clone)]
pub struct CreateGroupPurchaseInput {
    /// Its human key.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Whether the title describes the purchase because its source gives none.
    #[graphql(default)]
    pub title_is_descriptive: bool,
    /// What is bought, for whom.
    pub description: Option<String>,
    /// The category of goods or services.
    pub category: Option<String>,
    /// The organising organisation.
    #[doc = named_by_code!()]
    pub organiser: ID,
    /// The partnership it comes out of, if any.
    #[doc = named_by_slug!()]
    pub origin: Option<ID>,
    /// Who may join.
    pub eligibility: Option<Eligibility>,
    /// Where it starts: `PROPOSED` or `PLANNED` (the default).
    #[graphql(default_with = "GroupPurchaseStatus::Planned")]
    pub status: GroupPurchaseStatus,
    /// Its estimated value.
    pub estimated_value: Option<f64>,
    /// The currency of the value (ISO 4217: `CAD`, `EUR`).
    pub currency: Option<String>,
    /// The slugs of its themes.
    #[graphql(default)]
    pub themes: Vec<String>,
}

/// Changes to a group purchase's description; its status moves only by lifecycle steps.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateGroupPurchaseInput {
    /// The group purchase.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// A new title.
    pub title: Option<String>,
    /// A new description.
    pub description: Option<String>,
    /// A new category of goods or services.
    pub category: Option<String>,
    /// Who may join.
    pub eligibility: Option<Eligibility>,
    /// A new estimated value.
    pub estimated_value: Option<f64>,
    /// The currency of the value (ISO 4217).
    pub currency: Option<String>,
}

/// Group-purchase writes.
#[derive(Default)]
pub struct GroupPurchaseMutation;

#[Object]
impl GroupPurchaseMutation {
    /// Creates a group purchase, proposed or planned (the organiser's partner, or editors).
    async fn create_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group purchase.")] input: CreateGroupPurchaseInput,
    ) -> Result<GroupPurchasePayload> {
        let actor = caller(ctx).actor()?.clone();
        let ids = async {
            let organiser =
                input_ref(ctx, "organiser", &input.organiser, RecordType::Organisation).await?;
            let origin = optional_input_ref(
                ctx,
                "origin",
                input.origin.as_ref(),
                RecordType::Partnership,
            )
            .await?;
            Ok::<_, InputError>((organiser, origin))
        };
        let (organiser_id, origin_partnership_id) = match ids.await {
            Ok(ids) => ids,
            Err(error) => return error.answer(rejected_step),
        };
        let new = NewGroupPurchase {
            slug: input.slug,
            title: input.title,
            title_is_descriptive: input.title_is_descriptive,
            description: input.description,
            category: input.category,
            organiser_id,
            origin_partnership_id,
            eligibility: input.eligibility.map(Into::into),
            status: input.status.into(),
            estimated_value: input.estimated_value,
            currency: input.currency,
            themes: input.themes,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (purchase, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::group_purchase::create(unit, new))
            })
            .await,
        )?;
        Ok(GroupPurchasePayload {
            group_purchase: purchase.map(GroupPurchase),
            user_errors,
        })
    }

    /// Changes a group purchase's description (the organiser's partner, or editors).
    async fn update_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase, and the changes.")] input: UpdateGroupPurchaseInput,
    ) -> Result<GroupPurchasePayload> {
        let changes = GroupPurchaseChanges {
            title: input.title,
            description: input.description,
            category: input.category,
            eligibility: input.eligibility.map(Into::into),
            estimated_value: input.estimated_value,
            currency: input.currency,
        };
        let key = ("id", &input.id, RecordType::GroupPurchase);
        let (purchase, user_errors) =
            change_record(ctx, key, input.version, async { Ok(changes) }).await?;
        Ok(GroupPurchasePayload {
            group_purchase: purchase.map(GroupPurchase),
            user_errors,
        })
    }

    /// Opens enrolment: cities may join until the deadline. For the organiser's partners and
    /// editors.
    async fn open_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase, and its window.")] input: OpenGroupPurchaseInput,
    ) -> Result<GroupPurchasePayload> {
        let step = window(
            "tender",
            input.tender.as_ref(),
            (input.tender_start, input.tender_end),
        )
        .map(|(opens, deadline)| Step::Open { opens, deadline })
        .map_err(InputError::from);
        run_step(ctx, &input.id, input.version, step).await
    }

    /// Closes enrolment.
    async fn close_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase.")] input: GroupPurchaseStepInput,
    ) -> Result<GroupPurchasePayload> {
        run_step(ctx, &input.id, input.version, Ok(Step::Close)).await
    }

    /// Awards a closed group purchase to a supplier.
    async fn award_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase, to whom.")] input: AwardGroupPurchaseInput,
    ) -> Result<GroupPurchasePayload> {
        caller(ctx).actor()?;
        let supplier_id =
            match input_ref(ctx, "supplier", &input.supplier, RecordType::Organisation).await {
                Ok(supplier_id) => supplier_id,
                Err(error) => return error.answer(rejected_step),
            };
        let db = ctx.data_unchecked::<persistence::Db>();
        let exists = persistence::by_ids::<domain::organisation::Organisation>(db, &[supplier_id])
            .await
            .map_err(|e| internal(ctx, e))?;
        if exists.is_empty() {
            return Ok(rejected_step(UserError::new(
                &["input", "supplier"],
                crate::error::code::NOT_FOUND,
                "no organisation has this id",
            )));
        }
        let step = window(
            "contract",
            input.contract.as_ref(),
            (input.contract_start, input.contract_end),
        )
        .map(|(contract_start, contract_end)| Step::Award {
            supplier_id,
            contract_start,
            contract_end,
        })
        .map_err(InputError::from);
        run_step(ctx, &input.id, input.version, step).await
    }

    /// Marks an awarded group purchase completed: the contract ran its course.
    async fn complete_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase.")] input: GroupPurchaseStepInput,
    ) -> Result<GroupPurchasePayload> {
        run_step(ctx, &input.id, input.version, Ok(Step::Complete)).await
    }

    /// Cancels a group purchase that is not completed.
    async fn cancel_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase.")] input: GroupPurchaseStepInput,
    ) -> Result<GroupPurchasePayload> {
        run_step(ctx, &input.id, input.version, Ok(Step::Cancel)).await
    }

    /// Enrols a city in an open group purchase: before its deadline, if eligible, once. A
    /// partner enrols the cities that are members of its organisation.
    async fn join_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which purchase, which city.")] input: JoinGroupPurchaseInput,
    ) -> Result<ParticipationPayload> {
        let actor = caller(ctx).actor()?.clone();
        let ids = async {
            let purchase = input_ref(
                ctx,
                "groupPurchase",
                &input.group_purchase,
                RecordType::GroupPurchase,
            )
            .await?;
            let city = input_ref(ctx, "city", &input.city, RecordType::City).await?;
            Ok::<_, InputError>((purchase, city))
        };
        let (group_purchase_id, city_id) = match ids.await {
            Ok(ids) => ids,
            Err(error) => return error.answer(ParticipationPayload::rejected),
        };
        let join = Join {
            group_purchase_id,
            city_id,
            estimated_quantity: input.estimated_quantity,
            estimated_amount: input.estimated_amount,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (participation, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::group_purchase::join(unit, join))
            })
            .await,
        )?;
        Ok(ParticipationPayload {
            participation: participation.map(Participation),
            user_errors,
        })
    }

    /// Withdraws a city from a group purchase while it is open.
    async fn withdraw_from_group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which participation.")] input: WithdrawFromGroupPurchaseInput,
    ) -> Result<ParticipationPayload> {
        let actor = caller(ctx).actor()?.clone();
        let participation_id =
            match input_ref(ctx, "id", &input.id, RecordType::Participation).await {
                Ok(participation_id) => participation_id,
                Err(error) => return error.answer(ParticipationPayload::rejected),
            };
        let db = ctx.data_unchecked::<persistence::Db>();
        let result = db
            .write(actor.clone(), move |unit| {
                Box::pin(persistence::group_purchase::withdraw(
                    unit,
                    participation_id,
                    input.version,
                ))
            })
            .await;
        let (participation, user_errors) = outcome(ctx, result)?;
        Ok(ParticipationPayload {
            participation: participation.map(Participation),
            user_errors,
        })
    }

    /// Changes what a city taking part in a group purchase expects to buy or spend, with the
    /// version read: by whoever acts for the city, as it joined.
    async fn update_participation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which participation, and the changes.")] input: UpdateParticipationInput,
    ) -> Result<ParticipationPayload> {
        let changes = persistence::group_purchase::ParticipationChanges {
            estimated_quantity: input.estimated_quantity,
            estimated_amount: input.estimated_amount,
        };
        let key = ("id", &input.id, RecordType::Participation);
        let (participation, user_errors) =
            change_record(ctx, key, input.version, async { Ok(changes) }).await?;
        Ok(ParticipationPayload {
            participation: participation.map(Participation),
            user_errors,
        })
    }
}
