//! Writes of reports on partnerships (editors, or a partner of one of its parties).

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::auth::caller;
use crate::schema::payload::payload;
use crate::schema::reference::{input_ref, named_by_slug, optional_source};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, change_record, input_date, outcome};
use domain::source::RecordType;

payload!(/// The result of adding or changing a report.
    ReportPayload { report: crate::schema::report::Report });

/// An indicator of a new report.
#[derive(InputObject)]
pub struct IndicatorInput {
    /// The slug of the theme it measures: one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    /// What is measured.
    pub name: String,
    /// The unit of the values.
    pub unit: Option<String>,
    /// The value aimed at.
    pub target: Option<f64>,
    /// The value reached.
    pub value: Option<f64>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// A report on a partnership.
#[derive(InputObject)]
pub struct AddPartnershipReportInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The start of the period covered, as known (`2024`); not before the partnership starts.
    pub start: Option<String>,
    /// The end of the period covered, as known.
    pub end: Option<String>,
    /// What was done.
    pub summary: String,
    /// When it was published.
    pub published_on: Option<Date>,
    /// The source it is, or comes from.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// Its indicators, in order.
    #[graphql(default)]
    pub indicators: Vec<IndicatorInput>,
}

/// Changes to a partnership report; a field left out keeps its value. It stays on its
/// partnership, with its indicators.
#[derive(InputObject)]
pub struct UpdatePartnershipReportInput {
    /// The report: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The start of the period covered, as known (`2024`); not before the partnership starts.
    pub start: Option<String>,
    /// The end of the period covered, as known.
    pub end: Option<String>,
    /// What was done.
    pub summary: Option<String>,
    /// When it was published.
    pub published_on: Option<Date>,
    /// The source it is, or comes from.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
}

/// Reports on partnerships.
#[derive(Default)]
pub struct ReportMutation;

#[Object]
impl ReportMutation {
    /// Adds a report with its indicators to a partnership (editors, or a partner of one of
    /// its parties); a period starting before the partnership (`BEFORE_PARTNERSHIP`) or an
    /// indicator on a theme the partnership does not cover (`THEME_NOT_COVERED`) is refused.
    async fn add_partnership_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: AddPartnershipReportInput,
    ) -> Result<ReportPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = async {
            Ok::<_, InputError>(persistence::report::NewReport {
                partnership_id: input_ref(
                    ctx,
                    "partnership",
                    &input.partnership,
                    RecordType::Partnership,
                )
                .await?,
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                summary: input.summary.clone(),
                published_on: input.published_on.map(|d| d.0),
                source_id: optional_source(ctx, input.source.as_ref()).await?,
                indicators: input
                    .indicators
                    .iter()
                    .map(|i| persistence::report::NewIndicator {
                        theme: i.theme.clone(),
                        name: i.name.clone(),
                        unit: i.unit.clone(),
                        target: i.target,
                        value: i.value,
                        note: i.note.clone(),
                    })
                    .collect(),
            })
        };
        let new = match new.await {
            Ok(new) => new,
            Err(error) => return error.answer(ReportPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (report, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::report::add(unit, new))
            })
            .await,
        )?;
        Ok(ReportPayload {
            report: report.map(crate::schema::report::Report),
            user_errors,
        })
    }

    /// Changes a report's summary, period, publication day or source (editors, or a partner
    /// of one of the partnership's parties); its indicators stay. A period starting before
    /// the partnership is refused (`BEFORE_PARTNERSHIP`).
    async fn update_partnership_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdatePartnershipReportInput,
    ) -> Result<ReportPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::report::ReportChanges {
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
                summary: input.summary.clone(),
                published_on: input.published_on.map(|d| d.0),
                source_id: optional_source(ctx, input.source.as_ref()).await?,
            })
        };
        let key = ("id", &input.id, RecordType::Report);
        let (report, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ReportPayload {
            report: report.map(crate::schema::report::Report),
            user_errors,
        })
    }
}
