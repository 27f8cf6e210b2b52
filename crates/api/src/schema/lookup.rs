//! Records by slug, as the caller may see them: a lookup's record, and the slugs a filter
//! names turned into ids (an unknown slug is an error naming the argument, not a filter that
//! silently matches nothing).

use async_graphql::{Context, ErrorExtensions, Result};
use domain::Id;

use crate::error::{ApiError, internal};

/// The record of `T` with this slug, if the caller may see it.
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
