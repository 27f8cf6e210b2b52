//! An export as a sequence of chunks: fixed text (a CSV header, JSON punctuation, an OCDS
//! package's head) and pages of records, each page read when the previous one has been taken.
//!
//! Whoever takes the chunks sets the pace: the HTTP body asks for the next chunk when the
//! client has read the last one, so a slow reader holds one page, never the table.

use std::collections::VecDeque;

use chrono::{DateTime, SecondsFormat, Utc};
use domain::Id;
use persistence::Db;

use super::cell::Cell;
use super::encode::{csv_header, csv_rows, json_into, jsonl_row};
use super::table::{Render, Table};
use super::{Document, Format, Kind, POPOLO_KINDS, Viewer, ocds, popolo};

/// How many records a page reads: one statement per page and per kind its rows name.
pub const PAGE_SIZE: usize = 1_000;

/// Why a chunk could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChunkError {
    #[error(transparent)]
    Store(#[from] persistence::Error),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// A part of an export, in its order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Fixed text; what follows starts a new JSON array.
    Text(String),
    /// The CSV header of a kind.
    Header(Kind),
    /// Every record of a kind the viewer sees, written as `Render` says.
    Records(Kind, Render),
}

/// An export under way.
pub struct Export {
    db: Db,
    viewer: Viewer,
    format: Format,
    pieces: VecDeque<Piece>,
    /// The id of the last record written of the current `Records` piece.
    after: Option<Id>,
    /// The last page read was short: the current `Records` piece has no more.
    exhausted: bool,
    /// Whether an item was written in the current JSON array: a comma comes before the next.
    in_array: bool,
}

impl Export {
    /// The export of `document` as `viewer` sees it. `published` is when its contents last
    /// changed, which an OCDS package states.
    pub fn new(db: Db, document: &Document, viewer: Viewer, published: DateTime<Utc>) -> Export {
        Export {
            db,
            viewer,
            format: document.format(),
            pieces: pieces(document, published),
            after: None,
            exhausted: false,
            in_array: false,
        }
    }

    /// The next chunk of the export; none once it is whole. Never empty.
    pub async fn next_chunk(&mut self) -> Result<Option<Vec<u8>>, ChunkError> {
        loop {
            let Some(piece) = self.pieces.front() else {
                return Ok(None);
            };
            let written = match piece {
                Piece::Text(text) => {
                    let text = text.clone().into_bytes();
                    self.in_array = false;
                    self.pieces.pop_front();
                    text
                }
                Piece::Header(kind) => {
                    let mut out = Vec::new();
                    csv_header(&mut out, kind.columns())?;
                    self.pieces.pop_front();
                    out
                }
                Piece::Records(kind, render) => {
                    let (kind, render) = (*kind, *render);
                    match self.page(kind, render).await? {
                        Some(out) => out,
                        None => {
                            self.pieces.pop_front();
                            self.after = None;
                            self.exhausted = false;
                            continue;
                        }
                    }
                }
            };
            if !written.is_empty() {
                return Ok(Some(written));
            }
        }
    }

    /// The next page of `kind`, written; none when the kind has no more records.
    async fn page(&mut self, kind: Kind, render: Render) -> Result<Option<Vec<u8>>, ChunkError> {
        use domain::{
            city, group_purchase, mandate, membership, organisation, partnership, person,
        };
        match kind {
            Kind::Cities => self.page_of::<city::City>(render).await,
            Kind::Organisations => self.page_of::<organisation::Organisation>(render).await,
            Kind::People => self.page_of::<person::Person>(render).await,
            Kind::ContactPoints => self.page_of::<person::ContactPoint>(render).await,
            Kind::Mandates => self.page_of::<mandate::Mandate>(render).await,
            Kind::Memberships => self.page_of::<membership::Membership>(render).await,
            Kind::Partnerships => self.page_of::<partnership::Partnership>(render).await,
            Kind::PartnershipParties => self.page_of::<partnership::Party>(render).await,
            Kind::GroupPurchases => self.page_of::<group_purchase::GroupPurchase>(render).await,
            Kind::Participations => self.page_of::<group_purchase::Participation>(render).await,
        }
    }

    async fn page_of<T: Table>(&mut self, render: Render) -> Result<Option<Vec<u8>>, ChunkError> {
        if self.exhausted {
            return Ok(None);
        }
        let records = T::read(&self.db, self.after, PAGE_SIZE, &self.viewer).await?;
        let Some(last) = records.last() else {
            return Ok(None);
        };
        self.after = Some(last.id());
        self.exhausted = records.len() < PAGE_SIZE;
        let names = T::names(&self.db, &records, &self.viewer, render).await?;
        let mut out = Vec::with_capacity(records.len() * 256);
        match (render, self.format) {
            (Render::Rows, Format::Csv) => {
                let rows: Vec<Vec<Cell>> = records
                    .iter()
                    .map(|record| record.row(&names, &self.viewer))
                    .collect();
                debug_assert!(rows.iter().all(|row| row.len() == T::KIND.columns().len()));
                csv_rows(&mut out, rows.iter().map(Vec::as_slice))?;
            }
            (Render::Rows, _) => {
                for record in &records {
                    let row = record.row(&names, &self.viewer);
                    debug_assert_eq!(row.len(), T::KIND.columns().len());
                    jsonl_row(&mut out, T::KIND.columns(), &row);
                }
            }
            (Render::Popolo, _) => {
                for record in &records {
                    if let Some(item) = record.popolo(&names, &self.viewer) {
                        self.json_item(&mut out, &item);
                    }
                }
            }
            (Render::Ocds, _) => {
                for record in &records {
                    if let Some(item) = record.ocds(&names) {
                        self.json_item(&mut out, &item);
                    }
                }
            }
        }
        Ok(Some(out))
    }

    /// Appends an item of a JSON array, after a comma unless it is the array's first.
    fn json_item(&mut self, out: &mut Vec<u8>, item: &serde_json::Value) {
        if self.in_array {
            out.extend_from_slice(b",\n");
        }
        self.in_array = true;
        json_into(out, item);
    }
}

/// The pieces of a document, in order.
fn pieces(document: &Document, published: DateTime<Utc>) -> VecDeque<Piece> {
    match document {
        Document::Rows {
            kind,
            format: Format::Csv,
        } => [Piece::Header(*kind), Piece::Records(*kind, Render::Rows)].into(),
        Document::Rows { kind, .. } => [Piece::Records(*kind, Render::Rows)].into(),
        Document::Popolo { kinds } => {
            let mut pieces = VecDeque::new();
            let mut opened = false;
            for section in ["persons", "organizations", "memberships"] {
                let of_section: Vec<Kind> = POPOLO_KINDS
                    .into_iter()
                    .filter(|kind| kinds.contains(kind) && popolo::section(*kind) == section)
                    .collect();
                if of_section.is_empty() {
                    continue;
                }
                let before = if opened { "]," } else { "{" };
                opened = true;
                pieces.push_back(Piece::Text(format!("{before}\"{section}\":[")));
                pieces.extend(
                    of_section
                        .into_iter()
                        .map(|kind| Piece::Records(kind, Render::Popolo)),
                );
            }
            pieces.push_back(Piece::Text(if opened { "]}\n" } else { "{}\n" }.to_owned()));
            pieces
        }
        Document::Ocds { package_uri } => [
            Piece::Text(ocds::package_head(
                package_uri,
                &published.to_rfc3339_opts(SecondsFormat::Secs, true),
            )),
            Piece::Records(Kind::GroupPurchases, Render::Ocds),
            Piece::Text(ocds::PACKAGE_TAIL.to_owned()),
        ]
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_popolo_document_opens_each_section_it_holds_once() {
        let texts = |document: &Document| -> String {
            pieces(document, Utc::now())
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(text) => text,
                    Piece::Records(kind, _) => format!("<{}>", kind.name()),
                    Piece::Header(_) => "<header>".to_owned(),
                })
                .collect()
        };
        assert_eq!(
            texts(&Document::popolo()),
            "{\"persons\":[<people>],\"organizations\":[<organisations><cities>],\"memberships\":[<mandates><memberships>]}\n"
        );
        assert_eq!(
            texts(&Document::Popolo {
                kinds: vec![Kind::Memberships]
            }),
            "{\"memberships\":[<memberships>]}\n"
        );
    }
}
