//! Lessons learned from an initiative: added after its others and changed in place by those
//! who may write the initiative.

use domain::Id;
use domain::initiative::{Lesson, LessonKind, LessonTopic};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::entity::*;
use crate::write::{Change, Changing, Field, Kind, Unit, WriteError, needed};

/// Lessons, as the write path handles them.
const LESSON: Kind<lesson::Entity, Lesson> = Kind::stored(snapshot);

/// A lesson learned from an initiative, or what a lesson becomes once changed.
#[derive(Debug, Clone)]
pub struct NewLesson {
    pub initiative_id: Id,
    pub kind: LessonKind,
    pub text: String,
    pub topics: Vec<LessonTopic>,
}

/// A lesson's own fields as changed; `None` keeps the stored value. It stays with its
/// initiative, at its position.
#[derive(Debug, Clone, Default)]
pub struct LessonChanges {
    pub kind: Option<LessonKind>,
    pub text: Option<String>,
    /// The new full list.
    pub topics: Option<Vec<LessonTopic>>,
}

/// Adds a lesson after the initiative's others.
pub async fn add(unit: &Unit, new: NewLesson) -> Result<Lesson, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    check(&new)?;
    super::writable_initiative(tx, actor, new.initiative_id).await?;
    let mut active = row(&new);
    active.position = Set(super::next_position::<lesson::Entity>(tx, new.initiative_id).await?);
    LESSON.insert_new(unit, "add_lesson", active).await
}

/// Changes a lesson (those who may write its initiative), if `version` is still current: the
/// lesson as changed passes the checks of a new one.
impl Change for LessonChanges {
    type Record = Lesson;
    const KIND: Kind<lesson::Entity, Lesson> = LESSON;
    const ACTION: &'static str = "update_lesson";

    async fn authority(&self, unit: &Unit, before: &Lesson) -> Result<(), WriteError> {
        super::check_changes_initiative(unit, before.initiative_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let before = to.before;
        let changed = NewLesson {
            initiative_id: before.initiative_id,
            kind: self.kind.unwrap_or(before.kind),
            text: self.text.unwrap_or_else(|| before.text.clone()),
            topics: self.topics.unwrap_or_else(|| before.topics.clone()),
        };
        check(&changed)?;
        to.active = row(&changed);
        Ok(())
    }
}

/// The rule a lesson keeps: it says what was learned.
fn check(lesson: &NewLesson) -> Result<(), WriteError> {
    if lesson.text.trim().is_empty() {
        return Err(needed(Field::Text, "a lesson says what was learned"));
    }
    Ok(())
}

/// The row of a lesson but for its position: the one place its columns are written, for a new
/// lesson and a changed one. A topic named twice in a row is kept once.
fn row(lesson: &NewLesson) -> lesson::ActiveModel {
    let mut topics = lesson.topics.clone();
    topics.dedup();
    lesson::ActiveModel {
        initiative_id: Set(lesson.initiative_id),
        kind: Set(lesson.kind.as_str().to_owned()),
        search_name: Set(domain::search::fold(&lesson.text)),
        text: Set(lesson.text.clone()),
        topics: Set(serde_json::to_string(&topics).unwrap_or_else(|_| "[]".to_owned())),
        ..Default::default()
    }
}

/// A lesson as the audit trail keeps it.
fn snapshot(lesson: &Lesson) -> serde_json::Value {
    json!({ "initiativeId": lesson.initiative_id, "position": lesson.position,
        "kind": lesson.kind.as_str(), "text": lesson.text,
        "topics": lesson.topics.iter().map(|topic| topic.as_str()).collect::<Vec<_>>(),
        "version": lesson.stamp.version })
}
