//! Themes: the taxonomy that answers "who already works on X?".

use async_graphql::{Context, ID, Object, Result};
use domain::source::RecordType;

use crate::loader::ById;
use crate::loader::agreements::{GroupPurchasesOfTheme, PartnershipsOfTheme};
use crate::loader::collective_action::{AwardsOfTheme, InitiativesOfTheme, ProgrammesOfTheme};
use crate::loader::directory::{ChildrenOfTheme, OrganisationsOfTheme};
use crate::schema::award::{Award, AwardConnection};
use crate::schema::connection::connection;
use crate::schema::group_purchase::{GroupPurchase, GroupPurchaseConnection};
use crate::schema::initiative::{Initiative, InitiativeConnection};
use crate::schema::load_one;
use crate::schema::organisation::{Organisation, OrganisationConnection};
use crate::schema::partnership::{Partnership, PartnershipConnection};
use crate::schema::programme::{Programme, ProgrammeConnection};
use crate::schema::record::{RecordMeta, global_id};
use crate::schema::related_lists::related_lists;

connection!(
    ThemeConnection,
    ThemeEdge,
    Theme,
    "A page of themes.",
    "A theme in a page, with its cursor."
);

/// A theme of the taxonomy, with French and English labels and a parent
/// ("Décarbonation" under "Transition climatique et écologique").
#[derive(Clone)]
pub struct Theme(pub domain::theme::Theme);

/// A theme of the taxonomy, with French and English labels and a parent
/// ("Décarbonation" under "Transition climatique et écologique").
#[Object]
impl Theme {
    /// The record's global id: opaque and stable; `node(id:)` resolves it.
    pub async fn id(&self) -> ID {
        global_id(RecordType::Theme, self.0.id)
    }

    /// The human key of the theme: `theme(slug: "decarbonation")`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The French label.
    async fn label_fr(&self) -> &str {
        &self.0.label_fr
    }

    /// The English label.
    async fn label_en(&self) -> &str {
        &self.0.label_en
    }

    /// What the theme means, when a source defines it.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// The broader theme, if any.
    async fn parent(&self, ctx: &Context<'_>) -> Result<Option<Theme>> {
        Ok(load_one(ctx, self.0.parent_id.map(ById::new))
            .await?
            .map(Theme))
    }

    #[graphql(flatten)]
    async fn related_lists(&self) -> ThemeRelatedLists {
        ThemeRelatedLists(self.0.id)
    }

    #[graphql(flatten)]
    async fn shared_record_fields(&self) -> RecordMeta {
        RecordMeta::new(RecordType::Theme, self.0.id, &self.0.stamp)
    }
}

related_lists! {
    /// The related lists of `Theme`, which it flattens in.
    ThemeRelatedLists {
        /// Narrower themes.
        children: ThemeConnection<Theme> = ChildrenOfTheme;
        /// Partnerships on this theme.
        partnerships: PartnershipConnection<Partnership> = PartnershipsOfTheme;
        /// Organisations working on this theme.
        organisations: OrganisationConnection<Organisation> = OrganisationsOfTheme;
        /// Group purchases on this theme.
        group_purchases: GroupPurchaseConnection<GroupPurchase> = GroupPurchasesOfTheme;
        /// Programmes on this theme.
        programmes: ProgrammeConnection<Programme> = ProgrammesOfTheme;
        /// Awards and challenges on this theme.
        awards: AwardConnection<Award> = AwardsOfTheme;
        /// Initiatives on this theme.
        initiatives: InitiativeConnection<Initiative> = InitiativesOfTheme;
    }
}
