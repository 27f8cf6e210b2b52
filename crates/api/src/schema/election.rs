//! Elections: when the holders of a place's offices may change. Read whole (there are a few per
//! country and decade) and paged in memory.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result};
use domain::source::RecordType;

use crate::schema::connection::{PageArgs, RelatedArgs, connection, page_related};
use crate::schema::country::CountryCode;
use crate::schema::record::{RecordStamp, global_id};
use crate::schema::scalars::Date;

connection!(
    ElectionConnection,
    ElectionEdge,
    Election,
    "A page of elections.",
    "An election in a page, with its cursor."
);

/// What an election renews.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "domain::election::ElectionKind")]
pub enum ElectionKind {
    /// A general municipal election: every municipal council of the jurisdiction, hence its
    /// mayors and deputy mayors, and the presidents and vice-presidents of the intermunicipal
    /// bodies and metropolitan authorities drawn from those councils.
    Municipal,
}

/// An election: where (a country, or one of its subdivisions), what it renews, and on which
/// days. From its first round on, the mandates it concerns that were verified before it are
/// stale (`staleRecords`).
#[derive(Clone)]
pub struct Election(pub domain::election::Election);

/// An election: where (a country, or one of its subdivisions), what it renews, and on which
/// days. From its first round on, the mandates it concerns that were verified before it are
/// stale (`staleRecords`).
#[Object]
impl Election {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Election, self.0.id)
    }

    /// The country it is held in.
    async fn country(&self, ctx: &Context<'_>) -> Result<CountryCode> {
        crate::schema::country::stored(ctx, self.0.jurisdiction.country())
    }

    /// The subdivision it is held in (ISO 3166-2: `CA-QC`); null for the whole country.
    async fn subdivision(&self) -> Option<&str> {
        self.0.jurisdiction.subdivision()
    }

    /// What it renews.
    async fn kind(&self) -> ElectionKind {
        self.0.kind.into()
    }

    /// The day of its first (or only) round.
    async fn first_round(&self) -> Date {
        Date(self.0.first_round)
    }

    /// The day of its second round, where there is one.
    async fn second_round(&self) -> Option<Date> {
        self.0.second_round.map(Date)
    }

    /// The election in words, as the queue of stale records gives it as a reason:
    /// `election FR municipal 2026-03-15`.
    async fn description(&self) -> String {
        self.0.describe()
    }

    /// Its timestamps and version. An election is reached from `RecordMeta` itself (a
    /// verification's election), before `RecordMeta` is whole in the registry: flattening it
    /// here gave nothing, so an election flattens in what `RecordMeta` completed first.
    #[graphql(flatten)]
    async fn stamp_fields(&self) -> RecordStamp {
        RecordStamp(self.0.stamp.clone())
    }
}

/// Which elections.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ElectionFilter {
    /// Only elections held in this country (of the whole country or of a subdivision).
    pub country: Option<CountryCode>,
    /// Only elections held in this subdivision (ISO 3166-2: `CA-QC`), or in the whole country
    /// it belongs to: every election a place of the subdivision votes in.
    pub subdivision: Option<String>,
}

/// Elections, read.
#[derive(Default)]
pub struct ElectionQuery;

/// Elections, read.
#[Object]
impl ElectionQuery {
    /// Elections, the earliest first round first.
    #[allow(clippy::too_many_arguments)]
    async fn elections(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n elections (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the elections after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n elections (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the elections before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which elections.")] filter: Option<ElectionFilter>,
    ) -> Result<ElectionConnection> {
        let filter = filter.unwrap_or_default();
        let elections = crate::schema::load_derived(ctx, crate::loader::freshness::AllElections)
            .await?
            .unwrap_or_default();
        let kept: Vec<domain::election::Election> = elections
            .into_iter()
            .filter(|election| {
                filter
                    .country
                    .is_none_or(|country| election.jurisdiction.country() == country.code())
            })
            .filter(|election| match &filter.subdivision {
                Some(code) => {
                    let country = code.split('-').next().unwrap_or_default();
                    election
                        .jurisdiction
                        .covers(country, std::slice::from_ref(code))
                }
                None => true,
            })
            .collect();
        let args = RelatedArgs {
            page: PageArgs {
                first,
                after,
                last,
                before,
            },
            ..RelatedArgs::default()
        };
        let paged = page_related(kept, &args).map_err(|error| {
            use async_graphql::ErrorExtensions;
            error.extend()
        })?;
        Ok(ElectionConnection::from(paged.map(Election)))
    }
}
