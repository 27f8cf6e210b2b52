//! Deleting a record entered by mistake. A record with history — anything else points at it —
//! is not deleted: it is ended, terminated or cancelled instead, so history stays honest.

use domain::Id;
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Expr, ExprTrait, Query};

use crate::write::WriteError;

/// What can be deleted, with the columns that would point at it.
#[derive(Debug, Clone, Copy)]
pub enum Deletable {
    City,
    Person,
    Organisation,
}

impl Deletable {
    fn table(self) -> &'static str {
        match self {
            Deletable::City => "city",
            Deletable::Person => "person",
            Deletable::Organisation => "organisation",
        }
    }

    /// Every (table, column) that may point at a record of this kind.
    fn references(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Deletable::City => &[
                ("mandate", "city_id"),
                ("membership", "member_city_id"),
                ("partnership_party", "city_id"),
                ("participation", "city_id"),
                ("city", "parent_id"),
                ("organisation", "headquarters_city_id"),
                ("organisation", "owning_city_id"),
                ("partnership", "signing_place_city_id"),
            ],
            Deletable::Person => &[
                ("mandate", "person_id"),
                ("signatory", "person_id"),
                ("statement", "person_id"),
                ("contact_point", "person_id"),
            ],
            Deletable::Organisation => &[
                ("mandate", "organisation_id"),
                ("membership", "organisation_id"),
                ("membership", "member_organisation_id"),
                ("partnership_party", "organisation_id"),
                ("group_purchase", "organiser_id"),
                ("group_purchase", "supplier_id"),
                ("organisation", "parent_id"),
                ("organisation_relation", "from_organisation_id"),
                ("organisation_relation", "to_organisation_id"),
                ("contact_point", "organisation_id"),
                ("stated_figure", "organisation_id"),
                ("follow_up", "body_organisation_id"),
                ("api_token", "organisation_id"),
            ],
        }
    }
}

/// Deletes a record nothing points at (editors), with its citations.
pub async fn delete(unit: &crate::write::Unit, kind: Deletable, id: Id) -> Result<(), WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    actor.check_editor()?;
    let exists = Query::select()
        .column("id")
        .from(kind.table())
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    if tx.query_one(&exists).await?.is_none() {
        return Err(WriteError::NotFound { field: "id" });
    }
    for (table, column) in kind.references() {
        let used = Query::select()
            .column("id")
            .from(*table)
            .and_where(Expr::col(*column).eq(id))
            .limit(1)
            .to_owned();
        if tx.query_one(&used).await?.is_some() {
            return Err(WriteError::Rule {
                field: "id",
                code: "IN_USE",
                message: format!(
                    "this {} has history ({table} records point at it): end or change those instead",
                    kind.table()
                ),
            });
        }
    }
    let citations = Query::delete()
        .from_table("citation")
        .and_where(Expr::col("record_type").eq(kind.table()))
        .and_where(Expr::col("record_id").eq(id))
        .to_owned();
    tx.execute(&citations).await?;
    if matches!(kind, Deletable::Organisation) {
        let themes = Query::delete()
            .from_table("organisation_theme")
            .and_where(Expr::col("organisation_id").eq(id))
            .to_owned();
        tx.execute(&themes).await?;
    }
    let delete = Query::delete()
        .from_table(kind.table())
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    tx.execute(&delete).await?;
    unit.audit(
        &format!("delete_{}", kind.table()),
        kind.table(),
        id,
        Some(serde_json::json!({ "id": id })),
        None,
    )
    .await?;
    Ok(())
}
