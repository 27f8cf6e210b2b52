//! Single-record lookups by the identifiers people hold.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter};

use crate::entity::{city, organisation};
use crate::{Db, Error};

/// The row of `E` with this official code in this country (unique by index).
async fn by_official_code<E: EntityTrait>(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<E::Model>, Error> {
    Ok(E::find()
        .filter(Expr::col("country").eq(country))
        .filter(Expr::col("official_code").eq(code))
        .one(db.conn())
        .await?)
}

/// The city with this official code (INSEE, NIS, Québec geographic code) in this country.
pub async fn city_by_official_code(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<domain::city::City>, Error> {
    let row = by_official_code::<city::Entity>(db, country, code).await?;
    row.map(crate::rows::city).transpose()
}

/// The organisation with this official code (a SIREN in France) in this country.
pub async fn organisation_by_official_code(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<domain::organisation::Organisation>, Error> {
    let row = by_official_code::<organisation::Entity>(db, country, code).await?;
    row.map(crate::rows::organisation).transpose()
}

/// Whether no source is stored yet: a new database, to be seeded.
pub async fn is_empty(db: &Db) -> Result<bool, Error> {
    use sea_orm::PaginatorTrait;
    Ok(crate::entity::source::Entity::find()
        .count(db.conn())
        .await?
        == 0)
}
