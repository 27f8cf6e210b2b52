//! The query root's part for collective action: programmes, awards and challenges,
//! self-diagnostic tools and events, by slug and as filtered lists.

use async_graphql::{Context, Object, Result};
use persistence::list;

use crate::error::internal;
use crate::schema::award::{Award, AwardConnection};
use crate::schema::connection::Paged;
use crate::schema::diagnostic::{DiagnosticTool, DiagnosticToolConnection, Questionnaire};
use crate::schema::event::{Event, EventConnection};
use crate::schema::list_args::{ListOrder, ListRequest, common, list_request};
use crate::schema::list_filter::{AwardFilter, DiagnosticToolFilter, EventFilter, ProgrammeFilter};
use crate::schema::lookup::{by_slug, slug_id, theme_slugs};
use crate::schema::programme::{Programme, ProgrammeConnection};

/// Programmes, awards, self-diagnostic tools and events.
#[derive(Default)]
pub struct CollectiveActionQuery;

type Organisation = domain::organisation::Organisation;

#[Object]
impl CollectiveActionQuery {
    /// A programme by slug; null when none has it.
    async fn programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme's slug (`quartiers-metropolitains-innovation`).")]
        slug: String,
    ) -> Result<Option<Programme>> {
        Ok(by_slug(ctx, &slug).await?.map(Programme))
    }

    /// Programmes, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn programmes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n programmes (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the programmes after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n programmes (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the programmes before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which programmes.")] filter: Option<ProgrammeFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<ProgrammeConnection> {
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
        let query = list::ProgrammeFilter {
            organiser: slug_id::<Organisation>(
                ctx,
                "filter.organiser",
                filter.organiser.as_deref(),
            )
            .await?,
            participant_city: slug_id::<domain::city::City>(
                ctx,
                "filter.participantCity",
                filter.participant_city.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::programmes(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(ProgrammeConnection::from(
            Paged::from_page(tag, page).map(Programme),
        ))
    }

    /// An award or challenge by slug; null when none has it.
    async fn award(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The award's slug (`merite-ovation-municipale`).")] slug: String,
    ) -> Result<Option<Award>> {
        Ok(by_slug(ctx, &slug).await?.map(Award))
    }

    /// Awards and challenges, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn awards(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n awards (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the awards after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n awards (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the awards before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which awards and challenges.")] filter: Option<AwardFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<AwardConnection> {
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
        let query = list::AwardFilter {
            organiser: slug_id::<Organisation>(
                ctx,
                "filter.organiser",
                filter.organiser.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            kind: filter.kind.map(Into::into),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::awards(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(AwardConnection::from(
            Paged::from_page(tag, page).map(Award),
        ))
    }

    /// A self-diagnostic tool by slug; null when none has it.
    async fn diagnostic_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug (`umq-autodiagnostic-villes-intelligentes`).")]
        slug: String,
    ) -> Result<Option<DiagnosticTool>> {
        Ok(by_slug(ctx, &slug).await?.map(DiagnosticTool))
    }

    /// A self-diagnostic questionnaire revision by slug; null when none has it.
    async fn questionnaire(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The questionnaire's slug (`exemple-autodiagnostic-ville-intelligente`)."
        )]
        slug: String,
    ) -> Result<Option<Questionnaire>> {
        Ok(by_slug(ctx, &slug).await?.map(Questionnaire))
    }

    /// Self-diagnostic tools, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn diagnostic_tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n tools (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the tools after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n tools (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the tools before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which tools.")] filter: Option<DiagnosticToolFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<DiagnosticToolConnection> {
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
        let query = list::DiagnosticToolFilter {
            publisher: slug_id::<Organisation>(
                ctx,
                "filter.publisher",
                filter.publisher.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::diagnostic_tools(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(DiagnosticToolConnection::from(
            Paged::from_page(tag, page).map(DiagnosticTool),
        ))
    }

    /// An event by slug; null when none has it.
    async fn event(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The event's slug.")] slug: String,
    ) -> Result<Option<Event>> {
        Ok(by_slug(ctx, &slug).await?.map(Event))
    }

    /// Events, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n events (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the events after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n events (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the events before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which events.")] filter: Option<EventFilter>,
        #[graphql(
            desc = "The order (by title by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<EventConnection> {
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
        let query = list::EventFilter {
            organiser: slug_id::<Organisation>(
                ctx,
                "filter.organiser",
                filter.organiser.as_deref(),
            )
            .await?,
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
            common: common(filter.search, filter.updated_since),
            kind: filter.kind.map(Into::into),
            drafts: crate::auth::reader(ctx).drafts,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::events(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        crate::schema::vouch(ctx, page.items.iter().map(|(_, item)| item));
        Ok(EventConnection::from(
            Paged::from_page(tag, page).map(Event),
        ))
    }
}
