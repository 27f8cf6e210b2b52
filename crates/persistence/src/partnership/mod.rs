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
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, DatabaseTransaction, EntityTrait, QueryFilter};
use serde_json::json;

use crate::entity::{city, organisation, partnership, partnership_party};
use crate::rows;
use crate::write::{Change, Changing, Field, Kind, Problems, Unit, WriteError, invalid, needed};

/// Partnerships, as the write path handles them.
const PARTNERSHIP: Kind<partnership::Entity, domain::partnership::Partnership> =
    Kind::stored(snapshot).unique(&[("slug", Field::Slug)]);

mod changes;
mod parts;
pub use changes::{
    CommitmentChanges, DomainChanges, FollowUpChanges, PartyChanges, SignatoryChanges,
};
pub(crate) use parts::insert_part;
pub use parts::{NewPart, PartRef, add_part, remove_part};

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
    /// What the agreement provides, clause by clause; for an update, the new full list.
    pub provisions: Option<Vec<domain::partnership::Provision>>,
    /// The partnership this one renews or continues.
    pub continues_id: Option<Id>,
    /// Who may join it, and how.
    pub accession: Option<domain::partnership::Accession>,
}

/// A new partnership, whole.
#[derive(Debug, Clone)]
pub struct NewPartnership {
    pub fields: PartnershipFields,
    pub parties: Vec<NewParty>,
    pub signatories: Vec<NewSignatory>,
    pub commitments: Vec<(CommitmentKind, String)>,
}

pub(crate) fn snapshot(partnership: &Partnership) -> serde_json::Value {
    json!({
        "slug": partnership.slug, "title": partnership.title, "kind": partnership.kind.as_str(),
        "status": partnership.status.as_str(), "summary": partnership.summary,
        "signedOn": partnership.signed_on.map(|d| d.edtf()), "start": partnership.period.start.map(|d| d.edtf()),
        "end": partnership.period.end.map(|d| d.edtf()), "version": partnership.stamp.version,
    })
}

fn check(fields: &PartnershipFields, problems: &mut Problems) {
    problems.given(&fields.slug, |slug| {
        domain::slug::Slug::parse(slug).map(|_| ())
    });
    problems.given(&fields.title, |title| {
        domain::validate::check_name("title", title)
    });
}

pub(crate) async fn check_actor_exists(
    tx: &DatabaseTransaction,
    actor: Member,
) -> Result<(), WriteError> {
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
        Err(WriteError::NotFound(Field::Parties))
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
    field: Field,
) -> Result<(), WriteError> {
    let row = stored(tx, id, field).await?;
    if row.status != domain::partnership::PartnershipStatus::Draft.as_str() {
        return Ok(());
    }
    partner_is_party(actor, parties_of(tx, id).await?).map_err(|_| WriteError::NotFound(field))
}

/// The stored partnership `id`; `NOT_FOUND` as `field` when there is none.
async fn stored(
    tx: &DatabaseTransaction,
    id: Id,
    field: Field,
) -> Result<partnership::Model, WriteError> {
    partnership::Entity::find_by_id(id)
        .one(tx)
        .await?
        .ok_or(WriteError::NotFound(field))
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
    field: Field,
) -> Result<(), WriteError> {
    match partner_is_party(actor, parties) {
        Err(_) if partnership.status == domain::partnership::PartnershipStatus::Draft => {
            Err(WriteError::NotFound(field))
        }
        other => other,
    }
}

/// What `create` made: the partnership and the ids of its parts, in the order given.
#[derive(Debug, Clone)]
pub struct Created {
    pub partnership: Partnership,
    pub party_ids: Vec<Id>,
    pub signatory_ids: Vec<Id>,
    pub commitment_ids: Vec<Id>,
}

/// Creates a partnership with its parties, signatories, commitments and themes: a partner
/// creates one its organisation is a party to.
pub async fn create(unit: &Unit, new: NewPartnership) -> Result<Created, WriteError> {
    let (tx, actor) = (unit.tx(), unit.actor());
    partner_is_party(actor, new.parties.iter().map(|p| p.actor))?;
    let fields = new.fields;
    let mut problems = Problems::default();
    problems.require(
        "a partnership",
        &[
            (fields.slug.is_some(), Field::Slug),
            (fields.title.is_some(), Field::Title),
            (fields.kind.is_some(), Field::Kind),
            (fields.status.is_some(), Field::Status),
        ],
    );
    check(&fields, &mut problems);
    if new.parties.is_empty() {
        problems.check(Err(needed(
            Field::Parties,
            "a partnership has at least one party",
        )));
    }
    problems.into_result()?;
    let mut active = partnership::ActiveModel {
        title_is_descriptive: Set(false),
        summary: Set(None),
        provisions: Set("[]".to_owned()),
        signed_on: Set(None),
        signing_place_city_id: Set(None),
        continues_id: Set(None),
        prior_relationship: Set(None),
        accession: Set(None),
        ..Default::default()
    };
    let themes = apply(tx, &mut active, fields, Period::default()).await?;
    let row = crate::write::insert_new(unit, "create_partnership", active, &[("slug", Field::Slug)], Ok, |row| {
        json!({ "slug": row.slug, "title": row.title, "kind": row.kind, "status": row.status,
            "summary": row.summary, "signedOn": row.signed_on, "start": row.start_on, "end": row.end_on,
            "themes": themes.as_ref().map(|(slugs, _)| slugs) })
    })
    .await?;
    let partnership_id = row.id;
    if let Some((_, ids)) = &themes {
        crate::theme::tag(tx, THEMES, partnership_id, ids, false).await?;
    }

    let mut keys: HashMap<&str, Id> = HashMap::new();
    let mut party_ids = Vec::new();
    for party in &new.parties {
        let side_of_party_id = match &party.side_of {
            Some(key) => Some(*keys.get(key.as_str()).ok_or_else(|| {
                invalid(
                    Field::Parties,
                    format!("sideOf names no earlier party {key:?}"),
                )
            })?),
            None => None,
        };
        let part = NewPart::Party {
            actor: party.actor,
            role: party.role,
            side_of_party_id,
        };
        let id = parts::insert_part(unit, partnership_id, part)
            .await
            .map_err(|error| on_field(error, Field::Parties))?;
        if keys.insert(&party.key, id).is_some() {
            return Err(invalid(
                Field::Parties,
                format!("two parties have the key {:?}", party.key),
            ));
        }
        party_ids.push(id);
    }
    let mut signatory_ids = Vec::new();
    for signer in new.signatories {
        let party_id = *keys.get(signer.party_key.as_str()).ok_or_else(|| {
            invalid(
                Field::Signatories,
                format!("no party has the key {:?}", signer.party_key),
            )
        })?;
        let part = NewPart::Signatory {
            person_id: signer.person_id,
            party_id,
            capacity: signer.capacity,
            title_then: signer.title_then,
        };
        let id = parts::insert_part(unit, partnership_id, part)
            .await
            .map_err(|error| on_field(error, Field::Signatories))?;
        signatory_ids.push(id);
    }
    let mut commitment_ids = Vec::new();
    for (kind, text) in new.commitments {
        let part = NewPart::Commitment {
            domain_id: None,
            kind,
            text,
        };
        let id = parts::insert_part(unit, partnership_id, part)
            .await
            .map_err(|error| on_field(error, Field::Commitments))?;
        commitment_ids.push(id);
    }
    Ok(Created {
        partnership: rows::partnership(row)?,
        party_ids,
        signatory_ids,
        commitment_ids,
    })
}

/// A part's refusal, on the field of the creation input that listed the part.
fn on_field(error: WriteError, field: Field) -> WriteError {
    match error {
        WriteError::NotFound(_) => WriteError::NotFound(field),
        WriteError::Broken { rule, .. } => WriteError::Broken { field, rule },
        other => other,
    }
}

/// The link table of a partnership's themes.
const THEMES: (&str, &str) = ("partnership_theme", "partnership_id");

/// Sets `fields`, checked by the caller (`check`), on `active`, checking what needs the store
/// and the period; the period is `before`'s where a bound is not given. Returns the themes given, as slugs and ids, for the caller to link.
async fn apply(
    tx: &DatabaseTransaction,
    active: &mut partnership::ActiveModel,
    fields: PartnershipFields,
    before: Period,
) -> Result<Option<(Vec<String>, Vec<Id>)>, WriteError> {
    let period = Period::new(fields.start.or(before.start), fields.end.or(before.end))?;
    if let Some(city_id) = fields.signing_place_city_id
        && city::Entity::find_by_id(city_id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound(Field::SigningPlace));
    }
    if let Some(id) = fields.continues_id
        && partnership::Entity::find_by_id(id).one(tx).await?.is_none()
    {
        return Err(WriteError::NotFound(Field::Continues));
    }
    let themes = match fields.themes {
        Some(slugs) => {
            let ids = crate::theme::ids_of(tx, &slugs).await?;
            Some((slugs, ids))
        }
        None => None,
    };
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
    if let Some(provisions) = fields.provisions {
        active.provisions =
            Set(serde_json::to_string(&provisions).unwrap_or_else(|_| "[]".to_owned()));
    }
    if let Some(id) = fields.continues_id {
        active.continues_id = Set(Some(id));
    }
    if let Some(accession) = fields.accession {
        active.accession = Set(Some(accession.as_str().to_owned()));
    }
    active.start_on = Set(period.start.map(|d| d.edtf()));
    active.start_earliest = Set(period.start.map(|d| d.earliest()));
    active.end_on = Set(period.end.map(|d| d.edtf()));
    active.end_latest = Set(period.end.map(|d| d.latest()));
    Ok(themes)
}

/// Changes a partnership's own fields (and its themes, when given), if `version` is current.
impl Change for PartnershipFields {
    type Record = Partnership;
    const KIND: Kind<partnership::Entity, Partnership> = PARTNERSHIP;
    const ACTION: &'static str = "update_partnership";

    async fn authority(&self, unit: &Unit, before: &Partnership) -> Result<(), WriteError> {
        let parties = parties_of(unit.tx(), before.id).await?;
        may_write(unit.actor(), before, parties, Field::Id)
    }

    async fn apply(self, to: &mut Changing<'_, Self>) -> Result<(), WriteError> {
        let mut problems = Problems::default();
        check(&self, &mut problems);
        problems.into_result()?;
        let tx = to.unit.tx();
        if let Some((_, ids)) = apply(tx, &mut to.active, self, to.before.period).await? {
            crate::theme::tag(tx, THEMES, to.id, &ids, true).await?;
        }
        Ok(())
    }
}

/// Checks the actor may write partnership `id`: an editor, or a partner of one of its parties.
pub(crate) async fn check_may_write(
    tx: &DatabaseTransaction,
    actor: &Actor,
    id: Id,
    field: Field,
) -> Result<(), WriteError> {
    let partnership = rows::partnership(stored(tx, id, field).await?)?;
    may_write(actor, &partnership, parties_of(tx, id).await?, field)
}
