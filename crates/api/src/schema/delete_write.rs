//! Deleting records entered by mistake, by whoever may write them: a record with history is
//! not deleted.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use crate::auth::caller;
use crate::schema::reference::input_ref;
use crate::schema::user_error::{UserError, outcome};
use domain::source::RecordType;

/// A record to delete.
#[derive(InputObject, Debug, Clone)]
pub struct DeleteInput {
    /// The record. `deleteCity`, `deletePerson` and `deleteOrganisation` take its global id or
    /// its slug (a city or an organisation also its country and official code, `FR:95018`);
    /// `deleteRecord`, which deletes a record of any kind, its global id only: a slug does not
    /// say which kind of record it names.
    pub id: ID,
}

/// The result of a deletion.
#[derive(SimpleObject)]
pub struct DeletePayload {
    /// The global id of the deleted record.
    pub deleted_id: Option<ID>,
    /// What to fix in the input, if anything (`IN_USE` for a record with history).
    pub user_errors: Vec<UserError>,
}

fn not_deleted(error: UserError) -> DeletePayload {
    DeletePayload {
        deleted_id: None,
        user_errors: vec![error],
    }
}

/// Deletes the city, person or organisation the input names.
async fn delete_named(
    ctx: &Context<'_>,
    input: DeleteInput,
    expected: RecordType,
    kind: persistence::delete::Deletable,
) -> Result<DeletePayload> {
    caller(ctx).actor()?;
    match input_ref(ctx, "id", &input.id, expected).await {
        Ok(id) => delete(ctx, id, &format!("{expected:?}"), kind).await,
        Err(error) => error.answer(not_deleted),
    }
}

/// Deletes the record of `type_name` with this id.
async fn delete(
    ctx: &Context<'_>,
    id: domain::Id,
    type_name: &str,
    kind: persistence::delete::Deletable,
) -> Result<DeletePayload> {
    let actor = caller(ctx).actor()?.clone();
    let db = ctx.data_unchecked::<persistence::Db>();
    let (deleted, user_errors) = outcome(
        ctx,
        db.write(actor.clone(), move |unit| {
            Box::pin(persistence::delete::delete(unit, kind, id))
        })
        .await,
    )?;
    Ok(DeletePayload {
        deleted_id: deleted.map(|()| crate::schema::id::encode(type_name, id)),
        user_errors,
    })
}

/// Deleting records entered by mistake. A record with history is not deleted: end, terminate
/// or cancel what points at it instead.
#[derive(Default)]
pub struct DeleteMutation;

#[Object]
impl DeleteMutation {
    /// Deletes a city nothing points at (editors).
    async fn delete_city(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which city.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        delete_named(
            ctx,
            input,
            RecordType::City,
            persistence::delete::Deletable::City,
        )
        .await
    }

    /// Deletes a person nothing points at (editors).
    async fn delete_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which person.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        delete_named(
            ctx,
            input,
            RecordType::Person,
            persistence::delete::Deletable::Person,
        )
        .await
    }

    /// Deletes a record entered by mistake, whatever its kind — a city, person, organisation,
    /// programme, its organiser, support component, edition or participant, award,
    /// recognition, initiative, an organisation's part in it, outcome, lesson, event or its
    /// participant, report or its indicator, self-diagnostic tool, contact point, relation
    /// between organisations, stated figure, statement, source, citation or theme — by whoever
    /// may write it (the record it belongs to, for a part), with its own parts
    /// (theme links, a programme's organisers, an initiative's outcomes…). A record something
    /// else points at is `IN_USE` (a source something cites, a theme something is tagged with
    /// or another theme narrows): end, terminate or cancel instead. Partnerships, purchases,
    /// memberships and mandates keep their history and are never deleted; a partnership's
    /// parts are removed with `removePartnershipPart`.
    async fn delete_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which record.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        use persistence::delete::Deletable;
        let kind = match crate::schema::id::decode("id", &input.id) {
            Ok((type_name, id)) => match type_name.as_str() {
                "City" => Some(Deletable::City),
                "Person" => Some(Deletable::Person),
                "Organisation" => Some(Deletable::Organisation),
                "Programme" => Some(Deletable::Programme),
                "Edition" => Some(Deletable::Edition),
                "ProgrammeParticipant" => Some(Deletable::ProgrammeParticipant),
                "Award" => Some(Deletable::Award),
                "Recognition" => Some(Deletable::Recognition),
                "Initiative" => Some(Deletable::Initiative),
                "Outcome" => Some(Deletable::Outcome),
                "Lesson" => Some(Deletable::Lesson),
                "Event" => Some(Deletable::Event),
                "Report" => Some(Deletable::Report),
                "ContactPoint" => Some(Deletable::ContactPoint),
                "OrganisationRelation" => Some(Deletable::OrganisationRelation),
                "StatedFigure" => Some(Deletable::StatedFigure),
                "Statement" => Some(Deletable::Statement),
                "Source" => Some(Deletable::Source),
                "Citation" => Some(Deletable::Citation),
                "Theme" => Some(Deletable::Theme),
                "ProgrammeOrganiser" => Some(Deletable::ProgrammeOrganiser),
                "SupportComponent" => Some(Deletable::SupportComponent),
                "InitiativeOrganisation" => Some(Deletable::InitiativeOrganisation),
                "EventParticipant" => Some(Deletable::EventParticipant),
                "Indicator" => Some(Deletable::Indicator),
                "DiagnosticTool" => Some(Deletable::DiagnosticTool),
                _ => None,
            }
            .map(|kind| (type_name, id, kind)),
            Err(_) => None,
        };
        match kind {
            Some((type_name, id, kind)) => delete(ctx, id, &type_name, kind).await,
            None => Ok(not_deleted(UserError::new(
                &["input", "id"],
                crate::error::code::INVALID,
                "not the global id of a record that can be deleted: end, terminate or cancel it instead",
            ))),
        }
    }

    /// Deletes an organisation nothing points at (editors).
    async fn delete_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which organisation.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        delete_named(
            ctx,
            input,
            RecordType::Organisation,
            persistence::delete::Deletable::Organisation,
        )
        .await
    }
}
