//! What a list's arguments become: for a top-level list, the order asked for (by default by
//! relevance to a search, or by name) and its page request; for a record's related lists,
//! their page, filter and order. Cursors and pages themselves are `connection`'s.

use async_graphql::{Enum, ErrorExtensions, InputObject, Result};
use persistence::list::{Common, OrderField};

use crate::schema::connection::{OrderDirection, PageArgs, RelatedArgs, RelatedOrder};
use crate::schema::list_filter::RelatedFilter;
use crate::schema::scalars::Timestamp;

/// What to sort cities by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CityOrderField {
    /// By name, ignoring case and accents.
    #[default]
    Name,
    /// By population (unknown first when ascending).
    Population,
    /// By time of last change, to sync incrementally.
    UpdatedAt,
    /// By how well the name matches `filter.search`: the name itself first, then names that
    /// start with it, then names with a word that starts with it, then the rest; within each,
    /// the most populous first (unknown populations last). The default when `search` is given;
    /// without a search, by name.
    Relevance,
}

/// The order of a list of cities (by name; by relevance when `filter.search` is given).
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct CityOrder {
    /// What to sort by.
    #[graphql(default)]
    pub field: CityOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// What to sort a list by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrderField {
    /// By name or title, ignoring case and accents (themes and sources by slug).
    #[default]
    Name,
    /// By time of last change, to sync incrementally.
    UpdatedAt,
    /// By how well the name or title matches `filter.search`: the name itself first, then
    /// names that start with it, then names with a word that starts with it, then the rest;
    /// within each, by name. The default when `search` is given; without a search, by name.
    Relevance,
}

/// The order of a list (by name; by relevance when `filter.search` is given).
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct ListOrder {
    /// What to sort by.
    #[graphql(default)]
    pub field: ListOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// What a top-level list starts with: its order and its page request, read from its
/// arguments.
pub(super) struct ListRequest {
    pub field: OrderField,
    pub direction: persistence::page::Direction,
    /// The order's name, kept in cursors so that a cursor of another order is refused.
    pub tag: &'static str,
    pub request: persistence::page::PageRequest,
}

/// The order and page request of a list ordered by name, title or slug, update time or
/// relevance.
pub(super) fn list_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    order_by: Option<ListOrder>,
    search: Option<&str>,
) -> Result<ListRequest> {
    let (field, direction) = list_order(order_by, search);
    let tag = order_tag(field);
    let request = page_args(first, after, last, before)
        .request(tag)
        .map_err(|e| e.extend())?;
    Ok(ListRequest {
        field,
        direction,
        tag,
        request,
    })
}

/// The order and page request of a list of cities: by default by relevance to a search, or by
/// name without one.
pub(super) fn city_list_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    order_by: Option<CityOrder>,
    search: Option<&str>,
) -> Result<ListRequest> {
    let order = order_by.unwrap_or(CityOrder {
        field: if searching(search) {
            CityOrderField::Relevance
        } else {
            CityOrderField::Name
        },
        direction: OrderDirection::Asc,
    });
    let field = match order.field {
        CityOrderField::Name => OrderField::Name,
        CityOrderField::Population => OrderField::Population,
        CityOrderField::UpdatedAt => OrderField::UpdatedAt,
        CityOrderField::Relevance if searching(search) => OrderField::Relevance,
        CityOrderField::Relevance => OrderField::Name,
    };
    // Ranked cities tie by population: their sort key is a number, not a text.
    let tag = match field {
        OrderField::Relevance => "RELEVANCE_POPULATION",
        other => order_tag(other),
    };
    let request = page_args(first, after, last, before)
        .request(tag)
        .map_err(|e| e.extend())?;
    Ok(ListRequest {
        field,
        direction: order.direction.into(),
        tag,
        request,
    })
}

/// What every top-level list filters on: a search and a time of last change.
pub(super) fn common(search: Option<String>, updated_since: Option<Timestamp>) -> Common {
    Common {
        search,
        updated_since: updated_since.map(Into::into),
    }
}

/// The page, filter and order a related list is asked for.
pub(crate) fn related_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    filter: Option<RelatedFilter>,
    order_by: Option<RelatedOrder>,
) -> RelatedArgs {
    RelatedArgs {
        page: PageArgs {
            first,
            after,
            last,
            before,
        },
        updated_since: filter.and_then(|f| f.updated_since).map(Into::into),
        order: order_by.unwrap_or_default(),
    }
}

/// The order asked for; by default by relevance to a search, or by name without one.
fn list_order(
    order: Option<ListOrder>,
    search: Option<&str>,
) -> (OrderField, persistence::page::Direction) {
    let order = order.unwrap_or(ListOrder {
        field: if searching(search) {
            ListOrderField::Relevance
        } else {
            ListOrderField::Name
        },
        direction: OrderDirection::Asc,
    });
    let field = match order.field {
        ListOrderField::Name => OrderField::Name,
        ListOrderField::UpdatedAt => OrderField::UpdatedAt,
        ListOrderField::Relevance if searching(search) => OrderField::Relevance,
        ListOrderField::Relevance => OrderField::Name,
    };
    (field, order.direction.into())
}

/// Whether a list has a search to rank by (one that folds to nothing names nothing either).
fn searching(search: Option<&str>) -> bool {
    search.is_some_and(|search| !domain::search::fold(search).is_empty())
}

/// The name of an order, which its cursors carry.
fn order_tag(field: OrderField) -> &'static str {
    match field {
        OrderField::Name => "NAME",
        OrderField::Population => "POPULATION",
        OrderField::UpdatedAt => "UPDATED_AT",
        OrderField::Relevance => "RELEVANCE",
    }
}

fn page_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        first,
        after,
        last,
        before,
    }
}
