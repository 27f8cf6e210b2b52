//! Writes to themes: the vocabulary records are tagged with, broad themes above narrower ones.

use domain::Id;
use domain::search::fold;
use domain::theme::Theme;
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use serde_json::json;

use crate::entity::theme;
use crate::rows;
use crate::write::{Field, Unit, WriteError, insert_new};

/// A new theme.
#[derive(Debug, Clone)]
pub struct NewTheme {
    pub slug: String,
    pub label_fr: String,
    pub label_en: String,
    /// The broader theme it narrows.
    pub parent_id: Option<Id>,
    pub description: Option<String>,
}

/// Adds a theme to the vocabulary (editors).
pub async fn create(unit: &Unit, new: NewTheme) -> Result<Theme, WriteError> {
    unit.actor().check_editor()?;
    domain::slug::Slug::parse(&new.slug)?;
    domain::validate::check_name("french label", &new.label_fr)?;
    domain::validate::check_name("english label", &new.label_en)?;
    if let Some(parent_id) = new.parent_id
        && theme::Entity::find_by_id(parent_id)
            .one(unit.tx())
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound(Field::Parent));
    }
    let row = theme::ActiveModel {
        search_name: Set(fold(&format!("{} {}", new.label_fr, new.label_en))),
        slug: Set(new.slug),
        label_fr: Set(new.label_fr.trim().to_owned()),
        label_en: Set(new.label_en.trim().to_owned()),
        parent_id: Set(new.parent_id),
        description: Set(new.description),
        ..Default::default()
    };
    let row = insert_new(unit, "create_theme", row, &[("slug", Field::Slug)], Ok, |row| {
        json!({ "slug": row.slug, "labelFr": row.label_fr, "labelEn": row.label_en, "parentId": row.parent_id })
    })
    .await?;
    Ok(rows::theme(row)?)
}

/// The ids of the themes with these slugs, each once, in their order; an unknown slug is
/// `NOT_FOUND` on `themes`.
pub(crate) async fn ids_of(
    tx: &sea_orm::DatabaseTransaction,
    slugs: &[String],
) -> Result<Vec<Id>, WriteError> {
    use sea_orm::QueryFilter;
    use sea_orm::sea_query::{Expr, ExprTrait};

    let mut ids = Vec::new();
    for slug in slugs {
        let found = theme::Entity::find()
            .filter(Expr::col("slug").eq(slug.as_str()))
            .one(tx)
            .await?;
        ids.push(found.ok_or(WriteError::NotFound(Field::Themes))?.id);
    }
    Ok(crate::write::distinct(&ids))
}

/// Tags record `id` with `theme_ids` in link table `table`, whose `column` names the record;
/// with `replace`, the themes it had are dropped first.
pub(crate) async fn tag(
    tx: &sea_orm::DatabaseTransaction,
    (table, column): (&'static str, &'static str),
    id: Id,
    theme_ids: &[Id],
    replace: bool,
) -> Result<(), WriteError> {
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};

    if replace {
        let delete = Query::delete()
            .from_table(table)
            .and_where(Expr::col(column).eq(id))
            .to_owned();
        tx.execute(&delete).await?;
    }
    for theme_id in theme_ids {
        let insert = Query::insert()
            .into_table(table)
            .columns([column, "theme_id"])
            .values_panic([id.into(), (*theme_id).into()])
            .to_owned();
        tx.execute(&insert).await?;
    }
    Ok(())
}
