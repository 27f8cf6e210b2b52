//! Mandates, loaded with the attestations that date them.

use std::collections::HashMap;

use domain::Id;
use domain::mandate::{Attestation, Mandate, Post};
use domain::person::Person;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::entity::{city, mandate, mandate_attestation, organisation, person};
use crate::stored::group;
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, needed, set_if};
use crate::{Db, Error, Joined};

/// Mandates, as the write path handles them.
const MANDATE: Kind<mandate::Entity, domain::mandate::Mandate> = Kind::stored(snapshot);

/// Mandates held in each of these cities, oldest first, and the people who held them.
pub async fn of_cities(db: &Db, city_ids: &[Id]) -> Joined<Mandate, Person> {
    let (mandates, people) = with_attestations_where(db, "city_id", city_ids).await?;
    let groups = group(mandates, |m| match m.holder_of {
        Post::City(id) => Some(id),
        Post::Organisation(_) => None,
    });
    Ok((groups, people))
}

/// Mandates held in each of these organisations, oldest first, and the people who held them.
pub async fn of_organisations(db: &Db, organisation_ids: &[Id]) -> Joined<Mandate, Person> {
    let (mandates, people) =
        with_attestations_where(db, "organisation_id", organisation_ids).await?;
    let groups = group(mandates, |m| match m.holder_of {
        Post::Organisation(id) => Some(id),
        Post::City(_) => None,
    });
    Ok((groups, people))
}

/// Mandates each of these people held, oldest first.
pub async fn of_people(db: &Db, person_ids: &[Id]) -> Result<HashMap<Id, Vec<Mandate>>, Error> {
    let (mandates, _) = with_attestations_where(db, "person_id", person_ids).await?;
    Ok(group(mandates, |m| Some(m.person_id)))
}

/// Mandates by id, with their attestations.
pub async fn by_ids(db: &Db, ids: &[Id]) -> Result<HashMap<Id, Mandate>, Error> {
    let (mandates, _) = with_attestations_where(db, "id", ids).await?;
    Ok(mandates.into_iter().map(|m| (m.id, m)).collect())
}

/// The mandates whose `column` holds one of `ids`, oldest first, each with the days sources
/// attest it, and the people who held them: one statement, attestations (one or two per
/// mandate) and people joined.
async fn with_attestations_where(
    db: &Db,
    column: &str,
    ids: &[Id],
) -> Result<(Vec<Mandate>, Vec<Person>), Error> {
    use crate::entity::FromRowAt;
    use sea_orm::EntityName;

    if ids.is_empty() {
        return Ok(Default::default());
    }
    let table = mandate::Entity.table_name();
    let select = mandate::Entity::find()
        .filter(crate::stored::one_of_in(
            db,
            table,
            column,
            ids.iter().copied(),
        ))
        .order_by_asc(Expr::col((mandate::Entity, mandate::Column::StartEarliest)))
        .order_by_asc(Expr::col((mandate::Entity, mandate::Column::Id)))
        .order_by_asc(Expr::col((
            mandate_attestation::Entity,
            mandate_attestation::Column::AttestedOn,
        )))
        .find_also_related(mandate_attestation::Entity)
        .find_also_related(person::Entity);
    let rows = crate::stored::rows_of(db, select).await?;
    let attestation_at = mandate::Model::COLUMNS;
    let person_at = attestation_at + mandate_attestation::Model::COLUMNS;
    let mut read = MandateRows::default();
    for row in &rows {
        read.push(
            mandate::Model::from_row_at(row, 0)?,
            mandate_attestation::Model::from_row_at_optional(row, attestation_at)?,
            person::Model::from_row_at_optional(row, person_at)?,
        )?;
    }
    Ok((read.mandates, read.people))
}

/// Mandates read from rows of a mandate joined to its attestations (one row each, in order)
/// and its holder: a mandate's rows follow one another.
#[derive(Default)]
pub(crate) struct MandateRows {
    pub mandates: Vec<Mandate>,
    pub people: Vec<Person>,
}

impl MandateRows {
    pub fn push(
        &mut self,
        row: mandate::Model,
        attestation: Option<mandate_attestation::Model>,
        person: Option<person::Model>,
    ) -> Result<(), Error> {
        if self.mandates.last().map(|m| m.id) != Some(row.id) {
            self.mandates.push(crate::rows::mandate(row)?);
            if let Some(person) = person {
                self.people.push(crate::rows::person(person)?);
            }
        }
        if let (Some(attestation), Some(mandate)) = (attestation, self.mandates.last_mut()) {
            mandate.attestations.push(Attestation {
                on: attestation.attested_on,
                source_id: attestation.source_id,
            });
        }
        Ok(())
    }
}

/// A mandate to start; with `succeeds`, the mandate it follows ends the day before it starts.
#[derive(Debug, Clone)]
pub struct NewMandate {
    pub person_id: Id,
    pub post: Post,
    pub role: domain::mandate::MandateRole,
    pub title: String,
    pub start: Option<domain::FuzzyDate>,
    pub end: Option<domain::FuzzyDate>,
    pub succeeds: Option<Id>,
}

pub(crate) fn snapshot(mandate: &Mandate) -> serde_json::Value {
    let (city_id, organisation_id) = match mandate.holder_of {
        Post::City(id) => (Some(id), None),
        Post::Organisation(id) => (None, Some(id)),
    };
    serde_json::json!({
        "personId": mandate.person_id, "cityId": city_id, "organisationId": organisation_id,
        "role": mandate.role.as_str(), "title": mandate.title,
        "start": mandate.period.start.map(|d| d.edtf()), "end": mandate.period.end.map(|d| d.edtf()),
        "version": mandate.stamp.version,
    })
}

/// Who may write a mandate: an editor for a post in a city, whoever writes for the
/// organisation for a post in it.
pub(crate) fn check_access(actor: &domain::access::Actor, post: Post) -> Result<(), WriteError> {
    match post {
        Post::City(_) => actor.check_editor()?,
        Post::Organisation(organisation_id) => actor.check_writes_for(organisation_id)?,
    }
    Ok(())
}

/// Starts a mandate, ending the one it succeeds in the same transaction. A city has one mayor
/// at a time.
pub async fn start(unit: &crate::write::Unit, new: NewMandate) -> Result<Mandate, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    use sea_orm::{ActiveValue::Set, IntoActiveModel};

    check_access(actor, new.post)?;
    domain::validate::check_name("title", &new.title)?;
    let period = domain::fuzzy_date::Period::new(new.start, new.end)?;
    if person::Entity::find_by_id(new.person_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Person));
    }
    let (city_id, organisation_id) = match new.post {
        Post::City(id) => {
            if city::Entity::find_by_id(id).one(tx).await?.is_none() {
                return Err(WriteError::NotFound(Field::City));
            }
            (Some(id), None)
        }
        Post::Organisation(id) => {
            if organisation::Entity::find_by_id(id)
                .one(tx)
                .await?
                .is_none()
            {
                return Err(WriteError::NotFound(Field::Organisation));
            }
            (None, Some(id))
        }
    };
    let column = if city_id.is_some() {
        "city_id"
    } else {
        "organisation_id"
    };
    let post_id = city_id.or(organisation_id).unwrap_or_default();
    let existing: Vec<Mandate> = crate::stored::convert(
        mandate::Entity::find()
            .filter(Expr::col(column).eq(post_id))
            .all(tx)
            .await?,
    )?;

    if let Some(succeeded_id) = new.succeeds {
        let succeeded = existing
            .iter()
            .find(|m| m.id == succeeded_id && m.role == new.role)
            .ok_or(WriteError::NotFound(Field::Succeeds))?;
        let start = new.start.ok_or(needed(
            Field::Start,
            "a successor needs a start date, on which the mandate it succeeds ends",
        ))?;
        let ends = domain::FuzzyDate::day(start.earliest().pred_opt().unwrap_or(start.earliest()));
        let ended_period = domain::fuzzy_date::Period::new(succeeded.period.start, Some(ends))?;
        let (row, before) = MANDATE.read_for_change(unit, succeeded_id).await?;
        let mut active = row.into_active_model();
        active.end_on = Set(ended_period.end.map(|d| d.edtf()));
        active.end_latest = Set(ended_period.end.map(|d| d.latest()));
        let key = (succeeded_id, before.stamp.version);
        MANDATE
            .save_change(unit, "end_mandate", key, active, &before)
            .await?;
    }
    if new.role == domain::mandate::MandateRole::Mayor && city_id.is_some() {
        domain::mandate::check_new_mayor(&existing, &period, new.succeeds)?;
    }

    let active = mandate::ActiveModel {
        person_id: Set(new.person_id),
        city_id: Set(city_id),
        organisation_id: Set(organisation_id),
        role: Set(new.role.as_str().to_owned()),
        title: Set(new.title.trim().to_owned()),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        ..Default::default()
    };
    MANDATE.insert_new(unit, "start_mandate", active).await
}

/// Ends a mandate on a date, if `version` is still current. History is kept: a past mayor is
/// ended; deleting is for a mandate entered by mistake (`deleteRecord`).
pub async fn end(
    unit: &crate::write::Unit,
    id: Id,
    version: i32,
    end: domain::FuzzyDate,
) -> Result<Mandate, WriteError> {
    let actor = unit.actor();
    use sea_orm::{ActiveValue::Set, IntoActiveModel};
    let (row, before) = MANDATE.read_for_change(unit, id).await?;
    check_access(actor, before.holder_of)?;
    crate::write::check_version(before.stamp.version, version)?;
    actor.check_moves_end(before.period.end.map(|d| d.latest()), end.latest())?;
    let period = domain::fuzzy_date::Period::new(before.period.start, Some(end))?;
    let mut active = row.into_active_model();
    active.end_on = Set(period.end.map(|d| d.edtf()));
    active.end_latest = Set(period.end.map(|d| d.latest()));
    MANDATE
        .save_change(unit, "end_mandate", (id, version), active, &before)
        .await
}

/// A mandate's corrections; `None` keeps the stored value. Who holds which post stays, and its
/// end moves with `end`: a new holder is a new mandate, so history is never overwritten.
#[derive(Debug, Clone, Default)]
pub struct MandateChanges {
    pub role: Option<domain::mandate::MandateRole>,
    pub title: Option<String>,
    pub start: Option<domain::FuzzyDate>,
    /// The days sources attest the mandate, replacing those stored: one left out is withdrawn,
    /// a new one recorded (each audited as its own change of the mandate's `attestations`).
    pub attestations: Option<Vec<Attestation>>,
}

/// Corrects a mandate's role, title, start or attestations (editors; a partner for its
/// organisation's posts), if `version` is still current: its period stays ordered, and a city
/// keeps one mayor at a time.
impl Change for MandateChanges {
    type Record = Mandate;
    const KIND: Kind<mandate::Entity, Mandate> = MANDATE;
    const ACTION: &'static str = "update_mandate";

    fn check_first(&self, _unit: &Unit, _id: Id) -> Result<(), WriteError> {
        if let Some(title) = &self.title {
            domain::validate::check_name("title", title)?;
        }
        Ok(())
    }

    async fn authority(&self, unit: &Unit, before: &Mandate) -> Result<(), WriteError> {
        check_access(unit.actor(), before.holder_of)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        use sea_orm::ActiveValue::Set;

        let before = to.before;
        let period =
            domain::fuzzy_date::Period::new(self.start.or(before.period.start), before.period.end)?;
        let role = self.role.unwrap_or(before.role);
        if let (domain::mandate::MandateRole::Mayor, Post::City(city_id)) = (role, before.holder_of)
        {
            let others: Vec<Mandate> = crate::stored::convert(
                mandate::Entity::find()
                    .filter(Expr::col("city_id").eq(city_id))
                    .all(to.unit.tx())
                    .await?,
            )?;
            // The mandate as it was is no other mayor.
            domain::mandate::check_new_mayor(&others, &period, Some(to.id))?;
        }
        let active = &mut to.active;
        active.role = Set(role.as_str().to_owned());
        set_if(&mut active.title, self.title.map(|t| t.trim().to_owned()));
        active.start_on = Set(period.start.map(|d| d.edtf()));
        active.start_earliest = Set(period.start.map(|d| d.earliest()));
        if let Some(attestations) = self.attestations {
            replace_attestations(to.unit, to.id, &attestations).await?;
        }
        Ok(())
    }
}

/// Makes `wanted` the attestations of mandate `mandate_id`: those stored and not wanted are
/// withdrawn, those wanted and not stored recorded; one named twice counts once. Every source
/// named must exist (`NOT_FOUND` on `attestations`).
async fn replace_attestations(
    unit: &Unit,
    mandate_id: Id,
    wanted: &[Attestation],
) -> Result<(), WriteError> {
    let wanted = crate::write::distinct(
        &wanted
            .iter()
            .map(|a| (a.on, a.source_id))
            .collect::<Vec<_>>(),
    );
    let sources = crate::write::distinct(&wanted.iter().map(|(_, s)| *s).collect::<Vec<_>>());
    let found = crate::entity::source::Entity::find()
        .filter(Expr::col("id").is_in(sources.clone()))
        .count(unit.tx())
        .await?;
    if found != sources.len() as u64 {
        return Err(WriteError::NotFound(Field::Attestations));
    }
    let stored = mandate_attestation::Entity::find()
        .filter(Expr::col("mandate_id").eq(mandate_id))
        .all(unit.tx())
        .await?;
    for row in &stored {
        if !wanted.contains(&(row.attested_on, row.source_id)) {
            ATTESTATION
                .delete(unit, "withdraw_mandate_attestation", row.id, row)
                .await?;
        }
    }
    for (on, source_id) in wanted {
        let known = stored
            .iter()
            .any(|row| (row.attested_on, row.source_id) == (on, source_id));
        if !known {
            insert_attestation(unit, mandate_id, on, source_id).await?;
        }
    }
    Ok(())
}

/// Records that a source attests the mandate on a day (editors): sources often date a mandate
/// by the day they mention it rather than by its start or end.
pub async fn attest(
    unit: &crate::write::Unit,
    mandate_id: Id,
    on: chrono::NaiveDate,
    source_id: Id,
) -> Result<Attestation, WriteError> {
    unit.actor().check_editor()?;
    if mandate::Entity::find_by_id(mandate_id)
        .one(unit.tx())
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound(Field::Mandate));
    }
    insert_attestation(unit, mandate_id, on, source_id).await?;
    Ok(Attestation { on, source_id })
}

/// Attestations, as the write path handles them: the audit trail keeps the mandate they date,
/// which the change feed reports as changed.
const ATTESTATION: Kind<mandate_attestation::Entity, mandate_attestation::Model> = Kind {
    to_domain: Ok,
    snapshot: |row| {
        serde_json::json!({
            "mandateId": row.mandate_id,
            "attestedOn": row.attested_on,
            "sourceId": row.source_id,
        })
    },
    unique: &[],
};

/// Records that source `source_id` attests mandate `mandate_id` on day `on`, a day that has
/// come (`validate::check_day_has_come`): the one place every attestation is written, the seed's
/// included.
async fn insert_attestation(
    unit: &Unit,
    mandate_id: Id,
    on: chrono::NaiveDate,
    source_id: Id,
) -> Result<(), WriteError> {
    use sea_orm::ActiveValue::Set;

    domain::validate::check_day_has_come("attestations", on, unit.now())?;
    let row = mandate_attestation::ActiveModel {
        mandate_id: Set(mandate_id),
        attested_on: Set(on),
        source_id: Set(source_id),
        ..Default::default()
    };
    ATTESTATION.insert_new(unit, "attest_mandate", row).await?;
    Ok(())
}
