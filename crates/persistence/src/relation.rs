//! Batches behind the API's relations: one statement (two for a link table) for any number of
//! parents, grouped by parent. The API's DataLoaders call these; nothing else loads relations.

use std::collections::HashMap;

use domain::Id;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::Query;

use crate::stored::{Stored, by_ids, children, group};
use crate::{Db, Error};

/// Records of `T` whose `column` points at one of `parent_ids`, grouped by that parent.
pub async fn one_to_many<T: Stored>(
    db: &Db,
    column: &'static str,
    parent_ids: &[Id],
    order: &[&'static str],
    parent: fn(&T) -> Option<Id>,
) -> Result<HashMap<Id, Vec<T>>, Error> {
    Ok(group(
        children(db, column, parent_ids, order).await?,
        parent,
    ))
}

/// The select behind `one_to_many`, its columns named with their table so that joins may
/// follow.
pub(crate) fn children_select<T: Stored>(
    db: &Db,
    column: &'static str,
    parent_ids: &[Id],
    order: &[&'static str],
) -> sea_orm::Select<T::Entity> {
    use sea_orm::sea_query::Expr;
    use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

    let mut select = T::Entity::find().filter(crate::stored::one_of_in(
        db,
        T::TABLE,
        column,
        parent_ids.iter().copied(),
    ));
    for column in order.iter().chain(&["id"]) {
        select = select.order_by_asc(Expr::col((T::TABLE, *column)));
    }
    select
}

/// `one_to_many`, with the record each child points at (`T`, a `Related` join) brought along
/// in the same statement.
pub async fn one_to_many_joined<C, T>(
    db: &Db,
    column: &'static str,
    parent_ids: &[Id],
    order: &[&'static str],
    parent: fn(&C) -> Option<Id>,
) -> crate::Joined<C, T>
where
    C: Stored,
    T: Stored,
    C::Entity: sea_orm::Related<T::Entity>,
{
    if parent_ids.is_empty() {
        return Ok(Default::default());
    }
    use crate::entity::FromRowAt;
    use sea_orm::EntityTrait;
    let select =
        children_select::<C>(db, column, parent_ids, order).find_also_related(T::Entity::default());
    let rows = crate::stored::rows_of(db, select).await?;
    let mut children = Vec::with_capacity(rows.len());
    let mut targets = Vec::new();
    let target_at = <C::Entity as EntityTrait>::Model::COLUMNS;
    for row in &rows {
        children.push(C::from_row(
            <C::Entity as EntityTrait>::Model::from_row_at(row, 0)?,
        )?);
        if let Some(target) =
            <T::Entity as EntityTrait>::Model::from_row_at_optional(row, target_at)?
        {
            targets.push(T::from_row(target)?);
        }
    }
    Ok((group(children, parent), targets))
}

/// The ids a link table pairs with each of `ids`: `(left → right)` pairs, in one statement.
pub async fn link_ids(
    db: &Db,
    table: &'static str,
    left: &'static str,
    right: &'static str,
    ids: &[Id],
) -> Result<HashMap<Id, Vec<Id>>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let query = Query::select()
        .columns([left, right])
        .from(table)
        .and_where(crate::stored::one_of(db, left, ids.iter().copied()))
        .order_by(right, sea_orm::Order::Asc)
        .to_owned();
    let rows = db.conn().query_all(&query).await?;
    let mut links: HashMap<Id, Vec<Id>> = HashMap::new();
    for row in rows {
        let from: i32 = row.try_get("", left)?;
        let to: i32 = row.try_get("", right)?;
        links.entry(from).or_default().push(to);
    }
    Ok(links)
}

/// Records of `T` linked to each of `ids` through a link table: two statements in all.
pub async fn many_to_many<T: Stored>(
    db: &Db,
    table: &'static str,
    left: &'static str,
    right: &'static str,
    ids: &[Id],
) -> Result<HashMap<Id, Vec<T>>, Error> {
    let links = link_ids(db, table, left, right, ids).await?;
    let mut targets: Vec<Id> = links.values().flatten().copied().collect();
    targets.sort_unstable();
    targets.dedup();
    let records = by_ids::<T>(db, &targets).await?;
    Ok(links
        .into_iter()
        .map(|(id, linked)| {
            (
                id,
                linked
                    .iter()
                    .filter_map(|target| records.get(target).cloned())
                    .collect(),
            )
        })
        .collect())
}

/// The ids a link table pairs with one record, inside a transaction.
pub(crate) async fn link_ids_in(
    tx: &impl ConnectionTrait,
    table: &'static str,
    left: &'static str,
    right: &'static str,
    id: Id,
) -> Result<Vec<Id>, Error> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    let query = Query::select()
        .column(right)
        .from(table)
        .and_where(Expr::col(left).eq(id))
        .to_owned();
    let rows = tx.query_all(&query).await?;
    rows.into_iter()
        .map(|row| Ok(row.try_get("", right)?))
        .collect()
}
