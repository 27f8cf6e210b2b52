//! Writes to organisations and memberships (added, corrected, ended).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use persistence::membership::NewMembership;
use persistence::organisation::OrganisationFields;

use crate::auth::caller;
use crate::schema::country::CountryCode;
use crate::schema::enums::{MembershipKind, OrganisationKind};
use crate::schema::organisation::{Membership, Organisation};
use crate::schema::reference::{input_ref, named_by_code, optional_input_ref};
use crate::schema::user_error::{
    InputError, UserError, change_record, input_date, outcome, possible_duplicates,
};
use domain::source::RecordType;

/// An organisation's profile as written; in an update, a field left out keeps its value.
#[derive(InputObject, Debug, Clone, Default)]
pub struct OrganisationProfile {
    /// Its human key: lower-case letters, digits and hyphens (`umq`). Required to create.
    pub slug: Option<String>,
    /// Its name. Required to create.
    pub name: Option<String>,
    /// Its acronym.
    pub acronym: Option<String>,
    /// What kind of body it is. Required to create.
    pub kind: Option<OrganisationKind>,
    /// The kind as its own words put it.
    pub kind_detail: Option<String>,
    /// A short description.
    pub description: Option<String>,
    /// When it was founded, as known (`1919`, `2018~`).
    pub founded: Option<String>,
    /// Its web site (`https://…`).
    pub website: Option<String>,
    /// Its country.
    pub country: Option<CountryCode>,
    /// Its region or province (ISO 3166-2).
    pub subdivision: Option<String>,
    /// The national register's identifier (a SIREN in France), unique in its country.
    pub official_code: Option<String>,
    /// The city of its headquarters.
    #[doc = named_by_code!()]
    pub headquarters: Option<ID>,
    /// For a municipal department, its city.
    #[doc = named_by_code!()]
    pub owning_city: Option<ID>,
    /// The organisation it belongs to.
    #[doc = named_by_code!()]
    pub parent: Option<ID>,
}

/// Changes to an organisation's profile.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateOrganisationInput {
    /// The organisation.
    #[doc = named_by_code!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The fields to change.
    pub profile: OrganisationProfile,
}

/// Corrections to a membership: a field left out keeps its value. Who is a member of what
/// stays, and it ends with `endMembership`.
#[derive(InputObject, Debug, Clone)]
pub struct UpdateMembershipInput {
    /// The membership's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// What kind of membership it is.
    pub kind: Option<MembershipKind>,
    /// When it started, as known; not after it ends.
    pub start: Option<String>,
}

/// The result of an organisation write.
#[derive(SimpleObject)]
pub struct OrganisationPayload {
    /// The organisation after the write.
    pub organisation: Option<Organisation>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
    /// Other organisations of the same country with the same name (but for case, accents
    /// and punctuation): possibly the same organisation entered twice. The write is made;
    /// check these, and delete the new one (`deleteRecord`) if it is a duplicate.
    pub possible_duplicates: Vec<Organisation>,
}

impl OrganisationPayload {
    fn rejected(error: UserError) -> OrganisationPayload {
        OrganisationPayload {
            organisation: None,
            user_errors: vec![error],
            possible_duplicates: Vec::new(),
        }
    }

    /// The payload of a write's outcome, with the namesakes of the organisation written.
    async fn written(
        ctx: &Context<'_>,
        (organisation, user_errors): (Option<domain::organisation::Organisation>, Vec<UserError>),
    ) -> Result<OrganisationPayload> {
        let possible_duplicates = possible_duplicates(ctx, organisation.as_ref())
            .await?
            .into_iter()
            .map(Organisation)
            .collect();
        Ok(OrganisationPayload {
            organisation: organisation.map(Organisation),
            user_errors,
            possible_duplicates,
        })
    }
}

/// A member to add.
#[derive(InputObject, Debug, Clone)]
pub struct AddMembershipInput {
    /// The organisation joined.
    #[doc = named_by_code!()]
    pub organisation: ID,
    /// The member city, for a city.
    #[doc = named_by_code!()]
    pub member_city: Option<ID>,
    /// The member organisation, for an organisation.
    #[doc = named_by_code!()]
    pub member_organisation: Option<ID>,
    /// How the member belongs.
    pub kind: MembershipKind,
    /// When the membership started, as known.
    pub start: Option<String>,
    /// When it ended, if it did.
    pub end: Option<String>,
}

impl MembershipPayload {
    fn rejected(error: UserError) -> MembershipPayload {
        MembershipPayload {
            membership: None,
            user_errors: vec![error],
        }
    }
}

/// A membership to end.
#[derive(InputObject, Debug, Clone)]
pub struct EndMembershipInput {
    /// The membership's global id.
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// When it ends, as known.
    pub end: String,
}

/// The result of a membership write.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    /// The membership after the write.
    pub membership: Option<Membership>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

async fn fields(
    ctx: &Context<'_>,
    profile: OrganisationProfile,
) -> std::result::Result<OrganisationFields, InputError> {
    Ok(OrganisationFields {
        headquarters_city_id: optional_input_ref(
            ctx,
            "headquarters",
            profile.headquarters.as_ref(),
            RecordType::City,
        )
        .await?,
        owning_city_id: optional_input_ref(
            ctx,
            "owningCity",
            profile.owning_city.as_ref(),
            RecordType::City,
        )
        .await?,
        parent_id: optional_input_ref(
            ctx,
            "parent",
            profile.parent.as_ref(),
            RecordType::Organisation,
        )
        .await?,
        founded: input_date("founded", profile.founded.as_deref())?,
        slug: profile.slug,
        name: profile.name,
        acronym: profile.acronym,
        kind: profile.kind.map(Into::into),
        kind_detail: profile.kind_detail,
        description: profile.description,
        website: profile.website,
        country: profile.country.map(|c| c.code().to_owned()),
        subdivision: profile.subdivision,
        official_code: profile.official_code,
        ..OrganisationFields::default()
    })
}

/// Writes to organisations and memberships.
#[derive(Default)]
pub struct OrganisationMutation;

#[Object]
impl OrganisationMutation {
    /// Creates an organisation (editors).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Its profile.")] input: OrganisationProfile,
    ) -> Result<OrganisationPayload> {
        let actor = caller(ctx).actor()?.clone();
        let fields = match fields(ctx, input).await {
            Ok(fields) => fields,
            Err(error) => return error.answer(OrganisationPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let written = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::organisation::create(unit, fields))
            })
            .await,
        )?;
        OrganisationPayload::written(ctx, written).await
    }

    /// Changes an organisation's profile (its partner, or editors).
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which organisation, and the changes.")] input: UpdateOrganisationInput,
    ) -> Result<OrganisationPayload> {
        let changes = fields(ctx, input.profile);
        let key = ("id", &input.id, RecordType::Organisation);
        let written = change_record(ctx, key, input.version, changes).await?;
        OrganisationPayload::written(ctx, written).await
    }

    /// Adds a member (a city or an organisation) to an organisation (its partner, or editors).
    async fn add_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The membership.")] input: AddMembershipInput,
    ) -> Result<MembershipPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            let organisation_id = input_ref(
                ctx,
                "organisation",
                &input.organisation,
                RecordType::Organisation,
            )
            .await?;
            let member = match (&input.member_city, &input.member_organisation) {
                (Some(city), None) => domain::membership::Member::City(
                    input_ref(ctx, "memberCity", city, RecordType::City).await?,
                ),
                (None, Some(organisation)) => domain::membership::Member::Organisation(
                    input_ref(
                        ctx,
                        "memberOrganisation",
                        organisation,
                        RecordType::Organisation,
                    )
                    .await?,
                ),
                _ => {
                    return Err(UserError::new(
                        &["input", "memberCity"],
                        crate::error::code::INVALID,
                        "give either a member city or a member organisation",
                    )
                    .into());
                }
            };
            Ok::<_, InputError>(NewMembership {
                organisation_id,
                member,
                kind: input.kind.into(),
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
            })
        };
        let new = match parsed.await {
            Ok(new) => new,
            Err(error) => return error.answer(MembershipPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (membership, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::membership::add(unit, new))
            })
            .await,
        )?;
        Ok(MembershipPayload {
            membership: membership.map(Membership),
            user_errors,
        })
    }

    /// Ends a membership; it stays in the history.
    async fn end_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which membership, and when it ends.")] input: EndMembershipInput,
    ) -> Result<MembershipPayload> {
        let actor = caller(ctx).actor()?.clone();
        let parsed = async {
            let id = input_ref(ctx, "id", &input.id, RecordType::Membership).await?;
            Ok::<_, InputError>((id, input_date("end", Some(&input.end))?))
        };
        let (id, end) = match parsed.await {
            Ok((id, Some(end))) => (id, end),
            Ok((_, None)) => {
                return Ok(MembershipPayload::rejected(UserError::new(
                    &["input", "end"],
                    crate::error::code::REQUIRED,
                    "give the end date",
                )));
            }
            Err(error) => return error.answer(MembershipPayload::rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (membership, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::membership::end(unit, id, input.version, end))
            })
            .await,
        )?;
        Ok(MembershipPayload {
            membership: membership.map(Membership),
            user_errors,
        })
    }

    /// Corrects a membership's kind or start, by whoever may declare it: a city's membership
    /// (which lets the organisation's partners act for the city) only by editors; between
    /// organisations, a partner of either side too. It ends with `endMembership`.
    async fn update_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which membership, and the corrections.")] input: UpdateMembershipInput,
    ) -> Result<MembershipPayload> {
        let changes = async {
            Ok::<_, InputError>(persistence::membership::MembershipChanges {
                kind: input.kind.map(Into::into),
                start: input_date("start", input.start.as_deref())?,
            })
        };
        let key = ("id", &input.id, RecordType::Membership);
        let (membership, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(MembershipPayload {
            membership: membership.map(Membership),
            user_errors,
        })
    }
}
