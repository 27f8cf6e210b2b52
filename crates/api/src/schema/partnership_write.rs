//! Writes to partnerships: created whole with their parties, signatories, commitments and
//! themes, and changed later. A partner writes the partnerships it is a party to.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use persistence::partnership::{
    NewPart, NewPartnership, NewParty, NewSignatory, PartRef, PartnershipFields,
};

use crate::auth::caller;
use crate::schema::enums::{
    CommitmentKind, FollowUpKind, PartnershipKind, PartnershipStatus, PartyRole, SignatoryCapacity,
};
use crate::schema::partnership::Partnership;
use crate::schema::record::record_type_named;
use crate::schema::reference::{input_ref, named_by_code, named_by_slug, optional_input_ref};
use crate::schema::user_error::{InputError, UserError, change_record, input_date, outcome};
use domain::source::RecordType;

/// A party to a new partnership.
#[derive(InputObject, Debug, Clone)]
pub struct PartyInput {
    /// A name for this party within the input, for `sideOf` and signatories (`namur`).
    pub key: String,
    /// The city, for a city.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation, for an organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The part it plays.
    pub role: PartyRole,
    /// For a partner, the key of the party on whose side it stands.
    pub side_of: Option<String>,
}

/// A signatory of a new partnership.
#[derive(InputObject, Debug, Clone)]
pub struct SignatoryInput {
    /// The person who signed.
    #[doc = named_by_slug!()]
    pub person: ID,
    /// The key of the party they signed for.
    pub party: String,
    /// In which capacity.
    pub capacity: SignatoryCapacity,
    /// Their title as written under the signature.
    pub title_then: String,
}

/// A commitment of a new partnership.
#[derive(InputObject, Debug, Clone)]
pub struct CommitmentInput {
    /// What it states.
    pub kind: CommitmentKind,
    /// Its text.
    pub text: String,
}

/// A partnership's own fields; in an update, a field left out keeps its value.
#[derive(InputObject, Debug, Clone, Default)]
pub struct PartnershipProfile {
    /// The human key. Required to create.
    pub slug: Option<String>,
    /// The title. Required to create.
    pub title: Option<String>,
    /// Whether the title describes the agreement because it has none.
    pub title_is_descriptive: Option<bool>,
    /// What kind of agreement. Required to create.
    pub kind: Option<PartnershipKind>,
    /// Where it stands. Required to create.
    pub status: Option<PartnershipStatus>,
    /// A short summary.
    pub summary: Option<String>,
    /// When it was signed, as known.
    pub signed_on: Option<String>,
    /// The city where it was signed.
    #[doc = named_by_code!()]
    pub signing_place: Option<ID>,
    /// When its period starts, as known (`2024`).
    pub start: Option<String>,
    /// When its period ends, as known (`2026`).
    pub end: Option<String>,
    /// What the parties did together before.
    pub prior_relationship: Option<String>,
    /// The slugs of its themes; in an update, the new full list.
    pub themes: Option<Vec<String>>,
    /// The clauses or recitals worth keeping (preamble, principles…); in an update, the new
    /// full list.
    pub provisions: Option<Vec<ProvisionInput>>,
}

/// A clause or recital of an agreement.
#[derive(InputObject, Debug, Clone)]
pub struct ProvisionInput {
    /// What the clause is about.
    pub heading: String,
    /// What it says.
    pub text: String,
}

/// A new partnership, whole.
#[derive(InputObject, Debug, Clone)]
pub struct CreatePartnershipInput {
    /// Its own fields.
    pub profile: PartnershipProfile,
    /// Its parties and partners, in the order of the text (at least one).
    pub parties: Vec<PartyInput>,
    /// Who signed, for which party.
    #[graphql(default)]
    pub signatories: Vec<SignatoryInput>,
    /// Its commitments, in order.
    #[graphql(default)]
    pub commitments: Vec<CommitmentInput>,
}

/// Changes to a partnership.
#[derive(InputObject, Debug, Clone)]
pub struct UpdatePartnershipInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub id: ID,
    /// The version read; a stale one is a `CONFLICT`.
    pub version: i32,
    /// The fields to change.
    pub profile: PartnershipProfile,
}

/// The result of a partnership write.
#[derive(SimpleObject)]
pub struct PartnershipPayload {
    /// The partnership after the write.
    pub partnership: Option<Partnership>,
    /// What to fix in the input, if anything.
    pub user_errors: Vec<UserError>,
}

type Parsed<T> = std::result::Result<T, InputError>;

async fn fields(ctx: &Context<'_>, profile: PartnershipProfile) -> Parsed<PartnershipFields> {
    Ok(PartnershipFields {
        signed_on: input_date("signedOn", profile.signed_on.as_deref())?,
        start: input_date("start", profile.start.as_deref())?,
        end: input_date("end", profile.end.as_deref())?,
        signing_place_city_id: optional_input_ref(
            ctx,
            "signingPlace",
            profile.signing_place.as_ref(),
            RecordType::City,
        )
        .await?,
        slug: profile.slug,
        title: profile.title,
        title_is_descriptive: profile.title_is_descriptive,
        kind: profile.kind.map(Into::into),
        status: profile.status.map(Into::into),
        summary: profile.summary,
        prior_relationship: profile.prior_relationship,
        themes: profile.themes,
        provisions: profile.provisions.map(|provisions| {
            provisions
                .into_iter()
                .map(|p| domain::partnership::Provision {
                    heading: p.heading,
                    text: p.text,
                })
                .collect()
        }),
        ..PartnershipFields::default()
    })
}

async fn new_partnership(
    ctx: &Context<'_>,
    input: CreatePartnershipInput,
) -> Parsed<NewPartnership> {
    let mut parties = Vec::new();
    for party in input.parties {
        let actor = match (&party.city, &party.organisation) {
            (Some(city), None) => domain::membership::Member::City(
                input_ref(ctx, "parties", city, RecordType::City).await?,
            ),
            (None, Some(organisation)) => domain::membership::Member::Organisation(
                input_ref(ctx, "parties", organisation, RecordType::Organisation).await?,
            ),
            _ => {
                return Err(UserError::new(
                    &["input", "parties"],
                    crate::error::code::INVALID,
                    "each party is a city or an organisation",
                )
                .into());
            }
        };
        parties.push(NewParty {
            key: party.key,
            actor,
            role: party.role.into(),
            side_of: party.side_of,
        });
    }
    let mut signatories = Vec::new();
    for signer in input.signatories {
        signatories.push(NewSignatory {
            person_id: input_ref(ctx, "signatories", &signer.person, RecordType::Person).await?,
            party_key: signer.party,
            capacity: signer.capacity.into(),
            title_then: signer.title_then,
        });
    }
    Ok(NewPartnership {
        fields: fields(ctx, input.profile).await?,
        parties,
        signatories,
        commitments: input
            .commitments
            .into_iter()
            .map(|c| (c.kind.into(), c.text))
            .collect(),
    })
}

/// A party or partner to add to a partnership.
#[derive(InputObject, Debug, Clone)]
pub struct AddPartnershipPartyInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The city, for a city.
    #[doc = named_by_code!()]
    pub city: Option<ID>,
    /// The organisation, for an organisation.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The part it plays.
    pub role: PartyRole,
    /// For a partner, the global id of the party on whose side it stands.
    pub side_of: Option<ID>,
}

/// A signatory to add to a partnership.
#[derive(InputObject, Debug, Clone)]
pub struct AddSignatoryInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The person who signed.
    #[doc = named_by_slug!()]
    pub person: ID,
    /// The global id of the party they signed for.
    pub party: ID,
    /// In which capacity.
    pub capacity: SignatoryCapacity,
    /// Their title as written under the signature.
    pub title_then: String,
}

/// A commitment to add to a partnership.
#[derive(InputObject, Debug, Clone)]
pub struct AddCommitmentInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The global id of its priority domain, if it belongs to one.
    pub domain: Option<ID>,
    /// What it states.
    pub kind: CommitmentKind,
    /// Its text.
    pub text: String,
}

/// A domain of cooperation to add to a partnership: a heading of the agreement.
#[derive(InputObject, Debug, Clone)]
pub struct AddPartnershipDomainInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// Its numeral in the agreement ("1", "II"), if it has one.
    pub numeral: Option<String>,
    /// Its title.
    pub title: String,
    /// What the agreement says under it.
    pub narrative: Option<String>,
    /// The slugs of its themes.
    #[graphql(default)]
    pub themes: Vec<String>,
}

/// A follow-up arrangement to add to a partnership: a committee, a report, a meeting.
#[derive(InputObject, Debug, Clone)]
pub struct AddFollowUpInput {
    /// The partnership.
    #[doc = named_by_slug!()]
    pub partnership: ID,
    /// The global id of the party responsible, if one is.
    pub party: Option<ID>,
    /// The body (an organisation) that carries it, if one does.
    #[doc = named_by_code!()]
    pub body: Option<ID>,
    /// What kind of arrangement it is.
    pub kind: FollowUpKind,
    /// How often it happens ("annual"), as the agreement says.
    pub frequency: Option<String>,
    /// What it is, in the agreement's words.
    pub description: String,
}

/// A part of a partnership to remove.
#[derive(InputObject, Debug, Clone)]
pub struct RemovePartnershipPartInput {
    /// The global id of a party, a signatory, a domain, a commitment or a follow-up.
    pub id: ID,
}

fn rejected(error: UserError) -> PartnershipPayload {
    PartnershipPayload {
        partnership: None,
        user_errors: vec![error],
    }
}

/// Adds the part `part` reads to the partnership the input names.
async fn add_part(
    ctx: &Context<'_>,
    partnership: &ID,
    part: impl std::future::Future<Output = Parsed<NewPart>>,
) -> Result<PartnershipPayload> {
    let actor = caller(ctx).actor()?.clone();
    let parsed = async {
        let id = input_ref(ctx, "partnership", partnership, RecordType::Partnership).await?;
        Ok::<_, InputError>((id, part.await?))
    };
    let (id, part) = match parsed.await {
        Ok(parsed) => parsed,
        Err(error) => return error.answer(rejected),
    };
    let db = ctx.data_unchecked::<persistence::Db>();
    let (partnership, user_errors) = outcome(
        ctx,
        db.write(actor.clone(), move |unit| {
            Box::pin(persistence::partnership::add_part(unit, id, part))
        })
        .await,
    )?;
    Ok(PartnershipPayload {
        partnership: partnership.map(Partnership),
        user_errors,
    })
}

/// Writes to partnerships.
#[derive(Default)]
pub struct PartnershipMutation;

#[Object]
impl PartnershipMutation {
    /// Creates a partnership with its parties, signatories, commitments and themes (editors,
    /// or a partner whose organisation is one of the parties).
    async fn create_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The partnership, whole.")] input: CreatePartnershipInput,
    ) -> Result<PartnershipPayload> {
        let actor = caller(ctx).actor()?.clone();
        let new = match new_partnership(ctx, input).await {
            Ok(new) => new,
            Err(error) => return error.answer(rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (partnership, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::partnership::create(unit, new))
            })
            .await,
        )?;
        Ok(PartnershipPayload {
            partnership: partnership.map(|created| Partnership(created.partnership)),
            user_errors,
        })
    }

    /// Changes a partnership's own fields, and its themes when given (editors, or a partner
    /// whose organisation is one of the parties).
    async fn update_partnership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which partnership, and the changes.")] input: UpdatePartnershipInput,
    ) -> Result<PartnershipPayload> {
        let changes = fields(ctx, input.profile);
        let key = ("id", &input.id, RecordType::Partnership);
        let (partnership, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(PartnershipPayload {
            partnership: partnership.map(Partnership),
            user_errors,
        })
    }

    /// Adds a party or partner to a partnership (editors, or a partner of one of its parties).
    async fn add_partnership_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The party.")] input: AddPartnershipPartyInput,
    ) -> Result<PartnershipPayload> {
        let part = async {
            let actor = match (&input.city, &input.organisation) {
                (Some(city), None) => domain::membership::Member::City(
                    input_ref(ctx, "city", city, RecordType::City).await?,
                ),
                (None, Some(organisation)) => domain::membership::Member::Organisation(
                    input_ref(ctx, "organisation", organisation, RecordType::Organisation).await?,
                ),
                _ => {
                    return Err(UserError::new(
                        &["input", "city"],
                        crate::error::code::INVALID,
                        "give either a city or an organisation",
                    )
                    .into());
                }
            };
            let side_of_party_id = optional_input_ref(
                ctx,
                "sideOf",
                input.side_of.as_ref(),
                RecordType::PartnershipParty,
            )
            .await?;
            Ok(NewPart::Party {
                actor,
                role: input.role.into(),
                side_of_party_id,
            })
        };
        add_part(ctx, &input.partnership, part).await
    }

    /// Adds a signatory to a partnership (editors, or a partner of one of its parties).
    async fn add_signatory(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The signatory.")] input: AddSignatoryInput,
    ) -> Result<PartnershipPayload> {
        let part = async {
            Ok(NewPart::Signatory {
                person_id: input_ref(ctx, "person", &input.person, RecordType::Person).await?,
                party_id: input_ref(ctx, "party", &input.party, RecordType::PartnershipParty)
                    .await?,
                capacity: input.capacity.into(),
                title_then: input.title_then.clone(),
            })
        };
        add_part(ctx, &input.partnership, part).await
    }

    /// Adds a commitment to a partnership, after the others of its domain (editors, or a
    /// partner of one of its parties).
    async fn add_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The commitment.")] input: AddCommitmentInput,
    ) -> Result<PartnershipPayload> {
        let part = async {
            Ok(NewPart::Commitment {
                domain_id: optional_input_ref(
                    ctx,
                    "domain",
                    input.domain.as_ref(),
                    RecordType::PartnershipDomain,
                )
                .await?,
                kind: input.kind.into(),
                text: input.text.clone(),
            })
        };
        add_part(ctx, &input.partnership, part).await
    }

    /// Adds a domain of cooperation to a partnership, after its others (editors, or a partner
    /// of one of its parties).
    async fn add_partnership_domain(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The domain.")] input: AddPartnershipDomainInput,
    ) -> Result<PartnershipPayload> {
        let part = async {
            Ok(NewPart::Domain {
                numeral: input.numeral.clone(),
                title: input.title.clone(),
                narrative: input.narrative.clone(),
                themes: input.themes.clone(),
            })
        };
        add_part(ctx, &input.partnership, part).await
    }

    /// Adds a follow-up arrangement to a partnership, after its others (editors, or a partner
    /// of one of its parties).
    async fn add_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The follow-up arrangement.")] input: AddFollowUpInput,
    ) -> Result<PartnershipPayload> {
        let part = async {
            Ok(NewPart::FollowUp {
                party_id: optional_input_ref(
                    ctx,
                    "party",
                    input.party.as_ref(),
                    RecordType::PartnershipParty,
                )
                .await?,
                body_organisation_id: optional_input_ref(
                    ctx,
                    "body",
                    input.body.as_ref(),
                    RecordType::Organisation,
                )
                .await?,
                kind: input.kind.into(),
                frequency: input.frequency.clone(),
                description: input.description.clone(),
            })
        };
        add_part(ctx, &input.partnership, part).await
    }

    /// Removes a party (with the signatures made for it), a signatory, a domain (with its
    /// commitments), a commitment or a follow-up from a partnership (editors, or a partner of
    /// one of its parties).
    async fn remove_partnership_part(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which part.")] input: RemovePartnershipPartInput,
    ) -> Result<PartnershipPayload> {
        let actor = caller(ctx).actor()?.clone();
        let decoded = crate::schema::id::decode("id", &input.id).map_err(|e| e.to_string());
        let record_type = decoded.map(|(type_name, _)| record_type_named(&type_name));
        let (record_type, part): (_, fn(domain::Id) -> PartRef) = match record_type {
            Ok(Some(RecordType::PartnershipParty)) => {
                (RecordType::PartnershipParty, PartRef::Party)
            }
            Ok(Some(RecordType::Signatory)) => (RecordType::Signatory, PartRef::Signatory),
            Ok(Some(RecordType::Commitment)) => (RecordType::Commitment, PartRef::Commitment),
            Ok(Some(RecordType::PartnershipDomain)) => {
                (RecordType::PartnershipDomain, PartRef::Domain)
            }
            Ok(Some(RecordType::FollowUp)) => (RecordType::FollowUp, PartRef::FollowUp),
            Ok(_) => {
                return Ok(rejected(UserError::new(
                    &["input", "id"],
                    crate::error::code::INVALID,
                    "give the id of a party, a signatory, a domain, a commitment or a follow-up",
                )));
            }
            Err(error) => {
                return Ok(rejected(UserError::new(
                    &["input", "id"],
                    crate::error::code::INVALID,
                    error,
                )));
            }
        };
        // Named as every record is (`input_ref`): a part of a draft the caller may not see
        // answers as one that does not exist.
        let part = match input_ref(ctx, "id", &input.id, record_type).await {
            Ok(id) => part(id),
            Err(error) => return error.answer(rejected),
        };
        let db = ctx.data_unchecked::<persistence::Db>();
        let (partnership, user_errors) = outcome(
            ctx,
            db.write(actor.clone(), move |unit| {
                Box::pin(persistence::partnership::remove_part(unit, part))
            })
            .await,
        )?;
        Ok(PartnershipPayload {
            partnership: partnership.map(Partnership),
            user_errors,
        })
    }
}
