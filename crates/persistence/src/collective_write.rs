//! Writes of collective action: editions and participants of programmes, recognitions,
//! initiatives with their outcomes and lessons. Each checks who may write, asks the domain's
//! rule, writes in one transaction and records itself in the audit trail.

use chrono::NaiveDate;
use domain::access::{AccessError, Actor};
use domain::initiative::{
    EvidenceLevel, InitiativeKind, InitiativeStatus, LessonKind, LessonTopic,
};
use domain::programme::{EditionStatus, OrganiserRole, ParticipantRole};
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    SqlErr,
};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{WriteError, unique_as_taken};

fn rule(field: &'static str, code: &'static str, message: impl ToString) -> WriteError {
    WriteError::Rule {
        field,
        code,
        message: message.to_string(),
    }
}

/// Editors, or a partner of an organisation that owns or co-animates the programme.
async fn check_writes_programme(
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

/// A new edition of a programme.
#[derive(Debug, Clone)]
pub struct NewEdition {
    pub programme_id: Id,
    pub number: i32,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub duration_months: Option<i32>,
    pub status: EditionStatus,
    pub call_opens: Option<NaiveDate>,
    pub call_deadline: Option<NaiveDate>,
    pub note: Option<String>,
}

/// Adds an edition after the programme's last one: a higher number, not surely starting
/// before the last one ends (`programme::check_follows`).
pub async fn add_edition(
    unit: &crate::write::Unit,
    new: NewEdition,
) -> Result<domain::programme::Edition, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let period = domain::fuzzy_date::Period::new(new.start, new.end)
        .map_err(|error| rule("end", "INVALID", error))?;
    if let (Some(opens), Some(deadline)) = (new.call_opens, new.call_deadline)
        && deadline < opens
    {
        return Err(rule(
            "callDeadline",
            "INVALID",
            format!("the call's deadline {deadline} is before its opening {opens}"),
        ));
    }
    if programme::Entity::find_by_id(new.programme_id)
        .one(tx)
        .await?
        .is_none()
    {
        return Err(WriteError::NotFound { field: "programme" });
    }
    check_writes_programme(tx, actor, new.programme_id).await?;
    let last = programme_edition::Entity::find()
        .filter(Expr::col("programme_id").eq(new.programme_id))
        .order_by_desc(Expr::col("number"))
        .one(tx)
        .await?;
    if let Some(last) = last {
        let last = rows::edition(last)?;
        domain::programme::check_follows(&last, new.number, &period).map_err(|error| {
            let (field, code) = match error {
                domain::programme::EditionError::NotAfter { .. } => ("number", "NOT_AFTER"),
                domain::programme::EditionError::Overlaps { .. } => ("start", "OVERLAPS"),
            };
            rule(field, code, error)
        })?;
    }
    let now = unit.now();
    let row = programme_edition::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        programme_id: Set(new.programme_id),
        number: Set(new.number),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        duration_months: Set(new.duration_months),
        status: Set(new.status.as_str().to_owned()),
        note: Set(new.note),
        call_opens: Set(new.call_opens),
        call_deadline: Set(new.call_deadline),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|e| unique_as_taken(e, &[("number", "number")]))?;
    let edition = rows::edition(row)?;
    unit.audit(
        "add_edition",
        "programme_edition",
        edition.id,
        None,
        Some(json!({ "programmeId": edition.programme_id, "number": edition.number,
            "start": edition.period.start.map(|d| d.edtf()), "end": edition.period.end.map(|d| d.edtf()) })),
    )
    .await?;
    Ok(edition)
}

/// A laureate city of an edition, or an organisation carrying the programme in a city.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub programme_id: Id,
    pub edition_id: Option<Id>,
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub role: ParticipantRole,
    pub site: Option<String>,
}

/// Adds a participant to a programme or one of its editions, once.
pub async fn add_participant(
    unit: &crate::write::Unit,
    new: NewParticipant,
) -> Result<domain::programme::Participant, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.city_id.is_none() && new.organisation_id.is_none() {
        return Err(rule(
            "city",
            "REQUIRED",
            "a participant is a city or an organisation",
        ));
    }
    if let Some(edition_id) = new.edition_id {
        let edition = programme_edition::Entity::find_by_id(edition_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound { field: "edition" })?;
        if edition.programme_id != new.programme_id {
            return Err(rule(
                "edition",
                "INVALID",
                "the edition is of another programme",
            ));
        }
    }
    check_writes_programme(tx, actor, new.programme_id).await?;
    crate::authority::check_names(
        tx,
        actor,
        crate::authority::Participant {
            city_id: new.city_id,
            organisation_id: new.organisation_id,
            person_id: None,
        },
    )
    .await?;
    if let Some(city_id) = new.city_id
        && city::Entity::find_by_id(city_id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound { field: "city" });
    }
    if let Some(organisation_id) = new.organisation_id
        && organisation::Entity::find_by_id(organisation_id)
            .one(tx)
            .await?
            .is_none()
    {
        return Err(WriteError::NotFound {
            field: "organisation",
        });
    }
    let mut existing = programme_participant::Entity::find()
        .filter(Expr::col("programme_id").eq(new.programme_id));
    for (column, value) in [
        ("edition_id", new.edition_id),
        ("city_id", new.city_id),
        ("organisation_id", new.organisation_id),
    ] {
        existing = existing.filter(match value {
            Some(value) => Expr::col(column).eq(value),
            None => Expr::col(column).is_null(),
        });
    }
    if existing.one(tx).await?.is_some() {
        return Err(rule("city", "ALREADY_PARTICIPANT", "it already takes part"));
    }
    let now = unit.now();
    let row = programme_participant::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        programme_id: Set(new.programme_id),
        edition_id: Set(new.edition_id),
        city_id: Set(new.city_id),
        organisation_id: Set(new.organisation_id),
        role: Set(new.role.as_str().to_owned()),
        site: Set(new.site),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let participant = rows::programme_participant(row)?;
    unit.audit(
        "add_programme_participant",
        "programme_participant",
        participant.id,
        None,
        Some(
            json!({ "programmeId": participant.programme_id, "editionId": participant.edition_id,
            "cityId": participant.city_id, "organisationId": participant.organisation_id,
            "role": participant.role.as_str() }),
        ),
    )
    .await?;
    Ok(participant)
}

/// A recognition by an award.
#[derive(Debug, Clone)]
pub struct NewRecognition {
    pub award_id: Id,
    pub year: i32,
    pub level: domain::award::RecognitionLevel,
    pub category: Option<String>,
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub initiative_id: Option<Id>,
}

/// Records a recognition, for a year the award existed in (`award::check_recognition`), by
/// an editor or a partner of the award's organiser.
pub async fn add_recognition(
    unit: &crate::write::Unit,
    new: NewRecognition,
) -> Result<domain::award::Recognition, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let award = rows::award(
        award::Entity::find_by_id(new.award_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound { field: "award" })?,
    )?;
    actor.check_writes_for(award.organiser_id)?;
    crate::authority::check_names(
        tx,
        actor,
        crate::authority::Participant {
            city_id: new.city_id,
            organisation_id: new.organisation_id,
            person_id: None,
        },
    )
    .await?;
    domain::award::check_recognition(
        &award,
        new.year,
        new.city_id.is_some() || new.organisation_id.is_some(),
    )
    .map_err(|error| match error {
        domain::award::RecognitionError::BeforeAward { .. } => rule("year", "BEFORE_AWARD", error),
        domain::award::RecognitionError::NoRecipient => rule("city", "REQUIRED", error),
    })?;
    for (found, field) in [
        (
            match new.city_id {
                Some(id) => city::Entity::find_by_id(id).one(tx).await?.is_some(),
                None => true,
            },
            "city",
        ),
        (
            match new.organisation_id {
                Some(id) => organisation::Entity::find_by_id(id)
                    .one(tx)
                    .await?
                    .is_some(),
                None => true,
            },
            "organisation",
        ),
        (
            match new.initiative_id {
                Some(id) => check_may_see_initiative(tx, actor, id, "initiative")
                    .await
                    .is_ok(),
                None => true,
            },
            "initiative",
        ),
    ] {
        if !found {
            return Err(WriteError::NotFound { field });
        }
    }
    let now = unit.now();
    let row = recognition::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        award_id: Set(award.id),
        year: Set(new.year),
        level: Set(new.level.as_str().to_owned()),
        category: Set(new.category),
        city_id: Set(new.city_id),
        organisation_id: Set(new.organisation_id),
        initiative_id: Set(new.initiative_id),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let recognition = rows::recognition(row)?;
    unit.audit(
        "add_recognition",
        "recognition",
        recognition.id,
        None,
        Some(
            json!({ "awardId": recognition.award_id, "year": recognition.year,
            "level": recognition.level.as_str(), "cityId": recognition.city_id,
            "organisationId": recognition.organisation_id }),
        ),
    )
    .await?;
    Ok(recognition)
}

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
async fn check_may_see_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
    field: &'static str,
) -> Result<(), WriteError> {
    let Some(row) = initiative::Entity::find_by_id(id).one(tx).await? else {
        return Err(WriteError::NotFound { field });
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
        check_may_see_initiative(tx, actor, id, "adaptedFrom").await?;
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
            crate::partnership::check_may_write(tx, actor, id, "partnership").await,
        )?);
    }
    if let Some(id) = programme_id {
        rights.push(crate::write::right(
            check_writes_programme(tx, actor, id).await,
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
pub async fn create_initiative(
    unit: &crate::write::Unit,
    new: NewInitiative,
) -> Result<domain::initiative::Initiative, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.title.trim().is_empty() {
        return Err(rule("title", "REQUIRED", "an initiative has a title"));
    }
    let period = domain::fuzzy_date::Period::new(new.start, new.end)
        .map_err(|error| rule("end", "INVALID", error))?;
    if new.adaptation.is_some() && new.adapted_from_id.is_none() {
        return Err(rule(
            "adaptation",
            "INVALID",
            "an adaptation says what changed from `adaptedFrom`",
        ));
    }
    check_writes_initiative(tx, actor, new.city_id, &new.leads).await?;
    let programme_id = match new.edition_id {
        Some(id) => Some(
            programme_edition::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound { field: "edition" })?
                .programme_id,
        ),
        None => None,
    };
    check_links_initiative(tx, actor, &new, programme_id).await?;
    let now = unit.now();
    let row = initiative::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
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
    }
    .insert(tx)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => unique_as_taken(error, &[("slug", "slug")]),
        // A foreign key: one of the records named does not exist.
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => rule(
            "city",
            "NOT_FOUND",
            "a city, partnership, provider or initiative named does not exist",
        ),
        _ => WriteError::from(error),
    })?;
    link_themes(tx, "initiative_theme", "initiative_id", row.id, &new.themes).await?;
    for organisation_id in &crate::write::distinct(&new.leads) {
        initiative_organisation::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            initiative_id: Set(row.id),
            organisation_id: Set(*organisation_id),
            role: Set(domain::initiative::InitiativeRole::Lead.as_str().to_owned()),
            ..Default::default()
        }
        .insert(tx)
        .await
        .map_err(|error| match error.sql_err() {
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                WriteError::NotFound { field: "leads" }
            }
            _ => WriteError::from(error),
        })?;
    }
    let initiative = rows::initiative(row)?;
    unit.audit(
        "create_initiative",
        "initiative",
        initiative.id,
        None,
        Some(json!({ "slug": initiative.slug, "title": initiative.title,
            "status": initiative.status.as_str(), "cityId": initiative.city_id })),
    )
    .await?;
    Ok(initiative)
}

/// The initiative `id` and who may write it.
async fn writable_initiative(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
) -> Result<domain::initiative::Initiative, WriteError> {
    let initiative = rows::initiative(initiative::Entity::find_by_id(id).one(tx).await?.ok_or(
        WriteError::NotFound {
            field: "initiative",
        },
    )?)?;
    if let Some(partnership_id) = initiative.partnership_id {
        crate::partnership::check_may_see(tx, actor, partnership_id, "initiative").await?;
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

/// Moves an initiative along its lifecycle (`initiative::check_status`), if `version` is
/// still current.
pub async fn set_initiative_status(
    unit: &crate::write::Unit,
    id: Id,
    version: i32,
    status: InitiativeStatus,
) -> Result<domain::initiative::Initiative, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let before = writable_initiative(tx, actor, id).await?;
    if before.stamp.version != version {
        return Err(WriteError::StaleVersion {
            current: before.stamp.version,
        });
    }
    domain::initiative::check_status(before.status, status)
        .map_err(|error| rule("status", "INVALID_TRANSITION", error))?;
    let active = initiative::ActiveModel {
        status: Set(status.as_str().to_owned()),
        updated_at: Set(unit.now()),
        version: Set(version + 1),
        ..Default::default()
    };
    let row =
        crate::write::save_versioned::<initiative::Entity>(tx, active, id, version, &[]).await?;
    let after = rows::initiative(row)?;
    unit.audit(
        "set_initiative_status",
        "initiative",
        id,
        Some(json!({ "status": before.status.as_str(), "version": before.stamp.version })),
        Some(json!({ "status": after.status.as_str(), "version": after.stamp.version })),
    )
    .await?;
    Ok(after)
}

/// A measured result of an initiative.
#[derive(Debug, Clone)]
pub struct NewOutcome {
    pub initiative_id: Id,
    pub indicator: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub evidence_level: EvidenceLevel,
    pub source_id: Option<Id>,
    pub note: Option<String>,
}

/// Adds an outcome after the initiative's others.
pub async fn add_outcome(
    unit: &crate::write::Unit,
    new: NewOutcome,
) -> Result<domain::initiative::Outcome, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.indicator.trim().is_empty() {
        return Err(rule(
            "indicator",
            "REQUIRED",
            "an outcome names its indicator",
        ));
    }
    for (value, field) in [
        (new.baseline, "baseline"),
        (new.target, "target"),
        (new.actual, "actual"),
    ] {
        if value.is_some_and(|v| !v.is_finite()) {
            return Err(rule(field, "INVALID", "a value is a finite number"));
        }
    }
    let period = domain::fuzzy_date::Period::new(new.start, new.end)
        .map_err(|error| rule("end", "INVALID", error))?;
    writable_initiative(tx, actor, new.initiative_id).await?;
    let position = next_position::<outcome::Entity>(tx, new.initiative_id).await?;
    let now = unit.now();
    let row = outcome::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        initiative_id: Set(new.initiative_id),
        position: Set(position),
        indicator: Set(new.indicator),
        unit: Set(new.unit),
        baseline: Set(new.baseline),
        target: Set(new.target),
        actual: Set(new.actual),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        evidence_level: Set(new.evidence_level.as_str().to_owned()),
        source_id: Set(new.source_id),
        note: Set(new.note),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound { field: "source" },
        _ => WriteError::from(error),
    })?;
    let outcome = rows::outcome(row)?;
    unit.audit(
        "add_outcome",
        "outcome",
        outcome.id,
        None,
        Some(
            json!({ "initiativeId": outcome.initiative_id, "indicator": outcome.indicator,
            "baseline": outcome.baseline, "target": outcome.target, "actual": outcome.actual,
            "evidenceLevel": outcome.evidence_level.as_str() }),
        ),
    )
    .await?;
    Ok(outcome)
}

/// A lesson learned from an initiative.
#[derive(Debug, Clone)]
pub struct NewLesson {
    pub initiative_id: Id,
    pub kind: LessonKind,
    pub text: String,
    pub topics: Vec<LessonTopic>,
}

/// Adds a lesson after the initiative's others.
pub async fn add_lesson(
    unit: &crate::write::Unit,
    new: NewLesson,
) -> Result<domain::initiative::Lesson, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.text.trim().is_empty() {
        return Err(rule("text", "REQUIRED", "a lesson says what was learned"));
    }
    writable_initiative(tx, actor, new.initiative_id).await?;
    let position = next_position::<lesson::Entity>(tx, new.initiative_id).await?;
    let mut topics = new.topics.clone();
    topics.dedup();
    let now = unit.now();
    let row = lesson::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        initiative_id: Set(new.initiative_id),
        position: Set(position),
        kind: Set(new.kind.as_str().to_owned()),
        search_name: Set(domain::search::fold(&new.text)),
        text: Set(new.text),
        topics: Set(serde_json::to_string(&topics).unwrap_or_else(|_| "[]".to_owned())),
        ..Default::default()
    }
    .insert(tx)
    .await?;
    let lesson = rows::lesson(row)?;
    unit.audit(
        "add_lesson",
        "lesson",
        lesson.id,
        None,
        Some(
            json!({ "initiativeId": lesson.initiative_id, "kind": lesson.kind.as_str(),
            "text": lesson.text }),
        ),
    )
    .await?;
    Ok(lesson)
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

/// An indicator of a new report.
#[derive(Debug, Clone)]
pub struct NewIndicator {
    /// The slug of the theme it measures; one of the partnership's themes or a narrower one.
    pub theme: Option<String>,
    pub name: String,
    pub unit: Option<String>,
    pub target: Option<f64>,
    pub value: Option<f64>,
    pub note: Option<String>,
}

/// A report on a partnership.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub partnership_id: Id,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub summary: String,
    pub published_on: Option<NaiveDate>,
    pub source_id: Option<Id>,
    pub indicators: Vec<NewIndicator>,
}

/// Adds a report with its indicators to a partnership (editors, or a partner of one of its
/// parties), checked by `partnership::check_report`.
pub async fn add_report(
    unit: &crate::write::Unit,
    new: NewReport,
) -> Result<domain::partnership::Report, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.summary.trim().is_empty() {
        return Err(rule(
            "summary",
            "REQUIRED",
            "a report sums up what was done",
        ));
    }
    let period = domain::fuzzy_date::Period::new(new.start, new.end)
        .map_err(|error| rule("end", "INVALID", error))?;
    for indicator in &new.indicators {
        if indicator.name.trim().is_empty() {
            return Err(rule("indicators", "REQUIRED", "an indicator has a name"));
        }
        if [indicator.target, indicator.value]
            .iter()
            .flatten()
            .any(|v| !v.is_finite())
        {
            return Err(rule("indicators", "INVALID", "a value is a finite number"));
        }
    }
    crate::partnership::check_may_write(tx, actor, new.partnership_id, "partnership").await?;
    let partnership = rows::partnership(
        partnership::Entity::find_by_id(new.partnership_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound {
                field: "partnership",
            })?,
    )?;
    // The partnership's themes and their children.
    let own: Vec<Id> = crate::relation::link_ids_in(
        tx,
        "partnership_theme",
        "partnership_id",
        "theme_id",
        partnership.id,
    )
    .await?;
    let children: Vec<Id> = theme::Entity::find()
        .filter(Expr::col("parent_id").is_in(own.clone()))
        .all(tx)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let mut theme_ids = Vec::new();
    for indicator in &new.indicators {
        theme_ids.push(match &indicator.theme {
            Some(slug) => Some(
                crate::theme::ids_of(tx, std::slice::from_ref(slug))
                    .await
                    .map_err(|_| WriteError::NotFound {
                        field: "indicators",
                    })?[0],
            ),
            None => None,
        });
    }
    domain::partnership::check_report(
        &partnership,
        &period,
        theme_ids
            .iter()
            .map(|id| id.is_none_or(|id| own.contains(&id) || children.contains(&id))),
    )
    .map_err(|error| match error {
        domain::partnership::ReportError::BeforePartnership { .. } => {
            rule("start", "BEFORE_PARTNERSHIP", error)
        }
        domain::partnership::ReportError::ThemeNotCovered => {
            rule("indicators", "THEME_NOT_COVERED", error)
        }
    })?;
    let now = unit.now();
    let row = partnership_report::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        partnership_id: Set(partnership.id),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        summary: Set(new.summary),
        published_on: Set(new.published_on),
        source_id: Set(new.source_id),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|error| match error.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound { field: "source" },
        _ => WriteError::from(error),
    })?;
    for (index, (indicator, theme_id)) in new.indicators.into_iter().zip(theme_ids).enumerate() {
        report_indicator::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            report_id: Set(row.id),
            position: Set(index as i32 + 1),
            theme_id: Set(theme_id),
            name: Set(indicator.name),
            unit: Set(indicator.unit),
            target: Set(indicator.target),
            value: Set(indicator.value),
            note: Set(indicator.note),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let report = rows::report(row)?;
    unit.audit(
        "add_partnership_report",
        "partnership_report",
        report.id,
        None,
        Some(json!({ "partnershipId": report.partnership_id, "summary": report.summary,
            "start": report.period.start.map(|d| d.edtf()), "end": report.period.end.map(|d| d.edtf()) })),
    )
    .await?;
    Ok(report)
}

/// Maps a foreign-key violation on insert to the input field that named a missing record.
fn missing(field: &'static str) -> impl Fn(sea_orm::DbErr) -> WriteError {
    move |error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => unique_as_taken(error, &[("slug", "slug")]),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => WriteError::NotFound { field },
        _ => WriteError::from(error),
    }
}

async fn link_themes(
    tx: &DatabaseTransaction,
    table: &'static str,
    column: &'static str,
    id: Id,
    slugs: &[String],
) -> Result<(), WriteError> {
    let theme_ids = crate::theme::ids_of(tx, slugs).await?;
    crate::theme::tag(tx, (table, column), id, &theme_ids, false).await
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
}

/// Creates a programme with its organisers and themes: editors, or a partner whose
/// organisation is among its owners.
pub async fn create_programme(
    unit: &crate::write::Unit,
    new: NewProgramme,
) -> Result<domain::programme::Programme, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.name.trim().is_empty() {
        return Err(rule("name", "REQUIRED", "a programme has a name"));
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
    let now = unit.now();
    let row = programme::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        slug: Set(new.slug),
        name: Set(new.name),
        search_name: Set(domain::search::fold(&searchable)),
        acronym: Set(new.acronym),
        aim: Set(new.aim),
        description: Set(new.description),
        stakeholders: Set("[]".to_owned()),
        rules: Set("[]".to_owned()),
        participation_mode: Set(new.participation_mode.as_str().to_owned()),
        eligibility: Set(new.eligibility.map(|e| e.as_str().to_owned())),
        territory: Set(new.territory),
        started_on: Set(new.since.map(|d| d.edtf())),
        start_earliest: Set(new.since.map(|d| d.earliest())),
        duration_months: Set(new.duration_months),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(missing("territoryCity"))?;
    link_themes(tx, "programme_theme", "programme_id", row.id, &new.themes).await?;
    let mut organisers_seen = std::collections::HashSet::new();
    for (organisation_id, role) in new
        .organisers
        .iter()
        .filter(|(organisation_id, _)| organisers_seen.insert(*organisation_id))
    {
        programme_organiser::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            programme_id: Set(row.id),
            organisation_id: Set(*organisation_id),
            role: Set(role.as_str().to_owned()),
            ..Default::default()
        }
        .insert(tx)
        .await
        .map_err(missing("organisers"))?;
    }
    let programme = rows::programme(row)?;
    unit.audit(
        "create_programme",
        "programme",
        programme.id,
        None,
        Some(json!({ "slug": programme.slug, "name": programme.name,
            "participationMode": programme.participation_mode.as_str() })),
    )
    .await?;
    Ok(programme)
}

/// A new award or challenge.
#[derive(Debug, Clone)]
pub struct NewAward {
    pub slug: String,
    pub name: String,
    pub kind: domain::award::AwardKind,
    pub organiser_id: Id,
    pub description: Option<String>,
    pub since: Option<FuzzyDate>,
    pub frequency: Option<String>,
    pub prize: Option<String>,
    pub themes: Vec<String>,
}

/// Creates an award or challenge: editors, or a partner of its organiser.
pub async fn create_award(
    unit: &crate::write::Unit,
    new: NewAward,
) -> Result<domain::award::Award, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.name.trim().is_empty() {
        return Err(rule("name", "REQUIRED", "an award has a name"));
    }
    actor.check_writes_for(new.organiser_id)?;
    let now = unit.now();
    let row = award::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        search_name: Set(domain::search::fold(&new.name)),
        slug: Set(new.slug),
        name: Set(new.name),
        kind: Set(new.kind.as_str().to_owned()),
        organiser_id: Set(new.organiser_id),
        description: Set(new.description),
        since_on: Set(new.since.map(|d| d.edtf())),
        since_earliest: Set(new.since.map(|d| d.earliest())),
        frequency: Set(new.frequency),
        prize: Set(new.prize),
        milestones: Set("[]".to_owned()),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(missing("organiser"))?;
    link_themes(tx, "award_theme", "award_id", row.id, &new.themes).await?;
    let award = rows::award(row)?;
    unit.audit(
        "create_award",
        "award",
        award.id,
        None,
        Some(
            json!({ "slug": award.slug, "name": award.name, "kind": award.kind.as_str(),
            "organiserId": award.organiser_id }),
        ),
    )
    .await?;
    Ok(award)
}

/// Who takes part in a new event.
#[derive(Debug, Clone)]
pub struct NewEventParticipant {
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub person_id: Option<Id>,
    pub role: Option<String>,
}

/// A new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub slug: String,
    pub title: String,
    pub kind: domain::event::EventKind,
    pub status: Option<domain::event::EventStatus>,
    pub date: Option<FuzzyDate>,
    pub description: Option<String>,
    pub place_city_id: Option<Id>,
    pub organiser_id: Option<Id>,
    pub partnership_id: Option<Id>,
    pub programme_id: Option<Id>,
    pub participants: Vec<NewEventParticipant>,
}

/// Creates an event with its participants: editors; a partner who may write each of its
/// organiser, partnership and programme (at least one) and name each participant
/// (`Actor::check_names`). Its place only locates it: any city.
pub async fn create_event(
    unit: &crate::write::Unit,
    new: NewEvent,
) -> Result<domain::event::Event, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.title.trim().is_empty() {
        return Err(rule("title", "REQUIRED", "an event has a title"));
    }
    if new
        .participants
        .iter()
        .any(|p| p.city_id.is_none() && p.organisation_id.is_none() && p.person_id.is_none())
    {
        return Err(rule(
            "participants",
            "REQUIRED",
            "a participant is a city, an organisation or a person",
        ));
    }
    // Every record the event hangs from must be the caller's to write.
    let mut rights = Vec::new();
    if let Some(organiser_id) = new.organiser_id {
        rights.push(actor.check_writes_for(organiser_id));
    }
    if let Some(id) = new.partnership_id {
        rights.push(crate::write::right(
            crate::partnership::check_may_write(tx, actor, id, "partnership").await,
        )?);
    }
    if let Some(id) = new.programme_id {
        rights.push(crate::write::right(
            check_writes_programme(tx, actor, id).await,
        )?);
    }
    actor.check_links(rights)?;
    for participant in &new.participants {
        crate::authority::check_names(
            tx,
            actor,
            crate::authority::Participant {
                city_id: participant.city_id,
                organisation_id: participant.organisation_id,
                person_id: participant.person_id,
            },
        )
        .await?;
    }
    let now = unit.now();
    let row = event::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        search_name: Set(domain::search::fold(&new.title)),
        slug: Set(new.slug),
        title: Set(new.title),
        title_is_descriptive: Set(false),
        kind: Set(new.kind.as_str().to_owned()),
        status: Set(new.status.map(|s| s.as_str().to_owned())),
        date_on: Set(new.date.map(|d| d.edtf())),
        date_earliest: Set(new.date.map(|d| d.earliest())),
        description: Set(new.description),
        place_city_id: Set(new.place_city_id),
        organiser_id: Set(new.organiser_id),
        partnership_id: Set(new.partnership_id),
        programme_id: Set(new.programme_id),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(missing("place"))?;
    for participant in new.participants {
        event_participant::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            event_id: Set(row.id),
            city_id: Set(participant.city_id),
            organisation_id: Set(participant.organisation_id),
            person_id: Set(participant.person_id),
            role: Set(participant.role),
            ..Default::default()
        }
        .insert(tx)
        .await
        .map_err(missing("participants"))?;
    }
    let event = rows::event(row)?;
    unit.audit(
        "create_event",
        "event",
        event.id,
        None,
        Some(
            json!({ "slug": event.slug, "title": event.title, "kind": event.kind.as_str(),
            "date": event.date.map(|d| d.edtf()) }),
        ),
    )
    .await?;
    Ok(event)
}
