//! Keyset pages over a filtered, ordered query: no OFFSET, so cursors stay valid while rows
//! come and go, and no `COUNT(*)` unless the caller asks for the total.

use chrono::{DateTime, Utc};
use domain::Id;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SelectStatement};
use sea_orm::{
    ConnectionTrait, EntityTrait, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

use crate::stored::Stored;
use crate::{Db, Error};

/// The value of a record's sort key, as kept in a cursor.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SortValue {
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
}

/// A position in an ordered list: the sort key and id of the record before which (or after
/// which) the page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub value: SortValue,
    pub id: Id,
}

/// Which way a list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Asc,
    Desc,
}

/// One page of a list, as asked for: `limit` records after `after`, or — when `backward` —
/// the last `limit` records before `before`.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    pub limit: usize,
    pub backward: bool,
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
}

/// A page of records, each with its cursor.
#[derive(Debug)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total: Total,
}

/// The size of the whole filtered list, counted only when asked for.
#[derive(Debug, Clone)]
pub struct Total(SelectStatement);

impl Total {
    /// Runs one `COUNT(*)` over the filtered list, ignoring the page.
    pub async fn count(&self, db: &Db) -> Result<u64, Error> {
        let count = Query::select()
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("total"))
            .from_subquery(self.0.clone(), Alias::new("filtered"))
            .to_owned();
        let row = db
            .conn()
            .query_one_raw(db.planned_for_values(&count))
            .await?;
        let total: i64 = match row {
            Some(row) => row.try_get("", "total")?,
            None => 0,
        };
        Ok(u64::try_from(total).unwrap_or(0))
    }
}

/// How a list of `T` is sorted: an SQL expression, and how to read its value off a record.
pub struct SortKey<T> {
    pub expression: Expr,
    pub value: fn(&T) -> SortValue,
}

impl From<SortValue> for sea_orm::Value {
    fn from(value: SortValue) -> Self {
        match value {
            SortValue::Text(text) => text.into(),
            SortValue::Int(number) => number.into(),
            SortValue::Time(time) => time.into(),
        }
    }
}

/// Records strictly beyond the cursor when walking in `direction`.
fn beyond(key: &Expr, cursor: &Cursor, direction: Direction) -> Expr {
    let value = sea_orm::Value::from(cursor.value.clone());
    match direction {
        Direction::Asc => key
            .clone()
            .gt(value.clone())
            .or(key.clone().eq(value).and(Expr::col("id").gt(cursor.id))),
        Direction::Desc => key
            .clone()
            .lt(value.clone())
            .or(key.clone().eq(value).and(Expr::col("id").lt(cursor.id))),
    }
}

fn reversed(direction: Direction) -> Direction {
    match direction {
        Direction::Asc => Direction::Desc,
        Direction::Desc => Direction::Asc,
    }
}

/// Fetches one page of `select` in one statement (`limit + 1` rows, to know whether more follow).
pub async fn fetch<T: Stored>(
    db: &Db,
    select: Select<T::Entity>,
    key: SortKey<T>,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<T>, Error>
where
    <T::Entity as EntityTrait>::Model: Sync,
{
    let value = key.value;
    fetch_with(
        db,
        select,
        key.expression,
        direction,
        request,
        |_, record| Ok(value(record)),
    )
    .await
}

/// The type of a sort key read back from the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SelectedKey {
    Int,
    Text,
}

/// Fetches one page ordered by `expression`, whose value each row also brings back (as
/// `page_key`) for its cursor: for a key that depends on more than the record, such as a
/// search's rank, and that the record alone cannot recompute.
pub(crate) async fn fetch_selected<T: Stored>(
    db: &Db,
    select: Select<T::Entity>,
    expression: Expr,
    kind: SelectedKey,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<T>, Error>
where
    <T::Entity as EntityTrait>::Model: Sync,
{
    let select = select.expr_as(expression.clone(), "page_key");
    fetch_with(db, select, expression, direction, request, |row, _| {
        Ok(match kind {
            SelectedKey::Int => SortValue::Int(row.try_get("", "page_key")?),
            SelectedKey::Text => SortValue::Text(row.try_get("", "page_key")?),
        })
    })
    .await
}

/// One page ordered by `expression` and then the id, each record's cursor value read by
/// `value` from its row or the record.
async fn fetch_with<T: Stored>(
    db: &Db,
    select: Select<T::Entity>,
    expression: Expr,
    direction: Direction,
    request: &PageRequest,
    value: impl Fn(&sea_orm::QueryResult, &T) -> Result<SortValue, Error>,
) -> Result<Page<T>, Error>
where
    <T::Entity as EntityTrait>::Model: Sync,
{
    let key = expression;
    let total = Total(
        select
            .clone()
            .select_only()
            .expr(Expr::col("id"))
            .into_query(),
    );
    let walk = if request.backward {
        reversed(direction)
    } else {
        direction
    };
    let mut select = select;
    if let Some(after) = &request.after {
        select = select.filter(beyond(&key, after, direction));
    }
    if let Some(before) = &request.before {
        select = select.filter(beyond(&key, before, reversed(direction)));
    }
    let order = match walk {
        Direction::Asc => Order::Asc,
        Direction::Desc => Order::Desc,
    };
    let query = select
        .order_by(key, order.clone())
        .order_by(Expr::col("id"), order)
        .limit(request.limit as u64 + 1)
        .into_query();
    let mut rows = db
        .conn()
        .query_all_raw(db.planned_for_values(&query))
        .await?;
    let more = rows.len() > request.limit;
    rows.truncate(request.limit);
    if request.backward {
        rows.reverse();
    }
    let records: Vec<T> = crate::stored::decode(&rows)?;
    let items = rows
        .iter()
        .zip(records)
        .map(|(row, record)| {
            Ok((
                Cursor {
                    value: value(row, &record)?,
                    id: record.id(),
                },
                record,
            ))
        })
        .collect::<Result<_, Error>>()?;
    let (has_next_page, has_previous_page) = if request.backward {
        (request.before.is_some(), more)
    } else {
        (more, request.after.is_some())
    };
    Ok(Page {
        items,
        has_next_page,
        has_previous_page,
        total,
    })
}

/// Escapes a folded search term for a `LIKE` pattern, with `\` as the escape character.
pub(crate) fn like_escape(folded: &str) -> String {
    folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Escapes a folded search term for `LIKE '%term%'`.
pub(crate) fn contains_pattern(folded: &str) -> String {
    format!("%{}%", like_escape(folded))
}

/// `column LIKE '%term%'` on a folded name, with `\` as the escape character on both databases.
pub(crate) fn name_contains(column: &'static str, search: &str) -> Expr {
    let pattern = contains_pattern(&domain::search::fold(search));
    Expr::col(column).like(LikeExpr::new(pattern).escape('\\'))
}
