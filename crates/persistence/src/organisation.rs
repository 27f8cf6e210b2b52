//! Writes to organisations: editors create them; an organisation's partner or an editor
//! changes its profile.

use domain::organisation::{Organisation, OrganisationKind};
use domain::search::fold;
use domain::{FuzzyDate, Id};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::entity::{city, organisation};
use crate::write::{Change, Changing, Field, Kind, Problems, Unit, WriteError, invalid};

/// Organisations, as the write path handles them.
const ORGANISATION: Kind<organisation::Entity, domain::organisation::Organisation> =
    Kind::stored(snapshot).unique(UNIQUE);

const UNIQUE: &[(&str, Field)] = &[
    ("slug", Field::Slug),
    ("official_code", Field::OfficialCode),
];

/// An organisation's fields as written; for an update, `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct OrganisationFields {
    pub slug: Option<String>,
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub kind_detail: Option<String>,
    pub description: Option<String>,
    pub founded: Option<FuzzyDate>,
    pub website: Option<String>,
    pub country: Option<String>,
    pub subdivision: Option<String>,
    pub official_code: Option<String>,
    pub headquarters_city_id: Option<Id>,
    pub owning_city_id: Option<Id>,
    pub parent_id: Option<Id>,
    /// Whether the name describes the organisation rather than being its own (a source that
    /// names no organisation).
    pub name_is_descriptive: Option<bool>,
    /// Names in other languages or former names.
    pub other_names: Option<Vec<domain::city::OtherName>>,
    /// Its missions or objectives.
    pub missions: Option<Vec<domain::organisation::Mission>>,
    /// Theme slugs; for an update, the new full list.
    pub themes: Option<Vec<String>>,
}

/// The link table of an organisation's themes.
const THEMES: (&str, &str) = ("organisation_theme", "organisation_id");

pub(crate) fn snapshot(organisation: &Organisation) -> serde_json::Value {
    json!({
        "slug": organisation.slug, "name": organisation.name, "acronym": organisation.acronym,
        "kind": organisation.kind.as_str(), "kindDetail": organisation.kind_detail,
        "description": organisation.description, "founded": organisation.founded.map(|d| d.edtf()),
        "website": organisation.website, "country": organisation.country, "subdivision": organisation.subdivision,
        "officialCode": organisation.official_code,
        "headquartersCityId": organisation.headquarters_city_id, "owningCityId": organisation.owning_city_id,
        "parentId": organisation.parent_id, "version": organisation.stamp.version,
    })
}

fn check(fields: &OrganisationFields, problems: &mut Problems) {
    problems.given(&fields.slug, |slug| {
        domain::slug::Slug::parse(slug).map(|_| ())
    });
    problems.given(&fields.name, |name| {
        domain::validate::check_name("name", name)
    });
    problems.given(&fields.website, |website| {
        domain::validate::check_url(website)
    });
    problems.given(&fields.country, |country| {
        domain::city::check_country(country)
    });
    problems.given(&fields.subdivision, |subdivision| {
        domain::city::check_subdivision(subdivision)
    });
}

async fn check_references(
    tx: &sea_orm::DatabaseTransaction,
    fields: &OrganisationFields,
) -> Result<(), WriteError> {
    for (id, field) in [
        (fields.headquarters_city_id, Field::Headquarters),
        (fields.owning_city_id, Field::OwningCity),
    ] {
        if let Some(id) = id
            && city::Entity::find_by_id(id).one(tx).await?.is_none()
        {
            return Err(WriteError::NotFound(field));
        }
    }
    if let Some(parent_id) = fields.parent_id
        && organisation::Entity::find_by_id(parent_id)
            .one(tx)
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound(Field::Parent));
    }
    Ok(())
}

/// The folded text search finds an organisation by: its name and acronym.
fn search_name(name: &str, acronym: Option<&str>) -> String {
    match acronym {
        Some(acronym) => fold(&format!("{name} {acronym}")),
        None => fold(name),
    }
}

fn apply(active: &mut organisation::ActiveModel, fields: OrganisationFields) {
    if let Some(slug) = fields.slug {
        active.slug = Set(slug);
    }
    if let Some(name) = fields.name {
        active.name = Set(name.trim().to_owned());
    }
    if let Some(acronym) = fields.acronym {
        active.acronym = Set(Some(acronym));
    }
    if let Some(kind) = fields.kind {
        active.kind = Set(kind.as_str().to_owned());
    }
    if let Some(detail) = fields.kind_detail {
        active.kind_detail = Set(Some(detail));
    }
    if let Some(description) = fields.description {
        active.description = Set(Some(description));
    }
    if let Some(founded) = fields.founded {
        active.founded = Set(Some(founded.edtf()));
    }
    if let Some(website) = fields.website {
        active.website = Set(Some(website));
    }
    if let Some(country) = fields.country {
        active.country = Set(Some(country));
    }
    if let Some(subdivision) = fields.subdivision {
        active.subdivision = Set(Some(subdivision));
    }
    if let Some(code) = fields.official_code {
        active.official_code = Set(Some(code));
    }
    if let Some(id) = fields.headquarters_city_id {
        active.headquarters_city_id = Set(Some(id));
    }
    if let Some(id) = fields.owning_city_id {
        active.owning_city_id = Set(Some(id));
    }
    if let Some(id) = fields.parent_id {
        active.parent_id = Set(Some(id));
    }
    if let Some(descriptive) = fields.name_is_descriptive {
        active.name_is_descriptive = Set(descriptive);
    }
    if let Some(other_names) = fields.other_names {
        active.other_names =
            Set(serde_json::to_string(&other_names).unwrap_or_else(|_| "[]".to_owned()));
    }
    if let Some(missions) = fields.missions {
        active.missions = Set(serde_json::to_string(&missions).unwrap_or_else(|_| "[]".to_owned()));
    }
}

/// Creates an organisation (editors).
pub async fn create(unit: &Unit, fields: OrganisationFields) -> Result<Organisation, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    actor.check_editor()?;
    let mut problems = Problems::default();
    problems.require(
        "an organisation",
        &[
            (fields.slug.is_some(), Field::Slug),
            (fields.name.is_some(), Field::Name),
            (fields.kind.is_some(), Field::Kind),
        ],
    );
    check(&fields, &mut problems);
    problems.into_result()?;
    check_references(tx, &fields).await?;
    let themes = match &fields.themes {
        Some(slugs) => crate::theme::ids_of(tx, slugs).await?,
        None => Vec::new(),
    };
    let mut active = organisation::ActiveModel {
        name_is_descriptive: Set(false),
        acronym: Set(None),
        other_names: Set("[]".to_owned()),
        kind_detail: Set(None),
        description: Set(None),
        missions: Set("[]".to_owned()),
        founded: Set(None),
        website: Set(None),
        country: Set(None),
        subdivision: Set(None),
        official_code: Set(None),
        headquarters_city_id: Set(None),
        owning_city_id: Set(None),
        parent_id: Set(None),
        search_name: Set(search_name(
            fields.name.as_deref().unwrap_or_default(),
            fields.acronym.as_deref(),
        )),
        ..Default::default()
    };
    apply(&mut active, fields);
    let created = ORGANISATION
        .insert_new(unit, "create_organisation", active)
        .await?;
    crate::theme::tag(tx, THEMES, created.id, &themes, false).await?;
    Ok(created)
}

/// Changes an organisation's profile (its partner, or editors), if `version` is current.
impl Change for OrganisationFields {
    type Record = Organisation;
    const KIND: Kind<organisation::Entity, Organisation> = ORGANISATION;
    const ACTION: &'static str = "update_organisation";

    fn check_first(&self, unit: &Unit, id: Id) -> Result<(), WriteError> {
        unit.actor().check_writes_for(id)?;
        Problems::all(|problems| check(self, problems))
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let (tx, actor, id) = (to.unit.tx(), to.unit.actor(), to.id);
        // A partner may not claim a parent organisation or an owning city it does not act for.
        if actor.role == domain::access::Role::Partner {
            let mut rights = vec![Ok(())];
            if let Some(parent_id) = self.parent_id {
                rights.push(actor.check_writes_for(parent_id));
            }
            if let Some(city_id) = self.owning_city_id {
                rights.push(crate::write::right(
                    crate::authority::check_acts_for_city(tx, actor, city_id).await,
                )?);
            }
            actor.check_links(rights)?;
        }
        if self.parent_id == Some(id) {
            return Err(invalid(
                Field::Parent,
                "an organisation is not its own parent",
            ));
        }
        check_references(tx, &self).await?;
        if let Some(slugs) = &self.themes {
            let themes = crate::theme::ids_of(tx, slugs).await?;
            crate::theme::tag(tx, THEMES, id, &themes, true).await?;
        }
        let name = self.name.clone().unwrap_or_else(|| to.before.name.clone());
        let acronym = self.acronym.clone().or_else(|| to.before.acronym.clone());
        apply(&mut to.active, self);
        to.active.search_name = Set(search_name(name.trim(), acronym.as_deref()));
        Ok(())
    }
}
