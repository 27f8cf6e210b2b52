//! Elections: recorded by editors (and the seed), read whole — there are a few per country and
//! decade — by whoever asks which records they made stale.

use chrono::NaiveDate;
use domain::election::{Election, ElectionKind, Jurisdiction, check_rounds};
use sea_orm::ActiveValue::Set;
use sea_orm::{EntityTrait, QueryOrder};

use crate::entity::election;
use crate::write::{Field, Kind, Problems, Rule, Unit, WriteError, broken, unique_as};
use crate::{Db, Error, rows};

/// Elections, as the write path handles them.
const ELECTION: Kind<election::Entity, Election> = Kind {
    to_domain: rows::election,
    snapshot,
    unique: &[],
};

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
    let jurisdiction = match (jurisdiction, check_days(&new)) {
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
        .map_err(|error| match error {
            WriteError::Store(Error::Database(error)) => unique_as(|| {
                broken(
                    Field::FirstRound,
                    Rule::Duplicate(format!(
                        "an election of this kind in {} on {} is recorded already",
                        jurisdiction.code(),
                        new.first_round
                    )),
                )
            })(error),
            other => other,
        })
}

/// The days of an election, each problem on its field: the first round's day, the second
/// round's own day, and the second round after the first.
fn check_days(new: &NewElection) -> Result<(), WriteError> {
    let mut problems = Problems::default();
    problems.check::<WriteError>(check_rounds(new.first_round, None).map_err(Into::into));
    if let Some(second) = new.second_round {
        let day_alone =
            check_rounds(second, None).map_err(|error| broken(Field::SecondRound, error));
        problems.check(
            day_alone.and_then(|()| {
                check_rounds(new.first_round, Some(second)).map_err(WriteError::from)
            }),
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
