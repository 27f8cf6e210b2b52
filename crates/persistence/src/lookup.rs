//! Single-record lookups by the identifiers people hold: a slug, or an official code within
//! a country.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QuerySelect};

use crate::stored::{Stored, fetch};
use crate::{Db, Error};

/// How people name a record, besides its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'a> {
    /// Its slug (`terrebonne`): unique within its kind, by index.
    Slug(&'a str),
    /// Its official code within its country (`FR`, `95018`): a city's or an organisation's,
    /// unique by index.
    OfficialCode { country: &'a str, code: &'a str },
}

/// The record of `T` that people name by `key`, if any, in one statement. Only cities and
/// organisations have official codes.
pub async fn by_key<T: Stored>(db: &Db, key: Key<'_>) -> Result<Option<T>, Error> {
    let select = match key {
        Key::Slug(slug) => T::Entity::find().filter(Expr::col("slug").eq(slug)),
        Key::OfficialCode { country, code } => T::Entity::find()
            .filter(Expr::col("country").eq(country))
            .filter(Expr::col("official_code").eq(code)),
    };
    let records: Vec<T> = fetch(db, select.limit(1)).await?;
    Ok(records.into_iter().next())
}

/// The city with this official code (INSEE, NIS, Québec geographic code) in this country.
pub async fn city_by_official_code(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<domain::city::City>, Error> {
    by_key(db, Key::OfficialCode { country, code }).await
}

/// The organisation with this official code (a SIREN in France) in this country.
pub async fn organisation_by_official_code(
    db: &Db,
    country: &str,
    code: &str,
) -> Result<Option<domain::organisation::Organisation>, Error> {
    by_key(db, Key::OfficialCode { country, code }).await
}

/// Whether no source is stored yet: a new database, to be seeded.
pub async fn is_empty(db: &Db) -> Result<bool, Error> {
    use sea_orm::PaginatorTrait;
    Ok(crate::entity::source::Entity::find()
        .count(db.conn())
        .await?
        == 0)
}
