//! Writes to awards and challenges, and the recognitions they grant.

use domain::{FuzzyDate, Id};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::entity::*;
use crate::rows;
use crate::write::{
    Change, Changing, Field, Kind, Unit, WriteError, broken, link_themes, names_missing, needed,
    on, set_given,
};

/// Awards, as the write path handles them.
const AWARD: Kind<award::Entity, domain::award::Award> = Kind::stored(snapshot);

/// Recognitions, as the write path handles them.
const RECOGNITION: Kind<recognition::Entity, domain::award::Recognition> =
    Kind::stored(recognition_snapshot);

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
    /// Dated steps of its history (created, renamed, merged).
    pub milestones: Vec<domain::award::Milestone>,
}

/// Creates an award or challenge: editors, or a partner of its organiser.
pub async fn create(unit: &Unit, new: NewAward) -> Result<domain::award::Award, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    domain::slug::Slug::parse(&new.slug)?;
    if new.name.trim().is_empty() {
        return Err(needed(Field::Name, "an award has a name"));
    }
    for milestone in &new.milestones {
        FuzzyDate::parse(&milestone.date).map_err(on(Field::Milestones))?;
    }
    actor.check_writes_for(new.organiser_id)?;
    let row = award::ActiveModel {
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
        milestones: Set(serde_json::to_string(&new.milestones).unwrap_or_else(|_| "[]".to_owned())),
        ..Default::default()
    };
    let award = AWARD
        .insert_new(unit, "create_award", row)
        .await
        .map_err(names_missing(Field::Organiser))?;
    link_themes(tx, "award_theme", "award_id", award.id, &new.themes).await?;
    Ok(award)
}

/// A recognition by an award, or what a recognition becomes once changed.
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
    unit: &Unit,
    new: NewRecognition,
) -> Result<domain::award::Recognition, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let award = award_of(unit, new.award_id).await?;
    actor.check_writes_for(award.organiser_id)?;
    crate::authority::check_names_body(unit, new.city_id, new.organisation_id).await?;
    check_recognition(&award, &new)?;
    for (found, field) in [
        (
            match new.city_id {
                Some(id) => city::Entity::find_by_id(id).one(tx).await?.is_some(),
                None => true,
            },
            Field::City,
        ),
        (
            match new.organisation_id {
                Some(id) => organisation::Entity::find_by_id(id)
                    .one(tx)
                    .await?
                    .is_some(),
                None => true,
            },
            Field::Organisation,
        ),
        (
            match new.initiative_id {
                Some(id) => {
                    crate::initiative::check_may_see_initiative(tx, actor, id, Field::Initiative)
                        .await
                        .is_ok()
                }
                None => true,
            },
            Field::Initiative,
        ),
    ] {
        if !found {
            return Err(WriteError::NotFound(field));
        }
    }
    RECOGNITION
        .insert_new(unit, "add_recognition", recognition_row(&new))
        .await
}

/// A recognition's own fields as changed; `None` keeps the stored value. Its award and its
/// recipients stay.
#[derive(Debug, Clone, Default)]
pub struct RecognitionChanges {
    pub year: Option<i32>,
    pub level: Option<domain::award::RecognitionLevel>,
    pub category: Option<String>,
}

/// Changes a recognition (editors, or a partner of the award's organiser), if `version` is
/// still current: the recognition as changed passes the checks of a new one.
impl Change for RecognitionChanges {
    type Record = domain::award::Recognition;
    const KIND: Kind<recognition::Entity, domain::award::Recognition> = RECOGNITION;
    const ACTION: &'static str = "update_recognition";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::award::Recognition,
    ) -> Result<(), WriteError> {
        let award = award_of(unit, before.award_id).await?;
        Ok(unit.actor().check_writes_for(award.organiser_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let changed = NewRecognition {
            award_id: before.award_id,
            year: self.year.unwrap_or(before.year),
            level: self.level.unwrap_or(before.level),
            category: self.category.or_else(|| before.category.clone()),
            city_id: before.city_id,
            organisation_id: before.organisation_id,
            initiative_id: before.initiative_id,
        };
        check_recognition(&award_of(to.unit, before.award_id).await?, &changed)?;
        let active = &mut to.active;
        active.year = Set(changed.year);
        active.level = Set(changed.level.as_str().to_owned());
        active.category = Set(changed.category);
        Ok(())
    }
}

/// The award `id`; `NOT_FOUND` on the award when there is none.
async fn award_of(unit: &Unit, id: Id) -> Result<domain::award::Award, WriteError> {
    Ok(rows::award(
        award::Entity::find_by_id(id)
            .one(unit.tx())
            .await?
            .ok_or(WriteError::NotFound(Field::Award))?,
    )?)
}

/// The rules a recognition keeps (`award::check_recognition`): it goes to someone, for a year
/// the award existed in.
fn check_recognition(
    award: &domain::award::Award,
    recognition: &NewRecognition,
) -> Result<(), WriteError> {
    domain::award::check_recognition(
        award,
        recognition.year,
        recognition.city_id.is_some() || recognition.organisation_id.is_some(),
    )
    .map_err(|error| {
        let field = match error {
            domain::award::RecognitionError::BeforeAward { .. } => Field::Year,
            domain::award::RecognitionError::NoRecipient => Field::City,
        };
        broken(field, error)
    })
}

/// The row of a recognition: the one place its columns are written, for a new recognition and
/// a changed one.
fn recognition_row(recognition: &NewRecognition) -> recognition::ActiveModel {
    recognition::ActiveModel {
        award_id: Set(recognition.award_id),
        year: Set(recognition.year),
        level: Set(recognition.level.as_str().to_owned()),
        category: Set(recognition.category.clone()),
        city_id: Set(recognition.city_id),
        organisation_id: Set(recognition.organisation_id),
        initiative_id: Set(recognition.initiative_id),
        ..Default::default()
    }
}

/// A recognition as the audit trail keeps it.
fn recognition_snapshot(recognition: &domain::award::Recognition) -> serde_json::Value {
    json!({ "awardId": recognition.award_id, "year": recognition.year,
        "level": recognition.level.as_str(), "category": recognition.category,
        "cityId": recognition.city_id, "organisationId": recognition.organisation_id,
        "initiativeId": recognition.initiative_id, "version": recognition.stamp.version })
}

/// An award's own fields as changed; `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct AwardChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub since: Option<FuzzyDate>,
    pub frequency: Option<String>,
    pub prize: Option<String>,
    /// Theme slugs: the new full list.
    pub themes: Option<Vec<String>>,
}

fn snapshot(award: &domain::award::Award) -> serde_json::Value {
    json!({ "slug": award.slug, "name": award.name, "kind": award.kind.as_str(),
        "organiserId": award.organiser_id, "description": award.description, "since": award.since.map(|d| d.edtf()),
        "frequency": award.frequency, "prize": award.prize, "version": award.stamp.version })
}

/// Changes an award or challenge (editors, or a partner of its organiser), if `version` is
/// still current.
impl Change for AwardChanges {
    type Record = domain::award::Award;
    const KIND: Kind<award::Entity, domain::award::Award> = AWARD;
    const ACTION: &'static str = "update_award";

    async fn authority(
        &self,
        unit: &Unit,
        before: &domain::award::Award,
    ) -> Result<(), WriteError> {
        Ok(unit.actor().check_writes_for(before.organiser_id)?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let tx = to.unit.tx();
        if let Some(slugs) = &self.themes {
            let themes = crate::theme::ids_of(tx, slugs).await?;
            crate::theme::tag(tx, ("award_theme", "award_id"), to.id, &themes, true).await?;
        }
        let active = &mut to.active;
        if let Some(name) = self.name {
            domain::validate::check_name("name", &name)?;
            active.search_name = Set(domain::search::fold(&name));
            active.name = Set(name.trim().to_owned());
        }
        if let Some(since) = self.since {
            active.since_on = Set(Some(since.edtf()));
            active.since_earliest = Set(Some(since.earliest()));
        }
        set_given([
            (&mut active.description, self.description.map(Some)),
            (&mut active.frequency, self.frequency.map(Some)),
            (&mut active.prize, self.prize.map(Some)),
        ]);
        Ok(())
    }
}
