//! A kind of record as an export reads it: a page, what its rows name, and each record as a
//! row, a Popolo object or an OCDS release.

use std::collections::{HashMap, HashSet};

use domain::Id;
use domain::source::RecordType;
use persistence::Db;
use persistence::export::Exported;

use super::cell::Cell;
use super::{Kind, Viewer};

/// How a page of records is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Render {
    Rows,
    Popolo,
    Ocds,
}

/// A kind of record an export writes.
pub trait Table: Exported {
    const KIND: Kind;

    /// The first `limit` records after `after` the viewer may see, in id order.
    async fn read(
        db: &Db,
        after: Option<Id>,
        limit: usize,
        viewer: &Viewer,
    ) -> Result<Vec<Self>, persistence::Error> {
        persistence::export::page(db, after, limit, viewer.drafts).await
    }

    /// Reads what the rows of `page` name (slugs, names, whether a linked draft is shown):
    /// one statement per kind named, whatever the page's size.
    async fn names(
        db: &Db,
        page: &[Self],
        viewer: &Viewer,
        render: Render,
    ) -> Result<Names, persistence::Error>;

    /// The record as a row: a cell per column of `KIND`, in their order.
    fn row(&self, names: &Names, viewer: &Viewer) -> Vec<Cell>;

    /// The record as a Popolo object, for the kinds Popolo holds.
    fn popolo(&self, names: &Names, viewer: &Viewer) -> Option<serde_json::Value> {
        let _ = (names, viewer);
        None
    }

    /// The record as an OCDS release, for group purchases.
    fn ocds(&self, names: &Names) -> Option<serde_json::Value> {
        let _ = names;
        None
    }
}

/// What the rows of one page name, read for the page.
#[derive(Debug, Default)]
pub struct Names {
    slugs: HashMap<(RecordType, Id), String>,
    names: HashMap<(RecordType, Id), String>,
    /// The linked partnerships the viewer sees.
    shown_partnerships: HashSet<Id>,
    /// A group purchase's participations, for its OCDS parties.
    pub participations: HashMap<Id, Vec<domain::group_purchase::Participation>>,
}

impl Names {
    /// Reads the slugs of these records of `T` (`record_type`).
    pub async fn read_slugs<T: persistence::Stored>(
        &mut self,
        db: &Db,
        record_type: RecordType,
        ids: impl IntoIterator<Item = Id>,
    ) -> Result<(), persistence::Error> {
        let slugs = persistence::export::slugs::<T>(db, ids).await?;
        self.slugs.extend(
            slugs
                .into_iter()
                .map(|(id, slug)| ((record_type, id), slug)),
        );
        Ok(())
    }

    /// Reads the names of these cities or organisations (`record_type`).
    pub async fn read_names<T: persistence::Stored>(
        &mut self,
        db: &Db,
        record_type: RecordType,
        ids: impl IntoIterator<Item = Id>,
    ) -> Result<(), persistence::Error> {
        let names = persistence::export::names::<T>(db, ids).await?;
        self.names.extend(
            names
                .into_iter()
                .map(|(id, name)| ((record_type, id), name)),
        );
        Ok(())
    }

    /// Reads which of these partnerships the viewer sees.
    pub async fn read_shown_partnerships(
        &mut self,
        db: &Db,
        ids: &[Id],
        viewer: &Viewer,
    ) -> Result<(), persistence::Error> {
        self.shown_partnerships =
            persistence::export::shown_partnership_ids(db, ids, viewer.drafts).await?;
        Ok(())
    }

    pub fn slug(&self, record_type: RecordType, id: Option<Id>) -> Cell {
        id.and_then(|id| self.slugs.get(&(record_type, id)))
            .map_or(Cell::Null, |slug| Cell::Text(slug.clone()))
    }

    pub fn name(&self, record_type: RecordType, id: Id) -> Option<&str> {
        self.names.get(&(record_type, id)).map(String::as_str)
    }

    /// The partnership a record links to, when the viewer sees it: a link to a draft it may
    /// not see is left empty, as `GroupPurchase.origin` answers null.
    pub fn shown_partnership(&self, id: Option<Id>) -> Option<Id> {
        id.filter(|id| self.shown_partnerships.contains(id))
    }

    /// The id and slug cells of a record a row points at.
    pub fn reference(&self, record_type: RecordType, id: Option<Id>) -> [Cell; 2] {
        [
            super::cell::id_or_null(record_type, id),
            self.slug(record_type, id),
        ]
    }
}
