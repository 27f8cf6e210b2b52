//! Bulk exports: every record of a kind, a page at a time in id order, as the caller may see
//! it.
//!
//! A page is one statement (`id > after ORDER BY id LIMIT n`, through the primary key), so an
//! export of any size holds one page in memory and never an `OFFSET`. Pages are read one after
//! another, not in one transaction: an export is not a snapshot, and a record written while it
//! runs may or may not be in it (`changes::position` says where the trail stood before it
//! started, for a reader who then follows the change feed).
//!
//! Which drafts a caller sees is the rule the top-level lists apply in SQL
//! (`list::shown_partnerships`), on the partnership itself or on a part's link to it; this
//! module states no rule of its own.

use std::collections::{HashMap, HashSet};

use domain::Id;
use domain::access::DraftScope;
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::partnership;
use crate::list::shown_partnerships;
use crate::stored::{Stored, fetch, one_of};
use crate::{Db, Error};

/// A kind of record an export reads, with what hides some of its records from some callers.
pub trait Exported: Stored {
    /// The condition a record must meet to be shown to a caller who sees `drafts`; none when
    /// every record of the kind is public.
    #[doc(hidden)]
    fn shown(drafts: DraftScope) -> Option<SimpleExpr> {
        let _ = drafts;
        None
    }
}

macro_rules! public {
    ($($type:ty),* $(,)?) => {
        $(impl Exported for $type {})*
    };
}

public!(
    domain::city::City,
    domain::organisation::Organisation,
    domain::person::Person,
    domain::person::ContactPoint,
    domain::mandate::Mandate,
    domain::membership::Membership,
    domain::group_purchase::GroupPurchase,
    domain::group_purchase::Participation,
);

/// A draft partnership is shown to who sees it.
impl Exported for domain::partnership::Partnership {
    fn shown(drafts: DraftScope) -> Option<SimpleExpr> {
        shown_partnerships("id", drafts)
    }
}

/// A party belongs to its partnership (`domain::ownership`): shown when the partnership is.
impl Exported for domain::partnership::Party {
    fn shown(drafts: DraftScope) -> Option<SimpleExpr> {
        shown_partnerships("partnership_id", drafts)
    }
}

/// The first `limit` records of `T` after id `after` (from the first when none) that a caller
/// who sees `drafts` may see, in id order, in one statement.
pub async fn page<T: Exported>(
    db: &Db,
    after: Option<Id>,
    limit: usize,
    drafts: DraftScope,
) -> Result<Vec<T>, Error> {
    let mut select = T::Entity::find();
    if let Some(after) = after {
        select = select.filter(Expr::col("id").gt(after));
    }
    if let Some(shown) = T::shown(drafts) {
        select = select.filter(shown);
    }
    let select = select.order_by_asc(Expr::col("id")).limit(limit as u64);
    fetch(db, select).await
}

/// A page of mandates (`page`), each with the days sources attest it: one more statement.
pub async fn mandates(
    db: &Db,
    after: Option<Id>,
    limit: usize,
) -> Result<Vec<domain::mandate::Mandate>, Error> {
    let bare: Vec<domain::mandate::Mandate> = page(db, after, limit, DraftScope::All).await?;
    let ids: Vec<Id> = bare.iter().map(|mandate| mandate.id).collect();
    let mut attested = crate::mandate::by_ids(db, &ids).await?;
    Ok(bare
        .into_iter()
        .map(|mandate| attested.remove(&mandate.id).unwrap_or(mandate))
        .collect())
}

/// Among these partnerships, those a caller who sees `drafts` may see, in one statement: what
/// an exported record may name (a group purchase's origin, the agreement a partnership
/// continues) without giving away a draft.
pub async fn shown_partnership_ids(
    db: &Db,
    ids: &[Id],
    drafts: DraftScope,
) -> Result<HashSet<Id>, Error> {
    let Some(shown) = shown_partnerships("id", drafts) else {
        return Ok(ids.iter().copied().collect());
    };
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<i32> = partnership::Entity::find()
        .select_only()
        .column(partnership::Column::Id)
        .filter(one_of(db, "id", ids.iter().copied()))
        .filter(shown)
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(found.into_iter().collect())
}

/// The slugs of these records of `T`, in one statement: how an exported row names the records
/// it points at, beside their ids.
pub async fn slugs<T: Stored>(
    db: &Db,
    ids: impl IntoIterator<Item = Id>,
) -> Result<HashMap<Id, String>, Error> {
    text_column::<T>(db, "slug", ids).await
}

/// The names of these cities or organisations, in one statement: what an OCDS party is
/// called.
pub async fn names<T: Stored>(
    db: &Db,
    ids: impl IntoIterator<Item = Id>,
) -> Result<HashMap<Id, String>, Error> {
    text_column::<T>(db, "name", ids).await
}

/// A text column of these records of `T`, by id.
async fn text_column<T: Stored>(
    db: &Db,
    column: &'static str,
    ids: impl IntoIterator<Item = Id>,
) -> Result<HashMap<Id, String>, Error> {
    let mut ids: Vec<Id> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String)> = T::Entity::find()
        .select_only()
        .expr(Expr::col("id"))
        .expr(Expr::col(column))
        .filter(one_of(db, "id", ids))
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(rows.into_iter().collect())
}
