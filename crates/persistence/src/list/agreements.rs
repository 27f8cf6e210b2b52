//! Lists of agreements: partnerships (with the drafts a caller may see) and group purchases.

use super::*;

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

/// `shown_partnerships` for the partnership table itself, asked of each row's own status
/// rather than of a set of drafts built first: the same partnerships, with no subquery for
/// anonymous callers (the listed rows' status is at hand as they are walked).
fn own_status_shown(drafts: DraftScope) -> Option<sea_orm::sea_query::SimpleExpr> {
    let not_draft =
        || Expr::col("status").ne(domain::partnership::PartnershipStatus::Draft.as_str());
    match drafts {
        DraftScope::All => None,
        DraftScope::None => Some(not_draft()),
        DraftScope::OfParty(organisation_id) => Some(
            not_draft().or(Expr::col("id").in_subquery(
                Query::select()
                    .column("partnership_id")
                    .from("partnership_party")
                    .and_where(Expr::col("organisation_id").eq(organisation_id))
                    .to_owned(),
            )),
        ),
    }
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
    if let Some(shown) = own_status_shown(filter.drafts) {
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
