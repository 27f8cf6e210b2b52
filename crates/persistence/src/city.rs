//! Writes to cities: create and update, checked by the domain and audited.

use domain::Id;
use domain::city::City;
use domain::search::fold;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::entity::city;
use crate::write::{Change, Changing, Field, Kind, Problems, Unit, WriteError, invalid};

/// Citys, as the write path handles them.
const CITY: Kind<city::Entity, domain::city::City> = Kind::stored(snapshot).unique(UNIQUE);

/// A city's fields as written; for an update, `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct CityFields {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub subdivisions: Option<Vec<String>>,
    pub official_code: Option<String>,
    pub population: Option<i64>,
    pub population_year: Option<i32>,
    pub website: Option<String>,
    pub parent_id: Option<Id>,
    /// Names in other languages or former names.
    pub other_names: Option<Vec<domain::city::OtherName>>,
    /// Where the city is, in WGS 84 degrees.
    pub position: Option<(f64, f64)>,
}

const UNIQUE: &[(&str, Field)] = &[
    ("slug", Field::Slug),
    ("official_code", Field::OfficialCode),
];

pub(crate) fn snapshot(city: &City) -> serde_json::Value {
    json!({
        "slug": city.slug, "name": city.name, "country": city.country, "subdivisions": city.subdivisions,
        "officialCode": city.official_code, "population": city.population, "populationYear": city.population_year,
        "website": city.website, "parentId": city.parent_id, "version": city.stamp.version,
    })
}

fn check(fields: &CityFields, problems: &mut Problems) {
    problems.given(&fields.slug, |slug| {
        domain::slug::Slug::parse(slug).map(|_| ())
    });
    problems.given(&fields.name, |name| {
        domain::validate::check_name("name", name)
    });
    problems.given(&fields.country, |country| {
        domain::city::check_country(country)
    });
    problems.given(&fields.subdivisions, |subdivisions| {
        domain::city::check_subdivisions(subdivisions)
    });
    problems.given(&fields.website, |website| {
        domain::validate::check_url(website)
    });
    if let Some((latitude, longitude)) = fields.position
        && !((-90.0..=90.0).contains(&latitude) && (-180.0..=180.0).contains(&longitude))
    {
        problems.check(Err(invalid(
            Field::Position,
            "a latitude lies within ±90°, a longitude within ±180°",
        )));
    }
    if fields.population.is_some_and(|p| p < 0) {
        problems.check(Err(domain::validate::ValueError::Negative {
            field: "population",
        }));
    }
}

fn apply(active: &mut city::ActiveModel, fields: CityFields) {
    if let Some(slug) = fields.slug {
        active.slug = Set(slug);
    }
    if let Some(name) = fields.name {
        active.search_name = Set(fold(&name));
        active.name = Set(name.trim().to_owned());
    }
    if let Some(country) = fields.country {
        active.country = Set(country);
    }
    if let Some(subdivisions) = fields.subdivisions {
        active.subdivision_1 = Set(subdivisions.first().cloned());
        active.subdivision_2 = Set(subdivisions.get(1).cloned());
    }
    if let Some(code) = fields.official_code {
        active.official_code = Set(Some(code));
    }
    if let Some(population) = fields.population {
        active.population = Set(Some(population));
    }
    if let Some(year) = fields.population_year {
        active.population_year = Set(Some(year));
    }
    if let Some(website) = fields.website {
        active.website = Set(Some(website));
    }
    if let Some(parent_id) = fields.parent_id {
        active.parent_id = Set(Some(parent_id));
    }
    if let Some(other_names) = fields.other_names {
        active.other_names =
            Set(serde_json::to_string(&other_names).unwrap_or_else(|_| "[]".to_owned()));
    }
    if let Some((latitude, longitude)) = fields.position {
        active.latitude = Set(Some(latitude));
        active.longitude = Set(Some(longitude));
    }
}

/// Creates a city (editors).
pub async fn create(unit: &Unit, fields: CityFields) -> Result<City, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    actor.check_editor()?;
    let mut problems = Problems::default();
    problems.require(
        "a city",
        &[
            (fields.slug.is_some(), Field::Slug),
            (fields.name.is_some(), Field::Name),
            (fields.country.is_some(), Field::Country),
        ],
    );
    check(&fields, &mut problems);
    problems.into_result()?;
    if let Some(parent_id) = fields.parent_id
        && city::Entity::find_by_id(parent_id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound(Field::Parent));
    }
    let mut active = city::ActiveModel {
        other_names: Set("[]".to_owned()),
        official_code: Set(None),
        population: Set(None),
        population_year: Set(None),
        latitude: Set(None),
        longitude: Set(None),
        website: Set(None),
        parent_id: Set(None),
        subdivision_1: Set(None),
        subdivision_2: Set(None),
        ..Default::default()
    };
    apply(&mut active, fields);
    CITY.insert_new(unit, "create_city", active).await
}

/// Updates a city (editors), if `version` is still current.
impl Change for CityFields {
    type Record = City;
    const KIND: Kind<city::Entity, City> = CITY;
    const ACTION: &'static str = "update_city";

    fn check_first(&self, unit: &Unit, _id: Id) -> Result<(), WriteError> {
        unit.actor().check_editor()?;
        Problems::all(|problems| check(self, problems))
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if self.parent_id == Some(to.id) {
            return Err(invalid(Field::Parent, "a city is not its own borough"));
        }
        apply(&mut to.active, self);
        Ok(())
    }
}
