//! Freshness, written: editors record elections, and whoever may write a record says they
//! checked it (`markVerified`), which takes it out of the queue of stale records.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::auth::caller;
use crate::schema::country::CountryCode;
use crate::schema::election::{Election, ElectionKind};
use crate::schema::freshness::{Verification, verification_of};
use crate::schema::node::{Node, node_of};
use crate::schema::record::record_type_named;
use crate::schema::reference::optional_source;
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, UserError, change_record, outcome};

/// The result of recording or correcting an election.
#[derive(SimpleObject)]
pub struct ElectionPayload {
    /// The election recorded; null when the input has errors.
    pub election: Option<Election>,
    /// What to fix in the input, if anything; nothing is stored then.
    pub user_errors: Vec<UserError>,
}

/// An election to record.
#[derive(InputObject, Debug, Clone)]
pub struct CreateElectionInput {
    /// The country it is held in.
    pub country: CountryCode,
    /// The subdivision it is held in, for an election of a province or region only (ISO
    /// 3166-2, of `country`: `CA-QC`); none for an election of the whole country.
    pub subdivision: Option<String>,
    /// What it renews.
    pub kind: ElectionKind,
    /// The day of its first (or only) round: from this day on, the mandates it concerns that
    /// were checked before it are stale.
    pub first_round: Date,
    /// The day of its second round, where there is one (within 60 days of the first).
    pub second_round: Option<Date>,
}

/// An election's corrections: what it renews and its days. Where it is held stays: an election
/// elsewhere is another election.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateElectionInput {
    /// The election's global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What it renews.
    pub kind: Option<ElectionKind>,
    /// The day of its first (or only) round.
    pub first_round: Option<Date>,
    /// The day of its second round (within 60 days of the first).
    pub second_round: Option<Date>,
}

/// A record checked.
#[derive(InputObject, Debug, Clone)]
pub struct MarkVerifiedInput {
    /// The record's global id, whatever its kind (a `Mandate`'s, a `City`'s…).
    pub id: ID,
    /// The record's version you checked; if it changed since, the answer is a `CONFLICT`.
    pub version: Option<i32>,
    /// The day you checked it, if not today: a past day (against a document of that day).
    pub verified_on: Option<Date>,
    /// The document you checked it against, if any.
    #[doc = crate::schema::reference::named_by_slug!()]
    pub source: Option<ID>,
}

/// The result of marking a record checked.
#[derive(SimpleObject)]
pub struct MarkVerifiedPayload {
    /// The record checked; null when the input has errors.
    pub record: Option<Node>,
    /// Its verification now; null when the input has errors.
    pub verification: Option<Verification>,
    /// What to fix in the input, if anything; nothing is stored then.
    pub user_errors: Vec<UserError>,
}

impl MarkVerifiedPayload {
    fn rejected(error: UserError) -> Self {
        MarkVerifiedPayload {
            record: None,
            verification: None,
            user_errors: vec![error],
        }
    }
}

/// Elections and verifications.
#[derive(Default)]
pub struct FreshnessMutation;

#[Object]
impl FreshnessMutation {
    /// Records an election (editors). Each problem of the input names its field: a
    /// subdivision of another country, a second round not after the first.
    async fn create_election(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The election.")] input: CreateElectionInput,
    ) -> Result<ElectionPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = persistence::election::NewElection {
            country: input.country.code().to_owned(),
            subdivision: input.subdivision,
            kind: input.kind.into(),
            first_round: input.first_round.0,
            second_round: input.second_round.map(|day| day.0),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (election, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::election::create(unit, new))
            })
            .await,
        )?;
        Ok(ElectionPayload {
            election: election.map(Election),
            user_errors,
        })
    }

    /// Corrects an election's kind or days (editors), with the version read: its rounds stay
    /// in order, and there is one election of a kind per jurisdiction and first round. The
    /// records it makes stale follow at once.
    async fn update_election(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The election and its corrections.")] input: UpdateElectionInput,
    ) -> Result<ElectionPayload> {
        let changes = persistence::election::ElectionChanges {
            kind: input.kind.map(Into::into),
            first_round: input.first_round.map(|day| day.0),
            second_round: input.second_round.map(|day| day.0),
        };
        let key = ("id", &input.id, RecordType::Election);
        let (election, user_errors) =
            change_record(ctx, key, input.version, async { Ok(changes) }).await?;
        Ok(ElectionPayload {
            election: election.map(Election),
            user_errors,
        })
    }

    /// Says a record was checked, today or on a past day, maybe against a document: it leaves
    /// the queue of stale records until the next election that concerns it. By whoever may
    /// write the record: editors; a partner for its organisation, the mandates held in it, and
    /// the records of its own it may change. Recorded in the audit trail (`mark_verified`);
    /// the record keeps its version.
    async fn mark_verified(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which record, and how it was checked.")] input: MarkVerifiedInput,
    ) -> Result<MarkVerifiedPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            let (record_type, id) = record_of(ctx, &input.id).await?;
            let source_id = optional_source(ctx, input.source.as_ref()).await?;
            Ok::<_, InputError>(persistence::freshness::MarkVerified {
                record_type,
                record_id: id,
                version: input.version,
                verified_on: input.verified_on.map(|day| day.0),
                source_id,
            })
        };
        let mark = match parsed.await {
            Ok(mark) => mark,
            Err(error) => return error.answer(MarkVerifiedPayload::rejected),
        };
        let key = (mark.record_type, mark.record_id);
        let db = ctx.data_unchecked::<persistence::Db>();
        let (verified, user_errors) = outcome(
            ctx,
            db.write(actor, move |unit| {
                Box::pin(persistence::freshness::mark_verified(unit, mark))
            })
            .await,
        )?;
        let Some(verified) = verified else {
            return Ok(MarkVerifiedPayload {
                record: None,
                verification: None,
                user_errors,
            });
        };
        let today = chrono::Utc::now().date_naive();
        Ok(MarkVerifiedPayload {
            record: node_of(ctx, key.0, key.1).await?,
            verification: Some(verification_of(ctx, key, verified.verified_at, today).await?),
            user_errors,
        })
    }
}

/// The record a global id names, if the caller may see it: a hidden record answers as an
/// absent one, `NOT_FOUND` on the id.
async fn record_of(ctx: &Context<'_>, id: &ID) -> Result<(RecordType, domain::Id), InputError> {
    let not_found = || {
        UserError::new(
            &["input", "id"],
            crate::error::code::NOT_FOUND,
            crate::error::no_record("id"),
        )
    };
    let (type_name, key) = crate::schema::id::decode("id", id).map_err(|_| {
        UserError::new(
            &["input", "id"],
            crate::error::code::INVALID,
            format!("{:?} is not the global id of a record", id.as_str()),
        )
    })?;
    let record_type = record_type_named(&type_name).ok_or_else(not_found)?;
    match node_of(ctx, record_type, key).await {
        Ok(Some(_)) => Ok((record_type, key)),
        Ok(None) => Err(not_found().into()),
        Err(error) => Err(InputError::Failed(error)),
    }
}
