//! The GraphQL schema: the query and mutation roots, and one module per part of the
//! directory. Only this module knows GraphQL; it reads through `loader` and `persistence`.

pub mod connection;
pub mod country;
pub mod enums;
pub mod id;
pub mod record;
mod related_lists;
pub mod scalars;

pub mod admin;
pub mod award;
pub mod award_write;
pub mod change;
mod change_live;
mod change_visibility;
pub mod city;
pub mod city_match;
pub mod collective_part_add_write;
pub mod collective_part_write;
mod collective_query;
pub mod delete_write;
pub mod diagnostic;
pub mod diagnostic_write;
pub mod directory_write;
pub mod election;
pub mod event;
pub mod event_write;
pub mod freshness;
pub mod freshness_write;
pub mod group_purchase;
pub mod group_purchase_write;
pub mod initiative;
mod initiative_query;
pub mod initiative_write;
pub mod list_args;
pub mod list_filter;
mod lookup;
pub mod node;
pub mod organisation;
pub mod organisation_part_write;
pub mod organisation_write;
pub mod partnership;
pub mod partnership_part_write;
pub mod partnership_write;
pub mod payload;
pub mod person;
pub mod person_write;
pub mod programme;
pub mod programme_write;
mod query;
pub mod rate_limit;
pub mod reference;
pub mod report;
pub mod report_write;
pub mod source;
pub mod source_write;
pub mod theme;
pub mod user_error;
pub mod viewer;
pub mod webhook;

use async_graphql::dataloader::{DataLoader, Loader};
use async_graphql::{Context, ErrorExtensions, MergedObject, Result, Schema, Union};

use std::collections::HashSet;

use crate::auth::Visible;
use crate::error::internal;
use crate::loader::{LoadError, Loaders};
use connection::{Paged, RelatedArgs, page_related};
use domain::ownership::Owner;

/// The directory, read: records by id or slug, lists with filters and keyset pages, the change
/// feed, who the caller's token is, and for admins the tokens and the audit trail.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    node::NodeQuery,
    query::DirectoryQuery,
    collective_query::CollectiveActionQuery,
    initiative_query::InitiativeQuery,
    admin::AdminQuery,
    change::ChangeQuery,
    webhook::WebhookQuery,
    election::ElectionQuery,
    freshness::FreshnessQuery,
    rate_limit::RateLimitQuery,
    viewer::ViewerQuery,
);

/// The directory, written: every write needs an API token of the right role.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    admin::AdminMutation,
    directory_write::DirectoryMutation,
    person_write::PersonMutation,
    delete_write::DeleteMutation,
    organisation_write::OrganisationMutation,
    organisation_part_write::OrganisationPartMutation,
    partnership_write::PartnershipMutation,
    partnership_part_write::PartnershipPartMutation,
    group_purchase_write::GroupPurchaseMutation,
    diagnostic_write::DiagnosticMutation,
    programme_write::ProgrammeMutation,
    award_write::AwardMutation,
    initiative_write::InitiativeMutation,
    report_write::ReportMutation,
    event_write::EventMutation,
    webhook::WebhookMutation,
    freshness_write::FreshnessMutation,
    collective_part_add_write::CollectivePartAddMutation,
    collective_part_write::CollectivePartMutation,
    source_write::SourceMutation,
);

/// The directory, live: the change feed as it grows, served over Server-Sent Events.
pub type SubscriptionRoot = change_live::ChangeSubscription;

/// The directory's schema.
pub type DirectorySchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// The schemas a request goes through: one that checks it (limits, cost, rate limit) and stops
/// before executing, and one without extensions that executes it.
pub struct Schemas {
    /// Checks token holders' requests: its validation errors suggest field names.
    pub check: DirectorySchema,
    /// Checks anonymous requests, without suggestions: no free map of the schema for a
    /// scanner beyond what introspection (which costs like any query) gives.
    pub check_anonymous: DirectorySchema,
    /// Executes checked requests; requests bring their own `DataLoader<Loaders>`, `Db`, caller
    /// and keys.
    pub run: DirectorySchema,
}

impl Schemas {
    /// The schemas, executing with `targets` as the webhook URLs subscriptions may name.
    pub fn build(limits: &crate::config::Limits, targets: domain::webhook::Targets) -> Schemas {
        Schemas {
            check: build(limits, true),
            check_anonymous: build(limits, false),
            // The request passed the full validation on a checking schema already.
            run: builder()
                .validation_mode(async_graphql::ValidationMode::Fast)
                .data(targets)
                .finish(),
        }
    }
}

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
}

/// A checking schema. `suggestions` says whether validation errors may suggest field names
/// ("Did you mean…").
fn build(limits: &crate::config::Limits, suggestions: bool) -> DirectorySchema {
    let builder = builder().extension(crate::limits::QueryLimits::new(limits.clone()));
    if suggestions {
        builder.finish()
    } else {
        builder.disable_suggestions().finish()
    }
}

/// The schema in SDL, as written to `schema.graphql`.
pub fn sdl() -> String {
    build(&crate::config::Limits::default(), true).sdl()
}

/// A city or an organisation: who can be a member, a party or a partner.
#[derive(Union)]
#[graphql(name = "Actor")]
pub enum CityOrOrganisation {
    City(city::City),
    Organisation(organisation::Organisation),
}

/// Whether the nodes of the page this field returns ask for any of `fields`.
pub(crate) fn page_shows(ctx: &Context<'_>, fields: &[&str]) -> bool {
    let page = ctx.look_ahead();
    [page.field("nodes"), page.field("edges").field("node")]
        .iter()
        .any(|node| fields.iter().any(|field| node.field(field).exists()))
}

pub(crate) fn loaders<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Loaders> {
    ctx.data_unchecked::<DataLoader<Loaders>>()
}

/// The whole related list under `key`: kept by an earlier batch of the request, or through its
/// DataLoader.
pub(crate) async fn load_list<K, T>(ctx: &Context<'_>, key: K) -> Result<Vec<T>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: Send + Sync + Clone + Visible + 'static,
    Loaders: Loader<K, Value = Vec<T>, Error = LoadError>,
{
    let items: Vec<T> = match loaders(ctx).loader().kept(&key) {
        Some(items) => items,
        None => loaders(ctx)
            .load_one(key)
            .await
            .map_err(|error| internal(ctx, error))?
            .unwrap_or_default(),
    };
    retain_visible(ctx, items).await
}

/// The records the caller may see, in their order: the one place every read goes through
/// (`load_one`, `load_many`, `load_list`, `related`, slugs). Draft partnerships asked for by a
/// partner need their parties: one batch for all of them. Records that belong to something
/// (`domain::ownership`) are shown when their owner is: owners shown earlier in the request
/// answer at once, the others are read (a batch per kind) and asked the same question.
pub(crate) async fn retain_visible<T: Visible>(ctx: &Context<'_>, items: Vec<T>) -> Result<Vec<T>> {
    use crate::auth::Visibility;
    use crate::loader::agreements::PartiesOfPartnership;
    let drafts = crate::auth::reader(ctx).drafts;
    let verdicts: Vec<Visibility> = items.iter().map(|item| item.visibility(drafts)).collect();
    if verdicts
        .iter()
        .all(|verdict| matches!(verdict, Visibility::Shown))
    {
        vouch(ctx, &items);
        return Ok(items);
    }
    let pending: Vec<PartiesOfPartnership> = verdicts
        .iter()
        .filter_map(|verdict| match verdict {
            Visibility::IfParty { partnership_id } => Some(PartiesOfPartnership(*partnership_id)),
            _ => None,
        })
        .collect();
    let parties = if pending.is_empty() {
        Default::default()
    } else {
        loaders(ctx)
            .load_many(pending)
            .await
            .map_err(|error| internal(ctx, error))?
    };
    let owners: Vec<Owner> = verdicts
        .iter()
        .filter_map(|verdict| match verdict {
            Visibility::Owned(owner) => Some(*owner),
            _ => None,
        })
        .collect();
    let shown_owners = if owners.is_empty() {
        HashSet::new()
    } else {
        shown_among(ctx, owners).await?
    };
    let shown: Vec<T> = items
        .into_iter()
        .zip(verdicts)
        .filter(|(_, verdict)| match verdict {
            Visibility::Shown => true,
            Visibility::Hidden => false,
            Visibility::IfParty { partnership_id } => {
                let of = parties.get(&PartiesOfPartnership(*partnership_id));
                drafts.admits(of.into_iter().flatten().map(|party| party.actor))
            }
            Visibility::Owned(owner) => shown_owners.contains(owner),
        })
        .map(|(item, _)| item)
        .collect();
    vouch(ctx, &shown);
    Ok(shown)
}

/// Notes the owners among records shown to the caller (by `retain_visible`, or on a page of a
/// top-level list, which filters what the caller may not see in its SQL:
/// `list::shown_partnerships`), so their parts need no second look.
pub(crate) fn vouch<'a, T: Visible + 'a>(
    ctx: &Context<'_>,
    shown: impl IntoIterator<Item = &'a T>,
) {
    let mut owners = shown.into_iter().filter_map(Visible::as_owner).peekable();
    if owners.peek().is_some() {
        loaders(ctx).loader().vouch(owners);
    }
}

/// The owners among `owners` the caller may see: those shown earlier in the request at once,
/// the others read by id as `node(id:)` reads them (a batch per kind, through
/// `retain_visible` again: a report is shown when its partnership is).
pub(crate) fn shown_among<'a>(
    ctx: &'a Context<'_>,
    owners: Vec<Owner>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<HashSet<Owner>>> + Send + 'a>> {
    Box::pin(async move {
        let loader = loaders(ctx).loader();
        let mut shown = HashSet::new();
        let mut unknown = HashSet::new();
        for owner in owners {
            if owner == Owner::Directory || loader.was_shown(&owner) {
                shown.insert(owner);
            } else {
                unknown.insert(owner);
            }
        }
        let unknown: Vec<Owner> = unknown.into_iter().collect();
        let found = async_graphql::futures_util::future::try_join_all(unknown.iter().map(
            |owner| async move {
                match owner {
                    Owner::Record(kind, id) => node::node_of(ctx, *kind, *id).await,
                    Owner::Directory => Ok(None),
                }
            },
        ))
        .await?;
        shown.extend(
            unknown
                .into_iter()
                .zip(found)
                .filter_map(|(owner, node)| node.map(|_| owner)),
        );
        Ok(shown)
    })
}

/// One page of the related list under `key`.
pub(crate) async fn related<K, T>(ctx: &Context<'_>, key: K, args: &RelatedArgs) -> Result<Paged<T>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: persistence::Stored + Visible,
    Loaders: Loader<K, Value = Vec<T>, Error = LoadError>,
{
    let items = load_list(ctx, key).await?;
    page_related(items, args).map_err(|error| error.extend())
}

/// A value computed from visible records (an assessment's standing) under `key`, through the
/// request's DataLoader.
pub(crate) async fn load_derived<K, V>(ctx: &Context<'_>, key: K) -> Result<Option<V>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    V: Send + Sync + Clone + 'static,
    Loaders: Loader<K, Value = V, Error = LoadError>,
{
    loaders(ctx)
        .load_one(key)
        .await
        .map_err(|error| internal(ctx, error))
}

/// The record under `key`, if any: kept by an earlier batch of the request (a party's city read
/// with the parties), or through its DataLoader.
pub(crate) async fn load_one<K, T>(ctx: &Context<'_>, key: Option<K>) -> Result<Option<T>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: Send + Sync + Clone + Visible + 'static,
    Loaders: Loader<K, Value = T, Error = LoadError>,
{
    let Some(key) = key else { return Ok(None) };
    let record = match loaders(ctx).loader().kept(&key) {
        Some(record) => Some(record),
        None => loaders(ctx)
            .load_one(key)
            .await
            .map_err(|error| internal(ctx, error))?,
    };
    Ok(retain_visible(ctx, record.into_iter().collect())
        .await?
        .pop())
}

/// The records under `keys`, in the order of the keys, skipping absent ones.
pub(crate) async fn load_many<K, T>(ctx: &Context<'_>, keys: Vec<K>) -> Result<Vec<T>>
where
    K: Send + Sync + std::hash::Hash + Eq + Clone + 'static,
    T: Send + Sync + Clone + Visible + 'static,
    Loaders: Loader<K, Value = T, Error = LoadError>,
{
    let mut found = loaders(ctx)
        .load_many(keys.clone())
        .await
        .map_err(|error| internal(ctx, error))?;
    let records = keys
        .into_iter()
        .filter_map(|key| found.remove(&key))
        .collect();
    retain_visible(ctx, records).await
}
