//! Who is calling, and the guards that say what each caller may see and do.
//!
//! Anonymous callers read the public directory. A valid API token makes the caller an
//! `Actor` with a role; the guards below are the one place those rules are declared.

use async_graphql::{Context, ErrorExtensions, Guard, Result};
use domain::access::{Actor, DraftScope, Role};

use crate::error::ApiError;

/// The caller of one request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Caller {
    /// No token: reads the public directory only.
    #[default]
    Anonymous,
    /// A valid API token.
    Token(Actor),
}

impl Caller {
    /// The actor behind the request, or `UNAUTHENTICATED`.
    pub fn actor(&self) -> Result<&Actor> {
        self.token_actor()
            .ok_or_else(|| ApiError::Unauthenticated("this needs an API token".to_owned()).extend())
    }

    /// The actor behind a token; `None` for an anonymous caller (no error built).
    pub fn token_actor(&self) -> Option<&Actor> {
        match self {
            Caller::Token(actor) => Some(actor),
            Caller::Anonymous => None,
        }
    }

    /// What decides what this caller may read.
    pub fn reader(&self) -> Reader {
        match self {
            Caller::Anonymous => Reader {
                role: None,
                drafts: DraftScope::None,
            },
            Caller::Token(actor) => Reader {
                role: Some(actor.role),
                drafts: actor.draft_scope(),
            },
        }
    }
}

/// What decides what a caller may read — its role and, for a partner, its organisation (the
/// drafts it sees) — and nothing of the token itself. Resolvers read it freely (`reader`);
/// the answer cache keeps answers under it (`response_cache::Scope`), so an answer computed
/// from it alone is right for every caller with the same reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reader {
    /// The token's role; `None` for an anonymous caller.
    pub role: Option<Role>,
    /// Which draft partnerships the caller sees (`Actor::draft_scope`).
    pub drafts: DraftScope,
}

impl Reader {
    /// Whether this caller reads personal data (people's and contact points' phones and
    /// emails): any valid token does, anonymous callers never. The guard below and the bulk
    /// exports ask it.
    pub fn reads_personal_data(self) -> bool {
        self.role.is_some()
    }
}

/// The request's caller, as the server attached it (`attach`): only this module reads it.
struct Attached(Caller);

/// The request data that makes `caller` the caller of a request.
pub fn attach(caller: Caller) -> impl std::any::Any + Send + Sync {
    Attached(caller)
}

fn attached<'a>(ctx: &'a Context<'_>) -> &'a Caller {
    static ANONYMOUS: Caller = Caller::Anonymous;
    ctx.data_opt::<Attached>()
        .map_or(&ANONYMOUS, |attached| &attached.0)
}

/// What decides what the caller of the request being resolved may read. Everything a query
/// field reads of its caller goes through here, or through `caller`.
pub fn reader(ctx: &Context<'_>) -> Reader {
    attached(ctx).reader()
}

/// The caller of the request being resolved, token included. Reading it marks the request
/// as answering for its token (`response_cache::Hints::per_token`): a field that reads the
/// token itself (`viewer`, the webhooks a token manages) is never served to another token of
/// the same reader. Fields that need only what the caller may read use `reader`.
pub fn caller<'a>(ctx: &'a Context<'_>) -> &'a Caller {
    crate::response_cache::per_token(ctx);
    attached(ctx)
}

/// Guards personal data (contact details): any valid token reads them, anonymous callers never.
pub struct PersonalData;

impl Guard for PersonalData {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        if reader(ctx).reads_personal_data() {
            Ok(())
        } else {
            Err(ApiError::Unauthenticated(
                "contact details are personal data: present an API token to read them".to_owned(),
            )
            .extend())
        }
    }
}

/// Guards what only a role may do: `UNAUTHENTICATED` without a token, `FORBIDDEN` with a
/// token of another role.
pub struct RoleGuard(pub Role);

impl Guard for RoleGuard {
    async fn check(&self, ctx: &Context<'_>) -> Result<()> {
        let Some(role) = reader(ctx).role else {
            return Err(ApiError::Unauthenticated("this needs an API token".to_owned()).extend());
        };
        let allowed = match self.0 {
            Role::Admin => role.check_admin(),
            Role::Editor => role.check_editor(),
            Role::Partner => Ok(()),
        };
        allowed.map_err(|denied| ApiError::Forbidden(denied.to_string()).extend())
    }
}

/// Whether a caller may see a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Shown,
    Hidden,
    /// A draft partnership asked for by a partner: shown when the partner's organisation is
    /// one of its parties, which the caller checks against the parties it loads.
    IfParty {
        partnership_id: domain::Id,
    },
    /// A record that belongs to another (`domain::ownership`): shown when its owner is.
    Owned(domain::ownership::Owner),
}

/// Everything is public but draft partnerships: editors and admins see them all, a partner
/// those its organisation is a party to (`Actor::check_party`), anonymous callers none.
pub trait Visible {
    /// Whether a caller who sees `drafts` may see this record.
    fn visibility(&self, drafts: DraftScope) -> Visibility;

    /// What this record is, as an owner of other records (a partnership, a report, an
    /// initiative, an event): once it is shown, so are they.
    fn as_owner(&self) -> Option<domain::ownership::Owner> {
        None
    }
}

/// The visibility of a record that belongs to `owner`: shown at once to callers who see every
/// draft, or when it belongs to the directory; otherwise as its owner.
fn owned_by(owner: domain::ownership::Owner, drafts: DraftScope) -> Visibility {
    match (owner, drafts) {
        (domain::ownership::Owner::Directory, _) | (_, DraftScope::All) => Visibility::Shown,
        (owner, _) => Visibility::Owned(owner),
    }
}

/// Records that may belong to something (`domain::ownership::Owned`), by their record type:
/// once one is shown, so are the records that belong to it.
macro_rules! owned {
    ($($type:ty => $kind:ident),* $(,)?) => {
        $(impl Visible for $type {
            fn visibility(&self, drafts: DraftScope) -> Visibility {
                owned_by(domain::ownership::Owned::owner(self), drafts)
            }

            fn as_owner(&self) -> Option<domain::ownership::Owner> {
                Some(domain::ownership::Owner::Record(
                    domain::source::RecordType::$kind,
                    self.id,
                ))
            }
        })*
    };
}

owned!(
    domain::partnership::Party => PartnershipParty,
    domain::partnership::Signatory => Signatory,
    domain::partnership::Domain => PartnershipDomain,
    domain::partnership::Commitment => Commitment,
    domain::partnership::FollowUp => FollowUp,
    domain::partnership::Report => Report,
    domain::partnership::Indicator => Indicator,
    domain::event::Event => Event,
    domain::event::EventParticipant => EventParticipant,
    domain::initiative::Initiative => Initiative,
    domain::initiative::InitiativeOrganisation => InitiativeOrganisation,
    domain::initiative::Outcome => Outcome,
    domain::initiative::Lesson => Lesson,
    domain::source::Citation => Citation,
    domain::person::Statement => Statement,
);

macro_rules! public {
    ($($type:ty),* $(,)?) => {
        $(impl Visible for $type {
            fn visibility(&self, _: DraftScope) -> Visibility {
                Visibility::Shown
            }
        })*
    };
}

public!(
    domain::city::City,
    domain::person::Person,
    domain::person::ContactPoint,
    domain::mandate::Mandate,
    domain::organisation::Organisation,
    domain::organisation::OrganisationRelation,
    domain::organisation::StatedFigure,
    domain::membership::Membership,
    domain::group_purchase::GroupPurchase,
    domain::group_purchase::Participation,
    domain::programme::Programme,
    domain::programme::ProgrammeOrganiser,
    domain::programme::SupportComponent,
    domain::programme::Edition,
    domain::programme::Participant,
    domain::award::Award,
    domain::award::Recognition,
    domain::diagnostic::DiagnosticTool,
    domain::peers::Peer,
    domain::diagnostic::Questionnaire,
    domain::diagnostic::Assessment,
    persistence::joining::JoinVerdict,
    domain::theme::Theme,
    domain::source::Source,
    domain::election::Election,
    domain::access::ApiToken,
    domain::access::AuditEvent,
);

impl Visible for domain::partnership::Partnership {
    fn as_owner(&self) -> Option<domain::ownership::Owner> {
        Some(domain::ownership::Owner::Record(
            domain::source::RecordType::Partnership,
            self.id,
        ))
    }

    fn visibility(&self, drafts: DraftScope) -> Visibility {
        if self.status != domain::partnership::PartnershipStatus::Draft {
            return Visibility::Shown;
        }
        match drafts {
            DraftScope::None => Visibility::Hidden,
            DraftScope::All => Visibility::Shown,
            DraftScope::OfParty(_) => Visibility::IfParty {
                partnership_id: self.id,
            },
        }
    }
}
