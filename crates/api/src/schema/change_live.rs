//! The change feed, live: the `changes` subscription, served over Server-Sent Events at
//! `/graphql/stream` (`server::sse`).
//!
//! It is the feed of `changes` (`schema::change`) read as it grows: the same filter, the same
//! cursors, and each change judged by `change_visibility::as_seen`, page by page, as a query
//! made at that moment would judge it. A stream first reads what the feed already holds after
//! its start, a page at a time, then waits for the `live::Hub` to say the feed may have grown
//! and reads again from where it stopped. Its position moves past the changes the caller may
//! not see, as a page's `endCursor` does, so they are never read twice.

use std::collections::VecDeque;
use std::sync::Arc;

use async_graphql::futures_util::Stream;
use async_graphql::{Context, ErrorExtensions, Result, Subscription};
use domain::Id;

use crate::error::{ApiError, internal};
use crate::live::{LiveRequest, Wake};
use crate::schema::change::{CHANGE_TAG, ChangeEdge, ChangeFilter, resolve};
use crate::schema::change_visibility::as_seen;
use crate::schema::connection::{MAX_PAGE_SIZE, decode_cursor};
use crate::schema::loaders;

/// The directory, live: the change feed as it grows.
#[derive(Default)]
pub struct ChangeSubscription;

/// The directory, live: subscriptions are served over Server-Sent Events at `/graphql/stream`
/// (the GraphQL over SSE protocol, distinct connections mode).
#[Subscription(name = "Subscription")]
impl ChangeSubscription {
    /// The change feed as it grows: each creation, change and deletion of the directory's
    /// records committed after `after` (or, without it, after you subscribe), as an event, in
    /// commit order — what `changes` would list, with the same filter, cursors and rules of
    /// what you see, judged as each change arrives. Every event's id is its change's cursor: a
    /// client that reconnects with it as `Last-Event-ID` resumes right after it, missing
    /// nothing and repeating nothing. Costs what its selection costs, once, when it starts.
    async fn changes<'ctx>(
        &self,
        ctx: &Context<'ctx>,
        #[graphql(
            desc = "Starts after this cursor (an edge's `cursor`, a page's `pageInfo.endCursor`, or an event's id): what the feed already holds after it comes first. Without it, the stream starts with the changes committed after you subscribe. A `Last-Event-ID` header takes its place."
        )]
        after: Option<String>,
        #[graphql(desc = "Which changes, as `changes` takes it.")] filter: Option<ChangeFilter>,
    ) -> Result<impl Stream<Item = Result<ChangeEdge>>> {
        let live = ctx
            .data::<Arc<LiveRequest>>()
            .map_err(|_| internal(ctx, "a subscription ran without its stream".to_owned()))?
            .clone();
        let filter = resolve(ctx, filter.unwrap_or_default()).await?;
        let start = match (&live.resume_after, &after) {
            (Some(last_event), _) => Some(position("Last-Event-ID", last_event)?),
            (None, Some(after)) => Some(position("after", after)?),
            (None, None) => persistence::changes::head(ctx.data_unchecked::<persistence::Db>())
                .await
                .map_err(|error| internal(ctx, error))?,
        };
        let wake = live.hub.subscribe();
        live.stand();
        let follow = Follow {
            ctx,
            live,
            filter,
            position: start,
            pending: VecDeque::new(),
            more: true,
            wake,
            done: false,
        };
        Ok(async_graphql::futures_util::stream::unfold(
            follow,
            |mut follow| async move {
                let item = follow.next().await?;
                Some((item, follow))
            },
        ))
    }
}

/// The position a cursor given as `argument` stands for.
fn position(argument: &str, cursor: &str) -> Result<Id> {
    decode_cursor(argument, cursor, CHANGE_TAG)
        .map(|cursor| cursor.id)
        .map_err(|error| error.extend())
}

/// One stream's progress through the feed.
struct Follow<'a, 'ctx> {
    ctx: &'a Context<'ctx>,
    live: Arc<LiveRequest>,
    filter: persistence::changes::ChangeFilter,
    /// The last position read: the next page starts after it.
    position: Option<Id>,
    /// Changes read and shown to the caller, not given yet.
    pending: VecDeque<crate::schema::change::Change>,
    /// Whether the last page was full: read on without waiting.
    more: bool,
    wake: Wake,
    /// Set after an error: the stream ends.
    done: bool,
}

impl Follow<'_, '_> {
    /// The next change the caller sees, waiting for it as long as it takes; an error ends the
    /// stream after it is given.
    async fn next(&mut self) -> Option<Result<ChangeEdge>> {
        if self.done {
            return None;
        }
        loop {
            if let Some(change) = self.pending.pop_front() {
                self.live.giving(change.position);
                return Some(Ok(ChangeEdge::of(change)));
            }
            if !self.more && !self.wake.changed().await {
                return None;
            }
            self.wake.mark_seen();
            if let Err(error) = self.read_page().await {
                self.done = true;
                return Some(Err(error));
            }
        }
    }

    /// Reads the next page of the feed and keeps what the caller sees of it.
    async fn read_page(&mut self) -> Result<()> {
        let ctx = self.ctx;
        self.check_credentials().await?;
        let db = ctx.data_unchecked::<persistence::Db>();
        let page =
            persistence::changes::page(db, &self.filter, self.position, MAX_PAGE_SIZE as usize)
                .await
                .map_err(|error| internal(ctx, error))?;
        // Each page is judged afresh: a draft published or hidden since the last one counts.
        loaders(ctx).loader().forget_verdicts();
        let seen = as_seen(ctx, page.changes).await?;
        self.position = page.last_position.or(self.position);
        self.more = page.has_next_page;
        self.pending.extend(seen);
        Ok(())
    }

    /// Checks that the token the stream was opened with is still good, as each request's is.
    async fn check_credentials(&self) -> Result<()> {
        let Some(presented) = &self.live.credentials else {
            return Ok(());
        };
        let ctx = self.ctx;
        let db = ctx.data_unchecked::<persistence::Db>();
        let keys = ctx.data_unchecked::<crate::token::TokenKeys>();
        match crate::token::authenticate(db, keys, presented).await {
            Ok(_) => Ok(()),
            Err(crate::token::Rejection::Store(error)) => Err(internal(ctx, error)),
            Err(reason) => {
                tracing::info!(%reason, "token refused during a stream: ending it");
                Err(ApiError::Unauthenticated(
                    "the token this stream was opened with is revoked or expired: the stream ends"
                        .to_owned(),
                )
                .extend())
            }
        }
    }
}
