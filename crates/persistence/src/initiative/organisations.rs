//! The organisations taking part in an initiative, each in a role (lead, partner, provider…),
//! added and changed by those who may write the initiative. Naming an organisation in an
//! initiative speaks for it (`Actor::check_names`): a partner names only its own.

use domain::Id;
use domain::initiative::{InitiativeOrganisation, InitiativeRole};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::{initiative_organisation, organisation};
use crate::write::{
    Change, Changing, Field, Kind, Rule, Unit, WriteError, broken, check_exists, set_if,
};

/// Organisations of initiatives, as the write path handles them.
const INITIATIVE_ORGANISATION: Kind<initiative_organisation::Entity, InitiativeOrganisation> =
    Kind {
        to_domain: crate::rows::initiative_organisation,
        snapshot: |taking_part| {
            json!({ "initiativeId": taking_part.initiative_id,
                "organisationId": taking_part.organisation_id, "role": taking_part.role.as_str(),
                "version": taking_part.stamp.version })
        },
        unique: &[],
    };

/// Adds an organisation to an initiative, once, in a role (those who may write it, naming only
/// whom they may name).
pub async fn add_organisation(
    unit: &Unit,
    initiative_id: Id,
    organisation_id: Id,
    role: InitiativeRole,
) -> Result<InitiativeOrganisation, WriteError> {
    super::writable_initiative(unit.tx(), unit.actor(), initiative_id).await?;
    check_names(unit, organisation_id).await?;
    insert_organisation(unit, initiative_id, organisation_id, role).await
}

/// Adds an organisation to initiative `initiative_id`, whose writer the caller has checked.
pub(super) async fn insert_organisation(
    unit: &Unit,
    initiative_id: Id,
    organisation_id: Id,
    role: InitiativeRole,
) -> Result<InitiativeOrganisation, WriteError> {
    let tx = unit.tx();
    check_exists::<organisation::Entity>(tx, organisation_id, Field::Organisation).await?;
    let already = initiative_organisation::Entity::find()
        .filter(Expr::col("initiative_id").eq(initiative_id))
        .filter(Expr::col("organisation_id").eq(organisation_id))
        .one(tx)
        .await?;
    if already.is_some() {
        return Err(broken(
            Field::Organisation,
            Rule::Duplicate("the organisation already takes part in the initiative".to_owned()),
        ));
    }
    let row = initiative_organisation::ActiveModel {
        initiative_id: Set(initiative_id),
        organisation_id: Set(organisation_id),
        role: Set(role.as_str().to_owned()),
        ..Default::default()
    };
    INITIATIVE_ORGANISATION
        .insert_new(unit, "add_initiative_organisation", row)
        .await
}

/// A change to the role an organisation plays in an initiative; `None` keeps it.
#[derive(Debug, Clone, Default)]
pub struct InitiativeOrganisationChanges {
    pub role: Option<InitiativeRole>,
}

/// Changes the role an organisation plays in an initiative (those who may write it, for an
/// organisation they may name), if `version` is still current.
impl Change for InitiativeOrganisationChanges {
    type Record = InitiativeOrganisation;
    const KIND: Kind<initiative_organisation::Entity, InitiativeOrganisation> =
        INITIATIVE_ORGANISATION;
    const ACTION: &'static str = "update_initiative_organisation";

    async fn authority(
        &self,
        unit: &Unit,
        before: &InitiativeOrganisation,
    ) -> Result<(), WriteError> {
        super::check_changes_initiative(unit, before.initiative_id).await?;
        check_names(unit, before.organisation_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        set_if(
            &mut to.active.role,
            self.role.map(|role| role.as_str().to_owned()),
        );
        Ok(())
    }
}

/// Whether the actor may name `organisation_id` as taking part.
async fn check_names(unit: &Unit, organisation_id: Id) -> Result<(), WriteError> {
    let named = crate::authority::Participant {
        organisation_id: Some(organisation_id),
        ..Default::default()
    };
    crate::authority::check_names(unit.tx(), unit.actor(), named).await
}
