//! Writes to initiatives: what a city or an organisation tried, with its leads and themes,
//! then its lifecycle, the organisations taking part (`organisations.rs`), measured outcomes
//! (`outcome.rs`) and lessons learned (`lesson.rs`).

pub mod lesson;
mod organisations;
pub mod outcome;

pub use organisations::{InitiativeOrganisationChanges, add_organisation};

use domain::access::{AccessError, Actor};
use domain::initiative::{InitiativeKind, InitiativeStatus};
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, invalid, link_themes, names_missing, needed,
    on,
};

/// Initiatives, as the write path handles them.
const INITIATIVE: Kind<initiative::Entity, domain::initiative::Initiative> = Kind::stored(snapshot);

/// Editors; a partner of an organisation the initiative's city is a member of; a partner of
/// an organisation leading it. (What a new initiative links is `check_links_initiative`.)
async fn check_writes_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    city_id: Option<Id>,
    leads: &[Id],
) -> Result<(), WriteError> {
    if actor.check_writes_for_any(leads.iter().copied()).is_ok() {
        return Ok(());
    }
    match city_id {
        Some(city_id) => crate::authority::check_acts_for_city(tx, actor, city_id).await,
        None => Err(AccessError::NotOwnOrganisation.into()),
    }
}

/// Whether the actor may see initiative `id`: one linked to a draft it may not see answers
/// `NOT_FOUND` as `field`, like one that does not exist.
pub(crate) async fn check_may_see_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
    field: Field,
) -> Result<(), WriteError> {
    let Some(row) = initiative::Entity::find_by_id(id).one(tx).await? else {
        return Err(WriteError::NotFound(field));
    };
    match row.partnership_id {
        Some(partnership_id) => {
            crate::partnership::check_may_see(tx, actor, partnership_id, field).await
        }
        None => Ok(()),
    }
}

/// A new initiative links its leads, its city, its partnership and its edition: a partner
/// needs a right over each of them (`Actor::check_links`). The initiative it adapts is only
/// cited, but must be one the caller may see.
async fn check_links_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    new: &NewInitiative,
    programme_id: Option<Id>,
) -> Result<(), WriteError> {
    if actor.role != domain::access::Role::Partner {
        return Ok(());
    }
    if let Some(id) = new.adapted_from_id {
        check_may_see_initiative(tx, actor, id, Field::AdaptedFrom).await?;
    }
    let mut rights = Vec::new();
    for lead in &new.leads {
        rights.push(actor.check_writes_for(*lead));
    }
    // An initiative of a city speaks for the city: its partner acts for it.
    if let Some(city_id) = new.city_id {
        rights.push(crate::write::right(
            crate::authority::check_acts_for_city(tx, actor, city_id).await,
        )?);
    }
    if let Some(id) = new.partnership_id {
        rights.push(crate::write::right(
            crate::partnership::check_may_write(tx, actor, id, Field::Partnership).await,
        )?);
    }
    if let Some(id) = programme_id {
        rights.push(crate::write::right(
            crate::programme::check_writes_programme(tx, actor, id).await,
        )?);
    }
    Ok(actor.check_links(rights)?)
}

/// A new initiative.
#[derive(Debug, Clone)]
pub struct NewInitiative {
    pub slug: String,
    pub title: String,
    pub kind: InitiativeKind,
    pub summary: Option<String>,
    pub status: InitiativeStatus,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub city_id: Option<Id>,
    /// The programme it belongs to; with an edition, the edition's programme.
    pub programme_id: Option<Id>,
    pub edition_id: Option<Id>,
    pub partnership_id: Option<Id>,
    pub provider_id: Option<Id>,
    pub adapted_from_id: Option<Id>,
    pub adaptation: Option<String>,
    pub themes: Vec<String>,
    /// Organisations that lead it.
    pub leads: Vec<Id>,
}

/// Creates an initiative with its themes and leads.
pub async fn create(
    unit: &crate::write::Unit,
    new: NewInitiative,
) -> Result<domain::initiative::Initiative, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.title.trim().is_empty() {
        return Err(needed(Field::Title, "an initiative has a title"));
    }
    let period = domain::fuzzy_date::Period::new(new.start, new.end).map_err(on(Field::End))?;
    if new.adaptation.is_some() && new.adapted_from_id.is_none() {
        return Err(invalid(
            Field::Adaptation,
            "an adaptation says what changed from `adaptedFrom`",
        ));
    }
    check_writes_initiative(tx, actor, new.city_id, &new.leads).await?;
    let programme_id = match new.edition_id {
        Some(id) => {
            let of_edition = programme_edition::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound(Field::Edition))?
                .programme_id;
            if new.programme_id.is_some_and(|given| given != of_edition) {
                return Err(invalid(
                    Field::Edition,
                    "the edition is of another programme",
                ));
            }
            Some(of_edition)
        }
        None => new.programme_id,
    };
    check_links_initiative(tx, actor, &new, programme_id).await?;
    let row = initiative::ActiveModel {
        slug: Set(new.slug.clone()),
        title: Set(new.title.clone()),
        search_name: Set(domain::search::fold(&new.title)),
        kind: Set(new.kind.as_str().to_owned()),
        summary: Set(new.summary),
        status: Set(new.status.as_str().to_owned()),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        city_id: Set(new.city_id),
        programme_id: Set(programme_id),
        edition_id: Set(new.edition_id),
        partnership_id: Set(new.partnership_id),
        provider_id: Set(new.provider_id),
        adapted_from_id: Set(new.adapted_from_id),
        adaptation: Set(new.adaptation),
        ..Default::default()
    };
    // A foreign key: one of the records named does not exist.
    let initiative = INITIATIVE
        .insert_new(unit, "create_initiative", row)
        .await
        .map_err(names_missing(Field::City))?;
    link_themes(
        tx,
        "initiative_theme",
        "initiative_id",
        initiative.id,
        &new.themes,
    )
    .await?;
    for organisation_id in crate::write::distinct(&new.leads) {
        organisations::insert_organisation(
            unit,
            initiative.id,
            organisation_id,
            domain::initiative::InitiativeRole::Lead,
        )
        .await
        .map_err(|error| match error {
            WriteError::NotFound(_) => WriteError::NotFound(Field::Leads),
            other => other,
        })?;
    }
    Ok(initiative)
}

/// The initiative `id` and who may write it.
pub(crate) async fn writable_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
) -> Result<domain::initiative::Initiative, WriteError> {
    let initiative = rows::initiative(
        initiative::Entity::find_by_id(id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound(Field::Initiative))?,
    )?;
    if let Some(partnership_id) = initiative.partnership_id {
        crate::partnership::check_may_see(tx, actor, partnership_id, Field::Initiative).await?;
    }
    let leads: Vec<Id> = initiative_organisation::Entity::find()
        .filter(Expr::col("initiative_id").eq(id))
        .all(tx)
        .await?
        .into_iter()
        .map(|row| row.organisation_id)
        .collect();
    check_writes_initiative(tx, actor, initiative.city_id, &leads).await?;
    Ok(initiative)
}

/// Whether the actor may change a record of initiative `initiative_id` (the initiative itself
/// or one of its parts): an initiative hidden from the actor is not found, which the update
/// reports under the record's own `id` (`write::update`).
pub(crate) async fn check_changes_initiative(
    unit: &Unit,
    initiative_id: Id,
) -> Result<(), WriteError> {
    writable_initiative(unit.tx(), unit.actor(), initiative_id)
        .await
        .map(|_| ())
}

/// Moves an initiative along its lifecycle (`initiative::check_status`), if `version` is
/// still current.
pub async fn set_status(
    unit: &crate::write::Unit,
    id: Id,
    version: i32,
    status: InitiativeStatus,
) -> Result<domain::initiative::Initiative, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let before = writable_initiative(tx, actor, id).await?;
    crate::write::check_version(before.stamp.version, version)?;
    domain::initiative::check_status(before.status, status).map_err(on(Field::Status))?;
    let active = initiative::ActiveModel {
        status: Set(status.as_str().to_owned()),
        ..Default::default()
    };
    let status_only = Kind {
        snapshot: status_snapshot,
        ..INITIATIVE
    };
    status_only
        .save_change(
            unit,
            "set_initiative_status",
            (id, version),
            active,
            &before,
        )
        .await
}

/// What the audit trail keeps of an initiative's status change.
fn status_snapshot(initiative: &domain::initiative::Initiative) -> serde_json::Value {
    json!({ "status": initiative.status.as_str(), "partnershipId": initiative.partnership_id,
        "version": initiative.stamp.version })
}

/// The position after the last of an initiative's outcomes or lessons.
async fn next_position<E>(tx: &DatabaseTransaction, initiative_id: Id) -> Result<i32, WriteError>
where
    E: EntityTrait,
{
    use sea_orm::sea_query::{Func, Query};
    let query = Query::select()
        .expr_as(Func::max(Expr::col("position")), "last")
        .from(E::default().table_ref())
        .and_where(Expr::col("initiative_id").eq(initiative_id))
        .to_owned();
    let row = sea_orm::ConnectionTrait::query_one(tx, &query).await?;
    let last: Option<i32> = match row {
        Some(row) => row.try_get("", "last")?,
        None => None,
    };
    Ok(last.unwrap_or(0) + 1)
}

/// An initiative's own fields as changed; `None` keeps the stored value. Its status moves by
/// `set_status`.
#[derive(Debug, Clone, Default)]
pub struct InitiativeChanges {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub adaptation: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

fn snapshot(initiative: &domain::initiative::Initiative) -> serde_json::Value {
    json!({ "slug": initiative.slug, "title": initiative.title, "summary": initiative.summary,
        "start": initiative.period.start.map(|d| d.edtf()), "end": initiative.period.end.map(|d| d.edtf()),
        "adaptation": initiative.adaptation, "partnershipId": initiative.partnership_id,
        "status": initiative.status.as_str(), "cityId": initiative.city_id,
        "version": initiative.stamp.version })
}

/// Changes an initiative (those who may write it), if `version` is still current.
impl Change for InitiativeChanges {
    type Record = domain::initiative::Initiative;
    const KIND: Kind<initiative::Entity, domain::initiative::Initiative> = INITIATIVE;
    const ACTION: &'static str = "update_initiative";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::initiative::Initiative,
    ) -> Result<(), WriteError> {
        check_changes_initiative(unit, before.id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let period = domain::fuzzy_date::Period::new(
            self.start.or(before.period.start),
            self.end.or(before.period.end),
        )
        .map_err(on(Field::End))?;
        if self.adaptation.is_some() && before.adapted_from_id.is_none() {
            return Err(invalid(
                Field::Adaptation,
                "an adaptation says what changed from the initiative it adapts, and this one adapts none",
            ));
        }
        if let Some(slugs) = &self.themes {
            let tx = to.unit.tx();
            let themes = crate::theme::ids_of(tx, slugs).await?;
            crate::theme::tag(
                tx,
                ("initiative_theme", "initiative_id"),
                to.id,
                &themes,
                true,
            )
            .await?;
        }
        let active = &mut to.active;
        if let Some(title) = self.title {
            domain::validate::check_name("title", &title)?;
            active.search_name = Set(domain::search::fold(&title));
            active.title = Set(title.trim().to_owned());
        }
        if let Some(summary) = self.summary {
            active.summary = Set(Some(summary));
        }
        if let Some(adaptation) = self.adaptation {
            active.adaptation = Set(Some(adaptation));
        }
        active.start_on = Set(period.start.map(|d| d.edtf()));
        active.start_earliest = Set(period.start.map(|d| d.earliest()));
        active.end_on = Set(period.end.map(|d| d.edtf()));
        active.end_latest = Set(period.end.map(|d| d.latest()));
        Ok(())
    }
}
