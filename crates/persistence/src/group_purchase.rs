//! Writes to group purchases: lifecycle steps and participations. Each write loads, asks the
//! domain, saves and records its audit event in one transaction.

use chrono::NaiveDate;
use domain::Id;
use domain::group_purchase::{GroupPurchase, Participation, ParticipationStatus, Status};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, DatabaseTransaction, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter,
};
use serde_json::json;

use crate::entity::{group_purchase, participation};
use crate::rows;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, invalid, on_store, set_given, set_if,
    unique_as,
};

/// Group purchases, as the write path handles them.
const GROUP_PURCHASE: Kind<group_purchase::Entity, domain::group_purchase::GroupPurchase> =
    Kind::stored(snapshot);

/// Participations, as the write path handles them.
const PARTICIPATION: Kind<participation::Entity, domain::group_purchase::Participation> =
    Kind::stored(participation_snapshot);

/// A lifecycle step and what it brings.
#[derive(Debug, Clone)]
pub enum Step {
    /// Opens enrolment, with its window.
    Open {
        opens: Option<NaiveDate>,
        deadline: Option<NaiveDate>,
    },
    /// Closes enrolment.
    Close,
    /// Awards the purchase to a supplier, with the contract period.
    Award {
        supplier_id: Id,
        contract_start: Option<NaiveDate>,
        contract_end: Option<NaiveDate>,
    },
    /// The contract ran its course.
    Complete,
    /// Cancels the purchase.
    Cancel,
}

impl Step {
    fn target(&self) -> Status {
        match self {
            Step::Open { .. } => Status::Open,
            Step::Close => Status::Closed,
            Step::Award { .. } => Status::Awarded,
            Step::Complete => Status::Completed,
            Step::Cancel => Status::Cancelled,
        }
    }

    fn action(&self) -> &'static str {
        match self {
            Step::Open { .. } => "open_group_purchase",
            Step::Close => "close_group_purchase",
            Step::Award { .. } => "award_group_purchase",
            Step::Complete => "complete_group_purchase",
            Step::Cancel => "cancel_group_purchase",
        }
    }
}

pub(crate) fn snapshot(purchase: &GroupPurchase) -> serde_json::Value {
    json!({
        "slug": purchase.slug,
        "status": purchase.status.as_str(),
        "tenderStart": purchase.tender_start,
        "tenderEnd": purchase.tender_end,
        "supplierId": purchase.supplier_id,
        "contractStart": purchase.contract_start,
        "contractEnd": purchase.contract_end,
        "version": purchase.stamp.version,
    })
}

pub(crate) fn participation_snapshot(participation: &Participation) -> serde_json::Value {
    json!({
        "groupPurchaseId": participation.group_purchase_id,
        "cityId": participation.city_id,
        "status": participation.status.as_str(),
        "joinedOn": participation.joined_on,
        "estimatedQuantity": participation.estimated_quantity,
        "estimatedAmount": participation.estimated_amount,
        "version": participation.stamp.version,
    })
}

async fn load(tx: &DatabaseTransaction, id: Id) -> Result<group_purchase::Model, WriteError> {
    group_purchase::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound(Field::Id))
}

/// Moves a group purchase one step along its lifecycle, if `version` is still current.
pub async fn step(
    unit: &crate::write::Unit,
    id: Id,
    version: i32,
    step: Step,
) -> Result<GroupPurchase, WriteError> {
    let (row, before) = GROUP_PURCHASE.read_for_change(unit, id).await?;
    unit.actor().check_writes_for(before.organiser_id)?;
    crate::write::check_version(before.stamp.version, version)?;
    // A window with no opening day opens today: the deadline must not come before it.
    let step = match step {
        Step::Open { opens, deadline } => Step::Open {
            opens: opens.or(Some(unit.today())),
            deadline,
        },
        other => other,
    };
    let (supplier, window) = match &step {
        Step::Award { supplier_id, .. } => (Some(*supplier_id), (None, None)),
        Step::Open { opens, deadline } => (None, (*opens, *deadline)),
        _ => (None, (None, None)),
    };
    domain::group_purchase::check_step(before.status, step.target(), supplier, window)?;

    let mut active = row.into_active_model();
    active.status = Set(step.target().as_str().to_owned());
    match &step {
        Step::Open { opens, deadline } => {
            active.tender_start = Set(*opens);
            active.tender_end = Set(*deadline);
        }
        Step::Award {
            supplier_id,
            contract_start,
            contract_end,
        } => {
            active.supplier_id = Set(Some(*supplier_id));
            active.contract_start = Set(*contract_start);
            active.contract_end = Set(*contract_end);
        }
        Step::Close | Step::Complete | Step::Cancel => {}
    }
    GROUP_PURCHASE
        .save_change(unit, step.action(), (id, version), active, &before)
        .await
}

/// What a city joins with.
#[derive(Debug, Clone)]
pub struct Join {
    pub group_purchase_id: Id,
    pub city_id: Id,
    pub estimated_quantity: Option<f64>,
    pub estimated_amount: Option<f64>,
}

/// Enrols a city in an open group purchase.
pub async fn join(unit: &crate::write::Unit, join: Join) -> Result<Participation, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let purchase = rows::group_purchase(load(tx, join.group_purchase_id).await?)?;
    if crate::entity::city::Entity::find_by_id(join.city_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::City));
    }
    crate::authority::check_acts_for_city(tx, actor, join.city_id).await?;
    check_not_negative(join.estimated_quantity, "estimated quantity")?;
    check_not_negative(join.estimated_amount, "estimated amount")?;
    let today = unit.today();
    let member =
        crate::authority::is_member_on(tx, purchase.organiser_id, join.city_id, today).await?;
    let already = participation::Entity::find()
        .filter(Expr::col("group_purchase_id").eq(purchase.id))
        .filter(Expr::col("city_id").eq(join.city_id))
        .count(tx)
        .await?
        > 0;
    domain::group_purchase::check_join(&purchase, today, member, already)?;
    let row = participation::ActiveModel {
        group_purchase_id: Set(purchase.id),
        city_id: Set(join.city_id),
        joined_on: Set(Some(today)),
        estimated_quantity: Set(join.estimated_quantity),
        estimated_amount: Set(join.estimated_amount),
        status: Set(ParticipationStatus::Committed.as_str().to_owned()),
        ..Default::default()
    };
    PARTICIPATION
        .insert_new(unit, "join_group_purchase", row)
        .await
        // Two joins at once: the unique constraint lets one through, the other hears why.
        .map_err(on_store(unique_as(|| {
            domain::group_purchase::JoinError::AlreadyJoined.into()
        })))
}

/// Withdraws a city from an open group purchase, if `version` is still current.
pub async fn withdraw(
    unit: &crate::write::Unit,
    participation_id: Id,
    version: i32,
) -> Result<Participation, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let (row, before) = PARTICIPATION
        .read_for_change(unit, participation_id)
        .await?;
    crate::authority::check_acts_for_city(tx, actor, before.city_id).await?;
    crate::write::check_version(before.stamp.version, version)?;
    let purchase = rows::group_purchase(load(tx, before.group_purchase_id).await?)?;
    domain::group_purchase::check_withdraw(&purchase, &before)?;
    let mut active = row.into_active_model();
    active.status = Set(ParticipationStatus::Withdrawn.as_str().to_owned());
    let action = "withdraw_from_group_purchase";
    PARTICIPATION
        .save_change(unit, action, (participation_id, version), active, &before)
        .await
}

/// A new group purchase: it starts proposed or planned, and moves on by lifecycle steps.
#[derive(Debug, Clone)]
pub struct NewGroupPurchase {
    pub slug: String,
    pub title: String,
    pub title_is_descriptive: bool,
    pub description: Option<String>,
    pub category: Option<String>,
    pub organiser_id: Id,
    pub origin_partnership_id: Option<Id>,
    pub eligibility: Option<domain::group_purchase::Eligibility>,
    pub status: Status,
    pub estimated_value: Option<f64>,
    pub currency: Option<String>,
    pub themes: Vec<String>,
}

/// Creates a group purchase (the organiser's partner, or editors).
pub async fn create(
    unit: &crate::write::Unit,
    new: NewGroupPurchase,
) -> Result<GroupPurchase, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());

    actor.check_writes_for(new.organiser_id)?;
    domain::slug::Slug::parse(&new.slug)?;
    domain::validate::check_name("title", &new.title)?;
    if !matches!(new.status, Status::Proposed | Status::Planned) {
        return Err(invalid(
            Field::Status,
            "a group purchase starts proposed or planned; open it with openGroupPurchase",
        ));
    }
    check_not_negative(new.estimated_value, "estimated value")?;
    if let Some(currency) = &new.currency {
        domain::validate::check_currency(currency)?;
    }
    if crate::entity::organisation::Entity::find_by_id(new.organiser_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Organiser));
    }
    // A purchase that comes from a partnership hangs from it: the caller writes that
    // partnership (and a draft it may not see answers as one that does not exist).
    if let Some(origin) = new.origin_partnership_id {
        crate::partnership::check_may_write(tx, actor, origin, Field::Origin).await?;
    }
    let theme_ids = crate::theme::ids_of(tx, &new.themes).await?;
    let row = group_purchase::ActiveModel {
        slug: Set(new.slug.clone()),
        title: Set(new.title.trim().to_owned()),
        title_is_descriptive: Set(new.title_is_descriptive),
        search_name: Set(domain::search::fold(&new.title)),
        description: Set(new.description.clone()),
        category: Set(new.category.clone()),
        organiser_id: Set(new.organiser_id),
        origin_partnership_id: Set(new.origin_partnership_id),
        eligibility: Set(new.eligibility.map(|e| e.as_str().to_owned())),
        status: Set(new.status.as_str().to_owned()),
        tender_start: Set(None),
        tender_end: Set(None),
        estimated_value: Set(new.estimated_value),
        currency: Set(new.currency.clone()),
        supplier_id: Set(None),
        contract_start: Set(None),
        contract_end: Set(None),
        ..Default::default()
    };
    let created = GROUP_PURCHASE
        .insert_new(unit, "create_group_purchase", row)
        .await
        .map_err(on_store(|e| {
            crate::write::unique_as_taken(e, &[("slug", Field::Slug)])
        }))?;
    crate::theme::tag(
        tx,
        ("group_purchase_theme", "group_purchase_id"),
        created.id,
        &theme_ids,
        false,
    )
    .await?;
    Ok(created)
}

/// Changes to a group purchase's description; its status moves only by lifecycle steps.
#[derive(Debug, Clone, Default)]
pub struct GroupPurchaseChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub eligibility: Option<domain::group_purchase::Eligibility>,
    pub estimated_value: Option<f64>,
    pub currency: Option<String>,
}

/// Changes a group purchase (the organiser's partner, or editors), if `version` is current.
impl Change for GroupPurchaseChanges {
    type Record = GroupPurchase;
    const KIND: Kind<group_purchase::Entity, GroupPurchase> = GROUP_PURCHASE;
    const ACTION: &'static str = "update_group_purchase";

    fn check_first(&self, _unit: &Unit, _id: Id) -> Result<(), WriteError> {
        if let Some(title) = &self.title {
            domain::validate::check_name("title", title)?;
        }
        check_not_negative(self.estimated_value, "estimated value")?;
        if let Some(currency) = &self.currency {
            domain::validate::check_currency(currency)?;
        }
        Ok(())
    }

    async fn authority(&self, unit: &Unit, before: &GroupPurchase) -> Result<(), WriteError> {
        Ok(unit.actor().check_writes_for(before.organiser_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let active = &mut to.active;
        if let Some(title) = self.title {
            active.search_name = Set(domain::search::fold(&title));
            active.title = Set(title.trim().to_owned());
        }
        set_given([
            (&mut active.description, self.description.map(Some)),
            (&mut active.category, self.category.map(Some)),
            (&mut active.currency, self.currency.map(Some)),
            (
                &mut active.eligibility,
                self.eligibility.map(|e| Some(e.as_str().to_owned())),
            ),
        ]);
        set_if(&mut active.estimated_value, self.estimated_value.map(Some));
        Ok(())
    }
}

/// What a city expects of a group purchase it takes part in; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ParticipationChanges {
    pub estimated_quantity: Option<f64>,
    pub estimated_amount: Option<f64>,
}

/// Changes what a city expects to buy or spend, if `version` is still current: by whoever acts
/// for the city, as it joined.
impl Change for ParticipationChanges {
    type Record = Participation;
    const KIND: Kind<participation::Entity, Participation> = PARTICIPATION;
    const ACTION: &'static str = "update_participation";

    fn check_first(&self, _unit: &Unit, _id: Id) -> Result<(), WriteError> {
        check_not_negative(self.estimated_quantity, "estimated quantity")?;
        check_not_negative(self.estimated_amount, "estimated amount")
    }

    async fn authority(&self, unit: &Unit, before: &Participation) -> Result<(), WriteError> {
        crate::authority::check_acts_for_city(unit.tx(), unit.actor(), before.city_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        set_given([
            (
                &mut to.active.estimated_quantity,
                self.estimated_quantity.map(Some),
            ),
            (
                &mut to.active.estimated_amount,
                self.estimated_amount.map(Some),
            ),
        ]);
        Ok(())
    }
}

/// A quantity or an amount is never negative.
fn check_not_negative(value: Option<f64>, field: &'static str) -> Result<(), WriteError> {
    match value {
        Some(value) if value < 0.0 => Err(domain::validate::ValueError::Negative { field }.into()),
        _ => Ok(()),
    }
}
