//! The query root's part for the directory: cities, people, organisations, partnerships,
//! group purchases, themes and sources, by slug and as filtered lists.

use async_graphql::{Context, ErrorExtensions, Object, Result};
use persistence::list;

use crate::error::{ApiError, internal};
use crate::schema::city::{City, CityConnection};
use crate::schema::connection::Paged;
use crate::schema::country::CountryCode;
use crate::schema::group_purchase::{GroupPurchase, GroupPurchaseConnection};
use crate::schema::list_args::{
    CityOrder, ListOrder, ListRequest, city_list_request, common, list_request,
};
use crate::schema::list_filter::{
    CityFilter, GroupPurchaseFilter, OrganisationFilter, PartnershipFilter, PersonFilter,
    SourceFilter, ThemeFilter,
};
use crate::schema::lookup::{by_slug, slug_id, theme_slugs};
use crate::schema::organisation::{Organisation, OrganisationConnection};
use crate::schema::partnership::{Partnership, PartnershipConnection};
use crate::schema::person::{Person, PersonConnection};
use crate::schema::source::{Source, SourceConnection};
use crate::schema::theme::{Theme, ThemeConnection};

/// The directory, read.
#[derive(Default)]
pub struct DirectoryQuery;

/// The directory, read: records by slug, and lists with filters and keyset pages.
#[Object]
impl DirectoryQuery {
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
        let ListRequest {
            field,
            direction,
            tag,
            request,
        } = city_list_request(
            first,
            after,
            last,
            before,
            order_by,
            filter.search.as_deref(),
        )?;
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
        let page = list::cities(db, &query, field, direction, &request)
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
            drafts: crate::auth::reader(ctx).drafts,
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
