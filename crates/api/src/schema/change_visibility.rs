//! What the change feed shows a caller: each change as the caller sees it, by the rules of
//! every other read (`auth::Visible`, `schema::retain_visible`).
//!
//! A record's state before and after a change is shown or not: a draft partnership to those
//! who see its drafts (a partner, when its organisation is a party to it now), a record that
//! belongs to another (a draft's parts, an event linked to a partnership, a citation) when
//! its owner is shown to the caller now, anything else to everyone. The change is then what
//! the caller saw happen: a creation when only the state after is shown, a deletion when
//! only the state before is, nothing at all when neither is. A page costs a batch of owners
//! per kind (as `node(id:)` reads them) and one of parties, whatever its length.

use std::collections::{HashMap, HashSet};

use async_graphql::{Context, Result};
use domain::Id;
use domain::access::DraftScope;
use domain::ownership::Owner;
use persistence::changes::{RecordChange, Standing};

use crate::auth::reader;
use crate::error::internal;
use crate::loader::agreements::PartiesOfPartnership;
use crate::schema::change::{Change, ChangeAction};
use crate::schema::{loaders, shown_among};

/// The changes of a page as the caller sees them, in their order; those it sees nothing of
/// are left out.
pub(crate) async fn as_seen(ctx: &Context<'_>, changes: Vec<RecordChange>) -> Result<Vec<Change>> {
    let judge = Judge::for_changes(ctx, &changes).await?;
    Ok(changes
        .into_iter()
        .filter_map(|change| judge.seen(change))
        .collect())
}

/// What the caller sees of the records a page of changes concerns.
struct Judge {
    scope: DraftScope,
    /// The owners of the page's records that the caller sees now.
    shown_owners: HashSet<Owner>,
    /// The draft partnerships of the page that the caller's organisation is a party to now.
    party_to: HashSet<Id>,
}

impl Judge {
    /// Reads, for every change of the page at once, what the caller's verdicts need.
    async fn for_changes(ctx: &Context<'_>, changes: &[RecordChange]) -> Result<Judge> {
        let scope = reader(ctx).drafts;
        let mut judge = Judge {
            scope,
            shown_owners: HashSet::new(),
            party_to: HashSet::new(),
        };
        // Editors and admins see every record, drafts and their parts included.
        if scope == DraftScope::All {
            return Ok(judge);
        }
        let standings = || {
            changes.iter().flat_map(|change| {
                [change.before, change.after]
                    .into_iter()
                    .flatten()
                    .map(move |standing| (change.record_id, standing))
            })
        };
        let owners: HashSet<Owner> = standings()
            .filter(|(_, standing)| !standing.draft && standing.owner != Owner::Directory)
            .map(|(_, standing)| standing.owner)
            .collect();
        if !owners.is_empty() {
            judge.shown_owners = shown_among(ctx, owners.into_iter().collect()).await?;
        }
        if let DraftScope::OfParty(_) = scope {
            let drafts: HashSet<Id> = standings()
                .filter(|(_, standing)| standing.draft)
                .map(|(id, _)| id)
                .collect();
            judge.party_to = party_to(ctx, drafts).await?;
        }
        Ok(judge)
    }

    /// Whether the caller sees record `id` in the state `standing` says.
    fn shows(&self, id: Id, standing: &Standing) -> bool {
        if self.scope == DraftScope::All {
            return true;
        }
        if standing.draft {
            return match self.scope {
                DraftScope::All => true,
                DraftScope::None => false,
                DraftScope::OfParty(_) => self.party_to.contains(&id),
            };
        }
        standing.owner == Owner::Directory || self.shown_owners.contains(&standing.owner)
    }

    /// The change as the caller saw it happen, if it saw anything of it.
    fn seen(&self, change: RecordChange) -> Option<Change> {
        let id = change.record_id;
        let before = change.before.is_some_and(|state| self.shows(id, &state));
        let after = change.after.is_some_and(|state| self.shows(id, &state));
        let (action, changed_fields) = match (before, after) {
            (false, false) => return None,
            (false, true) => (ChangeAction::Created, change.set_fields),
            (true, false) => (ChangeAction::Deleted, Vec::new()),
            (true, true) => (ChangeAction::Updated, change.changed_fields),
        };
        Some(Change {
            position: change.position,
            record_type: change.record_type,
            record_id: id,
            action,
            action_name: change.action,
            at: change.at,
            changed_fields,
        })
    }
}

/// Among draft partnerships `ids`, those the caller's organisation is a party to now
/// (`DraftScope::admits`), their parties read in one batch.
async fn party_to(ctx: &Context<'_>, ids: HashSet<Id>) -> Result<HashSet<Id>> {
    let drafts = reader(ctx).drafts;
    if ids.is_empty() || drafts == DraftScope::None {
        return Ok(HashSet::new());
    }
    let parties: HashMap<PartiesOfPartnership, Vec<domain::partnership::Party>> = loaders(ctx)
        .load_many(ids.iter().copied().map(PartiesOfPartnership))
        .await
        .map_err(|error| internal(ctx, error))?;
    Ok(ids
        .into_iter()
        .filter(|id| {
            let of = parties.get(&PartiesOfPartnership(*id));
            drafts.admits(of.into_iter().flatten().map(|party| party.actor))
        })
        .collect())
}
