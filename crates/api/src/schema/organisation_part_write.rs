//! What the directory keeps beside an organisation, written: its contact points (personal
//! data: its partner or editors), the relations it states with other organisations (its
//! partner or editors), and the figures sources state about it, an edition or an award
//! (editors). Each is deleted with `deleteRecord`.

use async_graphql::{Context, ID, InputObject, Object, Result};
use domain::source::RecordType;
use persistence::contact_point::{ContactPointChanges, NewContactPoint};
use persistence::organisation_relation::{NewRelation, RelationChanges};
use persistence::stated_figure::{FigureChanges, NewFigure};

use crate::schema::enums::{ContactRole, PhoneKind, Qualifier, RelationKind};
use crate::schema::organisation::{OrganisationRelation, StatedFigure};
use crate::schema::payload::payload;
use crate::schema::person::ContactPoint;
use crate::schema::reference::{
    input_ref, named_by_code, named_by_slug, optional_input_ref, optional_source,
};
use crate::schema::scalars::Date;
use crate::schema::user_error::{InputError, UserError, change_record, create_record, input_date};

payload!(/// The result of adding or changing a contact point.
    ContactPointPayload { contact_point: ContactPoint });
payload!(/// The result of adding or changing a relation between organisations.
    OrganisationRelationPayload { relation: OrganisationRelation });
payload!(/// The result of adding or changing a stated figure.
    StatedFigurePayload { figure: StatedFigure });

/// A new contact point of an organisation. Its phone and email are personal data.
#[derive(InputObject)]
pub struct AddContactPointInput {
    /// The organisation it answers for.
    #[doc = named_by_code!()]
    pub organisation: ID,
    /// The person who answers, if the source names one.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// What the contact is for.
    pub role: ContactRole,
    /// The phone number as written (`438 827-4560`).
    pub phone: Option<String>,
    /// What kind of line the phone is.
    pub phone_kind: Option<PhoneKind>,
    /// The email address.
    pub email: Option<String>,
    /// Whether the source hides the email address: none is invented.
    #[graphql(default)]
    pub email_redacted: bool,
    /// The source that lists it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
}

/// Changes to a contact point; a field left out keeps its value. It stays with its
/// organisation.
#[derive(InputObject)]
pub struct UpdateContactPointInput {
    /// The contact point: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// The person who answers.
    #[doc = named_by_slug!()]
    pub person: Option<ID>,
    /// What the contact is for.
    pub role: Option<ContactRole>,
    /// The phone number as written.
    pub phone: Option<String>,
    /// What kind of line the phone is.
    pub phone_kind: Option<PhoneKind>,
    /// The email address.
    pub email: Option<String>,
    /// Whether the source hides the email address.
    pub email_redacted: Option<bool>,
    /// The source that lists it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
}

/// A new relation from one organisation to another, outside any agreement.
#[derive(InputObject)]
pub struct AddOrganisationRelationInput {
    /// The organisation that funds, supports, hosts… the other.
    #[doc = named_by_code!()]
    pub from: ID,
    /// The other organisation.
    #[doc = named_by_code!()]
    pub to: ID,
    /// How the first relates to the second.
    pub kind: RelationKind,
    /// When it started, as known (`2019`).
    pub start: Option<String>,
    /// When it ended, as known; not before it started.
    pub end: Option<String>,
}

/// Changes to a relation between organisations; a field left out keeps its value. Its two
/// organisations stay.
#[derive(InputObject)]
pub struct UpdateOrganisationRelationInput {
    /// The relation: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// How the first relates to the second.
    pub kind: Option<RelationKind>,
    /// When it started, as known.
    pub start: Option<String>,
    /// When it ended, as known; not before it started.
    pub end: Option<String>,
}

/// A figure a source states about one organisation, edition or award ("près de 60 villes
/// membres"): give exactly one of `organisation`, `edition` and `award`.
#[derive(InputObject)]
pub struct AddStatedFigureInput {
    /// The organisation it is about.
    #[doc = named_by_code!()]
    pub organisation: Option<ID>,
    /// The programme edition it is about: its global id.
    pub edition: Option<ID>,
    /// The award it is about.
    #[doc = named_by_slug!()]
    pub award: Option<ID>,
    /// What is counted or measured ("member cities").
    pub measure: String,
    /// The number stated.
    pub value: f64,
    /// The unit of the value ("cities", "percent").
    pub unit: String,
    /// How exact the source says it is.
    pub qualifier: Qualifier,
    /// The day it held, if the source says.
    pub as_of: Option<Date>,
    /// The source that states it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Changes to a stated figure; a field left out keeps its value. Its subject stays.
#[derive(InputObject)]
pub struct UpdateStatedFigureInput {
    /// The figure: its global id.
    pub id: ID,
    /// The version read; a stale one is `CONFLICT`.
    pub version: i32,
    /// What is counted or measured.
    pub measure: Option<String>,
    /// The number stated.
    pub value: Option<f64>,
    /// The unit of the value.
    pub unit: Option<String>,
    /// How exact the source says it is.
    pub qualifier: Option<Qualifier>,
    /// The day it held.
    pub as_of: Option<Date>,
    /// The source that states it.
    #[doc = named_by_slug!()]
    pub source: Option<ID>,
    /// What else a reader should know.
    pub note: Option<String>,
}

/// Contact points, relations between organisations and stated figures.
#[derive(Default)]
pub struct OrganisationPartMutation;

#[Object]
impl OrganisationPartMutation {
    /// Adds a contact point to an organisation (its partner, or editors).
    async fn add_contact_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact point.")] input: AddContactPointInput,
    ) -> Result<ContactPointPayload> {
        let new = async {
            Ok::<_, InputError>(NewContactPoint {
                organisation_id: input_ref(
                    ctx,
                    "organisation",
                    &input.organisation,
                    RecordType::Organisation,
                )
                .await?,
                person_id: optional_input_ref(
                    ctx,
                    "person",
                    input.person.as_ref(),
                    RecordType::Person,
                )
                .await?,
                role: input.role.into(),
                phone: input.phone.clone(),
                phone_kind: input.phone_kind.map(Into::into),
                email: input.email.clone(),
                email_redacted: input.email_redacted,
                source_id: optional_source(ctx, input.source.as_ref()).await?,
            })
        };
        let (contact_point, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::contact_point::create(unit, new))
        })
        .await?;
        Ok(ContactPointPayload {
            contact_point: contact_point.map(ContactPoint),
            user_errors,
        })
    }

    /// Changes a contact point (its organisation's partner, or editors).
    async fn update_contact_point(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact point and its changes.")] input: UpdateContactPointInput,
    ) -> Result<ContactPointPayload> {
        let changes = async {
            Ok::<_, InputError>(ContactPointChanges {
                person_id: optional_input_ref(
                    ctx,
                    "person",
                    input.person.as_ref(),
                    RecordType::Person,
                )
                .await?,
                role: input.role.map(Into::into),
                phone: input.phone.clone(),
                phone_kind: input.phone_kind.map(Into::into),
                email: input.email.clone(),
                email_redacted: input.email_redacted,
                source_id: optional_source(ctx, input.source.as_ref()).await?,
            })
        };
        let key = ("id", &input.id, RecordType::ContactPoint);
        let (contact_point, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(ContactPointPayload {
            contact_point: contact_point.map(ContactPoint),
            user_errors,
        })
    }

    /// Records that one organisation funds, supports, hosts… another, outside any agreement
    /// (a partner of the first, or editors).
    async fn add_organisation_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The relation.")] input: AddOrganisationRelationInput,
    ) -> Result<OrganisationRelationPayload> {
        let new = async {
            Ok::<_, InputError>(NewRelation {
                from_organisation_id: input_ref(ctx, "from", &input.from, RecordType::Organisation)
                    .await?,
                to_organisation_id: input_ref(ctx, "to", &input.to, RecordType::Organisation)
                    .await?,
                kind: input.kind.into(),
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
            })
        };
        let (relation, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::organisation_relation::create(unit, new))
        })
        .await?;
        Ok(OrganisationRelationPayload {
            relation: relation.map(OrganisationRelation),
            user_errors,
        })
    }

    /// Changes a relation's kind or period (a partner of its first organisation, or editors).
    async fn update_organisation_relation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The relation and its changes.")] input: UpdateOrganisationRelationInput,
    ) -> Result<OrganisationRelationPayload> {
        let changes = async {
            Ok::<_, InputError>(RelationChanges {
                kind: input.kind.map(Into::into),
                start: input_date("start", input.start.as_deref())?,
                end: input_date("end", input.end.as_deref())?,
            })
        };
        let key = ("id", &input.id, RecordType::OrganisationRelation);
        let (relation, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(OrganisationRelationPayload {
            relation: relation.map(OrganisationRelation),
            user_errors,
        })
    }

    /// Records a figure a source states about an organisation, an edition or an award
    /// (editors).
    async fn add_stated_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The figure.")] input: AddStatedFigureInput,
    ) -> Result<StatedFigurePayload> {
        use domain::organisation::FigureSubject;
        let new = async {
            let subject = match (&input.organisation, &input.edition, &input.award) {
                (Some(organisation), None, None) => FigureSubject::Organisation(
                    input_ref(ctx, "organisation", organisation, RecordType::Organisation).await?,
                ),
                (None, Some(edition), None) => FigureSubject::Edition(
                    input_ref(ctx, "edition", edition, RecordType::Edition).await?,
                ),
                (None, None, Some(award)) => {
                    FigureSubject::Award(input_ref(ctx, "award", award, RecordType::Award).await?)
                }
                _ => {
                    return Err(UserError::new(
                        &["input", "organisation"],
                        crate::error::code::INVALID,
                        "a figure is about one organisation, edition or award: give exactly one",
                    )
                    .into());
                }
            };
            Ok::<_, InputError>(NewFigure {
                subject,
                measure: input.measure.clone(),
                value: input.value,
                unit: input.unit.clone(),
                qualifier: input.qualifier.into(),
                as_of: input.as_of.as_ref().map(|d| d.0),
                source_id: optional_source(ctx, input.source.as_ref()).await?,
                note: input.note.clone(),
            })
        };
        let (figure, user_errors) = create_record(ctx, new, |unit, new| {
            Box::pin(persistence::stated_figure::create(unit, new))
        })
        .await?;
        Ok(StatedFigurePayload {
            figure: figure.map(StatedFigure),
            user_errors,
        })
    }

    /// Changes a stated figure (editors).
    async fn update_stated_figure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The figure and its changes.")] input: UpdateStatedFigureInput,
    ) -> Result<StatedFigurePayload> {
        let changes = async {
            Ok::<_, InputError>(FigureChanges {
                measure: input.measure.clone(),
                value: input.value,
                unit: input.unit.clone(),
                qualifier: input.qualifier.map(Into::into),
                as_of: input.as_of.as_ref().map(|d| d.0),
                source_id: optional_source(ctx, input.source.as_ref()).await?,
                note: input.note.clone(),
            })
        };
        let key = ("id", &input.id, RecordType::StatedFigure);
        let (figure, user_errors) = change_record(ctx, key, input.version, changes).await?;
        Ok(StatedFigurePayload {
            figure: figure.map(StatedFigure),
            user_errors,
        })
    }
}
