//! The change feed: the audit trail read as the stream of creations, changes and deletions of
//! the directory's records, in commit order, resumable from any position.
//!
//! A change's position is its audit event's id. Audit events are written as the last
//! statements of their unit, one unit at a time (`audit::record_at_commit`), so ids follow
//! commit order on both databases and an id is never filled in behind one a reader has passed.
//!
//! Only the directory's records are read (`RecordType`, and a mandate's attestations as a
//! change to the mandate): tokens, rate-limit buckets and whatever else the trail records are
//! not. Who may see each change is the API's to decide, from what `Standing` says of the
//! record before and after; this module never hands out a snapshot's values, only the names of
//! the fields that changed.

mod snapshot;

use chrono::{DateTime, Utc};
use domain::Id;
use domain::source::RecordType;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

pub use snapshot::Standing;

use crate::entity::audit_event;
use crate::{Db, Error};

/// Which changes to read. Empty lists and `None` keep everything.
#[derive(Debug, Clone, Default)]
pub struct ChangeFilter {
    /// Only changes of records of these kinds.
    pub kinds: Vec<RecordType>,
    /// Only changes of records tagged now with one of these themes (slugs) or a narrower one,
    /// and of the themes themselves.
    pub themes: Vec<String>,
    /// Only changes of cities and organisations of this country (ISO 3166-1), before or after.
    pub country: Option<String>,
    /// Only changes of cities and organisations in this subdivision (ISO 3166-2), before or
    /// after.
    pub subdivision: Option<String>,
    /// Only changes of this organisation and of the records that name it, before or after.
    pub organisation: Option<Id>,
}

/// A change to one record, as the feed gives it.
#[derive(Debug, Clone)]
pub struct RecordChange {
    /// Where the change stands in the feed: resume after it to read only later changes.
    pub position: Id,
    pub record_type: RecordType,
    pub record_id: Id,
    /// What the trail calls the write (`create_city`, `update_partnership`…).
    pub action: String,
    pub at: DateTime<Utc>,
    /// Who could see the record before the change; none for a creation.
    pub before: Option<Standing>,
    /// Who can see the record after the change; none for a deletion.
    pub after: Option<Standing>,
    /// The fields whose value the change altered, by their names in the trail's snapshots.
    pub changed_fields: Vec<String>,
    /// The fields the record has a value for after the change: what a reader who sees it
    /// appear learns.
    pub set_fields: Vec<String>,
}

/// Changes in feed order, as many as asked for.
#[derive(Debug, Clone, Default)]
pub struct ChangePage {
    pub changes: Vec<RecordChange>,
    /// Whether later changes match the filter.
    pub has_next_page: bool,
    /// The position of the last change read, to resume from even when none of the page's
    /// changes is shown to the caller; none when nothing was read.
    pub last_position: Option<Id>,
}

/// The table of a mandate's attestations, read as changes to the mandate's `attestations`.
const ATTESTATION: &str = "mandate_attestation";

/// The first `limit` changes after position `after` (from the start when none) that `filter`
/// keeps, in one statement.
pub async fn page(
    db: &Db,
    filter: &ChangeFilter,
    after: Option<Id>,
    limit: usize,
) -> Result<ChangePage, Error> {
    let backend = db.conn().get_database_backend();
    let mut select = audit_event::Entity::find()
        .filter(Expr::col("entity_type").is_in(tables(&filter.kinds)))
        .order_by_asc(audit_event::Column::Id)
        .limit(limit as u64 + 1);
    if let Some(after) = after {
        select = select.filter(Expr::col("id").gt(after));
    }
    if let Some(country) = &filter.country {
        select = select.filter(of_place(backend, "country", "country", country));
    }
    if let Some(subdivision) = &filter.subdivision {
        select = select.filter(of_place(
            backend,
            "subdivisions",
            "subdivision",
            subdivision,
        ));
    }
    if let Some(organisation) = filter.organisation {
        select = select.filter(naming_organisation(backend, organisation));
    }
    if !filter.themes.is_empty() {
        select = select.filter(tagged(&filter.themes));
    }
    let mut rows = select.all(db.conn()).await?;
    let has_next_page = rows.len() > limit;
    rows.truncate(limit);
    let last_position = rows.last().map(|row| row.id);
    Ok(ChangePage {
        changes: rows.into_iter().filter_map(change).collect(),
        has_next_page,
        last_position,
    })
}

/// The feed's last position now (the last audit event committed), none while the trail is
/// empty: where a reader that wants only what comes next starts. One look at the primary key.
pub async fn head(db: &Db) -> Result<Option<Id>, Error> {
    let last: Option<Id> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Id)
        .order_by_desc(audit_event::Column::Id)
        .limit(1)
        .into_tuple()
        .one(db.conn())
        .await?;
    Ok(last)
}

/// Where the trail stands for some kinds of record: the position of their latest change, and
/// the latest time among their latest changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// The id of the latest audit event of these kinds (0 when none): a change to any of their
    /// records moves it forward, since ids follow commit order.
    pub event: Id,
    /// When the latest of those writes (one per kind) began; none when there is none.
    pub at: Option<DateTime<Utc>>,
}

/// Where the feed stands for records of `kinds` (every kind when empty), in one statement:
/// the latest event of each kind, through the trail's `(entity_type, id)` index, so it costs
/// the same whatever the trail's length. What a bulk export's `ETag` is made of.
pub async fn position(db: &Db, kinds: &[RecordType]) -> Result<Position, Error> {
    let latest = tables(kinds)
        .into_iter()
        .map(|table| {
            Query::select()
                .expr(Expr::col("id").max())
                .from("audit_event")
                .and_where(Expr::col("entity_type").eq(table))
                .to_owned()
        })
        .reduce(|mut all, next| {
            all.union(sea_orm::sea_query::UnionType::All, next);
            all
        });
    let Some(latest) = latest else {
        return Ok(Position { event: 0, at: None });
    };
    let rows: Vec<(i32, DateTime<Utc>)> = audit_event::Entity::find()
        .select_only()
        .column(audit_event::Column::Id)
        .column(audit_event::Column::At)
        .filter(Expr::col("id").in_subquery(latest))
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(Position {
        event: rows.iter().map(|(id, _)| *id).max().unwrap_or(0),
        at: rows.iter().map(|(_, at)| *at).max(),
    })
}

/// The tables whose events are changes of these kinds (every kind when none is named).
fn tables(kinds: &[RecordType]) -> Vec<&'static str> {
    let kinds = if kinds.is_empty() {
        RecordType::ALL
    } else {
        kinds
    };
    let mut tables: Vec<&'static str> = kinds.iter().map(|kind| kind.as_str()).collect();
    if kinds.contains(&RecordType::Mandate) {
        tables.push(ATTESTATION);
    }
    tables.sort_unstable();
    tables.dedup();
    tables
}

/// An audit event as a change; `None` for an event whose record cannot be named (an
/// attestation recorded without its mandate).
fn change(event: audit_event::Model) -> Option<RecordChange> {
    let before = snapshot::parse(event.before.as_deref());
    let after = snapshot::parse(event.after.as_deref());
    if event.entity_type == ATTESTATION {
        let recorded = after.as_ref().or(before.as_ref())?;
        let mandate_id = snapshot::id_at(recorded, "mandateId")?;
        let standing = Standing {
            owner: domain::ownership::Owner::Directory,
            draft: false,
        };
        let fields = vec!["attestations".to_owned()];
        return Some(RecordChange {
            position: event.id,
            record_type: RecordType::Mandate,
            record_id: mandate_id,
            action: event.action,
            at: event.at,
            before: Some(standing),
            after: Some(standing),
            changed_fields: fields.clone(),
            set_fields: fields,
        });
    }
    let record_type: RecordType = event.entity_type.parse().ok()?;
    let id = event.entity_id;
    // A creation has no `before`, a deletion no `after`, whatever the snapshots hold.
    let (changed_fields, set_fields) = match (&before, &after) {
        (Some(before), Some(after)) => (
            snapshot::changed_fields(before, after),
            snapshot::set_fields(after),
        ),
        (None, Some(after)) => (snapshot::set_fields(after), snapshot::set_fields(after)),
        _ => (Vec::new(), Vec::new()),
    };
    let standing = |state: &Option<snapshot::Snapshot>, recorded: bool| {
        recorded.then(|| match state {
            Some(state) => snapshot::standing(record_type, id, state),
            None => snapshot::standing(record_type, id, &snapshot::Snapshot::new()),
        })
    };
    Some(RecordChange {
        position: event.id,
        record_type,
        record_id: id,
        before: standing(&before, event.before.is_some()),
        after: standing(&after, event.after.is_some()),
        action: event.action,
        at: event.at,
        changed_fields,
        set_fields,
    })
}

/// A city or an organisation whose place — a city's `city_key` (its country, or the list of
/// its subdivisions), an organisation's `organisation_key` — is `value` before or after.
fn of_place(
    backend: DatabaseBackend,
    city_key: &'static str,
    organisation_key: &'static str,
    value: &str,
) -> Expr {
    let city = if city_key == "subdivisions" {
        either_snapshot(|column| json::list_has(backend, column, city_key, value))
    } else {
        either_snapshot(|column| json::text_is(backend, column, city_key, value))
    };
    let organisation =
        either_snapshot(|column| json::text_is(backend, column, organisation_key, value));
    Expr::col("entity_type")
        .eq(RecordType::City.as_str())
        .and(city)
        .or(Expr::col("entity_type")
            .eq(RecordType::Organisation.as_str())
            .and(organisation))
}

/// Where a record's snapshot names an organisation, by kind: the keys that hold one.
const ORGANISATION_KEYS: &[(RecordType, &[&str])] = &[
    (RecordType::Organisation, &["parentId"]),
    (
        RecordType::OrganisationRelation,
        &["fromOrganisationId", "toOrganisationId"],
    ),
    (RecordType::Mandate, &["organisationId"]),
    (RecordType::ContactPoint, &["organisationId"]),
    (
        RecordType::Membership,
        &["organisationId", "memberOrganisationId"],
    ),
    (RecordType::StatedFigure, &["organisationId"]),
    (RecordType::PartnershipParty, &["organisationId"]),
    (RecordType::FollowUp, &["bodyOrganisationId"]),
    (RecordType::ProgrammeOrganiser, &["organisationId"]),
    (RecordType::ProgrammeParticipant, &["organisationId"]),
    (RecordType::InitiativeOrganisation, &["organisationId"]),
    (RecordType::Award, &["organiserId"]),
    (RecordType::DiagnosticTool, &["publisherId"]),
    (RecordType::GroupPurchase, &["supplierId"]),
];

/// The organisation `id` itself, and every record whose snapshot names it, before or after.
fn naming_organisation(backend: DatabaseBackend, id: Id) -> Expr {
    let itself = Expr::col("entity_type")
        .eq(RecordType::Organisation.as_str())
        .and(Expr::col("entity_id").eq(id));
    ORGANISATION_KEYS
        .iter()
        .fold(itself, |found, (kind, keys)| {
            let named = keys
                .iter()
                .map(|key| either_snapshot(|column| json::id_is(backend, column, key, id)))
                .reduce(ExprTrait::or)
                .unwrap_or_else(|| Expr::val(false));
            found.or(Expr::col("entity_type").eq(kind.as_str()).and(named))
        })
}

/// The tables of records tagged with themes, and their link tables with the column that
/// points at the record.
const THEMED: &[(RecordType, &str, &str)] = &[
    (
        RecordType::Partnership,
        "partnership_theme",
        "partnership_id",
    ),
    (
        RecordType::PartnershipDomain,
        "partnership_domain_theme",
        "domain_id",
    ),
    (
        RecordType::Organisation,
        "organisation_theme",
        "organisation_id",
    ),
    (
        RecordType::GroupPurchase,
        "group_purchase_theme",
        "group_purchase_id",
    ),
    (RecordType::Programme, "programme_theme", "programme_id"),
    (RecordType::Award, "award_theme", "award_id"),
    (RecordType::Initiative, "initiative_theme", "initiative_id"),
];

/// Records tagged now with one of the themes (or a narrower one), and those themes.
fn tagged(slugs: &[String]) -> Expr {
    let themes = || crate::list::themes_and_children(slugs);
    let itself = Expr::col("entity_type")
        .eq(RecordType::Theme.as_str())
        .and(Expr::col("entity_id").in_subquery(themes()));
    THEMED
        .iter()
        .fold(itself, |found, (kind, link_table, column)| {
            let linked: SelectStatement = Query::select()
                .column(*column)
                .from(*link_table)
                .and_where(Expr::col("theme_id").in_subquery(themes()))
                .to_owned();
            found.or(Expr::col("entity_type")
                .eq(kind.as_str())
                .and(Expr::col("entity_id").in_subquery(linked)))
        })
}

/// `test` on the snapshot before or on the one after.
fn either_snapshot(test: impl Fn(&'static str) -> Expr) -> Expr {
    test("after").or(test("before"))
}

/// Reading a snapshot's JSON in SQL, the one place the two databases differ. Keys are this
/// crate's constants; values are bound.
mod json {
    use domain::Id;
    use sea_orm::DatabaseBackend;
    use sea_orm::sea_query::Expr;

    /// The snapshot in `column` has the text `value` under `key`.
    pub(super) fn text_is(backend: DatabaseBackend, column: &str, key: &str, value: &str) -> Expr {
        match backend {
            DatabaseBackend::Postgres => Expr::cust_with_values(
                format!("((\"{column}\"::jsonb ->> '{key}') = $1)"),
                [value.to_owned()],
            ),
            _ => Expr::cust_with_values(
                format!("(json_extract(\"{column}\", '$.{key}') = ?)"),
                [value.to_owned()],
            ),
        }
    }

    /// The snapshot in `column` has the id `id` under `key`.
    pub(super) fn id_is(backend: DatabaseBackend, column: &str, key: &str, id: Id) -> Expr {
        match backend {
            DatabaseBackend::Postgres => Expr::cust_with_values(
                format!("((\"{column}\"::jsonb ->> '{key}') = $1)"),
                [id.to_string()],
            ),
            _ => Expr::cust_with_values(
                format!("(json_extract(\"{column}\", '$.{key}') = ?)"),
                [i64::from(id)],
            ),
        }
    }

    /// The snapshot in `column` has a list under `key` that holds the text `value`.
    pub(super) fn list_has(backend: DatabaseBackend, column: &str, key: &str, value: &str) -> Expr {
        match backend {
            DatabaseBackend::Postgres => Expr::cust_with_values(
                format!("((\"{column}\"::jsonb -> '{key}') @> jsonb_build_array($1::text))"),
                [value.to_owned()],
            ),
            _ => Expr::cust_with_values(
                format!(
                    "EXISTS (SELECT 1 FROM json_each(\"{column}\", '$.{key}') WHERE value = ?)"
                ),
                [value.to_owned()],
            ),
        }
    }
}
