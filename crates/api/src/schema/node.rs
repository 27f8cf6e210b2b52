//! Global object identification: the `Node` interface every record implements, and
//! `node(id:)` / `nodes(ids:)`, which read any record back from its global id.

use async_graphql::{Context, ErrorExtensions, ID, Interface, Object, Result};
use domain::Id;
use domain::source::RecordType;

use crate::error::ApiError;
use crate::loader::ById;
use crate::loader::directory::MandateById;
use crate::schema::award::{Award, Recognition};
use crate::schema::city::City;
use crate::schema::diagnostic::{Assessment, DiagnosticTool, Questionnaire};
use crate::schema::election::Election;
use crate::schema::event::{Event, EventParticipant};
use crate::schema::group_purchase::{GroupPurchase, Participation};
use crate::schema::initiative::{Initiative, InitiativeOrganisation, Lesson, Outcome};
use crate::schema::load_one;
use crate::schema::organisation::{Membership, Organisation, OrganisationRelation, StatedFigure};
use crate::schema::partnership::{
    Commitment, FollowUp, Partnership, PartnershipDomain, PartnershipParty, Signatory,
};
use crate::schema::person::{ContactPoint, Mandate, Person, Statement};
use crate::schema::programme::{
    Edition, Programme, ProgrammeOrganiser, ProgrammeParticipant, SupportComponent,
};
use crate::schema::record::record_type_named;
use crate::schema::report::{Indicator, Report};
use crate::schema::source::{Citation, Source};
use crate::schema::theme::Theme;

/// The most ids `nodes(ids:)` takes at once.
const MAX_NODES: usize = 100;

/// Any record with a global id.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "async_graphql::ID",
    desc = "The record's global id: opaque and stable."
))]
pub enum Node {
    City(City),
    Person(Person),
    Mandate(Mandate),
    ContactPoint(ContactPoint),
    Statement(Statement),
    Organisation(Organisation),
    Membership(Membership),
    OrganisationRelation(OrganisationRelation),
    StatedFigure(StatedFigure),
    Partnership(Partnership),
    PartnershipParty(PartnershipParty),
    Signatory(Signatory),
    PartnershipDomain(PartnershipDomain),
    Commitment(Commitment),
    FollowUp(FollowUp),
    GroupPurchase(GroupPurchase),
    Participation(Participation),
    Programme(Programme),
    ProgrammeOrganiser(ProgrammeOrganiser),
    SupportComponent(SupportComponent),
    Edition(Edition),
    ProgrammeParticipant(ProgrammeParticipant),
    Award(Award),
    Recognition(Recognition),
    DiagnosticTool(DiagnosticTool),
    Questionnaire(Questionnaire),
    Assessment(Assessment),
    Event(Event),
    EventParticipant(EventParticipant),
    Report(Report),
    Indicator(Indicator),
    Initiative(Initiative),
    InitiativeOrganisation(InitiativeOrganisation),
    Outcome(Outcome),
    Lesson(Lesson),
    Theme(Theme),
    Source(Source),
    Election(Election),
    Citation(Citation),
}

/// Records by global id.
#[derive(Default)]
pub struct NodeQuery;

/// Records by global id.
#[Object]
impl NodeQuery {
    /// Any record, by its global id; null when no record has it.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, as any record's `id` gives.")] id: ID,
    ) -> Result<Option<Node>> {
        node_by_id(ctx, "id", &id).await
    }

    /// Records by global ids, in the order given; null where no record has the id.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        if ids.len() > MAX_NODES {
            return Err(
                ApiError::bad_input("ids", format!("at most {MAX_NODES} ids at once")).extend(),
            );
        }
        // Resolved together, so the DataLoader batches the ids of each type into one statement.
        async_graphql::futures_util::future::try_join_all(
            ids.iter().map(|id| node_by_id(ctx, "ids", id)),
        )
        .await
    }
}

/// Declares, for each record type, how its record loads as a Node: the GraphQL type, the
/// record type and the Node variant share one name.
macro_rules! nodes {
    ($($variant:ident => $key:expr),* $(,)?) => {
        /// The record of a type and key, as a Node.
        pub(crate) async fn node_of(
            ctx: &Context<'_>,
            record_type: RecordType,
            id: Id,
        ) -> Result<Option<Node>> {
            Ok(match record_type {
                $(RecordType::$variant => load_one(ctx, Some($key(id)))
                    .await?
                    .map(|r| Node::$variant($variant(r))),)*
            })
        }
    };
}

nodes! {
    City => ById::new,
    Person => ById::new,
    Mandate => MandateById,
    ContactPoint => ById::new,
    Statement => ById::new,
    Organisation => ById::new,
    Membership => ById::new,
    OrganisationRelation => ById::new,
    StatedFigure => ById::new,
    Partnership => ById::new,
    PartnershipParty => ById::new,
    Signatory => ById::new,
    PartnershipDomain => ById::new,
    Commitment => ById::new,
    FollowUp => ById::new,
    GroupPurchase => ById::new,
    Participation => ById::new,
    Programme => ById::new,
    ProgrammeOrganiser => ById::new,
    SupportComponent => ById::new,
    Edition => ById::new,
    ProgrammeParticipant => ById::new,
    Award => ById::new,
    Recognition => ById::new,
    DiagnosticTool => ById::new,
    Questionnaire => ById::new,
    Assessment => ById::new,
    Event => ById::new,
    EventParticipant => ById::new,
    Report => ById::new,
    Indicator => ById::new,
    Initiative => ById::new,
    InitiativeOrganisation => ById::new,
    Outcome => ById::new,
    Lesson => ById::new,
    Theme => ById::new,
    Source => ById::new,
    Election => ById::new,
    Citation => ById::new,
}

async fn node_by_id(ctx: &Context<'_>, argument: &str, id: &ID) -> Result<Option<Node>> {
    let (type_name, key) = crate::schema::id::decode(argument, id).map_err(|e| e.extend())?;
    match record_type_named(&type_name) {
        Some(record_type) => node_of(ctx, record_type, key).await,
        None => Err(ApiError::bad_input(
            argument,
            format!("{:?} is not an id of this API", id.as_str()),
        )
        .extend()),
    }
}
