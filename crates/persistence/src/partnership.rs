//! Writes to partnerships: created whole (parties, signatories, commitments, themes) and
//! changed later. A partner writes the partnerships its organisation is a party to.

use std::collections::HashMap;

use domain::access::Actor;
use domain::fuzzy_date::Period;
use domain::membership::Member;
use domain::partnership::{
    CommitmentKind, Partnership, PartnershipKind, PartnershipStatus, PartyRole, SignatoryCapacity,
};
use domain::search::fold;
use domain::{FuzzyDate, Id};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use serde_json::json;

use crate::entity::{
    city, commitment, organisation, partnership, partnership_party, person, signatory, theme,
};
use crate::rows;
use crate::write::{WriteError, require, save_versioned, unique_as_taken};

/// A party to a new partnership; `key` names it for `side_of` and signatories.
#[derive(Debug, Clone)]
pub struct NewParty {
    pub key: String,
    pub actor: Member,
    pub role: PartyRole,
    pub side_of: Option<String>,
}

/// A signatory of a new partnership, signing for the party with `party_key`.
#[derive(Debug, Clone)]
pub struct NewSignatory {
    pub person_id: Id,
    pub party_key: String,
    pub capacity: SignatoryCapacity,
    pub title_then: String,
}

/// A partnership's own fields; for an update, `None` keeps the stored value.
#[derive(Debug, Clone, Default)]
pub struct PartnershipFields {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub title_is_descriptive: Option<bool>,
    pub kind: Option<PartnershipKind>,
    pub status: Option<PartnershipStatus>,
    pub summary: Option<String>,
    pub signed_on: Option<FuzzyDate>,
    pub signing_place_city_id: Option<Id>,
    pub start: Option<FuzzyDate>,
    pub end: Option<FuzzyDate>,
    pub prior_relationship: Option<String>,
    /// Theme slugs; for an update, the new full list.
    pub themes: Option<Vec<String>>,
}

/// A new partnership, whole.
#[derive(Debug, Clone)]
pub struct NewPartnership {
    pub fields: PartnershipFields,
    pub parties: Vec<NewParty>,
    pub signatories: Vec<NewSignatory>,
    pub commitments: Vec<(CommitmentKind, String)>,
}

fn snapshot(partnership: &Partnership) -> serde_json::Value {
    json!({
        "slug": partnership.slug, "title": partnership.title, "kind": partnership.kind.as_str(),
        "status": partnership.status.as_str(), "summary": partnership.summary,
        "signedOn": partnership.signed_on.map(|d| d.edtf()), "start": partnership.period.start.map(|d| d.edtf()),
        "end": partnership.period.end.map(|d| d.edtf()), "version": partnership.stamp.version,
    })
}

fn rule(field: &'static str, message: impl Into<String>) -> WriteError {
    WriteError::Rule {
        field,
        code: "INVALID",
        message: message.into(),
    }
}

fn check(fields: &PartnershipFields) -> Result<(), WriteError> {
    if let Some(slug) = &fields.slug {
        domain::slug::Slug::parse(slug)?;
    }
    if let Some(title) = &fields.title {
        domain::validate::check_name("title", title)?;
    }
    Ok(())
}

pub(crate) async fn theme_ids(
    tx: &DatabaseTransaction,
    slugs: &[String],
) -> Result<Vec<Id>, WriteError> {
    let mut ids = Vec::new();
    for slug in slugs {
        let found = theme::Entity::find()
            .filter(Expr::col("slug").eq(slug.as_str()))
            .one(tx)
            .await?;
        ids.push(found.ok_or(WriteError::NotFound { field: "themes" })?.id);
    }
    Ok(crate::write::distinct(&ids))
}

async fn set_themes(
    tx: &DatabaseTransaction,
    partnership_id: Id,
    theme_ids: &[Id],
) -> Result<(), WriteError> {
    let delete = Query::delete()
        .from_table("partnership_theme")
        .and_where(Expr::col("partnership_id").eq(partnership_id))
        .to_owned();
    tx.execute(&delete).await?;
    for theme_id in theme_ids {
        let insert = Query::insert()
            .into_table("partnership_theme")
            .columns(["partnership_id", "theme_id"])
            .values_panic([partnership_id.into(), (*theme_id).into()])
            .to_owned();
        tx.execute(&insert).await?;
    }
    Ok(())
}

async fn check_actor_exists(tx: &DatabaseTransaction, actor: Member) -> Result<(), WriteError> {
    let found = match actor {
        Member::City(id) => city::Entity::find_by_id(id).one(tx).await?.is_some(),
        Member::Organisation(id) => organisation::Entity::find_by_id(id)
            .one(tx)
            .await?
            .is_some(),
    };
    if found {
        Ok(())
    } else {
        Err(WriteError::NotFound { field: "parties" })
    }
}

/// Whether a partner's organisation is among these parties (`Actor::check_party`).
fn partner_is_party(
    actor: &Actor,
    parties: impl IntoIterator<Item = Member>,
) -> Result<(), WriteError> {
    actor.check_party(parties).map_err(WriteError::Forbidden)
}

/// Whether the actor may see partnership `id`: a draft only by those who act for it
/// (`Actor::check_party`, the rule that says who sees a draft); `NOT_FOUND` as `field`
/// otherwise, exactly as for one that does not exist. A write that names or reaches a
/// partnership without writing it asks this, so it cannot tell a hidden draft from nothing.
pub(crate) async fn check_may_see(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
    field: &'static str,
) -> Result<(), WriteError> {
    let Some(row) = partnership::Entity::find_by_id(id).one(tx).await? else {
        return Err(WriteError::NotFound { field });
    };
    if row.status != domain::partnership::PartnershipStatus::Draft.as_str() {
        return Ok(());
    }
    partner_is_party(actor, parties_of(tx, id).await?).map_err(|_| WriteError::NotFound { field })
}

/// The cities and organisations that are parties to partnership `id`.
async fn parties_of(tx: &DatabaseTransaction, id: Id) -> Result<Vec<Member>, WriteError> {
    Ok(crate::stored::convert::<domain::partnership::Party>(
        partnership_party::Entity::find()
            .filter(Expr::col("partnership_id").eq(id))
            .all(tx)
            .await?,
    )?
    .into_iter()
    .map(|p| p.actor)
    .collect())
}

/// Whether the actor may write this partnership. A draft the actor may not write is one it
/// may not see either: NOT_FOUND, as for a partnership that does not exist.
fn may_write(
    actor: &Actor,
    partnership: &Partnership,
    parties: Vec<Member>,
    field: &'static str,
) -> Result<(), WriteError> {
    match partner_is_party(actor, parties) {
        Err(_) if partnership.status == domain::partnership::PartnershipStatus::Draft => {
            Err(WriteError::NotFound { field })
        }
        other => other,
    }
}

/// Creates a partnership with its parties, signatories, commitments and themes.
pub async fn create(
    unit: &crate::write::Unit,
    new: NewPartnership,
) -> Result<Partnership, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    partner_is_party(actor, new.parties.iter().map(|p| p.actor))?;
    let fields = &new.fields;
    require(
        "a partnership",
        &[
            (fields.slug.is_some(), "slug"),
            (fields.title.is_some(), "title"),
            (fields.kind.is_some(), "kind"),
            (fields.status.is_some(), "status"),
        ],
    )?;
    check(fields)?;
    if new.parties.is_empty() {
        return Err(WriteError::Rule {
            field: "parties",
            code: "REQUIRED",
            message: "a partnership has at least one party".into(),
        });
    }
    let period = Period::new(fields.start, fields.end)?;
    for commitment in &new.commitments {
        domain::validate::check_name("commitments", &commitment.1)?;
    }
    if let Some(city_id) = fields.signing_place_city_id
        && city::Entity::find_by_id(city_id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound {
            field: "signingPlace",
        });
    }
    let themes = theme_ids(tx, fields.themes.as_deref().unwrap_or_default()).await?;
    let now = unit.now();
    let title = fields.title.clone().unwrap_or_default();
    let row = partnership::ActiveModel {
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        slug: Set(fields.slug.clone().unwrap_or_default()),
        search_name: Set(fold(&title)),
        title: Set(title.trim().to_owned()),
        title_is_descriptive: Set(fields.title_is_descriptive.unwrap_or(false)),
        kind: Set(fields
            .kind
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default()),
        status: Set(fields
            .status
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default()),
        summary: Set(fields.summary.clone()),
        provisions: Set("[]".to_owned()),
        signed_on: Set(fields.signed_on.map(|d| d.edtf())),
        signing_place_city_id: Set(fields.signing_place_city_id),
        start_on: Set(period.start.map(|d| d.edtf())),
        start_earliest: Set(period.start.map(|d| d.earliest())),
        end_on: Set(period.end.map(|d| d.edtf())),
        end_latest: Set(period.end.map(|d| d.latest())),
        continues_id: Set(None),
        prior_relationship: Set(fields.prior_relationship.clone()),
        ..Default::default()
    }
    .insert(tx)
    .await
    .map_err(|e| unique_as_taken(e, &[("slug", "slug")]))?;
    let partnership_id = row.id;
    set_themes(tx, partnership_id, &themes).await?;

    let mut keys: HashMap<&str, Id> = HashMap::new();
    for (position, party) in new.parties.iter().enumerate() {
        check_actor_exists(tx, party.actor).await?;
        let side_of = match &party.side_of {
            Some(key) => Some(*keys.get(key.as_str()).ok_or_else(|| {
                rule("parties", format!("sideOf names no earlier party {key:?}"))
            })?),
            None => None,
        };
        let (city_id, organisation_id) = match party.actor {
            Member::City(id) => (Some(id), None),
            Member::Organisation(id) => (None, Some(id)),
        };
        let inserted = partnership_party::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            partnership_id: Set(partnership_id),
            city_id: Set(city_id),
            organisation_id: Set(organisation_id),
            role: Set(party.role.as_str().to_owned()),
            side_of_party_id: Set(side_of),
            position: Set(position as i32 + 1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
        if keys.insert(&party.key, inserted.id).is_some() {
            return Err(rule(
                "parties",
                format!("two parties have the key {:?}", party.key),
            ));
        }
    }
    for (position, signer) in new.signatories.iter().enumerate() {
        if person::Entity::find_by_id(signer.person_id)
            .one(tx)
            .await?
            .is_none()
        {
            return Err(WriteError::NotFound {
                field: "signatories",
            });
        }
        let party_id = *keys.get(signer.party_key.as_str()).ok_or_else(|| {
            rule(
                "signatories",
                format!("no party has the key {:?}", signer.party_key),
            )
        })?;
        domain::validate::check_name("signatories", &signer.title_then)?;
        signatory::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            partnership_id: Set(partnership_id),
            person_id: Set(signer.person_id),
            party_id: Set(party_id),
            capacity: Set(signer.capacity.as_str().to_owned()),
            title_then: Set(signer.title_then.trim().to_owned()),
            position: Set(position as i32 + 1),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    for (position, (kind, text)) in new.commitments.iter().enumerate() {
        commitment::ActiveModel {
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            partnership_id: Set(partnership_id),
            domain_id: Set(None),
            position: Set(position as i32 + 1),
            kind: Set(kind.as_str().to_owned()),
            text: Set(text.trim().to_owned()),
            ..Default::default()
        }
        .insert(tx)
        .await?;
    }
    let created = rows::partnership(row)?;
    let mut after = snapshot(&created);
    after["parties"] = json!(new.parties.len());
    after["signatories"] = json!(new.signatories.len());
    after["commitments"] = json!(new.commitments.len());
    after["themes"] = json!(fields.themes);
    unit.audit(
        "create_partnership",
        "partnership",
        partnership_id,
        None,
        Some(after),
    )
    .await?;
    Ok(created)
}

/// Changes a partnership's own fields (and its themes, when given), if `version` is current.
pub async fn update(
    unit: &crate::write::Unit,
    id: Id,
    version: i32,
    fields: PartnershipFields,
) -> Result<Partnership, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    check(&fields)?;
    let row = partnership::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound { field: "id" })?;
    let before = rows::partnership(row.clone())?;
    let parties: Vec<Member> = crate::stored::convert::<domain::partnership::Party>(
        partnership_party::Entity::find()
            .filter(Expr::col("partnership_id").eq(id))
            .all(tx)
            .await?,
    )?
    .into_iter()
    .map(|p| p.actor)
    .collect();
    may_write(actor, &before, parties, "id")?;
    if before.stamp.version != version {
        return Err(WriteError::StaleVersion {
            current: before.stamp.version,
        });
    }
    let period = Period::new(
        fields.start.or(before.period.start),
        fields.end.or(before.period.end),
    )?;
    if let Some(city_id) = fields.signing_place_city_id
        && city::Entity::find_by_id(city_id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound {
            field: "signingPlace",
        });
    }
    if let Some(slugs) = &fields.themes {
        let themes = theme_ids(tx, slugs).await?;
        set_themes(tx, id, &themes).await?;
    }
    let mut active = row.into_active_model();
    if let Some(slug) = fields.slug {
        active.slug = Set(slug);
    }
    if let Some(title) = fields.title {
        active.search_name = Set(fold(&title));
        active.title = Set(title.trim().to_owned());
    }
    if let Some(descriptive) = fields.title_is_descriptive {
        active.title_is_descriptive = Set(descriptive);
    }
    if let Some(kind) = fields.kind {
        active.kind = Set(kind.as_str().to_owned());
    }
    if let Some(status) = fields.status {
        active.status = Set(status.as_str().to_owned());
    }
    if let Some(summary) = fields.summary {
        active.summary = Set(Some(summary));
    }
    if let Some(signed_on) = fields.signed_on {
        active.signed_on = Set(Some(signed_on.edtf()));
    }
    if let Some(city_id) = fields.signing_place_city_id {
        active.signing_place_city_id = Set(Some(city_id));
    }
    if let Some(prior) = fields.prior_relationship {
        active.prior_relationship = Set(Some(prior));
    }
    active.start_on = Set(period.start.map(|d| d.edtf()));
    active.start_earliest = Set(period.start.map(|d| d.earliest()));
    active.end_on = Set(period.end.map(|d| d.edtf()));
    active.end_latest = Set(period.end.map(|d| d.latest()));
    active.updated_at = Set(unit.now());
    active.version = Set(version + 1);
    let after = rows::partnership(
        save_versioned::<partnership::Entity>(tx, active, id, version, &[("slug", "slug")]).await?,
    )?;
    unit.audit(
        "update_partnership",
        "partnership",
        id,
        Some(snapshot(&before)),
        Some(snapshot(&after)),
    )
    .await?;
    Ok(after)
}

/// A part of a partnership to add after its creation.
#[derive(Debug, Clone)]
pub enum NewPart {
    Party {
        actor: Member,
        role: PartyRole,
        side_of_party_id: Option<Id>,
    },
    Signatory {
        person_id: Id,
        party_id: Id,
        capacity: SignatoryCapacity,
        title_then: String,
    },
    Commitment {
        domain_id: Option<Id>,
        kind: CommitmentKind,
        text: String,
    },
}

/// A part of a partnership to remove, by kind and id.
#[derive(Debug, Clone, Copy)]
pub enum PartRef {
    Party(Id),
    Signatory(Id),
    Commitment(Id),
}

/// Checks the actor may write partnership `id`: an editor, or a partner of one of its parties.
pub(crate) async fn check_may_write(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
    field: &'static str,
) -> Result<(), WriteError> {
    let Some(row) = partnership::Entity::find_by_id(id).one(tx).await? else {
        return Err(WriteError::NotFound { field });
    };
    let partnership = rows::partnership(row)?;
    may_write(actor, &partnership, parties_of(tx, id).await?, field)
}

/// The next position after the parts of a partnership in `table`.
async fn next_position(
    tx: &DatabaseTransaction,
    table: &'static str,
    partnership_id: Id,
) -> Result<i32, WriteError> {
    let query = Query::select()
        .expr_as(Expr::cust("COALESCE(MAX(position), 0)"), "last")
        .from(table)
        .and_where(Expr::col("partnership_id").eq(partnership_id))
        .to_owned();
    let row = tx.query_one(&query).await?;
    let last: i32 = match row {
        Some(row) => row.try_get("", "last").unwrap_or(0),
        None => 0,
    };
    Ok(last + 1)
}

/// Adds a party, a signatory or a commitment to a partnership; returns the partnership.
pub async fn add_part(
    unit: &crate::write::Unit,
    partnership_id: Id,
    part: NewPart,
) -> Result<Partnership, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    check_may_write(tx, actor, partnership_id, "partnership").await?;
    let now = unit.now();
    let belongs = |party: Option<partnership_party::Model>| {
        party.filter(|p| p.partnership_id == partnership_id)
    };
    let (entity_type, entity_id, after) = match part {
        NewPart::Party {
            actor: party_actor,
            role,
            side_of_party_id,
        } => {
            check_actor_exists(tx, party_actor).await?;
            if let Some(side) = side_of_party_id
                && belongs(partnership_party::Entity::find_by_id(side).one(tx).await?).is_none()
            {
                return Err(WriteError::NotFound { field: "sideOf" });
            }
            let (city_id, organisation_id) = match party_actor {
                Member::City(id) => (Some(id), None),
                Member::Organisation(id) => (None, Some(id)),
            };
            let position = next_position(tx, "partnership_party", partnership_id).await?;
            let row = partnership_party::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                partnership_id: Set(partnership_id),
                city_id: Set(city_id),
                organisation_id: Set(organisation_id),
                role: Set(role.as_str().to_owned()),
                side_of_party_id: Set(side_of_party_id),
                position: Set(position),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            (
                "partnership_party",
                row.id,
                json!({ "role": role.as_str(), "cityId": city_id, "organisationId": organisation_id, "sideOfPartyId": side_of_party_id }),
            )
        }
        NewPart::Signatory {
            person_id,
            party_id,
            capacity,
            title_then,
        } => {
            domain::validate::check_name("titleThen", &title_then)?;
            if person::Entity::find_by_id(person_id)
                .one(tx)
                .await?
                .is_none()
            {
                return Err(WriteError::NotFound { field: "person" });
            }
            if belongs(
                partnership_party::Entity::find_by_id(party_id)
                    .one(tx)
                    .await?,
            )
            .is_none()
            {
                return Err(WriteError::NotFound { field: "party" });
            }
            let position = next_position(tx, "signatory", partnership_id).await?;
            let row = signatory::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                partnership_id: Set(partnership_id),
                person_id: Set(person_id),
                party_id: Set(party_id),
                capacity: Set(capacity.as_str().to_owned()),
                title_then: Set(title_then.trim().to_owned()),
                position: Set(position),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            (
                "signatory",
                row.id,
                json!({ "personId": person_id, "partyId": party_id, "capacity": capacity.as_str(), "titleThen": title_then }),
            )
        }
        NewPart::Commitment {
            domain_id,
            kind,
            text,
        } => {
            domain::validate::check_name("text", &text)?;
            if let Some(domain_id) = domain_id {
                let found = crate::entity::partnership_domain::Entity::find_by_id(domain_id)
                    .one(tx)
                    .await?;
                if found
                    .filter(|d| d.partnership_id == partnership_id)
                    .is_none()
                {
                    return Err(WriteError::NotFound { field: "domain" });
                }
            }
            let position = {
                let mut query = commitment::Entity::find()
                    .filter(Expr::col("partnership_id").eq(partnership_id));
                query = match domain_id {
                    Some(domain_id) => query.filter(Expr::col("domain_id").eq(domain_id)),
                    None => query.filter(Expr::col("domain_id").is_null()),
                };
                query
                    .all(tx)
                    .await?
                    .iter()
                    .map(|c| c.position)
                    .max()
                    .unwrap_or(0)
                    + 1
            };
            let row = commitment::ActiveModel {
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                partnership_id: Set(partnership_id),
                domain_id: Set(domain_id),
                position: Set(position),
                kind: Set(kind.as_str().to_owned()),
                text: Set(text.trim().to_owned()),
                ..Default::default()
            }
            .insert(tx)
            .await?;
            (
                "commitment",
                row.id,
                json!({ "domainId": domain_id, "kind": kind.as_str(), "text": text, "position": position }),
            )
        }
    };
    unit.audit(
        &format!("add_{entity_type}"),
        entity_type,
        entity_id,
        None,
        Some(after),
    )
    .await?;
    let partnership = rows::partnership(
        partnership::Entity::find_by_id(partnership_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound {
                field: "partnership",
            })?,
    )?;
    Ok(partnership)
}

/// Removes a party (with the signatures made for it), a signatory or a commitment; returns
/// the partnership.
pub async fn remove_part(
    unit: &crate::write::Unit,
    part: PartRef,
) -> Result<Partnership, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    let (entity_type, id, partnership_id, before) = match part {
        PartRef::Party(id) => {
            let row = partnership_party::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound { field: "id" })?;
            (
                "partnership_party",
                id,
                row.partnership_id,
                json!({ "role": row.role, "cityId": row.city_id, "organisationId": row.organisation_id }),
            )
        }
        PartRef::Signatory(id) => {
            let row = signatory::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound { field: "id" })?;
            (
                "signatory",
                id,
                row.partnership_id,
                json!({ "personId": row.person_id, "partyId": row.party_id, "titleThen": row.title_then }),
            )
        }
        PartRef::Commitment(id) => {
            let row = commitment::Entity::find_by_id(id)
                .one(tx)
                .await?
                .ok_or(WriteError::NotFound { field: "id" })?;
            (
                "commitment",
                id,
                row.partnership_id,
                json!({ "kind": row.kind, "text": row.text, "position": row.position }),
            )
        }
    };
    check_may_write(tx, actor, partnership_id, "partnership").await?;
    if let PartRef::Party(party_id) = part {
        // Partners standing beside the removed party no longer name it.
        let detach = Query::update()
            .table("partnership_party")
            .value("side_of_party_id", Expr::cust("NULL"))
            .and_where(Expr::col("side_of_party_id").eq(party_id))
            .to_owned();
        tx.execute(&detach).await?;
        let follow_ups = Query::update()
            .table("follow_up")
            .value("party_id", Expr::cust("NULL"))
            .and_where(Expr::col("party_id").eq(party_id))
            .to_owned();
        tx.execute(&follow_ups).await?;
        let signatures = Query::delete()
            .from_table("signatory")
            .and_where(Expr::col("party_id").eq(party_id))
            .to_owned();
        tx.execute(&signatures).await?;
    }
    let table = entity_type;
    let delete = Query::delete()
        .from_table(table)
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    tx.execute(&delete).await?;
    unit.audit(
        &format!("remove_{entity_type}"),
        entity_type,
        id,
        Some(before),
        None,
    )
    .await?;
    let partnership = rows::partnership(
        partnership::Entity::find_by_id(partnership_id)
            .one(tx)
            .await?
            .ok_or(WriteError::NotFound {
                field: "partnership",
            })?,
    )?;
    Ok(partnership)
}
