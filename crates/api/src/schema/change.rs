//! The change feed, `changes`: every creation, change and deletion of the directory's
//! records, in commit order, as the caller may see them, resumable from an opaque cursor.
//!
//! Persistence reads the audit trail (`persistence::changes`); `change_visibility` decides
//! what each change looks like to the caller. A change carries the names of the fields it
//! altered, never their values: the current record is one `record` (or `node(id:)`) away,
//! behind the same rules as any read.

use async_graphql::{Context, Enum, ErrorExtensions, ID, InputObject, Object, Result};
use domain::Id;
use domain::source::RecordType;
use persistence::page::{Cursor, SortValue};

use crate::error::{ApiError, internal};
use crate::schema::change_visibility::as_seen;
use crate::schema::connection::{EdgeCursor, PageArgs, PageInfo};
use crate::schema::country::CountryCode;
use crate::schema::lookup::{slug_id, theme_slugs};
use crate::schema::node::{Node, node_of};
use crate::schema::record::{global_id, record_type_named, type_name};
use crate::schema::scalars::Timestamp;

/// The ordering the feed's cursors belong to.
pub(crate) const CHANGE_TAG: &str = "CHANGE";

/// What a change did to a record, as the caller sees it.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeAction {
    /// The record appeared: it was created, or it became visible to you (a draft partnership
    /// published, for those who do not see drafts).
    Created,
    /// The record changed, and you could see it before and after.
    Updated,
    /// The record is gone for you: deleted, or hidden from you from now on (a partnership
    /// turned draft). Its parts go with it.
    Deleted,
}

/// A change to a record, as one of the feed's entries.
#[derive(Debug, Clone)]
pub struct Change {
    pub(crate) position: Id,
    pub(crate) record_type: RecordType,
    pub(crate) record_id: Id,
    pub(crate) action: ChangeAction,
    pub(crate) action_name: String,
    pub(crate) at: chrono::DateTime<chrono::Utc>,
    pub(crate) changed_fields: Vec<String>,
}

/// A creation, change or deletion of one record of the directory.
#[Object]
impl Change {
    /// The global id of the record that changed, as its `id` gives it: `node(id:)` reads the
    /// record while it exists and you may see it.
    async fn record_id(&self) -> ID {
        global_id(self.record_type, self.record_id)
    }

    /// The kind of record: its GraphQL type name (`City`, `Partnership`, `Mandate`…).
    async fn kind(&self) -> &str {
        type_name(self.record_type)
    }

    /// What the change did to the record, as you see it.
    async fn action(&self) -> ChangeAction {
        self.action
    }

    /// What the directory calls the write (`create_city`, `update_partnership`,
    /// `attest_mandate`, `delete_event`…), as the audit trail records it. A write that made a
    /// record appear or disappear for you keeps its name: a draft published is `CREATED` by
    /// `update_partnership`.
    async fn action_name(&self) -> &str {
        &self.action_name
    }

    /// When the write was made (the start of its transaction: changes committed later may
    /// carry an earlier time; the feed's order is the order of commits).
    async fn at(&self) -> Timestamp {
        Timestamp(self.at)
    }

    /// The names of the fields the change set, as the audit trail names them (camelCase;
    /// links to other records end in `Id`: `cityId`): for a creation, every field given a
    /// value; for an update, those whose value changed; none for a deletion. A mandate's new
    /// attestation is an update of its `attestations`. Names only: read the record for its
    /// values, as your rights allow.
    async fn changed_fields(&self) -> &[String] {
        &self.changed_fields
    }

    /// The record as it is now: null once it is deleted, or if you may not see it.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        node_of(ctx, self.record_type, self.record_id).await
    }
}

/// A change of the feed, with its cursor.
pub struct ChangeEdge {
    cursor: EdgeCursor,
    node: Change,
}

impl ChangeEdge {
    /// The change with the cursor of its position.
    pub(crate) fn of(change: Change) -> ChangeEdge {
        ChangeEdge {
            cursor: cursor_at(change.position),
            node: change,
        }
    }
}

/// A change of the feed, with its cursor: in a page of `changes`, or as one event of the
/// `changes` subscription.
#[Object]
impl ChangeEdge {
    /// An opaque cursor: pass it as `after` to read the changes committed after this one.
    async fn cursor(&self) -> String {
        self.cursor.encode()
    }

    /// The change.
    async fn node(&self) -> &Change {
        &self.node
    }
}

/// A page of the change feed. It has no `totalCount`: the feed grows with every write, and
/// counting what you may see of it would read all of it.
pub struct ChangeConnection {
    edges: Vec<ChangeEdge>,
    page_info: PageInfo,
}

/// A page of the change feed, in commit order.
#[Object]
impl ChangeConnection {
    /// The changes of this page, each with its cursor.
    async fn edges(&self) -> &[ChangeEdge] {
        &self.edges
    }

    /// The changes of this page.
    async fn nodes(&self) -> Vec<&Change> {
        self.edges.iter().map(|edge| &edge.node).collect()
    }

    /// Where this page stands in the feed. `endCursor` is where the next page starts: after
    /// every change this page read, including changes hidden from you that followed its last
    /// edge (a page may then hold fewer changes than asked for, or none, with `hasNextPage`
    /// true). Keep it, and ask again with `after` for what was committed since.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }
}

/// Which changes the feed keeps. Every filter but `kinds` follows some kinds of record only
/// (each says which); changes of the others are left out when it is given.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ChangeFilter {
    /// Only changes of records of these kinds, by GraphQL type name (`City`, `Partnership`…);
    /// an unknown kind is a `BAD_USER_INPUT` error.
    pub kinds: Option<Vec<String>>,
    /// Only changes of records tagged now with one of these themes (slugs; narrower themes
    /// count; an unknown slug is a `BAD_USER_INPUT` error): partnerships, partnership
    /// domains, organisations, group purchases, programmes, awards and initiatives — and
    /// changes of those themes themselves. A record's tags are read as they are now, so a
    /// record untagged or deleted is no longer followed, its deletion included.
    pub themes: Option<Vec<String>>,
    /// Only changes of cities and organisations of this country, as they were before or
    /// after the change (so a deletion, or a move out of the country, is kept).
    pub country: Option<CountryCode>,
    /// Only changes of cities and organisations in this subdivision (ISO 3166-2, any level:
    /// `CA-QC`, `FR-IDF`, `FR-95`), before or after the change.
    pub subdivision: Option<String>,
    /// Only changes of the organisation with this slug and of the records that name it,
    /// before or after the change: its sub-organisations, relations, mandates, contact points,
    /// memberships (as the organisation or as a member), stated figures, partnership parties,
    /// follow-ups it leads, programme organisers and participants, initiative organisations,
    /// the awards it gives, the diagnostic tools it publishes, the group purchases it
    /// supplies. An unknown slug is a `BAD_USER_INPUT` error.
    pub organisation: Option<String>,
}

/// The change feed.
#[derive(Default)]
pub struct ChangeQuery;

/// The change feed.
#[Object]
impl ChangeQuery {
    /// Every creation, change and deletion of the directory's records, oldest first, in the
    /// order their writes were committed: follow it to keep a copy of the directory in step.
    /// Read it from the start (no `after`), then ask again with the last `pageInfo.endCursor`
    /// for what was committed since; a change never appears behind a cursor already given.
    /// You see what you may read: no change of a draft unless you see the draft (a partnership
    /// turned draft is `DELETED`, a draft published `CREATED`, for those who do not see
    /// drafts), no token or other internal record, and field names only, never values.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n changes (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(
            desc = "Returns the changes committed after this cursor (an edge's `cursor` or `pageInfo.endCursor`)."
        )]
        after: Option<String>,
        #[graphql(desc = "Which changes.")] filter: Option<ChangeFilter>,
    ) -> Result<ChangeConnection> {
        let request = PageArgs {
            first,
            after,
            last: None,
            before: None,
        }
        .request(CHANGE_TAG)
        .map_err(|e| e.extend())?;
        let filter = resolve(ctx, filter.unwrap_or_default()).await?;
        let after = request.after.as_ref().map(|cursor| cursor.id);
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = persistence::changes::page(db, &filter, after, request.limit)
            .await
            .map_err(|e| internal(ctx, e))?;
        let end = page.last_position.or(after);
        let seen = as_seen(ctx, page.changes).await?;
        let edges: Vec<ChangeEdge> = seen.into_iter().map(ChangeEdge::of).collect();
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: after.is_some(),
            start_cursor: edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: end.map(cursor_at),
        };
        Ok(ChangeConnection { edges, page_info })
    }
}

/// The cursor of the feed's position `position`.
pub(crate) fn cursor_at(position: Id) -> EdgeCursor {
    EdgeCursor::new(
        CHANGE_TAG,
        Cursor {
            value: SortValue::Int(i64::from(position)),
            id: position,
        },
    )
}

/// The filter as persistence reads it: kinds by record type, slugs checked as every list's
/// filters check them.
pub(crate) async fn resolve(
    ctx: &Context<'_>,
    filter: ChangeFilter,
) -> Result<persistence::changes::ChangeFilter> {
    let kinds = filter
        .kinds
        .unwrap_or_default()
        .iter()
        .map(|kind| {
            record_type_named(kind).ok_or_else(|| {
                ApiError::bad_input(
                    "filter.kinds",
                    format!("{kind:?} is not a kind of record of this API"),
                )
                .extend()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(persistence::changes::ChangeFilter {
        kinds,
        themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        country: filter.country.map(|country| country.code().to_owned()),
        subdivision: filter.subdivision,
        organisation: slug_id::<domain::organisation::Organisation>(
            ctx,
            "filter.organisation",
            filter.organisation.as_deref(),
        )
        .await?,
    })
}
