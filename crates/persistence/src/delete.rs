//! Deleting a record entered by mistake. A record with history — anything else points at it —
//! is not deleted: it is ended, terminated or cancelled instead, so history stays honest.
//! Every record kind the directory keeps is deletable so (but tokens and webhook
//! subscriptions, which have their own revocation and deletion).
//!
//! What points at a record is read from the database's own foreign keys, so a reference added
//! by a later migration blocks a deletion without anyone editing this file. A record's own
//! parts (its theme links, a programme's organisers, an initiative's outcomes…) go with it.

use domain::Id;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, EntityTrait, PrimaryKeyTrait, Statement,
};

use crate::entity::{assessment, award, contact_point, diagnostic_tool, event_participant};
use crate::entity::{group_purchase, initiative_organisation, lesson, mandate, membership};
use crate::entity::{organisation_relation, outcome, participation, partnership_report};
use crate::entity::{programme_edition, programme_organiser, programme_participant};
use crate::entity::{programme_support, recognition, report_indicator};
use crate::write::{Field, Rule, Unit, WriteError, broken};

/// What can be deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletable {
    City,
    Person,
    Organisation,
    Programme,
    Edition,
    ProgrammeParticipant,
    Award,
    Recognition,
    Initiative,
    Outcome,
    Lesson,
    Event,
    Report,
    ContactPoint,
    OrganisationRelation,
    StatedFigure,
    Statement,
    Source,
    Citation,
    Theme,
    ProgrammeOrganiser,
    SupportComponent,
    InitiativeOrganisation,
    EventParticipant,
    Indicator,
    DiagnosticTool,
    Mandate,
    Membership,
    Partnership,
    GroupPurchase,
    Participation,
    Election,
    Questionnaire,
    Assessment,
}

impl Deletable {
    /// The deletable kind of a record type, if it is one: every kind but a partnership's parts,
    /// which `partnership::parts` removes.
    pub fn of(record_type: domain::source::RecordType) -> Option<Deletable> {
        use domain::source::RecordType;
        Some(match record_type {
            RecordType::City => Deletable::City,
            RecordType::Person => Deletable::Person,
            RecordType::Organisation => Deletable::Organisation,
            RecordType::Programme => Deletable::Programme,
            RecordType::Edition => Deletable::Edition,
            RecordType::ProgrammeParticipant => Deletable::ProgrammeParticipant,
            RecordType::Award => Deletable::Award,
            RecordType::Recognition => Deletable::Recognition,
            RecordType::Initiative => Deletable::Initiative,
            RecordType::Outcome => Deletable::Outcome,
            RecordType::Lesson => Deletable::Lesson,
            RecordType::Event => Deletable::Event,
            RecordType::Report => Deletable::Report,
            RecordType::ContactPoint => Deletable::ContactPoint,
            RecordType::OrganisationRelation => Deletable::OrganisationRelation,
            RecordType::StatedFigure => Deletable::StatedFigure,
            RecordType::Statement => Deletable::Statement,
            RecordType::Source => Deletable::Source,
            RecordType::Citation => Deletable::Citation,
            RecordType::Theme => Deletable::Theme,
            RecordType::ProgrammeOrganiser => Deletable::ProgrammeOrganiser,
            RecordType::SupportComponent => Deletable::SupportComponent,
            RecordType::InitiativeOrganisation => Deletable::InitiativeOrganisation,
            RecordType::EventParticipant => Deletable::EventParticipant,
            RecordType::Indicator => Deletable::Indicator,
            RecordType::DiagnosticTool => Deletable::DiagnosticTool,
            RecordType::Mandate => Deletable::Mandate,
            RecordType::Membership => Deletable::Membership,
            RecordType::Partnership => Deletable::Partnership,
            RecordType::GroupPurchase => Deletable::GroupPurchase,
            RecordType::Participation => Deletable::Participation,
            RecordType::Election => Deletable::Election,
            RecordType::Questionnaire => Deletable::Questionnaire,
            RecordType::Assessment => Deletable::Assessment,
            _ => return None,
        })
    }

    /// The record's table.
    pub fn table(self) -> &'static str {
        match self {
            Deletable::City => "city",
            Deletable::Person => "person",
            Deletable::Organisation => "organisation",
            Deletable::Programme => "programme",
            Deletable::Edition => "programme_edition",
            Deletable::ProgrammeParticipant => "programme_participant",
            Deletable::Award => "award",
            Deletable::Recognition => "recognition",
            Deletable::Initiative => "initiative",
            Deletable::Outcome => "outcome",
            Deletable::Lesson => "lesson",
            Deletable::Event => "event",
            Deletable::Report => "partnership_report",
            Deletable::ContactPoint => "contact_point",
            Deletable::OrganisationRelation => "organisation_relation",
            Deletable::StatedFigure => "stated_figure",
            Deletable::Statement => "statement",
            Deletable::Source => "source",
            Deletable::Citation => "citation",
            Deletable::Theme => "theme",
            Deletable::ProgrammeOrganiser => "programme_organiser",
            Deletable::SupportComponent => "programme_support",
            Deletable::InitiativeOrganisation => "initiative_organisation",
            Deletable::EventParticipant => "event_participant",
            Deletable::Indicator => "report_indicator",
            Deletable::DiagnosticTool => "diagnostic_tool",
            Deletable::Mandate => "mandate",
            Deletable::Membership => "membership",
            Deletable::Partnership => "partnership",
            Deletable::GroupPurchase => "group_purchase",
            Deletable::Participation => "participation",
            Deletable::Election => "election",
            Deletable::Questionnaire => "questionnaire",
            Deletable::Assessment => "assessment",
        }
    }

    /// The tables holding the record's own parts, which go with it (their foreign keys
    /// cascade); a row of any other table that points at the record keeps it.
    fn parts(self) -> &'static [&'static str] {
        match self {
            Deletable::City | Deletable::Person => &[],
            Deletable::Organisation => &["organisation_theme"],
            Deletable::Programme => &[
                "programme_theme",
                "programme_organiser",
                "programme_support",
            ],
            Deletable::Edition => &["stated_figure"],
            Deletable::Award => &["award_theme", "stated_figure"],
            Deletable::Initiative => &[
                "initiative_theme",
                "initiative_organisation",
                "outcome",
                "lesson",
            ],
            Deletable::Event => &["event_participant"],
            Deletable::Report => &["report_indicator"],
            Deletable::Mandate => &["mandate_attestation"],
            // A partnership entered by mistake goes with its parties, signatures, domains,
            // commitments and follow-ups; one that another continues, or that a report, an
            // event, an initiative, a purchase or a statement names, stays.
            Deletable::Partnership => &[
                "partnership_theme",
                "partnership_party",
                "signatory",
                "partnership_domain",
                "commitment",
                "follow_up",
            ],
            Deletable::GroupPurchase => &["group_purchase_theme"],
            Deletable::ProgrammeParticipant
            | Deletable::Recognition
            | Deletable::Outcome
            | Deletable::Lesson
            | Deletable::ContactPoint
            | Deletable::OrganisationRelation
            | Deletable::StatedFigure
            | Deletable::Statement
            | Deletable::Source
            | Deletable::Citation
            | Deletable::Theme
            | Deletable::ProgrammeOrganiser
            | Deletable::SupportComponent
            | Deletable::InitiativeOrganisation
            | Deletable::EventParticipant
            | Deletable::Indicator
            | Deletable::DiagnosticTool
            | Deletable::Membership
            | Deletable::Participation
            | Deletable::Election
            | Deletable::Questionnaire
            | Deletable::Assessment => &[],
        }
    }
}

/// Deletes a record nothing else points at, with its parts and citations: by whoever may write
/// it (editors for cities, people, organisations, figures, statements, sources, citations and
/// themes; an organisation's partner for its contact points and the relations it states). A
/// source something cites, a theme something is tagged with or another theme narrows, is
/// `IN_USE`.
pub async fn delete(unit: &Unit, kind: Deletable, id: Id) -> Result<(), WriteError> {
    let tx = unit.tx();
    let exists = Query::select()
        .column("id")
        .from(kind.table())
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    if tx.query_one(&exists).await?.is_none() {
        return Err(WriteError::NotFound(Field::Id));
    }
    check_may_delete(unit, kind, id)
        .await
        .map_err(crate::write::hidden_is_absent)?;
    for (table, column) in references_to(tx, kind.table()).await? {
        if kind.parts().contains(&table.as_str()) {
            // The part goes with the record (its key cascades): so do the part's citations
            // and verification, which no key ties to it.
            let parts = Query::select()
                .column("id")
                .from(Alias::new(table.as_str()))
                .and_where(Expr::col(Alias::new(column.as_str())).eq(id))
                .to_owned();
            for about in ["citation", "verification"] {
                let of_parts = Query::delete()
                    .from_table(about)
                    .and_where(Expr::col("record_type").eq(table.as_str()))
                    .and_where(Expr::col("record_id").in_subquery(parts.clone()))
                    .to_owned();
                tx.execute(&of_parts).await?;
            }
            continue;
        }
        // A link table (`partnership_theme`) has no `id`: ask for a row, not a column. SQLite
        // read a missing `"id"` as the string 'id'; PostgreSQL refuses it.
        let used = Query::select()
            .expr(Expr::val(1))
            .from(Alias::new(table.as_str()))
            .and_where(Expr::col(Alias::new(column.as_str())).eq(id))
            .limit(1)
            .to_owned();
        if tx.query_one(&used).await?.is_some() {
            return Err(broken(
                Field::Id,
                Rule::InUse {
                    record: kind.table(),
                    by: table,
                },
            ));
        }
    }
    // What is said about the record by type and id goes with it: its citations and its
    // verification, which no foreign key ties to it.
    for about in ["citation", "verification"] {
        let of_record = Query::delete()
            .from_table(about)
            .and_where(Expr::col("record_type").eq(kind.table()))
            .and_where(Expr::col("record_id").eq(id))
            .to_owned();
        tx.execute(&of_record).await?;
    }
    // What the deletion removed, as the trail last recorded it: whoever reads the trail (or
    // the change feed, which tells who may see the deletion by it) still knows what it was.
    let removed = unit
        .last_recorded(kind.table(), id)
        .await?
        .unwrap_or_else(|| serde_json::json!({ "id": id }));
    let delete = Query::delete()
        .from_table(kind.table())
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    tx.execute(&delete).await?;
    unit.audit(
        &format!("delete_{}", kind.table()),
        kind.table(),
        id,
        Some(removed),
        None,
    )
    .await?;
    Ok(())
}

/// Whether the actor may delete record `id`: whoever may write it — or, for what a partner
/// records for a city (an assessment, a participation), whoever acts for the city.
pub(crate) async fn check_may_delete(
    unit: &Unit,
    kind: Deletable,
    id: Id,
) -> Result<(), WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let programme =
        |programme_id| crate::programme::check_writes_programme(tx, actor, programme_id);
    let initiative = |initiative_id| async move {
        crate::initiative::writable_initiative(tx, actor, initiative_id)
            .await
            .map(|_| ())
    };
    let partnership =
        |partnership_id| crate::partnership::check_may_write(tx, actor, partnership_id, Field::Id);
    match kind {
        Deletable::City
        | Deletable::Person
        | Deletable::Organisation
        | Deletable::StatedFigure
        | Deletable::Statement
        | Deletable::Source
        | Deletable::Citation
        | Deletable::Theme
        | Deletable::Election => Ok(actor.check_editor()?),
        Deletable::Questionnaire => Ok(actor.check_admin()?),
        Deletable::ContactPoint => {
            let row = row::<contact_point::Entity>(tx, id).await?;
            Ok(actor.check_writes_for(row.organisation_id)?)
        }
        Deletable::OrganisationRelation => {
            let row = row::<organisation_relation::Entity>(tx, id).await?;
            Ok(actor.check_writes_for(row.from_organisation_id)?)
        }
        Deletable::Programme => programme(id).await,
        Deletable::Edition => {
            programme(row::<programme_edition::Entity>(tx, id).await?.programme_id).await
        }
        Deletable::ProgrammeParticipant => {
            programme(
                row::<programme_participant::Entity>(tx, id)
                    .await?
                    .programme_id,
            )
            .await
        }
        Deletable::ProgrammeOrganiser => {
            programme(
                row::<programme_organiser::Entity>(tx, id)
                    .await?
                    .programme_id,
            )
            .await
        }
        Deletable::SupportComponent => {
            programme(row::<programme_support::Entity>(tx, id).await?.programme_id).await
        }
        Deletable::Award => {
            Ok(actor.check_writes_for(row::<award::Entity>(tx, id).await?.organiser_id)?)
        }
        Deletable::Recognition => {
            let recognition = row::<recognition::Entity>(tx, id).await?;
            let award = row::<award::Entity>(tx, recognition.award_id).await?;
            Ok(actor.check_writes_for(award.organiser_id)?)
        }
        Deletable::Initiative => initiative(id).await,
        Deletable::Outcome => initiative(row::<outcome::Entity>(tx, id).await?.initiative_id).await,
        Deletable::Lesson => initiative(row::<lesson::Entity>(tx, id).await?.initiative_id).await,
        Deletable::InitiativeOrganisation => {
            initiative(
                row::<initiative_organisation::Entity>(tx, id)
                    .await?
                    .initiative_id,
            )
            .await
        }
        Deletable::EventParticipant => {
            let row = row::<event_participant::Entity>(tx, id).await?;
            crate::event::check_writes_event(unit, row.event_id).await
        }
        Deletable::Indicator => {
            let indicator = row::<report_indicator::Entity>(tx, id).await?;
            let report = row::<partnership_report::Entity>(tx, indicator.report_id).await?;
            partnership(report.partnership_id).await
        }
        Deletable::Report => {
            partnership(
                row::<partnership_report::Entity>(tx, id)
                    .await?
                    .partnership_id,
            )
            .await
        }
        Deletable::Partnership => partnership(id).await,
        Deletable::DiagnosticTool => {
            let row = row::<diagnostic_tool::Entity>(tx, id).await?;
            Ok(actor.check_writes_for(row.publisher_id)?)
        }
        Deletable::Event => crate::event::check_writes_event(unit, id).await,
        Deletable::Mandate => {
            let mandate = crate::rows::mandate(row::<mandate::Entity>(tx, id).await?)?;
            crate::mandate::check_access(actor, mandate.holder_of)
        }
        Deletable::Membership => {
            let membership = crate::rows::membership(row::<membership::Entity>(tx, id).await?)?;
            Ok(actor.check_declares_membership(membership.organisation_id, membership.member)?)
        }
        Deletable::GroupPurchase => {
            let row = row::<group_purchase::Entity>(tx, id).await?;
            Ok(actor.check_writes_for(row.organiser_id)?)
        }
        Deletable::Participation => {
            let row = row::<participation::Entity>(tx, id).await?;
            crate::authority::check_acts_for_city(tx, actor, row.city_id).await
        }
        Deletable::Assessment => {
            let row = row::<assessment::Entity>(tx, id).await?;
            crate::authority::check_acts_for_city(tx, actor, row.city_id).await
        }
    }
}

/// The row `id` of entity `E`; `NOT_FOUND` on the input's id when there is none.
async fn row<E>(tx: &DatabaseTransaction, id: Id) -> Result<E::Model, WriteError>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Id>,
{
    E::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound(Field::Id))
}

/// Every (table, column) whose foreign key points at `table`, as the database declares them.
async fn references_to(
    tx: &DatabaseTransaction,
    table: &str,
) -> Result<Vec<(String, String)>, WriteError> {
    let backend = tx.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            r#"SELECT tc.table_name::text AS "table", kcu.column_name::text AS "column"
               FROM information_schema.table_constraints tc
               JOIN information_schema.key_column_usage kcu
                 ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
               JOIN information_schema.constraint_column_usage ccu
                 ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
               WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
                 AND ccu.table_name = $1
               ORDER BY 1, 2"#
        }
        _ => {
            r#"SELECT m.name AS "table", p."from" AS "column"
               FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
               WHERE m.type = 'table' AND p."table" = $1
               ORDER BY 1, 2"#
        }
    };
    let rows = tx
        .query_all_raw(Statement::from_sql_and_values(backend, sql, [table.into()]))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "table")?, row.try_get("", "column")?)))
        .collect::<Result<_, sea_orm::DbErr>>()
        .map_err(WriteError::from)
}
