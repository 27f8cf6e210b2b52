//! Rows of agreements: partnerships with their parts, group purchases and participations.

use super::*;
use crate::Error;

pub(crate) fn partnership(
    row: partnership::Model,
) -> Result<domain::partnership::Partnership, Error> {
    Ok(domain::partnership::Partnership {
        kind: word("partnership", "kind", &row.kind)?,
        status: word("partnership", "status", &row.status)?,
        provisions: json("partnership", "provisions", &row.provisions)?,
        signed_on: fuzzy("partnership", "signed_on", row.signed_on.as_deref())?,
        period: period(
            "partnership",
            row.start_on.as_deref(),
            row.end_on.as_deref(),
        )?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        summary: row.summary,
        signing_place_city_id: row.signing_place_city_id,
        continues_id: row.continues_id,
        prior_relationship: row.prior_relationship,
        accession: row
            .accession
            .as_deref()
            .map(|a| word("partnership", "accession", a))
            .transpose()?,
    })
}

pub(crate) fn party(row: partnership_party::Model) -> Result<domain::partnership::Party, Error> {
    Ok(domain::partnership::Party {
        actor: member("partnership_party", row.city_id, row.organisation_id)?,
        role: word("partnership_party", "role", &row.role)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        side_of_party_id: row.side_of_party_id,
        position: row.position,
    })
}

pub(crate) fn signatory(row: signatory::Model) -> Result<domain::partnership::Signatory, Error> {
    Ok(domain::partnership::Signatory {
        capacity: word("signatory", "capacity", &row.capacity)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        person_id: row.person_id,
        party_id: row.party_id,
        title_then: row.title_then,
        position: row.position,
    })
}

pub(crate) fn domain(row: partnership_domain::Model) -> Result<domain::partnership::Domain, Error> {
    Ok(domain::partnership::Domain {
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        position: row.position,
        numeral: row.numeral,
        title: row.title,
        narrative: row.narrative,
    })
}

pub(crate) fn commitment(row: commitment::Model) -> Result<domain::partnership::Commitment, Error> {
    Ok(domain::partnership::Commitment {
        kind: word("commitment", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        domain_id: row.domain_id,
        position: row.position,
        text: row.text,
    })
}

pub(crate) fn follow_up(row: follow_up::Model) -> Result<domain::partnership::FollowUp, Error> {
    Ok(domain::partnership::FollowUp {
        kind: word("follow_up", "kind", &row.kind)?,
        stamp: stamp!(row),
        id: row.id,
        partnership_id: row.partnership_id,
        party_id: row.party_id,
        body_organisation_id: row.body_organisation_id,
        frequency: row.frequency,
        description: row.description,
        position: row.position,
    })
}

pub(crate) fn group_purchase(
    row: group_purchase::Model,
) -> Result<domain::group_purchase::GroupPurchase, Error> {
    Ok(domain::group_purchase::GroupPurchase {
        eligibility: row
            .eligibility
            .as_deref()
            .map(|e| word("group_purchase", "eligibility", e))
            .transpose()?,
        status: word("group_purchase", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        slug: row.slug,
        title: row.title,
        title_is_descriptive: row.title_is_descriptive,
        description: row.description,
        category: row.category,
        organiser_id: row.organiser_id,
        origin_partnership_id: row.origin_partnership_id,
        tender_start: row.tender_start,
        tender_end: row.tender_end,
        estimated_value: row.estimated_value,
        currency: row.currency,
        supplier_id: row.supplier_id,
        contract_start: row.contract_start,
        contract_end: row.contract_end,
    })
}

pub(crate) fn participation(
    row: participation::Model,
) -> Result<domain::group_purchase::Participation, Error> {
    Ok(domain::group_purchase::Participation {
        status: word("participation", "status", &row.status)?,
        stamp: stamp!(row),
        id: row.id,
        group_purchase_id: row.group_purchase_id,
        city_id: row.city_id,
        joined_on: row.joined_on,
        estimated_quantity: row.estimated_quantity,
        estimated_amount: row.estimated_amount,
    })
}
