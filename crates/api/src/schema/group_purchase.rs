//! Group purchases, in the Open Contracting vocabulary: tender period, award, contract period.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::agreements::{ParticipationsInGroupPurchase, ThemesOfGroupPurchase};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{Eligibility, GroupPurchaseStatus, ParticipationStatus};
use crate::schema::load_one;
use crate::schema::organisation::Organisation;
use crate::schema::partnership::Partnership;
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, Period};
use crate::schema::theme::{Theme, ThemeConnection};

connection!(
    GroupPurchaseConnection,
    GroupPurchaseEdge,
    GroupPurchase,
    "A page of group purchases.",
    "A group purchase in a page, with its cursor."
);
connection!(
    ParticipationConnection,
    ParticipationEdge,
    Participation,
    "A page of participations in group purchases.",
    "A participation in a page, with its cursor."
);

/// A span of days (Open Contracting's period).
#[derive(SimpleObject)]
pub struct DatePeriod {
    /// The first day.
    pub start_date: Option<Date>,
    /// The last day.
    pub end_date: Option<Date>,
}

/// An amount of money (Open Contracting's value).
#[derive(SimpleObject)]
pub struct Money {
    /// The amount.
    pub amount: f64,
    /// Its currency (ISO 4217), when known.
    pub currency: Option<String>,
}

/// A span of days as a `Period` of day-precise dates; none when neither end is known.
fn day_period(start: Option<chrono::NaiveDate>, end: Option<chrono::NaiveDate>) -> Option<Period> {
    (start.is_some() || end.is_some()).then(|| Period {
        start: start.map(|day| domain::FuzzyDate::day(day).into()),
        end: end.map(|day| domain::FuzzyDate::day(day).into()),
    })
}

fn period(start: Option<chrono::NaiveDate>, end: Option<chrono::NaiveDate>) -> Option<DatePeriod> {
    (start.is_some() || end.is_some()).then(|| DatePeriod {
        start_date: start.map(Date),
        end_date: end.map(Date),
    })
}

/// A group purchase (regroupement d'achats): an organiser pools the procurement of a
/// proven technology for its member municipalities.
#[derive(Clone)]
pub struct GroupPurchase(pub domain::group_purchase::GroupPurchase);

/// A group purchase (regroupement d'achats): an organiser pools the procurement of a
/// proven technology for its member municipalities.
#[Object]
impl GroupPurchase {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::GroupPurchase, self.0.id)
    }

    /// The human key of the group purchase.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The title, as written or descriptive (see `titleIsDescriptive`).
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Whether the title describes the purchase because its source gives none.
    async fn title_is_descriptive(&self) -> bool {
        self.0.title_is_descriptive
    }

    /// What is bought, for whom.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The category of goods or services.
    async fn category(&self) -> Option<&str> {
        self.0.category.as_deref()
    }

    /// Who organises it.
    async fn organiser(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organiser_id)))
            .await?
            .map(Organisation))
    }

    /// The partnership it came out of, if any.
    async fn origin(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, self.0.origin_partnership_id.map(ById::new))
            .await?
            .map(Partnership))
    }

    /// Who may join; none while unknown.
    async fn eligibility(&self) -> Option<Eligibility> {
        self.0.eligibility.map(Into::into)
    }

    /// Where it stands in its lifecycle.
    async fn status(&self) -> GroupPurchaseStatus {
        self.0.status.into()
    }

    /// The enrolment window, in the shape of every period of the schema: cities join from
    /// its start until its end (the deadline), both days.
    async fn tender(&self) -> Option<Period> {
        day_period(self.0.tender_start, self.0.tender_end)
    }

    /// The enrolment window, as Open Contracting names it.
    #[graphql(deprecation = "Use `tender`: a `Period`, like every other period of the schema.")]
    async fn tender_period(&self) -> Option<DatePeriod> {
        period(self.0.tender_start, self.0.tender_end)
    }

    /// The estimated value of the whole purchase.
    async fn estimated_value(&self) -> Option<Money> {
        self.0.estimated_value.map(|amount| Money {
            amount,
            currency: self.0.currency.clone(),
        })
    }

    /// The supplier it was awarded to.
    async fn awarded_supplier(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, self.0.supplier_id.map(ById::new))
            .await?
            .map(Organisation))
    }

    /// The period of the contract with the supplier, in the shape of every period of the
    /// schema.
    async fn contract(&self) -> Option<Period> {
        day_period(self.0.contract_start, self.0.contract_end)
    }

    /// The period of the contract with the supplier, as Open Contracting names it.
    #[graphql(deprecation = "Use `contract`: a `Period`, like every other period of the schema.")]
    async fn contract_period(&self) -> Option<DatePeriod> {
        period(self.0.contract_start, self.0.contract_end)
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> GroupPurchaseRelatedLists {
        GroupPurchaseRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::GroupPurchase, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `GroupPurchase`, which it flattens in.
    GroupPurchaseRelatedLists {
        /// The cities taking part.
        participations: ParticipationConnection<Participation> = ParticipationsInGroupPurchase;
        /// The themes it serves.
        themes: ThemeConnection<Theme> = ThemesOfGroupPurchase;
    }
}

/// A city taking part in a group purchase.
#[derive(Clone)]
pub struct Participation(pub domain::group_purchase::Participation);

/// A city taking part in a group purchase.
#[Object]
impl Participation {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Participation, self.0.id)
    }

    /// The group purchase.
    async fn group_purchase(&self, ctx: &Context<'_>) -> Result<Option<GroupPurchase>> {
        Ok(load_one(ctx, Some(ById::new(self.0.group_purchase_id)))
            .await?
            .map(GroupPurchase))
    }

    /// The city.
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        Ok(load_one(ctx, Some(ById::new(self.0.city_id)))
            .await?
            .map(City))
    }

    /// When the city joined.
    async fn joined_on(&self) -> Option<Date> {
        self.0.joined_on.map(Date)
    }

    /// The quantity the city expects to buy.
    async fn estimated_quantity(&self) -> Option<f64> {
        self.0.estimated_quantity
    }

    /// The amount the city expects to spend.
    async fn estimated_amount(&self) -> Option<f64> {
        self.0.estimated_amount
    }

    /// Where the participation stands.
    async fn status(&self) -> ParticipationStatus {
        self.0.status.into()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Participation, self.0.id, &self.0.stamp)
    }
}
