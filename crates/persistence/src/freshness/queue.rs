//! The editors' queue: every stale record of the directory, the least recently verified first,
//! as keyset pages.
//!
//! A record is stale by `domain::freshness::staleness`; this module says the same in SQL, so
//! that a page and its count are read from the database rather than from every record in
//! memory. Which offices an election renews is not restated here: the SQL lists the roles and
//! organisation kinds `domain::freshness::renews` accepts. The rest translates the domain's
//! rule term by term — verified before the first round, the first round by today
//! (`staleness`), the place in the jurisdiction (`Jurisdiction::covers`), the office possibly
//! held on the first round (`Period::may_contain`) — and the API reads each listed record's
//! staleness through the domain's own rule, which the tests compare with the queue.
//!
//! Only mandates hold offices, so only mandates are ever stale; the queue takes the kind of
//! record as a filter all the same, so that a later kind joins it without changing its shape.

use chrono::NaiveDate;
use domain::election::ElectionKind;
use domain::freshness::{Seat, renews};
use domain::mandate::{Mandate, MandateRole};
use domain::organisation::OrganisationKind;
use domain::source::RecordType;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{DatabaseBackend, EntityTrait, QueryFilter};

use crate::entity::mandate;
use crate::page::{Direction, Page, PageRequest, SelectedKey, fetch_selected};
use crate::{Db, Error};

/// Which stale records to list. Empty lists and `None` keep everything.
#[derive(Debug, Clone, Default)]
pub struct StaleFilter {
    /// Only records of these kinds.
    pub kinds: Vec<RecordType>,
    /// Only records held in a city or organisation of this country (ISO 3166-1).
    pub country: Option<String>,
    /// Only records held in a city or organisation of this subdivision (ISO 3166-2), at any
    /// level.
    pub subdivision: Option<String>,
}

/// One page of the records stale on `today`, the least recently verified first (then by id).
/// The cursor's value is the day of the record's last verification.
pub async fn stale_page(
    db: &Db,
    filter: &StaleFilter,
    today: NaiveDate,
    request: &PageRequest,
) -> Result<Page<Mandate>, Error> {
    let backend = db.conn().get_database_backend();
    let mut select = mandate::Entity::find().filter(Expr::cust(format!(
        "{} IS NOT NULL",
        stale_since(backend, today)
    )));
    if !filter.kinds.is_empty() && !filter.kinds.contains(&RecordType::Mandate) {
        select = select.filter(Expr::cust("1 = 0"));
    }
    if let Some(country) = &filter.country {
        select = select.filter(held_in(
            |city| city.and_where(Expr::col("country").eq(country.as_str())),
            |organisation| organisation.and_where(Expr::col("country").eq(country.as_str())),
        ));
    }
    if let Some(subdivision) = &filter.subdivision {
        let code = subdivision.as_str();
        select = select.filter(held_in(
            |city| {
                city.cond_where(
                    Expr::col("subdivision_1")
                        .eq(code)
                        .or(Expr::col("subdivision_2").eq(code)),
                )
            },
            |organisation| organisation.and_where(Expr::col("subdivision").eq(code)),
        ));
    }
    fetch_selected(
        db,
        select,
        Expr::cust(verified_on_text(backend)),
        SelectedKey::Text,
        Direction::Asc,
        request,
    )
    .await
}

/// The mandate is held in a city `city` keeps or in an organisation `organisation` keeps.
fn held_in(
    city: impl FnOnce(
        &mut sea_orm::sea_query::SelectStatement,
    ) -> &mut sea_orm::sea_query::SelectStatement,
    organisation: impl FnOnce(
        &mut sea_orm::sea_query::SelectStatement,
    ) -> &mut sea_orm::sea_query::SelectStatement,
) -> Expr {
    let mut cities = Query::select();
    cities.column("id").from("city");
    city(&mut cities);
    let mut organisations = Query::select();
    organisations.column("id").from("organisation");
    organisation(&mut organisations);
    Expr::col("city_id")
        .in_subquery(cities)
        .or(Expr::col("organisation_id").in_subquery(organisations))
}

/// The day the mandate was last verified: its verification's, or else the day it was created
/// (a date on PostgreSQL, `YYYY-MM-DD` text on SQLite, which compares the same).
fn verified_on(backend: DatabaseBackend) -> String {
    let created = match backend {
        DatabaseBackend::Postgres => r#"("mandate"."created_at" AT TIME ZONE 'UTC')::date"#,
        _ => r#"date("mandate"."created_at")"#,
    };
    format!(
        r#"COALESCE((SELECT v.verified_on FROM verification v WHERE v.record_type = '{}' AND v.record_id = "mandate"."id"), {created})"#,
        RecordType::Mandate.as_str()
    )
}

/// `verified_on` as `YYYY-MM-DD` text on both databases: the queue's sort key and cursor value.
fn verified_on_text(backend: DatabaseBackend) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("to_char({}, 'YYYY-MM-DD')", verified_on(backend)),
        _ => verified_on(backend),
    }
}

/// The first round of the first election that concerns the mandate, held after its last
/// verification and by `today`; null when there is none: `domain::freshness::staleness`.
fn stale_since(backend: DatabaseBackend, today: NaiveDate) -> String {
    let today = day_literal(backend, today);
    let verified_on = verified_on(backend);
    format!(
        r#"(SELECT MIN(e.first_round) FROM election e
            LEFT JOIN city c ON c.id = "mandate"."city_id"
            LEFT JOIN organisation o ON o.id = "mandate"."organisation_id"
            WHERE e.first_round <= {today} AND e.first_round > {verified_on}
            AND ({renewed})
            AND ("mandate"."start_earliest" IS NULL OR "mandate"."start_earliest" <= e.first_round)
            AND ("mandate"."end_latest" IS NULL OR "mandate"."end_latest" >= e.first_round))"#,
        renewed = renewed_offices(),
    )
}

/// A day as an SQL literal: digits and hyphens only, so it needs no binding.
fn day_literal(backend: DatabaseBackend, day: NaiveDate) -> String {
    let text = day.format("%Y-%m-%d");
    match backend {
        DatabaseBackend::Postgres => format!("DATE '{text}'"),
        _ => format!("'{text}'"),
    }
}

/// For each kind of election, the offices it renews in the election's jurisdiction, as
/// `domain::freshness::renews` says: its roles in a city, and its roles in each kind of
/// organisation. The words are the vocabularies' stored names, so they need no binding.
fn renewed_offices() -> String {
    let words = |roles: &[MandateRole]| {
        roles
            .iter()
            .map(|role| format!("'{}'", role.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut kinds = Vec::new();
    for &kind in ElectionKind::ALL {
        let mut seats = Vec::new();
        let in_city: Vec<MandateRole> = MandateRole::ALL
            .iter()
            .copied()
            .filter(|&role| renews(kind, role, Seat::City))
            .collect();
        if !in_city.is_empty() {
            seats.push(format!(
                r#"("mandate"."city_id" IS NOT NULL AND "mandate"."role" IN ({}) AND e.country = c.country AND (e.subdivision IS NULL OR e.subdivision = c.subdivision_1 OR e.subdivision = c.subdivision_2))"#,
                words(&in_city)
            ));
        }
        for &body in OrganisationKind::ALL {
            let in_body: Vec<MandateRole> = MandateRole::ALL
                .iter()
                .copied()
                .filter(|&role| renews(kind, role, Seat::Organisation(body)))
                .collect();
            if !in_body.is_empty() {
                seats.push(format!(
                    r#"("mandate"."organisation_id" IS NOT NULL AND o.kind = '{}' AND "mandate"."role" IN ({}) AND e.country = o.country AND (e.subdivision IS NULL OR e.subdivision = o.subdivision))"#,
                    body.as_str(),
                    words(&in_body)
                ));
            }
        }
        if !seats.is_empty() {
            kinds.push(format!(
                "(e.kind = '{}' AND ({}))",
                kind.as_str(),
                seats.join(" OR ")
            ));
        }
    }
    if kinds.is_empty() {
        "1 = 0".to_owned()
    } else {
        kinds.join(" OR ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_lists_the_offices_the_domain_says_an_election_renews() {
        let sql = renewed_offices();
        assert!(sql.contains("e.kind = 'municipal'"), "{sql}");
        assert!(sql.contains("IN ('mayor', 'deputy_mayor')"), "{sql}");
        assert!(sql.contains("o.kind = 'metropolitan_authority'"), "{sql}");
        assert!(!sql.contains("'staff'"), "{sql}");
        assert!(!sql.contains("municipal_association"), "{sql}");
    }
}
