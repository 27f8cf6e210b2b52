//! Possible duplicates of a record just written: the others of its kind named alike in its
//! place, as `domain::namesake` says.

use domain::namesake::{Namesake, may_duplicate, name_key};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter};

use crate::stored::{Stored, fetch};
use crate::{Db, Error};

/// The other records of `T` that may be `record` entered twice, in one statement: those whose
/// folded search name is its name's, or starts with it (an organisation's acronym follows its
/// name there), kept by the domain's rule.
pub async fn possible_duplicates<T: Stored + Namesake>(
    db: &Db,
    record: &T,
) -> Result<Vec<T>, Error> {
    let key = name_key(record.name());
    let select = T::Entity::find()
        .filter(Expr::col("id").ne(Namesake::id(record)))
        .filter(
            Expr::col("search_name")
                .eq(key.as_str())
                .or(Expr::col("search_name").like(format!("{key} %"))),
        );
    let candidates: Vec<T> = fetch(db, select).await?;
    Ok(candidates
        .into_iter()
        .filter(|candidate| may_duplicate(record, candidate))
        .collect())
}
