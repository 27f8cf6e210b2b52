//! The directory's places, people and organisations as exported rows: cities, organisations,
//! people, contact points, mandates and memberships.

use domain::Id;
use domain::city::City;
use domain::mandate::{Mandate, Post};
use domain::membership::{Member, Membership};
use domain::organisation::Organisation;
use domain::person::{ContactPoint, Person};
use domain::source::RecordType;
use persistence::Db;

use super::cell::{Cell, Column, columns, id, stamp, type_of};
use super::table::{Names, Render, Table};
use super::{Kind, Viewer, popolo};

pub const CITY: &[Column] = columns!(
    "id": "the city's global id (as `node(id:)` takes it)",
    "slug": "its slug (`city(slug:)`)",
    "name": "its name",
    "country": "ISO 3166-1 alpha-2",
    "subdivisions": "ISO 3166-2 codes, largest first (space-separated in CSV)",
    "official_code": "the code its country gives it (INSEE code in France)",
    "population": "its population",
    "population_year": "the year the population was counted",
    "latitude": "WGS 84",
    "longitude": "WGS 84",
    "website": "its website",
    "parent_id": "for a borough, the global id of its city",
    "parent_slug": "for a borough, the slug of its city",
);

pub const ORGANISATION: &[Column] = columns!(
    "id": "the organisation's global id",
    "slug": "its slug",
    "name": "its name",
    "name_is_descriptive": "true when the sources give no name and this one describes it",
    "acronym": "its acronym",
    "kind": "municipal_association, intermunicipal_body… (as the schema's enum, lower case)",
    "kind_detail": "its kind as the sources word it",
    "description": "what it does",
    "founded": "its founding date as known (EDTF: 1919, 2023-05, 2018~)",
    "website": "its website",
    "country": "ISO 3166-1 alpha-2",
    "subdivision": "ISO 3166-2",
    "official_code": "the code its country gives it (SIREN in France)",
    "parent_id": "the global id of its parent organisation",
    "parent_slug": "the slug of its parent organisation",
    "headquarters_city_id": "the global id of the city of its headquarters",
    "headquarters_city_slug": "the slug of the city of its headquarters",
    "owning_city_id": "for a municipal department, the global id of its city",
    "owning_city_slug": "for a municipal department, the slug of its city",
);

pub const PERSON: &[Column] = columns!(
    "id": "the person's global id",
    "slug": "their slug",
    "full_name": "their name as written",
    "given_name": "their given name, when known",
    "family_name": "their family name, when known",
    "website": "their website",
    "email": "personal data: empty without an API token",
    "phone": "personal data: empty without an API token",
);

pub const CONTACT_POINT: &[Column] = columns!(
    "id": "the contact point's global id",
    "organisation_id": "the global id of the organisation it is a contact for",
    "organisation_slug": "the slug of that organisation",
    "person_id": "the global id of the person behind it, when named",
    "person_slug": "the slug of that person",
    "role": "press, media or general",
    "phone": "personal data: empty without an API token",
    "phone_kind": "mobile, landline or unknown",
    "email": "personal data: empty without an API token",
    "email_redacted": "true when the source hides the address",
);

pub const MANDATE: &[Column] = columns!(
    "id": "the mandate's global id",
    "person_id": "the global id of the person who holds it",
    "person_slug": "the slug of that person",
    "holder_of_type": "City or Organisation: where the post is",
    "holder_of_id": "the global id of that city or organisation",
    "holder_of_slug": "its slug",
    "role": "mayor, president, director_general… (normalised)",
    "title": "the title as written (maire, rectrice…)",
    "start": "when it began, as known (EDTF)",
    "end": "when it ended, as known (EDTF); empty while held or unknown",
    "attested_on": "the days sources attest it (YYYY-MM-DD, space-separated in CSV)",
);

pub const MEMBERSHIP: &[Column] = columns!(
    "id": "the membership's global id",
    "organisation_id": "the global id of the organisation joined",
    "organisation_slug": "its slug",
    "member_type": "City or Organisation",
    "member_id": "the global id of the member",
    "member_slug": "its slug",
    "kind": "member, founding_member, partner_city or associate",
    "start": "when it began, as known (EDTF)",
    "end": "when it ended, as known (EDTF)",
);

/// The ids of the records of one type a page names.
fn ids<T>(page: &[T], id: impl Fn(&T) -> Option<Id>) -> Vec<Id> {
    page.iter().filter_map(id).collect()
}

fn post(post: Post) -> (RecordType, Id) {
    match post {
        Post::City(id) => (RecordType::City, id),
        Post::Organisation(id) => (RecordType::Organisation, id),
    }
}

fn member(member: Member) -> (RecordType, Id) {
    match member {
        Member::City(id) => (RecordType::City, id),
        Member::Organisation(id) => (RecordType::Organisation, id),
    }
}

/// Reads the slugs of the cities and organisations a page names.
async fn places(
    names: &mut Names,
    db: &Db,
    named: Vec<(RecordType, Id)>,
) -> Result<(), persistence::Error> {
    let of = |kind: RecordType| -> Vec<Id> {
        named
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, id)| *id)
            .collect()
    };
    names
        .read_slugs::<City>(db, RecordType::City, of(RecordType::City))
        .await?;
    names
        .read_slugs::<Organisation>(db, RecordType::Organisation, of(RecordType::Organisation))
        .await
}

/// A cell that only callers who read personal data see.
fn personal(value: &Option<String>, viewer: &Viewer) -> Cell {
    if viewer.personal_data {
        value.clone().into()
    } else {
        Cell::Null
    }
}

fn row(cells: impl IntoIterator<Item = Cell>, stamp_of: &domain::Stamp) -> Vec<Cell> {
    cells.into_iter().chain(stamp(stamp_of)).collect()
}

impl Table for City {
    const KIND: Kind = Kind::Cities;

    async fn names(
        db: &Db,
        page: &[City],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<City>(db, RecordType::City, ids(page, |c| c.parent_id))
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [parent_id, parent_slug] = names.reference(RecordType::City, self.parent_id);
        row(
            [
                id(RecordType::City, self.id),
                self.slug.as_str().into(),
                self.name.as_str().into(),
                self.country.as_str().into(),
                Cell::List(self.subdivisions.clone()),
                self.official_code.clone().into(),
                self.population.into(),
                self.population_year.into(),
                self.latitude.into(),
                self.longitude.into(),
                self.website.clone().into(),
                parent_id,
                parent_slug,
            ],
            &self.stamp,
        )
    }

    fn popolo(&self, _: &Names, _: &Viewer) -> Option<serde_json::Value> {
        Some(popolo::city(self))
    }
}

impl Table for Organisation {
    const KIND: Kind = Kind::Organisations;

    async fn names(
        db: &Db,
        page: &[Organisation],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<Organisation>(db, RecordType::Organisation, ids(page, |o| o.parent_id))
            .await?;
        let cities: Vec<Id> = page
            .iter()
            .flat_map(|o| [o.headquarters_city_id, o.owning_city_id])
            .flatten()
            .collect();
        names
            .read_slugs::<City>(db, RecordType::City, cities)
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [parent_id, parent_slug] = names.reference(RecordType::Organisation, self.parent_id);
        let [hq_id, hq_slug] = names.reference(RecordType::City, self.headquarters_city_id);
        let [owner_id, owner_slug] = names.reference(RecordType::City, self.owning_city_id);
        row(
            [
                id(RecordType::Organisation, self.id),
                self.slug.as_str().into(),
                self.name.as_str().into(),
                self.name_is_descriptive.into(),
                self.acronym.clone().into(),
                self.kind.as_str().into(),
                self.kind_detail.clone().into(),
                self.description.clone().into(),
                self.founded.into(),
                self.website.clone().into(),
                self.country.clone().into(),
                self.subdivision.clone().into(),
                self.official_code.clone().into(),
                parent_id,
                parent_slug,
                hq_id,
                hq_slug,
                owner_id,
                owner_slug,
            ],
            &self.stamp,
        )
    }

    fn popolo(&self, _: &Names, _: &Viewer) -> Option<serde_json::Value> {
        Some(popolo::organisation(self))
    }
}

impl Table for Person {
    const KIND: Kind = Kind::People;

    async fn names(
        _: &Db,
        _: &[Person],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        Ok(Names::default())
    }

    fn row(&self, _: &Names, viewer: &Viewer) -> Vec<Cell> {
        row(
            [
                id(RecordType::Person, self.id),
                self.slug.as_str().into(),
                self.full_name.as_str().into(),
                self.given_name.clone().into(),
                self.family_name.clone().into(),
                self.website.clone().into(),
                personal(&self.email, viewer),
                personal(&self.phone, viewer),
            ],
            &self.stamp,
        )
    }

    fn popolo(&self, _: &Names, viewer: &Viewer) -> Option<serde_json::Value> {
        Some(popolo::person(self, viewer))
    }
}

impl Table for ContactPoint {
    const KIND: Kind = Kind::ContactPoints;

    async fn names(
        db: &Db,
        page: &[ContactPoint],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<Organisation>(
                db,
                RecordType::Organisation,
                ids(page, |c| Some(c.organisation_id)),
            )
            .await?;
        names
            .read_slugs::<Person>(db, RecordType::Person, ids(page, |c| c.person_id))
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, viewer: &Viewer) -> Vec<Cell> {
        let [organisation_id, organisation_slug] =
            names.reference(RecordType::Organisation, Some(self.organisation_id));
        let [person_id, person_slug] = names.reference(RecordType::Person, self.person_id);
        row(
            [
                id(RecordType::ContactPoint, self.id),
                organisation_id,
                organisation_slug,
                person_id,
                person_slug,
                self.role.as_str().into(),
                personal(&self.phone, viewer),
                self.phone_kind.map(|kind| kind.as_str()).into(),
                personal(&self.email, viewer),
                self.email_redacted.into(),
            ],
            &self.stamp,
        )
    }
}

impl Table for Mandate {
    const KIND: Kind = Kind::Mandates;

    async fn read(
        db: &Db,
        after: Option<Id>,
        limit: usize,
        _: &Viewer,
    ) -> Result<Vec<Mandate>, persistence::Error> {
        persistence::export::mandates(db, after, limit).await
    }

    async fn names(
        db: &Db,
        page: &[Mandate],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<Person>(db, RecordType::Person, ids(page, |m| Some(m.person_id)))
            .await?;
        places(
            &mut names,
            db,
            page.iter().map(|m| post(m.holder_of)).collect(),
        )
        .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [person_id, person_slug] = names.reference(RecordType::Person, Some(self.person_id));
        let (holder_type, holder) = post(self.holder_of);
        let [holder_id, holder_slug] = names.reference(holder_type, Some(holder));
        row(
            [
                id(RecordType::Mandate, self.id),
                person_id,
                person_slug,
                type_of(holder_type),
                holder_id,
                holder_slug,
                self.role.as_str().into(),
                self.title.as_str().into(),
                self.period.start.into(),
                self.period.end.into(),
                Cell::List(
                    self.attestations
                        .iter()
                        .map(|a| a.on.format("%Y-%m-%d").to_string())
                        .collect(),
                ),
            ],
            &self.stamp,
        )
    }

    fn popolo(&self, _: &Names, _: &Viewer) -> Option<serde_json::Value> {
        let (holder_type, holder) = post(self.holder_of);
        Some(popolo::mandate(self, holder_type, holder))
    }
}

impl Table for Membership {
    const KIND: Kind = Kind::Memberships;

    async fn names(
        db: &Db,
        page: &[Membership],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        let named = page
            .iter()
            .map(|m| member(m.member))
            .chain(
                page.iter()
                    .map(|m| (RecordType::Organisation, m.organisation_id)),
            )
            .collect();
        places(&mut names, db, named).await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [organisation_id, organisation_slug] =
            names.reference(RecordType::Organisation, Some(self.organisation_id));
        let (member_type, member_record) = member(self.member);
        let [member_id, member_slug] = names.reference(member_type, Some(member_record));
        row(
            [
                id(RecordType::Membership, self.id),
                organisation_id,
                organisation_slug,
                type_of(member_type),
                member_id,
                member_slug,
                self.kind.as_str().into(),
                self.period.start.into(),
                self.period.end.into(),
            ],
            &self.stamp,
        )
    }

    fn popolo(&self, _: &Names, _: &Viewer) -> Option<serde_json::Value> {
        let (member_type, member_record) = member(self.member);
        Some(popolo::membership(self, member_type, member_record))
    }
}
