//! Writes to people: creating and changing a person, and recording what people said
//! (statements, deleted with `deleteRecord`) — editors.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use persistence::person::PersonFields;

use crate::auth::caller;
use crate::schema::payload::payload;
use crate::schema::person::{Person, Statement};
use crate::schema::reference::{input_ref, named_by_slug, optional_input_ref, optional_source};
use crate::schema::user_error::{
    InputError, UserError, change_record, create_record, outcome, possible_duplicates,
};
use domain::source::RecordType;

/// A person as written; in an update, a field left out keeps its value.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PersonProfile {
    /// The human key (`mathieu-traversy`). Required to create.
    pub slug: Option<String>,
    /// The full name as usually written. Required to create.
    pub full_name: Option<String>,
    /// The given name.
    pub given_name: Option<String>,
    /// The family name.
    pub family_name: Option<String>,
    /// A public web page (`https://…`).
    pub website: Option<String>,
    /// Email (personal data: only token holders read it).
    pub email: Option<String>,
    /// Phone (personal data: only token holders read it).
    pub phone: Option<String>,
}

/// Changes to a person.
#[derive(InputObject, Debug, Clone)]
pub struct UpdatePersonInput {
    /// The person.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The fields to change.
    pub profile: PersonProfile,
}

/// The result of a person write.
#[derive(SimpleObject)]
pub struct PersonPayload {
    /// The person after the write.
    pub person: Option<Person>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
    /// Other people with the same full name (but for case, accents and punctuation): possibly
    /// the same person entered twice. The write is made; check these, and delete the new one
    /// (`deleteRecord`) if it is a duplicate.
    pub possible_duplicates: Vec<Person>,
}

impl PersonPayload {
    /// The payload of a write's outcome, with the namesakes of the person written.
    async fn written(
        ctx: &Context<'_>,
        (person, user_errors): (Option<domain::person::Person>, Vec<UserError>),
    ) -> Result<PersonPayload> {
        Ok(PersonPayload {
            possible_duplicates: possible_duplicates(ctx, person.as_ref())
                .await?
                .into_iter()
                .map(Person)
                .collect(),
            person: person.map(Person),
            user_errors,
        })
    }
}

fn person_fields(profile: PersonProfile) -> PersonFields {
    PersonFields {
        slug: profile.slug,
        full_name: profile.full_name,
        given_name: profile.given_name,
        family_name: profile.family_name,
        website: profile.website,
        email: profile.email,
        phone: profile.phone,
    }
}

/// Writes to people.
#[derive(Default)]
pub struct PersonMutation;

#[Object]
impl PersonMutation {
    /// Creates a person (editors).
    async fn create_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person.")] input: PersonProfile,
    ) -> Result<PersonPayload> {
        let actor = caller(ctx).actor()?.clone();
        let db = ctx.data_unchecked::<persistence::Db>();
        let written = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::person::create(unit, person_fields(input)))
            })
            .await,
        )?;
        PersonPayload::written(ctx, written).await
    }

    /// Changes a person (editors).
    async fn update_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which person, and the changes.")] input: UpdatePersonInput,
    ) -> Result<PersonPayload> {
        let changes = async { Ok::<_, InputError>(person_fields(input.profile)) };
        let key = ("id", &input.id, RecordType::Person);
        let written = change_record(ctx, key, input.version, changes).await?;
        PersonPayload::written(ctx, written).await
    }

    /// Records what a person said, as a source quotes it, perhaps about a partnership
    /// (editors).
    async fn add_statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The statement.")] input: AddStatementInput,
    ) -> Result<StatementPayload> {
        let new = async {
            Ok::<_, InputError>(persistence::statement::NewStatement {
                person_id: input_ref(ctx, "person", &input.person, RecordType::Person).await?,
                title_then: input.title_then.clone(),
                text: input.text.clone(),
                about_partnership_id: optional_input_ref(
                    ctx,
                    "about",
                    input.about.as_ref(),
                    RecordType::Partnership,
                )
                .await?,
                source_id: optional_source(ctx, input.source.as_ref()).await?,
            })
        };
        let (statement, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::statement::create(unit, new))
        })
        .await?;
        Ok(StatementPayload {
            statement: statement.map(Statement),
            user_errors,
        })
    }

    /// Changes a statement (editors).
    async fn update_statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The statement and its changes.")] input: UpdateStatementInput,
    ) -> Result<StatementPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::statement::StatementChanges {
                person_id: optional_input_ref(
                    ctx,
                    "person",
                    input.person.as_ref(),
                    RecordType::Person,
                )
                .await?,
                title_then: input.title_then.clone(),
                text: input.text.clone(),
                about_partnership_id: optional_input_ref(
                    ctx,
                    "about",
                    input.about.as_ref(),
                    RecordType::Partnership,
                )
                .await?,
                source_id: optional_source(ctx, input.source.as_ref()).await?,
            })
        };
        let key = ("id", &input.id, RecordType::Statement);
        let (statement, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(StatementPayload {
            statement: statement.map(Statement),
            user_errors,
        })
    }
}

payload!(/// The result of recording or changing a statement.
    StatementPayload { statement: Statement });

/// What a person said, as a source quotes it.
#[derive(InputObject)]
pub struct AddStatementInput {
    /// Who said it.
    #[doc = named_by_slug!()]
    pub person: ID,
    /// Their title when they said it, as the source gives it.
    pub title_then: Option<String>,
    /// The words quoted.
    pub text: String,
    /// The partnership it is about, if any.
    #[doc = named_by_slug!()]
    pub about: Option<ID>,
    /// The source that quotes it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
}

/// Changes to a statement; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateStatementInput {
    /// The statement: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Who said it.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// Their title when they said it.
    pub title_then: Option<String>,
    /// The words quoted.
    pub text: Option<String>,
    /// The partnership it is about.
    #[doc = named_by_slug!()]
    pub about: Option<ID>,
    /// The source that quotes it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
}
