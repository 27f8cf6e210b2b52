//! Relay cursor connections: page arguments, opaque keyset cursors, and the connection types.
//!
//! Top-level lists are keyset pages fetched by persistence (`first + 1` rows, `COUNT(*)` only
//! when `totalCount` is selected). Nested lists arrive whole from a DataLoader batch and are
//! paged here, with the same arguments and cursors.

use async_graphql::{Context, Enum, InputObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use domain::Id;
use persistence::page::{Cursor, Direction, PageRequest, SortValue};

use crate::error::ApiError;

/// The most records one page may hold, as on GitHub's API.
pub const MAX_PAGE_SIZE: i32 = 100;
/// The page size when neither `first` nor `last` is given.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// Information to page through a connection.
#[derive(Debug, Clone, Default)]
pub struct PageInfo {
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub start_cursor: Option<EdgeCursor>,
    pub end_cursor: Option<EdgeCursor>,
}

/// Information to page through a connection.
#[async_graphql::Object]
impl PageInfo {
    /// Whether more records follow this page (when paging forward with `first`).
    async fn has_next_page(&self) -> bool {
        self.has_next_page
    }

    /// Whether records precede this page (when paging backward with `last`).
    async fn has_previous_page(&self) -> bool {
        self.has_previous_page
    }

    /// The cursor of the first record of this page, to page backward with `before`.
    async fn start_cursor(&self) -> Option<String> {
        self.start_cursor.as_ref().map(EdgeCursor::encode)
    }

    /// The cursor of the last record of this page, to page forward with `after`.
    async fn end_cursor(&self) -> Option<String> {
        self.end_cursor.as_ref().map(EdgeCursor::encode)
    }
}

/// A record's place in its ordering, encoded as an opaque cursor only when a query asks for
/// it: most queries read `nodes`, and a nested list would otherwise encode one per record.
#[derive(Debug, Clone)]
pub struct EdgeCursor {
    tag: &'static str,
    cursor: Cursor,
}

impl EdgeCursor {
    pub fn new(tag: &'static str, cursor: Cursor) -> EdgeCursor {
        EdgeCursor { tag, cursor }
    }

    /// The cursor's text (`encode_cursor`).
    pub fn encode(&self) -> String {
        encode_cursor(self.tag, &self.cursor)
    }
}

/// Which way a list is sorted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderDirection {
    /// Smallest first (A to Z, oldest first).
    #[default]
    Asc,
    /// Largest first (Z to A, newest first).
    Desc,
}

impl From<OrderDirection> for Direction {
    fn from(direction: OrderDirection) -> Self {
        match direction {
            OrderDirection::Asc => Direction::Asc,
            OrderDirection::Desc => Direction::Desc,
        }
    }
}

/// How a related list is ordered.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RelatedOrderField {
    /// The relation's own order: the order of the document (domains, commitments, parties), or
    /// dates (mandates, memberships), or names.
    #[default]
    Natural,
    /// By time of last change, to sync changes incrementally.
    UpdatedAt,
}

/// The order of a related list.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct RelatedOrder {
    /// What to sort by.
    #[graphql(default)]
    pub field: RelatedOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// The page a caller asks for, as given.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageArgs {
    /// Checks the arguments and decodes the cursors, which must belong to the ordering `tag`.
    pub fn request(&self, tag: &str) -> Result<PageRequest, ApiError> {
        let size = |argument: &str, value: i32| -> Result<usize, ApiError> {
            if !(0..=MAX_PAGE_SIZE).contains(&value) {
                return Err(ApiError::bad_input(
                    argument,
                    format!(
                        "{argument} must be between 0 and {MAX_PAGE_SIZE} (got {value}); page with `after` for more"
                    ),
                ));
            }
            Ok(value as usize)
        };
        let (limit, backward) = match (self.first, self.last) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input(
                    "last",
                    "pass either first or last, not both",
                ));
            }
            (Some(first), None) => (size("first", first)?, false),
            (None, Some(last)) => (size("last", last)?, true),
            (None, None) => (DEFAULT_PAGE_SIZE as usize, false),
        };
        Ok(PageRequest {
            limit,
            backward,
            after: self
                .after
                .as_deref()
                .map(|c| decode_cursor("after", c, tag))
                .transpose()?,
            before: self
                .before
                .as_deref()
                .map(|c| decode_cursor("before", c, tag))
                .transpose()?,
        })
    }
}

/// Encodes a cursor: the ordering it belongs to, the sort value and the record id.
pub fn encode_cursor(tag: &str, cursor: &Cursor) -> String {
    let value = match &cursor.value {
        SortValue::Text(text) => format!("s|{text}"),
        SortValue::Int(number) => format!("i|{number}"),
        SortValue::Time(time) => format!("t|{}", time.to_rfc3339()),
    };
    URL_SAFE_NO_PAD.encode(format!("{tag}|{value}|{}", cursor.id))
}

/// The kind of sort value the cursors of the ordering `tag` hold: `s` text, `i` a number, `t`
/// a time.
fn value_kind(tag: &str) -> &'static str {
    match tag {
        // A city's rank in a search is a number: rank and population in one (`list::relevance`);
        // a change's cursor holds its position in the feed.
        "POPULATION" | "NATURAL" | "RELEVANCE_POPULATION" | "CHANGE" => "i",
        "UPDATED_AT" | "CREATED_AT" | "AT" => "t",
        _ => "s",
    }
}

/// Decodes a cursor made by `encode_cursor` for the ordering `tag`.
pub fn decode_cursor(argument: &str, text: &str, tag: &str) -> Result<Cursor, ApiError> {
    let malformed =
        || ApiError::bad_input(argument, format!("{text:?} is not a cursor of this list"));
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| malformed())?;
    let decoded = String::from_utf8(bytes).map_err(|_| malformed())?;
    let (found_tag, rest) = decoded.split_once('|').ok_or_else(malformed)?;
    if found_tag != tag {
        return Err(ApiError::bad_input(
            argument,
            "this cursor was made for another ordering of the list",
        ));
    }
    let (kind, rest) = rest.split_once('|').ok_or_else(malformed)?;
    // A cursor edited to carry a value of another type than its ordering's would reach the
    // database as a comparison of a text column with a number.
    if kind != value_kind(tag) {
        return Err(malformed());
    }
    let (value, id) = rest.rsplit_once('|').ok_or_else(malformed)?;
    let id: Id = id.parse().map_err(|_| malformed())?;
    let value = match kind {
        "s" => SortValue::Text(value.to_owned()),
        "i" => SortValue::Int(value.parse().map_err(|_| malformed())?),
        "t" => SortValue::Time(
            DateTime::parse_from_rfc3339(value)
                .map_err(|_| malformed())?
                .with_timezone(&Utc),
        ),
        _ => return Err(malformed()),
    };
    Ok(Cursor { value, id })
}

/// The size of a whole list: known when the list was loaded whole, counted on demand otherwise.
#[derive(Debug, Clone)]
pub enum Total {
    Known(usize),
    Deferred(Box<persistence::page::Total>),
}

impl Total {
    pub async fn count(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        match self {
            Total::Known(count) => Ok(*count as u64),
            Total::Deferred(total) => {
                let db = ctx.data_unchecked::<persistence::Db>();
                total
                    .count(db)
                    .await
                    .map_err(|error| crate::error::internal(ctx, error))
            }
        }
    }
}

/// A page of records with their cursors, ready to become a connection.
pub struct Paged<T> {
    pub items: Vec<(EdgeCursor, T)>,
    pub page_info: PageInfo,
    pub total: Total,
}

impl<T> Paged<T> {
    /// A page fetched by persistence.
    pub fn from_page(tag: &'static str, page: persistence::page::Page<T>) -> Paged<T> {
        let items: Vec<(EdgeCursor, T)> = page
            .items
            .into_iter()
            .map(|(cursor, item)| (EdgeCursor::new(tag, cursor), item))
            .collect();
        let page_info = PageInfo {
            has_next_page: page.has_next_page,
            has_previous_page: page.has_previous_page,
            start_cursor: items.first().map(|(cursor, _)| cursor.clone()),
            end_cursor: items.last().map(|(cursor, _)| cursor.clone()),
        };
        Paged {
            items,
            page_info,
            total: Total::Deferred(Box::new(page.total)),
        }
    }

    pub fn map<U>(self, f: impl Fn(T) -> U) -> Paged<U> {
        Paged {
            items: self
                .items
                .into_iter()
                .map(|(cursor, item)| (cursor, f(item)))
                .collect(),
            page_info: self.page_info,
            total: self.total,
        }
    }
}

/// The arguments every related list takes.
#[derive(Debug, Clone, Default)]
pub struct RelatedArgs {
    pub page: PageArgs,
    pub updated_since: Option<DateTime<Utc>>,
    pub order: RelatedOrder,
}

impl RelatedArgs {
    /// How many records the page holds when it is the start of the relation in its own order
    /// (no cursor, no filter, no other order): what a batch may bring along for the page alone.
    pub fn prefix_len(&self) -> Option<usize> {
        let PageArgs {
            first,
            after: None,
            last: None,
            before: None,
        } = &self.page
        else {
            return None;
        };
        let natural = self.order.field == RelatedOrderField::Natural
            && self.order.direction == OrderDirection::Asc;
        if !natural || self.updated_since.is_some() {
            return None;
        }
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        (0..=MAX_PAGE_SIZE)
            .contains(&first)
            .then_some(first as usize)
    }
}

/// Pages a related list loaded whole: filters on `updatedSince`, orders, then cuts the page.
/// Cursors hold the record's id, so a page continues after the same record even when others
/// were added or removed meanwhile.
pub fn page_related<T: persistence::Stored>(
    items: Vec<T>,
    args: &RelatedArgs,
) -> Result<Paged<T>, ApiError> {
    let tag = match args.order.field {
        RelatedOrderField::Natural => "NATURAL",
        RelatedOrderField::UpdatedAt => "UPDATED_AT",
    };
    let request = args.page.request(tag)?;
    let mut items: Vec<T> = match args.updated_since {
        Some(since) => items
            .into_iter()
            .filter(|item| item.stamp().updated_at >= since)
            .collect(),
        None => items,
    };
    if args.order.field == RelatedOrderField::UpdatedAt {
        items.sort_by_key(|item| (item.stamp().updated_at, item.id()));
    }
    if args.order.direction == OrderDirection::Desc {
        items.reverse();
    }
    let total = items.len();
    let position = |argument: &str, cursor: &Cursor| {
        items
            .iter()
            .position(|item| item.id() == cursor.id)
            .ok_or_else(|| {
                ApiError::bad_input(
                    argument,
                    "this cursor points at a record no longer in the list",
                )
            })
    };
    let start = match &request.after {
        Some(cursor) => position("after", cursor)? + 1,
        None => 0,
    };
    let end = match &request.before {
        Some(cursor) => position("before", cursor)?,
        None => items.len(),
    };
    let (from, to) = if start >= end {
        (start, start)
    } else if request.backward {
        (end.saturating_sub(request.limit).max(start), end)
    } else {
        (start, (start + request.limit).min(end))
    };
    let cursor_of = |item: &T| {
        let value = match args.order.field {
            RelatedOrderField::Natural => SortValue::Int(item.id() as i64),
            RelatedOrderField::UpdatedAt => SortValue::Time(item.stamp().updated_at),
        };
        EdgeCursor::new(
            tag,
            Cursor {
                value,
                id: item.id(),
            },
        )
    };
    let page_info = PageInfo {
        has_next_page: to < end,
        has_previous_page: from > start,
        start_cursor: items.get(from..to).and_then(|s| s.first()).map(cursor_of),
        end_cursor: items.get(from..to).and_then(|s| s.last()).map(cursor_of),
    };
    let items = items
        .drain(from..to)
        .map(|item| (cursor_of(&item), item))
        .collect();
    Ok(Paged {
        items,
        page_info,
        total: Total::Known(total),
    })
}

/// Declares a connection type and its edge type for a node type.
macro_rules! connection {
    ($connection:ident, $edge:ident, $node:ty, $doc:literal, $edge_doc:literal) => {
        pub struct $edge {
            cursor: $crate::schema::connection::EdgeCursor,
            node: $node,
        }

        #[doc = $edge_doc]
        #[async_graphql::Object]
        impl $edge {
            /// An opaque cursor: pass it as `after` or `before` to page from this record.
            async fn cursor(&self) -> String {
                self.cursor.encode()
            }

            /// The record.
            async fn node(&self) -> &$node {
                &self.node
            }
        }

        pub struct $connection {
            edges: Vec<$edge>,
            page_info: $crate::schema::connection::PageInfo,
            total: $crate::schema::connection::Total,
        }

        #[doc = $doc]
        #[async_graphql::Object]
        impl $connection {
            /// The records of this page, each with its cursor.
            async fn edges(&self) -> &[$edge] {
                &self.edges
            }

            /// The records of this page.
            async fn nodes(&self) -> Vec<&$node> {
                self.edges.iter().map(|edge| &edge.node).collect()
            }

            /// Where this page stands in the list.
            async fn page_info(&self) -> &$crate::schema::connection::PageInfo {
                &self.page_info
            }

            /// How many records the whole list holds, across all pages (counted only when asked).
            async fn total_count(
                &self,
                ctx: &async_graphql::Context<'_>,
            ) -> async_graphql::Result<u64> {
                self.total.count(ctx).await
            }
        }

        impl From<$crate::schema::connection::Paged<$node>> for $connection {
            fn from(paged: $crate::schema::connection::Paged<$node>) -> Self {
                $connection {
                    edges: paged
                        .items
                        .into_iter()
                        .map(|(cursor, node)| $edge { cursor, node })
                        .collect(),
                    page_info: paged.page_info,
                    total: paged.total,
                }
            }
        }
    };
}

pub(crate) use connection;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_round_trips_and_keeps_its_ordering() {
        let cursor = Cursor {
            value: SortValue::Text("a|b".into()),
            id: 7,
        };
        let text = encode_cursor("NAME", &cursor);
        assert_eq!(decode_cursor("after", &text, "NAME").unwrap(), cursor);
        assert!(decode_cursor("after", &text, "POPULATION").is_err());
        assert!(
            decode_cursor("after", "garbage", "NAME")
                .unwrap_err()
                .to_string()
                .starts_with("after: ")
        );
    }

    #[test]
    fn a_page_larger_than_the_cap_is_refused_with_the_cap() {
        let args = PageArgs {
            first: Some(1000),
            ..Default::default()
        };
        let error = args.request("NAME").unwrap_err().to_string();
        assert!(error.contains("100"), "{error}");
    }
}
