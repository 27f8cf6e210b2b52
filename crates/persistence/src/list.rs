//! The top-level lists of the directory: filters, orders and keyset pages.

use chrono::{DateTime, NaiveDate, Utc};
use domain::Id;
use domain::access::DraftScope;
use domain::search::fold;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SelectStatement, SimpleExpr};
use sea_orm::{DatabaseBackend, EntityTrait, QueryFilter, Select};

use crate::entity::*;
use crate::page::{
    self, Direction, Page, PageRequest, SortKey, SortValue, fetch, like_escape, name_contains,
};
use crate::stored::Stored;
use crate::{Db, Error};

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OrderField {
    /// By name (folded: accents and case do not count); themes and sources by slug.
    #[default]
    Name,
    /// By population, unknown last when ascending (cities only).
    Population,
    /// By time of last change: what incremental sync walks.
    UpdatedAt,
    /// By how well the name matches the search (`relevance`); by name without a search.
    Relevance,
}

/// The filters every list takes.
#[derive(Debug, Clone, Default)]
pub struct Common {
    /// Only records changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
    /// Only records whose name contains this text, ignoring case and accents.
    pub search: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CityFilter {
    pub common: Common,
    pub country: Option<String>,
    pub subdivision: Option<String>,
    /// Only members of this organisation.
    pub member_of: Option<Id>,
    /// Only boroughs of this city.
    pub borough_of: Option<Id>,
}

#[derive(Debug, Clone, Default)]
pub struct OrganisationFilter {
    pub common: Common,
    pub country: Option<String>,
    pub kind: Option<domain::organisation::OrganisationKind>,
    pub member_of: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PartnershipFilter {
    pub common: Common,
    /// Which draft partnerships are listed (`Actor::draft_scope`).
    pub drafts: DraftScope,
    pub status: Option<domain::partnership::PartnershipStatus>,
    pub active_on: Option<NaiveDate>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct GroupPurchaseFilter {
    pub common: Common,
    pub status: Option<domain::group_purchase::Status>,
    pub organiser: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ProgrammeFilter {
    pub common: Common,
    /// Only programmes this organisation organises, in any role.
    pub organiser: Option<Id>,
    /// Only programmes this city takes part in.
    pub participant_city: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AwardFilter {
    pub common: Common,
    pub kind: Option<domain::award::AwardKind>,
    pub organiser: Option<Id>,
    pub themes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct DiagnosticToolFilter {
    pub common: Common,
    pub publisher: Option<Id>,
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub common: Common,
    pub kind: Option<domain::event::EventKind>,
    pub organiser: Option<Id>,
    pub programme: Option<Id>,
    pub partnership: Option<Id>,
    /// Which draft partnerships' events are listed (`Actor::draft_scope`): an event linked to
    /// a draft belongs to it (`domain::ownership`).
    pub drafts: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct InitiativeFilter {
    pub common: Common,
    pub themes: Vec<String>,
    /// Only initiatives with one of these statuses (any when empty).
    pub statuses: Vec<domain::initiative::InitiativeStatus>,
    /// Only initiatives in this country: their city's, or else a lead organisation's.
    pub country: Option<String>,
    /// Only initiatives whose city has at least this population.
    pub population_min: Option<i64>,
    /// Only initiatives whose city has at most this population.
    pub population_max: Option<i64>,
    /// Only initiatives with an outcome of at least this evidence level.
    pub evidence_at_least: Option<domain::initiative::EvidenceLevel>,
    /// Only initiatives with a pitfall on one of these topics.
    pub pitfalls: Vec<domain::initiative::LessonTopic>,
    pub city: Option<Id>,
    pub programme: Option<Id>,
    pub partnership: Option<Id>,
    pub provider: Option<Id>,
    /// Which draft partnerships' initiatives are listed (`Actor::draft_scope`).
    pub drafts: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct LessonFilter {
    /// `search` looks into the lesson's text.
    pub common: Common,
    pub kind: Option<domain::initiative::LessonKind>,
    /// Only lessons on one of these topics (any when empty).
    pub topics: Vec<domain::initiative::LessonTopic>,
    /// Which draft partnerships' lessons (through their initiatives) are listed.
    pub drafts: DraftScope,
}

#[derive(Debug, Clone, Default)]
pub struct ThemeFilter {
    pub common: Common,
    /// Only the children of this theme.
    pub parent: Option<Id>,
}

fn updated_key<T: Stored>() -> SortKey<T> {
    SortKey {
        expression: Expr::col("updated_at"),
        value: |record| SortValue::Time(record.stamp().updated_at),
    }
}

fn key<T: Stored>(order: OrderField, name: fn(&T) -> SortValue) -> SortKey<T> {
    match order {
        OrderField::UpdatedAt => updated_key(),
        OrderField::Name | OrderField::Population | OrderField::Relevance => SortKey {
            expression: Expr::col("search_name"),
            value: name,
        },
    }
}

fn common<E: EntityTrait>(mut select: Select<E>, common: &Common, db: &Db) -> Select<E> {
    if let Some(since) = common.updated_since {
        select = select.filter(Expr::col("updated_at").gte(since));
    }
    if let Some(search) = common.search.as_deref().filter(|s| !s.trim().is_empty()) {
        let table = E::default().table_name();
        select = select.filter(name_search(table, db.conn().get_database_backend(), search));
    }
    select
}

/// A search on the folded name (`search_name`) through the indexes of migration 5: a term of
/// three characters or more is a substring, found through SQLite's FTS5 trigram table
/// (`<table>_search`) or PostgreSQL's trigram GIN index; a shorter one is a prefix, found
/// through a B-tree.
fn name_search(table: &str, backend: DatabaseBackend, search: &str) -> SimpleExpr {
    let folded = fold(search);
    let term = folded.trim();
    if term.is_empty() {
        // Only punctuation: it names nothing.
        return Expr::cust("1 = 0");
    }
    match backend {
        DatabaseBackend::Postgres if term.chars().count() < 3 => Expr::col("search_name")
            .like(LikeExpr::new(format!("{}%", like_escape(term))).escape('\\')),
        DatabaseBackend::Postgres => name_contains("search_name", search),
        _ if term.chars().count() < 3 => Expr::col("search_name")
            .gte(term)
            .and(Expr::col("search_name").lt(format!("{term}\u{10FFFF}"))),
        _ => {
            let phrase = format!("\"{}\"", term.replace('"', "\"\""));
            let matching: SelectStatement = Query::select()
                .expr(Expr::cust("rowid"))
                .from(Alias::new(format!("{table}_search")))
                .and_where(Expr::cust_with_values(
                    format!("{table}_search MATCH ?"),
                    [phrase],
                ))
                .to_owned();
            Expr::col("id").in_subquery(matching)
        }
    }
}

/// What ranks records that match a search equally well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tiebreak {
    /// The most populous first, unknown populations last (cities).
    Population,
    /// By folded name.
    Name,
}

/// A page ordered by relevance when asked and there is a search (see `relevance`), otherwise
/// by `key`.
#[allow(clippy::too_many_arguments)]
async fn ranked_or<T: Stored>(
    db: &Db,
    select: Select<T::Entity>,
    common: &Common,
    order: OrderField,
    key: SortKey<T>,
    tiebreak: Tiebreak,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<T>, Error>
where
    <T::Entity as EntityTrait>::Model: Sync,
{
    let term = common.search.as_deref().map(fold);
    match term
        .as_deref()
        .map(str::trim)
        .filter(|term| !term.is_empty())
    {
        Some(term) if order == OrderField::Relevance => {
            let backend = db.conn().get_database_backend();
            let (expression, kind) = relevance(term, tiebreak, backend);
            page::fetch_selected(db, select, expression, kind, direction, request).await
        }
        _ => fetch(db, select, key, direction, request).await,
    }
}

/// How well a folded name matches a folded search term, as one sort key (ascending is best
/// first): 0 when the name is the term, 1 when it starts with it, 2 when one of its words does,
/// 3 otherwise; within a rank, by `tiebreak`. One value, so that keyset cursors (value, id)
/// page through a ranked list as through any other. For cities it is the number
/// `rank × 10¹² − population` (an unknown population counts as −1, so comes last); for the
/// others the text of the rank's digit followed by the folded name. The filter that finds the
/// matches (`name_search`) is unchanged and goes through the indexes; only the matches are
/// ranked.
fn relevance(
    term: &str,
    tiebreak: Tiebreak,
    backend: DatabaseBackend,
) -> (Expr, page::SelectedKey) {
    let escaped = like_escape(term);
    let name = || Expr::col("search_name");
    let rank = |values: [Expr; 4]| {
        let [exact, prefix, word_prefix, rest] = values;
        Expr::case(name().eq(term), exact)
            .case(
                name().like(LikeExpr::new(format!("{escaped}%")).escape('\\')),
                prefix,
            )
            .case(
                name().like(LikeExpr::new(format!("% {escaped}%")).escape('\\')),
                word_prefix,
            )
            .finally(rest)
    };
    match tiebreak {
        Tiebreak::Population => {
            let rank: Expr = rank([0, 1, 2, 3].map(|rank: i64| Expr::val(rank))).into();
            (
                rank.mul(1_000_000_000_000_i64)
                    .sub(Expr::cust("COALESCE(population, -1)")),
                page::SelectedKey::Int,
            )
        }
        Tiebreak::Name => {
            let rank = rank(["0", "1", "2", "3"].map(Expr::val));
            // sea-query's placeholder for an expression: numbered on PostgreSQL only.
            let template = match backend {
                DatabaseBackend::Postgres => "($1) || search_name",
                _ => "(?) || search_name",
            };
            (
                Expr::cust_with_exprs(template, [rank.into()]),
                page::SelectedKey::Text,
            )
        }
    }
}

/// Ids of the themes with these slugs and of their children: a filter on a broad theme
/// finds records tagged with a narrower one.
pub(crate) fn themes_and_children(slugs: &[String]) -> SelectStatement {
    let named = Query::select()
        .column("id")
        .from("theme")
        .and_where(Expr::col("slug").is_in(slugs.iter().cloned()))
        .to_owned();
    Query::select()
        .column("id")
        .from("theme")
        .and_where(
            Expr::col("slug")
                .is_in(slugs.iter().cloned())
                .or(Expr::col("parent_id").in_subquery(named)),
        )
        .to_owned()
}

/// Records of `table` linked to one of the themes (or their children) through the table's
/// link table, named by the convention of every one of them: `partnership_theme`, whose
/// `partnership_id` points at the partnership.
///
/// SQLite gets `EXISTS`, not `id IN (…)`: it then walks the list in its order and stops at
/// the page's end, probing the link table's key for each record (0.6 ms for a page of 50
/// partnerships on a theme among 20,000, against 5.3 ms for a scan of the whole link table).
///
/// PostgreSQL gets the theme's records as a hashed set, built once per statement from the
/// `(theme_id, record)` index, which each listed row then looks up. With `EXISTS` it probed
/// the link table's key for every row it walked (686 probes for that page, two thirds of
/// the statement's time: 1.0 ms against 0.67 ms now under pgbench). `IS TRUE` keeps the
/// planner from turning `IN` into a join, which would probe again; the theme ids come as
/// an array computed once, since a subquery there joined the theme table again for each
/// row. The set costs in proportion to the theme's records, never to the table's.
fn linked_to_themes(db: &Db, table: &'static str, slugs: &[String]) -> Expr {
    let link_table = format!("{table}_theme");
    let record_column = format!("{table}_id");
    let themes = themes_and_children(slugs);
    match db.conn().get_database_backend() {
        DatabaseBackend::Postgres => Expr::cust_with_exprs(
            format!(
                "(\"{table}\".\"id\" IN (SELECT \"{record_column}\" FROM \"{link_table}\" \
                 WHERE \"theme_id\" = ANY(ARRAY($1)))) IS TRUE"
            ),
            [SimpleExpr::SubQuery(None, Box::new(themes.into()))],
        ),
        _ => Expr::exists(
            Query::select()
                .expr(Expr::val(1))
                .from(link_table.clone())
                .and_where(Expr::col((link_table, record_column)).equals((table, "id")))
                .and_where(Expr::col("theme_id").in_subquery(themes))
                .to_owned(),
        ),
    }
}

fn members_of(column: &'static str, organisation: Id) -> Expr {
    Expr::col("id").in_subquery(
        Query::select()
            .column(column)
            .from("membership")
            .and_where(Expr::col("organisation_id").eq(organisation))
            .to_owned(),
    )
}

pub async fn cities(
    db: &Db,
    filter: &CityFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::city::City>, Error> {
    let mut select = common(city::Entity::find(), &filter.common, db);
    if let Some(country) = &filter.country {
        select = select.filter(Expr::col("country").eq(country.as_str()));
    }
    if let Some(subdivision) = &filter.subdivision {
        select = select.filter(
            Expr::col("subdivision_1")
                .eq(subdivision.as_str())
                .or(Expr::col("subdivision_2").eq(subdivision.as_str())),
        );
    }
    if let Some(organisation) = filter.member_of {
        select = select.filter(members_of("member_city_id", organisation));
    }
    if let Some(parent) = filter.borough_of {
        select = select.filter(Expr::col("parent_id").eq(parent));
    }
    let key = match order {
        OrderField::Population => SortKey {
            expression: Expr::cust("COALESCE(population, -1)"),
            value: |city: &domain::city::City| SortValue::Int(city.population.unwrap_or(-1)),
        },
        other => key(other, |city: &domain::city::City| {
            SortValue::Text(fold(&city.name))
        }),
    };
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Population,
        direction,
        request,
    )
    .await
}

pub async fn people(
    db: &Db,
    filter: &Common,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::person::Person>, Error> {
    let select = common(person::Entity::find(), filter, db);
    let key = key(order, |person: &domain::person::Person| {
        SortValue::Text(fold(&person.full_name))
    });
    ranked_or(
        db,
        select,
        filter,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn organisations(
    db: &Db,
    filter: &OrganisationFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::organisation::Organisation>, Error> {
    let mut select = common(organisation::Entity::find(), &filter.common, db);
    if let Some(country) = &filter.country {
        select = select.filter(Expr::col("country").eq(country.as_str()));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if let Some(organisation) = filter.member_of {
        select = select.filter(members_of("member_organisation_id", organisation));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "organisation", &filter.themes));
    }
    let key = key(order, |o: &domain::organisation::Organisation| {
        SortValue::Text(fold(&o.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

/// The partnerships a caller with `drafts` sees, as a condition on `column` (a partnership's
/// id, or a record's link to one): every partnership but drafts, the drafts its organisation
/// is a party to, or all. None when nothing is hidden. A record whose link is empty passes.
pub(crate) fn shown_partnerships<C>(
    column: C,
    drafts: DraftScope,
) -> Option<sea_orm::sea_query::SimpleExpr>
where
    C: sea_orm::sea_query::IntoColumnRef + Clone,
{
    let drafts_hidden = |organisation: Option<Id>| {
        let mut hidden = Query::select()
            .column("id")
            .from("partnership")
            .and_where(
                Expr::col("status").eq(domain::partnership::PartnershipStatus::Draft.as_str()),
            )
            .to_owned();
        if let Some(organisation_id) = organisation {
            hidden.and_where(
                Expr::col("id").not_in_subquery(
                    Query::select()
                        .column("partnership_id")
                        .from("partnership_party")
                        .and_where(Expr::col("organisation_id").eq(organisation_id))
                        .to_owned(),
                ),
            );
        }
        hidden
    };
    let hidden = match drafts {
        DraftScope::All => return None,
        DraftScope::None => drafts_hidden(None),
        DraftScope::OfParty(organisation_id) => drafts_hidden(Some(organisation_id)),
    };
    Some(
        Expr::col(column.clone())
            .is_null()
            .or(Expr::col(column).not_in_subquery(hidden)),
    )
}

pub async fn partnerships(
    db: &Db,
    filter: &PartnershipFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::partnership::Partnership>, Error> {
    let mut select = common(partnership::Entity::find(), &filter.common, db);
    if let Some(status) = filter.status {
        select = select.filter(Expr::col("status").eq(status.as_str()));
    }
    if let Some(shown) = shown_partnerships("id", filter.drafts) {
        select = select.filter(shown);
    }
    if let Some(day) = filter.active_on {
        select = select
            .filter(
                Expr::col("start_earliest")
                    .is_null()
                    .or(Expr::col("start_earliest").lte(day)),
            )
            .filter(
                Expr::col("end_latest")
                    .is_null()
                    .or(Expr::col("end_latest").gte(day)),
            );
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "partnership", &filter.themes));
    }
    let key = key(order, |p: &domain::partnership::Partnership| {
        SortValue::Text(fold(&p.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn group_purchases(
    db: &Db,
    filter: &GroupPurchaseFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::group_purchase::GroupPurchase>, Error> {
    let mut select = common(group_purchase::Entity::find(), &filter.common, db);
    if let Some(status) = filter.status {
        select = select.filter(Expr::col("status").eq(status.as_str()));
    }
    if let Some(organiser) = filter.organiser {
        select = select.filter(Expr::col("organiser_id").eq(organiser));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "group_purchase", &filter.themes));
    }
    let key = key(order, |g: &domain::group_purchase::GroupPurchase| {
        SortValue::Text(fold(&g.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

fn slug_key<T: Stored>(order: OrderField, slug: fn(&T) -> SortValue) -> SortKey<T> {
    match order {
        OrderField::UpdatedAt => updated_key(),
        _ => SortKey {
            expression: Expr::col("slug"),
            value: slug,
        },
    }
}

pub async fn themes(
    db: &Db,
    filter: &ThemeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::theme::Theme>, Error> {
    // A theme's search name folds both its labels.
    let mut select = common(theme::Entity::find(), &filter.common, db);
    if let Some(parent) = filter.parent {
        select = select.filter(Expr::col("parent_id").eq(parent));
    }
    let key = slug_key(order, |t: &domain::theme::Theme| {
        SortValue::Text(t.slug.clone())
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn sources(
    db: &Db,
    filter: &Common,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::source::Source>, Error> {
    let mut select = source::Entity::find();
    if let Some(since) = filter.updated_since {
        select = select.filter(Expr::col("updated_at").gte(since));
    }
    let key = slug_key(order, |s: &domain::source::Source| {
        SortValue::Text(s.slug.clone())
    });
    fetch(db, select, key, direction, request).await
}

/// Records whose `column` is one of the values of `link_column` in the rows of `link_table`
/// where `filter_column` is `value`: "programmes this organisation organises".
fn through(
    link_table: &'static str,
    link_column: &'static str,
    filter_column: &'static str,
    value: Id,
) -> Expr {
    Expr::col("id").in_subquery(
        Query::select()
            .column(link_column)
            .from(link_table)
            .and_where(Expr::col(filter_column).eq(value))
            .to_owned(),
    )
}

pub async fn programmes(
    db: &Db,
    filter: &ProgrammeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::programme::Programme>, Error> {
    let mut select = common(programme::Entity::find(), &filter.common, db);
    if let Some(organiser) = filter.organiser {
        select = select.filter(through(
            "programme_organiser",
            "programme_id",
            "organisation_id",
            organiser,
        ));
    }
    if let Some(city) = filter.participant_city {
        select = select.filter(through(
            "programme_participant",
            "programme_id",
            "city_id",
            city,
        ));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "programme", &filter.themes));
    }
    let key = key(order, |p: &domain::programme::Programme| {
        SortValue::Text(fold(&p.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn awards(
    db: &Db,
    filter: &AwardFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::award::Award>, Error> {
    let mut select = common(award::Entity::find(), &filter.common, db);
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if let Some(organiser) = filter.organiser {
        select = select.filter(Expr::col("organiser_id").eq(organiser));
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "award", &filter.themes));
    }
    let key = key(order, |a: &domain::award::Award| {
        SortValue::Text(fold(&a.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn diagnostic_tools(
    db: &Db,
    filter: &DiagnosticToolFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::diagnostic::DiagnosticTool>, Error> {
    let mut select = common(diagnostic_tool::Entity::find(), &filter.common, db);
    if let Some(publisher) = filter.publisher {
        select = select.filter(Expr::col("publisher_id").eq(publisher));
    }
    let key = key(order, |t: &domain::diagnostic::DiagnosticTool| {
        SortValue::Text(fold(&t.name))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn events(
    db: &Db,
    filter: &EventFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::event::Event>, Error> {
    let mut select = common(event::Entity::find(), &filter.common, db);
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    for (column, value) in [
        ("organiser_id", filter.organiser),
        ("programme_id", filter.programme),
        ("partnership_id", filter.partnership),
    ] {
        if let Some(value) = value {
            select = select.filter(Expr::col(column).eq(value));
        }
    }
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        select = select.filter(shown);
    }
    let key = key(order, |e: &domain::event::Event| {
        SortValue::Text(fold(&e.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

/// Lessons tagged with one of `topics`: each is stored quoted in the `topics` JSON array, and
/// no topic's quoted name is part of another's.
fn tagged_with(topics: &[domain::initiative::LessonTopic]) -> Expr {
    topics
        .iter()
        .map(|topic| Expr::col("topics").like(format!("%\"{}\"%", topic.as_str())))
        .reduce(|any, next| any.or(next))
        .unwrap_or_else(|| Expr::cust("1 = 1"))
}

fn ids_of_cities(condition: Expr) -> SelectStatement {
    Query::select()
        .column("id")
        .from("city")
        .and_where(condition)
        .to_owned()
}

pub async fn initiatives(
    db: &Db,
    filter: &InitiativeFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::initiative::Initiative>, Error> {
    let mut select = common(initiative::Entity::find(), &filter.common, db);
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        select = select.filter(shown);
    }
    if !filter.themes.is_empty() {
        select = select.filter(linked_to_themes(db, "initiative", &filter.themes));
    }
    if !filter.statuses.is_empty() {
        select =
            select.filter(Expr::col("status").is_in(filter.statuses.iter().map(|s| s.as_str())));
    }
    if let Some(country) = &filter.country {
        let led_from_country = Query::select()
            .column(("initiative_organisation", "initiative_id"))
            .from("initiative_organisation")
            .inner_join(
                "organisation",
                Expr::col(("organisation", "id"))
                    .equals(("initiative_organisation", "organisation_id")),
            )
            .and_where(Expr::col(("organisation", "country")).eq(country.as_str()))
            .to_owned();
        select = select.filter(
            Expr::col("city_id")
                .in_subquery(ids_of_cities(Expr::col("country").eq(country.as_str())))
                .or(Expr::col("city_id")
                    .is_null()
                    .and(Expr::col("id").in_subquery(led_from_country))),
        );
    }
    if filter.population_min.is_some() || filter.population_max.is_some() {
        let mut sized = Expr::col("population").is_not_null();
        if let Some(min) = filter.population_min {
            sized = sized.and(Expr::col("population").gte(min));
        }
        if let Some(max) = filter.population_max {
            sized = sized.and(Expr::col("population").lte(max));
        }
        select = select.filter(Expr::col("city_id").in_subquery(ids_of_cities(sized)));
    }
    if let Some(level) = filter.evidence_at_least {
        select = select.filter(
            Expr::col("id").in_subquery(
                Query::select()
                    .column("initiative_id")
                    .from("outcome")
                    .and_where(
                        Expr::col("evidence_level")
                            .is_in(level.at_least().iter().map(|l| l.as_str())),
                    )
                    .to_owned(),
            ),
        );
    }
    if !filter.pitfalls.is_empty() {
        select = select.filter(
            Expr::col("id").in_subquery(
                Query::select()
                    .column("initiative_id")
                    .from("lesson")
                    .and_where(
                        Expr::col("kind").eq(domain::initiative::LessonKind::Pitfall.as_str()),
                    )
                    .and_where(tagged_with(&filter.pitfalls))
                    .to_owned(),
            ),
        );
    }
    for (column, value) in [
        ("city_id", filter.city),
        ("programme_id", filter.programme),
        ("partnership_id", filter.partnership),
        ("provider_id", filter.provider),
    ] {
        if let Some(value) = value {
            select = select.filter(Expr::col(column).eq(value));
        }
    }
    let key = key(order, |i: &domain::initiative::Initiative| {
        SortValue::Text(fold(&i.title))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}

pub async fn lessons(
    db: &Db,
    filter: &LessonFilter,
    order: OrderField,
    direction: Direction,
    request: &PageRequest,
) -> Result<Page<domain::initiative::Lesson>, Error> {
    let mut select = common(lesson::Entity::find(), &filter.common, db);
    if let Some(shown) = shown_partnerships("partnership_id", filter.drafts) {
        let shown_initiatives = Query::select()
            .column("id")
            .from("initiative")
            .and_where(shown)
            .to_owned();
        select = select.filter(Expr::col("initiative_id").in_subquery(shown_initiatives));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(Expr::col("kind").eq(kind.as_str()));
    }
    if !filter.topics.is_empty() {
        select = select.filter(tagged_with(&filter.topics));
    }
    let key = key(order, |l: &domain::initiative::Lesson| {
        SortValue::Text(fold(&l.text))
    });
    ranked_or(
        db,
        select,
        &filter.common,
        order,
        key,
        Tiebreak::Name,
        direction,
        request,
    )
    .await
}
