//! What every stored record shares: its table, its id, its stamp, and how its row becomes it.

use std::collections::HashMap;

use domain::{Id, Stamp};
use sea_orm::sea_query::{Expr, ExprTrait, SimpleExpr};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::entity::*;
use crate::{Db, Error, rows};

/// A domain record kept in one table.
pub trait Stored: Sized + Clone + Send + Sync + 'static {
    #[doc(hidden)]
    type Entity: EntityTrait<Model: crate::entity::FromRowAt>;
    /// The table's name, also the record type named in citations.
    const TABLE: &'static str;
    #[doc(hidden)]
    fn from_row(row: <Self::Entity as EntityTrait>::Model) -> Result<Self, Error>;
    fn id(&self) -> Id;
    fn stamp(&self) -> &Stamp;
}

macro_rules! stored {
    ($type:ty, $table:ident, $convert:path) => {
        impl Stored for $type {
            type Entity = $table::Entity;
            const TABLE: &'static str = stringify!($table);
            fn from_row(row: $table::Model) -> Result<Self, Error> {
                $convert(row)
            }
            fn id(&self) -> Id {
                self.id
            }
            fn stamp(&self) -> &Stamp {
                &self.stamp
            }
        }
    };
}

stored!(domain::source::Source, source, rows::source);
stored!(
    domain::webhook::Subscription,
    webhook_subscription,
    rows::webhook_subscription
);
stored!(domain::source::Citation, citation, rows::citation);
stored!(domain::theme::Theme, theme, rows::theme);
stored!(domain::city::City, city, rows::city);
stored!(domain::person::Person, person, rows::person);
stored!(
    domain::person::ContactPoint,
    contact_point,
    rows::contact_point
);
stored!(domain::person::Statement, statement, rows::statement);
stored!(
    domain::organisation::Organisation,
    organisation,
    rows::organisation
);
stored!(
    domain::organisation::OrganisationRelation,
    organisation_relation,
    rows::organisation_relation
);
stored!(
    domain::organisation::StatedFigure,
    stated_figure,
    rows::stated_figure
);
stored!(domain::mandate::Mandate, mandate, rows::mandate);
stored!(domain::membership::Membership, membership, rows::membership);
stored!(
    domain::partnership::Partnership,
    partnership,
    rows::partnership
);
stored!(domain::partnership::Party, partnership_party, rows::party);
stored!(domain::partnership::Signatory, signatory, rows::signatory);
stored!(
    domain::partnership::Domain,
    partnership_domain,
    rows::domain
);
stored!(
    domain::partnership::Commitment,
    commitment,
    rows::commitment
);
stored!(domain::partnership::FollowUp, follow_up, rows::follow_up);
stored!(
    domain::group_purchase::GroupPurchase,
    group_purchase,
    rows::group_purchase
);
stored!(
    domain::group_purchase::Participation,
    participation,
    rows::participation
);

stored!(domain::programme::Programme, programme, rows::programme);
stored!(
    domain::programme::ProgrammeOrganiser,
    programme_organiser,
    rows::programme_organiser
);
stored!(
    domain::programme::SupportComponent,
    programme_support,
    rows::support_component
);
stored!(domain::programme::Edition, programme_edition, rows::edition);
stored!(
    domain::programme::Participant,
    programme_participant,
    rows::programme_participant
);
stored!(domain::award::Award, award, rows::award);
stored!(domain::award::Recognition, recognition, rows::recognition);
stored!(
    domain::diagnostic::DiagnosticTool,
    diagnostic_tool,
    rows::diagnostic_tool
);
stored!(domain::event::Event, event, rows::event);
stored!(domain::initiative::Initiative, initiative, rows::initiative);
stored!(
    domain::initiative::InitiativeOrganisation,
    initiative_organisation,
    rows::initiative_organisation
);
stored!(domain::initiative::Outcome, outcome, rows::outcome);
stored!(domain::initiative::Lesson, lesson, rows::lesson);
stored!(
    domain::diagnostic::Questionnaire,
    questionnaire,
    rows::questionnaire
);
stored!(domain::diagnostic::Assessment, assessment, rows::assessment);
stored!(
    domain::partnership::Report,
    partnership_report,
    rows::report
);
stored!(
    domain::partnership::Indicator,
    report_indicator,
    rows::indicator
);
stored!(
    domain::event::EventParticipant,
    event_participant,
    rows::event_participant
);

pub(crate) fn convert<T: Stored>(
    rows: Vec<<T::Entity as EntityTrait>::Model>,
) -> Result<Vec<T>, Error> {
    rows.into_iter().map(T::from_row).collect()
}

/// `column` holds one of `ids`, as one bound parameter whatever their number: the statement's
/// text stays the same, so each connection prepares it once and reuses it (an `IN (…)` list
/// of n ids is a new statement for every n). PostgreSQL reads the ids as an array; SQLite
/// through `json_each`.
pub(crate) fn one_of(db: &Db, column: &str, ids: impl IntoIterator<Item = Id>) -> SimpleExpr {
    one_of_quoted(db, &format!("\"{column}\""), ids)
}

/// `one_of` for a column named with its table, in a statement that joins tables.
pub(crate) fn one_of_in(
    db: &Db,
    table: &str,
    column: &str,
    ids: impl IntoIterator<Item = Id>,
) -> SimpleExpr {
    one_of_quoted(db, &format!("\"{table}\".\"{column}\""), ids)
}

fn one_of_quoted(db: &Db, column: &str, ids: impl IntoIterator<Item = Id>) -> SimpleExpr {
    let ids: Vec<String> = ids.into_iter().map(|id| id.to_string()).collect();
    match db.conn().get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => Expr::cust_with_values(
            format!("{column} = ANY(string_to_array($1, ',')::int[])"),
            [ids.join(",")],
        ),
        _ => Expr::cust_with_values(
            format!("{column} IN (SELECT value FROM json_each(?))"),
            [format!("[{}]", ids.join(","))],
        ),
    }
}

/// Records of one kind by id, in one statement. Absent ids are absent from the map.
pub async fn by_ids<T: Stored>(db: &Db, ids: &[Id]) -> Result<HashMap<Id, T>, Error> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let records: Vec<T> = fetch(
        db,
        T::Entity::find().filter(one_of(db, "id", ids.iter().copied())),
    )
    .await?;
    Ok(records
        .into_iter()
        .map(|record| (record.id(), record))
        .collect())
}

/// The record of one kind with this slug, if any.
pub async fn by_slug<T: Stored>(db: &Db, slug: &str) -> Result<Option<T>, Error> {
    use sea_orm::QuerySelect;
    let select = T::Entity::find()
        .filter(Expr::col("slug").eq(slug))
        .limit(1);
    let records: Vec<T> = fetch(db, select).await?;
    Ok(records.into_iter().next())
}

/// The records of one kind with one of these slugs, in one statement; absent slugs are
/// simply missing from the answer.
pub async fn by_slugs<T: Stored>(db: &Db, slugs: &[String]) -> Result<Vec<T>, Error> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let select = T::Entity::find().filter(Expr::col("slug").is_in(slugs.iter().cloned()));
    fetch(db, select).await
}

/// The records a select of `T`'s entity returns, decoded by column position.
pub(crate) async fn fetch<T: Stored>(
    db: &Db,
    select: impl sea_orm::QueryTrait<QueryStatement = sea_orm::sea_query::SelectStatement>,
) -> Result<Vec<T>, Error> {
    decode(&rows_of(db, select).await?)
}

/// The raw rows of a select, for decoding by column position (`entity::FromRowAt`).
pub(crate) async fn rows_of(
    db: &Db,
    select: impl sea_orm::QueryTrait<QueryStatement = sea_orm::sea_query::SelectStatement>,
) -> Result<Vec<sea_orm::QueryResult>, Error> {
    use sea_orm::ConnectionTrait;
    let statement = select.build(db.conn().get_database_backend());
    Ok(db.conn().query_all_raw(statement).await?)
}

/// Rows holding `T`'s columns first, decoded by position.
pub(crate) fn decode<T: Stored>(rows: &[sea_orm::QueryResult]) -> Result<Vec<T>, Error> {
    use crate::entity::FromRowAt;
    rows.iter()
        .map(|row| T::from_row(<T::Entity as EntityTrait>::Model::from_row_at(row, 0)?))
        .collect()
}

/// Every record whose `column` holds one of `parent_ids`, ordered by `order` then id, in one
/// statement: the batch behind a one-to-many relation.
pub(crate) async fn children<T: Stored>(
    db: &Db,
    column: &'static str,
    parent_ids: &[Id],
    order: &[&'static str],
) -> Result<Vec<T>, Error> {
    if parent_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut select = T::Entity::find().filter(one_of(db, column, parent_ids.iter().copied()));
    for column in order {
        select = select.order_by_asc(Expr::col(*column));
    }
    fetch(db, select.order_by_asc(Expr::col("id"))).await
}

/// Groups records by the parent a function reads off each.
pub(crate) fn group<T>(records: Vec<T>, parent: impl Fn(&T) -> Option<Id>) -> HashMap<Id, Vec<T>> {
    let mut groups: HashMap<Id, Vec<T>> = HashMap::new();
    for record in records {
        if let Some(parent_id) = parent(&record) {
            groups.entry(parent_id).or_default().push(record);
        }
    }
    groups
}
stored!(domain::election::Election, election, rows::election);
stored!(
    domain::freshness::Verification,
    verification,
    rows::verification
);
stored!(domain::access::ApiToken, api_token, rows::api_token);
stored!(domain::access::AuditEvent, audit_event, rows::audit_event);
