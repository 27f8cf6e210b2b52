//! People, the posts they hold over time, their contact points and what they said.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use domain::source::RecordType;

use crate::auth::PersonalData;
use crate::loader::ById;
use crate::loader::agreements::SignaturesOfPerson;
use crate::loader::directory::{ContactPointsOfPerson, MandatesOfPerson, StatementsOfPerson};
use crate::schema::city::City;
use crate::schema::connection::connection;
use crate::schema::enums::{ContactRole, MandateRole, PhoneKind};
use crate::schema::organisation::Organisation;
use crate::schema::partnership::{Partnership, Signatory, SignatoryConnection};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;
use crate::schema::scalars::{Date, Period};
use crate::schema::source::Source;
use crate::schema::{CityOrOrganisation, load_one};

connection!(
    PersonConnection,
    PersonEdge,
    Person,
    "A page of people.",
    "A person in a page, with its cursor."
);
connection!(
    MandateConnection,
    MandateEdge,
    Mandate,
    "A page of mandates.",
    "A mandate in a page, with its cursor."
);
connection!(
    ContactPointConnection,
    ContactPointEdge,
    ContactPoint,
    "A page of contact points.",
    "A contact point in a page, with its cursor."
);
connection!(
    StatementConnection,
    StatementEdge,
    Statement,
    "A page of statements.",
    "A statement in a page, with its cursor."
);

/// A named person: a mayor, a president, a rector, a press officer…
#[derive(Clone)]
pub struct Person(pub domain::person::Person);

/// A named person: a mayor, a president, a rector, a press officer…
#[Object]
impl Person {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Person, self.0.id)
    }

    /// The human key of the person: `person(slug: "mathieu-traversy")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The full name as usually written.
    async fn full_name(&self) -> &str {
        &self.0.full_name
    }

    /// The given name, when known.
    async fn given_name(&self) -> Option<&str> {
        self.0.given_name.as_deref()
    }

    /// The family name, when known.
    async fn family_name(&self) -> Option<&str> {
        self.0.family_name.as_deref()
    }

    /// A public web page about the person.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// Personal data: needs an API token.
    #[graphql(guard = "PersonalData")]
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Personal data: needs an API token.
    #[graphql(guard = "PersonalData")]
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> PersonRelatedLists {
        PersonRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Person, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Person`, which it flattens in.
    PersonRelatedLists {
        /// Every post the person held or holds, oldest first.
        mandates: MandateConnection<Mandate> = MandatesOfPerson;
        /// The partnerships the person signed, with their title then.
        signatures: SignatoryConnection<Signatory> = SignaturesOfPerson;
        /// What the person said, as sources quote it.
        statements: StatementConnection<Statement> = StatementsOfPerson;
        /// The contact points the person answers (personal data: needs an API token).
        contact_points: ContactPointConnection<ContactPoint> = ContactPointsOfPerson;
    }
}

/// A day on which a source attests that a mandate was held.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct Attestation {
    /// The day the source attests the mandate.
    pub on: Date,
    #[graphql(skip)]
    pub source_id: domain::Id,
}

#[async_graphql::ComplexObject]
impl Attestation {
    /// The source that attests it.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, Some(ById::new(self.source_id)))
            .await?
            .map(Source))
    }
}

/// A post a person holds in a city or an organisation over time (Popolo's membership).
/// Sources often attest a mandate on a day without giving its start or end: see
/// `attestations`.
#[derive(Clone)]
pub struct Mandate(pub domain::mandate::Mandate);

/// A post a person holds in a city or an organisation over time (Popolo's membership).
/// Sources often attest a mandate on a day without giving its start or end: see
/// `attestations`.
#[Object]
impl Mandate {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Mandate, self.0.id)
    }

    /// Who holds the post.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load_one(ctx, Some(ById::new(self.0.person_id)))
            .await?
            .map(Person))
    }

    /// Where the post is held: a city or an organisation.
    async fn post(&self, ctx: &Context<'_>) -> Result<Option<CityOrOrganisation>> {
        Ok(match self.0.holder_of {
            domain::mandate::Post::City(id) => load_one(ctx, Some(ById::new(id)))
                .await?
                .map(|c| CityOrOrganisation::City(City(c))),
            domain::mandate::Post::Organisation(id) => load_one(ctx, Some(ById::new(id)))
                .await?
                .map(|o| CityOrOrganisation::Organisation(Organisation(o))),
        })
    }

    /// The city, for a post held in a city (a mayor's).
    async fn city(&self, ctx: &Context<'_>) -> Result<Option<City>> {
        let id = match self.0.holder_of {
            domain::mandate::Post::City(id) => Some(ById::new(id)),
            domain::mandate::Post::Organisation(_) => None,
        };
        Ok(load_one(ctx, id).await?.map(City))
    }

    /// The organisation, for a post held in an organisation.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        let id = match self.0.holder_of {
            domain::mandate::Post::Organisation(id) => Some(ById::new(id)),
            domain::mandate::Post::City(_) => None,
        };
        Ok(load_one(ctx, id).await?.map(Organisation))
    }

    /// The normalised role.
    async fn role(&self) -> MandateRole {
        self.0.role.into()
    }

    /// The title as the source writes it ("Bourgmestre de Namur").
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// When the mandate started and ended, as far as known.
    async fn period(&self) -> Period {
        self.0.period.into()
    }

    /// The days on which sources attest the mandate, oldest first.
    async fn attestations(&self) -> Vec<Attestation> {
        self.0
            .attestations
            .iter()
            .map(|a| Attestation {
                on: Date(a.on),
                source_id: a.source_id,
            })
            .collect()
    }

    /// The last day a source attests the mandate: "last confirmed on".
    async fn last_attested_on(&self) -> Option<Date> {
        self.0.attestations.iter().map(|a| a.on).max().map(Date)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Mandate, self.0.id, &self.0.stamp)
    }
}

/// A contact of an organisation, such as its press contact. Personal data: its details
/// need an API token.
#[derive(Clone)]
pub struct ContactPoint(pub domain::person::ContactPoint);

/// A contact of an organisation, such as its press contact. Personal data: its details
/// need an API token.
#[Object]
impl ContactPoint {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::ContactPoint, self.0.id)
    }

    /// The organisation the contact answers for.
    async fn organisation(&self, ctx: &Context<'_>) -> Result<Option<Organisation>> {
        Ok(load_one(ctx, Some(ById::new(self.0.organisation_id)))
            .await?
            .map(Organisation))
    }

    /// The person who answers.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load_one(ctx, self.0.person_id.map(ById::new))
            .await?
            .map(Person))
    }

    /// What the contact is for.
    async fn role(&self) -> ContactRole {
        self.0.role.into()
    }

    /// Personal data: needs an API token.
    #[graphql(guard = "PersonalData")]
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// What kind of line the phone is.
    async fn phone_kind(&self) -> Option<PhoneKind> {
        self.0.phone_kind.map(Into::into)
    }

    /// Personal data: needs an API token.
    #[graphql(guard = "PersonalData")]
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    /// Whether the source hides the email address ("[email protected]"): none is invented.
    async fn email_redacted(&self) -> bool {
        self.0.email_redacted
    }

    /// The source that lists the contact.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.0.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::ContactPoint, self.0.id, &self.0.stamp)
    }
}

/// What a person said, as a source quotes it.
#[derive(Clone)]
pub struct Statement(pub domain::person::Statement);

/// What a person said, as a source quotes it.
#[Object]
impl Statement {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Statement, self.0.id)
    }

    /// Who said it.
    async fn person(&self, ctx: &Context<'_>) -> Result<Option<Person>> {
        Ok(load_one(ctx, Some(ById::new(self.0.person_id)))
            .await?
            .map(Person))
    }

    /// The person's title when they said it, as the source gives it.
    async fn title_then(&self) -> Option<&str> {
        self.0.title_then.as_deref()
    }

    /// The words quoted.
    async fn text(&self) -> &str {
        &self.0.text
    }

    /// The partnership the statement is about, if any.
    async fn about(&self, ctx: &Context<'_>) -> Result<Option<Partnership>> {
        Ok(load_one(ctx, self.0.about_partnership_id.map(ById::new))
            .await?
            .map(Partnership))
    }

    /// The source that quotes it.
    async fn source(&self, ctx: &Context<'_>) -> Result<Option<Source>> {
        Ok(load_one(ctx, self.0.source_id.map(ById::new))
            .await?
            .map(Source))
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Statement, self.0.id, &self.0.stamp)
    }
}
