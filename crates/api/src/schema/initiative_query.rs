//! The query root's part for initiatives: "who already tried this, where, and did it work?",
//! and the lessons learned across initiatives.

use async_graphql::{Context, ErrorExtensions, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use persistence::list;

use crate::error::{ApiError, internal};
use crate::schema::connection::Paged;
use crate::schema::country::CountryCode;
use crate::schema::enums::{EvidenceLevel, InitiativeStatus, LessonKind, LessonTopic};
use crate::schema::initiative::{
    Initiative, InitiativeConnection, Lesson, LessonConnection, LessonTopicLabel,
};
use crate::schema::query::{
    ListOrder, ListRequest, by_slug, common, list_request, slug_id, theme_slugs,
};

/// A range of population; either bound may be left out.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct PopulationRange {
    /// At least this many inhabitants.
    pub min: Option<i32>,
    /// At most this many inhabitants.
    pub max: Option<i32>,
}

/// Which initiatives to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct InitiativeFilter {
    /// Only initiatives on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only initiatives with one of these statuses.
    pub status: Option<Vec<InitiativeStatus>>,
    /// Only initiatives in this country: their city's, or for initiatives without a city, a
    /// lead organisation's.
    pub country: Option<CountryCode>,
    /// Only initiatives of a city whose population is in this range (cities of unknown
    /// population are left out).
    pub city_population: Option<PopulationRange>,
    /// Only initiatives with at least one outcome of this evidence level or stronger.
    pub evidence_at_least: Option<EvidenceLevel>,
    /// Only initiatives with a pitfall on one of these topics ("who ran into vendor lock-in?").
    pub pitfalls: Option<Vec<LessonTopic>>,
    /// Only initiatives of the city with this slug.
    pub city: Option<String>,
    /// Only initiatives of the programme with this slug.
    pub programme: Option<String>,
    /// Only initiatives of the partnership with this slug.
    pub partnership: Option<String>,
    /// Only initiatives whose solution the organisation with this slug provides.
    pub provider: Option<String>,
    /// Only initiatives whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only initiatives changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which lessons to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct LessonFilter {
    /// Only successes, or only pitfalls.
    pub kind: Option<LessonKind>,
    /// Only lessons on one of these topics.
    pub topics: Option<Vec<LessonTopic>>,
    /// Only lessons whose text contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only lessons changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

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
            drafts: crate::auth::drafts(crate::auth::caller(ctx)),
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
            drafts: crate::auth::drafts(crate::auth::caller(ctx)),
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
