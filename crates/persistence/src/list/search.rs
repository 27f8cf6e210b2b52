//! A search on names through the indexes, and lists ranked by how well names match it.

use super::*;

/// A search on the folded name (`search_name`) through the indexes of migration 5: a term of
/// three characters or more is a substring, found through SQLite's FTS5 trigram table
/// (`<table>_search`) or PostgreSQL's trigram GIN index; a shorter one is a prefix, found
/// through a B-tree.
pub(super) fn name_search(table: &str, backend: DatabaseBackend, search: &str) -> SimpleExpr {
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
pub(super) enum Tiebreak {
    /// The most populous first, unknown populations last (cities).
    Population,
    /// By folded name.
    Name,
}

/// A page ordered by relevance when asked and there is a search (see `relevance`), otherwise
/// by `key`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn ranked_or<T: Stored>(
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
