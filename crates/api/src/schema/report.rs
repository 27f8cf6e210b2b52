//! Reports on partnerships and their indicators per theme.

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::collective_action::IndicatorsOfReport;
use crate::schema::connection::connection;
use crate::schema::load_one;
use crate::schema::partnership::Partnership;
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, Period};
use crate::schema::source::Source;
use crate::schema::theme::Theme;

connection!(
    ReportConnection,
    ReportEdge,
    Report,
    "A page of partnership reports.",
    "A report in a page, with its cursor."
);
connection!(
    IndicatorConnection,
    IndicatorEdge,
    Indicator,
    "A page of report indicators.",
    "An indicator in a page, with its cursor."
);

/// A report on a partnership over a period (an annual report): what was done, with
/// indicators per theme.
#[derive(Clone)]
pub struct Report(pub domain::partnership::Report);

/// A report on a partnership over a period (an annual report): what was done, with
/// indicators per theme.
#[Object]
impl Report {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Report, self.0.id)
    }

    /// The partnership reported on.
    async fn partnership(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, Some(ById::new(self.0.partnership_id)))
            .await?
            .map(Partnership))
    }

    /// The period it covers, as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// What was done.
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// When it was published.
    async fn published_on(&self) -> Option<Date> {
        self.0.published_on.map(Date)
    }

    /// The source it is, or comes from.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.0.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> ReportRelatedLists {
        ReportRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Report, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Report`, which it flattens in.
    ReportRelatedLists {
        /// Its indicators, in order.
        indicators: IndicatorConnection<Indicator> = IndicatorsOfReport;
    }
}

/// An indicator of a report, on one of the partnership's themes: unit, target and value.
#[derive(Clone)]
pub struct Indicator(pub domain::partnership::Indicator);

/// An indicator of a report, on one of the partnership's themes: unit, target and value.
#[Object]
impl Indicator {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Indicator, self.0.id)
    }

    /// The report.
    async fn report(&self, ctx: &Context<'_>) -> Result<Option<Report>> {
        Ok(load_one(ctx, Some(ById::new(self.0.report_id)))
            .await?
            .map(Report))
    }

    /// The theme it measures.
    async fn theme(&self, ctx: &Context<'_>) -> Result<Option<Theme>> {
        Ok(load_one(ctx, self.0.theme_id.map(ById::new))
            .await?
            .map(Theme))
    }

    /// What is measured.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The unit of the values.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// The value aimed at.
    async fn target(&self) -> Option<f64> {
        self.0.target
    }

    /// The value reached.
    async fn value(&self) -> Option<f64> {
        self.0.value
    }

    /// What else a reader should know.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Indicator, self.0.id, &self.0.stamp)
    }
}
