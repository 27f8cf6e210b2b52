//! One city read by slug together with the relations a page about it shows (its mandates,
//! its memberships), in one statement instead of one per relation.
//!
//! The relations are joined side by side, not crossed: a small `part` table (1, 2) gives each
//! relation rows of its own, so the statement returns as many rows as the relations hold, not
//! their product. Each relation comes back exactly as its batch in `by_parent` or `mandate`
//! returns it (same rows, same order), so the API can serve its loads from it.

use domain::city::City;
use domain::mandate::Mandate;
use domain::membership::Membership;
use domain::organisation::Organisation;
use domain::person::Person;
use sea_orm::sea_query::{Expr, ExprTrait, JoinType, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, EntityTrait, Iterable};

use crate::entity::{
    FromRowAt, city, mandate, mandate_attestation, membership, organisation, person,
};
use crate::mandate::MandateRows;
use crate::{Db, Error, Stored};

/// The relations to read with the city.
#[derive(Debug, Clone, Copy, Default)]
pub struct Include {
    /// Its mandates, with their attestations and holders.
    pub mandates: bool,
    /// Its memberships, with their organisations.
    pub memberships: bool,
}

/// A city and the relations asked for; `None` for a relation not asked for.
#[derive(Debug, Clone)]
pub struct CityPage {
    pub city: City,
    /// The mandates held in the city, oldest first, and the people who held them.
    pub mandates: Option<(Vec<Mandate>, Vec<Person>)>,
    /// The city's memberships, oldest first, and the organisations they are in.
    pub memberships: Option<(Vec<Membership>, Vec<Organisation>)>,
}

/// The city with this slug and the relations `include` asks for, in one statement.
pub async fn by_slug(db: &Db, slug: &str, include: Include) -> Result<Option<CityPage>, Error> {
    let rows = db.conn().query_all(&statement(slug, include)).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    // The columns come in the order `statement` selects them: the city, then each
    // included relation's entities.
    let city = City::from_row(city::Model::from_row_at(first, 0)?)?;
    let mandate_at = city::Model::COLUMNS;
    let attestation_at = mandate_at + mandate::Model::COLUMNS;
    let person_at = attestation_at + mandate_attestation::Model::COLUMNS;
    let membership_at = if include.mandates {
        person_at + person::Model::COLUMNS
    } else {
        mandate_at
    };
    let organisation_at = membership_at + membership::Model::COLUMNS;
    let mut mandates = MandateRows::default();
    let mut memberships = Vec::new();
    let mut organisations = Vec::new();
    for row in &rows {
        if include.mandates
            && let Some(mandate) = mandate::Model::from_row_at_optional(row, mandate_at)?
        {
            mandates.push(
                mandate,
                mandate_attestation::Model::from_row_at_optional(row, attestation_at)?,
                person::Model::from_row_at_optional(row, person_at)?,
            )?;
        }
        if include.memberships
            && let Some(membership) = membership::Model::from_row_at_optional(row, membership_at)?
        {
            memberships.push(Membership::from_row(membership)?);
            if let Some(organisation) =
                organisation::Model::from_row_at_optional(row, organisation_at)?
            {
                organisations.push(Organisation::from_row(organisation)?);
            }
        }
    }
    Ok(Some(CityPage {
        city,
        mandates: include
            .mandates
            .then_some((mandates.mandates, mandates.people)),
        memberships: include.memberships.then_some((memberships, organisations)),
    }))
}

/// `SELECT` city, then each included relation `LEFT JOIN`ed on a part of its own, ordered
/// as the relation's batch orders it.
fn statement(slug: &str, include: Include) -> SelectStatement {
    let mut select = Query::select();
    columns::<city::Entity>(&mut select, "city");
    select
        .from("city")
        .and_where(Expr::col(("city", "slug")).eq(slug));
    let both = include.mandates && include.memberships;
    if both {
        let parts = Query::select()
            .expr_as(Expr::cust("1"), "part")
            .union(
                sea_orm::sea_query::UnionType::All,
                Query::select().expr_as(Expr::cust("2"), "part").to_owned(),
            )
            .to_owned();
        select.join_subquery(JoinType::InnerJoin, parts, "parts", Expr::cust("1 = 1"));
        select.order_by(("parts", "part"), Order::Asc);
    }
    // On its own part when both are read; on the city's only row otherwise.
    let on_part = |part: i32, condition: sea_orm::sea_query::SimpleExpr| {
        if both {
            condition.and(Expr::col(("parts", "part")).eq(Expr::cust(part.to_string())))
        } else {
            condition
        }
    };
    if include.mandates {
        columns::<mandate::Entity>(&mut select, "mandate");
        columns::<mandate_attestation::Entity>(&mut select, "mandate_attestation");
        columns::<person::Entity>(&mut select, "person");
        select
            .join(
                JoinType::LeftJoin,
                "mandate",
                on_part(1, Expr::col(("mandate", "city_id")).equals(("city", "id"))),
            )
            .join(
                JoinType::LeftJoin,
                "mandate_attestation",
                Expr::col(("mandate_attestation", "mandate_id")).equals(("mandate", "id")),
            )
            .join(
                JoinType::LeftJoin,
                "person",
                Expr::col(("person", "id")).equals(("mandate", "person_id")),
            )
            .order_by(("mandate", "start_earliest"), Order::Asc)
            .order_by(("mandate", "id"), Order::Asc)
            .order_by(("mandate_attestation", "attested_on"), Order::Asc);
    }
    if include.memberships {
        columns::<membership::Entity>(&mut select, "membership");
        columns::<organisation::Entity>(&mut select, "organisation");
        select
            .join(
                JoinType::LeftJoin,
                "membership",
                on_part(
                    2,
                    Expr::col(("membership", "member_city_id")).equals(("city", "id")),
                ),
            )
            .join(
                JoinType::LeftJoin,
                "organisation",
                Expr::col(("organisation", "id")).equals(("membership", "organisation_id")),
            )
            .order_by(("membership", "start_earliest"), Order::Asc)
            .order_by(("membership", "id"), Order::Asc);
    }
    select.to_owned()
}

/// Every column of `E`'s table, in declaration order (`FromRowAt`).
fn columns<E: EntityTrait>(select: &mut SelectStatement, table: &'static str) {
    use sea_orm::IdenStatic;
    for column in E::Column::iter() {
        select.expr(Expr::col((table, column.as_str())));
    }
}
