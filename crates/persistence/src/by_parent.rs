//! Every one-to-many and many-to-many relation of the directory, as a batch for many parents.
//!
//! Each function runs one statement (two through a link table) whatever the number of parents,
//! and returns the children grouped by parent; parents without children are absent.

use std::collections::HashMap;

use domain::Id;
use domain::city::City;
use domain::group_purchase::{GroupPurchase, Participation};
use domain::membership::{Member, Membership};
use domain::organisation::{FigureSubject, Organisation, OrganisationRelation, StatedFigure};
use domain::partnership::{Commitment, Domain, FollowUp, Partnership, Party, Signatory};
use domain::person::{ContactPoint, Statement};
use domain::source::{Citation, RecordType};
use domain::theme::Theme;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use crate::entity::citation;
use crate::relation::{many_to_many, one_to_many, one_to_many_joined};
use crate::stored::{convert, group};
use crate::{Db, Error};

mod collective_action;
pub use collective_action::*;

type Groups<T> = Result<HashMap<Id, Vec<T>>, Error>;

fn city_member(member: &Member) -> Option<Id> {
    match member {
        Member::City(id) => Some(*id),
        Member::Organisation(_) => None,
    }
}

fn organisation_member(member: &Member) -> Option<Id> {
    match member {
        Member::Organisation(id) => Some(*id),
        Member::City(_) => None,
    }
}

pub async fn boroughs_of_cities(db: &Db, ids: &[Id]) -> Groups<City> {
    one_to_many(db, "parent_id", ids, &["search_name"], |c: &City| {
        c.parent_id
    })
    .await
}

pub async fn memberships_of_cities(db: &Db, ids: &[Id]) -> Groups<Membership> {
    Ok(memberships_of_cities_with_organisations(db, ids).await?.0)
}

/// Memberships of each city, with the organisations they are in.
pub async fn memberships_of_cities_with_organisations(
    db: &Db,
    ids: &[Id],
) -> crate::Joined<Membership, Organisation> {
    one_to_many_joined(
        db,
        "member_city_id",
        ids,
        &["start_earliest"],
        |m: &Membership| city_member(&m.member),
    )
    .await
}

pub async fn memberships_of_organisations(db: &Db, ids: &[Id]) -> Groups<Membership> {
    one_to_many(
        db,
        "member_organisation_id",
        ids,
        &["start_earliest"],
        |m: &Membership| organisation_member(&m.member),
    )
    .await
}

pub async fn members_of_organisations(db: &Db, ids: &[Id]) -> Groups<Membership> {
    one_to_many(
        db,
        "organisation_id",
        ids,
        &["start_earliest"],
        |m: &Membership| Some(m.organisation_id),
    )
    .await
}

pub async fn parties_of_cities(db: &Db, ids: &[Id]) -> Groups<Party> {
    one_to_many(db, "city_id", ids, &["partnership_id"], |p: &Party| {
        city_member(&p.actor)
    })
    .await
}

pub async fn parties_of_organisations(db: &Db, ids: &[Id]) -> Groups<Party> {
    one_to_many(
        db,
        "organisation_id",
        ids,
        &["partnership_id"],
        |p: &Party| organisation_member(&p.actor),
    )
    .await
}

pub async fn parties_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Party> {
    one_to_many(db, "partnership_id", ids, &["position"], |p: &Party| {
        Some(p.partnership_id)
    })
    .await
}

/// The partnerships each party row belongs to, without repeats, for the parties of many actors.
fn partnerships_of_parties(
    parties: HashMap<Id, Vec<Party>>,
    partnerships: Vec<Partnership>,
) -> HashMap<Id, Vec<Partnership>> {
    let partnerships: HashMap<Id, Partnership> =
        partnerships.into_iter().map(|p| (p.id, p)).collect();
    parties
        .into_iter()
        .map(|(actor, parties)| {
            let mut seen = Vec::new();
            let list = parties
                .iter()
                .filter_map(|party| partnerships.get(&party.partnership_id))
                .filter(|p| {
                    let first = !seen.contains(&p.id);
                    seen.push(p.id);
                    first
                })
                .cloned()
                .collect();
            (actor, list)
        })
        .collect()
}

pub async fn signatories_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Signatory> {
    one_to_many(db, "partnership_id", ids, &["position"], |s: &Signatory| {
        Some(s.partnership_id)
    })
    .await
}

pub async fn signatures_of_people(db: &Db, ids: &[Id]) -> Groups<Signatory> {
    one_to_many(
        db,
        "person_id",
        ids,
        &["partnership_id"],
        |s: &Signatory| Some(s.person_id),
    )
    .await
}

pub async fn domains_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Domain> {
    one_to_many(db, "partnership_id", ids, &["position"], |d: &Domain| {
        Some(d.partnership_id)
    })
    .await
}

pub async fn commitments_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Commitment> {
    one_to_many(
        db,
        "partnership_id",
        ids,
        &["domain_id", "position"],
        |c: &Commitment| Some(c.partnership_id),
    )
    .await
}

pub async fn commitments_of_domains(db: &Db, ids: &[Id]) -> Groups<Commitment> {
    one_to_many(db, "domain_id", ids, &["position"], |c: &Commitment| {
        c.domain_id
    })
    .await
}

pub async fn follow_ups_of_partnerships(db: &Db, ids: &[Id]) -> Groups<FollowUp> {
    one_to_many(db, "partnership_id", ids, &["position"], |f: &FollowUp| {
        Some(f.partnership_id)
    })
    .await
}

pub async fn statements_about_partnerships(db: &Db, ids: &[Id]) -> Groups<Statement> {
    one_to_many(db, "about_partnership_id", ids, &[], |s: &Statement| {
        s.about_partnership_id
    })
    .await
}

pub async fn statements_of_people(db: &Db, ids: &[Id]) -> Groups<Statement> {
    one_to_many(db, "person_id", ids, &[], |s: &Statement| Some(s.person_id)).await
}

pub async fn contact_points_of_organisations(db: &Db, ids: &[Id]) -> Groups<ContactPoint> {
    one_to_many(db, "organisation_id", ids, &[], |c: &ContactPoint| {
        Some(c.organisation_id)
    })
    .await
}

pub async fn contact_points_of_people(db: &Db, ids: &[Id]) -> Groups<ContactPoint> {
    one_to_many(db, "person_id", ids, &[], |c: &ContactPoint| c.person_id).await
}

pub async fn figures_of_organisations(db: &Db, ids: &[Id]) -> Groups<StatedFigure> {
    one_to_many(
        db,
        "organisation_id",
        ids,
        &["as_of"],
        |f: &StatedFigure| match f.subject {
            FigureSubject::Organisation(id) => Some(id),
            _ => None,
        },
    )
    .await
}

pub async fn relations_from_organisations(db: &Db, ids: &[Id]) -> Groups<OrganisationRelation> {
    one_to_many(
        db,
        "from_organisation_id",
        ids,
        &[],
        |r: &OrganisationRelation| Some(r.from_organisation_id),
    )
    .await
}

pub async fn relations_to_organisations(db: &Db, ids: &[Id]) -> Groups<OrganisationRelation> {
    one_to_many(
        db,
        "to_organisation_id",
        ids,
        &[],
        |r: &OrganisationRelation| Some(r.to_organisation_id),
    )
    .await
}

pub async fn sub_organisations(db: &Db, ids: &[Id]) -> Groups<Organisation> {
    one_to_many(
        db,
        "parent_id",
        ids,
        &["search_name"],
        |o: &Organisation| o.parent_id,
    )
    .await
}

pub async fn departments_of_cities(db: &Db, ids: &[Id]) -> Groups<Organisation> {
    one_to_many(
        db,
        "owning_city_id",
        ids,
        &["search_name"],
        |o: &Organisation| o.owning_city_id,
    )
    .await
}

pub async fn group_purchases_organised_by(db: &Db, ids: &[Id]) -> Groups<GroupPurchase> {
    one_to_many(
        db,
        "organiser_id",
        ids,
        &["search_name"],
        |g: &GroupPurchase| Some(g.organiser_id),
    )
    .await
}

pub async fn group_purchases_from_partnerships(db: &Db, ids: &[Id]) -> Groups<GroupPurchase> {
    one_to_many(
        db,
        "origin_partnership_id",
        ids,
        &["search_name"],
        |g: &GroupPurchase| g.origin_partnership_id,
    )
    .await
}

pub async fn participations_in_group_purchases(db: &Db, ids: &[Id]) -> Groups<Participation> {
    one_to_many(
        db,
        "group_purchase_id",
        ids,
        &["joined_on"],
        |p: &Participation| Some(p.group_purchase_id),
    )
    .await
}

pub async fn participations_of_cities(db: &Db, ids: &[Id]) -> Groups<Participation> {
    one_to_many(db, "city_id", ids, &["joined_on"], |p: &Participation| {
        Some(p.city_id)
    })
    .await
}

pub async fn children_of_themes(db: &Db, ids: &[Id]) -> Groups<Theme> {
    one_to_many(db, "parent_id", ids, &["slug"], |t: &Theme| t.parent_id).await
}

pub async fn themes_of_partnerships(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "partnership_theme", "partnership_id", "theme_id", ids).await
}

pub async fn themes_of_domains(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "partnership_domain_theme", "domain_id", "theme_id", ids).await
}

pub async fn themes_of_organisations(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(db, "organisation_theme", "organisation_id", "theme_id", ids).await
}

pub async fn themes_of_group_purchases(db: &Db, ids: &[Id]) -> Groups<Theme> {
    many_to_many(
        db,
        "group_purchase_theme",
        "group_purchase_id",
        "theme_id",
        ids,
    )
    .await
}

pub async fn partnerships_of_themes(db: &Db, ids: &[Id]) -> Groups<Partnership> {
    many_to_many(db, "partnership_theme", "theme_id", "partnership_id", ids).await
}

pub async fn organisations_of_themes(db: &Db, ids: &[Id]) -> Groups<Organisation> {
    many_to_many(db, "organisation_theme", "theme_id", "organisation_id", ids).await
}

pub async fn group_purchases_of_themes(db: &Db, ids: &[Id]) -> Groups<GroupPurchase> {
    many_to_many(
        db,
        "group_purchase_theme",
        "theme_id",
        "group_purchase_id",
        ids,
    )
    .await
}

pub async fn citations_of_sources(db: &Db, ids: &[Id]) -> Groups<Citation> {
    one_to_many(db, "source_id", ids, &["fact_id"], |c: &Citation| {
        Some(c.source_id)
    })
    .await
}

/// Citations of records of one kind, grouped by record.
pub async fn citations_of_records(
    db: &Db,
    record_type: RecordType,
    ids: &[Id],
) -> Groups<Citation> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = citation::Entity::find()
        .filter(Expr::col("record_type").eq(record_type.as_str()))
        .filter(crate::stored::one_of(db, "record_id", ids.iter().copied()))
        .order_by_asc(Expr::col("id"))
        .all(db.conn())
        .await?;
    Ok(group(convert::<Citation>(rows)?, |c| Some(c.record_id)))
}

/// Partnerships each city is a party or partner to, in one statement for all cities.
pub async fn partnerships_of_cities(db: &Db, ids: &[Id]) -> Groups<Partnership> {
    let (parties, partnerships) =
        one_to_many_joined(db, "city_id", ids, &["partnership_id"], |p: &Party| {
            city_member(&p.actor)
        })
        .await?;
    Ok(partnerships_of_parties(parties, partnerships))
}

/// Partnerships each organisation is a party or partner to, in one statement for all.
pub async fn partnerships_of_organisations(db: &Db, ids: &[Id]) -> Groups<Partnership> {
    let (parties, partnerships) = one_to_many_joined(
        db,
        "organisation_id",
        ids,
        &["partnership_id"],
        |p: &Party| organisation_member(&p.actor),
    )
    .await?;
    Ok(partnerships_of_parties(parties, partnerships))
}

/// Relations each organisation takes part in, from it or to it, in two statements for all.
pub async fn relations_of_organisations(db: &Db, ids: &[Id]) -> Groups<OrganisationRelation> {
    let mut groups = relations_from_organisations(db, ids).await?;
    for (id, relations) in relations_to_organisations(db, ids).await? {
        groups.entry(id).or_default().extend(relations);
    }
    Ok(groups)
}
