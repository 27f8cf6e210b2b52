//! Freshness, stored: each record's last verification (`verification`, one row per record,
//! named by type and id as citations name theirs), and what decides whether an election made
//! it stale. The rule itself is `domain::freshness`'s; this module reads what it needs, in one
//! statement per kind of record whatever their number, and the editors' queue (`queue`)
//! translates it into SQL to page through the stale records of the whole directory.
//!
//! A record nobody verified since it was written counts as verified when it was created, by
//! whoever created it (read off the audit trail, `creators`): creating a record vouches for it.

mod queue;
mod write;

use std::collections::HashMap;

use domain::Id;
use domain::freshness::{Office, Seat, Verification};
use domain::source::RecordType;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ConnectionTrait, EntityTrait, Iterable, QueryFilter, QueryOrder};

pub use queue::{StaleFilter, stale_page};
pub use write::{MarkVerified, mark_verified};
pub(crate) use write::{start_of, verify_created};

use crate::entity::{FromRowAt, audit_event, verification};
use crate::{Db, Error, rows};

/// What freshness knows of a record: its last explicit verification, and — for a mandate — the
/// office it holds, which elections may make stale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Freshness {
    pub verification: Option<Verification>,
    pub office: Option<Office>,
}

/// What freshness knows of each record of `record_type` among `ids`, in one statement; a
/// record with neither a verification nor an office is absent.
pub async fn of_records(
    db: &Db,
    record_type: RecordType,
    ids: &[Id],
) -> Result<HashMap<Id, Freshness>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    if record_type == RecordType::Mandate {
        return of_mandates(db, ids).await;
    }
    let select = verification::Entity::find()
        .filter(Expr::col("record_type").eq(record_type.as_str()))
        .filter(crate::stored::one_of(db, "record_id", ids.iter().copied()));
    let verifications: Vec<Verification> = crate::stored::fetch(db, select).await?;
    Ok(verifications
        .into_iter()
        .map(|verification| {
            let freshness = Freshness {
                verification: Some(verification.clone()),
                office: None,
            };
            (verification.record_id, freshness)
        })
        .collect())
}

/// Who created each record of `record_type` among `ids`, as the audit trail names actors: the
/// actor of its last creation event. Records without one are absent.
pub async fn creators(
    db: &Db,
    record_type: RecordType,
    ids: &[Id],
) -> Result<HashMap<Id, String>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let events = audit_event::Entity::find()
        .filter(Expr::col("entity_type").eq(record_type.as_str()))
        .filter(crate::stored::one_of(db, "entity_id", ids.iter().copied()))
        .filter(Expr::col("before").is_null())
        .order_by_asc(audit_event::Column::Id)
        .all(db.conn())
        .await?;
    // In id order, so a later creation of the same id (one deleted, then made again) wins.
    Ok(events
        .into_iter()
        .map(|event| (event.entity_id, event.actor_name))
        .collect())
}

/// Mandates with their verification and the office they hold: the mandate joined to its
/// verification and to the city or organisation it is held in, one row each.
async fn of_mandates(db: &Db, ids: &[Id]) -> Result<HashMap<Id, Freshness>, Error> {
    let (m, c, o) = (Alias::new("m"), Alias::new("c"), Alias::new("o"));
    let v = Alias::new("verification");
    let mut select = Query::select();
    for column in verification::Column::iter() {
        select.column((v.clone(), column));
    }
    select
        .expr_as(Expr::col((m.clone(), Alias::new("id"))), "mandate_id")
        .expr_as(Expr::col((m.clone(), Alias::new("role"))), "role")
        .expr_as(Expr::col((m.clone(), Alias::new("start_on"))), "start_on")
        .expr_as(Expr::col((m.clone(), Alias::new("end_on"))), "end_on")
        .expr_as(Expr::col((c.clone(), Alias::new("id"))), "city_id")
        .expr_as(
            Expr::col((c.clone(), Alias::new("country"))),
            "city_country",
        )
        .expr_as(
            Expr::col((c.clone(), Alias::new("subdivision_1"))),
            "subdivision_1",
        )
        .expr_as(
            Expr::col((c.clone(), Alias::new("subdivision_2"))),
            "subdivision_2",
        )
        .expr_as(
            Expr::col((o.clone(), Alias::new("kind"))),
            "organisation_kind",
        )
        .expr_as(
            Expr::col((o.clone(), Alias::new("country"))),
            "organisation_country",
        )
        .expr_as(
            Expr::col((o.clone(), Alias::new("subdivision"))),
            "organisation_subdivision",
        )
        .from_as(Alias::new("mandate"), m.clone())
        .left_join(
            v.clone(),
            Expr::col((v.clone(), Alias::new("record_type")))
                .eq(RecordType::Mandate.as_str())
                .and(
                    Expr::col((v.clone(), Alias::new("record_id")))
                        .equals((m.clone(), Alias::new("id"))),
                ),
        )
        .join_as(
            sea_orm::sea_query::JoinType::LeftJoin,
            Alias::new("city"),
            c.clone(),
            Expr::col((c.clone(), Alias::new("id"))).equals((m.clone(), Alias::new("city_id"))),
        )
        .join_as(
            sea_orm::sea_query::JoinType::LeftJoin,
            Alias::new("organisation"),
            o.clone(),
            Expr::col((o.clone(), Alias::new("id")))
                .equals((m.clone(), Alias::new("organisation_id"))),
        )
        .and_where(crate::stored::one_of_in(db, "m", "id", ids.iter().copied()));
    let statement = db.conn().get_database_backend().build(&select);
    let rows = db.conn().query_all_raw(statement).await?;
    let mut found = HashMap::new();
    for row in &rows {
        let mandate_id: Id = row.try_get("", "mandate_id")?;
        let verification = verification::Model::from_row_at_optional(row, 0)?
            .map(rows::verification)
            .transpose()?;
        found.insert(
            mandate_id,
            Freshness {
                verification,
                office: Some(office(row)?),
            },
        );
    }
    Ok(found)
}

/// The office a mandate's row holds, with the place of its city or organisation.
fn office(row: &sea_orm::QueryResult) -> Result<Office, Error> {
    let text = |column: &str| row.try_get::<Option<String>>("", column);
    let role: String = row.try_get("", "role")?;
    let start = text("start_on")?;
    let end = text("end_on")?;
    let city_id: Option<Id> = row.try_get("", "city_id")?;
    let (seat, country, subdivisions) = match city_id {
        Some(_) => (
            Seat::City,
            text("city_country")?,
            [text("subdivision_1")?, text("subdivision_2")?]
                .into_iter()
                .flatten()
                .collect(),
        ),
        None => {
            let kind = text("organisation_kind")?.unwrap_or_default();
            let kind = kind
                .parse()
                .map_err(|error| Error::corrupt("organisation", "kind", &kind, error))?;
            (
                Seat::Organisation(kind),
                text("organisation_country")?,
                text("organisation_subdivision")?.into_iter().collect(),
            )
        }
    };
    Ok(Office {
        role: role
            .parse()
            .map_err(|error| Error::corrupt("mandate", "role", &role, error))?,
        seat,
        period: rows::stored_period("mandate", start.as_deref(), end.as_deref())?,
        country,
        subdivisions,
    })
}
