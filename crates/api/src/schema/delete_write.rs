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

/// Deletes the record of kind `expected` the input names (`input_ref`: one the caller may not
/// see answers as one that does not exist).
async fn delete_named(
    ctx: &Context<'_>,
    input: DeleteInput,
    expected: RecordType,
    kind: persistence::delete::Deletable,
) -> Result<DeletePayload> {
    caller(ctx).actor()?;
    match input_ref(ctx, "id", &input.id, expected).await {
        Ok(id) => delete(ctx, id, crate::schema::record::type_name(expected), kind).await,
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

    /// Deletes a record entered by mistake, whatever its kind — a city, person, mandate,
    /// organisation, membership, partnership, group purchase or a city's participation in one,
    /// programme, its organiser, support component, edition or participant, award,
    /// recognition, initiative, an organisation's part in it, outcome, lesson, event or its
    /// participant, report or its indicator, self-diagnostic tool, questionnaire (admins),
    /// assessment, election, contact point, relation between organisations, stated figure,
    /// statement, source, citation or theme — by whoever may write it (the record it belongs
    /// to, for a part; whoever acts for the city, for a participation or an assessment), with
    /// its own parts (theme links, a programme's organisers, a partnership's parties and
    /// commitments, a mandate's attestations…). A record something else points at is `IN_USE`
    /// (a source something cites, a group purchase cities take part in, a partnership a
    /// report follows): end, terminate or cancel instead. A partnership's parts are removed
    /// with `removePartnershipPart`.
    async fn delete_record(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which record.")] input: DeleteInput,
    ) -> Result<DeletePayload> {
        let kind = crate::schema::id::decode("id", &input.id)
            .ok()
            .and_then(|(type_name, _)| {
                let record_type = crate::schema::record::record_type_named(&type_name)?;
                let kind = persistence::delete::Deletable::of(record_type)?;
                Some((record_type, kind))
            });
        match kind {
            Some((record_type, kind)) => delete_named(ctx, input, record_type, kind).await,
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
