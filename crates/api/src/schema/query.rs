//! The query root: lookups by id and slug, and the directory's top-level lists.

use async_graphql::{Context, Enum, ErrorExtensions, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use domain::Id;
use domain::source::RecordType;
use persistence::list::{self, Common, OrderField};

use crate::error::{ApiError, internal};
use crate::loader::{ById, MandateById};
use crate::schema::award::{Award, Recognition};
use crate::schema::city::{City, CityConnection};
use crate::schema::connection::{OrderDirection, PageArgs, Paged};
use crate::schema::country::CountryCode;
use crate::schema::diagnostic::{Assessment, DiagnosticTool, Questionnaire};
use crate::schema::enums::{GroupPurchaseStatus, OrganisationKind, PartnershipStatus};
use crate::schema::event::{Event, EventParticipant};
use crate::schema::group_purchase::{GroupPurchase, GroupPurchaseConnection, Participation};
use crate::schema::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use crate::schema::organisation::{
    Membership, Organisation, OrganisationConnection, OrganisationRelation, StatedFigure,
};
use crate::schema::partnership::{
    Commitment, FollowUp, Partnership, PartnershipConnection, PartnershipDomain, PartnershipParty,
    Signatory,
};
use crate::schema::person::{ContactPoint, Mandate, Person, PersonConnection, Statement};
use crate::schema::programme::{
    Edition, Programme, ProgrammeOrganiser, ProgrammeParticipant, SupportComponent,
};
use crate::schema::report::{Indicator, Report};
use crate::schema::scalars::Date;
use crate::schema::source::{Citation, Source, SourceConnection};
use crate::schema::theme::{Theme, ThemeConnection};
use crate::schema::{Node, load_one};

/// The most ids `nodes(ids:)` takes at once.
const MAX_NODES: usize = 100;

/// The directory, read.
#[derive(Default)]
pub struct DirectoryQuery;

/// What to sort cities by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CityOrderField {
    /// By name, ignoring case and accents.
    #[default]
    Name,
    /// By population (unknown first when ascending).
    Population,
    /// By time of last change, to sync incrementally.
    UpdatedAt,
    /// By how well the name matches `filter.search`: the name itself first, then names that
    /// start with it, then names with a word that starts with it, then the rest; within each,
    /// the most populous first (unknown populations last). The default when `search` is given;
    /// without a search, by name.
    Relevance,
}

/// The order of a list of cities (by name; by relevance when `filter.search` is given).
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct CityOrder {
    /// What to sort by.
    #[graphql(default)]
    pub field: CityOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// What to sort a list by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListOrderField {
    /// By name or title, ignoring case and accents (themes and sources by slug).
    #[default]
    Name,
    /// By time of last change, to sync incrementally.
    UpdatedAt,
    /// By how well the name or title matches `filter.search`: the name itself first, then
    /// names that start with it, then names with a word that starts with it, then the rest;
    /// within each, by name. The default when `search` is given; without a search, by name.
    Relevance,
}

/// The order of a list (by name; by relevance when `filter.search` is given).
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct ListOrder {
    /// What to sort by.
    #[graphql(default)]
    pub field: ListOrderField,
    /// Which way.
    #[graphql(default)]
    pub direction: OrderDirection,
}

/// Which cities to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CityFilter {
    /// Only cities of this country.
    pub country: Option<CountryCode>,
    /// Only cities in this subdivision (ISO 3166-2, any level: `FR-IDF`, `FR-95`, `CA-QC`).
    pub subdivision: Option<String>,
    /// Only cities whose name contains this text, ignoring case and accents ("montreal"); one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the name itself first, then
    /// names that start with the text, then names with a word that starts with it, then the
    /// rest; within each, the most populous first ("lyon": Lyon, its arrondissements, then
    /// Sainte-Foy-lès-Lyon).
    pub search: Option<String>,
    /// Only members of the organisation with this slug.
    pub member_of: Option<String>,
    /// Only boroughs of the city with this slug.
    pub borough_of: Option<String>,
    /// Only cities changed at or after this time (RFC 3339), to sync incrementally.
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which people to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PersonFilter {
    /// Only people whose name contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only people changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which organisations to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationFilter {
    /// Only organisations of this country.
    pub country: Option<CountryCode>,
    /// Only organisations of this kind.
    pub kind: Option<OrganisationKind>,
    /// Only organisations whose name or acronym contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only members of the organisation with this slug.
    pub member_of: Option<String>,
    /// Only organisations working on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only organisations changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which partnerships to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartnershipFilter {
    /// Only partnerships with this status.
    pub status: Option<PartnershipStatus>,
    /// Only partnerships whose period may include this day.
    pub active_on: Option<Date>,
    /// Only partnerships on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only partnerships whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only partnerships changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which group purchases to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct GroupPurchaseFilter {
    /// Only group purchases with this status.
    pub status: Option<GroupPurchaseStatus>,
    /// Only group purchases organised by the organisation with this slug.
    pub organiser: Option<String>,
    /// Only group purchases on one of these themes (slugs; narrower themes count; an unknown slug is a `BAD_USER_INPUT` error).
    pub themes: Option<Vec<String>>,
    /// Only group purchases whose title contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only group purchases changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which themes to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct ThemeFilter {
    /// Only the children of the theme with this slug.
    pub parent: Option<String>,
    /// Only themes whose French or English label contains this text, ignoring case and accents; one or two characters match its start.
    /// Unless `orderBy` says otherwise, the matches are ranked: the text itself first, then those
    /// that start with it, then those with a word that starts with it, then the rest;
    /// alphabetically within each.
    pub search: Option<String>,
    /// Only themes changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Which sources to list.
#[derive(InputObject, Debug, Clone, Default)]
pub struct SourceFilter {
    /// Only sources changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
}

pub(super) fn order_tag(field: OrderField) -> &'static str {
    match field {
        OrderField::Name => "NAME",
        OrderField::Population => "POPULATION",
        OrderField::UpdatedAt => "UPDATED_AT",
        OrderField::Relevance => "RELEVANCE",
    }
}

/// What every list ordered by name or update time starts with: its order and its page
/// request, read from its arguments.
pub(super) struct ListRequest {
    pub field: OrderField,
    pub direction: persistence::page::Direction,
    /// The order's name, kept in cursors so that a cursor of another order is refused.
    pub tag: &'static str,
    pub request: persistence::page::PageRequest,
}

pub(super) fn list_request(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
    order_by: Option<ListOrder>,
    search: Option<&str>,
) -> Result<ListRequest> {
    let (field, direction) = list_order(order_by, search);
    let tag = order_tag(field);
    let request = page_args(first, after, last, before)
        .request(tag)
        .map_err(|e| e.extend())?;
    Ok(ListRequest {
        field,
        direction,
        tag,
        request,
    })
}

/// The order asked for; by default by relevance to a search, or by name without one.
pub(super) fn list_order(
    order: Option<ListOrder>,
    search: Option<&str>,
) -> (OrderField, persistence::page::Direction) {
    let order = order.unwrap_or(ListOrder {
        field: if searching(search) {
            ListOrderField::Relevance
        } else {
            ListOrderField::Name
        },
        direction: OrderDirection::Asc,
    });
    let field = match order.field {
        ListOrderField::Name => OrderField::Name,
        ListOrderField::UpdatedAt => OrderField::UpdatedAt,
        ListOrderField::Relevance if searching(search) => OrderField::Relevance,
        ListOrderField::Relevance => OrderField::Name,
    };
    (field, order.direction.into())
}

/// Whether a list has a search to rank by (one that folds to nothing names nothing either).
fn searching(search: Option<&str>) -> bool {
    search.is_some_and(|search| !domain::search::fold(search).is_empty())
}

/// The id of the record of `T` with this slug; an unknown slug in a filter is an error, and so
/// is the slug of a record the caller may not see: it answers exactly like an absent one.
pub(super) async fn slug_id<T: persistence::Stored + crate::auth::Visible>(
    ctx: &Context<'_>,
    argument: &str,
    slug: Option<&str>,
) -> Result<Option<Id>> {
    let Some(slug) = slug else { return Ok(None) };
    match by_slug::<T>(ctx, slug).await? {
        Some(record) => Ok(Some(record.id())),
        None => Err(
            ApiError::bad_input(argument, format!("nothing here has the slug {slug:?}")).extend(),
        ),
    }
}

/// The theme slugs of a filter, each checked as `slug_id` checks one (in one statement): an
/// unknown slug is an error naming the argument and the slug, not a filter that silently
/// matches nothing.
pub(super) async fn theme_slugs(
    ctx: &Context<'_>,
    argument: &str,
    slugs: Option<Vec<String>>,
) -> Result<Vec<String>> {
    let slugs = slugs.unwrap_or_default();
    if slugs.is_empty() {
        return Ok(slugs);
    }
    let db = ctx.data_unchecked::<persistence::Db>();
    let found = persistence::by_slugs::<domain::theme::Theme>(db, &slugs)
        .await
        .map_err(|e| internal(ctx, e))?;
    let shown = crate::schema::retain_visible(ctx, found).await?;
    let known: std::collections::HashSet<&str> =
        shown.iter().map(|theme| theme.slug.as_str()).collect();
    match slugs.iter().find(|slug| !known.contains(slug.as_str())) {
        Some(unknown) => Err(ApiError::bad_input(
            argument,
            format!("nothing here has the slug {unknown:?}"),
        )
        .extend()),
        None => Ok(slugs),
    }
}

pub(super) async fn by_slug<T: persistence::Stored + crate::auth::Visible>(
    ctx: &Context<'_>,
    slug: &str,
) -> Result<Option<T>> {
    let db = ctx.data_unchecked::<persistence::Db>();
    let record = persistence::by_slug::<T>(db, slug)
        .await
        .map_err(|e| internal(ctx, e))?;
    Ok(
        crate::schema::retain_visible(ctx, record.into_iter().collect())
            .await?
            .pop(),
    )
}

pub(super) fn page_args(
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> PageArgs {
    PageArgs {
        first,
        after,
        last,
        before,
    }
}

pub(super) fn common(search: Option<String>, updated_since: Option<DateTime<Utc>>) -> Common {
    Common {
        search,
        updated_since,
    }
}

/// Declares, for each record type, how a global id's type name reads and how its record
/// loads as a Node: the GraphQL type, the record type and the Node variant share one name.
macro_rules! nodes {
    ($($variant:ident => $key:expr),* $(,)?) => {
        /// The record of a type and key, as a Node.
        pub(crate) async fn node_of(
            ctx: &Context<'_>,
            record_type: RecordType,
            id: Id,
        ) -> Result<Option<Node>> {
            Ok(match record_type {
                $(RecordType::$variant => load_one(ctx, Some($key(id)))
                    .await?
                    .map(|r| Node::$variant($variant(r))),)*
            })
        }

        /// The record type a global id's type name stands for.
        fn record_type_of(type_name: &str) -> Option<RecordType> {
            Some(match type_name {
                $(stringify!($variant) => RecordType::$variant,)*
                _ => return None,
            })
        }
    };
}

nodes! {
    City => ById::new,
    Person => ById::new,
    Mandate => MandateById,
    ContactPoint => ById::new,
    Statement => ById::new,
    Organisation => ById::new,
    Membership => ById::new,
    OrganisationRelation => ById::new,
    StatedFigure => ById::new,
    Partnership => ById::new,
    PartnershipParty => ById::new,
    Signatory => ById::new,
    PartnershipDomain => ById::new,
    Commitment => ById::new,
    FollowUp => ById::new,
    GroupPurchase => ById::new,
    Participation => ById::new,
    Programme => ById::new,
    ProgrammeOrganiser => ById::new,
    SupportComponent => ById::new,
    Edition => ById::new,
    ProgrammeParticipant => ById::new,
    Award => ById::new,
    Recognition => ById::new,
    DiagnosticTool => ById::new,
    Questionnaire => ById::new,
    Assessment => ById::new,
    Event => ById::new,
    EventParticipant => ById::new,
    Report => ById::new,
    Indicator => ById::new,
    Initiative => ById::new,
    InitiativeOrganisation => ById::new,
    Outcome => ById::new,
    Lesson => ById::new,
    Theme => ById::new,
    Source => ById::new,
    Citation => ById::new,
}

async fn node_by_id(ctx: &Context<'_>, argument: &str, id: &ID) -> Result<Option<Node>> {
    let (type_name, key) = crate::schema::id::decode(argument, id).map_err(|e| e.extend())?;
    match record_type_of(&type_name) {
        Some(record_type) => node_of(ctx, record_type, key).await,
        None => Err(ApiError::bad_input(
            argument,
            format!("{:?} is not an id of this API", id.as_str()),
        )
        .extend()),
    }
}

/// The directory, read: records by id or slug, and lists with filters and keyset pages.
#[Object]
impl DirectoryQuery {
    /// Any record, by its global id; null when no record has it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, as any record's `id` gives.")] id: ID,
    ) -> Result<Option<Node>> {
        node_by_id(ctx, "id", &id).await
    }

    /// Records by global ids, in the order given; null where no record has the id.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                ApiError::bad_input("ids", format!("at most {MAX_NODES} ids at once")).extend(),
            );
        }
        // Resolved together, so the DataLoader batches the ids of each type into one statement.
        async_graphql::futures_util::future::try_join_all(
            ids.iter().map(|id| node_by_id(ctx, "ids", id)),
        )
        .await
    }

    /// A city by slug, or by official code within a country; null when none matches.
    async fn city(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The city's slug (`terrebonne`).")] slug: Option<String>,
        #[graphql(
            desc = "The city's official code (INSEE `92040`, NIS, Québec geographic code); needs `country`."
        )]
        official_code: Option<String>,
        #[graphql(desc = "The country of the official code.")] country: Option<CountryCode>,
    ) -> Result<Option<City>> {
        match Identifier::given(slug, official_code, country)? {
            Identifier::Slug(slug) => crate::schema::city::by_slug(ctx, &slug).await,
            Identifier::OfficialCode { country, code } => {
                let db = ctx.data_unchecked::<persistence::Db>();
                let city = persistence::lookup::city_by_official_code(db, country.code(), &code)
                    .await
                    .map_err(|e| internal(ctx, e))?;
                Ok(city.map(City))
            }
        }
    }

    /// Cities, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn cities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n cities (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the cities after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n cities (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the cities before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which cities.")] filter: Option<CityFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<CityOrder>,
    ) -> Result<CityConnection> {
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or(CityOrder {
            field: if searching(filter.search.as_deref()) {
                CityOrderField::Relevance
            } else {
                CityOrderField::Name
            },
            direction: OrderDirection::Asc,
        });
        let field = match order.field {
            CityOrderField::Name => OrderField::Name,
            CityOrderField::Population => OrderField::Population,
            CityOrderField::UpdatedAt => OrderField::UpdatedAt,
            CityOrderField::Relevance if searching(filter.search.as_deref()) => {
                OrderField::Relevance
            }
            CityOrderField::Relevance => OrderField::Name,
        };
        // Ranked cities tie by population: their sort key is a number, not a text.
        let tag = match field {
            OrderField::Relevance => "RELEVANCE_POPULATION",
            other => order_tag(other),
        };
        let request = page_args(first, after, last, before)
            .request(tag)
            .map_err(|e| e.extend())?;
        let query = list::CityFilter {
            member_of: slug_id::<domain::organisation::Organisation>(
                ctx,
                "filter.memberOf",
                filter.member_of.as_deref(),
            )
            .await?,
            borough_of: slug_id::<domain::city::City>(
                ctx,
                "filter.boroughOf",
                filter.borough_of.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            country: filter.country.map(|c| c.code().to_owned()),
            subdivision: filter.subdivision,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::cities(db, &query, field, order.direction.into(), &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(CityConnection::from(Paged::from_page(tag, page).map(City)))
    }

    /// A person by slug; null when none has it.
    async fn person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's slug (`mathieu-traversy`).")] slug: String,
    ) -> Result<Option<Person>> {
        Ok(by_slug(ctx, &slug).await?.map(Person))
    }

    /// People, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n people (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the people after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n people (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the people before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which people.")] filter: Option<PersonFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<PersonConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::people(
            db,
            &common(filter.search, filter.updated_since),
            field,
            direction,
            &request,
        )
        .await
        .map_err(|e| internal(ctx, e))?;
        Ok(PersonConnection::from(
            Paged::from_page(tag, page).map(Person),
        ))
    }

    /// An organisation by slug, or by official code within a country; null when none matches.
    async fn organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation's slug (`umq`).")] slug: Option<String>,
        #[graphql(
            desc = "The organisation's official code (a SIREN in France: `200054781`); needs `country`."
        )]
        official_code: Option<String>,
        #[graphql(desc = "The country of the official code.")] country: Option<CountryCode>,
    ) -> Result<Option<Organisation>> {
        match Identifier::given(slug, official_code, country)? {
            Identifier::Slug(slug) => Ok(by_slug(ctx, &slug).await?.map(Organisation)),
            Identifier::OfficialCode { country, code } => {
                let db = ctx.data_unchecked::<persistence::Db>();
                let organisation =
                    persistence::lookup::organisation_by_official_code(db, country.code(), &code)
                        .await
                        .map_err(|e| internal(ctx, e))?;
                Ok(organisation.map(Organisation))
            }
        }
    }

    /// Organisations, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n organisations (at most 100, 20 by default).")] first: Option<i32>,
        #[graphql(desc = "Returns the organisations after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n organisations (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the organisations before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which organisations.")] filter: Option<OrganisationFilter>,
        #[graphql(
            desc = "The order (by name by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<OrganisationConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::OrganisationFilter {
            member_of: slug_id::<domain::organisation::Organisation>(
                ctx,
                "filter.memberOf",
                filter.member_of.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            country: filter.country.map(|c| c.code().to_owned()),
            kind: filter.kind.map(Into::into),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::organisations(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(OrganisationConnection::from(
            Paged::from_page(tag, page).map(Organisation),
        ))
    }

    /// A partnership by slug; null when none has it.
    async fn partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The partnership's slug (`terrebonne-namur-2024-2026`).")] slug: String,
    ) -> Result<Option<Partnership>> {
        Ok(by_slug(ctx, &slug).await?.map(Partnership))
    }

    /// Partnerships, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn partnerships(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n partnerships (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the partnerships after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n partnerships (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the partnerships before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which partnerships.")] filter: Option<PartnershipFilter>,
        #[graphql(
            desc = "The order (by title by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<PartnershipConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::PartnershipFilter {
            common: common(filter.search, filter.updated_since),
            status: filter.status.map(Into::into),
            active_on: filter.active_on.map(|d| d.0),
            drafts: crate::auth::drafts(crate::auth::caller(ctx)),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::partnerships(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        crate::schema::vouch(ctx, page.items.iter().map(|(_, item)| item));
        Ok(PartnershipConnection::from(
            Paged::from_page(tag, page).map(Partnership),
        ))
    }

    /// A group purchase by slug; null when none has it.
    async fn group_purchase(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The group purchase's slug.")] slug: String,
    ) -> Result<Option<GroupPurchase>> {
        Ok(by_slug(ctx, &slug).await?.map(GroupPurchase))
    }

    /// Group purchases, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn group_purchases(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n group purchases (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the group purchases after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n group purchases (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the group purchases before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which group purchases.")] filter: Option<GroupPurchaseFilter>,
        #[graphql(
            desc = "The order (by title by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<GroupPurchaseConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::GroupPurchaseFilter {
            organiser: slug_id::<domain::organisation::Organisation>(
                ctx,
                "filter.organiser",
                filter.organiser.as_deref(),
            )
            .await?,
            common: common(filter.search, filter.updated_since),
            status: filter.status.map(Into::into),
            themes: theme_slugs(ctx, "filter.themes", filter.themes).await?,
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::group_purchases(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(GroupPurchaseConnection::from(
            Paged::from_page(tag, page).map(GroupPurchase),
        ))
    }

    /// A theme by slug; null when none has it.
    async fn theme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The theme's slug (`decarbonation`).")] slug: String,
    ) -> Result<Option<Theme>> {
        Ok(by_slug(ctx, &slug).await?.map(Theme))
    }

    /// Themes, filtered and ordered.
    #[allow(clippy::too_many_arguments)]
    async fn themes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n themes (at most 100, 20 by default).")] first: Option<
            i32,
        >,
        #[graphql(desc = "Returns the themes after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n themes (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the themes before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which themes.")] filter: Option<ThemeFilter>,
        #[graphql(
            desc = "The order (by slug by default; by relevance when `filter.search` is given)."
        )]
        order_by: Option<ListOrder>,
    ) -> Result<ThemeConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
        let query = list::ThemeFilter {
            parent: slug_id::<domain::theme::Theme>(ctx, "filter.parent", filter.parent.as_deref())
                .await?,
            common: common(filter.search, filter.updated_since),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::themes(db, &query, field, direction, &request)
            .await
            .map_err(|e| internal(ctx, e))?;
        Ok(ThemeConnection::from(
            Paged::from_page(tag, page).map(Theme),
        ))
    }

    /// A source by slug; null when none has it.
    async fn source(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The source's slug.")] slug: String,
    ) -> Result<Option<Source>> {
        Ok(by_slug(ctx, &slug).await?.map(Source))
    }

    /// The documents the directory's facts come from.
    #[allow(clippy::too_many_arguments)]
    async fn sources(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n sources (at most 100, 20 by default).")]
        first: Option<i32>,
        #[graphql(desc = "Returns the sources after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n sources (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the sources before this cursor.")] before: Option<String>,
        #[graphql(desc = "Which sources.")] filter: Option<SourceFilter>,
        #[graphql(desc = "The order (by slug by default).")] order_by: Option<ListOrder>,
    ) -> Result<SourceConnection> {
        let filter = filter.unwrap_or_default();
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = list_request(first, after, last, before, order_by, None)?;
        let db = ctx.data_unchecked::<persistence::Db>();
        let page = list::sources(
            db,
            &common(None, filter.updated_since),
            field,
            direction,
            &request,
        )
        .await
        .map_err(|e| internal(ctx, e))?;
        Ok(SourceConnection::from(
            Paged::from_page(tag, page).map(Source),
        ))
    }
}

/// How a lookup names its record: by slug, or by official code within a country.
enum Identifier {
    Slug(String),
    OfficialCode { country: CountryCode, code: String },
}

impl Identifier {
    /// The identifier the arguments give, or a BAD_USER_INPUT error naming what is missing.
    fn given(
        slug: Option<String>,
        official_code: Option<String>,
        country: Option<CountryCode>,
    ) -> Result<Identifier> {
        match (slug, official_code, country) {
            (Some(slug), None, None) => Ok(Identifier::Slug(slug)),
            (None, Some(code), Some(country)) => Ok(Identifier::OfficialCode { country, code }),
            (None, Some(_), None) => {
                Err(ApiError::bad_input("country", "an official code needs its country").extend())
            }
            _ => Err(ApiError::bad_input(
                "slug",
                "give either a slug, or an official code with its country",
            )
            .extend()),
        }
    }
}
