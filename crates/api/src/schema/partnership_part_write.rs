//! Changes to a partnership's parts, in place: a party's role, a signatory, a domain of
//! cooperation, a commitment, a follow-up arrangement — by those who may write the
//! partnership, with the version read. Parts are added with `addPartnershipParty`… and
//! removed with `removePartnershipPart`.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::source::RecordType;
use persistence::partnership::{
    CommitmentChanges, DomainChanges, FollowUpChanges, PartyChanges, SignatoryChanges,
};

use crate::schema::enums::{CommitmentKind, FollowUpKind, PartyRole, SignatoryCapacity};
use crate::schema::partnership::{
    Commitment, FollowUp, PartnershipDomain, PartnershipParty, Signatory,
};
use crate::schema::payload::payload;
use crate::schema::reference::{named_by_code, named_by_slug, optional_input_ref};
use crate::schema::user_error::{InputError, change_record};

payload!(/// The result of changing a party or partner of a partnership.
    PartnershipPartyPayload { party: PartnershipParty });
payload!(/// The result of changing a signatory of a partnership.
    SignatoryPayload { signatory: Signatory });
payload!(/// The result of changing a domain of cooperation of a partnership.
    PartnershipDomainPayload { domain: PartnershipDomain });
payload!(/// The result of changing a commitment of a partnership.
    CommitmentPayload { commitment: Commitment });
payload!(/// The result of changing a follow-up arrangement of a partnership.
    FollowUpPayload { follow_up: FollowUp });

/// Changes to a party or partner; a field left out keeps its value. Who takes part stays:
/// remove the party and add another instead.
#[derive(InputObject)]
pub struct UpdatePartnershipPartyInput {
    /// The party: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The part it plays.
    pub role: Option<PartyRole>,
    /// For a partner, the global id of the party of the same partnership on whose side it
    /// stands.
    pub side_of: Option<ID>,
}

/// Changes to a signatory; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateSignatoryInput {
    /// The signatory: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The person who signed.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// The global id of the party of the same partnership they signed for.
    pub party: Option<ID>,
    /// In which capacity.
    pub capacity: Option<SignatoryCapacity>,
    /// Their title as written under the signature.
    pub title_then: Option<String>,
}

/// Changes to a domain of cooperation; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdatePartnershipDomainInput {
    /// The domain: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// Its numeral in the agreement ("1", "II").
    pub numeral: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// What the agreement says under it.
    pub narrative: Option<String>,
    /// The slugs of its themes: the new full list.
    pub themes: Option<Vec<String>>,
}

/// Changes to a commitment; a field left out keeps its value. It stays in its domain, at its
/// position.
#[derive(InputObject)]
pub struct UpdateCommitmentInput {
    /// The commitment: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What it states.
    pub kind: Option<CommitmentKind>,
    /// Its text.
    pub text: Option<String>,
}

/// Changes to a follow-up arrangement; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateFollowUpInput {
    /// The follow-up arrangement: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The global id of the party of the same partnership responsible for it.
    pub party: Option<ID>,
    /// The body (an organisation) that carries it.
    #[doc = named_by_code!()]
    pub body: Option<ID>,
    /// What kind of arrangement it is.
    pub kind: Option<FollowUpKind>,
    /// How often it happens ("annual"), as the agreement says.
    pub frequency: Option<String>,
    /// What it is, in the agreement's words.
    pub description: Option<String>,
}

/// Changes to the parts of partnerships.
#[derive(Default)]
pub struct PartnershipPartMutation;

#[Object]
impl PartnershipPartMutation {
    /// Changes a party's role, or the party on whose side a partner stands (editors, or a
    /// partner of one of the partnership's parties).
    async fn update_partnership_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The party and its changes.")] input: UpdatePartnershipPartyInput,
    ) -> Result<PartnershipPartyPayload> {
        let changes = async {
            Ok::<_, InputError>(PartyChanges {
                role: input.role.map(Into::into),
                side_of_party_id: optional_input_ref(
                    ctx,
                    "sideOf",
                    input.side_of.as_ref(),
                    RecordType::PartnershipParty,
                )
                .await?,
            })
        };
        let key = ("id", &input.id, RecordType::PartnershipParty);
        let (party, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(PartnershipPartyPayload {
            party: party.map(PartnershipParty),
            user_errors,
        })
    }

    /// Changes who signed a partnership, for which party, in which capacity or under which
    /// title (editors, or a partner of one of its parties).
    async fn update_signatory(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The signatory and its changes.")] input: UpdateSignatoryInput,
    ) -> Result<SignatoryPayload> {
        let changes = async {
            Ok::<_, InputError>(SignatoryChanges {
                person_id: optional_input_ref(
                    ctx,
                    "person",
                    input.person.as_ref(),
                    RecordType::Person,
                )
                .await?,
                party_id: optional_input_ref(
                    ctx,
                    "party",
                    input.party.as_ref(),
                    RecordType::PartnershipParty,
                )
                .await?,
                capacity: input.capacity.map(Into::into),
                title_then: input.title_then.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::Signatory);
        let (signatory, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(SignatoryPayload {
            signatory: signatory.map(Signatory),
            user_errors,
        })
    }

    /// Changes a domain of cooperation's numeral, title, narrative or themes (editors, or a
    /// partner of one of the partnership's parties).
    async fn update_partnership_domain(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The domain and its changes.")] input: UpdatePartnershipDomainInput,
    ) -> Result<PartnershipDomainPayload> {
        let changes = DomainChanges {
            numeral: input.numeral,
            title: input.title,
            narrative: input.narrative,
            themes: input.themes,
        };
        let key = ("id", &input.id, RecordType::PartnershipDomain);
        let changes = async { Ok::<_, InputError>(changes) };
        let (domain, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(PartnershipDomainPayload {
            domain: domain.map(PartnershipDomain),
            user_errors,
        })
    }

    /// Changes what a commitment states, or its text (editors, or a partner of one of the
    /// partnership's parties).
    async fn update_commitment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The commitment and its changes.")] input: UpdateCommitmentInput,
    ) -> Result<CommitmentPayload> {
        let changes = CommitmentChanges {
            kind: input.kind.map(Into::into),
            text: input.text,
        };
        let key = ("id", &input.id, RecordType::Commitment);
        let changes = async { Ok::<_, InputError>(changes) };
        let (commitment, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(CommitmentPayload {
            commitment: commitment.map(Commitment),
            user_errors,
        })
    }

    /// Changes a follow-up arrangement: the party it is for, the body that carries it (naming
    /// a body speaks for it, as when adding one), its kind, frequency or description (editors,
    /// or a partner of one of the partnership's parties).
    async fn update_follow_up(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The follow-up arrangement and its changes.")] input: UpdateFollowUpInput,
    ) -> Result<FollowUpPayload> {
        let changes = async {
            Ok::<_, InputError>(FollowUpChanges {
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
                kind: input.kind.map(Into::into),
                frequency: input.frequency.clone(),
                description: input.description.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::FollowUp);
        let (follow_up, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(FollowUpPayload {
            follow_up: follow_up.map(FollowUp),
            user_errors,
        })
    }
}
