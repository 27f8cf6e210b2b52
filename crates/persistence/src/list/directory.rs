//! Lists of the directory itself: cities, people, organisations, themes and sources.

use super::*;

#[derive(Debug, Clone, Default)]
pub struct CityFilter {
    pub common: Common,
    pub country: Option<String>,
    pub subdivision: Option<String>,
    /// Only members of this organisation.
    pub member_of: Option<Id>,
    /// Only boroughs of this city.
    pub borough_of: Option<Id>,
}

#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub common: Common,
    pub country: Option<String>,
    pub kind: Option<domain::organisation::OrganisationKind>,
    pub member_of: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ThemeFilter {
    pub common: Common,
    /// Only the children of this theme.
    pub parent: Option<Id>,
}

pub async fn cities(
    db: &Db,
    filter: &CityFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::city::City>, Error> {
    let mut select = common(city::Entity::find(), &filter.common, db);
    if let Some(country) = &filter.country {
        select = select.filter(Expr::col("country").eq(country.as_str()));
    }
    if let Some(subdivision) = &filter.subdivision {
        select = select.filter(
            Expr::col("subdivision_1")
                .eq(subdivision.as_str())
                .or(Expr::col("subdivision_2").eq(subdivision.as_str())),
        );
    }
    if let Some(organisation) = filter.member_of {
        select = select.filter(members_of("member_city_id", organisation));
    }
    if let Some(parent) = filter.borough_of {
        select = select.filter(Expr::col("parent_id").eq(parent));
    }
    let key = match order {
        OrderField::Population => SortKey {
            expression: Expr::cust("COALESCE(population, -1)"),
            value: |city: &domain::city::City| SortValue::Int(city.population.unwrap_or(-1)),
        },
        other => key(other, |city: &domain::city::City| {
            SortValue::Text(fold(&city.name))
        }),
    };
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Population,
        direction,
        request,
    )
    .await
}

pub async fn people(
    db: &Db,
    filter: &Common,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::person::Person>, Error> {
    let select = common(person::Entity::find(), filter, db);
    let key = key(order, |person: &domain::person::Person| {
        SortValue::Text(fold(&person.full_name))
    });
    ranked_or(
        db,
        select,
        filter,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn organisations(
    db: &Db,
    filter: &OrganisationFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::organisation::Organisation>, Error> {
    let mut select = common(organisation::Entity::find(), &filter.common, db);
    if let Some(country) = &filter.country {
        select = select.filter(Expr::col("country").eq(country.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if let Some(organisation) = filter.member_of {
        select = select.filter(members_of("member_organisation_id", organisation));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "organisation", &filter.themes));
    }
    let key = key(order, |o: &domain::organisation::Organisation| {
        SortValue::Text(fold(&o.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn themes(
    db: &Db,
    filter: &ThemeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::theme::Theme>, Error> {
    // A theme's search name folds both its labels.
    let mut select = common(theme::Entity::find(), &filter.common, db);
    if let Some(parent) = filter.parent {
        select = select.filter(Expr::col("parent_id").eq(parent));
    }
    let key = slug_key(order, |t: &domain::theme::Theme| {
        SortValue::Text(t.slug.clone())
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn sources(
    db: &Db,
    filter: &Common,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::source::Source>, Error> {
    let mut select = source::Entity::find();
    if let Some(since) = filter.updated_since {
        select = select.filter(Expr::col("updated_at").gte(since));
    }
    let key = slug_key(order, |s: &domain::source::Source| {
        SortValue::Text(s.slug.clone())
    });
    fetch(db, select, key, direction, request).await
}
