//! A programme's parts, each written through its kind by those who run the programme: its
//! organisers (owners, co-animators, partners, funders), the support components it gives,
//! and its participants (laureate cities of an edition, organisations carrying it). Each is
//! added, changed with the version read, and deleted with `delete.rs`.

use domain::Id;
use domain::programme::{
    OrganiserRole, Participant, ParticipantRole, ProgrammeOrganiser, SupportComponent, SupportKind,
};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, EntityTrait, QueryFilter};
use serde_json::json;

use super::check_writes_programme;
use crate::entity::{
    city, mandate, organisation, programme_edition, programme_organiser, programme_participant,
    programme_support,
};
use crate::write::{
    Change, Changing, Field, Kind, Rule, Unit, WriteError, broken, check_exists, invalid, needed,
    set_given, set_if,
};

/// Organisers of programmes, as the write path handles them.
const ORGANISER: Kind<programme_organiser::Entity, ProgrammeOrganiser> = Kind {
    to_domain: crate::rows::programme_organiser,
    snapshot: |organiser| {
        json!({ "programmeId": organiser.programme_id, "organisationId": organiser.organisation_id,
            "role": organiser.role.as_str(), "note": organiser.note, "version": organiser.stamp.version })
    },
    unique: &[],
};

/// Support components, as the write path handles them.
const SUPPORT: Kind<programme_support::Entity, SupportComponent> = Kind {
    to_domain: crate::rows::support_component,
    snapshot: |support| {
        json!({ "programmeId": support.programme_id, "position": support.position,
            "kind": support.kind.as_str(), "description": support.description,
            "providerId": support.provider_id, "version": support.stamp.version })
    },
    unique: &[],
};

/// Participants of programmes, as the write path handles them.
const PARTICIPANT: Kind<programme_participant::Entity, Participant> = Kind {
    to_domain: crate::rows::programme_participant,
    snapshot: |participant| {
        json!({ "programmeId": participant.programme_id, "editionId": participant.edition_id,
            "cityId": participant.city_id, "organisationId": participant.organisation_id,
            "role": participant.role.as_str(), "site": participant.site,
            "mayorMandateId": participant.mayor_mandate_id, "version": participant.stamp.version })
    },
    unique: &[],
};

/// An organisation that owns, co-animates, funds or partners a programme.
#[derive(Debug, Clone)]
pub struct NewOrganiser {
    pub organisation_id: Id,
    pub role: OrganiserRole,
    pub note: Option<String>,
}

/// An organiser's changes; `None` keeps the stored value. The organisation stays.
#[derive(Debug, Clone, Default)]
pub struct OrganiserChanges {
    pub role: Option<OrganiserRole>,
    pub note: Option<String>,
}

/// A support a programme gives its participants.
#[derive(Debug, Clone)]
pub struct NewSupport {
    pub kind: SupportKind,
    pub description: String,
    /// The organisation that provides it, if not the programme's owners.
    pub provider_id: Option<Id>,
}

/// A support component's changes; `None` keeps the stored value. It keeps its position.
#[derive(Debug, Clone, Default)]
pub struct SupportChanges {
    pub kind: Option<SupportKind>,
    pub description: Option<String>,
    pub provider_id: Option<Id>,
}

/// A laureate city of an edition, or an organisation carrying the programme in a city.
#[derive(Debug, Clone)]
pub struct NewParticipant {
    pub programme_id: Id,
    pub edition_id: Option<Id>,
    pub city_id: Option<Id>,
    pub organisation_id: Option<Id>,
    pub role: ParticipantRole,
    pub site: Option<String>,
    /// The mandate of the city's mayor when it took part, as a source records it.
    pub mayor_mandate_id: Option<Id>,
}

/// A participant's changes; `None` keeps the stored value. Who took part, and in which
/// edition, stays: delete the participant and add another instead.
#[derive(Debug, Clone, Default)]
pub struct ParticipantChanges {
    pub role: Option<ParticipantRole>,
    pub site: Option<String>,
    pub mayor_mandate_id: Option<Id>,
}

/// Adds an organiser to a programme, once (those who run it): a partner names only its own
/// organisation among those who run it.
pub async fn add_organiser(
    unit: &Unit,
    programme_id: Id,
    new: NewOrganiser,
) -> Result<ProgrammeOrganiser, WriteError> {
    check_writes_programme(unit.tx(), unit.actor(), programme_id).await?;
    if new.role.runs_programme() {
        unit.actor().check_writes_for(new.organisation_id)?;
    }
    insert_organiser(unit, programme_id, new).await
}

/// Adds an organiser to programme `programme_id`, whose writer the caller has checked.
pub(super) async fn insert_organiser(
    unit: &Unit,
    programme_id: Id,
    new: NewOrganiser,
) -> Result<ProgrammeOrganiser, WriteError> {
    let tx = unit.tx();
    check_exists::<organisation::Entity>(tx, new.organisation_id, Field::Organisation).await?;
    let already = programme_organiser::Entity::find()
        .filter(Expr::col("programme_id").eq(programme_id))
        .filter(Expr::col("organisation_id").eq(new.organisation_id))
        .one(tx)
        .await?;
    if already.is_some() {
        return Err(broken(
            Field::Organisation,
            Rule::Duplicate("the organisation is already one of the programme's".to_owned()),
        ));
    }
    let row = programme_organiser::ActiveModel {
        programme_id: Set(programme_id),
        organisation_id: Set(new.organisation_id),
        role: Set(new.role.as_str().to_owned()),
        note: Set(new.note),
        ..Default::default()
    };
    ORGANISER
        .insert_new(unit, "add_programme_organiser", row)
        .await
}

/// Changes an organiser's role or note (those who run the programme), if `version` is still
/// current: a partner makes only its own organisation one that runs it.
impl Change for OrganiserChanges {
    type Record = ProgrammeOrganiser;
    const KIND: Kind<programme_organiser::Entity, ProgrammeOrganiser> = ORGANISER;
    const ACTION: &'static str = "update_programme_organiser";

    async fn authority(&self, unit: &Unit, before: &ProgrammeOrganiser) -> Result<(), WriteError> {
        check_writes_programme(unit.tx(), unit.actor(), before.programme_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if self.role.is_some_and(OrganiserRole::runs_programme) {
            to.unit
                .actor()
                .check_writes_for(to.before.organisation_id)?;
        }
        set_if(
            &mut to.active.role,
            self.role.map(|role| role.as_str().to_owned()),
        );
        set_if(&mut to.active.note, self.note.map(Some));
        Ok(())
    }
}

/// Adds a support component after the programme's others (those who run it).
pub async fn add_support(
    unit: &Unit,
    programme_id: Id,
    new: NewSupport,
) -> Result<SupportComponent, WriteError> {
    let tx = unit.tx();
    check_writes_programme(tx, unit.actor(), programme_id).await?;
    domain::validate::check_name("description", &new.description)?;
    if let Some(provider) = new.provider_id {
        check_exists::<organisation::Entity>(tx, provider, Field::Provider).await?;
    }
    let position = programme_support::Entity::find()
        .filter(Expr::col("programme_id").eq(programme_id))
        .all(tx)
        .await?
        .iter()
        .map(|support| support.position)
        .max()
        .unwrap_or(0)
        + 1;
    let row = programme_support::ActiveModel {
        programme_id: Set(programme_id),
        position: Set(position),
        kind: Set(new.kind.as_str().to_owned()),
        description: Set(new.description.trim().to_owned()),
        provider_id: Set(new.provider_id),
        ..Default::default()
    };
    SUPPORT.insert_new(unit, "add_programme_support", row).await
}

/// Changes a support component (those who run the programme), if `version` is still current.
impl Change for SupportChanges {
    type Record = SupportComponent;
    const KIND: Kind<programme_support::Entity, SupportComponent> = SUPPORT;
    const ACTION: &'static str = "update_programme_support";

    async fn authority(&self, unit: &Unit, before: &SupportComponent) -> Result<(), WriteError> {
        check_writes_programme(unit.tx(), unit.actor(), before.programme_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(description) = &self.description {
            domain::validate::check_name("description", description)?;
        }
        if let Some(provider) = self.provider_id {
            check_exists::<organisation::Entity>(to.unit.tx(), provider, Field::Provider).await?;
        }
        let active = &mut to.active;
        set_given([
            (
                &mut active.kind,
                self.kind.map(|kind| kind.as_str().to_owned()),
            ),
            (
                &mut active.description,
                self.description.map(|text| text.trim().to_owned()),
            ),
        ]);
        set_if(&mut active.provider_id, self.provider_id.map(Some));
        Ok(())
    }
}

/// Adds a participant to a programme or one of its editions, once (those who run it, naming
/// only whom they may name).
pub async fn add_participant(unit: &Unit, new: NewParticipant) -> Result<Participant, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    if new.city_id.is_none() && new.organisation_id.is_none() {
        return Err(needed(
            Field::City,
            "a participant is a city or an organisation",
        ));
    }
    if let Some(edition_id) = new.edition_id {
        let edition = programme_edition::Entity::find_by_id(edition_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound(Field::Edition))?;
        if edition.programme_id != new.programme_id {
            return Err(invalid(
                Field::Edition,
                "the edition is of another programme",
            ));
        }
    }
    check_writes_programme(tx, actor, new.programme_id).await?;
    crate::authority::check_names_body(unit, new.city_id, new.organisation_id).await?;
    if let Some(city_id) = new.city_id {
        check_exists::<city::Entity>(tx, city_id, Field::City).await?;
    }
    if let Some(organisation_id) = new.organisation_id {
        check_exists::<organisation::Entity>(tx, organisation_id, Field::Organisation).await?;
    }
    if let Some(mandate_id) = new.mayor_mandate_id {
        check_exists::<mandate::Entity>(tx, mandate_id, Field::Mandate).await?;
    }
    let mut existing = programme_participant::Entity::find()
        .filter(Expr::col("programme_id").eq(new.programme_id));
    for (column, value) in [
        ("edition_id", new.edition_id),
        ("city_id", new.city_id),
        ("organisation_id", new.organisation_id),
    ] {
        existing = existing.filter(match value {
            Some(value) => Expr::col(column).eq(value),
            None => Expr::col(column).is_null(),
        });
    }
    if existing.one(tx).await?.is_some() {
        return Err(broken(Field::City, Rule::AlreadyParticipant));
    }
    let row = programme_participant::ActiveModel {
        programme_id: Set(new.programme_id),
        edition_id: Set(new.edition_id),
        city_id: Set(new.city_id),
        organisation_id: Set(new.organisation_id),
        role: Set(new.role.as_str().to_owned()),
        site: Set(new.site),
        mayor_mandate_id: Set(new.mayor_mandate_id),
        ..Default::default()
    };
    PARTICIPANT
        .insert_new(unit, "add_programme_participant", row)
        .await
}

/// Changes a participant's role, site or mayor then (those who run the programme), if
/// `version` is still current.
impl Change for ParticipantChanges {
    type Record = Participant;
    const KIND: Kind<programme_participant::Entity, Participant> = PARTICIPANT;
    const ACTION: &'static str = "update_programme_participant";

    async fn authority(&self, unit: &Unit, before: &Participant) -> Result<(), WriteError> {
        check_writes_programme(unit.tx(), unit.actor(), before.programme_id).await
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        if let Some(mandate_id) = self.mayor_mandate_id {
            check_exists::<mandate::Entity>(to.unit.tx(), mandate_id, Field::Mandate).await?;
        }
        let active = &mut to.active;
        set_if(
            &mut active.role,
            self.role.map(|role| role.as_str().to_owned()),
        );
        set_if(&mut active.site, self.site.map(Some));
        set_if(
            &mut active.mayor_mandate_id,
            self.mayor_mandate_id.map(Some),
        );
        Ok(())
    }
}
