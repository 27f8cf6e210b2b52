//! Elections: recorded by editors (and the seed), read whole — there are a few per country and
//! decade — by whoever asks which records they made stale.

use chrono::NaiveDate;
use domain::election::{Election, ElectionKind, Jurisdiction, check_rounds};
use sea_orm::ActiveValue::Set;
use sea_orm::{EntityTrait, QueryOrder};

use crate::entity::election;
use crate::write::{
    Change, Changing, Field, Kind, Problems, Rule, Unit, WriteError, broken, set_if, unique_as,
};
use crate::{Db, Error};

/// Elections, as the write path handles them.
const ELECTION: Kind<election::Entity, Election> = Kind::stored(snapshot);

/// An election to record.
#[derive(Debug, Clone)]
pub struct NewElection {
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// ISO 3166-2, of `country`; none for an election of the whole country.
    pub subdivision: Option<String>,
    pub kind: ElectionKind,
    pub first_round: NaiveDate,
    pub second_round: Option<NaiveDate>,
}

/// Every election, the earliest first: what staleness is computed from.
pub async fn all(db: &Db) -> Result<Vec<Election>, Error> {
    let select = election::Entity::find()
        .order_by_asc(election::Column::FirstRound)
        .order_by_asc(election::Column::Id);
    crate::stored::fetch(db, select).await
}

/// Records an election (editors): every problem of the input at once, each on its field; one
/// election of a kind per jurisdiction and first round.
pub async fn create(unit: &Unit, new: NewElection) -> Result<Election, WriteError> {
    unit.actor().check_editor()?;
    let jurisdiction = Jurisdiction::new(&new.country, new.subdivision.as_deref());
    let jurisdiction = match (jurisdiction, check_days(new.first_round, new.second_round)) {
        (Ok(jurisdiction), Ok(())) => jurisdiction,
        (Ok(_), Err(problem)) => return Err(problem),
        (Err(broken), Ok(())) => return Err(broken.into()),
        (Err(broken), Err(problem)) => {
            return Err(WriteError::Several(vec![broken.into(), problem]));
        }
    };
    let active = election::ActiveModel {
        country: Set(jurisdiction.country().to_owned()),
        subdivision: Set(jurisdiction.subdivision().map(str::to_owned)),
        jurisdiction: Set(jurisdiction.code().to_owned()),
        kind: Set(new.kind.as_str().to_owned()),
        first_round: Set(new.first_round),
        second_round: Set(new.second_round),
        ..Default::default()
    };
    ELECTION
        .insert_new(unit, "create_election", active)
        .await
        .map_err(already_recorded(format!(
            "an election of this kind in {} on {} is recorded already",
            jurisdiction.code(),
            new.first_round
        )))
}

/// An election's corrections; `None` keeps the stored value. Where it is held stays: an
/// election elsewhere is another election.
#[derive(Debug, Clone, Default)]
pub struct ElectionChanges {
    pub kind: Option<ElectionKind>,
    pub first_round: Option<NaiveDate>,
    pub second_round: Option<NaiveDate>,
}

/// Corrects an election's kind or days (editors), if `version` is still current: its rounds
/// stay in order, and one election of a kind per jurisdiction and first round.
impl Change for ElectionChanges {
    type Record = Election;
    const KIND: Kind<election::Entity, Election> = ELECTION;
    const ACTION: &'static str = "update_election";

    fn explain(&self) -> impl FnOnce(WriteError) -> WriteError + Send + 'static {
        already_recorded(
            "an election of this kind in its jurisdiction on this first round is recorded already"
                .to_owned(),
        )
    }

    fn check_first(&self, unit: &Unit, _id: domain::Id) -> Result<(), WriteError> {
        Ok(unit.actor().check_editor()?)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let first_round = self.first_round.unwrap_or(to.before.first_round);
        let second_round = self.second_round.or(to.before.second_round);
        check_days(first_round, second_round)?;
        let active = &mut to.active;
        set_if(
            &mut active.kind,
            self.kind.map(|kind| kind.as_str().to_owned()),
        );
        set_if(&mut active.first_round, self.first_round);
        set_if(&mut active.second_round, self.second_round.map(Some));
        Ok(())
    }
}

/// A unique violation as the input's fault: the election `taken` says is recorded already.
fn already_recorded(taken: String) -> impl FnOnce(WriteError) -> WriteError {
    move |error| match error {
        WriteError::Store(Error::Database(error)) => {
            unique_as(|| broken(Field::FirstRound, Rule::Duplicate(taken)))(error)
        }
        other => other,
    }
}

/// The days of an election, each problem on its field: the first round's day, the second
/// round's own day, and the second round after the first.
fn check_days(first_round: NaiveDate, second_round: Option<NaiveDate>) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    problems.check::<WriteError>(check_rounds(first_round, None).map_err(Into::into));
    if let Some(second) = second_round {
        let day_alone =
            check_rounds(second, None).map_err(|error| broken(Field::SecondRound, error));
        problems.check(
            day_alone
                .and_then(|()| check_rounds(first_round, Some(second)).map_err(WriteError::from)),
        );
    }
    problems.into_result()
}

pub(crate) fn snapshot(election: &Election) -> serde_json::Value {
    serde_json::json!({
        "country": election.jurisdiction.country(),
        "subdivision": election.jurisdiction.subdivision(),
        "kind": election.kind.as_str(),
        "firstRound": election.first_round,
        "secondRound": election.second_round,
        "version": election.stamp.version,
    })
}
