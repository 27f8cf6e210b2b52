//! Single-record lookups by the identifiers people hold.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter};

use crate::entity::city;
use crate::{Db, Error};

/// The city with this official code (INSEE, NIS, Québec geographic code) in this country.
pub async fn city_by_official_code(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<domain::city::City>, Error> {
    let row = city::Entity::find()
        .filter(Expr::col("country").eq(country))
        .filter(Expr::col("official_code").eq(code))
        .one(db.conn())
        .await?;
    row.map(crate::rows::city).transpose()
}

/// Whether no source is stored yet: a new database, to be seeded.
pub async fn is_empty(db: &Db) -> Result<bool, Error> {
    use sea_orm::PaginatorTrait;
    Ok(crate::entity::source::Entity::find()
        .count(db.conn())
        .await?
        == 0)
}
