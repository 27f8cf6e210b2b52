//! The query root's part for initiatives: "who already tried this, where, and did it work?",
//! and the lessons learned across initiatives.

use async_graphql::{Context, ErrorExtensions, Object, Result};
use persistence::list;

use crate::error::{ApiError, internal};
use crate::schema::connection::Paged;
use crate::schema::initiative::{
    Initiative, InitiativeConnection, Lesson, LessonConnection, LessonTopicLabel,
};
use crate::schema::list_args::{ListOrder, ListRequest, common, list_request};
use crate::schema::list_filter::{InitiativeFilter, LessonFilter};
use crate::schema::lookup::{by_slug, slug_id, theme_slugs};

/// Initiatives and lessons.
#[derive(Default)]
pub struct InitiativeQuery;

#[Object]
impl InitiativeQuery {
    /// An initiative by slug; null when none has it.
    async fn initiative(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The initiative's slug.")] slug: String,
    ) -> Result<Option<Initiative>> {
        Ok(by_slug(ctx, &slug).await?.map(Initiative))
    }

    /// Initiatives, filtered and ordered: who already tried this, where, and did it work.
    #[allow(clippy::too_many_arguments)]
    async fn initiatives(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n initiatives (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the initiatives after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n initiatives (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the initiatives before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which initiatives.")] filter: Option<InitiativeFilter>,
        #[graphql(
            desc = "The order (by title by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<InitiativeConnection> {
        let filter = filter.unwrap_or_default();
        let population = filter.city_population.unwrap_or_default();
        if let (Some(min), Some(max)) = (population.min, population.max)
            && min > max
        {
            return Err(ApiError::bad_input(
                "filter.cityPopulation",
                format!("min ({min}) is above max ({max})"),
            )
            .extend());
        }
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::InitiativeFilter {
            city: slug_id::<domain::city::City>(ctx, "filter.city", filter.city.as_deref()).await?,
            programme: slug_id::<domain::programme::Programme>(
                ctx,
                "filter.programme",
                filter.programme.as_deref(),
            )
            .await?,
            partnership: slug_id::<domain::partnership::Partnership>(
                ctx,
                "filter.partnership",
                filter.partnership.as_deref(),
            )
            .await?,
            provider: slug_id::<domain::organisation::Organisation>(
                ctx,
                "filter.provider",
                filter.provider.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
            statuses: filter
                .status
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            country: filter.country.map(|c| c.code().to_owned()),
            population_min: population.min.map(i64::from),
            population_max: population.max.map(i64::from),
            evidence_at_least: filter.evidence_at_least.map(Into::into),
            pitfalls: filter
                .pitfalls
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            drafts: crate::auth::reader(ctx).drafts,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::initiatives(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        crate::schema::vouch(ctx, page.items.iter().map(|(_, item)| item));
        Ok(InitiativeConnection::from(
            Paged::from_page(tag, page).map(Initiative),
        ))
    }

    /// Lessons learned across initiatives: successes and pitfalls, by topic or text.
    #[allow(clippy::too_many_arguments)]
    async fn lessons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n lessons (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the lessons after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n lessons (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the lessons before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which lessons.")] filter: Option<LessonFilter>,
        #[graphql(
            desc = "The order (by text by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<LessonConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::LessonFilter {
            common: common(filter.search, filter.updated_since),
            kind: filter.kind.map(Into::into),
            topics: filter
                .topics
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            drafts: crate::auth::reader(ctx).drafts,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::lessons(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(LessonConnection::from(
            Paged::from_page(tag, page).map(Lesson),
        ))
    }

    /// The lesson topics, with their French and English labels.
    async fn lesson_topics(&self) -> Vec<LessonTopicLabel> {
        domain::initiative::LessonTopic::ALL
            .iter()
            .copied()
            .map(Into::into)
            .collect()
    }
}
