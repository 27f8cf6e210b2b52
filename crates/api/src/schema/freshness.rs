//! Freshness, read: every record's `verification` (when and by whom it was last checked, and
//! whether an election since may have made it stale), and the editors' queue of stale records.
//!
//! Staleness is the domain's rule (`domain::freshness::staleness`), asked when a record's
//! verification is read; the queue pages through the same records in SQL
//! (`persistence::freshness::stale_page`), and each of its entries is read back through the
//! rule.

use async_graphql::{Context, ErrorExtensions, InputObject, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Id;
use domain::access::Role;
use domain::source::RecordType;

use crate::auth::RoleGuard;
use crate::error::{ApiError, internal};
use crate::loader::ById;
use crate::loader::freshness::{AllElections, CreatorOf, FreshnessOf};
use crate::schema::connection::{PageArgs, Paged, connection};
use crate::schema::country::CountryCode;
use crate::schema::election::Election;
use crate::schema::node::{Node, node_of};
use crate::schema::record::{record_type_named, type_name};
use crate::schema::scalars::{Date, Timestamp};
use crate::schema::source::Source;
use crate::schema::{load_derived, load_one};

connection!(
    StaleRecordConnection,
    StaleRecordEdge,
    StaleRecord,
    "A page of the queue of stale records.",
    "A stale record in a page, with its cursor."
);

/// When a record was last checked, by whom, and whether an election since may have made it
/// stale.
pub struct Verification {
    record_type: RecordType,
    record_id: Id,
    verified_at: DateTime<Utc>,
    verified_on: NaiveDate,
    /// Who verified it; none when nobody did since it was created (its creator vouches).
    verified_by: Option<String>,
    source_id: Option<Id>,
    stale: Option<(NaiveDate, domain::election::Election)>,
}

/// When a record was last checked, by whom and against which document, and whether an
/// election since may have made it stale. A record nobody verified since it was written counts
/// as verified when it was created, by whoever created it; a seeded record is verified by its
/// source, on the source's publication day (at load when the source is undated).
#[Object]
impl Verification {
    /// When it was last checked (a day's start, for a record checked on a past day).
    async fn verified_at(&self) -> Timestamp {
        Timestamp(self.verified_at)
    }

    /// The day it was last checked, in UTC: what elections are compared with.
    async fn verified_on(&self) -> Date {
        Date(self.verified_on)
    }

    /// Who checked it, named as the audit trail names actors: a token's name, `seed <file>`
    /// for a seeded record, `import etalab` for an imported one. For token holders: a token's
    /// name may name a person.
    #[graphql(guard = "RoleGuard(Role::Partner)")]
    async fn verified_by(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        if let Some(verified_by) = &self.verified_by {
            return Ok(Some(verified_by.clone()));
        }
        load_derived(ctx, CreatorOf(self.record_type, self.record_id)).await
    }

    /// Whether nobody checked it since it was created: it then counts as checked when it was
    /// created, by whoever created it.
    async fn by_creation(&self) -> bool {
        self.verified_by.is_none()
    }

    /// The document it was checked against, if any.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    /// Whether an election since it was checked may have made it stale.
    async fn is_stale(&self) -> bool {
        self.stale.is_some()
    }

    /// Since when it may be stale: the first round of the first election since it was checked
    /// that concerns it (a mayor's, for a municipal election of the city's country or
    /// subdivision). Null while it is fresh.
    async fn stale_since(&self) -> Option<Date> {
        self.stale.as_ref().map(|(since, _)| Date(*since))
    }

    /// Why it may be stale, in words: `election FR municipal 2026-03-15`. Null while it is
    /// fresh.
    async fn reason(&self) -> Option<String> {
        self.stale.as_ref().map(|(_, election)| election.describe())
    }

    /// The election that may have made it stale. Null while it is fresh.
    async fn election(&self) -> Option<Election> {
        self.stale
            .as_ref()
            .map(|(_, election)| Election(election.clone()))
    }
}

/// The verification of the record `id` of `record_type`, created at `created_at`, on `today`:
/// its last explicit one, or its creation; stale by the domain's rule when it holds an office.
pub async fn verification_of(
    ctx: &Context<'_>,
    (record_type, id): (RecordType, Id),
    created_at: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Verification> {
    let freshness = load_derived(ctx, FreshnessOf(record_type, id))
        .await?
        .unwrap_or_default();
    let (verified_at, verified_on, verified_by, source_id) = match &freshness.verification {
        Some(verification) => (
            verification.verified_at,
            verification.verified_on,
            Some(verification.verified_by.clone()),
            verification.source_id,
        ),
        None => (created_at, created_at.date_naive(), None, None),
    };
    let stale = match &freshness.office {
        Some(office) => {
            let elections = load_derived(ctx, AllElections).await?.unwrap_or_default();
            domain::freshness::staleness(office, verified_on, &elections, today)
                .map(|stale| (stale.since, stale.election.clone()))
        }
        None => None,
    };
    Ok(Verification {
        record_type,
        record_id: id,
        verified_at,
        verified_on,
        verified_by,
        source_id,
        stale,
    })
}

/// A record of the queue: one whose facts an election may have changed since it was checked.
pub struct StaleRecord {
    record_type: RecordType,
    id: Id,
    created_at: DateTime<Utc>,
    today: NaiveDate,
}

/// A record an election may have made stale since it was last checked, with the reason: check
/// it, correct it if need be, then `markVerified` takes it out of the queue.
#[Object]
impl StaleRecord {
    /// The kind of record, as its GraphQL type is named (`Mandate`).
    async fn kind(&self) -> &'static str {
        type_name(self.record_type)
    }

    /// The record.
    async fn record(&self, ctx: &Context<'_>) -> Result<Option<Node>> {
        node_of(ctx, self.record_type, self.id).await
    }

    /// When and by whom it was last checked.
    async fn verification(&self, ctx: &Context<'_>) -> Result<Verification> {
        verification_of(
            ctx,
            (self.record_type, self.id),
            self.created_at,
            self.today,
        )
        .await
    }

    /// Since when it may be stale: the first round of the election that concerns it.
    async fn stale_since(&self, ctx: &Context<'_>) -> Result<Date> {
        let (since, _) = self.staleness(ctx).await?;
        Ok(Date(since))
    }

    /// Why it may be stale, in words: `election FR municipal 2026-03-15`.
    async fn reason(&self, ctx: &Context<'_>) -> Result<String> {
        let (_, election) = self.staleness(ctx).await?;
        Ok(election.describe())
    }
}

impl StaleRecord {
    /// The record's staleness by the domain's rule, which the queue's SQL follows.
    async fn staleness(
        &self,
        ctx: &Context<'_>,
    ) -> Result<(NaiveDate, domain::election::Election)> {
        let verification = verification_of(
            ctx,
            (self.record_type, self.id),
            self.created_at,
            self.today,
        )
        .await?;
        verification.stale.ok_or_else(|| {
            internal(
                ctx,
                format!(
                    "{} {} is in the stale queue, but the domain's rule finds it fresh",
                    self.record_type, self.id
                ),
            )
        })
    }
}

/// Which stale records.
#[derive(InputObject, Debug, Clone, Default)]
pub struct StaleRecordFilter {
    /// Only records of these kinds, by GraphQL type name (`Mandate`); an unknown kind is a
    /// `BAD_USER_INPUT` error.
    pub kinds: Option<Vec<String>>,
    /// Only records held in a city or organisation of this country.
    pub country: Option<CountryCode>,
    /// Only records held in a city or organisation of this subdivision (ISO 3166-2, any
    /// level: `CA-QC`, `FR-IDF`, `FR-95`).
    pub subdivision: Option<String>,
}

/// The editors' queue.
#[derive(Default)]
pub struct FreshnessQuery;

/// The editors' queue.
#[Object]
impl FreshnessQuery {
    /// The records an election may have made stale since they were last checked — a mayor
    /// verified before the municipal election of its country or subdivision, once the
    /// election's first round has passed — the least recently checked first. Check each,
    /// correct it if need be (`endMandate`, `startMandate`), and `markVerified` takes it out.
    /// Editors and admins.
    #[graphql(guard = "RoleGuard(Role::Editor)")]
    #[allow(clippy::too_many_arguments)]
    async fn stale_records(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n stale records (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the stale records after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n stale records (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the stale records before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which stale records.")] filter: Option<StaleRecordFilter>,
    ) -> Result<StaleRecordConnection> {
        const TAG: &str = "VERIFIED_ON";
        let request = PageArgs {
            first,
            after,
            last,
            before,
        }
        .request(TAG)
        .map_err(|error| error.extend())?;
        let filter = filter.unwrap_or_default();
        let kinds = filter
            .kinds
            .unwrap_or_default()
            .iter()
            .map(|kind| {
                record_type_named(kind).ok_or_else(|| {
                    ApiError::bad_input(
                        "filter.kinds",
                        format!("{kind:?} is not a kind of record of this API"),
                    )
                    .extend()
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let query = persistence::freshness::StaleFilter {
            kinds,
            country: filter.country.map(|country| country.code().to_owned()),
            subdivision: filter.subdivision,
        };
        let today = Utc::now().date_naive();
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = persistence::freshness::stale_page(db, &query, today, &request)
            .await
            .map_err(|error| internal(ctx, error))?;
        let paged = Paged::from_page(TAG, page).map(|mandate| StaleRecord {
            record_type: RecordType::Mandate,
            id: mandate.id,
            created_at: mandate.stamp.created_at,
            today,
        });
        Ok(StaleRecordConnection::from(paged))
    }
}
