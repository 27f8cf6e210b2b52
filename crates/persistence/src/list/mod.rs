//! The top-level lists of the directory: filters, orders and keyset pages, one file per part
//! of the directory (`directory`, `agreements`, `collective_action`), the ranked search in
//! `search`, and here what every list shares: orders, the common filters, sort keys and the
//! conditions that follow links (themes, memberships, link tables).

mod agreements;
mod collective_action;
mod directory;
mod search;

use chrono::{DateTime, NaiveDate, Utc};
use domain::Id;
use domain::access::DraftScope;
use domain::search::fold;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::{DatabaseBackend, EntityTrait, QueryFilter, Select};

use crate::entity::*;
use crate::page::{
    self, Direction, Page, PageRequest, SortKey, SortValue, fetch, like_escape, name_contains,
};
use crate::stored::Stored;
use crate::{Db, Error};

pub use agreements::*;
pub use collective_action::*;
pub use directory::*;
use search::{Tiebreak, name_search, ranked_or};

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderField {
    /// By name (folded: accents and case do not count); themes and sources by slug.
    #[default]
    Name,
    /// By population, unknown last when ascending (cities only).
    Population,
    /// By time of last change: what incremental sync walks.
    UpdatedAt,
    /// By how well the name matches the search (`relevance`); by name without a search.
    Relevance,
}

/// The filters every list takes.
#[derive(Debug, Clone, Default)]
pub struct Common {
    /// Only records changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only records whose name contains this text, ignoring case and accents.
    pub search: Option<String>,
}

fn updated_key<T: Stored>() -> SortKey<T> {
    SortKey {
        expression: Expr::col("updated_at"),
        value: |record| SortValue::Time(record.stamp().updated_at),
    }
}

fn key<T: Stored>(order: OrderField, name: fn(&T) -> SortValue) -> SortKey<T> {
    match order {
        OrderField::UpdatedAt => updated_key(),
        OrderField::Name | OrderField::Population | OrderField::Relevance => SortKey {
            expression: Expr::col("search_name"),
            value: name,
        },
    }
}

fn slug_key<T: Stored>(order: OrderField, slug: fn(&T) -> SortValue) -> SortKey<T> {
    match order {
        OrderField::UpdatedAt => updated_key(),
        _ => SortKey {
            expression: Expr::col("slug"),
            value: slug,
        },
    }
}

fn common<E: EntityTrait>(mut select: Select<E>, common: &Common, db: &Db) -> Select<E> {
    if let Some(since) = common.updated_since {
        select = select.filter(Expr::col("updated_at").gte(since));
    }
    if let Some(search) = common.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let table = E::default().table_name();
        select = select.filter(name_search(table, db.conn().get_database_backend(), search));
    }
    select
}

/// Ids of the themes with these slugs and of their children: a filter on a broad theme
/// finds records tagged with a narrower one.
pub(crate) fn themes_and_children(slugs: &[String]) -> SelectStatement {
    let named = Query::select()
        .column("id")
        .from("theme")
        .and_where(Expr::col("slug").is_in(slugs.iter().cloned()))
        .to_owned();
    Query::select()
        .column("id")
        .from("theme")
        .and_where(
            Expr::col("slug")
                .is_in(slugs.iter().cloned())
                .or(Expr::col("parent_id").in_subquery(named)),
        )
        .to_owned()
}

/// Records of `table` linked to one of the themes (or their children) through the table's
/// link table, named by the convention of every one of them: `partnership_theme`, whose
/// `partnership_id` points at the partnership.
///
/// SQLite gets `EXISTS`, not `id IN (…)`: it then walks the list in its order and stops at
/// the page's end, probing the link table's key for each record (0.6 ms for a page of 50
/// partnerships on a theme among 20,000, against 5.3 ms for a scan of the whole link table).
///
/// PostgreSQL gets the theme's records as a hashed set, built once per statement from the
/// `(theme_id, record)` index, which each listed row then looks up. With `EXISTS` it probed
/// the link table's key for every row it walked (686 probes for that page, two thirds of
/// the statement's time: 1.0 ms against 0.67 ms now under pgbench). `IS TRUE` keeps the
/// planner from turning `IN` into a join, which would probe again; the theme ids come as
/// an array computed once, since a subquery there joined the theme table again for each
/// row. The set costs in proportion to the theme's records, never to the table's.
fn linked_to_themes(db: &Db, table: &'static str, slugs: &[String]) -> Expr {
    let link_table = format!("{table}_theme");
    let record_column = format!("{table}_id");
    let themes = themes_and_children(slugs);
    match db.conn().get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust_with_exprs(
            format!(
                "(\"{table}\".\"id\" IN (SELECT \"{record_column}\" FROM \"{link_table}\" \
                 WHERE \"theme_id\" = ANY(ARRAY($1)))) IS TRUE"
            ),
            [SimpleExpr::SubQuery(None, Box::new(themes.into()))],
        ),
        _ => Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(link_table.clone())
                .and_where(Expr::col((link_table, record_column)).equals((table, "id")))
                .and_where(Expr::col("theme_id").in_subquery(themes))
                .to_owned(),
        ),
    }
}

fn members_of(column: &'static str, organisation: Id) -> Expr {
    Expr::col("id").in_subquery(
        Query::select()
            .column(column)
            .from("membership")
            .and_where(Expr::col("organisation_id").eq(organisation))
            .to_owned(),
    )
}

/// Records whose `column` is one of the values of `link_column` in the rows of `link_table`
/// where `filter_column` is `value`: "programmes this organisation organises".
fn through(
    link_table: &'static str,
    link_column: &'static str,
    filter_column: &'static str,
    value: Id,
) -> Expr {
    Expr::col("id").in_subquery(
        Query::select()
            .column(link_column)
            .from(link_table)
            .and_where(Expr::col(filter_column).eq(value))
            .to_owned(),
    )
}
