//! Agreements and collective action as exported rows: partnerships, their parties, group
//! purchases and their participations.
//!
//! A draft partnership and its parties are left out of the pages of callers who may not see
//! them (`persistence::export`); a group purchase or a partnership that links to such a draft
//! keeps its row, with the link left empty.

use domain::Id;
use domain::city::City;
use domain::group_purchase::{GroupPurchase, Participation};
use domain::membership::Member;
use domain::organisation::Organisation;
use domain::partnership::{Partnership, Party};
use domain::source::RecordType;
use persistence::Db;

use super::cell::{Cell, Column, columns, id, id_or_null, stamp, type_of};
use super::table::{Names, Render, Table};
use super::{Kind, Viewer, ocds};

pub const PARTNERSHIP: &[Column] = columns!(
    "id": "the partnership's global id",
    "slug": "its slug",
    "title": "its title",
    "title_is_descriptive": "true when the sources give no title and this one describes it",
    "kind": "agreement, cooperation_protocol, twinning, memorandum or programme_partnership",
    "status": "draft (for those who see drafts), active, completed or terminated",
    "summary": "what it is about",
    "signed_on": "when it was signed, as known (EDTF)",
    "signing_place_id": "the global id of the city where it was signed",
    "signing_place_slug": "the slug of that city",
    "start": "when it began, as known (EDTF)",
    "end": "when it ends or ended, as known (EDTF)",
    "continues_id": "the global id of the partnership it continues (empty if hidden from you)",
    "continues_slug": "the slug of that partnership",
    "accession": "who may accede: members_of_parties or anyone",
);

pub const PARTY: &[Column] = columns!(
    "id": "the party's global id",
    "partnership_id": "the global id of the partnership",
    "partnership_slug": "its slug",
    "actor_type": "City or Organisation",
    "actor_id": "the global id of the city or organisation taking part",
    "actor_slug": "its slug",
    "role": "party, partner, coordinator, funder or observer",
    "side_of_party_id": "for a partner, the global id of the party on whose side it stands",
    "position": "its order among the partnership's parties",
);

pub const GROUP_PURCHASE: &[Column] = columns!(
    "id": "the group purchase's global id",
    "slug": "its slug",
    "title": "its title",
    "title_is_descriptive": "true when the sources give no title and this one describes it",
    "description": "what is bought",
    "category": "the category of goods or services",
    "status": "proposed, planned, open, closed, awarded, completed or cancelled",
    "organiser_id": "the global id of the organising organisation",
    "organiser_slug": "its slug",
    "origin_partnership_id": "the global id of the partnership it came out of (empty if hidden from you)",
    "origin_partnership_slug": "its slug",
    "eligibility": "members_of_organiser or anyone",
    "tender_start": "the first day cities may join (YYYY-MM-DD)",
    "tender_end": "the last day cities may join",
    "estimated_value": "its estimated value",
    "currency": "ISO 4217",
    "supplier_id": "the global id of the supplier awarded the contract",
    "supplier_slug": "its slug",
    "contract_start": "the contract's first day",
    "contract_end": "the contract's last day",
);

pub const PARTICIPATION: &[Column] = columns!(
    "id": "the participation's global id",
    "group_purchase_id": "the global id of the group purchase",
    "group_purchase_slug": "its slug",
    "city_id": "the global id of the city taking part",
    "city_slug": "its slug",
    "status": "interested, committed or withdrawn",
    "joined_on": "when it joined (YYYY-MM-DD)",
    "estimated_quantity": "the quantity it expects",
    "estimated_amount": "the amount it expects to spend",
);

fn row(cells: impl IntoIterator<Item = Cell>, stamp_of: &domain::Stamp) -> Vec<Cell> {
    cells.into_iter().chain(stamp(stamp_of)).collect()
}

fn actor(actor: Member) -> (RecordType, Id) {
    match actor {
        Member::City(id) => (RecordType::City, id),
        Member::Organisation(id) => (RecordType::Organisation, id),
    }
}

impl Table for Partnership {
    const KIND: Kind = Kind::Partnerships;

    async fn names(
        db: &Db,
        page: &[Partnership],
        viewer: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        let continued: Vec<Id> = page.iter().filter_map(|p| p.continues_id).collect();
        names
            .read_shown_partnerships(db, &continued, viewer)
            .await?;
        names
            .read_slugs::<Partnership>(db, RecordType::Partnership, continued)
            .await?;
        names
            .read_slugs::<City>(
                db,
                RecordType::City,
                page.iter().filter_map(|p| p.signing_place_city_id),
            )
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [place_id, place_slug] = names.reference(RecordType::City, self.signing_place_city_id);
        let continues = names.shown_partnership(self.continues_id);
        let [continues_id, continues_slug] = names.reference(RecordType::Partnership, continues);
        row(
            [
                id(RecordType::Partnership, self.id),
                self.slug.as_str().into(),
                self.title.as_str().into(),
                self.title_is_descriptive.into(),
                self.kind.as_str().into(),
                self.status.as_str().into(),
                self.summary.clone().into(),
                self.signed_on.into(),
                place_id,
                place_slug,
                self.period.start.into(),
                self.period.end.into(),
                continues_id,
                continues_slug,
                self.accession.map(|a| a.as_str()).into(),
            ],
            &self.stamp,
        )
    }
}

impl Table for Party {
    const KIND: Kind = Kind::PartnershipParties;

    async fn names(
        db: &Db,
        page: &[Party],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<Partnership>(
                db,
                RecordType::Partnership,
                page.iter().map(|p| p.partnership_id),
            )
            .await?;
        let of = |kind: RecordType| -> Vec<Id> {
            page.iter()
                .map(|p| actor(p.actor))
                .filter(|(k, _)| *k == kind)
                .map(|(_, id)| id)
                .collect()
        };
        names
            .read_slugs::<City>(db, RecordType::City, of(RecordType::City))
            .await?;
        names
            .read_slugs::<Organisation>(db, RecordType::Organisation, of(RecordType::Organisation))
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [partnership_id, partnership_slug] =
            names.reference(RecordType::Partnership, Some(self.partnership_id));
        let (actor_type, actor_record) = actor(self.actor);
        let [actor_id, actor_slug] = names.reference(actor_type, Some(actor_record));
        row(
            [
                id(RecordType::PartnershipParty, self.id),
                partnership_id,
                partnership_slug,
                type_of(actor_type),
                actor_id,
                actor_slug,
                self.role.as_str().into(),
                id_or_null(RecordType::PartnershipParty, self.side_of_party_id),
                self.position.into(),
            ],
            &self.stamp,
        )
    }
}

impl Table for GroupPurchase {
    const KIND: Kind = Kind::GroupPurchases;

    async fn names(
        db: &Db,
        page: &[GroupPurchase],
        viewer: &Viewer,
        render: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        let origins: Vec<Id> = page
            .iter()
            .filter_map(|g| g.origin_partnership_id)
            .collect();
        names.read_shown_partnerships(db, &origins, viewer).await?;
        names
            .read_slugs::<Partnership>(db, RecordType::Partnership, origins)
            .await?;
        // Collected: an iterator held across an await would keep the future from being Send.
        let organisations: Vec<Id> = page
            .iter()
            .flat_map(|g| [Some(g.organiser_id), g.supplier_id])
            .flatten()
            .collect();
        names
            .read_slugs::<Organisation>(db, RecordType::Organisation, organisations.clone())
            .await?;
        if render == Render::Ocds {
            ocds::read_parties(&mut names, db, page, organisations).await?;
        }
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [organiser_id, organiser_slug] =
            names.reference(RecordType::Organisation, Some(self.organiser_id));
        let origin = names.shown_partnership(self.origin_partnership_id);
        let [origin_id, origin_slug] = names.reference(RecordType::Partnership, origin);
        let [supplier_id, supplier_slug] =
            names.reference(RecordType::Organisation, self.supplier_id);
        row(
            [
                id(RecordType::GroupPurchase, self.id),
                self.slug.as_str().into(),
                self.title.as_str().into(),
                self.title_is_descriptive.into(),
                self.description.clone().into(),
                self.category.clone().into(),
                self.status.as_str().into(),
                organiser_id,
                organiser_slug,
                origin_id,
                origin_slug,
                self.eligibility.map(|e| e.as_str()).into(),
                self.tender_start.into(),
                self.tender_end.into(),
                self.estimated_value.into(),
                self.currency.clone().into(),
                supplier_id,
                supplier_slug,
                self.contract_start.into(),
                self.contract_end.into(),
            ],
            &self.stamp,
        )
    }

    fn ocds(&self, names: &Names) -> Option<serde_json::Value> {
        Some(ocds::release(self, names))
    }
}

impl Table for Participation {
    const KIND: Kind = Kind::Participations;

    async fn names(
        db: &Db,
        page: &[Participation],
        _: &Viewer,
        _: Render,
    ) -> Result<Names, persistence::Error> {
        let mut names = Names::default();
        names
            .read_slugs::<GroupPurchase>(
                db,
                RecordType::GroupPurchase,
                page.iter().map(|p| p.group_purchase_id),
            )
            .await?;
        names
            .read_slugs::<City>(db, RecordType::City, page.iter().map(|p| p.city_id))
            .await?;
        Ok(names)
    }

    fn row(&self, names: &Names, _: &Viewer) -> Vec<Cell> {
        let [purchase_id, purchase_slug] =
            names.reference(RecordType::GroupPurchase, Some(self.group_purchase_id));
        let [city_id, city_slug] = names.reference(RecordType::City, Some(self.city_id));
        row(
            [
                id(RecordType::Participation, self.id),
                purchase_id,
                purchase_slug,
                city_id,
                city_slug,
                self.status.as_str().into(),
                self.joined_on.into(),
                self.estimated_quantity.into(),
                self.estimated_amount.into(),
            ],
            &self.stamp,
        )
    }
}
