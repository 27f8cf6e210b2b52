//! Writes to themes: the vocabulary records are tagged with, broad themes above narrower ones —
//! added, changed and (`delete.rs`, while nothing is tagged with them and no theme sits under
//! them) deleted by editors; and the one way to tag a record with themes.

use domain::Id;
use domain::search::fold;
use domain::theme::Theme;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::entity::theme;
use crate::write::{Change, Changing, Field, Kind, Problems, Unit, WriteError, on, set_if};

/// Themes, as the write path handles them.
const THEME: Kind<theme::Entity, Theme> = Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

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

/// A theme's changes; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ThemeChanges {
    pub slug: Option<String>,
    pub label_fr: Option<String>,
    pub label_en: Option<String>,
    /// The broader theme it narrows: never itself nor one of its narrower themes.
    pub parent_id: Option<Id>,
    pub description: Option<String>,
}

/// Adds a theme to the vocabulary (editors).
pub async fn create(unit: &Unit, new: NewTheme) -> Result<Theme, WriteError> {
    unit.actor().check_editor()?;
    check(Some(&new.slug), Some(&new.label_fr), Some(&new.label_en))?;
    if let Some(parent_id) = new.parent_id {
        ancestors(unit, parent_id).await?;
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
    THEME.insert_new(unit, "create_theme", row).await
}

/// Changes a theme (editors), if `version` is still current: the taxonomy stays a tree
/// (`domain::theme::check_parent`).
impl Change for ThemeChanges {
    type Record = Theme;
    const KIND: Kind<theme::Entity, Theme> = THEME;
    const ACTION: &'static str = "update_theme";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        check(
            self.slug.as_deref(),
            self.label_fr.as_deref(),
            self.label_en.as_deref(),
        )?;
        if let Some(parent_id) = self.parent_id {
            let above = ancestors(to.unit, parent_id).await?;
            domain::theme::check_parent(to.id, parent_id, &above).map_err(on(Field::Parent))?;
        }
        let label_fr = self.label_fr.unwrap_or_else(|| to.before.label_fr.clone());
        let label_en = self.label_en.unwrap_or_else(|| to.before.label_en.clone());
        let active = &mut to.active;
        active.search_name = Set(fold(&format!("{label_fr} {label_en}")));
        active.label_fr = Set(label_fr.trim().to_owned());
        active.label_en = Set(label_en.trim().to_owned());
        set_if(&mut active.slug, self.slug);
        set_if(&mut active.parent_id, self.parent_id.map(Some));
        set_if(&mut active.description, self.description.map(Some));
        Ok(())
    }
}

/// A theme's slug and labels, when given, are well formed: every problem at once.
fn check(
    slug: Option<&str>,
    label_fr: Option<&str>,
    label_en: Option<&str>,
) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    if let Some(slug) = slug {
        problems.check(domain::slug::Slug::parse(slug).map(|_| ()));
    }
    if let Some(label) = label_fr {
        problems.check(domain::validate::check_name("french label", label));
    }
    if let Some(label) = label_en {
        problems.check(domain::validate::check_name("english label", label));
    }
    problems.into_result()
}

/// The broader themes of theme `parent_id`, its parent first, up to the top; `NOT_FOUND` on
/// `parent` when it does not exist. A loop stored by mistake ends the walk.
async fn ancestors(unit: &Unit, parent_id: Id) -> Result<Vec<Id>, WriteError> {
    let mut above = Vec::new();
    let mut next = theme::Entity::find_by_id(parent_id)
        .one(unit.tx())
        .await?
        .ok_or(WriteError::NotFound(Field::Parent))?
        .parent_id;
    while let Some(id) = next {
        if above.contains(&id) {
            break;
        }
        above.push(id);
        next = theme::Entity::find_by_id(id)
            .one(unit.tx())
            .await?
            .and_then(|row| row.parent_id);
    }
    Ok(above)
}

/// A theme as the audit trail keeps it.
fn snapshot(theme: &Theme) -> serde_json::Value {
    json!({ "slug": theme.slug, "labelFr": theme.label_fr, "labelEn": theme.label_en,
        "parentId": theme.parent_id, "description": theme.description,
        "version": theme.stamp.version })
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
