//! Writes to programmes: created with their organisers and themes by those who run them,
//! then given editions (`edition.rs`) and participants (laureates, carriers).

pub mod edition;
mod parts;

pub use parts::{
    NewOrganiser, NewParticipant, NewSupport, OrganiserChanges, ParticipantChanges, SupportChanges,
    add_organiser, add_participant, add_support,
};

use domain::access::Actor;
use domain::programme::OrganiserRole;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, link_themes, names_missing, needed, set_given,
    set_if,
};

/// Programmes, as the write path handles them.
const PROGRAMME: Kind<programme::Entity, domain::programme::Programme> = Kind::stored(snapshot);

/// Editors, or a partner of an organisation that owns or co-animates the programme.
pub(crate) async fn check_writes_programme(
    tx: &DatabaseTransaction,
    actor: &Actor,
    programme_id: Id,
) -> Result<(), WriteError> {
    let organisers = crate::stored::convert::<domain::programme::ProgrammeOrganiser>(
        programme_organiser::Entity::find()
            .filter(Expr::col("programme_id").eq(programme_id))
            .all(tx)
            .await?,
    )?;
    Ok(actor.check_writes_for_any(
        organisers
            .iter()
            .filter(|o| o.role.runs_programme())
            .map(|o| o.organisation_id),
    )?)
}

/// A new programme.
#[derive(Debug, Clone)]
pub struct NewProgramme {
    pub slug: String,
    pub name: String,
    pub acronym: Option<String>,
    pub aim: Option<String>,
    pub description: Option<String>,
    pub participation_mode: domain::programme::ParticipationMode,
    pub eligibility: Option<domain::group_purchase::Eligibility>,
    pub territory: Option<String>,
    pub since: Option<FuzzyDate>,
    pub duration_months: Option<i32>,
    pub themes: Vec<String>,
    pub organisers: Vec<(Id, OrganiserRole)>,
    /// Who it is for, in the source's words.
    pub intended_participants: Option<String>,
    pub stakeholders: Vec<String>,
    pub support_scope: Option<String>,
    pub rules: Vec<String>,
    pub solution_providers: Option<String>,
    /// The city whose territory it covers, when it covers one.
    pub territory_city_id: Option<Id>,
}

/// Creates a programme with its organisers and themes: editors, or a partner whose
/// organisation is among its owners.
pub async fn create(
    unit: &Unit,
    new: NewProgramme,
) -> Result<domain::programme::Programme, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.name.trim().is_empty() {
        return Err(needed(Field::Name, "a programme has a name"));
    }
    // Those who run the programme (owners, co-animators) write it: a partner names only its
    // own organisation there, and at least once; partners and funders are only named.
    actor.check_links(
        new.organisers
            .iter()
            .filter(|(_, role)| role.runs_programme())
            .map(|(organisation, _)| actor.check_writes_for(*organisation)),
    )?;
    let searchable = match &new.acronym {
        Some(acronym) => format!("{} {acronym}", new.name),
        None => new.name.clone(),
    };
    let row = programme::ActiveModel {
        slug: Set(new.slug),
        name: Set(new.name.trim().to_owned()),
        search_name: Set(domain::search::fold(&searchable)),
        acronym: Set(new.acronym),
        aim: Set(new.aim),
        description: Set(new.description),
        intended_participants: Set(new.intended_participants),
        stakeholders: Set(to_json(&new.stakeholders)),
        support_scope: Set(new.support_scope),
        rules: Set(to_json(&new.rules)),
        solution_providers: Set(new.solution_providers),
        participation_mode: Set(new.participation_mode.as_str().to_owned()),
        eligibility: Set(new.eligibility.map(|e| e.as_str().to_owned())),
        territory: Set(new.territory),
        territory_city_id: Set(new.territory_city_id),
        started_on: Set(new.since.map(|d| d.edtf())),
        start_earliest: Set(new.since.map(|d| d.earliest())),
        duration_months: Set(new.duration_months),
        ..Default::default()
    };
    let row = crate::write::insert_new(unit, "create_programme", row, &[("slug", Field::Slug)], Ok, |row| {
        json!({ "slug": row.slug, "name": row.name, "participationMode": row.participation_mode })
    })
    .await
    .map_err(names_missing(Field::TerritoryCity))?;
    link_themes(tx, "programme_theme", "programme_id", row.id, &new.themes).await?;
    let mut organisers_seen = std::collections::HashSet::new();
    for (organisation_id, role) in new
        .organisers
        .iter()
        .filter(|(organisation_id, _)| organisers_seen.insert(*organisation_id))
    {
        let organiser = NewOrganiser {
            organisation_id: *organisation_id,
            role: *role,
            note: None,
        };
        parts::insert_organiser(unit, row.id, organiser)
            .await
            .map_err(|error| match error {
                WriteError::NotFound(_) => WriteError::NotFound(Field::Organisers),
                other => other,
            })?;
    }
    Ok(rows::programme(row)?)
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// A programme's own fields as changed; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct ProgrammeChanges {
    pub name: Option<String>,
    pub acronym: Option<String>,
    pub aim: Option<String>,
    pub description: Option<String>,
    pub eligibility: Option<domain::group_purchase::Eligibility>,
    pub territory: Option<String>,
    pub since: Option<FuzzyDate>,
    pub duration_months: Option<i32>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

fn snapshot(programme: &domain::programme::Programme) -> serde_json::Value {
    json!({ "slug": programme.slug, "name": programme.name, "acronym": programme.acronym,
        "aim": programme.aim, "eligibility": programme.eligibility.map(|e| e.as_str()),
        "territory": programme.territory, "since": programme.since.map(|d| d.edtf()),
        "durationMonths": programme.duration_months, "version": programme.stamp.version })
}

/// Changes a programme (those who run it), if `version` is still current.
impl Change for ProgrammeChanges {
    type Record = domain::programme::Programme;
    const KIND: Kind<programme::Entity, domain::programme::Programme> = PROGRAMME;
    const ACTION: &'static str = "update_programme";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::programme::Programme,
    ) -> Result<(), WriteError> {
        check_writes_programme(unit.tx(), unit.actor(), before.id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let tx = to.unit.tx();
        if let Some(name) = &self.name {
            domain::validate::check_name("name", name)?;
        }
        if self.duration_months.is_some_and(|months| months < 0) {
            return Err(domain::validate::ValueError::Negative {
                field: "duration months",
            }
            .into());
        }
        if let Some(slugs) = &self.themes {
            let themes = crate::theme::ids_of(tx, slugs).await?;
            crate::theme::tag(
                tx,
                ("programme_theme", "programme_id"),
                to.id,
                &themes,
                true,
            )
            .await?;
        }
        let name = self.name.clone().unwrap_or_else(|| to.before.name.clone());
        let acronym = self.acronym.clone().or_else(|| to.before.acronym.clone());
        let active = &mut to.active;
        active.search_name = Set(domain::search::fold(&match &acronym {
            Some(acronym) => format!("{name} {acronym}"),
            None => name.clone(),
        }));
        if let Some(since) = self.since {
            active.started_on = Set(Some(since.edtf()));
            active.start_earliest = Set(Some(since.earliest()));
        }
        set_if(
            &mut active.name,
            self.name.map(|name| name.trim().to_owned()),
        );
        set_if(&mut active.duration_months, self.duration_months.map(Some));
        set_given([
            (&mut active.acronym, self.acronym.map(Some)),
            (&mut active.aim, self.aim.map(Some)),
            (&mut active.description, self.description.map(Some)),
            (
                &mut active.eligibility,
                self.eligibility.map(|e| Some(e.as_str().to_owned())),
            ),
            (&mut active.territory, self.territory.map(Some)),
        ]);
        Ok(())
    }
}
